/**
 * Streaming per-tensor fingerprint: feed the tensor's bytes in any chunking, get digests,
 * moments, traits and the coordinate sample. Pure computation: the caller does the reading.
 *
 * Speed: 8- and 16-bit types only count raw bit patterns in the hot loop (a histogram); values,
 * moments and the bfloat16 value histogram are derived from those counts at the end, exactly.
 */
import { createHash, type Hash } from 'node:crypto';
import { bf16Key, bf16Table, f16Table, f8Table } from './lut.js';
import {
  RUNS_LAYOUT,
  encodeQ,
  flatRun,
  gridPlan,
  planSample,
  quantizeSample,
  sampleFlatIndices,
  type SampleLayout,
  type SamplePlan,
} from './sample.js';
import type { Moments, TensorFingerprint, TensorSample } from './types.js';
import { decodeToFloat64, dtypeInfo } from '../formats/dtypes.js';
import { numel } from './shape.js';
import { ChannelAccumulator } from './channels.js';
import { GramAccumulator } from './gram.js';
import { HIST_GROUP, claim, kernels, overInput, type Kernels } from './kernels.js';

const STRUCTURE_PREFIX = 65536;
/** Values of TensorFingerprint.head, kept for tensors larger than a sample covers in full. */
const HEAD_VALUES = 256;
const HEAD_MIN_NUMEL = 4096;

interface AccumulateOptions {
  k: number;
  seed: number;
  /** The document's sample layout (default: the current one, runs). */
  layout?: SampleLayout;
  /** Skip SHA-256 and the value histogram (sample-only sketches). */
  digests?: boolean;
  /** Skip only the SHA-256 of the fed bytes (decoded tensors: the caller hashes the stored bytes). */
  hashInput?: boolean;
  /** Keep the sampled rows in full (embedding-like matrices; see TensorFingerprint.fullRows). */
  fullRows?: boolean;
  /** Keep every row at the sampled columns (patch embeddings; see TensorFingerprint.fullCols). */
  fullCols?: boolean;
}

/**
 * Patch embeddings: hidden rows × fixed pixel inputs. A vision tower's hidden dimension can be
 * permuted like a text model's, and here the inputs are what stays put.
 */
export function wantsFullCols(name: string, shape: readonly number[]): boolean {
  return (
    shape.length >= 2 &&
    shape[0]! >= 16 &&
    shape[0]! <= 16384 &&
    /(?:^|[._/])(?:patch_embed|patch_embedding|patch_embeddings|patch_embd)(?:[._/]|$)/.test(name)
  );
}

const EMBEDDING_LIKE = new RegExp(
  '(?:^|[._/])(?:embed_tokens|wte|word_embeddings|tok_embeddings|embed_in|token_embedding|token_embd|' +
    String.raw`lm_head|embed_out)(?:[._/]|$)|^output\.weight$`,
);

/** Embedding-like: token rows × hidden columns, where hidden-dimension permutations hide. */
export function wantsFullRows(name: string, shape: readonly number[]): boolean {
  return (
    shape.length === 2 && shape[0]! >= shape[1]! && shape[1]! >= 16 && shape[1]! <= 16384 && EMBEDDING_LIKE.test(name)
  );
}

type Path = 'raw8' | 'raw16' | 'f32' | 'wide' | 'bytes';

function pathFor(dtype: string): Path {
  switch (dtype) {
    case 'BF16':
    case 'F16':
    case 'I16':
    case 'U16':
      return 'raw16';
    case 'F8_E4M3':
    case 'F8_E5M2':
    case 'I8':
    case 'U8':
    case 'BOOL':
      return 'raw8';
    case 'F32':
      return 'f32';
    case 'F64':
    case 'I64':
    case 'U64':
    case 'I32':
    case 'U32':
      return 'wide';
    default:
      return 'bytes';
  }
}

