/**
 * Sketch parity (see sketch-parity.ts): the real pairs here, the generated cases of the evaluation
 * in sketch-parity-generated-<part>.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/compare/types.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE } from './helpers.js';
import { checkRealPair, GENERATED_PARTS } from './sketch-parity.js';

interface Pair {
  a: string;
  b: string;
  accept: Verdict[];
}
/** pairs.json, and the trained siblings (trained/pairs.json, paths relative to realmodels/) as eval reads them. */
const TRAINED = join(REAL, 'trained', 'pairs.json');
const pairs: Pair[] = HAVE_REAL
  ? [
      ...JSON.parse(readFileSync(join(REAL, 'pairs.json'), 'utf8')).pairs,
      ...(existsSync(TRAINED) ? JSON.parse(readFileSync(TRAINED, 'utf8')).pairs : []),
    ]
  : [];
if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

describe.skipIf(!HAVE_REAL)('real pairs: the same verdict from sketches as from full fingerprints', () => {
  it.each(pairs.map((p) => [`${p.a} → ${p.b}`, p] as const))('%s', (_, p) =>
    checkRealPair(join(REAL, p.a), join(REAL, p.b), p.accept),
  );
});

describe('generated cases: every part of the split has its test file', () => {
  it.each(Array.from({ length: GENERATED_PARTS }, (_, part) => part))('part %i', (part) => {
    const file = join(import.meta.dirname, `sketch-parity-generated-${part + 1}.test.ts`);
    expect(existsSync(file), file).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(`describeGeneratedPart(${part})`);
  });
});
