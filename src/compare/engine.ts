/**
 * Compares two fingerprint documents (A: the reference, B: the model under test) and judges each
 * component of B on its own. Works on the documents alone: no files, no network.
 */
import type { FingerprintDocument } from '../fingerprint/types.js';
import {
  correlationMatches,
  exactMatches,
  tensorRefs,
  vectorSupport,
  SHARED_INIT_R,
  type PairNull,
  type TensorMatch,
  type TensorRef,
} from './tensor-match.js';
import { median, normalIsf, normalSf, stouffer } from './stats.js';
import { compatibleShapes, rawCosine } from './vectors.js';
import { permutedColumnMatches, type ColumnAlignment } from './permuted.js';
import {
  COLEARNED_GAIN_R,
  CONTAINMENT_DERIVED,
  COPIED_GAIN_R,
  GROWTH_DERIVED,
  INHERITED_GAIN_R,
  SIBLING_MAX_R,
  divergence,
  identicalTrainedVectors,
  mergeCoefficient,
  MERGE_MAX_SPREAD,
  siblingFinding,
  type Divergence,
} from './siblings.js';
import { describeInvariant, dropMigratedGains, mergeInvariantEvidence } from './invariant.js';
import { flattenedMatrices, withFlattened } from './reshape.js';
import { tokenGeometry } from './token-geometry.js';
import { MAX_OPAQUE_SHARE, numel, opaqueShare } from '../fingerprint/classify.js';
import { layoutOf, runsLayout, sameLayout } from '../fingerprint/sample.js';
import { push } from '../util/collections.js';
import { formatPercent, formatZ, pClause } from '../util/numbers.js';
import {
  VERDICT_STRENGTH,
  type CompareResult,
  type ComponentResult,
  type Evidence,
  type NotCompared,
  type Resemblance,
  type Verdict,
} from './types.js';
import { plural } from '../util/words.js';

/** Decision thresholds; README states the false-positive rate measured at these values. */
export const THRESHOLDS = {
  /** Component Stouffer z for "derived" (one-sided p ≈ 1e-8). */
  derivedZ: 5.6,
  /** Below this the component shows no evidence of derivation. */
  independentZ: 3.0,
  /** A tensor counts as individually significant below this p-value. */
  tensorAlpha: 1e-4,
  /**
   * Share of significant tensors a derived component needs (guards against one freak tensor),
   * unless the count of significant tensors is itself beyond chance (union bound ≤ 1e-8): a few
   * layers spliced into a large decoder are reuse too.
   */
  minSignificantShare: 0.2,
  countAlpha: 1e-8,
  /** Share of exact copies for "identical". */
  identicalShare: 0.9,
  /** A single verbatim learned tensor at least this large is reuse on its own. */
  exactReuseNumel: 4096,
  /** z assigned to an exact copy, and the cap on any tensor's z in the combination. */
  zCap: 8.3,
} as const;

function round(x: number, d = 3): number {
  return Number.isFinite(x) ? Number(x.toFixed(d)) : x;
}

function fmt(x: number, d = 2): string {
  return Number.isFinite(x) ? x.toFixed(d) : String(x);
}

/** Union bound on P(at least m of n tensors pass α by chance): C(n, m)·α^m. */
function countTail(n: number, m: number, alpha: number): number {
  let logC = 0;
  for (let i = 0; i < m; i++) logC += Math.log(n - i) - Math.log(i + 1);
  return Math.min(1, Math.exp(logC + m * Math.log(alpha)));
}

function tensorZ(m: TensorMatch): number {
  if (m.exact) return THRESHOLDS.zCap;
  return Math.max(-3, Math.min(THRESHOLDS.zCap, normalIsf(Math.max(m.p, 1e-300))));
}

/**
 * Inheritance of parameters that start from constants (norm gains, biases): they carry no trace
 * of a random initialisation, so a derivative keeps them and a sibling trained from the same
 * seed does not. This separates "derived" from "shared initialisation" where matrices cannot.
 */
interface Inheritance {
  compared: number;
  significant: number;
  z: number;
  medianR: number;
}

function inheritanceOf(matches: TensorMatch[]): Inheritance {
  // a vector of another length than its partner was compared by position over a prefix: after
  // channel pruning its units are not its partner's, so it says nothing of inheritance either way
  const compared = matches.filter(
    (m) => m.exact || (m.r !== undefined && m.a !== undefined && numel(m.a.fp.shape) === numel(m.b.fp.shape)),
  );
  return {
    compared: compared.length,
    significant: compared.filter((m) => m.exact || m.p < 1e-3).length,
    z: stouffer(compared.map(tensorZ)),
    medianR: compared.length ? median(compared.map((m) => (m.exact ? 1 : m.r!))) : NaN,
  };
}

const MIN_VECTORS = 4;

/** Most of the significant evidence rests on channels aligned by content (compare/channels.ts). */
function channelAligned(compared: TensorMatch[]): boolean {
  const significant = compared.filter((m) => !m.exact && m.p < THRESHOLDS.tensorAlpha);
  return (
    significant.length > 0 && significant.filter((m) => m.statistic === 'channels').length * 2 > significant.length
  );
}
/** Fewer significant tensors than this make a component's own divergence a weak statistic. */
const FEW_TENSORS = 3;
/** At or above this median r a component's own "derived" stands whatever its family shows. */
const NEAR_COPY_R = 0.9;
/** One or two tensors' growth below this is within sibling noise (siblings 0.03–0.69; derivatives ≥ 0.9). */
const SINGLE_GROWTH_NOISE = 0.9;
/** Share of learned parameters that must have been aligned with A before "independent" is said. */
const MIN_ALIGNED_SHARE = 0.5;

interface ComponentWork {
  result: ComponentResult;
  learnedParams: number;
  comparedParams: number;
  /** Error probability of the rule that decided a derived/identical verdict (its confidence is 1 − this). */
  decisionP?: number;
  /** Inconclusive because a sketch could not align matrices that A has only transposed. */
  sketchUnaligned?: boolean;
}

/** Everything known about the pair that components are judged against. */
interface PairContext {
  docA: FingerprintDocument;
  docB: FingerprintDocument;
  A: TensorRef[];
  B: TensorRef[];
  /** Best evidence per learned tensor of B: exact copy, column alignment or correlation. */
  matches: Map<number, TensorMatch>;
  /** Correlation evidence per norm/bias vector of B. */
  vectors: Map<number, TensorMatch>;
  pair: PairNull;
  pairInheritance: Inheritance;
  /** Embedding columns matched only under a permutation: positions mean nothing. */
  hiddenPermuted: boolean;
  /** How the pair diverged over every component of a family (text, vision, …), with the model's vectors. */
  familyDivergence: Map<string, Divergence>;
  /** The same over every significant learned tensor of the pair (undefined when none). */
  modelDivergence?: Divergence;
  /**
   * Component families (text, vision, other) where some tensors match A only through a statistic
   * that undoes a function-preserving transform (rotation, rescaling, sign flips): there,
   * position-based silence is no evidence of independence.
   */
  disguisedFamilies: Set<string>;
  /** Learned matrices of B that A has only transposed, which a sketch could not align (sketchTransposes). */
  sketchUnaligned: Set<number>;
}

