/**
 * The App on release-sized models: Git LFS objects are read by range from a loopback LFS server
 * (batch API on the fake GitHub's origin, storage on its own host, links that expire by use), with
 * the real analysis. A 2.9 GB sparse model is sketched reading under 1 % of it, a manifest's
 * `mode: full` streams a model through the fingerprint and checks its oid, and the job directory
 * never holds more than pointer files and side files. Every LFS failure fails the model's check
 * with one line naming the repository file.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnalyse } from '../../src/app/analysis.js';
import { startApp, type RunningApp } from '../../src/app/app.js';
import type { Analyse } from '../../src/app/processor.js';
import { LfsServer, sha256File } from '../helpers/lfs-server.js';
import { llamaLayout, writeSparseSafetensors } from '../helpers/sparse-model.js';
import { FakeGitHubApp } from './fake-github-app.js';
import { postWebhook, prPayload, rsaKeys, tempDir, testConfig } from './helpers.js';

const keys = rsaKeys();
const APP_ID = 4242;
const INSTALLATION = 78;
let gh: FakeGitHubApp;
let lfs: LfsServer;
let models: string;
const running: { app: RunningApp; cleanup: () => Promise<void> }[] = [];
/** Largest job directory seen by an analysis, before and after it read the models. */
let jobDirBytes: number[] = [];

/** A 2.9 GB Llama-style layout as a sparse file (a hole: no disk), its first KiB per tensor filled. */
let big: { path: string; size: number; oid: string };
/** A 40 MB one whose oid is its real SHA-256 (full mode checks it). */
let small: { path: string; size: number; oid: string };

beforeAll(async () => {
  gh = await FakeGitHubApp.start({ appId: APP_ID, publicKeyPem: keys.publicKey });
  lfs = await LfsServer.start({ token: (t) => gh.tokens.has(t), linkUses: 40 });
  gh.lfsServer = lfs;
  models = mkdtempSync(join(tmpdir(), 'wp-app-lfs-'));
  const bigPath = join(models, 'big.safetensors');
  const b = writeSparseSafetensors(
    bigPath,
    llamaLayout({ layers: 4, hidden: 5120, intermediate: 13824, vocab: 32000 }),
    { denseBytes: 1024, seed: 3 },
  );
  // Hashing 2.9 GB of zeros would only prove the test server honest; a sketch never checks the oid.
  big = { path: bigPath, size: b.size, oid: 'b'.repeat(64) };
  const smallPath = join(models, 'small.safetensors');
  const s = writeSparseSafetensors(
    smallPath,
    llamaLayout({ layers: 2, hidden: 512, intermediate: 1536, vocab: 8192 }),
    {
      denseBytes: 256 * 1024,
      seed: 4,
    },
  );
  small = { path: smallPath, size: s.size, oid: await sha256File(smallPath) };
});
afterAll(async () => {
  await gh?.close();
  await lfs?.close();
  if (models) rmSync(models, { recursive: true, force: true });
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.app.close(2000);
    await r.cleanup();
  }
  gh.core.reset();
  gh.requests.length = 0;
  lfs.reset();
  jobDirBytes = [];
});

function filesBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? filesBytes(p) : statSync(p).size;
  }
  return n;
}

/** The real analysis, with the job directory measured around it. */
const measured: Analyse = async (job) => {
  const local = job.models.find((m) => !m.startsWith('hf:'));
  let jobDir = local;
  while (jobDir && !basename(jobDir).startsWith('job-'))
    jobDir = dirname(jobDir) === jobDir ? undefined : dirname(jobDir);
  if (jobDir) jobDirBytes.push(filesBytes(jobDir));
  try {
    return await defaultAnalyse(job);
  } finally {
    if (jobDir) jobDirBytes.push(filesBytes(jobDir));
  }
};

