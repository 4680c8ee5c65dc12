/**
 * One writer at a time on a registry directory. `registry add` reads the index, writes an entry
 * and rewrites the index; two processes doing that at once would each write an index without the
 * other's entry. The lock is a directory (`.index.lock`, created atomically by mkdir, which works
 * on every local and network file system) that its holder keeps fresh; one whose holder died
 * (not refreshed for STALE_MS) is taken over, so a crash never blocks the registry for good.
 */
import { hostname } from 'node:os';
import { mkdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export const LOCK_NAME = '.index.lock';
/** A lock not refreshed for this long belongs to a process that is gone. */
const STALE_MS = 30_000;
const REFRESH_MS = 5_000;

interface LockOptions {
  /** Give up waiting after this long (default 120 s). */
  waitMs?: number;
}

/** Runs `fn` holding the registry's write lock. */
export async function withRegistryLock<T>(dir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, LOCK_NAME);
  await acquire(lock, dir, opts.waitMs ?? 120_000);
  const timer = setInterval(() => {
    const now = new Date();
    utimes(lock, now, now).catch(() => {});
  }, REFRESH_MS);
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await rm(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string, dir: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      await writeFile(
        join(lock, 'owner.json'),
        JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }),
      );
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new InputError(dir, `cannot lock the registry (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
    }
    const held = await stat(lock).catch(() => undefined);
    if (held && Date.now() - held.mtimeMs > STALE_MS) {
      // Move it aside (atomic: one taker wins) and check it is the lock that looked stale.
      const aside = `${lock}.stale.${process.pid}.${attempt}`;
      const taken = await rename(lock, aside).then(
        () => true,
        () => false,
      );
      if (taken) {
        const moved = await stat(aside).catch(() => undefined);
        // Another writer replaced the stale lock in between: that fresh one is theirs, give it back.
        if (moved && moved.ino !== held.ino) await rename(aside, lock).catch(() => {});
        else await rm(aside, { recursive: true, force: true });
      }
      continue;
    }
    if (Date.now() > deadline)
      throw new InputError(
        dir,
        `the registry is locked by another writer (${lock}); ` +
          'if no weightprint process is writing to it, remove that directory',
      );
    await new Promise((r) => setTimeout(r, Math.min(250, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random())));
  }
}
