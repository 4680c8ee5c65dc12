/**
 * Sign- and scale-invariant evidence. Function-preserving disguises rescale hidden units
 * (SmoothQuant/AWQ fold a scale into a norm gain and the next matrix's columns; an FFN unit's up
 * row ×s with its down column ÷s) and flip their signs (a unit's incoming row and outgoing column
 * negated). With balanced flips a plain Pearson over the matrix goes to ~0 and rescaling weakens
 * it, while each unit still holds A's values up to its factor.
 *
 * Two statistics, each with a null from the pair or from the matrix itself:
 * - On same-shape grid samples: both grids are brought to unit RMS per row and per column
 *   (Sinkhorn), which removes any positive per-row and per-column factor exactly; then one sign per
 *   row and per column is fitted (the rank-one sign pattern of the elementwise product, by power
 *   iteration) and the fitted correlation is the statistic. Fitting inflates it under the null
 *   (≈ 1/√rows + 1/√cols), so it is only judged against mismatched-layer controls computed the same
 *   way (MatchMeasure.controlledOnly).
 * - On embedding-like matrices (token rows kept in full): the |Pearson| of each hidden column with
 *   A's column of the same index over the shared token rows, averaged (Fisher z). The null comes
 *   from A's own columns shuffled: under independence B's column j is no closer to A's column j
 *   than to any other, whatever structure a shared tokenizer gives both.
 */
import type { Correlation } from './vectors.js';
import type { MatchMeasure, TensorMatch, TensorRef } from './tensor-match.js';
import { fullRowColumns, type Columns } from './permuted.js';
import { fisherZ, normalSf } from './stats.js';
import { hash32 } from '../fingerprint/sample.js';

/** Rows and columns a grid needs for a fit that is not dominated by its own inflation. */
const MIN_SIDE = 8;
const SINKHORN_ROUNDS = 12;
const POWER_ROUNDS = 30;

interface Grid {
  rows: number;
  cols: number;
  /** Row-major, unit RMS per row and per column. */
  x: Float64Array;
}

const grids = new WeakMap<TensorRef, Grid | null>();

/** The grid sample with its true values (centre added back: signs must survive), Sinkhorn-normalised. */
function normalisedGrid(r: TensorRef): Grid | undefined {
  const cached = grids.get(r);
  if (cached !== undefined) return cached ?? undefined;
  let out: Grid | null = null;
  const v = r.vec;
  if (v?.varies) {
    const rows = v.plan.rows.length;
    const cols = v.plan.cols.length;
    if (rows >= MIN_SIDE && cols >= MIN_SIDE && v.values.length === rows * cols) {
      const x = Float64Array.from(v.values, (q) => q + v.center);
      if (sinkhorn(x, rows, cols)) out = { rows, cols, x };
    }
  }
  grids.set(r, out);
  return out ?? undefined;
}

/** Alternately scales rows and columns to unit RMS; false when a row or column is all zero. */
export function sinkhorn(x: Float64Array, rows: number, cols: number, rounds = SINKHORN_ROUNDS): boolean {
  const colSS = new Float64Array(cols);
  for (let it = 0; it < rounds; it++) {
    for (let i = 0; i < rows; i++) {
      let ss = 0;
      for (let j = 0; j < cols; j++) ss += x[i * cols + j]! ** 2;
      if (!(ss > 0)) return false;
      const f = Math.sqrt(cols / ss);
      for (let j = 0; j < cols; j++) x[i * cols + j]! *= f;
    }
    colSS.fill(0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) colSS[j]! += x[i * cols + j]! ** 2;
    for (let j = 0; j < cols; j++) {
      if (!(colSS[j]! > 0)) return false;
      colSS[j] = Math.sqrt(rows / colSS[j]!);
    }
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[i * cols + j]! *= colSS[j]!;
  }
  return true;
}

/**
 * Correlation of Y with diag(s)·X·diag(t) for the best-fitting signs s (rows) and t (columns): the
 * leading singular vectors of X∘Y give the sign pattern, refined by alternating majority votes.
 */
