/**
 * The secret runs' flat run (fingerprint/sample.ts flatRun): for element counts the challenge names,
 * a large tensor's private document also holds ⌈K/2⌉ contiguous values in flat order at a start drawn
 * from the seed and the element count, so a copy stored in another shape holds the same elements.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import { DEFAULT_SAMPLE_K, SECRET_RUNS_LAYOUT, decodeQ, flatRun, flatRunAt } from '../../src/fingerprint/sample.js';
import type { TensorFingerprint } from '../../src/fingerprint/types.js';
import { openModel } from '../../src/formats/model.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { Rng } from '../../src/synth/random.js';
import { quantizeGgml } from '../../src/synth/ggml-quantize.js';
import { encodeGguf } from '../../src/synth/gguf-writer.js';

const R = 640;
const C = 640;
const N = R * C; // 409,600: above the runs threshold (2^18)
const SEED = 0x0bad_5eed;

describe('flat runs of the secret runs layout', () => {
  let dir: string;
  const values = new Float32Array(N);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weightprint-flat-run-'));
    const rng = new Rng(7);
    for (let i = 0; i < N; i++) values[i] = rng.normal();
    const data = new Uint8Array(values.buffer.slice(0));
    const tensors = [
      { name: 'model.layers.0.self_attn.o_proj.weight', dtype: 'F32' as const, shape: [R, C], data },
      // the same values stored reshaped [4R, C/4] and flattened
      { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'F32' as const, shape: [4 * R, C / 4], data },
      { name: 'model.layers.1.self_attn.q_proj.weight', dtype: 'F32' as const, shape: [N], data },
      // another element count: no flat run
      {
        name: 'model.layers.1.mlp.up_proj.weight',
        dtype: 'F32' as const,
        shape: [R, 1024],
        data: new Uint8Array(4 * R * 1024),
      },
    ];
    await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(tensors, { format: 'pt' }));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('depends on the element count and seed only, lies past the public first values, moves with the seed', () => {
    const layout = { ...SECRET_RUNS_LAYOUT, flatCounts: [N] };
    const at = flatRun('w', [R, C], DEFAULT_SAMPLE_K, SEED, layout)!;
    expect(at).toEqual(flatRunAt(N, DEFAULT_SAMPLE_K, SEED));
    expect(flatRun('w', [4 * R, C / 4], DEFAULT_SAMPLE_K, SEED, layout)).toEqual(at);
    expect(flatRun('w', [N], DEFAULT_SAMPLE_K, SEED, layout)).toEqual(at);
    expect(at.length).toBe(2048);
    expect(at.start).toBeGreaterThanOrEqual(1366);
    expect(at.start + at.length).toBeLessThanOrEqual(N);
    // not named, or not the secret layout, or small: none
    expect(flatRun('w', [R, C], DEFAULT_SAMPLE_K, SEED, SECRET_RUNS_LAYOUT)).toBeUndefined();
    expect(
      flatRun('w', [R, C], DEFAULT_SAMPLE_K, SEED, { kind: 'runs', runsAbove: 2 ** 18, flatCounts: [N] }),
    ).toBeUndefined();
    expect(flatRun('w', [256, 1024], DEFAULT_SAMPLE_K, SEED, { ...layout, flatCounts: [256 * 1024] })).toBeUndefined();
    // a registry entry's read: only the named tensors
    expect(flatRun('w', [R, C], DEFAULT_SAMPLE_K, SEED, { ...layout, flatNames: ['w'] })).toEqual(at);
    expect(flatRun('v', [R, C], DEFAULT_SAMPLE_K, SEED, { ...layout, flatNames: ['w'] })).toBeUndefined();
    const starts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => flatRunAt(N, DEFAULT_SAMPLE_K, s).start));
    expect(starts.size).toBe(8);
    // element counts beyond 2^32 (a 70B-class embedding is 2^30; hostile headers more) stay in range
    const big = flatRunAt(2 ** 40 + 3, DEFAULT_SAMPLE_K, SEED);
    expect(big.start + big.length).toBeLessThanOrEqual(2 ** 40 + 3);
  });

  it('a sketch and a full pass hold the tensor values there, the same in every shape of the count', async () => {
    const model = await openModel(join(dir, 'model.safetensors'));
    const layout = { ...SECRET_RUNS_LAYOUT, flatCounts: [N] };
    const full = await fingerprintModel(model, { mode: 'full', seed: SEED, layout });
    const sketch = await fingerprintModel(model, { mode: 'sample', seed: SEED, layout });
    const plain = await fingerprintModel(model, { mode: 'sample', seed: SEED, layout: SECRET_RUNS_LAYOUT });
    await model.close();
    const { start, length } = flatRunAt(N, DEFAULT_SAMPLE_K, SEED);
    const dequant = (t: TensorFingerprint) =>
      Array.from(decodeQ(t.flatRun!.q), (q) => q * t.flatRun!.scale + t.flatRun!.center);
    for (const doc of [full, sketch]) {
      const runs = doc.tensors.filter((t) => t.shape.reduce((a, b) => a * b, 1) === N);
      expect(runs).toHaveLength(3);
      for (const t of runs) {
        expect(t.flatRun).toEqual(runs[0]!.flatRun);
        const got = dequant(t);
        expect(got).toHaveLength(length);
        // int8 on the run's own scale: within half a step of the stored value
        for (let i = 0; i < length; i++)
          expect(Math.abs(got[i]! - values[start + i]!)).toBeLessThan(0.6 * t.flatRun!.scale);
      }
      expect(doc.tensors.find((t) => t.name.includes('up_proj'))!.flatRun).toBeUndefined();
    }
    for (const [i, t] of sketch.tensors.entries()) expect(t.flatRun).toEqual(full.tensors[i]!.flatRun);
    // without flat counts the private document is as before
    expect(plain.tensors.every((t) => t.flatRun === undefined)).toBe(true);
    for (const [i, t] of plain.tensors.entries()) expect(t.sample).toEqual(sketch.tensors[i]!.sample);
  });
});

describe('flat runs of a quantised (GGUF) tensor', () => {
  let dir: string;
  const values = new Float32Array(N);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weightprint-flat-run-gguf-'));
    const rng = new Rng(8);
    for (let i = 0; i < N; i++) values[i] = rng.normal();
    const data = quantizeGgml('Q8_0', values);
    // ggml order: ne[0] is the row length; the same blocks as [R, C] and as [4R, C/4]
    const bytes = encodeGguf(
      [['general.architecture', { type: 'string', value: 'llama' }]],
      [
        { name: 'blk.0.ffn_down.weight', ne: [C, R], type: 'Q8_0', data },
        { name: 'blk.1.ffn_down.weight', ne: [C / 4, 4 * R], type: 'Q8_0', data },
      ],
    );
    await writeFile(join(dir, 'model.gguf'), bytes);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a sketch decodes the same run as a full pass, in both shapes, close to the values', async () => {
    const model = await openModel(join(dir, 'model.gguf'));
    const layout = { ...SECRET_RUNS_LAYOUT, flatCounts: [N] };
    const full = await fingerprintModel(model, { mode: 'full', seed: SEED, layout });
    const sketch = await fingerprintModel(model, { mode: 'sample', seed: SEED, layout });
    await model.close();
    const { start, length } = flatRunAt(N, DEFAULT_SAMPLE_K, SEED);
    for (const doc of [full, sketch]) {
      expect(doc.tensors).toHaveLength(2);
      const [a, b] = doc.tensors as [TensorFingerprint, TensorFingerprint];
      expect(a.encoding).toBeDefined();
      expect(a.flatRun).toEqual(b.flatRun);
      const q = decodeQ(a.flatRun!.q);
      expect(q).toHaveLength(length);
      // Q8_0 then int8 on the run's scale: within a few hundredths of a unit-variance value
      for (let i = 0; i < length; i++)
        expect(Math.abs(q[i]! * a.flatRun!.scale + a.flatRun!.center - values[start + i]!)).toBeLessThan(0.05);
    }
    for (const [i, t] of sketch.tensors.entries()) expect(t.flatRun).toEqual(full.tensors[i]!.flatRun);
  });
});
