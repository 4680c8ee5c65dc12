/**
 * Posting a finished report to GitHub: the one code path the Action and the App share.
 * The comment and the check are independent; a failure of one does not stop the other.
 */
import type { CheckResult } from '../check/types.js';
import { errorMessage, isPermissionError, type OctokitLike } from './client.js';
import {
  annotationsFor,
  checkDetails,
  checkTitle,
  publishCheck,
  type CheckAnnotation,
  type RunConclusion,
} from './checks.js';
import { upsertStickyComment, type UpsertAction } from './comment.js';

export interface PublishTarget {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** The commit the check is attached to: the PR head, never the merge commit. */
  headSha: string;
  /** The PR (issue) number; no comment is posted without one. */
  prNumber?: number;
  checkName: string;
  comment: 'sticky' | 'off';
  /** The check run (or status fallback); `off` posts the comment only (an unverified saved report). Default `on`. */
  check?: 'on' | 'off';
  /** Login the token writes comments as (`<slug>[bot]` for the App); asked of the API when absent. */
  commentAuthor?: string;
  /** Link shown on the check / status, and the "full report" pointer of truncated bodies. */
  detailsUrl?: string;
  /** A check run already created in_progress (e.g. when analysis started); completed instead of creating one. */
  checkRunId?: number;
}

export interface PublishReport {
  results: CheckResult[];
  markdown: string;
  conclusion: RunConclusion;
  /** Overrides the default annotations (derived from results whose model is a repo file path). */
  annotations?: CheckAnnotation[];
  /** Overrides the default check title. */
  title?: string;
}

export interface PublishOutcome {
  commentId?: number;
  commentAction?: UpsertAction;
  checkRunId?: number;
  /** True when the commit-status fallback was used. */
  statusPosted?: boolean;
  /** Missing permissions and other non-fatal problems, one line each, for the log. */
  warnings: string[];
}

/** Raised after both the comment and the check were attempted, when one failed for a reason other than permissions. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    readonly outcome: PublishOutcome,
    readonly causes: unknown[],
  ) {
    super(message);
  }
}

export async function publishReport(target: PublishTarget, report: PublishReport): Promise<PublishOutcome> {
  const outcome: PublishOutcome = { warnings: [] };
  const failures: { step: string; err: unknown }[] = [];

  const newerHead = target.comment === 'sticky' && target.prNumber !== undefined ? await laterHead(target) : undefined;
  if (newerHead)
    outcome.warnings.push(
      `#${target.prNumber}'s head is now ${newerHead.slice(0, 7)}: the comment is left to that commit's report ` +
        `(this one is for ${target.headSha.slice(0, 7)}; its check run is posted on that commit)`,
    );
  else if (target.comment === 'sticky' && target.prNumber !== undefined) {
    try {
      const r = await upsertStickyComment(
        {
          octokit: target.octokit,
          owner: target.owner,
          repo: target.repo,
          issueNumber: target.prNumber,
          author: target.commentAuthor,
        },
        report.markdown,
        { summaryUrl: target.detailsUrl },
      );
      outcome.commentId = r.id;
      outcome.commentAction = r.action;
      if (r.warning) outcome.warnings.push(r.warning);
    } catch (err) {
      if (isPermissionError(err)) {
        outcome.warnings.push(
          `Could not post the PR comment on #${target.prNumber} (${errorMessage(err)}). ` +
            'Fork PRs get a read-only token: the report is in the job summary; ' +
            'see the README for the two-workflow pattern, or grant `pull-requests: write`.',
        );
      } else {
        failures.push({ step: 'comment', err });
      }
    }
  }

  if (target.check === 'off') return finish(outcome, failures);
  try {
    const c = await publishCheck(
      {
        octokit: target.octokit,
        owner: target.owner,
        repo: target.repo,
        headSha: target.headSha,
        name: target.checkName,
        detailsUrl: target.detailsUrl,
        checkRunId: target.checkRunId,
      },
      report.conclusion,
      {
        title: report.title ?? checkTitle(report.results, report.conclusion),
        summary: report.markdown,
        text: report.results.length ? checkDetails(report.results) : undefined,
      },
      report.annotations ?? annotationsFor(report.results),
    );
    outcome.checkRunId = c.checkRunId;
    outcome.statusPosted = c.statusPosted;
    outcome.warnings.push(...c.warnings);
  } catch (err) {
    failures.push({ step: 'check', err });
  }

  return finish(outcome, failures);
}

/**
 * The pull request's head when it is no longer the commit this report is for: a slow check of an
 * older push must not overwrite the sticky comment with a verdict the current head did not get.
 * Undefined when it is the same commit or cannot be asked (the comment is then posted as before).
 */
async function laterHead(target: PublishTarget): Promise<string | undefined> {
  try {
    const res = await target.octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: target.owner,
      repo: target.repo,
      pull_number: target.prNumber!,
    });
    const sha = (res.data as { head?: { sha?: unknown } }).head?.sha;
    return typeof sha === 'string' && sha !== '' && sha !== target.headSha ? sha : undefined;
  } catch {
    return undefined;
  }
}

function finish(outcome: PublishOutcome, failures: { step: string; err: unknown }[]): PublishOutcome {
  if (failures.length) {
    const msg = failures.map((f) => `${f.step}: ${errorMessage(f.err)}`).join('; ');
    throw new PublishError(
      `Publishing the report to GitHub failed (${msg})`,
      outcome,
      failures.map((f) => f.err),
    );
  }
  return outcome;
}
