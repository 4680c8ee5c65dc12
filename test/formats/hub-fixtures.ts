/** Models for the Hub tests: generated repos (single and sharded), large-matrix and virtual layouts. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSafetensors, safetensorsHeader, type TensorToWrite } from '../../src/formats/writer.js';
import { makeBase, textSpec } from '../../src/synth/model.js';
import { modelFiles, tensorsToWrite } from '../../src/synth/write.js';
import type { VirtualFile } from '../helpers/hub-server.js';

export type RepoFiles = Record<string, Uint8Array | string>;

/** A small generated Llama-style model with config, tokenizer and card. */
export function smallRepo(seed = 1): RepoFiles {
  return modelFiles(makeBase({ text: textSpec() }, seed));
}

/** The same model split into `n` shards plus model.safetensors.index.json, side files kept. */
export function shardedRepo(seed = 1, n = 3): RepoFiles {
  const model = makeBase({ text: textSpec() }, seed);
  const files = modelFiles(model);
  delete files['model.safetensors'];
  const tensors = tensorsToWrite(model);
  return { ...files, ...shard(tensors, n) };
}

export function shard(tensors: TensorToWrite[], n: number): RepoFiles {
  const out: RepoFiles = {};
  const weightMap: Record<string, string> = {};
  const per = Math.ceil(tensors.length / n);
  for (let i = 0; i < n; i++) {
    const name = `model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
    const part = tensors.slice(i * per, (i + 1) * per);
    out[name] = encodeSafetensors(part, { format: 'pt' });
    for (const t of part) weightMap[t.name] = name;
  }
  out['model.safetensors.index.json'] = JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }, null, 2);
  return out;
}

export async function writeRepo(dir: string, files: RepoFiles): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** Cheap deterministic filler: BF16 values of magnitude ~1e-2 with random sign and mantissa. */
export function fillBf16(out: Uint8Array, absoluteOffset: number): void {
  for (let i = 0; i < out.length; i++) {
    const pos = absoluteOffset + i;
    const word = pos >>> 1;
    let h = Math.imul(word ^ 0x9e3779b9, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    // little endian: low byte = mantissa bits, high byte = sign + exponent near 2^-7
    out[i] = pos & 1 ? ((h >>> 8) & 0x80) | 0x3c : h & 0xff;
  }
}

/** A Llama-style model with large matrices, stored for real (for the bytes-read assertion). */
export function largeMatrixRepo(): { files: RepoFiles; totalBytes: number } {
  const tensors: TensorToWrite[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const data = new Uint8Array(shape.reduce((a, b) => a * b, 1) * 2);
    fillBf16(data, offset);
    offset += data.length;
    tensors.push({ name, dtype: 'BF16', shape, data });
  };
  add('model.embed_tokens.weight', [16384, 512]);
  for (let l = 0; l < 2; l++) {
    add(`model.layers.${l}.self_attn.q_proj.weight`, [4096, 1024]);
    add(`model.layers.${l}.mlp.up_proj.weight`, [8192, 1024]);
    add(`model.layers.${l}.mlp.down_proj.weight`, [4096, 2048]);
  }
  const bytes = encodeSafetensors(tensors, { format: 'pt' });
  return { files: { 'model.safetensors': bytes }, totalBytes: bytes.length };
}

/** Tensor shapes of a Llama-3 layout (BF16), e.g. 8B: hidden 4096, ffn 14336, 32 layers, kv 1024. */
export function llamaLayout(p: {
  hidden: number;
  ffn: number;
  layers: number;
  kv: number;
  vocab: number;
}): Array<{ name: string; shape: number[] }> {
  const out: Array<{ name: string; shape: number[] }> = [
    { name: 'model.embed_tokens.weight', shape: [p.vocab, p.hidden] },
  ];
  for (let l = 0; l < p.layers; l++) {
    const pre = `model.layers.${l}`;
    out.push(
      { name: `${pre}.input_layernorm.weight`, shape: [p.hidden] },
      { name: `${pre}.mlp.down_proj.weight`, shape: [p.hidden, p.ffn] },
      { name: `${pre}.mlp.gate_proj.weight`, shape: [p.ffn, p.hidden] },
      { name: `${pre}.mlp.up_proj.weight`, shape: [p.ffn, p.hidden] },
      { name: `${pre}.post_attention_layernorm.weight`, shape: [p.hidden] },
      { name: `${pre}.self_attn.k_proj.weight`, shape: [p.kv, p.hidden] },
      { name: `${pre}.self_attn.o_proj.weight`, shape: [p.hidden, p.hidden] },
      { name: `${pre}.self_attn.q_proj.weight`, shape: [p.hidden, p.hidden] },
      { name: `${pre}.self_attn.v_proj.weight`, shape: [p.kv, p.hidden] },
    );
  }
  out.push({ name: 'model.norm.weight', shape: [p.hidden] }, { name: 'lm_head.weight', shape: [p.vocab, p.hidden] });
  return out;
}

/** A layout served as `n` virtual BF16 shards + index: nothing is stored, ranges are generated. */
export function virtualShardedRepo(
  layout: Array<{ name: string; shape: number[] }>,
  n: number,
): { files: Record<string, VirtualFile | string>; totalBytes: number } {
  const files: Record<string, VirtualFile | string> = {};
  const weightMap: Record<string, string> = {};
  const per = Math.ceil(layout.length / n);
  let totalBytes = 0;
  for (let i = 0; i < n; i++) {
    const name = `model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
    const part = layout
      .slice(i * per, (i + 1) * per)
      .map((t) => ({ ...t, dtype: 'BF16', byteLength: t.shape.reduce((a, b) => a * b, 1) * 2 }));
    const head = safetensorsHeader(part, { format: 'pt' });
    const size = head.length + part.reduce((s, t) => s + t.byteLength, 0);
    totalBytes += size;
    files[name] = {
      size,
      read(offset: number, length: number): Uint8Array {
        const out = new Uint8Array(length);
        const headEnd = Math.min(head.length, offset + length);
        if (offset < head.length) out.set(head.subarray(offset, headEnd), 0);
        const dataFrom = Math.max(offset, head.length);
        if (dataFrom < offset + length) fillBf16(out.subarray(dataFrom - offset), dataFrom + i * 1_000_000);
        return out;
      },
    };
    for (const t of part) weightMap[t.name] = name;
  }
  files['model.safetensors.index.json'] = JSON.stringify({
    metadata: { total_size: totalBytes },
    weight_map: weightMap,
  });
  return { files, totalBytes };
}
