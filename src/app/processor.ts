/**
 * Runs one job: find the models, analyse them, post the report, and hand the results to the
 * queue to store. Analysis and posting are injected (`analyse`, `publisher`) so the server can
 * be tested end to end against a loopback GitHub with a small real analysis.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import type { CheckResult } from '../check/types.js';
import { InputError, isInputError } from '../errors.js';
import type { PublishOutcome, PublishReport, PublishTarget } from '../github/publish.js';
import type { GitHubAuth } from '../github/app-auth.js';
import type { GitHubClient } from '../github/client.js';
import { findReferencedModels, materializeRepoModel, readManifest, type RequestOctokit } from './models.js';
import { weightSetsIn } from '../formats/model.js';
import type { CheckMode } from '../check/run.js';
import type { LfsResolver } from '../formats/lfs.js';
import { LfsSession } from '../formats/lfs-source.js';
import { type LfsAccess, lfsEndpointFor } from '../net/lfs.js';
import { errorText, isTransient, type JobOutcome } from './queue.js';
import type { JobRow, NewResult, Store } from './store.js';
import { concludeWithErrors, inert, renderModelErrors, type ModelError, type OnError } from './model-errors.js';
import type { AnalysisOutput, GitHubCheckJob, HubCheckJob, InstallationJob, JobPayload } from './types.js';
import { plural } from '../util/words.js';
import { plainText } from '../report/escape.js';

const CHECK_NAME = 'Weightprint';

/** What the analysis is asked to do: models as local paths or `hf:` ids. */
interface AnalysisJob {
  models: string[];
  registries: string[];
  policy?: string;
  /** Local path → the name the report should show (repo-relative path). */
  displayNames: Record<string, string>;
  /** How the models are read: the manifest's `mode:`, else WEIGHTPRINT_MODE, else auto. */
  mode?: CheckMode;
  /** Reads the LFS pointer files the job directory holds as their objects, by range from the LFS server. */
  lfs?: LfsResolver;
  /** Aborted when the job's time budget is spent: the reads in flight are cancelled, nothing more is wanted. */
  signal?: AbortSignal;
  /** Told each model as its analysis starts (a timeout names the one it found). */
  onModel?: (model: string) => void;
}

export type Analyse = (job: AnalysisJob) => Promise<AnalysisOutput>;

export interface Publisher {
  /** Creates the in-progress check run as soon as work starts; its id is kept across retries. */
  start(target: Omit<PublishTarget, 'comment'>): Promise<number | undefined>;
  publish(target: PublishTarget, report: PublishReport): Promise<PublishOutcome>;
}

interface ProcessorDeps {
  store: Store;
  auth: Pick<GitHubAuth, 'installation' | 'installationForRepo' | 'botLogin'>;
  analyse: Analyse;
  publisher: Publisher;
  registries: string[];
  policy?: string;
  hfResultsRepo?: { owner: string; repo: string };
  /** Base URL of this server as GitHub users reach it, for links from checks and issues. */
  publicUrl?: string;
  /** REST root, to build web links to check runs (GHES-aware). */
  githubApiUrl?: string;
  /** Where model copies go; the App empties it at start-up (what a crash left behind). */
  tmpRoot?: string;
  /** The queue's attempt limit, to know when a failing job is given up. */
  maxAttempts?: number;
  /** For LFS range reads (tests inject). */
  fetch?: typeof globalThis.fetch;
  /** Retry settings of the LFS reads (tests shorten the backoff). */
  lfsHttp?: LfsAccess['http'];
  /** WEIGHTPRINT_MODE: how models are read when the manifest says nothing (default auto). */
  mode?: CheckMode;
  /** Conclusion when a model cannot be analysed (WEIGHTPRINT_ON_ERROR); default `failure`. */
  onError?: OnError;
  /** Weights sets one check analyses at most (WEIGHTPRINT_MAX_MODELS); default 200. */
  maxModels?: number;
  /** Seconds one check may take to find, read and analyse its models (WEIGHTPRINT_JOB_TIMEOUT); default 1800. */
  jobTimeoutSeconds?: number;
  log?: { info: (m: string) => void; warn: (m: string) => void };
  /** Where running pull request jobs are listed, so a newer head of the same pull request can stop them. */
  running?: RunningPullJobs;
}

