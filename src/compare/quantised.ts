/**
 * Quantised and re-containered copies. The engine sees a Q4_K copy of a float model as highly
 * correlated (derived); it is the same weights, rounded. Each learned tensor of the quantised side
 * is checked against its partner: a copy differs from it by the format's own rounding (the noise
 * the fingerprint estimated from the stored scales, plus the int8 precision of the samples),
 * a fine-tune by more. Every learned tensor within rounding makes the model `identical`, reported
 * as "quantised copy: Q4_K of A"; otherwise the verdict stands and says B was quantised. An exact
 * copy in another container is reported as "same weights, GGUF container".
 */
import { classifyTensor } from '../fingerprint/classify.js';
import { parseTensorName } from '../fingerprint/names.js';
import type { FingerprintDocument, TensorFingerprint } from '../fingerprint/types.js';
import { sameShape, sampleVector, type SampleVector } from './vectors.js';
import { layoutOf, samePlan } from '../fingerprint/sample.js';
import type { CompareResult, Evidence } from './types.js';

/**
 * A copy's residual may exceed the estimated rounding variance by this factor (estimates are rough
 * for coarse grids).
 */
const ROUNDING_SLACK = 1.5;
/** Below this correlation a pair is no copy whatever the rounding estimate says. */
const MIN_COPY_R = 0.8;

interface TensorRounding {
  a: string;
  b: string;
  /** 'exact' (equal digest), or the residual variance over what rounding explains (≤ 1 for a copy). */
  ratio: number | 'exact';
  within: boolean;
}

function isQuantised(t: TensorFingerprint): boolean {
  return t.encoding?.decoded === true && t.encoding.scheme !== 'none';
}

function format(doc: FingerprintDocument): string {
  return doc.source.format ?? 'safetensors';
}

/** Same-shape partner: the same role and layer by name, else the most correlated. */
function partner(
  t: TensorFingerprint,
  vb: SampleVector | undefined,
  A: TensorFingerprint[],
  vecA: Map<TensorFingerprint, SampleVector | undefined>,
): TensorFingerprint | undefined {
  const same = A.filter((x) => sameShape(x.shape, t.shape));
  if (same.length === 0) return undefined;
  const pb = parseTensorName(t.name);
  const named = same.filter((x) => {
    const pa = parseTensorName(x.name);
    return pa.role === pb.role && pa.layer === pb.layer;
  });
  if (named.length === 1) return named[0];
  if (!vb) return same[0];
  let best: TensorFingerprint | undefined;
  let bestR = -Infinity;
  for (const x of same) {
    const va = vecA.get(x);
    // value by value only where both samples sit on the same coordinates
    if (!va || !samePlan(va.plan, vb.plan)) continue;
    let dot = 0;
    for (let i = 0; i < va.unit.length; i++) dot += va.unit[i]! * vb.unit[i]!;
    if (dot > bestR) {
      bestR = dot;
      best = x;
    }
  }
  return best;
}

/** Residual of b against a at the sampled coordinates, over what rounding and sample precision explain. */
function roundingRatio(
  a: TensorFingerprint,
  b: TensorFingerprint,
  va: SampleVector,
  vb: SampleVector,
): { ratio: number; r: number } {
  const n = va.values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += va.values[i]!;
  mean /= n;
  let varA = 0;
  let resid = 0;
  let dot = 0;
  for (let i = 0; i < n; i++) {
    varA += (va.values[i]! - mean) ** 2;
    resid += (va.values[i]! + va.center - vb.values[i]! - vb.center) ** 2;
    dot += va.unit[i]! * vb.unit[i]!;
  }
  varA /= n;
  resid /= n;
  const noise = (a.encoding?.noise ?? 0) ** 2 + (b.encoding?.noise ?? 0) ** 2;
  // int8 samples: each side rounds to its own step (uniform error, variance step²/12), twice over
  const sampleVar = 2 * ((a.sample!.scale ** 2 + b.sample!.scale ** 2) / 12);
  const explained = noise * varA + sampleVar;
  return { ratio: explained > 0 ? resid / explained : Infinity, r: dot };
}

