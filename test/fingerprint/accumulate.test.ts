import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { TensorAccumulator, structureScore } from '../../src/fingerprint/accumulate.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { RUNS_LAYOUT, planSample, sampleFlatIndices, decodeQ } from '../../src/fingerprint/sample.js';

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

function gaussian(n: number, seed: number, std = 0.02): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = std * Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  return out;
}

function fingerprint(dtype: string, shape: number[], bytes: Uint8Array, chunk = 1 << 20) {
  const acc = new TensorAccumulator('t', dtype, shape, bytes.byteLength, { k: 4096, seed: 7 });
  for (let o = 0; o < bytes.length; o += chunk) acc.update(bytes.subarray(o, Math.min(bytes.length, o + chunk)));
  return acc.finish();
}

function transpose(v: Float32Array, R: number, C: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = v[r * C + c]!;
  return out;
}

describe('TensorAccumulator', () => {
  const R = 96,
    C = 80;
  const values = gaussian(R * C, 1);
  const f32 = new Uint8Array(values.buffer.slice(0));

  it('hashes the raw bytes with SHA-256 whatever the chunking, even splitting elements', () => {
    const expected = createHash('sha256').update(f32).digest('hex');
    for (const chunk of [1, 3, 7, 4096, 1 << 20]) {
      const fp = fingerprint('F32', [R, C], f32.slice(), chunk);
      expect(fp.sha256).toBe(expected);
    }
    // element-splitting chunks must give the same moments and sample too
    expect(fingerprint('F32', [R, C], f32, 5).sample).toEqual(fingerprint('F32', [R, C], f32).sample);
  });

  it('computes exact moments', () => {
    const fp = fingerprint('F32', [R, C], f32);
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(fp.moments!.mean).toBeCloseTo(mean, 10);
    expect(fp.moments!.std).toBeCloseTo(std, 8);
    expect(fp.moments!.min).toBe(Math.min(...values));
    expect(fp.moments!.max).toBe(Math.max(...values));
    expect(fp.moments!.l2).toBeCloseTo(Math.sqrt(values.reduce((a, b) => a + b * b, 0)), 8);
    expect(fp.moments!.nonFinite).toBe(0);
  });

  it('counts non-finite values and keeps them out of the moments', () => {
    const v = Float32Array.from([1, 2, NaN, Infinity, 3, -Infinity]);
    const fp = fingerprint('F32', [6], new Uint8Array(v.buffer));
    expect(fp.moments!.nonFinite).toBe(3);
    expect(fp.moments!.mean).toBeCloseTo(2, 12);
  });

  it('gives equal order-free digests to transposed, permuted and up-cast copies, and different ones otherwise', () => {
    const bf16 = encodeFromFloat32('BF16', values);
    const upcast = new Float32Array(values.length);
    const u32 = new Uint32Array(upcast.buffer);
    const u16 = new Uint16Array(bf16.buffer, bf16.byteOffset, values.length);
    for (let i = 0; i < values.length; i++) u32[i] = u16[i]! << 16;
    const base = fingerprint('BF16', [R, C], bf16);
    const asF32 = fingerprint('F32', [R, C], new Uint8Array(upcast.buffer));
    const transposed = fingerprint('F32', [C, R], new Uint8Array(transpose(upcast, R, C).buffer));
    const perm = upcast.slice().reverse();
    const permuted = fingerprint('F32', [R, C], new Uint8Array(perm.buffer));
    expect(asF32.valueDigest).toBe(base.valueDigest);
    expect(transposed.valueDigest).toBe(base.valueDigest);
    expect(permuted.valueDigest).toBe(base.valueDigest);
    expect(asF32.sha256).not.toBe(base.sha256);
    const drifted = upcast.map((x, i) => (i === 17 ? x * 1.5 : x));
    expect(fingerprint('F32', [R, C], new Uint8Array(drifted.buffer)).valueDigest).not.toBe(base.valueDigest);
  });

  it('treats F16 data and its exact F32 up-cast alike, and -0 like +0', () => {
    const v = Float32Array.from([0, -0, 1.5, -2.25, 0.099975586]);
    const f16 = encodeFromFloat32('F16', v);
    const back = new Float32Array([0, 0, 1.5, -2.25, 0.099975586]);
    expect(fingerprint('F16', [5], f16).valueDigest).toBe(
      fingerprint('F32', [5], new Uint8Array(back.buffer)).valueDigest,
    );
  });

  it('samples exactly the planned coordinates', () => {
    const fp = fingerprint('F32', [R, C], f32);
    const plan = planSample([R, C], 4096, 7, RUNS_LAYOUT);
    const idx = sampleFlatIndices(plan);
    const q = decodeQ(fp.sample!.q);
    expect(q.length).toBe(idx.length);
    for (let i = 0; i < idx.length; i += 97) {
      const v = values[idx[i]!]!;
      expect(fp.sample!.center + q[i]! * fp.sample!.scale).toBeCloseTo(v, 2);
    }
  });

  it('fingerprints packed types by bytes only', () => {
    const bytes = new Uint8Array(64).map((_, i) => i * 7);
    const fp = fingerprint('F4', [128], bytes);
    expect(fp.bytesOnly).toBe(true);
    expect(fp.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(fp.sample).toBeUndefined();
  });
});

describe('16-bit histogram kernel', () => {
  it('gives one fingerprint through WebAssembly (large updates) and JS (small ones), two tensors interleaved', () => {
    const n = 300_001; // odd: the last element is counted outside 32-bit words
    const a = encodeFromFloat32('BF16', gaussian(n, 11));
    const b = encodeFromFloat32('BF16', gaussian(n, 12, 0.5));
    const viaJs = (bytes: Uint8Array) => fingerprint('BF16', [n], bytes, 4096);
    const big = 1 << 18;
    const accA = new TensorAccumulator('t', 'BF16', [n], a.byteLength, { k: 4096, seed: 7 });
    const accB = new TensorAccumulator('t', 'BF16', [n], b.byteLength, { k: 4096, seed: 7 });
    for (let o = 0; o < a.length; o += big) {
      accA.update(a.subarray(o, Math.min(a.length, o + big)));
      accB.update(b.subarray(o, Math.min(b.length, o + big)));
    }
    const wasmA = accA.finish();
    const wasmB = accB.finish();
    expect(wasmA).toEqual(viaJs(a));
    expect(wasmB).toEqual(viaJs(b));
    expect(wasmA.valueDigest).not.toBe(wasmB.valueDigest);
  });
});

describe('structureScore', () => {
  it('scores DFT-like tables near 1 and learned weights near 0', () => {
    const L = 128;
    const table = new Float32Array(64 * L);
    for (let k = 0; k < 64; k++)
      for (let n = 0; n < L; n++)
        table[k * L + n] = Math.cos((2 * Math.PI * k * n) / L) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / L));
    expect(structureScore(table, [64, L])!).toBeGreaterThan(0.98);
    expect(structureScore(gaussian(64 * L, 3), [64, L])!).toBeLessThan(0.1);
    // norm gains near 1.0 are not a table once centred
    const gains = gaussian(L, 4, 0.01).map((x) => 1 + x);
    expect(structureScore(gains, [L])!).toBeLessThan(0.2);
  });
});

