import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  ALL_DTYPES,
  DECODED_DTYPES,
  decodeToFloat32,
  decodeToFloat64,
  dtypeInfo,
  encodeFromFloat32,
  PACKED_DTYPES,
  tensorByteLength,
  type EncodableDType,
} from '../../src/formats/dtypes.js';
import { rng } from './helpers.js';

const u16 = (...codes: number[]) => new Uint8Array(Uint16Array.from(codes).buffer);
const u8 = (...codes: number[]) => Uint8Array.from(codes);
const dec = (dtype: string, bytes: Uint8Array) => Array.from(decodeToFloat32(dtype, bytes));
const dec64 = (dtype: string, bytes: Uint8Array) => Array.from(decodeToFloat64(dtype, bytes));

describe('dtype table', () => {
  it('knows every safetensors dtype with its width', () => {
    const bits = Object.fromEntries(ALL_DTYPES.map((d) => [d, dtypeInfo(d).bits]));
    expect(bits).toEqual({
      F64: 64,
      F32: 32,
      F16: 16,
      BF16: 16,
      F8_E4M3: 8,
      F8_E5M2: 8,
      I64: 64,
      I32: 32,
      I16: 16,
      I8: 8,
      U64: 64,
      U32: 32,
      U16: 16,
      U8: 8,
      BOOL: 8,
      F8_E8M0: 8,
      E8M0: 8,
      F4: 4,
      FP4: 4,
      F6_E2M3: 6,
      F6_E3M2: 6,
      F8_E4M3FNUZ: 8,
      F8_E5M2FNUZ: 8,
    });
    expect(DECODED_DTYPES).toHaveLength(15);
    expect(PACKED_DTYPES.every((d) => !dtypeInfo(d).decodable)).toBe(true);
  });

  it('rounds packed sub-byte tensors up to whole bytes', () => {
    expect(tensorByteLength('F4', 3)).toBe(2);
    expect(tensorByteLength('FP4', 4)).toBe(2);
    expect(tensorByteLength('F6_E2M3', 5)).toBe(4); // 30 bits
    expect(tensorByteLength('F6_E3M2', 4)).toBe(3);
    expect(tensorByteLength('F32', 3)).toBe(12);
    expect(tensorByteLength('BF16', 0)).toBe(0);
    expect(tensorByteLength('I64', 1)).toBe(8);
  });

  it('rejects unknown dtypes with an InputError', () => {
    expect(() => dtypeInfo('F12', 'model.safetensors')).toThrow(InputError);
    expect(() => dtypeInfo('F12', 'model.safetensors')).toThrow('model.safetensors: unknown dtype "F12"');
    expect(() => decodeToFloat32('c64', new Uint8Array(8))).toThrow(InputError);
    expect(() => dtypeInfo('toString')).toThrow(InputError); // not fooled by Object.prototype
  });

  it('refuses to decode packed dtypes', () => {
    for (const d of PACKED_DTYPES) expect(() => decodeToFloat32(d, new Uint8Array(4))).toThrow(InputError);
  });

  it('rejects byte lengths that are not whole elements and too-small outputs', () => {
    expect(() => decodeToFloat32('F32', new Uint8Array(6))).toThrow(RangeError);
    expect(() => decodeToFloat32('F16', new Uint8Array(4), new Float32Array(1))).toThrow(RangeError);
  });
});

