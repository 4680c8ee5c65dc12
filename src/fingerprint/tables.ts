/**
 * Computed tables stored as weights. Whisper, Marian, Pegasus, FSMT, XLM and others keep a
 * sinusoidal position table in `embed_positions.weight` (frozen, never trained): two independent
 * models hold it bit for bit, so it must never count as evidence of copying.
 *
 * Two tests, both on the coordinate sample, so they work in sketch mode and on registry entries
 * made before them:
 * - the standard formulas regenerated at the sampled coordinates (fairseq/Whisper/tensor2tensor
 *   frequencies base^(−j/(h−1)) and Vaswani/Marian/XLM frequencies base^(−2j/d); sin and cos in
 *   concatenated halves or interleaved, either first; positions on either axis);
 * - for variants no formula names (another base, a scaled table), each sampled line is fitted by a
 *   sinusoid in its index along each axis (a least-squares periodogram over the sampled, unevenly
 *   spaced positions): a table is a sinusoid along its position axis in every column.
 */
import {
  decodeQ,
  layoutOf,
  planSample,
  DEFAULT_SAMPLE_K,
  DEFAULT_SAMPLE_SEED,
  RUNS_LAYOUT,
  type SamplePlan,
} from './sample.js';
import type { TensorFingerprint } from './types.js';

/** A document's `sampling`: the coordinates depend on its layout too (absent: schema 1's grid). */
export interface Sampling {
  k: number;
  seed: number;
  layout?: string;
  runsAbove?: number;
}

interface TableMatch {
  /** Human-readable: which formula (or which axis the sinusoids run along). */
  formula: string;
  /** Share of sampled coordinates (or lines) that fit. */
  fit: number;
}

/** Sampled values in the tensor's units, with the grid they sit on. */
interface Grid {
  /** The R × C view (first axis × the rest); the standard formulas need a 2-D table. */
  plan: SamplePlan;
  twoD: boolean;
  values: Float32Array;
  /** Decoding error bound of one value (int8 step). */
  step: number;
}

function gridOf(t: TensorFingerprint, s: Sampling): Grid | undefined {
  if (!t.sample || t.shape.filter((d) => d > 1).length < 2) return undefined;
  const plan = planSample(t.shape, s.k, s.seed, layoutOf(s));
  if (t.sample.rows !== plan.rows.length || t.sample.cols !== plan.cols.length) return undefined;
  const q = decodeQ(t.sample.q);
  if (q.length !== plan.rows.length * plan.cols.length) return undefined;
  const values = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) values[i] = t.sample.center + t.sample.scale * q[i]!;
  // singleton axes (a [1, P, D] table) do not change the layout
  const dims = t.shape.filter((d) => d > 1);
  const twoD = dims.length === 2 && plan.R * plan.C === dims[0]! * dims[1]! && plan.R === dims[0];
  return { plan, values, step: t.sample.scale, twoD };
}

type Frequencies = 'fairseq' | 'vaswani';
type Layout = 'halves' | 'interleaved';

interface Formula {
  freq: Frequencies;
  layout: Layout;
  cosFirst: boolean;
  /** Positions run along the columns (a transposed table). */
  transposed: boolean;
}

const BASE = 10000;

/** Value of a standard table at (position, channel) for a table of `d` channels. */
function tableValue(f: Formula, pos: number, ch: number, d: number): number {
  const half = Math.floor(d / 2);
  let j: number;
  let second: boolean;
  if (f.layout === 'halves') {
    // Marian puts the extra channel of an odd width in the first half; fairseq pads with a zero column
    const firstLen = f.freq === 'vaswani' ? d - half : half;
    second = ch >= firstLen;
    j = second ? ch - firstLen : ch;
    if (f.freq === 'fairseq' && ch >= 2 * half) return 0;
  } else {
    j = ch >> 1;
    second = (ch & 1) === 1;
    if (ch >= 2 * half) return 0;
  }
  const inv = f.freq === 'fairseq' ? Math.exp((-j * Math.log(BASE)) / Math.max(1, half - 1)) : BASE ** ((-2 * j) / d);
  const a = pos * inv;
  return second !== f.cosFirst ? Math.cos(a) : Math.sin(a);
}

