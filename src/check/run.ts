/**
 * `weightprint check`: fingerprint each model, shortlist registry entries from the compact
 * index, compare the shortlist in full, rank the matches, check declared against detected
 * lineage and apply the policy. The CLI, the Action and the App call runCheck.
 */
import '../formats/hub.js'; // registers the hf: model source
import type { CheckResult } from './types.js';
import { bestConfig, bestTokenizer, modelVerdict, rankMatches } from './rank.js';
import { compareModels } from '../compare/index.js';
import { checkLineage, type DetectedLineage } from '../compare/lineage.js';
import { compareTokenizers, type TokenizerFamily } from '../compare/tokenizer.js';
import type { FingerprintDocument } from '../fingerprint/types.js';
import { DEFAULT_POLICY, loadPolicy } from '../policy/load.js';
import { componentEvidence, type Compared } from '../policy/evidence.js';
import { evaluatePolicy, type PolicyInput } from '../policy/evaluate.js';
import type { Policy } from '../policy/types.js';
import { builtinRegistryDir } from '../registry/builtin.js';
import { openRegistries, type Registry } from '../registry/registry.js';
import { loadFingerprint } from '../fingerprint/load.js';

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

async function ancestorFamilies(registry: Registry): Promise<TokenizerFamily[]> {
  const out: TokenizerFamily[] = [];
  for (const e of registry.entries.filter((x) => x.ancestor && x.kind === 'tokenizer')) {
    const doc = await registry.loadEntry(e.id);
    if (doc?.tokenizer) out.push({ id: e.id, family: e.family, signature: doc.tokenizer });
  }
  return out;
}
