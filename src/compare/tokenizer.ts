/**
 * Tokenizer evidence from two signatures (fingerprint/tokenizer.ts): token-set Jaccard from the
 * bottom-k sketches, the share of shared tokens that keep their id, and rank correlation of
 * shared merges. Merges are matched by content, never by position: one inserted merge shifts
 * every later position, which is how a position-wise "merge order match" reports 0.01 % for
 * tokenizers that share almost all of their merges.
 *
 * A tokenizer is context for weight reuse, not proof: vocabularies are copied between
 * independently trained models (Llama 3 and Qwen2 both extend tiktoken cl100k_base).
 *
 * Reading merge-rank correlation: tokenizers trained independently on similar text still agree
 * on the order of their common merges (frequent pairs merge early everywhere). Measured on
 * knownmodels: independent pairs give Spearman 0.50–0.80 (GPT-2/cl100k 0.78, Llama 2/Mistral
 * 0.76, Llama 3/Llama 4 0.50); pairs sharing a merge table give ≥ 0.98 (Qwen2.5/Llama 3 1.00 via
 * cl100k_base). The p-value tests "no association" and is tiny for both; compare against those
 * reference ranges, not against zero.
 */
import { normalSf, pearson } from './stats.js';
import { formatPercent } from '../util/numbers.js';
import type { Sketch, TokenizerSignature, TokenConvention } from '../fingerprint/tokenizer.js';

/** Below this many common sampled merges no rank statistic is reported. */
const MIN_COMMON_MERGES = 10;
/** Both vocabularies must hold at least this share of an ancestor's tokens for the ancestry note. */
const ANCESTOR_CONTAINMENT = 0.9;

export interface TokenizerFamily {
  id: string;
  family: string;
  signature: TokenizerSignature;
}

interface Estimate {
  estimate: number;
  /** Standard error of the estimate (0 when both sketches hold their whole sets). */
  se: number;
  /** Elements the estimate is based on. */
  sample: number;
  exact: boolean;
}

interface MergeRankEvidence {
  kind: 'merge' | 'piece-score';
  /** Sampled items present in both signatures. */
  common: number;
  spearman?: number;
  kendall?: number;
  /**
   * One-sided p-value of Spearman under "no association" (normal approximation, z = r·√(n−1)).
   * Not a test of shared origin: independent tokenizers on similar text reach 0.5–0.8.
   */
  p_value?: number;
  /** Why no statistic was computed. */
  note?: string;
}

interface AncestryNote {
  ancestor: string;
  family: string;
  /** Share of the ancestor's tokens present in a and in b. */
  containmentA: number;
  containmentB: number;
  /** Jaccard of the tokens of a and b that are not in the ancestor. */
  beyondAncestor?: Estimate;
}

export interface TokenizerEvidence {
  kind: 'tokenizer';
  /** Same id→token map, and the same merges when both publish a merge list. */
  identical: boolean;
  /** Same added/special tokens (content and ids). */
  sameAddedTokens: boolean;
  /** False when the token conventions differ (e.g. CLIP `</w>` vs prefix-space): overlap is meaningless. */
  comparable: boolean;
  jaccard?: Estimate;
  /** Share of a's tokens found in b, and of b's found in a. */
  containment?: { aInB: number; bInA: number };
  /** Among sampled tokens present in both, the share with the same id. */
  sameId?: Estimate;
  /**
   * The most common id difference (b − a) among shared tokens when it is not 0 and covers most of
   * them: a block of tokens inserted before the vocabulary shifts every id (Mistral v1 → v3: +768).
   */
  idOffset?: { offset: number; share: number };
  mergeRank?: MergeRankEvidence;
  ancestry: AncestryNote[];
  /** Known shared ancestry, when both derive from a public vocabulary given as ancestor. */
  note?: string;
  detail: string;
}

interface CompareTokenizerOptions {
  /**
   * Public vocabularies that many independent models start from (the registry passes e.g.
   * tiktoken cl100k_base). When both tokenizers contain one, the overlap is explained by it.
   */
  ancestors?: TokenizerFamily[];
}

// ---------------------------------------------------------------------------------------------
// Sketch decoding and joins

interface Decoded {
  hashes: bigint[];
  values: Uint32Array;
  /** Largest hash that the sketch vouches for: every element of the set at or below it is present. */
  limit: bigint;
}

const MAX_U64 = (1n << 64n) - 1n;
const decodedCache = new WeakMap<Sketch, Decoded>();

