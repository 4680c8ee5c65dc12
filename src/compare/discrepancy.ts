/**
 * Does the model relate to the reference the same way at the published sample coordinates as at
 * private ones? Honest weights do not know which coordinates a seed picks, so for every tensor pair
 * the correlation at the published coordinates and at a second, private sample are two estimates
 * of one quantity. A copy whose published coordinates were rewritten is unlike A exactly there and
 * like A everywhere else.
 *
 * Per pair (a learned tensor of B and the same-shape tensor of A that fits best), the gap is
 * (atanh r_private − atanh r_published) / √(1/(n_private − 3) + 1/(n_published − 3)), N(0, 1) when
 * both are random samples of the same coordinates. Private coordinates that the published sample
 * also holds are left out, so the two estimates share no value. The partner is chosen on the
 * inverse-variance weighted sum of the two Fisher z's, which is independent of their difference
 * under that null: picking the best of several same-shape tensors does not bias the gap.
 *
 * Values are sampled in rows (a grid's 32 rows, a few row runs in a large matrix), and honest
 * weights need not relate to A equally in every row (a sibling's rows trained more or less): then
 * a sample of few rows estimates the tensor's correlation with more than the 1/(n − 3) spread. The
 * standard error adds τ²·(1/rows_private + 1/rows_published), with τ² the spread of the true per-row
 * Fisher z beyond its sampling noise, estimated from the rows themselves: per pair the median
 * |z_j − z_k| over pairs of rows of one sample (≈ 0.954·√(τ² + s²) for normal rows), its median
 * over the tensor pairs. Robust, so rows an evasion rewrote (at the public seed: every published
 * row, a minority of the private ones) do not inflate it; honest heterogeneity does.
 * A matrix A holds only in another shape is compared in flat order; its private r is over the two
 * flat runs (fingerprint/sample.ts flatRun) when both private documents hold them, each of A's runs
 * paired with one matrix of B only (the one it fits best).
 * Documents in, numbers out: no I/O.
 */
import { classifyTensor, numel } from '../fingerprint/classify.js';
import { decodeQ, flatRunAt, layoutOf, planSample, type SamplePlan } from '../fingerprint/sample.js';
import type { FingerprintDocument, TensorFingerprint } from '../fingerprint/types.js';
import { fisherZ, median, normalSf, pearson } from './stats.js';
import { sameShape, sampleVector, type SampleVector } from './vectors.js';

/** Pairs need this many private coordinates of their own (tensors sampled whole have none). */
const MIN_PRIVATE_VALUES = 100;
/** A pair's gap alone beyond this (p ≈ 1e-4) counts it as individually discrepant. */
const PAIR_GAP = 3.72;
/** Rows with fewer values than this give no row correlation of their own. */
const MIN_ROW_VALUES = 16;
/** Median of |Z_1 − Z_2| for independent standard normals: √2 · 0.6745. */
const MEDIAN_ABS_DIFF = Math.SQRT2 * 0.6744897501960817;

export interface PairDiscrepancy {
  /** Tensor of A and of B. */
  a: string;
  b: string;
  publishedR: number;
  privateR: number;
  /** Private coordinates compared (those the published sample does not hold). */
  privateValues: number;
  gap: number;
}

export interface DiscrepancySummary {
  /** Tensor pairs with private coordinates of their own. */
  pairs: number;
  /** Median correlation over the pairs at the published coordinates and at the private ones. */
  publishedR: number;
  privateR: number;
  /** Private coordinates compared, summed over the pairs. */
  privateValues: number;
  /** Median standardised gap over the pairs (see the module comment). */
  medianGap: number;
  /** Pairs whose gap alone exceeds 3.72 (p ≈ 1e-4). */
  discrepant: number;
  /** The pair with the largest gap. */
  strongest: PairDiscrepancy;
  /** τ: spread of the per-row Fisher z beyond sampling noise, in every pair's standard error. */
  rowSpread: number;
  /**
   * Upper bound on the chance that honest weights give a median gap this large: at least half of
   * the pairs beyond it, C(n, m)·P(Z > gap)^m with m = ⌈n/2⌉.
   */
  p: number;
}

export interface SampleDiscrepancy {
  overall: DiscrepancySummary;
  /** Per component of B (its name as in B's document), for components with pairs. */
  components: Array<DiscrepancySummary & { component: string }>;
}

