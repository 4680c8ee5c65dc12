/**
 * Full fingerprints on all cores (at most 4): tensors of local files are handed out largest first
 * to whichever thread is free — worker threads, one per core but one, and the calling thread,
 * which starts on the largest plain tensor at once while the workers boot (~0.1 s each). Tensors
 * that are not a range of a local file (remote files, gathered PyTorch views) are read on the
 * calling thread meanwhile. Without the bundled worker (running from sources) everything runs on
 * the calling thread.
 */
import { closeSync, existsSync, openSync } from 'node:fs';
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
import { fingerprintLocalRange } from './local-range.js';

const CHUNK = 8 * 1024 * 1024;

function workerScript(): string | undefined {
  try {
    const path = fileURLToPath(new URL('./worker.js', import.meta.url));
    return existsSync(path) && !path.includes('/src/') ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Worker threads of this module alive now (started, not yet exited): tests see none outlive a call. */
let live = 0;
export const liveWorkers = (): number => live;

function startWorker(script: string): Worker {
  const w = new Worker(script);
  live++;
  w.once('exit', () => live--);
  return w;
}

/** The default: every core, at most 4. */
const defaultThreads = () => Math.min(4, availableParallelism());

/**
 * Workers started before the model is even opened, so their boot (~0.1 s: an isolate, the worker
 * bundle, the kernels) overlaps the calling thread's own start-up instead of delaying the workers'
 * first tensor. Idle ones do not keep the process alive; `release()` ends those never taken.
 */
export interface WarmWorkers {
  /** Live, idle workers (one leaves the list when it is taken, fails or exits). */
  readonly idle: Worker[];
  release(): void;
}

/**
 * Starts the workers a full fingerprint would use (one per core but one), if the bundled worker
 * is there; callers that will fingerprint local weights in full call this first thing. `script`
 * for tests (a bundled worker from a temporary directory).
 */
export function prestartWorkers(threads = defaultThreads(), script = workerScript()): WarmWorkers | undefined {
  if (!script || threads < 2) return undefined;
  const idle: Worker[] = [];
  const drop = (w: Worker) => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  };
  for (let n = 0; n < threads - 1; n++) {
    const w = startWorker(script);
    w.unref();
    // a worker that fails while idle is dropped, never handed a task; runOnWorkers listens once it takes one
    w.once('error', () => drop(w));
    w.once('exit', () => drop(w));
    idle.push(w);
  }
  return {
    idle,
    release() {
      for (const w of idle.splice(0)) void w.terminate();
    },
  };
}

export function parallelFullFingerprint(
  threads = defaultThreads(),
  warm?: WarmWorkers,
  script = workerScript(),
): FingerprintOptions['runFull'] {
  if (!script || threads < 2) return undefined;
  return async (tensors, { k, seed, layout, signal }, onBytes) => {
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
        { k, seed, layout, signal },
        workerCount(
          local.map((i) => tensors[i]!),
          threads,
        ),
        (n) => {
          read += n;
          onBytes(n);
        },
        warm,
      );
      local.forEach((i, j) => {
        fingerprints[i] = fps[j]!;
      });
    };
    const onThisThread = async () => {
      if (elsewhere.length === 0) return;
      const { fingerprintTensorFull } = await import('./model.js');
      for (const i of elsewhere)
        fingerprints[i] = await fingerprintTensorFull(tensors[i]!, k, seed, CHUNK, onBytes, layout, signal);
    };
    // both finish (or fail) before the call returns: nothing keeps reading after it
    const settled = await Promise.allSettled([onWorker(), onThisThread()]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    return { fingerprints, bytesReadElsewhere: read };
  };
}

/** A tensor this thread can read itself between the workers' messages: a plain range of a local file. */
const plain = (t: TensorEntry) => !t.encoding && Boolean(t.file.localPath);

/** Workers to start: one per thread but this one when it has plain tensors to share, none idle. */
function workerCount(local: TensorEntry[], threads: number): number {
  const plainCount = local.filter(plain).length;
  if (plainCount === 0) return Math.min(threads, local.length);
  const n = Math.min(threads - 1, local.length - 1);
  return plainCount < local.length ? Math.max(1, n) : n;
}

/**
 * Fingerprints `tensors` (all of local files) on `threads` workers running `script` and on this
 * thread; exported for tests (a bundled worker from a temporary directory). Aborting
 * `sampling.signal` rejects with its reason once every worker has exited and this thread's files
 * are closed.
 */
