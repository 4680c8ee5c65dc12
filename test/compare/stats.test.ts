import { describe, expect, it } from 'vitest';
import {
  fisherZ,
  maxOfM,
  median,
  normalIsf,
  normalSf,
  robustLocationScale,
  stouffer,
} from '../../src/compare/stats.js';

describe('statistics', () => {
  it('normal tail and its inverse agree, far into the tail', () => {
    expect(normalSf(0)).toBeCloseTo(0.5, 12);
    expect(normalSf(5.6) / 1.0717590258310857e-8).toBeCloseTo(1, 6);
    expect(normalSf(37) / 5.725571222524e-300).toBeCloseTo(1, 3);
    for (const p of [0.4, 1e-3, 1e-8, 1e-30, 1e-200]) expect(normalSf(normalIsf(p)) / p).toBeCloseTo(1, 6);
    expect(normalIsf(0.5)).toBeCloseTo(0, 9);
  });

  it('max-of-m correction is exact and keeps tiny p-values', () => {
    expect(maxOfM(0.05, 1)).toBe(0.05);
    expect(maxOfM(0.05, 10)).toBeCloseTo(1 - 0.95 ** 10, 12);
    expect(maxOfM(1e-20, 1000) / 1e-17).toBeCloseTo(1, 6);
  });

  it('robust scale ignores a few true matches among the controls', () => {
    const controls = [...Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.02), 0.9, 0.95, 1.2];
    const { location, scale } = robustLocationScale(controls);
    expect(Math.abs(location)).toBeLessThan(0.01);
    expect(scale).toBeLessThan(0.03);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('Stouffer combines one-sided z-scores; Fisher z stays finite at |r| = 1', () => {
    expect(stouffer([2, 2, 2, 2])).toBeCloseTo(4, 12);
    expect(stouffer([])).toBe(0);
    expect(Number.isFinite(fisherZ(1))).toBe(true);
    expect(fisherZ(-0.5)).toBeCloseTo(-Math.atanh(0.5), 12);
  });
});
