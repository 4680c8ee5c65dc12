/**
 * End to end: bundle the Action (into a temporary directory, as dist/index.js is built), then run
 * it as the runner does (INPUT_* variables with action.yml's defaults, a pull_request event file,
 * GITHUB_* variables, the API on a loopback server) on small generated safetensors models, with
 * the real analysis.
 *
 * The repository under test holds the demo models and a registry with `demo/base` in it:
 * - models/finetune: derived from demo/base and declares it (base_model) → policy warn
 * - models/independent: same architecture, fresh weights → independent, pass
 * - models/multimodal: reuses the base's vision tower, card says "from scratch" → policy fail
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { FakeGitHub } from '../helpers/github-server.js';
import { CHECKOUT_SHA, gitCheckout } from './fixtures.js';
import { type Bundles, buildBundles } from '../helpers/bundle.js';
import { writeDemoModels } from '../../src/synth/cases.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { addEntry } from '../../src/registry/write.js';
import { COMMENT_MARKER } from '../../src/github/comment.js';
import { encodePyTorch } from '../../src/formats/pytorch/writer.js';
import { readSafetensors } from '../synth/helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The Action as the runner runs it, built from the sources under test into a temporary directory.
let bundles: Bundles;
const HEAD_SHA = CHECKOUT_SHA; // the workspace's HEAD (gitCheckout): the pull request's head
const MERGE_SHA = '2'.repeat(40); // GITHUB_SHA of a pull_request run: must not carry the check
const PR = 12;

let gh: FakeGitHub;
let tmp: string;
let ws: string;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** `node <cmd>` without blocking the event loop (the loopback server lives in this process). */
function node(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** INPUT_* as the runner sets them: every input declared in action.yml, defaults filled in. */
function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    let value = inputs[name] ?? String(spec.default ?? '');
    // action.yml's default is the literal expression text, which the runner would substitute.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
    if (value === '${{ github.token }}') value = 'ghs_e2e_token';
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

/** A pull_request payload shaped like GitHub's (the fields a consumer might read). */
function pullRequestEvent(): object {
  const repo = {
    id: 1,
    name: 'models',
    full_name: 'acme/models',
    owner: { login: 'acme', type: 'Organization' },
    private: false,
    default_branch: 'main',
  };
  return {
    action: 'synchronize',
    number: PR,
    before: '3'.repeat(40),
    after: HEAD_SHA,
    pull_request: {
      url: `https://api.github.com/repos/acme/models/pulls/${PR}`,
      id: 99,
      number: PR,
      state: 'open',
      title: 'Add a fine-tune',
      user: { login: 'contributor', type: 'User' },
      head: { label: 'contributor:ft', ref: 'ft', sha: HEAD_SHA, repo },
      base: { label: 'acme:main', ref: 'main', sha: '4'.repeat(40), repo },
      draft: false,
      merged: false,
    },
    repository: repo,
    sender: { login: 'contributor', type: 'User' },
  };
}

async function runAction(inputs: Record<string, string> = {}): Promise<RunResult> {
  inputs = { registry: 'registry', ...inputs };
  const n = Math.random().toString(36).slice(2);
  const eventPath = join(tmp, `event-${n}.json`);
  const outputPath = join(tmp, `output-${n}`);
  const summaryPath = join(tmp, `summary-${n}.md`);
  const runnerTemp = join(tmp, `runner-temp-${n}`);
  mkdirSync(runnerTemp);
  writeFileSync(eventPath, JSON.stringify(pullRequestEvent()));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: `refs/pull/${PR}/merge`,
    GITHUB_HEAD_REF: 'ft',
    GITHUB_BASE_REF: 'main',
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: `${gh.url}/graphql`,
    GITHUB_RUN_ID: '777',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'provenance',
    GITHUB_JOB: 'weightprint',
    GITHUB_ACTOR: 'contributor',
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...bundles.env,
    ...inputEnv(inputs),
  };
  const r = await node([join(bundles.dir, 'index.js')], env, ws);
  return { ...r, outputs: parseOutputs(readFileSync(outputPath, 'utf8')), summary: readFileSync(summaryPath, 'utf8') };
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

beforeAll(async () => {
  bundles = await buildBundles(['action', 'worker']);
  gh = await FakeGitHub.start();
  tmp = mkdtempSync(join(tmpdir(), 'wp-e2e-'));
  ws = join(tmp, 'workspace');
  mkdirSync(ws);
  gitCheckout(ws);
  const models = await writeDemoModels(join(ws, 'models'));
  await addEntry(join(ws, 'registry'), await loadFingerprint(models.base), {
    id: 'demo/base',
    license: 'apache-2.0',
    family: 'demo',
  });
  writeFileSync(join(ws, 'README.md'), '# acme/models\n');
});
afterAll(async () => {
  await gh?.close();
  await bundles?.remove();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => gh.reset());

function expectCleanExit(r: RunResult) {
  // Exit 0, or 1 from a policy failure reported as one ::error:: line; never a crash.
  expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(r.stdout).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
  if (r.code === 0) expect(errors).toEqual([]);
  else {
    expect(r.code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::weightprint: policy (fail|warn) for /);
  }
}

describe('the bundled Action on a pull_request', () => {
  it('posts one comment and one check on the head SHA, writes summary, files, outputs; reruns edit it', async () => {
    gh.setPrFiles(PR, ['models/finetune/model.safetensors', 'models/finetune/config.json', 'README.md']);
    const first = await runAction();
    expect(first.stderr).toBe('');
    expectCleanExit(first);

    // The fine-tune is derived from demo/base and says so: policy warn, which does not fail the job.
    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ verdict: 'derived', 'policy-result': 'warn', conclusion: 'neutral' });
    const doc = JSON.parse(readFileSync(first.outputs['report-json']!, 'utf8'));
    expect(first.outputs['report-json']!.startsWith(join(tmp, 'runner-temp-'))).toBe(true);
    expect(doc).toMatchObject({
      head_sha: HEAD_SHA,
      pr_number: PR,
      repository: 'acme/models',
      event: 'pull_request',
      conclusion: 'neutral',
    });
    // One model: its check result is the report itself, as `weightprint check --json` prints it.
    expect(doc).toMatchObject({ model: 'models/finetune', verdict: 'derived', policy: { result: 'warn' } });
    expect(doc.models).toBeUndefined();
    expect(doc.matches[0]).toMatchObject({ entry: 'demo/base', verdict: 'derived' });
    expect(readFileSync(first.outputs['report-markdown']!, 'utf8')).toContain('demo/base');

    // The job summary carries the report.
    expect(first.summary).toContain('models/finetune');
    expect(first.summary).toContain('demo/base');

    // One comment, one check run: created in_progress on the head SHA, then completed.
    expect(gh.requestsTo('POST', /\/issues\/12\/comments$/)).toHaveLength(1);
    const comments = gh.comments.get(PR)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comments[0]!.body).toContain('demo/base');
    expect(first.outputs['comment-id']).toBe(String(comments[0]!.id));
    expect(gh.requestsTo('POST', /\/check-runs$/)).toHaveLength(1);
    expect(gh.requestsTo('POST', /\/check-runs$/)[0]!.body).toMatchObject({
      head_sha: HEAD_SHA,
      status: 'in_progress',
      name: 'Weightprint provenance',
    });
    expect(gh.checkRuns).toHaveLength(1);
    const run = gh.checkRuns[0]!;
    expect(run.head_sha).toBe(HEAD_SHA);
    expect(run.head_sha).not.toBe(MERGE_SHA);
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('neutral');
    expect(run.output.title).toBe('1 model: 1 derived (no policy decision)');
    expect(first.outputs['check-run-id']).toBe(String(run.id));
    expect(run.annotations).toEqual([
      expect.objectContaining({ path: 'models/finetune/model.safetensors', annotation_level: 'warning' }),
    ]);
    expect(run.details_url).toBe('https://github.com/acme/models/actions/runs/777');
    expect(gh.statuses).toHaveLength(0);
    // The token went to the API, and was masked in the log.
    expect(gh.requests[0]!.headers.authorization).toBe('token ghs_e2e_token');
    expect(first.stdout).toContain('::add-mask::ghs_e2e_token');

    // Second run: the PR now also adds the multimodal model, whose vision tower is the base's
    // while its card claims "from scratch": policy fail, the job fails, the same comment is edited.
    gh.requests.length = 0;
    gh.setPrFiles(PR, [
      'models/finetune/model.safetensors',
      'models/multimodal/model.safetensors',
      'models/independent/notes.md',
    ]);
    const second = await runAction();
    expectCleanExit(second);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/::error::weightprint: policy fail for models\/multimodal \(derived\)/);
    expect(second.outputs).toMatchObject({ verdict: 'derived', 'policy-result': 'fail', conclusion: 'failure' });
    const doc2 = JSON.parse(readFileSync(second.outputs['report-json']!, 'utf8'));
    // Several models: the worst verdict and policy on top, each model's result under `models`.
    expect(doc2).toMatchObject({ verdict: 'derived', policy: { result: 'fail' } });
    expect(doc2.models.map((r: { model: string; policy: { result: string } }) => [r.model, r.policy.result])).toEqual([
      ['models/finetune', 'warn'],
      ['models/multimodal', 'fail'],
    ]);
    expect(gh.requestsTo('POST', /\/issues\/\d+\/comments$/)).toHaveLength(0);
    expect(gh.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);
    expect(gh.comments.get(PR)).toHaveLength(1);
    expect(gh.comments.get(PR)![0]!.id).toBe(comments[0]!.id);
    expect(gh.comments.get(PR)![0]!.body).toContain('models/multimodal');
    expect(second.outputs['comment-id']).toBe(String(comments[0]!.id));
    expect(gh.checkRuns).toHaveLength(2);
    expect(gh.checkRuns[1]).toMatchObject({ head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' });
    expect(gh.checkRuns[1]!.annotations.map((a) => [a.path, a.annotation_level])).toEqual([
      ['models/finetune/model.safetensors', 'warning'],
      ['models/multimodal/model.safetensors', 'failure'],
    ]);

    // Third run, nothing changed: the comment is not touched at all.
    gh.requests.length = 0;
    const third = await runAction();
    expectCleanExit(third);
    expect(third.code).toBe(1);
    expect(gh.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(0);
    expect(gh.requestsTo('POST', /\/issues\/\d+\/comments$/)).toHaveLength(0);
  });

  it('on a fork (comments, checks and statuses 403) still writes summary and outputs and exits by policy', async () => {
    gh.setPrFiles(PR, ['models/multimodal/model.safetensors', 'models/independent/model.safetensors']);
    gh.deny.add('comments').add('checks').add('statuses');
    const r = await runAction();
    expectCleanExit(r);
    expect(r.code).toBe(1); // by policy (multimodal fails), not by the 403s
    expect(r.stdout).toMatch(/::error::weightprint: policy fail for models\/multimodal/);
    expect(r.stdout).toMatch(/::warning::Could not post the PR comment on #12/);
    expect(r.stdout).toMatch(/::warning::Could not post commit status/);
    expect(gh.writes()).toHaveLength(0);
    expect(r.summary).toContain('models/multimodal');
    expect(r.summary).toContain('models/independent');
    expect(r.outputs).toMatchObject({ verdict: 'derived', 'policy-result': 'fail' });
    expect(existsSync(r.outputs['report-json']!)).toBe(true);
    expect(existsSync(r.outputs['report-markdown']!)).toBe(true);
  });

  it('a comment 403 alone still posts the check; an independent model passes', async () => {
    gh.setPrFiles(PR, ['models/independent/model.safetensors']);
    gh.deny.add('comments');
    const r = await runAction();
    expectCleanExit(r);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'independent', 'policy-result': 'pass', conclusion: 'success' });
    expect(gh.checkRuns).toEqual([expect.objectContaining({ head_sha: HEAD_SHA, conclusion: 'success' })]);
    expect(r.stdout).toMatch(/::warning::Could not post the PR comment/);
  });

  it('with comment: off and no model changes: no comment, a neutral check, verdict none', async () => {
    gh.setPrFiles(PR, ['README.md']);
    const r = await runAction({ comment: 'off' });
    expect(r.code).toBe(0);
    expect(gh.comments.get(PR) ?? []).toHaveLength(0);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ head_sha: HEAD_SHA, conclusion: 'neutral' })]);
    expect(r.outputs.verdict).toBe('none');
  });

  it('reports bad input as one line, without a stack trace', async () => {
    const r = await runAction({ 'fail-on': 'sometimes' });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      '::error::weightprint: input `fail-on`: "sometimes" is not one of policy, warn, never',
    ]);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expect(gh.writes()).toHaveLength(0);
  });
});

