/** Config signatures and their comparison (context only). */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSignature } from '../../src/fingerprint/config.js';
import { compareConfigs } from '../../src/compare/config.js';
import { InputError } from '../../src/errors.js';
import { HAVE_KNOWN, KNOWN, SKIP_MESSAGE, text } from './signature-helpers.js';

const C = path.join(KNOWN, 'configs');
const cfg = (f: string) => configSignature(text(C, f), `configs/${f}`);

describe('configSignature on generated configs', () => {
  it('normalises HF, GPT-2 and ChatGLM field names', () => {
    const hf = configSignature(
      JSON.stringify({
        model_type: 'llama',
        hidden_size: 64,
        num_hidden_layers: 2,
        num_attention_heads: 4,
        num_key_value_heads: 2,
        intermediate_size: 128,
        vocab_size: 512,
        rope_theta: 1e4,
        tie_word_embeddings: true,
      }),
      'a/config.json',
    );
    expect(hf).toMatchObject({
      modelType: 'llama',
      hiddenSize: 64,
      layers: 2,
      heads: 4,
      kvHeads: 2,
      intermediateSize: 128,
      vocabSize: 512,
      ropeTheta: 1e4,
      tieWordEmbeddings: true,
    });
    const gpt2 = configSignature(
      JSON.stringify({ model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, n_inner: null, vocab_size: 50257 }),
      'g',
    );
    expect(gpt2).toMatchObject({ hiddenSize: 768, layers: 12, heads: 12, vocabSize: 50257 });
    expect(gpt2.intermediateSize).toBeUndefined();
    const glm = configSignature(
      JSON.stringify({
        model_type: 'chatglm',
        hidden_size: 4096,
        num_layers: 40,
        multi_query_group_num: 2,
        ffn_hidden_size: 13696,
        padded_vocab_size: 151552,
        rope_ratio: 500,
      }),
      'glm',
    );
    expect(glm).toMatchObject({ kvHeads: 2, intermediateSize: 13696, vocabSize: 151552, ropeTheta: 5_000_000 });
  });

  it('exposes nested sub-configs with their model type and shape', () => {
    const sig = configSignature(
      JSON.stringify({
        model_type: 'omni',
        text_config: { model_type: 'qwen2', hidden_size: 3584, num_hidden_layers: 28 },
        audio_config: { model_type: 'whisper', d_model: 1280, encoder_layers: 32, num_hidden_layers: 32 },
        vision_config: { depth: 32, hidden_size: 1280, num_heads: 16 },
        quantization_config: { bits: 4 },
      }),
      'omni/config.json',
    );
    expect(sig.subConfigs.map((s) => s.key)).toEqual(['audio_config', 'text_config', 'vision_config']);
    expect(sig.subConfigs[0]).toMatchObject({ modelType: 'whisper', hiddenSize: 1280, layers: 32 });
    expect(sig.subConfigs[2]).toMatchObject({ modelType: 'omni', modelTypeInherited: true, layers: 32, heads: 16 });
  });

  it('keeps context-only fields out of archDigest', () => {
    const base = {
      model_type: 'llama',
      hidden_size: 64,
      num_hidden_layers: 2,
      max_position_embeddings: 4096,
      torch_dtype: 'float16',
    };
    const a = configSignature(JSON.stringify(base), 'a');
    const b = configSignature(JSON.stringify({ ...base, max_position_embeddings: 512, torch_dtype: 'bfloat16' }), 'b');
    const c = configSignature(JSON.stringify({ ...base, num_hidden_layers: 3 }), 'c');
    expect(a.archDigest).toBe(b.archDigest);
    expect(a.archDigest).not.toBe(c.archDigest);
    const cmp = compareConfigs(a, b);
    expect(cmp.sameArchitecture).toBe(true);
    expect(cmp.differences).toEqual(['max_position_embeddings: 4096 vs 512']);
  });

  it('throws one-line InputErrors naming the file', () => {
    expect(() => configSignature('{"a": ', 'models/x/config.json')).toThrowError(InputError);
    expect(() => configSignature('{"a": ', 'models/x/config.json')).toThrowError(
      /^models\/x\/config\.json: invalid JSON/,
    );
    expect(() => configSignature('[1, 2]', 'c.json')).toThrowError(/^c\.json: config is not a JSON object$/);
  });
});

