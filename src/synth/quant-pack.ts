/**
 * Quantised checkpoints written by the conventions their tools document (AutoGPTQ/GPTQModel,
 * AutoAWQ GEMM, compressed-tensors pack-quantized, DeepSeek-V3 FP8 blocks, FP8 per-channel,
 * gpt-oss MXFP4, bitsandbytes NF4), from float32 matrices: round-to-nearest quantisers (the
 * packing, not the calibration, is what a reader must get right). Used by tests and the evaluation.
 */
import { encodeFromFloat32 } from '../formats/dtypes.js';
import type { TensorToWrite } from '../formats/writer.js';

const fr = Math.fround;
const AWQ_ORDER = [0, 2, 4, 6, 1, 3, 5, 7];
export const NF4_VALUES = [
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
  -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
  0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
];
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

export interface Matrix {
  name: string;
  rows: number;
  cols: number;
  values: Float32Array;
}

function i32Bytes(w: Int32Array): Uint8Array {
  return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
}

/** Values written as a little-endian bit stream, `bits` each, value k at bit bits·k of `words` from `w0`. */
function putStream(words: Int32Array, w0: number, k: number, bits: number, v: number): void {
  const bit = k * bits;
  const w = w0 + (bit >>> 5);
  const s = bit & 31;
  words[w]! |= v << s;
  if (s + bits > 32) words[w + 1]! |= v >>> (32 - s);
}

/** Asymmetric round-to-nearest per (group, column): integer codes, scales, zero points. */
function asymmetric(m: Matrix, bits: number, groupOf: (i: number) => number, groups: number) {
  const maxq = (1 << bits) - 1;
  const { rows: out, cols: inn, values } = m;
  const scale = new Float32Array(groups * out);
  const zero = new Int32Array(groups * out);
  for (let o = 0; o < out; o++) {
    const lo = new Float64Array(groups).fill(Infinity);
    const hi = new Float64Array(groups).fill(-Infinity);
    for (let i = 0; i < inn; i++) {
      const g = groupOf(i);
      const v = values[o * inn + i]!;
      lo[g] = Math.min(lo[g]!, v, 0);
      hi[g] = Math.max(hi[g]!, v, 0);
    }
    for (let g = 0; g < groups; g++) {
      const s = hi[g]! > lo[g]! ? (hi[g]! - lo[g]!) / maxq : 1;
      // scales are stored as F16: quantise with the stored value
      scale[g * out + o] = f16Round(s);
      zero[g * out + o] = Math.min(maxq, Math.max(0, Math.round(-lo[g]! / scale[g * out + o]!)));
    }
  }
  const code = (o: number, i: number) => {
    const g = groupOf(i);
    return Math.min(maxq, Math.max(0, Math.round(values[o * inn + i]! / scale[g * out + o]!) + zero[g * out + o]!));
  };
  return { scale, zero, code };
}

function f16Round(v: number): number {
  const b = encodeFromFloat32('F16', Float32Array.of(v));
  const h = b[0]! | (b[1]! << 8);
  const e = (h >> 10) & 31;
  const mant = h & 1023;
  return (e === 0 ? mant * 2 ** -24 : (1 + mant / 1024) * 2 ** (e - 15)) * (h & 0x8000 ? -1 : 1);
}

/** GPTQ (AutoGPTQ/GPTQModel v1 layout: zeros stored minus one); `actOrder` adds a g_idx. */
export function packGptq(m: Matrix, bits: number, groupSize: number, actOrder = false): TensorToWrite[] {
  const { rows: out, cols: inn } = m;
  const groups = Math.ceil(inn / groupSize);
  // act-order: inputs quantised in a permuted order, g_idx says each input's group
  const order = Array.from({ length: inn }, (_, i) => i);
  if (actOrder) order.sort((a, b) => ((a * 2654435761) % 1031) - ((b * 2654435761) % 1031) || a - b);
  const gIdx = new Int32Array(inn);
  order.forEach((i, rank) => {
    gIdx[i] = Math.floor(rank / groupSize);
  });
  const { scale, zero, code } = asymmetric(m, bits, (i) => gIdx[i]!, groups);
  const qweight = new Int32Array(((inn * bits) / 32) * out);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inn; i++) {
      const bit = i * bits;
      const s = bit & 31;
      const row = bit >>> 5;
      const v = code(o, i);
      qweight[row * out + o]! |= v << s;
      if (s + bits > 32) qweight[(row + 1) * out + o]! |= v >>> (32 - s);
    }
  const zRow = (out * bits) / 32;
  const qzeros = new Int32Array(groups * zRow);
  for (let g = 0; g < groups; g++)
    for (let o = 0; o < out; o++) putStream(qzeros, g * zRow, o, bits, zero[g * out + o]! - 1);
  const t: TensorToWrite[] = [
    { name: `${m.name}.qweight`, dtype: 'I32', shape: [(inn * bits) / 32, out], data: i32Bytes(qweight) },
    { name: `${m.name}.qzeros`, dtype: 'I32', shape: [groups, zRow], data: i32Bytes(qzeros) },
    { name: `${m.name}.scales`, dtype: 'F16', shape: [groups, out], data: encodeFromFloat32('F16', scale) },
  ];
  if (actOrder) t.push({ name: `${m.name}.g_idx`, dtype: 'I32', shape: [inn], data: i32Bytes(gIdx) });
  return t;
}

