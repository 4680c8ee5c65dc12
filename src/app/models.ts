/**
 * Which models a repository references at a commit, and getting them to the analysis.
 * Two sources: Hub ids (and repo paths) listed in `.github/weightprint.yml` under `models:`, and
 * weights in the repository itself (safetensors, PyTorch, GGUF; every weights set of a directory),
 * usually Git LFS objects: those stay on the LFS server and are read by range during the analysis
 * (formats/lfs-source.ts), never copied.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Octokit } from '@octokit/rest';
import { InputError, isInputError } from '../errors.js';
import { CHECK_MODES, type CheckMode } from '../check/run.js';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../formats/lfs.js';
import type { LfsFile, LfsSession } from '../formats/lfs-source.js';
import {
  isShardIndexName,
  isTriggerFile,
  isWeightFile,
  unreadableWeightsFormat,
  unreadableWeightsProblem,
} from '../formats/model-files.js';
import { linksToChanges, resolveRepoPath, type Resolved } from '../formats/repo-links.js';
import { DEFAULT_POLICY_FILES } from '../policy/load.js';

/** Where the manifest (models list, policy, mode) is read: the names the Action's default policy has. */
const MANIFEST_PATHS = DEFAULT_POLICY_FILES;
/** Files next to the weights that the fingerprint reads (config/tokenizer signatures, card). */
const SIDE_FILES = new Set([
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'special_tokens_map.json',
  'generation_config.json',
  'README.md',
  // SentencePiece models (Llama, T5): the tokenizer signature reads its bytes
  'tokenizer.model',
]);

export type RequestOctokit = Pick<Octokit, 'request'>;

interface RepoRef {
  owner: string;
  repo: string;
  sha: string;
  prNumber?: number;
}

interface Manifest {
  path: string;
  text: string;
  models: string[];
  /** `mode:` (auto, sketch or full): how the repository's models are read; absent = the App's default. */
  mode?: CheckMode;
}

interface RepoFile {
  path: string;
  /** Git blob sha, for fetching small or non-LFS content. */
  blobSha: string;
  /** Size of the git blob (for an LFS-tracked file: the pointer's size). */
  size: number;
  /** A symlink (mode 120000): the blob is its target's path; what is read is the file it leads to. */
  link?: boolean;
}

/**
 * A model directory of the repository: every weights file and shard index in it (each weights set
 * is checked as a model of its own, see formats/model.ts weightSetsIn) plus its side files.
 */
interface RepoModel {
  /**
   * What errors before the analysis name: the only weights file, else the safetensors index, else
   * the directory (repo-relative, `.` for the root).
   */
  name: string;
  dir: string;
  files: RepoFile[];
}

interface ReferencedModels {
  manifest?: Manifest;
  /** `hf:` ids, passed to the analysis as they are. */
  hub: string[];
  repo: RepoModel[];
  /** Models the trusted manifest lists that the commit under test lacks: each an error. */
  missing: { model: string; message: string }[];
  /** Non-fatal notes (truncated tree, manifest entry not found), shown in the job summary. */
  notes: string[];
}

/** Weights in any format the readers open (any letter case), or a shard index. */
const isWeights = (p: string) => isWeightFile(p);

/**
 * Reads and validates the manifest at `sha` (`.github/weightprint.yml`, else `.yaml`); undefined
 * when the repository has neither.
 */
export async function readManifest(octokit: RequestOctokit, ref: RepoRef): Promise<Manifest | undefined> {
  for (const path of MANIFEST_PATHS) {
    const text = await readRepoText(octokit, ref, path);
    if (text !== undefined) return parseManifest(path, text);
  }
  return undefined;
}

