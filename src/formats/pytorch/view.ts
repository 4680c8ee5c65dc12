/**
 * A non-contiguous tensor view (torch.save keeps a view's whole storage plus its offset, size
 * and stride) presented as the contiguous row-major bytes of the tensor, so the fingerprint
 * reads it like any other tensor. Reads are gathered from the storage: the requested logical
 * range is cut into boxes, each box into runs along its smallest storage stride, runs are
 * coalesced into bounded windows, and the windows are read through the file's ByteSource.
 * Memory stays bounded by the request plus a fixed window budget; small storages are read once
 * and kept in a shared, size-bounded cache.
 */
import { InputError } from '../../errors.js';
import { DEFAULT_CHUNK_SIZE } from '../file-source.js';
import type { ByteSource } from '../types.js';

/** Storage spans up to this size are read whole once (per view, while cached); larger over HTTP. */
const CACHE_SPAN = 32 * 1024 * 1024;
const REMOTE_CACHE_SPAN = 256 * 1024 * 1024;
/** All cached spans together. */
const CACHE_BUDGET = 256 * 1024 * 1024;
/**
 * Over HTTP every separate read is a request: a view that would need more than this many for
 * one read (a huge transposed matrix, sampled row by row) is refused rather than crawled.
 */
export const MAX_REMOTE_READS = 512;
/** Largest single read while gathering, and the bytes in flight at once. */
const WINDOW = 8 * 1024 * 1024;
const IN_FLIGHT = 32 * 1024 * 1024;

interface ViewLayout {
  /** Which tensor, for messages. */
  what?: string;
  /** Absolute offset of the storage's first byte in `base`. */
  dataOffset: number;
  /** Bytes per element. */
  elementSize: number;
  storageOffset: number;
  size: number[];
  stride: number[];
}

/** True when the view's elements are exactly one contiguous row-major run of its storage. */
export function isContiguous(size: number[], stride: number[]): boolean {
  let expected = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    if (size[d] === 1) continue; // a unit dimension's stride never matters
    if (stride[d] !== expected) return false;
    expected *= size[d]!;
  }
  return true;
}

/** Highest storage element the view touches (−1 when it is empty). */
export function lastElement(storageOffset: number, size: number[], stride: number[]): number {
  if (size.some((s) => s === 0)) return -1;
  return size.reduce((n, s, d) => n + (s - 1) * stride[d]!, storageOffset);
}

interface Run {
  /** Storage element of the run's first value, and the step between values (elements). */
  start: number;
  count: number;
  step: number;
  /** Output element of the first value, and the output step. */
  out: number;
  outStep: number;
}

interface Piece {
  /** Byte range of the storage (relative to the storage's first byte). */
  from: number;
  to: number;
  runs: Run[];
}

export class StridedView implements ByteSource {
  readonly size: number;
  /** For messages: which tensor this is, e.g. `tensor "w" (a strided view of storage 3)`. */
  readonly what: string;
  private readonly numel: number;
  private readonly logical: number[];
  private readonly spanFrom: number;
  private readonly spanTo: number;

  constructor(
    readonly id: string,
    private readonly base: ByteSource,
    private readonly layout: ViewLayout,
    /** Spans up to this many bytes are read whole and cached (tests lower it to exercise gathering). */
    private readonly cacheSpan = base.localPath ? CACHE_SPAN : REMOTE_CACHE_SPAN,
  ) {
    const { size, elementSize } = layout;
    this.what = layout.what ?? 'a strided tensor view';
    this.numel = size.reduce((n, s) => n * s, 1);
    this.size = this.numel * elementSize;
    this.logical = new Array(size.length);
    let m = 1;
    for (let d = size.length - 1; d >= 0; d--) {
      this.logical[d] = m;
      m *= size[d]!;
    }
    const minElem = layout.storageOffset;
    const maxElem = lastElement(layout.storageOffset, size, layout.stride);
    this.spanFrom = minElem * elementSize;
    this.spanTo = maxElem < 0 ? this.spanFrom : (maxElem + 1) * elementSize;
  }