function decode(s: Sketch): Decoded {
  const hit = decodedCache.get(s);
  if (hit) return hit;
  const hb = Buffer.from(s.hashes, 'base64');
  const vb = Buffer.from(s.values, 'base64');
  const count = hb.length / 8;
  const hashes: bigint[] = new Array(count);
  const values = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    hashes[i] = hb.readBigUInt64BE(i * 8);
    values[i] = vb.readUInt32BE(i * 4);
  }
  // A sketch holding the whole set (n ≤ k) vouches for every hash.
  const limit = s.n <= count ? MAX_U64 : count ? hashes[count - 1]! : MAX_U64;
  const d = { hashes, values, limit };
  decodedCache.set(s, d);
  return d;
}

interface Join {
  /** Union elements at or below the common limit. */
  union: number;
  inA: number;
  inB: number;
  /** Values (ids / ranks) of elements in both. */
  pairs: [number, number][];
  /** Hashes of elements in both. */
  common: bigint[];
  exact: boolean;
  limit: bigint;
}

/**
 * Bottom-k estimation over the union: below the smaller of the two sketches' limits both sets
 * are known exactly, so the elements there are a uniform random sample of A ∪ B (by hash).
 */
function join(sa: Sketch, sb: Sketch, extraLimit = MAX_U64): Join {
  const a = decode(sa);
  const b = decode(sb);
  const limit = min(min(a.limit, b.limit), extraLimit);
  let i = 0;
  let j = 0;
  let union = 0;
  let inA = 0;
  let inB = 0;
  const pairs: [number, number][] = [];
  const common: bigint[] = [];
  while (i < a.hashes.length || j < b.hashes.length) {
    const ha = i < a.hashes.length ? a.hashes[i]! : undefined;
    const hb = j < b.hashes.length ? b.hashes[j]! : undefined;
    const h = ha === undefined || (hb !== undefined && hb < ha) ? hb! : ha; // bigint: no Math.min
    if (h > limit) break;
    union++;
    if (ha === h && hb === h) {
      inA++;
      inB++;
      pairs.push([a.values[i]!, b.values[j]!]);
      common.push(h);
      i++;
      j++;
    } else if (ha === h) {
      inA++;
      i++;
    } else {
      inB++;
      j++;
    }
  }
  return { union, inA, inB, pairs, common, exact: a.limit === MAX_U64 && b.limit === MAX_U64, limit };
}

function min(x: bigint, y: bigint): bigint {
  return x < y ? x : y;
}

/**
 * Proportion with its standard error: binomial, with a half-count smoothing so that 0 % or 100 %
 * in a finite sample does not claim zero error, and a finite-population correction.
 */
function proportion(hits: number, n: number, population: number, exact: boolean): Estimate {
  const p = n ? hits / n : 0;
  if (exact || n === 0) return { estimate: p, se: 0, sample: n, exact: exact && n > 0 };
  const ps = (hits + 0.5) / (n + 1);
  const fpc = population > n ? Math.sqrt((population - n) / (population - 1)) : 0;
  return { estimate: p, se: Math.sqrt((ps * (1 - ps)) / n) * fpc, sample: n, exact: false };
}

// ---------------------------------------------------------------------------------------------
// Rank statistics

function rankTransform(xs: number[]): number[] {
  const idx = xs.map((_, i) => i).sort((p, q) => xs[p]! - xs[q]!);
  const r = new Array<number>(xs.length);
  for (let k = 0; k < idx.length; ) {
    let m = k;
    while (m + 1 < idx.length && xs[idx[m + 1]!] === xs[idx[k]!]) m++;
    for (let t = k; t <= m; t++) r[idx[t]!] = (k + m) / 2;
    k = m + 1;
  }
  return r;
}

/** Kendall tau-a; O(n²) is cheap for n ≤ 1024 sampled merges. */
function kendall(x: number[], y: number[]): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(x[i]! - x[j]!) * Math.sign(y[i]! - y[j]!);
  }
  return s / ((n * (n - 1)) / 2);
}

function mergeRankEvidence(a: TokenizerSignature, b: TokenizerSignature): MergeRankEvidence | undefined {
  if (!a.ranks || !b.ranks) return undefined;
  if (a.ranks.kind !== b.ranks.kind) {
    return { kind: a.ranks.kind, common: 0, note: `not comparable: ${a.ranks.kind} vs ${b.ranks.kind}` };
  }
  const j = join(a.ranks.sketch, b.ranks.sketch);
  const n = j.pairs.length;
  if (n < MIN_COMMON_MERGES) {
    return { kind: a.ranks.kind, common: n, note: `too few common merges (${n})` };
  }
  const ra = rankTransform(j.pairs.map((p) => p[0]));
  const rb = rankTransform(j.pairs.map((p) => p[1]));
  // n ≥ MIN_COMMON_MERGES, so never the below-3-points r 0
  const spearman = pearson(ra, rb).r;
  return {
    kind: a.ranks.kind,
    common: n,
    spearman,
    kendall: kendall(ra, rb),
    p_value: normalSf(spearman * Math.sqrt(n - 1)),
  };
}

