/**
 * Fingerprints of logical tensors (formats/decode.ts): the same accumulator and sample as a plain
 * tensor, fed with decoded values. The document keeps the stored dtype, the logical shape, and
 * the container and quantisation scheme.
 */
import { createHash } from 'node:crypto';
import { openDecoder, readGridValues, streamDecoded, type TensorDecoder } from '../formats/decode.js';
import type { TensorEntry } from '../formats/types.js';
import { TensorAccumulator, encodeSample, fingerprintFromSample, wantsFullCols, wantsFullRows } from './accumulate.js';
import { RUNS_LAYOUT, flatRun, gridPlan, planSample, type SampleLayout } from './sample.js';
import type { TensorEncodingInfo, TensorFingerprint } from './types.js';
import { kernels } from './kernels.js';

/** Stored bytes decoded per band while streaming. */
const BAND_BYTES = 4 * 1024 * 1024;
/** Patch embeddings up to this size are read whole in sample mode (every row at the sampled columns). */
const WHOLE_READ_LIMIT = 64 * 1024 * 1024;

function encodingInfo(t: TensorEntry): TensorEncodingInfo | undefined {
  const enc = t.encoding;
  if (!enc) return undefined;
  const info: TensorEncodingInfo = { format: enc.format, scheme: enc.scheme, decoded: enc.values !== undefined };
  if (typeof enc.params.reordered === 'string') info.reordered = enc.params.reordered;
  return info;
}

function bytesOnly(t: TensorEntry, sha256?: string): TensorFingerprint {
  const fp: TensorFingerprint = { name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.byteLength, bytesOnly: true };
  if (sha256) fp.sha256 = sha256;
  const info = encodingInfo(t);
  if (info) fp.encoding = info;
  return fp;
}

/** SHA-256 over the stored parts, in order. */
async function hashParts(
  t: TensorEntry,
  chunkSize: number,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const sha = createHash('sha256');
  for (const p of t.encoding!.parts) {
    for await (const chunk of p.file.stream(p.offset, p.byteLength, chunkSize)) {
      signal?.throwIfAborted();
      sha.update(chunk);
      onBytes?.(chunk.byteLength);
    }
  }
  return sha.digest('hex');
}

/**
 * SHA-256 of a part's bytes as a decoder reads them: valid only when the reads tiled the part in
 * order (a streaming band read covers whole blocks or heads); otherwise the caller hashes again.
 */
class StoredHash {
  private readonly sha = createHash('sha256');
  private next = 0;
  private broken = false;
  constructor(private readonly total: number) {}
  readonly onStored = (offset: number, bytes: Uint8Array): void => {
    if (this.broken || offset !== this.next) {
      this.broken = true;
      return;
    }
    this.sha.update(bytes);
    this.next += bytes.length;
  };
  digest(): string | undefined {
    return !this.broken && this.next === this.total ? this.sha.digest('hex') : undefined;
  }
}

/**
 * Full fingerprint of a logical tensor. `arena`: the caller runs one tensor at a time on this
 * thread (a worker), so the decoder may write decoded values into this thread's kernel input
 * area (nothing else writes it between a band's read and its accumulation). `signal`: stops
 * between bands, rejecting with its reason.
 */
