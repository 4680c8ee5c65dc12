/**
 * A strict, read-only zip directory reader over a ByteSource (local file or HTTP ranges).
 *
 * torch.save writes a plain zip (miniz, zip64 when large) whose records are STORED, so a
 * tensor storage is a byte range of the file and nothing is ever extracted. We read the end
 * records, the central directory in one read, and a record's local header only when it is
 * used. Libraries such as yauzl expose entries through callback streams with a read per header
 * field; here one range read covers the whole directory, and the checks a hostile archive
 * needs (declared vs actual sizes, overlapping records, names escaping the archive, absurd
 * counts) come before anything is allocated for them.
 */
import { InputError } from '../../errors.js';
import type { ByteSource } from '../types.js';

/** More records than any checkpoint has (one per storage plus a handful). */
const MAX_ZIP_ENTRIES = 1_000_000;
/** The central directory is read whole: ~100 bytes a record. */
const MAX_CENTRAL_DIRECTORY_BYTES = 128 * 1024 * 1024;

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; anything else is named in errors. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Where the next record (or the central directory) starts: this record's data must end before it. */
  limit: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  byName: Map<string, ZipEntry>;
  /** Offset of the central directory: every record lies before it. */
  centralDirectoryOffset: number;
}

type Fail = (problem: string) => InputError;

/** True when the first bytes are a zip local header (what torch.load checks too). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && u32(head, 0) === LOCAL_SIG;
}

export async function readZipDirectory(src: ByteSource): Promise<ZipDirectory> {
  const fail: Fail = (problem) => new InputError(src.id, problem);
  if (src.size < EOCD_SIZE) throw fail(`file is ${src.size} bytes, too short for a zip archive`);
  const tailStart = Math.max(0, src.size - (EOCD_SIZE + MAX_COMMENT));
  const tail = await src.read(tailStart, src.size - tailStart);
  const eocdAt = findEocd(tail);
  if (eocdAt < 0) throw fail('no zip end-of-central-directory record: truncated or not a zip archive');
  const eocdOffset = tailStart + eocdAt;
  let diskNo = u16(tail, eocdAt + 4);
  let cdDisk = u16(tail, eocdAt + 6);
  let onDisk: number = u16(tail, eocdAt + 8);
  let total: number = u16(tail, eocdAt + 10);
  let cdSize: number = u32(tail, eocdAt + 12);
  let cdOffset: number = u32(tail, eocdAt + 16);
  let recordsEnd = eocdOffset;

  const locatorAt = eocdAt - ZIP64_LOCATOR_SIZE;
  const hasLocator = locatorAt >= 0 && u32(tail, locatorAt) === ZIP64_LOCATOR_SIG;
  if (hasLocator) {
    const zip64Offset = u64(tail, locatorAt + 8, fail, 'zip64 end record offset');
    if (u32(tail, locatorAt + 16) > 1) throw fail('multi-disk zip archives are not supported');
    if (zip64Offset + ZIP64_EOCD_SIZE > tailStart + locatorAt) {
      throw fail(`zip64 end record offset ${zip64Offset} runs into the end records`);
    }
    const rec = await src.read(zip64Offset, ZIP64_EOCD_SIZE);
    if (u32(rec, 0) !== ZIP64_EOCD_SIG) throw fail(`no zip64 end record at offset ${zip64Offset}`);
    diskNo = u32(rec, 16);
    cdDisk = u32(rec, 20);
    onDisk = u64(rec, 24, fail, 'zip64 record count');
    total = u64(rec, 32, fail, 'zip64 record count');
    cdSize = u64(rec, 40, fail, 'zip64 central directory size');
    cdOffset = u64(rec, 48, fail, 'zip64 central directory offset');
    recordsEnd = zip64Offset;
  } else if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw fail('zip end record asks for zip64 values but there is no zip64 locator: truncated archive');
  }
  if (diskNo !== 0 || cdDisk !== 0 || onDisk !== total) throw fail('multi-disk zip archives are not supported');
  if (total === 0) throw fail('zip archive has no records');
  if (total > MAX_ZIP_ENTRIES) throw fail(`zip archive claims ${total} records, more than the ${MAX_ZIP_ENTRIES} read`);
  if (cdOffset + cdSize > recordsEnd) {
    throw fail(`central directory [${cdOffset}, ${cdOffset + cdSize}) runs past the end records at ${recordsEnd}`);
  }
  if (cdSize < total * CENTRAL_SIZE) {
    throw fail(`central directory of ${cdSize} bytes cannot hold the ${total} records it claims`);
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw fail(`central directory is ${cdSize} bytes, more than the ${MAX_CENTRAL_DIRECTORY_BYTES} read`);
  }
  const cd = await src.read(cdOffset, cdSize);
  const entries = parseCentralDirectory(cd, total, fail);
  assignLimits(entries, cdOffset, fail);
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) {
    if (byName.has(e.name)) throw fail(`zip record ${q(e.name)} appears twice`);
    byName.set(e.name, e);
  }
  return { entries, byName, centralDirectoryOffset: cdOffset };
}

/** The EOCD whose comment length reaches exactly the end of the file, searched from the end. */
function findEocd(tail: Uint8Array): number {
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (u32(tail, i) === EOCD_SIG && u16(tail, i + 20) === tail.length - i - EOCD_SIZE) return i;
  }
  return -1;
}

