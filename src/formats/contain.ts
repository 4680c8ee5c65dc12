/**
 * Inputs stay inside their model directory. Every file the PR author commits is theirs to
 * choose, symlinks included: a weights or side file that resolves to /proc/self/environ, a
 * device, a FIFO or a file outside the checkout must be an error naming it, never read.
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, relative, isAbsolute, resolve, sep } from 'node:path';
import { InputError, isInputError } from '../errors.js';
import { fsError } from './file-source.js';
import { diskLinkReader, resolveRepoPath } from './repo-links.js';

/** The boundary a model's files must resolve inside (a real path). */
export interface Boundary {
  root: string;
  /** How messages name it. */
  describe: string;
  /**
   * The Action's workspace (as given, and real): a repository checkout, whose links are followed
   * as the App follows a commit's (formats/repo-links.ts), so both read the same files or refuse.
   */
  repo?: string[];
}

/**
 * The model directory as a boundary. A Hugging Face cache snapshot (`models--org--name/
 * snapshots/<rev>/`) links its files to `../../blobs/`, so its boundary is the repository's
 * cache folder. `root` (the Action's workspace) replaces the model directory when given.
 */
export async function modelBoundary(dir: string, root?: string): Promise<Boundary> {
  if (root !== undefined) {
    const real = await realpath(root).catch((err: unknown) => {
      throw fsError(root, err);
    });
    return { root: real, describe: 'the workspace', repo: [...new Set([resolve(root), real])] };
  }
  const real = await realpath(dir).catch((err: unknown) => {
    throw fsError(dir, err);
  });
  const snapshots = dirname(real);
  if (basename(snapshots) === 'snapshots' && basename(dirname(snapshots)).startsWith('models--'))
    return { root: dirname(snapshots), describe: 'the model directory' };
  return { root: real, describe: 'the model directory' };
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * The real path of `path`, which must be a regular file inside the boundary. Returns undefined
 * when it does not exist (and `optional`), or when it is a directory and `optional`.
 */
export async function regularFileInside(
  path: string,
  boundary: Boundary,
  opts: { optional?: boolean } = {},
): Promise<{ real: string; size: number } | undefined> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (opts.optional && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    if (code === 'ELOOP') throw new InputError(path, 'symlink loop');
    throw fsError(path, err);
  }
  if (!isInside(real, boundary.root)) {
    throw new InputError(path, `resolves to ${JSON.stringify(real)}, outside ${boundary.describe}: not read`);
  }
  if (boundary.repo) await followRepoLinks(path, boundary.repo);
  const st = await stat(real).catch((err: unknown) => {
    throw fsError(path, err);
  });
  if (st.isDirectory() && opts.optional) return undefined;
  if (!st.isFile()) throw new InputError(path, `is not a regular file (${kind(st)}): not read`);
  return { real, size: st.size };
}

/**
 * Throws unless `path`, below one of `roots` (a checkout), leads somewhere through its links as
 * the App would follow them: at most MAX_LINK_HOPS links, none absolute, above the checkout or
 * into .git. The file system follows 40 and any absolute target, which the App refuses: a model
 * must not read a different file, or pass, in one and fail in the other.
 */
async function followRepoLinks(path: string, roots: readonly string[]): Promise<void> {
  const abs = resolve(path);
  const root = roots.find((r) => isInside(abs, r));
  if (root === undefined) return; // outside the checkout: refused by the boundary check
  const rel = relative(root, abs).split(sep).join('/');
  try {
    await resolveRepoPath(rel || '.', diskLinkReader(root));
  } catch (err) {
    if (isInputError(err)) throw new InputError(path, err.problem);
    throw fsError(path, err);
  }
}

function kind(st: Awaited<ReturnType<typeof stat>>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
