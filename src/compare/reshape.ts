/**
 * Copies whose layout changed but whose values kept their flat order: a matrix stored as 1-D, or
 * reshaped from [R, C] to [2R, C/2] (a loader that reshapes back gets A's model). Equal digests
 * already name such copies exact whatever the shape (tensor-match.ts); this adds
 * - the pair-level fact that a 1-D tensor of B holding as many values as a matrix of A is a
 *   flattened matrix, not a norm gain or a bias, when A has no 1-D tensor of that length (or when
 *   its digest equals a matrix of A's): such tensors count as learned, so a model of flattened
 *   matrices is judged, never "nothing to compare";
 * - a flat-order correlation for tensors with equal element counts and different shapes: each
 *   sampled coordinate of either fingerprint maps to its flat index (row · row length + column), as
 *   do the first values the fingerprint keeps in flat order (`head`), and the values at flat
 *   indices both fingerprints hold are correlated. Controls are A's other tensors of
 *   the same element count (mismatched layers), as for positional correlation.
 */
import { FLAT_SLACK, numel } from '../fingerprint/classify.js';
import { correlationMatches, type MatchMeasure, type TensorMatch, type TensorRef } from './tensor-match.js';
import { pearson } from './stats.js';
import type { Correlation } from './vectors.js';
import { decodeQ } from '../fingerprint/sample.js';

/** Below this a 1-D tensor is not taken for a flattened matrix without an exact copy. */
const MIN_FLATTENED = 256;

/**
 * Tensors of B that hold a matrix of A's in another form, with why: any tensor whose digest equals
 * a learned matrix of A's (1-D, bitcast to an integer type, stored as bytes, or under a name that
 * reads as a fixed buffer), and 1-D tensors holding as many values as a matrix of A (or a few more)
 * when A has no 1-D tensor of that length. In this pair they count as learned matrices.
 */
export function flattenedMatrices(
  A: TensorRef[],
  B: TensorRef[],
  exact: Map<number, TensorMatch>,
): Map<number, string> {
  const matrixCounts: number[] = [];
  const vectorLengths = new Set<number>();
  for (const a of A) {
    if (a.cls === 'learned') matrixCounts.push(numel(a.fp.shape));
    else if (a.fp.shape.length === 1) vectorLengths.add(a.fp.shape[0]!);
  }
  matrixCounts.sort((x, y) => x - y);
  const out = new Map<number, string>();
  for (const b of B) {
    if (b.cls === 'learned' || b.tiedTo !== undefined) continue;
    const copy = exact.get(b.index);
    if (copy?.a?.cls === 'learned') {
      out.set(b.index, `holds A's matrix ${copy.a.fp.name} exactly (${b.fp.dtype} [${b.fp.shape}])`);
      continue;
    }
    if (b.cls !== 'vector' || b.fp.shape.filter((d) => d > 1).length !== 1) continue;
    const n = numel(b.fp.shape);
    if (n < MIN_FLATTENED || vectorLengths.has(n)) continue;
    if (matrixCounts.some((m) => n >= m && n - m <= FLAT_SLACK))
      out.set(b.index, 'a flattened matrix of A (equal element count, or a few values appended)');
  }
  return out;
}

/**
 * Flat index → value, for every value the fingerprint holds (grid sample and head); `transposed`:
 * indexed as the matrix's transpose flattened (element (r, c) of an R × C matrix at c · R + r).
 */
const flatCache = new WeakMap<TensorRef, Map<number, number>>();
const transposedCache = new WeakMap<TensorRef, Map<number, number>>();

function flatValues(r: TensorRef, transposed = false): Map<number, number> {
  const cache = transposed ? transposedCache : flatCache;
  let m = cache.get(r);
  if (m) return m;
  m = new Map();
  const R = r.fp.shape.length >= 2 ? r.fp.shape[0]! : 1;
  const C = numel(r.fp.shape) / Math.max(R, 1);
  const at = (i: number, j: number) => (transposed ? j * R + i : i * C + j);
  const v = r.vec;
  if (v) {
    const { rows, cols } = v.plan;
    for (let i = 0; i < rows.length; i++)
      for (let j = 0; j < cols.length; j++) m.set(at(rows[i]!, cols[j]!), v.values[i * cols.length + j]! + v.center);
  }
  const head = r.fp.head;
  if (head) {
    const q = decodeQ(head.q);
    for (let i = 0; i < q.length; i++) m.set(at(Math.floor(i / C), i % C), q[i]! * head.scale + head.center);
  }
  cache.set(r, m);
  return m;
}

