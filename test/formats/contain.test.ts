/**
 * Inputs stay inside the model directory (or the Action's workspace): a weights or side file
 * that is a symlink out of it, a device, a FIFO, or a side file over its size cap is an input
 * error naming the file, and its contents are never read.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { MAX_SIDE_FILE_BYTES, openModel } from '../../src/formats/model.js';
import { makeTempDir, smallModel } from './helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let n = 0;

beforeAll(async () => {
  tmp = await makeTempDir();
  // a secret next to the checkout: what a hostile symlink would try to put into a report
  await writeFile(join(tmp.dir, 'secret.json'), '{"model_type":"TOKEN=ghp_secret"}');
  await writeFile(join(tmp.dir, 'outside.safetensors'), smallModel());
});
afterAll(async () => {
  await tmp.cleanup();
});

/** A model directory with real weights plus `links` (name → symlink target). */
async function modelDir(links: Record<string, string> = {}, files: Record<string, Uint8Array | string> = {}) {
  const dir = join(tmp.dir, `m${n++}`);
  await mkdir(dir);
  if (!('model.safetensors' in links)) await writeFile(join(dir, 'model.safetensors'), smallModel());
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
  for (const [name, target] of Object.entries(links)) await symlink(target, join(dir, name));
  return dir;
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  expect((e as Error).message).not.toMatch(/\n/);
  return e as InputError;
}

describe('weights files', () => {
  it('a weights symlink out of the model directory is an error naming it', async () => {
    const dir = await modelDir({ 'model.safetensors': join(tmp.dir, 'outside.safetensors') });
    const e = await inputError(openModel(dir));
    expect(e.message).toBe(
      `${join(dir, 'model.safetensors')}: resolves to ${JSON.stringify(join(tmp.dir, 'outside.safetensors'))}, ` +
        'outside the model directory: not read',
    );
  });

  it('a symlink to /dev/zero or /proc/self/environ, named directly or in a directory', async () => {
    for (const target of ['/dev/zero', '/proc/self/environ']) {
      const dir = await modelDir({ 'model.safetensors': target });
      expect((await inputError(openModel(dir))).message).toMatch(
        /model\.safetensors: resolves to .*outside the model directory/,
      );
      expect((await inputError(openModel(join(dir, 'model.safetensors')))).message).toMatch(
        /outside the model directory/,
      );
    }
  });

  it('a FIFO in place of the weights is refused, not opened (open() would block)', async () => {
    const dir = join(tmp.dir, `fifo${n++}`);
    await mkdir(dir);
    execFileSync('mkfifo', [join(dir, 'model.safetensors')]);
    const e = await inputError(openModel(dir));
    expect(e.message).toBe(`${join(dir, 'model.safetensors')}: is not a regular file (a FIFO): not read`);
  });

  it('a shard named by an index that links out of the directory', async () => {
    const index = JSON.stringify({ weight_map: { 'a.weight': 'model-1.safetensors' } });
    const dir = await modelDir(
      { 'model-1.safetensors': join(tmp.dir, 'outside.safetensors') },
      { 'model.safetensors.index.json': index },
    );
    expect((await inputError(openModel(dir))).message).toMatch(
      /model-1\.safetensors: resolves to .*outside the model directory/,
    );
  });

  it('the Action widens the boundary to the workspace, and no further', async () => {
    const workspace = join(tmp.dir, `ws${n++}`);
    await mkdir(join(workspace, 'blobs'), { recursive: true });
    await writeFile(join(workspace, 'blobs', 'w.safetensors'), smallModel());
    const dir = join(workspace, 'release');
    await mkdir(dir);
    await symlink('../blobs/w.safetensors', join(dir, 'model.safetensors'));
    await inputError(openModel(dir));
    const m = await openModel(dir, { root: workspace });
    expect(m.tensors.length).toBeGreaterThan(0);
    await m.close();
    // a model directory that is itself a link out of the checkout
    await symlink(join(tmp.dir, 'm0'), join(workspace, 'escape'));
    expect((await inputError(openModel(join(workspace, 'escape'), { root: workspace }))).message).toMatch(
      /outside the workspace: not read$/,
    );
  });
});

