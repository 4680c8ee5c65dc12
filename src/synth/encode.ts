/**
 * Minimal float encoders/decoders for the generator (F32, F16, BF16, F8_E4M3), round to nearest
 * even. Stand-in until src/formats/dtypes.ts lands; kept self-contained so generated files do
 * not change when the shared codec evolves. Little-endian output (the safetensors byte order).
 */
import { endianness } from 'node:os';

export type SynthDType = 'F32' | 'F16' | 'BF16' | 'F8_E4M3';

if (endianness() !== 'LE') throw new Error('synth/encode assumes a little-endian host (typed-array views)');

export const DTYPE_BYTES: Record<SynthDType, number> = { F32: 4, F16: 2, BF16: 2, F8_E4M3: 1 };

/** Largest finite E4M3 (fn variant: no infinities, 0x7F/0xFF are NaN). */
export const F8_E4M3_MAX = 448;

export function encodeFromFloat32(dtype: SynthDType, values: Float32Array): Uint8Array {
  switch (dtype) {
    case 'F32':
      return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    case 'BF16':
      return new Uint8Array(encodeBF16(values).buffer);
    case 'F16':
      return new Uint8Array(encodeF16(values).buffer);
    case 'F8_E4M3':
      return encodeF8E4M3(values);
  }
}

export function decodeToFloat32(dtype: SynthDType, bytes: Uint8Array): Float32Array {
  const aligned = new Uint8Array(bytes); // copy: typed views need aligned offsets
  switch (dtype) {
    case 'F32':
      return new Float32Array(aligned.buffer);
    case 'BF16': {
      const h = new Uint16Array(aligned.buffer);
      const u = new Uint32Array(h.length);
      for (let i = 0; i < h.length; i++) u[i] = h[i]! << 16;
      return new Float32Array(u.buffer);
    }
    case 'F16': {
      const h = new Uint16Array(aligned.buffer);
      const out = new Float32Array(h.length);
      for (let i = 0; i < h.length; i++) out[i] = f16ToNumber(h[i]!);
      return out;
    }
    case 'F8_E4M3': {
      const out = new Float32Array(aligned.length);
      for (let i = 0; i < aligned.length; i++) out[i] = f8e4m3ToNumber(aligned[i]!);
      return out;
    }
  }
}

/** Round half to even for non-negative x. */
function rne(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export function encodeBF16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    if ((b & 0x7fffffff) > 0x7f800000) {
      out[i] = (b >>> 16) | 0x40; // quiet NaN, keep sign
      continue;
    }
    out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
  }
  return out;
}

export function encodeF16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    const sign = (b >>> 16) & 0x8000;
    const abs = b & 0x7fffffff;
    if (abs > 0x7f800000) { out[i] = sign | 0x7e00; continue; } // NaN
    if (abs >= 0x477ff000) { out[i] = sign | 0x7c00; continue; } // ≥ 65520 rounds to inf
    if (abs >= 0x38800000) {
      // normal half: rebias exponent 127 → 15, round mantissa 23 → 10 bits
      const r = (abs + 0xfff + ((abs >>> 13) & 1)) >>> 13;
      out[i] = sign | (r - ((127 - 15) << 10));
      continue;
    }
    // subnormal half (or zero): multiples of 2^-24
    const a = Math.abs(values[i]!);
    out[i] = sign | rne(a * 16777216); // may round up to 0x400 = smallest normal, which is right
  }
  return out;
}

export function encodeF8E4M3(values: Float32Array): Uint8Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    const sign = (b >>> 24) & 0x80;
    const abs = b & 0x7fffffff;
    if (abs > 0x7f800000) { out[i] = sign | 0x7f; continue; } // NaN
    if (abs >= 0x3c800000) {
      // normal E4M3 (≥ 2^-6): rebias 127 → 7, round mantissa 23 → 3 bits; saturate at 448
      const r = (abs + 0x7ffff + ((abs >>> 20) & 1)) >>> 20;
      const code = r - ((127 - 7) << 3);
      out[i] = sign | (code > 0x7e ? 0x7e : code);
      continue;
    }
    const a = Math.abs(values[i]!);
    out[i] = sign | rne(a * 512); // subnormals: multiples of 2^-9; 8 → 0x08 = 2^-6
  }
  return out;
}

export function f16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function f8e4m3ToNumber(q: number): number {
  const s = q & 0x80 ? -1 : 1;
  const e = (q >>> 3) & 0xf;
  const m = q & 7;
  if (e === 15 && m === 7) return NaN;
  if (e === 0) return s * m * 2 ** -9;
  return s * (1 + m / 8) * 2 ** (e - 7);
}
