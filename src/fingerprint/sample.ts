/**
 * The deterministic coordinate sample. A tensor of shape [R, ...rest] is viewed as an R × C
 * matrix (C = product of rest) and sampled on a grid: a set of rows × a set of columns, both
 * functions of the shape (and the seed) only, so two tensors of equal shape share every
 * coordinate whatever their dtype or name.
 *
 * Two layouts (FingerprintDocument.sampling.layout):
 * - `grid` (schema 1, and tensors of up to `runsAbove` elements in schema 2): rows and columns
 *   chosen independently by a seeded hash at a rate that depends only on the axis' length
 *   (nested sampling: a tensor with extra rows or trailing columns keeps the coordinates of its
 *   common part, because a lower rate selects a subset of a higher rate's picks). Both axes use
 *   one hash, so a transposed matrix shares a 32 × 32 block of coordinates with the original.
 *   Reading it costs one range per sampled row (32 per matrix), so a sketch reads such small
 *   tensors whole instead.
 * - `runs` (schema 2, tensors above `runsAbove` elements): rows 0 and R-1 plus the rows of
 *   smallest hash (3 rows for wide matrices), each read as one contiguous run of its first
 *   L = ⌈K/3⌉ columns: 2 requests per matrix instead of 32 near-whole rows. Still nested (bottom-k
 *   by hash keeps the common rows' picks when the first axis grows or shrinks, row 0 is common, the
 *   run is a prefix of every row; only row R-1 is new), but
 *   a transposed copy of a large matrix shares almost no coordinates: transposition is matched by
 *   the order-free value digest (full mode) only.
 * - `secret-runs` (the challenge sample's private documents, check/challenge.ts; never stored):
 *   every coordinate a function of the seed, at fewer requests than the runs layout. Above
 *   `runsAbove`, the rows are picked by hash (bottom-k among rows 1..R-2: no fixed first or last
 *   row; 2 rows for wide matrices) and each contributes one contiguous run of L = ⌈K/2⌉ columns
 *   starting at a seed-derived offset, past the public runs' columns 0..⌈K/3⌉-1 when the row is
 *   long enough (C ≥ ⌈K/3⌉ + L). As many sampled values as the runs layout, in 2 byte ranges per
 *   matrix instead of 3 (a private row never shares a request with its neighbours: there are no
 *   fixed rows next to the norms between matrices). Nested under row growth (bottom-k) and, for
 *   columns, within a power-of-two band of the row length (the offset is the seed's hash modulo
 *   the largest power of two that fits).
 *   Flat runs (flatRun): for element counts the challenge names, a large tensor also holds ⌈K/2⌉
 *   contiguous values in row-major flat order from a start drawn from the seed and the count, the
 *   same elements in any shape of that count (a copy stored [4R, C/4] shares no row run with [R, C]).
 * Embedding-like matrices' full rows and patch embeddings' full columns always use the grid's
 * rows and columns (gridPlan), in every layout.
 */

import { numel } from './shape.js';

export const DEFAULT_SAMPLE_K = 4096;
export const DEFAULT_SAMPLE_SEED = 0x5eed_2026;

/** Which layout a document's samples use, and the size above which `runs` applies. */
export interface SampleLayout {
  kind: 'grid' | 'runs' | 'secret-runs';
  /** Tensors with more elements than this use runs (Infinity for `grid`). */
  runsAbove: number;
  /**
   * `secret-runs` only: element counts whose large tensors also get a flat run (flatRun below), for
   * a partner of that count stored in another shape. Not recorded in the document: a tensor's
   * `flatRun` says it has one, and its start follows from its element count, k and the seed.
   */
  flatCounts?: readonly number[];
  /** With `flatCounts`: only tensors of these names get one (a registry entry's read: see check/challenge.ts). */
  flatNames?: readonly string[];
}

