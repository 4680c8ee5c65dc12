/**
 * Shared-seed siblings. Default seeds are common (llama2.c 1337, HF Trainer 42): two teams that
 * train one config start from identical weights, and trained on similar data their matrices,
 * embeddings and even norm gains co-adapt, far above any mismatched-layer control. A correlation
 * test alone then says "derived". What tells "B was trained from A's trained weights" from "A and
 * B started at the same random point" is where the common point lies:
 *
 * - a derivative keeps A: B = A + δ (a fine-tune, continued training, noise, a merge with most of
 *   A), so the regression of one on the other keeps slope ≈ 1 whatever the correlation. The
 *   containment r·max(σB/σA, σA/σB) is ≈ 1: measured 1.00 on drifted copies (r 0.45 and 0.71),
 *   1.00 on the real landmark → expression fine-tune, 1.13 on 600 more AdamW steps of a trained
 *   llama2.c model (r 0.90), 1.00 on the real tiny-face checkpoints;
 * - siblings both moved away from the common random point, by the same recipe: equal spreads, so
 *   the containment is just r: 0.50 (r 0.47) on the real siblings of ../shared/realmodels/trained,
 *   0.51 (r 0.47) on a numpy reproduction of them; their norm gains (constant at init, so every bit
 *   of their similarity is co-learned) correlate 0.58–0.60, a derivative's 0.92 and more.
 *
 * A containment near 1 is not enough when the pair is close: siblings barely trained from one init
 * (40 steps of a wide model: r 0.92) have containment ≈ r ≈ 0.92 as well. What still tells them
 * apart is how the spreads moved: B = A + δ with δ new to A has σB/σA = 1/r, so the containment
 * rises from r all the way to 1; siblings trained alike keep equal spreads, so it stays at r. The
 * growth (c − r)/(1 − r) is ≈ 1 for a derivative (0.9 and more: 20 further steps of that wide model,
 * 200 of a llama2.c one, fine-tunes) and ≈ 0 for siblings (0.07 and 0.2 on the wide siblings).
 * Containment ≥ 0.85 with growth < ½ is closer to the siblings' prediction: undecided, not derived,
 * unless the norm gains of those layers are A's (r ≥ 0.8: a quantised copy's spreads do not grow).
 * Gains below 1/√2 disown A whatever the spreads say (siblings trained for unequal lengths).
 *
 * The containment is measured over the tensors that carry the evidence (individually significant),
 * so one spliced layer in an unrelated model is still judged by its own tensors.
 */
import { numel } from '../fingerprint/classify.js';
import { sampleFlatIndices } from '../fingerprint/sample.js';
import { median } from './stats.js';
import type { TensorMatch } from './tensor-match.js';

/** Containment at or above this: B holds A (a derivative); below, a shared start cannot be excluded. */
export const CONTAINMENT_DERIVED = 0.85;
/** Below this median r (with equal spreads and gains not inherited) the pair diverged as siblings do. */
export const SIBLING_MAX_R = 0.7;
/** Norm gains this correlated are inherited, not co-learned (siblings: 0.58–0.60; derivatives ≥ 0.92). */
export const INHERITED_GAIN_R = 0.8;
/**
 * Equal spreads (growth < ½) at containment ≥ 0.85 are A only with gains this close to A's: a copy
 * rounded to another dtype keeps them (r 0.999 and more). Co-learned gains of siblings barely trained
 * from one seed on one task reach INHERITED_GAIN_R and beyond (numpy SGD, same init, other data
 * draws: matrices r 0.998, gains 0.88–0.92), so 0.8 there said "derived" of models trained apart.
 */
export const COPIED_GAIN_R = 0.98;
/** Share of the derivative's predicted spread change (σ ratio 1/r) below which B did not grow from A. */
export const GROWTH_DERIVED = 0.5;
/**
 * Norm gains (init 1.0: no trace of the random init) correlating below this were moved by more than
 * their whole trained deviation: not A's gains plus an update, whatever the matrices say (fine-tunes,
 * continued pretraining, merges and quantised copies of A: 0.81–1.00; siblings 0.44–0.60). It sits
 * below 1/√2, where a copy drifted by noise of its own spread on every tensor lands (real conv
 * weights + 1 σ: gains r 0.69), with the siblings' highest measured value 0.05 below it.
 */
