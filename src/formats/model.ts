/**
 * Opens what the user names (a .safetensors file, a sharded index, a model directory, or a
 * prefixed spec handled by a registered opener such as the Hub source) as one ModelSource.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { InputError } from '../errors.js';
import { fsError, openFileSource } from './file-source.js';
import { describeLfsPointer, isLfsPointer } from './lfs.js';
import { findDuplicateKey, MAX_TENSORS, readSafetensorsHeader, type SafetensorsHeader } from './safetensors.js';
import type { ByteSource, ModelSource, TensorEntry } from './types.js';

export type ModelOpener = (spec: string) => Promise<ModelSource>;

const openers = new Map<string, ModelOpener>();

/**
 * Lets another module (e.g. the Hub source for `hf:`) claim specs starting with `prefix`.
 * Returns a function that removes the registration (tests).
 */
export function registerModelOpener(prefix: string, opener: ModelOpener): () => void {
  if (prefix === '') throw new RangeError('model opener prefix must not be empty');
  openers.set(prefix, opener);
  return () => {
    if (openers.get(prefix) === opener) openers.delete(prefix);
  };
}

export async function openModel(spec: string): Promise<ModelSource> {
  const opener = findOpener(spec);
  if (opener) return opener(spec);
  const st = await stat(spec).catch((err: unknown) => {
    throw missingPathError(spec, err);
  });
  if (st.isDirectory()) return openDirectory(spec);
  return openFile(spec);
}

/** Side files a fingerprint may use; readText accepts any plain file name, these are the usual. */
export const SIDE_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'special_tokens_map.json',
  'README.md',
  'generation_config.json',
] as const;

function findOpener(spec: string): ModelOpener | undefined {
  // Longest prefix wins, so "hf:" and a more specific "hf:mirror/" can coexist.
  const prefixes = [...openers.keys()].filter((p) => spec.startsWith(p)).sort((a, b) => b.length - a.length);
  return prefixes.length > 0 ? openers.get(prefixes[0]!) : undefined;
}

function missingPathError(spec: string, err: unknown): InputError {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(spec)?.[1];
  const e = fsError(spec, err);
  if (e.problem === 'no such file or directory' && scheme) {
    return new InputError(spec, `no such file or directory (and no model source is registered for "${scheme}:")`);
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Single files and directories

const UNSUPPORTED: Record<string, string> = {
  '.bin': 'PyTorch pickle',
  '.pt': 'PyTorch pickle',
  '.pth': 'PyTorch pickle',
  '.ckpt': 'checkpoint (pickle)',
  '.pkl': 'pickle',
  '.gguf': 'GGUF',
  '.onnx': 'ONNX',
  '.h5': 'Keras HDF5',
  '.msgpack': 'Flax msgpack',
};

const CONVERT_HINT =
  'convert it to safetensors first (e.g. safetensors.torch.save_file(torch.load(path), "model.safetensors"))';

function unsupportedFormat(path: string): InputError | undefined {
  const ext = Object.keys(UNSUPPORTED).find((e) => path.toLowerCase().endsWith(e));
  if (!ext) return undefined;
  return new InputError(path, `${UNSUPPORTED[ext]} weights (${ext}) are not supported: ${CONVERT_HINT}`);
}

async function openFile(path: string): Promise<ModelSource> {
  if (path.endsWith('.index.json')) return openIndex(path, path);
  const unsupported = unsupportedFormat(path);
  if (unsupported) throw unsupported;
  // Any other name is tried as safetensors: the header check says precisely what is wrong.
  const shards = await openShards([path]);
  return assemble({ id: path, kind: 'file', dir: dirname(path), shards });
}

async function openDirectory(dir: string): Promise<ModelSource> {
  const names = await listFiles(dir);
  const index = pickIndex(
    dir,
    names.filter((n) => n.endsWith('.safetensors.index.json')),
  );
  if (index) return openIndex(join(dir, index), dir);
  const weights = names.filter((n) => n.endsWith('.safetensors')).sort();
  if (weights.length > 0) {
    const shards = await openShards(weights.map((n) => join(dir, n)));
    return assemble({ id: dir, kind: 'directory', dir, shards });
  }
  const other = names.find((n) => unsupportedFormat(n));
  if (other) {
    const e = unsupportedFormat(other)!;
    throw new InputError(dir, `no .safetensors weights, only ${other}: ${e.problem}`);
  }
  throw new InputError(dir, 'no .safetensors weights (looked for model.safetensors, *.safetensors.index.json)');
}

/** Regular files in `dir`, following symlinks (the Hugging Face cache links snapshots to blobs). */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    throw fsError(dir, err);
  });
  const files: string[] = [];
  for (const e of entries) {
    if (e.isFile()) files.push(e.name);
    else if (e.isSymbolicLink() && (await stat(join(dir, e.name)).catch(() => undefined))?.isFile()) files.push(e.name);
  }
  return files.sort();
}

