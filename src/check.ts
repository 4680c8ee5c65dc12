/**
 * `weightprint check`: fingerprint each model, shortlist registry entries from the compact
 * index, compare the shortlist in full, rank the matches, check declared against detected
 * lineage and apply the policy. The CLI, the Action and the App call runCheck.
 */
import './formats/hub.js'; // registers the hf: model source
import type { CheckMatch, CheckResult } from './check-types.js';
import { compareModels } from './compare/index.js';
import { checkLineage, type DetectedLineage } from './compare/lineage.js';
import { compareTokenizers, type TokenizerEvidence, type TokenizerFamily } from './compare/tokenizer.js';
import type { ConfigComparison } from './compare/config.js';
import { VERDICT_STRENGTH, type Verdict } from './compare/types.js';
import type { FingerprintDocument } from './fingerprint/types.js';
import { DEFAULT_POLICY, loadPolicy } from './policy/load.js';
import { componentEvidence, tokenizerRelation, tokenizerStrength, type Compared } from './policy/evidence.js';
import { evaluatePolicy, type PolicyInput } from './policy/evaluate.js';
import type { Policy } from './policy/types.js';
import { builtinRegistryDir } from './registry/builtin.js';
import { openRegistries, type Registry } from './registry/registry.js';
import type { RegistryEntry } from './registry/types.js';
import { loadFingerprint } from './sources.js';

export interface CheckOptions {
  models: string[];
  /** Registry directories or URLs, after the built-in one (a later one overrides same ids). */
  registries?: string[];
  /** Policy file; the default policy fails undeclared reuse and warns on declared reuse. */
  policy?: string;
  /** Full fingerprints (exact digests) even for hf: sources. */
  full?: boolean;
  /** Leave the built-in registry out. */
  noBuiltin?: boolean;
  onProgress?: (line: string) => void;
  /** Shape-only candidates compared at most (see Registry.shortlist). */
  maxCandidates?: number;
  /** For registries given as URLs. */
  fetch?: typeof fetch;
}

/** Comparisons without a finding that are still listed (the closest independent ones). */
export const QUIET_MATCHES = 5;

export async function runCheck(opts: CheckOptions): Promise<CheckResult[]> {
  const log = opts.onProgress ?? (() => {});
  const policy = opts.policy ? await loadPolicy(opts.policy) : DEFAULT_POLICY;
  const registry = await openCheckRegistry(opts, log);
  const results: CheckResult[] = [];
  for (const model of opts.models) {
    log(`fingerprinting ${model}${opts.full ? ' (full)' : ''}`);
    const fp = await loadFingerprint(model, opts.full ? { mode: 'full' } : {});
    log(
      `${model}: ${fp.mode} fingerprint, ${fp.summary.tensors} tensors, read ${fp.source.bytesRead} of ${fp.source.totalBytes} bytes`,
    );
    results.push(
      await checkFingerprint(fp, registry, policy, { maxCandidates: opts.maxCandidates, onProgress: log, model }),
    );
  }
  return results;
}

export async function openCheckRegistry(
  opts: Pick<CheckOptions, 'registries' | 'noBuiltin' | 'fetch'>,
  log: (line: string) => void = () => {},
): Promise<Registry> {
  const locations: string[] = [];
  if (!opts.noBuiltin) {
    const builtin = builtinRegistryDir();
    if (builtin) locations.push(builtin);
    else log('warning: the built-in registry was not found next to this installation');
  }
  locations.push(...(opts.registries ?? []));
  return openRegistries(locations, { fetch: opts.fetch, onWarning: (w) => log(`warning: ${w}`) });
}

