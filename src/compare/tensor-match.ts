/**
 * Tensor-level evidence between model A (reference) and model B (the model under test):
 * exact copies by digest, then for every learned tensor of B its best partner in A among tensors
 * of compatible shape, tested against a null measured inside the same pair.
 *
 * The null: every non-best candidate is a control (a mismatched layer of the same shape). Their
 * Fisher-z correlations give a robust location and scale per shape class, so a shared random
 * initialisation (every layer correlating with every layer) raises the null instead of faking
 * a match. Picking the best of m candidates is paid for with a max-of-m correction unless the
 * names already proposed the same partner.
 */
import type { FingerprintDocument, TensorFingerprint } from '../fingerprint/types.js';
import { parseTensorName } from '../fingerprint/names.js';
import { classifyTensor, numel, type EvidenceClass } from '../fingerprint/classify.js';
import { push } from '../util/collections.js';
import {
  compatibleShapes,
  correlate,
  correlateTransposed,
  sameShape,
  sampleVector,
  type Correlation,
  type SampleVector,
} from './vectors.js';
import { fisherZ, maxOfM, normalSf, robustLocationScale } from './stats.js';
import { ownMatrixNull } from './embedding-null.js';
import { layoutOf } from '../fingerprint/sample.js';

const MIN_COORDINATES = 64;
/** Controls needed before a shape class gets its own null. */
const MIN_CONTROLS = 6;
/**
 * Without any control, only similarity beyond what a shared initialisation leaves counts, unless
 * the constant-initialised parameters (norms, biases) show inheritance: see vectorSupport.
 */
const UNCONTROLLED_MIN_R = 0.9;
/** A norm/bias vector this correlated is inherited, not structure (LSTM gate biases reach 0.48). */
const INHERITED_VECTOR_R = 0.6;

/**
 * Whether B's norm gains and biases carry A's trained values. They start from constants, so a
 * shared random initialisation leaves them unrelated, while a derivative, even a drifted one,
 * keeps them: the evidence that lets uncontrolled matrix correlations count.
 */
export function vectorSupport(vectors: Iterable<TensorMatch>): {
  compared: number;
  inherited: number;
  supports: boolean;
} {
  let compared = 0;
  let inherited = 0;
  for (const m of vectors) {
    if (!m.exact && m.r === undefined) continue;
    compared++;
    if (m.exact || Math.abs(m.r!) >= INHERITED_VECTOR_R) inherited++;
  }
  return { compared, inherited, supports: compared >= 3 && inherited >= 0.5 * compared };
}
/** Median control correlation above which the pair shares an initialisation. */
export const SHARED_INIT_R = 0.2;
/**
 * A best partner below this r whose runner-up is nearly as close (≥ 80 % of its Fisher z) is not
 * specific: several tensors of A share what B has, as a shared (tied) initialisation does.
 */
const SPECIFIC_BELOW_R = 0.9;
const RUNNER_UP_SHARE = 0.8;

export interface TensorRef {
  index: number;
  fp: TensorFingerprint;
  cls: EvidenceClass;
  why?: string;
  component: number;
  /** Canonical role + layer key for name alignment. */
  roleKey: string;
  layer?: number;
  /** Index of the tensor this one is a tied copy of, within the same model. */
  tiedTo?: number;
  vec?: SampleVector;
}

/** 'self': a null from the matrix itself (A's own units shuffled). */
export type NullSource = 'shape-class' | 'pair' | 'analytic' | 'self';

/** Which statistic a match rests on (positional when absent). */
export type MatchStatistic =
  | 'positional'
  | 'sign-scale'
  | 'column-scale'
  | 'gram-rows'
  | 'gram-cols'
  | 'flat-order'
  | 'sub-block'
  | 'channels';

export interface TensorMatch {
  b: TensorRef;
  /** Partner in A (best by correlation, or the exact copy). */
  a?: TensorRef;
  exact?: 'sha256' | 'value-digest' | 'sample';
  /** How an order-free copy differs: re-encoded, transposed, permuted. */
  exactHow?: string;
  r?: number;
  n?: number;
  /** The partner matched as A's matrix transposed. */
  transposed?: boolean;
  /** Correlation with the runner-up candidate (another tensor of A). */
  runnerUpR?: number;
  /** Candidates of compatible shape in A. */
  candidates: number;
  /** Whether the names proposed the same partner. */
  namedAgrees?: boolean;
  z?: number;
  p: number;
  nullSource?: NullSource;
  null?: { mean: number; std: number };
  /** The tensor was tested against its own matrix with this axis of A permuted (a wider null than the controls'). */
  ownNull?: 'rows' | 'columns';
  /** Why the correlation was not allowed to count. */
  discounted?: string;
  /** The statistic behind r and p (absent: positional correlation). */
  statistic?: MatchStatistic;
  /** When another statistic decided: the positional r it replaced (display, shared-init checks). */
  positionalR?: number;
  /** 'shared-init': explained by a shared initialisation; 'uncontrolled': could not be tested. */
  discountKind?: 'shared-init' | 'uncontrolled';
}

