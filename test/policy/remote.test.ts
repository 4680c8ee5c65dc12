/**
 * `policy: https://…` (a consortium's shared policy): fetched with the registries' HTTP client,
 * size-capped, optionally pinned by `#sha256=`, and every failure one line naming the URL.
 * Local policy files must be regular files of policy size (a symlink to /dev/zero is not one).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { InputError } from '../../src/errors.js';
import { loadPolicy, MAX_POLICY_BYTES } from '../../src/policy/load.js';
import { tempDir } from '../registry/fixtures.js';

const POLICY = `version: 1
fail-on: [derived-undeclared, identical-undeclared, tokenizer-reuse]
warn-on: [derived-declared]
min-confidence: 0.95
`;
const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

let server: Server;
let url: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url!);
    const path = new URL(req.url!, 'http://x').pathname;
    if (path === '/weightprint/policy.yml') {
      res.writeHead(200, { 'content-type': 'application/yaml', 'content-length': Buffer.byteLength(POLICY) });
      res.end(POLICY);
    } else if (path === '/huge.yml') {
      // no Content-Length: the cap must hold while streaming
      res.writeHead(200, { 'content-type': 'application/yaml' });
      const line = `# ${'x'.repeat(1022)}\n`;
      for (let i = 0; i < (2 * MAX_POLICY_BYTES) / 1024; i++) res.write(line);
      res.end();
    } else if (path === '/gzip.yml') {
      const body = gzipSync(Buffer.from(POLICY));
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
    } else if (path === '/binary.yml') {
      res.writeHead(200);
      res.end(Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    } else if (path === '/bad.yml') {
      res.writeHead(200);
      res.end('fail-on: [derived-undeclard]\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  const message = (err as InputError).message;
  expect(message).not.toMatch(/\n/);
  return message;
}

describe('a policy given as a URL', () => {
  it('is fetched and parsed; its source is the URL', async () => {
    const p = await loadPolicy(`${url}/weightprint/policy.yml`);
    expect(p.source).toBe(`${url}/weightprint/policy.yml`);
    expect(p.failOn).toEqual(['derived-undeclared', 'identical-undeclared', 'tokenizer-reuse']);
    expect(p.minConfidence).toBe(0.95);
  });

  it('a #sha256= pin that matches is accepted (and the fragment is not sent)', async () => {
    requests.length = 0;
    const p = await loadPolicy(`${url}/weightprint/policy.yml#sha256=${sha(POLICY).toUpperCase()}`);
    expect(p.failOn).toContain('tokenizer-reuse');
    expect(requests).toEqual(['/weightprint/policy.yml']);
  });

  it('a pin that does not match is a clear error', async () => {
    const wrong = sha('something else');
    expect(await failure(loadPolicy(`${url}/weightprint/policy.yml#sha256=${wrong}`))).toBe(
      `${url}/weightprint/policy.yml: SHA-256 of the policy is ${sha(POLICY)}, ` +
        `the #sha256= pin says ${wrong}: refusing a policy that changed`,
    );
    expect(await failure(loadPolicy(`${url}/weightprint/policy.yml#sha1=abc`))).toMatch(
      /policy\.yml: the only URL fragment a policy takes is #sha256=<64 hex digits>$/,
    );
  });

  it('not found, too large, not text, invalid: one line naming the URL', async () => {
    expect(await failure(loadPolicy(`${url}/nope.yml`))).toBe(`${url}/nope.yml: not found (HTTP 404)`);
    expect(await failure(loadPolicy(`${url}/huge.yml`))).toMatch(
      new RegExp(`^${url}/huge\\.yml: response exceeds the ${MAX_POLICY_BYTES} bytes expected`),
    );
    expect(await failure(loadPolicy(`${url}/binary.yml`))).toBe(`${url}/binary.yml: is not UTF-8 text`);
    expect(await failure(loadPolicy(`${url}/bad.yml`))).toMatch(/bad\.yml: fail-on\[0\]: unknown category/);
  });

  it('a gzip-encoded response is decoded', async () => {
    const p = await loadPolicy(`${url}/gzip.yml`);
    expect(p.failOn).toContain('tokenizer-reuse');
  });

  it('plain http:// to another host needs a pin; other schemes are refused', async () => {
    expect(await failure(loadPolicy('http://policy.example.org/p.yml'))).toMatch(
      /^http:\/\/policy\.example\.org\/p\.yml: a policy over plain http:\/\/ can be altered in transit/,
    );
    expect(await failure(loadPolicy('ftp://policy.example.org/p.yml'))).toMatch(/policy URLs must be https:\/\//);
  });
});

describe('check with a policy URL', () => {
  it('runCheck (CLI, Action, App) loads a URL policy through the remote loader, pin included', async () => {
    const wrong = sha('not the policy');
    const e = await failure(
      runCheck({ models: ['never-opened'], noBuiltin: true, policy: `${url}/weightprint/policy.yml#sha256=${wrong}` }),
    );
    expect(e).toMatch(/policy\.yml: SHA-256 of the policy is [0-9a-f]{64}, the #sha256= pin says/);
  });
});

describe('a local policy file', () => {
  it('a symlink to /dev/zero or a file over the cap is refused, quickly and in one line', async () => {
    const tmp = await tempDir('policy');
    try {
      const zero = join(tmp.dir, 'zero.yml');
      await symlink('/dev/zero', zero);
      expect(await failure(loadPolicy(zero))).toBe(`${zero}: is not a regular file`);
      const big = join(tmp.dir, 'big.yml');
      await writeFile(big, `#${'x'.repeat(MAX_POLICY_BYTES)}\n`);
      expect(await failure(loadPolicy(big))).toMatch(/big\.yml: is \d+ bytes, more than the 1048576 a policy may have/);
      expect(await failure(loadPolicy(join(tmp.dir, 'none.yml')))).toMatch(/none\.yml: no such file$/);
    } finally {
      await tmp.cleanup();
    }
  });
});