describe('decoding known bit patterns', () => {
  it('F16 including subnormals, ±0, inf and NaN', () => {
    const got = dec('F16', u16(0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x0400, 0x8000, 0x7c00, 0xfc00, 0x3555));
    expect(got).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      1023 * 2 ** -24,
      2 ** -14,
      -0,
      Infinity,
      -Infinity,
      Math.fround(0.333251953125),
    ]);
    expect(Object.is(got[6], -0)).toBe(true);
    expect(dec('F16', u16(0x7e00, 0xfc01, 0x7c01)).every(Number.isNaN)).toBe(true);
  });

  it('BF16 including float32 subnormals, keeping NaN', () => {
    const got = dec('BF16', u16(0x3f80, 0xc000, 0x7f7f, 0x0001, 0x8000, 0x7f80, 0xff80));
    expect(got).toEqual([1, -2, Math.fround(3.3895313892515355e38), 2 ** -133, -0, Infinity, -Infinity]);
    expect(Object.is(got[4], -0)).toBe(true);
    expect(Number.isNaN(dec('BF16', u16(0x7fc0))[0])).toBe(true);
  });

  it('F8_E4M3 (fn: no infinities, S.1111.111 is NaN, max 448)', () => {
    const got = dec('F8_E4M3', u8(0x38, 0x7e, 0xfe, 0x01, 0x07, 0x08, 0x78, 0x80, 0x00, 0x79));
    expect(got).toEqual([1, 448, -448, 2 ** -9, 7 * 2 ** -9, 2 ** -6, 256, -0, 0, 288]);
    expect(dec('F8_E4M3', u8(0x7f, 0xff)).every(Number.isNaN)).toBe(true);
    // No code decodes to infinity.
    const all = dec(
      'F8_E4M3',
      Uint8Array.from({ length: 256 }, (_, i) => i),
    );
    expect(all.filter((v) => !Number.isFinite(v) && !Number.isNaN(v))).toEqual([]);
    expect(all.filter(Number.isNaN)).toHaveLength(2);
  });

  it('F8_E5M2 (IEEE-like: inf and NaN in the top binade)', () => {
    const got = dec('F8_E5M2', u8(0x3c, 0x7b, 0x7c, 0xfc, 0x01, 0x04, 0x80, 0xc0));
    expect(got).toEqual([1, 57344, Infinity, -Infinity, 2 ** -16, 2 ** -14, -0, -2]);
    expect(dec('F8_E5M2', u8(0x7d, 0x7e, 0x7f, 0xff)).every(Number.isNaN)).toBe(true);
  });

  it('F32 and F64, with F64 keeping double precision', () => {
    const f64 = new Uint8Array(Float64Array.from([0.1, -1e300, 5e-324]).buffer);
    expect(dec64('F64', f64)).toEqual([0.1, -1e300, 5e-324]);
    expect(dec('F64', f64)).toEqual([Math.fround(0.1), -Infinity, 0]);
    const f32 = new Uint8Array(Float32Array.from([1.5, -(2 ** -149), 3.4e38]).buffer);
    expect(dec64('F32', f32)).toEqual([1.5, -(2 ** -149), Math.fround(3.4e38)]);
  });

  it('integer types and BOOL', () => {
    expect(dec('I8', u8(0xff, 0x80, 0x7f))).toEqual([-1, -128, 127]);
    expect(dec('U8', u8(0xff, 0))).toEqual([255, 0]);
    expect(dec('I16', u16(0x8000, 0xffff))).toEqual([-32768, -1]);
    expect(dec('U16', u16(0xffff))).toEqual([65535]);
    expect(dec64('I32', new Uint8Array(Int32Array.from([-1, -(2 ** 31)]).buffer))).toEqual([-1, -(2 ** 31)]);
    expect(dec64('U32', new Uint8Array(Uint32Array.from([4294967295]).buffer))).toEqual([4294967295]);
    const i64 = new Uint8Array(BigInt64Array.from([-1n, -(2n ** 63n), 2n ** 53n + 1n, 123456789012n]).buffer);
    expect(dec64('I64', i64)).toEqual([-1, -(2 ** 63), 2 ** 53, 123456789012]);
    const u64 = new Uint8Array(BigUint64Array.from([2n ** 64n - 1n, 7n]).buffer);
    expect(dec64('U64', u64)).toEqual([2 ** 64, 7]);
    expect(dec('BOOL', u8(0, 1, 2, 255))).toEqual([0, 1, 1, 1]);
  });
});

