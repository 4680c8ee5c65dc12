/**
 * Evidence that survives function-preserving disguises, merged with the positional evidence.
 * Each statistic has its own null (mismatched-layer controls, or the matrix itself); a tensor's
 * evidence is the positional one unless another statistic finds it (see merge).
 */
import type { MatchStatistic, TensorMatch, TensorRef } from './tensor-match.js';
import type { Evidence } from './types.js';
import { correlationMatches } from './tensor-match.js';
import { SIGN_SCALE, columnScaleMatches, migratedGains, type GainMigration } from './rescale.js';
import { GRAM_COLS, GRAM_ROWS } from './rotation.js';
import { flatOrderMatches } from './reshape.js';
import { SUB_BLOCK } from './sub-block.js';
import { CHANNELS } from './channels.js';
import { maxOfM } from './stats.js';

export interface InvariantEvidence {
  /** Tensors of B whose evidence now rests on an invariant statistic (positional p was not significant). */
  disguised: TensorMatch[];
}

/** p below which a statistic counts as having found the tensor (what decisions call significant). */
const FOUND_P = 1e-4;

/**
 * Runs every invariant statistic and merges them into `matches` (B index → evidence) in place.
 * Exact copies are kept as they are.
 */
export function mergeInvariantEvidence(
  A: TensorRef[],
  B: TensorRef[],
  exact: Map<number, TensorMatch>,
  matches: Map<number, TensorMatch>,
  sampling: { k: number; seed: number },
): InvariantEvidence {
  const columnScale = columnScaleMatches(A, B, sampling.k, sampling.seed);
  const alternatives: Array<Map<number, TensorMatch>> = [
    correlationMatches(A, B, exact, 'learned', { measure: SIGN_SCALE }).matches,
    columnScale,
    correlationMatches(A, B, exact, 'learned', { measure: GRAM_ROWS }).matches,
    correlationMatches(A, B, exact, 'learned', { measure: GRAM_COLS }).matches,
    flatOrderMatches(A, B, exact),
    correlationMatches(A, B, exact, 'learned', { measure: SUB_BLOCK }).matches,
    foundOnly(correlationMatches(A, B, exact, 'learned', { measure: CHANNELS }).matches),
  ];
  return { disguised: merge(matches, alternatives) };
}

/**
 * Only the tensors a statistic found: a channel alignment that finds nothing is no evidence of
 * independence (its profiles are summaries, a weak test for a matrix's two numbers per channel),
 * so a tensor it alone could pair stays unaligned, as before it was tried.
 */
function foundOnly(matches: Map<number, TensorMatch>): Map<number, TensorMatch> {
  return new Map([...matches].filter(([, m]) => m.p < FOUND_P));
}

/**
 * Norm gains of B that were rescaled into the matrices reading them (SmoothQuant/AWQ migration)
 * are no evidence either way: removed from `vectors` (B index → evidence) in place, returned for
 * the report.
 */
export function dropMigratedGains(A: TensorRef[], B: TensorRef[], vectors: Map<number, TensorMatch>): GainMigration[] {
  const migrated = migratedGains(A, B);
  for (const m of migrated) if (!vectors.get(m.b.index)?.exact) vectors.delete(m.b.index);
  return migrated;
}

/** A statistic this significant decides on its own: it is reported as it stands. */
const DECISIVE_P = 1e-8;

/**
 * Merges the statistics of each tensor. The positional evidence stands as it is unless another
 * statistic finds the tensor (p < 1e-4 after a Šidák correction for the number tried,
 * 1 − (1 − p)^k): then the most significant one is the evidence, corrected the same way. Trying
 * several statistics never makes chance look like reuse, and a model without disguises is judged
 * exactly as by position alone. The match shown is the prior one (positional, or column alignment)
 * whenever that is decisive by itself.
 */
