/**
 * Tokenizer file formats → one internal model: tokenizer.json (BPE, Unigram, WordPiece,
 * WordLevel), GPT-2 vocab.json + merges.txt, tiktoken rank files, SentencePiece models and plain
 * piece lists, each token reduced to its canonical byte string. Pure: takes file contents.
 */
import { InputError } from '../errors.js';
import type { AddedToken, TokenConvention, TokenizerFiles, TokenizerSignature, TokenizerType } from './tokenizer.js';
// ---------------------------------------------------------------------------------------------
// Internal model: every format is parsed into regular entries (id, canonical bytes) plus added
// tokens; the signature is then built the same way for all of them.

export interface Entry {
  id: number;
  /** Canonical bytes as a latin1 string (one char per byte): cheap Map keys and concatenation. */
  key: string;
  /** Lower wins when two entries canonicalise to the same bytes (byte-fallback pieces lose). */
  priority: number;
  /** Merge order for derived merges (tiktoken rank, SentencePiece score order); default id. */
  rank?: number;
  /** Unigram log-probability. */
  score?: number;
}

export interface Merge {
  left: string;
  right: string;
}

export interface Parsed {
  type: TokenizerType;
  format: TokenizerSignature['format'];
  convention: TokenConvention;
  entries: Entry[];
  added: AddedToken[];
  /** Explicit merges (latin1 canonical keys), in rank order. */
  merges?: Merge[];
  /** How to reconstruct merges when none are given. */
  derive?: 'ranks' | 'scores' | 'unigram';
  /** Units that BPE starts from: single bytes (byte-level) or UTF-8 characters (SentencePiece). */
  units: 'bytes' | 'chars';
  notes: string[];
}

export function parseVocabulary(files: TokenizerFiles, name: (f: string) => string): Parsed | undefined {
  if (files['tokenizer.json'] !== undefined) {
    return parseTokenizerJson(parseJson(files['tokenizer.json'], name('tokenizer.json')), name('tokenizer.json'));
  }
  if (files['vocab.json'] !== undefined) {
    const vocab = parseJson(files['vocab.json'], name('vocab.json'));
    if (!isRecord(vocab)) throw new InputError(name('vocab.json'), 'expected a JSON object of token → id');
    const merges =
      files['merges.txt'] !== undefined ? parseMergesText(files['merges.txt'], name('merges.txt')) : undefined;
    return parseBpeVocab(vocab, merges, undefined, 'vocab.json', name('vocab.json'));
  }
  if (files.tiktoken !== undefined) return parseTiktoken(files.tiktoken, name('tiktoken'));
  const model = files['tokenizer.model'];
  if (model !== undefined) {
    if (typeof model === 'string') {
      if (!looksLikeTiktoken(model)) {
        throw new InputError(name('tokenizer.model'), 'not a tiktoken rank file; pass a SentencePiece model as bytes');
      }
      return parseTiktoken(model, name('tokenizer.model'));
    }
    const head = Buffer.from(model.subarray(0, 256)).toString('latin1');
    if (looksLikeTiktoken(head)) return parseTiktoken(Buffer.from(model).toString('utf8'), name('tokenizer.model'));
    return parseSentencePiece(model, name('tokenizer.model'));
  }
  if (files.pieces !== undefined) return parsePieces(files.pieces, name('pieces'));
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Canonical forms

/** GPT-2 bytes_to_unicode, inverted: the printable stand-in character of each byte → the byte. */
const BYTE_DECODER: Map<string, number> = (() => {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [String.fromCharCode(cs[i]!), b]));
})();

/** Byte-level token → latin1 byte string, or undefined if a character is outside the alphabet. */
function fromByteLevel(token: string): string | undefined {
  let out = '';
  for (const ch of token) {
    const b = BYTE_DECODER.get(ch);
    if (b === undefined) return undefined;
    out += String.fromCharCode(b);
  }
  return out;
}

