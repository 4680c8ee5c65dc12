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
 */
import { InputError } from '../../errors.js';
import { decodeToFloat32 } from '../dtypes.js';
import type { TensorDecoder } from '../decode.js';
import { readPart } from '../parts.js';
import type { TensorEncoding, TensorPart } from '../types.js';

/** Small parts (scales, zeros, g_idx, absmax) are read whole, once, up to this size. */
const SMALL_PART_LIMIT = 256 * 1024 * 1024;

const AWQ_NIBBLE = [0, 4, 1, 5, 2, 6, 3, 7];
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];
/** Mean spacing of the E2M1 and NF4/FP4 code books, for the rounding estimate. */
const E2M1_SPACING = 6 / 7;

interface Ctx {
  enc: TensorEncoding;
  name: string;
  part(role: string): TensorPart;
  has(role: string): boolean;
  /** Whole part as float32 (cached). */
  floats(role: string): Promise<Float32Array>;
  /** Whole part as int32 words (cached). */
  words(role: string): Promise<Int32Array>;
  fail(problem: string): InputError;
}

function context(enc: TensorEncoding, name: string): Ctx {
  const cache = new Map<string, Promise<Float32Array | Int32Array>>();
  const part = (role: string) => {
    const p = enc.parts.find((x) => x.role === role);
    if (!p) throw new RangeError(`${name}: no ${role} part`);
    return p;
  };
  const fail = (problem: string) => new InputError(enc.parts[0]!.file.id, `tensor ${JSON.stringify(name)}: ${problem}`);
  const whole = async (p: TensorPart) => {
    if (p.byteLength > SMALL_PART_LIMIT)
      throw fail(`${p.name} is ${p.byteLength} bytes, too large for a ${p.role} part`);
    return readPart(p, 0, p.byteLength);
  };
  return {
    enc,
    name,
    part,
    has: (role) => enc.parts.some((x) => x.role === role),
    floats(role) {
      let v = cache.get(role);
      if (!v) {
        const p = part(role);
        v = whole(p).then((b) => decodeToFloat32(p.dtype, b));
        cache.set(role, v);
      }
      return v as Promise<Float32Array>;
    },
    words(role) {
      let v = cache.get(role);
      if (!v) {
        v = whole(part(role)).then((b) => new Int32Array(b.buffer, b.byteOffset, b.length >> 2));
        cache.set(role, v);
      }
      return v as Promise<Int32Array>;
    },
    fail,
  };
}

/** `bits`-wide value `k` of a little-endian bit stream of 32-bit words starting at word `w0`. */
function streamValue(words: Int32Array, w0: number, k: number, bits: number, mask: number): number {
  const bit = k * bits;
  const w = w0 + (bit >>> 5);
  const s = bit & 31;
  let v = words[w]! >>> s;
  if (s + bits > 32) v |= words[w + 1]! << (32 - s);
  return v & mask;
}

type RowReader = (r0: number, r1: number) => Promise<Float32Array>;

interface Rounding {
  stepSquares: number;
  count: number;
}

