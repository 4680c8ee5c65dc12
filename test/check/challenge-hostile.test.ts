/**
 * The challenge sample against an author who also changes the shapes: a copy of a real llama2.c
 * model whose matrices are stored reshaped ([R, C] → [2R, C/2], the same values in flat order) and
 * whose values at every coordinate the published fingerprint of THAT shape reads (grid, full rows,
 * Gram rows and columns, the first 256 values in flat order) are another model's. The published
 * comparison can only line the two up in flat order at those coordinates; the challenge must
 * either read both sides again at a private seed or say that it did not, and the policy decides.
 * And a Hub model whose author pushes other weights between the published read and the challenge:
 * the challenge must read the commit the published read saw.
 */
import { mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { renderCheckMarkdown } from '../../src/report/markdown.js';
import type { CheckResult } from '../../src/check/types.js';
import { alignedStructure, challengeable, MIN_RESHAPED_SHARE } from '../../src/check/challenge.js';
import { REWRITE_THRESHOLDS, sampleDiscrepancy, showsRewrite } from '../../src/compare/discrepancy.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { DEFAULT_SAMPLE_K, SECRET_RUNS_LAYOUT } from '../../src/fingerprint/sample.js';
import { decodeToFloat32, encodeFromFloat32, type EncodableDType } from '../../src/formats/dtypes.js';
import { openModel } from '../../src/formats/model.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';
import { addEntry } from '../../src/registry/index.js';
import { Rng } from '../../src/synth/random.js';
import { makeBase, textSpec, writeModelDir } from '../../src/synth/index.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE } from '../compare/helpers.js';
import { hubOpener } from '../../src/formats/hub.js';
import { startHubServer } from '../helpers/hub-server.js';
import { publishedCoordinates, writeSampleRewrite } from '../helpers/sample-rewrite.js';

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

const ORIGINAL = join(REAL, 'llama2c/EN10_babyllama_tok361');
const DONOR = join(REAL, 'llama2c/EN10_babyllama_tok105');

let tmp: string;
let registry: string;

async function floatTensors(dir: string) {
  const m = await openModel(dir);
  try {
    const out = new Map<string, { dtype: string; shape: number[]; values: Float32Array }>();
    for (const t of m.tensors)
      out.set(t.name, {
        dtype: t.dtype,
        shape: t.shape,
        values: decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength)),
      });
    return out;
  } finally {
    await m.close();
  }
}

/** [R, C] → [2R, C/2] for every matrix with an even row length; other tensors as they are. */
const reshaped = (shape: number[]) =>
  shape.length === 2 && shape[1]! % 2 === 0 ? [shape[0]! * 2, shape[1]! / 2] : shape;

/** The source's matrix shapes, either orientation (babyllama-361: 128, 64 and 352 by 128, the 361-token embedding). */
const SOURCE_SHAPES = new Set(['128x128', '64x128', '128x352', '128x361']);
const sorted = (shape: number[]) => [...shape].sort((a, b) => a - b).join('x');

/**
 * Reshaped so that no matrix keeps a shape the source has: [2R, C/2], or [4R, C/4] where that would
 * coincide (babyllama's [64, 128] keys and values: [128, 64] is its own shape transposed).
 */
const reshapedApart = (shape: number[]) => {
  const two = reshaped(shape);
  return shape.length === 2 && SOURCE_SHAPES.has(sorted(two)) ? [shape[0]! * 4, shape[1]! / 4] : two;
};

type Layout = 'reshape' | 'reshape-apart' | 'reshape-4' | 'transpose';

