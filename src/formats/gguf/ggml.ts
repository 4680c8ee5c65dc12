/**
 * ggml tensor types: block geometry of every type a GGUF file can hold, and dequantisation of the
 * types we compare. The arithmetic follows ggml's reference `dequantize_row_*` (ggml-quants.c)
 * step by step in float32: every product that ggml rounds to float is rounded here too
 * (Float32Array stores and Math.fround), so values are bit-identical to llama.cpp's.
 */
import { f16ValueTable } from '../dtypes.js';
import type { DecodedDType } from '../types.js';

export interface GgmlType {
  id: number;
  name: string;
  /** Elements per block, and bytes per block. */
  blockElems: number;
  blockBytes: number;
  /** Plain element-wise types: the safetensors dtype with the same bytes. */
  plain?: DecodedDType;
  /** Dequantises `nBlocks` whole blocks of `src` starting at byte `srcOff` into `out` at `outOff`. */
  dequantize?: BlockKernel;
  /**
   * Σ over the blocks' elements of the squared quantisation step (the grid spacing each value was
   * rounded to): step²/12 is the variance of rounding to that grid, so a comparison can tell a
   * quantised copy (differences within rounding) from a fine-tune (differences beyond it).
   */
  stepSquares?: StepKernel;
}

type StepKernel = (src: Uint8Array, srcOff: number, nBlocks: number) => number;

type BlockKernel = (src: Uint8Array, srcOff: number, nBlocks: number, out: Float32Array, outOff: number) => void;

const QK_K = 256;

/** ggml's non-linear 4-bit code book (IQ4_NL, IQ4_XS). */
const KVALUES_IQ4NL = Int8Array.from([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]);
/** E2M1 values, doubled (MXFP4 scales are halved to match). */
const KVALUES_MXFP4 = Int8Array.from([0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12]);

let F16: Float32Array | undefined;
function half(src: Uint8Array, o: number): number {
  F16 ??= f16ValueTable();
  return F16[src[o]! | (src[o + 1]! << 8)]!;
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);
function float32At(src: Uint8Array, o: number): number {
  u32Cell[0] = src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24);
  return f32Cell[0]!;
}

function u32At(src: Uint8Array, o: number): number {
  return (src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24)) >>> 0;
}

const fr = Math.fround;

// ---------------------------------------------------------------------------------------------
// 32-element blocks

const q4_0: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 18, yo += 32) {
    const d = half(src, off);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 2 + j]!;
      y[yo + j] = ((q & 15) - 8) * d;
      y[yo + j + 16] = ((q >> 4) - 8) * d;
    }
  }
};

const q4_1: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 20, yo += 32) {
    const d = half(src, off);
    const m = half(src, off + 2);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 4 + j]!;
      y[yo + j] = fr((q & 15) * d) + m;
      y[yo + j + 16] = fr((q >> 4) * d) + m;
    }
  }
};

const q5_0: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 22, yo += 32) {
    const d = half(src, off);
    const qh = u32At(src, off + 2);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 6 + j]!;
      const h0 = ((qh >>> j) << 4) & 0x10;
      const h1 = (qh >>> (j + 12)) & 0x10;
      y[yo + j] = (((q & 15) | h0) - 16) * d;
      y[yo + j + 16] = (((q >> 4) | h1) - 16) * d;
    }
  }
};

const q5_1: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 24, yo += 32) {
    const d = half(src, off);
    const m = half(src, off + 2);
    const qh = u32At(src, off + 4);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 8 + j]!;
      const h0 = ((qh >>> j) << 4) & 0x10;
      const h1 = (qh >>> (j + 12)) & 0x10;
      y[yo + j] = fr(((q & 15) | h0) * d) + m;
      y[yo + j + 16] = fr(((q >> 4) | h1) * d) + m;
    }
  }
};

const q8_0: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 34, yo += 32) {
    const d = half(src, off);
    for (let j = 0; j < 32; j++) y[yo + j] = ((src[off + 2 + j]! << 24) >> 24) * d;
  }
};

