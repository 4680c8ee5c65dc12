/**
 * A rotation export (QuaRot, SpinQuant: norm gains folded, residual stream multiplied by an
 * orthogonal Q) moves every value of every matrix. Full fingerprints find it by the Gram of full
 * rows and columns; a sketch of release-sized matrices holds row runs and no Gram, so it cannot
 * test it. Such a copy must not come out `independent` from sketches when its token rows keep A's
 * geometry (the one rotation-invariant statistic a sketch holds), while a rotated unrelated model
 * stays independent and the untested reading is listed either way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/compare/index.js';
import { ROTATION_GEOMETRY_R } from '../../src/compare/engine.js';
import type { CompareResult } from '../../src/compare/types.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { SampleLayout } from '../../src/fingerprint/sample.js';
import { flipSigns, rescaleUnits, rotateResidual } from '../../src/synth/disguise.js';
import { fineTune, makeBase, permuteHidden, textSpec, writeModelDir, type SynthModel } from '../../src/synth/index.js';

/** Every matrix of these small models is sampled in row runs, as a release's are above 2^18 values. */
const STRESS: SampleLayout = { kind: 'runs', runsAbove: 4096 };
const TEXT = textSpec({ hidden: 128, ffn: 352, layers: 4, heads: 8, kvHeads: 4, vocab: 512 });

const rotated = (m: SynthModel, seed: number): SynthModel => ({
  ...m,
  tensors: rotateResidual(m.tensors, TEXT, { kind: 'orthogonal', seed }),
});

let tmp: string;
const paths: Record<string, string> = {};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wp-sketch-rotation-'));
  const a = makeBase({ text: TEXT }, 31, { id: 'synth/rot-a' });
  const other = makeBase({ text: TEXT }, 32, { id: 'synth/rot-x' });
  paths.a = await writeModelDir(a, join(tmp, 'a'));
  paths.copy = await writeModelDir(rotated(fineTune(a, 0.1, 33), 34), join(tmp, 'copy'));
  paths.other = await writeModelDir(rotated(other, 35), join(tmp, 'other'));
  // the adversary's `all`: FFN units and heads permuted, signs flipped, units rescaled, then rotated
  const stacked = (m: SynthModel, seed: number): SynthModel => {
    const p = permuteHidden(m, seed, { ffn: true, heads: true });
    const t = rescaleUnits(flipSigns(p.tensors, TEXT, { seed: seed + 1 }), TEXT, { seed: seed + 2 });
    return rotated({ ...p, tensors: t }, seed + 3);
  };
  paths.stacked = await writeModelDir(stacked(fineTune(a, 0.05, 36), 37), join(tmp, 'stacked'));
  paths.otherStacked = await writeModelDir(stacked(other, 41), join(tmp, 'other-stacked'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function compare(b: string, mode: 'full' | 'sample'): Promise<CompareResult> {
  const load = (p: string) => loadFingerprint(p, { mode, layout: STRESS });
  return compareModels(await load(paths.a!), await load(b));
}

const rotationLine = (r: CompareResult) => r.not_compared.find((n) => /^rotated copies of/.test(n.what));

describe('a rotation export of a model whose matrices a sketch samples in runs', () => {
  it('is inconclusive from sketches, never independent, with the token geometry and the remedy', async () => {
    const r = await compare(paths.copy!, 'sample');
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toMatch(/keep A.s geometry .* r 0\.9\d{3}/);
    expect(r.reason).toMatch(/--full/);
    const g = Number(/r (0\.\d{4})/.exec(r.reason)![1]);
    expect(g).toBeGreaterThanOrEqual(ROTATION_GEOMETRY_R);
    expect(rotationLine(r)?.why).toMatch(/QuaRot, SpinQuant/);
  });

  it('is derived from full fingerprints (Gram of full rows), with no sketch line', async () => {
    const r = await compare(paths.copy!, 'full');
    expect(r.verdict).toBe('derived');
    expect(rotationLine(r)).toBeUndefined();
  });

  it('leaves a rotated unrelated model independent in a sketch, with the untested reading listed', async () => {
    const r = await compare(paths.other!, 'sample');
    expect(r.verdict).toBe('independent');
    expect(rotationLine(r)).toBeDefined();
    const full = await compare(paths.other!, 'full');
    expect(full.verdict).toBe('independent');
  });
});

describe('a copy disguised on both axes of its matrices (units permuted and rescaled, then rotated)', () => {
  it('is inconclusive from full fingerprints too, never independent, saying why', async () => {
    const r = await compare(paths.stacked!, 'full');
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toMatch(/keep A.s geometry .* disguised on both axes/);
  });

  it('leaves an unrelated model disguised the same way independent', async () => {
    expect((await compare(paths.otherStacked!, 'full')).verdict).toBe('independent');
  });
});
