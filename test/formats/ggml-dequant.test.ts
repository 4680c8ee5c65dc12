/**
 * ggml dequantisation, type by type, against hand-built blocks: each test writes a block field by
 * field (the struct layout of ggml-common.h) and computes every expected value with its own
 * per-element formula (where ggml-quants.c's dequantize_row_* puts element e), independently of
 * the decoder's loop structure. Values must be bit-identical. The reference quantisers are checked
 * too: decoding what they produce gets back the input within the type's own rounding.
 */
import { describe, expect, it } from 'vitest';
import { ggmlTypeByName } from '../../src/formats/gguf/ggml.js';
import { quantizeGgml, QUANTISABLE_GGML_TYPES } from '../../src/synth/ggml-quantize.js';
import { mulberry32 } from './ggml-helpers.js';

const fr = Math.fround;

function halfBits(rand: () => number, minExp = 3, maxExp = 12): number {
  const sign = rand() < 0.3 ? 0x8000 : 0;
  return sign | ((minExp + Math.floor(rand() * (maxExp - minExp))) << 10) | Math.floor(rand() * 1024);
}
function half(bits: number): number {
  const e = (bits >> 10) & 31;
  const m = bits & 1023;
  const s = bits & 0x8000 ? -1 : 1;
  return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
}
function putU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >> 8) & 0xff;
}
function randomBytes(b: Uint8Array, from: number, to: number, rand: () => number): void {
  for (let i = from; i < to; i++) b[i] = Math.floor(rand() * 256);
}
const i8 = (b: number) => (b << 24) >> 24;

function decode(type: string, block: Uint8Array, blocks = 1): Float32Array {
  const t = ggmlTypeByName(type)!;
  const out = new Float32Array(t.blockElems * blocks);
  t.dequantize!(block, 0, blocks, out, 0);
  return out;
}

/** K-quant 6-bit scale/min j from 12 packed bytes (ggml's get_scale_min_k4), written out longhand. */
function scaleMin(s: Uint8Array, j: number): [number, number] {
  if (j < 4) return [s[j]! & 63, s[j + 4]! & 63];
  return [(s[j + 4]! & 15) + 16 * (s[j - 4]! >> 6), (s[j + 4]! >> 4) + 16 * (s[j]! >> 6)];
}

