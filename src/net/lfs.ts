/**
 * The Git LFS batch API (download only), through the one HTTP client: one POST turns up to 100
 * (oid, size) pairs into download links (href, headers, expiry), which the object sources then
 * read by HTTP Range. The token goes to the LFS endpoint's origin only, as HTTP Basic
 * `x-access-token:<token>` (what git sends); a link's own headers are the storage's credentials.
 * Spec: https://github.com/git-lfs/git-lfs/blob/main/docs/api/batch.md
 */
import { InputError } from '../errors.js';
import { HttpClient, type HttpClientOptions, Missing, StaleLocation } from './http.js';

/** An object as the batch API names it: a pointer file's oid and size. */
export interface LfsObjectId {
  oid: string;
  size: number;
}

export const LFS_MEDIA_TYPE = 'application/vnd.git-lfs+json';
/** Objects per batch request (git-lfs sends 100 as well). */
export const LFS_BATCH_SIZE = 100;
/** A batch answer for 100 objects is a few tens of KB; anything near this is not one. */
const MAX_BATCH_BODY = 8 * 1024 * 1024;

export interface LfsAccess {
  /** The LFS endpoint, `<repository web URL>.git/info/lfs`. */
  url: string;
  /** Job or installation token, sent to the endpoint's origin only; none for public repositories. */
  token?: string;
  fetch?: typeof fetch;
  /** Retry, timeout and concurrency settings of the HTTP clients (tests shorten the backoff). */
  http?: Omit<HttpClientOptions, 'fetch' | 'accessToken' | 'tokenOrigin' | 'authorization' | 'deniedMessage'>;
}

export interface LfsDownloadAction {
  href: string;
  header: Record<string, string>;
  /** Milliseconds since the epoch after which the server said the link stops working. */
  expiresAt?: number;
}

/** The server's per-object refusal (`objects[].error`), e.g. 404 "Object does not exist". */
export interface LfsObjectError {
  code: number;
  message: string;
}

export type LfsBatchAnswer = { action: LfsDownloadAction } | { error: LfsObjectError };

/** The endpoint answered 404/410: no batch API there (or a repository the token cannot see). */
export class LfsBatchUnavailable extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`the LFS batch API at ${url} answered HTTP ${status}`);
  }
}

/** The LFS endpoint of a repository from its web URL (github.com and GitHub Enterprise alike). */
export function lfsEndpointFor(htmlUrl: string): string {
  return `${htmlUrl.replace(/\/+$/, '').replace(/\.git$/, '')}.git/info/lfs`;
}

/** The batch API wants the bare hex oid; pointers carry `sha256:<hex>`. */
export function bareOid(oid: string): string {
  return oid.includes(':') ? oid.slice(oid.indexOf(':') + 1) : oid;
}

export class LfsBatchClient {
  readonly url: string;
  private readonly http: HttpClient;
  /** Batch requests sent (each may carry up to 100 objects). */
  requests = 0;

