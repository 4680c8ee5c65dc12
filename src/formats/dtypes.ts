/**
 * Safetensors dtypes: sizes, exact decoding to float32/float64, and round-to-nearest-even
 * encoding for the float types the generator writes. All tensor bytes are little-endian.
 */
import { InputError } from '../errors.js';
import type { DecodedDType, DType, PackedDType } from './types.js';

interface DTypeInfo {
  dtype: DType;
  /** Bits per element; tensors round their total up to whole bytes. */
  bits: number;
  /** False for packed types: recognised, sized, fingerprinted by bytes only. */
  decodable: boolean;
  kind: 'float' | 'int' | 'uint' | 'bool' | 'packed';
}

const TABLE: Record<DType, Omit<DTypeInfo, 'dtype'>> = {
  F64: { bits: 64, decodable: true, kind: 'float' },
  F32: { bits: 32, decodable: true, kind: 'float' },
  F16: { bits: 16, decodable: true, kind: 'float' },
  BF16: { bits: 16, decodable: true, kind: 'float' },
  F8_E4M3: { bits: 8, decodable: true, kind: 'float' },
  F8_E5M2: { bits: 8, decodable: true, kind: 'float' },
  I64: { bits: 64, decodable: true, kind: 'int' },
  I32: { bits: 32, decodable: true, kind: 'int' },
  I16: { bits: 16, decodable: true, kind: 'int' },
  I8: { bits: 8, decodable: true, kind: 'int' },
  U64: { bits: 64, decodable: true, kind: 'uint' },
  U32: { bits: 32, decodable: true, kind: 'uint' },
  U16: { bits: 16, decodable: true, kind: 'uint' },
  U8: { bits: 8, decodable: true, kind: 'uint' },
  BOOL: { bits: 8, decodable: true, kind: 'bool' },
  F8_E8M0: { bits: 8, decodable: false, kind: 'packed' },
  E8M0: { bits: 8, decodable: false, kind: 'packed' },
  F4: { bits: 4, decodable: false, kind: 'packed' },
  FP4: { bits: 4, decodable: false, kind: 'packed' },
  F6_E2M3: { bits: 6, decodable: false, kind: 'packed' },
  F6_E3M2: { bits: 6, decodable: false, kind: 'packed' },
  F8_E4M3FNUZ: { bits: 8, decodable: false, kind: 'packed' },
  F8_E5M2FNUZ: { bits: 8, decodable: false, kind: 'packed' },
};

export const ALL_DTYPES = Object.keys(TABLE) as DType[];
export const DECODED_DTYPES = ALL_DTYPES.filter((d) => TABLE[d].decodable) as DecodedDType[];
export const PACKED_DTYPES = ALL_DTYPES.filter((d) => !TABLE[d].decodable) as PackedDType[];
export type EncodableDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'F8_E4M3' | 'F8_E5M2';

export function isDType(name: string): name is DType {
  return Object.hasOwn(TABLE, name);
}

/** A safetensors dtype decoded element by element (false for packed and ggml/quantised types). */
export function isDecodable(dtype: string): dtype is DecodedDType {
  return isDType(dtype) && TABLE[dtype].decodable;
}

/** `source` names the file in the error when the dtype is unknown. */
export function dtypeInfo(dtype: string, source = 'dtype'): DTypeInfo {
  if (!isDType(dtype)) throw new InputError(source, `unknown dtype ${JSON.stringify(dtype)}`);
  return { dtype, ...TABLE[dtype] };
}

/** Bytes taken by `numel` elements: packed sub-byte types round the whole tensor up. */
export function tensorByteLength(dtype: string, numel: number): number {
  if (!Number.isSafeInteger(numel) || numel < 0) throw new RangeError(`invalid element count ${numel}`);
  const bits = numel * dtypeInfo(dtype).bits;
  if (!Number.isSafeInteger(bits)) throw new RangeError(`${numel} elements of ${dtype} overflow a safe integer`);
  return Math.ceil(bits / 8);
}

// ---------------------------------------------------------------------------------------------
// Decoding

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeToFloat32(dtype: string, bytes: Uint8Array, out?: Float32Array): Float32Array {
  const { dtype: d, n, target } = prepare(dtype, bytes, out, Float32Array);
  decodeInto(d, bytes, n, target);
  return target;
}

export function decodeToFloat64(dtype: string, bytes: Uint8Array, out?: Float64Array): Float64Array {
  const { dtype: d, n, target } = prepare(dtype, bytes, out, Float64Array);
  decodeInto(d, bytes, n, target);
  return target;
}

