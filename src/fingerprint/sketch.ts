/**
 * Sketch mode: every tensor fingerprinted from the few byte ranges its sample needs, read in as
 * few requests as possible. Over HTTP a sketch is bound by round trips, so the ranges of all
 * tensors of a file are planned together: sorted by offset, neighbours closer than `maxGap`
 * merged into one request (row 0 of a matrix starts where the norms and biases before it end, so
 * those cost no request of their own), at most `lanes` requests in flight. Tensors small enough to
 * be read whole (the grid layout's, and any whose sample covers them) get a full fingerprint:
 * exact digests and moments.
 *
 * Memory: requests are issued in file order and a tensor is fingerprinted as soon as its last range
 * arrives, so only the requests in flight and the tensors they cover are held. Logical tensors (a
 * decoder over packed parts: GGUF blocks, GPTQ...) read their own ranges through the decoder, one
 * task each in the same lanes.
 */
import { TensorAccumulator, encodeSample, fingerprintFromSample, wantsFullCols, wantsFullRows } from './accumulate.js';
import { fingerprintLogicalSample } from './logical.js';
import { RUNS_LAYOUT, flatRun, gridPlan, planSample, type SampleLayout, type SamplePlan } from './sample.js';
import type { TensorFingerprint } from './types.js';
import { decodeToFloat32, dtypeInfo } from '../formats/dtypes.js';
import type { ByteSource, TensorEntry } from '../formats/types.js';
import { numel } from './shape.js';

export interface SketchOptions {
  k: number;
  seed: number;
  layout?: SampleLayout;
  /** Requests in flight (default 16; the HTTP client may bound them further). */
  lanes?: number;
  /** Ranges closer than this are read in one request (default 64 KiB). */
  maxGap?: number;
  /** Largest merged request; a longer range is split (default 4 MiB). */
  maxRequest?: number;
  /** Patch embeddings up to this size are read whole, for every row at the sampled columns. */
  wholeFullColsLimit?: number;
  /** Packed (bytes-only) tensors up to this size are read whole, for their SHA-256. */
  wholePackedLimit?: number;
  /** After every request: the totals so far. */
  onRead?: (s: SketchStats) => void;
  /** After every tensor: its index and byte length. */
  onTensor?: (index: number, byteLength: number) => void;
  /** Stops taking requests once aborted, rejecting with its reason (remote reads in flight take their client's). */
  signal?: AbortSignal;
}

export interface SketchStats {
  requests: number;
  /** Bytes requested (what crossed the network for remote files). */
  bytes: number;
  /** Requests planned in all. */
  plannedRequests: number;
  plannedBytes: number;
}

export const SKETCH_DEFAULTS = {
  lanes: 16,
  maxGap: 64 * 1024,
  maxRequest: 4 * 1024 * 1024,
  wholeFullColsLimit: 64 * 1024 * 1024,
  wholePackedLimit: 1024 * 1024,
} as const;

/** How one tensor is read: whole (full fingerprint), by ranges (sample), or not at all. */
interface TensorRead {
  index: number;
  t: TensorEntry;
  whole: boolean;
  /** Absolute byte ranges in t.file, ascending, disjoint. */
  ranges: Array<[number, number]>;
  plan?: SamplePlan;
  /** The grid's rows, read in full (embedding-like matrices). */
  fullRows?: SamplePlan;
  /** Elements [start, start + length) in flat order (secret runs with a flat run). */
  flat?: { start: number; length: number };
  /** Bytes of each range once read; the tensor is done when all are there. */
  parts: Array<Uint8Array | undefined>;
  missing: number;
}

/** Part of one request: bytes [start, end) of the request belong to range `range` of `read`. */
interface Slice {
  read: TensorRead;
  range: number;
  start: number;
  end: number;
}

interface Request {
  file: ByteSource;
  offset: number;
  length: number;
  slices: Slice[];
}

