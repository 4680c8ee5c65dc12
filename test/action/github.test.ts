import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../helpers/github-server.js';
import { clientFor, result } from './fixtures.js';
import { createGitHubClient, defaultApiUrl, isPermissionError } from '../../src/github/client.js';
import { COMMENT_MARKER, MAX_COMMENT_LENGTH, nextLink, upsertStickyComment } from '../../src/github/comment.js';
import { annotationsFor, MAX_CHECK_OUTPUT } from '../../src/github/checks.js';
import { publishReport, PublishError, type PublishTarget } from '../../src/github/publish.js';
import { truncateMarkdown } from '../../src/report/truncate.js';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await FakeGitHub.start();
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => gh.reset());

const PR = 7;
const target = (over: Partial<PublishTarget> = {}): PublishTarget => ({
  octokit: clientFor(gh),
  owner: 'acme',
  repo: 'models',
  headSha: 'a'.repeat(40),
  prNumber: PR,
  checkName: 'Weightprint provenance',
  comment: 'sticky',
  detailsUrl: 'https://github.com/acme/models/actions/runs/42',
  ...over,
});
const report = (markdown = '## Weightprint\n\nall good', results = [result('models/a/model.safetensors')]) => ({
  results,
  markdown,
  conclusion: 'failure' as const,
});

