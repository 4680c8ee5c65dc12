/** CheckResult values as `runCheck` returns them: plain data, so tests of the GitHub side can build them directly. */
import { execFileSync } from 'node:child_process';
import type { CheckResult, PolicyResult } from '../../src/check/types.js';
import type { Verdict } from '../../src/compare/types.js';
import { createGitHubClient, type GitHubClientOptions } from '../../src/github/client.js';
import type { FakeGitHub } from '../helpers/github-server.js';

let n = 0;

export function result(model: string, verdict: Verdict = 'derived', policy: PolicyResult = 'fail'): CheckResult {
  return {
    model,
    verdict,
    policy: {
      result: policy,
      reasons: policy === 'pass' ? [] : [`${verdict} from hf:base/model without a declared base_model`],
    },
    fingerprint: { mode: 'full', why: 'mode auto: under 2 GiB of weights', bytesRead: 4096, totalBytes: 4096 },
    challenge: { setting: 'auto', limit: 4, entries: [] },
    matches:
      verdict === 'independent' || verdict === 'inconclusive'
        ? []
        : [
            {
              entry: 'hf:base/model@main',
              verdict,
              confidence: 0.97,
              reason: 'attention and MLP weights correlate far beyond the null',
              a: { id: model, mode: 'full' },
              b: { id: 'hf:base/model@main', mode: 'fingerprint' },
              components: [
                {
                  name: 'attention',
                  a: model,
                  b: 'hf:base/model@main',
                  verdict,
                  tensors_compared: 24,
                  score: 41.2,
                  null: { mean: 0, std: 1 },
                  p_value: 1e-30,
                  median_r: 0.93,
                  evidence: [],
                },
              ],
              not_compared: [],
            },
          ],
  };
}

/**
 * Stands in for the plugin's Bottleneck groups (it only calls `group.key(id).schedule(opts, fn,
 * ...args)`): runs jobs at once. In production writes are spaced 1 s and notifying writes 3 s
 * apart, which would make these tests wait minutes; the e2e test keeps the real spacing.
 */
const immediate = {
  key: () => ({ schedule: (_opts: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => fn(...args) }),
};
type Groups = NonNullable<GitHubClientOptions['throttle']>;

/** Client options for tests: no write spacing, retry-after seconds scaled down to milliseconds. */
export function fastClientOptions(): Partial<GitHubClientOptions> {
  return {
    retryAfterBaseValue: 5,
    throttleId: `test-${++n}-${process.pid}`,
    throttle: {
      write: immediate as unknown as Groups['write'],
      notifications: immediate as unknown as Groups['notifications'],
    },
  };
}

/** A client wired to the loopback server. */
export function clientFor(gh: FakeGitHub, log: string[] = []) {
  return createGitHubClient({
    token: 'test-token',
    baseUrl: gh.url,
    ...fastClientOptions(),
    log: { warn: (m) => log.push(m), error: () => {} },
  });
}

/**
 * The commit `gitCheckout` makes: an empty tree, fixed author, committer, dates and message, so
 * its id is the same in every workspace and can stand in the events as the pull request's head.
 */
export const CHECKOUT_SHA = '66fd3b0d9ca7cf8f4c11719c7e4e30d2b052466c';

/**
 * Makes `dir` what actions/checkout leaves on a pull request event: a git repository whose HEAD is
 * a commit (CHECKOUT_SHA), which the Action requires to be the pull request's head or merge commit.
 * The files in `dir` stay untracked: the Action reads HEAD, not the index. Returns HEAD.
 */
export function gitCheckout(dir: string): string {
  const stamp = '2026-01-01T00:00:00Z';
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'fixture',
    GIT_AUTHOR_EMAIL: 'fixture@example.com',
    GIT_AUTHOR_DATE: stamp,
    GIT_COMMITTER_NAME: 'fixture',
    GIT_COMMITTER_EMAIL: 'fixture@example.com',
    GIT_COMMITTER_DATE: stamp,
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'pipe' }).toString().trim();
  git('-c', 'init.defaultBranch=main', 'init', '-q', '--object-format=sha1');
  git('commit', '-q', '--allow-empty', '--no-verify', '-m', 'fixture checkout');
  const head = git('rev-parse', 'HEAD');
  if (head !== CHECKOUT_SHA) throw new Error(`gitCheckout made ${head}, not CHECKOUT_SHA ${CHECKOUT_SHA}`);
  return head;
}
