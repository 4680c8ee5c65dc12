/**
 * Tokenizer signature: a compact, JSON-serialisable summary of a tokenizer from which
 * `compare/tokenizer.ts` estimates token-set overlap, id agreement and merge-rank correlation
 * without the original files (a registry stores thousands of these).
 *
 * Pure: takes file contents, never reads files. Every format is reduced to one canonical form —
 * each regular token as its byte string — so a GPT-2 `vocab.json` (Ġ = byte-level alphabet), a
 * SentencePiece model (▁ = space, <0xNN> = byte) and a tiktoken rank file (base64 bytes) of the
 * same tokens produce the same token hashes and the same vocabulary digest.
 *
 * Hashing is fixed by the schema so other implementations can produce comparable signatures:
 * - token hash  = first 8 bytes (big-endian u64) of SHA-256(token bytes)
 * - merge hash  = first 8 bytes of SHA-256(u32be(len(left)) ‖ left ‖ right)
 * - vocabDigest = SHA-256 over regular tokens in id order of `${id}\t${base64(bytes)}\n`
 * - merges.digest = SHA-256 over merges in rank order of `${base64(left)} ${base64(right)}\n`
 * - special.digest = SHA-256 over added tokens in id order of `${id ?? ''}\t${content}\n`
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { applyAddedTokenFiles, parseVocabulary, type Entry, type Merge, type Parsed } from './tokenizer-formats.js';

const TOKENIZER_SIGNATURE_SCHEMA = 'weightprint.tokenizer/1';
/** Entries kept in each bottom-k sketch. Jaccard standard error ≈ √(J(1−J)/k) ≤ 0.016. */
export const SKETCH_K = 1024;
/** Added/special tokens listed verbatim; the rest are only counted and digested. */
const SPECIAL_LIST_CAP = 64;

export type TokenizerType =
  | 'bpe'
  | 'unigram'
  | 'wordpiece'
  | 'wordlevel'
  | 'tiktoken'
  | 'sentencepiece-bpe'
  | 'sentencepiece-unigram'
  | 'pieces';

/**
 * How token strings were mapped to canonical bytes. byte-level, metaspace, bytes and raw are all
 * "prefix-space" conventions and compare with each other; end-of-word (CLIP `</w>`) and wordpiece
 * (`##`) mark word boundaries differently and are only comparable within their own convention.
 */
export type TokenConvention = 'byte-level' | 'metaspace' | 'bytes' | 'raw' | 'end-of-word' | 'wordpiece';

/**
 * Bottom-k sample: the k smallest 64-bit hashes of the set, with one u32 value per hash (a token
 * id, or a merge rank). `hashes` is base64 of k×8 bytes (u64 big-endian, ascending), `values`
 * base64 of k×4 bytes (u32 big-endian). `n` is the size of the whole set: when n ≤ k the sketch
 * holds every element and estimates from it are exact.
 */
export interface Sketch {
  k: number;
  n: number;
  hashes: string;
  values: string;
}

interface RankSketch {
  /** merge: items are (left, right) pairs; piece-score: unigram pieces ranked by score. */
  kind: 'merge' | 'piece-score';
  /** explicit: a merges list was given; derived-*: reconstructed from token ranks/ids or scores. */
  source: 'explicit' | 'derived-from-ranks' | 'derived-from-scores';
  count: number;
  digest: string;
  sketch: Sketch;
}

export interface AddedToken {
  id?: number;
  content: string;
  special: boolean;
}

export interface TokenizerSignature {
  schema: typeof TOKENIZER_SIGNATURE_SCHEMA;
  type: TokenizerType;
  /** Which input the vocabulary came from. */
  format: 'tokenizer.json' | 'vocab.json' | 'tiktoken' | 'sentencepiece' | 'pieces';
  convention: TokenConvention;
  /** Distinct ids: regular tokens plus added/special tokens. */
  vocabSize: number;
  /** Distinct canonical regular tokens: the set the sketch samples. */
  tokenCount: number;
  vocabDigest: string;
  special: { count: number; digest: string; tokens: AddedToken[] };
  /** Bottom-k of regular tokens by token hash; values are token ids. */
  tokens: Sketch;
  /** Bottom-k of merges by merge hash (values = merge rank), or of unigram pieces (values = score rank). */
  ranks?: RankSketch;
  /** Normalisation facts and anomalies, one short line each. */
  notes: string[];
}

