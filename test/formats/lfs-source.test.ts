/**
 * Git LFS objects read by range through the batch API (formats/lfs-source.ts, net/lfs.ts) from
 * the loopback LFS server: a checkout of pointer files opens and fingerprints exactly as the real
 * files do, in full (with the oid verified) and as a sketch; links that expire by use are renewed;
 * the token never reaches the storage host; and every failure is one InputError naming the file.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { parseLfsPointer } from '../../src/formats/lfs.js';
import { LfsSession } from '../../src/formats/lfs-source.js';
import { openModel } from '../../src/formats/model.js';
import { LfsBatchUnavailable, lfsEndpointFor } from '../../src/net/lfs.js';
import { type LfsServerOptions, LfsServer } from '../helpers/lfs-server.js';
import { type RepoFiles, shardedRepo, smallRepo, writeRepo } from './hub-fixtures.js';
import { encodePyTorch } from '../../src/formats/pytorch/writer.js';
import { makeBase, textSpec } from '../../src/synth/model.js';
import { hfToGguf } from '../../src/synth/to-gguf.js';
import { tensorsToWrite } from '../../src/synth/write.js';

const TOKEN = 'ghs_lfs_job_token';
/** Fast retries: no test waits for a backoff. */
const http = { backoffMs: 1, maxBackoffMs: 2, timeoutMs: 2_000 };

let tmp: string;
let server: LfsServer;
let n = 0;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wp-lfs-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  await server?.close();
  server = await LfsServer.start({ token: TOKEN });
});

async function restart(opts: LfsServerOptions): Promise<void> {
  await server.close();
  server = await LfsServer.start({ token: TOKEN, ...opts });
}

/** Writes `files` twice: as they are, and as a checkout whose `lfs` files are pointers served by the server. */
async function checkout(files: RepoFiles, lfs: (name: string) => boolean): Promise<{ real: string; pointers: string }> {
  const id = ++n;
  const real = await writeRepo(join(tmp, `real-${id}`), files);
  const pointers: RepoFiles = {};
  for (const [name, content] of Object.entries(files)) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    pointers[name] = lfs(name) ? server.add({ bytes }).pointer : content;
  }
  return { real, pointers: await writeRepo(join(tmp, `ptr-${id}`), pointers) };
}

const session = (over: Partial<ConstructorParameters<typeof LfsSession>[0]> = {}) =>
  new LfsSession({ url: server.endpoint(), token: TOKEN, http, ...over });

/** Everything but where the bytes came from. */
function content(doc: FingerprintDocument) {
  const { source: _s, ...rest } = doc;
  return rest;
}

async function failure(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).not.toContain('\n');
  return err as InputError;
}

