/** compareTokenizers on generated tokenizers whose relationship is known by construction. */
import { describe, expect, it } from 'vitest';
import { tokenizerSignature, SKETCH_K, type TokenizerSignature } from '../../src/fingerprint/tokenizer.js';
import { compareTokenizers, tokenizerFamilyMatch } from '../../src/compare/tokenizer.js';
import { normalSf } from '../../src/compare/stats.js';
import { mergesTxt, permutation, synthBpe, vocabJson, type SynthBpe } from '../fingerprint/signature-helpers.js';

function sig(t: SynthBpe, ids?: number[]): TokenizerSignature {
  return tokenizerSignature({ 'vocab.json': vocabJson(t.tokens, ids), 'merges.txt': mergesTxt(t.merges) })!;
}

// 3000 merges: more than the sketch size, so every statistic below is a sampled estimate.
const N = 3000;
const base = synthBpe(N, 11);
const alphabet = base.tokens.length - N;

/**
 * `base` with `count` new merges inserted at merge position `at`; ids follow merge order (as in HF
 * BPE files), so every later id shifts by `count`. The new tokens occur nowhere in `base`.
 */
function withInsertedMerges(at: number, count: number): SynthBpe {
  const letters = [...'abcdefghijklmnopqrstuvwxyz'];
  const have = new Set(base.tokens);
  const fresh: [string, string][] = [];
  const add = (l: string, r: string) => {
    if (fresh.length < count && !have.has(l + r)) {
      have.add(l + r);
      fresh.push([l, r]);
    }
  };
  for (const x of letters) for (const y of letters) add(x, y);
  // Longer ones from fresh tokens (which exist by then) if two letters were not enough.
  for (let i = 0; fresh.length < count && i < fresh.length; i++)
    for (const z of letters) add(fresh[i]![0] + fresh[i]![1], z);
  expect(fresh.length).toBe(count);
  const merges = [...base.merges.slice(0, at), ...fresh, ...base.merges.slice(at)];
  return { tokens: [...base.tokens.slice(0, alphabet), ...merges.map(([a, b]) => a + b)], merges };
}

describe('merge ranks are compared by content, never by position', () => {
  const inserted = withInsertedMerges(N / 2, 100);
  const a = sig(base);
  const b = sig(inserted);
  const ev = compareTokenizers(a, b);

  it('the construction really breaks position-wise comparison', () => {
    // Sanity check of the test itself: after the insertion point no position matches.
    const same = base.merges.filter(([x, y], i) => inserted.merges[i]![0] === x && inserted.merges[i]![1] === y).length;
    expect(same / N).toBeCloseTo(0.5, 1);
  });

  it('keeps Spearman ≈ 1 over the common merges', () => {
    expect(ev.identical).toBe(false);
    expect(ev.mergeRank!.common).toBeGreaterThan(800);
    expect(ev.mergeRank!.spearman).toBeGreaterThan(0.999);
    expect(ev.mergeRank!.kendall).toBeGreaterThan(0.999);
    expect(ev.mergeRank!.p_value).toBeLessThan(1e-100);
    expect(ev.detail).toMatch(/merge-rank Spearman 1\.00 over \d+ common merges/);
  });

  it('estimates Jaccard within its standard error', () => {
    const truth = base.tokens.length / inserted.tokens.length;
    expect(Math.abs(ev.jaccard!.estimate - truth)).toBeLessThan(3 * ev.jaccard!.se + 0.005);
    expect(ev.jaccard!.exact).toBe(false);
    expect(ev.jaccard!.se).toBeGreaterThan(0);
    expect(ev.jaccard!.se).toBeLessThan(0.02);
  });

  it('matches merges by content: the same merges in shuffled order have no rank correlation', () => {
    const perm = permutation(N, 9);
    const shuffled = { tokens: base.tokens, merges: perm.map((i) => base.merges[i]!) };
    const ev2 = compareTokenizers(a, sig(shuffled));
    expect(ev2.mergeRank!.common).toBe(SKETCH_K);
    expect(Math.abs(ev2.mergeRank!.spearman!)).toBeLessThan(0.15);
    expect(ev2.mergeRank!.p_value).toBeGreaterThan(1e-4);
  });

  it('matches merges by content: unrelated merge lists of the same length share few merges', () => {
    const ev2 = compareTokenizers(a, sig(synthBpe(N, 4242, 'Ġabcdefghijklmnopqrstuvwxyz')));
    expect(ev2.mergeRank!.common).toBeLessThan(100);
  });

  it('sees the id shift of the tokens after the insertion', () => {
    // Merge tokens after position N/2 moved by +100: about half of the shared tokens keep their id.
    const truth = (alphabet + N / 2) / base.tokens.length;
    expect(Math.abs(ev.sameId!.estimate - truth)).toBeLessThan(3 * ev.sameId!.se + 0.01);
  });
});

