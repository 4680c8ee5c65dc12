/**
 * The LFS range path against a hostile pull request and a hostile or sloppy server. The PR author
 * writes the pointer files (size, oid, which file points where); the servers here answer what a
 * lenient or broken LFS implementation might: sizes echoed from the request, Content-Range missing
 * or shifted or with an unknown total, bodies longer than asked, links already expired, hrefs and
 * redirects to other hosts. Each case must end in one InputError naming the pointer file, or in
 * the real object's bytes; never a pass on bytes nobody checked, never the token on another host,
 * and a bounded number of requests.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { LfsSession } from '../../src/formats/lfs-source.js';
import { type RepoFiles, shardedRepo, smallRepo, writeRepo } from './hub-fixtures.js';

const TOKEN = 'ghs_hostile_lfs_token';
const BASIC = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
const http = { backoffMs: 1, maxBackoffMs: 2, timeoutMs: 2_000, attempts: 2 };

interface Seen {
  host: 'batch' | 'storage' | 'elsewhere';
  method: string;
  url: string;
  authorization?: string;
  range?: string;
}

/** How the servers misbehave (all off: a correct server). */
interface Behaviour {
  /** Batch: issue links whatever size the pointer claims, echoing it (a lenient server). */
  anySize?: boolean;
  /** Batch: report the object's real size in the answer. */
  realSize?: boolean;
  /** Batch: `expires_in` of every link. */
  expiresIn?: number;
  /** Batch: the endpoint answers 307 to the same path on another host. */
  batchRedirect?: boolean;
  /** Storage: answers with a 302 to the `elsewhere` host, which serves the object too. */
  storageRedirect?: boolean;
  /** Storage: how a 206 states its range. */
  contentRange?: 'exact' | 'none' | 'unknown-total' | 'shifted';
  /** Storage: one byte more than asked. */
  overlong?: boolean;
}

let tmp: string;
let behaviour: Behaviour = {};
const seen: Seen[] = [];
const objects = new Map<string, Uint8Array>();
const servers: Server[] = [];
let batchUrl = '';
let storageUrl = '';
let elsewhereUrl = '';
let n = 0;

function listen(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function record(host: Seen['host'], req: IncomingMessage): void {
  seen.push({
    host,
    method: req.method ?? 'GET',
    url: req.url ?? '',
    authorization: req.headers.authorization,
    range: req.headers.range,
  });
}

function serveObject(req: IncomingMessage, res: ServerResponse, oid: string): void {
  const obj = objects.get(oid);
  if (!obj) {
    res.writeHead(404).end();
    return;
  }
  const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (!m) {
    res.writeHead(200, { 'content-length': String(obj.length) }).end(obj);
    return;
  }
  const start = Number(m[1]);
  const end = Math.min(Number(m[2]), obj.length - 1);
  if (start > end) {
    res.writeHead(416).end();
    return;
  }
  let body = obj.subarray(start, end + 1);
  if (behaviour.overlong) body = obj.subarray(start, Math.min(obj.length, end + 2));
  const headers: Record<string, string> = { 'content-length': String(body.length) };
  const cr = behaviour.contentRange ?? 'exact';
  if (cr === 'exact') headers['content-range'] = `bytes ${start}-${end}/${obj.length}`;
  if (cr === 'unknown-total') headers['content-range'] = `bytes ${start}-${end}/*`;
  if (cr === 'shifted') headers['content-range'] = `bytes ${start + 1}-${end + 1}/${obj.length}`;
  res.writeHead(206, headers).end(body);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wp-lfs-hostile-'));
  elsewhereUrl = await listen((req, res) => {
    record('elsewhere', req);
    const oid = /\/objects\/([0-9a-f]{64})/.exec(req.url ?? '')?.[1] ?? '';
    serveObject(req, res, oid);
  });
  storageUrl = await listen((req, res) => {
    record('storage', req);
    const oid = /\/objects\/([0-9a-f]{64})/.exec(req.url ?? '')?.[1] ?? '';
    if (req.headers.authorization !== `RemoteAuth ${oid.slice(0, 8)}`) {
      res.writeHead(403).end();
      return;
    }
    if (behaviour.storageRedirect) {
      res.writeHead(302, { location: `${elsewhereUrl}/objects/${oid}` }).end();
      return;
    }
    serveObject(req, res, oid);
  });
  batchUrl = await listen((req, res, raw) => {
    record('batch', req);
    if (behaviour.batchRedirect && !req.url?.startsWith('/moved')) {
      res.writeHead(307, { location: `${elsewhereUrl}/moved${req.url}` }).end();
      return;
    }
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401).end('{"message":"Credentials needed"}');
      return;
    }
    const body = JSON.parse(raw.toString('utf8')) as { objects: Array<{ oid: string; size: number }> };
    const answer = body.objects.map((o) => {
      const obj = objects.get(o.oid);
      if (!obj || (!behaviour.anySize && obj.length !== o.size))
        return { oid: o.oid, size: o.size, error: { code: 404, message: 'Object does not exist' } };
      return {
        oid: o.oid,
        size: behaviour.realSize ? obj.length : o.size,
        actions: {
          download: {
            href: `${storageUrl}/objects/${o.oid}`,
            header: { Authorization: `RemoteAuth ${o.oid.slice(0, 8)}` },
            expires_in: behaviour.expiresIn ?? 3600,
          },
        },
      };
    });
    res.writeHead(200, { 'content-type': 'application/vnd.git-lfs+json' }).end(JSON.stringify({ objects: answer }));
  });
});

afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  await rm(tmp, { recursive: true, force: true });
});

afterEach(() => {
  behaviour = {};
  seen.length = 0;
});

const session = () => new LfsSession({ url: `${batchUrl}/acme/models.git/info/lfs`, token: TOKEN, http });

function store(bytes: Uint8Array): string {
  const oid = createHash('sha256').update(bytes).digest('hex');
  objects.set(oid, bytes);
  return oid;
}

const pointerText = (oid: string, size: number | string) =>
  `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;

/** A generated model whose weights file is replaced by `pointer(oid, realSize)`. */
async function pointerModel(pointer: (oid: string, size: number) => string): Promise<{ dir: string; file: string }> {
  const files: RepoFiles = smallRepo(300 + ++n);
  const weights = files['model.safetensors'] as Uint8Array;
  const oid = store(weights);
  const dir = await writeRepo(join(tmp, `m${n}`), { ...files, 'model.safetensors': pointer(oid, weights.length) });
  return { dir, file: join(dir, 'model.safetensors') };
}

async function failure(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'must fail').toBeInstanceOf(InputError);
  expect((err as Error).message).not.toMatch(/[\r\n]/);
  return err as InputError;
}

function expectTokenOnlyAtBatch(): void {
  for (const s of seen) {
    if (s.host === 'batch') continue;
    expect(s.authorization ?? '', `${s.host} ${s.url}`).not.toContain(
      Buffer.from(`x-access-token:${TOKEN}`).toString('base64'),
    );
    expect(s.authorization ?? '').not.toContain(TOKEN);
  }
}

describe('pointer files that lie about their object', () => {
  it('a size below the real one (auto picks full): the lenient server is caught by Content-Range', async () => {
    behaviour = { anySize: true };
    const { dir, file } = await pointerModel((oid, size) => pointerText(oid, size - 64));
    const e = await failure(loadFingerprint(dir, { mode: 'auto', lfs: session() }));
    expect(e.source).toBe(file);
    expect(e.problem).toMatch(/answered bytes "bytes 0-\d+\/\d+" to a request for 0-\d+\/\d+: response rejected/);
  });

  it('a size below the real one and no total in Content-Range: the oid check of the full read fails', async () => {
    behaviour = { anySize: true, contentRange: 'unknown-total' };
    const { dir, file } = await pointerModel((oid, size) => pointerText(oid, size - 64));
    const e = await failure(loadFingerprint(dir, { mode: 'auto', lfs: session() }));
    expect(e.source).toBe(file);
    // the safetensors header names more data than the claimed size holds, or the digest differs
    expect(e.problem).toMatch(/run past the data area|tensors end at|hash to sha256:|truncated/);
  });

  it('a size of 3 GiB for a small object (auto would pick a sketch): refused, never sketched', async () => {
    for (const contentRange of ['exact', 'unknown-total'] as const) {
      behaviour = { anySize: true, contentRange };
      const { dir, file } = await pointerModel((oid) => pointerText(oid, 3 * 1024 ** 3));
      const e = await failure(loadFingerprint(dir, { mode: 'auto', lfs: session() }));
      expect(e.source).toBe(file);
      expect(e.problem).toMatch(/response rejected|trailing byte|range not satisfiable|runs past/);
    }
  });

  it('the batch answer names another size than the pointer: malformed answer, naming the file', async () => {
    behaviour = { anySize: true, realSize: true };
    const { dir, file } = await pointerModel((oid, size) => pointerText(oid, size + 1));
    const e = await failure(loadFingerprint(dir, { mode: 'sample', lfs: session() }));
    expect(e.source).toBe(file);
    expect(e.problem).toMatch(/malformed answer \(object [0-9a-f]{64} has size \d+, the pointer says \d+\)/);
  });

  it('malformed pointers (odd oid case or length, other hash, negative, fractional, huge or zero size)', async () => {
    const cases: Array<[string, (oid: string, size: number) => string, RegExp]> = [
      ['upper-case oid', (oid, size) => pointerText(oid.toUpperCase(), size), /Git LFS pointer/],
      ['63-digit oid', (oid, size) => pointerText(oid.slice(1), size), /only sha256 oids are defined/],
      ['65-digit oid', (oid, size) => pointerText(`${oid}0`, size), /only sha256 oids are defined/],
      [
        'sha1 oid',
        (oid, size) => pointerText(oid, size).replace('sha256:', 'sha1:').replace(oid, oid.slice(0, 40)),
        /only sha256 oids are defined/,
      ],
      ['negative size', (oid) => pointerText(oid, '-5'), /Git LFS pointer/],
      ['fractional size', (oid, size) => pointerText(oid, `${size}.5`), /Git LFS pointer/],
      ['exponent size', (oid) => pointerText(oid, '1e3'), /Git LFS pointer/],
      ['size past 2^53', (oid) => pointerText(oid, '9007199254740993'), /Git LFS pointer/],
      ['zero size', (oid) => pointerText(oid, 0), /Object does not exist|shorter than|0 bytes/],
    ];
    for (const [what, pointer, problem] of cases) {
      const { dir, file } = await pointerModel(pointer);
      const e = await failure(loadFingerprint(dir, { mode: 'auto', lfs: session() }));
      expect(e.source, what).toBe(file);
      expect(e.problem, what).toMatch(problem);
    }
  });

  it('a malformed oid among many pointers is named as its own file, before any batch request', async () => {
    const good = await pointerModel((oid, size) => pointerText(oid, size));
    const bad = await pointerModel((oid, size) => pointerText(oid.slice(0, 40), size).replace('sha256:', 'sha1:'));
    const lfs = session();
    const e = await failure(
      lfs.prefetch([
        { file: good.file, pointer: { oid: `sha256:${'a'.repeat(64)}`, size: 1 } },
        { file: bad.file, pointer: { oid: `sha1:${'b'.repeat(40)}`, size: 1 } },
      ]),
    );
    expect(e.source).toBe(bad.file);
    expect(e.problem).toMatch(/only sha256 oids are defined/);
    expect(seen.filter((s) => s.host === 'batch')).toHaveLength(0);
  });

  it('two pointer files naming one oid with different sizes: the lie is refused, not read as the truth', async () => {
    behaviour = { anySize: true };
    const files: RepoFiles = smallRepo(390);
    const weights = files['model.safetensors'] as Uint8Array;
    const oid = store(weights);
    const a = await writeRepo(join(tmp, 'dup-a'), { ...files, 'model.safetensors': pointerText(oid, weights.length) });
    const b = await writeRepo(join(tmp, 'dup-b'), {
      ...files,
      'model.safetensors': pointerText(oid, weights.length + 4096),
    });
    const lfs = session();
    await lfs.prefetch([
      { file: join(a, 'model.safetensors'), pointer: { oid: `sha256:${oid}`, size: weights.length } },
      { file: join(b, 'model.safetensors'), pointer: { oid: `sha256:${oid}`, size: weights.length + 4096 } },
    ]);
    const good = await loadFingerprint(a, { mode: 'full', lfs });
    expect(good.source.verified).toBeDefined();
    const e = await failure(loadFingerprint(b, { mode: 'auto', lfs }));
    expect(e.source).toBe(join(b, 'model.safetensors'));
  });

  it('a pointer file reached through a symlink out of the model directory is refused', async () => {
    const { dir } = await pointerModel((oid, size) => pointerText(oid, size));
    const other = join(tmp, `linked-${++n}`);
    await mkdir(other);
    for (const f of ['config.json', 'tokenizer.json']) await writeFile(join(other, f), '{}');
    await symlink(join(dir, 'model.safetensors'), join(other, 'model.safetensors'));
    const e = await failure(loadFingerprint(other, { mode: 'full', lfs: session() }));
    expect(e.source).toBe(join(other, 'model.safetensors'));
  });
});

describe('a model partly in LFS, partly plain', () => {
  it('plain and LFS shards read together; the report says which the oid verified; a lie in one fails it', async () => {
    const files = shardedRepo(391, 3);
    const shards = Object.keys(files).filter((f) => f.endsWith('.safetensors'));
    const real = await writeRepo(join(tmp, 'mixed-real'), files);
    const mixed: RepoFiles = { ...files };
    const lfsShard = shards[1]!;
    const bytes = files[lfsShard] as Uint8Array;
    mixed[lfsShard] = pointerText(store(bytes), bytes.length);
    const dir = await writeRepo(join(tmp, 'mixed'), mixed);
    const local = await loadFingerprint(real, { mode: 'full' });
    const remote = await loadFingerprint(dir, { mode: 'auto', lfs: session() });
    expect(remote.tensors).toEqual(local.tensors);
    expect(remote.source.verified).toBe('sha256 (Git LFS oid) of 1 of 3 weight files');
    // the LFS shard's pointer claiming one byte less: the whole model fails, naming that shard
    behaviour = { anySize: true };
    mixed[lfsShard] = pointerText(store(bytes), bytes.length - 1);
    const lying = await writeRepo(join(tmp, 'mixed-lying'), mixed);
    const e = await failure(loadFingerprint(lying, { mode: 'auto', lfs: session() }));
    expect(e.source).toBe(join(lying, lfsShard));
  });
});

describe('storage answers that must not be believed', () => {
  it('206 without Content-Range, a shifted Content-Range, a body longer than asked: one line each', async () => {
    for (const [b, problem] of [
      [{ contentRange: 'none' }, /answered bytes "" to a request for/],
      [{ contentRange: 'shifted' }, /answered bytes "bytes 1-\d+\/\d+" to a request for 0-/],
      [{ overlong: true }, /response of \d+ bytes exceeds the \d+ expected/],
    ] as Array<[Behaviour, RegExp]>) {
      behaviour = b;
      const { dir, file } = await pointerModel((oid, size) => pointerText(oid, size));
      const e = await failure(loadFingerprint(dir, { mode: 'full', lfs: session() }));
      expect(e.source).toBe(file);
      expect(e.problem).toMatch(problem);
    }
  });

  it('links that are expired when issued cost one renewal per read, not a loop', async () => {
    behaviour = { expiresIn: -60 };
    const { dir } = await pointerModel((oid, size) => pointerText(oid, size));
    const doc = await loadFingerprint(dir, { mode: 'full', lfs: session() });
    expect(doc.source.verified).toBeDefined();
    const batch = seen.filter((s) => s.host === 'batch').length;
    const ranges = seen.filter((s) => s.host === 'storage').length;
    expect(ranges).toBeGreaterThan(0);
    expect(batch).toBeLessThanOrEqual(ranges + 1);
  });

  it('a storage redirect to a third host: the link credentials and the token stay behind', async () => {
    behaviour = { storageRedirect: true };
    const { dir } = await pointerModel((oid, size) => pointerText(oid, size));
    const doc = await loadFingerprint(dir, { mode: 'full', lfs: session() });
    expect(doc.source.verified).toBeDefined();
    const away = seen.filter((s) => s.host === 'elsewhere');
    expect(away.length).toBeGreaterThan(0);
    expect(away.every((s) => s.authorization === undefined)).toBe(true);
    expectTokenOnlyAtBatch();
  });

  it('a batch endpoint that redirects (307) to another host never sends it the token', async () => {
    behaviour = { batchRedirect: true };
    const { dir, file } = await pointerModel((oid, size) => pointerText(oid, size));
    const e = await failure(loadFingerprint(dir, { mode: 'full', lfs: session() }));
    expect(e.source).toBe(file);
    expect(e.problem).toMatch(
      /redirected to another host, which answered HTTP 404 \(the token is sent to http:\/\/127/,
    );
    const away = seen.filter((s) => s.host === 'elsewhere');
    expect(away.length).toBeGreaterThan(0);
    expectTokenOnlyAtBatch();
  });
});
