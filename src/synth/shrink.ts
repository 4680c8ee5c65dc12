/**
 * The shrink attack on the shared-initialisation rule: a derivative disguised as a sibling. Every
 * matrix becomes α·A + N(0, (β·σA)²), so its correlation with A is α/√(α²+β²) and its spread
 * √(α²+β²)·σA: with the spread kept, the containment r·max(σB/σA, σA/σB) is just r, as it is for two
 * models trained separately from one random initialisation. An author would then train further to
 * recover the quality; the statistics of the weights look the same.
 */
import { Rng } from './random.js';
import type { SynthModel } from './model.js';

function rms(values: Float32Array): number {
  let ss = 0;
  for (const v of values) ss += v * v;
  return Math.sqrt(ss / values.length);
}

export interface ShrinkOptions {
  alpha: number;
  beta: number;
  /**
   * Each 1-D vector (norm gain, bias) g of at least 64 values becomes mean + ρ·(g − mean) +
   * √(1−ρ²)·sd·N: 1 (default) keeps it bit for bit, just below 1 breaks only its digest, ≈ 0.5
   * makes it look co-learned.
   */
  gainRho?: number;
  seed: number;
}

export function shrink(model: SynthModel, opts: ShrinkOptions): SynthModel {
  const { alpha, beta, seed } = opts;
  const rho = opts.gainRho ?? 1;
  const rng = Rng.derive(seed, 'shrink');
  const tensors = new Map(model.tensors);
  for (const [name, t] of model.tensors) {
    if (t.shape.length >= 2) {
      const sigma = rms(t.values);
      tensors.set(name, { shape: t.shape, values: t.values.map((v) => alpha * v + beta * sigma * rng.normal()) });
    } else if (rho < 1 && t.values.length >= 64) {
      const mean = t.values.reduce((x, y) => x + y, 0) / t.values.length;
      const sd = rms(t.values.map((v) => v - mean));
      const fresh = Math.sqrt(1 - rho ** 2);
      tensors.set(name, {
        shape: t.shape,
        values: t.values.map((v) => mean + rho * (v - mean) + fresh * sd * rng.normal()),
      });
    }
  }
  return { ...model, id: `${model.id}-shrunk`, tensors };
}
