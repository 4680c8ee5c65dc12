/**
 * Weights checked out without their LFS objects are ~130-byte pointer files, which is all the
 * Action needs: their objects are read by range from the repository's LFS server through the
 * batch API (formats/lfs-source.ts), so a 60 GB model takes no disk on the runner. Only a server
 * without a batch API makes it fetch the files being checked with `git lfs pull --include`
 * (when git-lfs is installed; otherwise it stops with a message that says how to fix the workflow).
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { InputError } from '../errors.js';
import { isLfsPointer, LFS_POINTER_MAX_BYTES, type LfsPointer, parseLfsPointer } from '../formats/lfs.js';
import { type LfsFile, LfsSession } from '../formats/lfs-source.js';
import { isTriggerFile } from '../formats/model-files.js';
import { type LfsAccess, LfsBatchUnavailable } from '../net/lfs.js';
import { plural } from '../util/words.js';
import { execCommand } from './exec.js';

/** Runs a command; on `signal`'s abort it must stop it (and what it started) and reject. */
export type Exec = (
  cmd: string,
  args: string[],
  cwd: string,
  signal?: AbortSignal,
) => Promise<{ stdout: string; stderr: string }>;

const defaultExec: Exec = (cmd, args, cwd, signal) =>
  execCommand(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024, signal });

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
  opts: {
    access: LfsAccess;
    exec?: Exec;
    log?: (line: string) => void;
    /** Stops the `git lfs pull` fallback too (the batch API's requests stop by `access.http.signal`). */
    signal?: AbortSignal;
    /** Told what is running while `git lfs pull` runs (undefined when it ends), for a timeout's message. */
    onStep?: (doing: string | undefined) => void;
  },
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
    await ensureLfsContent(models, workspace, { exec: opts.exec, log, why, signal: opts.signal, onStep: opts.onStep });
    return undefined;
  }
  const bytes = files.reduce((n, f) => n + f.pointer.size, 0);
  log(
    `Reading ${plural(files.length, 'Git LFS object')} (${bytes} bytes) by range from ${session.url}: ` +
      'nothing is downloaded to disk',
  );
  return session;
}

async function gitLfsAvailable(workspace: string, exec: Exec, signal?: AbortSignal): Promise<boolean> {
  try {
    await exec('git', ['lfs', 'version'], workspace, signal);
    return true;
  } catch {
    signal?.throwIfAborted();
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
  opts: {
    exec?: Exec;
    log?: (line: string) => void;
    why?: string;
    /** Kills a pull in flight (its whole process tree) and rejects with the signal's reason. */
    signal?: AbortSignal;
    /** Told what is running while a pull runs (undefined after), for a timeout's message. */
    onStep?: (doing: string | undefined) => void;
  } = {},
): Promise<string[]> {
  const exec = opts.exec ?? defaultExec;
  const log = opts.log ?? (() => {});
  const pointers = await findLfsPointers(models, workspace);
  if (pointers.length === 0) return [];
  const first = pointers[0]!;
  const many =
    pointers.length > 1 ? ` and ${pointers.length - 1} more ${pointers.length === 2 ? 'file' : 'files'}` : '';

  if (!(await gitLfsAvailable(workspace, exec, opts.signal))) {
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
    opts.signal?.throwIfAborted();
    opts.onStep?.(`\`git lfs pull\` of ${namedFiles(batch)}`);
    try {
      await exec('git', ['lfs', 'pull', '--include', batch.join(',')], workspace, opts.signal);
    } catch (err) {
      // the pull was killed by the run's timeout: that, not a git failure, is the outcome
      opts.signal?.throwIfAborted();
      const detail = String((err as { stderr?: string }).stderr || (err as Error).message)
        .trim()
        .split('\n')[0];
      const why = opts.why ? `, ${opts.why},` : '';
      throw new InputError(first, `is a Git LFS pointer${many}${why} and \`git lfs pull\` failed: ${detail}`);
    } finally {
      opts.onStep?.(undefined);
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

/** Up to three files by name, then how many more: one line for a message. */
function namedFiles(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return files.length > 3 ? `${shown} and ${files.length - 3} more files` : shown;
}
