/**
 * The challenge sample. Every comparison with a registry entry is computed on a sample grid whose
 * seed is public (in the code and in every entry), so an author who rewrites the values at exactly
 * those coordinates (4,096 per tensor) and nudges the rest can make a copy read as independent.
 * After the published comparison, the check draws a seed nobody has seen (a CSPRNG, never logged
 * before the result is final), reads both sides again at that seed (the entry from its source: an
 * `hf:` repository at its commit, or its local path; the model under test as it was read the first
 * time) and compares them with the same engine.
 *
 * - A private sample that finds the model derived where the published one did not makes it derived.
 * - When, tensor by tensor, the model relates to A differently at the published coordinates than at
 *   the private ones (compare/discrepancy.ts), the published coordinates were rewritten: that is
 *   said first in the report and always fails the policy.
 * - A challenge never lowers a verdict: the entry keeps the more suspicious of the two.
 *
 * Which entries: weights entries that share aligned structure with the model (tensor shapes, or
 * element counts for a copy stored reshaped) and were not already found derived, ranked by what the
 * weights show (how much of the entry's matrices the model covers, then a resemblance the published
 * comparison found), ties broken at random: never by config.json or tokenizer files, which the
 * author writes, nor by the published score, which the author controls. At most `limit` per model;
 * each costs one sketch of the reference in the secret runs layout (fingerprint/sample.ts: about as
 * many requests as a published sketch, no coordinate the seed does not choose; a matrix the entry
 * holds only in another shape adds a flat run, one range, in the model's read and in up to
 * MAX_ENTRY_FLAT_RUNS of the entry's).
 * I/O goes through the SourceReader the adapter passed in.
 */
import { compareModels } from '../compare/index.js';
import {
  REWRITE_THRESHOLDS,
  sampleDiscrepancy,
  showsRewrite,
  type DiscrepancySummary,
} from '../compare/discrepancy.js';
import type { CompareResult, ComponentResult, Evidence, Verdict } from '../compare/types.js';
import { classifyTensor, numel } from '../fingerprint/classify.js';
import { SECRET_RUNS_LAYOUT, hash32, type SampleLayout } from '../fingerprint/sample.js';
import type { ReadContext, SampleRequest, SourceLocation, SourceReader } from '../fingerprint/reopen.js';
import type { FingerprintDocument } from '../fingerprint/types.js';
import type { Compared } from '../policy/evidence.js';
import type { ChallengeSetting } from '../policy/types.js';
import type { RegistryEntry, RegistryError } from '../registry/types.js';
import { formatPercent, formatZ } from '../util/numbers.js';
import { plural } from '../util/words.js';
import type { ChallengedEntry, ChallengeStatus } from './types.js';

/** Entries challenged per model under `auto`: each costs one sketch of its reference. */
export const AUTO_CHALLENGES = 4;

export function challengeLimit(setting: ChallengeSetting): number {
  return setting === 'off' ? 0 : setting === 'auto' ? AUTO_CHALLENGES : setting;
}

export interface ChallengeOptions {
  /** The model under test as the check was given it (read again through the reader). */
  model: string;
  setting: ChallengeSetting;
  reader: SourceReader;
  ctx: ReadContext;
  /** Reproduces an earlier run (its result's `challenge.seed`); default: a fresh secret seed. */
  seed?: number;
  /** 32 random bits (tests); default: the platform's CSPRNG. */
  random?: () => number;
  /** Flat runs in an entry's read (default MAX_ENTRY_FLAT_RUNS; tests lower it to see the cap act). */
  entryFlatRuns?: number;
  /** Stops the challenge, its reads included (its reason is thrown). */
  signal?: AbortSignal;
}

export interface ChallengeOutcome {
  status: ChallengeStatus;
  /** Entries whose comparison the challenge changed: their new result. */
  results: Map<string, CompareResult>;
  /** Reads that failed: the check treats them as registry errors (it fails closed). */
  errors: RegistryError[];
  /** Entries against which the published coordinates were shown rewritten, with the numbers. */
  rewritten: Array<{ entry: string; detail: string }>;
  /** Entries that should have been challenged and were not. */
  unchallenged: Array<{ entry: string; why: string }>;
}

