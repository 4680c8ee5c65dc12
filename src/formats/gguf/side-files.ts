/**
 * A GGUF file carries its own config and tokenizer as metadata (`{arch}.*`, `tokenizer.ggml.*`).
 * They are handed to the fingerprint as the side files a Hugging Face repo would have, so the
 * config and tokenizer signatures are built by the same code: a config.json with the HF field
 * names, a tokenizer.json for BPE (gpt2) and WordPiece (bert) vocabularies, and a SentencePiece
 * model for llama/t5 vocabularies (their GGUF token types are SentencePiece's piece types).
 */
import type { GgufValue } from './reader.js';

/** GGUF architecture names whose Hugging Face model_type is spelled differently. */
const MODEL_TYPES: Record<string, string> = {
  qwen2moe: 'qwen2_moe',
  qwen3moe: 'qwen3_moe',
  gemma3: 'gemma3_text',
  'command-r': 'cohere',
  gptneox: 'gpt_neox',
  starcoder: 'gpt_bigcode',
  deepseek2: 'deepseek_v2',
  'nomic-bert': 'nomic_bert',
};

function num(v: GgufValue | undefined): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  // per-layer arrays (head_count_kv of some architectures): the first layer stands for the model
  if (Array.isArray(v) && v.length > 0) return num(v[0]);
  return undefined;
}

function str(v: GgufValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function ggufArchitecture(metadata: Record<string, GgufValue>): string | undefined {
  return str(metadata['general.architecture']);
}

/** config.json text with HF field names, from `{arch}.*` metadata; undefined without an architecture. */
export function ggufConfigJson(
  metadata: Record<string, GgufValue>,
  tensorNames: readonly string[],
): string | undefined {
  const arch = ggufArchitecture(metadata);
  if (!arch) return undefined;
  const get = (key: string) => num(metadata[`${arch}.${key}`]);
  const tokens = metadata['tokenizer.ggml.tokens'];
  const config: Record<string, unknown> = {
    model_type: MODEL_TYPES[arch] ?? arch,
    hidden_size: get('embedding_length'),
    num_hidden_layers: get('block_count'),
    num_attention_heads: get('attention.head_count'),
    num_key_value_heads: get('attention.head_count_kv'),
    head_dim: get('attention.key_length'),
    intermediate_size: get('feed_forward_length'),
    max_position_embeddings: get('context_length'),
    rope_theta: get('rope.freq_base'),
    vocab_size: get('vocab_size') ?? (Array.isArray(tokens) ? tokens.length : undefined),
    num_local_experts: get('expert_count'),
    num_experts_per_tok: get('expert_used_count'),
    moe_intermediate_size: get('expert_feed_forward_length'),
    tie_word_embeddings: tensorNames.includes('token_embd.weight') && !tensorNames.includes('output.weight'),
  };
  for (const k of Object.keys(config)) if (config[k] === undefined) delete config[k];
  return JSON.stringify(config);
}

interface GgufTokenizerFiles {
  'tokenizer.json'?: string;
  'tokenizer.model'?: Uint8Array;
}

/** GGUF token types are SentencePiece piece types. */
const CONTROL = 3;
const USER_DEFINED = 4;

export function ggufTokenizerFiles(metadata: Record<string, GgufValue>): GgufTokenizerFiles {
  const model = str(metadata['tokenizer.ggml.model']);
  const tokens = metadata['tokenizer.ggml.tokens'];
  if (!model || !Array.isArray(tokens) || tokens.length === 0 || !tokens.every((t) => typeof t === 'string')) return {};
  const pieces = tokens as string[];
  const types = numbers(metadata['tokenizer.ggml.token_type'], pieces.length);
  const scores = numbers(metadata['tokenizer.ggml.scores'], pieces.length);
  switch (model) {
    case 'gpt2':
      return { 'tokenizer.json': bpeTokenizerJson(pieces, types, metadata['tokenizer.ggml.merges']) };
    case 'bert':
      return { 'tokenizer.json': wordPieceTokenizerJson(pieces, types) };
    case 'llama':
      return { 'tokenizer.model': sentencePieceModel(pieces, scores, types, 2) };
    case 't5':
      return { 'tokenizer.model': sentencePieceModel(pieces, scores, types, 1) };
    default:
      return {};
  }
}

function numbers(v: GgufValue | undefined, n: number): number[] | undefined {
  if (!Array.isArray(v) || v.length !== n) return undefined;
  return v.map((x) => (typeof x === 'bigint' ? Number(x) : typeof x === 'number' ? x : 0));
}

function addedTokens(
  pieces: string[],
  types: number[] | undefined,
): Array<{ id: number; content: string; special: boolean }> {
  if (!types) return [];
  const out: Array<{ id: number; content: string; special: boolean }> = [];
  types.forEach((t, id) => {
    if (t === CONTROL || t === USER_DEFINED) out.push({ id, content: pieces[id]!, special: t === CONTROL });
  });
  return out;
}

function vocabObject(pieces: string[]): Record<string, number> {
  const vocab: Record<string, number> = Object.create(null);
  pieces.forEach((p, id) => {
    if (!(p in vocab)) vocab[p] = id;
  });
  return vocab;
}

function bpeTokenizerJson(pieces: string[], types: number[] | undefined, merges: GgufValue | undefined): string {
  return JSON.stringify({
    version: '1.0',
    added_tokens: addedTokens(pieces, types),
    pre_tokenizer: { type: 'ByteLevel' },
    decoder: { type: 'ByteLevel' },
    model: {
      type: 'BPE',
      vocab: vocabObject(pieces),
      merges: Array.isArray(merges) ? merges.filter((m) => typeof m === 'string') : [],
    },
  });
}

function wordPieceTokenizerJson(pieces: string[], types: number[] | undefined): string {
  return JSON.stringify({
    version: '1.0',
    added_tokens: addedTokens(pieces, types),
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', vocab: vocabObject(pieces) },
  });
}

/** A SentencePiece ModelProto: pieces (field 1: piece, score, type) and trainer_spec.model_type. */
function sentencePieceModel(
  pieces: string[],
  scores: number[] | undefined,
  types: number[] | undefined,
  modelType: 1 | 2,
): Uint8Array {
  const out: number[] = [];
  const varint = (n: number) => {
    let v = n >>> 0;
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
  };
  const f32 = new Uint8Array(4);
  const f32View = new DataView(f32.buffer);
  pieces.forEach((piece, id) => {
    const text = Buffer.from(piece, 'utf8');
    const body: number[] = [];
    const start = out.length;
    // piece message: 0x0a len text, 0x15 float score, 0x18 varint type
    out.push(0x0a);
    varint(text.length);
    for (const b of text) out.push(b);
    out.push(0x15);
    f32View.setFloat32(0, scores?.[id] ?? 0, true);
    out.push(...f32);
    out.push(0x18);
    varint(types?.[id] ?? 1);
    body.push(...out.splice(start));
    out.push(0x0a);
    varint(body.length);
    out.push(...body);
  });
  out.push(0x12, 2, 0x18, modelType);
  return Uint8Array.from(out);
}
