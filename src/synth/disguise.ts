/**
 * Function-preserving disguises of a Llama-style decoder (HF names), as release pipelines apply
 * them: rotation exports (QuaRot, SpinQuant, Hadamard), per-unit rescaling (SmoothQuant/AWQ
 * folding of scales into norms and the next matrices), sign flips of hidden units, and layout
 * changes (flattened or reshaped matrices). Each takes a tensor map and returns a new one (inputs
 * are never mutated); the model computes the same logits afterwards, up to float rounding (the
 * test helpers check that with a forward pass on real weights).
 *
 * Conventions (HF Linear, W is [out, in], y = x·Wᵀ, x a row vector of the residual stream):
 * - a matrix that READS the residual (q, k, v, gate, up, lm_head) sees x·Q after a rotation Q,
 *   so W ← W·Q; its columns are residual channels;
 * - a matrix that WRITES it (o, down) must produce o·Q, so W ← Qᵀ·W; its rows are residual channels;
 * - the embedding's rows are written into the stream: E ← E·Q.
 * An RMSNorm with a non-unit gain does not commute with Q, so a rotation export first folds every
 * gain into the matrices that read its output (W ← W·diag(g), g ← 1).
 */
import { Rng } from './random.js';
import type { SynthTensor, TextSpec } from './model.js';

export type TensorMap = Map<string, SynthTensor>;

/** The shapes a disguise needs (a TextSpec, or read from a real config.json). */
export type LlamaDims = Pick<TextSpec, 'hidden' | 'ffn' | 'layers' | 'heads' | 'kvHeads' | 'vocab'>;

const L = (l: number, rest: string) => `model.layers.${l}.${rest}`;
const EMBED = 'model.embed_tokens.weight';
const HEAD = 'lm_head.weight';
const FINAL_NORM = 'model.norm.weight';

/** The matrices that read the output of each norm gain. */
function readersOf(t: LlamaDims): Array<{ norm: string; readers: string[] }> {
  const out: Array<{ norm: string; readers: string[] }> = [];
  for (let l = 0; l < t.layers; l++) {
    out.push({
      norm: L(l, 'input_layernorm.weight'),
      readers: ['q_proj', 'k_proj', 'v_proj'].map((p) => L(l, `self_attn.${p}.weight`)),
    });
    out.push({
      norm: L(l, 'post_attention_layernorm.weight'),
      readers: ['gate_proj', 'up_proj'].map((p) => L(l, `mlp.${p}.weight`)),
    });
  }
  out.push({ norm: FINAL_NORM, readers: [HEAD] });
  return out;
}

function writers(t: LlamaDims): string[] {
  const out: string[] = [];
  for (let l = 0; l < t.layers; l++) out.push(L(l, 'self_attn.o_proj.weight'), L(l, 'mlp.down_proj.weight'));
  return out;
}

function need(m: TensorMap, name: string): SynthTensor {
  const t = m.get(name);
  if (!t) throw new Error(`disguise: tensor ${name} missing (HF Llama names expected)`);
  return t;
}

/** lm_head as its own tensor (a tied copy becomes untied once its columns change). */
function headOf(m: TensorMap): SynthTensor {
  return m.get(HEAD) ?? need(m, EMBED);
}

function dims2(t: SynthTensor): [number, number] {
  if (t.shape.length !== 2) throw new Error(`disguise: expected a matrix, got shape [${t.shape}]`);
  return t.shape as [number, number];
}

/** W·diag(s) (columns scaled). */
function scaleCols(t: SynthTensor, s: ArrayLike<number>): SynthTensor {
  const [m, n] = dims2(t);
  const v = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) v[i * n + j] = t.values[i * n + j]! * s[j]!;
  return { shape: [m, n], values: v };
}

/** diag(s)·W (rows scaled). */
function scaleRows(t: SynthTensor, s: ArrayLike<number>): SynthTensor {
  const [m, n] = dims2(t);
  const v = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) v[i * n + j] = t.values[i * n + j]! * s[i]!;
  return { shape: [m, n], values: v };
}