/** A decoder from a reader of whole logical rows [r0, r1) of the R × C view. */
function rowDecoder(
  R: number,
  C: number,
  rows: RowReader,
  storedBytesPerRow: number,
  rounding: Rounding,
  readGrid?: TensorDecoder['readGrid'],
): TensorDecoder {
  return {
    values: 'F32',
    async read(start, end) {
      if (start >= end) return new Uint8Array(0);
      const r0 = Math.floor(start / C);
      const r1 = Math.min(R, Math.floor((end - 1) / C) + 1);
      const v = await rows(r0, r1);
      const from = start - r0 * C;
      return new Uint8Array(v.buffer, v.byteOffset + from * 4, (end - start) * 4);
    },
    bandElements(storedBytes) {
      const n = Math.max(1, Math.floor(storedBytes / Math.max(1, storedBytesPerRow)));
      return Math.min(R, n) * C;
    },
    rounding: () => rounding,
    ...(readGrid ? { readGrid } : {}),
  };
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
  // words per qweight row: GPTQ rows are packed input rows of `out` words; AWQ rows are input rows
  const rowWords = awq ? out / 8 : out;
  const groups = Math.ceil(inn / group);
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  const gIdx = async (): Promise<(i: number) => number> => {
    if (!ctx.has('g_idx')) return (i) => Math.floor(i / group);
    const g = await ctx.words('g_idx');
    for (const x of g) if (x < 0 || x >= groups) throw ctx.fail(`g_idx value ${x} outside [0, ${groups})`);
    return (i) => g[i]!;
  };
  /** Codes of the given input rows at output columns [o0, o1): one read per stored row needed. */
  const codes = async (ins: ArrayLike<number>, o0: number, o1: number): Promise<(i: number, o: number) => number> => {
    const stored = new Set<number>();
    for (let k = 0; k < ins.length; k++) {
      const i = ins[k]!;
      if (awq) stored.add(i);
      else {
        stored.add((i * bits) >>> 5);
        stored.add((i * bits + bits - 1) >>> 5); // a 3-bit value can straddle two words
      }
    }
    const w0 = awq ? o0 >> 3 : o0;
    const n = (awq ? (o1 + 7) >> 3 : o1) - w0;
    const slot = new Map<number, number>();
    const buf = new Int32Array(stored.size * n);
    await Promise.all(
      [...stored].map(async (row, k) => {
        slot.set(row, k * n);
        const b = await readPart(q, (row * rowWords + w0) * 4, n * 4);
        buf.set(new Int32Array(b.buffer, b.byteOffset, n), k * n);
      }),
    );
    if (awq) return (i, o) => (buf[slot.get(i)! + ((o >> 3) - w0)]! >>> (4 * AWQ_NIBBLE[o & 7]!)) & 15;
    return (i, o) => {
      const bit = i * bits;
      const s = bit & 31;
      let v = buf[slot.get(bit >>> 5)! + (o - o0)]! >>> s;
      if (s + bits > 32) v |= buf[slot.get((bit >>> 5) + 1)! + (o - o0)]! << (32 - s);
      return v & mask;
    };
  };
  const zerosOf = async (): Promise<(g: number, o: number) => number> => {
    const z = await ctx.words('qzeros');
    const zRow = awq ? out / 8 : (out * bits) / 32;
    if (awq) return (g, o) => (z[g * zRow + (o >> 3)]! >>> (4 * AWQ_NIBBLE[o & 7]!)) & 15;
    return (g, o) => streamValue(z, g * zRow, o, bits, mask) + zeroOffset;
  };
  const dequant = async (outs: ArrayLike<number>, ins: ArrayLike<number>): Promise<Float32Array> => {
    // the span of input rows and output columns that covers the request, read once
    const o0 = outs[0]!;
    const o1 = outs[outs.length - 1]! + 1;
    const [code, zero, scales, gOf] = await Promise.all([codes(ins, o0, o1), zerosOf(), ctx.floats('scales'), gIdx()]);
    const res = new Float32Array(outs.length * ins.length);
    let k = 0;
    for (let a = 0; a < outs.length; a++) {
      const o = outs[a]!;
      for (let b = 0; b < ins.length; b++) {
        const i = ins[b]!;
        const g = gOf(i);
        const s = scales[g * out + o]!;
        res[k++] = s * (code(i, o) - zero(g, o));
        rounding.stepSquares += s * s;
      }
    }
    rounding.count += res.length;
    return res;
  };
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  const allIn = range(0, inn);
  return rowDecoder(
    out,
    inn,
    (r0, r1) => dequant(range(r0, r1), allIn),
    (inn * bits) / 8,
    rounding,
    (rows, cols) => dequant(Array.from(rows), Array.from(cols)),
  );
}

// ---------------------------------------------------------------------------------------------
// Row-major schemes

function packDecoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const [out, inn] = shape as [number, number];
  const bits = Number(ctx.enc.params.bits);
  const mask = (1 << bits) - 1;
  const offset = 1 << (bits - 1);
  const group = Number(ctx.enc.params.groupSize) > 0 ? Number(ctx.enc.params.groupSize) : inn;
  const groups = Math.ceil(inn / group);
  const rowWords = Math.ceil((inn * bits) / 32);
  const data = ctx.part('weight_packed');
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  return rowDecoder(
    out,
    inn,
    async (r0, r1) => {
      const b = await readPart(data, r0 * rowWords * 4, (r1 - r0) * rowWords * 4);
      const words = new Int32Array(b.buffer, b.byteOffset, (r1 - r0) * rowWords);
      const scale = await ctx.floats('weight_scale');
      const zp = ctx.has('weight_zero_point') ? await ctx.floats('weight_zero_point') : undefined;
      // one scale per tensor, per row, or per row and group of `group` columns
      const per = scale.length === 1 ? 0 : scale.length / out;
      if (per !== 0 && per !== groups && per !== 1) {
        throw ctx.fail(`weight_scale has ${scale.length} values for ${out} rows in ${groups} groups`);
      }
      const at = (arr: Float32Array, r: number, g: number) =>
        per === 0 ? arr[0]! : arr[r * per + (per === 1 ? 0 : g)]!;
      const res = new Float32Array((r1 - r0) * inn);
      for (let r = r0; r < r1; r++) {
        for (let i = 0; i < inn; i++) {
          const g = Math.floor(i / group);
          const s = at(scale, r, g);
          const z = zp ? at(zp, r, g) : 0;
          const v = streamValue(words, (r - r0) * rowWords, i, bits, mask) - offset;
          res[(r - r0) * inn + i] = (v - z) * s;
          rounding.stepSquares += s * s;
        }
      }
      rounding.count += res.length;
      return res;
    },
    rowWords * 4,
    rounding,
  );
}

/** FP8/INT8 `weight` times scales: per tensor, per row, per column group, or per 2-D block. */
function scaledDecoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const w = ctx.part('weight');
  const R = shape.length > 1 ? shape[0]! : 1;
  const C = shape.reduce((a, b) => a * b, 1) / R;
  const es = w.dtype === 'I8' || w.dtype.startsWith('F8') ? 1 : 2;
  const mantissa = w.dtype === 'F8_E5M2' ? 2 : w.dtype === 'F8_E4M3' ? 3 : -1;
  const scalePart = ctx.part('scale');
  const sShape = scalePart.shape;
  const blockRows = Number(ctx.enc.params.blockRows ?? 0);
  const blockCols = Number(ctx.enc.params.blockCols ?? 0);
  const divisor = Number(ctx.enc.params.divisor ?? 1);
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  const scaleAt = (scale: Float32Array): ((r: number, c: number) => number) => {
    if (scale.length === 1) return () => scale[0]!;
    if (blockRows > 0) {
      const bc = Math.ceil(C / blockCols);
      return (r, c) => scale[Math.floor(r / blockRows) * bc + Math.floor(c / blockCols)]!;
    }
    const per = scale.length / R;
    if (Number.isInteger(per) && per >= 1) {
      const group = C / per;
      return (r, c) => scale[r * per + Math.floor(c / group)]!;
    }
    throw ctx.fail(`scale of shape [${sShape.join(', ')}] does not fit a weight of shape [${shape.join(', ')}]`);
  };
  return rowDecoder(
    R,
    C,
    async (r0, r1) => {
      const bytes = await readPart(w, r0 * C * es, (r1 - r0) * C * es);
      const v = decodeToFloat32(w.dtype, bytes);
      const at = scaleAt(await ctx.floats('scale'));
      for (let r = r0; r < r1; r++) {
        for (let c = 0; c < C; c++) {
          const k = (r - r0) * C + c;
          const s = at(r, c) / divisor;
          const x = v[k]!;
          v[k] = x * s;
          // FP8 rounds to a grid relative to the value (2^(exponent − mantissa bits)); INT8 to 1
          const step = mantissa < 0 || x === 0 ? s : 2 ** (Math.floor(Math.log2(Math.abs(x))) - mantissa) * s;
          rounding.stepSquares += step * step;
        }
      }
      rounding.count += v.length;
      return v;
    },
    C * es,
    rounding,
  );
}

