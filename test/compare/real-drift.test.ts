import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE, comparePaths } from './helpers.js';
import { writeDriftedCopy, writeTransplant } from '../../src/eval/drift.js';

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

describe.skipIf(!HAVE_REAL)('drifted and transplanted real weights (generated from ../shared)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-drift-'));
  });

  // models whose tensors all have distinct shapes: no same-shape control exists, so the call
  // rests on inherited biases (a shared initialisation would not carry them)
  it.each([
    ['faceapi_tiny_face_detector_v2.safetensors', 1.0],
    ['ml5_charrnn_dubois.safetensors', 1.0],
    ['silero_vad_v5.safetensors', 0.6],
  ])('%s + noise ×%s σ is derived', async (file, rel) => {
    const out = join(dir, `${rel}-${file}`);
    await writeDriftedCopy(join(REAL, file), out, rel, 3);
    const r = await comparePaths(join(REAL, file), out);
    expect(r.verdict, r.reason).toBe('derived');
  });

  it('never calls a heavily drifted copy independent: too weak to test without controls is inconclusive', async () => {
    const file = 'ml5_charrnn_dubois.safetensors';
    const out = join(dir, `heavy-${file}`);
    await writeDriftedCopy(join(REAL, file), out, 2.5, 4);
    const r = await comparePaths(join(REAL, file), out);
    expect(r.verdict).toBe('inconclusive');
    expect(r.components.some((c) => /could not be tested/.test(c.evidence[0]!.detail))).toBe(true);
  });

  it('finds a renamed, drifted feature extractor inside an unrelated model, and only there', async () => {
    const out = join(dir, 'transplant.safetensors');
    await writeTransplant(
      join(REAL, 'faceapi_landmark68.safetensors'),
      /^dense\d\//,
      join(REAL, 'faceapi_age_gender.safetensors'),
      'backbone/',
      out,
      0.5,
      5,
    );
    const r = await comparePaths(join(REAL, 'faceapi_landmark68.safetensors'), out);
    expect(r.verdict).toBe('derived');
    const backbone = r.components.find((c) => c.name.startsWith('backbone'))!;
    expect(backbone.verdict).toBe('derived');
    expect(backbone.a).toMatch(/dense/);
    for (const c of r.components.filter((x) => x !== backbone))
      expect(['independent', 'inconclusive']).toContain(c.verdict);
  });
});
