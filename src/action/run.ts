/**
 * The Action, start to finish: pick the models from the event, fetch LFS objects, run the check,
 * then write the job summary, report files and outputs (always, even when GitHub refuses our
 * writes), publish the comment and check, and set the exit code by policy.
 */
import * as core from '@actions/core';
import { type Dirent, readdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { CheckResult } from '../check/types.js';
import type { Engine } from '../check/engine.js';
import { checkReport, reportResults, worstPolicy, worstVerdict } from '../check/report.js';
import { InputError, isInputError } from '../errors.js';
import { annotationsFor, completeCheckRun, startCheckRun, type Conclusion } from '../github/checks.js';
import {
  createGitHubClient,
  errorMessage,
  isPermissionError,
  type GitHubClient,
  type GitHubClientOptions,
} from '../github/client.js';
import { COMMENT_MARKER, MAX_COMMENT_LENGTH } from '../github/comment.js';
import { publishReport, PublishError } from '../github/publish.js';
import { mdFence, mdText, plainText } from '../report/escape.js';
import {
  type ChangedFile,
  changedModelDirs,
  implicitChanges,
  listPullRequestFiles,
  missingWeights,
  uncheckedSubmodule,
  unreadableWeights,
} from './changed-files.js';
import { unreadableWeightsFormat, unreadableWeightsProblem } from '../formats/model-files.js';
import { verifyCheckout } from './checkout.js';
import { PR_EVENTS, readContext, type RunContext } from './context.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { prepareLfs } from './lfs.js';
import { lfsEndpointFor } from '../net/lfs.js';
import { resolvePolicy } from './policy.js';
import { loadSavedReport, savedReportTarget } from './saved-report.js';
import { annotationFile, holdsWeights, resolveModelEntries, scanWorkspace, walk } from './models.js';
import {
  failureMessage,
  MAX_SUMMARY_CHARS,
  REPORT_SCHEMA,
  setOutputs,
  writeJobSummary,
  writeReportFiles,
} from './outputs.js';
import { plural } from '../util/words.js';

interface ModelSelection {
  models: string[];
  /** Files changed per model directory (PR events), for annotations. */
  changed: Map<string, string[]>;
  /** Why these models (for the log). */
  reason: string;
}

/** GitHub's pull request files endpoint lists at most this many files. */
const MAX_LISTED_PR_FILES = 3000;

/** Room for the marker and the truncation pointer inside GitHub's comment limit. */
const COMPACT_MARKDOWN = MAX_COMMENT_LENGTH - COMMENT_MARKER.length - 1_000;

async function selectModels(
  ctx: RunContext,
  inputs: ActionInputs,
  octokit: GitHubClient | undefined,
  signal: AbortSignal | undefined,
): Promise<ModelSelection> {
  // A merge queue's group commit is what merges: the weights read must be its own.
  const isGroup = ctx.eventName === 'merge_group';
  if (isGroup) await verifyCheckout(ctx, { signal });
  const listed = inputs.models.length ? resolveModelEntries(inputs.models, ctx.workspace) : undefined;
  if (listed && !PR_EVENTS.has(ctx.eventName) && !isGroup)
    return { models: listed, changed: new Map(), reason: 'the `models` input' };
  if (PR_EVENTS.has(ctx.eventName) || isGroup) {
    if (!isGroup && ctx.prNumber === undefined)
      throw new InputError('GITHUB_EVENT_PATH', `${ctx.eventName} payload has no pull_request.number`);
    if (!isGroup) await verifyCheckout(ctx, { signal });
    const group = isGroup ? mergeGroupCommits(ctx) : undefined;
    if (!octokit && (listed || group)) {
      if (listed)
        core.warning(
          `No token: the files the ${group ? 'merge group' : 'pull request'} changes cannot be listed, so only the ` +
            '`models` input is checked.',
        );
      return listed
        ? { models: listed, changed: new Map(), reason: 'the `models` input' }
        : { models: scanWorkspace(ctx.workspace), changed: new Map(), reason: `the checkout of ${ctx.headSha}` };
    }
    if (!octokit)
      throw new InputError('input `token`', 'is empty; it is needed to list the files changed by the pull request');
    const by = group ? `the merge group ${group.head.slice(0, 7)}` : `#${ctx.prNumber}`;
    const files = group
      ? await comparedFiles(ctx, octokit, group, signal)
      : await pullRequestFiles(ctx, octokit, signal);
    const limit = group ? MAX_COMPARED_FILES : MAX_LISTED_PR_FILES;
    const { models, changed } = await changedModels(ctx, files, limit, by);
    const reason = `${plural(files.length, 'file')} changed in ${by}`;
    // Without a `models` input a merge group is checked whole, as a push of its commit would be.
    const chosen = listed ?? (group ? scanWorkspace(ctx.workspace) : undefined);
    if (!chosen) return { models, changed, reason };
    // The `models` input is in the workflow, which a pull request may edit: the models it changes
    // are checked as well, so a pull request can add models to the check, never keep one out.
    const added = models.filter((m) => !chosen.some((l) => samePath(ctx.workspace, l, m)));
    const what = listed ? 'the `models` input' : `the checkout of ${ctx.headSha}`;
    return {
      models: [...chosen, ...added],
      changed,
      reason: added.length ? `${what} and ${reason}` : what,
    };
  }
  if (ctx.eventName === 'workflow_dispatch') {
    throw new InputError('input `models`', 'is required for workflow_dispatch (paths, globs or hf: ids)');
  }
  // Tag pushes, releases and anything else: the models present in the checked-out tree.
  return { models: scanWorkspace(ctx.workspace), changed: new Map(), reason: `the checkout of ${ctx.ref || ctx.sha}` };
}

/**
 * The models the listed `files` of a pull request or merge group change (`by` names it), after
 * refusing what cannot be checked: a changed file the checkout lacks, a submodule not checked
 * out, weights no reader opens. Past `limit` files (what GitHub lists) every model is taken.
 */
async function changedModels(
  ctx: RunContext,
  files: readonly ChangedFile[],
  limit: number,
  by: string,
): Promise<{ models: string[]; changed: Map<string, string[]> }> {
  const absent = missingWeights(files, ctx.workspace);
  if (absent)
    throw new InputError(
      absent,
      `is added or changed by ${by} but is not in the checkout at ${ctx.workspace}: check out the ` +
        `${by.startsWith('#') ? 'pull request' : 'merge group'} there (actions/checkout without a \`path\`), or its ` +
        'weights go unchecked',
    );
  const submodule = uncheckedSubmodule(files, ctx.workspace);
  if (submodule)
    throw new InputError(
      submodule,
      `is a submodule ${by} moves to another commit, and it is not checked out: weights in it would ` +
        'go unchecked (check out with `submodules: true`)',
    );
  const unreadable = unreadableWeights(files);
  if (unreadable) throw new InputError(unreadable.file, unreadableWeightsProblem(unreadable.format));
  // What a model reads is more than its trigger names: a link's target, a shard under any name.
  const implicit = await implicitChanges(files, ctx.workspace, walk(ctx.workspace).links);
  for (const x of implicit) info(`Checking ${x.path}: ${x.because}`);
  const changed = changedModelDirs([
    ...files,
    ...implicit.map((x): ChangedFile => ({ filename: x.path, status: 'modified' })),
  ]);
  // A changed config.json outside a model directory (tooling, editors) is not a model.
  const models = changed.dirs.filter((d) => holdsWeights(join(ctx.workspace, d)));
  for (const d of changed.dirs)
    if (!models.includes(d)) info(`Skipping ${d}/: changed files but no weights in the checkout`);
  if (files.length >= limit) {
    // Past GitHub's listing limit a changed model could hide: fail closed and check every model,
    // in dependency and virtualenv folders too.
    core.warning(
      `GitHub lists at most ${limit.toLocaleString('en-US')} files of ` +
        `${by.startsWith('#') ? 'a pull request' : 'a comparison'}; ` +
        'checking every model in the checkout instead of the changed ones.',
    );
    for (const m of scanWorkspace(ctx.workspace, { everywhere: true })) if (!models.includes(m)) models.push(m);
    models.sort();
    // Nor can it be seen whether the pull request adds weights no reader opens.
    const hidden = walk(ctx.workspace, { everywhere: true }).files.find((f) => unreadableWeightsFormat(f));
    if (hidden)
      throw new InputError(
        hidden,
        `${unreadableWeightsProblem(unreadableWeightsFormat(hidden)!)} (${by} changes more files ` +
          'than GitHub lists, so whether it adds or changes this one cannot be seen)',
      );
  }
  return { models, changed: changed.files };
}

/** Do two workspace paths (relative or absolute) name the same file or directory? */
function samePath(workspace: string, a: string, b: string): boolean {
  return !isRemote(a) && !isRemote(b) && resolve(workspace, a) === resolve(workspace, b);
}

/** The pull request's files, listed once per run (`signal`: the run's timeout, the same for both callers). */
const listed = new WeakMap<RunContext, Promise<ChangedFile[]>>();
function pullRequestFiles(ctx: RunContext, octokit: GitHubClient, signal?: AbortSignal): Promise<ChangedFile[]> {
  let files = listed.get(ctx);
  if (!files) {
    files = listPullRequestFiles(octokit, ctx.owner, ctx.repo, ctx.prNumber!, signal);
    listed.set(ctx, files);
  }
  return files;
}

/**
 * A repository path given as a registry is read from the checkout, which on a pull request holds
 * the pull request's own files: one that changes the registry (drops the entry of the model it
 * copied, rewrites index.json) would choose what it is compared with. Such a change fails the run.
 * "Changes" covers the path as given, where its symlinks lead inside the repository, a file put
 * in place of one of its parent directories (a symlink steering it elsewhere), and names that
 * differ only in letter case (one directory on case-insensitive runners).
 */
async function guardRepositoryRegistries(
  ctx: RunContext,
  inputs: ActionInputs,
  octokit: GitHubClient | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const isGroup = ctx.eventName === 'merge_group';
  if (!isGroup && (!PR_EVENTS.has(ctx.eventName) || ctx.prNumber === undefined)) return;
  const guarded = new Map<string, string>(); // lower-case repo path -> the registry input it guards
  for (const r of inputs.registries) {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(r)) continue;
    const inRepo = toPosixPath(relative(ctx.workspace, resolve(ctx.workspace, r)));
    const shown = inRepo.startsWith('../') || isAbsolute(inRepo) ? r : inRepo || '.';
    for (const rel of registryRepoPaths(ctx.workspace, r)) if (!guarded.has(rel)) guarded.set(rel, shown);
  }
  if (guarded.size === 0) return;
  const group = isGroup ? mergeGroupCommits(ctx) : undefined;
  const by = group ? `the merge group ${group.head.slice(0, 7)}` : `#${ctx.prNumber}`;
  if (!octokit)
    throw new InputError(
      'input `registry`',
      `${[...guarded.values()][0]} is in the repository: a token is needed to see whether the pull request changes it`,
    );
  const files = group ? await comparedFiles(ctx, octokit, group, signal) : await pullRequestFiles(ctx, octokit, signal);
  const limit = group ? MAX_COMPARED_FILES : MAX_LISTED_PR_FILES;
  if (files.length >= limit)
    throw new InputError(
      'input `registry`',
      `${[...guarded.values()][0]} is in the repository, and ${by} changes more files than GitHub lists ` +
        `(${limit.toLocaleString('en-US')}): whether it changes the registry cannot be seen; split the ` +
        'pull request, or give the registry as a URL',
    );
  for (const f of files) {
    for (const name of [f.filename, f.previous_filename]) {
      if (!name) continue;
      const n = name.toLowerCase();
      const hit = [...guarded].find(([g]) => g === '' || n === g || n.startsWith(`${g}/`) || g.startsWith(`${n}/`));
      if (!hit) continue;
      throw new InputError(
        'input `registry`',
        `${hit[1]} is changed by ${by} (${name}): a pull request cannot change the registry it ` +
          'is checked against; land registry changes on their own, or give the registry as a URL',
      );
    }
  }
}

