/**
 * The engine every adapter delegates to: `weightprint check`'s analysis (runCheck) and the report
 * it renders. The Action and the App both build theirs here, so they cannot drift apart; tests
 * replace parts of it.
 */
import { checkConclusion, type Conclusion, renderCheckMarkdown } from '../report/markdown.js';
import { type CheckOptions, runCheck } from './run.js';
import type { CheckResult } from './types.js';

export interface Engine {
  runCheck(opts: CheckOptions): Promise<CheckResult[]>;
  renderMarkdown(results: CheckResult[], opts?: { maxLength?: number; summaryUrl?: string }): string;
  conclusion(results: CheckResult[]): Conclusion;
}

export function createEngine(): Engine {
  return { runCheck, renderMarkdown: renderCheckMarkdown, conclusion: checkConclusion };
}