/** How suspicious a verdict is: a challenge keeps the more suspicious of two. */
const SUSPICION: Record<Verdict, number> = { independent: 0, inconclusive: 1, derived: 2, identical: 3 };

/** A resemblance the shared-initialisation rule judged, standing with the verdict it was made for (check/rank.ts). */
function standingResemblance(c: ComponentResult): boolean {
  const r = c.resemblance;
  return Boolean(r && (r.finding === 'undecided' ? c.verdict === 'inconclusive' : c.verdict === 'independent'));
}

/**
 * How suspicious a comparison is: its verdict, and within one verdict a component resemblance the
 * policy judges (`shared-init` within independent, `on-resemblance` within inconclusive) above none.
 */
function suspicion(r: CompareResult): number {
  return SUSPICION[r.verdict] + (r.components.some(standingResemblance) ? 0.5 : 0);
}

function secureRandom(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** Sorted dimensions: a transposed matrix has the same structure. */
const shapeKey = (shape: readonly number[]) => [...shape].sort((a, b) => a - b).join('x');

/**
 * Element counts the flat-order discrepancy pairs (compare/discrepancy.ts bestFlatPair): a matrix
 * stored reshaped ([R, C] → [4R, C/4]) keeps no shape of its source, only its element count.
 */
const learnedMatrices = (doc: FingerprintDocument) =>
  doc.tensors.filter((t) => t.shape.length >= 2 && classifyTensor(t, doc.sampling).cls === 'learned');

/**
 * Reshaped matrices (same element count, no shape in common) alone make an entry a candidate only
 * when they hold at least this share of the model's matrix parameters and of the entry's: the
 * rewrite is shown by a median over tensor pairs, so element counts shared by chance by some
 * matrices of an independent model could not show one (small power-of-two nets share many: 148 of
 * the 420 ordered pairs of the real models lie below this floor, 8 above, and those 8 kept their
 * published verdicts when challenged, |gap| ≤ 0.6), and a copy of the entry keeps all of them.
 */
export const MIN_RESHAPED_SHARE = 0.5;

/** How the model's matrices line up with an entry's, by shape (either orientation) or element count. */
export interface AlignedStructure {
  /** Share of the model's matrix parameters with a same-shape tensor in the entry. */
  shape: number;
  /** … with a same-shape tensor, or a learned matrix of the same element count (reshaped). */
  share: number;
  /**
   * Share of the entry's learned matrix parameters that a distinct model matrix of the same shape or
   * element count covers, one to one. A copy of the entry covers all of it whatever else its author
   * adds; covering an unrelated entry as fully takes shipping all of that entry's matrices.
   */
  coverage: number;
}

export function alignedStructure(ref: FingerprintDocument, model: FingerprintDocument): AlignedStructure {
  const shapes = new Set(ref.tensors.filter((t) => t.shape.length >= 2).map((t) => shapeKey(t.shape)));
  const refLearned = learnedMatrices(ref);
  const counts = new Set(refLearned.map((t) => numel(t.shape)));
  let total = 0;
  let sameShape = 0;
  let shared = 0;
  // the model's matrices by element count, then shape: each covers one entry matrix
  const pool = new Map<number, Map<string, number>>();
  for (const t of model.tensors) {
    if (t.shape.length < 2) continue;
    const n = numel(t.shape);
    total += n;
    const key = shapeKey(t.shape);
    if (shapes.has(key)) sameShape += n;
    if (shapes.has(key) || counts.has(n)) shared += n;
    const byShape = pool.get(n) ?? new Map<string, number>();
    byShape.set(key, (byShape.get(key) ?? 0) + 1);
    pool.set(n, byShape);
  }
  let refTotal = 0;
  let covered = 0;
  for (const t of refLearned) {
    const n = numel(t.shape);
    refTotal += n;
    const byShape = pool.get(n);
    if (!byShape) continue;
    const key = shapeKey(t.shape);
    // the same shape first, so a reshaped partner is not spent where a same-shape one fits
    const take = (byShape.get(key) ?? 0) > 0 ? key : [...byShape].find(([, c]) => c > 0)?.[0];
    if (take === undefined) continue;
    byShape.set(take, byShape.get(take)! - 1);
    covered += n;
  }
  return {
    shape: total ? sameShape / total : 0,
    share: total ? shared / total : 0,
    coverage: refTotal ? covered / refTotal : 0,
  };
}

/** Share of the model's matrices (by parameters) that have a tensor of the same shape in the entry. */
export function alignedShare(ref: FingerprintDocument, model: FingerprintDocument): number {
  return alignedStructure(ref, model).shape;
}

/**
 * Element counts of the model's large learned matrices that the entry holds only in another shape
 * (a learned matrix of that count, none of that exact shape): the pairs compare/discrepancy.ts reads
 * in flat order, which the secret runs' flat runs serve.
 */
export function reshapedCounts(ref: FingerprintDocument, model: FingerprintDocument): number[] {
  const refLearned = learnedMatrices(ref);
  const shapes = new Set(refLearned.map((t) => t.shape.join('x')));
  const counts = new Set(refLearned.map((t) => numel(t.shape)));
  const out = new Set<number>();
  for (const t of learnedMatrices(model)) {
    const n = numel(t.shape);
    // smaller matrices are sampled on the grid and take no flat run (fingerprint/sample.ts flatRun)
    if (n > SECRET_RUNS_LAYOUT.runsAbove && counts.has(n) && !shapes.has(t.shape.join('x'))) out.add(n);
  }
  return [...out];
}

/**
 * Flat runs in a registry entry's read: at most this many of its tensors (a Hub read's budget: one
 * range each; a 70B copy that reshaped every matrix would otherwise add 562). The model under test
 * holds one in every tensor of those element counts, so each run finds its partner whatever the names.
 */
export const MAX_ENTRY_FLAT_RUNS = 64;

/** The secret runs layout of an entry's read: flat runs in up to MAX_ENTRY_FLAT_RUNS tensors picked by the seed. */
function referenceLayout(
  ref: FingerprintDocument,
  model: FingerprintDocument,
  seed: number,
  max = MAX_ENTRY_FLAT_RUNS,
): SampleLayout {
  const counts = new Set(reshapedCounts(ref, model));
  if (!counts.size) return SECRET_RUNS_LAYOUT;
  const names = learnedMatrices(ref)
    .filter((t) => counts.has(numel(t.shape)))
    .map((t) => ({ name: t.name, h: nameHash(seed, t.name) }))
    .sort((a, b) => a.h - b.h || (a.name < b.name ? -1 : 1))
    .slice(0, max)
    .map((t) => t.name);
  return { ...SECRET_RUNS_LAYOUT, flatCounts: [...counts].sort((a, b) => a - b), flatNames: names };
}

/** A seeded 32-bit hash of a name (which tensors carry a flat run is as secret as the seed). */
function nameHash(seed: number, name: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < name.length; i++) h = hash32(h, 5, name.charCodeAt(i));
  return h;
}

