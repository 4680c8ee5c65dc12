/**
 * The bundled Action (built into a temporary directory, run as the runner runs it) on a checkout
 * of Git LFS pointers, against a loopback LFS server (batch API with the job token, storage on its
 * own host, links that expire by use) and the loopback GitHub API, with the real analysis.
 *
 * The disk budget is enforced, not estimated: the workspace, RUNNER_TEMP and TMPDIR live on a
 * 16 MiB tmpfs when this process may mount one (root), else in a plain directory; either way the
 * Action runs under `ulimit -f` (a file written past 2 MiB kills it with SIGXFSZ), and the bytes
 * of every file there are summed before and after. A 2.9 GB model is checked by a sketch reading
 * under 1 % of it, a 40 MB one in full (its oid verified), and every LFS failure fails the check
 * with one line naming the file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type Bundles, buildBundles } from '../helpers/bundle.js';
import { FakeGitHub } from '../helpers/github-server.js';
import { CHECKOUT_SHA, gitCheckout } from './fixtures.js';
import { LfsServer, sha256File } from '../helpers/lfs-server.js';
import { llamaLayout, writeSparseSafetensors } from '../helpers/sparse-model.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'ghs_lfs_e2e_token';
const HEAD_SHA = CHECKOUT_SHA; // the workspace's HEAD (gitCheckout): the pull request's head
const PR = 21;
/** `ulimit -f` in the shell's blocks (512 bytes for POSIX sh, 1024 for bash): at most 2-4 MiB per file. */
const FILE_BLOCKS = 4096;

let bundles: Bundles;
let gh: FakeGitHub;
let lfs: LfsServer;
let tmp: string;
/** Where the Action may write: workspace, RUNNER_TEMP, TMPDIR, HOME. */
let disk: string;
let tmpfs = false;
let ws: string;
let big: { size: number; oid: string; pointer: string };
let small: { size: number; oid: string; pointer: string };

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Bytes of all files under `disk` before and after the run, and the largest file after. */
  diskBefore: number;
  diskAfter: number;
  largestFile: number;
}

function walk(dir: string): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walk(p);
      total += sub.total;
      largest = Math.max(largest, sub.largest);
    } else {
      const size = statSync(p).size;
      total += size;
      largest = Math.max(largest, size);
    }
  }
  return { total, largest };
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    let value = inputs[name] ?? String(spec.default ?? '');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
    if (value === '${{ github.token }}') value = TOKEN;
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

async function runAction(inputs: Record<string, string> = {}): Promise<RunResult> {
  const n = Math.random().toString(36).slice(2);
  const eventPath = join(tmp, `event-${n}.json`);
  const outputPath = join(tmp, `output-${n}`);
  const summaryPath = join(tmp, `summary-${n}.md`);
  const runnerTemp = join(disk, `runner-temp-${n}`);
  const childTmp = join(disk, `tmp-${n}`);
  mkdirSync(runnerTemp);
  mkdirSync(childTmp);
  const repo = { name: 'models', full_name: 'acme/models', owner: { login: 'acme' } };
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PR,
      pull_request: {
        number: PR,
        head: { ref: 'ft', sha: HEAD_SHA, repo },
        base: { ref: 'main', sha: '4'.repeat(40), repo },
      },
      repository: repo,
    }),
  );
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: childTmp,
    TMPDIR: childTmp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_SHA: '2'.repeat(40),
    GITHUB_REF: `refs/pull/${PR}/merge`,
    GITHUB_API_URL: gh.url,
    // the repository's web root: its LFS endpoint is <server>/acme/models.git/info/lfs
    GITHUB_SERVER_URL: lfs.url,
    GITHUB_RUN_ID: '778',
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: runnerTemp,
    ...bundles.env,
    ...inputEnv(inputs),
  };
  const diskBefore = walk(disk).total;
  const r = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        '/bin/sh',
        ['-c', `ulimit -f ${FILE_BLOCKS} && exec "$0" "$@"`, process.execPath, join(bundles.dir, 'index.js')],
        { env, cwd: ws },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  const after = walk(disk);
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(outputPath, 'utf8').matchAll(/^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm))
    outputs[m[1]!] = m[3]!;
  return {
    ...r,
    outputs,
    summary: readFileSync(summaryPath, 'utf8'),
    diskBefore,
    diskAfter: after.total,
    largestFile: after.largest,
  };
}

