/**
 * Builds bundles with the project's build script (scripts/bundle.mjs, `npm run build`) into a
 * fresh temporary directory, so tests exercise the current sources and never rewrite dist/.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

export interface Bundles {
  dir: string;
  /** Environment a bundle run from `dir` needs: it cannot find registry/builtin by walking up. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

export async function buildBundles(entries: ('action' | 'cli' | 'worker')[]): Promise<Bundles> {
  const dir = await mkdtemp(join(tmpdir(), 'wp-bundle-'));
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--outdir', dir, ...entries], {
      cwd: ROOT,
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`bundle failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  return {
    dir,
    env: { WEIGHTPRINT_BUILTIN_REGISTRY: join(ROOT, 'registry', 'builtin') },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