const iq4_nl: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 18, yo += 32) {
    const d = half(src, off);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 2 + j]!;
      y[yo + j] = d * KVALUES_IQ4NL[q & 15]!;
      y[yo + j + 16] = d * KVALUES_IQ4NL[q >> 4]!;
    }
  }
};

const mxfp4: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 17, yo += 32) {
    const d = 2 ** (src[off]! - 128); // E8M0 scale, halved (the code book is doubled)
    for (let j = 0; j < 16; j++) {
      const q = src[off + 1 + j]!;
      y[yo + j] = KVALUES_MXFP4[q & 15]! * d;
      y[yo + j + 16] = KVALUES_MXFP4[q >> 4]! * d;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// 256-element super-blocks (k-quants)

/** 6-bit scale and min of sub-block j from the 12 packed bytes at `o` (ggml's get_scale_min_k4). */
function scaleMinK4(src: Uint8Array, o: number, j: number, out: Uint8Array): void {
  if (j < 4) {
    out[0] = src[o + j]! & 63;
    out[1] = src[o + j + 4]! & 63;
  } else {
    out[0] = (src[o + j + 4]! & 0xf) | ((src[o + j - 4]! >> 6) << 4);
    out[1] = (src[o + j + 4]! >> 4) | ((src[o + j]! >> 6) << 4);
  }
}

const q2_K: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 84, yo += QK_K) {
    const d = half(src, off + 80);
    const dmin = half(src, off + 82);
    let is = 0;
    let k = yo;
    for (let half128 = 0; half128 < 2; half128++) {
      const q = off + 16 + 32 * half128;
      for (let shift = 0; shift < 8; shift += 2) {
        for (let part = 0; part < 2; part++) {
          const sc = src[off + is++]!;
          const dl = fr(d * (sc & 0xf));
          const ml = fr(dmin * (sc >> 4));
          const base = q + 16 * part;
          for (let l = 0; l < 16; l++) y[k++] = fr(dl * ((src[base + l]! >> shift) & 3)) - ml;
        }
      }
    }
  }
};

const q3Scales = new Int8Array(16);
const q3Words = new Uint32Array(q3Scales.buffer);
const q3_K: BlockKernel = (src, off, n, y, yo) => {
  const k1 = 0x03030303;
  const k2 = 0x0f0f0f0f;
  for (let b = 0; b < n; b++, off += 110, yo += QK_K) {
    const d = half(src, off + 108);
    const a0 = u32At(src, off + 96);
    const a1 = u32At(src, off + 100);
    const tmp = u32At(src, off + 104);
    // 16 six-bit scales: low 4 bits from bytes 0-7, high 2 bits from bytes 8-11
    q3Words[0] = (a0 & k2) | (((tmp >>> 0) & k1) << 4);
    q3Words[1] = (a1 & k2) | (((tmp >>> 2) & k1) << 4);
    q3Words[2] = ((a0 >>> 4) & k2) | (((tmp >>> 4) & k1) << 4);
    q3Words[3] = ((a1 >>> 4) & k2) | (((tmp >>> 6) & k1) << 4);
    let is = 0;
    let m = 1;
    let k = yo;
    for (let half128 = 0; half128 < 2; half128++) {
      const q = off + 32 + 32 * half128;
      for (let shift = 0; shift < 8; shift += 2, m <<= 1) {
        for (let part = 0; part < 2; part++) {
          const dl = fr(d * (q3Scales[is++]! - 32));
          const base = 16 * part;
          for (let l = 0; l < 16; l++) {
            const low = (src[q + base + l]! >> shift) & 3;
            const high = src[off + base + l]! & m ? 0 : 4;
            y[k++] = dl * (low - high);
          }
        }
      }
    }
  }
};