/** A model directory in the checkout: the weights as a pointer file, and config.json. */
function commitModel(dir: string, pointer: string): void {
  mkdirSync(join(ws, dir), { recursive: true });
  writeFileSync(join(ws, dir, 'model.safetensors'), pointer);
  writeFileSync(join(ws, dir, 'config.json'), '{"model_type":"llama"}');
}

function errorLines(r: RunResult): string[] {
  return r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

function expectWithinDiskBudget(r: RunResult): void {
  expect(r.signal).toBeNull(); // SIGXFSZ: a file grew past the ulimit
  expect(r.diskAfter - r.diskBefore).toBeLessThan(512 * 1024); // report files and the summary, nothing else
  expect(r.largestFile).toBeLessThan(512 * 1024);
}

beforeAll(async () => {
  bundles = await buildBundles(['action', 'worker']);
  gh = await FakeGitHub.start();
  lfs = await LfsServer.start({ token: TOKEN, linkUses: 64 });
  tmp = mkdtempSync(join(tmpdir(), 'wp-lfs-e2e-'));
  disk = join(tmp, 'disk');
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk], { stdio: 'ignore' });
    tmpfs = true;
  } catch {
    console.info('lfs-e2e: no tmpfs (mount needs root); the disk budget is enforced by ulimit -f and byte sums');
  }
  ws = join(disk, 'workspace');
  mkdirSync(ws);
  // The models live outside the budget, on the LFS server's side.
  const bigPath = join(tmp, 'big.safetensors');
  const b = writeSparseSafetensors(
    bigPath,
    llamaLayout({ layers: 4, hidden: 5120, intermediate: 13824, vocab: 32000 }),
    { denseBytes: 1024, seed: 5 },
  );
  // A declared oid: hashing 2.9 GB of zeros would only test the server; a sketch never checks it.
  big = lfs.add({ path: bigPath, oid: 'e'.repeat(64) });
  expect(big.size).toBe(b.size);
  const smallPath = join(tmp, 'small.safetensors');
  writeSparseSafetensors(smallPath, llamaLayout({ layers: 2, hidden: 512, intermediate: 1536, vocab: 8192 }), {
    denseBytes: 256 * 1024,
    seed: 6,
  });
  small = lfs.add({ path: smallPath, oid: await sha256File(smallPath) });
}, 300_000);
afterAll(async () => {
  await gh?.close();
  await lfs?.close();
  await bundles?.remove();
  if (tmpfs) execFileSync('umount', [disk]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  gh.reset();
  lfs.reset();
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(ws);
  gitCheckout(ws);
});

describe('the bundled Action reads Git LFS objects by range', () => {
  it('auto on a 2.9 GB model: a sketch reading under 1 % of it, nothing written but the report', async () => {
    commitModel('models/big', big.pointer);
    gh.setPrFiles(PR, ['models/big/model.safetensors', 'models/big/config.json']);
    const r = await runAction();
    expect(r.stderr).toBe('');
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    expectWithinDiskBudget(r);
    expect(r.stdout).toMatch(
      /Reading 1 Git LFS object \(\d+ bytes\) by range from http:\/\/127\.0\.0\.1:\d+\/acme\/models/,
    );
    expect(r.stdout).not.toContain('git lfs pull');

    const doc = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8'));
    const fp = doc.fingerprint ?? doc.models?.[0]?.fingerprint;
    expect(fp).toMatchObject({ mode: 'sketch', why: 'mode auto: at least 2 GiB of weights', totalBytes: big.size });
    expect(fp.bytesRead / big.size).toBeLessThan(0.01);
    const served = lfs.bytesServed();
    expect(served / big.size).toBeLessThan(0.01);
    expect(r.summary).toMatch(/\*\*Sketch\*\* \(mode auto: at least 2 GiB of weights\): read [\d.]+ MiB of 2\.\d+ GiB/);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ head_sha: HEAD_SHA, status: 'completed' })]);

    // the job token went to the batch API only; the storage got the links' own credentials
    const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
    expect(lfs.requests('batch').every((b) => b.authorization === basic)).toBe(true);
    expect(lfs.requests('storage').every((s) => /^RemoteAuth /.test(s.authorization ?? ''))).toBe(true);
    console.info(
      `lfs-e2e sketch: ${lfs.requests('storage').length} range requests, ${lfs.requests('batch').length} batch ` +
        `requests, ${served} of ${big.size} bytes (${((100 * served) / big.size).toFixed(2)} %), ` +
        `disk +${r.diskAfter - r.diskBefore} bytes${tmpfs ? ' (16 MiB tmpfs)' : ''}`,
    );
  });

  it('mode full: the model streamed once through the fingerprint, its oid verified, links renewed', async () => {
    commitModel('models/small', small.pointer);
    gh.setPrFiles(PR, ['models/small/model.safetensors']);
    lfs.options.linkUses = 2; // a link serves two range requests, then answers 403
    const r = await runAction({ mode: 'full' }).finally(() => {
      lfs.options.linkUses = 64;
    });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    expectWithinDiskBudget(r);
    const doc = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8'));
    expect(doc.fingerprint).toMatchObject({
      mode: 'full',
      why: 'mode full',
      bytesRead: small.size,
      totalBytes: small.size,
      verified: 'sha256 (Git LFS oid) of 1 of 1 weight file',
    });
    expect(lfs.bytesServed()).toBe(small.size); // one pass: the header and every tensor, each byte once
    expect(lfs.requests('storage').some((s) => s.status === 403)).toBe(true); // a link expired by use
    expect(lfs.requests('batch').length).toBeGreaterThan(1); // and was renewed
    expect(r.summary).toContain('**Full fingerprint** (mode full): read');
  });
});

