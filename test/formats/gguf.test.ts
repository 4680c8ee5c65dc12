/**
 * The GGUF reader: llama.cpp's real conversion of stories260K, generated files of every compared
 * type, split files, directories with several quantisations, and every structural defect as a
 * one-line InputError (exit 2 at the CLI), never a crash or a silently different model.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToFloat32 } from '../../src/formats/dtypes.js';
import { bufferSource } from '../../src/formats/file-source.js';
import { openDecoder, toFloat32 } from '../../src/formats/decode.js';
import { DECODED_GGML_TYPES, ggmlTypeByName } from '../../src/formats/gguf/ggml.js';
import { precisionRank, pickGgufFiles } from '../../src/formats/gguf/model.js';
import { readGgufHeader, tensorEntry } from '../../src/formats/gguf/reader.js';
import { openModel } from '../../src/formats/model.js';
import type { ModelSource } from '../../src/formats/types.js';
import { fingerprintModel, fingerprintTensorFull } from '../../src/fingerprint/model.js';
import { quantizeGgml, QUANTISABLE_GGML_TYPES } from '../../src/synth/ggml-quantize.js';
import { encodeGguf, type GgufMetaValue } from '../../src/synth/gguf-writer.js';
import { hfToGguf, type HfTensor } from '../../src/synth/to-gguf.js';
import { SHARED } from '../fingerprint/signature-helpers.js';
import { expectInputError, makeTempDir, writeBytes } from './helpers.js';
import { mulberry32 } from './ggml-helpers.js';

const STORIES_GGUF = join(SHARED, 'realmodels/formats/stories260K.gguf');
const STORIES_HF = join(SHARED, 'realmodels/llama2c/karpathy_stories260K');
const HAVE_STORIES = existsSync(STORIES_GGUF) && existsSync(STORIES_HF);
if (!HAVE_STORIES) console.warn(`${STORIES_GGUF} not found: real GGUF tests skipped (CI has ../shared)`);

async function hfTensors(dir: string): Promise<HfTensor[]> {
  const m = await openModel(dir);
  try {
    const out: HfTensor[] = [];
    for (const t of m.tensors) {
      out.push({
        name: t.name,
        shape: t.shape,
        values: decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength)),
      });
    }
    return out;
  } finally {
    await m.close();
  }
}

async function readAll(m: ModelSource, name: string): Promise<Float32Array> {
  const t = m.tensors.find((x) => x.name === name)!;
  if (!t.encoding) return decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength));
  const d = openDecoder(t);
  return toFloat32(d.values, await d.read(0, t.numel));
}

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(async () => tmp.cleanup());

describe.skipIf(!HAVE_STORIES)('stories260K.gguf (llama.cpp’s own conversion)', () => {
  it('reads 48 F32 tensors in HF shapes; q/k come back in HF row order, bit for bit', async () => {
    const g = await openModel(STORIES_GGUF);
    const hf = await hfTensors(STORIES_HF);
    try {
      expect(g.format).toBe('gguf');
      expect(g.tensors).toHaveLength(48);
      expect(new Set(g.tensors.map((t) => t.dtype))).toEqual(new Set(['F32']));
      const embd = g.tensors.find((t) => t.name === 'token_embd.weight')!;
      expect(embd.shape).toEqual([512, 64]);
      expect(embd.encoding).toBeUndefined(); // plain: read exactly like safetensors
      const q = g.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!;
      expect(q.encoding?.params).toMatchObject({ rotaryHeads: 8, reordered: 'rotary' });
      const k = g.tensors.find((t) => t.name === 'blk.3.attn_k.weight')!;
      expect(k.shape).toEqual([32, 64]);
      expect(k.encoding?.params.rotaryHeads).toBe(4);
      const pairs: Array<[string, string]> = [
        ['blk.0.attn_q.weight', 'model.layers.0.self_attn.q_proj.weight'],
        ['blk.3.attn_k.weight', 'model.layers.3.self_attn.k_proj.weight'],
        ['blk.4.ffn_down.weight', 'model.layers.4.mlp.down_proj.weight'],
        ['token_embd.weight', 'model.embed_tokens.weight'],
      ];
      for (const [gn, hn] of pairs) {
        expect(Buffer.from((await readAll(g, gn)).buffer)).toEqual(
          Buffer.from(hf.find((t) => t.name === hn)!.values.buffer),
        );
      }
      // stored (unpermuted) q differs: the permutation was really undone, not absent
      const raw = await q.file.read(q.offset, q.byteLength);
      expect(Buffer.from(raw)).not.toEqual(
        Buffer.from(hf.find((t) => t.name === 'model.layers.0.self_attn.q_proj.weight')!.values.buffer),
      );
    } finally {
      await g.close();
    }
  });

  it('fingerprint: GGUF format, llama.cpp names grouped like HF ones, tokenizer and config from metadata', async () => {
    const g = await openModel(STORIES_GGUF);
    try {
      const doc = await fingerprintModel(g, { mode: 'full' });
      expect(doc.source.format).toBe('gguf');
      expect(doc.components.map((c) => c.kind).sort()).toEqual(['embeddings', 'head', 'text']);
      expect(doc.tokenizer?.format).toBe('sentencepiece');
      expect(doc.tokenizer?.vocabSize).toBe(512);
      expect(doc.config).toMatchObject({ modelType: 'llama', hiddenSize: 64, layers: 5, heads: 8, kvHeads: 4 });
      const q = doc.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!;
      expect(q.encoding).toEqual({ format: 'gguf', scheme: 'none', decoded: true, reordered: 'rotary' });
      expect(doc.tensors.find((t) => t.name === 'token_embd.weight')!.fullRows).toBeDefined();
    } finally {
      await g.close();
    }
  });
});

describe.skipIf(!HAVE_STORIES)('generated GGUF copies of real weights', () => {
  it('every compared type decodes to what the reference quantiser wrote, through the model source', async () => {
    const hf = await hfTensors(join(SHARED, 'realmodels/llama2c/EN10_babyllama_tok361'));
    // k-quants need rows of 256: lay each matrix out 256 wide (same values, row-major)
    const wide = hf.map((t) =>
      t.shape.length === 2 && t.values.length % 256 === 0 ? { ...t, shape: [t.values.length / 256, 256] } : t,
    );
    for (const type of QUANTISABLE_GGML_TYPES) {
      const bytes = hfToGguf(wide, { type, heads: 8, kvHeads: 4 });
      const path = await writeBytes(tmp.dir, `en10-${type}.gguf`, bytes);
      const m = await openModel(path);
      try {
        const up = m.tensors.find((t) => t.name === 'blk.2.ffn_up.weight')!;
        expect(up.dtype).toBe(type);
        expect(up.encoding?.scheme).toBe(type);
        const src = wide.find((t) => t.name === 'model.layers.2.mlp.up_proj.weight')!;
        const want = new Float32Array(src.values.length);
        const g = ggmlTypeByName(type)!;
        g.dequantize!(quantizeGgml(type, src.values), 0, src.values.length / g.blockElems, want, 0);
        expect(Array.from(await readAll(m, 'blk.2.ffn_up.weight'))).toEqual(Array.from(want));
        // q is both quantised and permuted: decode, then rows back in HF order
        const qsrc = wide.find((t) => t.name === 'model.layers.1.self_attn.q_proj.weight')!;
        const qv = await readAll(m, 'blk.1.attn_q.weight');
        let err = 0;
        let norm = 0;
        for (let i = 0; i < qv.length; i++) {
          err += (qv[i]! - qsrc.values[i]!) ** 2;
          norm += qsrc.values[i]! ** 2;
        }
        expect(Math.sqrt(err / norm)).toBeLessThan(type === 'Q2_K' ? 0.5 : 0.3);
      } finally {
        await m.close();
      }
    }
  });

  it('a type this reader does not decode is listed by name, not an error for the whole model', async () => {
    const bytes = encodeGguf(
      [['general.architecture', { type: 'string', value: 'test' }]],
      [
        { name: 'a.weight', ne: [256, 2], type: 'IQ2_XXS', data: new Uint8Array(2 * 66).fill(5) },
        { name: 'b.weight', ne: [64, 4], type: 'F32', data: new Uint8Array(64 * 4 * 4) },
      ],
    );
    const m = await openModel(await writeBytes(tmp.dir, 'iq2.gguf', bytes));
    try {
      const doc = await fingerprintModel(m, { mode: 'full' });
      const a = doc.tensors.find((t) => t.name === 'a.weight')!;
      expect(a).toMatchObject({ dtype: 'IQ2_XXS', bytesOnly: true, encoding: { scheme: 'IQ2_XXS', decoded: false } });
      expect(doc.tensors.find((t) => t.name === 'b.weight')!.bytesOnly).toBeUndefined();
    } finally {
      await m.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

function tiny(
  meta: Array<[string, GgufMetaValue]> = [],
  extra: Array<{ name: string; ne: number[]; type: string; data: Uint8Array }> = [],
): Uint8Array {
  const rand = mulberry32(4);
  const f = Float32Array.from({ length: 64 * 2 }, () => rand() - 0.5);
  return encodeGguf(
    [['general.architecture', { type: 'string', value: 'llama' }], ...meta],
    [
      { name: 'token_embd.weight', ne: [64, 2], type: 'F32', data: new Uint8Array(f.buffer) },
      { name: 'blk.0.ffn_up.weight', ne: [64, 2], type: 'Q8_0', data: quantizeGgml('Q8_0', f) },
      ...extra,
    ],
  );
}

function setU64(bytes: Uint8Array, at: number, v: bigint): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(at, v, true);
  return out;
}

/** Byte offset of the first tensor info's field (name length at `at`), found by scanning for the name. */
function findName(bytes: Uint8Array, name: string): number {
  return Buffer.from(bytes).indexOf(Buffer.from(name)) - 8;
}

