/**
 * What the runner tells a JavaScript action about the run, read from the environment and the
 * event payload (not from @actions/github's import-time singleton, so it is testable).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';

export interface RunContext {
  eventName: string;
  payload: Record<string, unknown>;
  owner: string;
  repo: string;
  /** GITHUB_SHA: for pull_request this is the merge commit, which must not carry the check. */
  sha: string;
  /** The commit results are attached to: the PR head for PR events, else GITHUB_SHA. */
  headSha: string;
  prNumber?: number;
  ref: string;
  workspace: string;
  apiUrl: string;
  /** GITHUB_SERVER_URL: the web root, where the repository's Git LFS endpoint lives. */
  serverUrl: string;
  /** The run page; the job summary is shown there. */
  runUrl?: string;
  runnerTemp?: string;
}

export const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function readContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    } catch (err) {
      throw new InputError(env.GITHUB_EVENT_PATH, `cannot read the event payload (${(err as Error).message})`);
    }
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo)
    throw new InputError('GITHUB_REPOSITORY', 'is not set to owner/repo (is this running inside GitHub Actions?)');

  const sha = env.GITHUB_SHA ?? '';
  const pr = payload.pull_request as { number?: number; head?: { sha?: string } } | undefined;
  const headSha = (PR_EVENTS.has(eventName) && pr?.head?.sha) || sha;
  if (!headSha) throw new InputError('GITHUB_SHA', 'is not set and the event has no head commit');

  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const runUrl = env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;

  return {
    eventName,
    payload,
    owner,
    repo,
    sha,
    headSha,
    prNumber: PR_EVENTS.has(eventName) ? (pr?.number ?? numberOrUndefined(payload.number)) : undefined,
    ref: env.GITHUB_REF ?? '',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl,
    runUrl,
    runnerTemp: env.RUNNER_TEMP || undefined,
  };
}

function numberOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
