/**
 * Transformations that make one synthetic model from another, each a pure function: inputs are
 * never mutated (unchanged tensors are shared, changed ones are fresh arrays).
 *
 * Structural transforms (dropLayers, widthPrune, depthUpscale, permuteHidden, extendVocab) work on
 * HF Llama names; apply `rename` last.
 */
import { Rng } from './random.js';
import type { SynthDType } from './encode.js';
import { extendTokenizer } from './tokenizer.js';
import {
  centeredNorm,
  displacement,
  headDim,
  l2,
  makeBase,
  textSpec,
  type DisplacementShape,
  type ModelSpec,
  type Recipe,
  type SynthModel,
  type SynthTensor,
  type TextNaming,
  type TextSpec,
} from './model.js';

/** Fine-tune updates: low-rank-ish (LoRA-like), moderately heavy-tailed. */
const FINE_TUNE_SHAPE: DisplacementShape = { rank: 8, alpha: 0.7, lowRank: 0.35, tail: 0.3 };
/** Continued pretraining: long, diffuse updates, mostly full-rank. */
const PRETRAIN_SHAPE: DisplacementShape = { rank: 32, alpha: 0.5, lowRank: 0.15, tail: 0.3 };

const LAYER_RE = /^model\.layers\.(\d+)\.(.+)$/;

/** Fixed, non-learned buffers: never trained, identical across unrelated models. */
function isFixedBuffer(name: string): boolean {
  return /(^|\.)inv_freq$|rotary_emb\.|(^|\.)position_ids$/.test(name);
}

function derived(model: SynthModel, tensors: Map<string, SynthTensor>, step: string, spec?: ModelSpec): SynthModel {
  return {
    ...model,
    spec: structuredClone(spec ?? model.spec),
    tensors,
    card: { ...model.card, baseModel: model.card.baseModel?.slice() },
    storage: { ...model.storage },
    history: [...model.history, step],
  };
}

function requireLlama(model: SynthModel, op: string): void {
  if (model.naming !== 'llama') throw new Error(`${op}: needs HF Llama names (apply rename last), got ${model.naming}`);
}

function viewDims(shape: number[]): [number, number] {
  if (shape.length < 2) return [1, shape[0] ?? 1];
  return [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
}

/**
 * The reference size that relUpdate is relative to: ||A|| for matrices (init is zero-mean), and
 * ||A − mean(A)|| for 1-D gains/biases, whose 1.0 offset is a constant init, not learned signal
 * (Adam moves a gain by the same per-element amounts as a weight, not by 30 % of 1.0).
 */
export function updateReference(t: SynthTensor): number {
  return t.shape.length >= 2 ? l2(t.values) : centeredNorm(t.values);
}

function perturb(model: SynthModel, rel: number, seed: number, shape: DisplacementShape, label: string): SynthModel {
  if (!(rel >= 0)) throw new RangeError(`${label}: relUpdate must be ≥ 0`);
  const out = new Map<string, SynthTensor>();
  for (const [name, t] of model.tensors) {
    if (isFixedBuffer(name) || rel === 0) {
      out.set(name, t);
      continue;
    }
    const [m, n] = viewDims(t.shape);
    const d = displacement(Rng.derive(seed, label, name), m, n, shape);
    const k = (rel * updateReference(t)) / Math.max(1e-30, l2(d));
    const values = new Float32Array(t.values.length);
    for (let i = 0; i < values.length; i++) values[i] = t.values[i]! + k * d[i]!;
    out.set(name, { shape: t.shape.slice(), values });
  }
  const result = derived(model, out, `${label}(${rel}, seed=${seed})`);
  retie(result);
  return result;
}

/** Keeps lm_head a copy of embed_tokens when the spec ties them. */
function retie(model: SynthModel): void {
  if (!model.spec.text.tieEmbeddings || model.naming !== 'llama') return;
  const e = model.tensors.get('model.embed_tokens.weight');
  if (e) model.tensors.set('lm_head.weight', { shape: e.shape.slice(), values: e.values });
}

/** B = A + δ, ||δ||/||A|| = relUpdate per tensor (see updateReference), δ shaped like training. */
export function fineTune(model: SynthModel, relUpdate: number, seed: number): SynthModel {
  return perturb(model, relUpdate, seed, FINE_TUNE_SHAPE, 'fineTune');
}

/** Like fineTune with diffuse, larger updates (relUpdate up to ~0.8). */
export function continuedPretrain(model: SynthModel, relUpdate: number, seed: number): SynthModel {
  return perturb(model, relUpdate, seed, PRETRAIN_SHAPE, 'continuedPretrain');
}

/** Storage cast, applied at write time (values in memory stay F32). */
export function cast(model: SynthModel, dtype: SynthDType, fp8Scale: 'per-tensor' | 'none' = 'per-tensor'): SynthModel {
  const m = derived(model, new Map(model.tensors), `cast(${dtype}${dtype === 'F8_E4M3' ? `, ${fp8Scale}` : ''})`);
  m.storage = { dtype, fp8Scale };
  return m;
}

/** Appends `extra` rows to embed_tokens and lm_head (new tokens), and the tokens to the tokenizer. */
export function extendVocab(
  model: SynthModel,
  extra: number,
  seed: number,
  init: 'random' | 'mean' = 'random',
): SynthModel {
  requireLlama(model, 'extendVocab');
  const out = new Map(model.tensors);
  for (const name of ['model.embed_tokens.weight', 'lm_head.weight']) {
    const t = model.tensors.get(name)!;
    const [rows, cols] = t.shape as [number, number];
    const rng = Rng.derive(seed, 'extendVocab', name);
    const values = new Float32Array((rows + extra) * cols);
    values.set(t.values);
    const colMean = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) colMean[j]! += t.values[i * cols + j]! / rows;
    const std = Math.sqrt(t.values.reduce((s, v) => s + v * v, 0) / t.values.length);
    for (let i = rows; i < rows + extra; i++) {
      for (let j = 0; j < cols; j++) {
        // 'mean': HF ≥ 4.46 initialises new rows near the old mean; 'random': plain N(0, std²)
        values[i * cols + j] = init === 'mean' ? colMean[j]! + 0.05 * std * rng.normal() : std * rng.normal();
      }
    }
    out.set(name, { shape: [rows + extra, cols], values });
  }
  const spec = structuredClone(model.spec);
  spec.text.vocab += extra;
  const m = derived(model, out, `extendVocab(+${extra}, ${init})`, spec);
  m.tokenizer = extendTokenizer(model.tokenizer, extra);
  retie(m);
  return m;
}