/** A pull request job while it runs: what identifies it, and how to ask it to stop for a newer head. */
interface RunningPullJob {
  installationId: number;
  owner: string;
  repo: string;
  prNumber: number;
  headSha: string;
  /** Asks the job to stop because `newerSha` was queued as the pull request's head (the job confirms it). */
  supersede(newerSha: string): void;
}

/**
 * The pull request jobs this process is running. A hostile author pushing again and again would
 * otherwise keep a slot busy analysing each commit in full while the newest head waits: a job
 * queued for a new head of pull request N of a repository stops the running jobs of N at another
 * head. Matched on installation, repository and number (all from a signature-verified webhook);
 * jobs without a pull request (tags, releases, re-runs of a commit) are never listed.
 */
export class RunningPullJobs {
  private readonly jobs = new Map<number, RunningPullJob>();

  add(jobId: number, job: RunningPullJob): void {
    this.jobs.set(jobId, job);
  }

  delete(jobId: number): void {
    this.jobs.delete(jobId);
  }

  /** A job was queued: asks the running jobs its commit would supersede to stop. Returns how many were asked. */
  supersede(payload: JobPayload): number {
    if (payload.kind !== 'github-check' || payload.prNumber === undefined || payload.headSha === undefined) return 0;
    let asked = 0;
    for (const job of this.jobs.values()) {
      if (
        job.installationId === payload.installationId &&
        job.owner === payload.owner &&
        job.repo === payload.repo &&
        job.prNumber === payload.prNumber &&
        job.headSha !== payload.headSha // the same head again (a re-delivery, a retarget) stops nothing
      ) {
        job.supersede(payload.headSha);
        asked++;
      }
    }
    return asked;
  }
}

/** Saved after the slow steps so a retry or a restart neither re-analyses nor opens a second check run. */
interface Checkpoint {
  headSha?: string;
  /** The commit the manifest and policy are read from (never the commit under test). */
  policySha?: string;
  /**
   * For a pull request into a branch other than the default one: the default branch's head, whose
   * manifest's policy applies (whoever can push that other branch could have written its policy).
   */
  governingSha?: string;
  checkRunId?: number;
  analysis?: AnalysisOutput;
  skipped?: string;
}

/** WEIGHTPRINT_MAX_MODELS when unset. */
const DEFAULT_MAX_MODELS = 200;
/**
 * Files copied per check: this many per allowed model (weights, shards and side files). The
 * default 2,000 holds a 400-shard release; a directory of thousands of tiny weights files does not.
 */
const FILES_PER_MODEL = 10;
/** WEIGHTPRINT_JOB_TIMEOUT when unset: half an hour reads and analyses far more than one release's models. */
export const DEFAULT_JOB_TIMEOUT_SECONDS = 1800;

export function createProcessor(deps: ProcessorDeps): (job: JobRow) => Promise<JobOutcome> {
  const log = deps.log ?? { info: () => {}, warn: (m: string) => console.warn(m) };
  return async (job) => {
    const p = job.payload;
    switch (p.kind) {
      case 'github-check':
        return githubCheck(job, p, deps, log);
      case 'hf-check':
        return hubCheck(job, p, deps);
      case 'installation':
        return installation(p, deps);
    }
  };
}

async function githubCheck(
  job: JobRow,
  p: GitHubCheckJob,
  deps: ProcessorDeps,
  log: { info: (m: string) => void; warn: (m: string) => void },
): Promise<JobOutcome> {
  const cp: Checkpoint = { ...((job.checkpoint as Checkpoint | undefined) ?? {}) };
  const save = () => deps.store.saveCheckpoint(job.id, cp);
  const octokit = await deps.auth.installation(p.installationId);
  const full = `${p.owner}/${p.repo}`;

  if (!cp.headSha) {
    cp.headSha = p.headSha ?? (await resolveRef(octokit, p.owner, p.repo, p.ref ?? 'HEAD'));
    save();
  }
  const headSha = cp.headSha;
  if (cp.skipped) return { summary: cp.skipped };
  // Aborted with the new head's sha once a newer head of the pull request is queued and GitHub
  // confirms it is the head now (a delivery arriving late, naming an older push, stops nothing).
  const superseded = new AbortController();
  const prNumber = p.prNumber;
  if (prNumber === undefined || !deps.running)
    return githubCheckAt(job, p, deps, log, { cp, headSha, octokit, superseded: superseded.signal });
  deps.running.add(job.id, {
    installationId: p.installationId,
    owner: p.owner,
    repo: p.repo,
    prNumber,
    headSha,
    supersede: (newer) => {
      if (superseded.signal.aborted || cp.analysis) return; // analysed already: its report is posted as is
      void pullHead(octokit, p.owner, p.repo, prNumber).then((now) => {
        if (now === newer && now !== headSha && !cp.analysis) superseded.abort(now);
        else if (!superseded.signal.aborted)
          log.info(`${full}#${prNumber}: ${plainText(newer.slice(0, 7))} was queued, not confirmed as the head`);
      });
    },
  });
  try {
    return await githubCheckAt(job, p, deps, log, { cp, headSha, octokit, superseded: superseded.signal });
  } finally {
    deps.running.delete(job.id);
  }
}