describe('decoding buffers at any offset', () => {
  it.each(DECODED_DTYPES)('%s decodes the same from unaligned input', (dtype) => {
    const width = dtypeInfo(dtype).bits / 8;
    const random = rng(width * 17);
    const bytes = Uint8Array.from({ length: width * 37 }, () => Math.floor(random() * 256));
    const aligned = decodeToFloat64(dtype, bytes);
    for (const shift of [1, 3, 5]) {
      const host = new Uint8Array(bytes.length + 8);
      host.set(bytes, shift);
      const view = host.subarray(shift, shift + bytes.length);
      expect(decodeToFloat64(dtype, view)).toEqual(aligned);
      expect(Array.from(decodeToFloat32(dtype, view))).toEqual(Array.from(aligned, Math.fround));
    }
  });

  it('writes into a caller-supplied output and returns the used part', () => {
    const out = new Float32Array(10).fill(7);
    const got = decodeToFloat32('BF16', u16(0x3f80, 0x4000), out);
    expect(Array.from(got)).toEqual([1, 2]);
    expect(out[2]).toBe(7);
    const out64 = new Float64Array(3);
    expect(Array.from(decodeToFloat64('BF16', u16(0x3f80, 0x4040), out64))).toEqual([1, 3]);
  });
});

// ---------------------------------------------------------------------------------------------
// Encoding: every code round-trips, and random/tie inputs match a brute-force nearest-even oracle.

interface Format {
  dtype: EncodableDType;
  bits: 8 | 16;
  /** Code that values rounding past the largest finite value map to (inf, or NaN for e4m3fn). */
  overflow: number;
}

const FORMATS: Format[] = [
  { dtype: 'F16', bits: 16, overflow: 0x7c00 },
  { dtype: 'BF16', bits: 16, overflow: 0x7f80 },
  { dtype: 'F8_E4M3', bits: 8, overflow: 0x7f },
  { dtype: 'F8_E5M2', bits: 8, overflow: 0x7c },
];

function codesOf(f: Format, bytes: Uint8Array): number[] {
  return f.bits === 8
    ? Array.from(bytes)
    : Array.from(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2));
}

function allCodes(f: Format): Uint8Array {
  const n = 1 << f.bits;
  return f.bits === 8 ? Uint8Array.from({ length: n }, (_, i) => i) : u16(...Array.from({ length: n }, (_, i) => i));
}

/** Positive finite values in code order plus the virtual next step (where overflow starts). */
function oracle(f: Format): (x: number) => number {
  const values = decodeToFloat64(f.dtype, allCodes(f));
  const codes: number[] = [];
  for (let c = 0; c < f.overflow; c++) if (Number.isFinite(values[c]!)) codes.push(c);
  const vals = codes.map((c) => values[c]!);
  const ulp = vals[vals.length - 1]! - vals[vals.length - 2]!;
  vals.push(vals[vals.length - 1]! + ulp);
  codes.push(f.overflow);
  const signBit = f.bits === 8 ? 0x80 : 0x8000;
  return (x) => {
    const sign = x < 0 || Object.is(x, -0) ? signBit : 0;
    const a = Math.abs(x);
    if (a >= vals[vals.length - 1]!) return sign | f.overflow;
    let lo = 0;
    let hi = vals.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (vals[mid]! <= a) lo = mid;
      else hi = mid;
    }
    const dl = a - vals[lo]!;
    const dh = vals[hi]! - a;
    const pick = dl < dh ? lo : dh < dl ? hi : codes[lo]! % 2 === 0 ? lo : hi;
    return sign | codes[pick]!;
  };
}

function samples(f: Format, seed: number): Float32Array {
  const values = decodeToFloat64(f.dtype, allCodes(f));
  const finite = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const out: number[] = [];
  // Exact midpoints between neighbours (the ties) and their float32 neighbours.
  for (let i = 0; i + 1 < finite.length; i += f.bits === 16 ? 7 : 1) {
    const mid = (finite[i]! + finite[i + 1]!) / 2;
    if (Math.fround(mid) !== mid || mid === 0) continue;
    out.push(mid, nextF32(mid, 1), nextF32(mid, -1));
  }
  const random = rng(seed);
  const maxExp = Math.log2(finite[finite.length - 1]!) + 1;
  const minExp = Math.log2(finite.find((v) => v > 0)!) - 2;
  for (let i = 0; i < 5000; i++) {
    const e = minExp + random() * (maxExp - minExp);
    out.push((random() < 0.5 ? -1 : 1) * 2 ** e);
  }
  return Float32Array.from(out);
}

