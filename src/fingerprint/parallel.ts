/**
 * Full fingerprints on worker threads (one per core, at most 4): tensors of local files are
 * handed out largest first to whichever worker is free; tensors that are not a plain range of a
 * local file (remote files, gathered PyTorch views) are read on the calling thread meanwhile.
 * Without the bundled worker (running from sources) everything runs on the calling thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { encodingSpec } from '../formats/decode.js';
import type { TensorEntry } from '../formats/types.js';
import type { TensorFingerprint } from './types.js';
import type { FingerprintOptions } from './model.js';
import type { WorkerTask } from './worker.js';
import type { SampleLayout } from './sample.js';

const CHUNK = 8 * 1024 * 1024;

function workerScript(): string | undefined {
  try {
    const path = fileURLToPath(new URL('./worker.js', import.meta.url));
    return existsSync(path) && !path.includes('/src/') ? path : undefined;
  } catch {
    return undefined;
  }
}

export function parallelFullFingerprint(threads = Math.min(4, availableParallelism())): FingerprintOptions['runFull'] {
  const script = workerScript();
  if (!script || threads < 2) return undefined;
  return async (tensors, { k, seed, layout }, onBytes) => {
    // tensors of local files (plain, or with a decoder a worker can rebuild) go to the workers;
    // the rest (remote files, gathered PyTorch views) are read on this thread meanwhile
    const onWorkers = (t: TensorEntry) =>
      Boolean(t.file.localPath) && (!t.encoding || Boolean(encodingSpec(t.encoding)));
    const local = tensors.map((t, i) => (onWorkers(t) ? i : -1)).filter((i) => i >= 0);
    const elsewhere = tensors.map((t, i) => (onWorkers(t) ? -1 : i)).filter((i) => i >= 0);
    const fingerprints: TensorFingerprint[] = new Array(tensors.length);
    let read = 0;
    const onWorker = async () => {
      if (local.length === 0) return;
      const fps = await runOnWorkers(
        script,
        local.map((i) => tensors[i]!),
        { k, seed, layout },
        Math.min(threads, local.length),
        (n) => {
          read += n;
          onBytes(n);
        },
      );
      local.forEach((i, j) => {
        fingerprints[i] = fps[j]!;
      });
    };
    const onThisThread = async () => {
      if (elsewhere.length === 0) return;
      const { fingerprintTensorFull } = await import('./model.js');
      for (const i of elsewhere)
        fingerprints[i] = await fingerprintTensorFull(tensors[i]!, k, seed, CHUNK, onBytes, layout);
    };
    // both finish (or fail) before the call returns: nothing keeps reading after it
    const settled = await Promise.allSettled([onWorker(), onThisThread()]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    return { fingerprints, bytesReadElsewhere: read };
  };
}

function runOnWorkers(
  script: string,
  tensors: TensorEntry[],
  sampling: { k: number; seed: number; layout: SampleLayout },
  threads: number,
  onBytes: (n: number) => void,
): Promise<TensorFingerprint[]> {
  const order = tensors.map((_, i) => i).sort((a, b) => tensors[b]!.byteLength - tensors[a]!.byteLength);
  const results: TensorFingerprint[] = new Array(tensors.length);
  let next = 0;
  let finished = 0;
  const workers: Worker[] = [];
  return new Promise((resolve, reject) => {
    let failed = false;
    const stopAll = () => {
      for (const w of workers) void w.terminate();
    };
    const feed = (w: Worker) => {
      if (next >= order.length) return;
      const i = order[next++]!;
      const t = tensors[i]!;
      const task: WorkerTask = {
        id: i,
        path: t.file.localPath!,
        offset: t.offset,
        byteLength: t.byteLength,
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        k: sampling.k,
        seed: sampling.seed,
        runsAbove: sampling.layout.kind === 'grid' ? null : sampling.layout.runsAbove,
        ...(sampling.layout.kind === 'secret-runs' ? { runs: 'secret-runs' as const } : {}),
        chunkSize: CHUNK,
      };
      if (t.encoding) task.encoding = encodingSpec(t.encoding)!;
      w.postMessage(task);
    };
    for (let n = 0; n < threads; n++) {
      const w = new Worker(script);
      workers.push(w);
      w.on('message', (msg: { type: string; id: number; n?: number; fp?: TensorFingerprint; message?: string }) => {
        if (failed) return;
        if (msg.type === 'bytes') onBytes(msg.n!);
        else if (msg.type === 'done') {
          results[msg.id] = msg.fp!;
          if (++finished === tensors.length) {
            for (const x of workers) x.postMessage({ type: 'close' });
            resolve(results);
          } else feed(w);
        } else if (msg.type === 'error') {
          failed = true;
          stopAll();
          reject(new InputError(tensors[msg.id]!.file.id, msg.message ?? 'worker failed'));
        }
      });
      w.on('error', (err) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(err);
      });
      feed(w);
    }
    if (tensors.length === 0) resolve(results);
  });
}
