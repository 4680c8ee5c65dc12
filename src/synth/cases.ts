/**
 * Ground-truth cases for the evaluation (`npm run eval`), the demo and tests: pairs of synthetic
 * models with a known relation and the verdicts a correct engine may give.
 */
import { join } from 'node:path';
import type { Verdict } from '../compare/types.js';
import type { ComponentKind } from '../fingerprint/types.js';
import {
  cast,
  continuedPretrain,
  depthUpscale,
  dropLayers,
  extendVocab,
  fineTune,
  independent,
  permuteHidden,
  rename,
  sharedInit,
  transplantVision,
  transposeCopy,
  permuteVision,
  widthPrune,
  withCard,
} from './derive.js';
import { clearTokenizerCache } from './tokenizer.js';
import { shrink } from './shrink.js';
import { siblingsPair, smallWidthPair, withPositionTable, type TableLayout } from './negatives.js';
import { makeBase, textSpec, visionSpec, type ModelSpec, type SynthModel } from './model.js';
import { writeModelDir } from './write.js';

type Truth = 'identical' | 'derived' | 'independent';

export interface GeneratedCase {
  id: string;
  title: string;
  truth: Truth;
  /** Verdicts counted as correct for the whole pair. */
  accept: Verdict[];
  /**
   * Per-component truth, keyed by component name ('vision encoder', 'text decoder'); see
   * EXPECT_COMPONENT_KIND to match by ComponentKind instead.
   */
  expectComponents?: Record<string, Verdict>;
  /** Hard on purpose (disguises): reported separately, not counted against the core score. */
  stretch?: boolean;
  /** Builds A and B in memory; `seedOffset` shifts every seed (replicas for the evaluation). */
  build(seedOffset?: number): { a: SynthModel; b: SynthModel };
}

/** Component names used in `expectComponents`, with the ComponentKind each stands for. */
export const EXPECT_COMPONENT_KIND: Record<string, ComponentKind> = {
  'vision encoder': 'vision',
  'text decoder': 'text',
  embeddings: 'embeddings',
  head: 'head',
};

const TEXT = (): ModelSpec => ({ text: textSpec() });
const VL = (): ModelSpec => ({ text: textSpec(), vision: visionSpec() });

/** Seed k of replica `off`: far apart, so replicas never share a stream. */
const S = (off: number, k: number): number => 100_000 * (off + 1) + k;
/** Wide (256) two-layer siblings that barely moved from their shared init (40 steps of a real run: r 0.92). */
const BARELY_TRAINED = {
  initKeep: 1,
  trainScales: [0.45, 0.45] as [number, number],
  text: { hidden: 256, ffn: 1088, layers: 2, heads: 8, kvHeads: 8 },
};

/**
 * A's of one replica are shared by most cases: keep the last few (models are immutable by
 * convention: every transform copies what it changes), so writing the suite builds each base once.
 */
const baseCache = new Map<string, SynthModel>();
function base(off: number, spec: ModelSpec = TEXT()): SynthModel {
  const key = `${off}|${JSON.stringify(spec)}`;
  let m = baseCache.get(key);
  if (!m) {
    m = makeBase(spec, S(off, 1), { id: `synth/base-${S(off, 1)}` });
    if (baseCache.size >= 4) baseCache.delete(baseCache.keys().next().value!);
    baseCache.set(key, m);
  }
  return m;
}

/** B declares A as its base model (model card front matter). */
const declared = (a: SynthModel, b: SynthModel, tag: string): SynthModel => withCard(b, `${a.id}-${tag}`, [a.id]);
/** B declares nothing (or claims to be trained from scratch). */
const undeclared = (b: SynthModel, id: string, description?: string): SynthModel =>
  withCard(b, id, undefined, description);

const DERIVED: Verdict[] = ['derived'];
const COPY: Verdict[] = ['identical', 'derived'];
const INDEP: Verdict[] = ['independent'];
const INDEP_OR_UNSURE: Verdict[] = ['independent', 'inconclusive'];