/** Removes decoder layers; later layers are renumbered down. */
export function dropLayers(model: SynthModel, indices: number[]): SynthModel {
  requireLlama(model, 'dropLayers');
  const drop = new Set(indices);
  const out = new Map<string, SynthTensor>();
  for (const [name, t] of model.tensors) {
    const m = LAYER_RE.exec(name);
    if (!m) {
      out.set(name, t);
      continue;
    }
    const l = Number(m[1]);
    if (drop.has(l)) continue;
    const shift = [...drop].filter((d) => d < l).length;
    out.set(`model.layers.${l - shift}.${m[2]}`, t);
  }
  const spec = structuredClone(model.spec);
  spec.text.layers -= [...drop].filter((d) => d >= 0 && d < model.spec.text.layers).length;
  return derived(model, out, `dropLayers([${indices.join(',')}])`, spec);
}

/**
 * Keeps a fraction of FFN units: rows of gate/up and columns of down. 'first' keeps units 0..N-1;
 * 'selected' keeps the N most important units (||gate_i||·||up_i||·||down_:,i||) in original order.
 */
export function widthPrune(model: SynthModel, keep: number, mode: 'first' | 'selected' = 'selected'): SynthModel {
  requireLlama(model, 'widthPrune');
  const t = model.spec.text;
  const N = Math.max(1, Math.round(keep * t.ffn));
  const out = new Map(model.tensors);
  for (let l = 0; l < t.layers; l++) {
    const p = `model.layers.${l}.mlp.`;
    const gate = model.tensors.get(`${p}gate_proj.weight`)!;
    const up = model.tensors.get(`${p}up_proj.weight`)!;
    const down = model.tensors.get(`${p}down_proj.weight`)!;
    const d = t.hidden;
    const f = t.ffn;
    let units: number[];
    if (mode === 'first') units = Array.from({ length: N }, (_, i) => i);
    else {
      const score = new Float64Array(f);
      for (let i = 0; i < f; i++) {
        let g = 0,
          u = 0,
          w = 0;
        for (let j = 0; j < d; j++) {
          g += gate.values[i * d + j]! ** 2;
          u += up.values[i * d + j]! ** 2;
          w += down.values[j * f + i]! ** 2;
        }
        score[i] = Math.sqrt(g * u * w);
      }
      units = Array.from({ length: f }, (_, i) => i)
        .sort((a, b) => score[b]! - score[a]! || a - b)
        .slice(0, N)
        .sort((a, b) => a - b);
    }
    out.set(`${p}gate_proj.weight`, takeRows(gate, units));
    out.set(`${p}up_proj.weight`, takeRows(up, units));
    out.set(`${p}down_proj.weight`, takeCols(down, units));
  }
  const spec = structuredClone(model.spec);
  spec.text.ffn = N;
  return derived(model, out, `widthPrune(${keep}, ${mode})`, spec);
}

