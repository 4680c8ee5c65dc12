/**
 * HTTP for everything remote (Hub files, registries, LFS objects, policies): a retrying client
 * (backoff with jitter, Retry-After, idle timeouts, redirects followed by hand so the token never
 * leaves its origin) and the header parsers it needs.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { InputError } from '../errors.js';

export const DEFAULT_HTTP_CHUNK = 8 * 1024 * 1024;
/**
 * Longest any one request may take, retries included (an 8 MiB range needs seconds, a 512 MiB
 * registry entry minutes).
 */
const DEFAULT_DEADLINE_MS = 15 * 60_000;

interface RetryEvent {
  id: string;
  url: string;
  attempt: number;
  /** Why the attempt failed: "HTTP 503", "timeout", "connection dropped mid-body", ... */
  reason: string;
  delayMs: number;
}

export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** Bearer token, sent only to `tokenOrigin` (never to a redirect target such as a CDN). */
  accessToken?: string;
  tokenOrigin?: string;
  /**
   * The whole Authorization value sent to `tokenOrigin` instead of `Bearer <accessToken>` (the
   * Git LFS batch API takes HTTP Basic `x-access-token:<token>`, as git sends it).
   */
  authorization?: string;
  /** The message of a 401/403 from `tokenOrigin` (default: the Hub's, which names HF_TOKEN). */
  deniedMessage?: (status: number, headers: Headers) => string;
  /** Attempts per request, the first included. */
  attempts?: number;
  /** An attempt fails when no byte arrives for this long (headers or body). */
  timeoutMs?: number;
  /**
   * A request (all its attempts and waits) ends with an error after this long, however steadily
   * bytes trickle in: a server dripping a byte every few seconds never trips the idle timeout.
   */
  deadlineMs?: number;
  /** First backoff delay; doubles per attempt up to maxBackoffMs, with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A Retry-After longer than this ends the request with an error instead of waiting. */
  maxRetryAfterMs?: number;
  /** Requests in flight at once (sample mode fires one request per sampled row). */
  concurrency?: number;
  maxRedirects?: number;
  /** Backoff wait; `signal` (the client's) may end it early, and the wait rejects then. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (e: RetryEvent) => void;
  /**
   * Cancels every request of this client, in flight or waiting (the App's job budget): an aborted
   * request throws the signal's reason at once, never retried as a dropped connection.
   */
  signal?: AbortSignal;
}

interface HttpRequest {
  /** Names the resource in error messages (`hf:org/name@rev/model.safetensors`). */
  id: string;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  /** Request body (POST). Sent again on a retry and kept across a 307/308 redirect. */
  body?: string;
  /**
   * The URL is a signed link that may expire (a Git LFS download href): 401, 403, 404 and 410
   * from any origin throw StaleLocation, so the caller asks for a fresh link.
   */
  expiring?: boolean;
  /** Largest body accepted; more is an error (a server ignoring Range must not stream a 1 TB file). */
  maxBody: number;
  /** Called before the body is read; throw an InputError to reject the response (never retried). */
  validate?: (res: Response, hops: RedirectInfo & { url: string }) => void;
  /** Body must be exactly this long; shorter is a dropped connection (retried). */
  expectLength?: number;
  /** 404/410 are handed back instead of thrown (side files, existence checks). */
  allowMissing?: boolean;
  /** Counts body bytes as they arrive, failed attempts included: what crossed the network. */
  onBytes?: (n: number) => void;
}

/** Headers seen on redirect hops (the Hub puts the file's identity there, the CDN serves bytes). */
export interface RedirectInfo {
  hops: number;
  linkedEtag?: string;
  linkedSize?: number;
  repoCommit?: string;
}

interface HttpResult extends RedirectInfo {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** URL that answered after redirects. */
  url: string;
}

/** A retryable failure of one attempt. */
class Transient extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

