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
import { encodeSafetensors, type TensorToWrite } from '../formats/writer.js';
import {
  packAwq,
  packCompressed,
  packFp8Block,
  packFp8Channel,
  packGptq,
  packMxfp4,
  packNf4,
} from '../synth/quant-pack.js';
import { Rng } from '../synth/random.js';
import { hfToGguf, q4kmTypeOf, type HfTensor } from '../synth/to-gguf.js';
import type { FileCase } from './file-case.js';

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

/** `type` is a ggml type, or `Q4_K_M` for llama-quantize's mix of Q4_K and Q6_K. */
export async function writeGgufModel(model: HfModel, path: string, type: string): Promise<string> {
  const mix = type === 'Q4_K_M' ? { type: 'Q4_K', typeOf: q4kmTypeOf } : { type };
  await writeFile(path, hfToGguf(model.tensors, { ...mix, heads: model.heads, kvHeads: model.kvHeads }));
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
export async function writeGgufCases(real: string, work: string): Promise<FileCase[]> {
  await mkdir(work, { recursive: true });
  const cases: FileCase[] = [
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
  cases.push({
    id: `${label} → GGUF Q4_K_M (Q4_K, Q6_K for attn_v/ffn_down/output)`,
    title: "quantised copy in llama-quantize's most downloaded mix",
    truth: 'identical',
    accept: ['identical'],
    a: ref,
    b: await gguf(base, 'Q4_K_M', 'copy-Q4_K_M'),
  });
  for (const [rel, type] of [
    [0.05, 'Q8_0'],
    [0.1, 'Q4_K'],
    [0.1, 'Q4_K_M'],
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

// ---------------------------------------------------------------------------------------------
// Quantised safetensors checkpoints (GPTQ, AWQ, compressed-tensors, FP8, MXFP4, bitsandbytes)

export type QuantScheme =
  | 'gptq-4'
  | 'gptq-3'
  | 'gptq-8-act'
  | 'awq'
  | 'ct-4'
  | 'fp8-block'
  | 'fp8-channel'
  | 'mxfp4'
  | 'nf4';

const QUANT_CONFIG: Record<QuantScheme, object | undefined> = {
  'gptq-4': { quant_method: 'gptq', bits: 4, group_size: 64, desc_act: false, sym: false },
  'gptq-3': { quant_method: 'gptq', bits: 3, group_size: 64, desc_act: false, sym: false },
  'gptq-8-act': { quant_method: 'gptq', bits: 8, group_size: 64, desc_act: true, sym: false },
  awq: { quant_method: 'awq', bits: 4, group_size: 64, version: 'gemm', zero_point: true },
  'ct-4': {
    quant_method: 'compressed-tensors',
    format: 'pack-quantized',
    config_groups: { group_0: { weights: { num_bits: 4, group_size: 32, strategy: 'group', symmetric: true } } },
  },
  'fp8-block': { quant_method: 'fp8', fmt: 'e4m3', weight_block_size: [128, 128] },
  'fp8-channel': { quant_method: 'fbgemm_fp8' },
  mxfp4: { quant_method: 'mxfp4' },
  nf4: { quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_quant_type: 'nf4' },
};

/** Decoder-layer matrices are quantised, as the tools do; embeddings, norms and the head stay float. */
function quantisable(t: HfTensor): boolean {
  return t.shape.length === 2 && /\.layers\.\d+\..*\.weight$/.test(t.name);
}

export function quantisedTensors(model: HfModel, scheme: QuantScheme): TensorToWrite[] {
  const out: TensorToWrite[] = [];
  for (const t of model.tensors) {
    if (!quantisable(t)) {
      out.push({ name: t.name, dtype: 'F32', shape: t.shape, data: new Uint8Array(t.values.buffer.slice(0)) });
      continue;
    }
    const stem = t.name.replace(/\.weight$/, '');
    const m = { name: stem, rows: t.shape[0]!, cols: t.shape[1]!, values: t.values };
    switch (scheme) {
      case 'gptq-4':
        out.push(...packGptq(m, 4, 64));
        break;
      case 'gptq-3':
        out.push(...packGptq(m, 3, 64));
        break;
      case 'gptq-8-act':
        out.push(...packGptq(m, 8, 64, true));
        break;
      case 'awq':
        out.push(...packAwq(m, 64));
        break;
      case 'ct-4':
        out.push(...packCompressed(m, 4, 32));
        break;
      case 'fp8-block':
        out.push(...packFp8Block(m));
        break;
      case 'fp8-channel':
        out.push(...packFp8Channel(m));
        break;
      case 'mxfp4':
        // gpt-oss names its MXFP4 tensors <logical name>_blocks / _scales
        out.push(...packMxfp4({ ...m, name: t.name }));
        break;
      case 'nf4':
        out.push(...packNf4(m));
        break;
    }
  }
  return out;
}

export async function writeQuantisedModel(model: HfModel, scheme: QuantScheme, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(quantisedTensors(model, scheme)));
  const config = { ...JSON.parse(model.config), quantization_config: QUANT_CONFIG[scheme] };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** Every quantised-safetensors scheme as a copy of real weights, a drifted copy, and an unrelated model. */
export async function writeQuantisedCases(real: string, work: string): Promise<FileCase[]> {
  const ref = join(real, EN10);
  const base = await readHfModel(ref);
  const cases: FileCase[] = [];
  const schemes: QuantScheme[] = [
    'gptq-4',
    'gptq-3',
    'gptq-8-act',
    'awq',
    'ct-4',
    'fp8-block',
    'fp8-channel',
    'mxfp4',
    'nf4',
  ];
  for (const scheme of schemes) {
    cases.push({
      id: `${EN10} → ${scheme} safetensors`,
      title: `quantised copy (${scheme})`,
      truth: 'identical',
      accept: ['identical'],
      a: ref,
      b: await writeQuantisedModel(base, scheme, join(work, `copy-${scheme}`)),
    });
  }
  for (const scheme of ['gptq-4', 'awq', 'fp8-block', 'mxfp4', 'nf4'] as QuantScheme[]) {
    cases.push({
      id: `${EN10} + noise ×0.1 σ → ${scheme} safetensors`,
      title: 'fine-tuned (drifted), then quantised',
      truth: 'derived',
      accept: ['derived'],
      a: ref,
      b: await writeQuantisedModel(drift(base, 0.1, 23), scheme, join(work, `ft-${scheme}`)),
    });
  }
  const other = await readHfModel(join(real, EN10_OTHER));
  cases.push({
    id: `${EN10_OTHER} → gptq-4 safetensors vs ${EN10}`,
    title: 'an unrelated real model, quantised',
    truth: 'independent',
    accept: ['independent'],
    a: ref,
    b: await writeQuantisedModel(other, 'gptq-4', join(work, 'indep-gptq-4')),
  });
  return cases;
}
