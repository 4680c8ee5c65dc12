/**
 * A loopback stand-in for the Hugging Face Hub: the model API calls @huggingface/hub makes
 * (`/api/models/{repo}/revision/{rev}`, `/api/models/{repo}/tree/{rev}`), the `resolve`/`raw`
 * endpoints with Range, ETag and If-Range, a 302 from `resolve` to a second loopback host (the
 * "CDN", signed-URL style, no token expected), gated repos, and fault injection counted per
 * matching request: 429/5xx with Retry-After, a connection cut mid-body, a wrong Content-Range,
 * a stall past the client's timeout, a changed ETag, a Range ignored. Listens on 127.0.0.1 only.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A file too large to hold: bytes are generated for the requested range only. */
export interface VirtualFile {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

export type FileContent = Uint8Array | string | VirtualFile;

export interface HubRepo {
  /** `org/name`. */
  id: string;
  files: Record<string, FileContent>;
  /** Needs `Authorization: Bearer <server token>` on resolve. */
  gated?: boolean;
}

export type FaultKind = 'status' | 'drop' | 'wrong-range' | 'stall' | 'etag-change' | 'ignore-range' | 'json';

export interface Fault {
  kind: FaultKind;
  /** For kind 'status'. */
  status?: number;
  /** For kind 'json': answered with HTTP 200 instead of the real API response (a broken or hostile Hub). */
  body?: unknown;
  retryAfter?: string;
  /** Which host sees the fault; default: the one that serves file bytes (the CDN). */
  host?: 'hub' | 'cdn';
  /** Substring or pattern of the request path. */
  path?: string | RegExp;
  /** Only requests carrying a Range header (default true for cdn faults). */
  ranged?: boolean;
  /** Let this many matching requests through first. */
  skip?: number;
  /** Then fault this many (default 1; Infinity for every one). */
  times?: number;
}

export interface LoggedRequest {
  host: 'hub' | 'cdn';
  method: string;
  path: string;
  range?: string;
  ifRange?: string;
  authorization?: string;
  status: number;
  fault?: FaultKind;
}

export interface HubServer {
  url: string;
  cdnUrl: string;
  token: string;
  requests: LoggedRequest[];
  /** Body bytes written for file content (all hosts). */
  bytesServed(): number;
  addRepo(repo: HubRepo): void;
  /**
   * Serves other bytes for one file from now on: a new ETag and blob, the same commit unless
   * `newCommit` (a faulty Hub or CDN, or a push to a branch between two reads).
   */
  replaceFile(repo: string, path: string, content: FileContent, opts?: { newCommit?: boolean }): void;
  /** Called after each request is answered (a test can change the repository between two reads). */
  onRequest(listener: (r: LoggedRequest) => void): void;
  fault(f: Fault): void;
  clearFaults(): void;
  commitOf(repo: string): string;
  close(): Promise<void>;
}

interface StoredFile {
  size: number;
  read(offset: number, length: number): Uint8Array;
  etag: string;
  sha256: string;
  lfs: boolean;
}

interface ActiveFault extends Fault {
  seen: number;
  fired: number;
}

/** Files above this size are "LFS": resolve redirects them to the CDN, as the Hub does. */
const LFS_THRESHOLD = 10 * 1024;

export async function startHubServer(
  opts: {
    repos?: HubRepo[];
    token?: string;
    redirect?: boolean;
    /** Added before every answer (both hosts): a round trip to a distant server. */
    latencyMs?: number;
  } = {},
): Promise<HubServer> {
  const token = opts.token ?? 'hf_loopbacktesttoken';
  const redirect = opts.redirect ?? true;
  const repos = new Map<string, { gated: boolean; commit: string; files: Map<string, StoredFile> }>();
  const blobs = new Map<string, StoredFile>();
  const requests: LoggedRequest[] = [];
  const faults: ActiveFault[] = [];
  const sockets = new Set<Socket>();
  const listeners: Array<(r: LoggedRequest) => void> = [];
  let served = 0;

  const addRepo = (repo: HubRepo) => {
    const files = new Map<string, StoredFile>();
    for (const [path, content] of Object.entries(repo.files)) {
      const f = store(path, content);
      files.set(path, f);
      blobs.set(f.sha256, f);
    }
    repos.set(repo.id, {
      gated: repo.gated ?? false,
      commit: sha1(`${repo.id}:${[...files.values()].map((f) => f.sha256).join(',')}`),
      files,
    });
  };
  for (const r of opts.repos ?? []) addRepo(r);

  const takeFault = (host: 'hub' | 'cdn', req: IncomingMessage, path: string): ActiveFault | undefined => {
    for (const f of faults) {
      const fh = f.host ?? 'cdn';
      if (fh !== host) continue;
      if (f.path !== undefined && !(typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))) continue;
      const ranged = f.ranged ?? fh === 'cdn';
      if (ranged && !req.headers.range) continue;
      f.seen++;
      if (f.seen <= (f.skip ?? 0)) continue;
      if (f.fired >= (f.times ?? 1)) continue;
      f.fired++;
      return f;
    }
    return undefined;
  };