/** The compare API lists at most this many files of a comparison. */
const MAX_COMPARED_FILES = 300;

/** A merge queue group's base and head commits, from the event. */
function mergeGroupCommits(ctx: RunContext): { base: string; head: string } | undefined {
  const g = ctx.payload.merge_group as { base_sha?: unknown; head_sha?: unknown } | undefined;
  const sha = (v: unknown) => (typeof v === 'string' && /^[0-9a-f]{40,64}$/i.test(v) ? v : undefined);
  const base = sha(g?.base_sha);
  const head = sha(g?.head_sha) ?? sha(ctx.sha);
  if (!base) throw new InputError('GITHUB_EVENT_PATH', 'merge_group payload has no merge_group.base_sha');
  if (!head) throw new InputError('GITHUB_EVENT_PATH', 'merge_group payload has no merge_group.head_sha');
  return { base, head };
}

/** The files a merge group commit changes against its base (the queued pull requests' files), listed once per run. */
const compared = new WeakMap<RunContext, Promise<ChangedFile[]>>();
function comparedFiles(
  ctx: RunContext,
  octokit: GitHubClient,
  group: { base: string; head: string },
  signal?: AbortSignal,
): Promise<ChangedFile[]> {
  let files = compared.get(ctx);
  if (!files) {
    files = octokit
      .request('GET /repos/{owner}/{repo}/compare/{basehead}', {
        owner: ctx.owner,
        repo: ctx.repo,
        basehead: `${group.base}...${group.head}`,
        ...(signal ? { request: { signal } } : {}),
      })
      .then((res) =>
        (res.data.files ?? []).map((f) => ({
          filename: f.filename,
          status: f.status,
          previous_filename: f.previous_filename,
        })),
      );
    compared.set(ctx, files);
  }
  return files;
}

