/**
 * The App server on loopback, in process: real HTTP, real SQLite, real App authentication (RSA
 * key → JWT → installation token) against a loopback GitHub, real LFS range reads and the real
 * posting code. Only the verdict comes from the test (see readingAnalyse in helpers.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/app.js';
import type { AppConfig } from '../../src/app/config.js';
import { BodyBudget } from '../../src/app/server.js';
import { FakeGitHubApp } from './fake-github-app.js';
import {
  type Delivery,
  postWebhook,
  prPayload,
  readingAnalyse,
  rsaKeys,
  signBody,
  tempDir,
  testConfig,
  tinyModel,
  waitFor,
} from './helpers.js';
import { encodePyTorch } from '../../src/formats/pytorch/writer.js';

const keys = rsaKeys();
const APP_ID = 4242;
const INSTALLATION = 77;
let gh: FakeGitHubApp;
let running: { app: RunningApp; cleanup: () => Promise<void> }[] = [];
let n = 0;

beforeAll(async () => {
  gh = await FakeGitHubApp.start({ appId: APP_ID, publicKeyPem: keys.publicKey });
});
afterAll(async () => {
  await gh.close();
});
afterEach(async () => {
  for (const r of running) {
    await r.app.close(2000);
    await r.cleanup();
  }
  running = [];
  gh.core.reset();
  gh.faults.length = 0;
  gh.requests.length = 0;
});

async function boot(
  over: Partial<AppConfig> = {},
  opts: {
    calls?: string[];
    maxBodyBytes?: number;
    delayMs?: number;
    realEngine?: boolean;
    bodyBudget?: BodyBudget;
    /** Collects the text of the policy file each analysis was given ('(none)' without one). */
    policies?: string[];
    /** Collects the mode each analysis was asked for. */
    modes?: string[];
    /** Collects, per analysed repository model, the files of its directory as the analysis sees them. */
    dirs?: string[][];
    /** Analyses of models under slow/ never finish by themselves: the job's budget aborts them (said here). */
    stall?: string[];
    /** The models of each analysis that began to stall (under slow/), as the report names them. */
    stalling?: string[];
  } = {},
) {
  const { dir, cleanup } = await tempDir();
  const config = testConfig(dir, { appId: APP_ID, privateKey: keys.privateKey, githubApiUrl: gh.url, ...over });
  const reading = readingAnalyse(
    (name) =>
      name.includes('base') ? { verdict: 'identical', policy: 'fail' } : { verdict: 'independent', policy: 'pass' },
    { calls: opts.calls, delayMs: opts.delayMs },
  );
  const app = await startApp(config, {
    analyse: opts.realEngine
      ? undefined
      : async (job) => {
          opts.policies?.push(job.policy ? readFileSync(job.policy, 'utf8') : '(none)');
          opts.modes?.push(job.mode ?? '(none)');
          for (const m of job.models) if (!m.startsWith('hf:')) opts.dirs?.push(readdirSync(dirname(m)).sort());
          const stalled = opts.stall;
          const slow = (n: string) => n.startsWith('slow/') || n.startsWith('hf:slow/');
          if (stalled && [...Object.values(job.displayNames), ...job.models].some(slow))
            await new Promise((_, reject) => {
              opts.stalling?.push(...job.models.map((m) => job.displayNames[m] ?? m));
              job.signal?.addEventListener('abort', () => {
                stalled.push(String(job.signal?.reason));
                reject(job.signal?.reason);
              });
            });
          return reading(job);
        },
    retryAfterBaseValue: 10,
    queueBackoffMs: () => 50,
    maxBodyBytes: opts.maxBodyBytes,
    bodyBudget: opts.bodyBudget,
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
  running.push({ app, cleanup });
  return app;
}

/**
 * Posts a delivery signed with the App's secret, waits until the queue is idle, and returns the
 * endpoint's answer and the (first) job it queued, as it ended.
 */
async function deliver(app: RunningApp, d: Omit<Delivery, 'secret' | 'signature'>, idleMs?: number) {
  const res = await postWebhook(app.url, { ...d, secret: 's3cret' });
  await app.queue.idle(idleMs);
  const job = app.store.getJob(res.body.jobs[0]);
  if (!job) throw new Error(`delivery ${d.delivery} queued no job: ${JSON.stringify(res.body)}`);
  return { res, job };
}

/** A repo with one LFS-tracked model at a fresh sha. */
function seedRepo(name: string, modelPath = 'models/tiny/model.safetensors', seed = 1): { full: string; sha: string } {
  const sha = (++n).toString(16).padStart(40, 'a');
  const full = `acme/${name}`;
  if (!gh.repos.has(full)) gh.addRepo('acme', name, INSTALLATION);
  gh.addCommit(
    full,
    sha,
    {
      [modelPath]: { lfs: tinyModel(seed) },
      [modelPath.replace(/[^/]+$/, 'config.json')]: { content: '{"model_type":"llama"}' },
      'README.md': { content: '# repo' },
    },
    ['main'],
  ); // the latest commit is the default branch (where non-PR jobs read the manifest)
  return { full, sha };
}

describe('GitHub webhook endpoint', () => {
  it('accepts a signed pull_request, queues one job and posts the check run and sticky comment', async () => {
    const app = await boot();
    const { sha } = seedRepo('models-a');
    gh.core.setPrFiles(7, ['models/tiny/model.safetensors', 'README.md']);
    const { res, job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-signed-1',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-a', number: 7, sha }),
    });
    expect(res.status).toBe(202);
    expect(res.body.queued).toBe(1);
    expect(job.status).toBe('done');
    expect(job.conclusion).toBe('success');

    const runs = gh.core.checkRuns.filter((r) => r.head_sha === sha);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('completed');
    expect(runs[0]!.conclusion).toBe('success');
    expect(runs[0]!.output.summary).toContain('models/tiny/model.safetensors');
    const comments = gh.core.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Weightprint provenance report');

    // Authenticated as the installation, and the weights came by LFS range reads.
    expect(gh.mints.get(INSTALLATION)).toBeGreaterThanOrEqual(1);
    expect(gh.requestsTo('POST', /\.git\/info\/lfs\/objects\/batch$/)).toHaveLength(1);
    const reads = gh.requestsTo('GET', /^\/_lfs\//);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.status === 206 && /^bytes=\d+-\d+$/.test(String(r.headers.range)))).toBe(true);

    const results = app.store.resultsForJob(job.id);
    expect(results.map((r) => [r.model, r.verdict])).toEqual([['models/tiny/model.safetensors', 'independent']]);
  });

  it('adopts only its own sticky comment (<slug>[bot]): a marked comment planted by the PR author stays', async () => {
    const app = await boot();
    const { sha } = seedRepo('models-planted');
    gh.core.setPrFiles(17, ['models/tiny/model.safetensors']);
    const [planted] = gh.core.seedComments(
      17,
      ['<!-- weightprint:report -->\n## Weightprint provenance report\n\npass'],
      {
        login: 'mallory',
        type: 'User',
      },
    );
    const push = async (delivery: string, headSha: string) => {
      const { job } = await deliver(app, {
        event: 'pull_request',
        delivery,
        payload: prPayload({
          installationId: INSTALLATION,
          owner: 'acme',
          repo: 'models-planted',
          number: 17,
          sha: headSha,
        }),
      });
      expect(job.status).toBe('done');
    };
    await push('d-planted-1', sha);
    const comments = gh.core.comments.get(17)!;
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body).toBe(planted!.body);
    expect(comments[1]!.user.login).toBe('weightprint-test[bot]');
    expect(comments[1]!.body).toContain('models/tiny/model.safetensors');
    // The next push edits the App's own comment.
    const sha2 = seedRepo('models-planted', 'models/second/model.safetensors', 2).sha;
    gh.core.setPrFiles(17, ['models/second/model.safetensors']);
    await push('d-planted-2', sha2);
    expect(gh.core.comments.get(17)).toHaveLength(2);
    const patches = gh.requestsTo('PATCH', /\/issues\/comments\/\d+$/);
    expect(patches.map((r) => r.path)).toEqual([`/repos/acme/models-planted/issues/comments/${comments[1]!.id}`]);
  });

  it('runs the real engine (runCheck) on the LFS weights and posts its report', async () => {
    const app = await boot({}, { realEngine: true });
    const { sha } = seedRepo('models-real', 'release/model.safetensors', 42);
    gh.core.setPrFiles(12, ['release/model.safetensors']);
    const { job } = await deliver(
      app,
      {
        event: 'pull_request',
        delivery: 'd-real',
        payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-real', number: 12, sha }),
      },
      60_000,
    );
    expect(job.lastError).toBeNull();
    expect(job.status).toBe('done');
    const [result] = app.store.resultsForJob(job.id);
    expect(result!.model).toBe('release/model.safetensors');
    expect(['identical', 'derived', 'independent', 'inconclusive']).toContain(result!.verdict);
    expect(result!.markdown).toContain('`release/model.safetensors`');
    expect(result!.markdown).not.toContain('weightprint-app-'); // no temp paths leak into reports
    const run = gh.core.checkRuns.find((r) => r.head_sha === sha)!;
    expect(run.status).toBe('completed');
    expect(run.output.summary).toContain('Weightprint provenance report');

    // The manifest's `models:` picks the model; the rest of the file is the policy runCheck loads.
    const sha2 = `${'f'.repeat(39)}1`;
    gh.addCommit(
      'acme/models-real',
      sha2,
      {
        '.github/weightprint.yml': {
          content: 'models:\n  - release/model.safetensors\nmin-confidence: 0.95\nwarn-on: []\n',
        },
        'release/model.safetensors': { lfs: tinyModel(43) },
      },
      ['main'],
    );
    const { job: job2 } = await deliver(
      app,
      {
        event: 'check_suite',
        delivery: 'd-real-2',
        payload: {
          action: 'rerequested',
          check_suite: { head_sha: sha2, pull_requests: [] },
          repository: { name: 'models-real', owner: { login: 'acme' } },
          installation: { id: INSTALLATION },
        },
      },
      60_000,
    );
    expect(job2.lastError).toBeNull();
    expect(app.store.resultsForJob(job2.id).map((r) => r.model)).toEqual(['release/model.safetensors']);

    // A policy typo is the repository's to fix: reported on the check, naming its file, not a temp path.
    const sha3 = `${'f'.repeat(39)}2`;
    gh.addCommit(
      'acme/models-real',
      sha3,
      {
        '.github/weightprint.yml': { content: 'models:\n  - release/model.safetensors\nfail-onn: []\n' },
        'release/model.safetensors': { lfs: tinyModel(44) },
      },
      ['main'],
    );
    const { job: job3 } = await deliver(
      app,
      {
        event: 'check_suite',
        delivery: 'd-real-3',
        payload: {
          action: 'rerequested',
          check_suite: { head_sha: sha3, pull_requests: [] },
          repository: { name: 'models-real', owner: { login: 'acme' } },
          installation: { id: INSTALLATION },
        },
      },
      60_000,
    );
    expect(job3.status).toBe('failed');
    expect(job3.lastError).toMatch(/^\.github\/weightprint\.yml: fail-onn: unknown key/);
    const run3 = gh.core.checkRuns.find((r) => r.head_sha === sha3)!;
    // Fails closed (issue 10): neutral would count as passing for a required check.
    expect(run3).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run3.output.summary).toContain('.github/weightprint.yml: fail-onn: unknown key');
  });

  it.each([
    ['missing signature', { secret: undefined }],
    ['forged signature (wrong secret)', { secret: 'not-the-secret' }],
    ['malformed signature', { signature: 'sha1=deadbeef' }],
    ['stale signature (secret already rotated out)', { secret: 'retired-secret' }],
    ['signature of a different body', { signature: signBody('s3cret', '{"action":"opened"}') }],
  ])('rejects a delivery with a %s: 401, nothing recorded or queued', async (_what, sig) => {
    const app = await boot();
    const { sha } = seedRepo('models-b');
    const res = await postWebhook(app.url, {
      event: 'pull_request',
      delivery: `d-bad-${_what}`,
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-b', number: 1, sha }),
      ...sig,
    });
    expect(res.status).toBe(401);
    expect(app.store.deliveryCount()).toBe(0);
    expect(app.store.counts()).toEqual({ queued: 0, running: 0, done: 0, failed: 0 });
  });

  it('verifies with any secret in the rotation list (old and new both work)', async () => {
    const app = await boot({ webhookSecrets: ['new-secret', 'old-secret'] });
    const { sha } = seedRepo('models-c');
    for (const [i, secret] of ['old-secret', 'new-secret'].entries()) {
      const res = await postWebhook(app.url, {
        event: 'check_suite',
        delivery: `d-rot-${i}`,
        secret,
        payload: {
          action: 'rerequested',
          check_suite: { id: 500 + i, head_sha: sha, pull_requests: [] }, // two events, two bodies
          repository: { name: 'models-c', owner: { login: 'acme' } },
          installation: { id: INSTALLATION },
        },
      });
      expect(res.status).toBe(202);
    }
    const bad = await postWebhook(app.url, {
      event: 'ping',
      delivery: 'd-rot-bad',
      secret: 'older-secret',
      payload: { zen: 'x' },
    });
    expect(bad.status).toBe(401);
  });

  it('processes a redelivered webhook (same X-GitHub-Delivery) once', async () => {
    const calls: string[] = [];
    const app = await boot({}, { calls });
    const { sha } = seedRepo('models-d');
    gh.core.setPrFiles(3, ['models/tiny/model.safetensors']);
    const d = {
      event: 'pull_request',
      delivery: 'd-dup',
      secret: 's3cret',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-d', number: 3, sha }),
    };
    const first = await postWebhook(app.url, d);
    const second = await postWebhook(app.url, d);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.duplicate).toBe(true);
    expect(second.body.jobs).toEqual(first.body.jobs);
    await app.queue.idle();
    // And once more after the job finished: still not processed again.
    expect((await postWebhook(app.url, d)).body.duplicate).toBe(true);
    await app.queue.idle();
    expect(calls).toEqual(['models/tiny/model.safetensors']);
    expect(app.store.counts().done).toBe(1);
    expect(gh.core.checkRuns.filter((r) => r.head_sha === sha)).toHaveLength(1);
  });

  it('refuses bodies over the size cap with 413 and queues nothing', async () => {
    const app = await boot({}, { maxBodyBytes: 4096 });
    const payload = { action: 'opened', padding: 'x'.repeat(10_000) };
    const res = await postWebhook(app.url, { event: 'pull_request', delivery: 'd-big', secret: 's3cret', payload });
    expect(res.status).toBe(413);
    expect(app.store.deliveryCount()).toBe(0);
    // The server is still healthy afterwards.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('recognises a signed body replayed under a new delivery id (body digest), does not queue it twice', async () => {
    const calls: string[] = [];
    const app = await boot({}, { calls });
    const { sha } = seedRepo('models-replay');
    gh.core.setPrFiles(4, ['models/tiny/model.safetensors']);
    const payload = prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-replay', number: 4, sha });
    const first = await postWebhook(app.url, { event: 'pull_request', delivery: 'd-orig', secret: 's3cret', payload });
    // The captured bytes and signature, re-sent with a fresh X-GitHub-Delivery.
    const replay = await postWebhook(app.url, {
      event: 'pull_request',
      delivery: 'd-replay',
      secret: 's3cret',
      payload,
    });
    expect(first.status).toBe(202);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ duplicate: true, replayOf: 'd-orig', jobs: first.body.jobs });
    await app.queue.idle();
    expect(calls).toEqual(['models/tiny/model.safetensors']);
    expect(app.store.deliveryCount()).toBe(1);
    // A different body (another push) is a new delivery.
    const next = await postWebhook(app.url, {
      event: 'pull_request',
      delivery: 'd-next',
      secret: 's3cret',
      payload: { ...payload, action: 'synchronize' },
    });
    expect(next.status).toBe(202);
  });

  it('bounds unauthenticated bodies in flight: partial bodies past the budget get 503; it is freed again', async () => {
    const app = await boot({}, { bodyBudget: new BodyBudget(3, 256 * 1024) });
    const port = new URL(app.url).port;
    const open = (delivery: string, bodyBytes: number) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (d) => (received += d.toString('latin1')));
      socket.on('error', () => {});
      socket.write(
        [
          'POST /api/github/webhooks HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          'Content-Length: 20000000',
          `X-Hub-Signature-256: sha256=${'0'.repeat(64)}`,
          'X-GitHub-Event: pull_request',
          `X-GitHub-Delivery: ${delivery}`,
          '',
          '',
        ].join('\r\n'),
      );
      if (bodyBytes) socket.write(Buffer.alloc(bodyBytes, 0x20));
      return { socket, received: () => received };
    };
    const a = open('burst-a', 100 * 1024);
    const b = open('burst-b', 100 * 1024);
    await waitFor('two bodies buffered', () => app.bodies.active === 2 && app.bodies.bytes === 200 * 1024);
    const c = open('burst-c', 100 * 1024); // would take the buffered bytes past 256 KiB
    await waitFor('503 for the body past the byte budget', () => c.received().startsWith('HTTP/1.1 503'));
    expect(app.bodies.bytes).toBeLessThanOrEqual(256 * 1024);
    const d = open('burst-d', 0);
    await waitFor('third body in flight', () => app.bodies.active === 3);
    const e = open('burst-e', 10);
    await waitFor('503 past the body count', () => e.received().startsWith('HTTP/1.1 503'));
    expect(e.received()).toContain('too many request bodies in flight');
    expect(app.bodies.active).toBe(3);
    for (const x of [a, b, c, d, e]) x.socket.destroy();
    await waitFor('budget freed', () => app.bodies.active === 0 && app.bodies.bytes === 0);
    const { sha } = seedRepo('models-burst');
    const ok = await postWebhook(app.url, {
      event: 'pull_request',
      delivery: 'd-after-burst',
      secret: 's3cret',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-burst', number: 2, sha }),
    });
    expect(ok.status).toBe(202);
    expect(app.store.deliveryCount()).toBe(1);
  });

  it('ignores events it does not act on (200, nothing queued) and answers ping', async () => {
    const app = await boot();
    const closed = await postWebhook(app.url, {
      event: 'pull_request',
      delivery: 'd-closed',
      secret: 's3cret',
      payload: prPayload({
        installationId: INSTALLATION,
        owner: 'acme',
        repo: 'x',
        number: 1,
        sha: 'f'.repeat(40),
        action: 'closed',
      }),
    });
    expect(closed.status).toBe(200);
    expect(closed.body.queued).toBe(0);
    const ping = await postWebhook(app.url, {
      event: 'ping',
      delivery: 'd-ping',
      secret: 's3cret',
      payload: { zen: 'Keep it simple.' },
    });
    expect(ping.status).toBe(200);
    expect(app.store.counts().queued).toBe(0);
  });
});

