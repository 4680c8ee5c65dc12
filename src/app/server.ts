/**
 * The HTTP face of the App (node:http, no framework): webhook endpoints that verify, record and
 * answer in milliseconds, and the read-only dashboard. All work happens in the queue.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { renderDashboard, renderJob, renderLogin, renderNotFound, renderReport } from './dashboard.js';
import { clearedSessionCookie, isAuthorised, sameSecret, sessionCookie } from './dashboard-auth.js';
import { routeGitHubEvent, routeHubEvent, type Routed } from './events.js';
import type { NewJob, Store } from './store.js';

/** GitHub caps webhook payloads at 25 MB; anything bigger is not from GitHub. */
const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * Request bodies are read before their signature can be checked, so anyone who reaches the port
 * can make the server buffer. This budget bounds what all unverified bodies together may hold:
 * past `maxBodies` bodies in flight, or `maxBytes` buffered, a request gets 503 at once.
 */
export class BodyBudget {
  active = 0;
  bytes = 0;
  constructor(
    readonly maxBodies = 16,
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}
}

interface ServerDeps {
  store: Store;
  /** Woken after a delivery is stored, so the job starts without waiting for the next poll. */
  queue?: { notify(): void; inFlight?: number };
  /** Told the jobs of each verified delivery that queued any (a duplicate or replay tells nothing). */
  onQueued?: (jobs: readonly NewJob[]) => void;
  /** Any one verifies (rotation: deploy old+new, switch GitHub to new, then drop old). */
  webhookSecrets: string[];
  hfWebhookSecret?: string;
  maxBodyBytes?: number;
  /** Shared by every request being read; default 16 bodies, 64 MiB. */
  bodyBudget?: BodyBudget;
  /** DASHBOARD_TOKEN: the dashboard and report pages need it; undefined turns them off (404). */
  dashboardToken?: string;
  /** Mark the session cookie Secure (PUBLIC_URL is https). */
  secureCookies?: boolean;
  log?: { info: (m: string) => void; warn: (m: string) => void };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createAppServer(deps: ServerDeps): Server {
  if (deps.webhookSecrets.length === 0) throw new Error('at least one webhook secret is required');
  const verifiers = deps.webhookSecrets.map((secret) => new Webhooks({ secret }));
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const budget = deps.bodyBudget ?? new BodyBudget();
  const log = deps.log ?? { info: () => {}, warn: (m: string) => console.warn(m) };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) log.warn(`${req.method} ${req.url}: ${message}`);
      if (!res.headersSent) {
        sendJson(
          res,
          status,
          { error: message },
          status === 413 || status === 503
            ? { Connection: 'close', ...(status === 503 ? { 'Retry-After': '5' } : {}) }
            : {},
        );
      } else res.end();
    });
  });
  // Slow-loris protection: a webhook sender has 30 s to deliver its request.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';

    if (path === '/api/github/webhooks') {
      if (method !== 'POST') throw new HttpError(405, 'POST only');
      return githubWebhook(req, res);
    }
    if (path === '/api/hf/webhooks') {
      if (!deps.hfWebhookSecret)
        throw new HttpError(404, 'the Hugging Face webhook is not configured (HF_WEBHOOK_SECRET)');
      if (method !== 'POST') throw new HttpError(405, 'POST only');
      return hubWebhook(req, res);
    }
    if (path === '/login' && method === 'POST') return login(req, res);
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'GET only');
    if (path === '/healthz') {
      const dbOk = deps.store.ping();
      const counts = dbOk ? deps.store.counts() : undefined;
      return sendJson(res, dbOk ? 200 : 503, {
        ok: dbOk,
        db: dbOk,
        queue: counts ? { depth: counts.queued + counts.running, ...counts } : null,
      });
    }
    // Everything below shows the watched repositories' results: off without a token, and only
    // for a request that carries it.
    if (!deps.dashboardToken)
      return sendHtml(res, 404, renderNotFound('The dashboard is off (DASHBOARD_TOKEN is not set).'));
    if (path === '/login') return sendHtml(res, 200, renderLogin());
    if (path === '/logout') return sendHtml(res, 200, renderLogin(), { 'Set-Cookie': clearedSessionCookie() });
    if (!isAuthorised(req, deps.dashboardToken))
      return sendHtml(res, 401, renderLogin(), { 'WWW-Authenticate': 'Bearer realm="weightprint"' });
    if (path === '/') {
      const html = renderDashboard({
        repos: deps.store.listRepos(),
        latest: deps.store.latestResults(),
        jobs: deps.store.listJobs(30),
        counts: deps.store.counts(),
      });
      return sendHtml(res, 200, html);
    }
    const report = /^\/reports\/(\d+)$/.exec(path);
    if (report) {
      const r = deps.store.getResult(Number(report[1]));
      return r ? sendHtml(res, 200, renderReport(r)) : sendHtml(res, 404, renderNotFound(`No report #${report[1]}.`));
    }
    const job = /^\/jobs\/(\d+)$/.exec(path);
    if (job) {
      const j = deps.store.getJob(Number(job[1]));
      return j
        ? sendHtml(res, 200, renderJob(j, deps.store.resultsForJob(j.id)))
        : sendHtml(res, 404, renderNotFound(`No job #${job[1]}.`));
    }
    sendHtml(res, 404, renderNotFound(`Nothing at ${path}.`));
  }

  /** The sign-in form's POST: the token in a urlencoded body; a session cookie when it matches. */
  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!deps.dashboardToken)
      return sendHtml(res, 404, renderNotFound('The dashboard is off (DASHBOARD_TOKEN is not set).'));
    const body = await readBody(req, 4096, budget);
    const given = new URLSearchParams(body.toString('utf8')).get('token') ?? '';
    if (!given || !sameSecret(given, deps.dashboardToken)) {
      log.warn(`dashboard sign-in refused from ${req.socket.remoteAddress ?? 'unknown address'}`);
      return sendHtml(res, 401, renderLogin('That is not the dashboard token.'));
    }
    const secure = header(req, 'x-forwarded-proto') === 'https' || deps.secureCookies === true;
    res.writeHead(303, {
      Location: '/',
      'Set-Cookie': sessionCookie(deps.dashboardToken, secure),
      'Cache-Control': 'no-store',
    });
    res.end();
  }

  async function githubWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Everything that can be refused without the body is refused before a byte of it is read.
    const signature = header(req, 'x-hub-signature-256');
    if (!signature) throw new HttpError(401, 'missing X-Hub-Signature-256');
    if (!/^sha256=[0-9a-f]{64}$/.test(signature)) throw new HttpError(401, 'malformed X-Hub-Signature-256');
    const event = header(req, 'x-github-event');
    const delivery = header(req, 'x-github-delivery');
    if (!event) throw new HttpError(400, 'missing X-GitHub-Event');
    if (!delivery) throw new HttpError(400, 'missing X-GitHub-Delivery');
    const body = await readBody(req, maxBody, budget);
    const text = body.toString('utf8');
    // Check every secret (not first-match) so timing does not reveal which one is current.
    const checks = await Promise.all(verifiers.map((w) => w.verify(text, signature).catch(() => false)));
    if (!checks.some(Boolean)) throw new HttpError(401, 'signature does not match');

    const payload = parsePayload(text, header(req, 'content-type'));
    const routed = routeGitHubEvent(event, payload);
    const action =
      typeof (payload as { action?: unknown }).action === 'string' ? `.${(payload as { action: string }).action}` : '';
    const digest = createHash('sha256').update(body).digest('hex');
    record(res, delivery, 'github', `${event}${action}`, routed, digest);
  }

  async function hubWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = header(req, 'x-webhook-secret');
    if (!given) throw new HttpError(401, 'missing X-Webhook-Secret');
    if (!sameSecret(given, deps.hfWebhookSecret!)) throw new HttpError(401, 'X-Webhook-Secret does not match');
    const body = await readBody(req, maxBody, budget);
    const payload = parsePayload(body.toString('utf8'), header(req, 'content-type'));
    const routed = routeHubEvent(payload);
    record(res, routed.deliveryId ?? `hf:${randomUUID()}`, 'hf', 'repo.content', routed);
  }

  function record(
    res: ServerResponse,
    delivery: string,
    source: string,
    event: string,
    routed: Routed,
    bodySha256?: string,
  ): void {
    const outcome = deps.store.recordDelivery(delivery, source, event, routed.jobs, bodySha256);
    if (outcome.duplicate) {
      const what = outcome.replayOf ? `a replay of delivery ${outcome.replayOf}` : 'already received';
      log.info(`${source} delivery ${delivery} (${event}) is ${what}; not processed again`);
      sendJson(res, 200, {
        duplicate: true,
        delivery,
        ...(outcome.replayOf ? { replayOf: outcome.replayOf } : {}),
        jobs: outcome.jobIds,
      });
      return;
    }
    if (outcome.jobIds.length === 0) {
      sendJson(res, 200, { delivery, queued: 0, ignored: routed.ignored ?? 'nothing to do' });
      return;
    }
    deps.queue?.notify();
    deps.onQueued?.(routed.jobs);
    log.info(
      `${source} delivery ${delivery} (${event}): ` +
        `queued ${outcome.jobIds.length === 1 ? 'job' : 'jobs'} ${outcome.jobIds.join(', ')}`,
    );
    sendJson(res, 202, { delivery, queued: outcome.jobIds.length, jobs: outcome.jobIds });
  }

  return server;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/**
 * Reads the whole body, refusing (413) before buffering more than `max` bytes, and (503) when the
 * budget shared by all bodies in flight is spent: a burst of slow partial bodies cannot grow memory
 * past `budget.maxBytes`.
 */