function scaleVec(t: SynthTensor, s: ArrayLike<number>): SynthTensor {
  return { shape: t.shape.slice(), values: Float32Array.from(t.values, (x, i) => x * s[i]!) };
}

/** W·Q for a d×d matrix Q (row-major, float64). */
function mulRight(t: SynthTensor, q: Float64Array, d: number): SynthTensor {
  const [m, n] = dims2(t);
  if (n !== d) throw new Error(`disguise: cannot rotate ${n} columns with a ${d}×${d} matrix`);
  const v = new Float32Array(m * d);
  const row = new Float64Array(d);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let k = 0; k < d; k++) {
      const a = t.values[i * d + k]!;
      if (a === 0) continue;
      const qk = k * d;
      for (let j = 0; j < d; j++) row[j] += a * q[qk + j]!;
    }
    for (let j = 0; j < d; j++) v[i * d + j] = row[j]!;
  }
  return { shape: [m, d], values: v };
}

/** Qᵀ·W for a d×d matrix Q. */
function mulLeftT(t: SynthTensor, q: Float64Array, d: number): SynthTensor {
  const [m, n] = dims2(t);
  if (m !== d) throw new Error(`disguise: cannot rotate ${m} rows with a ${d}×${d} matrix`);
  const acc = new Float64Array(d * n);
  for (let k = 0; k < d; k++) {
    const wk = k * n;
    for (let i = 0; i < d; i++) {
      const c = q[k * d + i]!; // (Qᵀ)[i][k]
      if (c === 0) continue;
      const oi = i * n;
      for (let j = 0; j < n; j++) acc[oi + j] += c * t.values[wk + j]!;
    }
  }
  return { shape: [d, n], values: Float32Array.from(acc) };
}

/** A uniformly random orthogonal d×d matrix (Gram–Schmidt on a Gaussian matrix, Haar measure). */
export function randomOrthogonal(d: number, seed: number): Float64Array {
  const rng = Rng.derive(seed, 'orthogonal', d);
  const q = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) q[i] = rng.normal();
  // rows orthonormalised twice (re-orthogonalisation keeps float64 error ~1e-15)
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < i; k++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += q[i * d + j]! * q[k * d + j]!;
        for (let j = 0; j < d; j++) q[i * d + j] -= dot * q[k * d + j]!;
      }
      let ss = 0;
      for (let j = 0; j < d; j++) ss += q[i * d + j]! ** 2;
      const inv = 1 / Math.sqrt(ss);
      for (let j = 0; j < d; j++) q[i * d + j] *= inv;
    }
  }
  return q;
}

/**
 * A randomised Hadamard matrix H·diag(±1)/√d (QuaRot): d must be a power of two (Sylvester's
 * construction).
 */
export function randomHadamard(d: number, seed: number): Float64Array {
  if (d < 1 || (d & (d - 1)) !== 0)
    throw new Error(`disguise: a Hadamard rotation needs a power-of-two width, got ${d}`);
  const rng = Rng.derive(seed, 'hadamard', d);
  const signs = Float64Array.from({ length: d }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const q = new Float64Array(d * d);
  const s = 1 / Math.sqrt(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      // Sylvester: H[i][j] = (−1)^popcount(i & j)
      let b = i & j;
      let parity = 0;
      while (b) {
        parity ^= 1;
        b &= b - 1;
      }
      q[i * d + j] = (parity ? -s : s) * signs[j]!;
    }
  }
  return q;
}

/**
 * Every RMSNorm gain folded into the matrices that read its output (W ← W·diag(g)), gains set to
 * 1.0. The first step of a rotation export; also what some converters do to drop norm weights.
 */
export function foldNormGains(tensors: TensorMap, t: LlamaDims): TensorMap {
  const out = new Map(tensors);
  for (const { norm, readers } of readersOf(t)) {
    const g = out.get(norm);
    if (!g) continue;
    for (const r of readers) out.set(r, scaleCols(r === HEAD ? headOf(out) : need(out, r), g.values));
    out.set(norm, { shape: g.shape.slice(), values: new Float32Array(g.values.length).fill(1) });
  }
  return out;
}