export interface PairNull {
  /** Median correlation of all controls in the pair (r space). */
  controlMedianR: number;
  controls: number;
  sharedInit: boolean;
}

function componentOf(doc: FingerprintDocument): Int32Array {
  const out = new Int32Array(doc.tensors.length).fill(-1);
  doc.components.forEach((c, ci) => {
    for (const i of c.tensors) out[i] = ci;
  });
  return out;
}

function tieKey(t: TensorFingerprint): string | undefined {
  if (t.sha256) return `sha:${t.sha256}`;
  if (t.sample) return `q:${t.shape.join('x')}:${t.sample.center}:${t.sample.scale}:${t.sample.q}`;
  return undefined;
}

/** A model under test is compared with every shortlisted entry: decode its samples once. */
const refsCache = new WeakMap<FingerprintDocument, TensorRef[]>();

export function tensorRefs(doc: FingerprintDocument): TensorRef[] {
  const cached = refsCache.get(doc);
  if (cached) return cached;
  const refs = buildTensorRefs(doc);
  refsCache.set(doc, refs);
  return refs;
}

function buildTensorRefs(doc: FingerprintDocument): TensorRef[] {
  const comp = componentOf(doc);
  const layout = layoutOf(doc.sampling);
  const refs = doc.tensors.map((fp, index) => {
    const { cls, why } = classifyTensor(fp, doc.sampling);
    const parsed = parseTensorName(fp.name);
    const kind = doc.components[comp[index]!]?.kind ?? 'other';
    const ref: TensorRef = {
      index,
      fp,
      cls,
      why,
      component: comp[index]!,
      roleKey: `${kind}|${parsed.role}|${parsed.layer ?? ''}`,
      layer: parsed.layer,
    };
    if (cls === 'learned' || cls === 'vector') ref.vec = sampleVector(fp, doc.sampling.k, doc.sampling.seed, layout);
    return ref;
  });
  // tied copies (lm_head = embed_tokens) count once; the embedding is the original whatever the
  // file order, so a head listed first does not make the embeddings component disappear
  const groups = new Map<string, TensorRef[]>();
  for (const ref of refs) {
    if (ref.cls !== 'learned' && ref.cls !== 'vector') continue;
    const key = tieKey(ref.fp);
    if (key !== undefined) push(groups, key, ref);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const primary = group.find((r) => doc.components[r.component]?.kind === 'embeddings') ?? group[0]!;
    for (const r of group) if (r !== primary) r.tiedTo = primary.index;
  }
  return refs;
}

function describeOrderFree(a: TensorFingerprint, b: TensorFingerprint): string {
  const parts: string[] = [];
  if (a.dtype !== b.dtype) parts.push(`${a.dtype}→${b.dtype}`);
  if (!sameShape(a.shape, b.shape)) parts.push(`shape [${a.shape}]→[${b.shape}]`);
  else if (a.dtype === b.dtype) parts.push('values rearranged');
  return parts.join(', ');
}