/** A non-token origin refused or lost the URL (an expired signed CDN link): resolve again. */
export class StaleLocation extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status} from the download host`);
  }
}

// an aborted wait clears its timer: nothing of the request keeps the process alive after it
const sleepReal = (ms: number, signal?: AbortSignal) => sleepTimer(ms, undefined, { signal });

export class HttpClient {
  readonly opts: Required<
    Omit<
      HttpClientOptions,
      'accessToken' | 'tokenOrigin' | 'onRetry' | 'deadlineMs' | 'authorization' | 'deniedMessage' | 'signal'
    >
  > &
    Pick<
      HttpClientOptions,
      'accessToken' | 'tokenOrigin' | 'onRetry' | 'authorization' | 'deniedMessage' | 'signal'
    > & {
      deadlineMs: number;
    };
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(options: HttpClientOptions = {}) {
    this.opts = {
      fetch: options.fetch ?? globalThis.fetch,
      accessToken: options.accessToken,
      tokenOrigin: options.tokenOrigin,
      authorization: options.authorization,
      deniedMessage: options.deniedMessage,
      attempts: options.attempts ?? 6,
      timeoutMs: options.timeoutMs ?? 30_000,
      deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      backoffMs: options.backoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
      concurrency: options.concurrency ?? 16,
      maxRedirects: options.maxRedirects ?? 5,
      sleep: options.sleep ?? sleepReal,
      random: options.random ?? Math.random,
      onRetry: options.onRetry,
      signal: options.signal,
    };
  }

  /**
   * One logical request: retried on 429/5xx/timeouts/dropped connections, never on bad data,
   * and never past the deadline.
   */
  async request(url: string, req: HttpRequest): Promise<HttpResult> {
    const { attempts } = this.opts;
    // counted from the first time a slot is free: waiting behind other requests is not this one's delay
    let deadline: number | undefined;
    let last: Transient | undefined;
    const signal = this.opts.signal;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      signal?.throwIfAborted();
      await this.acquire();
      deadline ??= Date.now() + this.opts.deadlineMs;
      try {
        signal?.throwIfAborted();
        return await this.attempt(url, req, deadline);
      } catch (err) {
        // an abort is the caller's, not the server's: its reason, not a retry
        signal?.throwIfAborted();
        if (!(err instanceof Transient)) throw err;
        last = err;
      } finally {
        this.release();
      }
      if (attempt === attempts) break;
      if (last.retryAfterMs !== undefined && last.retryAfterMs > this.opts.maxRetryAfterMs) {
        throw new InputError(
          req.id,
          `${last.reason}: the server asks to wait ${Math.ceil(last.retryAfterMs / 1000)} s, ` +
            `more than the ${Math.ceil(this.opts.maxRetryAfterMs / 1000)} s allowed; try again later`,
        );
      }
      const delayMs = this.delay(attempt, last.retryAfterMs);
      if (Date.now() + delayMs >= deadline!) throw this.pastDeadline(req, `last attempt: ${last.reason}`);
      this.opts.onRetry?.({ id: req.id, url: redact(url), attempt, reason: last.reason, delayMs });
      await abortable(this.opts.sleep(delayMs, signal), signal);
    }
    throw new InputError(
      req.id,
      `${last!.reason} after ${attempts} attempts` +
        `${last!.reason === 'timeout' ? ` (no data for ${fmtSeconds(this.opts.timeoutMs)})` : ''}; giving up`,
    );
  }

  /** Exponential backoff with equal jitter; a Retry-After is a floor, not a suggestion. */
  private delay(attempt: number, retryAfterMs?: number): number {
    const base = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
    const jittered = base / 2 + (base / 2) * this.opts.random();
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  private pastDeadline(req: HttpRequest, detail: string): InputError {
    return new InputError(
      req.id,
      `no complete response within ${fmtSeconds(this.opts.deadlineMs)} (${detail}); giving up`,
    );
  }

  private async attempt(url: string, req: HttpRequest, deadline: number): Promise<HttpResult> {
    const controller = new AbortController();
    // the client's signal cancels this attempt's fetch and body read too (a server dribbling bytes)
    const outer = this.opts.signal;
    const cancel = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', cancel, { once: true });
    let timedOut = false;
    let pastDeadline = false;
    let received = 0;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.opts.timeoutMs);
    };
    const overall = setTimeout(
      () => {
        pastDeadline = true;
        controller.abort();
      },
      Math.max(0, deadline - Date.now()),
    );
    arm();
    try {
      const { res, info, finalUrl } = await this.follow(url, req, controller.signal);
      arm();
      const status = res.status;
      if (status >= 200 && status < 300) {
        try {
          req.validate?.(res, { ...info, url: finalUrl });
        } catch (err) {
          await res.body?.cancel().catch(() => {});
          throw err;
        }
        const body =
          req.method === 'HEAD'
            ? new Uint8Array(0)
            : await this.readBody(res, req, (n) => {
                received += n;
                arm();
              });
        if (req.expectLength !== undefined && body.byteLength !== req.expectLength) {
          throw new Transient(`connection dropped mid-body (${body.byteLength} of ${req.expectLength} bytes)`);
        }
        return { ...info, status, headers: res.headers, body, url: finalUrl };
      }
      await res.body?.cancel().catch(() => {});
      throw this.statusError(status, res.headers, finalUrl, req);
    } catch (err) {
      if (outer?.aborted) throw outer.reason;
      if (pastDeadline) throw this.pastDeadline(req, `${received} bytes arrived, still incomplete`);
      if (timedOut) throw new Transient('timeout');
      if (
        err instanceof InputError ||
        err instanceof Transient ||
        err instanceof StaleLocation ||
        err instanceof Missing
      )
        throw err;
      if (err instanceof BodyTooLarge) throw new InputError(req.id, err.message);
      // fetch rejects with a TypeError for refused/reset connections and for a body cut short
      throw new Transient(`connection failed (${describeNetworkError(err)})`);
    } finally {
      clearTimeout(timer);
      clearTimeout(overall);
      outer?.removeEventListener('abort', cancel);
    }
  }

  /**
   * Follows redirects by hand: the token goes to its origin only, and an Authorization or Cookie
   * header the caller set (a signed download's own credentials) never leaves the first origin.
   */
  private async follow(
    url: string,
    req: HttpRequest,
    signal: AbortSignal,
  ): Promise<{ res: Response; info: RedirectInfo; finalUrl: string }> {
    const info: RedirectInfo = { hops: 0 };
    const firstOrigin = new URL(url).origin;
    let current = url;
    let method: string = req.method ?? 'GET';
    let body = req.body;
    for (;;) {
      const origin = new URL(current).origin;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers ?? {})) {
        if (origin !== firstOrigin && /^(authorization|cookie)$/i.test(k)) continue;
        headers[k] = v;
      }
      if (this.opts.tokenOrigin && origin === this.opts.tokenOrigin) {
        const auth = this.opts.authorization ?? (this.opts.accessToken ? `Bearer ${this.opts.accessToken}` : undefined);
        if (auth) {
          for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
          headers.authorization = auth;
        }
      }
      const res = await this.opts.fetch(current, { method, headers, body, redirect: 'manual', signal });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        info.linkedEtag = res.headers.get('x-linked-etag') ?? info.linkedEtag;
        const size = Number(res.headers.get('x-linked-size') ?? NaN);
        if (Number.isSafeInteger(size)) info.linkedSize = size;
        info.repoCommit = res.headers.get('x-repo-commit') ?? info.repoCommit;
        await res.body?.cancel().catch(() => {});
        if (++info.hops > this.opts.maxRedirects)
          throw new InputError(req.id, `more than ${this.opts.maxRedirects} redirects`);
        // 307/308 repeat the request as it was; the others continue with a GET, as browsers do
        if (res.status !== 307 && res.status !== 308 && method === 'POST') {
          method = 'GET';
          body = undefined;
        }
        current = new URL(location, current).toString();
        continue;
      }
      info.repoCommit = res.headers.get('x-repo-commit') ?? info.repoCommit;
      return { res, info, finalUrl: current };
    }
  }

  private statusError(status: number, headers: Headers, finalUrl: string, req: HttpRequest): Error {
    const atTokenOrigin = this.opts.tokenOrigin !== undefined && new URL(finalUrl).origin === this.opts.tokenOrigin;
    if (status === 429 || status === 408 || status >= 500) {
      return new Transient(`HTTP ${status}`, parseRetryAfter(headers.get('retry-after')));
    }
    if (req.expiring && [401, 403, 404, 410].includes(status)) return new StaleLocation(status);
    if ((status === 401 || status === 403) && atTokenOrigin && this.opts.deniedMessage)
      return new InputError(req.id, this.opts.deniedMessage(status, headers));
    if ((status === 401 || status === 403) && atTokenOrigin) {
      // The Hub answers 401 for private and for missing repos alike; X-Error-Code tells them apart
      const code = headers.get('x-error-code');
      const what =
        code === 'RepoNotFound'
          ? 'repository not found (or private)'
          : code === 'GatedRepo'
            ? 'gated repository'
            : 'gated or private repository';
      const why = this.opts.accessToken
        ? `HTTP ${status}, ${what}: the token in HF_TOKEN has no access; accept the model's licence ` +
          'on its Hub page with that account, or use a token with read access'
        : `HTTP ${status}, ${what}: set HF_TOKEN to a Hugging Face access token ` +
          "and accept the model's licence on its Hub page";
      return new InputError(req.id, why);
    }
    if (!atTokenOrigin && this.opts.tokenOrigin !== undefined && [401, 403, 404, 410].includes(status))
      return new StaleLocation(status);
    if (status === 404 || status === 410) {
      if (req.allowMissing) return new Missing(status);
      return new InputError(req.id, `not found (HTTP ${status})`);
    }
    if (status === 401 || status === 403) return new InputError(req.id, `access denied (HTTP ${status})`);
    if (status === 416)
      return new InputError(
        req.id,
        `range not satisfiable (HTTP 416): the file on the server is shorter than its header says`,
      );
    return new InputError(req.id, `unexpected HTTP ${status}`);
  }

  /**
   * The body, at most maxBody bytes as decoded: fetch undoes a gzip/deflate/br Content-Encoding
   * as the body streams, so the cap bounds the decompressed size (a 1 MB gzip bomb stops at the
   * cap, not at its gigabytes).
   */
  private async readBody(res: Response, req: HttpRequest, onProgress: (n: number) => void): Promise<Uint8Array> {
    if (!res.body) return new Uint8Array(0);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > req.maxBody) {
      await res.body.cancel().catch(() => {});
      throw new BodyTooLarge(`response of ${declared} bytes exceeds the ${req.maxBody} expected`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      req.onBytes?.(value.byteLength);
      if (total > req.maxBody) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLarge(`response exceeds the ${req.maxBody} bytes expected`);
      }
      chunks.push(value);
      onProgress(value.byteLength);
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let pos = 0;
    for (const c of chunks) {
      out.set(c, pos);
      pos += c.byteLength;
    }
    return out;
  }

  private acquire(): Promise<void> {
    if (this.active < this.opts.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.active++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  /**
   * A `fetch` for libraries (@huggingface/hub): same retries, redirects and token handling, the
   * body buffered (metadata only: headers, indexes, listings). `onBytes` counts what arrived.
   */
  asFetch(
    id: string,
    hooks: {
      onBytes?: (n: number) => void;
      onError?: (err: Error) => void;
      /** Every answer a library received, for pinning what it read (ETag, commit) to later reads. */
      onResult?: (url: string, result: HttpResult) => void;
    } = {},
    maxBody = 256 * 1024 * 1024,
  ): typeof fetch {
    const { onBytes, onError, onResult } = hooks;
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => {
        // the client adds the token itself, for its origin only
        if (k !== 'authorization') headers[k] = v;
      });
      const method = (init?.method ?? 'GET').toUpperCase() === 'HEAD' ? 'HEAD' : 'GET';
      try {
        const r = await this.request(url, { id, method, headers, maxBody, allowMissing: true, onBytes });
        onResult?.(url, r);
        return new Response(method === 'HEAD' ? null : r.body, { status: r.status, headers: r.headers });
      } catch (err) {
        if (err instanceof Missing) {
          return new Response(null, { status: err.status, headers: { 'x-error-code': 'EntryNotFound' } });
        }
        // Libraries may swallow what fetch throws (and report "invalid JSON"): keep the real cause
        const e = err instanceof StaleLocation ? new InputError(id, err.message) : (err as Error);
        onError?.(e);
        throw e;
      }
    }) as typeof fetch;
  }
}

class BodyTooLarge extends Error {}

/** `p`, or the signal's reason as soon as it is aborted (a backoff wait is not sat out). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** 404/410 when the caller asked for it back. */
export class Missing extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** `bytes a-b/total` → numbers; total undefined for `*`. */
export function parseContentRange(value: string | null): { start: number; end: number; total?: number } | undefined {
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? '');
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

function describeNetworkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

function fmtSeconds(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/** Signed CDN URLs carry credentials in the query: keep them out of logs. */
export function redact(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : `${url.slice(0, i)}?…`;
}
