import { describe, expect, it } from 'vitest';
import { decodeToFloat32, encodeFromFloat32, f8e4m3ToNumber } from '../../src/synth/encode.js';
import { Rng } from '../../src/synth/random.js';

const bits16 = (dtype: 'BF16' | 'F16', xs: number[]) => [...new Uint16Array(encodeFromFloat32(dtype, Float32Array.from(xs)).buffer)];

describe('encoders (round to nearest even)', () => {
  it('BF16 known values and ties', () => {
    expect(bits16('BF16', [1, -2, 0, 3.140625])).toEqual([0x3f80, 0xc000, 0x0000, 0x4049]);
    // 1 + 2^-8 is exactly halfway between 1 and 1+2^-7: ties to even (1.0)
    expect(bits16('BF16', [1 + 2 ** -8, 1 + 3 * 2 ** -8])).toEqual([0x3f80, 0x3f82]);
  });

  it('F16 known values, subnormals, overflow', () => {
    expect(bits16('F16', [1, -2, 65504, 2 ** -24, 2 ** -14, 1e6, 0.1])).toEqual([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0x2e66]);
    expect(bits16('F16', [1 + 2 ** -11, 1 + 3 * 2 ** -11])).toEqual([0x3c00, 0x3c02]);
  });

  it('F8_E4M3 known values, subnormals, saturation', () => {
    const q = [...encodeFromFloat32('F8_E4M3', Float32Array.from([1, -1, 448, 1000, 2 ** -6, 2 ** -9, 0.0026, 1.0625, 1.1875, -0]))];
    // 1.0625 is halfway between 1.0 and 1.125: even mantissa (1.0); 1.1875 → 1.25
    expect(q).toEqual([0x38, 0xb8, 0x7e, 0x7e, 0x08, 0x01, 0x01, 0x38, 0x3a, 0x80]);
    expect(f8e4m3ToNumber(0x7e)).toBe(448);
    expect(Number.isNaN(f8e4m3ToNumber(0x7f))).toBe(true);
  });

  it('round trips within half an ulp', () => {
    const x = new Rng(5).normals(100_000, 0.05);
    for (const [dtype, rel] of [['BF16', 2 ** -8], ['F16', 2 ** -11]] as const) {
      const y = decodeToFloat32(dtype, encodeFromFloat32(dtype, x));
      let bad = 0;
      for (let i = 0; i < x.length; i++) {
        const tol = Math.max(Math.abs(x[i]!) * rel, dtype === 'F16' ? 2 ** -25 : 0);
        if (!(Math.abs(y[i]! - x[i]!) <= tol * (1 + 1e-6))) bad++;
      }
      expect(bad, dtype).toBe(0);
    }
    const s = new Rng(6).normals(50_000, 100);
    const y8 = decodeToFloat32('F8_E4M3', encodeFromFloat32('F8_E4M3', s));
    let bad8 = 0;
    for (let i = 0; i < s.length; i++) {
      const a = Math.min(Math.abs(s[i]!), 448);
      if (!(Math.abs(Math.abs(y8[i]!) - a) <= Math.max(a * 2 ** -4, 2 ** -10) * (1 + 1e-6)) || Math.sign(y8[i]!) !== Math.sign(s[i]!)) bad8++;
    }
    expect(bad8).toBe(0);
    // exhaustive: every finite E4M3 code decodes and re-encodes to itself
    for (let c = 0; c < 256; c++) {
      if ((c & 0x7f) === 0x7f) continue;
      expect(encodeFromFloat32('F8_E4M3', Float32Array.of(f8e4m3ToNumber(c)))[0]).toBe(c);
    }
  });
});