/** Verbatim and order-free copies, name-agnostic. */
export function exactMatches(A: TensorRef[], B: TensorRef[]): Map<number, TensorMatch> {
  const bySha = new Map<string, TensorRef>();
  const byValues = new Map<string, TensorRef>();
  const bySample = new Map<string, TensorRef>();
  for (const a of A) {
    if (a.tiedTo !== undefined || (a.cls !== 'learned' && a.cls !== 'vector')) continue;
    if (a.fp.sha256) bySha.set(a.fp.sha256, a);
    if (a.fp.valueDigest && (a.fp.traits?.distinct ?? 99) >= 16) byValues.set(a.fp.valueDigest, a);
    const key = tieKey(a.fp);
    if (key?.startsWith('q:') && numel(a.fp.shape) >= 1024) bySample.set(key, a);
  }
  const out = new Map<number, TensorMatch>();
  for (const b of B) {
    if (b.tiedTo !== undefined) continue;
    // equal digests are exact evidence whatever B's rank, shape, dtype or class (a matrix stored
    // 1-D, bitcast to I32 or as U8 bytes, renamed into a "mask"): only A's side must be evidence
    const carries = b.cls === 'learned' || b.cls === 'vector';
    const sha = b.fp.sha256 ? bySha.get(b.fp.sha256) : undefined;
    if (sha && (carries || sha.cls === 'learned')) {
      const how = sha.fp.dtype !== b.fp.dtype || !sameShape(sha.fp.shape, b.fp.shape);
      out.set(b.index, {
        b,
        a: sha,
        exact: 'sha256',
        ...(how ? { exactHow: describeOrderFree(sha.fp, b.fp) } : {}),
        candidates: 1,
        p: 0,
      });
      continue;
    }
    const vals = b.fp.valueDigest ? byValues.get(b.fp.valueDigest) : undefined;
    if (vals && (carries || vals.cls === 'learned') && numel(vals.fp.shape) === numel(b.fp.shape)) {
      out.set(b.index, {
        b,
        a: vals,
        exact: 'value-digest',
        exactHow: describeOrderFree(vals.fp, b.fp),
        candidates: 1,
        p: 0,
      });
      continue;
    }
    if (!carries) continue;
    const key = tieKey(b.fp);
    const samp = key?.startsWith('q:') ? bySample.get(key) : undefined;
    if (samp)
      out.set(b.index, {
        b,
        a: samp,
        exact: 'sample',
        exactHow: 'equal at every sampled coordinate',
        candidates: 1,
        p: 0,
      });
  }
  return out;
}

interface Candidate {
  a: TensorRef;
  transposed: boolean;
  r: number;
  n: number;
  dof?: number;
  /** |Fisher z| of r: a copy with negated weights is as much a copy. */
  fz: number;
}

/**
 * Another statistic for the same machinery: candidates, best partner, mismatched-layer controls
 * and their null are those of the positional correlation; only the per-pair number differs (a
 * rotation-invariant Gram correlation, a sign- and scale-fitted correlation, …).
 */
export interface MatchMeasure {
  /** Tensors (of A or B) that carry what the statistic needs. */
  usable(r: TensorRef): boolean;
  /** The statistic as a correlation over n effective coordinates; undefined when not computable. */
  correlate(a: TensorRef, b: TensorRef, transposed: boolean): Correlation | undefined;
  /** Only equal shapes are candidates (default: every compatible shape). */
  sameShapeOnly?: boolean;
  /** Another candidate rule altogether (e.g. equal element counts in another shape). */
  candidates?(A: TensorRef[], cls: EvidenceClass): (b: TensorRef) => Array<{ a: TensorRef; transposed: boolean }>;
  /** Recorded on every match it produces. */
  statistic?: MatchStatistic;
  /**
   * The controls' spread is their plain standard deviation when wider than the robust one: the
   * statistic's chance values are heavy-tailed across roles sharing a shape (e.g. the Gram matrices
   * of low-rank k projections next to those of v projections), and a tail is what a test must see.
   */
  heavyTailed?: boolean;
  /**
   * The statistic's null from the pair's own matrices (B's units shuffled), as a location and scale
   * of |Fisher z|: when wider than the controls' it is the null (controls cannot see a pair-specific
   * spread, e.g. of the Gram matrices of two low-rank matrices).
   */
  ownNull?(a: TensorRef, b: TensorRef, transposed: boolean): { location: number; scale: number } | undefined;
  /**
   * The statistic has no analytic null and its inflation depends on the matrix (fitting): a
   * tensor of B is judged only against controls of its own shape class, never the pair's pool.
   */
  controlledOnly?: boolean;
}

const POSITIONAL: MatchMeasure = {
  usable: (r) => !!r.vec?.varies,
  correlate: (a, b, transposed) => (transposed ? correlateTransposed(a.vec!, b.vec!) : correlate(a.vec!, b.vec!)),
};

/** Location and scale of the controls' |Fisher z|. */
function nullOf(pool: number[], measure: MatchMeasure): { location: number; scale: number } {
  const robust = robustLocationScale(pool);
  if (!measure.heavyTailed || pool.length < 2) return robust;
  const mean = pool.reduce((s, v) => s + v, 0) / pool.length;
  const sd = Math.sqrt(pool.reduce((s, v) => s + (v - mean) ** 2, 0) / (pool.length - 1));
  return { location: robust.location, scale: Math.max(robust.scale, sd) };
}

