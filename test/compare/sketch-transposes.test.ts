/**
 * A sketch samples large matrices in row runs, which a transposed copy does not share. A matrix of
 * B that A has only transposed therefore cannot be aligned from sketches: its component and the
 * model must come out inconclusive with the remedy (--full), never independent. Full fingerprints
 * on both sides do align it (Gram of full rows and columns), so the remedy is true.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/compare/index.js';
import type { CompareResult } from '../../src/compare/types.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { SampleLayout } from '../../src/fingerprint/sample.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { Rng } from '../../src/synth/random.js';

/**
 * Runs above 4096 elements and K = 512: both orientations of these [256, 512] matrices are sampled
 * as three row runs of 171 columns, as a release's matrices are at K = 4096 (narrow matrices get
 * more rows, and their transposes share enough coordinates to be aligned even in a sketch).
 */
const STRESS: SampleLayout = { kind: 'runs', runsAbove: 4096 };
const K = 512;
const LAYERS = 6;
const R = 256;
const C = 512;

type Matrices = Float32Array[];

function randomMatrices(seed: number): Matrices {
  const rng = new Rng(seed);
  return Array.from({ length: LAYERS }, () => rng.fillNormal(new Float32Array(R * C), 0, 0.02));
}

function transposed(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j]!;
  return out;
}

/** B's own attention keys: same orientation as A's, the larger share of the parameters. */
const KEYS = 384;

async function writeModel(dir: string, matrices: Matrices, shape: [number, number], keySeed: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(7);
  const keys = new Rng(keySeed);
  const tensors = matrices.flatMap((m, i) => [
    {
      name: `model.layers.${i}.self_attn.k_proj.weight`,
      dtype: 'F32',
      shape: [KEYS, C],
      data: new Uint8Array(keys.fillNormal(new Float32Array(KEYS * C), 0, 0.02).buffer),
    },
    {
      name: `model.layers.${i}.mlp.up_proj.weight`,
      dtype: 'F32',
      shape,
      data: new Uint8Array(m.buffer.slice(0)),
    },
    {
      // norm gains of B's own: nothing outside the matrices ties B to A
      name: `model.layers.${i}.post_attention_layernorm.weight`,
      dtype: 'F32',
      shape: [C],
      data: new Uint8Array(rng.fillNormal(new Float32Array(C), 1, 0.05).buffer),
    },
  ]);
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(tensors));
  return dir;
}

let tmp: string;
let a: string;
let ownTransposed: string;
let copyTransposed: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wp-sketch-transposes-'));
  const A = randomMatrices(1);
  a = await writeModel(join(tmp, 'a'), A, [R, C], 11);
  // an unrelated model stored in the transposed layout ([in, out], as TF/JAX exports store it)
  ownTransposed = await writeModel(join(tmp, 'own'), randomMatrices(2), [C, R], 12);
  // A's matrices transposed, with 20 % noise so that no digest matches
  const noise = randomMatrices(3);
  const copy = A.map((m, i) => {
    const t = transposed(m, R, C);
    const n = noise[i]!;
    for (let j = 0; j < t.length; j++) t[j] = t[j]! + 0.2 * n[j]!;
    return t;
  });
  copyTransposed = await writeModel(join(tmp, 'copy'), copy, [C, R], 13);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function compare(b: string, mode: 'full' | 'sample'): Promise<CompareResult> {
  const load = (p: string) => loadFingerprint(p, { mode, layout: STRESS, k: K });
  return compareModels(await load(a), await load(b));
}

function fullAlignsLine(r: CompareResult): string | undefined {
  return r.not_compared.find((n) => /only transposed/.test(n.what) && /--full aligns them/.test(n.why))?.why;
}

describe('a large matrix whose only partner in A is transposed', () => {
  // the keys (60 % of the parameters) are aligned and unrelated: without the rule this would be
  // `independent`, with the transposed matrices never looked at
  it('is inconclusive from sketches, with a line saying --full aligns it (an unrelated model)', async () => {
    const r = await compare(ownTransposed, 'sample');
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toMatch(/could not be aligned in a sketch.*--full aligns them/);
    for (const c of r.components) expect(c.verdict).not.toBe('independent');
    expect(fullAlignsLine(r)).toBeDefined();
  });

  it('is inconclusive from sketches for a transposed noisy copy too, never independent', async () => {
    const r = await compare(copyTransposed, 'sample');
    expect(r.verdict).toBe('inconclusive');
    expect(fullAlignsLine(r)).toBeDefined();
  });

  it('is aligned by full fingerprints: the transposed copy is derived, and no sketch line is printed', async () => {
    const copy = await compare(copyTransposed, 'full');
    expect(copy.verdict).toBe('derived');
    expect(fullAlignsLine(copy)).toBeUndefined();
    const own = await compare(ownTransposed, 'full');
    expect(own.verdict).toBe('independent');
    expect(own.reason).not.toMatch(/in a sketch/);
  });
});
