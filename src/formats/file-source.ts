/**
 * ByteSource implementations for local files and in-memory buffers.
 *
 * Every chunk handed out is a fresh allocation: consumers may keep a chunk (e.g. hash it later)
 * without it being overwritten, and memory stays bounded because a chunk is garbage as soon as
 * the consumer drops it. Only one chunk per stream is in flight at a time.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { ByteSource } from './types.js';

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

export async function openFileSource(path: string): Promise<ByteSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw fsError(path, err);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError(path, 'is a directory, expected a file');
    return new FileSource(path, handle, stat.size);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err instanceof InputError ? err : fsError(path, err);
  }
}

/** A ByteSource over bytes already in memory (tests, small remote files). */
export function bufferSource(id: string, bytes: Uint8Array): ByteSource {
  return new BufferSource(id, bytes);
}

/** Turns a node:fs error into a one-line InputError; unknown failures keep their code. */
export function fsError(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new InputError(path, 'no such file or directory');
    case 'EACCES':
    case 'EPERM':
      return new InputError(path, 'permission denied');
    case 'EISDIR':
      return new InputError(path, 'is a directory, expected a file');
    case 'ENOTDIR':
      return new InputError(path, 'a parent of this path is not a directory');
    default:
      return new InputError(path, `cannot read: ${code ?? (err instanceof Error ? err.message : String(err))}`);
  }
}

abstract class RangeSource implements ByteSource {
  protected fetched = 0;
  constructor(
    readonly id: string,
    readonly size: number,
  ) {}

  abstract read(offset: number, length: number): Promise<Uint8Array>;
  abstract close(): Promise<void>;

  async *stream(offset: number, length: number, chunkSize = DEFAULT_CHUNK_SIZE): AsyncIterable<Uint8Array> {
    checkRange(offset, length);
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)
      throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
    // Fail before the first chunk rather than after streaming most of a truncated file.
    this.checkWithin(offset, length);
    const end = offset + length;
    for (let pos = offset; pos < end; pos += chunkSize) {
      yield await this.read(pos, Math.min(chunkSize, end - pos));
    }
  }

  bytesRead(): number {
    return this.fetched;
  }

  protected checkWithin(offset: number, length: number): void {
    if (offset + length > this.size) {
      throw new InputError(
        this.id,
        `truncated: needs bytes [${offset}, ${offset + length}) but the file has ${this.size} bytes`,
      );
    }
  }
}

class FileSource extends RangeSource {
  private closed = false;
  readonly localPath: string;
  constructor(
    id: string,
    private readonly handle: FileHandle,
    size: number,
  ) {
    super(id, size);
    this.localPath = id;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length);
    if (this.closed) throw new Error(`${this.id}: read after close`);
    this.checkWithin(offset, length);
    const out = new Uint8Array(length);
    let filled = 0;
    // A positional read may return fewer bytes than asked; a zero return means the file shrank.
    while (filled < length) {
      const { bytesRead } = await this.handle.read(out, filled, length - filled, offset + filled);
      if (bytesRead === 0) {
        throw new InputError(
          this.id,
          `truncated: file ended at byte ${offset + filled}, expected at least ${offset + length} bytes`,
        );
      }
      filled += bytesRead;
      this.fetched += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

class BufferSource extends RangeSource {
  constructor(
    id: string,
    private readonly bytes: Uint8Array,
  ) {
    super(id, bytes.byteLength);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length);
    this.checkWithin(offset, length);
    this.fetched += length;
    // A copy, so callers can neither see nor cause later mutations of the backing buffer.
    return this.bytes.slice(offset, offset + length);
  }

  async close(): Promise<void> {}
}

/** Negative or fractional ranges are caller bugs, not bad input. */
function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
  }
}
