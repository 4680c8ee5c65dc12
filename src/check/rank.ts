/**
 * Ranking of a check's comparisons: the model verdict from the weights entries, the strongest
 * tokenizer and config findings, and the order in which matches are listed.
 */
import type { CheckMatch } from './types.js';
import { tokenizerRelation, tokenizerStrength, type Compared } from '../policy/evidence.js';
import type { PolicyInput } from '../policy/evaluate.js';
import { VERDICT_STRENGTH, type Verdict } from '../compare/types.js';
import type { RegistryEntry } from '../registry/types.js';
import {
  type ComponentEvidence,
  type ResemblanceFinding,
  TOKENIZER_REUSE,
  type TokenizerReuse,
} from '../policy/types.js';

function isTokenizerReuse(rel: ComponentEvidence['tokenizer']): rel is TokenizerReuse {
  return TOKENIZER_REUSE.some((r) => r === rel);
}

/** Comparisons without a finding that are still listed (the closest independent ones). */
const QUIET_MATCHES = 5;

/**
 * `novel`: no weights entry shares a tensor shape, element count or sub-block with the model, so
 * nothing registered is something it could derive from. Without comparisons and without that, the
 * entries that share structure were not aligned: no tensor of compatible shape is not evidence of
 * independence.
 */
export function modelVerdict(weights: Compared[], novel = true): Verdict {
  const top = weights.map((x) => x.result.verdict).sort((a, b) => VERDICT_STRENGTH[b] - VERDICT_STRENGTH[a])[0];
  if (top === 'identical' || top === 'derived') return top;
  // independent of other entries says nothing about one the model resembles without a decision
  if (top === 'independent') return weights.some(resemblesUndecided) ? 'inconclusive' : 'independent';
  if (top === undefined && novel) return 'independent';
  return 'inconclusive';
}

/** The comparison is inconclusive because a component resembles the entry beyond controls, undecided. */
export function resemblesUndecided(x: Compared): boolean {
  return x.result.verdict === 'inconclusive' && x.result.components.some((c) => c.resemblance?.finding === 'undecided');
}

/** Every resemblance the shared-initialisation rule judged, per entry and component, for the policy. */
export function resemblances(weights: Compared[]): ResemblanceFinding[] {
  const out: ResemblanceFinding[] = [];
  for (const x of weights) {
    for (const c of x.result.components) {
      const r = c.resemblance;
      if (!r) continue;
      // the finding stands only with the verdict it was made for
      if (r.finding === 'undecided' ? c.verdict !== 'inconclusive' : c.verdict !== 'independent') continue;
      out.push({ entry: x.entry.id, component: c.name, ...r });
    }
  }
  return out;
}

function tokenizerOf(x: Compared): ComponentEvidence['tokenizer'] {
  return x.result.tokenizer ? tokenizerRelation(x.result.tokenizer, x.entry.ancestor) : 'unknown';
}

const STRONG_TOKENIZER = ['identical', 'same', 'extends', 'subset'];

function sameConfig(x: Compared): boolean {
  const c = x.result.config;
  return Boolean(c && (c.sameArchitecture || c.subConfigMatches.some((m) => m.sameArchitecture)));
}

/** Strength of a non-weights finding, for ordering: tokenizer relation and added tokens, config sameness. */
function sideStrength(x: Compared): number {
  if (x.entry.kind === 'tokenizer' && x.result.tokenizer)
    return tokenizerStrength(x.result.tokenizer, x.entry.ancestor);
  if (x.entry.kind === 'config') return sameConfig(x) ? 1 : 0;
  return 0;
}

export function bestTokenizer(compared: Compared[]): PolicyInput['tokenizerMatch'] {
  const hits = compared
    .filter((x) => x.entry.kind === 'tokenizer')
    .map((x) => ({ x, rel: tokenizerOf(x) }))
    .filter((h): h is { x: Compared; rel: TokenizerReuse } => isTokenizerReuse(h.rel))
    .sort(
      (a, b) =>
        sideStrength(b.x) - sideStrength(a.x) ||
        Number(a.x.entry.ancestor ?? false) - Number(b.x.entry.ancestor ?? false) ||
        (a.x.entry.id < b.x.entry.id ? -1 : 1),
    );
  const h = hits[0];
  return h ? { entry: h.x.entry.id, family: h.x.entry.family, relation: h.rel } : undefined;
}

/** Every config entry with the same architecture, the tokenizer's family first. */
export function bestConfig(compared: Compared[], tokenizerFamily?: string): PolicyInput['configMatch'] {
  const same = compared
    .filter((c) => c.entry.kind === 'config' && c.result.config?.sameArchitecture)
    .sort(
      (a, b) =>
        Number(b.entry.family === tokenizerFamily) - Number(a.entry.family === tokenizerFamily) ||
        (a.entry.id < b.entry.id ? -1 : 1),
    );
  if (!same.length) return undefined;
  return {
    entry: same.map((x) => x.entry.id).join(', '),
    family: [...new Set(same.map((x) => x.entry.family))].join(', '),
  };
}

/** A finding: derived/identical weights, a reused tokenizer, or an identical config. */
function hasFinding(x: Compared): boolean {
  if (x.entry.kind === 'weights') return x.result.verdict === 'derived' || x.result.verdict === 'identical';
  if (x.entry.kind === 'tokenizer') return STRONG_TOKENIZER.includes(tokenizerOf(x));
  return sameConfig(x);
}

const KIND_RANK: Record<RegistryEntry['kind'], number> = { weights: 2, tokenizer: 1, config: 0 };

/**
 * Findings first (strongest verdict, then weights before tokenizer before config, then score),
 * then a few closest others.
 */
export function rankMatches(compared: Compared[]): CheckMatch[] {
  const score = (x: Compared) => Math.max(-Infinity, ...x.result.components.map((c) => c.score));
  const sorted = [...compared].sort(
    (a, b) =>
      Number(hasFinding(b)) - Number(hasFinding(a)) ||
      VERDICT_STRENGTH[b.result.verdict] - VERDICT_STRENGTH[a.result.verdict] ||
      KIND_RANK[b.entry.kind] - KIND_RANK[a.entry.kind] ||
      sideStrength(b) - sideStrength(a) ||
      score(b) - score(a) ||
      (a.entry.id < b.entry.id ? -1 : 1),
  );
  let quiet = 0;
  const out: CheckMatch[] = [];
  for (const x of sorted) {
    if (!hasFinding(x)) {
      if (x.entry.kind !== 'weights' || quiet >= QUIET_MATCHES) continue;
      quiet++;
    }
    out.push({ entry: x.entry.id, ...x.result });
  }
  return out;
}
