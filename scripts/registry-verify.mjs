#!/usr/bin/env node
/**
 * Checks every entry of registry/builtin (and any registries given as arguments) against the
 * SHA-256 in its index: exit 1 when an entry is missing, corrupted or tampered.
 *
 *   node scripts/registry-verify.mjs [registry dir|url]...
 */
import { join } from 'node:path';
import { root, runRegistry } from './registry-bundle.mjs';

const registries = [join(root, 'registry', 'builtin'), ...process.argv.slice(2)];
await runRegistry(['verify', '--no-builtin', ...registries.flatMap((r) => ['--registry', r])]);
