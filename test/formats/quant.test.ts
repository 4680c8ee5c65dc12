/**
 * Quantised safetensors checkpoints: hand-packed parts decode to the values their convention
 * defines (bit order, nibble order, zero offsets, scale layouts), real weights packed by each
 * scheme come back within its rounding and compare `identical` ("quantised copy"), a drifted copy
 * then quantised is `derived`, and parts that contradict each other are one-line InputErrors.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/compare/index.js';
import { drift, readHfModel, writeQuantisedModel, type HfModel, type QuantScheme } from '../../src/eval/formats.js';
import { openDecoder, toFloat32 } from '../../src/formats/decode.js';
import { openModel } from '../../src/formats/model.js';
import type { ModelSource } from '../../src/formats/types.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { SHARED } from '../fingerprint/signature-helpers.js';
import { expectInputError, makeTempDir, writeBytes } from './helpers.js';

const EN10 = join(SHARED, 'realmodels/llama2c/EN10_babyllama_tok361');
const HAVE = existsSync(EN10);
if (!HAVE) console.warn(`${EN10} not found: quantised real-weight tests skipped (CI has ../shared)`);

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(async () => tmp.cleanup());

const i32 = (w: number[]) => new Uint8Array(Int32Array.from(w).buffer);
const f32 = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
const f16 = (v: number[]) => {
  // exact halves only (powers of two and small integers), written by hand
  const out = new Uint16Array(v.length);
  v.forEach((x, i) => {
    const e = Math.floor(Math.log2(Math.abs(x)));
    out[i] = (x < 0 ? 0x8000 : 0) | ((e + 15) << 10) | Math.round((Math.abs(x) / 2 ** e - 1) * 1024);
  });
  return new Uint8Array(out.buffer);
};

async function openWritten(name: string, tensors: TensorToWrite[], config?: object): Promise<ModelSource> {
  const dir = join(tmp.dir, name);
  await writeBytes(tmp.dir, `${name}.safetensors`, encodeSafetensors(tensors));
  if (config) {
    const { mkdir, writeFile, rename } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await rename(join(tmp.dir, `${name}.safetensors`), join(dir, 'model.safetensors'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ quantization_config: config }));
    return openModel(dir);
  }
  return openModel(join(tmp.dir, `${name}.safetensors`));
}

async function values(m: ModelSource, name: string): Promise<number[]> {
  const t = m.tensors.find((x) => x.name === name);
  if (!t) throw new Error(`no ${name} in ${m.tensors.map((x) => x.name).join(', ')}`);
  const d = openDecoder(t);
  return Array.from(toFloat32(d.values, await d.read(0, t.numel)));
}

describe('hand-packed parts decode by their conventions', () => {
  it('GPTQ 3-bit: a little-endian bit stream along the input axis, zeros stored minus one', async () => {
    // one output column, 32 inputs: codes 0..7 repeating; 3·32 = 96 bits = 3 words
    const codes = Array.from({ length: 32 }, (_, i) => i % 8);
    const words = [0, 0, 0];
    codes.forEach((c, i) => {
      const bit = 3 * i;
      words[bit >> 5]! |= c << (bit & 31);
      if ((bit & 31) + 3 > 32) words[(bit >> 5) + 1]! |= c >>> (32 - (bit & 31));
    });
    // out = 32 columns would need 3 zero words; use out = 32, column o has codes shifted by o
    const out = 32;
    const qweight = new Int32Array(3 * out);
    for (let o = 0; o < out; o++) for (let r = 0; r < 3; r++) qweight[r * out + o] = words[r]! | 0;
    const zeroWords = [0, 0, 0];
    for (let o = 0; o < out; o++) {
      const z = 2; // stored zero 2 → effective 3
      const bit = 3 * o;
      zeroWords[bit >> 5]! |= z << (bit & 31);
      if ((bit & 31) + 3 > 32) zeroWords[(bit >> 5) + 1]! |= z >>> (32 - (bit & 31));
    }
    const m = await openWritten(
      'gptq3',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [3, out], data: new Uint8Array(qweight.buffer) },
        { name: 'l.qzeros', dtype: 'I32', shape: [1, 3], data: i32(zeroWords) },
        {
          name: 'l.scales',
          dtype: 'F16',
          shape: [1, out],
          data: f16(Array.from({ length: out }, (_, o) => 2 ** (o % 4))),
        },
      ],
      { quant_method: 'gptq', bits: 3, group_size: -1 },
    );
    try {
      const t = m.tensors.find((x) => x.name === 'l.weight')!;
      expect([t.dtype, t.shape, t.encoding?.scheme]).toEqual(['INT3', [out, 32], 'gptq-int3-gall']);
      const v = await values(m, 'l.weight');
      for (let o = 0; o < out; o++)
        for (let i = 0; i < 32; i++) expect(v[o * 32 + i]).toBe(2 ** (o % 4) * ((i % 8) - 3));
    } finally {
      await m.close();
    }
  });

  it('GPTQ act-order: each input takes its scale and zero from the group g_idx names', async () => {
    // 4-bit, 8 inputs in one word per column, two groups assigned by g_idx
    const gIdx = [1, 0, 1, 0, 0, 1, 1, 0];
    const codes = [9, 9, 9, 9, 9, 9, 9, 9];
    const word = codes.reduce((w, c, i) => w | (c << (4 * i)), 0);
    const m = await openWritten('gptq-act', [
      { name: 'l.qweight', dtype: 'I32', shape: [1, 8], data: i32(Array(8).fill(word)) },
      // zeros (stored minus one): group 0 → 0 (effective 1), group 1 → 3 (effective 4), 8 columns a word
      { name: 'l.qzeros', dtype: 'I32', shape: [2, 1], data: i32([0, 0x33333333]) },
      { name: 'l.scales', dtype: 'F16', shape: [2, 8], data: f16([...Array(8).fill(0.5), ...Array(8).fill(2)]) },
      { name: 'l.g_idx', dtype: 'I32', shape: [8], data: i32(gIdx) },
    ]);
    try {
      const v = await values(m, 'l.weight');
      for (let o = 0; o < 8; o++)
        for (let i = 0; i < 8; i++) expect(v[o * 8 + i]).toBe(gIdx[i] ? 2 * (9 - 4) : 0.5 * (9 - 1));
    } finally {
      await m.close();
    }
  });

  it('AWQ: output columns in the nibble order [0, 2, 4, 6, 1, 3, 5, 7], zeros not offset', async () => {
    // column c of input row i has code c (c < 8); AWQ puts column ORDER[k] in nibble k
    const order = [0, 2, 4, 6, 1, 3, 5, 7];
    const word = order.reduce((w, col, k) => w | (col << (4 * k)), 0);
    const m = await openWritten(
      'awq',
      [
        { name: 'l.qweight', dtype: 'I32', shape: [2, 1], data: i32([word, word]) },
        { name: 'l.qzeros', dtype: 'I32', shape: [1, 1], data: i32([0x11111111]) },
        { name: 'l.scales', dtype: 'F16', shape: [1, 8], data: f16(Array(8).fill(1)) },
      ],
      { quant_method: 'awq', bits: 4, group_size: 2, version: 'gemm' },
    );
    try {
      expect(await values(m, 'l.weight')).toEqual([-1, -1, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    } finally {
      await m.close();
    }
  });

  it('compressed-tensors pack-quantized: codes offset by 8, packed along the row; per-group scales', async () => {
    // row of 8 values: signed codes -8..7 step 2 → stored +8
    const signed = [-8, -6, -4, -2, 0, 2, 4, 6];
    const word = signed.reduce((w, c, i) => w | ((c + 8) << (4 * i)), 0);
    const m = await openWritten(
      'ct',
      [
        { name: 'l.weight_packed', dtype: 'I32', shape: [1, 1], data: i32([word]) },
        { name: 'l.weight_scale', dtype: 'F32', shape: [1, 2], data: f32([1, 0.25]) },
        { name: 'l.weight_shape', dtype: 'I64', shape: [2], data: new Uint8Array(BigInt64Array.of(1n, 8n).buffer) },
      ],
      { quant_method: 'compressed-tensors', config_groups: { g: { weights: { num_bits: 4, group_size: 4 } } } },
    );
    try {
      expect(await values(m, 'l.weight')).toEqual([-8, -6, -4, -2, 0, 0.5, 1, 1.5]);
      expect(m.tensors.map((t) => t.name)).toEqual(['l.weight']);
    } finally {
      await m.close();
    }
  });

  it('FP8 with 128×128 weight_scale_inv blocks multiplies each block by its scale', async () => {
    // 2×130 weight of E4M3 1.0 (0x38), blocks: columns 0–127 and 128–129
    const m = await openWritten('fp8', [
      { name: 'l.weight', dtype: 'F8_E4M3', shape: [2, 130], data: new Uint8Array(260).fill(0x38) },
      { name: 'l.weight_scale_inv', dtype: 'F32', shape: [1, 2], data: f32([0.5, 3]) },
    ]);
    try {
      const v = await values(m, 'l.weight');
      expect(v.slice(0, 130)).toEqual([...Array(128).fill(0.5), 3, 3]);
      expect(m.tensors[0]!.encoding?.scheme).toBe('fp8-block128x128');
    } finally {
      await m.close();
    }
  });

  it('MXFP4: E2M1 low nibble first, E8M0 scale 2^(s−127); bitsandbytes NF4: high nibble first', async () => {
    const blocks = new Uint8Array(16);
    blocks[0] = 0x2f; // low 0xf = -6, high 0x2 = 1
    const m = await openWritten('mx', [
      { name: 'experts.down_proj_blocks', dtype: 'U8', shape: [1, 1, 16], data: blocks },
      { name: 'experts.down_proj_scales', dtype: 'U8', shape: [1, 1], data: Uint8Array.of(126) },
    ]);
    try {
      const v = await values(m, 'experts.down_proj');
      expect(v.slice(0, 3)).toEqual([-3, 0.5, 0]);
      expect(m.tensors[0]).toMatchObject({ dtype: 'MXFP4', shape: [1, 32] });
    } finally {
      await m.close();
    }
    const state = JSON.stringify({ quant_type: 'nf4', blocksize: 4, shape: [2, 4] });
    const map = Array.from({ length: 16 }, (_, i) => i / 8 - 1);
    const b = await openWritten('nf4', [
      { name: 'l.weight', dtype: 'U8', shape: [4, 1], data: Uint8Array.of(0xf0, 0x08, 0x12, 0x34) },
      { name: 'l.weight.absmax', dtype: 'F32', shape: [2], data: f32([1, 2]) },
      { name: 'l.weight.quant_map', dtype: 'F32', shape: [16], data: f32(map) },
      {
        name: 'l.weight.quant_state.bitsandbytes__nf4',
        dtype: 'U8',
        shape: [state.length],
        data: new Uint8Array(Buffer.from(state)),
      },
    ]);
    try {
      // codes f,0,0,8 | 1,2,3,4; value = map[code] · absmax[block]
      expect(await values(b, 'l.weight')).toEqual([
        0.875,
        -1,
        -1,
        0,
        (1 / 8 - 1) * 2,
        (2 / 8 - 1) * 2,
        (3 / 8 - 1) * 2,
        (4 / 8 - 1) * 2,
      ]);
      expect(b.tensors.map((t) => t.name)).toEqual(['l.weight']);
    } finally {
      await b.close();
    }
  });

  it('parts that contradict each other are one-line InputErrors naming the checkpoint', async () => {
    const path = await writeBytes(
      tmp.dir,
      'bad-fp8.safetensors',
      encodeSafetensors([
        { name: 'l.weight', dtype: 'F8_E4M3', shape: [2, 130], data: new Uint8Array(260) },
        { name: 'l.weight_scale_inv', dtype: 'F32', shape: [3, 2], data: new Uint8Array(24) },
      ]),
    );
    await expectInputError(openModel(path), path, 'weight_scale_inv [3, 2] does not tile [2, 130]');
    const gptq = await writeBytes(
      tmp.dir,
      'bad-gptq.safetensors',
      encodeSafetensors([
        { name: 'l.qweight', dtype: 'I32', shape: [1, 8], data: new Uint8Array(32) },
        { name: 'l.qzeros', dtype: 'I32', shape: [1, 1], data: new Uint8Array(4) },
        { name: 'l.scales', dtype: 'F16', shape: [1, 8], data: new Uint8Array(16) },
        { name: 'l.g_idx', dtype: 'I32', shape: [12], data: new Uint8Array(48) },
      ]),
    );
    await expectInputError(openModel(gptq), gptq, 'qweight rows 1 do not pack 12 inputs');
  });
});

describe.skipIf(!HAVE)('real weights in every quantised-safetensors scheme', () => {
  let base: HfModel;
  let ref: FingerprintDocument;
  beforeAll(async () => {
    base = await readHfModel(EN10);
    ref = await loadFingerprint(EN10);
  });

  // relative RMS rounding error of each scheme on these weights
  // (measured: 0.09, 0.19, 0.005, 0.09, 0.10, 0.026, 0.026, 0.12, 0.09)
  const BOUND: Record<QuantScheme, number> = {
    'gptq-4': 0.12,
    'gptq-3': 0.25,
    'gptq-8-act': 0.01,
    awq: 0.12,
    'ct-4': 0.13,
    'fp8-block': 0.04,
    'fp8-channel': 0.04,
    mxfp4: 0.15,
    nf4: 0.12,
  };
  it.each(Object.keys(BOUND) as QuantScheme[])(
    '%s: decoded within rounding, a quantised copy; drifted then quantised is derived',
    async (scheme) => {
      const dir = await writeQuantisedModel(base, scheme, join(tmp.dir, `q-${scheme}`));
      const m = await openModel(dir);
      try {
        const t = m.tensors.find((x) => x.name === 'model.layers.2.mlp.down_proj.weight')!;
        expect(t.shape).toEqual([128, 352]);
        expect(t.encoding?.format).toBe('safetensors');
        const v = await values(m, t.name);
        const src = base.tensors.find((x) => x.name === t.name)!.values;
        let e = 0;
        let n = 0;
        for (let i = 0; i < v.length; i++) {
          e += (v[i]! - src[i]!) ** 2;
          n += src[i]! ** 2;
        }
        const rel = Math.sqrt(e / n);
        expect(rel).toBeLessThan(BOUND[scheme]);
        expect(rel).toBeGreaterThan(0.001);
        // every quantised part was grouped: no qweight/scales/blocks left as tensors
        expect(
          m.tensors.filter((x) => /qweight|qzeros|scales|_blocks|absmax|weight_scale|weight_packed/.test(x.name)),
        ).toEqual([]);
      } finally {
        await m.close();
      }
      const copy = compareModels(ref, await loadFingerprint(dir));
      expect(copy.verdict).toBe('identical');
      expect(copy.reason).toMatch(/^quantised copy: /);
      const sketch = compareModels(ref, await loadFingerprint(dir, { mode: 'sample' }));
      expect(sketch.verdict).toBe('identical');
      const tuned = await writeQuantisedModel(drift(base, 0.1, 5), scheme, join(tmp.dir, `qd-${scheme}`));
      const r = compareModels(ref, await loadFingerprint(tuned));
      expect(r.verdict).toBe('derived');
      expect(r.reason).toContain('stored quantised');
    },
  );
});
