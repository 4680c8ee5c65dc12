/**
 * Acceptance: a registry built with addEntry from the real models in ../shared/realmodels makes
 * runCheck name the right entry for each derived model and no derived/identical entry for the
 * independent ones. The registry holds the reference side of every pair in pairs.json; each
 * other model is checked against all of it (not only its partner).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/types.js';
import { checkFingerprint } from '../../src/check/run.js';
import { DEFAULT_POLICY } from '../../src/policy/load.js';
import { addEntry, openRegistry, type Registry } from '../../src/registry/index.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { tempDir } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../../../shared/realmodels');
const present = existsSync(join(ROOT, 'pairs.json'));
const title = present ? `real models in ${ROOT}` : `real models (skipped: ${ROOT} is absent)`;

/** Registry entries: the reference (A) side of each pair. */
const REFERENCES: Record<string, string> = {
  'faceapi_landmark68.safetensors': 'real/faceapi_landmark68',
  'faceapi_tiny_face_detector_v1.safetensors': 'real/faceapi_tiny_face_detector_v1',
  'mediapipe_selfie_general.safetensors': 'real/mediapipe_selfie_general',
  'silero_vad_v5.safetensors': 'real/silero_vad_v5',
  'ml5_charrnn_charlotte_bronte.safetensors': 'real/ml5_charrnn_charlotte_bronte',
  'ml5_styletransfer_mathura.safetensors': 'real/ml5_styletransfer_mathura',
  'llama2c/karpathy_stories260K': 'real/karpathy_stories260K',
  'llama2c/EN10_babyllama_tok361': 'real/EN10_babyllama_tok361',
};

const DERIVED: Array<[string, string]> = [
  ['faceapi_expression.safetensors', 'real/faceapi_landmark68'],
  ['faceapi_tiny_face_detector_v2.safetensors', 'real/faceapi_tiny_face_detector_v1'],
  ['human_selfie_tfjs.safetensors', 'real/mediapipe_selfie_general'],
  ['llama2c/plctlab_stories260K_scrambled', 'real/karpathy_stories260K'],
];

const INDEPENDENT = [
  'silero_vad_v6.safetensors',
  'ml5_charrnn_dubois.safetensors',
  'ml5_styletransfer_matta.safetensors',
  'llama2c/saltyduckegg_llama2xs_260K',
  'llama2c/EN10_babyllama_tok105',
  'faceapi_age_gender.safetensors',
  'faceapi_mtcnn.safetensors',
];

describe.skipIf(!present)(title, () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let registry: Registry;
  const results = new Map<string, CheckResult>();

  beforeAll(async () => {
    tmp = await tempDir('real');
    const dir = join(tmp.dir, 'registry');
    for (const [path, id] of Object.entries(REFERENCES)) {
      const fp = await loadFingerprint(join(ROOT, path));
      await addEntry(dir, fp, { id, license: 'MIT', family: id.split('/')[1]!.split('_')[0]! });
    }
    registry = await openRegistry(dir);
    for (const path of [...DERIVED.map(([p]) => p), ...INDEPENDENT]) {
      const fp = await loadFingerprint(join(ROOT, path));
      const loaded = registry.entryFilesLoaded;
      const r = await checkFingerprint(fp, registry, DEFAULT_POLICY, { model: path });
      results.set(path, r);
      const top = r.matches[0];
      console.log(
        `${path}: ${r.verdict}; ${registry.entryFilesLoaded - loaded} of ${registry.entries.length} entries loaded; ` +
          `top ${top ? `${top.entry} ${top.verdict} (${top.reason.slice(0, 140)})` : 'none'}`,
      );
    }
  }, 600_000);

  afterAll(async () => {
    await tmp?.cleanup();
  });

  it.each(DERIVED)('%s: names %s as derived or identical, first', (path, entry) => {
    const r = results.get(path)!;
    expect(['derived', 'identical']).toContain(r.verdict);
    const first = r.matches[0]!;
    expect(first.entry).toBe(entry);
    expect(['derived', 'identical']).toContain(first.verdict);
    // no other entry is called derived
    expect(r.matches.filter((m) => m.verdict === 'derived' || m.verdict === 'identical').map((m) => m.entry)).toEqual([
      entry,
    ]);
    // undeclared reuse fails the default policy
    expect(r.policy.result).toBe('fail');
  });

  it.each(INDEPENDENT)('%s: no derived or identical match', (path) => {
    const r = results.get(path)!;
    expect(r.matches.filter((m) => m.verdict === 'derived' || m.verdict === 'identical')).toEqual([]);
    expect(['independent', 'inconclusive']).toContain(r.verdict);
    expect(r.policy.result).not.toBe('fail');
  });
});
