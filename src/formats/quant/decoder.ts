/**
 * Decoders of quantised safetensors checkpoints: one logical weight from its stored parts.
 *  - gptq: `qweight` I32 [in·bits/32, out] (bit stream along the input axis), `qzeros` I32
 *    [groups, out·bits/32], `scales` [groups, out], optional `g_idx` I32 [in] (act-order);
 *    W[o][i] = scale[g][o] · (q[i][o] − (zero[g][o] + zeroOffset)), g = g_idx[i] or ⌊i/groupSize⌋
 *    (zeroOffset 1 for the original GPTQ format, 0 for gptq_v2).
 *  - awq (GEMM): `qweight` I32 [in, out/8] packing 8 output columns in AWQ's nibble order
 *    [0, 2, 4, 6, 1, 3, 5, 7], `qzeros` likewise, `scales` [groups, out]; W[o][i] = (q − z) · s.
 *  - pack (compressed-tensors pack-quantized): `weight_packed` I32 [out, in·bits/32], values
 *    stored offset by 2^(bits−1); `weight_scale` [out, groups], optional `weight_zero_point`.
 *  - scaled (FP8 / INT8 with scales): `weight` F8/I8 [out, in] times a scale per tensor, per row,
 *    per group of columns, or per block (DeepSeek-V3 `weight_scale_inv`, 128×128 blocks).
 *  - mxfp4 (gpt-oss): `*_blocks` U8 [..., rows, groups, 16] E2M1 pairs (low nibble first) and
 *    `*_scales` U8 [..., rows, groups] E8M0; value = E2M1 · 2^(scale − 127).
 *  - bnb4 (bitsandbytes NF4/FP4): `weight` U8 (two codes a byte, high nibble first), code book
 *    `quant_map` [16], `absmax` per block (itself 8-bit quantised when nested).
 * Row-major schemes read only the rows (and for samples, the columns) asked for; GPTQ and AWQ
 * store the matrix along the input axis, so a band of output rows is a column band of `qweight`.
 *
 * Untrusted sizes: every read is decoded in pieces of at most MAX_BAND_VALUES values (whole rows,
 * or part of one row when a row is longer), each reading only the stored bytes, scales, zeros,
 * g_idx and absmax entries it covers, so memory does not grow with the tensor. What cannot be
 * bounded that way (an act-order band needing more scale entries than MAX_SIDE_VALUES, a long
 * GPTQ row over many output columns needing a read per packed word) is an InputError naming the
 * tensor and the limit, raised before anything is allocated for it.
 */
import { InputError } from '../../errors.js';
import type { DecoderOptions, TensorDecoder } from '../decode.js';
import { decodeToFloat32, dtypeInfo } from '../dtypes.js';
import { readPart } from '../parts.js';
import type { TensorEncoding, TensorPart } from '../types.js';
import { type Axis, type Coalescing, axisLength, gather, planGather } from './gather.js';

/** Values decoded at once at most (32 MiB of float32): a streaming band, or a piece of a longer read. */
export const MAX_BAND_VALUES = 2 ** 23;
/** Scale (and zero) entries one piece may need: act-order GPTQ needs every group of its rows. */
export const MAX_SIDE_VALUES = 2 ** 23;
/**
 * Separate reads one piece may make (one per stored input row of a narrow band of output rows).
 * Real models need at most one per input for AWQ (Nemotron-4-340B's down_proj: 73,728) and
 * inputs·bits/32 for GPTQ.
 */
export const MAX_PIECE_READS = 2 ** 18;
/** Code books and per-tensor or per-channel scales this small are read whole, once. */
const SMALL_PART_BYTES = 64 * 1024;

// Streaming: a band of output rows reads through the other columns only when they are few; part
// of one long row reads through up to 16× (the alternative is a read per packed word).
const BAND: Coalescing = { gap: 1 << 20, waste: 0.25, free: 0 };
const LONG_ROW: Coalescing = { gap: 1 << 20, waste: 16, free: 0 };
// Sampled reads: few bytes from a local file; fewer requests over the network.
const SAMPLE_LOCAL: Coalescing = { gap: 64 << 10, waste: 16, free: 64 };
const SAMPLE_REMOTE: Coalescing = { gap: 256 << 10, waste: 16, free: 256 << 10, maxReads: 512 };