const CASES: Record<string, (rand: () => number) => { block: Uint8Array; expected: (e: number) => number }> = {
  Q4_0: (rand) => {
    const b = new Uint8Array(18);
    const d = halfBits(rand);
    putU16(b, 0, d);
    randomBytes(b, 2, 18, rand);
    return { block: b, expected: (e) => fr(((e < 16 ? b[2 + e]! & 15 : b[2 + e - 16]! >> 4) - 8) * half(d)) };
  },
  Q4_1: (rand) => {
    const b = new Uint8Array(20);
    const d = halfBits(rand);
    const m = halfBits(rand);
    putU16(b, 0, d);
    putU16(b, 2, m);
    randomBytes(b, 4, 20, rand);
    return { block: b, expected: (e) => fr(fr((e < 16 ? b[4 + e]! & 15 : b[4 + e - 16]! >> 4) * half(d)) + half(m)) };
  },
  Q5_0: (rand) => {
    const b = new Uint8Array(22);
    const d = halfBits(rand);
    putU16(b, 0, d);
    randomBytes(b, 2, 22, rand);
    const qh = b[2]! | (b[3]! << 8) | (b[4]! << 16) | (b[5]! * 2 ** 24);
    const bit = (e: number) => Math.floor(qh / 2 ** e) & 1; // element e's fifth bit is bit e of qh
    return {
      block: b,
      expected: (e) => fr(((e < 16 ? b[6 + e]! & 15 : b[6 + e - 16]! >> 4) + 16 * bit(e) - 16) * half(d)),
    };
  },
  Q5_1: (rand) => {
    const b = new Uint8Array(24);
    const d = halfBits(rand);
    const m = halfBits(rand);
    putU16(b, 0, d);
    putU16(b, 2, m);
    randomBytes(b, 4, 24, rand);
    const qh = b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! * 2 ** 24);
    const bit = (e: number) => Math.floor(qh / 2 ** e) & 1;
    return {
      block: b,
      expected: (e) => fr(fr(((e < 16 ? b[8 + e]! & 15 : b[8 + e - 16]! >> 4) + 16 * bit(e)) * half(d)) + half(m)),
    };
  },
  Q8_0: (rand) => {
    const b = new Uint8Array(34);
    const d = halfBits(rand);
    putU16(b, 0, d);
    randomBytes(b, 2, 34, rand);
    return { block: b, expected: (e) => fr(i8(b[2 + e]!) * half(d)) };
  },
  IQ4_NL: (rand) => {
    const kv = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];
    const b = new Uint8Array(18);
    const d = halfBits(rand);
    putU16(b, 0, d);
    randomBytes(b, 2, 18, rand);
    return { block: b, expected: (e) => fr(half(d) * kv[e < 16 ? b[2 + e]! & 15 : b[2 + e - 16]! >> 4]!) };
  },
  MXFP4: (rand) => {
    const e2m1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
    const b = new Uint8Array(17);
    b[0] = 100 + Math.floor(rand() * 56); // E8M0 exponent
    randomBytes(b, 1, 17, rand);
    return {
      block: b,
      expected: (e) => {
        const code = e < 16 ? b[1 + e]! & 15 : b[1 + e - 16]! >> 4;
        return (code & 8 ? -1 : 1) * e2m1[code & 7]! * 2 ** (b[0]! - 127);
      },
    };
  },
  Q2_K: (rand) => {
    // scales[16] | qs[64] | d | dmin; element e: sub-block e>>4 uses scales[e>>4];
    // 2-bit code from qs[32*(e>>7) + (e & 31)] at shift 2*((e>>5)&3)
    const b = new Uint8Array(84);
    randomBytes(b, 0, 80, rand);
    const d = halfBits(rand);
    const dmin = halfBits(rand);
    putU16(b, 80, d);
    putU16(b, 82, dmin);
    return {
      block: b,
      expected: (e) => {
        const sc = b[e >> 4]!;
        const q = (b[16 + 32 * (e >> 7) + (e & 31)]! >> (2 * ((e >> 5) & 3))) & 3;
        return fr(fr(fr(half(d) * (sc & 15)) * q) - fr(half(dmin) * (sc >> 4)));
      },
    };
  },
  Q3_K: (rand) => {
    // hmask[32] | qs[64] | scales[12] | d; element e: 16-element sub-block j = e>>4 with a 6-bit scale
    // (low 4 bits: byte j%8, nibble j>=8; high 2 bits: byte 8 + j%4, bits 2*(j>>2)); low 2 bits like
    // Q2_K; high bit: bit (e>>5) of hmask[e & 31], clear means subtract 4
    const b = new Uint8Array(110);
    randomBytes(b, 0, 108, rand);
    const d = halfBits(rand);
    putU16(b, 108, d);
    const scale = (j: number) => {
      const lo = j < 8 ? b[96 + j]! & 15 : b[96 + j - 8]! >> 4;
      const hi = (b[96 + 8 + (j % 4)]! >> (2 * (j >> 2))) & 3;
      return lo + 16 * hi - 32;
    };
    return {
      block: b,
      expected: (e) => {
        const low = (b[32 + 32 * (e >> 7) + (e & 31)]! >> (2 * ((e >> 5) & 3))) & 3;
        const high = (b[e & 31]! >> (e >> 5)) & 1;
        return fr(fr(half(d) * scale(e >> 4)) * (low - (high ? 0 : 4)));
      },
    };
  },
  Q4_K: (rand) => {
    // d | dmin | scales[12] | qs[128]; element e: sub-block j = e>>5; byte qs[32*(e>>6) + (e&31)],
    // low nibble for even j, high for odd
    const b = new Uint8Array(144);
    const d = halfBits(rand);
    const dmin = halfBits(rand);
    putU16(b, 0, d);
    putU16(b, 2, dmin);
    randomBytes(b, 4, 144, rand);
    const s = b.subarray(4, 16);
    return {
      block: b,
      expected: (e) => {
        const j = e >> 5;
        const [sc, m] = scaleMin(s, j);
        const byte = b[16 + 32 * (e >> 6) + (e & 31)]!;
        const q = j % 2 === 0 ? byte & 15 : byte >> 4;
        return fr(fr(fr(half(d) * sc) * q) - fr(half(dmin) * m));
      },
    };
  },
  Q5_K: (rand) => {
    // d | dmin | scales[12] | qh[32] | qs[128]; fifth bit of element e: bit j of qh[e & 31]
    const b = new Uint8Array(176);
    const d = halfBits(rand);
    const dmin = halfBits(rand);
    putU16(b, 0, d);
    putU16(b, 2, dmin);
    randomBytes(b, 4, 176, rand);
    const s = b.subarray(4, 16);
    return {
      block: b,
      expected: (e) => {
        const j = e >> 5;
        const [sc, m] = scaleMin(s, j);
        const byte = b[48 + 32 * (e >> 6) + (e & 31)]!;
        const q = (j % 2 === 0 ? byte & 15 : byte >> 4) + 16 * ((b[16 + (e & 31)]! >> j) & 1);
        return fr(fr(fr(half(d) * sc) * q) - fr(half(dmin) * m));
      },
    };
  },
  Q6_K: (rand) => {
    // ql[128] | qh[64] | scales[16] (int8) | d; element e in 128-half h = e>>7, r = e&127:
    // low 4 bits from ql[64h + (r&63)] (nibble r>=64), high 2 bits from qh[32h + (r&31)] at 2*(r>>5)
    const b = new Uint8Array(210);
    randomBytes(b, 0, 208, rand);
    const d = halfBits(rand);
    putU16(b, 208, d);
    return {
      block: b,
      expected: (e) => {
        const h = e >> 7;
        const r = e & 127;
        const lowByte = b[64 * h + (r & 63)]!;
        const low = r < 64 ? lowByte & 15 : lowByte >> 4;
        const high = (b[128 + 32 * h + (r & 31)]! >> (2 * (r >> 5))) & 3;
        const q = low + 16 * high - 32;
        const sc = i8(b[192 + (e >> 4)]!);
        return fr(fr(half(d) * sc) * q);
      },
    };
  },
  Q8_K: (rand) => {
    const b = new Uint8Array(292);
    randomBytes(b, 4, 292, rand);
    const d = fr((rand() - 0.5) * 0.01);
    new DataView(b.buffer).setFloat32(0, d, true);
    return { block: b, expected: (e) => fr(d * i8(b[4 + e]!)) };
  },
  IQ4_XS: (rand) => {
    // d | scales_h (u16) | scales_l[4] | qs[128]; 32-element sub-block j: 6-bit scale from nibble j%2
    // of scales_l[j>>1] and bits 2j of scales_h, minus 32; codes like IQ4_NL within the sub-block
    const kv = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];
    const b = new Uint8Array(136);
    const d = halfBits(rand);
    putU16(b, 0, d);
    randomBytes(b, 2, 136, rand);
    const sh = b[2]! | (b[3]! << 8);
    return {
      block: b,
      expected: (e) => {
        const j = e >> 5;
        const ls = ((b[4 + (j >> 1)]! >> (4 * (j & 1))) & 15) + 16 * ((sh >> (2 * j)) & 3) - 32;
        const k = e & 31;
        const byte = b[8 + 16 * j + (k & 15)]!;
        return fr(fr(half(d) * ls) * kv[k < 16 ? byte & 15 : byte >> 4]!);
      },
    };
  },
};

