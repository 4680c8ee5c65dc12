/** The App's parts on their own: config, HTML rendering, LFS range reads, the store and the queue. */
import { createHash } from 'node:crypto';
import { chmodSync, statSync } from 'node:fs';
import { umask } from 'node:process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.js';
import { escapeHtml, markdownToHtml, renderReport } from '../../src/app/dashboard.js';
import { renderCheckMarkdown } from '../../src/report/markdown.js';
import { routeGitHubEvent, routeHubEvent } from '../../src/app/events.js';
import { LfsSession } from '../../src/formats/lfs-source.js';
import { RunningPullJobs, webUrlFromApi } from '../../src/app/processor.js';
import { Queue, TransientError, isTransient } from '../../src/app/queue.js';
import { Store } from '../../src/app/store.js';
import { rsaKeys, tempDir } from './helpers.js';

const keys = rsaKeys();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function store(): Promise<Store> {
  const { dir, cleanup } = await tempDir();
  const s = new Store(join(dir, 'db', 'x.db'));
  cleanups.push(async () => {
    s.close();
    await cleanup();
  });
  return s;
}

describe('config', () => {
  const base = { APP_ID: '12', PRIVATE_KEY: keys.privateKey, WEBHOOK_SECRET: 'a' };
  it('applies defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      appId: 12,
      port: 3000,
      dbPath: './weightprint.db',
      concurrency: 2,
      githubApiUrl: 'https://api.github.com',
      webhookSecrets: ['a'],
      registries: [],
      onError: 'failure',
      host: '127.0.0.1',
    });
    expect(c.hfWebhookSecret).toBeUndefined();
    expect(c.dashboardToken).toBeUndefined();
  });
  it('reads every setting, splits rotation and registry lists, unescapes \\n in PRIVATE_KEY', () => {
    const c = loadConfig({
      ...base,
      PRIVATE_KEY: keys.privateKey.replace(/\n/g, '\\n'),
      WEBHOOK_SECRET: 'new, old',
      HF_WEBHOOK_SECRET: 'hf',
      PORT: '8080',
      WEIGHTPRINT_DB: '/var/lib/wp/app.db',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      WEIGHTPRINT_REGISTRY: 'https://reg.example/a, ./local',
      WEIGHTPRINT_POLICY: 'policy.yml',
      HF_RESULTS_REPO: 'org/provenance',
      CONCURRENCY: '4',
      WEIGHTPRINT_ON_ERROR: 'action_required',
      WEIGHTPRINT_MODE: 'sketch',
      WEIGHTPRINT_MAX_MODELS: '50',
      WEIGHTPRINT_JOB_TIMEOUT: '600',
    });
    expect(c).toMatchObject({
      onError: 'action_required',
      mode: 'sketch',
      maxModels: 50,
      jobTimeoutSeconds: 600,
      webhookSecrets: ['new', 'old'],
      hfWebhookSecret: 'hf',
      port: 8080,
      dbPath: '/var/lib/wp/app.db',
      githubApiUrl: 'https://ghe.example.com/api/v3',
      registries: ['https://reg.example/a', './local'],
      policy: 'policy.yml',
      hfResultsRepo: { owner: 'org', repo: 'provenance' },
      concurrency: 4,
    });
  });
  it('reads PRIVATE_KEY_PATH', () => {
    const c = loadConfig(
      { APP_ID: '1', WEBHOOK_SECRET: 'a', PRIVATE_KEY_PATH: '/k.pem' },
      { readFile: () => keys.privateKey },
    );
    expect(c.privateKey).toBe(keys.privateKey);
  });
  it.each([
    [{ APP_ID: undefined }, 'APP_ID'],
    [{ APP_ID: '0' }, 'APP_ID'],
    [{ PRIVATE_KEY: undefined }, 'PRIVATE_KEY'],
    [{ PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----' }, 'PRIVATE_KEY'],
    [{ WEBHOOK_SECRET: ' ' }, 'WEBHOOK_SECRET'],
    [{ WEBHOOK_SECRET: 'a,,b' }, 'WEBHOOK_SECRET'],
    [{ PORT: '-1' }, 'PORT'],
    [{ CONCURRENCY: '1.5' }, 'CONCURRENCY'],
    [{ GITHUB_API_URL: 'ftp://x' }, 'GITHUB_API_URL'],
    [{ GITHUB_API_URL: 'not a url' }, 'GITHUB_API_URL'],
    [{ HF_RESULTS_REPO: 'just-a-name' }, 'HF_RESULTS_REPO'],
    [{ WEIGHTPRINT_ON_ERROR: 'neutral' }, 'WEIGHTPRINT_ON_ERROR'],
    [{ WEIGHTPRINT_MODE: 'sample' }, 'WEIGHTPRINT_MODE'],
    [{ WEIGHTPRINT_MAX_MODELS: '0' }, 'WEIGHTPRINT_MAX_MODELS'],
    [{ WEIGHTPRINT_MAX_MODELS: 'many' }, 'WEIGHTPRINT_MAX_MODELS'],
    [{ WEIGHTPRINT_JOB_TIMEOUT: '0' }, 'WEIGHTPRINT_JOB_TIMEOUT'],
    [{ WEIGHTPRINT_JOB_TIMEOUT: 'Infinity' }, 'WEIGHTPRINT_JOB_TIMEOUT'],
    [{ DASHBOARD_TOKEN: 'short' }, 'DASHBOARD_TOKEN'],
  ])('%o → ConfigError naming %s', (over, setting) => {
    const env: Record<string, string | undefined> = { ...base, ...over };
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe(setting);
    expect((err as ConfigError).message.startsWith(`${setting}: `)).toBe(true);
    expect((err as ConfigError).message).not.toContain('\n');
  });
});

