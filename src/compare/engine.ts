/**
 * Compares two fingerprint documents (A: the reference, B: the model under test) and judges each
 * component of B on its own. Works on the documents alone: no files, no network.
 */
import type { FingerprintDocument } from '../fingerprint/types.js';
import {
  correlationMatches, exactMatches, tensorRefs, SHARED_INIT_R,
  type PairNull, type TensorMatch, type TensorRef,
} from './tensor-match.js';
import { median, normalIsf, normalSf, stouffer } from './stats.js';
import { rawCosine } from './vectors.js';
import { permutedColumnMatches, type ColumnAlignment } from './permuted.js';
import { numel } from './classify.js';
import {
  VERDICT_STRENGTH, type CompareResult, type ComponentResult, type Evidence, type NotCompared, type Verdict,
} from './types.js';

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

function pct(x: number): string {
  return `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;
}

/** p-values below double precision print as a bound, not as 0. */
function fmtP(p: number): string {
  return p < 1e-300 ? '< 1e-300' : p.toExponential(1);
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
  const compared = matches.filter((m) => m.exact || m.r !== undefined);
  return {
    compared: compared.length,
    significant: compared.filter((m) => m.exact || m.p < 1e-3).length,
    z: stouffer(compared.map(tensorZ)),
    medianR: compared.length ? median(compared.map((m) => (m.exact ? 1 : m.r!))) : NaN,
  };
}

const MIN_VECTORS = 4;

interface ComponentWork {
  result: ComponentResult;
  learnedParams: number;
  comparedParams: number;
}

function judgeComponent(
  ci: number, docA: FingerprintDocument, docB: FingerprintDocument,
  A: TensorRef[], B: TensorRef[], matches: Map<number, TensorMatch>, pair: PairNull, notCompared: NotCompared[],
  vectors: Map<number, TensorMatch>, pairInheritance: Inheritance, hiddenPermuted: boolean,
): ComponentWork {
  const comp = docB.components[ci]!;
  const refs = comp.tensors.map((i) => B[i]!);
  const own = inheritanceOf(refs.filter((r) => r.cls === 'vector').map((r) => vectors.get(r.index)).filter((m): m is TensorMatch => !!m));
  const inheritance = own.compared >= MIN_VECTORS ? own : pairInheritance;
  const learned = refs.filter((r) => r.cls === 'learned' && r.tiedTo === undefined);
  const compared = learned.map((r) => matches.get(r.index)).filter((m): m is TensorMatch => m !== undefined);
  const exact = compared.filter((m) => m.exact);
  const correlated = compared.filter((m) => !m.exact);
  const zs = compared.map(tensorZ);
  const Z = stouffer(zs);
  const pComp = compared.length ? normalSf(Z) : 1;
  const significant = compared.filter((m) => m.exact || m.p < THRESHOLDS.tensorAlpha).length;
  const exactShare = learned.length ? exact.length / learned.length : 0;
  const bigExact = exact.some((m) => numel(m.b.fp.shape) >= THRESHOLDS.exactReuseNumel);
  const rs = compared.map((m) => (m.exact ? 1 : m.r!));
  const medianR = rs.length ? median(rs) : NaN;
  const controlled = correlated.filter((m) => m.nullSource !== 'analytic');
  const nulls = (controlled.length ? controlled : correlated).map((m) => m.null!);
  const nullMean = nulls.length ? median(nulls.map((n) => n.mean)) : 0;
  const nullStd = nulls.length ? median(nulls.map((n) => n.std)) : 0;

  // A's side: the component most partners come from
  const partnerComps = new Map<number, number>();
  for (const m of compared) if (m.a) partnerComps.set(m.a.component, (partnerComps.get(m.a.component) ?? 0) + 1);
  const aComp = [...partnerComps.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
  const aPrefix = aComp !== undefined ? docA.components[aComp]?.prefix || docA.components[aComp]?.name || '' : '';

  const evidence: Evidence[] = [];
  const bySha = exact.filter((m) => m.exact === 'sha256');
  const byValues = exact.filter((m) => m.exact === 'value-digest');
  const bySample = exact.filter((m) => m.exact === 'sample');
  if (bySha.length) {
    evidence.push({ kind: 'exact', detail: `${bySha.length} of ${learned.length} learned tensors are verbatim copies (equal SHA-256), e.g. ${bySha[0]!.b.fp.name} = A's ${bySha[0]!.a!.fp.name}`, a: bySha[0]!.a!.fp.name, b: bySha[0]!.b.fp.name, score: bySha.length });
  }
  if (byValues.length) {
    const how = [...new Set(byValues.map((m) => m.exactHow))].slice(0, 3).join('; ');
    evidence.push({ kind: 'value-digest', detail: `${byValues.length} of ${learned.length} learned tensors hold exactly A's multiset of values (order-free digest at bf16: ${how}), e.g. ${byValues[0]!.b.fp.name} ≡ A's ${byValues[0]!.a!.fp.name}`, a: byValues[0]!.a!.fp.name, b: byValues[0]!.b.fp.name, score: byValues.length });
  }
  if (bySample.length) {
    evidence.push({ kind: 'exact', detail: `${bySample.length} of ${learned.length} learned tensors equal A's at every sampled coordinate (sketch fingerprints carry no full digest)`, score: bySample.length });
  }
  const aligned = compared.filter((m): m is TensorMatch & { columns: ColumnAlignment } => 'columns' in m);
  for (const m of aligned) {
    evidence.push({
      kind: 'correlation',
      detail: `${m.b.fp.name}: ${m.columns.matched} of ${m.columns.tested} tested columns match columns of A's ${m.a!.fp.name} (median |r| ${fmt(m.columns.medianR, 3)}, each p < 1e-6 against the max over ${m.a!.fp.shape[1]} unrelated columns), ${m.columns.moved} of them at another index: the hidden dimension was permuted`,
      a: m.a!.fp.name, b: m.b.fp.name, score: m.columns.medianR, p_value: m.p,
    });
  }
  const positional = correlated.filter((m) => !('columns' in m));
  if (positional.length) {
    const strongest = positional.reduce((x, y) => ((y.z ?? -Infinity) > (x.z ?? -Infinity) ? y : x));
    const rc = strongest.a?.vec && strongest.b.vec && !strongest.transposed ? rawCosine(strongest.a.vec, strongest.b.vec) : NaN;
    evidence.push({
      kind: 'correlation',
      detail: `median centred correlation r ${fmt(median(positional.map((m) => m.r!)))} over ${positional.length} tensors (best partner among same-shape tensors of A); null from mismatched layers r ${fmt(nullMean, 3)} ± ${fmt(Math.tanh(nullStd), 3)}; strongest ${strongest.b.fp.name} ↔ ${strongest.a!.fp.name}${strongest.transposed ? ' (transposed)' : ''}: r ${fmt(strongest.r!, 4)} (raw cosine ${fmt(rc, 4)}, display only), z ${fmt(strongest.z!, 1)}, p ${fmtP(strongest.p)}`,
      a: strongest.a!.fp.name, b: strongest.b.fp.name, score: strongest.r, z: strongest.z, p_value: strongest.p,
    });
    const discounted = positional.filter((m) => m.discounted);
    if (discounted.length) {
      evidence.push({ kind: 'note', detail: `${discounted.length} tensor(s) not counted: ${discounted[0]!.discounted}` });
    }
  }
  if (pair.sharedInit && correlated.length && median(correlated.map((m) => m.r!)) >= SHARED_INIT_R) {
    evidence.push({
      kind: 'shared-init',
      detail: `tensors correlate with every same-shape tensor of the other model alike (controls median r ${fmt(pair.controlMedianR)} over ${pair.controls} mismatched pairs): a shared random initialisation, not a derivation`,
      score: pair.controlMedianR,
    });
  }
  // fixed buffers and constants that are identical in both: listed, never counted
  for (const r of refs) {
    if (r.cls !== 'fixed' && r.cls !== 'constant') continue;
    const same = A.find((a) => (r.fp.sha256 && a.fp.sha256 === r.fp.sha256) || (r.fp.valueDigest && a.fp.valueDigest === r.fp.valueDigest));
    if (!same) continue;
    evidence.push({ kind: 'fixed', detail: `${r.fp.name} is identical in both but not evidence: ${r.why}`, a: same.fp.name, b: r.fp.name });
    notCompared.push({ what: `${r.fp.name} (identical in both models)`, why: `${r.why}: not evidence of copying` });
  }

  // what could not be compared, and why
  const unmatched = learned.filter((r) => !matches.has(r.index));
  if (unmatched.length) {
    notCompared.push({ what: `${unmatched.length} learned tensor(s) of ${comp.name}${unmatched.length <= 3 ? ` (${unmatched.map((u) => u.fp.name).join(', ')})` : ''}`, why: 'no tensor of compatible shape in A (or no sample to compare)' });
  }
  const context = refs.filter((r) => r.cls !== 'learned');
  const byClass = new Map<string, TensorRef[]>();
  for (const r of context) (byClass.get(r.cls) ?? byClass.set(r.cls, []).get(r.cls)!).push(r);
  for (const [, list] of byClass) {
    notCompared.push({ what: `${list.length} ${list[0]!.cls} tensor(s) of ${comp.name}${list.length <= 2 ? ` (${list.map((u) => u.fp.name).join(', ')})` : ''}`, why: list[0]!.why ?? '' });
  }

  let verdict: Verdict;
  let why: string;
  if (learned.length === 0) {
    verdict = 'inconclusive';
    why = 'no learned matrices to compare';
  } else if (compared.length === 0) {
    verdict = 'inconclusive';
    why = 'not comparable: no tensor of compatible shape in A';
  } else if (exactShare >= THRESHOLDS.identicalShare) {
    verdict = 'identical';
    why = `${pct(exactShare)} of learned tensors are exact copies`;
  } else if (exact.length && (exactShare >= 0.1 || bigExact)) {
    verdict = 'derived';
    why = `${exact.length} learned tensor(s) copied exactly`;
  } else if ((Z >= THRESHOLDS.derivedZ && significant >= Math.max(1, THRESHOLDS.minSignificantShare * compared.length))
    || (significant >= 2 && countTail(compared.length, significant, THRESHOLDS.tensorAlpha) <= THRESHOLDS.countAlpha)) {
    const siblings = !hiddenPermuted && inheritance.compared >= MIN_VECTORS && inheritance.significant === 0 && inheritance.z < THRESHOLDS.independentZ
      && medianR < 0.9;
    if (siblings) {
      verdict = 'independent';
      why = `matrices correlate (median r ${fmt(medianR)}) but none of ${inheritance.compared} norm/bias vectors is inherited (z ${fmt(inheritance.z, 1)}): trained separately from a shared random initialisation, not derived`;
      evidence.push({ kind: 'shared-init', detail: `matrix similarity without inheritance of constant-initialised parameters (norm gains, biases: median r ${fmt(inheritance.medianR)}, none significant of ${inheritance.compared}) is the signature of a shared random initialisation`, score: inheritance.medianR });
    } else {
      verdict = 'derived';
      why = `combined z ${fmt(Z, 1)} (p ${fmtP(pComp)}), ${significant} of ${compared.length} tensors individually significant (p < ${THRESHOLDS.tensorAlpha}; chance would give that many with p ≤ ${fmtP(countTail(compared.length, significant, THRESHOLDS.tensorAlpha))})`;
      if (inheritance.compared >= MIN_VECTORS && inheritance.significant > 0) {
        evidence.push({ kind: 'correlation', detail: `norm/bias vectors inherited: ${inheritance.significant} of ${inheritance.compared} match A's beyond their controls (median r ${fmt(inheritance.medianR)}), which a shared initialisation alone does not give` });
      }
    }
  } else if (Z < THRESHOLDS.independentZ && hiddenPermuted) {
    verdict = 'inconclusive';
    why = 'the hidden dimension is permuted relative to A (embedding columns align only under a permutation): position-based statistics cannot judge this component';
  } else if (Z < THRESHOLDS.independentZ && (compared.length >= 4 || compared.length >= learned.length / 2)) {
    verdict = 'independent';
    why = pair.sharedInit ? 'no specific similarity beyond a shared initialisation' : `no similarity beyond chance (combined z ${fmt(Z, 1)})`;
  } else {
    verdict = 'inconclusive';
    why = compared.length < 4 ? `only ${compared.length} of ${learned.length} learned tensors comparable` : `weak evidence (combined z ${fmt(Z, 1)})`;
  }
  evidence.unshift({ kind: 'note', detail: `${verdict}: ${why}` });

  const layerMap = new Map<number, number[]>();
  for (const m of compared) {
    if (m.b.layer === undefined) continue;
    (layerMap.get(m.b.layer) ?? layerMap.set(m.b.layer, []).get(m.b.layer)!).push(m.exact ? 1 : m.r!);
  }
  const layers = [...layerMap.entries()].sort((x, y) => x[0] - y[0]).map(([layer, v]) => ({ layer, r: median(v) }));

  const learnedParams = learned.reduce((n, r) => n + numel(r.fp.shape), 0);
  const comparedParams = compared.reduce((n, m) => n + numel(m.b.fp.shape), 0);
  return {
    learnedParams,
    comparedParams,
    result: {
      name: comp.name,
      kind: comp.kind,
      a: aPrefix,
      b: comp.prefix || comp.name,
      verdict,
      tensors_compared: compared.length,
      score: Number(Z.toFixed(3)),
      null: { mean: 0, std: 1 },
      p_value: pComp,
      median_r: Number.isFinite(medianR) ? Number(medianR.toFixed(4)) : undefined,
      exact_share: Number(exactShare.toFixed(4)),
      evidence,
      layers: layers.length > 1 ? layers : undefined,
    },
  };
}