/** The check of `headSha` once resolved; `superseded` is aborted (reason: the new head's sha) to stop it. */
async function githubCheckAt(
  job: JobRow,
  p: GitHubCheckJob,
  deps: ProcessorDeps,
  log: { warn: (m: string) => void },
  at: { cp: Checkpoint; headSha: string; octokit: GitHubClient; superseded: AbortSignal },
): Promise<JobOutcome> {
  const { cp, headSha, octokit, superseded } = at;
  const save = () => deps.store.saveCheckpoint(job.id, cp);
  const full = `${p.owner}/${p.repo}`;
  // A commit its pull request has moved past gates nothing: a PR author pushing commit after commit
  // must not queue a full check of each ahead of everyone else's. Skipped only when the PR's head
  // now has a job of its own queued after this one (an API answer lagging behind the webhooks
  // could name an older head). A check run an earlier attempt started (a retry, a restart) is
  // concluded cancelled, not left in progress.
  if (p.prNumber !== undefined && !cp.analysis) {
    const now = await pullHead(octokit, p.owner, p.repo, p.prNumber);
    if (now !== undefined && now !== headSha && deps.store.hasLaterPullJob(job.id, p.owner, p.repo, p.prNumber, now)) {
      if (cp.checkRunId !== undefined) {
        const target = { octokit, owner: p.owner, repo: p.repo, headSha, prNumber: p.prNumber, checkName: CHECK_NAME };
        return cancelled(deps, target, cp.checkRunId, full, headSha, now, log);
      }
      cp.skipped = `superseded: pull request #${p.prNumber} is now at ${now.slice(0, 7)}`;
      save();
      return { summary: cp.skipped };
    }
  }
  if (!cp.policySha) {
    Object.assign(cp, await trustedPolicySha(octokit, p));
    save();
  }
  const detailsUrl = deps.publicUrl ? `${deps.publicUrl}/jobs/${job.id}` : undefined;
  const target = {
    octokit,
    owner: p.owner,
    repo: p.repo,
    headSha,
    prNumber: p.prNumber,
    checkName: CHECK_NAME,
    detailsUrl,
    // Only a comment the App itself wrote is adopted as the sticky report.
    commentAuthor: p.prNumber !== undefined ? await deps.auth.botLogin() : undefined,
  };

  if (!cp.analysis) {
    // A pull request built to be slow (many tiny models, huge headers, a stalling LFS server) may
    // hold a queue slot this long at most; then its check fails saying so, and nothing else of the
    // job is published (the work left running stops at its next step: every LFS read is aborted).
    const seconds = deps.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS;
    const budget = new AbortController();
    const saveInTime = () => {
      if (!budget.signal.aborted) save();
    };
    let starting: Promise<void> | undefined; // the check run being created: the one a timeout concludes
    let reading: string | undefined; // the model being copied or analysed, as the report names it
    const work = (async (): Promise<JobOutcome | undefined> => {
      const ref = { owner: p.owner, repo: p.repo, sha: headSha, prNumber: p.prNumber };
      const dir = await mkdtemp(join(deps.tmpRoot ?? tmpdir(), 'job-'));
      const local = (text: string) => text.split(`${dir}/`).join('');
      try {
        const found = await findReferencedModels(octokit, ref, cp.policySha);
        budget.signal.throwIfAborted(); // past the budget nothing more is created on the commit
        if (found.hub.length === 0 && found.repo.length === 0 && found.missing.length === 0) {
          // Installed org-wide: a PR that touches no weights gets no check run and no comment.
          const notes = found.notes.length ? ` (${found.notes.join('; ')})` : '';
          cp.skipped = `no models referenced at ${headSha.slice(0, 7)}${notes}`;
          saveInTime();
          return { summary: cp.skipped };
        }
        if (cp.checkRunId === undefined) {
          const start = deps.publisher.start(target).then((id) => {
            cp.checkRunId = id;
            saveInTime();
          });
          starting = start.catch(() => {});
          try {
            await start;
          } catch (err) {
            // Not fatal: publish falls back to creating the run (or a commit status) at the end.
            log.warn(`${full}: could not start the check run: ${errorText(err)}`);
          }
        }
        // The repository's LFS endpoint is its web URL's; asked for only when a model has LFS objects.
        let session: Promise<LfsSession> | undefined;
        const lfs = () =>
          (session ??= (async () => {
            const [repo, token] = await Promise.all([
              octokit.request('GET /repos/{owner}/{repo}', { owner: p.owner, repo: p.repo }),
              installationToken(octokit),
            ]);
            return new LfsSession({
              url: lfsEndpointFor(repo.data.html_url),
              token,
              fetch: within(deps.fetch ?? globalThis.fetch, budget.signal),
              // past the budget a read in flight ends with the timeout, never retried as a dropped connection
              http: { ...deps.lfsHttp, signal: budget.signal },
            });
          })());
        const models: string[] = [...found.hub];
        const displayNames: Record<string, string> = {};
        const errors: ModelError[] = [...found.missing];
        const maxModels = deps.maxModels ?? DEFAULT_MAX_MODELS;
        const tooMany = (n: number): ModelError => ({
          model: '.',
          message:
            `${n} models or more to analyse at ${headSha.slice(0, 7)}, more than one check analyses ` +
            `(${maxModels}, WEIGHTPRINT_MAX_MODELS): the check fails rather than pass models it did not read; ` +
            'split the change, or raise the limit',
        });
        // Each file is one API request on the installation's rate limit (shared by all its
        // repositories): a directory of thousands of tiny weights files is refused before any is copied.
        const maxFiles = maxModels * FILES_PER_MODEL;
        const files = found.repo.reduce((n, m) => n + m.files.length, 0);
        const repoModels = found.hub.length + found.repo.length > maxModels || files > maxFiles ? [] : found.repo;
        if (found.hub.length + found.repo.length > maxModels) {
          errors.push(tooMany(found.hub.length + found.repo.length));
          models.length = 0;
        } else if (files > maxFiles) {
          errors.push({
            model: '.',
            message:
              `${files} files to read at ${headSha.slice(0, 7)}, more than one check reads ` +
              `(${maxFiles}: ${FILES_PER_MODEL} per model of WEIGHTPRINT_MAX_MODELS): the check fails rather than ` +
              'pass models it did not read; split the change, or raise the limit',
          });
          models.length = 0;
        }
        for (const m of repoModels) {
          budget.signal.throwIfAborted();
          reading = m.name;
          try {
            const path = await materializeRepoModel(m, dir, { octokit, ref, lfs });
            // each weights set of the directory is a model: a copy beside a decoy is checked too
            const sets = await weightSetsIn(path, { lfs: { open: async (file, p) => (await lfs()).open(file, p) } });
            for (const set of sets) {
              models.push(set);
              displayNames[set] = posix.join(m.dir, basename(set));
            }
          } catch (err) {
            // Retried as a whole job; anything else is this model's defect, reported with the others.
            if (isTransient(err) || budget.signal.aborted) throw err;
            errors.push({ model: m.name, message: local(errorText(err)) });
            log.warn(`${full}: ${m.name} cannot be analysed: ${local(errorText(err))}`);
          }
        }
        if (models.length > maxModels) {
          errors.push(tooMany(models.length));
          models.length = 0;
        }
        const governing = cp.governingSha
          ? await readManifest(octokit, { owner: p.owner, repo: p.repo, sha: cp.governingSha })
          : found.manifest;
        const policyPath = governing
          ? await writePolicy(dir, governing.path, governing.text, deps.policy)
          : deps.policy;
        budget.signal.throwIfAborted();
        const out: AnalysisOutput = models.length
          ? renameModels(
              await deps.analyse({
                models,
                registries: deps.registries,
                policy: policyPath,
                displayNames,
                // how models are read is policy too (a sketch misses a transposed copy): the governing manifest's
                mode: governing?.mode ?? deps.mode ?? 'auto',
                lfs: session ? await session : undefined,
                signal: budget.signal,
                onModel: (m) => {
                  reading = displayNames[m] ?? m;
                },
              }),
              displayNames,
            )
          : { results: [], markdown: '## Weightprint provenance report\n', conclusion: 'success' };
        cp.analysis = withErrors(
          out,
          [...errors, ...(out.errors ?? []).map((e) => ({ ...e, message: local(e.message) }))],
          deps.onError ?? 'failure',
        );
        budget.signal.throwIfAborted(); // past the budget: the timeout is what is reported, not this
        save();
      } catch (err) {
        // Past the budget the job has already been failed for taking too long: say nothing more.
        if (budget.signal.aborted) throw err;
        const givingUp = !isTransient(err) || job.attempts >= (deps.maxAttempts ?? 5);
        // Say so on the commit when giving up, and fail closed: a run left in_progress would spin
        // forever, and a neutral one would count as passing for a required check.
        if (givingUp) {
          const why = local(errorText(err));
          await deps.publisher
            .publish(
              { ...target, comment: 'off', checkRunId: cp.checkRunId },
              {
                results: [],
                markdown:
                  `## Weightprint could not check this commit\n\n${inert(why)}\n\n` +
                  'The check fails until the commit can be analysed.',
                conclusion: deps.onError ?? 'failure',
                title: 'Weightprint could not check this commit',
              },
            )
            .catch((e: unknown) => log.warn(`${full}: could not report the failure on the check run: ${errorText(e)}`));
        }
        // Name the repository's files, not their temporary copies, in the job's error too.
        if (isInputError(err)) throw new InputError(local(err.source), local(err.problem));
        throw err;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return undefined;
    })();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), seconds * 1000);
    });
    // A newer head of the pull request stops the work the way the budget does: reads in flight are aborted.
    const stopped = new Promise<'superseded'>((resolve) => {
      if (superseded.aborted) resolve('superseded');
      else superseded.addEventListener('abort', () => resolve('superseded'), { once: true });
    });
    const first = await Promise.race([work, expired, stopped]).finally(() => clearTimeout(timer));
    if (first === 'expired') {
      budget.abort(new Error(`timed out after ${seconds} s`));
      work.catch((err: unknown) => log.warn(`${full}: work stopped after the timeout: ${errorText(err)}`));
      await starting;
      return timedOut(deps, target, cp.checkRunId, seconds, full, headSha, log, reading);
    }
    if (first === 'superseded') {
      const newer = String(superseded.reason);
      budget.abort(new Error(`superseded by ${newer.slice(0, 7)}`));
      work.catch((err: unknown) => log.warn(`${full}: work stopped for a newer head: ${errorText(err)}`));
      await starting; // a check run being created is the one concluded
      return cancelled(deps, target, cp.checkRunId, full, headSha, newer, log);
    }
    if (first) return first;
  }

  const analysis = cp.analysis!;
  const failed = analysis.errors?.length ?? 0;
  const outcome = await deps.publisher.publish(
    { ...target, comment: p.prNumber !== undefined ? 'sticky' : 'off', checkRunId: cp.checkRunId },
    {
      results: analysis.results,
      markdown: analysis.markdown,
      conclusion: analysis.conclusion,
      ...(failed
        ? {
            title:
              `${failed} of ${plural(failed + analysis.results.length, 'model')} ` +
              'could not be analysed (check fails)',
          }
        : {}),
    },
  );
  for (const w of outcome.warnings) log.warn(`${full}: ${w}`);
  const checkUrl =
    outcome.checkRunId !== undefined ? `${htmlBase(deps)}/${full}/runs/${outcome.checkRunId}` : undefined;
  return {
    summary:
      `${plural(analysis.results.length + failed, 'model')} at ${headSha.slice(0, 7)}` +
      `${failed ? `, ${failed} not analysable` : ''}: ${analysis.conclusion}`,
    conclusion: analysis.conclusion,
    detailsUrl: checkUrl,
    results: toResults(analysis, full, headSha, checkUrl),
  };
}