export function runOnWorkers(
  script: string,
  tensors: TensorEntry[],
  { signal, ...sampling }: { k: number; seed: number; layout: SampleLayout; signal?: AbortSignal },
  threads: number,
  onBytes: (n: number) => void,
  warm?: WarmWorkers,
): Promise<TensorFingerprint[]> {
  const order = tensors.map((_, i) => i).sort((a, b) => tensors[b]!.byteLength - tensors[a]!.byteLength);
  const taken = new Uint8Array(tensors.length);
  const results: TensorFingerprint[] = new Array(tensors.length);
  let next = 0;
  let finished = 0;
  const workers: Worker[] = [];
  /** The largest tensor not taken yet (by this thread: the largest plain one), or -1. */
  const take = (thisThread: boolean): number => {
    while (next < order.length && taken[order[next]!]) next++;
    for (let j = next; j < order.length; j++) {
      const i = order[j]!;
      if (taken[i] || (thisThread && !plain(tensors[i]!))) continue;
      taken[i] = 1;
      return i;
    }
    return -1;
  };
  return new Promise((resolve, reject) => {
    let failed = false;
    // this thread's share, once started: a failure waits for it (its open files) before rejecting
    let ownShare: Promise<void> = Promise.resolve();
    const onAbort = () => fail(signal!.reason);
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      signal?.removeEventListener('abort', onAbort);
      // nothing of this call outlives it: every worker exited, this thread's reads stopped
      void Promise.allSettled([...workers.map((w) => w.terminate()), ownShare]).then(() => reject(err));
    };
    const doneOne = (i: number, fp: TensorFingerprint) => {
      results[i] = fp;
      if (++finished === tensors.length) {
        signal?.removeEventListener('abort', onAbort);
        for (const x of workers) x.postMessage({ type: 'close' });
        resolve(results);
      }
    };
    const feed = (w: Worker) => {
      const i = take(false);
      if (i < 0) return;
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
        ...(sampling.layout.flatCounts?.length ? { flatCounts: [...sampling.layout.flatCounts] } : {}),
        ...(sampling.layout.flatNames ? { flatNames: [...sampling.layout.flatNames] } : {}),
        chunkSize: CHUNK,
      };
      if (t.encoding) task.encoding = encodingSpec(t.encoding)!;
      w.postMessage(task);
    };
    // this thread's share: plain tensors, read between the workers' messages
    const onThisThread = async () => {
      const fds = new Map<string, number>();
      // between reads: let the workers' messages in, and stop within a read once anything failed
      const pause = () =>
        new Promise<void>((res, rej) => setImmediate(() => (failed ? rej(new Error('stopped')) : res())));
      let i = -1;
      try {
        for (;;) {
          i = failed ? -1 : take(true);
          if (i < 0) break;
          const t = tensors[i]!;
          const path = t.file.localPath!;
          let fd = fds.get(path);
          if (fd === undefined) {
            fd = openSync(path, 'r');
            fds.set(path, fd);
          }
          const fp = await fingerprintLocalRange(
            { fd, path, offset: t.offset, byteLength: t.byteLength, name: t.name, dtype: t.dtype, shape: t.shape },
            sampling,
            CHUNK,
            onBytes,
            pause,
          );
          if (!failed) doneOne(i, fp);
        }
      } catch (err) {
        fail(new InputError(i >= 0 ? tensors[i]!.file.id : 'model', err instanceof Error ? err.message : String(err)));
      } finally {
        for (const fd of fds.values()) closeSync(fd);
      }
    };
    for (let n = 0; n < threads; n++) {
      // a prestarted worker when there is one (it booted meanwhile), else a new one
      const prestarted = warm?.idle.shift();
      prestarted?.ref();
      const w = prestarted ?? startWorker(script);
      workers.push(w);
      w.on('message', (msg: { type: string; id: number; n?: number; fp?: TensorFingerprint; message?: string }) => {
        if (failed) return;
        if (msg.type === 'bytes') onBytes(msg.n!);
        else if (msg.type === 'done') {
          doneOne(msg.id, msg.fp!);
          if (finished < tensors.length) feed(w);
        } else if (msg.type === 'error') {
          fail(new InputError(tensors[msg.id]!.file.id, msg.message ?? 'worker failed'));
        }
      });
      w.on('error', fail);
    }
    // prestarted workers this model does not need
    warm?.release();
    if (tensors.length === 0) {
      for (const w of workers) void w.terminate();
      resolve(results);
      return;
    }
    if (signal?.aborted) {
      fail(signal.reason);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    // the workers boot meanwhile; this thread takes the largest plain tensor first
    ownShare = onThisThread();
    for (const w of workers) feed(w);
  });
}
