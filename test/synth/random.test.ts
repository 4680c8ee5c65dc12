import { describe, expect, it } from 'vitest';
import { hashSeed, normalQuantile, Rng } from '../../src/synth/random.js';

describe('Rng', () => {
  it('is deterministic per seed and label, and streams differ', () => {
    const a = Rng.derive(7, 'init', 'x').normals(1000);
    const b = Rng.derive(7, 'init', 'x').normals(1000);
    const c = Rng.derive(7, 'init', 'y').normals(1000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(hashSeed(1, 'ab', 'c')).not.toEqual(hashSeed(1, 'a', 'bc'));
  });

  it('draws standard normals with the right moments and tails', () => {
    const n = 2_000_000;
    const x = new Rng(3).normals(n);
    let s = 0,
      s2 = 0,
      s4 = 0,
      beyond3 = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
      s4 += v ** 4;
      if (Math.abs(v) > 3) beyond3++;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.003);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.005);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.05);
    expect(beyond3 / n).toBeCloseTo(0.0027, 3); // two-sided P(|z|>3)
    // single draws follow the same law
    const r = new Rng(4);
    let t2 = 0;
    for (let i = 0; i < 200_000; i++) t2 += r.normal() ** 2;
    expect(Math.abs(t2 / 200_000 - 1)).toBeLessThan(0.015);
  });

  it('fills a large buffer with standard normals (tails included)', () => {
    // speed belongs in benchmarks, not tests: this checks the fill path on a big buffer instead
    const buf = new Float32Array(2_000_000);
    new Rng(1).fillNormal(buf);
    let sum = 0;
    let beyond4 = 0;
    for (const v of buf) {
      sum += v;
      if (Math.abs(v) > 4) beyond4++;
    }
    expect(Math.abs(sum / buf.length)).toBeLessThan(0.005);
    // P(|Z| > 4) = 6.3e-5: about 127 of 2M
    expect(beyond4).toBeGreaterThan(60);
    expect(beyond4).toBeLessThan(220);
  });

  it('uniform, int and permutation are sane', () => {
    const r = new Rng(9);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const p = r.permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    const u = Array.from({ length: 10_000 }, () => r.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });

  it('normalQuantile inverts the normal CDF', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
});