const sm = new Uint8Array(2);
const q4_K: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 144, yo += QK_K) {
    const d = half(src, off);
    const dmin = half(src, off + 2);
    let q = off + 16;
    let k = yo;
    for (let is = 0; is < 8; is += 2, q += 32) {
      scaleMinK4(src, off + 4, is, sm);
      const d1 = fr(d * sm[0]!);
      const m1 = fr(dmin * sm[1]!);
      scaleMinK4(src, off + 4, is + 1, sm);
      const d2 = fr(d * sm[0]!);
      const m2 = fr(dmin * sm[1]!);
      for (let l = 0; l < 32; l++) y[k++] = fr(d1 * (src[q + l]! & 0xf)) - m1;
      for (let l = 0; l < 32; l++) y[k++] = fr(d2 * (src[q + l]! >> 4)) - m2;
    }
  }
};

const q5_K: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 176, yo += QK_K) {
    const d = half(src, off);
    const dmin = half(src, off + 2);
    const qh = off + 16;
    let ql = off + 48;
    let k = yo;
    let u1 = 1;
    let u2 = 2;
    for (let is = 0; is < 8; is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
      scaleMinK4(src, off + 4, is, sm);
      const d1 = fr(d * sm[0]!);
      const m1 = fr(dmin * sm[1]!);
      scaleMinK4(src, off + 4, is + 1, sm);
      const d2 = fr(d * sm[0]!);
      const m2 = fr(dmin * sm[1]!);
      for (let l = 0; l < 32; l++) y[k++] = fr(d1 * ((src[ql + l]! & 0xf) + (src[qh + l]! & u1 ? 16 : 0))) - m1;
      for (let l = 0; l < 32; l++) y[k++] = fr(d2 * ((src[ql + l]! >> 4) + (src[qh + l]! & u2 ? 16 : 0))) - m2;
    }
  }
};

const q6_K: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 210, yo += QK_K) {
    const d = half(src, off + 208);
    for (let h = 0; h < 2; h++) {
      const ql = off + 64 * h;
      const qh = off + 128 + 32 * h;
      const sc = off + 192 + 8 * h;
      const k = yo + 128 * h;
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const lo0 = src[ql + l]!;
        const lo1 = src[ql + l + 32]!;
        const hi = src[qh + l]!;
        const q1 = ((lo0 & 0xf) | ((hi & 3) << 4)) - 32;
        const q2 = ((lo1 & 0xf) | (((hi >> 2) & 3) << 4)) - 32;
        const q3 = ((lo0 >> 4) | (((hi >> 4) & 3) << 4)) - 32;
        const q4 = ((lo1 >> 4) | (((hi >> 6) & 3) << 4)) - 32;
        y[k + l] = fr(d * ((src[sc + is]! << 24) >> 24)) * q1;
        y[k + l + 32] = fr(d * ((src[sc + is + 2]! << 24) >> 24)) * q2;
        y[k + l + 64] = fr(d * ((src[sc + is + 4]! << 24) >> 24)) * q3;
        y[k + l + 96] = fr(d * ((src[sc + is + 6]! << 24) >> 24)) * q4;
      }
    }
  }
};

const q8_K: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 292, yo += QK_K) {
    const d = float32At(src, off);
    for (let j = 0; j < QK_K; j++) y[yo + j] = d * ((src[off + 4 + j]! << 24) >> 24);
  }
};