/** float32 value of every raw pattern of an 8/16-bit dtype. */
function rawValueTable(dtype: string): Float32Array {
  switch (dtype) {
    case 'BF16':
      return bf16Table();
    case 'F16':
      return f16Table();
    case 'F8_E4M3':
    case 'F8_E5M2':
      return f8Table(dtype);
    case 'I16':
      return Float32Array.from({ length: 65536 }, (_, i) => (i << 16) >> 16);
    case 'U16':
      return Float32Array.from({ length: 65536 }, (_, i) => i);
    case 'I8':
      return Float32Array.from({ length: 256 }, (_, i) => (i << 24) >> 24);
    case 'U8':
      return Float32Array.from({ length: 256 }, (_, i) => i);
    case 'BOOL':
      return Float32Array.from({ length: 256 }, (_, i) => (i ? 1 : 0));
    default:
      throw new Error(`no raw table for ${dtype}`);
  }
}

/**
 * The 64K-entry tables of an accumulator (raw counts, value-histogram keys), reused by the next
 * accumulator on this thread once one finishes: a fresh zeroed 256-512 KiB per tensor costs page
 * faults and external-memory garbage collections that show on models with many tensors.
 */
const spare = { u32: [] as Uint32Array[], f64: [] as Float64Array[] };
const SPARE_MAX = 4;
const borrowU32 = () => spare.u32.pop() ?? new Uint32Array(65536);
const borrowF64 = () => spare.f64.pop() ?? new Float64Array(65536);
function giveBack(a: Uint32Array | Float64Array | undefined): void {
  if (a?.length !== 65536) return;
  a.fill(0);
  if (a instanceof Uint32Array) {
    if (spare.u32.length < SPARE_MAX) spare.u32.push(a);
  } else if (spare.f64.length < SPARE_MAX) spare.f64.push(a);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);
function keyOf(v: number): number {
  f32Scratch[0] = v;
  return bf16Key(u32Scratch[0]!);
}

/**
 * Counting 8- and 16-bit patterns is, with SHA-256, the hot loop of a full fingerprint: a
 * JavaScript `counts[raw[i]]++` costs ~1.7 ns an element, the WebAssembly kernels (kernels.ts)
 * a fraction of that, reading the data where the caller put it. Small updates use the JS loop.
 */
const WASM_MIN_ELEMENTS = 1 << 14;
/**
 * Large chunks are taken in slices of this many bytes, every pass (SHA-256, counting, Gram columns,
 * samples) over one slice before the next: the slice stays in the core's L2 cache between passes
 * instead of coming from memory once per pass. A multiple of 16 bytes.
 */
const SLICE_BYTES = 256 * 1024;

export class TensorAccumulator {
  private readonly path: Path;
  private readonly es: number;
  private readonly sha: Hash | undefined;
  private readonly plan: SamplePlan;
  /** Rows of fullRows / columns of fullCols: always the grid's (see sample.ts). */
  private readonly grid: SamplePlan;
  private readonly sampleIdx: Float64Array;
  private readonly sampleVals: Float32Array;
  private samplePos = 0;
  private element = 0;
  private finished = false;
  private carry: Uint8Array | undefined;
  private rawCounts: Uint32Array | undefined;
  private rawSpill: Float64Array | undefined;
  private sinceSpill = 0;
  private readonly keyCounts: Float64Array | undefined;
  private readonly prefix: Float32Array;
  private prefixLen = 0;
  /** The secret runs' flat run (sample.ts flatRun): where it starts and its values. */
  private readonly flatStart: number = 0;
  private readonly flatVals: Float32Array | undefined;
  /** Flat start of each sampled row, and the values of those rows (fullRows only). */
  private readonly rowStarts: Float64Array | undefined;
  private readonly rowVals: Float32Array | undefined;
  /** Every row at the sampled columns, row-major R × |cols| (fullCols only). */
  private readonly colVals: Float32Array | undefined;
  /** Rotation-invariant Gram matrices of kept rows and columns (matrices only; see gram.ts). */
  private readonly gram: GramAccumulator | undefined;
  /** Per-channel profiles of small matrices and kernels (see channels.ts). */
  private readonly channels: ChannelAccumulator | undefined;
  // moments of f32/wide paths, shifted by the first finite value for numerical stability
  private shift = NaN;
  private s1 = 0;
  private s2 = 0;
  private sa = 0;
  private n = 0;
  private nonFinite = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly table: Float32Array | undefined;
  /** F32 path: per-lane sums (see momentsF32). */
  private readonly lanes = {
    s1: new Float64Array(4),
    s2: new Float64Array(4),
    sa: new Float64Array(4),
    n: new Float64Array(4),
    mn: new Float64Array(4).fill(Infinity),
    mx: new Float64Array(4).fill(-Infinity),
  };