async function hubCheck(job: JobRow, p: HubCheckJob, deps: ProcessorDeps): Promise<JobOutcome> {
  const cp: Checkpoint = { ...((job.checkpoint as Checkpoint | undefined) ?? {}) };
  if (!cp.analysis) {
    // The Hub repository's author is the gated party here: a model built to be slow gets the same budget.
    const seconds = deps.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS;
    const budget = new AbortController();
    const work = deps.analyse({
      models: [p.model],
      registries: deps.registries,
      policy: deps.policy,
      displayNames: {},
      signal: budget.signal,
    });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), seconds * 1000);
    });
    const first = await Promise.race([work, expired]).finally(() => clearTimeout(timer));
    let out: AnalysisOutput;
    if (first === 'expired') {
      budget.abort(new Error(`timed out after ${seconds} s`));
      work.catch(() => {}); // its own end is moot now
      const why = timeoutReason(seconds, p.model);
      out = {
        results: [],
        errors: [{ model: p.model, message: why }],
        markdown: '## Weightprint provenance report\n',
        conclusion: deps.onError ?? 'failure',
      };
    } else out = first;
    cp.analysis = withErrors(out, out.errors ?? [], deps.onError ?? 'failure');
    deps.store.saveCheckpoint(job.id, cp);
  }
  const analysis = cp.analysis;
  let detailsUrl: string | undefined;
  if (deps.hfResultsRepo) {
    const { owner, repo } = deps.hfResultsRepo;
    const octokit = await deps.auth.installation(await deps.auth.installationForRepo(owner, repo));
    detailsUrl = await upsertHubIssue(
      octokit,
      owner,
      repo,
      p,
      analysis,
      deps.publicUrl ? `${deps.publicUrl}/jobs/${job.id}` : undefined,
    );
  }
  return {
    summary: `${p.model}: ${analysis.conclusion}`,
    conclusion: analysis.conclusion,
    detailsUrl,
    results: toResults(analysis, 'hf', p.headSha, detailsUrl),
  };
}