describe('ggml block decoding against hand-built blocks', () => {
  for (const [type, make] of Object.entries(CASES)) {
    it(`${type}: every element bit-identical to the reference formula (8 random blocks)`, () => {
      const rand = mulberry32(type.length * 101 + type.charCodeAt(1));
      const t = ggmlTypeByName(type)!;
      const made = Array.from({ length: 8 }, () => make(rand));
      const bytes = Buffer.concat(made.map((m) => m.block));
      expect(bytes.length).toBe(8 * t.blockBytes);
      const out = decode(type, bytes, 8);
      for (let blk = 0; blk < 8; blk++) {
        for (let e = 0; e < t.blockElems; e++) {
          const want = made[blk]!.expected(e);
          const got = out[blk * t.blockElems + e]!;
          if (!Object.is(got, want) && !(got === 0 && want === 0)) {
            throw new Error(`${type} block ${blk} element ${e}: got ${got}, expected ${want}`);
          }
        }
      }
    });
  }

  it('a decoder with a byte offset and an output offset reads the same values', () => {
    const rand = mulberry32(5);
    const { block } = CASES.Q4_K!(rand);
    const padded = new Uint8Array(7 + block.length);
    padded.set(block, 7);
    const t = ggmlTypeByName('Q4_K')!;
    const out = new Float32Array(300);
    t.dequantize!(padded, 7, 1, out, 44);
    expect(Array.from(out.subarray(44, 300))).toEqual(Array.from(decode('Q4_K', block)));
  });

  it('types that are recognised but not decoded still have their block geometry', () => {
    for (const [name, elems, bytes] of [
      ['IQ2_XXS', 256, 66],
      ['IQ3_S', 256, 110],
      ['TQ2_0', 256, 66],
      ['NVFP4', 64, 36],
    ] as const) {
      const t = ggmlTypeByName(name)!;
      expect([t.blockElems, t.blockBytes, t.dequantize]).toEqual([elems, bytes, undefined]);
    }
  });
});

