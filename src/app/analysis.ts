/**
 * The real analysis: `weightprint check` on the job's models, rendered as the Action renders it.
 * Waiting on src/check.ts (runCheck) and src/report/markdown.ts from the lead; until they land
 * this refuses with a clear, non-retried error rather than inventing verdicts.
 */
import type { Analyse } from './processor.js';

export const defaultAnalyse: Analyse = async () => {
  throw new Error('the analysis engine (src/check.ts runCheck) is not in this build yet');
};
