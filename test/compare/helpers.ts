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

export async function compareCase(
  c: GeneratedCase,
  seedOffset = 0,
  mode: 'full' | 'sample' = 'full',
): Promise<CompareResult> {
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
