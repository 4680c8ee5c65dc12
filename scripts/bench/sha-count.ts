/**
 * The bench's baselines for a full fingerprint: SHA-256 alone (`hash`), and SHA-256 plus the
 * fingerprint's own 16-bit counting kernel (`count`: the ceiling of a fingerprint with an exact
 * count; no moments, samples, Gram, digests or CLI start-up). Reads as the fingerprint reads: 1 MiB
 * at a time into the kernels' input area, page-aligned, each 256 KiB slice hashed, then counted.
 * `node sha-count.mjs <file> hash|count [threads]`: with 2 threads each takes one half of the file
 * at the same time. Bundled by the bench (esbuild), like to-pytorch.ts.
 *
 * Page-aligned because a Node Buffer comes from malloc and starts 16 bytes into a page: on some AMD
 * hosts the kernel copies into a destination 1–31 bytes past a 64-byte boundary 4–6× slower
 * (measured: 2.0 s against 0.35 s of system time per 4 GiB), which would flatter the fingerprint.
 */
import { createHash } from 'node:crypto';
import { openSync, readSync, statSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { HIST_GROUP, kernels } from '../../src/fingerprint/kernels.js';

const READ = 1 << 20;
const SLICE = 256 * 1024;

function hashAndCount(file: string, start: number, end: number, count: boolean): string {
  const k = kernels();
  if (!k) throw new Error('no WebAssembly SIMD');
  const buf = k.input.subarray(0, READ);
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  for (let pos = start; pos < end; ) {
    const n = readSync(fd, buf, 0, Math.min(READ, end - pos), pos);
    if (n <= 0) throw new Error(`${file}: short read at ${pos}`);
    for (let at = 0; at < n; at += SLICE) {
      const slice = buf.subarray(at, Math.min(n, at + SLICE));
      h.update(slice);
      if (!count) continue;
      // whole groups only: the rest (< 32 bytes a read) is not worth a scalar loop here
      k.hist16(slice.byteOffset, Math.floor(slice.byteLength / (2 * HIST_GROUP)));
    }
    pos += n;
  }
  let distinct = 0;
  for (const c of k.t16) if (c) distinct++;
  return `${h.digest('hex').slice(0, 12)}:${distinct}`;
}

if (isMainThread) {
  const [file, what, threadsArg] = process.argv.slice(2);
  if (!file || (what !== 'hash' && what !== 'count'))
    throw new Error('usage: sha-count.mjs <file> hash|count [threads]');
  const count = what === 'count';
  const threads = Math.max(1, Number(threadsArg ?? 1) | 0);
  const size = statSync(file).size;
  const cut = (i: number) => Math.floor((size * i) / threads / READ) * READ;
  const parts = Array.from({ length: threads }, (_, i) => [cut(i), i === threads - 1 ? size : cut(i + 1)]);
  const others = parts.slice(1).map(
    ([start, end]) =>
      new Promise<string>((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), { workerData: { file, start, end, count } });
        w.once('message', resolve);
        w.once('error', reject);
      }),
  );
  const first = hashAndCount(file, parts[0]![0]!, parts[0]![1]!, count);
  console.log([first, ...(await Promise.all(others))].join(' '));
} else {
  const { file, start, end, count } = workerData as { file: string; start: number; end: number; count: boolean };
  parentPort?.postMessage(hashAndCount(file, start, end, count));
}
