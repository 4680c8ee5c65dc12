/**
 * Quantised-safetensors decoders against hostile sizes: a logical tensor of 2^28 values (1 GiB
 * as float32) in GPTQ, AWQ, NF4 and MXFP4 (sparse files: only the header and a few regions are
 * written) is fingerprinted in full with every read and every band bounded, and its mean is the
 * one its stored codes define (every value was decoded); sketches read a few KiB of a large
 * matrix; shapes that cannot be streamed are one-line InputErrors before anything is allocated.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDecoder, readGridValues, streamDecoded, toFloat32 } from '../../src/formats/decode.js';
import { openModel } from '../../src/formats/model.js';
import { MAX_BAND_VALUES } from '../../src/formats/quant/decoder.js';
import type { ByteSource, ModelSource, TensorEntry } from '../../src/formats/types.js';
import { fingerprintLogicalFull, fingerprintLogicalSample } from '../../src/fingerprint/logical.js';
import { NF4_VALUES } from '../../src/synth/quant-pack.js';
import { expectInputError, makeTempDir, rng } from './helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(async () => tmp.cleanup());

const ELEMENT_BYTES: Record<string, number> = { I32: 4, F32: 4, F16: 2, U8: 1, I8: 1, F8_E4M3: 1 };

interface SparseTensor {
  name: string;
  dtype: 'I32' | 'F32' | 'F16' | 'U8' | 'I8' | 'F8_E4M3';
  shape: number[];
  /** Byte regions written (the rest of the tensor is a hole: zeros). */
  regions?: Array<{ at: number; bytes: Uint8Array }>;
}

/**
 * A safetensors file of which only the header and the given regions are written (a sparse file),
 * in a model directory with config.json's quantization_config when given.
 */
async function writeSparse(name: string, tensors: SparseTensor[], config?: object): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir, { recursive: true });
  const header: Record<string, unknown> = {};
  let offset = 0;
  const starts: number[] = [];
  for (const t of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * ELEMENT_BYTES[t.dtype]!;
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    starts.push(offset);
    offset += bytes;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const path = join(dir, 'model.safetensors');
  const fh = await open(path, 'w');
  try {
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(text.length));
    await fh.write(prefix, 0, 8, 0);
    await fh.write(Buffer.from(text), 0, text.length, 8);
    const data = 8 + text.length;
    for (const [k, t] of tensors.entries()) {
      for (const r of t.regions ?? []) await fh.write(r.bytes, 0, r.bytes.length, data + starts[k]! + r.at);
    }
    await fh.truncate(data + offset);
  } finally {
    await fh.close();
  }
  if (config) await writeFile(join(dir, 'config.json'), JSON.stringify({ quantization_config: config }));
  return dir;
}

const randomBytes = (n: number, seed: number) => {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
};
const filled = (n: number, byte: number) => new Uint8Array(n).fill(byte);
const f16Ones = (n: number) => new Uint8Array(new Uint16Array(n).fill(0x3c00).buffer);
const f32Ones = (n: number) => new Uint8Array(new Float32Array(n).fill(1).buffer);

/**
 * A copy of a logical tensor whose parts read through a source that records its largest read and
 * counts reads; it has no local path, so decoders treat it as remote (each read a request).
 */
function recorded(t: TensorEntry): { entry: TensorEntry; largest: () => number; reads: () => number } {
  const file = t.file;
  let largest = 0;
  let reads = 0;
  const wrapped: ByteSource = {
    id: file.id,
    size: file.size,
    read: (offset, length) => {
      largest = Math.max(largest, length);
      reads++;
      return file.read(offset, length);
    },
    async *stream(offset, length, chunkSize) {
      for await (const chunk of file.stream(offset, length, chunkSize)) {
        largest = Math.max(largest, chunk.length);
        yield chunk;
      }
    },
    close: () => file.close(),
    bytesRead: () => file.bytesRead(),
  };
  const enc = t.encoding!;
  return {
    entry: { ...t, file: wrapped, encoding: { ...enc, parts: enc.parts.map((p) => ({ ...p, file: wrapped })) } },
    largest: () => largest,
    reads: () => reads,
  };
}

