/**
 * Shared by the registry scripts: bundles the `registry` CLI command from the TypeScript sources
 * (esbuild, a devDependency) into a temporary ESM file and returns its registryCommand, so the
 * scripts run from a plain checkout without a prior build.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function loadRegistryCommand() {
  const dir = mkdtempSync(join(tmpdir(), 'weightprint-registry-'));
  const outfile = join(dir, 'registry.mjs');
  try {
    await build({
      entryPoints: [join(root, 'src/cli/commands/registry.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      banner: {
        js: "import { createRequire as __wpRequire } from 'node:module';\nconst require = __wpRequire(import.meta.url);",
      },
      logLevel: 'warning',
    });
    const mod = await import(pathToFileURL(outfile).href);
    return mod.registryCommand;
  } finally {
    // the module is loaded; the file is no longer needed
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `registry <args>` and exits with its code; bad input prints one line and exits 2. */
export async function runRegistry(args) {
  // the bundle runs from a temp dir: point it at this checkout's built-in registry
  process.env.WEIGHTPRINT_BUILTIN_REGISTRY ??= join(root, 'registry', 'builtin');
  const registryCommand = await loadRegistryCommand();
  try {
    process.exitCode = await registryCommand(args);
  } catch (err) {
    if (err && err.name === 'InputError') {
      process.stderr.write(`weightprint: ${err.message}\n`);
      process.exitCode = 2;
    } else throw err;
  }
}
