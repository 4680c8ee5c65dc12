/**
 * Bench helper: the bench model (safetensors, BF16) as a GGUF of one type (BF16, Q8_0 or Q4_K), the way
 * llama.cpp lays it out (llama.cpp names, q/k in rotary order, norms F32), streaming one tensor at
 * a time so memory stays at one tensor. Q8_0 uses ggml's reference quantiser; Q4_K a min/max one
 * (same block layout; the reader's speed is what is measured).
 *
 *   node to-gguf.mjs model.safetensors model-Q4_K.gguf Q4_K
 */
import { openModel } from '../../src/formats/model.js';
import { decodeToFloat32 } from '../../src/formats/dtypes.js';
import { quantizeGgml, quantizeQ4KFast } from '../../src/synth/ggml-quantize.js';
import { writeGgufStreaming, type GgufMetaValue } from '../../src/synth/gguf-writer.js';
import { encodeGgmlValues, llamaCppName, permuteRotary, typeForRow } from '../../src/synth/to-gguf.js';
import { ggmlTypeByName } from '../../src/formats/gguf/ggml.js';

const HEAD_DIM = 128;
const [src, dst, type = 'Q4_K'] = process.argv.slice(2);
if (!src || !dst) throw new Error('usage: to-gguf <model.safetensors> <out.gguf> [BF16|Q8_0|Q4_K]');
const model = await openModel(src);
const hidden = model.tensors.find((t) => t.name === 'model.embed_tokens.weight')!.shape[1]!;
const kv = model.tensors.find((t) => /k_proj\.weight$/.test(t.name))!.shape[0]!;
const heads = hidden / HEAD_DIM;
const kvHeads = kv / HEAD_DIM;
const plan = model.tensors.map((t) => {
  const ne = [...t.shape].reverse();
  const ttype = t.shape.length < 2 ? 'F32' : typeForRow(type, ne[0]!);
  const g = ggmlTypeByName(ttype)!;
  return { t, name: llamaCppName(t.name), ne, type: ttype, byteLength: (t.numel / g.blockElems) * g.blockBytes };
});
const metadata: Array<[string, GgufMetaValue]> = [
  ['general.architecture', { type: 'string', value: 'llama' }],
  ['llama.attention.head_count', { type: 'uint32', value: heads }],
  ['llama.attention.head_count_kv', { type: 'uint32', value: kvHeads }],
  ['llama.embedding_length', { type: 'uint32', value: hidden }],
];
await writeGgufStreaming(dst, metadata, plan, async (i) => {
  const { t, name, type: ttype } = plan[i]!;
  let v = decodeToFloat32(t.dtype, await t.file.read(t.offset, t.byteLength));
  const qk = /\.attn_([qk])\./.exec(name);
  if (qk) v = permuteRotary(v, t.shape[0]!, qk[1] === 'q' ? heads : kvHeads);
  if (ttype === 'Q4_K') return quantizeQ4KFast(v);
  if (ttype === 'Q8_0') return quantizeGgml('Q8_0', v);
  return encodeGgmlValues(ttype, v);
});
await model.close();