// ---------------------------------------------------------------------------------------------
// Comparison

const PREFIX_SPACE: TokenConvention[] = ['byte-level', 'metaspace', 'bytes', 'raw'];

function comparableConventions(a: TokenConvention, b: TokenConvention): boolean {
  return a === b || (PREFIX_SPACE.includes(a) && PREFIX_SPACE.includes(b));
}

export function compareTokenizers(
  a: TokenizerSignature,
  b: TokenizerSignature,
  options: CompareTokenizerOptions = {},
): TokenizerEvidence {
  const comparable = comparableConventions(a.convention, b.convention);
  // A derived merge list is a function of the id map, so it adds nothing when the maps agree.
  const mergesAgree =
    a.ranks?.source === 'explicit' && b.ranks?.source === 'explicit' ? a.ranks.digest === b.ranks.digest : true;
  const identical = a.vocabDigest === b.vocabDigest && mergesAgree;
  const sameAddedTokens = a.special.digest === b.special.digest;

  const j = join(a.tokens, b.tokens);
  const inter = j.pairs.length;
  const jaccard = proportion(
    inter,
    j.union,
    (a.tokenCount + b.tokenCount) / (1 + (j.union ? inter / j.union : 0)),
    j.exact,
  );
  const containment = { aInB: j.inA ? inter / j.inA : 0, bInA: j.inB ? inter / j.inB : 0 };
  const sameHits = j.pairs.filter(([x, y]) => x === y).length;
  // |A ∩ B| = J/(1+J)·(|A|+|B|): the population the same-id sample is drawn from.
  const shared = jaccard.estimate ? (jaccard.estimate / (1 + jaccard.estimate)) * (a.tokenCount + b.tokenCount) : 0;
  const sameId = proportion(sameHits, inter, shared, j.exact);
  const idOffset = modalOffset(j.pairs);
  const mergeRank = comparable ? mergeRankEvidence(a, b) : undefined;

  const ancestry: AncestryNote[] = [];
  for (const anc of options.ancestors ?? []) {
    const n = ancestryNote(a, b, anc);
    if (n) ancestry.push(n);
  }
  const note = ancestry.length ? ancestryText(ancestry) : undefined;

  const parts: string[] = [];
  if (identical)
    parts.push(sameAddedTokens ? 'identical tokenizer' : 'identical vocabulary and merges; added tokens differ');
  if (!comparable) parts.push(`conventions differ (${a.convention} vs ${b.convention}): overlap not meaningful`);
  parts.push(`Jaccard ${fmt(jaccard.estimate)}${jaccard.exact ? ' (exact)' : ` ± ${fmt(jaccard.se)}`}`);
  if (inter > 0) parts.push(`${formatPercent(sameId.estimate)} of shared tokens keep their id`);
  if (idOffset)
    parts.push(`${formatPercent(idOffset.share)} are shifted by ${idOffset.offset > 0 ? '+' : ''}${idOffset.offset}`);
  if (mergeRank) {
    const what = mergeRank.kind === 'merge' ? 'merge' : 'piece-score';
    parts.push(
      mergeRank.spearman !== undefined
        ? `${what}-rank Spearman ${fmt(mergeRank.spearman)} over ${mergeRank.common} common ` +
            (what === 'merge' ? 'merges' : 'pieces')
        : `${what} rank: ${mergeRank.note}`,
    );
  }
  return {
    kind: 'tokenizer',
    identical,
    sameAddedTokens,
    comparable,
    jaccard: j.union ? jaccard : undefined,
    containment: j.union ? containment : undefined,
    sameId: inter ? sameId : undefined,
    idOffset,
    mergeRank,
    ancestry,
    note,
    detail: parts.join('; '),
  };
}

function modalOffset(pairs: [number, number][]): { offset: number; share: number } | undefined {
  const counts = new Map<number, number>();
  for (const [x, y] of pairs) counts.set(y - x, (counts.get(y - x) ?? 0) + 1);
  let best: [number, number] | undefined;
  for (const e of counts) if (e[0] !== 0 && (!best || e[1] > best[1])) best = e;
  return best && best[1] > pairs.length / 2 ? { offset: best[0], share: best[1] / pairs.length } : undefined;
}

