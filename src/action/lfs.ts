/**
 * Weights checked out without their LFS objects are ~130-byte pointer files, which is all the
 * Action needs: their objects are read by range from the repository's LFS server through the
 * batch API (formats/lfs-source.ts), so a 60 GB model takes no disk on the runner. Only a server
 * without a batch API makes it fetch the files being checked with `git lfs pull --include`
 * (when git-lfs is installed; otherwise it stops with a message that says how to fix the workflow).
 */
import { execFile } from 'node:child_process';
import { open, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../errors.js';
import { isLfsPointer, LFS_POINTER_MAX_BYTES, type LfsPointer, parseLfsPointer } from '../formats/lfs.js';
import { type LfsFile, LfsSession } from '../formats/lfs-source.js';
import { isTriggerFile } from '../formats/model-files.js';
import { type LfsAccess, LfsBatchUnavailable } from '../net/lfs.js';
import { plural } from '../util/words.js';

export type Exec = (cmd: string, args: string[], cwd: string) => Promise<{ stdout: string; stderr: string }>;

const execFileP = promisify(execFile);
const defaultExec: Exec = async (cmd, args, cwd) => {
  const { stdout, stderr } = await execFileP(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return { stdout: String(stdout), stderr: String(stderr) };
};

/** Keeps each `git lfs pull` command line well under OS argument limits. */
const FILES_PER_PULL = 100;

/** The pointer a file holds: undefined when it is not a pointer; `malformed` when it only looks like one. */
async function pointerIn(abs: string): Promise<LfsPointer | 'malformed' | undefined> {
  const st = await stat(abs).catch(() => undefined);
  if (!st?.isFile() || st.size > LFS_POINTER_MAX_BYTES) return undefined;
  const fh = await open(abs, 'r');
  try {
    const buf = new Uint8Array(st.size);
    await fh.read(buf, 0, st.size, 0);
    if (!isLfsPointer(buf)) return undefined;
    return parseLfsPointer(new TextDecoder().decode(buf)) ?? 'malformed';
  } finally {
    await fh.close();
  }
}

/** Repo-relative paths of the models' files (weights, index, config, tokenizer) that are LFS pointers. */
export async function findLfsPointers(models: readonly string[], workspace: string): Promise<string[]> {
  return (await lfsPointerFiles(models, workspace)).map((f) => f.file);
}

/** The models' LFS pointer files (repo-relative) and what they point to. */
async function lfsPointerFiles(
  models: readonly string[],
  workspace: string,
): Promise<Array<{ file: string; pointer: LfsPointer | 'malformed' }>> {
  const out: Array<{ file: string; pointer: LfsPointer | 'malformed' }> = [];
  for (const model of models) {
    if (/^[a-z][a-z0-9+.-]+:/i.test(model)) continue;
    const abs = join(workspace, model);
    const st = await stat(abs).catch(() => undefined);
    if (!st) continue;
    const files = st.isDirectory()
      ? (await readdir(abs)).filter((n) => isTriggerFile(n)).map((n) => (model === '.' ? n : posix.join(model, n)))
      : [model];
    for (const file of files) {
      if (out.some((o) => o.file === file)) continue;
      const pointer = await pointerIn(join(workspace, file));
      if (pointer) out.push({ file, pointer });
    }
  }
  return out;
}

/**
 * Readies the models' LFS pointer files: returns the session that reads their objects by range
 * (their download links already asked for, in batches of 100), or undefined when there is no
 * pointer, or when the server has no batch API and `git lfs pull` fetched the files instead
 * (said in the log). An object the server refuses is an InputError naming its file.
 */
export async function prepareLfs(
  models: readonly string[],
  workspace: string,
  opts: { access: LfsAccess; exec?: Exec; log?: (line: string) => void },
): Promise<LfsSession | undefined> {
  const log = opts.log ?? (() => {});
  const found = await lfsPointerFiles(models, workspace);
  // a malformed pointer is left to the model reader, whose error describes it
  const files = found.filter((f): f is LfsFile => f.pointer !== 'malformed');
  if (files.length === 0) return undefined;
  const session = new LfsSession(opts.access);
  try {
    await session.prefetch(files);
  } catch (err) {
    if (!(err instanceof LfsBatchUnavailable)) throw err;
    const why = `the LFS batch API at ${err.url} answered HTTP ${err.status}`;
    log(`${why} (no batch API): falling back to \`git lfs pull\`, which downloads the files to the runner's disk`);
    await ensureLfsContent(models, workspace, { exec: opts.exec, log, why });
    return undefined;
  }
  const bytes = files.reduce((n, f) => n + f.pointer.size, 0);
  log(
    `Reading ${plural(files.length, 'Git LFS object')} (${bytes} bytes) by range from ${session.url}: ` +
      'nothing is downloaded to disk',
  );
  return session;
}

async function gitLfsAvailable(workspace: string, exec: Exec = defaultExec): Promise<boolean> {
  try {
    await exec('git', ['lfs', 'version'], workspace);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure the models' files are real content. Returns the files that were fetched.
 * Throws an InputError (one line, with the fix) when pointers remain.
 */
export async function ensureLfsContent(
  models: readonly string[],
  workspace: string,
  opts: { exec?: Exec; log?: (line: string) => void; why?: string } = {},
): Promise<string[]> {
  const exec = opts.exec ?? defaultExec;
  const log = opts.log ?? (() => {});
  const pointers = await findLfsPointers(models, workspace);
  if (pointers.length === 0) return [];
  const first = pointers[0]!;
  const many =
    pointers.length > 1 ? ` and ${pointers.length - 1} more ${pointers.length === 2 ? 'file' : 'files'}` : '';

  if (!(await gitLfsAvailable(workspace, exec))) {
    throw new InputError(
      first,
      `is a Git LFS pointer${many}, not the weights, ${opts.why ? `${opts.why}, ` : ''}` +
        'and git-lfs is not installed on this runner: ' +
        'check out with `lfs: true` (actions/checkout) or install git-lfs before this step',
    );
  }
  log(`Fetching ${pointers.length} Git LFS ${pointers.length === 1 ? 'object' : 'objects'}: ${pointers.join(', ')}`);
  for (let i = 0; i < pointers.length; i += FILES_PER_PULL) {
    const batch = pointers.slice(i, i + FILES_PER_PULL);
    try {
      await exec('git', ['lfs', 'pull', '--include', batch.join(',')], workspace);
    } catch (err) {
      const detail = String((err as { stderr?: string }).stderr || (err as Error).message)
        .trim()
        .split('\n')[0];
      const why = opts.why ? `, ${opts.why},` : '';
      throw new InputError(first, `is a Git LFS pointer${many}${why} and \`git lfs pull\` failed: ${detail}`);
    }
  }
  const left = await findLfsPointers(models, workspace);
  if (left.length) {
    throw new InputError(
      left[0]!,
      'is still a Git LFS pointer after `git lfs pull` ' +
        '(is the object on the LFS server, and does the token allow reading it?)',
    );
  }
  return pointers;
}
