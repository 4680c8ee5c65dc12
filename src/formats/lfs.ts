/**
 * Git LFS pointer files: what a clone without `git lfs` leaves in place of large files.
 * Spec: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md
 */
import type { ByteSource } from './types.js';

export const LFS_PREFIX = 'version https://git-lfs.github.com/spec/v1';
/** The spec caps pointer files at 1024 bytes; anything larger is not a pointer. */
export const LFS_POINTER_MAX_BYTES = 1024;

export interface LfsPointer {
  /** e.g. `sha256:4d7a…` */
  oid: string;
  size: number;
}

/**
 * Turns a pointer file met while opening a model into the object's bytes: the Action and the App
 * pass one that reads the object from the LFS server by range (formats/lfs-source.ts), so a
 * checkout or a job directory holding only pointers is enough.
 */
export interface LfsResolver {
  /** `file` names the pointer file in messages. */
  open(file: string, pointer: LfsPointer): Promise<ByteSource>;
}

const PREFIX_BYTES = new TextEncoder().encode(LFS_PREFIX);

export function isLfsPointer(bytes: Uint8Array): boolean {
  if (bytes.length < PREFIX_BYTES.length || bytes.length > LFS_POINTER_MAX_BYTES) return false;
  return PREFIX_BYTES.every((b, i) => bytes[i] === b);
}

/** The oid and size of a pointer, or undefined when the text is not a well-formed pointer. */
export function parseLfsPointer(text: string): LfsPointer | undefined {
  if (!text.startsWith(LFS_PREFIX)) return undefined;
  let oid: string | undefined;
  let size: number | undefined;
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1).trim();
    if (key === 'oid' && /^[a-z0-9]+:[0-9a-f]+$/.test(value)) oid = value;
    if (key === 'size' && /^\d+$/.test(value)) size = Number(value);
  }
  return oid !== undefined && size !== undefined && Number.isSafeInteger(size) ? { oid, size } : undefined;
}

/** One-line description plus the fix, for InputError messages. */
export function describeLfsPointer(text: string, file: string): string {
  const p = parseLfsPointer(text);
  const what = p ? ` (oid ${p.oid}, size ${p.size} bytes)` : '';
  return (
    `is a Git LFS pointer${what}, not the file itself: ` +
    `fetch the LFS object (git lfs pull --include ${quoteArg(file)})`
  );
}

function quoteArg(s: string): string {
  return /^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
