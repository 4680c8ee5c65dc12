/**
 * The sticky PR comment: one per pull request, found again by a hidden marker and edited in
 * place, so a PR that is pushed twenty times carries one report, not twenty. Only a comment this
 * token's own account wrote is adopted: anyone can write the marker into a comment of theirs
 * (a PR author could plant a "pass" report for us to keep editing, or to be mistaken for ours).
 */
import { errorMessage, isPermissionError, type OctokitLike } from './client.js';
import { truncateMarkdown } from '../report/truncate.js';

export const COMMENT_MARKER = '<!-- weightprint:report -->';
/** GitHub rejects issue comment bodies longer than this. */
export const MAX_COMMENT_LENGTH = 65_536;

interface CommentTarget {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  issueNumber: number;
  /**
   * Login of the account this token writes as (`<app-slug>[bot]` for a GitHub App). Absent: asked
   * of the API (tokenLogin).
   */
  author?: string;
}

/** The account GITHUB_TOKEN writes as. */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

interface StickyComment {
  id: number;
  body: string;
}

export type UpsertAction = 'created' | 'updated' | 'unchanged';

/** The full comment body: marker first (so quoting it in a reply does not make a match), then the report. */
function buildCommentBody(markdown: string, summaryUrl?: string): string {
  const head = `${COMMENT_MARKER}\n`;
  return head + truncateMarkdown(markdown, MAX_COMMENT_LENGTH - head.length, summaryUrl);
}

function hasMarker(body: string | null | undefined): boolean {
  return typeof body === 'string' && body.trimStart().startsWith(COMMENT_MARKER);
}

function sameLogin(a: string | undefined, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/**
 * The login this token writes comments as. A personal or user-to-server token reads it from
 * `GET /user`; GITHUB_TOKEN (an installation token of GitHub Actions) may not read /user and
 * writes as github-actions[bot]. Apps pass their `<slug>[bot]` instead of asking.
 */
async function tokenLogin(octokit: OctokitLike): Promise<string> {
  try {
    const res = await octokit.request('GET /user');
    if (typeof res.data.login === 'string' && res.data.login !== '') return res.data.login;
  } catch (err) {
    if (!isPermissionError(err) && !/resource not accessible/i.test(errorMessage(err))) throw err;
  }
  return ACTIONS_BOT_LOGIN;
}

/**
 * Follows the `Link: rel="next"` chain of the comment list; the oldest comment that carries the
 * marker and was written by `author` wins.
 */
async function findStickyComment(t: CommentTarget & { author: string }): Promise<StickyComment | undefined> {
  let res = await t.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.issueNumber,
    per_page: 100,
  });
  for (let page = 1; ; page++) {
    for (const c of res.data) {
      if (hasMarker(c.body) && sameLogin(c.user?.login, t.author)) return { id: Number(c.id), body: c.body ?? '' };
    }
    const next = nextLink(res.headers.link);
    // The bound guards against a server that links a page to itself.
    if (!next || page >= 1000) return undefined;
    res = (await t.octokit.request({ method: 'GET', url: next })) as typeof res;
  }
}

interface UpsertResult {
  id: number;
  action: UpsertAction;
  /** Why an existing comment was not edited (a new one was posted instead), for the log. */
  warning?: string;
}

/**
 * Creates the comment, or edits the existing one; an identical body is left alone (no
 * notification, no API write). When the edit fails (comment deleted meanwhile, locked, an API
 * fault) a new comment is posted, and `warning` says why.
 */
export async function upsertStickyComment(
  t: CommentTarget,
  markdown: string,
  opts: { summaryUrl?: string } = {},
): Promise<UpsertResult> {
  const body = buildCommentBody(markdown, opts.summaryUrl);
  const author = t.author ?? (await tokenLogin(t.octokit));
  const existing = await findStickyComment({ ...t, author });
  let warning: string | undefined;
  if (existing) {
    if (normalize(existing.body) === normalize(body)) return { id: existing.id, action: 'unchanged' };
    try {
      await t.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner: t.owner,
        repo: t.repo,
        comment_id: existing.id,
        body,
      });
      return { id: existing.id, action: 'updated' };
    } catch (err) {
      const why = errorMessage(err).split('\n')[0];
      warning = `Could not edit the Weightprint comment ${existing.id} (${why}); posted a new one.`;
    }
  }
  const created = await t.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.issueNumber,
    body,
  });
  return { id: Number(created.data.id), action: 'created', ...(warning ? { warning } : {}) };
}

// GitHub stores bodies with CRLF when edited in the browser; compare what renders.
function normalize(s: string): string {
  return s.replace(/\r\n/g, '\n').trimEnd();
}

/** The `rel="next"` URL of an RFC 8288 Link header, as GitHub sends it. */
export function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]!.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}
