/**
 * The real analysis: `weightprint check` (runCheck) on the job's models, rendered exactly as the
 * Action renders it, plus one report per model for the dashboard's report pages.
 */
import { runCheck } from '../check/run.js';
import { checkConclusion, renderCheckMarkdown } from '../report/markdown.js';
import type { Analyse } from './processor.js';

export const defaultAnalyse: Analyse = async (job) => {
  const results = await runCheck({
    models: job.models,
    registries: job.registries.length ? job.registries : undefined,
    policy: job.policy,
  });
  // Render with the names people know (repo paths), not the temporary copies.
  const shown = results.map((r) => ({ ...r, model: job.displayNames[r.model] ?? r.model }));
  return {
    results,
    markdown: renderCheckMarkdown(shown),
    conclusion: checkConclusion(results),
    modelMarkdown: Object.fromEntries(results.map((r, i) => [r.model, renderCheckMarkdown([shown[i]!])])),
  };
};
