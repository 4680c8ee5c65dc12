/**
 * Which models a pull request touches: its changed files (from the API, paginated), filtered to
 * the ones that change what a model is (weights, shard index, config, tokenizer), mapped to the
 * model directory that holds them.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isInputError } from '../errors.js';
import type { OctokitLike } from '../github/client.js';
import { nextLink } from '../github/comment.js';
import { isShardIndexName, isTriggerFile, unreadableWeightsFormat } from '../formats/model-files.js';
import { diskLinkReader, linksToChanges, resolveRepoPath, type Resolved } from '../formats/repo-links.js';

export interface ChangedFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

/** All files of a PR; GitHub lists at most 3,000, 100 per page. */
export async function listPullRequestFiles(
  octokit: OctokitLike,
  owner: string,
  repo: string,
  pullNumber: number,
  /** The run's timeout: cancels the page in flight. */
  signal?: AbortSignal,
): Promise<ChangedFile[]> {
  const out: ChangedFile[] = [];
  const request = signal ? { request: { signal } } : {};
  let res = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100,
    ...request,
  });
  for (let page = 1; ; page++) {
    for (const f of res.data)
      out.push({ filename: f.filename, status: f.status, previous_filename: f.previous_filename });
    const next = nextLink(res.headers.link);
    if (!next || page >= 100) return out;
    res = (await octokit.request({ method: 'GET', url: next, ...request })) as typeof res;
  }
}

interface ChangedModels {
  /** Model directories (repo-relative, `.` for the root), sorted. */
  dirs: string[];
  /** The changed trigger files per directory (for annotations). */
  files: Map<string, string[]>;
}

/**
 * A changed shard, index, config or tokenizer file → its directory. Removed files count too
 * (removing a shard changes the model); directories that no longer hold weights are dropped by
 * the caller, which can look at the checkout.
 */
export function changedModelDirs(files: readonly ChangedFile[]): ChangedModels {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    for (const name of [f.filename, f.previous_filename]) {
      if (!name || !isTriggerFile(name)) continue;
      const dir = posix.dirname(name);
      const list = byDir.get(dir) ?? [];
      if (!list.includes(name)) list.push(name);
      byDir.set(dir, list);
    }
  }
  return { dirs: [...byDir.keys()].sort(), files: byDir };
}

/**
 * The first weights file, shard index, config, tokenizer or card the pull request adds or changes
 * that the checkout at `workspace` lacks (checked out elsewhere, a sparse checkout, or a name the
 * API spells otherwise than the file system): its model would go unchecked. Undefined when every
 * one is there.
 */
export function missingWeights(files: readonly ChangedFile[], workspace: string): string | undefined {
  for (const f of files) {
    // weights, indexes, configs, tokenizers, cards: a checkout lacking any of them is not the PR's
    if (f.status === 'removed' || !isTriggerFile(f.filename)) continue;
    try {
      lstatSync(join(workspace, f.filename));
    } catch {
      return f.filename;
    }
  }
  return undefined;
}

/**
 * The first file the pull request adds or changes in a weights format no reader opens (ONNX,
 * Keras, Flax...), with that format: it could carry a copy the check never reads.
 */
export function unreadableWeights(files: readonly ChangedFile[]): { file: string; format: string } | undefined {
  for (const f of files) {
    if (f.status === 'removed') continue;
    const format = unreadableWeightsFormat(f.filename);
    if (format) return { file: f.filename, format };
  }
  return undefined;
}

/**
 * Paths of the checkout a model reads although the pull request's list does not name them, each
 * with why: a model reads more than its trigger names say. A symlink (weights, a shard, a model
 * directory) leads to a file the pull request changes, or the link on the way is re-pointed; a
 * shard index may name shards under any name (`part-1.weights`) or in a subdirectory. For the
 * first, the link's own path counts as changed; for the second, a change anywhere below a
 * directory holding a shard index counts as a change of that index.
 */
export async function implicitChanges(
  files: readonly ChangedFile[],
  workspace: string,
  links: readonly string[],
): Promise<{ path: string; because: string }[]> {
  // Links are followed as the App follows them (one implementation): at most MAX_LINK_HOPS, none
  // absolute, above the checkout or into .git. The file system would follow 40, and any absolute
  // target, and leave a loop unresolved: a model reading through such a link went unchecked.
  const read = diskLinkReader(workspace);
  const changed = files.flatMap((f) => [f.filename, f.previous_filename].filter((n): n is string => !!n));
  // Where each changed path, and each link, leads (a re-pointed link: its new target).
  const changedResolved: Resolved[] = [];
  for (const path of changed) {
    try {
      changedResolved.push({ path, real: await resolveRepoPath(path, read) });
    } catch (err) {
      if (!isInputError(err)) throw err; // a changed link that cannot be followed is checked by its own name
    }
  }
  const linksResolved: Resolved[] = [];
  const unfollowable: [string, string][] = [];
  for (const path of links) {
    try {
      linksResolved.push({ path, real: await resolveRepoPath(path, read) });
    } catch (err) {
      if (!isInputError(err)) throw err;
      // Where it leads cannot be told: its model is checked, and its read fails on this link.
      if (!changed.includes(path))
        unfollowable.push([path, `it is a symlink this check does not follow (${err.problem})`]);
    }
  }
  const out = new Map(linksToChanges(changedResolved, linksResolved).map((x) => [x.path, x.because]));
  for (const [path, because] of unfollowable) if (!out.has(path)) out.set(path, because);
  // A changed path that is a directory in the checkout is a submodule moved to another commit:
  // every file below it changed as far as this repository's release is concerned.
  for (const c of changed) {
    let st: ReturnType<typeof lstatSync> | undefined;
    try {
      st = lstatSync(join(workspace, c));
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    for (const f of filesBelow(join(workspace, c), c))
      if (isTriggerFile(f) && !out.has(f)) out.set(f, `it is in ${c}, which the pull request changes (a submodule)`);
  }
  for (const p of [...changed, ...out.keys()]) {
    for (let dir = posix.dirname(p); ; dir = posix.dirname(dir)) {
      const index = shardIndexIn(join(workspace, dir));
      if (index) {
        const path = dir === '.' ? index : `${dir}/${index}`;
        if (path !== p && !out.has(path))
          out.set(path, `${p} is under the directory of this shard index, which may name it`);
      }
      if (dir === '.' || dir === '/' || dir === '') break;
    }
  }
  return [...out].map(([path, because]) => ({ path, because }));
}

function shardIndexIn(dir: string): string | undefined {
  try {
    return readdirSync(dir)
      .filter((n) => isShardIndexName(n))
      .sort()[0];
  } catch {
    return undefined;
  }
}

/** Files below `abs` (posix paths starting with `rel`), skipping .git; bounded like a checkout walk. */
function filesBelow(abs: string, rel: string, depth = 0): string[] {
  if (depth > 64) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    if (e.name === '.git') return [];
    const r = `${rel}/${e.name}`;
    return e.isDirectory() ? filesBelow(join(abs, e.name), r, depth + 1) : [r];
  });
}

/**
 * A path the pull request changes that is an empty directory in the checkout: a submodule moved
 * to another commit and not checked out. What it holds cannot be read, so it cannot be vouched for.
 */
export function uncheckedSubmodule(files: readonly ChangedFile[], workspace: string): string | undefined {
  for (const f of files) {
    if (f.status === 'removed') continue;
    try {
      if (lstatSync(join(workspace, f.filename)).isDirectory() && readdirSync(join(workspace, f.filename)).length === 0)
        return f.filename;
    } catch {
      // absent: not a submodule of this checkout
    }
  }
  return undefined;
}
