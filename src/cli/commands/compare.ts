/** `weightprint compare <A> <B> [--json | --markdown] [-o report] [--sketch|--full]`: exit 0 whatever the verdict. */
import { parseArgs } from 'node:util';
import { loadFingerprint } from '../../fingerprint/load.js';
import { hubOpener } from '../../formats/hub.js';
import { compareModels } from '../../compare/index.js';
import { renderCompareMarkdown } from '../../report/markdown.js';
import { compareSummary } from '../../report/text.js';
import { progressReporter, writeFileAtomic } from '../io.js';
import { modeFlag, usageError } from '../usage.js';
import { parallelFullFingerprint } from '../../fingerprint/parallel.js';

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      sample: { type: 'string' },
      sketch: { type: 'boolean' },
      full: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  const mode = modeFlag(values);
  if (positionals.length !== 2) throw usageError('compare takes two models or fingerprint files: compare <A> <B>');
  const k = values.sample !== undefined ? Number(values.sample) : undefined;
  const docs = [];
  for (const spec of positionals) {
    const progress = progressReporter(`fingerprint ${spec}`, { quiet: values.quiet });
    const options = { k, mode, hub: hubOpener(), onProgress: progress.update, runFull: parallelFullFingerprint() };
    docs.push(await loadFingerprint(spec, options));
    progress.stop();
  }
  const result = compareModels(docs[0]!, docs[1]!);
  const text = values.json
    ? JSON.stringify(result, null, 2)
    : values.markdown
      ? renderCompareMarkdown(result)
      : compareSummary(result);
  if (values.output) await writeFileAtomic(values.output, `${text}\n`);
  process.stdout.write(`${text}\n`);
  return 0;
}
