/**
 * The per-element work of a full fingerprint, in WebAssembly (assembled below: no build step, no
 * dependency), so that SHA-256 is the only cost that grows with the bytes at more than memory speed.
 *
 * - hist16: counts the 16-bit patterns of BF16/F16/I16/U16 data; moments and the value histogram
 *   are derived from these counts exactly.
 * - hist8: the same for 8-bit types (FP8, I8, U8, BOOL).
 * - f32: F32 data in one pass, four values per SIMD step: the bfloat16 key of every value counted
 *   (value digest), and the moments of the finite values (shifted sums, |x|, min, max, non-finite
 *   count) in f64x2 lanes, so no contribution loses bits to float32 accumulation.
 * - gram: rank-1 updates D += v·vᵀ of a batch of f64 vectors (the Gram matrices of gram.ts), two
 *   entries per SIMD step, each entry summed over the vectors in order, exactly as a scalar loop.
 *
 * One instance per thread. Its tables belong to one accumulator at a time (`claim`); the owner
 * folds them into its own counts before another one takes them. Data is read from the instance's
 * input area: a caller that reads files can fill `input()` directly (no copy), anything else is
 * copied in slice by slice.
 */

import { sleb, uleb } from '../util/leb128.js';

// ---------------------------------------------------------------------------------------------
// memory layout

/** The 16-bit table (u32 counts): 256 KiB. */
const T16 = 0;
const T16_SIZE = 65536 * 4;
/** The 8-bit table. */
const T8 = T16_SIZE;
/**
 * F32 lane accumulators between calls: s1, s2, |x| as f64 (values 0,1 and 2,3 of each quad), min
 * and max as f32x4, finite counts as i32x4.
 */
const ACC = 288 * 1024;
/** Gram: the m2 × m2 f64 sums being updated (m2 ≤ 32), and the batch of vectors (m2 f64 each). */
const GRAM_DOTS = 296 * 1024;
const GRAM_BATCH = 320 * 1024;
/** Bytes of the batch area: 512 vectors of 32. */
export const GRAM_BATCH_BYTES = 128 * 1024;
export const GRAM_MAX_WIDTH = 32;
/** The input area, 64-byte aligned. */
const INPUT = 512 * 1024;
/** Room for one 8 MiB read plus its tail. */
export const INPUT_SIZE = 8 * 1024 * 1024 + 64;
const PAGES = Math.ceil((INPUT + INPUT_SIZE) / 65536);

// ---------------------------------------------------------------------------------------------
// a small assembler: just the instructions used here

const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  i32load: (off: number) => [0x28, 2, ...uleb(off)],
  i32store: (off: number) => [0x36, 2, ...uleb(off)],
  add: [0x6a],
  mul: [0x6c],
  and: [0x71],
  br: (d: number) => [0x0c, d],
  f64load: (off: number) => [0x2b, 3, ...uleb(off)],
  shl: [0x74],
  shru: [0x76],
  ltu: [0x49],
  geu: [0x4f],
  gtu: [0x4b],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (d: number) => [0x0d, d],
  // SIMD (0xfd prefix)
  v128load: (off: number) => [0xfd, 0x00, 4, ...uleb(off)],
  i32x4splat: [0xfd, 0x11],
  f64x2splat: [0xfd, 0x14],
  v128and: [0xfd, 0x4e],
  v128bitselect: [0xfd, 0x52],
  i32x4eq: [0xfd, 0x37],
  f64x2add: [0xfd, 0xf0, 0x01],
  f64x2sub: [0xfd, 0xf1, 0x01],
  f64x2mul: [0xfd, 0xf2, 0x01],
  f64x2abs: [0xfd, 0xec, 0x01],
  f64x2promoteLow: [0xfd, 0x5f],
  i8x16shuffleHigh: [0xfd, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
  i32x4extract: (lane: number) => [0xfd, 0x1b, lane],
  i32x4add: [0xfd, 0xae, 0x01],
  i32x4shru: [0xfd, 0xad, 0x01],
  v128store: (off: number) => [0xfd, 0x0b, 4, ...uleb(off)],
  v128not: [0xfd, 0x4d],
  f32x4splat: [0xfd, 0x13],
  // pseudo-min/max: b < a ? b : a (one instruction; no NaN reaches them)
  f32x4pmin: [0xfd, 0xea, 0x01],
  f32x4pmax: [0xfd, 0xeb, 0x01],
  i64x2extendLowS: [0xfd, 0xc7, 0x01],
  i64x2extendHighS: [0xfd, 0xc8, 0x01],
  f32: (x: number) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)],
};

