/**
 * The sticky PR comment: one per pull request, found again by a hidden marker and edited in
 * place, so a PR that is pushed twenty times carries one report, not twenty.
 */
import type { OctokitLike } from './client.js';
import { truncateMarkdown } from '../report/truncate.js';

export const COMMENT_MARKER = '<!-- weightprint:report -->';
/** GitHub rejects issue comment bodies longer than this. */
export const MAX_COMMENT_LENGTH = 65_536;

export interface CommentTarget {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface StickyComment {
  id: number;
  body: string;
}

export type UpsertAction = 'created' | 'updated' | 'unchanged';

/** The full comment body: marker first (so quoting it in a reply does not make a match), then the report. */
export function buildCommentBody(markdown: string, summaryUrl?: string): string {
  const head = `${COMMENT_MARKER}\n`;
  return head + truncateMarkdown(markdown, MAX_COMMENT_LENGTH - head.length, summaryUrl);
}

function isOurs(body: string | null | undefined): boolean {
  return typeof body === 'string' && body.trimStart().startsWith(COMMENT_MARKER);
}

/** Follows the `Link: rel="next"` chain of the comment list; the oldest marked comment wins. */
export async function findStickyComment(t: CommentTarget): Promise<StickyComment | undefined> {
  let res = await t.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.issueNumber,
    per_page: 100,
  });
  for (let page = 1; ; page++) {
    for (const c of res.data) {
      if (isOurs(c.body)) return { id: Number(c.id), body: c.body ?? '' };
    }
    const next = nextLink(res.headers.link);
    // The bound guards against a server that links a page to itself.
    if (!next || page >= 1000) return undefined;
    res = (await t.octokit.request({ method: 'GET', url: next })) as typeof res;
  }
}

/** Creates the comment, or edits the existing one; an identical body is left alone (no notification, no API write). */
export async function upsertStickyComment(
  t: CommentTarget,
  markdown: string,
  opts: { summaryUrl?: string } = {},
): Promise<{ id: number; action: UpsertAction }> {
  const body = buildCommentBody(markdown, opts.summaryUrl);
  const existing = await findStickyComment(t);
  if (existing) {
    if (normalize(existing.body) === normalize(body)) return { id: existing.id, action: 'unchanged' };
    await t.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      owner: t.owner,
      repo: t.repo,
      comment_id: existing.id,
      body,
    });
    return { id: existing.id, action: 'updated' };
  }
  const created = await t.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.issueNumber,
    body,
  });
  return { id: Number(created.data.id), action: 'created' };
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
