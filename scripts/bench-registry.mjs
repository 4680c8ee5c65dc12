#!/usr/bin/env node
/**
 * Registry benchmark runner: bundles scripts/bench-registry.ts from the sources (esbuild) and runs
 * it. Prints the figures and a JSON line for the README.
 *
 *   node scripts/bench-registry.mjs [entries=1000]
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'weightprint-bench-'));
const outfile = join(dir, 'bench.mjs');
try {
  await build({
    entryPoints: [join(root, 'scripts/bench-registry.ts')],
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
  const { benchRegistry } = await import(pathToFileURL(outfile).href);
  const n = Number(process.argv[2] ?? 1000);
  const results = await benchRegistry(n);
  console.log(JSON.stringify(results));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
