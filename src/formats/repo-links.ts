/**
 * Symlinks of a repository, the same for the Action (a checkout on disk) and the App (a commit
 * read through the GitHub API): where a repo-relative path leads once its links are followed, and
 * which links lead to what a pull request changes. A pull request that re-points a link, or changes
 * the file an unchanged link names, changes the model that reads through the link.
 */
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** Links followed for one path at most: a real repository needs one or two, a longer chain is refused. */
export const MAX_LINK_HOPS = 8;

/** The target of the link at a repo-relative path, or undefined when the path is no link (or absent). */
export type LinkReader = (path: string) => Promise<string | undefined>;

/**
 * The repo-relative path (`.` for the root) `path` leads to with every link on the way followed,
 * each target taken relative to its link's directory. A target that is absolute or climbs above
 * the repository root, a path into `.git`, or a chain of more than `maxHops` links, is an InputError
 * naming `path`.
 */
export async function resolveRepoPath(path: string, readLink: LinkReader, maxHops = MAX_LINK_HOPS): Promise<string> {
  const parts = (p: string) => p.split('/').filter((c) => c !== '' && c !== '.');
  let pending = parts(path);
  const done: string[] = [];
  let hops = 0;
  while (pending.length) {
    const c = pending.shift()!;
    if (c === '..') {
      if (!done.length) throw new InputError(path, 'is a symlink, or lies below one, leading outside the repository');
      done.pop();
      continue;
    }
    // .git is git's own data (objects, LFS store, refs), never a file of a commit: git refuses to
    // track such a path, so only a link can lead there. Any letter case: one directory on
    // case-insensitive runners.
    if (c.toLowerCase() === '.git')
      throw new InputError(path, "leads into .git (git's own data, not a file of the repository)");
    const here = [...done, c].join('/');
    const target = await readLink(here);
    if (target === undefined) {
      done.push(c);
      continue;
    }
    if (++hops > maxHops)
      throw new InputError(path, `leads through more than ${maxHops} symlinks (a loop or a chain this check refuses)`);
    if (target.startsWith('/') || /^[a-z]:[\\/]/i.test(target) || target.includes('\\') || target.includes('\0'))
      throw new InputError(path, `${here} is a symlink to ${JSON.stringify(target)}, outside the repository`);
    pending = [...parts(target), ...pending]; // relative to the link's directory, which `done` still is
  }
  return done.join('/') || '.';
}

/**
 * The links of a checkout on disk at `root` (the Action's workspace): the target of the symlink at
 * a repo-relative path, undefined for anything else or nothing. resolveRepoPath asks for paths
 * whose directories it has already resolved, so the file system follows no link on the way.
 */
export function diskLinkReader(root: string): LinkReader {
  return async (path) => {
    const abs = join(root, ...path.split('/'));
    try {
      if (!(await lstat(abs)).isSymbolicLink()) return undefined;
      return await readlink(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  };
}

/** A path and where it leads (repo-relative, links followed). */
export interface Resolved {
  path: string;
  real: string;
}

/**
 * Paths a model reads that the pull request's list does not name, each with why: a link whose
 * target is a changed path or lies below one (the link itself counts as changed), and a file
 * below a directory link whose target holds a changed path (that path as seen through the link).
 * `changed` are the pull request's paths with where they lead; `links` the repository's links.
 */
export function linksToChanges(
  changed: readonly Resolved[],
  links: readonly Resolved[],
): { path: string; because: string }[] {
  const out = new Map<string, string>();
  for (const link of links) {
    const r = link.real;
    if (r === '..' || r.startsWith('../')) continue; // outside: refused where it is read
    for (const t of changed) {
      if (t.path === link.path) continue;
      if (t.real === r || r.startsWith(`${t.real}/`))
        out.set(link.path, `it leads to ${r}, which the pull request changes (${t.path})`);
      else if (t.real.startsWith(`${r}/`)) {
        const inside = `${link.path}/${t.real.slice(r.length + 1)}`;
        out.set(inside, `${link.path} leads to ${r}, where the pull request changes ${t.path}`);
      }
    }
  }
  return [...out].map(([path, because]) => ({ path, because }));
}
