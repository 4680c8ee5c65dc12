/**
 * Real models as plain tensor maps, for the evaluation's disguised copies: read every tensor of a
 * model file or directory as float32 (with its stored dtype), write a transformed map back as a
 * model directory (model.safetensors + config.json) or a single file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openModel } from '../formats/model.js';
import { decodeToFloat32, encodeFromFloat32, type EncodableDType } from '../formats/dtypes.js';
import { encodeSafetensors, type TensorToWrite } from '../formats/writer.js';
import type { SynthTensor } from '../synth/model.js';

const FLOATS = new Set(['F32', 'F16', 'BF16', 'F64']);

export interface LoadedModel {
  /** Float tensors, in file order. */
  tensors: Map<string, SynthTensor>;
  /** Stored dtype of each float tensor. */
  dtypes: Map<string, string>;
  /** Non-float tensors (kept byte for byte). */
  raw: TensorToWrite[];
  metadata: Record<string, string>;
  config?: Record<string, unknown>;
}

export async function loadTensors(path: string): Promise<LoadedModel> {
  const model = await openModel(path);
  try {
    const tensors = new Map<string, SynthTensor>();
    const dtypes = new Map<string, string>();
    const raw: TensorToWrite[] = [];
    for (const t of model.tensors) {
      const bytes = await t.file.read(t.offset, t.byteLength);
      if (!FLOATS.has(t.dtype)) {
        raw.push({ name: t.name, dtype: t.dtype, shape: t.shape, data: bytes });
        continue;
      }
      tensors.set(t.name, { shape: t.shape.slice(), values: decodeToFloat32(t.dtype, bytes) });
      dtypes.set(t.name, t.dtype);
    }
    const text = await model.readText('config.json');
    return {
      tensors,
      dtypes,
      raw,
      metadata: model.metadata,
      config: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  } finally {
    await model.close();
  }
}

function encode(loaded: Pick<LoadedModel, 'dtypes' | 'raw'>, tensors: Map<string, SynthTensor>): TensorToWrite[] {
  const out: TensorToWrite[] = [...loaded.raw];
  for (const [name, t] of tensors) {
    const dtype = (loaded.dtypes.get(name) ?? 'F32') as EncodableDType;
    out.push({ name, dtype, shape: t.shape, data: encodeFromFloat32(dtype, t.values) });
  }
  return out;
}

/** One safetensors file holding `tensors` (each in its original dtype, F32 when new). */
export async function writeTensorsFile(
  out: string,
  loaded: Pick<LoadedModel, 'dtypes' | 'raw' | 'metadata'>,
  tensors: Map<string, SynthTensor>,
): Promise<string> {
  await writeFile(out, encodeSafetensors(encode(loaded, tensors), loaded.metadata));
  return out;
}

/** A model directory: model.safetensors and, when given, config.json. */
export async function writeTensorsDir(
  dir: string,
  loaded: Pick<LoadedModel, 'dtypes' | 'raw' | 'metadata'>,
  tensors: Map<string, SynthTensor>,
  config?: Record<string, unknown>,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeTensorsFile(join(dir, 'model.safetensors'), loaded, tensors);
  if (config) await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}
