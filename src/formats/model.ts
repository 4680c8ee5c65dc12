/**
 * Opens what the user names (a .safetensors file, a sharded index, a model directory, or an
 * `hf:` repo through the Hub opener the caller passes) as one ModelSource.
 */
import { lstat, open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { InputError } from '../errors.js';
import { modelBoundary, regularFileInside, type Boundary } from './contain.js';
import { fsError, openFileSource } from './file-source.js';
import { GGUF_SPLIT } from './gguf/model.js';
import { isPyTorchName, isShardIndexName, isTrainingSideFile, isWeightsName } from './model-files.js';
import { openGgufDirectory, openGgufFiles } from './gguf/open.js';
import { groupQuantisedTensors } from './quant/detect.js';
import {
  describeLfsPointer,
  isLfsPointer,
  LFS_POINTER_MAX_BYTES,
  type LfsPointer,
  type LfsResolver,
  parseLfsPointer,
} from './lfs.js';
import { readPyTorchCheckpoint } from './pytorch/checkpoint.js';
import { findDuplicateKey, MAX_TENSORS, readSafetensorsHeader } from './safetensors.js';
import type { ByteSource, ModelSource, TensorEntry } from './types.js';

/** Opens a remote model; `signal` cancels its requests, the ones the ModelSource makes later included. */
export type ModelOpener = (spec: string, opts?: { signal?: AbortSignal }) => Promise<ModelSource>;

/** Specs starting with this name a Hugging Face Hub repository. */
const HUB_PREFIX = 'hf:';

export interface OpenOptions {
  /**
   * Opens `hf:` specs (formats/hub.ts hubOpener). Passed by whoever may read from the Hub; without
   * it an `hf:` spec is an input error, never a file lookup.
   */
  hub?: ModelOpener;
  /**
   * Every weights and side file must resolve inside this directory (the Action's workspace).
   * Default: the model directory (the directory named, or the one holding the named file).
   */
  root?: string;
  /**
   * Reads Git LFS pointer files (weights, shard indexes, side files) as the objects they name,
   * e.g. by range from the LFS server (formats/lfs-source.ts). Without it a pointer is an error
   * that says how to fetch the object.
   */
  lfs?: LfsResolver;
  /** Cancels the remote model's requests (the Hub opener's; LFS reads take their resolver's). */
  signal?: AbortSignal;
}

/** Where a model's files may come from: inside the boundary, and LFS objects through the resolver. */
type Bounds = Boundary & { lfs?: LfsResolver };

export async function openModel(spec: string, opts: OpenOptions = {}): Promise<ModelSource> {
  if (spec.startsWith(HUB_PREFIX)) {
    if (!opts.hub) throw new InputError(spec, 'is a Hugging Face Hub model; this command reads local files only');
    return opts.signal ? opts.hub(spec, { signal: opts.signal }) : opts.hub(spec);
  }
  const st = await stat(spec).catch((err: unknown) => {
    throw missingPathError(spec, err);
  });
  if (st.isDirectory()) return openDirectory(spec, { ...(await modelBoundary(spec, opts.root)), lfs: opts.lfs });
  const boundary: Bounds = { ...(await modelBoundary(dirname(spec), opts.root)), lfs: opts.lfs };
  // a FIFO would block open(), a device never ends, a symlink may point anywhere
  await regularFileInside(spec, boundary);
  return openFile(spec, boundary);
}

/** Side files (config, tokenizer, card) are small; a larger one is not read. */
export const MAX_SIDE_FILE_BYTES = 64 * 1024 * 1024;
/** A shard index maps tensor names to files: tens of MB at the very most. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

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

function missingPathError(spec: string, err: unknown): InputError {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(spec)?.[1];
  const e = fsError(spec, err);
  if (e.problem === 'no such file or directory' && scheme) {
    const what = `"${scheme}:" is not a model source; Hub models are ${HUB_PREFIX}org/name`;
    return new InputError(spec, `no such file or directory (and ${what})`);
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Single files and directories

const UNSUPPORTED: Record<string, string> = {
  '.pkl': 'pickle',
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

async function openFile(path: string, boundary: Bounds): Promise<ModelSource> {
  if (path.endsWith('.index.json')) return openIndex(path, path, boundary);
  if (/\.gguf$/i.test(path)) {
    return openGgufFiles([path], path, 'file', sideFileBytes(dirname(path), boundary), containedFile(boundary));
  }
  const unsupported = unsupportedFormat(path);
  if (unsupported) throw unsupported;
  // Any other name is tried as safetensors: the header check says precisely what is wrong.
  const shards = await openShards([path], boundary);
  return assemble({ id: path, kind: 'file', dir: dirname(path), shards, boundary });
}

async function openDirectory(dir: string, boundary: Bounds): Promise<ModelSource> {
  const names = await listFiles(dir);
  const { source, index } = await openDirectoryWeights(dir, names, boundary);
  try {
    const read = [...(index ? [index] : []), ...source.files];
    const others = await otherWeightSets(dir, names, read, boundary);
    if (others.length === 0) return source;
    const chosen = source.note ?? `weights: ${listNames(read.map((p) => basename(p)))}`;
    const note = `${chosen}; also present, each checked as its own model: ${listNames(others.map((p) => basename(p)))}`;
    return { ...source, note, otherWeights: others };
  } catch (err) {
    await source.close();
    throw err;
  }
}

/** The weights a directory is read as by default, and the index that named them. */
async function openDirectoryWeights(
  dir: string,
  names: string[],
  boundary: Bounds,
): Promise<{ source: ModelSource; index?: string }> {
  const index = pickIndex(
    dir,
    names.filter((n) => n.endsWith('.safetensors.index.json')),
  );
  if (index) return { source: await openIndex(join(dir, index), dir, boundary), index };
  const weights = names.filter((n) => n.endsWith('.safetensors')).sort();
  if (weights.length > 0) {
    const shards = await openShards(
      weights.map((n) => join(dir, n)),
      boundary,
    );
    return { source: await assemble({ id: dir, kind: 'directory', dir, shards, boundary }) };
  }
  const torch = pickPyTorchWeights(dir, names);
  if (torch?.index) return { source: await openIndex(join(dir, torch.index), dir, boundary), index: torch.index };
  if (torch) {
    const shards = await openShards(
      torch.files.map((n) => join(dir, n)),
      boundary,
    );
    return { source: await assemble({ id: dir, kind: 'directory', dir, shards, boundary }) };
  }
  const gguf = await openGgufDirectory(dir, names, sideFileBytes(dir, boundary), containedFile(boundary));
  if (gguf) return { source: gguf };
  const other = names.find((n) => unsupportedFormat(n));
  if (other) {
    const e = unsupportedFormat(other)!;
    throw new InputError(dir, `no .safetensors or PyTorch weights, only ${other}: ${e.problem}`);
  }
  throw new InputError(
    dir,
    'no weights (looked for model.safetensors, *.safetensors.index.json, ' +
      'pytorch_model.bin, pytorch_model.bin.index.json)',
  );
}

/**
 * Every other weights set in a directory, besides the files its default read covers (`read`):
 * each further index, then each weights file no index names (a GGUF split set once). A release
 * ships all of them, so each is checked as its own model: a copy cannot sit beside a decoy in a
 * format, letter case or name the default pick passes over. Paths openModel opens.
 */
async function otherWeightSets(dir: string, names: string[], read: string[], boundary: Bounds): Promise<string[]> {
  const others = await otherWeightNames(
    names,
    read.map((p) => basename(p)),
    async (index) => (await readWeightMap(join(dir, index), boundary)).values(),
  );
  return others.map((n) => join(dir, n));
}

/**
 * Every weights set of a directory, each a path openModel opens on its own: each shard index, and
 * each weights file no index names (a GGUF split set once). The App checks each as a model.
 */
export async function weightSetsIn(dir: string, opts: Pick<OpenOptions, 'root' | 'lfs'> = {}): Promise<string[]> {
  const boundary: Bounds = { ...(await modelBoundary(dir, opts.root)), lfs: opts.lfs };
  const sets = await otherWeightSets(dir, await listFiles(dir), [], boundary);
  if (sets.length === 0) throw new InputError(dir, 'no weights or shard index in this directory');
  return sets;
}

/**
 * The weights sets among `names` (files of one directory or repository) besides those in
 * `read`: each further index (`shardsOf` says which files it names), then each weights file no
 * index names, a GGUF split set once. An index `shardsOf` cannot read is still listed: opening
 * its set fails.
 */
export async function otherWeightNames(
  names: string[],
  read: string[],
  shardsOf: (index: string) => Promise<Iterable<string>>,
): Promise<string[]> {
  const covered = new Set(read);
  const sets: string[] = [];
  names = [...names].sort();
  for (const index of names.filter((n) => isShardIndexName(n) && !covered.has(n))) {
    sets.push(index);
    covered.add(index);
    for (const shard of await shardsOf(index).catch(() => [])) covered.add(shard);
  }
  const splitSets = new Set<string>();
  for (const name of names) {
    if (covered.has(name) || !isWeightsName(name)) continue;
    const split = GGUF_SPLIT.exec(name);
    if (split) {
      // one set per split set: opening any part opens (or refuses) the whole set
      const key = `${split[1]}\0${split[3]}`;
      if (splitSets.has(key)) continue;
      splitSets.add(key);
      // a part of a set already read (its other parts were listed as read) is covered
      if (read.some((r) => GGUF_SPLIT.exec(r)?.[1] === split[1] && GGUF_SPLIT.exec(r)?.[3] === split[3])) continue;
    }
    sets.push(name);
  }
  return sets;
}

/** Up to four names, then how many more. */
export function listNames(names: string[]): string {
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
}

/**
 * PyTorch weights in a directory, as transformers saves them: the index, else pytorch_model.bin,
 * else shards named like one model, else the one checkpoint file (training side files excluded).
 */
export function pickPyTorchWeights(dir: string, names: string[]): { index?: string; files: string[] } | undefined {
  const indexes = names.filter((n) => /\.(bin|pt|pth)\.index\.json$/.test(n));
  if (indexes.includes('pytorch_model.bin.index.json'))
    return { index: 'pytorch_model.bin.index.json', files: indexes };
  if (indexes.length > 1)
    throw new InputError(dir, `several PyTorch indexes (${indexes.join(', ')}): name the one to use`);
  if (indexes.length === 1) return { index: indexes[0]!, files: indexes };
  const files = names.filter((n) => isPyTorchName(n) && !isTrainingSideFile(n));
  if (files.includes('pytorch_model.bin')) return { files: ['pytorch_model.bin'] };
  if (files.length <= 1) return files.length === 1 ? { files } : undefined;
  const shards = files.filter((n) => /-\d{5}-of-\d{5}\.(bin|pt|pth)$/.test(n));
  if (shards.length === files.length) return { files: shards.sort() };
  throw new InputError(dir, `several PyTorch files (${files.slice(0, 6).join(', ')}): name the one to use`);
}

/**
 * Names in `dir` that are files or symlinks (the Hugging Face cache links snapshots to blobs);
 * a symlink is checked against the boundary when the file is used.
 */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    throw fsError(dir, err);
  });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function pickIndex(dir: string, indexes: string[]): string | undefined {
  if (indexes.length <= 1) return indexes[0];
  if (indexes.includes('model.safetensors.index.json')) return 'model.safetensors.index.json';
  throw new InputError(dir, `several safetensors indexes (${indexes.join(', ')}): name the one to use`);
}

