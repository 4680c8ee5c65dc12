/**
 * Config signature: the architecture-defining fields of a config.json, normalised across the
 * naming schemes in use (HF transformers, GPT-2, ChatGLM, open_clip, DeepSeek reference configs),
 * plus the same for nested sub-configs (vision/text/audio). Context for a comparison, never
 * evidence of copying on its own: independent models share architectures (Yi-34B vs Llama 2).
 *
 * Sub-configs matter because reuse hides in one component: HyperCLOVAX-SEED-Think-32B declared
 * `vision_config.model_type: qwen2_5_vl`, the Qwen2.5-VL vision tower it was found to reuse.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

const CONFIG_SIGNATURE_SCHEMA = 'weightprint.config/1';

/** Normalised fields; each is absent when the config does not state it. */
export interface ArchFields {
  modelType?: string;
  /**
   * A sub-config without its own model_type takes its parent's (transformers does the same:
   * Qwen2_5_VLVisionConfig.model_type is "qwen2_5_vl"). Marked so readers can tell.
   */
  modelTypeInherited?: boolean;
  architectures?: string[];
  hiddenSize?: number;
  layers?: number;
  heads?: number;
  kvHeads?: number;
  headDim?: number;
  intermediateSize?: number;
  vocabSize?: number;
  ropeTheta?: number;
  tieWordEmbeddings?: boolean;
  experts?: number;
  expertsPerToken?: number;
  sharedExperts?: number;
  moeIntermediateSize?: number;
  qLoraRank?: number;
  kvLoraRank?: number;
  patchSize?: number;
  imageSize?: number;
  /** Projector output width of a vision tower: follows the language model it feeds (not in archDigest). */
  outHiddenSize?: number;
  /** Context length: often edited by redistributors and extended by fine-tunes (not in archDigest). */
  maxPositions?: number;
}

export interface SubConfig extends ArchFields {
  /** Key in config.json: vision_config, text_config, audio_config, vision_cfg, ... */
  key: string;
  archDigest: string;
}

export interface ConfigSignature extends ArchFields {
  schema: typeof CONFIG_SIGNATURE_SCHEMA;
  subConfigs: SubConfig[];
  /** SHA-256 over the architecture-defining fields, sub-config digests included. */
  archDigest: string;
}

/** Field → accepted spellings, first match wins. */
const ALIASES: Record<
  Exclude<keyof ArchFields, 'modelType' | 'modelTypeInherited' | 'architectures' | 'ropeTheta' | 'tieWordEmbeddings'>,
  string[]
> = {
  hiddenSize: ['hidden_size', 'n_embd', 'd_model', 'dim', 'width'],
  layers: ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers', 'depth', 'layers'],
  heads: ['num_attention_heads', 'n_head', 'num_heads', 'n_heads', 'heads'],
  kvHeads: ['num_key_value_heads', 'multi_query_group_num', 'num_query_groups', 'n_kv_heads', 'num_kv_heads'],
  headDim: ['head_dim', 'kv_channels'],
  intermediateSize: ['intermediate_size', 'ffn_hidden_size', 'n_inner', 'inter_dim', 'ffn_dim', 'mlp_dim'],
  vocabSize: ['vocab_size', 'padded_vocab_size', 'n_vocab'],
  experts: ['n_routed_experts', 'num_local_experts', 'num_experts', 'moe_num_experts'],
  expertsPerToken: ['num_experts_per_tok', 'experts_per_token', 'n_activated_experts', 'moe_topk'],
  sharedExperts: ['n_shared_experts', 'num_shared_experts'],
  moeIntermediateSize: ['moe_intermediate_size', 'moe_inter_dim'],
  qLoraRank: ['q_lora_rank'],
  kvLoraRank: ['kv_lora_rank'],
  patchSize: ['patch_size', 'spatial_patch_size'],
  imageSize: ['image_size'],
  outHiddenSize: ['out_hidden_size'],
  maxPositions: ['max_position_embeddings', 'n_positions', 'seq_length', 'max_seq_len', 'context_length', 'n_ctx'],
};

