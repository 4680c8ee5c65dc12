import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { TensorAccumulator, wantsFullCols, wantsFullRows } from '../../src/fingerprint/accumulate.js';
import { kernels } from '../../src/fingerprint/kernels.js';
import { GRID_LAYOUT, RUNS_LAYOUT, type SampleLayout } from '../../src/fingerprint/sample.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';

/**
 * Fingerprints must not change meaning when the code computing them gets faster: every digest,
 * moment, sample, head, full row/column and Gram of a fixed generated model is pinned here by the
 * SHA-256 of its JSON. The *_BEFORE_CHANNELS pins were computed before the accumulator's
 * WebAssembly Gram kernels landed and cover everything but the later `channels` field (cf230dd);
 * the full pins include it. A different value means registry entries written before would no
 * longer match: a schema change.
 */

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian weights with the awkward cases mixed in: NaN, ±Inf, −0, subnormals, zeros, repeats. */
function values(n: number, seed: number, std = 0.02): Float32Array {
  const r = rng(seed);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.0005) v[i] = Number.NaN;
    else if (u < 0.001) v[i] = u < 0.00075 ? Infinity : -Infinity;
    else if (u < 0.005) v[i] = -0;
    else if (u < 0.01) v[i] = 0;
    else if (u < 0.015) v[i] = 1e-41;
    else if (u < 0.05 && i > 0) v[i] = v[i - 1]!;
    else v[i] = std * Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  }
  return v;
}

const TENSORS: Array<{ name: string; dtype: 'BF16' | 'F16' | 'F32' | 'F64' | 'F8_E4M3'; shape: number[] }> = [
  { name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [1200, 64] },
  { name: 'model.layers.0.mlp.up_proj.weight', dtype: 'BF16', shape: [640, 520] },
  { name: 'model.layers.0.mlp.down_proj.weight', dtype: 'F16', shape: [96, 3000] },
  { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'F32', shape: [300, 1100] },
  { name: 'model.layers.0.self_attn.k_proj.weight', dtype: 'F32', shape: [40, 36] },
  { name: 'model.layers.0.self_attn.v_proj.weight', dtype: 'F64', shape: [48, 50] },
  { name: 'model.layers.0.input_layernorm.weight', dtype: 'BF16', shape: [520] },
  { name: 'vision.patch_embed.proj.weight', dtype: 'F32', shape: [64, 3, 8, 8] },
  { name: 'model.layers.1.mlp.gate_proj.weight', dtype: 'F8_E4M3', shape: [700, 500] },
  { name: 'lm_head.weight', dtype: 'BF16', shape: [2000, 33] },
];

function fingerprints(layout: SampleLayout, chunk: number, inPlace = false) {
  const k = kernels();
  return TENSORS.map((t, i) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const bytes = encodeFromFloat32(t.dtype, values(n, 100 + i, i === 5 ? 1 : 0.02));
    const acc = new TensorAccumulator(t.name, t.dtype, t.shape, bytes.byteLength, {
      k: 1024,
      seed: 11,
      layout,
      fullRows: wantsFullRows(t.name, t.shape),
      fullCols: wantsFullCols(t.name, t.shape),
    });
    for (let o = 0; o < bytes.length; o += chunk) {
      const part = bytes.subarray(o, Math.min(bytes.length, o + chunk));
      if (inPlace && k && part.length <= k.input.length) {
        const view = k.input.subarray(0, part.length);
        view.set(part);
        acc.update(view);
      } else acc.update(part);
    }
    return acc.finish();
  });
}

const digest = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');

describe('pinned fingerprints of a generated model', () => {
  it('are unchanged, in both sample layouts, whatever the chunking', () => {
    const runs = fingerprints(RUNS_LAYOUT, 1 << 20);
    // the model exercises what the pin is for: Gram rows and columns, full rows and columns, heads, runs
    expect(runs.filter((f) => f.gram?.rows && f.gram?.cols).length).toBeGreaterThanOrEqual(5);
    expect(runs[0]!.fullRows).toBeDefined();
    expect(runs[7]!.fullCols).toBeDefined();
    expect(runs.filter((f) => f.head).length).toBeGreaterThanOrEqual(6);
    expect(runs.every((f) => f.sha256 && (f.bytesOnly || f.valueDigest))).toBe(true);
    expect(digest(runs)).toBe(PINNED_RUNS);
    const grid = fingerprints(GRID_LAYOUT, 1 << 20);
    expect(digest(grid)).toBe(PINNED_GRID);
    const withoutChannels = (fps: typeof runs) => fps.map(({ channels: _, ...rest }) => rest);
    expect(digest(withoutChannels(runs))).toBe(PINNED_RUNS_BEFORE_CHANNELS);
    expect(digest(withoutChannels(grid))).toBe(PINNED_GRID_BEFORE_CHANNELS);
    for (const chunk of [4098, 65536 * 3 + 8, 1 << 18])
      expect(digest(fingerprints(RUNS_LAYOUT, chunk))).toBe(PINNED_RUNS);
    expect(digest(fingerprints(RUNS_LAYOUT, 1 << 19, true))).toBe(PINNED_RUNS);
  });
});

const PINNED_RUNS = 'abc9e2b0d8c2fc301714f665a6a9934d636d8246ef6ac9a77614c49301580da6';
const PINNED_GRID = '56be1df0466a2b560dc16c277cc114b5431d4c5d4419ef63fa60590006e4ee59';
const PINNED_RUNS_BEFORE_CHANNELS = '6e3c6e7191dc49fca0e35981e03b2d49e9a2e90a94ca15763b19f5084f3bac9e';
const PINNED_GRID_BEFORE_CHANNELS = 'af58a8d82ae8eb93fdc615ebfce0266d39b44c0e62149d5d383e78e0176546dc';
