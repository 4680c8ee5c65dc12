/**
 * The token geometry of an embedding-like matrix: the cosine Gram matrix of its sampled token rows
 * (fingerprint `fullRows`, every hidden column). A rotation export multiplies the rows by an
 * orthogonal Q, which leaves every cosine in place, so a rotated copy keeps A's Gram exactly; it is
 * the one rotation-invariant statistic a sketch of a release-sized model holds. It is not evidence
 * of derivation on its own: models trained apart on one tokenizer and similar text learn similar
 * token geometry (measured 0.89–0.97 here), so the engine only uses it to withhold `independent`
 * where a sketch could not test the rotation (engine.ts).
 */
import type { TensorRef } from './tensor-match.js';
import { fullRowColumns } from './permuted.js';

/** Fewer non-zero token rows than this give no usable Gram. */
const MIN_ROWS = 16;

export interface TokenGeometry {
  /** Pearson correlation of the off-diagonal cosines of A's and B's sampled token rows. */
  r: number;
  rows: number;
  a: string;
  b: string;
}

function unitRows(values: Float32Array, rows: number, C: number): Array<Float64Array | undefined> {
  const out: Array<Float64Array | undefined> = [];
  for (let i = 0; i < rows; i++) {
    const v = new Float64Array(C);
    let ss = 0;
    for (let j = 0; j < C; j++) {
      v[j] = values[i * C + j]!;
      ss += v[j]! * v[j]!;
    }
    if (!(ss > 0)) {
      out.push(undefined);
      continue;
    }
    const n = Math.sqrt(ss);
    for (let j = 0; j < C; j++) v[j] = v[j]! / n;
    out.push(v);
  }
  return out;
}

function gramCorrelation(x: Float64Array[], y: Float64Array[]): number {
  let sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0,
    m = 0;
  const dot = (u: Float64Array, v: Float64Array) => {
    let s = 0;
    for (let k = 0; k < u.length; k++) s += u[k]! * v[k]!;
    return s;
  };
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const a = dot(x[i]!, x[j]!);
      const b = dot(y[i]!, y[j]!);
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
      m++;
    }
  }
  const cov = sxy - (sx * sy) / m;
  const va = sxx - (sx * sx) / m;
  const vb = syy - (sy * sy) / m;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
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
      const ua = unitRows(ca.values, ca.rows.length, ca.C);
      const ub = unitRows(cb.values, cb.rows.length, cb.C);
      const keep = ua.map((u, i) => (u && ub[i] ? i : -1)).filter((i) => i >= 0);
      if (keep.length < MIN_ROWS) continue;
      const r = gramCorrelation(
        keep.map((i) => ua[i]!),
        keep.map((i) => ub[i]!),
      );
      if (!best || r > best.r) best = { r, rows: keep.length, a: a.fp.name, b: b.fp.name };
    }
  }
  return best;
}
