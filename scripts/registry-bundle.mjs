/**
 * Shared by the registry scripts: bundles the `registry` CLI command from the TypeScript sources
 * (bundle-ts.mjs) and runs it, so the scripts run from a plain checkout without a prior build.
 */
import { join } from 'node:path';
import { root, withBundledModule } from './bundle-ts.mjs';

export { root };

/** The `registry` command bundled from the sources (the bundle file is gone once it is loaded). */
export function loadRegistryCommand() {
  return withBundledModule('src/cli/commands/registry.ts', (mod) => mod.registryCommand);
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
