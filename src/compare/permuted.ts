/**
 * Hidden-dimension permutations (a function-preserving disguise) defeat every position-based
 * statistic. Embedding-like matrices keep their token rows, so their columns can be aligned by
 * content, as AWM does with embedding columns of shared tokens: each column of B (its values over
 * the sampled token rows) is matched to the most correlated column of A, and tested against the
 * max-of-C null of unrelated columns. A vision tower's patch embedding is the mirror case: its
 * pixel inputs stay put, so its hidden rows are aligned over the sampled columns.
 */
import { decodeQ, gridPlan } from '../fingerprint/sample.js';
import type { TensorFingerprint } from '../fingerprint/types.js';
import { maxOfM, normalSf, median } from './stats.js';
import type { TensorMatch, TensorRef } from './tensor-match.js';

/** Columns of B tested (evenly spaced): enough for a decisive count, cheap for wide matrices. */
const MAX_COLUMNS = 256;
const MIN_ROWS = 24;
/** A column counts as matched below this corrected p-value. */
const COLUMN_ALPHA = 1e-6;
/** Share of tested columns that must match for the tensor to count as a permuted copy. */
const MIN_MATCHED_SHARE = 0.3;

export interface ColumnAlignment {
  /** What was aligned: the hidden columns of an embedding, or the hidden rows of a patch embedding. */
  axis: 'columns' | 'rows';
  tested: number;
  matched: number;
  /** Matched columns whose partner sits at another index. */
  moved: number;
  medianR: number;
}

/**
 * Items to align (C of them), each observed at shared positions `rows`: values[ri·C + c].
 * For an embedding the items are hidden columns seen at sampled token rows; for a patch embedding
 * they are hidden rows seen at sampled pixel columns.
 */
export interface Columns {
  axis: 'columns' | 'rows';
  rows: Uint32Array;
  C: number;
  values: Float32Array;
}

export function fullRowColumns(fp: TensorFingerprint, k: number, seed: number): Columns | undefined {
  // full rows and full columns follow the grid's rows and columns in every layout
  const plan = gridPlan(fp.shape, k, seed);
  if (fp.fullRows && fp.shape.length === 2) {
    const full = fp.fullRows;
    if (full.rows !== plan.rows.length || full.cols !== plan.C) return undefined;
    const q = decodeQ(full.q);
    const values = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) values[i] = q[i]! * full.scale;
    return { axis: 'columns', rows: plan.rows, C: plan.C, values };
  }
  if (fp.fullCols) {
    // stored R × |cols|; transposed so that the sampled columns are the shared positions
    const full = fp.fullCols;
    if (full.rows !== plan.R || full.cols !== plan.cols.length) return undefined;
    const q = decodeQ(full.q);
    const n = plan.cols.length;
    const values = new Float32Array(q.length);
    for (let r = 0; r < plan.R; r++) for (let j = 0; j < n; j++) values[j * plan.R + r] = q[r * n + j]! * full.scale;
    return { axis: 'rows', rows: plan.cols, C: plan.R, values };
  }
  return undefined;
}

/** Unit-normalised columns over the given row positions: out[c][i]. */
function unitColumns(cols: Columns, rowPos: number[], which: number[]): Float32Array[] {
  return which.map((c) => {
    const v = new Float32Array(rowPos.length);
    let m = 0;
    rowPos.forEach((ri, i) => {
      v[i] = cols.values[ri * cols.C + c]!;
      m += v[i]!;
    });
    m /= rowPos.length;
    let ss = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] = v[i]! - m;
      ss += v[i]! * v[i]!;
    }
    const norm = Math.sqrt(ss) || 1;
    for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
    return v;
  });
}