async function installation(p: InstallationJob, deps: ProcessorDeps): Promise<JobOutcome> {
  if (p.action === 'deleted') {
    deps.store.removeInstallation(p.installationId);
    return { summary: `installation ${p.installationId} removed` };
  }
  if (p.action === 'removed') {
    deps.store.removeRepos(p.repos);
    return { summary: `${plural(p.repos.length, 'repo')} no longer watched` };
  }
  let repos = p.repos;
  if (p.action === 'created' && repos.length === 0) {
    // "All repositories" installs may omit the list; ask the API.
    const octokit = await deps.auth.installation(p.installationId);
    repos = [];
    for (let page = 1; page <= 100; page++) {
      const res = await octokit.request('GET /installation/repositories', { per_page: 100, page });
      repos.push(...res.data.repositories.map((r) => r.full_name));
      if (res.data.repositories.length < 100) break;
    }
  }
  deps.store.upsertRepos(p.installationId, p.account, repos);
  return { summary: `${plural(repos.length, 'repo')} watched for installation ${p.installationId}` };
}

/** Hub results become one issue per model revision in HF_RESULTS_REPO, found again by a marker. */
async function upsertHubIssue(
  octokit: RequestOctokit,
  owner: string,
  repo: string,
  p: HubCheckJob,
  analysis: AnalysisOutput,
  dashboardUrl: string | undefined,
): Promise<string> {
  const marker = `<!-- weightprint:hub:${p.model} -->`;
  const title = `Weightprint: ${p.model} — ${analysis.conclusion}`;
  const body = `${marker}\n${clip(analysis.markdown, 60_000)}${dashboardUrl ? `\n\n[Dashboard](${dashboardUrl})` : ''}`;
  for (let page = 1; page <= 20; page++) {
    const res = await octokit.request('GET /repos/{owner}/{repo}/issues', {
      owner,
      repo,
      labels: 'weightprint',
      state: 'all',
      per_page: 100,
      page,
    });
    const hit = res.data.find((i) => typeof i.body === 'string' && i.body.startsWith(marker));
    if (hit) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        owner,
        repo,
        issue_number: hit.number,
        title,
        body,
      });
      return hit.html_url;
    }
    if (res.data.length < 100) break;
  }
  const created = await octokit.request('POST /repos/{owner}/{repo}/issues', {
    owner,
    repo,
    title,
    body,
    labels: ['weightprint'],
  });
  return created.data.html_url;
}