describe('events', () => {
  it('release published: resolves the tag and checks every safetensors file of that commit', async () => {
    const app = await boot();
    const { sha } = seedRepo('models-rel', 'weights/base/model.safetensors');
    gh.repos.get('acme/models-rel')!.refs.set('v1.0.0', sha);
    const { res } = await deliver(app, {
      event: 'release',
      delivery: 'd-rel',
      payload: {
        action: 'published',
        release: { tag_name: 'v1.0.0' },
        repository: { name: 'models-rel', owner: { login: 'acme' } },
        installation: { id: INSTALLATION },
      },
    });
    expect(res.status).toBe(202);
    const run = gh.core.checkRuns.find((r) => r.head_sha === sha)!;
    expect(run.conclusion).toBe('failure'); // "base" → identical + policy fail in this test's table
    expect(gh.core.comments.size).toBe(0); // no PR, no comment
  });

  it('push of a tag and check_run rerequested both queue a check; a branch push does not', async () => {
    const app = await boot();
    const { sha } = seedRepo('models-tag');
    const repository = { name: 'models-tag', owner: { login: 'acme' } };
    const tag = await postWebhook(app.url, {
      event: 'push',
      delivery: 'd-tag',
      secret: 's3cret',
      payload: {
        ref: 'refs/tags/v2',
        after: 'b'.repeat(40),
        deleted: false,
        head_commit: { id: sha },
        repository,
        installation: { id: INSTALLATION },
      },
    });
    const branch = await postWebhook(app.url, {
      event: 'push',
      delivery: 'd-branch',
      secret: 's3cret',
      payload: {
        ref: 'refs/heads/main',
        after: sha,
        head_commit: { id: sha },
        repository,
        installation: { id: INSTALLATION },
      },
    });
    expect(tag.status).toBe(202);
    expect(branch.status).toBe(200);
    await app.queue.idle();
    const { res: rerun } = await deliver(app, {
      event: 'check_run',
      delivery: 'd-rerun',
      payload: {
        action: 'rerequested',
        check_run: { head_sha: sha, name: 'Weightprint', pull_requests: [] },
        repository,
        installation: { id: INSTALLATION },
      },
    });
    expect(rerun.status).toBe(202);
    expect(gh.core.checkRuns.filter((r) => r.head_sha === sha && r.status === 'completed')).toHaveLength(2);
  });

  it('the base manifest lists the models; a PR touching no weights with no base manifest gets no check', async () => {
    const app = await boot();
    const sha = 'c'.repeat(40);
    gh.addRepo('acme', 'docs-only', INSTALLATION);
    gh.addCommit('acme/docs-only', sha, { 'README.md': { content: 'hi' } });
    gh.core.setPrFiles(11, ['README.md']);
    const { job: job1 } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-docs',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'docs-only', number: 11, sha }),
    });
    expect(job1.summary).toMatch(/no models referenced/);
    expect(gh.core.checkRuns.filter((r) => r.head_sha === sha)).toHaveLength(0);

    // The base branch's manifest lists the model: it is checked although the PR does not touch it.
    const base = 'e'.repeat(40);
    gh.addCommit('acme/docs-only', base, {
      '.github/weightprint.yml': { content: 'models:\n  - release/model.safetensors\n' },
      'release/model.safetensors': { lfs: tinyModel(9) },
    });
    const sha2 = 'd'.repeat(40);
    gh.addCommit('acme/docs-only', sha2, {
      '.github/weightprint.yml': { content: 'models:\n  - release/model.safetensors\n' },
      'release/model.safetensors': { lfs: tinyModel(9) },
      'README.md': { content: 'hi again' },
    });
    const { job: job2 } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-manifest',
      payload: prPayload({
        installationId: INSTALLATION,
        owner: 'acme',
        repo: 'docs-only',
        number: 11,
        sha: sha2,
        baseSha: base,
        action: 'synchronize',
      }),
    });
    expect(app.store.resultsForJob(job2.id).map((r) => r.model)).toEqual(['release/model.safetensors']);
  });

  it("a PR chooses neither policy nor models: the base branch's manifest applies, a listed model stays", async () => {
    const policies: string[] = [];
    const app = await boot({}, { policies });
    gh.addRepo('acme', 'gated', INSTALLATION);
    const base = '1a'.repeat(20);
    gh.addCommit('acme/gated', base, {
      '.github/weightprint.yml': {
        content: 'models:\n  - release/model.safetensors\nfail-on: [identical, derived]\n',
      },
      'release/model.safetensors': { lfs: tinyModel(11) },
      'tuned/model.safetensors': { lfs: tinyModel(12) },
      'tuned/config.json': { content: '{"model_type":"llama"}' },
    });
    // The PR empties the list, relaxes the policy, deletes the listed model, adds a new one and
    // changes only the config of another.
    const head = '1b'.repeat(20);
    gh.addCommit('acme/gated', head, {
      '.github/weightprint.yml': { content: 'models: []\nfail-on: []\nwarn-on: []\n' },
      'added/model.safetensors': { lfs: tinyModel(13) },
      'tuned/model.safetensors': { lfs: tinyModel(12) },
      'tuned/config.json': { content: '{"model_type":"llama","num_hidden_layers":2}' },
    });
    gh.core.setPrFiles(41, [
      '.github/weightprint.yml',
      { filename: 'release/model.safetensors', status: 'removed' },
      { filename: 'added/model.safetensors', status: 'added' },
      'tuned/config.json',
    ]);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-gated',
      payload: prPayload({
        installationId: INSTALLATION,
        owner: 'acme',
        repo: 'gated',
        number: 41,
        sha: head,
        baseSha: base,
      }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(policies).toEqual(['fail-on:\n  - identical\n  - derived\n']); // the base's policy, not the PR's
    const results = app.store.resultsForJob(job.id).map((r) => [r.model, r.verdict]);
    expect(results).toEqual([
      ['release/model.safetensors', 'error'],
      ['added/model.safetensors', 'independent'],
      ['tuned/model.safetensors', 'independent'],
    ]);
    const run = gh.core.checkRuns.find((r) => r.head_sha === head)!;
    expect(run.output.summary).toMatch(/listed in \.github\/weightprint\.yml on the base branch/);
  });

  it("a PR into another branch is held to the default branch's policy, not that branch's manifest", async () => {
    // A collaborator pushes branch `lax` with a relaxed manifest and opens the copy's PR into it:
    // the check run on that head commit used to pass under `lax`'s policy, and GitHub counts the
    // latest run of the name on the commit, so it stood for the PR of the same commit into main.
    const policies: string[] = [];
    const modes: string[] = [];
    const app = await boot({}, { policies, modes });
    gh.addRepo('acme', 'branchy', INSTALLATION);
    const main = '2a'.repeat(20);
    const strict = 'mode: full\nfail-on: [identical, derived]\n';
    gh.addCommit('acme/branchy', main, { '.github/weightprint.yml': { content: strict } }, ['main']);
    const lax = '2b'.repeat(20);
    const relaxed = 'models:\n  - listed/model.safetensors\nmode: sketch\nfail-on: []\nwarn-on: []\n';
    gh.addCommit('acme/branchy', lax, { '.github/weightprint.yml': { content: relaxed } }, ['lax']);
    const head = '2c'.repeat(20);
    gh.addCommit('acme/branchy', head, {
      'copy/model.safetensors': { lfs: tinyModel(21) },
      'listed/model.safetensors': { lfs: tinyModel(22) },
    });
    gh.core.setPrFiles(43, [{ filename: 'copy/model.safetensors', status: 'added' }]);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-branchy',
      payload: prPayload({
        installationId: INSTALLATION,
        owner: 'acme',
        repo: 'branchy',
        number: 43,
        sha: head,
        baseSha: lax,
        baseRef: 'lax',
      }),
    });
    expect(job).toMatchObject({ status: 'done' });
    // the default branch's policy; the models: the base's list and the PR's changes
    expect(policies).toEqual(['fail-on:\n  - identical\n  - derived\n']);
    // and its mode: a sketch (the lax branch's) misses a transposed copy that a full read sees
    expect(modes).toEqual(['full']);
    expect(app.store.resultsForJob(job.id).map((r) => r.model)).toEqual([
      'copy/model.safetensors',
      'listed/model.safetensors',
    ]);
  });

  it('a re-run without a pull request reads the manifest from the default branch, not the tested commit', async () => {
    const policies: string[] = [];
    const app = await boot({}, { policies });
    gh.addRepo('acme', 'rerun', INSTALLATION);
    const main = '2a'.repeat(20);
    gh.addCommit('acme/rerun', main, { '.github/weightprint.yml': { content: 'fail-on: [identical]\n' } }, ['main']);
    const head = '2b'.repeat(20); // e.g. a fork's head commit: check_suite carries no pull request for forks
    gh.addCommit('acme/rerun', head, {
      '.github/weightprint.yml': { content: 'fail-on: []\n' },
      'm/model.safetensors': { lfs: tinyModel(14) },
    });
    const { job } = await deliver(app, {
      event: 'check_suite',
      delivery: 'd-rerun-main',
      payload: {
        action: 'rerequested',
        check_suite: { head_sha: head, pull_requests: [] },
        repository: { name: 'rerun', owner: { login: 'acme' } },
        installation: { id: INSTALLATION },
      },
    });
    expect(job.status).toBe('done');
    expect(policies).toEqual(['fail-on:\n  - identical\n']);
  });

  it('fails closed: a broken manifest fails job and check; corrupt weights fail the check, saying why', async () => {
    const app = await boot();
    gh.addRepo('acme', 'broken', INSTALLATION);
    const bad = 'b'.repeat(40);
    gh.addCommit('acme/broken', bad, { '.github/weightprint.yml': { content: 'models: hf:not-a-list' } }, ['main']);
    const corrupt = '9'.repeat(40);
    gh.addCommit('acme/broken', corrupt, { 'model.safetensors': { lfs: Buffer.from('not safetensors at all') } });
    gh.core.setPrFiles(21, ['model.safetensors']);
    const r1 = await postWebhook(app.url, {
      event: 'check_suite',
      delivery: 'd-broken-1',
      secret: 's3cret',
      payload: {
        action: 'rerequested',
        check_suite: { head_sha: bad, pull_requests: [] },
        repository: { name: 'broken', owner: { login: 'acme' } },
        installation: { id: INSTALLATION },
      },
    });
    const { job: job2 } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-broken-2',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'broken', number: 21, sha: corrupt }),
    });
    expect(app.store.getJob(r1.body.jobs[0])!.status).toBe('failed');
    const runBad = gh.core.checkRuns.filter((r) => r.head_sha === bad);
    expect(runBad).toHaveLength(1);
    expect(runBad[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(runBad[0]!.output.summary).toContain('\\`models\\` must be a list');
    // The corrupt model is that model's error: the job completes, the check fails and says why.
    expect(job2).toMatchObject({ status: 'done', conclusion: 'failure' });
    const runCorrupt = gh.core.checkRuns.filter((r) => r.head_sha === corrupt);
    expect(runCorrupt).toHaveLength(1); // the in-progress run was completed, not duplicated
    expect(runCorrupt[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(runCorrupt[0]!.output.summary).toMatch(/1 model could not be analysed[\s\S]*model\.safetensors/);
    expect(gh.core.comments.get(21)![0]!.body).toContain('could not be analysed');
    expect(app.store.resultsForJob(job2.id).map((r) => [r.model, r.verdict, r.policy])).toEqual([
      ['model.safetensors', 'error', 'fail'],
    ]);
  });

  it('errors are per model: junk bytes and a missing LFS object fail the check, good models are analysed', async () => {
    const app = await boot({}, { realEngine: true });
    gh.addRepo('acme', 'mixed', INSTALLATION);
    const sha = '5'.repeat(40);
    const missingOid = 'ab'.repeat(32);
    gh.addCommit('acme/mixed', sha, {
      'good/model.safetensors': { lfs: tinyModel(31) },
      'junk/model.safetensors': { content: Buffer.from('\x00junk bytes, not a safetensors header'.repeat(20)) },
      'gone/model.safetensors': {
        content: `version https://git-lfs.github.com/spec/v1\noid sha256:${missingOid}\nsize 4096\n`,
      },
    });
    gh.core.setPrFiles(33, ['good/model.safetensors', 'junk/model.safetensors', 'gone/model.safetensors']);
    const { job } = await deliver(
      app,
      {
        event: 'pull_request',
        delivery: 'd-mixed',
        payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'mixed', number: 33, sha }),
      },
      60_000,
    );
    expect(job.lastError).toBeNull();
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    const byModel = Object.fromEntries(app.store.resultsForJob(job.id).map((r) => [r.model, r]));
    expect(Object.keys(byModel).sort()).toEqual([
      'gone/model.safetensors',
      'good/model.safetensors',
      'junk/model.safetensors',
    ]);
    expect(byModel['good/model.safetensors']!.verdict).not.toBe('error'); // analysed by the real engine
    expect(byModel['junk/model.safetensors']!.verdict).toBe('error');
    expect(byModel['gone/model.safetensors']!.verdict).toBe('error');
    expect((byModel['gone/model.safetensors']!.report as { error: string }).error).toMatch(
      /^gone\/model\.safetensors: Git LFS object sha256:abab.*Object does not exist/,
    );
    const run = gh.core.checkRuns.find((r) => r.head_sha === sha)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.output.title).toBe('2 of 3 models could not be analysed (check fails)');
    expect(run.output.summary).toContain('`good/model.safetensors`');
    expect(run.output.summary).toMatch(/2 models could not be analysed/);
    expect(run.output.summary).not.toContain('weightprint-app-'); // no temp paths
  });

  it('a shard an index names under a non-weights name (`part-1.weights`), changed alone, is not left out', async () => {
    // The index landed earlier; this PR swaps only the shard's bytes. No trigger name changed, so
    // the App used to find no model to check. The App materialises weights names only, so the
    // model now fails closed (its shard is not read) instead of passing unseen.
    const app = await boot();
    gh.addRepo('acme', 'oddshard', INSTALLATION);
    const sha = '6b'.repeat(20);
    const index = JSON.stringify({ weight_map: { 'w.weight': 'part-1.weights' } });
    gh.addCommit('acme/oddshard', sha, {
      'odd/model.safetensors.index.json': { content: index },
      'odd/part-1.weights': { lfs: tinyModel(41) },
      'docs/notes.md': { content: 'unrelated' },
    });
    gh.core.setPrFiles(44, ['odd/part-1.weights']);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-oddshard',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'oddshard', number: 44, sha }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(app.store.resultsForJob(job.id).map((r) => [r.model, r.verdict])).toEqual([
      ['odd/model.safetensors.index.json', 'error'],
    ]);
  });

  it('past WEIGHTPRINT_MAX_MODELS models in one commit the check fails closed, reading none', async () => {
    // Thousands of tiny models would hold the queue for hours; past the limit the check fails.
    const calls: string[] = [];
    const app = await boot({ maxModels: 2 }, { calls });
    gh.addRepo('acme', 'many-models', INSTALLATION);
    const sha = '6d'.repeat(20);
    gh.addCommit('acme/many-models', sha, {
      'a/model.safetensors': { lfs: tinyModel(51) },
      'b/model.safetensors': { lfs: tinyModel(52) },
      'c/model.safetensors': { lfs: tinyModel(53) },
    });
    gh.core.setPrFiles(46, ['a/model.safetensors', 'b/model.safetensors', 'c/model.safetensors']);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-many-models',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'many-models', number: 46, sha }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(calls).toEqual([]);
    const results = app.store.resultsForJob(job.id);
    expect(results.map((r) => [r.model, r.verdict])).toEqual([['.', 'error']]);
    expect((results[0]!.report as { error: string }).error).toMatch(
      /^3 models or more to analyse at 6d6d6d6, more than/,
    );
  });

  it('one directory of many weights files fails closed before any is copied (one API request each)', async () => {
    // Each file is a blob request on the installation's rate limit, shared by every repository it
    // covers: a PR adding thousands of tiny weights files in one directory (one "model" until
    // opened) spent them all before the models were counted.
    const calls: string[] = [];
    const app = await boot({ maxModels: 2 }, { calls });
    gh.addRepo('acme', 'many-files', INSTALLATION);
    const sha = '6e'.repeat(20);
    const files: Record<string, { lfs: ReturnType<typeof tinyModel> }> = {};
    for (let i = 0; i < 30; i++) files[`m/part${i}.safetensors`] = { lfs: tinyModel(60 + i) };
    gh.addCommit('acme/many-files', sha, files);
    gh.core.setPrFiles(49, Object.keys(files));
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-many-files',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'many-files', number: 49, sha }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(calls).toEqual([]);
    expect(gh.requestsTo('GET', /\/git\/blobs\//)).toHaveLength(0);
    const results = app.store.resultsForJob(job.id);
    expect(results.map((r) => [r.model, r.verdict])).toEqual([['.', 'error']]);
    expect((results[0]!.report as { error: string }).error).toMatch(
      /^30 files to read at 6e6e6e6, more than one check reads \(20: 10 per model of WEIGHTPRINT_MAX_MODELS\)/,
    );
  });

  it("a pull request's commits pushed since are not checked, only its current head (the queue is shared)", async () => {
    // A PR author pushing commit after commit queued a job for each, every one read and analysed
    // in turn (each up to WEIGHTPRINT_JOB_TIMEOUT) while every other repository's checks waited.
    const calls: string[] = [];
    const app = await boot({ concurrency: 1 }, { calls });
    gh.addRepo('acme', 'busy-pr', INSTALLATION);
    const heads = ['71', '72', '73'].map((x) => x.repeat(20));
    heads.forEach((sha, i) => {
      gh.addCommit('acme/busy-pr', sha, { 'm/model.safetensors': { lfs: tinyModel(70 + i) } });
    });
    gh.core.setPrFiles(50, ['m/model.safetensors']);
    // the pull request as GitHub has it now: its last push
    gh.core.pulls.push({
      number: 50,
      state: 'open',
      head: { sha: heads[2]!, ref: 'feature', label: 'fork:feature' },
      base: { sha: '0'.repeat(40), ref: 'main' },
    });
    const ids: number[] = [];
    for (const sha of heads) {
      const res = await postWebhook(app.url, {
        event: 'pull_request',
        delivery: `d-busy-${sha}`,
        secret: 's3cret',
        payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'busy-pr', number: 50, sha }),
      });
      ids.push(...res.body.jobs);
    }
    await app.queue.idle();
    expect(calls).toEqual(['m/model.safetensors']);
    expect(gh.core.checkRuns.map((r) => r.head_sha)).toEqual([heads[2]]);
    const [first, second, last] = ids.map((id) => app.store.getJob(id)!);
    for (const old of [first!, second!]) {
      expect(old).toMatchObject({ status: 'done' });
      expect(old.summary).toBe(`superseded: pull request #50 is now at ${heads[2]!.slice(0, 7)}`);
    }
    expect(last).toMatchObject({ status: 'done', conclusion: 'success' });

    // an API answer lagging behind the webhooks (it still names an earlier head, with no job after
    // this one): the commit the webhook names is checked all the same
    const lagging = '74'.repeat(20);
    gh.addCommit('acme/busy-pr', lagging, { 'm/model.safetensors': { lfs: tinyModel(74) } });
    gh.core.setPrFiles(51, ['m/model.safetensors']);
    gh.core.pulls.push({ number: 51, state: 'open', head: { sha: heads[0]!, ref: 'other', label: 'fork:other' } });
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-busy-lagging',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'busy-pr', number: 51, sha: lagging }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'success' });
    expect(gh.core.checkRuns.map((r) => r.head_sha)).toEqual([heads[2], lagging]);
  });

  it('a retry of a head its PR moved past concludes the check run its first attempt started: cancelled', async () => {
    // The skip used to apply only to jobs without a check run: a retried (or restart-recovered) job
    // of an old head was analysed in full again, ahead of the new head.
    const calls: string[] = [];
    const app = await boot({ concurrency: 1 }, { calls });
    await app.queue.stop(0); // the jobs are laid out as an earlier attempt left them, then the queue starts
    gh.addRepo('acme', 'retried-pr', INSTALLATION);
    const [old, head] = ['91', '92'].map((x) => x.repeat(20)) as [string, string];
    gh.addCommit('acme/retried-pr', old, { 'm/model.safetensors': { lfs: tinyModel(91) } });
    gh.addCommit('acme/retried-pr', head, { 'm/model.safetensors': { lfs: tinyModel(92) } });
    gh.core.setPrFiles(52, ['m/model.safetensors']);
    gh.core.pulls.push({
      number: 52,
      state: 'open',
      head: { sha: head, ref: 'feature', label: 'fork:feature' },
      base: { sha: '0'.repeat(40), ref: 'main' },
    });
    const run = {
      id: 990_001,
      name: 'Weightprint',
      head_sha: old,
      status: 'in_progress',
      conclusion: null,
      output: {},
      annotations: [],
      annotationBatches: [],
      updates: 0,
    };
    gh.core.checkRuns.push(run); // started by the first attempt, which then failed (or the App restarted)
    const check = (headSha: string) => ({
      payload: {
        kind: 'github-check' as const,
        installationId: INSTALLATION,
        owner: 'acme',
        repo: 'retried-pr',
        headSha,
        prNumber: 52,
        trigger: 'pull_request.synchronize',
      },
    });
    const oldId = app.store.enqueue(check(old));
    app.store.saveCheckpoint(oldId, { headSha: old, checkRunId: run.id });
    const headId = app.store.enqueue(check(head));
    app.queue.start();
    await app.queue.idle();
    expect(app.store.getJob(oldId)).toMatchObject({
      status: 'done',
      conclusion: 'cancelled',
      summary: 'cancelled at 9191919, superseded: pull request #52 is now at 9292929',
    });
    expect(run).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(run.output).toMatchObject({
      summary: 'Cancelled: pull request #52 is now at 9292929, which is checked instead.',
    });
    expect(calls).toEqual(['m/model.safetensors']); // the new head's model, read once
    expect(app.store.getJob(headId)).toMatchObject({ status: 'done', conclusion: 'success' });
    expect(gh.core.checkRuns.filter((r) => r.head_sha === head)).toMatchObject([{ conclusion: 'success' }]);
  });

  it('a new head of a PR cancels the running check of its old head; another PR or the same head does not', async () => {
    // A PR author pushing again and again kept a slot analysing each push in full while the newest head waited.
    const stall: string[] = [];
    const stalling: string[] = [];
    const app = await boot({ concurrency: 3 }, { stall, stalling });
    gh.addRepo('acme', 'pushy', INSTALLATION);
    const [old, other, head] = ['81', '82', '83'].map((x) => x.repeat(20)) as [string, string, string];
    gh.addCommit('acme/pushy', old, { 'slow/model.safetensors': { lfs: tinyModel(81) } });
    gh.addCommit('acme/pushy', other, { 'other/model.safetensors': { lfs: tinyModel(82) } });
    gh.addCommit('acme/pushy', head, { 'fast/model.safetensors': { lfs: tinyModel(83) } });
    gh.core.setPrFiles(60, ['slow/model.safetensors']);
    gh.core.setPrFiles(61, ['other/model.safetensors']);
    const pr60 = { number: 60, state: 'open' as const, head: { sha: old, ref: 'feature', label: 'fork:feature' } };
    gh.core.pulls.push(pr60, { number: 61, state: 'open', head: { sha: other, ref: 'other', label: 'fork:other' } });
    const pr = (number: number, sha: string, action: string) =>
      prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'pushy', number, sha, action });
    const first = { event: 'pull_request', delivery: 'd-pushy-old', secret: 's3cret', payload: pr(60, old, 'opened') };
    const stalled = (await postWebhook(app.url, first)).body.jobs;
    await waitFor('the old head stalls in its analysis', () => stalling.length === 1);

    // a synchronize of another pull request of the repository: checked beside it, stops nothing
    const [otherId] = (
      await postWebhook(app.url, { ...first, delivery: 'd-pushy-61', payload: pr(61, other, 'synchronize') })
    ).body.jobs;
    await waitFor('the other pull request checked', () => app.store.getJob(otherId!)!.status === 'done');
    expect(app.store.getJob(otherId!)).toMatchObject({ status: 'done', conclusion: 'success' });
    // the same head again: re-delivered (nothing queued), then reopened (a second job for the same commit)
    expect((await postWebhook(app.url, first)).body.duplicate).toBe(true);
    const again = { ...first, delivery: 'd-pushy-old-again', payload: pr(60, old, 'reopened') };
    stalled.push(...(await postWebhook(app.url, again)).body.jobs);
    await waitFor('the same head stalls again', () => stalling.length === 2);
    // a delivery naming a commit GitHub does not call the head (an earlier push, delivered late)
    const late = '84'.repeat(20);
    gh.addCommit('acme/pushy', late, { 'README.md': { content: 'an earlier push' } });
    const [lateId] = (
      await postWebhook(app.url, { ...first, delivery: 'd-pushy-late', payload: pr(60, late, 'synchronize') })
    ).body.jobs;
    await waitFor('the late delivery handled', () => ['done', 'failed'].includes(app.store.getJob(lateId!)!.status));
    expect(stalled.map((id) => app.store.getJob(id)!.status)).toEqual(['running', 'running']);
    expect(stall).toEqual([]);

    // the pull request's next push: both checks of the old head stop, the new head is checked
    pr60.head.sha = head;
    gh.core.setPrFiles(60, ['fast/model.safetensors']);
    const { job: headJob } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-pushy-head',
      payload: pr(60, head, 'synchronize'),
    });
    expect(headJob).toMatchObject({ status: 'done', conclusion: 'success' });
    expect(stall).toEqual(['Error: superseded by 8383838', 'Error: superseded by 8383838']);
    for (const id of stalled) {
      expect(app.store.getJob(id)).toMatchObject({
        status: 'done',
        conclusion: 'cancelled',
        summary: 'cancelled at 8181818, superseded: pull request #60 is now at 8383838',
      });
      expect(app.store.resultsForJob(id)).toEqual([]); // nothing stored for a commit it did not check
    }
    const runsAt = (sha: string) => gh.core.checkRuns.filter((r) => r.head_sha === sha);
    expect(runsAt(old)).toHaveLength(2);
    for (const run of runsAt(old)) {
      expect(run).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
      expect(run.output.title).toBe('Weightprint cancelled: superseded by 8383838');
      expect(run.output.summary).toBe('Cancelled: pull request #60 is now at 8383838, which is checked instead.');
    }
    expect(runsAt(head)).toMatchObject([{ status: 'completed', conclusion: 'success' }]);
    expect(runsAt(other)).toMatchObject([{ status: 'completed', conclusion: 'success' }]);
    // the sticky comment is the new head's report, nothing of the cancelled checks
    expect((gh.core.comments.get(60) ?? []).map((c) => c.body.includes('fast/model.safetensors'))).toEqual([true]);
  });

  it('a job past WEIGHTPRINT_JOB_TIMEOUT fails its check saying so, posts no comment; the queue moves on', async () => {
    // An analysis that never ends (a PR engineered to be slow) used to hold its queue slot for good.
    const stall: string[] = [];
    const app = await boot({ jobTimeoutSeconds: 0.5, concurrency: 1 }, { stall });
    const slow = seedRepo('slow-pr', 'slow/model.safetensors');
    const next = seedRepo('next-pr', 'fast/model.safetensors');
    gh.core.setPrFiles(47, ['slow/model.safetensors']);
    const post = (repo: string, sha: string, number: number) =>
      deliver(app, {
        event: 'pull_request',
        delivery: `d-${repo}`,
        payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo, number, sha }),
      });
    const { job } = await post('slow-pr', slow.sha, 47);
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure', attempts: 1 });
    expect(job.summary).toBe(`timed out after 0.5 s at ${slow.sha.slice(0, 7)}: failure`);
    // the work was told to stop wherever the budget found it (reading, or in the analysis)
    for (const reason of stall) expect(reason).toBe('Error: timed out after 0.5 s');
    const runs = gh.core.checkRuns.filter((r) => r.head_sha === slow.sha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(runs[0]!.output?.title).toBe('Weightprint timed out after 0.5 s');
    expect(runs[0]!.output?.summary).toMatch(/^## Weightprint could not check this commit\n\ntimed out after 0\.5 s/);
    // once its analysis started (it stalls there), the model the budget found is named
    if (stall.length) expect(runs[0]!.output?.summary).toContain(' while reading slow/model.safetensors: ');
    expect(gh.core.comments.get(47) ?? []).toHaveLength(0); // nothing half-published
    expect(app.store.resultsForJob(job.id).map((r) => [r.model, r.verdict])).toEqual([['.', 'error']]);
    // the one slot is free again: the next pull request is checked
    gh.core.setPrFiles(48, ['fast/model.safetensors']);
    const { job: after } = await post('next-pr', next.sha, 48);
    // (its conclusion is not the point: a real check may take longer than this test's tiny budget)
    expect(after).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a submodule the PR moves to another commit fails closed: the App cannot read its weights', async () => {
    const app = await boot();
    gh.addRepo('acme', 'submod', INSTALLATION);
    const sha = '6c'.repeat(20);
    gh.addCommit('acme/submod', sha, {
      'vendor/release': { gitlink: 'f'.repeat(40) },
      'README.md': { content: 'hi' },
    });
    gh.core.setPrFiles(45, ['vendor/release']);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-submod',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'submod', number: 45, sha }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    const results = app.store.resultsForJob(job.id);
    expect(results.map((r) => [r.model, r.verdict])).toEqual([['vendor/release', 'error']]);
    expect((results[0]!.report as { error: string }).error).toMatch(/^vendor\/release: a submodule the pull request/);
  });

  it('every weights set of a changed directory is analysed: a copy beside a decoy, any format or case', async () => {
    // The App used to hand the analysis model.safetensors alone (and skip a directory whose
    // weights were not named *.safetensors): a copied checkpoint beside it went unread.
    const calls: string[] = [];
    const app = await boot({}, { calls });
    gh.addRepo('acme', 'decoy', INSTALLATION);
    const sha = '6'.repeat(40);
    const torch = (seed: number) =>
      Buffer.from(
        encodePyTorch([
          { name: 'w', dtype: 'F32', shape: [4, 4], data: new Uint8Array(tinyModel(seed).subarray(0, 64)) },
        ]),
      );
    gh.addCommit('acme/decoy', sha, {
      'm/model.safetensors': { lfs: tinyModel(51) },
      'm/base-copy.bin': { lfs: torch(52) },
      'm/config.json': { content: '{"model_type":"llama"}' },
      'n/Model.SafeTensors': { lfs: tinyModel(53) },
    });
    gh.core.setPrFiles(34, ['m/base-copy.bin', 'n/Model.SafeTensors']);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-decoy',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'decoy', number: 34, sha }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(calls.sort()).toEqual(['m/base-copy.bin', 'm/model.safetensors', 'n/Model.SafeTensors']);
    expect(app.store.resultsForJob(job.id).map((r) => [r.model, r.verdict])).toEqual([
      ['m/base-copy.bin', 'identical'],
      ['m/model.safetensors', 'independent'],
      ['n/Model.SafeTensors', 'independent'],
    ]);
  });

  it('a repository too large to list in one tree: changed models are found, unseen ones fail closed', async () => {
    // GitHub truncates a recursive tree past 100,000 entries. The App used to take the partial
    // list as the repository: a copy in a directory left off was "no models referenced", no check.
    const calls: string[] = [];
    const dirs: string[][] = [];
    const app = await boot({}, { calls, dirs });
    gh.addRepo('acme', 'huge', INSTALLATION);
    gh.truncateTrees('acme/huge', 3);
    const sha = '7'.repeat(40);
    const torch = Buffer.from(
      encodePyTorch([{ name: 'w', dtype: 'F32', shape: [4, 4], data: new Uint8Array(tinyModel(62).subarray(0, 64)) }]),
    );
    gh.addCommit('acme/huge', sha, {
      'docs/a.md': { content: 'a' },
      'docs/b.md': { content: 'b' },
      'docs/c.md': { content: 'c' },
      'm/model.safetensors': { lfs: tinyModel(61) },
      'm/base-copy.bin': { lfs: torch },
      'm/config.json': { content: '{"model_type":"llama"}' },
      'm/tokenizer.model': { content: 'sentencepiece bytes' },
    });
    gh.core.setPrFiles(35, [
      'm/base-copy.bin',
      { filename: 'm/ghost.safetensors', status: 'added' },
      // an export no reader opens: an error of its own, never passed unread
      { filename: 'm/onnx/model.onnx', status: 'added' },
    ]);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-huge',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'huge', number: 35, sha }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(calls.sort()).toEqual(['m/base-copy.bin', 'm/model.safetensors']);
    expect(app.store.resultsForJob(job.id).map((r) => [r.model, r.verdict])).toEqual([
      // a weights file the PR adds that the head does not hold is an error, not a skip
      ['m/onnx/model.onnx', 'error'],
      ['m/ghost.safetensors', 'error'],
      ['m/base-copy.bin', 'identical'],
      ['m/model.safetensors', 'independent'],
    ]);
    // the side files the fingerprint reads, SentencePiece's tokenizer.model included
    expect(dirs[0]).toEqual(['base-copy.bin', 'config.json', 'model.safetensors', 'tokenizer.model']);
    const run = gh.core.checkRuns.find((c) => c.head_sha === sha)!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain('m/ghost.safetensors: changed by the pull request but not a file of its head');
    expect(run.output.summary).toContain('ONNX weights cannot be read by Weightprint, so it cannot vouch for them');

    // a push of a tag (every model of the commit) cannot be listed whole: fails closed, saying why
    const tagSha = '8'.repeat(40);
    gh.addCommit(
      'acme/huge',
      tagSha,
      {
        'docs/a.md': { content: 'a' },
        'docs/b.md': { content: 'b' },
        'docs/c.md': { content: 'c' },
        'm/model.safetensors': { lfs: tinyModel(61) },
      },
      ['main', 'v1'],
    );
    const { job: tagJob } = await deliver(app, {
      event: 'push',
      delivery: 'd-huge-tag',
      payload: {
        ref: 'refs/tags/v1',
        after: tagSha,
        deleted: false,
        head_commit: { id: tagSha },
        repository: { name: 'huge', full_name: 'acme/huge', owner: { login: 'acme' } },
        installation: { id: INSTALLATION },
      },
    });
    expect(tagJob).toMatchObject({ status: 'done', conclusion: 'failure' });
    const tagRun = gh.core.checkRuns.find((c) => c.head_sha === tagSha)!;
    expect(tagRun.output.summary).toContain('is too large for GitHub to list in one request');
  });

  it('a PR past the 3,000-file listing cannot hide an export no reader opens: it is an error', async () => {
    const calls: string[] = [];
    const app = await boot({}, { calls });
    gh.addRepo('acme', 'many', INSTALLATION);
    const sha = '9'.repeat(40);
    gh.addCommit('acme/many', sha, {
      'm/model.safetensors': { lfs: tinyModel(71) },
      'exports/onnx/model.onnx': { content: 'onnx bytes' },
    });
    gh.core.setPrFiles(
      36,
      Array.from({ length: 3000 }, (_, i) => `data/${i}.txt`),
    );
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-many',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'many', number: 36, sha }),
    });
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(calls).toEqual(['m/model.safetensors']);
    expect(app.store.resultsForJob(job.id).map((r) => [r.model, r.verdict])).toEqual([
      ['exports/onnx/model.onnx', 'error'],
      ['m/model.safetensors', 'independent'],
    ]);
  });

  it('reads a weights file committed as a plain git blob of 16 MiB as raw media (not JSON), streamed', async () => {
    const app = await boot();
    gh.addRepo('acme', 'plain-blob', INSTALLATION);
    const sha = '6'.repeat(40);
    const weights = tinyModel(5, 1024, 2048); // 2 × 8 MiB of F32
    expect(weights.length).toBeGreaterThan(16 * 1024 * 1024);
    gh.addCommit('acme/plain-blob', sha, { 'big/model.safetensors': { content: weights } });
    gh.core.setPrFiles(34, ['big/model.safetensors']);
    const { job } = await deliver(
      app,
      {
        event: 'pull_request',
        delivery: 'd-plain-blob',
        payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'plain-blob', number: 34, sha }),
      },
      60_000,
    );
    expect(job).toMatchObject({ status: 'done', conclusion: 'success' });
    const [result] = app.store.resultsForJob(job.id);
    expect(result!.verdict).toBe('independent');
    expect((result!.report as { policy: { reasons: string[] } }).policy.reasons).toEqual([
      '2 tensors read from big/model.safetensors',
    ]);
    const blobReads = gh.requestsTo('GET', /\/git\/blobs\//);
    expect(blobReads.length).toBeGreaterThan(0);
    expect(blobReads.every((r) => String(r.headers.accept).includes('application/vnd.github.raw'))).toBe(true);
  });

  it('WEIGHTPRINT_ON_ERROR=action_required: an unanalysable model gives action_required, never neutral', async () => {
    const app = await boot({ onError: 'action_required' });
    gh.addRepo('acme', 'on-error', INSTALLATION);
    const sha = '7'.repeat(40);
    gh.addCommit('acme/on-error', sha, { 'm/model.safetensors': { content: 'junk' } });
    gh.core.setPrFiles(35, ['m/model.safetensors']);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-on-error',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'on-error', number: 35, sha }),
    });
    expect(job.conclusion).toBe('action_required');
    expect(gh.core.checkRuns.find((r) => r.head_sha === sha)).toMatchObject({
      status: 'completed',
      conclusion: 'action_required',
    });
  });

  it('a manifest too large for the contents API (over 1 MB) fails the check instead of reading as empty', async () => {
    const app = await boot();
    gh.addRepo('acme', 'big-manifest', INSTALLATION);
    const sha = '8'.repeat(40);
    gh.addCommit(
      'acme/big-manifest',
      sha,
      {
        '.github/weightprint.yml': { content: `# ${'x'.repeat(1024 * 1024 + 10)}\nmodels: []\n` },
        'm/model.safetensors': { lfs: tinyModel(8) },
      },
      ['main'],
    );
    const { job } = await deliver(app, {
      event: 'check_suite',
      delivery: 'd-big-manifest',
      payload: {
        action: 'rerequested',
        check_suite: { head_sha: sha, pull_requests: [] },
        repository: { name: 'big-manifest', owner: { login: 'acme' } },
        installation: { id: INSTALLATION },
      },
    });
    expect(job.lastError).toMatch(/^\.github\/weightprint\.yml: is too large to read through the contents API/);
    expect(gh.core.checkRuns.find((r) => r.head_sha === sha)).toMatchObject({ conclusion: 'failure' });
  });

  it('installation created/deleted maintains the watched repositories', async () => {
    const app = await boot();
    const installation = { id: 91, account: { login: 'consortium' } };
    await deliver(app, {
      event: 'installation',
      delivery: 'd-inst-1',
      payload: {
        action: 'created',
        installation,
        repositories: [{ full_name: 'consortium/a' }, { full_name: 'consortium/b' }],
      },
    });
    expect(app.store.listRepos().map((r) => r.fullName)).toEqual(['consortium/a', 'consortium/b']);
    await deliver(app, { event: 'installation', delivery: 'd-inst-2', payload: { action: 'deleted', installation } });
    expect(app.store.listRepos()).toEqual([]);
  });
});