function takeRows(t: SynthTensor, rows: ArrayLike<number>): SynthTensor {
  const [, n] = viewDims(t.shape);
  const values = new Float32Array(rows.length * n);
  for (let i = 0; i < rows.length; i++) values.set(t.values.subarray(rows[i]! * n, rows[i]! * n + n), i * n);
  return { shape: [rows.length, ...t.shape.slice(1)], values };
}

function takeCols(t: SynthTensor, cols: ArrayLike<number>): SynthTensor {
  const [m, n] = t.shape as [number, number];
  const values = new Float32Array(m * cols.length);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < cols.length; j++) values[i * cols.length + j] = t.values[i * n + cols[j]!]!;
  return { shape: [m, cols.length], values };
}

/**
 * SOLAR-style depth up-scaling: layers 0..n-k-1 followed by k..n-1 (2(n-k) layers, the middle ones
 * duplicated: a many-to-one layer map), optionally followed by continued training.
 */
export function depthUpscale(model: SynthModel, k: number, train?: { relUpdate: number; seed: number }): SynthModel {
  requireLlama(model, 'depthUpscale');
  const n = model.spec.text.layers;
  if (!(k > 0 && k < n)) throw new RangeError(`depthUpscale: k must be in 1..${n - 1}`);
  const order = [...Array.from({ length: n - k }, (_, i) => i), ...Array.from({ length: n - k }, (_, i) => k + i)];
  const out = new Map<string, SynthTensor>();
  const rest: [string, SynthTensor][] = [];
  for (const [name, t] of model.tensors) if (!LAYER_RE.test(name)) rest.push([name, t]);
  const embed = rest.filter(([nm]) => nm === 'model.embed_tokens.weight');
  for (const [nm, t] of embed) out.set(nm, t);
  order.forEach((src, dst) => {
    for (const [name, t] of model.tensors) {
      const m = LAYER_RE.exec(name);
      if (m && Number(m[1]) === src) out.set(`model.layers.${dst}.${m[2]}`, t);
    }
  });
  for (const [nm, t] of rest) if (nm !== 'model.embed_tokens.weight') out.set(nm, t);
  const spec = structuredClone(model.spec);
  spec.text.layers = order.length;
  const up = derived(model, out, `depthUpscale(k=${k}, map=[${order.join(',')}])`, spec);
  return train ? continuedPretrain(up, train.relUpdate, train.seed) : up;
}

// ---------------------------------------------------------------------------------------------
// renaming

const META: Record<string, string> = {
  'self_attn.q_proj': 'attention.wq',
  'self_attn.k_proj': 'attention.wk',
  'self_attn.v_proj': 'attention.wv',
  'self_attn.o_proj': 'attention.wo',
  'mlp.gate_proj': 'feed_forward.w1',
  'mlp.down_proj': 'feed_forward.w2',
  'mlp.up_proj': 'feed_forward.w3',
  input_layernorm: 'attention_norm',
  post_attention_layernorm: 'ffn_norm',
  'self_attn.rotary_emb': 'attention.rotary_emb',
};
const TRANSFORMER_H: Record<string, string> = {
  'self_attn.q_proj': 'attn.q_proj',
  'self_attn.k_proj': 'attn.k_proj',
  'self_attn.v_proj': 'attn.v_proj',
  'self_attn.o_proj': 'attn.out_proj',
  // Qwen-1 convention: w2 is the gate, w1 the up projection, c_proj the down projection
  'mlp.gate_proj': 'mlp.w2',
  'mlp.up_proj': 'mlp.w1',
  'mlp.down_proj': 'mlp.c_proj',
  input_layernorm: 'ln_1',
  post_attention_layernorm: 'ln_2',
  'self_attn.rotary_emb': 'attn.rotary_emb',
};
const TOP: Record<Exclude<TextNaming, 'llama' | 'phi3'>, Record<string, string>> = {
  meta: {
    'model.embed_tokens.weight': 'tok_embeddings.weight',
    'model.norm.weight': 'norm.weight',
    'lm_head.weight': 'output.weight',
  },
  transformer_h: {
    'model.embed_tokens.weight': 'transformer.wte.weight',
    'model.norm.weight': 'transformer.ln_f.weight',
    'lm_head.weight': 'lm_head.weight',
  },
};

