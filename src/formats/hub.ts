/**
 * `hf:org/name[@revision]` as a model source. The revision is pinned to a commit first, so every
 * later request reads the same snapshot; file list and safetensors headers come through
 * @huggingface/hub, tensor bytes through HTTP Range reads (http-source.ts) that fetch only what a
 * fingerprint asks for. Importing this module registers the `hf:` opener.
 */
import { HubApiError, listFiles, modelInfo, parseSafetensorsMetadata, type ListFileEntry } from '@huggingface/hub';
import { InputError } from '../errors.js';
import { HttpClient, Missing, type HttpClientOptions } from '../net/http.js';
import { HttpRangeSource } from './http-source.js';
import { isWeightsOrIndexName } from './model-files.js';
import { listNames, type ModelOpener, otherWeightNames, parseWeightMap, pickPyTorchWeights } from './model.js';
import { readPyTorchCheckpoint } from './pytorch/checkpoint.js';
import { assembleGguf, mergeGgufModels, openGgufSources, pickGgufFiles, splitSetNames } from './gguf/model.js';
import { groupQuantisedTensors } from './quant/detect.js';
import { MAX_HEADER_BYTES, MAX_TENSORS, parseHeaderText, type SafetensorsHeader } from './safetensors.js';
import type { ModelSource, TensorEntry } from './types.js';

const DEFAULT_HUB_URL = 'https://huggingface.co';
/** Side files larger than this are not fetched (a tokenizer.json is a few MB, a README less). */
export const MAX_SIDE_FILE_BYTES = 64 * 1024 * 1024;

export interface HubOptions {
  /** Defaults to $HF_ENDPOINT, then https://huggingface.co. */
  hubUrl?: string;
  fetch?: typeof fetch;
  /** Defaults to $HF_TOKEN (or $HUGGING_FACE_HUB_TOKEN). */
  accessToken?: string;
  /** Retry, timeout and concurrency settings of the HTTP client. */
  http?: Omit<HttpClientOptions, 'fetch' | 'accessToken' | 'tokenOrigin'>;
}

interface HubSpec {
  repo: string;
  /** As written; `main` when absent. */
  revision: string;
  /** `hf:org/name/<file>`: the weights file (a GGUF split set) or shard index to read. */
  file?: string;
}

interface HubModelSource extends ModelSource {
  kind: 'hub';
  repo: string;
  revision: string;
  /** Commit the revision resolved to (every file was read at this commit), when the Hub says. */
  commit?: string;
  hubUrl: string;
}

const REPO_RE = /^[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)?$/;

export function parseHubSpec(spec: string): HubSpec {
  const body = spec.replace(/^hf:/, '');
  const at = body.indexOf('@');
  let repo = at < 0 ? body : body.slice(0, at);
  const revision = at < 0 ? 'main' : body.slice(at + 1);
  // hf:org/name/path/to/file names one weights file (or shard index) of the repository
  const segments = repo.split('/');
  let file: string | undefined;
  if (segments.length > 2 && isWeightsOrIndexName(segments[segments.length - 1]!)) {
    file = segments.slice(2).join('/');
    repo = segments.slice(0, 2).join('/');
    if (file.split('/').some((x) => x === '' || x === '.' || x === '..')) {
      throw new InputError(spec, 'malformed file path after hf:org/name/');
    }
  }
  if (!REPO_RE.test(repo) || repo.includes('..')) {
    throw new InputError(spec, 'not a Hub model id: expected hf:org/name or hf:org/name@revision');
  }
  if (revision === '' || /\s/.test(revision)) throw new InputError(spec, 'empty or malformed revision after "@"');
  return { repo, revision, ...(file ? { file } : {}) };
}

/**
 * The spec that reads `model` again at the commit it was read at (`hf:org/name[/file]@<commit>`),
 * or undefined when the model is not from the Hub or the Hub named no commit. A repository whose
 * author can push must not serve a second read (the challenge sample) from another commit.
 */
