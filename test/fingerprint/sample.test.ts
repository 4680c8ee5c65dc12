import { describe, expect, it } from 'vitest';
import { planSample, quantizeSample, sampleByteSpans } from '../../src/fingerprint/sample.js';

describe('planSample', () => {
  it('is deterministic and depends on shape, not on anything else', () => {
    const a = planSample([512, 256], 4096, 1);
    const b = planSample([512, 256], 4096, 1);
    expect([...a.rows]).toEqual([...b.rows]);
    expect([...a.cols]).toEqual([...b.cols]);
    const c = planSample([512, 256], 4096, 2);
    expect([...c.rows]).not.toEqual([...a.rows]);
  });

  it('takes about K coordinates', () => {
    for (const shape of [[4096, 4096], [32000, 512], [100, 100000], [7, 9], [300], [3, 3, 128, 128]]) {
      const p = planSample(shape, 4096, 1);
      const n = p.rows.length * p.cols.length;
      const numel = shape.reduce((x, y) => x * y, 1);
      expect(n).toBeLessThanOrEqual(numel);
      if (numel > 8192) {
        expect(n).toBeGreaterThan(2500);
        expect(n).toBeLessThan(6500);
      } else expect(n).toBe(Math.min(numel, n));
    }
  });

  it('keeps the coordinates of common rows when the first axis grows (extended vocabulary)', () => {
    const base = planSample([32000, 1024], 4096, 1);
    const ext = planSample([32256, 1024], 4096, 1);
    expect([...ext.cols]).toEqual([...base.cols]);
    const extRows = new Set(ext.rows);
    const common = [...base.rows].filter((r) => extRows.has(r)).length;
    // nested sampling: the smaller rate's rows are a subset of the larger rate's, up to the added rows
    expect(common / base.rows.length).toBeGreaterThan(0.95);
  });

  it('keeps common columns when the second axis of a matrix is pruned', () => {
    const full = planSample([1024, 4096], 4096, 1);
    const pruned = planSample([1024, 3072], 4096, 1);
    // the larger axis samples at a lower rate, so its columns inside the common block are a subset
    const s = new Set(pruned.cols);
    const inside = [...full.cols].filter((c) => c < 3072);
    expect(inside.length).toBeGreaterThan(30);
    expect(inside.every((c) => s.has(c))).toBe(true);
  });

  it('turns sampled rows into few byte spans inside the tensor', () => {
    const p = planSample([8192, 8192], 4096, 1);
    const spans = sampleByteSpans(p, 1000, 2);
    expect(spans.length).toBeLessThanOrEqual(p.rows.length);
    const bytes = spans.reduce((n, s) => n + s.length, 0);
    expect(bytes / (8192 * 8192 * 2)).toBeLessThan(0.01);
    for (const s of spans) {
      expect(s.offset).toBeGreaterThanOrEqual(1000);
      expect(s.offset + s.length).toBeLessThanOrEqual(1000 + 8192 * 8192 * 2);
    }
  });
});

describe('quantizeSample', () => {
  it('round-trips within half a step and survives constant input', () => {
    const v = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.05 + 1);
    const { center, scale, q } = quantizeSample(v);
    for (let i = 0; i < v.length; i++)
      expect(Math.abs(center + q[i]! * scale - v[i]!)).toBeLessThanOrEqual(scale * 0.5 + 1e-6);
    const flat = quantizeSample(new Float32Array(10).fill(3));
    expect(flat.scale).toBe(0);
    expect(flat.center).toBe(3);
  });
});