/** Symlinks followed inside a registry directory: registries are a few files deep. */
const REGISTRY_WALK_LIMIT = { depth: 6, entries: 20_000 };

/**
 * The repository paths (lower case, posix, '' = the root) a registry input reads: the path as
 * given, and where it and every symlink below it resolve to, when that is inside the workspace.
 */
function registryRepoPaths(workspace: string, input: string): string[] {
  const wsReal = realpathOr(workspace) ?? resolve(workspace);
  const out = new Set<string>();
  const add = (abs: string, base: string) => {
    const rel = toPosixPath(relative(base, abs));
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return;
    out.add(rel.toLowerCase());
  };
  const abs = resolve(workspace, input);
  add(abs, resolve(workspace));
  const real = realpathOr(abs);
  if (real === undefined) return [...out];
  add(real, wsReal);
  let seen = 0;
  const visit = (dir: string, depth: number) => {
    if (depth > REGISTRY_WALK_LIMIT.depth) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > REGISTRY_WALK_LIMIT.entries) return;
      const p = join(dir, e.name);
      if (e.isSymbolicLink()) {
        const target = realpathOr(p);
        if (target !== undefined) add(target, wsReal);
      } else if (e.isDirectory()) visit(p, depth + 1);
    }
  };
  visit(real, 0);
  return [...out];
}

