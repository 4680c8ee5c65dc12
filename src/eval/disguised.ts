/**
 * The evaluation's disguised copies of real llama2.c weights (issue 11): function-preserving
 * transforms (rotation exports with a random orthogonal or a Hadamard Q, per-unit rescaling folded
 * into the norms, balanced sign flips; each keeps the logits: test/synth/disguise.test.ts runs the
 * forward pass), layout changes (every matrix flattened, or reshaped [R, C] → [2R, C/2]) and a copy
 * hidden as a sub-block (stacked under random rows). Most are also trained on a little (10 % noise),
 * as a release would be. Every one derives from A.
 */
import { join } from 'node:path';
import type { Verdict } from '../compare/types.js';
import {
  flipSigns,
  llamaDims,
  reshapeMatrices,
  rescaleUnits,
  rotateResidual,
  stackRandom,
  type TensorMap,
} from '../synth/disguise.js';
import { Rng } from '../synth/random.js';
import { loadTensors, writeTensorsDir, type LoadedModel } from './tensor-io.js';

export interface DisguisedCase {
  id: string;
  title: string;
  accept: Verdict[];
  /** The copy's model directory (A is the real model itself). */
  b: string;
}

/** Gaussian noise of `rel` × each tensor's std (a short fine-tune's worth of change). */
function drift(tensors: TensorMap, rel: number, seed: number): TensorMap {
  const out: TensorMap = new Map();
  for (const [name, t] of tensors) {
    const rng = Rng.derive(seed, 'drift', name);
    let mean = 0;
    for (const x of t.values) mean += x;
    mean /= t.values.length;
    let ss = 0;
    for (const x of t.values) ss += (x - mean) ** 2;
    const s = rel * Math.sqrt(ss / t.values.length);
    out.set(name, { shape: t.shape, values: Float32Array.from(t.values, (x) => x + s * rng.normal()) });
  }
  return out;
}

const COPY: Verdict[] = ['identical', 'derived'];
const DERIVED: Verdict[] = ['derived'];

const RECIPES: Array<{ id: string; title: string; accept: Verdict[]; make: (m: LoadedModel) => TensorMap }> = [
  {
    id: 'rotated-orthogonal-ft',
    title: 'rotation export: gains folded, residual stream × random orthogonal Q, then 10 % drift',
    accept: DERIVED,
    make: (m) => drift(rotateResidual(m.tensors, llamaDims(m.config!), { kind: 'orthogonal', seed: 1 }), 0.1, 2),
  },
  {
    id: 'rotated-hadamard',
    title: 'rotation export: randomised Hadamard Q on the residual stream and per value head (exact function)',
    accept: DERIVED,
    make: (m) => rotateResidual(m.tensors, llamaDims(m.config!), { kind: 'hadamard', seed: 3, heads: true }),
  },
  {
    id: 'rescaled-ft',
    title: 'per-unit rescaling folded into norms and the next matrices (log-std 0.7), then 10 % drift',
    accept: DERIVED,
    make: (m) => drift(rescaleUnits(m.tensors, llamaDims(m.config!), { seed: 4, sigma: 0.7 }), 0.1, 5),
  },
  {
    id: 'sign-flipped-ft',
    title: 'balanced sign flips of residual, FFN and value units, then 10 % drift',
    accept: DERIVED,
    make: (m) => drift(flipSigns(m.tensors, llamaDims(m.config!), { seed: 6, values: true }), 0.1, 7),
  },
  {
    id: 'flattened',
    title: 'every matrix stored flattened to 1-D (same values)',
    accept: COPY,
    make: (m) => reshapeMatrices(m.tensors, 'flatten'),
  },
  {
    id: 'reshaped-ft',
    title: 'every matrix reshaped [R, C] → [2R, C/2], then 10 % drift',
    accept: DERIVED,
    make: (m) => reshapeMatrices(drift(m.tensors, 0.1, 8), 'split-rows'),
  },
  {
    id: 'stacked-random-ft',
    title: '10 % drift, then every matrix stacked under random rows of its std ([R, C] → [2R, C])',
    accept: DERIVED,
    make: (m) => stackRandom(drift(m.tensors, 0.1, 10), 0, 9),
  },
];

/** Writes each disguised copy of `model` (a real model directory) under `out`. */
export async function writeDisguisedCases(model: string, out: string): Promise<DisguisedCase[]> {
  const m = await loadTensors(model);
  const cases: DisguisedCase[] = [];
  for (const r of RECIPES) {
    // a folded or rotated head is no longer the embedding: the copy unties them
    const b = await writeTensorsDir(join(out, r.id), m, r.make(m), { ...m.config, tie_word_embeddings: false });
    cases.push({ id: r.id, title: r.title, accept: r.accept, b });
  }
  return cases;
}
