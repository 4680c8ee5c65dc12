#!/usr/bin/env node
/**
 * Regenerates the built-in tokenizer and config entries (registry/builtin/) from the public
 * tokenizer/config files listed in registry/builtin.sources.yaml. Signatures are computed by
 * Weightprint's own code; the files themselves are never copied into the registry.
 *
 *   node scripts/registry-builtin.mjs [knownmodels dir]      (default: ../shared/knownmodels)
 */
import { join } from 'node:path';
import { root, runRegistry } from './registry-bundle.mjs';

const known = process.argv[2] ?? join(root, '..', 'shared', 'knownmodels');
await runRegistry([
  'import-known',
  known,
  '--sources',
  join(root, 'registry', 'builtin.sources.yaml'),
  '--registry',
  join(root, 'registry', 'builtin'),
]);
