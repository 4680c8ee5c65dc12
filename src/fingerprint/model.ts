/**
 * Fingerprints a whole model: every tensor streamed through a TensorAccumulator (full mode) or
 * read only at its sample coordinates (sample mode), plus components and the tokenizer, config
 * and model-card signatures. I/O goes through the ModelSource it is given.
 */
import { TensorAccumulator, fingerprintFromSample, wantsFullCols, wantsFullRows } from './accumulate.js';
import { groupComponents } from './components.js';
import { DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, planSample, sampleByteSpans } from './sample.js';
import { FINGERPRINT_SCHEMA, type FingerprintDocument, type TensorFingerprint } from './types.js';
import { tokenizerSignature, type TokenizerFiles } from './tokenizer.js';
import { configSignature } from './config.js';
import { readModelCard } from './card.js';
import { fingerprintLogicalFull, fingerprintLogicalSample } from './logical.js';
import { decodeToFloat32, dtypeInfo } from '../formats/dtypes.js';
import { fileOf, type ModelSource, type TensorEntry } from '../formats/types.js';
import { VERSION } from '../version.js';
import { numel } from './shape.js';

export interface Progress {
  bytesDone: number;
  bytesTotal: number;
  tensorsDone: number;
  tensorsTotal: number;
  current?: string;
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
    opts: { k: number; seed: number },
    onBytes: (n: number) => void,
  ) => Promise<{ fingerprints: TensorFingerprint[]; bytesReadElsewhere: number }>;
  /** Bytes per read while streaming. */
  chunkSize?: number;
}

/** Tensors sketched concurrently in sample mode. */
const SAMPLE_LANES = 8;

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
): Promise<TensorFingerprint> {
  if (t.encoding) return fingerprintLogicalFull(t, k, seed, chunkSize, onBytes);
  const acc = new TensorAccumulator(t.name, t.dtype, t.shape, t.byteLength, {
    k,
    seed,
    fullRows: wantsFullRows(t.name, t.shape),
    fullCols: wantsFullCols(t.name, t.shape),
  });
  for await (const chunk of t.file.stream(t.offset, t.byteLength, chunkSize)) {
    acc.update(chunk);
    onBytes(chunk.byteLength);
  }
  return acc.finish();
}

/** Patch embeddings are small: a sketch reads them whole, to keep every row at the sampled columns. */
const WHOLE_READ_LIMIT = 64 * 1024 * 1024;

export async function fingerprintTensorSample(t: TensorEntry, k: number, seed: number): Promise<TensorFingerprint> {
  if (t.encoding) return fingerprintLogicalSample(t, k, seed);
  const info = dtypeInfo(t.dtype);
  if (!info.decodable) return { name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.byteLength, bytesOnly: true };
  if (wantsFullCols(t.name, t.shape) && t.byteLength <= WHOLE_READ_LIMIT) {
    return fingerprintTensorFull(t, k, seed, t.byteLength || 1, () => {});
  }
  const es = info.bits / 8;
  const plan = planSample(t.shape, k, seed);
  const full = wantsFullRows(t.name, t.shape);
  // read each sampled row from its first to its last needed column (whole rows for fullRows)
  const readPlan = full ? { ...plan, cols: Uint32Array.from({ length: plan.C }, (_, i) => i) } : plan;
  const spans = sampleByteSpans(readPlan, 0, es);
  const parts = await Promise.all(spans.map((s) => t.file.read(t.offset + s.offset, s.length)));
  const values = new Float32Array(plan.rows.length * plan.cols.length);
  const rowValues = full ? new Float32Array(plan.rows.length * plan.C) : undefined;
  const c0 = readPlan.cols[0] ?? 0;
  const c1 = readPlan.cols[readPlan.cols.length - 1] ?? 0;
  let n = 0;
  let spanIdx = 0;
  plan.rows.forEach((r, ri) => {
    const rowStart = (r * plan.C + c0) * es;
    while (rowStart >= spans[spanIdx]!.offset + spans[spanIdx]!.length) spanIdx++;
    const span = spans[spanIdx]!;
    const from = rowStart - span.offset;
    const decoded = decodeToFloat32(t.dtype, parts[spanIdx]!.slice(from, from + (c1 - c0 + 1) * es));
    for (const c of plan.cols) values[n++] = decoded[c - c0]!;
    if (rowValues) rowValues.set(decoded, ri * plan.C);
  });
  return fingerprintFromSample(t.name, t.dtype, t.shape, t.byteLength, plan, values, rowValues);
}

export async function fingerprintModel(
  source: ModelSource,
  options: FingerprintOptions = {},
): Promise<FingerprintDocument> {
  const mode = options.mode ?? 'full';
  const k = options.k ?? DEFAULT_SAMPLE_K;
  const seed = options.seed ?? DEFAULT_SAMPLE_SEED;
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
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
    // several tensors in flight: over HTTP a sketch is bound by round trips, not bandwidth
    fps = new Array(tensors.length);
    let next = 0;
    let failure: { error: unknown } | undefined;
    const lane = async () => {
      while (next < tensors.length && !failure) {
        const i = next++;
        const t = tensors[i]!;
        progress.current = t.name;
        try {
          fps[i] = await fingerprintTensorSample(t, k, seed);
        } catch (error) {
          failure ??= { error };
          return;
        }
        progress.tensorsDone++;
        onBytes(t.byteLength);
      }
    };
    // on the first failure the other lanes stop taking work and are awaited: nothing keeps
    // reading after the call has failed
    await Promise.all(Array.from({ length: Math.min(SAMPLE_LANES, tensors.length) }, lane));
    if (failure) throw failure.error;
  } else if (options.runFull) {
    const out = await options.runFull(tensors, { k, seed }, onBytes);
    fps = out.fingerprints;
    workerBytes = out.bytesReadElsewhere;
  } else {
    fps = [];
    for (const t of tensors) {
      progress.current = t.name;
      fps.push(await fingerprintTensorFull(t, k, seed, chunkSize, onBytes));
      progress.tensorsDone++;
    }
  }

  const doc: FingerprintDocument = {
    schema: FINGERPRINT_SCHEMA,
    tool: { name: 'weightprint', version: VERSION },
    source: {
      id: source.id,
      kind: source.kind,
      ...(source.format && source.format !== 'safetensors' ? { format: source.format } : {}),
      files: source.files,
      totalBytes: source.totalBytes,
      bytesRead: 0,
      ...(Object.keys(source.metadata).length ? { metadata: source.metadata } : {}),
      ...(source.note ? { note: source.note } : {}),
    },
    mode,
    sampling: { k, seed, encoding: 'int8' },
    summary: summarise(fps),
    tensors: fps,
    components: groupComponents(fps),
  };
  await attachSideFiles(doc, source);
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
