/**
 * A loopback stand-in for the GitHub REST API: the endpoints Weightprint's Action and App call,
 * with Link-header pagination, per-endpoint 403s (read-only fork tokens), rate-limit and 5xx
 * fault injection, and a log of every request for assertions. Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/repos/o/r/check-runs`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The JSON body; `{}` when there was none, `{ text }` when it was not JSON. */
  body: RequestBody;
  /** Status the server answered with. */
  status: number;
}

/** The request fields the endpoints below read; a client may send any subset (or anything else). */
export interface RequestBody {
  body?: string;
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  details_url?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: Partial<FakeAnnotation>[] };
  state?: string;
  description?: string;
  context?: string;
  target_url?: string;
  text?: string;
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  title?: string;
  raw_details?: string;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
}

export interface FakePrFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed' | 'changed' | 'copied' | 'unchanged';
  previous_filename?: string;
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  head: { sha: string; ref: string; label: string };
  base?: { sha: string; ref: string };
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url?: string;
  output: { title?: string; summary?: string; text?: string };
  /** Accumulated over create and updates, as GitHub does. */
  annotations: FakeAnnotation[];
  /** Annotation count of each update (PATCH) call that carried an output, in order. */
  annotationBatches: number[];
  updates: number;
}

export interface FakeStatus {
  sha: string;
  state: string;
  context: string;
  description?: string;
  target_url?: string;
}

/** An endpoint family that can be made to answer 403 (as a read-only token gets). */
export type Endpoint = 'comments' | 'checks' | 'statuses' | 'files';

export interface Fault {
  method?: string;
  path: string | RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests it answers before it is used up (default 1). */
  times?: number;
}