/** Compatible-shape tensors of A for a tensor of B, including transposed 2-D matrices. */
function candidateIndex(
  A: TensorRef[],
  cls: EvidenceClass,
  measure: MatchMeasure,
): (b: TensorRef) => Array<{ a: TensorRef; transposed: boolean }> {
  const usable = A.filter((a) => a.cls === cls && a.tiedTo === undefined && measure.usable(a));
  const byRest = new Map<string, TensorRef[]>();
  const byFirst = new Map<string, TensorRef[]>();
  const byShape2 = new Map<string, TensorRef[]>();
  for (const a of usable) {
    const shape = a.fp.shape;
    push(byRest, `${shape.length}:${shape.slice(1).join('x')}`, a);
    if (shape.length === 2) {
      push(byFirst, `2:${shape[0]}`, a);
      push(byShape2, `${shape[0]}x${shape[1]}`, a);
    }
  }
  return (b) => {
    const shape = b.fp.shape;
    const direct = new Set<TensorRef>(byRest.get(`${shape.length}:${shape.slice(1).join('x')}`) ?? []);
    if (shape.length === 2) for (const a of byFirst.get(`2:${shape[0]}`) ?? []) direct.add(a);
    const out = [...direct]
      .filter((a) => (measure.sameShapeOnly ? sameShape(a.fp.shape, shape) : compatibleShapes(a.fp.shape, shape)))
      .map((a) => ({ a, transposed: false }));
    if (shape.length === 2)
      for (const a of byShape2.get(`${shape[1]}x${shape[0]}`) ?? []) out.push({ a, transposed: true });
    return out;
  };
}

/**
 * Correlation evidence for every tensor of B of the given class ('learned' matrices, or 'vector'
 * for norm gains and biases) that has no exact match.
 */
