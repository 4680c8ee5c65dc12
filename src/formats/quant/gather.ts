/**
 * Reads of a grid of elements from a part stored as rows (GPTQ/AWQ `qweight` rows of packed
 * inputs, `scales`/`qzeros` rows of groups): the elements at some rows × some columns, packed
 * densely. Neighbouring spans are read together when the bytes between them are few (a band of
 * almost every column is one contiguous read), and apart otherwise, so memory stays a bounded
 * multiple of what was asked, whatever the part's size.
 */
import { readPart } from '../parts.js';
import type { TensorPart } from '../types.js';

/** When two spans share one read. */
export interface Coalescing {
  /** Largest gap (bytes) read through between two spans. */
  gap: number;
  /** ... and at most this many unwanted bytes per wanted byte of the read. */
  waste: number;
  /** A read of up to this many bytes is always one read, whatever it skips. */
  free: number;
  /**
   * More separate reads than this (each an HTTP request for a remote file): read whole rows in
   * windows instead, trading bytes for requests.
   */
  maxReads?: number;
}

/** An ordered set of indices along one axis: a range, or sorted distinct values. */
export type Axis = { from: number; to: number } | readonly number[];

const WINDOW = 8 * 1024 * 1024;
const IN_FLIGHT_READS = 64;

export function axisLength(a: Axis): number {
  return Array.isArray(a) ? a.length : (a as { from: number; to: number }).to - (a as { from: number }).from;
}

/** Maximal runs of consecutive indices: [start, end, position of start in the axis]. */
function runs(a: Axis): Array<[number, number, number]> {
  if (!Array.isArray(a)) {
    const r = a as { from: number; to: number };
    return r.to > r.from ? [[r.from, r.to, 0]] : [];
  }
  const xs = a as readonly number[];
  const out: Array<[number, number, number]> = [];
  for (let k = 0; k < xs.length; k++) {
    const last = out[out.length - 1];
    if (last && xs[k] === last[1]) last[1]++;
    else out.push([xs[k]!, xs[k]! + 1, k]);
  }
  return out;
}

interface Cluster {
  /** Element span read for each row. */
  from: number;
  to: number;
  /** Column runs inside it. */
  runs: Array<[number, number, number]>;
}

/** Column runs grouped into windows read together. */
function clusters(cols: Axis, elemBytes: number, how: Coalescing): Cluster[] {
  const out: Cluster[] = [];
  let wanted = 0;
  for (const r of runs(cols)) {
    const c = out[out.length - 1];
    const len = (r[1] - r[0]) * elemBytes;
    if (c) {
      const gap = (r[0] - c.to) * elemBytes;
      const width = (r[1] - c.from) * elemBytes;
      const waste = width - wanted - len;
      if ((gap <= how.gap && waste <= how.waste * (wanted + len)) || width <= how.free) {
        c.to = r[1];
        c.runs.push(r);
        wanted += len;
        continue;
      }
    }
    out.push({ from: r[0], to: r[1], runs: [r] });
    wanted = len;
  }
  return out;
}

interface Read {
  offset: number;
  length: number;
  /** First row and row count covered, and the column cluster. */
  row: number;
  rows: number;
  rowPos: number;
  cluster: Cluster;
}

/** The reads that cover `rows` × `cols` of a part of `rowBytes`-byte rows, planned before any is made. */
export function planGather(rows: Axis, cols: Axis, rowBytes: number, elemBytes: number, how: Coalescing): Read[] {
  const reads = plan(rows, clusters(cols, elemBytes, how), rowBytes, elemBytes, how, false);
  if (how.maxReads === undefined || reads.length <= how.maxReads || axisLength(cols) === 0) return reads;
  const all = clusters(cols, elemBytes, { gap: Infinity, waste: Infinity, free: Infinity });
  return plan(rows, all, rowBytes, elemBytes, how, true);
}

function plan(rows: Axis, cs: Cluster[], rowBytes: number, elemBytes: number, how: Coalescing, through: boolean) {
  const reads: Read[] = [];
  for (const [r0, r1, rowPos] of runs(rows)) {
    for (const c of cs) {
      const width = (c.to - c.from) * elemBytes;
      const gap = rowBytes - width;
      // rows read through when the gaps are cheap, or in reads of at most `free` bytes
      const together = through || gap === 0 || (gap <= how.gap && gap <= how.waste * width);
      const per = Math.max(1, Math.floor((together ? WINDOW : how.free) / rowBytes));
      for (let r = r0; r < r1; r += per) {
        const n = Math.min(per, r1 - r);
        reads.push({
          offset: r * rowBytes + c.from * elemBytes,
          length: (n - 1) * rowBytes + width,
          row: r,
          rows: n,
          rowPos: rowPos + (r - r0),
          cluster: c,
        });
      }
    }
  }
  return reads;
}

/**
 * Elements `rows` × `cols` of a part of `rowBytes`-byte rows of `elemBytes`-byte elements, as a
 * dense row-major (|rows| × |cols| × elemBytes) byte array (into `out` when given, at offset 0).
 */
export async function gather(
  part: TensorPart,
  reads: Read[],
  nRows: number,
  nCols: number,
  rowBytes: number,
  elemBytes: number,
  out?: Uint8Array,
): Promise<Uint8Array> {
  const dense = out ?? new Uint8Array(nRows * nCols * elemBytes);
  const rowStride = nCols * elemBytes;
  for (let i = 0; i < reads.length; ) {
    const batch: Read[] = [];
    let bytes = 0;
    while (i < reads.length && batch.length < IN_FLIGHT_READS && (batch.length === 0 || bytes < WINDOW)) {
      bytes += reads[i]!.length;
      batch.push(reads[i++]!);
    }
    const got = await Promise.all(batch.map((x) => readPart(part, x.offset, x.length)));
    for (const [j, x] of batch.entries()) copyRows(got[j]!, x, dense, rowBytes, rowStride, elemBytes);
  }
  return dense;
}

/** Copies the wanted columns of each row a read covers into the dense grid. */
function copyRows(buf: Uint8Array, x: Read, dense: Uint8Array, rowBytes: number, rowStride: number, eb: number): void {
  const c = x.cluster;
  const dst0 = x.rowPos * rowStride;
  // whole rows, every column wanted: one copy
  if (c.runs.length === 1 && (c.to - c.from) * eb === rowBytes && rowBytes === rowStride) {
    dense.set(buf.subarray(0, x.rows * rowBytes), dst0);
    return;
  }
  for (const [c0, c1, pos] of c.runs) {
    const n = (c1 - c0) * eb;
    let s = (c0 - c.from) * eb;
    let d = dst0 + pos * eb;
    if (n === 4 && ((buf.byteOffset | dense.byteOffset | s | d | rowBytes | rowStride) & 3) === 0) {
      // one 32-bit word a row (a packed column): copy words
      const from = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
      const to = new Int32Array(dense.buffer, dense.byteOffset, dense.length >> 2);
      const rs = rowBytes >> 2;
      const ds = rowStride >> 2;
      for (let k = 0, i = s >> 2, o = d >> 2; k < x.rows; k++, i += rs, o += ds) to[o] = from[i]!;
    } else if (n > 64) {
      for (let k = 0; k < x.rows; k++, s += rowBytes, d += rowStride) dense.set(buf.subarray(s, s + n), d);
    } else {
      for (let k = 0; k < x.rows; k++, s += rowBytes, d += rowStride)
        for (let b = 0; b < n; b++) dense[d + b] = buf[s + b]!;
    }
  }
}