  constructor(
    readonly name: string,
    readonly dtype: string,
    readonly shape: number[],
    readonly byteLength: number,
    private readonly opts: AccumulateOptions,
  ) {
    this.path = pathFor(dtype);
    const info = dtypeInfo(dtype);
    this.es = this.path === 'bytes' ? 1 : info.bits / 8;
    const digests = opts.digests !== false;
    this.sha = digests && opts.hashInput !== false ? createHash('sha256') : undefined;
    const count = numel(shape);
    const viewed = this.path === 'bytes' ? [0] : shape;
    this.plan = planSample(viewed, opts.k, opts.seed, opts.layout ?? RUNS_LAYOUT);
    const keepRows = opts.fullRows && this.path !== 'bytes' && shape.length === 2;
    const keepCols = opts.fullCols && this.path !== 'bytes' && shape.length >= 2;
    // the grid is only needed for full rows/columns: planning it hashes every index of both axes,
    // seconds for a flattened billion-element tensor
    this.grid = this.plan.kind === 'grid' || !(keepRows || keepCols) ? this.plan : gridPlan(viewed, opts.k, opts.seed);
    this.sampleIdx = sampleFlatIndices(this.plan);
    this.sampleVals = new Float32Array(this.sampleIdx.length);
    const flat =
      this.path === 'bytes' ? undefined : flatRun(name, shape, opts.k, opts.seed, opts.layout ?? RUNS_LAYOUT);
    if (flat) {
      this.flatStart = flat.start;
      this.flatVals = new Float32Array(flat.length);
    }
    if (keepRows) {
      this.rowStarts = Float64Array.from(this.grid.rows, (r) => r * this.grid.C);
      this.rowVals = new Float32Array(this.grid.rows.length * this.grid.C);
    }
    if (keepCols) {
      this.colVals = new Float32Array(this.grid.R * this.grid.cols.length);
    }
    if (this.path !== 'bytes' && shape.length === 2) {
      const g = new GramAccumulator(shape[0]!, shape[1]!, opts.seed, { cols: true });
      if (g.active) this.gram = g;
    }
    if (this.path !== 'bytes') this.channels = ChannelAccumulator.for(shape);
    this.prefix = new Float32Array(this.path === 'bytes' ? 0 : Math.min(count, STRUCTURE_PREFIX));
    if (this.path === 'raw16') {
      this.rawCounts = borrowU32();
      this.table = rawValueTable(dtype);
    } else if (this.path === 'raw8') {
      this.rawCounts = new Uint32Array(256);
      this.table = rawValueTable(dtype);
    } else this.table = undefined;
    this.keyCounts = (this.path === 'f32' || this.path === 'wide') && digests ? borrowF64() : undefined;
  }

