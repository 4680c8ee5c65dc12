/**
 * Seeded fuzzing of quantised-safetensors checkpoints: valid GPTQ, AWQ, compressed-tensors, FP8,
 * MXFP4 and bitsandbytes NF4 (plain and nested) files with their shapes, dtypes, config.json
 * quantization_config, quant states and side data (g_idx, zeros, scales) mutated. Every case
 * must open and fingerprint (full and sketch) or be rejected with a one-line InputError: never
 * another error, never a read outside a part, never a hang. Named mutations the decoders must
 * refuse (mismatched qweight/scales/zeros shapes, group sizes that do not tile, bits GPTQ does
 * not pack, g_idx out of range) are checked one by one.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { openModel } from '../../src/formats/model.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';
import { fingerprintLogicalFull, fingerprintLogicalSample } from '../../src/fingerprint/logical.js';
import {
  NF4_VALUES,
  packAwq,
  packCompressed,
  packFp8Block,
  packFp8Channel,
  packGptq,
  packMxfp4,
  packNf4,
} from '../../src/synth/quant-pack.js';
import { makeTempDir, rng } from './helpers.js';

// QUANT_FUZZ_SEED / QUANT_FUZZ_CASES run a longer search locally; CI runs the default
const SEED = Number(process.env.QUANT_FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.QUANT_FUZZ_CASES ?? 360);

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(async () => tmp.cleanup());

interface Checkpoint {
  label: string;
  tensors: TensorToWrite[];
  config?: Record<string, unknown>;
}

const ELEMENT_BYTES: Record<string, number> = {
  I32: 4,
  F32: 4,
  F16: 2,
  BF16: 2,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  I64: 8,
};

function matrix(name: string, rows: number, cols: number, seed: number) {
  const r = rng(seed);
  return { name, rows, cols, values: Float32Array.from({ length: rows * cols }, () => r() - 0.5) };
}

function nestedNf4(): TensorToWrite[] {
  // 64 × 64 values, blocks of 64: 64 absmax codes of a 256-value map, scaled per 32 blocks
  const r = rng(7);
  const state = JSON.stringify({ blocksize: 64, shape: [64, 64], nested_blocksize: 32, nested_offset: 0.25 });
  const f32 = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
  return [
    { name: 'n.weight', dtype: 'U8', shape: [2048, 1], data: Uint8Array.from({ length: 2048 }, () => int(r, 256)) },
    { name: 'n.weight.absmax', dtype: 'U8', shape: [64], data: Uint8Array.from({ length: 64 }, () => int(r, 256)) },
    { name: 'n.weight.quant_map', dtype: 'F32', shape: [16], data: f32(NF4_VALUES) },
    { name: 'n.weight.nested_absmax', dtype: 'F32', shape: [2], data: f32([0.5, 2]) },
    {
      name: 'n.weight.nested_quant_map',
      dtype: 'F32',
      shape: [256],
      data: f32(Array.from({ length: 256 }, (_, i) => i / 255)),
    },
    {
      name: 'n.weight.quant_state.bitsandbytes__nf4',
      dtype: 'U8',
      shape: [state.length],
      data: new Uint8Array(Buffer.from(state)),
    },
  ];
}

function checkpoints(): Checkpoint[] {
  const m = (seed: number) => matrix('l', 64, 256, seed);
  const named = (ts: TensorToWrite[]) => ts.map((t) => ({ ...t, name: t.name.replace('l.weight.', 'l.') }));
  return [
    { label: 'gptq-4', tensors: packGptq(m(1), 4, 32), config: { quant_method: 'gptq', bits: 4, group_size: 32 } },
    { label: 'gptq-3-act', tensors: packGptq(matrix('l', 32, 256, 2), 3, 32, true) },
    { label: 'gptq-8-act', tensors: packGptq(m(3), 8, 64, true), config: { quant_method: 'gptq', bits: 8 } },
    {
      label: 'awq',
      tensors: packAwq(m(4), 32),
      config: { quant_method: 'awq', bits: 4, group_size: 32, version: 'gemm' },
    },
    {
      label: 'ct-4',
      tensors: packCompressed(m(5), 4, 32),
      config: {
        quant_method: 'compressed-tensors',
        config_groups: { g: { weights: { num_bits: 4, group_size: 32 } } },
      },
    },
    { label: 'fp8-block', tensors: named(packFp8Block(matrix('l.weight', 200, 256, 6))) },
    { label: 'fp8-channel', tensors: named(packFp8Channel(matrix('l.weight', 64, 256, 7))) },
    { label: 'mxfp4', tensors: packMxfp4(matrix('e.up', 64, 256, 8)) },
    { label: 'nf4', tensors: packNf4(m(9)) },
    { label: 'nf4-nested', tensors: nestedNf4() },
  ];
}

/** Bytes for a tensor of this dtype and shape: the original's where they fit, then random. */
function resized(t: TensorToWrite, dtype: string, shape: number[], r: Rand): TensorToWrite {
  const n = shape.reduce((a, b) => a * b, 1) * (ELEMENT_BYTES[dtype] ?? 1);
  const data = new Uint8Array(n);
  data.set(t.data.subarray(0, Math.min(n, t.data.length)));
  for (let i = t.data.length; i < n; i++) data[i] = int(r, 256);
  return { name: t.name, dtype, shape, data };
}

