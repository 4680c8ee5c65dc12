/**
 * Loopback GitHub for the App's tests. Serves what only the App needs — the installation token
 * endpoint (checks the App JWT against the real public key), repos, commits, contents, trees,
 * blobs, issues, installation repositories, and Git LFS (batch API + Range downloads) — and
 * forwards everything else (check runs, comments, statuses, PR files) to the shared FakeGitHub
 * in test/helpers, so the App is tested against the same endpoints as the Action.
 * Every forwarded or served API request must carry an installation token this server minted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createPublicKey, verify as verifySig, type KeyObject } from 'node:crypto';
import { FakeGitHub } from '../helpers/github-server.js';
import type { LfsServer } from '../helpers/lfs-server.js';

export interface RepoFileSpec {
  /** Plain git content. */
  content?: Buffer | string;
  /** Stored in LFS: the blob is a pointer, the bytes come from the LFS endpoints. */
  lfs?: Buffer;
  /** A submodule at this commit of another repository (a gitlink: tree entry type `commit`). */
  gitlink?: string;
  /** A symlink to this path (tree mode 120000: the blob holds the target, as git stores it). */
  symlink?: string;
}

interface FakeRepo {
  owner: string;
  name: string;
  installationId: number;
  commits: Map<string, Map<string, Buffer>>; // sha → path → blob bytes
  refs: Map<string, string>;
  /** sha → submodule path → the commit it points at. */
  gitlinks?: Map<string, Map<string, string>>;
  /** sha → the paths that are symlinks. */
  symlinks?: Map<string, Set<string>>;
  /** As GitHub for a large repository: recursive trees list this many entries, then `truncated`. */
  treeLimit?: number;
}

export interface AppRequest {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  html_url: string;
}

interface LocalFault {
  method?: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  times: number;
}