function toResults(a: AnalysisOutput, source: string, headSha: string, detailsUrl: string | undefined): NewResult[] {
  const failed: NewResult[] = (a.errors ?? []).map((e) => ({
    source,
    model: e.model,
    headSha,
    verdict: 'error',
    policy: 'fail',
    conclusion: a.conclusion,
    report: { model: e.model, error: e.message },
    markdown: `## Weightprint provenance report\n\n${renderModelErrors([e])}`,
    detailsUrl,
  }));
  return failed.concat(
    a.results.map((r: CheckResult) => ({
      source,
      model: r.model,
      headSha,
      verdict: r.verdict,
      policy: r.policy.result,
      conclusion: a.conclusion,
      report: r,
      markdown: a.modelMarkdown?.[r.model] ?? a.markdown,
      detailsUrl,
    })),
  );
}

/** Counts the models that could not be analysed: listed in the report, and the check fails. */
function withErrors(out: AnalysisOutput, errors: ModelError[], onError: OnError): AnalysisOutput {
  if (!errors.length) return { ...out, errors: [] };
  const section = renderModelErrors(errors);
  return {
    ...out,
    errors,
    conclusion: concludeWithErrors(out.conclusion, errors, onError),
    markdown: `${out.markdown.trimEnd()}\n\n${section}`,
  };
}

