import { describe, expect, it } from 'vitest';
import { ownMatrixNull } from '../../src/compare/embedding-null.js';
import { sampleVector } from '../../src/compare/vectors.js';
import { encodeSample } from '../../src/fingerprint/accumulate.js';
import { RUNS_LAYOUT, planSample } from '../../src/fingerprint/sample.js';
import type { TensorFingerprint } from '../../src/fingerprint/types.js';
import { Rng } from '../../src/synth/index.js';

const K = 4096;
const SEED = 17;

/** A fingerprint whose sample holds `full` (R × C) at the plan's coordinates. */
function fp(full: Float32Array, R: number, C: number): TensorFingerprint {
  const plan = planSample([R, C], K, SEED, RUNS_LAYOUT);
  const vals = new Float32Array(plan.rows.length * plan.cols.length);
  let n = 0;
  for (const r of plan.rows) for (const c of plan.cols) vals[n++] = full[r * C + c]!;
  return {
    name: 't',
    dtype: 'F32',
    shape: [R, C],
    bytes: R * C * 4,
    sample: encodeSample(vals, plan.rows.length, plan.cols.length),
  };
}

/** An embedding dominated (share) by one token profile along a hidden direction of its own. */
function embedding(profile: Float32Array, C: number, seed: number, share: number): Float32Array {
  const rng = Rng.derive(seed, 'emb');
  const R = profile.length;
  const dir = rng.normals(C);
  const noise = rng.normals(R * C);
  const out = new Float32Array(R * C);
  const k = Math.sqrt(share / (1 - share));
  for (let t = 0; t < R; t++)
    for (let c = 0; c < C; c++) out[t * C + c] = noise[t * C + c]! + k * profile[t]! * dir[c]!;
  return out;
}

function pearson(a: TensorFingerprint, b: TensorFingerprint): number {
  const va = sampleVector(a, K, SEED, RUNS_LAYOUT)!;
  const vb = sampleVector(b, K, SEED, RUNS_LAYOUT)!;
  let d = 0;
  for (let i = 0; i < va.unit.length; i++) d += va.unit[i]! * vb.unit[i]!;
  return d;
}

describe("an embedding's own null", () => {
  const R = 512;
  const C = 64;
  const profile = Rng.derive(1, 'profile').normals(R);

  it('spreads as wide as random hidden directions do, where sampling error alone would not', () => {
    const rs: number[] = [];
    let widest = 0;
    for (let s = 0; s < 40; s++) {
      const a = fp(embedding(profile, C, 100 + s, 0.8), R, C);
      const b = fp(embedding(profile, C, 200 + s, 0.8), R, C);
      rs.push(pearson(a, b));
      const own = ownMatrixNull(sampleVector(a, K, SEED, RUNS_LAYOUT)!, sampleVector(b, K, SEED, RUNS_LAYOUT)!)!;
      expect(own.axis).toBe('columns');
      widest = Math.max(widest, Math.abs(Math.atanh(rs[rs.length - 1]!)) / own.scale);
    }
    const sd = Math.sqrt(rs.reduce((x, r) => x + r * r, 0) / rs.length);
    // chance correlations of independent models: far beyond 1/√K …
    expect(sd).toBeGreaterThan(4 / Math.sqrt(K));
    // … and within the own null (no pair beyond 4 of its σ)
    expect(widest).toBeLessThan(4);
  });

  it('keeps a drifted copy far outside it', () => {
    const e = embedding(profile, C, 300, 0.8);
    const noise = Rng.derive(9, 'drift').normals(R * C);
    let ss = 0;
    for (const v of e) ss += v * v;
    const sd = Math.sqrt(ss / e.length);
    const drifted = Float32Array.from(e, (v, i) => v + sd * noise[i]!);
    const a = fp(e, R, C);
    const b = fp(drifted, R, C);
    const own = ownMatrixNull(sampleVector(a, K, SEED, RUNS_LAYOUT)!, sampleVector(b, K, SEED, RUNS_LAYOUT)!)!;
    expect(Math.atanh(pearson(a, b)) / own.scale).toBeGreaterThan(6);
  });

  it('needs the same grid on both sides', () => {
    const a = fp(embedding(profile, C, 1, 0.5), R, C);
    const b = fp(embedding(profile.slice(0, 256), C, 2, 0.5), 256, C);
    expect(
      ownMatrixNull(sampleVector(a, K, SEED, RUNS_LAYOUT)!, sampleVector(b, K, SEED, RUNS_LAYOUT)!),
    ).toBeUndefined();
  });
});
