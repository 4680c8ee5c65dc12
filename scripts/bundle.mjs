#!/usr/bin/env node
/**
 * `npm run build`: bundles the Action, CLI, fingerprint worker and App into self-contained ESM
 * files in dist/. dist/ is committed (a JavaScript action runs from the repository as is);
 * check-dist.yml rebuilds it and fails when it differs.
 *
 *   node scripts/bundle.mjs                         # all entries that exist, into dist/
 *   node scripts/bundle.mjs action cli              # only these
 *   node scripts/bundle.mjs --outdir /tmp/x cli     # elsewhere (tests: never rewrite dist/)
 *
 * A bundle finds its worker next to itself. Run from outside the package, it does not find the
 * built-in registry by walking up: set WEIGHTPRINT_BUILTIN_REGISTRY to registry/builtin. The App
 * bundle keeps better-sqlite3 and playwright-core external, so it needs node_modules above it.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// esbuild turns require() in bundled CommonJS dependencies into a shim that throws in ESM
// ("Dynamic require of X is not supported") unless a real `require` is in scope.
const REQUIRE_BANNER =
  "import { createRequire as __weightprintCreateRequire } from 'node:module';\n" +
  'const require = __weightprintCreateRequire(import.meta.url);';

/** name → entry, output, and extra options; optional entries are skipped when their source is absent. */
const ENTRIES = [
  { name: 'action', entry: 'src/action/main.ts', out: 'dist/index.js' },
  { name: 'cli', entry: 'src/cli/main.ts', out: 'dist/cli.js', shebang: true },
  { name: 'worker', entry: 'src/fingerprint/worker.ts', out: 'dist/worker.js', optional: true },
  {
    name: 'app',
    entry: 'src/app/main.ts',
    out: 'dist/app.js',
    optional: true,
    // Native addon and a browser driver: installed on the App's host, not bundled.
    external: ['better-sqlite3', 'playwright-core'],
  },
];

const args = process.argv.slice(2);
let outDir = join(root, 'dist');
const at = args.indexOf('--outdir');
if (at >= 0) {
  if (!args[at + 1]) {
    console.error('bundle: --outdir needs a directory');
    process.exit(2);
  }
  outDir = resolve(args[at + 1]);
  args.splice(at, 2);
}
const wanted = args;
mkdirSync(outDir, { recursive: true });
const unknown = wanted.filter((w) => !ENTRIES.some((e) => e.name === w));
if (unknown.length) {
  console.error(`bundle: unknown entry ${unknown.join(', ')} (known: ${ENTRIES.map((e) => e.name).join(', ')})`);
  process.exit(2);
}

let failed = false;
for (const e of ENTRIES) {
  if (wanted.length && !wanted.includes(e.name)) continue;
  const entry = join(root, e.entry);
  if (!existsSync(entry)) {
    if (e.optional) {
      console.log(`bundle: ${e.entry} does not exist; skipping ${e.out}`);
      continue;
    }
    console.error(`bundle: ${e.entry} is missing`);
    failed = true;
    continue;
  }
  // esbuild keeps a hashbang that is already in the source; adding a second one breaks parsing.
  const hasShebang = readFileSync(entry, 'utf8').startsWith('#!');
  const banner = (e.shebang && !hasShebang ? '#!/usr/bin/env node\n' : '') + REQUIRE_BANNER;
  const outfile = join(outDir, basename(e.out));
  try {
    const result = await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: e.external ?? [],
      banner: { js: banner },
      charset: 'utf8',
      legalComments: 'eof',
      logLevel: 'warning',
      write: false,
    });
    if (result.errors.length) failed = true;
    for (const file of result.outputFiles) {
      const previous = existsSync(file.path) ? readFileSync(file.path) : undefined;
      if (previous && Buffer.compare(previous, file.contents) === 0) continue; // keep mtime
      // Write then rename: tests and other builds may be running dist/ files at this moment.
      // .mjs so `node --check` parses it as the ESM it is.
      const tmp = `${file.path}.${process.pid}.tmp.mjs`;
      // Executables (the CLI) keep their x bit; others keep whatever mode was committed.
      const mode = existsSync(file.path) ? statSync(file.path).mode & 0o777 : e.shebang ? 0o755 : 0o644;
      writeFileSync(tmp, file.contents, { mode });
      chmodSync(tmp, mode); // writeFileSync's mode is filtered by the umask
      try {
        // A top-level `require` declared by some bundled module would collide with the banner's;
        // catch that here rather than at the user's first run.
        execFileSync(process.execPath, ['--check', tmp], { stdio: 'inherit' });
        renameSync(tmp, file.path);
      } finally {
        rmSync(tmp, { force: true });
      }
    }
    console.log(`bundle: ${e.entry} → ${outfile === join(root, e.out) ? e.out : outfile}`);
  } catch (err) {
    console.error(`bundle: ${e.entry}: ${err instanceof Error ? err.message : err}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
