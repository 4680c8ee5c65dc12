/**
 * Authentication as the App and as its installations. Every client the App makes comes from one
 * Octokit class with the throttling and retry plugins and the configured REST root (GHES, tests).
 */
import { App } from '@octokit/app';
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';

export interface AppOctokitOptions {
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  /** Retries of a rate-limited request before it surfaces to the job (which retries later). */
  maxRateLimitRetries?: number;
  /** Longest retry-after the client sleeps through itself, in seconds. */
  maxRateLimitWaitSeconds?: number;
  /** ms per retry-after second; lowered by tests only. */
  retryAfterBaseValue?: number;
  log?: { warn: (m: string) => void };
}

export const PluggedOctokit = Octokit.plugin(throttling, retry);
export type InstallationOctokit = InstanceType<typeof PluggedOctokit>;

/** An Octokit class with the App's defaults baked in, so @octokit/app's installation clients get them too. */
export function appOctokitClass(opts: AppOctokitOptions): typeof PluggedOctokit {
  const maxRetries = opts.maxRateLimitRetries ?? 3;
  const maxWait = opts.maxRateLimitWaitSeconds ?? 120;
  const warn = opts.log?.warn ?? ((m: string) => console.warn(m));
  const decide =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const what = `${options.method} ${options.url}`;
      if (retryCount < maxRetries && retryAfter <= maxWait) {
        warn(`GitHub ${kind} for ${what}; retrying in ${retryAfter}s`);
        return true;
      }
      // Give up here; the job fails transiently and the queue retries it later with backoff.
      warn(`GitHub ${kind} for ${what}; giving up after ${retryCount} retries`);
      return false;
    };
  return PluggedOctokit.defaults({
    baseUrl: opts.baseUrl,
    userAgent: 'weightprint-app',
    request: opts.fetch ? { fetch: opts.fetch } : {},
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => warn(String(m)),
      error: (m: string) => warn(String(m)),
    },
    throttle: {
      retryAfterBaseValue: opts.retryAfterBaseValue ?? 1000,
      onRateLimit: decide('rate limit'),
      onSecondaryRateLimit: decide('secondary rate limit'),
    },
    retry: {
      retries: 3,
      retryAfterBaseValue: opts.retryAfterBaseValue ?? 1000,
      // 429 and rate-limit 403s belong to the throttling plugin, which honours retry-after.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  }) as typeof PluggedOctokit;
}

export interface GitHubAuth {
  app: App<{ Octokit: typeof PluggedOctokit }>;
  /** Installation-authenticated client (token minted and cached by @octokit/auth-app). */
  installation(installationId: number): Promise<InstallationOctokit>;
  /** Installation id of a repository (for posting Hub results to HF_RESULTS_REPO). */
  installationForRepo(owner: string, repo: string): Promise<number>;
  /** The login the App writes as (`<slug>[bot]`): the only author whose sticky comment it adopts. */
  botLogin(): Promise<string>;
}

export function createGitHubAuth(opts: { appId: number; privateKey: string } & AppOctokitOptions): GitHubAuth {
  const OctokitClass = appOctokitClass(opts);
  const app = new App({ appId: opts.appId, privateKey: opts.privateKey, Octokit: OctokitClass });
  let login: Promise<string> | undefined;
  return {
    app,
    installation: (id) => app.getInstallationOctokit(id),
    async installationForRepo(owner, repo) {
      const res = await app.octokit.request('GET /repos/{owner}/{repo}/installation', { owner, repo });
      return res.data.id;
    },
    botLogin() {
      login ??= app.octokit.request('GET /app').then(
        (res) => {
          const slug = res.data?.slug;
          if (typeof slug !== 'string' || slug === '') throw new Error('GET /app returned no slug');
          return `${slug}[bot]`;
        },
        (err: unknown) => {
          login = undefined; // asked again by the next job
          throw err;
        },
      );
      return login;
    },
  };
}
