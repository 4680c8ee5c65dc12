/**
 * The check run on the PR head commit, with a commit status as the fallback when the token may
 * not write checks (fork PRs, `checks: write` missing from `permissions:`).
 */
import type { CheckResult, PolicyResult } from '../check/types.js';
import type { Verdict } from '../compare/types.js';
import { errorMessage, isPermissionError, type OctokitLike } from './client.js';
import { mdCode, mdText, plainText } from '../report/escape.js';
import { truncateMarkdown } from '../report/truncate.js';
import { formatP, formatZ } from '../util/numbers.js';

/** `action_required` is what an unanalysable model gives when the operator prefers it to `failure`. */
export type Conclusion = 'success' | 'failure' | 'neutral' | 'action_required';
/**
 * What a check run can end with: an analysis's conclusion, or `cancelled` for a run stopped because
 * its pull request moved to a newer head (GitHub's conclusion for superseded runs; never passing).
 */
export type RunConclusion = Conclusion | 'cancelled';

/** GitHub's limits: output.summary and output.text, and annotations per request. */
export const MAX_CHECK_OUTPUT = 65_535;
const ANNOTATIONS_PER_REQUEST = 50;
const MAX_STATUS_DESCRIPTION = 140;

export interface CheckAnnotation {
  /** Repository-relative path of a file in the commit. */
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

interface CheckTarget {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** The PR head commit: a check on the merge commit would not show on the PR. */
  headSha: string;
  name: string;
  detailsUrl?: string;
}

interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

const LEVEL: Record<PolicyResult, CheckAnnotation['annotation_level']> = {
  pass: 'notice',
  warn: 'warning',
  fail: 'failure',
};

/**
 * One annotation per model that lives in the repository. `pathFor` maps a result's model to a
 * file in the commit (a directory cannot be annotated); by default the model string itself is
 * used when it looks like a relative file path. Registry ids (`hf:…`) are skipped.
 */
export function annotationsFor(
  results: readonly CheckResult[],
  pathFor: (model: string) => string | undefined = defaultAnnotationPath,
): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  for (const r of results) {
    const path = pathFor(r.model);
    if (!path) continue;
    const top = r.matches[0];
    const lines = [plainText(`Verdict: ${r.verdict}; policy: ${r.policy.result}.`)];
    if (top)
      lines.push(
        plainText(
          `Closest registry model: ${top.entry} (${top.verdict}, confidence ${fmt(top.confidence)}): ${top.reason}`,
        ),
      );
    for (const reason of r.policy.reasons) lines.push(`- ${plainText(reason)}`);
    out.push({
      path,
      start_line: 1,
      end_line: 1,
      annotation_level: LEVEL[r.policy.result] ?? 'notice',
      title: clip(
        plainText(
          `Weightprint: ${r.verdict}` +
            (top && r.verdict !== 'independent' && r.verdict !== 'inconclusive' ? ` (${top.entry})` : ''),
        ),
        255,
      ),
      message: clip(lines.join('\n'), 60_000),
    });
  }
  return out;
}

function defaultAnnotationPath(model: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(model) || model.startsWith('/')) return undefined;
  const p = model.replace(/^\.\/+/, '');
  return /\.(safetensors|json)$/i.test(p) ? p : undefined;
}

/** A one-line headline for the check: what was found, and what the policy said. */
export function checkTitle(results: readonly CheckResult[], conclusion: RunConclusion): string {
  if (conclusion === 'cancelled') return 'Check cancelled';
  if (results.length === 0) return 'No model weights to check';
  const counts = new Map<Verdict, number>();
  for (const r of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  const order: Verdict[] = ['identical', 'derived', 'independent', 'inconclusive'];
  const parts = order.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} ${v}`);
  const n = results.length === 1 ? '1 model' : `${results.length} models`;
  const verdictWord =
    conclusion === 'failure'
      ? 'policy failed'
      : conclusion === 'action_required'
        ? 'action required'
        : conclusion === 'neutral'
          ? 'no policy decision'
          : 'policy passed';
  return clip(`${n}: ${parts.join(', ')} (${verdictWord})`, 200);
}

/** Per-model evidence for the check's "details" pane, below the markdown summary. */
export function checkDetails(results: readonly CheckResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    // every name and reason is the PR author's text: escaped, never markup
    out.push(`### ${mdCode(r.model)}`, '', `**${mdText(r.verdict)}**, policy **${mdText(r.policy.result)}**`, '');
    for (const reason of r.policy.reasons) out.push(`- ${mdText(reason)}`);
    if (r.policy.reasons.length) out.push('');
    for (const e of r.registry?.errors ?? []) out.push(`- registry error: ${mdCode(e.entry)}: ${mdText(e.reason)}`);
    for (const m of r.matches.slice(0, 5)) {
      out.push(
        `#### ${mdCode(m.entry)}: ${mdText(m.verdict)} (confidence ${fmt(m.confidence)})`,
        '',
        mdText(m.reason),
        '',
      );
      if (m.components.length) {
        out.push('| component | verdict | tensors | score | p-value | median r |', '|---|---|---:|---:|---:|---:|');
        for (const c of m.components) {
          const cells = [
            mdText(c.name),
            mdText(c.verdict),
            Number.isInteger(c.tensors_compared) ? String(c.tensors_compared) : '–',
            formatZ(c.score),
            formatP(c.p_value),
            c.median_r === undefined ? '' : fmt(c.median_r),
          ];
          out.push(`| ${cells.join(' | ')} |`);
        }
        out.push('');
      }
      for (const nc of m.not_compared) out.push(`- not compared: ${mdText(nc.what)} (${mdText(nc.why)})`);
      if (m.not_compared.length) out.push('');
    }
  }
  return out.join('\n');
}