/** Full fingerprint in this thread, with the largest read, the largest band and the peak ArrayBuffer growth. */
async function fingerprintBounded(t: TensorEntry) {
  const { entry, largest } = recorded(t);
  let band = 0;
  const decoder = openDecoder(entry, { reuse: true });
  // the first bands show the band size (all but the last are equal); the fingerprint reads them all
  let seen = 0;
  for await (const b of streamDecoded(entry, decoder, 4 << 20)) {
    band = Math.max(band, b.values.length);
    if (++seen === 3) break;
  }
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  const fp = await fingerprintLogicalFull(entry, 1024, 1, 8 << 20, () => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
  });
  return { fp, band, read: largest(), peak };
}

/** Sum of f(nibble) over every nibble of the given regions (holes are zero bytes: f(0) each). */
function nibbleSum(regions: Uint8Array[], f: (nibble: number) => number): number {
  let s = 0;
  for (const r of regions) for (const b of r) s += f(b & 15) + f(b >> 4) - 2 * f(0);
  return s;
}

const N = 2 ** 28;
const GIB_OF_FLOAT32 = N * 4;

describe('a logical tensor of 2^28 values is fingerprinted in bounded pieces', () => {
  const check = async (m: ModelSource, name: string, expectedMean: number) => {
    const t = m.tensors.find((x) => x.name === name)!;
    expect(t.numel).toBe(N);
    const { fp, band, read, peak } = await fingerprintBounded(t);
    console.log(
      `${name} ${t.encoding!.scheme} [${t.shape}]: largest band ${band / 2 ** 20} MiB, largest read ` +
        `${(read / 2 ** 20).toFixed(1)} MiB, ArrayBuffers +${(peak / 2 ** 20).toFixed(0)} MiB at most ` +
        `(whole tensor as float32: ${GIB_OF_FLOAT32 / 2 ** 20} MiB)`,
    );
    expect(band).toBeLessThanOrEqual(MAX_BAND_VALUES * 4);
    expect(read).toBeLessThanOrEqual(8 << 20);
    expect(peak).toBeLessThan(GIB_OF_FLOAT32 / 4);
    // every value decoded: the mean is the stored codes' mean
    expect(fp.moments!.exact).toBe(true);
    expect(fp.moments!.nonFinite).toBe(0);
    expect(fp.moments!.mean).toBeCloseTo(expectedMean, 9);
  };

  it('GPTQ 4-bit [8, 2^25]: rows of 2^25 inputs decoded in pieces of one row', async () => {
    const out = 8;
    const inn = N / out;
    const words = (inn / 8) * out;
    const head = randomBytes(1 << 16, 1);
    const tail = randomBytes(1 << 16, 2);
    const dir = await writeSparse(
      'gptq-huge',
      [
        {
          name: 'l.qweight',
          dtype: 'I32',
          shape: [inn / 8, out],
          regions: [
            { at: 0, bytes: head },
            { at: words * 4 - tail.length, bytes: tail },
          ],
        },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn / 128, 1] },
        {
          name: 'l.scales',
          dtype: 'F16',
          shape: [inn / 128, out],
          regions: [{ at: 0, bytes: f16Ones((inn / 128) * out) }],
        },
      ],
      { quant_method: 'gptq', bits: 4, group_size: 128 },
    );
    const m = await openModel(dir);
    try {
      // stored zero 0 means 1: value = code − 1
      await check(m, 'l.weight', nibbleSum([head, tail], (q) => q) / N - 1);
      // a piece of the last row, against the codes written there
      const t = m.tensors[0]!;
      const d = openDecoder(t);
      const v = toFloat32(d.values, await d.read(N - 8, N));
      const lastWord = new DataView(tail.buffer).getInt32(tail.length - 4, true);
      expect(Array.from(v)).toEqual(Array.from({ length: 8 }, (_, i) => ((lastWord >>> (4 * i)) & 15) - 1));
    } finally {
      await m.close();
    }
  });

  it('AWQ [8, 2^25]: the same shape in AWQ nibble order', async () => {
    const inn = N / 8;
    const head = randomBytes(1 << 16, 3);
    const dir = await writeSparse(
      'awq-huge',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [inn, 1], regions: [{ at: 0, bytes: head }] },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn / 128, 1] },
        {
          name: 'l.scales',
          dtype: 'F16',
          shape: [inn / 128, 8],
          regions: [{ at: 0, bytes: f16Ones((inn / 128) * 8) }],
        },
      ],
      { quant_method: 'awq', bits: 4, group_size: 128, version: 'gemm' },
    );
    const m = await openModel(dir);
    try {
      await check(m, 'l.weight', nibbleSum([head], (q) => q) / N);
    } finally {
      await m.close();
    }
  });

  it('bitsandbytes NF4 [1, 2^28]: absmax read per band, never whole', async () => {
    const head = randomBytes(1 << 16, 4);
    const state = JSON.stringify({ quant_type: 'nf4', blocksize: 64, shape: [1, N] });
    const dir = await writeSparse('nf4-huge', [
      { name: 'l.weight', dtype: 'U8', shape: [N / 2, 1], regions: [{ at: 0, bytes: head }] },
      { name: 'l.weight.absmax', dtype: 'F32', shape: [N / 64], regions: [{ at: 0, bytes: f32Ones(N / 64) }] },
      {
        name: 'l.weight.quant_map',
        dtype: 'F32',
        shape: [16],
        regions: [{ at: 0, bytes: new Uint8Array(Float32Array.from(NF4_VALUES).buffer) }],
      },
      {
        name: 'l.weight.quant_state.bitsandbytes__nf4',
        dtype: 'U8',
        shape: [state.length],
        regions: [{ at: 0, bytes: new Uint8Array(Buffer.from(state)) }],
      },
    ]);
    const m = await openModel(dir);
    try {
      const code = (c: number) => Math.fround(NF4_VALUES[c]!);
      await check(m, 'l.weight', (nibbleSum([head], code) + N * code(0)) / N);
    } finally {
      await m.close();
    }
  });

  it('MXFP4 [1, 2^28] (gpt-oss blocks): groups of 32 decoded per band', async () => {
    const head = randomBytes(1 << 16, 5);
    const G = N / 32;
    const dir = await writeSparse('mxfp4-huge', [
      { name: 'e.down_proj_blocks', dtype: 'U8', shape: [1, G, 16], regions: [{ at: 0, bytes: head }] },
      { name: 'e.down_proj_scales', dtype: 'U8', shape: [1, G], regions: [{ at: 0, bytes: filled(G, 127) }] },
    ]);
    const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];
    const m = await openModel(dir);
    try {
      await check(m, 'e.down_proj', nibbleSum([head], (c) => E2M1[c]!) / N);
    } finally {
      await m.close();
    }
  });
});