function utf8Key(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

const BYTE_PIECE = /^<0x([0-9A-Fa-f]{2})>$/;

/** SentencePiece piece → canonical bytes: ▁ is a space, <0xNN> is the byte NN. */
function fromMetaspace(piece: string): { key: string; isByte: boolean } {
  const m = BYTE_PIECE.exec(piece);
  if (m) return { key: String.fromCharCode(parseInt(m[1]!, 16)), isByte: true };
  return { key: utf8Key(piece.replace(/\u2581/g, ' ')), isByte: false };
}

type Canon = (token: string) => { key: string; isByte: boolean };

/**
 * Picks the canonical mapping for a BPE vocabulary. Hints from tokenizer.json (pre-tokenizer,
 * decoder, end_of_word_suffix) win; otherwise the content decides: CLIP marks word ends with
 * `</w>`, GPT-2-style vocabularies use the byte-level alphabet (Ġ for space), SentencePiece ▁.
 */
function chooseConvention(
  tokens: string[],
  hints: { byteLevel?: boolean; metaspace?: boolean; endOfWord?: string },
  notes: string[],
): { convention: TokenConvention; canon: Canon } {
  const eow =
    hints.endOfWord ?? (tokens.filter((t) => t.endsWith('</w>')).length > tokens.length / 10 ? '</w>' : undefined);
  const allByteLevel = tokens.every((t) => fromByteLevel(t) !== undefined);
  const byteLevel = hints.byteLevel ?? (allByteLevel && tokens.some((t) => t.includes('Ġ') || t.includes('Ċ')));
  if (byteLevel) {
    const outside = tokens.filter((t) => fromByteLevel(t) === undefined).length;
    if (outside > 0) notes.push(`${outside} tokens lie outside the byte-level alphabet: taken as UTF-8`);
  }
  const byteCanon = (t: string) => fromByteLevel(t) ?? utf8Key(t);
  if (eow) {
    notes.push(`end-of-word suffix '${eow}' kept on tokens: not comparable with prefix-space vocabularies`);
    const stem = byteLevel ? byteCanon : utf8Key;
    return {
      convention: 'end-of-word',
      canon: (t) => ({ key: t.endsWith(eow) ? stem(t.slice(0, -eow.length)) + eow : stem(t), isByte: false }),
    };
  }
  if (byteLevel) {
    notes.push('byte-level (GPT-2 Ġ alphabet) tokens decoded to bytes');
    return { convention: 'byte-level', canon: (t) => ({ key: byteCanon(t), isByte: false }) };
  }
  if (hints.metaspace ?? tokens.some((t) => t.includes('\u2581'))) {
    notes.push('metaspace (▁ = space, <0xNN> = byte) tokens decoded to bytes');
    return { convention: 'metaspace', canon: fromMetaspace };
  }
  return { convention: 'raw', canon: (t) => ({ key: utf8Key(t), isByte: false }) };
}

/**
 * Control-token look. `strict` (only <|...|>) is used when nothing else tells: regular BPE
 * vocabularies hold merged tokens such as "<br>" or "</div>".
 */
function looksSpecial(t: string, strict = false): boolean {
  const s = t.trim();
  if (/^<\|[^\s]*\|>$/.test(s)) return true;
  return !strict && (/^<\/?[A-Za-z_][A-Za-z0-9_]*>$/.test(s) || /^\[[A-Z][A-Za-z0-9_]*\]$/.test(s));
}

// ---------------------------------------------------------------------------------------------
// Formats

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new InputError(source, `invalid JSON: ${firstLine(err)}`);
  }
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0]!;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** merges.txt: `a b` per line, an optional `#version` header. */
function parseMergesText(text: string, source: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || (i === 0 && line.startsWith('#version'))) continue;
    const sp = line.indexOf(' ');
    if (sp <= 0 || sp === line.length - 1 || line.indexOf(' ', sp + 1) !== -1) {
      throw new InputError(source, `line ${i + 1}: expected two tokens separated by one space`);
    }
    out.push([line.slice(0, sp), line.slice(sp + 1)]);
  }
  return out;
}

