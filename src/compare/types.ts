/** The comparison's JSON contract (extend, never rename: other tools read it). */
import type { ConfigComparison } from './config.js';
import type { LineageResult } from './lineage.js';
import type { TokenizerEvidence } from './tokenizer.js';

export type { ConfigComparison, LineageResult, TokenizerEvidence };

export type Verdict = 'identical' | 'derived' | 'independent' | 'inconclusive';

/** Strength order used to pick the model-level verdict. */
export const VERDICT_STRENGTH: Record<Verdict, number> = {
  identical: 3,
  derived: 2,
  independent: 1,
  inconclusive: 0,
};

export interface Evidence {
  kind:
    | 'exact'
    | 'value-digest'
    | 'correlation'
    | 'shared-init'
    | 'fixed'
    | 'tokenizer'
    | 'config'
    | 'lineage'
    | 'challenge'
    | 'note';
  /** One line a person can read. */
  detail: string;
  a?: string;
  b?: string;
  score?: number;
  z?: number;
  p_value?: number;
}

/**
 * A resemblance beyond mismatched-layer controls that the shared-initialisation rule judged
 * (compare/siblings.ts), so a policy can act on it: `undecided` (verdict `inconclusive`: a
 * derivative and a sibling from one random initialisation cannot be told apart) or `shared-init`
 * (verdict `independent`: the pair diverged as separately trained siblings do).
 */
export interface Resemblance {
  finding: 'undecided' | 'shared-init';
  /** Median |r| of the individually significant tensors, and how many there were. */
  median_r: number;
  tensors: number;
  /** Tensors compared in the component, and their combined z. */
  compared: number;
  z: number;
  /** |r|·max(σB/σA, σA/σB), median over the same tensors (a derivative keeps ≥ 0.85). */
  containment: number;
  /** Median r of the norm/bias vectors compared (absent when none), and how many. */
  gain_r?: number;
  gains: number;
  /**
   * Found by the challenge sample at a private seed where the published sample found none
   * (check/challenge.ts): said so in the report, judged by the same policy rules.
   */
  private_seed?: boolean;
}

interface LayerPoint {
  /** Layer index in B (or tensor order when there are no layers). */
  layer: number;
  /** Median centered correlation of that layer's matched tensors. */
  r: number;
}

export interface ComponentResult {
  name: string;
  /** vision / audio / projector / text / embeddings / head / other. */
  kind?: string;
  a: string;
  b: string;
  verdict: Verdict;
  tensors_compared: number;
  /** Combined evidence score (Stouffer z over tensors; see `null`). */
  score: number;
  null: { mean: number; std: number };
  p_value: number;
  /**
   * Confidence of the rule that decided the verdict (1 − its p-value): for `derived` by a count of
   * significant tensors, that count's p, not the combined score's.
   */
  confidence?: number;
  /** Median centered correlation of matched tensors (display; decisions use score/p_value). */
  median_r?: number;
  /** Share of compared tensors that are exact or order-free copies. */
  exact_share?: number;
  evidence: Evidence[];
  layers?: LayerPoint[];
  /** Present when the shared-initialisation rule judged the component (see Resemblance). */
  resemblance?: Resemblance;
}

export interface NotCompared {
  what: string;
  why: string;
}

export interface CompareResult {
  verdict: Verdict;
  confidence: number;
  reason: string;
  a: { id: string; mode: string };
  b: { id: string; mode: string };
  components: ComponentResult[];
  not_compared: NotCompared[];
  /** Present when both sides have tokenizer files. */
  tokenizer?: TokenizerEvidence;
  /** Present when both sides have a config.json: context, never evidence on its own. */
  config?: ConfigComparison;
  /** B's declared base models checked against the weights' verdict. */
  lineage?: LineageResult;
}