  update(chunk: Uint8Array): void {
    if (chunk.length > SLICE_BYTES) {
      for (let o = 0; o < chunk.length; o += SLICE_BYTES) this.update(chunk.subarray(o, o + SLICE_BYTES));
      return;
    }
    this.sha?.update(chunk);
    if (this.path === 'bytes') return;
    let bytes = chunk;
    if (this.carry) {
      const joined = new Uint8Array(this.carry.length + chunk.length);
      joined.set(this.carry);
      joined.set(chunk, this.carry.length);
      bytes = joined;
      this.carry = undefined;
    }
    const whole = bytes.length - (bytes.length % this.es);
    if (whole < bytes.length) this.carry = bytes.slice(whole);
    if (whole === 0) return;
    if (bytes.byteOffset % this.es !== 0) bytes = bytes.slice(0, whole);
    this.consume(bytes.subarray(0, whole));
  }

  private consume(bytes: Uint8Array): void {
    const count = bytes.length / this.es;
    const start = this.element;
    if (this.path === 'raw16') {
      const raw = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      const k = count >= WASM_MIN_ELEMENTS ? kernels() : null;
      if (k) this.countWasm(k, bytes, 16);
      else {
        const counts = this.rawCounts!;
        for (let i = 0; i < count; i++) counts[raw[i]!]!++;
      }
      this.takeRaw(raw, start);
    } else if (this.path === 'raw8') {
      const k = count >= WASM_MIN_ELEMENTS ? kernels() : null;
      if (k) this.countWasm(k, bytes, 8);
      else {
        const counts = this.rawCounts!;
        for (let i = 0; i < count; i++) counts[bytes[i]!]!++;
      }
      this.takeRaw(bytes, start);
    } else if (this.path === 'f32') {
      const f = new Float32Array(bytes.buffer, bytes.byteOffset, count);
      this.momentsF32(f, new Uint32Array(bytes.buffer, bytes.byteOffset, count), bytes, start);
      this.takeValues(f, start);
    } else {
      const values = decodeToFloat64(this.dtype as never, bytes);
      this.momentsWide(values);
      this.takeValues(values, start);
    }
    this.element += count;
    this.sinceSpill += count;
    if (this.rawCounts && this.sinceSpill > 2 ** 31) this.spill();
  }

  /** Counts in the kernel's table: whole groups of HIST_GROUP elements there, the rest here. */
  private countWasm(k: Kernels, bytes: Uint8Array, bits: 8 | 16): void {
    claim(k, this);
    const group = (HIST_GROUP * bits) / 8;
    overInput(k, bytes, (ptr, length) => {
      const groups = Math.floor(length / group);
      if (bits === 16) k.hist16(ptr, groups);
      else k.hist8(ptr, groups);
      const counts = this.rawCounts!;
      const at = ptr + groups * group;
      const end = ptr + length;
      if (bits === 16) {
        const view = new DataView(k.buffer);
        for (let p = at; p < end; p += 2) counts[view.getUint16(p, true)]!++;
      } else {
        const view = new Uint8Array(k.buffer);
        for (let p = at; p < end; p++) counts[view[p]!]!++;
      }
    });
  }

  /** Folds the kernel's table into this tensor's counts (raw patterns, or F32 keys) and hands it back. */
  releaseKernel(): void {
    const k = kernels();
    if (!k || k.owner !== this) return;
    if (this.rawCounts) {
      const counts = this.rawCounts;
      const t = counts.length === 65536 ? k.t16 : k.t8;
      for (let b = 0; b < counts.length; b++) counts[b]! += t[b]!;
      t.fill(0);
    } else {
      const keys = this.keyCounts;
      const t = k.t16;
      if (keys) for (let b = 0; b < 65536; b++) keys[b]! += t[b]!;
      t.fill(0);
    }
    k.owner = undefined;
  }

  /** Uint32 counters would overflow past 4G elements: move them into doubles first. */
  private spill(): void {
    this.releaseKernel();
    const counts = this.rawCounts!;
    this.rawSpill ??= new Float64Array(counts.length);
    for (let i = 0; i < counts.length; i++) this.rawSpill[i]! += counts[i]!;
    counts.fill(0);
    this.sinceSpill = 0;
  }

