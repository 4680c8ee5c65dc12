import { describe, expect, it } from 'vitest';
import { independent, sharedInit } from '../../src/synth/derive.js';
import { makeBase, modelCardText, modelConfig, textSpec, visionSpec, type SynthModel } from '../../src/synth/model.js';
import { tokenizerSize } from '../../src/synth/tokenizer.js';
import { corr, cosine, get, sameBits } from './helpers.js';

const TEXT = { text: textSpec() };
const a = makeBase(TEXT, 11);
const b = independent(TEXT, 12);
const vl = makeBase({ text: textSpec(), vision: visionSpec() }, 13);

const BIG = (m: SynthModel) => [...m.tensors.keys()].filter((n) => /mlp\.(gate|up|down)_proj\.weight$/.test(n));
const NORMS = (m: SynthModel) =>
  [...m.tensors.keys()].filter((n) => /norm\.weight$/.test(n) && !n.startsWith('visual.'));

describe('makeBase', () => {
  it('uses HF Llama names and shapes', () => {
    const t = textSpec();
    expect(get(a, 'model.embed_tokens.weight').shape).toEqual([t.vocab, t.hidden]);
    expect(get(a, 'lm_head.weight').shape).toEqual([t.vocab, t.hidden]);
    expect(get(a, 'model.norm.weight').shape).toEqual([t.hidden]);
    for (let l = 0; l < t.layers; l++) {
      const p = `model.layers.${l}.`;
      expect(get(a, `${p}input_layernorm.weight`).shape).toEqual([t.hidden]);
      expect(get(a, `${p}post_attention_layernorm.weight`).shape).toEqual([t.hidden]);
      expect(get(a, `${p}self_attn.q_proj.weight`).shape).toEqual([t.hidden, t.hidden]);
      expect(get(a, `${p}self_attn.k_proj.weight`).shape).toEqual([(t.hidden / t.heads) * t.kvHeads, t.hidden]);
      expect(get(a, `${p}self_attn.v_proj.weight`).shape).toEqual([(t.hidden / t.heads) * t.kvHeads, t.hidden]);
      expect(get(a, `${p}self_attn.o_proj.weight`).shape).toEqual([t.hidden, t.hidden]);
      expect(get(a, `${p}mlp.gate_proj.weight`).shape).toEqual([t.ffn, t.hidden]);
      expect(get(a, `${p}mlp.up_proj.weight`).shape).toEqual([t.ffn, t.hidden]);
      expect(get(a, `${p}mlp.down_proj.weight`).shape).toEqual([t.hidden, t.ffn]);
    }
    expect(a.tensors.size).toBe(3 + 9 * t.layers);
    for (const [name, tensor] of a.tensors)
      expect(tensor.values.length, name).toBe(tensor.shape.reduce((x, y) => x * y, 1));
  });

  it('adds a Qwen2.5-VL vision tower', () => {
    const v = visionSpec();
    const mh = v.hidden * v.mergeSize ** 2;
    expect(get(vl, 'visual.patch_embed.proj.weight').shape).toEqual([
      v.hidden,
      v.inChannels,
      v.temporalPatch,
      v.patch,
      v.patch,
    ]);
    for (let i = 0; i < v.blocks; i++) {
      const p = `visual.blocks.${i}.`;
      expect(get(vl, `${p}norm1.weight`).shape).toEqual([v.hidden]);
      expect(get(vl, `${p}attn.qkv.weight`).shape).toEqual([3 * v.hidden, v.hidden]);
      expect(get(vl, `${p}attn.qkv.bias`).shape).toEqual([3 * v.hidden]);
      expect(get(vl, `${p}attn.proj.weight`).shape).toEqual([v.hidden, v.hidden]);
      expect(get(vl, `${p}mlp.gate_proj.weight`).shape).toEqual([v.ffn, v.hidden]);
      expect(get(vl, `${p}mlp.down_proj.weight`).shape).toEqual([v.hidden, v.ffn]);
    }
    expect(get(vl, 'visual.merger.ln_q.weight').shape).toEqual([v.hidden]);
    expect(get(vl, 'visual.merger.mlp.0.weight').shape).toEqual([mh, mh]);
    expect(get(vl, 'visual.merger.mlp.2.weight').shape).toEqual([textSpec().hidden, mh]);
    const cfg = modelConfig(vl) as { model_type: string; vision_config: { model_type: string; depth: number } };
    expect(cfg.model_type).toBe('qwen2_5_vl');
    expect(cfg.vision_config.model_type).toBe('qwen2_5_vl');
    expect(cfg.vision_config.depth).toBe(v.blocks);
  });

  it('is deterministic and seed-sensitive', () => {
    const again = makeBase(TEXT, 11);
    for (const [name, t] of a.tensors) expect(sameBits(get(again, name).values, t.values), name).toBe(true);
    expect(
      sameBits(get(b, 'model.layers.0.mlp.up_proj.weight').values, get(a, 'model.layers.0.mlp.up_proj.weight').values),
    ).toBe(false);
  });

  it('writes a consistent config, tokenizer and card', () => {
    const cfg = modelConfig(a) as Record<string, unknown>;
    expect(cfg).toMatchObject({
      model_type: 'llama',
      hidden_size: 128,
      intermediate_size: 352,
      num_hidden_layers: 6,
      num_attention_heads: 8,
      num_key_value_heads: 4,
      vocab_size: 512,
    });
    expect(tokenizerSize(a.tokenizer)).toBe(512);
    expect(a.tokenizer.model.type).toBe('BPE');
    expect(a.tokenizer.model.merges.length).toBeGreaterThan(200);
    // independent tokenizers overlap in tokens (both "English") but not in ids
    const va = a.tokenizer.model.vocab,
      vb = b.tokenizer.model.vocab;
    const shared = Object.keys(va).filter((k) => k in vb);
    expect(shared.length / Object.keys(va).length).toBeGreaterThan(0.5);
    expect(a.tokenizer.model.merges).not.toEqual(b.tokenizer.model.merges);
    expect(modelCardText(a)).not.toContain('base_model');
    expect(modelCardText({ ...a, card: { ...a.card, baseModel: ['org/x'] } })).toMatch(
      /^---\n[\s\S]*base_model:\n- org\/x\n[\s\S]*---\n/,
    );
  });

  it('looks trained: heavy tails, low-rank q/k, depth-growing scale', () => {
    const q = get(a, 'model.layers.2.self_attn.q_proj.weight').values;
    let s2 = 0,
      s4 = 0;
    for (const v of q) {
      s2 += v * v;
      s4 += v ** 4;
    }
    const kurt = s4 / q.length / (s2 / q.length) ** 2;
    expect(kurt).toBeGreaterThan(3.3);
    const std = (m: SynthModel, n: string) =>
      Math.sqrt(get(m, n).values.reduce((s, v) => s + v * v, 0) / get(m, n).values.length);
    expect(std(a, 'model.layers.5.mlp.up_proj.weight')).toBeGreaterThan(std(a, 'model.layers.0.mlp.up_proj.weight'));
    // std-profile across depth is shared by independent models of one recipe (a known false positive)
    const prof = (m: SynthModel) => [0, 1, 2, 3, 4, 5].map((l) => std(m, `model.layers.${l}.mlp.up_proj.weight`));
    expect(corr(prof(a), prof(b))).toBeGreaterThan(0.9);
  });
});

