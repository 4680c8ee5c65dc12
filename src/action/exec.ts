/**
 * Runs the Action's external commands (git, git lfs) so that the run's `timeout` stops them.
 *
 * Why not execFile's own `signal`: it kills only the direct child. `git lfs pull` runs git-lfs as
 * git's child (and git-lfs runs more git), so a download from a slow server would go on after the
 * abort, and the grandchildren would hold our stdout/stderr pipes open, keeping the job alive until
 * the runner's `timeout-minutes`. So the command is started in its own process group (detached: it
 * leads a new session) and on abort the whole group is killed with SIGKILL, and our ends of the
 * pipes are closed, so nothing it left behind can keep this process running. On Windows, where
 * there are no process groups, `taskkill /T` ends the tree.
 */
import { spawn } from 'node:child_process';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** A failed command: like execFile's error, with `code` (exit code or spawn error code) and output. */
export type ExecError = Error & { code?: number | string; signal?: string; stdout?: string; stderr?: string };

export function execCommand(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; maxBuffer?: number; signal?: AbortSignal },
): Promise<ExecResult> {
  const { signal } = opts;
  const maxBuffer = opts.maxBuffer ?? 1024 * 1024;
  return new Promise<ExecResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const windows = process.platform === 'win32';
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: !windows,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let settled = false;
    const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
    const fail = (e: ExecError) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(Object.assign(e, { stdout: text(out), stderr: text(err) }));
    };
    const kill = () => {
      try {
        if (child.pid === undefined) return;
        if (windows)
          spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on(
            'error',
            () => {},
          );
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      } finally {
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.unref();
      }
    };
    function onAbort() {
      kill();
      if (settled) return;
      settled = true;
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBuffer) into.push(chunk);
      else {
        kill();
        fail(new Error(`${cmd} ${args.join(' ')}: wrote more than ${maxBuffer} bytes`));
      }
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e) => fail(e));
    child.on('close', (code, sig) => {
      if (code === 0) {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve({ stdout: text(out), stderr: text(err) });
        return;
      }
      const why = code !== null ? `exit code ${code}` : `signal ${sig}`;
      fail(
        Object.assign(new Error(`Command failed (${why}): ${cmd} ${args.join(' ')}\n${text(err)}`), {
          code: code ?? undefined,
          signal: sig ?? undefined,
        }),
      );
    });
  });
}

/** Runs git with `args` in `cwd` and gives its stdout (at most `maxBuffer` bytes); `signal` kills it. */
export type GitExec = (args: string[], cwd: string, signal?: AbortSignal) => Promise<string>;

/** A GitExec whose output may be up to `maxBuffer` bytes. */
export function gitStdout(maxBuffer: number): GitExec {
  return async (args, cwd, signal) => (await execCommand('git', args, { cwd, maxBuffer, signal })).stdout;
}