export function correlationMatches(
  A: TensorRef[],
  B: TensorRef[],
  exact: Map<number, TensorMatch>,
  cls: EvidenceClass = 'learned',
  opts: { trustUncontrolled?: boolean; vectorsCompared?: number; measure?: MatchMeasure } = {},
): { matches: Map<number, TensorMatch>; pair: PairNull } {
  const measure = opts.measure ?? POSITIONAL;
  const candidatesOf = measure.candidates ? measure.candidates(A, cls) : candidateIndex(A, cls, measure);
  const namedA = new Map<string, TensorRef>();
  for (const a of A) if (a.cls === cls && a.tiedTo === undefined) namedA.set(a.roleKey, a);

  interface Row {
    b: TensorRef;
    cands: Candidate[];
    best: number;
    classKey: string;
  }
  const rows: Row[] = [];
  const controlsByClass = new Map<string, number[]>();
  const allControls: number[] = [];
  for (const b of B) {
    if (b.cls !== cls || b.tiedTo !== undefined || !measure.usable(b) || exact.has(b.index)) continue;
    const cands: Candidate[] = [];
    for (const { a, transposed } of candidatesOf(b)) {
      const c = measure.correlate(a, b, transposed);
      if (!c || c.n < MIN_COORDINATES) continue;
      cands.push({ a, transposed, r: c.r, n: c.n, dof: c.dof, fz: Math.abs(fisherZ(c.r)) });
    }
    if (cands.length === 0) continue;
    let best = 0;
    for (let j = 1; j < cands.length; j++) {
      if (cands[j]!.fz * Math.sqrt(cands[j]!.n - 3) > cands[best]!.fz * Math.sqrt(cands[best]!.n - 3)) best = j;
    }
    const classKey = b.fp.shape.join('x');
    rows.push({ b, cands, best, classKey });
    cands.forEach((c, j) => {
      if (j === best) return;
      push(controlsByClass, classKey, c.fz);
      allControls.push(c.fz);
    });
  }

  const classNull = new Map<string, { location: number; scale: number }>();
  for (const [key, pool] of controlsByClass) if (pool.length >= MIN_CONTROLS) classNull.set(key, nullOf(pool, measure));
  const pairNull = allControls.length >= MIN_CONTROLS ? nullOf(allControls, measure) : undefined;
  const controlMedianR = pairNull ? Math.tanh(pairNull.location) : NaN;
  const sharedInit = pairNull !== undefined && controlMedianR >= SHARED_INIT_R;

  const matches = new Map<number, TensorMatch>();
  for (const { b, cands, best, classKey } of rows) {
    const c = cands[best]!;
    let runnerUp: Candidate | undefined;
    cands.forEach((x, j) => {
      if (j !== best && x.a !== c.a && (!runnerUp || x.fz > runnerUp.fz)) runnerUp = x;
    });
    const noise = 1 / Math.sqrt(Math.max(1, (c.dof ?? c.n) - 3));
    let source: NullSource;
    let loc: number;
    let scale: number;
    const own = classNull.get(classKey);
    if (own) {
      source = 'shape-class';
      loc = own.location;
      scale = own.scale;
    } else if (measure.controlledOnly) {
      continue;
    } else if (pairNull && !sharedInit) {
      source = 'pair';
      loc = pairNull.location;
      scale = pairNull.scale;
    } else {
      source = 'analytic';
      loc = 0;
      scale = 0;
    }
    scale = Math.max(scale, noise);
    // a shared axis (token rows) with unrelated bases on the other correlates by chance: the
    // matrix's own permutation null, when wider, is the null
    // (positional samples only: other statistics bring their own null)
    const self =
      measure === POSITIONAL
        ? !c.transposed && sameShape(c.a.fp.shape, b.fp.shape)
          ? ownMatrixNull(c.a.vec!, b.vec!)
          : undefined
        : measure.ownNull?.(c.a, b, c.transposed);
    let ownAxis: 'rows' | 'columns' | undefined;
    if (self && 'axis' in self && self.scale > scale) {
      ownAxis = self.axis as 'rows' | 'columns';
      if (source !== 'analytic') loc = Math.max(loc, self.location);
      scale = self.scale;
    }
    let z = (c.fz - loc) / scale;
    // another statistic's own null: the more conservative of it and the controls decides
    if (self && !('axis' in self)) z = Math.min(z, (c.fz - self.location) / Math.max(self.scale, noise));
    // |r| is tested: against the analytic null that is two-sided; controls use |r| alike
    const tail = (x: number) => (source === 'analytic' ? Math.min(1, 2 * normalSf(x)) : normalSf(x));
    const named = namedA.get(b.roleKey);
    const namedAgrees = named !== undefined && named === c.a && !c.transposed;
    let p: number;
    if (namedAgrees) p = tail(z);
    else {
      p = maxOfM(tail(z), cands.length);
      const nc = named ? cands.find((x) => x.a === named && !x.transposed) : undefined;
      if (nc) p = Math.min(1, 2 * Math.min(p, tail((nc.fz - loc) / scale)));
    }
    const m: TensorMatch = {
      b,
      a: c.a,
      transposed: c.transposed || undefined,
      r: c.r,
      n: c.n,
      candidates: cands.length,
      namedAgrees,
      z,
      p,
      nullSource: source,
      ...(measure.statistic ? { statistic: measure.statistic } : {}),
      runnerUpR: runnerUp?.r,
      null: { mean: Math.tanh(loc), std: scale },
      ownNull: ownAxis,
    };
    if (runnerUp && Math.abs(c.r) < SPECIFIC_BELOW_R && runnerUp.fz >= RUNNER_UP_SHARE * c.fz && m.p < 1e-3) {
      m.discounted =
        `not specific: ${runnerUp.a.fp.name} is nearly as close (r ${runnerUp.r.toFixed(2)} vs ${c.r.toFixed(2)}), ` +
        'as a shared initialisation makes it';
      m.discountKind = 'shared-init';
      m.p = 1;
    } else if (source === 'analytic' && sharedInit) {
      const controls = `controls r ${controlMedianR.toFixed(2)}`;
      m.discounted = `no same-shape control, and the pair shares an initialisation (${controls})`;
      m.discountKind = 'shared-init';
      m.p = 1;
    } else if (source === 'analytic' && Math.abs(c.r) < UNCONTROLLED_MIN_R && z > 3 && !opts.trustUncontrolled) {
      const inheritance =
        (opts.vectorsCompared ?? 0) >= 3
          ? 'norms/biases not inherited'
          : 'too few norm/bias vectors to test for inheritance';
      m.discounted =
        `r ${c.r.toFixed(2)} with no same-shape control, and ${inheritance}: ` +
        'a shared initialisation could explain it';
      m.discountKind = 'uncontrolled';
      m.p = 1;
    }
    matches.set(b.index, m);
  }
  return { matches, pair: { controlMedianR, controls: allControls.length, sharedInit } };
}
