/**
 * Strict GGUF reader (v2 and v3). Metadata and tensor infos are parsed by @huggingface/gguf, fed
 * through a fetch over our ByteSource (the same code path for local files and Hub range reads);
 * the layout is then checked as llama.cpp's loader does: known dimensions, rows that are whole
 * blocks, data offsets that follow one another at the file's alignment, data inside the file.
 * Anything else is a one-line InputError naming the file, because a lenient reader would
 * fingerprint bytes llama.cpp never loads.
 */
import { gguf } from '@huggingface/gguf';
import { InputError } from '../../errors.js';
import type { ByteSource, DType, StorageDType, TensorEntry } from '../types.js';
import { MAX_TENSORS } from '../safetensors.js';
import { ggmlTypeById, type GgmlType } from './ggml.js';

/** llama.cpp's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
/** What @huggingface/gguf buffers at most for a header (its own cap), plus a margin. */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export type GgufValue = string | number | bigint | boolean | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** ggml order: ne[0] is the row length (fastest axis). */
  ne: number[];
  typeId: number;
  /** Known type, or undefined for an id this reader does not know. */
  type: GgmlType | undefined;
  /** Absolute offset of the data in the file, and its length. */
  offset: number;
  byteLength: number;
}

export interface GgufHeader {
  version: 2 | 3;
  metadata: Record<string, GgufValue>;
  tensors: GgufTensorInfo[];
  alignment: number;
  dataStart: number;
}

/**
 * Chunks the parser may ask for past the end of the file: it fetches ahead (2 MB chunks, 0.5 MB
 * before the end of what it holds), so a file whose header ends near its end (small tensors, a
 * vocabulary-only GGUF) sees one or two such requests; more mean the header really runs past the end.
 */
const PAST_END_FETCHES = 2;

/** A fetch that answers @huggingface/gguf's range requests from a ByteSource. */
function fetchOver(file: ByteSource, served: { bytes: number; pastEnd: number }): typeof fetch {
  return (async (_url: unknown, init?: { headers?: Record<string, string> }) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(init?.headers?.Range ?? '');
    if (!m) throw new Error('unexpected request without a byte range');
    const start = Number(m[1]);
    // the parser reads zeros past a short answer: what it parsed there is caught by the header-end
    // check below, and it is stopped once it keeps asking for bytes the file does not have
    if (start >= file.size && ++served.pastEnd > PAST_END_FETCHES) throw new TruncatedHeader();
    const end = Math.min(Number(m[2]) + 1, file.size);
    const length = Math.max(0, end - start);
    served.bytes += length;
    if (served.bytes > MAX_HEADER_BYTES) throw new Error(`header runs past ${MAX_HEADER_BYTES} bytes`);
    const body = length > 0 ? await file.read(start, length) : new Uint8Array(0);
    return new Response(body, {
      status: length > 0 ? 206 : 416,
      headers: { 'content-range': `bytes ${start}-${start + length - 1}/${file.size}` },
    });
  }) as unknown as typeof fetch;
}

class TruncatedHeader extends Error {}

/** The parser's messages are one line already; DataView overruns mean the header was cut short. */
function describeParseError(err: unknown, file: ByteSource): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof InputError) throw err;
  if (err instanceof TruncatedHeader)
    return `header is truncated: it runs past the end of the file (${file.size} bytes)`;
  if (
    /outside the bounds|Offset is outside|out of bounds|Invalid typed array length|Invalid array buffer length/i.test(
      message,
    )
  ) {
    return `header is truncated or its lengths run past the end of the file (${file.size} bytes)`;
  }
  if (/Exceeded maximum chunk fetches/.test(message)) {
    return `header is truncated or a metadata value runs past the end of the file (${file.size} bytes)`;
  }
  return `not a valid GGUF header: ${oneLine(message)}`;
}

