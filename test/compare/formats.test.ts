/**
 * Cross-format comparison: llama.cpp's real GGUF of stories260K against its safetensors original
 * (both ways, and through `check` with a registry entry made from either side), and GGUF copies of
 * real weights generated with ggml's reference quantisers: a quantised copy is `identical` and
 * says so, a fine-tune then quantised is `derived`, an independent model quantised stays
 * `independent`.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { compareModels } from '../../src/compare/index.js';
import {
  drift,
  readHfModel,
  widen,
  writeGgufModel,
  writeSafetensorsModel,
  type HfModel,
} from '../../src/eval/formats.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { ggmlTypeByName } from '../../src/formats/gguf/ggml.js';
import { addEntry } from '../../src/registry/index.js';
import { encodeGguf, type GgufMetaValue, type GgufTensorToWrite } from '../../src/synth/gguf-writer.js';
import { encodeGgmlValues, llamaCppName, permuteRotary, typeForRow } from '../../src/synth/to-gguf.js';
import { SHARED } from '../fingerprint/signature-helpers.js';
import { tempDir } from '../registry/fixtures.js';

const GGUF = join(SHARED, 'realmodels/formats/stories260K.gguf');
const HF = join(SHARED, 'realmodels/llama2c/karpathy_stories260K');
const EN10 = join(SHARED, 'realmodels/llama2c/EN10_babyllama_tok361');
const EN10_OTHER = join(SHARED, 'realmodels/llama2c/EN10_babyllama_tok105');
const HAVE = existsSync(GGUF) && existsSync(HF) && existsSync(EN10) && existsSync(EN10_OTHER);
if (!HAVE) console.warn(`../shared/realmodels not found at ${SHARED}: cross-format tests skipped (CI has it)`);

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('formats-compare');
});
afterAll(async () => tmp?.cleanup());

describe.skipIf(!HAVE)('stories260K.gguf ↔ karpathy_stories260K (real, llama.cpp conversion)', () => {
  let g: FingerprintDocument;
  let h: FingerprintDocument;
  beforeAll(async () => {
    g = await loadFingerprint(GGUF);
    h = await loadFingerprint(HF);
  });

  it('identical both ways, reported as the same weights in a GGUF container', () => {
    for (const [a, b] of [
      [h, g],
      [g, h],
    ] as const) {
      const r = compareModels(a, b);
      expect(r.verdict).toBe('identical');
      expect(r.reason).toMatch(/^same weights, (GGUF|safetensors) container/);
    }
  });

  it('every learned tensor has its original’s order-free digest (and SHA-256: F32 bytes unchanged)', () => {
    const byDigest = new Map(h.tensors.map((t) => [t.valueDigest, t]));
    const learned = g.tensors.filter((t) => t.shape.length === 2);
    expect(learned).toHaveLength(37);
    for (const t of learned) {
      const twin = byDigest.get(t.valueDigest);
      expect(twin, t.name).toBeDefined();
      expect(twin!.sha256).toBe(t.sha256);
    }
  });

  it('check: a registry entry made from either side names the other identical', async () => {
    for (const [entrySpec, model, id] of [
      [HF, GGUF, 'hf:karpathy/stories260K@main'],
      [GGUF, HF, 'hf:ggml-org/stories260K-gguf@main'],
    ] as const) {
      const registry = join(tmp.dir, `registry-${id.replace(/\W+/g, '-')}`);
      await addEntry(registry, await loadFingerprint(entrySpec), { id, license: 'MIT', family: 'stories' });
      const [r] = await runCheck({ models: [model], registries: [registry], noBuiltin: true });
      expect(r!.matches[0]!.entry).toBe(id);
      expect(r!.matches[0]!.verdict).toBe('identical');
      expect(r!.verdict).toBe('identical');
    }
  });
});

describe.skipIf(!HAVE)('a copy stored in quantisations we do not decode (IQ2_XXS, IQ3_XXS)', () => {
  it('is shortlisted by its shapes and inconclusive, naming the types — never a new architecture', async () => {
    const stories = widen(await readHfModel(HF));
    const registry = join(tmp.dir, 'registry-iq');
    await addEntry(registry, await loadFingerprint(HF), {
      id: 'hf:karpathy/stories260K@main',
      license: 'MIT',
      family: 'stories',
    });
    for (const type of ['IQ2_XXS', 'IQ3_XXS']) {
      // every matrix in `type` (codes never decoded: filler bytes), norms F32 as llama.cpp keeps them
      const tensors: GgufTensorToWrite[] = stories.tensors.map((t) => {
        const name = llamaCppName(t.name);
        const ne = [...t.shape].reverse();
        if (t.shape.length < 2) return { name, ne, type: 'F32', data: encodeGgmlValues('F32', t.values) };
        const g = ggmlTypeByName(type)!;
        const data = Uint8Array.from({ length: (t.values.length / g.blockElems) * g.blockBytes }, (_, i) => i * 13);
        return { name, ne, type, data };
      });
      const path = join(tmp.dir, `stories-${type}.gguf`);
      await writeFile(path, encodeGguf([['general.architecture', { type: 'string', value: 'llama' }]], tensors));
      const r = await runCheck({ models: [path], registries: [registry], noBuiltin: true });
      expect(r[0]!.registry).toMatchObject({ shortlisted: 1, compared: 1 });
      expect(r[0]!.verdict, type).toBe('inconclusive');
      expect(r[0]!.matches[0]!.reason).toBe(
        `100 % of B's matrix parameters are stored in quantisations not decoded (${type}) and were not compared`,
      );
    }
  });
});

describe.skipIf(!HAVE)('generated GGUF copies of real weights (ggml reference quantisers)', () => {
  let base: HfModel;
  let ref: FingerprintDocument;
  beforeAll(async () => {
    base = widen(await readHfModel(EN10));
    ref = await loadFingerprint(await writeSafetensorsModel(base, join(tmp.dir, 'en10')));
  }, 120_000);

  const gguf = async (model: HfModel, type: string, name: string, mode: 'full' | 'sample' = 'full') =>
    loadFingerprint(await writeGgufModel(model, join(tmp.dir, `${name}.gguf`), type), { mode });

  it.each(['Q8_0', 'Q4_0', 'Q4_K', 'Q6_K', 'Q2_K', 'IQ4_XS'])(
    'a %s copy is identical: "quantised copy"',
    async (type) => {
      const r = compareModels(ref, await gguf(base, type, `copy-${type}`));
      expect(r.verdict).toBe('identical');
      expect(r.reason).toMatch(new RegExp(`^quantised copy: .*${type}.* of `));
    },
  );

  it('Q4_K_M (Q4_K, Q6_K for attn_v, ffn_down, output): a copy is identical, a fine-tune derived', async () => {
    const copy = await gguf(base, 'Q4_K_M', 'copy-Q4_K_M');
    const byType = (t: string) => copy.tensors.filter((x) => x.dtype === t).map((x) => x.name);
    expect(byType('Q6_K')).toEqual(expect.arrayContaining(['blk.0.attn_v.weight', 'blk.0.ffn_down.weight']));
    expect(byType('Q4_K')).toEqual(expect.arrayContaining(['blk.0.attn_q.weight', 'blk.0.ffn_up.weight']));
    const r = compareModels(ref, copy);
    expect(r.verdict).toBe('identical');
    // every type in the file is named (rows not of 256 fall back to Q5_0/Q8_0, as llama-quantize does)
    expect(r.reason).toMatch(/^quantised copy: [^:]*\bQ4_K\b[^:]*\bQ6_K\b[^:]* of /);
    const ft = compareModels(ref, await gguf(drift(base, 0.1, 7), 'Q4_K_M', 'ft-Q4_K_M'));
    expect(ft.verdict).toBe('derived');
    expect(ft.reason).toContain('stored quantised');
  });

  it('a Q4_K copy read as a sketch is identical too', async () => {
    const r = compareModels(ref, await gguf(base, 'Q4_K', 'copy-sketch', 'sample'));
    expect(r.verdict).toBe('identical');
  });

  it('an F32 re-containering is identical with equal digests', async () => {
    const b = await gguf(base, 'F32', 'f32');
    const r = compareModels(ref, b);
    expect(r.verdict).toBe('identical');
    expect(r.reason).toMatch(/^same weights, GGUF container/);
    const digests = new Set(ref.tensors.map((t) => t.valueDigest));
    for (const t of b.tensors) expect(digests.has(t.valueDigest), t.name).toBe(true);
  });

  it('a fine-tune then quantised is derived, and says it was quantised', async () => {
    for (const [rel, type] of [
      [0.05, 'Q8_0'],
      [0.1, 'Q4_K'],
      [0.3, 'Q2_K'],
    ] as const) {
      const r = compareModels(ref, await gguf(drift(base, rel, 7), type, `ft-${type}`));
      expect(r.verdict, `${rel} ${type}`).toBe('derived');
      expect(r.reason).toContain('stored quantised');
    }
  });

  it('types we do not decode are listed under "not compared" by type name; the rest is still judged', async () => {
    // ffn_down as IQ2_XXS and ffn_gate as IQ3_S (codes never decoded: filler bytes), the rest Q8_0
    const unlisted: Record<string, string> = { ffn_down: 'IQ2_XXS', ffn_gate: 'IQ3_S' };
    const tensors: GgufTensorToWrite[] = base.tensors.map((t) => {
      const name = llamaCppName(t.name);
      const ne = [...t.shape].reverse();
      const other = unlisted[/\.(ffn_down|ffn_gate)\./.exec(name)?.[1] ?? ''];
      if (other) {
        const g = ggmlTypeByName(other)!;
        const data = Uint8Array.from({ length: (t.values.length / g.blockElems) * g.blockBytes }, (_, i) => i * 7);
        return { name, ne, type: other, data };
      }
      const qk = /\.attn_([qk])\./.exec(name);
      const values = qk ? permuteRotary(t.values, t.shape[0]!, qk[1] === 'q' ? base.heads : base.kvHeads) : t.values;
      const type = t.shape.length < 2 ? 'F32' : typeForRow('Q8_0', ne[0]!);
      return { name, ne, type, data: encodeGgmlValues(type, values) };
    });
    const metadata: Array<[string, GgufMetaValue]> = [
      ['general.architecture', { type: 'string', value: 'llama' }],
      ['llama.attention.head_count', { type: 'uint32', value: base.heads }],
      ['llama.attention.head_count_kv', { type: 'uint32', value: base.kvHeads }],
    ];
    const path = join(tmp.dir, 'mixed-unlisted.gguf');
    await writeFile(path, encodeGguf(metadata, tensors));
    const b = await loadFingerprint(path);
    const r = compareModels(ref, b);
    const lines = r.not_compared.map((n) => `${n.what}: ${n.why}`);
    const layers = tensors.filter((t) => t.type === 'IQ2_XXS').length;
    expect(layers).toBeGreaterThan(2);
    for (const type of ['IQ2_XXS', 'IQ3_S']) {
      const line = lines.find((l) => l.includes(type));
      expect(line, `${type} in ${JSON.stringify(lines)}`).toBeDefined();
      expect(line).toContain(`${layers} `);
      expect(line).toMatch(/not decoded/);
    }
    // what is decoded is still a quantised copy: never independent, never identical while parts went unseen
    expect(r.verdict).toBe('derived');
  });

  it('an independent model quantised stays independent', async () => {
    const other = widen(await readHfModel(EN10_OTHER));
    for (const type of ['Q8_0', 'Q4_K', 'Q2_K']) {
      const r = compareModels(ref, await gguf(other, type, `indep-${type}`));
      expect(r.verdict, type).toBe('independent');
    }
  });
});