/**
 * When a discrepancy says the published coordinates were rewritten: at least 3 pairs, a median gap
 * of at least 5.6 (p ≈ 1e-8 per pair) and at least half of the pairs individually discrepant.
 * Honest weights measured: |median gap| ≤ 1.2 (real llama2.c models, independent, trained siblings
 * and copies drifted to r 0.24–0.89, each at eight private seeds); copies with every public coordinate
 * rewritten 20–220.
 */
export const REWRITE_THRESHOLDS = { minPairs: 3, medianGap: 5.6 } as const;

export function showsRewrite(s: DiscrepancySummary): boolean {
  return (
    s.pairs >= REWRITE_THRESHOLDS.minPairs && s.medianGap >= REWRITE_THRESHOLDS.medianGap && 2 * s.discrepant >= s.pairs
  );
}

function summarise(pairs: PairDiscrepancy[], rowSpread: number): DiscrepancySummary {
  const medianGap = median(pairs.map((p) => p.gap));
  const m = Math.ceil(pairs.length / 2);
  let logC = 0;
  for (let i = 0; i < m; i++) logC += Math.log(pairs.length - i) - Math.log(i + 1);
  const tail = medianGap > 0 ? normalSf(medianGap) : 1;
  return {
    pairs: pairs.length,
    publishedR: median(pairs.map((p) => p.publishedR)),
    privateR: median(pairs.map((p) => p.privateR)),
    privateValues: pairs.reduce((n, p) => n + p.privateValues, 0),
    medianGap,
    discrepant: pairs.filter((p) => p.gap > PAIR_GAP).length,
    strongest: pairs.reduce((x, y) => (y.gap > x.gap ? y : x)),
    rowSpread,
    p: tail > 0 ? Math.min(1, Math.exp(logC + m * Math.log(tail))) : 0,
  };
}

interface Side {
  doc: FingerprintDocument;
  byName: Map<string, TensorFingerprint>;
}

function side(doc: FingerprintDocument): Side {
  return { doc, byName: new Map(doc.tensors.map((t) => [t.name, t])) };
}

function planOf(doc: FingerprintDocument, shape: readonly number[]): SamplePlan {
  return planSample(shape, doc.sampling.k, doc.sampling.seed, layoutOf(doc.sampling));
}

function vectorOf(doc: FingerprintDocument, t: TensorFingerprint | undefined): SampleVector | undefined {
  return t ? sampleVector(t, doc.sampling.k, doc.sampling.seed, layoutOf(doc.sampling)) : undefined;
}

/** Positions (in the private sample) of coordinates the published sample does not hold. */
function privateOnly(priv: SamplePlan, pub: SamplePlan): Uint32Array {
  const rows = new Set(pub.rows);
  const cols = new Set(pub.cols);
  const out: number[] = [];
  let i = 0;
  for (const r of priv.rows) {
    const shared = rows.has(r);
    for (const c of priv.cols) {
      if (!shared || !cols.has(c)) out.push(i);
      i++;
    }
  }
  return Uint32Array.from(out);
}

/** Fisher z and value count of each row of two aligned samples (positions `at` only, when given). */
function rowZs(a: Float32Array, b: Float32Array, cols: number, at?: Uint32Array): Array<{ z: number; n: number }> {
  const groups = new Map<number, number[]>();
  const n = at ? at.length : a.length;
  for (let j = 0; j < n; j++) {
    const i = at ? at[j]! : j;
    const row = Math.floor(i / cols);
    let g = groups.get(row);
    if (!g) {
      g = [];
      groups.set(row, g);
    }
    g.push(i);
  }
  const out: Array<{ z: number; n: number }> = [];
  for (const g of groups.values()) {
    if (g.length < MIN_ROW_VALUES) continue;
    const r = pearson(a, b, g);
    out.push({ z: fisherZ(r.r), n: r.n });
  }
  return out;
}

/** Row statistics of one pair: its median |z_j − z_k| within each sample, rows and sampling variance. */
interface RowStats {
  medianDiff: number;
  samplingVar: number;
  rowsPublished: number;
  rowsPrivate: number;
}