/** Reports name repo paths, not the temp copies they were read from. */
function renameModels(out: AnalysisOutput, names: Record<string, string>): AnalysisOutput {
  const rename = (m: string) => names[m] ?? m;
  let markdown = out.markdown;
  for (const [local, name] of Object.entries(names)) markdown = markdown.split(local).join(name);
  const modelMarkdown = out.modelMarkdown
    ? Object.fromEntries(
        Object.entries(out.modelMarkdown).map(([k, v]) => {
          for (const [local, name] of Object.entries(names)) v = v.split(local).join(name);
          return [rename(k), v];
        }),
      )
    : undefined;
  const renameText = (t: string) => {
    for (const [local, name] of Object.entries(names)) t = t.split(local).join(name);
    return t;
  };
  return {
    ...out,
    markdown,
    modelMarkdown,
    results: out.results.map((r) => ({ ...r, model: rename(r.model) })),
    ...(out.errors
      ? { errors: out.errors.map((e) => ({ model: rename(e.model), message: renameText(e.message) })) }
      : {}),
  };
}

/**
 * The manifest doubles as the policy file. Its `models:` list and `mode:` are the App's, not the
 * policy's, so they are dropped; a manifest with nothing else leaves the configured policy in force.
 */
async function writePolicy(
  dir: string,
  manifestPath: string,
  text: string,
  fallback: string | undefined,
): Promise<string | undefined> {
  const doc: unknown = parseYaml(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fallback;
  const { models: _models, mode: _mode, ...policy } = doc as Record<string, unknown>;
  if (Object.keys(policy).length === 0) return fallback;
  // Same relative path as in the repository, so messages about it read as the user's file.
  const path = join(dir, ...manifestPath.split('/'));
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, stringifyYaml(policy));
  return path;
}

/**
 * Where the manifest (models list and policy) is read: a pull request's base commit, which the
 * author of the pull request does not write; for releases, tags and re-runs without a pull
 * request, the head of the default branch. Never the commit under test. A pull request into
 * another branch (one its author may have pushed, with a relaxed manifest) takes its models list
 * from that base but its policy from the default branch's head: otherwise a check run on the same
 * commit, passed under that branch's policy, would stand for the pull request into the default branch.
 */
async function trustedPolicySha(
  octokit: RequestOctokit,
  p: GitHubCheckJob,
): Promise<{ policySha: string; governingSha?: string }> {
  const repo = await octokit.request('GET /repos/{owner}/{repo}', { owner: p.owner, repo: p.repo });
  const defaultBranch = repo.data.default_branch;
  if (p.prNumber !== undefined) {
    let { baseSha, baseRef } = p;
    if (!baseSha || !baseRef) {
      const pr = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: p.owner,
        repo: p.repo,
        pull_number: p.prNumber,
      });
      baseSha = pr.data.base.sha;
      baseRef = pr.data.base.ref;
    }
    if (baseRef === defaultBranch) return { policySha: baseSha };
    return { policySha: baseSha, governingSha: await resolveRef(octokit, p.owner, p.repo, defaultBranch) };
  }
  return { policySha: await resolveRef(octokit, p.owner, p.repo, defaultBranch) };
}

/** The pull request's head commit now, or undefined when it cannot be read (then the job checks its commit). */
async function pullHead(
  octokit: RequestOctokit,
  owner: string,
  repo: string,
  pullNumber: number,
): Promise<string | undefined> {
  try {
    const pr = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner,
      repo,
      pull_number: pullNumber,
    });
    const sha = (pr.data as { head?: { sha?: unknown } }).head?.sha;
    return typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

async function resolveRef(octokit: RequestOctokit, owner: string, repo: string, ref: string): Promise<string> {
  const res = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref });
  return res.data.sha;
}