// ---------------------------------------------------------------------------------------------
// Sharded index

async function openIndex(indexPath: string, id: string, boundary: Bounds, note?: string): Promise<ModelSource> {
  const weightMap = await readWeightMap(indexPath, boundary);
  const dir = dirname(indexPath);
  const shardNames = [...new Set(weightMap.values())].sort();
  for (const shard of shardNames) await requireShard(indexPath, dir, shard);
  const shards = await openShards(
    shardNames.map((s) => join(dir, s)),
    boundary,
  );
  try {
    checkAgainstIndex(indexPath, weightMap, shardNames, shards);
    return assemble({ id, kind: 'sharded', dir, shards, boundary, note });
  } catch (err) {
    await closeAll(shards);
    throw err;
  }
}

/** weight_map as tensor → shard file name, validated. */
async function readWeightMap(indexPath: string, boundary: Bounds): Promise<Map<string, string>> {
  const fail = (problem: string) => new InputError(indexPath, problem);
  const file = (await regularFileInside(indexPath, boundary))!;
  if (file.size > MAX_INDEX_BYTES)
    throw fail(`index is ${file.size} bytes, more than the ${MAX_INDEX_BYTES} a shard index may have`);
  const pointer = await lfsPointerIn(indexPath, file, boundary);
  if (pointer && pointer.size > MAX_INDEX_BYTES)
    throw fail(
      `index is a Git LFS object of ${pointer.size} bytes, more than the ${MAX_INDEX_BYTES} an index may have`,
    );
  const bytes = pointer
    ? Buffer.from(await readLfsObject(boundary.lfs!, indexPath, pointer))
    : await readFile(file.real).catch((err: unknown) => {
        throw fsError(indexPath, err);
      });
  if (isLfsPointer(bytes)) throw fail(describeLfsPointer(bytes.toString('utf8'), indexPath));
  return parseWeightMap(bytes.toString('utf8'), indexPath);
}