  /** Copies the parts of sampled rows that fall in [start, start+n) (fullRows only). */
  private takeRows(get: (i: number) => number, start: number, n: number): void {
    const starts = this.rowStarts;
    if (!starts) return;
    const C = this.grid.C;
    const end = start + n;
    for (let k = 0; k < starts.length; k++) {
      const r0 = starts[k]!;
      const lo = Math.max(r0, start);
      const hi = Math.min(r0 + C, end);
      for (let e = lo; e < hi; e++) this.rowVals![k * C + (e - r0)] = get(e - start);
    }
  }

  /** Copies the sampled columns of every row that falls in [start, start+n) (fullCols only). */
  private takeCols(get: (i: number) => number, start: number, n: number): void {
    const out = this.colVals;
    if (!out) return;
    const { C, cols } = this.grid;
    const end = start + n;
    for (let r = Math.floor(start / C); r * C < end; r++) {
      for (let j = 0; j < cols.length; j++) {
        const e = r * C + cols[j]!;
        if (e >= start && e < end) out[r * cols.length + j] = get(e - start);
      }
    }
  }

  private takeRaw(raw: Uint16Array | Uint8Array, start: number): void {
    const table = this.table!;
    const end = start + raw.length;
    this.takeRows((i) => table[raw[i]!]!, start, raw.length);
    this.takeCols((i) => table[raw[i]!]!, start, raw.length);
    this.gram?.take(raw, table, start);
    this.channels?.take((i) => table[raw[i]!]!, start, raw.length);
    while (this.samplePos < this.sampleIdx.length && this.sampleIdx[this.samplePos]! < end) {
      this.sampleVals[this.samplePos] = table[raw[this.sampleIdx[this.samplePos]! - start]!]!;
      this.samplePos++;
    }
    for (let i = this.prefixLen; i < this.prefix.length && i < end; i++) this.prefix[i] = table[raw[i - start]!]!;
    this.prefixLen = Math.min(this.prefix.length, Math.max(this.prefixLen, end));
    this.takeFlat((i) => table[raw[i]!]!, start, end);
  }

  /** Values of elements [start, end) that fall in the flat run; `get` takes the chunk's index. */
  private takeFlat(get: (i: number) => number, start: number, end: number): void {
    const vals = this.flatVals;
    if (!vals) return;
    const from = Math.max(start, this.flatStart);
    const to = Math.min(end, this.flatStart + vals.length);
    for (let e = from; e < to; e++) vals[e - this.flatStart] = get(e - start);
  }

  private takeValues(values: Float32Array | Float64Array, start: number): void {
    const end = start + values.length;
    this.takeRows((i) => values[i]!, start, values.length);
    this.takeCols((i) => values[i]!, start, values.length);
    this.gram?.take(values, undefined, start);
    this.channels?.take((i) => values[i]!, start, values.length);
    while (this.samplePos < this.sampleIdx.length && this.sampleIdx[this.samplePos]! < end) {
      this.sampleVals[this.samplePos] = values[this.sampleIdx[this.samplePos]! - start]!;
      this.samplePos++;
    }
    for (let i = this.prefixLen; i < this.prefix.length && i < end; i++) this.prefix[i] = values[i - start]!;
    this.prefixLen = Math.min(this.prefix.length, Math.max(this.prefixLen, end));
    this.takeFlat((i) => values[i]!, start, end);
  }