export interface TokenizerFiles {
  'tokenizer.json'?: string;
  'tokenizer_config.json'?: string;
  'vocab.json'?: string;
  'merges.txt'?: string;
  'special_tokens_map.json'?: string;
  /** A tiktoken rank file: `base64 rank` per line (OpenAI, Llama 3/4, Qwen1, GLM-4 `tokenizer.model`). */
  tiktoken?: string;
  /**
   * `tokenizer.model`: either a tiktoken rank file (text) or a SentencePiece ModelProto. Pass the
   * bytes (Uint8Array) — a protobuf read as UTF-8 text is corrupted.
   */
  'tokenizer.model'?: string | Uint8Array;
  /**
   * A piece list: a JSON array of strings, a SentencePiece `.vocab` (`piece<TAB>score` lines), or
   * one piece per line (llama2.c exports).
   */
  pieces?: string;
}

export function tokenizerSignature(files: TokenizerFiles, source = ''): TokenizerSignature | undefined {
  const name = (f: string) => (source ? `${source}/${f}` : f);
  const parsed = parseVocabulary(files, name);
  if (!parsed) return undefined;
  applyAddedTokenFiles(parsed, files, name);
  return buildSignature(parsed);
}

// ---------------------------------------------------------------------------------------------
// Signature

function buildSignature(p: Parsed): TokenizerSignature {
  const notes = [...new Set(p.notes)];
  const added = mergeAdded(p);
  // Added tokens flagged special are control tokens even when the base vocabulary lists them
  // (Llama 2's tokenizer.json keeps <s> in model.vocab): drop them from the regular set.
  const specialIds = new Set(added.filter((t) => t.special && t.id !== undefined).map((t) => t.id!));
  const entries = p.entries.filter((e) => !specialIds.has(e.id));
  entries.sort((a, b) => a.id - b.id);

  const vocabDigest = sha256Hex(entries.map((e) => `${e.id}\t${Buffer.from(e.key, 'latin1').toString('base64')}\n`));

  // One id per distinct canonical token: normal pieces beat byte-fallback duplicates, then lowest id.
  const byKey = new Map<string, Entry>();
  for (const e of entries) {
    const prev = byKey.get(e.key);
    if (!prev || e.priority < prev.priority) byKey.set(e.key, e);
  }
  if (byKey.size < entries.length)
    notes.push(`${entries.length - byKey.size} tokens share bytes with another token (kept once)`);
  const distinct = [...byKey.values()];
  const tokens = bottomK(
    distinct.map((e) => tokenHash(e.key)),
    distinct.map((e) => e.id),
    SKETCH_K,
  );

  const ranks = rankSketch(p, entries, byKey, notes);

  const ids = new Set<number>(entries.map((e) => e.id));
  for (const t of added) if (t.id !== undefined) ids.add(t.id);
  const sortedAdded = [...added].sort((a, b) => (a.id ?? Infinity) - (b.id ?? Infinity) || cmp(a.content, b.content));
  return {
    schema: TOKENIZER_SIGNATURE_SCHEMA,
    type: p.type,
    format: p.format,
    convention: p.convention,
    vocabSize: ids.size,
    tokenCount: byKey.size,
    vocabDigest,
    special: {
      count: sortedAdded.length,
      digest: sha256Hex(sortedAdded.map((t) => `${t.id ?? ''}\t${t.content}\n`)),
      tokens: sortedAdded.slice(0, SPECIAL_LIST_CAP),
    },
    tokens,
    ranks,
    notes,
  };
}