/** weight_map of a shard index's text, validated; `indexId` names the index in errors. */
export function parseWeightMap(text: string, indexId: string): Map<string, string> {
  const fail = (problem: string) => new InputError(indexId, problem);
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
  const unsupported = unsupportedFormat(shard);
  if (unsupported) throw fail(`weight_map names shard ${q(shard)}: ${unsupported.problem}`);
  if (/\.gguf$/i.test(shard)) {
    throw fail(
      `weight_map names shard ${q(shard)}: GGUF weights are opened as a .gguf file, not through a safetensors index`,
    );
  }
}

async function requireShard(indexPath: string, dir: string, shard: string): Promise<void> {
  const st = await lstat(join(dir, shard)).catch(() => undefined);
  if (!st) throw new InputError(indexPath, `shard ${q(shard)} named in weight_map does not exist`);
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
  header: ShardHeader;
}

/** What a weight file's reader gives: its tensors and metadata, and the file's format. */
interface ShardHeader {
  tensors: TensorEntry[];
  metadata: Record<string, string>;
  format: 'safetensors' | 'pytorch';
}

/** Reads a weight file's tensor table, by the file's name: PyTorch checkpoints, else safetensors. */
async function readWeightsHeader(source: ByteSource, name: string, tensorsBefore = 0): Promise<ShardHeader> {
  // a checkpoint's tensor count is bounded by its pickle caps; the model total is checked in assemble
  if (isPyTorchName(name)) return { ...(await readPyTorchCheckpoint(source)), format: 'pytorch' };
  return { ...(await readSafetensorsHeader(source, { tensorsBefore })), format: 'safetensors' };
}

