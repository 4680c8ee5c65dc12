/**
 * Small byte-level BPE tokenizers in Hugging Face `tokenizer.json` form, trained for real on a
 * seeded pseudo-corpus. Independent tokenizers share the common English words (so token sets
 * overlap, as real English tokenizers do) but learn their merges in a different order and lay
 * out special tokens differently, so ids rarely coincide — the situation the field notes describe.
 */
import { Rng } from './random.js';

export interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export interface TokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedToken[];
  normalizer: null;
  pre_tokenizer: { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean };
  post_processor: null;
  decoder: { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean };
  model: {
    type: 'BPE';
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: string[];
  };
}

const COMMON_WORDS = (
  'the of and to in is was that for on with as by at from his he it an be are were which this ' +
  'had not or have but one their they has been first after also its new who all two more other ' +
  'time her she year would there when into during between over can most some may only such than ' +
  'then these made used about while many where under school world state people city some before ' +
  'model weight layer train data value learn token small large early later known number system ' +
  'water house river light story little went said little once upon there lived happy girl boy day ' +
  'play friend mother father tree garden sun ball dog cat big went saw wanted found very'
).split(' ');

const SYLLABLES = (
  'ka ri to na mo lu se vi an er in on el ar or en ing tion ly ed re de st th ch sh qu pr tr ' +
  'bl cl gr fl ou ea ai oo ee ie ur ir al il ol um ix ox az'
).split(' ');

/** GPT-2's byte → printable unicode map (the alphabet byte-level BPE vocabularies use). */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out = new Array<string>(256);
  for (let i = 0; i < bs.length; i++) out[bs[i]!] = String.fromCharCode(cs[i]!);
  return out;
}

interface TokenizerOptions {
  /** Total id space (specials + bytes + merges); matched to the embedding rows. */
  vocabSize: number;
  seed: number;
  /** Extra special tokens (e.g. vision markers), appended after the base specials. */
  extraSpecials?: string[];
}

const cache = new Map<string, TokenizerJson>();

/**
 * Trains a byte-level BPE on a seeded Zipfian pseudo-corpus. Memoised (training takes ~0.1 s and
 * every case of a replica shares its base tokenizer); callers treat the result as immutable.
 */
export function makeTokenizer(opts: TokenizerOptions): TokenizerJson {
  const key = `${opts.vocabSize}|${opts.seed}|${(opts.extraSpecials ?? []).join(',')}`;
  let tok = cache.get(key);
  if (!tok) {
    tok = trainTokenizer(opts);
    if (cache.size > 64) cache.clear();
    cache.set(key, tok);
  }
  return structuredClone(tok);
}

/** Drops memoised tokenizers (tests use it to prove determinism without caches). */
export function clearTokenizerCache(): void {
  cache.clear();
}

const SPECIAL_SETS = [
  ['<unk>', '<s>', '</s>'],
  ['<|endoftext|>'],
  ['<|endoftext|>', '<|pad|>'],
  ['<pad>', '</s>', '<unk>', '<mask>'],
];

