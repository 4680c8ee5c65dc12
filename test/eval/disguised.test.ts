/**
 * The evaluation's disguised copies of real llama2.c weights: each is written as a model directory
 * and judged as the eval judges it (A = the real model).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDisguisedCases } from '../../src/eval/disguised.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE, comparePaths } from '../compare/helpers.js';

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

describe.skipIf(!HAVE_REAL)('disguised copies of real weights in the eval', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-eval-disguised-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every disguise of stories260K is judged a copy or derived', async () => {
    const source = join(REAL, 'llama2c', 'karpathy_stories260K');
    const cases = await writeDisguisedCases(source, dir);
    expect(cases.length).toBeGreaterThanOrEqual(7);
    const wrong: string[] = [];
    for (const c of cases) {
      const r = await comparePaths(source, c.b);
      if (!c.accept.includes(r.verdict)) wrong.push(`${c.id}: ${r.verdict} (${r.reason})`);
    }
    expect(wrong).toEqual([]);
  });
});