function ancestryNote(a: TokenizerSignature, b: TokenizerSignature, anc: TokenizerFamily): AncestryNote | undefined {
  const ja = join(anc.signature.tokens, a.tokens);
  const jb = join(anc.signature.tokens, b.tokens);
  const containmentA = ja.inA ? ja.pairs.length / ja.inA : 0;
  const containmentB = jb.inA ? jb.pairs.length / jb.inA : 0;
  if (containmentA < ANCESTOR_CONTAINMENT || containmentB < ANCESTOR_CONTAINMENT) return undefined;
  // Overlap that the ancestor does not explain: tokens of a ∪ b outside the ancestor, below the
  // limit that all three sketches vouch for.
  const ancD = decode(anc.signature.tokens);
  const jab = join(a.tokens, b.tokens, ancD.limit);
  const ancSet = new Set(ancD.hashes.filter((h) => h <= jab.limit));
  const aD = decode(a.tokens);
  const bD = decode(b.tokens);
  const inAB = new Set(jab.common);
  let union = 0;
  let both = 0;
  for (const h of new Set([...aD.hashes, ...bD.hashes])) {
    if (h > jab.limit || ancSet.has(h)) continue;
    union++;
    if (inAB.has(h)) both++;
  }
  const exact = jab.exact && ancD.limit === MAX_U64;
  const beyond = union
    ? proportion(both, union, Math.max(union, a.tokenCount + b.tokenCount - anc.signature.tokenCount), exact)
    : undefined;
  return { ancestor: anc.id, family: anc.family, containmentA, containmentB, beyondAncestor: beyond };
}

function ancestryText(notes: AncestryNote[]): string {
  return notes
    .map((n) => {
      const beyond = n.beyondAncestor
        ? ' Beyond it, their other tokens overlap with Jaccard ' +
          `${fmt(n.beyondAncestor.estimate)} ± ${fmt(n.beyondAncestor.se)}.`
        : '';
      return (
        `Both vocabularies contain ${n.ancestor} ` +
        `(${formatPercent(n.containmentA)} and ${formatPercent(n.containmentB)} of its tokens): ` +
        `models that start from that public ${n.family} vocabulary ` +
        '(as Llama 3 and Qwen2 start from cl100k_base) overlap highly, ' +
        `so high overlap with this family is expected and is not evidence of weight reuse.${beyond}`
      );
    })
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// Family ranking

interface FamilyMatch {
  id: string;
  family: string;
  identical: boolean;
  jaccard: number;
  jaccardSe: number;
  /** Share of the family's tokens present in the signature (1.0: the signature extends the family). */
  familyContained: number;
  /** Share of the signature's tokens present in the family (1.0: a subset of the family). */
  signatureContained: number;
  sameIdShare?: number;
  relation: 'identical' | 'same' | 'extends' | 'subset' | 'overlaps' | 'unrelated';
  detail: string;
}

/**
 * Ranks known tokenizer families by similarity to `sig`: identical first, then by Jaccard.
 * Containment is reported, not ranked on, because a small vocabulary is "contained" in every
 * large one. The registry supplies the families (signatures of knownmodels); nothing is built in.
 */
export function tokenizerFamilyMatch(sig: TokenizerSignature, families: TokenizerFamily[]): FamilyMatch[] {
  const out: FamilyMatch[] = families.map((f) => {
    const ev = compareTokenizers(sig, f.signature);
    const jac = ev.jaccard?.estimate ?? 0;
    const familyContained = ev.containment?.bInA ?? 0;
    const signatureContained = ev.containment?.aInB ?? 0;
    const sameIdShare = ev.sameId?.estimate;
    const relation: FamilyMatch['relation'] = ev.identical
      ? 'identical'
      : !ev.comparable
        ? 'unrelated'
        : jac >= 0.95
          ? 'same'
          : familyContained >= 0.95
            ? 'extends'
            : signatureContained >= 0.95
              ? 'subset'
              : jac >= 0.3
                ? 'overlaps'
                : 'unrelated';
    return {
      id: f.id,
      family: f.family,
      identical: ev.identical,
      jaccard: jac,
      jaccardSe: ev.jaccard?.se ?? 0,
      familyContained,
      signatureContained,
      sameIdShare,
      relation,
      detail: `${relation} ${f.family} (${f.id}): ${ev.detail}`,
    };
  });
  return out.sort((x, y) => Number(y.identical) - Number(x.identical) || y.jaccard - x.jaccard);
}

function fmt(x: number): string {
  return x >= 0.995 && x < 1 ? x.toFixed(3) : x.toFixed(2);
}
