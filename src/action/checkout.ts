/**
 * Is the checkout the pull request? The Action reads weights from the workspace, and a workflow
 * can check out something else: under `pull_request_target` actions/checkout takes the base
 * branch unless told `ref: <head sha>`, and any workflow can pass another `ref`. A model the pull
 * request modifies would then be read as it was before (a copy passing as the honest weights it
 * replaces); added files are caught as missing, modified ones are not. So on pull request events
 * the workspace's HEAD must be the pull request's head commit or its merge commit.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { promisify } from 'node:util';
import { InputError } from '../errors.js';
import type { RunContext } from './context.js';

const execFileP = promisify(execFile);
const UNCHECKED = "whether it holds the pull request's head cannot be checked.";

export type GitExec = (args: string[], cwd: string) => Promise<string>;

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileP('git', args, { cwd, maxBuffer: 1024 * 1024 });
  return String(stdout);
}

/**
 * Throws when the workspace is a git checkout of another commit than the pull request's head or
 * merge commit; returns a note for the log when it cannot tell (no git repository there).
 */
export async function verifyPullRequestCheckout(ctx: RunContext, exec: GitExec = git): Promise<string | undefined> {
  const pr = ctx.payload.pull_request as { head?: { sha?: unknown }; merge_commit_sha?: unknown } | undefined;
  const head = typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined;
  if (!head) return undefined;
  let top: string;
  let checkedOut: string;
  try {
    top = (await exec(['rev-parse', '--show-toplevel'], ctx.workspace)).trim();
    checkedOut = (await exec(['rev-parse', 'HEAD'], ctx.workspace)).trim().toLowerCase();
  } catch {
    return `The workspace ${ctx.workspace} is not a git checkout: ${UNCHECKED}`;
  }
  // Only a checkout rooted at the workspace is the one the models are read from.
  if (realOr(top) !== realOr(ctx.workspace))
    return `The workspace ${ctx.workspace} is not the root of a git checkout: ${UNCHECKED}`;
  const accepted = new Set<string>([head.toLowerCase()]);
  // pull_request checks out the merge commit (GITHUB_SHA); under pull_request_target GITHUB_SHA is
  // the base branch's tip, which is exactly what must not be read.
  if (ctx.eventName === 'pull_request' && ctx.sha) accepted.add(ctx.sha.toLowerCase());
  if (typeof pr?.merge_commit_sha === 'string') accepted.add(pr.merge_commit_sha.toLowerCase());
  if (accepted.has(checkedOut)) return undefined;
  const fix =
    ctx.eventName === 'pull_request_target'
      ? // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression for the workflow, not a JS template
        'under pull_request_target give actions/checkout `ref: ${{ github.event.pull_request.head.sha }}`'
      : 'check out the pull request itself';
  throw new InputError(
    ctx.workspace,
    `is a checkout of ${checkedOut.slice(0, 12)}, not of the pull request's head ${head.slice(0, 12)} or its merge ` +
      `commit: the weights read would not be the pull request's (${fix})`,
  );
}

function realOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
