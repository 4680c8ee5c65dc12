/**
 * Builds bundles with the project's build script (scripts/bundle.mjs, `npm run build`) into a
 * temporary directory, so tests exercise the current sources and never rewrite dist/. Under the
 * project's vitest config each entry is built once per test run into the directory that
 * bundle-setup.ts provides, and shared by every file that asks for it; elsewhere each call builds
 * into a fresh directory.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import './bundle-setup.js'; // the ProvidedContext declaration

const ROOT = resolve(__dirname, '../..');

type Entry = 'action' | 'cli' | 'worker';

export interface Bundles {
  dir: string;
  /** Environment a bundle run from `dir` needs: it cannot find registry/builtin by walking up. */
  env: Record<string, string>;
  /** Removes a directory this call built; a no-op for the run's shared one (its globalSetup removes it). */
  remove(): Promise<void>;
}

async function bundle(dir: string, entries: Entry[]): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--outdir', dir, ...entries], {
      cwd: ROOT,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`bundle failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/**
 * Builds `entry` into the shared `dir` unless another test file has: the first to create
 * `<entry>.lock` builds and then writes `<entry>.done` (or `<entry>.failed` with the error); the
 * others wait for either. Bounded by the hook timeout of the caller's beforeAll.
 */
async function ensureShared(dir: string, entry: Entry): Promise<void> {
  const done = join(dir, `${entry}.done`);
  const failed = join(dir, `${entry}.failed`);
  let claimed = false;
  try {
    await (await open(join(dir, `${entry}.lock`), 'wx')).close();
    claimed = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (claimed) {
    try {
      await bundle(dir, [entry]);
      await writeFile(done, '');
    } catch (err) {
      await writeFile(failed, err instanceof Error ? err.message : String(err));
      throw err;
    }
    return;
  }
  while (!existsSync(done)) {
    if (existsSync(failed)) throw new Error(await readFile(failed, 'utf8'));
    await sleep(100);
  }
}

export async function buildBundles(entries: Entry[]): Promise<Bundles> {
  const env = { WEIGHTPRINT_BUILTIN_REGISTRY: join(ROOT, 'registry', 'builtin') };
  const shared = inject('bundleDir');
  if (shared) {
    await Promise.all(entries.map((e) => ensureShared(shared, e)));
    return { dir: shared, env, remove: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'wp-bundle-'));
  try {
    await bundle(dir, entries);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, env, remove: () => rm(dir, { recursive: true, force: true }) };
}