function ftCase(id: string, rel: number, pretrain = false): GeneratedCase {
  const pct = Math.round(rel * 100);
  return {
    id,
    title: pretrain ? `continued pretraining, ${pct} % relative update` : `fine-tune, ${pct} % relative update`,
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      const b = (pretrain ? continuedPretrain : fineTune)(a, rel, S(off, 2));
      return { a, b: declared(a, b, id) };
    },
  };
}

function indepCase(id: string, k: number): GeneratedCase {
  return {
    id,
    title: `independent, same architecture and init recipe (seed ${k})`,
    truth: 'independent',
    accept: INDEP,
    build(off = 0) {
      return { a: base(off), b: independent(TEXT(), S(off, 10 + k), `synth/indep-${S(off, 10 + k)}`) };
    },
  };
}

/** Two independent models that both store the same frozen sinusoidal position table. */
function positionTableCase(id: string, layout?: TableLayout): GeneratedCase {
  return {
    id,
    title: `independent, both storing the same frozen sinusoidal position table (${layout ?? 'halves or interleaved'})`,
    truth: 'independent',
    accept: INDEP,
    build(off = 0) {
      const l = layout ?? (off % 2 === 0 ? 'halves' : 'interleaved');
      const a = withPositionTable(base(off), l, S(off, 50));
      const b = independent(TEXT(), S(off, 51), `synth/indep-${S(off, 51)}`);
      // the same table: a library computes it, whoever trains the model
      const table = [...a.tensors].find(([n]) => n.endsWith('embed_positions.weight'))!;
      return { a, b: { ...b, tensors: new Map([...b.tensors, table]) } };
    },
  };
}

