/**
 * A registry entry that cannot be used (tampered, missing, unreadable, unreachable, malformed in
 * the index) never silently drops out of a check: it is listed in `registry.errors`, the model
 * cannot be `independent`, the policy fails unless it says `registry-errors: warn`, and a check
 * in which no entry could be read at all is bad input (exit 2).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { InputError } from '../../src/errors.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { parsePolicy } from '../../src/policy/load.js';
import { addEntry } from '../../src/registry/index.js';
import { renderCheckMarkdown } from '../../src/report/markdown.js';
import { independent, withCard } from '../../src/synth/derive.js';
import { writeModelDir } from '../../src/synth/write.js';
import { base, fingerprintSynth, SMALL, tempDir } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let model: string;
let fpA: FingerprintDocument;
let fpB: FingerprintDocument;
/** A pristine registry with two same-architecture entries, A and B; tests copy and damage it. */
let pristine: string;
let fileOf: Record<string, string>;

beforeAll(async () => {
  tmp = await tempDir('registry-errors');
  fpA = (await fingerprintSynth(tmp.dir, base(SMALL, 31, 'synth/a'), 'A')).fp;
  fpB = (await fingerprintSynth(tmp.dir, base(SMALL, 32, 'synth/b'), 'B')).fp;
  pristine = join(tmp.dir, 'pristine');
  fileOf = {
    a: (await addEntry(pristine, fpA, { id: 'hf:synth/a@main', license: 'MIT', family: 'synth' })).entry.file,
    b: (await addEntry(pristine, fpB, { id: 'hf:synth/b@main', license: 'MIT', family: 'synth' })).entry.file,
  };
  // trained from scratch on the same architecture: shortlisted against both entries by shape
  model = await writeModelDir(withCard(independent(SMALL, 33, 'synth/own'), 'synth/own'), join(tmp.dir, 'own'));
}, 300_000);

afterAll(async () => {
  await tmp.cleanup();
});

let copies = 0;
async function damaged(damage: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(tmp.dir, `reg-${copies++}`);
  await cp(pristine, dir, { recursive: true });
  await damage(dir);
  return dir;
}

const tamper = (file: string) => async (dir: string) => {
  const forged = { ...fpA, source: { ...fpA.source, id: 'forged' } };
  await writeFile(join(dir, file), gzipSync(Buffer.from(JSON.stringify(forged))));
};

async function check(registry: string, policy?: string) {
  const [r] = await runCheck({
    models: [model],
    registries: [registry],
    noBuiltin: true,
    policy: policy ? parsePolicy(policy, 'test-policy.yml') : undefined,
  });
  return r!;
}

describe('check with an intact registry', () => {
  it('the model trained from scratch is independent and passes, with no registry errors', async () => {
    const r = await check(pristine);
    expect(r.verdict).toBe('independent');
    expect(r.policy.result).toBe('pass');
    expect(r.registry).toEqual({ entries: 2, shortlisted: 2, compared: 2, errors: [] });
  });
});

