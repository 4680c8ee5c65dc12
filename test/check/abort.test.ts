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
});