const AWQ_NIBBLE = [0, 4, 1, 5, 2, 6, 3, 7];
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];
/** Mean spacing of the E2M1 and NF4/FP4 code books, for the rounding estimate. */
const E2M1_SPACING = 6 / 7;

interface Ctx {
  enc: TensorEncoding;
  name: string;
  opts: DecoderOptions;
  part(role: string): TensorPart;
  has(role: string): boolean;
  numel(role: string): number;
  /** Elements [a, b) of a part as float32. */
  floats(role: string, a: number, b: number): Promise<Float32Array>;
  /** Bytes [a, b) of a part. */
  bytes(role: string, a: number, b: number): Promise<Uint8Array>;
  fail(problem: string): InputError;
}

function context(enc: TensorEncoding, name: string, opts: DecoderOptions): Ctx {
  const part = (role: string) => {
    const p = enc.parts.find((x) => x.role === role);
    if (!p) throw new RangeError(`${name}: no ${role} part`);
    return p;
  };
  const fail = (problem: string) => new InputError(enc.parts[0]!.file.id, `tensor ${JSON.stringify(name)}: ${problem}`);
  const whole = new Map<string, Promise<Uint8Array>>();
  const wholeFloats = new Map<string, Promise<Float32Array>>();
  const small = (p: TensorPart) => p.byteLength <= SMALL_PART_BYTES;
  const wholeBytes = (p: TensorPart) => {
    let v = whole.get(p.role);
    if (!v) {
      v = readPart(p, 0, p.byteLength);
      whole.set(p.role, v);
    }
    return v;
  };
  const elementBytes = (p: TensorPart) => dtypeInfo(p.dtype, p.file.id).bits / 8;
  return {
    enc,
    name,
    opts,
    part,
    has: (role) => enc.parts.some((x) => x.role === role),
    numel: (role) => part(role).shape.reduce((a, b) => a * b, 1),
    async bytes(role, a, b) {
      const p = part(role);
      return small(p) ? (await wholeBytes(p)).subarray(a, b) : readPart(p, a, b - a);
    },
    async floats(role, a, b) {
      const p = part(role);
      if (small(p)) {
        let v = wholeFloats.get(role);
        if (!v) {
          v = wholeBytes(p).then((x) => decodeToFloat32(p.dtype, x));
          wholeFloats.set(role, v);
        }
        return (await v).subarray(a, b);
      }
      const es = elementBytes(p);
      return decodeToFloat32(p.dtype, await readPart(p, a * es, (b - a) * es));
    },
    fail,
  };
}

/** Int32 words of bytes (copied when not 4-byte aligned). */
function int32s(b: Uint8Array): Int32Array {
  if (b.byteOffset % 4 === 0) return new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
  return new Int32Array(b.slice().buffer);
}

interface Rounding {
  stepSquares: number;
  count: number;
}

/**
 * Decodes rows [r0, r1) × columns [c0, c1) of the R × C view into `dst`, row-major: whole rows
 * (c0 = 0, c1 = C) or part of one row (r1 = r0 + 1), at most MAX_BAND_VALUES values.
 */
type Piece = (r0: number, r1: number, c0: number, c1: number, dst: Float32Array) => Promise<void>;

/**
 * A decoder of the R × C view from a piece decoder: reads are cut into whole-row pieces, or
 * pieces of one row of at most MAX_BAND_VALUES (a multiple of `unit`), decoded in flat order.
 */
function pieceDecoder(
  R: number,
  C: number,
  piece: Piece,
  storedBytesPerRow: number,
  rounding: Rounding,
  opts: DecoderOptions,
  readGrid?: TensorDecoder['readGrid'],
): TensorDecoder {
  let scratch: Float32Array | undefined;
  const buffer = (n: number): Float32Array => {
    if (!opts.reuse) return new Float32Array(n);
    if (!scratch || scratch.length < n) scratch = new Float32Array(n);
    return scratch.subarray(0, n);
  };
  const rowsPerPiece = C > 0 ? Math.max(1, Math.floor(MAX_BAND_VALUES / C)) : 1;
  return {
    values: 'F32',
    async read(start, end) {
      if (start >= end) return new Uint8Array(0);
      const res = buffer(end - start);
      for (let pos = start; pos < end; ) {
        const r = Math.floor(pos / C);
        const c = pos - r * C;
        let next: number;
        if (c === 0 && C <= MAX_BAND_VALUES && end - pos >= C) {
          next = pos + Math.min(Math.floor((end - pos) / C), rowsPerPiece) * C;
          await piece(r, (next - pos) / C + r, 0, C, res.subarray(pos - start, next - start));
        } else {
          const c1 = Math.min(C, c + MAX_BAND_VALUES, c + (end - pos));
          next = pos + (c1 - c);
          await piece(r, r + 1, c, c1, res.subarray(pos - start, next - start));
        }
        pos = next;
      }
      return new Uint8Array(res.buffer, res.byteOffset, (end - start) * 4);
    },
    bandElements(storedBytes) {
      if (C > MAX_BAND_VALUES) return MAX_BAND_VALUES;
      const n = Math.max(1, Math.floor(storedBytes / Math.max(1, storedBytesPerRow)));
      return Math.min(R, n, rowsPerPiece) * C;
    },
    rounding: () => rounding,
    ...(readGrid ? { readGrid } : {}),
  };
}

