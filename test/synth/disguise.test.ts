import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadTensors } from '../../src/eval/tensor-io.js';
import {
  flipSigns,
  foldNormGains,
  llamaDims,
  randomHadamard,
  randomOrthogonal,
  rescaleUnits,
  reshapeMatrices,
  rotateResidual,
} from '../../src/synth/disguise.js';
import { configFromJson, llamaForward, maxAbsDiff } from '../helpers/llama-forward.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE } from '../compare/helpers.js';

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

const TOKENS = [1, 403, 407, 261, 378, 9, 302, 280, 500, 270, 15, 2];

function orthogonalityError(q: Float64Array, d: number): number {
  let worst = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += q[i * d + k]! * q[j * d + k]!;
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  return worst;
}

describe('rotation matrices', () => {
  it('are orthogonal (random and Hadamard)', () => {
    expect(orthogonalityError(randomOrthogonal(48, 3), 48)).toBeLessThan(1e-12);
    expect(orthogonalityError(randomHadamard(64, 3), 64)).toBeLessThan(1e-12);
    expect(() => randomHadamard(48, 1)).toThrow(/power-of-two/);
  });
});

describe.skipIf(!HAVE_REAL)('function-preserving disguises of real llama2.c weights keep the logits', () => {
  for (const model of ['karpathy_stories260K', 'EN10_babyllama_tok361']) {
    it(`${model}`, async () => {
      const loaded = await loadTensors(join(REAL, 'llama2c', model));
      const cfg = configFromJson(loaded.config!);
      const dims = llamaDims(loaded.config!);
      const tokens = TOKENS.map((t) => t % cfg.vocab);
      const ref = llamaForward(loaded.tensors, cfg, tokens);
      const disguises = {
        fold: foldNormGains(loaded.tensors, dims),
        'rotate-orthogonal': rotateResidual(loaded.tensors, dims, { kind: 'orthogonal', seed: 1 }),
        'rotate-hadamard+heads': rotateResidual(loaded.tensors, dims, { kind: 'hadamard', seed: 2, heads: true }),
        rescale: rescaleUnits(loaded.tensors, dims, { seed: 3, sigma: 0.7 }),
        signs: flipSigns(loaded.tensors, dims, { seed: 4, values: true }),
        flatten: reshapeMatrices(loaded.tensors, 'flatten'),
        'split-rows': reshapeMatrices(loaded.tensors, 'split-rows'),
      };
      for (const [name, tensors] of Object.entries(disguises)) {
        const { diff, scale } = maxAbsDiff(ref, llamaForward(tensors, cfg, tokens));
        expect(diff / scale, name).toBeLessThan(2e-5);
      }
      // the disguises do change the stored weights
      const q0 = 'model.layers.0.self_attn.q_proj.weight';
      expect(disguises['rotate-orthogonal'].get(q0)!.values[0]).not.toBeCloseTo(loaded.tensors.get(q0)!.values[0]!, 6);
      // …and a wrong transform is caught by the same check
      const broken = new Map(disguises['rotate-orthogonal']);
      broken.set('model.norm.weight', loaded.tensors.get('model.norm.weight')!);
      expect(maxAbsDiff(ref, llamaForward(broken, cfg, tokens)).diff / Math.max(...ref.map(Math.abs))).toBeGreaterThan(
        1e-3,
      );
    });
  }
});
