/**
 * The WebAssembly dequantisation kernels (formats/gguf/simd.ts) against the JavaScript reference
 * (formats/gguf/ggml.ts, itself checked against hand-built blocks in ggml-dequant.test.ts): every
 * decoded value bit-identical, on random blocks whose scales include -0, ±inf, NaN (with payloads
 * and sign), subnormal and largest halves; and the decoder's arena path (values written into a
 * WebAssembly memory, rows in rotary order decoded to their HF position) against its plain path,
 * down to the full fingerprint.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/formats/file-source.js';
import { openDecoder, streamDecoded, type DecodeArena } from '../../src/formats/decode.js';
import { ggmlTypeByName } from '../../src/formats/gguf/ggml.js';
import { SIMD_GGML_TYPES, simdDequant } from '../../src/formats/gguf/simd.js';
import type { TensorEntry } from '../../src/formats/types.js';
import { fingerprintLogicalFull } from '../../src/fingerprint/logical.js';
import { mulberry32 } from './ggml-helpers.js';

const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => object } })
  .WebAssembly.Memory;

function newArena(bytes: number): DecodeArena {
  const memory = new WasmMemory({ initial: Math.ceil((bytes + 65536) / 65536) });
  const buffer = (memory as { buffer: ArrayBuffer }).buffer;
  return { memory, region: new Uint8Array(buffer, 64, bytes) };
}

/** Halves every scale field takes in turn: zeros, infinities, NaNs, subnormals, extremes, one. */
const SPECIAL_HALVES = [
  0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7c01, 0xfd55, 0x0001, 0x8001, 0x03ff, 0x83ff, 0x0400, 0x7bff,
  0xfbff, 0x3c00,
];

/** Byte offsets of each type's f16 scales inside its block. */
const SCALE_FIELDS: Record<string, number[]> = {
  Q8_0: [0],
  Q4_0: [0],
  Q4_1: [0, 2],
  Q5_0: [0],
  Q5_1: [0, 2],
  IQ4_NL: [0],
  Q2_K: [80, 82],
  Q3_K: [108],
  Q4_K: [0, 2],
  Q5_K: [0, 2],
  Q6_K: [208],
  IQ4_XS: [0],
};
/** Q8_K's scale is a float32: zeros, infinities, NaNs (quiet, signalling, payload), subnormal, extremes. */
const SPECIAL_FLOATS = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc12345, 0x00000001, 0x807fffff,
  0x7f7fffff, 0x3f800000,
];

/** `n` random blocks; the first ones cycle every scale field through the special halves. */
function randomBlocks(type: string, n: number, seed: number): Uint8Array {
  const t = ggmlTypeByName(type)!;
  const rand = mulberry32(seed);
  const bytes = new Uint8Array(n * t.blockBytes);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
  if (type === 'Q8_K') {
    const view = new DataView(bytes.buffer);
    for (let b = 0; b < n; b++) {
      const bits = b < 2 * SPECIAL_FLOATS.length ? SPECIAL_FLOATS[b % SPECIAL_FLOATS.length]! : 0;
      if (bits || b < 2 * SPECIAL_FLOATS.length) view.setUint32(b * t.blockBytes, bits, true);
      else view.setFloat32(b * t.blockBytes, (rand() - 0.5) * 1e-3, true);
    }
    return bytes;
  }
  const fields = SCALE_FIELDS[type]!;
  for (let b = 0; b < n; b++) {
    fields.forEach((o, f) => {
      const special = b < 2 * SPECIAL_HALVES.length;
      // a special half, or a random normal one of either sign
      const h = special
        ? SPECIAL_HALVES[(b + 6 * f) % SPECIAL_HALVES.length]!
        : (rand() < 0.3 ? 0x8000 : 0) | ((3 + Math.floor(rand() * 20)) << 10) | Math.floor(rand() * 1024);
      bytes[b * t.blockBytes + o] = h & 0xff;
      bytes[b * t.blockBytes + o + 1] = h >> 8;
    });
  }
  return bytes;
}

function reference(type: string, bytes: Uint8Array): Float32Array {
  const t = ggmlTypeByName(type)!;
  const n = bytes.length / t.blockBytes;
  const out = new Float32Array(n * t.blockElems);
  t.dequantize!(bytes, 0, n, out, 0);
  return out;
}

function firstBitDifference(got: Float32Array, want: Float32Array): string | undefined {
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  if (g.length !== w.length) return `length ${g.length} vs ${w.length}`;
  for (let i = 0; i < w.length; i++) {
    if (g[i] !== w[i]) return `element ${i}: 0x${g[i]!.toString(16)} vs reference 0x${w[i]!.toString(16)}`;
  }
  return undefined;
}