export type RotationKind = 'orthogonal' | 'hadamard';

export interface RotationOptions {
  kind: RotationKind;
  seed: number;
  /** Also rotate each value head (v rows, o columns) by its own orthogonal matrix (SpinQuant R2). */
  heads?: boolean;
}

/**
 * A rotation export (QuaRot/SpinQuant R1, optionally R2): gains folded, then the residual stream
 * multiplied by an orthogonal Q. Embedding E ← E·Q, readers W ← W·Q, writers W ← Qᵀ·W.
 */
export function rotateResidual(tensors: TensorMap, t: LlamaDims, opts: RotationOptions): TensorMap {
  const d = t.hidden;
  const q = opts.kind === 'hadamard' ? randomHadamard(d, opts.seed) : randomOrthogonal(d, opts.seed);
  const out = foldNormGains(tensors, t);
  out.set(EMBED, mulRight(need(out, EMBED), q, d));
  for (const { readers } of readersOf(t))
    for (const r of readers) out.set(r, mulRight(r === HEAD ? headOf(out) : need(out, r), q, d));
  for (const w of writers(t)) out.set(w, mulLeftT(need(out, w), q, d));
  return opts.heads ? rotateValueHeads(out, t, opts.seed + 1) : out;
}

/**
 * Each kv head's value space rotated by its own orthogonal R (SpinQuant R2): v rows of the head
 * ← Rᵀ·V_h, and the o columns of every query head that reads it ← O_h·R. Attention is linear in v.
 */
export function rotateValueHeads(tensors: TensorMap, t: LlamaDims, seed: number): TensorMap {
  const hd = t.hidden / t.heads;
  const group = t.heads / t.kvHeads;
  const out = new Map(tensors);
  for (let l = 0; l < t.layers; l++) {
    const vName = L(l, 'self_attn.v_proj.weight');
    const oName = L(l, 'self_attn.o_proj.weight');
    const v = need(out, vName);
    const o = need(out, oName);
    const [, d] = dims2(v);
    const [dOut, oIn] = dims2(o);
    const nv = Float32Array.from(v.values);
    const no = Float32Array.from(o.values);
    for (let kv = 0; kv < t.kvHeads; kv++) {
      const r = randomOrthogonal(hd, seed * 1009 + l * 97 + kv);
      // V_h' = Rᵀ·V_h : row a of the head = Σ_b R[b][a]·V_h[b]
      for (let a = 0; a < hd; a++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let b = 0; b < hd; b++) s += r[b * hd + a]! * v.values[(kv * hd + b) * d + j]!;
          nv[(kv * hd + a) * d + j] = s;
        }
      }
      for (let g = 0; g < group; g++) {
        const h = kv * group + g;
        // O_h' = O_h·R : column a of the head = Σ_b O_h[:, b]·R[b][a]
        for (let i = 0; i < dOut; i++) {
          for (let a = 0; a < hd; a++) {
            let s = 0;
            for (let b = 0; b < hd; b++) s += o.values[i * oIn + h * hd + b]! * r[b * hd + a]!;
            no[i * oIn + h * hd + a] = s;
          }
        }
      }
    }
    out.set(vName, { shape: v.shape.slice(), values: nv });
    out.set(oName, { shape: o.shape.slice(), values: no });
  }
  return out;
}

/** Log-normal scales exp(σ·z), as smoothing factors spread over about e^±2σ. */
function logNormalScales(rng: Rng, n: number, sigma: number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.exp(sigma * rng.normal()));
}

export interface RescaleOptions {
  seed: number;
  /** Log-std of the scales (0.5: most factors within ×0.37 … ×2.7). */
  sigma?: number;
  /** SmoothQuant/AWQ: per residual channel, gain ÷ s and the reading matrices' columns × s. */
  norms?: boolean;
  /** Per FFN unit: up row × s, down column ÷ s. */
  ffn?: boolean;
  /** Per value channel: v row × s, o column ÷ s (for every query head of the kv group). */
  values?: boolean;
}