/** Sorted distinct values. */
function distinct(xs: Iterable<number>): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

/** Position of a value in an axis (a range, or sorted distinct values). */
function indexer(axis: Axis): (x: number) => number {
  if (!Array.isArray(axis)) {
    const from = (axis as { from: number }).from;
    return (x) => x - from;
  }
  const at = new Map((axis as readonly number[]).map((x, k) => [x, k]));
  return (x) => at.get(x)!;
}

// ---------------------------------------------------------------------------------------------
// GPTQ and AWQ: matrices stored along the input axis

function gptqDecoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const [out, inn] = shape as [number, number];
  const bits = Number(ctx.enc.params.bits);
  const awq = ctx.enc.params.method === 'awq';
  const group = Number(ctx.enc.params.groupSize) > 0 ? Number(ctx.enc.params.groupSize) : inn;
  const zeroOffset = Number(ctx.enc.params.zeroOffset ?? 0);
  const mask = (1 << bits) - 1;
  const q = ctx.part('qweight');
  const sc = ctx.part('scales');
  const qz = ctx.part('qzeros');
  const hasGIdx = ctx.has('g_idx');
  // words per qweight row: GPTQ rows are packed input rows of `out` words; AWQ rows are input rows
  const rowWords = awq ? out / 8 : out;
  const zRowWords = awq ? out / 8 : (out * bits) / 32;
  const groups = Math.ceil(inn / group);
  const scaleBytes = dtypeInfo(sc.dtype, sc.file.id).bits / 8;
  // detect.ts checked the parts' shapes; a decoder must still never read past a part
  const storedRows = awq ? inn : (inn * bits) / 32;
  for (const [p, bytes] of [
    [q, storedRows * rowWords * 4],
    [qz, groups * zRowWords * 4],
    [sc, groups * out * scaleBytes],
    ...(hasGIdx ? [[ctx.part('g_idx'), inn * 4] as const] : []),
  ] as const) {
    if (p.byteLength !== bytes)
      throw ctx.fail(`${p.name} holds ${p.byteLength} bytes where [${out}, ${inn}] needs ${bytes}`);
  }
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  const sampling = q.file.localPath !== undefined ? SAMPLE_LOCAL : SAMPLE_REMOTE;

  /** The stored words holding the zero of each output of `O`: two for a GPTQ zero that straddles. */
  const zeroWords = (O: Axis): Axis => {
    if (!Array.isArray(O)) {
      const { from, to } = O as { from: number; to: number };
      return awq
        ? { from: Math.floor(from / 8), to: Math.floor((to - 1) / 8) + 1 }
        : { from: Math.floor((from * bits) / 32), to: Math.floor((to * bits - 1) / 32) + 1 };
    }
    const os = O as readonly number[];
    if (awq) return distinct(os.map((o) => Math.floor(o / 8)));
    return distinct(os.flatMap((o) => [Math.floor((o * bits) / 32), Math.floor((o * bits + bits - 1) / 32)]));
  };

  /** Scales and integer zeros (zero offset added) of groups `G` × outputs `O`, dense |G| × |O|. */
  const side = async (G: Axis, O: Axis, how: Coalescing) => {
    const nG = axisLength(G);
    const nO = axisLength(O);
    if (nG * nO > MAX_SIDE_VALUES) {
      throw ctx.fail(
        `one read of ${nO} output columns needs scales of ${nG} groups (${nG * nO} values, more than ` +
          `${MAX_SIDE_VALUES}): g_idx spreads these inputs over too many groups`,
      );
    }
    const Z = zeroWords(O);
    const nZ = axisLength(Z);
    const sRow = out * scaleBytes;
    const [sBytes, zBytes] = await Promise.all([
      gather(sc, planGather(G, O, sRow, scaleBytes, how), nG, nO, sRow, scaleBytes),
      gather(qz, planGather(G, Z, zRowWords * 4, 4, how), nG, nZ, zRowWords * 4, 4),
    ]);
    const scales = decodeToFloat32(sc.dtype, sBytes);
    const zw = int32s(zBytes);
    const zeros = new Int32Array(nG * nO);
    const zi = indexer(Z);
    const os = Array.isArray(O) ? (O as readonly number[]) : undefined;
    const o0 = os ? 0 : (O as { from: number }).from;
    for (let a = 0; a < nO; a++) {
      const o = os ? os[a]! : o0 + a;
      if (awq) {
        const w = zi(Math.floor(o / 8));
        const sh = 4 * AWQ_NIBBLE[o & 7]!;
        for (let g = 0; g < nG; g++) zeros[g * nO + a] = (zw[g * nZ + w]! >>> sh) & 15;
      } else {
        const bit = o * bits;
        const word = Math.floor(bit / 32);
        const s = bit - word * 32;
        const w = zi(word);
        for (let g = 0; g < nG; g++) {
          let v = zw[g * nZ + w]! >>> s;
          if (s + bits > 32) v |= zw[g * nZ + w + 1]! << (32 - s);
          zeros[g * nO + a] = (v & mask) + zeroOffset;
        }
      }
    }
    return { scales, zeros };
  };

  const gIdxValues = (g: Int32Array, where: () => string): { lo: number; hi: number } => {
    let lo = groups;
    let hi = -1;
    for (let k = 0; k < g.length; k++) {
      const x = g[k]!;
      if (!(x >= 0 && x < groups)) throw ctx.fail(`g_idx value ${x} ${where()} outside [0, ${groups})`);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return { lo, hi };
  };

  const piece: Piece = async (o0, o1, i0, i1, dst) => {
    const nO = o1 - o0;
    const nI = i1 - i0;
    const how = nI < inn ? LONG_ROW : BAND;
    const P = awq
      ? { from: i0, to: i1 }
      : { from: Math.floor((i0 * bits) / 32), to: Math.floor((i1 * bits - 1) / 32) + 1 };
    const Wd = awq ? { from: Math.floor(o0 / 8), to: Math.floor((o1 - 1) / 8) + 1 } : { from: o0, to: o1 };
    const W = Wd.to - Wd.from;
    const plan = planGather(P, Wd, rowWords * 4, 4, how);
    if (plan.length > MAX_PIECE_READS) {
      throw ctx.fail(
        `decoding ${nO === 1 ? `part of a row of ${inn}` : `${nO} rows of ${inn}`} inputs would take ${plan.length} ` +
          `separate reads (more than ${MAX_PIECE_READS}): ${awq ? 'AWQ' : 'GPTQ'} stores rows along the input axis ` +
          `and this tensor's ${out} output columns are too many for rows this long`,
      );
    }
    let gi: Int32Array | undefined;
    let gA = Math.floor(i0 / group);
    let gB = Math.floor((i1 - 1) / group) + 1;
    const [codeBytes] = await Promise.all([
      gather(q, plan, P.to - P.from, W, rowWords * 4, 4),
      (async () => {
        if (!hasGIdx) return;
        gi = int32s(await ctx.bytes('g_idx', i0 * 4, i1 * 4));
        const { lo, hi } = gIdxValues(gi, () => `for inputs ${i0}..${i1 - 1}`);
        gA = lo;
        gB = hi + 1;
      })(),
    ]);
    const codes = int32s(codeBytes);
    const { scales, zeros } = await side({ from: gA, to: gB }, { from: o0, to: o1 }, how);
    let ss = rounding.stepSquares;
    let k = 0;
    const rel0 = i0 * bits - P.from * 32;
    for (let a = 0; a < nO; a++) {
      const o = o0 + a;
      const col = awq ? Math.floor(o / 8) - Wd.from : a;
      const sh = awq ? 4 * AWQ_NIBBLE[o & 7]! : 0;
      if (gi) {
        // act-order: each input's own group
        let rel = rel0;
        for (let b = 0; b < nI; b++) {
          const x = (gi[b]! - gA) * nO + a;
          const s = scales[x]!;
          let code: number;
          if (awq) code = (codes[b * W + col]! >>> sh) & 15;
          else {
            const w = rel >>> 5;
            const r = rel & 31;
            let v = codes[w * W + col]! >>> r;
            if (r + bits > 32) v |= codes[(w + 1) * W + col]! << (32 - r);
            code = v & mask;
            rel += bits;
          }
          dst[k++] = s * (code - zeros[x]!);
          ss += s * s;
        }
        continue;
      }
      // groups of consecutive inputs: one scale and zero per run
      for (let b0 = 0; b0 < nI; ) {
        const g = Math.floor((i0 + b0) / group);
        const b1 = Math.min(nI, (g + 1) * group - i0);
        const x = (g - gA) * nO + a;
        const s = scales[x]!;
        const s2 = s * s;
        const z = zeros[x]!;
        if (awq) {
          for (let b = b0; b < b1; b++) {
            dst[k++] = s * (((codes[b * W + col]! >>> sh) & 15) - z);
            ss += s2;
          }
        } else {
          let rel = rel0 + b0 * bits;
          for (let b = b0; b < b1; b++) {
            const w = rel >>> 5;
            const r = rel & 31;
            let v = codes[w * W + col]! >>> r;
            if (r + bits > 32) v |= codes[(w + 1) * W + col]! << (32 - r);
            dst[k++] = s * ((v & mask) - z);
            ss += s2;
            rel += bits;
          }
        }
        b0 = b1;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += nO * nI;
  };

  /** Values at outputs `rows` × inputs `cols`, reading the packed words, scales and zeros they need. */
  const readGrid = async (rows: ArrayLike<number>, cols: ArrayLike<number>): Promise<Float32Array> => {
    const nR = rows.length;
    const nC = cols.length;
    const res = new Float32Array(nR * nC);
    if (nR === 0 || nC === 0) return res;
    const rs = Array.from(rows);
    const cs = Array.from(cols);
    const P = distinct(
      awq ? cs : cs.flatMap((i) => [Math.floor((i * bits) / 32), Math.floor((i * bits + bits - 1) / 32)]),
    );
    const Wd = distinct(awq ? rs.map((o) => Math.floor(o / 8)) : rs);
    const inputs = distinct(cs);
    let groupOf: (i: number) => number = (i) => Math.floor(i / group);
    if (hasGIdx) {
      const g = ctx.part('g_idx');
      const one = { from: 0, to: 1 };
      const gi = int32s(await gather(g, planGather(one, inputs, inn * 4, 4, sampling), 1, inputs.length, inn * 4, 4));
      gIdxValues(gi, () => 'for a sampled input');
      const at = indexer(inputs);
      groupOf = (i) => gi[at(i)]!;
    }
    const G = distinct(inputs.map(groupOf));
    const O = distinct(rs);
    const [codeBytes, { scales, zeros }] = await Promise.all([
      gather(q, planGather(P, Wd, rowWords * 4, 4, sampling), P.length, Wd.length, rowWords * 4, 4),
      side(G, O, sampling),
    ]);
    const codes = int32s(codeBytes);
    const nW = Wd.length;
    const nO = O.length;
    const pAt = indexer(P);
    const wAt = indexer(Wd);
    const gAt = indexer(G);
    const oAt = indexer(O);
    const colWord = cs.map((i) => pAt(awq ? i : Math.floor((i * bits) / 32)));
    const colShift = cs.map((i) => (awq ? 0 : i * bits - Math.floor((i * bits) / 32) * 32));
    const colGroup = cs.map((i) => gAt(groupOf(i)));
    let ss = rounding.stepSquares;
    let k = 0;
    for (const o of rs) {
      const w = wAt(awq ? Math.floor(o / 8) : o);
      const oi = oAt(o);
      const sh = 4 * AWQ_NIBBLE[o & 7]!;
      for (let b = 0; b < nC; b++) {
        const x = colGroup[b]! * nO + oi;
        const s = scales[x]!;
        const p = colWord[b]!;
        let code: number;
        if (awq) code = (codes[p * nW + w]! >>> sh) & 15;
        else {
          const r = colShift[b]!;
          let v = codes[p * nW + w]! >>> r;
          if (r + bits > 32) v |= codes[(p + 1) * nW + w]! << (32 - r);
          code = v & mask;
        }
        res[k++] = s * (code - zeros[x]!);
        ss += s * s;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += res.length;
    return res;
  };

  return pieceDecoder(out, inn, piece, (inn * bits) / 8, rounding, ctx.opts, (rows, cols) => readGrid(rows, cols));
}

// ---------------------------------------------------------------------------------------------
// Row-major schemes: a piece is the flat range [r0·C + c0, (r1 − 1)·C + c1)

function packDecoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const [out, inn] = shape as [number, number];
  const bits = Number(ctx.enc.params.bits);
  const mask = (1 << bits) - 1;
  const offset = 1 << (bits - 1);
  const group = Number(ctx.enc.params.groupSize) > 0 ? Number(ctx.enc.params.groupSize) : inn;
  const groups = Math.ceil(inn / group);
  const rowWords = Math.ceil((inn * bits) / 32);
  const data = ctx.part('weight_packed');
  const hasZero = ctx.has('weight_zero_point');
  // one scale per tensor, per row, or per row and group of `group` columns
  const n = ctx.numel('weight_scale');
  const per = n === 1 ? 0 : n / out;
  if (n === 0 || (per !== 0 && per !== groups && per !== 1)) {
    throw ctx.fail(`weight_scale has ${n} values for ${out} rows in ${groups} groups`);
  }
  if (hasZero && ctx.numel('weight_zero_point') !== n) {
    throw ctx.fail(`weight_zero_point has ${ctx.numel('weight_zero_point')} values, weight_scale ${n}`);
  }
  if (data.byteLength !== out * rowWords * 4) {
    throw ctx.fail(`${data.name} holds ${data.byteLength} bytes where [${out}, ${inn}] needs ${out * rowWords * 4}`);
  }
  const at = (r: number, c: number) => (per === 0 ? 0 : r * per + (per === 1 ? 0 : Math.floor(c / group)));
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  const piece: Piece = async (r0, r1, c0, c1, dst) => {
    const wStart = r0 * rowWords + Math.floor((c0 * bits) / 32);
    const wEnd = (r1 - 1) * rowWords + Math.floor((c1 * bits - 1) / 32) + 1;
    const sA = at(r0, c0);
    const sB = at(r1 - 1, c1 - 1) + 1;
    const [b, scale, zp] = await Promise.all([
      readPart(data, wStart * 4, (wEnd - wStart) * 4),
      ctx.floats('weight_scale', sA, sB),
      hasZero ? ctx.floats('weight_zero_point', sA, sB) : undefined,
    ]);
    const words = int32s(b);
    let ss = rounding.stepSquares;
    let k = 0;
    for (let r = r0; r < r1; r++) {
      // bit of column c in `words`: the row's first word is r·rowWords − wStart
      const rowBit = (r * rowWords - wStart) * 32;
      for (let c = c0; c < c1; c++) {
        const x = at(r, c) - sA;
        const s = scale[x]!;
        const z = zp ? zp[x]! : 0;
        const rel = rowBit + c * bits;
        const w = rel >>> 5;
        const sh = rel & 31;
        let v = words[w]! >>> sh;
        if (sh + bits > 32) v |= words[w + 1]! << (32 - sh);
        dst[k++] = ((v & mask) - offset - z) * s;
        ss += s * s;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += k;
  };
  return pieceDecoder(out, inn, piece, rowWords * 4, rounding, ctx.opts);
}

/** FP8/INT8 `weight` times scales: per tensor, per row, per column group, or per 2-D block. */
function scaledDecoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const w = ctx.part('weight');
  const R = shape.length > 1 ? shape[0]! : 1;
  const C = shape.reduce((a, b) => a * b, 1) / R;
  const es = w.dtype === 'I8' || w.dtype.startsWith('F8') ? 1 : 2;
  const mantissa = w.dtype === 'F8_E5M2' ? 2 : w.dtype === 'F8_E4M3' ? 3 : -1;
  const sShape = ctx.part('scale').shape;
  const n = ctx.numel('scale');
  const blockRows = Number(ctx.enc.params.blockRows ?? 0);
  const blockCols = Number(ctx.enc.params.blockCols ?? 0);
  const divisor = Number(ctx.enc.params.divisor ?? 1);
  const misfit = () =>
    ctx.fail(`scale of shape [${sShape.join(', ')}] does not fit a weight of shape [${shape.join(', ')}]`);
  if (w.byteLength !== R * C * es) throw misfit();
  // index of the scale of (r, c), and the range of indices a piece needs
  let at: (r: number, c: number) => number;
  let span: (r0: number, r1: number, c0: number, c1: number) => [number, number];
  if (n === 1) {
    at = () => 0;
    span = () => [0, 1];
  } else if (blockRows > 0) {
    const bc = Math.ceil(C / blockCols);
    if (n !== Math.ceil(R / blockRows) * bc) throw misfit();
    at = (r, c) => Math.floor(r / blockRows) * bc + Math.floor(c / blockCols);
    span = (r0, r1, c0, c1) =>
      r1 - r0 === 1
        ? [at(r0, c0), at(r0, c1 - 1) + 1]
        : [Math.floor(r0 / blockRows) * bc, (Math.floor((r1 - 1) / blockRows) + 1) * bc];
  } else {
    const per = n / R;
    if (!(Number.isInteger(per) && per >= 1)) throw misfit();
    const group = C / per;
    at = (r, c) => r * per + Math.floor(c / group);
    span = (r0, r1, c0, c1) => [at(r0, c0), at(r1 - 1, c1 - 1) + 1];
  }
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  // FP8 rounds to a grid relative to the value (2^(exponent − mantissa bits)); INT8 to 1
  const stepFactor = (x: number) =>
    mantissa < 0 || x === 0 ? 1 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - mantissa);
  const stepOf =
    es === 1
      ? Float64Array.from(
          decodeToFloat32(
            w.dtype,
            Uint8Array.from({ length: 256 }, (_, i) => i),
          ),
          stepFactor,
        )
      : undefined;
  const piece: Piece = async (r0, r1, c0, c1, dst) => {
    const e0 = r0 * C + c0;
    const e1 = (r1 - 1) * C + c1;
    const [sA, sB] = span(r0, r1, c0, c1);
    const [bytes, scale] = await Promise.all([readPart(w, e0 * es, (e1 - e0) * es), ctx.floats('scale', sA, sB)]);
    const v = decodeToFloat32(w.dtype, bytes, dst);
    let ss = rounding.stepSquares;
    let k = 0;
    if (stepOf) {
      // one-byte codes: the grid step relative to the scale, by code
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          const s = scale[at(r, c) - sA]! / divisor;
          const step = stepOf[bytes[k]!]! * s;
          v[k] = v[k]! * s;
          k++;
          ss += step * step;
        }
      }
      rounding.stepSquares = ss;
      rounding.count += k;
      return;
    }
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const s = scale[at(r, c) - sA]! / divisor;
        const x = v[k]!;
        v[k++] = x * s;
        const step = stepFactor(x) * s;
        ss += step * step;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += k;
  };
  return pieceDecoder(R, C, piece, C * es, rounding, ctx.opts);
}

function mxfp4Decoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const blocks = ctx.part('blocks');
  const scales = ctx.part('scales');
  const C = shape[shape.length - 1]!;
  const R = shape.reduce((a, b) => a * b, 1) / C;
  const G = C / 32;
  if (blocks.byteLength !== R * G * 16 || scales.byteLength !== R * G) {
    throw ctx.fail(`${blocks.name} and ${scales.name} do not hold [${shape.join(', ')}] in groups of 32`);
  }
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  const piece: Piece = async (r0, r1, c0, c1, dst) => {
    const e0 = r0 * C + c0;
    const e1 = (r1 - 1) * C + c1;
    const g0 = Math.floor(e0 / 32);
    const g1 = Math.floor((e1 - 1) / 32) + 1;
    const [b, s] = await Promise.all([readPart(blocks, g0 * 16, (g1 - g0) * 16), readPart(scales, g0, g1 - g0)]);
    let ss = rounding.stepSquares;
    for (let g = g0; g < g1; g++) {
      const f = 2 ** (s[g - g0]! - 127);
      const base = (g - g0) * 16;
      const first = g * 32;
      const lo = Math.max(e0, first);
      const hi = Math.min(e1, first + 32);
      if (hi - lo === 32) {
        const d = first - e0;
        for (let j = 0; j < 16; j++) {
          const byte = b[base + j]!;
          dst[d + 2 * j] = E2M1[byte & 15]! * f;
          dst[d + 2 * j + 1] = E2M1[byte >> 4]! * f;
        }
      } else {
        for (let e = lo; e < hi; e++) {
          const j = e - first;
          const byte = b[base + (j >> 1)]!;
          dst[e - e0] = E2M1[j & 1 ? byte >> 4 : byte & 15]! * f;
        }
      }
      ss += (hi - lo) * (E2M1_SPACING * f) ** 2;
    }
    rounding.stepSquares = ss;
    rounding.count += e1 - e0;
  };
  return pieceDecoder(R, C, piece, G * 17, rounding, ctx.opts);
}