function describe(f: Formula): string {
  const freq =
    f.freq === 'fairseq'
      ? 'frequencies 10000^(−j/(d/2−1)) (fairseq, Whisper)'
      : 'frequencies 10000^(−2j/d) (Vaswani, Marian)';
  const layout =
    f.layout === 'halves'
      ? `${f.cosFirst ? 'cos | sin' : 'sin | cos'} in halves`
      : `${f.cosFirst ? 'cos, sin' : 'sin, cos'} interleaved`;
  return `sinusoidal position table, ${layout}, ${freq}${f.transposed ? ', stored transposed' : ''}`;
}

const FORMULAS: Formula[] = [];
for (const freq of ['fairseq', 'vaswani'] as const)
  for (const layout of ['halves', 'interleaved'] as const)
    for (const cosFirst of [false, true])
      for (const transposed of [false, true]) FORMULAS.push({ freq, layout, cosFirst, transposed });

/** Share of coordinates allowed to disagree (fp16/bf16 rounding of large arguments). */
const MISMATCH_SHARE = 0.01;
/** Rows (positions) that are all zero: the padding row of fairseq-style tables. */
const MAX_ZERO_LINES = 3;

/** The standard formulas, regenerated at the sampled coordinates. */
function standardTable(g: Grid): TableMatch | undefined {
  const { plan, values } = g;
  const nr = plan.rows.length;
  const nc = plan.cols.length;
  if (!g.twoD || nr * nc < 64) return undefined;
  // storage rounding (bf16 keeps 8 bits) plus the int8 step of the sample
  const tol = 0.75 * g.step + 4e-3;
  for (const f of FORMULAS) {
    const d = f.transposed ? plan.R : plan.C;
    if (d < 8) continue;
    let bad = 0;
    let zeroLines = 0;
    const budget = Math.floor(MISMATCH_SHARE * nr * nc);
    const lines = f.transposed ? nc : nr;
    const across = f.transposed ? nr : nc;
    for (let li = 0; li < lines && bad <= budget; li++) {
      let lineBad = 0;
      let lineZero = true;
      for (let ai = 0; ai < across; ai++) {
        const ri = f.transposed ? ai : li;
        const ci = f.transposed ? li : ai;
        const x = values[ri * nc + ci]!;
        if (Math.abs(x) > tol) lineZero = false;
        const pos = f.transposed ? plan.cols[ci]! : plan.rows[ri]!;
        const ch = f.transposed ? plan.rows[ri]! : plan.cols[ci]!;
        if (Math.abs(x - tableValue(f, pos, ch, d)) > tol * Math.max(1, Math.abs(x))) lineBad++;
      }
      if (lineBad && lineZero && zeroLines < MAX_ZERO_LINES) zeroLines++;
      else bad += lineBad;
    }
    if (bad <= budget && zeroLines < lines) return { formula: describe(f), fit: 1 - bad / (nr * nc) };
  }
  return undefined;
}

/**
 * Best share of variance of y (at positions p) explained by a·cos(ωp) + b·sin(ωp) + c over a grid of
 * ω in (0, π]: the generalised Lomb–Scargle periodogram's peak, computed with rotations so each
 * frequency step costs a few multiplications per point.
 */
function sinusoidFit(p: Float64Array, y: Float64Array, span: number): number {
  const n = y.length;
  let my = 0;
  for (let i = 0; i < n; i++) my += y[i]!;
  my /= n;
  let yy = 0;
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yc[i] = y[i]! - my;
    yy += yc[i]! * yc[i]!;
  }
  if (!(yy > 0)) return 0;
  // a phase error of 0.25 rad across the span is the resolution we need
  const steps = Math.min(200_000, Math.max(64, Math.ceil((Math.PI * span) / 0.25)));
  const dw = Math.PI / steps;
  const c = new Float64Array(n);
  const s = new Float64Array(n);
  const dc = new Float64Array(n);
  const ds = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = Math.cos(dw * p[i]!);
    s[i] = Math.sin(dw * p[i]!);
    dc[i] = c[i]!;
    ds[i] = s[i]!;
  }
  let best = 0;
  for (let k = 1; k <= steps; k++) {
    let sc = 0,
      ss = 0,
      cc = 0,
      s2 = 0,
      cs = 0,
      yc1 = 0,
      ys1 = 0;
    for (let i = 0; i < n; i++) {
      const ci = c[i]!;
      const si = s[i]!;
      sc += ci;
      ss += si;
      cc += ci * ci;
      s2 += si * si;
      cs += ci * si;
      yc1 += yc[i]! * ci;
      ys1 += yc[i]! * si;
    }
    // centred regressors (the constant term is fitted too)
    const Ccc = cc - (sc * sc) / n;
    const Css = s2 - (ss * ss) / n;
    const Ccs = cs - (sc * ss) / n;
    const det = Ccc * Css - Ccs * Ccs;
    if (det > 1e-12 * n * n) {
      const explained = (Css * yc1 * yc1 - 2 * Ccs * yc1 * ys1 + Ccc * ys1 * ys1) / det;
      if (explained > best) best = explained;
    }
    if (k < steps)
      for (let i = 0; i < n; i++) {
        const ci = c[i]!;
        c[i] = ci * dc[i]! - s[i]! * ds[i]!;
        s[i] = s[i]! * dc[i]! + ci * ds[i]!;
      }
  }
  return Math.min(1, best / yy);
}

