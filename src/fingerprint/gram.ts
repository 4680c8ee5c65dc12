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
import { encodeQ, hash32 } from './sample.js';

export const GRAM_UNITS = 32;
/** Fewer units give too few pairs to compare (12 units: 66 pairs). */
export const GRAM_MIN_UNITS = 12;
/** Units must be vectors of at least this length to have a meaningful cosine. */
const GRAM_MIN_LENGTH = 8;
const GRAM_TAG = 0x6a3;

/** The units (row or column indices) of an axis of this length whose Gram matrix is kept, ascending. */
export function gramIndices(length: number, seed: number, max = GRAM_UNITS): Uint32Array {
  if (length <= max) return Uint32Array.from({ length }, (_, i) => i);
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

/**
 * Streaming accumulation over a matrix [R, C] fed in flat order (any chunking): the kept rows are
 * copied as they pass and multiplied at the end; the kept columns' products are summed row by row.
 */
export class GramAccumulator {
  private readonly rowIdx: Uint32Array;
  private readonly rowSlot: Map<number, number>;
  private readonly rowVals: Float32Array | undefined;
  private readonly colIdx: Uint32Array;
  private readonly colDots: Float64Array | undefined;
  private readonly rowBuf: Float64Array;
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
    this.rowSlot = new Map(Array.from(this.rowIdx, (r, k) => [r, k]));
    this.rowVals = rowsOk ? new Float32Array(this.rowIdx.length * C) : undefined;
    this.colIdx = colsOk ? gramIndices(C, seed) : new Uint32Array(0);
    this.colDots = colsOk ? new Float64Array(this.colIdx.length ** 2) : undefined;
    this.rowBuf = new Float64Array(this.colIdx.length);
  }

  /** Whether this matrix gets any Gram at all. */
  get active(): boolean {
    return this.rowVals !== undefined || this.colDots !== undefined;
  }

  /** Values of flat elements [start, start + n), read through `get(i)` for i in [0, n). */
  take(read: (i: number) => number, start: number, n: number): void {
    const C = this.C;
    // a NaN or ±Inf value counts as 0: one bad value must not void every cosine
    const get = (i: number) => {
      const v = read(i);
      return v - v === 0 ? v : 0;
    };
    if (this.rowVals) {
      const end = start + n;
      for (let r = Math.floor(start / C); r * C < end; r++) {
        const slot = this.rowSlot.get(r);
        if (slot === undefined) continue;
        const lo = Math.max(r * C, start);
        const hi = Math.min(r * C + C, end);
        for (let e = lo; e < hi; e++) this.rowVals[slot * C + (e - r * C)] = get(e - start);
      }
    }
    if (this.colDots) {
      const cols = this.colIdx;
      const m = cols.length;
      const end = start + n;
      for (let r = Math.floor(start / C); r * C < end; r++) {
        if (r !== this.curRow) {
          this.flushRow();
          this.curRow = r;
        }
        for (let k = 0; k < m; k++) {
          const e = r * C + cols[k]!;
          if (e >= start && e < end) this.rowBuf[k] = get(e - start);
        }
      }
    }
  }

  private flushRow(): void {
    if (!this.colDots || this.curRow < 0) return;
    const m = this.colIdx.length;
    const b = this.rowBuf;
    for (let i = 0; i < m; i++) {
      const bi = b[i]!;
      if (bi === 0) continue;
      for (let j = i; j < m; j++) this.colDots[i * m + j]! += bi * b[j]!;
    }
    b.fill(0);
  }

  finish(): GramSketch | undefined {
    const out: GramSketch = {};
    if (this.rowVals) {
      const n = this.rowIdx.length;
      const C = this.C;
      const dots = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          let s = 0;
          for (let c = 0; c < C; c++) s += this.rowVals[i * C + c]! * this.rowVals[j * C + c]!;
          dots[i * n + j] = s;
          dots[j * n + i] = s;
        }
      }
      out.rows = encodeCosines(dots, n);
    }
    if (this.colDots) {
      this.flushRow();
      this.curRow = -1;
      const m = this.colIdx.length;
      for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) this.colDots[i * m + j] = this.colDots[j * m + i]!;
      out.cols = encodeCosines(this.colDots, m);
    }
    return out.rows || out.cols ? out : undefined;
  }
}
