/**
 * Git LFS objects read by byte range through the LFS batch API, so the App never clones a
 * repository: one batch request turns (oid, size) into a download href, then HTTP Range reads
 * fetch only the bytes asked for. `fetch` is injectable (tests answer from loopback).
 * Batch API: https://github.com/git-lfs/git-lfs/blob/main/docs/api/batch.md
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { InputError } from '../errors.js';
import type { ByteSource } from '../formats/types.js';
import type { LfsPointer } from '../formats/lfs.js';

const LFS_MEDIA_TYPE = 'application/vnd.git-lfs+json';
const CHUNK = 8 * 1024 * 1024;

interface LfsEndpoint {
  /** `<repo html url>.git/info/lfs`, e.g. https://github.com/org/models.git/info/lfs */
  url: string;
  /** Installation token; sent as HTTP Basic `x-access-token:<token>` as git does. */
  token?: string;
  /** Ref the object belongs to (lets the server apply branch-scoped access rules). */
  ref?: string;
  fetch?: typeof globalThis.fetch;
}

interface LfsDownloadAction {
  href: string;
  header: Record<string, string>;
  expiresAt?: number;
}

/** The LFS endpoint of a repository, from its html_url (works for github.com and GHES alike). */
export function lfsEndpointFor(htmlUrl: string): string {
  return `${htmlUrl.replace(/\/+$/, '').replace(/\.git$/, '')}.git/info/lfs`;
}

/** One HTTP error from the LFS server or its storage; `status` lets the queue decide on a retry. */
class LfsHttpError extends Error {
  override readonly name = 'LfsHttpError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Asks the batch endpoint where to download each object. */
export async function lfsBatchDownload(
  ep: LfsEndpoint,
  objects: LfsPointer[],
): Promise<Map<string, LfsDownloadAction>> {
  const fetchFn = ep.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { Accept: LFS_MEDIA_TYPE, 'Content-Type': LFS_MEDIA_TYPE };
  if (ep.token) headers.Authorization = `Basic ${Buffer.from(`x-access-token:${ep.token}`).toString('base64')}`;
  const body: Record<string, unknown> = {
    operation: 'download',
    transfers: ['basic'],
    objects: objects.map((o) => ({ oid: bareOid(o.oid), size: o.size })),
  };
  if (ep.ref) body.ref = { name: ep.ref.startsWith('refs/') ? ep.ref : `refs/heads/${ep.ref}` };
  const res = await fetchFn(`${ep.url}/objects/batch`, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new LfsHttpError(`LFS batch request to ${ep.url} failed: HTTP ${res.status} ${firstLine(text)}`, res.status);
  }
  const json = (await res.json()) as {
    objects?: Array<{
      oid: string;
      size: number;
      actions?: {
        download?: { href: string; header?: Record<string, string>; expires_at?: string; expires_in?: number };
      };
      error?: { code: number; message: string };
    }>;
  };
  const out = new Map<string, LfsDownloadAction>();
  for (const o of json.objects ?? []) {
    if (o.error)
      throw new InputError(`lfs:${o.oid}`, `the LFS server refused the object: ${o.error.code} ${o.error.message}`);
    const dl = o.actions?.download;
    if (!dl?.href) throw new InputError(`lfs:${o.oid}`, 'the LFS server returned no download action');
    const expiresAt =
      dl.expires_in !== undefined
        ? Date.now() + dl.expires_in * 1000
        : dl.expires_at
          ? Date.parse(dl.expires_at)
          : undefined;
    out.set(o.oid, { href: dl.href, header: dl.header ?? {}, expiresAt });
  }
  for (const o of objects)
    if (!out.has(bareOid(o.oid))) throw new InputError(`lfs:${o.oid}`, 'the LFS server did not answer for this object');
  return out;
}

/**
 * A ByteSource over one LFS object. Each read is one Range request; an expired or rejected href
 * is refreshed once through the batch API, and 5xx/network failures are retried briefly.
 */
export class LfsObjectSource implements ByteSource {
  readonly size: number;
  private fetched = 0;
  private action: LfsDownloadAction | undefined;

