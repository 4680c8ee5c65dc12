/** Tokenizer formats on generated inputs: every format reduces to the same canonical bytes. */
import { describe, expect, it } from 'vitest';
import { tokenizerSignature, SKETCH_K, type TokenizerSignature } from '../../src/fingerprint/tokenizer.js';
import { compareTokenizers } from '../../src/compare/tokenizer.js';
import { InputError } from '../../src/errors.js';
import { mergesTxt, sentencePieceModel, synthBpe, vocabJson } from './signature-helpers.js';

const base = synthBpe(300, 7);

function gpt2Style(): TokenizerSignature {
  return tokenizerSignature({ 'vocab.json': vocabJson(base.tokens), 'merges.txt': mergesTxt(base.merges) })!;
}

describe('HF BPE', () => {
  it('reads vocab.json + merges.txt (byte-level) and decodes Ġ to a space', () => {
    const sig = gpt2Style();
    expect(sig.type).toBe('bpe');
    expect(sig.convention).toBe('byte-level');
    expect(sig.tokenCount).toBe(base.tokens.length);
    expect(sig.ranks).toMatchObject({ kind: 'merge', source: 'explicit', count: 300 });
    // 327 tokens ≤ k: the sketch holds the whole set.
    expect(sig.tokens.n).toBe(base.tokens.length);
    expect(Buffer.from(sig.tokens.hashes, 'base64').length).toBe(8 * base.tokens.length);
  });

  it('gives the same signature for tokenizer.json with "a b" and ["a","b"] merges', () => {
    const vocab = Object.fromEntries(base.tokens.map((t, i) => [t, i]));
    const mk = (merges: unknown) =>
      tokenizerSignature({
        'tokenizer.json': JSON.stringify({
          model: { type: 'BPE', vocab, merges },
          pre_tokenizer: { type: 'ByteLevel' },
          added_tokens: [],
        }),
      })!;
    const strings = mk(base.merges.map(([a, b]) => `${a} ${b}`));
    const arrays = mk(base.merges);
    expect(strings.ranks!.digest).toBe(arrays.ranks!.digest);
    expect(strings.vocabDigest).toBe(arrays.vocabDigest);
    expect(strings.vocabDigest).toBe(gpt2Style().vocabDigest);
    expect(strings.ranks!.digest).toBe(gpt2Style().ranks!.digest);
  });

  it('treats an unreachable <|endoftext|> in vocab.json as special (GPT-2 ships it without a config)', () => {
    const tokens = [...base.tokens, '<|endoftext|>'];
    const sig = tokenizerSignature({ 'vocab.json': vocabJson(tokens), 'merges.txt': mergesTxt(base.merges) })!;
    expect(sig.tokenCount).toBe(base.tokens.length);
    expect(sig.vocabDigest).toBe(gpt2Style().vocabDigest);
    expect(sig.special.tokens).toEqual([{ id: tokens.length - 1, content: '<|endoftext|>', special: true }]);
  });

  it('takes added tokens from tokenizer_config.json and special_tokens_map.json', () => {
    const sig = tokenizerSignature({
      'vocab.json': vocabJson(base.tokens),
      'merges.txt': mergesTxt(base.merges),
      'tokenizer_config.json': JSON.stringify({
        added_tokens_decoder: { [base.tokens.length]: { content: '<|im_start|>', special: true } },
      }),
      'special_tokens_map.json': JSON.stringify({
        eos_token: { content: '<|im_start|>' },
        additional_special_tokens: ['<x>'],
      }),
    })!;
    expect(sig.special.count).toBe(2);
    expect(sig.special.tokens[0]).toEqual({ id: base.tokens.length, content: '<|im_start|>', special: true });
    expect(sig.vocabSize).toBe(base.tokens.length + 1);
  });

  it('reads a vocab.json without merges by deriving merges from ids', () => {
    const sig = tokenizerSignature({ 'vocab.json': vocabJson(base.tokens) })!;
    expect(sig.ranks?.source).toBe('derived-from-ranks');
    expect(sig.notes.join(' ')).toMatch(/no merges given/);
    expect(compareTokenizers(sig, gpt2Style()).identical).toBe(true);
  });
});