/** The numbers a component's verdict is decided on. */
interface ComponentStats {
  /** The component's kind (text, vision, embeddings, …). */
  kind: string;
  learned: TensorRef[];
  compared: TensorMatch[];
  exactCount: number;
  exactShare: number;
  bigExact: boolean;
  Z: number;
  pComp: number;
  significant: number;
  medianR: number;
  /**
   * Norm/bias inheritance the verdict uses: the component's own vectors, or the whole model's
   * when it has too few (`inheritanceScope` says which, so the text never passes one for the other).
   */
  inheritance: Inheritance;
  inheritanceScope: 'component' | 'model';
  /** How the pair diverged (see siblings.ts), over the individually significant tensors. */
  divergence: Divergence;
  /** The norm/bias vectors the divergence used (the component's own, or the model's: `inheritanceScope`). */
  vectors: TensorMatch[];
}

function componentStats(refs: TensorRef[], ctx: PairContext): ComponentStats {
  const learned = refs.filter((r) => r.cls === 'learned' && r.tiedTo === undefined);
  const compared = learned.map((r) => ctx.matches.get(r.index)).filter((m): m is TensorMatch => m !== undefined);
  const exact = compared.filter((m) => m.exact);
  const Z = stouffer(compared.map(tensorZ));
  const ownVectors = refs
    .filter((r) => r.cls === 'vector')
    .map((r) => ctx.vectors.get(r.index))
    .filter((m): m is TensorMatch => !!m);
  const own = inheritanceOf(ownVectors);
  const vectors = own.compared >= MIN_VECTORS ? ownVectors : [...ctx.vectors.values()];
  const positionalR = compared
    .map((m) => (m.exact ? 1 : m.statistic ? m.positionalR : m.r))
    .filter((r): r is number => r !== undefined);
  return {
    kind: ctx.docB.components[refs[0]?.component ?? -1]?.kind ?? 'other',
    learned,
    compared,
    exactCount: exact.length,
    exactShare: learned.length ? exact.length / learned.length : 0,
    bigExact: exact.some((m) => numel(m.b.fp.shape) >= THRESHOLDS.exactReuseNumel),
    Z,
    pComp: compared.length ? normalSf(Z) : 1,
    significant: compared.filter((m) => m.exact || m.p < THRESHOLDS.tensorAlpha).length,
    // a centred correlation by position (Gram or fitted statistics are other quantities)
    medianR: positionalR.length ? median(positionalR) : NaN,
    // channels re-aligned by content (pruned): B's vectors sit at other indices than their partners',
    // so their positional comparison is not a test of inheritance
    inheritance: channelAligned(compared) ? inheritanceOf([]) : own.compared >= MIN_VECTORS ? own : ctx.pairInheritance,
    inheritanceScope: own.compared >= MIN_VECTORS ? 'component' : 'model',
    divergence: divergence(
      // a sub-block's Gram r is diluted by the rows stacked around the copy, a channel profile's r is
      // of summaries: neither is a containment
      compared.filter(
        (m) =>
          !m.exact &&
          !('columns' in m) &&
          m.statistic !== 'sub-block' &&
          m.statistic !== 'channels' &&
          m.p < THRESHOLDS.tensorAlpha,
      ),
      vectors,
    ),
    vectors,
  };
}

/** What the tensors show, strongest kinds first; every line says what was compared with what. */
function describeEvidence(
  st: ComponentStats,
  ctx: PairContext,
  twins: Array<{ a: TensorRef; b: TensorRef }>,
): Evidence[] {
  const evidence: Evidence[] = [];
  const n = st.learned.length;
  const bySha = st.compared.filter((m) => m.exact === 'sha256');
  const byValues = st.compared.filter((m) => m.exact === 'value-digest');
  const bySample = st.compared.filter((m) => m.exact === 'sample');
  if (bySha.length) {
    evidence.push({
      kind: 'exact',
      detail:
        `${bySha.length} of ${n} learned tensors are verbatim copies (equal SHA-256), ` +
        `e.g. ${bySha[0]!.b.fp.name} = A's ${bySha[0]!.a!.fp.name}` +
        (bySha[0]!.exactHow ? ` (same bytes, ${bySha[0]!.exactHow})` : ''),
      a: bySha[0]!.a!.fp.name,
      b: bySha[0]!.b.fp.name,
      score: bySha.length,
    });
  }
  if (byValues.length) {
    const how = [...new Set(byValues.map((m) => m.exactHow))].slice(0, 3).join('; ');
    evidence.push({
      kind: 'value-digest',
      detail:
        `${byValues.length} of ${n} learned tensors hold exactly A's multiset of values ` +
        `(order-free digest at bf16: ${how}), e.g. ${byValues[0]!.b.fp.name} ≡ A's ${byValues[0]!.a!.fp.name}`,
      a: byValues[0]!.a!.fp.name,
      b: byValues[0]!.b.fp.name,
      score: byValues.length,
    });
  }
  if (bySample.length) {
    evidence.push({
      kind: 'exact',
      detail:
        `${bySample.length} of ${n} learned tensors equal A's at every sampled coordinate ` +
        '(sketch fingerprints carry no full digest)',
      score: bySample.length,
    });
  }
  for (const m of st.compared) {
    if (!('columns' in m)) continue;
    const { columns } = m as TensorMatch & { columns: ColumnAlignment };
    evidence.push({
      kind: 'correlation',
      detail:
        `${m.b.fp.name}: ${columns.matched} of ${columns.tested} tested ${columns.axis} match ${columns.axis} ` +
        `of A's ${m.a!.fp.name} (median |r| ${fmt(columns.medianR, 3)}, each p < 1e-6 against the max over ` +
        `${columns.axis === 'columns' ? m.a!.fp.shape[1] : m.a!.fp.shape[0]} unrelated ${columns.axis}), ` +
        `${columns.moved} of them at another index` +
        (columns.moved >= columns.matched / 2 ? ': the hidden dimension was permuted' : ''),
      a: m.a!.fp.name,
      b: m.b.fp.name,
      score: columns.medianR,
      p_value: m.p,
    });
  }
  evidence.push(...describeInvariant(st.compared));
  const positional = st.compared.filter((m) => !m.exact && !('columns' in m) && !m.statistic);
  if (positional.length) {
    const controlled = positional.filter((m) => m.nullSource !== 'analytic');
    const nulls = (controlled.length ? controlled : positional).map((m) => m.null!);
    const strongest = positional.reduce((x, y) => ((y.z ?? -Infinity) > (x.z ?? -Infinity) ? y : x));
    const rc =
      strongest.a?.vec && strongest.b.vec && !strongest.transposed ? rawCosine(strongest.a.vec, strongest.b.vec) : NaN;
    evidence.push({
      kind: 'correlation',
      detail:
        `median centred correlation r ${fmt(median(positional.map((m) => m.r!)))} over ${positional.length} ` +
        'tensors (best partner among same-shape tensors of A); null from mismatched layers ' +
        `r ${fmt(median(nulls.map((x) => x.mean)), 3)} ± ${fmt(Math.tanh(median(nulls.map((x) => x.std))), 3)}; ` +
        `strongest ${strongest.b.fp.name} ↔ ${strongest.a!.fp.name}${strongest.transposed ? ' (transposed)' : ''}: ` +
        `r ${fmt(strongest.r!, 4)} (raw cosine ${fmt(rc, 4)}, display only), z ${formatZ(strongest.z!)}, ` +
        pClause(strongest.p),
      a: strongest.a!.fp.name,
      b: strongest.b.fp.name,
      score: strongest.r,
      z: strongest.z,
      p_value: strongest.p,
    });
    const discounted = positional.filter((m) => m.discounted);
    if (discounted.length)
      evidence.push({
        kind: 'note',
        detail: `${plural(discounted.length, 'tensor')} not counted: ${discounted[0]!.discounted}`,
      });
    if (ctx.pair.sharedInit && median(positional.map((m) => m.r!)) >= SHARED_INIT_R) {
      evidence.push({
        kind: 'shared-init',
        detail:
          'tensors correlate with every same-shape tensor of the other model alike ' +
          `(controls median r ${fmt(ctx.pair.controlMedianR)} over ${ctx.pair.controls} mismatched pairs): ` +
          'a shared random initialisation, not a derivation',
        score: ctx.pair.controlMedianR,
      });
    }
  }
  for (const r of twins) {
    evidence.push({
      kind: 'fixed',
      detail: `${r.b.fp.name} is identical in both but not evidence: ${r.b.why}`,
      a: r.a.fp.name,
      b: r.b.fp.name,
    });
  }
  return evidence;
}