/** tokenizer.json `model.merges`: ["a b", ...] (older) or [["a", "b"], ...] (tokenizers ≥ 0.20). */
function parseMergesJson(merges: unknown, source: string): [string, string][] {
  if (!Array.isArray(merges)) throw new InputError(source, 'model.merges is not a list');
  return merges.map((m, i) => {
    if (typeof m === 'string') {
      const sp = m.indexOf(' ');
      if (sp <= 0) throw new InputError(source, `model.merges[${i}]: expected "a b"`);
      return [m.slice(0, sp), m.slice(sp + 1)];
    }
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') return [m[0], m[1]];
    throw new InputError(source, `model.merges[${i}]: expected "a b" or ["a", "b"]`);
  });
}

function parseTokenizerJson(json: unknown, source: string): Parsed {
  if (!isRecord(json) || !isRecord(json.model)) throw new InputError(source, 'no "model" object');
  const model = json.model;
  const added: AddedToken[] = [];
  if (Array.isArray(json.added_tokens)) {
    for (const t of json.added_tokens) {
      if (isRecord(t) && typeof t.content === 'string') {
        added.push({
          id: typeof t.id === 'number' ? t.id : undefined,
          content: t.content,
          special: t.special === true,
        });
      }
    }
  }
  const around = JSON.stringify([json.pre_tokenizer ?? null, json.decoder ?? null, json.normalizer ?? null]);
  const hints = {
    byteLevel: around.includes('"ByteLevel"') ? true : undefined,
    metaspace: around.includes('"Metaspace"') || around.includes('\u2581') ? true : undefined,
    endOfWord:
      typeof model.end_of_word_suffix === 'string' && model.end_of_word_suffix ? model.end_of_word_suffix : undefined,
  };
  const type = typeof model.type === 'string' ? model.type : Array.isArray(model.merges) ? 'BPE' : undefined;
  let parsed: Parsed;
  if (type === 'BPE') {
    if (!isRecord(model.vocab)) throw new InputError(source, 'BPE model without a vocab object');
    const merges = model.merges === undefined ? undefined : parseMergesJson(model.merges, source);
    parsed = parseBpeVocab(model.vocab, merges, hints, 'tokenizer.json', source);
  } else if (type === 'Unigram') {
    parsed = parseUnigram(model, source);
  } else if (type === 'WordPiece' || type === 'WordLevel') {
    parsed = parseWordVocab(model, type, source);
  } else {
    throw new InputError(source, `unsupported model type ${JSON.stringify(model.type)}`);
  }
  parsed.added.push(...added);
  return parsed;
}

function vocabEntries(vocab: Record<string, unknown>, source: string): [string, number][] {
  const out: [string, number][] = [];
  for (const [tok, id] of Object.entries(vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new InputError(source, `token ${JSON.stringify(tok.slice(0, 40))} has a non-integer id`);
    }
    out.push([tok, id]);
  }
  return out;
}

/** GPT-2-style BPE vocabulary (vocab.json or tokenizer.json model.vocab) with optional merges. */
function parseBpeVocab(
  vocab: Record<string, unknown>,
  rawMerges: [string, string][] | undefined,
  hints: { byteLevel?: boolean; metaspace?: boolean; endOfWord?: string } | undefined,
  format: 'vocab.json' | 'tokenizer.json',
  source: string,
): Parsed {
  const notes: string[] = [];
  const pairs = vocabEntries(vocab, source);
  const { convention, canon } = chooseConvention(
    pairs.map((p) => p[0]),
    hints ?? {},
    notes,
  );
  const added: AddedToken[] = [];
  // A token that no merge produces and that looks like a control token is an added token
  // (GPT-2's <|endoftext|> sits in vocab.json without a config saying so).
  const produced = rawMerges ? new Set(rawMerges.map(([a, b]) => a + b)) : undefined;
  const entries: Entry[] = [];
  for (const [tok, id] of pairs) {
    const single =
      [...tok].length === 1 || (convention === 'end-of-word' && [...tok.replace(/<\/w>$/, '')].length === 1);
    const { key, isByte } = canon(tok);
    const special = produced ? looksSpecial(tok) && !produced.has(tok) : looksSpecial(tok, true);
    if (special && !single && !BYTE_PIECE.test(tok)) {
      added.push({ id, content: tok, special: true });
      continue;
    }
    entries.push({ id, key, priority: isByte ? 1 : 0 });
  }
  let merges: Merge[] | undefined;
  if (rawMerges) {
    merges = rawMerges.map(([a, b]) => ({ left: canon(a).key, right: canon(b).key }));
  }
  if (!merges) notes.push('no merges given: merge order derived from token ids');
  return {
    type: 'bpe',
    format,
    convention,
    entries,
    added,
    merges,
    derive: merges ? undefined : convention === 'end-of-word' ? undefined : 'ranks',
    units: convention === 'byte-level' ? 'bytes' : 'chars',
    notes,
  };
}

