/**
 * Which policy file the Action applies. On a pull request the checkout holds the pull request's
 * own files, policy included, and the party being gated wrote them: so a policy path in the
 * repository (the `policy` input, or the default `.github/weightprint.yml`) is read at the
 * pull request's *base* commit, through the API (or `git show` when there is no token), never
 * from the checkout. URLs and absolute paths are the workflow's own choice and used as given.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.js';
import { httpStatus, type OctokitLike } from '../github/client.js';
import { safeDirectoryArgs } from './checkout.js';
import { PR_EVENTS, type RunContext } from './context.js';
import { type GitExec, gitStdout } from './exec.js';
import { DEFAULT_POLICY_FILES } from '../policy/load.js';

/** A policy is a few KB of YAML; anything near the contents API's 1 MB is not one. */
const MAX_POLICY_BYTES = 1024 * 1024;

interface PolicySource {
  /** Local path runCheck loads, or a URL; undefined = the default policy. */
  path?: string;
  /** For the log: where it came from. */
  from: string;
}

/** A path that means "a file of this repository": relative, or absolute inside the workspace. */
function repoRelative(raw: string, workspace: string): string | undefined {
  if (/^https?:\/\//i.test(raw)) return undefined;
  if (!isAbsolute(raw)) return raw.replace(/^\.\/+/, '');
  const ws = workspace.endsWith('/') ? workspace : `${workspace}/`;
  return raw.startsWith(ws) ? raw.slice(ws.length) : undefined;
}

export async function resolvePolicy(
  ctx: RunContext,
  raw: string | undefined,
  octokit: OctokitLike | undefined,
  exec: GitExec = gitShow,
  /** The run's timeout: stops the API request or git command reading the policy. */
  signal?: AbortSignal,
): Promise<PolicySource> {
  const base = PR_EVENTS.has(ctx.eventName)
    ? (ctx.payload.pull_request as { base?: { sha?: unknown; ref?: unknown; repo?: unknown } } | undefined)?.base
    : ctx.eventName === 'merge_group'
      ? mergeGroupBase(ctx.payload)
      : undefined;
  const baseSha = base?.sha;
  const rel = raw ? repoRelative(raw, ctx.workspace) : undefined;
  if (raw && rel === undefined) return { path: raw, from: raw };
  if (typeof baseSha !== 'string' || !/^[0-9a-f]{40,64}$/i.test(baseSha)) {
    if (PR_EVENTS.has(ctx.eventName) || ctx.eventName === 'merge_group')
      throw new InputError(
        'GITHUB_EVENT_PATH',
        `${ctx.eventName} payload has no ` +
          (ctx.eventName === 'merge_group' ? 'merge_group.base_sha' : 'pull_request.base.sha'),
      );
    // Not a pull request: the checkout is the commit that was pushed, and is the policy's home.
    if (rel !== undefined) {
      const path = join(ctx.workspace, rel);
      if (!existsSync(path)) throw new InputError('input `policy`', `${raw} does not exist in the workspace`);
      return { path, from: rel };
    }
    const found = DEFAULT_POLICY_FILES.map((f) => join(ctx.workspace, f)).find((p) => existsSync(p));
    return found ? { path: found, from: found } : { from: 'the default policy' };
  }
  // A pull request into a branch other than the default one: whoever could push that branch could
  // have relaxed its policy, and a check run passed there stands for the same head commit's pull
  // request into the default branch. The default branch's policy governs it.
  const defaultBranch = defaultBranchOf(ctx.payload, base?.repo);
  const governing =
    typeof base?.ref === 'string' && defaultBranch !== undefined && base.ref !== defaultBranch
      ? { ref: defaultBranch, where: `the default branch ${defaultBranch}`, key: `branch-${safeName(defaultBranch)}` }
      : { ref: baseSha, where: `the base commit ${baseSha.slice(0, 7)}`, key: `base-${baseSha.slice(0, 12)}` };
  const candidates = rel !== undefined ? [rel] : DEFAULT_POLICY_FILES;
  for (const file of candidates) {
    const text = await readAtCommit(ctx, governing.ref, file, octokit, exec, signal);
    if (text === undefined) continue;
    const dir = join(ctx.runnerTemp ?? tmpdir(), 'weightprint', governing.key);
    const path = join(dir, ...file.split('/'));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    return { path, from: `${file} at ${governing.where}` };
  }
  if (rel !== undefined) throw new InputError('input `policy`', `${rel} does not exist at ${governing.where}`);
  return { from: `the default policy (no ${DEFAULT_POLICY_FILES[0]} at ${governing.where})` };
}

/**
 * A merge queue's group commit holds the queued pull requests' files, policy included: like a
 * pull request, it is held to the policy of the commit it is merged onto.
 */
function mergeGroupBase(
  payload: Record<string, unknown>,
): { sha?: unknown; ref?: unknown; repo?: unknown } | undefined {
  const group = payload.merge_group as { base_sha?: unknown; base_ref?: unknown } | undefined;
  if (!group) return undefined;
  const ref = typeof group.base_ref === 'string' ? group.base_ref.replace(/^refs\/heads\//, '') : undefined;
  return { sha: group.base_sha, ref };
}

/** The repository's default branch as the event names it (the base repository's). */
function defaultBranchOf(payload: Record<string, unknown>, baseRepo: unknown): string | undefined {
  for (const repo of [baseRepo, payload.repository]) {
    const name = (repo as { default_branch?: unknown } | undefined)?.default_branch;
    if (typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}

function safeName(ref: string): string {
  return ref.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
}

/** A file's text at a commit; undefined when the commit has no such file. */
async function readAtCommit(
  ctx: RunContext,
  sha: string,
  file: string,
  octokit: OctokitLike | undefined,
  exec: GitExec,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  if (octokit) {
    try {
      const res = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: ctx.owner,
        repo: ctx.repo,
        path: file,
        ref: sha,
        ...(signal ? { request: { signal } } : {}),
      });
      const data = res.data as { type?: string; encoding?: string; content?: string; size?: number };
      if (Array.isArray(res.data) || data.type !== 'file')
        throw new InputError(`${file} at ${sha.slice(0, 7)}`, 'is not a file');
      if (data.encoding !== 'base64' || typeof data.content !== 'string' || (data.size ?? 0) > MAX_POLICY_BYTES)
        throw new InputError(
          `${file} at ${sha.slice(0, 7)}`,
          `is larger than a policy can be (${MAX_POLICY_BYTES} bytes)`,
        );
      return Buffer.from(data.content, 'base64').toString('utf8');
    } catch (err) {
      if (httpStatus(err) === 404) return undefined;
      throw err;
    }
  }
  // No token: the base commit may be in the checkout's history (fetch-depth: 0, or 2 for a merge commit).
  // Its presence is asked first: for a commit the clone lacks, `git show <sha>:<file>` still answers
  // "does not exist in '<sha>'", which would read as "the base has no policy".
  try {
    // Told the workspace is safe as verifyCheckout does: a container job's checkout is another
    // user's, and git's 'dubious ownership' refusal would read as "the commit is not in the checkout".
    const safe = safeDirectoryArgs(ctx.workspace);
    await exec([...safe, 'cat-file', '-e', `${sha}^{commit}`], ctx.workspace, signal);
    return await exec([...safe, 'show', `${sha}:${file}`], ctx.workspace, signal);
  } catch (err) {
    signal?.throwIfAborted();
    const msg = String((err as { stderr?: string }).stderr ?? (err as Error).message);
    if (/does not exist in|exists on disk, but not in/.test(msg)) return undefined;
    throw new InputError(
      `${file} at ${sha.slice(0, 7)}`,
      "cannot read the policy at the pull request's base commit: no token, and the commit is not in the checkout " +
        '(give a token, or check out with fetch-depth: 0)',
    );
  }
}

const gitShow = gitStdout(MAX_POLICY_BYTES);
