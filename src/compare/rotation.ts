/**
 * Rotation-invariant evidence (rotation exports: QuaRot, SpinQuant, Hadamard). The residual stream
 * of B is A's multiplied by an orthogonal Q, so every position-based statistic sees noise, while
 * the cosine Gram matrix of a reader's rows (W·Q)(W·Q)ᵀ = W·Wᵀ, and of a writer's columns, is A's
 * (fingerprint/gram.ts keeps them). Two Gram matrices are compared by the Pearson correlation of
 * their off-diagonal cosines, judged against mismatched-layer controls computed the same way and
 * against B's own units shuffled, whichever is more conservative.
 */
import { decodeQ } from '../fingerprint/sample.js';
import { GRAM_MIN_UNITS, GRAM_UNITS } from '../fingerprint/gram.js';
import type { Correlation } from './vectors.js';
import type { MatchMeasure, TensorRef } from './tensor-match.js';
import { fisherZ, upperTriangleCorrelation } from './stats.js';
import { shuffle } from './rescale.js';

interface Gram {
  n: number;
  /** Full symmetric cosine matrix (diagonal 0), n × n. */
  c: Float64Array;
}

const cache = new WeakMap<TensorRef, { rows?: Gram | null; cols?: Gram | null }>();

function unitsOf(length: number): number {
  return Math.min(length, GRAM_UNITS);
}

function decodeGram(b64: string | undefined, length: number): Gram | null {
  const n = unitsOf(length);
  if (!b64 || n < GRAM_MIN_UNITS) return null;
  let q: Int8Array;
  try {
    q = decodeQ(b64);
  } catch {
    return null;
  }
  if (q.length !== (n * (n - 1)) / 2) return null;
  const c = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = q[k++]! / 127;
      c[i * n + j] = v;
      c[j * n + i] = v;
    }
  }
  return { n, c };
}

export function gramOf(r: TensorRef, axis: 'rows' | 'cols'): Gram | undefined {
  const g = r.fp.gram;
  if (!g || r.fp.shape.length !== 2) return undefined;
  let entry = cache.get(r);
  if (!entry) {
    entry = {};
    cache.set(r, entry);
  }
  if (entry[axis] === undefined) entry[axis] = decodeGram(g[axis], r.fp.shape[axis === 'rows' ? 0 : 1]!);
  return entry[axis] ?? undefined;
}

/** Pearson correlation of the off-diagonal cosines of two Gram matrices over the same units. */
export function gramCorrelation(x: Gram, y: Gram): Correlation | undefined {
  if (x.n !== y.n || x.n < GRAM_MIN_UNITS) return undefined;
  // n(n−1)/2 cosines, but built from n units: with low-rank matrices chance correlations of the
  // pairs spread like those of n observations, not of n(n−1)/2
  return { r: upperTriangleCorrelation(x.c, y.c, x.n), n: (x.n * (x.n - 1)) / 2, dof: x.n };
}

const OWN_DRAWS = 48;

/**
 * B's units shuffled (its Gram matrix's rows and columns permuted alike): the spread of the
 * correlation when the unit correspondence is broken but each Gram matrix keeps its structure. Two
 * low-rank matrices have Gram matrices with few degrees of freedom, and their chance correlations
 * spread far wider than 1/√pairs; this sees that spread for the pair at hand. Symmetric about 0, so
 * given as the controls' null is (|z| half-normal: location 0.674·σ, scale σ).
 */
export function gramOwnNull(x: Gram, y: Gram): { location: number; scale: number } {
  const n = y.n;
  const perm: Gram = { n, c: new Float64Array(n * n) };
  let ss = 0;
  for (let d = 0; d < OWN_DRAWS; d++) {
    const p = shuffle(n, 0x6a3, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) perm.c[i * n + j] = y.c[p[i]! * n + p[j]!]!;
    ss += fisherZ(upperTriangleCorrelation(x.c, perm.c, x.n)) ** 2;
  }
  const sigma = Math.sqrt(ss / OWN_DRAWS);
  return { location: 0.674 * sigma, scale: sigma };
}

function gramMeasure(axis: 'rows' | 'cols'): MatchMeasure {
  const other = axis === 'rows' ? 'cols' : 'rows';
  return {
    usable: (r) => gramOf(r, axis) !== undefined || gramOf(r, other) !== undefined,
    correlate(a, b, transposed): Correlation | undefined {
      const gb = gramOf(b, axis);
      // B's rows are a transposed A's columns (the same hash picks them: equal axis lengths)
      const ga = gramOf(a, transposed ? other : axis);
      return ga && gb ? gramCorrelation(ga, gb) : undefined;
    },
    ownNull(a, b, transposed) {
      const gb = gramOf(b, axis);
      const ga = gramOf(a, transposed ? other : axis);
      return ga && gb && ga.n === gb.n ? gramOwnNull(ga, gb) : undefined;
    },
    sameShapeOnly: true,
    controlledOnly: true,
    heavyTailed: true,
    statistic: axis === 'rows' ? 'gram-rows' : 'gram-cols',
  };
}

/** Readers of a rotated residual stream keep their rows' Gram matrix. */
export const GRAM_ROWS = gramMeasure('rows');
/** Writers of a rotated residual stream keep their columns' Gram matrix. */
export const GRAM_COLS = gramMeasure('cols');