export const GENERATED_CASES: GeneratedCase[] = [
  ftCase('ft-01', 0.01),
  ftCase('ft-10', 0.1),
  ftCase('ft-30', 0.3),
  ftCase('cpt-60', 0.6, true),
  ftCase('cpt-80', 0.8, true),
  {
    id: 'ft10-bf16',
    title: '10 % fine-tune stored in BF16',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, cast(fineTune(a, 0.1, S(off, 2)), 'BF16'), 'ft10-bf16') };
    },
  },
  {
    id: 'ft10-fp8',
    title: '10 % fine-tune quantised to F8_E4M3 (per-tensor scales, compressed-tensors style)',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, cast(fineTune(a, 0.1, S(off, 2)), 'F8_E4M3', 'per-tensor'), 'ft10-fp8') };
    },
  },
  {
    id: 'vocab-ext-ft',
    title: 'vocabulary extended by 128 tokens, then 5 % fine-tune',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, fineTune(extendVocab(a, 128, S(off, 3)), 0.05, S(off, 2)), 'vocab-ext') };
    },
  },
  {
    id: 'drop-layers-ft',
    title: 'layers 3 and 4 of 6 dropped (later layers renumbered), then 10 % healing fine-tune',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, fineTune(dropLayers(a, [3, 4]), 0.1, S(off, 2)), 'pruned-depth') };
    },
  },
  {
    id: 'width-prune-first-ft',
    title: 'FFN width pruned to the first 75 % of units, then 5 % fine-tune',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, fineTune(widthPrune(a, 0.75, 'first'), 0.05, S(off, 2)), 'pruned-first') };
    },
  },
  {
    id: 'width-prune-selected-ft',
    title: 'FFN width pruned to the 60 % most important units (original order), then 10 % fine-tune',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, fineTune(widthPrune(a, 0.6, 'selected'), 0.1, S(off, 2)), 'pruned-selected') };
    },
  },
  {
    id: 'depth-upscale',
    title: 'SOLAR-style depth up-scaling 6 → 8 layers (layers 2,3 used twice), then 15 % continued pretraining',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, depthUpscale(a, 2, { relUpdate: 0.15, seed: S(off, 2) }), 'upscaled') };
    },
  },
  {
    id: 'rename-meta-copy',
    title: 'exact copy under Meta naming (q/k rows in interleaved RoPE order), tensors reordered',
    truth: 'identical',
    accept: COPY,
    build(off = 0) {
      const a = base(off);
      return { a, b: undeclared(rename(a, 'meta', { metaRope: true }), `synth/meta-${S(off, 1)}`) };
    },
  },
  {
    id: 'rename-h-ft',
    title: '5 % fine-tune renamed to transformer.h.N.* (Qwen-1 style), shuffled tensor order',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      const b = rename(fineTune(a, 0.05, S(off, 2)), 'transformer_h', { order: 'shuffled', seed: S(off, 4) });
      return { a, b: undeclared(b, `synth/h-${S(off, 2)}`) };
    },
  },
  {
    id: 'copy-bf16',
    title: 'exact copy stored in BF16',
    truth: 'identical',
    accept: ['identical'],
    build(off = 0) {
      const a = base(off);
      return { a, b: declared(a, cast(a, 'BF16'), 'bf16') };
    },
  },
  {
    id: 'transpose-copy',
    title: 'exact copy with every 2-D matrix transposed (names kept)',
    truth: 'identical',
    accept: COPY,
    build(off = 0) {
      const a = base(off);
      return { a, b: undeclared(transposeCopy(a), `synth/transposed-${S(off, 1)}`) };
    },
  },
  {
    id: 'vision-transplant',
    title: 'vision tower (8 % fine-tuned) reused in a larger multimodal model with an independent text decoder',
    truth: 'derived',
    accept: DERIVED,
    expectComponents: { 'vision encoder': 'derived', 'text decoder': 'independent' },
    build(off = 0) {
      const a = base(off, VL());
      const b = transplantVision(a, { seed: S(off, 20), relUpdate: 0.08 });
      return { a, b: undeclared(b, `synth/vl-${S(off, 20)}`, 'A multimodal model trained from scratch.') };
    },
  },
  {
    id: 'layer-transplant',
    title: 'one decoder layer of A (5 % fine-tuned) spliced into an otherwise independent model: partial reuse',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      const donor = fineTune(a, 0.05, S(off, 2));
      const b = independent(TEXT(), S(off, 17));
      const tensors = new Map(b.tensors);
      for (const [name, t] of donor.tensors) if (name.startsWith('model.layers.2.')) tensors.set(name, t);
      return {
        a,
        b: undeclared({ ...b, tensors, history: [...b.history, 'layer 2 from A'] }, `synth/splice-${S(off, 17)}`),
      };
    },
  },
  {
    id: 'vision-transplant-permuted',
    title:
      'vision tower with its hidden dimension permuted (function-preserving), 8 % fine-tuned, ' +
      'in a larger model with an independent text decoder',
    truth: 'derived',
    accept: DERIVED,
    stretch: true,
    expectComponents: { 'vision encoder': 'derived' },
    build(off = 0) {
      const a = base(off, VL());
      const b = transplantVision(permuteVision(a, S(off, 21)), { seed: S(off, 22), relUpdate: 0.08 });
      return { a, b: undeclared(b, `synth/vl-perm-${S(off, 22)}`, 'A multimodal model trained from scratch.') };
    },
  },
  {
    id: 'vision-transplant-prefix',
    title: 'vision tower reused under another prefix (visual. → vision_tower.), independent text decoder',
    truth: 'derived',
    accept: DERIVED,
    expectComponents: { 'vision encoder': 'derived', 'text decoder': 'independent' },
    build(off = 0) {
      const a = base(off, VL());
      const b = transplantVision(a, { seed: S(off, 21), relUpdate: 0.08, prefix: 'vision_tower.' });
      return { a, b: undeclared(b, `synth/vl-${S(off, 21)}`, 'A multimodal model trained from scratch.') };
    },
  },
  indepCase('indep-1', 1),
  indepCase('indep-2', 2),
  indepCase('indep-3', 3),
  {
    id: 'indep-buffers',
    title: 'independent, both storing identical rotary inv_freq buffers (fixed, not evidence)',
    truth: 'independent',
    accept: INDEP,
    build(off = 0) {
      const spec: ModelSpec = { text: textSpec({ rotaryBuffers: true }) };
      return { a: base(off, spec), b: independent(spec, S(off, 15), `synth/indep-${S(off, 15)}`) };
    },
  },
  {
    id: 'small-width-shared-tokenizer',
    title: 'independent width-64 models sharing a tokenizer: embeddings align on tokens, hidden bases at random',
    truth: 'independent',
    accept: INDEP,
    build(off = 0) {
      const [a, b] = smallWidthPair(S(off, 60), S(off, 61), S(off, 62));
      return { a, b };
    },
  },
  positionTableCase('position-table-halves', 'halves'),
  positionTableCase('position-table-interleaved', 'interleaved'),
  {
    id: 'layernorm-trap',
    title: 'independent with the same hidden size; norm gains ≈ 1.0 (raw cosine > 0.99, centered ≈ 0)',
    truth: 'independent',
    accept: INDEP,
    build(off = 0) {
      const recipe = { normStd: [0.015, 0.03] as [number, number] };
      const a = makeBase({ text: textSpec(), recipe }, S(off, 1), { id: `synth/base-ln-${S(off, 1)}` });
      const b = makeBase({ text: textSpec({ ffn: 320, layers: 5, vocab: 448 }), recipe }, S(off, 30), {
        id: `synth/other-${S(off, 30)}`,
      });
      return { a, b };
    },
  },
  {
    id: 'false-claim',
    title: 'independent model whose card declares A as base_model',
    truth: 'independent',
    accept: INDEP,
    build(off = 0) {
      const a = base(off);
      const b = independent(TEXT(), S(off, 16));
      return { a, b: withCard(b, `synth/claims-${S(off, 16)}`, [a.id]) };
    },
  },
  {
    id: 'shared-init-tied',
    title: 'same seeded init (tied across layers, TF style), trained separately: siblings, not derived',
    truth: 'independent',
    accept: INDEP_OR_UNSURE,
    build(off = 0) {
      const [a, b] = sharedInit(TEXT(), S(off, 40), [S(off, 41), S(off, 42)], { tiedInit: true });
      return { a, b };
    },
  },
  {
    id: 'shared-init',
    title: 'same seeded init (per-layer), trained separately with large independent displacements',
    truth: 'independent',
    accept: INDEP_OR_UNSURE,
    stretch: true,
    build(off = 0) {
      const [a, b] = sharedInit(TEXT(), S(off, 43), [S(off, 44), S(off, 45)]);
      return { a, b };
    },
  },
  {
    id: 'siblings-colearned',
    title:
      'same seeded init, trained separately on similar data: matrices and norm gains co-adapt ' +
      '(r ≈ 0.5 and 0.6), not derived',
    truth: 'independent',
    accept: INDEP_OR_UNSURE,
    build(off = 0) {
      const k = off % 3;
      // the amount co-learned varies with the replica, like training length and data overlap do
      const coLearn = [0.35, 0.5, 0.6][k]!;
      const [a, b] = siblingsPair(S(off, 70), [S(off, 71), S(off, 72)], coLearn);
      return { a, b };
    },
  },
  {
    id: 'siblings-unequal-training',
    title:
      "same seeded init, one run trained twice as far as the other: the longer one keeps the shorter one's " +
      'scale (containment ≥ 1) although neither was made from the other',
    truth: 'independent',
    accept: INDEP_OR_UNSURE,
    build(off = 0) {
      const coLearn = [0.5, 0.6][off % 2]!;
      const [a, b] = siblingsPair(S(off, 73), [S(off, 74), S(off, 75)], coLearn, { trainScales: [1, 2] });
      return { a, b };
    },
  },
  {
    id: 'siblings-barely-trained',
    title: 'wide siblings barely trained from one seeded init (the init dominates: r ≈ 0.9), not derived',
    truth: 'independent',
    accept: INDEP_OR_UNSURE,
    build(off = 0) {
      const [a, b] = siblingsPair(S(off, 76), [S(off, 77), S(off, 78)], 0.5, BARELY_TRAINED);
      return { a, b };
    },
  },
  {
    id: 'siblings-barely-trained-ft',
    title: 'a fine-tune of one barely trained wide sibling against the other sibling: not derived',
    truth: 'independent',
    accept: INDEP_OR_UNSURE,
    build(off = 0) {
      const [a, sib] = siblingsPair(S(off, 76), [S(off, 77), S(off, 78)], 0.5, BARELY_TRAINED);
      return { a: sib, b: undeclared(fineTune(a, 0.12, S(off, 79)), `synth/sibling-ft-${S(off, 79)}`) };
    },
  },
  {
    id: 'barely-trained-ft',
    title: 'a 12 % fine-tune of a barely trained wide model (its sibling above is not derived; this is)',
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const [a] = siblingsPair(S(off, 76), [S(off, 77), S(off, 78)], 0.5, BARELY_TRAINED);
      return { a, b: undeclared(fineTune(a, 0.12, S(off, 79)), `synth/barely-ft-${S(off, 79)}`) };
    },
  },
  {
    id: 'shrink-kept-gains',
    title:
      "every matrix shrunk to 0.7·A plus noise of 0.7 σ (containment 0.7, like a sibling's), norm gains kept: " +
      "A's trained gains are exact evidence",
    truth: 'derived',
    accept: DERIVED,
    build(off = 0) {
      const a = base(off);
      return { a, b: undeclared(shrink(a, { alpha: 0.7, beta: 0.7, seed: S(off, 80) }), `synth/shrink-${S(off, 80)}`) };
    },
  },
  {
    id: 'shrink-nudged-gains',
    title:
      'every matrix shrunk to 0.7·A plus noise, norm gains nudged off their digests (r 0.999): a derivative the ' +
      'statistics cannot tell from a sibling, so inconclusive (and the default policy fails it), never independent',
    truth: 'derived',
    accept: ['derived', 'inconclusive'],
    build(off = 0) {
      const a = base(off);
      const b = shrink(a, { alpha: 0.7, beta: 0.7, gainRho: 0.999, seed: S(off, 81) });
      return { a, b: undeclared(b, `synth/shrink-nudged-${S(off, 81)}`) };
    },
  },
  {
    id: 'permute-drift',
    title: 'FFN units and attention heads permuted (function-preserving), then 5 % drift',
    truth: 'derived',
    accept: DERIVED,
    stretch: true,
    build(off = 0) {
      const a = base(off);
      return { a, b: undeclared(permuteHidden(a, S(off, 5), { drift: 0.05 }), `synth/perm-${S(off, 5)}`) };
    },
  },
  {
    id: 'permute-residual-drift',
    title: 'residual stream, FFN units and heads permuted, then 5 % drift',
    truth: 'derived',
    accept: DERIVED,
    stretch: true,
    build(off = 0) {
      const a = base(off);
      return {
        a,
        b: undeclared(permuteHidden(a, S(off, 6), { residual: true, drift: 0.05 }), `synth/perm-res-${S(off, 6)}`),
      };
    },
  },
  {
    id: 'fused-phi3-ft',
    title: '10 % fine-tune with q/k/v and gate/up fused (Phi-3 layout: shapes change)',
    truth: 'derived',
    accept: DERIVED,
    stretch: true,
    build(off = 0) {
      const a = base(off);
      return { a, b: undeclared(rename(fineTune(a, 0.1, S(off, 2)), 'phi3'), `synth/fused-${S(off, 2)}`) };
    },
  },
];

