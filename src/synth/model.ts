/**
 * Transformer-shaped synthetic models that look trained: HF Llama naming for the text decoder, an
 * optional Qwen2.5-VL-style vision tower, config.json, a real (small) BPE tokenizer and a model card.
 *
 * Every learned matrix is  W = keep·init + Δ,  init ~ N(0, initStd²) (HF initializer_range) and Δ a
 * training displacement: a low-rank part with a decaying spectrum (q/k heavy, like real attention
 * maps) plus a heavy-tailed, row/column-scaled bulk. Δ grows with depth by a *recipe* profile shared
 * by every model of the recipe, so independent models share std profiles (a known false positive)
 * but not positions. Norm gains are 1.0 + a trained deviation of std 0.02–0.05, so two independent
 * gain vectors have raw cosine > 0.99 and centered correlation ≈ 0: the LayerNorm trap.
 */
import { normalQuantile, Rng } from './random.js';
import type { SynthDType } from './encode.js';
import { frequencyWeights, makeTokenizer, type TokenizerJson } from './tokenizer.js';

export interface SynthTensor {
  shape: number[];
  /** Row-major values. Treated as immutable: transforms copy before changing. */
  values: Float32Array;
}

export interface TextSpec {
  hidden: number;
  ffn: number;
  layers: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  /** lm_head stored as a copy of embed_tokens (llama2.c, small models). */
  tieEmbeddings?: boolean;
  /** q/k/v biases (Qwen2 family). */
  attentionBias?: boolean;
  /** Store `self_attn.rotary_emb.inv_freq` buffers, as older HF checkpoints did: fixed, not learned. */
  rotaryBuffers?: boolean;
  ropeTheta?: number;
}

interface VisionSpec {
  hidden: number;
  ffn: number;
  blocks: number;
  heads: number;
  patch: number;
  temporalPatch: number;
  inChannels: number;
  /** Spatial merge (Qwen2.5-VL: 2 → the merger sees hidden·4 features). */
  mergeSize: number;
}

/** How weights are initialised and trained. Independent models of one recipe share these numbers. */
export interface Recipe {
  initStd: number;
  /** What survives of the init after weight decay (scales the init component). */
  initKeep: number;
  /** RMS of the training displacement relative to initStd (before role and depth factors). */
  trainScale: number;
  /** Std of norm gains' trained deviation, from the first to the last layer. */
  normStd: [number, number];
  /** TF-style init: every layer of a role starts from the same seeded values (style-transfer pair). */
  tiedInit: boolean;
  /**
   * Share of the training displacement (matrices and norm gains) that is co-learned: drawn from the
   * init seed, so two runs from one init on similar data move alike (real llama2.c siblings: matrices
   * r ≈ 0.47, gains r ≈ 0.6). 0 (default): every run's displacement is its own.
   */
  coLearn?: number;
}

export interface ModelSpec {
  text: TextSpec;
  vision?: VisionSpec;
  recipe?: Partial<Recipe>;
}

export type TextNaming = 'llama' | 'meta' | 'transformer_h' | 'phi3';
type ConfigStyle = 'llama' | 'qwen2_5_vl' | 'vlm' | 'meta' | 'transformer_h' | 'phi3';

export interface Storage {
  dtype: SynthDType;
  /** F8_E4M3 only: per-tensor scale with `<name>_scale` tensors (compressed-tensors style) or a raw cast. */
  fp8Scale: 'per-tensor' | 'none';
}

export interface ModelCard {
  /** Declared parents (`base_model:` front matter); absent when the author declares none. */
  baseModel?: string[];
  description?: string;
  license: string;
}

export interface SynthModel {
  id: string;
  spec: ModelSpec;
  tensors: Map<string, SynthTensor>;
  naming: TextNaming;
  /** Name prefix of the vision tower ('visual.' in Qwen2.5-VL). */
  visionPrefix: string;
  configStyle: ConfigStyle;
  tokenizer: TokenizerJson;
  card: ModelCard;
  storage: Storage;
  /** 'sorted' is what the safetensors library writes; 'insertion' keeps the Map order. */
  tensorOrder: 'sorted' | 'insertion';
  /** What was done to get here (in memory only; never written, it would leak the answer). */
  history: string[];
}