/** Which ranges a tensor's sketch needs. Pure: the plan depends on shape, dtype and name only. */
function planTensor(
  index: number,
  t: TensorEntry,
  o: Required<Omit<SketchOptions, 'onRead' | 'onTensor' | 'signal'>>,
): TensorRead {
  const base = { index, t, parts: [], missing: 0 };
  const all: Array<[number, number]> = t.byteLength > 0 ? [[t.offset, t.offset + t.byteLength]] : [];
  const info = dtypeInfo(t.dtype);
  if (!info.decodable) {
    const whole = t.byteLength <= o.wholePackedLimit;
    return { ...base, whole, ranges: whole ? all : [] };
  }
  const plan = planSample(t.shape, o.k, o.seed, o.layout);
  const count = numel(t.shape);
  const covered = plan.rows.length * plan.cols.length >= count;
  if (plan.kind === 'grid' || covered || (wantsFullCols(t.name, t.shape) && t.byteLength <= o.wholeFullColsLimit)) {
    return { ...base, whole: true, ranges: all };
  }
  const es = info.bits / 8;
  const spans: Array<[number, number]> = [];
  const c0 = plan.cols[0]!;
  const c1 = plan.cols[plan.cols.length - 1]! + 1;
  for (const r of plan.rows) spans.push([t.offset + (r * plan.C + c0) * es, t.offset + (r * plan.C + c1) * es]);
  let fullRows: SamplePlan | undefined;
  if (wantsFullRows(t.name, t.shape)) {
    fullRows = gridPlan(t.shape, o.k, o.seed);
    for (const r of fullRows.rows) spans.push([t.offset + r * plan.C * es, t.offset + (r + 1) * plan.C * es]);
  }
  const flat = flatRun(t.name, t.shape, o.k, o.seed, o.layout);
  if (flat) spans.push([t.offset + flat.start * es, t.offset + (flat.start + flat.length) * es]);
  return { ...base, whole: false, ranges: mergeRanges(spans), plan, fullRows, ...(flat ? { flat } : {}) };
}

/** Sorted, overlapping or touching ranges joined. */
function mergeRanges(spans: Array<[number, number]>): Array<[number, number]> {
  spans.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of spans) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * Requests for all tensors, file by file in offset order: ranges closer than maxGap share a
 * request, a range longer than maxRequest is split. Exported for tests and the benchmark.
 */
export function planRequests(reads: TensorRead[], maxGap: number, maxRequest: number): Request[] {
  const byFile = new Map<ByteSource, Array<{ read: TensorRead; range: number; s: number; e: number }>>();
  for (const read of reads) {
    // a tensor read whole comes in chunks of at most maxRequest, fed to its accumulator in order
    if (read.whole) read.ranges = read.ranges.flatMap(([s, e]) => chunks(s, e, maxRequest));
    read.parts = new Array(read.ranges.length);
    read.missing = read.ranges.length;
    read.ranges.forEach(([s, e], range) => {
      let list = byFile.get(read.t.file);
      if (!list) {
        list = [];
        byFile.set(read.t.file, list);
      }
      list.push({ read, range, s, e });
    });
  }
  const out: Request[] = [];
  for (const [file, list] of byFile) {
    list.sort((a, b) => a.s - b.s);
    let cur: Request | undefined;
    for (const { read, range, s, e } of list) {
      const curEnd = cur ? cur.offset + cur.length : 0;
      if (cur && s >= curEnd && s - curEnd <= maxGap && e - cur.offset <= maxRequest) cur.length = e - cur.offset;
      else {
        cur = { file, offset: s, length: e - s, slices: [] };
        out.push(cur);
      }
      cur.slices.push({ read, range, start: s - cur.offset, end: e - cur.offset });
    }
  }
  return out;
}

function chunks(s: number, e: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let pos = s; pos < e; pos += size) out.push([pos, Math.min(e, pos + size)]);
  return out;
}

