import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { compareModels } from '../../src/compare/index.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE, comparePaths } from './helpers.js';
import type { Verdict } from '../../src/compare/types.js';

interface Pair {
  a: string;
  b: string;
  truth: string;
  accept: Verdict[];
}
const pairs: Pair[] = HAVE_REAL ? JSON.parse(readFileSync(join(REAL, 'pairs.json'), 'utf8')).pairs : [];
if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

describe.skipIf(!HAVE_REAL)('real pairs with documented lineage', () => {
  it.each(pairs.map((p) => [`${p.a} → ${p.b} (${p.truth})`, p] as const))('%s', async (_, p) => {
    const r = await comparePaths(join(REAL, p.a), join(REAL, p.b));
    expect(p.accept).toContain(r.verdict);
  });

  it('calls no two unrelated real models derived, in either direction, and finds every related pair', async () => {
    const files = readdirSync(REAL)
      .filter((f) => f.endsWith('.safetensors'))
      .map((f) => join(REAL, f));
    const dirs = readdirSync(join(REAL, 'llama2c'))
      .filter((d) => existsSync(join(REAL, 'llama2c', d, 'model.safetensors')))
      .map((d) => join(REAL, 'llama2c', d));
    const docs = new Map<string, FingerprintDocument>();
    for (const path of [...files, ...dirs])
      docs.set(basename(path).replace(/\.safetensors$/, ''), await loadFingerprint(path));
    const related = new Set([
      'faceapi_landmark68|faceapi_expression',
      'faceapi_tiny_face_detector_v1|faceapi_tiny_face_detector_v2',
      'mediapipe_selfie_general|human_selfie_tfjs',
      'karpathy_stories260K|plctlab_stories260K_scrambled',
    ]);
    const wrong: string[] = [];
    for (const [a, da] of docs) {
      for (const [b, db] of docs) {
        if (a === b) continue;
        const verdict = compareModels(da, db).verdict;
        const isRelated = related.has(`${a}|${b}`) || related.has(`${b}|${a}`);
        if ((verdict === 'derived' || verdict === 'identical') !== isRelated) wrong.push(`${a} → ${b}: ${verdict}`);
      }
    }
    expect(docs.size).toBeGreaterThanOrEqual(19);
    expect(wrong).toEqual([]);
  });

  it('points at the feature extractor, not the head, for landmark68 → expression', async () => {
    const r = await comparePaths(
      join(REAL, 'faceapi_landmark68.safetensors'),
      join(REAL, 'faceapi_expression.safetensors'),
    );
    const derived = r.components.filter((c) => c.verdict === 'derived');
    expect(derived.length).toBeGreaterThan(0);
    expect(derived.every((c) => /dense/.test(c.name) && !/fc/.test(c.name))).toBe(true);
    expect(r.components.find((c) => c.name === 'fc')?.verdict).not.toBe('derived');
    expect(r.reason).toMatch(/dense/);
  });

  it('lists the identical STFT basis of silero v5/v6 as a fixed buffer, not evidence', async () => {
    const r = await comparePaths(join(REAL, 'silero_vad_v5.safetensors'), join(REAL, 'silero_vad_v6.safetensors'));
    const listed = r.not_compared.find((n) => n.what.startsWith('model.stft.forward_basis_buffer'));
    expect(listed?.why).toMatch(/not evidence/);
    expect(r.verdict).toBe('independent');
  });

  it('names the shared initialisation of the style-transfer pair', async () => {
    const r = await comparePaths(
      join(REAL, 'ml5_styletransfer_mathura.safetensors'),
      join(REAL, 'ml5_styletransfer_matta.safetensors'),
    );
    expect(r.verdict).toBe('independent');
    expect(r.components.flatMap((c) => c.evidence).some((e) => e.kind === 'shared-init')).toBe(true);
  });

  it('sees the rearranged stories260K copy only through order-free digests', async () => {
    const r = await comparePaths(
      join(REAL, 'llama2c/karpathy_stories260K'),
      join(REAL, 'llama2c/plctlab_stories260K_scrambled'),
    );
    expect(r.verdict).toBe('identical');
    const kinds = new Set(r.components.flatMap((c) => c.evidence.map((e) => e.kind)));
    expect(kinds.has('value-digest')).toBe(true);
  });

  it('matches the tflite and tfjs selfie models despite other names, layouts and dtypes', async () => {
    const r = await comparePaths(
      join(REAL, 'mediapipe_selfie_general.safetensors'),
      join(REAL, 'human_selfie_tfjs.safetensors'),
    );
    expect(r.verdict).toBe('identical');
    const detail = r.components.flatMap((c) => c.evidence).find((e) => e.kind === 'value-digest')?.detail ?? '';
    expect(detail).toMatch(/F16→F32/);
  });
});

const TRAINED = join(REAL, 'trained');
const HAVE_TRAINED = existsSync(join(TRAINED, 'pairs.json'));
const trainedPairs: Pair[] = HAVE_TRAINED ? JSON.parse(readFileSync(join(TRAINED, 'pairs.json'), 'utf8')).pairs : [];

describe.skipIf(!HAVE_TRAINED)('real siblings trained from one random initialisation (seed 1337)', () => {
  it.each(
    trainedPairs.flatMap((p) => [[`${p.a} → ${p.b}`, p.a, p.b] as const, [`${p.b} → ${p.a}`, p.b, p.a] as const]),
  )('%s: never derived; the decoder is judged shared initialisation with its statistics', async (_, a, b) => {
    const r = await comparePaths(join(REAL, a), join(REAL, b));
    expect(['independent', 'inconclusive']).toContain(r.verdict);
    expect(r.components.every((c) => c.verdict !== 'derived' && c.verdict !== 'identical')).toBe(true);
    const text = r.components.find((c) => c.kind === 'text')!;
    expect(text.verdict).toBe('independent');
    // the matrices do correlate far beyond chance: the verdict rests on how the pair diverged
    expect(text.score).toBeGreaterThan(20);
    expect(text.evidence[0]!.detail).toMatch(/shared initialisation: both started from the same random weights/);
    expect(text.evidence[0]!.detail).toMatch(/containment 0\.[3-6]\d/);
    // the tied lm_head is stored first in these files: the embeddings component is still there
    expect(r.components.some((c) => c.kind === 'embeddings')).toBe(true);
  });
});
