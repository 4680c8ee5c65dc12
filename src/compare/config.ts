/**
 * Config comparison, reported as CONTEXT ONLY. Equal architectures are common among independently
 * trained models (Yi-34B has Llama 2's architecture and its own weights), and a fine-tune may
 * change nothing in config.json: no verdict is ever drawn from this result.
 *
 * What it is good for: telling which components could be compared at all, and flagging a
 * sub-config that names another family's component (HyperCLOVAX's `vision_config.model_type:
 * qwen2_5_vl`), which tells the weight comparison where to look.
 */
import type { ArchFields, ConfigSignature, SubConfig } from '../fingerprint/config.js';
import { plural } from '../util/words.js';

interface SubConfigMatch {
  /** Sub-config key, or "text_config ↔ root" when one model nests its text model and the other does not. */
  key: string;
  a?: string;
  b?: string;
  /** Present in both with the same model type (own or inherited). */
  sameModelType: boolean;
  /** Architecture digests equal. */
  sameArchitecture: boolean;
  /**
   * Every architecture field stated by both is equal (a transcribed or partial config may omit
   * some). Projector width and context length may differ: they follow the host model.
   */
  consistent: boolean;
  /** Fields stated by both and equal, e.g. "layers 32". */
  agreeing: string[];
  differences: string[];
}

export interface ConfigComparison {
  kind: 'config';
  /** Always true: never evidence of copying on its own. */
  contextOnly: true;
  sameArchitecture: boolean;
  differences: string[];
  subConfigMatches: SubConfigMatch[];
  detail: string;
}

/** Config key spelling used in messages, so a reader can find the field in config.json. */
const LABEL: Partial<Record<keyof ArchFields, string>> = {
  modelType: 'model_type',
  architectures: 'architectures',
  hiddenSize: 'hidden_size',
  layers: 'layers',
  heads: 'attention_heads',
  kvHeads: 'kv_heads',
  headDim: 'head_dim',
  intermediateSize: 'intermediate_size',
  vocabSize: 'vocab_size',
  ropeTheta: 'rope_theta',
  tieWordEmbeddings: 'tie_word_embeddings',
  experts: 'experts',
  expertsPerToken: 'experts_per_token',
  sharedExperts: 'shared_experts',
  moeIntermediateSize: 'moe_intermediate_size',
  qLoraRank: 'q_lora_rank',
  kvLoraRank: 'kv_lora_rank',
  patchSize: 'patch_size',
  imageSize: 'image_size',
  outHiddenSize: 'out_hidden_size',
  maxPositions: 'max_position_embeddings',
};

const FIELDS = Object.keys(LABEL) as (keyof ArchFields)[];
/** Not architecture of the component itself (excluded from archDigest too). */
const CONTEXT_FIELDS = new Set(['out_hidden_size', 'max_position_embeddings']);