/** Schema 1 documents: the grid for every tensor. */
export const GRID_LAYOUT: SampleLayout = Object.freeze({ kind: 'grid', runsAbove: Infinity });
/** 2^18 elements: 512 KiB of BF16, read whole by a sketch in one request. */
export const DEFAULT_RUNS_ABOVE = 2 ** 18;
export const RUNS_LAYOUT: SampleLayout = Object.freeze({ kind: 'runs', runsAbove: DEFAULT_RUNS_ABOVE });
/**
 * The challenge sample's private layout: the runs layout's threshold and cost, every coordinate
 * chosen by the (secret) seed. Read at the published seed it would be as public as any other.
 */
export const SECRET_RUNS_LAYOUT: SampleLayout = Object.freeze({
  kind: 'secret-runs',
  runsAbove: DEFAULT_RUNS_ABOVE,
});
/** Rows of a wide matrix in the runs layout: rows 0 and R-1, and the one of smallest hash. */
export const RUN_ROWS = 3;
/**
 * Rows of a wide matrix in the secret runs layout: two hashed rows of ⌈K/2⌉ values each. No row of
 * a private sample can share a request with a neighbour, so each costs one; two longer runs hold
 * as many values as the public three.
 */
export const SECRET_RUN_ROWS = 2;

/** Layout names a document's `sampling.layout` may carry (schema 2). */
export const RUN_LAYOUT_NAMES = ['runs', 'secret-runs'] as const;

/** The layout recorded in a document's `sampling` (absent: schema 1, the grid). */
export function layoutOf(sampling: { layout?: string; runsAbove?: number }): SampleLayout {
  const kind = sampling.layout;
  if (kind !== 'runs' && kind !== 'secret-runs') return GRID_LAYOUT;
  const above = sampling.runsAbove;
  return { kind, runsAbove: typeof above === 'number' && above >= 0 ? above : DEFAULT_RUNS_ABOVE };
}

/** Whether large tensors are sampled in row runs (`runs` or `secret-runs`): few rows, no transposed overlap. */
export function runsLayout(layout: SampleLayout): boolean {
  return layout.kind !== 'grid';
}

export function sameLayout(a: SampleLayout, b: SampleLayout): boolean {
  return a.kind === b.kind && a.runsAbove === b.runsAbove;
}

export interface SamplePlan {
  /** R × C view of the tensor. */
  R: number;
  C: number;
  /** Sorted row indices and column indices of the grid. */
  rows: Uint32Array;
  cols: Uint32Array;
  /** How rows and columns were chosen (`runs`: a few rows, each a contiguous run of columns). */
  kind: 'grid' | 'runs';
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

/**
 * Axis picks depend only on (length, count, seed, tag), and a model's matrices share a few axis
 * lengths: hashing every index of an axis again for each tensor showed in full-fingerprint
 * profiles (tens of ms a model). Callers get a copy (some sort theirs in place).
 */
const picks = new Map<string, Uint32Array>();
const PICKS_MAX = 128;
export function memoPick(key: string, make: () => Uint32Array): Uint32Array {
  let v = picks.get(key);
  if (!v) {
    if (picks.size >= PICKS_MAX) picks.clear();
    v = make();
    picks.set(key, v);
  }
  return v.slice();
}

function pickAxis(length: number, target: number, seed: number, tag: number): Uint32Array {
  return memoPick(`a${length},${target},${seed},${tag}`, () => pickAxisOnce(length, target, seed, tag));
}

function pickAxisOnce(length: number, target: number, seed: number, tag: number): Uint32Array {
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
 * The grid of the `grid` layout. Axis targets depend on the other axis only when that one is
 * short, so the usual cases (vocabulary growth, pruning along one axis of a large matrix) keep
 * nested coordinates. The grid is wider than tall (√K/2 rows × 2√K columns).
 */
export function gridPlan(shape: readonly number[], k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED): SamplePlan {
  const { R, C } = matrixView(shape);
  const rowTarget = Math.max(1, Math.ceil(Math.sqrt(k) / 2));
  const colTarget = Math.ceil(k / rowTarget);
  let tr = Math.min(R, rowTarget);
  let tc = Math.min(C, colTarget);
  if (C < colTarget) tr = Math.min(R, Math.ceil(k / Math.max(C, 1)));
  if (R < rowTarget) tc = Math.min(C, Math.ceil(k / Math.max(R, 1)));
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0), kind: 'grid' };
  return { R, C, rows: pickAxis(R, tr, seed, ROW_TAG), cols: pickAxis(C, tc, seed, COL_TAG), kind: 'grid' };
}

