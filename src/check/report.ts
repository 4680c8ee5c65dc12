/**
 * The JSON contract of a check, as `weightprint check --json` prints it and the Action writes it
 * (`report-json`): one model's result as it is, `{verdict, policy, matches, …}`; several models
 * under `models`, with the worst verdict and policy result of them on top.
 */
import type { Verdict } from '../compare/types.js';
import type { CheckResult, PolicyResult } from './types.js';

export interface MultiModelReport {
  /** The worst verdict over the models (`none` when there were none). */
  verdict: Verdict | 'none';
  /** The worst policy result, with the reasons of the models that have it (prefixed by model). */
  policy: { result: PolicyResult; reasons: string[] };
  models: CheckResult[];
}

export type CheckReport = CheckResult | MultiModelReport;

/**
 * Worst first for a gate: a copy, a derivation, then "cannot tell" — which must not hide behind
 * another model's "independent".
 */
const VERDICT_SEVERITY: Record<Verdict, number> = { identical: 3, derived: 2, inconclusive: 1, independent: 0 };
const POLICY_SEVERITY: Record<PolicyResult, number> = { pass: 0, warn: 1, fail: 2 };

export function worstVerdict(results: readonly CheckResult[]): Verdict | 'none' {
  let worst: Verdict | 'none' = 'none';
  for (const r of results)
    if (worst === 'none' || VERDICT_SEVERITY[r.verdict] > VERDICT_SEVERITY[worst]) worst = r.verdict;
  return worst;
}

/** Nothing checked passes. */
export function worstPolicy(results: readonly CheckResult[]): PolicyResult {
  let worst: PolicyResult = 'pass';
  for (const r of results) if (POLICY_SEVERITY[r.policy.result] > POLICY_SEVERITY[worst]) worst = r.policy.result;
  return worst;
}

export function checkReport(results: readonly CheckResult[]): CheckReport {
  if (results.length === 1) return results[0]!;
  const result = worstPolicy(results);
  const reasons = results
    .filter((r) => r.policy.result === result)
    .flatMap((r) => r.policy.reasons.map((reason) => `${r.model}: ${reason}`));
  return { verdict: worstVerdict(results), policy: { result, reasons }, models: [...results] };
}

/** The per-model results of a report, in order. */
export function reportResults(report: CheckReport): CheckResult[] {
  return 'models' in report ? report.models : [report];
}
