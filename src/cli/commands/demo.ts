/**
 * `weightprint demo [--out dir] [--markdown]`: the main job on an embedded default. Generates small
 * transformer-shaped models deterministically (a base, a fine-tune, an independent model of the
 * same architecture, a multimodal model reusing the base's vision encoder), fingerprints them and
 * prints the verdicts. Offline, no input needed.
 */
import { parseArgs } from 'node:util';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeDemoModels } from '../../synth/index.js';
import { loadFingerprint } from '../../fingerprint/load.js';
import { compareModels } from '../../compare/index.js';
import { compareSummary, fingerprintSummary } from '../../report/text.js';
import { renderCompareMarkdown } from '../../report/markdown.js';
import { writeFileAtomic } from '../io.js';
import { parallelFullFingerprint } from '../../fingerprint/parallel.js';

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, markdown: { type: 'boolean' } } });
  const keep = values.out !== undefined;
  const dir = keep ? resolve(values.out!) : await mkdtemp(join(tmpdir(), 'weightprint-demo-'));
  if (keep) await mkdir(dir, { recursive: true });
  try {
    process.stdout.write(`Generating demo models in ${dir} …\n`);
    const models = await writeDemoModels(dir);
    const runFull = parallelFullFingerprint();
    const fps = {
      base: await loadFingerprint(models.base, { runFull }),
      finetune: await loadFingerprint(models.finetune, { runFull }),
      independent: await loadFingerprint(models.independent, { runFull }),
      multimodal: await loadFingerprint(models.multimodal, { runFull }),
    };
    process.stdout.write(`\n${fingerprintSummary(fps.base, 6)}\n`);
    if (keep)
      for (const [name, fp] of Object.entries(fps))
        await writeFileAtomic(join(dir, `${name}.fingerprint.json`), `${JSON.stringify(fp)}\n`);
    const cases: Array<[string, keyof typeof fps]> = [
      ['fine-tune of the base (declared)', 'finetune'],
      ['independent model, same architecture', 'independent'],
      ['multimodal model claiming "from scratch"', 'multimodal'],
    ];
    for (const [title, key] of cases) {
      const result = compareModels(fps.base, fps[key], { entryId: 'demo/base' });
      process.stdout.write(`\n── base vs ${title}\n${compareSummary(result)}\n`);
      if (values.markdown) process.stdout.write(`\n${renderCompareMarkdown(result)}\n`);
      if (keep) await writeFileAtomic(join(dir, `report-${key}.md`), `${renderCompareMarkdown(result)}\n`);
    }
    return 0;
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