export const COLEARNED_GAIN_R = 0.65;
/**
 * Containment needed when no positional r carries the evidence (only rotation-invariant Gram or
 * fitted statistics: a rotation export with its norms folded), so growth cannot tell equal spreads
 * from grown ones, and there are no gains to ask. A rotated sibling keeps containment ≈ its Gram r:
 * shared-seed llama2.c siblings, one rotated, 0.83 over 24 tensors in full mode and 0.85 over the 9
 * attention tensors a sketch keeps Grams of (adversary harness, runs above 4096); rotated copies and
 * fine-tunes of A measured 1.00–1.22.
 */
export const INVARIANT_CONTAINMENT_DERIVED = 0.95;
/** Gains needed before their correlation can overrule the matrices. */
const MIN_GAINS = 4;

export interface Divergence {
  /** Median over the evidence tensors of |r|·max(σB/σA, σA/σB). */
  containment: number;
  /** Median |r| of the same tensors. */
  medianR: number;
  /**
   * Median over the same tensors of (c − r)/(1 − r): 1 when the spreads moved apart as A plus new
   * training does (σ ratio 1/r), 0 when they stayed equal as equally trained siblings' do.
   */
  growth: number;
  /**
   * Median standard error of those growths where a spread was estimated from a sample (a sketch's
   * moments are those of its sampled values): 0 when every spread is exact (full reads).
   */
  growthError?: number;
  tensors: number;
  /** Median centred r of the norm/bias vectors compared (NaN when none). */
  gainR: number;
  gains: number;
  /**
   * The same over the vectors of the layers the evidence tensors are in (all of them when the
   * evidence has no layer): one layer spliced into another model brings its own gains.
   */
  layerGainR: number;
  layerGains: number;
  /** Whether the evidence tensors sit in layers (a decoder), not only outside them (an embedding). */
  layered: boolean;
}

function spread(m: TensorMatch, side: 'a' | 'b'): number | undefined {
  const fp = side === 'a' ? m.a?.fp : m.b.fp;
  const s = fp?.moments?.std;
  return s !== undefined && s > 0 ? s : undefined;
}

/**
 * Standard error of one tensor's growth when its spreads come from a sample of n values: the σ ratio
 * of B = A + e over the sampled positions errs by about cov(A, e)/σA², std √(1 − r²)/√n, and the
 * growth divides that by (1 − r)/r, so near a copy it is large (r 0.997, 4,096 values: 0.4). With
 * both sides sampled at the same positions this is the paired error; one exact side errs more.
 */
function growthError(m: TensorMatch, r: number): number {
  const sampled = [m.a?.fp, m.b.fp].filter((fp) => fp?.moments?.exact === false);
  if (sampled.length === 0) return 0;
  const n = Math.min(...sampled.map((fp) => (fp!.sample ? fp!.sample.rows * fp!.sample.cols : 0)));
  return n > 0 ? (r * Math.sqrt(Math.max(0, 1 - r * r))) / ((1 - r) * Math.sqrt(n)) : Infinity;
}

export function divergence(evidence: TensorMatch[], vectors: TensorMatch[]): Divergence {
  const cs: number[] = [];
  const rs: number[] = [];
  const gs: number[] = [];
  const es: number[] = [];
  for (const m of evidence) {
    if (m.exact || m.r === undefined) continue;
    const sa = spread(m, 'a');
    const sb = spread(m, 'b');
    if (sa === undefined || sb === undefined) continue;
    const r = Math.abs(m.r);
    const c = r * Math.max(sb / sa, sa / sb);
    rs.push(r);
    cs.push(c);
    // a tensor equal to A's but for rounding is a copy: nothing left to tell siblings by
    // only a positional r and the spreads are two views of one regression (a Gram or fitted
    // statistic's r after undoing a rotation or rescaling is another quantity)
    if (!m.statistic || m.statistic === 'positional') {
      gs.push(1 - r > 1e-6 ? (c - r) / (1 - r) : 1);
      es.push(1 - r > 1e-6 ? growthError(m, r) : 0);
    }
  }
  const compared = vectors.filter((v) => v.exact || v.r !== undefined);
  const gains = compared.map((v) => (v.exact ? 1 : v.r!));
  const layers = new Set(evidence.map((m) => m.b.layer).filter((l) => l !== undefined));
  const inLayers = layers.size
    ? compared.filter((v) => v.b.layer === undefined || layers.has(v.b.layer)).map((v) => (v.exact ? 1 : v.r!))
    : gains;
  return {
    containment: cs.length ? median(cs) : NaN,
    medianR: rs.length ? median(rs) : NaN,
    growth: gs.length ? median(gs) : NaN,
    growthError: es.length ? median(es) : 0,
    tensors: cs.length,
    gainR: gains.length ? median(gains) : NaN,
    gains: gains.length,
    layerGainR: inLayers.length ? median(inLayers) : NaN,
    layerGains: inLayers.length,
    layered: layers.size > 0,
  };
}