/** Opens a weight file after checking it is a regular file inside the boundary. */
function containedFile(boundary: Bounds): (path: string) => Promise<ByteSource> {
  return async (path) => openWeightsFile(path, (await regularFileInside(path, boundary))!, boundary);
}

/** A weights file's bytes: the file itself, or the Git LFS object a pointer file names (with a resolver). */
async function openWeightsFile(
  path: string,
  file: { real: string; size: number },
  bounds: Bounds,
): Promise<ByteSource> {
  const pointer = await lfsPointerIn(path, file, bounds);
  return pointer ? bounds.lfs!.open(path, pointer) : openFileSource(path);
}

/** The pointer a small file holds, when there is a resolver to read its object; undefined otherwise. */
async function lfsPointerIn(
  path: string,
  file: { real: string; size: number },
  bounds: Bounds,
): Promise<LfsPointer | undefined> {
  if (!bounds.lfs || file.size > LFS_POINTER_MAX_BYTES) return undefined;
  const bytes = await readFile(file.real).catch((err: unknown) => {
    throw fsError(path, err);
  });
  // a malformed pointer is left to the readers, whose errors describe it
  return isLfsPointer(bytes) ? parseLfsPointer(bytes.toString('utf8')) : undefined;
}

/** A small LFS object read whole, checked against its oid when the source can check it. */
async function readLfsObject(lfs: LfsResolver, path: string, pointer: LfsPointer): Promise<Uint8Array> {
  const source = await lfs.open(path, pointer);
  try {
    source.contentCheck?.begin();
    const bytes = await source.read(0, pointer.size);
    await source.contentCheck?.finish();
    return bytes;
  } finally {
    await source.close();
  }
}