/** `table[(expr)]++` where the stack holds the byte address inside the table; uses local `a`. */
const incAt = (a: number, table: number) => [
  ...op.tee(a),
  ...op.get(a),
  ...op.i32load(table),
  ...op.i32(1),
  ...op.add,
  ...op.i32store(table),
];

/** Elements counted per iteration of hist16/hist8 (their `groups` are of this many elements). */
export const HIST_GROUP = 16;

/**
 * (func (param p i32) (param groups i32)): counts of `bits`-bit patterns, HIST_GROUP elements per
 * iteration, each one load and one increment of its table entry (V8 folds the ×4 into the
 * address). One table: on this hardware more tables only add cache footprint, and runs of equal
 * values (zeros of pruned weights) cost no more than distinct ones (measured, see README). Sixteen
 * elements per iteration rather than eight: ~8 % fewer cycles (loop overhead), measured.
 */
function histBody(bits: 8 | 16): number[] {
  // params 0 p, 1 groups of HIST_GROUP elements; locals 2 end, 3 a
  const size = bits / 8;
  const table = bits === 16 ? T16 : T8;
  const element = (j: number) => [
    ...op.get(0),
    ...(bits === 16 ? [0x2f, 1, ...uleb(2 * j)] : [0x2d, 0, ...uleb(j)]), // i32.load16_u / load8_u
    ...op.i32(2),
    ...op.shl,
    ...incAt(3, table),
  ];
  const code = [
    ...op.get(0),
    ...op.get(1),
    ...op.i32(Math.log2(HIST_GROUP * size)),
    ...op.shl,
    ...op.add,
    ...op.set(2),
    ...op.block,
    ...op.get(0),
    ...op.get(2),
    ...op.geu,
    ...op.brIf(0),
    ...op.loop,
    ...Array.from({ length: HIST_GROUP }, (_, j) => j).flatMap(element),
    ...op.get(0),
    ...op.i32(HIST_GROUP * size),
    ...op.add,
    ...op.tee(0),
    ...op.get(2),
    ...op.ltu,
    ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
  return [1, 2, 0x7f, ...code, ...op.end];
}

/**
 * (func (param p i32) (param quads i32) (param shift f64)): F32 data, four values per iteration,
 * `p` at a value whose index in the tensor is a multiple of 4 (lane l gets the values ≡ l mod 4,
 * so the sums do not depend on how the tensor was cut into chunks). Per value: its bfloat16 key
 * (round to nearest even) counted in the 16-bit table; if finite, x − shift, (x − shift)² and |x|
 * added in f64 to its lane's sums, min and max updated, the lane's finite count decremented.
 * Accumulators live in ACC between calls.
 */
function f32Body(): number[] {
  // params 0 p, 1 quads, 2 shift (f64); i32 locals 3 end, 4 b, 5 a;
  // v128 locals 6 x, 7 finite mask, 8 s1a, 9 s1b, 10 s2a, 11 s2b, 12 saa, 13 sab, 14 mn, 15 mx,
  // 16 count, 17 shift (f64x2), 18 +inf (f32x4), 19 -inf, 20 value (f64x2), 21 masked d / |x|, 22 mask (i64x2),
  // 23 key offsets (i32x4)
  const V = { x: 6, m: 7, s1a: 8, s1b: 9, s2a: 10, s2b: 11, saa: 12, sab: 13, mn: 14, mx: 15, cnt: 16 };
  const accs = [V.s1a, V.s1b, V.s2a, V.s2b, V.saa, V.sab, V.mn, V.mx, V.cnt];
  // byte offsets of the four keys, computed for the quad at once:
  // ((b + 0x7fff + ((b >>> 16) & 1)) >>> 14) & 0x3fffc, then one increment per lane
  const keys = [
    ...op.get(V.x),
    ...op.get(V.x),
    ...op.i32(16),
    ...op.i32x4shru,
    ...op.i32(1),
    ...op.i32x4splat,
    ...op.v128and,
    ...op.i32x4add,
    ...op.i32(0x7fff),
    ...op.i32x4splat,
    ...op.i32x4add,
    ...op.i32(14),
    ...op.i32x4shru,
    ...op.i32(0x3fffc),
    ...op.i32x4splat,
    ...op.v128and,
    ...op.set(23),
    ...[0, 1, 2, 3].flatMap((lane) => [...op.get(23), ...op.i32x4extract(lane), ...incAt(5, T16)]),
  ];
  // values 0,1 (high = false) or 2,3 of the quad as f64x2, with the matching 64-bit mask
  const half = (high: boolean, s1: number, s2: number, sa: number) => [
    ...op.get(V.x),
    ...(high ? [...op.get(V.x), ...op.i8x16shuffleHigh] : []),
    ...op.f64x2promoteLow,
    ...op.set(20),
    ...op.get(V.m),
    ...(high ? op.i64x2extendHighS : op.i64x2extendLowS),
    ...op.set(22),
    // d = (x - shift) & mask
    ...op.get(20),
    ...op.get(17),
    ...op.f64x2sub,
    ...op.get(22),
    ...op.v128and,
    ...op.tee(21),
    ...op.get(s1),
    ...op.f64x2add,
    ...op.set(s1),
    ...op.get(21),
    ...op.get(21),
    ...op.f64x2mul,
    ...op.get(s2),
    ...op.f64x2add,
    ...op.set(s2),
    // |x| & mask
    ...op.get(20),
    ...op.f64x2abs,
    ...op.get(22),
    ...op.v128and,
    ...op.get(sa),
    ...op.f64x2add,
    ...op.set(sa),
  ];
  const code = [
    ...op.get(2),
    ...op.f64x2splat,
    ...op.set(17),
    ...op.f32(Infinity),
    ...op.f32x4splat,
    ...op.set(18),
    ...op.f32(-Infinity),
    ...op.f32x4splat,
    ...op.set(19),
    ...accs.flatMap((v, i) => [...op.i32(0), ...op.v128load(ACC + 16 * i), ...op.set(v)]),
    ...op.get(0),
    ...op.get(1),
    ...op.i32(4),
    ...op.shl,
    ...op.add,
    ...op.set(3),
    ...op.block,
    ...op.get(0),
    ...op.get(3),
    ...op.geu,
    ...op.brIf(0),
    ...op.loop,
    ...op.get(0),
    ...op.v128load(0),
    ...op.tee(V.x),
    ...op.i32(0x7f800000),
    ...op.i32x4splat,
    ...op.v128and,
    ...op.i32(0x7f800000),
    ...op.i32x4splat,
    ...op.i32x4eq,
    ...op.v128not,
    ...op.tee(V.m),
    ...op.get(V.cnt),
    ...op.i32x4add,
    ...op.set(V.cnt),
    ...keys,
    ...half(false, V.s1a, V.s2a, V.saa),
    ...half(true, V.s1b, V.s2b, V.sab),
    // min/max over finite lanes (others replaced by +inf / -inf)
    // pmin(a, b) = b < a ? b : a: the running value is a, so a tie keeps it (as the JS loop does)
    ...op.get(V.mn),
    ...op.get(V.x),
    ...op.get(18),
    ...op.get(V.m),
    ...op.v128bitselect,
    ...op.f32x4pmin,
    ...op.set(V.mn),
    ...op.get(V.mx),
    ...op.get(V.x),
    ...op.get(19),
    ...op.get(V.m),
    ...op.v128bitselect,
    ...op.f32x4pmax,
    ...op.set(V.mx),
    ...op.get(0),
    ...op.i32(16),
    ...op.add,
    ...op.tee(0),
    ...op.get(3),
    ...op.ltu,
    ...op.brIf(0),
    ...op.end,
    ...op.end,
    ...accs.flatMap((v, i) => [...op.i32(0), ...op.get(v), ...op.v128store(ACC + 16 * i)]),
  ];
  return [2, 3, 0x7f, 18, 0x7b, ...code, ...op.end];
}

/**
 * (func (param p i32) (param n i32) (param m2 i32)): for each of the n vectors v of m2 f64 at p (in
 * order), D[i][j] += v[i]·v[j] for every i and every j ≥ i rounded down to even (the few
 * lower-triangle entries this touches are never read). D is m2 × m2 f64 at GRAM_DOTS.
 * Entries are taken eight at a time (four f64x2 accumulators in registers, then two at a time for
 * the rest of a row) and each runs through the n vectors in order: every entry gets the same
 * additions in the same order as a scalar loop, so the results are equal, and D is loaded and
 * stored once per call instead of once per vector.
 */
function gramBody(): number[] {
  // params 0 p, 1 n, 2 m2; i32 locals 3 rowBytes, 4 i, 5 jb (byte offset of j), 6 end of the vectors,
  // 7 q (current vector), 8 dptr, 9 iOff (i·8); v128 locals 10 v[i] splat, 11-14 accumulators
  const L = { rowBytes: 3, i: 4, jb: 5, end: 6, q: 7, dptr: 8, iOff: 9, s: 10 };
  const accs = (w: number) => Array.from({ length: w }, (_, a) => 11 + a);
  const loadSplat64 = (off: number) => [0xfd, 0x0a, 3, ...uleb(off)];
  // D entries jb..jb+2w at row i: w accumulators through every vector, in order
  const block = (w: number) => [
    // dptr = i·rowBytes + jb
    ...op.get(L.i),
    ...op.get(L.rowBytes),
    ...op.mul,
    ...op.get(L.jb),
    ...op.add,
    ...op.set(L.dptr),
    ...accs(w).flatMap((a, q) => [...op.get(L.dptr), ...op.v128load(GRAM_DOTS + 16 * q), ...op.set(a)]),
    ...op.get(0),
    ...op.set(L.q),
    ...op.block,
    ...op.loop,
    ...op.get(L.q),
    ...op.get(L.end),
    ...op.geu,
    ...op.brIf(1),
    ...op.get(L.q),
    ...op.get(L.iOff),
    ...op.add,
    ...loadSplat64(0),
    ...op.set(L.s),
    ...accs(w).flatMap((a, q) => [
      ...op.get(a),
      ...op.get(L.s),
      ...op.get(L.q),
      ...op.get(L.jb),
      ...op.add,
      ...op.v128load(16 * q),
      ...op.f64x2mul,
      ...op.f64x2add,
      ...op.set(a),
    ]),
    ...op.get(L.q),
    ...op.get(L.rowBytes),
    ...op.add,
    ...op.set(L.q),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...accs(w).flatMap((a, q) => [...op.get(L.dptr), ...op.get(a), ...op.v128store(GRAM_DOTS + 16 * q)]),
    ...op.get(L.jb),
    ...op.i32(16 * w),
    ...op.add,
    ...op.set(L.jb),
  ];
  // while jb + 16·w ≤ rowBytes: block(w)
  const blocks = (w: number) => [
    ...op.block,
    ...op.loop,
    ...op.get(L.jb),
    ...op.i32(16 * w),
    ...op.add,
    ...op.get(L.rowBytes),
    ...op.gtu,
    ...op.brIf(1),
    ...block(w),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  const code = [
    ...op.get(2),
    ...op.i32(3),
    ...op.shl,
    ...op.set(L.rowBytes),
    ...op.get(0),
    ...op.get(1),
    ...op.get(L.rowBytes),
    ...op.mul,
    ...op.add,
    ...op.set(L.end),
    ...op.i32(0),
    ...op.set(L.i),
    ...op.block,
    ...op.loop,
    ...op.get(L.i),
    ...op.get(2),
    ...op.geu,
    ...op.brIf(1),
    ...op.get(L.i),
    ...op.i32(3),
    ...op.shl,
    ...op.set(L.iOff),
    // jb = (i & ~1)·8
    ...op.get(L.i),
    ...op.i32(-2),
    ...op.and,
    ...op.i32(3),
    ...op.shl,
    ...op.set(L.jb),
    ...blocks(4),
    ...blocks(1),
    ...op.get(L.i),
    ...op.i32(1),
    ...op.add,
    ...op.set(L.i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return [2, 7, 0x7f, 5, 0x7b, ...code, ...op.end];
}

function module(): Uint8Array {
  const sec = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const fn = (body: number[]) => [...uleb(body.length), ...body];
  // (i32, i32) -> (), (i32, i32, f64) -> () and (i32, i32, i32) -> ()
  const types = [3, 0x60, 2, 0x7f, 0x7f, 0, 0x60, 3, 0x7f, 0x7f, 0x7c, 0, 0x60, 3, 0x7f, 0x7f, 0x7f, 0];
  const exports = [
    ...[5, ...name('hist16'), 0, 0, ...name('hist8'), 0, 1, ...name('f32'), 0, 2],
    ...[...name('gram'), 0, 3, ...name('mem'), 2, 0],
  ];
  return new Uint8Array([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...sec(1, types),
    ...sec(3, [4, 0, 0, 1, 2]),
    ...sec(5, [1, 0, ...uleb(PAGES)]),
    ...sec(7, exports),
    ...sec(10, [4, ...fn(histBody(16)), ...fn(histBody(8)), ...fn(f32Body()), ...fn(gramBody())]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// the instance

/** The WebAssembly global, typed here because the project's TypeScript libs do not declare it. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

export interface Kernels {
  /** Counts `groups` × HIST_GROUP 16-bit (8-bit) patterns at `ptr` into t16 (t8). */
  hist16(ptr: number, groups: number): void;
  hist8(ptr: number, groups: number): void;
  /** F32 statistics of `quads` × 4 values at `ptr` (see f32Body), keys counted into t16. */
  f32(ptr: number, quads: number, shift: number): void;
  /** Rank-1 updates of gramDots (m2 × m2) by `n` vectors of m2 f64 in gramBatch (see gramBody). */
  gram(ptr: number, n: number, m2: number): void;
  gramDots: Float64Array;
  gramBatch: Float64Array;
  /** The F32 lane accumulators: s1, s2, |x| (f64, lanes 0..3 each), then min, max (f32 ×4), counts (i32 ×4). */
  acc: { sums: Float64Array; minMax: Float32Array; counts: Int32Array };
  /** Whole memory, for views; `memory` is the WebAssembly.Memory itself (other modules import it). */
  buffer: ArrayBuffer;
  memory: object;
  /** The input area: fill it and pass offsets inside it, or let `feed` copy. */
  input: Uint8Array;
  /** The 16-bit and the 8-bit table. */
  t16: Uint32Array;
  t8: Uint32Array;
  /** Who holds the tables now (see claim). */
  owner: { releaseKernel(): void } | undefined;
}

let instance: Kernels | null | undefined;

/** This thread's kernels, or null where WebAssembly (or its SIMD) is unavailable. */
export function kernels(): Kernels | null {
  if (instance !== undefined) return instance;
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api) {
      instance = null;
      return instance;
    }
    const { exports } = new api.Instance(new api.Module(module()));
    const buffer = (exports.mem as { buffer: ArrayBuffer }).buffer;
    instance = {
      hist16: exports.hist16 as Kernels['hist16'],
      hist8: exports.hist8 as Kernels['hist8'],
      f32: exports.f32 as Kernels['f32'],
      gram: exports.gram as Kernels['gram'],
      gramDots: new Float64Array(buffer, GRAM_DOTS, GRAM_MAX_WIDTH * GRAM_MAX_WIDTH),
      gramBatch: new Float64Array(buffer, GRAM_BATCH, GRAM_BATCH_BYTES / 8),
      acc: {
        sums: new Float64Array(buffer, ACC, 12),
        minMax: new Float32Array(buffer, ACC + 96, 8),
        counts: new Int32Array(buffer, ACC + 128, 4),
      },
      buffer,
      memory: exports.mem as object,
      input: new Uint8Array(buffer, INPUT, INPUT_SIZE),
      t16: new Uint32Array(buffer, T16, 65536),
      t8: new Uint32Array(buffer, T8, 256),
      owner: undefined,
    };
  } catch {
    instance = null;
  }
  return instance;
}

/** Makes `who` the holder of the tables, folding the previous holder's counts into it first. */
export function claim(k: Kernels, who: { releaseKernel(): void }): void {
  if (k.owner === who) return;
  k.owner?.releaseKernel();
  k.owner = who;
}

/** Where `bytes` lies inside the input area, or -1 when it lies elsewhere (then it must be copied). */
export function inputOffset(k: Kernels, bytes: Uint8Array): number {
  if (bytes.buffer !== k.buffer) return -1;
  const at = bytes.byteOffset - INPUT;
  return at >= 0 && at + bytes.byteLength <= INPUT_SIZE ? bytes.byteOffset : -1;
}

/**
 * Runs `run(ptr, length)` over `bytes` from inside the input area: in place when the bytes are
 * there already, else copied in `slice`-byte pieces (a multiple of 16).
 */
export function overInput(
  k: Kernels,
  bytes: Uint8Array,
  run: (ptr: number, length: number) => void,
  slice = 1 << 20,
): void {
  const at = inputOffset(k, bytes);
  if (at >= 0) {
    run(at, bytes.byteLength);
    return;
  }
  for (let off = 0; off < bytes.byteLength; off += slice) {
    const n = Math.min(slice, bytes.byteLength - off);
    k.input.set(bytes.subarray(off, off + n));
    run(INPUT, n);
  }
}
