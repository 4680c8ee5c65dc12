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
 * The containment is measured over the tensors that carry the evidence (individually significant),
 * so one spliced layer in an unrelated model is still judged by its own tensors.
 */
import { median } from './stats.js';
import type { TensorMatch } from './tensor-match.js';

/** Containment at or above this: B holds A (a derivative); below, a shared start cannot be excluded. */
export const CONTAINMENT_DERIVED = 0.85;
/** Below this median r (with equal spreads and gains not inherited) the pair diverged as siblings do. */
export const SIBLING_MAX_R = 0.7;
/** Norm gains this correlated are inherited, not co-learned (siblings: 0.58–0.60; derivatives ≥ 0.92). */
export const INHERITED_GAIN_R = 0.8;

export interface Divergence {
  /** Median over the evidence tensors of |r|·max(σB/σA, σA/σB). */
  containment: number;
  /** Median |r| of the same tensors. */
  medianR: number;
  tensors: number;
  /** Median centred r of the norm/bias vectors compared (NaN when none). */
  gainR: number;
  gains: number;
}

function spread(m: TensorMatch, side: 'a' | 'b'): number | undefined {
  const fp = side === 'a' ? m.a?.fp : m.b.fp;
  const s = fp?.moments?.std;
  return s !== undefined && s > 0 ? s : undefined;
}

export function divergence(evidence: TensorMatch[], vectors: TensorMatch[]): Divergence {
  const cs: number[] = [];
  const rs: number[] = [];
  for (const m of evidence) {
    if (m.exact || m.r === undefined) continue;
    const sa = spread(m, 'a');
    const sb = spread(m, 'b');
    if (sa === undefined || sb === undefined) continue;
    const r = Math.abs(m.r);
    rs.push(r);
    cs.push(r * Math.max(sb / sa, sa / sb));
  }
  const gains = vectors.filter((v) => v.exact || v.r !== undefined).map((v) => (v.exact ? 1 : v.r!));
  return {
    containment: cs.length ? median(cs) : NaN,
    medianR: rs.length ? median(rs) : NaN,
    tensors: cs.length,
    gainR: gains.length ? median(gains) : NaN,
    gains: gains.length,
  };
}

export type SiblingFinding = 'derived' | 'siblings' | 'undecided';

/** What the divergence says: B holds A, the pair diverged from a shared start, or it cannot be told. */
export function siblingFinding(d: Divergence): SiblingFinding {
  if (!(d.tensors > 0) || d.containment >= CONTAINMENT_DERIVED) return 'derived';
  const gainsInherited = d.gains > 0 && d.gainR >= INHERITED_GAIN_R;
  if (d.medianR < SIBLING_MAX_R && !gainsInherited) return 'siblings';
  return 'undecided';
}
