/**
 * Worker thread: fingerprints whole tensors of local files, reading them itself so the main
 * thread only hands out work. Bundled to dist/worker.js.
 */
import { parentPort } from 'node:worker_threads';
import { closeSync, openSync, readSync } from 'node:fs';
import { TensorAccumulator, wantsFullCols, wantsFullRows } from './accumulate.js';
import { reviveEncoding, type EncodingSpec } from '../formats/decode.js';
import { openFileSource } from '../formats/file-source.js';
import type { ByteSource } from '../formats/types.js';
import { fingerprintLogicalFull } from './logical.js';
import { GRID_LAYOUT, type SampleLayout } from './sample.js';
import { INPUT_SIZE, kernels } from './kernels.js';

export interface WorkerTask {
  id: number;
  path: string;
  offset: number;
  byteLength: number;
  name: string;
  dtype: string;
  shape: number[];
  k: number;
  seed: number;
  /** Sample layout: runs above this many elements; null for the grid everywhere (schema 1). */
  runsAbove: number | null;
  /** Which runs layout above `runsAbove` (default `runs`). */
  runs?: 'runs' | 'secret-runs';
  chunkSize: number;
  /** Logical tensors: the decoder's encoding, its parts named by path. */
  encoding?: EncodingSpec;
}

const fds = new Map<string, number>();
const PROGRESS_BYTES = 64 * 1024 * 1024;
let scratch: Uint8Array | undefined;

const sources = new Map<string, ByteSource>();

function layoutOfTask(task: WorkerTask): SampleLayout {
  return task.runsAbove === null ? GRID_LAYOUT : { kind: task.runs ?? 'runs', runsAbove: task.runsAbove };
}

/** A logical tensor: decoded through the same code as on the main thread, reading its own files. */
async function runLogical(task: WorkerTask, spec: EncodingSpec): Promise<void> {
  for (const p of spec.parts) if (!sources.has(p.path)) sources.set(p.path, await openFileSource(p.path));
  const encoding = reviveEncoding(spec, sources);
  const first = encoding.parts[0]!;
  const entry = {
    name: task.name,
    dtype: task.dtype as never,
    shape: task.shape,
    numel: task.shape.reduce((a, b) => a * b, 1),
    byteLength: task.byteLength,
    file: first.file,
    offset: first.offset,
    encoding,
  };
  // progress every PROGRESS_BYTES, as for plain tensors (a message per band costs more than it says)
  let unreported = 0;
  const fp = await fingerprintLogicalFull(
    entry,
    task.k,
    task.seed,
    task.chunkSize,
    (n) => {
      unreported += n;
      if (unreported < PROGRESS_BYTES) return;
      parentPort!.postMessage({ type: 'bytes', id: task.id, n: unreported });
      unreported = 0;
    },
    layoutOfTask(task),
    // one task at a time on this thread: decoders may use the kernels' input area
    { arena: true },
  );
  if (unreported) parentPort!.postMessage({ type: 'bytes', id: task.id, n: unreported });
  parentPort!.postMessage({ type: 'done', id: task.id, fp });
}

async function run(task: WorkerTask): Promise<void> {
  if (task.encoding) return runLogical(task, task.encoding);
  let fd = fds.get(task.path);
  if (fd === undefined) {
    fd = openSync(task.path, 'r');
    fds.set(task.path, fd);
  }
  const acc = new TensorAccumulator(task.name, task.dtype, task.shape, task.byteLength, {
    k: task.k,
    seed: task.seed,
    layout: layoutOfTask(task),
    fullRows: wantsFullRows(task.name, task.shape),
    fullCols: wantsFullCols(task.name, task.shape),
  });
  let done = 0;
  // One buffer per worker, reused: the accumulator keeps no reference to a chunk, and a fresh
  // 8 MiB allocation per read costs page faults and zeroing on every chunk (and peak RSS). It is
  // the kernels' input area when the chunk fits: the file is read where they count it, no copy.
  if (!scratch || scratch.length < task.chunkSize) {
    const k = kernels();
    scratch = k && task.chunkSize <= INPUT_SIZE ? k.input.subarray(0, task.chunkSize) : new Uint8Array(task.chunkSize);
  }
  // Blocking reads: this thread has nothing else to do meanwhile, and a read on the thread pool
  // costs a hop and a promise per chunk. Progress is posted every PROGRESS_BYTES, not per chunk.
  let unreported = 0;
  while (done < task.byteLength) {
    const length = Math.min(task.chunkSize, task.byteLength - done);
    const buf = scratch.subarray(0, length);
    let got = 0;
    while (got < length) {
      const bytesRead = readSync(fd, buf, got, length - got, task.offset + done + got);
      if (bytesRead === 0) throw new Error(`${task.path}: file ended inside tensor ${task.name}`);
      got += bytesRead;
    }
    acc.update(buf);
    done += length;
    unreported += length;
    if (unreported >= PROGRESS_BYTES) {
      parentPort!.postMessage({ type: 'bytes', id: task.id, n: unreported });
      unreported = 0;
    }
  }
  if (unreported) parentPort!.postMessage({ type: 'bytes', id: task.id, n: unreported });
  parentPort!.postMessage({ type: 'done', id: task.id, fp: acc.finish() });
}

parentPort?.on('message', (msg: WorkerTask | { type: 'close' }) => {
  if ('type' in msg) {
    for (const fd of fds.values()) closeSync(fd);
    void Promise.all([...sources.values()].map((s) => s.close())).then(() => process.exit(0));
    return;
  }
  run(msg).catch((err: unknown) => {
    parentPort!.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  });
});
