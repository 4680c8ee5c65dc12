/**
 * Sample vectors of two fingerprints, aligned coordinate by coordinate. Equal shapes under one
 * layout share every sampled coordinate; shapes that differ only in the first axis (extended
 * vocabulary, pruned rows) or, for matrices, only in the second axis share the coordinates of their
 * common block; documents of different layouts (schema 1 and 2) share only the coordinates both
 * happened to pick, and are compared on exactly those.
 */
import { decodeQ, planSample, samePlan, type SampleLayout, type SamplePlan } from '../fingerprint/sample.js';
import type { TensorFingerprint } from '../fingerprint/types.js';
import { pearson } from './stats.js';

export interface SampleVector {
  plan: SamplePlan;
  /** Dequantised values relative to the stored centre (q · scale). */
  values: Float32Array;
  center: number;
  /** Centred and unit-normalised values, for fast same-shape Pearson as a dot product. */
  unit: Float32Array;
  /** False when the sample has no variance (constant tensor). */
  varies: boolean;
}

/** Plans by (layout, k, seed, shape): same-shape tensors share one plan object. */
const plans = new Map<string, SamplePlan>();

export function cachedPlan(shape: readonly number[], k: number, seed: number, layout: SampleLayout): SamplePlan {
  const key = `${layout.kind}:${layout.runsAbove}:${k}:${seed}:${shape.join('x')}`;
  let plan = plans.get(key);
  if (!plan) {
    if (plans.size > 4096) plans.clear();
    plan = planSample(shape, k, seed, layout);
    plans.set(key, plan);
  }
  return plan;
}

export function sampleVector(
  t: TensorFingerprint,
  k: number,
  seed: number,
  layout: SampleLayout,
): SampleVector | undefined {
  if (!t.sample) return undefined;
  const plan = cachedPlan(t.shape, k, seed, layout);
  const q = decodeQ(t.sample.q);
  if (q.length !== plan.rows.length * plan.cols.length) return undefined;
  const values = new Float32Array(q.length);
  let mean = 0;
  for (let i = 0; i < q.length; i++) {
    values[i] = q[i]! * t.sample.scale;
    mean += values[i]!;
  }
  mean /= Math.max(1, q.length);
  let ss = 0;
  for (let i = 0; i < q.length; i++) ss += (values[i]! - mean) ** 2;
  const norm = Math.sqrt(ss);
  const unit = new Float32Array(q.length);
  if (norm > 0) for (let i = 0; i < q.length; i++) unit[i] = (values[i]! - mean) / norm;
  return { plan, values, center: t.sample.center, unit, varies: norm > 0 };
}

/** Whether coordinates of two shapes can be put in correspondence, and how. */
export function compatibleShapes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  if (a.every((d, i) => d === b[i])) return true;
  const restEqual = a.slice(1).every((d, i) => d === b[i + 1]);
  if (restEqual) return true;
  return a.length === 2 && a[0] === b[0];
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function positions(axis: Uint32Array, limit: number): Map<number, number> {
  const m = new Map<number, number>();
  axis.forEach((v, i) => {
    if (v < limit) m.set(v, i);
  });
  return m;
}

export interface Correlation {
  r: number;
  /** Coordinates compared. */
  n: number;
  /**
   * Independent observations behind r when fewer than n (the pairs of a Gram matrix come from its
   * units): the sampling error 1/√(dof−3) is then the least spread a null can have.
   */
  dof?: number;
}

/** Pearson correlation over the common sampled coordinates. */
export function correlate(a: SampleVector, b: SampleVector): Correlation {
  if (!a.varies || !b.varies) return { r: 0, n: 0 };
  if (a.plan === b.plan || samePlan(a.plan, b.plan)) {
    let dot = 0;
    const ua = a.unit;
    const ub = b.unit;
    for (let i = 0; i < ua.length; i++) dot += ua[i]! * ub[i]!;
    return { r: dot, n: ua.length };
  }
  const [ia, ib] = commonIndices(a.plan, b.plan);
  return pearson(a.values, b.values, ia, ib);
}

function commonIndices(pa: SamplePlan, pb: SamplePlan): [number[], number[]] {
  const rowsB = positions(pb.rows, Math.min(pa.R, pb.R));
  const colsB = positions(pb.cols, Math.min(pa.C, pb.C));
  const ia: number[] = [];
  const ib: number[] = [];
  pa.rows.forEach((r, i) => {
    const j = rowsB.get(r);
    if (j === undefined) return;
    pa.cols.forEach((c, ci) => {
      const cj = colsB.get(c);
      if (cj === undefined) return;
      ia.push(i * pa.cols.length + ci);
      ib.push(j * pb.cols.length + cj);
    });
  });
  return [ia, ib];
}

/** Pearson of B against A transposed: B[r, c] ↔ A[c, r] (2-D only). */
export function correlateTransposed(a: SampleVector, b: SampleVector): Correlation {
  const rowsA = positions(a.plan.rows, Math.min(a.plan.R, b.plan.C));
  const colsA = positions(a.plan.cols, Math.min(a.plan.C, b.plan.R));
  const ia: number[] = [];
  const ib: number[] = [];
  b.plan.rows.forEach((r, i) => {
    const ac = colsA.get(r);
    if (ac === undefined) return;
    b.plan.cols.forEach((c, j) => {
      const ar = rowsA.get(c);
      if (ar === undefined) return;
      ib.push(i * b.plan.cols.length + j);
      ia.push(ar * a.plan.cols.length + ac);
    });
  });
  return pearson(a.values, b.values, ia, ib);
}

/** Raw (uncentred) cosine of the stored values: for display only, never for decisions. */
export function rawCosine(a: SampleVector, b: SampleVector): number {
  const [ia, ib] = commonIndices(a.plan, b.plan);
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < ia.length; i++) {
    const x = a.values[ia[i]!]! + a.center;
    const y = b.values[ib[i]!]! + b.center;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
