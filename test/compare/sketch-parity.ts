/**
 * A sketch must not change a verdict. Every real pair and every generated case of `npm run eval`
 * is judged from full fingerprints and from sketches, under the product's layout (tensors up to
 * 2^18 elements on the grid, read whole by a sketch) and under a stress layout that samples every
 * tensor above K elements in runs, as a release-sized model's matrices are. The only allowed
 * difference: "identical" needs every byte's digest, so a sketch that did not read a tensor whole
 * calls an exact copy "derived" (still a copy found, never a weaker finding).
 *
 * The checks live here; sketch-parity*.test.ts split the cases into files so that vitest runs
 * them on every core (one file runs on one core).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/compare/index.js';
import type { Verdict } from '../../src/compare/types.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { SampleLayout } from '../../src/fingerprint/sample.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { GENERATED_CASES, type GeneratedCase, writeCase } from '../../src/synth/index.js';

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

/** A real pair (paths relative to realmodels/) with the verdicts its documented lineage accepts. */
export async function checkRealPair(a: string, b: string, accept: Verdict[]): Promise<void> {
  const product = await judge(a, b);
  // small models: a sketch reads every tensor whole, so it is the full fingerprint
  expect(product.sketch).toBe(product.full);
  expect(product.mixed).toBe(product.full);
  expect(accept).toContain(product.sketch);
  const stress = await judge(a, b, STRESS);
  expect(accept).toContain(stress.full);
  expect(sameFinding(stress.full, stress.sketch)).toBe(true);
  expect(sameFinding(stress.full, stress.mixed)).toBe(true);
}

async function checkGeneratedCase(c: GeneratedCase, dir: string): Promise<void> {
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
}

/** How many files the generated cases are split over (sketch-parity-generated-<part>.test.ts). */
export const GENERATED_PARTS = 2;

/**
 * Declares the parity tests of one part of the generated cases: case i belongs to part
 * i mod GENERATED_PARTS, so every case is in exactly one file and the heavy ones spread out.
 */
export function describeGeneratedPart(part: number): void {
  const cases = GENERATED_CASES.filter((_, i) => i % GENERATED_PARTS === part);
  const title = `generated cases of the evaluation (part ${part + 1} of ${GENERATED_PARTS})`;
  describe(`${title}: the same verdict from sketches as from full fingerprints`, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'wp-parity-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    it.each(cases.map((c) => [c.id, c] as const))('%s', (_, c) => checkGeneratedCase(c, dir));
  });
}