const DEFAULT_TEXT: Readonly<TextSpec> = { hidden: 128, ffn: 352, layers: 6, heads: 8, kvHeads: 4, vocab: 512 };
const DEFAULT_VISION: Readonly<VisionSpec> = {
  hidden: 96,
  ffn: 256,
  blocks: 4,
  heads: 6,
  patch: 14,
  temporalPatch: 2,
  inChannels: 3,
  mergeSize: 2,
};
const DEFAULT_RECIPE: Readonly<Recipe> = {
  initStd: 0.02,
  initKeep: 0.85,
  trainScale: 1.0,
  normStd: [0.02, 0.05],
  tiedInit: false,
};

const VISION_SPECIALS = ['<|vision_start|>', '<|vision_end|>', '<|image_pad|>'];

export function textSpec(over: Partial<TextSpec> = {}): TextSpec {
  return { ...DEFAULT_TEXT, ...over };
}

export function visionSpec(over: Partial<VisionSpec> = {}): VisionSpec {
  return { ...DEFAULT_VISION, ...over };
}

function recipeOf(spec: ModelSpec): Recipe {
  return { ...DEFAULT_RECIPE, ...spec.recipe };
}

export function headDim(t: TextSpec): number {
  return t.hidden / t.heads;
}

/** Displacement shape: how much low-rank structure, how steep its spectrum, how heavy the tail. */
export interface DisplacementShape {
  rank: number;
  /** Singular-value decay exponent of the low-rank part: s_i ∝ (i+1)^-alpha. */
  alpha: number;
  /** Share of the displacement's energy in the low-rank part. */
  lowRank: number;
  /** Gaussian-scale-mixture log-std: kurtosis = 3·e^{4σ²} (0.3 → ≈4.3, like trained weights). */
  tail: number;
}

type RoleKind = 'matrix' | 'gain' | 'bias' | 'buffer';

interface Role {
  kind: RoleKind;
  shape: DisplacementShape;
  /** Displacement RMS relative to trainScale·initStd (matrices), or absolute std (biases). */
  scale: number;
  /** Columns index the residual stream (read from it) / rows do (write to it): outlier dims show. */
  reads?: boolean;
  writes?: boolean;
  /** Gains: recipe mean offset from 1.0 (shared by the recipe, e.g. final norms grow large). */
  gainOffset?: (layer: number, layers: number) => number;
}

const shp = (rank: number, alpha: number, lowRank: number, tail = 0.3): DisplacementShape => ({
  rank,
  alpha,
  lowRank,
  tail,
});

/** Role recipes. q/k are strongly low-rank (top/median singular value ≈ 10–20 in real models). */
const TEXT_ROLES: Record<string, Role> = {
  'input_layernorm.weight': {
    kind: 'gain',
    shape: shp(0, 0, 0, 0.35),
    scale: 1,
    gainOffset: (l, n) => 0.01 + 0.08 * (l / Math.max(1, n - 1)),
  },
  'post_attention_layernorm.weight': {
    kind: 'gain',
    shape: shp(0, 0, 0, 0.35),
    scale: 1,
    gainOffset: (l, n) => -0.04 + 0.2 * (l / Math.max(1, n - 1)),
  },
  'self_attn.q_proj.weight': { kind: 'matrix', shape: shp(16, 1.0, 0.75), scale: 2.0, reads: true },
  'self_attn.k_proj.weight': { kind: 'matrix', shape: shp(16, 1.0, 0.75), scale: 2.0, reads: true },
  'self_attn.v_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.2), scale: 0.8, reads: true },
  'self_attn.o_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.2), scale: 0.8, writes: true },
  'self_attn.q_proj.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.5), scale: 0.08 },
  'self_attn.k_proj.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.5), scale: 0.08 },
  'self_attn.v_proj.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.3), scale: 0.01 },
  'mlp.gate_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
  'mlp.up_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
  'mlp.down_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.25), scale: 0.9, writes: true },
  'self_attn.rotary_emb.inv_freq': { kind: 'buffer', shape: shp(0, 0, 0), scale: 0 },
};
const EMBED_ROLE: Role = { kind: 'matrix', shape: shp(16, 0.8, 0.35), scale: 5, reads: true };
const HEAD_ROLE: Role = { kind: 'matrix', shape: shp(16, 0.8, 0.3), scale: 3, reads: true };
const FINAL_NORM_ROLE: Role = { kind: 'gain', shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: () => 0.45 };