function parseUnigram(model: Record<string, unknown>, source: string): Parsed {
  if (!Array.isArray(model.vocab)) throw new InputError(source, 'Unigram model without a vocab list');
  const entries: Entry[] = [];
  const added: AddedToken[] = [];
  const unk = typeof model.unk_id === 'number' ? model.unk_id : -1;
  model.vocab.forEach((v: unknown, id: number) => {
    if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'number') {
      throw new InputError(source, `model.vocab[${id}]: expected [piece, score]`);
    }
    if (id === unk) {
      added.push({ id, content: v[0], special: true });
      return;
    }
    const { key, isByte } = fromMetaspace(v[0]);
    entries.push({ id, key, priority: isByte ? 1 : 0, score: v[1] });
  });
  return {
    type: 'unigram',
    format: 'tokenizer.json',
    convention: 'metaspace',
    entries,
    added,
    derive: 'unigram',
    units: 'chars',
    notes: ['metaspace (▁ = space, <0xNN> = byte) tokens decoded to bytes'],
  };
}

function parseWordVocab(model: Record<string, unknown>, type: 'WordPiece' | 'WordLevel', source: string): Parsed {
  if (!isRecord(model.vocab)) throw new InputError(source, `${type} model without a vocab object`);
  const prefix = typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '##';
  const entries: Entry[] = [];
  const added: AddedToken[] = [];
  for (const [tok, id] of vocabEntries(model.vocab, source)) {
    if (/^\[[A-Z]+\]$/.test(tok) || /^\[unused\d+\]$/.test(tok)) {
      added.push({ id, content: tok, special: true });
      continue;
    }
    // Continuation pieces lose their prefix; word-initial pieces get a leading space, so the
    // token set reads like a prefix-space vocabulary (approximate: BERT splits on punctuation).
    const key =
      type === 'WordPiece'
        ? tok.startsWith(prefix)
          ? utf8Key(tok.slice(prefix.length))
          : utf8Key(` ${tok}`)
        : utf8Key(tok);
    entries.push({ id, key, priority: 0 });
  }
  return {
    type: type === 'WordPiece' ? 'wordpiece' : 'wordlevel',
    format: 'tokenizer.json',
    convention: type === 'WordPiece' ? 'wordpiece' : 'raw',
    entries,
    added,
    units: 'chars',
    notes:
      type === 'WordPiece'
        ? [`wordpiece: '${prefix}' continuation stripped, word-initial pieces prefixed with a space`]
        : [],
  };
}

function looksLikeTiktoken(text: string): boolean {
  const first = text.slice(0, 200).split('\n')[0] ?? '';
  return /^[A-Za-z0-9+/]*={0,2} \d+\r?$/.test(first);
}

/** tiktoken rank file: base64 bytes, a space, the rank (= token id = merge order). */
function parseTiktoken(text: string, source: string): Parsed {
  const entries: Entry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const m = /^([A-Za-z0-9+/]*={0,2}) (\d+)$/.exec(line);
    if (!m) throw new InputError(source, `line ${i + 1}: expected "<base64> <rank>"`);
    const rank = Number(m[2]);
    entries.push({ id: rank, key: Buffer.from(m[1]!, 'base64').toString('latin1'), priority: 0, rank });
  }
  if (entries.length === 0) throw new InputError(source, 'empty rank file');
  return {
    type: 'tiktoken',
    format: 'tiktoken',
    convention: 'bytes',
    entries,
    added: [],
    derive: 'ranks',
    units: 'bytes',
    notes: ['tiktoken ranks: base64 decoded to bytes; merges derived from ranks'],
  };
}

