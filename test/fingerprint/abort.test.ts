/**
 * A full fingerprint stops inside a model when its signal is aborted (the App's job budget): a
 * single multi-GiB model must not hold a job past its budget. The file is sparse (a hole reads as
 * zeros), so it costs no disk; the abort is triggered by the first progress event, never by a clock.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { liveWorkers, parallelFullFingerprint } from '../../src/fingerprint/parallel.js';
import { type Bundles, buildBundles } from '../helpers/bundle.js';
import { writeSparseSafetensors } from '../helpers/sparse-model.js';

let bundles: Bundles;
let dir: string;
let file: string;
let size: number;

beforeAll(async () => {
  bundles = await buildBundles(['worker']);
  dir = await mkdtemp(join(tmpdir(), 'wp-abort-'));
  file = join(dir, 'model.safetensors');
  // three 1 GiB matrices (3 GiB sparse): the calling thread and two workers each take one
  const t = (name: string) => ({ name, dtype: 'BF16' as const, shape: [16384, 32768] });
  ({ size } = writeSparseSafetensors(file, [
    t('model.layers.0.mlp.up_proj.weight'),
    t('model.layers.0.mlp.gate_proj.weight'),
    t('model.layers.0.mlp.down_proj.weight'),
  ]));
}, 300_000);
afterAll(async () => {
  await bundles?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const budget = () => new Error('timed out after 1800 s');

describe('full fingerprint of one large model, aborted after the first progress event', () => {
  it('on this thread: rejects with the reason and reads no further chunk', async () => {
    const controller = new AbortController();
    const reason = budget();
    const seen: number[] = [];
    const run = loadFingerprint(file, {
      mode: 'full',
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.bytesDone);
        controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    // one 8 MiB chunk of the 3 GiB was read: the abort was honoured at the next one
    expect(seen).toEqual([8 * 1024 * 1024]);
    expect(size).toBeGreaterThan(3 * 1024 ** 3);
  });

  it('on worker threads: rejects with the reason once every worker has exited and closed its files', async () => {
    expect(liveWorkers()).toBe(0);
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    const controller = new AbortController();
    const reason = budget();
    let last = 0;
    let workersAtAbort = 0;
    const run = loadFingerprint(file, {
      mode: 'full',
      signal: controller.signal,
      runFull: parallelFullFingerprint(3, undefined, join(bundles.dir, 'worker.js')),
      onProgress: (p) => {
        // the first report from a worker (64 MiB at once; this thread reports 8 MiB): it has its file open
        const step = p.bytesDone - last;
        last = p.bytesDone;
        if (step !== 64 * 1024 * 1024 || controller.signal.aborted) return;
        workersAtAbort = liveWorkers();
        controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(workersAtAbort).toBe(2);
    // stopped, not left reading the rest of their tensors, and the file each opened is closed
    expect(liveWorkers()).toBe(0);
    expect(fds()).toBe(before);
  });

  it('aborted before it starts: the file is not even opened', async () => {
    const controller = new AbortController();
    const reason = budget();
    controller.abort(reason);
    let events = 0;
    const run = loadFingerprint(join(dir, 'absent.safetensors'), {
      mode: 'full',
      signal: controller.signal,
      onProgress: () => events++,
    });
    // the abort, not "no such file": nothing was looked at
    await expect(run).rejects.toBe(reason);
    expect(events).toBe(0);
  });
});