describe('LFS objects read by range', () => {
  it('a checkout of pointers fingerprints like the real files, full (oid verified) and as a sketch', async () => {
    const { real, pointers } = await checkout(
      smallRepo(5),
      (f) => f.endsWith('.safetensors') || f === 'tokenizer.json',
    );
    const lfs = session();
    for (const mode of ['full', 'sample'] as const) {
      const local = await loadFingerprint(real, { mode });
      const remote = await loadFingerprint(pointers, { mode, lfs });
      expect(content(remote)).toEqual(content(local));
      expect(remote.tokenizer).toBeDefined(); // tokenizer.json came from LFS, checked against its oid
      if (mode === 'full') {
        expect(remote.source.verified).toBe('sha256 (Git LFS oid) of 1 of 1 weight file');
        expect(remote.source.bytesRead).toBe(remote.source.totalBytes);
      } else {
        expect(remote.source.verified).toBeUndefined();
        // a sketch reads tensors of up to 2^18 elements whole (exact digests), and this small
        // model has no larger one; the share of a large model is asserted with the sparse model
        expect(remote.tensors.every((t) => t.sha256 !== undefined)).toBe(true);
        expect(remote.source.bytesRead).toBeLessThanOrEqual(remote.source.totalBytes);
      }
    }
    // Batch API with the token; storage with the link's own credentials, never the token.
    const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
    expect(server.requests('batch').every((r) => r.authorization === basic)).toBe(true);
    const storage = server.requests('storage');
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.every((r) => r.status === 206 && /^RemoteAuth [0-9a-f]{16}$/.test(r.authorization ?? ''))).toBe(
      true,
    );
    expect(JSON.stringify(server.log)).not.toContain(TOKEN);
    // Links are reused across reads: one batch request per object and pass, not per read.
    expect(server.requests('batch').length).toBeLessThanOrEqual(4);
  });

  it('a sharded model (plain index, LFS shards) opens shard by shard, one batch request for all', async () => {
    const { real, pointers } = await checkout(shardedRepo(6, 3), (f) => f.endsWith('.safetensors'));
    const lfs = session();
    const files = ['1', '2', '3'].map((i) => {
      const file = join(pointers, `model-0000${i}-of-00003.safetensors`);
      return { file, pointer: parseLfsPointer(readFileSync(file, 'utf8'))! };
    });
    await lfs.prefetch(files);
    expect(server.requests('batch')).toHaveLength(1);
    expect(server.requests('batch')[0]!.oids).toHaveLength(3);
    const local = await loadFingerprint(real, { mode: 'full' });
    const remote = await loadFingerprint(pointers, { mode: 'full', lfs });
    expect(content(remote)).toEqual(content(local));
    expect(remote.source.verified).toBe('sha256 (Git LFS oid) of 3 of 3 weight files');
    expect(server.requests('batch')).toHaveLength(1);
  });

  it('links that expire after N uses, or after T storage requests, are renewed through the batch API', async () => {
    for (const opts of [{ linkUses: 3 }, { linkLifetime: 5 }]) {
      await restart(opts);
      const { real, pointers } = await checkout(smallRepo(7), (f) => f.endsWith('.safetensors'));
      // small chunks: many requests on a small model (moments are summed per chunk: same size both sides)
      const chunkSize = 64 * 1024;
      const remote = await loadFingerprint(pointers, { mode: 'full', lfs: session(), chunkSize });
      expect(content(remote)).toEqual(content(await loadFingerprint(real, { mode: 'full', chunkSize })));
      const refused = server.requests('storage').filter((r) => r.status === 403).length;
      expect(refused).toBeGreaterThan(0);
      expect(server.requests('batch').length).toBeGreaterThan(1);
      expect(remote.source.verified).toMatch(/^sha256 \(Git LFS oid\)/);
    }
  });

  it('reads a large object in chunks with a few requests in flight, and counts what crossed the network', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 5);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const { oid, size, pointer } = server.add({ bytes });
    const src = await session().open('big.bin', parseLfsPointer(pointer)!);
    expect(src.size).toBe(size);
    const parts: Uint8Array[] = [];
    for await (const chunk of src.stream(0, size, 256 * 1024)) parts.push(chunk);
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
    expect(parts).toHaveLength(Math.ceil(size / (256 * 1024)));
    expect(src.bytesRead()).toBe(size);
    expect(server.bytesServed(oid)).toBe(size);
    // a range in the middle, exactly
    expect(Buffer.from(await src.read(1_000_000, 10)).equals(Buffer.from(bytes.subarray(1_000_000, 1_000_010)))).toBe(
      true,
    );
    await expect(src.read(size - 1, 2)).rejects.toThrow(/^big\.bin: truncated/);
  });

  it('PyTorch and GGUF files in LFS: the same fingerprints, full reads verified, header gaps filled', async () => {
    const model = makeBase({ text: textSpec() }, 12);
    const tensors = tensorsToWrite(model);
    const f32 = tensors.filter((t) => t.dtype === 'F32');
    const gguf = hfToGguf(
      f32.map((t) => ({
        name: t.name,
        shape: t.shape,
        values: new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength)),
      })),
      { type: 'Q8_0', heads: 4, kvHeads: 4 },
    );
    for (const [name, bytes] of [
      ['pytorch_model.bin', encodePyTorch(tensors)],
      ['model.gguf', gguf],
    ] as const) {
      const { real, pointers } = await checkout({ [name]: bytes }, () => true);
      server.reset();
      const local = await loadFingerprint(join(real, name), { mode: 'full' });
      const remote = await loadFingerprint(join(pointers, name), { mode: 'full', lfs: session() });
      expect(content(remote)).toEqual(content(local));
      expect(remote.source.verified).toBe('sha256 (Git LFS oid) of 1 of 1 weight file');
      // every byte is hashed, and checking the oid costs next to nothing over the fingerprint's own reads
      // (the gaps between tensors, when the reader skipped them)
      expect(remote.source.bytesRead).toBeGreaterThanOrEqual(bytes.length);
      expect(server.bytesServed()).toBe(remote.source.bytesRead);
      expect(remote.source.bytesRead - Math.max(local.source.bytesRead, bytes.length)).toBeLessThan(64 * 1024);
    }
  });

  it('lfsEndpointFor handles .git and trailing slashes', () => {
    expect(lfsEndpointFor('https://ghe.example.com/o/r/')).toBe('https://ghe.example.com/o/r.git/info/lfs');
    expect(lfsEndpointFor('https://github.com/o/r.git')).toBe('https://github.com/o/r.git/info/lfs');
  });
});

