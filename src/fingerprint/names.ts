/**
 * Tensor names across conventions (HF Llama/Qwen/Mistral/Gemma/GLM/DeepSeek, Qwen2.5-VL
 * `visual.blocks.N`, GPT-2 `h.N`, GPT-NeoX, T5-ish, TF-style `conv0/filters`, llama.cpp GGUF
 * `blk.N.attn_q` / `token_embd` / `v.blk.N` mmproj): the layer index and
 * a canonical role, so that two models named differently still line up by role and layer.
 */

interface ParsedName {
  /** Layer/block index, when the name has one. */
  layer?: number;
  /** Canonical role, e.g. `attn.q`, `mlp.up`, `norm.attn`, `embed`, `head`; else the name with digits masked. */
  role: string;
  /** weight / bias / other parameter suffix. */
  param: 'weight' | 'bias' | 'other';
}

const LAYER_RE = /(?:^|[./])(?:layers?|h|blocks?|blk|resblocks|encoder\.layer|decoder\.layers?)[./_](\d+)(?=[./_]|$)/;
const ANY_INDEX_RE = /(?:^|[./_])(\d+)(?=[./]|$)/g;

const ROLE_ALIASES: Array<[RegExp, string]> = [
  // llama.cpp (GGUF) names first: `attn_q` would otherwise be read as a generic name
  [/(?:^|[._/])attn_q(?:[._/]|$)/, 'attn.q'],
  [/(?:^|[._/])attn_k(?:[._/]|$)/, 'attn.k'],
  [/(?:^|[._/])attn_v(?:[._/]|$)/, 'attn.v'],
  [/(?:^|[._/])attn_qkv(?:[._/]|$)/, 'attn.qkv'],
  [/(?:^|[._/])attn_out(?:put)?(?:[._/]|$)/, 'attn.o'],
  [/(?:^|[._/])ffn_gate(?:_exps)?(?:[._/]|$)/, 'mlp.gate'],
  [/(?:^|[._/])ffn_up(?:_exps)?(?:[._/]|$)/, 'mlp.up'],
  [/(?:^|[._/])ffn_down(?:_exps)?(?:[._/]|$)/, 'mlp.down'],
  [/(?:^|[._/])attn_norm(?:[._/]|$)/, 'norm.attn'],
  [/(?:^|[._/])token_embd(?:[._/]|$)/, 'embed'],
  [/(?:^|[._/])position_embd(?:[._/]|$)/, 'embed.pos'],
  [/^output_norm\.(?:weight|bias)$/, 'norm.final'],
  [/(?:^|[._/])(?:q_proj|query|wq|q_lin|to_q)(?:[._/]|$)/, 'attn.q'],
  [/(?:^|[._/])(?:k_proj|key|wk|k_lin|to_k)(?:[._/]|$)/, 'attn.k'],
  [/(?:^|[._/])(?:v_proj|value|wv|v_lin|to_v)(?:[._/]|$)/, 'attn.v'],
  [/(?:^|[._/])(?:qkv|c_attn|query_key_value|wqkv|in_proj)(?:[._/]|$)/i, 'attn.qkv'],
  [
    new RegExp(
      String.raw`(?:^|[._/])(?:o_proj|out_proj|wo|attention\.dense|attn\.c_proj|attn\.proj|` +
        String.raw`self_attention\.dense|to_out)(?:[._/]|$)`,
    ),
    'attn.o',
  ],
  [/(?:^|[._/])(?:gate_proj|w1|gate)(?:[._/]|$)/, 'mlp.gate'],
  [/(?:^|[._/])(?:up_proj|w3|c_fc|fc1|dense_h_to_4h|lin1)(?:[._/]|$)/, 'mlp.up'],
  [/(?:^|[._/])(?:down_proj|w2|mlp\.c_proj|fc2|dense_4h_to_h|lin2)(?:[._/]|$)/, 'mlp.down'],
  [/(?:^|[._/])(?:input_layernorm|ln_1|norm1|attention_norm|ln_attn|input_layer_norm)(?:[._/]|$)/, 'norm.attn'],
  [
    /(?:^|[._/])(?:post_attention_layernorm|ln_2|norm2|ffn_norm|ln_mlp|post_attention_layer_norm)(?:[._/]|$)/,
    'norm.mlp',
  ],
  [/(?:^|[._/])(?:embed_tokens|wte|word_embeddings|tok_embeddings|embed_in|token_embedding)(?:[._/]|$)/, 'embed'],
  [/(?:^|[._/])(?:wpe|position_embeddings|embed_positions|pos_embed)(?:[._/]|$)/, 'embed.pos'],
  [/(?:^|[._/])(?:lm_head|embed_out)(?:[._/]|$)|^output\.weight$/, 'head'],
  [/(?:^|[._/])(?:norm|ln_f|final_layernorm|final_layer_norm)\.(?:weight|bias)$/, 'norm.final'],
];

export function parseTensorName(name: string): ParsedName {
  const param: ParsedName['param'] = /(?:^|[._/])(?:bias|beta|b)$/i.test(name)
    ? 'bias'
    : /(?:^|[._/])(?:weight|kernel|filters?|gamma|w|scale)$/i.test(name)
      ? 'weight'
      : 'other';
  let layer: number | undefined;
  const m = LAYER_RE.exec(name);
  if (m) layer = Number(m[1]);
  else {
    let last: string | undefined;
    for (const hit of name.matchAll(ANY_INDEX_RE)) last = hit[1];
    if (last === undefined) {
      const suffix = /_(\d+)(?=[/.]|$)/.exec(name) ?? /[a-z](\d+)(?=[/.]|$)/i.exec(name);
      last = suffix?.[1];
    }
    if (last !== undefined) layer = Number(last);
  }
  for (const [re, role] of ROLE_ALIASES) {
    if (re.test(name)) return { layer, role: withParam(role, param), param };
  }
  return { layer, role: name.replace(/\d+/g, '#'), param };
}

function withParam(role: string, param: ParsedName['param']): string {
  return param === 'bias' ? `${role}.bias` : role;
}