describe('every other quantised scheme reads a [1, 2^28] tensor in bounded bands', () => {
  const nf4Map = new Uint8Array(Float32Array.from(NF4_VALUES).buffer);
  const nestedState = JSON.stringify({ blocksize: 64, shape: [1, N], nested_blocksize: 256, nested_offset: 0.5 });
  const cases: Array<[string, SparseTensor[], object | undefined]> = [
    [
      'compressed-tensors int4, groups of 32',
      [
        {
          name: 'l.weight_packed',
          dtype: 'I32',
          shape: [1, N / 8],
          regions: [{ at: 0, bytes: randomBytes(4096, 41) }],
        },
        { name: 'l.weight_scale', dtype: 'F32', shape: [1, N / 32], regions: [{ at: 0, bytes: f32Ones(1024) }] },
      ],
      { quant_method: 'compressed-tensors', config_groups: { g: { weights: { num_bits: 4, group_size: 32 } } } },
    ],
    [
      // codes without 0x7f/0xff (E4M3's NaN)
      'FP8 in 128×128 blocks',
      [
        {
          name: 'l.weight',
          dtype: 'F8_E4M3',
          shape: [1, N],
          regions: [{ at: 0, bytes: randomBytes(4096, 42).map((b) => b & 0x77) }],
        },
        { name: 'l.weight_scale_inv', dtype: 'F32', shape: [1, N / 128], regions: [{ at: 0, bytes: f32Ones(64) }] },
      ],
      undefined,
    ],
    [
      'LLM.int8 with SCB',
      [
        { name: 'l.weight', dtype: 'I8', shape: [1, N], regions: [{ at: 0, bytes: randomBytes(4096, 43) }] },
        { name: 'l.SCB', dtype: 'F32', shape: [1], regions: [{ at: 0, bytes: f32Ones(1) }] },
      ],
      undefined,
    ],
    [
      'bitsandbytes NF4 with nested absmax',
      [
        { name: 'l.weight', dtype: 'U8', shape: [N / 2, 1], regions: [{ at: 0, bytes: randomBytes(4096, 44) }] },
        { name: 'l.weight.absmax', dtype: 'U8', shape: [N / 64], regions: [{ at: 0, bytes: randomBytes(4096, 45) }] },
        { name: 'l.weight.quant_map', dtype: 'F32', shape: [16], regions: [{ at: 0, bytes: nf4Map }] },
        {
          name: 'l.weight.nested_absmax',
          dtype: 'F32',
          shape: [N / 64 / 256],
          regions: [{ at: 0, bytes: f32Ones(64) }],
        },
        { name: 'l.weight.nested_quant_map', dtype: 'F32', shape: [256], regions: [{ at: 0, bytes: f32Ones(256) }] },
        {
          name: 'l.weight.quant_state.bitsandbytes__nf4',
          dtype: 'U8',
          shape: [nestedState.length],
          regions: [{ at: 0, bytes: new Uint8Array(Buffer.from(nestedState)) }],
        },
      ],
      undefined,
    ],
  ];
  it.each(cases)('%s', async (label, tensors, config) => {
    const m = await openModel(await writeSparse(`bands-${label.replace(/\W+/g, '-')}`, tensors, config));
    try {
      const t = m.tensors.find((x) => x.encoding)!;
      expect(t.numel).toBe(N);
      const { entry, largest } = recorded(t);
      const d = openDecoder(entry, { reuse: true });
      const band = d.bandElements(4 << 20);
      expect(band).toBeLessThanOrEqual(MAX_BAND_VALUES);
      // the first two bands and the last one
      for (const start of [0, band, N - band]) {
        const v = toFloat32(d.values, await d.read(start, start + band));
        expect(v.length).toBe(band);
        expect(v.every((x) => Number.isFinite(x))).toBe(true);
      }
      expect(largest()).toBeLessThanOrEqual(8 << 20);
    } finally {
      await m.close();
    }
  });
});

