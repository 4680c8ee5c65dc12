/**
 * The sketch reader before issue 13, kept runnable as `npm run bench:hub`'s baseline: the v1 grid
 * sample (32 hash rows × 128 hash columns of every tensor), each sampled row read from its first
 * to its last sampled column (nearly the whole row), ranges merged only within a tensor, 8 tensors
 * in flight. Same Hub client and metadata path as the current code; only the sampling reads differ.
 */
import { fingerprintFromSample, wantsFullCols, wantsFullRows } from '../../src/fingerprint/accumulate.js';
import { fingerprintTensorFull } from '../../src/fingerprint/model.js';
import { gridPlan, sampleByteSpans, GRID_LAYOUT } from '../../src/fingerprint/sample.js';
import type { TensorFingerprint } from '../../src/fingerprint/types.js';
import { decodeToFloat32, dtypeInfo } from '../../src/formats/dtypes.js';
import type { TensorEntry } from '../../src/formats/types.js';

const SAMPLE_LANES = 8;
const WHOLE_READ_LIMIT = 64 * 1024 * 1024;

async function baselineTensor(t: TensorEntry, k: number, seed: number): Promise<TensorFingerprint> {
  const info = dtypeInfo(t.dtype);
  if (!info.decodable) return { name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.byteLength, bytesOnly: true };
  if (wantsFullCols(t.name, t.shape) && t.byteLength <= WHOLE_READ_LIMIT) {
    return fingerprintTensorFull(t, k, seed, t.byteLength || 1, () => {}, GRID_LAYOUT);
  }
  const es = info.bits / 8;
  const plan = gridPlan(t.shape, k, seed);
  const full = wantsFullRows(t.name, t.shape);
  const readPlan = full ? { ...plan, cols: Uint32Array.from({ length: plan.C }, (_, i) => i) } : plan;
  const spans = sampleByteSpans(readPlan, 0, es);
  const parts = await Promise.all(spans.map((s) => t.file.read(t.offset + s.offset, s.length)));
  const values = new Float32Array(plan.rows.length * plan.cols.length);
  const rowValues = full ? new Float32Array(plan.rows.length * plan.C) : undefined;
  const c0 = readPlan.cols[0] ?? 0;
  const c1 = readPlan.cols[readPlan.cols.length - 1] ?? 0;
  let n = 0;
  let spanIdx = 0;
  plan.rows.forEach((r, ri) => {
    const rowStart = (r * plan.C + c0) * es;
    while (rowStart >= spans[spanIdx]!.offset + spans[spanIdx]!.length) spanIdx++;
    const span = spans[spanIdx]!;
    const from = rowStart - span.offset;
    const decoded = decodeToFloat32(t.dtype, parts[spanIdx]!.slice(from, from + (c1 - c0 + 1) * es));
    for (const c of plan.cols) values[n++] = decoded[c - c0]!;
    if (rowValues) rowValues.set(decoded, ri * plan.C);
  });
  return fingerprintFromSample(
    t.name,
    t.dtype,
    t.shape,
    t.byteLength,
    plan,
    values,
    rowValues ? { values: rowValues, rows: plan.rows.length } : undefined,
  );
}

/** The old sample mode over `tensors`: 8 lanes, one tensor each. */
export async function baselineSketch(
  tensors: TensorEntry[],
  k: number,
  seed: number,
  onTensor: () => void,
): Promise<TensorFingerprint[]> {
  const out: TensorFingerprint[] = new Array(tensors.length);
  let next = 0;
  const lane = async () => {
    while (next < tensors.length) {
      const i = next++;
      out[i] = await baselineTensor(tensors[i]!, k, seed);
      onTensor();
    }
  };
  await Promise.all(Array.from({ length: Math.min(SAMPLE_LANES, tensors.length) }, lane));
  return out;
}
