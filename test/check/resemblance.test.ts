/**
 * The shrink attack: B = α·A + N(0, (β·σA)²) on every matrix (then trained further), with α and β
 * chosen so that the containment falls below 0.85. Weights alone cannot always tell "trained from
 * A's scaled weights" from "started at the same random point", so the gate must be honest and safe
 * by default:
 * - trained norm gains bit-identical to A's are exact evidence no sibling has: `derived`;
 * - a resemblance beyond controls the sibling rule cannot decide is `inconclusive` and fails by
 *   default (`on-resemblance`), apart from "could not be aligned" (`on-inconclusive`, warn);
 * - a pair judged siblings stays `independent` and warns by default (`shared-init`), because an
 *   author who also perturbs the gains and shrinks further reaches exactly that judgement.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { parsePolicy } from '../../src/policy/load.js';
import { addEntry } from '../../src/registry/index.js';
import type { SynthModel } from '../../src/synth/model.js';
import { isScheduleVector } from '../../src/compare/siblings.js';
import { Rng } from '../../src/synth/random.js';
import { shrink } from '../../src/synth/shrink.js';
import { REAL } from '../compare/helpers.js';
import { writeModelDir } from '../../src/synth/write.js';
import { base, SMALL, tempDir } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let registry: string;
let A: SynthModel;

async function check(model: SynthModel, name: string, policy?: string, mode?: 'sketch') {
  const dir = await writeModelDir(model, join(tmp.dir, name));
  const [r] = await runCheck({
    models: [dir],
    registries: [registry],
    noBuiltin: true,
    mode,
    policy: policy ? parsePolicy(policy, 'test-policy.yml') : undefined,
  });
  return r!;
}

beforeAll(async () => {
  tmp = await tempDir('resemblance');
  registry = join(tmp.dir, 'registry');
  A = base(SMALL, 51, 'synth/base');
  const a = await loadFingerprint(await writeModelDir(A, join(tmp.dir, 'a')));
  await addEntry(registry, a, { id: 'hf:known/a@main', license: 'MIT', family: 'known' });
  // an unrelated entry of the same architecture: being independent of it must not hide the resemblance to A
  const c = await loadFingerprint(await writeModelDir(base(SMALL, 77, 'synth/other'), join(tmp.dir, 'c')));
  await addEntry(registry, c, { id: 'hf:known/c@main', license: 'MIT', family: 'other' });
}, 120_000);

afterAll(async () => {
  await tmp.cleanup();
});

describe('the shrink attack (B = α·A + noise, containment below 0.85)', () => {
  it("norm gains left bit-identical to A's trained values make it derived", async () => {
    const r = await check(shrink(A, { alpha: 0.7, beta: 0.7, gainRho: 1, seed: 52 }), 'kept-gains');
    expect(r.verdict).toBe('derived');
    expect(r.policy.result).toBe('fail');
    const text = r.matches[0]!.components.find((c) => c.kind === 'text')!;
    expect(text.verdict).toBe('derived');
    expect(text.evidence[0]!.detail).toMatch(/norm\/bias vectors hold exactly A's trained values/);
    expect(text.evidence[0]!.detail).toMatch(/containment 0\.[5-8]\d/);
    expect(text.evidence.some((e) => e.kind === 'exact' && /identical to A's/.test(e.detail))).toBe(true);
  });

  it('in a sketch (no digests to prove the gains identical) the same copy still fails the default policy', async () => {
    const r = await check(shrink(A, { alpha: 0.7, beta: 0.7, seed: 52 }), 'kept-gains-sketch', undefined, 'sketch');
    expect(r.fingerprint?.mode).toBe('sketch');
    expect(['derived', 'inconclusive']).toContain(r.verdict);
    expect(r.policy.result).toBe('fail');
  });

  it('gains nudged off their digests: inconclusive by resemblance, which fails the default policy', async () => {
    const m = shrink(A, { alpha: 0.7, beta: 0.7, gainRho: 0.999, seed: 53 });
    const r = await check(m, 'nudged-gains');
    expect(r.verdict).toBe('inconclusive');
    expect(r.policy.result).toBe('fail');
    const reason = r.policy.reasons.find((x) => x.startsWith('fail (on-resemblance)'));
    expect(reason).toMatch(
      /resembles? hf:known\/a@main beyond controls \((text decoder: )?r 0\.\d\d, z \d+\.\d over \d+ tensors; /,
    );
    expect(reason).toMatch(/; containment 0\.\d\d, norm\/bias vectors r \d\.\d\d over \d+\)/);
    expect(reason).toMatch(/cannot tell a derivative from a sibling .*a human must review/);
    // not also reported as "could not be aligned"
    expect(r.policy.reasons.some((x) => x.includes('(on-inconclusive)'))).toBe(false);
    const text = r.matches.find((x) => x.entry === 'hf:known/a@main')!.components.find((c) => c.kind === 'text')!;
    expect(text.verdict).toBe('inconclusive');
    expect(text.resemblance).toMatchObject({ finding: 'undecided' });
    expect(text.resemblance!.z).toBeGreaterThan(20);

    const warned = await check(m, 'nudged-gains-warn', 'version: 1\non-resemblance: warn\n');
    expect(warned.policy.result).toBe('warn');
    expect(warned.policy.reasons.some((x) => x.startsWith('warn (on-resemblance)'))).toBe(true);
  });

  it('shrunk further, gains made to look co-learned: independent as siblings, a warning by default', async () => {
    const m = shrink(A, { alpha: 0.45, beta: 0.9, gainRho: 0.5, seed: 54 });
    const r = await check(m, 'sibling-like');
    expect(r.verdict).toBe('independent');
    const text = r.matches.find((x) => x.entry === 'hf:known/a@main')!.components.find((c) => c.kind === 'text')!;
    expect(text.verdict).toBe('independent');
    expect(text.resemblance).toMatchObject({ finding: 'shared-init' });
    expect(text.evidence[0]!.detail).toMatch(/shared initialisation: both started from the same random weights/);
    expect(r.policy.result).toBe('warn');
    expect(r.policy.reasons.find((x) => x.startsWith('warn (shared-init)'))).toMatch(
      /judged independent of hf:known\/a@main as a sibling .*cannot exclude a derivative made to look like one/,
    );

    const strict = await check(m, 'sibling-like-fail', 'version: 1\nshared-init: fail\n');
    expect(strict.policy.result).toBe('fail');
    const lax = await check(m, 'sibling-like-pass', 'version: 1\nshared-init: pass\n');
    expect(lax.policy.result).toBe('pass');
  });
});

describe('policy keys', () => {
  it('on-resemblance and shared-init take pass, warn or fail', () => {
    const p = parsePolicy('version: 1\non-resemblance: warn\nshared-init: fail\n', 'p.yml');
    expect(p.onResemblance).toBe('warn');
    expect(p.sharedInit).toBe('fail');
    expect(() => parsePolicy('version: 1\non-resemblance: ignore\n', 'p.yml')).toThrow(/on-resemblance/);
    expect(() => parsePolicy('version: 1\nshared-init: true\n', 'p.yml')).toThrow(/shared-init.*pass, warn or fail/);
  });
});

const TRAINED = join(REAL, 'trained');
const HAVE_TRAINED = existsSync(join(TRAINED, 'pairs.json'));
if (!HAVE_TRAINED) console.warn(`${TRAINED} is absent: the real trained siblings are skipped`);

describe.skipIf(!HAVE_TRAINED)('the real siblings (one random initialisation, seed 1337) through the gate', () => {
  it('stay independent, every component judged shared initialisation, and warn by default', async () => {
    const reg = join(tmp.dir, 'siblings-registry');
    const a = await loadFingerprint(join(TRAINED, 'sibling_seed1337_order1'));
    await addEntry(reg, a, { id: 'local/sibling-order1', license: 'MIT', family: 'llama2c' });
    const [r] = await runCheck({
      models: [join(TRAINED, 'sibling_seed1337_order2')],
      registries: [reg],
      noBuiltin: true,
    });
    expect(r!.verdict).toBe('independent');
    // the embedding alone (r 0.79, one tensor) is judged with the rest of its hidden space
    for (const c of r!.matches[0]!.components) {
      expect(c.verdict).toBe('independent');
      expect(c.resemblance?.finding).toBe('shared-init');
    }
    expect(r!.policy.result).toBe('warn');
    expect(r!.policy.reasons.filter((x) => !x.startsWith('info'))).toEqual([
      expect.stringMatching(
        /^warn \(shared-init\): (embeddings, text decoder|text decoder, embeddings) are judged independent/,
      ),
    ]);
  });
});

describe('schedules are not trained vectors', () => {
  const idx = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
  const invFreq = (d: number) => Float32Array.from({ length: d / 2 }, (_, i) => 1 / 10000 ** ((2 * i) / d));
  it('recognises arithmetic and geometric sequences, whole or tiled, and not learned gains', () => {
    expect(isScheduleVector(idx(64), invFreq(128), 64)).toBe(true);
    expect(
      isScheduleVector(
        idx(96),
        Float32Array.from({ length: 96 }, (_, i) => 0.5 + 0.01 * i),
        96,
      ),
    ).toBe(true);
    const tiled = new Float32Array([...invFreq(128), ...invFreq(128)]);
    expect(isScheduleVector(idx(128), tiled, 128)).toBe(true);
    const slopes = Float32Array.from({ length: 64 }, (_, i) => 2 ** ((-8 * ((i % 16) + 1)) / 16));
    expect(isScheduleVector(idx(64), slopes, 64)).toBe(true);
    const rng = new Rng(5);
    const gains = Float32Array.from({ length: 256 }, () => 1 + 0.1 * rng.normal());
    expect(isScheduleVector(idx(256), gains, 256)).toBe(false);
  });
});