export function signFittedCorrelation(x: Float64Array, y: Float64Array, rows: number, cols: number): number {
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = x[i]! * y[i]!;
  const u = new Float64Array(rows);
  const v = new Float64Array(cols);
  // a fixed, irregular start: never orthogonal to a balanced sign pattern
  for (let j = 0; j < cols; j++) v[j] = 1 + 0.5 * Math.sin(1.7 * j + 0.3);
  for (let it = 0; it < POWER_ROUNDS; it++) {
    u.fill(0);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += m[i * cols + j]! * v[j]!;
      u[i] = s;
    }
    normalise(u);
    v.fill(0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) v[j]! += m[i * cols + j]! * u[i]!;
    normalise(v);
  }
  const s = Int8Array.from(u, (a) => (a < 0 ? -1 : 1));
  const t = Int8Array.from(v, (a) => (a < 0 ? -1 : 1));
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < rows; i++) {
      let acc = 0;
      for (let j = 0; j < cols; j++) acc += m[i * cols + j]! * t[j]!;
      s[i] = acc < 0 ? -1 : 1;
    }
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let i = 0; i < rows; i++) acc += m[i * cols + j]! * s[i]!;
      t[j] = acc < 0 ? -1 : 1;
    }
  }
  let sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  const n = rows * cols;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const a = x[i * cols + j]! * s[i]! * t[j]!;
      const b = y[i * cols + j]!;
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
  }
  const cov = sxy - (sx * sy) / n;
  const va = sxx - (sx * sx) / n;
  const vb = syy - (sy * sy) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

function normalise(a: Float64Array): void {
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += a[i]! * a[i]!;
  const f = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let i = 0; i < a.length; i++) a[i]! *= f;
}

/** Shuffles of B's rows and columns for the fitted statistic's own null. */
const OWN_DRAWS = 24;

/**
 * The fitted correlation with B's grid rows and columns shuffled (every structure of each matrix
 * kept, the unit correspondence broken): mean and spread of its Fisher z. The fit's inflation
 * depends on the pair's own matrices (heavy-tailed or low-rank grids inflate it more).
 */
function signScaleOwnNull(ga: Grid, gb: Grid): { location: number; scale: number } {
  const { rows, cols } = gb;
  const y = new Float64Array(rows * cols);
  const zs: number[] = [];
  for (let d = 0; d < OWN_DRAWS; d++) {
    const pr = shuffle(rows, 0x51a7, 2 * d);
    const pc = shuffle(cols, 0x51a7, 2 * d + 1);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) y[i * cols + j] = gb.x[pr[i]! * cols + pc[j]!]!;
    zs.push(Math.abs(fisherZ(signFittedCorrelation(ga.x, y, rows, cols))));
  }
  const mean = zs.reduce((s, v) => s + v, 0) / zs.length;
  const sd = Math.sqrt(zs.reduce((s, v) => s + (v - mean) ** 2, 0) / (zs.length - 1));
  return { location: mean, scale: sd };
}

/** Same-shape grids compared after per-row and per-column scales and signs are fitted. */
export const SIGN_SCALE: MatchMeasure = {
  ownNull(a, b, transposed) {
    const ga = normalisedGrid(a);
    const gb = normalisedGrid(b);
    if (transposed || !ga || !gb || ga.rows !== gb.rows || ga.cols !== gb.cols) return undefined;
    return signScaleOwnNull(ga, gb);
  },
  usable: (r) => normalisedGrid(r) !== undefined,
  correlate(a, b, transposed): Correlation | undefined {
    if (transposed) return undefined;
    const ga = normalisedGrid(a);
    const gb = normalisedGrid(b);
    if (!ga || !gb || ga.rows !== gb.rows || ga.cols !== gb.cols) return undefined;
    return { r: signFittedCorrelation(ga.x, gb.x, ga.rows, ga.cols), n: ga.rows * ga.cols };
  },
  sameShapeOnly: true,
  controlledOnly: true,
  heavyTailed: true,
  statistic: 'sign-scale',
};

