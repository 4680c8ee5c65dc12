/**
 * Strict safetensors header reader. The rules follow the reference implementation
 * (huggingface/safetensors `validate`): spans sorted by offset must tile the data area exactly,
 * and each span must be exactly numel × dtype size. Anything else is an InputError naming the
 * file and the defect, because a lenient reader would fingerprint bytes the framework never loads.
 */
import { InputError } from '../errors.js';
import { dtypeInfo, isDType } from './dtypes.js';
import { describeLfsPointer, isLfsPointer, LFS_POINTER_MAX_BYTES } from './lfs.js';
import type { ByteSource, DType, TensorEntry } from './types.js';
import { plural } from '../util/words.js';

export { isLfsPointer, parseLfsPointer, LFS_PREFIX, type LfsPointer } from './lfs.js';

/** The reference implementation's limit; real headers are a few MB at most. */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Tensors a header (and a whole model) may list. The largest releases have about 10^5 (an MoE
 * with hundreds of experts per layer); a million empty entries fit in 100 MB of header and would
 * otherwise cost minutes of bookkeeping for nothing.
 */
export const MAX_TENSORS = 1_000_000;

export interface SafetensorsHeader {
  /** In offset order. `offset` is absolute in the file. */
  tensors: TensorEntry[];
  metadata: Record<string, string>;
  /** Absolute offset of the data area (8 + header length). */
  dataStart: number;
}

interface HeaderOptions {
  /** Tensors already listed by the model's other files: they count towards MAX_TENSORS. */
  tensorsBefore?: number;
}

export async function readSafetensorsHeader(file: ByteSource, opts: HeaderOptions = {}): Promise<SafetensorsHeader> {
  const prefix = await file.read(0, Math.min(file.size, 8));
  await rejectLfsPointer(file, prefix);
  if (file.size < 8)
    throw new InputError(file.id, `file is ${plural(file.size, 'byte')}, shorter than the 8-byte header length`);
  const headerLength = readHeaderLength(file, prefix);
  const text = decodeUtf8(file, await file.read(8, headerLength));
  return parseHeaderText(file, text, 8 + headerLength, opts);
}

/** Validates header JSON already read from `file`; `dataStart` is where the data area begins. */
export function parseHeaderText(
  file: ByteSource,
  text: string,
  dataStart: number,
  opts: HeaderOptions = {},
): SafetensorsHeader {
  const fail = (problem: string) => new InputError(file.id, problem);
  // Counted on the text, before JSON.parse: a million keys cost V8 seconds to parse
  checkTensorCount(countTopLevelTensors(text), opts.tensorsBefore ?? 0, fail);
  const header = parseJsonObject(text, fail);
  const dataLength = file.size - dataStart;
  const metadata = readMetadata(header.__metadata__, fail);
  const raws = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, entry]) => readEntry(name, entry, fail));
  for (const t of raws) checkWithinData(t, dataLength, fail);
  const sorted = raws.sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkTiling(sorted, dataLength, fail);
  const tensors = sorted.map((t) => toEntry(t, file, dataStart));
  return { tensors, metadata, dataStart };
}

type Fail = (problem: string) => InputError;

function checkTensorCount(count: number, before: number, fail: Fail): void {
  // formatted only on failure: the first toLocaleString of a process loads ICU data (~20 ms)
  const limit = () => MAX_TENSORS.toLocaleString('en-US');
  if (count > MAX_TENSORS) throw fail(`header lists ${count} tensors, more than the ${limit()} a model may have`);
  if (before + count > MAX_TENSORS)
    throw fail(
      `header lists ${count} tensors; with the ${before} in the model's other files ` +
        `that is more than the ${limit()} a model may have`,
    );
}

/**
 * Members of the top-level JSON object other than `__metadata__`, by one pass over the text
 * (strings skipped, escapes honoured). For text that is not a JSON object the count means
 * nothing, and JSON.parse reports the real problem.
 */
export function countTopLevelTensors(text: string): number {
  let depth = 0;
  let members = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (depth === 1 && expectKey) {
        expectKey = false;
        if (text.slice(start, i + 1) !== '"__metadata__"') members++;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      expectKey = depth === 1 && c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    } else if (c === 0x2c /* , */ && depth === 1) {
      expectKey = true;
    }
  }
  return members;
}

