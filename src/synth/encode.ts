/**
 * Storage dtypes of generated models. Encoding and decoding are the shared codec of
 * formats/dtypes.ts (round to nearest even, little-endian): one implementation for reader and writer.
 */
export type SynthDType = 'F32' | 'F16' | 'BF16' | 'F8_E4M3';

/** Largest finite E4M3 (fn variant: no infinities, 0x7F/0xFF are NaN); per-tensor FP8 scales map |max| here. */
export const F8_E4M3_MAX = 448;

export { decodeToFloat32, encodeFromFloat32 } from '../formats/dtypes.js';
