import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { type Bundles, buildBundles } from '../helpers/bundle.js';
import { openModel } from '../../src/formats/model.js';
import { prestartWorkers, runOnWorkers } from '../../src/fingerprint/parallel.js';
import { DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, RUNS_LAYOUT } from '../../src/fingerprint/sample.js';
import { InputError } from '../../src/errors.js';

/**
 * A parallel full fingerprint (bundled CLI: worker threads plus the calling thread, which reads
 * its own share of the plain tensors between the workers' messages) gives exactly the tensor
 * fingerprints of the sequential one on this thread, and fails in one line when a read fails.
 */
let bundles: Bundles;
let dir: string;

beforeAll(async () => {
  bundles = await buildBundles(['cli', 'worker']);
  dir = await mkdtemp(join(tmpdir(), 'wp-parallel-'));
});
afterAll(async () => {
  await bundles?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 4294967296 - 0.5) * 0.04;
  });
}

function model(): Uint8Array {
  // tensors larger than one 8 MiB read (several reads, pauses between them on the calling thread) and small ones
  const specs: Array<[string, 'BF16' | 'F16' | 'F32', number[]]> = [
    ['model.embed_tokens.weight', 'BF16', [4200, 1024]],
    ['model.layers.0.mlp.up_proj.weight', 'F32', [2100, 1024]],
    ['model.layers.0.mlp.down_proj.weight', 'F16', [1024, 2100]],
    ['model.layers.0.self_attn.q_proj.weight', 'BF16', [1024, 1024]],
    ['model.layers.0.input_layernorm.weight', 'F32', [1024]],
    ['model.layers.1.self_attn.q_proj.weight', 'BF16', [1024, 1024]],
    ['model.norm.weight', 'BF16', [1024]],
  ];
  return encodeSafetensors(
    specs.map(([name, dtype, shape], i) => ({
      name,
      dtype,
      shape,
      data: encodeFromFloat32(
        dtype,
        values(
          shape.reduce((a, b) => a * b, 1),
          17 + i,
        ),
      ),
    })),
  );
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(bundles.dir, 'cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...bundles.env, CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parallel full fingerprint (bundled CLI)', () => {
  it('equals the sequential fingerprint tensor for tensor, and counts every byte read', async () => {
    const file = join(dir, 'm.safetensors');
    const bytes = model();
    await writeFile(file, bytes);
    const r = cli(['fingerprint', file, '--full', '--json', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const parallel = JSON.parse(r.stdout);
    const sequential = await loadFingerprint(file, { mode: 'full' });
    expect(parallel.tensors).toEqual(JSON.parse(JSON.stringify(sequential.tensors)));
    const dataBytes = sequential.tensors.reduce((n, t) => n + t.bytes, 0);
    expect(parallel.source.bytesRead).toBeGreaterThanOrEqual(dataBytes);
  }, 120_000);

  it('shares the tensors between this thread and the workers; a failed read names the tensor', async () => {
    const file = join(dir, 'share.safetensors');
    await writeFile(file, model());
    const model_ = await openModel(file);
    try {
      const script = join(bundles.dir, 'worker.js');
      const sampling = { k: DEFAULT_SAMPLE_K, seed: DEFAULT_SAMPLE_SEED, layout: RUNS_LAYOUT };
      let bytes = 0;
      const fps = await runOnWorkers(script, model_.tensors, sampling, 1, (n) => {
        bytes += n;
      });
      const sequential = await loadFingerprint(file, { mode: 'full' });
      expect(JSON.parse(JSON.stringify(fps))).toEqual(JSON.parse(JSON.stringify(sequential.tensors)));
      expect(bytes).toBe(model_.tensors.reduce((n, t) => n + t.byteLength, 0));
      // a tensor past the end of the file: the largest (this thread reads it first) or a small one (a worker)
      const sizes = model_.tensors.map((t) => t.byteLength);
      for (const victim of [sizes.indexOf(Math.max(...sizes)), sizes.indexOf(Math.min(...sizes))]) {
        const broken = model_.tensors.map((t, i) => (i === victim ? { ...t, offset: t.offset + 64 * 1024 * 1024 } : t));
        const err = await runOnWorkers(script, broken, sampling, 1, () => {}).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InputError);
        expect(String((err as Error).message)).toMatch(/file ended inside tensor/);
        expect(String((err as Error).message)).toContain(model_.tensors[victim]!.name);
      }
    } finally {
      await model_.close();
    }
  }, 120_000);

  it('takes prestarted workers (never one that died while idle) and ends those it does not need', async () => {
    const file = join(dir, 'warm.safetensors');
    await writeFile(file, model());
    const model_ = await openModel(file);
    const script = join(bundles.dir, 'worker.js');
    const warm = prestartWorkers(4, script)!;
    try {
      expect(warm.idle).toHaveLength(3);
      // one dies before it is used: it leaves the pool instead of being handed a task
      const dead = warm.idle[0]!;
      await dead.terminate();
      await new Promise((res) => setImmediate(res));
      expect(warm.idle).not.toContain(dead);
      expect(warm.idle).toHaveLength(2);
      const sampling = { k: DEFAULT_SAMPLE_K, seed: DEFAULT_SAMPLE_SEED, layout: RUNS_LAYOUT };
      const taken = warm.idle[0]!;
      const spare = warm.idle[1]!;
      let takenDone = 0;
      taken.on('message', (m: { type: string }) => {
        if (m.type === 'done') takenDone++;
      });
      const spareEnded = new Promise<number>((res) => spare.once('exit', res));
      const fps = await runOnWorkers(script, model_.tensors, sampling, 1, () => {}, warm);
      const sequential = await loadFingerprint(file, { mode: 'full' });
      expect(JSON.parse(JSON.stringify(fps))).toEqual(JSON.parse(JSON.stringify(sequential.tensors)));
      // the one taken fingerprinted tensors; the spare was ended
      expect(warm.idle).toHaveLength(0);
      expect(takenDone).toBeGreaterThan(0);
      // ended by runOnWorkers, not by the release() below (that would be after this await)
      await spareEnded;
    } finally {
      warm.release();
      await model_.close();
    }
  }, 120_000);
});
