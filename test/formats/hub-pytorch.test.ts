/**
 * `hf:` repositories that hold only PyTorch weights, over the loopback Hub: the zip's end records,
 * central directory, data.pkl and local headers by range requests, then tensor ranges. Same
 * fingerprints as the local files; a sketch of a Llama-3-8B-sized pytorch_model-*.bin layout
 * reads under 1 % of the bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { openHubModel, type HubOptions } from '../../src/formats/hub.js';
import { openModel } from '../../src/formats/model.js';
import {
  encodePyTorch,
  torchSaveVirtual,
  type StorageSpec,
  type TensorSpec,
} from '../../src/formats/pytorch/writer.js';
import { makeBase, textSpec } from '../../src/synth/model.js';
import { modelFiles, tensorsToWrite } from '../../src/synth/write.js';
import { startHubServer, type HubServer, type VirtualFile } from '../helpers/hub-server.js';
import { fillBf16, llamaLayout, writeRepo, type RepoFiles } from './hub-fixtures.js';

let server: HubServer;
let tmp: string;
const http: HubOptions['http'] = { backoffMs: 1, maxBackoffMs: 4, timeoutMs: 2000, sleep: async () => {} };
const opts = (): HubOptions => ({ hubUrl: server.url, http });

/** The generated model with pytorch_model.bin in place of model.safetensors (side files kept). */
function torchRepo(seed: number): RepoFiles {
  const model = makeBase({ text: textSpec() }, seed);
  const files = modelFiles(model);
  delete files['model.safetensors'];
  return { ...files, 'pytorch_model.bin': encodePyTorch(tensorsToWrite(model)) };
}

/** Sharded as transformers saves it without safetensors: pytorch_model-0000i-of-0000n.bin + index. */
function torchShardedRepo(seed: number, n: number): RepoFiles {
  const model = makeBase({ text: textSpec() }, seed);
  const files = modelFiles(model);
  delete files['model.safetensors'];
  const tensors = tensorsToWrite(model);
  const per = Math.ceil(tensors.length / n);
  const weightMap: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const name = `pytorch_model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.bin`;
    const part = tensors.slice(i * per, (i + 1) * per);
    files[name] = encodePyTorch(part);
    for (const t of part) weightMap[t.name] = name;
  }
  files['pytorch_model.bin.index.json'] = JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap });
  return files;
}

/** A layout as `n` generated BF16 .bin shards + index: only zip headers and pickles are held. */
function virtualTorchRepo(
  layout: Array<{ name: string; shape: number[] }>,
  n: number,
): { files: Record<string, VirtualFile | string>; totalBytes: number } {
  const files: Record<string, VirtualFile | string> = {};
  const weightMap: Record<string, string> = {};
  const per = Math.ceil(layout.length / n);
  let totalBytes = 0;
  for (let i = 0; i < n; i++) {
    const name = `pytorch_model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.bin`;
    const part = layout.slice(i * per, (i + 1) * per);
    const storages: StorageSpec[] = part.map((t, j) => ({
      dtype: 'bfloat16',
      data: {
        length: t.shape.reduce((a, b) => a * b, 1) * 2,
        fill: (out: Uint8Array, offset: number) => fillBf16(out, offset + (i * 1000 + j) * 4096),
      },
    }));
    const tensors: TensorSpec[] = part.map((t, j) => ({ name: t.name, storage: j, size: t.shape }));
    const file = torchSaveVirtual(storages, tensors, { archive: 'pytorch_model' });
    files[name] = file;
    totalBytes += file.size;
    for (const t of part) weightMap[t.name] = name;
  }
  files['pytorch_model.bin.index.json'] = JSON.stringify({
    metadata: { total_size: totalBytes },
    weight_map: weightMap,
  });
  return { files, totalBytes };
}

function content(doc: FingerprintDocument) {
  const { source: _s, ...rest } = doc;
  return rest;
}

async function hubDoc(spec: string, mode: 'sample' | 'full'): Promise<FingerprintDocument> {
  const src = await openHubModel(spec, opts());
  try {
    return await fingerprintModel(src, { mode });
  } finally {
    await src.close();
  }
}

