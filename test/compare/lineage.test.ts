/** Declared lineage (model card) against detected lineage (weight verdicts). */
import { describe, expect, it } from 'vitest';
import { checkLineage, sameHubId } from '../../src/compare/lineage.js';
import type { ModelCard } from '../../src/fingerprint/card.js';

const card = (...baseModel: string[]): ModelCard => ({ baseModel, tags: [], hasFrontMatter: true });

describe('hub id matching', () => {
  it('is loose about case, hf: prefix, revision, URL and a missing org', () => {
    expect(sameHubId('Qwen/Qwen2.5-7B', 'hf:qwen/qwen2.5-7b@main')).toBe(true);
    expect(sameHubId('Qwen2.5-7B', 'hf:Qwen/Qwen2.5-7B@a1b2c3')).toBe(true);
    expect(sameHubId('https://huggingface.co/Qwen/Qwen2.5-7B/tree/main', 'Qwen/Qwen2.5-7B')).toBe(true);
  });

  it('never matches two different orgs or different names', () => {
    expect(sameHubId('TheBloke/Llama-2-7B', 'meta-llama/Llama-2-7B')).toBe(false);
    expect(sameHubId('Qwen/Qwen2.5-7B', 'Qwen/Qwen2.5-7B-Instruct')).toBe(false);
  });
});

describe('checkLineage', () => {
  it('finds undeclared reuse in one component while the declared base is supported', () => {
    // The HyperCLOVAX pattern: text declared and derived, vision encoder reused without a word.
    const r = checkLineage(card('naver/base-text-model'), [
      { entry: 'hf:naver/base-text-model@main', verdict: 'derived', component: 'text decoder' },
      { entry: 'hf:Qwen/Qwen2.5-VL-7B-Instruct@main', verdict: 'derived', component: 'vision encoder' },
      { entry: 'hf:Qwen/Qwen2.5-VL-7B-Instruct@main', verdict: 'independent', component: 'text decoder' },
    ]);
    expect(r.declared).toEqual(['naver/base-text-model']);
    expect(r.undeclared).toEqual([
      { entry: 'hf:Qwen/Qwen2.5-VL-7B-Instruct@main', verdict: 'derived', component: 'vision encoder' },
    ]);
    expect(r.unsupported).toEqual([]);
    expect(r.detected[0]!.declaredAs).toBe('naver/base-text-model');
    expect(r.detail).toMatch(/undeclared reuse: vision encoder derived from hf:Qwen\/Qwen2\.5-VL-7B-Instruct@main/);
  });

  it('flags a declared base whose comparison says independent', () => {
    const r = checkLineage(card('meta-llama/Llama-2-7b-hf'), [
      { entry: 'hf:meta-llama/Llama-2-7b-hf@main', verdict: 'independent' },
    ]);
    expect(r.unsupported).toEqual([
      {
        base: 'meta-llama/Llama-2-7b-hf',
        comparisons: [{ entry: 'hf:meta-llama/Llama-2-7b-hf@main', verdict: 'independent' }],
      },
    ]);
    expect(r.undeclared).toEqual([]);
    expect(r.detail).toMatch(/declared but not supported by the weights: meta-llama\/Llama-2-7b-hf/);
  });

  it('counts a declared base as supported when any component derives from it', () => {
    const r = checkLineage(card('Qwen2.5-7B'), [
      { entry: 'hf:Qwen/Qwen2.5-7B', verdict: 'independent', component: 'vision encoder' },
      { entry: 'hf:Qwen/Qwen2.5-7B', verdict: 'identical', component: 'text decoder' },
    ]);
    expect(r.unsupported).toEqual([]);
    expect(r.undeclared).toEqual([]);
    expect(r.detail).toMatch(/supported by the weights: Qwen2\.5-7B/);
  });

  it('reports declared bases without a decisive comparison as unverified', () => {
    const r = checkLineage(card('org/not-in-registry', 'org/unclear'), [
      { entry: 'org/unclear', verdict: 'inconclusive' },
    ]);
    expect(r.unverified).toEqual(['org/not-in-registry', 'org/unclear']);
    expect(r.unsupported).toEqual([]);
    expect(r.undeclared).toEqual([]);
  });

  it('treats every derivation as undeclared when there is no card', () => {
    const r = checkLineage(undefined, [
      { entry: 'hf:a/b', verdict: 'identical' },
      { entry: 'hf:c/d', verdict: 'inconclusive' },
      { entry: 'hf:e/f', verdict: 'independent' },
    ]);
    expect(r.declared).toEqual([]);
    expect(r.undeclared).toEqual([{ entry: 'hf:a/b', verdict: 'identical' }]);
    expect(r.detail).toMatch(/^declares no base model; undeclared reuse: identical from hf:a\/b$/);
  });

  it('does not let another org with the same model name satisfy a declaration', () => {
    const r = checkLineage(card('meta-llama/Llama-2-7b-hf'), [
      { entry: 'hf:someone/Llama-2-7b-hf', verdict: 'derived' },
    ]);
    expect(r.undeclared).toHaveLength(1);
    expect(r.unverified).toEqual(['meta-llama/Llama-2-7b-hf']);
  });
});
