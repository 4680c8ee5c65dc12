/** What the step leaves behind: the job summary, the report files and the step outputs. */
import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult, PolicyResult } from '../check/types.js';
import { VERDICT_STRENGTH, type Verdict } from '../compare/types.js';
import type { Conclusion } from '../github/checks.js';
import { truncateMarkdown } from '../report/truncate.js';
import type { FailOn } from './inputs.js';

/** GitHub drops job summaries over 1 MiB; stay below it with room for the notice. */
export const MAX_SUMMARY_CHARS = 1_000_000;

/** The strongest verdict over all models (`none` when nothing was checked). */
export function overallVerdict(results: readonly CheckResult[]): Verdict | 'none' {
  let best: Verdict | 'none' = 'none';
  for (const r of results) {
    if (best === 'none' || VERDICT_STRENGTH[r.verdict] > VERDICT_STRENGTH[best]) best = r.verdict;
  }
  return best;
}

const POLICY_RANK: Record<PolicyResult, number> = { pass: 0, warn: 1, fail: 2 };

/** The worst policy result over all models; nothing checked passes. */
export function overallPolicy(results: readonly CheckResult[]): PolicyResult {
  let worst: PolicyResult = 'pass';
  for (const r of results) if (POLICY_RANK[r.policy.result] > POLICY_RANK[worst]) worst = r.policy.result;
  return worst;
}

/** The one-line reason the step fails, or undefined when `fail-on` lets it pass. */
export function failureMessage(results: readonly CheckResult[], failOn: FailOn): string | undefined {
  if (failOn === 'never') return undefined;
  const bad = results.filter((r) => r.policy.result === 'fail' || (failOn === 'warn' && r.policy.result === 'warn'));
  if (bad.length === 0) return undefined;
  const first = bad[0]!;
  const why = first.policy.reasons[0] ? `: ${first.policy.reasons[0]}` : '';
  const more = bad.length > 1 ? ` (and ${bad.length - 1} more model(s))` : '';
  return `weightprint: policy ${first.policy.result} for ${first.model} (${first.verdict})${why}${more}`;
}

export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set; skipping the job summary');
    return;
  }
  const where = 'the `report-markdown` file (a step output; upload it as an artifact to keep it)';
  await core.summary.addRaw(truncateMarkdown(markdown, MAX_SUMMARY_CHARS, undefined, where), true).write();
}

interface ReportFiles {
  json: string;
  markdown: string;
}

export interface ReportDocument {
  schema: 'weightprint.action-report/1';
  repository: string;
  event: string;
  head_sha: string;
  pr_number?: number;
  conclusion: Conclusion;
  verdict: Verdict | 'none';
  policy_result: PolicyResult;
  results: CheckResult[];
}

/**
 * Writes report.json and report.md under `<dir>/weightprint/`. The JSON carries what a
 * separate publishing workflow (fork PRs) needs: repository, head SHA, PR number, conclusion.
 */
export async function writeReportFiles(dir: string, doc: ReportDocument, markdown: string): Promise<ReportFiles> {
  const out = join(dir, 'weightprint');
  await mkdir(out, { recursive: true });
  const files = { json: join(out, 'report.json'), markdown: join(out, 'report.md') };
  await writeFile(files.json, `${JSON.stringify(doc, null, 2)}\n`);
  await writeFile(files.markdown, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return files;
}

export function setOutputs(o: {
  verdict: string;
  policyResult: string;
  files?: ReportFiles;
  conclusion?: string;
}): void {
  core.setOutput('verdict', o.verdict);
  core.setOutput('policy-result', o.policyResult);
  if (o.files) {
    core.setOutput('report-json', o.files.json);
    core.setOutput('report-markdown', o.files.markdown);
  }
  if (o.conclusion) core.setOutput('conclusion', o.conclusion);
}
