/**
 * `weightprint eval [--seeds N] [--json] [--sketch] [--runs-above N]`: the confusion table; exit 1
 * when a core case is wrong. `--sketch` judges every pair from sketches; `--runs-above N` samples
 * every tensor above N elements in runs (the layout of release-sized matrices) on both sides.
 */
import { parseArgs } from 'node:util';
import { confusionMarkdown, runEvaluation } from '../../eval/run.js';
import { usageError } from '../usage.js';

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seeds: { type: 'string' },
      json: { type: 'boolean' },
      sketch: { type: 'boolean' },
      'runs-above': { type: 'string' },
    },
  });
  const runsAbove = values['runs-above'] !== undefined ? Number(values['runs-above']) : undefined;
  if (runsAbove !== undefined && !(Number.isSafeInteger(runsAbove) && runsAbove >= 0))
    throw usageError('--runs-above takes a whole number of elements');
  const seeds = values.seeds !== undefined ? Number(values.seeds) : 20;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1000)
    throw usageError('--seeds takes a whole number from 1 to 1000');
  const report = await runEvaluation({
    seeds,
    fingerprint: {
      ...(values.sketch ? { mode: 'sample' as const } : {}),
      ...(runsAbove !== undefined ? { layout: { kind: 'runs' as const, runsAbove } } : {}),
    },
    onRow: values.json ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : confusionMarkdown(report)}\n`);
  const coreMisses = report.rows.filter((r) => r.group !== 'stretch' && !r.ok).length;
  const fp = report.falsePositives.reduce((n, f) => n + f.derivedOrIdentical, 0);
  return coreMisses === 0 && fp === 0 ? 0 : 1;
}
