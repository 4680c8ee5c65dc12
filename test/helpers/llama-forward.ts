/**
 * A small Llama forward pass (float64) over HF-named tensors: RMSNorm, grouped-query attention
 * with rotary embeddings (HF's rotate_half pairing), SwiGLU, optional untied lm_head. Tests use it
 * to check that a disguise really keeps the function: same logits on the same tokens.
 */
import type { SynthTensor } from '../../src/synth/model.js';

export interface ForwardConfig {
  hidden: number;
  ffn: number;
  layers: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  eps?: number;
  ropeTheta?: number;
}

export function configFromJson(cfg: Record<string, unknown>): ForwardConfig {
  const n = (k: string) => {
    const v = cfg[k];
    if (typeof v !== 'number') throw new Error(`config.json: ${k} missing`);
    return v;
  };
  return {
    hidden: n('hidden_size'),
    ffn: n('intermediate_size'),
    layers: n('num_hidden_layers'),
    heads: n('num_attention_heads'),
    kvHeads: typeof cfg.num_key_value_heads === 'number' ? cfg.num_key_value_heads : n('num_attention_heads'),
    vocab: n('vocab_size'),
    eps: typeof cfg.rms_norm_eps === 'number' ? cfg.rms_norm_eps : 1e-5,
    ropeTheta: typeof cfg.rope_theta === 'number' ? cfg.rope_theta : 10000,
  };
}

type Tensors = Map<string, SynthTensor>;

function get(t: Tensors, name: string): Float32Array {
  const x = t.get(name);
  if (!x) throw new Error(`forward: missing ${name}`);
  return x.values;
}

/** y[T×out] = x[T×in] · Wᵀ with W [out, in] (flat 1-D or reshaped storage is read in flat order). */
function linear(x: Float64Array, T: number, w: Float32Array, inDim: number, outDim: number): Float64Array {
  if (w.length !== inDim * outDim)
    throw new Error(`forward: weight has ${w.length} values, expected ${outDim}×${inDim}`);
  const y = new Float64Array(T * outDim);
  for (let t = 0; t < T; t++) {
    for (let o = 0; o < outDim; o++) {
      let s = 0;
      const wo = o * inDim;
      const xt = t * inDim;
      for (let i = 0; i < inDim; i++) s += x[xt + i]! * w[wo + i]!;
      y[t * outDim + o] = s;
    }
  }
  return y;
}

function rmsNorm(x: Float64Array, T: number, d: number, g: Float32Array | undefined, eps: number): Float64Array {
  const y = new Float64Array(T * d);
  for (let t = 0; t < T; t++) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x[t * d + i]! ** 2;
    const inv = 1 / Math.sqrt(ss / d + eps);
    for (let i = 0; i < d; i++) y[t * d + i] = x[t * d + i]! * inv * (g ? g[i]! : 1);
  }
  return y;
}

/** HF rotary: within each head, dims i and i + hd/2 rotate together by pos·θ^(−2i/hd). */
function rope(x: Float64Array, T: number, heads: number, hd: number, theta: number): void {
  const half = hd / 2;
  for (let t = 0; t < T; t++) {
    for (let h = 0; h < heads; h++) {
      const base = (t * heads + h) * hd;
      for (let i = 0; i < half; i++) {
        const ang = t * theta ** (-(2 * i) / hd);
        const c = Math.cos(ang);
        const s = Math.sin(ang);
        const a = x[base + i]!;
        const b = x[base + i + half]!;
        x[base + i] = a * c - b * s;
        x[base + i + half] = b * c + a * s;
      }
    }
  }
}

/** Logits [T × vocab] for the token ids. */
export function llamaForward(tensors: Tensors, cfg: ForwardConfig, tokens: number[]): Float64Array {
  const { hidden: d, ffn, heads, kvHeads, vocab } = cfg;
  const hd = d / heads;
  const group = heads / kvHeads;
  const eps = cfg.eps ?? 1e-5;
  const theta = cfg.ropeTheta ?? 10000;
  const T = tokens.length;
  const emb = get(tensors, 'model.embed_tokens.weight');
  const h = new Float64Array(T * d);
  tokens.forEach((tok, t) => {
    for (let i = 0; i < d; i++) h[t * d + i] = emb[tok * d + i]!;
  });
  for (let l = 0; l < cfg.layers; l++) {
    const p = `model.layers.${l}.`;
    const x = rmsNorm(h, T, d, tensors.get(`${p}input_layernorm.weight`)?.values, eps);
    const q = linear(x, T, get(tensors, `${p}self_attn.q_proj.weight`), d, heads * hd);
    const k = linear(x, T, get(tensors, `${p}self_attn.k_proj.weight`), d, kvHeads * hd);
    const v = linear(x, T, get(tensors, `${p}self_attn.v_proj.weight`), d, kvHeads * hd);
    for (const [name, y, n] of [
      ['q', q, heads],
      ['k', k, kvHeads],
      ['v', v, kvHeads],
    ] as const) {
      const b = tensors.get(`${p}self_attn.${name}_proj.bias`)?.values;
      if (b) for (let t = 0; t < T; t++) for (let i = 0; i < n * hd; i++) y[t * n * hd + i] += b[i]!;
    }
    rope(q, T, heads, hd, theta);
    rope(k, T, kvHeads, hd, theta);
    const att = new Float64Array(T * heads * hd);
    const scores = new Float64Array(T);
    for (let hh = 0; hh < heads; hh++) {
      const kv = Math.floor(hh / group);
      for (let t = 0; t < T; t++) {
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[(t * heads + hh) * hd + i]! * k[(s * kvHeads + kv) * hd + i]!;
          scores[s] = dot / Math.sqrt(hd);
          if (scores[s]! > max) max = scores[s]!;
        }
        let z = 0;
        for (let s = 0; s <= t; s++) {
          scores[s] = Math.exp(scores[s]! - max);
          z += scores[s]!;
        }
        for (let s = 0; s <= t; s++) {
          const w = scores[s]! / z;
          for (let i = 0; i < hd; i++) att[(t * heads + hh) * hd + i] += w * v[(s * kvHeads + kv) * hd + i]!;
        }
      }
    }
    const o = linear(att, T, get(tensors, `${p}self_attn.o_proj.weight`), heads * hd, d);
    for (let i = 0; i < h.length; i++) h[i] += o[i]!;
    const x2 = rmsNorm(h, T, d, tensors.get(`${p}post_attention_layernorm.weight`)?.values, eps);
    const gate = linear(x2, T, get(tensors, `${p}mlp.gate_proj.weight`), d, ffn);
    const up = linear(x2, T, get(tensors, `${p}mlp.up_proj.weight`), d, ffn);
    for (let i = 0; i < gate.length; i++) {
      const g = gate[i]!;
      gate[i] = (g / (1 + Math.exp(-g))) * up[i]!;
    }
    const down = linear(gate, T, get(tensors, `${p}mlp.down_proj.weight`), ffn, d);
    for (let i = 0; i < h.length; i++) h[i] += down[i]!;
  }
  const x = rmsNorm(h, T, d, tensors.get('model.norm.weight')?.values, eps);
  const head = tensors.get('lm_head.weight')?.values ?? emb;
  return linear(x, T, head, d, vocab);
}

/** Largest |a − b| over two logit arrays, and the largest |a| (for a relative tolerance). */
export function maxAbsDiff(a: Float64Array, b: Float64Array): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return { diff, scale };
}