/** HF stores q/k rows per head as [first halves; second halves]; Meta interleaves them (RoPE pairs). */
function hfToMetaRope(t: SynthTensor, hd: number): SynthTensor {
  const [m, n] = viewDims(t.shape);
  const values = new Float32Array(t.values.length);
  const half = hd / 2;
  for (let h = 0; h < m / hd; h++) {
    for (let j = 0; j < half; j++) {
      for (let i = 0; i < 2; i++) {
        const src = h * hd + i * half + j;
        const dst = h * hd + 2 * j + i;
        values.set(t.values.subarray(src * n, src * n + n), dst * n);
      }
    }
  }
  return { shape: t.shape.slice(), values };
}

interface RenameOptions {
  /** Meta naming: also convert q/k rows to Meta's interleaved RoPE order (what real conversions do). */
  metaRope?: boolean;
  /** 'sorted' (safetensors' own order under the new names) or a seeded shuffle. */
  order?: 'sorted' | 'shuffled';
  seed?: number;
}

/**
 * Copies the text decoder under another naming scheme: 'meta' (tok_embeddings, layers.N.attention.wq,
 * feed_forward.w1..3), 'transformer_h' (transformer.h.N.attn/mlp, Qwen-1/GPT-J style) — both keep
 * shapes — or 'phi3' (fused qkv_proj and gate_up_proj: shapes change). Vision tensors keep their names.
 */
export function rename(model: SynthModel, scheme: Exclude<TextNaming, 'llama'>, opts: RenameOptions = {}): SynthModel {
  requireLlama(model, 'rename');
  const t = model.spec.text;
  const hd = headDim(t);
  const out = new Map<string, SynthTensor>();
  if (scheme === 'phi3') {
    for (const [name, tensor] of model.tensors) {
      const m = LAYER_RE.exec(name);
      if (!m) {
        out.set(name, tensor);
        continue;
      }
      const p = `model.layers.${m[1]}.`;
      const suffix = m[2]!;
      if (/^self_attn\.[qkv]_proj\.(weight|bias)$/.test(suffix)) {
        const kind = suffix.endsWith('bias') ? 'bias' : 'weight';
        if (!suffix.startsWith('self_attn.q_proj')) continue; // emitted with q
        const parts = ['q', 'k', 'v'].map((x) => model.tensors.get(`${p}self_attn.${x}_proj.${kind}`)!);
        out.set(`${p}self_attn.qkv_proj.${kind}`, concatRows(parts));
      } else if (suffix === 'mlp.gate_proj.weight') {
        out.set(`${p}mlp.gate_up_proj.weight`, concatRows([tensor, model.tensors.get(`${p}mlp.up_proj.weight`)!]));
      } else if (suffix === 'mlp.up_proj.weight') {
      } else out.set(name, tensor);
    }
  } else {
    const map = scheme === 'meta' ? META : TRANSFORMER_H;
    const layerPrefix = scheme === 'meta' ? 'layers.' : 'transformer.h.';
    for (const [name, tensor] of model.tensors) {
      const top = TOP[scheme][name];
      if (top) {
        out.set(top, tensor);
        continue;
      }
      const m = LAYER_RE.exec(name);
      if (!m) {
        out.set(name, tensor); // vision tower and anything else: unchanged
        continue;
      }
      const suffix = m[2]!;
      const dot = suffix.lastIndexOf('.');
      const mod = suffix.slice(0, dot);
      const param = suffix.slice(dot + 1);
      const mapped = map[mod];
      if (!mapped) throw new Error(`rename: no ${scheme} name for ${name}`);
      const rope = scheme === 'meta' && (opts.metaRope ?? true) && /^self_attn\.[qk]_proj$/.test(mod);
      out.set(`${layerPrefix}${m[1]}.${mapped}.${param}`, rope ? hfToMetaRope(tensor, hd) : tensor);
    }
  }
  let tensors = out;
  let tensorOrder: SynthModel['tensorOrder'] = 'sorted';
  if (opts.order === 'shuffled') {
    const rng = Rng.derive(opts.seed ?? 0, 'rename-order');
    tensors = new Map(rng.shuffled([...out.entries()]));
    tensorOrder = 'insertion';
  }
  const m = derived(
    model,
    tensors,
    `rename(${scheme}${scheme === 'meta' ? `, rope=${opts.metaRope ?? true}` : ''}, ${opts.order ?? 'sorted'})`,
  );
  m.naming = scheme;
  m.configStyle = model.spec.vision ? model.configStyle : scheme;
  m.tensorOrder = tensorOrder;
  return m;
}