/** Fingerprints `tensors` from sampled ranges; results in the same order. */
export async function sketchTensors(tensors: TensorEntry[], options: SketchOptions): Promise<TensorFingerprint[]> {
  const o = {
    k: options.k,
    seed: options.seed,
    layout: options.layout ?? RUNS_LAYOUT,
    lanes: options.lanes ?? SKETCH_DEFAULTS.lanes,
    maxGap: options.maxGap ?? SKETCH_DEFAULTS.maxGap,
    maxRequest: options.maxRequest ?? SKETCH_DEFAULTS.maxRequest,
    wholeFullColsLimit: options.wholeFullColsLimit ?? SKETCH_DEFAULTS.wholeFullColsLimit,
    wholePackedLimit: options.wholePackedLimit ?? SKETCH_DEFAULTS.wholePackedLimit,
  };
  // logical tensors (a decoder over packed parts) read their own ranges, one task each
  const logical = tensors.map((t, i) => (t.encoding ? i : -1)).filter((i) => i >= 0);
  const reads = tensors.flatMap((t, i) => (t.encoding ? [] : [planTensor(i, t, o)]));
  const requests = planRequests(reads, o.maxGap, o.maxRequest);
  const out: TensorFingerprint[] = new Array(tensors.length);
  const stats: SketchStats = {
    requests: 0,
    bytes: 0,
    plannedRequests: requests.length,
    plannedBytes: requests.reduce((n, r) => n + r.length, 0),
  };
  const finish = (read: TensorRead) => {
    out[read.index] = fingerprintRead(read, o);
    read.parts = [];
    options.onTensor?.(read.index, read.t.byteLength);
  };
  // tensors that need no bytes (empty, or packed and too large to read whole)
  for (const read of reads) if (read.missing === 0) finish(read);

  type Task = { request: Request } | { logical: number };
  const tasks: Task[] = [...requests.map((request) => ({ request })), ...logical.map((i) => ({ logical: i }))];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const runRequest = async (req: Request) => {
    const bytes = await req.file.read(req.offset, req.length);
    stats.requests++;
    stats.bytes += req.length;
    options.onRead?.(stats);
    for (const s of req.slices) {
      s.read.parts[s.range] = bytes.subarray(s.start, s.end);
      if (--s.read.missing === 0) finish(s.read);
    }
  };
  const lane = async () => {
    while (next < tasks.length && !failure) {
      if (options.signal?.aborted) {
        failure ??= { error: options.signal.reason };
        return;
      }
      const task = tasks[next++]!;
      try {
        if ('request' in task) await runRequest(task.request);
        else {
          const t = tensors[task.logical]!;
          out[task.logical] = await fingerprintLogicalSample(t, o.k, o.seed, o.layout);
          options.onTensor?.(task.logical, t.byteLength);
        }
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };
  // on the first failure the other lanes stop taking work and are awaited: nothing keeps reading
  // after the call has failed
  await Promise.all(Array.from({ length: Math.min(o.lanes, tasks.length) }, lane));
  if (failure) throw failure.error;
  return out;
}

function fingerprintRead(read: TensorRead, o: { k: number; seed: number; layout: SampleLayout }): TensorFingerprint {
  const { t } = read;
  if (read.whole) {
    const acc = new TensorAccumulator(t.name, t.dtype, t.shape, t.byteLength, {
      k: o.k,
      seed: o.seed,
      layout: o.layout,
      fullRows: wantsFullRows(t.name, t.shape),
      fullCols: wantsFullCols(t.name, t.shape),
    });
    for (const part of read.parts) acc.update(part!);
    return acc.finish();
  }
  if (!read.plan) return { name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.byteLength, bytesOnly: true };
  const plan = read.plan;
  const es = dtypeInfo(t.dtype).bits / 8;
  /** Decoded values of elements [from, to) of the tensor (flat), from whichever range holds them. */
  const decode = (from: number, to: number): Float32Array => {
    const s = t.offset + from * es;
    const e = t.offset + to * es;
    const i = read.ranges.findIndex(([rs, re]) => rs <= s && e <= re);
    if (i < 0) throw new Error(`${t.name}: elements ${from}..${to} were not read`);
    const part = read.parts[i]!;
    const at = s - read.ranges[i]![0];
    return decodeToFloat32(t.dtype, part.slice(at, at + (e - s)));
  };
  const c0 = plan.cols[0]!;
  const c1 = plan.cols[plan.cols.length - 1]! + 1;
  const values = new Float32Array(plan.rows.length * plan.cols.length);
  let n = 0;
  for (const r of plan.rows) {
    const row = decode(r * plan.C + c0, r * plan.C + c1);
    for (const c of plan.cols) values[n++] = row[c - c0]!;
  }
  let fullRows: { values: Float32Array; rows: number } | undefined;
  if (read.fullRows) {
    const g = read.fullRows;
    const rv = new Float32Array(g.rows.length * g.C);
    g.rows.forEach((r, i) => {
      rv.set(decode(r * g.C, (r + 1) * g.C), i * g.C);
    });
    fullRows = { values: rv, rows: g.rows.length };
  }
  const fp = fingerprintFromSample(t.name, t.dtype, t.shape, t.byteLength, plan, values, fullRows);
  if (read.flat) {
    const { start, length } = read.flat;
    fp.flatRun = encodeSample(decode(start, start + length), 1, length);
  }
  return fp;
}
