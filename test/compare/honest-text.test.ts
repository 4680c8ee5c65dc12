/**
 * What the report says must be true of the statistics behind it: the confidence is the deciding
 * rule's, "under a permutation" only when units moved, "other components are independent" only
 * when they are, and a tied head listed first does not hide the embeddings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { compareModels } from '../../src/compare/index.js';
import type { CompareResult } from '../../src/compare/types.js';
import {
  caseById,
  fineTune,
  makeBase,
  textSpec,
  visionSpec,
  writeModelDir,
  type SynthModel,
} from '../../src/synth/index.js';
import { compareCase } from './helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wp-honest-'));
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

/** B's tensors with some replaced (values only; the model is otherwise B). */
function withTensors(b: SynthModel, replace: Map<string, Float32Array>): SynthModel {
  const tensors = new Map(b.tensors);
  for (const [name, values] of replace) tensors.set(name, { shape: b.tensors.get(name)!.shape.slice(), values });
  return { ...b, tensors };
}

describe('confidence is the confidence of the rule that decided', () => {
  it('one spliced layer decided by the count of significant tensors is acted on, whatever the combined z', async () => {
    for (const seed of [0, 2]) {
      const r = await compareCase(caseById('layer-transplant'), seed);
      expect(r.verdict).toBe('derived');
      const text = r.components.find((c) => c.kind === 'text')!;
      expect(text.verdict).toBe('derived');
      // the combined z over all layers stays low: a confidence of 1 − that p would be ~0.06
      expect(text.p_value).toBeGreaterThan(0.5);
      expect(text.confidence!).toBeGreaterThan(0.999);
      expect(r.confidence).toBeGreaterThan(0.999);
    }
  });
});

describe('report text', () => {
  it('says "under a permutation" only when hidden units moved', async () => {
    const a = makeBase({ text: textSpec({ tieEmbeddings: false }) }, 71);
    const ft = fineTune(a, 0.05, 72);
    // balanced sign flips of half the embedding's columns: position-based Pearson collapses, every
    // column still sits at its own index
    const e = ft.tensors.get('model.embed_tokens.weight')!;
    const [rows, cols] = e.shape as [number, number];
    const flipped = Float32Array.from(e.values, (v, i) => ((i % cols) % 2 === 1 ? -v : v));
    const r = await compare(a, withTensors(ft, new Map([['model.embed_tokens.weight', flipped]])));
    const emb = r.components.find((c) => c.kind === 'embeddings')!;
    expect(rows).toBeGreaterThan(cols);
    expect(emb.verdict).toBe('derived');
    const why = emb.evidence[0]!.detail;
    expect(why).not.toMatch(/permutation/);
    expect(why).toMatch(/unit by unit \(\d+ columns aligned, 0 moved\)/);
  });

  it('names the other components by their verdicts instead of "other components differ"', async () => {
    const a = makeBase({ text: textSpec(), vision: visionSpec() }, 81);
    const ft = fineTune(a, 0.05, 82);
    // the vision tower copied verbatim, the text decoder fine-tuned: both come from A
    const vision = new Map(
      [...a.tensors].filter(([name]) => name.startsWith('visual.')).map(([k, t]) => [k, t.values]),
    );
    const r = await compare(a, withTensors(ft, vision));
    expect(r.verdict).toBe('derived');
    expect(r.reason).toMatch(/vision encoder is a copy of A's/);
    expect(r.reason).not.toMatch(/differ|other components are independent/);
    expect(r.reason).toMatch(/text decoder derived/);
  });

  it('a tied lm_head stored before embed_tokens leaves the embeddings component in the report', async () => {
    const a = makeBase({ text: textSpec({ tieEmbeddings: true }) }, 91);
    expect([...a.tensors.keys()].sort()[0]).toBe('lm_head.weight'); // written first (sorted names)
    const r = await compare(a, fineTune(a, 0.05, 92));
    const emb = r.components.find((c) => c.kind === 'embeddings');
    expect(emb?.verdict).toBe('derived');
    expect(emb?.tensors_compared).toBe(1);
  });
});
