import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RUNS_ABOVE,
  GRID_LAYOUT,
  RUNS_LAYOUT,
  SECRET_RUNS_LAYOUT,
  gridPlan,
  layoutOf,
  planSample,
  quantizeSample,
  runsPlan,
  sampleByteSpans,
  samePlan,
  secretRunsPlan,
} from '../../src/fingerprint/sample.js';

const numel = (s: number[]) => s.reduce((x, y) => x * y, 1);
const common = (a: Uint32Array, b: Uint32Array) => {
  const s = new Set(b);
  return [...a].filter((x) => s.has(x));
};

describe('planSample', () => {
  it('is deterministic and depends on shape and seed, not on anything else', () => {
    for (const shape of [
      [512, 256],
      [8192, 8192],
    ]) {
      const a = planSample(shape, 4096, 1, RUNS_LAYOUT);
      const b = planSample(shape, 4096, 1, RUNS_LAYOUT);
      expect(samePlan(a, b)).toBe(true);
      const c = planSample(shape, 4096, 2, RUNS_LAYOUT);
      expect([...c.rows]).not.toEqual([...a.rows]);
    }
  });

  it('uses the grid up to runsAbove elements and runs above, under the current layout', () => {
    expect(planSample([512, 512], 4096, 1, RUNS_LAYOUT).kind).toBe('grid'); // 2^18: not above
    expect(planSample([512, 513], 4096, 1, RUNS_LAYOUT).kind).toBe('runs');
    expect(planSample([8192, 8192], 4096, 1, GRID_LAYOUT).kind).toBe('grid');
    expect(planSample([100, 100], 4096, 1, { kind: 'runs', runsAbove: 0 }).kind).toBe('runs');
    // the grid plan is the schema 1 sample, unchanged
    expect(samePlan(planSample([8192, 8192], 4096, 1, GRID_LAYOUT), gridPlan([8192, 8192], 4096, 1))).toBe(true);
  });

  it('takes about K coordinates in either layout', () => {
    for (const layout of [GRID_LAYOUT, RUNS_LAYOUT, { kind: 'runs' as const, runsAbove: 0 }]) {
      for (const shape of [[4096, 4096], [32000, 512], [100, 100000], [7, 9], [300], [3, 3, 128, 128], [1, 1]]) {
        const p = planSample(shape, 4096, 1, layout);
        const n = p.rows.length * p.cols.length;
        expect(n).toBeLessThanOrEqual(numel(shape));
        if (numel(shape) > 8192) {
          expect(n).toBeGreaterThan(2500);
          expect(n).toBeLessThan(6500);
        } else if (numel(shape) <= 4096) expect(n).toBe(numel(shape));
      }
    }
  });

  it('runs: rows 0 and R-1 and one hashed row of wide matrices, each a prefix of its columns', () => {
    const p = runsPlan([28672, 8192], 4096, 7);
    expect(p.rows.length).toBe(3);
    expect(p.rows[0]).toBe(0);
    expect(p.rows[2]).toBe(28671);
    expect(p.rows[1]).toBeGreaterThan(0);
    expect(p.rows[1]).toBeLessThan(28671);
    expect([...p.cols]).toEqual(Array.from({ length: 1366 }, (_, i) => i));
    // short rows: enough rows for K values
    const narrow = runsPlan([100000, 64], 4096, 7);
    expect(narrow.rows.length).toBe(64);
    expect(narrow.cols.length).toBe(64);
    // a vector: its first K values
    const v = runsPlan([300000], 4096, 7);
    expect([...v.rows]).toEqual([0]);
    expect(v.cols.length).toBe(1366);
  });

  it('keeps the coordinates of common rows when the first axis grows (extended vocabulary), in both layouts', () => {
    const base = gridPlan([32000, 1024], 4096, 1);
    const ext = gridPlan([32256, 1024], 4096, 1);
    expect([...ext.cols]).toEqual([...base.cols]);
    // nested sampling: the smaller rate's rows are a subset of the larger rate's, up to the added rows
    expect(common(base.rows, ext.rows).length / base.rows.length).toBeGreaterThan(0.95);

    // runs: the hashed rows of the longer axis that fall inside the shorter one are the shorter one's
    const narrowBase = runsPlan([32000, 64], 4096, 1);
    const narrowExt = runsPlan([32256, 64], 4096, 1);
    const inside = [...narrowExt.rows].filter((r) => r < 31999 && r > 0);
    const baseRows = new Set(narrowBase.rows);
    expect(inside.length).toBeGreaterThan(50);
    expect(inside.every((r) => baseRows.has(r))).toBe(true);
    expect([...narrowExt.cols]).toEqual([...narrowBase.cols]);
  });

  it('keeps common columns when the second axis of a matrix is pruned, in both layouts', () => {
    const full = gridPlan([1024, 4096], 4096, 1);
    const pruned = gridPlan([1024, 3072], 4096, 1);
    const s = new Set(pruned.cols);
    const inside = [...full.cols].filter((c) => c < 3072);
    expect(inside.length).toBeGreaterThan(30);
    expect(inside.every((c) => s.has(c))).toBe(true);

    const rFull = runsPlan([1024, 8192], 4096, 1);
    const rPruned = runsPlan([1024, 6144], 4096, 1);
    expect(samePlan({ ...rFull, C: 0 }, { ...rPruned, C: 0 })).toBe(true); // same rows, same column prefix
  });

  it('grid: a transposed matrix shares a block of coordinates; runs: it shares almost none', () => {
    const a = gridPlan([2048, 512], 4096, 1);
    const t = gridPlan([512, 2048], 4096, 1);
    // A[r, c] ↔ T[c, r]: rows of A against columns of T and vice versa
    const block = common(a.rows, t.cols).length * common(a.cols, t.rows).length;
    expect(block).toBeGreaterThanOrEqual(256);
    const ra = runsPlan([2048, 8192], 4096, 1);
    const rt = runsPlan([8192, 2048], 4096, 1);
    expect(common(ra.rows, rt.cols).length * common(ra.cols, rt.rows).length).toBeLessThan(64);
  });

  it('secret runs: every coordinate is chosen by the seed, none is a public run coordinate', () => {
    const PUBLIC = 0x5eed_2026;
    for (const shape of [
      [28672, 8192],
      [8192, 28672],
      [4096, 4096],
      [1024, 4096],
      [128256, 8192],
    ]) {
      const [R, C] = shape as [number, number];
      const pub = planSample(shape, 4096, PUBLIC, RUNS_LAYOUT);
      const pubRows = new Set(pub.rows);
      const pubCols = new Set(pub.cols);
      const rowSets = new Set<string>();
      const offsets = new Set<number>();
      for (let seed = 1; seed <= 40; seed++) {
        const p = planSample(shape, 4096, Math.imul(seed, 0x9e3779b1) >>> 0, SECRET_RUNS_LAYOUT);
        expect(p.kind).toBe('runs');
        // as many values as the public runs in one row fewer: two contiguous runs of ⌈K/2⌉
        expect(p.rows.length).toBe(2);
        expect(p.cols.length).toBe(2048);
        expect(p.rows.length * p.cols.length).toBeGreaterThanOrEqual(4096);
        expect(pub.rows.length * pub.cols.length).toBeLessThanOrEqual(p.rows.length * p.cols.length + 2);
        for (let i = 1; i < p.cols.length; i++) expect(p.cols[i]).toBe(p.cols[0]! + i);
        expect(p.cols[p.cols.length - 1]).toBeLessThan(C);
        // no fixed rows: never the public runs' first and last rows
        expect(p.rows).not.toContain(0);
        expect(p.rows).not.toContain(R - 1);
        // the run lies past the public columns 0..⌈K/3⌉-1 (these rows hold both runs)
        expect([...p.cols].some((c) => pubCols.has(c))).toBe(false);
        // so no private coordinate is a public one, whatever rows the hash picked
        expect([...p.rows].filter((r) => pubRows.has(r)).length * common(p.cols, pub.cols).length).toBe(0);
        rowSets.add([...p.rows].join(','));
        offsets.add(p.cols[0]!);
      }
      // forty seeds: forty different row sets, and offsets spread over the row
      expect(rowSets.size).toBe(40);
      expect(offsets.size).toBeGreaterThan(30);
      // deterministic for a seed (the result records it, a rerun reproduces it)
      expect(samePlan(secretRunsPlan(shape, 4096, 77), secretRunsPlan(shape, 4096, 77))).toBe(true);
    }
    // short rows: enough hashed rows for K values, all columns; tensors up to runsAbove: the grid at the seed
    const narrow = planSample([100000, 64], 4096, 5, SECRET_RUNS_LAYOUT);
    expect(narrow.rows.length).toBe(64);
    expect(narrow.cols.length).toBe(64);
    expect(narrow.rows).not.toContain(0);
    expect(samePlan(planSample([512, 512], 4096, 5, SECRET_RUNS_LAYOUT), gridPlan([512, 512], 4096, 5))).toBe(true);
    // rows too short for both runs: the run starts anywhere in the row, still by the seed
    const starts = new Set(
      Array.from({ length: 20 }, (_, s) => planSample([4096, 3000], 4096, s + 1, SECRET_RUNS_LAYOUT).cols[0]),
    );
    expect(starts.size).toBeGreaterThan(10);
    // rows shorter than ⌈K/2⌉: whole rows, as many as K values need, picked by hash
    const short = planSample([8192, 2000], 4096, 5, SECRET_RUNS_LAYOUT);
    expect(short.rows.length).toBe(3);
    expect(short.cols.length).toBe(2000);
    expect(short.rows).not.toContain(0);
    expect(short.rows).not.toContain(8191);
  });

  it('secret runs keep common rows when the first axis grows, and the offset for a few more columns', () => {
    const base = secretRunsPlan([32000, 64], 4096, 9);
    const ext = secretRunsPlan([32256, 64], 4096, 9);
    const baseRows = new Set(base.rows);
    const inside = [...ext.rows].filter((r) => r < 31999);
    expect(inside.length).toBeGreaterThan(50);
    expect(inside.every((r) => baseRows.has(r))).toBe(true);
    expect([...secretRunsPlan([1024, 8192], 4096, 9).cols]).toEqual([...secretRunsPlan([1024, 8200], 4096, 9).cols]);
  });

  it('reads the layout recorded in a document (absent: schema 1, the grid)', () => {
    expect(layoutOf({ layout: 'secret-runs', runsAbove: 100 })).toEqual({ kind: 'secret-runs', runsAbove: 100 });
    expect(layoutOf({})).toBe(GRID_LAYOUT);
    expect(layoutOf({ layout: 'runs' })).toEqual({ kind: 'runs', runsAbove: DEFAULT_RUNS_ABOVE });
    expect(layoutOf({ layout: 'runs', runsAbove: 0 })).toEqual({ kind: 'runs', runsAbove: 0 });
  });

  it('turns grid rows into few byte spans inside the tensor', () => {
    const p = gridPlan([8192, 8192], 4096, 1);
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
