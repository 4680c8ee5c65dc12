/** Reads the real, externally produced weights in ../shared/realmodels (when present). */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeToFloat32, isDecodable } from '../../src/formats/dtypes.js';
import { openModel } from '../../src/formats/model.js';

const ROOT = resolve(import.meta.dirname, '../../../shared/realmodels');
const present = existsSync(ROOT);

/** Tensor counts from MANIFEST.md. */
const EXPECTED: Record<string, number> = {
  faceapi_landmark68: 49,
  faceapi_expression: 49,
  faceapi_tiny_face_detector_v1: 19,
  faceapi_tiny_face_detector_v2: 19,
  faceapi_age_gender: 51,
  faceapi_mtcnn: 50,
  mediapipe_selfie_general: 113,
  human_selfie_tfjs: 132,
  silero_vad_v5: 15,
  silero_vad_v6: 15,
  ml5_charrnn_charlotte_bronte: 8,
  ml5_charrnn_dubois: 8,
  ml5_styletransfer_mathura: 48,
  ml5_styletransfer_matta: 48,
};

const title = present ? `real models in ${ROOT}` : `real models (skipped: ${ROOT} is absent)`;

describe.skipIf(!present)(title, () => {
  const files = present
    ? readdirSync(ROOT)
        .filter((f) => f.endsWith('.safetensors'))
        .sort()
    : [];
  const llamaDirs = present
    ? readdirSync(join(ROOT, 'llama2c'))
        .filter((d) => existsSync(join(ROOT, 'llama2c', d, 'model.safetensors')))
        .sort()
    : [];

  it('has every model listed in the manifest', () => {
    expect(files.map((f) => f.replace(/\.safetensors$/, ''))).toEqual(Object.keys(EXPECTED).sort());
    expect(llamaDirs.length).toBeGreaterThan(0);
  });

  it.each(files)('%s opens with the manifest tensor count and decodes', async (file) => {
    const m = await openModel(join(ROOT, file));
    try {
      expect(m.kind).toBe('file');
      expect(m.tensors).toHaveLength(EXPECTED[file.replace(/\.safetensors$/, '')]!);
      expect(m.metadata.source).toBeTruthy();
      for (const t of m.tensors) {
        if (!isDecodable(t.dtype)) continue;
        const values = decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength));
        expect(values.length).toBe(t.numel);
      }
    } finally {
      await m.close();
    }
  });

  it.each(llamaDirs)('llama2c/%s opens as a file and as a directory, exposing config.json', async (name) => {
    const dir = join(ROOT, 'llama2c', name);
    for (const [spec, kind] of [
      [join(dir, 'model.safetensors'), 'file'],
      [dir, 'directory'],
    ] as const) {
      const m = await openModel(spec);
      try {
        expect(m.kind).toBe(kind);
        expect(m.tensors.some((t) => t.name === 'model.embed_tokens.weight')).toBe(true);
        const config = JSON.parse((await m.readText('config.json'))!) as { num_hidden_layers: number };
        // Each layer has 9 tensors (4 attention, 3 MLP, 2 norms) plus embed, final norm and lm_head.
        expect(m.tensors).toHaveLength(config.num_hidden_layers * 9 + 3);
      } finally {
        await m.close();
      }
    }
  });
});