describe('a pull request author trying to pass the bundled Action', () => {
  /** models/decoy: the independent model's files, unchanged on the base branch. */
  function decoyDir(): string {
    const d = join(ws, 'models', 'decoy');
    mkdirSync(d, { recursive: true });
    for (const f of ['model.safetensors', 'config.json', 'tokenizer.json', 'README.md'])
      copyFileSync(join(ws, 'models', 'independent', f), join(d, f));
    return d;
  }

  /** The base model's tensors saved with torch.save layout as models/decoy/pytorch_model.bin. */
  async function copyAsPyTorch(d: string): Promise<void> {
    const base = await readSafetensors(join(ws, 'models', 'base', 'model.safetensors'));
    const tensors = base.order.map((name) => {
      const t = base.tensors.get(name)!;
      return { name, dtype: t.dtype, shape: t.shape, data: t.bytes };
    });
    writeFileSync(join(d, 'pytorch_model.bin'), encodePyTorch(tensors));
  }

  it('a copied pytorch_model.bin added beside an unchanged model.safetensors is checked and fails', async () => {
    const d = decoyDir();
    await copyAsPyTorch(d);
    try {
      // used to be "Models to check: none" and a neutral "No model weights changed" check
      gh.setPrFiles(PR, ['models/decoy/pytorch_model.bin']);
      const r = await runAction();
      expectCleanExit(r);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::error::weightprint: policy fail for models\/decoy\/pytorch_model\.bin \(identical\)/);
      expect(r.outputs).toMatchObject({ verdict: 'identical', 'policy-result': 'fail', conclusion: 'failure' });
      expect(gh.checkRuns).toEqual([expect.objectContaining({ head_sha: HEAD_SHA, conclusion: 'failure' })]);
      const doc = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8'));
      expect(doc.models.map((m: { model: string; verdict: string }) => [m.model, m.verdict])).toEqual([
        ['models/decoy', 'independent'],
        ['models/decoy/pytorch_model.bin', 'identical'],
      ]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a changed weights file missing from the checkout fails the run instead of being skipped', async () => {
    gh.setPrFiles(PR, [
      { filename: 'models/elsewhere/model.safetensors', status: 'added' },
      { filename: 'models/gone/model.safetensors', status: 'removed' },
    ]);
    const r = await runAction();
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      `::error::weightprint: models/elsewhere/model.safetensors: is added or changed by #${PR} but is not in the ` +
        `checkout at ${ws}: check out the pull request there (actions/checkout without a \`path\`), ` +
        'or its weights go unchecked',
    ]);
    expect(gh.checkRuns.filter((c) => c.conclusion !== 'failure')).toEqual([]);
  });

  it('a changed config or card missing from the checkout (sparse, or elsewhere) fails the run', async () => {
    // the weights are not in the checkout either, so the model used to be skipped as "no weights"
    gh.setPrFiles(PR, [{ filename: 'models/sparse/config.json', status: 'modified' }]);
    const r = await runAction();
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      `::error::weightprint: models/sparse/config.json: is added or changed by #${PR} but is not in the ` +
        `checkout at ${ws}: check out the pull request there (actions/checkout without a \`path\`), ` +
        'or its weights go unchecked',
    ]);
  });

  it('weights in a format no reader opens (an ONNX export beside a decoy) fail the run, not pass unread', async () => {
    // used to be "Models to check: none" and a neutral "No model weights changed" check
    for (const [file, format] of [
      ['models/independent/onnx/model.onnx', 'ONNX'],
      ['models/independent/tf_model.h5', 'Keras/TensorFlow'],
      ['models/independent/flax_model.msgpack', 'Flax msgpack'],
    ]) {
      gh.reset();
      gh.setPrFiles(PR, [
        { filename: 'models/gone/model.onnx', status: 'removed' },
        { filename: file!, status: 'added' },
      ]);
      const r = await runAction();
      expect(r.code, file).toBe(1);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
        `::error::weightprint: ${file}: ${format} weights cannot be read by Weightprint, so it cannot vouch for ` +
          'them (a copy could ship this way beside checked weights): ship safetensors, PyTorch or GGUF, or keep ' +
          'such exports out of the gated repository',
      ]);
      expect(gh.checkRuns.filter((c) => c.conclusion !== 'failure')).toEqual([]);
    }
  });

  it('a pull request that changes the repository registry it is checked against fails the run', async () => {
    for (const changed of ['registry/index.json', 'registry/entries/demo_base.json.gz']) {
      gh.reset();
      gh.setPrFiles(PR, ['models/finetune/model.safetensors', changed]);
      const r = await runAction();
      expect(r.code, changed).toBe(1);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
        `::error::weightprint: input \`registry\`: registry is changed by #${PR} (${changed}): a pull request ` +
          'cannot change the registry it is checked against; land registry changes on their own, or give the ' +
          'registry as a URL',
      ]);
      expect(gh.checkRuns).toEqual([]);
      expect(gh.comments.get(PR) ?? []).toEqual([]);
    }
    // with explicit models too: the listing is asked for the registry's sake
    gh.reset();
    gh.setPrFiles(PR, ['registry/index.json']);
    const r = await runAction({ models: 'models/finetune' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::weightprint: input `registry`: registry is changed by #12 \(registry\/index\.json\)/,
    );
  });

  it('a `models` input does not keep the models a pull request changes out of the check', async () => {
    // The workflow names the released model; the PR adds a copy elsewhere. The models input
    // used to be the whole selection, so the copy went unchecked and the run passed.
    const d = decoyDir();
    await copyAsPyTorch(d);
    try {
      gh.setPrFiles(PR, ['models/decoy/pytorch_model.bin']);
      const r = await runAction({ models: 'models/independent' });
      expectCleanExit(r);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Models to check (from the `models` input and 1 file changed in #12): ');
      expect(r.outputs).toMatchObject({ verdict: 'identical', 'policy-result': 'fail', conclusion: 'failure' });
      const doc = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8'));
      expect(doc.models.map((m: { model: string; verdict: string }) => [m.model, m.verdict])).toEqual([
        ['models/independent', 'independent'],
        ['models/decoy', 'independent'],
        ['models/decoy/pytorch_model.bin', 'identical'],
      ]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a registry reached through a symlink, a parent replaced by a link, or in another case is guarded', async () => {
    symlinkSync('registry', join(ws, 'reg-link'));
    symlinkSync('.', join(ws, 'up'));
    try {
      const cases: [string, string][] = [
        // where the registry's symlink leads: the PR rewrites the real directory
        ['reg-link', 'registry/index.json'],
        // a parent of the registry path is a symlink the PR points elsewhere
        ['up/registry', 'up'],
        // one directory on a case-insensitive runner
        ['registry', 'Registry/index.json'],
      ];
      for (const [registry, changed] of cases) {
        gh.reset();
        gh.setPrFiles(PR, ['models/independent/model.safetensors', changed]);
        const r = await runAction({ registry });
        expect(r.code, registry).toBe(1);
        expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
          `::error::weightprint: input \`registry\`: ${registry} is changed by #${PR} (${changed}): a pull request ` +
            'cannot change the registry it is checked against; land registry changes on their own, or give the ' +
            'registry as a URL',
        ]);
        expect(gh.checkRuns).toEqual([]);
      }
      // the same registry, the PR touching nothing of it: checked as usual
      gh.reset();
      gh.setPrFiles(PR, ['models/independent/model.safetensors', 'registry-notes/index.json']);
      const ok = await runAction({ registry: 'reg-link' });
      expectCleanExit(ok);
      expect(ok.code).toBe(0);
      expect(ok.outputs).toMatchObject({ verdict: 'independent', 'policy-result': 'pass' });
    } finally {
      rmSync(join(ws, 'reg-link'));
      rmSync(join(ws, 'up'));
    }
  });
});

