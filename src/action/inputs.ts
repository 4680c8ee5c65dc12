/** The Action's inputs (see action.yml), validated into one object; bad values are InputErrors. */
import * as core from '@actions/core';
import { isAbsolute, join } from 'node:path';
import { CHECK_MODES, type CheckMode } from '../check/run.js';
import { InputError } from '../errors.js';
import { type ChallengeSetting, parseChallengeSetting } from '../policy/types.js';

type CommentMode = 'sticky' | 'off';
/** When the job fails: policy "fail" results (default), also "warn" results, or never. */
export type FailOn = 'policy' | 'warn' | 'never';

export interface ActionInputs {
  /** Explicit model entries (paths, globs, `hf:` ids); empty = derive from the event. */
  models: string[];
  /** Registry dirs/URLs; empty = the built-in registry. */
  registries: string[];
  /** The `policy` input as given (a repository path, an absolute path or a URL); see policy.ts. */
  policy?: string;
  token: string;
  comment: CommentMode;
  checkName: string;
  failOn: FailOn;
  /** A report.json from another run to publish instead of analysing (fork-PR pattern). */
  report?: string;
  /**
   * Post a check run for a saved `report` too. Off by default: a report made on a fork's runner
   * is whatever the fork's workflow wrote, so it is shown (comment, summary) but gates nothing.
   */
  reportTrust: boolean;
  /** The check's conclusion when the run cannot analyse what it was asked to (default `failure`). */
  onError: 'failure' | 'action_required';
  /** How weights are read: `auto` (default: full under 2 GiB, a sketch above), `sketch` or `full`. */
  mode: CheckMode;
  /**
   * Registry entries challenged per model at a private seed (`auto`, `off` or a count); undefined
   * leaves it to the policy's `challenge` (default `auto`).
   */
  challenge?: ChallengeSetting;
  /**
   * Seconds the run may take to find, read and analyse its models (input `timeout`); past it the
   * check concludes `onError` saying so. Undefined: only the job's `timeout-minutes` bounds it.
   */
  timeoutSeconds?: number;
}

const DEFAULT_CHECK_NAME = 'Weightprint provenance';

/** Entries one per line or comma-separated; blank lines and `#` comments ignored. */
export function splitList(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[], fallback: T): T {
  const v = raw.trim().toLowerCase();
  if (v === '') return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new InputError(`input \`${name}\``, `"${raw}" is not one of ${allowed.join(', ')}`);
}

export function readInputs(workspace: string, env: NodeJS.ProcessEnv = process.env): ActionInputs {
  // Resolved in policy.ts: on a pull request a repository path is read at the base commit.
  const policy = core.getInput('policy').trim() || undefined;

  const checkName = core.getInput('check-name').trim() || DEFAULT_CHECK_NAME;
  const token = core.getInput('token').trim() || env.GITHUB_TOKEN || '';
  if (token) core.setSecret(token);

  return {
    models: splitList(core.getInput('models')),
    // Relative registry directories mean the repository's, wherever the process runs.
    registries: splitList(core.getInput('registry')).map((r) =>
      /^[a-z][a-z0-9+.-]+:\/\//i.test(r) || isAbsolute(r) ? r : join(workspace, r),
    ),
    policy,
    token,
    comment: oneOf('comment', core.getInput('comment'), ['sticky', 'off'] as const, 'sticky'),
    checkName,
    failOn: oneOf('fail-on', core.getInput('fail-on'), ['policy', 'warn', 'never'] as const, 'policy'),
    report: core.getInput('report').trim() || undefined,
    onError: oneOf('on-error', core.getInput('on-error'), ['failure', 'action_required'] as const, 'failure'),
    mode: oneOf('mode', core.getInput('mode'), CHECK_MODES, 'auto'),
    challenge: challengeInput(core.getInput('challenge')),
    reportTrust: oneOf('report-trust', core.getInput('report-trust'), ['true', 'false'] as const, 'false') === 'true',
    ...timeoutInput(core.getInput('timeout')),
  };
}

/** `timeout`: seconds, a positive number; empty for none. */
function timeoutInput(raw: string): { timeoutSeconds?: number } {
  const v = raw.trim();
  if (v === '') return {};
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0))
    throw new InputError('input `timeout`', `"${raw}" is not a positive number of seconds`);
  return { timeoutSeconds: n };
}

/** `challenge`: empty leaves it to the policy. */
function challengeInput(raw: string): ChallengeSetting | undefined {
  if (raw.trim() === '') return undefined;
  const v = parseChallengeSetting(raw.trim().toLowerCase());
  if (v === undefined) throw new InputError('input `challenge`', `"${raw}" is not auto, off or a number of entries`);
  return v;
}
