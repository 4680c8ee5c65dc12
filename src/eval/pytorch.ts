/**
 * PyTorch cases of the evaluation's "formats" group, built from a real llama2.c model: the
 * safetensors original against the same weights as pytorch_model.bin (as torch.save writes it),
 * as a state dict whose matrices are stored transposed and read through strided views, a drifted
 * .bin (a stand-in for further training), and an unrelated real model saved as .bin. Generated on
 * the fly, never stored.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileCase } from './file-case.js';
import { decodeToFloat32, encodeFromFloat32 } from '../formats/dtypes.js';
import { openModel } from '../formats/model.js';
import { encodePyTorch, torchSave, type StorageSpec, type TensorSpec } from '../formats/pytorch/writer.js';
import type { TensorToWrite } from '../formats/writer.js';
import { Rng } from '../synth/random.js';

const BASE = 'llama2c/karpathy_stories260K';
const OTHER = 'llama2c/saltyduckegg_llama2xs_260K';

/** The cases, written under `work`; `real` is ../shared/realmodels. */
export async function writePyTorchCases(real: string, work: string): Promise<FileCase[]> {
  const base = join(real, BASE);
  const tensors = await readTensors(base);
  const out = async (name: string, bytes: Uint8Array, config = base) => {
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'pytorch_model.bin'), bytes);
    await copyFile(join(config, 'config.json'), join(dir, 'config.json'));
    return dir;
  };
  return [
    {
      id: `${BASE} → pytorch_model.bin`,
      title: 'the same weights re-containered by torch.save',
      truth: 'identical',
      accept: ['identical'],
      a: base,
      b: await out('copy', encodePyTorch(tensors)),
    },
    {
      id: `${BASE} → pytorch_model.bin (transposed storages, strided views)`,
      title: 'every matrix stored transposed and read back through its stride',
      truth: 'identical',
      accept: ['identical'],
      a: base,
      b: await out('strided', stridedCopy(tensors)),
    },
    {
      id: `${BASE} → pytorch_model.bin + noise ×0.5 σ`,
      title: 'a drifted copy saved by torch.save',
      truth: 'derived',
      accept: ['derived'],
      a: base,
      b: await out('drifted', encodePyTorch(drifted(tensors, 0.5, 13))),
    },
    {
      id: `${BASE} → ${OTHER} as pytorch_model.bin`,
      title: 'an unrelated real model saved by torch.save',
      truth: 'independent',
      accept: ['independent'],
      a: base,
      b: await out('unrelated', encodePyTorch(await readTensors(join(real, OTHER))), join(real, OTHER)),
    },
  ];
}

async function readTensors(dir: string): Promise<TensorToWrite[]> {
  const m = await openModel(dir);
  try {
    const out: TensorToWrite[] = [];
    for (const t of m.tensors) {
      out.push({ name: t.name, dtype: t.dtype, shape: t.shape, data: await t.file.read(t.offset, t.byteLength) });
    }
    return out;
  } finally {
    await m.close();
  }
}

/** F32 state dict whose 2-D tensors live in transposed storages, viewed back with swapped strides. */
function stridedCopy(tensors: TensorToWrite[]): Uint8Array {
  const storages: StorageSpec[] = [];
  const specs: TensorSpec[] = [];
  tensors.forEach((t, i) => {
    if (t.dtype !== 'F32') throw new RangeError(`${t.name}: expected F32`);
    if (t.shape.length !== 2) {
      storages.push({ dtype: 'float32', data: t.data });
      specs.push({ name: t.name, storage: i, size: t.shape });
      return;
    }
    const [r, c] = t.shape as [number, number];
    const v = decodeToFloat32('F32', t.data);
    const tr = new Float32Array(r * c);
    for (let y = 0; y < r; y++) for (let x = 0; x < c; x++) tr[x * r + y] = v[y * c + x]!;
    storages.push({ dtype: 'float32', data: new Uint8Array(tr.buffer) });
    specs.push({ name: t.name, storage: i, size: [r, c], stride: [1, r], parameter: true });
  });
  return torchSave(storages, specs, { archive: 'pytorch_model' });
}

function drifted(tensors: TensorToWrite[], rel: number, seed: number): TensorToWrite[] {
  const rng = new Rng(seed);
  return tensors.map((t) => {
    if (t.dtype !== 'F32' || t.shape.length < 2) return t;
    const v = decodeToFloat32('F32', t.data);
    let mean = 0;
    for (const x of v) mean += x;
    mean /= v.length;
    let ss = 0;
    for (const x of v) ss += (x - mean) ** 2;
    const sd = rel * Math.sqrt(ss / v.length);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! + sd * rng.normal();
    return { ...t, data: encodeFromFloat32('F32', v) };
  });
}
