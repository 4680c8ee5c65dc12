/**
 * Writing a registry directory: add (or replace) and remove entries. Entry files are written
 * first, the index last and atomically (temp file + rename), so a crash never leaves an index
 * pointing at a half-written file. Output is deterministic: entries sorted by id, gzip without
 * timestamps, so a regenerated registry diffs cleanly.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../errors.js';
import { FINGERPRINT_SCHEMA, type FingerprintDocument } from '../fingerprint/types.js';
import { DEFAULT_RUNS_ABOVE, DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED } from '../fingerprint/sample.js';
import type { ConfigSignature } from '../fingerprint/config.js';
import type { TokenizerSignature } from '../fingerprint/tokenizer.js';
import { VERSION } from '../version.js';
import { entryKeys, samplingKey } from './keys.js';
import { withRegistryLock } from './lock.js';
import { dirStore, sha256Hex } from './store.js';
import { readIndex } from './registry.js';
import { REGISTRY_SCHEMA, type EntryKind, type RegistryEntry, type RegistryIndex } from './types.js';

export interface AddEntryOptions {
  id: string;
  license: string;
  family: string;
  /** Default: weights when the fingerprint has tensors, else tokenizer or config. */
  kind?: EntryKind;
  demo?: boolean;
  ancestor?: boolean;
  /** Where the fingerprint came from (hub id at a commit, a path). */
  source?: string;
  /** Store the file gzip-compressed (default true). */
  gzip?: boolean;
}

export interface AddResult {
  entry: RegistryEntry;
  /** The id was already present and its entry was replaced. */
  replaced: boolean;
}

const ID_RE = /^[^\s"'`<>|\\]{1,200}$/;

/** A file name that is readable, case-insensitive-safe and unique per id. */
export function entryFileName(id: string, gzip: boolean): string {
  const slug =
    id
      .replace(/^hf:/, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._-]+/, '')
      .slice(0, 80) || 'entry';
  const tag = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `entries/${slug}-${tag}.json${gzip ? '.gz' : ''}`;
}

export async function addEntry(dir: string, fp: FingerprintDocument, opts: AddEntryOptions): Promise<AddResult> {
  return (await addEntries(dir, [{ fp, opts }]))[0]!;
}

/** Several entries, one index rewrite (bulk imports, the workflow, benchmarks). */
export async function addEntries(
  dir: string,
  items: Array<{ fp: FingerprintDocument; opts: AddEntryOptions }>,
): Promise<AddResult[]> {
  // Read, change and rewrite the index under the lock: a concurrent add would otherwise be lost.
  return withRegistryLock(dir, async () => {
    const entries = await readOrEmpty(dir);
    const results: AddResult[] = [];
    for (const { fp, opts } of items) results.push(await writeEntry(dir, entries, fp, opts));
    await writeIndex(dir, entries);
    return results;
  });
}