/** A matrix stored another way: reshaped (same flat order) or transposed (values moved). */
function relayout(layout: Layout, shape: number[], v: Float32Array): { shape: number[]; values: Float32Array } {
  if (layout === 'reshape-apart') return { shape: reshapedApart(shape), values: v };
  if (layout === 'reshape-4')
    return { shape: shape.length === 2 && shape[1]! % 4 === 0 ? [shape[0]! * 4, shape[1]! / 4] : shape, values: v };
  if (layout === 'reshape' || shape.length !== 2) return { shape: reshaped(shape), values: v };
  const [R, C] = shape as [number, number];
  const t = new Float32Array(v.length);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) t[c * R + r] = v[r * C + c]!;
  return { shape: [C, R], values: t };
}

/** Another model's weights, every matrix stored the same other way (no rewrite, no noise). */
async function writeReshaped(source: string, out: string, layout: Layout = 'reshape'): Promise<void> {
  const tensors: TensorToWrite[] = [];
  for (const [name, t] of await floatTensors(source)) {
    const dtype = t.dtype as EncodableDType;
    const m = relayout(layout, t.shape, t.values);
    tensors.push({ name, dtype, shape: m.shape, data: encodeFromFloat32(dtype, m.values) });
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'model.safetensors'), encodeSafetensors(tensors));
}

/** Independent weights with `source`'s tensor names, shapes and per-tensor mean and spread, and its config.json. */
async function writeRandomLike(source: string, out: string, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const tensors: TensorToWrite[] = [];
  for (const [name, t] of await floatTensors(source)) {
    let sum = 0;
    let ss = 0;
    for (const x of t.values) {
      sum += x;
      ss += x * x;
    }
    const mean = sum / t.values.length;
    const std = Math.sqrt(Math.max(1e-12, ss / t.values.length - mean * mean));
    const v = new Float32Array(t.values.length);
    for (let i = 0; i < v.length; i++) v[i] = mean + std * rng.normal();
    const dtype = t.dtype as EncodableDType;
    tensors.push({ name, dtype, shape: t.shape, data: encodeFromFloat32(dtype, v) });
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'model.safetensors'), encodeSafetensors(tensors));
  await copyFile(join(source, 'config.json'), join(out, 'config.json'));
}

async function writeReshapedRewrite(
  out: string,
  noise: number,
  seed: number,
  rewrite: boolean,
  layout: Layout = 'reshape',
  from: { source: string; donor: string } = { source: ORIGINAL, donor: DONOR },
): Promise<void> {
  const rng = new Rng(seed);
  const a = await floatTensors(from.source);
  const donor = await floatTensors(from.donor);
  const tensors: TensorToWrite[] = [];
  for (const [name, t] of a) {
    const noised = t.values.slice();
    let ss = 0;
    for (const x of noised) ss += x * x;
    const std = Math.sqrt(ss / Math.max(1, noised.length)) || 1e-3;
    for (let i = 0; i < noised.length; i++) noised[i] = noised[i]! + noise * std * rng.normal();
    const { shape, values: v } = relayout(layout, t.shape, noised);
    if (rewrite) {
      const d = relayout(layout, t.shape, donor.get(name)!.values).values;
      const coords = new Set(publishedCoordinates(name, shape));
      for (let i = 0; i < Math.min(256, v.length); i++) coords.add(i);
      for (const i of coords) v[i] = d[i % d.length]!;
    }
    tensors.push({
      name,
      dtype: t.dtype as EncodableDType,
      shape,
      data: encodeFromFloat32(t.dtype as EncodableDType, v),
    });
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'model.safetensors'), encodeSafetensors(tensors));
  await copyFile(join(from.source, 'config.json'), join(out, 'config.json')).catch(() => {});
}