/** Fixed buffers and constants of B that A holds identically: listed, never counted. */
function fixedTwins(refs: TensorRef[], A: TensorRef[]): Array<{ a: TensorRef; b: TensorRef }> {
  const out: Array<{ a: TensorRef; b: TensorRef }> = [];
  for (const b of refs) {
    if (b.cls !== 'fixed' && b.cls !== 'constant') continue;
    // sketches carry no digest: an equal sample of an equal shape stands for the same table
    const sampleKey = (t: TensorRef) =>
      t.fp.sample ? `${t.fp.shape.join('x')}:${t.fp.sample.center}:${t.fp.sample.scale}:${t.fp.sample.q}` : undefined;
    const a = A.find(
      (x) =>
        (b.fp.sha256 && x.fp.sha256 === b.fp.sha256) ||
        (b.fp.valueDigest && x.fp.valueDigest === b.fp.valueDigest) ||
        (!b.fp.sha256 && sampleKey(b) !== undefined && sampleKey(x) === sampleKey(b)),
    );
    if (a) out.push({ a, b });
  }
  return out;
}

/** What of this component could not be compared, and why. */
function listNotCompared(
  name: string,
  refs: TensorRef[],
  st: ComponentStats,
  ctx: PairContext,
  twins: Array<{ a: TensorRef; b: TensorRef }>,
): NotCompared[] {
  const out: NotCompared[] = [];
  for (const { b } of twins)
    out.push({ what: `${b.fp.name} (identical in both models)`, why: `${b.why}: not evidence of copying` });
  const unmatched = st.learned.filter((r) => !ctx.matches.has(r.index));
  if (unmatched.length) {
    out.push({
      what:
        `${plural(unmatched.length, 'learned tensor')} of ${name}` +
        (unmatched.length <= 3 ? ` (${unmatched.map((u) => u.fp.name).join(', ')})` : ''),
      why: 'no tensor of compatible shape in A (or no sample to compare)',
    });
  }
  const byClass = new Map<string, TensorRef[]>();
  // bytes-only tensors of different dtypes say different things (which type went undecoded)
  for (const r of refs) if (r.cls !== 'learned') push(byClass, r.cls === 'bytes' ? `bytes ${r.why}` : r.cls, r);
  for (const list of byClass.values()) {
    out.push({
      what:
        `${plural(list.length, `${list[0]!.cls} tensor`)} of ${name}` +
        (list.length <= 2 ? ` (${list.map((u) => u.fp.name).join(', ')})` : ''),
      why: list[0]!.why ?? '',
    });
  }
  return out;
}

/** The component verdict, its one-line reason, and any evidence the decision itself adds. */
/**
 * Strong positional evidence from a pair that may share a random initialisation (see siblings.ts):
 * `undefined` when B holds A (a derivative), otherwise the verdict the divergence supports.
 */
