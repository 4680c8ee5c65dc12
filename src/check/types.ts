/** What `weightprint check` produces; the CLI, the Action and the App all render and post this. */
import type { CompareResult, Verdict } from '../compare/types.js';
import type { RegistryError } from '../registry/types.js';

export type PolicyResult = 'pass' | 'warn' | 'fail';

export interface CheckMatch extends CompareResult {
  /** Registry entry id, e.g. `hf:Qwen/Qwen2.5-7B@main`. */
  entry: string;
}

export interface CheckResult {
  /** The model that was checked (path or hf: id). */
  model: string;
  verdict: Verdict;
  policy: { result: PolicyResult; reasons: string[]; grades?: Record<string, string> };
  matches: CheckMatch[];
  /** What the registry gave this check. Absent in reports written before it existed. */
  registry?: RegistryStatus;
  /** How the model's weights were read. Absent in reports written before it existed. */
  fingerprint?: FingerprintStatus;
  /**
   * The challenge sample: entries re-read on both sides at a private seed (check/challenge.ts).
   * Absent in reports written before it existed.
   */
  challenge?: ChallengeStatus;
}

/** What the challenge sample did for one checked model. */
export interface ChallengeStatus {
  /** As asked (policy `challenge`, CLI `--challenge`, Action input `challenge`). */
  setting: 'auto' | 'off' | number;
  /** Most entries challenged per model under that setting. */
  limit: number;
  /**
   * The private seed both sides were sampled at, recorded once the result was final (reproduce the
   * run with `check --challenge-seed`). Absent when nothing was read.
   */
  seed?: number;
  /** Sample size per tensor at that seed. */
  k?: number;
  /** Bytes read to sample the model under test again (once for every entry). */
  modelBytesRead?: number;
  /** Every weights entry that shares aligned structure with the model and was not already derived. */
  entries: ChallengedEntry[];
}

export interface ChallengedEntry {
  entry: string;
  /**
   * `challenged`: both sides read again and compared; `not-possible`: no readable source (said in
   * `why`); `over-limit`: more such entries than the limit; `failed`: reading failed (also a
   * registry error, so the check fails closed).
   */
  status: 'challenged' | 'not-possible' | 'over-limit' | 'failed';
  why?: string;
  /** What was read for the reference: `hf:org/name@commit` or a local path. */
  source?: string;
  /** How that copy was checked to be the entry's weights. */
  verified?: string;
  /** The verdict on the published sample, and at the private seed. */
  published: Verdict;
  private?: Verdict;
  /**
   * A component resemblance the shared-initialisation rule judged at the private seed where the
   * published sample found none: carried into the result (the policy's `shared-init` / `on-resemblance`).
   */
  privateResemblance?: 'shared-init' | 'undecided';
  /** The entry's verdict after the challenge (a challenge never lowers one). */
  verdict: Verdict;
  /**
   * The private comparison's own statistic: its most suspicious component with the combined score,
   * that score's null (mismatched-layer controls at the private seed) and p-value.
   */
  privateStatistic?: {
    component: string;
    z: number;
    p: number;
    null: { mean: number; std: number };
    tensors: number;
    medianR?: number;
  };
  /** The published against the private coordinates (check/challenge.ts, compare/discrepancy.ts). */
  discrepancy?: {
    pairs: number;
    publishedR: number;
    privateR: number;
    /** Median standardised gap; N(0, 1) per pair for weights that did not know the seed. */
    medianGap: number;
    /** Upper bound on the chance of a median gap this large under that null. */
    p: number;
    /** Pairs whose gap alone is beyond 3.72 (p ≈ 1e-4). */
    discrepant: number;
    /** Private coordinates compared (those the published sample does not hold). */
    privateValues: number;
    /**
     * Spread of the per-row Fisher z beyond sampling noise (rows relating to A unequally), added to
     * every pair's standard error. Absent in reports written before it existed.
     */
    rowSpread?: number;
  };
  /** Components of the model whose published coordinates were rewritten (the evidence of an evasion). */
  rewritten?: string[];
  /** Bytes read for the reference. */
  bytesRead?: number;
}

/** How a checked model was read: a full fingerprint or a sketch, and why. */
export interface FingerprintStatus {
  /** `full`: every byte (exact digests); `sketch`: headers and sampled coordinates only. */
  mode: 'full' | 'sketch';
  /** Why this mode, e.g. `mode auto: at least 2 GiB of weights`. */
  why: string;
  bytesRead: number;
  totalBytes: number;
  /** Full mode: what the bytes read were checked against, e.g. `sha256 (Git LFS oid) of 2 of 2 weight files`. */
  verified?: string;
}

interface RegistryStatus {
  /** Entries in the merged registries. */
  entries: number;
  /** Entries shortlisted for this model (and ancestor tokenizers loaded for context). */
  shortlisted: number;
  /** Entries loaded and compared. */
  compared: number;
  /** Entries that could not be used: the verdict cannot be `independent` while any is listed. */
  errors: RegistryError[];
}
