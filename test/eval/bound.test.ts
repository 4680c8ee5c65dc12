import { describe, expect, it } from 'vitest';
import { binomialUpperBound } from '../../src/eval/run.js';

/** P(X ≤ k) for X ~ Binomial(n, p), summed term by term from the binomial coefficients. */
function cdf(k: number, n: number, p: number): number {
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    let choose = 1;
    for (let j = 1; j <= i; j++) choose = (choose * (n - j + 1)) / j;
    sum += choose * p ** i * (1 - p) ** (n - i);
  }
  return sum;
}

describe('false-positive rate bound (one-sided 95 % Clopper–Pearson)', () => {
  it('is 1 − 0.05^(1/n) when nothing was seen, and never above 1 for small n', () => {
    expect(binomialUpperBound(0, 100)).toBeCloseTo(1 - 0.05 ** (1 / 100), 9);
    expect(binomialUpperBound(0, 2)).toBeCloseTo(1 - Math.sqrt(0.05), 9);
    expect(binomialUpperBound(0, 1)).toBeLessThanOrEqual(1);
    expect(binomialUpperBound(3, 3)).toBe(1);
  });

  it('puts exactly 5 % of the binomial mass at or below the count seen', () => {
    for (const [k, n] of [
      [1, 10],
      [2, 100],
      [5, 300],
    ]) {
      const upper = binomialUpperBound(k, n);
      expect(upper).toBeGreaterThan(k / n);
      expect(cdf(k, n, upper)).toBeCloseTo(0.05, 6);
    }
    expect(binomialUpperBound(1, 10)).toBeCloseTo(0.3942, 3);
  });
});
