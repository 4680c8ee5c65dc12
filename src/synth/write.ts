/**
 * Writes a SynthModel as a Hugging Face model directory: model.safetensors, config.json,
 * tokenizer.json, README.md. Byte-deterministic (fixed tensor order, fixed JSON key order).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSafetensors, type TensorToWrite } from '../formats/writer.js';
import { encodeFromFloat32, F8_E4M3_MAX } from './encode.js';
import { modelCardText, modelConfig, type SynthModel } from './model.js';

/** Decoder/encoder block matrices: what FP8 checkpoints quantise (embeddings, head, norms stay BF16). */
function isQuantisable(name: string, shape: number[], visionPrefix: string): boolean {
  return shape.length === 2 && !name.startsWith(visionPrefix) && /(^|\.)(layers|h)\.\d+\./.test(name);
}

/** Tensors as they go to disk, after the storage cast. */
export function tensorsToWrite(model: SynthModel): TensorToWrite[] {
  const names = [...model.tensors.keys()];
  // safetensors (Rust) sorts by name when serialising; that is what real files look like
  if (model.tensorOrder === 'sorted') names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: TensorToWrite[] = [];
  const { dtype, fp8Scale } = model.storage;
  for (const name of names) {
    const t = model.tensors.get(name)!;
    if (dtype !== 'F8_E4M3') {
      out.push({ name, dtype, shape: t.shape, data: encodeFromFloat32(dtype, t.values) });
      continue;
    }
    if (!isQuantisable(name, t.shape, model.visionPrefix)) {
      out.push({ name, dtype: 'BF16', shape: t.shape, data: encodeFromFloat32('BF16', t.values) });
      continue;
    }
    if (fp8Scale === 'none') {
      out.push({ name, dtype, shape: t.shape, data: encodeFromFloat32('F8_E4M3', t.values) });
      continue;
    }
    let amax = 0;
    for (let i = 0; i < t.values.length; i++) amax = Math.max(amax, Math.abs(t.values[i]!));
    const scale = Math.fround(amax > 0 ? amax / F8_E4M3_MAX : 1);
    const scaled = new Float32Array(t.values.length);
    for (let i = 0; i < scaled.length; i++) scaled[i] = t.values[i]! / scale;
    out.push({ name, dtype, shape: t.shape, data: encodeFromFloat32('F8_E4M3', scaled) });
    out.push({
      name: `${name}_scale`,
      dtype: 'F32',
      shape: [1],
      data: encodeFromFloat32('F32', Float32Array.of(scale)),
    });
  }
  return out;
}

function encodeModel(model: SynthModel): Uint8Array {
  return encodeSafetensors(tensorsToWrite(model), { format: 'pt' });
}

/** The four files of a model directory, as bytes/text. */
export function modelFiles(model: SynthModel): Record<string, Uint8Array | string> {
  return {
    'model.safetensors': encodeModel(model),
    'config.json': `${JSON.stringify(modelConfig(model), null, 2)}\n`,
    'tokenizer.json': `${JSON.stringify(model.tokenizer, null, 2)}\n`,
    'README.md': modelCardText(model),
  };
}

export async function writeModelDir(model: SynthModel, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(modelFiles(model))) await writeFile(join(dir, file), content);
  return dir;
}
