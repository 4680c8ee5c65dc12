/** Job payloads the webhook endpoints enqueue and the processor runs. Stored as JSON: extend, never rename. */
import type { CheckResult } from '../check/types.js';
import type { Conclusion } from '../github/checks.js';
import type { ModelError } from './model-errors.js';

/** Check the models a GitHub repository references at one commit, then post the report there. */
export interface GitHubCheckJob {
  kind: 'github-check';
  installationId: number;
  owner: string;
  repo: string;
  /** Commit to check; absent for a release, whose tag is resolved when the job runs. */
  headSha?: string;
  /** Tag or branch to resolve when headSha is absent. */
  ref?: string;
  prNumber?: number;
  /** The PR's base commit from the webhook (GitHub-signed): where the manifest and policy are read. */
  baseSha?: string;
  /** The PR's base branch from the webhook: a branch other than the default one does not govern the policy. */
  baseRef?: string;
  /** What caused it, e.g. `pull_request.synchronize` (shown on the dashboard). */
  trigger: string;
}

/** Keep the watched-repos table in step with where the App is installed. */
export interface InstallationJob {
  kind: 'installation';
  installationId: number;
  action: 'created' | 'deleted' | 'added' | 'removed';
  account?: string;
  /** Full names (`owner/repo`). */
  repos: string[];
}

/** A model revision pushed to the Hugging Face Hub. */
export interface HubCheckJob {
  kind: 'hf-check';
  /** `hf:<name>@<headSha>` */
  model: string;
  name: string;
  headSha: string;
}

export type JobPayload = GitHubCheckJob | InstallationJob | HubCheckJob;

/** What one analysis produces; the processor stores it and hands it to publish. */
export interface AnalysisOutput {
  results: CheckResult[];
  markdown: string;
  conclusion: Conclusion;
  /** Models that could not be analysed (each fails the check); the others are in `results`. */
  errors?: ModelError[];
  /** Per-model markdown for the dashboard's report pages; falls back to `markdown`. */
  modelMarkdown?: Record<string, string>;
}
