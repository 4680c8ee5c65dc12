import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  caseById,
  clearSynthCaches,
  GENERATED_CASES,
  writeCase,
  writeDemoModels,
  writeSuite,
} from '../../src/synth/cases.js';
import { modelConfig, type SynthModel } from '../../src/synth/model.js';
import { tokenizerSize } from '../../src/synth/tokenizer.js';
import { corr, decode, get, readSafetensors, sha256Dir } from './helpers.js';

const tmp = await mkdtemp(join(tmpdir(), 'wp-synth-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const shapes = (m: SynthModel) => Object.fromEntries([...m.tensors].map(([n, t]) => [n, t.shape.join('x')]));
const layerCount = (m: SynthModel) =>
  new Set([...m.tensors.keys()].map((n) => /^model\.layers\.(\d+)\./.exec(n)?.[1]).filter(Boolean)).size;

/** Spec, tensors, tokenizer and config.json agree (HF Llama-named text decoders). */
function consistent(m: SynthModel): void {
  if (m.naming !== 'llama' || m.history.includes('transposeCopy')) return;
  const t = m.spec.text;
  expect(get(m, 'model.embed_tokens.weight').shape, m.id).toEqual([t.vocab, t.hidden]);
  expect(tokenizerSize(m.tokenizer), m.id).toBe(t.vocab);
  expect(layerCount(m), m.id).toBe(t.layers);
  expect(get(m, `model.layers.${t.layers - 1}.mlp.up_proj.weight`).shape).toEqual([t.ffn, t.hidden]);
  const cfg = modelConfig(m) as Record<string, unknown>;
  const text = (cfg.text_config ?? cfg) as Record<string, unknown>;
  expect(text).toMatchObject({
    vocab_size: t.vocab,
    hidden_size: t.hidden,
    num_hidden_layers: t.layers,
    intermediate_size: t.ffn,
  });
}

describe('GENERATED_CASES', () => {
  it('covers the required situations with sane truths', () => {
    const ids = GENERATED_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'ft-01',
      'ft-10',
      'ft-30',
      'cpt-60',
      'cpt-80',
      'ft10-bf16',
      'ft10-fp8',
      'vocab-ext-ft',
      'drop-layers-ft',
      'width-prune-first-ft',
      'width-prune-selected-ft',
      'depth-upscale',
      'rename-meta-copy',
      'copy-bf16',
      'vision-transplant',
      'indep-1',
      'indep-2',
      'indep-3',
      'layernorm-trap',
      'shared-init-tied',
      'shared-init',
      'permute-drift',
      'transpose-copy',
    ])
      expect(ids).toContain(id);
    for (const c of GENERATED_CASES) {
      expect(c.accept).toContain(c.truth);
      if (c.truth === 'independent') expect(c.accept).not.toContain('derived');
      else expect(c.accept).not.toContain('independent');
    }
    expect(caseById('vision-transplant').expectComponents).toEqual({
      'vision encoder': 'derived',
      'text decoder': 'independent',
    });
    expect(caseById('permute-drift').stretch).toBe(true);
  });

  it('every case builds with the names and shapes it promises', () => {
    const built = new Map(GENERATED_CASES.map((c) => [c.id, c.build(0)]));
    for (const [id, { a, b }] of built) {
      consistent(a);
      consistent(b);
      expect(a.id, id).not.toBe(b.id);
    }
    const same = [
      'ft-01',
      'ft-10',
      'ft-30',
      'cpt-60',
      'cpt-80',
      'ft10-bf16',
      'ft10-fp8',
      'copy-bf16',
      'indep-1',
      'indep-2',
      'indep-3',
      'indep-buffers',
      'false-claim',
      'shared-init',
      'shared-init-tied',
      'permute-drift',
      'permute-residual-drift',
    ];
    for (const id of same) {
      const { a, b } = built.get(id)!;
      expect(shapes(b), id).toEqual(shapes(a));
    }
    const B = (id: string) => built.get(id)!.b;
    const A = (id: string) => built.get(id)!.a;
    expect(get(B('vocab-ext-ft'), 'lm_head.weight').shape).toEqual([640, 128]);
    expect(layerCount(B('drop-layers-ft'))).toBe(4);
    expect(B('width-prune-first-ft').spec.text.ffn).toBe(264);
    expect(B('width-prune-selected-ft').spec.text.ffn).toBe(211);
    expect(layerCount(B('depth-upscale'))).toBe(8);
    expect([...B('rename-meta-copy').tensors.keys()].filter((n) => A('rename-meta-copy').tensors.has(n))).toEqual([]);
    expect([...B('rename-h-ft').tensors.keys()].some((n) => n.startsWith('transformer.h.'))).toBe(true);
    expect(B('copy-bf16').storage.dtype).toBe('BF16');
    expect(B('ft10-fp8').storage.dtype).toBe('F8_E4M3');
    expect(get(B('transpose-copy'), 'model.embed_tokens.weight').shape).toEqual([128, 512]);
    expect(get(B('fused-phi3-ft'), 'model.layers.0.mlp.gate_up_proj.weight').shape).toEqual([704, 128]);
    expect([...B('vision-transplant').tensors.keys()].some((n) => n.startsWith('visual.blocks.'))).toBe(true);
    expect([...B('vision-transplant-prefix').tensors.keys()].some((n) => n.startsWith('vision_tower.blocks.'))).toBe(
      true,
    );
    expect(B('vision-transplant').spec.text.hidden).toBe(192);
    expect(get(B('layernorm-trap'), 'model.norm.weight').shape).toEqual(
      get(A('layernorm-trap'), 'model.norm.weight').shape,
    );
    expect(B('layernorm-trap').spec.text.ffn).not.toBe(A('layernorm-trap').spec.text.ffn);
    // copies are copies
    const copy = built.get('copy-bf16')!;
    for (const [n, t] of copy.a.tensors) expect(get(copy.b, n).values).toBe(t.values);
    // lineage declarations: declared fine-tunes, undeclared disguises, one false claim
    expect(B('ft-10').card.baseModel).toEqual([A('ft-10').id]);
    expect(B('permute-drift').card.baseModel).toBeUndefined();
    expect(B('vision-transplant').card.baseModel).toBeUndefined();
    expect(B('false-claim').card.baseModel).toEqual([A('false-claim').id]);
    // derived B's share A's tokenizer; independent ones have their own
    expect(B('ft-30').tokenizer).toEqual(A('ft-30').tokenizer);
    expect(B('indep-2').tokenizer.model.merges).not.toEqual(A('indep-2').tokenizer.model.merges);
    // the positional picture a naive engine sees
    const r = (id: string, n: string) => corr(get(A(id), n).values, get(B(id), n).values);
    expect(r('cpt-80', 'model.layers.3.mlp.up_proj.weight')).toBeGreaterThan(0.7);
    expect(Math.abs(r('indep-1', 'model.layers.3.mlp.up_proj.weight'))).toBeLessThan(0.05);
    expect(r('shared-init', 'model.layers.3.mlp.up_proj.weight')).toBeGreaterThan(0.3);
    expect(Math.abs(r('permute-drift', 'model.layers.3.mlp.up_proj.weight'))).toBeLessThan(0.05);
  });
});

