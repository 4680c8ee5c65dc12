/**
 * Tokenizer signatures of the real files in ../shared/knownmodels/tokenizers and
 * ../shared/realmodels/llama2c/tokenizers. Expected counts and Jaccard values are the exact ones
 * in knownmodels/MANIFEST.md §3–4 (computed there over the full sets with Python).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { tokenizerSignature, type TokenizerFiles, type TokenizerSignature } from '../../src/fingerprint/tokenizer.js';
import { compareTokenizers, tokenizerFamilyMatch, type TokenizerFamily } from '../../src/compare/tokenizer.js';
import { HAVE_KNOWN, HAVE_LLAMA2C, KNOWN, LLAMA2C_TOKENIZERS, SKIP_MESSAGE, bytes, text } from './signature-helpers.js';

const T = path.join(KNOWN, 'tokenizers');
const t = (f: string) => text(T, f);
const b = (f: string) => bytes(T, f);

/** name → files, expected regular-token count (MANIFEST §4), family. */
const CASES: Record<string, { files: () => TokenizerFiles; tokens?: number; family: string }> = {
  gpt2: {
    files: () => ({ 'vocab.json': t('gpt2/vocab.json'), 'merges.txt': t('gpt2/merges.txt') }),
    tokens: 50256,
    family: 'gpt2',
  },
  'gpt2.tiktoken': { files: () => ({ tiktoken: t('gpt2/gpt2.tiktoken') }), tokens: 50256, family: 'gpt2' },
  'gpt2.openai': {
    files: () => ({ 'vocab.json': t('gpt2/openai_encoder.json'), 'merges.txt': t('gpt2/openai_vocab.bpe') }),
    tokens: 50256,
    family: 'gpt2',
  },
  p50k: { files: () => ({ tiktoken: t('openai_tiktoken/p50k_base.tiktoken') }), tokens: 50280, family: 'gpt2' },
  cl100k: {
    files: () => ({ tiktoken: t('openai_tiktoken/cl100k_base.tiktoken') }),
    tokens: 100256,
    family: 'cl100k_base',
  },
  o200k: {
    files: () => ({ tiktoken: t('openai_tiktoken/o200k_base.tiktoken') }),
    tokens: 199998,
    family: 'o200k_base',
  },
  whisper: { files: () => ({ tiktoken: t('whisper/multilingual.tiktoken') }), tokens: 50257, family: 'whisper' },
  llama3: { files: () => ({ 'tokenizer.model': b('llama3/tokenizer.model') }), tokens: 128000, family: 'llama3' },
  llama4: { files: () => ({ 'tokenizer.model': b('llama4/tokenizer.model') }), tokens: 200000, family: 'llama4' },
  qwen1: { files: () => ({ tiktoken: t('qwen1/qwen.tiktoken') }), tokens: 151643, family: 'qwen' },
  'qwen2.5': {
    files: () => ({
      'vocab.json': t('qwen2.5/vocab.json'),
      'merges.txt': t('qwen2.5/merges.txt'),
      'tokenizer_config.json': t('qwen2.5/tokenizer_config.json'),
    }),
    tokens: 151643,
    family: 'qwen',
  },
  'qwen2.5-vl': {
    files: () => ({
      'vocab.json': t('qwen2.5-vl/vocab.json'),
      'tokenizer_config.json': t('qwen2.5-vl/tokenizer_config.json'),
    }),
    tokens: 151643,
    family: 'qwen',
  },
  'qwen2-vl': {
    files: () => ({ 'vocab.json': t('qwen2.5-vl/vocab.json'), 'merges.txt': t('qwen2-vl/merges.txt') }),
    tokens: 151643,
    family: 'qwen',
  },
  glm4: {
    files: () => ({
      'tokenizer.model': b('glm4/tokenizer.model'),
      'tokenizer_config.json': t('glm4/tokenizer_config.json'),
    }),
    tokens: 151329,
    family: 'glm4',
  },
  chatglm3: { files: () => ({ 'tokenizer.model': b('chatglm3/tokenizer.model') }), tokens: 64664, family: 'chatglm3' },
  llama2: { files: () => ({ 'tokenizer.model': b('llama2/tokenizer.model') }), tokens: 31901, family: 'llama2' },
  'mistral-v1': {
    files: () => ({ 'tokenizer.model': b('mistral/tokenizer.model.v1') }),
    tokens: 31872,
    family: 'mistral',
  },
  'mistral-v2': {
    files: () => ({ 'tokenizer.model': b('mistral/mistral_instruct_tokenizer_240216.model.v2') }),
    family: 'mistral',
  },
  'mistral-v3': {
    files: () => ({ 'tokenizer.model': b('mistral/mistral_instruct_tokenizer_240323.model.v3') }),
    tokens: 31892,
    family: 'mistral',
  },
  'mistral-v7': {
    files: () => ({ 'tokenizer.model': b('mistral/mistral_instruct_tokenizer_241114.model.v7') }),
    family: 'mistral',
  },
  clip: { files: () => ({ 'vocab.json': t('clip/vocab.json'), 'merges.txt': t('clip/merges.txt') }), family: 'clip' },
};

