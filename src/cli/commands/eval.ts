/** `weightprint eval [--seeds N] [--json]`: the confusion table; exit 1 when a core case is wrong. */
import { parseArgs } from 'node:util';
import { confusionMarkdown, runEvaluation } from '../../eval/run.js';
import { usageError } from '../usage.js';

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { seeds: { type: 'string' }, json: { type: 'boolean' } } });
  const seeds = values.seeds !== undefined ? Number(values.seeds) : 20;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1000)
    throw usageError('--seeds takes a whole number from 1 to 1000');
  const report = await runEvaluation({
    seeds,
    onRow: values.json ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : confusionMarkdown(report)}\n`);
  const coreMisses = report.rows.filter((r) => r.group !== 'stretch' && !r.ok).length;
  const fp = report.falsePositives.reduce((n, f) => n + f.derivedOrIdentical, 0);
  return coreMisses === 0 && fp === 0 ? 0 : 1;
}