describe('the types issue 12 lists', () => {
  const LISTED = ['F32', 'F16', 'BF16', 'Q8_0', 'Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q2_K', 'Q3_K', 'Q4_K', 'Q5_K'];
  LISTED.push('Q6_K', 'Q8_K', 'IQ4_NL', 'IQ4_XS');

  it('are all decoded; every block type among them has a reference quantiser for the generated cases', () => {
    for (const type of LISTED) expect(DECODED_GGML_TYPES, type).toContain(type);
    for (const type of LISTED.filter((t) => !ggmlTypeByName(t)!.plain)) expect(QUANTISABLE_GGML_TYPES).toContain(type);
  });

  it('F32, F16 and BF16 read bit-exact from hand-written bit patterns, plain and in rotary order', async () => {
    // F16: 1, −2, the smallest subnormal 2^−24, the largest finite 65504, −0; BF16: 1, −3, 2^−133
    // (subnormal), 3.3895e38 (largest finite); F32: 1.5, −0.1 (as float32), 2^−149
    const f16 = [0x3c00, 0xc000, 0x0001, 0x7bff, 0x8000, 0x3555, 0x0400, 0x4248];
    const f16Want = [1, -2, 2 ** -24, 65504, -0, 0.333251953125, 2 ** -14, 3.140625];
    const bf16 = [0x3f80, 0xc040, 0x0001, 0x7f7f, 0x4049, 0xbe4d, 0x3c00, 0x4000];
    const bf16Want = [1, -3, 2 ** -133, 3.3895313892515355e38, 3.140625, -0.2001953125, 2 ** -7, 2];
    const f32Want = [1.5, Math.fround(-0.1), 2 ** -149, -1e30, 0, 7, -7, 1024].map(Math.fround);
    const u16 = (v: number[]) => new Uint8Array(Uint16Array.from(v).buffer);
    const bytes = encodeGguf(
      [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['llama.attention.head_count', { type: 'uint32', value: 1 }],
      ],
      [
        { name: 'a.weight', ne: [8], type: 'F16', data: u16(f16) },
        { name: 'b.weight', ne: [8], type: 'BF16', data: u16(bf16) },
        { name: 'c.weight', ne: [8], type: 'F32', data: new Uint8Array(Float32Array.from(f32Want).buffer) },
        // one head of 4 rows × 2: stored rows [0, 2, 1, 3] of HF order (hd/2 halves interleaved)
        { name: 'blk.0.attn_q.weight', ne: [2, 4], type: 'F16', data: u16(f16) },
      ],
    );
    const m = await openModel(await writeBytes(tmp.dir, 'plain-types.gguf', bytes));
    try {
      const same = (got: Float32Array, want: number[]) => {
        for (const [i, w] of want.entries()) expect(Object.is(got[i], w), `${i}: ${got[i]} vs ${w}`).toBe(true);
      };
      same(await readAll(m, 'a.weight'), f16Want);
      same(await readAll(m, 'b.weight'), bf16Want);
      same(await readAll(m, 'c.weight'), f32Want);
      const q = m.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!;
      expect(q.encoding?.params).toMatchObject({ rotaryHeads: 1, type: 'F16' });
      const rows = [0, 2, 1, 3].map((r) => f16Want.slice(2 * r, 2 * r + 2));
      same(await readAll(m, 'blk.0.attn_q.weight'), rows.flat());
    } finally {
      await m.close();
    }
  });
});