function pickIndex(dir: string, indexes: string[]): string | undefined {
  if (indexes.length <= 1) return indexes[0];
  if (indexes.includes('model.safetensors.index.json')) return 'model.safetensors.index.json';
  throw new InputError(dir, `several safetensors indexes (${indexes.join(', ')}): name the one to use`);
}

// ---------------------------------------------------------------------------------------------
// Sharded index

async function openIndex(indexPath: string, id: string): Promise<ModelSource> {
  const weightMap = await readWeightMap(indexPath);
  const dir = dirname(indexPath);
  const shardNames = [...new Set(weightMap.values())].sort();
  for (const shard of shardNames) await requireShard(indexPath, dir, shard);
  const shards = await openShards(shardNames.map((s) => join(dir, s)));
  try {
    checkAgainstIndex(indexPath, weightMap, shardNames, shards);
    return assemble({ id, kind: 'sharded', dir, shards });
  } catch (err) {
    await closeAll(shards);
    throw err;
  }
}

/** weight_map as tensor → shard file name, validated. */
async function readWeightMap(indexPath: string): Promise<Map<string, string>> {
  const fail = (problem: string) => new InputError(indexPath, problem);
  const bytes = await readFile(indexPath).catch((err: unknown) => {
    throw fsError(indexPath, err);
  });
  if (isLfsPointer(bytes)) throw fail(describeLfsPointer(bytes.toString('utf8'), indexPath));
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail('index is not valid JSON');
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw fail('index has no "weight_map" object');
  const dup = findDuplicateKey(text);
  if (dup) throw fail(`duplicate key ${q(dup.key)} in ${dup.path.length > 0 ? dup.path.join('.') : 'the index'}`);
  const entries = Object.entries(map);
  if (entries.length === 0) throw fail('weight_map is empty');
  for (const [tensor, shard] of entries) checkShardName(tensor, shard, fail);
  return new Map(entries as Array<[string, string]>);
}

function checkShardName(tensor: string, shard: unknown, fail: (p: string) => InputError): void {
  if (typeof shard !== 'string' || shard === '') throw fail(`weight_map entry ${q(tensor)} is not a file name`);
  // Shards live next to the index; a path escaping that directory is a malformed (or hostile) index.
  if (isAbsolute(shard) || normalize(shard).split(/[\\/]/).includes('..')) {
    throw fail(`weight_map names shard ${q(shard)} outside the index directory`);
  }
  // e.g. pytorch_model.bin.index.json: say so instead of failing on the first shard's header.
  const unsupported = unsupportedFormat(shard);
  if (unsupported) throw fail(`weight_map names shard ${q(shard)}: ${unsupported.problem}`);
}

async function requireShard(indexPath: string, dir: string, shard: string): Promise<void> {
  const st = await stat(join(dir, shard)).catch(() => undefined);
  if (!st?.isFile()) throw new InputError(indexPath, `shard ${q(shard)} named in weight_map does not exist`);
}