/** Shuffles of A's columns that make the embedding null. */
const NULL_SHUFFLES = 48;
const MIN_TOKEN_ROWS = 16;

export interface ColumnScaleMatch {
  /** Shared token rows and hidden columns compared. */
  rows: number;
  columns: number;
  /** Median |r| of a column with A's column of the same index. */
  medianR: number;
  /** Same statistic with A's columns shuffled: mean and std (r space / Fisher z). */
  nullR: number;
  nullSd: number;
}

/** Per-column |Pearson| over shared rows, averaged in Fisher z; perm maps B's column j to A's. */
function meanColumnZ(ua: Float64Array[], ub: Float64Array[], perm?: Int32Array): number {
  let s = 0;
  for (let j = 0; j < ub.length; j++) {
    const x = ua[perm ? perm[j]! : j]!;
    const y = ub[j]!;
    let dot = 0;
    for (let i = 0; i < y.length; i++) dot += x[i]! * y[i]!;
    s += Math.abs(fisherZ(dot));
  }
  return s / ub.length;
}

/** Each column over the shared rows, centred and unit-normalised (a zero column stays zero). */
function unitColumns(cols: Columns, rowIdx: number[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < cols.C; c++) {
    const v = new Float64Array(rowIdx.length);
    let m = 0;
    rowIdx.forEach((ri, i) => {
      v[i] = cols.values[ri * cols.C + c]!;
      m += v[i]!;
    });
    m /= rowIdx.length;
    let ss = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] = v[i]! - m;
      ss += v[i]! * v[i]!;
    }
    const f = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * f;
    out.push(v);
  }
  return out;
}

