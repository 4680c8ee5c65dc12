/**
 * Copies stacked with other rows or columns, or pruned of some (`stack-random`: [R, C] stored as
 * [random R × C; A] = [2R, C]; channel pruning). Position by index lines up only the first rows, which
 * may be the added ones. The units both shapes share keep their geometry: the columns of [X; A] are
 * A's columns lengthened by X's, so their cosine Gram matrix is A's plus noise (and a pruned matrix's
 * is A's over fewer rows). fingerprint/gram.ts keeps the Gram of ≤ 32 hash-chosen full rows and full
 * columns, picked by the axis length alone, so equal axes pick the same units whatever the other
 * axis. Judged like the rotation statistic: mismatched-layer controls of the same shape class and B's
 * own units shuffled, whichever is more conservative.
 */
import type { Correlation } from './vectors.js';
import type { MatchMeasure, TensorRef } from './tensor-match.js';
import { gramCorrelation, gramOf, gramOwnNull } from './rotation.js';
import { push } from '../util/collections.js';

/** The axis whose units both matrices share (equal length), the other axis differing. */
function sharedAxis(a: TensorRef, b: TensorRef): 'rows' | 'cols' | undefined {
  const [ra, ca] = a.fp.shape;
  const [rb, cb] = b.fp.shape;
  if (a.fp.shape.length !== 2 || b.fp.shape.length !== 2) return undefined;
  if (ra === rb && ca !== cb) return 'rows';
  if (ca === cb && ra !== rb) return 'cols';
  return undefined;
}

function grams(a: TensorRef, b: TensorRef) {
  const axis = sharedAxis(a, b);
  if (!axis) return undefined;
  const ga = gramOf(a, axis);
  const gb = gramOf(b, axis);
  return ga && gb && ga.n === gb.n ? { ga, gb } : undefined;
}

export const SUB_BLOCK: MatchMeasure = {
  usable: (r) => r.fp.shape.length === 2 && (gramOf(r, 'rows') !== undefined || gramOf(r, 'cols') !== undefined),
  candidates(A, cls) {
    const byRows = new Map<number, TensorRef[]>();
    const byCols = new Map<number, TensorRef[]>();
    for (const a of A) {
      if (a.cls !== cls || a.tiedTo !== undefined || a.fp.shape.length !== 2 || !a.fp.gram) continue;
      push(byRows, a.fp.shape[0]!, a);
      push(byCols, a.fp.shape[1]!, a);
    }
    return (b) => {
      if (b.fp.shape.length !== 2) return [];
      const out = new Set<TensorRef>();
      for (const a of byRows.get(b.fp.shape[0]!) ?? []) if (sharedAxis(a, b)) out.add(a);
      for (const a of byCols.get(b.fp.shape[1]!) ?? []) if (sharedAxis(a, b)) out.add(a);
      return [...out].map((a) => ({ a, transposed: false }));
    };
  },
  correlate(a, b): Correlation | undefined {
    const g = grams(a, b);
    return g ? gramCorrelation(g.ga, g.gb) : undefined;
  },
  ownNull(a, b) {
    const g = grams(a, b);
    return g ? gramOwnNull(g.ga, g.gb) : undefined;
  },
  controlledOnly: true,
  heavyTailed: true,
  statistic: 'sub-block',
};