/** The model's norm gains say B did not keep A's: co-learned at most. */
export function gainsDisown(d: Divergence): boolean {
  // an embedding has no gains of its own: the model's say nothing against it (a spliced-in copy)
  return d.layered && d.layerGains >= MIN_GAINS && d.layerGainR < COLEARNED_GAIN_R;
}

export type SiblingFinding = 'derived' | 'siblings' | 'undecided';

/** What the divergence says: B holds A, the pair diverged from a shared start, or it cannot be told. */
export function siblingFinding(d: Divergence): SiblingFinding {
  if (!(d.tensors > 0)) return 'derived';
  // B holds A only if it also grew from A: equal spreads at a high r are what close siblings show
  if (d.containment >= CONTAINMENT_DERIVED) {
    if (gainsDisown(d)) return 'undecided';
    if (Number.isNaN(d.growth)) {
      const gainsInherited = d.layerGains >= MIN_GAINS && d.layerGainR >= INHERITED_GAIN_R;
      return d.containment >= INVARIANT_CONTAINMENT_DERIVED || gainsInherited ? 'derived' : 'undecided';
    }
    // equal spreads at a high r with A's own gains (a copy rounded to another dtype) is still A;
    // gains merely correlated are what siblings barely trained on one task co-learn
    const layerGainsInherited = d.layerGains >= MIN_GAINS && d.layerGainR >= COPIED_GAIN_R;
    return d.growth >= GROWTH_DERIVED || layerGainsInherited ? 'derived' : 'undecided';
  }
  const gainsInherited = d.gains > 0 && d.gainR >= INHERITED_GAIN_R;
  if (d.medianR < SIBLING_MAX_R && !gainsInherited) return 'siblings';
  return 'undecided';
}

/** Sampled values of a vector that must be distinct before bit-identity counts (a learned vector has many). */
const MIN_DISTINCT = 16;
/** |Spearman ρ| of value against position at or above which a vector is a schedule, not learned. */
const SCHEDULE_RHO = 0.99;
/** Period counts tried for tiled schedules (one per head, per half, …). */
const SCHEDULE_PERIODS = [1, 2, 3, 4, 6, 8, 12, 16, 32];

function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((x, y) => values[x]! - values[y]!);
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    for (let k = i; k <= j; k++) out[order[k]!] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const n = rx.length;
  const m = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - m) * (ry[i]! - m);
    sxx += (rx[i]! - m) ** 2;
    syy += (ry[i]! - m) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/**
 * A vector computed by a formula rather than learned: monotone in position (arithmetic and
 * geometric sequences such as rotary inv_freq, ALiBi slopes, log-spaced A_log rows, any sorted
 * schedule), whole or tiled in equal periods. Independent models share such vectors exactly.
 */
export function isScheduleVector(positions: ArrayLike<number>, values: ArrayLike<number>, length: number): boolean {
  for (const p of SCHEDULE_PERIODS) {
    if (length % p !== 0) continue;
    const period = length / p;
    const groups = new Map<number, { x: number[]; y: number[] }>();
    for (let i = 0; i < values.length; i++) {
      const g = Math.floor(positions[i]! / period);
      const e = groups.get(g) ?? { x: [], y: [] };
      groups.set(g, e);
      e.x.push(positions[i]! % period);
      e.y.push(values[i]!);
    }
    const tested = [...groups.values()].filter((e) => e.x.length >= 8);
    if (
      tested.length &&
      tested.length >= groups.size / 2 &&
      tested.every((e) => Math.abs(spearman(e.x, e.y)) >= SCHEDULE_RHO)
    )
      return true;
  }
  return false;
}