function nextF32(x: number, dir: 1 | -1): number {
  const f = Float32Array.of(x);
  const u = new Int32Array(f.buffer);
  u[0]! += x >= 0 ? dir : -dir;
  return f[0]!;
}

describe('encodeFromFloat32', () => {
  it.each(FORMATS)('$dtype: every code survives decode then encode', (f) => {
    const codes = allCodes(f);
    const back = codesOf(f, encodeFromFloat32(f.dtype, decodeToFloat32(f.dtype, codes)));
    const original = codesOf(f, codes);
    const values = decodeToFloat32(f.dtype, codes);
    for (let i = 0; i < original.length; i++) {
      if (Number.isNaN(values[i]!))
        expect(Number.isNaN(decodeToFloat32(f.dtype, encodeFromFloat32(f.dtype, values.subarray(i, i + 1)))[0])).toBe(
          true,
        );
      else if (back[i] !== original[i])
        expect.fail(`${f.dtype} code 0x${original[i]!.toString(16)} came back as 0x${back[i]!.toString(16)}`);
    }
  });

  it.each(FORMATS)('$dtype: rounds to nearest, ties to even, like a brute-force search', (f) => {
    const xs = samples(f, f.bits + f.overflow);
    const expected = oracle(f);
    const got = codesOf(f, encodeFromFloat32(f.dtype, xs));
    const mismatches = Array.from(xs)
      .map((x, i) => ({ x, got: got[i]!, want: expected(x) }))
      .filter((m) => m.got !== m.want)
      .slice(0, 5);
    expect(mismatches).toEqual([]);
  });

  it('handles the documented edge cases', () => {
    const enc = (dtype: EncodableDType, ...xs: number[]) => {
      const f = FORMATS.find((x) => x.dtype === dtype)!;
      return codesOf(f, encodeFromFloat32(dtype, Float32Array.from(xs)));
    };
    expect(enc('F16', 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65519, 65520, Infinity, -0, 2 ** -25, 3 * 2 ** -25)).toEqual([
      0x3c00, 0x3c02, 0x7bff, 0x7c00, 0x7c00, 0x8000, 0x0000, 0x0002,
    ]);
    expect(enc('F16', NaN)).toEqual([0x7e00]);
    expect(enc('BF16', 1 + 2 ** -8, 1 + 3 * 2 ** -8, NaN, -Infinity)).toEqual([0x3f80, 0x3f82, 0x7fc0, 0xff80]);
    // e4m3fn follows PyTorch: 464 ties down to 448; beyond that, and infinities, become NaN.
    expect(enc('F8_E4M3', 464, 470, 480, Infinity, -Infinity, 2 ** -10, 3 * 2 ** -10, -1)).toEqual([
      0x7e, 0x7f, 0x7f, 0x7f, 0xff, 0x00, 0x02, 0xb8,
    ]);
    expect(enc('F8_E5M2', 61440, 60000, Infinity, NaN, 2 ** -17)).toEqual([0x7c, 0x7b, 0x7c, 0x7f, 0x00]);
  });

  it('F32 and F64 encode exactly', () => {
    const xs = Float32Array.from([0, -0, 1.5, -(2 ** -149), Infinity, NaN, 3.4e38]);
    expect(decodeToFloat32('F32', encodeFromFloat32('F32', xs))).toEqual(xs);
    expect(decodeToFloat32('F64', encodeFromFloat32('F64', xs))).toEqual(xs);
    expect(encodeFromFloat32('F64', xs).length).toBe(56);
    // A subarray input must not drag the rest of its buffer along.
    const whole = Float32Array.from([1, 2, 3, 4]);
    expect(Array.from(decodeToFloat32('F32', encodeFromFloat32('F32', whole.subarray(1, 3))))).toEqual([2, 3]);
    expect(Array.from(decodeToFloat32('BF16', encodeFromFloat32('BF16', whole.subarray(1, 3))))).toEqual([2, 3]);
  });

  it('rejects dtypes it cannot encode', () => {
    expect(() => encodeFromFloat32('I8' as EncodableDType, new Float32Array(1))).toThrow(InputError);
  });
});
