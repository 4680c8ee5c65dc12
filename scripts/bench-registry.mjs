#!/usr/bin/env node
/**
 * Registry benchmark runner: bundles scripts/bench-registry.ts from the sources (esbuild) and runs
 * it. Prints the figures and a JSON line for the README.
 *
 *   node scripts/bench-registry.mjs [entries=1000]
 */
import { withBundledModule } from './bundle-ts.mjs';

const n = Number(process.argv[2] ?? 1000);
const results = await withBundledModule('scripts/bench-registry.ts', ({ benchRegistry }) => benchRegistry(n));
console.log(JSON.stringify(results));