export function pinnedHubSpec(spec: string, model: ModelSource): string | undefined {
  const commit = (model as Partial<HubModelSource>).commit;
  if (model.kind !== 'hub' || typeof commit !== 'string' || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const { repo, file } = parseHubSpec(spec);
  return `hf:${repo}${file ? `/${file}` : ''}@${commit}`;
}

export async function openHubModel(spec: string, options: HubOptions = {}): Promise<HubModelSource> {
  const { repo, revision, file } = parseHubSpec(spec);
  const hubUrl = (options.hubUrl ?? process.env.HF_ENDPOINT ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  let origin: string;
  try {
    origin = new URL(hubUrl).origin;
  } catch {
    throw new InputError(options.hubUrl ? 'hubUrl' : 'HF_ENDPOINT', `not a URL: ${JSON.stringify(hubUrl)}`);
  }
  const accessToken = options.accessToken ?? (process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN || undefined);
  const client = new HttpClient({ ...options.http, fetch: options.fetch, accessToken, tokenOrigin: origin });
  // Metadata requests, side files and range reads all count towards bytesRead (reported on the first file).
  const session = { bytes: 0 };
  const failures: Error[] = [];
  // What the library's reads saw of each file (its safetensors header above all): the range
  // reads that follow must see the same file, or the header describes other bytes.
  const seen = new Map<string, FileIdentity>();
  const hubFetch = client.asFetch(spec, {
    onBytes: (n) => {
      session.bytes += n;
    },
    onError: (e) => failures.push(e),
    onResult: (url, r) => {
      if (r.status !== 200 && r.status !== 206) return;
      const key = resolvedPath(url);
      if (key === undefined) return;
      const now: FileIdentity = {
        etag: r.headers.get('etag') ?? undefined,
        linkedEtag: r.linkedEtag,
        commit: r.repoCommit,
      };
      const before = seen.get(key);
      if (!before) seen.set(key, now);
      else if (before.linkedEtag !== now.linkedEtag || (!now.linkedEtag && before.etag !== now.etag))
        before.changed = `${before.linkedEtag ?? before.etag} → ${now.linkedEtag ?? now.etag}`;
    },
  });
  const lib = { repo: { type: 'model' as const, name: repo }, hubUrl, fetch: hubFetch, failures };

  const commit = await resolveCommit(spec, lib, revision);
  const rev = commit ?? revision;
  const listing = await listRoot(spec, lib, rev);
  const files = new Map(listing.map((f) => [f.path, f]));
  const layout = chooseWeights(spec, [...files.keys()], file);
  const resolveUrl = (path: string) =>
    `${hubUrl}/${repo}/resolve/${encodeURIComponent(rev)}/${path.split('/').map(encodeURIComponent).join('/')}`;

  const readSide = async (name: string): Promise<Uint8Array | undefined> => {
    // Plain names only, as for local side files.
    if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
      throw new RangeError(`side file name must be a plain file name, got ${JSON.stringify(name)}`);
    }
    const entry = files.get(name);
    if (!entry) return undefined; // not in the listing: no request needed
    if ((entry.lfs?.size ?? entry.size) > MAX_SIDE_FILE_BYTES) {
      throw new InputError(
        `${spec}/${name}`,
        `side file is ${entry.lfs?.size ?? entry.size} bytes, more than the ${MAX_SIDE_FILE_BYTES} read`,
      );
    }
    try {
      const r = await client.request(resolveUrl(name), {
        id: `${spec}/${name}`,
        maxBody: MAX_SIDE_FILE_BYTES,
        onBytes: (n) => {
          session.bytes += n;
        },
        allowMissing: true,
      });
      return r.body;
    } catch (err) {
      if (err instanceof Missing) return undefined;
      throw err;
    }
  };

  /**
   * The repository's further weights sets, each an hf: spec of this commit that a check reads as
   * a model of its own (none when the spec names one file), and the note saying so.
   */
  const otherSets = async (read: string[]): Promise<Pick<ModelSource, 'note' | 'otherWeights'>> => {
    const others = file
      ? []
      : await otherWeightNames([...files.keys()], read, async (index) => {
          const bytes = await readSide(index);
          return bytes ? parseWeightMap(new TextDecoder().decode(bytes), `${spec}/${index}`).values() : [];
        });
    if (others.length === 0) return layout.note ? { note: layout.note } : {};
    const chosen = layout.note ?? `weights: ${listNames(read)}`;
    return {
      note: `${chosen}; also present, each checked as its own model: ${listNames(others)}`,
      otherWeights: others.map((name) => `hf:${repo}/${name}@${commit ?? revision}`),
    };
  };

  if (layout.format === 'gguf') {
    const sets = layout.singles.map((name) => splitSetNames(name));
    const sources: HttpRangeSource[] = [];
    for (const name of sets.flat()) {
      const entry = files.get(name);
      if (!entry)
        throw new InputError(`${spec}/${name}`, 'not in the repository (a split file of this set is missing)');
      sources.push(
        new HttpRangeSource(client, {
          id: `${spec}/${name}`,
          url: resolveUrl(name),
          size: entry.lfs?.size ?? entry.size,
          shared: sources.length === 0 ? session : undefined,
        }),
      );
    }
    const opened = await openGgufSources(sources);
    let at = 0;
    const models = sets.map((set) => {
      const part = opened.slice(at, at + set.length);
      at += set.length;
      return assembleGguf(spec, 'hub', part, readSide, async () => {});
    });
    const merged = mergeGgufModels(models);
    const others = await otherSets(sets.flat());
    return {
      ...merged,
      id: spec,
      kind: 'hub',
      repo,
      revision,
      hubUrl,
      get commit() {
        return commit ?? sources[0]?.repoCommit;
      },
      ...others,
      files: sets.flat(),
      close: async () => {
        await Promise.allSettled(sources.map((s) => s.close()));
      },
    };
  }

  // safetensors headers come parsed by @huggingface/hub; a PyTorch index is read as a side file
  const headers = layout.format === 'safetensors' ? await readHeaders(spec, lib, rev, layout) : undefined;
  if (layout.format === 'pytorch' && layout.index) {
    const text = await readSide(layout.index);
    if (text === undefined) throw new InputError(`${spec}/${layout.index}`, 'not found');
    layout.weightMap = Object.fromEntries(parseWeightMap(new TextDecoder().decode(text), `${spec}/${layout.index}`));
  }
  const shardNames = headers
    ? [...headers.keys()].sort()
    : layout.weightMap
      ? [...new Set(Object.values(layout.weightMap))].sort()
      : layout.singles;
  const sources = shardNames.map((name, i) => {
    const entry = files.get(name);
    if (!entry)
      throw new InputError(`${spec}/${layout.index ?? name}`, `shard ${JSON.stringify(name)} is not in the repository`);
    const identity = seen.get(resolvedPath(resolveUrl(name))!);
    if (identity?.changed)
      throw new InputError(
        `${spec}/${name}`,
        `the file changed on the server while its header was being read (ETag ${identity.changed}); run again`,
      );
    if (identity?.commit && commit && identity.commit !== commit)
      throw new InputError(
        `${spec}/${name}`,
        `the header was served from commit ${identity.commit}, not the resolved ${commit}; run again`,
      );
    return new HttpRangeSource(client, {
      id: `${spec}/${name}`,
      url: resolveUrl(name),
      size: entry.lfs?.size ?? entry.size,
      shared: i === 0 ? session : undefined,
      // pinned to what the header read saw: a file changed since is an error, not mixed bytes
      etag: identity?.etag,
      linkedEtag: identity?.linkedEtag,
    });
  });
  // hundreds of shards: validate them concurrently (the client bounds the requests in flight);
  // a PyTorch shard is read by ranges: the zip's end records and directory, data.pkl, local headers
  const parsed: Array<{ tensors: TensorEntry[]; metadata: Record<string, string> }> = await Promise.all(
    sources.map((src, i) => (headers ? validateHeader(src, headers.get(shardNames[i]!)!) : readPyTorchCheckpoint(src))),
  );
  if (layout.index && layout.weightMap) checkWeightMap(`${spec}/${layout.index}`, layout.weightMap, shardNames, parsed);
  checkUniqueNames(spec, shardNames, parsed);

  // quantised checkpoints (GPTQ, AWQ, FP8, MXFP4, bitsandbytes...): parts become one logical weight
  const configText = await readSide('config.json').then((b) => (b ? new TextDecoder().decode(b) : undefined));
  const tensors: TensorEntry[] = await groupQuantisedTensors(
    parsed.flatMap((h) => h.tensors),
    configText,
    spec,
  );
  return {
    id: spec,
    kind: 'hub',
    repo,
    revision,
    hubUrl,
    get commit() {
      return commit ?? sources[0]?.repoCommit;
    },
    ...(layout.format === 'pytorch' ? { format: 'pytorch' } : {}),
    ...(await otherSets([...(layout.index ? [layout.index] : []), ...shardNames])),
    tensors,
    metadata: parsed[0]?.metadata ?? {},
    files: shardNames,
    totalBytes: sources.reduce((n, s) => n + s.size, 0),
    readText: async (name: string) => {
      const bytes = await readSide(name);
      return bytes === undefined ? undefined : new TextDecoder().decode(bytes); // drops a BOM, as for local files
    },
    readBytes: readSide,
    close: async () => {
      await Promise.allSettled(sources.map((s) => s.close()));
    },
  };
}

/** The opener of `hf:` specs, for openModel's `hub` option (fingerprint/load.ts and its callers). */
export function hubOpener(opts: HubOptions = {}): ModelOpener {
  return (spec, o) => openHubModel(spec, o?.signal ? { ...opts, http: { ...opts.http, signal: o.signal } } : opts);
}

// ---------------------------------------------------------------------------------------------

interface FileIdentity {
  etag?: string;
  linkedEtag?: string;
  commit?: string;
  /** Set when two of the library's reads of one file saw different versions. */
  changed?: string;
}

/** `/org/name/resolve/<rev>/<path>` of a URL, decoded: one key however a client encoded it. */
function resolvedPath(url: string): string | undefined {
  try {
    const path = decodeURIComponent(new URL(url).pathname);
    return /\/resolve\//.test(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

interface LibParams {
  repo: { type: 'model'; name: string };
  hubUrl: string;
  fetch: typeof fetch;
  /** Errors our fetch threw during library calls: the real cause when a library rewords it. */
  failures: Error[];
}

async function resolveCommit(spec: string, lib: LibParams, revision: string): Promise<string | undefined> {
  try {
    const info = await modelInfo({
      name: lib.repo.name,
      hubUrl: lib.hubUrl,
      fetch: lib.fetch,
      revision,
      additionalFields: ['sha'],
    });
    const sha = (info as { sha?: unknown }).sha;
    return typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch (err) {
    throw hubError(spec, err, 'repository or revision not found', lib.failures);
  }
}

async function listRoot(spec: string, lib: LibParams, rev: string): Promise<ListFileEntry[]> {
  const out: ListFileEntry[] = [];
  const malformed = (what: string) =>
    new InputError(spec, `the Hub's file listing is malformed (${what}): not a Hugging Face Hub, or a broken one`);
  try {
    // listFiles puts the revision into the URL as is
    for await (const f of listFiles({
      repo: lib.repo,
      hubUrl: lib.hubUrl,
      fetch: lib.fetch,
      revision: encodeURIComponent(rev),
    })) {
      const entry = f as Partial<ListFileEntry> | null;
      if (typeof entry !== 'object' || entry === null) throw malformed('an entry is not an object');
      if (entry.type !== 'file') continue;
      const size = entry.lfs?.size ?? entry.size;
      if (typeof entry.path !== 'string' || entry.path === '') throw malformed('an entry has no path');
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
        throw malformed(`${JSON.stringify(entry.path.slice(0, 80))} has no valid size`);
      out.push(f);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (lib.failures.length) throw lib.failures[0]!;
    // the library iterates what the API returned: anything but a list fails inside it
    if (err instanceof TypeError) throw malformed('not a list of files');
    throw hubError(spec, err, 'repository or revision not found', lib.failures);
  }
  return out;
}

interface Layout {
  format: 'safetensors' | 'pytorch' | 'gguf';
  /** Sharded index file, or undefined for one or more standalone files. */
  index?: string;
  singles: string[];
  weightMap?: Record<string, string>;
  /** How the weights were chosen, when the repository holds more than one kind. */
  note?: string;
}

const UNSUPPORTED: Array<[RegExp, string]> = [
  [/\.onnx$/, 'ONNX'],
  [/\.h5$/, 'Keras HDF5'],
  [/\.msgpack$/, 'Flax msgpack'],
];

/**
 * Same preference as a local directory: the safetensors index, else model.safetensors, else
 * every safetensors file; then PyTorch weights (pytorch_model.bin.index.json, pytorch_model.bin).
 */
function chooseWeights(spec: string, names: string[], file?: string): Layout {
  if (file) {
    if (!names.includes(file)) throw new InputError(spec, `${file} is not in the repository`);
    if (/\.gguf$/i.test(file)) return { format: 'gguf', singles: [file] };
    if (/\.safetensors\.index\.json$/i.test(file)) return { format: 'safetensors', index: file, singles: [] };
    if (/\.index\.json$/i.test(file)) return { format: 'pytorch', index: file, singles: [] };
    if (/\.safetensors$/i.test(file)) return { format: 'safetensors', singles: [file] };
    return { format: 'pytorch', singles: [file] };
  }
  const indexes = names.filter((n) => n.endsWith('.safetensors.index.json'));
  if (indexes.includes('model.safetensors.index.json'))
    return { format: 'safetensors', index: 'model.safetensors.index.json', singles: [] };
  if (indexes.length > 1)
    throw new InputError(
      spec,
      `several safetensors indexes (${indexes.join(', ')}): none is model.safetensors.index.json`,
    );
  if (indexes.length === 1) return { format: 'safetensors', index: indexes[0]!, singles: [] };
  const weights = names.filter((n) => n.endsWith('.safetensors')).sort();
  if (weights.includes('model.safetensors')) return { format: 'safetensors', singles: ['model.safetensors'] };
  if (weights.length > 0) return { format: 'safetensors', singles: weights };
  const torch = pickPyTorchWeights(spec, names);
  if (torch?.index) return { format: 'pytorch', index: torch.index, singles: [] };
  if (torch) return { format: 'pytorch', singles: torch.files };
  // a GGUF-only repository: its most precise file (with its split set), plus an mmproj file
  const gguf = pickGgufFiles(names);
  if (gguf.files.length > 0) return { format: 'gguf', singles: gguf.files, ...(gguf.why ? { note: gguf.why } : {}) };
  for (const [re, what] of UNSUPPORTED) {
    const other = names.find((n) => re.test(n));
    if (other)
      throw new InputError(
        spec,
        `no .safetensors or PyTorch weights, only ${what} (${other}): convert it to safetensors first`,
      );
  }
  throw new InputError(
    spec,
    'no weights in the repository (looked for model.safetensors, *.safetensors.index.json, ' +
      'pytorch_model.bin, pytorch_model.bin.index.json, *.gguf)',
  );
}

type LibHeader = Record<string, unknown>;

/** Headers by shard name, parsed by @huggingface/hub. */
async function readHeaders(spec: string, lib: LibParams, rev: string, layout: Layout): Promise<Map<string, LibHeader>> {
  const out = new Map<string, LibHeader>();
  const params = { repo: lib.repo, hubUrl: lib.hubUrl, fetch: lib.fetch, revision: rev };
  if (layout.index) {
    const path = layout.index;
    try {
      const r = await parseSafetensorsMetadata({ ...params, path });
      if (!r.sharded) throw new InputError(`${spec}/${path}`, 'expected a sharded index');
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
      for (const [name, header] of Object.entries(r.headers)) out.set(dir + name, header as LibHeader);
      layout.weightMap = r.index.weight_map;
    } catch (err) {
      throw hubError(`${spec}/${path}`, err, 'not found', lib.failures);
    }
    if (out.size === 0) throw new InputError(`${spec}/${path}`, 'weight_map is empty');
    return out;
  }
  for (const path of layout.singles) {
    try {
      const r = await parseSafetensorsMetadata({ ...params, path });
      if (r.sharded) throw new InputError(`${spec}/${path}`, 'expected a single safetensors file');
      out.set(path, r.header as LibHeader);
    } catch (err) {
      throw hubError(`${spec}/${path}`, err, 'not found', lib.failures);
    }
  }
  return out;
}

/**
 * Runs the library's header through our strict validator (tiling, sizes, dtypes). The 8-byte
 * length prefix read here places the data area and pins the file's ETag before any tensor read.
 */
async function validateHeader(source: HttpRangeSource, header: LibHeader): Promise<SafetensorsHeader> {
  if (source.size < 8)
    throw new InputError(source.id, `file is ${source.size} bytes, shorter than the 8-byte header length`);
  const prefix = await source.read(0, 8);
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(source.size - 8) || n > BigInt(MAX_HEADER_BYTES)) {
    throw new InputError(
      source.id,
      `header length ${n} does not fit the file (${source.size} bytes): truncated or not safetensors`,
    );
  }
  // JSON.parse kept the last of any duplicate tensor names; the dropped span then belongs to no
  // tensor and the tiling check below rejects the file, as the local reader would.
  return parseHeaderText(source, JSON.stringify(header), 8 + Number(n));
}

function checkWeightMap(
  id: string,
  weightMap: Record<string, string>,
  shardNames: string[],
  parsed: Array<{ tensors: TensorEntry[] }>,
): void {
  const where = new Map<string, string>();
  parsed.forEach((h, i) => {
    for (const t of h.tensors) where.set(t.name, shardNames[i]!);
  });
  for (const [tensor, shard] of Object.entries(weightMap)) {
    const actual = where.get(tensor);
    if (actual === shard) continue;
    throw new InputError(
      id,
      `tensor ${JSON.stringify(tensor)} is mapped to shard ${JSON.stringify(shard)} ` +
        `but that shard does not contain it${actual ? ` (it is in ${JSON.stringify(actual)})` : ''}`,
    );
  }
  for (const [tensor, shard] of where) {
    if (!Object.hasOwn(weightMap, tensor))
      throw new InputError(
        id,
        `tensor ${JSON.stringify(tensor)} in shard ${JSON.stringify(shard)} is not listed in weight_map`,
      );
  }
}

function checkUniqueNames(spec: string, shardNames: string[], parsed: Array<{ tensors: TensorEntry[] }>): void {
  const total = parsed.reduce((n, h) => n + h.tensors.length, 0);
  if (total > MAX_TENSORS)
    throw new InputError(
      spec,
      `${total} tensors in ${parsed.length} files, ` +
        `more than the ${MAX_TENSORS.toLocaleString('en-US')} a model may have`,
    );
  const seen = new Map<string, string>();
  parsed.forEach((h, i) => {
    for (const t of h.tensors) {
      const first = seen.get(t.name);
      if (first !== undefined)
        throw new InputError(`${spec}/${shardNames[i]}`, `tensor ${JSON.stringify(t.name)} is also in ${first}`);
      seen.set(t.name, shardNames[i]!);
    }
  });
}

/** Library errors as one-line InputErrors; our own InputErrors (auth, retries) pass through. */
function hubError(id: string, err: unknown, notFound: string, failures: Error[]): Error {
  if (err instanceof InputError) return err;
  if (failures.length > 0) return failures[0]!;
  if (err instanceof HubApiError) {
    if (err.statusCode === 404) return new InputError(id, `${notFound} (HTTP 404)`);
    return new InputError(id, `Hub API error HTTP ${err.statusCode}: ${oneLine(err.message)}`);
  }
  if (err instanceof Error && err.name === 'SafetensorParseError') return new InputError(id, oneLine(err.message));
  if (err instanceof Error && err.constructor.name === 'InvalidApiResponseFormatError')
    return new InputError(id, `unexpected Hub response: ${oneLine(err.message)}`);
  return err instanceof Error ? err : new Error(String(err));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').slice(0, 300);
}
