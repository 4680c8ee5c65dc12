import { describe, expect, it } from 'vitest';
import { renderCheckMarkdown, renderCompareMarkdown, checkConclusion } from '../../src/report/markdown.js';
import type { CompareResult } from '../../src/compare/types.js';
import type { CheckResult } from '../../src/check/types.js';

const result: CompareResult = {
  verdict: 'derived',
  confidence: 0.999,
  reason: "vision encoder derives from A's visual.: combined z 40.1",
  a: { id: 'hf:Qwen/Qwen2.5-VL-7B-Instruct', mode: 'sample' },
  b: { id: 'release/model', mode: 'full' },
  components: [
    {
      name: 'vision encoder',
      kind: 'vision',
      a: 'visual.',
      b: 'visual.',
      verdict: 'derived',
      tensors_compared: 40,
      score: 40.1,
      null: { mean: 0, std: 1 },
      p_value: 1e-300,
      median_r: 0.995,
      exact_share: 0,
      evidence: [
        { kind: 'note', detail: 'derived: combined z 40.1' },
        { kind: 'correlation', detail: 'median centred correlation r 0.99 over 40 tensors' },
      ],
      layers: [
        { layer: 0, r: 0.99 },
        { layer: 1, r: 0.98 },
        { layer: 2, r: 0.97 },
      ],
    },
    {
      name: 'text decoder',
      kind: 'text',
      a: 'model.',
      b: 'model.',
      verdict: 'independent',
      tensors_compared: 100,
      score: 0.4,
      null: { mean: 0, std: 1 },
      p_value: 0.34,
      median_r: 0.01,
      exact_share: 0,
      evidence: [{ kind: 'note', detail: 'independent: no similarity beyond chance' }],
    },
  ],
  not_compared: [
    {
      what: '12 vector tensor(s) of text decoder',
      why: '1-D (norm gains, biases): correlates between unrelated models, context only',
    },
  ],
};

describe('renderCompareMarkdown', () => {
  const md = renderCompareMarkdown(result);
  it('gives a verdict line, the per-component table with null and p-value, and the evidence', () => {
    expect(md).toMatch(/Weightprint: 🟧 derived/);
    expect(md).toMatch(/\| vision encoder \| visual\. \| 🟧 derived \| 40\.1 \| N\(0, 1\) \| 1\.0e-300 \| 40 \| 0\.99/);
    expect(md).toMatch(/\| text decoder .*0\.340/);
    expect(md).toMatch(/Strongest evidence/);
    expect(md).toMatch(/median centred correlation r 0\.99/);
  });
  it('draws the per-layer chart as a mermaid xychart', () => {
    expect(md).toMatch(/```mermaid\nxychart-beta\n/);
    expect(md).toMatch(/x-axis "layer" \[0, 1, 2\]/);
    expect(md).toMatch(/line \[0\.990, 0\.980, 0\.970\]/);
  });
  it('says what was not compared and why', () => {
    expect(md).toMatch(/Not compared/);
    expect(md).toMatch(/12 vector tensor\(s\) of text decoder: 1-D/);
  });
});

describe('renderCheckMarkdown', () => {
  const check: CheckResult = {
    model: 'release/model`x',
    verdict: 'derived',
    policy: {
      result: 'fail',
      reasons: ['vision encoder derived from hf:Qwen/Qwen2.5-VL-7B-Instruct, not declared in base_model'],
      grades: { 'vision encoder': 'T1 (Qwen2.5-VL ViT)' },
    },
    matches: [{ entry: 'hf:Qwen/Qwen2.5-VL-7B-Instruct', ...result }],
  };
  it('shows policy, grades, ranked matches and the closest match in detail', () => {
    const md = renderCheckMarkdown([check]);
    expect(md).toMatch(/policy ❌ fail/);
    expect(md).toMatch(/\| vision encoder \| T1 \(Qwen2\.5-VL ViT\) \|/);
    expect(md).toMatch(/``` ?release\/model`x ?``|`` release\/model`x ``/);
    expect(md).toMatch(/Closest match in detail/);
    expect(checkConclusion([check])).toBe('failure');
  });
  it('truncates within the limit and closes open details blocks', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...check, model: `model-${i}` }));
    const md = renderCheckMarkdown(many, { maxLength: 5000 });
    expect(md.length).toBeLessThanOrEqual(5000);
    const opened = (md.match(/<details/g) ?? []).length;
    const closed = (md.match(/<\/details>/g) ?? []).length;
    expect(closed).toBe(opened);
    expect(md).toMatch(/truncated/);
  });
  it('says how each model was read: full with what was verified, or a sketch with what it cannot see', () => {
    const full = renderCheckMarkdown([
      {
        ...check,
        fingerprint: {
          mode: 'full',
          why: 'mode auto: under 2 GiB of weights',
          bytesRead: 1536 * 1024 ** 2,
          totalBytes: 1536 * 1024 ** 2,
          verified: 'sha256 (Git LFS oid) of 2 of 2 weight files',
        },
      },
    ]);
    expect(full).toContain(
      '**Full fingerprint** (mode auto: under 2 GiB of weights): read 1.50 GiB of 1.50 GiB (100 %); ' +
        'verified: sha256 (Git LFS oid) of 2 of 2 weight files.',
    );
    const sketch = renderCheckMarkdown([
      {
        ...check,
        fingerprint: { mode: 'sketch', why: 'mode sketch', bytesRead: 31_457_280, totalBytes: 141 * 1024 ** 3 },
      },
    ]);
    expect(sketch).toMatch(
      /\*\*Sketch\*\* \(mode sketch\): read 30\.0 MiB of 141 GiB \(0\.021 %\): the headers and sampled/,
    );
    expect(sketch).toMatch(/not checked against their Git LFS oid\. Mode `full` reads every byte\./);
    // a saved report's fields are untrusted: a hostile reason renders as text
    const hostile = renderCheckMarkdown([
      { ...check, fingerprint: { mode: 'sketch', why: '<img src=x> [x](http://e)', bytesRead: 1, totalBytes: 2 } },
    ]);
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;img src=x&gt; \\[x\\]'); // brackets escaped: no link
  });
  it('maps policy results onto check conclusions', () => {
    expect(checkConclusion([{ ...check, policy: { result: 'pass', reasons: [] } }])).toBe('success');
    expect(checkConclusion([{ ...check, policy: { result: 'warn', reasons: [] } }])).toBe('neutral');
  });
});

describe('a long first model cannot push another model off a truncated report', () => {
  it('lists every verdict before the details, names clipped', () => {
    const decoy: CheckResult = {
      model: `models/a-decoy-${'x'.repeat(5000)}`,
      verdict: 'independent',
      policy: { result: 'pass', reasons: Array.from({ length: 40 }, (_, i) => `reason ${i} ${'y'.repeat(3000)}`) },
      matches: [],
    };
    const copy: CheckResult = {
      model: 'models/z-copy',
      verdict: 'identical',
      policy: { result: 'fail', reasons: ['identical to hf:base/model without a declared base_model'] },
      matches: [],
    };
    const md = renderCheckMarkdown([decoy, copy], { maxLength: 65_000 });
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md).toContain('Report truncated');
    // the copy's verdict is on the page although its section was cut
    expect(md).toContain('| `models/z-copy` | 🟥 identical | ❌ fail |');
    expect(md).not.toContain('### `models/z-copy`');
    // the decoy's name is clipped where it is shown
    expect(md).not.toContain('x'.repeat(300));
    expect(md).toContain(`| \`models/a-decoy-${'x'.repeat(184)}…\` | 🟩 independent | ✅ pass |`);
  });
});
