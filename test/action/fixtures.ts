/** CheckResult values as `runCheck` returns them: plain data, so tests of the GitHub side can build them directly. */
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