/**
 * Per-unit rescaling (SmoothQuant/AWQ-style): scales migrate between a norm gain and the matrices
 * that read it, and between the two matrices around an FFN unit or a value channel.
 */
export function rescaleUnits(tensors: TensorMap, t: LlamaDims, opts: RescaleOptions): TensorMap {
  const rng = Rng.derive(opts.seed, 'rescale');
  const sigma = opts.sigma ?? 0.5;
  const out = new Map(tensors);
  if (opts.norms ?? true) {
    for (const { norm, readers } of readersOf(t)) {
      const g = out.get(norm);
      if (!g) continue;
      const s = logNormalScales(rng, g.values.length, sigma);
      out.set(
        norm,
        scaleVec(
          g,
          Array.from(s, (x) => 1 / x),
        ),
      );
      for (const r of readers) out.set(r, scaleCols(r === HEAD ? headOf(out) : need(out, r), s));
    }
  }
  if (opts.ffn ?? true) {
    for (let l = 0; l < t.layers; l++) {
      const s = logNormalScales(rng, t.ffn, sigma);
      out.set(L(l, 'mlp.up_proj.weight'), scaleRows(need(out, L(l, 'mlp.up_proj.weight')), s));
      out.set(
        L(l, 'mlp.down_proj.weight'),
        scaleCols(
          need(out, L(l, 'mlp.down_proj.weight')),
          Array.from(s, (x) => 1 / x),
        ),
      );
    }
  }
  if (opts.values ?? true) {
    const hd = t.hidden / t.heads;
    const group = t.heads / t.kvHeads;
    for (let l = 0; l < t.layers; l++) {
      const s = logNormalScales(rng, t.kvHeads * hd, sigma);
      const inv = new Float64Array(t.heads * hd);
      for (let h = 0; h < t.heads; h++)
        for (let a = 0; a < hd; a++) inv[h * hd + a] = 1 / s[Math.floor(h / group) * hd + a]!;
      out.set(L(l, 'self_attn.v_proj.weight'), scaleRows(need(out, L(l, 'self_attn.v_proj.weight')), s));
      const vb = out.get(L(l, 'self_attn.v_proj.bias'));
      if (vb) out.set(L(l, 'self_attn.v_proj.bias'), scaleVec(vb, s));
      out.set(L(l, 'self_attn.o_proj.weight'), scaleCols(need(out, L(l, 'self_attn.o_proj.weight')), inv));
    }
  }
  return out;
}

/** ±1 with exactly ⌊n/2⌋ minus signs at random places (balanced: a plain Pearson goes to ~0). */
function balancedSigns(rng: Rng, n: number): Float64Array {
  const s = new Float64Array(n).fill(1);
  const p = rng.permutation(n);
  for (let i = 0; i < Math.floor(n / 2); i++) s[p[i]!] = -1;
  return s;
}

export interface SignFlipOptions {
  seed: number;
  /** Residual channels: embedding and readers' columns, writers' rows. */
  residual?: boolean;
  /** FFN units: up row and down column. */
  ffn?: boolean;
  /** Value channels: v row and the o columns reading it. */
  values?: boolean;
}