describe('writing', () => {
  it('is byte-deterministic (SHA-256) and seed-sensitive', async () => {
    for (const id of ['ft10-fp8', 'rename-h-ft', 'vision-transplant-prefix']) {
      const c = caseById(id);
      clearSynthCaches();
      const one = await writeCase(c, join(tmp, 'det1', id));
      clearSynthCaches();
      const two = await writeCase(c, join(tmp, 'det2', id));
      for (const side of ['a', 'b'] as const) {
        const h1 = await sha256Dir(one[side]);
        expect(Object.keys(h1)).toEqual(['README.md', 'config.json', 'model.safetensors', 'tokenizer.json']);
        expect(await sha256Dir(two[side]), `${id}/${side}`).toEqual(h1);
      }
    }
    const other = await writeCase(caseById('ft10-fp8'), join(tmp, 'det3'), 1);
    const first = await sha256Dir(join(tmp, 'det1', 'ft10-fp8', 'b'));
    expect((await sha256Dir(other.b))['model.safetensors']).not.toBe(first['model.safetensors']);
  });

  it('writes valid model directories; casts decode back within the dtype precision', async () => {
    for (const id of ['ft10-bf16', 'ft10-fp8']) {
      const { b } = caseById(id).build(0);
      const dir = await writeCase(caseById(id), join(tmp, 'cast', id));
      const file = await readSafetensors(join(dir.b, 'model.safetensors'));
      expect(file.metadata).toEqual({ format: 'pt' });
      expect(file.order).toEqual([...file.order].sort()); // safetensors' own order
      let fp8 = 0;
      for (const [name, t] of b.tensors) {
        const stored = file.tensors.get(name)!;
        expect(stored.shape, name).toEqual(t.shape);
        let got = decode(stored);
        let rel = 2 ** -8; // BF16: half an ulp, relative
        let abs = 0;
        if (stored.dtype === 'F8_E4M3') {
          fp8++;
          const scale = decode(file.tensors.get(`${name}_scale`)!)[0]!;
          got = got.map((v) => v * scale);
          rel = 2 ** -4;
          abs = 2 ** -10 * scale; // subnormal step / 2
        } else expect(stored.dtype).toBe('BF16');
        for (let i = 0; i < got.length; i++) {
          const tol = Math.max(Math.abs(t.values[i]!) * rel, abs) * (1 + 1e-5);
          if (!(Math.abs(got[i]! - t.values[i]!) <= tol))
            throw new Error(`${id} ${name}[${i}]: ${got[i]} vs ${t.values[i]}`);
        }
      }
      if (id === 'ft10-fp8') {
        expect(fp8).toBe(7 * 6); // q,k,v,o,gate,up,down × 6 layers; embeddings, head, norms stay BF16
        const cfg = JSON.parse(await readFile(join(dir.b, 'config.json'), 'utf8'));
        expect(cfg.quantization_config.quant_method).toBe('compressed-tensors');
      }
      const card = await readFile(join(dir.b, 'README.md'), 'utf8');
      expect(card).toMatch(/^---\n[\s\S]*base_model:\n- synth\/base-100001\n/);
      const tok = JSON.parse(await readFile(join(dir.b, 'tokenizer.json'), 'utf8'));
      expect(tok.model.type).toBe('BPE');
    }
  });

  it('writeSuite writes independent pairs; writeDemoModels writes the demo set', async () => {
    const pairs = await writeSuite(join(tmp, 'suite'), { seeds: 2, kinds: ['independent', 'layernorm-trap'] });
    expect(pairs.map((p) => p.id)).toEqual(['independent-0', 'independent-1', 'layernorm-trap-0', 'layernorm-trap-1']);
    expect(new Set(await Promise.all(pairs.map(async (p) => (await sha256Dir(p.b))['model.safetensors']))).size).toBe(
      4,
    );
    for (const p of pairs) expect(p.truth).toBe('independent');

    const demo = await writeDemoModels(join(tmp, 'demo'));
    const base = await readSafetensors(join(demo.base, 'model.safetensors'));
    const vl = await readSafetensors(join(demo.multimodal, 'model.safetensors'));
    expect(base.tensors.get('visual.blocks.0.attn.qkv.weight')!.dtype).toBe('BF16');
    const r = corr(
      decode(base.tensors.get('visual.blocks.2.mlp.up_proj.weight')!),
      decode(vl.tensors.get('visual.blocks.2.mlp.up_proj.weight')!),
    );
    expect(r).toBeGreaterThan(0.99);
    const cfg = JSON.parse(await readFile(join(demo.multimodal, 'config.json'), 'utf8'));
    expect(cfg.vision_config.model_type).toBe('qwen2_5_vl');
    expect(await readFile(join(demo.finetune, 'README.md'), 'utf8')).toContain('base_model:\n- demo/base');
    expect(await readFile(join(demo.independent, 'README.md'), 'utf8')).not.toContain('base_model');
  });
});