function alignColumns(a: Columns, b: Columns): ColumnAlignment | undefined {
  if (a.C !== b.C || a.axis !== b.axis) return undefined;
  const posA = new Map<number, number>();
  a.rows.forEach((r, i) => {
    posA.set(r, i);
  });
  const ra: number[] = [];
  const rb: number[] = [];
  b.rows.forEach((r, i) => {
    const j = posA.get(r);
    if (j !== undefined) {
      ra.push(j);
      rb.push(i);
    }
  });
  const n = ra.length;
  if (n < MIN_ROWS) return undefined;
  const step = Math.max(1, Math.floor(b.C / MAX_COLUMNS));
  const testedCols: number[] = [];
  for (let c = 0; c < b.C && testedCols.length < MAX_COLUMNS; c += step) testedCols.push(c);
  const ua = unitColumns(
    a,
    ra,
    Array.from({ length: a.C }, (_, i) => i),
  );
  const ub = unitColumns(b, rb, testedCols);
  const sd = 1 / Math.sqrt(Math.max(1, n - 3));
  const best: Array<{ r: number; j: number }> = [];
  const all: number[] = [];
  for (const v of ub) {
    let br = 0;
    let bj = -1;
    for (let j = 0; j < ua.length; j++) {
      const w = ua[j]!;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i]! * w[i]!;
      const ad = Math.abs(dot);
      if (all.length < 20000) all.push(ad);
      if (ad > br) {
        br = ad;
        bj = j;
      }
    }
    best.push({ r: br, j: bj });
  }
  // unrelated columns of real embeddings need not be independent: widen the analytic null by the
  // observed spread (median |r| of a half-normal is 0.674·sd)
  const inflation = Math.max(1, median(all) / (0.674 * sd));
  let matched = 0;
  let moved = 0;
  const rs: number[] = [];
  best.forEach(({ r, j }, i) => {
    const z = Math.atanh(Math.min(r, 0.9999999)) / (sd * inflation);
    const p = maxOfM(Math.min(1, 2 * normalSf(z)), a.C);
    if (p < COLUMN_ALPHA) {
      matched++;
      rs.push(r);
      if (j !== testedCols[i]) moved++;
    }
  });
  return { axis: b.axis, tested: testedCols.length, matched, moved, medianR: rs.length ? median(rs) : 0 };
}

/**
 * Column-aligned evidence for embedding-like tensors of B that position-based correlation did not
 * already find. Returns matches only where a permuted copy is shown.
 */
export function permutedColumnMatches(
  A: TensorRef[],
  B: TensorRef[],
  already: Map<number, TensorMatch>,
  k: number,
  seed: number,
): { matches: Map<number, TensorMatch & { columns: ColumnAlignment }>; moved: boolean } {
  const out = new Map<number, TensorMatch & { columns: ColumnAlignment }>();
  const candidates = A.filter((a) => (a.fp.fullRows || a.fp.fullCols) && a.tiedTo === undefined).map((a) => ({
    a,
    cols: fullRowColumns(a.fp, k, seed),
  }));
  let moved = false;
  for (const b of B) {
    if (!(b.fp.fullRows || b.fp.fullCols) || b.tiedTo !== undefined) continue;
    const prior = already.get(b.index);
    if (prior?.exact) continue;
    const bc = fullRowColumns(b.fp, k, seed);
    if (!bc) continue;
    let bestHit: { a: TensorRef; al: ColumnAlignment } | undefined;
    for (const { a, cols } of candidates) {
      if (!cols) continue;
      const al = alignColumns(cols, bc);
      if (al && (!bestHit || al.matched > bestHit.al.matched)) bestHit = { a, al };
    }
    if (!bestHit || bestHit.al.matched < Math.max(8, MIN_MATCHED_SHARE * bestHit.al.tested)) continue;
    const { a, al } = bestHit;
    // A significant positional match stands unless the units moved: a few sampled rows of
    // structured units (patch embeddings) can correlate at the same index by chance of structure,
    // which must not hide a permuted copy.
    if (prior && prior.p < 1e-4 && al.moved < 0.5 * al.matched) continue;
    // a permuted text residual stream misaligns every decoder tensor; a permuted patch embedding
    // only concerns its own (vision) component, which the alignment already decides
    if (al.axis === 'columns' && al.moved >= 0.5 * al.matched) moved = true;
    // union bound: P(at least m of T columns pass α by chance) ≤ (T·α)^m / m!
    const m = Math.min(al.matched, 20);
    let p = 1;
    for (let i = 1; i <= m; i++) p *= (al.tested * COLUMN_ALPHA) / i;
    out.set(b.index, {
      b,
      a,
      r: al.medianR,
      n: al.tested,
      candidates: candidates.length,
      z: Infinity,
      p: Math.min(1, p),
      columns: al,
      nullSource: 'analytic',
      null: { mean: 0, std: 0 },
    });
  }
  return { matches: out, moved };
}
