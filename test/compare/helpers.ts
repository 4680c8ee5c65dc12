import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { compareModels } from '../../src/compare/index.js';
import type { CompareResult } from '../../src/compare/types.js';
import { writeCase, type GeneratedCase } from '../../src/synth/index.js';

export const SHARED = resolve(__dirname, '../../../shared');
export const REAL = join(SHARED, 'realmodels');
export const HAVE_REAL = existsSync(join(REAL, 'pairs.json'));
export const SKIP_REAL_MESSAGE = `../shared/realmodels not found at ${REAL}: real-model tests skipped`;

/** Results by case object, then seed offset and mode: a test file judges each case once. */
const judged = new WeakMap<GeneratedCase, Map<string, Promise<CompareResult>>>();

/**
 * Writes case `c` at `seedOffset`, fingerprints both models in `mode` and compares them. The
 * result is shared by every test of the file that asks for the same case, seed and mode (writing
 * and fingerprinting is deterministic); treat it as read-only.
 */
export function compareCase(
  c: GeneratedCase,
  seedOffset = 0,
  mode: 'full' | 'sample' = 'full',
): Promise<CompareResult> {
  const bySeed = judged.get(c) ?? new Map<string, Promise<CompareResult>>();
  judged.set(c, bySeed);
  const key = `${seedOffset}/${mode}`;
  let result = bySeed.get(key);
  if (!result) {
    result = judgeCase(c, seedOffset, mode);
    bySeed.set(key, result);
    result.catch(() => bySeed.delete(key)); // a failure is not remembered
  }
  return result;
}

async function judgeCase(c: GeneratedCase, seedOffset: number, mode: 'full' | 'sample'): Promise<CompareResult> {
  const dir = await mkdtemp(join(tmpdir(), `wp-${c.id}-`));
  try {
    const { a, b } = await writeCase(c, dir, seedOffset);
    return compareModels(await loadFingerprint(a, { mode }), await loadFingerprint(b, { mode }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function comparePaths(a: string, b: string): Promise<CompareResult> {
  return compareModels(await loadFingerprint(a), await loadFingerprint(b));
}
