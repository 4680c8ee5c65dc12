/**
 * How every report states a p-value, a z-score and a share, so the comparison's prose, the
 * markdown tables, the check-run text and the terminal summary never disagree about the same
 * number (one said "p < 1e-300" where another said "p 7.5e-317").
 */

/**
 * Below this a p-value is stated as a bound: the normal tail is computed in double precision,
 * so smaller values (subnormals, 0) are not meaningful digits.
 */
export const P_FLOOR = 1e-300;

/** "< 1e-300", "7.5e-9" (two significant digits below 0.001), "0.012"; "–" when not a number. */
export function formatP(p: number): string {
  if (!Number.isFinite(p) || p < 0) return '–';
  if (p < P_FLOOR) return `< ${P_FLOOR.toExponential(0)}`;
  return p < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}

/** "p 0.012", "p < 1e-300"; with `upper`, a bound: "p ≤ 7.5e-9". */
export function pClause(p: number, upper = false): string {
  const v = formatP(p);
  if (v.startsWith('<') || v === '–') return `p ${v}`;
  return upper ? `p ≤ ${v}` : `p ${v}`;
}

/** A z-score to one decimal ("12.3", "-0.4", never "-0.0"); "–" when not a number. */
export function formatZ(z: number): string {
  if (!Number.isFinite(z)) return '–';
  const s = z.toFixed(1);
  return s === '-0.0' ? '0.0' : s;
}

/**
 * A share in [0, 1] as a percentage that never rounds a fact away: "100 %" only for all of it,
 * "0 %" only for none ("< 0.1 %", "99.9 %" at the edges), one decimal below 10 %.
 */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '–';
  const v = share * 100;
  if (v === 0 || v === 100) return `${v} %`;
  if (v > 0 && v < 0.05) return '< 0.1 %';
  if (v < 100 && v >= 99.95) return '> 99.9 %';
  const digits = v < 10 || v >= 99.5 ? 1 : 0;
  return `${v.toFixed(digits)} %`;
}
