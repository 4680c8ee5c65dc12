/**
 * The Octokit every Weightprint component talks to GitHub through, the Action and the App alike:
 * @octokit/rest with GitHub's recommended throttling (primary and secondary rate limits) and
 * retries of transient failures, under one policy. `fetch` is injectable so tests can answer from
 * a loopback server or a function.
 */
import { Octokit } from '@octokit/rest';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';

interface GitHubLog {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

export interface GitHubClientOptions {
  /** Token (PAT, GITHUB_TOKEN or installation token). Omit for unauthenticated calls. */
  token?: string;
  /** REST root; defaults to GITHUB_API_URL (set by the runner, GHES-aware), then api.github.com. */
  baseUrl?: string;
  /** Replacement for globalThis.fetch (tests). */
  fetch?: typeof globalThis.fetch;
  log?: Partial<GitHubLog>;
  /** How many times a rate-limited request is retried before the error surfaces (default 2). */
  maxRateLimitRetries?: number;
  /** Never wait longer than this for a rate limit to reset, in seconds (default 120). */
  maxRateLimitWaitSeconds?: number;
  /** Retries of 5xx/network failures (default 3). */
  retries?: number;
  /**
   * Milliseconds per second of `retry-after` and per unit of retry back-off. 1000 in
   * production; tests lower it so a `retry-after: 1` does not cost a real second.
   */
  retryAfterBaseValue?: number;
  /**
   * Throttling key: requests sharing it share the write/notification spacing. One per
   * installation in the App; the default is fine for the Action's single token.
   */
  throttleId?: string;
  userAgent?: string;
  /**
   * Extra throttling settings merged over ours (e.g. a Redis `connection` for an App running
   * several replicas, or the `write`/`notifications` groups). Handlers stay ours.
   */
  throttle?: Partial<Omit<ThrottlingOptions, 'onRateLimit' | 'onSecondaryRateLimit' | 'enabled'>>;
}

/** @octokit/rest with throttling and retry plugins installed. */
export const WeightprintOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof WeightprintOctokit>;

/**
 * The part of an Octokit the posting code needs. `request` exists on every Octokit (rest, core,
 * the App's installation clients), so publishReport accepts any of them.
 */
export type OctokitLike = Pick<Octokit, 'request'>;

export function defaultApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
}

/** A client with the one policy. */
export function createGitHubClient(opts: GitHubClientOptions = {}): GitHubClient {
  return new WeightprintOctokit(clientOptions(opts));
}

/**
 * The client class with the same policy baked in, for code that constructs clients itself
 * (@octokit/app makes one per installation).
 */
export function gitHubClientClass(opts: Omit<GitHubClientOptions, 'token'> = {}): typeof WeightprintOctokit {
  return WeightprintOctokit.defaults(clientOptions(opts)) as typeof WeightprintOctokit;
}

function clientOptions(opts: GitHubClientOptions) {
  const log: GitHubLog = {
    debug: opts.log?.debug ?? (() => {}),
    info: opts.log?.info ?? (() => {}),
    warn: opts.log?.warn ?? ((m) => console.warn(m)),
    error: opts.log?.error ?? ((m) => console.error(m)),
  };
  const maxRetries = opts.maxRateLimitRetries ?? 2;
  const maxWait = opts.maxRateLimitWaitSeconds ?? 120;
  const baseValue = opts.retryAfterBaseValue ?? 1000;
  // Octokit passes the whole request (bodies up to 64 KB) as a second argument to debug logs;
  // keep the message only.
  const sink = (fn: (m: string) => void) => (message: unknown) =>
    fn(typeof message === 'string' ? message : message instanceof Error ? message.message : safeJson(message));

  return {
    auth: opts.token || undefined,
    baseUrl: opts.baseUrl ?? defaultApiUrl(),
    userAgent: opts.userAgent ?? 'weightprint',
    log: { debug: sink(log.debug), info: sink(log.info), warn: sink(log.warn), error: sink(log.error) },
    request: opts.fetch ? { fetch: opts.fetch } : {},
    throttle: {
      ...opts.throttle,
      id: opts.throttleId ?? opts.throttle?.id,
      retryAfterBaseValue: baseValue,
      onRateLimit: (retryAfter: number, options: LimitedRequest, _octokit: unknown, retryCount: number) => {
        const what = `${options.method} ${options.url}`;
        if (retryCount < maxRetries && retryAfter <= maxWait) {
          log.warn(
            `GitHub rate limit reached for ${what}; ` +
              `retrying in ${retryAfter}s (attempt ${retryCount + 1}/${maxRetries})`,
          );
          return true;
        }
        log.warn(`GitHub rate limit reached for ${what}; giving up after ${retryCount} retries`);
        return false;
      },
      onSecondaryRateLimit: (retryAfter: number, options: LimitedRequest, _octokit: unknown, retryCount: number) => {
        const what = `${options.method} ${options.url}`;
        if (retryCount < maxRetries && retryAfter <= maxWait) {
          log.warn(
            `GitHub secondary rate limit for ${what}; ` +
              `retrying in ${retryAfter}s (attempt ${retryCount + 1}/${maxRetries})`,
          );
          return true;
        }
        log.warn(`GitHub secondary rate limit for ${what}; giving up after ${retryCount} retries`);
        return false;
      },
    },
    retry: {
      retries: opts.retries ?? 3,
      retryAfterBaseValue: baseValue,
      // 429 belongs to the throttling plugin (it reads retry-after); retrying it here too would
      // double the attempts and ignore the server's wait.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  };
}

/** What the throttling handlers receive about the limited request (the part we log). */
interface LimitedRequest {
  method: string;
  url: string;
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** HTTP status of an Octokit RequestError (or anything shaped like one). */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err) {
    const s = (err as { status: unknown }).status;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}

/**
 * A 403/404 that means "this token may not do this" (fork PR, missing `permissions:`, app not
 * installed) rather than a rate limit that ran out of retries.
 */
export function isPermissionError(err: unknown): boolean {
  const status = httpStatus(err);
  if (status === 404) return true;
  if (status !== 403) return false;
  return !/rate limit/i.test(errorMessage(err));
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
