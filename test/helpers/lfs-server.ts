/**
 * A loopback Git LFS server: the batch API (`POST <repo>.git/info/lfs/objects/batch`, HTTP Basic
 * `x-access-token:<token>` as GitHub takes it) on one host, object storage on a second host (as
 * GitHub's media host), with signed download links that expire by use, never by wall time: a
 * link stops working (403) after `linkUses` range requests on it, or after `linkLifetime` storage
 * requests of any link since it was issued. Objects are buffers or files read by range (a sparse
 * file of many GB costs no disk). Fault injection: batch API status codes, per-object errors,
 * links that are always refused, corrupted content, short bodies. Listens on 127.0.0.1 only.
 *
 * `handleBatch` can be mounted in another loopback server (the App's fake GitHub serves the batch
 * API on its own origin, where the repository's web URL points).
 */
import { createHash } from 'node:crypto';
import { createReadStream, openSync, closeSync, readSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LfsObjectSpec {
  /** The content, in memory ... */
  bytes?: Uint8Array;
  /** ... or a file (read by range; a sparse file costs no disk). */
  path?: string;
  /**
   * The oid the server keys the object by. Default: the SHA-256 of the content, as a real server
   * computes it on upload. A declared oid stands in for a multi-GB object a test cannot hash cheaply:
   * only a sketch may read such an object (a full read would rightly fail its oid check).
   */
  oid?: string;
}

export interface LfsLogEntry {
  host: 'batch' | 'storage';
  method: string;
  path: string;
  range?: string;
  authorization?: string;
  status: number;
  /** Object bytes written in the body (storage). */
  bytes: number;
  /** Oids asked for (batch). */
  oids?: string[];
}

export type LfsFault =
  | { kind: 'batch-status'; status: number; times?: number }
  | { kind: 'batch-json'; body: unknown; times?: number }
  | { kind: 'object-error'; oid: string; code: number; message: string }
  | { kind: 'refuse-links'; oid?: string; status?: number }
  /** From the middle of the object on, a byte in every 4 KiB is flipped. */
  | { kind: 'corrupt'; oid: string }
  | { kind: 'short'; oid: string; times?: number }
  | { kind: 'ignore-range'; oid: string };

export interface LfsServerOptions {
  /**
   * Token the batch API requires (Basic x-access-token), or a test of it (tokens minted on the
   * fly); undefined: anonymous reads are allowed.
   */
  token?: string | ((token: string) => boolean);
  /** Range requests one download link serves before it answers 403. */
  linkUses?: number;
  /** Storage requests (of any link) after a link's issue before it answers 403. */
  linkLifetime?: number;
}

interface StoredObject {
  oid: string;
  size: number;
  read(offset: number, length: number): Uint8Array;
  path?: string;
}

interface IssuedLink {
  oid: string;
  secret: string;
  uses: number;
  issuedAt: number;
}

export class LfsServer {
  readonly log: LfsLogEntry[] = [];
  readonly objects = new Map<string, StoredObject>();
  readonly faults: LfsFault[] = [];
  private readonly links = new Map<string, IssuedLink>();
  private storageRequests = 0;
  private nextLink = 1;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly batchServer: Server,
    private readonly storageServer: Server,
    readonly url: string,
    readonly storageUrl: string,
    readonly options: LfsServerOptions,
  ) {}

  static async start(options: LfsServerOptions = {}): Promise<LfsServer> {
    let self: LfsServer | undefined;
    const batch = createServer((req, res) => {
      readBody(req).then(
        (body) => {
          const m = /^\/([^/]+)\/([^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(
            new URL(req.url ?? '/', 'http://x').pathname,
          );
          if (m && req.method === 'POST') {
            self!.handleBatch(req, res, body);
            return;
          }
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"message":"Not Found"}');
          self!.record({ host: 'batch', method: req.method ?? 'GET', path: req.url ?? '', status: 404, bytes: 0 });
        },
        () => res.destroy(),
      );
    });
    const storage = createServer((req, res) => self!.handleStorage(req, res));
    const url = await listen(batch);
    const storageUrl = await listen(storage);
    self = new LfsServer(batch, storage, url, storageUrl, options);
    for (const s of [batch, storage])
      s.on('connection', (sock) => {
        self!.sockets.add(sock);
        sock.on('close', () => self!.sockets.delete(sock));
      });
    return self;
  }

  /** The LFS endpoint of `owner/repo` on this server. */
  endpoint(owner = 'acme', repo = 'models'): string {
    return `${this.url}/${owner}/${repo}.git/info/lfs`;
  }

  /** Stores an object; returns its pointer file's text. */
  add(spec: LfsObjectSpec): { oid: string; size: number; pointer: string } {
    let size: number;
    let read: (offset: number, length: number) => Uint8Array;
    let oid = spec.oid;
    if (spec.bytes) {
      const bytes = spec.bytes;
      size = bytes.byteLength;
      read = (o, n) => bytes.subarray(o, o + n);
      oid ??= createHash('sha256').update(bytes).digest('hex');
    } else if (spec.path) {
      const path = spec.path;
      size = statSync(path).size;
      read = (o, n) => {
        const out = new Uint8Array(n);
        const fd = openSync(path, 'r');
        try {
          let done = 0;
          while (done < n) {
            const got = readSync(fd, out, done, n - done, o + done);
            if (got === 0) break;
            done += got;
          }
        } finally {
          closeSync(fd);
        }
        return out;
      };
      if (oid === undefined) throw new Error('a file object needs its oid (hash it with sha256File)');
    } else throw new Error('an object needs bytes or a path');
    this.objects.set(oid, { oid, size, read, path: spec.path });
    return { oid, size, pointer: pointerText(oid, size) };
  }

  fault(f: LfsFault): void {
    this.faults.push(f);
  }

  reset(): void {
    this.log.length = 0;
    this.faults.length = 0;
  }

  /** Object bytes the storage host wrote. */
  bytesServed(oid?: string): number {
    return this.log
      .filter((e) => e.host === 'storage' && (oid === undefined || e.path.includes(oid)))
      .reduce((n, e) => n + e.bytes, 0);
  }

  requests(host: 'batch' | 'storage'): LfsLogEntry[] {
    return this.log.filter((e) => e.host === host);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(
      [this.batchServer, this.storageServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
  }

  private record(e: LfsLogEntry): void {
    this.log.push(e);
  }

  private takeBatchFault(): LfsFault | undefined {
    const f = this.faults.find(
      (x) => (x.kind === 'batch-status' || x.kind === 'batch-json') && (x.times ?? Infinity) > 0,
    ) as { times?: number } | undefined;
    if (f && f.times !== undefined) f.times--;
    return f as LfsFault | undefined;
  }

  /** The batch API, for this server or mounted in another one (`raw` is the request body). */
  handleBatch(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = (status: number, body: unknown, oids?: string[]) => {
      res.writeHead(status, { 'content-type': 'application/vnd.git-lfs+json' });
      res.end(JSON.stringify(body));
      this.record({
        host: 'batch',
        method: req.method ?? 'POST',
        path,
        status,
        bytes: 0,
        authorization: req.headers.authorization,
        oids,
      });
    };
    const expected = this.options.token;
    if (expected !== undefined) {
      const auth = req.headers.authorization ?? '';
      const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
      const token = basic.startsWith('x-access-token:') ? basic.slice('x-access-token:'.length) : undefined;
      if (token === undefined || !(typeof expected === 'function' ? expected(token) : token === expected)) {
        answer(401, { message: 'Credentials needed' });
        return;
      }
    }
    if (!String(req.headers.accept ?? '').includes('application/vnd.git-lfs+json')) {
      answer(406, { message: 'Accept must be application/vnd.git-lfs+json' });
      return;
    }
    let body: { operation?: string; objects?: Array<{ oid: string; size: number }> };
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      answer(422, { message: 'malformed JSON' });
      return;
    }
    const oids = (body.objects ?? []).map((o) => o.oid);
    const fault = this.takeBatchFault();
    if (fault?.kind === 'batch-status') {
      answer(fault.status, { message: `injected ${fault.status}` }, oids);
      return;
    }
    if (fault?.kind === 'batch-json') {
      answer(200, fault.body, oids);
      return;
    }
    if (body.operation !== 'download') {
      answer(422, { message: 'download only' }, oids);
      return;
    }
    const objects = (body.objects ?? []).map((o) => {
      const err = this.faults.find((f) => f.kind === 'object-error' && f.oid === o.oid) as
        | Extract<LfsFault, { kind: 'object-error' }>
        | undefined;
      if (err) return { oid: o.oid, size: o.size, error: { code: err.code, message: err.message } };
      const obj = this.objects.get(o.oid);
      if (!obj || obj.size !== o.size)
        return { oid: o.oid, size: o.size, error: { code: 404, message: 'Object does not exist' } };
      const id = String(this.nextLink++);
      const secret = createHash('sha256').update(`${o.oid}:${id}`).digest('hex').slice(0, 16);
      this.links.set(id, { oid: o.oid, secret, uses: 0, issuedAt: this.storageRequests });
      return {
        oid: o.oid,
        size: o.size,
        authenticated: true,
        actions: {
          download: {
            href: `${this.storageUrl}/objects/${o.oid}?link=${id}`,
            header: { Authorization: `RemoteAuth ${secret}` },
            expires_in: 3600,
          },
        },
      };
    });
    answer(200, { transfer: 'basic', objects, hash_algo: 'sha256' }, oids);
  }

  private handleStorage(req: IncomingMessage, res: ServerResponse): void {
    this.storageRequests++;
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname;
    const entry: LfsLogEntry = {
      host: 'storage',
      method: req.method ?? 'GET',
      path,
      range: req.headers.range,
      authorization: req.headers.authorization,
      status: 0,
      bytes: 0,
    };
    const fail = (status: number, message: string) => {
      entry.status = status;
      this.record(entry);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(message);
    };
    const m = /^\/objects\/([0-9a-f]{64})$/.exec(path);
    const link = this.links.get(u.searchParams.get('link') ?? '');
    const obj = m ? this.objects.get(m[1]!) : undefined;
    if (!m || !link || link.oid !== m[1]) {
      fail(403, 'unknown link');
      return;
    }
    if (req.headers.authorization !== `RemoteAuth ${link.secret}`) {
      fail(403, 'bad storage credentials');
      return;
    }
    link.uses++;
    const refused = this.faults.find((f) => f.kind === 'refuse-links' && (f.oid === undefined || f.oid === link.oid)) as
      | Extract<LfsFault, { kind: 'refuse-links' }>
      | undefined;
    if (refused) {
      fail(refused.status ?? 403, 'link refused');
      return;
    }
    if (this.options.linkUses !== undefined && link.uses > this.options.linkUses) {
      fail(403, 'link expired');
      return;
    }
    if (this.options.linkLifetime !== undefined && this.storageRequests - link.issuedAt > this.options.linkLifetime) {
      fail(403, 'link expired');
      return;
    }
    if (!obj) {
      fail(404, 'gone');
      return;
    }
    const ignore = this.faults.some((f) => f.kind === 'ignore-range' && f.oid === obj.oid);
    const range = ignore ? undefined : /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    const start = range ? Number(range[1]) : 0;
    const end = range ? Math.min(Number(range[2]), obj.size - 1) : obj.size - 1;
    if (start > end && obj.size > 0) {
      fail(416, 'range not satisfiable');
      return;
    }
    const length = end - start + 1;
    if (!range && length > 64 * 1024 * 1024) {
      fail(400, 'test server refuses whole reads above 64 MiB');
      return;
    }
    let body = obj.read(start, length);
    if (this.faults.some((f) => f.kind === 'corrupt' && f.oid === obj.oid)) {
      // the second half of the object: headers stay readable, the content is not what the oid names
      body = Uint8Array.from(body);
      const from = Math.floor(obj.size / 2);
      for (let i = 0; i < body.length; i++)
        if (start + i >= from && (start + i - from) % 4096 === 0) body[i] = body[i]! ^ 0xff;
    }
    const short = this.faults.find((f) => f.kind === 'short' && f.oid === obj.oid && (f.times ?? Infinity) > 0) as
      | Extract<LfsFault, { kind: 'short' }>
      | undefined;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${obj.size}`;
    if (short) {
      if (short.times !== undefined) short.times--;
      // the headers promise the range; the body stops early and the connection closes
      body = body.subarray(0, Math.floor(body.length / 2));
      headers.connection = 'close';
    } else headers['content-length'] = String(length);
    entry.status = range ? 206 : 200;
    entry.bytes = body.length;
    this.record(entry);
    res.writeHead(entry.status, headers);
    res.end(body);
  }
}

export function pointerText(oid: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;
}

/** SHA-256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}