function prepare<T extends Float32Array | Float64Array>(
  dtype: string,
  bytes: Uint8Array,
  out: T | undefined,
  Ctor: new (n: number) => T,
): { dtype: DecodedDType; n: number; target: T } {
  const info = dtypeInfo(dtype);
  if (!isDecodable(info.dtype)) {
    throw new InputError('dtype', `${dtype} is a packed dtype and is not decoded; use its raw bytes`);
  }
  const width = info.bits / 8;
  if (bytes.byteLength % width !== 0) {
    throw new RangeError(`${bytes.byteLength} bytes is not a whole number of ${dtype} elements`);
  }
  const n = bytes.byteLength / width;
  if (out && out.length < n) throw new RangeError(`output holds ${out.length} values, need ${n}`);
  const target = out ? (out.subarray(0, n) as T) : new Ctor(n);
  return { dtype: info.dtype, n, target };
}

function decodeInto(dtype: DecodedDType, bytes: Uint8Array, n: number, out: Float32Array | Float64Array): void {
  switch (dtype) {
    case 'F64':
      out.set(native(Float64Array, bytes, n));
      return;
    case 'F32':
      out.set(native(Float32Array, bytes, n));
      return;
    case 'I32':
      out.set(native(Int32Array, bytes, n));
      return;
    case 'U32':
      out.set(native(Uint32Array, bytes, n));
      return;
    case 'I16':
      out.set(native(Int16Array, bytes, n));
      return;
    case 'U16':
      out.set(native(Uint16Array, bytes, n));
      return;
    case 'I8':
      out.set(new Int8Array(bytes.buffer, bytes.byteOffset, n));
      return;
    case 'U8':
      out.set(bytes);
      return;
    case 'BOOL':
      decodeBool(bytes, out);
      return;
    case 'F16':
      lookup(native(Uint16Array, bytes, n), f16Table(), out);
      return;
    case 'F8_E4M3':
      lookup(bytes, e4m3Table(), out);
      return;
    case 'F8_E5M2':
      lookup(bytes, e5m2Table(), out);
      return;
    case 'BF16':
      decodeBf16(native(Uint16Array, bytes, n), out);
      return;
    case 'I64':
      decodeInt64(native(Uint32Array, bytes, n * 2), true, out);
      return;
    case 'U64':
      decodeInt64(native(Uint32Array, bytes, n * 2), false, out);
      return;
  }
}

type TypedCtor<T> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/**
 * A native-endian typed view of little-endian bytes. Unaligned input (a subarray at an odd
 * offset) cannot be viewed directly, so it is copied; big-endian hosts also get a swapped copy.
 */
function native<T>(Ctor: TypedCtor<T>, bytes: Uint8Array, length: number): T {
  const width = Ctor.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % width === 0) return new Ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = bytes.slice();
  if (!LITTLE_ENDIAN_HOST) swapInPlace(copy, width);
  return new Ctor(copy.buffer, 0, length);
}

function swapInPlace(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

function lookup(codes: ArrayLike<number>, table: Float32Array, out: Float32Array | Float64Array): void {
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i]!]!;
}

function decodeBool(bytes: Uint8Array, out: Float32Array | Float64Array): void {
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 0 ? 0 : 1;
}

function decodeBf16(halves: Uint16Array, out: Float32Array | Float64Array): void {
  // bf16 is the top half of a float32: shifting the bits keeps NaN payloads and subnormals exact.
  const f32 = out instanceof Float32Array ? out : new Float32Array(halves.length);
  const u32 = new Uint32Array(f32.buffer, f32.byteOffset, halves.length);
  for (let i = 0; i < halves.length; i++) u32[i] = halves[i]! << 16;
  if (f32 !== out) out.set(f32);
}

function decodeInt64(words: Uint32Array, signed: boolean, out: Float32Array | Float64Array): void {
  // hi·2^32 is exact in a double, so the only rounding is the final addition.
  for (let i = 0; i < out.length; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    out[i] = (signed ? hi | 0 : hi) * 4294967296 + lo;
  }
}

// Lookup tables, built on first use: one entry per bit pattern.
let F16_TABLE: Float32Array | undefined;
let E4M3_TABLE: Float32Array | undefined;
let E5M2_TABLE: Float32Array | undefined;

/** float32 value of every IEEE half bit pattern (shared with block decoders: ggml scales are halves). */
export function f16ValueTable(): Float32Array {
  return f16Table();
}

function f16Table(): Float32Array {
  F16_TABLE ??= buildTable(16, (c) => miniFloatValue(c, F16));
  return F16_TABLE;
}
function e4m3Table(): Float32Array {
  E4M3_TABLE ??= buildTable(8, (c) => miniFloatValue(c, E4M3));
  return E4M3_TABLE;
}
function e5m2Table(): Float32Array {
  E5M2_TABLE ??= buildTable(8, (c) => miniFloatValue(c, E5M2));
  return E5M2_TABLE;
}

function buildTable(bits: number, value: (code: number) => number): Float32Array {
  const table = new Float32Array(1 << bits);
  for (let c = 0; c < table.length; c++) table[c] = value(c);
  return table;
}