function parseCentralDirectory(cd: Uint8Array, total: number, fail: Fail): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < total; i++) {
    if (p + CENTRAL_SIZE > cd.length) throw fail(`central directory ends inside record ${i}`);
    if (u32(cd, p) !== CENTRAL_SIG) throw fail(`central directory record ${i} has a bad signature`);
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const crc32 = u32(cd, p + 16);
    let compressedSize: number = u32(cd, p + 20);
    let size: number = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    let disk: number = u16(cd, p + 34);
    let localHeaderOffset: number = u32(cd, p + 42);
    const end = p + CENTRAL_SIZE + nameLen + extraLen + commentLen;
    if (end > cd.length) throw fail(`central directory ends inside record ${i}`);
    const name = decodeName(cd.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLen), i, fail);
    const extra = cd.subarray(p + CENTRAL_SIZE + nameLen, p + CENTRAL_SIZE + nameLen + extraLen);
    // zip64: the fields that overflowed 32 bits follow in this fixed order
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff || disk === 0xffff) {
      const z = findExtra(extra, 0x0001);
      if (!z) throw fail(`zip record ${q(name)} needs a zip64 extra field and has none`);
      let o = 0;
      const next64 = (what: string) => {
        if (o + 8 > z.length) throw fail(`zip record ${q(name)}: zip64 extra field too short for ${what}`);
        const v = u64(z, o, fail, `${what} of ${q(name)}`);
        o += 8;
        return v;
      };
      if (size === 0xffffffff) size = next64('size');
      if (compressedSize === 0xffffffff) compressedSize = next64('compressed size');
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = next64('offset');
      if (disk === 0xffff) {
        if (o + 4 > z.length) throw fail(`zip record ${q(name)}: zip64 extra field too short for its disk`);
        disk = u32(z, o);
      }
    }
    if (disk !== 0) throw fail('multi-disk zip archives are not supported');
    if (flags & 0x0001) throw fail(`zip record ${q(name)} is encrypted`);
    entries.push({ name, method, flags, crc32, compressedSize, size, localHeaderOffset, limit: 0 });
    p = end;
  }
  return entries;
}

/**
 * Records must not overlap (an overlapping record is how the worst zip bombs expand, and a
 * lying archive could otherwise point two storages at one range) and must end before the
 * central directory. Each record's limit is where the next one starts.
 */
function assignLimits(entries: ZipEntry[], cdOffset: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const next = sorted[i + 1];
    e.limit = next ? next.localHeaderOffset : cdOffset;
    const minEnd = e.localHeaderOffset + LOCAL_SIZE + Buffer.byteLength(e.name, 'utf8') + e.compressedSize;
    if (minEnd > e.limit) {
      throw fail(
        next
          ? `zip records ${q(e.name)} and ${q(next.name)} overlap (record at ${e.localHeaderOffset} ` +
              `needs ${minEnd - e.localHeaderOffset} bytes, the next starts at ${next.localHeaderOffset})`
          : `zip record ${q(e.name)} (${e.compressedSize} bytes at ${e.localHeaderOffset}) ` +
              `runs into the central directory at ${cdOffset}`,
      );
    }
  }
}

