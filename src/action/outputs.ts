/** What the step leaves behind: the job summary, the report files and the step outputs. */
import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckReport } from '../check/report.js';
import type { CheckResult } from '../check/types.js';
import type { Conclusion } from '../github/checks.js';
import { truncateMarkdown } from '../report/truncate.js';
import type { FailOn } from './inputs.js';

/** GitHub drops job summaries over 1 MiB; stay below it with room for the notice. */
export const MAX_SUMMARY_CHARS = 1_000_000;

/** The one-line reason the step fails, or undefined when `fail-on` lets it pass. */
export function failureMessage(results: readonly CheckResult[], failOn: FailOn): string | undefined {
  if (failOn === 'never') return undefined;
  const bad = results.filter((r) => r.policy.result === 'fail' || (failOn === 'warn' && r.policy.result === 'warn'));
  if (bad.length === 0) return undefined;
  const first = bad[0]!;
  const why = first.policy.reasons[0] ? `: ${first.policy.reasons[0]}` : '';
  const more = bad.length > 1 ? ` (and ${bad.length - 1} more ${bad.length === 2 ? 'model' : 'models'})` : '';
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

export const REPORT_SCHEMA = 'weightprint.action-report/2';

/** Where and for what the report was made: what a separate publishing workflow needs. */
export interface ReportContext {
  schema: typeof REPORT_SCHEMA;
  repository: string;
  event: string;
  head_sha: string;
  pr_number?: number;
  conclusion: Conclusion;
}

/**
 * report.json: the context, then the check report exactly as `weightprint check --json` prints it
 * (one model's result, or `{verdict, policy, models}` for several).
 */
export type ReportDocument = ReportContext & CheckReport;

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