/** Pearson over the flat indices both fingerprints hold. */
export function correlateFlat(a: TensorRef, b: TensorRef, transposed = false): Correlation {
  const fa = flatValues(a, transposed);
  const fb = flatValues(b);
  const [small, large] = fa.size <= fb.size ? [fa, fb] : [fb, fa];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [flat, x] of small) {
    const y = large.get(flat);
    if (y === undefined) continue;
    xs.push(x);
    ys.push(y);
  }
  return pearson(xs, ys);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A's tensors with B's element count but another shape. */
export const FLAT_ORDER: MatchMeasure = {
  usable: (r) => !!r.vec?.varies,
  candidates(A) {
    const byCount = new Map<number, TensorRef[]>();
    for (const a of A) {
      if (a.cls !== 'learned' || a.tiedTo !== undefined || !a.vec?.varies) continue;
      const n = numel(a.fp.shape);
      const list = byCount.get(n) ?? [];
      list.push(a);
      byCount.set(n, list);
    }
    const counts = [...byCount.keys()];
    return (b) => {
      const n = numel(b.fp.shape);
      // a flattened copy may carry a few appended values: the flat order still starts at 0
      const near = b.fp.shape.length === 1 ? counts.filter((m) => n >= m && n - m <= FLAT_SLACK) : [n];
      return (
        near
          .flatMap((m) => byCount.get(m) ?? [])
          // a [C, R] shape may be a transpose (aligned 2-D elsewhere) or a reshape: both are tried
          .filter((a) => !sameShape(a.fp.shape, b.fp.shape))
          // a 1-D copy of a matrix may hold it in either flat order (row- or column-major)
          .flatMap((a) =>
            b.fp.shape.length === 1 && a.fp.shape.length === 2
              ? [
                  { a, transposed: false },
                  { a, transposed: true },
                ]
              : [{ a, transposed: false }],
          )
      );
    };
  },
  correlate: (a, b, transposed) => correlateFlat(a, b, transposed),
  statistic: 'flat-order',
};

/** B's tensors with those holding A's matrices counted as learned (a pair-level view: copies, not edits). */
export function withFlattened(B: TensorRef[], held: Map<number, string>): TensorRef[] {
  if (held.size === 0) return B;
  return B.map((r) => (held.has(r.index) ? { ...r, cls: 'learned' as const, why: held.get(r.index) } : r));
}

/** p below which a flat-order match has found the tensor (as invariant.ts FOUND_P). */
const FOUND_P = 1e-4;

/**
 * Flat-order evidence for B's tensors. A 1-D tensor holding a matrix may hold it row- or
 * column-major; silence in one order says nothing about the other, so a match that found nothing
 * counts only when both orders could be compared (for large matrices the column-major order shares
 * too few coordinates with A's fingerprint: the tensor stays unaligned, never "independent").
 */
export function flatOrderMatches(
  A: TensorRef[],
  B: TensorRef[],
  exact: Map<number, TensorMatch>,
): Map<number, TensorMatch> {
  const { matches } = correlationMatches(A, B, exact, 'learned', { measure: FLAT_ORDER });
  for (const [i, m] of matches) {
    if (m.p < FOUND_P || !m.a || m.b.fp.shape.length !== 1 || m.a.fp.shape.length !== 2) continue;
    const other = correlateFlat(m.a, m.b, !m.transposed);
    if (other.n < MIN_FLAT_COORDINATES) matches.delete(i);
  }
  return matches;
}

/** As tensor-match.ts MIN_COORDINATES: fewer shared coordinates than this compare nothing. */
const MIN_FLAT_COORDINATES = 64;