  /** The file the storage is in: reads are counted there. */
  get within(): ByteSource {
    return this.base;
  }

  bytesRead(): number {
    return 0;
  }

  async close(): Promise<void> {
    cache.delete(this);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
    }
    if (offset + length > this.size) throw new RangeError(`read past the end of view ${this.id}`);
    const es = this.layout.elementSize;
    const e0 = Math.floor(offset / es);
    const e1 = Math.ceil((offset + length) / es);
    const out = new Uint8Array((e1 - e0) * es);
    if (e1 > e0) await this.gather(e0, e1, out);
    const skip = offset - e0 * es;
    return skip === 0 && out.length === length ? out : out.slice(skip, skip + length);
  }

  async *stream(offset: number, length: number, chunkSize = DEFAULT_CHUNK_SIZE): AsyncIterable<Uint8Array> {
    const end = offset + length;
    for (let pos = offset; pos < end; pos += chunkSize) yield await this.read(pos, Math.min(chunkSize, end - pos));
  }

  private async gather(e0: number, e1: number, out: Uint8Array): Promise<void> {
    const es = this.layout.elementSize;
    const runs = this.runs(e0, e1);
    const span = this.spanTo - this.spanFrom;
    if (span <= this.cacheSpan) {
      const storage = await cache.get(this, () => this.base.read(this.layout.dataOffset + this.spanFrom, span));
      for (const r of runs) scatter(storage, this.spanFrom, r, out, es);
      return;
    }
    const pieces = coalesce(runs, es, this.base.localPath ? 64 * 1024 : 256 * 1024);
    if (!this.base.localPath && pieces.length > MAX_REMOTE_READS) {
      throw new InputError(
        this.base.id,
        `${this.what} would need ${pieces.length} range requests for one read ` +
          `(more than ${MAX_REMOTE_READS}): fingerprint a local copy, ` +
          'or re-save the checkpoint with contiguous tensors',
      );
    }
    for (let i = 0; i < pieces.length; ) {
      const batch: Piece[] = [];
      let bytes = 0;
      while (i < pieces.length && (batch.length === 0 || bytes + (pieces[i]!.to - pieces[i]!.from) <= IN_FLIGHT)) {
        bytes += pieces[i]!.to - pieces[i]!.from;
        batch.push(pieces[i++]!);
      }
      const buffers = await Promise.all(
        batch.map((p) => this.base.read(this.layout.dataOffset + p.from, p.to - p.from)),
      );
      batch.forEach((p, j) => {
        for (const r of p.runs) scatter(buffers[j]!, p.from, r, out, es);
      });
    }
  }

  /** Runs covering logical elements [e0, e1), along each box's smallest storage stride. */
  private runs(e0: number, e1: number): Run[] {
    const { size, storageOffset } = this.layout;
    const n = size.length;
    const runs: Run[] = [];
    if (n === 0) {
      runs.push({ start: storageOffset, count: 1, step: 0, out: 0, outStep: 0 });
      return runs;
    }
    let cur = e0;
    while (cur < e1) {
      const idx = this.unravel(cur);
      // the largest box starting at cur: dims after t at 0 and covered whole, dim t partial
      let t = n - 1;
      for (let d = 0; d < n; d++) {
        const restZero = idx.slice(d + 1).every((x) => x === 0);
        if (restZero && e1 - cur >= this.logical[d]!) {
          t = d;
          break;
        }
      }
      const count = Math.min(size[t]! - idx[t]!, Math.floor((e1 - cur) / this.logical[t]!));
      const extents = size.map((s, d) => (d < t ? 1 : d === t ? count : s));
      this.boxRuns(idx, extents, cur - e0, runs);
      cur += count * this.logical[t]!;
    }
    return runs;
  }

  private boxRuns(start: number[], extents: number[], outBase: number, runs: Run[]): void {
    const { stride, storageOffset } = this.layout;
    const n = extents.length;
    // run along the dimension with the smallest storage stride among those that vary
    let f = -1;
    for (let d = 0; d < n; d++) {
      if (extents[d]! <= 1) continue;
      if (f < 0 || stride[d]! < stride[f]! || (stride[d] === stride[f] && extents[d]! > extents[f]!)) f = d;
    }
    const base = start.reduce((s, x, d) => s + x * stride[d]!, storageOffset);
    if (f < 0) {
      runs.push({ start: base, count: 1, step: 0, out: outBase, outStep: 0 });
      return;
    }
    const others = [...Array(n).keys()].filter((d) => d !== f && extents[d]! > 1);
    const pos = new Array(others.length).fill(0);
    for (;;) {
      let s = base;
      let o = outBase;
      others.forEach((d, i) => {
        s += pos[i] * stride[d]!;
        o += pos[i] * this.logical[d]!;
      });
      runs.push({ start: s, count: extents[f]!, step: stride[f]!, out: o, outStep: this.logical[f]! });
      let i = others.length - 1;
      while (i >= 0 && ++pos[i] === extents[others[i]!]) pos[i--] = 0;
      if (i < 0) break;
    }
  }

  private unravel(e: number): number[] {
    return this.logical.map((l, d) => Math.floor(e / l) % this.layout.size[d]!);
  }
}