// SentencePiece ModelProto, read with a minimal protobuf decoder: pieces (field 1: piece=1,
// score=2, type=3) and trainer_spec (field 2: model_type=3, byte_fallback=35).
const SP_NORMAL = 1;
const SP_UNKNOWN = 2;
const SP_CONTROL = 3;
const SP_UNUSED = 5;
const SP_BYTE = 6;

class ProtoReader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly source: string,
    readonly end = buf.length,
  ) {}
  done(): boolean {
    return this.pos >= this.end;
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    return this.fail('varint too long');
  }
  bytes(): ProtoReader {
    const len = this.varint();
    if (this.pos + len > this.end) this.fail('truncated field');
    const r = new ProtoReader(this.buf, this.source, this.pos + len);
    r.pos = this.pos;
    this.pos += len;
    return r;
  }
  float(): number {
    if (this.pos + 4 > this.end) this.fail('truncated float');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else this.fail(`unsupported wire type ${wire}`);
    if (this.pos > this.end) this.fail('truncated field');
  }
  text(): string {
    return Buffer.from(this.buf.subarray(this.pos, this.end)).toString('utf8');
  }
  fail(problem: string): never {
    throw new InputError(this.source, `not a SentencePiece model: ${problem} at byte ${this.pos}`);
  }
}

function parseSentencePiece(bytes: Uint8Array, source: string): Parsed {
  const r = new ProtoReader(bytes, source);
  const pieces: { piece: string; score: number; type: number }[] = [];
  let modelType = 1;
  while (!r.done()) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 2) {
      const p = r.bytes();
      let piece = '';
      let score = 0;
      let type = SP_NORMAL;
      while (!p.done()) {
        const t = p.varint();
        if (t === (1 << 3) + 2) piece = p.bytes().text();
        else if (t === (2 << 3) + 5) score = p.float();
        else if (t === (3 << 3) + 0) type = p.varint();
        else p.skip(t & 7);
      }
      pieces.push({ piece, score, type });
    } else if (field === 2 && wire === 2) {
      const t = r.bytes();
      while (!t.done()) {
        const tt = t.varint();
        if (tt === (3 << 3) + 0) modelType = t.varint();
        else t.skip(tt & 7);
      }
    } else {
      r.skip(wire);
    }
  }
  if (pieces.length === 0) throw new InputError(source, 'not a SentencePiece model: no pieces');
  const entries: Entry[] = [];
  const added: AddedToken[] = [];
  const counts = new Map<number, number>();
  pieces.forEach(({ piece, score, type }, id) => {
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (type === SP_UNKNOWN || type === SP_CONTROL || type === SP_UNUSED) {
      added.push({ id, content: piece, special: true });
      return;
    }
    const { key, isByte } =
      type === SP_BYTE ? fromMetaspace(piece) : { key: utf8Key(piece.replace(/\u2581/g, ' ')), isByte: false };
    entries.push({ id, key, priority: isByte ? 1 : 0, score });
  });
  const bpe = modelType === 2;
  if (bpe) rankByScore(entries);
  const typeNames: Record<number, string> = {
    1: 'normal',
    2: 'unknown',
    3: 'control',
    4: 'user',
    5: 'unused',
    6: 'byte',
  };
  const census = [...counts].map(([t, n]) => `${typeNames[t] ?? t} ${n}`).join(', ');
  return {
    type: bpe ? 'sentencepiece-bpe' : 'sentencepiece-unigram',
    format: 'sentencepiece',
    convention: 'metaspace',
    entries,
    added,
    derive: bpe ? 'scores' : 'unigram',
    units: 'chars',
    notes: [
      `SentencePiece ${bpe ? 'BPE' : modelType === 1 ? 'unigram' : `model_type ${modelType}`}: ${census}; ` +
        '▁ = space, byte pieces = bytes; control/unknown/unused are special',
    ],
  };
}