  /**
   * F32 values: bfloat16 keys counted, moments of the finite values summed per lane (element
   * index mod 4) in f64. The WebAssembly kernel and this loop do the same operations in the same
   * order per lane, so the result depends neither on the chunking nor on which of them ran.
   */
  private momentsF32(f: Float32Array, bits: Uint32Array, bytes: Uint8Array, start: number): void {
    if (Number.isNaN(this.shift)) {
      for (let i = 0; i < f.length; i++) {
        const v = f[i]!;
        if (v - v === 0) {
          this.shift = v;
          break;
        }
      }
    }
    const k = f.length >= WASM_MIN_ELEMENTS ? kernels() : null;
    if (!k) {
      this.f32Lanes(f, bits, start, 0, f.length);
      return;
    }
    const head = Math.min(f.length, (4 - (start % 4)) % 4);
    this.f32Lanes(f, bits, start, 0, head);
    const quads = Math.floor((f.length - head) / 4);
    claim(k, this);
    const L = this.lanes;
    const shift = Number.isNaN(this.shift) ? 0 : this.shift;
    overInput(k, bytes.subarray(4 * head, 4 * (head + 4 * quads)), (ptr, length) => {
      const { sums, minMax, counts } = k.acc;
      sums.set(L.s1, 0);
      sums.set(L.s2, 4);
      sums.set(L.sa, 8);
      minMax.set(L.mn, 0);
      minMax.set(L.mx, 4);
      counts.fill(0);
      k.f32(ptr, length / 16, shift);
      for (let l = 0; l < 4; l++) {
        L.s1[l] = sums[l]!;
        L.s2[l] = sums[4 + l]!;
        L.sa[l] = sums[8 + l]!;
        L.mn[l] = minMax[l]!;
        L.mx[l] = minMax[4 + l]!;
        // the kernel counts finite values as -1 in their lane
        L.n[l]! -= counts[l]!;
        this.nonFinite += length / 16 + counts[l]!;
      }
    });
    this.f32Lanes(f, bits, start, head + 4 * quads, f.length);
  }

