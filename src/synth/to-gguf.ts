/**
 * Hugging Face Llama-layout tensors → a GGUF file, the way llama.cpp's convert_hf_to_gguf.py and
 * llama-quantize lay it out: llama.cpp names, q/k rows permuted into rotary order, 1-D tensors
 * kept F32, matrices in the target type with llama.cpp's fallback when rows are not whole blocks.
 * Used to generate quantised and re-containered copies (tests, evaluation, benchmark).
 */
import { encodeFromFloat32 } from '../formats/dtypes.js';
import { rotaryStoredIndex } from '../formats/gguf/decoder.js';
import { ggmlTypeByName } from '../formats/gguf/ggml.js';
import { quantizeGgml } from './ggml-quantize.js';
import { encodeGguf, type GgufMetaValue, type GgufTensorToWrite } from './gguf-writer.js';

export interface HfTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

interface GgufConversion {
  /** Target type of matrices ('F32', 'F16', 'BF16', 'Q8_0', 'Q4_K'...). */
  type: string;
  heads: number;
  kvHeads: number;
  /** Extra metadata (tokenizer arrays, general.name...). */
  metadata?: Array<[string, GgufMetaValue]>;
  /** Per-tensor type instead of `type` (llama.cpp name → type), as llama-quantize's _M/_L mixes do. */
  typeOf?: (name: string) => string | undefined;
}

/**
 * llama-quantize's Q4_K_M mix, simplified: Q6_K for the output head, attn_v and ffn_down (llama.cpp
 * gives Q6_K to about half of those layers), Q4_K elsewhere.
 */
export function q4kmTypeOf(name: string): string | undefined {
  return /^(output\.weight|blk\.\d+\.(attn_v|ffn_down)\.weight)$/.test(name) ? 'Q6_K' : undefined;
}

const NAMES: Array<[RegExp, string]> = [
  [/^model\.embed_tokens\.weight$/, 'token_embd.weight'],
  [/^model\.norm\.weight$/, 'output_norm.weight'],
  [/^lm_head\.weight$/, 'output.weight'],
  [/^model\.layers\.(\d+)\.self_attn\.q_proj\.(weight|bias)$/, 'blk.$1.attn_q.$2'],
  [/^model\.layers\.(\d+)\.self_attn\.k_proj\.(weight|bias)$/, 'blk.$1.attn_k.$2'],
  [/^model\.layers\.(\d+)\.self_attn\.v_proj\.(weight|bias)$/, 'blk.$1.attn_v.$2'],
  [/^model\.layers\.(\d+)\.self_attn\.o_proj\.weight$/, 'blk.$1.attn_output.weight'],
  [/^model\.layers\.(\d+)\.mlp\.gate_proj\.weight$/, 'blk.$1.ffn_gate.weight'],
  [/^model\.layers\.(\d+)\.mlp\.up_proj\.weight$/, 'blk.$1.ffn_up.weight'],
  [/^model\.layers\.(\d+)\.mlp\.down_proj\.weight$/, 'blk.$1.ffn_down.weight'],
  [/^model\.layers\.(\d+)\.input_layernorm\.weight$/, 'blk.$1.attn_norm.weight'],
  [/^model\.layers\.(\d+)\.post_attention_layernorm\.weight$/, 'blk.$1.ffn_norm.weight'],
];

export function llamaCppName(hf: string): string {
  for (const [re, to] of NAMES) if (re.test(hf)) return hf.replace(re, to);
  return hf;
}

/** llama-quantize's fallback when a row is not whole blocks of the requested k-quant. */
const FALLBACK: Record<string, string> = {
  Q2_K: 'Q4_0',
  Q3_K: 'IQ4_NL',
  Q4_K: 'Q5_0',
  Q5_K: 'Q5_1',
  Q6_K: 'Q8_0',
  Q8_K: 'Q8_0',
  IQ4_XS: 'IQ4_NL',
};

/** The type a matrix with rows of `ne0` values gets when `type` is asked for. */
export function typeForRow(type: string, ne0: number): string {
  let t = type;
  for (;;) {
    const g = ggmlTypeByName(t);
    if (!g) throw new RangeError(`unknown ggml type ${t}`);
    if (ne0 % g.blockElems === 0) return t;
    t = FALLBACK[t] ?? 'F16';
  }
}

/** Rows of a [R, C] matrix moved into llama.cpp's rotary order for `heads` heads. */
export function permuteRotary(values: Float32Array, rows: number, heads: number): Float32Array {
  const cols = values.length / rows;
  const out = new Float32Array(values.length);
  for (let u = 0; u < rows; u++)
    out.set(values.subarray(u * cols, (u + 1) * cols), rotaryStoredIndex(u, rows / heads) * cols);
  return out;
}

export function encodeGgmlValues(type: string, values: Float32Array): Uint8Array {
  if (type === 'F32' || type === 'F16' || type === 'BF16') return encodeFromFloat32(type, values);
  return quantizeGgml(type, values);
}

export function hfToGguf(tensors: HfTensor[], conv: GgufConversion): Uint8Array {
  const out: GgufTensorToWrite[] = [];
  for (const t of tensors) {
    const name = llamaCppName(t.name);
    let values = t.values;
    const qk = /\.attn_([qk])\./.exec(name);
    if (qk) values = permuteRotary(values, t.shape[0]!, qk[1] === 'q' ? conv.heads : conv.kvHeads);
    const ne = [...t.shape].reverse();
    const type = t.shape.length < 2 ? 'F32' : typeForRow(conv.typeOf?.(name) ?? conv.type, ne[0]!);
    out.push({ name, ne, type, data: encodeGgmlValues(type, values) });
  }
  const layers = new Set(out.map((t) => /^blk\.(\d+)\./.exec(t.name)?.[1]).filter((x) => x !== undefined)).size;
  const embd = tensors.find((t) => t.name === 'model.embed_tokens.weight');
  const metadata: Array<[string, GgufMetaValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['llama.block_count', { type: 'uint32', value: layers }],
    ['llama.attention.head_count', { type: 'uint32', value: conv.heads }],
    ['llama.attention.head_count_kv', { type: 'uint32', value: conv.kvHeads }],
    ...(embd
      ? ([['llama.embedding_length', { type: 'uint32', value: embd.shape[1]! }]] as Array<[string, GgufMetaValue]>)
      : []),
    ...(conv.metadata ?? []),
  ];
  return encodeGguf(metadata, out);
}