describe('GitHub API faults', () => {
  it('retries a 403 secondary rate limit (retry-after) and 5xx answers, then completes', async () => {
    const app = await boot();
    const { sha } = seedRepo('models-faults');
    gh.core.setPrFiles(5, ['models/tiny/model.safetensors']);
    gh.core.injectSecondaryRateLimit('POST', /\/check-runs$/, 1, 1);
    gh.core.injectServerError('PATCH', /\/check-runs\/\d+$/, 2, 502);
    gh.fault('GET', /\/git\/trees\//, 503, 1);
    gh.core.injectServerError('GET', /\/pulls\/5\/files$/, 1, 500);
    const { res, job } = await deliver(
      app,
      {
        event: 'pull_request',
        delivery: 'd-faults',
        payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-faults', number: 5, sha }),
      },
      60_000,
    );
    expect(res.status).toBe(202);
    expect(job.status).toBe('done');
    const run = gh.core.checkRuns.find((r) => r.head_sha === sha)!;
    expect(run.status).toBe('completed');
    // Each faulty endpoint was asked again after its fault.
    expect(gh.requestsTo('POST', /\/check-runs$/).map((r) => r.status)).toEqual([403, 201]);
    expect(gh.requestsTo('PATCH', /\/check-runs\/\d+$/).map((r) => r.status)).toEqual([502, 502, 200]);
    expect(gh.requestsTo('GET', /\/git\/trees\//).map((r) => r.status)[0]).toBe(503);
    expect(gh.requestsTo('GET', /\/pulls\/5\/files$/).map((r) => r.status)).toEqual([500, 200]);
  });

  it('a job whose GitHub calls keep failing is retried with backoff, then marked failed', async () => {
    const app = await boot();
    const { sha } = seedRepo('models-down');
    gh.core.setPrFiles(6, ['models/tiny/model.safetensors']);
    gh.fault('GET', /\/git\/trees\//, 500, 1000);
    const res = await postWebhook(app.url, {
      event: 'pull_request',
      delivery: 'd-down',
      secret: 's3cret',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-down', number: 6, sha }),
    });
    await waitFor('job failed', () => app.store.getJob(res.body.jobs[0])!.status === 'failed', 60_000);
    const job = app.store.getJob(res.body.jobs[0])!;
    expect(job.attempts).toBe(5);
    expect(job.lastError).toMatch(/500|injected/);
  });
});

describe('Hugging Face Hub webhook', () => {
  it('a Hub model past WEIGHTPRINT_JOB_TIMEOUT is filed as a failure saying so, not left running', async () => {
    gh.addRepo('acme', 'provenance-slow', INSTALLATION);
    const stall: string[] = [];
    const app = await boot(
      {
        hfWebhookSecret: 'hub-secret',
        hfResultsRepo: { owner: 'acme', repo: 'provenance-slow' },
        jobTimeoutSeconds: 0.5,
      },
      { stall },
    );
    const res = await fetch(`${app.url}/api/hf/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-secret': 'hub-secret' },
      body: JSON.stringify({
        event: { action: 'update', scope: 'repo.content' },
        repo: { type: 'model', name: 'slow/model', headSha: 'e'.repeat(40) },
      }),
    });
    expect(res.status).toBe(202);
    await app.queue.idle();
    const [job] = app.store.listJobs(1);
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure', attempts: 1 });
    expect(stall).toEqual(['Error: timed out after 0.5 s']);
    const issues = gh.issues.get('acme/provenance-slow')!;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.title).toMatch(/^Weightprint: hf:slow\/model@e+ — failure$/);
    expect(issues[0]!.body).toMatch(/could not be analysed[\s\S]*timed out after 0\.5 s/);
  });

  it('checks the pushed revision and files the result as an issue in HF_RESULTS_REPO', async () => {
    gh.addRepo('acme', 'provenance', INSTALLATION);
    const app = await boot({ hfWebhookSecret: 'hub-secret', hfResultsRepo: { owner: 'acme', repo: 'provenance' } });
    const payload = {
      event: { action: 'update', scope: 'repo.content' },
      repo: { type: 'model', name: 'org/released-base', headSha: 'e'.repeat(40) },
    };
    const post = (secret?: string) =>
      fetch(`${app.url}/api/hf/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-webhook-secret': secret } : {}) },
        body: JSON.stringify(payload),
      });
    expect((await post()).status).toBe(401);
    expect((await post('wrong')).status).toBe(401);
    expect(app.store.counts().queued).toBe(0);
    const ok = await post('hub-secret');
    expect(ok.status).toBe(202);
    expect((await post('hub-secret')).status).toBe(200); // same revision again: once
    await app.queue.idle();
    const issues = gh.issues.get('acme/provenance')!;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.title).toContain(`hf:org/released-base@${'e'.repeat(40)}`);
    expect(issues[0]!.body).toContain('Weightprint provenance report');
    const latest = app.store.latestResults();
    expect(latest.map((r) => [r.source, r.model, r.verdict])).toEqual([
      ['hf', `hf:org/released-base@${'e'.repeat(40)}`, 'identical'],
    ]);
  });

  it('is disabled (404) without HF_WEBHOOK_SECRET', async () => {
    const app = await boot();
    const res = await fetch(`${app.url}/api/hf/webhooks`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});

describe('health and pages', () => {
  it('GET /healthz reports db and queue depth', async () => {
    const app = await boot();
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      db: true,
      queue: { depth: 0, queued: 0, running: 0, done: 0, failed: 0 },
    });
  });

  it('without DASHBOARD_TOKEN the dashboard and report pages are off (404); /healthz stays open', async () => {
    const app = await boot();
    const { sha } = seedRepo('models-off');
    gh.core.setPrFiles(9, ['models/tiny/model.safetensors']);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-off',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-off', number: 9, sha }),
    });
    const result = app.store.resultsForJob(job.id)[0]!;
    for (const path of ['/', `/reports/${result.id}`, `/jobs/${job.id}`, '/login']) {
      const page = await fetch(`${app.url}${path}`, { headers: { authorization: 'Bearer anything-at-all-1234' } });
      expect(page.status, path).toBe(404);
      expect(await page.text()).not.toContain('acme/models-off');
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('with DASHBOARD_TOKEN: pages need the bearer token or the HttpOnly SameSite=Strict sign-in cookie', async () => {
    const token = 'dash-token-0123456789abcdef';
    const app = await boot({ dashboardToken: token });
    const { sha } = seedRepo('models-pages');
    gh.core.setPrFiles(8, ['models/tiny/model.safetensors']);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: 'd-pages',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: 'models-pages', number: 8, sha }),
    });
    const result = app.store.resultsForJob(job.id)[0]!;
    const paths = ['/', `/reports/${result.id}`, `/jobs/${job.id}`];
    // Refused without the token, with a wrong one, and with a forged cookie.
    for (const headers of [
      {},
      { authorization: 'Bearer dash-token-0123456789abcdeX' },
      { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
      { cookie: `weightprint_session=9999999999.${'0'.repeat(64)}` },
    ] as Record<string, string>[]) {
      for (const path of paths) {
        const page = await fetch(`${app.url}${path}`, { headers, redirect: 'manual' });
        expect(page.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        const html = await page.text();
        expect(html).not.toContain('acme/models-pages');
        expect(html).toContain('<form method="post" action="/login">');
      }
    }
    // The bearer token opens every page.
    const bearer = { authorization: `Bearer ${token}` };
    const html = await (await fetch(`${app.url}/`, { headers: bearer })).text();
    expect(html).toContain('acme/models-pages');
    expect(html).toContain('independent');
    const report = await fetch(`${app.url}/reports/${result.id}`, { headers: bearer });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await report.text()).toContain('<h2>Weightprint provenance report</h2>');
    expect((await fetch(`${app.url}/reports/99999`, { headers: bearer })).status).toBe(404);
    expect((await fetch(`${app.url}/jobs/${job.id}`, { headers: bearer })).status).toBe(200);
    // The sign-in form: a wrong token is refused, the right one sets the session cookie.
    const signIn = (t: string) =>
      fetch(`${app.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: t }).toString(),
        redirect: 'manual',
      });
    const wrong = await signIn('not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const ok = await signIn(token);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/');
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^weightprint_session=\d+\.[0-9a-f]{64}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain(token);
    const session = { cookie: setCookie.split(';')[0]! };
    for (const path of paths) expect((await fetch(`${app.url}${path}`, { headers: session })).status, path).toBe(200);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe('symlinks', () => {
  /** A PR at `sha` of acme/`repo` changing `files`; returns the finished job, its results and analysed models. */
  async function prCheck(repo: string, sha: string, number: number, files: string[]) {
    const calls: string[] = [];
    const app = await boot({}, { calls });
    gh.core.setPrFiles(number, files);
    const { job } = await deliver(app, {
      event: 'pull_request',
      delivery: `d-${repo}`,
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo, number, sha }),
    });
    const results = app.store.resultsForJob(job.id).map((r) => ({
      model: r.model,
      verdict: r.verdict,
      error: (r.report as { error?: string }).error,
    }));
    return { job, results, calls };
  }

  it('a PR changing only the file an unchanged weights link names re-checks the model reading it', async () => {
    // model/model.safetensors -> ../store/blob-7: the PR swaps store/blob-7 (no weights name), so no
    // trigger name changed and the App used to find nothing to check.
    gh.addRepo('acme', 'linked-store', INSTALLATION);
    const sha = '7a'.repeat(20);
    gh.addCommit('acme/linked-store', sha, {
      'model/model.safetensors': { symlink: '../store/blob-7' },
      'model/config.json': { content: '{"model_type":"llama"}' },
      'store/blob-7': { lfs: tinyModel(71) },
    });
    const { job, results, calls } = await prCheck('linked-store', sha, 71, ['store/blob-7']);
    expect(calls).toEqual(['model/model.safetensors']);
    expect(job).toMatchObject({ status: 'done', conclusion: 'success' });
    expect(results).toEqual([{ model: 'model/model.safetensors', verdict: 'independent', error: undefined }]);
  });

  it('a re-pointed weights link is read at its target: the weights it leads to are analysed', async () => {
    // The App used to copy the link's blob (its target's path) as the weights: a reader error.
    gh.addRepo('acme', 'repointed', INSTALLATION);
    const sha = '7b'.repeat(20);
    gh.addCommit('acme/repointed', sha, {
      'model/model.safetensors': { symlink: '../other/base-weights.bin.part' },
      'other/base-weights.bin.part': { lfs: tinyModel(72) },
    });
    const { job, results, calls } = await prCheck('repointed', sha, 72, ['model/model.safetensors']);
    expect(calls).toEqual(['model/model.safetensors']);
    expect(results.map((r) => [r.model, r.error])).toEqual([['model/model.safetensors', undefined]]);
    expect(job).toMatchObject({ status: 'done', conclusion: 'success' });
  });

  it('a directory link the PR re-points is checked where it leads', async () => {
    gh.addRepo('acme', 'dirlink', INSTALLATION);
    const sha = '7c'.repeat(20);
    gh.addCommit('acme/dirlink', sha, {
      current: { symlink: 'releases/v2' },
      'releases/v2/model.safetensors': { lfs: tinyModel(73) },
      'releases/v2/config.json': { content: '{"model_type":"llama"}' },
    });
    const { job, calls } = await prCheck('dirlink', sha, 73, ['current']);
    expect(calls).toEqual(['releases/v2/model.safetensors']);
    expect(job).toMatchObject({ status: 'done', conclusion: 'success' });
  });

  it('an unchanged weights link through a chain past the bound fails closed when the PR changes anything', async () => {
    // git follows 9 links; the App follows 8: the model reading store/blob through them must not pass unchecked.
    gh.addRepo('acme', 'longchain', INSTALLATION);
    const sha = '7e'.repeat(20);
    const chain: Record<string, { symlink: string }> = {};
    for (let i = 0; i < 9; i++) chain[`hops/l${i}`] = { symlink: i === 8 ? '../store/blob' : `l${i + 1}` };
    gh.addCommit('acme/longchain', sha, {
      'model/model.safetensors': { symlink: '../hops/l0' },
      ...chain,
      'store/blob': { lfs: tinyModel(75) },
    });
    const { job, results, calls } = await prCheck('longchain', sha, 75, ['store/blob']);
    expect(calls).toEqual([]);
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    expect(results.map((r) => [r.model, r.error])).toEqual([
      [
        'model/model.safetensors',
        'model/model.safetensors: leads through more than 8 symlinks (a loop or a chain this check refuses)',
      ],
    ]);
  });

  it('a weights link out of the repository, or a link loop, fails the check with a one-line error', async () => {
    gh.addRepo('acme', 'escape', INSTALLATION);
    const sha = '7d'.repeat(20);
    gh.addCommit('acme/escape', sha, {
      'out/model.safetensors': { symlink: '../../../etc/passwd' },
      'abs/model.safetensors': { symlink: '/proc/self/environ' },
      'loop/model.safetensors': { symlink: 'a.safetensors' },
      'loop/a.safetensors': { symlink: 'model.safetensors' },
      'docs/readme-link': { symlink: '/usr/share/doc' }, // no model reads it: not an error
    });
    const { job, results, calls } = await prCheck('escape', sha, 74, [
      'out/model.safetensors',
      'abs/model.safetensors',
      'loop/model.safetensors',
      'docs/readme-link',
    ]);
    expect(calls).toEqual([]);
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    const byModel = Object.fromEntries(results.map((r) => [r.model, r.error]));
    expect(Object.keys(byModel).sort()).toEqual(['abs/model.safetensors', 'loop', 'out/model.safetensors']);
    expect(byModel['out/model.safetensors']).toMatch(/^out\/model\.safetensors: .*outside the repository$/);
    expect(byModel['abs/model.safetensors']).toMatch(/"\/proc\/self\/environ", outside the repository$/);
    expect(byModel.loop).toMatch(/^loop\/(a|model)\.safetensors: leads through more than 8 symlinks/);
    for (const e of Object.values(byModel)) expect(e).not.toContain('\n');
    const run = gh.core.checkRuns.at(-1)!;
    expect(run.conclusion).toBe('failure');
  });
});