  private f32Lanes(f: Float32Array, bits: Uint32Array, start: number, from: number, to: number): void {
    const keys = this.keyCounts;
    const L = this.lanes;
    const shift = this.shift;
    for (let i = from; i < to; i++) {
      const v = f[i]!;
      if (keys) {
        const b = bits[i]!;
        keys[((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff]!++;
      }
      if (v - v !== 0) {
        this.nonFinite++;
        continue;
      }
      const l = (start + i) & 3;
      const d = v - shift;
      L.s1[l]! += d;
      L.s2[l]! += d * d;
      L.sa[l]! += Math.abs(v);
      L.n[l]!++;
      // the kernel's pseudo-min/max: a tie (−0 against +0) keeps the value seen first
      if (v < L.mn[l]!) L.mn[l] = v;
      if (v > L.mx[l]!) L.mx[l] = v;
    }
  }

  /** Lane sums of the F32 path into the moments' totals, lanes in order. */
  private reduceLanes(): void {
    const L = this.lanes;
    const sum = (a: Float64Array) => a[0]! + a[1]! + a[2]! + a[3]!;
    this.s1 = sum(L.s1);
    this.s2 = sum(L.s2);
    this.sa = sum(L.sa);
    this.n = sum(L.n);
    let min = L.mn[0]!;
    let max = L.mx[0]!;
    for (let l = 1; l < 4; l++) {
      if (L.mn[l]! < min) min = L.mn[l]!;
      if (L.mx[l]! > max) max = L.mx[l]!;
    }
    this.min = min;
    this.max = max;
  }

  private momentsWide(values: Float64Array): void {
    const keys = this.keyCounts;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (keys) keys[keyOf(v)]!++;
      if (v - v !== 0) {
        this.nonFinite++;
        continue;
      }
      if (Number.isNaN(this.shift)) this.shift = v;
      const d = v - this.shift;
      this.s1 += d;
      this.s2 += d * d;
      this.sa += Math.abs(v);
      this.n++;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  /** Moments and value histogram of 8/16-bit types, exactly, from the raw counts. */
  private finishRaw(keys: Float64Array | undefined): void {
    this.releaseKernel();
    if (this.rawSpill) this.spill();
    const counts = this.rawSpill ?? this.rawCounts!;
    const table = this.table!;
    const isBf16 = this.dtype === 'BF16';
    for (let b = 0; b < counts.length; b++) {
      const c = counts[b]!;
      if (!c) continue;
      const v = table[b]!;
      if (keys) keys[isBf16 ? b : keyOf(v)]! += c;
      if (v - v !== 0) {
        this.nonFinite += c;
        continue;
      }
      if (Number.isNaN(this.shift)) this.shift = v;
      const d = v - this.shift;
      this.s1 += c * d;
      this.s2 += c * d * d;
      this.sa += c * Math.abs(v);
      this.n += c;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  finish(): TensorFingerprint {
    const count = numel(this.shape);
    const fp: TensorFingerprint = { name: this.name, dtype: this.dtype, shape: this.shape, bytes: this.byteLength };
    if (this.sha) fp.sha256 = this.sha.digest('hex');
    if (this.path === 'bytes') {
      fp.bytesOnly = true;
      return fp;
    }
    if (this.element !== count || this.carry) {
      throw new Error(`${this.name}: fed ${this.element} of ${count} elements`);
    }
    const digests = this.opts.digests !== false;
    if (this.finished) throw new Error(`${this.name}: finished twice`);
    this.finished = true;
    const keys = this.keyCounts ?? (digests ? borrowF64() : undefined);
    if (this.rawCounts) this.finishRaw(keys);
    else if (this.path === 'f32') {
      this.releaseKernel();
      this.reduceLanes();
    }
    giveBack(this.rawCounts);
    this.rawCounts = undefined;
    fp.moments = this.moments(true);
    if (keys) {
      const { digest, distinct } = valueHistogramDigest(keys);
      fp.valueDigest = digest;
      fp.traits = { distinct };
      giveBack(keys);
    }
    const structured = structureScore(this.prefix, this.shape);
    if (structured !== undefined) fp.traits = { ...fp.traits, structured };
    fp.sample = this.sample();
    // the first values in flat order: shared by every reshape of the tensor (a grid sample is not)
    if (count > HEAD_MIN_NUMEL) fp.head = encodeSample(this.prefix.subarray(0, HEAD_VALUES), 1, HEAD_VALUES);
    if (this.flatVals) fp.flatRun = encodeSample(this.flatVals, 1, this.flatVals.length);
    if (this.rowVals) fp.fullRows = encodeSample(this.rowVals, this.grid.rows.length, this.grid.C);
    if (this.colVals) fp.fullCols = encodeSample(this.colVals, this.grid.R, this.grid.cols.length);
    const gram = this.gram?.finish();
    if (gram) fp.gram = gram;
    const channels = this.channels?.finish();
    if (channels) fp.channels = channels;
    return fp;
  }

  private moments(exact: boolean): Moments {
    const n = this.n;
    const mean = n ? this.shift + this.s1 / n : 0;
    const variance = n ? Math.max(0, this.s2 / n - (this.s1 / n) ** 2) : 0;
    const l2 = n ? Math.sqrt(this.s2 + 2 * this.shift * this.s1 + n * this.shift * this.shift) : 0;
    return {
      mean,
      std: Math.sqrt(variance),
      meanAbs: n ? this.sa / n : 0,
      min: n ? this.min : 0,
      max: n ? this.max : 0,
      l2,
      nonFinite: this.nonFinite,
      exact,
    };
  }

  private sample(): TensorFingerprint['sample'] {
    const { center, scale, q } = quantizeSample(this.sampleVals);
    return { rows: this.plan.rows.length, cols: this.plan.cols.length, center, scale, q: encodeQ(q) };
  }
}

export function encodeSample(values: Float32Array, rows: number, cols: number): TensorSample {
  const { center, scale, q } = quantizeSample(values);
  return { rows, cols, center, scale, q: encodeQ(q) };
}

/**
 * SHA-256 over (bf16 key, count) for every non-empty bin in key order, after folding −0 into +0
 * and every NaN into one key: the order-free digest of the value multiset at bfloat16 precision.
 */
function valueHistogramDigest(keys: Float64Array): { digest: string; distinct: number } {
  keys[0]! += keys[0x8000]!;
  keys[0x8000] = 0;
  let nan = 0;
  for (let k = 0x7f81; k <= 0x7fff; k++) {
    nan += keys[k]!;
    keys[k] = 0;
  }
  for (let k = 0xff81; k <= 0xffff; k++) {
    nan += keys[k]!;
    keys[k] = 0;
  }
  keys[0x7fc0] = nan;
  let distinct = 0;
  for (let k = 0; k < 65536; k++) if (keys[k]) distinct++;
  // one record (u16 key, u64 count, little-endian) per bin, hashed in one update
  const rec = Buffer.alloc(10 * distinct);
  let at = 0;
  for (let k = 0; k < 65536; k++) {
    const c = keys[k]!;
    if (!c) continue;
    rec.writeUInt16LE(k, at);
    rec.writeUInt32LE(c % 2 ** 32, at + 2);
    rec.writeUInt32LE(Math.floor(c / 2 ** 32), at + 6);
    at += 10;
  }
  return { digest: createHash('sha256').update(rec).digest('hex'), distinct };
}

/**
 * Share of variance along the last axis explained by x[n-1] + x[n+1] = c·x[n] per row, on
 * mean-centred rows. Sinusoids (DFT/STFT bases, rotary and position tables) and ramps score ~1;
 * learned weights ~0. Undefined when rows are too short to tell.
 */
export function structureScore(prefix: Float32Array, shape: readonly number[]): number | undefined {
  const L = shape.length ? shape[shape.length - 1]! : 0;
  if (L < 8 || prefix.length < L) return undefined;
  let resid = 0;
  let total = 0;
  const row = new Float64Array(L);
  for (let start = 0; start + L <= prefix.length; start += L) {
    let mean = 0;
    for (let i = 0; i < L; i++) mean += prefix[start + i]!;
    mean /= L;
    for (let i = 0; i < L; i++) row[i] = prefix[start + i]! - mean;
    let saa = 0,
      sab = 0,
      sbb = 0;
    for (let i = 1; i < L - 1; i++) {
      const a = row[i]!;
      const s = row[i - 1]! + row[i + 1]!;
      saa += a * a;
      sab += a * s;
      sbb += s * s;
    }
    if (!(sbb > 0)) continue;
    resid += sbb - (saa > 0 ? (sab * sab) / saa : 0);
    total += sbb;
  }
  return total > 0 ? Math.max(0, 1 - resid / total) : undefined;
}

/** Sketch mode: the tensor is known only at its sample coordinates (moments marked inexact). */
export function fingerprintFromSample(
  name: string,
  dtype: string,
  shape: number[],
  byteLength: number,
  plan: SamplePlan,
  values: Float32Array,
  fullRows?: { values: Float32Array; rows: number },
): TensorFingerprint {
  let n = 0,
    s1 = 0,
    s2 = 0,
    sa = 0,
    bad = 0,
    min = Infinity,
    max = -Infinity;
  for (const v of values) {
    if (v - v !== 0) {
      bad++;
      continue;
    }
    n++;
    s1 += v;
    s2 += v * v;
    sa += Math.abs(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n ? s1 / n : 0;
  const count = numel(shape);
  const { center, scale, q } = quantizeSample(values);
  return {
    name,
    dtype,
    shape,
    bytes: byteLength,
    moments: {
      mean,
      std: n ? Math.sqrt(Math.max(0, s2 / n - mean * mean)) : 0,
      meanAbs: n ? sa / n : 0,
      min: n ? min : 0,
      max: n ? max : 0,
      l2: n ? Math.sqrt((s2 / n) * count) : 0,
      nonFinite: bad,
      exact: false,
    },
    sample: { rows: plan.rows.length, cols: plan.cols.length, center, scale, q: encodeQ(q) },
    ...(fullRows ? { fullRows: encodeSample(fullRows.values, fullRows.rows, plan.C) } : {}),
  };
}