const iq4_xs: BlockKernel = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 136, yo += QK_K) {
    const d = half(src, off);
    const scalesH = src[off + 2]! | (src[off + 3]! << 8);
    let qs = off + 8;
    let k = yo;
    for (let ib = 0; ib < 8; ib++, qs += 16) {
      const ls = ((src[off + 4 + (ib >> 1)]! >> (4 * (ib & 1))) & 0xf) | (((scalesH >> (2 * ib)) & 3) << 4);
      const dl = fr(d * (ls - 32));
      for (let j = 0; j < 16; j++) {
        const q = src[qs + j]!;
        y[k + j] = dl * KVALUES_IQ4NL[q & 15]!;
        y[k + j + 16] = dl * KVALUES_IQ4NL[q >> 4]!;
      }
      k += 32;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Grid steps. Non-uniform code books (IQ4, E2M1) use their mean spacing: 240/15 = 16 for the
// IQ4 values, 24/15 = 1.6 for the doubled E2M1 values.

/** Blocks whose only scale is a half `d` at byte `at`: every element's step is |d|·spacing. */
function uniformSteps(blockBytes: number, at: number, elems: number, spacing = 1): StepKernel {
  return (src, off, n) => {
    let s = 0;
    for (let b = 0; b < n; b++) s += (half(src, off + b * blockBytes + at) * spacing) ** 2;
    return s * elems;
  };
}

const q2Steps: StepKernel = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 84) {
    const d = half(src, off + 80);
    for (let j = 0; j < 16; j++) s += 16 * fr(d * (src[off + j]! & 0xf)) ** 2;
  }
  return s;
};

const q3Steps: StepKernel = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 110) {
    const d = half(src, off + 108);
    for (let j = 0; j < 16; j++) {
      const lo = j < 8 ? src[off + 96 + j]! & 15 : src[off + 96 + j - 8]! >> 4;
      const hi = (src[off + 104 + (j % 4)]! >> (2 * (j >> 2))) & 3;
      s += 16 * fr(d * (lo + 16 * hi - 32)) ** 2;
    }
  }
  return s;
};

function k4Steps(blockBytes: number): StepKernel {
  return (src, off, n) => {
    let s = 0;
    for (let b = 0; b < n; b++, off += blockBytes) {
      const d = half(src, off);
      for (let j = 0; j < 8; j++) {
        scaleMinK4(src, off + 4, j, sm);
        s += 32 * fr(d * sm[0]!) ** 2;
      }
    }
    return s;
  };
}

const q6Steps: StepKernel = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 210) {
    const d = half(src, off + 208);
    for (let j = 0; j < 16; j++) s += 16 * fr(d * ((src[off + 192 + j]! << 24) >> 24)) ** 2;
  }
  return s;
};

const q8KSteps: StepKernel = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++) s += 256 * float32At(src, off + b * 292) ** 2;
  return s;
};

const iq4xsSteps: StepKernel = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 136) {
    const d = half(src, off);
    const scalesH = src[off + 2]! | (src[off + 3]! << 8);
    for (let ib = 0; ib < 8; ib++) {
      const ls = ((src[off + 4 + (ib >> 1)]! >> (4 * (ib & 1))) & 0xf) | (((scalesH >> (2 * ib)) & 3) << 4);
      s += 32 * (16 * fr(d * (ls - 32))) ** 2;
    }
  }
  return s;
};

const mxfp4Steps: StepKernel = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++) s += 32 * (1.6 * 2 ** (src[off + b * 17]! - 128)) ** 2;
  return s;
};

// ---------------------------------------------------------------------------------------------
// The type table (ggml.h enum ggml_type; sizes from ggml-common.h block structs)

