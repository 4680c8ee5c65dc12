/**
 * Turning the `models` input, or the checkout, into the list of models to check: globs are
 * expanded here (Node 20 has no fs.glob), shards collapse to their directory, `hf:` ids and
 * URLs pass through untouched.
 */
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { isTriggerFile, isWeightFile } from '../formats/model-files.js';

/** Directories never searched: VCS data and dependency trees can be huge and hold no models of the repo's own. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__']);
/** Deeper than any real checkout: a tree past it is refused, not searched partly. */
const MAX_DEPTH = 64;

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

function isRemote(entry: string): boolean {
  // `hf:org/model`, `https://…`; a Windows drive letter is not a scheme.
  return /^[a-z][a-z0-9+.-]+:/i.test(entry);
}

function hasGlob(entry: string): boolean {
  return /[*?[\]{}]/.test(entry);
}

/** A glob (`*`, `**`, `?`, `[…]`, `{a,b}`) as an anchored regex over posix paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = glob.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Every file and directory under `root` (posix, relative), skipping SKIP_DIRS unless `everywhere`.
 * A tree deeper than MAX_DEPTH is an error: weights below it would go unchecked.
 */
export function walk(
  root: string,
  opts: { everywhere?: boolean } = {},
): { files: string[]; dirs: string[]; links: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  const links: string[] = []; // symlinks (to files or directories), also listed in files
  const visit = (abs: string, rel: string, depth: number) => {
    if (depth > MAX_DEPTH)
      throw new InputError(rel, `is nested more than ${MAX_DEPTH} directories deep; models are looked for above that`);
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name === '.git' || (!opts.everywhere && SKIP_DIRS.has(e.name))) continue;
        dirs.push(r);
        visit(join(abs, e.name), r, depth + 1);
      } else if (e.isFile() || e.isSymbolicLink()) {
        files.push(r);
        if (e.isSymbolicLink()) links.push(r);
      }
    }
  };
  visit(root, '', 0);
  return { files: files.sort(), dirs: dirs.sort(), links: links.sort() };
}

/** Does this directory (absolute) hold weights or a shard index directly? */
export function holdsWeights(absDir: string): boolean {
  try {
    return readdirSync(absDir).some((n) => isWeightFile(n));
  } catch {
    return false;
  }
}

/**
 * The file an annotation for a model goes on: a changed weight file if known, else the shard
 * index, else the first weights file, else the path itself. Repo-relative posix.
 */
export function annotationFile(workspace: string, model: string, changed: readonly string[] = []): string | undefined {
  if (isRemote(model)) return undefined;
  const abs = resolve(workspace, model);
  const rel = toPosix(relative(workspace, abs)) || '.';
  if (rel.startsWith('..')) return undefined;
  let st: Stats;
  try {
    st = statSync(abs);
  } catch {
    return changed[0];
  }
  if (!st.isDirectory()) return rel;
  const weights = changed.filter((f) => isWeightFile(f));
  if (weights[0]) return weights[0];
  const names = readdirSync(abs).sort();
  const pick =
    names.find((n) => /\.safetensors\.index\.json$/i.test(n)) ??
    names.find((n) => /\.safetensors$/i.test(n)) ??
    names.find((n) => isWeightFile(n)) ??
    changed[0];
  if (!pick) return undefined;
  return pick.includes('/') ? pick : rel === '.' ? pick : `${rel}/${pick}`;
}

/**
 * Explicit `models` entries → model specs. Globs match files and directories in the workspace;
 * matched weight/config/tokenizer files collapse to their directory so a sharded model is
 * checked once. Plain paths must exist.
 */
export function resolveModelEntries(entries: readonly string[], workspace: string): string[] {
  const out: string[] = [];
  const add = (m: string) => {
    if (!out.includes(m)) out.push(m);
  };
  let tree: ReturnType<typeof walk> | undefined;
  for (const raw of entries) {
    const entry = raw.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
    if (isRemote(entry)) {
      add(entry);
      continue;
    }
    if (!hasGlob(entry)) {
      try {
        statSync(resolve(workspace, entry));
      } catch {
        throw new InputError('input `models`', `${raw} does not exist in the workspace (${workspace})`);
      }
      add(entry);
      continue;
    }
    tree ??= walk(workspace);
    const re = globToRegExp(toPosix(entry));
    const hits: string[] = [];
    for (const f of tree.files) if (re.test(f) && isTriggerFile(f)) hits.push(posix.dirname(f));
    for (const d of tree.dirs) if (re.test(d) && holdsWeights(join(workspace, d))) hits.push(d);
    const models = [...new Set(hits)].filter((d) => holdsWeights(join(workspace, d))).sort();
    if (models.length === 0)
      throw new InputError('input `models`', `${raw} matches no model (weights or shard index) in the workspace`);
    models.forEach(add);
  }
  return out;
}

/**
 * Every directory in the checkout that holds weights: what a tag or release "contains". With
 * `everywhere`, dependency and virtualenv folders too (a pull request too large to list could
 * hide a model there).
 */
export function scanWorkspace(workspace: string, opts: { everywhere?: boolean } = {}): string[] {
  const dirs = new Set<string>();
  for (const f of walk(workspace, opts).files) if (isWeightFile(f)) dirs.add(posix.dirname(f));
  return [...dirs].sort();
}
