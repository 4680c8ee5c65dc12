/**
 * False positives of the generated negative cases at the default thresholds, over seeds no other
 * test uses (its own file so that vitest runs it beside generated.test.ts on another core).
 */
import { describe, expect, it } from 'vitest';
import { caseById } from '../../src/synth/index.js';
import { compareCase } from './helpers.js';

describe('false positives at the default thresholds', () => {
  const kinds = [
    'indep-1',
    'layernorm-trap',
    'shared-init-tied',
    'position-table-halves',
    'small-width-shared-tokenizer',
    'siblings-colearned',
  ] as const;
  it.each(kinds)('%s over 8 seeds: never derived or identical', async (id) => {
    const verdicts: string[] = [];
    for (let seed = 500; seed < 508; seed++) verdicts.push((await compareCase(caseById(id), seed)).verdict);
    expect(verdicts.filter((v) => v === 'derived' || v === 'identical')).toEqual([]);
  });
});