/** Writes one entry file and updates `entries` in place; the caller writes the index. */
async function writeEntry(
  dir: string,
  entries: RegistryEntry[],
  fp: FingerprintDocument,
  opts: AddEntryOptions,
): Promise<AddResult> {
  if (!ID_RE.test(opts.id)) throw new InputError('--id', `not a usable entry id: ${JSON.stringify(opts.id)}`);
  for (const [k, v] of [
    ['--license', opts.license],
    ['--family', opts.family],
  ] as const) {
    if (!v || /[\r\n]/.test(v)) throw new InputError(k, 'must be a non-empty single line');
  }
  const kind = opts.kind ?? (fp.tensors.length ? 'weights' : fp.tokenizer ? 'tokenizer' : 'config');
  if (kind === 'weights' && fp.tensors.length === 0)
    throw new InputError(opts.id, 'a weights entry needs a fingerprint with tensors');
  if (kind === 'tokenizer' && !fp.tokenizer)
    throw new InputError(opts.id, 'a tokenizer entry needs a fingerprint with a tokenizer signature');
  if (kind === 'config' && !fp.config)
    throw new InputError(opts.id, 'a config entry needs a fingerprint with a config signature');

  const gzip = opts.gzip ?? true;
  const file = entryFileName(opts.id, gzip);
  // bytesRead says how this copy was made, not what it is: keep it out of the stored entry
  const stored: FingerprintDocument = { ...fp, source: { ...fp.source, bytesRead: 0 } };
  const text = JSON.stringify(stored);
  const bytes = gzip ? gzipSync(Buffer.from(text), { level: 9 }) : Buffer.from(text);
  await writeAtomic(join(dir, file), bytes);

  const entry: RegistryEntry = {
    id: opts.id,
    file,
    sha256: sha256Hex(bytes),
    family: opts.family,
    license: opts.license,
    kind,
    ...(opts.demo ? { demo: true } : {}),
    ...(opts.ancestor ? { ancestor: true } : {}),
    components: fp.components.map((c) => c.name),
    schemaVersion: fp.schema,
    // sampling facts only mean something for weights
    ...(kind === 'weights' ? { mode: fp.mode, sampling: samplingKey(fp), parameters: fp.summary.parameters } : {}),
    ...(opts.source ? { source: opts.source } : {}),
    shortlist: entryKeys(fp),
  };
  const i = entries.findIndex((e) => e.id === opts.id);
  const replaced = i >= 0;
  if (replaced) {
    if (entries[i]!.file !== file) await unlink(join(dir, entries[i]!.file)).catch(() => {});
    entries[i] = entry;
  } else entries.push(entry);
  return { entry, replaced };
}

export async function removeEntry(dir: string, id: string): Promise<boolean> {
  return withRegistryLock(dir, async () => {
    const entries = await readOrEmpty(dir);
    const i = entries.findIndex((e) => e.id === id);
    if (i < 0) return false;
    const [gone] = entries.splice(i, 1);
    await writeIndex(dir, entries);
    await unlink(join(dir, gone!.file)).catch(() => {});
    return true;
  });
}

/** A fingerprint document that carries only a tokenizer and/or config signature (no weights). */
export function signatureFingerprint(
  id: string,
  sig: { tokenizer?: TokenizerSignature; config?: ConfigSignature },
  files: string[] = [],
): FingerprintDocument {
  return {
    schema: FINGERPRINT_SCHEMA,
    tool: { name: 'weightprint', version: VERSION },
    source: { id, kind: 'file', files, totalBytes: 0, bytesRead: 0 },
    mode: 'full',
    sampling: {
      k: DEFAULT_SAMPLE_K,
      seed: DEFAULT_SAMPLE_SEED,
      encoding: 'int8',
      layout: 'runs',
      runsAbove: DEFAULT_RUNS_ABOVE,
    },
    summary: { tensors: 0, parameters: 0, dtypes: {} },
    tensors: [],
    components: [],
    ...(sig.config ? { config: sig.config } : {}),
    ...(sig.tokenizer ? { tokenizer: sig.tokenizer } : {}),
  };
}

async function readOrEmpty(dir: string): Promise<RegistryEntry[]> {
  let exists = true;
  try {
    await readFile(join(dir, 'index.json'));
  } catch {
    exists = false;
  }
  if (!exists) return [];
  const warnings: string[] = [];
  const entries = await readIndex(dirStore(dir), warnings);
  // never silently drop what we could not parse: rewriting the index would lose it
  if (warnings.length)
    throw new InputError(join(dir, 'index.json'), `refusing to rewrite an index with invalid entries (${warnings[0]})`);
  return entries;
}

async function writeIndex(dir: string, entries: RegistryEntry[]): Promise<void> {
  const index: RegistryIndex = {
    schema: REGISTRY_SCHEMA,
    entries: [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  // one entry per line: compact, yet a registry update reads as a clean diff
  const body = index.entries.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  const text = `{\n  "schema": ${JSON.stringify(REGISTRY_SCHEMA)},\n  "entries": [\n${body}${body ? '\n' : ''}  ]\n}\n`;
  await writeAtomic(join(dir, 'index.json'), Buffer.from(text));
}

async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw new InputError(path, `cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