/**
 * The runs layout: rows 0 and R-1 plus the rows of smallest hash (one for wide matrices; enough
 * for K values when rows are shorter than ⌈K/3⌉), each contributing its first min(C, ⌈K/3⌉)
 * columns. Row 0 starts the tensor and row R-1 ends close to the next one's start, so a sketch
 * reads them in one request together with whatever small tensors (norms, biases) lie between:
 * two requests per matrix in all.
 */
export function runsPlan(shape: readonly number[], k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED): SamplePlan {
  const { R, C } = matrixView(shape);
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0), kind: 'runs' };
  const L = Math.min(C, Math.max(1, Math.ceil(k / RUN_ROWS)));
  const m = Math.min(R, Math.max(RUN_ROWS, Math.ceil(k / C)));
  const ends = R > 1 ? [0, R - 1] : [0];
  const rows = [...ends, ...smallestHashes(R, m - ends.length, seed, ROW_TAG)].sort((a, b) => a - b);
  return { R, C, rows: Uint32Array.from(rows), cols: Uint32Array.from({ length: L }, (_, i) => i), kind: 'runs' };
}

/** Hash tag of the secret runs' column offset (rows use ROW_TAG). */
const OFFSET_TAG = 3;
/** Hash tags of a flat run's start. */
const FLAT_TAG = 4;

/**
 * The flat run of a large tensor in the secret runs layout when its element count is among the
 * layout's `flatCounts`: ⌈K/2⌉ contiguous elements in row-major flat order from a start drawn from
 * the seed and the element count only, so two tensors of one element count in any two shapes ([R, C]
 * and [4R, C/4], or 1-D) hold the same elements there, which their row runs (picked per shape) do
 * not. One range more per such tensor. A transposed copy's flat order differs: it is not matched.
 */
export function flatRun(
  name: string,
  shape: readonly number[],
  k: number,
  seed: number,
  layout: SampleLayout,
): { start: number; length: number } | undefined {
  const count = numel(shape);
  if (layout.kind !== 'secret-runs' || count <= layout.runsAbove || !layout.flatCounts?.includes(count)) return;
  if (layout.flatNames && !layout.flatNames.includes(name)) return;
  return flatRunAt(count, k, seed);
}

/** Where a flat run of a tensor of `count` elements lies (flatRun), past the public first ⌈K/3⌉ values. */
export function flatRunAt(count: number, k: number, seed: number): { start: number; length: number } {
  const length = Math.min(count, Math.max(1, Math.ceil(k / SECRET_RUN_ROWS)));
  const from = count >= Math.ceil(k / RUN_ROWS) + length ? Math.ceil(k / RUN_ROWS) : 0;
  const span = count - length - from + 1;
  // two 32-bit draws: element counts exceed 2^32 in the largest tensors
  const u = hash32(seed, FLAT_TAG, count % 2 ** 32) / 2 ** 32 + hash32(seed, FLAT_TAG + 1, count % 2 ** 32) / 2 ** 64;
  return { start: from + Math.min(span - 1, Math.floor(u * span)), length };
}

/**
 * The secret runs layout (see the module comment): the rows of smallest hash among 1..R-2 (all rows
 * when there are too few; 2 for rows of ⌈K/2⌉ values or more), each contributing min(C, ⌈K/2⌉)
 * contiguous columns from an offset drawn from the seed. When a row holds the public run and a
 * private one (C ≥ ⌈K/3⌉ + ⌈K/2⌉) the offset lies in [⌈K/3⌉, C-⌈K/2⌉], so the private run never
 * reads the public runs' columns: a rewrite of those in every row does not reach it.
 */