/** The check of one fingerprint against an open registry (runCheck without the fingerprinting). */
export async function checkFingerprint(
  fp: FingerprintDocument,
  registry: Registry,
  policy: Policy = DEFAULT_POLICY,
  opts: { maxCandidates?: number; onProgress?: (line: string) => void; model?: string } = {},
): Promise<CheckResult> {
  const log = opts.onProgress ?? (() => {});
  const model = opts.model ?? fp.source.id;
  const candidates = registry.shortlist(fp, { maxCandidates: opts.maxCandidates });
  const loadedBefore = registry.entryFilesLoaded;
  const ancestors = fp.tokenizer ? await ancestorFamilies(registry) : [];
  const compared: Compared[] = [];
  for (const c of candidates) {
    const doc = await registry.loadEntry(c.entry.id);
    if (!doc) continue;
    const result = compareModels(doc, fp, { entryId: c.entry.id });
    if (doc.tokenizer && fp.tokenizer && ancestors.length) {
      result.tokenizer = compareTokenizers(doc.tokenizer, fp.tokenizer, {
        ancestors: ancestors.filter((a) => a.id !== c.entry.id),
      });
    }
    compared.push({ entry: c.entry, doc, result });
  }
  log(
    `${model}: ${candidates.length} of ${registry.entries.length} registry entries shortlisted, ${registry.entryFilesLoaded - loadedBefore} entry files loaded`,
  );

  const weights = compared.filter((x) => x.entry.kind === 'weights');
  const verdict = modelVerdict(weights);
  const detected: DetectedLineage[] = [];
  for (const x of weights) {
    for (const c of x.result.components) {
      if (c.verdict === 'derived' || c.verdict === 'identical')
        detected.push({ entry: x.entry.id, verdict: c.verdict, component: c.name });
    }
    if (x.result.verdict === 'independent') detected.push({ entry: x.entry.id, verdict: 'independent' });
  }
  const input: PolicyInput = {
    verdict,
    components: componentEvidence(fp, compared),
    lineage: checkLineage(fp.card, detected),
    tokenizerMatch: bestTokenizer(compared),
    configMatch: undefined,
  };
  input.configMatch = bestConfig(compared, input.tokenizerMatch?.family);
  return { model, verdict, policy: evaluatePolicy(policy, input), matches: rankMatches(compared) };
}

function modelVerdict(weights: Compared[]): Verdict {
  const top = weights.map((x) => x.result.verdict).sort((a, b) => VERDICT_STRENGTH[b] - VERDICT_STRENGTH[a])[0];
  if (top === 'identical' || top === 'derived') return top;
  // nothing in the registry shares a tensor shape or digest: no known model it can derive from
  if (top === undefined || top === 'independent') return 'independent';
  return 'inconclusive';
}

async function ancestorFamilies(registry: Registry): Promise<TokenizerFamily[]> {
  const out: TokenizerFamily[] = [];
  for (const e of registry.entries.filter((x) => x.ancestor && x.kind === 'tokenizer')) {
    const doc = await registry.loadEntry(e.id);
    if (doc?.tokenizer) out.push({ id: e.id, family: e.family, signature: doc.tokenizer });
  }
  return out;
}

function tokenizerOf(x: Compared): string {
  return x.result.tokenizer ? tokenizerRelation(x.result.tokenizer as TokenizerEvidence, x.entry.ancestor) : 'unknown';
}

const STRONG_TOKENIZER = ['identical', 'same', 'extends', 'subset'];

function sameConfig(x: Compared): boolean {
  const c = x.result.config as ConfigComparison | undefined;
  return Boolean(c && (c.sameArchitecture || c.subConfigMatches.some((m) => m.sameArchitecture)));
}

/** Strength of a non-weights finding, for ordering: tokenizer relation and added tokens, config sameness. */
function sideStrength(x: Compared): number {
  if (x.entry.kind === 'tokenizer' && x.result.tokenizer)
    return tokenizerStrength(x.result.tokenizer as TokenizerEvidence, x.entry.ancestor);
  if (x.entry.kind === 'config') return sameConfig(x) ? 1 : 0;
  return 0;
}

function bestTokenizer(compared: Compared[]): PolicyInput['tokenizerMatch'] {
  const order = ['identical', 'same', 'extends'];
  const hits = compared
    .filter((x) => x.entry.kind === 'tokenizer')
    .map((x) => ({ x, rel: tokenizerOf(x) }))
    .filter((h) => order.includes(h.rel))
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
function bestConfig(compared: Compared[], tokenizerFamily?: string): PolicyInput['configMatch'] {
  const same = compared
    .filter((c) => c.entry.kind === 'config' && (c.result.config as ConfigComparison | undefined)?.sameArchitecture)
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

/** Findings first (strongest verdict, then weights before tokenizer before config, then score), then a few closest others. */
function rankMatches(compared: Compared[]): CheckMatch[] {
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