const S: Record<string, TokenizerSignature> = {};

/** |estimate − exact| within 3 standard errors (plus rounding of the published table). */
function expectJaccard(a: string, bName: string, exact: number) {
  const ev = compareTokenizers(S[a]!, S[bName]!);
  expect(Math.abs(ev.jaccard!.estimate - exact), `${a} vs ${bName}: ${ev.detail}`).toBeLessThanOrEqual(
    3 * ev.jaccard!.se + 0.001,
  );
  return ev;
}

describe.skipIf(!HAVE_KNOWN)(`knownmodels tokenizers${HAVE_KNOWN ? '' : ` — ${SKIP_MESSAGE}`}`, () => {
  beforeAll(() => {
    for (const [name, c] of Object.entries(CASES)) S[name] = tokenizerSignature(c.files(), `knownmodels/${name}`)!;
  }, 180_000);

  it('parses every tokenizer, with the regular-token counts of MANIFEST §4', () => {
    for (const [name, c] of Object.entries(CASES)) {
      const sig = S[name]!;
      expect(sig, name).toBeDefined();
      if (c.tokens !== undefined) expect(sig.tokenCount, name).toBe(c.tokens);
      expect(sig.tokenCount, name).toBeGreaterThan(30_000);
      // Compact: the sketches dominate (2 × 1024 × 12 bytes, base64) plus ≤ 64 special tokens.
      expect(JSON.stringify(sig).length, name).toBeLessThan(40_000);
    }
    expect(S.llama2!.type).toBe('sentencepiece-bpe');
    expect(S.llama3!.type).toBe('tiktoken');
    expect(S.clip!.convention).toBe('end-of-word');
    expect(S['qwen2.5']!.special.count).toBe(22);
    expect(S.glm4!.special.tokens[0]).toEqual({ id: 151329, content: '<|endoftext|>', special: true });
  });

  it('gives the same digests for the same tokenizer in different file formats', () => {
    // GPT-2: HF vocab.json+merges.txt = tiktoken r50k = OpenAI encoder.json+vocab.bpe (MANIFEST §3).
    expect(S['gpt2.tiktoken']!.vocabDigest).toBe(S.gpt2!.vocabDigest);
    expect(S['gpt2.openai']!.vocabDigest).toBe(S.gpt2!.vocabDigest);
    expect(S['gpt2.openai']!.ranks!.digest).toBe(S.gpt2!.ranks!.digest);
    // Merges rebuilt from tiktoken ranks equal the published merges.txt.
    expect(S['gpt2.tiktoken']!.ranks!.digest).toBe(S.gpt2!.ranks!.digest);
    // Qwen1 tiktoken = Qwen2.5 vocab.json (same bytes, same ids); the #version header is ignored.
    expect(S.qwen1!.vocabDigest).toBe(S['qwen2.5']!.vocabDigest);
    expect(S['qwen2-vl']!.ranks!.digest).toBe(S['qwen2.5']!.ranks!.digest);
    expect(S.qwen1!.ranks!.digest).toBe(S['qwen2.5']!.ranks!.digest);
  });

  it('qwen2.5 vs qwen2.5-vl: identical tokenizer', () => {
    const ev = compareTokenizers(S['qwen2.5']!, S['qwen2.5-vl']!);
    expect(ev.identical).toBe(true);
    expect(ev.sameAddedTokens).toBe(true);
    expect(ev.jaccard!.estimate).toBe(1);
    expect(ev.sameId!.estimate).toBe(1);
    expect(ev.mergeRank!.spearman).toBe(1);
  });

  it('llama2 vs mistral v1: two 32000-piece SentencePiece models that are different vocabularies', () => {
    // MANIFEST §4: Jaccard 0.6069. The data also shows ids do not line up (≈1 % same id) and
    // merge order agrees only loosely — what independently trained tokenizers look like.
    const ev = expectJaccard('llama2', 'mistral-v1', 0.6069);
    expect(ev.identical).toBe(false);
    expect(ev.sameId!.estimate).toBeLessThan(0.05);
    expect(ev.mergeRank!.spearman).toBeGreaterThan(0.5);
    expect(ev.mergeRank!.spearman).toBeLessThan(0.9);
  });

  it('mistral v1 → v2/v3: the same pieces shifted by the 768 control tokens v2 inserted', () => {
    const ev = expectJaccard('mistral-v1', 'mistral-v3', 0.9994);
    expect(ev.sameId!.estimate).toBe(0);
    expect(ev.idOffset).toEqual({ offset: 768, share: 1 });
    expect(ev.mergeRank!.spearman).toBeGreaterThan(0.999);
    const v2v3 = compareTokenizers(S['mistral-v2']!, S['mistral-v3']!);
    expect(v2v3.sameId!.estimate).toBe(1);
  });

  it('qwen2.5 vs llama3: high overlap, explained by their shared cl100k_base ancestor', () => {
    const ancestors: TokenizerFamily[] = [{ id: 'tiktoken:cl100k_base', family: 'cl100k_base', signature: S.cl100k! }];
    const ev = compareTokenizers(S['qwen2.5']!, S.llama3!, { ancestors });
    expectJaccard('qwen2.5', 'llama3', 0.6442);
    expect(ev.identical).toBe(false);
    expect(ev.note).toMatch(/cl100k_base/);
    expect(ev.note).toMatch(/not evidence of weight reuse/);
    expect(ev.ancestry[0]!.containmentA).toBeGreaterThan(0.97);
    expect(ev.ancestry[0]!.containmentB).toBe(1);
    // Outside cl100k_base the two vocabularies have little in common.
    expect(ev.ancestry[0]!.beyondAncestor!.estimate).toBeLessThan(0.3);
    // Both keep cl100k's merge order, so merge ranks agree although the models are unrelated.
    expect(ev.mergeRank!.spearman).toBeGreaterThan(0.99);
  });

  it('gpt2 vs llama3: different tokenizers, and no cl100k note', () => {
    const ancestors: TokenizerFamily[] = [{ id: 'tiktoken:cl100k_base', family: 'cl100k_base', signature: S.cl100k! }];
    const ev = compareTokenizers(S.gpt2!, S.llama3!, { ancestors });
    expectJaccard('gpt2', 'llama3', 0.32);
    expect(ev.identical).toBe(false);
    expect(ev.jaccard!.estimate).toBeLessThan(0.4);
    expect(ev.sameId!.estimate).toBeLessThan(0.05);
    expect(ev.note).toBeUndefined();
  });

  it('matches the exact Jaccard table of MANIFEST §4 within 3 standard errors', () => {
    const table: [string, string, number][] = [
      ['gpt2', 'p50k', 0.9995],
      ['gpt2', 'cl100k', 0.4008],
      ['gpt2', 'whisper', 0.413],
      ['cl100k', 'o200k', 0.3951],
      ['cl100k', 'llama3', 0.7833],
      ['llama3', 'llama4', 0.4414],
      ['o200k', 'llama4', 0.5405],
      ['qwen1', 'glm4', 0.6845],
      ['glm4', 'llama3', 0.6685],
      ['llama2', 'chatglm3', 0.2693],
      ['gpt2', 'llama2', 0.2847],
    ];
    for (const [x, y, j] of table) expectJaccard(x, y, j);
  });

  it('detects ids shuffled in a real vocabulary', () => {
    const vocab = JSON.parse(t('gpt2/vocab.json')) as Record<string, number>;
    const ids = Object.values(vocab);
    // Rotate ids by a prime stride: a permutation that moves every id.
    const shuffled = Object.fromEntries(Object.keys(vocab).map((k, i) => [k, ids[(i * 7919 + 13) % ids.length]!]));
    const sig = tokenizerSignature({ 'vocab.json': JSON.stringify(shuffled), 'merges.txt': t('gpt2/merges.txt') })!;
    const ev = compareTokenizers(S.gpt2!, sig);
    expect(ev.jaccard!.estimate).toBeGreaterThan(0.99);
    expect(ev.sameId!.estimate).toBeLessThan(0.01);
    expect(ev.identical).toBe(false);
  });

  it('ranks families: Llama 3 is itself first, then the cl100k_base it extends', () => {
    const families: TokenizerFamily[] = ['gpt2', 'cl100k', 'o200k', 'llama3', 'qwen1', 'llama2', 'glm4'].map((n) => ({
      id: n,
      family: CASES[n]!.family,
      signature: S[n]!,
    }));
    const ranked = tokenizerFamilyMatch(S.llama3!, families);
    expect(ranked[0]).toMatchObject({ id: 'llama3', relation: 'identical' });
    expect(ranked[1]).toMatchObject({ id: 'cl100k', relation: 'extends' });
    expect(ranked[1]!.familyContained).toBe(1);
    expect(ranked[1]!.sameIdShare).toBe(1);
    const qwen = tokenizerFamilyMatch(S['qwen2.5-vl']!, families);
    expect(qwen[0]).toMatchObject({ id: 'qwen1', relation: 'identical' });
  });
});

