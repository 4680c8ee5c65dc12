/** Shared CLI plumbing: atomic output files, progress display, JSON/markdown printing. */
import { rename, stat, writeFile, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Progress } from '../fingerprint/model.js';

/**
 * Writes via a temporary file and a rename, so a failure never leaves a half-written output.
 * A target that exists and is not a regular file (/dev/null, a FIFO, /dev/stdout) is written in
 * place: renaming over it would replace the device.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile()) {
    await writeFile(path, text);
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/**
 * A bar with bytes, rate and ETA on a terminal; plain periodic lines (every 10 s or 10 %) in CI
 * logs, where a redrawn bar would be noise. Quiet when `quiet` is set (e.g. --json to stdout).
 */
/** Sketch mode: ` · 812/1,208 requests, 9.1 MiB read` (what crossed the network so far). */
function requests(p: Progress): string {
  if (p.requests === undefined) return '';
  const n = (x: number) => x.toLocaleString('en-US');
  return ` · ${n(p.requests)}/${n(p.requestsTotal ?? p.requests)} requests, ${human(p.bytesFetched ?? 0)} read`;
}

export function progressReporter(label: string, opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}) {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update: (_: Progress) => {}, stop: () => {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {done}/{total} | {rate}/s | ETA {eta_formatted}{requests}`,
        stream,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const t0 = Date.now();
    return {
      update(p: Progress) {
        if (!started) {
          bar.start(p.bytesTotal || 1, 0, { done: '0 B', total: human(p.bytesTotal), rate: '0 B', requests: '' });
          started = true;
        }
        const rate = p.bytesDone / Math.max(0.001, (Date.now() - t0) / 1000);
        bar.update(p.bytesDone, {
          done: human(p.bytesDone),
          total: human(p.bytesTotal),
          rate: human(rate),
          requests: requests(p),
        });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastTime = Date.now();
  let lastShare = 0;
  const t0 = Date.now();
  return {
    update(p: Progress) {
      const share = p.bytesTotal ? p.bytesDone / p.bytesTotal : 1;
      const now = Date.now();
      if (now - lastTime >= 10_000 || share - lastShare >= 0.1) {
        const rate = p.bytesDone / Math.max(0.001, (now - t0) / 1000);
        stream.write(
          `${label}: ${(100 * share).toFixed(0)}% ` +
            `(${human(p.bytesDone)} of ${human(p.bytesTotal)}, ${human(rate)}/s)${requests(p)}\n`,
        );
        lastTime = now;
        lastShare = share;
      }
    },
    stop() {},
  };
}