function show(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

function fieldDiff(
  a: ArchFields,
  b: ArchFields,
  prefix = '',
): { agreeing: string[]; differences: string[]; onlyOne: string[] } {
  const agreeing: string[] = [];
  const differences: string[] = [];
  const onlyOne: string[] = [];
  for (const f of FIELDS) {
    const va = a[f];
    const vb = b[f];
    if (va === undefined && vb === undefined) continue;
    const name = prefix + LABEL[f]!;
    if (va === undefined || vb === undefined)
      onlyOne.push(`${name}: ${va === undefined ? `only b (${show(vb)})` : `only a (${show(va)})`}`);
    else if (show(va) === show(vb)) agreeing.push(`${name} ${show(va)}`);
    else differences.push(`${name}: ${show(va)} vs ${show(vb)}`);
  }
  return { agreeing, differences, onlyOne };
}

function matchParts(
  key: string,
  a: ArchFields | undefined,
  b: ArchFields | undefined,
  digestA?: string,
  digestB?: string,
): SubConfigMatch {
  if (!a || !b) {
    return {
      key,
      a: a?.modelType,
      b: b?.modelType,
      sameModelType: false,
      sameArchitecture: false,
      consistent: false,
      agreeing: [],
      differences: [`${key}: only in ${a ? 'a' : 'b'}`],
    };
  }
  const d = fieldDiff(a, b);
  return {
    key,
    a: a.modelType,
    b: b.modelType,
    sameModelType: a.modelType !== undefined && a.modelType === b.modelType,
    sameArchitecture: digestA !== undefined && digestA === digestB,
    consistent: d.differences.every((x) => CONTEXT_FIELDS.has(x.slice(0, x.indexOf(':')))) && d.agreeing.length > 0,
    agreeing: d.agreeing,
    differences: d.differences,
  };
}

export function compareConfigs(a: ConfigSignature, b: ConfigSignature): ConfigComparison {
  const sameArchitecture = a.archDigest === b.archDigest;
  const top = fieldDiff(a, b);
  // A field only one config states is a difference too (the digest differs because of it).
  const differences = [...top.differences, ...top.onlyOne];
  const subA = new Map(a.subConfigs.map((s) => [s.key, s]));
  const subB = new Map(b.subConfigs.map((s) => [s.key, s]));
  const keys = [...new Set([...subA.keys(), ...subB.keys()])].sort();
  const subConfigMatches: SubConfigMatch[] = [];
  for (const k of keys) {
    const sa = subA.get(k);
    const sb = subB.get(k);
    const m = matchParts(k, sa, sb, sa?.archDigest, sb?.archDigest);
    subConfigMatches.push(m);
    differences.push(...m.differences.map((d) => (d.startsWith(`${k}:`) ? d : `${k}.${d}`)));
  }
  // A multimodal model may nest its language model (text_config) where the other keeps it at
  // the root: compare those too, so "same text decoder shape" is visible.
  const textA = subA.get('text_config');
  const textB = subB.get('text_config');
  if (textA && !textB && hasShape(b)) subConfigMatches.push(matchParts('text_config ↔ root', textA, b));
  if (textB && !textA && hasShape(a)) subConfigMatches.push(matchParts('root ↔ text_config', a, textB));

  return {
    kind: 'config',
    contextOnly: true,
    sameArchitecture,
    differences,
    subConfigMatches,
    detail: detailLine(a, sameArchitecture, differences, subConfigMatches),
  };
}

function hasShape(f: ArchFields): boolean {
  return f.hiddenSize !== undefined && f.layers !== undefined;
}

function shape(f: ArchFields | SubConfig): string {
  const dims = [f.hiddenSize, f.layers].every((x) => x !== undefined) ? ` ${f.hiddenSize}×${f.layers}L` : '';
  const heads = f.heads !== undefined ? ` ${f.heads}H${f.kvHeads !== undefined ? `/${f.kvHeads}KV` : ''}` : '';
  return `${f.modelType ?? 'unknown type'}${dims}${heads}`;
}

function detailLine(a: ConfigSignature, same: boolean, differences: string[], subs: SubConfigMatch[]): string {
  const head = same
    ? `same architecture (${shape(a)})`
    : `different architecture: ${plural(differences.length, 'difference')}${listed(differences)}`;
  const subText = subs
    .filter((m) => m.a !== undefined || m.b !== undefined)
    .filter((m) => m.sameModelType || m.consistent)
    .map(
      (m) =>
        `${m.key}: ${m.sameModelType ? `both ${m.a}` : 'consistent'}${
          m.agreeing.length
            ? `, ${m.agreeing
                .filter((x) => !x.startsWith('model_type'))
                .slice(0, 4)
                .join(', ')}`
            : ''
        }${m.differences.length ? ` (differs: ${m.differences.slice(0, 2).join('; ')})` : ''}`,
    );
  const context = 'context only: equal configs are common among independently trained models';
  return [head, ...subText, context].join('; ');
}

/** The first three items in brackets, "…" when there are more; nothing for none. */
function listed(items: readonly string[]): string {
  if (!items.length) return '';
  return ` (${items.slice(0, 3).join('; ')}${items.length > 3 ? '; …' : ''})`;
}