export async function readGgufHeader(file: ByteSource): Promise<GgufHeader> {
  if (file.size < 24) throw new InputError(file.id, `file is ${file.size} bytes, too short for a GGUF header`);
  const magic = await file.read(0, 8);
  if (magic[0] !== 0x47 || magic[1] !== 0x47 || magic[2] !== 0x55 || magic[3] !== 0x46) {
    throw new InputError(file.id, 'does not start with the GGUF magic "GGUF"');
  }
  const versionLE = magic[4]! | (magic[5]! << 8) | (magic[6]! << 16) | (magic[7]! << 24);
  if (versionLE === 1)
    throw new InputError(file.id, 'GGUF version 1 is not supported (convert with a current llama.cpp)');
  if (versionLE !== 2 && versionLE !== 3) {
    const big = (magic[4]! << 24) | (magic[5]! << 16) | (magic[6]! << 8) | magic[7]!;
    if (big === 2 || big === 3) throw new InputError(file.id, 'big-endian GGUF files are not supported');
    throw new InputError(file.id, `unsupported GGUF version ${versionLE >>> 0} (expected 2 or 3)`);
  }
  // Counts must be able to fit: a tensor info takes at least 33 bytes, a key-value pair 14.
  const counts = await file.read(8, 16);
  const view = new DataView(counts.buffer, counts.byteOffset, 16);
  const tensorCount = view.getBigUint64(0, true);
  const kvCount = view.getBigUint64(8, true);
  if (tensorCount > BigInt(MAX_TENSORS)) {
    const limit = MAX_TENSORS.toLocaleString('en-US');
    throw new InputError(file.id, `header lists ${tensorCount} tensors, more than the ${limit} a model may have`);
  }
  if (tensorCount * 33n > BigInt(file.size)) {
    throw new InputError(file.id, `tensor count ${tensorCount} cannot fit in a file of ${file.size} bytes`);
  }
  if (kvCount * 14n > BigInt(file.size)) {
    throw new InputError(file.id, `metadata count ${kvCount} cannot fit in a file of ${file.size} bytes`);
  }
  const served = { bytes: 0, pastEnd: 0 };
  let parsed: Awaited<ReturnType<typeof gguf>>;
  try {
    parsed = await gguf(`https://gguf.invalid/${encodeURIComponent(file.id)}`, { fetch: fetchOver(file, served) });
  } catch (err) {
    throw new InputError(file.id, describeParseError(err, file));
  }
  const metadata = parsed.metadata as unknown as Record<string, GgufValue>;
  const alignment = readAlignment(file, metadata);
  const headerEnd = parsed.tensorInfoByteRange[1];
  if (headerEnd > file.size) {
    throw new InputError(file.id, `header ends at byte ${headerEnd}, past the end of the file (${file.size} bytes)`);
  }
  const dataStart = Math.ceil(headerEnd / alignment) * alignment;
  const tensors = layOut(file, parsed.tensorInfos, alignment, dataStart);
  return { version: versionLE, metadata, tensors, alignment, dataStart };
}

function readAlignment(file: ByteSource, metadata: Record<string, GgufValue>): number {
  const raw = metadata['general.alignment'];
  if (raw === undefined) return 32;
  const n = typeof raw === 'bigint' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > 2 ** 31 || (n & (n - 1)) !== 0) {
    throw new InputError(file.id, `general.alignment ${String(raw)} is not a power of two`);
  }
  return n;
}

interface RawInfo {
  name: string;
  n_dims: number;
  shape: bigint[];
  dtype: number;
  offset: bigint;
}

/** Validates every tensor info and turns relative offsets into absolute byte ranges. */
function layOut(file: ByteSource, infos: RawInfo[], alignment: number, dataStart: number): GgufTensorInfo[] {
  const fail = (problem: string) => new InputError(file.id, problem);
  const seen = new Set<string>();
  const out: GgufTensorInfo[] = [];
  for (const [i, info] of infos.entries()) {
    const where = `tensor ${q(info.name)}`;
    if (info.name === '') throw fail(`tensor ${i} has an empty name`);
    if (seen.has(info.name)) throw fail(`duplicate tensor name ${q(info.name)}`);
    seen.add(info.name);
    if (info.n_dims < 1 || info.n_dims > MAX_DIMS)
      throw fail(`${where}: ${info.n_dims} dimensions (1 to ${MAX_DIMS} allowed)`);
    const ne = info.shape.map(Number);
    if (ne.some((d) => !Number.isSafeInteger(d) || d < 0))
      throw fail(`${where}: invalid shape [${info.shape.join(', ')}]`);
    let numel = 1;
    for (const d of ne) {
      numel *= d;
      if (!Number.isSafeInteger(numel)) throw fail(`${where}: shape [${ne.join(', ')}] has too many elements`);
    }
    const type = ggmlTypeById(info.dtype);
    const relative = Number(info.offset);
    if (!Number.isSafeInteger(relative) || relative % alignment !== 0) {
      throw fail(`${where}: data offset ${info.offset} is not a multiple of the alignment ${alignment}`);
    }
    let byteLength = -1;
    if (type) {
      if (ne[0]! % type.blockElems !== 0) {
        throw fail(`${where}: rows of ${ne[0]} elements are not whole ${type.name} blocks of ${type.blockElems}`);
      }
      byteLength = (numel / type.blockElems) * type.blockBytes;
    }
    out.push({ name: info.name, ne, typeId: info.dtype, type, offset: dataStart + relative, byteLength });
  }
  checkTiling(file, out, alignment, dataStart);
  return out;
}

