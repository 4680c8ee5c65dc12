#!/usr/bin/env node
/**
 * `npm run bench:hub`: bundles scripts/bench-hub.ts from the sources (esbuild) and runs it.
 *
 *   node scripts/bench-hub.mjs [--latency-ms 30] [--concurrency 16] [--only llama-3-70b]... [--no-before] [--json out.json]
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'weightprint-bench-hub-'));
const outfile = join(dir, 'bench-hub.mjs');
try {
  await build({
    entryPoints: [join(root, 'scripts/bench-hub.ts')],
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
  const { driverMain } = await import(pathToFileURL(outfile).href);
  await driverMain(process.argv.slice(2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