const VISION_ROLES: Record<string, Role> = {
  'norm1.weight': {
    kind: 'gain',
    shape: shp(0, 0, 0, 0.35),
    scale: 1,
    gainOffset: (l, n) => 0.05 * (l / Math.max(1, n - 1)),
  },
  'norm2.weight': {
    kind: 'gain',
    shape: shp(0, 0, 0, 0.35),
    scale: 1,
    gainOffset: (l, n) => 0.1 * (l / Math.max(1, n - 1)),
  },
  'attn.qkv.weight': { kind: 'matrix', shape: shp(16, 0.9, 0.55), scale: 1.6, reads: true },
  'attn.qkv.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.4), scale: 0.03 },
  'attn.proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.2), scale: 0.8, writes: true },
  'attn.proj.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.3), scale: 0.01 },
  'mlp.gate_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
  'mlp.gate_proj.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.3), scale: 0.02 },
  'mlp.up_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
  'mlp.up_proj.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.3), scale: 0.02 },
  'mlp.down_proj.weight': { kind: 'matrix', shape: shp(16, 0.5, 0.25), scale: 0.9, writes: true },
  'mlp.down_proj.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.3), scale: 0.01 },
};
const PATCH_ROLE: Role = { kind: 'matrix', shape: shp(12, 1.2, 0.5), scale: 2 };
const MERGER_ROLES: Record<string, Role> = {
  'merger.ln_q.weight': { kind: 'gain', shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: () => 0.2 },
  'merger.mlp.0.weight': { kind: 'matrix', shape: shp(16, 0.6, 0.3), scale: 1.0 },
  'merger.mlp.0.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.3), scale: 0.02 },
  'merger.mlp.2.weight': { kind: 'matrix', shape: shp(16, 0.6, 0.3), scale: 1.0 },
  'merger.mlp.2.bias': { kind: 'bias', shape: shp(0, 0, 0, 0.3), scale: 0.02 },
};

// ---------------------------------------------------------------------------------------------
// numerics

export function sumSq(a: Float32Array | Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

export function l2(a: Float32Array): number {
  return Math.sqrt(sumSq(a));
}

export function mean(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return a.length ? s / a.length : 0;
}

/** ||a − mean(a)||: the size of a 1-D tensor's trained variation. */
export function centeredNorm(a: Float32Array): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return Math.sqrt(s);
}

/**
 * A training-like displacement of unit RMS for an m×n view: low-rank part (random subspaces,
 * spectrum ∝ (i+1)^-alpha) plus a heavy-tailed bulk scaled per row and per column.
 */
export function displacement(
  rng: Rng,
  m: number,
  n: number,
  shape: DisplacementShape,
  rowScale?: Float32Array,
  colScale?: Float32Array,
): Float32Array {
  const size = m * n;
  const out = rng.normals(size);
  const mix = scaleMixtureTable(shape.tail);
  for (let i = 0; i < m; i++) {
    const rs = rowScale ? rowScale[i]! : 1;
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const cs = colScale ? colScale[j]! : 1;
      out[base + j] = out[base + j]! * mix[rng.nextU32() >>> 20]! * rs * cs;
    }
  }
  const lowRank = m > 1 && n > 1 ? Math.min(shape.lowRank, 1) : 0;
  const rank = Math.min(shape.rank, m, n);
  const bulkScale = Math.sqrt((1 - lowRank) / Math.max(1e-30, sumSq(out) / size));
  for (let i = 0; i < size; i++) out[i] = out[i]! * bulkScale;
  if (lowRank > 0 && rank > 0) {
    // U·diag(w)·Vᵀ row by row as axpys over contiguous rows of Vᵀ (fast inner loop)
    const U = rng.normals(m * rank);
    const Vt = Float64Array.from(rng.normals(rank * n));
    const w = new Float64Array(rank);
    for (let k = 0; k < rank; k++) w[k] = (k + 1) ** -shape.alpha;
    const lr = new Float64Array(size);
    for (let i = 0; i < m; i++) {
      const base = i * n;
      for (let k = 0; k < rank; k++) {
        const c = U[i * rank + k]! * w[k]!;
        const vb = k * n;
        for (let j = 0; j < n; j++) lr[base + j] += c * Vt[vb + j]!;
      }
    }
    const lrScale = Math.sqrt(lowRank / Math.max(1e-30, sumSq(lr) / size));
    for (let i = 0; i < size; i++) out[i] = out[i]! + lr[i]! * lrScale;
  }
  return out;
}