/**
 * Data offsets must follow one another: each tensor starts where the previous one ends, padded to
 * the alignment (llama.cpp rejects anything else). An unknown type's size is the gap it leaves.
 */
function checkTiling(file: ByteSource, tensors: GgufTensorInfo[], alignment: number, dataStart: number): void {
  const pad = (n: number) => Math.ceil(n / alignment) * alignment;
  let expected = dataStart;
  for (const [i, t] of tensors.entries()) {
    if (t.offset !== expected) {
      const prev = i > 0 ? ` after tensor ${q(tensors[i - 1]!.name)}` : '';
      throw new InputError(
        file.id,
        `tensor ${q(t.name)}: data offset ${t.offset - dataStart} does not follow the previous data${prev} ` +
          `(expected ${expected - dataStart}): overlapping or out of order`,
      );
    }
    if (t.byteLength < 0) {
      const next = tensors[i + 1];
      t.byteLength = (next ? next.offset : file.size) - t.offset;
      if (t.byteLength < 0) t.byteLength = 0;
    }
    if (t.offset + t.byteLength > file.size) {
      throw new InputError(
        file.id,
        `tensor ${q(t.name)}: data [${t.offset}, ${t.offset + t.byteLength}) ` +
          `runs past the end of the file (${file.size} bytes)`,
      );
    }
    expected = t.offset + pad(t.byteLength);
  }
  const end =
    tensors.length > 0 ? tensors[tensors.length - 1]!.offset + tensors[tensors.length - 1]!.byteLength : dataStart;
  if (file.size - end >= alignment && tensors.length > 0) {
    throw new InputError(file.id, `${file.size - end} bytes after the last tensor belong to no tensor`);
  }
}

/** Stored dtype name of a ggml type id. */
function storageName(t: GgufTensorInfo): DType | StorageDType {
  return (t.type?.name ?? `GGML_TYPE_${t.typeId}`) as DType | StorageDType;
}

/** A plain TensorEntry for element-wise types, or an encoded one for blocks, unknown types and reordered rows. */
export function tensorEntry(file: ByteSource, t: GgufTensorInfo, rotaryHeads: number | undefined): TensorEntry {
  const shape = [...t.ne].reverse();
  const numel = shape.reduce((a, b) => a * b, 1);
  const dtype = storageName(t);
  const plain = t.type?.plain;
  if (plain && !rotaryHeads)
    return { name: t.name, dtype: plain, shape, numel, byteLength: t.byteLength, file, offset: t.offset };
  const decoded = plain !== undefined || t.type?.dequantize !== undefined;
  const params: Record<string, number | string> = { type: t.type?.name ?? `GGML_TYPE_${t.typeId}` };
  if (rotaryHeads) {
    params.rotaryHeads = rotaryHeads;
    params.reordered = 'rotary';
  }
  return {
    name: t.name,
    dtype,
    shape,
    numel,
    byteLength: t.byteLength,
    file,
    offset: t.offset,
    encoding: {
      format: 'gguf',
      decoder: 'ggml',
      scheme: plain ? 'none' : dtype,
      ...(decoded ? { values: plain ?? 'F32' } : {}),
      params,
      parts: [{ role: 'data', name: t.name, dtype, shape: t.ne, file, offset: t.offset, byteLength: t.byteLength }],
    },
  };
}

function q(s: string): string {
  const t = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return oneLine(JSON.stringify(t));
}

function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must not reach a one-line message
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').slice(0, 200);
}