/** Drops memoised base models and tokenizers (determinism tests rebuild from nothing). */
export function clearSynthCaches(): void {
  baseCache.clear();
  clearTokenizerCache();
}

export function caseById(id: string): GeneratedCase {
  const c = GENERATED_CASES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown generated case ${id}`);
  return c;
}

/** Writes both models of a case as model directories `<dir>/a` and `<dir>/b`. */
export async function writeCase(c: GeneratedCase, dir: string, seedOffset = 0): Promise<{ a: string; b: string }> {
  const { a, b } = c.build(seedOffset);
  return { a: await writeModelDir(a, join(dir, 'a')), b: await writeModelDir(b, join(dir, 'b')) };
}

export type SuiteKind =
  | 'independent'
  | 'shared-init'
  | 'layernorm-trap'
  | 'position-table'
  | 'small-width'
  | 'siblings'
  | 'siblings-unequal'
  | 'siblings-barely';

/** The case each negative kind replicates. */
const SUITE_CASE: Record<SuiteKind, () => GeneratedCase> = {
  independent: () => caseById('indep-1'),
  'shared-init': () => caseById('shared-init-tied'),
  'layernorm-trap': () => caseById('layernorm-trap'),
  'position-table': () => positionTableCase('position-table'),
  'small-width': () => caseById('small-width-shared-tokenizer'),
  siblings: () => caseById('siblings-colearned'),
  'siblings-unequal': () => caseById('siblings-unequal-training'),
  'siblings-barely': () => caseById('siblings-barely-trained-ft'),
};

interface SuitePair {
  id: string;
  kind: SuiteKind;
  truth: Truth;
  accept: Verdict[];
  a: string;
  b: string;
}

/**
 * Many negative pairs for measuring the false-positive rate: `seeds` replicas (a count, or explicit
 * offsets) of each kind, written to `<dir>/<kind>-<offset>/{a,b}`.
 */
export async function writeSuite(
  dir: string,
  opts: { seeds: number | number[]; kinds?: SuiteKind[] },
): Promise<SuitePair[]> {
  const offsets = typeof opts.seeds === 'number' ? Array.from({ length: opts.seeds }, (_, i) => i) : opts.seeds;
  const kinds = opts.kinds ?? ['independent'];
  const out: SuitePair[] = [];
  for (const kind of kinds) {
    const c = SUITE_CASE[kind]();
    for (const off of offsets) {
      const id = `${kind}-${off}`;
      const { a, b } = await writeCase(c, join(dir, id), 1000 + off); // offsets disjoint from GENERATED_CASES replicas
      out.push({ id, kind, truth: 'independent', accept: c.accept, a, b });
    }
  }
  return out;
}

interface DemoModels {
  base: string;
  finetune: string;
  independent: string;
  multimodal: string;
}

/**
 * The demo set (BF16, like real releases): a multimodal base, its 10 % fine-tune, an independent
 * model of the same architecture, and a larger multimodal model that reuses the base's vision
 * tower under a fresh text decoder.
 */
export async function writeDemoModels(dir: string): Promise<DemoModels> {
  const spec = VL();
  const a = cast(makeBase(spec, 7, { id: 'demo/base' }), 'BF16');
  const ft = withCard(cast(fineTune(a, 0.1, 8), 'BF16'), 'demo/base-finetune', ['demo/base']);
  const ind = withCard(cast(independent(spec, 9), 'BF16'), 'demo/independent');
  const vl = withCard(
    cast(transplantVision(a, { seed: 10, relUpdate: 0.08 }), 'BF16'),
    'demo/multimodal',
    undefined,
    'A multimodal model trained from scratch.',
  );
  return {
    base: await writeModelDir(a, join(dir, 'base')),
    finetune: await writeModelDir(ft, join(dir, 'finetune')),
    independent: await writeModelDir(ind, join(dir, 'independent')),
    multimodal: await writeModelDir(vl, join(dir, 'multimodal')),
  };
}