interface RawTensor {
  name: string;
  dtype: DType;
  shape: number[];
  numel: number;
  byteLength: number;
  begin: number;
  end: number;
}

async function rejectLfsPointer(file: ByteSource, prefix: Uint8Array): Promise<void> {
  // An LFS pointer starts with "version "; read just enough of it to name the oid and size.
  if (new TextDecoder().decode(prefix) !== 'version ') return;
  const head = await file.read(0, Math.min(file.size, LFS_POINTER_MAX_BYTES));
  if (isLfsPointer(head)) throw new InputError(file.id, describeLfsPointer(new TextDecoder().decode(head), file.id));
}

function readHeaderLength(file: ByteSource, prefix: Uint8Array): number {
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(file.size - 8)) {
    throw new InputError(
      file.id,
      `header length ${n} runs past the end of the file (${file.size} bytes): truncated or not safetensors`,
    );
  }
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new InputError(file.id, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  return Number(n);
}

function decodeUtf8(file: ByteSource, bytes: Uint8Array): string {
  try {
    // ignoreBOM keeps a BOM in the text, so it is rejected like the reference does.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError(file.id, 'header is not valid UTF-8');
  }
}

function parseJsonObject(text: string, fail: Fail): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw fail(`header is not valid JSON (${oneLine(err instanceof Error ? err.message : String(err))})`);
  }
  if (!isPlainObject(value)) throw fail(`header is not a JSON object (got ${kindOf(value)})`);
  if (!text.startsWith('{')) throw fail(`header must start with '{' (found ${JSON.stringify(text.slice(0, 1))})`);
  const dup = findDuplicateKey(text);
  if (dup) throw fail(describeDuplicate(dup));
  return value;
}

function readMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value))
    throw fail(`__metadata__ must be an object mapping strings to strings (got ${kindOf(value)})`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail(`__metadata__ must map strings to strings: ${q(k)} is ${kindOf(v)}`);
  }
  // fromEntries defines own properties, so a "__proto__" key stays plain data.
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

function readEntry(name: string, entry: unknown, fail: Fail): RawTensor {
  const where = `tensor ${q(name)}`;
  if (!isPlainObject(entry)) throw fail(`${where}: entry is not an object (got ${kindOf(entry)})`);
  for (const key of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.hasOwn(entry, key)) throw fail(`${where}: missing "${key}"`);
  }
  const dtype = readDtype(entry.dtype, where, fail);
  const shape = readShape(entry.shape, where, fail);
  const numel = countElements(shape, where, fail);
  const [begin, end] = readOffsets(entry.data_offsets, where, fail);
  const bits = numel * dtypeInfo(dtype).bits;
  if (!Number.isSafeInteger(bits)) throw fail(`${where}: shape ${show(shape)} has too many elements`);
  const byteLength = Math.ceil(bits / 8);
  if (end - begin !== byteLength) {
    throw fail(
      `${where}: data_offsets [${begin}, ${end}] span ${plural(end - begin, 'byte')} ` +
        `but shape ${show(shape)} of ${dtype} needs ${byteLength}`,
    );
  }
  return { name, dtype, shape, numel, byteLength, begin, end };
}

function readDtype(value: unknown, where: string, fail: Fail): DType {
  if (typeof value !== 'string') throw fail(`${where}: dtype must be a string (got ${kindOf(value)})`);
  if (!isDType(value)) throw fail(`${where}: unknown dtype ${q(value)}`);
  return value;
}

function readShape(value: unknown, where: string, fail: Fail): number[] {
  if (!Array.isArray(value) || !value.every(isNonNegativeInteger)) {
    throw fail(`${where}: shape must be an array of non-negative integers (got ${show(value)})`);
  }
  return value.map((d: number) => d + 0); // +0 turns a JSON "-0" into 0
}

