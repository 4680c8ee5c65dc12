/** What `weightprint check` produces; the CLI, the Action and the App all render and post this. */
import type { CompareResult, Verdict } from '../compare/types.js';

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
}