/**
 * One record per added token: entries from several files are merged by content; a token named
 * only in special_tokens_map (no id) takes the id of the regular token with that text, if any.
 */
function mergeAdded(p: Parsed): AddedToken[] {
  const byContent = new Map<string, AddedToken>();
  for (const t of p.added) {
    const prev = byContent.get(t.content);
    if (!prev) byContent.set(t.content, { ...t });
    else {
      prev.id ??= t.id;
      prev.special ||= t.special;
    }
  }
  const missing = [...byContent.values()].filter((t) => t.id === undefined);
  if (missing.length) {
    // Only exact textual matches: the token string as it appears in the vocabulary.
    const surface = new Map<string, number>();
    const wanted = new Set(missing.map((t) => t.content));
    for (const e of p.entries) {
      const text = Buffer.from(e.key, 'latin1').toString('utf8');
      if (wanted.has(text) && !surface.has(text)) surface.set(text, e.id);
    }
    for (const t of missing) t.id = surface.get(t.content);
  }
  return [...byContent.values()];
}

function rankSketch(p: Parsed, entries: Entry[], byKey: Map<string, Entry>, notes: string[]): RankSketch | undefined {
  if (p.merges) {
    const seen = new Set<bigint>();
    const hashes: bigint[] = [];
    const ranks: number[] = [];
    const lines: string[] = [];
    p.merges.forEach((m, rank) => {
      lines.push(mergeLine(m));
      const h = mergeHash(m);
      if (seen.has(h)) return; // a repeated merge never fires twice: keep its first rank
      seen.add(h);
      hashes.push(h);
      ranks.push(rank);
    });
    return {
      kind: 'merge',
      source: 'explicit',
      count: p.merges.length,
      digest: sha256Hex(lines),
      sketch: bottomK(hashes, ranks, SKETCH_K),
    };
  }
  if (p.derive === 'ranks' || p.derive === 'scores') {
    const { merges, unreachable } = deriveMerges([...byKey.values()], p.units);
    if (unreachable > 0) notes.push(`${unreachable} multi-unit tokens are not reachable by merges of lower rank`);
    return {
      kind: 'merge',
      source: p.derive === 'ranks' ? 'derived-from-ranks' : 'derived-from-scores',
      count: merges.length,
      digest: sha256Hex(merges.map(mergeLine)),
      sketch: bottomK(
        merges.map(mergeHash),
        merges.map((_, rank) => rank),
        SKETCH_K,
      ),
    };
  }
  if (p.derive === 'unigram') {
    const scored = entries.filter((e) => e.score !== undefined && byKey.get(e.key) === e);
    scored.sort((a, b) => b.score! - a.score! || a.id - b.id);
    return {
      kind: 'piece-score',
      source: 'derived-from-scores',
      count: scored.length,
      digest: sha256Hex(scored.map((e) => `${Buffer.from(e.key, 'latin1').toString('base64')}\n`)),
      sketch: bottomK(
        scored.map((e) => tokenHash(e.key)),
        scored.map((_, rank) => rank),
        SKETCH_K,
      ),
    };
  }
  return undefined;
}

/**
 * Rebuilds the merge list of a rank-ordered vocabulary (tiktoken, SentencePiece BPE, a vocab.json
 * without merges.txt): for each token, run BPE over its units with the lower-ranked tokens only;
 * the two parts left are the merge that creates it. This is how tiktoken encodes and how the HF
 * converters produce merges.txt, so a derived list equals the published one for the same ranks.
 */
