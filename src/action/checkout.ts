/**
 * Is the checkout the pull request? The Action reads weights from the workspace, and a workflow
 * can check out something else: under `pull_request_target` actions/checkout takes the base
 * branch unless told `ref: <head sha>`, and any workflow can pass another `ref`. A model the pull
 * request modifies would then be read as it was before (a copy passing as the honest weights it
 * replaces); added files are caught as missing, modified ones are not. So on pull request events
 * the workspace's HEAD must be the pull request's head commit or its merge commit, and a workspace
 * that is no git checkout fails too: actions/checkout on a runner without git downloads the files
 * through the API instead, and under `pull_request_target` those are the base branch's.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../errors.js';
import type { RunContext } from './context.js';

const execFileP = promisify(execFile);
const MUST =
  "so whether it holds the pull request's weights cannot be checked: on pull request events it must be a git " +
  "checkout of the pull request's head or merge commit (actions/checkout with git on the runner's PATH)";

export type GitExec = (args: string[], cwd: string) => Promise<string>;

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileP('git', args, { cwd, maxBuffer: 1024 * 1024 });
  return String(stdout);
}

/**
 * On pull request events, throws unless the workspace is the root of a git checkout whose HEAD is
 * the pull request's head or merge commit; a workspace with no repository (or no git to ask), or
 * inside another one, fails closed too. Git is told the workspace is safe: a runner whose checkout
 * belongs to another user (a container job) has git refuse it as of 'dubious ownership', which
 * used to skip the check altogether. Other events return at once.
 */
export async function verifyPullRequestCheckout(ctx: RunContext, exec: GitExec = git): Promise<void> {
  const pr = ctx.payload.pull_request as { head?: { sha?: unknown }; merge_commit_sha?: unknown } | undefined;
  const head = typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined;
  if (!head) return;
  let top: string;
  let checkedOut: string;
  // safe.directory is honoured from the command line (never from the repository's own config)
  const safe = [...new Set([ctx.workspace, realOr(ctx.workspace)])].flatMap((d) => ['-c', `safe.directory=${d}`]);
  try {
    top = (await exec([...safe, 'rev-parse', '--show-toplevel'], ctx.workspace)).trim();
    checkedOut = (await exec([...safe, 'rev-parse', '--verify', 'HEAD'], ctx.workspace)).trim().toLowerCase();
  } catch (err) {
    const why = gitFailure(err);
    if (!existsSync(join(ctx.workspace, '.git')) && /not a git repository|ENOENT/i.test(why))
      throw new InputError(ctx.workspace, `is not a git checkout (${why}), ${MUST}`);
    throw new InputError(
      ctx.workspace,
      `is a git checkout whose HEAD git cannot read (${why}): whether it holds the pull request's head cannot ` +
        "be checked, so the run fails rather than read weights that may not be the pull request's",
    );
  }
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(checkedOut))
    throw new InputError(ctx.workspace, `git gave ${JSON.stringify(checkedOut.slice(0, 80))} as HEAD, not a commit id`);
  // Only a checkout rooted at the workspace is the one the models are read from.
  if (realOr(top) !== realOr(ctx.workspace))
    throw new InputError(ctx.workspace, `is not the root of a git checkout (that is ${top.slice(0, 200)}), ${MUST}`);
  const accepted = new Set<string>([head.toLowerCase()]);
  // pull_request checks out the merge commit (GITHUB_SHA); under pull_request_target GITHUB_SHA is
  // the base branch's tip, which is exactly what must not be read.
  if (ctx.eventName === 'pull_request' && ctx.sha) accepted.add(ctx.sha.toLowerCase());
  if (typeof pr?.merge_commit_sha === 'string') accepted.add(pr.merge_commit_sha.toLowerCase());
  if (accepted.has(checkedOut)) return;
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

/** The first line git wrote to stderr, else the error's message, for a one-line error. */
function gitFailure(err: unknown): string {
  const e = err as { stderr?: unknown; message?: unknown; code?: unknown };
  const text = [e.stderr, e.message, e.code].map((x) => (typeof x === 'string' ? x : '')).find((x) => x.trim()) ?? '';
  const line = text.split('\n').find((l) => l.trim()) ?? 'git failed';
  return line
    .trim()
    .replace(/^fatal:\s*/, '')
    .slice(0, 200);
}

function realOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
