/**
 * Re-containers the adversary models with the project's own writers (the ones the evaluation and
 * the tests use): GGUF of a ggml type as llama.cpp lays it out (src/synth/to-gguf.ts, reference
 * quantisers), torch.save's pytorch_model.bin (src/formats/pytorch/writer.ts), and quantised
 * safetensors packed by each tool's convention (src/eval/formats.ts). Reads the `convert` list of
 * <work>/manifest.json; skips outputs that exist. Bundled and run by scripts/adversary/run.mjs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readHfModel, writeGgufModel, writeQuantisedModel, type QuantScheme } from '../../src/eval/formats.js';
import { encodePyTorch } from '../../src/formats/pytorch/writer.js';

interface Job {
  src: string;
  out: string;
  kind: 'gguf' | 'pytorch' | 'quant';
  type?: string;
}

async function convert(job: Job): Promise<void> {
  const model = await readHfModel(job.src);
  const tmp = `${job.out}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  if (job.kind === 'gguf') {
    await mkdir(dirname(job.out), { recursive: true });
    await writeGgufModel(model, tmp, job.type!);
  } else if (job.kind === 'pytorch') {
    await mkdir(tmp, { recursive: true });
    const tensors = model.tensors.map((t) => ({
      name: t.name,
      dtype: 'F32' as const,
      shape: t.shape,
      data: new Uint8Array(t.values.buffer.slice(0)),
    }));
    await writeFile(join(tmp, 'pytorch_model.bin'), encodePyTorch(tensors));
    await copyFile(join(job.src, 'config.json'), join(tmp, 'config.json'));
  } else {
    await writeQuantisedModel(model, job.type as QuantScheme, tmp);
  }
  await rename(tmp, job.out);
}

const manifest = JSON.parse(readFileSync(join(process.argv[2]!, 'manifest.json'), 'utf8')) as { convert: Job[] };
let made = 0;
for (const job of manifest.convert) {
  if (existsSync(job.out)) continue;
  try {
    await convert(job);
    made++;
  } catch (err) {
    process.stderr.write(`convert ${job.src} -> ${job.kind} ${job.type ?? ''}: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
process.stderr.write(`convert: ${made} written, ${manifest.convert.length - made} already there or failed\n`);
