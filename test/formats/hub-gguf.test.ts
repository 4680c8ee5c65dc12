/**
 * GGUF-only and quantised repositories over the loopback Hub: the most precise GGUF is chosen
 * (or the one named as hf:org/name/file.gguf), headers and samples are read by range, a sketch of a
 * large Q4_K file reads under 1 % of it, and quantised safetensors are grouped as they are locally.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/compare/index.js';
import { readHfModel, type HfModel, quantisedTensors } from '../../src/eval/formats.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { openHubModel, parseHubSpec, type HubOptions } from '../../src/formats/hub.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { ggufHeader } from '../../src/synth/gguf-writer.js';
import { hfToGguf } from '../../src/synth/to-gguf.js';
import { startHubServer, type HubServer, type VirtualFile } from '../helpers/hub-server.js';
import { SHARED } from '../fingerprint/signature-helpers.js';
import { expectInputError } from './helpers.js';

const STORIES = join(SHARED, 'realmodels/llama2c/karpathy_stories260K');
const STORIES_GGUF = join(SHARED, 'realmodels/formats/stories260K.gguf');
const EN10 = join(SHARED, 'realmodels/llama2c/EN10_babyllama_tok361');
const HAVE = existsSync(STORIES_GGUF) && existsSync(EN10);
if (!HAVE) console.warn('../shared/realmodels not found: Hub GGUF tests skipped (CI has it)');

let server: HubServer;
let stories: HfModel;
let en10: HfModel;
const opts = (): HubOptions => ({ hubUrl: server.url, http: { backoffMs: 1, maxBackoffMs: 4, concurrency: 16 } });

/** A Q4_K GGUF of Llama-8B-shaped layers whose block bytes are generated on request. */
function virtualQ4K(layers: number): { file: VirtualFile; size: number } {
  const hidden = 4096;
  const ffn = 14336;
  const kv = 1024;
  const shapes: Array<[string, number[]]> = [['token_embd.weight', [hidden, 32000]]];
  for (let l = 0; l < layers; l++) {
    shapes.push(
      [`blk.${l}.attn_q.weight`, [hidden, hidden]],
      [`blk.${l}.attn_k.weight`, [hidden, kv]],
      [`blk.${l}.attn_v.weight`, [hidden, kv]],
      [`blk.${l}.attn_output.weight`, [hidden, hidden]],
      [`blk.${l}.ffn_gate.weight`, [hidden, ffn]],
      [`blk.${l}.ffn_up.weight`, [hidden, ffn]],
      [`blk.${l}.ffn_down.weight`, [ffn, hidden]],
    );
  }
  const tensors = shapes.map(([name, ne]) => ({ name, ne, type: 'Q4_K', byteLength: ((ne[0]! * ne[1]!) / 256) * 144 }));
  const { header, offsets } = ggufHeader(
    [
      ['general.architecture', { type: 'string', value: 'llama' }],
      ['llama.attention.head_count', { type: 'uint32', value: 32 }],
      ['llama.attention.head_count_kv', { type: 'uint32', value: 8 }],
    ],
    tensors,
  );
  const last = tensors.length - 1;
  const size = header.length + offsets[last]! + tensors[last]!.byteLength;
  return {
    size,
    file: {
      size,
      read(offset, length) {
        const out = new Uint8Array(length);
        for (let k = 0; k < length; k++) {
          const pos = offset + k;
          if (pos < header.length) out[k] = header[pos]!;
          else {
            // every 144-byte block: d = dmin = 2^-10 (0x1400), then pseudo-random scales and codes
            const inBlock = (pos - header.length) % 144;
            out[k] =
              inBlock === 0 || inBlock === 2 ? 0x00 : inBlock === 1 || inBlock === 3 ? 0x14 : (pos * 2654435761) >>> 24;
          }
        }
        return out;
      },
    },
  };
}

beforeAll(async () => {
  if (!HAVE) return;
  stories = await readHfModel(STORIES);
  en10 = await readHfModel(EN10);
  const q8 = hfToGguf(stories.tensors, { type: 'Q8_0', heads: stories.heads, kvHeads: stories.kvHeads });
  const gptq = encodeSafetensors(quantisedTensors(en10, 'gptq-4'));
  const config = JSON.stringify({
    ...JSON.parse(en10.config),
    quantization_config: { quant_method: 'gptq', bits: 4, group_size: 64 },
  });
  // llama.cpp's gguf-split layout: the tensors over two files, split.* metadata in each
  const half = Math.ceil(stories.tensors.length / 2);
  const part = (no: number, tensors: typeof stories.tensors) =>
    hfToGguf(tensors, {
      type: 'F32',
      heads: stories.heads,
      kvHeads: stories.kvHeads,
      metadata: [
        ['split.no', { type: 'uint16', value: no }],
        ['split.count', { type: 'uint16', value: 2 }],
        ['split.tensors.count', { type: 'int32', value: stories.tensors.length }],
      ],
    });
  const split1 = part(0, stories.tensors.slice(0, half));
  const split2 = part(1, stories.tensors.slice(half));
  const big = virtualQ4K(4);
  server = await startHubServer({
    repos: [
      {
        id: 'org/stories-gguf',
        files: {
          'stories260K-Q8_0.gguf': q8,
          'stories260K-F32.gguf': new Uint8Array(readFileSync(STORIES_GGUF)),
          'README.md': '---\nbase_model: karpathy/tinyllamas\n---\n# stories\n',
        },
      },
      {
        id: 'org/stories-split',
        files: {
          'stories-F32-00001-of-00002.gguf': split1,
          'stories-F32-00002-of-00002.gguf': split2,
          'stories-Q8_0.gguf': q8,
        },
      },
      { id: 'org/split-incomplete', files: { 'stories-F32-00001-of-00002.gguf': split1 } },
      { id: 'org/en10-gptq', files: { 'model.safetensors': gptq, 'config.json': config } },
      { id: 'virtual/llama-q4k', files: { 'model-Q4_K_M.gguf': big.file } },
    ],
  });
});

