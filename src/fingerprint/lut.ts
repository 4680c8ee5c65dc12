/** Lookup tables for 8- and 16-bit float formats: raw bits → float32 value. Built once, lazily. */

let f16: Float32Array | undefined;
let bf16: Float32Array | undefined;
const f8 = new Map<string, Float32Array>();

export function f16Table(): Float32Array {
  if (f16) return f16;
  f16 = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const man = h & 0x3ff;
    let v: number;
    if (exp === 0) v = man * 2 ** -24;
    else if (exp === 31) v = man ? NaN : Infinity;
    else v = (1 + man / 1024) * 2 ** (exp - 15);
    f16[h] = sign * v;
  }
  return f16;
}

export function bf16Table(): Float32Array {
  if (bf16) return bf16;
  bf16 = new Float32Array(65536);
  const u = new Uint32Array(bf16.buffer);
  for (let h = 0; h < 65536; h++) u[h] = h << 16;
  return bf16;
}

/** F8_E4M3 is the "fn" variant (no infinities, S.1111.111 is NaN); F8_E5M2 is IEEE-like. */
export function f8Table(dtype: 'F8_E4M3' | 'F8_E5M2'): Float32Array {
  const cached = f8.get(dtype);
  if (cached) return cached;
  const t = new Float32Array(256);
  const [eb, mb, bias] = dtype === 'F8_E4M3' ? [4, 3, 7] : [5, 2, 15];
  for (let b = 0; b < 256; b++) {
    const sign = b & 0x80 ? -1 : 1;
    const exp = (b >> mb) & ((1 << eb) - 1);
    const man = b & ((1 << mb) - 1);
    let v: number;
    if (dtype === 'F8_E4M3' && exp === 15 && man === 7) v = NaN;
    else if (dtype === 'F8_E5M2' && exp === 31) v = man ? NaN : Infinity;
    else if (exp === 0) v = man * 2 ** (1 - bias - mb);
    else v = (1 + man / (1 << mb)) * 2 ** (exp - bias);
    t[b] = sign * v;
  }
  f8.set(dtype, t);
  return t;
}

/** bfloat16 key of a float32 bit pattern, rounded to nearest even. */
export function bf16Key(bits: number): number {
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}