describe('WebAssembly kernels (fingerprint/kernels.ts)', () => {
  /** Values with the awkward cases mixed in: NaN, ±Inf, −0, subnormals, repeats. */
  function awkward(n: number, seed: number): Float32Array {
    const v = gaussian(n, seed);
    const r = rng(seed + 1);
    for (let i = 0; i < n; i++) {
      const u = r();
      if (u < 0.001) v[i] = Number.NaN;
      else if (u < 0.002) v[i] = u < 0.0015 ? Infinity : -Infinity;
      else if (u < 0.01) v[i] = -0;
      else if (u < 0.02) v[i] = 1e-41;
      else if (u < 0.1) v[i] = v[Math.max(0, i - 1)]!;
    }
    return v;
  }

  it('F32: the same fingerprint whatever the chunking and whichever path counted (kernel or JS)', () => {
    const n = 300_003; // not a multiple of 4
    const bytes = new Uint8Array(awkward(n, 21).buffer);
    const ref = fingerprint('F32', [n], bytes, 4096); // JS only (chunks below the kernel's minimum)
    for (const chunk of [1 << 20, (1 << 18) + 4, 3 * 65536 + 12, 65537]) {
      expect(fingerprint('F32', [n], bytes, chunk)).toEqual(ref);
    }
    expect(ref.moments!.nonFinite).toBeGreaterThan(100);
    // the moments are those of the finite values
    const finite = Array.from(awkward(n, 21)).filter((x) => Number.isFinite(x));
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    expect(ref.moments!.mean).toBeCloseTo(mean, 12);
    expect(ref.moments!.min).toBe(finite.reduce((a, b) => Math.min(a, b), Infinity));
    expect(ref.moments!.max).toBe(finite.reduce((a, b) => Math.max(a, b), -Infinity));
    expect(ref.moments!.nonFinite).toBe(n - finite.length);
  });

  it('8- and 16-bit types: the kernels count exactly what the JS loop counts', () => {
    const n = 200_005;
    const v = awkward(n, 5);
    for (const dtype of ['BF16', 'F16', 'F8_E4M3', 'F8_E5M2'] as const) {
      const bytes = encodeFromFloat32(dtype, v);
      expect(fingerprint(dtype, [n], bytes, 1 << 20)).toEqual(fingerprint(dtype, [n], bytes, 4096));
    }
    const u8 = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);
    expect(fingerprint('U8', [n], u8, 1 << 20)).toEqual(fingerprint('U8', [n], u8, 4096));
  });

  it('reads data in place from the input area (no copy) with the same result', async () => {
    const { kernels } = await import('../../src/fingerprint/kernels.js');
    const k = kernels();
    expect(k).not.toBeNull();
    const n = 1 << 20;
    const bytes = encodeFromFloat32('BF16', gaussian(n, 9));
    const acc = new TensorAccumulator('t', 'BF16', [n], bytes.byteLength, { k: 4096, seed: 7 });
    const chunk = 1 << 19;
    for (let o = 0; o < bytes.length; o += chunk) {
      const view = k!.input.subarray(0, chunk);
      view.set(bytes.subarray(o, o + chunk));
      acc.update(view);
    }
    expect(acc.finish()).toEqual(fingerprint('BF16', [n], bytes, 4096));
  });
});
