/**
 * The logical-tensor seam: a tensor whose values come from a decoder fingerprints exactly like
 * the plain tensor holding the decoded values (full and sample mode), sample reads touch only the
 * covering blocks, and rows stored in llama.cpp's rotary order read back in the HF layout.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/formats/file-source.js';
import { openDecoder, readGridValues } from '../../src/formats/decode.js';
import { rotaryStoredIndex } from '../../src/formats/gguf/decoder.js';
import type { ByteSource, TensorEncoding, TensorEntry } from '../../src/formats/types.js';
import { fingerprintTensorFull, fingerprintTensorSample } from '../../src/fingerprint/model.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { quantizeGgml } from '../../src/synth/ggml-quantize.js';
import { mulberry32 } from './ggml-helpers.js';

function plainEntry(name: string, shape: number[], values: Float32Array): TensorEntry {
  const data = new Uint8Array(values.buffer.slice(0));
  return {
    name,
    dtype: 'F32',
    shape,
    numel: values.length,
    byteLength: data.length,
    file: bufferSource(name, data),
    offset: 0,
  };
}

function logicalEntry(
  name: string,
  dtype: TensorEntry['dtype'],
  shape: number[],
  file: ByteSource,
  byteLength: number,
  encoding: Omit<TensorEncoding, 'parts'>,
): TensorEntry {
  const numel = shape.reduce((a, b) => a * b, 1);
  return {
    name,
    dtype,
    shape,
    numel,
    byteLength,
    file,
    offset: 0,
    encoding: { ...encoding, parts: [{ role: 'data', name, dtype, shape, file, offset: 0, byteLength }] },
  };
}

/** Q8_0 blocks with random codes and scales; returns the bytes and the values ggml decodes. */
function randomQ8_0(rows: number, cols: number, seed: number): { bytes: Uint8Array; values: Float32Array } {
  const rand = mulberry32(seed);
  const blocks = (rows * cols) / 32;
  const bytes = new Uint8Array(blocks * 34);
  const values = new Float32Array(rows * cols);
  const half = new Uint16Array(1);
  for (let b = 0; b < blocks; b++) {
    // a normal half in [2^-10, 2^-6): exponent 5..8, random mantissa
    half[0] = ((5 + Math.floor(rand() * 4)) << 10) | Math.floor(rand() * 1024);
    const d = decodeHalf(half[0]!);
    bytes[b * 34] = half[0]! & 0xff;
    bytes[b * 34 + 1] = half[0]! >> 8;
    for (let j = 0; j < 32; j++) {
      const q = Math.floor(rand() * 255) - 127;
      bytes[b * 34 + 2 + j] = q & 0xff;
      values[b * 32 + j] = q * d;
    }
  }
  return { bytes, values };
}

function decodeHalf(h: number): number {
  const e = (h >> 10) & 31;
  const m = h & 1023;
  return (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15)) * (h & 0x8000 ? -1 : 1);
}

/** Counts bytes read, so a test can bound what a sample costs. */
function counting(source: ByteSource): ByteSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return Object.assign(Object.create(source) as ByteSource, {
    reads,
    read(offset: number, length: number) {
      reads.push([offset, length]);
      return source.read(offset, length);
    },
  });
}

