/**
 * The registry shipped with Weightprint (`registry/builtin/` at the package root). Found by
 * walking up from this module, so it works from the sources, from dist/ bundles and from an
 * installed package alike.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILTIN_RELATIVE = join('registry', 'builtin');

export function builtinRegistryDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
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
