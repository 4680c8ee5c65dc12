/** Builds and spawns App processes for the tests (esbuild bundle; node_modules stay external). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
// Inside the repo so the bundle resolves node_modules (better-sqlite3 is native, never bundled).
const outDir = join(root, 'node_modules', '.cache', 'weightprint-app-test');

export async function bundle(entry: 'child' | 'main'): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const src = entry === 'child' ? join(here, 'fixtures', 'child-app.ts') : join(root, 'src', 'app', 'main.ts');
  const outfile = join(outDir, `${entry}-${process.pid}.mjs`);
  await build({
    entryPoints: [src],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

export function removeBundle(file: string | undefined): void {
  if (file) rmSync(file, { force: true });
}

export interface Child {
  proc: ChildProcess;
  url: Promise<string>;
  stdout: string[];
  stderr: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnApp(file: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [file], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    proc.on('exit', (code, signal) => res({ code, signal })),
  );
  const url = new Promise<string>((res, rej) => {
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout.push(d);
      const m = /LISTENING (\S+)|listening on (\S+)/.exec(stdout.join(''));
      if (m) res((m[1] ?? m[2])!);
    });
    void exit.then(({ code, signal }) =>
      rej(new Error(`app exited (${code ?? signal}) before listening: ${stderr.join('')}`)),
    );
  });
  url.catch(() => {});
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  return { proc, url, stdout, stderr, exit };
}
