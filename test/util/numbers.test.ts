import { describe, expect, it } from 'vitest';
import { formatP, formatPercent, formatZ, pClause } from '../../src/util/numbers.js';

describe('formatP', () => {
  it('states anything below double precision as one bound, never as digits or 0', () => {
    for (const p of [0, 5e-324, 7.5e-317, 9.99e-301]) expect(formatP(p)).toBe('< 1e-300');
    expect(formatP(1e-300)).toBe('1.0e-300');
  });

  it('uses two significant digits below 0.001 and three decimals above', () => {
    expect(formatP(7.46e-9)).toBe('7.5e-9');
    expect(formatP(0.000999)).toBe('1.0e-3');
    expect(formatP(0.001)).toBe('0.001');
    expect(formatP(0.0123)).toBe('0.012');
    expect(formatP(1)).toBe('1.000');
  });

  it('prints a dash for what is not a probability', () => {
    for (const p of [Number.NaN, Number.POSITIVE_INFINITY, -0.1]) expect(formatP(p)).toBe('–');
  });
});

describe('pClause', () => {
  it('reads as a bound below the floor, whatever the relation asked for', () => {
    expect(pClause(0)).toBe('p < 1e-300');
    expect(pClause(0, true)).toBe('p < 1e-300');
    expect(pClause(3e-9, true)).toBe('p ≤ 3.0e-9');
    expect(pClause(0.25)).toBe('p 0.250');
  });
});

describe('formatZ', () => {
  it('one decimal, no negative zero, a dash for non-numbers', () => {
    expect(formatZ(12.345)).toBe('12.3');
    expect(formatZ(-0.04)).toBe('0.0');
    expect(formatZ(-1.26)).toBe('-1.3');
    expect(formatZ(Number.NaN)).toBe('–');
  });
});

describe('formatPercent', () => {
  it('says 100 % and 0 % only when exact', () => {
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.99999)).toBe('> 99.9 %');
    expect(formatPercent(0.996)).toBe('99.6 %');
    expect(formatPercent(0.0001)).toBe('< 0.1 %');
  });

  it('one decimal below 10 %, whole numbers in between', () => {
    expect(formatPercent(0.034)).toBe('3.4 %');
    expect(formatPercent(0.5)).toBe('50 %');
    expect(formatPercent(0.874)).toBe('87 %');
  });
});