describe('an entry that cannot be used keeps the verdict from independent', () => {
  it('a tampered entry (hash mismatch): inconclusive, policy fails, the entry and reason are listed', async () => {
    const r = await check(await damaged(tamper(fileOf.a!)));
    expect(r.registry!.errors).toEqual([
      { entry: 'hf:synth/a@main', reason: expect.stringMatching(/SHA-256 of .* \(corrupted or tampered\)$/) },
    ]);
    expect(r.registry!.compared).toBe(1);
    expect(r.verdict).toBe('inconclusive');
    expect(r.policy.result).toBe('fail');
    const expected =
      'fail (registry-errors): 1 registry entry could not be read, ' +
      'so the model cannot be called independent: hf:synth/a@main (SHA-256';
    expect(r.policy.reasons[0]?.slice(0, expected.length)).toBe(expected);
    for (const e of r.registry!.errors) expect(e.reason).not.toMatch(/[\r\n]/);
  });

  it('`registry-errors: warn` turns the failure into a warning; the verdict stays inconclusive', async () => {
    const r = await check(await damaged(tamper(fileOf.a!)), 'registry-errors: warn\n');
    expect(r.verdict).toBe('inconclusive');
    expect(r.policy.result).toBe('warn');
    expect(r.policy.reasons[0]).toMatch(/^warn \(registry-errors\): /);
  });

  it('a policy may not ignore registry errors', () => {
    expect(() => parsePolicy('registry-errors: ignore\n', 'p.yml')).toThrow(
      /p\.yml: registry-errors: must be fail or warn/,
    );
    // a policy that lists its own fail-on categories still fails on registry errors
    expect(parsePolicy('fail-on: [derived-undeclared]\n', 'p.yml').registryErrors).toBe('fail');
  });

  it('a missing entry file and an unreadable one (a directory in its place) are errors too', async () => {
    const missing = await check(await damaged((dir) => rm(join(dir, fileOf.b!))));
    expect(missing.registry!.errors).toEqual([
      { entry: 'hf:synth/b@main', reason: expect.stringMatching(/is missing$/) },
    ]);
    expect(missing.verdict).toBe('inconclusive');
    expect(missing.policy.result).toBe('fail');

    const unreadable = await check(
      await damaged(async (dir) => {
        await rm(join(dir, fileOf.b!));
        await mkdir(join(dir, fileOf.b!));
      }),
    );
    expect(unreadable.registry!.errors).toEqual([
      { entry: 'hf:synth/b@main', reason: expect.stringMatching(/cannot read \(EISDIR\)/) },
    ]);
    expect(unreadable.verdict).toBe('inconclusive');
  });

  it('an entry whose contents are not a valid fingerprint is an error, not a crash', async () => {
    const r = await check(
      await damaged(async (dir) => {
        const bytes = gzipSync(Buffer.from(JSON.stringify({ schema: 'weightprint.fingerprint/1', tensors: 7 })));
        await writeFile(join(dir, fileOf.b!), bytes);
        const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
        const { createHash } = await import('node:crypto');
        for (const e of index.entries)
          if (e.id === 'hf:synth/b@main') e.sha256 = createHash('sha256').update(bytes).digest('hex');
        await writeFile(join(dir, 'index.json'), JSON.stringify(index));
      }),
    );
    expect(r.registry!.errors.map((e) => e.entry)).toEqual(['hf:synth/b@main']);
    expect(r.verdict).toBe('inconclusive');
  });

  it('a malformed row in the index is listed for every check (it might have matched)', async () => {
    const r = await check(
      await damaged(async (dir) => {
        const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
        index.entries.push({ ...index.entries[0], id: 'hf:synth/c@main', sha256: 'not-a-hash' });
        await writeFile(join(dir, 'index.json'), JSON.stringify(index));
      }),
    );
    expect(r.registry!.errors).toEqual([
      {
        entry: 'hf:synth/c@main',
        reason: expect.stringMatching(/malformed index entry .*"sha256" must be 64 hex digits/),
      },
    ]);
    expect(r.verdict).toBe('inconclusive');
    expect(r.policy.result).toBe('fail');
  });

  it('the markdown and the terminal summary show the registry errors', async () => {
    const r = await check(await damaged(tamper(fileOf.a!)));
    const md = renderCheckMarkdown([r]);
    expect(md).toMatch(/### .*: ⬜ inconclusive · policy ❌ fail/);
    expect(md).toMatch(/\*\*Registry errors:\*\* 1 entry could not be read and was not compared/);
    expect(md).toMatch(/^- `hf:synth\/a@main`: .*corrupted or tampered/m);
  });
});

describe('unreachable entries behind a URL', () => {
  let server: Server;
  let url: string;
  let root: string;
  beforeAll(async () => {
    root = await damaged(async () => {});
    server = createServer(async (req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^\/+/, '');
      // entry A's file is gone from the server (410 Gone), B is served
      if (path === fileOf.a) {
        res.writeHead(410);
        res.end();
        return;
      }
      try {
        const body = await readFile(join(root, path));
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      } catch {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('an entry the server no longer serves: listed, inconclusive, fail', async () => {
    const r = await check(url);
    expect(r.registry!.errors).toEqual([{ entry: 'hf:synth/a@main', reason: expect.stringMatching(/is missing$/) }]);
    expect(r.verdict).toBe('inconclusive');
    expect(r.policy.result).toBe('fail');
  });
});

describe('no entry could be read at all', () => {
  it('is bad input: runCheck throws an InputError naming the model, the CLI exits 2', async () => {
    const reg = await damaged(async (dir) => {
      await tamper(fileOf.a!)(dir);
      await rm(join(dir, fileOf.b!));
    });
    const err = await runCheck({ models: [model], registries: [reg], noBuiltin: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(
      /no registry entry could be read \(2 needed, all failed; first: hf:synth\/[ab]@main: /,
    );
    // the CLI turns an InputError into its one line and exit 2
    const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(checkCommand([model, '--registry', reg, '--no-builtin', '-q'])).rejects.toThrow(
        /no registry entry could be read/,
      );
    } finally {
      o.mockRestore();
    }
  });
});