function checkAgainstIndex(
  indexPath: string,
  weightMap: Map<string, string>,
  shardNames: string[],
  shards: OpenShard[],
): void {
  const fail = (problem: string) => new InputError(indexPath, problem);
  const nameOf = new Map(shards.map((s, i) => [s.path, shardNames[i]!]));
  const where = new Map([...tensorLocations(shards)].map(([tensor, path]) => [tensor, nameOf.get(path)!]));
  for (const [tensor, shard] of weightMap) {
    const actual = where.get(tensor);
    if (actual === shard) continue;
    const elsewhere = actual ? ` (it is in ${q(actual)})` : '';
    throw fail(`tensor ${q(tensor)} is mapped to shard ${q(shard)} but that shard does not contain it${elsewhere}`);
  }
  for (const [tensor, shard] of where) {
    if (!weightMap.has(tensor)) throw fail(`tensor ${q(tensor)} in shard ${q(shard)} is not listed in weight_map`);
  }
}

// ---------------------------------------------------------------------------------------------
// Assembly

interface OpenShard {
  path: string;
  source: ByteSource;
  header: SafetensorsHeader;
}

/** Opens each file and reads its header; on any failure closes what was opened. */
async function openShards(paths: string[]): Promise<OpenShard[]> {
  const opened: OpenShard[] = [];
  try {
    for (const path of paths) {
      const source = await openFileSource(path);
      try {
        const tensorsBefore = opened.reduce((n, s) => n + s.header.tensors.length, 0);
        opened.push({ path, source, header: await readSafetensorsHeader(source, { tensorsBefore }) });
      } catch (err) {
        await source.close();
        throw err;
      }
    }
    return opened;
  } catch (err) {
    await closeAll(opened);
    throw err;
  }
}

/** Tensor name → shard path; a name in two shards is an error (a loader would pick one silently). */
function tensorLocations(shards: Array<{ path: string; header: SafetensorsHeader }>): Map<string, string> {
  const where = new Map<string, string>();
  for (const shard of shards) {
    for (const t of shard.header.tensors) {
      const first = where.get(t.name);
      if (first !== undefined) throw new InputError(shard.path, `tensor ${q(t.name)} is also in ${first}`);
      where.set(t.name, shard.path);
    }
  }
  return where;
}

async function assemble(spec: {
  id: string;
  kind: ModelSource['kind'];
  dir: string;
  shards: OpenShard[];
}): Promise<ModelSource> {
  const { id, kind, dir, shards } = spec;
  try {
    const total = shards.reduce((n, s) => n + s.header.tensors.length, 0);
    if (total > MAX_TENSORS)
      throw new InputError(
        id,
        `${total} tensors in ${shards.length} files, more than the ${MAX_TENSORS.toLocaleString('en-US')} a model may have`,
      );
    tensorLocations(shards);
  } catch (err) {
    await closeAll(shards);
    throw err;
  }
  const tensors: TensorEntry[] = shards.flatMap((s) => s.header.tensors);
  return {
    id,
    kind,
    tensors,
    metadata: shards[0]?.header.metadata ?? {},
    files: shards.map((s) => s.path),
    // What a full read costs: the weight files' sizes, headers included.
    totalBytes: shards.reduce((n, s) => n + s.source.size, 0),
    readText: sideFileReader(dir),
    readBytes: sideFileBytes(dir),
    close: () => closeAll(shards),
  };
}

async function closeAll(shards: OpenShard[]): Promise<void> {
  await Promise.allSettled(shards.map((s) => s.source.close()));
}

function sideFileBytes(dir: string): (name: string) => Promise<Uint8Array | undefined> {
  return async (name) => {
    // Plain names only: a side file is next to the weights, never elsewhere on disk.
    if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
      throw new RangeError(`side file name must be a plain file name, got ${JSON.stringify(name)}`);
    }
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
      throw fsError(path, err);
    }
    if (isLfsPointer(bytes)) throw new InputError(path, describeLfsPointer(bytes.toString('utf8'), path));
    return bytes;
  };
}

function sideFileReader(dir: string): (name: string) => Promise<string | undefined> {
  const readBytes = sideFileBytes(dir);
  return async (name) => {
    const bytes = await readBytes(name);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes); // drops a UTF-8 BOM, which JSON.parse would reject
  };
}

function q(s: string): string {
  const t = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return JSON.stringify(t).replace(/[\u2028\u2029]/g, ' ');
}
