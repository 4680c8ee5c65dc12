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
import type { FormatCase } from './pytorch.js';

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

// ---------------------------------------------------------------------------------------------
// GGUF cases of the evaluation's "formats" group

const STORIES = 'llama2c/karpathy_stories260K';
const STORIES_GGUF = 'formats/stories260K.gguf';
const EN10 = 'llama2c/EN10_babyllama_tok361';
const EN10_OTHER = 'llama2c/EN10_babyllama_tok105';

/** Every compared ggml type, as a quantised copy of real weights. */
const COPY_TYPES = [
  'Q8_0',
  'Q6_K',
  'Q5_K',
  'Q5_1',
  'Q5_0',
  'Q4_K',
  'Q4_1',
  'Q4_0',
  'IQ4_NL',
  'IQ4_XS',
  'Q3_K',
  'Q2_K',
  'Q8_K',
];

/**
 * llama.cpp's real GGUF of stories260K both ways; a real model (laid out 256 wide so k-quants
 * apply) as a GGUF of every compared type, re-containered as F32, fine-tuned (drifted) then
 * quantised, and an unrelated real model quantised.
 */
export async function writeGgufCases(real: string, work: string): Promise<FormatCase[]> {
  await mkdir(work, { recursive: true });
  const cases: FormatCase[] = [
    {
      id: `${STORIES} → ${STORIES_GGUF}`,
      title: "llama.cpp's own conversion (F32, q/k in rotary order)",
      truth: 'identical',
      accept: ['identical'],
      a: join(real, STORIES),
      b: join(real, STORIES_GGUF),
    },
    {
      id: `${STORIES_GGUF} → ${STORIES}`,
      title: 'the same pair, the GGUF as the reference',
      truth: 'identical',
      accept: ['identical'],
      a: join(real, STORIES_GGUF),
      b: join(real, STORIES),
    },
  ];
  const base = widen(await readHfModel(join(real, EN10)));
  const ref = await writeSafetensorsModel(base, join(work, 'en10-256'));
  const label = `${EN10} (256 wide)`;
  const gguf = async (model: HfModel, type: string, name: string) =>
    writeGgufModel(model, join(work, `${name}.gguf`), type);
  cases.push({
    id: `${label} → GGUF F32`,
    title: 're-containered, no rounding',
    truth: 'identical',
    accept: ['identical'],
    a: ref,
    b: await gguf(base, 'F32', 'f32'),
  });
  for (const type of COPY_TYPES) {
    cases.push({
      id: `${label} → GGUF ${type}`,
      title: `quantised copy (ggml reference quantiser, ${type})`,
      truth: 'identical',
      accept: ['identical'],
      a: ref,
      b: await gguf(base, type, `copy-${type}`),
    });
  }
  for (const [rel, type] of [
    [0.05, 'Q8_0'],
    [0.1, 'Q4_K'],
    [0.3, 'Q2_K'],
  ] as const) {
    cases.push({
      id: `${label} + noise ×${rel} σ → GGUF ${type}`,
      title: 'fine-tuned (drifted), then quantised',
      truth: 'derived',
      accept: ['derived'],
      a: ref,
      b: await gguf(drift(base, rel, 17), type, `ft-${type}`),
    });
  }
  const other = widen(await readHfModel(join(real, EN10_OTHER)));
  for (const type of ['Q8_0', 'Q4_K']) {
    cases.push({
      id: `${EN10_OTHER} (256 wide) → GGUF ${type} vs ${label}`,
      title: 'an unrelated real model, quantised',
      truth: 'independent',
      accept: ['independent'],
      a: ref,
      b: await gguf(other, type, `indep-${type}`),
    });
  }
  return cases;
}
