/**
 * The deterministic coordinate sample. A tensor of shape [R, ...rest] is viewed as an R × C
 * matrix (C = product of rest). Rows and columns are chosen independently by a seeded hash with a
 * rate that depends only on that axis' length (nested sampling): row r is kept when
 * hash(seed, r) < tr / R. Two tensors of equal shape therefore share every coordinate, and a
 * tensor with extra rows (extended vocabulary) or extra trailing columns keeps the coordinates of
 * its common part, because a lower rate selects a subset of what a higher rate selects.
 * The grid (rows × cols) also makes range reads cheap: one contiguous span per sampled row.
 * Both axes use the same hash, so the sample of a transposed matrix is the transposed sample.
 */

export const DEFAULT_SAMPLE_K = 4096;
export const DEFAULT_SAMPLE_SEED = 0x5eed_2026;

export interface SamplePlan {
  /** R × C view of the tensor. */
  R: number;
  C: number;
  /** Sorted row indices and column indices of the grid. */
  rows: Uint32Array;
  cols: Uint32Array;
}

/** 32-bit avalanche hash of (seed, axis tag, index): murmur3's finaliser over a mixed word. */
export function hash32(seed: number, tag: number, index: number): number {
  let h = (seed ^ Math.imul(tag + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index, 0xcc9e2d51)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  // second round: index values that differ in high bits only must still spread
  h = Math.imul(h ^ (index >>> 16), 0x27d4eb2d);
  h ^= h >>> 15;
  return h >>> 0;
}

// One tag for both axes: an axis of a given length is sampled alike whether it is a row or a
// column axis, so a transposed matrix's sample is the transpose of the original's.
const ROW_TAG = 1;
const COL_TAG = ROW_TAG;

function pickAxis(length: number, target: number, seed: number, tag: number): Uint32Array {
  if (target >= length) {
    const all = new Uint32Array(length);
    for (let i = 0; i < length; i++) all[i] = i;
    return all;
  }
  const threshold = (target / length) * 4294967296;
  const picked: number[] = [];
  for (let i = 0; i < length; i++) if (hash32(seed, tag, i) < threshold) picked.push(i);
  // A tiny axis can select nothing by chance: keep the one with the smallest hash (still nested).
  if (picked.length === 0) {
    let best = 0;
    let bestHash = Infinity;
    for (let i = 0; i < length; i++) {
      const h = hash32(seed, tag, i);
      if (h < bestHash) {
        bestHash = h;
        best = i;
      }
    }
    picked.push(best);
  }
  return Uint32Array.from(picked);
}

export function matrixView(shape: readonly number[]): { R: number; C: number } {
  if (shape.length === 0) return { R: 1, C: 1 };
  if (shape.length === 1) return { R: 1, C: shape[0]! };
  const R = shape[0]!;
  let C = 1;
  for (let i = 1; i < shape.length; i++) C *= shape[i]!;
  return { R, C };
}

/**
 * Axis targets depend on the other axis only when that one is short, so the usual cases
 * (vocabulary growth, pruning along one axis of a large matrix) keep nested coordinates.
 * The grid is wider than tall (√K/2 rows × 2√K columns): a range read costs whole rows, so fewer
 * rows read fewer bytes for the same K.
 */
export function planSample(shape: readonly number[], k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED): SamplePlan {
  const { R, C } = matrixView(shape);
  const rowTarget = Math.max(1, Math.ceil(Math.sqrt(k) / 2));
  const colTarget = Math.ceil(k / rowTarget);
  let tr = Math.min(R, rowTarget);
  let tc = Math.min(C, colTarget);
  if (C < colTarget) tr = Math.min(R, Math.ceil(k / Math.max(C, 1)));
  if (R < rowTarget) tc = Math.min(C, Math.ceil(k / Math.max(R, 1)));
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0) };
  return { R, C, rows: pickAxis(R, tr, seed, ROW_TAG), cols: pickAxis(C, tc, seed, COL_TAG) };
}

/** Flat element indices of the grid, ascending (row-major). */
export function sampleFlatIndices(plan: SamplePlan): Float64Array {
  const out = new Float64Array(plan.rows.length * plan.cols.length);
  let n = 0;
  for (const r of plan.rows) for (const c of plan.cols) out[n++] = r * plan.C + c;
  return out;
}

/** Byte spans to read for a sample: one per sampled row, merged when the gap is small. */
export function sampleByteSpans(
  plan: SamplePlan,
  tensorOffset: number,
  bytesPerElement: number,
  maxGap = 64 * 1024,
): Array<{ offset: number; length: number }> {
  const spans: Array<{ offset: number; length: number }> = [];
  if (plan.cols.length === 0) return spans;
  const c0 = plan.cols[0]!;
  const c1 = plan.cols[plan.cols.length - 1]!;
  for (const r of plan.rows) {
    const start = tensorOffset + (r * plan.C + c0) * bytesPerElement;
    const end = tensorOffset + (r * plan.C + c1 + 1) * bytesPerElement;
    const last = spans[spans.length - 1];
    if (last && start - (last.offset + last.length) <= maxGap) last.length = end - last.offset;
    else spans.push({ offset: start, length: end - start });
  }
  return spans;
}

interface QuantizedSample {
  center: number;
  scale: number;
  q: Int8Array;
}

/**
 * int8 with a per-tensor centre and scale: 1 byte a value keeps correlation error far below the
 * sampling error (~1/sqrt(K)). The scale clips at 8 standard deviations so one outlier does not
 * flatten the rest; non-finite values are stored as 0.
 */
export function quantizeSample(values: Float32Array | Float64Array): QuantizedSample {
  let n = 0;
  let sum = 0;
  for (const v of values)
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  const center = n > 0 ? sum / n : 0;
  let ss = 0;
  let maxDev = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const d = v - center;
    ss += d * d;
    if (Math.abs(d) > maxDev) maxDev = Math.abs(d);
  }
  const sd = n > 1 ? Math.sqrt(ss / n) : 0;
  const span = Math.min(maxDev, 8 * sd);
  const scale = span > 0 ? span / 127 : 0;
  const q = new Int8Array(values.length);
  if (scale > 0) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      const x = Math.round((v - center) / scale);
      q[i] = x > 127 ? 127 : Math.max(x, -127);
    }
  }
  return { center: Math.fround(center), scale: Math.fround(scale), q };
}

export function encodeQ(q: Int8Array): string {
  return Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64');
}

export function decodeQ(b64: string): Int8Array {
  const buf = Buffer.from(b64, 'base64');
  return new Int8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
