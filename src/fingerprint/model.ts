/**
 * Fingerprints a whole model: every tensor streamed through a TensorAccumulator (full mode) or
 * read only at its sample coordinates (sample mode), plus components and the tokenizer, config
 * and model-card signatures. I/O goes through the ModelSource it is given.
 */
import { TensorAccumulator, wantsFullCols, wantsFullRows } from './accumulate.js';
import { groupComponents } from './components.js';
import { DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, RUNS_LAYOUT, type SampleLayout } from './sample.js';
import { sketchTensors, type SketchOptions, type SketchStats } from './sketch.js';
import { FINGERPRINT_SCHEMA, type FingerprintDocument, type TensorFingerprint } from './types.js';
import { tokenizerSignature, type TokenizerFiles } from './tokenizer.js';
import { configSignature } from './config.js';
import { readModelCard } from './card.js';
import { fingerprintLogicalFull } from './logical.js';
import { fileOf, type ModelSource, type TensorEntry } from '../formats/types.js';
import { VERSION } from '../version.js';
import { numel } from './shape.js';

export interface Progress {
  bytesDone: number;
  bytesTotal: number;
  tensorsDone: number;
  tensorsTotal: number;
  current?: string;
  /** Sketch mode: range requests made so far and planned in all, and the bytes they read. */
  requests?: number;
  requestsTotal?: number;
  bytesFetched?: number;
}

export interface FingerprintOptions {
  mode?: 'full' | 'sample';
  k?: number;
  seed?: number;
  onProgress?: (p: Progress) => void;
  /**
   * Fingerprint these tensors elsewhere (worker threads): results in the same order, and the
   * bytes read outside the model's own ByteSources (the workers open the files themselves).
   */
  runFull?: (
    tensors: TensorEntry[],
    opts: { k: number; seed: number; layout: SampleLayout; signal?: AbortSignal },
    onBytes: (n: number) => void,
  ) => Promise<{ fingerprints: TensorFingerprint[]; bytesReadElsewhere: number }>;
  /** Bytes per read while streaming. */
  chunkSize?: number;
  /**
   * Sample layout of the document (default: runs above 2^18 elements). Both sides of a comparison
   * must use the same; tests and the benchmark change it.
   */
  layout?: SampleLayout;
  /** Sketch mode: request planning (lanes, gaps, sizes). */
  sketch?: Omit<SketchOptions, 'k' | 'seed' | 'layout' | 'onRead' | 'onTensor' | 'signal'>;
  /**
   * Stops the fingerprint within a tensor (between chunks), rejecting with the signal's reason
   * (the App's job budget); worker threads are ended before it rejects. Remote reads in flight are
   * cancelled by their HTTP client's signal (OpenOptions.signal, the LFS session's).
   */
  signal?: AbortSignal;
}

const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'special_tokens_map.json',
] as const;

export async function fingerprintTensorFull(
  t: TensorEntry,
  k: number,
  seed: number,
  chunkSize: number,
  onBytes: (n: number) => void,
  layout: SampleLayout = RUNS_LAYOUT,
  signal?: AbortSignal,
): Promise<TensorFingerprint> {
  if (t.encoding) return fingerprintLogicalFull(t, k, seed, chunkSize, onBytes, layout, { signal });
  const acc = new TensorAccumulator(t.name, t.dtype, t.shape, t.byteLength, {
    k,
    seed,
    layout,
    fullRows: wantsFullRows(t.name, t.shape),
    fullCols: wantsFullCols(t.name, t.shape),
  });
  for await (const chunk of t.file.stream(t.offset, t.byteLength, chunkSize)) {
    signal?.throwIfAborted();
    acc.update(chunk);
    onBytes(chunk.byteLength);
  }
  return acc.finish();
}

/** One tensor's sketch (the planner over a single tensor): tests and tools. */
export async function fingerprintTensorSample(
  t: TensorEntry,
  k: number,
  seed: number,
  layout: SampleLayout = RUNS_LAYOUT,
): Promise<TensorFingerprint> {
  return (await sketchTensors([t], { k, seed, layout }))[0]!;
}