/** AutoAWQ GEMM: qweight [in, out/8] and qzeros [groups, out/8] in AWQ's nibble order. */
export function packAwq(m: Matrix, groupSize: number): TensorToWrite[] {
  const { rows: out, cols: inn } = m;
  const groups = Math.ceil(inn / groupSize);
  const { scale, zero, code } = asymmetric(m, 4, (i) => Math.floor(i / groupSize), groups);
  const qweight = new Int32Array(inn * (out / 8));
  for (let i = 0; i < inn; i++)
    for (let w = 0; w < out / 8; w++) {
      let word = 0;
      for (let k = 0; k < 8; k++) word |= code(w * 8 + AWQ_ORDER[k]!, i) << (4 * k);
      qweight[i * (out / 8) + w] = word;
    }
  const qzeros = new Int32Array(groups * (out / 8));
  for (let g = 0; g < groups; g++)
    for (let w = 0; w < out / 8; w++) {
      let word = 0;
      for (let k = 0; k < 8; k++) word |= zero[g * out + w * 8 + AWQ_ORDER[k]!]! << (4 * k);
      qzeros[g * (out / 8) + w] = word;
    }
  return [
    { name: `${m.name}.qweight`, dtype: 'I32', shape: [inn, out / 8], data: i32Bytes(qweight) },
    { name: `${m.name}.qzeros`, dtype: 'I32', shape: [groups, out / 8], data: i32Bytes(qzeros) },
    { name: `${m.name}.scales`, dtype: 'F16', shape: [groups, out], data: encodeFromFloat32('F16', scale) },
  ];
}

/** compressed-tensors pack-quantized, symmetric: signed codes + 2^(bits−1) packed along rows. */
export function packCompressed(m: Matrix, bits: number, groupSize: number): TensorToWrite[] {
  const { rows: out, cols: inn, values } = m;
  const groups = Math.ceil(inn / groupSize);
  const qmax = (1 << (bits - 1)) - 1;
  const scale = new Float32Array(out * groups);
  for (let o = 0; o < out; o++)
    for (let g = 0; g < groups; g++) {
      let amax = 0;
      for (let i = g * groupSize; i < Math.min(inn, (g + 1) * groupSize); i++)
        amax = Math.max(amax, Math.abs(values[o * inn + i]!));
      scale[o * groups + g] = fr(amax > 0 ? amax / qmax : 1);
    }
  const rowWords = (inn * bits) / 32;
  const packed = new Int32Array(out * rowWords);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inn; i++) {
      const s = scale[o * groups + Math.floor(i / groupSize)]!;
      const q = Math.max(-qmax - 1, Math.min(qmax, Math.round(values[o * inn + i]! / s)));
      putStream(packed, o * rowWords, i, bits, q + (1 << (bits - 1)));
    }
  return [
    { name: `${m.name}.weight_packed`, dtype: 'I32', shape: [out, rowWords], data: i32Bytes(packed) },
    { name: `${m.name}.weight_scale`, dtype: 'F32', shape: [out, groups], data: new Uint8Array(scale.buffer) },
    {
      name: `${m.name}.weight_shape`,
      dtype: 'I64',
      shape: [2],
      data: new Uint8Array(BigInt64Array.of(BigInt(out), BigInt(inn)).buffer),
    },
  ];
}

/** FP8 E4M3 with DeepSeek-V3's block scales (`weight_scale_inv`, multiplied back). */
export function packFp8Block(m: Matrix, block = 128): TensorToWrite[] {
  const { rows: R, cols: C, values } = m;
  const br = Math.ceil(R / block);
  const bc = Math.ceil(C / block);
  const inv = new Float32Array(br * bc);
  for (let a = 0; a < br; a++)
    for (let b = 0; b < bc; b++) {
      let amax = 0;
      for (let r = a * block; r < Math.min(R, (a + 1) * block); r++)
        for (let c = b * block; c < Math.min(C, (b + 1) * block); c++)
          amax = Math.max(amax, Math.abs(values[r * C + c]!));
      inv[a * bc + b] = fr(amax > 0 ? amax / 448 : 1);
    }
  const scaled = Float32Array.from(
    values,
    (v, k) => v / inv[Math.floor(Math.floor(k / C) / block) * bc + Math.floor((k % C) / block)]!,
  );
  return [
    { name: `${m.name}.weight`, dtype: 'F8_E4M3', shape: [R, C], data: encodeFromFloat32('F8_E4M3', scaled) },
    { name: `${m.name}.weight_scale_inv`, dtype: 'F32', shape: [br, bc], data: new Uint8Array(inv.buffer) },
  ];
}