function deriveMerges(entries: Entry[], units: 'bytes' | 'chars'): { merges: Merge[]; unreachable: number } {
  const rankOf = new Map<string, number>();
  for (const e of entries) rankOf.set(e.key, e.rank ?? e.id);
  const ordered = [...entries].sort((a, b) => (a.rank ?? a.id) - (b.rank ?? b.id));
  const merges: Merge[] = [];
  let unreachable = 0;
  for (const e of ordered) {
    const r = e.rank ?? e.id;
    const key = e.key;
    // Parts are contiguous spans of the token: keep their start offsets and slice pairs out of
    // the token (cheaper than concatenating strings for every lookup).
    const starts = units === 'bytes' ? [...Array(key.length).keys()] : utf8Starts(key);
    if (starts.length < 2) continue;
    starts.push(key.length);
    const pairRank = (i: number) => {
      const rr = rankOf.get(key.slice(starts[i]!, starts[i + 2]!));
      return rr !== undefined && rr < r ? rr : Infinity;
    };
    const pr: number[] = [];
    for (let i = 0; i < starts.length - 2; i++) pr.push(pairRank(i));
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < pr.length; i++) {
        if (pr[i]! < bestRank) {
          bestRank = pr[i]!;
          best = i;
        }
      }
      if (best < 0) break;
      starts.splice(best + 1, 1);
      pr.splice(best, 1);
      if (best < pr.length) pr[best] = pairRank(best);
      if (best > 0) pr[best - 1] = pairRank(best - 1);
    }
    if (starts.length === 3) merges.push({ left: key.slice(0, starts[1]), right: key.slice(starts[1]) });
    else unreachable++;
  }
  return { merges, unreachable };
}

/** Start offsets of the UTF-8 characters of a latin1 byte string (continuation bytes join their lead). */
function utf8Starts(key: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!(c >= 0x80 && c < 0xc0 && out.length > 0)) out.push(i);
  }
  return out;
}

function mergeLine(m: Merge): string {
  return `${Buffer.from(m.left, 'latin1').toString('base64')} ${Buffer.from(m.right, 'latin1').toString('base64')}\n`;
}

/** One-shot SHA-256 (crypto.hash, Node ≥ 20.12) is ~2.5× faster for 200k short inputs. */
const sha256: (data: Buffer) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => createHash('sha256').update(data).digest();

function tokenHash(key: string): bigint {
  return sha256(Buffer.from(key, 'latin1')).readBigUInt64BE(0);
}

function mergeHash(m: Merge): bigint {
  const buf = Buffer.allocUnsafe(4 + m.left.length + m.right.length);
  buf.writeUInt32BE(m.left.length, 0);
  buf.write(m.left + m.right, 4, 'latin1');
  return sha256(buf).readBigUInt64BE(0);
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * The k smallest distinct hashes with their values. Hashes are uniform, so the k smallest of n lie
 * below about (k/n)·2^64: only entries under 4k/n of the range are sorted (all of them if that
 * leaves fewer than k, which happens with probability ~e^-k).
 */
function bottomK(hashes: bigint[], values: number[], k: number): Sketch {
  const n = hashes.length;
  const cut = n > 4 * k ? (U64_MAX / BigInt(n)) * BigInt(4 * k) : U64_MAX;
  let idx: number[] = [];
  for (let i = 0; i < n; i++) if (hashes[i]! <= cut) idx.push(i);
  if (idx.length < k) idx = [...Array(n).keys()];
  idx.sort((x, y) => (hashes[x]! < hashes[y]! ? -1 : hashes[x]! > hashes[y]! ? 1 : 0));
  const kept: number[] = [];
  for (const i of idx) {
    if (kept.length === k) break;
    // Equal hashes mean equal items (or a 2^-64 collision): keep the first.
    if (kept.length && hashes[kept[kept.length - 1]!] === hashes[i]) continue;
    kept.push(i);
  }
  const hb = Buffer.alloc(kept.length * 8);
  const vb = Buffer.alloc(kept.length * 4);
  kept.forEach((i, j) => {
    hb.writeBigUInt64BE(hashes[i]!, j * 8);
    vb.writeUInt32BE(values[i]!, j * 4);
  });
  return { k, n, hashes: hb.toString('base64'), values: vb.toString('base64') };
}

function sha256Hex(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p, 'utf8');
  return h.digest('hex');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