function rowStats(pub: Array<{ z: number; n: number }>, priv: Array<{ z: number; n: number }>): RowStats | undefined {
  const diffs: number[] = [];
  for (const rows of [pub, priv])
    for (let j = 0; j < rows.length; j++)
      for (let k = j + 1; k < rows.length; k++) diffs.push(Math.abs(rows[j]!.z - rows[k]!.z));
  if (!diffs.length) return undefined;
  return {
    medianDiff: median(diffs),
    samplingVar: median([...pub, ...priv].map((x) => 1 / (x.n - 3))),
    rowsPublished: Math.max(1, pub.length),
    rowsPrivate: Math.max(1, priv.length),
  };
}

/** τ² over the pairs (see the module comment): 0 when rows vary no more than their sampling noise. */
function rowVariance(stats: RowStats[]): number {
  if (!stats.length) return 0;
  const total = (median(stats.map((s) => s.medianDiff)) / MEDIAN_ABS_DIFF) ** 2;
  return Math.max(0, total - median(stats.map((s) => s.samplingVar)));
}

/**
 * Flat index → value for a tensor's sample grid. (The `head`, the first values in flat order, is
 * left out: it is quantised on its own scale, which moves r near 1 by more than sampling does.)
 */
function flatSample(doc: FingerprintDocument, t: TensorFingerprint, transposed = false): Map<number, number> {
  const out = new Map<number, number>();
  const v = vectorOf(doc, t);
  const at = flatIndex(t.shape, transposed);
  if (v) {
    const { rows, cols } = v.plan;
    for (let i = 0; i < rows.length; i++)
      for (let j = 0; j < cols.length; j++) out.set(at(rows[i]!, cols[j]!), v.values[i * cols.length + j]! + v.center);
  }
  return out;
}

/**
 * Flat index of element (i, j) of an R × C view of `shape`; `transposed`: in the transposed matrix
 * (C × R) flattened, where a transposed copy's element (i, j) sits in A.
 */
function flatIndex(shape: readonly number[], transposed: boolean): (i: number, j: number) => number {
  const R = Math.max(1, shape[0]!);
  const C = numel(shape) / R;
  return transposed ? (i, j) => j * R + i : (i, j) => i * C + j;
}

/** Flat indices of the values a full document keeps in flat order (`head`): published coordinates too. */
function headIndices(t: TensorFingerprint, transposed = false): number[] {
  if (!t.head) return [];
  const C = numel(t.shape) / Math.max(1, t.shape[0]!);
  const at = flatIndex(t.shape, transposed);
  return Array.from({ length: decodeQ(t.head.q).length }, (_, h) => at(Math.floor(h / C), h % C));
}

/**
 * Flat index → value of a private document's flat run (fingerprint/sample.ts flatRun): the same
 * elements in every shape of one element count. Empty when the tensor has none.
 */
function flatRunSample(doc: FingerprintDocument, t: TensorFingerprint): Map<number, number> {
  const out = new Map<number, number>();
  if (!t.flatRun) return out;
  const { start, length } = flatRunAt(numel(t.shape), doc.sampling.k, doc.sampling.seed);
  const q = decodeQ(t.flatRun.q);
  if (q.length !== length) return out;
  for (let i = 0; i < length; i++) out.set(start + i, q[i]! * t.flatRun.scale + t.flatRun.center);
  return out;
}

/** A 2-D tensor of B that A holds transposed (square ones included). */
function transposeOf(ta: TensorFingerprint, tb: TensorFingerprint): boolean {
  return ta.shape.length === 2 && tb.shape.length === 2 && ta.shape[0] === tb.shape[1] && ta.shape[1] === tb.shape[0];
}

/** Pearson over the flat indices both maps hold, leaving out those in `exclude`. */
function flatPearson(a: Map<number, number>, b: Map<number, number>, exclude?: Set<number>) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [flat, x] of a) {
    const y = b.get(flat);
    if (y === undefined || exclude?.has(flat)) continue;
    xs.push(x);
    ys.push(y);
  }
  return pearson(xs, ys);
}

/** A pair's published and private Fisher z, their iid error variance, and the partner's pick weight. */
interface FlatPair {
  pair: PairDiscrepancy;
  zPub: number;
  zPriv: number;
  iid: number;
  weight: number;
  /** The private r is over the two flat runs. */
  byRun?: boolean;
}

/**
 * The best partner of B's tensor among A's learned tensors of another layout, compared element by
 * element where A holds it: a 2-D tensor whose shape A also has, against A's tensors of the transposed
 * shape (square ones too: a transposed copy's positional correlation is nil at every seed, so its
 * rewrite would go unmeasured); with `reshaped` (A lacks its shape), tensors of its element count and
 * another shape in flat order. Published r over the
 * indices both published samples hold, private r over those both private samples hold that neither
 * published document does (sample or head).
 */
