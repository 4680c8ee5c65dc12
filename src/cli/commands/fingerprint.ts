/** `weightprint fingerprint <model> [-o fp.json] [--json] [--sample K] [--sketch] [--shards i/n]` */
import { parseArgs } from 'node:util';
import { loadFingerprint } from '../../fingerprint/load.js';
import { hubOpener } from '../../formats/hub.js';
import { fingerprintSummary } from '../../report/text.js';
import { progressReporter, writeFileAtomic } from '../io.js';
import { modeFlag, usageError } from '../usage.js';
import { parallelFullFingerprint } from '../../fingerprint/parallel.js';
import { loadShardFingerprint, parseShardSpec } from '../../fingerprint/shards.js';

export async function fingerprintCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      sample: { type: 'string' },
      sketch: { type: 'boolean' },
      full: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      shards: { type: 'string' },
    },
  });
  if (positionals.length !== 1)
    throw usageError('fingerprint takes exactly one model (file, index, directory or hf:org/name)');
  const k = values.sample !== undefined ? Number(values.sample) : undefined;
  if (k !== undefined && (!Number.isInteger(k) || k < 16 || k > 1_000_000))
    throw usageError('--sample takes a whole number from 16 to 1000000');
  const progress = progressReporter('fingerprint', { quiet: values.quiet });
  const mode = modeFlag(values);
  const options = {
    k,
    mode,
    hub: hubOpener(),
    onProgress: progress.update,
    runFull: parallelFullFingerprint(),
  } as const;
  const doc =
    values.shards !== undefined
      ? await loadShardFingerprint(positionals[0]!, parseShardSpec(values.shards), options)
      : await loadFingerprint(positionals[0]!, options);
  progress.stop();
  const json = JSON.stringify(doc);
  if (values.output) await writeFileAtomic(values.output, `${json}\n`);
  if (values.json) process.stdout.write(`${json}\n`);
  else process.stdout.write(`${fingerprintSummary(doc) + (values.output ? `\n  written to ${values.output}` : '')}\n`);
  return 0;
}
