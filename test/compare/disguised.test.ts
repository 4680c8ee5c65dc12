import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTensors, writeTensorsDir, type LoadedModel } from '../../src/eval/tensor-io.js';
import { flipSigns, llamaDims, rescaleUnits, rotateResidual, type TensorMap } from '../../src/synth/disguise.js';
import { Rng } from '../../src/synth/random.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE, comparePaths } from './helpers.js';

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

const LLAMA = join(REAL, 'llama2c');

/** Every tensor plus Gaussian noise of `rel`× its own std (a drift after the disguise). */
function drift(m: TensorMap, rel: number, seed: number): TensorMap {
  const rng = new Rng(seed);
  const out: TensorMap = new Map();
  for (const [name, t] of m) {
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

describe.skipIf(!HAVE_REAL)('function-preserving disguises of real llama2.c weights', () => {
  let dir: string;
  const loaded = new Map<string, LoadedModel>();
  const load = async (name: string) => {
    if (!loaded.has(name)) loaded.set(name, await loadTensors(join(LLAMA, name)));
    return loaded.get(name)!;
  };
  const judge = async (a: string, b: string, make: (m: LoadedModel) => TensorMap, tag: string) => {
    const m = await load(b);
    const out = await writeTensorsDir(join(dir, tag), m, make(m), { ...m.config, tie_word_embeddings: false });
    return comparePaths(join(LLAMA, a), out);
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-disguise-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a rotation export (random orthogonal Q, gains folded, 10 % drift) through Gram matrices', async () => {
    const r = await judge(
      'karpathy_stories260K',
      'karpathy_stories260K',
      (m) => drift(rotateResidual(m.tensors, llamaDims(m.config!), { kind: 'orthogonal', seed: 1 }), 0.1, 2),
      'rot',
    );
    expect(r.verdict, r.reason).toBe('derived');
    const decoder = r.components.find((c) => c.kind === 'text')!;
    expect(decoder.verdict).toBe('derived');
    expect(decoder.evidence.some((e) => /cosine Gram matrix/.test(e.detail))).toBe(true);
    // the embedding cannot be judged position by position under a rotation: never "independent"
    expect(r.components.filter((c) => c.verdict === 'independent')).toEqual([]);
  });

  it('finds a Hadamard rotation with per-head value rotations', async () => {
    const r = await judge(
      'EN10_babyllama_tok361',
      'EN10_babyllama_tok361',
      (m) => rotateResidual(m.tensors, llamaDims(m.config!), { kind: 'hadamard', seed: 3, heads: true }),
      'hadamard',
    );
    expect(r.verdict, r.reason).toBe('derived');
    expect(r.components.filter((c) => c.verdict === 'independent')).toEqual([]);
  });

  it('finds per-unit rescaling folded into norms, FFN and value units, after drift: decoder derived', async () => {
    const r = await judge(
      'EN10_babyllama_tok361',
      'EN10_babyllama_tok361',
      (m) => drift(rescaleUnits(m.tensors, llamaDims(m.config!), { seed: 4, sigma: 0.7 }), 0.1, 5),
      'rescale',
    );
    expect(r.verdict, r.reason).toBe('derived');
    expect(r.components.find((c) => c.kind === 'text')!.verdict).toBe('derived');
    expect(r.not_compared.some((n) => /SmoothQuant\/AWQ-style migration/.test(n.why))).toBe(true);
  });

  it('finds balanced sign flips of residual, FFN and value units in every component', async () => {
    const r = await judge(
      'karpathy_stories260K',
      'karpathy_stories260K',
      (m) => drift(flipSigns(m.tensors, llamaDims(m.config!), { seed: 6, values: true }), 0.1, 7),
      'signs',
    );
    expect(r.verdict, r.reason).toBe('derived');
    for (const c of r.components) expect(c.verdict, c.name).toBe('derived');
    expect(r.components.some((c) => c.evidence.some((e) => /sign per row and per column/.test(e.detail)))).toBe(true);
  });

  it.each([
    ['rotated', (m: LoadedModel) => rotateResidual(m.tensors, llamaDims(m.config!), { kind: 'orthogonal', seed: 8 })],
    ['sign-flipped', (m: LoadedModel) => flipSigns(m.tensors, llamaDims(m.config!), { seed: 9, values: true })],
    ['rescaled', (m: LoadedModel) => rescaleUnits(m.tensors, llamaDims(m.config!), { seed: 10 })],
  ])('never calls an independent model %s the same way derived', async (tag, make) => {
    for (const [a, b] of [
      ['karpathy_stories260K', 'saltyduckegg_llama2xs_260K'],
      ['EN10_babyllama_tok361', 'EN10_babyllama_tok105'],
    ]) {
      const r = await judge(a!, b!, make, `neg-${tag}-${b}`);
      expect(['independent', 'inconclusive'], `${a} → ${tag} ${b}: ${r.reason}`).toContain(r.verdict);
    }
  });
});