function bestFlatPair(
  learnedA: TensorFingerprint[],
  tb: TensorFingerprint,
  pa: Side,
  pb: Side,
  qa: Side,
  qb: Side,
  reshaped: boolean,
): FlatPair | undefined {
  const tpb = pb.byName.get(tb.name)!;
  const n = numel(tb.shape);
  let best: FlatPair | undefined;
  for (const ta of learnedA) {
    const tpa = pa.byName.get(ta.name)!;
    if (!sameShape(tpa.shape, ta.shape)) continue;
    // a shape A lacks is read as reshaped (flat order) even when it is also A's transposed shape
    // ([64, 128] → [128, 64]): trying both would pair the orientation that is not the copy's, by
    // chance, whenever the right one has too few private values, and dilute the median
    const orientations: boolean[] = [];
    if (transposeOf(ta, tb) && !reshaped) orientations.push(true);
    if (reshaped && numel(ta.shape) === n && !sameShape(ta.shape, tb.shape)) orientations.push(false);
    for (const transposed of orientations) {
      const pubA = flatSample(pa.doc, tpa);
      const pubB = flatSample(pb.doc, tpb, transposed);
      const published = new Set([...pubA.keys(), ...pubB.keys(), ...headIndices(tpa), ...headIndices(tpb, transposed)]);
      const pub = flatPearson(pubA, pubB);
      // reshaped: the flat runs both private documents hold at one flat position, when they have them
      // (the row runs of two shapes share next to nothing); each quantised on its own scale, so not mixed
      // with the row runs' values
      const runA = transposed ? undefined : flatRunSample(qa.doc, ta);
      const runB = transposed ? undefined : flatRunSample(qb.doc, tb);
      const byRun = Boolean(runA?.size && runB?.size);
      const priv = byRun
        ? flatPearson(runA!, runB!, published)
        : flatPearson(flatSample(qa.doc, ta), flatSample(qb.doc, tb, transposed), published);
      if (pub.n < 4 || priv.n < MIN_PRIVATE_VALUES) continue;
      const zPub = fisherZ(pub.r);
      const zPriv = fisherZ(priv.r);
      const weight = (pub.n - 3) * zPub + (priv.n - 3) * zPriv;
      if (best && weight <= best.weight) continue;
      const iid = 1 / (priv.n - 3) + 1 / (pub.n - 3);
      best = {
        pair: {
          a: ta.name,
          b: tb.name,
          publishedR: pub.r,
          privateR: priv.r,
          privateValues: priv.n,
          gap: (zPriv - zPub) / Math.sqrt(iid),
        },
        zPub,
        zPriv,
        iid,
        weight,
        ...(byRun ? { byRun } : {}),
      };
    }
  }
  return best;
}

/**
 * The discrepancy between the published comparison (`publishedA` = the registry entry, `publishedB`
 * = the model as first fingerprinted) and the private one (`privateA`, `privateB`: both read again
 * at one private seed). Undefined when no pair has private coordinates of its own.
 */
