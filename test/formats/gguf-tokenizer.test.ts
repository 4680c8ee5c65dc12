/**
 * Tokenizer signatures from GGUF metadata (`tokenizer.ggml.*`): llama.cpp's real stories260K
 * conversion (SentencePiece) against llama2.c's export of the same tokenizer, and GPT-2's real BPE
 * vocabulary and merges written as llama.cpp's converter stores them (a 1.7 MB header in a small
 * file) against vocab.json + merges.txt. Equal vocabularies give equal signatures, changed ones not.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareTokenizers } from '../../src/compare/tokenizer.js';
import { openModel } from '../../src/formats/model.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { tokenizerSignature } from '../../src/fingerprint/tokenizer.js';
import { encodeGguf, type GgufMetaValue } from '../../src/synth/gguf-writer.js';
import { HAVE_KNOWN, KNOWN, SHARED, text } from '../fingerprint/signature-helpers.js';
import { makeTempDir, writeBytes } from './helpers.js';

const STORIES_GGUF = join(SHARED, 'realmodels/formats/stories260K.gguf');
const HAVE_STORIES = existsSync(STORIES_GGUF) && existsSync(join(SHARED, 'realmodels/llama2c/tokenizers'));
if (!HAVE_STORIES || !HAVE_KNOWN) console.warn(`../shared not found at ${SHARED}: GGUF tokenizer tests skipped`);

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(async () => tmp.cleanup());

describe.skipIf(!HAVE_STORIES)('SentencePiece: stories260K.gguf against its tokenizer', () => {
  it('the vocabulary and merge order of tok512 (llama2.c’s export of the same tokenizer)', async () => {
    // the safetensors original ships no tokenizer; llama2.c exports its 512-piece vocabulary as a list
    const g = (await loadFingerprint(STORIES_GGUF)).tokenizer!;
    const pieces = tokenizerSignature({ pieces: text(SHARED, 'realmodels/llama2c/tokenizers/tok512_pieces.json') })!;
    expect(g.format).toBe('sentencepiece');
    expect(g.vocabSize).toBe(512);
    expect(g.vocabDigest).toBe(pieces.vocabDigest);
    // GGUF scores give SentencePiece's merge order, the export's list order gives the same
    expect(g.ranks?.digest).toBe(pieces.ranks?.digest);
    expect(g.special.tokens.map((t) => t.content)).toEqual(['<unk>', '<s>', '</s>']);
    expect(compareTokenizers(pieces, g).identical).toBe(true);
    // a different llama2.c tokenizer is not the same vocabulary
    const other = tokenizerSignature({
      pieces: text(SHARED, 'realmodels/llama2c/tokenizers/EN10_tok361_pieces_inferred.json'),
    })!;
    expect(compareTokenizers(other, g).identical).toBe(false);
  });
});

describe.skipIf(!HAVE_KNOWN)('BPE: GPT-2 vocabulary and merges as llama.cpp stores them', () => {
  const gpt2Metadata = (edit?: (tokens: string[]) => void): Array<[string, GgufMetaValue]> => {
    const vocab = JSON.parse(text(KNOWN, 'tokenizers/gpt2/vocab.json')) as Record<string, number>;
    const tokens: string[] = [];
    for (const [tok, id] of Object.entries(vocab)) tokens[id] = tok;
    edit?.(tokens);
    const merges = text(KNOWN, 'tokenizers/gpt2/merges.txt')
      .split('\n')
      .filter((l) => l && !l.startsWith('#version'));
    // llama.cpp: token type 1 normal, 3 control (<|endoftext|>)
    const types = tokens.map((t) => (t === '<|endoftext|>' ? 3 : 1));
    return [
      ['general.architecture', { type: 'string', value: 'gpt2' }],
      ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
      ['tokenizer.ggml.tokens', { type: 'array', of: 'string', value: tokens }],
      ['tokenizer.ggml.token_type', { type: 'array', of: 'int32', value: types }],
      ['tokenizer.ggml.merges', { type: 'array', of: 'string', value: merges }],
    ];
  };
  const ggufSignature = async (name: string, metadata: Array<[string, GgufMetaValue]>) => {
    const w = new Float32Array(64 * 4).fill(0.5);
    const bytes = encodeGguf(metadata, [
      { name: 'token_embd.weight', ne: [64, 4], type: 'F32', data: new Uint8Array(w.buffer) },
    ]);
    const m = await openModel(await writeBytes(tmp.dir, name, bytes));
    try {
      return (await fingerprintModel(m, { mode: 'full' })).tokenizer!;
    } finally {
      await m.close();
    }
  };

  it('the same vocabulary digest and merge ranks as vocab.json + merges.txt', async () => {
    const hf = tokenizerSignature({
      'vocab.json': text(KNOWN, 'tokenizers/gpt2/vocab.json'),
      'merges.txt': text(KNOWN, 'tokenizers/gpt2/merges.txt'),
    })!;
    const g = await ggufSignature('gpt2.gguf', gpt2Metadata());
    expect(g.type).toBe(hf.type);
    expect(g.tokenCount).toBe(50256);
    expect(g.vocabDigest).toBe(hf.vocabDigest);
    expect(g.ranks).toEqual(hf.ranks);
    expect(compareTokenizers(hf, g).identical).toBe(true);
    // one token renamed: no longer the same vocabulary
    const changed = await ggufSignature(
      'gpt2-changed.gguf',
      gpt2Metadata((t) => {
        t[1000] = 'weightprint-test-token';
      }),
    );
    expect(changed.vocabDigest).not.toBe(hf.vocabDigest);
    expect(compareTokenizers(hf, changed).identical).toBe(false);
  });
});