describe('the bundled Action fails closed on every LFS failure, one line naming the file', () => {
  async function failing(setup: () => void, inputs: Record<string, string> = {}) {
    commitModel('models/m', small.pointer);
    gh.setPrFiles(PR, ['models/m/model.safetensors']);
    setup();
    const r = await runAction(inputs);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/); // no stack trace
    expectWithinDiskBudget(r);
    const errors = errorLines(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::weightprint: models\/m\/model\.safetensors: /);
    // the check run the job started is completed as a failure, with the reason
    expect(gh.checkRuns).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure' })]);
    return errors[0]!;
  }

  it('the batch API refusing the token (403)', async () => {
    const e = await failing(() => lfs.fault({ kind: 'batch-status', status: 403 }));
    expect(e).toMatch(/the LFS batch API at http:\/\/127\.0\.0\.1:\d+\/acme\/models\.git\/info\/lfs refused the token/);
  });

  it('an object missing from the LFS server', async () => {
    const e = await failing(() => lfs.fault({ kind: 'object-error', oid: small.oid, code: 404, message: 'Gone' }));
    expect(e).toMatch(/Git LFS object sha256:[0-9a-f]{64} is not on the LFS server \(404 Gone\)$/);
  });

  it('download links refused again and again, fresh ones included', async () => {
    const e = await failing(() => lfs.fault({ kind: 'refuse-links', oid: small.oid }));
    expect(e).toMatch(/the LFS storage refused 3 download links in a row for Git LFS object sha256:/);
  });

  it('in full mode, content that does not hash to the oid', async () => {
    const e = await failing(() => lfs.fault({ kind: 'corrupt', oid: small.oid }), { mode: 'full' });
    expect(e).toMatch(/the \d+ bytes served for Git LFS object sha256:[0-9a-f]{64} hash to sha256:[0-9a-f]{64}/);
  });

  it('a server without a batch API: the git lfs pull fallback, said in the log, and its own error', async () => {
    const e = await failing(() => lfs.fault({ kind: 'batch-status', status: 404 }));
    // git-lfs missing (this machine) or present (the pull then fails: the workspace is no git checkout)
    expect(e).toMatch(/is a Git LFS pointer.* the LFS batch API at .* answered HTTP 404,? and /);
    expect(e).toMatch(/and (git-lfs is not installed|`git lfs pull` failed)/);
  });
});
