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

export interface TokenizerOptions {
  /** Total id space (specials + bytes + merges); matched to the embedding rows. */
  vocabSize: number;
  seed: number;
  /** Extra special tokens (e.g. vision markers), appended after the base specials. */
  extraSpecials?: string[];
}

/** Trains a byte-level BPE on a seeded Zipfian pseudo-corpus. */
export function makeTokenizer(opts: TokenizerOptions): TokenizerJson {
  const rng = Rng.derive(opts.seed, 'tokenizer');
  // Two special-token layouts seen in the wild: Llama-style in front, GPT-style at the end.
  const front = rng.int(2) === 0;
  const baseSpecials = front ? ['<unk>', '<s>', '</s>'] : ['<|endoftext|>', '<|pad|>'];
  const specials = [...baseSpecials, ...(opts.extraSpecials ?? [])];
  const nMerges = opts.vocabSize - 256 - specials.length;
  if (nMerges < 1) throw new Error(`tokenizer: vocab ${opts.vocabSize} too small for a byte-level BPE`);

  // Corpus: common words plus seeded pseudo-words, Zipf-weighted in a seeded order.
  const words = COMMON_WORDS.slice();
  for (let i = 0; i < 400; i++) {
    const k = 1 + rng.int(3);
    let w = '';
    for (let j = 0; j < k; j++) w += SYLLABLES[rng.int(SYLLABLES.length)];
    words.push(w);
  }
  const order = rng.shuffled([...new Set(words)]);
  const byteChar = bytesToUnicode();
  const space = byteChar[32]!;
  const counts = new Map<string, number>();
  order.forEach((w, rank) => {
    const c = Math.max(1, Math.round(100000 / (rank + 2) ** 1.07));
    const enc = [...Buffer.from(w, 'utf8')].map((b) => byteChar[b]!).join('');
    counts.set(space + enc, (counts.get(space + enc) ?? 0) + c);
    counts.set(enc, (counts.get(enc) ?? 0) + Math.ceil(c / 8)); // sentence-initial form
  });

  // Plain BPE training: repeatedly merge the most frequent adjacent pair.
  const seqs = [...counts.entries()].map(([w, c]) => ({ sym: [...w], c }));
  const merges: string[] = [];
  const learned: string[] = [];
  while (merges.length < nMerges) {
    const pairs = new Map<string, number>();
    for (const { sym, c } of seqs) {
      for (let i = 0; i + 1 < sym.length; i++) {
        const key = sym[i] + '\u0000' + sym[i + 1];
        pairs.set(key, (pairs.get(key) ?? 0) + c);
      }
    }
    let best = '';
    let bestCount = 0;
    for (const [k, c] of pairs) {
      if (c > bestCount || (c === bestCount && k < best)) {
        best = k;
        bestCount = c;
      }
    }
    if (bestCount === 0) {
      // Corpus exhausted: pad with seeded pseudo-merges of existing tokens so the vocab is full.
      const a = learned.length ? learned[rng.int(learned.length)]! : byteChar[97 + rng.int(26)]!;
      const b = byteChar[97 + rng.int(26)]!;
      if (!learned.includes(a + b)) {
        merges.push(`${a} ${b}`);
        learned.push(a + b);
      }
      continue;
    }
    const [l, r] = best.split('\u0000') as [string, string];
    merges.push(`${l} ${r}`);
    learned.push(l + r);
    for (const s of seqs) {
      const out: string[] = [];
      for (let i = 0; i < s.sym.length; i++) {
        if (i + 1 < s.sym.length && s.sym[i] === l && s.sym[i + 1] === r) {
          out.push(l + r);
          i++;
        } else out.push(s.sym[i]!);
      }
      s.sym = out;
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
  for (let b = 0; b < 256; b++) vocab[byteChar[b]!] = id++;
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