describe.skipIf(!HAVE_KNOWN)(`knownmodels configs${HAVE_KNOWN ? '' : ` — ${SKIP_MESSAGE}`}`, () => {
  it('parses every config.json in knownmodels', () => {
    for (const dir of readdirSync(C)) {
      for (const f of readdirSync(path.join(C, dir))) {
        if (f.includes('FACTS')) continue;
        const sig = cfg(`${dir}/${f}`);
        expect(sig.archDigest, f).toMatch(/^[0-9a-f]{64}$/);
        // Every file states some architecture: a size at the root or in a sub-config.
        expect(sig.hiddenSize ?? sig.subConfigs[0]?.hiddenSize, f).toBeGreaterThan(0);
      }
    }
  });

  it('qwen2.5-vl exposes its vision sub-config as qwen2_5_vl with the ViT shape', () => {
    const vl = cfg('qwen2.5-vl/Qwen2.5-VL-3B-Instruct.config.json.MODIFIED');
    expect(vl.modelType).toBe('qwen2_5_vl');
    const vision = vl.subConfigs.find((s) => s.key === 'vision_config')!;
    expect(vision).toMatchObject({
      modelType: 'qwen2_5_vl',
      modelTypeInherited: true,
      layers: 32,
      hiddenSize: 1280,
      heads: 16,
      intermediateSize: 3420,
      patchSize: 14,
      outHiddenSize: 2048,
    });
  });

  it('matches the HyperCLOVAX vision_config (FACTS) to the Qwen2.5-VL vision tower', () => {
    const facts = JSON.parse(text(C, 'korean/korean_models.FACTS.json')) as { models: Record<string, unknown> };
    const hcx = configSignature(
      JSON.stringify(facts.models['HyperCLOVAX-SEED-Think-32B']),
      'korean_models.FACTS.json#HyperCLOVAX',
    );
    const vl = cfg('qwen2.5-vl/Qwen2.5-VL-3B-Instruct.config.json.MODIFIED');
    const cmp = compareConfigs(hcx, vl);
    expect(cmp.contextOnly).toBe(true);
    expect(cmp.sameArchitecture).toBe(false);
    const vision = cmp.subConfigMatches.find((m) => m.key === 'vision_config')!;
    expect(vision).toMatchObject({ a: 'qwen2_5_vl', b: 'qwen2_5_vl', sameModelType: true, consistent: true });
    expect(vision.agreeing).toEqual(expect.arrayContaining(['hidden_size 1280', 'layers 32', 'attention_heads 16']));
    // The projector follows the host model's width: 5120 (HyperCLOVAX 32B) vs 2048 (Qwen2.5-VL-3B).
    expect(vision.differences).toEqual(['out_hidden_size: 5120 vs 2048']);
    expect(cmp.detail).toMatch(/vision_config: both qwen2_5_vl/);
    const text_ = cmp.subConfigMatches.find((m) => m.key === 'text_config ↔ root')!;
    expect(text_.consistent).toBe(false);
  });

  it('Qwen2-7B and Qwen2.5-7B share an architecture: context, not evidence', () => {
    const cmp = compareConfigs(
      cfg('qwen2/Qwen2-7B-Instruct.config.json'),
      cfg('qwen2.5/Qwen2.5-7B-Instruct.config.json'),
    );
    expect(cmp.sameArchitecture).toBe(true);
    expect(cmp.contextOnly).toBe(true);
    expect(cmp.detail).toMatch(/^same architecture \(qwen2 3584×28L 28H\/4KV\).*context only/);
  });

  it('Llama-2-7B vs Mistral-7B: lists the differences', () => {
    const cmp = compareConfigs(
      cfg('llama2/llama-2-7b-hf.config.json'),
      cfg('mistral/Mistral-7B-Instruct-v0.2.config.json.MODIFIED'),
    );
    expect(cmp.sameArchitecture).toBe(false);
    expect(cmp.differences).toEqual(
      expect.arrayContaining([
        'model_type: llama vs mistral',
        'kv_heads: 32 vs 8',
        'intermediate_size: 11008 vs 14336',
      ]),
    );
  });

  it('reads DeepSeek reference-inference configs into the same fields as the HF config', () => {
    const hf = cfg('deepseek/DeepSeek-V3.config.json');
    const ref = cfg('deepseek/inference_config_671B.json');
    for (const k of [
      'hiddenSize',
      'layers',
      'heads',
      'intermediateSize',
      'vocabSize',
      'experts',
      'expertsPerToken',
      'moeIntermediateSize',
      'qLoraRank',
      'kvLoraRank',
    ] as const) {
      expect(ref[k], k).toBe(hf[k]);
    }
  });

  it('exposes Gemma 3 text and SigLIP vision sub-configs', () => {
    const g = cfg('gemma3/gemma-3-4b-it.config.json');
    expect(g.subConfigs.map((s) => [s.key, s.modelType])).toEqual([
      ['text_config', 'gemma3_text'],
      ['vision_config', 'siglip_vision_model'],
    ]);
  });
});