describe('shapes that cannot be streamed are refused before anything is allocated', () => {
  it('GPTQ [1, 2^30]: zeros of one output column cannot be packed in 32-bit words', async () => {
    const dir = await writeSparse(
      'gptq-one-column',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [2 ** 27, 1] },
        { name: 'l.qzeros', dtype: 'I32', shape: [2 ** 23, 1] },
        { name: 'l.scales', dtype: 'F16', shape: [2 ** 23, 1] },
      ],
      { quant_method: 'gptq', bits: 4, group_size: 128 },
    );
    await expectInputError(openModel(dir), dir, 'qzeros rows of 1 words do not pack 1 zeros at 4 bits');
  });

  it('GPTQ rows of 2^24 inputs over 64 output columns: one read per packed word, refused', async () => {
    const inn = 2 ** 24;
    const dir = await writeSparse(
      'gptq-wide-long',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [inn / 8, 64] },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn / 128, 8] },
        { name: 'l.scales', dtype: 'F16', shape: [inn / 128, 64] },
      ],
      { quant_method: 'gptq', bits: 4, group_size: 128 },
    );
    const m = await openModel(dir);
    try {
      const t = m.tensors[0]!;
      const before = t.file.bytesRead();
      await expectInputError(
        fingerprintLogicalFull(t, 1024, 1, 8 << 20, () => {}),
        join(dir, 'model.safetensors'),
        'tensor "l.weight": decoding part of a row of 16777216 inputs would take',
        'more than 262144',
      );
      expect(t.file.bytesRead() - before).toBe(0);
    } finally {
      await m.close();
    }
  });

  it('while an AWQ down_proj of 73,728 inputs (Nemotron-4-340B) decodes: one read per input row a band', async () => {
    const out = 4096;
    const inn = 73728;
    const dir = await writeSparse(
      'awq-wide',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [inn, out / 8], regions: [{ at: 0, bytes: randomBytes(4096, 31) }] },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn / 128, out / 8] },
        {
          name: 'l.scales',
          dtype: 'F16',
          shape: [inn / 128, out],
          regions: [{ at: 0, bytes: f16Ones((inn / 128) * out) }],
        },
      ],
      { quant_method: 'awq', bits: 4, group_size: 128, version: 'gemm' },
    );
    const m = await openModel(dir);
    try {
      const t = m.tensors[0]!;
      const d = openDecoder(t, { reuse: true });
      const band = d.bandElements(4 << 20);
      expect(band % inn).toBe(0);
      const v = toFloat32('F32', await d.read(0, band));
      // input row 0 holds outputs 0..1023 in its first 128 words: output o's first value is its code
      const words = new Int32Array(randomBytes(4096, 31).buffer);
      const order = [0, 2, 4, 6, 1, 3, 5, 7];
      for (const o of [0, 1, 7, 8, band / inn - 1]) {
        expect(v[o * inn]).toBe((words[o >> 3]! >>> (4 * order.indexOf(o & 7))) & 15);
      }
    } finally {
      await m.close();
    }
  });

  it('act-order GPTQ whose g_idx spreads one piece over 2^24 groups: refused, naming the limit', async () => {
    const inn = 2 ** 24;
    const gIdx = new Uint8Array(new Int32Array([0, inn - 1]).buffer);
    const dir = await writeSparse(
      'gptq-gidx-spread',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [inn / 8, 8] },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn, 1] },
        { name: 'l.scales', dtype: 'F16', shape: [inn, 8] },
        { name: 'l.g_idx', dtype: 'I32', shape: [inn], regions: [{ at: 0, bytes: gIdx }] },
      ],
      { quant_method: 'gptq', bits: 4, group_size: 1 },
    );
    const m = await openModel(dir);
    try {
      await expectInputError(
        fingerprintLogicalFull(m.tensors[0]!, 1024, 1, 8 << 20, () => {}),
        join(dir, 'model.safetensors'),
        'needs scales of 16777216 groups',
        'more than 8388608',
      );
    } finally {
      await m.close();
    }
  });
});

