/**
 * The Action's orchestration in-process: event → models, summary/outputs before publishing,
 * exit codes. The analysis is replaced by an engine returning CheckResult data, so these tests
 * are about the GitHub side; e2e.test.ts runs the real bundle with the real analysis.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodeSafetensors } from '../../src/formats/writer.js';
import type { CheckResult } from '../../src/check/types.js';
import MarkdownIt from 'markdown-it';
import { run } from '../../src/action/run.js';
import { InputError } from '../../src/errors.js';
import { createEngine, type Engine } from '../../src/check/engine.js';
import { FakeGitHub } from '../helpers/github-server.js';
import { LfsServer } from '../helpers/lfs-server.js';
import { LfsSession } from '../../src/formats/lfs-source.js';
import { CHECKOUT_SHA, fastClientOptions, gitCheckout, result } from './fixtures.js';

let gh: FakeGitHub;
let dir: string;
let ws: string;
let summaryFile: string;
let outputFile: string;
const saved = { ...process.env };

beforeAll(async () => {
  gh = await FakeGitHub.start();
  dir = mkdtempSync(join(tmpdir(), 'wp-run-'));
  // @actions/core caches the summary path on first use: one file for the whole suite.
  summaryFile = join(dir, 'summary.md');
});
afterAll(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

const HEAD = CHECKOUT_SHA; // the workspace's HEAD (gitCheckout): the pull request's head
const MERGE = 'c'.repeat(40);

function writeModel(rel: string, shards = 1) {
  const abs = join(ws, rel);
  mkdirSync(abs, { recursive: true });
  const bytes = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: new Uint8Array(8) }]);
  if (shards === 1) writeFileSync(join(abs, 'model.safetensors'), bytes);
  else {
    for (let i = 1; i <= shards; i++) writeFileSync(join(abs, `model-0000${i}-of-0000${shards}.safetensors`), bytes);
    writeFileSync(join(abs, 'model.safetensors.index.json'), JSON.stringify({ weight_map: {} }));
  }
  writeFileSync(join(abs, 'config.json'), '{}');
}

function setEnv(event: string, payload: object, inputs: Record<string, string> = {}) {
  const eventPath = join(dir, `event-${Math.random()}.json`);
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  Object.assign(process.env, {
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_SHA: event === 'merge_group' ? HEAD : MERGE, // a merge queue runs on the group's head
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: join(dir, 'temp'),
    GITHUB_WORKSPACE: ws,
    INPUT_TOKEN: 'ghs_test',
    INPUT_COMMENT: 'sticky',
    'INPUT_CHECK-NAME': 'Weightprint provenance',
    'INPUT_FAIL-ON': 'policy',
    INPUT_MODELS: '',
    INPUT_REGISTRY: '',
    INPUT_POLICY: '',
  });
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
}

/** A merge queue's checks_requested event for the group commit `head` on top of `base`. */
function mergeGroupPayload(base: string, head: string = HEAD) {
  return {
    action: 'checks_requested',
    merge_group: { head_sha: head, base_sha: base, base_ref: 'refs/heads/main' },
    repository: { default_branch: 'main' },
  };
}

const prPayload = {
  action: 'synchronize',
  number: 7,
  pull_request: { number: 7, head: { sha: HEAD, ref: 'feature' }, base: { sha: 'd'.repeat(40), ref: 'main' } },
};