const ENDPOINT_OF: [Endpoint, RegExp][] = [
  ['comments', /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+\/comments|comments\/\d+)$/],
  ['checks', /^\/repos\/[^/]+\/[^/]+\/check-runs(\/\d+)?$/],
  ['statuses', /^\/repos\/[^/]+\/[^/]+\/statuses\/[^/]+$/],
  ['files', /^\/repos\/[^/]+\/[^/]+\/pulls(\/\d+\/files)?$/],
];

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments = new Map<number, FakeComment[]>();
  readonly prFiles = new Map<number, FakePrFile[]>();
  /** `GET /repos/{o}/{r}/compare/{base}...{head}` files, by `base...head`. */
  readonly compareFiles = new Map<string, FakePrFile[]>();
  /** Pull requests for `GET /repos/{o}/{r}/pulls` (filtered by state and `head=owner:branch`). */
  readonly pulls: FakePull[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly statuses: FakeStatus[] = [];
  /** Endpoint families answering 403 "Resource not accessible by integration". */
  readonly deny = new Set<Endpoint>();
  readonly faults: Fault[] = [];
  /** GitHub caps per_page at 100; tests lower it to force several pages. */
  maxPerPage = 100;
  /**
   * Who a token is, by the token in `Authorization: token …`. A token listed here as a user
   * token (PAT) can read `GET /user`; every other token behaves like GITHUB_TOKEN: it writes as
   * `defaultUser` and gets 403 from /user, as an installation token does.
   */
  readonly users = new Map<string, { login: string; type: string; userToken?: boolean }>();
  /** Repository files by commit sha, for `GET /repos/{o}/{r}/contents/{path}?ref=`. */
  readonly files = new Map<string, Map<string, string>>();
  defaultUser = { login: 'github-actions[bot]', type: 'Bot' };
  private nextId = 1000;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGitHub> {
    let self: FakeGitHub | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: RequestBody = {};
        if (raw) {
          try {
            body = JSON.parse(raw);
          } catch {
            body = { text: raw };
          }
        }
        const url = new URL(req.url ?? '/', self!.url);
        if (self!.stalls(req.method ?? 'GET', url, res)) return;
        const token = /^(?:token|bearer) (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
        const answer = self!.handle(req.method ?? 'GET', url, body, token);
        self!.requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          status: answer.status,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new FakeGitHub(server, `http://127.0.0.1:${port}`);
    return self;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /**
   * Requests to `stall` paths, never answered: each says whether the client gave up on it (closed
   * the connection), which is how a test sees a request cancelled.
   */
  readonly stalled: { method: string; path: string; cancelled: boolean }[] = [];
  private readonly stallRules: { method: string; path: string | RegExp; open: ServerResponse[] }[] = [];

  /** Leave every `method` request to `path` unanswered from now on (a slow or hostile server). */
  stall(method: string, path: string | RegExp): void {
    this.stallRules.push({ method, path, open: [] });
  }

  private stalls(method: string, url: URL, res: ServerResponse): boolean {
    const path = url.pathname.replace(/\/+$/, '');
    const rule = this.stallRules.find(
      (r) => r.method === method && (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
    );
    if (!rule) return false;
    const entry = { method, path, cancelled: false };
    this.stalled.push(entry);
    rule.open.push(res);
    res.on('close', () => {
      entry.cancelled = true;
    });
    return true;
  }

  /** Forget state and recorded requests between tests (the server keeps running). */
  reset(): void {
    for (const r of this.stallRules) for (const res of r.open) res.destroy();
    this.stallRules.length = 0;
    this.stalled.length = 0;
    this.requests.length = 0;
    this.comments.clear();
    this.prFiles.clear();
    this.compareFiles.clear();
    this.pulls.length = 0;
    this.checkRuns.length = 0;
    this.statuses.length = 0;
    this.deny.clear();
    this.faults.length = 0;
    this.maxPerPage = 100;
    this.users.clear();
    this.files.clear();
    this.defaultUser = { login: 'github-actions[bot]', type: 'Bot' };
  }

  // ---- set-up helpers -------------------------------------------------------------------

  seedComments(issue: number, bodies: string[], user = { login: 'someone', type: 'User' }): FakeComment[] {
    const list = this.commentsOf(issue);
    const added = bodies.map((body) => this.makeComment(body, user));
    list.push(...added);
    return added;
  }

  /** A file of the repository at commit `sha` (served by the contents API). */
  setFile(sha: string, path: string, content: string): void {
    let tree = this.files.get(sha);
    if (!tree) {
      tree = new Map();
      this.files.set(sha, tree);
    }
    tree.set(path, content);
  }

  setPrFiles(pr: number, files: (string | FakePrFile)[]): void {
    this.prFiles.set(
      pr,
      files.map((f) => (typeof f === 'string' ? { filename: f, status: 'modified' } : f)),
    );
  }

  /** GitHub's secondary limit: 403, a "secondary rate limit" message and retry-after. */
  injectSecondaryRateLimit(method: string, path: string | RegExp, times = 1, retryAfterSeconds = 1): void {
    this.faults.push({
      method,
      path,
      status: 403,
      times,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '403',
      },
    });
  }

  /** The primary limit: 403 with x-ratelimit-remaining 0 and a reset time `resetInSeconds` away. */
  injectRateLimit(method: string, path: string | RegExp, times = 1, resetInSeconds = 1): void {
    this.faults.push({
      method,
      path,
      status: 403,
      times,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
      },
      body: { message: 'API rate limit exceeded for installation.', status: '403' },
    });
  }

  injectServerError(method: string, path: string | RegExp, times = 1, status = 502): void {
    this.faults.push({
      method,
      path,
      status,
      times,
      body: { message: status === 502 ? 'Bad Gateway' : 'Server Error' },
    });
  }

  // ---- assertions helpers ---------------------------------------------------------------

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Requests that changed state (the ones a test usually counts). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.status < 400);
  }

  // ---- the API ---------------------------------------------------------------------------

  private handle(
    method: string,
    url: URL,
    body: RequestBody,
    token?: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const known = token ? this.users.get(token) : undefined;
    const caller = known ? { login: known.login, type: known.type } : this.defaultUser;
    const path = url.pathname.replace(/\/+$/, '');
    const fault = this.faults.find(
      (f) =>
        (!f.method || f.method === method) &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(path)) &&
        (f.times ?? 1) > 0,
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      return { status: fault.status, body: fault.body, headers: fault.headers };
    }
    const family = ENDPOINT_OF.find(([, re]) => re.test(path))?.[0];
    if (family && this.deny.has(family)) {
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
          status: '403',
        },
      };
    }

    let m: RegExpExecArray | null;
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    if (m) {
      const issue = Number(m[1]);
      if (method === 'GET') return this.page(url, this.commentsOf(issue));
      if (method === 'POST') {
        if (typeof body?.body !== 'string') return unprocessable('body is missing');
        if (body.body.length > 65_536) return unprocessable('Body is too long (maximum is 65536 characters)');
        const c = this.makeComment(body.body, caller);
        this.commentsOf(issue).push(c);
        return { status: 201, body: c };
      }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    if (m) {
      const c = [...this.comments.values()].flat().find((x) => x.id === Number(m![1]));
      if (!c) return notFound();
      if (method === 'GET') return { status: 200, body: c };
      if (method === 'PATCH') {
        if (typeof body?.body !== 'string') return unprocessable('body is missing');
        if (body.body.length > 65_536) return unprocessable('Body is too long (maximum is 65536 characters)');
        c.body = body.body;
        c.updated_at = new Date().toISOString();
        return { status: 200, body: c };
      }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/compare\/(.+)$/.exec(path);
    if (m && method === 'GET') {
      const files = this.compareFiles.get(decodeURIComponent(m[1]!));
      return files ? { status: 200, body: { status: 'ahead', files } } : notFound();
    }
    m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/.exec(path);
    if (m && method === 'GET') {
      return this.page(url, this.prFiles.get(Number(m[1])) ?? []);
    }
    m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/.exec(path);
    if (m && method === 'GET') {
      const pull = this.pulls.find((p) => p.number === Number(m![1]));
      return pull ? { status: 200, body: pull } : notFound();
    }
    if (/^\/repos\/[^/]+\/[^/]+\/pulls$/.test(path) && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head');
      return this.page(
        url,
        this.pulls.filter((p) => (state === 'all' || p.state === state) && (!head || p.head.label === head)),
      );
    }
    if (/^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(path) && method === 'POST') {
      if (!body?.name || !body?.head_sha) return unprocessable('name and head_sha are required');
      const run: FakeCheckRun = {
        id: this.nextId++,
        name: body.name,
        head_sha: body.head_sha,
        status: body.status ?? 'queued',
        conclusion: body.conclusion ?? null,
        details_url: body.details_url,
        output: {},
        annotations: [],
        annotationBatches: [],
        updates: 0,
      };
      const err = this.applyCheckOutput(run, body, false);
      if (err) return err;
      this.checkRuns.push(run);
      return { status: 201, body: run };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(path);
    if (m) {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return notFound();
      if (method === 'GET') return { status: 200, body: run };
      if (method === 'PATCH') {
        const err = this.applyCheckOutput(run, body, true);
        if (err) return err;
        if (body.status) run.status = body.status;
        if (body.conclusion) {
          run.conclusion = body.conclusion;
          run.status = 'completed';
        }
        run.updates++;
        return { status: 200, body: run };
      }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/statuses\/([^/]+)$/.exec(path);
    if (m && method === 'POST') {
      const state = body.state;
      if (!state || !['error', 'failure', 'pending', 'success'].includes(state))
        return unprocessable('state is invalid');
      if (typeof body.description === 'string' && body.description.length > 140)
        return unprocessable('description is too long (maximum is 140 characters)');
      const s: FakeStatus = {
        sha: m[1]!,
        state,
        context: body.context ?? 'default',
        description: body.description,
        target_url: body.target_url,
      };
      this.statuses.push(s);
      return { status: 201, body: { id: this.nextId++, ...s } };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/.exec(path);
    if (m && method === 'GET') {
      const file = this.files.get(url.searchParams.get('ref') ?? '')?.get(decodeURIComponent(m[1]!));
      if (file === undefined) return notFound();
      const bytes = Buffer.from(file);
      return {
        status: 200,
        body: { type: 'file', encoding: 'base64', content: bytes.toString('base64'), size: bytes.length, path: m[1] },
      };
    }
    if (path === '/user' && method === 'GET') {
      if (known?.userToken) return { status: 200, body: { login: known.login, type: known.type, id: 1 } };
      return {
        status: 403,
        body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' },
      };
    }
    if (path === '/rate_limit' && method === 'GET') {
      return {
        status: 200,
        body: { resources: { core: { limit: 5000, remaining: 4999, reset: Math.ceil(Date.now() / 1000) + 3600 } } },
      };
    }
    return notFound();
  }

  /** Validates what GitHub validates on check-run output, then records it. */
  private applyCheckOutput(
    run: FakeCheckRun,
    body: RequestBody,
    isUpdate: boolean,
  ): { status: number; body: unknown } | undefined {
    const out = body?.output;
    if (!out) return undefined;
    if (typeof out.title !== 'string' || typeof out.summary !== 'string')
      return unprocessable('output needs title and summary');
    if (out.summary.length > 65_535) return unprocessable('output.summary is too long (maximum is 65535 characters)');
    if (typeof out.text === 'string' && out.text.length > 65_535)
      return unprocessable('output.text is too long (maximum is 65535 characters)');
    const anns = out.annotations ?? [];
    if (anns.length > 50) return unprocessable('Only 50 annotations are allowed per request');
    const complete: FakeAnnotation[] = [];
    for (const a of anns) {
      if (!a.path || !a.start_line || !a.end_line || !a.annotation_level || !a.message)
        return unprocessable('annotation is missing a required field');
      complete.push({
        ...a,
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        annotation_level: a.annotation_level,
        message: a.message,
      });
    }
    run.output = { title: out.title, summary: out.summary, text: out.text ?? run.output.text };
    run.annotations.push(...complete);
    if (isUpdate) run.annotationBatches.push(anns.length);
    return undefined;
  }

  private page<T>(url: URL, items: T[]): { status: number; body: T[]; headers: Record<string, string> } {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, this.maxPerPage);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.href);
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.href}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length ? { link: links.join(', ') } : {},
    };
  }

  private commentsOf(issue: number): FakeComment[] {
    let list = this.comments.get(issue);
    if (!list) {
      list = [];
      this.comments.set(issue, list);
    }
    return list;
  }

  private makeComment(body: string, user: { login: string; type: string }): FakeComment {
    const now = new Date().toISOString();
    return { id: this.nextId++, body, user, created_at: now, updated_at: now };
  }
}

function notFound() {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}

function unprocessable(message: string) {
  return { status: 422, body: { message: 'Validation Failed', errors: [{ message }] } };
}