/** A small IEEE-like float: 1 sign bit, `exp` exponent bits, `mant` mantissa bits. */
interface MiniFloat {
  exp: number;
  mant: number;
  bias: number;
  /** e4m3fn has no infinities: only all-ones is NaN, the rest of the top binade is finite. */
  ieeeSpecials: boolean;
  maxFinite: number;
  /** Code for values that round past maxFinite (inf for IEEE-like, NaN for e4m3fn, as PyTorch). */
  overflow: number;
  nan: number;
}

const F16: MiniFloat = {
  exp: 5,
  mant: 10,
  bias: 15,
  ieeeSpecials: true,
  maxFinite: 0x7bff,
  overflow: 0x7c00,
  nan: 0x7e00,
};
const E4M3: MiniFloat = { exp: 4, mant: 3, bias: 7, ieeeSpecials: false, maxFinite: 0x7e, overflow: 0x7f, nan: 0x7f };
const E5M2: MiniFloat = { exp: 5, mant: 2, bias: 15, ieeeSpecials: true, maxFinite: 0x7b, overflow: 0x7c, nan: 0x7f };

function miniFloatValue(code: number, f: MiniFloat): number {
  const signBit = 1 << (f.exp + f.mant);
  const sign = code & signBit ? -1 : 1;
  const e = (code >> f.mant) & ((1 << f.exp) - 1);
  const m = code & ((1 << f.mant) - 1);
  const topExp = (1 << f.exp) - 1;
  if (f.ieeeSpecials && e === topExp) return m === 0 ? sign * Infinity : NaN;
  if (!f.ieeeSpecials && (code & (signBit - 1)) === signBit - 1) return NaN;
  if (e === 0) return sign * m * 2 ** (1 - f.bias - f.mant);
  return sign * (2 ** f.mant + m) * 2 ** (e - f.bias - f.mant);
}

// ---------------------------------------------------------------------------------------------
// Encoding (round to nearest, ties to even; NaN and overflow follow PyTorch's casts)

export function encodeFromFloat32(dtype: EncodableDType, values: Float32Array): Uint8Array {
  switch (dtype) {
    case 'F32':
      return littleEndianBytes(Float32Array.from(values));
    case 'F64':
      return littleEndianBytes(Float64Array.from(values));
    case 'BF16':
      return littleEndianBytes(mapBits(values, new Uint16Array(values.length), bf16FromBits));
    case 'F16':
      return littleEndianBytes(mapBits(values, new Uint16Array(values.length), (b) => miniFloatFromBits(b, F16)));
    case 'F8_E4M3':
      return mapBits(values, new Uint8Array(values.length), (b) => miniFloatFromBits(b, E4M3));
    case 'F8_E5M2':
      return mapBits(values, new Uint8Array(values.length), (b) => miniFloatFromBits(b, E5M2));
    default:
      throw new InputError(
        'dtype',
        `cannot encode to ${JSON.stringify(dtype)} (supported: F64, F32, F16, BF16, F8_E4M3, F8_E5M2)`,
      );
  }
}

function mapBits<T extends Uint8Array | Uint16Array>(
  values: Float32Array,
  out: T,
  convert: (bits: number) => number,
): T {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < bits.length; i++) out[i] = convert(bits[i]!);
  return out;
}

function littleEndianBytes(typed: Uint16Array | Float32Array | Float64Array): Uint8Array {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (!LITTLE_ENDIAN_HOST) swapInPlace(bytes, typed.BYTES_PER_ELEMENT);
  return bytes;
}

function bf16FromBits(bits: number): number {
  if ((bits & 0x7fffffff) > 0x7f800000) return 0x7fc0;
  return (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
}

/**
 * Float32 bits → MiniFloat code (the F. Giesen / PyTorch scheme, generalised). NaN keeps its
 * sign; values rounding past the largest finite one become `overflow`.
 */
function miniFloatFromBits(bits: number, f: MiniFloat): number {
  const sign = bits >>> 31 ? 1 << (f.exp + f.mant) : 0;
  const abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) return sign | f.nan;
  if (abs === 0x7f800000) return sign | f.overflow;
  const shift = 23 - f.mant;
  let code: number;
  if (abs < (128 - f.bias) << 23) {
    // Subnormal in the target: scale so one target ulp is 1 (exact), then round.
    code = roundHalfEven(float32FromBits(abs) * 2 ** (f.bias - 1 + f.mant));
  } else {
    // Rebias the exponent and add the rounding bias in one integer add; a mantissa carry
    // rolls into the exponent, which is exactly what IEEE rounding requires.
    const mantOdd = (abs >>> shift) & 1;
    code = (abs - ((127 - f.bias) << 23) + (1 << (shift - 1)) - 1 + mantOdd) >>> shift;
  }
  return sign | (code > f.maxFinite ? f.overflow : code);
}

const BITS_F32 = new Float32Array(1);
const BITS_U32 = new Uint32Array(BITS_F32.buffer);
function float32FromBits(bits: number): number {
  BITS_U32[0] = bits;
  return BITS_F32[0]!;
}

function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const d = v - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}
