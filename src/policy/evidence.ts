/**
 * Per-component evidence of the checked model, gathered over all registry comparisons: the
 * strongest weight verdict and its numbers, whether the component grew (expansion) or came from
 * several families (merge), and how its config and tokenizer relate to known ones. Grades and
 * policy findings are computed from this alone.
 */
import { classifyTensor } from '../fingerprint/classify.js';
import { sameHubId } from '../compare/lineage.js';
import type { ConfigComparison } from '../compare/config.js';
import type { TokenizerEvidence } from '../compare/tokenizer.js';
import { VERDICT_STRENGTH, type CompareResult, type ComponentResult } from '../compare/types.js';
import type { FingerprintDocument } from '../fingerprint/types.js';
import type { ComponentEvidence } from './types.js';

/** One registry comparison: the entry, its fingerprint (A) and the result (B = checked model). */
export interface Compared {
  entry: { id: string; family: string; license: string; kind: 'weights' | 'tokenizer' | 'config'; ancestor?: boolean };
  doc: FingerprintDocument;
  result: CompareResult;
}

/** B's component counts as expanded when it has this much more than its source's parameters. */
export const EXPANSION_RATIO = 1.15;

const TOKENIZER_RANK: Record<ComponentEvidence['tokenizer'], number> = {
  identical: 6,
  same: 5,
  extends: 4,
  subset: 3,
  overlaps: 2,
  unrelated: 1,
  unknown: 0,
};
const CONFIG_RANK: Record<ComponentEvidence['config'], number> = { same: 3, modified: 2, different: 1, unknown: 0 };

/** Orders tokenizer matches: relation first, then equal added/special tokens (Qwen2.5 over Qwen1, whose ids agree). */
export function tokenizerStrength(ev: TokenizerEvidence, ancestor = false): number {
  return 2 * TOKENIZER_RANK[tokenizerRelation(ev, ancestor)] + (ev.sameAddedTokens ? 1 : 0);
}

export function tokenizerRelation(ev: TokenizerEvidence, ancestor = false): ComponentEvidence['tokenizer'] {
  if (!ev.comparable) return 'unrelated';
  if (ev.identical) return 'identical';
  const j = ev.jaccard?.estimate ?? 0;
  // starting from a public base vocabulary (cl100k, GPT-2) is common among independent models
  if (ancestor) return j >= 0.95 ? 'same' : 'unrelated';
  if (j >= 0.95) return 'same';
  if ((ev.containment?.aInB ?? 0) >= 0.95) return 'extends';
  if ((ev.containment?.bInA ?? 0) >= 0.95) return 'subset';
  return j >= 0.3 ? 'overlaps' : 'unrelated';
}

function configRelation(
  cmp: ConfigComparison | undefined,
  a: FingerprintDocument,
  b: FingerprintDocument,
  kind: string,
): ComponentEvidence['config'] {
  if (!cmp || !a.config || !b.config) return 'unknown';
  if (kind === 'vision' || kind === 'audio' || kind === 'projector') {
    const re = kind === 'audio' ? /audio/ : /vision|visual/;
    const subs = cmp.subConfigMatches.filter((m) => re.test(m.key) && m.a !== undefined && m.b !== undefined);
    if (subs.some((m) => m.sameArchitecture)) return 'same';
    if (subs.some((m) => m.sameModelType || m.consistent)) return 'modified';
    return 'different';
  }
  if (cmp.sameArchitecture) return 'same';
  const text = cmp.subConfigMatches.filter((m) => /text_config/.test(m.key) && m.a !== undefined && m.b !== undefined);
  if (text.some((m) => m.sameArchitecture || (m.key.includes('↔') && m.consistent))) return 'same';
  if (a.config.modelType !== undefined && a.config.modelType === b.config.modelType) return 'modified';
  if (text.some((m) => m.sameModelType)) return 'modified';
  return 'different';
}

/**
 * Components with learned matrices, by the model's own tensors or by a comparison (a matrix of the
 * entry's stored flattened or bitcast is learned in that pair, and its component was judged).
 */