function readBody(req: IncomingMessage, max: number, budget: BodyBudget): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume(); // drain so the 413 reaches the client instead of a reset
    return Promise.reject(new HttpError(413, `body of ${declared} bytes exceeds the ${max}-byte limit`));
  }
  if (budget.active >= budget.maxBodies) {
    req.resume();
    return Promise.reject(new HttpError(503, 'too many request bodies in flight; retry later'));
  }
  budget.active++;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const release = () => {
      settled = true;
      budget.active--;
      budget.bytes -= size;
      chunks.length = 0;
    };
    const fail = (err: Error) => {
      if (settled) return;
      release();
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > max) {
        fail(new HttpError(413, `body exceeds the ${max}-byte limit`));
        return;
      }
      if (budget.bytes + chunk.length > budget.maxBytes) {
        fail(new HttpError(503, "request bodies in flight exceed the server's budget; retry later"));
        return;
      }
      size += chunk.length;
      budget.bytes += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      const body = Buffer.concat(chunks);
      release();
      resolve(body);
    });
    req.on('error', (err) => fail(err));
    // A client that goes away mid-body frees its share at once.
    req.on('close', () => fail(new HttpError(400, 'request closed before its body ended')));
  });
}

function parsePayload(text: string, contentType: string | undefined): Record<string, unknown> {
  let json = text;
  // GitHub can also be set to deliver application/x-www-form-urlencoded with a `payload` field.
  if (contentType?.startsWith('application/x-www-form-urlencoded'))
    json = new URLSearchParams(text).get('payload') ?? '';
  try {
    const v: unknown = JSON.parse(json);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'payload is not a JSON object');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    // The pages need no script at all; forbid it so an escaping slip cannot become XSS. The only
    // form (sign-in) posts to this server; nothing may frame the pages.
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; " +
      "form-action 'self'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(html);
}