/** Balanced sign flips of hidden units: a signed permutation that keeps every index in place. */
export function flipSigns(tensors: TensorMap, t: LlamaDims, opts: SignFlipOptions): TensorMap {
  const rng = Rng.derive(opts.seed, 'signs');
  const out = new Map(tensors);
  if (opts.residual ?? true) {
    const s = balancedSigns(rng, t.hidden);
    const tiedHead = out.get(HEAD) === out.get(EMBED);
    out.set(EMBED, scaleCols(need(out, EMBED), s));
    for (const { readers } of readersOf(t)) {
      for (const r of readers) {
        if (r === HEAD && (tiedHead || !out.has(HEAD))) continue;
        out.set(r, scaleCols(need(out, r), s));
      }
    }
    if (tiedHead && out.has(HEAD)) out.set(HEAD, out.get(EMBED)!);
    for (const w of writers(t)) out.set(w, scaleRows(need(out, w), s));
  }
  if (opts.ffn ?? true) {
    for (let l = 0; l < t.layers; l++) {
      const s = balancedSigns(rng, t.ffn);
      out.set(L(l, 'mlp.up_proj.weight'), scaleRows(need(out, L(l, 'mlp.up_proj.weight')), s));
      out.set(L(l, 'mlp.down_proj.weight'), scaleCols(need(out, L(l, 'mlp.down_proj.weight')), s));
    }
  }
  if (opts.values ?? false) {
    const hd = t.hidden / t.heads;
    const group = t.heads / t.kvHeads;
    for (let l = 0; l < t.layers; l++) {
      const s = balancedSigns(rng, t.kvHeads * hd);
      const o = new Float64Array(t.heads * hd);
      for (let h = 0; h < t.heads; h++) for (let a = 0; a < hd; a++) o[h * hd + a] = s[Math.floor(h / group) * hd + a]!;
      out.set(L(l, 'self_attn.v_proj.weight'), scaleRows(need(out, L(l, 'self_attn.v_proj.weight')), s));
      out.set(L(l, 'self_attn.o_proj.weight'), scaleCols(need(out, L(l, 'self_attn.o_proj.weight')), o));
    }
  }
  return out;
}

export type ReshapeMode = 'flatten' | 'split-rows';

/**
 * Layout-only changes that keep every value in flat order: 'flatten' stores every matrix as 1-D;
 * 'split-rows' stores [R, C] as [2R, C/2] (matrices with an odd column count are kept).
 * A loader that reshapes back gets the same model.
 */
export function reshapeMatrices(tensors: TensorMap, mode: ReshapeMode): TensorMap {
  const out = new Map<string, SynthTensor>();
  for (const [name, t] of tensors) {
    if (t.shape.length < 2) {
      out.set(name, t);
      continue;
    }
    const n = t.values.length;
    if (mode === 'flatten') out.set(name, { shape: [n], values: t.values });
    else {
      const [r, c] = [t.shape[0]!, n / t.shape[0]!];
      out.set(name, c % 2 === 0 ? { shape: [2 * r, c / 2], values: t.values } : t);
    }
  }
  return out;
}

/** LlamaDims from an HF config.json (hidden_size, intermediate_size, …). */
export function llamaDims(cfg: Record<string, unknown>): LlamaDims {
  const n = (k: string): number => {
    const v = cfg[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new Error(`config.json: ${k} missing or invalid`);
    return v;
  };
  const heads = n('num_attention_heads');
  return {
    hidden: n('hidden_size'),
    ffn: n('intermediate_size'),
    layers: n('num_hidden_layers'),
    heads,
    kvHeads: typeof cfg.num_key_value_heads === 'number' ? n('num_key_value_heads') : heads,
    vocab: n('vocab_size'),
  };
}

/**
 * A copy hidden as a sub-block (not function-preserving): every matrix [R, C] stored as
 * [X; W] = [2R, C] (axis 0) or [X, W] = [R, 2C] (axis 1), X random with W's standard deviation.
 * Position by index lines up only X with the original.
 */
export function stackRandom(tensors: TensorMap, axis: 0 | 1, seed: number): TensorMap {
  const out = new Map<string, SynthTensor>();
  for (const [name, t] of tensors) {
    if (t.shape.length !== 2) {
      out.set(name, t);
      continue;
    }
    const [r, c] = [t.shape[0]!, t.shape[1]!];
    let s = 0;
    for (const v of t.values) s += v * v;
    const x = Rng.derive(seed, 'stack', name).normals(r * c, Math.sqrt(s / t.values.length));
    const values = new Float32Array(2 * r * c);
    if (axis === 0) {
      values.set(x);
      values.set(t.values, r * c);
      out.set(name, { shape: [2 * r, c], values });
    } else {
      for (let i = 0; i < r; i++) {
        values.set(x.subarray(i * c, (i + 1) * c), 2 * i * c);
        values.set(t.values.subarray(i * c, (i + 1) * c), (2 * i + 1) * c);
      }
      out.set(name, { shape: [r, 2 * c], values });
    }
  }
  return out;
}
