#!/usr/bin/env node
/**
 * Fingerprints the models listed in registry/models.yaml from the Hugging Face Hub (sample mode:
 * HTTP range reads of the sampled rows only) and adds or refreshes their entries in
 * registry/builtin. Run by .github/workflows/registry.yml; HF_TOKEN (gated models) and
 * HF_ENDPOINT are read from the environment. Extra arguments go to `registry update`
 * (e.g. --only Qwen/Qwen2.5-7B --force).
 *
 *   node scripts/registry-update.mjs [--models file] [--registry dir] [--only org/name]... [--force] [--full]
 */
import { join } from 'node:path';
import { root, runRegistry } from './registry-bundle.mjs';

const args = process.argv.slice(2);
const has = (flag) => args.includes(flag);
await runRegistry([
  'update',
  ...(has('--models') ? [] : ['--models', join(root, 'registry', 'models.yaml')]),
  ...(has('--registry') ? [] : ['--registry', join(root, 'registry', 'builtin')]),
  ...args,
]);