async function installationToken(octokit: GitHubClient): Promise<string | undefined> {
  try {
    const auth = (await octokit.auth({ type: 'installation' })) as { token?: string };
    return auth.token;
  } catch {
    return undefined;
  }
}

/** Web root for links: api.github.com → github.com, GHES https://host/api/v3 → https://host. */
export function webUrlFromApi(apiUrl: string | undefined): string {
  if (!apiUrl) return 'https://github.com';
  const u = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(u)) return 'https://github.com';
  return u.replace(/\/api\/v3$/, '');
}

function htmlBase(deps: ProcessorDeps): string {
  return webUrlFromApi(deps.githubApiUrl);
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/**
 * A job past its time budget: its check run concludes with the error conclusion (failure unless
 * WEIGHTPRINT_ON_ERROR says otherwise), one line saying why, and no sticky comment; the job is done,
 * not retried (the same commit would be as slow again).
 */
async function timedOut(
  deps: ProcessorDeps,
  target: Omit<PublishTarget, 'comment'>,
  checkRunId: number | undefined,
  seconds: number,
  full: string,
  headSha: string,
  log: { warn: (m: string) => void },
  reading: string | undefined,
): Promise<JobOutcome> {
  // one line: the model's name is the PR author's (rendered inert below, plain in the log)
  const at = reading === undefined ? '' : ` while reading ${plainText(reading)}`;
  const why = timeoutReason(seconds, `the models of ${headSha.slice(0, 7)}`, at);
  const conclusion = deps.onError ?? 'failure';
  const markdown = `## Weightprint could not check this commit\n\n${inert(why)}\n`;
  let detailsUrl: string | undefined;
  try {
    const outcome = await deps.publisher.publish(
      { ...target, comment: 'off', checkRunId },
      { results: [], markdown, conclusion, title: `Weightprint timed out after ${seconds} s` },
    );
    if (outcome.checkRunId !== undefined) detailsUrl = `${htmlBase(deps)}/${full}/runs/${outcome.checkRunId}`;
  } catch (err) {
    log.warn(`${full}: could not report the timeout on the check run: ${errorText(err)}`);
  }
  log.warn(`${full}: ${why}`);
  const analysis: AnalysisOutput = { results: [], errors: [{ model: '.', message: why }], markdown, conclusion };
  return {
    summary: `timed out after ${seconds} s at ${headSha.slice(0, 7)}: ${conclusion}`,
    conclusion,
    detailsUrl,
    results: toResults(analysis, full, headSha, detailsUrl),
  };
}

/**
 * A job stopped because its pull request moved to `newer`: the check run it started (if any) is
 * concluded `cancelled` (GitHub's conclusion for superseded runs, never passing), one line naming
 * the new head, whose own check is what gates the merge. Nothing else is published or stored.
 */
async function cancelled(
  deps: ProcessorDeps,
  target: Omit<PublishTarget, 'comment'>,
  checkRunId: number | undefined,
  full: string,
  headSha: string,
  newer: string,
  log: { warn: (m: string) => void },
): Promise<JobOutcome> {
  const short = newer.slice(0, 7); // hex: pullHead accepts nothing else
  const why = `superseded: pull request #${target.prNumber} is now at ${short}`;
  if (checkRunId !== undefined) {
    try {
      await deps.publisher.publish(
        { ...target, comment: 'off', checkRunId },
        {
          results: [],
          markdown: `Cancelled: pull request #${target.prNumber} is now at ${inert(short)}, which is checked instead.`,
          conclusion: 'cancelled',
          title: `Weightprint cancelled: superseded by ${plainText(short)}`,
        },
      );
    } catch (err) {
      log.warn(`${full}: could not conclude the cancelled check run of ${headSha.slice(0, 7)}: ${errorText(err)}`);
    }
  }
  return { summary: `cancelled at ${headSha.slice(0, 7)}, ${why}`, conclusion: 'cancelled' };
}

/** The one line a job past its budget reports. */
function timeoutReason(seconds: number, what: string, at = ''): string {
  return (
    `timed out after ${seconds} s (WEIGHTPRINT_JOB_TIMEOUT)${at}: ${what} were not all read and analysed in time, ` +
    'so the check fails rather than pass them unread'
  );
}

/** `fetch` whose every request is also aborted by `signal`. */
function within(f: typeof globalThis.fetch, signal: AbortSignal): typeof globalThis.fetch {
  return (input, init) => f(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