const TYPES: GgmlType[] = [
  { id: 0, name: 'F32', blockElems: 1, blockBytes: 4, plain: 'F32' },
  { id: 1, name: 'F16', blockElems: 1, blockBytes: 2, plain: 'F16' },
  { id: 2, name: 'Q4_0', blockElems: 32, blockBytes: 18, dequantize: q4_0, stepSquares: uniformSteps(18, 0, 32) },
  { id: 3, name: 'Q4_1', blockElems: 32, blockBytes: 20, dequantize: q4_1, stepSquares: uniformSteps(20, 0, 32) },
  { id: 6, name: 'Q5_0', blockElems: 32, blockBytes: 22, dequantize: q5_0, stepSquares: uniformSteps(22, 0, 32) },
  { id: 7, name: 'Q5_1', blockElems: 32, blockBytes: 24, dequantize: q5_1, stepSquares: uniformSteps(24, 0, 32) },
  { id: 8, name: 'Q8_0', blockElems: 32, blockBytes: 34, dequantize: q8_0, stepSquares: uniformSteps(34, 0, 32) },
  { id: 9, name: 'Q8_1', blockElems: 32, blockBytes: 36 },
  { id: 10, name: 'Q2_K', blockElems: QK_K, blockBytes: 84, dequantize: q2_K, stepSquares: q2Steps },
  { id: 11, name: 'Q3_K', blockElems: QK_K, blockBytes: 110, dequantize: q3_K, stepSquares: q3Steps },
  { id: 12, name: 'Q4_K', blockElems: QK_K, blockBytes: 144, dequantize: q4_K, stepSquares: k4Steps(144) },
  { id: 13, name: 'Q5_K', blockElems: QK_K, blockBytes: 176, dequantize: q5_K, stepSquares: k4Steps(176) },
  { id: 14, name: 'Q6_K', blockElems: QK_K, blockBytes: 210, dequantize: q6_K, stepSquares: q6Steps },
  { id: 15, name: 'Q8_K', blockElems: QK_K, blockBytes: 292, dequantize: q8_K, stepSquares: q8KSteps },
  { id: 16, name: 'IQ2_XXS', blockElems: QK_K, blockBytes: 66 },
  { id: 17, name: 'IQ2_XS', blockElems: QK_K, blockBytes: 74 },
  { id: 18, name: 'IQ3_XXS', blockElems: QK_K, blockBytes: 98 },
  { id: 19, name: 'IQ1_S', blockElems: QK_K, blockBytes: 50 },
  {
    id: 20,
    name: 'IQ4_NL',
    blockElems: 32,
    blockBytes: 18,
    dequantize: iq4_nl,
    stepSquares: uniformSteps(18, 0, 32, 16),
  },
  { id: 21, name: 'IQ3_S', blockElems: QK_K, blockBytes: 110 },
  { id: 22, name: 'IQ2_S', blockElems: QK_K, blockBytes: 82 },
  { id: 23, name: 'IQ4_XS', blockElems: QK_K, blockBytes: 136, dequantize: iq4_xs, stepSquares: iq4xsSteps },
  { id: 24, name: 'I8', blockElems: 1, blockBytes: 1, plain: 'I8' },
  { id: 25, name: 'I16', blockElems: 1, blockBytes: 2, plain: 'I16' },
  { id: 26, name: 'I32', blockElems: 1, blockBytes: 4, plain: 'I32' },
  { id: 27, name: 'I64', blockElems: 1, blockBytes: 8, plain: 'I64' },
  { id: 28, name: 'F64', blockElems: 1, blockBytes: 8, plain: 'F64' },
  { id: 29, name: 'IQ1_M', blockElems: QK_K, blockBytes: 56 },
  { id: 30, name: 'BF16', blockElems: 1, blockBytes: 2, plain: 'BF16' },
  { id: 34, name: 'TQ1_0', blockElems: QK_K, blockBytes: 54 },
  { id: 35, name: 'TQ2_0', blockElems: QK_K, blockBytes: 66 },
  { id: 39, name: 'MXFP4', blockElems: 32, blockBytes: 17, dequantize: mxfp4, stepSquares: mxfp4Steps },
  { id: 40, name: 'NVFP4', blockElems: 64, blockBytes: 36 },
  { id: 41, name: 'Q1_0', blockElems: 128, blockBytes: 18 },
  { id: 42, name: 'Q2_0', blockElems: 64, blockBytes: 18 },
];

const BY_ID = new Map(TYPES.map((t) => [t.id, t]));
const BY_NAME = new Map(TYPES.map((t) => [t.name, t]));

export function ggmlTypeById(id: number): GgmlType | undefined {
  return BY_ID.get(id);
}

export function ggmlTypeByName(name: string): GgmlType | undefined {
  return BY_NAME.get(name);
}

/** Names of the types whose values we decode (plain or dequantised). */
export const DECODED_GGML_TYPES = TYPES.filter((t) => t.plain || t.dequantize).map((t) => t.name);
