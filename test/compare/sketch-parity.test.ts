/**
 * A sketch must not change a verdict. Every real pair and every generated case of `npm run eval`
 * is judged from full fingerprints and from sketches, under the product's layout (tensors up to
 * 2^18 elements on the grid, read whole by a sketch) and under a stress layout that samples every
 * tensor above K elements in runs, as a release-sized model's matrices are. The only allowed
 * difference: "identical" needs every byte's digest, so a sketch that did not read a tensor whole
 * calls an exact copy "derived" (still a copy found, never a weaker finding).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/compare/index.js';
import type { Verdict } from '../../src/compare/types.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { SampleLayout } from '../../src/fingerprint/sample.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { GENERATED_CASES, writeCase } from '../../src/synth/index.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE } from './helpers.js';

/** Runs for every tensor above K = 4096 elements: all matrices of these small models. */
const STRESS: SampleLayout = { kind: 'runs', runsAbove: 4096 };

interface Judged {
  full: Verdict;
  sketch: Verdict;
  /** A full fingerprint against a sketch (a local model against a registry entry built from the Hub). */
  mixed: Verdict;
  /** Tensors of B the sketch knows from its sample only (not read whole). */
  sampledOnly: number;
  /** Elements of B's largest tensor. */
  largest: number;
}

async function judge(a: string, b: string, layout?: SampleLayout): Promise<Judged> {
  const load = (p: string, mode: 'full' | 'sample') => loadFingerprint(p, { mode, ...(layout ? { layout } : {}) });
  const [fa, fb, sa, sb]: FingerprintDocument[] = [
    await load(a, 'full'),
    await load(b, 'full'),
    await load(a, 'sample'),
    await load(b, 'sample'),
  ];
  return {
    full: compareModels(fa, fb).verdict,
    sketch: compareModels(sa, sb).verdict,
    mixed: compareModels(fa, sb).verdict,
    sampledOnly: sb.tensors.filter((t) => t.sample && !t.sha256).length,
    largest: Math.max(...fb.tensors.map((t) => t.shape.reduce((x, y) => x * y, 1))),
  };
}

/** The sketch's verdict is the full one, or "derived" for an exact copy it could not digest. */
function sameFinding(full: Verdict, other: Verdict): boolean {
  return other === full || (full === 'identical' && other === 'derived');
}

interface Pair {
  a: string;
  b: string;
  accept: Verdict[];
}
/** pairs.json, and the trained siblings (trained/pairs.json, paths relative to realmodels/) as eval reads them. */
const TRAINED = join(REAL, 'trained', 'pairs.json');
const pairs: Pair[] = HAVE_REAL
  ? [
      ...JSON.parse(readFileSync(join(REAL, 'pairs.json'), 'utf8')).pairs,
      ...(existsSync(TRAINED) ? JSON.parse(readFileSync(TRAINED, 'utf8')).pairs : []),
    ]
  : [];
if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

describe.skipIf(!HAVE_REAL)('real pairs: the same verdict from sketches as from full fingerprints', () => {
  it.each(pairs.map((p) => [`${p.a} → ${p.b}`, p] as const))('%s', async (_, p) => {
    const product = await judge(join(REAL, p.a), join(REAL, p.b));
    // small models: a sketch reads every tensor whole, so it is the full fingerprint
    expect(product.sketch).toBe(product.full);
    expect(product.mixed).toBe(product.full);
    expect(p.accept).toContain(product.sketch);
    const stress = await judge(join(REAL, p.a), join(REAL, p.b), STRESS);
    expect(p.accept).toContain(stress.full);
    expect(sameFinding(stress.full, stress.sketch)).toBe(true);
    expect(sameFinding(stress.full, stress.mixed)).toBe(true);
  });
});

describe('generated cases of the evaluation: the same verdict from sketches as from full fingerprints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-parity-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(GENERATED_CASES.map((c) => [c.id, c] as const))('%s', async (_, c) => {
    const { a, b } = await writeCase(c, join(dir, c.id));
    const product = await judge(a, b);
    expect(product.sketch).toBe(product.full);
    expect(product.mixed).toBe(product.full);
    const stress = await judge(a, b, STRESS);
    // the stress layout really samples: its matrices are known from their sample only
    expect(stress.sampledOnly).toBeGreaterThan(0);
    // the product layout reads tensors up to 2^18 elements whole and samples larger ones (the wide cases)
    expect(product.sampledOnly > 0).toBe(product.largest > 2 ** 18);
    expect(sameFinding(stress.full, stress.sketch)).toBe(true);
    expect(sameFinding(stress.full, stress.mixed)).toBe(true);
    // the stretch cases that align permuted hidden dimensions through full embedding rows (or
    // patch-embedding columns) still pass from sketches
    if (c.stretch || !c.accept.includes('identical')) expect(c.accept).toContain(stress.sketch);
    await rm(join(dir, c.id), { recursive: true, force: true });
  });
});
