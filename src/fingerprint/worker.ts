/**
 * Worker thread: fingerprints whole tensors of local files, reading them itself so the main
 * thread only hands out work. Bundled to dist/worker.js.
 */
import { parentPort } from 'node:worker_threads';
import { closeSync, openSync } from 'node:fs';
import { reviveEncoding, type EncodingSpec } from '../formats/decode.js';
import { openFileSource } from '../formats/file-source.js';
import type { ByteSource } from '../formats/types.js';
import { fingerprintLogicalFull } from './logical.js';
import { GRID_LAYOUT, type SampleLayout } from './sample.js';
import { fingerprintLocalRange } from './local-range.js';

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
  /** Secret runs: element counts that also get a flat run (SampleLayout.flatCounts). */
  flatCounts?: number[];
  flatNames?: string[];
  chunkSize: number;
  /** Logical tensors: the decoder's encoding, its parts named by path. */
  encoding?: EncodingSpec;
}

const fds = new Map<string, number>();
const PROGRESS_BYTES = 64 * 1024 * 1024;

const sources = new Map<string, ByteSource>();

function layoutOfTask(task: WorkerTask): SampleLayout {
  if (task.runsAbove === null) return GRID_LAYOUT;
  const layout: SampleLayout = { kind: task.runs ?? 'runs', runsAbove: task.runsAbove };
  if (!task.flatCounts) return layout;
  return { ...layout, flatCounts: task.flatCounts, ...(task.flatNames ? { flatNames: task.flatNames } : {}) };
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
  // progress is posted every PROGRESS_BYTES, not per chunk
  let unreported = 0;
  const fp = await fingerprintLocalRange(
    { ...task, fd },
    { k: task.k, seed: task.seed, layout: layoutOfTask(task) },
    task.chunkSize,
    (n) => {
      unreported += n;
      if (unreported < PROGRESS_BYTES) return;
      parentPort!.postMessage({ type: 'bytes', id: task.id, n: unreported });
      unreported = 0;
    },
  );
  if (unreported) parentPort!.postMessage({ type: 'bytes', id: task.id, n: unreported });
  parentPort!.postMessage({ type: 'done', id: task.id, fp });
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
