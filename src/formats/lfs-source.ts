/**
 * Git LFS objects as ByteSources read by HTTP Range, for the Action and the App alike: the batch
 * API (net/lfs.ts) gives each object a download link, reads fetch only the bytes asked for, and
 * nothing is written to disk. A link that expires or is refused is asked for again; a full read
 * streams the object once (a few chunks in flight, bounded memory) and checks its SHA-256
 * against the oid the commit names.
 */
import { createHash, type Hash } from 'node:crypto';
import { InputError } from '../errors.js';
import { DEFAULT_HTTP_CHUNK, HttpClient, StaleLocation, parseContentRange } from '../net/http.js';
import {
  LFS_BATCH_SIZE,
  LfsBatchClient,
  type LfsAccess,
  type LfsBatchAnswer,
  type LfsDownloadAction,
  bareOid,
} from '../net/lfs.js';
import type { LfsPointer, LfsResolver } from './lfs.js';
import type { ByteSource, ContentCheck } from './types.js';

/** Chunks a full read keeps in flight ahead of the one being consumed. */
const READ_AHEAD = 3;
/**
 * During a full read, a read that starts this close after the bytes hashed so far also fetches
 * the gap (GGUF padding, zip headers), so the hash keeps up without a second pass.
 */
const GAP_FILL = 1024 * 1024;
/**
 * Download links refused in a row, each before serving a single request, before the object
 * counts as unreadable. A link refused after it served reads has expired: it is renewed and
 * never counts, however many readers were still queued on it.
 */
const MAX_REFUSED_IN_A_ROW = 3;
/**
 * Range requests in flight per session. A request takes the object's current link when it gets a
 * slot, not when it is queued: after a renewal, reads queued behind the limit use the new link
 * instead of each being refused once on the old one.
 */
const IN_FLIGHT = 16;
/** A link this close to its announced expiry is renewed before use. */
const EXPIRY_MARGIN_MS = 10_000;

export interface LfsFile {
  /** The pointer file, as the user knows it (repository path). */
  file: string;
  pointer: LfsPointer;
}

export interface LfsStats {
  batchRequests: number;
  rangeRequests: number;
  /** Body bytes of range responses (what crossed the network for objects). */
  bytes: number;
}

/**
 * One repository's LFS objects: download links are asked for in batches (prefetch) or on first
 * use, shared by every source of the same object, and renewed once for all readers when one
 * stops working.
 */
export class LfsSession implements LfsResolver {
  private readonly batch: LfsBatchClient;
  readonly http: HttpClient;
  private readonly links = new Map<string, Link>();
  readonly stats: LfsStats = { batchRequests: 0, rangeRequests: 0, bytes: 0 };
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(access: LfsAccess) {
    this.batch = new LfsBatchClient(access);
    // Download links carry their own credentials (the answer's headers); our token never goes there.
    this.http = new HttpClient({ ...access.http, fetch: access.fetch });
  }

  get url(): string {
    return this.batch.url;
  }

  /**
   * Asks for the links of these objects (100 per request) before any is read; an object the
   * server refuses is an InputError naming its file. LfsBatchUnavailable when there is no batch API.
   */
  async prefetch(files: readonly LfsFile[]): Promise<void> {
    // a malformed oid is its own file's error, not a refusal of the batch it would have joined
    for (const f of files) checkPointer(f.file, f.pointer);
    const todo = uniqueByOid(files.filter((f) => !this.links.has(bareOid(f.pointer.oid))));
    for (let i = 0; i < todo.length; i += LFS_BATCH_SIZE) {
      const part = todo.slice(i, i + LFS_BATCH_SIZE);
      const answers = await this.ask(
        part[0]!.file,
        part.map((f) => f.pointer),
      );
      for (const f of part) {
        const link = this.linkFor(f.pointer);
        link.set(answerFor(f, answers));
      }
    }
  }

  async open(file: string, pointer: LfsPointer): Promise<LfsObjectSource> {
    checkPointer(file, pointer);
    const link = this.linkFor(pointer);
    if (!link.action) await link.renew(file);
    return new LfsObjectSource(file, pointer, link, this);
  }

  /** A small object read whole (a side file, an index), its SHA-256 checked against the oid. */
  async readWhole(file: string, pointer: LfsPointer): Promise<Uint8Array> {
    const src = await this.open(file, pointer);
    const check = src.contentCheck;
    check.begin();
    const bytes = await src.read(0, pointer.size);
    await check.finish();
    return bytes;
  }

  /** @internal runs `fn` with one of the session's IN_FLIGHT request slots. */
  async inSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      // hand the slot straight to the next waiter, or free it
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** @internal one batch request for `pointers`, counted. */
  async ask(file: string, pointers: LfsPointer[]): Promise<Map<string, LfsBatchAnswer>> {
    this.stats.batchRequests++;
    return this.batch.download(file, pointers);
  }

