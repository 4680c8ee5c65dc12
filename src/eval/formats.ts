/**
 * Format cases built from real weights: a real llama2.c model read as float32, optionally laid
 * out 256 values wide (k-quant blocks need rows of 256), drifted (a stand-in for further
 * training), and written back as safetensors or as a GGUF of a given ggml type. Generated on the
 * fly for the evaluation and the tests, never stored.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeToFloat32 } from '../formats/dtypes.js';
import { openModel } from '../formats/model.js';
import { encodeSafetensors } from '../formats/writer.js';
import { Rng } from '../synth/random.js';
import { hfToGguf, type HfTensor } from '../synth/to-gguf.js';

export interface HfModel {
  tensors: HfTensor[];
  heads: number;
  kvHeads: number;
  config: string;
}

export async function readHfModel(dir: string): Promise<HfModel> {
  const config = await readFile(join(dir, 'config.json'), 'utf8');
  const c = JSON.parse(config) as { num_attention_heads: number; num_key_value_heads?: number };
  const m = await openModel(dir);
  try {
    const tensors: HfTensor[] = [];
    for (const t of m.tensors) {
      tensors.push({
        name: t.name,
        shape: t.shape,
        values: decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength)),
      });
    }
    return { tensors, heads: c.num_attention_heads, kvHeads: c.num_key_value_heads ?? c.num_attention_heads, config };
  } finally {
    await m.close();
  }
}

/** Matrices re-laid `width` values wide (same values, row-major); vectors and other sizes kept. */
export function widen(model: HfModel, width = 256): HfModel {
  return {
    ...model,
    tensors: model.tensors.map((t) =>
      t.shape.length === 2 && t.values.length % width === 0 && t.shape[1] !== width
        ? { ...t, shape: [t.values.length / width, width] }
        : t,
    ),
  };
}

/** Every matrix plus Gaussian noise of `rel`× its own standard deviation. */
export function drift(model: HfModel, rel: number, seed: number): HfModel {
  const rng = new Rng(seed);
  return {
    ...model,
    tensors: model.tensors.map((t) => {
      if (t.shape.length < 2 || rel === 0) return t;
      let mean = 0;
      for (const x of t.values) mean += x;
      mean /= t.values.length;
      let ss = 0;
      for (const x of t.values) ss += (x - mean) ** 2;
      const sd = rel * Math.sqrt(ss / t.values.length);
      return { ...t, values: Float32Array.from(t.values, (x) => x + sd * rng.normal()) };
    }),
  };
}

export async function writeSafetensorsModel(model: HfModel, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'model.safetensors'),
    encodeSafetensors(
      model.tensors.map((t) => ({
        name: t.name,
        dtype: 'F32',
        shape: t.shape,
        data: new Uint8Array(t.values.buffer.slice(0)),
      })),
    ),
  );
  await writeFile(join(dir, 'config.json'), model.config);
  return dir;
}

export async function writeGgufModel(model: HfModel, path: string, type: string): Promise<string> {
  await writeFile(path, hfToGguf(model.tensors, { type, heads: model.heads, kvHeads: model.kvHeads }));
  return path;
}