function bnb4Decoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const data = ctx.part('weight');
  const blocksize = Number(ctx.enc.params.blocksize);
  const R = shape.length > 1 ? shape[0]! : 1;
  const numel = shape.reduce((a, b) => a * b, 1);
  const C = numel / R;
  const nested = ctx.has('nested_absmax');
  const nb = Number(ctx.enc.params.nestedBlocksize);
  const off = Number(ctx.enc.params.nestedOffset ?? 0);
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  let book: Promise<{ map: Float32Array; spacing: number }> | undefined;
  const codeBook = () => {
    book ??= ctx.floats('quant_map', 0, 16).then((map) => {
      let spacing = 0;
      for (let k = 1; k < 16; k++) spacing += Math.abs(map[k]! - map[k - 1]!);
      return { map, spacing: spacing / 15 };
    });
    return book;
  };
  /** absmax of blocks [a0, a1); nested: 8-bit codes of a dynamic map, scaled per nb blocks, plus an offset. */
  const absmax = async (a0: number, a1: number): Promise<Float32Array> => {
    if (!nested) return ctx.floats('absmax', a0, a1);
    const n0 = Math.floor(a0 / nb);
    const [codes, top, map] = await Promise.all([
      ctx.bytes('absmax', a0, a1),
      ctx.floats('nested_absmax', n0, Math.floor((a1 - 1) / nb) + 1),
      ctx.floats('nested_quant_map', 0, 256),
    ]);
    const out = new Float32Array(a1 - a0);
    for (let i = 0; i < out.length; i++) out[i] = map[codes[i]!]! * top[Math.floor((a0 + i) / nb) - n0]! + off;
    return out;
  };
  const piece: Piece = async (r0, r1, c0, c1, dst) => {
    const e0 = r0 * C + c0;
    const e1 = (r1 - 1) * C + c1;
    const b0 = Math.floor(e0 / 2);
    const a0 = Math.floor(e0 / blocksize);
    const [bytes, am, { map, spacing }] = await Promise.all([
      readPart(data, b0, Math.floor((e1 + 1) / 2) - b0),
      absmax(a0, Math.floor((e1 - 1) / blocksize) + 1),
      codeBook(),
    ]);
    let ss = rounding.stepSquares;
    for (let blk = 0; blk < am.length; blk++) {
      const a = am[blk]!;
      const step2 = (spacing * a) ** 2;
      const first = (a0 + blk) * blocksize;
      const hi = Math.min(e1, first + blocksize);
      for (let e = Math.max(e0, first); e < hi; e++) {
        const rel = e - 2 * b0;
        const byte = bytes[rel >> 1]!;
        dst[e - e0] = map[rel & 1 ? byte & 15 : byte >> 4]! * a;
        ss += step2;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += e1 - e0;
  };
  return pieceDecoder(R, C, piece, Math.ceil(C / 2), rounding, ctx.opts);
}

export function quantDecoder(
  enc: TensorEncoding,
  shape: readonly number[],
  name: string,
  opts: DecoderOptions = {},
): TensorDecoder {
  const ctx = context(enc, name, opts);
  switch (enc.params.method) {
    case 'gptq':
    case 'awq':
      return gptqDecoder(ctx, shape);
    case 'pack':
      return packDecoder(ctx, shape);
    case 'scaled':
      return scaledDecoder(ctx, shape);
    case 'mxfp4':
      return mxfp4Decoder(ctx, shape);
    case 'bnb4':
      return bnb4Decoder(ctx, shape);
    default:
      throw new RangeError(`${name}: unknown quantisation method ${String(enc.params.method)}`);
  }
}
