/**
 * Authentication as the App and as its installations. Every client the App makes comes from
 * github/client.ts's class: one throttling and retry policy with the Action, the configured REST
 * root (GHES, tests).
 */
import { App } from '@octokit/app';
import { type GitHubClient, type GitHubClientOptions, gitHubClientClass, type WeightprintOctokit } from './client.js';

export interface GitHubAuth {
  app: App<{ Octokit: typeof WeightprintOctokit }>;
  /** Installation-authenticated client (token minted and cached by @octokit/auth-app). */
  installation(installationId: number): Promise<GitHubClient>;
  /** Installation id of a repository (for posting Hub results to HF_RESULTS_REPO). */
  installationForRepo(owner: string, repo: string): Promise<number>;
  /** The login the App writes as (`<slug>[bot]`): the only author whose sticky comment it adopts. */
  botLogin(): Promise<string>;
}

export function createGitHubAuth(
  opts: { appId: number; privateKey: string } & Omit<GitHubClientOptions, 'token'>,
): GitHubAuth {
  const { appId, privateKey, ...client } = opts;
  const OctokitClass = gitHubClientClass({ userAgent: 'weightprint-app', ...client });
  const app = new App({ appId, privateKey, Octokit: OctokitClass });
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