const mixTables = new Map<number, Float32Array>();

/**
 * exp(σ·z)/√E[exp(2σz)] at 4096 normal quantiles: multiplying a normal by a draw from it gives a
 * Gaussian scale mixture (kurtosis 3·e^{4σ²}) for one random integer per element instead of a
 * second normal and an exp.
 */
function scaleMixtureTable(sigma: number): Float32Array {
  let t = mixTables.get(sigma);
  if (!t) {
    t = new Float32Array(4096);
    for (let k = 0; k < 4096; k++) t[k] = Math.exp(sigma * normalQuantile((k + 0.5) / 4096) - sigma * sigma);
    mixTables.set(sigma, t);
  }
  return t;
}

/** Residual-stream outlier profile: a few dims carry much larger weights (massive activations). */
function outlierScales(rng: Rng, d: number): Float32Array {
  const c = rng.normals(d, 0.2);
  for (let i = 0; i < d; i++) c[i] = Math.exp(c[i]!);
  const k = Math.max(1, Math.round(d * 0.02));
  for (let i = 0; i < k; i++) c[rng.int(d)] *= 2.5;
  return c;
}

// ---------------------------------------------------------------------------------------------
// generation

interface Seeds {
  /** Seeds the random init (shared by `sharedInit` pairs). */
  init: number;
  /** Seeds the training displacement. */
  train: number;
  /** Seeds the tokenizer (defaults to `train`). */
  tokenizer?: number;
}

interface GenContext {
  recipe: Recipe;
  seeds: Seeds;
  /** Depth multiplier for a layer (recipe profile: deeper layers move further). */
  depth: (layer: number, layers: number) => number;
}

function depthProfile(layer: number, layers: number): number {
  return 0.8 + 0.4 * (layer / Math.max(1, layers - 1));
}

/** Stream key with the layer index replaced, so tied init gives every layer the same values. */
function initKey(name: string, tied: boolean): string {
  return tied ? name.replace(/\.(layers|blocks)\.\d+\./, '.$1.*.') : name;
}

/** Mixes the run's own displacement with the one every run from this init learns alike (unit RMS kept). */
function coLearned(ctx: GenContext, own: Float32Array, shared: () => Float32Array): Float32Array {
  const c = ctx.recipe.coLearn ?? 0;
  if (!(c > 0)) return own;
  const common = shared();
  const a = Math.sqrt(1 - c);
  const b = Math.sqrt(c);
  for (let i = 0; i < own.length; i++) own[i] = a * own[i]! + b * common[i]!;
  return own;
}

function genMatrix(
  ctx: GenContext,
  name: string,
  shape: number[],
  role: Role,
  layer: number,
  layers: number,
  rowScale?: Float32Array,
  colScale?: Float32Array,
): SynthTensor {
  const m = shape[0]!;
  const n = shape.slice(1).reduce((a, b) => a * b, 1);
  const { recipe } = ctx;
  const values = Rng.derive(ctx.seeds.init, 'init', initKey(name, recipe.tiedInit)).normals(
    m * n,
    recipe.initStd * recipe.initKeep,
  );
  const d = coLearned(
    ctx,
    displacement(Rng.derive(ctx.seeds.train, 'train', name), m, n, role.shape, rowScale, colScale),
    () => displacement(Rng.derive(ctx.seeds.init, 'colearn', name), m, n, role.shape, rowScale, colScale),
  );
  const amp = recipe.trainScale * recipe.initStd * role.scale * ctx.depth(layer, layers);
  for (let i = 0; i < values.length; i++) values[i] = values[i]! + amp * d[i]!;
  return { shape, values };
}