export class FakeGitHubApp {
  readonly requests: AppRequest[] = [];
  readonly repos = new Map<string, FakeRepo>();
  readonly lfsObjects = new Map<string, Buffer>();
  readonly tokens = new Map<string, number>();
  readonly issues = new Map<string, Issue[]>();
  readonly faults: LocalFault[] = [];
  /** Installation token mints, by installation id. */
  readonly mints = new Map<number, number>();
  /**
   * When set, the batch API is this loopback LFS server's (links to its storage host, expiring by
   * use, with its faults); commit its pointer texts as plain content. Otherwise `lfs` files are
   * served from this server.
   */
  lfsServer?: LfsServer;
  /** The App's slug (`GET /app`); it comments as `<slug>[bot]`. */
  readonly slug = 'weightprint-test';
  private publicKey: KeyObject;
  private next = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly core: FakeGitHub,
    readonly appId: number,
    publicKeyPem: string,
  ) {
    this.publicKey = createPublicKey(publicKeyPem);
  }

  static async start(opts: { appId: number; publicKeyPem: string }): Promise<FakeGitHubApp> {
    const core = await FakeGitHub.start();
    let self: FakeGitHubApp | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        self!.handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: String(err) }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new FakeGitHubApp(server, `http://127.0.0.1:${port}`, core, opts.appId, opts.publicKeyPem);
    return self;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.core.close();
  }

  addRepo(owner: string, name: string, installationId: number): void {
    this.repos.set(`${owner}/${name}`, { owner, name, installationId, commits: new Map(), refs: new Map() });
  }

  /** Recursive trees of this repository list `limit` entries and say `truncated`, as GitHub's do past 100,000. */
  truncateTrees(full: string, limit: number): void {
    const repo = this.repos.get(full);
    if (!repo) throw new Error(`no repo ${full}`);
    repo.treeLimit = limit;
  }

  /** Adds a commit with these files; returns nothing, the sha is the caller's. */
  addCommit(full: string, sha: string, files: Record<string, RepoFileSpec>, refs: string[] = []): void {
    const repo = this.repos.get(full);
    if (!repo) throw new Error(`no repo ${full}`);
    const tree = new Map<string, Buffer>();
    const links = new Map<string, string>();
    for (const [path, spec] of Object.entries(files)) {
      if (spec.gitlink) {
        links.set(path, spec.gitlink);
        continue;
      }
      if (spec.symlink !== undefined) {
        tree.set(path, Buffer.from(spec.symlink));
        repo.symlinks ??= new Map();
        repo.symlinks.set(sha, (repo.symlinks.get(sha) ?? new Set()).add(path));
        continue;
      }
      if (spec.lfs) {
        const oid = createHash('sha256').update(spec.lfs).digest('hex');
        this.lfsObjects.set(oid, spec.lfs);
        tree.set(
          path,
          Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${spec.lfs.length}\n`),
        );
      } else {
        tree.set(path, Buffer.from(spec.content ?? ''));
      }
    }
    repo.commits.set(sha, tree);
    if (links.size) {
      repo.gitlinks ??= new Map();
      repo.gitlinks.set(sha, links);
    }
    for (const r of refs) repo.refs.set(r, sha);
  }

  fault(
    method: string | undefined,
    path: RegExp,
    status: number,
    times = 1,
    headers?: Record<string, string>,
    body?: unknown,
  ): void {
    this.faults.push({ method, path, status, times, headers, body: body ?? { message: `injected ${status}` } });
  }

  requestsTo(method: string, path: RegExp): AppRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path, status, headers: req.headers, body: raw.toString('utf8') });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };

    const fault = this.faults.find((f) => (!f.method || f.method === method) && f.path.test(path) && f.times > 0);
    if (fault) {
      fault.times--;
      return answer(fault.status, fault.body, fault.headers);
    }

    // ---- App JWT → installation token
    let m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (m && method === 'POST') {
      const jwtErr = this.checkJwt(req.headers.authorization);
      if (jwtErr) return answer(401, { message: jwtErr });
      const id = Number(m[1]);
      const token = `ghs_test${this.next++}_${id}`;
      this.tokens.set(token, id);
      this.core.users.set(token, { login: `${this.slug}[bot]`, type: 'Bot' });
      this.mints.set(id, (this.mints.get(id) ?? 0) + 1);
      return answer(201, {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read', issues: 'write' },
        repository_selection: 'all',
      });
    }
    if (path === '/app' && method === 'GET') {
      const jwtErr = this.checkJwt(req.headers.authorization);
      if (jwtErr) return answer(401, { message: jwtErr });
      return answer(200, { id: this.appId, slug: this.slug, name: 'Weightprint (test)', owner: { login: 'acme' } });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path);
    if (m && method === 'GET') {
      const jwtErr = this.checkJwt(req.headers.authorization);
      if (jwtErr) return answer(401, { message: jwtErr });
      const repo = this.repos.get(`${m[1]}/${m[2]}`);
      return repo
        ? answer(200, { id: repo.installationId, app_id: this.appId })
        : answer(404, { message: 'Not Found' });
    }

    // ---- Git LFS (repository web URL, not the API)
    m = /^\/([^/]+)\/([^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path);
    if (m && method === 'POST' && this.lfsServer) {
      this.requests.push({ method, path, status: 0, headers: req.headers, body: raw.toString('utf8') });
      return this.lfsServer.handleBatch(req, res, raw);
    }
    if (m && method === 'POST') {
      const auth = req.headers.authorization ?? '';
      const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
      const token = basic.startsWith('x-access-token:') ? basic.slice('x-access-token:'.length) : '';
      if (!this.tokens.has(token)) return answer(401, { message: 'Credentials needed' });
      if (!String(req.headers.accept ?? '').includes('application/vnd.git-lfs+json'))
        return answer(406, { message: 'bad Accept' });
      const body = JSON.parse(raw.toString('utf8')) as {
        operation: string;
        objects: Array<{ oid: string; size: number }>;
      };
      if (body.operation !== 'download') return answer(422, { message: 'download only' });
      return answer(
        200,
        {
          transfer: 'basic',
          objects: body.objects.map((o) =>
            this.lfsObjects.has(o.oid)
              ? {
                  oid: o.oid,
                  size: o.size,
                  actions: {
                    download: {
                      href: `${this.url}/_lfs/${o.oid}`,
                      header: { Authorization: `RemoteAuth ${o.oid.slice(0, 8)}` },
                      expires_in: 3600,
                    },
                  },
                }
              : { oid: o.oid, size: o.size, error: { code: 404, message: 'Object does not exist' } },
          ),
        },
        { 'content-type': 'application/vnd.git-lfs+json' },
      );
    }
    m = /^\/_lfs\/([0-9a-f]{64})$/.exec(path);
    if (m && method === 'GET') {
      const obj = this.lfsObjects.get(m[1]!);
      if (!obj) return answer(404, { message: 'gone' });
      if (req.headers.authorization !== `RemoteAuth ${m[1]!.slice(0, 8)}`)
        return answer(403, { message: 'bad storage auth' });
      const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
      this.requests.push({ method, path, status: range ? 206 : 200, headers: req.headers, body: '' });
      if (!range) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(obj.length) });
        return void res.end(obj);
      }
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), obj.length - 1);
      res.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-range': `bytes ${start}-${end}/${obj.length}`,
      });
      return void res.end(obj.subarray(start, end + 1));
    }

    // ---- everything below is the REST API with an installation token
    const token = /^token (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return answer(401, { message: 'Bad credentials' });

    if (path === '/installation/repositories' && method === 'GET') {
      const id = this.tokens.get(token)!;
      const repos = [...this.repos.values()].filter((r) => r.installationId === id);
      return answer(200, {
        total_count: repos.length,
        repositories: repos.map((r) => ({ full_name: `${r.owner}/${r.name}`, name: r.name })),
      });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    const repo = m ? this.repos.get(`${m[1]}/${m[2]}`) : undefined;
    const rest = m?.[3] ?? '';
    if (repo && method === 'GET') {
      if (rest === '')
        return answer(200, {
          id: 1,
          name: repo.name,
          full_name: `${repo.owner}/${repo.name}`,
          owner: { login: repo.owner },
          html_url: `${this.url}/${repo.owner}/${repo.name}`,
          default_branch: 'main',
        });
      let r: RegExpExecArray | null;
      r = /^\/commits\/(.+)$/.exec(rest);
      if (r) {
        const ref = decodeURIComponent(r[1]!);
        const sha = repo.commits.has(ref) ? ref : repo.refs.get(ref);
        return sha ? answer(200, { sha }) : answer(422, { message: `No commit found for SHA: ${ref}` });
      }
      r = /^\/contents(?:\/(.*))?$/.exec(rest);
      if (r) {
        const tree = repo.commits.get(url.searchParams.get('ref') ?? '');
        const path = decodeURIComponent(r[1] ?? '').replace(/\/+$/, '');
        const blob = tree?.get(path);
        if (!blob && tree) {
          // a directory: its files and subdirectories, as the contents API lists them
          const prefix = path ? `${path}/` : '';
          const entries = new Map<string, object>();
          for (const [p, b] of tree) {
            if (!p.startsWith(prefix)) continue;
            const [name, ...below] = p.slice(prefix.length).split('/');
            if (below.length) entries.set(name!, { type: 'dir', name, path: `${prefix}${name}` });
            else {
              const type = repo.symlinks?.get(url.searchParams.get('ref') ?? '')?.has(p) ? 'symlink' : 'file';
              entries.set(name!, { type, name, path: p, sha: gitBlobSha(b), size: b.length });
            }
          }
          if (entries.size) return answer(200, [...entries.values()]);
        }
        if (!blob) return answer(404, { message: 'Not Found' });
        // As GitHub: over 1 MB the JSON form carries no content (encoding "none").
        const big = blob.length > 1024 * 1024;
        return answer(200, {
          type: 'file',
          encoding: big ? 'none' : 'base64',
          content: big ? '' : blob.toString('base64'),
          size: blob.length,
          path: r[1],
        });
      }
      r = /^\/git\/trees\/([0-9a-f]+)$/.exec(rest);
      if (r) {
        const tree = repo.commits.get(r[1]!);
        if (!tree) return answer(404, { message: 'Not Found' });
        const listed = [...tree].slice(0, repo.treeLimit ?? tree.size);
        const links = repo.symlinks?.get(r[1]!);
        return answer(200, {
          sha: r[1],
          truncated: listed.length < tree.size,
          tree: [
            ...listed.map(([p, b]) => ({
              path: p,
              mode: links?.has(p) ? '120000' : '100644',
              type: 'blob',
              sha: gitBlobSha(b),
              size: b.length,
            })),
            ...[...(repo.gitlinks?.get(r[1]!) ?? [])].map(([p, commit]) => ({
              path: p,
              mode: '160000',
              type: 'commit',
              sha: commit,
            })),
          ],
        });
      }
      r = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest);
      if (r) {
        for (const tree of repo.commits.values())
          for (const b of tree.values())
            if (gitBlobSha(b) === r[1]) {
              if (b.length > 100 * 1024 * 1024) return answer(403, { message: 'This API supports blobs up to 100 MB' });
              if (/application\/vnd\.github\.raw/.test(String(req.headers.accept ?? ''))) {
                this.requests.push({ method, path, status: 200, headers: req.headers, body: '' });
                res.writeHead(200, {
                  'content-type': 'application/vnd.github.raw',
                  'content-length': String(b.length),
                });
                return void res.end(b);
              }
              return answer(200, { sha: r[1], size: b.length, encoding: 'base64', content: b.toString('base64') });
            }
        return answer(404, { message: 'Not Found' });
      }
    }
    if (repo && rest === '/issues') {
      const list = this.issues.get(`${repo.owner}/${repo.name}`) ?? [];
      if (method === 'GET')
        return answer(
          200,
          list.filter((i) => !url.searchParams.get('labels') || i.labels.includes(url.searchParams.get('labels')!)),
        );
      if (method === 'POST') {
        const b = JSON.parse(raw.toString('utf8')) as { title: string; body: string; labels?: string[] };
        const number = list.length + 1;
        const issue = {
          number,
          title: b.title,
          body: b.body,
          labels: b.labels ?? [],
          html_url: `${this.url}/${repo.owner}/${repo.name}/issues/${number}`,
        };
        list.push(issue);
        this.issues.set(`${repo.owner}/${repo.name}`, list);
        return answer(201, issue);
      }
    }
    const patch = /^\/issues\/(\d+)$/.exec(rest);
    if (repo && patch && method === 'PATCH') {
      const issue = (this.issues.get(`${repo.owner}/${repo.name}`) ?? []).find((i) => i.number === Number(patch[1]));
      if (!issue) return answer(404, { message: 'Not Found' });
      Object.assign(issue, JSON.parse(raw.toString('utf8')));
      return answer(200, issue);
    }

    // ---- check runs, comments, statuses, PR files: the shared fake
    const fwd = await fetch(`${this.core.url}${url.pathname}${url.search}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
      body: method === 'GET' || method === 'HEAD' ? undefined : raw,
    });
    const text = await fwd.text();
    this.requests.push({ method, path, status: fwd.status, headers: req.headers, body: raw.toString('utf8') });
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    for (const h of ['retry-after', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-limit'])
      if (fwd.headers.get(h)) headers[h] = fwd.headers.get(h)!;
    // Pagination links point at the shared fake; rewrite them to this server.
    const link = fwd.headers.get('link');
    if (link) headers.link = link.split(this.core.url).join(this.url);
    res.writeHead(fwd.status, headers);
    res.end(text);
  }

  /** RS256 App JWT signed with the App's private key, iss = App id, not expired. */
  private checkJwt(authorization: string | undefined): string | undefined {
    const jwt = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!jwt) return 'A JSON web token could not be decoded';
    const [h, p, s] = jwt.split('.');
    if (!h || !p || !s) return 'A JSON web token could not be decoded';
    const ok = verifySig('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'));
    if (!ok) return "'Issuer' claim ('iss') must be an Integer";
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
    if (String(claims.iss) !== String(this.appId)) return 'wrong issuer';
    if (!claims.exp || claims.exp * 1000 < Date.now()) return 'expired JWT';
    return undefined;
  }
}

export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