export function sampleDiscrepancy(
  publishedA: FingerprintDocument,
  publishedB: FingerprintDocument,
  privateA: FingerprintDocument,
  privateB: FingerprintDocument,
): SampleDiscrepancy | undefined {
  const [pa, pb, qa, qb] = [publishedA, publishedB, privateA, privateB].map(side) as [Side, Side, Side, Side];
  const learnedA = qa.doc.tensors.filter(
    (t) => t.shape.length >= 2 && pa.byName.has(t.name) && classifyTensor(t, qa.doc.sampling).cls === 'learned',
  );
  const masks = new Map<string, Uint32Array>();
  const byRunPartner = new Map<string, FlatPair>();
  const found: Array<{ pair: PairDiscrepancy; zPub: number; zPriv: number; iid: number; rows?: RowStats }> = [];
  for (const tb of qb.doc.tensors) {
    if (tb.shape.length < 2 || classifyTensor(tb, qb.doc.sampling).cls !== 'learned') continue;
    const pubB = vectorOf(pb.doc, pb.byName.get(tb.name));
    const privB = vectorOf(qb.doc, tb);
    if (!pubB || !privB || !sameShape(pb.byName.get(tb.name)!.shape, tb.shape)) continue;
    const key = tb.shape.join('x');
    let mask = masks.get(key);
    if (!mask) {
      mask = privateOnly(planOf(qb.doc, tb.shape), planOf(pb.doc, tb.shape));
      masks.set(key, mask);
    }
    if (mask.length < MIN_PRIVATE_VALUES) continue;
    let best:
      | {
          pair: PairDiscrepancy;
          zPub: number;
          zPriv: number;
          iid: number;
          weight: number;
          rows: () => RowStats | undefined;
        }
      | undefined;
    for (const ta of learnedA) {
      if (!sameShape(ta.shape, tb.shape)) continue;
      const tpa = pa.byName.get(ta.name)!;
      if (!sameShape(tpa.shape, ta.shape)) continue;
      const pubA = vectorOf(pa.doc, tpa);
      const privA = vectorOf(qa.doc, ta);
      if (!pubA || !privA || pubA.values.length !== pubB.values.length || privA.values.length !== privB.values.length)
        continue;
      const pub = pearson(pubA.values, pubB.values);
      const priv = pearson(privA.values, privB.values, mask);
      if (pub.n < 4 || priv.n < MIN_PRIVATE_VALUES) continue;
      const zPub = fisherZ(pub.r);
      const zPriv = fisherZ(priv.r);
      // inverse-variance weights: independent of the gap under the null, so the pick does not bias it
      const weight = (pub.n - 3) * zPub + (priv.n - 3) * zPriv;
      if (best && weight <= best.weight) continue;
      const iid = 1 / (priv.n - 3) + 1 / (pub.n - 3);
      best = {
        pair: {
          a: ta.name,
          b: tb.name,
          publishedR: pub.r,
          privateR: priv.r,
          privateValues: priv.n,
          gap: (zPriv - zPub) / Math.sqrt(iid),
        },
        zPub,
        zPriv,
        iid,
        weight,
        rows: () =>
          rowStats(
            rowZs(pubA.values, pubB.values, pubB.plan.cols.length),
            rowZs(privA.values, privB.values, privB.plan.cols.length, mask),
          ),
      };
    }
    // a matrix A holds transposed, or only in another shape (reshaped, [R, C] → [2R, C/2], compared in
    // flat order as the published comparison compared it): else its rewrite would go unmeasured. The
    // partner with the larger weight is the pair (such pairs have no rows: they keep the values' own error)
    const reshaped = !learnedA.some((ta) => sameShape(ta.shape, tb.shape));
    const flat = bestFlatPair(learnedA, tb, pa, pb, qa, qb, reshaped);
    if (best && (!flat || best.weight >= flat.weight)) found.push({ ...best, rows: best.rows() });
    else if (flat?.byRun) {
      const other = byRunPartner.get(flat.pair.a);
      if (!other || flat.weight > other.weight) byRunPartner.set(flat.pair.a, flat);
    } else if (flat) found.push(flat);
  }
  // one pair per flat run of A: a registry entry's read holds flat runs in some of its tensors only
  // (check/challenge.ts), and B's tensors whose partner has none would each pair with one that does,
  // unrelated (gap ~0), and outnumber the true pairs in the median
  found.push(...byRunPartner.values());
  if (!found.length) return undefined;
  // rows that relate to A unequally widen every pair's standard error (see the module comment)
  const tau2 = rowVariance(found.flatMap((f) => (f.rows ? [f.rows] : [])));
  const pairs = found.map((f) => {
    const rows = tau2 > 0 && f.rows ? tau2 * (1 / f.rows.rowsPrivate + 1 / f.rows.rowsPublished) : 0;
    return { ...f.pair, gap: (f.zPriv - f.zPub) / Math.sqrt(f.iid + rows) };
  });
  const rowSpread = Math.sqrt(tau2);
  const componentOf = new Map<string, string>();
  for (const c of qb.doc.components) for (const i of c.tensors) componentOf.set(qb.doc.tensors[i]!.name, c.name);
  const groups = new Map<string, PairDiscrepancy[]>();
  for (const p of pairs) {
    const c = componentOf.get(p.b) ?? '';
    groups.set(c, [...(groups.get(c) ?? []), p]);
  }
  return {
    overall: summarise(pairs, rowSpread),
    components: [...groups].map(([component, list]) => ({ component, ...summarise(list, rowSpread) })),
  };
}
