/**
 * A check with no registry entry to compare with cannot vouch for anything: it used to call
 * every model "a new architecture, with nothing registered it could derive from" and pass (an
 * installation whose built-in registry went missing, `--no-builtin` with no registry, an empty
 * index). It is an input error (exit 2) naming what was missing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { InputError } from '../../src/errors.js';
import { writeModelDir } from '../../src/synth/write.js';
import { base, SMALL, tempDir } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let model: string;
let empty: string;

beforeAll(async () => {
  tmp = await tempDir('empty-registry');
  model = await writeModelDir(base(SMALL, 41, 'synth/m'), join(tmp.dir, 'm'));
  empty = join(tmp.dir, 'empty');
  await mkdir(empty);
  await writeFile(join(empty, 'index.json'), JSON.stringify({ schema: 'weightprint.registry/1', entries: [] }));
});

afterAll(async () => {
  await tmp.cleanup();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a check with nothing to compare with fails closed', () => {
  it('--no-builtin and no registry', async () => {
    await expect(runCheck({ models: [model], noBuiltin: true })).rejects.toThrow(
      new InputError(
        'registry',
        'nothing to compare with: no registry was given and the built-in registry is left out',
      ),
    );
  });

  it('a registry whose index lists no entries', async () => {
    await expect(runCheck({ models: [model], registries: [empty], noBuiltin: true })).rejects.toThrow(
      new InputError(
        'registry',
        'nothing to compare with: the registries given hold no entries and the built-in registry is left out',
      ),
    );
  });

  it('the built-in registry missing (the default every adapter relies on)', async () => {
    vi.stubEnv('WEIGHTPRINT_BUILTIN_REGISTRY', join(tmp.dir, 'not-there'));
    await expect(runCheck({ models: [model] })).rejects.toThrow(
      new InputError(
        'registry',
        'nothing to compare with: no registry was given and the built-in registry was not found at ' +
          `WEIGHTPRINT_BUILTIN_REGISTRY=${join(tmp.dir, 'not-there')}`,
      ),
    );
  });

  it('the built-in registry alone still checks', async () => {
    const [r] = await runCheck({ models: [model] });
    expect(r!.registry!.entries).toBeGreaterThan(0);
  });
});