function concatRows(parts: SynthTensor[]): SynthTensor {
  const n = viewDims(parts[0]!.shape)[1];
  const rows = parts.reduce((s, p) => s + p.shape[0]!, 0);
  const values = new Float32Array(rows * n);
  let off = 0;
  for (const p of parts) {
    values.set(p.values, off);
    off += p.values.length;
  }
  return { shape: [rows, ...parts[0]!.shape.slice(1)], values };
}

// ---------------------------------------------------------------------------------------------
// independent models

/** Same architecture and init recipe, another seed: the ordinary negative. */
export function independent(spec: ModelSpec, seed: number, id?: string): SynthModel {
  return makeBase(spec, seed, id ? { id } : {});
}

/**
 * Two models from the SAME seeded init, each trained separately (independent training seeds and
 * tokenizer shared, like one lab's runs). Positional correlation survives from the init
 * (r ≈ keep²/(keep²+Δ²) ≈ 0.35–0.5 on FFN matrices), yet neither derives from the other.
 * `tiedInit` adds the TF quirk of the style-transfer pair: every layer started from the same values,
 * so a layer correlates as well with the other model's *other* layers as with its own.
 */
export function sharedInit(
  spec: ModelSpec,
  initSeed: number,
  trainSeeds: [number, number],
  recipe: Partial<Recipe> = {},
): [SynthModel, SynthModel] {
  const s: ModelSpec = { ...structuredClone(spec), recipe: { ...spec.recipe, ...recipe } };
  const mk = (train: number) =>
    makeBase(s, { init: initSeed, train, tokenizer: initSeed }, { id: `synth/run-${initSeed}-${train}` });
  return [mk(trainSeeds[0]), mk(trainSeeds[1])];
}

/**
 * Inserts the donor's vision tower, lightly fine-tuned, into a larger multimodal model whose text
 * decoder (and tokenizer) are independent. Tensors whose shape differs in the recipient (the
 * merger's last projection into the wider text model) are the recipient's own.
 */