/** Whether the challenge should read an entry again: some shape in common, or mostly reshaped partners both ways. */
export function challengeable(s: AlignedStructure): boolean {
  return s.shape > 0 || Math.min(s.share, s.coverage) >= MIN_RESHAPED_SHARE;
}

/** Where an entry's weights were read from: the index's pinned `source`, else the document's own id. */
export function referenceSpec(entry: Pick<RegistryEntry, 'source'>, doc: FingerprintDocument): string | undefined {
  if (entry.source?.startsWith('hf:')) return entry.source;
  if (doc.source.kind === 'merged') return undefined;
  return doc.source.id || entry.source;
}

interface Candidate {
  x: Compared;
  structure: AlignedStructure;
  rank: number[];
}

/** Tensor names, shapes and dtypes: a copy read again must hold the tensors the entry was made from. */
function inventoryDiffers(entry: FingerprintDocument, read: FingerprintDocument): string | undefined {
  const key = (t: FingerprintDocument['tensors'][number]) => `${t.name}|${t.shape.join('x')}|${t.dtype}`;
  const want = new Set(entry.tensors.map(key));
  const got = new Set(read.tensors.map(key));
  const missing = [...want].filter((k) => !got.has(k));
  const extra = [...got].filter((k) => !want.has(k));
  if (!missing.length && !extra.length) return undefined;
  const first = (missing[0] ?? extra[0])!.split('|')[0];
  return (
    `it holds other tensors than the entry was made from (${missing.length} missing, ${extra.length} not in the ` +
    `entry, e.g. ${first})`
  );
}

