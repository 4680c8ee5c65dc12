/**
 * Rotation-invariant summaries of a matrix: the cosine Gram matrix of up to 32 of its rows (each
 * row in full), and of up to 32 of its columns (each column in full, full mode only).
 *
 * A rotation export multiplies the residual stream by an orthogonal Q: every matrix that reads the
 * stream becomes W·Q, every matrix that writes it Qᵀ·W. Position-based statistics see noise, but
 * (W·Q)(W·Q)ᵀ = W·Wᵀ: the rows' Gram matrix of a reader, and the columns' Gram matrix of a writer,
 * are unchanged. Cosines also ignore a per-row (per-column) scale, and a sign flip of a unit only
 * flips the signs of its Gram entries. The rows and columns are chosen by the same hash of the axis
 * length, so a transposed matrix's row Gram is the original's column Gram.
 *
 * Stored as int8 (cosine × 127) over the upper triangle, row-major: n(n−1)/2 bytes, ≤ 496.
 */
import { encodeQ, hash32, memoPick } from './sample.js';
import { GRAM_BATCH_BYTES, GRAM_MAX_WIDTH, kernels } from './kernels.js';

export const GRAM_UNITS = 32;
/** Fewer units give too few pairs to compare (12 units: 66 pairs). */
export const GRAM_MIN_UNITS = 12;
/** Units must be vectors of at least this length to have a meaningful cosine. */
const GRAM_MIN_LENGTH = 8;
const GRAM_TAG = 0x6a3;

/** The units (row or column indices) of an axis of this length whose Gram matrix is kept, ascending. */
export function gramIndices(length: number, seed: number, max = GRAM_UNITS): Uint32Array {
  if (length <= max) return Uint32Array.from({ length }, (_, i) => i);
  return memoPick(`g${length},${seed},${max}`, () => gramIndicesOnce(length, seed, max));
}

function gramIndicesOnce(length: number, seed: number, max: number): Uint32Array {
  // bottom-k by hash: deterministic, and the same for any matrix with an axis of this length
  const best: Array<{ h: number; i: number }> = [];
  for (let i = 0; i < length; i++) {
    const h = hash32(seed, GRAM_TAG, i);
    if (best.length === max) {
      if (h >= best[max - 1]!.h) continue;
      best.pop();
    }
    let k = best.length;
    best.push({ h, i });
    while (k > 0 && best[k - 1]!.h > h) {
      best[k] = best[k - 1]!;
      k--;
    }
    best[k] = { h, i };
  }
  return Uint32Array.from(best.map((b) => b.i)).sort();
}

/** Upper triangle (i < j) of a cosine matrix from dot products, as int8 base64. */
function encodeCosines(dots: Float64Array, n: number): string {
  const q = new Int8Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const den = Math.sqrt(dots[i * n + i]! * dots[j * n + j]!);
      const c = den > 0 ? dots[i * n + j]! / den : 0;
      q[k++] = Math.max(-127, Math.min(127, Math.round(c * 127)));
    }
  }
  return encodeQ(q);
}

export interface GramSketch {
  /** Cosine Gram of the kept rows (full rows). */
  rows?: string;
  /** Cosine Gram of the kept columns (full columns; full mode only). */
  cols?: string;
}

/** Vectors per rank-1 batch: the kernel's batch area holds this many of GRAM_MAX_WIDTH. */
const BATCH = GRAM_BATCH_BYTES / 8 / GRAM_MAX_WIDTH;

/**
 * dots (m2 × m2, row-major) += v·vᵀ for each of the first `n` vectors of `batch` (m2 f64 each), in
 * order; only entries j ≥ i (rounded down to even) are kept up to date. The WebAssembly kernel and
 * the loop below add the same exact products (f32 values: their f64 products are exact) in the
 * same order, so they give equal sums.
 */
export function rank1Updates(batch: Float64Array, n: number, m2: number, dots: Float64Array, useKernel = true): void {
  const k = useKernel && n > 0 && m2 <= GRAM_MAX_WIDTH && n * m2 <= GRAM_BATCH_BYTES / 8 ? kernels() : null;
  if (k) {
    const size = m2 * m2;
    k.gramDots.set(dots.subarray(0, size));
    k.gramBatch.set(batch.subarray(0, n * m2));
    k.gram(k.gramBatch.byteOffset, n, m2);
    dots.set(k.gramDots.subarray(0, size));
    return;
  }
  for (let r = 0; r < n; r++) {
    const o = r * m2;
    for (let i = 0; i < m2; i++) {
      const bi = batch[o + i]!;
      const row = i * m2;
      for (let j = i & ~1; j < m2; j++) dots[row + j]! += bi * batch[o + j]!;
    }
  }
}

/** The n × n upper triangle (and diagonal) of padded m2 × m2 sums, mirrored. */
function compact(dots: Float64Array, n: number, m2: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      out[i * n + j] = dots[i * m2 + j]!;
      out[j * n + i] = dots[i * m2 + j]!;
    }
  }
  return out;
}

/** Values read from `src` (through `table` when given: raw 8/16-bit patterns); NaN and ±Inf count as 0. */
type Source = ArrayLike<number>;

/**
 * Streaming accumulation over a matrix [R, C] fed in flat order (any chunking): the kept rows are
 * copied as they pass and multiplied at the end; the kept columns of each row are gathered into a
 * batch, and the batch's rank-1 updates run in the kernel. A NaN or ±Inf value counts as 0: one bad
 * value must not void every cosine.
 */
