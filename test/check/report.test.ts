import { describe, expect, it } from 'vitest';
import { checkReport, reportResults, worstPolicy, worstVerdict } from '../../src/check/report.js';
import { result } from '../action/fixtures.js';

describe('the check report (check --json, report-json)', () => {
  it('is the one result itself for one model', () => {
    const r = result('m', 'derived', 'warn');
    expect(checkReport([r])).toBe(r);
    expect(reportResults(checkReport([r]))).toEqual([r]);
  });

  it('puts several models under `models`, the worst verdict and policy on top with their reasons', () => {
    const rs = [result('a', 'independent', 'pass'), result('b', 'derived', 'fail'), result('c', 'derived', 'warn')];
    const report = checkReport(rs);
    expect(report).toEqual({
      verdict: 'derived',
      policy: { result: 'fail', reasons: ['b: derived from hf:base/model without a declared base_model'] },
      models: rs,
    });
    expect(reportResults(report)).toEqual(rs);
  });

  it('ranks "cannot tell" above "independent": an inconclusive model is not hidden', () => {
    const rs = [result('a', 'independent', 'pass'), result('b', 'inconclusive', 'pass')];
    expect(worstVerdict(rs)).toBe('inconclusive');
    expect(worstVerdict([...rs, result('c', 'identical', 'fail')])).toBe('identical');
    expect(worstVerdict([])).toBe('none');
    expect(worstPolicy([])).toBe('pass');
    expect(checkReport([])).toEqual({ verdict: 'none', policy: { result: 'pass', reasons: [] }, models: [] });
  });
});
