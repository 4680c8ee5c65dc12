/** Shared builders for registry/check tests: generated models written to temp dirs and fingerprinted. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { makeBase, textSpec, visionSpec, type ModelSpec, type SynthModel } from '../../src/synth/model.js';
import { writeModelDir } from '../../src/synth/write.js';

export async function tempDir(label = 'registry'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `weightprint-${label}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes the model as a directory under `root` and fingerprints it (full mode by default). */
export async function fingerprintSynth(
  root: string,
  model: SynthModel,
  name: string,
  mode: 'full' | 'sample' = 'full',
): Promise<{ dir: string; fp: FingerprintDocument }> {
  const dir = await writeModelDir(model, join(root, name));
  return { dir, fp: await loadFingerprint(dir, { mode }) };
}

export const SMALL: ModelSpec = { text: textSpec() };
export const WIDE: ModelSpec = {
  text: textSpec({ hidden: 160, ffn: 448, layers: 4, heads: 8, kvHeads: 4, vocab: 576 }),
};
export const VLM: ModelSpec = {
  text: textSpec({ hidden: 128, ffn: 352, layers: 4, heads: 8, kvHeads: 4, vocab: 512 }),
  vision: visionSpec(),
};

export function base(spec: ModelSpec, seed: number, id: string): SynthModel {
  return makeBase(spec, seed, { id, ...(spec.vision ? { configStyle: 'qwen2_5_vl' as const } : {}) });
}
