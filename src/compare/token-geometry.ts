/**
 * The token geometry of an embedding-like matrix: the cosine Gram matrix of its sampled token rows
 * (fingerprint `fullRows`, every hidden column). A rotation export multiplies the rows by an
 * orthogonal Q, which leaves every cosine in place, so a rotated copy keeps A's Gram exactly; it is
 * the one rotation-invariant statistic a sketch of a release-sized model holds. It is not evidence
 * of derivation on its own: models trained apart on one tokenizer and similar text learn similar
 * token geometry, so the engine only uses it to withhold `independent` where a sketch could not
 * test the rotation (engine.ts).
 */
import type { TensorRef } from './tensor-match.js';
import { fullRowColumns } from './permuted.js';
import { upperTriangleCorrelation } from './stats.js';

/** Fewer non-zero token rows than this give no usable Gram. */
const MIN_ROWS = 16;
/**
 * Leading components of the centred Gram removed before comparing: models trained apart on one
 * tokenizer and similar text share the few dominant directions of token geometry (frequency,
 * common subword classes), which put their raw cosine Gram at r 0.95–0.995; beyond the top three
 * they measure 0.11–0.53, siblings from one seed 0.75–0.88, rotated copies 0.98–1.00.
 */
const DEFLATED = 3;
const POWER_STEPS = 300;

export interface TokenGeometry {
  /** Pearson correlation of the off-diagonal entries of A's and B's deflated, centred token Gram. */
  r: number;
  rows: number;
  a: string;
  b: string;
}

/** Rows i in `keep` of a rows × C matrix, centred on their mean row: the Gram's entries. */
function centredGram(values: Float32Array, C: number, keep: number[]): Float64Array {
  const n = keep.length;
  const mean = new Float64Array(C);
  for (const i of keep) for (let j = 0; j < C; j++) mean[j] = mean[j]! + values[i * C + j]! / n;
  const x = keep.map((i) => Float64Array.from({ length: C }, (_, j) => values[i * C + j]! - mean[j]!));
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < C; k++) s += x[i]![k]! * x[j]![k]!;
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

/**
 * The Gram with its `k` largest eigencomponents removed (power iteration and deflation; the Gram
 * is positive semi-definite). A function of the Gram alone, so a rotation leaves it unchanged.
 */
function deflate(g: Float64Array, n: number, k: number): Float64Array {
  const m = Float64Array.from(g);
  for (let t = 0; t < k; t++) {
    // a start with no special direction (the centred Gram maps the all-ones vector to zero)
    let v = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 13) / 13);
    let lambda = 0;
    for (let step = 0; step < POWER_STEPS; step++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += m[i * n + j]! * v[j]!;
        w[i] = s;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += w[i]! * w[i]!;
      norm = Math.sqrt(norm);
      if (!(norm > 0)) return m;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = m[i * n + j]! - lambda * v[i]! * v[j]!;
  }
  return m;
}

function nonZeroRows(values: Float32Array, rows: number, C: number): boolean[] {
  return Array.from({ length: rows }, (_, i) => {
    for (let j = 0; j < C; j++) if (values[i * C + j] !== 0) return true;
    return false;
  });
}

/**
 * The highest token-geometry correlation between an embedding-like matrix of B and one of A of
 * the same shape (same token rows sampled: same shape, same sampling), over the token rows that
 * are non-zero on both sides.
 */
export function tokenGeometry(A: TensorRef[], B: TensorRef[], k: number, seed: number): TokenGeometry | undefined {
  let best: TokenGeometry | undefined;
  for (const b of B) {
    if (!b.fp.fullRows || b.tiedTo !== undefined || b.fp.shape.length !== 2) continue;
    const cb = fullRowColumns(b.fp, k, seed);
    if (!cb) continue;
    for (const a of A) {
      if (!a.fp.fullRows || a.tiedTo !== undefined) continue;
      if (a.fp.shape[0] !== b.fp.shape[0] || a.fp.shape[1] !== b.fp.shape[1]) continue;
      const ca = fullRowColumns(a.fp, k, seed);
      if (!ca || ca.rows.length !== cb.rows.length) continue;
      const za = nonZeroRows(ca.values, ca.rows.length, ca.C);
      const zb = nonZeroRows(cb.values, cb.rows.length, cb.C);
      const keep = za.map((nz, i) => (nz && zb[i] ? i : -1)).filter((i) => i >= 0);
      if (keep.length < MIN_ROWS) continue;
      const n = keep.length;
      const ga = deflate(centredGram(ca.values, ca.C, keep), n, DEFLATED);
      const gb = deflate(centredGram(cb.values, cb.C, keep), n, DEFLATED);
      const r = upperTriangleCorrelation(ga, gb, n);
      if (!best || r > best.r) best = { r, rows: n, a: a.fp.name, b: b.fp.name };
    }
  }
  return best;
}