const MAX_NUMEL = 2 ** 21;

function mutateShape(t: TensorToWrite, r: Rand): TensorToWrite {
  for (let tries = 0; tries < 8; tries++) {
    const shape = [...t.shape];
    const kind = int(r, 5);
    if (kind === 0 && shape.length > 0) shape.pop();
    else if (kind === 1) shape.push(pick(r, [1, 2, 16]));
    else if (kind === 2 && shape.length > 1) shape.reverse();
    else if (shape.length > 0) {
      const d = int(r, shape.length);
      const x = shape[d]!;
      shape[d] = pick(r, [0, 1, 2, 3, 7, 8, 31, 33, x - 1, x + 1, 2 * x, Math.floor(x / 2), 4096, 65536]);
    }
    if (shape.every((d) => d >= 0) && shape.reduce((a, b) => a * b, 1) <= MAX_NUMEL)
      return resized(t, t.dtype, shape, r);
  }
  return t;
}

function mutateData(t: TensorToWrite, r: Rand): TensorToWrite {
  const data = t.data.slice();
  if (t.name.endsWith('g_idx') && data.length >= 4) {
    // a group index out of range, negative, or huge
    const v = new DataView(data.buffer);
    v.setInt32(4 * int(r, data.length / 4), pick(r, [-1, 64, 65536, 2 ** 31 - 1, -(2 ** 31)]), true);
  } else if (t.name.includes('quant_state')) {
    let state: Record<string, unknown> = {};
    try {
      state = JSON.parse(Buffer.from(data).toString()) as Record<string, unknown>;
    } catch {
      // already mutated into something else: start again from an empty state
    }
    const key = pick(r, ['blocksize', 'shape', 'nested_blocksize', 'nested_offset']);
    state[key] = pick(r, [0, -1, 1.5, 1e12, 'x', null, [0], [64, 65], [1, 2 ** 40], [[4]], Number.NaN]);
    const text = r() < 0.1 ? '{not json' : JSON.stringify(state);
    return { ...t, shape: [Buffer.byteLength(text)], data: new Uint8Array(Buffer.from(text)) };
  } else {
    for (let k = 0; k < 1 + int(r, 8); k++) if (data.length) data[int(r, data.length)] = pick(r, [0, 0xff, 0x7f, 0x80]);
  }
  return { ...t, data };
}

function mutateConfig(c: Record<string, unknown> | undefined, r: Rand): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(c ?? {}) };
  const key = pick(r, ['bits', 'group_size', 'quant_method', 'checkpoint_format', 'version', 'weight_block_size']);
  const values: Record<string, unknown[]> = {
    bits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 33, -4, 1.5, '4', null],
    group_size: [-1, 0, 1, 3, 7, 32, 64, 100, 1e9, 2.5, '32', null],
    quant_method: ['gptq', 'awq', 'compressed-tensors', 'fp8', 'bitsandbytes', 'GPTQ', 42],
    checkpoint_format: ['gptq', 'gptq_v2', 7],
    version: ['gemm', 'gemv', 'GEMM', 1],
    weight_block_size: [[128, 128], [0, 128], [1, 1], [128], [-1, 5], [3.5, 2], [64, 64], 'x'],
  };
  out[key] = pick(r, values[key]!);
  return out;
}

