/**
 * The registry shipped with Weightprint (`registry/builtin/` at the package root). Found by
 * walking up from this module, so it works from the sources, from dist/ bundles and from an
 * installed package alike.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILTIN_RELATIVE = join('registry', 'builtin');

/** $WEIGHTPRINT_BUILTIN_REGISTRY overrides the search (bundles run from elsewhere, tests). */
export function builtinRegistryDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  const env = process.env.WEIGHTPRINT_BUILTIN_REGISTRY;
  if (env) return existsSync(join(env, 'index.json')) ? env : undefined;
  let dir = dirname(from);
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, BUILTIN_RELATIVE);
    if (existsSync(join(candidate, 'index.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