/** Reads GITHUB_OUTPUT's heredoc format back into a map. */
function outputs(): Record<string, string> {
  const text = readFileSync(outputFile, 'utf8');
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

function fakeEngine(verdictOf: (model: string) => CheckResult = (m) => result(m, 'independent', 'pass')) {
  const calls: { models: string[]; registries?: string[]; policy?: string; mode?: string; lfs?: unknown }[] = [];
  const engine: Engine = {
    async runCheck(opts) {
      if (typeof opts.policy === 'object') throw new Error('the Action passes the policy as a file');
      calls.push({
        models: opts.models,
        registries: opts.registries,
        policy: opts.policy,
        mode: opts.mode,
        lfs: opts.lfs,
      });
      opts.onProgress?.('fingerprinting');
      return opts.models.map(verdictOf);
    },
    renderMarkdown: (results, o) =>
      `## report\n\n${results.map((r) => `- ${r.model}: ${r.verdict}`).join('\n')}\n${o?.maxLength ? '' : ''}`,
    conclusion: (results) => (results.some((r) => r.policy.result === 'fail') ? 'failure' : 'success'),
  };
  return { engine, calls };
}

const startCwd = process.cwd();
// The action talks to the runner through stdout (::error:: etc.); capture it for assertions and to keep
// the test log readable.
let logged: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);
beforeEach(() => {
  logged = [];
  process.stdout.write = ((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  gh.reset();
  ws = mkdtempSync(join(dir, 'ws-'));
  gitCheckout(ws);
  process.chdir(ws); // the runner starts actions in the workspace (vitest runs files in forks, so this is local)
  outputFile = join(ws, '..', `out-${Math.random()}.txt`);
  process.exitCode = undefined;
});
afterEach(() => {
  process.stdout.write = realWrite;
  process.chdir(startCwd);
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  // core.setFailed sets this; the test runner must not inherit it.
  process.exitCode = undefined;
});

describe('pull_request', () => {
  it('checks the model directories of changed shards on the head SHA, writes summary and outputs first', async () => {
    writeModel('models/a', 2);
    writeModel('models/b');
    mkdirSync(join(ws, 'tools'), { recursive: true });
    writeFileSync(join(ws, 'tools/config.json'), '{}');
    // the changed files the checkout holds (a changed config or card it lacks fails the run)
    writeFileSync(join(ws, 'README.md'), '# models\n');
    writeFileSync(join(ws, 'models/b/tokenizer.json'), '{}');
    gh.setPrFiles(7, [
      'models/a/model-00001-of-00002.safetensors',
      'models/a/config.json',
      'README.md',
      'tools/config.json', // a config outside a model directory
      ...Array.from({ length: 150 }, (_, i) => `docs/page-${i}.md`),
      'models/b/tokenizer.json',
    ]);
    gh.maxPerPage = 100;
    setEnv('pull_request', prPayload);
    const { engine, calls } = fakeEngine((m) =>
      m === 'models/a' ? result(m, 'derived', 'fail') : result(m, 'independent', 'pass'),
    );
    await run(engine, { client: fastClientOptions() });

    // mode auto by default; no LFS pointer, no LFS session
    expect(calls).toEqual([
      { models: ['models/a', 'models/b'], registries: undefined, policy: undefined, mode: 'auto', lfs: undefined },
    ]);
    expect(gh.requestsTo('GET', /\/pulls\/7\/files$/)).toHaveLength(2);
    expect(gh.checkRuns).toHaveLength(1);
    expect(gh.checkRuns[0]!.head_sha).toBe(HEAD);
    expect(gh.checkRuns[0]!.conclusion).toBe('failure');
    expect(gh.checkRuns[0]!.annotations.map((a) => a.path).sort()).toEqual([
      'models/a/model-00001-of-00002.safetensors',
      'models/b/model.safetensors',
    ]);
    expect(gh.comments.get(7)).toHaveLength(1);
    expect(readFileSync(summaryFile, 'utf8')).toContain('models/a: derived');
    const out = outputs();
    expect(out).toMatchObject({ verdict: 'derived', 'policy-result': 'fail', conclusion: 'failure' });
    expect(out['check-run-id']).toBe(String(gh.checkRuns[0]!.id));
    const doc = JSON.parse(readFileSync(out['report-json']!, 'utf8'));
    expect(doc).toMatchObject({ head_sha: HEAD, pr_number: 7, repository: 'acme/models', verdict: 'derived' });
    expect(readFileSync(out['report-markdown']!, 'utf8')).toContain('## report');
    expect(process.exitCode).toBe(1); // fail-on: policy
  });

  it('a directory name cannot start a workflow command line in the log', async () => {
    const evil = 'models/evil\n::error file=README.md::forged by a directory name';
    writeModel(evil);
    gh.setPrFiles(7, [`${evil}/model.safetensors`]);
    setEnv('pull_request', prPayload);
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls[0]!.models).toEqual([evil]);
    const lines = logged.join('').split(/\r?\n/);
    expect(lines.some((l) => l.includes('forged by a directory name'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('::error file=README.md::'))).toEqual([]);
  });

  it('a hostile model name in an error reaches the check run and job summary as text only', async () => {
    // The one-line error names the file; the check summary fences it, the job summary escapes it.
    const evil = 'models/x`</code><img src=x onerror=alert(1)> @org/team #1 $\\Huge{PASS}$ [l](http://e.example)';
    writeModel(evil);
    gh.setPrFiles(7, [`${evil}/model.safetensors`]);
    setEnv('pull_request', prPayload);
    const engine: Engine = {
      ...fakeEngine().engine,
      runCheck: async () => {
        throw new InputError(`${evil}/model.safetensors`, 'header length 999 runs past the end of the file');
      },
    };
    await run(engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    const md = new MarkdownIt({ html: true, linkify: true });
    const summaries = [gh.checkRuns[0]!.output.summary!, readFileSync(summaryFile, 'utf8')];
    for (const source of summaries) {
      const html = md.render(source);
      expect(html).toContain('runs past the end of the file');
      // only the tags our own markdown makes: no image, link, or element the name opened
      const tags = [...html.matchAll(/<([a-z][a-z0-9]*)\b/gi)].map((m) => m[1]!.toLowerCase());
      expect(
        tags.filter((t) => !['h2', 'p', 'pre', 'code'].includes(t)),
        source,
      ).toEqual([]);
      // outside code, no mention, reference or math the author wrote
      const prose = html.replace(/<(code|pre)>[\s\S]*?<\/\1>/g, ' ');
      expect(prose).not.toMatch(/@org|#1\b|http:\/\//);
      expect(source.replace(/^```[\s\S]*?^```$/gm, '')).not.toMatch(/(?<!\\)\$/);
    }
  });

  it('completes a neutral check and posts no comment when no model changed', async () => {
    writeFileSync(join(ws, 'README.md'), '# models\n');
    gh.setPrFiles(7, ['README.md', 'src/x.ts']);
    setEnv('pull_request', prPayload);
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(gh.checkRuns).toEqual([
      expect.objectContaining({
        head_sha: HEAD,
        conclusion: 'neutral',
        output: expect.objectContaining({ title: 'No model weights changed' }),
      }),
    ]);
    expect(gh.comments.get(7) ?? []).toHaveLength(0);
    expect(outputs()).toMatchObject({ verdict: 'none', 'policy-result': 'pass' });
    expect(process.exitCode).toBeUndefined();
  });

  it('with fail-on: never, a policy failure shows on the check but not the job', async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    setEnv('pull_request', prPayload, { 'fail-on': 'never' });
    await run(fakeEngine((m) => result(m, 'derived', 'fail')).engine, { client: fastClientOptions() });
    expect(gh.checkRuns[0]!.conclusion).toBe('failure');
    expect(process.exitCode).toBeUndefined();
  });

  it('with fail-on: warn, a policy warning fails the job', async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    setEnv('pull_request', prPayload, { 'fail-on': 'warn' });
    await run(fakeEngine((m) => result(m, 'derived', 'warn')).engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
  });

  it('on a fork (403 everywhere) keeps summary, files and outputs, and exits by policy', async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    gh.deny.add('comments').add('checks').add('statuses');
    setEnv('pull_request', prPayload);
    await run(fakeEngine((m) => result(m, 'independent', 'pass')).engine, { client: fastClientOptions() });
    expect(process.exitCode).toBeUndefined();
    expect(outputs()).toMatchObject({ verdict: 'independent', 'policy-result': 'pass' });
    expect(readFileSync(summaryFile, 'utf8')).toContain('m: independent');
    expect(gh.writes()).toHaveLength(0);
    expect(logged.join('').match(/^::warning::/gm)).toHaveLength(3);
  });

  it('completes the started check as failed when the analysis throws', async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    setEnv('pull_request', prPayload);
    const engine: Engine = {
      ...fakeEngine().engine,
      runCheck: async () => {
        throw new Error('registry unreachable');
      },
    };
    await run(engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure' })]);
    expect(gh.checkRuns[0]!.output.summary).toContain('registry unreachable');
  });
});

describe('fails closed', () => {
  it('with timeout, an analysis past it is aborted and its check completes as failed saying so', async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    setEnv('pull_request', prPayload, { timeout: '1' });
    const given: Array<AbortSignal | undefined> = [];
    const engine: Engine = {
      ...fakeEngine().engine,
      // one huge model, read by something that ignores the abort: it never ends by itself
      runCheck: (opts) => {
        given.push(opts.signal);
        return new Promise(() => {});
      },
    };
    await run(engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure' })]);
    expect(gh.checkRuns[0]!.output.summary).toContain('timed out after 1 s (input `timeout`)');
    expect(gh.comments.get(7) ?? []).toHaveLength(0);
    // the analysis (when the budget lasted until it started) was handed the budget's signal, now aborted
    for (const signal of given) expect(String(signal?.reason)).toMatch(/^Error: timed out after 1 s/);
  });

  /**
   * A `git` placed first on PATH: `git lfs version` answers; a command with `hang` among its
   * arguments starts a grandchild that never ends (`sleep 600`, holding the pipes) and waits for it,
   * after writing both pids; anything else goes to the real git. Returns the file the pids go to.
   */
  function fakeGit(hang: string): string {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const pids = join(bin, 'pids');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'git'),
      [
        '#!/bin/sh',
        'if [ "$1 $2" = "lfs version" ]; then echo "git-lfs/3.5.1 (fake)"; exit 0; fi',
        'for a in "$@"; do',
        `  if [ "$a" = "${hang}" ]; then sleep 600 & echo "$$ $!" > "${pids}"; wait; exit 0; fi`,
        'done',
        `exec "${realGit}" "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'git'), 0o755);
    process.env.PATH = `${bin}:${process.env.PATH}`;
    return pids;
  }

  /** Alive: signalable and not a zombie (a killed orphan stays one where PID 1 does not reap). */
  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return true;
    }
  }

  async function expectKilled(pidsFile: string) {
    const pids = readFileSync(pidsFile, 'utf8').trim().split(' ').map(Number);
    expect(pids).toHaveLength(2); // the fake git and its `sleep 600`
    await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), { timeout: 20_000, interval: 50 });
  }

  it.skipIf(process.platform === 'win32')(
    'with timeout, a `git lfs pull` fallback past it is killed with its grandchild and the check completes saying so',
    { timeout: 60_000 },
    async () => {
      const lfs = await LfsServer.start();
      try {
        lfs.fault({ kind: 'batch-status', status: 404 }); // no batch API: the fallback runs
        mkdirSync(join(ws, 'm'), { recursive: true });
        writeFileSync(
          join(ws, 'm/model.safetensors'),
          `version https://git-lfs.github.com/spec/v1\noid sha256:${'a'.repeat(64)}\nsize 123456\n`,
        );
        setEnv('workflow_dispatch', {}, { models: 'm', timeout: '1', 'on-error': 'action_required' });
        process.env.GITHUB_SERVER_URL = lfs.url;
        const pids = fakeGit('pull');
        const { engine, calls } = fakeEngine();
        await run(engine, { client: fastClientOptions() });
        expect(existsSync(pids)).toBe(true); // the pull did start
        expect(calls).toHaveLength(0);
        expect(process.exitCode).toBe(1);
        expect(gh.checkRuns).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'action_required' })]);
        const error = logged
          .join('')
          .split('\n')
          .filter((l) => l.startsWith('::error::'));
        expect(error).toHaveLength(1);
        expect(error[0]).toMatch(
          /^::error::weightprint: timed out after 1 s \(input `timeout`\) during `git lfs pull` /,
        );
        expect(error[0]).toContain('`git lfs pull` of m/model.safetensors: the models were not all read');
        expect(gh.checkRuns[0]!.output.summary).toContain('during `git lfs pull` of m/model.safetensors');
        expect(gh.checkRuns[0]!.output.summary).not.toMatch(/\n\s+at /); // no stack trace
        await expectKilled(pids);
      } finally {
        await lfs.close();
      }
    },
  );

  it.skipIf(process.platform === 'win32')(
    'with timeout, a git command picking the models that never answers is killed and the run ends saying so',
    { timeout: 60_000 },
    async () => {
      writeModel('m');
      gh.setPrFiles(7, ['m/model.safetensors']);
      setEnv('pull_request', prPayload, { timeout: '1' });
      const pids = fakeGit('rev-parse'); // verifying the checkout's HEAD
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      expect(calls).toHaveLength(0);
      expect(process.exitCode).toBe(1);
      expect(logged.join('')).toMatch(/::error::weightprint: timed out after 1 s \(input `timeout`\): /);
      // stopped before a check run was started: none is left in progress
      expect(gh.checkRuns).toEqual([]);
      await expectKilled(pids);
    },
  );

  it('with timeout, a pull request files listing that never answers is cancelled and the run ends saying so', {
    timeout: 60_000,
  }, async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    gh.stall('GET', '/repos/acme/models/pulls/7/files');
    setEnv('pull_request', prPayload, { timeout: '1' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toMatch(/::error::weightprint: timed out after 1 s \(input `timeout`\): /);
    expect(gh.checkRuns).toEqual([]); // stopped before a check run was started
    // the request itself was given up, not left open behind the run's end
    await vi.waitFor(() => expect(gh.stalled).toEqual([expect.objectContaining({ cancelled: true })]), {
      timeout: 20_000,
    });
  });

  it('with timeout, a policy read that never answers is cancelled and the check completes saying so', {
    timeout: 60_000,
  }, async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    gh.stall('GET', /^\/repos\/acme\/models\/contents\//);
    setEnv('pull_request', prPayload, { timeout: '1' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(process.exitCode).toBe(1);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure' })]);
    expect(gh.checkRuns[0]!.output.summary).toContain('timed out after 1 s (input `timeout`)');
    await vi.waitFor(() => expect(gh.stalled).toEqual([expect.objectContaining({ cancelled: true })]), {
      timeout: 20_000,
    });
  });

  it('rejects a timeout that is not a positive number of seconds', async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    for (const bad of ['0', '-5', '30m', 'abc']) {
      setEnv('pull_request', prPayload, { timeout: bad });
      process.exitCode = undefined;
      await run(fakeEngine().engine, { client: fastClientOptions() });
      expect(process.exitCode).toBe(1);
      expect(logged.join('')).toContain(`input \`timeout\`: "${bad}" is not a positive number of seconds`);
    }
  });

  it('with on-error: action_required, a run that cannot analyse completes its check as action_required', async () => {
    writeModel('m');
    gh.setPrFiles(7, ['m/model.safetensors']);
    setEnv('pull_request', prPayload, { 'on-error': 'action_required' });
    const engine: Engine = {
      ...fakeEngine().engine,
      runCheck: async () => {
        throw new Error('m/model.safetensors: header length runs past the end of the file');
      },
    };
    await run(engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'action_required' })]);
  });

  it("a PR past GitHub's 3,000-file listing checks every model in the checkout, not only the listed ones", async () => {
    writeModel('listed');
    writeModel('hidden'); // changed in the PR, but past what the API lists
    gh.setPrFiles(7, [...Array.from({ length: 2999 }, (_, i) => `data/${i}.txt`), 'listed/model.safetensors']);
    setEnv('pull_request', prPayload);
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls.map((c) => c.models)).toEqual([['hidden', 'listed']]);
    expect(logged.join('')).toContain('checking every model in the checkout');
  });

  it('a PR past the 3,000-file listing cannot hide weights no reader opens: the run fails, naming it', async () => {
    // 2,999 junk files push the ONNX copy past what the API lists; the checkout scan used to see models only
    writeModel('listed');
    mkdirSync(join(ws, 'node_modules/x/onnx'), { recursive: true });
    writeFileSync(join(ws, 'node_modules/x/onnx/model.onnx'), 'onnx bytes');
    gh.setPrFiles(7, [...Array.from({ length: 2999 }, (_, i) => `data/${i}.txt`), 'listed/model.safetensors']);
    setEnv('pull_request', prPayload);
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toContain(
      'node_modules/x/onnx/model.onnx: ONNX weights cannot be read by Weightprint, so it cannot vouch for them',
    );
    expect(logged.join('')).toContain('changes more files than GitHub lists, so whether it adds or changes this one');
  });

  it('a PR past the 3,000-file listing cannot hide a change to a repository registry: the run fails', async () => {
    // registry/index.json changed past what the API lists used to go unseen by the registry guard
    writeModel('listed');
    mkdirSync(join(ws, 'registry'), { recursive: true });
    gh.setPrFiles(7, [...Array.from({ length: 2999 }, (_, i) => `data/${i}.txt`), 'listed/model.safetensors']);
    setEnv('pull_request', prPayload, { registry: 'registry' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toContain(
      'input `registry`: registry is in the repository, and #7 changes more files than GitHub lists (3,000)',
    );
  });
});

