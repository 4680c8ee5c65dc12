/** `weightprint merge <part.json>... -o fp.json`: joins `fingerprint --shards i/n` parts into one fingerprint. */
import { parseArgs } from 'node:util';
import { mergeFingerprints } from '../../fingerprint/shards.js';
import { readFingerprintFile } from '../../fingerprint/load.js';
import { writeFileAtomic } from '../io.js';
import { usageError } from '../usage.js';
import { plural } from '../../util/words.js';

export async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
  });
  if (positionals.length === 0)
    throw usageError('merge takes the partial fingerprints: merge <part.json>... -o fp.json');
  if (!values.output && !values.json) throw usageError('merge needs -o <file> (or --json to print)');
  const parts = [];
  for (const p of positionals) parts.push(await readFingerprintFile(p));
  const doc = mergeFingerprints(parts, positionals);
  const json = JSON.stringify(doc);
  if (values.output) await writeFileAtomic(values.output, `${json}\n`);
  if (values.json) process.stdout.write(`${json}\n`);
  else
    process.stdout.write(
      `merged ${plural(parts.length, 'part')} of ${doc.source.id}: ` +
        `${plural(doc.summary.tensors, 'tensor')} → ${values.output}\n`,
    );
  return 0;
}
