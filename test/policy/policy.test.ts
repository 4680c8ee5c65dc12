/** Policy files: validation (one line naming file and key), findings, allow rules, exit codes, grades. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  DEFAULT_POLICY,
  evaluatePolicy,
  gradeComponents,
  loadPolicy,
  parsePolicy,
  T_CLASS_2,
  type ComponentEvidence,
} from '../../src/policy/index.js';

const EXAMPLE = resolve(import.meta.dirname, '../../.github/weightprint.example.yml');

function bad(text: string, ...fragments: RegExp[]) {
  let err: unknown;
  try {
    parsePolicy(text, '.github/weightprint.yml');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  expect(msg.startsWith('.github/weightprint.yml: ')).toBe(true);
  expect(msg).not.toMatch(/[\r\n]/);
  for (const f of fragments) expect(msg).toMatch(f);
}

function ev(over: Partial<ComponentEvidence>): ComponentEvidence {
  return {
    component: 'text decoder',
    kind: 'text',
    verdict: 'none',
    expanded: false,
    merged: false,
    config: 'different',
    tokenizer: 'unrelated',
    declared: false,
    ...over,
  };
}

const derivedText = ev({
  verdict: 'derived',
  entry: 'hf:Qwen/Qwen2.5-7B@main',
  family: 'qwen2.5',
  license: 'Apache-2.0',
  median_r: 0.93,
  exact_share: 0,
  score: 40,
  confidence: 0.999999,
});
const derivedVision = ev({
  component: 'vision encoder',
  kind: 'vision',
  verdict: 'derived',
  entry: 'hf:Qwen/Qwen2.5-VL-7B-Instruct@main',
  family: 'qwen2.5-vl',
  license: 'Apache-2.0',
  median_r: 0.97,
  confidence: 0.999999,
  tokenizer: 'unknown',
});

describe('parsing and validation', () => {
  it('the shipped example parses, with the T-Class 2.0 rules it spells out', async () => {
    const p = await loadPolicy(EXAMPLE);
    expect(p.failOn).toEqual(['derived-undeclared', 'identical-undeclared']);
    expect(p.allow).toEqual([{ component: 'vision', licenses: ['Apache-2.0', 'MIT'], requireDeclared: true }]);
    expect(p.exitCodes).toEqual({ pass: 0, warn: 0, fail: 1 });
    expect(p.grades?.name).toBe('T-Class 2.0');
    expect(p.grades?.rules).toEqual(T_CLASS_2.rules);
  });

  it('accepts the App manifest keys models: and mode: (the same file is the policy)', () => {
    expect(parsePolicy('models: [hf:a/b]\nmode: full\n', 'p.yml')).toEqual({ ...DEFAULT_POLICY, source: 'p.yml' });
  });

  it('an empty file is the default policy; a preset can be named', () => {
    expect(parsePolicy('', 'p.yml')).toEqual({ ...DEFAULT_POLICY, source: 'p.yml' });
    expect(parsePolicy('grades: t-class-2.0', 'p.yml').grades).toBe(T_CLASS_2);
    expect(parsePolicy('grades: { preset: T-Class-2.0 }', 'p.yml').grades).toBe(T_CLASS_2);
  });

  it('every mistake is one line naming the file and the key', () => {
    bad('fail_on: [derived]', /fail_on: unknown key/);
    bad('mode: sample', /mode: must be one of auto, sketch, full/);
    bad('fail-on: [derived-undecl]', /fail-on\[0\]: unknown category "derived-undecl"/);
    bad('min-confidence: 2', /min-confidence: must be a number from 0 to 1/);
    bad('allow: [{ component: vision, license: MIT }]', /allow\[0\]\.license: unknown key/);
    bad('allow: [{ require-declared: yes please }]', /allow\[0\]\.require-declared: must be true or false/);
    bad('exit-codes: { fail: 2 }', /exit-codes\.fail: .*other than 2/);
    bad('exit-codes: { bad-input: 3 }', /exit-codes\.bad-input: bad input always exits 2/);
    bad('grades: { preset: k-class }', /grades\.preset: unknown preset "k-class"/);
    bad(
      'grades: { name: X, rules: [{ grade: A, when: { colour: red } }] }',
      /grades\.rules\[0\]\.when\.colour: unknown field/,
    );
    bad('grades: { name: X, rules: [{ grade: A, when: { median_r: ">= high" } }] }', /median_r: >= needs a number/);
    bad('fail-on: [derived]\nfail-on: [identical]', /not valid YAML/);
    bad('- just a list', /must be a mapping/);
    bad('version: 2', /version: only version 1/);
  });

  it('a missing policy file is an InputError naming it', async () => {
    await expect(loadPolicy('/nonexistent/weightprint.yml')).rejects.toThrow(
      /^\/nonexistent\/weightprint.yml: no such file$/,
    );
  });
});

describe('findings and results', () => {
  it('undeclared derivation fails the default policy; declared derivation warns', () => {
    const fail = evaluatePolicy(DEFAULT_POLICY, { verdict: 'derived', components: [derivedText] });
    expect(fail.result).toBe('fail');
    const expected =
      'fail (derived-undeclared): text decoder is derived from hf:Qwen/Qwen2.5-7B@main (qwen2.5, Apache-2.0) ' +
      '— not declared in base_model';
    expect(fail.reasons[0]?.slice(0, expected.length)).toBe(expected);
    const warn = evaluatePolicy(DEFAULT_POLICY, {
      verdict: 'derived',
      components: [{ ...derivedText, declared: true }],
    });
    expect(warn.result).toBe('warn');
    expect(warn.reasons[0]).toMatch(/^warn \(derived-declared\)/);
  });

  it('plain categories match whether declared or not ("fail-on: [derived]")', () => {
    const p = parsePolicy('fail-on: [derived]\nwarn-on: []', 'p.yml');
    expect(evaluatePolicy(p, { verdict: 'derived', components: [{ ...derivedText, declared: true }] }).result).toBe(
      'fail',
    );
  });

  it('findings below min-confidence are information only', () => {
    const weak = { ...derivedText, confidence: 0.9 };
    const out = evaluatePolicy(DEFAULT_POLICY, { verdict: 'derived', components: [weak] });
    expect(out.result).toBe('pass');
    expect(out.reasons[0]).toMatch(/^info: .*below min-confidence 0.99/);
  });

  it('allowed reuse: a vision encoder from an Apache-2.0 entry, only if declared', async () => {
    const p = await loadPolicy(EXAMPLE);
    const undeclared = evaluatePolicy(p, { verdict: 'derived', components: [derivedVision] });
    expect(undeclared.result).toBe('fail');
    const declared = evaluatePolicy(p, { verdict: 'derived', components: [{ ...derivedVision, declared: true }] });
    expect(declared.result).toBe('pass');
    expect(declared.reasons[0]).toMatch(
      /^info \(allowed-reuse\): vision encoder .* allowed reuse, declared in base_model/,
    );
    // a text decoder is not covered by the vision rule
    expect(evaluatePolicy(p, { verdict: 'derived', components: [{ ...derivedText, declared: true }] }).result).toBe(
      'warn',
    );
    // a licence outside the list is not allowed
    const llama = { ...derivedVision, declared: true, license: 'Llama 3.2 Community License' };
    expect(evaluatePolicy(p, { verdict: 'derived', components: [llama] }).result).toBe('warn');
  });

  it('tokenizer reuse, declared-but-unsupported bases and inconclusive results', () => {
    const out = evaluatePolicy(DEFAULT_POLICY, {
      verdict: 'inconclusive',
      components: [],
      tokenizerMatch: { entry: 'tokenizer/qwen2.5', family: 'qwen2.5', relation: 'identical' },
      lineage: {
        kind: 'lineage',
        declared: ['Qwen/Qwen2.5-7B'],
        detected: [],
        undeclared: [],
        unsupported: [
          { base: 'Qwen/Qwen2.5-7B', comparisons: [{ entry: 'hf:Qwen/Qwen2.5-7B@main', verdict: 'independent' }] },
        ],
        unverified: [],
        detail: '',
      },
    });
    expect(out.result).toBe('warn');
    expect(out.reasons).toEqual([
      expect.stringMatching(
        /^warn \(declared-unsupported\): base_model declares Qwen\/Qwen2.5-7B, but the weights show no derivation/,
      ),
      'warn (tokenizer-reuse): tokenizer is identical to tokenizer/qwen2.5 (qwen2.5)',
      expect.stringMatching(
        /^warn \(on-inconclusive\): inconclusive: registry entries share tensor shapes, element counts or sub-blocks/,
      ),
    ]);
    // the policy decides what an inconclusive model does: pass keeps it as information
    const lenient = parsePolicy('on-inconclusive: pass', 'p.yml');
    expect(evaluatePolicy(lenient, { verdict: 'inconclusive', components: [] })).toEqual({
      result: 'pass',
      reasons: [expect.stringMatching(/^info \(inconclusive\): inconclusive: registry entries share/)],
    });
    const strict = parsePolicy('fail-on: [inconclusive]', 'p.yml');
    expect(evaluatePolicy(strict, { verdict: 'inconclusive', components: [] }).result).toBe('fail');
  });
});

describe('T-Class 2.0 grades per component', () => {
  const g = (e: ComponentEvidence) => gradeComponents(T_CLASS_2, [e])[e.component]!;

  it('maps the comparison evidence onto T1..T5', () => {
    expect(g(derivedText)).toBe('T1 — fine-tune: hf:Qwen/Qwen2.5-7B@main');
    expect(g({ ...derivedText, verdict: 'identical', median_r: 1 })).toMatch(/^T1 /);
    expect(g({ ...derivedText, median_r: 0.55 })).toBe('T2 — continued pretraining: hf:Qwen/Qwen2.5-7B@main');
    expect(g({ ...derivedText, expanded: true })).toMatch(/^T3 — expansion or merge/);
    expect(g({ ...derivedText, merged: true })).toMatch(/^T3 /);
    expect(g(ev({ verdict: 'independent', config: 'same', configEntry: 'config/Llama-3.1-8B' }))).toBe(
      'T4-1 — own weights, borrowed architecture (same config): config/Llama-3.1-8B',
    );
    expect(g(ev({ verdict: 'independent', config: 'modified', configEntry: 'config/Llama-3.1-8B' }))).toMatch(
      /^T4-2 — own weights, borrowed architecture \(modified\)/,
    );
    expect(g(ev({ verdict: 'independent', tokenizer: 'extends', tokenizerEntry: 'tokenizer/llama3' }))).toBe(
      'T4-2 — own weights, borrowed tokenizer: tokenizer/llama3',
    );
    expect(g(ev({ verdict: 'independent' }))).toBe('T5 — own architecture and tokenizer');
    expect(g(ev({ verdict: 'none', config: 'unknown', tokenizer: 'unknown' }))).toMatch(/^T5 /);
  });

  it('reads "text decoder T4-2, vision encoder T1 (Qwen2.5-VL ViT)"', () => {
    const grades = gradeComponents(T_CLASS_2, [
      ev({ verdict: 'independent', config: 'modified', configEntry: 'config/Qwen2.5-7B-Instruct' }),
      derivedVision,
    ]);
    expect(grades).toEqual({
      'text decoder': 'T4-2 — own weights, borrowed architecture (modified): config/Qwen2.5-7B-Instruct',
      'vision encoder': 'T1 — fine-tune: hf:Qwen/Qwen2.5-VL-7B-Instruct@main',
    });
  });

  it('a custom scale with comparisons and lists', () => {
    const p = parsePolicy(
      `grades:
  name: Simple
  rules:
    - { grade: reused, when: { verdict: [derived, identical], exact_share: "> 0.5" } }
    - { grade: tuned, when: { verdict: derived } }
    - { grade: own, when: { verdict: "!= derived" } }
`,
      'p.yml',
    );
    expect(gradeComponents(p.grades!, [{ ...derivedText, exact_share: 0.9 }])['text decoder']).toBe(
      'reused: hf:Qwen/Qwen2.5-7B@main',
    );
    expect(gradeComponents(p.grades!, [derivedText])['text decoder']).toBe('tuned: hf:Qwen/Qwen2.5-7B@main');
    expect(gradeComponents(p.grades!, [ev({ verdict: 'independent' })])['text decoder']).toBe('own');
  });
});
