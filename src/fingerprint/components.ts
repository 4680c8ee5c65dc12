/**
 * Groups tensors into components (vision encoder, audio encoder, projector, text decoder,
 * embeddings, head), because reuse hides in one component: each is judged on its own.
 * Known prefixes first; otherwise the top-level name segment with its trailing number dropped
 * (`dense0/…`..`dense3/…` → one "dense0–dense3" component).
 */
import type { Component, ComponentKind } from './types.js';
import { numel } from './shape.js';

interface Rule {
  kind: ComponentKind;
  name: string;
  re: RegExp;
  /** The same component under llama.cpp's GGUF names, when they differ. */
  gguf?: RegExp;
}

/** `(?:a|b|…)` from regular-expression sources. */
function anyOf(sources: readonly string[]): string {
  return `(?:${sources.join('|')})`;
}

/** `^<prefix>(?:name|…)(?:[./]|$)`: a tensor whose top module path segment is one of the names. */
function segment(prefix: string, names: readonly string[]): RegExp {
  return new RegExp(`^${prefix}${anyOf(names)}(?:[./]|$)`);
}

function either(...res: RegExp[]): RegExp {
  return new RegExp(res.map((r) => r.source).join('|'));
}

const MODEL = String.raw`(?:model\.)?`;
const LANGUAGE_MODEL = [
  String.raw`model\.language_model\.`,
  String.raw`language_model\.model\.`,
  String.raw`language_model\.`,
];

const RULES: Rule[] = [
  {
    kind: 'projector',
    name: 'multimodal projector',
    re: segment(MODEL, [
      String.raw`visual\.merger`,
      'multi_modal_projector',
      'mm_projector',
      'vision_projection',
      'visual_projection',
      'connector',
      'aligner',
      'merger',
      'mlp1',
    ]),
    // llama.cpp mmproj files: mm.N.*
    gguf: /^mm\./,
  },
  {
    kind: 'vision',
    name: 'vision encoder',
    re: segment(MODEL, [
      'visual',
      'vision_tower',
      'vision_model',
      'vision_encoder',
      'vision',
      'vit',
      'image_encoder',
      'img_encoder',
      'vpm',
    ]),
    gguf: /^v\./,
  },
  {
    kind: 'audio',
    name: 'audio encoder',
    re: segment(MODEL, ['audio_tower', 'audio_model', 'audio_encoder', 'audio', 'whisper_encoder', 'apm']),
    gguf: /^a\./,
  },
  {
    kind: 'embeddings',
    name: 'embeddings',
    re: segment(
      `${anyOf([String.raw`model\.`, String.raw`transformer\.`, String.raw`gpt_neox\.`, ...LANGUAGE_MODEL])}?`,
      [
        'embed_tokens',
        'wte',
        'wpe',
        'word_embeddings',
        'tok_embeddings',
        'embed_in',
        'embeddings',
        'embedding',
        'token_embedding',
        'token_embd',
        'position_embd',
      ],
    ),
  },
  {
    kind: 'head',
    name: 'output head',
    re: segment(String.raw`(?:language_model\.)?`, ['lm_head', 'embed_out', 'output', 'score', 'classifier']),
  },
  {
    kind: 'text',
    name: 'text decoder',
    re: either(
      segment(`${anyOf([...LANGUAGE_MODEL, String.raw`model\.text_model\.`, String.raw`text_model\.`])}?${MODEL}`, [
        'layers',
        'h',
        'blocks',
        String.raw`decoder\.layers`,
        'norm',
        'ln_f',
        'final_layernorm',
        'final_norm',
        'rotary_emb',
        // llama.cpp names
        'blk',
        'output_norm',
        'rope_freqs',
      ]),
      segment(String.raw`(?:transformer|gpt_neox)\.`, ['h', 'layers', 'ln_f', 'final_layer_norm']),
    ),
  },
];

const WRAPPERS = new Set(['model', 'module', 'base_model', 'transformer', 'net', 'network']);

/** First meaningful name segment: wrappers such as `model.` are looked through. */
function topSegment(name: string): string {
  const segs = name.split(/[./]/);
  const i = segs.length > 1 && WRAPPERS.has(segs[0]!) ? 1 : 0;
  return segs.slice(0, i + 1).join('.');
}

function stem(segment: string): string {
  return segment.replace(/(?:[_-]?\d+)+$/, '');
}

export function classifyTensor(name: string): { kind: ComponentKind; name: string; key: string } {
  for (const rule of RULES)
    if (rule.re.test(name) || rule.gguf?.test(name)) return { kind: rule.kind, name: rule.name, key: rule.name };
  const seg = topSegment(name);
  const s = stem(seg) || seg;
  return { kind: 'other', name: s, key: `other:${s}` };
}

function commonPrefix(names: string[]): string {
  if (names.length === 0) return '';
  let p = names[0]!;
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('/'));
  return cut >= 0 ? p.slice(0, cut + 1) : '';
}

export function groupComponents(tensors: ReadonlyArray<{ name: string; shape: number[] }>): Component[] {
  const groups = new Map<string, { kind: ComponentKind; name: string; idx: number[]; segs: Set<string> }>();
  tensors.forEach((t, i) => {
    const c = classifyTensor(t.name);
    let g = groups.get(c.key);
    if (!g) {
      g = { kind: c.kind, name: c.name, idx: [], segs: new Set() };
      groups.set(c.key, g);
    }
    g.idx.push(i);
    g.segs.add(topSegment(t.name));
  });
  const out: Component[] = [];
  for (const g of groups.values()) {
    const names = g.idx.map((i) => tensors[i]!.name);
    let display = g.name;
    if (g.kind === 'other' && g.segs.size > 1) {
      const sorted = [...g.segs].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      display = `${sorted[0]}–${sorted[sorted.length - 1]}`;
    } else if (g.kind === 'other') display = [...g.segs][0]!;
    const parameters = g.idx.reduce((n, i) => n + numel(tensors[i]!.shape), 0);
    out.push({ name: display, kind: g.kind, prefix: commonPrefix(names), tensors: g.idx, parameters });
  }
  // a single generic group is the whole model
  if (out.length === 1 && out[0]!.kind === 'other') out[0]!.name = out[0]!.name || 'model';
  return out;
}
