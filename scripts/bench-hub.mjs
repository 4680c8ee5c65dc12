#!/usr/bin/env node
/**
 * `npm run bench:hub`: bundles scripts/bench-hub.ts from the sources (esbuild) and runs it.
 *
 *   node scripts/bench-hub.mjs [--latency-ms 30] [--concurrency 16] [--only llama-3-70b]... [--no-before] [--flat] [--json out.json]
 */
import { withBundledModule } from './bundle-ts.mjs';

// the bundle forks itself for the Hub stand-in: it is kept until the driver returns
await withBundledModule('scripts/bench-hub.ts', ({ driverMain }) => driverMain(process.argv.slice(2)));
