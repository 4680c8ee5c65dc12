/**
 * Full fingerprints on worker threads (one per core, at most 4): tensors of local files are
 * handed out largest first to whichever worker is free. Falls back to the calling thread when the
 * bundled worker is not there (running from sources) or a tensor is not in a local file.
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
  return async (tensors, { k, seed }, onBytes) => {
    if (tensors.some((t) => !t.file.localPath || (t.encoding && !encodingSpec(t.encoding)))) {
      const { fingerprintTensorFull } = await import('./model.js');
      const fingerprints: TensorFingerprint[] = [];
      for (const t of tensors) fingerprints.push(await fingerprintTensorFull(t, k, seed, CHUNK, onBytes));
      return { fingerprints, bytesReadElsewhere: 0 };
    }
    if (tensors.length === 0) return { fingerprints: [], bytesReadElsewhere: 0 };
    let read = 0;
    const fingerprints = await runOnWorkers(
      script,
      tensors,
      k,
      seed,
      Math.min(threads, Math.max(1, tensors.length)),
      (n) => {
        read += n;
        onBytes(n);
      },
    );
    return { fingerprints, bytesReadElsewhere: read };
  };
}

function runOnWorkers(
  script: string,
  tensors: TensorEntry[],
  k: number,
  seed: number,
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
    const stopAll = () => workers.forEach((w) => void w.terminate());
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
        k,
        seed,
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