/**
 * Groups runs into storage byte ranges: a run whose values are close together is read as
 * one range; values far apart are read one by one; neighbours closer than `gap` share a read.
 */
function coalesce(runs: Run[], es: number, gap: number): Piece[] {
  const parts: Piece[] = [];
  for (const r of runs) {
    const spread = (r.count - 1) * r.step * es + es;
    if (r.count === 1 || r.step * es <= gap) {
      parts.push({ from: r.start * es, to: r.start * es + spread, runs: [r] });
    } else {
      for (let j = 0; j < r.count; j++) {
        const one: Run = { start: r.start + j * r.step, count: 1, step: 0, out: r.out + j * r.outStep, outStep: 0 };
        parts.push({ from: one.start * es, to: one.start * es + es, runs: [one] });
      }
    }
  }
  parts.sort((a, b) => a.from - b.from);
  const pieces: Piece[] = [];
  for (const p of parts) {
    const last = pieces[pieces.length - 1];
    if (last && p.from - last.to <= gap && Math.max(last.to, p.to) - last.from <= WINDOW) {
      last.to = Math.max(last.to, p.to);
      last.runs.push(...p.runs);
    } else pieces.push({ from: p.from, to: p.to, runs: [...p.runs] });
  }
  return pieces;
}

/** Copies a run's values from a buffer holding storage bytes [bufFrom, …) to its output positions. */
function scatter(buf: Uint8Array, bufFrom: number, r: Run, out: Uint8Array, es: number): void {
  const src0 = r.start * es - bufFrom;
  const dst0 = r.out * es;
  if (r.step === 1 && r.outStep === 1) {
    out.set(buf.subarray(src0, src0 + r.count * es), dst0);
    return;
  }
  for (let j = 0; j < r.count; j++) {
    const s = src0 + j * r.step * es;
    const d = dst0 + j * r.outStep * es;
    for (let b = 0; b < es; b++) out[d + b] = buf[s + b]!;
  }
}

/** Storage spans of small views, shared by every view, least recently used evicted first. */
class SpanCache {
  private readonly entries = new Map<StridedView, { bytes: number; value: Promise<Uint8Array> }>();
  private total = 0;

  get(view: StridedView, load: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.entries.get(view);
    if (hit) {
      this.entries.delete(view);
      this.entries.set(view, hit);
      return hit.value;
    }
    const value = load();
    value.catch(() => this.delete(view));
    const entry = { bytes: 0, value };
    this.entries.set(view, entry);
    void value.then(
      (b) => {
        if (this.entries.get(view) !== entry) return;
        entry.bytes = b.byteLength;
        this.total += b.byteLength;
        for (const [k, e] of this.entries) {
          if (this.total <= CACHE_BUDGET || k === view) break;
          this.delete(k);
          void e;
        }
      },
      () => undefined,
    );
    return value;
  }

  delete(view: StridedView): void {
    const e = this.entries.get(view);
    if (!e) return;
    this.total -= e.bytes;
    this.entries.delete(view);
  }
}

const cache = new SpanCache();