/** A line counts as a sinusoid above this share of variance explained. */
const LINE_R2 = 0.98;
/** Lines tested per axis: the ones with the most variance (low frequencies are nearly flat). */
const LINES_TESTED = 12;
const MIN_POINTS = 12;

/**
 * Sinusoids along one axis of the grid, whatever their frequencies: every tested line (a sampled
 * column when positions run along rows) must be fitted by one sinusoid of its index.
 */
function sinusoidsAlong(g: Grid, axis: 'rows' | 'cols'): TableMatch | undefined {
  const { plan, values } = g;
  const nr = plan.rows.length;
  const nc = plan.cols.length;
  const along = axis === 'rows' ? plan.rows : plan.cols;
  const lines = axis === 'rows' ? nc : nr;
  const n = along.length;
  if (n < MIN_POINTS || lines < 4) return undefined;
  const span = axis === 'rows' ? plan.R : plan.C;
  const p = Float64Array.from(along);
  const candidates: Array<{ line: number; v: number; y: Float64Array }> = [];
  for (let l = 0; l < lines; l++) {
    const y = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      y[i] = axis === 'rows' ? values[i * nc + l]! : values[l * nc + i]!;
      m += y[i]!;
    }
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (y[i]! - m) ** 2;
    candidates.push({ line: l, v: v / n, y });
  }
  // a line must vary well beyond the int8 step to be judged (slow channels are nearly constant)
  const judged = candidates.filter((c) => c.v > (4 * g.step) ** 2).sort((a, b) => b.v - a.v);
  if (judged.length < Math.min(4, lines)) return undefined;
  const tested = judged.slice(0, LINES_TESTED);
  let fit = 0;
  for (const c of tested) {
    if (sinusoidFit(p, c.y, span) < LINE_R2) return undefined;
    fit++;
  }
  return {
    formula:
      `sinusoids along the ${axis === 'rows' ? 'first' : 'last'} axis ` +
      `(${fit} of ${fit} tested lines fitted, R² ≥ ${LINE_R2})`,
    fit: 1,
  };
}

/**
 * Cheap screen before any fitting: a table of sines and cosines is bounded and flat-topped
 * (kurtosis ≈ 1.5 per channel), learned weights are Gaussian or heavier (≥ 3).
 */
function looksBoundedPeriodic(g: Grid): boolean {
  const v = g.values;
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i]!;
  m /= v.length;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < v.length; i++) {
    const d = (v[i]! - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= v.length;
  m4 /= v.length;
  return m2 > 0 && m4 / (m2 * m2) < 2.6;
}

const cache = new WeakMap<TensorFingerprint, TableMatch | null>();

/** Whether a 2-D tensor is a computed sinusoidal table (see the module comment). */
export function computedTable(t: TensorFingerprint, sampling?: Sampling): TableMatch | undefined {
  const hit = cache.get(t);
  if (hit !== undefined) return hit ?? undefined;
  const g = gridOf(
    t,
    sampling ?? { k: DEFAULT_SAMPLE_K, seed: DEFAULT_SAMPLE_SEED, layout: 'runs', runsAbove: RUNS_LAYOUT.runsAbove },
  );
  let out: TableMatch | undefined;
  if (g && looksBoundedPeriodic(g)) out = standardTable(g) ?? sinusoidsAlong(g, 'rows') ?? sinusoidsAlong(g, 'cols');
  cache.set(t, out ?? null);
  return out;
}