function mutate(base: Checkpoint, r: Rand): Checkpoint {
  let tensors = base.tensors.map((t) => ({ ...t }));
  let config = base.config;
  const steps = 1 + int(r, 3);
  for (let s = 0; s < steps; s++) {
    const kind = int(r, 6);
    const k = int(r, tensors.length);
    const t = tensors[k]!;
    if (kind === 0 || kind === 1) tensors[k] = mutateShape(t, r);
    else if (kind === 2) {
      const dtype = pick(r, Object.keys(ELEMENT_BYTES));
      tensors[k] = resized(t, dtype, t.shape, r);
    } else if (kind === 3) {
      // side data: g_idx when there is one (half the time), else this tensor's bytes
      const target = (r() < 0.5 && tensors.find((x) => x.name.endsWith('g_idx'))) || t;
      const changed = mutateData(target, r);
      tensors = tensors.map((x) => (x.name === changed.name ? changed : x));
    } else if (kind === 4) config = mutateConfig(config, r);
    else if (tensors.length > 1) tensors = tensors.filter((_, i) => i !== k);
  }
  return { label: base.label, tensors, ...(config ? { config } : {}) };
}

async function write(c: Checkpoint, name: string): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(c.tensors));
  if (c.config) await writeFile(join(dir, 'config.json'), JSON.stringify({ quantization_config: c.config }));
  return dir;
}

type Outcome = 'decoded' | 'refused-open' | 'refused-decode';

/** Opens and fingerprints every logical tensor (full and sketch); rethrows anything but an InputError. */
async function run(dir: string): Promise<{ outcome: Outcome; error?: InputError; logical: number }> {
  const fail = (e: unknown, outcome: Outcome) => {
    if (!(e instanceof InputError)) throw e;
    expect(e.message).not.toMatch(/[\r\n]/);
    return { outcome, error: e, logical: 0 };
  };
  let m: Awaited<ReturnType<typeof openModel>>;
  try {
    m = await openModel(dir);
  } catch (e) {
    return fail(e, 'refused-open');
  }
  try {
    let logical = 0;
    for (const t of m.tensors) {
      if (!t.encoding) continue;
      logical++;
      const full = await fingerprintLogicalFull(t, 256, 1, 1 << 16, () => {});
      const sketch = await fingerprintLogicalSample(t, 256, 1);
      expect(full.shape).toEqual(t.shape);
      expect(sketch.shape).toEqual(t.shape);
    }
    return { outcome: 'decoded', logical };
  } catch (e) {
    return fail(e, 'refused-decode');
  } finally {
    await m.close();
  }
}

describe('quantised checkpoints with mutated headers, configs and side data', () => {
  it('every unmutated base decodes', async () => {
    for (const c of checkpoints()) {
      const r = await run(await write(c, `base-${c.label}`));
      expect([c.label, r.outcome, r.error?.message]).toEqual([c.label, 'decoded', undefined]);
      expect(r.logical).toBeGreaterThan(0);
    }
  });

  it(`${CASES} seeded mutations: decoded or one-line InputErrors, nothing else`, async () => {
    const r = rng(SEED);
    const bases = checkpoints();
    const seen: Record<Outcome, number> = { decoded: 0, 'refused-open': 0, 'refused-decode': 0 };
    const problems = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const c = mutate(bases[i % bases.length]!, r);
      const dir = await write(c, `case-${i}`);
      let res: Awaited<ReturnType<typeof run>>;
      try {
        res = await run(dir);
      } catch (e) {
        throw new Error(`case ${i} (${c.label}, seed ${SEED}): ${(e as Error).stack}`);
      }
      seen[res.outcome]++;
      if (res.error) {
        const what = res.error.problem.replace(/\d+/g, 'N').slice(0, 60);
        problems.set(what, (problems.get(what) ?? 0) + 1);
      }
    }
    console.log(`quant fuzz: ${JSON.stringify(seen)}; ${problems.size} distinct refusals`);
    expect(seen.decoded).toBeGreaterThan(CASES / 10);
    expect(seen['refused-open']).toBeGreaterThan(CASES / 10);
    expect(seen['refused-decode']).toBeGreaterThan(0);
  });
});

