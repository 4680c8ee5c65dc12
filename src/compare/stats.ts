/** Small, exact-enough statistics: normal tail, its inverse, robust location/scale, combiners. */

/** erfc with ~1e-15 relative error over the range we use (Numerical Recipes' Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 2 / (2 + z);
  const ty = 4 * t - 2;
  const cof = [
    -1.3026537197817094, 6.419697923564902e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
    3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6, 1.5626441722e-8,
    -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12,
    -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16,
    -2.8e-17,
  ];
  let d = 0;
  let dd = 0;
  for (let j = cof.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + cof[j]!;
    dd = tmp;
  }
  const r = t * Math.exp(-z * z + 0.5 * (cof[0]! + ty * d) - dd);
  return x >= 0 ? r : 2 - r;
}

/** Upper tail P(Z > z) of the standard normal. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** z such that P(Z > z) = p (Acklam's rational approximation, one Newton step). */
export function normalIsf(p: number): number {
  if (p <= 0) return Infinity;
  if (p >= 1) return -Infinity;
  const q = 1 - p;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (q < lo) {
    const r = Math.sqrt(-2 * Math.log(q));
    x =
      (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) /
      ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  } else if (q > 1 - lo) {
    const r = Math.sqrt(-2 * Math.log(p));
    x =
      -(((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) /
      ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  } else {
    const r = q - 0.5;
    const s = r * r;
    x =
      ((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) /
      (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1);
  }
  // one Newton step on the upper tail keeps precision for tiny p
  const e = normalSf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x + u / (1 + (x * u) / 2);
}

export function median(values: ArrayLike<number>): number {
  const s = Array.from(values).sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median and 1.4826·MAD: a null that a few true matches among the controls cannot drag. */
export function robustLocationScale(values: ArrayLike<number>): { location: number; scale: number } {
  const location = median(values);
  const dev = Array.from(values, (v) => Math.abs(v - location));
  return { location, scale: 1.4826 * median(dev) };
}

/** P(max of m independent draws exceeds the observed), from a single draw's tail p. */
export function maxOfM(p: number, m: number): number {
  if (m <= 1) return p;
  // 1-(1-p)^m without cancellation for tiny p
  return -Math.expm1(m * Math.log1p(-Math.min(p, 1 - 1e-16)));
}

/** Stouffer's combination of one-sided z-scores. */
export function stouffer(zs: number[]): number {
  if (zs.length === 0) return 0;
  return zs.reduce((a, b) => a + b, 0) / Math.sqrt(zs.length);
}

/** Fisher z-transform, clamped so r = ±1 stays finite. */
export function fisherZ(r: number): number {
  const c = Math.max(-0.9999999, Math.min(0.9999999, r));
  return Math.atanh(c);
}

/**
 * Pearson r of x and y over the positions `at` (all of x when absent), y read at `atY` when given
 * (x[at[j]] pairs with y[atY[j]]); r 0 below 3 points.
 */
export function pearson(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  at?: ArrayLike<number>,
  atY: ArrayLike<number> | undefined = at,
): { r: number; n: number } {
  const n = at ? at.length : x.length;
  if (n < 3) return { r: 0, n };
  let mx = 0;
  let my = 0;
  for (let j = 0; j < n; j++) {
    mx += x[at ? at[j]! : j]!;
    my += y[atY ? atY[j]! : j]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let j = 0; j < n; j++) {
    const dx = x[at ? at[j]! : j]! - mx;
    const dy = y[atY ? atY[j]! : j]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { r: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0, n };
}

/** Pearson correlation over the upper triangles (i < j) of two symmetric n × n matrices. */
export function upperTriangleCorrelation(x: Float64Array, y: Float64Array, n: number): number {
  let sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0,
    m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = x[i * n + j]!;
      const b = y[i * n + j]!;
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
      m++;
    }
  }
  const cov = sxy - (sx * sy) / m;
  const va = sxx - (sx * sx) / m;
  const vb = syy - (sy * sy) / m;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}
