/**
 * The App as a real process: killed with SIGKILL mid-queue and started again on the same
 * database, every job completes exactly once; SIGTERM lets running jobs finish; a bad setting
 * stops start-up with one line and exit code 2. GitHub is a loopback fake that checks the App
 * JWT against a freshly generated RSA key; the analysis is the real engine on tiny LFS models.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/app/store.js';
import { bundle, removeBundle, spawnApp, type Child } from './child.js';
import { FakeGitHubApp } from './fake-github-app.js';
import { postWebhook, prPayload, rsaKeys, tempDir, tinyModel, waitFor } from './helpers.js';

const keys = rsaKeys();
const APP_ID = 5150;
const INSTALLATION = 31;
let gh: FakeGitHubApp;
let childFile: string;
let mainFile: string;
const children: Child[] = [];

beforeAll(async () => {
  gh = await FakeGitHubApp.start({ appId: APP_ID, publicKeyPem: keys.publicKey });
  [childFile, mainFile] = await Promise.all([bundle('child'), bundle('main')]);
});
afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await gh.close();
  removeBundle(childFile);
  removeBundle(mainFile);
});

function env(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: 'child-secret',
    PORT: '0',
    HOST: '127.0.0.1',
    WEIGHTPRINT_DB: join(dir, 'state', 'app.db'),
    GITHUB_API_URL: gh.url,
    CONCURRENCY: '2',
    TEST_CALLS_FILE: join(dir, 'calls.txt'),
    ...extra,
  };
}

interface Health {
  queue: { queued: number; running: number; done: number; failed: number };
}

async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/healthz`)).json()) as Health;
}

describe('restart', () => {
  it('SIGKILL mid-queue, then restart: every job completes exactly once', async () => {
    const { dir, cleanup } = await tempDir();
    const repo = 'restart-models';
    gh.addRepo('acme', repo, INSTALLATION);
    const N = 6;
    const shas: string[] = [];
    for (let i = 0; i < N; i++) {
      const sha = (0x100 + i).toString(16).padStart(40, '0');
      shas.push(sha);
      gh.addCommit(`acme/${repo}`, sha, { [`m${i}/model.safetensors`]: { lfs: tinyModel(100 + i) } });
      gh.core.setPrFiles(100 + i, [`m${i}/model.safetensors`]);
    }

    const first = spawnApp(childFile, env(dir, { TEST_ANALYSIS_DELAY_MS: '1500' }));
    children.push(first);
    const url1 = await first.url;
    const deliveries = shas.map((sha, i) => ({
      event: 'pull_request',
      delivery: `restart-${i}`,
      secret: 'child-secret',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo, number: 100 + i, sha }),
    }));
    for (const d of deliveries) expect((await postWebhook(url1, d)).status).toBe(202);

    // Kill it while work is in flight: some jobs done or running, the rest still queued.
    await waitFor('a running job', async () => (await health(url1)).queue.running > 0);
    first.proc.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    const mid = new Store(env(dir).WEIGHTPRINT_DB!);
    const left = mid.counts();
    mid.close();
    expect(left.running).toBeGreaterThan(0); // the crash really left jobs mid-flight
    expect(left.done).toBeLessThan(N);

    const second = spawnApp(childFile, env(dir, { TEST_ANALYSIS_DELAY_MS: '100' }));
    children.push(second);
    const url2 = await second.url;
    await waitFor('all jobs done', async () => (await health(url2)).queue.done === N, 90_000);
    // Redelivery after the restart is still recognised.
    expect((await postWebhook(url2, deliveries[0]!)).body.duplicate).toBe(true);
    second.proc.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
    // Model copies the killed process left in its temp root were swept by the restart.
    const tmpRoot = join(
      tmpdir(),
      `weightprint-app-${createHash('sha256').update(env(dir).WEIGHTPRINT_DB!).digest('hex').slice(0, 12)}`,
    );
    expect(existsSync(tmpRoot)).toBe(false);

    const store = new Store(env(dir).WEIGHTPRINT_DB!);
    try {
      const jobs = store.listJobs(100);
      expect(jobs).toHaveLength(N);
      expect(jobs.every((j) => j.status === 'done')).toBe(true);
      for (const j of jobs) expect(store.resultsForJob(j.id)).toHaveLength(1);
      expect(store.deliveryCount()).toBe(N);
    } finally {
      store.close();
    }
    for (const [i, sha] of shas.entries()) {
      // One completed check run per commit: a re-run job completes the run it started.
      expect(gh.core.checkRuns.filter((r) => r.head_sha === sha && r.status === 'completed')).toHaveLength(1);
      expect(gh.core.comments.get(100 + i)).toHaveLength(1);
    }
    // Work was redone only for jobs the kill interrupted.
    const calls = readFileSync(env(dir).TEST_CALLS_FILE!, 'utf8').trim().split('\n');
    expect(calls.length).toBeGreaterThanOrEqual(N);
    expect(calls.length).toBeLessThanOrEqual(N + left.running);
    await cleanup();
  });

  it('SIGTERM lets the running job finish before exiting', async () => {
    const { dir, cleanup } = await tempDir();
    const repo = 'sigterm-models';
    gh.addRepo('acme', repo, INSTALLATION);
    const sha = '7'.repeat(40);
    gh.addCommit(`acme/${repo}`, sha, { 'model.safetensors': { lfs: tinyModel(7) } });
    gh.core.setPrFiles(300, ['model.safetensors']);
    const child = spawnApp(childFile, env(dir, { TEST_ANALYSIS_DELAY_MS: '1500' }));
    children.push(child);
    const url = await child.url;
    await postWebhook(url, {
      event: 'pull_request',
      delivery: 'term-1',
      secret: 'child-secret',
      payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo, number: 300, sha }),
    });
    await waitFor('job running', async () => (await health(url)).queue.running === 1);
    child.proc.kill('SIGTERM');
    expect((await child.exit).code).toBe(0);
    const store = new Store(env(dir).WEIGHTPRINT_DB!);
    expect(store.counts()).toMatchObject({ done: 1, running: 0, queued: 0 });
    store.close();
    await cleanup();
  });
});

describe('start-up configuration errors (npm run app entry)', () => {
  it.each([
    ['APP_ID missing', { APP_ID: '' }, /^weightprint-app: APP_ID: is not set/],
    ['APP_ID not a number', { APP_ID: 'abc' }, /^weightprint-app: APP_ID: must be a positive integer/],
    ['private key garbage', { PRIVATE_KEY: 'not a key' }, /^weightprint-app: PRIVATE_KEY: is not an RSA private key/],
    [
      'PRIVATE_KEY_PATH missing file',
      { PRIVATE_KEY: '', PRIVATE_KEY_PATH: '/nonexistent/key.pem' },
      /^weightprint-app: PRIVATE_KEY_PATH: cannot read/,
    ],
    ['WEBHOOK_SECRET missing', { WEBHOOK_SECRET: '' }, /^weightprint-app: WEBHOOK_SECRET: is not set/],
    ['PORT invalid', { PORT: '70000' }, /^weightprint-app: PORT: must be an integer/],
    ['CONCURRENCY invalid', { CONCURRENCY: '0' }, /^weightprint-app: CONCURRENCY: must be an integer/],
    // A path under a regular file: the directory cannot be created.
    [
      'WEIGHTPRINT_DB unopenable',
      { WEIGHTPRINT_DB: '<dir>/not-a-dir/app.db' },
      /^weightprint-app: WEIGHTPRINT_DB: cannot open/,
    ],
  ])('%s → one line naming it, exit 2', async (_name, over, pattern) => {
    const { dir, cleanup } = await tempDir();
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const resolved = Object.fromEntries(Object.entries(over).map(([k, v]) => [k, v.replace('<dir>', dir)]));
    const child = spawnApp(mainFile, env(dir, resolved));
    children.push(child);
    const { code } = await child.exit;
    const err = child.stderr.join('');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(pattern);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, 'state', 'app.db'))).toBe(false);
    await cleanup();
  });
});