/** SHA-256 of every tensor the entry records one for (full entries), against a full read. */
function digestsDiffer(entry: FingerprintDocument, read: FingerprintDocument): string | undefined {
  const byName = new Map(read.tensors.map((t) => [t.name, t.sha256]));
  const differ = entry.tensors.filter((t) => t.sha256 && byName.get(t.name) !== t.sha256);
  return differ.length
    ? `${plural(differ.length, 'tensor')} differ from the entry's SHA-256 (e.g. ${differ[0]!.name})`
    : undefined;
}

function fmt(x: number, d = 2): string {
  return Number.isFinite(x) ? x.toFixed(d) : String(x);
}

/** The plain statement of a rewrite, with the numbers behind it. */
function rewriteDetail(entry: string, s: DiscrepancySummary): string {
  return (
    `the values at the published sample coordinates differ from the rest of the tensors: at ` +
    `${s.privateValues.toLocaleString('en-US')} private coordinates the model matches ${entry} ` +
    `(median r ${fmt(s.privateR)} over ${plural(s.pairs, 'tensor pair')}), at the published ones it does not ` +
    `(median r ${fmt(s.publishedR)}); the gap is z ${formatZ(s.medianGap)} (median over the pairs; honest ` +
    `weights measured |z| ≤ 1.2, the threshold is ${REWRITE_THRESHOLDS.medianGap}): the published coordinates ` +
    'were rewritten'
  );
}

function challengeEvidence(detail: string, s?: DiscrepancySummary): Evidence {
  return {
    kind: 'challenge',
    detail,
    ...(s ? { a: s.strongest.a, b: s.strongest.b, score: s.privateR, z: s.medianGap, p_value: s.p } : {}),
  };
}

/**
 * The entry's result after its challenge: the private comparison when it is more suspicious than the
 * published one, derived components where a rewrite was shown, and the evidence said first.
 */