afterAll(async () => server?.close());

describe('hf: GGUF specs', () => {
  it('hf:org/name/file.gguf names one file; a revision still parses', () => {
    expect(parseHubSpec('hf:org/name/sub/m-Q4_K_M.gguf@v1')).toEqual({
      repo: 'org/name',
      revision: 'v1',
      file: 'sub/m-Q4_K_M.gguf',
    });
    expect(parseHubSpec('hf:org/name')).toEqual({ repo: 'org/name', revision: 'main' });
  });
});

describe.skipIf(!HAVE)('GGUF and quantised repositories over the loopback Hub', () => {
  it('a GGUF-only repository: the most precise file, identical to the original', async () => {
    const src = await openHubModel('hf:org/stories-gguf', opts());
    try {
      expect(src.files).toEqual(['stories260K-F32.gguf']);
      expect(src.note).toContain('most precise');
      const doc = await fingerprintModel(src, { mode: 'sample' });
      expect(doc.source.format).toBe('gguf');
      expect(doc.card?.baseModel).toEqual(['karpathy/tinyllamas']);
      const ref = await loadFingerprint(STORIES, { mode: 'sample' });
      expect(compareModels(ref, doc).verdict).toBe('identical');
    } finally {
      await src.close();
    }
  });

  it('a named quantised file: read by range, a quantised copy of the original', async () => {
    const src = await openHubModel('hf:org/stories-gguf/stories260K-Q8_0.gguf', opts());
    try {
      expect(src.files).toEqual(['stories260K-Q8_0.gguf']);
      const doc = await fingerprintModel(src, { mode: 'sample' });
      expect(doc.tensors.find((t) => t.name === 'blk.0.ffn_gate.weight')!.dtype).toBe('Q8_0');
      const r = compareModels(await loadFingerprint(STORIES, { mode: 'sample' }), doc);
      expect(r.verdict).toBe('identical');
      expect(r.reason).toMatch(/^quantised copy: /);
    } finally {
      await src.close();
    }
    await expectInputError(
      openHubModel('hf:org/stories-gguf/none-Q4_0.gguf', opts()),
      'hf:org/stories-gguf/none-Q4_0.gguf',
      'not in the repository',
    );
  });

  it('a split GGUF set: the default pick and any named part open the whole set, by range', async () => {
    const ref = await loadFingerprint(STORIES, { mode: 'sample' });
    for (const spec of ['hf:org/stories-split', 'hf:org/stories-split/stories-F32-00002-of-00002.gguf']) {
      const src = await openHubModel(spec, opts());
      try {
        expect(src.files).toEqual(['stories-F32-00001-of-00002.gguf', 'stories-F32-00002-of-00002.gguf']);
        expect(src.tensors).toHaveLength(48);
        expect(new Set(src.tensors.map((t) => t.file.id)).size).toBe(2);
        const doc = await fingerprintModel(src, { mode: 'sample' });
        const r = compareModels(ref, doc);
        expect(r.verdict, spec).toBe('identical');
        expect(r.reason).toMatch(/^same weights, GGUF container/);
      } finally {
        await src.close();
      }
    }
    await expectInputError(
      openHubModel('hf:org/split-incomplete', opts()),
      'hf:org/split-incomplete/stories-F32-00002-of-00002.gguf',
      'a split file of this set is missing',
    );
  });

  it('a GPTQ repository: parts grouped into logical weights, identical to the float original', async () => {
    const src = await openHubModel('hf:org/en10-gptq', opts());
    try {
      const t = src.tensors.find((x) => x.name === 'model.layers.0.mlp.up_proj.weight')!;
      expect(t.encoding?.scheme).toBe('gptq-int4-g64');
      const doc = await fingerprintModel(src, { mode: 'sample' });
      expect(compareModels(await loadFingerprint(EN10, { mode: 'sample' }), doc).verdict).toBe('identical');
    } finally {
      await src.close();
    }
  });

  it('a sketch of a large Q4_K GGUF reads under 1 % of it', async () => {
    const src = await openHubModel('hf:virtual/llama-q4k', opts());
    try {
      const doc = await fingerprintModel(src, { mode: 'sample' });
      const share = doc.source.bytesRead / src.totalBytes;
      console.log(
        `sketch of a ${(src.totalBytes / 2 ** 20).toFixed(0)} MiB Q4_K GGUF: ` +
          `read ${(doc.source.bytesRead / 2 ** 20).toFixed(2)} MiB = ${(100 * share).toFixed(3)} %`,
      );
      expect(doc.tensors).toHaveLength(29);
      expect(doc.tensors.every((t) => t.sample && t.dtype === 'Q4_K')).toBe(true);
      expect(share).toBeLessThan(0.01);
    } finally {
      await src.close();
    }
  });
});