function countElements(shape: number[], where: string, fail: Fail): number {
  // A zero dimension empties the tensor even if the other dimensions would overflow.
  if (shape.includes(0)) return 0;
  let numel = 1;
  for (const d of shape) {
    numel *= d;
    if (!Number.isSafeInteger(numel)) throw fail(`${where}: shape ${show(shape)} has too many elements`);
  }
  return numel;
}

function readOffsets(value: unknown, where: string, fail: Fail): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every(isNonNegativeInteger) || value[0] > value[1]) {
    throw fail(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end (got ${show(value)})`);
  }
  return [value[0] + 0, value[1] + 0];
}

function checkWithinData(t: RawTensor, dataLength: number, fail: Fail): void {
  if (t.end > dataLength) {
    throw fail(
      `tensor ${q(t.name)}: data_offsets [${t.begin}, ${t.end}] run past the data area (${plural(dataLength, 'byte')})`,
    );
  }
}

/** Sorted spans must cover [0, dataLength) with no gap and no overlap. */
function checkTiling(sorted: RawTensor[], dataLength: number, fail: Fail): void {
  let pos = 0;
  let prev: RawTensor | undefined;
  for (const t of sorted) {
    if (t.begin < pos && prev) {
      throw fail(
        `tensors ${q(prev.name)} [${prev.begin}, ${prev.end}] and ${q(t.name)} [${t.begin}, ${t.end}] overlap`,
      );
    }
    if (t.begin > pos) {
      const after = prev ? ` after tensor ${q(prev.name)}` : '';
      throw fail(`data area bytes [${pos}, ${t.begin})${after} belong to no tensor (spans must be contiguous)`);
    }
    pos = t.end;
    prev = t;
  }
  if (pos !== dataLength) {
    throw fail(
      `data area is ${dataLength} bytes but the tensors end at ${pos} (${plural(dataLength - pos, 'trailing byte')})`,
    );
  }
}

function toEntry(t: RawTensor, file: ByteSource, dataStart: number): TensorEntry {
  return {
    name: t.name,
    dtype: t.dtype,
    shape: t.shape,
    numel: t.numel,
    byteLength: t.byteLength,
    file,
    offset: dataStart + t.begin,
  };
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys: JSON.parse silently keeps the last one, which would hide a tensor.

interface DuplicateKey {
  key: string;
  /** Keys of the enclosing objects, outermost first ([] for a top-level duplicate). */
  path: string[];
}

interface Frame {
  /** Keys seen so far; undefined for arrays. */
  keys?: Set<string>;
  expectKey: boolean;
  lastKey?: string;
  /** Key under which this container sits in its parent. */
  name: string;
}

/** First key repeated within one object. `text` must already be valid JSON. */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = endOfString(text, i);
      if (top?.keys && top.expectKey) {
        const key = stringValue(text, i, end);
        if (top.keys.has(key)) return { key, path: stack.slice(1).map((f) => f.name) };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const name = top?.keys ? (top.lastKey ?? '') : '[]';
      stack.push({ keys: c === '{' ? new Set() : undefined, expectKey: c === '{', name });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top?.keys) {
      top.expectKey = true;
    }
  }
  return undefined;
}

function endOfString(text: string, start: number): number {
  let j = start + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j;
}

function stringValue(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  // Escapes can spell one key two ways ("a" and "\u0061"), so decode them before comparing.
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
}

function describeDuplicate(dup: DuplicateKey): string {
  if (dup.path.length === 0) return `duplicate tensor name ${q(dup.key)} in the header (JSON would keep only the last)`;
  if (dup.path.length === 1 && dup.path[0] === '__metadata__') return `duplicate key ${q(dup.key)} in __metadata__`;
  return `duplicate key ${q(dup.key)} in tensor ${q(dup.path[0]!)}`;
}

// ---------------------------------------------------------------------------------------------
// Message helpers: every message must stay on one line and reasonably short.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'string' ? 'a string' : `a ${typeof v}`} ${show(v)}`;
}

/** A name, quoted and escaped, cut to a readable length. */
function q(s: string): string {
  return oneLine(JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s));
}

function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = 'a deeply nested value'; // JSON.stringify recurses; hostile nesting overflows the stack
  }
  return oneLine(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').slice(0, 200);
}