describe('dashboard HTML', () => {
  it('escapes everything from reports, including link targets', () => {
    const html = markdownToHtml(
      [
        '## Title <script>alert(1)</script>',
        '',
        '| a | b |',
        '|---|---:|',
        '| `x<y` | **bold** \\| pipe |',
        '',
        '[bad](javascript:alert(1)) [ok](https://example.com/?a=1&b=2)',
        '',
        '```',
        '<img src=x onerror=alert(1)>',
        '```',
        '<!-- weightprint:report -->',
        '<details open><summary>More</summary>',
        '',
        '- item <b>',
        '</details>',
      ].join('\n'),
    );
    expect(html).not.toMatch(/<script|<img|<b>|javascript:|<details|<!--/);
    expect(html).toContain('<h2>Title &lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(html).toContain('<td><code>x&lt;y</code></td>');
    expect(html).toContain('<td style="text-align:right"><strong>bold</strong> | pipe</td>');
    expect(html).toContain('<a href="https://example.com/?a=1&amp;b=2">ok</a>');
    expect(html).toContain('<pre><code>&lt;img src=x onerror=alert(1)&gt;</code></pre>');
    expect(html).toContain('<strong>More</strong>');
    expect(html).toContain('<li>item &lt;b&gt;</li>');
  });
  it('a model name that ends in a backslash or holds placeholders stays text on the report page', () => {
    // The page set backslash escapes aside before it found code spans: a name ending in `\`
    // escaped its closing backtick, so the rest of the name became markup (a link to any site,
    // bold); a name holding the placeholder characters crashed the page.
    const names = ['a\\` [click](https://evil.example/x) **bold** `', 'models/x\\', '\uE0009\uE001 and \uE0000\uE001'];
    for (const name of names) {
      const md = renderCheckMarkdown([
        { model: name, verdict: 'independent', policy: { result: 'pass', reasons: [name] }, matches: [] },
        { model: 'z', verdict: 'identical', policy: { result: 'fail', reasons: [] }, matches: [] },
      ]);
      const html = markdownToHtml(md);
      expect(html, name).not.toMatch(/<a |<strong>bold|<em>/);
      expect(html, name).toContain('<td><code>z</code></td><td>🟥 identical</td><td>❌ fail</td>');
    }
    const first = markdownToHtml(`| m |\n|---|\n| \`\` a\\\` [click](https://evil.example/x) \` \`\` |`);
    expect(first).toContain('<td><code>a\\` [click](https://evil.example/x) `</code></td>');
    expect(markdownToHtml('`models/x\\` and \\`not code\\`')).toBe('<p><code>models/x\\</code> and `not code`</p>');
  });
  it('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
  it('a report page never links to a non-http details URL', () => {
    const html = renderReport({
      id: 1,
      jobId: 1,
      source: 'o/r',
      model: 'm',
      headSha: 'a',
      verdict: 'derived',
      policy: 'warn',
      conclusion: 'neutral',
      report: {},
      markdown: '# r',
      detailsUrl: 'javascript:alert(1)',
      createdAt: 0,
    });
    expect(html).not.toContain('javascript:');
  });
});

describe('event routing', () => {
  const repository = { name: 'r', owner: { login: 'o' } };
  it('maps GitHub events to jobs', () => {
    const pr = routeGitHubEvent('pull_request', {
      action: 'synchronize',
      pull_request: { number: 4, head: { sha: 'abc' } },
      repository,
      installation: { id: 1 },
    });
    expect(pr.jobs[0]!.payload).toEqual({
      kind: 'github-check',
      installationId: 1,
      owner: 'o',
      repo: 'r',
      headSha: 'abc',
      prNumber: 4,
      trigger: 'pull_request.synchronize',
    });
    expect(
      routeGitHubEvent('release', {
        action: 'published',
        release: { tag_name: 'v1' },
        repository,
        installation: { id: 1 },
      }).jobs[0]!.payload,
    ).toMatchObject({ ref: 'v1' });
    expect(
      routeGitHubEvent('push', { ref: 'refs/tags/v1', deleted: true, repository, installation: { id: 1 } }).jobs,
    ).toEqual([]);
    expect(
      routeGitHubEvent('check_suite', {
        action: 'completed',
        check_suite: { head_sha: 'a' },
        repository,
        installation: { id: 1 },
      }).jobs,
    ).toEqual([]);
    expect(
      routeGitHubEvent('installation_repositories', {
        action: 'removed',
        installation: { id: 2 },
        repositories_removed: [{ full_name: 'o/x' }],
      }).jobs[0]!.payload,
    ).toEqual({ kind: 'installation', installationId: 2, action: 'removed', account: undefined, repos: ['o/x'] });
  });
  it('a PR retargeted to another base is checked again; its job is not absorbed by one for the old base', () => {
    // Opened into a branch already holding the copy (nothing model-related changed there: no
    // check, or a pass on another model), then retargeted to main: the head's result stood.
    const event = (action: string, baseRef: string, changes?: object) =>
      routeGitHubEvent('pull_request', {
        action,
        ...(changes ? { changes } : {}),
        pull_request: {
          number: 4,
          head: { sha: 'abc' },
          base: { ref: baseRef, sha: baseRef === 'main' ? 'm1' : 'l1' },
        },
        repository,
        installation: { id: 1 },
      });
    const opened = event('opened', 'lax');
    const retargeted = event('edited', 'main', { base: { ref: { from: 'lax' }, sha: { from: 'l1' } } });
    expect(retargeted.jobs[0]!.payload).toMatchObject({
      headSha: 'abc',
      prNumber: 4,
      baseRef: 'main',
      baseSha: 'm1',
      trigger: 'pull_request.edited (base changed)',
    });
    expect(retargeted.jobs[0]!.dedupeKey).not.toBe(opened.jobs[0]!.dedupeKey);
    // a title or body edit changes nothing the check reads
    expect(event('edited', 'main', { title: { from: 'x' } }).jobs).toEqual([]);
    expect(event('edited', 'main').jobs).toEqual([]);
  });

  it('maps Hub content pushes of model repos only', () => {
    const ok = routeHubEvent({
      event: { action: 'update', scope: 'repo.content' },
      repo: { type: 'model', name: 'org/m', headSha: 'abcdef1' },
    });
    expect(ok.jobs[0]!.payload).toEqual({
      kind: 'hf-check',
      model: 'hf:org/m@abcdef1',
      name: 'org/m',
      headSha: 'abcdef1',
    });
    expect(
      routeHubEvent({
        event: { action: 'create', scope: 'discussion' },
        repo: { type: 'model', name: 'org/m', headSha: 'abcdef1' },
      }).jobs,
    ).toEqual([]);
    expect(
      routeHubEvent({
        event: { action: 'update', scope: 'repo.content' },
        repo: { type: 'dataset', name: 'org/d', headSha: 'abcdef1' },
      }).jobs,
    ).toEqual([]);
    expect(
      routeHubEvent({
        event: { action: 'update', scope: 'repo.content' },
        repo: { type: 'model', name: '../../x', headSha: 'abcdef1' },
      }).jobs,
    ).toEqual([]);
  });
  it('derives web links from the API root', () => {
    expect(webUrlFromApi('https://api.github.com')).toBe('https://github.com');
    expect(webUrlFromApi('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
  });
});

describe('LFS range reads (injected fetch)', () => {
  const object = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  const oid = createHash('sha256').update(object).digest('hex');
  const pointer = { oid: `sha256:${oid}`, size: object.length };
  const http = { backoffMs: 1, maxBackoffMs: 2 };

  function lfsFetch(opts: { ignoreRange?: boolean; expireFirstHref?: boolean } = {}) {
    const log: string[] = [];
    let batches = 0;
    const f = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      const headers = new Headers(init?.headers);
      if (url.endsWith('/objects/batch')) {
        batches++;
        log.push(`batch ${headers.get('authorization')}`);
        const body = JSON.parse(String(init?.body));
        expect(body.objects).toEqual([{ oid, size: object.length }]);
        return Response.json({
          objects: [
            {
              oid,
              size: object.length,
              actions: {
                download: { href: `https://storage.test/o?v=${batches}`, header: { 'X-Sig': `s${batches}` } },
              },
            },
          ],
        });
      }
      log.push(`get ${url} ${headers.get('range')} ${headers.get('x-sig')} ${headers.get('authorization')}`);
      if (opts.expireFirstHref && url.endsWith('v=1')) return new Response('expired', { status: 403 });
      const m = /bytes=(\d+)-(\d+)/.exec(headers.get('range') ?? '');
      if (!m || opts.ignoreRange) return new Response(object, { status: 200 });
      const [a, b] = [Number(m[1]), Number(m[2])];
      return new Response(object.subarray(a, b + 1), {
        status: 206,
        headers: { 'content-range': `bytes ${a}-${b}/${object.length}` },
      });
    }) as typeof fetch;
    return { f, log };
  }

  it('reads ranges through the batch API with the installation token, never sent to the storage', async () => {
    const { f, log } = lfsFetch();
    const lfs = new LfsSession({ url: 'https://github.com/o/r.git/info/lfs', token: 'ghs_x', fetch: f, http });
    const src = await lfs.open('m.safetensors', pointer);
    expect(Buffer.from(await src.read(10, 20))).toEqual(object.subarray(10, 30));
    const chunks: Buffer[] = [];
    for await (const c of src.stream(0, object.length, 300)) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks)).toEqual(object);
    expect(src.bytesRead()).toBe(20 + object.length);
    expect(log[0]).toBe(`batch Basic ${Buffer.from('x-access-token:ghs_x').toString('base64')}`);
    expect(log.slice(1)).toContain('get https://storage.test/o?v=1 bytes=10-29 s1 null');
  });
  it('renews a refused download link through the batch API', async () => {
    const { f, log } = lfsFetch({ expireFirstHref: true });
    const lfs = new LfsSession({ url: 'https://x/o/r.git/info/lfs', fetch: f, http });
    const src = await lfs.open('m', pointer);
    expect(Buffer.from(await src.read(0, 4))).toEqual(object.subarray(0, 4));
    expect(log.filter((l) => l.startsWith('batch'))).toHaveLength(2);
  });
  it('refuses storage that ignores Range for a partial read, accepts it for the whole object', async () => {
    const { f } = lfsFetch({ ignoreRange: true });
    const src = await new LfsSession({ url: 'https://x/o/r.git/info/lfs', fetch: f, http }).open('m', pointer);
    await expect(src.read(5, 5)).rejects.toThrow(/^m: the LFS storage answered HTTP 200 instead of 206/);
    expect(Buffer.from(await src.read(0, object.length))).toEqual(object);
  });
  it('reports objects the server does not have, naming the file', async () => {
    const f = (async () =>
      Response.json({
        objects: [{ oid, size: object.length, error: { code: 404, message: 'Object does not exist' } }],
      })) as unknown as typeof fetch;
    const lfs = new LfsSession({ url: 'https://x/o/r.git/info/lfs', fetch: f, http });
    await expect(lfs.prefetch([{ file: 'm/model.safetensors', pointer }])).rejects.toThrow(
      /^m\/model\.safetensors: Git LFS object sha256:[0-9a-f]{64} is not on the LFS server \(404 Object does not/,
    );
  });
});

describe('store', () => {
  it('creates the database, WAL and shared-memory files owner-only (0600); tightens an existing file', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'db', 'app.db');
    const old = umask(0o022); // what a service usually runs with: files would be 0644
    try {
      const s = new Store(path);
      s.recordDelivery('d1', 'github', 'e', []);
      for (const f of [path, `${path}-wal`, `${path}-shm`])
        expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
      expect((statSync(join(dir, 'db')).mode & 0o777).toString(8)).toBe('700');
      s.close();
      chmodSync(path, 0o644); // as an older version left it
      const again = new Store(path);
      expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
      again.close();
    } finally {
      umask(old);
    }
  });
  it('records a delivery and its jobs once; coalesces queued jobs with the same key', async () => {
    const s = await store();
    const job = { payload: { kind: 'hf-check' as const, model: 'hf:a@1', name: 'a', headSha: '1' }, dedupeKey: 'k' };
    expect(s.recordDelivery('d1', 'github', 'e', [job])).toEqual({ duplicate: false, jobIds: [1] });
    expect(s.recordDelivery('d1', 'github', 'e', [job])).toEqual({ duplicate: true, jobIds: [1] });
    expect(s.recordDelivery('d2', 'github', 'e', [job]).jobIds).toEqual([1]); // coalesced while queued
    expect(s.counts().queued).toBe(1);
  });
  it('re-queues jobs a crash left running, and fails those out of attempts', async () => {
    const s = await store();
    const p = { kind: 'installation' as const, installationId: 1, action: 'created' as const, repos: [] };
    s.enqueue({ payload: p });
    s.enqueue({ payload: p });
    const a = s.claimNext()!;
    const b = s.claimNext()!;
    expect(s.claimNext()).toBeUndefined();
    s.db.prepare('UPDATE jobs SET attempts = 5 WHERE id = ?').run(b.id);
    expect(s.recoverRunning(5)).toEqual({ requeued: 1, failed: 1 });
    expect(s.getJob(a.id)!.status).toBe('queued');
    expect(s.getJob(b.id)!.status).toBe('failed');
  });
  it("takes turns between repositories: one repository's many queued jobs do not hold up another's", async () => {
    // A PR author opening pull request after pull request (each slow, up to the job budget)
    // queued ahead of every other repository, and the queue served them all first.
    const s = await store();
    const gh = (repo: string, pr: number) => ({
      payload: {
        kind: 'github-check' as const,
        installationId: 1,
        owner: 'o',
        repo,
        headSha: `${pr}`.repeat(40).slice(0, 40),
        prNumber: pr,
        trigger: 'pull_request.opened',
      },
    });
    for (const pr of [1, 2, 3]) s.enqueue(gh('busy', pr));
    s.enqueue(gh('quiet', 4));
    s.enqueue(gh('busy', 5));
    s.enqueue(gh('other', 6));
    const order: number[] = [];
    for (let j = s.claimNext(); j; j = s.claimNext()) {
      order.push((j.payload as { prNumber: number }).prNumber);
      s.completeJob(j.id, { summary: 'ok' });
    }
    // busy, then each repository waiting, then busy again; within a repository, in order
    expect(order).toEqual([1, 4, 6, 2, 3, 5]);
  });

  it('completing a job twice is refused', async () => {
    const s = await store();
    s.enqueue({ payload: { kind: 'installation', installationId: 1, action: 'created', repos: [] } });
    const j = s.claimNext()!;
    s.completeJob(j.id, {
      summary: 'ok',
      results: [{ source: 'o/r', model: 'm', verdict: 'derived', report: {}, markdown: '' }],
    });
    expect(() => s.completeJob(j.id, { summary: 'again' })).toThrow(/not completing it twice/);
    expect(s.resultsForJob(j.id)).toHaveLength(1);
  });
});