describe.skipIf(!HAVE_LLAMA2C)(`llama2.c piece lists${HAVE_LLAMA2C ? '' : ` — ${SKIP_MESSAGE}`}`, () => {
  const p = (f: string) => tokenizerSignature({ pieces: text(LLAMA2C_TOKENIZERS, f) }, f)!;

  it('parses the three piece lists with their control tokens', () => {
    const tok105 = p('EN10_tok105.vocab');
    const tok361 = p('EN10_tok361_pieces_inferred.json');
    const tok512 = p('tok512_pieces.json');
    expect([tok105.vocabSize, tok361.vocabSize, tok512.vocabSize]).toEqual([105, 361, 512]);
    for (const s of [tok105, tok361, tok512]) expect(s.special.count).toBe(3);
    expect(tok512.ranks!.count).toBeGreaterThan(100);
  });

  it('tells the two EN10 vocabularies apart, and sees their shared character order', () => {
    const ev = compareTokenizers(p('EN10_tok105.vocab'), p('EN10_tok361_pieces_inferred.json'));
    expect(ev.identical).toBe(false);
    expect(ev.jaccard!.exact).toBe(true);
    expect(ev.jaccard!.estimate).toBeLessThan(0.5);
    // tok361 puts 256 byte pieces before the same characters.
    expect(ev.idOffset).toEqual({ offset: 256, share: 1 });
  });
});
