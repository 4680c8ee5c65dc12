/**
 * Publishing a report produced by another workflow run: the second half of the fork-PR pattern
 * (`pull_request` uploads report.json as an artifact; `workflow_run` downloads it and publishes
 * with a write token).
 *
 * The artifact comes from a fork's workflow, which the fork can edit: its contents are display
 * data, never trusted for *where* to post. The commit and PR come from the workflow_run event,
 * which GitHub writes.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { checkReport } from '../check/report.js';
import type { CheckResult } from '../check/types.js';
import { InputError } from '../errors.js';
import type { Conclusion } from '../github/checks.js';
import type { OctokitLike } from '../github/client.js';
import type { RunContext } from './context.js';
import { REPORT_SCHEMA, type ReportDocument } from './outputs.js';

/**
 * A report lists each model's verdicts and evidence: a few hundred KB for dozens of models. The
 * artifact is the fork's to write, so anything far past that is refused before it is read, rather
 * than parsed until the job runs out of memory.
 */
export const MAX_SAVED_REPORT_BYTES = 64 * 1024 * 1024;

const VERDICTS = new Set(['identical', 'derived', 'independent', 'inconclusive']);
const POLICY = new Set(['pass', 'warn', 'fail']);

/** The first version listed every model under `results`; it is still read. */
const LEGACY_SCHEMA = 'weightprint.action-report/1';

/**
 * Reads and shape-checks a report.json written by this action (either version), as the current
 * document. The results are display data; only their shape is checked.
 */
export function loadSavedReport(path: string): ReportDocument {
  const where = `input \`report\` (${path})`;
  let doc: unknown;
  let text: string;
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO must not block the open
    // fstat of the opened file: a FIFO or device (which would never end) or an oversized file is
    // refused as the file that would be read, not one a link pointed at a moment earlier
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(where, 'is not a regular file');
    if (st.size > MAX_SAVED_REPORT_BYTES)
      throw new InputError(
        where,
        `is ${st.size} bytes, more than a report can be (${MAX_SAVED_REPORT_BYTES} bytes): not read`,
      );
    text = readFileSync(fd, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(where, `cannot read a JSON report: ${(err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(where, `cannot read a JSON report: ${(err as Error).message}`);
  }
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  let results: unknown[];
  let at: string;
  if (d.schema === REPORT_SCHEMA && Array.isArray(d.models)) [results, at] = [d.models, 'models'];
  else if (d.schema === REPORT_SCHEMA && typeof d.model === 'string') [results, at] = [[d], ''];
  else if (d.schema === LEGACY_SCHEMA && Array.isArray(d.results)) [results, at] = [d.results, 'results'];
  else throw new InputError(where, `is not a Weightprint action report (schema ${REPORT_SCHEMA})`);
  results.forEach((r, i) => {
    if (!isCheckResult(r)) throw new InputError(where, `${at ? `${at}[${i}]` : 'the report'} is not a check result`);
  });
  return {
    schema: REPORT_SCHEMA,
    repository: typeof d.repository === 'string' ? d.repository : '',
    event: typeof d.event === 'string' ? d.event : '',
    head_sha: typeof d.head_sha === 'string' ? d.head_sha : '',
    ...(typeof d.pr_number === 'number' ? { pr_number: d.pr_number } : {}),
    conclusion: isConclusion(d.conclusion) ? d.conclusion : 'neutral',
    ...checkReport(results as CheckResult[]),
  };
}

function isCheckResult(r: unknown): boolean {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as Partial<Record<keyof CheckResult, unknown>>;
  const policy = (typeof x.policy === 'object' && x.policy !== null ? x.policy : {}) as Record<string, unknown>;
  return (
    typeof x.model === 'string' &&
    VERDICTS.has(x.verdict as string) &&
    POLICY.has(policy.result as string) &&
    Array.isArray(policy.reasons) &&
    Array.isArray(x.matches)
  );
}

function isConclusion(c: unknown): c is Conclusion {
  return c === 'success' || c === 'failure' || c === 'neutral' || c === 'action_required';
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