  constructor(access: LfsAccess) {
    this.url = access.url.replace(/\/+$/, '');
    let origin: string;
    try {
      const u = new URL(this.url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http');
      origin = u.origin;
    } catch {
      throw new InputError('LFS endpoint', `not an http(s) URL: ${JSON.stringify(access.url)}`);
    }
    const basic = access.token
      ? `Basic ${Buffer.from(`x-access-token:${access.token}`).toString('base64')}`
      : undefined;
    this.http = new HttpClient({
      ...access.http,
      fetch: access.fetch,
      tokenOrigin: origin,
      authorization: basic,
      deniedMessage: (status) =>
        `the LFS batch API at ${this.url} refused ${access.token ? 'the token' : 'an anonymous request'} ` +
        `(HTTP ${status}): the token needs read access to the repository's contents`,
    });
  }

  /**
   * Download links for `objects` (at most LFS_BATCH_SIZE), by bare oid. `id` names the file the
   * request is made for in errors. Throws LfsBatchUnavailable on 404/410 from the endpoint.
   */
  async download(id: string, objects: readonly LfsObjectId[]): Promise<Map<string, LfsBatchAnswer>> {
    if (objects.length > LFS_BATCH_SIZE) throw new RangeError(`at most ${LFS_BATCH_SIZE} objects per batch`);
    const body = JSON.stringify({
      operation: 'download',
      transfers: ['basic'],
      objects: objects.map((o) => ({ oid: bareOid(o.oid), size: o.size })),
      hash_algo: 'sha256',
    });
    this.requests++;
    let text: string;
    try {
      const res = await this.http.request(`${this.url}/objects/batch`, {
        id,
        method: 'POST',
        body,
        headers: { accept: LFS_MEDIA_TYPE, 'content-type': LFS_MEDIA_TYPE },
        maxBody: MAX_BATCH_BODY,
        allowMissing: true,
      });
      text = new TextDecoder().decode(res.body);
    } catch (err) {
      if (err instanceof Missing) throw new LfsBatchUnavailable(this.url, err.status);
      // a redirect to another host, which refused the request (the token stays with the endpoint's origin)
      if (err instanceof StaleLocation)
        throw new InputError(
          id,
          `the LFS batch API at ${this.url} redirected to another host, which answered HTTP ${err.status} ` +
            `(the token is sent to ${new URL(this.url).origin} only)`,
        );
      throw err;
    }
    return parseBatchAnswer(id, this.url, text, objects);
  }
}

function parseBatchAnswer(
  id: string,
  url: string,
  text: string,
  asked: readonly LfsObjectId[],
): Map<string, LfsBatchAnswer> {
  const malformed = (what: string) =>
    new InputError(id, `the LFS batch API at ${url} sent a malformed answer (${what})`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed('not JSON');
  }
  const objects = (json as { objects?: unknown } | null)?.objects;
  if (!Array.isArray(objects)) throw malformed('no "objects" list');
  const sizes = new Map(asked.map((o) => [bareOid(o.oid), o.size]));
  const out = new Map<string, LfsBatchAnswer>();
  for (const raw of objects) {
    const o = raw as {
      oid?: unknown;
      size?: unknown;
      error?: { code?: unknown; message?: unknown };
      actions?: { download?: { href?: unknown; header?: unknown; expires_in?: unknown; expires_at?: unknown } };
    } | null;
    if (typeof o !== 'object' || o === null || typeof o.oid !== 'string') throw malformed('an object without an oid');
    if (!sizes.has(o.oid)) continue; // not asked for: ignored
    if (o.error !== undefined) {
      const code = typeof o.error?.code === 'number' ? o.error.code : 0;
      const message = typeof o.error?.message === 'string' ? o.error.message.split('\n')[0]!.slice(0, 200) : '';
      out.set(o.oid, { error: { code, message } });
      continue;
    }
    if (o.size !== undefined && o.size !== sizes.get(o.oid))
      throw malformed(`object ${o.oid} has size ${String(o.size)}, the pointer says ${sizes.get(o.oid)}`);
    const dl = o.actions?.download;
    if (!dl) {
      // The spec: no actions means the server already has the object (an upload answer), never for a download.
      out.set(o.oid, { error: { code: 0, message: 'the server offered no download for it' } });
      continue;
    }
    if (typeof dl.href !== 'string') throw malformed(`object ${o.oid} has no download href`);
    let href: URL;
    try {
      href = new URL(dl.href);
    } catch {
      throw malformed(`object ${o.oid} has a download href that is not a URL`);
    }
    if (href.protocol !== 'https:' && href.protocol !== 'http:')
      throw malformed(`object ${o.oid} has a download href that is not http(s)`);
    const header: Record<string, string> = {};
    if (dl.header !== undefined) {
      if (typeof dl.header !== 'object' || dl.header === null || Array.isArray(dl.header))
        throw malformed(`object ${o.oid} has a malformed download header`);
      for (const [k, v] of Object.entries(dl.header)) {
        if (typeof v !== 'string' || /[\r\n]/.test(k + v))
          throw malformed(`object ${o.oid} has a malformed download header`);
        header[k] = v;
      }
    }
    out.set(o.oid, { action: { href: href.toString(), header, expiresAt: expiry(dl.expires_in, dl.expires_at) } });
  }
  for (const o of asked) if (!out.has(bareOid(o.oid))) throw malformed(`no answer for object ${bareOid(o.oid)}`);
  return out;
}

function expiry(expiresIn: unknown, expiresAt: unknown): number | undefined {
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn)) return Date.now() + expiresIn * 1000;
  if (typeof expiresAt === 'string') {
    const t = Date.parse(expiresAt);
    // the spec's zero value (0001-01-01T00:00:00Z) means "does not expire"
    if (Number.isFinite(t) && t > 0) return t;
  }
  return undefined;
}
