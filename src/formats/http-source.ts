/**
 * A ByteSource over HTTP Range requests that refuses anything it cannot prove is the requested
 * bytes of one unchanged file (206 + exact Content-Range + pinned ETag + exact length).
 */
import { InputError } from '../errors.js';
import {
  DEFAULT_HTTP_CHUNK,
  type HttpClient,
  StaleLocation,
  parseContentRange,
  type RedirectInfo,
} from '../net/http.js';
import type { ByteSource } from './types.js';

function weak(etag: string): boolean {
  return etag.startsWith('W/');
}

function sameEtag(a: string, b: string): boolean {
  return a.replace(/^W\//, '') === b.replace(/^W\//, '');
}

// ---------------------------------------------------------------------------------------------

interface HttpSourceInit {
  /** Names the file in messages. */
  id: string;
  /** URL to resolve (the Hub's `resolve` URL); redirects are followed and the target cached. */
  url: string;
  size: number;
  /** Identity already seen (e.g. while reading metadata): a different file is then an error. */
  etag?: string;
  linkedEtag?: string;
  /** Extra bytes to report with this file's (metadata and side files fetched for the model). */
  shared?: { bytes: number };
}

/**
 * Random access to one remote file over HTTP Range. Every response must be 206 with exactly the
 * requested Content-Range and the pinned ETag; data that cannot be proven to be the requested
 * bytes of the same file version is an error, never used.
 */
export class HttpRangeSource implements ByteSource {
  readonly id: string;
  readonly size: number;
  private readonly url: string;
  /** Redirect target of the last read (signed CDN URL), reused until it stops working. */
  private location?: string;
  private etag?: string;
  /** URL whose response pinned `etag`: If-Range is only meaningful to that server. */
  private etagUrl?: string;
  private linkedEtag?: string;
  private fetched = 0;
  private closed = false;
  private readonly shared?: { bytes: number };
  repoCommit?: string;

  constructor(
    private readonly client: HttpClient,
    init: HttpSourceInit,
  ) {
    this.id = init.id;
    this.url = init.url;
    this.size = init.size;
    this.etag = init.etag;
    this.linkedEtag = init.linkedEtag;
    this.shared = init.shared;
  }

  bytesRead(): number {
    return this.fetched + (this.shared?.bytes ?? 0);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
    }
    if (this.closed) throw new Error(`${this.id}: read after close`);
    if (offset + length > this.size) {
      throw new InputError(
        this.id,
        `truncated: needs bytes [${offset}, ${offset + length}) but the file has ${this.size} bytes`,
      );
    }
    if (length === 0) return new Uint8Array(0);
    if (this.location) {
      try {
        return await this.fetchRange(this.location, offset, length);
      } catch (err) {
        if (!(err instanceof StaleLocation)) throw err;
        this.location = undefined; // expired signed link: ask the Hub again
      }
    }
    try {
      return await this.fetchRange(this.url, offset, length);
    } catch (err) {
      if (err instanceof StaleLocation)
        throw new InputError(this.id, `the download host refused the file (HTTP ${err.status})`);
      throw err;
    }
  }

  async *stream(offset: number, length: number, chunkSize = DEFAULT_HTTP_CHUNK): AsyncIterable<Uint8Array> {
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)
      throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
    if (offset + length > this.size) {
      throw new InputError(
        this.id,
        `truncated: needs bytes [${offset}, ${offset + length}) but the file has ${this.size} bytes`,
      );
    }
    const end = offset + length;
    for (let pos = offset; pos < end; pos += chunkSize) yield await this.read(pos, Math.min(chunkSize, end - pos));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async fetchRange(url: string, offset: number, length: number): Promise<Uint8Array> {
    const last = offset + length - 1;
    const headers: Record<string, string> = { range: `bytes=${offset}-${last}`, 'accept-encoding': 'identity' };
    const ifRange = this.etag && !weak(this.etag) && url === this.etagUrl;
    if (ifRange) headers['if-range'] = this.etag!;
    const result = await this.client.request(url, {
      id: this.id,
      headers,
      maxBody: length,
      expectLength: length,
      onBytes: (n) => {
        this.fetched += n;
      },
      validate: (res, hops) => this.validate(res, hops, offset, last, Boolean(ifRange)),
    });
    if (result.hops > 0 || url !== this.url) this.location = result.url;
    this.repoCommit ??= result.repoCommit;
    return result.body;
  }

  /** Throws (never retried) unless the response is provably the requested bytes of the pinned file. */
  private validate(
    res: Response,
    hops: RedirectInfo & { url: string },
    first: number,
    last: number,
    sentIfRange: boolean,
  ): void {
    const etag = res.headers.get('etag') ?? undefined;
    if (hops.linkedEtag) {
      if (this.linkedEtag && !sameEtag(this.linkedEtag, hops.linkedEtag))
        throw this.changed(this.linkedEtag, hops.linkedEtag);
      this.linkedEtag ??= hops.linkedEtag;
    }
    if (res.status !== 206) {
      // If-Range answers a changed file with 200 and the whole new file
      if (res.status === 200 && sentIfRange && etag && !sameEtag(etag, this.etag!))
        throw this.changed(this.etag!, etag);
      throw new InputError(
        this.id,
        `server answered HTTP ${res.status} instead of 206 to a Range request (range requests unsupported?)`,
      );
    }
    const cr = parseContentRange(res.headers.get('content-range'));
    if (!cr || cr.start !== first || cr.end !== last || (cr.total !== undefined && cr.total !== this.size)) {
      throw new InputError(
        this.id,
        `wrong Content-Range "${res.headers.get('content-range') ?? ''}" ` +
          `for requested bytes ${first}-${last}/${this.size}: response rejected`,
      );
    }
    if (etag) {
      // a re-resolved link may come from another CDN with its own ETag; the Hub's linked ETag vouches for it
      const vouched =
        hops.linkedEtag !== undefined && this.linkedEtag !== undefined && sameEtag(hops.linkedEtag, this.linkedEtag);
      if (this.etag && !sameEtag(this.etag, etag) && !vouched) throw this.changed(this.etag, etag);
      if (!this.etag || vouched) {
        this.etag = etag;
        this.etagUrl = undefined;
      }
    }
    if (this.etag) this.etagUrl ??= hops.url;
  }

  private changed(from: string, to: string): InputError {
    return new InputError(
      this.id,
      `the file changed on the server while it was being read (ETag ${from} → ${to}); run again`,
    );
  }
}