export async function fingerprintModel(
  source: ModelSource,
  options: FingerprintOptions = {},
): Promise<FingerprintDocument> {
  const { signal } = options;
  signal?.throwIfAborted();
  const mode = options.mode ?? 'full';
  const k = options.k ?? DEFAULT_SAMPLE_K;
  const seed = options.seed ?? DEFAULT_SAMPLE_SEED;
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
  const layout = options.layout ?? RUNS_LAYOUT;
  const tensors = source.tensors;
  const bytesTotal = tensors.reduce((n, t) => n + t.byteLength, 0);
  const progress: Progress = { bytesDone: 0, bytesTotal, tensorsDone: 0, tensorsTotal: tensors.length };
  const onBytes = (n: number) => {
    progress.bytesDone += n;
    options.onProgress?.(progress);
  };

  let fps: TensorFingerprint[];
  let workerBytes = 0;
  if (mode === 'sample') {
    fps = await sketchTensors(tensors, {
      ...options.sketch,
      k,
      seed,
      layout,
      signal,
      onRead: (s: SketchStats) => {
        progress.requests = s.requests;
        progress.requestsTotal = s.plannedRequests;
        progress.bytesFetched = s.bytes;
        options.onProgress?.(progress);
      },
      onTensor: (i, n) => {
        progress.tensorsDone++;
        progress.current = tensors[i]!.name;
        onBytes(n);
      },
    });
  } else if (options.runFull) {
    const out = await options.runFull(tensors, { k, seed, layout, signal }, onBytes);
    fps = out.fingerprints;
    workerBytes = out.bytesReadElsewhere;
  } else {
    fps = [];
    for (const t of tensors) {
      progress.current = t.name;
      fps.push(await fingerprintTensorFull(t, k, seed, chunkSize, onBytes, layout, signal));
      progress.tensorsDone++;
    }
  }

  const doc: FingerprintDocument = {
    // a grid layout is schema 1's (the benchmark's baseline writes it)
    schema: layout.kind === 'grid' ? 'weightprint.fingerprint/1' : FINGERPRINT_SCHEMA,
    tool: { name: 'weightprint', version: VERSION },
    source: {
      id: source.id,
      kind: source.kind,
      files: source.files,
      totalBytes: source.totalBytes,
      bytesRead: 0,
      ...(Object.keys(source.metadata).length ? { metadata: source.metadata } : {}),
      ...(source.format && source.format !== 'safetensors' ? { format: source.format } : {}),
      ...(source.note ? { note: source.note } : {}),
    },
    mode,
    sampling:
      layout.kind === 'grid'
        ? { k, seed, encoding: 'int8' }
        : { k, seed, encoding: 'int8', layout: layout.kind, runsAbove: layout.runsAbove },
    summary: summarise(fps),
    tensors: fps,
    components: groupComponents(fps),
  };
  signal?.throwIfAborted();
  await attachSideFiles(doc, source);
  signal?.throwIfAborted();
  doc.source.bytesRead =
    workerBytes + [...new Set(source.tensors.map((t) => fileOf(t.file)))].reduce((n, f) => n + f.bytesRead(), 0);
  return doc;
}

export function summarise(fps: TensorFingerprint[]): FingerprintDocument['summary'] {
  const dtypes: Record<string, number> = {};
  let parameters = 0;
  for (const t of fps) {
    const n = numel(t.shape);
    parameters += n;
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + n;
  }
  return { tensors: fps.length, parameters, dtypes };
}

async function attachSideFiles(doc: FingerprintDocument, source: ModelSource): Promise<void> {
  const config = await source.readText('config.json');
  if (config !== undefined) doc.config = configSignature(config, `${source.id}/config.json`);
  const files: TokenizerFiles = {};
  for (const name of TOKENIZER_FILES) {
    const text = await source.readText(name);
    if (text !== undefined) files[name] = text;
  }
  const spm = await source.readBytes?.('tokenizer.model');
  if (spm !== undefined) files['tokenizer.model'] = spm;
  if (Object.keys(files).length) {
    const sig = tokenizerSignature(files, source.id);
    if (sig) doc.tokenizer = sig;
  }
  const readme = await source.readText('README.md');
  if (readme !== undefined) doc.card = readModelCard(readme, `${source.id}/README.md`);
}