/** A deterministic shuffle of 0..n−1 (Fisher–Yates over a hashed counter). */
export function shuffle(n: number, seed: number, draw: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = hash32(seed, 0x5a17 + draw, i) % (i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

interface ColumnTest extends ColumnScaleMatch {
  /** Mean Fisher z of the in-place columns, and of the shuffles. */
  observed: number;
  nullMean: number;
}

export function compareColumnsInPlace(a: Columns, b: Columns, seed: number): ColumnTest | undefined {
  if (a.axis !== 'columns' || b.axis !== 'columns' || a.C !== b.C || a.C < MIN_SIDE) return undefined;
  const posA = new Map<number, number>();
  a.rows.forEach((r, i) => {
    posA.set(r, i);
  });
  const ra: number[] = [];
  const rb: number[] = [];
  b.rows.forEach((r, i) => {
    const j = posA.get(r);
    if (j !== undefined) {
      ra.push(j);
      rb.push(i);
    }
  });
  if (ra.length < MIN_TOKEN_ROWS) return undefined;
  const ua = unitColumns(a, ra);
  const ub = unitColumns(b, rb);
  const observed = meanColumnZ(ua, ub);
  const draws: number[] = [];
  for (let k = 0; k < NULL_SHUFFLES; k++) draws.push(meanColumnZ(ua, ub, shuffle(a.C, seed, k)));
  const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
  const sd = Math.sqrt(draws.reduce((x, y) => x + (y - mean) ** 2, 0) / (draws.length - 1));
  const rs: number[] = [];
  for (let j = 0; j < ub.length; j++) {
    let dot = 0;
    for (let i = 0; i < ub[j]!.length; i++) dot += ua[j]![i]! * ub[j]![i]!;
    rs.push(Math.abs(dot));
  }
  rs.sort((x, y) => x - y);
  return {
    rows: ra.length,
    columns: a.C,
    medianR: rs[rs.length >> 1]!,
    nullR: Math.tanh(mean),
    nullSd: sd,
    observed,
    nullMean: mean,
  };
}

/**
 * Embedding-like tensors of B compared column by column with A's (same hidden index, any sign or
 * scale), against A's own columns shuffled.
 */
export function columnScaleMatches(
  A: TensorRef[],
  B: TensorRef[],
  k: number,
  seed: number,
): Map<number, TensorMatch & { columnScale: ColumnScaleMatch }> {
  const out = new Map<number, TensorMatch & { columnScale: ColumnScaleMatch }>();
  const candidates = A.filter((a) => a.fp.fullRows && a.tiedTo === undefined && a.cls === 'learned')
    .map((a) => ({ a, cols: fullRowColumns(a.fp, k, seed) }))
    .filter((c): c is { a: TensorRef; cols: Columns } => c.cols !== undefined);
  for (const b of B) {
    if (!b.fp.fullRows || b.tiedTo !== undefined || b.cls !== 'learned') continue;
    const bc = fullRowColumns(b.fp, k, seed);
    if (!bc) continue;
    let best: { a: TensorRef; m: ColumnTest; z: number } | undefined;
    let tried = 0;
    for (const { a, cols } of candidates) {
      const m = compareColumnsInPlace(cols, bc, seed);
      if (!m) continue;
      tried++;
      // the shuffles' spread, never below the sampling error of a mean over every compared value
      const scale = Math.max(m.nullSd, 1 / Math.sqrt(Math.max(1, m.rows * m.columns - 3)));
      const z = (m.observed - m.nullMean) / scale;
      if (!best || z > best.z) best = { a, m, z };
    }
    if (!best) continue;
    const { a, m, z } = best;
    const p = Math.min(1, tried * normalSf(z));
    const columnScale: ColumnScaleMatch = {
      rows: m.rows,
      columns: m.columns,
      medianR: m.medianR,
      nullR: m.nullR,
      nullSd: m.nullSd,
    };
    out.set(b.index, {
      b,
      a,
      r: m.medianR,
      n: m.rows,
      candidates: tried,
      z,
      p,
      nullSource: 'self',
      null: { mean: m.nullR, std: m.nullSd },
      statistic: 'column-scale',
      columnScale,
    });
  }
  return out;
}

/** Matrices that read the output of each kind of norm (the gain multiplies their input columns). */
const READER_ROLES: Record<string, string[]> = {
  'norm.attn': ['attn.q', 'attn.k', 'attn.v', 'attn.qkv'],
  'norm.mlp': ['mlp.gate', 'mlp.up'],
  'norm.final': ['head'],
};

function roleOf(r: TensorRef): string {
  return r.roleKey.split('|')[1] ?? '';
}

/** Per sampled input column of the readers: log RMS over the sampled rows (true values). */
interface ColumnScales {
  cols: Uint32Array;
  logRms: Float64Array;
}

function readerColumnScales(readers: TensorRef[], d: number): ColumnScales | undefined {
  const usable = readers.filter((r) => r.vec?.varies && r.fp.shape.length === 2 && r.fp.shape[1] === d);
  if (usable.length === 0) return undefined;
  const cols = usable[0]!.vec!.plan.cols;
  const logRms = new Float64Array(cols.length);
  for (const r of usable) {
    const v = r.vec!;
    const nr = v.plan.rows.length;
    const nc = v.plan.cols.length;
    if (nc !== cols.length) return undefined;
    for (let j = 0; j < nc; j++) {
      let ss = 0;
      for (let i = 0; i < nr; i++) ss += (v.values[i * nc + j]! + v.center) ** 2;
      logRms[j]! += Math.log(Math.sqrt(ss / nr) + 1e-30) / usable.length;
    }
  }
  return { cols, logRms };
}

/** Gain values at the given columns (a gain's sample covers every index up to 4,096 of them). */
function gainAt(g: TensorRef, cols: Uint32Array): Float64Array | undefined {
  const v = g.vec;
  if (v?.plan.rows.length !== 1) return undefined;
  const pos = new Map<number, number>();
  v.plan.cols.forEach((c, i) => {
    pos.set(c, i);
  });
  const out = new Float64Array(cols.length);
  for (let j = 0; j < cols.length; j++) {
    const i = pos.get(cols[j]!);
    if (i === undefined) return undefined;
    out[j] = v.values[i]! + v.center;
  }
  return out;
}

/** A migration moves the gain by exactly the inverse of the columns: slope −1, |r| near 1. */
const MIGRATION_R = -0.8;
const MIGRATION_SLOPE: [number, number] = [-1.25, -0.8];
/** Gains that moved less than this (sd of log ratio) were not rescaled in any way that matters. */
const MIGRATION_MIN_SD = 0.05;

export interface GainMigration {
  /** B's norm gain, and A's of the same role and layer. */
  b: TensorRef;
  a: TensorRef;
  /** Correlation and slope of log|g_B/g_A| on log(RMS_B/RMS_A) of the reading columns. */
  r: number;
  slope: number;
  /** Spread of log|g_B/g_A|: how much the gain moved. */
  sd: number;
  channels: number;
}

/**
 * SmoothQuant/AWQ migrate a per-channel scale between a norm gain and the columns of the matrices
 * that read it (gain ÷ s, columns × s): the product is A's, the stored gain is not. Such a gain is
 * no evidence either way (neither inherited nor "trained separately"): this finds the gains of B
 * whose change the reading columns compensate, channel by channel (log|g_B/g_A| = −log(RMS_B/RMS_A)
 * with slope −1). Training moves gains and columns without that exact inverse relation (gains and
 * reading columns of trained models grow together: within-model correlation +0.3…+0.8 on the
 * llama2.c models and the trained siblings).
 */
export function migratedGains(A: TensorRef[], B: TensorRef[]): GainMigration[] {
  const index = (refs: TensorRef[]) => {
    const byRoleLayer = new Map<string, TensorRef[]>();
    for (const r of refs) {
      const key = `${roleOf(r)}|${r.layer ?? ''}`;
      const list = byRoleLayer.get(key) ?? [];
      list.push(r);
      byRoleLayer.set(key, list);
    }
    return byRoleLayer;
  };
  const ia = index(A);
  const ib = index(B);
  const scalesOf = (g: TensorRef, byRoleLayer: Map<string, TensorRef[]>) => {
    const role = roleOf(g);
    const layer = role === 'norm.final' ? '' : String(g.layer ?? '');
    const readers = (READER_ROLES[role] ?? []).flatMap((r) =>
      (byRoleLayer.get(`${r}|${layer}`) ?? []).filter((x) => x.cls === 'learned'),
    );
    return g.fp.shape.length === 1 ? readerColumnScales(readers, g.fp.shape[0]!) : undefined;
  };
  const out: GainMigration[] = [];
  for (const b of B) {
    if (b.cls !== 'vector' || READER_ROLES[roleOf(b)] === undefined || !b.vec) continue;
    const key = `${roleOf(b)}|${roleOf(b) === 'norm.final' ? '' : (b.layer ?? '')}`;
    const a = (ia.get(key) ?? []).find((x) => x.cls === 'vector' && x.fp.shape[0] === b.fp.shape[0]);
    if (!a?.vec) continue;
    const sb = scalesOf(b, ib);
    const sa = scalesOf(a, ia);
    if (!sa || !sb || sa.cols.length !== sb.cols.length) continue;
    const ga = gainAt(a, sa.cols);
    const gb = gainAt(b, sb.cols);
    if (!ga || !gb) continue;
    const x: number[] = [];
    const y: number[] = [];
    for (let j = 0; j < ga.length; j++) {
      if (!(Math.abs(ga[j]!) > 0 && Math.abs(gb[j]!) > 0)) continue;
      y.push(Math.log(Math.abs(gb[j]!) / Math.abs(ga[j]!)));
      x.push(sb.logRms[j]! - sa.logRms[j]!);
    }
    if (x.length < 16) continue;
    const { r, slope, sdY } = regression(x, y);
    if (r <= MIGRATION_R && slope >= MIGRATION_SLOPE[0] && slope <= MIGRATION_SLOPE[1] && sdY >= MIGRATION_MIN_SD)
      out.push({ b, a, r, slope, sd: sdY, channels: x.length });
  }
  return out;
}

/** Least-squares slope of y on x, their correlation and y's spread. */
function regression(x: number[], y: number[]): { r: number; slope: number; sdY: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return {
    r: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0,
    slope: sxx > 0 ? sxy / sxx : 0,
    sdY: Math.sqrt(syy / n),
  };
}