describe('logical tensors (decoder seam)', () => {
  const rows = 96;
  const cols = 256;
  const { bytes, values } = randomQ8_0(rows, cols, 7);

  it('full fingerprint of a Q8_0 tensor equals that of its decoded float32 values, stored dtype kept', async () => {
    const q = logicalEntry('blk.0.ffn_up.weight', 'Q8_0', [rows, cols], bufferSource('q', bytes), bytes.length, {
      format: 'gguf',
      decoder: 'ggml',
      scheme: 'Q8_0',
      values: 'F32',
      params: { type: 'Q8_0' },
    });
    const p = plainEntry('blk.0.ffn_up.weight', [rows, cols], values);
    let progress = 0;
    const fq = await fingerprintTensorFull(q, 256, 1, 1 << 20, (n) => (progress += n));
    const fp = await fingerprintTensorFull(p, 256, 1, 1 << 20, () => {});
    expect(progress).toBe(bytes.length);
    expect(fq.dtype).toBe('Q8_0');
    expect(fq.bytes).toBe(bytes.length);
    expect(fq.encoding).toMatchObject({ format: 'gguf', scheme: 'Q8_0', decoded: true });
    // rounding to Q8_0's grid: step d per value, RMS d/√12, small against the values' spread
    expect(fq.encoding!.noise).toBeGreaterThan(0.001);
    expect(fq.encoding!.noise).toBeLessThan(0.02);
    expect(fq.valueDigest).toBe(fp.valueDigest);
    expect(fq.moments).toEqual(fp.moments);
    expect(fq.sample).toEqual(fp.sample);
    // the SHA-256 is of the stored blocks, not of the float32 values
    expect(fq.sha256).not.toBe(fp.sha256);
    expect(fq.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sample mode reads only the blocks covering the sampled coordinates', async () => {
    const big = randomQ8_0(1024, 1024, 9);
    const src = counting(bufferSource('q', big.bytes));
    const q = logicalEntry('w', 'Q8_0', [1024, 1024], src, big.bytes.length, {
      format: 'gguf',
      decoder: 'ggml',
      scheme: 'Q8_0',
      values: 'F32',
      params: { type: 'Q8_0' },
    });
    const fq = await fingerprintTensorSample(q, 256, 3);
    const fp = await fingerprintTensorSample(plainEntry('w', [1024, 1024], big.values), 256, 3);
    expect(fq.sample).toEqual(fp.sample);
    const read = src.reads.reduce((n, [, len]) => n + len, 0);
    expect(read).toBeLessThan(big.bytes.length / 8);
    for (const [off, len] of src.reads) {
      expect(off % 34).toBe(0); // whole blocks only
      expect(len % 34).toBe(0);
    }
  });

  it('rows stored in rotary order read back in HF order, bytes unchanged (same SHA-256 as the original)', async () => {
    const heads = 4;
    const hd = 8;
    const R = heads * hd;
    const C = 16;
    const rand = mulberry32(3);
    const hf = Float32Array.from({ length: R * C }, () => rand() * 2 - 1);
    // llama.cpp's permute: stored row rotaryStoredIndex(u) holds HF row u
    const stored = new Float32Array(R * C);
    for (let u = 0; u < R; u++) stored.set(hf.subarray(u * C, (u + 1) * C), rotaryStoredIndex(u, hd) * C);
    expect(rotaryStoredIndex(0, hd)).toBe(0);
    expect(rotaryStoredIndex(1, hd)).toBe(2);
    expect(rotaryStoredIndex(hd / 2, hd)).toBe(1);
    for (const dtype of ['F32', 'BF16'] as const) {
      const storedBytes = encodeFromFloat32(dtype, stored);
      const q = logicalEntry('blk.0.attn_q.weight', dtype, [R, C], bufferSource('q', storedBytes), storedBytes.length, {
        format: 'gguf',
        decoder: 'ggml',
        scheme: 'none',
        values: dtype,
        params: { type: dtype, rotaryHeads: heads, reordered: 'rotary' },
      });
      const hfBytes = encodeFromFloat32(dtype, hf);
      const plain: TensorEntry = {
        name: 'blk.0.attn_q.weight',
        dtype,
        shape: [R, C],
        numel: R * C,
        byteLength: hfBytes.length,
        file: bufferSource('hf', hfBytes),
        offset: 0,
      };
      const fq = await fingerprintTensorFull(q, 64, 1, 100, () => {});
      const fp = await fingerprintTensorFull(plain, 64, 1, 100, () => {});
      expect(fq.sha256).toBe(fp.sha256);
      expect(fq.valueDigest).toBe(fp.valueDigest);
      expect(fq.encoding).toEqual({ format: 'gguf', scheme: 'none', decoded: true, reordered: 'rotary' });
      const sq = await fingerprintTensorSample(q, 64, 1);
      const sp = await fingerprintTensorSample(plain, 64, 1);
      expect(sq.sample).toEqual(sp.sample);
      // an arbitrary element range crossing heads
      const dec = openDecoder(q);
      expect(Buffer.from(await dec.read(37, 301))).toEqual(
        Buffer.from(hfBytes.subarray(37 * (dtype === 'F32' ? 4 : 2), 301 * (dtype === 'F32' ? 4 : 2))),
      );
      const grid = await readGridValues(dec, [1, 5, 30], [0, 3, 15], C);
      expect(Array.from(grid)).toEqual(
        [1, 5, 30].flatMap((r) =>
          [0, 3, 15].map((c) => (dtype === 'F32' ? hf[r * C + c]! : bf16Round(hf[r * C + c]!))),
        ),
      );
    }
  });

  it('a full fingerprint reads quantised bytes once: SHA-256 of the stored blocks from the decoding pass', async () => {
    const heads = 4;
    const R = heads * 8;
    const C = 256;
    const rand = mulberry32(12);
    const bytes = quantizeGgml(
      'Q4_K',
      Float32Array.from({ length: R * C }, () => rand() - 0.5),
    );
    for (const rotary of [false, true]) {
      const src = counting(bufferSource('q', bytes));
      const q = logicalEntry('blk.0.attn_k.weight', 'Q4_K', [R, C], src, bytes.length, {
        format: 'gguf',
        decoder: 'ggml',
        scheme: 'Q4_K',
        values: 'F32',
        params: rotary ? { type: 'Q4_K', rotaryHeads: heads, reordered: 'rotary' } : { type: 'Q4_K' },
      });
      // bands of two heads (2 × 8 rows × 256 = 16 blocks): several reads, each whole blocks
      const fq = await fingerprintTensorFull(q, 64, 1, 16 * 144, () => {});
      expect(src.reads.length, `rotary ${rotary}`).toBeGreaterThan(1);
      expect(src.reads.reduce((n, [, len]) => n + len, 0)).toBe(bytes.length);
      expect(fq.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      // bands decoded into reused buffers: the same values as decoding the tensor in one piece
      const whole = await openDecoder(q).read(0, R * C);
      const plain = plainEntry('blk.0.attn_k.weight', [R, C], new Float32Array(whole.slice().buffer));
      const fp = await fingerprintTensorFull(plain, 64, 1, 1 << 20, () => {});
      expect([fq.valueDigest, fq.moments, fq.sample]).toEqual([fp.valueDigest, fp.moments, fp.sample]);
    }
  });

  it('a recognised scheme without a decoder is fingerprinted by its bytes only', async () => {
    const data = new Uint8Array(66 * 4).fill(3);
    const q = logicalEntry('w', 'IQ2_XXS', [4, 256], bufferSource('q', data), data.length, {
      format: 'gguf',
      decoder: 'ggml',
      scheme: 'IQ2_XXS',
      params: { type: 'IQ2_XXS' },
    });
    const full = await fingerprintTensorFull(q, 64, 1, 1 << 20, () => {});
    expect(full.bytesOnly).toBe(true);
    expect(full.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(full.encoding).toEqual({ format: 'gguf', scheme: 'IQ2_XXS', decoded: false });
    const sample = await fingerprintTensorSample(q, 64, 1);
    expect(sample.bytesOnly).toBe(true);
    expect(sample.sample).toBeUndefined();
  });
});

function bf16Round(v: number): number {
  const b = encodeFromFloat32('BF16', Float32Array.of(v));
  return new Float32Array(new Uint32Array([(b[0]! | (b[1]! << 8)) << 16]).buffer)[0]!;
}