export class GramAccumulator {
  private readonly rowIdx: Uint32Array;
  private readonly rowVals: Float32Array | undefined;
  /** Next kept row (index into rowIdx) not yet complete. */
  private rowK = 0;
  private readonly colIdx: Uint32Array;
  /** Columns kept, padded to even (the kernel updates two sums per step). */
  private readonly m2: number;
  private readonly colDots: Float64Array | undefined;
  /** Gathered kept columns of pending rows, m2 per row; `slot` is the current row's. */
  private readonly pending: Float64Array;
  private slot = 0;
  private curRow = -1;

  constructor(
    R: number,
    private readonly C: number,
    seed: number,
    opts: { cols: boolean },
  ) {
    const rowsOk = R >= GRAM_MIN_UNITS && C >= GRAM_MIN_LENGTH;
    const colsOk = opts.cols && C >= GRAM_MIN_UNITS && R >= GRAM_MIN_LENGTH;
    this.rowIdx = rowsOk ? gramIndices(R, seed) : new Uint32Array(0);
    this.rowVals = rowsOk ? new Float32Array(this.rowIdx.length * C) : undefined;
    this.colIdx = colsOk ? gramIndices(C, seed) : new Uint32Array(0);
    this.m2 = this.colIdx.length + (this.colIdx.length & 1);
    this.colDots = colsOk ? new Float64Array(this.m2 * this.m2) : undefined;
    this.pending = new Float64Array(colsOk ? BATCH * this.m2 : 0);
  }

  /** Whether this matrix gets any Gram at all. */
  get active(): boolean {
    return this.rowVals !== undefined || this.colDots !== undefined;
  }

  /** Flat elements [start, start + src.length), their values `table[src[i]]` (or `src[i]` without a table). */
  take(src: Source, table: Float32Array | undefined, start: number): void {
    const C = this.C;
    const n = src.length;
    const end = start + n;
    const rowVals = this.rowVals;
    if (rowVals) {
      const rows = this.rowIdx;
      while (this.rowK < rows.length && rows[this.rowK]! * C < end) {
        const r0 = rows[this.rowK]! * C;
        const lo = Math.max(r0, start);
        const hi = Math.min(r0 + C, end);
        // rowVals[rowK·C + (e − r0)] for src[e − start]: one monomorphic loop per source kind
        const to = this.rowK * C - r0 + start;
        if (table) {
          for (let i = lo - start; i < hi - start; i++) {
            const v = table[src[i]!]!;
            rowVals[to + i] = v - v === 0 ? v : 0;
          }
        } else {
          for (let i = lo - start; i < hi - start; i++) {
            const v = src[i]!;
            rowVals[to + i] = v - v === 0 ? v : 0;
          }
        }
        if (r0 + C > end) break;
        this.rowK++;
      }
    }
    if (this.colDots) {
      const cols = this.colIdx;
      const m = cols.length;
      const m2 = this.m2;
      const buf = this.pending;
      for (let r = Math.floor(start / C); r * C < end; r++) {
        const base = r * C - start;
        const whole = base >= 0 && base + C <= n;
        if (r !== this.curRow) {
          if (this.curRow >= 0 && ++this.slot === BATCH) this.flush(BATCH);
          this.curRow = r;
          // a row seen whole writes all m values below; the padding column is never written
          if (!whole) buf.fill(0, this.slot * m2, this.slot * m2 + m);
        }
        const o = this.slot * m2;
        if (whole) {
          // the whole row is in this chunk
          if (table) {
            for (let k = 0; k < m; k++) {
              const v = table[src[base + cols[k]!]!]!;
              buf[o + k] = v - v === 0 ? v : 0;
            }
          } else {
            for (let k = 0; k < m; k++) {
              const v = src[base + cols[k]!]!;
              buf[o + k] = v - v === 0 ? v : 0;
            }
          }
        } else {
          for (let k = 0; k < m; k++) {
            const e = base + cols[k]!;
            if (e < 0 || e >= n) continue;
            const v = table ? table[src[e]!]! : src[e]!;
            buf[o + k] = v - v === 0 ? v : 0;
          }
        }
      }
    }
  }

  private flush(rows: number): void {
    rank1Updates(this.pending, rows, this.m2, this.colDots!);
    this.slot = 0;
  }

  finish(): GramSketch | undefined {
    const out: GramSketch = {};
    if (this.rowVals) {
      // the rows' dot products are the same rank-1 updates over the columns c = 0, 1, …, C−1
      const n = this.rowIdx.length;
      const n2 = n + (n & 1);
      const C = this.C;
      const dots = new Float64Array(n2 * n2);
      const batch = new Float64Array(BATCH * n2);
      for (let c0 = 0; c0 < C; c0 += BATCH) {
        const len = Math.min(BATCH, C - c0);
        // row by row: each kept row is read in order (row-strided reads missed the cache and TLB)
        const rowVals = this.rowVals;
        for (let i = 0; i < n; i++) {
          const from = i * C + c0;
          for (let c = 0; c < len; c++) batch[c * n2 + i] = rowVals[from + c]!;
        }
        rank1Updates(batch, len, n2, dots);
      }
      out.rows = encodeCosines(compact(dots, n, n2), n);
    }
    if (this.colDots) {
      if (this.curRow >= 0) this.flush(this.slot + 1);
      this.curRow = -1;
      out.cols = encodeCosines(compact(this.colDots, this.colIdx.length, this.m2), this.colIdx.length);
    }
    return out.rows || out.cols ? out : undefined;
  }
}
