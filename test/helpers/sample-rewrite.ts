/**
 * The red team's evasion of a public sampling grid, generated from real weights: a copy (or a
 * fine-tune) of a model whose values at exactly the coordinates the published seed reads (the sample
 * grid, full embedding rows and patch columns, the Gram's 32 full rows and columns) are
 * replaced by another model's values at the same coordinates, with every other value nudged so
 * that no SHA-256 or order-free digest matches. Compared on the public grid it looks like the
 * donor, not like the model it was made from.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { wantsFullCols, wantsFullRows } from '../../src/fingerprint/accumulate.js';
import { gramIndices } from '../../src/fingerprint/gram.js';
import {
  DEFAULT_SAMPLE_K,
  DEFAULT_SAMPLE_SEED,
  RUNS_LAYOUT,
  gridPlan,
  planSample,
} from '../../src/fingerprint/sample.js';
import { decodeToFloat32, encodeFromFloat32, type EncodableDType } from '../../src/formats/dtypes.js';
import { openModel } from '../../src/formats/model.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';
import { Rng } from '../../src/synth/random.js';

export interface RewriteOptions {
  /** The model copied (a safetensors file or a model directory). */
  source: string;
  /** Whose values are written at the published coordinates (same tensor names; rows wrap when it has fewer). */
  donor: string;
  /** Output directory (model.safetensors, and the source's config.json when it has one). */
  out: string;
  /**
   * Gaussian noise added to every value first, relative to each tensor's std: a small one only
   * breaks the digests (a copy), a larger one is a fine-tune.
   */
  noise: number;
  seed: number;
}

export interface RewriteReport {
  /** Values replaced at the published coordinates, and values in all. */
  replaced: number;
  total: number;
}

/** Every coordinate a document sampled at the published seed holds for a tensor, as flat indices. */
export function publishedCoordinates(name: string, shape: readonly number[]): number[] {
  // the published documents' layout: the grid up to 2^18 elements, row runs above
  const plan = planSample(shape, DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, RUNS_LAYOUT);
  const out = new Set<number>();
  for (const r of plan.rows) for (const c of plan.cols) out.add(r * plan.C + c);
  // embeddings keep the grid's rows in full, patch embeddings every row at the grid's columns
  const grid = gridPlan(shape, DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED);
  if (wantsFullRows(name, shape)) for (const r of grid.rows) for (let c = 0; c < grid.C; c++) out.add(r * grid.C + c);
  if (wantsFullCols(name, shape)) for (let r = 0; r < grid.R; r++) for (const c of grid.cols) out.add(r * grid.C + c);
  // the rotation-invariant Gram keeps up to 32 hash-chosen full rows and full columns of a matrix
  if (shape.length === 2) {
    const [R, C] = [shape[0]!, shape[1]!];
    if (R >= 12 && C >= 8)
      for (const r of gramIndices(R, DEFAULT_SAMPLE_SEED)) for (let c = 0; c < C; c++) out.add(r * C + c);
    if (C >= 12 && R >= 8)
      for (const c of gramIndices(C, DEFAULT_SAMPLE_SEED)) for (let r = 0; r < R; r++) out.add(r * C + c);
  }
  return [...out];
}

export async function writeSampleRewrite(opts: RewriteOptions): Promise<RewriteReport> {
  const rng = new Rng(opts.seed);
  const donor = await readFloatTensors(opts.donor);
  const model = await openModel(opts.source);
  let replaced = 0;
  let total = 0;
  const tensors: TensorToWrite[] = [];
  try {
    for (const t of model.tensors) {
      const v = decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength));
      total += v.length;
      let mean = 0;
      for (const x of v) mean += x;
      mean /= Math.max(1, v.length);
      let ss = 0;
      for (const x of v) ss += (x - mean) ** 2;
      const std = Math.sqrt(ss / Math.max(1, v.length)) || 1e-3;
      for (let i = 0; i < v.length; i++) v[i] = v[i]! + opts.noise * std * rng.normal();
      const d = donor.get(t.name);
      if (!d) throw new Error(`donor has no tensor ${t.name}`);
      const C = t.shape.length < 2 ? v.length : t.shape.slice(1).reduce((a, b) => a * b, 1);
      const dC = d.shape.length < 2 ? d.values.length : d.shape.slice(1).reduce((a, b) => a * b, 1);
      if (dC !== C) throw new Error(`donor tensor ${t.name} has rows of ${dC} values, the model ${C}`);
      const dRows = d.values.length / dC;
      for (const i of publishedCoordinates(t.name, t.shape)) {
        const r = Math.floor(i / C);
        v[i] = d.values[(r % dRows) * C + (i % C)]!;
        replaced++;
      }
      tensors.push({
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        data: encodeFromFloat32(t.dtype as EncodableDType, v),
      });
    }
  } finally {
    await model.close();
  }
  await mkdir(opts.out, { recursive: true });
  await writeFile(join(opts.out, 'model.safetensors'), encodeSafetensors(tensors));
  const config = join(opts.source.endsWith('.safetensors') ? dirname(opts.source) : opts.source, 'config.json');
  await copyFile(config, join(opts.out, 'config.json')).catch(() => {});
  return { replaced, total };
}

async function readFloatTensors(spec: string): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const model = await openModel(spec);
  try {
    const out = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const t of model.tensors)
      out.set(t.name, { shape: t.shape, values: decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength)) });
    return out;
  } finally {
    await model.close();
  }
}

export const describeRewrite = (r: RewriteReport, model: string) =>
  `${basename(model)}: ${r.replaced} of ${r.total} values rewritten`;