function siblingsDecision(st: ComponentStats, ctx: PairContext, Z: number, strongP: number): Decision | undefined {
  if (ctx.hiddenPermuted) return undefined;
  // channels pruned and re-aligned by content: a divergence by position compares other channels
  // (the real seeded style-transfer siblings, pruned, show no channel evidence at all)
  if (channelAligned(st.compared)) return undefined;
  const own = st.divergence;
  // a component whose own numbers rest on a tensor or two (an embedding) and are undecided, or say
  // "derived" short of a near copy (siblings trained for unequal lengths: the spreads differ), is
  // judged with its hidden space's other components: they were trained together, siblings diverge
  // from the common point alike everywhere, and the median over more tensors is the better one
  const family = ctx.familyDivergence.get(familyOf(st.kind));
  const ownFinding = siblingFinding(own);
  const familySiblings = family !== undefined && siblingFinding(family) === 'siblings';
  // B keeping A's scale here (containment ≥ 0.85), whether or not growth and gains let it count
  const keepsScale = own.tensors > 0 && own.containment >= CONTAINMENT_DERIVED;
  const fewShortOfCopy = own.tensors < FEW_TENSORS && own.medianR < NEAR_COPY_R;
  // a derived finding that rests on one or two tensors' growth is within that statistic's noise
  // (siblings barely trained from one seed by SGD: one head matrix's growth 0.03–0.69 over 10 pairs
  // at r 0.99; derivatives 0.9 and more) when the many tensors trained with it (its family, or the
  // whole model's when the family is as small) cannot be told from siblings
  const wider = [family, ctx.modelDivergence].find((w) => w !== undefined && w.tensors > 2 * own.tensors);
  const fewGrowthOnly =
    keepsScale &&
    own.tensors < FEW_TENSORS &&
    ownFinding === 'derived' &&
    // a sketch's sampled spreads: growth within two standard errors of the noise is not past it
    own.growth - 2 * (own.growthError ?? 0) < SINGLE_GROWTH_NOISE &&
    wider !== undefined &&
    siblingFinding(wider) === 'undecided' &&
    // they kept A's scale without growing (the siblings' signature); tensors that merely failed to
    // align (units permuted, seen through a sketch: containment 0.4) say nothing against the finding
    wider.containment >= CONTAINMENT_DERIVED &&
    wider.growth < GROWTH_DERIVED;
  const byFamily =
    fewGrowthOnly ||
    (familySiblings &&
      family!.tensors > own.tensors &&
      ((ownFinding === 'undecided' && !keepsScale) || (keepsScale && fewShortOfCopy)));
  // a component that looks derived, short of a near copy, while more than twice as many tensors of
  // its hidden space diverged as siblings do or cannot be told from them, is not judged on its own
  // either: unequal training of siblings and a derivative of this component alone look the same
  const against =
    !byFamily &&
    keepsScale &&
    own.medianR < NEAR_COPY_R &&
    family !== undefined &&
    siblingFinding(family) !== 'derived' &&
    family.tensors > 2 * own.tensors
      ? family
      : undefined;
  const d = fewGrowthOnly ? wider! : byFamily ? family! : own;
  const finding = siblingFinding(d);
  const inh = st.inheritance;
  // constant-initialised vectors (norm gains, biases) show nothing of A's training
  const noneInherited =
    inh.compared >= MIN_VECTORS && inh.significant === 0 && inh.z < THRESHOLDS.independentZ && st.medianR < 0.9;
  const vectorsOf = st.inheritanceScope === 'component' ? '' : "the model's ";
  const numbers =
    `containment ${fmt(d.containment)} (|r|·max(σB/σA, σA/σB) over ${d.tensors} significant tensors` +
    (fewGrowthOnly || byFamily
      ? ` of the ${wider === ctx.modelDivergence && fewGrowthOnly ? 'model' : `${familyOf(st.kind)} components`}; ` +
        `this one's own ${fmt(own.containment)} over ${own.tensors}` +
        (fewGrowthOnly
          ? `, growth ${fmt(own.growth)}` +
            (own.growthError ? ` ± ${fmt(2 * own.growthError)} (sampled spreads)` : '') +
            ': too few tensors to tell'
          : '')
      : '') +
    ', ' +
    `median r ${fmt(d.medianR)}, growth ${fmt(d.growth)}); ` +
    `${byFamily || fewGrowthOnly ? "the model's " : vectorsOf}norm/bias vectors median r ${fmt(d.gainR)} ` +
    `over ${d.gains}`;
  if (finding === 'derived' && !noneInherited && !against) return undefined;
  const resemblance: Resemblance = {
    finding: 'undecided',
    median_r: round(d.medianR),
    tensors: d.tensors,
    compared: st.compared.length,
    z: round(Z, 2),
    containment: round(d.containment),
    ...(d.gains ? { gain_r: round(d.gainR) } : {}),
    gains: d.gains,
  };
  // trained norm gains or biases equal to A's: no sibling can hold them, whatever the matrices show
  const copiedVectors = identicalTrainedVectors(st.vectors);
  if (copiedVectors.length) {
    const v = copiedVectors[0]!;
    return {
      verdict: 'derived',
      p: strongP,
      why:
        `${copiedVectors.length} of ${vectorsOf}${st.vectors.length} norm/bias vectors hold exactly A's trained ` +
        `values (e.g. ${v.b.fp.name} = A's ${v.a!.fp.name}, ${numel(v.b.fp.shape)} values, neither constant nor a ` +
        'formula), which models trained separately, even from one random initialisation, cannot produce; ' +
        `matrices correlate beyond controls (combined z ${formatZ(Z)}, ${st.significant} of ${st.compared.length} ` +
        `tensors significant) although B does not keep A's scale (${numbers})`,
      evidence: {
        kind: 'exact',
        detail:
          `${copiedVectors.length} trained norm/bias vectors identical to A's ` +
          `(${copiedVectors
            .slice(0, 3)
            .map((m) => m.b.fp.name)
            .join(', ')}${copiedVectors.length > 3 ? ', …' : ''}): they start from constants, so only a copy ` +
          "of A's trained weights has them",
        a: v.a!.fp.name,
        b: v.b.fp.name,
        score: copiedVectors.length,
      },
    };
  }
  if (against) {
    return {
      verdict: 'inconclusive',
      resemblance,
      why:
        `this component alone looks derived (${numbers}), while the ${against.tensors} significant tensors of ` +
        `its ${familyOf(st.kind)} components ` +
        (siblingFinding(against) === 'siblings'
          ? 'diverged from one random initialisation as siblings do '
          : 'cannot be told from siblings of one random initialisation ') +
        `(containment ${fmt(against.containment)}, median r ${fmt(against.medianR)}): unequal training of ` +
        'siblings and a derivative of this component alone cannot be told apart',
    };
  }
  if (finding === 'derived') {
    return {
      verdict: 'inconclusive',
      resemblance,
      why:
        `B holds A's matrices (${numbers}) but none of ${vectorsOf}${inh.compared} norm/bias vectors is inherited ` +
        `(z ${formatZ(inh.z)}): derivation and a shared random initialisation cannot be told apart`,
    };
  }
  const merge = mergeCoefficient(st.compared.filter((m) => !m.exact && m.p < THRESHOLDS.tensorAlpha));
  if (merge && (finding === 'siblings' || (noneInherited && d.containment < CONTAINMENT_DERIVED))) {
    return {
      verdict: 'inconclusive',
      resemblance,
      why:
        `B regresses on A with one common slope ${fmt(merge.w)} in every tensor (relative spread ` +
        `${fmt(merge.spread)} over ${merge.tensors} tensors, median r ${fmt(merge.r)}; ≤ ${MERGE_MAX_SPREAD} is one ` +
        `coefficient): what a merge holding ${formatPercent(merge.w)} of A shows, while siblings from one random ` +
        'initialisation scatter (real llama2.c siblings 0.50); a merge and a shared initialisation cannot be told ' +
        'apart by the weights alone',
    };
  }
  if (finding === 'siblings' || (noneInherited && d.containment < CONTAINMENT_DERIVED)) {
    return {
      verdict: 'independent',
      resemblance: { ...resemblance, finding: 'shared-init' },
      why:
        `shared initialisation: both started from the same random weights; B is not derived from A's training ` +
        `(matrices correlate, combined z ${formatZ(Z)}, but diverged symmetrically: ${numbers}); weights alone ` +
        'do not tell this from A averaged with an unrelated model (a merge) or shrunk and re-noised',
      evidence: {
        kind: 'shared-init',
        detail:
          `a derivative keeps A (containment ≥ ${CONTAINMENT_DERIVED}: measured 1.00–1.13 on fine-tunes, ` +
          `continued training and drifted copies); here ${numbers}, as models trained separately from one ` +
          `random initialisation diverge (real llama2.c siblings: containment 0.50, r 0.47, gains 0.60)`,
        score: d.containment,
      },
    };
  }
  if (d.containment >= CONTAINMENT_DERIVED) {
    return {
      verdict: 'inconclusive',
      resemblance,
      why:
        `shared initialisation or derivation cannot be told apart: matrices correlate (combined z ${formatZ(Z)}) ` +
        `and B keeps A's scale (${numbers}), but ` +
        (d.growth < GROWTH_DERIVED
          ? "its spreads did not move apart from A's as new training on A moves them (σ ratio 1/r, growth ≈ 1; " +
            `below ${GROWTH_DERIVED} here): equal spreads at a high r are what siblings barely trained from one ` +
            'random initialisation show'
          : `the norm gains, which start from 1.0 and carry no trace of the initialisation, are not A's (median r ` +
            `${fmt(d.layerGainR)} over ${d.layerGains} < ${fmt(COLEARNED_GAIN_R)}): siblings trained for unequal ` +
            "lengths keep A's scale too"),
    };
  }
  return {
    verdict: 'inconclusive',
    resemblance,
    why:
      `shared initialisation or derivation cannot be told apart: matrices correlate (combined z ${formatZ(Z)}) ` +
      `but B does not hold A (${numbers}; a derivative keeps ≥ ${CONTAINMENT_DERIVED}), and the pair is too ` +
      `close for separately trained siblings (r ≥ ${SIBLING_MAX_R} or norm gains r ≥ ${INHERITED_GAIN_R})`,
  };
}

interface Decision {
  verdict: Verdict;
  why: string;
  evidence?: Evidence;
  /** For derived/identical: the p-value of the rule that decided (exact copies: 0). */
  p?: number;
  /** The shared-initialisation rule decided (see Resemblance). */
  resemblance?: Resemblance;
}