describe('queue', () => {
  it('classifies transient failures', () => {
    expect(isTransient(Object.assign(new Error('x'), { status: 502 }))).toBe(true);
    expect(isTransient(Object.assign(new Error('You have exceeded a secondary rate limit'), { status: 403 }))).toBe(
      true,
    );
    expect(isTransient(Object.assign(new Error('Resource not accessible by integration'), { status: 403 }))).toBe(
      false,
    );
    expect(isTransient(Object.assign(new Error('Not Found'), { status: 404 }))).toBe(false);
    expect(
      isTransient(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })),
    ).toBe(true);
    expect(
      isTransient(
        Object.assign(new Error('publish failed'), { causes: [Object.assign(new Error('x'), { status: 500 })] }),
      ),
    ).toBe(true);
    expect(isTransient(new TransientError('later'))).toBe(true);
    expect(isTransient(new Error('bad input'))).toBe(false);
  });
  it('runs at most `concurrency` jobs at once and retries transient failures with backoff', async () => {
    const s = await store();
    for (let i = 0; i < 6; i++)
      s.enqueue({ payload: { kind: 'installation', installationId: i, action: 'created', repos: [] } });
    let active = 0;
    let peak = 0;
    const attempts = new Map<number, number>();
    const q = new Queue({
      store: s,
      concurrency: 2,
      backoffMs: () => 30,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      process: async (job) => {
        active++;
        peak = Math.max(peak, active);
        attempts.set(job.id, (attempts.get(job.id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        if (job.id === 3 && attempts.get(3)! < 3) throw new TransientError('flaky');
        if (job.id === 4) throw new Error('permanent');
        return { summary: 'ok' };
      },
    });
    q.start();
    await q.idle();
    await q.stop();
    expect(peak).toBe(2);
    expect(attempts.get(3)).toBe(3);
    expect(attempts.get(4)).toBe(1);
    expect(s.counts()).toEqual({ queued: 0, running: 0, done: 5, failed: 1 });
    expect(s.getJob(4)!.lastError).toBe('permanent');
  });
});

describe('running pull request jobs (a new head stops the old one)', () => {
  it('asks only the running jobs of the same installation, repository and PR at another head', () => {
    const asked: string[] = [];
    const running = new RunningPullJobs();
    const at = (
      id: string,
      installationId: number,
      owner: string,
      repo: string,
      prNumber: number,
      headSha: string,
    ) => ({
      installationId,
      owner,
      repo,
      prNumber,
      headSha,
      supersede: (newer: string) => asked.push(`${id}<-${newer}`),
    });
    running.add(1, at('pr7', 77, 'acme', 'models', 7, 'a'.repeat(40)));
    running.add(2, at('pr8', 77, 'acme', 'models', 8, 'a'.repeat(40)));
    running.add(3, at('fork', 77, 'acme', 'models-fork', 7, 'a'.repeat(40)));
    running.add(4, at('other-install', 78, 'acme', 'models', 7, 'a'.repeat(40)));
    const pr = (o: { installationId?: number; repo?: string; prNumber?: number; headSha?: string }) => ({
      kind: 'github-check' as const,
      installationId: o.installationId ?? 77,
      owner: 'acme',
      repo: o.repo ?? 'models',
      trigger: 'pull_request.synchronize',
      ...('prNumber' in o ? { prNumber: o.prNumber } : { prNumber: 7 }),
      ...('headSha' in o ? { headSha: o.headSha } : { headSha: 'b'.repeat(40) }),
    });
    const b = 'b'.repeat(40);
    // the same head again (a re-delivery), a push or tag job (no PR), a release (no sha yet), a Hub model
    expect(running.supersede(pr({ headSha: 'a'.repeat(40) }))).toBe(0);
    expect(running.supersede(pr({ prNumber: undefined }))).toBe(0);
    expect(running.supersede(pr({ headSha: undefined }))).toBe(0);
    expect(running.supersede({ kind: 'hf-check', model: `hf:acme/models@${b}`, name: 'acme/models', headSha: b })).toBe(
      0,
    );
    // another repository of the installation, or the same names under another installation
    expect(running.supersede(pr({ repo: 'other' }))).toBe(0);
    expect(running.supersede(pr({ installationId: 79 }))).toBe(0);
    expect(asked).toEqual([]);
    expect(running.supersede(pr({}))).toBe(1);
    expect(asked).toEqual([`pr7<-${b}`]);
    // a finished job is no longer asked
    running.delete(1);
    expect(running.supersede(pr({}))).toBe(0);
    expect(running.supersede(pr({ installationId: 78 }))).toBe(1);
    expect(asked).toEqual([`pr7<-${b}`, `other-install<-${b}`]);
  });
});
