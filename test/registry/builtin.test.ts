/**
 * The shipped registry: every entry intact, no generated entry passed off as a real model (that
 * the entries match what our code computes from ../shared/knownmodels: builtin-reproducible.test.ts),
 * and a release reusing the Qwen2.5 or Llama 3 tokenizer is named though no weights of those
 * families are registered.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { builtinRegistryDir, openRegistry } from '../../src/registry/index.js';
import { makeBase, textSpec } from '../../src/synth/model.js';
import { bytesToUnicode } from '../../src/synth/tokenizer.js';
import { writeModelDir } from '../../src/synth/write.js';
import { tempDir } from './fixtures.js';

const KNOWN = resolve(import.meta.dirname, '../../../shared/knownmodels');
const known = existsSync(KNOWN);
const skipNote = known ? '' : ` (skipped: ${KNOWN} is absent)`;

describe('built-in registry', () => {
  it('is found next to the sources and every entry passes its SHA-256 check', async () => {
    const dir = builtinRegistryDir();
    expect(dir).toBeDefined();
    const reg = await openRegistry(dir!);
    expect(reg.warnings).toEqual([]);
    const report = await reg.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok.length).toBeGreaterThanOrEqual(40);
  });

  it('ships no generated entry as a real model', async () => {
    const reg = await openRegistry(builtinRegistryDir()!);
    for (const e of reg.entries) {
      if (e.demo) continue;
      if (e.kind === 'weights') expect(e.source, e.id).toMatch(/^hf:[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      else expect(e.source, e.id).toMatch(/^knownmodels\//);
    }
    const ids = reg.entries.map((e) => e.id);
    for (const id of [
      'tokenizer/qwen2.5',
      'tokenizer/qwen2.5-vl',
      'tokenizer/llama3',
      'tokenizer/cl100k_base',
      'config/Qwen2.5-VL-3B-Instruct',
      'config/Llama-3.1-8B',
      'config/DeepSeek-V3',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe.skipIf(!known)(`a release reusing a known tokenizer is named${skipNote}`, () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir('tokreuse');
  });
  afterAll(async () => {
    await tmp?.cleanup();
  });

  /** A generated model whose tokenizer files are replaced by `files` (and config by `config`). */
  async function modelWith(name: string, files: Record<string, string>, config?: string): Promise<string> {
    const dir = await writeModelDir(makeBase({ text: textSpec() }, 31, { id: `synth/${name}` }), join(tmp.dir, name));
    await rm(join(dir, 'tokenizer.json'));
    for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
    if (config !== undefined) await writeFile(join(dir, 'config.json'), config);
    return dir;
  }

  it('Qwen2.5 vocab.json + merges.txt: tokenizer/qwen2.5 identical, config as Qwen2.5-7B-Instruct (T4-1)', async () => {
    const q = (f: string) => readFile(join(KNOWN, 'tokenizers/qwen2.5', f), 'utf8');
    const dir = await modelWith(
      'qwen-tok',
      {
        'vocab.json': await q('vocab.json'),
        'merges.txt': await q('merges.txt'),
        'tokenizer_config.json': await q('tokenizer_config.json'),
      },
      await readFile(join(KNOWN, 'configs/qwen2.5/Qwen2.5-7B-Instruct.config.json'), 'utf8'),
    );
    const policy = join(tmp.dir, 'grades.yml');
    await writeFile(policy, 'grades: t-class-2.0\n');
    const [r] = await runCheck({ models: [dir], policy });
    const tok = r!.matches.find((m) => m.entry === 'tokenizer/qwen2.5');
    expect(tok, r!.matches.map((m) => m.entry).join(', ')).toBeDefined();
    expect((tok!.tokenizer as { identical: boolean }).identical).toBe(true);
    expect(r!.matches.findIndex((m) => m.entry === 'tokenizer/qwen2.5')).toBeLessThan(
      r!.matches.findIndex((m) => m.entry === 'tokenizer/qwen2.5-vl'),
    );
    expect(r!.policy.reasons).toContain(
      'warn (tokenizer-reuse): tokenizer is identical to tokenizer/qwen2.5 (qwen2.5)',
    );
    expect(r!.policy.result).toBe('warn');
    expect(r!.policy.grades!['text decoder']).toMatch(
      /^T4-1 — own weights, borrowed architecture \(same config\): config\/Qwen2\.5-7B-Instruct$/,
    );
  }, 120_000);

  it('Llama 3 tokenizer.model (tiktoken ranks) next to the weights: tokenizer/llama3, not cl100k_base', async () => {
    const dir = await modelWith('llama3-model', {});
    await writeFile(join(dir, 'tokenizer.model'), await readFile(join(KNOWN, 'tokenizers/llama3/tokenizer.model')));
    const [r] = await runCheck({ models: [dir] });
    expect(r!.matches.find((m) => m.entry.startsWith('tokenizer/'))?.entry).toBe('tokenizer/llama3');
    expect(r!.policy.reasons.find((x) => x.includes('tokenizer-reuse'))).toBe(
      'warn (tokenizer-reuse): tokenizer is identical to tokenizer/llama3 (llama3)',
    );
  }, 120_000);

  it('the Llama 3 vocabulary as a byte-level vocab.json: tokenizer/llama3, not cl100k_base', async () => {
    // Llama 3 ships tokenizer.json; rebuild its byte-level vocabulary from the tiktoken ranks
    const alphabet = bytesToUnicode();
    const vocab: Record<string, number> = {};
    for (const line of (await readFile(join(KNOWN, 'tokenizers/llama3/tokenizer.model'), 'utf8')).split('\n')) {
      const [b64, rank] = line.split(' ');
      if (!b64 || rank === undefined) continue;
      vocab[[...Buffer.from(b64, 'base64')].map((b) => alphabet[b]).join('')] = Number(rank);
    }
    const dir = await modelWith('llama3-tok', { 'vocab.json': JSON.stringify(vocab) });
    const [r] = await runCheck({ models: [dir] });
    const first = r!.matches.find((m) => m.entry.startsWith('tokenizer/'));
    expect(first?.entry).toBe('tokenizer/llama3');
    expect(r!.policy.reasons.find((x) => x.includes('tokenizer-reuse'))).toMatch(/tokenizer\/llama3 \(llama3\)/);
    // cl100k_base is a base vocabulary (ancestor): named in the evidence, never as the reused tokenizer
    expect(r!.policy.reasons.join('\n')).not.toMatch(/cl100k/);
  }, 120_000);
});
