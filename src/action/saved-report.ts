/**
 * Publishing a report produced by another workflow run: the second half of the fork-PR pattern
 * (`pull_request` uploads report.json as an artifact; `workflow_run` downloads it and publishes
 * with a write token).
 *
 * The artifact comes from a fork's workflow, which the fork can edit: its contents are display
 * data, never trusted for *where* to post. The commit and PR come from the workflow_run event,
 * which GitHub writes.
 */
import { readFileSync } from 'node:fs';
import type { CheckResult } from '../check/types.js';
import { InputError } from '../errors.js';
import type { OctokitLike } from '../github/client.js';
import type { RunContext } from './context.js';
import type { ReportDocument } from './outputs.js';

const VERDICTS = new Set(['identical', 'derived', 'independent', 'inconclusive']);
const POLICY = new Set(['pass', 'warn', 'fail']);

/** Reads and shape-checks a report.json written by this action. */
export function loadSavedReport(path: string): ReportDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`input \`report\` (${path})`, `cannot read a JSON report: ${(err as Error).message}`);
  }
  const d = doc as Partial<ReportDocument>;
  if (d?.schema !== 'weightprint.action-report/1' || !Array.isArray(d.results)) {
    throw new InputError(
      `input \`report\` (${path})`,
      'is not a Weightprint action report (schema weightprint.action-report/1)',
    );
  }
  d.results.forEach((r: CheckResult, i: number) => {
    if (
      typeof r?.model !== 'string' ||
      !VERDICTS.has(r.verdict) ||
      !POLICY.has(r.policy?.result) ||
      !Array.isArray(r.policy?.reasons) ||
      !Array.isArray(r.matches)
    ) {
      throw new InputError(`input \`report\` (${path})`, `results[${i}] is not a check result`);
    }
  });
  return d as ReportDocument;
}

interface PublishTargetRef {
  headSha: string;
  prNumber?: number;
  warnings: string[];
}

/**
 * Where the saved report goes. Under workflow_run: the triggering run's head commit and its PR
 * (for fork PRs GitHub leaves `pull_requests` empty, so the open PR is looked up by head
 * repository and branch and must point at that same commit). Elsewhere: the report's own values.
 */
export async function savedReportTarget(
  ctx: RunContext,
  doc: ReportDocument,
  octokit: OctokitLike | undefined,
): Promise<PublishTargetRef> {
  const warnings: string[] = [];
  if (ctx.eventName !== 'workflow_run') {
    return { headSha: doc.head_sha || ctx.headSha, prNumber: doc.pr_number, warnings };
  }
  const wr = ctx.payload.workflow_run as
    | {
        head_sha?: string;
        head_branch?: string;
        head_repository?: { owner?: { login?: string } };
        pull_requests?: { number: number }[];
      }
    | undefined;
  if (!wr?.head_sha) throw new InputError('GITHUB_EVENT_PATH', 'workflow_run payload has no workflow_run.head_sha');
  const headSha = wr.head_sha;
  if (doc.head_sha && doc.head_sha !== headSha) {
    warnings.push(
      `The report names commit ${doc.head_sha} but the triggering run was on ${headSha}; publishing on ${headSha}.`,
    );
  }
  let prNumber = wr.pull_requests?.[0]?.number;
  if (prNumber === undefined && octokit && wr.head_branch && wr.head_repository?.owner?.login) {
    const res = await octokit.request('GET /repos/{owner}/{repo}/pulls', {
      owner: ctx.owner,
      repo: ctx.repo,
      state: 'open',
      head: `${wr.head_repository.owner.login}:${wr.head_branch}`,
      per_page: 10,
    });
    prNumber = res.data.find((p) => p.head.sha === headSha)?.number;
  }
  if (doc.pr_number !== undefined && prNumber !== undefined && doc.pr_number !== prNumber) {
    warnings.push(
      `The report names PR #${doc.pr_number} but the triggering run belongs to #${prNumber}; ` +
        `publishing on #${prNumber}.`,
    );
  }
  if (prNumber === undefined) warnings.push(`No open pull request has head ${headSha}; posting the check only.`);
  return { headSha, prNumber, warnings };
}
