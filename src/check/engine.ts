/**
 * The engine every adapter delegates to: `weightprint check`'s analysis (runCheck) and the report
 * it renders. The Action and the App both build theirs here, so they cannot drift apart; tests
 * replace parts of it.
 */
import { hubOpener } from '../formats/hub.js';
import { createSourceReader } from '../fingerprint/reopen.js';
import { checkConclusion, type Conclusion, renderCheckMarkdown } from '../report/markdown.js';
import { type CheckOptions, runCheck } from './run.js';
import type { CheckResult } from './types.js';

export interface Engine {
  runCheck(opts: CheckOptions): Promise<CheckResult[]>;
  renderMarkdown(results: CheckResult[], opts?: { maxLength?: number; summaryUrl?: string }): string;
  conclusion(results: CheckResult[]): Conclusion;
}

/**
 * The real engine: local models and `hf:` models from the Hub (HF_ENDPOINT, HF_TOKEN); registry
 * sources and the model are read again through the same capabilities for the challenge sample.
 */
export function createEngine(): Engine {
  const hub = hubOpener();
  const reader = createSourceReader();
  return {
    runCheck: (opts) => runCheck({ hub, reader, ...opts }),
    renderMarkdown: renderCheckMarkdown,
    conclusion: checkConclusion,
  };
}