/** Fields that define the architecture, in digest order. */
const DIGEST_FIELDS: (keyof ArchFields)[] = [
  'modelType',
  'architectures',
  'hiddenSize',
  'layers',
  'heads',
  'kvHeads',
  'headDim',
  'intermediateSize',
  'vocabSize',
  'ropeTheta',
  'tieWordEmbeddings',
  'experts',
  'expertsPerToken',
  'sharedExperts',
  'moeIntermediateSize',
  'qLoraRank',
  'kvLoraRank',
  'patchSize',
  'imageSize',
];

/** Objects under these keys are settings, not sub-models. */
const NOT_SUBMODELS = new Set([
  'quantization_config',
  'rope_scaling',
  'rope_parameters',
  'auto_map',
  'generation_config',
  'id2label',
  'label2id',
  'task_specific_params',
]);

export function configSignature(configJson: string, source: string): ConfigSignature {
  let json: unknown;
  try {
    json = JSON.parse(configJson.charCodeAt(0) === 0xfeff ? configJson.slice(1) : configJson);
  } catch (err) {
    throw new InputError(source, `invalid JSON: ${String(err instanceof Error ? err.message : err).split('\n')[0]}`);
  }
  if (!isRecord(json)) throw new InputError(source, 'config is not a JSON object');
  const root = readFields(json);
  const subConfigs: SubConfig[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (!isRecord(value) || NOT_SUBMODELS.has(key) || !/_(config|cfg)$/.test(key)) continue;
    const fields = readFields(value);
    if (!fields.modelType && fields.hiddenSize === undefined && fields.layers === undefined) continue;
    if (!fields.modelType && root.modelType) {
      fields.modelType = root.modelType;
      fields.modelTypeInherited = true;
    }
    subConfigs.push({ key, ...fields, archDigest: digest(fields, []) });
  }
  subConfigs.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { schema: CONFIG_SIGNATURE_SCHEMA, ...root, subConfigs, archDigest: digest(root, subConfigs) };
}

function readFields(obj: Record<string, unknown>): ArchFields {
  const f: ArchFields = {};
  if (typeof obj.model_type === 'string' && obj.model_type) f.modelType = obj.model_type;
  const arch = obj.architectures;
  if (typeof arch === 'string') f.architectures = [arch];
  else if (Array.isArray(arch)) {
    const names = arch.filter((a): a is string => typeof a === 'string');
    if (names.length) f.architectures = names;
  }
  for (const [field, names] of Object.entries(ALIASES) as [keyof typeof ALIASES, string[]][]) {
    for (const n of names) {
      const v = num(obj[n]);
      if (v !== undefined) {
        f[field] = v;
        break;
      }
    }
  }
  const theta =
    num(obj.rope_theta) ??
    (isRecord(obj.rope_parameters) ? num(obj.rope_parameters.rope_theta) : undefined) ??
    num(obj.rotary_emb_base) ??
    num(obj.rope_base) ??
    // ChatGLM/GLM-4 state the base as a ratio: base = 10000 · rope_ratio.
    (num(obj.rope_ratio) !== undefined ? 10000 * num(obj.rope_ratio)! : undefined);
  if (theta !== undefined) f.ropeTheta = theta;
  if (typeof obj.tie_word_embeddings === 'boolean') f.tieWordEmbeddings = obj.tie_word_embeddings;
  return f;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // Some transcribed configs (Megatron argument lists) keep numbers as strings.
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function digest(f: ArchFields, subs: SubConfig[]): string {
  const fields = DIGEST_FIELDS.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]);
  const parts = subs.map((s) => [s.key, s.archDigest]);
  return createHash('sha256')
    .update(JSON.stringify({ fields, subs: parts }))
    .digest('hex');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