describe('symlinks a model reads through (followed as the App follows them: formats/repo-links.ts)', () => {
  /** `m` with its weights replaced by a link to `target`; the PR changes `changed`. */
  async function selected(target: string, changed: string[], setup: () => void = () => {}, real?: Engine) {
    writeModel('m');
    rmSync(join(ws, 'm/model.safetensors'));
    symlinkSync(target, join(ws, 'm/model.safetensors'));
    setup();
    gh.setPrFiles(7, changed);
    setEnv('pull_request', prPayload);
    const { engine, calls } = fakeEngine();
    await run(real ?? engine, { client: fastClientOptions() });
    return { models: calls.map((c) => c.models), log: logged.join('') };
  }

  it('a loop the pull request closes: the model reading through it is checked (it used to be skipped)', async () => {
    const r = await selected('../loop/a', ['loop/b'], () => {
      mkdirSync(join(ws, 'loop'));
      symlinkSync('b', join(ws, 'loop/a'));
      symlinkSync('a', join(ws, 'loop/b'));
    });
    expect(r.models).toEqual([['m']]);
    expect(r.log).toContain('Checking m/model.safetensors: it is a symlink this check does not follow');
  });

  it('a chain longer than the file system follows (41 links) to a changed file: checked', async () => {
    const r = await selected('../chain/h40', ['store/blob'], () => {
      mkdirSync(join(ws, 'chain'));
      mkdirSync(join(ws, 'store'));
      writeFileSync(join(ws, 'store/blob'), 'weights');
      for (let i = 0; i <= 40; i++) symlinkSync(i ? `h${i - 1}` : '../store/blob', join(ws, `chain/h${i}`));
    });
    expect(r.models).toEqual([['m']]);
  });

  it('links through directories, and absolute links into the workspace, to a changed file: checked', async () => {
    const r = await selected('../current/blob', ['store/v2/blob'], () => {
      mkdirSync(join(ws, 'store/v2'), { recursive: true });
      writeFileSync(join(ws, 'store/v2/blob'), 'weights');
      symlinkSync('store/latest', join(ws, 'current'));
      symlinkSync('v2', join(ws, 'store/latest'));
    });
    expect(r.models, r.log).toEqual([['m']]);
    rmSync(join(ws, 'm'), { recursive: true });
    const abs = await selected(join(ws, 'store/v2/blob'), ['notes.txt']);
    expect(abs.models).toEqual([['m']]);
    expect(abs.log).toMatch(/Checking m\/model\.safetensors: it is a symlink this check does not follow \(.*outside/);
  });

  it('with the real engine, a model read through a chain past the bound fails the run in one line', async () => {
    // The file system follows the 9 links; the App refuses them. The Action now refuses too, so the
    // same commit cannot pass here and fail there (or read different bytes).
    const r = await selected(
      '../chain/h8',
      ['store/blob'],
      () => {
        mkdirSync(join(ws, 'chain'));
        mkdirSync(join(ws, 'store'));
        const bytes = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: new Uint8Array(8) }]);
        writeFileSync(join(ws, 'store/blob'), bytes);
        for (let i = 0; i <= 8; i++) symlinkSync(i ? `h${i - 1}` : '../store/blob', join(ws, `chain/h${i}`));
      },
      createEngine(),
    );
    expect(r.models).toEqual([]);
    expect(process.exitCode).toBe(1);
    expect(r.log.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      expect.stringMatching(/^::error::weightprint: .*m\/model\.safetensors: leads through more than 8 symlinks/),
    ]);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure' })]);
  });

  it("a link into .git (git's data, which no pull request lists): the model is checked", async () => {
    const r = await selected('../.git/HEAD', ['notes.txt']);
    expect(r.models).toEqual([['m']]);
    expect(r.log).toContain('leads into .git');
  });
});