function learnedComponents(fp: FingerprintDocument, compared: Compared[]) {
  const judged = new Set(compared.flatMap((x) => x.result.components.map((c) => c.name)));
  return fp.components.filter(
    (c) => judged.has(c.name) || c.tensors.some((i) => classifyTensor(fp.tensors[i]!, fp.sampling).cls === 'learned'),
  );
}

function componentParams(doc: FingerprintDocument, name: string): number | undefined {
  const c = doc.components.find((x) => x.prefix === name || x.name === name);
  return c?.parameters;
}

const TEXT_KINDS = new Set(['text', 'embeddings', 'head', 'other']);

export function componentEvidence(model: FingerprintDocument, compared: Compared[]): ComponentEvidence[] {
  const declaredBases = model.card?.baseModel ?? [];
  const out: ComponentEvidence[] = [];
  for (const comp of learnedComponents(model, compared)) {
    const ev: ComponentEvidence = {
      component: comp.name,
      kind: comp.kind,
      verdict: 'none',
      expanded: false,
      merged: false,
      config: model.config ? 'different' : 'unknown',
      tokenizer: model.tokenizer && TEXT_KINDS.has(comp.kind) ? 'unrelated' : 'unknown',
      declared: false,
    };
    let best: { c: ComponentResult; x: Compared } | undefined;
    const derivedFamilies = new Set<string>();
    let tokStrength = -1;
    let tokFamily: string | undefined;
    for (const x of compared) {
      const c = x.result.components.find((r) => r.name === comp.name);
      if (c) {
        if (
          !best ||
          VERDICT_STRENGTH[c.verdict] > VERDICT_STRENGTH[best.c.verdict] ||
          (c.verdict === best.c.verdict && c.score > best.c.score)
        )
          best = { c, x };
        if (c.verdict === 'derived' || c.verdict === 'identical') derivedFamilies.add(x.entry.family);
      }
      if (TEXT_KINDS.has(comp.kind) && x.result.tokenizer) {
        const t = x.result.tokenizer;
        const rel = tokenizerRelation(t, x.entry.ancestor);
        const strength = tokenizerStrength(t, x.entry.ancestor);
        if (TOKENIZER_RANK[rel] > TOKENIZER_RANK.unrelated && strength > tokStrength) {
          tokStrength = strength;
          ev.tokenizer = rel;
          ev.tokenizerEntry = x.entry.id;
          tokFamily = x.entry.family;
        }
      }
    }
    // equal architectures are common (Qwen2 and Qwen2.5 share one): prefer the tokenizer's family
    for (const x of compared) {
      const cfg = configRelation(x.result.config, x.doc, model, comp.kind);
      const better =
        CONFIG_RANK[cfg] > CONFIG_RANK[ev.config] ||
        (CONFIG_RANK[cfg] === CONFIG_RANK[ev.config] &&
          cfg !== 'different' &&
          cfg !== 'unknown' &&
          tokFamily !== undefined &&
          x.entry.family === tokFamily &&
          compared.find((y) => y.entry.id === ev.configEntry)?.entry.family !== tokFamily);
      if (better) {
        ev.config = cfg;
        ev.configEntry = x.entry.id;
      }
    }
    if (best) {
      const { c, x } = best;
      ev.verdict = c.verdict;
      ev.entry = x.entry.id;
      ev.family = x.entry.family;
      ev.license = x.entry.license;
      ev.median_r = c.median_r;
      ev.exact_share = c.exact_share;
      ev.score = c.score;
      ev.confidence = Math.max(0, Math.min(1, c.confidence ?? 1 - c.p_value));
      ev.declared = declaredBases.some((b) => sameHubId(b, x.entry.id));
      if (c.verdict === 'derived' || c.verdict === 'identical') {
        const a = componentParams(x.doc, c.a);
        ev.expanded = a !== undefined && a > 0 && comp.parameters > EXPANSION_RATIO * a;
        ev.merged = derivedFamilies.size > 1;
      }
    }
    out.push(ev);
  }
  return out;
}
