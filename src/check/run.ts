/**
 * `weightprint check`: fingerprint each model, shortlist registry entries from the compact
 * index, compare the shortlist in full, rank the matches, check declared against detected
 * lineage and apply the policy. The CLI, the Action and the App call runCheck.
 */
import type { CheckResult } from './types.js';
import { InputError } from '../errors.js';
import { plainText } from '../report/escape.js';
import { bestConfig, bestTokenizer, modelVerdict, rankMatches, resemblances, resemblesUndecided } from './rank.js';
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
import { queryKeys, sharesStructure } from '../registry/keys.js';
import { documentOpaqueShare, MAX_OPAQUE_SHARE } from '../fingerprint/classify.js';
import type { RegistryEntry, RegistryError } from '../registry/types.js';
import { AUTO_FULL_MAX_BYTES, loadFingerprint } from '../fingerprint/load.js';
import type { ModelOpener } from '../formats/model.js';
import type { LfsResolver } from '../formats/lfs.js';
import type { FingerprintStatus } from './types.js';
import { challengeEntries, type ChallengeOptions } from './challenge.js';
import { createSourceReader, type SourceReader } from '../fingerprint/reopen.js';
import type { ChallengeSetting } from '../policy/types.js';

/** What the adapters and the CLI call the fingerprint modes (`sketch` is the document's `sample`). */
export type CheckMode = 'auto' | 'sketch' | 'full';
export const CHECK_MODES: readonly CheckMode[] = ['auto', 'sketch', 'full'];