describe('the traps are real', () => {
  it('LayerNorm trap: raw cosine > 0.99, centered correlation ≈ 0 between independent gains', () => {
    const xs: number[] = [],
      ys: number[] = [];
    for (const n of NORMS(a)) {
      const x = get(a, n).values,
        y = get(b, n).values;
      expect(cosine(x, y), n).toBeGreaterThan(0.99);
      const mx = x.reduce((s, v) => s + v, 0) / x.length,
        my = y.reduce((s, v) => s + v, 0) / y.length;
      for (let i = 0; i < x.length; i++) {
        xs.push(x[i]! - mx);
        ys.push(y[i]! - my);
      }
    }
    // pooled over 13 vectors (1,664 values): ±0.025 is one standard error
    expect(Math.abs(corr(xs, ys))).toBeLessThan(0.1);
    // the gains do carry a trained deviation (std 0.02–0.05 around a mean near 1)
    const g = get(a, 'model.layers.3.input_layernorm.weight').values;
    const m = g.reduce((s, v) => s + v, 0) / g.length;
    const sd = Math.sqrt(g.reduce((s, v) => s + (v - m) ** 2, 0) / g.length);
    expect(m).toBeGreaterThan(0.9);
    expect(m).toBeLessThan(1.2);
    expect(sd).toBeGreaterThan(0.015);
    expect(sd).toBeLessThan(0.07);
  });

  it('independent models do not correlate positionally on big matrices', () => {
    for (const n of BIG(a)) expect(Math.abs(corr(get(a, n).values, get(b, n).values)), n).toBeLessThan(0.05);
  });

  it('shared-init pairs correlate positionally on big matrices, but not on norms', () => {
    const [s1, s2] = sharedInit(TEXT, 21, [22, 23]);
    for (const n of BIG(s1)) expect(corr(get(s1, n).values, get(s2, n).values), n).toBeGreaterThan(0.3);
    const rs = NORMS(s1).map((n) => corr(get(s1, n).values, get(s2, n).values));
    expect(Math.abs(rs.reduce((x, y) => x + y, 0) / rs.length)).toBeLessThan(0.1);
    // per-layer init: the matched layer wins over other layers
    const other = corr(
      get(s1, 'model.layers.1.mlp.up_proj.weight').values,
      get(s2, 'model.layers.4.mlp.up_proj.weight').values,
    );
    expect(Math.abs(other)).toBeLessThan(0.05);
  });

  it('tied init (TF style): other layers of the sibling correlate as well as the matched one', () => {
    const [t1, t2] = sharedInit(TEXT, 31, [32, 33], { tiedInit: true });
    const matched = corr(
      get(t1, 'model.layers.1.mlp.up_proj.weight').values,
      get(t2, 'model.layers.1.mlp.up_proj.weight').values,
    );
    const other = corr(
      get(t1, 'model.layers.1.mlp.up_proj.weight').values,
      get(t2, 'model.layers.2.mlp.up_proj.weight').values,
    );
    expect(matched).toBeGreaterThan(0.3);
    expect(other).toBeGreaterThan(0.3);
    expect(Math.abs(matched - other)).toBeLessThan(0.15);
  });
});
