/** `weightprint fingerprint <model> [-o fp.json] [--json] [--sample K] [--sketch] [--shards i/n]` */
import { parseArgs } from 'node:util';
import { loadFingerprint } from '../../fingerprint/load.js';
import { hubOpener } from '../../formats/hub.js';
import { fingerprintSummary } from '../../report/text.js';
import { progressReporter, writeFileAtomic } from '../io.js';
import { modeFlag, usageError } from '../usage.js';
import { parallelFullFingerprint, prestartWorkers } from '../../fingerprint/parallel.js';
import type { FingerprintDocument } from '../../fingerprint/types.js';
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
  const spec = positionals[0]!;
  // local weights are read in full unless --sketch: start the workers while the model is opened
  const fingerprintFile = /\.json$/i.test(spec) && !/\.(safetensors|bin|pt|pth)\.index\.json$/i.test(spec);
  const warm = mode !== 'sample' && !spec.startsWith('hf:') && !fingerprintFile ? prestartWorkers() : undefined;
  const options = {
    k,
    mode,
    hub: hubOpener(),
    onProgress: progress.update,
    runFull: parallelFullFingerprint(undefined, warm),
  } as const;
  let doc: FingerprintDocument;
  try {
    doc =
      values.shards !== undefined
        ? await loadShardFingerprint(spec, parseShardSpec(values.shards), options)
        : await loadFingerprint(spec, options);
  } finally {
    warm?.release();
  }
  progress.stop();
  const json = JSON.stringify(doc);
  if (values.output) await writeFileAtomic(values.output, `${json}\n`);
  if (values.json) process.stdout.write(`${json}\n`);
  else process.stdout.write(`${fingerprintSummary(doc) + (values.output ? `\n  written to ${values.output}` : '')}\n`);
  return 0;
}
