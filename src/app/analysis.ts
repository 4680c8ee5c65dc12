/**
 * The real analysis: the engine the Action uses (check/engine.ts: runCheck on each of the job's
 * models, rendered exactly as the Action renders it), plus one report per model for the
 * dashboard's report pages. Models are checked one at a time so that one that cannot be read
 * (junk bytes, a hostile header) is reported as an error of its own while the others are still
 * analysed. A broken policy is the whole job's error; a transient failure (network, 5xx) retries
 * the job.
 */
import { createEngine, type Engine } from '../check/engine.js';
import type { CheckResult } from '../check/types.js';
import { loadPolicy } from '../policy/load.js';
import type { ModelError } from './model-errors.js';
import type { Analyse } from './processor.js';
import { errorText, isTransient } from './queue.js';

const engine: Engine = createEngine();

export const defaultAnalyse: Analyse = async (job) => {
  if (job.policy) await loadPolicy(job.policy); // a policy typo fails the job, not each model
  const results: CheckResult[] = [];
  const errors: ModelError[] = [];
  for (const model of job.models) {
    job.signal?.throwIfAborted(); // the job's time budget is spent: its check has been failed already
    job.onModel?.(model);
    try {
      results.push(
        ...(await engine.runCheck({
          models: [model],
          registries: job.registries.length ? job.registries : undefined,
          policy: job.policy,
          mode: job.mode,
          lfs: job.lfs,
          signal: job.signal,
        })),
      );
    } catch (err) {
      if (isTransient(err) || job.signal?.aborted) throw err;
      errors.push({ model, message: errorText(err) });
    }
  }
  // Render with the names people know (repo paths), not the temporary copies.
  // Renamed in the data, before rendering: the renderer escapes names, a later text substitution would not.
  const name = (m: string) => job.displayNames[m] ?? m;
  const shown = results.map((r) => ({
    ...r,
    model: name(r.model),
    matches: r.matches.map((m) => ({ ...m, b: { ...m.b, id: name(m.b.id) } })),
  }));
  return {
    results,
    errors,
    markdown: engine.renderMarkdown(shown),
    conclusion: engine.conclusion(results),
    modelMarkdown: Object.fromEntries(results.map((r, i) => [r.model, engine.renderMarkdown([shown[i]!])])),
  };
};