function genGain(ctx: GenContext, name: string, n: number, role: Role, layer: number, layers: number): SynthTensor {
  const rng = Rng.derive(ctx.seeds.train, 'train', name);
  const [lo, hi] = ctx.recipe.normStd;
  // recipe profile plus a per-model jitter, both for the std and the mean offset
  const t = layers > 1 ? layer / (layers - 1) : 0;
  const std = (lo + (hi - lo) * t) * Math.exp(0.15 * rng.normal());
  const offset = (role.gainOffset?.(layer, layers) ?? 0) + 0.02 * rng.normal();
  const d = coLearned(ctx, displacement(rng, 1, n, role.shape), () =>
    displacement(Rng.derive(ctx.seeds.init, 'colearn', name), 1, n, role.shape),
  );
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = 1 + offset + std * d[i]!; // init 1.0: constant, no lineage
  return { shape: [n], values };
}

function genBias(ctx: GenContext, name: string, n: number, role: Role): SynthTensor {
  const d = displacement(Rng.derive(ctx.seeds.train, 'train', name), 1, n, role.shape);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = role.scale * ctx.recipe.trainScale * d[i]!; // init 0
  return { shape: [n], values };
}

function ropeInvFreq(dim: number, theta: number): Float32Array {
  const out = new Float32Array(dim / 2);
  for (let i = 0; i < dim / 2; i++) out[i] = 1 / theta ** ((2 * i) / dim);
  return out;
}

interface MakeOptions {
  id?: string;
  /** Vision tower prefix (default 'visual.'). */
  visionPrefix?: string;
  configStyle?: ConfigStyle;
}

/**
 * A trained-looking base model. `seed` may split init and training seeds (for shared-init pairs).
 * Deterministic: the same (spec, seed) gives the same values bit for bit.
 */