function trainTokenizer(opts: TokenizerOptions): TokenizerJson {
  const rng = Rng.derive(opts.seed, 'tokenizer');
  // Layouts seen in the wild vary: which specials, in front or at the end, bytes in raw order or in
  // GPT-2's printable-first order. Independent tokenizers therefore rarely agree on ids.
  const baseSpecials = SPECIAL_SETS[rng.int(SPECIAL_SETS.length)]!;
  const front = rng.int(2) === 0;
  const gpt2ByteOrder = rng.int(2) === 0;
  const specials = [...baseSpecials, ...(opts.extraSpecials ?? [])];
  const nMerges = opts.vocabSize - 256 - specials.length;
  if (nMerges < 1) throw new Error(`tokenizer: vocab ${opts.vocabSize} too small for a byte-level BPE`);

  // Corpus: common English words first (Zipf ranks jittered per corpus), seeded pseudo-words after.
  const scored: [string, number][] = COMMON_WORDS.map((w, i) => [w, i + 6 * rng.normal()]);
  for (let i = 0; i < 400; i++) {
    const k = 1 + rng.int(3);
    let w = '';
    for (let j = 0; j < k; j++) w += SYLLABLES[rng.int(SYLLABLES.length)];
    scored.push([w, 20 + 600 * rng.uniform()]);
  }
  scored.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const order = [...new Set(scored.map(([w]) => w))];
  const byteChar = bytesToUnicode();
  const space = byteChar[32]!;
  const counts = new Map<string, number>();
  order.forEach((w, rank) => {
    const c = Math.max(1, Math.round(100000 / (rank + 2) ** 1.07));
    const enc = [...Buffer.from(w, 'utf8')].map((b) => byteChar[b]!).join('');
    counts.set(space + enc, (counts.get(space + enc) ?? 0) + c);
    counts.set(enc, (counts.get(enc) ?? 0) + Math.ceil(c / 8)); // sentence-initial form
  });

  // Plain BPE training: repeatedly merge the most frequent adjacent pair. Symbols are interned
  // to integers and pair counts updated only for the words a merge touches.
  const symStr: string[] = [];
  const symId = new Map<string, number>();
  const intern = (t: string): number => {
    let i = symId.get(t);
    if (i === undefined) {
      i = symStr.length;
      symStr.push(t);
      symId.set(t, i);
    }
    return i;
  };
  const K = 1 << 20; // pair key = left·K + right (exact in a double)
  const words = [...counts.entries()].map(([w, c]) => ({ sym: [...w].map(intern), c }));
  const pairs = new Map<number, number>();
  const count = (sym: number[], c: number) => {
    for (let i = 0; i + 1 < sym.length; i++) {
      const k = sym[i]! * K + sym[i + 1]!;
      const v = (pairs.get(k) ?? 0) + c;
      if (v === 0) pairs.delete(k);
      else pairs.set(k, v);
    }
  };
  for (const w of words) count(w.sym, w.c);
  const merges: string[] = [];
  const learned: string[] = [];
  while (merges.length < nMerges) {
    let best = -1;
    let bestCount = 0;
    for (const [k, c] of pairs) {
      if (c > bestCount || (c === bestCount && pairName(symStr, k, K) < pairName(symStr, best, K))) {
        best = k;
        bestCount = c;
      }
    }
    if (bestCount === 0) {
      // Corpus exhausted: pad with seeded pseudo-merges of existing tokens so the vocab is full.
      const l = learned.length ? learned[rng.int(learned.length)]! : byteChar[97 + rng.int(26)]!;
      const r = byteChar[97 + rng.int(26)]!;
      if (!learned.includes(l + r)) {
        merges.push(`${l} ${r}`);
        learned.push(l + r);
      }
      continue;
    }
    const li = Math.floor(best / K);
    const ri = best % K;
    const l = symStr[li]!;
    const r = symStr[ri]!;
    merges.push(`${l} ${r}`);
    learned.push(l + r);
    const mi = intern(l + r);
    for (const w of words) {
      let hit = false;
      for (let i = 0; i + 1 < w.sym.length; i++)
        if (w.sym[i] === li && w.sym[i + 1] === ri) {
          hit = true;
          break;
        }
      if (!hit) continue;
      count(w.sym, -w.c);
      const out: number[] = [];
      for (let i = 0; i < w.sym.length; i++) {
        if (i + 1 < w.sym.length && w.sym[i] === li && w.sym[i + 1] === ri) {
          out.push(mi);
          i++;
        } else out.push(w.sym[i]!);
      }
      w.sym = out;
      count(w.sym, w.c);
    }
  }

  const vocab: Record<string, number> = {};
  const added: AddedToken[] = [];
  let id = 0;
  const addSpecial = (content: string) => {
    vocab[content] = id;
    added.push({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    id++;
  };
  if (front) specials.forEach(addSpecial);
  const byteOrder = gpt2ByteOrder
    ? [...Array(256).keys()].sort((x, y) => byteChar[x]!.charCodeAt(0) - byteChar[y]!.charCodeAt(0))
    : [...Array(256).keys()];
  for (const b of byteOrder) vocab[byteChar[b]!] = id++;
  for (const t of learned) vocab[t] = id++;
  if (!front) specials.forEach(addSpecial);

  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: null,
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

function pairName(symStr: string[], key: number, K: number): string {
  return key < 0 ? '\uffff' : `${symStr[Math.floor(key / K)]} ${symStr[key % K]}`;
}

/** Number of ids the tokenizer uses (vocab plus added tokens beyond it). */
export function tokenizerSize(tok: TokenizerJson): number {
  let max = -1;
  for (const id of Object.values(tok.model.vocab)) max = Math.max(max, id);
  for (const t of tok.added_tokens) max = Math.max(max, t.id);
  return max + 1;
}

/** Appends `extra` added tokens (what `tokenizer.add_tokens` + `resize_token_embeddings` does). */
export function extendTokenizer(tok: TokenizerJson, extra: number, label = 'extra'): TokenizerJson {
  const start = tokenizerSize(tok);
  const added = tok.added_tokens.slice();
  for (let i = 0; i < extra; i++) {
    added.push({
      id: start + i,
      content: `<|${label}_${i}|>`,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    });
  }
  return { ...tok, added_tokens: added };
}

/**
 * Per-row norm multipliers for embedding/head rows: frequent tokens (merges learned early) get
 * larger rows, unused ids (specials, rare bytes) smaller ones, as in trained embeddings.
 */
export function frequencyWeights(tok: TokenizerJson, rows: number): Float32Array {
  const w = new Float32Array(rows).fill(0.6);
  let rank = 0;
  for (const m of tok.model.merges) {
    const t = m.replace(' ', '');
    const id = tok.model.vocab[t];
    if (id !== undefined && id < rows) w[id] = 0.8 + 0.8 / Math.sqrt(1 + rank / 16);
    rank++;
  }
  return w;
}