function decide(st: ComponentStats, ctx: PairContext): Decision {
  const { compared, learned, Z, significant, inheritance } = st;
  const tail = countTail(compared.length, significant, THRESHOLDS.tensorAlpha);
  if (learned.length === 0) return { verdict: 'inconclusive', why: 'no learned matrices to compare' };
  const unaligned = sketchUnalignedWhy(learned, ctx);
  if (compared.length === 0)
    return { verdict: 'inconclusive', why: unaligned ?? 'not comparable: no tensor of compatible shape in A' };
  if (st.exactShare >= THRESHOLDS.identicalShare)
    return { verdict: 'identical', why: `${formatPercent(st.exactShare)} of learned tensors are exact copies`, p: 0 };
  if (st.exactCount && (st.exactShare >= 0.1 || st.bigExact))
    return { verdict: 'derived', why: `${plural(st.exactCount, 'learned tensor')} copied exactly`, p: 0 };
  // an entry layer whose hidden units match A's under a permutation is reuse of the component,
  // as a verbatim copy of one large tensor is (union bound on the matched units ≤ 1e-8)
  const aligned = compared.find((m) => 'columns' in m && m.p <= THRESHOLDS.countAlpha) as
    | (TensorMatch & { columns: ColumnAlignment })
    | undefined;
  if (aligned) {
    const { columns } = aligned;
    const permuted = columns.moved >= columns.matched / 2;
    return {
      verdict: 'derived',
      why:
        `${aligned.b.fp.name} matches A's ${aligned.a!.fp.name} unit by unit` +
        (permuted
          ? ' under a permutation of the hidden dimension'
          : ` (${columns.matched} ${columns.axis} aligned, ${columns.moved} moved)`) +
        ` (${pClause(aligned.p, true)})`,
      p: aligned.p,
    };
  }
  const byZ = Z >= THRESHOLDS.derivedZ && significant >= Math.max(1, THRESHOLDS.minSignificantShare * compared.length);
  const byCount = significant >= 2 && tail <= THRESHOLDS.countAlpha;
  const strong = byZ || byCount;
  if (strong) {
    const strongP = Math.min(byZ ? st.pComp : 1, byCount ? tail : 1);
    const sib = siblingsDecision(st, ctx, Z, strongP);
    if (sib) return sib;
    // gains merely correlated (r ≥ 0.8) are also what siblings trained on one task co-learn
    const gainsInherited = st.divergence.gains > 0 && st.divergence.gainR >= COPIED_GAIN_R;
    return {
      verdict: 'derived',
      // the confidence is that of the rule that decided: the combined z, or the count of tensors
      p: strongP,
      why:
        `combined z ${formatZ(Z)} (${pClause(st.pComp)}), ${significant} of ${compared.length} tensors ` +
        `individually significant (p < ${THRESHOLDS.tensorAlpha}; ` +
        `chance would give that many with ${pClause(tail, true)})` +
        (Number.isFinite(st.divergence.containment)
          ? `; B keeps A (containment ${fmt(st.divergence.containment)} over ${st.divergence.tensors} tensors)`
          : ''),
      // only the component's own vectors: the whole model's figure is not evidence about this component
      evidence:
        st.inheritanceScope === 'component' && inheritance.significant > 0
          ? {
              kind: 'correlation',
              detail: gainsInherited
                ? `norm/bias vectors inherited: ${inheritance.significant} of ${inheritance.compared} match A's ` +
                  `beyond their controls (median r ${fmt(inheritance.medianR)}), ` +
                  `as close as a copy rounded to another dtype keeps them (≥ ${COPIED_GAIN_R})`
                : `norm/bias vectors correlate: ${inheritance.significant} of ${inheritance.compared} beyond their ` +
                  `controls (median r ${fmt(inheritance.medianR)})`,
            }
          : undefined,
    };
  }
  if (Z < THRESHOLDS.independentZ && ctx.hiddenPermuted) {
    return {
      verdict: 'inconclusive',
      why:
        'the hidden dimension is permuted relative to A (embedding columns align only under a permutation): ' +
        'position-based statistics cannot judge this component',
    };
  }
  if (
    Z < THRESHOLDS.independentZ &&
    ctx.disguisedFamilies.has(familyOf(st.kind)) &&
    !compared.some((m) => m.statistic && m.statistic !== 'positional' && m.p < THRESHOLDS.tensorAlpha)
  ) {
    return {
      verdict: 'inconclusive',
      why:
        "other tensors of B match A's only after undoing a function-preserving transform (a rotated, rescaled " +
        "or sign-flipped hidden space): this component's statistics found nothing, which under such a " +
        'transform is no evidence of independence',
    };
  }
  // a matrix A has only transposed was not compared, and not for want of a partner
  if (Z < THRESHOLDS.independentZ && unaligned) return { verdict: 'inconclusive', why: unaligned };
  const discounted = compared.filter((m) => m.discountKind === 'uncontrolled');
  if (discounted.length >= compared.length / 2) {
    // resemblance that could not be tested is not absence of resemblance
    return {
      verdict: 'inconclusive',
      why:
        `${discounted.length} of ${compared.length} tensors resemble A's ` +
        `(median r ${fmt(median(discounted.map((m) => m.r!)))}) but could not be tested: ${discounted[0]!.discounted}`,
    };
  }
  // no tensor of compatible shape is not evidence of independence: most of the component must be aligned
  const learnedParams = learned.reduce((n, r) => n + numel(r.fp.shape), 0);
  const comparedParams = compared.reduce((n, m) => n + numel(m.b.fp.shape), 0);
  const alignedShare = learnedParams ? comparedParams / learnedParams : 0;
  if (Z < THRESHOLDS.independentZ && alignedShare < MIN_ALIGNED_SHARE) {
    return {
      verdict: 'inconclusive',
      why:
        `not comparable: only ${formatPercent(alignedShare)} of its learned parameters (${compared.length} of ` +
        `${learned.length} tensors) could be aligned with A; no similarity there (combined z ${fmt(Z, 1)}), ` +
        'but the rest was not compared',
    };
  }
  if (Z < THRESHOLDS.independentZ && (compared.length >= 4 || compared.length >= learned.length / 2)) {
    return {
      verdict: 'independent',
      why: ctx.pair.sharedInit
        ? 'no specific similarity beyond a shared initialisation'
        : `no similarity beyond chance (combined z ${formatZ(Z)})`,
    };
  }
  return {
    verdict: 'inconclusive',
    why:
      compared.length < 4
        ? `only ${compared.length} of ${learned.length} learned tensors comparable`
        : `weak evidence (combined z ${formatZ(Z)})`,
  };
}

/** Why a component with matrices that A has only transposed cannot be judged from a sketch. */
function sketchUnalignedWhy(learned: TensorRef[], ctx: PairContext): string | undefined {
  const open = learned.filter((r) => ctx.sketchUnaligned.has(r.index));
  if (open.length === 0) return undefined;
  const params = open.reduce((n, r) => n + numel(r.fp.shape), 0);
  const total = learned.reduce((n, r) => n + numel(r.fp.shape), 0);
  return (
    `could not be aligned in a sketch: ${plural(open.length, 'matrix', 'matrices')} ` +
    `(${formatPercent(total ? params / total : 0)} of its learned parameters, e.g. ${open[0]!.fp.name}) ` +
    "match A's shapes only transposed, which row-run samples cannot compare; --full aligns them"
  );
}

/** Components that share a hidden space: a transform of it reaches all of them. */
function familyOf(kind: string | undefined): string {
  if (kind === 'text' || kind === 'embeddings' || kind === 'head') return 'text';
  if (kind === 'vision' || kind === 'projector') return 'vision';
  return kind ?? 'other';
}

/** Median similarity per layer of B, for the report's chart. */
function layerProfile(compared: TensorMatch[]): Array<{ layer: number; r: number }> {
  const byLayer = new Map<number, number[]>();
  for (const m of compared) {
    if (m.b.layer === undefined) continue;
    push(byLayer, m.b.layer, m.exact ? 1 : m.r!);
  }
  return [...byLayer.entries()].sort((x, y) => x[0] - y[0]).map(([layer, v]) => ({ layer, r: median(v) }));
}