export function transplantVision(
  donor: SynthModel,
  opts: { seed: number; text?: Partial<TextSpec>; relUpdate?: number; prefix?: string; id?: string },
): SynthModel {
  if (!donor.spec.vision) throw new Error('transplantVision: donor has no vision tower');
  const text = textSpec({ hidden: 192, ffn: 512, layers: 6, heads: 12, kvHeads: 4, vocab: 640, ...opts.text });
  const prefix = opts.prefix ?? donor.visionPrefix;
  const recipient = makeBase(
    { text, vision: structuredClone(donor.spec.vision), recipe: donor.spec.recipe },
    opts.seed,
    {
      id: opts.id ?? `synth/vl-${opts.seed}`,
      visionPrefix: prefix,
      configStyle: 'vlm',
    },
  );
  const tuned = perturb(
    { ...donor, tensors: new Map([...donor.tensors].filter(([n]) => n.startsWith(donor.visionPrefix))) },
    opts.relUpdate ?? 0.08,
    opts.seed,
    FINE_TUNE_SHAPE,
    'fineTune',
  );
  const out = new Map<string, SynthTensor>();
  const reused: string[] = [];
  for (const [name, t] of recipient.tensors) {
    if (!name.startsWith(prefix)) {
      out.set(name, t);
      continue;
    }
    const src = tuned.tensors.get(donor.visionPrefix + name.slice(prefix.length));
    if (src && sameShape(src.shape, t.shape)) {
      out.set(name, src);
      reused.push(name);
    } else out.set(name, t);
  }
  return {
    ...recipient,
    tensors: out,
    history: [
      ...recipient.history,
      `transplantVision(from ${donor.id}, ${reused.length} tensors, rel=${opts.relUpdate ?? 0.08}, prefix=${prefix})`,
    ],
  };
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ---------------------------------------------------------------------------------------------
// disguises

function permuteRowBlocks(t: SynthTensor, perm: ArrayLike<number>, block: number): SynthTensor {
  const n = t.shape.length === 1 ? 1 : viewDims(t.shape)[1]; // a 1-D tensor is a column here
  const values = new Float32Array(t.values.length);
  const span = block * n;
  for (let h = 0; h < perm.length; h++)
    values.set(t.values.subarray(perm[h]! * span, perm[h]! * span + span), h * span);
  return { shape: t.shape.slice(), values };
}

function permuteColBlocks(t: SynthTensor, perm: ArrayLike<number>, block: number): SynthTensor {
  const [m, n] = t.shape as [number, number];
  const values = new Float32Array(t.values.length);
  for (let i = 0; i < m; i++) {
    for (let h = 0; h < perm.length; h++) {
      const src = i * n + perm[h]! * block;
      values.set(t.values.subarray(src, src + block), i * n + h * block);
    }
  }
  return { shape: t.shape.slice(), values };
}

interface PermuteOptions {
  /** Permute FFN units (gate/up rows, down columns). Default true. */
  ffn?: boolean;
  /** Permute attention heads (kv groups and q heads within them). Default true. */
  heads?: boolean;
  /** Permute the residual stream too (embedding columns, norms, every projection). Default false. */
  residual?: boolean;
  /** Fine-tune drift applied after the permutation (relUpdate). Default 0. */
  drift?: number;
}

/**
 * Function-preserving hidden-unit permutation of the text decoder, consistent across matrices and
 * respecting GQA (q heads move with their kv group), optionally followed by fine-tune drift.
 */
export function permuteHidden(model: SynthModel, seed: number, opts: PermuteOptions = {}): SynthModel {
  requireLlama(model, 'permuteHidden');
  const t = model.spec.text;
  const hd = headDim(t);
  const rng = Rng.derive(seed, 'permuteHidden');
  const out = new Map(model.tensors);
  const get = (n: string) => out.get(n)!;
  for (let l = 0; l < t.layers; l++) {
    const p = `model.layers.${l}.`;
    if (opts.ffn ?? true) {
      const pf = rng.permutation(t.ffn);
      out.set(`${p}mlp.gate_proj.weight`, permuteRowBlocks(get(`${p}mlp.gate_proj.weight`), pf, 1));
      out.set(`${p}mlp.up_proj.weight`, permuteRowBlocks(get(`${p}mlp.up_proj.weight`), pf, 1));
      out.set(`${p}mlp.down_proj.weight`, permuteColBlocks(get(`${p}mlp.down_proj.weight`), pf, 1));
    }
    if (opts.heads ?? true) {
      const g = t.heads / t.kvHeads;
      const kvPerm = rng.permutation(t.kvHeads);
      const qPerm = new Int32Array(t.heads);
      for (let j = 0; j < t.kvHeads; j++) {
        const within = rng.permutation(g);
        for (let w = 0; w < g; w++) qPerm[j * g + w] = kvPerm[j]! * g + within[w]!;
      }
      for (const kind of ['weight', 'bias']) {
        const q = out.get(`${p}self_attn.q_proj.${kind}`);
        if (!q) continue;
        out.set(`${p}self_attn.q_proj.${kind}`, permuteRowBlocks(q, qPerm, hd));
        out.set(`${p}self_attn.k_proj.${kind}`, permuteRowBlocks(get(`${p}self_attn.k_proj.${kind}`), kvPerm, hd));
        out.set(`${p}self_attn.v_proj.${kind}`, permuteRowBlocks(get(`${p}self_attn.v_proj.${kind}`), kvPerm, hd));
      }
      out.set(`${p}self_attn.o_proj.weight`, permuteColBlocks(get(`${p}self_attn.o_proj.weight`), qPerm, hd));
    }
  }
  if (opts.residual) {
    const pd = rng.permutation(t.hidden);
    for (const [name, tensor] of out) {
      if (name.startsWith(model.visionPrefix)) continue;
      if (tensor.shape.length === 1 && tensor.shape[0] === t.hidden && /(layernorm|norm)\.weight$/.test(name)) {
        out.set(name, permuteRowBlocks(tensor, pd, 1));
      } else if (
        /^model\.embed_tokens\.weight$|^lm_head\.weight$|(q_proj|k_proj|v_proj|gate_proj|up_proj)\.weight$/.test(name)
      ) {
        out.set(name, permuteColBlocks(tensor, pd, 1));
      } else if (/(o_proj|down_proj)\.weight$/.test(name)) {
        out.set(name, permuteRowBlocks(tensor, pd, 1));
      }
    }
    // the merger writes into the text residual stream
    for (const suffix of ['merger.mlp.2.weight', 'merger.mlp.2.bias']) {
      const mt = out.get(model.visionPrefix + suffix);
      if (mt) out.set(model.visionPrefix + suffix, permuteRowBlocks(mt, pd, 1));
    }
  }
  const perm = derived(
    model,
    out,
    `permuteHidden(seed=${seed}, ffn=${opts.ffn ?? true}, heads=${opts.heads ?? true}, residual=${!!opts.residual})`,
  );
  return opts.drift ? fineTune(perm, opts.drift, seed + 1) : perm;
}

/**
 * Function-preserving permutation of the vision tower's residual dimension: patch-embedding rows,
 * norm gains, the input columns of qkv and the MLP, the output rows of proj and down, and each
 * of the merger's spatially concatenated input blocks. Disguises a reused vision encoder.
 */
export function permuteVision(model: SynthModel, seed: number): SynthModel {
  const v = model.spec.vision;
  if (!v) throw new Error('permuteVision: model has no vision tower');
  const d = v.hidden;
  const perm = new Rng(seed).permutation(d);
  const tensors = new Map(model.tensors);
  const rows = (t: SynthTensor): SynthTensor => {
    const C = t.values.length / t.shape[0]!;
    const out = new Float32Array(t.values.length);
    for (let r = 0; r < t.shape[0]!; r++) out.set(t.values.subarray(perm[r]! * C, perm[r]! * C + C), r * C);
    return { shape: t.shape, values: out };
  };
  const cols = (t: SynthTensor, blocks = 1): SynthTensor => {
    const [R, C] = t.shape as [number, number];
    const out = new Float32Array(t.values.length);
    for (let r = 0; r < R; r++) {
      for (let b = 0; b < blocks; b++)
        for (let c = 0; c < d; c++) out[r * C + b * d + c] = t.values[r * C + b * d + perm[c]!]!;
    }
    return { shape: t.shape, values: out };
  };
  const vec = (t: SynthTensor): SynthTensor => ({
    shape: t.shape,
    values: Float32Array.from(perm, (p) => t.values[p]!),
  });
  const p = model.visionPrefix;
  for (const [name, t] of model.tensors) {
    if (!name.startsWith(p)) continue;
    const rest = name.slice(p.length);
    if (rest === 'patch_embed.proj.weight') tensors.set(name, rows(t));
    else if (/^blocks\.\d+\.(norm1|norm2)\.weight$|^merger\.ln_q\.weight$/.test(rest)) tensors.set(name, vec(t));
    else if (/^blocks\.\d+\.(attn\.proj|mlp\.down_proj)\.bias$/.test(rest)) tensors.set(name, vec(t));
    else if (/^blocks\.\d+\.(attn\.qkv|mlp\.gate_proj|mlp\.up_proj)\.weight$/.test(rest)) tensors.set(name, cols(t));
    else if (/^blocks\.\d+\.(attn\.proj|mlp\.down_proj)\.weight$/.test(rest)) tensors.set(name, rows(t));
    else if (rest === 'merger.mlp.0.weight') tensors.set(name, cols(t, v.mergeSize * v.mergeSize));
  }
  return { ...model, tensors, history: [...model.history, `vision residual permuted (seed ${seed})`] };
}

/** Every 2-D matrix transposed, names kept (a layout conversion, e.g. TF/JAX ↔ PyTorch). */
export function transposeCopy(model: SynthModel): SynthModel {
  const out = new Map<string, SynthTensor>();
  for (const [name, t] of model.tensors) {
    if (t.shape.length !== 2) {
      out.set(name, t);
      continue;
    }
    const [m, n] = t.shape as [number, number];
    const values = new Float32Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) values[j * m + i] = t.values[i * n + j]!;
    out.set(name, { shape: [n, m], values });
  }
  return derived(model, out, 'transposeCopy');
}

/** Sets id and declared lineage (the model card's `base_model`). */
export function withCard(model: SynthModel, id: string, baseModel?: string[], description?: string): SynthModel {
  return { ...model, id, card: { ...model.card, baseModel, ...(description ? { description } : {}) } };
}