/** SentencePiece BPE merges the pair whose result scores highest: rank = order by score, then id. */
function rankByScore(entries: Entry[]): void {
  const sorted = [...entries].sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.id - b.id);
  sorted.forEach((e, i) => {
    e.rank = i;
  });
}

/** llama2.c piece lists: JSON array, SentencePiece .vocab (piece\tscore), or one piece per line. */
function parsePieces(text: string, source: string): Parsed {
  let list: { piece: string; score?: number }[];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    const arr = parseJson(text, source);
    if (!Array.isArray(arr) || !arr.every((p) => typeof p === 'string')) {
      throw new InputError(source, 'expected a JSON array of piece strings');
    }
    list = arr.map((piece) => ({ piece }));
  } else {
    const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    const tsv = lines.length > 0 && lines.every((l) => /\t-?[0-9.eE+-]+$/.test(l));
    list = lines.map((l) => {
      if (!tsv) return { piece: l };
      const tab = l.lastIndexOf('\t');
      return { piece: l.slice(0, tab), score: Number(l.slice(tab + 1)) };
    });
  }
  if (list.length === 0) throw new InputError(source, 'no pieces');
  const entries: Entry[] = [];
  const added: AddedToken[] = [];
  list.forEach(({ piece, score }, id) => {
    // llama2.c writes BOS/EOS as "\n<s>\n"; treat any <word> control token as special.
    if (looksSpecial(piece) && !BYTE_PIECE.test(piece)) {
      added.push({ id, content: piece, special: true });
      return;
    }
    const { key, isByte } = fromMetaspace(piece);
    entries.push({ id, key, priority: isByte ? 1 : 0, score });
  });
  const scored = list.some((p) => p.score !== undefined);
  if (scored) rankByScore(entries);
  return {
    type: 'pieces',
    format: 'pieces',
    convention: 'metaspace',
    entries,
    added,
    derive: scored ? 'scores' : 'ranks',
    units: 'chars',
    notes: [
      `piece list${scored ? ' with scores' : ''}: ▁ = space, <0xNN> = byte; ` +
        `merges derived from ${scored ? 'scores' : 'piece order'}`,
    ],
  };
}

/** tokenizer_config.json `added_tokens_decoder` and special_tokens_map.json add to any format. */
export function applyAddedTokenFiles(parsed: Parsed, files: TokenizerFiles, name: (f: string) => string): void {
  const extra: AddedToken[] = [];
  if (files['tokenizer_config.json'] !== undefined) {
    const cfg = parseJson(files['tokenizer_config.json'], name('tokenizer_config.json'));
    if (!isRecord(cfg)) throw new InputError(name('tokenizer_config.json'), 'expected a JSON object');
    if (isRecord(cfg.added_tokens_decoder)) {
      for (const [id, t] of Object.entries(cfg.added_tokens_decoder)) {
        if (isRecord(t) && typeof t.content === 'string' && /^\d+$/.test(id)) {
          extra.push({ id: Number(id), content: t.content, special: t.special === true });
        }
      }
    }
    extra.push(...specialsFromMap(cfg));
  }
  if (files['special_tokens_map.json'] !== undefined) {
    const map = parseJson(files['special_tokens_map.json'], name('special_tokens_map.json'));
    if (!isRecord(map)) throw new InputError(name('special_tokens_map.json'), 'expected a JSON object');
    extra.push(...specialsFromMap(map));
  }
  parsed.added.push(...extra);
}

/** `bos_token: "<s>"` / `{content}` and `additional_special_tokens: [...]`. */
function specialsFromMap(obj: Record<string, unknown>): AddedToken[] {
  const out: AddedToken[] = [];
  const take = (v: unknown) => {
    if (typeof v === 'string') out.push({ content: v, special: true });
    else if (isRecord(v) && typeof v.content === 'string') out.push({ content: v.content, special: true });
  };
  for (const [k, v] of Object.entries(obj)) {
    if (/^(bos|eos|unk|sep|pad|cls|mask)_token$/.test(k)) take(v);
    if (k === 'additional_special_tokens' && Array.isArray(v)) v.forEach(take);
  }
  return out;
}
