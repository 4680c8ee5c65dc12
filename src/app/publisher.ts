/** The real posting path: the Action's shared check-run and sticky-comment code in src/github/. */
import { startCheckRun } from '../github/checks.js';
import { publishReport } from '../github/publish.js';
import type { Publisher } from './processor.js';

export const githubPublisher: Publisher = {
  start: (t) =>
    startCheckRun({
      octokit: t.octokit,
      owner: t.owner,
      repo: t.repo,
      headSha: t.headSha,
      name: t.checkName,
      detailsUrl: t.detailsUrl,
    }),
  publish: publishReport,
};