describe('sticky comment', () => {
  const t = () => ({ octokit: clientFor(gh), owner: 'acme', repo: 'models', issueNumber: PR });

  it('is created once, with the marker first', async () => {
    const r = await upsertStickyComment(t(), 'report v1');
    expect(r.action).toBe('created');
    const list = gh.comments.get(PR)!;
    expect(list).toHaveLength(1);
    expect(list[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(list[0]!.body).toContain('report v1');
  });

  it('is updated in place when the report changes', async () => {
    const first = await upsertStickyComment(t(), 'report v1');
    const second = await upsertStickyComment(t(), 'report v2');
    expect(second).toEqual({ id: first.id, action: 'updated' });
    expect(gh.comments.get(PR)).toHaveLength(1);
    expect(gh.comments.get(PR)![0]!.body).toContain('report v2');
    expect(gh.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);
  });

  it('is left untouched when the report is the same', async () => {
    const first = await upsertStickyComment(t(), 'same report');
    const before = gh.comments.get(PR)![0]!.updated_at;
    const again = await upsertStickyComment(t(), 'same report');
    expect(again).toEqual({ id: first.id, action: 'unchanged' });
    expect(gh.requestsTo('PATCH', /comments/)).toHaveLength(0);
    expect(gh.requestsTo('POST', /comments/)).toHaveLength(1);
    expect(gh.comments.get(PR)![0]!.updated_at).toBe(before);
  });

  it('is found on page 2 by following the Link header', async () => {
    gh.seedComments(
      PR,
      Array.from({ length: 120 }, (_, i) => `chatter ${i}`),
    );
    const [ours] = gh.seedComments(PR, [`${COMMENT_MARKER}\nold report`], {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    gh.seedComments(
      PR,
      Array.from({ length: 10 }, (_, i) => `more ${i}`),
    );
    const r = await upsertStickyComment(t(), 'new report');
    expect(r).toEqual({ id: ours!.id, action: 'updated' });
    const gets = gh.requestsTo('GET', /\/issues\/7\/comments$/);
    expect(gets).toHaveLength(2);
    expect(gets[1]!.query.get('page')).toBe('2');
    expect(gh.requestsTo('POST', /comments/)).toHaveLength(0);
    expect(gh.comments.get(PR)).toHaveLength(131);
  });

  it('does not mistake a reply quoting the report for the report', async () => {
    gh.seedComments(PR, [`> ${COMMENT_MARKER}\n> old report\n\nwhy is this derived?`]);
    const r = await upsertStickyComment(t(), 'report');
    expect(r.action).toBe('created');
    expect(gh.comments.get(PR)).toHaveLength(2);
  });

  it('adopts only a comment this token wrote: a marked comment by the PR author is left alone', async () => {
    // The PR author plants a "report" carrying our marker, hoping it is edited (and trusted) as ours.
    const [planted] = gh.seedComments(
      PR,
      [`${COMMENT_MARKER}\n## Weightprint\n\nall models independent, policy pass`],
      {
        login: 'mallory',
        type: 'User',
      },
    );
    const r = await upsertStickyComment(t(), 'real report');
    expect(r.action).toBe('created');
    expect(r.id).not.toBe(planted!.id);
    const list = gh.comments.get(PR)!;
    expect(list).toHaveLength(2);
    expect(list[0]!.body).toContain('policy pass'); // untouched
    expect(list[1]!.user.login).toBe('github-actions[bot]');
    expect(gh.requestsTo('PATCH', /comments/)).toHaveLength(0);
    // The next run finds its own comment, not the planted one.
    const again = await upsertStickyComment(t(), 'real report v2');
    expect(again).toEqual({ id: list[1]!.id, action: 'updated' });
    expect(list[0]!.body).toContain('policy pass');
  });

  it("with a user token, adopts that user's comment (GET /user), not github-actions[bot]'s", async () => {
    gh.users.set('test-token', { login: 'release-bot', type: 'User', userToken: true });
    const [actions] = gh.seedComments(PR, [`${COMMENT_MARKER}\nby the workflow token`], {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    const [mine] = gh.seedComments(PR, [`${COMMENT_MARKER}\nby the release bot`], {
      login: 'release-bot',
      type: 'User',
    });
    const r = await upsertStickyComment(t(), 'new report');
    expect(r).toEqual({ id: mine!.id, action: 'updated' });
    expect(actions!.body).toContain('by the workflow token');
    expect(gh.requestsTo('GET', /^\/user$/)).toHaveLength(1);
  });

  it('a report for an older head leaves the sticky comment alone; its check run still goes on its commit', async () => {
    // Two pushes: the first commit's slower check finishing last used to overwrite the comment
    // with a verdict the pull request's current head never got.
    const current = 'b'.repeat(40);
    gh.pulls.push({ number: PR, state: 'open', head: { sha: current, ref: 'ft', label: 'c:ft' } });
    await publishReport(target({ headSha: current, checkRunId: undefined }), report('report for the new head'));
    const stale = await publishReport(target({ checkRunId: undefined }), report('report for the old head'));
    expect(stale.commentId).toBeUndefined();
    expect(stale.warnings.join('\n')).toContain(`#${PR}'s head is now bbbbbbb`);
    expect(gh.comments.get(PR)!.map((c) => c.body.includes('report for the new head'))).toEqual([true]);
    expect(gh.checkRuns.map((c) => c.head_sha)).toEqual([current, 'a'.repeat(40)]);
  });

  it('when editing fails, posts a new comment and says why', async () => {
    const first = await upsertStickyComment(t(), 'report v1');
    gh.faults.push({ method: 'PATCH', path: /\/issues\/comments\/\d+$/, status: 422, body: { message: 'locked' } });
    const out = await publishReport(target({ checkRunId: undefined }), report('report v2'));
    expect(out.commentAction).toBe('created');
    expect(out.commentId).not.toBe(first.id);
    expect(out.warnings.join('\n')).toMatch(
      new RegExp(`Could not edit the Weightprint comment ${first.id} \\(.*locked`),
    );
    expect(gh.comments.get(PR)!.map((c) => c.body.includes('report v2'))).toEqual([false, true]);
  });

  it('truncates a long body to 65,536 characters with a pointer to the job summary', async () => {
    const row = '| layer | 0.99 | derived | some long evidence text that repeats |\n';
    const fence = '```';
    const details = `<details><summary>all tensors</summary>\n\n${fence}text\n${row.repeat(5000)}${fence}\n</details>`;
    const md = `## Weightprint\n\n${details}\n`;
    expect(md.length).toBeGreaterThan(MAX_COMMENT_LENGTH);
    await upsertStickyComment(t(), md, { summaryUrl: 'https://github.com/acme/models/actions/runs/42' });
    const body = gh.comments.get(PR)![0]!.body;
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body.length).toBeGreaterThan(MAX_COMMENT_LENGTH - 2000);
    expect(body).toContain('Report truncated');
    expect(body).toContain('(https://github.com/acme/models/actions/runs/42)');
    // The open fence and <details> are closed, so the pointer renders as markdown.
    expect(body.match(/```/g)!.length % 2).toBe(0);
    expect(body).toMatch(/<\/details>[\s\S]*Report truncated/);
  });
});

describe('truncateMarkdown', () => {
  it('returns short text unchanged and never splits a surrogate pair', () => {
    expect(truncateMarkdown('abc', 10)).toBe('abc');
    const s = '😀'.repeat(40_000);
    const out = truncateMarkdown(s, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('cuts one huge line mid-line only inside a code fence; elsewhere leaves it out whole', () => {
    // outside a fence the cut could leave an inline code span open (hostile-names.test.ts)
    const span = `## r\n\n- \`\`${'x'.repeat(5000)} [l](http://e.example)\`\`: y\n`;
    const out = truncateMarkdown(span, 1000);
    expect(out.startsWith('## r\n\n')).toBe(true);
    expect(out).not.toContain('x');
    const fenced = `## r\n\n\`\`\`\n${'x'.repeat(5000)}\n\`\`\`\n`;
    const cut = truncateMarkdown(fenced, 1000);
    expect(cut).toMatch(/^## r\n\n```\nx{300,}\n```\n/);
  });

  it('parses Link headers', () => {
    expect(nextLink('<https://x/a?page=2>; rel="next", <https://x/a?page=5>; rel="last"')).toBe('https://x/a?page=2');
    expect(nextLink('<https://x/a?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });
});

describe('check run', () => {
  it('goes on the head SHA: created in_progress, then completed with the conclusion', async () => {
    const out = await publishReport(target({ comment: 'off' }), report());
    expect(out.warnings).toEqual([]);
    expect(gh.checkRuns).toHaveLength(1);
    const run = gh.checkRuns[0]!;
    expect(out.checkRunId).toBe(run.id);
    expect(run.head_sha).toBe('a'.repeat(40));
    expect(run.name).toBe('Weightprint provenance');
    const create = gh.requestsTo('POST', /\/check-runs$/)[0]!;
    expect(create.body.status).toBe('in_progress');
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain('all good');
    expect(run.output.title).toMatch(/1 model: 1 derived/);
    expect(run.output.text).toContain('hf:base/model@main');
    expect(run.annotations).toEqual([
      expect.objectContaining({ path: 'models/a/model.safetensors', annotation_level: 'failure', start_line: 1 }),
    ]);
    expect(gh.statuses).toHaveLength(0);
  });

  it('sends 75 annotations as 50 + 25 and completes with the last batch', async () => {
    const results = Array.from({ length: 75 }, (_, i) =>
      result(`models/m${i}/model.safetensors`, 'independent', 'pass'),
    );
    await publishReport(target({ comment: 'off' }), { results, markdown: 'x', conclusion: 'success' });
    const run = gh.checkRuns[0]!;
    expect(run.annotationBatches).toEqual([50, 25]);
    expect(run.annotations).toHaveLength(75);
    const patches = gh.requestsTo('PATCH', /\/check-runs\/\d+$/);
    expect(patches.map((p) => p.body.status)).toEqual([undefined, 'completed']);
    expect(run.conclusion).toBe('success');
    expect(new Set(run.annotations.map((a) => a.annotation_level))).toEqual(new Set(['notice']));
  });

  it('keeps summary and text within 65,535 characters', async () => {
    await publishReport(target({ comment: 'off' }), report('y'.repeat(70_000) + '\n'.repeat(10)));
    const run = gh.checkRuns[0]!;
    expect(run.output.summary!.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
    expect(run.output.summary).toContain('Report truncated');
  });

  it('completes a check run created earlier instead of creating another', async () => {
    const first = await publishReport(target({ comment: 'off' }), report());
    gh.requests.length = 0;
    await publishReport(target({ comment: 'off', checkRunId: first.checkRunId }), {
      ...report(),
      conclusion: 'success',
    });
    expect(gh.requestsTo('POST', /check-runs/)).toHaveLength(0);
    expect(gh.checkRuns).toHaveLength(1);
    expect(gh.checkRuns[0]!.conclusion).toBe('success');
  });

  it('annotates only repository files', () => {
    const anns = annotationsFor([
      result('hf:org/model'),
      result('/abs/path/model.safetensors'),
      result('./models/x/model.safetensors', 'identical', 'warn'),
    ]);
    expect(anns.map((a) => [a.path, a.annotation_level])).toEqual([['models/x/model.safetensors', 'warning']]);
  });
});

describe('permissions', () => {
  it('falls back to a commit status when check runs are forbidden', async () => {
    gh.deny.add('checks');
    const out = await publishReport(target({ comment: 'off' }), report());
    expect(gh.checkRuns).toHaveLength(0);
    expect(gh.statuses).toEqual([
      expect.objectContaining({
        sha: 'a'.repeat(40),
        state: 'failure',
        context: 'Weightprint provenance',
        target_url: 'https://github.com/acme/models/actions/runs/42',
      }),
    ]);
    expect(gh.statuses[0]!.description!.length).toBeLessThanOrEqual(140);
    expect(out.statusPosted).toBe(true);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/commit status/);
  });

  it('maps neutral to a success status (neutral must not block merging)', async () => {
    gh.deny.add('checks');
    await publishReport(target({ comment: 'off' }), { ...report(), conclusion: 'neutral' });
    expect(gh.statuses[0]!.state).toBe('success');
  });

  it('maps cancelled (a superseded App run) to an error status, never a passing one', async () => {
    gh.deny.add('checks');
    await publishReport(target({ comment: 'off' }), { ...report(), conclusion: 'cancelled' });
    expect(gh.statuses[0]!.state).toBe('error');
  });

  it('turns 403s on comments, checks and statuses into warnings (fork PR)', async () => {
    gh.deny.add('checks').add('statuses').add('comments');
    const out = await publishReport(target(), report());
    expect(out.commentId).toBeUndefined();
    expect(out.checkRunId).toBeUndefined();
    expect(out.warnings).toHaveLength(3);
    expect(out.warnings.join('\n')).toMatch(/PR comment[\s\S]*check run[\s\S]*commit status/);
    expect(gh.writes()).toHaveLength(0);
  });

  it('still posts the check when the comment is forbidden', async () => {
    gh.deny.add('comments');
    const out = await publishReport(target(), report());
    expect(out.warnings).toHaveLength(1);
    expect(gh.checkRuns[0]!.conclusion).toBe('failure');
  });

  it('classifies 404 and plain 403 as permission errors, rate-limit 403 not', () => {
    expect(isPermissionError({ status: 404, message: 'Not Found' })).toBe(true);
    expect(isPermissionError(Object.assign(new Error('Resource not accessible by integration'), { status: 403 }))).toBe(
      true,
    );
    expect(
      isPermissionError(Object.assign(new Error('You have exceeded a secondary rate limit'), { status: 403 })),
    ).toBe(false);
    expect(isPermissionError({ status: 500 })).toBe(false);
  });
});

describe('rate limits and transient failures', () => {
  it('retries a secondary rate limit after retry-after and succeeds', async () => {
    const log: string[] = [];
    gh.injectSecondaryRateLimit('POST', /\/check-runs$/, 1, 2);
    const out = await publishReport(target({ comment: 'off', octokit: clientFor(gh, log) }), report());
    expect(out.checkRunId).toBeDefined();
    expect(gh.requestsTo('POST', /\/check-runs$/).map((r) => r.status)).toEqual([403, 201]);
    expect(gh.checkRuns).toHaveLength(1);
    expect(gh.statuses).toHaveLength(0); // a rate limit is not a missing permission
    expect(log.join('\n')).toMatch(/secondary rate limit.*retrying in 2s/);
  });

  it('retries a primary rate limit once the window resets', async () => {
    gh.injectRateLimit('GET', /\/issues\/7\/comments$/, 1, 1);
    const out = await publishReport(target(), report());
    expect(out.commentAction).toBe('created');
    expect(gh.requestsTo('GET', /\/issues\/7\/comments$/).map((r) => r.status)).toEqual([403, 200]);
  });

  it('gives up on a secondary limit after a bounded number of retries, without posting a status', async () => {
    const log: string[] = [];
    gh.injectSecondaryRateLimit('POST', /\/check-runs$/, 10, 1);
    const err = await publishReport(target({ comment: 'off', octokit: clientFor(gh, log) }), report()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PublishError);
    expect(gh.requestsTo('POST', /\/check-runs$/)).toHaveLength(3); // first try + 2 retries
    expect(gh.statuses).toHaveLength(0);
    expect(log.join('\n')).toMatch(/giving up/);
  });

  it('retries 5xx responses and succeeds', async () => {
    gh.injectServerError('POST', /\/issues\/7\/comments$/, 2, 502);
    gh.injectServerError('PATCH', /\/check-runs\/\d+$/, 1, 503);
    const out = await publishReport(target(), report());
    expect(out.commentAction).toBe('created');
    expect(gh.requestsTo('POST', /\/issues\/7\/comments$/).map((r) => r.status)).toEqual([502, 502, 201]);
    expect(gh.checkRuns[0]!.conclusion).toBe('failure');
    expect(gh.comments.get(PR)).toHaveLength(1);
  });

  it('reports a persistent outage as a PublishError after trying both the comment and the check', async () => {
    gh.injectServerError('POST', /\/issues\/7\/comments$/, 10, 500);
    const err = (await publishReport(target(), report()).catch((e: unknown) => e)) as PublishError;
    expect(err).toBeInstanceOf(PublishError);
    expect(err.message).toMatch(/comment/);
    expect(err.outcome.checkRunId).toBeDefined();
    expect(gh.checkRuns[0]!.status).toBe('completed');
  });
});

describe('client', () => {
  it('uses GITHUB_API_URL and an injected fetch', async () => {
    expect(defaultApiUrl({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe('https://ghe.example.com/api/v3');
    expect(defaultApiUrl({})).toBe('https://api.github.com');
    const seen: { url: string; auth: string | null; method: string }[] = [];
    const octokit = createGitHubClient({
      token: 'tok',
      baseUrl: 'https://ghe.example.com/api/v3',
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        seen.push({ url: String(input), auth: headers.get('authorization'), method: init?.method ?? 'GET' });
        return new Response(JSON.stringify([]), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    await upsertStickyComment(
      { octokit, owner: 'o', repo: 'r', issueNumber: 1, author: 'github-actions[bot]' },
      'x',
    ).catch(() => {});
    expect(seen[0]).toEqual({
      url: 'https://ghe.example.com/api/v3/repos/o/r/issues/1/comments?per_page=100',
      auth: 'token tok',
      method: 'GET',
    });
  });
});