  constructor(
    readonly id: string,
    private readonly pointer: LfsPointer,
    private readonly endpoint: LfsEndpoint,
    action?: LfsDownloadAction,
  ) {
    this.size = pointer.size;
    this.action = action;
  }

  static async open(id: string, pointer: LfsPointer, endpoint: LfsEndpoint): Promise<LfsObjectSource> {
    const actions = await lfsBatchDownload(endpoint, [pointer]);
    return new LfsObjectSource(id, pointer, endpoint, actions.get(bareOid(pointer.oid)));
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
      throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
    if (offset + length > this.size)
      throw new InputError(
        this.id,
        `truncated: needs bytes [${offset}, ${offset + length}) but the LFS object has ${this.size} bytes`,
      );
    if (length === 0) return new Uint8Array(0);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const action = await this.currentAction(false);
      const fetchFn = this.endpoint.fetch ?? globalThis.fetch;
      let res: Response;
      try {
        res = await fetchFn(action.href, {
          headers: { ...action.header, Range: `bytes=${offset}-${offset + length - 1}` },
        });
      } catch (err) {
        if (attempt < 3) {
          await sleep(200 * attempt);
          continue;
        }
        throw err;
      }
      if ((res.status === 401 || res.status === 403 || res.status === 404) && !refreshed) {
        // Signed storage URLs expire; ask the batch API for a fresh one once.
        await res.body?.cancel();
        refreshed = true;
        await this.currentAction(true);
        continue;
      }
      if (res.status >= 500 && attempt < 3) {
        await res.body?.cancel();
        await sleep(200 * attempt);
        continue;
      }
      if (res.status === 206) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length !== length)
          throw new InputError(this.id, `range read returned ${bytes.length} bytes, expected ${length}`);
        this.fetched += bytes.length;
        return bytes;
      }
      if (res.status === 200) {
        // No Range support: acceptable only when the whole object was asked for anyway.
        if (offset === 0 && length === this.size) {
          const bytes = new Uint8Array(await res.arrayBuffer());
          this.fetched += bytes.length;
          if (bytes.length !== length)
            throw new InputError(this.id, `download returned ${bytes.length} bytes, expected ${length}`);
          return bytes;
        }
        await res.body?.cancel();
        throw new InputError(this.id, 'the LFS storage ignored the HTTP Range header; cannot read by range');
      }
      const text = await res.text().catch(() => '');
      throw new LfsHttpError(`${this.id}: LFS download failed: HTTP ${res.status} ${firstLine(text)}`, res.status);
    }
  }

  async *stream(offset: number, length: number, chunkSize = CHUNK): AsyncIterable<Uint8Array> {
    const end = offset + length;
    for (let pos = offset; pos < end; pos += chunkSize) yield await this.read(pos, Math.min(chunkSize, end - pos));
  }

  async close(): Promise<void> {}

  bytesRead(): number {
    return this.fetched;
  }

  private async currentAction(refresh: boolean): Promise<LfsDownloadAction> {
    const stale = this.action?.expiresAt !== undefined && this.action.expiresAt < Date.now() + 30_000;
    if (!this.action || refresh || stale) {
      const actions = await lfsBatchDownload(this.endpoint, [this.pointer]);
      this.action = actions.get(bareOid(this.pointer.oid));
    }
    return this.action!;
  }
}

/** Copies a ByteSource to a file in bounded chunks (for analysis code that takes paths). */
export async function copySourceToFile(src: ByteSource, path: string, chunkSize = CHUNK): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  try {
    for await (const chunk of src.stream(0, src.size, chunkSize)) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}

/** The batch API wants the bare hex oid; pointers carry `sha256:<hex>`. */
function bareOid(oid: string): string {
  return oid.includes(':') ? oid.slice(oid.indexOf(':') + 1) : oid;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 200);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