describe('sketches of large quantised matrices read the sampled runs only', () => {
  // [4096, 14336] (a 7B MLP down/up projection) in each scheme; holes are zeros
  const out = 4096;
  const inn = 14336;
  const cases: Array<[string, SparseTensor[], object | undefined, string]> = [
    [
      'gptq',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [inn / 8, out] },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn / 128, out / 8] },
        { name: 'l.scales', dtype: 'F16', shape: [inn / 128, out] },
        { name: 'l.g_idx', dtype: 'I32', shape: [inn] },
      ],
      { quant_method: 'gptq', bits: 4, group_size: 128 },
      'l.weight',
    ],
    [
      'awq',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [inn, out / 8] },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn / 128, out / 8] },
        { name: 'l.scales', dtype: 'F16', shape: [inn / 128, out] },
      ],
      { quant_method: 'awq', bits: 4, group_size: 128, version: 'gemm' },
      'l.weight',
    ],
    [
      'nf4',
      [
        { name: 'l.weight', dtype: 'U8', shape: [(out * inn) / 2, 1] },
        { name: 'l.weight.absmax', dtype: 'F32', shape: [(out * inn) / 64] },
        { name: 'l.weight.quant_map', dtype: 'F32', shape: [16] },
        {
          name: 'l.weight.quant_state.bitsandbytes__nf4',
          dtype: 'U8',
          shape: [JSON.stringify({ blocksize: 64, shape: [out, inn] }).length],
          regions: [
            { at: 0, bytes: new Uint8Array(Buffer.from(JSON.stringify({ blocksize: 64, shape: [out, inn] }))) },
          ],
        },
      ],
      undefined,
      'l.weight',
    ],
    [
      'mxfp4',
      [
        { name: 'e.up_blocks', dtype: 'U8', shape: [out, inn / 32, 16] },
        { name: 'e.up_scales', dtype: 'U8', shape: [out, inn / 32] },
      ],
      undefined,
      'e.up',
    ],
  ];
  it.each(cases)('%s: a sketch reads a few KiB of the matrix', async (label, tensors, config, name) => {
    const m = await openModel(await writeSparse(`sketch-${label}`, tensors, config));
    try {
      const t = m.tensors.find((x) => x.name === name)!;
      expect(t.shape).toEqual([out, inn]);
      const before = t.file.bytesRead();
      const fp = await fingerprintLogicalSample(t, 4096, 7);
      const read = t.file.bytesRead() - before;
      console.log(`sketch of ${label} [${out}, ${inn}] (${t.byteLength} bytes stored): read ${read} bytes`);
      expect(fp.sample).toBeDefined();
      // 3 sampled rows × ~1,366 columns of packed codes plus their scales: a few KiB, never the
      // whole scales / absmax part or every column of a row
      expect(read).toBeLessThan(64 * 1024);
    } finally {
      await m.close();
    }
  });
});