/** FP8 E4M3 with one scale per output row (`weight_scale` [out, 1]). */
export function packFp8Channel(m: Matrix): TensorToWrite[] {
  const { rows: R, cols: C, values } = m;
  const scale = new Float32Array(R);
  for (let r = 0; r < R; r++) {
    let amax = 0;
    for (let c = 0; c < C; c++) amax = Math.max(amax, Math.abs(values[r * C + c]!));
    scale[r] = fr(amax > 0 ? amax / 448 : 1);
  }
  const scaled = Float32Array.from(values, (v, k) => v / scale[Math.floor(k / C)]!);
  return [
    { name: `${m.name}.weight`, dtype: 'F8_E4M3', shape: [R, C], data: encodeFromFloat32('F8_E4M3', scaled) },
    { name: `${m.name}.weight_scale`, dtype: 'F32', shape: [R, 1], data: new Uint8Array(scale.buffer) },
  ];
}

/** gpt-oss MXFP4: 32-value groups, E8M0 scale, E2M1 pairs low nibble first. `name` is the logical name. */
export function packMxfp4(m: Matrix): TensorToWrite[] {
  const { rows: R, cols: C, values } = m;
  const G = C / 32;
  const blocks = new Uint8Array(R * G * 16);
  const scales = new Uint8Array(R * G);
  for (let g = 0; g < R * G; g++) {
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(values[g * 32 + j]!));
    const e = amax > 0 ? Math.ceil(Math.log2(amax / 6)) : -127;
    scales[g] = Math.max(0, Math.min(254, e + 127));
    const f = 2 ** (scales[g]! - 127);
    for (let j = 0; j < 32; j += 2) {
      const code = (v: number) => {
        const x = Math.abs(v / f);
        let best = 0;
        for (let k = 1; k < 8; k++) if (Math.abs(E2M1[k]! - x) < Math.abs(E2M1[best]! - x)) best = k;
        return (v < 0 && best !== 0 ? 8 : 0) | best;
      };
      blocks[g * 16 + j / 2] = code(values[g * 32 + j]!) | (code(values[g * 32 + j + 1]!) << 4);
    }
  }
  return [
    { name: `${m.name}_blocks`, dtype: 'U8', shape: [R, G, 16], data: blocks },
    { name: `${m.name}_scales`, dtype: 'U8', shape: [R, G], data: scales },
  ];
}

/** bitsandbytes NF4 (not nested): codes high nibble first, absmax per block, quant map, JSON state. */
export function packNf4(m: Matrix, blocksize = 64): TensorToWrite[] {
  const { values } = m;
  const n = values.length;
  const blocks = Math.ceil(n / blocksize);
  const absmax = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let a = 0;
    for (let k = b * blocksize; k < Math.min(n, (b + 1) * blocksize); k++) a = Math.max(a, Math.abs(values[k]!));
    absmax[b] = fr(a || 1);
  }
  const data = new Uint8Array(Math.ceil(n / 2));
  for (let k = 0; k < n; k++) {
    const x = values[k]! / absmax[Math.floor(k / blocksize)]!;
    let best = 0;
    for (let c = 1; c < 16; c++) if (Math.abs(NF4_VALUES[c]! - x) < Math.abs(NF4_VALUES[best]! - x)) best = c;
    data[k >> 1]! |= k & 1 ? best : best << 4;
  }
  const state = JSON.stringify({ quant_type: 'nf4', blocksize, dtype: 'bfloat16', shape: [m.rows, m.cols] });
  return [
    { name: `${m.name}.weight`, dtype: 'U8', shape: [data.length, 1], data },
    { name: `${m.name}.weight.absmax`, dtype: 'F32', shape: [blocks], data: new Uint8Array(absmax.buffer) },
    {
      name: `${m.name}.weight.quant_map`,
      dtype: 'F32',
      shape: [16],
      data: new Uint8Array(Float32Array.from(NF4_VALUES).buffer),
    },
    {
      name: `${m.name}.weight.quant_state.bitsandbytes__nf4`,
      dtype: 'U8',
      shape: [state.length],
      data: new Uint8Array(Buffer.from(state)),
    },
  ];
}