describe('reference quantisers (ggml quantize_row_*_ref) round-trip through the decoders', () => {
  const rand = mulberry32(11);
  // heavy-tailed weights like real ones: a normal with a few large outliers
  const values = new Float32Array(256 * 16);
  for (let i = 0; i < values.length; i++) {
    const u = Math.max(1e-12, rand());
    const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    values[i] = fr(g * 0.02 * (rand() < 0.01 ? 8 : 1));
  }
  // relative RMS error each type reaches on such data (bits per weight decide it)
  const BOUND: Record<string, number> = {
    Q4_0: 0.16,
    Q4_1: 0.14,
    Q5_0: 0.08,
    Q5_1: 0.07,
    Q8_0: 0.01,
    Q2_K: 0.45,
    Q3_K: 0.25,
    Q4_K: 0.12,
    Q5_K: 0.06,
    Q6_K: 0.03,
    Q8_K: 0.03, // one scale per 256 values: outliers cost more than Q8_0's per-32 scales
    IQ4_NL: 0.12,
    IQ4_XS: 0.12,
  };
  let rms = 0;
  for (const v of values) rms += v * v;
  rms = Math.sqrt(rms / values.length);
  for (const type of QUANTISABLE_GGML_TYPES) {
    it(`${type}: decoded values within the type's rounding, and correlated > 0.9 with the input`, () => {
      const t = ggmlTypeByName(type)!;
      const q = quantizeGgml(type, values);
      expect(q.length).toBe((values.length / t.blockElems) * t.blockBytes);
      const back = decode(type, q, values.length / t.blockElems);
      let err = 0;
      let xy = 0;
      let yy = 0;
      for (let i = 0; i < values.length; i++) {
        err += (back[i]! - values[i]!) ** 2;
        xy += back[i]! * values[i]!;
        yy += back[i]! ** 2;
      }
      const rel = Math.sqrt(err / values.length) / rms;
      expect(rel).toBeLessThan(BOUND[type]!);
      expect(rel).toBeGreaterThan(type.startsWith('Q8') ? 1e-5 : 1e-3); // it did quantise
      expect(xy / Math.sqrt(yy * rms * rms * values.length)).toBeGreaterThan(0.9);
    });
  }

  it('Q8_0 reproduces ggml exactly on a hand-checked block', () => {
    const x = Float32Array.from({ length: 32 }, (_, i) => (i - 16) / 16); // amax 1 → d = 1/127
    const q = quantizeGgml('Q8_0', x);
    // d = 1/127 rounded to half: 0x2008 (0.0078735...)
    expect(q[0]! | (q[1]! << 8)).toBe(0x2008);
    // x[0] = -1 → round(-1 * 127.0...) = -127
    expect(i8(q[2]!)).toBe(-127);
    expect(i8(q[2 + 16]!)).toBe(0);
  });
});