describe('LFS failures fail closed, one line naming the file', () => {
  async function pointerCheckout() {
    const { pointers } = await checkout(smallRepo(100 + n), (f) => f.endsWith('.safetensors'));
    const text = readFileSync(join(pointers, 'model.safetensors'), 'utf8');
    return { dir: pointers, file: join(pointers, 'model.safetensors'), pointer: parseLfsPointer(text)! };
  }

  it('batch API 404 is "no batch API" (the Action falls back to git lfs pull); 403 and 500 name the file', async () => {
    const { dir, file, pointer } = await pointerCheckout();
    server.fault({ kind: 'batch-status', status: 404 });
    const e404 = await session()
      .prefetch([{ file, pointer }])
      .catch((e: unknown) => e);
    expect(e404).toBeInstanceOf(LfsBatchUnavailable);
    expect((e404 as LfsBatchUnavailable).status).toBe(404);

    server.reset();
    server.fault({ kind: 'batch-status', status: 403 });
    const e403 = await failure(loadFingerprint(dir, { mode: 'full', lfs: session() }));
    expect(e403.source).toBe(file);
    expect(e403.problem).toMatch(/LFS batch API at .* refused the token \(HTTP 403\)/);

    server.reset();
    server.fault({ kind: 'batch-status', status: 500 });
    const e500 = await failure(loadFingerprint(dir, { mode: 'full', lfs: session() }));
    expect(e500.source).toBe(file);
    expect(e500.problem).toMatch(/HTTP 500 after 6 attempts/);

    server.reset();
    server.fault({ kind: 'batch-json', body: { objects: 'nope' } });
    const bad = await failure(loadFingerprint(dir, { mode: 'full', lfs: session() }));
    expect(bad.problem).toMatch(/malformed answer \(no "objects" list\)/);

    // without the token: the batch API refuses an anonymous request
    server.reset();
    const anon = await failure(loadFingerprint(dir, { mode: 'full', lfs: session({ token: undefined }) }));
    expect(anon.problem).toMatch(/refused an anonymous request \(HTTP 401\)/);
  });

  it('a missing object, a link refused again and again, a short read, an ignored Range', async () => {
    const { dir, file, pointer } = await pointerCheckout();
    const oid = pointer.oid.slice('sha256:'.length);

    server.objects.delete(oid);
    const missing = await failure(loadFingerprint(dir, { mode: 'sample', lfs: session() }));
    expect(missing.source).toBe(file);
    expect(missing.problem).toMatch(/^Git LFS object sha256:[0-9a-f]{64} is not on the LFS server \(404 Object/);

    const { dir: dir2, pointer: p2 } = await pointerCheckout();
    const oid2 = p2.oid.slice('sha256:'.length);
    server.fault({ kind: 'refuse-links', oid: oid2 });
    const refused = await failure(loadFingerprint(dir2, { mode: 'sample', lfs: session() }));
    expect(refused.problem).toMatch(/refused 3 download links in a row .* \(last: HTTP 403\)/);
    expect(server.requests('batch').filter((r) => r.oids?.includes(oid2)).length).toBe(3);

    server.reset();
    server.fault({ kind: 'short', oid: oid2 });
    const short = await failure(loadFingerprint(dir2, { mode: 'full', lfs: session() }));
    expect(short.source).toBe(join(dir2, 'model.safetensors'));
    expect(short.problem).toMatch(/connection dropped mid-body .* after 6 attempts/);

    server.reset();
    server.fault({ kind: 'short', oid: oid2, times: 2 }); // transient: retried, then fine
    const ok = await loadFingerprint(dir2, { mode: 'full', lfs: session() });
    expect(ok.source.verified).toBeDefined();

    server.reset();
    server.fault({ kind: 'ignore-range', oid: oid2 });
    const ignored = await failure(loadFingerprint(dir2, { mode: 'sample', lfs: session() }));
    expect(ignored.problem).toMatch(/answered HTTP 200 instead of 206 to a Range request/);
    expect(oid).not.toBe(oid2);
  });

  it('other content than the oid names: a full read fails naming the file; a sketch cannot tell', async () => {
    const { dir, file, pointer } = await pointerCheckout();
    server.fault({ kind: 'corrupt', oid: pointer.oid.slice('sha256:'.length) });
    const bad = await failure(loadFingerprint(dir, { mode: 'full', lfs: session() }));
    expect(bad.source).toBe(file);
    expect(bad.problem).toMatch(
      /^the \d+ bytes served for Git LFS object sha256:[0-9a-f]{64} hash to sha256:[0-9a-f]{64}: the LFS storage sent/,
    );
    // the sketch reads a few rows; where the flipped bytes fall outside them it cannot tell
    const sketch = await loadFingerprint(dir, { mode: 'sample', lfs: session() });
    expect(sketch.source.verified).toBeUndefined();
  });

  it('side files and indexes stored in LFS are read whole, capped and checked against their oid', async () => {
    const { pointers } = await checkout(smallRepo(9), (f) => f === 'config.json');
    const model = await openModel(pointers, { lfs: session() });
    try {
      expect(JSON.parse((await model.readText('config.json'))!)).toHaveProperty('model_type');
    } finally {
      await model.close();
    }
    // a pointer claiming a 1 GiB tokenizer: refused before any byte is read
    await writeFile(
      join(pointers, 'tokenizer.json'),
      `version https://git-lfs.github.com/spec/v1\noid sha256:${'c'.repeat(64)}\nsize ${1024 ** 3}\n`,
    );
    const big = await openModel(pointers, { lfs: session() });
    try {
      const e = await failure(big.readText('tokenizer.json'));
      expect(e.problem).toMatch(/side file is a Git LFS object of 1073741824 bytes, more than the 67108864 read/);
    } finally {
      await big.close();
    }
    // corrupted config: refused by its oid
    const { pointers: p2 } = await checkout(smallRepo(10), (f) => f === 'config.json');
    const cfgOid = parseLfsPointer(readFileSync(join(p2, 'config.json'), 'utf8'))!.oid;
    server.fault({ kind: 'corrupt', oid: cfgOid.slice('sha256:'.length) });
    const m2 = await openModel(p2, { lfs: session() });
    try {
      const e = await failure(m2.readText('config.json'));
      expect(e.source).toBe(join(p2, 'config.json'));
      expect(e.problem).toMatch(/hash to sha256:/);
    } finally {
      await m2.close();
    }
  });

  it('without a resolver a pointer is still the error that says how to fetch it', async () => {
    const { dir } = await pointerCheckout();
    const e = await failure(loadFingerprint(dir, { mode: 'full' }));
    expect(e.problem).toMatch(/Git LFS pointer/);
  });
});
