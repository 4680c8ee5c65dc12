/**
 * A plain tensor of a local file through a TensorAccumulator, with blocking reads into one reused
 * buffer per thread. Worker threads use it for their tasks, and the main thread for its own share
 * of a parallel full fingerprint (it starts at once, while the workers are still booting).
 */
import { readSync } from 'node:fs';
import { TensorAccumulator, wantsFullCols, wantsFullRows } from './accumulate.js';
import { INPUT_SIZE, kernels } from './kernels.js';
import type { SampleLayout } from './sample.js';
import type { TensorFingerprint } from './types.js';

export interface LocalRange {
  fd: number;
  path: string;
  offset: number;
  byteLength: number;
  name: string;
  dtype: string;
  shape: number[];
}

let scratch: Uint8Array | undefined;

/**
 * This thread's read buffer. Reused: the accumulator keeps no reference to a chunk, and a fresh
 * 8 MiB allocation per read costs page faults and zeroing on every chunk (and peak RSS). It is the
 * kernels' input area when the chunk fits: the file is read where they count it, no copy.
 */
function readBuffer(chunkSize: number): Uint8Array {
  if (!scratch || scratch.length < chunkSize) {
    const k = kernels();
    scratch = k && chunkSize <= INPUT_SIZE ? k.input.subarray(0, chunkSize) : new Uint8Array(chunkSize);
  }
  return scratch;
}

/**
 * Blocking reads (a read on the thread pool costs a hop and a promise per chunk). Each chunk is
 * read and accumulated with no await in between, so nothing else on this thread can reuse the
 * buffer meanwhile; `pause` (the main thread: let messages and progress through) runs between chunks.
 */
export async function fingerprintLocalRange(
  r: LocalRange,
  sampling: { k: number; seed: number; layout: SampleLayout },
  chunkSize: number,
  onBytes: (n: number) => void,
  pause?: () => Promise<void>,
): Promise<TensorFingerprint> {
  const acc = new TensorAccumulator(r.name, r.dtype, r.shape, r.byteLength, {
    ...sampling,
    fullRows: wantsFullRows(r.name, r.shape),
    fullCols: wantsFullCols(r.name, r.shape),
  });
  let done = 0;
  while (done < r.byteLength) {
    const length = Math.min(chunkSize, r.byteLength - done);
    const buf = readBuffer(chunkSize).subarray(0, length);
    let got = 0;
    while (got < length) {
      const bytesRead = readSync(r.fd, buf, got, length - got, r.offset + done + got);
      if (bytesRead === 0) throw new Error(`${r.path}: file ended inside tensor ${r.name}`);
      got += bytesRead;
    }
    acc.update(buf);
    done += length;
    onBytes(length);
    if (pause) await pause();
  }
  return acc.finish();
}