describe('WebAssembly ggml kernels against the JavaScript reference', () => {
  const arena = newArena(4 << 20);
  const kernels = simdDequant(arena.memory);

  it('are available here (Node ≥ 20 has simd128)', () => {
    expect(kernels).not.toBeNull();
    expect(Object.keys(kernels!).sort()).toEqual([...SIMD_GGML_TYPES].sort());
  });

  for (const type of SIMD_GGML_TYPES) {
    it(`${type}: every value bit-identical on random blocks, special scales included`, () => {
      const t = ggmlTypeByName(type)!;
      const n = 96;
      const bytes = randomBlocks(type, n, type.length * 7919 + type.charCodeAt(1));
      const want = reference(type, bytes);
      // the special scales reach the output: NaN, both infinities and -0 are among the values
      const kinds = new Set(Array.from(want, (v) => (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : String(v))));
      for (const k of ['nan', 'Infinity', '-Infinity', '-0']) expect(kinds.has(k), `${type} has ${k}`).toBe(true);
      // stored bytes at an odd address, values at an address that is not 16-aligned either
      const base = arena.region.byteOffset;
      const src = base + (1 << 20) + 3;
      const dst = base + 4;
      arena.region.set(bytes, src - base);
      kernels![type]!(src, n, dst);
      const got = new Float32Array(arena.region.buffer, dst, n * t.blockElems).slice();
      expect(firstBitDifference(got, want)).toBeUndefined();
      // zero blocks write nothing
      const before = arena.region.slice(0, 64);
      kernels![type]!(src, 0, base);
      expect(arena.region.subarray(0, 64)).toEqual(before);
    });
  }
});

function ggmlEntry(type: string, shape: number[], bytes: Uint8Array, rotaryHeads?: number): TensorEntry {
  const file = bufferSource('t.gguf', bytes);
  const numel = shape.reduce((a, b) => a * b, 1);
  const name = rotaryHeads ? 'blk.0.attn_q.weight' : 'blk.0.ffn_up.weight';
  return {
    name,
    dtype: type as TensorEntry['dtype'],
    shape,
    numel,
    byteLength: bytes.length,
    file,
    offset: 0,
    encoding: {
      format: 'gguf',
      decoder: 'ggml',
      scheme: type,
      values: 'F32',
      params: rotaryHeads ? { type, rotaryHeads, reordered: 'rotary' } : { type },
      parts: [{ role: 'data', name, dtype: type, shape, file, offset: 0, byteLength: bytes.length }],
    },
  };
}

/** Streams a decoder over the tensor, copying each band out; the stored ranges it reported. */
async function streamAll(t: TensorEntry, arena?: DecodeArena, bandBytes = 1 << 20) {
  const stored: Array<[number, number]> = [];
  const decoder = openDecoder(t, {
    reuse: true,
    onStored: (o, b) => stored.push([o, b.length]),
    ...(arena ? { arena } : {}),
  });
  const parts: Float32Array[] = [];
  let inArena = 0;
  for await (const band of streamDecoded(t, decoder, bandBytes)) {
    if (arena && band.values.buffer === arena.region.buffer) inArena++;
    parts.push(new Float32Array(band.values.slice().buffer));
  }
  const values = new Float32Array(t.numel);
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { values, stored, inArena, bands: parts.length, rounding: decoder.rounding?.() };
}

describe('the ggml decoder decoding into a WebAssembly arena', () => {
  for (const type of SIMD_GGML_TYPES) {
    for (const heads of [0, 4]) {
      it(`${type}${heads ? ', rows in rotary order' : ''}: the same values, stored ranges and rounding`, async () => {
        const t = ggmlTypeByName(type)!;
        const R = 64;
        const C = 2 * t.blockElems;
        const bytes = randomBlocks(type, (R * C) / t.blockElems, 31 + heads);
        const entry = ggmlEntry(type, [R, C], bytes, heads || undefined);
        // small arena: several bands (whole heads when reordered)
        const arena = newArena(3 * R * C);
        const plain = await streamAll(entry, undefined, 16 * t.blockBytes * (C / t.blockElems));
        const fast = await streamAll(entry, arena, 1 << 20);
        expect(fast.bands).toBeGreaterThan(1);
        expect(fast.inArena).toBe(fast.bands);
        expect(firstBitDifference(fast.values, plain.values)).toBeUndefined();
        // the stored bytes are reported in order, tiling the tensor once (hashed in the same pass)
        let next = 0;
        for (const [o, len] of fast.stored) {
          expect(o).toBe(next);
          next += len;
        }
        expect(next).toBe(bytes.length);
        expect(fast.rounding).toEqual(plain.rounding);
        // reads that are not whole blocks / rows fall back to the reference path
        const dec = openDecoder(entry, { reuse: true, arena });
        const part = new Float32Array((await dec.read(C + 5, 3 * C + 1)).slice().buffer);
        expect(firstBitDifference(part, plain.values.subarray(C + 5, 3 * C + 1))).toBeUndefined();
      });
    }
  }

  it('a full fingerprint is the same with and without the arena (kernels of this thread)', async () => {
    for (const [type, heads] of [
      ['Q4_K', 4],
      ['Q8_0', 0],
      ['Q6_K', 0],
    ] as const) {
      const t = ggmlTypeByName(type)!;
      const R = 128;
      const C = 4 * t.blockElems;
      // finite scales only: a fingerprint of NaN scales says little
      const rand = mulberry32(heads + 99);
      const bytes = randomBlocks(type, (R * C) / t.blockElems, 7).map((b) => b);
      for (let b = 0; b < (R * C) / t.blockElems; b++) {
        for (const o of SCALE_FIELDS[type]!) {
          bytes[b * t.blockBytes + o] = Math.floor(rand() * 256);
          bytes[b * t.blockBytes + o + 1] = 0x10 + Math.floor(rand() * 8);
        }
      }
      const entry = ggmlEntry(type, [R, C], bytes, heads || undefined);
      const a = await fingerprintLogicalFull(entry, 64, 1, 1 << 20, () => {});
      const b = await fingerprintLogicalFull(entry, 64, 1, 1 << 20, () => {}, undefined, { arena: true });
      expect(b).toEqual(a);
      expect(b.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
