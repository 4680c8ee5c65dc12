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