describe('GGUF strictness: one-line InputErrors', () => {
  const check = async (bytes: Uint8Array, ...fragments: string[]) => {
    const src = bufferSource('m.gguf', bytes);
    await expectInputError(readGgufHeader(src), 'm.gguf', ...fragments);
  };

  it('accepts the untouched file', async () => {
    const h = await readGgufHeader(bufferSource('m.gguf', tiny()));
    expect(h.tensors.map((t) => t.name)).toEqual(['token_embd.weight', 'blk.0.ffn_up.weight']);
    expect(h.version).toBe(3);
  });

  it('version 2 (the same little-endian layout as 3) reads to the same tensors and fingerprint', async () => {
    const v3 = tiny([['tokenizer.ggml.tokens', { type: 'array', of: 'string', value: ['<unk>', 'a', 'bc'] }]]);
    const v2 = v3.slice();
    v2[4] = 2;
    const h2 = await readGgufHeader(bufferSource('m.gguf', v2));
    const h3 = await readGgufHeader(bufferSource('m.gguf', v3));
    expect(h2.version).toBe(2);
    expect(h2.tensors).toEqual(h3.tensors);
    expect({ ...h2.metadata, version: 3 }).toEqual(h3.metadata);
    const docs = [];
    for (const [name, bytes] of [
      ['v2.gguf', v2],
      ['v3.gguf', v3],
    ] as const) {
      const m = await openModel(await writeBytes(tmp.dir, name, bytes));
      try {
        expect(m.metadata?.['gguf.version']).toBe(name[1]);
        docs.push(await fingerprintModel(m, { mode: 'full' }));
      } finally {
        await m.close();
      }
    }
    expect(docs[0]!.tensors).toEqual(docs[1]!.tensors);
  });

  it('rejects wrong magic, version 1, unknown versions and big-endian files', async () => {
    const t = tiny();
    const m = t.slice();
    m[0] = 0x46;
    await check(m, 'GGUF magic');
    const v1 = t.slice();
    v1[4] = 1;
    await check(v1, 'version 1');
    const v9 = t.slice();
    v9[4] = 9;
    await check(v9, 'unsupported GGUF version 9');
    const be = t.slice();
    be.set([0, 0, 0, 3], 4);
    await check(be, 'big-endian');
    await check(t.subarray(0, 10), 'too short');
  });

  it('rejects counts, array lengths and string lengths that cannot fit, without allocating them', async () => {
    const t = tiny();
    await check(setU64(t, 8, 10n ** 12n), 'more than the 1,000,000 a model may have');
    await check(setU64(t, 8, 5000n), 'tensor count 5000 cannot fit');
    await check(setU64(t, 16, 2n ** 60n), 'metadata count');
    // the first key's length, made huge
    await check(setU64(t, 24, 2n ** 40n), 'String length');
    const arr = tiny([['tokenizer.ggml.tokens', { type: 'array', of: 'string', value: ['a', 'b'] }]]);
    const at = Buffer.from(arr).indexOf(Buffer.from('tokenizer.ggml.tokens')) + 'tokenizer.ggml.tokens'.length + 8;
    await check(setU64(arr, at, 10n ** 9n), 'array length');
    const e = await expectInputError(readGgufHeader(bufferSource('m.gguf', setU64(arr, at, 90_000n))), 'm.gguf');
    expect(e.problem).toMatch(/String length|past the end of the file/);
  });

  it('rejects a truncated header and data that runs past the end of the file', async () => {
    const t = tiny();
    await check(t.subarray(0, 60), 'cannot fit');
    await check(t.subarray(0, 200), 'past the end of the file');
    await check(t.subarray(0, t.length - 40), 'runs past the end of the file');
  });

  it('rejects misaligned, overlapping or out-of-order data offsets', async () => {
    const t = tiny();
    const info = findName(t, 'blk.0.ffn_up.weight');
    // name len (8) + name + n_dims (4) + 2 dims (16) + type (4) → offset
    const offAt = info + 8 + 'blk.0.ffn_up.weight'.length + 4 + 16 + 4;
    await check(setU64(t, offAt, 8n), 'not a multiple of the alignment');
    await check(setU64(t, offAt, 0n), 'does not follow the previous data');
    await check(setU64(t, offAt, 1024n), 'does not follow the previous data');
  });

  it('rejects rows not of whole blocks, too many dimensions, duplicate names, bad alignment, stray bytes', async () => {
    const rows = encodeGguf([], [{ name: 'w', ne: [64, 1], type: 'Q8_0', data: new Uint8Array(68) }]);
    const neAt = findName(rows, 'w') + 8 + 1 + 4;
    await check(setU64(rows, neAt, 48n), 'not whole Q8_0 blocks');
    const five = encodeGguf([], [{ name: 'token_embd.weight', ne: [64, 2], type: 'F32', data: new Uint8Array(512) }]);
    const nd = findName(five, 'token_embd.weight') + 8 + 'token_embd.weight'.length;
    const f = five.slice();
    f[nd] = 5;
    await check(f, '5 dimensions');
    const dup = encodeGguf(
      [],
      [
        { name: 'w', ne: [4], type: 'F32', data: new Uint8Array(16) },
        { name: 'w', ne: [4], type: 'F32', data: new Uint8Array(16) },
      ],
    );
    await check(dup, 'duplicate tensor name');
    await check(tiny([['general.alignment', { type: 'uint32', value: 24 }]]), 'power of two');
    const t = tiny();
    const stray = new Uint8Array(t.length + 64);
    stray.set(t);
    await check(stray, 'belong to no tensor');
  });

  it('fuzz: 2,000 seeded mutations parse consistently and fingerprint, or fail with an InputError', async () => {
    const bases = [
      tiny(),
      tiny([['tokenizer.ggml.tokens', { type: 'array', of: 'string', value: ['<unk>', 'a', 'bc'] }]]),
      tiny(
        [],
        ['Q4_K', 'IQ4_XS', 'Q6_K'].map((type, i) => ({
          name: `blk.${i}.attn_q.weight`,
          ne: [256, 2],
          type,
          data: quantizeGgml(
            type,
            Float32Array.from({ length: 512 }, (_, j) => Math.sin(j * (i + 1))),
          ),
        })),
      ),
    ];
    const rand = mulberry32(20260101);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const base = bases[i % bases.length]!;
      const b = base.slice();
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * b.length);
        const r = rand();
        if (r < 0.5) b[at] = Math.floor(rand() * 256);
        else if (r < 0.7) b[at] ^= 1 << Math.floor(rand() * 8);
        else if (r < 0.85 && at + 8 <= b.length)
          new DataView(b.buffer).setBigUint64(at, BigInt(Math.floor(rand() * 2 ** 40)), true);
        else b.fill(0xff, at, Math.min(b.length, at + 8));
      }
      const cut = rand() < 0.2 ? b.subarray(0, Math.floor(rand() * b.length)) : b;
      try {
        const src = bufferSource('f.gguf', cut);
        const h = await readGgufHeader(src);
        for (const t of h.tensors) expect(t.offset + t.byteLength).toBeLessThanOrEqual(cut.length);
        // what parses is decoded and fingerprinted whole (garbage codes, NaN scales): values or an InputError
        for (const info of h.tensors) {
          const entry = tensorEntry(src, info, /attn_q/.test(info.name) ? 1 : undefined);
          const fp = await fingerprintTensorFull(entry, 64, 1, 1 << 16, () => {});
          expect(fp.bytes).toBe(info.byteLength);
          if (info.type?.plain || info.type?.dequantize) expect(fp.moments, info.name).toBeDefined();
          else expect(fp.bytesOnly).toBe(true);
        }
        parsed++;
      } catch (err) {
        if (!(err instanceof Error) || err.name !== 'InputError') throw new Error(`mutation ${i}: ${String(err)}`);
        expect(err.message).not.toMatch(/[\r\n]/);
        rejected++;
      }
    }
    expect(parsed).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(500);
  });
});

