/**
 * Is the checkout the commit being gated? The Action reads weights from the workspace, and a
 * workflow can check out something else: under `pull_request_target` actions/checkout takes the
 * base branch unless told `ref: <head sha>`, and any workflow (a merge queue's too) can pass another
 * `ref`. A model the pull request modifies would then be read as it was before (a copy passing as
 * the honest weights it replaces); added files are caught as missing, modified ones are not. So on
 * pull request events the workspace's HEAD must be the pull request's head commit or its merge
 * commit, on merge_group events the group's head commit, and a workspace that is no git checkout
 * fails too: actions/checkout on a runner without git downloads the files through the API instead,
 * and under `pull_request_target` those are the base branch's.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { RunContext } from './context.js';
import { type GitExec, gitStdout } from './exec.js';

const git = gitStdout(1024 * 1024);

/** What the workspace's HEAD must be, and how messages name it; undefined when nothing is gated. */
interface Expected {
  accepted: Set<string>;
  /** "the pull request" / "the merge group", for messages. */
  who: string;
  /** The accepted commits as a message names them, with their ids shortened by `short`. */
  what: (short: (sha: string) => string) => string;
  /** The same without ids, and the events: "the pull request's head or merge commit", "pull request". */
  kind: string;
  events: string;
  fix: string;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

function expectedHead(ctx: RunContext): Expected | undefined {
  if (ctx.eventName === 'merge_group') {
    // GitHub runs the queue's workflow on the group's head commit (GITHUB_SHA): that is what merges.
    const group = ctx.payload.merge_group as { head_sha?: unknown } | undefined;
    const head = typeof group?.head_sha === 'string' && SHA.test(group.head_sha) ? group.head_sha : undefined;
    if (!head) throw new InputError('GITHUB_EVENT_PATH', 'merge_group payload has no merge_group.head_sha');
    return {
      accepted: new Set([head.toLowerCase()]),
      who: 'the merge group',
      what: (short) => `the merge group's head ${short(head)}`,
      kind: "the merge group's head commit",
      events: 'merge_group',
      fix: 'check out the merge group itself (actions/checkout without a `ref`)',
    };
  }
  const pr = ctx.payload.pull_request as { head?: { sha?: unknown }; merge_commit_sha?: unknown } | undefined;
  const head = typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined;
  if (!head) return undefined;
  const accepted = new Set<string>([head.toLowerCase()]);
  // pull_request checks out the merge commit (GITHUB_SHA); under pull_request_target GITHUB_SHA is
  // the base branch's tip, which is exactly what must not be read.
  if (ctx.eventName === 'pull_request' && ctx.sha) accepted.add(ctx.sha.toLowerCase());
  if (typeof pr?.merge_commit_sha === 'string') accepted.add(pr.merge_commit_sha.toLowerCase());
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression for the workflow, not a JS template
  const targetFix = 'under pull_request_target give actions/checkout `ref: ${{ github.event.pull_request.head.sha }}`';
  return {
    accepted,
    who: 'the pull request',
    what: (short) => `the pull request's head ${short(head)} or its merge commit`,
    kind: "the pull request's head or merge commit",
    events: 'pull request',
    fix: ctx.eventName === 'pull_request_target' ? targetFix : 'check out the pull request itself',
  };
}

/**
 * On pull request and merge_group events, throws unless the workspace is the root of a git
 * checkout whose HEAD is the commit being gated (see expectedHead); a workspace with no repository
 * (or no git to ask), or inside another one, fails closed too. Git is told the workspace is safe: a
 * runner whose checkout belongs to another user (a container job) has git refuse it as of 'dubious
 * ownership', which used to skip the check altogether. Other events return at once.
 */
/**
 * `-c safe.directory=…` for the workspace (as given and resolved): git refuses a checkout another
 * user owns (a container job), and is told it is safe only from the command line, never from the
 * repository's own config.
 */
export function safeDirectoryArgs(workspace: string): string[] {
  return [...new Set([workspace, realOr(workspace)])].flatMap((d) => ['-c', `safe.directory=${d}`]);
}

export async function verifyCheckout(
  ctx: RunContext,
  opts: { exec?: GitExec; signal?: AbortSignal } = {},
): Promise<void> {
  const { exec = git, signal } = opts;
  const expected = expectedHead(ctx);
  if (!expected) return;
  const must =
    `so whether it holds ${expected.who}'s weights cannot be checked: on ${expected.events} events it must be a ` +
    `git checkout of ${expected.kind} (actions/checkout with git on the runner's PATH)`;
  let top: string;
  let checkedOut: string;
  const safe = safeDirectoryArgs(ctx.workspace);
  try {
    top = (await exec([...safe, 'rev-parse', '--show-toplevel'], ctx.workspace, signal)).trim();
    checkedOut = (await exec([...safe, 'rev-parse', '--verify', 'HEAD'], ctx.workspace, signal)).trim().toLowerCase();
  } catch (err) {
    signal?.throwIfAborted(); // killed by the timeout: not a verdict on the checkout
    const why = gitFailure(err);
    if (!existsSync(join(ctx.workspace, '.git')) && /not a git repository|ENOENT/i.test(why))
      throw new InputError(ctx.workspace, `is not a git checkout (${why}), ${must}`);
    throw new InputError(
      ctx.workspace,
      `is a git checkout whose HEAD git cannot read (${why}): whether it holds ${expected.who}'s head cannot ` +
        `be checked, so the run fails rather than read weights that may not be ${expected.who}'s`,
    );
  }
  if (!SHA.test(checkedOut))
    throw new InputError(ctx.workspace, `git gave ${JSON.stringify(checkedOut.slice(0, 80))} as HEAD, not a commit id`);
  // Only a checkout rooted at the workspace is the one the models are read from.
  if (realOr(top) !== realOr(ctx.workspace))
    throw new InputError(ctx.workspace, `is not the root of a git checkout (that is ${top.slice(0, 200)}), ${must}`);
  if (expected.accepted.has(checkedOut)) return;
  throw new InputError(
    ctx.workspace,
    `is a checkout of ${checkedOut.slice(0, 12)}, not of ${expected.what((s) => s.slice(0, 12))}: the weights ` +
      `read would not be ${expected.who}'s (${expected.fix})`,
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