describe('canonical bytes across conventions', () => {
  // The same token strings written three ways: byte-level (Ġ), SentencePiece (▁), tiktoken (base64).
  const plain = base.tokens.map((t) => t.replace(/Ġ/g, ' '));
  const byteLevel = gpt2Style();
  const metaspace = tokenizerSignature({
    'tokenizer.json': JSON.stringify({
      model: {
        type: 'BPE',
        vocab: Object.fromEntries(plain.map((t, i) => [t.replace(/ /g, '\u2581'), i])),
        merges: [],
      },
      decoder: { type: 'Metaspace' },
    }),
  })!;
  const tiktoken = tokenizerSignature({
    tiktoken: plain.map((t, i) => `${Buffer.from(t, 'utf8').toString('base64')} ${i}`).join('\n'),
  })!;

  it('hashes and digests the same tokens the same way', () => {
    expect(metaspace.convention).toBe('metaspace');
    expect(tiktoken.convention).toBe('bytes');
    expect(metaspace.vocabDigest).toBe(byteLevel.vocabDigest);
    expect(tiktoken.vocabDigest).toBe(byteLevel.vocabDigest);
    expect(tiktoken.tokens.hashes).toBe(byteLevel.tokens.hashes);
    const ev = compareTokenizers(byteLevel, metaspace);
    expect(ev.jaccard!.estimate).toBe(1);
    expect(ev.sameId!.estimate).toBe(1);
  });

  it('keeps end-of-word (CLIP) vocabularies apart from prefix-space ones', () => {
    const clip = tokenizerSignature({
      'vocab.json': vocabJson([...'abcdefghijklmnop', ...[...'abcdefghijklmnop'].map((c) => `${c}</w>`), 'ab</w>']),
    })!;
    expect(clip.convention).toBe('end-of-word');
    const ev = compareTokenizers(clip, byteLevel);
    expect(ev.comparable).toBe(false);
    expect(ev.detail).toMatch(/conventions differ/);
  });
});

describe('tiktoken', () => {
  it('derives merges from ranks by running BPE on lower ranks', () => {
    const toks = ['a', 'b', 'c', 'ab', 'abc', 'bc', 'abcabc'];
    const sig = tokenizerSignature({
      tiktoken: toks.map((t, i) => `${Buffer.from(t).toString('base64')} ${i}`).join('\n'),
    })!;
    expect(sig.type).toBe('tiktoken');
    // ab (a+b), abc (ab+c), bc (b+c), abcabc (abc+abc) — four merges.
    expect(sig.ranks).toMatchObject({ source: 'derived-from-ranks', count: 4 });
  });

  it('accepts a tokenizer.model that is a tiktoken file, as text or bytes', () => {
    const file = ['a', 'b', 'ab'].map((t, i) => `${Buffer.from(t).toString('base64')} ${i}`).join('\n');
    const fromText = tokenizerSignature({ 'tokenizer.model': file })!;
    const fromBytes = tokenizerSignature({ 'tokenizer.model': new Uint8Array(Buffer.from(file)) })!;
    expect(fromText.type).toBe('tiktoken');
    expect(fromBytes.vocabDigest).toBe(fromText.vocabDigest);
  });
});

describe('SentencePiece', () => {
  const pieces = [
    { piece: '<unk>', score: 0, type: 2 },
    { piece: '<s>', score: 0, type: 3 },
    { piece: '</s>', score: 0, type: 3 },
    { piece: '<0x20>', score: 0, type: 6 },
    { piece: '<0x61>', score: 0, type: 6 },
    { piece: '\u2581t', score: -1 },
    { piece: 'he', score: -2 },
    { piece: '\u2581the', score: -3 },
    { piece: 'a', score: -4 },
    { piece: 'h', score: -5 },
    { piece: 'e', score: -6 },
    { piece: 't', score: -7 },
    { piece: '\u2581', score: -8 },
  ];

  it('parses the ModelProto: control pieces are special, byte pieces are bytes, duplicates kept once', () => {
    const sig = tokenizerSignature({ 'tokenizer.model': sentencePieceModel(pieces) })!;
    expect(sig.type).toBe('sentencepiece-bpe');
    expect(sig.vocabSize).toBe(13);
    expect(sig.special.tokens.map((t) => t.content)).toEqual(['<unk>', '<s>', '</s>']);
    // <0x20> = '▁' and <0x61> = 'a': 10 regular pieces, 8 distinct byte strings.
    expect(sig.tokenCount).toBe(8);
    // ▁t (▁+t), he (h+e), ▁the (▁t+he).
    expect(sig.ranks).toMatchObject({ source: 'derived-from-scores', count: 3 });
  });

  it('reads a unigram model as piece-score ranks', () => {
    const sig = tokenizerSignature({ 'tokenizer.model': sentencePieceModel(pieces, 1) })!;
    expect(sig.type).toBe('sentencepiece-unigram');
    expect(sig.ranks?.kind).toBe('piece-score');
  });

  it('rejects a truncated model with an InputError naming the file', () => {
    const bad = sentencePieceModel(pieces).subarray(0, 40);
    expect(() => tokenizerSignature({ 'tokenizer.model': bad }, 'models/x')).toThrowError(
      /^models\/x\/tokenizer\.model: not a SentencePiece model/,
    );
  });
});