describe('other events and inputs', () => {
  it('a tag push checks every model in the checkout, on GITHUB_SHA', async () => {
    writeModel('release/a');
    writeModel('release/b', 2);
    setEnv('push', { ref: 'refs/tags/v1.0.0', after: MERGE });
    process.env.GITHUB_REF = 'refs/tags/v1.0.0';
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls[0]!.models).toEqual(['release/a', 'release/b']);
    expect(gh.checkRuns[0]!.head_sha).toBe(MERGE);
    expect(gh.requestsTo('POST', /comments/)).toHaveLength(0);
  });

  it('explicit models accept globs (shards collapse to their directory) and hf: ids', async () => {
    writeModel('models/a', 2);
    writeModel('models/b');
    writeModel('other/c');
    setEnv(
      'workflow_dispatch',
      { inputs: {} },
      { models: 'models/**/*.safetensors\nhf:org/model', registry: 'reg1, https://example.com/reg2' },
    );
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls[0]).toMatchObject({
      models: ['models/a', 'models/b', 'hf:org/model'],
      registries: [join(ws, 'reg1'), 'https://example.com/reg2'],
    });
  });

  it('uses .github/weightprint.yml as the default policy', async () => {
    writeModel('m');
    mkdirSync(join(ws, '.github'), { recursive: true });
    writeFileSync(join(ws, '.github/weightprint.yml'), 'rules: []\n');
    setEnv('workflow_dispatch', {}, { models: 'm' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls[0]!.policy).toBe(join(ws, '.github/weightprint.yml'));
  });

  it.each([
    ['workflow_dispatch without models', 'workflow_dispatch', {}, /input `models`: is required for workflow_dispatch/],
    [
      'a bad comment input',
      'workflow_dispatch',
      { models: 'm', comment: 'always' },
      /input `comment`: "always" is not one of sticky, off/,
    ],
    ['a missing model path', 'workflow_dispatch', { models: 'nope/' }, /input `models`: nope\/ does not exist/],
  ])('fails with one line on %s', async (_name, event, inputs, message) => {
    writeModel('m');
    setEnv(event, {}, inputs as Record<string, string>);
    await run(fakeEngine().engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    const errors = logged
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(logged.join('')).not.toMatch(/\n\s+at /); // no stack trace
    expect(gh.writes()).toHaveLength(0);
  });

  it("on a pull request the policy is the base commit's, never the checkout's (the PR author wrote it)", async () => {
    writeModel('m');
    mkdirSync(join(ws, '.github'), { recursive: true });
    writeFileSync(join(ws, '.github/weightprint.yml'), 'fail-on: []\nwarn-on: []\n'); // the PR's version
    const baseSha = prPayload.pull_request.base.sha;
    gh.setFile(baseSha, '.github/weightprint.yml', 'fail-on: [identical, derived]\n');
    gh.setPrFiles(7, ['m/model.safetensors', '.github/weightprint.yml']);
    const inputs: Record<string, string>[] = [
      {},
      { policy: '.github/weightprint.yml' },
      { policy: join(ws, '.github/weightprint.yml') },
    ];
    for (const input of inputs) {
      setEnv('pull_request', prPayload, input);
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      expect(calls).toHaveLength(1);
      expect(calls[0]!.policy).not.toBe(join(ws, '.github/weightprint.yml'));
      expect(readFileSync(calls[0]!.policy!, 'utf8')).toBe('fail-on: [identical, derived]\n');
      expect(
        gh
          .requestsTo('GET', /\/contents\//)
          .at(-1)!
          .query.get('ref'),
      ).toBe(baseSha);
    }
    // No policy at the base: the default policy, although the checkout has one.
    gh.files.clear();
    setEnv('pull_request', prPayload);
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls[0]!.policy).toBeUndefined();
  });

  it("a pull request into another branch is held to the default branch's policy, not that branch's", async () => {
    // A collaborator pushes branch `lax` with a relaxed policy and opens the copy's PR into it; a
    // check run passed there would stand for the same head commit's PR into the default branch.
    writeModel('m');
    const lax = 'e'.repeat(40);
    gh.setFile(lax, '.github/weightprint.yml', 'fail-on: []\nwarn-on: []\n');
    gh.setFile('main', '.github/weightprint.yml', 'fail-on: [identical, derived]\n');
    gh.setPrFiles(7, ['m/model.safetensors']);
    const intoLax = {
      ...prPayload,
      pull_request: { ...prPayload.pull_request, base: { sha: lax, ref: 'lax', repo: { default_branch: 'main' } } },
      repository: { default_branch: 'main' },
    };
    for (const input of [{}, { policy: '.github/weightprint.yml' }] as Record<string, string>[]) {
      setEnv('pull_request', intoLax, input);
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      expect(calls).toHaveLength(1);
      expect(readFileSync(calls[0]!.policy!, 'utf8')).toBe('fail-on: [identical, derived]\n');
      expect(logged.join('')).toContain('Policy: .github/weightprint.yml at the default branch main');
    }
    // a PR into the default branch keeps its base commit's policy
    const intoMain = { ...intoLax, pull_request: { ...prPayload.pull_request, base: { sha: lax, ref: 'main' } } };
    setEnv('pull_request', intoMain);
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(readFileSync(calls[0]!.policy!, 'utf8')).toBe('fail-on: []\nwarn-on: []\n');
  });

  it("a merge queue's group commit is held to the policy of the commit it merges onto, not its own", async () => {
    // The group commit holds the queued pull requests' files: their .github/weightprint.yml too.
    writeModel('m');
    mkdirSync(join(ws, '.github'), { recursive: true });
    writeFileSync(join(ws, '.github/weightprint.yml'), 'fail-on: []\nwarn-on: []\n');
    const baseSha = 'f'.repeat(40);
    gh.setFile(baseSha, '.github/weightprint.yml', 'fail-on: [identical, derived]\n');
    const group = {
      action: 'checks_requested',
      merge_group: {
        head_sha: HEAD,
        head_ref: 'refs/heads/gh-readonly-queue/main/pr-7',
        base_sha: baseSha,
        base_ref: 'refs/heads/main',
      },
      repository: { default_branch: 'main' },
    };
    gh.compareFiles.set(`${baseSha}...${HEAD}`, [{ filename: '.github/weightprint.yml', status: 'modified' }]);
    setEnv('merge_group', group);
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.models).toEqual(['m']); // every model of the group commit
    expect(gh.checkRuns[0]!.head_sha).toBe(HEAD);
    expect(readFileSync(calls[0]!.policy!, 'utf8')).toBe('fail-on: [identical, derived]\n');
    expect(logged.join('')).toContain(`Policy: .github/weightprint.yml at the base commit ${baseSha.slice(0, 7)}`);
    // a group payload without its base cannot be held to anything: the run fails
    setEnv('merge_group', { ...group, merge_group: { head_sha: HEAD } });
    const again = fakeEngine();
    await run(again.engine, { client: fastClientOptions() });
    expect(again.calls).toHaveLength(0);
    expect(logged.join('')).toContain('merge_group payload has no merge_group.base_sha');
  });

  it("a merge queue run reads the group's head commit: another checkout, or no git checkout, fails", async () => {
    // merge_group runs had no checkout check: a workflow checking out the base branch (or any ref)
    // had the queued pull requests' weights read as they were before them, and the group passed.
    writeModel('m');
    const base = 'f'.repeat(40);
    gh.setFile(base, '.github/weightprint.yml', 'fail-on: [identical, derived]\n');
    const group = (head: string) => mergeGroupPayload(base, head);
    for (const head of [MERGE, HEAD])
      gh.compareFiles.set(`${base}...${head}`, [{ filename: 'notes.txt', status: 'added' }]);
    const attempt = async (payload: object, inputs: Record<string, string> = {}) => {
      logged = [];
      process.exitCode = undefined;
      setEnv('merge_group', payload, inputs);
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      const errors = logged
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('::error::'));
      return { calls: calls.length, exitCode: process.exitCode, errors };
    };
    // the workspace (HEAD = CHECKOUT_SHA) is not the group's head MERGE, with or without `models`
    for (const inputs of [{}, { models: 'm' }] as Record<string, string>[]) {
      const other = await attempt(group(MERGE), inputs);
      expect(other).toMatchObject({ calls: 0, exitCode: 1 });
      expect(other.errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `^::error::weightprint: .*: is a checkout of ${HEAD.slice(0, 12)}, not of the merge group's head ` +
              `${MERGE.slice(0, 12)}: the weights read would not be the merge group's`,
          ),
        ),
      ]);
    }
    // no head_sha in the payload: nothing to compare the checkout with, the run fails
    const headless = await attempt({ ...group(MERGE), merge_group: { base_sha: base } });
    expect(headless).toMatchObject({ calls: 0, exitCode: 1 });
    expect(headless.errors).toEqual([expect.stringContaining('merge_group payload has no merge_group.head_sha')]);
    // the group's head checked out: analysed
    const atHead = await attempt(group(HEAD));
    expect(atHead).toMatchObject({ calls: 1, exitCode: undefined });
    // files without git (actions/checkout through the API): fails, as on pull requests
    rmSync(join(ws, '.git'), { recursive: true, force: true });
    const noGit = await attempt(group(HEAD));
    expect(noGit).toMatchObject({ calls: 0, exitCode: 1 });
    expect(noGit.errors).toEqual([expect.stringMatching(/: is not a git checkout \(.*\), so whether it holds/)]);
  });

  it('a merge queue group cannot keep a model it changes out of the check through the `models` input', async () => {
    // The workflow, `models` input included, is the group commit's: a queued pull request may edit
    // it. Only the listed models were checked, so a copy added elsewhere merged unread.
    writeModel('m');
    writeModel('copy');
    writeModel('untouched');
    const base = 'f'.repeat(40);
    const group = mergeGroupPayload(base);
    gh.compareFiles.set(`${base}...${HEAD}`, [
      { filename: 'copy/model.safetensors', status: 'added' },
      { filename: '.github/workflows/weightprint.yml', status: 'modified' },
    ]);
    setEnv('merge_group', group, { models: 'm' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls.map((c) => c.models)).toEqual([['m', 'copy']]);
    expect(gh.requestsTo('GET', /\/compare\//)).toHaveLength(1);
    // past what the compare API lists (300 files), every model of the group commit is checked
    gh.compareFiles.set(
      `${base}...${HEAD}`,
      Array.from({ length: 300 }, (_, i) => ({ filename: `data/${i}.txt`, status: 'added' })),
    );
    setEnv('merge_group', group, { models: 'm' });
    const all = fakeEngine();
    await run(all.engine, { client: fastClientOptions() });
    expect(all.calls.map((c) => c.models)).toEqual([['m', 'copy', 'untouched']]);
  });

  it('a checkout that is not the pull request (pull_request_target without a ref: the base) fails', async () => {
    // pull_request_target checks out the base branch unless told otherwise: a model the PR
    // modifies was read as it was before the PR (its honest weights), and the run passed.
    writeModel('m');
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: ws,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      })
        .toString()
        .trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const checkedOut = git('rev-parse', 'HEAD');
    gh.setPrFiles(7, ['m/model.safetensors']);
    for (const event of ['pull_request_target', 'pull_request']) {
      logged = [];
      process.exitCode = undefined;
      setEnv(event, prPayload, { models: 'm' });
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      expect(calls, event).toHaveLength(0);
      expect(process.exitCode, event).toBe(1);
      expect(logged.join(''), event).toContain(
        `is a checkout of ${checkedOut.slice(0, 12)}, not of the pull request's head ${HEAD.slice(0, 12)}`,
      );
    }
    // the pull request's head checked out: analysed
    logged = [];
    process.exitCode = undefined;
    const atHead = { ...prPayload, pull_request: { ...prPayload.pull_request, head: { sha: checkedOut, ref: 'f' } } };
    setEnv('pull_request_target', atHead, { models: 'm' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(1);
  });

  it('a workspace that is no git checkout, or inside one, fails on pull request events only', async () => {
    // actions/checkout on a runner without git downloads the files through the API; under
    // pull_request_target those are the base branch's, so a modified model was read as its honest
    // predecessor. The run logged 'not a git checkout' and passed.
    writeModel('m');
    rmSync(join(ws, '.git'), { recursive: true, force: true });
    gh.setPrFiles(7, ['m/model.safetensors']);
    const attempt = async (event: string, payload: object, workspace = ws) => {
      logged = [];
      process.exitCode = undefined;
      setEnv(event, payload, { models: 'm' });
      process.env.GITHUB_WORKSPACE = workspace;
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      return { calls: calls.length, exitCode: process.exitCode, log: logged.join('') };
    };
    for (const event of ['pull_request_target', 'pull_request']) {
      const r = await attempt(event, prPayload);
      expect(r, event).toMatchObject({ calls: 0, exitCode: 1 });
      const errors = r.log.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors, event).toHaveLength(1);
      expect(errors[0], event).toMatch(/^::error::weightprint: .*: is not a git checkout \(.*\), so whether/);
      expect(errors[0], event).toContain("it must be a git checkout of the pull request's head or merge commit");
    }
    // other events read the workspace as it is, git or not
    for (const event of ['workflow_dispatch', 'push']) {
      const r = await attempt(event, {});
      expect(r, event).toMatchObject({ calls: 1, exitCode: undefined });
    }
    // a workspace inside another repository's checkout: that HEAD says nothing about the workspace
    gitCheckout(ws);
    writeModel('sub/m');
    const nested = await attempt('pull_request_target', prPayload, join(ws, 'sub'));
    expect(nested).toMatchObject({ calls: 0, exitCode: 1 });
    expect(nested.log).toMatch(/is not the root of a git checkout \(that is .*\), so whether/);
  });

  it("a checkout git refuses ('dubious ownership') is still checked; one whose HEAD is unreadable fails", async () => {
    // A container job's checkout belongs to another user: git refused it, the check logged
    // 'not a git checkout' and the base branch's weights passed for the PR's.
    writeModel('m');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't' };
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: ws, env: { ...env, GIT_COMMITTER_EMAIL: 't@t' } })
        .toString()
        .trim();
    gh.setPrFiles(7, ['m/model.safetensors']);
    const attempt = async () => {
      logged = [];
      process.exitCode = undefined;
      setEnv('pull_request_target', prPayload, { models: 'm' });
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      return { calls: calls.length, exitCode: process.exitCode, log: logged.join('') };
    };
    if (process.getuid?.() === 0) {
      git('init', '-q');
      git('add', '-A');
      git('commit', '-qm', 'base');
      const checkedOut = git('rev-parse', 'HEAD');
      execFileSync('chown', ['-R', '65534:65534', ws]); // owned by another user than this process
      expect(() => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws, stdio: 'pipe' })).toThrow(/dubious/);
      const refused = await attempt();
      expect(refused).toMatchObject({ calls: 0, exitCode: 1 });
      expect(refused.log).toContain(`is a checkout of ${checkedOut.slice(0, 12)}, not of the pull request's head`);
      rmSync(join(ws, '.git'), { recursive: true, force: true });
    } else console.warn('skipped the dubious-ownership half: it needs root to give the checkout to another user');
    // a .git git cannot read (a worktree link to nowhere): fail closed, one line saying why
    rmSync(join(ws, '.git'), { recursive: true, force: true });
    writeFileSync(join(ws, '.git'), 'gitdir: /nonexistent/worktrees/x\n');
    const unreadable = await attempt();
    expect(unreadable).toMatchObject({ calls: 0, exitCode: 1 });
    expect(unreadable.log).toMatch(
      /is a git checkout whose HEAD git cannot read \(not a git repository: \/nonexistent/,
    );
  });

  it('a merge queue group that changes the repository registry it is checked against fails the run', async () => {
    writeModel('m');
    mkdirSync(join(ws, 'registry'), { recursive: true });
    const base = 'f'.repeat(40);
    const group = mergeGroupPayload(base);
    gh.compareFiles.set(`${base}...${HEAD}`, [
      { filename: 'm/model.safetensors', status: 'modified' },
      { filename: 'registry/index.json', status: 'modified' },
    ]);
    setEnv('merge_group', group, { registry: 'registry' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toContain(
      `registry is changed by the merge group ${HEAD.slice(0, 7)} (registry/index.json): a pull request cannot ` +
        'change the registry it is checked against',
    );
    // a group that leaves it alone is checked against it
    logged = [];
    process.exitCode = undefined;
    gh.compareFiles.set(`${base}...${HEAD}`, [{ filename: 'm/model.safetensors', status: 'modified' }]);
    setEnv('merge_group', group, { registry: 'registry' });
    const ok = fakeEngine();
    await run(ok.engine, { client: fastClientOptions() });
    expect(ok.calls).toHaveLength(1);
  });

  it('on a pull request without a token, a base policy that cannot be read fails the run (closed)', async () => {
    writeModel('m');
    mkdirSync(join(ws, '.github'), { recursive: true });
    writeFileSync(join(ws, '.github/weightprint.yml'), 'fail-on: []\n');
    setEnv('pull_request', prPayload, { models: 'm', token: '' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toContain("cannot read the policy at the pull request's base commit");
    // the base commit in the clone's history (fetch-depth: 0): its policy is read with git
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't' };
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: ws, env: { ...env, GIT_COMMITTER_EMAIL: 't@t' } })
        .toString()
        .trim();
    git('add', '.github');
    git('commit', '-qm', 'base policy');
    const sha = git('rev-parse', 'HEAD');
    const pr = { ...prPayload.pull_request, head: { sha, ref: 'f' }, base: { sha, ref: 'main' } };
    logged = [];
    process.exitCode = undefined;
    setEnv('pull_request', { ...prPayload, pull_request: pr }, { models: 'm', token: '' });
    const inHistory = fakeEngine();
    await run(inHistory.engine, { client: fastClientOptions() });
    expect(inHistory.calls).toHaveLength(1);
    expect(inHistory.calls[0]!.policy).toMatch(/weightprint\/base-[0-9a-f]{12}\/\.github\/weightprint\.yml$/);
    // a container job's checkout, owned by another user: git's 'dubious ownership' refusal used to
    // read as "the commit is not in the checkout" and fail a run whose policy was right there
    if (process.getuid?.() === 0) {
      execFileSync('chown', ['-R', '65534:65534', ws]);
      expect(() => execFileSync('git', ['show', `${sha}:.github/weightprint.yml`], { cwd: ws, stdio: 'pipe' })).toThrow(
        /dubious/,
      );
      logged = [];
      process.exitCode = undefined;
      const owned = fakeEngine();
      await run(owned.engine, { client: fastClientOptions() });
      expect(logged.join('')).not.toContain('cannot read the policy');
      expect(owned.calls).toHaveLength(1);
      expect(owned.calls[0]!.policy).toMatch(/weightprint\/base-[0-9a-f]{12}\/\.github\/weightprint\.yml$/);
    } else console.warn('skipped the dubious-ownership half: it needs root to give the checkout to another user');
  });

  it('reads LFS pointers by range through the batch API with the job token, in the mode asked for', async () => {
    const lfs = await LfsServer.start({ token: 'ghs_job_token' });
    try {
      const bytes = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: new Uint8Array(8) }]);
      const { pointer } = lfs.add({ bytes });
      mkdirSync(join(ws, 'm'), { recursive: true });
      writeFileSync(join(ws, 'm/model.safetensors'), pointer);
      setEnv('workflow_dispatch', {}, { models: 'm', token: 'ghs_job_token', mode: 'full' });
      process.env.GITHUB_SERVER_URL = lfs.url;
      const { engine, calls } = fakeEngine();
      await run(engine, { client: fastClientOptions() });
      expect(calls).toHaveLength(1);
      expect(calls[0]!.mode).toBe('full');
      expect(calls[0]!.lfs).toBeInstanceOf(LfsSession);
      // one batch request for the model's objects, with the job token, before the analysis
      expect(lfs.requests('batch')).toHaveLength(1);
      expect(lfs.requests('batch')[0]!.path).toBe('/acme/models.git/info/lfs/objects/batch');
      expect(lfs.requests('batch')[0]!.authorization).toBe(
        `Basic ${Buffer.from('x-access-token:ghs_job_token').toString('base64')}`,
      );
      expect(logged.join('')).toMatch(/Reading 1 Git LFS object \(\d+ bytes\) by range from .*nothing is downloaded/);
    } finally {
      await lfs.close();
    }
  });

  it('rejects an unknown mode in one line', async () => {
    writeModel('m');
    setEnv('workflow_dispatch', {}, { models: 'm', mode: 'sample' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0);
    expect(logged.join('')).toContain('::error::weightprint: input `mode`: "sample" is not one of auto, sketch, full');
  });

  it('a server without a batch API: falls back to git lfs pull, stops with the fix without git-lfs', async () => {
    // Contract change (issue 13): pointers are read through the batch API first; the fallback is for
    // servers without one.
    const lfs = await LfsServer.start();
    try {
      lfs.fault({ kind: 'batch-status', status: 404 });
      mkdirSync(join(ws, 'm'), { recursive: true });
      writeFileSync(
        join(ws, 'm/model.safetensors'),
        `version https://git-lfs.github.com/spec/v1\noid sha256:${'a'.repeat(64)}\nsize 123456\n`,
      );
      setEnv('workflow_dispatch', {}, { models: 'm' });
      process.env.GITHUB_SERVER_URL = lfs.url;
      process.env.PATH = dirname(process.execPath); // node only: no git, hence no git-lfs
      await run(fakeEngine().engine, { client: fastClientOptions() });
      const out = logged.join('');
      expect(out).toMatch(/answered HTTP 404 \(no batch API\): falling back to `git lfs pull`/);
      const error = out.split('\n').find((l) => l.startsWith('::error::'));
      expect(error).toMatch(/^::error::weightprint: m\/model.safetensors: is a Git LFS pointer, not the weights, /);
      expect(error).toMatch(/the LFS batch API at .* answered HTTP 404, and git-lfs is not installed.*lfs: true/);
    } finally {
      await lfs.close();
    }
  });
});