async function localDoc(path: string, mode: 'sample' | 'full'): Promise<FingerprintDocument> {
  const m = await openModel(path);
  try {
    return await fingerprintModel(m, { mode });
  } finally {
    await m.close();
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'weightprint-hub-torch-'));
  const both = { ...torchRepo(5), ...modelFiles(makeBase({ text: textSpec() }, 5)) };
  server = await startHubServer({
    repos: [
      { id: 'org/torch', files: torchRepo(4) },
      { id: 'org/torch-sharded', files: torchShardedRepo(6, 3) },
      { id: 'org/both', files: both },
      { id: 'org/not-torch', files: { 'pytorch_model.bin': new Uint8Array(16), 'config.json': '{}' } },
    ],
  });
  await writeRepo(join(tmp, 'torch'), torchRepo(4));
  await writeRepo(join(tmp, 'torch-sharded'), torchShardedRepo(6, 3));
});

afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('hf: repositories with PyTorch weights only', () => {
  it('pytorch_model.bin and a sharded pytorch_model.bin.index.json: same fingerprints as the local files', async () => {
    for (const [repo, dir] of [
      ['org/torch', 'torch'],
      ['org/torch-sharded', 'torch-sharded'],
    ] as const) {
      for (const mode of ['sample', 'full'] as const) {
        const hub = await hubDoc(`hf:${repo}`, mode);
        const local = await localDoc(join(tmp, dir), mode);
        expect(hub.source.format).toBe('pytorch');
        expect(hub.source.kind).toBe('hub');
        expect(content(hub)).toEqual(content(local));
        expect(hub.tokenizer).toBeDefined();
      }
    }
  });

  it('both formats: safetensors read first, the .bin a further set to check, and the note says so', async () => {
    const doc = await hubDoc('hf:org/both', 'sample');
    expect(doc.source.format).toBeUndefined();
    expect(doc.source.files).toEqual(['model.safetensors']);
    // contract change (gate integrity): the .bin is checked as a model of its own, not only mentioned
    expect(doc.source.note).toBe(
      'weights: model.safetensors; also present, each checked as its own model: pytorch_model.bin',
    );
    const src = await openHubModel('hf:org/both', opts());
    expect(src.otherWeights).toEqual([`hf:org/both/pytorch_model.bin@${server.commitOf('org/both')}`]);
    await src.close();
    const bin = await hubDoc(src.otherWeights![0]!, 'sample');
    expect([bin.source.format, bin.source.files, bin.source.note]).toEqual([
      'pytorch',
      ['pytorch_model.bin'],
      undefined,
    ]);
  });

  it('a .bin that is not a torch.save zip: one line naming the remote file', async () => {
    await expect(openHubModel('hf:org/not-torch', opts())).rejects.toThrow(
      /^hf:org\/not-torch\/pytorch_model\.bin: not a PyTorch checkpoint: no zip signature/,
    );
  });

  it('Llama-3-8B layout as 4 pytorch_model-*.bin shards (16 GB): a sketch reads under 1 %', async () => {
    const layout = llamaLayout({ hidden: 4096, ffn: 14336, layers: 32, kv: 1024, vocab: 128256 });
    const { files, totalBytes } = virtualTorchRepo(layout, 4);
    server.addRepo({ id: 'virtual/llama3-8b-torch', files });
    const src = await openHubModel('hf:virtual/llama3-8b-torch', { hubUrl: server.url, http: { concurrency: 16 } });
    const doc = await fingerprintModel(src, { mode: 'sample' });
    await src.close();
    const share = doc.source.bytesRead / totalBytes;
    console.log(
      `sample mode, Llama-3-8B layout as PyTorch shards (${(totalBytes / 1e9).toFixed(1)} GB, ` +
        `${layout.length} tensors): read ${(doc.source.bytesRead / 2 ** 20).toFixed(1)} MiB ` +
        `= ${(100 * share).toFixed(3)} %`,
    );
    expect(doc.source.format).toBe('pytorch');
    expect(doc.tensors.map((t) => t.name)).toEqual(layout.map((t) => t.name));
    expect(doc.tensors.every((t) => t.dtype === 'BF16' && t.sample)).toBe(true);
    expect(share).toBeLessThan(0.01);
  });
});