export function compareFingerprints(docA: FingerprintDocument, docB: FingerprintDocument): CompareResult {
  const notCompared: NotCompared[] = [];
  const A = tensorRefs(docA);
  const B = tensorRefs(docB);
  const exact = exactMatches(A, B);
  let corr: ReturnType<typeof correlationMatches>;
  if (docA.sampling.k !== docB.sampling.k || docA.sampling.seed !== docB.sampling.seed) {
    notCompared.push({ what: 'correlation of sampled values', why: `the fingerprints were sampled differently (k ${docA.sampling.k}/${docB.sampling.k}, seed ${docA.sampling.seed}/${docB.sampling.seed}): only digests compared` });
    corr = { matches: new Map(), pair: { controlMedianR: NaN, controls: 0, sharedInit: false } };
  } else corr = correlationMatches(A, B, exact);
  const matches = new Map<number, TensorMatch>([...corr.matches, ...exact]);
  const permuted = docA.sampling.k === docB.sampling.k && docA.sampling.seed === docB.sampling.seed
    ? permutedColumnMatches(A, B, matches, docB.sampling.k, docB.sampling.seed)
    : { matches: new Map(), moved: false };
  for (const [i, m] of permuted.matches) matches.set(i, m);
  const vectorCorr = corr.pair.controls || corr.matches.size ? correlationMatches(A, B, exact, 'vector').matches : new Map<number, TensorMatch>();
  const vectors = new Map<number, TensorMatch>([...vectorCorr, ...[...exact].filter(([, m]) => m.b.cls === 'vector')]);
  const pairInheritance = inheritanceOf([...vectors.values()]);

  // components without learned tensors (constants, buffers) only feed not_compared
  const works = docB.components
    .map((_, ci) => judgeComponent(ci, docA, docB, A, B, matches, corr.pair, notCompared, vectors, pairInheritance, permuted.moved))
    .filter((w) => w.learnedParams > 0);
  const components = works.map((w) => w.result);
  const { verdict, reason, confidence } = modelVerdict(works);
  return {
    verdict,
    confidence,
    reason,
    a: { id: docA.source.id, mode: docA.mode },
    b: { id: docB.source.id, mode: docB.mode },
    components,
    not_compared: notCompared,
  };
}

