/**
 * Where registry files live: a directory or a base URL serving the same files. Reads only; the
 * writer (add/remove) works on directories. Paths inside a registry are relative and may not
 * leave it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';
import { HttpClient, Missing, type HttpClientOptions } from '../net/http.js';

export interface RegistryStore {
  /** The location as the user gave it. */
  readonly location: string;
  /** Bytes of a file, or undefined when it does not exist. */
  read(rel: string): Promise<Uint8Array | undefined>;
  /** How to name a file in messages. */
  describe(rel: string): string;
}

/** Registry files hold fingerprints and indexes; nothing legitimate is larger, compressed or not. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

export function checkRelative(rel: string, where: string): void {
  if (
    rel === '' ||
    isAbsolute(rel) ||
    /^[a-z]+:/i.test(rel) ||
    rel.includes('\\') ||
    normalize(rel).split('/').includes('..')
  ) {
    throw new InputError(where, `file path ${JSON.stringify(rel)} must be relative and stay inside the registry`);
  }
}

export function dirStore(dir: string): RegistryStore {
  return {
    location: dir,
    describe: (rel) => join(dir, rel),
    async read(rel) {
      try {
        return await readFile(join(dir, rel));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw new InputError(join(dir, rel), `cannot read (${code ?? String(err)})`);
      }
    },
  };
}

function urlStore(base: string, http: HttpClientOptions = {}): RegistryStore {
  const root = base.endsWith('/') ? base : `${base}/`;
  const client = new HttpClient(http);
  return {
    location: base,
    describe: (rel) => new URL(rel, root).toString(),
    async read(rel) {
      const url = new URL(rel.split('/').map(encodeURIComponent).join('/'), root).toString();
      try {
        const r = await client.request(url, { id: url, maxBody: MAX_FILE_BYTES, allowMissing: true });
        return r.body;
      } catch (err) {
        if (err instanceof Missing) return undefined;
        throw err;
      }
    },
  };
}

export function openStore(location: string, http: HttpClientOptions = {}): RegistryStore {
  return isUrl(location) ? urlStore(location, http) : dirStore(location);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stored bytes → JSON text: gzip is recognised by its magic bytes, whatever the file name says.
 * The output is capped like the file itself (a small gzip bomb must not inflate to gigabytes).
 */
export function decodeStored(bytes: Uint8Array, where: string, maxOutput = MAX_FILE_BYTES): string {
  let raw = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: maxOutput });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new InputError(where, `gzip data inflates to more than ${maxOutput} bytes`);
      throw new InputError(where, 'corrupt gzip data');
    }
  }
  if (raw.byteLength > maxOutput) throw new InputError(where, `more than ${maxOutput} bytes`);
  return new TextDecoder().decode(raw);
}