describe('same-id share', () => {
  const a = sig(base);

  it('detects a vocabulary whose ids were shuffled', () => {
    const perm = permutation(base.tokens.length, 5);
    const ev = compareTokenizers(a, sig(base, perm));
    expect(ev.identical).toBe(false);
    expect(ev.jaccard!.estimate).toBe(1);
    expect(ev.sameId!.estimate).toBeLessThan(0.02);
    expect(ev.detail).toMatch(/Jaccard 1\.00 ± 0\.00; [0-2] % of shared tokens keep their id/);
  });

  it('reports a constant shift as an offset', () => {
    const ev = compareTokenizers(
      a,
      sig(
        base,
        base.tokens.map((_, i) => i + 768),
      ),
    );
    expect(ev.sameId!.estimate).toBe(0);
    expect(ev.idOffset).toEqual({ offset: 768, share: 1 });
  });

  it('is 1 and identical for the same tokenizer', () => {
    const ev = compareTokenizers(a, sig(base));
    expect(ev.identical).toBe(true);
    expect(ev.sameAddedTokens).toBe(true);
    expect(ev.sameId!.estimate).toBe(1);
    expect(ev.detail.startsWith('identical tokenizer')).toBe(true);
  });
});

describe('small and unrelated tokenizers', () => {
  it('says "too few common merges" instead of a statistic', () => {
    const x = synthBpe(5, 1);
    const ev = compareTokenizers(sig(x), sig(synthBpe(5, 2)));
    expect(ev.mergeRank!.spearman).toBeUndefined();
    expect(ev.mergeRank!.note).toMatch(/too few common merges/);
    expect(ev.detail).toMatch(/too few common merges/);
  });

  it('gives exact Jaccard when both sketches hold their whole sets', () => {
    const x = synthBpe(200, 3);
    const y = { tokens: x.tokens.slice(0, 127), merges: x.merges.slice(0, 100) };
    const ev = compareTokenizers(sig(x), sig(y));
    expect(ev.jaccard).toMatchObject({ estimate: 127 / 227, se: 0, exact: true });
    expect(ev.containment).toEqual({ aInB: 127 / 227, bInA: 1 });
  });

  it('finds low overlap between independently generated vocabularies', () => {
    const ev = compareTokenizers(sig(base), sig(synthBpe(N, 12345)));
    expect(ev.jaccard!.estimate).toBeLessThan(0.3);
    expect(ev.identical).toBe(false);
  });
});

describe('ancestry note and family ranking', () => {
  // An "ancestor" vocabulary and two independent extensions of it (the cl100k → Llama 3 / Qwen2 pattern).
  const ancestor = synthBpe(2000, 21);
  const extend = (seed: number): SynthBpe => {
    const more = synthBpe(3500, seed);
    const have = new Set(ancestor.tokens);
    const merges = [...ancestor.merges];
    const tokens = [...ancestor.tokens];
    for (const [l, r] of more.merges) {
      if (merges.length === 3500) break;
      if (have.has(l + r) || !have.has(l) || !have.has(r)) continue;
      have.add(l + r);
      merges.push([l, r]);
      tokens.push(l + r);
    }
    return { tokens, merges };
  };
  const anc = sig(ancestor);
  const x = sig(extend(31));
  const y = sig(extend(32));
  const families = [
    { id: 'synth:ancestor', family: 'ancestor_base', signature: anc },
    { id: 'synth:x', family: 'x', signature: x },
    { id: 'synth:unrelated', family: 'unrelated', signature: sig(synthBpe(3000, 777)) },
  ];

  it('explains the overlap of two extensions of one public ancestor', () => {
    const ev = compareTokenizers(x, y, { ancestors: [families[0]!] });
    expect(ev.note).toMatch(/Both vocabularies contain synth:ancestor/);
    expect(ev.note).toMatch(/not evidence of weight reuse/);
    expect(ev.ancestry[0]!.containmentA).toBe(1);
    expect(ev.ancestry[0]!.beyondAncestor!.estimate).toBeLessThan(ev.jaccard!.estimate);
  });

  it('adds no note when one side does not contain the ancestor', () => {
    const ev = compareTokenizers(x, families[2]!.signature, { ancestors: [families[0]!] });
    expect(ev.note).toBeUndefined();
  });

  it('ranks identical first, then by Jaccard, and labels an extension', () => {
    const ranked = tokenizerFamilyMatch(x, families);
    expect(ranked.map((r) => r.id)).toEqual(['synth:x', 'synth:ancestor', 'synth:unrelated']);
    expect(ranked[0]!.relation).toBe('identical');
    expect(ranked[1]!.relation).toBe('extends');
    expect(ranked[1]!.familyContained).toBe(1);
    expect(ranked[2]!.relation).toBe('unrelated');
  });
});

describe('normal tail', () => {
  it('matches known values, including the far tail', () => {
    expect(normalSf(0)).toBeCloseTo(0.5, 6);
    expect(normalSf(1.959964)).toBeCloseTo(0.025, 5);
    expect(normalSf(-1.959964)).toBeCloseTo(0.975, 5);
    expect(normalSf(10) / 7.619853e-24).toBeCloseTo(1, 4);
  });
});
