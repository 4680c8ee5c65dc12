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