describe('split files and directories', () => {
  it('opens a llama.cpp split set from any of its files; a missing or inconsistent split is an error', async () => {
    const dir = join(tmp.dir, 'split');
    await mkdir(dir);
    const rand = mulberry32(9);
    const f = (n: number) => Float32Array.from({ length: n }, () => rand());
    const one = encodeGguf(
      [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['split.no', { type: 'uint16', value: 0 }],
        ['split.count', { type: 'uint16', value: 2 }],
      ],
      [{ name: 'token_embd.weight', ne: [32, 4], type: 'F32', data: new Uint8Array(f(128).buffer) }],
    );
    const two = encodeGguf(
      [
        ['split.no', { type: 'uint16', value: 1 }],
        ['split.count', { type: 'uint16', value: 2 }],
      ],
      [{ name: 'blk.0.ffn_up.weight', ne: [32, 4], type: 'Q8_0', data: quantizeGgml('Q8_0', f(128)) }],
    );
    await writeFile(join(dir, 'm-00001-of-00002.gguf'), one);
    await writeFile(join(dir, 'm-00002-of-00002.gguf'), two);
    for (const spec of [join(dir, 'm-00002-of-00002.gguf'), dir]) {
      const m = await openModel(spec);
      try {
        expect(m.tensors.map((t) => t.name)).toEqual(['token_embd.weight', 'blk.0.ffn_up.weight']);
        expect(m.files).toHaveLength(2);
      } finally {
        await m.close();
      }
    }
    const lonely = join(tmp.dir, 'lonely');
    await mkdir(lonely);
    await copyFile(join(dir, 'm-00001-of-00002.gguf'), join(lonely, 'm-00001-of-00002.gguf'));
    await expectInputError(
      openModel(join(lonely, 'm-00001-of-00002.gguf')),
      join(lonely, 'm-00001-of-00002.gguf'),
      'm-00002-of-00002.gguf',
      'does not exist',
    );
    const wrong = join(tmp.dir, 'wrong');
    await mkdir(wrong);
    await writeFile(join(wrong, 'm-00001-of-00003.gguf'), one);
    await writeFile(join(wrong, 'm-00002-of-00003.gguf'), two);
    await writeFile(join(wrong, 'm-00003-of-00003.gguf'), two);
    await expectInputError(
      openModel(join(wrong, 'm-00001-of-00003.gguf')),
      join(wrong, 'm-00001-of-00003.gguf'),
      'split.count is 2',
    );
  });

  it('a directory of several quantisations opens the most precise, with its mmproj', async () => {
    expect(precisionRank('model-Q4_K_M.gguf')).toBeGreaterThan(precisionRank('model-Q8_0.gguf'));
    expect(precisionRank('model-Q8_0.gguf')).toBeGreaterThan(precisionRank('model-F16.gguf'));
    const pick = pickGgufFiles([
      'x-Q4_K_M.gguf',
      'x-Q8_0.gguf',
      'x-BF16-00001-of-00002.gguf',
      'x-BF16-00002-of-00002.gguf',
      'mmproj-x-Q8_0.gguf',
      'mmproj-x-F16.gguf',
      'README.md',
    ]);
    expect(pick.files).toEqual(['x-BF16-00001-of-00002.gguf', 'mmproj-x-F16.gguf']);
    expect(pick.why).toContain('most precise');
    const dir = join(tmp.dir, 'quants');
    await mkdir(dir);
    const lm = tiny();
    const proj = encodeGguf(
      [],
      [{ name: 'v.blk.0.attn_q.weight', ne: [32, 32], type: 'F16', data: new Uint8Array(2048) }],
    );
    await writeFile(join(dir, 'x-Q8_0.gguf'), lm);
    await writeFile(join(dir, 'x-Q4_0.gguf'), lm);
    await writeFile(join(dir, 'mmproj-x-f16.gguf'), proj);
    const m = await openModel(dir);
    try {
      expect(m.files.map((f) => f.slice(dir.length + 1))).toEqual(['x-Q8_0.gguf', 'mmproj-x-f16.gguf']);
      const doc = await fingerprintModel(m, { mode: 'full' });
      expect(doc.components.find((c) => c.kind === 'vision')?.tensors).toHaveLength(1);
    } finally {
      await m.close();
    }
  });
});