export async function fingerprintLogicalFull(
  t: TensorEntry,
  k: number,
  seed: number,
  chunkSize: number,
  onBytes: (n: number) => void,
  layout: SampleLayout = RUNS_LAYOUT,
  opts: { arena?: boolean; signal?: AbortSignal } = {},
): Promise<TensorFingerprint> {
  const enc = t.encoding!;
  const { signal } = opts;
  if (!enc.values) return bytesOnly(t, await hashParts(t, chunkSize, onBytes, signal));
  // Values only reordered: hash them as read, so a re-containered copy has its original's SHA-256.
  const passthrough = enc.values !== 'F32' || enc.scheme === 'none';
  // Quantised: the SHA-256 is of the stored bytes, hashed as the decoder reads them when it can.
  const stored = passthrough || enc.parts.length !== 1 ? undefined : new StoredHash(enc.parts[0]!.byteLength);
  // decoded straight into the kernels' input area, where the F32 kernel reads them (no copy)
  const kern = opts.arena ? kernels() : null;
  const decoder = openDecoder(t, {
    reuse: true,
    ...(stored ? { onStored: stored.onStored } : {}),
    ...(kern ? { arena: { memory: kern.memory, region: kern.input } } : {}),
  });
  const acc = new TensorAccumulator(t.name, decoder.values, t.shape, t.byteLength, {
    k,
    seed,
    layout,
    hashInput: passthrough,
    fullRows: wantsFullRows(t.name, t.shape),
    fullCols: wantsFullCols(t.name, t.shape),
  });
  for await (const band of streamDecoded(t, decoder, Math.min(BAND_BYTES, chunkSize))) {
    signal?.throwIfAborted();
    acc.update(band.values);
    onBytes(band.storedBytes);
  }
  const fp = acc.finish();
  if (!passthrough) fp.sha256 = stored?.digest() ?? (await hashParts(t, chunkSize, undefined, signal));
  return finishLogical(t, fp, decoder);
}

/**
 * Sketch of a logical tensor: the same coordinates as a plain tensor of its shape. Read whole (a
 * full fingerprint) when the layout puts it on the grid or it is a patch embedding, as plain
 * tensors are.
 */
export async function fingerprintLogicalSample(
  t: TensorEntry,
  k: number,
  seed: number,
  layout: SampleLayout = RUNS_LAYOUT,
): Promise<TensorFingerprint> {
  if (!t.encoding!.values) return bytesOnly(t);
  const plan = planSample(t.shape, k, seed, layout);
  if (plan.kind === 'grid' || (wantsFullCols(t.name, t.shape) && t.byteLength <= WHOLE_READ_LIMIT)) {
    return fingerprintLogicalFull(t, k, seed, Math.max(1, t.byteLength), () => {}, layout);
  }
  const decoder: TensorDecoder = openDecoder(t);
  const values = await readGridValues(decoder, plan.rows, plan.cols, plan.C);
  let fullRows: { values: Float32Array; rows: number } | undefined;
  if (wantsFullRows(t.name, t.shape)) {
    // full rows follow the grid's rows in every layout
    const grid = gridPlan(t.shape, k, seed);
    fullRows = { values: await readGridValues(decoder, grid.rows, allIndices(grid.C), grid.C), rows: grid.rows.length };
  }
  const fp = fingerprintFromSample(t.name, t.dtype, t.shape, t.byteLength, plan, values, fullRows);
  const flat = flatRun(t.name, t.shape, k, seed, layout);
  if (flat) fp.flatRun = encodeSample(await readFlatValues(decoder, flat.start, flat.length, plan.C), 1, flat.length);
  return finishLogical(t, fp, decoder);
}

/** Elements [start, start + length) in flat order, row piece by row piece (decoders read within rows). */
async function readFlatValues(decoder: TensorDecoder, start: number, length: number, C: number): Promise<Float32Array> {
  const out = new Float32Array(length);
  for (let e = start; e < start + length; ) {
    const r = Math.floor(e / C);
    const c0 = e - r * C;
    const c1 = Math.min(C, c0 + start + length - e);
    out.set(await readGridValues(decoder, [r], allIndices(c1).subarray(c0), C), e - start);
    e += c1 - c0;
  }
  return out;
}

function finishLogical(t: TensorEntry, fp: TensorFingerprint, decoder?: TensorDecoder): TensorFingerprint {
  fp.dtype = t.dtype;
  fp.bytes = t.byteLength;
  fp.encoding = encodingInfo(t)!;
  const r = decoder?.rounding?.();
  const std = fp.moments?.std ?? 0;
  if (r && r.count > 0 && std > 0)
    fp.encoding.noise = Number((Math.sqrt(r.stepSquares / r.count / 12) / std).toPrecision(4));
  return fp;
}

function allIndices(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