export async function startCheckRun(t: CheckTarget): Promise<number> {
  const res = await t.octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: t.owner,
    repo: t.repo,
    name: t.name,
    head_sha: t.headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    ...(t.detailsUrl ? { details_url: t.detailsUrl } : {}),
    output: {
      title: 'Fingerprinting model weights…',
      summary: 'Weightprint is comparing the weights with the registry.',
    },
  });
  // Octokit types ids as number | bigint (ids may outgrow 2^53 one day); ours fit a number.
  return Number(res.data.id);
}

/**
 * Completes a check run. Annotations go 50 per request (the API's limit); all but the last
 * batch are sent as in-progress updates, the last one completes the run.
 */
export async function completeCheckRun(
  t: Omit<CheckTarget, 'headSha' | 'name'>,
  checkRunId: number,
  conclusion: RunConclusion,
  output: CheckOutput,
  annotations: readonly CheckAnnotation[] = [],
): Promise<void> {
  const base = {
    title: clip(output.title, 200),
    summary: truncateMarkdown(output.summary, MAX_CHECK_OUTPUT, t.detailsUrl),
  };
  const text = output.text ? truncateMarkdown(output.text, MAX_CHECK_OUTPUT, t.detailsUrl) : undefined;
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  for (const batch of batches.slice(0, -1)) {
    await t.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: t.owner,
      repo: t.repo,
      check_run_id: checkRunId,
      output: { ...base, annotations: batch },
    });
  }
  const last = batches.at(-1);
  await t.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: t.owner,
    repo: t.repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    output: { ...base, ...(text ? { text } : {}), ...(last ? { annotations: last } : {}) },
  });
}

/**
 * Commit statuses have no neutral state; "neutral" (a policy warning) must not block a merge, so
 * it maps to success. `action_required` blocks, like `failure`; `cancelled` is an `error` (the
 * commit was not checked). Only the two passing conclusions pass.
 */
async function postCommitStatus(t: CheckTarget, conclusion: RunConclusion, description: string): Promise<void> {
  const state =
    conclusion === 'success' || conclusion === 'neutral' ? 'success' : conclusion === 'cancelled' ? 'error' : 'failure';
  await t.octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
    owner: t.owner,
    repo: t.repo,
    sha: t.headSha,
    state,
    context: t.name,
    description: clip(description, MAX_STATUS_DESCRIPTION),
    ...(t.detailsUrl ? { target_url: t.detailsUrl } : {}),
  });
}

interface PublishCheckResult {
  checkRunId?: number;
  statusPosted: boolean;
  warnings: string[];
}

/**
 * Check run when permitted, else commit status, else a warning. Errors other than missing
 * permissions propagate: they mean GitHub is failing, not that the token is read-only.
 */
export async function publishCheck(
  t: CheckTarget & { checkRunId?: number },
  conclusion: RunConclusion,
  output: CheckOutput,
  annotations: readonly CheckAnnotation[] = [],
): Promise<PublishCheckResult> {
  const warnings: string[] = [];
  let checkRunId = t.checkRunId;
  if (checkRunId === undefined) {
    try {
      checkRunId = await startCheckRun(t);
    } catch (err) {
      if (!isPermissionError(err)) throw err;
      warnings.push(
        `Could not create check run "${t.name}" (${errorMessage(err)}); falling back to a commit status. ` +
          'Grant `checks: write` to get the full check with annotations.',
      );
    }
  }
  if (checkRunId !== undefined) {
    try {
      await completeCheckRun(t, checkRunId, conclusion, output, annotations);
      return { checkRunId, statusPosted: false, warnings };
    } catch (err) {
      if (!isPermissionError(err)) throw err;
      warnings.push(
        `Could not complete check run ${checkRunId} (${errorMessage(err)}); falling back to a commit status.`,
      );
    }
  }
  try {
    await postCommitStatus(t, conclusion, output.title);
    return { checkRunId, statusPosted: true, warnings };
  } catch (err) {
    if (!isPermissionError(err)) throw err;
    warnings.push(
      `Could not post commit status "${t.name}" either (${errorMessage(err)}); ` +
        'the result is only in the job summary and report files. ' +
        'On fork PRs use the two-workflow pattern (see README).',
    );
    return { checkRunId, statusPosted: false, warnings };
  }
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function fmt(x: number): string {
  if (typeof x !== 'number') return '–'; // a saved report is display data: never trust a field's type
  return Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2)) : String(x);
}
