/**
 * runCheck stops between models and between registry entries when its signal is aborted, throwing
 * the signal's reason: the App's job time budget (WEIGHTPRINT_JOB_TIMEOUT) cannot otherwise stop
 * an analysis, which is CPU-bound.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { addEntry } from '../../src/registry/index.js';
import { fineTune } from '../../src/synth/derive.js';
import { writeModelDir } from '../../src/synth/write.js';
import { base, fingerprintSynth, SMALL, tempDir } from '../registry/fixtures.js';
import type { ByteSource, ModelSource } from '../../src/formats/types.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let registry: string;
const models: string[] = [];

beforeAll(async () => {
  tmp = await tempDir('abort');
  registry = join(tmp.dir, 'registry');
  for (const seed of [31, 32]) {
    const { fp } = await fingerprintSynth(tmp.dir, base(SMALL, seed, `synth/base-${seed}`), `B${seed}`);
    await addEntry(registry, fp, { id: `hf:synth/base-${seed}@main`, license: 'MIT', family: 'synth-llm' });
  }
  const A = base(SMALL, 31, 'synth/base-31');
  for (const seed of [1, 2]) models.push(await writeModelDir(fineTune(A, 0.1, seed), join(tmp.dir, `m${seed}`)));
}, 120_000);
afterAll(() => tmp?.cleanup());

/** runCheck on both models, its signal aborted (reason: the App's timeout) once a progress line matches `when`. */
async function abortedAt(when: RegExp) {
  const controller = new AbortController();
  const progress: string[] = [];
  const outcome = await runCheck({
    models,
    registries: [registry],
    noBuiltin: true,
    challenge: 'off',
    signal: controller.signal,
    onProgress: (line) => {
      progress.push(line);
      if (when.test(line)) controller.abort(new Error('timed out after 1 s'));
    },
  }).then(
    (results) => ({ results }),
    (err: unknown) => ({ error: err as Error }),
  );
  return { outcome, progress: progress.join('\n') };
}

describe('runCheck with an AbortSignal', () => {
  it('runs to the end when the signal is not aborted', async () => {
    const { outcome } = await abortedAt(/^$(?!)/);
    expect(outcome).toMatchObject({ results: [{ verdict: 'derived' }, { verdict: 'derived' }] });
  });

  it('aborted while a model is fingerprinted: no registry entry is compared, no further model read', async () => {
    const { outcome, progress } = await abortedAt(/^fingerprinting .*\/m1$/);
    expect(outcome).toEqual({ error: new Error('timed out after 1 s') });
    expect(progress).not.toMatch(/registry entries shortlisted/);
    expect(progress).not.toMatch(/^fingerprinting .*\/m2$/m);
  });

  it('aborted between registry entries: the comparison stops there, the next model is not read', async () => {
    const { outcome, progress } = await abortedAt(/\/m1: full fingerprint/);
    expect(outcome).toEqual({ error: new Error('timed out after 1 s') });
    expect(progress).not.toMatch(/registry entries shortlisted/);
    expect(progress).not.toMatch(/^fingerprinting .*\/m2$/m);
  });

  it('aborted before it starts: nothing is read', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out after 1 s'));
    const progress: string[] = [];
    const run = runCheck({
      models,
      registries: [registry],
      noBuiltin: true,
      signal: controller.signal,
      onProgress: (l) => progress.push(l),
    });
    await expect(run).rejects.toThrow('timed out after 1 s');
    expect(progress).toEqual([]);
  });

  it('aborted inside one large model: its read stops at the next chunk, the opener was given the signal', async () => {
    const controller = new AbortController();
    const reason = new Error('timed out after 1 s');
    const CHUNK = 8 * 1024 * 1024;
    const shape = [16384, 16384]; // BF16: 512 MiB, 64 chunks
    const byteLength = shape[0]! * shape[1]! * 2;
    let chunks = 0;
    // a remote model as the Hub opener hands it out; its first chunk is where the budget runs out
    const file: ByteSource = {
      id: 'hf:org/huge/model.safetensors',
      size: byteLength,
      read: async (_offset, length) => new Uint8Array(length),
      async *stream(_offset, length, chunkSize = CHUNK) {
        for (let at = 0; at < length; at += chunkSize) {
          if (++chunks === 1) controller.abort(reason);
          yield new Uint8Array(Math.min(chunkSize, length - at));
        }
      },
      close: async () => {},
      bytesRead: () => chunks * CHUNK,
    };
    const source: ModelSource = {
      id: 'hf:org/huge',
      kind: 'hub',
      tensors: [
        {
          name: 'model.layers.0.mlp.up_proj.weight',
          dtype: 'BF16',
          shape,
          numel: byteLength / 2,
          byteLength,
          file,
          offset: 0,
        },
      ],
      metadata: {},
      files: ['model.safetensors'],
      totalBytes: byteLength,
      readText: async () => undefined,
      close: async () => {},
    };
    let given: AbortSignal | undefined;
    const run = runCheck({
      models: ['hf:org/huge'],
      registries: [registry],
      noBuiltin: true,
      challenge: 'off',
      mode: 'full',
      signal: controller.signal,
      hub: async (_spec, o) => {
        given = o?.signal;
        return source;
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(chunks).toBe(1);
    // its HTTP requests are cancelled by the same signal (test/net/abort.test.ts)
    expect(given).toBe(controller.signal);
  });
});