  private linkFor(pointer: LfsPointer): Link {
    const oid = bareOid(pointer.oid);
    let link = this.links.get(oid);
    if (!link) {
      link = new Link(this, pointer);
      this.links.set(oid, link);
    }
    return link;
  }
}

/** The current download link of one object, renewed through the batch API (one renewal at a time). */
class Link {
  action?: LfsDownloadAction;
  /** Bumped on every renewal: a reader that failed on an older link just retries with the new one. */
  generation = 0;
  /** Requests the current link has served: refused after some, it expired; before any, it was refused. */
  served = 0;
  /** Links refused in a row without serving anything (each counted once, however many readers saw it). */
  refusedInARow = 0;
  refusedGeneration = 0;
  private renewing?: Promise<void>;

  constructor(
    private readonly session: LfsSession,
    private readonly pointer: LfsPointer,
  ) {}

  set(answer: LfsDownloadAction): void {
    this.action = answer;
    this.generation++;
    this.served = 0;
  }

  fresh(): boolean {
    return (
      this.action !== undefined &&
      (this.action.expiresAt === undefined || this.action.expiresAt > Date.now() + EXPIRY_MARGIN_MS)
    );
  }

  renew(file: string): Promise<void> {
    this.renewing ??= (async () => {
      try {
        const answers = await this.session.ask(file, [this.pointer]);
        this.set(answerFor({ file, pointer: this.pointer }, answers));
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }
}

function answerFor(f: LfsFile, answers: Map<string, LfsBatchAnswer>): LfsDownloadAction {
  const answer = answers.get(bareOid(f.pointer.oid))!;
  if ('action' in answer) return answer.action;
  const { code, message } = answer.error;
  const what =
    code === 404 || code === 410
      ? 'is not on the LFS server'
      : code === 401 || code === 403
        ? 'may not be read with this token'
        : 'was refused by the LFS server';
  throw new InputError(
    f.file,
    `Git LFS object ${f.pointer.oid} ${what} (${code ? `${code} ` : ''}${message || 'no reason given'})`,
  );
}

function checkPointer(file: string, pointer: LfsPointer): void {
  if (!/^sha256:[0-9a-f]{64}$/.test(pointer.oid))
    throw new InputError(file, `Git LFS pointer with oid ${pointer.oid}: only sha256 oids are defined`);
}

function uniqueByOid(files: readonly LfsFile[]): LfsFile[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    const oid = bareOid(f.pointer.oid);
    if (seen.has(oid)) return false;
    seen.add(oid);
    return true;
  });
}

/**
 * Random access to one LFS object. Each read is one Range request whose answer must be 206 with
 * exactly the requested Content-Range and length; a refused link is renewed and the read retried.
 */
export class LfsObjectSource implements ByteSource {
  readonly size: number;
  readonly contentCheck: ContentCheck;
  private fetched = 0;
  private closed = false;
  /** SHA-256 of bytes [0, hashed), fed as reads pass that point in order. */
  private hash: Hash = createHash('sha256');
  private hashed = 0;
  /** Set between contentCheck.begin() and finish(): reads also fetch small gaps to keep the hash going. */
  private verifying = false;

  constructor(
    readonly id: string,
    private readonly pointer: LfsPointer,
    private readonly link: Link,
    private readonly session: LfsSession,
  ) {
    this.size = pointer.size;
    this.contentCheck = {
      what: 'sha256 (Git LFS oid)',
      begin: () => {
        this.verifying = true;
      },
      finish: () => this.finishCheck(),
    };
  }

  bytesRead(): number {
    return this.fetched;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.checkRange(offset, length);
    if (length === 0) return new Uint8Array(0);
    const gap = offset - this.hashed;
    if (this.verifying && gap > 0 && gap <= GAP_FILL) {
      const both = await this.fetch(this.hashed, gap + length);
      this.seen(this.hashed, both);
      return both.slice(gap);
    }
    const bytes = await this.fetch(offset, length);
    this.seen(offset, bytes);
    return bytes;
  }

