import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  continuedPretrain,
  depthUpscale,
  dropLayers,
  extendVocab,
  fineTune,
  permuteHidden,
  rename,
  transplantVision,
  transposeCopy,
  updateReference,
  widthPrune,
} from '../../src/synth/derive.js';
import { l2, makeBase, textSpec, visionSpec, type SynthModel } from '../../src/synth/model.js';
import { tokenizerSize } from '../../src/synth/tokenizer.js';
import { corr, forward, get, sameBits, sortedValues } from './helpers.js';

const A = makeBase({ text: textSpec() }, 101);

function relUpdates(a: SynthModel, b: SynthModel): number[] {
  const out: number[] = [];
  for (const [name, t] of a.tensors) {
    const u = get(b, name).values;
    const d = new Float32Array(u.length);
    for (let i = 0; i < d.length; i++) d[i] = u[i]! - t.values[i]!;
    out.push(l2(d) / updateReference(t));
  }
  return out;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

describe('fineTune / continuedPretrain', () => {
  it.each([0.01, 0.1, 0.3])('relative update %s is what was asked, on every tensor incl. norms', (rel) => {
    const B = fineTune(A, rel, 5);
    for (const r of relUpdates(A, B)) expect(Math.abs(r / rel - 1)).toBeLessThan(2e-3);
    // matrices: r(A,B) ≈ 1/√(1+rel²)
    const r = corr(
      get(A, 'model.layers.2.mlp.up_proj.weight').values,
      get(B, 'model.layers.2.mlp.up_proj.weight').values,
    );
    expect(r).toBeCloseTo(1 / Math.sqrt(1 + rel * rel), 2);
    // the input is untouched (pure function)
    expect(
      sameBits(
        get(A, 'model.norm.weight').values,
        makeBase({ text: textSpec() }, 101).tensors.get('model.norm.weight')!.values,
      ),
    ).toBe(true);
  });

  it('continued pretraining at 80 %', () => {
    const B = continuedPretrain(A, 0.8, 6);
    for (const r of relUpdates(A, B)) expect(Math.abs(r / 0.8 - 1)).toBeLessThan(2e-3);
  });

  it('keeps tied embeddings tied', () => {
    const T = makeBase({ text: textSpec({ tieEmbeddings: true }) }, 3);
    const B = fineTune(T, 0.1, 4);
    expect(sameBits(get(B, 'lm_head.weight').values, get(B, 'model.embed_tokens.weight').values)).toBe(true);
  });
});

describe('structural transforms', () => {
  it('extendVocab appends rows, keeps old ones, extends the tokenizer', () => {
    const B = extendVocab(A, 128, 7);
    for (const n of ['model.embed_tokens.weight', 'lm_head.weight']) {
      expect(get(B, n).shape).toEqual([640, 128]);
      expect(sameBits(get(B, n).values.subarray(0, 512 * 128), get(A, n).values)).toBe(true);
    }
    expect(B.spec.text.vocab).toBe(640);
    expect(tokenizerSize(B.tokenizer)).toBe(640);
    expect(B.tokenizer.model.vocab).toEqual(A.tokenizer.model.vocab);
  });

  it('dropLayers renumbers later layers down', () => {
    const B = dropLayers(A, [3, 4]);
    expect(B.spec.text.layers).toBe(4);
    expect([...B.tensors.keys()].some((n) => n.startsWith('model.layers.4.'))).toBe(false);
    expect(get(B, 'model.layers.3.mlp.up_proj.weight')).toBe(get(A, 'model.layers.5.mlp.up_proj.weight'));
    expect(get(B, 'model.layers.2.mlp.up_proj.weight')).toBe(get(A, 'model.layers.2.mlp.up_proj.weight'));
  });

  it('widthPrune keeps FFN units consistently (first N, or a selected subset in order)', () => {
    const F = widthPrune(A, 0.75, 'first');
    expect(F.spec.text.ffn).toBe(264);
    expect(get(F, 'model.layers.0.mlp.gate_proj.weight').shape).toEqual([264, 128]);
    expect(get(F, 'model.layers.0.mlp.down_proj.weight').shape).toEqual([128, 264]);
    expect(
      sameBits(
        get(F, 'model.layers.0.mlp.up_proj.weight').values,
        get(A, 'model.layers.0.mlp.up_proj.weight').values.subarray(0, 264 * 128),
      ),
    ).toBe(true);

    const S = widthPrune(A, 0.6, 'selected');
    const N = S.spec.text.ffn;
    expect(N).toBe(211);
    // recover the kept units from up rows and check gate rows and down columns agree
    const up = get(A, 'model.layers.1.mlp.up_proj.weight').values;
    const upS = get(S, 'model.layers.1.mlp.up_proj.weight').values;
    const kept: number[] = [];
    for (let i = 0; i < N; i++) {
      const row = upS.subarray(i * 128, i * 128 + 128);
      let found = -1;
      for (let k = 0; k < 352 && found < 0; k++) if (sameBits(row, up.subarray(k * 128, k * 128 + 128))) found = k;
      kept.push(found);
    }
    expect(kept.every((k, i) => k >= 0 && (i === 0 || k > kept[i - 1]!))).toBe(true); // original order
    expect(kept.at(-1)! - kept[0]!).toBeGreaterThan(N); // a real subset, not a prefix
    const downA = get(A, 'model.layers.1.mlp.down_proj.weight').values,
      downS = get(S, 'model.layers.1.mlp.down_proj.weight').values;
    for (let j = 0; j < 128; j += 17)
      for (let i = 0; i < N; i += 13) expect(downS[j * N + i]).toBe(downA[j * 352 + kept[i]!]);
  });

  it('depthUpscale builds a many-to-one layer map', () => {
    const U = depthUpscale(A, 2);
    expect(U.spec.text.layers).toBe(8);
    const src = [0, 1, 2, 3, 2, 3, 4, 5];
    src.forEach((s, d) => {
      expect(get(U, `model.layers.${d}.self_attn.q_proj.weight`)).toBe(
        get(A, `model.layers.${s}.self_attn.q_proj.weight`),
      );
    });
    const T = depthUpscale(A, 2, { relUpdate: 0.15, seed: 3 });
    expect(
      corr(get(T, 'model.layers.4.mlp.up_proj.weight').values, get(A, 'model.layers.2.mlp.up_proj.weight').values),
    ).toBeGreaterThan(0.95);
  });
});

describe('renaming and disguises', () => {
  it('rename keeps shapes and values under other names', () => {
    for (const scheme of ['meta', 'transformer_h'] as const) {
      const R = rename(A, scheme);
      expect(R.tensors.size).toBe(A.tensors.size);
      const shared = [...R.tensors.keys()].filter((n) => A.tensors.has(n));
      expect(shared).toEqual(scheme === 'meta' ? [] : ['lm_head.weight']);
      // same multiset of shapes and of per-tensor value multisets
      const key = (m: SynthModel) =>
        [...m.tensors.values()]
          .map((t) => `${t.shape}|${createHash('sha256').update(sortedValues(t.values)).digest('hex')}`)
          .sort();
      expect(key(R)).toEqual(key(A));
    }
    const M = rename(A, 'meta', { metaRope: true });
    expect(get(M, 'layers.0.feed_forward.w3.weight')).toBe(get(A, 'model.layers.0.mlp.up_proj.weight'));
    expect(get(M, 'tok_embeddings.weight')).toBe(get(A, 'model.embed_tokens.weight'));
    // RoPE reordering moves q rows: same values, low positional correlation
    const q = get(A, 'model.layers.0.self_attn.q_proj.weight').values,
      wq = get(M, 'layers.0.attention.wq.weight').values;
    expect(sameBits(sortedValues(q), sortedValues(wq))).toBe(true);
    expect(corr(q, wq)).toBeLessThan(0.5);
    const H = rename(A, 'transformer_h', { order: 'shuffled', seed: 1 });
    expect(get(H, 'transformer.h.2.mlp.w2.weight')).toBe(get(A, 'model.layers.2.mlp.gate_proj.weight'));
    expect(H.tensorOrder).toBe('insertion');
  });

  it('phi3 fuses q/k/v and gate/up', () => {
    const P = rename(A, 'phi3');
    expect(get(P, 'model.layers.0.self_attn.qkv_proj.weight').shape).toEqual([256, 128]);
    expect(get(P, 'model.layers.0.mlp.gate_up_proj.weight').shape).toEqual([704, 128]);
    expect(P.tensors.has('model.layers.0.self_attn.q_proj.weight')).toBe(false);
  });

  it('transposeCopy transposes every matrix, names kept', () => {
    const T = transposeCopy(A);
    const a = get(A, 'model.layers.0.mlp.down_proj.weight'),
      t = get(T, 'model.layers.0.mlp.down_proj.weight');
    expect(t.shape).toEqual([352, 128]);
    expect(t.values[5 * 128 + 7]).toBe(a.values[7 * 352 + 5]);
    expect(get(T, 'model.norm.weight')).toBe(get(A, 'model.norm.weight'));
  });

  it('permuteHidden preserves the function (heads with their GQA group, FFN units, residual stream)', () => {
    const small = makeBase({ text: textSpec({ layers: 2, attentionBias: true }) }, 55);
    const tokens = [5, 17, 42, 300];
    const ref = forward(small, tokens);
    for (const residual of [false, true]) {
      const P = permuteHidden(small, 9, { residual });
      const out = forward(P, tokens);
      expect(maxAbsDiff(out, ref)).toBeLessThan(1e-4 * Math.max(...ref.map(Math.abs)));
      // and positions no longer line up
      expect(
        Math.abs(
          corr(
            get(P, 'model.layers.1.mlp.up_proj.weight').values,
            get(small, 'model.layers.1.mlp.up_proj.weight').values,
          ),
        ),
      ).toBeLessThan(0.05);
    }
    // a broken permutation would change the function: sanity check of the check
    const broken = { ...small, tensors: new Map(small.tensors) };
    broken.tensors.set('model.layers.0.mlp.down_proj.weight', {
      shape: [128, 352],
      values: get(small, 'model.layers.1.mlp.down_proj.weight').values,
    });
    expect(maxAbsDiff(forward(broken, tokens), ref)).toBeGreaterThan(1e-3);
  });

  it('permuteHidden with drift = permutation then fine-tune', () => {
    const P = permuteHidden(A, 9, { drift: 0.05 });
    const P0 = permuteHidden(A, 9);
    const r = corr(
      get(P, 'model.layers.3.mlp.gate_proj.weight').values,
      get(P0, 'model.layers.3.mlp.gate_proj.weight').values,
    );
    expect(r).toBeCloseTo(1 / Math.sqrt(1 + 0.05 ** 2), 3);
  });
});

describe('transplantVision', () => {
  it('reuses the donor tower (lightly tuned) under an independent, larger text decoder', () => {
    const donor = makeBase({ text: textSpec(), vision: visionSpec() }, 77);
    for (const prefix of ['visual.', 'vision_tower.']) {
      const B = transplantVision(donor, { seed: 78, relUpdate: 0.08, prefix });
      expect(B.spec.text.hidden).toBe(192);
      expect(get(B, 'model.embed_tokens.weight').shape).toEqual([640, 192]);
      const qkv = corr(
        get(donor, 'visual.blocks.1.attn.qkv.weight').values,
        get(B, `${prefix}blocks.1.attn.qkv.weight`).values,
      );
      expect(qkv).toBeGreaterThan(0.99);
      expect(qkv).toBeLessThan(0.999);
      const patch = corr(
        get(donor, 'visual.patch_embed.proj.weight').values,
        get(B, `${prefix}patch_embed.proj.weight`).values,
      );
      expect(patch).toBeGreaterThan(0.99);
      // the merger's last layer projects into the new text width: the recipient's own
      expect(get(B, `${prefix}merger.mlp.2.weight`).shape).toEqual([192, 384]);
      // the text decoder is unrelated: compare the equal-shape k projections
      expect(get(B, 'model.layers.0.self_attn.k_proj.weight').shape).toEqual([64, 192]);
      expect(B.tokenizer.model.merges).not.toEqual(donor.tokenizer.model.merges);
      expect([...B.tensors.keys()].filter((n) => n.startsWith(prefix)).length).toBe(
        [...donor.tensors.keys()].filter((n) => n.startsWith('visual.')).length,
      );
    }
  });
});
