/** Model card front matter. */
import { describe, expect, it } from 'vitest';
import { MAX_FRONT_MATTER_CHARS, readModelCard } from '../../src/fingerprint/card.js';
import { InputError } from '../../src/errors.js';

describe('readModelCard', () => {
  it('reads a string base_model and the other declared fields', () => {
    const card = readModelCard(
      [
        '---',
        'base_model: Qwen/Qwen2.5-7B',
        'base_model_relation: finetune',
        'license: other',
        'license_name: qwen',
        'library_name: transformers',
        'tags:',
        '  - chat',
        '  - qwen',
        '---',
        '# Model',
        'text',
      ].join('\n'),
      'README.md',
    );
    expect(card).toEqual({
      baseModel: ['Qwen/Qwen2.5-7B'],
      baseModelRelation: 'finetune',
      license: 'other',
      licenseName: 'qwen',
      libraryName: 'transformers',
      tags: ['chat', 'qwen'],
      hasFrontMatter: true,
    });
  });

  it('reads a list base_model (merges) and a string tag', () => {
    const card = readModelCard(
      [
        '---',
        'base_model:',
        '- meta-llama/Llama-3.1-8B',
        '- NousResearch/Hermes-3-Llama-3.1-8B',
        'base_model_relation: merge',
        'tags: merge',
        '---',
        '',
      ].join('\n'),
      'r',
    );
    expect(card.baseModel).toEqual(['meta-llama/Llama-3.1-8B', 'NousResearch/Hermes-3-Llama-3.1-8B']);
    expect(card.baseModelRelation).toBe('merge');
    expect(card.tags).toEqual(['merge']);
  });

  it('accepts CRLF line endings, a BOM and an inline list', () => {
    const card = readModelCard('\uFEFF---\r\nbase_model: [a/b, c]\r\nlicense: mit\r\n---\r\nbody', 'r');
    expect(card.baseModel).toEqual(['a/b', 'c']);
    expect(card.license).toBe('mit');
  });

  it('returns an empty card for a README without front matter', () => {
    expect(readModelCard('# Just a README\n\n---\nnot front matter\n---\n', 'r')).toEqual({
      baseModel: [],
      tags: [],
      hasFrontMatter: false,
    });
    expect(readModelCard('', 'r')).toEqual({ baseModel: [], tags: [], hasFrontMatter: false });
    expect(readModelCard('---\n---\n', 'r')).toEqual({ baseModel: [], tags: [], hasFrontMatter: true });
  });

  it('ignores non-string entries', () => {
    const card = readModelCard(
      '---\nbase_model: [a/b, 3, {x: 1}, a/b]\ntags: [1, ok]\nlicense: [apache-2.0]\n---\n',
      'r',
    );
    expect(card.baseModel).toEqual(['a/b']);
    expect(card.tags).toEqual(['ok']);
    expect(card.license).toBe('apache-2.0');
  });

  it('throws one-line InputErrors naming the file for malformed YAML', () => {
    const bad = [
      '---\nbase_model: [a/b\nlicense: mit\n---\n',
      '---\nkey: "unterminated\n---\n',
      '---\n- a\n- b\n---\n',
      '---\nbase_model: x\n',
    ];
    for (const t of bad) {
      let err: unknown;
      try {
        readModelCard(t, 'models/m/README.md');
      } catch (e) {
        err = e;
      }
      expect(err, t).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/^models\/m\/README\.md: /);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('refuses front matter past its cap before parsing it, and deep nesting within it, in one line', () => {
    // 60 MiB of list items ran the YAML parser out of memory (the process aborted after minutes)
    const items = (n: number) => `---\ntags:\n${'- a\n'.repeat(n)}---\n# Model\n`;
    const over = Math.ceil(MAX_FRONT_MATTER_CHARS / 4);
    expect(() => readModelCard(items(over), 'm/README.md')).toThrow(
      new InputError(
        'm/README.md',
        `front matter is ${6 + 4 * over} characters, more than the 262144 a model card's may have`,
      ),
    );
    // within the cap a long list still reads (a long model-index is tens of KB)
    expect(readModelCard(items(over - 2), 'm/README.md').tags).toEqual(['a']);
    const deep = `---\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n---\n`;
    expect(deep.length).toBeLessThan(MAX_FRONT_MATTER_CHARS);
    let err: unknown;
    try {
      readModelCard(deep, 'm/README.md');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^m\/README\.md: malformed YAML front matter: [^\n]+$/);
  });
});
