/**
 * One way to state a number: the comparison's prose, the markdown report, the check run's
 * details and the terminal summary print a component's p-value and z the same way.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/types.js';
import type { CompareResult } from '../../src/compare/types.js';
import { checkDetails } from '../../src/github/checks.js';
import { renderCompareMarkdown } from '../../src/report/markdown.js';
import { compareSummary } from '../../src/report/text.js';
import { caseById } from '../../src/synth/index.js';
import { formatP, formatZ, pClause } from '../../src/util/numbers.js';
import { compareCase } from '../compare/helpers.js';

function withP(p: number): CompareResult {
  return {
    verdict: 'derived',
    confidence: 0.999,
    reason: 'vision encoder derives from A',
    a: { id: 'hf:org/base@main', mode: 'full' },
    b: { id: 'release/model', mode: 'full' },
    components: [
      {
        name: 'vision encoder',
        a: 'visual.',
        b: 'visual.',
        verdict: 'derived',
        tensors_compared: 40,
        score: 38.04,
        null: { mean: 0, std: 1 },
        p_value: p,
        evidence: [],
      },
    ],
    not_compared: [],
  };
}

function asCheck(r: CompareResult): CheckResult {
  return {
    model: 'release/model',
    verdict: r.verdict,
    policy: { result: 'fail', reasons: [] },
    matches: [{ ...r, entry: 'hf:org/base@main' }],
  };
}

describe('every renderer states a p-value the same way', () => {
  it('a subnormal p (7.5e-317) is "< 1e-300" in markdown, check-run details and the terminal, never its digits', () => {
    const r = withP(7.5e-317);
    const outputs = {
      markdown: renderCompareMarkdown(r),
      details: checkDetails([asCheck(r)]),
      terminal: compareSummary(r),
    };
    for (const [where, text] of Object.entries(outputs)) {
      expect(text, where).toContain('< 1e-300');
      expect(text, where).not.toMatch(/e-31\d|e-3[2-9]\d/);
      expect(text, where).toContain('38.0');
    }
  });

  it('the same p prints identically everywhere it appears', () => {
    for (const p of [0.0123, 4.2e-12, 1e-300]) {
      const r = withP(p);
      const shown = formatP(p);
      expect(renderCompareMarkdown(r)).toContain(`| ${shown} |`);
      expect(checkDetails([asCheck(r)])).toContain(`| ${shown} |`);
      expect(compareSummary(r)).toContain(`p ${shown.padStart(8)}`);
    }
  });
});

describe("the comparison's own prose agrees with the table", () => {
  it('a derived component says "combined z … (p …)" with the numbers its table row shows', async () => {
    const r = await compareCase(caseById('ft10-bf16'));
    const derived = r.components.filter((c) => c.verdict === 'derived' && c.tensors_compared > 0);
    expect(derived.length).toBeGreaterThan(0);
    const md = renderCompareMarkdown(r);
    let checked = 0;
    for (const c of derived) {
      const prose = c.evidence.map((e) => e.detail).join('\n');
      const clause = /combined z (\S+) \((p [^)]*?)\),/.exec(prose);
      if (!clause) continue; // decided by another rule (exact copies, column alignment)
      checked++;
      expect(clause[1]).toBe(formatZ(c.score));
      expect(clause[2]).toBe(pClause(c.p_value));
      expect(md).toContain(`| ${formatZ(c.score)} | N(0, 1) | ${formatP(c.p_value)} |`);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
