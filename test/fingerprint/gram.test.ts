import { describe, expect, it } from 'vitest';
import { TensorAccumulator } from '../../src/fingerprint/accumulate.js';
import { GRAM_UNITS, gramIndices, rank1Updates } from '../../src/fingerprint/gram.js';
import { decodeQ } from '../../src/fingerprint/sample.js';
import { randomOrthogonal } from '../../src/synth/disguise.js';
import { Rng } from '../../src/synth/random.js';

function matrix(rows: number, cols: number, seed: number): Float32Array {
  return new Rng(seed).normals(rows * cols);
}

function times(w: Float32Array, rows: number, cols: number, q: Float64Array): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += w[i * cols + k]! * q[k * cols + j]!;
      out[i * cols + j] = s;
    }
  return out;
}

function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = w[i * cols + j]!;
  return out;
}

/** Fingerprints a float32 matrix through the streaming accumulator, fed in awkward chunks. */
function gramOf(w: Float32Array, rows: number, cols: number, chunk = 37) {
  const bytes = new Uint8Array(w.buffer.slice(0));
  const acc = new TensorAccumulator('m', 'F32', [rows, cols], bytes.byteLength, { k: 4096, seed: 11 });
  for (let off = 0; off < bytes.length; off += chunk)
    acc.update(bytes.subarray(off, Math.min(bytes.length, off + chunk)));
  const g = acc.finish().gram!;
  return {
    rows: g.rows ? Array.from(decodeQ(g.rows)) : undefined,
    cols: g.cols ? Array.from(decodeQ(g.cols)) : undefined,
  };
}

function maxDiff(a: number[] | undefined, b: number[] | undefined): number {
  expect(a?.length).toBe(b?.length);
  return Math.max(...a!.map((x, i) => Math.abs(x - b![i]!)));
}

describe('gram indices', () => {
  it('keep every unit of a short axis and a fixed, sorted bottom-k of a long one', () => {
    expect(Array.from(gramIndices(20, 3))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const a = gramIndices(5000, 3);
    expect(a.length).toBe(GRAM_UNITS);
    expect(Array.from(a)).toEqual(Array.from(a).sort((x, y) => x - y));
    expect(Array.from(gramIndices(5000, 3))).toEqual(Array.from(a));
    expect(Array.from(gramIndices(5000, 4))).not.toEqual(Array.from(a));
  });
});

describe('gram matrices of a fingerprint', () => {
  const R = 72;
  const C = 48;
  const w = matrix(R, C, 1);
  const base = gramOf(w, R, C);

  it('stores n(n−1)/2 int8 cosines for rows and columns', () => {
    expect(base.rows!.length).toBe((32 * 31) / 2);
    expect(base.cols!.length).toBe((32 * 31) / 2);
    expect(Math.max(...base.rows!.map(Math.abs))).toBeLessThanOrEqual(127);
  });

  it('keeps the rows Gram under a rotation of the columns, and the columns Gram under one of the rows', () => {
    const rotatedCols = gramOf(times(w, R, C, randomOrthogonal(C, 2)), R, C, 101);
    expect(maxDiff(rotatedCols.rows, base.rows)).toBeLessThanOrEqual(1);
    expect(maxDiff(rotatedCols.cols, base.cols)).toBeGreaterThan(20);
    const q = randomOrthogonal(R, 3);
    // Qᵀ·W = (Wᵀ·Q)ᵀ
    const rotatedRows = transpose(times(transpose(w, R, C), C, R, q), C, R);
    const g = gramOf(rotatedRows, R, C, 64);
    expect(maxDiff(g.cols, base.cols)).toBeLessThanOrEqual(1);
  });

  it('ignores per-row scales and turns a row sign flip into flipped cosines', () => {
    const scaled = Float32Array.from(w, (x, i) => x * (Math.floor(i / C) % 3 === 0 ? -2.5 : 0.4));
    const g = gramOf(scaled, R, C);
    expect(maxDiff(g.rows!.map(Math.abs), base.rows!.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(maxDiff(g.rows, base.rows)).toBeGreaterThan(20);
  });

  it("gives a transposed matrix's rows Gram the original's columns Gram", () => {
    const t = gramOf(transpose(w, R, C), C, R);
    expect(maxDiff(t.rows, base.cols)).toBeLessThanOrEqual(1);
  });

  it('skips matrices too small to compare', () => {
    const bytes = new Uint8Array(matrix(6, 6, 4).buffer);
    const acc = new TensorAccumulator('m', 'F32', [6, 6], bytes.byteLength, { k: 4096, seed: 11 });
    acc.update(bytes);
    expect(acc.finish().gram).toBeUndefined();
  });
});

describe('rank-1 Gram updates (WebAssembly kernel and JS loop)', () => {
  it('give bit-identical sums, zeros and −0 included, for every padded width', () => {
    const rng = new Rng(5);
    for (const m2 of [2, 12, 18, 32]) {
      const n = 700;
      const batch = new Float64Array(n * m2);
      const vals = rng.normals(n * m2);
      for (let i = 0; i < batch.length; i++) {
        const u = i % 17;
        // f32 values (their products are exact in f64), with zeros, −0 and repeats mixed in
        batch[i] = u === 3 ? 0 : u === 5 ? -0 : u === 7 ? batch[Math.max(0, i - 1)]! : Math.fround(vals[i]! * 1e3);
      }
      const start = Float64Array.from({ length: m2 * m2 }, (_, i) => (i % 3 === 0 ? 0 : i * 0.125));
      const viaKernel = start.slice();
      const viaJs = start.slice();
      for (let r = 0; r < n; r += 250) {
        const rows = Math.min(250, n - r);
        rank1Updates(batch.subarray(r * m2), rows, m2, viaKernel);
        rank1Updates(batch.subarray(r * m2), rows, m2, viaJs, false);
      }
      expect(Buffer.from(viaKernel.buffer).equals(Buffer.from(viaJs.buffer))).toBe(true);
      // and they are the dot products, for the upper triangle
      let s = start[1]!;
      for (let r = 0; r < n; r++) s += batch[r * m2]! * batch[r * m2 + 1]!;
      expect(viaJs[1]).toBe(s);
      if (m2 >= 4) expect(viaJs[2 * m2]).toBe(start[2 * m2]); // lower triangle: not kept
    }
  });
});