  /** Sequential chunks with a few requests in flight ahead of the consumer (memory: READ_AHEAD + 1 chunks). */
  async *stream(offset: number, length: number, chunkSize = DEFAULT_HTTP_CHUNK): AsyncIterable<Uint8Array> {
    this.checkRange(offset, length);
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)
      throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
    const gap = offset - this.hashed;
    if (this.verifying && gap > 0 && gap <= GAP_FILL) this.seen(this.hashed, await this.fetch(this.hashed, gap));
    const end = offset + length;
    const pending: Array<{ at: number; bytes: Promise<Uint8Array> }> = [];
    let next = offset;
    const launch = () => {
      const n = Math.min(chunkSize, end - next);
      const bytes = this.fetch(next, n);
      bytes.catch(() => {}); // awaited below; a consumer that stops early must not leave it unhandled
      pending.push({ at: next, bytes });
      next += n;
    };
    while (pending.length <= READ_AHEAD && next < end) launch();
    while (pending.length > 0) {
      const head = pending.shift()!;
      const bytes = await head.bytes;
      if (next < end) launch();
      this.seen(head.at, bytes);
      yield bytes;
    }
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
      throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
    if (this.closed) throw new Error(`${this.id}: read after close`);
    if (offset + length > this.size)
      throw new InputError(
        this.id,
        `truncated: needs bytes [${offset}, ${offset + length}) but the Git LFS object has ${this.size} bytes`,
      );
  }

  /** Feeds the hash with whatever part of [offset, offset + bytes.length) extends the hashed prefix. */
  private seen(offset: number, bytes: Uint8Array): void {
    const end = offset + bytes.byteLength;
    if (offset > this.hashed || end <= this.hashed) return;
    this.hash.update(bytes.subarray(this.hashed - offset));
    this.hashed = end;
  }

  private async finishCheck(): Promise<void> {
    this.verifying = false;
    // what the fingerprint did not read (zip directories, trailing bytes), in bounded chunks
    while (this.hashed < this.size) {
      const n = Math.min(DEFAULT_HTTP_CHUNK, this.size - this.hashed);
      this.seen(this.hashed, await this.fetch(this.hashed, n));
    }
    const digest = this.hash.digest('hex');
    this.hash = createHash('sha256');
    this.hashed = 0;
    if (digest !== bareOid(this.pointer.oid))
      throw new InputError(
        this.id,
        `the ${this.size} bytes served for Git LFS object ${this.pointer.oid} hash to sha256:${digest}: ` +
          'the LFS storage sent other content than the commit names',
      );
  }

  /**
   * One Range request on the current link. A refused link is renewed (once for all readers on
   * it); MAX_REFUSED_IN_A_ROW links refused before serving anything make the object unreadable.
   */
  private async fetch(offset: number, length: number): Promise<Uint8Array> {
    const link = this.link;
    for (;;) {
      let generation = link.generation;
      try {
        return await this.session.inSlot(async () => {
          if (!link.fresh()) await link.renew(this.id);
          generation = link.generation;
          const bytes = await this.fetchRange(link.action!, offset, length);
          if (link.generation === generation) link.served++;
          link.refusedInARow = 0;
          return bytes;
        });
      } catch (err) {
        if (!(err instanceof StaleLocation)) throw err;
        if (link.generation !== generation) continue; // renewed meanwhile by another reader
        if (link.served === 0 && link.refusedGeneration !== generation) {
          link.refusedGeneration = generation;
          link.refusedInARow++;
        }
        if (link.served === 0 && link.refusedInARow >= MAX_REFUSED_IN_A_ROW)
          throw new InputError(
            this.id,
            `the LFS storage refused ${link.refusedInARow} download links in a row for Git LFS object ` +
              `${this.pointer.oid} (last: HTTP ${err.status}), each freshly issued by the batch API`,
          );
        await link.renew(this.id);
      }
    }
  }

  private async fetchRange(action: LfsDownloadAction, offset: number, length: number): Promise<Uint8Array> {
    const last = offset + length - 1;
    const whole = offset === 0 && length === this.size;
    this.session.stats.rangeRequests++;
    const res = await this.session.http.request(action.href, {
      id: this.id,
      headers: { ...action.header, range: `bytes=${offset}-${last}`, 'accept-encoding': 'identity' },
      maxBody: length,
      expectLength: length,
      expiring: true,
      onBytes: (n) => {
        this.fetched += n;
        this.session.stats.bytes += n;
      },
      validate: (r) => {
        // a 200 is the whole object: acceptable only when the whole object was asked for
        if (r.status === 200 && whole) return;
        if (r.status !== 206)
          throw new InputError(
            this.id,
            `the LFS storage answered HTTP ${r.status} instead of 206 to a Range request: cannot read by range`,
          );
        const cr = parseContentRange(r.headers.get('content-range'));
        if (!cr || cr.start !== offset || cr.end !== last || (cr.total !== undefined && cr.total !== this.size))
          throw new InputError(
            this.id,
            `the LFS storage answered bytes "${r.headers.get('content-range') ?? ''}" ` +
              `to a request for ${offset}-${last}/${this.size}: response rejected`,
          );
      },
    });
    return res.body;
  }
}