function mxfp4Decoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const blocks = ctx.part('blocks');
  const scales = ctx.part('scales');
  const C = shape[shape.length - 1]!;
  const R = shape.reduce((a, b) => a * b, 1) / C;
  const G = C / 32;
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  return rowDecoder(
    R,
    C,
    async (r0, r1) => {
      const [b, s] = await Promise.all([
        readPart(blocks, r0 * G * 16, (r1 - r0) * G * 16),
        readPart(scales, r0 * G, (r1 - r0) * G),
      ]);
      const res = new Float32Array((r1 - r0) * C);
      for (let g = 0; g < (r1 - r0) * G; g++) {
        const f = 2 ** (s[g]! - 127);
        for (let j = 0; j < 16; j++) {
          const byte = b[g * 16 + j]!;
          res[g * 32 + 2 * j] = E2M1[byte & 15]! * f;
          res[g * 32 + 2 * j + 1] = E2M1[byte >> 4]! * f;
        }
        rounding.stepSquares += 32 * (E2M1_SPACING * f) ** 2;
      }
      rounding.count += res.length;
      return res;
    },
    G * 17,
    rounding,
  );
}

function bnb4Decoder(ctx: Ctx, shape: readonly number[]): TensorDecoder {
  const data = ctx.part('weight');
  const blocksize = Number(ctx.enc.params.blocksize);
  const R = shape.length > 1 ? shape[0]! : 1;
  const numel = shape.reduce((a, b) => a * b, 1);
  const C = numel / R;
  const rounding: Rounding = { stepSquares: 0, count: 0 };
  let absmax: Promise<Float32Array> | undefined;
  const absmaxValues = (): Promise<Float32Array> => {
    absmax ??= (async () => {
      if (!ctx.has('nested_absmax')) return ctx.floats('absmax');
      // nested: absmax holds 8-bit codes of a dynamic map, scaled per block of nestedBlocksize, plus an offset
      const codes = await readPart(ctx.part('absmax'), 0, ctx.part('absmax').byteLength);
      const [nested, map] = await Promise.all([ctx.floats('nested_absmax'), ctx.floats('nested_quant_map')]);
      const nb = Number(ctx.enc.params.nestedBlocksize);
      const off = Number(ctx.enc.params.nestedOffset ?? 0);
      return Float32Array.from(codes, (c, i) => map[c]! * nested[Math.floor(i / nb)]! + off);
    })();
    return absmax;
  };
  return rowDecoder(
    R,
    C,
    async (r0, r1) => {
      const e0 = r0 * C;
      const e1 = r1 * C;
      const b0 = e0 >> 1;
      const bytes = await readPart(data, b0, ((e1 + 1) >> 1) - b0);
      const [map, am] = await Promise.all([ctx.floats('quant_map'), absmaxValues()]);
      let spacing = 0;
      for (let k = 1; k < 16; k++) spacing += Math.abs(map[k]! - map[k - 1]!);
      spacing /= 15;
      const res = new Float32Array(e1 - e0);
      for (let e = e0; e < e1; e++) {
        const byte = bytes[(e >> 1) - b0]!;
        const code = e & 1 ? byte & 15 : byte >> 4;
        const a = am[Math.floor(e / blocksize)]!;
        res[e - e0] = map[code]! * a;
        rounding.stepSquares += (spacing * a) ** 2;
      }
      rounding.count += res.length;
      return res;
    },
    Math.ceil(C / 2),
    rounding,
  );
}

export function quantDecoder(enc: TensorEncoding, shape: readonly number[], name: string): TensorDecoder {
  const ctx = context(enc, name);
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