describe('other tokenizer.json models', () => {
  it('reads Unigram vocab arrays', () => {
    const sig = tokenizerSignature({
      'tokenizer.json': JSON.stringify({
        model: {
          type: 'Unigram',
          unk_id: 0,
          vocab: [
            ['<unk>', 0],
            ['\u2581the', -2.5],
            ['s', -3],
            ['<0x41>', -9],
          ],
        },
      }),
    })!;
    expect(sig.type).toBe('unigram');
    expect(sig.tokenCount).toBe(3);
    expect(sig.special.tokens[0]!.content).toBe('<unk>');
    expect(sig.ranks).toMatchObject({ kind: 'piece-score', count: 3 });
  });

  it('reads WordPiece vocabularies with [CLS]-style specials', () => {
    const sig = tokenizerSignature({
      'tokenizer.json': JSON.stringify({
        model: {
          type: 'WordPiece',
          continuing_subword_prefix: '##',
          vocab: { '[PAD]': 0, '[CLS]': 1, the: 2, '##s': 3, s: 4 },
        },
        added_tokens: [{ id: 0, content: '[PAD]', special: true }],
      }),
    })!;
    expect(sig.type).toBe('wordpiece');
    expect(sig.tokenCount).toBe(3);
    expect(sig.special.count).toBe(2);
  });
});

describe('piece lists (llama2.c)', () => {
  it('reads JSON arrays, .vocab TSV with scores, and one piece per line', () => {
    const list = ['<unk>', '\n<s>\n', '\n</s>\n', '<0x41>', ' t', 'he', 'A'];
    const json = tokenizerSignature({ pieces: JSON.stringify(list) })!;
    const lines = tokenizerSignature({
      pieces: list
        .slice(3)
        .map((p) => p.replace(/ /g, '\u2581'))
        .join('\n'),
    })!;
    const tsv = tokenizerSignature({ pieces: ['<unk>\t0', '▁t\t-1', 'he\t-2'].join('\n') })!;
    expect(json.special.count).toBe(3);
    expect(json.tokenCount).toBe(3); // <0x41> and A are one byte string
    expect(lines.tokenCount).toBe(3);
    expect(tsv.tokenCount).toBe(2);
    expect(tsv.notes[0]).toMatch(/with scores/);
  });
});

describe('inputs', () => {
  it('returns undefined when no vocabulary file is given', () => {
    expect(tokenizerSignature({ 'tokenizer_config.json': '{}' })).toBeUndefined();
    expect(tokenizerSignature({})).toBeUndefined();
  });

  it('throws one-line InputErrors naming the file', () => {
    const cases: [Parameters<typeof tokenizerSignature>[0], RegExp][] = [
      [{ 'tokenizer.json': '{"model": ' }, /^m\/tokenizer\.json: invalid JSON/],
      [{ 'vocab.json': '[1,2]' }, /^m\/vocab\.json: expected a JSON object/],
      [{ 'vocab.json': '{"a": 0}', 'merges.txt': 'a b c\n' }, /^m\/merges\.txt: line 1/],
      [{ tiktoken: 'YQ== 0\nnot base64!! x\n' }, /^m\/tiktoken: line 2/],
      [{ 'tokenizer.model': 'plain text, not ranks' }, /^m\/tokenizer\.model: not a tiktoken rank file/],
      [{ 'vocab.json': '{"a": 0}', 'tokenizer_config.json': '{' }, /^m\/tokenizer_config\.json: invalid JSON/],
    ];
    for (const [files, re] of cases) {
      let err: unknown;
      try {
        tokenizerSignature(files, 'm');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('is JSON-serialisable and round-trips', () => {
    const sig = gpt2Style();
    expect(JSON.parse(JSON.stringify(sig))).toEqual(sig);
    expect(sig.tokens.k).toBe(SKETCH_K);
  });
});
