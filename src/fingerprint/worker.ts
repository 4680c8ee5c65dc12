/**
 * Worker thread: fingerprints whole tensors of local files, reading them itself so the main
 * thread only hands out work. Bundled to dist/worker.js.
 */
import { parentPort } from 'node:worker_threads';
import { open, type FileHandle } from 'node:fs/promises';
import { TensorAccumulator, wantsFullCols, wantsFullRows } from './accumulate.js';

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
  chunkSize: number;
}

const handles = new Map<string, FileHandle>();
let scratch: Uint8Array | undefined;

async function run(task: WorkerTask): Promise<void> {
  let handle = handles.get(task.path);
  if (!handle) {
    handle = await open(task.path, 'r');
    handles.set(task.path, handle);
  }
  const acc = new TensorAccumulator(task.name, task.dtype, task.shape, task.byteLength, {
    k: task.k,
    seed: task.seed,
    fullRows: wantsFullRows(task.name, task.shape),
    fullCols: wantsFullCols(task.name, task.shape),
  });
  let done = 0;
  // One buffer per worker, reused: the accumulator keeps no reference to a chunk, and a fresh
  // 8 MiB allocation per read costs page faults and zeroing on every chunk (and peak RSS).
  if (!scratch || scratch.length < task.chunkSize) scratch = new Uint8Array(task.chunkSize);
  while (done < task.byteLength) {
    const length = Math.min(task.chunkSize, task.byteLength - done);
    const buf = scratch.subarray(0, length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, task.offset + done + got);
      if (bytesRead === 0) throw new Error(`${task.path}: file ended inside tensor ${task.name}`);
      got += bytesRead;
    }
    acc.update(buf);
    done += length;
    parentPort!.postMessage({ type: 'bytes', id: task.id, n: length });
  }
  parentPort!.postMessage({ type: 'done', id: task.id, fp: acc.finish() });
}

parentPort?.on('message', (msg: WorkerTask | { type: 'close' }) => {
  if ('type' in msg) {
    void Promise.all([...handles.values()].map((h) => h.close())).then(() => process.exit(0));
    return;
  }
  run(msg).catch((err: unknown) => {
    parentPort!.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  });
});
