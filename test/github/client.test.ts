/** One retry and rate-limit policy for every GitHub client: the Action's and the App's installations'. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient, gitHubClientClass } from '../../src/github/client.js';
import { FakeGitHub } from '../helpers/github-server.js';
import { fastClientOptions } from '../action/fixtures.js';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await FakeGitHub.start();
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => gh.reset());

const quiet = { warn: () => {}, error: () => {} };
const clients: Record<string, () => GitHubClient> = {
  'createGitHubClient (the Action)': () =>
    createGitHubClient({ token: 't', baseUrl: gh.url, ...fastClientOptions(), log: quiet }),
  'gitHubClientClass (the App, one client per installation)': () => {
    const Client = gitHubClientClass({ baseUrl: gh.url, ...fastClientOptions(), log: quiet });
    return new Client({ auth: 't' });
  },
};

describe.each(Object.entries(clients))('%s', (_name, make) => {
  it('gives up on a secondary rate limit after the first try and 2 retries', async () => {
    gh.injectSecondaryRateLimit('POST', /\/check-runs$/, 10, 1);
    const create = make().request('POST /repos/{owner}/{repo}/check-runs', {
      owner: 'acme',
      repo: 'models',
      name: 'x',
      head_sha: 'a'.repeat(40),
    });
    await expect(create).rejects.toMatchObject({ status: 403 });
    expect(gh.requestsTo('POST', /\/check-runs$/).map((r) => r.status)).toEqual([403, 403, 403]);
  });

  it('retries a 5xx three times, then surfaces it', async () => {
    gh.injectServerError('GET', /\/pulls\/3\/files$/, 10, 502);
    const list = make().request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner: 'acme',
      repo: 'models',
      pull_number: 3,
    });
    await expect(list).rejects.toMatchObject({ status: 502 });
    expect(gh.requestsTo('GET', /\/pulls\/3\/files$/).map((r) => r.status)).toEqual([502, 502, 502, 502]);
  });

  it('does not retry a 404', async () => {
    const get = make().request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: 'acme',
      repo: 'models',
      check_run_id: 999,
    });
    await expect(get).rejects.toMatchObject({ status: 404 });
    expect(gh.requestsTo('GET', /\/check-runs\/999$/)).toHaveLength(1);
  });
});