describe('publishing a saved report (fork-PR pattern, workflow_run)', () => {
  function savedReport(over: object = {}) {
    const path = join(ws, 'artifact', 'report.json');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      JSON.stringify({
        schema: 'weightprint.action-report/2',
        repository: 'fork/models',
        event: 'pull_request',
        head_sha: HEAD,
        pr_number: 7,
        conclusion: 'failure',
        ...result('models/a', 'derived', 'fail'),
        ...over,
      }),
    );
    return 'artifact/report.json';
  }
  const FORK_HEAD = 'e'.repeat(40);
  const workflowRun = (pullRequests: { number: number }[] = []) => ({
    action: 'completed',
    workflow_run: {
      head_sha: FORK_HEAD,
      head_branch: 'ft',
      head_repository: { owner: { login: 'forker' } },
      pull_requests: pullRequests,
      conclusion: 'success',
    },
  });

  it('posts on the commit and PR of the triggering run, found by head for fork PRs', async () => {
    gh.pulls.push({ number: 9, state: 'open', head: { sha: FORK_HEAD, ref: 'ft', label: 'forker:ft' } });
    gh.pulls.push({ number: 3, state: 'open', head: { sha: 'f'.repeat(40), ref: 'other', label: 'someone:other' } });
    setEnv('workflow_run', workflowRun(), { report: savedReport(), 'report-trust': 'true' });
    const { engine, calls } = fakeEngine();
    await run(engine, { client: fastClientOptions() });
    expect(calls).toHaveLength(0); // no analysis
    expect(gh.checkRuns).toEqual([expect.objectContaining({ head_sha: FORK_HEAD, conclusion: 'failure' })]);
    expect(gh.comments.get(9)).toHaveLength(1);
    expect(gh.comments.get(7)).toBeUndefined(); // the file's pr_number is not trusted
    expect(outputs()).toMatchObject({ verdict: 'derived', 'policy-result': 'fail' });
    expect(readFileSync(summaryFile, 'utf8')).toContain('models/a: derived');
  });

  it('by default (no report-trust) posts comment and summary marked unverified, no check run or status', async () => {
    gh.pulls.push({ number: 9, state: 'open', head: { sha: FORK_HEAD, ref: 'ft', label: 'forker:ft' } });
    // What a fork's runner can write: a clean bill of health for weights that are a copy.
    setEnv('workflow_run', workflowRun(), {
      report: savedReport({ conclusion: 'success', ...result('models/a', 'independent', 'pass') }),
    });
    await run(fakeEngine().engine, { client: fastClientOptions() });
    expect(gh.checkRuns).toEqual([]);
    expect(gh.statuses).toEqual([]);
    expect(gh.requestsTo('POST', /\/check-runs$/)).toHaveLength(0);
    const [comment] = gh.comments.get(9)!;
    expect(comment!.body).toMatch(/Unverified: this report was produced by the pull request's own workflow run/);
    expect(comment!.body).toContain('models/a: independent');
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/Unverified/);
    expect(process.exitCode).toBeUndefined();
  });

  it('rejects a report-trust value other than true or false', async () => {
    setEnv('workflow_run', workflowRun(), { report: savedReport(), 'report-trust': 'yes' });
    await run(fakeEngine().engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toContain('input `report-trust`: "yes" is not one of true, false');
    expect(gh.writes()).toHaveLength(0);
  });

  it('prefers workflow_run.pull_requests when GitHub fills it (same-repo PRs)', async () => {
    setEnv('workflow_run', workflowRun([{ number: 5 }]), { report: savedReport(), 'fail-on': 'never' });
    await run(fakeEngine().engine, { client: fastClientOptions() });
    expect(gh.comments.get(5)).toHaveLength(1);
    expect(gh.requestsTo('GET', /\/pulls$/)).toHaveLength(0);
    expect(process.exitCode).toBeUndefined();
  });

  it('rejects a file that is not a report', async () => {
    setEnv('workflow_run', workflowRun(), { report: savedReport({ models: [{ model: 'x' }] }) });
    await run(fakeEngine().engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toContain('models[0] is not a check result');
    expect(gh.writes()).toHaveLength(0);
  });

  it('refuses an artifact too large to be a report, or one that is not a file, before reading it', async () => {
    // The fork writes the artifact: a 65 MiB file (sparse here) used to be read and parsed whole,
    // and a FIFO would have blocked the job until its timeout.
    const big = savedReport();
    truncateSync(join(ws, big), 65 * 1024 * 1024);
    setEnv('workflow_run', workflowRun(), { report: big });
    await run(fakeEngine().engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toContain(
      `input \`report\` (${join(ws, big)}): is ${65 * 1024 * 1024} bytes, ` +
        'more than a report can be (67108864 bytes): not read',
    );
    expect(gh.writes()).toHaveLength(0);
    const fifo = join(ws, 'artifact', 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    logged = [];
    process.exitCode = undefined;
    setEnv('workflow_run', workflowRun(), { report: 'artifact/fifo.json' });
    await run(fakeEngine().engine, { client: fastClientOptions() });
    expect(process.exitCode).toBe(1);
    expect(logged.join('')).toMatch(/input `report` \(.*fifo\.json\): is not a regular file/);
    expect(gh.writes()).toHaveLength(0);
  });

  it('publishes a several-model report, and still reads the first version (results[])', async () => {
    const models = [result('models/a', 'independent', 'pass'), result('models/b', 'derived', 'fail')];
    for (const doc of [
      { verdict: 'derived', policy: { result: 'fail', reasons: [] }, models },
      { schema: 'weightprint.action-report/1', verdict: 'derived', policy_result: 'fail', results: models },
    ]) {
      gh.reset();
      gh.pulls.push({ number: 9, state: 'open', head: { sha: FORK_HEAD, ref: 'ft', label: 'forker:ft' } });
      const file = savedReport({ model: undefined, matches: undefined, ...doc });
      setEnv('workflow_run', workflowRun(), { report: file, 'report-trust': 'true', 'fail-on': 'never' });
      await run(fakeEngine().engine, { client: fastClientOptions() });
      expect(outputs()).toMatchObject({ verdict: 'derived', 'policy-result': 'fail' });
      const written = JSON.parse(readFileSync(outputs()['report-json']!, 'utf8'));
      expect(written.schema).toBe('weightprint.action-report/2');
      expect(written.models.map((r: { model: string }) => r.model)).toEqual(['models/a', 'models/b']);
      expect(gh.comments.get(9)![0]!.body).toContain('models/b');
    }
  });
});
