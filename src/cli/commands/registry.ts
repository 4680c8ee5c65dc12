/**
 * `weightprint registry <subcommand>`:
 *   add <model> --id <id> [--registry dir] [--license L] [--family F] [--kind K] [--demo] [--sketch|--full]
 *   list [--registry dir|url]... [--no-builtin] [--json]
 *   verify [--registry dir|url]... [--no-builtin]          exit 1 when an entry is missing or tampered
 *   remove <id> [--registry dir]
 * Maintainer commands (the built-in registry and its workflow):
 *   import-known <knownmodels dir> [--sources registry/builtin.sources.yaml] [--registry registry/builtin]
 *   update [--models registry/models.yaml] [--registry registry/builtin] [--only org/name]... [--force]
 *          [--sketch|--full]
 */
import { parseArgs } from 'node:util';
import { openCheckRegistry } from '../../check/run.js';
import { InputError } from '../../errors.js';
import { importKnownModels, readKnownSources } from '../../registry/build/knownmodels.js';
import type { EntryKind } from '../../registry/types.js';
import { readModelsList, updateFromModelsList } from '../../registry/build/update.js';
import { addEntry, removeEntry } from '../../registry/write.js';
import { loadFingerprint } from '../../fingerprint/load.js';
import { hubOpener } from '../../formats/hub.js';
import { modeFlag, usageError } from '../usage.js';

/** Where `add`/`remove` write when --registry is not given. */
const DEFAULT_USER_REGISTRY = '.weightprint/registry';

const err = (line: string) => process.stderr.write(`${line}\n`);

export async function registryCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add':
      return add(rest);
    case 'list':
      return list(rest);
    case 'verify':
      return verify(rest);
    case 'remove':
      return remove(rest);
    case 'import-known':
      return importKnown(rest);
    case 'update':
      return update(rest);
    default:
      throw usageError(
        'registry needs a subcommand: add, list, verify, remove (maintainers: import-known, update)' +
          (sub ? `; got ${JSON.stringify(sub)}` : ''),
      );
  }
}

async function add(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      registry: { type: 'string' },
      license: { type: 'string' },
      family: { type: 'string' },
      kind: { type: 'string' },
      demo: { type: 'boolean' },
      full: { type: 'boolean' },
      sketch: { type: 'boolean' },
      // the earlier name of --sketch
      sample: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1)
    throw usageError('registry add takes one model: registry add <model> --id <id> [--registry dir]');
  if (!values.id) throw usageError('registry add needs --id (e.g. hf:org/name@revision or a local name)');

  const kind = values.kind as EntryKind | undefined;
  if (kind !== undefined && !['weights', 'tokenizer', 'config'].includes(kind))
    throw usageError('--kind is weights, tokenizer or config');
  const dir = values.registry ?? DEFAULT_USER_REGISTRY;
  const mode = modeFlag({ sketch: values.sketch || values.sample, full: values.full });
  const fp = await loadFingerprint(positionals[0]!, { mode, hub: hubOpener() });
  const { entry, replaced } = await addEntry(dir, fp, {
    id: values.id,
    license: values.license ?? 'unknown',
    family: values.family ?? values.id.replace(/^hf:/, '').replace(/@.*$/, '').split('/').pop()!.toLowerCase(),
    kind,
    demo: values.demo,
    source: positionals[0]!.startsWith('hf:') ? positionals[0] : undefined,
  });
  process.stdout.write(
    `${replaced ? 'replaced' : 'added'} ${entry.id} ` +
      `(${entry.kind}, ${fp.mode} fingerprint, ${fp.summary.tensors} tensors) in ${dir}\n`,
  );
  return 0;
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      registry: { type: 'string', multiple: true },
      'no-builtin': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const reg = await openCheckRegistry({ registries: values.registry ?? [], noBuiltin: values['no-builtin'] }, err);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(reg.entries, null, 2)}\n`);
    return 0;
  }
  const rows = reg.entries.map((e) => [
    e.id,
    e.kind + (e.demo ? ' (demo)' : '') + (e.ancestor ? ' (base vocab)' : ''),
    e.family,
    e.license,
    e.mode ?? '',
    e.parameters ? String(e.parameters) : '',
  ]);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.min(60, Math.max(...rows.map((r) => r[i]!.length), 4)));
  for (const r of rows)
    process.stdout.write(
      `${r
        .slice(0, 5)
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')}  ${r[5]}\n`,
    );
  process.stdout.write(`${rows.length} entries from ${reg.locations.join(', ') || '(none)'}\n`);
  return 0;
}

async function verify(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { registry: { type: 'string', multiple: true }, 'no-builtin': { type: 'boolean' } },
  });
  const reg = await openCheckRegistry({ registries: values.registry ?? [], noBuiltin: values['no-builtin'] }, err);
  const report = await reg.verify();
  for (const p of report.problems) process.stdout.write(`BAD  ${p.id}: ${p.problem}\n`);
  process.stdout.write(
    `${report.ok.length} entries verified, ${report.problems.length} bad, in ${reg.locations.join(', ')}\n`,
  );
  return report.problems.length || reg.warnings.length ? 1 : 0;
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { registry: { type: 'string' } },
  });
  if (positionals.length !== 1) throw usageError('registry remove takes one entry id');
  const dir = values.registry ?? DEFAULT_USER_REGISTRY;
  if (!(await removeEntry(dir, positionals[0]!)))
    throw new InputError(dir, `no entry ${JSON.stringify(positionals[0])}`);
  process.stdout.write(`removed ${positionals[0]} from ${dir}\n`);
  return 0;
}

async function importKnown(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { sources: { type: 'string' }, registry: { type: 'string' } },
  });
  if (positionals.length !== 1) throw usageError('registry import-known takes the knownmodels folder');
  const sources = await readKnownSources(values.sources ?? 'registry/builtin.sources.yaml');
  const entries = await importKnownModels(positionals[0]!, sources, values.registry ?? 'registry/builtin', err);
  process.stdout.write(
    `${entries.length} tokenizer/config entries written to ${values.registry ?? 'registry/builtin'}\n`,
  );
  return 0;
}

async function update(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string' },
      registry: { type: 'string' },
      only: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      sketch: { type: 'boolean' },
      full: { type: 'boolean' },
    },
  });
  const models = await readModelsList(values.models ?? 'registry/models.yaml');
  const outcomes = await updateFromModelsList(models, values.registry ?? 'registry/builtin', {
    only: values.only,
    force: values.force,
    mode: modeFlag(values) ?? 'sample',
    onProgress: err,
  });
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  process.stdout.write(
    `registry update: ${count('added')} added, ${count('updated')} updated, ` +
      `${count('unchanged')} unchanged, ${count('failed')} failed\n`,
  );
  return count('failed') ? 1 : 0;
}
