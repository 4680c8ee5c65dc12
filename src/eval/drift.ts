/**
 * Drifted copies of real models: every float tensor plus Gaussian noise of a given size relative
 * to that tensor's own standard deviation (r with the original ≈ 1/√(1+rel²)), names, dtypes and
 * layout kept. The evaluation's "drifted real weights" cases, generated, never stored.
 */
import { writeFile } from 'node:fs/promises';
import { openModel } from '../formats/model.js';
import { decodeToFloat32, encodeFromFloat32, type EncodableDType } from '../formats/dtypes.js';
import { encodeSafetensors, type TensorToWrite } from '../formats/writer.js';
import { Rng } from '../synth/random.js';

const FLOATS = new Set(['F32', 'F16', 'BF16', 'F64']);

/** The model's tensors, float ones with noise of `rel`× their own std added. */
async function driftedTensors(source: string, rel: number, rng: Rng, keep: (name: string) => boolean = () => true) {
  const model = await openModel(source);
  try {
    const tensors: TensorToWrite[] = [];
    for (const t of model.tensors) {
      if (!keep(t.name)) continue;
      const bytes = await t.file.read(t.offset, t.byteLength);
      if (!FLOATS.has(t.dtype) || t.numel < 2 || rel === 0) {
        tensors.push({ name: t.name, dtype: t.dtype, shape: t.shape, data: bytes });
        continue;
      }
      const v = decodeToFloat32(t.dtype, bytes);
      let mean = 0;
      for (const x of v) mean += x;
      mean /= v.length;
      let ss = 0;
      for (const x of v) ss += (x - mean) ** 2;
      const noise = rel * Math.sqrt(ss / v.length);
      for (let i = 0; i < v.length; i++) v[i] = v[i]! + noise * rng.normal();
      tensors.push({
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        data: encodeFromFloat32(t.dtype as EncodableDType, v),
      });
    }
    return { tensors, metadata: model.metadata };
  } finally {
    await model.close();
  }
}

export async function writeDriftedCopy(source: string, out: string, rel: number, seed: number): Promise<void> {
  const { tensors, metadata } = await driftedTensors(source, rel, new Rng(seed));
  await writeFile(out, encodeSafetensors(tensors, metadata));
}

/**
 * A transplant: the donor's tensors whose names match `take`, drifted by `rel` and renamed under
 * `prefix`, added to an unrelated recipient model.
 */
export async function writeTransplant(
  donor: string,
  take: RegExp,
  recipient: string,
  prefix: string,
  out: string,
  rel: number,
  seed: number,
): Promise<void> {
  const rng = new Rng(seed);
  const moved = (await driftedTensors(donor, rel, rng, (n) => take.test(n))).tensors.map((t) => ({
    ...t,
    name: `${prefix}${t.name}`,
  }));
  const { tensors, metadata } = await driftedTensors(recipient, 0, rng);
  await writeFile(out, encodeSafetensors([...tensors, ...moved], metadata));
}