export function secretRunsPlan(shape: readonly number[], k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED): SamplePlan {
  const { R, C } = matrixView(shape);
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0), kind: 'runs' };
  const L = Math.min(C, Math.max(1, Math.ceil(k / SECRET_RUN_ROWS)));
  const m = Math.min(R, Math.max(SECRET_RUN_ROWS, Math.ceil(k / C)));
  const rows = R - 2 >= m ? smallestHashes(R, m, seed, ROW_TAG).sort((a, b) => a - b) : allRows(R);
  // the public runs' columns 0..publicL-1 (runsPlan), skipped when the row has room for both runs
  const publicL = Math.min(C, Math.max(1, Math.ceil(k / RUN_ROWS)));
  const from = C >= publicL + L ? publicL : 0;
  const span = C - L - from + 1;
  // the largest power of two that fits: rows with a few more trailing columns keep the offset
  const band = 2 ** Math.floor(Math.log2(span));
  const offset = from + (hash32(seed, OFFSET_TAG, 0) % band);
  return {
    R,
    C,
    rows: Uint32Array.from(rows),
    cols: Uint32Array.from({ length: L }, (_, i) => offset + i),
    kind: 'runs',
  };
}

function allRows(R: number): number[] {
  return Array.from({ length: R }, (_, i) => i);
}

/**
 * Indices 1..n-2 (the ends are taken) with the `count` smallest hashes, by a bounded max-heap:
 * nested under growth of n (a pick of the longer axis that lies in the shorter one is a pick of
 * the shorter one).
 */
function smallestHashes(n: number, count: number, seed: number, tag: number): number[] {
  return Array.from(
    memoPick(`s${n},${count},${seed},${tag}`, () => Uint32Array.from(smallestHashesOnce(n, count, seed, tag))),
  );
}

function smallestHashesOnce(n: number, count: number, seed: number, tag: number): number[] {
  if (count <= 0) return [];
  if (count >= n - 2) return Array.from({ length: Math.max(0, n - 2) }, (_, i) => i + 1);
  const heapH = new Float64Array(count);
  const heapI = new Uint32Array(count);
  let size = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < size && heapH[l]! > heapH[top]!) top = l;
      if (r < size && heapH[r]! > heapH[top]!) top = r;
      if (top === i) return;
      [heapH[i], heapH[top]] = [heapH[top]!, heapH[i]!];
      [heapI[i], heapI[top]] = [heapI[top]!, heapI[i]!];
      i = top;
    }
  };
  for (let i = 1; i < n - 1; i++) {
    // ties broken by index so the order is total: (hash, index)
    const h = hash32(seed, tag, i) + i / 2 ** 32;
    if (size < count) {
      let j = size++;
      heapH[j] = h;
      heapI[j] = i;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (heapH[p]! >= heapH[j]!) break;
        [heapH[p], heapH[j]] = [heapH[j]!, heapH[p]!];
        [heapI[p], heapI[j]] = [heapI[j]!, heapI[p]!];
        j = p;
      }
    } else if (h < heapH[0]!) {
      heapH[0] = h;
      heapI[0] = i;
      siftDown(0);
    }
  }
  return Array.from(heapI.subarray(0, size));
}

/**
 * The sample plan of a tensor under a document's layout (`layoutOf(doc.sampling)`): no default,
 * so no caller reads a schema 1 sample with schema 2 coordinates or the other way round.
 */
export function planSample(shape: readonly number[], k: number, seed: number, layout: SampleLayout): SamplePlan {
  const { R, C } = matrixView(shape);
  if (R * C <= layout.runsAbove) return gridPlan(shape, k, seed);
  return layout.kind === 'secret-runs' ? secretRunsPlan(shape, k, seed) : runsPlan(shape, k, seed);
}

/** Whether two plans pick the same coordinates (then samples line up value for value). */
export function samePlan(a: SamplePlan, b: SamplePlan): boolean {
  return a.R === b.R && a.C === b.C && equalU32(a.rows, b.rows) && equalU32(a.cols, b.cols);
}

function equalU32(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
