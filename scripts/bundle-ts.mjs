/**
 * Shared by the scripts that run TypeScript sources from a plain checkout (no prior build): bundles
 * one entry with esbuild (a devDependency) into a temporary ESM file, imports it, and removes the
 * file once the caller is done with the module (a bundle that forks itself needs its file).
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles `entry` (a path from the repository root), imports it and returns what `use(module)`
 * returns; the bundle is deleted when `use` settles.
 */
export async function withBundledModule(entry, use) {
  const dir = mkdtempSync(join(tmpdir(), 'weightprint-script-'));
  const outfile = join(dir, `${basename(entry, '.ts')}.mjs`);
  try {
    await build({
      entryPoints: [join(root, entry)],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // esbuild's shim for require() in bundled CommonJS throws in ESM without a real `require`
      banner: {
        js: "import { createRequire as __wpRequire } from 'node:module';\nconst require = __wpRequire(import.meta.url);",
      },
      logLevel: 'warning',
    });
    return await use(await import(pathToFileURL(outfile).href));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