function merge(matches: Map<number, TensorMatch>, alternatives: Array<Map<number, TensorMatch>>): TensorMatch[] {
  const disguised: TensorMatch[] = [];
  const indices = new Set<number>();
  for (const alt of alternatives) for (const i of alt.keys()) indices.add(i);
  for (const i of indices) {
    const prior = matches.get(i);
    if (prior?.exact) continue;
    const found = alternatives.map((alt) => alt.get(i)).filter((m): m is TensorMatch => !!m);
    const k = found.length + (prior ? 1 : 0);
    const best = found.reduce((x, y) => (y.p < x.p ? y : x));
    if (prior && maxOfM(best.p, k) >= FOUND_P) continue;
    const shown = prior && (prior.p <= best.p || maxOfM(prior.p, k) <= DECISIVE_P) ? prior : best;
    const merged: TensorMatch = { ...shown, p: maxOfM(shown.p, k) };
    if (shown !== prior && prior?.r !== undefined) merged.positionalR = prior.r;
    matches.set(i, merged);
    if (merged.statistic && merged.p < FOUND_P && !(prior && prior.p < FOUND_P)) disguised.push(merged);
  }
  return disguised;
}

const WHAT: Record<Exclude<MatchStatistic, 'positional'>, string> = {
  'sign-scale':
    'correlation after fitting a scale and a sign per row and per column (per-unit rescaling and sign ' +
    'flips undone; Sinkhorn-normalised grids)',
  'column-scale':
    "hidden columns compared with A's column of the same index over the shared token rows, any sign or " +
    'scale (|r| per column)',
  'gram-rows': "rows' cosine Gram matrix (unchanged by a rotation of the residual stream: readers W·Q)",
  'gram-cols': "columns' cosine Gram matrix (unchanged by a rotation of the residual stream: writers Qᵀ·W)",
  'flat-order': 'values compared in flat order (equal element counts, another shape)',
  'sub-block':
    'cosine Gram matrix of the units both shapes share (rows of equal length, or columns): a copy stacked ' +
    'with other rows or columns, or pruned of some, keeps it',
  channels:
    "per-channel profiles (scale and kernel shape) aligned in order to A's channels (a channel-pruned " +
    "convolution or matrix keeps them; null: B's own channels shuffled and aligned the same way)",
};

function fmt(x: number, d = 2): string {
  return Number.isFinite(x) ? x.toFixed(d) : String(x);
}

/** One line per invariant statistic that carries evidence: what it compared and against which null. */
export function describeInvariant(compared: TensorMatch[]): Evidence[] {
  const out: Evidence[] = [];
  const byStat = new Map<MatchStatistic, TensorMatch[]>();
  for (const m of compared) {
    if (m.exact || !m.statistic || m.statistic === 'positional') continue;
    const list = byStat.get(m.statistic) ?? [];
    list.push(m);
    byStat.set(m.statistic, list);
  }
  for (const [stat, list] of byStat) {
    const strongest = list.reduce((x, y) => (y.p < x.p ? y : x));
    const significant = list.filter((m) => m.p < 1e-4).length;
    const mean = fmt(strongest.null?.mean ?? NaN, 3);
    const spread = fmt(Math.tanh(strongest.null?.std ?? NaN), 3);
    const nullText =
      strongest.nullSource === 'self'
        ? `null from A's own columns shuffled: r ${mean} ± ${fmt(strongest.null?.std ?? NaN, 3)}`
        : `null from mismatched layers computed the same way: r ${mean} ± ${spread}`;
    const p = strongest.p < 1e-300 ? '< 1e-300' : strongest.p.toExponential(1);
    const what = WHAT[stat as Exclude<MatchStatistic, 'positional'>];
    out.push({
      kind: 'correlation',
      detail:
        `${list.length} tensor(s) judged by ${what}: ${significant} significant (p < 1e-4, corrected for the ` +
        `statistics tried); strongest ${strongest.b.fp.name} ↔ A's ${strongest.a?.fp.name}` +
        `${strongest.transposed ? ' (transposed)' : ''}: r ${fmt(strongest.r ?? NaN, 3)}, ${nullText}, p ${p}`,
      a: strongest.a?.fp.name,
      b: strongest.b.fp.name,
      score: strongest.r,
      z: strongest.z,
      p_value: strongest.p,
    });
  }
  return out;
}