  const log = (host: 'hub' | 'cdn', req: IncomingMessage, path: string, status: number, fault?: FaultKind) => {
    const entry: LoggedRequest = {
      host,
      method: req.method ?? 'GET',
      path,
      status,
      fault,
      range: req.headers.range,
      ifRange: header(req, 'if-range'),
      authorization: header(req, 'authorization'),
    };
    requests.push(entry);
    for (const l of listeners) l(entry);
  };

  const serveFile = (
    host: 'hub' | 'cdn',
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    f: StoredFile,
    extra: Record<string, string>,
  ) => {
    const fault = takeFault(host, req, path);
    if (fault && applyStatusOrStall(fault, res, req)) {
      log(host, req, path, fault.kind === 'stall' ? 0 : (fault.status ?? 500), fault.kind);
      return;
    }
    const etag = fault?.kind === 'etag-change' ? `"changed-${f.sha256.slice(0, 12)}"` : f.etag;
    const base = { ...extra, etag, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    let range = fault?.kind === 'ignore-range' ? undefined : parseRange(req.headers.range, f.size);
    const ifRange = header(req, 'if-range');
    if (range && ifRange !== undefined && ifRange !== etag) range = undefined; // changed: whole file
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...base, 'content-range': `bytes */${f.size}` });
      res.end();
      log(host, req, path, 416);
      return;
    }
    const [start, end] = range ?? [0, f.size - 1];
    const length = f.size === 0 ? 0 : end - start + 1;
    if (!range && length > 64 * 1024 * 1024) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('test server refuses whole-file reads above 64 MiB');
      log(host, req, path, 400);
      return;
    }
    const status = range ? 206 : 200;
    const shift = fault?.kind === 'wrong-range' ? 1 : 0;
    const hdrs: Record<string, string> = { ...base, 'content-length': String(length) };
    if (range) hdrs['content-range'] = `bytes ${start + shift}-${end + shift}/${f.size}`;
    res.writeHead(status, hdrs);
    log(host, req, path, status, fault?.kind);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    const body = f.read(start, length);
    if (fault?.kind === 'drop') {
      const half = Math.max(1, Math.floor(body.length / 2));
      served += half;
      res.write(body.subarray(0, half), () => setTimeout(() => req.socket.destroy(), 5));
      return;
    }
    served += body.length;
    res.end(body);
  };

  const hub = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(u.pathname);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)(?:\/(.*))?$/.exec(u.pathname);
    if (api) {
      const fault = takeFault('hub', req, path);
      if (fault && applyStatusOrStall(fault, res, req)) {
        log('hub', req, path, fault.kind === 'stall' ? 0 : (fault.status ?? 500), fault.kind);
        return;
      }
      if (fault?.kind === 'json') {
        json(res, 200, fault.body ?? null);
        log('hub', req, path, 200, 'json');
        return;
      }
      const repo = repos.get(decodeURIComponent(api[1]!));
      const rev = decodeURIComponent(api[3]!);
      if (!repo || (rev !== 'main' && rev !== repo.commit)) {
        json(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
        log('hub', req, path, 404);
        return;
      }
      if (api[2] === 'revision') {
        json(res, 200, {
          _id: sha1(api[1]!).slice(0, 24),
          id: api[1],
          sha: repo.commit,
          private: false,
          gated: repo.gated ? 'manual' : false,
        });
      } else {
        const list = [...repo.files.entries()].map(([p, f]) => ({
          type: 'file',
          path: p,
          size: f.size,
          oid: sha1(p + f.sha256),
          ...(f.lfs ? { lfs: { oid: f.sha256, size: f.size, pointerSize: 134 } } : {}),
        }));
        json(res, 200, list);
      }
      log('hub', req, path, 200);
      return;
    }
    const m = /^\/([^/]+\/[^/]+)\/(resolve|raw)\/([^/]+)\/(.+)$/.exec(u.pathname);
    if (!m) {
      json(res, 404, { error: 'not found' });
      log('hub', req, path, 404);
      return;
    }
    const repo = repos.get(decodeURIComponent(m[1]!));
    const rev = decodeURIComponent(m[3]!);
    const file = decodeURIComponent(m[4]!);
    if (!repo || (rev !== 'main' && rev !== repo.commit)) {
      json(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
      log('hub', req, path, 404);
      return;
    }
    if (repo.gated && header(req, 'authorization') !== `Bearer ${token}`) {
      json(
        res,
        401,
        {
          error:
            `Access to model ${m[1]} is restricted. ` +
            'You must have access to it and be authenticated to access it. Please log in.',
        },
        { 'x-error-code': 'GatedRepo' },
      );
      log('hub', req, path, 401);
      return;
    }
    const f = repo.files.get(file);
    if (!f) {
      json(res, 404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
      log('hub', req, path, 404);
      return;
    }
    const extra = { 'x-repo-commit': repo.commit, 'x-linked-etag': f.etag, 'x-linked-size': String(f.size) };
    if (f.lfs && redirect && m[2] === 'resolve') {
      const fault = takeFault('hub', req, path);
      if (fault && applyStatusOrStall(fault, res, req)) {
        log('hub', req, path, fault.kind === 'stall' ? 0 : (fault.status ?? 500), fault.kind);
        return;
      }
      const signature = sha1(`${f.sha256}:${Date.now()}`).slice(0, 16);
      res.writeHead(302, {
        ...extra,
        location: `${cdnUrl}/repos/${f.sha256}/${encodeURIComponent(file)}?X-Amz-Signature=${signature}`,
        'content-length': '0',
      });
      res.end();
      log('hub', req, path, 302);
      return;
    }
    serveFile('hub', req, res, path, f, extra);
  });

  const cdn = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(u.pathname);
    const m = /^\/repos\/([0-9a-f]{64})\//.exec(u.pathname);
    const f = m ? blobs.get(m[1]!) : undefined;
    if (!f || !u.searchParams.get('X-Amz-Signature')) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code></Error>');
      log('cdn', req, path, 403);
      return;
    }
    serveFile('cdn', req, res, path, f, {});
  });

  for (const s of [hub, cdn]) {
    if (opts.latencyMs) delayRequests(s, opts.latencyMs);
    s.on('connection', (sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
  }
  const url = await listen(hub);
  const cdnUrl = await listen(cdn);

  return {
    url,
    cdnUrl,
    token,
    requests,
    bytesServed: () => served,
    addRepo,
    replaceFile: (id, path, content, o = {}) => {
      const repo = repos.get(id)!;
      const f = store(path, content);
      repo.files.set(path, f);
      blobs.set(f.sha256, f);
      if (o.newCommit) repo.commit = sha1(`${id}:${[...repo.files.values()].map((x) => x.sha256).join(',')}`);
    },
    onRequest: (l) => listeners.push(l),
    fault: (f) => faults.push({ ...f, seen: 0, fired: 0 }),
    clearFaults: () => {
      faults.length = 0;
    },
    commitOf: (id) => repos.get(id)!.commit,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([hub, cdn].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/** Every request waits `ms` before its handler runs. */
function delayRequests(server: Server, ms: number): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    setTimeout(() => {
      for (const h of handlers) h(req, res);
    }, ms);
  });
}

/** Answers a status fault or swallows the request (stall); false when the fault shapes the body instead. */
function applyStatusOrStall(f: ActiveFault, res: ServerResponse, _req: IncomingMessage): boolean {
  if (f.kind === 'status') {
    const status = f.status ?? 500;
    json(
      res,
      status,
      { error: `injected ${status}` },
      f.retryAfter !== undefined ? { 'retry-after': f.retryAfter } : {},
    );
    return true;
  }
  // a stalled request never gets an answer; the client's timeout must end it
  return f.kind === 'stall';
}

function store(path: string, content: FileContent): StoredFile {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return {
      size: bytes.length,
      read: (o, n) => bytes.subarray(o, o + n),
      etag: `"${sha256}"`,
      sha256,
      lfs: path.endsWith('.safetensors') || bytes.length > LFS_THRESHOLD,
    };
  }
  const sha256 = createHash('sha256').update(`virtual:${path}:${content.size}`).digest('hex');
  return { size: content.size, read: (o, n) => content.read(o, n), etag: `"${sha256}"`, sha256, lfs: true };
}

function parseRange(value: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (!value) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}