export function makeBase(
  spec: ModelSpec = { text: textSpec() },
  seed: number | Seeds = 1,
  opts: MakeOptions = {},
): SynthModel {
  const seeds: Seeds = typeof seed === 'number' ? { init: seed, train: seed } : seed;
  const recipe = recipeOf(spec);
  const ctx: GenContext = { recipe, seeds, depth: depthProfile };
  const t = spec.text;
  if (t.hidden % t.heads !== 0 || t.heads % t.kvHeads !== 0)
    throw new Error('makeBase: hidden/heads/kvHeads do not divide');
  const hd = headDim(t);
  const tokenizer = makeTokenizer({
    vocabSize: t.vocab,
    seed: seeds.tokenizer ?? seeds.train,
    extraSpecials: spec.vision ? VISION_SPECIALS : [],
  });
  const tensors = new Map<string, SynthTensor>();
  const resid = outlierScales(Rng.derive(seeds.train, 'outliers', 'text'), t.hidden);
  const freq = frequencyWeights(tokenizer, t.vocab);

  const embed = genMatrix(ctx, 'model.embed_tokens.weight', [t.vocab, t.hidden], EMBED_ROLE, 0, 1, freq, resid);
  addMeanRow(embed, Rng.derive(seeds.train, 'train', 'embed-mean'), 0.05);
  tensors.set('model.embed_tokens.weight', embed);

  for (let l = 0; l < t.layers; l++) {
    const p = `model.layers.${l}.`;
    const shapes: Record<string, number[]> = {
      'input_layernorm.weight': [t.hidden],
      'self_attn.q_proj.weight': [t.heads * hd, t.hidden],
      'self_attn.k_proj.weight': [t.kvHeads * hd, t.hidden],
      'self_attn.v_proj.weight': [t.kvHeads * hd, t.hidden],
      'self_attn.o_proj.weight': [t.hidden, t.heads * hd],
      'post_attention_layernorm.weight': [t.hidden],
      'mlp.gate_proj.weight': [t.ffn, t.hidden],
      'mlp.up_proj.weight': [t.ffn, t.hidden],
      'mlp.down_proj.weight': [t.hidden, t.ffn],
    };
    if (t.attentionBias) {
      shapes['self_attn.q_proj.bias'] = [t.heads * hd];
      shapes['self_attn.k_proj.bias'] = [t.kvHeads * hd];
      shapes['self_attn.v_proj.bias'] = [t.kvHeads * hd];
    }
    for (const [suffix, shape] of Object.entries(shapes)) {
      const role = TEXT_ROLES[suffix]!;
      const name = p + suffix;
      if (role.kind === 'gain') tensors.set(name, genGain(ctx, name, shape[0]!, role, l, t.layers));
      else if (role.kind === 'bias') tensors.set(name, genBias(ctx, name, shape[0]!, role));
      else
        tensors.set(
          name,
          genMatrix(
            ctx,
            name,
            shape,
            role,
            l,
            t.layers,
            role.writes ? resid : undefined,
            role.reads ? resid : undefined,
          ),
        );
    }
    if (t.rotaryBuffers)
      tensors.set(`${p}self_attn.rotary_emb.inv_freq`, {
        shape: [hd / 2],
        values: ropeInvFreq(hd, t.ropeTheta ?? 10000),
      });
  }
  tensors.set('model.norm.weight', genGain(ctx, 'model.norm.weight', t.hidden, FINAL_NORM_ROLE, 0, 1));
  if (t.tieEmbeddings) tensors.set('lm_head.weight', { shape: [t.vocab, t.hidden], values: embed.values.slice() });
  else
    tensors.set('lm_head.weight', genMatrix(ctx, 'lm_head.weight', [t.vocab, t.hidden], HEAD_ROLE, 0, 1, freq, resid));

  const visionPrefix = opts.visionPrefix ?? 'visual.';
  if (spec.vision) for (const [k, v] of genVision(ctx, spec.vision, t.hidden, visionPrefix)) tensors.set(k, v);

  return {
    id: opts.id ?? `synth/base-${seeds.init}${seeds.train !== seeds.init ? `-${seeds.train}` : ''}`,
    spec: structuredClone(spec),
    tensors,
    naming: 'llama',
    visionPrefix,
    configStyle: opts.configStyle ?? (spec.vision ? 'qwen2_5_vl' : 'llama'),
    tokenizer,
    card: { license: 'apache-2.0' },
    storage: { dtype: 'F32', fp8Scale: 'per-tensor' },
    tensorOrder: 'sorted',
    history: [`makeBase(init=${seeds.init}, train=${seeds.train})`],
  };
}

/** Embedding rows share a mean direction in trained models (the large first singular value). */
function addMeanRow(t: SynthTensor, rng: Rng, share: number): void {
  const [rows, cols] = t.shape as [number, number];
  const rms = Math.sqrt(sumSq(t.values) / t.values.length);
  const dir = rng.normals(cols);
  const k = (rms * Math.sqrt(share)) / Math.sqrt(sumSq(dir) / cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) t.values[i * cols + j] = t.values[i * cols + j]! + k * dir[j]!;
}