function challengedResult(
  entry: string,
  published: CompareResult,
  priv: CompareResult,
  rewrites: Array<DiscrepancySummary & { component: string }>,
  k: number,
): CompareResult {
  const rewritten = new Set(rewrites.map((r) => r.component));
  const publishedResembles = new Set(published.components.filter(standingResemblance).map((c) => c.name));
  const components: ComponentResult[] = priv.components.map((c) => {
    const shown = rewrites.find((r) => r.component === c.name);
    if (shown) {
      const raised = c.verdict === 'derived' || c.verdict === 'identical' ? c.verdict : 'derived';
      return {
        ...c,
        verdict: raised,
        confidence: Math.max(c.verdict === raised ? (c.confidence ?? 0) : 0, 1 - shown.p),
        evidence: [challengeEvidence(rewriteDetail(entry, shown), shown), ...c.evidence],
      };
    }
    if (standingResemblance(c) && !publishedResembles.has(c.name)) {
      const r = c.resemblance!;
      const what =
        r.finding === 'undecided'
          ? 'resembles the entry beyond controls, undecided between a derivative and a sibling'
          : 'resembles the entry beyond controls, judged a sibling from the same random initialisation';
      const detail =
        `private challenge sample (${k.toLocaleString('en-US')} values per tensor at a seed drawn for this check): ` +
        `${what} (r ${fmt(r.median_r)}, z ${formatZ(r.z)} over ${plural(r.compared, 'tensor')}), where the ` +
        'published sample found no resemblance';
      return {
        ...c,
        resemblance: { ...r, private_seed: true },
        evidence: [challengeEvidence(detail), ...c.evidence],
      };
    }
    if (c.verdict === 'derived' || c.verdict === 'identical') {
      const detail =
        `private challenge sample (${k.toLocaleString('en-US')} values per tensor at a seed drawn for this check): ` +
        `${c.verdict} where the published sample was not`;
      return { ...c, evidence: [challengeEvidence(detail), ...c.evidence] };
    }
    return c;
  });
  const top = components.reduce<Verdict>(
    (v, c) => (SUSPICION[c.verdict] > SUSPICION[v] ? c.verdict : v),
    'independent',
  );
  const verdict: Verdict =
    SUSPICION[priv.verdict] >= SUSPICION[top] ? priv.verdict : top === 'identical' ? 'derived' : top;
  const more = rewrites.length > 1 ? ` (also in ${plural(rewrites.length - 1, 'more component')})` : '';
  const lead = rewrites.length
    ? `${rewriteDetail(entry, rewrites[0]!)}${more}`
    : 'a private challenge sample finds what the published sample did not';
  const privateReason = rewritten.size && priv.verdict !== verdict ? '' : ` — at the private seed: ${priv.reason}`;
  return {
    ...priv,
    verdict,
    confidence: Math.max(
      priv.verdict === verdict ? priv.confidence : 0,
      ...components.filter((c) => c.verdict === verdict).map((c) => c.confidence ?? 0),
    ),
    reason: `${lead}${privateReason}`,
    a: published.a,
    b: published.b,
    components,
    not_compared: [...published.not_compared.filter((n) => n.what !== 'challenge sample'), ...priv.not_compared],
    ...(published.tokenizer ? { tokenizer: published.tokenizer } : {}),
    ...(published.config ? { config: published.config } : {}),
  };
}

/**
 * Challenges the shortlisted weights entries of one model (see the module comment). `compared` are
 * the published comparisons; `entries` the registry rows by id (their pinned `source`).
 */