describe('grid reads and band reads decode the same values', () => {
  it('GPTQ 3-bit act-order: readGrid equals the same elements read in bands', async () => {
    const out = 64;
    const inn = 256;
    const r = rng(11);
    const qweight = randomBytes(((inn * 3) / 32) * out * 4, 12);
    const qzeros = randomBytes((inn / 32) * ((out * 3) / 32) * 4, 13);
    const scales = new Uint8Array(
      new Uint16Array(Array.from({ length: (inn / 32) * out }, () => 0x3000 + Math.floor(r() * 0x1000))).buffer,
    );
    const gIdx = new Uint8Array(Int32Array.from({ length: inn }, () => Math.floor(r() * (inn / 32))).buffer);
    const dir = await writeSparse(
      'gptq3-grid',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [(inn * 3) / 32, out], regions: [{ at: 0, bytes: qweight }] },
        { name: 'l.qzeros', dtype: 'I32', shape: [inn / 32, (out * 3) / 32], regions: [{ at: 0, bytes: qzeros }] },
        { name: 'l.scales', dtype: 'F16', shape: [inn / 32, out], regions: [{ at: 0, bytes: scales }] },
        { name: 'l.g_idx', dtype: 'I32', shape: [inn], regions: [{ at: 0, bytes: gIdx }] },
      ],
      { quant_method: 'gptq', bits: 3, group_size: 32 },
    );
    const m = await openModel(dir);
    try {
      const t = m.tensors[0]!;
      const whole = toFloat32('F32', await openDecoder(t).read(0, t.numel));
      const rows = [0, 5, 6, 63];
      const cols = [0, 1, 10, 11, 31, 32, 100, 255];
      const grid = await readGridValues(openDecoder(t), rows, cols, inn);
      expect(Array.from(grid)).toEqual(rows.flatMap((o) => cols.map((i) => whole[o * inn + i]!)));
      // a read starting and ending mid-row
      const part = toFloat32('F32', await openDecoder(t).read(inn + 7, 3 * inn + 5));
      expect(Array.from(part)).toEqual(Array.from(whole.subarray(inn + 7, 3 * inn + 5)));
    } finally {
      await m.close();
    }
  });
});

describe('a sketch over the network makes a bounded number of requests', () => {
  it('GPTQ lm_head [131072, 4096] (sampled token rows in full): the same sketch as from a local file', async () => {
    const out = 131072;
    const inn = 4096;
    const dir = await writeSparse(
      'gptq-lm-head',
      [
        {
          name: 'lm_head.qweight',
          dtype: 'I32',
          shape: [inn / 8, out],
          regions: [{ at: 0, bytes: randomBytes(1 << 20, 21) }],
        },
        {
          name: 'lm_head.qzeros',
          dtype: 'I32',
          shape: [inn / 128, out / 8],
          regions: [{ at: 0, bytes: randomBytes(1 << 16, 22) }],
        },
        {
          name: 'lm_head.scales',
          dtype: 'F16',
          shape: [inn / 128, out],
          regions: [{ at: 0, bytes: f16Ones((inn / 128) * out) }],
        },
      ],
      { quant_method: 'gptq', bits: 4, group_size: 128 },
    );
    const m = await openModel(dir);
    try {
      const t = m.tensors[0]!;
      const local = await fingerprintLogicalSample(t, 4096, 3);
      expect(local.fullRows).toBeDefined();
      const remote = recorded(t);
      const fp = await fingerprintLogicalSample(remote.entry, 4096, 3);
      console.log(`sketch of a GPTQ lm_head [${out}, ${inn}] over a remote-like source: ${remote.reads()} reads`);
      expect(fp).toEqual(local);
      // packed words, scales, zeros: at most 512 requests each
      expect(remote.reads()).toBeLessThanOrEqual(3 * 512);
    } finally {
      await m.close();
    }
  });
});