/** The Qwen2.5-VL vision tower: Conv3d patch embed, pre-norm blocks with fused qkv, patch merger. */
function genVision(ctx: GenContext, v: VisionSpec, textHidden: number, prefix: string): Map<string, SynthTensor> {
  const out = new Map<string, SynthTensor>();
  const resid = outlierScales(Rng.derive(ctx.seeds.train, 'outliers', 'vision'), v.hidden);
  const patchShape = [v.hidden, v.inChannels, v.temporalPatch, v.patch, v.patch];
  out.set(
    `${prefix}patch_embed.proj.weight`,
    genMatrix(ctx, 'visual.patch_embed.proj.weight', patchShape, PATCH_ROLE, 0, 1, resid),
  );
  for (let b = 0; b < v.blocks; b++) {
    const shapes: Record<string, number[]> = {
      'norm1.weight': [v.hidden],
      'norm2.weight': [v.hidden],
      'attn.qkv.weight': [3 * v.hidden, v.hidden],
      'attn.qkv.bias': [3 * v.hidden],
      'attn.proj.weight': [v.hidden, v.hidden],
      'attn.proj.bias': [v.hidden],
      'mlp.gate_proj.weight': [v.ffn, v.hidden],
      'mlp.gate_proj.bias': [v.ffn],
      'mlp.up_proj.weight': [v.ffn, v.hidden],
      'mlp.up_proj.bias': [v.ffn],
      'mlp.down_proj.weight': [v.hidden, v.ffn],
      'mlp.down_proj.bias': [v.hidden],
    };
    for (const [suffix, shape] of Object.entries(shapes)) {
      const role = VISION_ROLES[suffix]!;
      // streams are keyed by the canonical 'visual.' name so a prefix change keeps the values
      const key = `visual.blocks.${b}.${suffix}`;
      let t: SynthTensor;
      if (role.kind === 'gain') t = genGain(ctx, key, shape[0]!, role, b, v.blocks);
      else if (role.kind === 'bias') t = genBias(ctx, key, shape[0]!, role);
      else
        t = genMatrix(
          ctx,
          key,
          shape,
          role,
          b,
          v.blocks,
          role.writes ? resid : undefined,
          role.reads ? resid : undefined,
        );
      out.set(`${prefix}blocks.${b}.${suffix}`, t);
    }
  }
  const mh = v.hidden * v.mergeSize * v.mergeSize;
  const merger: Record<string, number[]> = {
    'merger.ln_q.weight': [v.hidden],
    'merger.mlp.0.weight': [mh, mh],
    'merger.mlp.0.bias': [mh],
    'merger.mlp.2.weight': [textHidden, mh],
    'merger.mlp.2.bias': [textHidden],
  };
  for (const [suffix, shape] of Object.entries(merger)) {
    const role = MERGER_ROLES[suffix]!;
    const key = `visual.${suffix}`;
    let t: SynthTensor;
    if (role.kind === 'gain') t = genGain(ctx, key, shape[0]!, role, 0, 1);
    else if (role.kind === 'bias') t = genBias(ctx, key, shape[0]!, role);
    else t = genMatrix(ctx, key, shape, role, 0, 1);
    out.set(prefix + suffix, t);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// side files

const TORCH_DTYPE: Record<SynthDType, string> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F8_E4M3: 'bfloat16',
};

function llamaTextConfig(t: TextSpec, dtype: string): Record<string, unknown> {
  return {
    hidden_size: t.hidden,
    intermediate_size: t.ffn,
    num_hidden_layers: t.layers,
    num_attention_heads: t.heads,
    num_key_value_heads: t.kvHeads,
    vocab_size: t.vocab,
    max_position_embeddings: 2048,
    rms_norm_eps: 1e-5,
    rope_theta: t.ropeTheta ?? 10000,
    hidden_act: 'silu',
    initializer_range: 0.02,
    tie_word_embeddings: !!t.tieEmbeddings,
    attention_bias: !!t.attentionBias,
    mlp_bias: false,
    torch_dtype: dtype,
  };
}

function visionConfig(v: VisionSpec, outHidden: number): Record<string, unknown> {
  return {
    model_type: 'qwen2_5_vl',
    depth: v.blocks,
    hidden_size: v.hidden,
    intermediate_size: v.ffn,
    num_heads: v.heads,
    in_chans: v.inChannels,
    in_channels: v.inChannels,
    patch_size: v.patch,
    temporal_patch_size: v.temporalPatch,
    spatial_merge_size: v.mergeSize,
    out_hidden_size: outHidden,
    hidden_act: 'silu',
    window_size: 112,
    fullatt_block_indexes: [v.blocks - 1],
  };
}

function bosEos(tok: TokenizerJson): { bos_token_id: number; eos_token_id: number } {
  const v = tok.model.vocab;
  const bos = v['<s>'] ?? v['<|endoftext|>'] ?? 0;
  const eos = v['</s>'] ?? v['<|endoftext|>'] ?? 0;
  return { bos_token_id: bos, eos_token_id: eos };
}

/** config.json in the style the model's naming implies (HF Llama, Qwen2.5-VL, Meta params, ...). */
export function modelConfig(model: SynthModel): Record<string, unknown> {
  const t = model.spec.text;
  const dtype = TORCH_DTYPE[model.storage.dtype];
  const ids = bosEos(model.tokenizer);
  let cfg: Record<string, unknown>;
  switch (model.configStyle) {
    case 'llama':
      cfg = { architectures: ['LlamaForCausalLM'], model_type: 'llama', ...llamaTextConfig(t, dtype), ...ids };
      break;
    case 'qwen2_5_vl': {
      if (!model.spec.vision) throw new Error('qwen2_5_vl config needs a vision spec');
      const v = model.tokenizer.model.vocab;
      cfg = {
        architectures: ['Qwen2_5_VLForConditionalGeneration'],
        model_type: 'qwen2_5_vl',
        ...llamaTextConfig(t, dtype),
        ...ids,
        vision_start_token_id: v['<|vision_start|>'],
        vision_end_token_id: v['<|vision_end|>'],
        image_token_id: v['<|image_pad|>'],
        vision_config: visionConfig(model.spec.vision, t.hidden),
      };
      break;
    }
    case 'vlm':
      // A custom multimodal wrapper whose vision_config still says where the tower came from.
      cfg = {
        architectures: ['SynthVLForCausalLM'],
        model_type: 'synth_vl',
        text_config: { model_type: 'llama', ...llamaTextConfig(t, dtype), ...ids },
        ...(model.spec.vision ? { vision_config: visionConfig(model.spec.vision, t.hidden) } : {}),
        torch_dtype: dtype,
      };
      break;
    case 'meta':
      // Meta's params.json keys (consolidated checkpoints), written as config.json.
      cfg = {
        dim: t.hidden,
        n_layers: t.layers,
        n_heads: t.heads,
        n_kv_heads: t.kvHeads,
        vocab_size: t.vocab,
        hidden_dim: t.ffn,
        norm_eps: 1e-5,
        rope_theta: t.ropeTheta ?? 10000,
      };
      break;
    case 'transformer_h':
      cfg = {
        architectures: ['SynthHForCausalLM'],
        model_type: 'synth_h',
        n_embd: t.hidden,
        n_layer: t.layers,
        n_head: t.heads,
        n_kv_head: t.kvHeads,
        n_inner: t.ffn,
        vocab_size: t.vocab,
        layer_norm_epsilon: 1e-5,
        rotary_emb_base: t.ropeTheta ?? 10000,
        torch_dtype: dtype,
      };
      break;
    case 'phi3':
      cfg = {
        architectures: ['Phi3ForCausalLM'],
        model_type: 'phi3',
        ...llamaTextConfig(t, dtype),
        ...ids,
      };
      break;
  }
  if (model.storage.dtype === 'F8_E4M3') {
    cfg.quantization_config = {
      quant_method: 'compressed-tensors',
      format: 'float-quantized',
      ignore: ['lm_head'],
      config_groups: {
        group_0: {
          targets: ['Linear'],
          weights: {
            num_bits: 8,
            type: 'float',
            strategy: model.storage.fp8Scale === 'per-tensor' ? 'tensor' : 'none',
            symmetric: true,
            dynamic: false,
          },
        },
      },
    };
  }
  return cfg;
}

/** README.md with YAML front matter; `base_model` only where the author declares lineage. */
export function modelCardText(model: SynthModel): string {
  const fm = [`license: ${model.card.license}`];
  if (model.card.baseModel?.length) {
    fm.push('base_model:');
    for (const b of model.card.baseModel) fm.push(`- ${b}`);
  }
  fm.push('tags:', '- weightprint-synthetic');
  const body =
    model.card.description ?? 'A synthetic transformer checkpoint generated by Weightprint for tests and evaluation.';
  return `---\n${fm.join('\n')}\n---\n\n# ${model.id}\n\n${body}\n`;
}