beforeAll(async () => {
  if (!HAVE_REAL) return;
  tmp = await mkdtemp(join(tmpdir(), 'wp-challenge-hostile-'));
  registry = join(tmp, 'registry');
  await addEntry(registry, await loadFingerprint(ORIGINAL), { id: 'babyllama-361', license: 'MIT', family: 'llama2c' });
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function check(model: string, challenge: 'auto' | 'off' = 'auto'): Promise<CheckResult> {
  const [r] = await runCheck({ models: [model], registries: [registry], noBuiltin: true, challenge });
  return r!;
}

/** The honest null of the flat-order gap: published and private correlations estimate one quantity. */
async function gapsAtPrivateSeeds(model: string, seeds: number[]) {
  const how = (seed: number) => ({ mode: 'sample' as const, k: DEFAULT_SAMPLE_K, seed, layout: SECRET_RUNS_LAYOUT });
  const [pa, pb] = [await loadFingerprint(ORIGINAL), await loadFingerprint(model)];
  const out = [];
  for (const seed of seeds) {
    const d = sampleDiscrepancy(
      pa,
      pb,
      await loadFingerprint(ORIGINAL, how(seed)),
      await loadFingerprint(model, how(seed)),
    );
    out.push(d!);
  }
  return out;
}

describe.skipIf(!HAVE_REAL)('a reshaped copy whose published coordinates were rewritten', () => {
  it('published sample alone: independent, policy pass (the hole the challenge must close)', async () => {
    const dir = join(tmp, 'reshaped-rewritten');
    await writeReshapedRewrite(dir, 0.002, 2, true);
    const off = await check(dir, 'off');
    expect(off.verdict).toBe('independent');
    expect(off.policy.result).toBe('pass');
  });

  it('challenged: the flat-order gap shows the rewrite; derived, sample-rewritten first, policy fail', async () => {
    // The rewrite covers 56 % of each reshaped 64-column matrix (the Gram's 32 full columns are half
    // of them), so the private r is only ~0.45 and the median gap ~6–10: measured caught at 34 of 40
    // seeds. Eight fixed seeds keep the test reproducible; a release-sized matrix loses ~2 % to the
    // Gram columns and is caught far beyond the threshold.
    const caught: CheckResult[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const [r] = await runCheck({
        models: [join(tmp, 'reshaped-rewritten')],
        registries: [registry],
        noBuiltin: true,
        challengeSeed: seed * 7919,
      });
      const e = r!.challenge!.entries.find((x) => x.entry === 'babyllama-361')!;
      expect(e.status).toBe('challenged');
      expect(e.discrepancy!.pairs).toBeGreaterThanOrEqual(20);
      expect(Math.abs(e.discrepancy!.publishedR)).toBeLessThan(0.1);
      expect(e.discrepancy!.privateR).toBeGreaterThan(0.3);
      if (r!.verdict === 'derived') caught.push(r!);
    }
    expect(caught.length).toBeGreaterThanOrEqual(6);
    for (const r of caught) {
      expect(r.policy.result).toBe('fail');
      expect(r.policy.reasons[0]).toMatch(
        /^fail \(sample-rewritten\): the published sample coordinates were rewritten/,
      );
      const e = r.challenge!.entries.find((x) => x.entry === 'babyllama-361')!;
      expect(e).toMatchObject({ published: 'independent', verdict: 'derived' });
      expect(e.rewritten).toContain('text decoder');
      expect(e.discrepancy!.medianGap).toBeGreaterThan(REWRITE_THRESHOLDS.medianGap);
    }
  });

  it('honest reshaped weights (a fine-tune, the independent donor) show no gap at private seeds', async () => {
    const copy = join(tmp, 'reshaped');
    await writeReshapedRewrite(copy, 1, 1, false);
    const donor = join(tmp, 'donor-reshaped');
    await writeReshaped(DONOR, donor);
    for (const model of [copy, donor]) {
      for (const d of await gapsAtPrivateSeeds(model, [11, 12, 13])) {
        expect(d.overall.pairs).toBeGreaterThanOrEqual(30);
        expect(Math.abs(d.overall.medianGap), model).toBeLessThan(2);
        expect(showsRewrite(d.overall)).toBe(false);
      }
    }
  });
});

describe.skipIf(!HAVE_REAL)('a reshaped copy that keeps no shape of its source', () => {
  it('is challenged by element count: never passed on the published sample alone', async () => {
    const dir = join(tmp, 'reshaped-apart-rewritten');
    await writeReshapedRewrite(dir, 0.002, 2, true, 'reshape-apart');
    // no matrix shares a shape with the entry, every one an element count
    const structure = alignedStructure(await loadFingerprint(ORIGINAL), await loadFingerprint(dir));
    expect(structure).toMatchObject({ shape: 0, share: 1, coverage: 1 });
    expect(challengeable(structure)).toBe(true);
    const off = await check(dir, 'off');
    expect(off.verdict).toBe('independent');
    expect(off.policy.result).toBe('pass');
    // Before: neither challenged nor listed (candidates needed a shape in common), a policy pass.
    // Here the rewrite covers all of the ten [256, 32] keys and values (the Gram's 32 full columns
    // are all of them) and 56 % of the rest, so the median gap stays ~1 (measured 11 of 11 seeds);
    // the private comparison finds the resemblance the published one lacked (z ~40) and says so.
    for (let seed = 1; seed <= 3; seed++) {
      const [r] = await runCheck({
        models: [dir],
        registries: [registry],
        noBuiltin: true,
        challengeSeed: seed * 7919,
      });
      const e = r!.challenge!.entries.find((x) => x.entry === 'babyllama-361')!;
      expect(e.status).toBe('challenged');
      expect(e.discrepancy!.pairs).toBeGreaterThanOrEqual(30);
      expect(r!.policy.result).not.toBe('pass');
      expect(r!.policy.reasons.join('\n')).toMatch(
        /sample-rewritten|found by the challenge sample at a private seed, where the published sample found no/,
      );
    }
  });

  it('honest weights reshaped alike (the independent donor) are challenged and stay independent, pass', async () => {
    const donor = join(tmp, 'donor-reshaped-apart');
    await writeReshaped(DONOR, donor, 'reshape-apart');
    for (let seed = 1; seed <= 3; seed++) {
      const [r] = await runCheck({
        models: [donor],
        registries: [registry],
        noBuiltin: true,
        challengeSeed: seed * 7919,
      });
      const e = r!.challenge!.entries.find((x) => x.entry === 'babyllama-361')!;
      expect(e.status).toBe('challenged');
      expect(e).toMatchObject({ published: 'independent', private: 'independent', verdict: 'independent' });
      expect(Math.abs(e.discrepancy!.medianGap)).toBeLessThan(2);
      expect(r!.verdict).toBe('independent');
      expect(r!.policy.result).toBe('pass');
    }
  });

  it('element counts shared by a few matrices of either side are measured as such (below the candidate floor)', () => {
    const doc = (shapes: number[][]) =>
      ({
        sampling: { k: 4096, seed: 1 },
        tensors: shapes.map((shape, i) => ({ name: `t${i}`, shape, dtype: 'F32', sample: { n: 4 } })),
      }) as unknown as Parameters<typeof alignedStructure>[0];
    // one [64, 64] of a model whose other matrices match nothing: 4,096 of 4,096 + 2 × 100,000 parameters
    const s = alignedStructure(
      doc([[16, 256]]),
      doc([
        [64, 64],
        [100, 1000],
        [1000, 100],
      ]),
    );
    expect(s.shape).toBe(0);
    expect(s.share).toBeLessThan(MIN_RESHAPED_SHARE);
    expect(s.coverage).toBe(1);
    expect(challengeable(s)).toBe(false);
    // …nor a few of the entry's: every matrix of the model has a partner, 2 % of the entry's parameters do
    const t = alignedStructure(
      doc([
        [16, 256],
        [500, 400],
      ]),
      doc([[64, 64]]),
    );
    expect(t).toMatchObject({ shape: 0, share: 1 });
    expect(t.coverage).toBeLessThan(MIN_RESHAPED_SHARE);
    expect(challengeable(t)).toBe(false);
    // a copy stored reshaped keeps every element count both ways
    expect(
      challengeable(
        alignedStructure(
          doc([
            [16, 256],
            [500, 400],
          ]),
          doc([
            [64, 64],
            [2000, 100],
          ]),
        ),
      ),
    ).toBe(true);
  });
});

describe("a release-width copy reshaped [R, C] → [4R, C/4], its new shapes' public coordinates rewritten", () => {
  // 640 wide: the Gram's 32 full columns are a fifth of a 160-column matrix, not all of it as in a
  // 128-wide model reshaped alike (where the "copy" is mostly the donor's values)
  const spec = { text: textSpec({ hidden: 640, ffn: 1024, layers: 2, heads: 10, kvHeads: 5, vocab: 512 }) };
  let dir: string;
  let reg: string;
  let from: { source: string; donor: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-challenge-reshape4-'));
    from = {
      source: await writeModelDir(makeBase(spec, 41), join(dir, 'base')),
      donor: await writeModelDir(makeBase(spec, 42), join(dir, 'donor')),
    };
    reg = join(dir, 'registry');
    await addEntry(reg, await loadFingerprint(from.source), { id: 'base-640', license: 'MIT', family: 'synth' });
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('no shape in common: challenged by element count, the flat runs measure the gap: derived, a fail', async () => {
    const copy = join(dir, 'copy');
    await writeReshapedRewrite(copy, 0.002, 6, true, 'reshape-4', from);
    const structure = alignedStructure(await loadFingerprint(from.source), await loadFingerprint(copy));
    expect(structure).toMatchObject({ shape: 0, share: 1, coverage: 1 });
    const run = (model: string, challengeSeed?: number) =>
      runCheck({
        models: [model],
        registries: [reg],
        noBuiltin: true,
        ...(challengeSeed === undefined ? { challenge: 'off' as const } : { challengeSeed }),
      }).then((r) => r[0]!);
    // not rewritten, the published comparison finds the reshaped copy (flat order over the runs' rows
    // 0 and R-1, which line up across shapes of one element count)
    const plain = join(dir, 'plain');
    await writeReshapedRewrite(plain, 0.002, 6, false, 'reshape-4', from);
    expect((await run(plain)).verdict).toBe('derived');
    const off = await run(copy);
    expect(off.verdict).toBe('independent');
    expect(off.policy.result).toBe('pass');
    // Challenged by element count. The secret row runs pick rows per shape (never rows 0 and R-1), so
    // [R, C] and [4R, C/4] share next to none of them (before: no gap, inconclusive, a warn); the flat
    // runs (one per reshaped matrix, at a flat position drawn from the seed and the element count) hold
    // the same elements in both: there the copy is A (r ~0.8: the Gram's rewritten columns are a fifth
    // of each 160-column row), at its public coordinates it is not (r ~0)
    for (const seed of [5000, 5001, 5002]) {
      const r = await run(copy, seed);
      const e = r.challenge!.entries.find((x) => x.entry === 'base-640')!;
      expect(e).toMatchObject({ status: 'challenged', published: 'independent', verdict: 'derived' });
      expect(e.discrepancy!.pairs).toBeGreaterThanOrEqual(10);
      expect(Math.abs(e.discrepancy!.publishedR)).toBeLessThan(0.1);
      expect(e.discrepancy!.privateR).toBeGreaterThan(0.6);
      expect(e.discrepancy!.medianGap).toBeGreaterThan(REWRITE_THRESHOLDS.medianGap);
      expect(e.rewritten).toContain('text decoder');
      expect(r.verdict).toBe('derived');
      expect(r.policy.result).toBe('fail');
      expect(r.policy.reasons[0]).toMatch(
        /^fail \(sample-rewritten\): the published sample coordinates were rewritten/,
      );
    }
    const donor = join(dir, 'donor-reshaped');
    await writeReshaped(from.donor, donor, 'reshape-4');
    for (const seed of [5000, 5001, 5002]) {
      const r = await run(donor, seed);
      const e = r.challenge!.entries.find((x) => x.entry === 'base-640')!;
      // honest weights stored alike: the flat runs measure no gap (median −0.41, −0.13, 0.53 over 7, 8, 12
      // pairs at these seeds; the copy: 19.8, 19.6, 18.3 over 12–16); the private comparison does not use
      // them, and aligns too few values to decide at some seeds (inconclusive, a warn) and finds
      // independence at others: never derived, never a fail
      expect(e).toMatchObject({ status: 'challenged', published: 'independent' });
      expect(['independent', 'inconclusive']).toContain(e.private);
      expect(e.discrepancy!.pairs).toBeGreaterThanOrEqual(REWRITE_THRESHOLDS.minPairs);
      expect(Math.abs(e.discrepancy!.medianGap)).toBeLessThan(2);
      expect(e.rewritten).toBeUndefined();
      expect(['independent', 'inconclusive']).toContain(r.verdict);
      expect(r.policy.result).not.toBe('fail');
    }
  });

  it('transposed at release width: no gap is measured (open), the private shared-init resemblance warns', async () => {
    // [R, C] stored [C, R] (square ones transposed in place), its new shapes' public coordinates rewritten:
    // its flat order is another order, so the flat runs do not line up, and a row run of one is a
    // column of the other, which one range cannot read. Not caught as a rewrite; never a pass either
    const copy = join(dir, 'copy-transposed');
    await writeReshapedRewrite(copy, 0.002, 6, true, 'transpose', from);
    const [off] = await runCheck({ models: [copy], registries: [reg], noBuiltin: true, challenge: 'off' });
    expect(off!.policy.result).toBe('pass');
    for (const seed of [5000, 5001]) {
      const [r] = await runCheck({ models: [copy], registries: [reg], noBuiltin: true, challengeSeed: seed });
      const e = r!.challenge!.entries.find((x) => x.entry === 'base-640')!;
      // measured: median gap 0.35 and 0.20, private resemblance z 9.3 and 8.4 (shared-init)
      expect(e).toMatchObject({ status: 'challenged', privateResemblance: 'shared-init' });
      expect(e.discrepancy!.medianGap).toBeLessThan(REWRITE_THRESHOLDS.medianGap);
      expect(e.rewritten).toBeUndefined();
      expect(r!.policy.result).toBe('warn');
    }
  });

  it("the entry's flat runs capped (4 of its 12 reshaped matrices): each pairs with its copy, derived", async () => {
    const copy = join(dir, 'copy-capped');
    await writeReshapedRewrite(copy, 0.002, 6, true, 'reshape-4', from);
    const [r] = await runCheck({
      models: [copy],
      registries: [reg],
      noBuiltin: true,
      challengeSeed: 5000,
      challengeEntryFlatRuns: 4,
    });
    const e = r!.challenge!.entries.find((x) => x.entry === 'base-640')!;
    // the model's 12 matrices all hold flat runs, the entry's 4: one pair per run of the entry (without
    // that, the 8 matrices of B whose partner has none would pair with unrelated runs and hold the median)
    expect(e.discrepancy!.pairs).toBeLessThanOrEqual(4);
    expect(e.discrepancy!.pairs).toBeGreaterThanOrEqual(REWRITE_THRESHOLDS.minPairs);
    expect(e.discrepancy!.medianGap).toBeGreaterThan(REWRITE_THRESHOLDS.medianGap);
    expect(r!.verdict).toBe('derived');
    expect(r!.policy.result).toBe('fail');
  });
});

describe.skipIf(!HAVE_REAL)('a private resemblance the published sample lacked', () => {
  it('a reshaped rewritten copy with a gap under the threshold: the private shared-init finding decides', async () => {
    // seeds at which the median gap was under 5.6 (measured 6 of 40; before, each one a policy pass):
    // the private comparison finds a shared-initialisation resemblance (r ~0.27, z ~40), the
    // published one nothing
    const dir = join(tmp, 'reshaped-rewritten-again');
    await writeReshapedRewrite(dir, 0.002, 2, true);
    for (const seed of [14, 34, 37]) {
      const [r] = await runCheck({
        models: [dir],
        registries: [registry],
        noBuiltin: true,
        challengeSeed: seed * 7919,
      });
      const e = r!.challenge!.entries.find((x) => x.entry === 'babyllama-361')!;
      expect(e.status).toBe('challenged');
      expect(e.discrepancy!.medianGap).toBeLessThan(REWRITE_THRESHOLDS.medianGap);
      expect(e).toMatchObject({ published: 'independent', private: 'independent', privateResemblance: 'shared-init' });
      expect(renderCheckMarkdown([r!])).toMatch(/with a shared-init resemblance the published sample lacked/);
      expect(r!.policy.result).toBe('warn');
      const reason = r!.policy.reasons.find((x) => x.startsWith('warn (shared-init)'))!;
      expect(reason).toMatch(/judged independent of babyllama-361 as a sibling from the same random initialisation/);
      expect(reason).toMatch(
        /found by the challenge sample at a private seed, where the published sample found no resemblance/,
      );
      const match = r!.matches!.find((m) => m.entry === 'babyllama-361')!;
      const decoder = match.components.find((c) => c.name === 'text decoder')!;
      expect(decoder.resemblance).toMatchObject({ finding: 'shared-init', private_seed: true });
      expect(decoder.evidence[0]).toMatchObject({ kind: 'challenge' });
      expect(decoder.evidence[0]!.detail).toMatch(
        /^private challenge sample .* where the published sample found no resemblance$/,
      );
    }
  });
});

describe.skipIf(!HAVE_REAL)('a copy whose config.json claims another family', () => {
  it("cannot rank the claimed family's entries above its real source: the source is challenged, derived", async () => {
    // the entries of the claimed family: independent weights of babyllama-105's shapes and config
    const reg = join(tmp, 'registry-claimed');
    await addEntry(reg, await loadFingerprint(ORIGINAL), { id: 'babyllama-361', license: 'MIT', family: 'llama2c' });
    for (let i = 0; i < 4; i++) {
      const dir = join(tmp, `claimed-${i}`);
      await writeRandomLike(DONOR, dir, 100 + i);
      await addEntry(reg, await loadFingerprint(dir), { id: `claimed-${i}`, license: 'MIT', family: 'claimed' });
    }
    const copy = join(tmp, 'copy-claiming');
    await writeSampleRewrite({ source: ORIGINAL, donor: DONOR, out: copy, noise: 0.002, seed: 3 });
    await copyFile(join(DONOR, 'config.json'), join(copy, 'config.json'));
    const [r] = await runCheck({ models: [copy], registries: [reg], noBuiltin: true, challengeSeed: 5000 });
    const entries = r!.challenge!.entries;
    // the claimed config matches the four decoys', not the source's: before, they ranked first and
    // babyllama-361 was 'over-limit' (on-unchallenged: warn, a neutral check)
    expect(r!.matches!.find((m) => m.entry === 'claimed-0')).toBeDefined();
    expect(entries[0]).toMatchObject({ entry: 'babyllama-361', status: 'challenged', verdict: 'derived' });
    expect(entries.filter((e) => e.status === 'over-limit')).toHaveLength(1);
    expect(r!.verdict).toBe('derived');
    expect(r!.policy.result).toBe('fail');
    expect(r!.policy.reasons[0]).toMatch(/^fail \(sample-rewritten\)/);
  });
});

describe.skipIf(!HAVE_REAL)('a transposed copy whose published coordinates were rewritten', () => {
  it('passes the published sample alone; challenged, the transposed pairs show the rewrite', async () => {
    const dir = join(tmp, 'transposed-rewritten');
    await writeReshapedRewrite(dir, 0.002, 3, true, 'transpose');
    const off = await check(dir, 'off');
    expect(off.verdict).toBe('independent');
    expect(off.policy.result).toBe('pass');
    // the private comparison aligns the transposed matrices (z ~45) but reads the 56 %-rewritten copy as
    // a sibling; only the gap names the rewrite (measured 6 of 6 seeds, median gap far past 5.6)
    for (let seed = 1; seed <= 4; seed++) {
      const [r] = await runCheck({
        models: [dir],
        registries: [registry],
        noBuiltin: true,
        challengeSeed: seed * 7919,
      });
      expect(r!.verdict).toBe('derived');
      expect(r!.policy.result).toBe('fail');
      expect(r!.policy.reasons[0]).toMatch(/^fail \(sample-rewritten\)/);
      const e = r!.challenge!.entries.find((x) => x.entry === 'babyllama-361')!;
      expect(e.discrepancy!.medianGap).toBeGreaterThan(REWRITE_THRESHOLDS.medianGap);
    }
  });

  it('honest transposed weights (a fine-tune, the independent donor) show no gap at private seeds', async () => {
    const tuned = join(tmp, 'transposed-tuned');
    await writeReshapedRewrite(tuned, 1, 4, false, 'transpose');
    const donor = join(tmp, 'donor-transposed');
    await writeReshaped(DONOR, donor, 'transpose');
    for (const model of [tuned, donor]) {
      for (const d of await gapsAtPrivateSeeds(model, [21, 22, 23])) {
        expect(d.overall.pairs).toBeGreaterThanOrEqual(30);
        expect(Math.abs(d.overall.medianGap), model).toBeLessThan(2);
        expect(showsRewrite(d.overall)).toBe(false);
      }
    }
  });
});

describe.skipIf(!HAVE_REAL)('a Hub model that changes between the published read and the challenge', () => {
  it('the challenge reads the commit the published read saw: a push in between fails closed, not a pass', async () => {
    const copy = join(tmp, 'hub-copy');
    await writeSampleRewrite({ source: ORIGINAL, donor: DONOR, out: copy, noise: 0.002, seed: 5 });
    const hub = await startHubServer({
      repos: [
        {
          id: 'author/release',
          files: {
            'model.safetensors': new Uint8Array(readFileSync(join(copy, 'model.safetensors'))),
            'config.json': readFileSync(join(ORIGINAL, 'config.json'), 'utf8'),
          },
        },
      ],
    });
    try {
      const hubOpts = { hub: hubOpener({ hubUrl: hub.url, http: { backoffMs: 1, maxBackoffMs: 4 } }) };
      const run = (swap: boolean) =>
        runCheck({
          models: ['hf:author/release'],
          registries: [registry],
          noBuiltin: true,
          // a fixed private seed: the test is about which commit is read, not about the seed
          challengeSeed: 5000,
          ...hubOpts,
          onProgress: (line) => {
            // the author pushes unrelated weights the moment the challenge starts reading again
            if (swap && /challenge 1: reading babyllama-361 again/.test(line))
              hub.replaceFile('author/release', 'model.safetensors', readFileSync(join(DONOR, 'model.safetensors')), {
                newCommit: true,
              });
          },
        });
      // untouched: the rewrite is caught at the private seed
      const [honestRun] = await run(false);
      expect(honestRun!.verdict).toBe('derived');
      expect(honestRun!.policy.result).toBe('fail');
      // pushed in between: the challenge asks for the first read's commit, which is gone: a failed challenge
      const [r] = await run(true);
      expect(r!.policy.result).toBe('fail');
      const e = r!.challenge!.entries.find((x) => x.entry === 'babyllama-361')!;
      expect(e.status).toBe('failed');
      expect(e.why).toMatch(/could not read the model under test again/);
      expect(e.why).toMatch(/hf:author\/release@[0-9a-f]{40}: repository or revision not found/);
      expect(r!.registry!.errors.map((x) => x.entry)).toContain('babyllama-361');
    } finally {
      await hub.close();
    }
  });
});
