/**
 * A copy hidden as a sub-block (red team `stack-random`): every matrix [R, C] stored as
 * [random R × C; A] = [2R, C], or [random, A] = [R, 2C]. Position by index sees only the random half;
 * the units both shapes share keep A's Gram matrix, so the copy is found by content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { compareModels } from '../../src/compare/index.js';
import type { CompareResult } from '../../src/compare/types.js';
import { stackRandom } from '../../src/synth/disguise.js';
import { fineTune, independent, makeBase, textSpec, writeModelDir, type SynthModel } from '../../src/synth/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wp-sub-block-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function compare(a: SynthModel, b: SynthModel): Promise<CompareResult> {
  const k = n++;
  const pa = await writeModelDir(a, join(dir, `${k}-a`));
  const pb = await writeModelDir(b, join(dir, `${k}-b`));
  return compareModels(await loadFingerprint(pa), await loadFingerprint(pb));
}

const stacked = (m: SynthModel, axis: 0 | 1, seed: number): SynthModel => ({
  ...m,
  tensors: stackRandom(m.tensors, axis, seed),
});

describe('a copy stacked with random rows or columns', () => {
  const spec = { text: textSpec() };
  const a = makeBase(spec, 701);

  it.each([0, 1] as const)('axis %s: the copy is derived, found by the shared units’ Gram matrix', async (axis) => {
    const r = await compare(a, stacked(a, axis, 702));
    expect(r.verdict, r.reason).toBe('derived');
    const text = r.components.find((c) => c.kind === 'text')!;
    expect(text.verdict, text.evidence[0]?.detail).toBe('derived');
    expect(text.evidence.some((e) => /units both shapes share/.test(e.detail))).toBe(true);
  });

  it('a fine-tune stacked with random rows is derived', async () => {
    const r = await compare(a, stacked(fineTune(a, 0.1, 703), 0, 704));
    expect(r.verdict, r.reason).toBe('derived');
  });

  it('an independent model stacked the same way is never derived', async () => {
    for (const seed of [705, 706, 707]) {
      const r = await compare(a, stacked(independent(spec, seed), 0, seed + 100));
      expect(['independent', 'inconclusive'], r.reason).toContain(r.verdict);
    }
  });
});
