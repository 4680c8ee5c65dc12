/**
 * A model-level reason must be true of the statistics shown. When every component stays
 * inconclusive although its tensors were compared (a copy shrunk towards zero and refilled with
 * noise: r 0.7 with σ kept, which the containment rule cannot tell from a sibling), the reason says
 * what was measured; "nothing comparable between the two models" is kept for when nothing was.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/compare/index.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { independent } from '../../src/synth/derive.js';
import type { SynthModel } from '../../src/synth/model.js';
import { Rng } from '../../src/synth/random.js';
import { writeModelDir } from '../../src/synth/write.js';
import { base, SMALL, tempDir } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let A: SynthModel;
let a: FingerprintDocument;

/** Every matrix becomes α·A + N(0, (β·σ)²): still r ≈ α/√(α²+β²) with A, spread ≈ √(α²+β²)·σ. */
function shrunk(model: SynthModel, alpha: number, beta: number, seed: number): SynthModel {
  const tensors = new Map(model.tensors);
  const rng = new Rng(seed);
  for (const [name, t] of model.tensors) {
    if (t.shape.length < 2) continue;
    let ss = 0;
    for (const v of t.values) ss += v * v;
    const sigma = Math.sqrt(ss / t.values.length);
    const values = t.values.map((v) => alpha * v + beta * sigma * rng.normal());
    tensors.set(name, { shape: t.shape, values });
  }
  return { ...model, id: `${model.id}-shrunk`, tensors };
}

beforeAll(async () => {
  tmp = await tempDir('undecided');
  A = base(SMALL, 51, 'synth/base');
  a = await loadFingerprint(await writeModelDir(A, join(tmp.dir, 'a')));
});

afterAll(async () => {
  await tmp.cleanup();
});

describe('the reason of an undecided comparison', () => {
  it('names the resemblance it measured, never "nothing comparable"', async () => {
    const b = await loadFingerprint(await writeModelDir(shrunk(A, 0.7, 0.7, 52), join(tmp.dir, 'b')));
    const r = compareModels(a, b);
    expect(r.verdict).not.toBe('independent');
    if (r.verdict === 'inconclusive') {
      expect(r.reason).not.toContain('nothing comparable');
      expect(r.reason).toMatch(/^no component could be judged; text decoder: .*combined z \d+/);
    }
  });

  it('says "nothing comparable" when no tensor was compared', async () => {
    const other = await loadFingerprint(
      await writeModelDir(
        independent({ text: { ...SMALL.text!, hidden: 96, ffn: 200, vocab: 300 } }, 53),
        join(tmp.dir, 'c'),
      ),
    );
    const r = compareModels(a, other);
    expect(r.components.every((c) => c.tensors_compared === 0)).toBe(true);
    expect(r.reason).toBe('no component could be judged: nothing comparable between the two models');
  });
});