function parseManifest(path: string, text: string): Manifest {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError(path, `is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const mode = (doc as { mode?: unknown } | null)?.mode;
  if (mode !== undefined && !(CHECK_MODES as readonly unknown[]).includes(mode))
    throw new InputError(path, `mode: must be one of ${CHECK_MODES.join(', ')}`);
  const models = (doc as { models?: unknown } | null)?.models;
  const base = { path, text, ...(mode !== undefined ? { mode: mode as CheckMode } : {}) };
  if (models === undefined || models === null) return { ...base, models: [] };
  if (!Array.isArray(models) || models.some((m) => typeof m !== 'string' || m.trim() === ''))
    throw new InputError(path, '`models` must be a list of strings (hf:org/name[@rev] or repository paths)');
  return { ...base, models: models.map((m: string) => m.trim()) };
}

/** A text file at `sha` through the contents API; undefined on 404. */
async function readRepoText(octokit: RequestOctokit, ref: RepoRef, path: string): Promise<string | undefined> {
  try {
    const res = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: ref.owner,
      repo: ref.repo,
      path,
      ref: ref.sha,
    });
    const data = res.data as { type?: string; content?: string; encoding?: string; size?: number };
    if (Array.isArray(res.data) || data.type !== 'file') throw new InputError(path, 'is not a file');
    if (data.encoding === 'base64' && typeof data.content === 'string')
      return Buffer.from(data.content, 'base64').toString('utf8');
    // Over 1 MB the contents API sends `encoding: none` and no content: never read that as empty.
    throw new InputError(
      path,
      `is too large to read through the contents API (${data.size ?? '?'} bytes; 1 MB at most)`,
    );
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

/**
 * The models to check at `ref.sha`, and the manifest that is the policy. The manifest is read at
 * `manifestSha`, a commit the gated party does not write (a pull request's base, or the default
 * branch for other events), never at the commit under test. Models: the union of the manifest's
 * `models:` list and, for a pull request, every model whose weights, shard index, config or
 * tokenizer it changes (added, modified, renamed or removed), or for other events every
 * safetensors model of the commit. A pull request can add models, never take one off the check:
 * a listed model missing from its head is an error of that model.
 */
export async function findReferencedModels(
  octokit: RequestOctokit,
  ref: RepoRef,
  manifestSha: string = ref.sha,
): Promise<ReferencedModels> {
  const notes: string[] = [];
  const missing: { model: string; message: string }[] = [];
  const manifest = await readManifest(octokit, { ...ref, sha: manifestSha });
  const hub = (manifest?.models ?? []).filter((m) => m.startsWith('hf:'));
  const repoPaths = (manifest?.models ?? [])
    .filter((m) => !m.startsWith('hf:'))
    .map((p) => p.replace(/^\.?\/+/, '').replace(/\/+$/, ''));

  let tree: RepoTree | undefined;
  let byDir: Map<string, RepoFile[]> | undefined;
  const getTree = async () => {
    tree ??= await listTree(octokit, ref);
    return tree.files;
  };
  // GitHub truncates a recursive tree of a large repository: a directory's own files are then
  // listed through the contents API, so a model in the part left off is still found and read.
  const listings = new Map<string, Promise<RepoFile[]>>();
  const filesIn = async (dir: string): Promise<RepoFile[]> => {
    const all = await getTree();
    if (!tree!.truncated) {
      if (!byDir) {
        byDir = new Map();
        for (const f of all) byDir.set(posix.dirname(f.path), [...(byDir.get(posix.dirname(f.path)) ?? []), f]);
      }
      return byDir.get(dir) ?? [];
    }
    let listing = listings.get(dir);
    if (!listing) {
      listing = listDirectory(octokit, ref, dir);
      listings.set(dir, listing);
    }
    return listing;
  };
  const truncatedError = (what: string) => ({
    model: '.',
    message:
      `the repository tree at ${ref.sha.slice(0, 7)} is too large for GitHub to list in one request, so ${what} ` +
      'cannot all be found: the check fails rather than pass models it did not see (list them under `models:`)',
  });

  // Symlinks are followed through the tree, their targets read as blobs: a model reads the file a
  // link leads to, so a re-pointed link, or a changed file an unchanged link names, changes the model.
  const fileAt = async (path: string) => (await filesIn(posix.dirname(path))).find((f) => f.path === path);
  const targets = new Map<string, Promise<string>>();
  const resolve = (path: string) =>
    resolveRepoPath(path, async (p) => {
      const f = await fileAt(p);
      if (!f?.link) return undefined;
      let target = targets.get(f.blobSha);
      if (!target) {
        target = readLinkTarget(octokit, ref, f);
        targets.set(f.blobSha, target);
      }
      return target;
    });
  /** Follows `path`'s links; an InputError (a link out of the repository, too long a chain) is `path`'s error. */
  const resolveOrMiss = async (path: string, model = path): Promise<string | undefined> => {
    try {
      return await resolve(path);
    } catch (err) {
      if (!isInputError(err)) throw err;
      missing.push({ model, message: err.message });
      return undefined;
    }
  };

  const wanted = new Set<string>(); // directories whose weights are checked
  if (repoPaths.length) {
    for (const p of repoPaths) {
      // a listed path may go through a directory link (`model` -> `releases/v2`)
      const dir = await resolveOrMiss(posix.dirname(p), p);
      const real = dir === undefined ? undefined : await resolveOrMiss(p);
      if (dir === undefined || real === undefined) continue;
      if ((await fileAt(posix.join(dir, posix.basename(p)))) && isWeights(p)) wanted.add(dir);
      else if ((await filesIn(real)).some((f) => isWeights(f.path))) wanted.add(real);
      else if (ref.prNumber !== undefined)
        missing.push({
          model: p,
          message:
            `${p}: listed in ${manifest!.path} on the base branch but not a weights file, index ` +
            "or model directory in this pull request's head",
        });
      else
        notes.push(`${manifest!.path}: ${p} is not a weights file, index or model directory in this commit; skipped`);
    }
  }
  if (ref.prNumber !== undefined) {
    const changed = await listPullFiles(octokit, ref);
    for (const p of changed.paths) if (isTriggerFile(p)) wanted.add(posix.dirname(p));
    // A shard index may name its shards under any name (`part-1.weights`) or in a subdirectory:
    // a change below a directory holding an index re-checks it, whatever the file is called.
    let indexDirs: Set<string> | undefined;
    const holdsIndex = async (dir: string) => {
      if (tree === undefined || tree.truncated) {
        await getTree();
        if (tree!.truncated) return (await filesIn(dir)).some((f) => isShardIndexName(posix.basename(f.path)));
      }
      indexDirs ??= new Set(
        tree!.files.filter((f) => isShardIndexName(posix.basename(f.path))).map((f) => posix.dirname(f.path)),
      );
      return indexDirs.has(dir);
    };
    // Where the changed paths and the links a model may read lead: a link the pull request
    // re-points, or one leading to a file it changes, changes the models reading through it.
    const linked = await linkedChanges(changed.paths);
    for (const x of linked.paths) if (isTriggerFile(x.path)) wanted.add(posix.dirname(x.path));
    for (const dir of linked.dirs) wanted.add(dir);
    for (const p of [...changed.paths, ...linked.paths.map((x) => x.path)]) {
      if (isTriggerFile(p)) continue;
      for (let dir = posix.dirname(p); ; dir = posix.dirname(dir)) {
        if (!wanted.has(dir) && (await holdsIndex(dir))) wanted.add(dir);
        if (dir === '.' || dir === '/') break;
      }
    }
    if (!changed.complete) {
      // Past the API's listing limit a changed model could hide: check every model of the head.
      notes.push('the pull request changes more files than GitHub lists (3,000); every model of the head is checked');
      for (const f of await getTree()) if (isWeights(f.path)) wanted.add(posix.dirname(f.path));
      if (tree!.truncated) missing.push(truncatedError("the models of the pull request's head"));
      // nor can it be seen whether it adds weights no reader opens: every such file of the head is refused
      for (const f of await getTree()) {
        const format = unreadableWeightsFormat(f.path);
        if (format && !missing.some((m) => m.model === f.path))
          missing.push({
            model: f.path,
            message:
              `${f.path}: ${unreadableWeightsProblem(format)} (the pull request changes more files than GitHub ` +
              'lists, so whether it adds or changes this one cannot be seen)',
          });
      }
    }
    // A submodule moved to another commit may carry weights the App cannot read: fail closed.
    await getTree();
    const gitlinks = tree!.gitlinks;
    for (const p of changed.present)
      if (gitlinks.has(p))
        missing.push({
          model: p,
          message:
            `${p}: a submodule the pull request moves to another commit; the App does not read other ` +
            "repositories' files, so weights in it would go unchecked (gate it with the Action and " +
            '`actions/checkout` `submodules: true`, or list its models under `models:` as hf: ids)',
        });
    // Weights in a format no reader opens could carry a copy beside checked ones: an error each.
    for (const p of changed.present) {
      const format = unreadableWeightsFormat(p);
      if (format && !missing.some((m) => m.model === p))
        missing.push({ model: p, message: `${p}: ${unreadableWeightsProblem(format)}` });
    }
    // A weights file the pull request adds or changes must be read: not finding it is an error.
    for (const p of changed.present)
      if (isWeights(p) && !(await filesIn(posix.dirname(p))).some((f) => f.path === p))
        missing.push({
          model: p,
          message: `${p}: changed by the pull request but not a file of its head ${ref.sha.slice(0, 7)}`,
        });
  } else {
    for (const f of await getTree()) if (isWeights(f.path)) wanted.add(posix.dirname(f.path));
    if (tree!.truncated) missing.push(truncatedError('the models of this commit'));
  }

  const repo: RepoModel[] = [];
  const dirs = new Set<string>();
  for (const w of wanted) {
    // a directory reached through a link (`model/...` with `model` -> `releases/v2`) is read where it is
    const real = await resolveOrMiss(w);
    if (real !== undefined) dirs.add(real);
  }
  for (const dir of [...dirs].sort()) {
    const inDir = await filesIn(dir);
    const weights = inDir.filter((f) => isWeights(f.path));
    if (!weights.length) continue; // e.g. a PR that deleted an unlisted model, or a config outside any model
    const side = inDir.filter((f) => SIDE_FILES.has(posix.basename(f.path)));
    // Every weights file of the directory: a decoy beside a copy must not be the only one read.
    const index = weights.find((f) => /\.safetensors\.index\.json$/i.test(f.path));
    const name = weights.length === 1 ? weights[0]!.path : (index?.path ?? dir);
    const files = await followLinks([...weights, ...side], name);
    if (files) repo.push({ name, dir, files });
  }
  return { manifest, hub, repo, missing, notes };

  /**
   * A model's files with each link replaced by the file it leads to (under the link's name); undefined
   * when a link leads out of the repository, too far, or to no file: that is the model's error.
   */
  async function followLinks(files: RepoFile[], name: string): Promise<RepoFile[] | undefined> {
    const out: RepoFile[] = [];
    for (const f of files) {
      if (!f.link) {
        out.push(f);
        continue;
      }
      const real = await resolveOrMiss(f.path, name);
      if (real === undefined) return undefined;
      const target = await fileAt(real);
      if (!target || target.link) {
        missing.push({
          model: name,
          message: `${f.path}: a symlink to ${real}, which is not a file of ${ref.sha.slice(0, 7)}`,
        });
        return undefined;
      }
      out.push({ path: f.path, blobSha: target.blobSha, size: target.size });
    }
    return out;
  }

  /**
   * The paths the pull request changes through links: each link a model may read (a weights, index,
   * config or tokenizer name, or any name beside a shard index) that leads to a changed path, and
   * paths seen through a directory link; `dirs`, the directories changed links now lead to.
   */
  async function linkedChanges(paths: readonly string[]): Promise<{ paths: { path: string }[]; dirs: string[] }> {
    // Past GitHub's tree limit not every link can be seen: the ones listed are followed.
    const all = await getTree();
    const indexDirs = new Set(
      all.filter((f) => isShardIndexName(posix.basename(f.path))).map((f) => posix.dirname(f.path)),
    );
    const underIndex = (p: string) => {
      for (let d = posix.dirname(p); ; d = posix.dirname(d)) {
        if (indexDirs.has(d)) return true;
        if (d === '.' || d === '/') return false;
      }
    };
    const changedResolved: Resolved[] = [];
    const dirsOut: string[] = [];
    for (const p of paths) {
      let real: string;
      try {
        real = await resolve(p);
      } catch (err) {
        if (!isInputError(err)) throw err;
        // a link no model reads (docs, tooling) may point anywhere; one a model reads may not (a
        // weights, config or tokenizer name is refused with its model, where it is followed)
        if (!isTriggerFile(p) && underIndex(p)) missing.push({ model: p, message: err.message });
        continue;
      }
      changedResolved.push({ path: p, real });
      if (real !== p && (await filesIn(real)).length) dirsOut.push(real); // a re-pointed directory link
    }
    const candidates = all.filter(
      (f) => f.link && !paths.includes(f.path) && (isTriggerFile(f.path) || underIndex(f.path)),
    );
    if (candidates.length > MAX_LINKS_FOLLOWED) {
      missing.push({
        model: '.',
        message:
          `${candidates.length} symlinks at ${ref.sha.slice(0, 7)} may lead models to files the pull request ` +
          `changes, more than the App follows (${MAX_LINKS_FOLLOWED}): the check fails rather than pass them unread`,
      });
      return { paths: [], dirs: dirsOut };
    }
    const links: Resolved[] = [];
    const unfollowable: { path: string }[] = [];
    for (const f of candidates) {
      try {
        links.push({ path: f.path, real: await resolve(f.path) });
      } catch (err) {
        if (!isInputError(err)) throw err;
        // Where it leads cannot be told (a chain past the bound may still end at a changed file for
        // git): its model is checked, and fails on this link.
        unfollowable.push({ path: f.path });
      }
    }
    return { paths: [...linksToChanges(changedResolved, links), ...unfollowable], dirs: dirsOut };
  }
}

/** Links a pull request's check follows at most to see whether they lead to what it changes. */
const MAX_LINKS_FOLLOWED = 500;
/** Longer than any path a link in a repository names (PATH_MAX). */
const MAX_LINK_TARGET_BYTES = 4096;

/** A symlink's target: its git blob's bytes, through the blobs API. */
async function readLinkTarget(octokit: RequestOctokit, ref: RepoRef, file: RepoFile): Promise<string> {
  if (file.size > MAX_LINK_TARGET_BYTES)
    throw new InputError(file.path, `is a symlink whose target is ${file.size} bytes long: not followed`);
  const res = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
    owner: ref.owner,
    repo: ref.repo,
    file_sha: file.blobSha,
  });
  const data = res.data as { content?: unknown; encoding?: unknown };
  if (data.encoding !== 'base64' || typeof data.content !== 'string')
    throw new InputError(file.path, 'is a symlink whose target the git blobs API did not send');
  const target = Buffer.from(data.content, 'base64').toString('utf8');
  if (!target || target.length > MAX_LINK_TARGET_BYTES)
    throw new InputError(file.path, 'is a symlink with an empty or overlong target');
  return target;
}

/** A pull request's changed paths (old and new names of renames, removed files too). */
async function listPullFiles(
  octokit: RequestOctokit,
  ref: RepoRef,
): Promise<{ paths: string[]; present: string[]; complete: boolean }> {
  const out: string[] = [];
  const present: string[] = []; // in the head: added, modified, renamed (new name), copied
  let listed = 0;
  // Paginate by page number: the endpoint serves at most 3000 files, 100 per page.
  for (let page = 1; page <= 30; page++) {
    const res = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.prNumber!,
      per_page: 100,
      page,
    });
    listed += res.data.length;
    for (const f of res.data) {
      out.push(f.filename);
      if (f.status !== 'removed') present.push(f.filename);
      if (f.previous_filename) out.push(f.previous_filename);
    }
    if (res.data.length < 100) return { paths: out, present, complete: true };
  }
  return { paths: out, present, complete: listed < 3000 };
}

interface RepoTree {
  files: RepoFile[];
  /** Submodules (gitlinks): another repository's commit, whose files the App does not read. */
  gitlinks: Set<string>;
  /** GitHub left entries off (over 100,000 entries or 7 MB): the list is incomplete. */
  truncated: boolean;
}

async function listTree(octokit: RequestOctokit, ref: RepoRef): Promise<RepoTree> {
  const res = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
    owner: ref.owner,
    repo: ref.repo,
    tree_sha: ref.sha,
    recursive: '1',
  });
  const files = res.data.tree
    .filter((e) => e.type === 'blob' && e.path !== undefined && e.sha !== undefined)
    .map((e) => ({
      path: e.path!,
      blobSha: e.sha!,
      size: e.size ?? 0,
      ...(e.mode === '120000' ? { link: true } : {}),
    }));
  const gitlinks = new Set(res.data.tree.filter((e) => e.type === 'commit' && e.path).map((e) => e.path!));
  return { files, gitlinks, truncated: res.data.truncated === true };
}

/** The contents API lists at most this many entries of a directory. */
const MAX_DIRECTORY_ENTRIES = 1000;

/** The files directly in `dir` ('.' = the root) at `ref.sha`, through the contents API. */
async function listDirectory(octokit: RequestOctokit, ref: RepoRef, dir: string): Promise<RepoFile[]> {
  let data: unknown;
  try {
    const res = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: ref.owner,
      repo: ref.repo,
      path: dir === '.' ? '' : dir,
      ref: ref.sha,
    });
    data = res.data;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return [];
    throw err;
  }
  if (!Array.isArray(data)) return [];
  if (data.length >= MAX_DIRECTORY_ENTRIES)
    throw new InputError(
      dir,
      `holds ${MAX_DIRECTORY_ENTRIES} or more entries in a repository too large to list: ` +
        'its weights cannot all be found',
    );
  return (data as { type?: string; path?: string; sha?: string; size?: number }[])
    .filter(
      (e) => (e.type === 'file' || e.type === 'symlink') && typeof e.path === 'string' && typeof e.sha === 'string',
    )
    .map((e) => ({
      path: e.path!,
      blobSha: e.sha!,
      size: e.size ?? 0,
      ...(e.type === 'symlink' ? { link: true } : {}),
    }));
}

interface MaterializeOptions {
  octokit: RequestOctokit;
  ref: RepoRef;
  /**
   * The repository's LFS objects (created on first need): the links of the model's objects are
   * asked for while its files are written, so a missing object is this model's error.
   */
  lfs: () => Promise<LfsSession>;
  /** Refuse to write more than this many bytes of plain git blobs for one model (default 64 GiB). */
  maxBytes?: number;
}

/** GitHub's git blobs API serves blobs up to 100 MB; a larger file can only be an LFS object. */
const MAX_GIT_BLOB_BYTES = 100 * 1024 * 1024;

/**
 * Writes a repo model's files into `root` (same relative paths) and returns the local path the
 * analysis opens. Plain git blobs are streamed as raw media from the git blobs API (never parsed
 * as JSON: a blob of a few MB base64-encoded in JSON is what the JSON parser cannot take) with a
 * size cap and a check of the git blob id. An LFS-tracked file stays a pointer file: the analysis
 * reads its object by range from the LFS server (the same `lfs` session), so a 60 GB model takes
 * no disk. Every failure names the repository file.
 */
export async function materializeRepoModel(model: RepoModel, root: string, opts: MaterializeOptions): Promise<string> {
  let total = 0;
  const max = opts.maxBytes ?? 64 * 1024 ** 3;
  const objects: LfsFile[] = [];
  for (const file of model.files) {
    const dest = join(root, ...file.path.split('/'));
    await mkdir(join(dest, '..'), { recursive: true });
    if (file.size > MAX_GIT_BLOB_BYTES)
      throw new InputError(
        file.path,
        `is a plain git blob of ${file.size} bytes; GitHub serves blobs up to ${MAX_GIT_BLOB_BYTES} bytes ` +
          'through its API: track weights with Git LFS',
      );
    await copyBlob(opts.octokit, opts.ref, file, dest);
    const pointer = file.size <= LFS_POINTER_MAX_BYTES ? parseLfsPointer(await readFile(dest, 'utf8')) : undefined;
    if (pointer) {
      objects.push({ file: file.path, pointer });
      continue;
    }
    total += file.size;
    if (total > max)
      throw new InputError(file.path, `the model's plain git blobs exceed the App's limit of ${max} bytes`);
  }
  if (objects.length) await (await opts.lfs()).prefetch(objects);
  return join(root, ...model.dir.split('/'));
}

/**
 * Streams one git blob to `dest` as raw bytes (`Accept: application/vnd.github.raw`), refusing
 * more bytes than the tree announced, and checks the bytes hash to the blob id the tree named:
 * what is analysed is exactly what the commit holds.
 */
async function copyBlob(octokit: RequestOctokit, ref: RepoRef, file: RepoFile, dest: string): Promise<void> {
  const res = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
    owner: ref.owner,
    repo: ref.repo,
    file_sha: file.blobSha,
    headers: { accept: 'application/vnd.github.raw' },
    request: { parseSuccessResponseBody: false },
  });
  const body = res.data as unknown as ReadableStream<Uint8Array> | null;
  const hash = createHash('sha1').update(`blob ${file.size}\0`);
  let received = 0;
  const out = createWriteStream(dest);
  try {
    if (body) {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        received += chunk.length;
        if (received > file.size)
          throw new InputError(file.path, `the git blob API sent more than the ${file.size} bytes the tree lists`);
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (received !== file.size)
    throw new InputError(file.path, `the git blob API sent ${received} of the ${file.size} bytes the tree lists`);
  if (hash.digest('hex') !== file.blobSha)
    throw new InputError(file.path, `the bytes received do not hash to the git blob ${file.blobSha}`);
}