/** Opens each file (a regular file inside the boundary) and reads its header; on any failure closes what was opened. */
async function openShards(paths: string[], boundary: Bounds): Promise<OpenShard[]> {
  const opened: OpenShard[] = [];
  try {
    for (const path of paths) {
      const source = await openWeightsFile(path, (await regularFileInside(path, boundary))!, boundary);
      try {
        const tensorsBefore = opened.reduce((n, s) => n + s.header.tensors.length, 0);
        opened.push({ path, source, header: await readWeightsHeader(source, path, tensorsBefore) });
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
function tensorLocations(shards: Array<{ path: string; header: ShardHeader }>): Map<string, string> {
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
  boundary: Bounds;
  note?: string;
}): Promise<ModelSource> {
  const { id, kind, dir, shards, boundary, note } = spec;
  try {
    const total = shards.reduce((n, s) => n + s.header.tensors.length, 0);
    if (total > MAX_TENSORS)
      throw new InputError(
        id,
        `${total} tensors in ${shards.length} files, ` +
          `more than the ${MAX_TENSORS.toLocaleString('en-US')} a model may have`,
      );
    tensorLocations(shards);
  } catch (err) {
    await closeAll(shards);
    throw err;
  }
  let tensors: TensorEntry[] = shards.flatMap((s) => s.header.tensors);
  const readText = sideFileReader(dir, boundary);
  try {
    // quantised checkpoints (GPTQ, AWQ, FP8, MXFP4, bitsandbytes...): parts become one logical weight
    tensors = await groupQuantisedTensors(tensors, await readText('config.json').catch(() => undefined), id);
  } catch (err) {
    await closeAll(shards);
    throw err;
  }
  return {
    id,
    kind,
    tensors,
    metadata: shards[0]?.header.metadata ?? {},
    format: formatOf(shards),
    ...(note ? { note } : {}),
    files: shards.map((s) => s.path),
    // What a full read costs: the weight files' sizes, headers included.
    totalBytes: shards.reduce((n, s) => n + s.source.size, 0),
    readText,
    readBytes: sideFileBytes(dir, boundary),
    close: () => closeAll(shards),
  };
}

function formatOf(shards: OpenShard[]): string {
  return [...new Set(shards.map((s) => s.header.format))].join('+') || 'safetensors';
}

async function closeAll(shards: OpenShard[]): Promise<void> {
  await Promise.allSettled(shards.map((s) => s.source.close()));
}

function sideFileBytes(dir: string, boundary: Bounds): (name: string) => Promise<Uint8Array | undefined> {
  return async (name) => {
    // Plain names only: a side file is next to the weights, never elsewhere on disk.
    if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
      throw new RangeError(`side file name must be a plain file name, got ${JSON.stringify(name)}`);
    }
    const path = join(dir, name);
    // a symlink to /proc/self/environ or a secret elsewhere would put its contents in the report
    const file = await regularFileInside(path, boundary, { optional: true });
    if (!file) return undefined;
    const pointer = await lfsPointerIn(path, file, boundary);
    if (pointer) {
      if (pointer.size > MAX_SIDE_FILE_BYTES)
        throw new InputError(
          path,
          `side file is a Git LFS object of ${pointer.size} bytes, more than the ${MAX_SIDE_FILE_BYTES} read`,
        );
      return readLfsObject(boundary.lfs!, path, pointer);
    }
    if (file.size > MAX_SIDE_FILE_BYTES)
      throw new InputError(path, `side file is ${file.size} bytes, more than the ${MAX_SIDE_FILE_BYTES} read`);
    let bytes: Buffer;
    try {
      bytes = await readCapped(file.real, MAX_SIDE_FILE_BYTES);
    } catch (err) {
      if (err instanceof InputError) throw new InputError(path, err.problem);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
      throw fsError(path, err);
    }
    if (isLfsPointer(bytes)) throw new InputError(path, describeLfsPointer(bytes.toString('utf8'), path));
    return bytes;
  };
}

/** Reads at most `cap` bytes; a file that grew past it since stat is an error, not a truncation. */
async function readCapped(path: string, cap: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(cap + 1, (await handle.stat()).size + 1));
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buf.length) {
        if (filled > cap) throw new InputError(path, `side file is more than the ${cap} bytes read`);
        break;
      }
    }
    return buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function sideFileReader(dir: string, boundary: Bounds): (name: string) => Promise<string | undefined> {
  const readBytes = sideFileBytes(dir, boundary);
  return async (name) => {
    const bytes = await readBytes(name);
    // TextDecoder drops a UTF-8 BOM, which JSON.parse would reject
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  };
}

function q(s: string): string {
  const t = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return JSON.stringify(t).replace(/[\u2028\u2029]/g, ' ');
}