function checkRounding(a: FingerprintDocument, b: FingerprintDocument): TensorRounding[] {
  const k = b.sampling.k;
  const seed = b.sampling.seed;
  const learnedA = a.tensors.filter((t) => classifyTensor(t).cls === 'learned');
  // each side's samples on its own coordinates (k, seed and layout of its document)
  const vecA = new Map(
    learnedA.map((t) => [t, sampleVector(t, a.sampling.k, a.sampling.seed, layoutOf(a.sampling))] as const),
  );
  const out: TensorRounding[] = [];
  for (const t of b.tensors) {
    if (classifyTensor(t).cls !== 'learned') continue;
    const vb = sampleVector(t, k, seed, layoutOf(b.sampling));
    const p = partner(t, vb, learnedA, vecA);
    if (!p) {
      out.push({ a: '', b: t.name, ratio: Infinity, within: false });
      continue;
    }
    if ((t.sha256 && t.sha256 === p.sha256) || (t.valueDigest && t.valueDigest === p.valueDigest)) {
      out.push({ a: p.name, b: t.name, ratio: 'exact', within: true });
      continue;
    }
    const va = vecA.get(p);
    if (!va || !vb || !samePlan(va.plan, vb.plan)) {
      out.push({ a: p.name, b: t.name, ratio: Infinity, within: false });
      continue;
    }
    const { ratio, r } = roundingRatio(p, t, va, vb);
    out.push({ a: p.name, b: t.name, ratio, within: r >= MIN_COPY_R && ratio <= ROUNDING_SLACK });
  }
  return out;
}

function schemesOf(doc: FingerprintDocument): string[] {
  const s = new Set<string>();
  for (const t of doc.tensors) if (isQuantised(t)) s.add(t.encoding!.scheme);
  return [...s].sort();
}

function containerLabel(doc: FingerprintDocument): string {
  const f = format(doc);
  return f === 'gguf' ? 'GGUF' : f;
}

/**
 * Refines a comparison of a quantised or re-containered model: a copy within rounding becomes
 * `identical` and says so; a derivative keeps its verdict and says it was quantised.
 */
export function judgeQuantisedCopy(
  a: FingerprintDocument,
  b: FingerprintDocument,
  result: CompareResult,
): CompareResult {
  const schemesA = schemesOf(a);
  const schemesB = schemesOf(b);
  const containers = format(a) !== format(b);
  if (schemesA.length === 0 && schemesB.length === 0) {
    if (containers && result.verdict === 'identical') {
      const line = `same weights, ${containerLabel(b)} container (A is ${containerLabel(a)})`;
      result.reason = `${line}: ${result.reason}`;
      result.components[0]?.evidence.unshift({ kind: 'note', detail: line });
    }
    return result;
  }
  if (result.verdict !== 'derived' && result.verdict !== 'identical') return result;
  const quantisedSide = schemesB.length ? 'B' : 'A';
  const schemes = (schemesB.length ? schemesB : schemesA).join(', ');
  const rounding = checkRounding(a, b);
  const learnedA = a.tensors.filter((t) => classifyTensor(t).cls === 'learned').length;
  const within = rounding.filter((r) => r.within);
  const worst = rounding.filter((r) => r.ratio !== 'exact').reduce((m, r) => Math.max(m, r.ratio as number), 0);
  const covered = new Set(within.map((r) => r.a)).size;
  const evidence: Evidence = {
    kind: 'note',
    detail:
      `${quantisedSide} is quantised (${schemes}, ${containerLabel(quantisedSide === 'B' ? b : a)}): ` +
      `${within.length} of ${rounding.length} learned tensors equal their partner within the format's rounding ` +
      `(residual up to ${Number.isFinite(worst) ? worst.toFixed(2) : '∞'}× what rounding explains, ` +
      `${ROUNDING_SLACK}× allowed)`,
    score: within.length / Math.max(1, rounding.length),
  };
  if (rounding.length > 0 && within.length === rounding.length && covered >= 0.9 * learnedA) {
    result.verdict = 'identical';
    result.confidence = 0.999;
    result.reason =
      quantisedSide === 'B'
        ? `quantised copy: ${schemes} of ${a.source.id}: ` +
          `every learned tensor equals its partner within ${schemes} rounding`
        : `same weights as A, stored there quantised (${schemes}): every learned tensor equals A's within its rounding`;
    for (const c of result.components) {
      if (c.verdict === 'derived') c.verdict = 'identical';
      c.evidence.unshift(evidence);
    }
    return result;
  }
  result.reason +=
    `; ${quantisedSide} is stored quantised (${schemes}) and differs beyond its rounding: ` +
    'a derivative, not a quantised copy';
  result.components[0]?.evidence.push(evidence);
  return result;
}