export interface CheckOptions {
  models: string[];
  /** Registry directories or URLs, after the built-in one (a later one overrides same ids). */
  registries?: string[];
  /**
   * Policy file or URL (or a policy already loaded); the default fails undeclared reuse and warns
   * on declared reuse.
   */
  policy?: string | Policy;
  /** Full fingerprints (exact digests) even for hf: sources (the same as mode `full`). */
  full?: boolean;
  /**
   * `full` reads every byte, `sketch` the headers and sampled coordinates, `auto` full below
   * 2 GiB of weights and a sketch above. Default: a sketch for `hf:` models, full otherwise.
   */
  mode?: CheckMode;
  /** Reads Git LFS pointer files as their objects (the Action and the App: by range from the LFS server). */
  lfs?: LfsResolver;
  /** Leave the built-in registry out. */
  noBuiltin?: boolean;
  onProgress?: (line: string) => void;
  /** Shape-only candidates compared at most (see Registry.shortlist). */
  maxCandidates?: number;
  /** For registries given as URLs. */
  fetch?: typeof fetch;
  /** Model files must resolve inside this directory (the Action's workspace); default: each model's directory. */
  root?: string;
  /** Opens `hf:` models (formats/hub.ts hubOpener); without it only local models are checked. */
  hub?: ModelOpener;
  /**
   * Entries challenged per model at a private seed (check/challenge.ts): `auto` (4), `off` or a
   * count. Default: the policy's `challenge`, else `auto`.
   */
  challenge?: ChallengeSetting;
  /** Reproduces a run's challenge (its result's `challenge.seed`); default: a fresh secret seed per model. */
  challengeSeed?: number;
  /** Flat runs in a challenged entry's read (check/challenge.ts; default 64: tests lower it). */
  challengeEntryFlatRuns?: number;
  /** Reads models and registry sources again for the challenge (default: local files and `hub`). */
  reader?: SourceReader;
  /**
   * Stops the check, throwing the signal's reason (the App's job time budget: an analysis is
   * CPU-bound, so nothing else could stop it): within a model's fingerprint (between chunks, worker
   * threads ended), its Hub requests cancelled, and between registry entries. LFS reads are
   * cancelled by their resolver's own signal.
   */
  signal?: AbortSignal;
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult[]> {
  opts.signal?.throwIfAborted();
  const log = progressLog(opts.onProgress);
  const policy =
    typeof opts.policy === 'string'
      ? await loadPolicy(opts.policy, { fetch: opts.fetch })
      : (opts.policy ?? DEFAULT_POLICY);
  const registry = await openCheckRegistry(opts, log);
  // Nothing to compare with would make every model "a new architecture": fail closed instead.
  if (registry.entries.length === 0 && registry.indexErrors.length === 0)
    throw new InputError('registry', `nothing to compare with: ${emptyRegistryWhy(opts)}`);
  const results: CheckResult[] = [];
  const reader = opts.reader ?? createSourceReader();
  const asked: CheckMode | undefined = opts.mode ?? (opts.full ? 'full' : undefined);
  // A directory's further weights sets (another format, index or name) are checked right after it.
  const models = [...opts.models];
  for (let i = 0; i < models.length; i++) {
    const model = models[i]!;
    opts.signal?.throwIfAborted();
    log(`fingerprinting ${model}${asked ? ` (mode ${asked})` : ''}`);
    // the challenge reads these very bytes again: an hf: branch pinned to the commit read now
    let readAgain = model;
    const fp = await loadFingerprint(model, {
      onPinned: (spec) => {
        readAgain = spec;
      },
      mode: asked === 'sketch' ? 'sample' : asked,
      root: opts.root,
      hub: opts.hub,
      lfs: opts.lfs,
      signal: opts.signal,
      onOtherWeights: (specs) => {
        const more = specs.filter((s) => !models.includes(s));
        if (more.length === 0) return;
        log(`${model}: also holds ${more.join(', ')}; each is checked as a model of its own`);
        models.splice(i + 1, 0, ...more);
      },
    });
    opts.signal?.throwIfAborted();
    const status = fingerprintStatus(fp, asked);
    log(
      `${model}: ${status.mode === 'full' ? 'full' : 'sketch'} fingerprint (${status.why}), ` +
        `${fp.summary.tensors} tensors, ` +
        `read ${fp.source.bytesRead} of ${fp.source.totalBytes} bytes` +
        (fp.source.verified ? `; verified: ${fp.source.verified}` : ''),
    );
    const result = await checkFingerprint(fp, registry, policy, {
      maxCandidates: opts.maxCandidates,
      onProgress: log,
      model,
      signal: opts.signal,
      challenge: {
        model: readAgain,
        signal: opts.signal,
        setting: opts.challenge ?? policy.challenge ?? 'auto',
        reader,
        ctx: { hub: opts.hub, lfs: opts.lfs, root: opts.root, signal: opts.signal },
        ...(opts.challengeSeed !== undefined ? { seed: opts.challengeSeed } : {}),
        ...(opts.challengeEntryFlatRuns !== undefined ? { entryFlatRuns: opts.challengeEntryFlatRuns } : {}),
      },
    });
    results.push({ ...result, fingerprint: status });
  }
  // a read cut short by the abort may have been counted as an unreadable source: no results then
  opts.signal?.throwIfAborted();
  return results;
}

/** How a model was read, for the report: its mode, why, and what was verified. */
/** Why a check has no registry entries at all: which registries there were, and the built-in one. */
function emptyRegistryWhy(opts: Pick<CheckOptions, 'registries' | 'noBuiltin'>): string {
  const given = opts.registries?.length ? 'the registries given hold no entries' : 'no registry was given';
  if (opts.noBuiltin) return `${given} and the built-in registry is left out`;
  const env = process.env.WEIGHTPRINT_BUILTIN_REGISTRY;
  const where = env ? `at WEIGHTPRINT_BUILTIN_REGISTRY=${env}` : 'next to this installation';
  return builtinRegistryDir()
    ? `${given} and the built-in registry is empty`
    : `${given} and the built-in registry was not found ${where}`;
}

export function fingerprintStatus(fp: FingerprintDocument, asked: CheckMode | undefined): FingerprintStatus {
  const mode = fp.mode === 'full' ? 'full' : 'sketch';
  const gib = AUTO_FULL_MAX_BYTES / 1024 ** 3;
  const why =
    asked === 'auto'
      ? `mode auto: ${mode === 'full' ? 'under' : 'at least'} ${gib} GiB of weights`
      : asked
        ? `mode ${asked}`
        : `default for ${fp.source.kind === 'hub' ? 'Hub models' : 'local models'}`;
  return {
    mode,
    why,
    bytesRead: fp.source.bytesRead,
    totalBytes: fp.source.totalBytes,
    ...(fp.source.verified ? { verified: fp.source.verified } : {}),
  };
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
  opts: {
    maxCandidates?: number;
    onProgress?: (line: string) => void;
    model?: string;
    /** Challenge the published comparisons at a private seed (runCheck always does; see check/challenge.ts). */
    challenge?: ChallengeOptions;
    /** Stops the check between registry entries, throwing the signal's reason. */
    signal?: AbortSignal;
  } = {},
): Promise<CheckResult> {
  const log = progressLog(opts.onProgress);
  const model = opts.model ?? fp.source.id;
  const candidates = registry.shortlist(fp, { maxCandidates: opts.maxCandidates });
  const loadedBefore = registry.entryFilesLoaded;
  // Every entry this check needed and could not use: fail closed, never silently fewer comparisons.
  const errors: RegistryError[] = [...registry.indexErrors];
  const failed = (id: string) => {
    if (!errors.some((e) => e.entry === id))
      errors.push({ entry: id, reason: registry.loadError(id) ?? 'could not be loaded' });
  };
  const ancestorEntries = fp.tokenizer ? registry.entries.filter((x) => x.ancestor && x.kind === 'tokenizer') : [];
  const ancestors = await ancestorFamilies(registry, ancestorEntries, failed);
  const compared: Compared[] = [];
  for (const c of candidates) {
    opts.signal?.throwIfAborted();
    const doc = await registry.loadEntry(c.entry.id);
    if (!doc) {
      failed(c.entry.id);
      continue;
    }
    const result = compareModels(doc, fp, { entryId: c.entry.id });
    if (doc.tokenizer && fp.tokenizer && ancestors.length) {
      result.tokenizer = compareTokenizers(doc.tokenizer, fp.tokenizer, {
        ancestors: ancestors.filter((a) => a.id !== c.entry.id),
      });
    }
    compared.push({ entry: c.entry, doc, result });
  }
  log(
    `${model}: ${candidates.length} of ${registry.entries.length} registry entries shortlisted, ` +
      `${registry.entryFilesLoaded - loadedBefore} entry files loaded`,
  );

  const attempted = new Set([...candidates.map((c) => c.entry.id), ...ancestorEntries.map((e) => e.id)]);
  const unreadable = errors.filter((e) => attempted.has(e.entry)).length;
  if (attempted.size > 0 && unreadable === attempted.size) {
    const first = errors.find((e) => attempted.has(e.entry))!;
    throw new InputError(
      model,
      `no registry entry could be read (${unreadable} needed, all failed; first: ${first.entry}: ${first.reason})`,
    );
  }
  const challenge = opts.challenge
    ? await challengeEntries(fp, compared, new Map(registry.entries.map((e) => [e.id, e])), opts.challenge, log)
    : undefined;
  if (challenge) {
    for (const x of compared) x.result = challenge.results.get(x.entry.id) ?? x.result;
    // a source that could not be read is an entry that could not be used: fail closed
    errors.push(...challenge.errors);
  }
  const weights = compared.filter((x) => x.entry.kind === 'weights');
  // An entry that could not be read might have matched: without it the weights cannot be called independent.
  const q = queryKeys(fp);
  // a model whose parameters are mostly in tensors the engine cannot compare as matrices (1-D,
  // integer or packed) is never a "new architecture": its matrices may be stored flattened or bitcast
  const opaque = documentOpaqueShare(fp.tensors, fp.sampling);
  const hidden = opaque.share > MAX_OPAQUE_SHARE;
  const novel = !hidden && !registry.entries.some((e) => sharesStructure(e, q));
  const weightsVerdict = modelVerdict(weights, novel);
  const verdict = errors.length && weightsVerdict === 'independent' ? 'inconclusive' : weightsVerdict;
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
    registryErrors: errors,
    novel: novel && weights.length === 0,
    resemblances: resemblances(weights),
    ...(hidden ? { opaqueShare: opaque.share } : {}),
    rewritten: challenge?.rewritten,
    unchallenged: challenge?.unchallenged,
  };
  const inconclusive = weights.filter((x) => x.result.verdict === 'inconclusive');
  if (verdict === 'inconclusive' && inconclusive.length && inconclusive.every(resemblesUndecided))
    input.inconclusiveBy = 'resemblance';
  input.configMatch = bestConfig(compared, input.tokenizerMatch?.family);
  return {
    model,
    verdict,
    policy: evaluatePolicy(policy, input),
    matches: rankMatches(compared),
    registry: { entries: registry.entries.length, shortlisted: attempted.size, compared: compared.length, errors },
    ...(challenge ? { challenge: challenge.status } : {}),
  };
}

/**
 * Progress lines name files the PR author chose: one line each, so a name cannot start a new
 * line in a CI log (where `::command::` lines are obeyed) or move the terminal's cursor.
 */
function progressLog(onProgress?: (line: string) => void): (line: string) => void {
  return onProgress ? (line) => onProgress(plainText(line)) : () => {};
}

async function ancestorFamilies(
  registry: Registry,
  entries: RegistryEntry[],
  failed: (id: string) => void,
): Promise<TokenizerFamily[]> {
  const out: TokenizerFamily[] = [];
  for (const e of entries) {
    const doc = await registry.loadEntry(e.id);
    if (!doc) failed(e.id);
    else if (doc.tokenizer) out.push({ id: e.id, family: e.family, signature: doc.tokenizer });
  }
  return out;
}