async function boot(): Promise<RunningApp> {
  const { dir, cleanup } = await tempDir();
  const config = testConfig(dir, { appId: APP_ID, privateKey: keys.privateKey, githubApiUrl: gh.url });
  const app = await startApp(config, {
    analyse: measured,
    retryAfterBaseValue: 10,
    queueBackoffMs: () => 50,
    lfsHttp: { backoffMs: 1, maxBackoffMs: 2 },
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
  running.push({ app, cleanup });
  return app;
}

let seq = 0;
/** A PR whose head adds `files`; the base holds `base` (the manifest). Returns the job's stored results. */
async function checkPr(files: Record<string, { content: string }>, base: Record<string, { content: string }> = {}) {
  const app = await boot();
  const name = `lfs-${++seq}`;
  gh.addRepo('acme', name, INSTALLATION);
  const baseSha = (seq * 2).toString(16).padStart(40, 'c');
  const sha = (seq * 2 + 1).toString(16).padStart(40, 'c');
  gh.addCommit(`acme/${name}`, baseSha, base, ['main']);
  gh.addCommit(`acme/${name}`, sha, { ...base, ...files });
  gh.core.setPrFiles(seq, Object.keys(files));
  const res = await postWebhook(app.url, {
    event: 'pull_request',
    delivery: `d-lfs-${seq}`,
    secret: 's3cret',
    payload: prPayload({ installationId: INSTALLATION, owner: 'acme', repo: name, number: seq, sha, baseSha }),
  });
  expect(res.status).toBe(202);
  await app.queue.idle(120_000);
  const job = app.store.getJob(res.body.jobs[0])!;
  const results = Object.fromEntries(app.store.resultsForJob(job.id).map((r) => [r.model, r]));
  const run = gh.core.checkRuns.find((r) => r.head_sha === sha)!;
  return { job, results, run };
}

const pointer = (o: { oid: string; size: number }) =>
  `version https://git-lfs.github.com/spec/v1\noid sha256:${o.oid}\nsize ${o.size}\n`;
const CONFIG = { content: '{"model_type":"llama","hidden_size":5120}' };

describe('the App reads LFS objects by range', () => {
  it('sketches a 2.9 GB model reading under 1 % of it, with nothing on disk but pointers and side files', async () => {
    lfs.add({ path: big.path, oid: big.oid });
    const { job, results, run } = await checkPr({
      'release/model.safetensors': { content: pointer(big) },
      'release/config.json': CONFIG,
    });
    expect(job.lastError).toBeNull();
    expect(job.status).toBe('done');
    const r = results['release/model.safetensors']!;
    expect(r.verdict).not.toBe('error');
    const fp = (r.report as { fingerprint: { mode: string; why: string; bytesRead: number; totalBytes: number } })
      .fingerprint;
    expect(fp).toMatchObject({ mode: 'sketch', why: 'mode auto: at least 2 GiB of weights', totalBytes: big.size });
    expect(fp.bytesRead / big.size).toBeLessThan(0.01);
    expect(lfs.bytesServed() / big.size).toBeLessThan(0.01);
    expect(run.output.summary).toMatch(
      /\*\*Sketch\*\* \(mode auto: at least 2 GiB of weights\): read [\d.]+ MiB of 2\.\d+ GiB/,
    );
    // the job directory held the pointer and config.json, before and after the model was read
    expect(jobDirBytes).toHaveLength(2);
    expect(Math.max(...jobDirBytes)).toBeLessThan(4096);
    // the installation token went to the batch API only, never to the storage host
    const batch = lfs.requests('batch');
    expect(batch.length).toBeGreaterThanOrEqual(1);
    expect(batch.every((b) => /^Basic /.test(b.authorization ?? ''))).toBe(true);
    expect(lfs.requests('storage').every((s) => /^RemoteAuth /.test(s.authorization ?? ''))).toBe(true);
    expect(lfs.requests('storage').some((s) => s.status === 403)).toBe(true); // links expired by use, renewed
  });

  it('a manifest saying `mode: full` streams the model through the fingerprint and checks its oid', async () => {
    lfs.add({ path: small.path, oid: small.oid });
    const manifest = { '.github/weightprint.yml': { content: 'mode: full\n' } };
    const { job, results, run } = await checkPr({ 'm/model.safetensors': { content: pointer(small) } }, manifest);
    expect(job.lastError).toBeNull();
    const fp = (results['m/model.safetensors']!.report as { fingerprint: Record<string, unknown> }).fingerprint;
    expect(fp).toMatchObject({
      mode: 'full',
      why: 'mode full',
      bytesRead: small.size,
      totalBytes: small.size,
      verified: 'sha256 (Git LFS oid) of 1 of 1 weight file',
    });
    expect(lfs.bytesServed()).toBe(small.size);
    expect(run.output.summary).toContain('**Full fingerprint** (mode full): read');
    expect(Math.max(...jobDirBytes)).toBeLessThan(4096);

    // .yaml is read as well when there is no .yml
    lfs.reset();
    const again = await checkPr(
      { 'm/model.safetensors': { content: pointer(small) } },
      { '.github/weightprint.yaml': { content: 'mode: sketch\n' } },
    );
    const fp2 = (again.results['m/model.safetensors']!.report as { fingerprint: Record<string, unknown> }).fingerprint;
    expect(fp2).toMatchObject({ mode: 'sketch', why: 'mode sketch' });
  });

  it('every LFS failure fails that model with one line naming its file; the others are analysed', async () => {
    const good = lfs.add({ path: small.path, oid: small.oid });
    // distinct objects for the faults (the same bytes would share one oid)
    const mk = (k: number) => {
      const p = join(models, `fault-${k}.safetensors`);
      writeSparseSafetensors(p, llamaLayout({ layers: 1, hidden: 256, intermediate: 512, vocab: 1024 }), {
        denseBytes: 4096,
        seed: 10 + k,
      });
      return p;
    };
    const objs = await Promise.all(
      [1, 2, 3].map(async (k) => {
        const path = mk(k);
        return lfs.add({ path, oid: await sha256File(path) });
      }),
    );
    lfs.fault({ kind: 'refuse-links', oid: objs[0]!.oid });
    lfs.fault({ kind: 'corrupt', oid: objs[1]!.oid });
    lfs.fault({ kind: 'short', oid: objs[2]!.oid });
    const { job, results, run } = await checkPr(
      {
        'good/model.safetensors': { content: good.pointer },
        'expired/model.safetensors': { content: objs[0]!.pointer },
        'tampered/model.safetensors': { content: objs[1]!.pointer },
        'short/model.safetensors': { content: objs[2]!.pointer },
      },
      { '.github/weightprint.yml': { content: 'mode: full\n' } },
    );
    expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
    const error = (m: string) => (results[m]!.report as { error: string }).error;
    expect(results['good/model.safetensors']!.verdict).not.toBe('error');
    expect(error('expired/model.safetensors')).toMatch(
      /^expired\/model\.safetensors: the LFS storage refused 3 download links in a row for Git LFS object sha256:/,
    );
    expect(error('tampered/model.safetensors')).toMatch(
      /^tampered\/model\.safetensors: the \d+ bytes served for Git LFS object sha256:[0-9a-f]{64} hash to sha256:/,
    );
    expect(error('short/model.safetensors')).toMatch(
      /^short\/model\.safetensors: connection dropped mid-body \(\d+ of \d+ bytes\) after 6 attempts; giving up$/,
    );
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.output.title).toBe('3 of 4 models could not be analysed (check fails)');
    expect(run.output.summary).not.toMatch(/weightprint-app-|job-/); // repository paths, no temp paths
  });

  it('the batch API refusing (403) or failing (500) fails each model with its file named', async () => {
    const o = lfs.add({ path: small.path, oid: small.oid });
    for (const [status, pattern] of [
      [
        403,
        /^m\/model\.safetensors: the LFS batch API at http:\/\/127\.0\.0\.1:\d+\/acme\/lfs-\d+\.git\/info\/lfs refused/,
      ],
      [500, /^m\/model\.safetensors: HTTP 500 after 6 attempts; giving up$/],
    ] as const) {
      lfs.reset();
      lfs.fault({ kind: 'batch-status', status });
      const { job, results, run } = await checkPr({ 'm/model.safetensors': { content: o.pointer } });
      expect(job).toMatchObject({ status: 'done', conclusion: 'failure' });
      const error = (results['m/model.safetensors']!.report as { error: string }).error;
      expect(error).toMatch(pattern);
      expect(error).toContain(status === 403 ? 'refused the token (HTTP 403)' : 'HTTP 500');
      expect(run.conclusion).toBe('failure');
    }
  });
});