function realpathOr(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function toPosixPath(p: string): string {
  return p.split(sep).join('/');
}

/**
 * core.info writes its line as is, and the runner obeys `::command::` lines in the log: names
 * from the PR (directories, files) must not be able to start one.
 */
function info(line: string): void {
  core.info(plainText(line));
}

function coreLog() {
  return { debug: core.debug, info: core.debug, warn: core.warning, error: core.debug };
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides for the GitHub client (tests: fetch, throttling groups). */
  client?: Partial<GitHubClientOptions>;
}

export async function run(engine: Engine, opts: RunOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  // Mutable so the error path can complete a check run left in_progress.
  const state: { octokit?: GitHubClient; ctx?: RunContext; checkRunId?: number; onError?: Conclusion } = {};
  let budget: Budget | undefined;
  try {
    const ctx = readContext(env);
    state.ctx = ctx;
    const inputs = readInputs(ctx.workspace, env);
    state.onError = inputs.onError;
    // counted from here: finding, reading and analysing the models (publishing is not cut short)
    budget = startBudget(inputs.timeoutSeconds);
    const within = budget.within;
    if (inputs.token) {
      state.octokit = createGitHubClient({ token: inputs.token, baseUrl: ctx.apiUrl, log: coreLog(), ...opts.client });
    } else {
      core.warning('No token: nothing will be posted to GitHub (the job summary and report files are still written).');
    }
    const octokit = state.octokit;

    if (inputs.report) {
      await publishSavedReport(engine, ctx, inputs, octokit);
      return;
    }

    // git and the API calls that pick the models honour the timeout too (a huge pull request, a slow server)
    const selection = await within(async (signal) => {
      await guardRepositoryRegistries(ctx, inputs, octokit, signal);
      return selectModels(ctx, inputs, octokit, signal);
    });
    info(
      `Models to check (from ${selection.reason}): ${selection.models.length ? selection.models.join(', ') : 'none'}`,
    );
    if (selection.models.length === 0) {
      await finishWithoutModels(ctx, inputs, octokit);
      return;
    }

    // Show the check as running while weights are fingerprinted (minutes for large models).
    if (octokit) {
      try {
        state.checkRunId = await startCheckRun({
          octokit,
          owner: ctx.owner,
          repo: ctx.repo,
          headSha: ctx.headSha,
          name: inputs.checkName,
          detailsUrl: ctx.runUrl,
        });
      } catch (err) {
        if (!isPermissionError(err)) throw err;
        info(
          `Cannot create check runs with this token (${errorMessage(err)}); a commit status will be tried at the end.`,
        );
      }
    }

    // Relative paths name files in the workspace; the runner starts actions there, other callers may not.
    const inWorkspace = resolve(process.cwd()) === resolve(ctx.workspace);
    const specs = selection.models.map((m) => (inWorkspace || isRemote(m) ? m : resolve(ctx.workspace, m)));
    const onStep = budget.doing;
    const results = await within(async (signal) => {
      // Pointer files are read by range from the repository's LFS server: nothing goes to disk. After
      // the check run starts, so a missing or refused object completes it as a failure with the reason.
      const lfs = await prepareLfs(selection.models, ctx.workspace, {
        access: {
          url: lfsEndpointFor(`${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`),
          token: inputs.token || undefined,
          ...(signal ? { http: { signal } } : {}),
        },
        log: info,
        signal,
        onStep,
      });
      const policy = await resolvePolicy(ctx, inputs.policy, octokit, undefined, signal);
      info(`Policy: ${policy.from}`);
      return core.group('Fingerprint and compare', () =>
        engine.runCheck({
          models: specs,
          registries: inputs.registries.length ? inputs.registries : undefined,
          policy: policy.path,
          root: ctx.workspace,
          mode: inputs.mode,
          challenge: inputs.challenge,
          lfs,
          signal,
          onProgress: (line) => info(line),
        }),
      );
    });

    const byModel = new Map(specs.map((spec, i) => [normalize(spec), selection.models[i]!]));
    await reportAndPublish(engine, results, {
      ctx,
      inputs,
      octokit,
      headSha: ctx.headSha,
      prNumber: ctx.prNumber,
      state,
      annotationPath: (model) => {
        const key = byModel.get(normalize(model)) ?? model;
        return annotationFile(ctx.workspace, key, selection.changed.get(normalize(key)) ?? []);
      },
    });
  } catch (err) {
    await reportError(err, state);
  } finally {
    budget?.end();
  }
}

interface Budget {
  /** Runs `work` under the budget: rejects with the timeout once it is past, whatever `work` does. */
  within<T>(work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T>;
  /** Names the step in progress (undefined: none in particular), for the timeout's message. */
  doing(what: string | undefined): void;
  /** The run is past the budgeted part: the timer is no longer needed. */
  end(): void;
}

/**
 * The `timeout` input: past it the work in `within` is aborted (reads in flight cancelled, git
 * processes killed, the analysis stopped) and `within` rejects with the timeout at once, whatever
 * the work does then, so the check concludes failure saying so instead of staying in progress until
 * the runner kills the job.
 */
function startBudget(seconds: number | undefined): Budget {
  if (seconds === undefined) return { within: (work) => work(undefined), doing: () => {}, end: () => {} };
  const controller = new AbortController();
  let step: string | undefined;
  const timer = setTimeout(
    () =>
      controller.abort(
        new Error(
          `timed out after ${seconds} s (input \`timeout\`)${step ? ` during ${plainText(step)}` : ''}: ` +
            'the models were not all read and analysed in time, so the check fails rather than pass them unread',
        ),
      ),
    seconds * 1000,
  );
  timer.unref();
  const signal = controller.signal;
  return {
    doing: (what) => {
      step = what;
    },
    end: () => clearTimeout(timer),
    async within(work) {
      signal.throwIfAborted();
      const running = work(signal);
      const expired = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      expired.catch(() => {});
      running.catch(() => {}); // past the budget its own end is moot
      return await Promise.race([running, expired]);
    },
  };
}

interface ReportTarget {
  ctx: RunContext;
  inputs: ActionInputs;
  octokit?: GitHubClient;
  headSha: string;
  prNumber?: number;
  state: { checkRunId?: number };
  annotationPath: (model: string) => string | undefined;
  /** A saved report published without `report-trust`: comment and summary only, marked unverified. */
  unverified?: boolean;
}

/** Heads the comment and summary of a saved report published without `report-trust: true`. */
const UNVERIFIED_NOTICE =
  "> [!WARNING]\n> Unverified: this report was produced by the pull request's own workflow run " +
  '(a fork can change what it says) and is published as it came, without a check run. ' +
  'Set `report-trust: true` only where that run cannot be altered by the pull request.\n\n';

/**
 * Summary, files and outputs first (a read-only token must not cost the report), then the
 * comment and check, then the exit code by `fail-on`.
 */
async function reportAndPublish(engine: Engine, results: CheckResult[], t: ReportTarget): Promise<void> {
  const { ctx, inputs, octokit } = t;
  const conclusion = engine.conclusion(results);
  // The summary holds up to 1 MiB, so it gets the whole report; comment and check get a compact one.
  const notice = t.unverified ? UNVERIFIED_NOTICE : '';
  const fullMarkdown =
    notice + engine.renderMarkdown(results, { summaryUrl: ctx.runUrl, maxLength: MAX_SUMMARY_CHARS - notice.length });
  const verdict = worstVerdict(results);
  const policyResult = worstPolicy(results);

  await writeJobSummary(fullMarkdown);
  const files = await writeReportFiles(
    ctx.runnerTemp ?? ctx.workspace,
    {
      schema: REPORT_SCHEMA,
      repository: `${ctx.owner}/${ctx.repo}`,
      event: ctx.eventName,
      head_sha: t.headSha,
      pr_number: t.prNumber,
      conclusion,
      ...checkReport(results),
    },
    fullMarkdown,
  );
  setOutputs({ verdict, policyResult, files, conclusion });

  if (octokit) {
    const markdown =
      fullMarkdown.length <= COMPACT_MARKDOWN
        ? fullMarkdown
        : notice +
          engine.renderMarkdown(results, { summaryUrl: ctx.runUrl, maxLength: COMPACT_MARKDOWN - notice.length });
    try {
      const out = await publishReport(
        {
          octokit,
          owner: ctx.owner,
          repo: ctx.repo,
          headSha: t.headSha,
          prNumber: t.prNumber,
          checkName: inputs.checkName,
          comment: inputs.comment,
          check: t.unverified ? 'off' : 'on',
          detailsUrl: ctx.runUrl,
          checkRunId: t.state.checkRunId,
        },
        { results, markdown, conclusion, annotations: annotationsFor(results, t.annotationPath) },
      );
      t.state.checkRunId = undefined; // completed
      for (const w of out.warnings) core.warning(w);
      if (out.commentId !== undefined) core.setOutput('comment-id', String(out.commentId));
      if (out.checkRunId !== undefined) core.setOutput('check-run-id', String(out.checkRunId));
      if (out.commentId !== undefined) info(`PR comment ${out.commentAction}: ${out.commentId}`);
    } catch (err) {
      if (err instanceof PublishError) {
        t.state.checkRunId = undefined; // publishReport already tried to complete it
        for (const w of err.outcome.warnings) core.warning(w);
      }
      throw err;
    }
  }

  const fail = failureMessage(results, inputs.failOn);
  if (fail) core.setFailed(fail);
  else info(`Policy: ${policyResult}; verdict: ${verdict}`);
}

/** `report:` set: publish a report.json from another run (fork PRs) instead of analysing. */
async function publishSavedReport(
  engine: Engine,
  ctx: RunContext,
  inputs: ActionInputs,
  octokit: GitHubClient | undefined,
): Promise<void> {
  const doc = loadSavedReport(resolve(ctx.workspace, inputs.report!));
  const target = await savedReportTarget(ctx, doc, octokit);
  for (const w of target.warnings) core.warning(w);
  if (!inputs.reportTrust)
    info(
      'Publishing the saved report as unverified (comment and summary, no check run): ' +
        'it was made by a run the pull request can change. `report-trust: true` posts the check too.',
    );
  info(
    `Publishing ${plural(reportResults(doc).length, 'saved result')} on ${target.headSha}` +
      (target.prNumber !== undefined ? ` (#${target.prNumber})` : ''),
  );
  await reportAndPublish(engine, reportResults(doc), {
    ctx,
    inputs,
    octokit,
    headSha: target.headSha,
    prNumber: target.prNumber,
    state: {},
    annotationPath: (model) => annotationFile(ctx.workspace, model),
    unverified: !inputs.reportTrust,
  });
}

/** Nothing to check: say so, and still complete a check so a required check does not hang. */
async function finishWithoutModels(
  ctx: RunContext,
  inputs: ActionInputs,
  octokit: GitHubClient | undefined,
): Promise<void> {
  const markdown =
    '## Weightprint\n\nNo model weights, shard indexes, configs or tokenizers changed: nothing to check.\n';
  await writeJobSummary(markdown);
  const files = await writeReportFiles(
    ctx.runnerTemp ?? ctx.workspace,
    {
      schema: REPORT_SCHEMA,
      repository: `${ctx.owner}/${ctx.repo}`,
      event: ctx.eventName,
      head_sha: ctx.headSha,
      pr_number: ctx.prNumber,
      conclusion: 'neutral',
      ...checkReport([]),
    },
    markdown,
  );
  setOutputs({ verdict: 'none', policyResult: 'pass', files, conclusion: 'neutral' });
  if (!octokit) return;
  // No comment: a PR that touches no model should not get one.
  const out = await publishReport(
    {
      octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      headSha: ctx.headSha,
      prNumber: ctx.prNumber,
      checkName: inputs.checkName,
      comment: 'off',
      detailsUrl: ctx.runUrl,
    },
    { results: [], markdown, conclusion: 'neutral', title: 'No model weights changed' },
  );
  for (const w of out.warnings) core.warning(w);
}

async function reportError(
  err: unknown,
  s: { octokit?: GitHubClient; ctx?: RunContext; checkRunId?: number; onError?: Conclusion },
): Promise<void> {
  const message = isInputError(err) ? `weightprint: ${err.message}` : `weightprint: ${errorMessage(err)}`;
  if (!isInputError(err) && err instanceof Error && err.stack) core.debug(err.stack);
  // A check left in_progress would block a required check until GitHub times it out.
  if (s.octokit && s.ctx && s.checkRunId !== undefined) {
    try {
      await completeCheckRun(
        { octokit: s.octokit, owner: s.ctx.owner, repo: s.ctx.repo, detailsUrl: s.ctx.runUrl },
        s.checkRunId,
        s.onError ?? 'failure',
        { title: 'Weightprint could not complete', summary: `${mdFence(message)}\n` },
      );
    } catch (e) {
      core.debug(`could not complete check run ${s.checkRunId}: ${errorMessage(e)}`);
    }
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(`## Weightprint\n\n:x: ${mdText(message)}\n`, true).write();
    } catch {
      // The summary is a courtesy here; the failure message below is what matters.
    }
  }
  core.setFailed(message.split('\n')[0]!);
}

function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(p);
}

function normalize(p: string): string {
  if (isRemote(p)) return p;
  return (
    posix
      .normalize(p.replace(/\\/g, '/'))
      .replace(/^\.\/+/, '')
      .replace(/\/+$/, '') || '.'
  );
}