/**
 * B's norm gains and biases that are bit-identical to one of A's (equal SHA-256, or the same values
 * at bf16 for a re-encoded copy) and carry trained values: not constant, at least 16 distinct
 * sampled values, not a formula. They start from constants (1.0, 0.0), so two models trained
 * separately, even from one random initialisation, end with different values: an identical one was
 * taken from A's trained weights. This is the exact evidence the containment cannot give when an
 * author rescales A's matrices and adds noise to look like a sibling.
 */
export function identicalTrainedVectors(vectors: TensorMatch[]): TensorMatch[] {
  return vectors.filter((m) => {
    if (m.exact !== 'sha256' && m.exact !== 'value-digest') return false;
    if (m.b.cls !== 'vector' || !m.b.vec?.varies) return false;
    const values = m.b.vec.values;
    if (new Set(values).size < MIN_DISTINCT) return false;
    const n = numel(m.b.fp.shape);
    return !isScheduleVector(sampleFlatIndices(m.b.vec.plan), values, n);
  });
}

/**
 * A linear merge B = w·A + (1 − w)·X with X unrelated to A regresses on A with the one slope w in
 * every tensor (cov(B, A)/var(A) = w), whatever each tensor's spread; SLERP of near-orthogonal
 * tensors nearly so. Siblings from one random init regress with slope var(init)/var(A) plus what
 * they co-learned, which differs from tensor to tensor as training moved each differently. Measured
 * (full fingerprints, significant positional tensors, relative IQR of the slopes): linear merges of
 * stories260K with a real shared-seed sibling, against the minority parent, 0.02–0.07 (w 0.75,
 * 0.5), 0.18 at w 0.25, SLERP t 0.3 0.11; the real seed-1337 siblings 0.50.
 */
export interface MergeCoefficient {
  /** Median slope of B on A, |r|·σB/σA. */
  w: number;
  /** (q3 − q1)/median of the slopes. */
  spread: number;
  /** Median |r|. */
  r: number;
  tensors: number;
}

/** Tensors needed before a common slope means anything. */
const MERGE_MIN_TENSORS = 8;
/** Relative IQR of the per-tensor slopes at or below which they are one coefficient. */
export const MERGE_MAX_SPREAD = 0.2;

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

/**
 * The common slope of B on A over positional evidence tensors, when B carries A at one weight
 * short of keeping its scale and grew beyond it (σB/σA > 1: B holds more than the A part):
 * undefined when the slopes scatter, are too few, or say something else (a copy, equal spreads).
 */
export function mergeCoefficient(evidence: TensorMatch[]): MergeCoefficient | undefined {
  const slopes: number[] = [];
  const rs: number[] = [];
  for (const m of evidence) {
    if (m.exact || m.r === undefined || (m.statistic && m.statistic !== 'positional')) continue;
    const sa = spread(m, 'a');
    const sb = spread(m, 'b');
    if (sa === undefined || sb === undefined) continue;
    slopes.push((Math.abs(m.r) * sb) / sa);
    rs.push(Math.abs(m.r));
  }
  if (slopes.length < MERGE_MIN_TENSORS) return undefined;
  slopes.sort((x, y) => x - y);
  const w = quantile(slopes, 0.5);
  const r = median(rs);
  const spreadOf = (quantile(slopes, 0.75) - quantile(slopes, 0.25)) / w;
  // B's spread beyond the A part: growth (w − r)/(1 − r) of a tenth at least (equal spreads: w = r)
  const grew = (w - r) / (1 - r) >= 0.1;
  if (!(w >= 0.15 && w < CONTAINMENT_DERIVED && spreadOf <= MERGE_MAX_SPREAD && grew)) return undefined;
  return { w, spread: spreadOf, r, tensors: slopes.length };
}