export async function challengeEntries(
  fp: FingerprintDocument,
  compared: Compared[],
  entries: Map<string, RegistryEntry>,
  opts: ChallengeOptions,
  log: (line: string) => void = () => {},
): Promise<ChallengeOutcome> {
  const limit = challengeLimit(opts.setting);
  const out: ChallengeOutcome = {
    status: { setting: opts.setting, limit, entries: [] },
    results: new Map(),
    errors: [],
    rewritten: [],
    unchallenged: [],
  };
  const random = opts.random ?? secureRandom;
  const candidates: Candidate[] = [];
  for (const x of compared) {
    if (x.entry.kind !== 'weights' || SUSPICION[x.result.verdict] >= SUSPICION.derived) continue;
    const structure = alignedStructure(x.doc, fp);
    if (!challengeable(structure)) continue;
    // Weights-derived only: config.json and tokenizer files are the author's to write, so an author
    // could state another family's and rank that family's entries above the real source. Coverage
    // of the entry's matrices is what a copy cannot lower; what the published comparison found
    // (a resemblance, an undecided component) next: an author who plants one to promote an entry
    // has a finding of its own; the rest in a random order no one knows before the check runs.
    candidates.push({ x, structure, rank: [structure.coverage, suspicion(x.result), random()] });
  }
  if (!candidates.length || limit === 0) return out;
  candidates.sort((p, q) => {
    for (let i = 0; i < p.rank.length; i++) if (p.rank[i] !== q.rank[i]) return q.rank[i]! - p.rank[i]!;
    return 0;
  });
  // the coverage the last challenged entry has: an entry over the limit with as much was left by the draw
  const lastCoverage = candidates[Math.min(limit, candidates.length) - 1]!.structure.coverage;

  // One private seed per model: the model is read again once, whatever the number of entries.
  const seed = opts.seed ?? drawSeed(random, fp.sampling.seed);
  const k = fp.sampling.k;
  // secret runs: every coordinate depends on the secret seed (the runs layout's rows 0 and R-1 and
  // its first columns do not), 2 hashed rows of ⌈K/2⌉ values per large matrix: one range each; and
  // where a challenged entry holds a matrix only in another shape, a flat run of ⌈K/2⌉ values in
  // both (one range more each), so the reshaped pair shares private coordinates
  const flatCounts = [...new Set(candidates.slice(0, limit).flatMap((c) => reshapedCounts(c.x.doc, fp)))].sort(
    (a, b) => a - b,
  );
  const layout = flatCounts.length ? { ...SECRET_RUNS_LAYOUT, flatCounts } : SECRET_RUNS_LAYOUT;
  const how = { mode: 'sample' as const, k, seed, layout };
  const modelWhy = opts.reader.modelUnavailable(opts.model, opts.ctx);
  let modelDoc: Promise<FingerprintDocument> | undefined;
  const readModel = () => {
    modelDoc ??= opts.reader.readModel(opts.model, how, opts.ctx).then((doc) => {
      if (doc.sampling.seed !== seed || doc.sampling.k !== k)
        throw new Error('the model was not sampled at the challenge seed');
      return doc;
    });
    return modelDoc;
  };
  let read = 0;
  for (const [i, c] of candidates.entries()) {
    opts.signal?.throwIfAborted();
    const id = c.x.entry.id;
    const published = c.x.result.verdict;
    const record: ChallengedEntry = { entry: id, status: 'not-possible', published, verdict: published };
    out.status.entries.push(record);
    const skip = (status: 'not-possible' | 'over-limit', why: string) => {
      record.status = status;
      record.why = why;
      out.unchallenged.push({ entry: id, why });
      c.x.result.not_compared.push({ what: 'challenge sample', why });
    };
    if (i >= limit) {
      const tied =
        c.structure.coverage >= lastCoverage
          ? `; the model covers as much of its matrices (${formatPercent(c.structure.coverage)} by parameters) as ` +
            "of a challenged entry's, and which of those were read was drawn at random"
          : '';
      skip(
        'over-limit',
        `not challenged: ${plural(limit, 'entry', 'entries')} per model were (challenge: ${opts.setting})${tied}`,
      );
      continue;
    }
    if (modelWhy) {
      skip('not-possible', `challenge not possible: the model under test cannot be read again (${modelWhy})`);
      continue;
    }
    const spec = referenceSpec(entries.get(id) ?? {}, c.x.doc);
    const location: SourceLocation = spec
      ? await opts.reader.locate(spec, opts.ctx)
      : { kind: 'unavailable', why: 'the entry records no source its weights could be read from' };
    if (location.kind === 'unavailable') {
      skip('not-possible', `challenge not possible: ${location.why}`);
      continue;
    }
    // A copy inside the checkout under test is the PR author's to change: only its digests can vouch for it.
    const verify = location.kind === 'local' && location.insideCheckout;
    // (a schema 2 sketch digests the tensors it read whole: enough only when that was every tensor)
    if (verify && !c.x.doc.tensors.every((t) => t.sha256)) {
      skip(
        'not-possible',
        `challenge not possible: its local copy ${location.spec} lies inside the checkout under test, and a ` +
          'sketch entry has no digests to verify it by',
      );
      continue;
    }
    record.source = location.spec;
    log(`challenge ${read + 1}: reading ${id} again at a private seed (${location.spec})`);
    read++;
    let ref: FingerprintDocument;
    let model: FingerprintDocument;
    try {
      model = await readModel();
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason; // the budget's end, not an unreadable model
      fail(out, record, `could not read the model under test again: ${messageOf(err)}`);
      continue;
    }
    try {
      const refHow: SampleRequest = {
        ...how,
        layout: referenceLayout(c.x.doc, fp, seed, opts.entryFlatRuns),
        mode: verify ? 'full' : 'sample',
      };
      ref = await opts.reader.readReference(location, refHow, opts.ctx);
      if (ref.sampling.seed !== seed || ref.sampling.k !== k) throw new Error('not sampled at the challenge seed');
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      fail(out, record, `could not read ${location.spec}: ${messageOf(err)}`);
      continue;
    }
    record.bytesRead = ref.source.bytesRead;
    const differs = inventoryDiffers(c.x.doc, ref) ?? (verify ? digestsDiffer(c.x.doc, ref) : undefined);
    if (differs) {
      if (location.kind === 'hub' && !location.pinned) {
        skip('not-possible', `challenge not possible: ${location.spec} is not pinned to a commit and ${differs}`);
        record.source = location.spec;
      } else fail(out, record, `${location.spec} is not the entry's weights: ${differs}`);
      continue;
    }
    record.verified = verify
      ? 'SHA-256 of every tensor the entry records'
      : location.kind === 'hub'
        ? location.pinned
          ? 'the Hub commit the entry pins; tensor names, shapes and dtypes'
          : 'tensor names, shapes and dtypes (the entry pins no commit)'
        : 'tensor names, shapes and dtypes';
    record.status = 'challenged';
    const priv = compareModels(ref, model, { entryId: id });
    record.private = priv.verdict;
    const stat = strongestComponent(priv);
    if (stat)
      record.privateStatistic = {
        component: stat.name,
        z: stat.score,
        p: stat.p_value,
        null: stat.null,
        tensors: stat.tensors_compared,
        ...(stat.median_r !== undefined ? { medianR: stat.median_r } : {}),
      };
    const sameSampling = c.x.doc.sampling.k === fp.sampling.k && c.x.doc.sampling.seed === fp.sampling.seed;
    const disc = sameSampling ? sampleDiscrepancy(c.x.doc, fp, ref, model) : undefined;
    if (disc)
      record.discrepancy = {
        pairs: disc.overall.pairs,
        publishedR: disc.overall.publishedR,
        privateR: disc.overall.privateR,
        medianGap: disc.overall.medianGap,
        p: disc.overall.p,
        discrepant: disc.overall.discrepant,
        privateValues: disc.overall.privateValues,
        rowSpread: disc.overall.rowSpread,
      };
    const publishedComponents = new Map(c.x.result.components.map((pc) => [pc.name, pc.verdict]));
    const rewrites = (disc?.components ?? []).filter(
      (s) => showsRewrite(s) && SUSPICION[publishedComponents.get(s.component) ?? 'independent'] < SUSPICION.derived,
    );
    if (rewrites.length || suspicion(priv) > suspicion(c.x.result)) {
      const result = challengedResult(id, c.x.result, priv, rewrites, k);
      out.results.set(id, result);
      record.verdict = result.verdict;
      const carried = result.components.find((rc) => rc.resemblance?.private_seed)?.resemblance;
      if (carried) record.privateResemblance = carried.finding;
    }
    if (rewrites.length) {
      record.rewritten = rewrites.map((r) => r.component);
      out.rewritten.push({ entry: id, detail: rewriteDetail(id, rewrites[0]!) });
    }
  }
  if (read) {
    // recorded only now, when nothing more depends on it being secret
    out.status.seed = seed;
    out.status.k = k;
    const doc = await modelDoc?.catch(() => undefined);
    if (doc) out.status.modelBytesRead = doc.source.bytesRead;
  }
  return out;
}

/** The private comparison's most suspicious compared component: the statistic the report states. */
function strongestComponent(r: CompareResult): ComponentResult | undefined {
  let best: ComponentResult | undefined;
  for (const c of r.components) {
    if (c.tensors_compared <= 0 || !Number.isFinite(c.score)) continue;
    const more = best ? SUSPICION[c.verdict] - SUSPICION[best.verdict] || c.score - best.score : 1;
    if (more > 0) best = c;
  }
  return best;
}

function fail(out: ChallengeOutcome, record: ChallengedEntry, why: string): void {
  record.status = 'failed';
  record.why = why;
  out.errors.push({ entry: record.entry, reason: `challenge failed: ${why}` });
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** A 32-bit seed unlike the published one (the samples would coincide). */
function drawSeed(random: () => number, published: number): number {
  for (;;) {
    const s = random() >>> 0;
    if (s !== published >>> 0) return s;
  }
}