describe('a pull request author changing what a model reads under a name the trigger does not know', () => {
  /** The base model's safetensors bytes (the registry's demo/base: an identical copy). */
  const baseBytes = () => readFileSync(join(ws, 'models', 'base', 'model.safetensors'));
  const tensorNames = async () => (await readSafetensors(join(ws, 'models', 'base', 'model.safetensors'))).order;

  it('a shard the index names `part-1.weights` (not a weights name), changed alone, is checked', async () => {
    // An earlier pull request landed an index whose shard has a name the trigger does not know;
    // this one swaps only the shard's bytes for a copy. It used to be "Models to check: none".
    const d = join(ws, 'models', 'odd-shard');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'part-1.weights'), baseBytes());
    const weightMap = Object.fromEntries((await tensorNames()).map((n) => [n, 'part-1.weights']));
    writeFileSync(join(d, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    try {
      gh.setPrFiles(PR, ['models/odd-shard/part-1.weights']);
      const r = await runAction();
      expectCleanExit(r);
      expect(r.stdout).not.toContain('Models to check (from 1 file changed in #12): none');
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ verdict: 'identical', 'policy-result': 'fail', conclusion: 'failure' });
      expect(gh.checkRuns).toEqual([expect.objectContaining({ head_sha: HEAD_SHA, conclusion: 'failure' })]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a weights symlink to a file elsewhere in the repository: changing that file checks the model', async () => {
    const d = join(ws, 'models', 'linked');
    const store = join(ws, 'store');
    mkdirSync(d, { recursive: true });
    mkdirSync(join(store, 'v1'), { recursive: true });
    writeFileSync(join(store, 'v1', 'blob.dat'), baseBytes());
    symlinkSync('v1', join(store, 'current'));
    symlinkSync('../../store/blob.dat', join(d, 'model.safetensors'));
    symlinkSync('v1/blob.dat', join(store, 'blob.dat'));
    try {
      // the file the link leads to; an intermediate link the PR re-points; a directory link's contents
      for (const changed of ['store/v1/blob.dat', 'store/blob.dat']) {
        gh.reset();
        gh.setPrFiles(PR, [changed]);
        const r = await runAction();
        expectCleanExit(r);
        expect(r.code, changed).toBe(1);
        expect(r.outputs, changed).toMatchObject({ verdict: 'identical', 'policy-result': 'fail' });
      }
      rmSync(join(d, 'model.safetensors'));
      symlinkSync('../../store/current/blob.dat', join(d, 'model.safetensors'));
      for (const changed of ['store/v1/blob.dat', 'store/current']) {
        gh.reset();
        gh.setPrFiles(PR, [changed]);
        const r = await runAction();
        expectCleanExit(r);
        expect(r.code, changed).toBe(1);
        expect(r.outputs, changed).toMatchObject({ verdict: 'identical', 'policy-result': 'fail' });
      }
      // a change the link does not lead to leaves it alone
      gh.reset();
      gh.setPrFiles(PR, ['store/notes.txt']);
      const quiet = await runAction();
      expect(quiet.code).toBe(0);
      expect(quiet.outputs.verdict).toBe('none');
    } finally {
      rmSync(d, { recursive: true, force: true });
      rmSync(store, { recursive: true, force: true });
    }
  });

  it('a submodule the pull request moves to another commit: the models inside it are checked', async () => {
    // The PR's file list names the submodule's path only (a gitlink), no trigger file.
    const d = join(ws, 'vendor', 'release', 'model');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'model.safetensors'), baseBytes());
    writeFileSync(join(ws, 'vendor', 'release', '.git'), 'gitdir: ../../.git/modules/release\n');
    try {
      gh.setPrFiles(PR, ['vendor/release']);
      const r = await runAction();
      expectCleanExit(r);
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ verdict: 'identical', 'policy-result': 'fail' });
      expect(r.stdout).toContain('Checking vendor/release/model/model.safetensors: it is in vendor/release');
      // not checked out (an empty directory): it cannot be read, so the run fails
      rmSync(join(ws, 'vendor', 'release'), { recursive: true, force: true });
      mkdirSync(join(ws, 'vendor', 'release'));
      gh.reset();
      gh.setPrFiles(PR, ['vendor/release']);
      const empty = await runAction();
      expect(empty.code).toBe(1);
      expect(empty.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
        `::error::weightprint: vendor/release: is a submodule #${PR} moves to another commit, and it is not checked ` +
          'out: weights in it would go unchecked (check out with `submodules: true`)',
      ]);
    } finally {
      rmSync(join(ws, 'vendor'), { recursive: true, force: true });
    }
  });
});