describe('named mutations are refused with the reason', () => {
  const gptq = () => checkpoints().find((c) => c.label === 'gptq-4')!;
  const act = () => checkpoints().find((c) => c.label === 'gptq-8-act')!;
  const awq = () => checkpoints().find((c) => c.label === 'awq')!;
  const nf4 = () => checkpoints().find((c) => c.label === 'nf4')!;
  const withTensor = (c: Checkpoint, name: string, f: (t: TensorToWrite) => TensorToWrite): Checkpoint => ({
    ...c,
    tensors: c.tensors.map((t) => (t.name === name ? f(t) : t)),
  });
  const r = rng(5);
  const cases: Array<[string, () => Checkpoint, string]> = [
    [
      'GPTQ qweight and scales disagree on the output columns',
      () => withTensor(gptq(), 'l.scales', (t) => resized(t, 'F16', [8, 63], r)),
      'GPTQ l: qzeros rows of 8 words do not pack 63 zeros at 4 bits',
    ],
    [
      'GPTQ qzeros rows fewer than the groups',
      () => withTensor(gptq(), 'l.qzeros', (t) => resized(t, 'I32', [7, 8], r)),
      'l: 7 qzeros rows for 8 groups',
    ],
    [
      'GPTQ qzeros of another width',
      () => withTensor(gptq(), 'l.qzeros', (t) => resized(t, 'I32', [8, 16], r)),
      'qzeros rows of 16 words do not pack 64 zeros at 4 bits',
    ],
    [
      'GPTQ group size that does not tile the inputs into the scale rows',
      () => ({ ...gptq(), config: { quant_method: 'gptq', bits: 4, group_size: 100 } }),
      'l: 8 scale rows for 256 inputs in groups of 100',
    ],
    [
      'GPTQ bits 5',
      () => ({ ...gptq(), config: { quant_method: 'gptq', bits: 5, group_size: 32 } }),
      'GPTQ l: 5 bits (GPTQ packs 2, 3, 4 or 8)',
    ],
    [
      'GPTQ bits 16',
      () => ({ ...gptq(), config: { quant_method: 'gptq', bits: 16, group_size: 32 } }),
      'GPTQ l: 16 bits (GPTQ packs 2, 3, 4 or 8)',
    ],
    [
      'GPTQ g_idx of the wrong dtype',
      () => withTensor(act(), 'l.g_idx', (t) => resized(t, 'F32', t.shape, r)),
      'l: g_idx is F32 [256], not I32 [inputs]',
    ],
    [
      'GPTQ g_idx naming a group past the last',
      () =>
        withTensor(act(), 'l.g_idx', (t) => {
          const data = t.data.slice();
          new DataView(data.buffer).setInt32(4 * 17, 4, true);
          return { ...t, data };
        }),
      'g_idx value 4 for inputs 0..255 outside [0, 4)',
    ],
    [
      'GPTQ g_idx naming a negative group',
      () =>
        withTensor(act(), 'l.g_idx', (t) => {
          const data = t.data.slice();
          new DataView(data.buffer).setInt32(4 * 255, -1, true);
          return { ...t, data };
        }),
      'g_idx value -1 for inputs 0..255 outside [0, 4)',
    ],
    [
      'GPTQ 3-bit qweight rows that hold no whole number of inputs (no g_idx to say how many)',
      () => {
        const c = checkpoints().find((x) => x.label === 'gptq-3-act')!;
        const tensors = c.tensors.filter((t) => t.name !== 'l.g_idx');
        return withTensor({ ...c, tensors }, 'l.qweight', (t) => resized(t, 'I32', [25, 32], r));
      },
      'GPTQ l: qweight rows 25 do not hold a whole number of 3-bit inputs',
    ],
    [
      'AWQ qzeros rows fewer than the groups',
      () => withTensor(awq(), 'l.qzeros', (t) => resized(t, 'I32', [3, 8], r)),
      'l: 3 qzeros rows for 8 groups',
    ],
    [
      'AWQ claimed at 8 bits',
      () => ({ ...awq(), config: { quant_method: 'awq', bits: 8, group_size: 32, version: 'gemm' } }),
      'AWQ l: 8 bits (AWQ GEMM packs 4)',
    ],
    [
      'NF4 code book of 15 values',
      () => withTensor(nf4(), 'l.weight.quant_map', (t) => resized(t, 'F32', [15], r)),
      'l.weight.quant_map: F32 [15], not 16 code values',
    ],
  ];
  it.each(cases)('%s', async (label, make, fragment) => {
    const res = await run(await write(make(), `named-${label.replace(/\W+/g, '-')}`));
    expect(res.outcome, label).not.toBe('decoded');
    expect(res.error!.message).toContain(fragment);
  });
});
