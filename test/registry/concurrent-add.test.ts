/**
 * `registry add` from several processes at once loses nothing: each process reads the index,
 * writes its entry and rewrites the index under the registry's write lock. Real processes of the
 * bundled CLI, started together on one registry directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_NAME, withRegistryLock } from '../../src/registry/lock.js';
import { base, fingerprintSynth, tempDir, WIDE } from './fixtures.js';

const ROOT = resolve(__dirname, '../..');
// Inside the repository so the bundle resolves node_modules; not dist/ (that is the lead's).
const OUT = join(ROOT, 'node_modules', '.cache', 'weightprint-registry-test');
let cli: string;
let tmp: { dir: string; cleanup: () => Promise<void> };
let fpPath: string;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  cli = join(OUT, `cli-${process.pid}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  tmp = await tempDir('concurrent-add');
  // A fingerprint large enough that reading, compressing and writing an entry takes a while.
  const { fp } = await fingerprintSynth(tmp.dir, base(WIDE, 21, 'synth/wide'), 'wide');
  fpPath = join(tmp.dir, 'wide.json');
  await writeFile(fpPath, JSON.stringify(fp));
});

afterAll(async () => {
  if (cli) rmSync(cli, { force: true });
  await tmp?.cleanup();
});

function registry(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [cli, 'registry', ...args], { env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

describe('registry add from concurrent processes', () => {
  it('keeps every entry when eight processes add at once', async () => {
    const dir = join(tmp.dir, 'shared-registry');
    const ids = Array.from({ length: 8 }, (_, i) => `org/model-${i}`);
    const runs = await Promise.all(
      ids.map((id) => registry(['add', fpPath, '--id', id, '--registry', dir, '--license', 'apache-2.0'])),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { entries: { id: string }[] };
    expect(index.entries.map((e) => e.id).sort()).toEqual(ids);
    const verify = await registry(['verify', '--registry', dir]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(existsSync(join(dir, LOCK_NAME))).toBe(false); // released
    // Adds and removes interleaved: the removed ones go, everything else stays.
    const more = Array.from({ length: 4 }, (_, i) => `org/extra-${i}`);
    const mixed = await Promise.all([
      ...more.map((id) => registry(['add', fpPath, '--id', id, '--registry', dir, '--license', 'mit'])),
      registry(['remove', 'org/model-0', '--registry', dir]),
      registry(['remove', 'org/model-1', '--registry', dir]),
    ]);
    for (const r of mixed) expect(r.code, r.stderr).toBe(0);
    const after = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { entries: { id: string }[] };
    expect(after.entries.map((e) => e.id).sort()).toEqual([...ids.slice(2), ...more].sort());
  });

  it('takes over a lock whose holder died (not refreshed), and respects a live one', async () => {
    const dir = join(tmp.dir, 'stale');
    const lock = join(dir, LOCK_NAME);
    await mkdir(lock, { recursive: true });
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old); // as a crashed writer leaves it
    const r = await registry(['add', fpPath, '--id', 'org/after-crash', '--registry', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
    // A live holder (refreshed) is respected: a writer that cannot get it in time says so.
    await withRegistryLock(dir, async () => {
      const err = await withRegistryLock(dir, async () => 'got it', { waitMs: 300 }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect(String((err as Error).message)).toMatch(/the registry is locked by another writer/);
    });
    expect(existsSync(lock)).toBe(false);
  });
});