function judgeComponent(ci: number, ctx: PairContext, notCompared: NotCompared[]): ComponentWork {
  const comp = ctx.docB.components[ci]!;
  const refs = comp.tensors.map((i) => ctx.B[i]!);
  const st = componentStats(refs, ctx);
  const twins = fixedTwins(refs, ctx.A);
  const evidence = describeEvidence(st, ctx, twins);
  notCompared.push(...listNotCompared(comp.name, refs, st, ctx, twins));
  const { verdict, why, evidence: extra, p: decisionP, resemblance } = decide(st, ctx);
  if (extra) evidence.push(extra);
  evidence.unshift({ kind: 'note', detail: `${verdict}: ${why}` });

  // A's side: the component most partners come from
  const partnerComps = new Map<number, number>();
  for (const m of st.compared) if (m.a) partnerComps.set(m.a.component, (partnerComps.get(m.a.component) ?? 0) + 1);
  const aComp = [...partnerComps.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
  const aPrefix =
    aComp !== undefined ? ctx.docA.components[aComp]?.prefix || ctx.docA.components[aComp]?.name || '' : '';
  const layers = layerProfile(st.compared);
  return {
    decisionP,
    sketchUnaligned: verdict === 'inconclusive' && refs.some((r) => ctx.sketchUnaligned.has(r.index)),
    learnedParams: st.learned.reduce((n, r) => n + numel(r.fp.shape), 0),
    comparedParams: st.compared.reduce((n, m) => n + numel(m.b.fp.shape), 0),
    result: {
      name: comp.name,
      kind: comp.kind,
      a: aPrefix,
      b: comp.prefix || comp.name,
      verdict,
      tensors_compared: st.compared.length,
      score: Number(st.Z.toFixed(3)),
      null: { mean: 0, std: 1 },
      p_value: st.pComp,
      confidence: decisionP !== undefined ? Math.min(0.999999, 1 - decisionP) : undefined,
      median_r: Number.isFinite(st.medianR) ? Number(st.medianR.toFixed(4)) : undefined,
      exact_share: Number(st.exactShare.toFixed(4)),
      evidence,
      layers: layers.length > 1 ? layers : undefined,
      ...(resemblance ? { resemblance } : {}),
    },
  };
}

/**
 * Schema 1 documents sample every tensor on the grid, schema 2 documents sample large tensors in
 * runs: such tensors share only the few coordinates both layouts picked, and are correlated on
 * exactly those (usually too few to count). Said once, with the remedy.
 */
function layoutMismatch(docA: FingerprintDocument, docB: FingerprintDocument): NotCompared | undefined {
  const la = layoutOf(docA.sampling);
  const lb = layoutOf(docB.sampling);
  if (sameLayout(la, lb)) return undefined;
  const describe = (doc: FingerprintDocument, l: typeof la) =>
    l.kind === 'grid'
      ? `${doc.source.id} (${doc.schema}, grid sample)`
      : `${doc.source.id} (${l.kind === 'runs' ? 'runs' : 'secret runs'} above ${l.runsAbove})`;
  return {
    what: 'correlation of large tensors sampled under different layouts',
    why:
      `${describe(docA, la)} and ${describe(docB, lb)} sample tensors of more than ` +
      `${Math.min(la.runsAbove, lb.runsAbove)} elements at different coordinates: those compare by digest and ` +
      'by their few common coordinates only; fingerprint the older model again (weightprint registry update) ' +
      'for a full comparison',
  };
}

/** Whether a document samples a tensor of n elements in row runs (schema 2, above runsAbove). */
function runsSampled(doc: FingerprintDocument, n: number): boolean {
  const l = layoutOf(doc.sampling);
  return runsLayout(l) && n > l.runsAbove;
}

/**
 * Large matrices of B whose transposed hypothesis a sketch cannot test. Run samples hold three
 * rows of a matrix, which a transposed copy does not share; full fingerprints on both sides test
 * transposes anyway (order-free value digest, Gram of full rows and columns). `only`: A has no
 * partner of B's own shape, just transposed ones, so the matrix could not be aligned at all and
 * its component cannot be called independent; `also`: A has both (square matrices), so the matrix
 * was compared by position and the transposed reading is what stays untested.
 */
function sketchTransposes(
  docA: FingerprintDocument,
  docB: FingerprintDocument,
  A: TensorRef[],
  B: TensorRef[],
  matches: Map<number, TensorMatch>,
): { only: TensorRef[]; also: TensorRef[] } {
  const only: TensorRef[] = [];
  const also: TensorRef[] = [];
  const matricesA = A.filter((a) => a.cls === 'learned' && a.tiedTo === undefined && a.fp.shape.length === 2);
  if (matricesA.length === 0) return { only, also };
  for (const b of B) {
    if (b.cls !== 'learned' || b.tiedTo !== undefined || b.fp.shape.length !== 2) continue;
    const n = numel(b.fp.shape);
    if (!runsSampled(docA, n) && !runsSampled(docB, n)) continue;
    const m = matches.get(b.index);
    if (m?.exact || (m && m.p < THRESHOLDS.tensorAlpha)) continue;
    const [R, C] = b.fp.shape as [number, number];
    const untested = matricesA.some((a) => a.fp.shape[0] === C && a.fp.shape[1] === R && !(a.fp.gram && b.fp.gram));
    if (!untested) continue;
    if (matricesA.some((a) => compatibleShapes(a.fp.shape, b.fp.shape))) also.push(b);
    else only.push(b);
  }
  return { only, also };
}

/**
 * Large matrices of B, with a partner of their shape in A, that no statistic found and whose
 * rotated reading a sketch cannot test: a rotation export (QuaRot, SpinQuant: residual stream
 * multiplied by an orthogonal Q, norm gains folded) leaves no coordinate in place, and the Gram of
 * full rows or columns that survives it exists only for tensors a fingerprint read whole. A row
 * run is a partial row of W·Q, so nothing in a sketch of such a matrix is rotation-invariant.
 */
function sketchRotations(
  docA: FingerprintDocument,
  docB: FingerprintDocument,
  A: TensorRef[],
  B: TensorRef[],
  matches: Map<number, TensorMatch>,
): TensorRef[] {
  const shapesA = A.filter((a) => a.cls === 'learned' && a.tiedTo === undefined && a.fp.shape.length === 2);
  const out: TensorRef[] = [];
  for (const b of B) {
    if (b.cls !== 'learned' || b.tiedTo !== undefined || b.fp.shape.length !== 2) continue;
    const n = numel(b.fp.shape);
    if (!runsSampled(docA, n) && !runsSampled(docB, n)) continue;
    const m = matches.get(b.index);
    if (m?.exact || (m && m.p < THRESHOLDS.tensorAlpha)) continue;
    if (shapesA.some((a) => compatibleShapes(a.fp.shape, b.fp.shape) && !(a.fp.gram && b.fp.gram))) out.push(b);
  }
  return out;
}

function rotationNote(untested: TensorRef[]): NotCompared[] {
  if (!untested.length) return [];
  const example = untested.find((r) => !r.fp.fullRows) ?? untested[0]!;
  return [
    {
      what: `rotated copies of ${plural(untested.length, 'large matrix', 'large matrices')} (e.g. ${example.fp.name})`,
      why:
        'a sketch samples matrices over 2^18 values in row runs and keeps no Gram of their full rows or columns, ' +
        'so a rotation export of A (residual stream multiplied by an orthogonal matrix, norm gains folded: ' +
        'QuaRot, SpinQuant) moves every sampled value and is not tested here; no similarity by position says ' +
        `nothing about it. ${FULL_ALIGNS.replace('aligns them', 'tests it')}`,
    },
  ];
}

/** The remedy, said the same way everywhere. */
const FULL_ALIGNS =
  '--full aligns them (full fingerprints on both sides, a registry entry built with --full: ' +
  'order-free value digest and Gram of full rows and columns)';

function transposeNotes(t: { only: TensorRef[]; also: TensorRef[] }): NotCompared[] {
  const notes: NotCompared[] = [];
  const eg = (refs: TensorRef[]) => `(e.g. ${refs[0]!.fp.name})`;
  if (t.only.length)
    notes.push({
      what: `${plural(t.only.length, 'matrix', 'matrices')} of B that A has only transposed ${eg(t.only)}`,
      why:
        'a sketch samples large matrices in row runs, which a transposed copy does not share: they could not ' +
        `be aligned in a sketch, so their components are not called independent; ${FULL_ALIGNS}`,
    });
  if (t.also.length)
    notes.push({
      what: `transposed copies of ${plural(t.also.length, 'large matrix', 'large matrices')} ${eg(t.also)}`,
      why:
        'A also has matrices of the transposed shape (square ones included); a sketch compares them by position ' +
        `only, its row runs cannot test a transposed copy; ${FULL_ALIGNS}`,
    });
  return notes;
}

export function compareFingerprints(docA: FingerprintDocument, docB: FingerprintDocument): CompareResult {
  const notCompared: NotCompared[] = [];
  const A = tensorRefs(docA);
  const stored = tensorRefs(docB);
  const exact = exactMatches(A, stored);
  // 1-D tensors of B that are A's matrices flattened count as learned (pair-level view)
  const B = withFlattened(stored, flattenedMatrices(A, stored, exact));
  const sameSampling = docA.sampling.k === docB.sampling.k && docA.sampling.seed === docB.sampling.seed;
  const matches = new Map<number, TensorMatch>(exact);
  let pair: PairNull = { controlMedianR: NaN, controls: 0, sharedInit: false };
  let vectors = new Map<number, TensorMatch>();
  let hiddenPermuted = false;
  const disguisedFamilies = new Set<string>();
  if (sameSampling) {
    vectors = correlationMatches(A, B, exact, 'vector').matches;
    for (const [i, m] of exact) if (B[i]!.cls === 'vector') vectors.set(i, m);
    const migrated = dropMigratedGains(A, B, vectors);
    if (migrated.length)
      notCompared.push({
        what: `${migrated.length} norm gain(s) of B (e.g. ${migrated[0]!.b.fp.name})`,
        why:
          'rescaled into the matrices that read them (SmoothQuant/AWQ-style migration: log gain ratio = ' +
          `−log column-RMS ratio, slope ${fmt(migrated[0]!.slope)}, r ${fmt(migrated[0]!.r)} over ` +
          `${migrated[0]!.channels} channels): not evidence either way`,
      });
    const support = vectorSupport(vectors.values());
    const corr = correlationMatches(A, B, exact, 'learned', {
      trustUncontrolled: support.supports,
      vectorsCompared: support.compared,
    });
    pair = corr.pair;
    for (const [i, m] of corr.matches) matches.set(i, m);
    const permuted = permutedColumnMatches(A, B, matches, docB.sampling.k, docB.sampling.seed);
    for (const [i, m] of permuted.matches) matches.set(i, m);
    hiddenPermuted = permuted.moved;
    const { disguised } = mergeInvariantEvidence(A, B, exact, matches, docB.sampling);
    // one tensor can be chance (each passed p < 1e-4 after Bonferroni); two are a transform
    const byFamily = new Map<string, number>();
    for (const m of disguised) {
      const f = familyOf(docB.components[m.b.component]?.kind);
      byFamily.set(f, (byFamily.get(f) ?? 0) + 1);
    }
    for (const [f, n] of byFamily) if (n >= 2) disguisedFamilies.add(f);
  } else {
    notCompared.push({
      what: 'correlation of sampled values',
      why:
        `the fingerprints were sampled differently (k ${docA.sampling.k}/${docB.sampling.k}, ` +
        `seed ${docA.sampling.seed}/${docB.sampling.seed}): only digests compared`,
    });
  }
  const byFamily = new Map<string, TensorMatch[]>();
  for (const m of matches.values()) {
    if (m.b.cls !== 'learned' || m.b.tiedTo !== undefined || m.exact || 'columns' in m) continue;
    if (m.p < THRESHOLDS.tensorAlpha) push(byFamily, familyOf(docB.components[m.b.component]?.kind), m);
  }
  const familyDivergence = new Map(
    [...byFamily].map(([f, ms]) => [f, divergence(ms, [...vectors.values()])] as [string, Divergence]),
  );
  const everyFamily = [...byFamily.values()].flat();
  const modelDivergence = everyFamily.length ? divergence(everyFamily, [...vectors.values()]) : undefined;
  const layoutNote = layoutMismatch(docA, docB);
  if (sameSampling && layoutNote) notCompared.push(layoutNote);
  const transposes = sketchTransposes(docA, docB, A, B, matches);
  notCompared.push(...transposeNotes(transposes));
  const rotationsUntested = sameSampling ? sketchRotations(docA, docB, A, B, matches) : [];
  notCompared.push(...rotationNote(rotationsUntested));
  const ctx: PairContext = {
    docA,
    docB,
    A,
    B,
    matches,
    vectors,
    familyDivergence,
    modelDivergence,
    pair,
    pairInheritance: inheritanceOf([...vectors.values()]),
    hiddenPermuted,
    disguisedFamilies,
    sketchUnaligned: new Set(transposes.only.map((b) => b.index)),
  };

  // components without learned tensors (constants, buffers) only feed not_compared
  const works = docB.components.map((_, ci) => judgeComponent(ci, ctx, notCompared)).filter((w) => w.learnedParams > 0);
  const opaque = opaqueShare(
    B.filter((r) => r.tiedTo === undefined).map((r) => ({ cls: r.cls, shape: r.fp.shape, why: r.why })),
  );
  const { verdict, reason, confidence } = untestedRotation(
    unreadableMatrices(docB, works, modelVerdict(works, opaque)),
    rotationsUntested,
    B,
    works,
    () => tokenGeometry(A, B, docB.sampling.k, docB.sampling.seed),
  );
  return {
    verdict,
    confidence,
    reason,
    a: { id: docA.source.id, mode: docA.mode },
    b: { id: docB.source.id, mode: docB.mode },
    components: works.map((w) => w.result),
    not_compared: notCompared,
  };
}

/**
 * When nothing was found and B's token rows keep A's geometry — what a rotated copy keeps, up to
 * its fine-tuning — `independent` would claim what was not tested: a sketch cannot test a rotation
 * export of large matrices (sketchRotations), and no mode aligns a copy disguised on both axes of
 * its matrices (units permuted/rescaled, then rotated: the adversary's `all`). The model is
 * inconclusive and the reason says why. Not evidence of derivation.
 * Measured (compare/token-geometry.ts: centred token Gram beyond its top three
 * components): rotated copies of stories260K 0.9996, fine-tuned 200 steps then rotated 0.979;
 * models trained apart on one tokenizer 0.09–0.53, shared-seed siblings 0.27–0.88.
 */
export const ROTATION_GEOMETRY_R = 0.95;

function untestedRotation(
  judged: { verdict: Verdict; reason: string; confidence: number },
  untested: TensorRef[],
  B: TensorRef[],
  works: ComponentWork[],
  geometry: () => ReturnType<typeof tokenGeometry>,
): { verdict: Verdict; reason: string; confidence: number } {
  // a resemblance (shared initialisation) is a finding of its own: only "nothing found" is withheld
  if (judged.verdict !== 'independent' || works.some((w) => w.result.resemblance)) return judged;
  const matrixParams = (refs: TensorRef[]) =>
    refs
      .filter((r) => r.cls === 'learned' && r.tiedTo === undefined && r.fp.shape.length === 2)
      .reduce((n, r) => n + numel(r.fp.shape), 0);
  const sketch = untested.length > 0 && 2 * matrixParams(untested) >= matrixParams(B);
  const g = geometry();
  if (!g || g.r < ROTATION_GEOMETRY_R) return judged;
  const kept =
    `nothing matches by position, but B's token rows keep A's geometry (centred Gram of ${g.rows} sampled rows ` +
    `of ${g.b} beyond its top 3 components, r ${g.r.toFixed(4)}; models trained apart on one tokenizer measured ` +
    '≤ 0.53, shared-seed siblings ≤ 0.88), as a rotation export of A would';
  return {
    verdict: 'inconclusive',
    reason: sketch
      ? `${kept}, and a sketch cannot test a rotation of ` +
        `${plural(untested.length, 'large matrix', 'large matrices')}: ` +
        'run with --full on both sides (a registry entry built with --full)'
      : `${kept}: a copy disguised on both axes of its matrices (hidden units permuted, rescaled or sign-flipped, ` +
        'and the residual stream rotated) keeps exactly this and is not aligned by the statistics here',
    confidence: 0,
  };
}

/**
 * B's matrices stored in a quantisation we do not decode (GGUF IQ2_XXS…) were not compared: a copy
 * stored that way must not pass as independent, nor as "nothing comparable". Independence needs
 * at least 90 % of B's matrix parameters read; otherwise the model is inconclusive and says why.
 */
function unreadableMatrices(
  docB: FingerprintDocument,
  works: ComponentWork[],
  judged: { verdict: Verdict; reason: string; confidence: number },
): { verdict: Verdict; reason: string; confidence: number } {
  let params = 0;
  const types = new Set<string>();
  for (const t of docB.tensors) {
    if (t.encoding?.decoded !== false || t.shape.length < 2) continue;
    params += numel(t.shape);
    types.add(t.dtype);
  }
  if (params === 0) return judged;
  const share = params / (params + works.reduce((n, w) => n + w.learnedParams, 0));
  const nothingCompared = !works.some((w) => w.result.tensors_compared > 0);
  if (share < 0.1 || (judged.verdict !== 'independent' && !(judged.verdict === 'inconclusive' && nothingCompared)))
    return judged;
  const unread =
    `${formatPercent(share)} of B's matrix parameters are stored in quantisations not decoded ` +
    `(${[...types].sort().join(', ')}) and were not compared`;
  return {
    verdict: 'inconclusive',
    reason: judged.verdict === 'independent' ? `${unread}; in what was compared: ${judged.reason}` : unread,
    confidence: 0,
  };
}

/**
 * The strongest component finding. "identical" is kept for a whole-model copy; a component copied
 * into an otherwise different model makes the model "derived", and the reason names it.
 */
function modelVerdict(
  works: ComponentWork[],
  opaque: ReturnType<typeof opaqueShare>,
): { verdict: Verdict; reason: string; confidence: number } {
  const decided = works.filter((w) => w.result.verdict !== 'inconclusive');
  const learnedTotal = works.reduce((n, w) => n + w.learnedParams, 0);
  const ranked = [...works].sort(
    (x, y) =>
      VERDICT_STRENGTH[y.result.verdict] - VERDICT_STRENGTH[x.result.verdict] || y.result.score - x.result.score,
  );
  const top = ranked[0];
  const reasonOf = (w: ComponentWork) => w.result.evidence[0]?.detail.replace(/^[a-z]+: /, '') ?? '';
  if (!top || top.result.verdict === 'inconclusive') {
    // "nothing comparable" only when nothing was: a strong but undecided resemblance says what it is
    // a sketch's limit first (it has a remedy), then what was compared
    const compared = ranked.find((w) => w.sketchUnaligned) ?? ranked.find((w) => w.result.tensors_compared > 0);
    return {
      verdict: 'inconclusive',
      reason: compared
        ? `no component could be judged; ${compared.result.name}: ${reasonOf(compared)}`
        : opaque.share > MAX_OPAQUE_SHARE
          ? `no component could be judged: ${opaqueText(opaque)}`
          : 'no component could be judged: nothing comparable between the two models',
      confidence: 0,
    };
  }
  const c = top.result;
  if (c.verdict === 'identical') {
    const identicalParams = decided
      .filter((w) => w.result.verdict === 'identical')
      .reduce((n, w) => n + w.learnedParams, 0);
    const allIdentical =
      decided.every((w) => w.result.verdict === 'identical') && identicalParams >= 0.9 * learnedTotal;
    if (allIdentical) {
      return { verdict: 'identical', reason: `same weights: ${reasonOf(top)} (${c.name})`, confidence: 0.999 };
    }
    const others = works.filter((w) => w.result.verdict !== 'identical');
    const rest = !others.length
      ? 'the rest of the model could not be compared'
      : others.every((w) => w.result.verdict === 'independent')
        ? 'other components are independent'
        : `other components: ${others.map((w) => `${w.result.name} ${w.result.verdict}`).join(', ')}`;
    return {
      verdict: 'derived',
      reason: `${c.name} is a copy of A's ${c.a || 'weights'} (${reasonOf(top)}); ${rest}`,
      confidence: 0.999,
    };
  }
  if (c.verdict === 'derived') {
    return {
      verdict: 'derived',
      reason: `${c.name} derives from A's ${c.a || 'weights'}: ${reasonOf(top)}`,
      confidence: Math.min(0.999999, 1 - (top.decisionP ?? c.p_value)),
    };
  }
  // a component that resembles A beyond controls without a decision keeps the model from "independent"
  const undecided = works.find((w) => w.result.resemblance?.finding === 'undecided');
  if (undecided) {
    return {
      verdict: 'inconclusive',
      reason: `${undecided.result.name} could not be judged: ${reasonOf(undecided)}`,
      confidence: 0,
    };
  }
  const comparedShare = learnedTotal ? works.reduce((n, w) => n + w.comparedParams, 0) / learnedTotal : 0;
  const independentShare = learnedTotal
    ? decided.filter((w) => w.result.verdict === 'independent').reduce((n, w) => n + w.learnedParams, 0) / learnedTotal
    : 0;
  // never independent while part of B could not be aligned for want of a full fingerprint
  const unaligned = works.filter((w) => w.sketchUnaligned);
  if (unaligned.length) {
    return {
      verdict: 'inconclusive',
      reason:
        `${unaligned.map((w) => w.result.name).join(', ')} could not be aligned in a sketch (matrices that A has ` +
        'only transposed); --full aligns them',
      confidence: 0,
    };
  }
  if (independentShare < MIN_ALIGNED_SHARE) {
    return {
      verdict: 'inconclusive',
      reason:
        `only ${formatPercent(independentShare)} of B's learned parameters are in components judged independent ` +
        `(${decided.map((w) => w.result.name).join(', ')}); the rest could not be aligned with A`,
      confidence: 0,
    };
  }
  if (opaque.share > MAX_OPAQUE_SHARE) {
    return {
      verdict: 'inconclusive',
      reason: `the components compared show no derivation, but ${opaqueText(opaque)}`,
      confidence: 0,
    };
  }
  return {
    verdict: 'independent',
    reason: `no component derives from A (${decided.map((w) => `${w.result.name}: ${reasonOf(w)}`).join('; ')})`,
    confidence: Number((0.99 * Math.min(1, comparedShare)).toFixed(3)),
  };
}

function opaqueText(o: ReturnType<typeof opaqueShare>): string {
  return (
    `${formatPercent(o.share)} of B's parameters are in 1-D, byte-only (integer, packed) or name-fixed ` +
    '(mask, rotary…) tensors the engine cannot compare as matrices (a matrix flattened or bitcast would be there)'
  );
}