describe('the Action workspace: links followed as the App follows them (formats/repo-links.ts)', () => {
  /** A workspace with weights in store/v1/w.safetensors and a model directory `release`. */
  async function workspace() {
    const ws = join(tmp.dir, `wsl${n++}`);
    await mkdir(join(ws, 'store', 'v1'), { recursive: true });
    await mkdir(join(ws, 'release'));
    await writeFile(join(ws, 'store', 'v1', 'w.safetensors'), smallModel());
    return ws;
  }

  it('a chain of at most 8 links, through directories too, is read', async () => {
    const ws = await workspace();
    await symlink('v1', join(ws, 'store', 'current')); // a directory link on the way
    for (let i = 0; i < 6; i++) await symlink(i ? `hop${i - 1}` : 'store/current/w.safetensors', join(ws, `hop${i}`));
    await symlink('../hop5', join(ws, 'release', 'model.safetensors'));
    const m = await openModel(join(ws, 'release'), { root: ws });
    expect(m.tensors.length).toBeGreaterThan(0);
    await m.close();
  });

  it('a chain of more than 8 links is refused, though the file system follows 40', async () => {
    const ws = await workspace();
    for (let i = 0; i < 9; i++) await symlink(i ? `hop${i - 1}` : 'store/v1/w.safetensors', join(ws, `hop${i}`));
    await symlink('../hop8', join(ws, 'release', 'model.safetensors'));
    const e = await inputError(openModel(join(ws, 'release'), { root: ws }));
    expect(e.message).toMatch(/release\/model\.safetensors: leads through more than 8 symlinks/);
  });

  it('a link to an absolute path is refused even when it lands inside the workspace', async () => {
    // the App refuses it (a target outside the repository); the runner's path is no repository path
    const ws = await workspace();
    await symlink(join(ws, 'store', 'v1', 'w.safetensors'), join(ws, 'release', 'model.safetensors'));
    const e = await inputError(openModel(join(ws, 'release'), { root: ws }));
    expect(e.message).toMatch(/release\/model\.safetensors: .*is a symlink to ".*w\.safetensors", outside the repo/);
    // a model directory reached through an absolute directory link
    await symlink(join(ws, 'store', 'v1'), join(ws, 'alias'));
    expect((await inputError(openModel(join(ws, 'alias'), { root: ws }))).message).toMatch(/outside the repository/);
  });

  it("a link into .git (git's own data, no file of the commit) is refused", async () => {
    const ws = await workspace();
    await mkdir(join(ws, '.git', 'lfs'), { recursive: true });
    await writeFile(join(ws, '.git', 'lfs', 'blob'), smallModel());
    await symlink('../.git/lfs/blob', join(ws, 'release', 'model.safetensors'));
    const e = await inputError(openModel(join(ws, 'release'), { root: ws }));
    expect(e.message).toMatch(/release\/model\.safetensors: leads into \.git/);
    // through a directory link to .git (another letter case: repo-links.test.ts)
    await symlink('.git', join(ws, 'meta'));
    await symlink('../meta/lfs/blob', join(ws, 'store', 'x.safetensors'));
    expect((await inputError(openModel(join(ws, 'store', 'x.safetensors'), { root: ws }))).message).toMatch(
      /store\/x\.safetensors: leads into \.git/,
    );
  });

  it('a loop of links is refused with one line naming the file', async () => {
    const ws = await workspace();
    await symlink('b', join(ws, 'a'));
    await symlink('a', join(ws, 'b'));
    await symlink('../a', join(ws, 'release', 'model.safetensors'));
    const e = await inputError(openModel(join(ws, 'release', 'model.safetensors'), { root: ws }));
    expect(e.message).toMatch(/release\/model\.safetensors: (leads through more than 8 symlinks|symlink loop|.*ELOOP)/);
  });
});

describe('side files', () => {
  it('config.json linked to a secret outside the directory is an error, and the secret is never read', async () => {
    const dir = await modelDir({ 'config.json': join(tmp.dir, 'secret.json') });
    const e = await inputError(loadFingerprint(dir));
    expect(e.message).toBe(
      `${join(dir, 'config.json')}: resolves to ${JSON.stringify(join(tmp.dir, 'secret.json'))}, ` +
        'outside the model directory: not read',
    );
    expect(e.message).not.toMatch(/ghp_secret/);
  });

  it('a model card linked to /proc/self/environ is an error (it used to be read into the card)', async () => {
    const dir = await modelDir({ 'README.md': '/proc/self/environ' });
    expect((await inputError(loadFingerprint(dir))).message).toMatch(
      /README\.md: resolves to .*outside the model directory/,
    );
  });

  it('a tokenizer file linked to /dev/zero is an error, not an endless read', async () => {
    const dir = await modelDir({ 'tokenizer.json': '/dev/zero' });
    expect((await inputError(loadFingerprint(dir))).message).toMatch(/tokenizer\.json: resolves to "\/dev\/zero"/);
  });

  it('a side file over the cap is refused before it is read', async () => {
    const dir = await modelDir();
    await writeFile(join(dir, 'tokenizer.json'), '');
    await truncate(join(dir, 'tokenizer.json'), MAX_SIDE_FILE_BYTES + 1); // sparse: costs no disk
    const e = await inputError(loadFingerprint(dir));
    expect(e.message).toBe(
      `${join(dir, 'tokenizer.json')}: side file is ${MAX_SIDE_FILE_BYTES + 1} bytes, ` +
        `more than the ${MAX_SIDE_FILE_BYTES} read`,
    );
  });

  it('side files inside the directory (a symlink within it included) are read as before', async () => {
    const dir = await modelDir({ 'config.json': 'real-config.json' }, { 'real-config.json': '{"model_type":"llama"}' });
    const fp = await loadFingerprint(dir);
    expect(fp.config?.modelType).toBe('llama');
  });
});
