/** Per-component evidence is about that component: no component quotes another's (or the model's) figures. */
import { describe, expect, it } from 'vitest';
import { caseById } from '../../src/synth/index.js';
import { compareCase } from './helpers.js';

const INHERITED = /^norm\/bias vectors inherited: (\d+) of (\d+)/;

function inheritanceLines(r: Awaited<ReturnType<typeof compareCase>>) {
  return Object.fromEntries(
    r.components.map((c) => [c.name, c.evidence.map((e) => INHERITED.exec(e.detail)).filter((m) => m !== null)]),
  );
}

describe('norm/bias inheritance evidence', () => {
  it('is stated only under components that have norm/bias vectors of their own', async () => {
    const lines = inheritanceLines(await compareCase(caseById('ft10-bf16')));
    // the output head and the embeddings are single matrices: no vectors, so no inheritance line
    expect(lines['output head']).toEqual([]);
    expect(lines.embeddings).toEqual([]);
    expect(lines['text decoder']).toHaveLength(1);
  });

  it("counts each component's own vectors: the vision tower's figure is not the model's", async () => {
    const r = await compareCase(caseById('vision-transplant'));
    const lines = inheritanceLines(r);
    expect(lines['vision encoder']).toHaveLength(1);
    const [, significant, compared] = lines['vision encoder']![0]!;
    expect(Number(significant)).toBe(Number(compared));
    // the text decoder is independent: nothing inherited is claimed for it
    expect(r.components.find((c) => c.name === 'text decoder')!.verdict).toBe('independent');
    expect(lines['text decoder']).toEqual([]);
  });
});