/**
 * The strongest component finding. "identical" is kept for a whole-model copy; a component copied
 * into an otherwise different model makes the model "derived", and the reason names it.
 */
function modelVerdict(works: ComponentWork[]): { verdict: Verdict; reason: string; confidence: number } {
  const decided = works.filter((w) => w.result.verdict !== 'inconclusive');
  const learnedTotal = works.reduce((n, w) => n + w.learnedParams, 0);
  const ranked = [...works].sort((x, y) =>
    VERDICT_STRENGTH[y.result.verdict] - VERDICT_STRENGTH[x.result.verdict] || y.result.score - x.result.score);
  const top = ranked[0];
  if (!top || top.result.verdict === 'inconclusive') {
    return { verdict: 'inconclusive', reason: 'no component could be judged: nothing comparable between the two models', confidence: 0 };
  }
  const c = top.result;
  const reasonOf = (w: ComponentWork) => w.result.evidence[0]?.detail.replace(/^[a-z]+: /, '') ?? '';
  if (c.verdict === 'identical') {
    const identicalParams = decided.filter((w) => w.result.verdict === 'identical').reduce((n, w) => n + w.learnedParams, 0);
    const allIdentical = decided.every((w) => w.result.verdict === 'identical') && identicalParams >= 0.9 * learnedTotal;
    if (allIdentical) {
      return { verdict: 'identical', reason: `same weights: ${reasonOf(top)} (${c.name})`, confidence: 0.999 };
    }
    return { verdict: 'derived', reason: `${c.name} is a copy of A's ${c.a || 'weights'} (${reasonOf(top)}); other components differ`, confidence: 0.999 };
  }
  if (c.verdict === 'derived') {
    return { verdict: 'derived', reason: `${c.name} derives from A's ${c.a || 'weights'}: ${reasonOf(top)}`, confidence: Math.min(0.999999, 1 - c.p_value) };
  }
  const comparedShare = learnedTotal ? works.reduce((n, w) => n + w.comparedParams, 0) / learnedTotal : 0;
  return {
    verdict: 'independent',
    reason: `no component derives from A (${decided.map((w) => `${w.result.name}: ${reasonOf(w)}`).join('; ')})`,
    confidence: Number((0.99 * Math.min(1, comparedShare)).toFixed(3)),
  };
}
