/**
 * Weights checked out without their LFS objects are ~130-byte pointer files. Fetch just the
 * files being checked (`git lfs pull --include`) when git-lfs is installed; otherwise stop with
 * a message that says how to fix the workflow.
 */
import { execFile } from 'node:child_process';
import { open, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../errors.js';
import { isLfsPointer, LFS_POINTER_MAX_BYTES } from '../formats/lfs.js';
import { isTriggerFile } from '../formats/model-files.js';

export type Exec = (cmd: string, args: string[], cwd: string) => Promise<{ stdout: string; stderr: string }>;

const execFileP = promisify(execFile);
const defaultExec: Exec = async (cmd, args, cwd) => {
  const { stdout, stderr } = await execFileP(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return { stdout: String(stdout), stderr: String(stderr) };
};

/** Keeps each `git lfs pull` command line well under OS argument limits. */
const FILES_PER_PULL = 100;

async function isPointerFile(abs: string): Promise<boolean> {
  const st = await stat(abs).catch(() => undefined);
  if (!st?.isFile() || st.size > LFS_POINTER_MAX_BYTES) return false;
  const fh = await open(abs, 'r');
  try {
    const buf = new Uint8Array(st.size);
    await fh.read(buf, 0, st.size, 0);
    return isLfsPointer(buf);
  } finally {
    await fh.close();
  }
}

/** Repo-relative paths of the models' files (weights, index, config, tokenizer) that are LFS pointers. */
export async function findLfsPointers(models: readonly string[], workspace: string): Promise<string[]> {
  const out: string[] = [];
  for (const model of models) {
    if (/^[a-z][a-z0-9+.-]+:/i.test(model)) continue;
    const abs = join(workspace, model);
    const st = await stat(abs).catch(() => undefined);
    if (!st) continue;
    const files = st.isDirectory()
      ? (await readdir(abs)).filter((n) => isTriggerFile(n)).map((n) => (model === '.' ? n : posix.join(model, n)))
      : [model];
    for (const f of files) if (await isPointerFile(join(workspace, f))) out.push(f);
  }
  return [...new Set(out)];
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
  opts: { exec?: Exec; log?: (line: string) => void } = {},
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
      `is a Git LFS pointer${many}, not the weights, and git-lfs is not installed on this runner: ` +
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
      throw new InputError(first, `is a Git LFS pointer${many} and \`git lfs pull\` failed: ${detail}`);
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
