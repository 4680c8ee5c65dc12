/**
 * Bench helper: re-containers a safetensors file as the pytorch_model.bin torch.save would write
 * for the same tensors (one storage per tensor, same bytes), streaming: storages are copied from
 * the source file range by range, so memory stays at one chunk. `npm run bench` bundles and runs
 * it to measure PyTorch full-fingerprint throughput on the same bytes as safetensors.
 *
 *   node to-pytorch.mjs model.safetensors pytorch_model.bin
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { openModel } from '../../src/formats/model.js';
import { torchSaveVirtual, type StorageSpec, type TorchDType } from '../../src/formats/pytorch/writer.js';

const TORCH: Record<string, TorchDType> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', I8: 'int8', U8: 'uint8' };
const CHUNK = 8 * 1024 * 1024;

const [src, dst] = process.argv.slice(2);
if (!src || !dst) throw new Error('usage: to-pytorch <model.safetensors> <pytorch_model.bin>');
const model = await openModel(src);
const fd = openSync(src, 'r');
const storages: StorageSpec[] = model.tensors.map((t) => {
  const dtype = TORCH[t.dtype];
  if (!dtype) throw new Error(`${t.name}: no torch dtype for ${t.dtype}`);
  return {
    dtype,
    data: {
      length: t.byteLength,
      fill: (out: Uint8Array, offset: number) => {
        let got = 0;
        while (got < out.length) got += readSync(fd, out, got, out.length - got, t.offset + offset + got);
      },
    },
  };
});
const file = torchSaveVirtual(
  storages,
  model.tensors.map((t, i) => ({ name: t.name, storage: i, size: t.shape })),
  { archive: 'pytorch_model' },
);
const out = openSync(dst, 'w');
for (let pos = 0; pos < file.size; pos += CHUNK) writeSync(out, file.read(pos, Math.min(CHUNK, file.size - pos)));
closeSync(out);
closeSync(fd);
await model.close();
