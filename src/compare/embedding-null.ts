/**
 * A matrix's own null. Mismatched-layer controls answer "how alike are two unrelated layers?",
 * which is the wrong question for a matrix with one axis both models share and one they do not:
 * an embedding's token rows are the same tokens in both models (same tokenizer), its hidden
 * columns are each model's own random basis. Trained embeddings carry a dominant token-axis
 * profile (frequency; 67–98 % of the variance in the real llama2.c models here), the same in any
 * two models that share a tokenizer, so their Pearson correlation is that profile times the cosine
 * of two random hidden directions: |r| 0.1–0.2 at width 64, far outside the spread of unrelated
 * layers (r 0.02 ± 0.03) but no evidence of anything.
 *
 * The null here keeps every structure of the pair except the alignment of one axis: A's sampled
 * columns (or rows) are permuted among themselves, each with a random sign, and the correlation
 * with B recomputed. Whichever axis is the models' own basis, a random signed permutation of it
 * gives the spread a random relative basis gives (a permutation alone would keep a direction shared
 * by all units, such as a common offset, aligned); the wider of the two axes is used.
 */
import { fisherZ } from './stats.js';
import type { SampleVector } from './vectors.js';

/** Permutations drawn per axis. */
const DRAWS = 48;

/** Deterministic permutation stream (mulberry32), seeded per axis length so results are stable. */
function shuffler(seed: number): (n: number, out: Uint32Array) => void {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n, out) => {
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
  };
}

/** Deterministic random ±1 per position (xorshift32). */
function signs(seed: number): (n: number, out: Float32Array) => void {
  let s = seed >>> 0 || 1;
  return (n, out) => {
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] = (s >>> 0) & 1 ? 1 : -1;
    }
  };
}

interface OwnNull {
  /**
   * Location and scale of |Fisher z| under permutations of the axis that gave the wider spread, in
   * the form the controls' null takes: the spread σ is the RMS of the permuted z (a symmetric null),
   * the location σ's half-normal median 0.674·σ, the scale σ itself.
   */
  location: number;
  scale: number;
  axis: 'rows' | 'columns';
}

/**
 * The null of |Fisher z(r)| between A and B with one axis of A's sampled grid permuted. Needs the
 * two samples on the same grid (equal shapes); an axis with fewer than 8 sampled positions is not
 * permuted. Undefined when neither axis can be.
 */
export function ownMatrixNull(a: SampleVector, b: SampleVector): OwnNull | undefined {
  const nr = a.plan.rows.length;
  const nc = a.plan.cols.length;
  if (nr !== b.plan.rows.length || nc !== b.plan.cols.length || a.unit.length !== b.unit.length) return undefined;
  if (nr * nc < 64 || !a.varies || !b.varies) return undefined;
  const ua = a.unit;
  const ub = b.unit;
  let best: OwnNull | undefined;
  for (const axis of ['columns', 'rows'] as const) {
    const n = axis === 'columns' ? nc : nr;
    // too few positions on an axis to permute (a run-layout sample keeps ~3 rows of a large matrix)
    if (n < 8) continue;
    const perm = new Uint32Array(n);
    const sign = new Float32Array(n);
    const shuffle = shuffler(0x9e3779b9 ^ Math.imul(n, 2654435761) ^ (axis === 'rows' ? 0x55 : 0));
    const flip = signs(0x85ebca6b ^ Math.imul(n, 40503) ^ (axis === 'rows' ? 0x33 : 0));
    let ss = 0;
    for (let d = 0; d < DRAWS; d++) {
      shuffle(n, perm);
      flip(n, sign);
      let dot = 0;
      let sum = 0;
      if (axis === 'columns') {
        for (let i = 0; i < nr; i++) {
          const base = i * nc;
          for (let j = 0; j < nc; j++) {
            const x = sign[j]! * ua[base + perm[j]!]!;
            dot += x * ub[base + j]!;
            sum += x;
          }
        }
      } else {
        for (let i = 0; i < nr; i++) {
          const ba = perm[i]! * nc;
          const bb = i * nc;
          for (let j = 0; j < nc; j++) {
            const x = sign[i]! * ua[ba + j]!;
            dot += x * ub[bb + j]!;
            sum += x;
          }
        }
      }
      // B's unit vector is centred, so the dot product needs only A's norm after re-centring
      const r = dot / Math.sqrt(Math.max(1e-12, 1 - (sum * sum) / (nr * nc)));
      ss += fisherZ(r) ** 2;
    }
    const sigma = Math.sqrt(ss / DRAWS);
    if (!best || sigma > best.scale) best = { location: 0.674 * sigma, scale: sigma, axis };
  }
  return best;
}