/** Where a record's data starts, from its local header, checked against the central directory. */
export async function recordDataOffset(src: ByteSource, e: ZipEntry): Promise<number> {
  const fail: Fail = (problem) => new InputError(src.id, problem);
  const nameBytes = Buffer.from(e.name, 'utf8');
  // one read usually covers the header, the name and torch's alignment padding
  const want = Math.min(e.limit - e.localHeaderOffset, LOCAL_SIZE + nameBytes.length + 128);
  let head = await src.read(e.localHeaderOffset, want);
  if (u32(head, 0) !== LOCAL_SIG) throw fail(`zip record ${q(e.name)}: no local header at ${e.localHeaderOffset}`);
  const nameLen = u16(head, 26);
  const extraLen = u16(head, 28);
  if (u16(head, 8) !== e.method) throw fail(`zip record ${q(e.name)}: local and central headers disagree on method`);
  if (nameLen !== nameBytes.length || !Buffer.from(head.subarray(30, 30 + nameLen)).equals(nameBytes)) {
    throw fail(`zip record ${q(e.name)}: local header names a different file`);
  }
  const dataOffset = e.localHeaderOffset + LOCAL_SIZE + nameLen + extraLen;
  if (dataOffset + e.compressedSize > e.limit) {
    throw fail(
      `zip record ${q(e.name)}: ${e.compressedSize} bytes of data at ${dataOffset} ` +
        `run past the next record at ${e.limit}`,
    );
  }
  // sizes in the local header are authoritative for some readers: a disagreement is a lie to one of them
  const flags = u16(head, 6);
  if (!(flags & 0x0008)) {
    if (head.length < LOCAL_SIZE + nameLen + extraLen && extraLen > 0) {
      head = await src.read(e.localHeaderOffset, LOCAL_SIZE + nameLen + extraLen);
    }
    let lc: number = u32(head, 18);
    let ls: number = u32(head, 22);
    if (lc === 0xffffffff || ls === 0xffffffff) {
      const z = findExtra(head.subarray(LOCAL_SIZE + nameLen, LOCAL_SIZE + nameLen + extraLen), 0x0001);
      if (z && z.length >= 16) {
        ls = u64(z, 0, fail, 'size');
        lc = u64(z, 8, fail, 'compressed size');
      }
    }
    if (lc !== e.compressedSize || ls !== e.size) {
      throw fail(
        `zip record ${q(e.name)}: local header declares ${ls} bytes (${lc} stored), ` +
          `the central directory ${e.size} (${e.compressedSize} stored)`,
      );
    }
  }
  return dataOffset;
}

function decodeName(bytes: Uint8Array, i: number, fail: Fail): string {
  let name: string;
  try {
    name = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail(`zip record ${i} has a name that is not UTF-8`);
  }
  // Nothing is ever extracted, but an archive naming files outside itself is hostile or broken.
  if (
    name === '' ||
    name.includes('\0') ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').includes('..')
  ) {
    throw fail(`zip record name ${q(name)} is not a plain relative path (path traversal)`);
  }
  return name;
}

function findExtra(extra: Uint8Array, id: number): Uint8Array | undefined {
  let p = 0;
  while (p + 4 <= extra.length) {
    const tag = u16(extra, p);
    const len = u16(extra, p + 2);
    if (p + 4 + len > extra.length) return undefined;
    if (tag === id) return extra.subarray(p + 4, p + 4 + len);
    p += 4 + len;
  }
  return undefined;
}

function u16(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8);
}

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

function u64(b: Uint8Array, p: number, fail: Fail, what: string): number {
  const lo = u32(b, p);
  const hi = u32(b, p + 4);
  const v = hi * 0x1_0000_0000 + lo;
  if (!Number.isSafeInteger(v)) throw fail(`${what} ${BigInt(hi) * 0x1_0000_0000n + BigInt(lo)} is too large`);
  return v;
}

export function q(s: string): string {
  const t = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return JSON.stringify(t).replace(/[\u2028\u2029]/g, ' ');
}

// ---------------------------------------------------------------------------------------------

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (IEEE), to check small records (data.pkl) against the directory. */
export function crc32(bytes: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  const table = CRC_TABLE;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
