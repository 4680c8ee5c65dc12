import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { encodeFromFloat32, type EncodableDType } from '../../src/formats/dtypes.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { classifyTensor } from '../../src/fingerprint/classify.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';

/** Whisper's `sinusoids(length, channels)`: sin | cos halves, timescales 10000^(−j/(c/2−1)). */
function whisper(length: number, channels: number): Float32Array {
  const half = channels / 2;
  const inc = Math.log(10000) / (half - 1);
  const out = new Float32Array(length * channels);
  for (let p = 0; p < length; p++)
    for (let j = 0; j < half; j++) {
      const t = p * Math.exp(-inc * j);
      out[p * channels + j] = Math.sin(t);
      out[p * channels + half + j] = Math.cos(t);
    }
  return out;
}

/** fairseq / FSMT: Whisper's table with the padding row (index 1) zeroed. */
function fairseq(length: number, dim: number, paddingIdx = 1): Float32Array {
  const out = whisper(length, dim);
  out.fill(0, paddingIdx * dim, (paddingIdx + 1) * dim);
  return out;
}

/** Marian/Pegasus (HF `_init_weight`): pos / 10000^(2(j//2)/d), sin of even j then cos of odd j. */
function marian(nPos: number, dim: number): Float32Array {
  const out = new Float32Array(nPos * dim);
  const sentinel = dim % 2 === 0 ? dim / 2 : (dim + 1) / 2;
  for (let p = 0; p < nPos; p++) {
    const enc = Array.from({ length: dim }, (_, j) => p / 10000 ** ((2 * Math.floor(j / 2)) / dim));
    const sins = enc.filter((_, j) => j % 2 === 0).map(Math.sin);
    const coss = enc.filter((_, j) => j % 2 === 1).map(Math.cos);
    for (let j = 0; j < sentinel; j++) out[p * dim + j] = sins[j]!;
    for (let j = 0; j < coss.length; j++) out[p * dim + sentinel + j] = coss[j]!;
  }
  return out;
}

/** XLM / DistilBERT `create_sinusoidal_embeddings`: sin at even channels, cos at odd ones. */
function interleaved(nPos: number, dim: number, base = 10000, scale = 1): Float32Array {
  const out = new Float32Array(nPos * dim);
  for (let p = 0; p < nPos; p++)
    for (let j = 0; j < dim; j++) {
      const a = p / base ** ((2 * Math.floor(j / 2)) / dim);
      out[p * dim + j] = scale * (j % 2 === 0 ? Math.sin(a) : Math.cos(a));
    }
  return out;
}

function transpose(v: Float32Array, R: number, C: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = v[r * C + c]!;
  return out;
}

function gaussian(n: number, seed: number, std: number): Float32Array {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from(
    { length: n },
    () => std * Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u()),
  );
}

/** A uniform init (torch's default Linear init), bounded and flat-topped like a table. */
function uniform(n: number, seed: number, bound: number): Float32Array {
  const g = gaussian(n, seed, 1);
  return Float32Array.from(g, (x) => bound * (2 * (0.5 * (1 + Math.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))) - 1));
}

const TABLES: Array<{
  name: string;
  shape: [number, number];
  values: Float32Array;
  dtype: EncodableDType;
  fixed: boolean;
}> = [
  {
    name: 'model.encoder.embed_positions.weight',
    shape: [1500, 384],
    values: whisper(1500, 384),
    dtype: 'F16',
    fixed: true,
  },
  {
    name: 'model.decoder.embed_positions.weight',
    shape: [1026, 512],
    values: fairseq(1026, 512),
    dtype: 'F32',
    fixed: true,
  },
  { name: 'model.shared_positions.weight', shape: [512, 256], values: marian(512, 256), dtype: 'BF16', fixed: true },
  { name: 'pegasus.odd.weight', shape: [300, 97], values: marian(300, 97), dtype: 'F32', fixed: true },
  {
    name: 'xlm.position_embeddings.weight',
    shape: [512, 1024],
    values: interleaved(512, 1024),
    dtype: 'F32',
    fixed: true,
  },
  {
    name: 'transposed.pos_table',
    shape: [256, 2048],
    values: transpose(whisper(2048, 256), 2048, 256),
    dtype: 'F32',
    fixed: true,
  },
  // no standard formula: another base and a scale, recognised as sinusoids along the position axis
  {
    name: 'custom.positions',
    shape: [800, 192],
    values: interleaved(800, 192, 3000, 0.5),
    dtype: 'F32',
    fixed: true,
  },
  // learned matrices stay learned, including a bounded, flat-topped uniform one
  { name: 'layers.0.mlp.weight', shape: [512, 256], values: gaussian(512 * 256, 1, 0.02), dtype: 'F32', fixed: false },
  {
    name: 'layers.0.uniform.weight',
    shape: [384, 384],
    values: uniform(384 * 384, 2, 0.05),
    dtype: 'F32',
    fixed: false,
  },
  {
    name: 'model.decoder.embed_positions_learned.weight',
    shape: [448, 384],
    values: gaussian(448 * 384, 3, 0.01),
    dtype: 'F32',
    fixed: false,
  },
];

let dir = '';
const docs: Record<'full' | 'sample', FingerprintDocument | undefined> = { full: undefined, sample: undefined };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wp-tables-'));
  const file = join(dir, 'model.safetensors');
  await writeFile(
    file,
    encodeSafetensors(
      TABLES.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, data: encodeFromFloat32(t.dtype, t.values) })),
    ),
  );
  docs.full = await loadFingerprint(file, { mode: 'full' });
  docs.sample = await loadFingerprint(file, { mode: 'sample' });
});

afterAll(async () => {
  if (dir && !process.env.KEEP) await rm(dir, { recursive: true, force: true });
});

describe('computed position tables', () => {
  for (const mode of ['full', 'sample'] as const) {
    for (const t of TABLES) {
      it(`${mode}: ${t.name} is ${t.fixed ? 'a fixed table' : 'learned'}`, () => {
        const doc = docs[mode]!;
        const fp = doc.tensors.find((x) => x.name === t.name)!;
        const c = classifyTensor(fp, doc.sampling);
        expect(c.cls).toBe(t.fixed ? 'fixed' : 'learned');
        if (t.fixed) expect(c.why).toMatch(/table|sinusoid/);
      });
    }
  }

  it('names the regenerated formula and layout', () => {
    const doc = docs.sample!;
    const why = (name: string) => classifyTensor(doc.tensors.find((x) => x.name === name)!, doc.sampling).why ?? '';
    expect(why('model.encoder.embed_positions.weight')).toMatch(/sin \| cos in halves.*fairseq/);
    expect(why('xlm.position_embeddings.weight')).toMatch(/interleaved.*Vaswani/);
    expect(why('model.shared_positions.weight')).toMatch(/halves.*Marian/);
    expect(why('transposed.pos_table')).toMatch(/transposed/);
    expect(why('custom.positions')).toMatch(/sinusoids along the first axis/);
  });
});
