#!/usr/bin/env node
import { createRequire as __weightprintCreateRequire } from 'node:module';
const require = __weightprintCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __esm = (fn, res, err2) => function __init() {
  if (err2) throw err2[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err2 = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/errors.ts
function isInputError(err2) {
  return err2 instanceof InputError;
}
var InputError;
var init_errors = __esm({
  "src/errors.ts"() {
    "use strict";
    InputError = class extends Error {
      constructor(source, problem) {
        super(`${source}: ${problem}`);
        this.source = source;
        this.problem = problem;
      }
      source;
      problem;
      name = "InputError";
    };
  }
});

// src/cli/usage.ts
function usageError(problem) {
  return new InputError("usage", problem);
}
var USAGE;
var init_usage = __esm({
  "src/cli/usage.ts"() {
    "use strict";
    init_errors();
    USAGE = `weightprint: weight provenance for model releases

Usage:
  weightprint fingerprint <model> [-o fp.json] [--json] [--sample K] [--sketch|--full] [--shards i/n]
  weightprint compare <A> <B> [--json | --markdown] [-o file]
  weightprint check <model> [--registry dir|url]... [--policy file] [--json | --markdown] [-o file]
                    [--full] [--no-builtin] [--max-candidates N]
  weightprint registry add <model> --id <id> [--registry dir] [--license L] [--family F]
  weightprint registry list | verify | remove <id> [--registry dir]
  weightprint registry import-known | update   (maintainers: built-in and Hub-listed entries)
  weightprint merge <part.json>... -o fp.json
  weightprint demo [--out dir]
  weightprint eval [--seeds N] [--json]

A model is a .safetensors file, a *.safetensors.index.json, a model directory, hf:org/name[@rev],
or a fingerprint JSON written by 'fingerprint -o'.
Exit codes: 0 ok, 1 policy failure (check), 2 bad input.`;
  }
});

// src/version.ts
var VERSION;
var init_version = __esm({
  "src/version.ts"() {
    "use strict";
    VERSION = "0.1.0";
  }
});

// src/formats/file-source.ts
import { open } from "node:fs/promises";
async function openFileSource(path) {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err2) {
    throw fsError(path, err2);
  }
  try {
    const stat3 = await handle.stat();
    if (stat3.isDirectory()) throw new InputError(path, "is a directory, expected a file");
    return new FileSource(path, handle, stat3.size);
  } catch (err2) {
    await handle.close().catch(() => void 0);
    throw err2 instanceof InputError ? err2 : fsError(path, err2);
  }
}
function fsError(path, err2) {
  const code2 = err2?.code;
  switch (code2) {
    case "ENOENT":
      return new InputError(path, "no such file or directory");
    case "EACCES":
    case "EPERM":
      return new InputError(path, "permission denied");
    case "EISDIR":
      return new InputError(path, "is a directory, expected a file");
    case "ENOTDIR":
      return new InputError(path, "a parent of this path is not a directory");
    default:
      return new InputError(path, `cannot read: ${code2 ?? (err2 instanceof Error ? err2.message : String(err2))}`);
  }
}
function checkRange(offset, length) {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
  }
}
var DEFAULT_CHUNK_SIZE, RangeSource, FileSource;
var init_file_source = __esm({
  "src/formats/file-source.ts"() {
    "use strict";
    init_errors();
    DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
    RangeSource = class {
      constructor(id, size) {
        this.id = id;
        this.size = size;
      }
      id;
      size;
      fetched = 0;
      async *stream(offset, length, chunkSize = DEFAULT_CHUNK_SIZE) {
        checkRange(offset, length);
        if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
        this.checkWithin(offset, length);
        const end = offset + length;
        for (let pos = offset; pos < end; pos += chunkSize) {
          yield await this.read(pos, Math.min(chunkSize, end - pos));
        }
      }
      bytesRead() {
        return this.fetched;
      }
      checkWithin(offset, length) {
        if (offset + length > this.size) {
          throw new InputError(this.id, `truncated: needs bytes [${offset}, ${offset + length}) but the file has ${this.size} bytes`);
        }
      }
    };
    FileSource = class extends RangeSource {
      constructor(id, handle, size) {
        super(id, size);
        this.handle = handle;
        this.localPath = id;
      }
      handle;
      closed = false;
      localPath;
      async read(offset, length) {
        checkRange(offset, length);
        if (this.closed) throw new Error(`${this.id}: read after close`);
        this.checkWithin(offset, length);
        const out = new Uint8Array(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await this.handle.read(out, filled, length - filled, offset + filled);
          if (bytesRead === 0) {
            throw new InputError(this.id, `truncated: file ended at byte ${offset + filled}, expected at least ${offset + length} bytes`);
          }
          filled += bytesRead;
          this.fetched += bytesRead;
        }
        return out;
      }
      async close() {
        if (this.closed) return;
        this.closed = true;
        await this.handle.close();
      }
    };
  }
});

// src/formats/lfs.ts
function isLfsPointer(bytes) {
  if (bytes.length < PREFIX_BYTES.length || bytes.length > LFS_POINTER_MAX_BYTES) return false;
  return PREFIX_BYTES.every((b, i) => bytes[i] === b);
}
function parseLfsPointer(text) {
  if (!text.startsWith(LFS_PREFIX)) return void 0;
  let oid;
  let size;
  for (const line of text.split("\n")) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1).trim();
    if (key === "oid" && /^[a-z0-9]+:[0-9a-f]+$/.test(value)) oid = value;
    if (key === "size" && /^\d+$/.test(value)) size = Number(value);
  }
  return oid !== void 0 && size !== void 0 && Number.isSafeInteger(size) ? { oid, size } : void 0;
}
function describeLfsPointer(text, file) {
  const p2 = parseLfsPointer(text);
  const what = p2 ? ` (oid ${p2.oid}, size ${p2.size} bytes)` : "";
  return `is a Git LFS pointer${what}, not the file itself: fetch the LFS object (git lfs pull --include ${quoteArg(file)})`;
}
function quoteArg(s) {
  return /^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
var LFS_PREFIX, LFS_POINTER_MAX_BYTES, PREFIX_BYTES;
var init_lfs = __esm({
  "src/formats/lfs.ts"() {
    "use strict";
    LFS_PREFIX = "version https://git-lfs.github.com/spec/v1";
    LFS_POINTER_MAX_BYTES = 1024;
    PREFIX_BYTES = new TextEncoder().encode(LFS_PREFIX);
  }
});

// src/formats/dtypes.ts
function isDType(name) {
  return Object.hasOwn(TABLE, name);
}
function isDecodable(dtype) {
  return TABLE[dtype].decodable;
}
function dtypeInfo(dtype, source = "dtype") {
  if (!isDType(dtype)) throw new InputError(source, `unknown dtype ${JSON.stringify(dtype)}`);
  return { dtype, ...TABLE[dtype] };
}
function decodeToFloat32(dtype, bytes, out) {
  const { dtype: d, n, target } = prepare(dtype, bytes, out, Float32Array);
  decodeInto(d, bytes, n, target);
  return target;
}
function decodeToFloat64(dtype, bytes, out) {
  const { dtype: d, n, target } = prepare(dtype, bytes, out, Float64Array);
  decodeInto(d, bytes, n, target);
  return target;
}
function prepare(dtype, bytes, out, Ctor) {
  const info = dtypeInfo(dtype);
  if (!isDecodable(info.dtype)) {
    throw new InputError("dtype", `${dtype} is a packed dtype and is not decoded; use its raw bytes`);
  }
  const width = info.bits / 8;
  if (bytes.byteLength % width !== 0) {
    throw new RangeError(`${bytes.byteLength} bytes is not a whole number of ${dtype} elements`);
  }
  const n = bytes.byteLength / width;
  if (out && out.length < n) throw new RangeError(`output holds ${out.length} values, need ${n}`);
  const target = out ? out.subarray(0, n) : new Ctor(n);
  return { dtype: info.dtype, n, target };
}
function decodeInto(dtype, bytes, n, out) {
  switch (dtype) {
    case "F64":
      return out.set(native(Float64Array, bytes, n));
    case "F32":
      return out.set(native(Float32Array, bytes, n));
    case "I32":
      return out.set(native(Int32Array, bytes, n));
    case "U32":
      return out.set(native(Uint32Array, bytes, n));
    case "I16":
      return out.set(native(Int16Array, bytes, n));
    case "U16":
      return out.set(native(Uint16Array, bytes, n));
    case "I8":
      return out.set(new Int8Array(bytes.buffer, bytes.byteOffset, n));
    case "U8":
      return out.set(bytes);
    case "BOOL":
      return decodeBool(bytes, out);
    case "F16":
      return lookup(native(Uint16Array, bytes, n), f16Table(), out);
    case "F8_E4M3":
      return lookup(bytes, e4m3Table(), out);
    case "F8_E5M2":
      return lookup(bytes, e5m2Table(), out);
    case "BF16":
      return decodeBf16(native(Uint16Array, bytes, n), out);
    case "I64":
      return decodeInt64(native(Uint32Array, bytes, n * 2), true, out);
    case "U64":
      return decodeInt64(native(Uint32Array, bytes, n * 2), false, out);
  }
}
function native(Ctor, bytes, length) {
  const width = Ctor.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % width === 0) return new Ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = bytes.slice();
  if (!LITTLE_ENDIAN_HOST) swapInPlace(copy, width);
  return new Ctor(copy.buffer, 0, length);
}
function swapInPlace(bytes, width) {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
function lookup(codes, table, out) {
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i]];
}
function decodeBool(bytes, out) {
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 0 ? 0 : 1;
}
function decodeBf16(halves, out) {
  const f32 = out instanceof Float32Array ? out : new Float32Array(halves.length);
  const u32 = new Uint32Array(f32.buffer, f32.byteOffset, halves.length);
  for (let i = 0; i < halves.length; i++) u32[i] = halves[i] << 16;
  if (f32 !== out) out.set(f32);
}
function decodeInt64(words, signed, out) {
  for (let i = 0; i < out.length; i++) {
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    out[i] = (signed ? hi | 0 : hi) * 4294967296 + lo;
  }
}
function f16Table() {
  return F16_TABLE ??= buildTable(16, (c) => miniFloatValue(c, F16));
}
function e4m3Table() {
  return E4M3_TABLE ??= buildTable(8, (c) => miniFloatValue(c, E4M3));
}
function e5m2Table() {
  return E5M2_TABLE ??= buildTable(8, (c) => miniFloatValue(c, E5M2));
}
function buildTable(bits, value) {
  const table = new Float32Array(1 << bits);
  for (let c = 0; c < table.length; c++) table[c] = value(c);
  return table;
}
function miniFloatValue(code2, f) {
  const signBit = 1 << f.exp + f.mant;
  const sign = code2 & signBit ? -1 : 1;
  const e = code2 >> f.mant & (1 << f.exp) - 1;
  const m = code2 & (1 << f.mant) - 1;
  const topExp = (1 << f.exp) - 1;
  if (f.ieeeSpecials && e === topExp) return m === 0 ? sign * Infinity : NaN;
  if (!f.ieeeSpecials && (code2 & signBit - 1) === signBit - 1) return NaN;
  if (e === 0) return sign * m * 2 ** (1 - f.bias - f.mant);
  return sign * (2 ** f.mant + m) * 2 ** (e - f.bias - f.mant);
}
function encodeFromFloat32(dtype, values) {
  switch (dtype) {
    case "F32":
      return littleEndianBytes(Float32Array.from(values));
    case "F64":
      return littleEndianBytes(Float64Array.from(values));
    case "BF16":
      return littleEndianBytes(mapBits(values, new Uint16Array(values.length), bf16FromBits));
    case "F16":
      return littleEndianBytes(mapBits(values, new Uint16Array(values.length), (b) => miniFloatFromBits(b, F16)));
    case "F8_E4M3":
      return mapBits(values, new Uint8Array(values.length), (b) => miniFloatFromBits(b, E4M3));
    case "F8_E5M2":
      return mapBits(values, new Uint8Array(values.length), (b) => miniFloatFromBits(b, E5M2));
    default:
      throw new InputError("dtype", `cannot encode to ${JSON.stringify(dtype)} (supported: F64, F32, F16, BF16, F8_E4M3, F8_E5M2)`);
  }
}
function mapBits(values, out, convert) {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < bits.length; i++) out[i] = convert(bits[i]);
  return out;
}
function littleEndianBytes(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (!LITTLE_ENDIAN_HOST) swapInPlace(bytes, typed.BYTES_PER_ELEMENT);
  return bytes;
}
function bf16FromBits(bits) {
  if ((bits & 2147483647) > 2139095040) return 32704;
  return bits + 32767 + (bits >>> 16 & 1) >>> 16;
}
function miniFloatFromBits(bits, f) {
  const sign = bits >>> 31 ? 1 << f.exp + f.mant : 0;
  const abs = bits & 2147483647;
  if (abs > 2139095040) return sign | f.nan;
  if (abs === 2139095040) return sign | f.overflow;
  const shift = 23 - f.mant;
  let code2;
  if (abs < 128 - f.bias << 23) {
    code2 = roundHalfEven(float32FromBits(abs) * 2 ** (f.bias - 1 + f.mant));
  } else {
    const mantOdd = abs >>> shift & 1;
    code2 = abs - (127 - f.bias << 23) + (1 << shift - 1) - 1 + mantOdd >>> shift;
  }
  return sign | (code2 > f.maxFinite ? f.overflow : code2);
}
function float32FromBits(bits) {
  BITS_U32[0] = bits;
  return BITS_F32[0];
}
function roundHalfEven(v) {
  const fl = Math.floor(v);
  const d = v - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}
var TABLE, ALL_DTYPES, DECODED_DTYPES, PACKED_DTYPES, LITTLE_ENDIAN_HOST, F16_TABLE, E4M3_TABLE, E5M2_TABLE, F16, E4M3, E5M2, BITS_F32, BITS_U32;
var init_dtypes = __esm({
  "src/formats/dtypes.ts"() {
    "use strict";
    init_errors();
    TABLE = {
      F64: { bits: 64, decodable: true, kind: "float" },
      F32: { bits: 32, decodable: true, kind: "float" },
      F16: { bits: 16, decodable: true, kind: "float" },
      BF16: { bits: 16, decodable: true, kind: "float" },
      F8_E4M3: { bits: 8, decodable: true, kind: "float" },
      F8_E5M2: { bits: 8, decodable: true, kind: "float" },
      I64: { bits: 64, decodable: true, kind: "int" },
      I32: { bits: 32, decodable: true, kind: "int" },
      I16: { bits: 16, decodable: true, kind: "int" },
      I8: { bits: 8, decodable: true, kind: "int" },
      U64: { bits: 64, decodable: true, kind: "uint" },
      U32: { bits: 32, decodable: true, kind: "uint" },
      U16: { bits: 16, decodable: true, kind: "uint" },
      U8: { bits: 8, decodable: true, kind: "uint" },
      BOOL: { bits: 8, decodable: true, kind: "bool" },
      F8_E8M0: { bits: 8, decodable: false, kind: "packed" },
      E8M0: { bits: 8, decodable: false, kind: "packed" },
      F4: { bits: 4, decodable: false, kind: "packed" },
      FP4: { bits: 4, decodable: false, kind: "packed" },
      F6_E2M3: { bits: 6, decodable: false, kind: "packed" },
      F6_E3M2: { bits: 6, decodable: false, kind: "packed" },
      F8_E4M3FNUZ: { bits: 8, decodable: false, kind: "packed" },
      F8_E5M2FNUZ: { bits: 8, decodable: false, kind: "packed" }
    };
    ALL_DTYPES = Object.keys(TABLE);
    DECODED_DTYPES = ALL_DTYPES.filter((d) => TABLE[d].decodable);
    PACKED_DTYPES = ALL_DTYPES.filter((d) => !TABLE[d].decodable);
    LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    F16 = { exp: 5, mant: 10, bias: 15, ieeeSpecials: true, maxFinite: 31743, overflow: 31744, nan: 32256 };
    E4M3 = { exp: 4, mant: 3, bias: 7, ieeeSpecials: false, maxFinite: 126, overflow: 127, nan: 127 };
    E5M2 = { exp: 5, mant: 2, bias: 15, ieeeSpecials: true, maxFinite: 123, overflow: 124, nan: 127 };
    BITS_F32 = new Float32Array(1);
    BITS_U32 = new Uint32Array(BITS_F32.buffer);
  }
});

// src/formats/safetensors.ts
async function readSafetensorsHeader(file) {
  const prefix = await file.read(0, Math.min(file.size, 8));
  await rejectLfsPointer(file, prefix);
  if (file.size < 8) throw new InputError(file.id, `file is ${plural(file.size, "byte")}, shorter than the 8-byte header length`);
  const headerLength = readHeaderLength(file, prefix);
  const text = decodeUtf8(file, await file.read(8, headerLength));
  return parseHeaderText(file, text, 8 + headerLength);
}
function parseHeaderText(file, text, dataStart) {
  const fail = (problem) => new InputError(file.id, problem);
  const header = parseJsonObject(text, fail);
  const dataLength = file.size - dataStart;
  const metadata = readMetadata(header.__metadata__, fail);
  const raws = Object.entries(header).filter(([name]) => name !== "__metadata__").map(([name, entry]) => readEntry(name, entry, fail));
  for (const t of raws) checkWithinData(t, dataLength, fail);
  const sorted = raws.sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkTiling(sorted, dataLength, fail);
  const tensors = sorted.map((t) => toEntry(t, file, dataStart));
  return { tensors, metadata, dataStart };
}
async function rejectLfsPointer(file, prefix) {
  if (new TextDecoder().decode(prefix) !== "version ") return;
  const head = await file.read(0, Math.min(file.size, LFS_POINTER_MAX_BYTES));
  if (isLfsPointer(head)) throw new InputError(file.id, describeLfsPointer(new TextDecoder().decode(head), file.id));
}
function readHeaderLength(file, prefix) {
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(file.size - 8)) {
    throw new InputError(file.id, `header length ${n} runs past the end of the file (${file.size} bytes): truncated or not safetensors`);
  }
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new InputError(file.id, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  return Number(n);
}
function decodeUtf8(file, bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError(file.id, "header is not valid UTF-8");
  }
}
function parseJsonObject(text, fail) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (err2) {
    throw fail(`header is not valid JSON (${oneLine(err2 instanceof Error ? err2.message : String(err2))})`);
  }
  if (!isPlainObject(value)) throw fail(`header is not a JSON object (got ${kindOf(value)})`);
  if (!text.startsWith("{")) throw fail(`header must start with '{' (found ${JSON.stringify(text.slice(0, 1))})`);
  const dup = findDuplicateKey(text);
  if (dup) throw fail(describeDuplicate(dup));
  return value;
}
function readMetadata(value, fail) {
  if (value === void 0) return {};
  if (!isPlainObject(value)) throw fail(`__metadata__ must be an object mapping strings to strings (got ${kindOf(value)})`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw fail(`__metadata__ must map strings to strings: ${q(k)} is ${kindOf(v)}`);
  }
  return Object.fromEntries(Object.entries(value));
}
function readEntry(name, entry, fail) {
  const where = `tensor ${q(name)}`;
  if (!isPlainObject(entry)) throw fail(`${where}: entry is not an object (got ${kindOf(entry)})`);
  for (const key of ["dtype", "shape", "data_offsets"]) {
    if (!Object.hasOwn(entry, key)) throw fail(`${where}: missing "${key}"`);
  }
  const dtype = readDtype(entry.dtype, where, fail);
  const shape2 = readShape(entry.shape, where, fail);
  const numel2 = countElements(shape2, where, fail);
  const [begin, end] = readOffsets(entry.data_offsets, where, fail);
  const bits = numel2 * dtypeInfo(dtype).bits;
  if (!Number.isSafeInteger(bits)) throw fail(`${where}: shape ${show(shape2)} has too many elements`);
  const byteLength = Math.ceil(bits / 8);
  if (end - begin !== byteLength) {
    throw fail(`${where}: data_offsets [${begin}, ${end}] span ${plural(end - begin, "byte")} but shape ${show(shape2)} of ${dtype} needs ${byteLength}`);
  }
  return { name, dtype, shape: shape2, numel: numel2, byteLength, begin, end };
}
function readDtype(value, where, fail) {
  if (typeof value !== "string") throw fail(`${where}: dtype must be a string (got ${kindOf(value)})`);
  if (!isDType(value)) throw fail(`${where}: unknown dtype ${q(value)}`);
  return value;
}
function readShape(value, where, fail) {
  if (!Array.isArray(value) || !value.every(isNonNegativeInteger)) {
    throw fail(`${where}: shape must be an array of non-negative integers (got ${show(value)})`);
  }
  return value.map((d) => d + 0);
}
function countElements(shape2, where, fail) {
  if (shape2.includes(0)) return 0;
  let numel2 = 1;
  for (const d of shape2) {
    numel2 *= d;
    if (!Number.isSafeInteger(numel2)) throw fail(`${where}: shape ${show(shape2)} has too many elements`);
  }
  return numel2;
}
function readOffsets(value, where, fail) {
  if (!Array.isArray(value) || value.length !== 2 || !value.every(isNonNegativeInteger) || value[0] > value[1]) {
    throw fail(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end (got ${show(value)})`);
  }
  return [value[0] + 0, value[1] + 0];
}
function checkWithinData(t, dataLength, fail) {
  if (t.end > dataLength) {
    throw fail(`tensor ${q(t.name)}: data_offsets [${t.begin}, ${t.end}] run past the data area (${plural(dataLength, "byte")})`);
  }
}
function checkTiling(sorted, dataLength, fail) {
  let pos = 0;
  let prev;
  for (const t of sorted) {
    if (t.begin < pos && prev) {
      throw fail(`tensors ${q(prev.name)} [${prev.begin}, ${prev.end}] and ${q(t.name)} [${t.begin}, ${t.end}] overlap`);
    }
    if (t.begin > pos) {
      const after = prev ? ` after tensor ${q(prev.name)}` : "";
      throw fail(`data area bytes [${pos}, ${t.begin})${after} belong to no tensor (spans must be contiguous)`);
    }
    pos = t.end;
    prev = t;
  }
  if (pos !== dataLength) {
    throw fail(`data area is ${dataLength} bytes but the tensors end at ${pos} (${plural(dataLength - pos, "trailing byte")})`);
  }
}
function toEntry(t, file, dataStart) {
  return { name: t.name, dtype: t.dtype, shape: t.shape, numel: t.numel, byteLength: t.byteLength, file, offset: dataStart + t.begin };
}
function findDuplicateKey(text) {
  const stack = [];
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
    } else if (c === "{" || c === "[") {
      const name = top?.keys ? top.lastKey ?? "" : "[]";
      stack.push({ keys: c === "{" ? /* @__PURE__ */ new Set() : void 0, expectKey: c === "{", name });
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === "," && top?.keys) {
      top.expectKey = true;
    }
  }
  return void 0;
}
function endOfString(text, start) {
  let j = start + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
  return j;
}
function stringValue(text, start, end) {
  const raw = text.slice(start + 1, end);
  return raw.includes("\\") ? JSON.parse(text.slice(start, end + 1)) : raw;
}
function describeDuplicate(dup) {
  if (dup.path.length === 0) return `duplicate tensor name ${q(dup.key)} in the header (JSON would keep only the last)`;
  if (dup.path.length === 1 && dup.path[0] === "__metadata__") return `duplicate key ${q(dup.key)} in __metadata__`;
  return `duplicate key ${q(dup.key)} in tensor ${q(dup.path[0])}`;
}
function isPlainObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function isNonNegativeInteger(v) {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}
function kindOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `${typeof v === "string" ? "a string" : `a ${typeof v}`} ${show(v)}`;
}
function q(s) {
  return oneLine(JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s));
}
function show(v) {
  let s;
  try {
    s = v === void 0 ? "undefined" : JSON.stringify(v);
  } catch {
    s = "a deeply nested value";
  }
  return oneLine(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
function oneLine(s) {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").slice(0, 200);
}
var MAX_HEADER_BYTES;
var init_safetensors = __esm({
  "src/formats/safetensors.ts"() {
    "use strict";
    init_errors();
    init_dtypes();
    init_lfs();
    init_lfs();
    MAX_HEADER_BYTES = 1e8;
  }
});

// src/formats/model.ts
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize } from "node:path";
function registerModelOpener(prefix, opener) {
  if (prefix === "") throw new RangeError("model opener prefix must not be empty");
  openers.set(prefix, opener);
  return () => {
    if (openers.get(prefix) === opener) openers.delete(prefix);
  };
}
async function openModel(spec) {
  const opener = findOpener(spec);
  if (opener) return opener(spec);
  const st = await stat(spec).catch((err2) => {
    throw missingPathError(spec, err2);
  });
  if (st.isDirectory()) return openDirectory(spec);
  return openFile(spec);
}
function findOpener(spec) {
  const prefixes = [...openers.keys()].filter((p2) => spec.startsWith(p2)).sort((a, b) => b.length - a.length);
  return prefixes.length > 0 ? openers.get(prefixes[0]) : void 0;
}
function missingPathError(spec, err2) {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(spec)?.[1];
  const e = fsError(spec, err2);
  if (e.problem === "no such file or directory" && scheme) {
    return new InputError(spec, `no such file or directory (and no model source is registered for "${scheme}:")`);
  }
  return e;
}
function unsupportedFormat(path) {
  const ext = Object.keys(UNSUPPORTED).find((e) => path.toLowerCase().endsWith(e));
  if (!ext) return void 0;
  return new InputError(path, `${UNSUPPORTED[ext]} weights (${ext}) are not supported: ${CONVERT_HINT}`);
}
async function openFile(path) {
  if (path.endsWith(".index.json")) return openIndex(path, path);
  const unsupported = unsupportedFormat(path);
  if (unsupported) throw unsupported;
  const shards = await openShards([path]);
  return assemble({ id: path, kind: "file", dir: dirname(path), shards });
}
async function openDirectory(dir) {
  const names = await listFiles(dir);
  const index = pickIndex(dir, names.filter((n) => n.endsWith(".safetensors.index.json")));
  if (index) return openIndex(join(dir, index), dir);
  const weights = names.filter((n) => n.endsWith(".safetensors")).sort();
  if (weights.length > 0) {
    const shards = await openShards(weights.map((n) => join(dir, n)));
    return assemble({ id: dir, kind: "directory", dir, shards });
  }
  const other = names.find((n) => unsupportedFormat(n));
  if (other) {
    const e = unsupportedFormat(other);
    throw new InputError(dir, `no .safetensors weights, only ${other}: ${e.problem}`);
  }
  throw new InputError(dir, "no .safetensors weights (looked for model.safetensors, *.safetensors.index.json)");
}
async function listFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err2) => {
    throw fsError(dir, err2);
  });
  const files = [];
  for (const e of entries) {
    if (e.isFile()) files.push(e.name);
    else if (e.isSymbolicLink() && (await stat(join(dir, e.name)).catch(() => void 0))?.isFile()) files.push(e.name);
  }
  return files.sort();
}
function pickIndex(dir, indexes) {
  if (indexes.length <= 1) return indexes[0];
  if (indexes.includes("model.safetensors.index.json")) return "model.safetensors.index.json";
  throw new InputError(dir, `several safetensors indexes (${indexes.join(", ")}): name the one to use`);
}
async function openIndex(indexPath, id) {
  const weightMap = await readWeightMap(indexPath);
  const dir = dirname(indexPath);
  const shardNames = [...new Set(weightMap.values())].sort();
  for (const shard of shardNames) await requireShard(indexPath, dir, shard);
  const shards = await openShards(shardNames.map((s) => join(dir, s)));
  try {
    checkAgainstIndex(indexPath, weightMap, shardNames, shards);
    return assemble({ id, kind: "sharded", dir, shards });
  } catch (err2) {
    await closeAll(shards);
    throw err2;
  }
}
async function readWeightMap(indexPath) {
  const fail = (problem) => new InputError(indexPath, problem);
  const bytes = await readFile(indexPath).catch((err2) => {
    throw fsError(indexPath, err2);
  });
  if (isLfsPointer(bytes)) throw fail(describeLfsPointer(bytes.toString("utf8"), indexPath));
  const text = bytes.toString("utf8");
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail("index is not valid JSON");
  }
  const map = json?.weight_map;
  if (typeof map !== "object" || map === null || Array.isArray(map)) throw fail('index has no "weight_map" object');
  const dup = findDuplicateKey(text);
  if (dup) throw fail(`duplicate key ${q2(dup.key)} in ${dup.path.length > 0 ? dup.path.join(".") : "the index"}`);
  const entries = Object.entries(map);
  if (entries.length === 0) throw fail("weight_map is empty");
  for (const [tensor, shard] of entries) checkShardName(tensor, shard, fail);
  return new Map(entries);
}
function checkShardName(tensor, shard, fail) {
  if (typeof shard !== "string" || shard === "") throw fail(`weight_map entry ${q2(tensor)} is not a file name`);
  if (isAbsolute(shard) || normalize(shard).split(/[\\/]/).includes("..")) {
    throw fail(`weight_map names shard ${q2(shard)} outside the index directory`);
  }
  const unsupported = unsupportedFormat(shard);
  if (unsupported) throw fail(`weight_map names shard ${q2(shard)}: ${unsupported.problem}`);
}
async function requireShard(indexPath, dir, shard) {
  const st = await stat(join(dir, shard)).catch(() => void 0);
  if (!st?.isFile()) throw new InputError(indexPath, `shard ${q2(shard)} named in weight_map does not exist`);
}
function checkAgainstIndex(indexPath, weightMap, shardNames, shards) {
  const fail = (problem) => new InputError(indexPath, problem);
  const nameOf = new Map(shards.map((s, i) => [s.path, shardNames[i]]));
  const where = new Map([...tensorLocations(shards)].map(([tensor, path]) => [tensor, nameOf.get(path)]));
  for (const [tensor, shard] of weightMap) {
    const actual = where.get(tensor);
    if (actual === shard) continue;
    const elsewhere = actual ? ` (it is in ${q2(actual)})` : "";
    throw fail(`tensor ${q2(tensor)} is mapped to shard ${q2(shard)} but that shard does not contain it${elsewhere}`);
  }
  for (const [tensor, shard] of where) {
    if (!weightMap.has(tensor)) throw fail(`tensor ${q2(tensor)} in shard ${q2(shard)} is not listed in weight_map`);
  }
}
async function openShards(paths) {
  const opened = [];
  try {
    for (const path of paths) {
      const source = await openFileSource(path);
      try {
        opened.push({ path, source, header: await readSafetensorsHeader(source) });
      } catch (err2) {
        await source.close();
        throw err2;
      }
    }
    return opened;
  } catch (err2) {
    await closeAll(opened);
    throw err2;
  }
}
function tensorLocations(shards) {
  const where = /* @__PURE__ */ new Map();
  for (const shard of shards) {
    for (const t of shard.header.tensors) {
      const first = where.get(t.name);
      if (first !== void 0) throw new InputError(shard.path, `tensor ${q2(t.name)} is also in ${first}`);
      where.set(t.name, shard.path);
    }
  }
  return where;
}
async function assemble(spec) {
  const { id, kind, dir, shards } = spec;
  try {
    tensorLocations(shards);
  } catch (err2) {
    await closeAll(shards);
    throw err2;
  }
  const tensors = shards.flatMap((s) => s.header.tensors);
  return {
    id,
    kind,
    tensors,
    metadata: shards[0]?.header.metadata ?? {},
    files: shards.map((s) => s.path),
    // What a full read costs: the weight files' sizes, headers included.
    totalBytes: shards.reduce((n, s) => n + s.source.size, 0),
    readText: sideFileReader(dir),
    readBytes: sideFileBytes(dir),
    close: () => closeAll(shards)
  };
}
async function closeAll(shards) {
  await Promise.allSettled(shards.map((s) => s.source.close()));
}
function sideFileBytes(dir) {
  return async (name) => {
    if (name === "" || name === "." || name === ".." || /[\\/]/.test(name)) {
      throw new RangeError(`side file name must be a plain file name, got ${JSON.stringify(name)}`);
    }
    const path = join(dir, name);
    let bytes;
    try {
      bytes = await readFile(path);
    } catch (err2) {
      const code2 = err2.code;
      if (code2 === "ENOENT" || code2 === "EISDIR" || code2 === "ENOTDIR") return void 0;
      throw fsError(path, err2);
    }
    if (isLfsPointer(bytes)) throw new InputError(path, describeLfsPointer(bytes.toString("utf8"), path));
    return bytes;
  };
}
function sideFileReader(dir) {
  const readBytes = sideFileBytes(dir);
  return async (name) => {
    const bytes = await readBytes(name);
    return bytes === void 0 ? void 0 : new TextDecoder().decode(bytes);
  };
}
function q2(s) {
  const t = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return JSON.stringify(t).replace(/[\u2028\u2029]/g, " ");
}
var openers, UNSUPPORTED, CONVERT_HINT;
var init_model = __esm({
  "src/formats/model.ts"() {
    "use strict";
    init_errors();
    init_file_source();
    init_lfs();
    init_safetensors();
    openers = /* @__PURE__ */ new Map();
    UNSUPPORTED = {
      ".bin": "PyTorch pickle",
      ".pt": "PyTorch pickle",
      ".pth": "PyTorch pickle",
      ".ckpt": "checkpoint (pickle)",
      ".pkl": "pickle",
      ".gguf": "GGUF",
      ".onnx": "ONNX",
      ".h5": "Keras HDF5",
      ".msgpack": "Flax msgpack"
    };
    CONVERT_HINT = 'convert it to safetensors first (e.g. safetensors.torch.save_file(torch.load(path), "model.safetensors"))';
  }
});

// node_modules/gearhash-jit/dist/esm/table.js
var init_table = __esm({
  "node_modules/gearhash-jit/dist/esm/table.js"() {
  }
});

// node_modules/gearhash-jit/dist/esm/wasm.js
var INPUT_OFFSET, PAGES, MAX_INPUT_SIZE;
var init_wasm = __esm({
  "node_modules/gearhash-jit/dist/esm/wasm.js"() {
    init_table();
    INPUT_OFFSET = 4096;
    PAGES = 8;
    MAX_INPUT_SIZE = PAGES * 65536 - INPUT_OFFSET;
  }
});

// node_modules/gearhash-jit/dist/esm/index.js
var init_esm = __esm({
  "node_modules/gearhash-jit/dist/esm/index.js"() {
    init_wasm();
    init_table();
  }
});

// node_modules/@huggingface/blake3-jit/dist/esm/compress.js
function compress(cv, cvOff, block, blockOff, out, outOff, full, counter, blockLen, flags) {
  let m0 = block[blockOff] | 0;
  let m1 = block[blockOff + 1] | 0;
  let m2 = block[blockOff + 2] | 0;
  let m3 = block[blockOff + 3] | 0;
  let m4 = block[blockOff + 4] | 0;
  let m5 = block[blockOff + 5] | 0;
  let m6 = block[blockOff + 6] | 0;
  let m7 = block[blockOff + 7] | 0;
  let m8 = block[blockOff + 8] | 0;
  let m9 = block[blockOff + 9] | 0;
  let m10 = block[blockOff + 10] | 0;
  let m11 = block[blockOff + 11] | 0;
  let m12 = block[blockOff + 12] | 0;
  let m13 = block[blockOff + 13] | 0;
  let m14 = block[blockOff + 14] | 0;
  let m15 = block[blockOff + 15] | 0;
  let s0 = cv[cvOff] | 0;
  let s1 = cv[cvOff + 1] | 0;
  let s2 = cv[cvOff + 2] | 0;
  let s3 = cv[cvOff + 3] | 0;
  let s4 = cv[cvOff + 4] | 0;
  let s5 = cv[cvOff + 5] | 0;
  let s6 = cv[cvOff + 6] | 0;
  let s7 = cv[cvOff + 7] | 0;
  let s8 = 1779033703;
  let s9 = 3144134277;
  let s10 = 1013904242;
  let s11 = 2773480762;
  let s12 = counter | 0;
  let s13 = counter / 4294967296 | 0;
  let s14 = blockLen | 0;
  let s15 = flags | 0;
  s0 = (s0 + s4 | 0) + m0 | 0;
  s12 ^= s0;
  s12 = s12 >>> 16 | s12 << 16;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 12 | s4 << 20;
  s0 = (s0 + s4 | 0) + m1 | 0;
  s12 ^= s0;
  s12 = s12 >>> 8 | s12 << 24;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 7 | s4 << 25;
  s1 = (s1 + s5 | 0) + m2 | 0;
  s13 ^= s1;
  s13 = s13 >>> 16 | s13 << 16;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 12 | s5 << 20;
  s1 = (s1 + s5 | 0) + m3 | 0;
  s13 ^= s1;
  s13 = s13 >>> 8 | s13 << 24;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 7 | s5 << 25;
  s2 = (s2 + s6 | 0) + m4 | 0;
  s14 ^= s2;
  s14 = s14 >>> 16 | s14 << 16;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 12 | s6 << 20;
  s2 = (s2 + s6 | 0) + m5 | 0;
  s14 ^= s2;
  s14 = s14 >>> 8 | s14 << 24;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 7 | s6 << 25;
  s3 = (s3 + s7 | 0) + m6 | 0;
  s15 ^= s3;
  s15 = s15 >>> 16 | s15 << 16;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 12 | s7 << 20;
  s3 = (s3 + s7 | 0) + m7 | 0;
  s15 ^= s3;
  s15 = s15 >>> 8 | s15 << 24;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 7 | s7 << 25;
  s0 = (s0 + s5 | 0) + m8 | 0;
  s15 ^= s0;
  s15 = s15 >>> 16 | s15 << 16;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 12 | s5 << 20;
  s0 = (s0 + s5 | 0) + m9 | 0;
  s15 ^= s0;
  s15 = s15 >>> 8 | s15 << 24;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 7 | s5 << 25;
  s1 = (s1 + s6 | 0) + m10 | 0;
  s12 ^= s1;
  s12 = s12 >>> 16 | s12 << 16;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 12 | s6 << 20;
  s1 = (s1 + s6 | 0) + m11 | 0;
  s12 ^= s1;
  s12 = s12 >>> 8 | s12 << 24;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 7 | s6 << 25;
  s2 = (s2 + s7 | 0) + m12 | 0;
  s13 ^= s2;
  s13 = s13 >>> 16 | s13 << 16;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 12 | s7 << 20;
  s2 = (s2 + s7 | 0) + m13 | 0;
  s13 ^= s2;
  s13 = s13 >>> 8 | s13 << 24;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 7 | s7 << 25;
  s3 = (s3 + s4 | 0) + m14 | 0;
  s14 ^= s3;
  s14 = s14 >>> 16 | s14 << 16;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 12 | s4 << 20;
  s3 = (s3 + s4 | 0) + m15 | 0;
  s14 ^= s3;
  s14 = s14 >>> 8 | s14 << 24;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 7 | s4 << 25;
  {
    const t0 = m0, t1 = m1;
    m0 = m2;
    m2 = m3;
    m3 = m10;
    m10 = m12;
    m12 = m9;
    m9 = m11;
    m11 = m5;
    m5 = t0;
    m1 = m6;
    m6 = m4;
    m4 = m7;
    m7 = m13;
    m13 = m14;
    m14 = m15;
    m15 = m8;
    m8 = t1;
  }
  s0 = (s0 + s4 | 0) + m0 | 0;
  s12 ^= s0;
  s12 = s12 >>> 16 | s12 << 16;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 12 | s4 << 20;
  s0 = (s0 + s4 | 0) + m1 | 0;
  s12 ^= s0;
  s12 = s12 >>> 8 | s12 << 24;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 7 | s4 << 25;
  s1 = (s1 + s5 | 0) + m2 | 0;
  s13 ^= s1;
  s13 = s13 >>> 16 | s13 << 16;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 12 | s5 << 20;
  s1 = (s1 + s5 | 0) + m3 | 0;
  s13 ^= s1;
  s13 = s13 >>> 8 | s13 << 24;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 7 | s5 << 25;
  s2 = (s2 + s6 | 0) + m4 | 0;
  s14 ^= s2;
  s14 = s14 >>> 16 | s14 << 16;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 12 | s6 << 20;
  s2 = (s2 + s6 | 0) + m5 | 0;
  s14 ^= s2;
  s14 = s14 >>> 8 | s14 << 24;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 7 | s6 << 25;
  s3 = (s3 + s7 | 0) + m6 | 0;
  s15 ^= s3;
  s15 = s15 >>> 16 | s15 << 16;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 12 | s7 << 20;
  s3 = (s3 + s7 | 0) + m7 | 0;
  s15 ^= s3;
  s15 = s15 >>> 8 | s15 << 24;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 7 | s7 << 25;
  s0 = (s0 + s5 | 0) + m8 | 0;
  s15 ^= s0;
  s15 = s15 >>> 16 | s15 << 16;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 12 | s5 << 20;
  s0 = (s0 + s5 | 0) + m9 | 0;
  s15 ^= s0;
  s15 = s15 >>> 8 | s15 << 24;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 7 | s5 << 25;
  s1 = (s1 + s6 | 0) + m10 | 0;
  s12 ^= s1;
  s12 = s12 >>> 16 | s12 << 16;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 12 | s6 << 20;
  s1 = (s1 + s6 | 0) + m11 | 0;
  s12 ^= s1;
  s12 = s12 >>> 8 | s12 << 24;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 7 | s6 << 25;
  s2 = (s2 + s7 | 0) + m12 | 0;
  s13 ^= s2;
  s13 = s13 >>> 16 | s13 << 16;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 12 | s7 << 20;
  s2 = (s2 + s7 | 0) + m13 | 0;
  s13 ^= s2;
  s13 = s13 >>> 8 | s13 << 24;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 7 | s7 << 25;
  s3 = (s3 + s4 | 0) + m14 | 0;
  s14 ^= s3;
  s14 = s14 >>> 16 | s14 << 16;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 12 | s4 << 20;
  s3 = (s3 + s4 | 0) + m15 | 0;
  s14 ^= s3;
  s14 = s14 >>> 8 | s14 << 24;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 7 | s4 << 25;
  {
    const t0 = m0, t1 = m1;
    m0 = m2;
    m2 = m3;
    m3 = m10;
    m10 = m12;
    m12 = m9;
    m9 = m11;
    m11 = m5;
    m5 = t0;
    m1 = m6;
    m6 = m4;
    m4 = m7;
    m7 = m13;
    m13 = m14;
    m14 = m15;
    m15 = m8;
    m8 = t1;
  }
  s0 = (s0 + s4 | 0) + m0 | 0;
  s12 ^= s0;
  s12 = s12 >>> 16 | s12 << 16;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 12 | s4 << 20;
  s0 = (s0 + s4 | 0) + m1 | 0;
  s12 ^= s0;
  s12 = s12 >>> 8 | s12 << 24;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 7 | s4 << 25;
  s1 = (s1 + s5 | 0) + m2 | 0;
  s13 ^= s1;
  s13 = s13 >>> 16 | s13 << 16;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 12 | s5 << 20;
  s1 = (s1 + s5 | 0) + m3 | 0;
  s13 ^= s1;
  s13 = s13 >>> 8 | s13 << 24;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 7 | s5 << 25;
  s2 = (s2 + s6 | 0) + m4 | 0;
  s14 ^= s2;
  s14 = s14 >>> 16 | s14 << 16;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 12 | s6 << 20;
  s2 = (s2 + s6 | 0) + m5 | 0;
  s14 ^= s2;
  s14 = s14 >>> 8 | s14 << 24;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 7 | s6 << 25;
  s3 = (s3 + s7 | 0) + m6 | 0;
  s15 ^= s3;
  s15 = s15 >>> 16 | s15 << 16;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 12 | s7 << 20;
  s3 = (s3 + s7 | 0) + m7 | 0;
  s15 ^= s3;
  s15 = s15 >>> 8 | s15 << 24;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 7 | s7 << 25;
  s0 = (s0 + s5 | 0) + m8 | 0;
  s15 ^= s0;
  s15 = s15 >>> 16 | s15 << 16;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 12 | s5 << 20;
  s0 = (s0 + s5 | 0) + m9 | 0;
  s15 ^= s0;
  s15 = s15 >>> 8 | s15 << 24;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 7 | s5 << 25;
  s1 = (s1 + s6 | 0) + m10 | 0;
  s12 ^= s1;
  s12 = s12 >>> 16 | s12 << 16;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 12 | s6 << 20;
  s1 = (s1 + s6 | 0) + m11 | 0;
  s12 ^= s1;
  s12 = s12 >>> 8 | s12 << 24;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 7 | s6 << 25;
  s2 = (s2 + s7 | 0) + m12 | 0;
  s13 ^= s2;
  s13 = s13 >>> 16 | s13 << 16;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 12 | s7 << 20;
  s2 = (s2 + s7 | 0) + m13 | 0;
  s13 ^= s2;
  s13 = s13 >>> 8 | s13 << 24;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 7 | s7 << 25;
  s3 = (s3 + s4 | 0) + m14 | 0;
  s14 ^= s3;
  s14 = s14 >>> 16 | s14 << 16;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 12 | s4 << 20;
  s3 = (s3 + s4 | 0) + m15 | 0;
  s14 ^= s3;
  s14 = s14 >>> 8 | s14 << 24;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 7 | s4 << 25;
  {
    const t0 = m0, t1 = m1;
    m0 = m2;
    m2 = m3;
    m3 = m10;
    m10 = m12;
    m12 = m9;
    m9 = m11;
    m11 = m5;
    m5 = t0;
    m1 = m6;
    m6 = m4;
    m4 = m7;
    m7 = m13;
    m13 = m14;
    m14 = m15;
    m15 = m8;
    m8 = t1;
  }
  s0 = (s0 + s4 | 0) + m0 | 0;
  s12 ^= s0;
  s12 = s12 >>> 16 | s12 << 16;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 12 | s4 << 20;
  s0 = (s0 + s4 | 0) + m1 | 0;
  s12 ^= s0;
  s12 = s12 >>> 8 | s12 << 24;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 7 | s4 << 25;
  s1 = (s1 + s5 | 0) + m2 | 0;
  s13 ^= s1;
  s13 = s13 >>> 16 | s13 << 16;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 12 | s5 << 20;
  s1 = (s1 + s5 | 0) + m3 | 0;
  s13 ^= s1;
  s13 = s13 >>> 8 | s13 << 24;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 7 | s5 << 25;
  s2 = (s2 + s6 | 0) + m4 | 0;
  s14 ^= s2;
  s14 = s14 >>> 16 | s14 << 16;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 12 | s6 << 20;
  s2 = (s2 + s6 | 0) + m5 | 0;
  s14 ^= s2;
  s14 = s14 >>> 8 | s14 << 24;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 7 | s6 << 25;
  s3 = (s3 + s7 | 0) + m6 | 0;
  s15 ^= s3;
  s15 = s15 >>> 16 | s15 << 16;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 12 | s7 << 20;
  s3 = (s3 + s7 | 0) + m7 | 0;
  s15 ^= s3;
  s15 = s15 >>> 8 | s15 << 24;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 7 | s7 << 25;
  s0 = (s0 + s5 | 0) + m8 | 0;
  s15 ^= s0;
  s15 = s15 >>> 16 | s15 << 16;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 12 | s5 << 20;
  s0 = (s0 + s5 | 0) + m9 | 0;
  s15 ^= s0;
  s15 = s15 >>> 8 | s15 << 24;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 7 | s5 << 25;
  s1 = (s1 + s6 | 0) + m10 | 0;
  s12 ^= s1;
  s12 = s12 >>> 16 | s12 << 16;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 12 | s6 << 20;
  s1 = (s1 + s6 | 0) + m11 | 0;
  s12 ^= s1;
  s12 = s12 >>> 8 | s12 << 24;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 7 | s6 << 25;
  s2 = (s2 + s7 | 0) + m12 | 0;
  s13 ^= s2;
  s13 = s13 >>> 16 | s13 << 16;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 12 | s7 << 20;
  s2 = (s2 + s7 | 0) + m13 | 0;
  s13 ^= s2;
  s13 = s13 >>> 8 | s13 << 24;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 7 | s7 << 25;
  s3 = (s3 + s4 | 0) + m14 | 0;
  s14 ^= s3;
  s14 = s14 >>> 16 | s14 << 16;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 12 | s4 << 20;
  s3 = (s3 + s4 | 0) + m15 | 0;
  s14 ^= s3;
  s14 = s14 >>> 8 | s14 << 24;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 7 | s4 << 25;
  {
    const t0 = m0, t1 = m1;
    m0 = m2;
    m2 = m3;
    m3 = m10;
    m10 = m12;
    m12 = m9;
    m9 = m11;
    m11 = m5;
    m5 = t0;
    m1 = m6;
    m6 = m4;
    m4 = m7;
    m7 = m13;
    m13 = m14;
    m14 = m15;
    m15 = m8;
    m8 = t1;
  }
  s0 = (s0 + s4 | 0) + m0 | 0;
  s12 ^= s0;
  s12 = s12 >>> 16 | s12 << 16;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 12 | s4 << 20;
  s0 = (s0 + s4 | 0) + m1 | 0;
  s12 ^= s0;
  s12 = s12 >>> 8 | s12 << 24;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 7 | s4 << 25;
  s1 = (s1 + s5 | 0) + m2 | 0;
  s13 ^= s1;
  s13 = s13 >>> 16 | s13 << 16;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 12 | s5 << 20;
  s1 = (s1 + s5 | 0) + m3 | 0;
  s13 ^= s1;
  s13 = s13 >>> 8 | s13 << 24;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 7 | s5 << 25;
  s2 = (s2 + s6 | 0) + m4 | 0;
  s14 ^= s2;
  s14 = s14 >>> 16 | s14 << 16;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 12 | s6 << 20;
  s2 = (s2 + s6 | 0) + m5 | 0;
  s14 ^= s2;
  s14 = s14 >>> 8 | s14 << 24;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 7 | s6 << 25;
  s3 = (s3 + s7 | 0) + m6 | 0;
  s15 ^= s3;
  s15 = s15 >>> 16 | s15 << 16;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 12 | s7 << 20;
  s3 = (s3 + s7 | 0) + m7 | 0;
  s15 ^= s3;
  s15 = s15 >>> 8 | s15 << 24;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 7 | s7 << 25;
  s0 = (s0 + s5 | 0) + m8 | 0;
  s15 ^= s0;
  s15 = s15 >>> 16 | s15 << 16;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 12 | s5 << 20;
  s0 = (s0 + s5 | 0) + m9 | 0;
  s15 ^= s0;
  s15 = s15 >>> 8 | s15 << 24;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 7 | s5 << 25;
  s1 = (s1 + s6 | 0) + m10 | 0;
  s12 ^= s1;
  s12 = s12 >>> 16 | s12 << 16;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 12 | s6 << 20;
  s1 = (s1 + s6 | 0) + m11 | 0;
  s12 ^= s1;
  s12 = s12 >>> 8 | s12 << 24;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 7 | s6 << 25;
  s2 = (s2 + s7 | 0) + m12 | 0;
  s13 ^= s2;
  s13 = s13 >>> 16 | s13 << 16;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 12 | s7 << 20;
  s2 = (s2 + s7 | 0) + m13 | 0;
  s13 ^= s2;
  s13 = s13 >>> 8 | s13 << 24;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 7 | s7 << 25;
  s3 = (s3 + s4 | 0) + m14 | 0;
  s14 ^= s3;
  s14 = s14 >>> 16 | s14 << 16;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 12 | s4 << 20;
  s3 = (s3 + s4 | 0) + m15 | 0;
  s14 ^= s3;
  s14 = s14 >>> 8 | s14 << 24;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 7 | s4 << 25;
  {
    const t0 = m0, t1 = m1;
    m0 = m2;
    m2 = m3;
    m3 = m10;
    m10 = m12;
    m12 = m9;
    m9 = m11;
    m11 = m5;
    m5 = t0;
    m1 = m6;
    m6 = m4;
    m4 = m7;
    m7 = m13;
    m13 = m14;
    m14 = m15;
    m15 = m8;
    m8 = t1;
  }
  s0 = (s0 + s4 | 0) + m0 | 0;
  s12 ^= s0;
  s12 = s12 >>> 16 | s12 << 16;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 12 | s4 << 20;
  s0 = (s0 + s4 | 0) + m1 | 0;
  s12 ^= s0;
  s12 = s12 >>> 8 | s12 << 24;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 7 | s4 << 25;
  s1 = (s1 + s5 | 0) + m2 | 0;
  s13 ^= s1;
  s13 = s13 >>> 16 | s13 << 16;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 12 | s5 << 20;
  s1 = (s1 + s5 | 0) + m3 | 0;
  s13 ^= s1;
  s13 = s13 >>> 8 | s13 << 24;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 7 | s5 << 25;
  s2 = (s2 + s6 | 0) + m4 | 0;
  s14 ^= s2;
  s14 = s14 >>> 16 | s14 << 16;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 12 | s6 << 20;
  s2 = (s2 + s6 | 0) + m5 | 0;
  s14 ^= s2;
  s14 = s14 >>> 8 | s14 << 24;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 7 | s6 << 25;
  s3 = (s3 + s7 | 0) + m6 | 0;
  s15 ^= s3;
  s15 = s15 >>> 16 | s15 << 16;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 12 | s7 << 20;
  s3 = (s3 + s7 | 0) + m7 | 0;
  s15 ^= s3;
  s15 = s15 >>> 8 | s15 << 24;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 7 | s7 << 25;
  s0 = (s0 + s5 | 0) + m8 | 0;
  s15 ^= s0;
  s15 = s15 >>> 16 | s15 << 16;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 12 | s5 << 20;
  s0 = (s0 + s5 | 0) + m9 | 0;
  s15 ^= s0;
  s15 = s15 >>> 8 | s15 << 24;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 7 | s5 << 25;
  s1 = (s1 + s6 | 0) + m10 | 0;
  s12 ^= s1;
  s12 = s12 >>> 16 | s12 << 16;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 12 | s6 << 20;
  s1 = (s1 + s6 | 0) + m11 | 0;
  s12 ^= s1;
  s12 = s12 >>> 8 | s12 << 24;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 7 | s6 << 25;
  s2 = (s2 + s7 | 0) + m12 | 0;
  s13 ^= s2;
  s13 = s13 >>> 16 | s13 << 16;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 12 | s7 << 20;
  s2 = (s2 + s7 | 0) + m13 | 0;
  s13 ^= s2;
  s13 = s13 >>> 8 | s13 << 24;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 7 | s7 << 25;
  s3 = (s3 + s4 | 0) + m14 | 0;
  s14 ^= s3;
  s14 = s14 >>> 16 | s14 << 16;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 12 | s4 << 20;
  s3 = (s3 + s4 | 0) + m15 | 0;
  s14 ^= s3;
  s14 = s14 >>> 8 | s14 << 24;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 7 | s4 << 25;
  {
    const t0 = m0, t1 = m1;
    m0 = m2;
    m2 = m3;
    m3 = m10;
    m10 = m12;
    m12 = m9;
    m9 = m11;
    m11 = m5;
    m5 = t0;
    m1 = m6;
    m6 = m4;
    m4 = m7;
    m7 = m13;
    m13 = m14;
    m14 = m15;
    m15 = m8;
    m8 = t1;
  }
  s0 = (s0 + s4 | 0) + m0 | 0;
  s12 ^= s0;
  s12 = s12 >>> 16 | s12 << 16;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 12 | s4 << 20;
  s0 = (s0 + s4 | 0) + m1 | 0;
  s12 ^= s0;
  s12 = s12 >>> 8 | s12 << 24;
  s8 = s8 + s12 | 0;
  s4 ^= s8;
  s4 = s4 >>> 7 | s4 << 25;
  s1 = (s1 + s5 | 0) + m2 | 0;
  s13 ^= s1;
  s13 = s13 >>> 16 | s13 << 16;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 12 | s5 << 20;
  s1 = (s1 + s5 | 0) + m3 | 0;
  s13 ^= s1;
  s13 = s13 >>> 8 | s13 << 24;
  s9 = s9 + s13 | 0;
  s5 ^= s9;
  s5 = s5 >>> 7 | s5 << 25;
  s2 = (s2 + s6 | 0) + m4 | 0;
  s14 ^= s2;
  s14 = s14 >>> 16 | s14 << 16;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 12 | s6 << 20;
  s2 = (s2 + s6 | 0) + m5 | 0;
  s14 ^= s2;
  s14 = s14 >>> 8 | s14 << 24;
  s10 = s10 + s14 | 0;
  s6 ^= s10;
  s6 = s6 >>> 7 | s6 << 25;
  s3 = (s3 + s7 | 0) + m6 | 0;
  s15 ^= s3;
  s15 = s15 >>> 16 | s15 << 16;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 12 | s7 << 20;
  s3 = (s3 + s7 | 0) + m7 | 0;
  s15 ^= s3;
  s15 = s15 >>> 8 | s15 << 24;
  s11 = s11 + s15 | 0;
  s7 ^= s11;
  s7 = s7 >>> 7 | s7 << 25;
  s0 = (s0 + s5 | 0) + m8 | 0;
  s15 ^= s0;
  s15 = s15 >>> 16 | s15 << 16;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 12 | s5 << 20;
  s0 = (s0 + s5 | 0) + m9 | 0;
  s15 ^= s0;
  s15 = s15 >>> 8 | s15 << 24;
  s10 = s10 + s15 | 0;
  s5 ^= s10;
  s5 = s5 >>> 7 | s5 << 25;
  s1 = (s1 + s6 | 0) + m10 | 0;
  s12 ^= s1;
  s12 = s12 >>> 16 | s12 << 16;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 12 | s6 << 20;
  s1 = (s1 + s6 | 0) + m11 | 0;
  s12 ^= s1;
  s12 = s12 >>> 8 | s12 << 24;
  s11 = s11 + s12 | 0;
  s6 ^= s11;
  s6 = s6 >>> 7 | s6 << 25;
  s2 = (s2 + s7 | 0) + m12 | 0;
  s13 ^= s2;
  s13 = s13 >>> 16 | s13 << 16;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 12 | s7 << 20;
  s2 = (s2 + s7 | 0) + m13 | 0;
  s13 ^= s2;
  s13 = s13 >>> 8 | s13 << 24;
  s8 = s8 + s13 | 0;
  s7 ^= s8;
  s7 = s7 >>> 7 | s7 << 25;
  s3 = (s3 + s4 | 0) + m14 | 0;
  s14 ^= s3;
  s14 = s14 >>> 16 | s14 << 16;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 12 | s4 << 20;
  s3 = (s3 + s4 | 0) + m15 | 0;
  s14 ^= s3;
  s14 = s14 >>> 8 | s14 << 24;
  s9 = s9 + s14 | 0;
  s4 ^= s9;
  s4 = s4 >>> 7 | s4 << 25;
  if (full) {
    out[outOff + 8] = s8 ^ cv[cvOff];
    out[outOff + 9] = s9 ^ cv[cvOff + 1];
    out[outOff + 10] = s10 ^ cv[cvOff + 2];
    out[outOff + 11] = s11 ^ cv[cvOff + 3];
    out[outOff + 12] = s12 ^ cv[cvOff + 4];
    out[outOff + 13] = s13 ^ cv[cvOff + 5];
    out[outOff + 14] = s14 ^ cv[cvOff + 6];
    out[outOff + 15] = s15 ^ cv[cvOff + 7];
  }
  out[outOff] = s0 ^ s8;
  out[outOff + 1] = s1 ^ s9;
  out[outOff + 2] = s2 ^ s10;
  out[outOff + 3] = s3 ^ s11;
  out[outOff + 4] = s4 ^ s12;
  out[outOff + 5] = s5 ^ s13;
  out[outOff + 6] = s6 ^ s14;
  out[outOff + 7] = s7 ^ s15;
}
var init_compress = __esm({
  "node_modules/@huggingface/blake3-jit/dist/esm/compress.js"() {
  }
});

// node_modules/@huggingface/blake3-jit/dist/esm/constants.js
var IV, CHUNK_START, CHUNK_END, PARENT, ROOT, KEYED_HASH, DERIVE_KEY_CONTEXT, DERIVE_KEY_MATERIAL, OUT_LEN, KEY_LEN, BLOCK_LEN, CHUNK_LEN, MAX_DEPTH, PERMUTATIONS;
var init_constants = __esm({
  "node_modules/@huggingface/blake3-jit/dist/esm/constants.js"() {
    IV = new Uint32Array([
      1779033703,
      3144134277,
      1013904242,
      2773480762,
      1359893119,
      2600822924,
      528734635,
      1541459225
    ]);
    CHUNK_START = 1;
    CHUNK_END = 1 << 1;
    PARENT = 1 << 2;
    ROOT = 1 << 3;
    KEYED_HASH = 1 << 4;
    DERIVE_KEY_CONTEXT = 1 << 5;
    DERIVE_KEY_MATERIAL = 1 << 6;
    OUT_LEN = 32;
    KEY_LEN = 32;
    BLOCK_LEN = 64;
    CHUNK_LEN = 1024;
    MAX_DEPTH = 54;
    PERMUTATIONS = new Uint8Array([
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      2,
      6,
      3,
      10,
      7,
      0,
      4,
      13,
      1,
      11,
      12,
      5,
      9,
      14,
      15,
      8,
      3,
      4,
      10,
      12,
      13,
      2,
      7,
      14,
      6,
      5,
      9,
      0,
      11,
      15,
      8,
      1,
      10,
      7,
      12,
      9,
      14,
      3,
      13,
      15,
      4,
      0,
      11,
      2,
      5,
      8,
      1,
      6,
      12,
      13,
      9,
      11,
      15,
      10,
      14,
      8,
      7,
      2,
      5,
      3,
      0,
      1,
      6,
      4,
      9,
      14,
      11,
      5,
      8,
      12,
      15,
      1,
      13,
      3,
      0,
      10,
      2,
      6,
      4,
      7,
      11,
      15,
      5,
      0,
      1,
      9,
      8,
      6,
      14,
      10,
      2,
      12,
      3,
      4,
      7,
      13
    ]);
  }
});

// node_modules/@huggingface/blake3-jit/dist/esm/utils.js
function readLittleEndianWordsFull(input, offset, words) {
  for (let i = 0; i < 16; ++i, offset += 4) {
    words[i] = input[offset] | input[offset + 1] << 8 | input[offset + 2] << 16 | input[offset + 3] << 24;
  }
}
function writeLittleEndianBytesPartial(words, wordOffset, output, byteOffset, byteCount) {
  const fullWords = byteCount >>> 2;
  let i = 0;
  for (; i < fullWords; ++i, byteOffset += 4) {
    const w = words[wordOffset + i];
    output[byteOffset] = w & 255;
    output[byteOffset + 1] = w >>> 8 & 255;
    output[byteOffset + 2] = w >>> 16 & 255;
    output[byteOffset + 3] = w >>> 24 & 255;
  }
  const remaining = byteCount & 3;
  if (remaining > 0) {
    const w = words[wordOffset + i];
    output[byteOffset] = w & 255;
    if (remaining > 1)
      output[byteOffset + 1] = w >>> 8 & 255;
    if (remaining > 2)
      output[byteOffset + 2] = w >>> 16 & 255;
  }
}
function encodeUTF8(str) {
  if (typeof TextEncoder !== "undefined") {
    return new TextEncoder().encode(str);
  }
  const bytes = [];
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c < 128) {
      bytes.push(c);
    } else if (c < 2048) {
      bytes.push(192 | c >> 6, 128 | c & 63);
    } else if (c < 55296 || c >= 57344) {
      bytes.push(224 | c >> 12, 128 | c >> 6 & 63, 128 | c & 63);
    } else {
      i++;
      c = 65536 + ((c & 1023) << 10 | str.charCodeAt(i) & 1023);
      bytes.push(240 | c >> 18, 128 | c >> 12 & 63, 128 | c >> 6 & 63, 128 | c & 63);
    }
  }
  return new Uint8Array(bytes);
}
var IS_LITTLE_ENDIAN, CTZ32_TABLE;
var init_utils = __esm({
  "node_modules/@huggingface/blake3-jit/dist/esm/utils.js"() {
    IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([16909060]).buffer)[0] === 4;
    CTZ32_TABLE = new Uint8Array([
      0,
      1,
      28,
      2,
      29,
      14,
      24,
      3,
      30,
      22,
      20,
      15,
      25,
      17,
      4,
      8,
      31,
      27,
      13,
      23,
      21,
      19,
      16,
      7,
      26,
      12,
      18,
      6,
      11,
      5,
      10,
      9
    ]);
  }
});

// node_modules/@huggingface/blake3-jit/dist/esm/hasher.js
var XofReader, ChunkState, Hasher;
var init_hasher = __esm({
  "node_modules/@huggingface/blake3-jit/dist/esm/hasher.js"() {
    init_compress();
    init_constants();
    init_utils();
    XofReader = class {
      inputCv;
      blockWords;
      counter;
      blockLen;
      flags;
      outputBlock;
      outputBlockOffset;
      constructor(inputCv, blockWords, counter, blockLen, flags) {
        this.inputCv = inputCv;
        this.blockWords = blockWords;
        this.counter = counter;
        this.blockLen = blockLen;
        this.flags = flags | ROOT;
        this.outputBlock = new Uint32Array(16);
        this.outputBlockOffset = 64;
      }
      /**
       * Read the next `length` bytes of output.
       */
      read(length) {
        const output = new Uint8Array(length);
        let outputOffset = 0;
        while (outputOffset < length) {
          if (this.outputBlockOffset >= 64) {
            compress(
              this.inputCv,
              0,
              this.blockWords,
              0,
              this.outputBlock,
              0,
              true,
              // full 64-byte output
              this.counter++,
              this.blockLen,
              this.flags
            );
            this.outputBlockOffset = 0;
          }
          const available = 64 - this.outputBlockOffset;
          const toCopy = Math.min(available, length - outputOffset);
          const wordOffset = this.outputBlockOffset >>> 2;
          const byteWithinWord = this.outputBlockOffset & 3;
          if (byteWithinWord === 0 && toCopy >= 4) {
            const fullWords = toCopy >>> 2;
            writeLittleEndianBytesPartial(this.outputBlock, wordOffset, output, outputOffset, fullWords << 2);
            const bytesCopied = fullWords << 2;
            outputOffset += bytesCopied;
            this.outputBlockOffset += bytesCopied;
          } else {
            for (let i = 0; i < toCopy; i++) {
              const wordIdx = this.outputBlockOffset + i >>> 2;
              const byteIdx = this.outputBlockOffset + i & 3;
              output[outputOffset + i] = this.outputBlock[wordIdx] >>> (byteIdx << 3) & 255;
            }
            outputOffset += toCopy;
            this.outputBlockOffset += toCopy;
          }
        }
        return output;
      }
    };
    ChunkState = class {
      chainingValue;
      chunkCounter;
      blockWords;
      blockLen;
      blocksCompressed;
      flags;
      constructor(keyWords, chunkCounter, flags) {
        this.chainingValue = new Uint32Array(keyWords);
        this.chunkCounter = chunkCounter;
        this.blockWords = new Uint32Array(16);
        this.blockLen = 0;
        this.blocksCompressed = 0;
        this.flags = flags;
      }
      resetTo(keyWords, chunkCounter, flags) {
        this.chainingValue.set(keyWords);
        this.chunkCounter = chunkCounter;
        this.blockLen = 0;
        this.blocksCompressed = 0;
        this.flags = flags;
      }
      /**
       * Get the flags for the current block.
       */
      startFlag() {
        return this.blocksCompressed === 0 ? CHUNK_START : 0;
      }
      /**
       * Update the chunk state with input data.
       * Returns the number of bytes consumed.
       */
      update(input, inputOffset, inputLen) {
        let consumed = 0;
        while (inputLen > 0) {
          if (this.blockLen === BLOCK_LEN) {
            compress(this.chainingValue, 0, this.blockWords, 0, this.chainingValue, 0, false, this.chunkCounter, BLOCK_LEN, this.flags | this.startFlag());
            this.blocksCompressed++;
            this.blockLen = 0;
          }
          const want = BLOCK_LEN - this.blockLen;
          const take = Math.min(want, inputLen);
          if (this.blockLen === 0 && take === BLOCK_LEN) {
            readLittleEndianWordsFull(input, inputOffset, this.blockWords);
          } else {
            for (let i = 0; i < take; i++) {
              const pos = this.blockLen + i;
              const wordIdx = pos >>> 2;
              const byteIdx = pos & 3;
              if (byteIdx === 0) {
                this.blockWords[wordIdx] = input[inputOffset + i];
              } else {
                this.blockWords[wordIdx] |= input[inputOffset + i] << (byteIdx << 3);
              }
            }
          }
          this.blockLen += take;
          inputOffset += take;
          inputLen -= take;
          consumed += take;
        }
        return consumed;
      }
      /**
       * Finalize this chunk and return its output.
       * Returns 8 words (chaining value) or 16 words (if root).
       */
      output() {
        const usedWords = this.blockLen + 3 >>> 2;
        for (let i = usedWords; i < 16; i++) {
          this.blockWords[i] = 0;
        }
        return {
          inputCv: this.chainingValue,
          blockWords: this.blockWords,
          blockLen: this.blockLen,
          counter: this.chunkCounter,
          flags: this.flags | this.startFlag() | CHUNK_END
        };
      }
      /**
       * Get the number of bytes in this chunk.
       */
      len() {
        return this.blocksCompressed * BLOCK_LEN + this.blockLen;
      }
    };
    Hasher = class _Hasher {
      chunkState;
      keyWords;
      cvStack;
      cvStackLen;
      flags;
      parentBlock;
      parentCv;
      chunkCv;
      outWords;
      finalizeCv;
      /**
       * Create a new Hasher.
       *
       * @param keyWords - Initial key words (IV for regular hashing)
       * @param flags - Domain separation flags
       */
      constructor(keyWords, flags) {
        this.keyWords = keyWords ? new Uint32Array(keyWords) : new Uint32Array(IV);
        this.flags = flags ?? 0;
        this.chunkState = new ChunkState(this.keyWords, 0, this.flags);
        this.cvStack = new Uint32Array(MAX_DEPTH * 8);
        this.cvStackLen = 0;
        this.parentBlock = new Uint32Array(16);
        this.parentCv = new Uint32Array(8);
        this.chunkCv = new Uint32Array(8);
        this.outWords = new Uint32Array(16);
        this.finalizeCv = new Uint32Array(8);
      }
      /**
       * Reset the hasher to process a new message with the same key/flags.
       * Reuses all internal buffers — zero allocations.
       */
      reset() {
        this.chunkState.resetTo(this.keyWords, 0, this.flags);
        this.cvStackLen = 0;
        return this;
      }
      /**
       * Create a new keyed hasher (MAC).
       *
       * @param key - 32-byte key
       */
      static newKeyed(key) {
        if (key.length !== KEY_LEN) {
          throw new Error(`Key must be ${KEY_LEN} bytes, got ${key.length}`);
        }
        const keyWords = new Uint32Array(8);
        if (IS_LITTLE_ENDIAN) {
          const view = new Uint32Array(key.buffer, key.byteOffset, 8);
          keyWords.set(view);
        } else {
          for (let i = 0; i < 8; i++) {
            const off = i * 4;
            keyWords[i] = key[off] | key[off + 1] << 8 | key[off + 2] << 16 | key[off + 3] << 24;
          }
        }
        return new _Hasher(keyWords, KEYED_HASH);
      }
      /**
       * Create a new key derivation hasher.
       *
       * @param context - Context string for domain separation
       */
      static newDeriveKey(context) {
        const contextBytes = encodeUTF8(context);
        const contextHasher = new _Hasher(new Uint32Array(IV), DERIVE_KEY_CONTEXT);
        contextHasher.update(contextBytes);
        const contextKey = new Uint32Array(8);
        const output = contextHasher.finalizeOutput();
        compress(output.inputCv, 0, output.blockWords, 0, contextKey, 0, false, output.counter, output.blockLen, output.flags | ROOT);
        return new _Hasher(contextKey, DERIVE_KEY_MATERIAL);
      }
      /**
       * Push a chaining value onto the stack.
       */
      pushCv(cv, cvOffset) {
        this.cvStack.set(cv.subarray(cvOffset, cvOffset + 8), this.cvStackLen * 8);
        this.cvStackLen++;
      }
      /**
       * Pop a chaining value from the stack.
       */
      popCv(out, outOffset) {
        this.cvStackLen--;
        out.set(this.cvStack.subarray(this.cvStackLen * 8, (this.cvStackLen + 1) * 8), outOffset);
      }
      /**
       * Add a chunk's chaining value and merge completed subtrees.
       */
      addChunkCv(newCv, newCvOffset, totalChunks) {
        const parentBlock = this.parentBlock;
        const parentCv = this.parentCv;
        while ((totalChunks & 1) === 0) {
          this.popCv(parentBlock, 0);
          parentBlock.set(newCv.subarray(newCvOffset, newCvOffset + 8), 8);
          compress(this.keyWords, 0, parentBlock, 0, parentCv, 0, false, 0, BLOCK_LEN, this.flags | PARENT);
          newCv = parentCv;
          newCvOffset = 0;
          totalChunks >>>= 1;
        }
        this.pushCv(newCv, newCvOffset);
      }
      /**
       * Update the hasher with input data.
       *
       * @param input - Data to hash
       * @returns this (for chaining)
       */
      update(input) {
        let inputOffset = 0;
        let inputLen = input.length;
        while (inputLen > 0) {
          if (this.chunkState.len() === CHUNK_LEN) {
            const output = this.chunkState.output();
            const chunkCv = this.chunkCv;
            compress(output.inputCv, 0, output.blockWords, 0, chunkCv, 0, false, output.counter, output.blockLen, output.flags);
            const totalChunks = this.chunkState.chunkCounter + 1;
            this.addChunkCv(chunkCv, 0, totalChunks);
            this.chunkState.resetTo(this.keyWords, totalChunks, this.flags);
          }
          const want = CHUNK_LEN - this.chunkState.len();
          const take = Math.min(want, inputLen);
          this.chunkState.update(input, inputOffset, take);
          inputOffset += take;
          inputLen -= take;
        }
        return this;
      }
      /**
       * Get the output parameters (for XOF mode or finalization).
       */
      finalizeOutput() {
        let output = this.chunkState.output();
        let parentBlock = this.parentBlock;
        let cv = this.finalizeCv;
        if (this.cvStackLen > 0) {
          compress(output.inputCv, 0, output.blockWords, 0, cv, 0, false, output.counter, output.blockLen, output.flags);
          while (this.cvStackLen > 0) {
            this.cvStackLen--;
            parentBlock.set(this.cvStack.subarray(this.cvStackLen * 8, (this.cvStackLen + 1) * 8), 0);
            parentBlock.set(cv, 8);
            if (this.cvStackLen > 0) {
              compress(this.keyWords, 0, parentBlock, 0, cv, 0, false, 0, BLOCK_LEN, this.flags | PARENT);
            } else {
              return {
                inputCv: this.keyWords,
                blockWords: parentBlock,
                blockLen: BLOCK_LEN,
                counter: 0,
                flags: this.flags | PARENT
              };
            }
          }
        }
        return output;
      }
      /**
       * Finalize the hash and return the result.
       *
       * @param outputLength - Number of bytes to output (default: 32)
       * @returns The hash output
       */
      finalize(outputLength = OUT_LEN) {
        const output = this.finalizeOutput();
        const result = new Uint8Array(outputLength);
        if (outputLength <= 64) {
          const outWords = this.outWords;
          compress(
            output.inputCv,
            0,
            output.blockWords,
            0,
            outWords,
            0,
            outputLength > 32,
            // full output if > 32 bytes
            output.counter,
            output.blockLen,
            output.flags | ROOT
          );
          if (IS_LITTLE_ENDIAN) {
            const outBytes = new Uint8Array(outWords.buffer);
            result.set(outBytes.subarray(0, outputLength));
          } else {
            writeLittleEndianBytesPartial(outWords, 0, result, 0, outputLength);
          }
        } else {
          const xof = this.finalizeXof();
          const full = xof.read(outputLength);
          result.set(full);
        }
        return result;
      }
      /**
       * Finalize and return an XOF reader for arbitrary-length output.
       */
      finalizeXof() {
        const output = this.finalizeOutput();
        return new XofReader(new Uint32Array(output.inputCv), new Uint32Array(output.blockWords), output.counter, output.blockLen, output.flags);
      }
    };
  }
});

// node_modules/@huggingface/blake3-jit/dist/esm/wasm-simd.js
function toLebU32Min2(n) {
  return [n & 127 | 128, n >>> 7 & 127];
}
function toLebU32Padded5(n) {
  return [
    n & 127 | 128,
    n >>> 7 & 127 | 128,
    n >>> 14 & 127 | 128,
    n >>> 21 & 127 | 128,
    n >>> 28 & 15
    // Last byte has no continuation bit
  ];
}
function toSignedLeb128_i32(n) {
  const bytes = [];
  let value = n | 0;
  let more = true;
  while (more) {
    let byte = value & 127;
    value >>= 7;
    if (value === 0 && (byte & 64) === 0 || value === -1 && (byte & 64) !== 0) {
      more = false;
    } else {
      byte |= 128;
    }
    bytes.push(byte);
  }
  return bytes;
}
function generateWasmBytes() {
  const code2 = [];
  function put(bytes) {
    code2.push(...bytes);
  }
  put([0, 97, 115, 109]);
  put([1, 0, 0, 0]);
  put([1]);
  put([4]);
  put([1]);
  put([96, 0, 0]);
  put([2]);
  put([11]);
  put([1]);
  put([2, 106, 115]);
  put([3, 109, 101, 109]);
  put([2, 0, 1]);
  put([3]);
  put([4]);
  put([3]);
  put([0]);
  put([0]);
  put([0]);
  put([7]);
  put([50]);
  put([3]);
  put([10]);
  put([99, 111, 109, 112, 114, 101, 115, 115, 52, 120]);
  put([0, 0]);
  put([16]);
  put([
    99,
    111,
    109,
    112,
    114,
    101,
    115,
    115,
    67,
    104,
    117,
    110,
    107,
    115,
    52,
    120
  ]);
  put([0, 1]);
  put([14]);
  put([99, 111, 109, 112, 114, 101, 115, 115, 80, 97, 114, 101, 110, 116]);
  put([0, 2]);
  put([10]);
  const sectionSizeOffset = code2.length;
  put([0, 0, 0, 0, 0]);
  put([3]);
  const funcSizeOffset = code2.length;
  put([0, 0, 0, 0, 0]);
  const funcBodyStart = code2.length;
  put([1]);
  put([32, 123]);
  for (let i = 0; i < 16; i++) {
    put([65, ...toLebU32Min2(i * 16)]);
    put([253, 0, 2, 0]);
    put([33, i]);
  }
  for (let i = 0; i < 8; i++) {
    put([65, ...toLebU32Min2(512 + i * 16)]);
    put([253, 0, 2, 0]);
    put([33, 16 + i]);
  }
  const IV2 = [1779033703, 3144134277, 1013904242, 2773480762];
  for (let i = 0; i < 4; i++) {
    const ivBytes = [];
    for (let j = 0; j < 4; j++) {
      ivBytes.push(IV2[i] & 255);
      ivBytes.push(IV2[i] >>> 8 & 255);
      ivBytes.push(IV2[i] >>> 16 & 255);
      ivBytes.push(IV2[i] >>> 24 & 255);
    }
    put([253, 12, ...ivBytes]);
    put([33, 24 + i]);
  }
  put([65, ...toLebU32Min2(768)]);
  put([253, 0, 2, 0]);
  put([33, 28]);
  put([65, ...toLebU32Min2(784)]);
  put([253, 0, 2, 0]);
  put([33, 29]);
  put([65, ...toLebU32Min2(800)]);
  put([253, 0, 2, 0]);
  put([33, 30]);
  put([65, ...toLebU32Min2(816)]);
  put([253, 0, 2, 0]);
  put([33, 31]);
  let msgIdx = 0;
  function g(a, b, c, d) {
    const mx = MSG_ACCESS_ORDER[msgIdx++];
    const my = MSG_ACCESS_ORDER[msgIdx++];
    put([32, 16 + a]);
    put([32, 16 + b]);
    put([253, 174, 1]);
    put([32, mx]);
    put([253, 174, 1]);
    put([33, 16 + a]);
    put([32, 16 + d]);
    put([32, 16 + a]);
    put([253, 81]);
    put([34, 16 + d]);
    put([32, 16 + d]);
    put([253, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13]);
    put([33, 16 + d]);
    put([32, 16 + c]);
    put([32, 16 + d]);
    put([253, 174, 1]);
    put([33, 16 + c]);
    put([32, 16 + b]);
    put([32, 16 + c]);
    put([253, 81]);
    put([34, 16 + b]);
    put([65, 12]);
    put([253, 173, 1]);
    put([32, 16 + b]);
    put([65, 20]);
    put([253, 171, 1]);
    put([253, 80]);
    put([33, 16 + b]);
    put([32, 16 + a]);
    put([32, 16 + b]);
    put([253, 174, 1]);
    put([32, my]);
    put([253, 174, 1]);
    put([33, 16 + a]);
    put([32, 16 + d]);
    put([32, 16 + a]);
    put([253, 81]);
    put([34, 16 + d]);
    put([32, 16 + d]);
    put([253, 13, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12]);
    put([33, 16 + d]);
    put([32, 16 + c]);
    put([32, 16 + d]);
    put([253, 174, 1]);
    put([33, 16 + c]);
    put([32, 16 + b]);
    put([32, 16 + c]);
    put([253, 81]);
    put([34, 16 + b]);
    put([65, 7]);
    put([253, 173, 1]);
    put([32, 16 + b]);
    put([65, 25]);
    put([253, 171, 1]);
    put([253, 80]);
    put([33, 16 + b]);
  }
  for (let round = 0; round < 7; round++) {
    g(0, 4, 8, 12);
    g(1, 5, 9, 13);
    g(2, 6, 10, 14);
    g(3, 7, 11, 15);
    g(0, 5, 10, 15);
    g(1, 6, 11, 12);
    g(2, 7, 8, 13);
    g(3, 4, 9, 14);
  }
  for (let i = 0; i < 8; i++) {
    put([65, ...toLebU32Min2(640 + i * 16)]);
    put([32, 16 + i]);
    put([32, 24 + i]);
    put([253, 81]);
    put([253, 11, 2, 0]);
  }
  put([11]);
  const funcBodySize = code2.length - funcBodyStart;
  const funcSizeBytes = toLebU32Padded5(funcBodySize);
  for (let i = 0; i < 5; i++) {
    code2[funcSizeOffset + i] = funcSizeBytes[i];
  }
  const func1SizeOffset = code2.length;
  put([0, 0, 0, 0, 0]);
  const func1BodyStart = code2.length;
  const compressChunksBody = generateCompressChunks4xBody();
  put(compressChunksBody);
  const func1BodySize = code2.length - func1BodyStart;
  const func1SizeBytes = toLebU32Padded5(func1BodySize);
  for (let i = 0; i < 5; i++) {
    code2[func1SizeOffset + i] = func1SizeBytes[i];
  }
  const func2SizeOffset = code2.length;
  put([0, 0, 0, 0, 0]);
  const func2BodyStart = code2.length;
  const compressParentBody = generateCompressParentBody();
  put(compressParentBody);
  const func2BodySize = code2.length - func2BodyStart;
  const func2SizeBytes = toLebU32Padded5(func2BodySize);
  for (let i = 0; i < 5; i++) {
    code2[func2SizeOffset + i] = func2SizeBytes[i];
  }
  const sectionSize = code2.length - sectionSizeOffset - 5;
  const sectionSizeBytes = toLebU32Padded5(sectionSize);
  for (let i = 0; i < 5; i++) {
    code2[sectionSizeOffset + i] = sectionSizeBytes[i];
  }
  return new Uint8Array(code2);
}
function generateCompressChunks4xBody() {
  const code2 = [];
  function put(bytes) {
    code2.push(...bytes);
  }
  put([2]);
  put([32, 123]);
  put([1, 127]);
  const BATCH_BLOCK_WORDS = SIMD_MEMORY.BATCH_BLOCK_WORDS;
  const BATCH_CV = SIMD_MEMORY.BATCH_CV;
  const BATCH_COUNTER_LOW = SIMD_MEMORY.BATCH_COUNTER_LOW;
  const BATCH_FLAGS_BASE = SIMD_MEMORY.BATCH_FLAGS_BASE;
  const BATCH_OUTPUT = SIMD_MEMORY.BATCH_OUTPUT;
  const IV2 = [1779033703, 3144134277, 1013904242, 2773480762];
  for (let i = 0; i < 8; i++) {
    put([65, ...toLebU32Min2(BATCH_CV + i * 16)]);
    put([253, 0, 2, 0]);
    put([33, 16 + i]);
  }
  put([65, 0]);
  put([33, 32]);
  put([2, 64]);
  put([3, 64]);
  for (let w = 0; w < 16; w++) {
    put([32, 32]);
    put([65, ...toLebU32Min2(256)]);
    put([108]);
    put([65, ...toLebU32Min2(BATCH_BLOCK_WORDS + w * 16)]);
    put([106]);
    put([253, 0, 2, 0]);
    put([33, w]);
  }
  for (let i = 0; i < 4; i++) {
    const ivBytes = [];
    for (let j = 0; j < 4; j++) {
      ivBytes.push(IV2[i] & 255);
      ivBytes.push(IV2[i] >>> 8 & 255);
      ivBytes.push(IV2[i] >>> 16 & 255);
      ivBytes.push(IV2[i] >>> 24 & 255);
    }
    put([253, 12, ...ivBytes]);
    put([33, 24 + i]);
  }
  put([65, ...toLebU32Min2(BATCH_COUNTER_LOW)]);
  put([253, 0, 2, 0]);
  put([33, 28]);
  put([253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  put([33, 29]);
  const blockLen64 = [];
  for (let j = 0; j < 4; j++) {
    blockLen64.push(64, 0, 0, 0);
  }
  put([253, 12, ...blockLen64]);
  put([33, 30]);
  put([65, ...toLebU32Min2(BATCH_FLAGS_BASE)]);
  put([253, 0, 2, 0]);
  put([32, 32]);
  put([69]);
  put([32, 32]);
  put([65, 15]);
  put([70]);
  put([65, 1]);
  put([116]);
  put([114]);
  put([253, 17]);
  put([253, 80]);
  put([33, 31]);
  let msgIdx = 0;
  function g(a, b, c, d) {
    const mx = MSG_ACCESS_ORDER[msgIdx++];
    const my = MSG_ACCESS_ORDER[msgIdx++];
    put([32, 16 + a]);
    put([32, 16 + b]);
    put([253, 174, 1]);
    put([32, mx]);
    put([253, 174, 1]);
    put([33, 16 + a]);
    put([32, 16 + d]);
    put([32, 16 + a]);
    put([253, 81]);
    put([34, 16 + d]);
    put([32, 16 + d]);
    put([253, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13]);
    put([33, 16 + d]);
    put([32, 16 + c]);
    put([32, 16 + d]);
    put([253, 174, 1]);
    put([33, 16 + c]);
    put([32, 16 + b]);
    put([32, 16 + c]);
    put([253, 81]);
    put([34, 16 + b]);
    put([65, 12]);
    put([253, 173, 1]);
    put([32, 16 + b]);
    put([65, 20]);
    put([253, 171, 1]);
    put([253, 80]);
    put([33, 16 + b]);
    put([32, 16 + a]);
    put([32, 16 + b]);
    put([253, 174, 1]);
    put([32, my]);
    put([253, 174, 1]);
    put([33, 16 + a]);
    put([32, 16 + d]);
    put([32, 16 + a]);
    put([253, 81]);
    put([34, 16 + d]);
    put([32, 16 + d]);
    put([253, 13, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12]);
    put([33, 16 + d]);
    put([32, 16 + c]);
    put([32, 16 + d]);
    put([253, 174, 1]);
    put([33, 16 + c]);
    put([32, 16 + b]);
    put([32, 16 + c]);
    put([253, 81]);
    put([34, 16 + b]);
    put([65, 7]);
    put([253, 173, 1]);
    put([32, 16 + b]);
    put([65, 25]);
    put([253, 171, 1]);
    put([253, 80]);
    put([33, 16 + b]);
  }
  for (let round = 0; round < 7; round++) {
    g(0, 4, 8, 12);
    g(1, 5, 9, 13);
    g(2, 6, 10, 14);
    g(3, 7, 11, 15);
    g(0, 5, 10, 15);
    g(1, 6, 11, 12);
    g(2, 7, 8, 13);
    g(3, 4, 9, 14);
  }
  for (let i = 0; i < 8; i++) {
    put([32, 16 + i]);
    put([32, 24 + i]);
    put([253, 81]);
    put([33, 16 + i]);
  }
  put([32, 32]);
  put([65, 1]);
  put([106]);
  put([34, 32]);
  put([65, 16]);
  put([73]);
  put([13, 0]);
  put([11]);
  put([11]);
  for (let i = 0; i < 8; i++) {
    put([65, ...toLebU32Min2(BATCH_OUTPUT + i * 16)]);
    put([32, 16 + i]);
    put([253, 11, 2, 0]);
  }
  put([11]);
  return code2;
}
function generateCompressParentBody() {
  const code2 = [];
  function put(bytes) {
    code2.push(...bytes);
  }
  put([1]);
  put([32, 127]);
  const PARENT_BLOCK_OFFSET = SIMD_MEMORY.PARENT_BLOCK;
  const CHUNK_CV_OFFSET = SIMD_MEMORY.CHUNK_CV;
  const IV2 = [
    1779033703,
    3144134277,
    1013904242,
    2773480762,
    1359893119,
    2600822924,
    528734635,
    1541459225
  ];
  for (let i = 0; i < 16; i++) {
    put([65, ...toLebU32Min2(PARENT_BLOCK_OFFSET + i * 4)]);
    put([40, 2, 0]);
    put([33, i]);
  }
  for (let i = 0; i < 8; i++) {
    put([65, ...toSignedLeb128_i32(IV2[i])]);
    put([33, 16 + i]);
  }
  for (let i = 0; i < 4; i++) {
    put([65, ...toSignedLeb128_i32(IV2[i])]);
    put([33, 24 + i]);
  }
  put([65, 0]);
  put([33, 28]);
  put([65, 0]);
  put([33, 29]);
  put([65, 192, 0]);
  put([33, 30]);
  put([65, 4]);
  put([33, 31]);
  function g(a, b, c, d, mx, my) {
    const sa = 16 + a, sb = 16 + b, sc = 16 + c, sd = 16 + d;
    put([32, sa]);
    put([32, sb]);
    put([106]);
    put([32, mx]);
    put([106]);
    put([33, sa]);
    put([32, sd]);
    put([32, sa]);
    put([115]);
    put([65, 16]);
    put([120]);
    put([33, sd]);
    put([32, sc]);
    put([32, sd]);
    put([106]);
    put([33, sc]);
    put([32, sb]);
    put([32, sc]);
    put([115]);
    put([65, 12]);
    put([120]);
    put([33, sb]);
    put([32, sa]);
    put([32, sb]);
    put([106]);
    put([32, my]);
    put([106]);
    put([33, sa]);
    put([32, sd]);
    put([32, sa]);
    put([115]);
    put([65, 8]);
    put([120]);
    put([33, sd]);
    put([32, sc]);
    put([32, sd]);
    put([106]);
    put([33, sc]);
    put([32, sb]);
    put([32, sc]);
    put([115]);
    put([65, 7]);
    put([120]);
    put([33, sb]);
  }
  let msgIdx = 0;
  for (let round = 0; round < 7; round++) {
    g(0, 4, 8, 12, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
    g(1, 5, 9, 13, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
    g(2, 6, 10, 14, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
    g(3, 7, 11, 15, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
    g(0, 5, 10, 15, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
    g(1, 6, 11, 12, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
    g(2, 7, 8, 13, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
    g(3, 4, 9, 14, MSG_ACCESS_ORDER[msgIdx], MSG_ACCESS_ORDER[msgIdx + 1]);
    msgIdx += 2;
  }
  for (let i = 0; i < 8; i++) {
    put([65, ...toLebU32Min2(CHUNK_CV_OFFSET + i * 4)]);
    put([32, 16 + i]);
    put([32, 24 + i]);
    put([115]);
    put([54, 2, 0]);
  }
  put([11]);
  return code2;
}
function isSimdSupported() {
  try {
    const simdTest = new Uint8Array([
      0,
      97,
      115,
      109,
      // magic: \0asm
      1,
      0,
      0,
      0,
      // version: 1
      // Type section (id=1): () -> v128
      1,
      // section id = 1 (type)
      5,
      // section length = 5
      1,
      // 1 type
      96,
      0,
      1,
      123,
      // func () -> v128
      // Function section (id=3)
      3,
      // section id = 3 (function)
      2,
      // section length = 2
      1,
      // 1 function
      0,
      // type index 0
      // Code section (id=10) with v128.const
      10,
      // section id = 10 (code)
      22,
      // section length = 22
      1,
      // 1 function body
      20,
      // body length = 20
      0,
      // 0 locals
      253,
      12,
      // v128.const opcode
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      11
      // end
    ]);
    return WebAssembly.validate(simdTest);
  } catch {
    return false;
  }
}
function setupArenaViews() {
  if (!wasmMemory)
    return;
  const buffer = wasmMemory.buffer;
  arenaCvStack = new Uint32Array(buffer, SIMD_MEMORY.CV_STACK, 64 * 8);
  arenaParentBlock = new Uint32Array(buffer, SIMD_MEMORY.PARENT_BLOCK, 16);
  arenaChunkCv = new Uint32Array(buffer, SIMD_MEMORY.CHUNK_CV, 8);
  arenaTempCvs = new Uint32Array(buffer, SIMD_MEMORY.TEMP_CVS, 32);
  arenaBatchBlockWords = new Uint32Array(buffer, SIMD_MEMORY.BATCH_BLOCK_WORDS, 16 * 16 * 4);
  arenaBatchCv = new Uint32Array(buffer, SIMD_MEMORY.BATCH_CV, 32);
  arenaBatchCounterLow = new Uint32Array(buffer, SIMD_MEMORY.BATCH_COUNTER_LOW, 4);
  arenaBatchFlagsBase = new Uint32Array(buffer, SIMD_MEMORY.BATCH_FLAGS_BASE, 4);
  arenaBatchOutput = new Uint32Array(buffer, SIMD_MEMORY.BATCH_OUTPUT, 32);
}
function initSimdSync() {
  if (wasmInstance)
    return true;
  if (!isSimdSupported()) {
    return false;
  }
  try {
    const wasmBytes = cachedWasmBytes || generateWasmBytes();
    cachedWasmBytes = wasmBytes;
    wasmMemory = new WebAssembly.Memory({ initial: 1 });
    const importObject = {
      js: { mem: wasmMemory }
    };
    const module = new WebAssembly.Module(wasmBytes.buffer);
    wasmInstance = new WebAssembly.Instance(module, importObject);
    wasmCompress4x = wasmInstance.exports.compress4x;
    wasmCompressChunks4x = wasmInstance.exports.compressChunks4x;
    wasmCompressParent = wasmInstance.exports.compressParent;
    wasmMemoryView = new Uint8Array(wasmMemory.buffer);
    wasmMemoryView32 = new Uint32Array(wasmMemory.buffer);
    setupArenaViews();
    return true;
  } catch (e) {
    console.warn("Failed to initialize WASM SIMD:", e);
    return false;
  }
}
var MSG_ACCESS_ORDER, wasmInstance, wasmMemory, wasmCompress4x, wasmCompressChunks4x, wasmCompressParent, wasmMemoryView, wasmMemoryView32, cachedWasmBytes, SIMD_MEMORY, arenaCvStack, arenaParentBlock, arenaChunkCv, arenaTempCvs, arenaBatchBlockWords, arenaBatchCv, arenaBatchCounterLow, arenaBatchFlagsBase, arenaBatchOutput;
var init_wasm_simd = __esm({
  "node_modules/@huggingface/blake3-jit/dist/esm/wasm-simd.js"() {
    MSG_ACCESS_ORDER = [
      // Round 1: 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      // Round 2: 2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8
      2,
      6,
      3,
      10,
      7,
      0,
      4,
      13,
      1,
      11,
      12,
      5,
      9,
      14,
      15,
      8,
      // Round 3: 3,4,10,12,13,2,7,14,6,5,9,0,11,15,8,1
      3,
      4,
      10,
      12,
      13,
      2,
      7,
      14,
      6,
      5,
      9,
      0,
      11,
      15,
      8,
      1,
      // Round 4: 10,7,12,9,14,3,13,15,4,0,11,2,5,8,1,6
      10,
      7,
      12,
      9,
      14,
      3,
      13,
      15,
      4,
      0,
      11,
      2,
      5,
      8,
      1,
      6,
      // Round 5: 12,13,9,11,15,10,14,8,7,2,5,3,0,1,6,4
      12,
      13,
      9,
      11,
      15,
      10,
      14,
      8,
      7,
      2,
      5,
      3,
      0,
      1,
      6,
      4,
      // Round 6: 9,14,11,5,8,12,15,1,13,3,0,10,2,6,4,7
      9,
      14,
      11,
      5,
      8,
      12,
      15,
      1,
      13,
      3,
      0,
      10,
      2,
      6,
      4,
      7,
      // Round 7: 11,15,5,0,1,9,8,6,14,10,2,12,3,4,7,13
      11,
      15,
      5,
      0,
      1,
      9,
      8,
      6,
      14,
      10,
      2,
      12,
      3,
      4,
      7,
      13
    ];
    wasmInstance = null;
    wasmMemory = null;
    wasmCompress4x = null;
    wasmCompressChunks4x = null;
    wasmCompressParent = null;
    wasmMemoryView = null;
    wasmMemoryView32 = null;
    cachedWasmBytes = null;
    SIMD_MEMORY = {
      // SIMD compress4x working area (used by WASM code) - single block
      BLOCK_WORDS: 0,
      // 4 x 16 words = 512 bytes (transposed layout)
      CHAINING_VALUES: 512,
      // 4 x 8 words = 128 bytes
      OUTPUT: 640,
      // 4 x 8 words = 128 bytes
      COUNTER_LOW: 768,
      // 4 words = 16 bytes
      COUNTER_HIGH: 784,
      // 4 words = 16 bytes
      BLOCK_LEN: 800,
      // 4 words = 16 bytes
      FLAGS: 816,
      // 4 words = 16 bytes
      // End of single-block SIMD working area: 832 bytes
      // SIMD compressChunks4x working area - 16 blocks batched
      // Each block position has 16 v128 values (one per message word) = 256 bytes
      // 16 block positions = 16 × 256 = 4096 bytes
      BATCH_BLOCK_WORDS: 832,
      // 16 positions × 256 bytes = 4096 bytes (transposed), ends at 4928
      BATCH_CV: 4928,
      // 4 × 8 words × 4 bytes = 128 bytes (working CVs), ends at 5056
      BATCH_COUNTER_LOW: 5056,
      // 4 words × 4 bytes = 16 bytes (per-chunk counters), ends at 5072
      BATCH_FLAGS_BASE: 5072,
      // 4 words × 4 bytes = 16 bytes (base flags, no START/END), ends at 5088
      BATCH_OUTPUT: 5088,
      // 4 × 8 words × 4 bytes = 128 bytes (final output), ends at 5216
      // End of batch working area: 5216 bytes
      // WASM Arena: JS working buffers (accessed via TypedArray views)
      CV_STACK: 5216,
      // 64 levels × 8 words × 4 bytes = 2048 bytes, ends at 7264
      PARENT_BLOCK: 7264,
      // 16 words × 4 bytes = 64 bytes, ends at 7328
      CHUNK_CV: 7328,
      // 8 words × 4 bytes = 32 bytes, ends at 7360
      TEMP_CVS: 7360
      // 4 × 8 words × 4 bytes = 128 bytes, ends at 7488
      // Total arena usage: ~7488 bytes (fits comfortably in 64KB page)
    };
    arenaCvStack = null;
    arenaParentBlock = null;
    arenaChunkCv = null;
    arenaTempCvs = null;
    arenaBatchBlockWords = null;
    arenaBatchCv = null;
    arenaBatchCounterLow = null;
    arenaBatchFlagsBase = null;
    arenaBatchOutput = null;
  }
});

// node_modules/@huggingface/blake3-jit/dist/esm/hash.js
function ensureSimdSync() {
  if (simdAvailable)
    return true;
  simdAvailable = initSimdSync();
  return simdAvailable;
}
function warmupSimd() {
  return ensureSimdSync();
}
var CV_STACK_DEPTH, HYPER_CV_STACK, CV_POOL_SIZE, CV_POOL, CV_VIEWS, simdAvailable, SIMD_THRESHOLD, simdChunkCvs, reusableTempCv, reusableChunkCv, reusablePureParentBlock, reusablePureParentCv, reusableSimdCvs, reusableSimdParentBlock, reusableSimdParentCv, reusableOffsets, reusableCounters, reusableBlockLens, reusableFlags, reusableOut8, reusableOut8View, SIMD_CV_BASE, SIMD_OUT_BASE, SIMD_COUNTER_LOW_BASE, SIMD_COUNTER_HIGH_BASE, SIMD_BLOCK_LEN_BASE, BATCH_CV_BASE, BATCH_COUNTER_LOW_BASE, BATCH_FLAGS_BASE_OFFSET, BATCH_OUTPUT_BASE, batchChunkOffsets, SIMD_FLAGS_BASE;
var init_hash = __esm({
  "node_modules/@huggingface/blake3-jit/dist/esm/hash.js"() {
    init_compress();
    init_constants();
    init_utils();
    init_wasm_simd();
    CV_STACK_DEPTH = 64;
    HYPER_CV_STACK = new Uint32Array(CV_STACK_DEPTH * 8);
    CV_POOL_SIZE = 64;
    CV_POOL = new Uint32Array(CV_POOL_SIZE * 8);
    CV_VIEWS = [];
    for (let i = 0; i < CV_POOL_SIZE; i++) {
      CV_VIEWS.push(CV_POOL.subarray(i * 8, i * 8 + 8));
    }
    simdAvailable = false;
    SIMD_THRESHOLD = 4 * CHUNK_LEN;
    simdChunkCvs = new Uint32Array(32);
    reusableTempCv = new Uint32Array(8);
    reusableChunkCv = new Uint32Array(8);
    reusablePureParentBlock = new Uint32Array(16);
    reusablePureParentCv = new Uint32Array(8);
    reusableSimdCvs = new Uint32Array(32);
    reusableSimdParentBlock = new Uint32Array(16);
    reusableSimdParentCv = new Uint32Array(8);
    reusableOffsets = new Uint32Array(4);
    reusableCounters = new Uint32Array(4);
    reusableBlockLens = new Uint32Array(4);
    reusableFlags = new Uint32Array(4);
    reusableOut8 = new Uint32Array(8);
    reusableOut8View = new Uint8Array(reusableOut8.buffer, 0, 32);
    SIMD_CV_BASE = SIMD_MEMORY.CHAINING_VALUES / 4;
    SIMD_OUT_BASE = SIMD_MEMORY.OUTPUT / 4;
    SIMD_COUNTER_LOW_BASE = SIMD_MEMORY.COUNTER_LOW / 4;
    SIMD_COUNTER_HIGH_BASE = SIMD_MEMORY.COUNTER_HIGH / 4;
    SIMD_BLOCK_LEN_BASE = SIMD_MEMORY.BLOCK_LEN / 4;
    BATCH_CV_BASE = SIMD_MEMORY.BATCH_CV / 4;
    BATCH_COUNTER_LOW_BASE = SIMD_MEMORY.BATCH_COUNTER_LOW / 4;
    BATCH_FLAGS_BASE_OFFSET = SIMD_MEMORY.BATCH_FLAGS_BASE / 4;
    BATCH_OUTPUT_BASE = SIMD_MEMORY.BATCH_OUTPUT / 4;
    batchChunkOffsets = new Uint32Array(4);
    SIMD_FLAGS_BASE = SIMD_MEMORY.FLAGS / 4;
  }
});

// node_modules/@huggingface/blake3-jit/dist/esm/index.js
var init_esm2 = __esm({
  "node_modules/@huggingface/blake3-jit/dist/esm/index.js"() {
    init_hasher();
    init_hash();
    init_hasher();
    init_hash();
    if (typeof globalThis !== "undefined" && typeof globalThis.document !== "undefined") {
      queueMicrotask(() => {
        warmupSimd();
      });
    }
  }
});

// node_modules/@huggingface/xetchunk-wasm/dist/esm/xet-chunker.js
var TARGET_CHUNK_SIZE, BLAKE3_DATA_KEY;
var init_xet_chunker = __esm({
  "node_modules/@huggingface/xetchunk-wasm/dist/esm/xet-chunker.js"() {
    init_esm();
    init_esm2();
    TARGET_CHUNK_SIZE = 64 * 1024;
    BLAKE3_DATA_KEY = new Uint8Array([
      102,
      151,
      245,
      119,
      91,
      149,
      80,
      222,
      49,
      53,
      203,
      172,
      165,
      151,
      24,
      28,
      157,
      228,
      33,
      16,
      155,
      235,
      43,
      88,
      180,
      208,
      176,
      75,
      147,
      173,
      242,
      41
    ]);
  }
});

// node_modules/@huggingface/xetchunk-wasm/dist/esm/xorb-hash.js
var BLAKE3_NODE_KEY, INDEX_OF_LAST_BYTE_OF_LAST_U64_IN_CHUNK_HASH, nodeHasher;
var init_xorb_hash = __esm({
  "node_modules/@huggingface/xetchunk-wasm/dist/esm/xorb-hash.js"() {
    init_esm2();
    init_xet_chunker();
    BLAKE3_NODE_KEY = new Uint8Array([
      1,
      126,
      197,
      199,
      165,
      71,
      41,
      150,
      253,
      148,
      102,
      102,
      180,
      138,
      2,
      230,
      93,
      221,
      83,
      111,
      55,
      199,
      109,
      210,
      248,
      99,
      82,
      230,
      74,
      83,
      113,
      63
    ]);
    INDEX_OF_LAST_BYTE_OF_LAST_U64_IN_CHUNK_HASH = 3 * 8;
    nodeHasher = Hasher.newKeyed(BLAKE3_NODE_KEY);
  }
});

// node_modules/@huggingface/xetchunk-wasm/dist/esm/hash-utils.js
var ZERO_KEY, VERIFICATION_KEY, fileHasher, verificationHasher;
var init_hash_utils = __esm({
  "node_modules/@huggingface/xetchunk-wasm/dist/esm/hash-utils.js"() {
    init_esm2();
    init_xorb_hash();
    ZERO_KEY = new Uint8Array(32);
    VERIFICATION_KEY = new Uint8Array([
      127,
      24,
      87,
      214,
      206,
      86,
      237,
      102,
      18,
      127,
      249,
      19,
      231,
      165,
      195,
      243,
      164,
      205,
      38,
      213,
      181,
      219,
      73,
      230,
      65,
      36,
      152,
      127,
      40,
      251,
      148,
      195
    ]);
    fileHasher = Hasher.newKeyed(ZERO_KEY);
    verificationHasher = Hasher.newKeyed(VERIFICATION_KEY);
  }
});

// node_modules/@huggingface/xetchunk-wasm/dist/esm/merkle-hash-subtree.js
var init_merkle_hash_subtree = __esm({
  "node_modules/@huggingface/xetchunk-wasm/dist/esm/merkle-hash-subtree.js"() {
    init_xet_chunker();
    init_xorb_hash();
  }
});

// node_modules/@huggingface/xetchunk-wasm/dist/esm/index.js
var init_esm3 = __esm({
  "node_modules/@huggingface/xetchunk-wasm/dist/esm/index.js"() {
    init_xet_chunker();
    init_xorb_hash();
    init_hash_utils();
    init_merkle_hash_subtree();
  }
});

// node_modules/@huggingface/hub/dist/chunk-AXSL4LYE.mjs
async function createApiError(response, opts) {
  const error = new HubApiError(response.url, response.status, response.headers.get("X-Request-Id") ?? opts?.requestId);
  error.message = `Api error with status ${error.statusCode}${opts?.message ? `. ${opts.message}` : ""}`;
  const trailer = [`URL: ${error.url}`, error.requestId ? `Request ID: ${error.requestId}` : void 0].filter(Boolean).join(". ");
  if (response.headers.get("Content-Type")?.startsWith("application/json")) {
    const json = await response.json();
    error.message = json.error || json.message || error.message;
    if (json.error_description) {
      error.message = error.message ? error.message + `: ${json.error_description}` : json.error_description;
    }
    error.data = json;
  } else {
    error.data = { message: await response.text() };
  }
  error.message += `. ${trailer}`;
  throw error;
}
function checkAccessToken(accessToken) {
  if (!accessToken.startsWith("hf_")) {
    throw new TypeError("Your access token must start with 'hf_'");
  }
}
function checkCredentials(params) {
  if (params.accessToken) {
    checkAccessToken(params.accessToken);
    return params.accessToken;
  }
  if (params.credentials?.accessToken) {
    checkAccessToken(params.credentials.accessToken);
    return params.credentials.accessToken;
  }
}
function toRepoId(repo) {
  if (typeof repo !== "string") {
    return repo;
  }
  if (repo.startsWith("model/") || repo.startsWith("models/")) {
    throw new TypeError(
      "A repo designation for a model should not start with 'models/', directly specify the model namespace / name"
    );
  }
  if (repo.startsWith("space/")) {
    throw new TypeError("Spaces should start with 'spaces/', plural, not 'space/'");
  }
  if (repo.startsWith("dataset/")) {
    throw new TypeError("Datasets should start with 'datasets/', plural, not 'dataset/'");
  }
  if (repo.startsWith("bucket/")) {
    throw new TypeError("Buckets should start with 'buckets/', plural, not 'bucket/'");
  }
  if (repo.startsWith("kernel/")) {
    throw new TypeError("Kernels should start with 'kernels/', plural, not 'kernel/'");
  }
  const slashes = repo.split("/").length - 1;
  if (repo.startsWith("spaces/")) {
    if (slashes !== 2) {
      throw new TypeError("Space Id must include namespace and name of the space");
    }
    return {
      type: "space",
      name: repo.slice("spaces/".length)
    };
  }
  if (repo.startsWith("datasets/")) {
    if (slashes > 2) {
      throw new TypeError("Too many slashes in repo designation: " + repo);
    }
    return {
      type: "dataset",
      name: repo.slice("datasets/".length)
    };
  }
  if (repo.startsWith("buckets/")) {
    if (slashes !== 2) {
      throw new TypeError("Bucket Id must include namespace and name of the bucket");
    }
    return {
      type: "bucket",
      name: repo.slice("buckets/".length)
    };
  }
  if (repo.startsWith("kernels/")) {
    if (slashes !== 2) {
      throw new TypeError("Kernel Id must include namespace and name of the kernel");
    }
    return {
      type: "kernel",
      name: repo.slice("kernels/".length)
    };
  }
  if (slashes > 1) {
    throw new TypeError("Too many slashes in repo designation: " + repo);
  }
  return {
    type: "model",
    name: repo
  };
}
function combineUint8Arrays(...arrays) {
  const totalLength = arrays.reduce((sum2, array) => sum2 + array.length, 0);
  const combinedBytes = new Uint8Array(totalLength);
  let offset = 0;
  for (const array of arrays) {
    combinedBytes.set(array, offset);
    offset += array.length;
  }
  return combinedBytes;
}
function readU64(b, n) {
  let x = 0;
  x |= b[n++] << 0;
  x |= b[n++] << 8;
  x |= b[n++] << 16;
  x |= b[n++] << 24;
  x |= b[n++] << 32;
  x |= b[n++] << 40;
  x |= b[n++] << 48;
  x |= b[n++] << 56;
  return x;
}
function readU32(b, n) {
  let x = 0;
  x |= b[n++] << 0;
  x |= b[n++] << 8;
  x |= b[n++] << 16;
  x |= b[n++] << 24;
  return x;
}
function makeHashTable() {
  try {
    return new Uint32Array(hashSize);
  } catch (error) {
    const hashTable2 = new Array(hashSize);
    for (let i = 0; i < hashSize; i++) {
      hashTable2[i] = 0;
    }
    return hashTable2;
  }
}
function makeBuffer(size) {
  return new Uint8Array(size);
}
function sliceArray(array, start, end) {
  return array.slice(start, end);
}
function decompressBound(src) {
  let sIndex = 0;
  if (readU32(src, sIndex) !== magicNum) {
    throw new Error("invalid magic number");
  }
  sIndex += 4;
  const descriptor = src[sIndex++];
  if ((descriptor & fdVersionMask) !== fdVersion) {
    throw new Error("incompatible descriptor version " + (descriptor & fdVersionMask));
  }
  const useBlockSum = (descriptor & fdBlockChksum) !== 0;
  const useContentSize = (descriptor & fdContentSize) !== 0;
  const bsIdx = src[sIndex++] >> bsShift & bsMask;
  if (bsMap[bsIdx] === void 0) {
    throw new Error("invalid block size " + bsIdx);
  }
  const maxBlockSize = bsMap[bsIdx];
  if (useContentSize) {
    return readU64(src, sIndex);
  }
  sIndex++;
  let maxSize = 0;
  while (true) {
    let blockSize = readU32(src, sIndex);
    sIndex += 4;
    if (blockSize & bsUncompressed) {
      blockSize &= ~bsUncompressed;
      maxSize += blockSize;
    } else if (blockSize > 0) {
      maxSize += maxBlockSize;
    }
    if (blockSize === 0) {
      return maxSize;
    }
    if (useBlockSum) {
      sIndex += 4;
    }
    sIndex += blockSize;
  }
}
function decompressBlock(src, dst, sIndex, sLength, dIndex) {
  let mLength, mOffset, sEnd, n, i;
  const hasCopyWithin = dst.copyWithin !== void 0 && dst.fill !== void 0;
  sEnd = sIndex + sLength;
  while (sIndex < sEnd) {
    const token = src[sIndex++];
    let literalCount = token >> 4;
    if (literalCount > 0) {
      if (literalCount === 15) {
        while (true) {
          literalCount += src[sIndex];
          if (src[sIndex++] !== 255) {
            break;
          }
        }
      }
      for (n = sIndex + literalCount; sIndex < n; ) {
        dst[dIndex++] = src[sIndex++];
      }
    }
    if (sIndex >= sEnd) {
      break;
    }
    mLength = token & 15;
    mOffset = src[sIndex++] | src[sIndex++] << 8;
    if (mLength === 15) {
      while (true) {
        mLength += src[sIndex];
        if (src[sIndex++] !== 255) {
          break;
        }
      }
    }
    mLength += minMatch;
    if (hasCopyWithin && mOffset === 1) {
      dst.fill(dst[dIndex - 1] | 0, dIndex, dIndex + mLength);
      dIndex += mLength;
    } else if (hasCopyWithin && mOffset > mLength && mLength > 31) {
      dst.copyWithin(dIndex, dIndex - mOffset, dIndex - mOffset + mLength);
      dIndex += mLength;
    } else {
      for (i = dIndex - mOffset, n = i + mLength; i < n; ) {
        dst[dIndex++] = dst[i++] | 0;
      }
    }
  }
  return dIndex;
}
function decompressFrame(src, dst) {
  let useBlockSum, useContentSum, useContentSize, descriptor;
  let sIndex = 0;
  let dIndex = 0;
  if (readU32(src, sIndex) !== magicNum) {
    throw new Error("invalid magic number");
  }
  sIndex += 4;
  descriptor = src[sIndex++];
  if ((descriptor & fdVersionMask) !== fdVersion) {
    throw new Error("incompatible descriptor version");
  }
  useBlockSum = (descriptor & fdBlockChksum) !== 0;
  useContentSum = (descriptor & fdContentChksum) !== 0;
  useContentSize = (descriptor & fdContentSize) !== 0;
  const bsIdx = src[sIndex++] >> bsShift & bsMask;
  if (bsMap[bsIdx] === void 0) {
    throw new Error("invalid block size");
  }
  if (useContentSize) {
    sIndex += 8;
  }
  sIndex++;
  while (true) {
    var compSize;
    compSize = readU32(src, sIndex);
    sIndex += 4;
    if (compSize === 0) {
      break;
    }
    if (useBlockSum) {
      sIndex += 4;
    }
    if ((compSize & bsUncompressed) !== 0) {
      compSize &= ~bsUncompressed;
      for (let j = 0; j < compSize; j++) {
        dst[dIndex++] = src[sIndex++];
      }
    } else {
      dIndex = decompressBlock(src, dst, sIndex, compSize, dIndex);
      sIndex += compSize;
    }
  }
  if (useContentSum) {
    sIndex += 4;
  }
  return dIndex;
}
function decompress(src, maxSize) {
  let dst, size;
  if (maxSize === void 0) {
    maxSize = decompressBound(src);
  }
  dst = makeBuffer(maxSize);
  size = decompressFrame(src, dst);
  if (size !== maxSize) {
    dst = sliceArray(dst, 0, size);
  }
  return dst;
}
function indexOfSubsequence(haystack, needle, from = 0) {
  const needleLength = needle.length;
  if (needleLength === 0) {
    return from <= haystack.length ? from : -1;
  }
  const last = needleLength - 1;
  const maxStart = haystack.length - needleLength;
  const skip = new Uint16Array(256).fill(needleLength);
  for (let i2 = 0; i2 < last; i2++) {
    skip[needle[i2]] = last - i2;
  }
  let i = from;
  while (i <= maxStart) {
    let j = last;
    while (j >= 0 && haystack[i + j] === needle[j]) {
      j--;
    }
    if (j < 0) {
      return i;
    }
    i += skip[haystack[i + last]];
  }
  return -1;
}
function extractBoundary(contentType) {
  for (const part of contentType.split(";")) {
    const trimmed = part.trim();
    if (trimmed.toLowerCase().startsWith("boundary=")) {
      return trimmed.slice("boundary=".length).replace(/^"|"$/g, "");
    }
  }
  return null;
}
function sum(arr) {
  return arr.reduce((a, b) => a + b, 0);
}
function concatUint8Arrays(arrays) {
  const result = new Uint8Array(sum(arrays.map((array) => array.byteLength)));
  let offset = 0;
  for (const array of arrays) {
    result.set(array, offset);
    offset += array.byteLength;
  }
  return result;
}
function hasH2Fetch(versions = typeof process !== "undefined" ? process.versions : void 0, frontend = isFrontend) {
  if (frontend || !versions?.undici || versions.bun) {
    return false;
  }
  return Number(versions.undici.split(".")[0]) >= 8;
}
function withHttp1(base2) {
  return {
    dispatch: (options, handler) => base2.dispatch({ ...options, allowH2: false }, handler)
  };
}
async function getHttp1Dispatcher() {
  const globals = globalThis;
  const find = () => GLOBAL_DISPATCHER_KEYS.map((key) => globals[key]).find((d) => typeof d?.dispatch === "function");
  let base2 = find();
  if (base2 === void 0) {
    await (await fetch("data:,")).arrayBuffer();
    base2 = find();
  }
  if (base2 === void 0) {
    return void 0;
  }
  if (cached?.base !== base2) {
    cached = { base: base2, http1: withHttp1(base2) };
  }
  return cached.http1;
}
function delay(ms) {
  return new Promise((resolve32) => setTimeout(resolve32, ms));
}
function parseChunkHeader(view) {
  const chunkHeader = {
    version: view.getUint8(0),
    compressed_length: view.getUint8(1) | view.getUint8(2) << 8 | view.getUint8(3) << 16,
    compression_scheme: view.getUint8(4),
    uncompressed_length: view.getUint8(5) | view.getUint8(6) << 8 | view.getUint8(7) << 16
  };
  if (chunkHeader.version !== 0) {
    throw new Error(`Unsupported chunk version ${chunkHeader.version}`);
  }
  if (chunkHeader.compression_scheme !== 0 && chunkHeader.compression_scheme !== 1 && chunkHeader.compression_scheme !== 2) {
    throw new Error(
      `Unsupported compression scheme ${compressionSchemeLabels[chunkHeader.compression_scheme] ?? chunkHeader.compression_scheme}`
    );
  }
  return chunkHeader;
}
function decompressChunk(chunkHeader, compressed) {
  switch (chunkHeader.compression_scheme) {
    case 1:
      return decompress(compressed, chunkHeader.uncompressed_length);
    case 2:
      return bg4_regroup_bytes(decompress(compressed, chunkHeader.uncompressed_length));
    default:
      return compressed.slice();
  }
}
function decodePartChunks(data, descriptor, rangeList) {
  const ranges = rangeList.getRanges(descriptor.chunks.start, descriptor.chunks.end);
  const staged = /* @__PURE__ */ new Map();
  let chunkIndex = descriptor.chunks.start;
  let offset = 0;
  while (offset < data.byteLength) {
    if (chunkIndex >= descriptor.chunks.end) {
      throw new Error(
        `Multipart part for chunks ${descriptor.chunks.start}-${descriptor.chunks.end} contains more chunks than expected`
      );
    }
    if (data.byteLength - offset < XET_CHUNK_HEADER_BYTES) {
      throw new Error("Truncated chunk header in multipart part");
    }
    const chunkHeader = parseChunkHeader(new DataView(data.buffer, data.byteOffset + offset, XET_CHUNK_HEADER_BYTES));
    const compressedStart = offset + XET_CHUNK_HEADER_BYTES;
    const compressedEnd = compressedStart + chunkHeader.compressed_length;
    if (compressedEnd > data.byteLength) {
      throw new Error("Truncated chunk data in multipart part");
    }
    const uncompressed = decompressChunk(chunkHeader, data.subarray(compressedStart, compressedEnd));
    const range2 = ranges.find((range3) => chunkIndex >= range3.start && chunkIndex < range3.end);
    if (range2) {
      let chunks = staged.get(range2);
      if (!chunks) {
        chunks = [];
        staged.set(range2, chunks);
      }
      chunks.push(uncompressed);
    }
    chunkIndex++;
    offset = compressedEnd;
  }
  if (chunkIndex !== descriptor.chunks.end) {
    throw new Error(
      `Multipart part decoded chunks ${descriptor.chunks.start}-${chunkIndex} but expected ${descriptor.chunks.start}-${descriptor.chunks.end}`
    );
  }
  return staged;
}
function commitChunks(staged) {
  let committed = 0;
  for (const [range2, chunks] of staged) {
    if (range2.data) {
      continue;
    }
    range2.data = chunks;
    committed += sum(chunks.map((chunk2) => chunk2.byteLength));
  }
  return committed;
}
function cacheKey(params) {
  return JSON.stringify([params.refreshUrl, params.initialAccessToken]);
}
function bg4_regroup_bytes(bytes) {
  const split = Math.floor(bytes.byteLength / 4);
  const rem = bytes.byteLength % 4;
  const g1_pos = split + (rem >= 1 ? 1 : 0);
  const g2_pos = g1_pos + split + (rem >= 2 ? 1 : 0);
  const g3_pos = g2_pos + split + (rem == 3 ? 1 : 0);
  const ret = new Uint8Array(bytes.byteLength);
  for (let i = 0, j = 0; i < bytes.byteLength; i += 4, j++) {
    ret[i] = bytes[j];
  }
  for (let i = 1, j = g1_pos; i < bytes.byteLength; i += 4, j++) {
    ret[i] = bytes[j];
  }
  for (let i = 2, j = g2_pos; i < bytes.byteLength; i += 4, j++) {
    ret[i] = bytes[j];
  }
  for (let i = 3, j = g3_pos; i < bytes.byteLength; i += 4, j++) {
    ret[i] = bytes[j];
  }
  return ret;
}
async function getAccessToken(initialAccessToken, customFetch, refreshUrl) {
  const key = cacheKey({ refreshUrl, initialAccessToken });
  const jwt = jwts.get(key);
  if (jwt && jwt.expiresAt > new Date(Date.now() + JWT_SAFETY_PERIOD)) {
    return { accessToken: jwt.accessToken, casUrl: jwt.casUrl };
  }
  const existingPromise = jwtPromises.get(key);
  if (existingPromise) {
    return existingPromise;
  }
  const promise = (async () => {
    const resp = await customFetch(refreshUrl, {
      headers: {
        ...initialAccessToken ? {
          Authorization: `Bearer ${initialAccessToken}`
        } : {}
      }
    });
    if (!resp.ok) {
      throw new Error(`Failed to get JWT token: ${resp.status} ${await resp.text()}`);
    }
    const json = await resp.json();
    const jwt2 = {
      accessToken: json.accessToken,
      expiresAt: new Date(json.exp * 1e3),
      casUrl: json.casUrl
    };
    for (const [key2, value] of jwts.entries()) {
      if (value.expiresAt < new Date(Date.now() + JWT_SAFETY_PERIOD)) {
        jwts.delete(key2);
      } else {
        break;
      }
    }
    if (jwts.size >= JWT_CACHE_SIZE) {
      const keyToDelete = jwts.keys().next().value;
      if (keyToDelete) {
        jwts.delete(keyToDelete);
      }
    }
    jwts.set(key, jwt2);
    return {
      accessToken: json.accessToken,
      casUrl: json.casUrl
    };
  })().finally(() => {
    jwtPromises.delete(key);
  });
  jwtPromises.set(key, promise);
  return promise;
}
async function promisesQueue(factories, concurrency) {
  const results = [];
  const executing = /* @__PURE__ */ new Set();
  let index = 0;
  for (const factory of factories) {
    const closureIndex = index++;
    const e = factory().then((r) => {
      results[closureIndex] = r;
      executing.delete(e);
    });
    executing.add(e);
    if (executing.size >= concurrency) {
      await Promise.race(executing);
    }
  }
  await Promise.all(executing);
  return results;
}
function parseLinkHeader(header) {
  const regex = /<(https?:[/][/][^>]+)>;\s+rel="([^"]+)"/g;
  return Object.fromEntries([...header.matchAll(regex)].map(([, url, rel]) => [rel, url]));
}
async function fileDownloadInfo(params) {
  const accessToken = checkCredentials(params);
  const repoId = toRepoId(params.repo);
  const hubUrl = params.hubUrl ?? HUB_URL;
  const revision = repoId.type === "bucket" ? void 0 : params.revision ?? "main";
  const url = `${hubUrl}/${repoId.type === "model" ? "" : `${repoId.type}s/`}${repoId.name}/${params.raw ? "raw" : "resolve"}${revision ? `/${encodeURIComponent(revision)}` : ""}/${params.path}` + (params.noContentDisposition ? "?noContentDisposition=1" : "");
  const resp = await (params.fetch ?? fetch)(url, {
    method: "GET",
    headers: {
      ...accessToken && {
        Authorization: `Bearer ${accessToken}`
      },
      Range: "bytes=0-0",
      Accept: "application/vnd.xet-fileinfo+json, */*"
    }
  });
  if (resp.status === 404 && resp.headers.get("X-Error-Code") === "EntryNotFound") {
    return null;
  }
  if (!resp.ok) {
    throw await createApiError(resp);
  }
  let size;
  let xetInfo;
  if (resp.headers.get("Content-Type")?.includes("application/vnd.xet-fileinfo+json")) {
    size = parseInt(resp.headers.get("X-Linked-Size") ?? "invalid");
    if (isNaN(size)) {
      throw new InvalidApiResponseFormatError("Invalid file size received in X-Linked-Size header");
    }
    const hash22 = resp.headers.get("X-Xet-Hash");
    const links = parseLinkHeader(resp.headers.get("Link") ?? "");
    const reconstructionUrl = (() => {
      try {
        return new URL(links["xet-reconstruction-info"]);
      } catch {
        return null;
      }
    })();
    const refreshUrl = (() => {
      try {
        return new URL(links["xet-auth"]);
      } catch {
        return null;
      }
    })();
    if (!hash22) {
      throw new InvalidApiResponseFormatError("No hash received in X-Xet-Hash header");
    }
    if (!reconstructionUrl || !refreshUrl) {
      throw new InvalidApiResponseFormatError("No xet-reconstruction-info or xet-auth link header");
    }
    xetInfo = {
      hash: hash22,
      refreshUrl,
      reconstructionUrl
    };
  }
  if (size === void 0 || isNaN(size)) {
    const contentRangeHeader = resp.headers.get("content-range");
    if (!contentRangeHeader) {
      throw new InvalidApiResponseFormatError("Expected size information");
    }
    const [, parsedSize] = contentRangeHeader.split("/");
    size = parseInt(parsedSize);
    if (isNaN(size)) {
      throw new InvalidApiResponseFormatError("Invalid file size received");
    }
  }
  const etag = resp.headers.get("X-Linked-ETag") ?? resp.headers.get("ETag") ?? void 0;
  if (!etag) {
    throw new InvalidApiResponseFormatError("Expected ETag");
  }
  return {
    etag,
    size,
    xet: xetInfo,
    // Cannot use resp.url in case it's a S3 url and the user adds an Authorization header to it.
    url: resp.url && (new URL(resp.url).origin === new URL(hubUrl).origin || resp.headers.get("X-Cache")?.endsWith(" cloudfront")) ? resp.url : url
  };
}
async function downloadFile(params) {
  const accessToken = checkCredentials(params);
  const info = params.downloadInfo ?? await fileDownloadInfo({
    accessToken,
    repo: params.repo,
    path: params.path,
    revision: params.revision,
    hubUrl: params.hubUrl,
    fetch: params.fetch,
    raw: params.raw
  });
  if (!info) {
    return null;
  }
  if (info.xet && params.xet !== false) {
    return new XetBlob({
      refreshUrl: info.xet.refreshUrl.href,
      reconstructionUrl: info.xet.reconstructionUrl.href,
      hash: info.xet.hash,
      fetch: params.fetch,
      accessToken,
      size: info.size,
      readToken: typeof params.xet === "object" ? params.xet.readToken : void 0,
      parallelDownloads: params.parallelDownloads
    });
  }
  return new WebBlob(new URL(info.url), 0, info.size, "", true, params.fetch ?? fetch, accessToken);
}
async function* listFiles2(params) {
  const accessToken = checkCredentials(params);
  const repoId = toRepoId(params.repo);
  const revision = repoId.type === "bucket" ? void 0 : params.revision || "main";
  let url = `${params.hubUrl || HUB_URL}/api/${repoId.type}s/${repoId.name}/tree${revision ? `/${revision}` : ""}${params.path ? "/" + params.path : ""}?recursive=${!!params.recursive}&expand=${!!params.expand}`;
  while (url) {
    const res = await (params.fetch ?? fetch)(url, {
      headers: {
        accept: "application/json",
        ...accessToken ? { Authorization: `Bearer ${accessToken}` } : void 0
      }
    });
    if (!res.ok) {
      throw await createApiError(res);
    }
    const items = await res.json();
    for (const item of items) {
      yield item;
    }
    const linkHeader = res.headers.get("Link");
    url = linkHeader ? parseLinkHeader(linkHeader).next : void 0;
  }
}
function pick(o, props) {
  return Object.assign(
    {},
    ...props.map((prop) => {
      if (o[prop] !== void 0) {
        return { [prop]: o[prop] };
      }
    })
  );
}
async function fileExists(params) {
  const accessToken = checkCredentials(params);
  const repoId = toRepoId(params.repo);
  const hubUrl = params.hubUrl ?? HUB_URL;
  const revision = repoId.type === "bucket" ? void 0 : params.revision ?? "main";
  const endpoint = repoId.type === "bucket" ? "resolve" : "raw";
  const url = `${hubUrl}/${repoId.type === "model" ? "" : `${repoId.type}s/`}${repoId.name}/${endpoint}${revision ? `/${encodeURIComponent(revision)}` : ""}/${params.path}`;
  const resp = await (params.fetch ?? fetch)(url, {
    method: "HEAD",
    headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {}
  });
  if (resp.status === 404) {
    return false;
  }
  if (!resp.ok) {
    throw await createApiError(resp);
  }
  return true;
}
function normalizeInferenceProviderMapping(hfModelId, inferenceProviderMapping) {
  if (!inferenceProviderMapping) {
    return [];
  }
  if (Array.isArray(inferenceProviderMapping)) {
    return inferenceProviderMapping.map((entry) => ({
      ...entry,
      hfModelId
    }));
  }
  return Object.entries(inferenceProviderMapping).map(([provider, mapping]) => ({
    provider,
    hfModelId,
    providerId: mapping.providerId,
    status: mapping.status,
    task: mapping.task
  }));
}
async function modelInfo(params) {
  const accessToken = params && checkCredentials(params);
  const additionalExpandKeys = params?.additionalFields?.map(
    (field) => MODEL_DERIVED_FIELD_TO_API_KEY[field] ?? field
  ) ?? [];
  const search = new URLSearchParams([
    ...MODEL_EXPAND_KEYS.map((val) => ["expand", val]),
    ...additionalExpandKeys.map((val) => ["expand", val])
  ]).toString();
  const response = await (params.fetch || fetch)(
    `${params?.hubUrl || HUB_URL}/api/models/${params.name}/revision/${encodeURIComponent(
      params.revision ?? "HEAD"
    )}?${search.toString()}`,
    {
      headers: {
        ...accessToken ? { Authorization: `Bearer ${accessToken}` } : {}
      }
    }
  );
  if (!response.ok) {
    throw await createApiError(response);
  }
  const data = await response.json();
  const additional = {};
  if (params?.additionalFields) {
    for (const field of params.additionalFields) {
      if (field === "filePaths") {
        additional.filePaths = (data.siblings ?? []).map((s) => s.rfilename);
      } else if (field === "inferenceProviderMapping" && data.inferenceProviderMapping) {
        additional.inferenceProviderMapping = normalizeInferenceProviderMapping(data.id, data.inferenceProviderMapping);
      } else {
        additional[field] = data[field];
      }
    }
  }
  return {
    ...additional,
    id: data._id,
    name: data.id,
    private: data.private,
    task: data.pipeline_tag,
    downloads: data.downloads,
    gated: data.gated,
    likes: data.likes,
    updatedAt: new Date(data.lastModified)
  };
}
function typedEntries(obj) {
  return Object.entries(obj);
}
function isWhitespace(c) {
  return c === " " || c === "\n" || c === "\r" || c === "	";
}
function isNumberChar(c) {
  return c >= "0" && c <= "9" || c === "-" || c === "+" || c === "." || c === "e" || c === "E";
}
function isHexDigit(c) {
  return c >= "0" && c <= "9" || c >= "a" && c <= "f" || c >= "A" && c <= "F";
}
async function* toByteChunks(source) {
  if (!("getReader" in source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      if (value) {
        yield value;
      }
    }
  } finally {
    await reader.cancel().catch(() => void 0);
  }
}
async function* streamJson(source, options) {
  const maxTokenLength = options?.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  let state = S_VALUE;
  const stack = [];
  let token = "";
  let stringIsKey = false;
  let unicode = "";
  function checkTokenLength() {
    if (token.length > maxTokenLength) {
      throw new JsonStreamParseError(`JSON token exceeds the maximum length of ${maxTokenLength} characters`);
    }
  }
  function afterValue() {
    state = stack.length === 0 ? S_DONE : S_AFTER_VALUE;
  }
  function finishNumber() {
    const value = Number(token);
    if (token === "" || !Number.isFinite(value)) {
      throw new JsonStreamParseError(`Invalid JSON number: ${JSON.stringify(token)}`);
    }
    token = "";
    afterValue();
    return { type: "value", value };
  }
  function finishLiteral() {
    const text = token;
    token = "";
    afterValue();
    switch (text) {
      case "true":
        return { type: "value", value: true };
      case "false":
        return { type: "value", value: false };
      case "null":
        return { type: "value", value: null };
      default:
        throw new JsonStreamParseError(`Invalid JSON literal: ${JSON.stringify(text)}`);
    }
  }
  function unexpected(c) {
    throw new JsonStreamParseError(`Unexpected character ${JSON.stringify(c)} in JSON`);
  }
  function pushContainer(isArray) {
    if (stack.length >= maxDepth) {
      throw new JsonStreamParseError(`JSON nesting is deeper than the maximum of ${maxDepth} levels`);
    }
    stack.push(isArray);
  }
  function* feed(chunk2) {
    let i = 0;
    while (i < chunk2.length) {
      if (state === S_STRING) {
        let j = i;
        while (j < chunk2.length && chunk2[j] !== '"' && chunk2[j] !== "\\") {
          j++;
        }
        if (j > i) {
          token += chunk2.slice(i, j);
          checkTokenLength();
          i = j;
          continue;
        }
        if (chunk2[i] === "\\") {
          state = S_STRING_ESCAPE;
          i++;
          continue;
        }
        i++;
        const text = token;
        token = "";
        if (stringIsKey) {
          stringIsKey = false;
          state = S_AFTER_KEY;
          yield { type: "key", key: text };
        } else {
          afterValue();
          yield { type: "value", value: text };
        }
        continue;
      }
      if (state === S_STRING_ESCAPE) {
        const c2 = chunk2[i++];
        if (c2 === "u") {
          unicode = "";
          state = S_STRING_UNICODE;
          continue;
        }
        const escaped = ESCAPES[c2];
        if (escaped === void 0) {
          throw new JsonStreamParseError(`Invalid escape sequence "\\${c2}" in JSON string`);
        }
        token += escaped;
        checkTokenLength();
        state = S_STRING;
        continue;
      }
      if (state === S_STRING_UNICODE) {
        const c2 = chunk2[i++];
        if (!isHexDigit(c2)) {
          throw new JsonStreamParseError(`Invalid unicode escape "\\u${unicode}${c2}" in JSON string`);
        }
        unicode += c2;
        if (unicode.length === 4) {
          token += String.fromCharCode(parseInt(unicode, 16));
          checkTokenLength();
          unicode = "";
          state = S_STRING;
        }
        continue;
      }
      if (state === S_NUMBER) {
        let j = i;
        while (j < chunk2.length && isNumberChar(chunk2[j])) {
          j++;
        }
        if (j > i) {
          token += chunk2.slice(i, j);
          checkTokenLength();
          i = j;
          continue;
        }
        yield finishNumber();
        continue;
      }
      if (state === S_LITERAL) {
        let j = i;
        while (j < chunk2.length && chunk2[j] >= "a" && chunk2[j] <= "z") {
          j++;
        }
        if (j > i) {
          token += chunk2.slice(i, j);
          checkTokenLength();
          i = j;
          continue;
        }
        yield finishLiteral();
        continue;
      }
      const c = chunk2[i];
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      switch (state) {
        case S_VALUE:
        case S_VALUE_OR_ARRAY_END: {
          if (c === "]") {
            if (state !== S_VALUE_OR_ARRAY_END) {
              unexpected(c);
            }
            stack.pop();
            afterValue();
            i++;
            yield { type: "endArray" };
            break;
          }
          if (c === "{") {
            pushContainer(false);
            state = S_KEY_OR_OBJECT_END;
            i++;
            yield { type: "startObject" };
            break;
          }
          if (c === "[") {
            pushContainer(true);
            state = S_VALUE_OR_ARRAY_END;
            i++;
            yield { type: "startArray" };
            break;
          }
          if (c === '"') {
            stringIsKey = false;
            state = S_STRING;
            i++;
            break;
          }
          if (c === "-" || c >= "0" && c <= "9") {
            state = S_NUMBER;
            break;
          }
          if (c >= "a" && c <= "z") {
            state = S_LITERAL;
            break;
          }
          unexpected(c);
          break;
        }
        case S_KEY:
        case S_KEY_OR_OBJECT_END: {
          if (c === "}") {
            if (state !== S_KEY_OR_OBJECT_END) {
              unexpected(c);
            }
            stack.pop();
            afterValue();
            i++;
            yield { type: "endObject" };
            break;
          }
          if (c === '"') {
            stringIsKey = true;
            state = S_STRING;
            i++;
            break;
          }
          unexpected(c);
          break;
        }
        case S_AFTER_KEY: {
          if (c !== ":") {
            unexpected(c);
          }
          state = S_VALUE;
          i++;
          break;
        }
        case S_AFTER_VALUE: {
          if (c === ",") {
            state = stack[stack.length - 1] ? S_VALUE : S_KEY;
            i++;
            break;
          }
          if (c === "}") {
            if (stack[stack.length - 1] !== false) {
              unexpected(c);
            }
            stack.pop();
            afterValue();
            i++;
            yield { type: "endObject" };
            break;
          }
          if (c === "]") {
            if (stack[stack.length - 1] !== true) {
              unexpected(c);
            }
            stack.pop();
            afterValue();
            i++;
            yield { type: "endArray" };
            break;
          }
          unexpected(c);
          break;
        }
        case S_DONE:
          throw new JsonStreamParseError(`Unexpected trailing content ${JSON.stringify(c)} after JSON value`);
        default:
          throw new JsonStreamParseError(`Unreachable parser state ${state}`);
      }
    }
  }
  const decoder = new TextDecoder("utf-8");
  for await (const bytes of toByteChunks(source)) {
    const chunk2 = decoder.decode(bytes, { stream: true });
    if (chunk2.length > 0) {
      yield* feed(chunk2);
    }
  }
  const tail = decoder.decode();
  if (tail.length > 0) {
    yield* feed(tail);
  }
  if (state === S_NUMBER) {
    yield finishNumber();
  } else if (state === S_LITERAL) {
    yield finishLiteral();
  }
  if (state !== S_DONE) {
    throw new JsonStreamParseError("Unexpected end of JSON input");
  }
}
function typedInclude(arr, v) {
  return arr.includes(v);
}
function omit(o, props) {
  const propsArr = Array.isArray(props) ? props : [props];
  const letsKeep = Object.keys(o).filter((prop) => !typedInclude(propsArr, prop));
  return pick(o, letsKeep);
}
async function* limitBytes(stream, maxBytes) {
  let total = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      if (!value) {
        continue;
      }
      total += value.length;
      if (total > maxBytes) {
        throw new SafetensorsIndexParseError(
          `safetensors index is too big. Maximum supported size is ${maxBytes} bytes.`
        );
      }
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => void 0);
  }
}
async function parseSafetensorsIndexStream(stream, options) {
  const maxBytes = options?.maxBytes ?? MAX_INDEX_BYTES;
  const maxWeightMapEntries = options?.maxWeightMapEntries ?? MAX_WEIGHT_MAP_ENTRIES;
  const maxShardCount = options?.maxShardCount ?? Infinity;
  const shardFilenames = [];
  const shardSet = /* @__PURE__ */ new Set();
  let weightMap = {};
  let weightMapEntryCount = 0;
  let retainedInWeightMap = 0;
  let metadata;
  let dtype;
  let depth = 0;
  let rootKey;
  let entryKey;
  let sawRootObject = false;
  let retainedChars = 0;
  const retain = (chars) => {
    retainedChars += chars;
    if (retainedChars > MAX_RETAINED_CHARS) {
      throw new SafetensorsIndexParseError(
        `safetensors index retains more than ${MAX_RETAINED_CHARS} characters of metadata/filenames`
      );
    }
  };
  for await (const event of streamJson(limitBytes(stream, maxBytes), {
    maxTokenLength: MAX_TOKEN_LENGTH,
    maxDepth: MAX_DEPTH2
  })) {
    switch (event.type) {
      case "startObject":
      case "startArray":
        depth++;
        if (depth === 1) {
          if (event.type === "startArray") {
            throw new SafetensorsIndexParseError("safetensors index must be a JSON object");
          }
          sawRootObject = true;
        }
        entryKey = void 0;
        break;
      case "endObject":
      case "endArray":
        depth--;
        if (depth <= 1) {
          rootKey = void 0;
          entryKey = void 0;
        }
        break;
      case "key":
        if (depth === 1) {
          rootKey = event.key;
          entryKey = void 0;
        } else {
          entryKey = event.key;
        }
        break;
      case "value": {
        if (depth === 1) {
          if (rootKey === "dtype" && typeof event.value === "string") {
            dtype = event.value;
          }
          rootKey = void 0;
          break;
        }
        if (depth !== 2 || entryKey === void 0) {
          break;
        }
        if (rootKey === "weight_map") {
          if (typeof event.value !== "string") {
            break;
          }
          weightMapEntryCount++;
          if (!shardSet.has(event.value)) {
            retain(event.value.length);
            shardSet.add(event.value);
            shardFilenames.push(event.value);
            if (shardSet.size > maxShardCount) {
              throw new SafetensorsIndexParseError(
                `Too many shard files (>${maxShardCount}). Maximum supported is ${maxShardCount}.`
              );
            }
          }
          if (weightMap !== void 0) {
            retainedInWeightMap += entryKey.length + event.value.length;
            if (weightMapEntryCount > maxWeightMapEntries || retainedInWeightMap > MAX_WEIGHT_MAP_CHARS) {
              weightMap = void 0;
            } else {
              weightMap[entryKey] = event.value;
            }
          }
        } else if (rootKey === "metadata") {
          metadata ??= {};
          if (Object.keys(metadata).length < MAX_METADATA_ENTRIES) {
            retain(entryKey.length + (typeof event.value === "string" ? event.value.length : 8));
            metadata[entryKey] = event.value;
          }
        }
        entryKey = void 0;
        break;
      }
    }
  }
  if (!sawRootObject) {
    throw new SafetensorsIndexParseError("safetensors index must be a JSON object");
  }
  return { dtype, metadata, shardFilenames, weightMapEntryCount, weightMap };
}
function isRoutedExpertTensor(tensorName) {
  return tensorName.includes(".experts.") && !tensorName.includes("shared_experts");
}
function bitsFromFormatString(format) {
  if (typeof format !== "string") {
    return void 0;
  }
  const normalized = format.toLowerCase();
  return SUB_BYTE_FORMAT_BITS.find(([pattern]) => normalized.includes(pattern))?.[1];
}
function packingFactor(dtype, numBits) {
  const containerBits = INTEGER_CONTAINER_BITS[dtype];
  if (!containerBits || !numBits || numBits <= 0 || numBits >= containerBits) {
    return 1;
  }
  return containerBits / numBits;
}
function validateTensorEntry(path2, tensorName, info, fileSizeBytes) {
  if (!Array.isArray(info.shape) || !Array.isArray(info.data_offsets) || info.data_offsets.length !== 2) {
    throw new SafetensorParseError(`Failed to parse file ${path2}: tensor "${tensorName}" is malformed.`);
  }
  for (const dim of info.shape) {
    if (!Number.isFinite(dim) || !Number.isInteger(dim) || dim < 0) {
      throw new SafetensorParseError(
        `Failed to parse file ${path2}: tensor "${tensorName}" has an invalid dimension (${dim}).`
      );
    }
    if (dim > MAX_TENSOR_DIM) {
      throw new SafetensorParseError(
        `Failed to parse file ${path2}: tensor "${tensorName}" dimension is ${dim}, which exceeds the maximum allowed (${MAX_TENSOR_DIM}).`
      );
    }
  }
  const [begin, end] = info.data_offsets;
  if (!Number.isFinite(begin) || !Number.isFinite(end) || !Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin) {
    throw new SafetensorParseError(`Failed to parse file ${path2}: tensor "${tensorName}" has invalid data_offsets.`);
  }
  if (fileSizeBytes !== void 0 && end > fileSizeBytes) {
    throw new SafetensorParseError(
      `Failed to parse file ${path2}: tensor "${tensorName}" declares data_offsets ending at ${end}, which exceeds the file size (${fileSizeBytes} bytes). The file is malformed.`
    );
  }
}
async function fetchModelConfig(params) {
  try {
    const configBlob = await downloadFile({
      ...params,
      path: "config.json"
    });
    if (!configBlob) {
      return null;
    }
    const config = JSON.parse(await configBlob.slice(0, MAX_CONFIG_LENGTH).text());
    return config;
  } catch (error) {
    return null;
  }
}
async function parseSingleFile(path2, params) {
  const blob = await downloadFile({ ...params, path: path2 });
  if (!blob) {
    throw new SafetensorParseError(`Failed to parse file ${path2}: failed to fetch safetensors header length.`);
  }
  const bufLengthOfHeaderLE = await blob.slice(0, 8).arrayBuffer();
  const lengthOfHeader = new DataView(bufLengthOfHeaderLE).getBigUint64(0, true);
  if (lengthOfHeader <= 0) {
    throw new SafetensorParseError(`Failed to parse file ${path2}: safetensors header is malformed.`);
  }
  if (lengthOfHeader > MAX_HEADER_LENGTH) {
    throw new SafetensorParseError(
      `Failed to parse file ${path2}: safetensor header is too big. Maximum supported size is ${MAX_HEADER_LENGTH} bytes.`
    );
  }
  let header;
  try {
    header = JSON.parse(await blob.slice(8, 8 + Number(lengthOfHeader)).text());
  } catch (err2) {
    throw new SafetensorParseError(`Failed to parse file ${path2}: safetensors header is not valid JSON.`);
  }
  const fileSizeBytes = Number.isFinite(blob.size) && blob.size >= 0 ? blob.size : void 0;
  for (const [tensorName, info] of typedEntries(omit(header, "__metadata__"))) {
    validateTensorEntry(path2, tensorName, info, fileSizeBytes);
  }
  return { header, fileSizeBytes };
}
async function parseShardedIndex(path2, params) {
  const indexBlob = await downloadFile({
    ...params,
    path: path2
  });
  if (!indexBlob) {
    throw new SafetensorParseError(`Failed to parse file ${path2}: failed to fetch safetensors index.`);
  }
  try {
    const { dtype, metadata, shardFilenames, weightMap } = await parseSafetensorsIndexStream(indexBlob.stream(), {
      maxShardCount: MAX_SHARD_COUNT
    });
    return {
      index: { dtype, metadata, weight_map: weightMap },
      shardFilenames
    };
  } catch (error) {
    throw new SafetensorParseError(
      `Failed to parse file ${path2}: ${error instanceof Error ? error.message : "not a valid JSON."}`
    );
  }
}
function assertSafeShardFilename(filename) {
  const unsafe = (reason) => {
    throw new SafetensorParseError(`Unsafe shard filename in weight_map: "${filename}" (${reason})`);
  };
  if (!filename) {
    unsafe("empty");
  }
  let decoded = filename;
  for (let i = 0; i < 5; i++) {
    let next;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return unsafe("malformed percent-encoding");
    }
    if (next === decoded) {
      break;
    }
    decoded = next;
  }
  for (const candidate of /* @__PURE__ */ new Set([filename, decoded])) {
    for (let i = 0; i < candidate.length; i++) {
      const code2 = candidate.charCodeAt(i);
      if (code2 <= 31 || code2 === 127) {
        unsafe("control character");
      }
    }
    if (candidate.includes("\\")) {
      unsafe("backslash");
    }
    if (candidate.startsWith("/")) {
      unsafe("absolute path");
    }
    if (candidate.slice(0, candidate.indexOf("/") === -1 ? candidate.length : candidate.indexOf("/")).includes(":")) {
      unsafe("scheme-like first path segment");
    }
    for (const segment of candidate.split("/")) {
      if (segment === "." || segment === "..") {
        unsafe("dot segment");
      }
    }
  }
}
function encodeShardFilename(filename) {
  return filename.split("/").map(encodeURIComponent).join("/");
}
async function fetchAllHeaders(path2, filenames, params) {
  const pathPrefix = path2.slice(0, path2.lastIndexOf("/") + 1);
  if (filenames.length > MAX_SHARD_COUNT) {
    throw new SafetensorParseError(
      `Too many shard files (${filenames.length}). Maximum supported is ${MAX_SHARD_COUNT}.`
    );
  }
  for (const filename of filenames) {
    assertSafeShardFilename(filename);
  }
  const shardedMap = Object.fromEntries(
    (await promisesQueue(
      filenames.map(
        (filename) => async () => [filename, await parseSingleFile(pathPrefix + encodeShardFilename(filename), params)]
      ),
      PARALLEL_DOWNLOADS
    )).map(([filename, { header }]) => [filename, header])
  );
  return shardedMap;
}
function parseTotalParameters(value, computedTotal) {
  if (!value) {
    return void 0;
  }
  const parsed = typeof value === "number" ? value : parseInt(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    return void 0;
  }
  if (computedTotal !== void 0 && parsed > computedTotal) {
    return computedTotal;
  }
  return parsed;
}
async function parseSafetensorsMetadata(params) {
  const repoId = toRepoId(params.repo);
  if (repoId.type !== "model") {
    throw new TypeError("Only model repos should contain safetensors files.");
  }
  const modelConfig2 = params.computeParametersCount ? await fetchModelConfig(params) : null;
  const quantConfig = getModelQuantizationConfig(modelConfig2) ?? getModelQuantizationConfig(modelConfig2?.text_config ?? null);
  const expertDtype = modelConfig2?.expert_dtype ?? modelConfig2?.text_config?.expert_dtype;
  let location;
  if (params.path) {
    if (RE_SAFETENSORS_FILE.test(params.path)) {
      location = { path: params.path, sharded: false };
    } else if (RE_SAFETENSORS_INDEX_FILE.test(params.path)) {
      location = { path: params.path, sharded: true };
    }
  } else {
    const candidates = [
      { single: SAFETENSORS_FILE, index: SAFETENSORS_INDEX_FILE },
      ...params.library ? LIBRARY_WEIGHT_CANDIDATES[params.library] ?? [] : []
    ];
    for (const { single, index } of candidates) {
      if (await fileExists({ ...params, path: single })) {
        location = { path: single, sharded: false };
        break;
      }
      if (await fileExists({ ...params, path: index })) {
        location = { path: index, sharded: true };
        break;
      }
    }
  }
  if (location && !location.sharded) {
    const { header } = await parseSingleFile(location.path, params);
    const paramStats = params.computeParametersCount ? (() => {
      const parameterCount = computeNumOfParamsByDtypeSingleFile(header, quantConfig, expertDtype);
      return {
        parameterCount,
        /// shortcut: get param count directly from metadata
        parameterTotal: parseTotalParameters(
          header.__metadata__?.total_parameters,
          sum(Object.values(parameterCount))
        )
      };
    })() : void 0;
    return {
      sharded: false,
      header,
      ...paramStats,
      filepaths: [location.path]
    };
  } else if (location) {
    const path2 = location.path;
    const { index, shardFilenames } = await parseShardedIndex(path2, params);
    const shardedMap = await fetchAllHeaders(path2, shardFilenames, params);
    const pathPrefix = path2.slice(0, path2.lastIndexOf("/") + 1);
    const paramStats = params.computeParametersCount ? (() => {
      const parameterCount = computeNumOfParamsByDtypeSharded(shardedMap, quantConfig, expertDtype);
      return {
        parameterCount,
        /// shortcut: get param count directly from metadata
        parameterTotal: parseTotalParameters(index.metadata?.total_parameters, sum(Object.values(parameterCount)))
      };
    })() : void 0;
    return {
      sharded: true,
      index,
      headers: shardedMap,
      ...paramStats,
      filepaths: [path2, ...Object.keys(shardedMap).map((filename) => pathPrefix + filename)]
    };
  } else {
    throw new Error("model id does not seem to contain safetensors weights");
  }
}
function getQuantizationMethod(quantConfig) {
  return typeof quantConfig?.quant_method === "string" ? quantConfig.quant_method.toLowerCase() : void 0;
}
function parseMlxQuantizationParameters(bits, groupSize, mode) {
  if (mode !== void 0 && typeof mode !== "string") {
    return void 0;
  }
  const normalizedMode = (mode ?? "affine").toLowerCase();
  if (!MLX_QUANTIZATION_MODES.has(normalizedMode)) {
    return void 0;
  }
  const defaults = MLX_MODE_DEFAULTS[normalizedMode];
  const resolvedBits = bits ?? defaults.bits;
  const resolvedGroupSize = groupSize ?? defaults.groupSize;
  if (typeof resolvedBits !== "number" || !Number.isInteger(resolvedBits) || typeof resolvedGroupSize !== "number" || !Number.isInteger(resolvedGroupSize)) {
    return void 0;
  }
  const valid = normalizedMode === "affine" && MLX_AFFINE_BITS.has(resolvedBits) && MLX_AFFINE_GROUP_SIZES.has(resolvedGroupSize) || normalizedMode === "mxfp4" && resolvedBits === 4 && resolvedGroupSize === 32 || normalizedMode === "nvfp4" && resolvedBits === 4 && resolvedGroupSize === 16 || normalizedMode === "mxfp8" && resolvedBits === 8 && resolvedGroupSize === 32;
  return valid ? { bits: resolvedBits, groupSize: resolvedGroupSize, mode: normalizedMode } : void 0;
}
function hasMlxParameterFields(value) {
  return "bits" in value || "group_size" in value || "mode" in value;
}
function hasValidMlxConfiguration(quantConfig) {
  if (hasMlxParameterFields(quantConfig) && parseMlxQuantizationParameters(quantConfig.bits, quantConfig.group_size, quantConfig.mode)) {
    return true;
  }
  return Object.values(quantConfig).some(
    (value) => typeof value === "object" && value !== null && hasMlxParameterFields(value) && Boolean(
      parseMlxQuantizationParameters(
        value.bits,
        value.group_size,
        value.mode
      )
    )
  );
}
function getModelQuantizationConfig(modelConfig2) {
  const mlxConfig = modelConfig2?.quantization;
  const mlxMethod = getQuantizationMethod(mlxConfig);
  if (mlxConfig && (mlxConfig.quant_method === void 0 || mlxMethod === MLX_QUANTIZATION_METHOD) && hasValidMlxConfiguration(mlxConfig)) {
    return {
      ...mlxConfig,
      quant_method: MLX_QUANTIZATION_METHOD,
      mode: mlxConfig.mode ?? "affine"
    };
  }
  const quantConfig = modelConfig2?.quantization_config;
  const quantMethod = getQuantizationMethod(quantConfig);
  if (quantConfig && (quantConfig.quant_method === void 0 || quantMethod === MLX_QUANTIZATION_METHOD)) {
    const mode = quantConfig.mode ?? "affine";
    if (hasValidMlxConfiguration(quantConfig)) {
      return { ...quantConfig, mode, quant_method: MLX_QUANTIZATION_METHOD };
    }
  }
  return quantConfig;
}
function getMlxQuantizationParameters(tensorName, quantConfig) {
  const moduleName = getTensorModuleName(tensorName);
  const moduleConfig = quantConfig[moduleName];
  if (moduleConfig === false) {
    return void 0;
  }
  const override = typeof moduleConfig === "object" && moduleConfig !== null ? moduleConfig : void 0;
  return override ? parseMlxQuantizationParameters(override.bits, override.group_size, override.mode) : parseMlxQuantizationParameters(quantConfig.bits, quantConfig.group_size, quantConfig.mode);
}
function getTensorModuleName(tensorName) {
  const suffixIndex = tensorName.lastIndexOf(".");
  return suffixIndex === -1 ? tensorName : tensorName.slice(0, suffixIndex);
}
function getMlxQuantizedModules(headers, quantConfig) {
  if (!quantConfig || getQuantizationMethod(quantConfig) !== MLX_QUANTIZATION_METHOD) {
    return void 0;
  }
  const modulesWithScales = /* @__PURE__ */ new Set();
  const modulesWithBiases = /* @__PURE__ */ new Set();
  const modulesWithU32Weights = /* @__PURE__ */ new Set();
  for (const header of headers) {
    for (const [tensorName, info] of typedEntries(omit(header, "__metadata__"))) {
      const suffix = getTensorSuffix(tensorName);
      if (suffix === "scales") {
        modulesWithScales.add(getTensorModuleName(tensorName));
      } else if (suffix === "biases") {
        modulesWithBiases.add(getTensorModuleName(tensorName));
      } else if (suffix === "weight" && info.dtype === "U32") {
        modulesWithU32Weights.add(getTensorModuleName(tensorName));
      }
    }
  }
  const quantizedModules = /* @__PURE__ */ new Set();
  for (const moduleName of modulesWithU32Weights) {
    const params = getMlxQuantizationParameters(`${moduleName}.weight`, quantConfig);
    if (params && modulesWithScales.has(moduleName) && (params.mode !== "affine" || modulesWithBiases.has(moduleName))) {
      quantizedModules.add(moduleName);
    }
  }
  return quantizedModules;
}
function globMatch(pattern, str) {
  const parts = pattern.split("*");
  if (parts.length === 1) {
    return pattern === str;
  }
  if (!str.startsWith(parts[0])) {
    return false;
  }
  let pos = parts[0].length;
  const lastPart = parts[parts.length - 1];
  if (!str.endsWith(lastPart)) {
    return false;
  }
  const end = str.length - lastPart.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const idx = str.indexOf(parts[i], pos);
    if (idx === -1 || idx + parts[i].length > end) {
      return false;
    }
    pos = idx + parts[i].length;
  }
  return pos <= end;
}
function isQuantizedTensor(tensorName, quantConfig, mlxQuantizedModules) {
  if (!quantConfig) {
    return false;
  }
  if (getQuantizationMethod(quantConfig) === MLX_QUANTIZATION_METHOD) {
    return getMlxQuantizationParameters(tensorName, quantConfig) !== void 0 && (mlxQuantizedModules === void 0 || mlxQuantizedModules.has(getTensorModuleName(tensorName)));
  }
  if (quantConfig.ignore?.length) {
    const suffixIndex = tensorName.lastIndexOf(".weight");
    const moduleName = suffixIndex === -1 ? tensorName : tensorName.slice(0, suffixIndex);
    if (quantConfig.ignore.some((target) => matchesCompressedTensorsTarget(target, moduleName))) {
      return false;
    }
  }
  const patterns = quantConfig.modules_to_not_convert;
  if (!patterns?.length) {
    return true;
  }
  return !patterns.some(
    (pattern) => pattern.includes("*") ? globMatch(pattern, tensorName) : tensorName.includes(pattern)
  );
}
function matchesCompressedTensorsTarget(target, moduleName) {
  if (!target.startsWith("re:")) {
    return target === moduleName;
  }
  let pattern = target.slice(3);
  if (pattern.startsWith("^")) {
    pattern = pattern.slice(1);
  }
  if (pattern.endsWith("$")) {
    pattern = pattern.slice(0, -1);
  } else {
    pattern += ".*";
  }
  const glob = pattern.replaceAll(".*", "*").replaceAll("\\.", ".");
  if (/[\\+?()[\]{}|^$]/.test(glob)) {
    return false;
  }
  return globMatch(glob, moduleName);
}
function getQuantizationMultiplier(tensorName, dtype, quantConfig, expertDtype, mlxQuantizedModules) {
  if (!quantConfig || !isQuantizedTensor(tensorName, quantConfig, mlxQuantizedModules)) {
    return 1;
  }
  const quantMethod = getQuantizationMethod(quantConfig);
  switch (quantMethod) {
    case MLX_QUANTIZATION_METHOD: {
      if (dtype !== "U32" || getTensorSuffix(tensorName) !== "weight") {
        return 1;
      }
      return packingFactor(dtype, getMlxQuantizationParameters(tensorName, quantConfig)?.bits);
    }
    case "mxfp4":
      if (dtype === "U8" && tensorName.includes("_blocks")) {
        return 2;
      }
      return 1;
    case "gptq":
    case "awq":
      if (getTensorSuffix(tensorName) === GPTQ_QWEIGHT_SUFFIX) {
        const bits = quantConfig.bits && quantConfig.bits > 0 ? quantConfig.bits : 4;
        return Math.max(1, Math.floor(32 / bits));
      }
      if (quantConfig.bits === 4 && dtype === "U8") {
        return 2;
      }
      if (quantConfig.bits === 2 && dtype === "U8") {
        return 4;
      }
      return 1;
    case "compressed-tensors": {
      if (!INTEGER_CONTAINER_BITS[dtype]) {
        return 1;
      }
      const groups = Object.values(quantConfig.config_groups ?? {});
      const suffixIndex = tensorName.lastIndexOf(".weight");
      const moduleName = suffixIndex === -1 ? tensorName : tensorName.slice(0, suffixIndex);
      const group = groups.find((g) => g.targets?.some((target) => matchesCompressedTensorsTarget(target, moduleName)));
      const format = (group?.format ?? quantConfig.format)?.toLowerCase();
      if (!format?.endsWith("pack-quantized")) {
        return 1;
      }
      const numBits = group?.weights?.num_bits ?? groups.find((g) => g.weights?.num_bits)?.weights?.num_bits ?? // the format string itself carries the width when num_bits is absent
      bitsFromFormatString(format) ?? 4;
      return packingFactor(dtype, numBits);
    }
    case "fp8": {
      if (!isRoutedExpertTensor(tensorName)) {
        return 1;
      }
      return packingFactor(
        dtype,
        bitsFromFormatString(quantConfig.expert_dtype ?? expertDtype ?? quantConfig.store_dtype)
      );
    }
    case "bitsandbytes":
      if (quantConfig.load_in_4bit && dtype === "U8") {
        return 2;
      }
      return 1;
    default:
      if (dtype === "U8" && (quantConfig.load_in_4bit || quantConfig.bits === 4)) {
        return 2;
      }
      return 1;
  }
}
function computeNumOfParamsByDtypeSingleFile(header, quantConfig, expertDtype) {
  return computeNumOfParamsByDtypeForHeader(
    header,
    quantConfig,
    expertDtype,
    getMlxQuantizedModules([header], quantConfig)
  );
}
function computeNumOfParamsByDtypeForHeader(header, quantConfig, expertDtype, mlxQuantizedModules) {
  const counter = {};
  const tensors = omit(header, "__metadata__");
  for (const [tensorName, v] of typedEntries(tensors)) {
    if (shouldSkipTensor(tensorName, v.dtype, quantConfig, mlxQuantizedModules)) {
      continue;
    }
    if (v.shape.length === 0) {
      continue;
    }
    const elements = v.shape.reduce((a, b) => a * b);
    if (!Number.isFinite(elements)) {
      continue;
    }
    const multiplier = quantConfig ? getQuantizationMultiplier(tensorName, v.dtype, quantConfig, expertDtype, mlxQuantizedModules) : 1;
    if (multiplier === 0) {
      continue;
    }
    counter[v.dtype] = (counter[v.dtype] ?? 0) + Math.round(elements * multiplier);
  }
  return counter;
}
function computeNumOfParamsByDtypeSharded(shardedMap, quantConfig, expertDtype) {
  const counter = {};
  const headers = Object.values(shardedMap);
  const mlxQuantizedModules = getMlxQuantizedModules(headers, quantConfig);
  for (const header of headers) {
    for (const [k, v] of typedEntries(
      computeNumOfParamsByDtypeForHeader(header, quantConfig, expertDtype, mlxQuantizedModules)
    )) {
      counter[k] = (counter[k] ?? 0) + (v ?? 0);
    }
  }
  return counter;
}
function getTensorSuffix(tensorName) {
  const lastDotIndex = tensorName.lastIndexOf(".");
  return lastDotIndex === -1 ? tensorName : tensorName.slice(lastDotIndex + 1);
}
function shouldSkipTensor(tensorName, dtype, quantConfig, mlxQuantizedModules) {
  if (SCALE_ONLY_DTYPES.has(dtype)) {
    return true;
  }
  if (!quantConfig) {
    return false;
  }
  if (QUANTIZATION_AUXILIARY_SUFFIXES.includes(getTensorSuffix(tensorName))) {
    return true;
  }
  const quantMethod = getQuantizationMethod(quantConfig);
  if (quantMethod === MLX_QUANTIZATION_METHOD && isQuantizedTensor(tensorName, quantConfig, mlxQuantizedModules)) {
    const suffix2 = getTensorSuffix(tensorName);
    const mode = getMlxQuantizationParameters(tensorName, quantConfig)?.mode;
    return suffix2 === "scales" || suffix2 === "biases" && mode === "affine";
  }
  if (quantMethod === "mxfp4") {
    return dtype === "U8" && getTensorSuffix(tensorName).endsWith(MXFP4_SCALES_SUFFIX);
  }
  if (quantMethod === "bitsandbytes") {
    const bnbSuffix = getTensorSuffix(tensorName);
    return BITSANDBYTES_AUXILIARY_SUFFIXES.includes(bnbSuffix) || bnbSuffix.startsWith(BITSANDBYTES_QUANT_STATE_PREFIX);
  }
  if (quantMethod !== "gptq" && quantMethod !== "awq") {
    return false;
  }
  if (!isQuantizedTensor(tensorName, quantConfig)) {
    return false;
  }
  const suffix = getTensorSuffix(tensorName);
  return suffix !== GPTQ_QWEIGHT_SUFFIX && GPTQ_AWQ_AUXILIARY_SUFFIXES.includes(suffix);
}
var HUB_URL, HubApiError, InvalidApiResponseFormatError, isBrowser, isWebWorker, isBackend, isFrontend, resolve, waitPromise, minMatch, hashSize, mlBits, mlMask, runBits, runMask, blockBuf, hashTable, magicNum, fdContentChksum, fdContentSize, fdBlockChksum, fdVersion, fdVersionMask, bsUncompressed, bsShift, bsMask, bsMap, RangeList, textEncoder, CRLF, HEADER_SEPARATOR, STAGING_BLOCK_SIZE, StreamingMultipartParser, GLOBAL_DISPATCHER_KEYS, cached, undiciHttp1Fetch, http1Fetch, JWT_SAFETY_PERIOD, JWT_CACHE_SIZE, PARALLEL_DEFAULT_MAX_CONCURRENCY, PARALLEL_MIN_IN_FLIGHT_BYTES, PARALLEL_MAX_IN_FLIGHT_BYTES, PARALLEL_CONTROLLER_TICK_MS, PARALLEL_PROBE_KEEP_MARGIN, PARALLEL_PLATEAU_HOLD_TICKS, Notifier, compressionSchemeLabels, XET_CHUNK_HEADER_BYTES, XetBlob, jwtPromises, jwts, WebBlob, HASH_LENGTH, XORB_HASH_BOOKEND, ZERO_KEY2, TARGET_CHUNK_SIZE2, MAX_CHUNK_SIZE, XORB_SIZE, MAX_XORB_CHUNKS, PROCESSING_PROGRESS_RATIO, UPLOADING_PROGRESS_RATIO, SHARD_MAX_SIZE, SHARD_MAGIC_TAG, REGEX_COMMIT_HASH, MODEL_EXPAND_KEYS, MODEL_DERIVED_FIELD_TO_API_KEY, JsonStreamParseError, DEFAULT_MAX_TOKEN_LENGTH, DEFAULT_MAX_DEPTH, S_VALUE, S_VALUE_OR_ARRAY_END, S_STRING, S_STRING_ESCAPE, S_STRING_UNICODE, S_NUMBER, S_LITERAL, S_AFTER_VALUE, S_KEY, S_KEY_OR_OBJECT_END, S_AFTER_KEY, S_DONE, ESCAPES, SafetensorsIndexParseError, MAX_INDEX_BYTES, MAX_WEIGHT_MAP_ENTRIES, MAX_METADATA_ENTRIES, MAX_TOKEN_LENGTH, MAX_DEPTH2, MAX_RETAINED_CHARS, MAX_WEIGHT_MAP_CHARS, SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE, DIFFUSERS_SAFETENSORS_FILE, DIFFUSERS_SAFETENSORS_INDEX_FILE, DIFFUSERS_WEIGHTS_SUBFOLDERS, RE_SAFETENSORS_FILE, RE_SAFETENSORS_INDEX_FILE, PARALLEL_DOWNLOADS, MAX_HEADER_LENGTH, MAX_CONFIG_LENGTH, MAX_SHARD_COUNT, MAX_TENSOR_DIM, GPTQ_QWEIGHT_SUFFIX, GPTQ_AWQ_AUXILIARY_SUFFIXES, MLX_QUANTIZATION_METHOD, MLX_QUANTIZATION_MODES, MLX_AFFINE_BITS, MLX_AFFINE_GROUP_SIZES, QUANTIZATION_AUXILIARY_SUFFIXES, MXFP4_SCALES_SUFFIX, BITSANDBYTES_AUXILIARY_SUFFIXES, BITSANDBYTES_QUANT_STATE_PREFIX, SCALE_ONLY_DTYPES, INTEGER_CONTAINER_BITS, SUB_BYTE_FORMAT_BITS, SafetensorParseError, LIBRARY_WEIGHT_CANDIDATES, MLX_MODE_DEFAULTS;
var init_chunk_AXSL4LYE = __esm({
  "node_modules/@huggingface/hub/dist/chunk-AXSL4LYE.mjs"() {
    init_esm3();
    init_esm3();
    HUB_URL = "https://huggingface.co";
    HubApiError = class extends Error {
      statusCode;
      url;
      requestId;
      data;
      constructor(url, statusCode, requestId, message) {
        super(message);
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.url = url;
      }
    };
    InvalidApiResponseFormatError = class extends Error {
    };
    isBrowser = typeof window !== "undefined" && typeof window.document !== "undefined";
    isWebWorker = typeof self === "object" && self.constructor && self.constructor.name === "DedicatedWorkerGlobalScope";
    isBackend = !isBrowser && !isWebWorker;
    isFrontend = !isBackend;
    waitPromise = new Promise((r) => {
      resolve = r;
    });
    minMatch = 4;
    hashSize = 1 << 16;
    mlBits = 4;
    mlMask = (1 << mlBits) - 1;
    runBits = 4;
    runMask = (1 << runBits) - 1;
    blockBuf = makeBuffer(5 << 20);
    hashTable = makeHashTable();
    magicNum = 407708164;
    fdContentChksum = 4;
    fdContentSize = 8;
    fdBlockChksum = 16;
    fdVersion = 64;
    fdVersionMask = 192;
    bsUncompressed = 2147483648;
    bsShift = 4;
    bsMask = 7;
    bsMap = {
      4: 65536,
      5: 262144,
      6: 1048576,
      7: 4194304
    };
    RangeList = class {
      ranges = [];
      /**
       * Add a range to the list. If it overlaps with existing ranges,
       * it will split them and increment reference counts accordingly.
       */
      add(start, end) {
        if (end <= start) {
          throw new TypeError("End must be greater than start");
        }
        const overlappingRanges = [];
        for (let i = 0; i < this.ranges.length; i++) {
          const range2 = this.ranges[i];
          if (start < range2.end && end > range2.start) {
            overlappingRanges.push({ index: i, range: range2 });
          }
          if (range2.data !== null) {
            throw new Error("Overlapping range already has data");
          }
        }
        if (overlappingRanges.length === 0) {
          this.ranges.push({ start, end, refCount: 1, data: null });
          this.ranges.sort((a, b) => a.start - b.start);
          return;
        }
        const newRanges = [];
        let currentPos = start;
        for (let i = 0; i < overlappingRanges.length; i++) {
          const { range: range2 } = overlappingRanges[i];
          if (currentPos < range2.start) {
            newRanges.push({
              start: currentPos,
              end: range2.start,
              refCount: 1,
              data: null
            });
          } else if (range2.start < currentPos) {
            newRanges.push({
              start: range2.start,
              end: currentPos,
              refCount: range2.refCount,
              data: null
            });
          }
          newRanges.push({
            start: Math.max(currentPos, range2.start),
            end: Math.min(end, range2.end),
            refCount: range2.refCount + 1,
            data: null
          });
          if (range2.end > end) {
            newRanges.push({
              start: end,
              end: range2.end,
              refCount: range2.refCount,
              data: null
            });
          }
          currentPos = Math.max(currentPos, range2.end);
        }
        if (currentPos < end) {
          newRanges.push({
            start: currentPos,
            end,
            refCount: 1,
            data: null
          });
        }
        const firstIndex = overlappingRanges[0].index;
        const lastIndex = overlappingRanges[overlappingRanges.length - 1].index;
        this.ranges.splice(firstIndex, lastIndex - firstIndex + 1, ...newRanges);
        this.ranges.sort((a, b) => a.start - b.start);
      }
      /**
       * Remove a range from the list. The range must start and end at existing boundaries.
       */
      remove(start, end) {
        if (end <= start) {
          throw new TypeError("End must be greater than start");
        }
        const affectedRanges = [];
        for (let i = 0; i < this.ranges.length; i++) {
          const range2 = this.ranges[i];
          if (start < range2.end && end > range2.start) {
            affectedRanges.push({ index: i, range: range2 });
          }
        }
        if (affectedRanges.length === 0) {
          throw new Error("No ranges found to remove");
        }
        if (start !== affectedRanges[0].range.start || end !== affectedRanges[affectedRanges.length - 1].range.end) {
          throw new Error("Range boundaries must match existing boundaries");
        }
        for (let i = 0; i < affectedRanges.length; i++) {
          const { range: range2 } = affectedRanges[i];
          range2.refCount--;
        }
        this.ranges = this.ranges.filter((range2) => range2.refCount > 0);
      }
      /**
       * Get all ranges within the specified boundaries.
       */
      getRanges(start, end) {
        if (end <= start) {
          throw new TypeError("End must be greater than start");
        }
        return this.ranges.filter((range2) => start < range2.end && end > range2.start);
      }
      /**
       * Get all ranges in the list
       */
      getAllRanges() {
        return [...this.ranges];
      }
    };
    textEncoder = new TextEncoder();
    CRLF = textEncoder.encode("\r\n");
    HEADER_SEPARATOR = textEncoder.encode("\r\n\r\n");
    STAGING_BLOCK_SIZE = 65536;
    StreamingMultipartParser = class {
      #delimiter;
      /**
       * Unprocessed bytes carried between pushes: bounded by the delimiter length in states 0/2
       * (a possible partial delimiter), tiny in state 1. Seeded with a virtual CRLF so a body
       * starting directly with `--boundary` (RFC 2046: the first delimiter's leading CRLF is
       * "considered part of the preamble") still matches the `\r\n--boundary` delimiter.
       */
      #carry = CRLF;
      /** Confirmed bytes (headers + data) of the in-progress part, as ≥STAGING_BLOCK_SIZE chunks. */
      #partChunks = [];
      #partLength = 0;
      /** Staging block coalescing small appends; pushed to #partChunks when full. */
      #staging;
      #stagingLength = 0;
      /** 0 = scanning for first boundary, 1 = consuming CRLF/`--` after a boundary, 2 = inside a part */
      #state = 0;
      #done = false;
      constructor(contentType) {
        const boundary = extractBoundary(contentType);
        if (!boundary) {
          throw new Error(`No boundary found in Content-Type: ${contentType}`);
        }
        this.#delimiter = textEncoder.encode(`\r
--${boundary}`);
      }
      /**
       * Push a chunk of body bytes (call with no argument to flush at end of stream).
       * Returns the raw bytes of any parts that completed as a result.
       *
       * Copying is linear: each byte is combined with the (bounded) carry once, staged once, and
       * copied into the completed part once.
       */
      push(chunk2) {
        if (this.#done) {
          return [];
        }
        let data = chunk2 && chunk2.byteLength ? combineUint8Arrays(this.#carry, chunk2) : this.#carry;
        this.#carry = new Uint8Array(0);
        const parts = [];
        for (; ; ) {
          if (this.#state === 0 || this.#state === 2) {
            const delimIndex = indexOfSubsequence(data, this.#delimiter, 0);
            if (delimIndex === -1) {
              const safeLength = Math.max(0, data.byteLength - (this.#delimiter.byteLength - 1));
              if (this.#state === 2 && safeLength > 0) {
                this.#appendToPart(data.subarray(0, safeLength));
              }
              this.#carry = data.slice(safeLength);
              break;
            }
            if (this.#state === 2) {
              this.#appendToPart(data.subarray(0, delimIndex));
              const partBody = this.#takePart();
              const headerEnd = indexOfSubsequence(partBody, HEADER_SEPARATOR, 0);
              if (headerEnd === -1) {
                throw new Error("Malformed multipart part: missing header/data separator");
              }
              parts.push(partBody.subarray(headerEnd + HEADER_SEPARATOR.byteLength));
            }
            data = data.slice(delimIndex + this.#delimiter.byteLength);
            this.#state = 1;
            continue;
          }
          if (data.byteLength < 2) {
            this.#carry = data;
            break;
          }
          if (data[0] === 45 && data[1] === 45) {
            this.#done = true;
            return parts;
          }
          if (data[0] === CRLF[0] && data[1] === CRLF[1]) {
            data = data.slice(2);
            this.#state = 2;
            continue;
          }
          throw new Error("Malformed multipart body: expected CRLF or closing delimiter after boundary");
        }
        return parts;
      }
      /** Append confirmed part bytes, coalescing small appends into staging blocks. */
      #appendToPart(bytes) {
        this.#partLength += bytes.byteLength;
        if (bytes.byteLength >= STAGING_BLOCK_SIZE) {
          this.#flushStaging();
          this.#partChunks.push(bytes);
          return;
        }
        let offset = 0;
        while (offset < bytes.byteLength) {
          if (!this.#staging) {
            this.#staging = new Uint8Array(STAGING_BLOCK_SIZE);
            this.#stagingLength = 0;
          }
          const toCopy = Math.min(STAGING_BLOCK_SIZE - this.#stagingLength, bytes.byteLength - offset);
          this.#staging.set(bytes.subarray(offset, offset + toCopy), this.#stagingLength);
          this.#stagingLength += toCopy;
          offset += toCopy;
          if (this.#stagingLength === STAGING_BLOCK_SIZE) {
            this.#partChunks.push(this.#staging);
            this.#staging = void 0;
          }
        }
      }
      #flushStaging() {
        if (this.#staging && this.#stagingLength > 0) {
          this.#partChunks.push(this.#staging.subarray(0, this.#stagingLength));
        }
        this.#staging = void 0;
        this.#stagingLength = 0;
      }
      /** Assemble and reset the in-progress part. Loop-based copy: the chunk count is unbounded-safe. */
      #takePart() {
        this.#flushStaging();
        const out = new Uint8Array(this.#partLength);
        let offset = 0;
        for (const chunk2 of this.#partChunks) {
          out.set(chunk2, offset);
          offset += chunk2.byteLength;
        }
        this.#partChunks = [];
        this.#partLength = 0;
        return out;
      }
    };
    GLOBAL_DISPATCHER_KEYS = [/* @__PURE__ */ Symbol.for("undici.globalDispatcher.2"), /* @__PURE__ */ Symbol.for("undici.globalDispatcher.1")];
    undiciHttp1Fetch = async (input, init) => {
      const dispatcher = await getHttp1Dispatcher();
      return dispatcher ? fetch(input, { ...init, dispatcher }) : fetch(input, init);
    };
    http1Fetch = hasH2Fetch() ? undiciHttp1Fetch : (input, init) => fetch(input, init);
    JWT_SAFETY_PERIOD = 6e4;
    JWT_CACHE_SIZE = 1e3;
    PARALLEL_DEFAULT_MAX_CONCURRENCY = isFrontend ? 4 : 8;
    PARALLEL_MIN_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
    PARALLEL_MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024;
    PARALLEL_CONTROLLER_TICK_MS = 500;
    PARALLEL_PROBE_KEEP_MARGIN = 1.05;
    PARALLEL_PLATEAU_HOLD_TICKS = 10;
    Notifier = class {
      #resolvers = [];
      wait() {
        return new Promise((resolve32) => this.#resolvers.push(resolve32));
      }
      notifyAll() {
        const resolvers = this.#resolvers;
        this.#resolvers = [];
        for (const resolve32 of resolvers) {
          resolve32();
        }
      }
    };
    compressionSchemeLabels = {
      [
        0
        /* None */
      ]: "None",
      [
        1
        /* LZ4 */
      ]: "LZ4",
      [
        2
        /* ByteGroupingLZ4 */
      ]: "ByteGroupingLZ4"
    };
    XET_CHUNK_HEADER_BYTES = 8;
    XetBlob = class extends Blob {
      fetch;
      accessToken;
      refreshUrl;
      reconstructionUrl;
      hash;
      start = 0;
      end = 0;
      internalLogging = false;
      reconstructionInfo;
      listener;
      parallelDownloads;
      constructor(params) {
        super([]);
        this.fetch = params.fetch ?? http1Fetch;
        this.accessToken = checkCredentials(params);
        this.refreshUrl = params.refreshUrl;
        this.end = params.size;
        this.reconstructionUrl = params.reconstructionUrl;
        this.hash = params.hash;
        this.listener = params.listener;
        this.internalLogging = params.internalLogging ?? false;
        this.parallelDownloads = params.parallelDownloads;
        if (params.readToken) {
          const key = cacheKey({ refreshUrl: this.refreshUrl, initialAccessToken: this.accessToken });
          jwts.set(key, {
            accessToken: params.readToken.accessToken,
            expiresAt: new Date(params.readToken.exp * 1e3),
            casUrl: params.readToken.casUrl
          });
        }
      }
      get size() {
        return this.end - this.start;
      }
      #clone() {
        const blob = new XetBlob({
          fetch: this.fetch,
          hash: this.hash,
          refreshUrl: this.refreshUrl,
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion
          reconstructionUrl: this.reconstructionUrl,
          size: this.size
        });
        blob.accessToken = this.accessToken;
        blob.start = this.start;
        blob.end = this.end;
        blob.reconstructionInfo = this.reconstructionInfo;
        blob.listener = this.listener;
        blob.internalLogging = this.internalLogging;
        blob.parallelDownloads = this.parallelDownloads;
        return blob;
      }
      slice(start = 0, end = this.size) {
        if (start < 0 || end < 0) {
          throw new TypeError("Unsupported negative start/end on XetBlob.slice");
        }
        const slice = this.#clone();
        slice.start = this.start + start;
        slice.end = Math.min(this.start + end, this.end);
        if (slice.start !== this.start || slice.end !== this.end) {
          slice.reconstructionInfo = void 0;
        }
        return slice;
      }
      #reconstructionInfoPromise;
      #loadReconstructionInfo() {
        if (this.#reconstructionInfoPromise) {
          return this.#reconstructionInfoPromise;
        }
        this.#reconstructionInfoPromise = (async () => {
          const connParams = await getAccessToken(this.accessToken, this.fetch, this.refreshUrl);
          const url = this.reconstructionUrl ? this.reconstructionUrl.replace("/v1/reconstructions/", "/v2/reconstructions/") : `${connParams.casUrl}/v2/reconstructions/${this.hash}`;
          const resp = await this.fetch(url, {
            headers: {
              Authorization: `Bearer ${connParams.accessToken}`,
              Range: `bytes=${this.start}-${this.end - 1}`
            }
          });
          if (!resp.ok) {
            throw await createApiError(resp);
          }
          this.reconstructionInfo = await resp.json();
          return this.reconstructionInfo;
        })().finally(() => this.#reconstructionInfoPromise = void 0);
        return this.#reconstructionInfoPromise;
      }
      async #fetch() {
        if (this.size === 0) {
          return new ReadableStream({
            start(controller) {
              controller.close();
            }
          });
        }
        if (!this.reconstructionInfo) {
          await this.#loadReconstructionInfo();
        }
        const rangeLists = /* @__PURE__ */ new Map();
        if (!this.reconstructionInfo) {
          throw new Error("Failed to load reconstruction info");
        }
        for (const term of this.reconstructionInfo.terms) {
          let rangeList = rangeLists.get(term.hash);
          if (!rangeList) {
            rangeList = new RangeList();
            rangeLists.set(term.hash, rangeList);
          }
          rangeList.add(term.range.start, term.range.end);
        }
        const listener = this.listener;
        const log = this.internalLogging ? (...args) => console.log(...args) : () => {
        };
        async function* readData(reconstructionInfo, customFetch, maxBytes, reloadReconstructionInfo) {
          let totalBytesRead = 0;
          let readBytesToSkip = reconstructionInfo.offset_into_first_range;
          for (const term of reconstructionInfo.terms) {
            if (totalBytesRead >= maxBytes) {
              break;
            }
            const rangeList = rangeLists.get(term.hash);
            if (!rangeList) {
              throw new Error(`Failed to find range list for term ${term.hash}`);
            }
            const locate = (info) => {
              for (const entry of info.xorbs[term.hash] ?? []) {
                const descriptor2 = entry.ranges.find(
                  (r) => r.chunks.start <= term.range.start && r.chunks.end >= term.range.end
                );
                if (descriptor2) {
                  return { entry, descriptor: descriptor2 };
                }
              }
              return void 0;
            };
            const buildMultiRangeHeader = (entry) => `bytes=${entry.ranges.map((r) => `${r.bytes.start}-${r.bytes.end}`).join(",")}`;
            const fetchMultiRangeEntry = async (entry) => {
              let resp2 = await customFetch(entry.url, { headers: { Range: buildMultiRangeHeader(entry) } });
              if (resp2.status === 403) {
                reconstructionInfo = await reloadReconstructionInfo();
                const relocated = locate(reconstructionInfo);
                if (!relocated) {
                  throw new Error(
                    `Failed to find fetch info for term ${term.hash} and range ${term.range.start}-${term.range.end} after refresh`
                  );
                }
                entry = relocated.entry;
                resp2 = await customFetch(entry.url, { headers: { Range: buildMultiRangeHeader(entry) } });
              }
              if (!resp2.ok) {
                throw await createApiError(resp2);
              }
              const contentType = resp2.headers.get("content-type") ?? "";
              if (!contentType.includes("multipart/byteranges")) {
                throw new Error(`Expected multipart/byteranges response for multi-range request, got "${contentType}"`);
              }
              const reader2 = resp2.body?.getReader();
              if (!reader2) {
                throw new Error("Failed to get reader from response body");
              }
              const parser = new StreamingMultipartParser(contentType);
              const stagedParts = [];
              let partIndex = 0;
              const consumeParts = (parts) => {
                for (const part of parts) {
                  const descriptor2 = entry.ranges[partIndex];
                  if (!descriptor2) {
                    throw new Error(`Received more multipart parts than the ${entry.ranges.length} signed ranges`);
                  }
                  stagedParts.push(decodePartChunks(part, descriptor2, rangeList));
                  partIndex++;
                }
              };
              try {
                for (; ; ) {
                  const result = await reader2.read();
                  listener?.({ event: "read" });
                  if (result.done) {
                    break;
                  }
                  if (result.value) {
                    consumeParts(parser.push(result.value));
                  }
                }
                consumeParts(parser.push());
              } finally {
                await reader2.cancel().catch(() => {
                });
              }
              if (partIndex !== entry.ranges.length) {
                throw new Error(
                  `Multi-range fetch produced ${partIndex} parts but expected ${entry.ranges.length} for term ${term.hash}`
                );
              }
              for (const staged of stagedParts) {
                commitChunks(staged);
              }
            };
            let termRanges = rangeList.getRanges(term.range.start, term.range.end);
            if (!termRanges.every((range2) => range2.data)) {
              const located2 = locate(reconstructionInfo);
              if (!located2) {
                throw new Error(
                  `Failed to find fetch info for term ${term.hash} and range ${term.range.start}-${term.range.end}`
                );
              }
              if (located2.entry.ranges.length > 1) {
                await fetchMultiRangeEntry(located2.entry);
                termRanges = rangeList.getRanges(term.range.start, term.range.end);
              }
            }
            {
              if (termRanges.every((range2) => range2.data)) {
                log("all data available for term", term.hash, readBytesToSkip);
                const cachedLength = sum(termRanges.map((range2) => sum(range2.data.map((chunk2) => chunk2.byteLength))));
                if (cachedLength !== term.unpacked_length) {
                  throw new Error(
                    `Term ${term.hash} range ${term.range.start}-${term.range.end} decoded to ${cachedLength} bytes, expected ${term.unpacked_length}`
                  );
                }
                rangeLoop:
                  for (const range2 of termRanges) {
                    for (let chunk2 of range2.data) {
                      if (readBytesToSkip) {
                        const skipped = Math.min(readBytesToSkip, chunk2.byteLength);
                        chunk2 = chunk2.slice(skipped);
                        readBytesToSkip -= skipped;
                        if (!chunk2.byteLength) {
                          continue;
                        }
                      }
                      if (chunk2.byteLength > maxBytes - totalBytesRead) {
                        chunk2 = chunk2.slice(0, maxBytes - totalBytesRead);
                      }
                      totalBytesRead += chunk2.byteLength;
                      yield range2.refCount > 1 ? chunk2.slice() : chunk2;
                      listener?.({ event: "progress", progress: { read: totalBytesRead, total: maxBytes } });
                      if (totalBytesRead >= maxBytes) {
                        break rangeLoop;
                      }
                    }
                  }
                rangeList.remove(term.range.start, term.range.end);
                continue;
              }
            }
            let located = locate(reconstructionInfo);
            if (!located) {
              throw new Error(
                `Failed to find fetch info for term ${term.hash} and range ${term.range.start}-${term.range.end}`
              );
            }
            let descriptor = located.descriptor;
            log("term", term);
            log("descriptor", descriptor);
            log("readBytesToSkip", readBytesToSkip);
            let resp = await customFetch(located.entry.url, {
              headers: {
                Range: `bytes=${descriptor.bytes.start}-${descriptor.bytes.end}`
              }
            });
            if (resp.status === 403) {
              reconstructionInfo = await reloadReconstructionInfo();
              located = locate(reconstructionInfo);
              if (!located) {
                throw new Error(
                  `Failed to find fetch info for term ${term.hash} and range ${term.range.start}-${term.range.end} after refresh`
                );
              }
              descriptor = located.descriptor;
              resp = await customFetch(located.entry.url, {
                headers: {
                  Range: `bytes=${descriptor.bytes.start}-${descriptor.bytes.end}`
                }
              });
            }
            if (!resp.ok) {
              throw await createApiError(resp);
            }
            log(
              "expected content length",
              resp.headers.get("content-length"),
              "range",
              descriptor.bytes,
              resp.headers.get("content-range")
            );
            const reader = resp.body?.getReader();
            if (!reader) {
              throw new Error("Failed to get reader from response body");
            }
            let done = false;
            let chunkIndex = descriptor.chunks.start;
            const ranges = rangeList.getRanges(descriptor.chunks.start, descriptor.chunks.end);
            let leftoverBytes = void 0;
            let totalFetchBytes = 0;
            fetchData:
              while (!done && totalBytesRead < maxBytes) {
                const result = await reader.read();
                listener?.({ event: "read" });
                done = result.done;
                log("read", result.value?.byteLength, "bytes", "total read", totalBytesRead, "toSkip", readBytesToSkip);
                if (!result.value) {
                  log("no data in result, cancelled", result);
                  continue;
                }
                totalFetchBytes += result.value.byteLength;
                if (leftoverBytes) {
                  result.value = combineUint8Arrays(leftoverBytes, result.value);
                  leftoverBytes = void 0;
                }
                while (totalBytesRead < maxBytes && result.value?.byteLength) {
                  if (result.value.byteLength < 8) {
                    leftoverBytes = result.value;
                    continue fetchData;
                  }
                  const header = new DataView(result.value.buffer, result.value.byteOffset, XET_CHUNK_HEADER_BYTES);
                  const chunkHeader = parseChunkHeader(header);
                  log("chunk header", chunkHeader, "to skip", readBytesToSkip);
                  if (result.value.byteLength < chunkHeader.compressed_length + XET_CHUNK_HEADER_BYTES) {
                    leftoverBytes = result.value;
                    continue fetchData;
                  }
                  result.value = result.value.slice(XET_CHUNK_HEADER_BYTES);
                  let uncompressed = decompressChunk(chunkHeader, result.value.subarray(0, chunkHeader.compressed_length));
                  const range2 = ranges.find((range3) => chunkIndex >= range3.start && chunkIndex < range3.end);
                  const shouldYield = chunkIndex >= term.range.start && chunkIndex < term.range.end;
                  const minRefCountToStore = shouldYield ? 2 : 1;
                  let stored = false;
                  if (range2 && range2.refCount >= minRefCountToStore) {
                    range2.data ??= [];
                    range2.data.push(uncompressed);
                    stored = true;
                  }
                  if (shouldYield) {
                    if (readBytesToSkip) {
                      const skipped = Math.min(readBytesToSkip, uncompressed.byteLength);
                      uncompressed = uncompressed.slice(readBytesToSkip);
                      readBytesToSkip -= skipped;
                    }
                    if (uncompressed.byteLength > maxBytes - totalBytesRead) {
                      uncompressed = uncompressed.slice(0, maxBytes - totalBytesRead);
                    }
                    if (uncompressed.byteLength) {
                      log(
                        "yield",
                        uncompressed.byteLength,
                        "bytes",
                        result.value.byteLength,
                        "total read",
                        totalBytesRead,
                        stored
                      );
                      totalBytesRead += uncompressed.byteLength;
                      yield stored ? uncompressed.slice() : uncompressed;
                      listener?.({ event: "progress", progress: { read: totalBytesRead, total: maxBytes } });
                    }
                  }
                  chunkIndex++;
                  result.value = result.value.slice(chunkHeader.compressed_length);
                }
              }
            if (done && totalBytesRead < maxBytes && totalFetchBytes < descriptor.bytes.end - descriptor.bytes.start + 1) {
              log("done", done, "total read", totalBytesRead, maxBytes, totalFetchBytes);
              log("failed to fetch all data for term", term.hash);
              throw new Error(
                `Failed to fetch all data for term ${term.hash}, fetched ${totalFetchBytes} bytes out of ${descriptor.bytes.end - descriptor.bytes.start + 1}`
              );
            }
            log("done", done, "total read", totalBytesRead, maxBytes, totalFetchBytes);
            log("cancel reader");
            await reader.cancel();
          }
        }
        const parallelOptions = this.parallelDownloads === false ? void 0 : this.parallelDownloads === true || this.parallelDownloads === void 0 ? {} : this.parallelDownloads;
        async function* readDataParallel(reconstructionInfo, customFetch, maxBytes, reloadReconstructionInfo, opts) {
          let totalBytesRead = 0;
          let readBytesToSkip = reconstructionInfo.offset_into_first_range;
          const terms = reconstructionInfo.terms;
          const locateEntryFor = (info, term) => {
            for (const entry of info.xorbs[term.hash] ?? []) {
              const descriptor = entry.ranges.find(
                (r) => r.chunks.start <= term.range.start && r.chunks.end >= term.range.end
              );
              if (descriptor) {
                return entry;
              }
            }
            return void 0;
          };
          const plan = [];
          const planIndexByUrl = /* @__PURE__ */ new Map();
          const termEntryIndex = [];
          for (const term of terms) {
            const entry = locateEntryFor(reconstructionInfo, term);
            if (!entry) {
              throw new Error(
                `Failed to find fetch info for term ${term.hash} and range ${term.range.start}-${term.range.end}`
              );
            }
            let idx = planIndexByUrl.get(entry.url);
            if (idx === void 0) {
              idx = plan.length;
              plan.push({ hash: term.hash, ranges: entry.ranges, url: entry.url });
              planIndexByUrl.set(entry.url, idx);
            }
            termEntryIndex.push(idx);
          }
          const maxConcurrency = Math.max(1, opts.maxConcurrency ?? PARALLEL_DEFAULT_MAX_CONCURRENCY);
          const estimateEntryBytes = (item) => sum(item.ranges.map((r) => r.bytes.end - r.bytes.start + 1));
          const largestEntryBytes = plan.length ? Math.max(...plan.map(estimateEntryBytes)) : 0;
          const maxInFlightBytes = opts.maxInFlightBytes ?? Math.min(PARALLEL_MAX_IN_FLIGHT_BYTES, Math.max(PARALLEL_MIN_IN_FLIGHT_BYTES, 3 * largestEntryBytes));
          const state = {
            nextEntry: 0,
            neededEntry: 0,
            target: 1,
            error: void 0,
            finished: false,
            inFlightBytes: 0,
            decodedBytes: 0,
            active: 0,
            claimed: 0,
            maxActive: 0,
            activeHighWater: 0,
            count429: 0,
            targetHistory: []
          };
          const notifier = new Notifier();
          const budgetAcquire = async (n, entryIdx) => {
            while (!state.error && !state.finished && state.inFlightBytes + n > maxInFlightBytes && entryIdx !== state.neededEntry) {
              await notifier.wait();
            }
            state.inFlightBytes += n;
          };
          const budgetRelease = (n) => {
            state.inFlightBytes -= n;
            notifier.notifyAll();
          };
          const refreshPlanUrls = (info) => {
            for (const item of plan) {
              const match = (info.xorbs[item.hash] ?? []).find(
                (e) => e.ranges.length === item.ranges.length && e.ranges.every(
                  (r, i) => r.chunks.start === item.ranges[i].chunks.start && r.chunks.end === item.ranges[i].chunks.end
                )
              );
              if (match) {
                item.url = match.url;
                item.ranges = match.ranges;
              }
            }
          };
          const rangeHeaderFor = (item) => `bytes=${item.ranges.map((r) => `${r.bytes.start}-${r.bytes.end}`).join(",")}`;
          const decodeEntry = async (item, entryIdx, tally) => {
            if (state.error || state.finished) {
              return;
            }
            const rangeList = rangeLists.get(item.hash);
            if (!rangeList) {
              throw new Error(`Failed to find range list for entry ${item.hash}`);
            }
            let resp = await customFetch(item.url, { headers: { Range: rangeHeaderFor(item) } });
            let attempts403 = 0;
            let attempts429 = 0;
            while (resp.status === 403 && attempts403 < 1 || resp.status === 429 && attempts429 < 3) {
              await resp.body?.cancel().catch(() => {
              });
              if (resp.status === 403) {
                attempts403++;
                reconstructionInfo = await reloadReconstructionInfo();
                refreshPlanUrls(reconstructionInfo);
              } else {
                attempts429++;
                state.count429++;
                notifier.notifyAll();
                await delay(300 * attempts429);
              }
              resp = await customFetch(item.url, { headers: { Range: rangeHeaderFor(item) } });
            }
            if (!resp.ok) {
              throw await createApiError(resp);
            }
            const reader = resp.body?.getReader();
            if (!reader) {
              throw new Error("Failed to get reader from response body");
            }
            try {
              if (item.ranges.length > 1) {
                const contentType = resp.headers.get("content-type") ?? "";
                if (!contentType.includes("multipart/byteranges")) {
                  throw new Error(`Expected multipart/byteranges response for multi-range request, got "${contentType}"`);
                }
                const parser = new StreamingMultipartParser(contentType);
                let partIndex = 0;
                const handleParts = async (parts) => {
                  for (const part of parts) {
                    const descriptor = item.ranges[partIndex];
                    if (!descriptor) {
                      throw new Error(`Received more multipart parts than the ${item.ranges.length} signed ranges`);
                    }
                    const staged = decodePartChunks(part, descriptor, rangeList);
                    tally.committed += commitChunks(staged);
                    state.decodedBytes += part.byteLength;
                    partIndex++;
                    notifier.notifyAll();
                  }
                };
                for (; ; ) {
                  if (state.error || state.finished) {
                    return;
                  }
                  const result = await reader.read();
                  listener?.({ event: "read" });
                  if (result.done) {
                    break;
                  }
                  if (result.value) {
                    await handleParts(parser.push(result.value));
                  }
                }
                await handleParts(parser.push());
                if (!state.finished && partIndex !== item.ranges.length) {
                  throw new Error(
                    `Multi-range fetch produced ${partIndex} parts but expected ${item.ranges.length} for ${item.hash}`
                  );
                }
              } else {
                const descriptor = item.ranges[0];
                const ranges = rangeList.getRanges(descriptor.chunks.start, descriptor.chunks.end);
                const staged = /* @__PURE__ */ new Map();
                let chunkIndex = descriptor.chunks.start;
                let leftover;
                let done = false;
                while (!done) {
                  if (state.error || state.finished) {
                    return;
                  }
                  const result = await reader.read();
                  listener?.({ event: "read" });
                  done = result.done;
                  let value = result.value;
                  if (!value) {
                    continue;
                  }
                  if (leftover) {
                    value = combineUint8Arrays(leftover, value);
                    leftover = void 0;
                  }
                  while (value.byteLength) {
                    if (value.byteLength < XET_CHUNK_HEADER_BYTES) {
                      leftover = value;
                      break;
                    }
                    const chunkHeader = parseChunkHeader(
                      new DataView(value.buffer, value.byteOffset, XET_CHUNK_HEADER_BYTES)
                    );
                    if (value.byteLength < XET_CHUNK_HEADER_BYTES + chunkHeader.compressed_length) {
                      leftover = value;
                      break;
                    }
                    const uncompressed = decompressChunk(
                      chunkHeader,
                      value.subarray(XET_CHUNK_HEADER_BYTES, XET_CHUNK_HEADER_BYTES + chunkHeader.compressed_length)
                    );
                    const range2 = ranges.find((r) => chunkIndex >= r.start && chunkIndex < r.end);
                    if (range2) {
                      let chunks = staged.get(range2);
                      if (!chunks) {
                        chunks = [];
                        staged.set(range2, chunks);
                      }
                      chunks.push(uncompressed);
                      if (chunkIndex === range2.end - 1 && !range2.data) {
                        range2.data = chunks;
                        tally.committed += sum(chunks.map((chunk2) => chunk2.byteLength));
                        notifier.notifyAll();
                      }
                    }
                    state.decodedBytes += uncompressed.byteLength;
                    chunkIndex++;
                    value = value.slice(XET_CHUNK_HEADER_BYTES + chunkHeader.compressed_length);
                  }
                }
                if (!state.finished) {
                  for (const range2 of ranges) {
                    if (!range2.data) {
                      throw new Error(
                        `Failed to fetch all data for ${item.hash} chunks ${range2.start}-${range2.end} (stream ended early)`
                      );
                    }
                  }
                }
              }
            } finally {
              await reader.cancel().catch(() => {
              });
            }
          };
          const isTransientNetworkError = (error) => error instanceof TypeError || /terminated|socket|network|ECONNRESET|fetch failed/i.test(String(error));
          const runWorker = async (workerId) => {
            for (; ; ) {
              if (state.error || state.finished) {
                return;
              }
              if (workerId >= state.target) {
                await notifier.wait();
                continue;
              }
              const idx = state.nextEntry;
              if (idx >= plan.length) {
                return;
              }
              state.nextEntry++;
              state.claimed++;
              const est = estimateEntryBytes(plan[idx]);
              try {
                await budgetAcquire(est, idx);
                if (state.error || state.finished) {
                  budgetRelease(est);
                  return;
                }
                state.active++;
                state.maxActive = Math.max(state.maxActive, state.active);
                state.activeHighWater = Math.max(state.activeHighWater, state.active);
                let lastError;
                const tally = { committed: 0 };
                for (let attempt = 0; attempt < 2; attempt++) {
                  try {
                    await decodeEntry(plan[idx], idx, tally);
                    budgetRelease(est - tally.committed);
                    lastError = void 0;
                    break;
                  } catch (error) {
                    lastError = error;
                    if (attempt === 0 && !state.finished && isTransientNetworkError(error)) {
                      log("retrying entry after transient error", plan[idx].hash, error);
                      await delay(250);
                      continue;
                    }
                  }
                }
                if (lastError) {
                  budgetRelease(est);
                  state.error ??= lastError;
                }
                state.active--;
              } finally {
                state.claimed--;
                notifier.notifyAll();
              }
            }
          };
          const workersDone = Promise.allSettled(Array.from({ length: maxConcurrency }, (_, i) => runWorker(i)));
          const levelRate = /* @__PURE__ */ new Map();
          let lastBytes = 0;
          let last429 = 0;
          let settleTicks = 1;
          let holdTicks = 0;
          const controller = setInterval(() => {
            const rate = state.decodedBytes - lastBytes;
            lastBytes = state.decodedBytes;
            const tickHighWater = state.activeHighWater;
            state.activeHighWater = state.active;
            holdTicks = Math.max(0, holdTicks - 1);
            if (state.count429 > last429) {
              last429 = state.count429;
              state.target = Math.max(1, state.target - 1);
              settleTicks = 1;
              holdTicks = PARALLEL_PLATEAU_HOLD_TICKS;
            } else if (rate === 0 && state.nextEntry < plan.length) {
              state.target = Math.min(maxConcurrency, state.target + 1);
              settleTicks = 1;
            } else if (settleTicks > 0) {
              settleTicks--;
            } else if (state.claimed >= state.target && tickHighWater <= state.target) {
              const ewma = ((levelRate.get(state.target) ?? rate) + rate) / 2;
              levelRate.set(state.target, ewma);
              const below = levelRate.get(state.target - 1);
              if (state.target > 1 && below === void 0) {
                state.target--;
                settleTicks = 1;
              } else if (below !== void 0 && ewma < below * PARALLEL_PROBE_KEEP_MARGIN) {
                levelRate.delete(state.target);
                state.target--;
                settleTicks = 1;
                holdTicks = PARALLEL_PLATEAU_HOLD_TICKS;
              } else if (holdTicks === 0 && state.target < maxConcurrency) {
                state.target++;
                settleTicks = 1;
              }
            }
            state.targetHistory.push(state.target);
            notifier.notifyAll();
          }, opts.controllerTickMs ?? PARALLEL_CONTROLLER_TICK_MS);
          try {
            for (let termIdx = 0; termIdx < terms.length; termIdx++) {
              const term = terms[termIdx];
              if (totalBytesRead >= maxBytes) {
                break;
              }
              state.neededEntry = termEntryIndex[termIdx];
              notifier.notifyAll();
              const rangeList = rangeLists.get(term.hash);
              if (!rangeList) {
                throw new Error(`Failed to find range list for term ${term.hash}`);
              }
              let termRanges = rangeList.getRanges(term.range.start, term.range.end);
              while (!termRanges.every((range2) => range2.data)) {
                if (state.error) {
                  throw state.error;
                }
                if (state.claimed === 0 && state.nextEntry >= plan.length) {
                  throw new Error(
                    `Download workers finished without producing data for term ${term.hash} range ${term.range.start}-${term.range.end}`
                  );
                }
                await notifier.wait();
                termRanges = rangeList.getRanges(term.range.start, term.range.end);
              }
              log("all data available for term", term.hash, readBytesToSkip);
              const cachedLength = sum(termRanges.map((range2) => sum(range2.data.map((chunk2) => chunk2.byteLength))));
              if (cachedLength !== term.unpacked_length) {
                throw new Error(
                  `Term ${term.hash} range ${term.range.start}-${term.range.end} decoded to ${cachedLength} bytes, expected ${term.unpacked_length}`
                );
              }
              rangeLoop:
                for (const range2 of termRanges) {
                  for (let chunk2 of range2.data) {
                    if (readBytesToSkip) {
                      const skipped = Math.min(readBytesToSkip, chunk2.byteLength);
                      chunk2 = chunk2.slice(skipped);
                      readBytesToSkip -= skipped;
                      if (!chunk2.byteLength) {
                        continue;
                      }
                    }
                    if (chunk2.byteLength > maxBytes - totalBytesRead) {
                      chunk2 = chunk2.slice(0, maxBytes - totalBytesRead);
                    }
                    totalBytesRead += chunk2.byteLength;
                    yield range2.refCount > 1 ? chunk2.slice() : chunk2;
                    listener?.({ event: "progress", progress: { read: totalBytesRead, total: maxBytes } });
                    if (totalBytesRead >= maxBytes) {
                      break rangeLoop;
                    }
                  }
                }
              let freed = 0;
              for (const range2 of termRanges) {
                if (range2.refCount === 1 && range2.data) {
                  freed += sum(range2.data.map((chunk2) => chunk2.byteLength));
                }
              }
              rangeList.remove(term.range.start, term.range.end);
              budgetRelease(freed);
            }
          } finally {
            state.finished = true;
            clearInterval(controller);
            notifier.notifyAll();
            await workersDone;
            opts.onStat?.({
              entries: plan.length,
              maxActive: state.maxActive,
              finalTarget: state.target,
              count429: state.count429,
              targetHistory: state.targetHistory
            });
          }
        }
        const iterator = parallelOptions && (parallelOptions.maxConcurrency ?? PARALLEL_DEFAULT_MAX_CONCURRENCY) > 1 ? readDataParallel(
          this.reconstructionInfo,
          this.fetch,
          this.end - this.start,
          this.#loadReconstructionInfo.bind(this),
          parallelOptions
        ) : readData(this.reconstructionInfo, this.fetch, this.end - this.start, this.#loadReconstructionInfo.bind(this));
        return new ReadableStream(
          {
            // todo: when Safari supports it, type controller as ReadableByteStreamController
            async pull(controller) {
              const result = await iterator.next();
              if (result.value) {
                controller.enqueue(result.value);
              }
              if (result.done) {
                controller.close();
              }
            },
            async cancel() {
              await iterator.return?.(void 0);
            },
            type: "bytes"
            // todo: when Safari supports it, add autoAllocateChunkSize param
          },
          // todo : use ByteLengthQueuingStrategy when there's good support for it, currently in Node.js it fails due to size being a function
          {
            highWaterMark: 1e3
            // 1_000 chunks for ~1MB of RAM
          }
        );
      }
      async arrayBuffer() {
        const reader = (await this.#fetch()).getReader();
        const chunks = [];
        for (; ; ) {
          const { done, value } = await reader.read();
          if (done) {
            break;
          }
          chunks.push(value);
        }
        return concatUint8Arrays(chunks).buffer;
      }
      async text() {
        return new TextDecoder().decode(await this.arrayBuffer());
      }
      async response() {
        const result = await this.#fetch();
        return new Response(result);
      }
      stream() {
        const stream = new TransformStream();
        this.#fetch().then((response) => response.pipeThrough(stream)).catch((error) => stream.writable.abort(error.message));
        return stream.readable;
      }
    };
    jwtPromises = /* @__PURE__ */ new Map();
    jwts = /* @__PURE__ */ new Map();
    WebBlob = class extends Blob {
      static async create(url, opts) {
        const customFetch = opts?.fetch ?? fetch;
        const probe = await customFetch(url, {
          headers: {
            Range: "bytes=0-0",
            ...opts?.accessToken && { Authorization: `Bearer ${opts.accessToken}` }
          }
        });
        if (!probe.ok) {
          throw await createApiError(probe);
        }
        const contentType = probe.headers.get("content-type") || "";
        if (probe.status === 206) {
          const totalSize = Number(probe.headers.get("content-range")?.split("/").pop());
          await probe.body?.cancel();
          if (Number.isFinite(totalSize) && totalSize >= (opts?.cacheBelow ?? 1e6)) {
            return new WebBlob(url, 0, totalSize, contentType, true, customFetch, opts?.accessToken);
          }
          const full = await customFetch(url, {
            ...opts?.accessToken && { headers: { Authorization: `Bearer ${opts.accessToken}` } }
          });
          if (!full.ok) {
            throw await createApiError(full);
          }
          return full.blob();
        }
        return probe.blob();
      }
      url;
      start;
      end;
      contentType;
      full;
      fetch;
      accessToken;
      constructor(url, start, end, contentType, full, customFetch, accessToken) {
        super([]);
        this.url = url;
        this.start = start;
        this.end = end;
        this.contentType = contentType;
        this.full = full;
        this.fetch = customFetch;
        this.accessToken = accessToken;
      }
      get size() {
        return this.end - this.start;
      }
      get type() {
        return this.contentType;
      }
      slice(start = 0, end = this.size) {
        if (start < 0 || end < 0) {
          throw new TypeError("Unsupported negative start/end on WebBlob.slice");
        }
        const slice = new WebBlob(
          this.url,
          this.start + start,
          Math.min(this.start + end, this.end),
          this.contentType,
          start === 0 && end === this.size ? this.full : false,
          this.fetch,
          this.accessToken
        );
        return slice;
      }
      async arrayBuffer() {
        const result = await this.fetchRange();
        return result.arrayBuffer();
      }
      async text() {
        const result = await this.fetchRange();
        return result.text();
      }
      stream() {
        const stream = new TransformStream();
        this.fetchRange().then((response) => response.body?.pipeThrough(stream)).catch((error) => stream.writable.abort(error.message));
        return stream.readable;
      }
      fetchRange() {
        const fetch2 = this.fetch;
        if (this.full) {
          return fetch2(this.url, {
            ...this.accessToken && {
              headers: {
                Authorization: `Bearer ${this.accessToken}`
              }
            }
          }).then((resp) => resp.ok ? resp : createApiError(resp));
        }
        return fetch2(this.url, {
          headers: {
            Range: `bytes=${this.start}-${this.end - 1}`,
            ...this.accessToken && { Authorization: `Bearer ${this.accessToken}` }
          }
        }).then((resp) => resp.ok ? resp : createApiError(resp));
      }
    };
    HASH_LENGTH = 32;
    XORB_HASH_BOOKEND = "ff".repeat(HASH_LENGTH);
    ZERO_KEY2 = new Uint8Array(32);
    TARGET_CHUNK_SIZE2 = 64 * 1024;
    MAX_CHUNK_SIZE = 2 * TARGET_CHUNK_SIZE2;
    XORB_SIZE = 64 * 1024 * 1024;
    MAX_XORB_CHUNKS = 8 * 1024;
    PROCESSING_PROGRESS_RATIO = 0.1;
    UPLOADING_PROGRESS_RATIO = 1 - PROCESSING_PROGRESS_RATIO;
    SHARD_MAX_SIZE = 64 * 1024 * 1024;
    SHARD_MAGIC_TAG = new Uint8Array([
      "H".charCodeAt(0),
      "F".charCodeAt(0),
      "R".charCodeAt(0),
      "e".charCodeAt(0),
      "p".charCodeAt(0),
      "o".charCodeAt(0),
      "M".charCodeAt(0),
      "e".charCodeAt(0),
      "t".charCodeAt(0),
      "a".charCodeAt(0),
      "D".charCodeAt(0),
      "a".charCodeAt(0),
      "t".charCodeAt(0),
      "a".charCodeAt(0),
      0,
      85,
      105,
      103,
      69,
      106,
      123,
      129,
      87,
      131,
      165,
      189,
      217,
      92,
      205,
      209,
      74,
      169
    ]);
    REGEX_COMMIT_HASH = new RegExp("^[0-9a-f]{40}$");
    MODEL_EXPAND_KEYS = [
      "pipeline_tag",
      "private",
      "gated",
      "downloads",
      "likes",
      "lastModified"
    ];
    MODEL_DERIVED_FIELD_TO_API_KEY = {
      filePaths: "siblings"
    };
    JsonStreamParseError = class extends Error {
      constructor(message) {
        super(message);
        this.name = "JsonStreamParseError";
      }
    };
    DEFAULT_MAX_TOKEN_LENGTH = 16e6;
    DEFAULT_MAX_DEPTH = 1e3;
    S_VALUE = 0;
    S_VALUE_OR_ARRAY_END = 1;
    S_STRING = 2;
    S_STRING_ESCAPE = 3;
    S_STRING_UNICODE = 4;
    S_NUMBER = 5;
    S_LITERAL = 6;
    S_AFTER_VALUE = 7;
    S_KEY = 8;
    S_KEY_OR_OBJECT_END = 9;
    S_AFTER_KEY = 10;
    S_DONE = 11;
    ESCAPES = {
      '"': '"',
      "\\": "\\",
      "/": "/",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "	"
    };
    SafetensorsIndexParseError = class extends Error {
      constructor(message) {
        super(message);
        this.name = "SafetensorsIndexParseError";
      }
    };
    MAX_INDEX_BYTES = 25e7;
    MAX_WEIGHT_MAP_ENTRIES = 2e5;
    MAX_METADATA_ENTRIES = 1e3;
    MAX_TOKEN_LENGTH = 1e5;
    MAX_DEPTH2 = 64;
    MAX_RETAINED_CHARS = 4e6;
    MAX_WEIGHT_MAP_CHARS = 24e6;
    SAFETENSORS_FILE = "model.safetensors";
    SAFETENSORS_INDEX_FILE = "model.safetensors.index.json";
    DIFFUSERS_SAFETENSORS_FILE = "diffusion_pytorch_model.safetensors";
    DIFFUSERS_SAFETENSORS_INDEX_FILE = "diffusion_pytorch_model.safetensors.index.json";
    DIFFUSERS_WEIGHTS_SUBFOLDERS = ["transformer", "unet"];
    RE_SAFETENSORS_FILE = /\.safetensors$/;
    RE_SAFETENSORS_INDEX_FILE = /\.safetensors\.index\.json$/;
    PARALLEL_DOWNLOADS = 20;
    MAX_HEADER_LENGTH = 25e6;
    MAX_CONFIG_LENGTH = 1e7;
    MAX_SHARD_COUNT = 1e4;
    MAX_TENSOR_DIM = 2 ** 32;
    GPTQ_QWEIGHT_SUFFIX = "qweight";
    GPTQ_AWQ_AUXILIARY_SUFFIXES = ["qzeros", "g_idx", "scales"];
    MLX_QUANTIZATION_METHOD = "mlx";
    MLX_QUANTIZATION_MODES = /* @__PURE__ */ new Set(["affine", "mxfp4", "nvfp4", "mxfp8"]);
    MLX_AFFINE_BITS = /* @__PURE__ */ new Set([2, 3, 4, 5, 6, 8]);
    MLX_AFFINE_GROUP_SIZES = /* @__PURE__ */ new Set([32, 64, 128]);
    QUANTIZATION_AUXILIARY_SUFFIXES = [
      // NB: a bare `.scale` / `.scales` is deliberately absent — some architectures have *learnable*
      // scale parameters under that name, and dropping those would undercount. The block scales that
      // do use it (e.g. DeepSeek-V4's `attn.wkv.scale`) are caught by SCALE_ONLY_DTYPES instead,
      // and GPTQ/AWQ `scales` is already handled by the gptq/awq branch below.
      "weight_scale",
      "weight_scale_inv",
      "weight_scale_2",
      "weight_global_scale",
      "weight_zero_point",
      "input_scale",
      "input_global_scale",
      "input_zero_point",
      "zero_point",
      // compressed-tensors records each packed tensor's logical shape alongside it; it's a 2-element
      // I32 tensor, so it was not only counted but multiplied by the packing factor.
      "weight_shape",
      // Activation-ordering permutation indices, emitted by the pack-quantized compressor whenever
      // `actorder: "group"`. One I32 index per input column, so — like `weight_shape` — it was both
      // counted and scaled by the packing factor.
      "weight_g_idx"
    ];
    MXFP4_SCALES_SUFFIX = "_scales";
    BITSANDBYTES_AUXILIARY_SUFFIXES = ["absmax", "quant_map", "nested_absmax", "nested_quant_map"];
    BITSANDBYTES_QUANT_STATE_PREFIX = "bitsandbytes__";
    SCALE_ONLY_DTYPES = /* @__PURE__ */ new Set(["F8_E8M0", "E8M0", "UE8"]);
    INTEGER_CONTAINER_BITS = {
      U8: 8,
      I8: 8,
      U16: 16,
      I16: 16,
      U32: 32,
      I32: 32
    };
    SUB_BYTE_FORMAT_BITS = [
      ["nvfp4", 4],
      ["mxfp4", 4],
      ["fp4", 4],
      ["int4", 4],
      ["uint4", 4],
      ["nf4", 4],
      ["int2", 2]
    ];
    SafetensorParseError = class extends Error {
      constructor(message) {
        super(message);
        this.name = "SafetensorParseError";
      }
    };
    LIBRARY_WEIGHT_CANDIDATES = {
      // diffusers keeps the main module (the diffusion transformer / U-Net) under a subfolder,
      // or at the repo root for single-component repos (ControlNets, standalone VAEs). This matches
      // how a diffusion model's size is conventionally reported: the diffusion transformer / U-Net,
      // not the sum of VAE + text encoders.
      diffusers: [
        ...DIFFUSERS_WEIGHTS_SUBFOLDERS.map((folder) => ({
          single: `${folder}/${DIFFUSERS_SAFETENSORS_FILE}`,
          index: `${folder}/${DIFFUSERS_SAFETENSORS_INDEX_FILE}`
        })),
        { single: DIFFUSERS_SAFETENSORS_FILE, index: DIFFUSERS_SAFETENSORS_INDEX_FILE }
      ]
    };
    MLX_MODE_DEFAULTS = {
      affine: { bits: 4, groupSize: 64 },
      mxfp4: { bits: 4, groupSize: 32 },
      nvfp4: { bits: 4, groupSize: 16 },
      mxfp8: { bits: 8, groupSize: 32 }
    };
  }
});

// node_modules/@huggingface/hub/dist/chunk-FFYIGW52.mjs
var init_chunk_FFYIGW52 = __esm({
  "node_modules/@huggingface/hub/dist/chunk-FFYIGW52.mjs"() {
  }
});

// node_modules/@huggingface/hub/dist/index.mjs
var init_dist = __esm({
  "node_modules/@huggingface/hub/dist/index.mjs"() {
    init_chunk_AXSL4LYE();
    init_chunk_FFYIGW52();
  }
});

// src/formats/http-source.ts
function parseRetryAfter(value) {
  if (value === null || value.trim() === "") return void 0;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return s * 1e3;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : void 0;
}
function parseContentRange(value) {
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? "");
  if (!m) return void 0;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === "*" ? void 0 : Number(m[3]) };
}
function describeNetworkError(err2) {
  const e = err2;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err2);
}
function fmtSeconds(ms) {
  return ms >= 1e3 ? `${+(ms / 1e3).toFixed(1)} s` : `${ms} ms`;
}
function redact(url) {
  const i = url.indexOf("?");
  return i < 0 ? url : `${url.slice(0, i)}?…`;
}
function weak(etag) {
  return etag.startsWith("W/");
}
function sameEtag(a, b) {
  return a.replace(/^W\//, "") === b.replace(/^W\//, "");
}
var DEFAULT_HTTP_CHUNK, Transient, StaleLocation, sleepReal, HttpClient, BodyTooLarge, Missing, HttpRangeSource;
var init_http_source = __esm({
  "src/formats/http-source.ts"() {
    "use strict";
    init_errors();
    DEFAULT_HTTP_CHUNK = 8 * 1024 * 1024;
    Transient = class extends Error {
      constructor(reason, retryAfterMs) {
        super(reason);
        this.reason = reason;
        this.retryAfterMs = retryAfterMs;
      }
      reason;
      retryAfterMs;
    };
    StaleLocation = class extends Error {
      constructor(status) {
        super(`HTTP ${status} from the download host`);
        this.status = status;
      }
      status;
    };
    sleepReal = (ms) => new Promise((r) => setTimeout(r, ms));
    HttpClient = class {
      opts;
      active = 0;
      waiting = [];
      constructor(options = {}) {
        this.opts = {
          fetch: options.fetch ?? globalThis.fetch,
          accessToken: options.accessToken,
          tokenOrigin: options.tokenOrigin,
          attempts: options.attempts ?? 6,
          timeoutMs: options.timeoutMs ?? 3e4,
          backoffMs: options.backoffMs ?? 500,
          maxBackoffMs: options.maxBackoffMs ?? 3e4,
          maxRetryAfterMs: options.maxRetryAfterMs ?? 12e4,
          concurrency: options.concurrency ?? 16,
          maxRedirects: options.maxRedirects ?? 5,
          sleep: options.sleep ?? sleepReal,
          random: options.random ?? Math.random,
          onRetry: options.onRetry
        };
      }
      /** One logical request: retried on 429/5xx/timeouts/dropped connections, never on bad data. */
      async request(url, req) {
        const { attempts } = this.opts;
        let last;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          await this.acquire();
          try {
            return await this.attempt(url, req);
          } catch (err2) {
            if (!(err2 instanceof Transient)) throw err2;
            last = err2;
          } finally {
            this.release();
          }
          if (attempt === attempts) break;
          if (last.retryAfterMs !== void 0 && last.retryAfterMs > this.opts.maxRetryAfterMs) {
            throw new InputError(req.id, `${last.reason}: the server asks to wait ${Math.ceil(last.retryAfterMs / 1e3)} s, more than the ${Math.ceil(this.opts.maxRetryAfterMs / 1e3)} s allowed; try again later`);
          }
          const delayMs = this.delay(attempt, last.retryAfterMs);
          this.opts.onRetry?.({ id: req.id, url: redact(url), attempt, reason: last.reason, delayMs });
          await this.opts.sleep(delayMs);
        }
        throw new InputError(req.id, `${last.reason} after ${attempts} attempts${last.reason === "timeout" ? ` (no data for ${fmtSeconds(this.opts.timeoutMs)})` : ""}; giving up`);
      }
      /** Exponential backoff with equal jitter; a Retry-After is a floor, not a suggestion. */
      delay(attempt, retryAfterMs) {
        const base2 = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
        const jittered = base2 / 2 + base2 / 2 * this.opts.random();
        return Math.max(jittered, retryAfterMs ?? 0);
      }
      async attempt(url, req) {
        const controller = new AbortController();
        let timedOut = false;
        let timer;
        const arm = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, this.opts.timeoutMs);
        };
        arm();
        try {
          const { res, info, finalUrl } = await this.follow(url, req, controller.signal);
          arm();
          const status = res.status;
          if (status >= 200 && status < 300) {
            try {
              req.validate?.(res, { ...info, url: finalUrl });
            } catch (err2) {
              await res.body?.cancel().catch(() => {
              });
              throw err2;
            }
            const body = req.method === "HEAD" ? new Uint8Array(0) : await this.readBody(res, req, arm);
            if (req.expectLength !== void 0 && body.byteLength !== req.expectLength) {
              throw new Transient(`connection dropped mid-body (${body.byteLength} of ${req.expectLength} bytes)`);
            }
            return { ...info, status, headers: res.headers, body, url: finalUrl };
          }
          await res.body?.cancel().catch(() => {
          });
          throw this.statusError(status, res.headers, finalUrl, req);
        } catch (err2) {
          if (timedOut) throw new Transient("timeout");
          if (err2 instanceof InputError || err2 instanceof Transient || err2 instanceof StaleLocation || err2 instanceof Missing) throw err2;
          if (err2 instanceof BodyTooLarge) throw new InputError(req.id, err2.message);
          throw new Transient(`connection failed (${describeNetworkError(err2)})`);
        } finally {
          clearTimeout(timer);
        }
      }
      /** Follows redirects by hand: Authorization goes to the token's origin only. */
      async follow(url, req, signal) {
        const info = { hops: 0 };
        let current = url;
        for (; ; ) {
          const headers = { ...req.headers };
          if (this.opts.accessToken && this.opts.tokenOrigin && new URL(current).origin === this.opts.tokenOrigin) {
            headers.authorization = `Bearer ${this.opts.accessToken}`;
          }
          const res = await this.opts.fetch(current, { method: req.method ?? "GET", headers, redirect: "manual", signal });
          const location = res.headers.get("location");
          if (res.status >= 300 && res.status < 400 && location) {
            info.linkedEtag = res.headers.get("x-linked-etag") ?? info.linkedEtag;
            const size = Number(res.headers.get("x-linked-size") ?? NaN);
            if (Number.isSafeInteger(size)) info.linkedSize = size;
            info.repoCommit = res.headers.get("x-repo-commit") ?? info.repoCommit;
            await res.body?.cancel().catch(() => {
            });
            if (++info.hops > this.opts.maxRedirects) throw new InputError(req.id, `more than ${this.opts.maxRedirects} redirects`);
            current = new URL(location, current).toString();
            continue;
          }
          info.repoCommit = res.headers.get("x-repo-commit") ?? info.repoCommit;
          return { res, info, finalUrl: current };
        }
      }
      statusError(status, headers, finalUrl, req) {
        const atTokenOrigin = this.opts.tokenOrigin !== void 0 && new URL(finalUrl).origin === this.opts.tokenOrigin;
        if (status === 429 || status === 408 || status >= 500) {
          return new Transient(`HTTP ${status}`, parseRetryAfter(headers.get("retry-after")));
        }
        if ((status === 401 || status === 403) && atTokenOrigin) {
          const code2 = headers.get("x-error-code");
          const what = code2 === "RepoNotFound" ? "repository not found (or private)" : code2 === "GatedRepo" ? "gated repository" : "gated or private repository";
          const why = this.opts.accessToken ? `HTTP ${status}, ${what}: the token in HF_TOKEN has no access; accept the model's licence on its Hub page with that account, or use a token with read access` : `HTTP ${status}, ${what}: set HF_TOKEN to a Hugging Face access token and accept the model's licence on its Hub page`;
          return new InputError(req.id, why);
        }
        if (!atTokenOrigin && this.opts.tokenOrigin !== void 0 && [401, 403, 404, 410].includes(status)) return new StaleLocation(status);
        if (status === 404 || status === 410) {
          if (req.allowMissing) return new Missing(status);
          return new InputError(req.id, `not found (HTTP ${status})`);
        }
        if (status === 401 || status === 403) return new InputError(req.id, `access denied (HTTP ${status})`);
        if (status === 416) return new InputError(req.id, `range not satisfiable (HTTP 416): the file on the server is shorter than its header says`);
        return new InputError(req.id, `unexpected HTTP ${status}`);
      }
      async readBody(res, req, onProgress) {
        if (!res.body) return new Uint8Array(0);
        const declared2 = Number(res.headers.get("content-length") ?? NaN);
        if (Number.isFinite(declared2) && declared2 > req.maxBody) {
          await res.body.cancel().catch(() => {
          });
          throw new BodyTooLarge(`response of ${declared2} bytes exceeds the ${req.maxBody} expected`);
        }
        const chunks = [];
        let total = 0;
        const reader = res.body.getReader();
        for (; ; ) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          req.onBytes?.(value.byteLength);
          if (total > req.maxBody) {
            await reader.cancel().catch(() => {
            });
            throw new BodyTooLarge(`response exceeds the ${req.maxBody} bytes expected`);
          }
          chunks.push(value);
          onProgress();
        }
        if (chunks.length === 1) return chunks[0];
        const out = new Uint8Array(total);
        let pos = 0;
        for (const c of chunks) {
          out.set(c, pos);
          pos += c.byteLength;
        }
        return out;
      }
      acquire() {
        if (this.active < this.opts.concurrency) {
          this.active++;
          return Promise.resolve();
        }
        return new Promise((resolve4) => this.waiting.push(() => {
          this.active++;
          resolve4();
        }));
      }
      release() {
        this.active--;
        this.waiting.shift()?.();
      }
      /**
       * A `fetch` for libraries (@huggingface/hub): same retries, redirects and token handling, the
       * body buffered (metadata only: headers, indexes, listings). `onBytes` counts what arrived.
       */
      asFetch(id, hooks = {}, maxBody = 256 * 1024 * 1024) {
        const { onBytes, onError } = hooks;
        return (async (input, init) => {
          const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
          const headers = {};
          new Headers(init?.headers).forEach((v, k) => {
            if (k !== "authorization") headers[k] = v;
          });
          const method = (init?.method ?? "GET").toUpperCase() === "HEAD" ? "HEAD" : "GET";
          try {
            const r = await this.request(url, { id, method, headers, maxBody, allowMissing: true, onBytes });
            return new Response(method === "HEAD" ? null : r.body, { status: r.status, headers: r.headers });
          } catch (err2) {
            if (err2 instanceof Missing) {
              return new Response(null, { status: err2.status, headers: { "x-error-code": "EntryNotFound" } });
            }
            const e = err2 instanceof StaleLocation ? new InputError(id, err2.message) : err2;
            onError?.(e);
            throw e;
          }
        });
      }
    };
    BodyTooLarge = class extends Error {
    };
    Missing = class extends Error {
      constructor(status) {
        super(`HTTP ${status}`);
        this.status = status;
      }
      status;
    };
    HttpRangeSource = class {
      constructor(client, init) {
        this.client = client;
        this.id = init.id;
        this.url = init.url;
        this.size = init.size;
        this.etag = init.etag;
        this.linkedEtag = init.linkedEtag;
        this.shared = init.shared;
      }
      client;
      id;
      size;
      url;
      /** Redirect target of the last read (signed CDN URL), reused until it stops working. */
      location;
      etag;
      /** URL whose response pinned `etag`: If-Range is only meaningful to that server. */
      etagUrl;
      linkedEtag;
      fetched = 0;
      closed = false;
      shared;
      repoCommit;
      bytesRead() {
        return this.fetched + (this.shared?.bytes ?? 0);
      }
      async read(offset, length) {
        if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
          throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
        }
        if (this.closed) throw new Error(`${this.id}: read after close`);
        if (offset + length > this.size) {
          throw new InputError(this.id, `truncated: needs bytes [${offset}, ${offset + length}) but the file has ${this.size} bytes`);
        }
        if (length === 0) return new Uint8Array(0);
        if (this.location) {
          try {
            return await this.fetchRange(this.location, offset, length);
          } catch (err2) {
            if (!(err2 instanceof StaleLocation)) throw err2;
            this.location = void 0;
          }
        }
        try {
          return await this.fetchRange(this.url, offset, length);
        } catch (err2) {
          if (err2 instanceof StaleLocation) throw new InputError(this.id, `the download host refused the file (HTTP ${err2.status})`);
          throw err2;
        }
      }
      async *stream(offset, length, chunkSize = DEFAULT_HTTP_CHUNK) {
        if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
        if (offset + length > this.size) {
          throw new InputError(this.id, `truncated: needs bytes [${offset}, ${offset + length}) but the file has ${this.size} bytes`);
        }
        const end = offset + length;
        for (let pos = offset; pos < end; pos += chunkSize) yield await this.read(pos, Math.min(chunkSize, end - pos));
      }
      async close() {
        this.closed = true;
      }
      async fetchRange(url, offset, length) {
        const last = offset + length - 1;
        const headers = { range: `bytes=${offset}-${last}`, "accept-encoding": "identity" };
        const ifRange = this.etag && !weak(this.etag) && url === this.etagUrl;
        if (ifRange) headers["if-range"] = this.etag;
        const result = await this.client.request(url, {
          id: this.id,
          headers,
          maxBody: length,
          expectLength: length,
          onBytes: (n) => {
            this.fetched += n;
          },
          validate: (res, hops) => this.validate(res, hops, offset, last, Boolean(ifRange))
        });
        if (result.hops > 0 || url !== this.url) this.location = result.url;
        this.repoCommit ??= result.repoCommit;
        return result.body;
      }
      /** Throws (never retried) unless the response is provably the requested bytes of the pinned file. */
      validate(res, hops, first, last, sentIfRange) {
        const etag = res.headers.get("etag") ?? void 0;
        if (hops.linkedEtag) {
          if (this.linkedEtag && !sameEtag(this.linkedEtag, hops.linkedEtag)) throw this.changed(this.linkedEtag, hops.linkedEtag);
          this.linkedEtag ??= hops.linkedEtag;
        }
        if (res.status !== 206) {
          if (res.status === 200 && sentIfRange && etag && !sameEtag(etag, this.etag)) throw this.changed(this.etag, etag);
          throw new InputError(this.id, `server answered HTTP ${res.status} instead of 206 to a Range request (range requests unsupported?)`);
        }
        const cr = parseContentRange(res.headers.get("content-range"));
        if (!cr || cr.start !== first || cr.end !== last || cr.total !== void 0 && cr.total !== this.size) {
          throw new InputError(this.id, `wrong Content-Range "${res.headers.get("content-range") ?? ""}" for requested bytes ${first}-${last}/${this.size}: response rejected`);
        }
        if (etag) {
          const vouched = hops.linkedEtag !== void 0 && this.linkedEtag !== void 0 && sameEtag(hops.linkedEtag, this.linkedEtag);
          if (this.etag && !sameEtag(this.etag, etag) && !vouched) throw this.changed(this.etag, etag);
          if (!this.etag || vouched) {
            this.etag = etag;
            this.etagUrl = void 0;
          }
        }
        if (this.etag) this.etagUrl ??= hops.url;
      }
      changed(from, to) {
        return new InputError(this.id, `the file changed on the server while it was being read (ETag ${from} → ${to}); run again`);
      }
    };
  }
});

// src/formats/hub.ts
function parseHubSpec(spec) {
  const body = spec.replace(/^hf:/, "");
  const at = body.indexOf("@");
  const repo = at < 0 ? body : body.slice(0, at);
  const revision = at < 0 ? "main" : body.slice(at + 1);
  if (!REPO_RE.test(repo) || repo.includes("..")) {
    throw new InputError(spec, "not a Hub model id: expected hf:org/name or hf:org/name@revision");
  }
  if (revision === "" || /\s/.test(revision)) throw new InputError(spec, 'empty or malformed revision after "@"');
  return { repo, revision };
}
async function openHubModel(spec, options = {}) {
  const { repo, revision } = parseHubSpec(spec);
  const hubUrl = (options.hubUrl ?? process.env.HF_ENDPOINT ?? DEFAULT_HUB_URL).replace(/\/+$/, "");
  let origin;
  try {
    origin = new URL(hubUrl).origin;
  } catch {
    throw new InputError(options.hubUrl ? "hubUrl" : "HF_ENDPOINT", `not a URL: ${JSON.stringify(hubUrl)}`);
  }
  const accessToken = options.accessToken ?? (process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN || void 0);
  const client = new HttpClient({ ...options.http, fetch: options.fetch, accessToken, tokenOrigin: origin });
  const session = { bytes: 0 };
  const failures = [];
  const hubFetch = client.asFetch(spec, {
    onBytes: (n) => {
      session.bytes += n;
    },
    onError: (e) => failures.push(e)
  });
  const lib = { repo: { type: "model", name: repo }, hubUrl, fetch: hubFetch, failures };
  const commit2 = await resolveCommit(spec, lib, revision);
  const rev = commit2 ?? revision;
  const listing = await listRoot(spec, lib, rev);
  const files = new Map(listing.map((f) => [f.path, f]));
  const layout = chooseWeights(spec, [...files.keys()]);
  const resolveUrl = (path) => `${hubUrl}/${repo}/resolve/${encodeURIComponent(rev)}/${path.split("/").map(encodeURIComponent).join("/")}`;
  const headers = await readHeaders(spec, lib, rev, layout);
  const shardNames = [...headers.keys()].sort();
  const sources = shardNames.map((name, i) => {
    const entry = files.get(name);
    if (!entry) throw new InputError(`${spec}/${layout.index ?? name}`, `shard ${JSON.stringify(name)} is not in the repository`);
    return new HttpRangeSource(client, {
      id: `${spec}/${name}`,
      url: resolveUrl(name),
      size: entry.lfs?.size ?? entry.size,
      shared: i === 0 ? session : void 0
    });
  });
  const parsed = await Promise.all(sources.map((src, i) => validateHeader(src, headers.get(shardNames[i]))));
  if (layout.index && layout.weightMap) checkWeightMap(`${spec}/${layout.index}`, layout.weightMap, shardNames, parsed);
  checkUniqueNames(spec, shardNames, parsed);
  const tensors = parsed.flatMap((h2) => h2.tensors);
  const readSide = async (name) => {
    if (name === "" || name === "." || name === ".." || /[\\/]/.test(name)) {
      throw new RangeError(`side file name must be a plain file name, got ${JSON.stringify(name)}`);
    }
    const entry = files.get(name);
    if (!entry) return void 0;
    if ((entry.lfs?.size ?? entry.size) > MAX_SIDE_FILE_BYTES) {
      throw new InputError(`${spec}/${name}`, `side file is ${entry.lfs?.size ?? entry.size} bytes, more than the ${MAX_SIDE_FILE_BYTES} read`);
    }
    try {
      const r = await client.request(resolveUrl(name), {
        id: `${spec}/${name}`,
        maxBody: MAX_SIDE_FILE_BYTES,
        onBytes: (n) => {
          session.bytes += n;
        },
        allowMissing: true
      });
      return r.body;
    } catch (err2) {
      if (err2 instanceof Missing) return void 0;
      throw err2;
    }
  };
  return {
    id: spec,
    kind: "hub",
    repo,
    revision,
    hubUrl,
    get commit() {
      return commit2 ?? sources[0]?.repoCommit;
    },
    tensors,
    metadata: parsed[0]?.metadata ?? {},
    files: shardNames,
    totalBytes: sources.reduce((n, s) => n + s.size, 0),
    readText: async (name) => {
      const bytes = await readSide(name);
      return bytes === void 0 ? void 0 : new TextDecoder().decode(bytes);
    },
    readBytes: readSide,
    close: async () => {
      await Promise.allSettled(sources.map((s) => s.close()));
    }
  };
}
function installHubOpener(opts = {}) {
  return registerModelOpener("hf:", (spec) => openHubModel(spec, opts));
}
async function resolveCommit(spec, lib, revision) {
  try {
    const info = await modelInfo({ name: lib.repo.name, hubUrl: lib.hubUrl, fetch: lib.fetch, revision, additionalFields: ["sha"] });
    const sha = info.sha;
    return typeof sha === "string" && /^[0-9a-f]{40}$/.test(sha) ? sha : void 0;
  } catch (err2) {
    throw hubError(spec, err2, "repository or revision not found", lib.failures);
  }
}
async function listRoot(spec, lib, rev) {
  const out = [];
  try {
    for await (const f of listFiles2({ repo: lib.repo, hubUrl: lib.hubUrl, fetch: lib.fetch, revision: encodeURIComponent(rev) })) if (f.type === "file") out.push(f);
  } catch (err2) {
    throw hubError(spec, err2, "repository or revision not found", lib.failures);
  }
  return out;
}
function chooseWeights(spec, names) {
  const indexes = names.filter((n) => n.endsWith(".safetensors.index.json"));
  if (indexes.includes("model.safetensors.index.json")) return { index: "model.safetensors.index.json", singles: [] };
  if (indexes.length > 1) throw new InputError(spec, `several safetensors indexes (${indexes.join(", ")}): none is model.safetensors.index.json`);
  if (indexes.length === 1) return { index: indexes[0], singles: [] };
  const weights = names.filter((n) => n.endsWith(".safetensors")).sort();
  if (weights.includes("model.safetensors")) return { singles: ["model.safetensors"] };
  if (weights.length > 0) return { singles: weights };
  for (const [re, what] of UNSUPPORTED2) {
    const other = names.find((n) => re.test(n));
    if (other) throw new InputError(spec, `no .safetensors weights, only ${what} (${other}): convert it to safetensors first`);
  }
  throw new InputError(spec, "no .safetensors weights in the repository (looked for model.safetensors, *.safetensors.index.json)");
}
async function readHeaders(spec, lib, rev, layout) {
  const out = /* @__PURE__ */ new Map();
  const params = { repo: lib.repo, hubUrl: lib.hubUrl, fetch: lib.fetch, revision: rev };
  if (layout.index) {
    const path = layout.index;
    try {
      const r = await parseSafetensorsMetadata({ ...params, path });
      if (!r.sharded) throw new InputError(`${spec}/${path}`, "expected a sharded index");
      const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
      for (const [name, header] of Object.entries(r.headers)) out.set(dir + name, header);
      layout.weightMap = r.index.weight_map;
    } catch (err2) {
      throw hubError(`${spec}/${path}`, err2, "not found", lib.failures);
    }
    if (out.size === 0) throw new InputError(`${spec}/${path}`, "weight_map is empty");
    return out;
  }
  for (const path of layout.singles) {
    try {
      const r = await parseSafetensorsMetadata({ ...params, path });
      if (r.sharded) throw new InputError(`${spec}/${path}`, "expected a single safetensors file");
      out.set(path, r.header);
    } catch (err2) {
      throw hubError(`${spec}/${path}`, err2, "not found", lib.failures);
    }
  }
  return out;
}
async function validateHeader(source, header) {
  if (source.size < 8) throw new InputError(source.id, `file is ${source.size} bytes, shorter than the 8-byte header length`);
  const prefix = await source.read(0, 8);
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(source.size - 8) || n > BigInt(MAX_HEADER_BYTES)) {
    throw new InputError(source.id, `header length ${n} does not fit the file (${source.size} bytes): truncated or not safetensors`);
  }
  return parseHeaderText(source, JSON.stringify(header), 8 + Number(n));
}
function checkWeightMap(id, weightMap, shardNames, parsed) {
  const where = /* @__PURE__ */ new Map();
  parsed.forEach((h2, i) => h2.tensors.forEach((t) => where.set(t.name, shardNames[i])));
  for (const [tensor, shard] of Object.entries(weightMap)) {
    const actual = where.get(tensor);
    if (actual === shard) continue;
    throw new InputError(id, `tensor ${JSON.stringify(tensor)} is mapped to shard ${JSON.stringify(shard)} but that shard does not contain it${actual ? ` (it is in ${JSON.stringify(actual)})` : ""}`);
  }
  for (const [tensor, shard] of where) {
    if (!Object.hasOwn(weightMap, tensor)) throw new InputError(id, `tensor ${JSON.stringify(tensor)} in shard ${JSON.stringify(shard)} is not listed in weight_map`);
  }
}
function checkUniqueNames(spec, shardNames, parsed) {
  const seen = /* @__PURE__ */ new Map();
  parsed.forEach((h2, i) => {
    for (const t of h2.tensors) {
      const first = seen.get(t.name);
      if (first !== void 0) throw new InputError(`${spec}/${shardNames[i]}`, `tensor ${JSON.stringify(t.name)} is also in ${first}`);
      seen.set(t.name, shardNames[i]);
    }
  });
}
function hubError(id, err2, notFound, failures) {
  if (err2 instanceof InputError) return err2;
  if (failures.length > 0) return failures[0];
  if (err2 instanceof HubApiError) {
    if (err2.statusCode === 404) return new InputError(id, `${notFound} (HTTP 404)`);
    return new InputError(id, `Hub API error HTTP ${err2.statusCode}: ${oneLine2(err2.message)}`);
  }
  if (err2 instanceof Error && err2.name === "SafetensorParseError") return new InputError(id, oneLine2(err2.message));
  if (err2 instanceof Error && err2.constructor.name === "InvalidApiResponseFormatError") return new InputError(id, `unexpected Hub response: ${oneLine2(err2.message)}`);
  return err2 instanceof Error ? err2 : new Error(String(err2));
}
function oneLine2(s) {
  return s.replace(/\s+/g, " ").slice(0, 300);
}
var DEFAULT_HUB_URL, MAX_SIDE_FILE_BYTES, REPO_RE, UNSUPPORTED2;
var init_hub = __esm({
  "src/formats/hub.ts"() {
    "use strict";
    init_dist();
    init_errors();
    init_http_source();
    init_model();
    init_safetensors();
    DEFAULT_HUB_URL = "https://huggingface.co";
    MAX_SIDE_FILE_BYTES = 64 * 1024 * 1024;
    REPO_RE = /^[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)?$/;
    installHubOpener();
    UNSUPPORTED2 = [
      [/\.(bin|pt|pth)$/, "PyTorch pickle"],
      [/\.gguf$/, "GGUF"],
      [/\.onnx$/, "ONNX"],
      [/\.h5$/, "Keras HDF5"],
      [/\.msgpack$/, "Flax msgpack"]
    ];
  }
});

// src/fingerprint/lut.ts
function f16Table2() {
  if (f16) return f16;
  f16 = new Float32Array(65536);
  for (let h2 = 0; h2 < 65536; h2++) {
    const sign = h2 & 32768 ? -1 : 1;
    const exp = h2 >> 10 & 31;
    const man = h2 & 1023;
    let v;
    if (exp === 0) v = man * 2 ** -24;
    else if (exp === 31) v = man ? NaN : Infinity;
    else v = (1 + man / 1024) * 2 ** (exp - 15);
    f16[h2] = sign * v;
  }
  return f16;
}
function bf16Table() {
  if (bf16) return bf16;
  bf16 = new Float32Array(65536);
  const u = new Uint32Array(bf16.buffer);
  for (let h2 = 0; h2 < 65536; h2++) u[h2] = h2 << 16;
  return bf16;
}
function f8Table(dtype) {
  const cached2 = f8.get(dtype);
  if (cached2) return cached2;
  const t = new Float32Array(256);
  const [eb, mb, bias] = dtype === "F8_E4M3" ? [4, 3, 7] : [5, 2, 15];
  for (let b = 0; b < 256; b++) {
    const sign = b & 128 ? -1 : 1;
    const exp = b >> mb & (1 << eb) - 1;
    const man = b & (1 << mb) - 1;
    let v;
    if (dtype === "F8_E4M3" && exp === 15 && man === 7) v = NaN;
    else if (dtype === "F8_E5M2" && exp === 31) v = man ? NaN : Infinity;
    else if (exp === 0) v = man * 2 ** (1 - bias - mb);
    else v = (1 + man / (1 << mb)) * 2 ** (exp - bias);
    t[b] = sign * v;
  }
  f8.set(dtype, t);
  return t;
}
function bf16Key(bits) {
  return bits + 32767 + (bits >>> 16 & 1) >>> 16 & 65535;
}
var f16, bf16, f8;
var init_lut = __esm({
  "src/fingerprint/lut.ts"() {
    "use strict";
    f8 = /* @__PURE__ */ new Map();
  }
});

// src/fingerprint/sample.ts
function hash32(seed, tag, index) {
  let h2 = (seed ^ Math.imul(tag + 2654435769, 2246822507) ^ Math.imul(index, 3432918353)) >>> 0;
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 2246822507);
  h2 ^= h2 >>> 13;
  h2 = Math.imul(h2, 3266489909);
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2 ^ index >>> 16, 668265261);
  h2 ^= h2 >>> 15;
  return h2 >>> 0;
}
function pickAxis(length, target, seed, tag) {
  if (target >= length) {
    const all = new Uint32Array(length);
    for (let i = 0; i < length; i++) all[i] = i;
    return all;
  }
  const threshold = target / length * 4294967296;
  const picked = [];
  for (let i = 0; i < length; i++) if (hash32(seed, tag, i) < threshold) picked.push(i);
  if (picked.length === 0) {
    let best = 0;
    let bestHash = Infinity;
    for (let i = 0; i < length; i++) {
      const h2 = hash32(seed, tag, i);
      if (h2 < bestHash) {
        bestHash = h2;
        best = i;
      }
    }
    picked.push(best);
  }
  return Uint32Array.from(picked);
}
function matrixView(shape2) {
  if (shape2.length === 0) return { R: 1, C: 1 };
  if (shape2.length === 1) return { R: 1, C: shape2[0] };
  const R = shape2[0];
  let C = 1;
  for (let i = 1; i < shape2.length; i++) C *= shape2[i];
  return { R, C };
}
function planSample(shape2, k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED) {
  const { R, C } = matrixView(shape2);
  const rowTarget = Math.max(1, Math.ceil(Math.sqrt(k) / 2));
  const colTarget = Math.ceil(k / rowTarget);
  let tr = Math.min(R, rowTarget);
  let tc = Math.min(C, colTarget);
  if (C < colTarget) tr = Math.min(R, Math.ceil(k / Math.max(C, 1)));
  if (R < rowTarget) tc = Math.min(C, Math.ceil(k / Math.max(R, 1)));
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0) };
  return { R, C, rows: pickAxis(R, tr, seed, ROW_TAG), cols: pickAxis(C, tc, seed, COL_TAG) };
}
function sampleFlatIndices(plan) {
  const out = new Float64Array(plan.rows.length * plan.cols.length);
  let n = 0;
  for (const r of plan.rows) for (const c of plan.cols) out[n++] = r * plan.C + c;
  return out;
}
function sampleByteSpans(plan, tensorOffset, bytesPerElement, maxGap = 64 * 1024) {
  const spans = [];
  if (plan.cols.length === 0) return spans;
  const c0 = plan.cols[0];
  const c1 = plan.cols[plan.cols.length - 1];
  for (const r of plan.rows) {
    const start = tensorOffset + (r * plan.C + c0) * bytesPerElement;
    const end = tensorOffset + (r * plan.C + c1 + 1) * bytesPerElement;
    const last = spans[spans.length - 1];
    if (last && start - (last.offset + last.length) <= maxGap) last.length = end - last.offset;
    else spans.push({ offset: start, length: end - start });
  }
  return spans;
}
function quantizeSample(values) {
  let n = 0;
  let sum2 = 0;
  for (const v of values) if (Number.isFinite(v)) {
    sum2 += v;
    n++;
  }
  const center = n > 0 ? sum2 / n : 0;
  let ss = 0;
  let maxDev = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const d = v - center;
    ss += d * d;
    if (Math.abs(d) > maxDev) maxDev = Math.abs(d);
  }
  const sd = n > 1 ? Math.sqrt(ss / n) : 0;
  const span = Math.min(maxDev, 8 * sd);
  const scale = span > 0 ? span / 127 : 0;
  const q3 = new Int8Array(values.length);
  if (scale > 0) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      const x = Math.round((v - center) / scale);
      q3[i] = x > 127 ? 127 : x < -127 ? -127 : x;
    }
  }
  return { center: Math.fround(center), scale: Math.fround(scale), q: q3 };
}
function encodeQ(q3) {
  return Buffer.from(q3.buffer, q3.byteOffset, q3.byteLength).toString("base64");
}
function decodeQ(b64) {
  const buf = Buffer.from(b64, "base64");
  return new Int8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
var DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, ROW_TAG, COL_TAG;
var init_sample = __esm({
  "src/fingerprint/sample.ts"() {
    "use strict";
    DEFAULT_SAMPLE_K = 4096;
    DEFAULT_SAMPLE_SEED = 1592598566;
    ROW_TAG = 1;
    COL_TAG = ROW_TAG;
  }
});

// src/fingerprint/shape.ts
function numel(shape2) {
  return shape2.reduce((a, b) => a * b, 1);
}
var init_shape = __esm({
  "src/fingerprint/shape.ts"() {
    "use strict";
  }
});

// src/fingerprint/accumulate.ts
import { createHash } from "node:crypto";
function wantsFullCols(name, shape2) {
  return shape2.length >= 2 && shape2[0] >= 16 && shape2[0] <= 16384 && /(?:^|[._/])(?:patch_embed|patch_embedding|patch_embeddings)(?:[._/]|$)/.test(name);
}
function wantsFullRows(name, shape2) {
  return shape2.length === 2 && shape2[0] >= shape2[1] && shape2[1] >= 16 && shape2[1] <= 16384 && /(?:^|[._/])(?:embed_tokens|wte|word_embeddings|tok_embeddings|embed_in|token_embedding|lm_head|embed_out)(?:[._/]|$)|^output\.weight$/.test(name);
}
function pathFor(dtype) {
  switch (dtype) {
    case "BF16":
    case "F16":
    case "I16":
    case "U16":
      return "raw16";
    case "F8_E4M3":
    case "F8_E5M2":
    case "I8":
    case "U8":
    case "BOOL":
      return "raw8";
    case "F32":
      return "f32";
    case "F64":
    case "I64":
    case "U64":
    case "I32":
    case "U32":
      return "wide";
    default:
      return "bytes";
  }
}
function rawValueTable(dtype) {
  switch (dtype) {
    case "BF16":
      return bf16Table();
    case "F16":
      return f16Table2();
    case "F8_E4M3":
    case "F8_E5M2":
      return f8Table(dtype);
    case "I16":
      return Float32Array.from({ length: 65536 }, (_, i) => i << 16 >> 16);
    case "U16":
      return Float32Array.from({ length: 65536 }, (_, i) => i);
    case "I8":
      return Float32Array.from({ length: 256 }, (_, i) => i << 24 >> 24);
    case "U8":
      return Float32Array.from({ length: 256 }, (_, i) => i);
    case "BOOL":
      return Float32Array.from({ length: 256 }, (_, i) => i ? 1 : 0);
    default:
      throw new Error(`no raw table for ${dtype}`);
  }
}
function keyOf(v) {
  f32Scratch[0] = v;
  return bf16Key(u32Scratch[0]);
}
function histKernel() {
  if (kernel !== void 0) return kernel;
  try {
    const uleb = (n) => {
      const o = [];
      do {
        let b = n & 127;
        n >>>= 7;
        if (n) b |= 128;
        o.push(b);
      } while (n);
      return o;
    };
    const sec = (id, body2) => [id, ...uleb(body2.length), ...body2];
    const name = (s) => [s.length, ...Buffer.from(s)];
    const inc = (off) => [34, 4, 32, 4, 40, 2, ...uleb(off), 65, 1, 106, 54, 2, ...uleb(off)];
    const body = [
      1,
      3,
      127,
      32,
      0,
      32,
      1,
      65,
      2,
      116,
      106,
      33,
      3,
      2,
      64,
      32,
      0,
      32,
      3,
      79,
      13,
      0,
      3,
      64,
      32,
      0,
      40,
      2,
      0,
      33,
      2,
      32,
      2,
      65,
      255,
      255,
      3,
      113,
      65,
      2,
      116,
      ...inc(0),
      32,
      2,
      65,
      16,
      118,
      65,
      2,
      116,
      ...inc(TABLES / 2),
      32,
      0,
      65,
      4,
      106,
      34,
      0,
      32,
      3,
      73,
      13,
      0,
      11,
      11,
      11
    ];
    const pages = Math.ceil((TABLES + SLICE) / 65536);
    const wasm = new Uint8Array([
      0,
      97,
      115,
      109,
      1,
      0,
      0,
      0,
      ...sec(1, [1, 96, 2, 127, 127, 0]),
      ...sec(3, [1, 0]),
      ...sec(5, [1, 0, ...uleb(pages)]),
      ...sec(7, [2, ...name("hist"), 0, 0, ...name("mem"), 2, 0]),
      ...sec(10, [1, ...uleb(body.length), ...body])
    ]);
    const api = globalThis.WebAssembly;
    if (!api) return kernel = null;
    const { exports } = new api.Instance(new api.Module(wasm));
    const mem = exports.mem;
    kernel = {
      hist: exports.hist,
      bytes: new Uint8Array(mem.buffer, TABLES, SLICE),
      counts: new Uint32Array(mem.buffer, 0, TABLES / 4),
      owner: void 0
    };
  } catch {
    kernel = null;
  }
  return kernel;
}
function encodeSample(values, rows, cols) {
  const { center, scale, q: q3 } = quantizeSample(values);
  return { rows, cols, center, scale, q: encodeQ(q3) };
}
function valueHistogramDigest(keys) {
  keys[0] += keys[32768];
  keys[32768] = 0;
  let nan = 0;
  for (let k = 32641; k <= 32767; k++) {
    nan += keys[k];
    keys[k] = 0;
  }
  for (let k = 65409; k <= 65535; k++) {
    nan += keys[k];
    keys[k] = 0;
  }
  keys[32704] = nan;
  const h2 = createHash("sha256");
  const rec = Buffer.alloc(10);
  let distinct = 0;
  for (let k = 0; k < 65536; k++) {
    const c = keys[k];
    if (!c) continue;
    distinct++;
    rec.writeUInt16LE(k, 0);
    rec.writeBigUInt64LE(BigInt(c), 2);
    h2.update(rec);
  }
  return { digest: h2.digest("hex"), distinct };
}
function structureScore(prefix, shape2) {
  const L = shape2.length ? shape2[shape2.length - 1] : 0;
  if (L < 8 || prefix.length < L) return void 0;
  let resid = 0;
  let total = 0;
  const row = new Float64Array(L);
  for (let start = 0; start + L <= prefix.length; start += L) {
    let mean2 = 0;
    for (let i = 0; i < L; i++) mean2 += prefix[start + i];
    mean2 /= L;
    for (let i = 0; i < L; i++) row[i] = prefix[start + i] - mean2;
    let saa = 0, sab = 0, sbb = 0;
    for (let i = 1; i < L - 1; i++) {
      const a = row[i];
      const s = row[i - 1] + row[i + 1];
      saa += a * a;
      sab += a * s;
      sbb += s * s;
    }
    if (!(sbb > 0)) continue;
    resid += sbb - (saa > 0 ? sab * sab / saa : 0);
    total += sbb;
  }
  return total > 0 ? Math.max(0, 1 - resid / total) : void 0;
}
function fingerprintFromSample(name, dtype, shape2, byteLength, plan, values, fullRows) {
  let n = 0, s1 = 0, s2 = 0, sa = 0, bad = 0, min2 = Infinity, max = -Infinity;
  for (const v of values) {
    if (v - v !== 0) {
      bad++;
      continue;
    }
    n++;
    s1 += v;
    s2 += v * v;
    sa += Math.abs(v);
    if (v < min2) min2 = v;
    if (v > max) max = v;
  }
  const mean2 = n ? s1 / n : 0;
  const count2 = numel(shape2);
  const { center, scale, q: q3 } = quantizeSample(values);
  return {
    name,
    dtype,
    shape: shape2,
    bytes: byteLength,
    moments: {
      mean: mean2,
      std: n ? Math.sqrt(Math.max(0, s2 / n - mean2 * mean2)) : 0,
      meanAbs: n ? sa / n : 0,
      min: n ? min2 : 0,
      max: n ? max : 0,
      l2: n ? Math.sqrt(s2 / n * count2) : 0,
      nonFinite: bad,
      exact: false
    },
    sample: { rows: plan.rows.length, cols: plan.cols.length, center, scale, q: encodeQ(q3) },
    ...fullRows ? { fullRows: encodeSample(fullRows, plan.rows.length, plan.C) } : {}
  };
}
var STRUCTURE_PREFIX, f32Scratch, u32Scratch, TABLES, SLICE, WASM_MIN_ELEMENTS, kernel, TensorAccumulator;
var init_accumulate = __esm({
  "src/fingerprint/accumulate.ts"() {
    "use strict";
    init_lut();
    init_sample();
    init_dtypes();
    init_shape();
    STRUCTURE_PREFIX = 65536;
    f32Scratch = new Float32Array(1);
    u32Scratch = new Uint32Array(f32Scratch.buffer);
    TABLES = 1 << 19;
    SLICE = 1 << 16;
    WASM_MIN_ELEMENTS = 1 << 16;
    TensorAccumulator = class {
      constructor(name, dtype, shape2, byteLength, opts) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape2;
        this.byteLength = byteLength;
        this.opts = opts;
        this.path = pathFor(dtype);
        const info = dtypeInfo(dtype);
        this.es = this.path === "bytes" ? 1 : info.bits / 8;
        const digests = opts.digests !== false;
        this.sha = digests ? createHash("sha256") : void 0;
        const count2 = numel(shape2);
        this.plan = planSample(this.path === "bytes" ? [0] : shape2, opts.k, opts.seed);
        this.sampleIdx = sampleFlatIndices(this.plan);
        this.sampleVals = new Float32Array(this.sampleIdx.length);
        if (opts.fullRows && this.path !== "bytes" && shape2.length === 2) {
          this.rowStarts = Float64Array.from(this.plan.rows, (r) => r * this.plan.C);
          this.rowVals = new Float32Array(this.plan.rows.length * this.plan.C);
        }
        if (opts.fullCols && this.path !== "bytes" && shape2.length >= 2) {
          this.colVals = new Float32Array(this.plan.R * this.plan.cols.length);
        }
        this.prefix = new Float32Array(this.path === "bytes" ? 0 : Math.min(count2, STRUCTURE_PREFIX));
        if (this.path === "raw16") {
          this.rawCounts = new Uint32Array(65536);
          this.table = rawValueTable(dtype);
        } else if (this.path === "raw8") {
          this.rawCounts = new Uint32Array(256);
          this.table = rawValueTable(dtype);
        } else this.table = void 0;
        this.keyCounts = (this.path === "f32" || this.path === "wide") && digests ? new Float64Array(65536) : void 0;
      }
      name;
      dtype;
      shape;
      byteLength;
      opts;
      path;
      es;
      sha;
      plan;
      sampleIdx;
      sampleVals;
      samplePos = 0;
      element = 0;
      carry;
      rawCounts;
      rawSpill;
      sinceSpill = 0;
      keyCounts;
      prefix;
      prefixLen = 0;
      /** Flat start of each sampled row, and the values of those rows (fullRows only). */
      rowStarts;
      rowVals;
      /** Every row at the sampled columns, row-major R × |cols| (fullCols only). */
      colVals;
      // moments of f32/wide paths, shifted by the first finite value for numerical stability
      shift = NaN;
      s1 = 0;
      s2 = 0;
      sa = 0;
      n = 0;
      nonFinite = 0;
      min = Infinity;
      max = -Infinity;
      table;
      update(chunk) {
        this.sha?.update(chunk);
        if (this.path === "bytes") return;
        let bytes = chunk;
        if (this.carry) {
          const joined = new Uint8Array(this.carry.length + chunk.length);
          joined.set(this.carry);
          joined.set(chunk, this.carry.length);
          bytes = joined;
          this.carry = void 0;
        }
        const whole = bytes.length - bytes.length % this.es;
        if (whole < bytes.length) this.carry = bytes.slice(whole);
        if (whole === 0) return;
        if (bytes.byteOffset % this.es !== 0) bytes = bytes.slice(0, whole);
        this.consume(bytes.subarray(0, whole));
      }
      consume(bytes) {
        const count2 = bytes.length / this.es;
        const start = this.element;
        if (this.path === "raw16") {
          const raw = new Uint16Array(bytes.buffer, bytes.byteOffset, count2);
          const k = count2 >= WASM_MIN_ELEMENTS ? histKernel() : null;
          if (k) this.countWasm(k, bytes, raw);
          else {
            const counts = this.rawCounts;
            for (let i = 0; i < count2; i++) counts[raw[i]]++;
          }
          this.takeRaw(raw, start);
        } else if (this.path === "raw8") {
          const counts = this.rawCounts;
          for (let i = 0; i < count2; i++) counts[bytes[i]]++;
          this.takeRaw(bytes, start);
        } else if (this.path === "f32") {
          const f = new Float32Array(bytes.buffer, bytes.byteOffset, count2);
          this.momentsF32(f, new Uint32Array(bytes.buffer, bytes.byteOffset, count2));
          this.takeValues(f, start);
        } else {
          const values = decodeToFloat64(this.dtype, bytes);
          this.momentsWide(values);
          this.takeValues(values, start);
        }
        this.element += count2;
        this.sinceSpill += count2;
        if (this.rawCounts && this.sinceSpill > 2 ** 31) this.spill();
      }
      countWasm(k, bytes, raw) {
        if (k.owner !== this) {
          k.owner?.releaseKernel();
          k.owner = this;
        }
        const even = bytes.length & ~3;
        for (let off = 0; off < even; off += SLICE) {
          const n = Math.min(SLICE, even - off);
          k.bytes.set(bytes.subarray(off, off + n));
          k.hist(TABLES, n >>> 2);
        }
        if (even < bytes.length) this.rawCounts[raw[raw.length - 1]]++;
      }
      /** Folds the kernel's tables into this tensor's counts and hands the kernel back. */
      releaseKernel() {
        const k = kernel;
        if (!k || k.owner !== this) return;
        const counts = this.rawCounts;
        const t = k.counts;
        for (let b = 0; b < 65536; b++) counts[b] += t[b] + t[b + 65536];
        t.fill(0);
        k.owner = void 0;
      }
      /** Uint32 counters would overflow past 4G elements: move them into doubles first. */
      spill() {
        this.releaseKernel();
        const counts = this.rawCounts;
        this.rawSpill ??= new Float64Array(counts.length);
        for (let i = 0; i < counts.length; i++) this.rawSpill[i] += counts[i];
        counts.fill(0);
        this.sinceSpill = 0;
      }
      /** Copies the parts of sampled rows that fall in [start, start+n) (fullRows only). */
      takeRows(get, start, n) {
        const starts = this.rowStarts;
        if (!starts) return;
        const C = this.plan.C;
        const end = start + n;
        for (let k = 0; k < starts.length; k++) {
          const r0 = starts[k];
          const lo = Math.max(r0, start);
          const hi = Math.min(r0 + C, end);
          for (let e = lo; e < hi; e++) this.rowVals[k * C + (e - r0)] = get(e - start);
        }
      }
      /** Copies the sampled columns of every row that falls in [start, start+n) (fullCols only). */
      takeCols(get, start, n) {
        const out = this.colVals;
        if (!out) return;
        const { C, cols } = this.plan;
        const end = start + n;
        for (let r = Math.floor(start / C); r * C < end; r++) {
          for (let j = 0; j < cols.length; j++) {
            const e = r * C + cols[j];
            if (e >= start && e < end) out[r * cols.length + j] = get(e - start);
          }
        }
      }
      takeRaw(raw, start) {
        const table = this.table;
        const end = start + raw.length;
        this.takeRows((i) => table[raw[i]], start, raw.length);
        this.takeCols((i) => table[raw[i]], start, raw.length);
        while (this.samplePos < this.sampleIdx.length && this.sampleIdx[this.samplePos] < end) {
          this.sampleVals[this.samplePos] = table[raw[this.sampleIdx[this.samplePos] - start]];
          this.samplePos++;
        }
        for (let i = this.prefixLen; i < this.prefix.length && i < end; i++) this.prefix[i] = table[raw[i - start]];
        this.prefixLen = Math.min(this.prefix.length, Math.max(this.prefixLen, end));
      }
      takeValues(values, start) {
        const end = start + values.length;
        this.takeRows((i) => values[i], start, values.length);
        this.takeCols((i) => values[i], start, values.length);
        while (this.samplePos < this.sampleIdx.length && this.sampleIdx[this.samplePos] < end) {
          this.sampleVals[this.samplePos] = values[this.sampleIdx[this.samplePos] - start];
          this.samplePos++;
        }
        for (let i = this.prefixLen; i < this.prefix.length && i < end; i++) this.prefix[i] = values[i - start];
        this.prefixLen = Math.min(this.prefix.length, Math.max(this.prefixLen, end));
      }
      momentsF32(f, bits) {
        const keys = this.keyCounts;
        let shift = this.shift;
        let s1 = 0, s2 = 0, sa = 0, n = 0, bad = 0, min2 = this.min, max = this.max;
        for (let i = 0; i < f.length; i++) {
          const v = f[i];
          if (keys) {
            const b = bits[i];
            keys[b + 32767 + (b >>> 16 & 1) >>> 16 & 65535]++;
          }
          if (v - v !== 0) {
            bad++;
            continue;
          }
          if (shift !== shift) shift = v;
          const d = v - shift;
          s1 += d;
          s2 += d * d;
          sa += v < 0 ? -v : v;
          n++;
          if (v < min2) min2 = v;
          if (v > max) max = v;
        }
        this.shift = shift;
        this.s1 += s1;
        this.s2 += s2;
        this.sa += sa;
        this.n += n;
        this.nonFinite += bad;
        this.min = min2;
        this.max = max;
      }
      momentsWide(values) {
        const keys = this.keyCounts;
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (keys) keys[keyOf(v)]++;
          if (v - v !== 0) {
            this.nonFinite++;
            continue;
          }
          if (this.shift !== this.shift) this.shift = v;
          const d = v - this.shift;
          this.s1 += d;
          this.s2 += d * d;
          this.sa += Math.abs(v);
          this.n++;
          if (v < this.min) this.min = v;
          if (v > this.max) this.max = v;
        }
      }
      /** Moments and value histogram of 8/16-bit types, exactly, from the raw counts. */
      finishRaw(keys) {
        this.releaseKernel();
        if (this.rawSpill) this.spill();
        const counts = this.rawSpill ?? this.rawCounts;
        const table = this.table;
        const isBf16 = this.dtype === "BF16";
        for (let b = 0; b < counts.length; b++) {
          const c = counts[b];
          if (!c) continue;
          const v = table[b];
          if (keys) keys[isBf16 ? b : keyOf(v)] += c;
          if (v - v !== 0) {
            this.nonFinite += c;
            continue;
          }
          if (this.shift !== this.shift) this.shift = v;
          const d = v - this.shift;
          this.s1 += c * d;
          this.s2 += c * d * d;
          this.sa += c * Math.abs(v);
          this.n += c;
          if (v < this.min) this.min = v;
          if (v > this.max) this.max = v;
        }
      }
      finish() {
        const count2 = numel(this.shape);
        const fp = { name: this.name, dtype: this.dtype, shape: this.shape, bytes: this.byteLength };
        if (this.sha) fp.sha256 = this.sha.digest("hex");
        if (this.path === "bytes") {
          fp.bytesOnly = true;
          return fp;
        }
        if (this.element !== count2 || this.carry) {
          throw new Error(`${this.name}: fed ${this.element} of ${count2} elements`);
        }
        const digests = this.opts.digests !== false;
        const keys = this.keyCounts ?? (digests ? new Float64Array(65536) : void 0);
        if (this.rawCounts) this.finishRaw(keys);
        fp.moments = this.moments(true);
        if (keys) {
          const { digest: digest2, distinct } = valueHistogramDigest(keys);
          fp.valueDigest = digest2;
          fp.traits = { distinct };
        }
        const structured = structureScore(this.prefix, this.shape);
        if (structured !== void 0) fp.traits = { ...fp.traits, structured };
        fp.sample = this.sample();
        if (this.rowVals) fp.fullRows = encodeSample(this.rowVals, this.plan.rows.length, this.plan.C);
        if (this.colVals) fp.fullCols = encodeSample(this.colVals, this.plan.R, this.plan.cols.length);
        return fp;
      }
      moments(exact) {
        const n = this.n;
        const mean2 = n ? this.shift + this.s1 / n : 0;
        const variance = n ? Math.max(0, this.s2 / n - (this.s1 / n) ** 2) : 0;
        const l22 = n ? Math.sqrt(this.s2 + 2 * this.shift * this.s1 + n * this.shift * this.shift) : 0;
        return {
          mean: mean2,
          std: Math.sqrt(variance),
          meanAbs: n ? this.sa / n : 0,
          min: n ? this.min : 0,
          max: n ? this.max : 0,
          l2: l22,
          nonFinite: this.nonFinite,
          exact
        };
      }
      sample() {
        const { center, scale, q: q3 } = quantizeSample(this.sampleVals);
        return { rows: this.plan.rows.length, cols: this.plan.cols.length, center, scale, q: encodeQ(q3) };
      }
    };
  }
});

// src/fingerprint/components.ts
function topSegment(name) {
  const segs = name.split(/[./]/);
  const i = segs.length > 1 && WRAPPERS.has(segs[0]) ? 1 : 0;
  return segs.slice(0, i + 1).join(".");
}
function stem(segment) {
  return segment.replace(/(?:[_-]?\d+)+$/, "");
}
function classifyTensor(name) {
  for (const rule of RULES) if (rule.re.test(name)) return { kind: rule.kind, name: rule.name, key: rule.name };
  const seg = topSegment(name);
  const s = stem(seg) || seg;
  return { kind: "other", name: s, key: `other:${s}` };
}
function commonPrefix(names) {
  if (names.length === 0) return "";
  let p2 = names[0];
  for (const n of names) while (!n.startsWith(p2)) p2 = p2.slice(0, -1);
  const cut = Math.max(p2.lastIndexOf("."), p2.lastIndexOf("/"));
  return cut >= 0 ? p2.slice(0, cut + 1) : "";
}
function groupComponents(tensors) {
  const groups = /* @__PURE__ */ new Map();
  tensors.forEach((t, i) => {
    const c = classifyTensor(t.name);
    let g = groups.get(c.key);
    if (!g) groups.set(c.key, g = { kind: c.kind, name: c.name, idx: [], segs: /* @__PURE__ */ new Set() });
    g.idx.push(i);
    g.segs.add(topSegment(t.name));
  });
  const out = [];
  for (const g of groups.values()) {
    const names = g.idx.map((i) => tensors[i].name);
    let display = g.name;
    if (g.kind === "other" && g.segs.size > 1) {
      const sorted = [...g.segs].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
      display = `${sorted[0]}–${sorted[sorted.length - 1]}`;
    } else if (g.kind === "other") display = [...g.segs][0];
    const parameters = g.idx.reduce((n, i) => n + numel(tensors[i].shape), 0);
    out.push({ name: display, kind: g.kind, prefix: commonPrefix(names), tensors: g.idx, parameters });
  }
  if (out.length === 1 && out[0].kind === "other") out[0].name = out[0].name || "model";
  return out;
}
var RULES, WRAPPERS;
var init_components = __esm({
  "src/fingerprint/components.ts"() {
    "use strict";
    init_shape();
    RULES = [
      { kind: "projector", name: "multimodal projector", re: /^(?:model\.)?(?:visual\.merger|multi_modal_projector|mm_projector|vision_projection|visual_projection|connector|aligner|merger|mlp1)(?:[./]|$)/ },
      { kind: "vision", name: "vision encoder", re: /^(?:model\.)?(?:visual|vision_tower|vision_model|vision_encoder|vision|vit|image_encoder|img_encoder|vpm)(?:[./]|$)/ },
      { kind: "audio", name: "audio encoder", re: /^(?:model\.)?(?:audio_tower|audio_model|audio_encoder|audio|whisper_encoder|apm)(?:[./]|$)/ },
      { kind: "embeddings", name: "embeddings", re: /^(?:model\.|transformer\.|gpt_neox\.|model\.language_model\.|language_model\.model\.|language_model\.)?(?:embed_tokens|wte|wpe|word_embeddings|tok_embeddings|embed_in|embeddings|embedding|token_embedding)(?:[./]|$)/ },
      { kind: "head", name: "output head", re: /^(?:language_model\.)?(?:lm_head|embed_out|output|score|classifier)(?:[./]|$)/ },
      { kind: "text", name: "text decoder", re: /^(?:model\.language_model\.|language_model\.model\.|language_model\.|model\.text_model\.|text_model\.)?(?:model\.)?(?:layers|h|blocks|decoder\.layers|norm|ln_f|final_layernorm|final_norm|rotary_emb)(?:[./]|$)|^(?:transformer|gpt_neox)\.(?:h|layers|ln_f|final_layer_norm)(?:[./]|$)/ }
    ];
    WRAPPERS = /* @__PURE__ */ new Set(["model", "module", "base_model", "transformer", "net", "network"]);
  }
});

// src/fingerprint/types.ts
var FINGERPRINT_SCHEMA;
var init_types = __esm({
  "src/fingerprint/types.ts"() {
    "use strict";
    FINGERPRINT_SCHEMA = "weightprint.fingerprint/1";
  }
});

// src/fingerprint/tokenizer-formats.ts
function parseVocabulary(files, name) {
  if (files["tokenizer.json"] !== void 0) {
    return parseTokenizerJson(parseJson(files["tokenizer.json"], name("tokenizer.json")), name("tokenizer.json"));
  }
  if (files["vocab.json"] !== void 0) {
    const vocab = parseJson(files["vocab.json"], name("vocab.json"));
    if (!isRecord(vocab)) throw new InputError(name("vocab.json"), "expected a JSON object of token → id");
    const merges = files["merges.txt"] !== void 0 ? parseMergesText(files["merges.txt"], name("merges.txt")) : void 0;
    return parseBpeVocab(vocab, merges, void 0, "vocab.json", name("vocab.json"));
  }
  if (files.tiktoken !== void 0) return parseTiktoken(files.tiktoken, name("tiktoken"));
  const model = files["tokenizer.model"];
  if (model !== void 0) {
    if (typeof model === "string") {
      if (!looksLikeTiktoken(model)) {
        throw new InputError(name("tokenizer.model"), "not a tiktoken rank file; pass a SentencePiece model as bytes");
      }
      return parseTiktoken(model, name("tokenizer.model"));
    }
    const head = Buffer.from(model.subarray(0, 256)).toString("latin1");
    if (looksLikeTiktoken(head)) return parseTiktoken(Buffer.from(model).toString("utf8"), name("tokenizer.model"));
    return parseSentencePiece(model, name("tokenizer.model"));
  }
  if (files.pieces !== void 0) return parsePieces(files.pieces, name("pieces"));
  return void 0;
}
function fromByteLevel(token) {
  let out = "";
  for (const ch of token) {
    const b = BYTE_DECODER.get(ch);
    if (b === void 0) return void 0;
    out += String.fromCharCode(b);
  }
  return out;
}
function utf8Key(s) {
  return Buffer.from(s, "utf8").toString("latin1");
}
function fromMetaspace(piece) {
  const m = BYTE_PIECE.exec(piece);
  if (m) return { key: String.fromCharCode(parseInt(m[1], 16)), isByte: true };
  return { key: utf8Key(piece.replace(/\u2581/g, " ")), isByte: false };
}
function chooseConvention(tokens, hints, notes) {
  const eow = hints.endOfWord ?? (tokens.filter((t) => t.endsWith("</w>")).length > tokens.length / 10 ? "</w>" : void 0);
  const allByteLevel = tokens.every((t) => fromByteLevel(t) !== void 0);
  const byteLevel = hints.byteLevel ?? (allByteLevel && tokens.some((t) => t.includes("Ġ") || t.includes("Ċ")));
  if (byteLevel) {
    const outside = tokens.filter((t) => fromByteLevel(t) === void 0).length;
    if (outside > 0) notes.push(`${outside} tokens lie outside the byte-level alphabet: taken as UTF-8`);
  }
  const byteCanon = (t) => fromByteLevel(t) ?? utf8Key(t);
  if (eow) {
    notes.push(`end-of-word suffix '${eow}' kept on tokens: not comparable with prefix-space vocabularies`);
    const stem2 = byteLevel ? byteCanon : utf8Key;
    return {
      convention: "end-of-word",
      canon: (t) => ({ key: t.endsWith(eow) ? stem2(t.slice(0, -eow.length)) + eow : stem2(t), isByte: false })
    };
  }
  if (byteLevel) {
    notes.push("byte-level (GPT-2 Ġ alphabet) tokens decoded to bytes");
    return { convention: "byte-level", canon: (t) => ({ key: byteCanon(t), isByte: false }) };
  }
  if (hints.metaspace ?? tokens.some((t) => t.includes("▁"))) {
    notes.push("metaspace (▁ = space, <0xNN> = byte) tokens decoded to bytes");
    return { convention: "metaspace", canon: fromMetaspace };
  }
  return { convention: "raw", canon: (t) => ({ key: utf8Key(t), isByte: false }) };
}
function looksSpecial(t, strict = false) {
  const s = t.trim();
  if (/^<\|[^\s]*\|>$/.test(s)) return true;
  return !strict && (/^<\/?[A-Za-z_][A-Za-z0-9_]*>$/.test(s) || /^\[[A-Z][A-Za-z0-9_]*\]$/.test(s));
}
function parseJson(text, source) {
  try {
    return JSON.parse(text.charCodeAt(0) === 65279 ? text.slice(1) : text);
  } catch (err2) {
    throw new InputError(source, `invalid JSON: ${firstLine(err2)}`);
  }
}
function firstLine(err2) {
  return String(err2 instanceof Error ? err2.message : err2).split("\n")[0];
}
function isRecord(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function parseMergesText(text, source) {
  const out = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "" || i === 0 && line.startsWith("#version")) continue;
    const sp = line.indexOf(" ");
    if (sp <= 0 || sp === line.length - 1 || line.indexOf(" ", sp + 1) !== -1) {
      throw new InputError(source, `line ${i + 1}: expected two tokens separated by one space`);
    }
    out.push([line.slice(0, sp), line.slice(sp + 1)]);
  }
  return out;
}
function parseMergesJson(merges, source) {
  if (!Array.isArray(merges)) throw new InputError(source, "model.merges is not a list");
  return merges.map((m, i) => {
    if (typeof m === "string") {
      const sp = m.indexOf(" ");
      if (sp <= 0) throw new InputError(source, `model.merges[${i}]: expected "a b"`);
      return [m.slice(0, sp), m.slice(sp + 1)];
    }
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") return [m[0], m[1]];
    throw new InputError(source, `model.merges[${i}]: expected "a b" or ["a", "b"]`);
  });
}
function parseTokenizerJson(json, source) {
  if (!isRecord(json) || !isRecord(json.model)) throw new InputError(source, 'no "model" object');
  const model = json.model;
  const added = [];
  if (Array.isArray(json.added_tokens)) {
    for (const t of json.added_tokens) {
      if (isRecord(t) && typeof t.content === "string") {
        added.push({ id: typeof t.id === "number" ? t.id : void 0, content: t.content, special: t.special === true });
      }
    }
  }
  const around = JSON.stringify([json.pre_tokenizer ?? null, json.decoder ?? null, json.normalizer ?? null]);
  const hints = {
    byteLevel: around.includes('"ByteLevel"') ? true : void 0,
    metaspace: around.includes('"Metaspace"') || around.includes("▁") ? true : void 0,
    endOfWord: typeof model.end_of_word_suffix === "string" && model.end_of_word_suffix ? model.end_of_word_suffix : void 0
  };
  const type = typeof model.type === "string" ? model.type : Array.isArray(model.merges) ? "BPE" : void 0;
  let parsed;
  if (type === "BPE") {
    if (!isRecord(model.vocab)) throw new InputError(source, "BPE model without a vocab object");
    const merges = model.merges === void 0 ? void 0 : parseMergesJson(model.merges, source);
    parsed = parseBpeVocab(model.vocab, merges, hints, "tokenizer.json", source);
  } else if (type === "Unigram") {
    parsed = parseUnigram(model, source);
  } else if (type === "WordPiece" || type === "WordLevel") {
    parsed = parseWordVocab(model, type, source);
  } else {
    throw new InputError(source, `unsupported model type ${JSON.stringify(model.type)}`);
  }
  parsed.added.push(...added);
  return parsed;
}
function vocabEntries(vocab, source) {
  const out = [];
  for (const [tok, id] of Object.entries(vocab)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
      throw new InputError(source, `token ${JSON.stringify(tok.slice(0, 40))} has a non-integer id`);
    }
    out.push([tok, id]);
  }
  return out;
}
function parseBpeVocab(vocab, rawMerges, hints, format, source) {
  const notes = [];
  const pairs = vocabEntries(vocab, source);
  const { convention, canon } = chooseConvention(pairs.map((p2) => p2[0]), hints ?? {}, notes);
  const added = [];
  const produced = rawMerges ? new Set(rawMerges.map(([a, b]) => a + b)) : void 0;
  const entries = [];
  for (const [tok, id] of pairs) {
    const single = [...tok].length === 1 || convention === "end-of-word" && [...tok.replace(/<\/w>$/, "")].length === 1;
    const { key, isByte } = canon(tok);
    const special = produced ? looksSpecial(tok) && !produced.has(tok) : looksSpecial(tok, true);
    if (special && !single && !BYTE_PIECE.test(tok)) {
      added.push({ id, content: tok, special: true });
      continue;
    }
    entries.push({ id, key, priority: isByte ? 1 : 0 });
  }
  let merges;
  if (rawMerges) {
    merges = rawMerges.map(([a, b]) => ({ left: canon(a).key, right: canon(b).key }));
  }
  if (!merges) notes.push("no merges given: merge order derived from token ids");
  return {
    type: "bpe",
    format,
    convention,
    entries,
    added,
    merges,
    derive: merges ? void 0 : convention === "end-of-word" ? void 0 : "ranks",
    units: convention === "byte-level" ? "bytes" : "chars",
    notes
  };
}
function parseUnigram(model, source) {
  if (!Array.isArray(model.vocab)) throw new InputError(source, "Unigram model without a vocab list");
  const entries = [];
  const added = [];
  const unk = typeof model.unk_id === "number" ? model.unk_id : -1;
  model.vocab.forEach((v, id) => {
    if (!Array.isArray(v) || typeof v[0] !== "string" || typeof v[1] !== "number") {
      throw new InputError(source, `model.vocab[${id}]: expected [piece, score]`);
    }
    if (id === unk) {
      added.push({ id, content: v[0], special: true });
      return;
    }
    const { key, isByte } = fromMetaspace(v[0]);
    entries.push({ id, key, priority: isByte ? 1 : 0, score: v[1] });
  });
  return {
    type: "unigram",
    format: "tokenizer.json",
    convention: "metaspace",
    entries,
    added,
    derive: "unigram",
    units: "chars",
    notes: ["metaspace (▁ = space, <0xNN> = byte) tokens decoded to bytes"]
  };
}
function parseWordVocab(model, type, source) {
  if (!isRecord(model.vocab)) throw new InputError(source, `${type} model without a vocab object`);
  const prefix = typeof model.continuing_subword_prefix === "string" ? model.continuing_subword_prefix : "##";
  const entries = [];
  const added = [];
  for (const [tok, id] of vocabEntries(model.vocab, source)) {
    if (/^\[[A-Z]+\]$/.test(tok) || /^\[unused\d+\]$/.test(tok)) {
      added.push({ id, content: tok, special: true });
      continue;
    }
    const key = type === "WordPiece" ? tok.startsWith(prefix) ? utf8Key(tok.slice(prefix.length)) : utf8Key(" " + tok) : utf8Key(tok);
    entries.push({ id, key, priority: 0 });
  }
  return {
    type: type === "WordPiece" ? "wordpiece" : "wordlevel",
    format: "tokenizer.json",
    convention: type === "WordPiece" ? "wordpiece" : "raw",
    entries,
    added,
    units: "chars",
    notes: type === "WordPiece" ? [`wordpiece: '${prefix}' continuation stripped, word-initial pieces prefixed with a space`] : []
  };
}
function looksLikeTiktoken(text) {
  const first = text.slice(0, 200).split("\n")[0] ?? "";
  return /^[A-Za-z0-9+/]*={0,2} \d+\r?$/.test(first);
}
function parseTiktoken(text, source) {
  const entries = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line === "") continue;
    const m = /^([A-Za-z0-9+/]*={0,2}) (\d+)$/.exec(line);
    if (!m) throw new InputError(source, `line ${i + 1}: expected "<base64> <rank>"`);
    const rank = Number(m[2]);
    entries.push({ id: rank, key: Buffer.from(m[1], "base64").toString("latin1"), priority: 0, rank });
  }
  if (entries.length === 0) throw new InputError(source, "empty rank file");
  return {
    type: "tiktoken",
    format: "tiktoken",
    convention: "bytes",
    entries,
    added: [],
    derive: "ranks",
    units: "bytes",
    notes: ["tiktoken ranks: base64 decoded to bytes; merges derived from ranks"]
  };
}
function parseSentencePiece(bytes, source) {
  const r = new ProtoReader(bytes, source);
  const pieces = [];
  let modelType = 1;
  while (!r.done()) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 2) {
      const p2 = r.bytes();
      let piece = "";
      let score = 0;
      let type = SP_NORMAL;
      while (!p2.done()) {
        const t = p2.varint();
        if (t === (1 << 3) + 2) piece = p2.bytes().text();
        else if (t === (2 << 3) + 5) score = p2.float();
        else if (t === (3 << 3) + 0) type = p2.varint();
        else p2.skip(t & 7);
      }
      pieces.push({ piece, score, type });
    } else if (field === 2 && wire === 2) {
      const t = r.bytes();
      while (!t.done()) {
        const tt = t.varint();
        if (tt === (3 << 3) + 0) modelType = t.varint();
        else t.skip(tt & 7);
      }
    } else {
      r.skip(wire);
    }
  }
  if (pieces.length === 0) throw new InputError(source, "not a SentencePiece model: no pieces");
  const entries = [];
  const added = [];
  const counts = /* @__PURE__ */ new Map();
  pieces.forEach(({ piece, score, type }, id) => {
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (type === SP_UNKNOWN || type === SP_CONTROL || type === SP_UNUSED) {
      added.push({ id, content: piece, special: true });
      return;
    }
    const { key, isByte } = type === SP_BYTE ? fromMetaspace(piece) : { key: utf8Key(piece.replace(/\u2581/g, " ")), isByte: false };
    entries.push({ id, key, priority: isByte ? 1 : 0, score });
  });
  const bpe = modelType === 2;
  if (bpe) rankByScore(entries);
  const typeNames = { 1: "normal", 2: "unknown", 3: "control", 4: "user", 5: "unused", 6: "byte" };
  const census = [...counts].map(([t, n]) => `${typeNames[t] ?? t} ${n}`).join(", ");
  return {
    type: bpe ? "sentencepiece-bpe" : "sentencepiece-unigram",
    format: "sentencepiece",
    convention: "metaspace",
    entries,
    added,
    derive: bpe ? "scores" : "unigram",
    units: "chars",
    notes: [
      `SentencePiece ${bpe ? "BPE" : modelType === 1 ? "unigram" : `model_type ${modelType}`}: ${census}; ▁ = space, byte pieces = bytes; control/unknown/unused are special`
    ]
  };
}
function rankByScore(entries) {
  const sorted = [...entries].sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.id - b.id);
  sorted.forEach((e, i) => e.rank = i);
}
function parsePieces(text, source) {
  let list2;
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    const arr = parseJson(text, source);
    if (!Array.isArray(arr) || !arr.every((p2) => typeof p2 === "string")) {
      throw new InputError(source, "expected a JSON array of piece strings");
    }
    list2 = arr.map((piece) => ({ piece }));
  } else {
    const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    const tsv = lines.length > 0 && lines.every((l) => /\t-?[0-9.eE+-]+$/.test(l));
    list2 = lines.map((l) => {
      if (!tsv) return { piece: l };
      const tab = l.lastIndexOf("	");
      return { piece: l.slice(0, tab), score: Number(l.slice(tab + 1)) };
    });
  }
  if (list2.length === 0) throw new InputError(source, "no pieces");
  const entries = [];
  const added = [];
  list2.forEach(({ piece, score }, id) => {
    if (looksSpecial(piece) && !BYTE_PIECE.test(piece)) {
      added.push({ id, content: piece, special: true });
      return;
    }
    const { key, isByte } = fromMetaspace(piece);
    entries.push({ id, key, priority: isByte ? 1 : 0, score });
  });
  const scored = list2.some((p2) => p2.score !== void 0);
  if (scored) rankByScore(entries);
  return {
    type: "pieces",
    format: "pieces",
    convention: "metaspace",
    entries,
    added,
    derive: scored ? "scores" : "ranks",
    units: "chars",
    notes: [`piece list${scored ? " with scores" : ""}: ▁ = space, <0xNN> = byte; merges derived from ${scored ? "scores" : "piece order"}`]
  };
}
function applyAddedTokenFiles(parsed, files, name) {
  const extra = [];
  if (files["tokenizer_config.json"] !== void 0) {
    const cfg = parseJson(files["tokenizer_config.json"], name("tokenizer_config.json"));
    if (!isRecord(cfg)) throw new InputError(name("tokenizer_config.json"), "expected a JSON object");
    if (isRecord(cfg.added_tokens_decoder)) {
      for (const [id, t] of Object.entries(cfg.added_tokens_decoder)) {
        if (isRecord(t) && typeof t.content === "string" && /^\d+$/.test(id)) {
          extra.push({ id: Number(id), content: t.content, special: t.special === true });
        }
      }
    }
    extra.push(...specialsFromMap(cfg));
  }
  if (files["special_tokens_map.json"] !== void 0) {
    const map = parseJson(files["special_tokens_map.json"], name("special_tokens_map.json"));
    if (!isRecord(map)) throw new InputError(name("special_tokens_map.json"), "expected a JSON object");
    extra.push(...specialsFromMap(map));
  }
  parsed.added.push(...extra);
}
function specialsFromMap(obj) {
  const out = [];
  const take = (v) => {
    if (typeof v === "string") out.push({ content: v, special: true });
    else if (isRecord(v) && typeof v.content === "string") out.push({ content: v.content, special: true });
  };
  for (const [k, v] of Object.entries(obj)) {
    if (/^(bos|eos|unk|sep|pad|cls|mask)_token$/.test(k)) take(v);
    if (k === "additional_special_tokens" && Array.isArray(v)) v.forEach(take);
  }
  return out;
}
var BYTE_DECODER, BYTE_PIECE, SP_NORMAL, SP_UNKNOWN, SP_CONTROL, SP_UNUSED, SP_BYTE, ProtoReader;
var init_tokenizer_formats = __esm({
  "src/fingerprint/tokenizer-formats.ts"() {
    "use strict";
    init_errors();
    BYTE_DECODER = (() => {
      const bs = [];
      for (let b = 33; b <= 126; b++) bs.push(b);
      for (let b = 161; b <= 172; b++) bs.push(b);
      for (let b = 174; b <= 255; b++) bs.push(b);
      const cs = [...bs];
      let n = 0;
      for (let b = 0; b < 256; b++) {
        if (!bs.includes(b)) {
          bs.push(b);
          cs.push(256 + n++);
        }
      }
      return new Map(bs.map((b, i) => [String.fromCharCode(cs[i]), b]));
    })();
    BYTE_PIECE = /^<0x([0-9A-Fa-f]{2})>$/;
    SP_NORMAL = 1;
    SP_UNKNOWN = 2;
    SP_CONTROL = 3;
    SP_UNUSED = 5;
    SP_BYTE = 6;
    ProtoReader = class _ProtoReader {
      constructor(buf, source, end = buf.length) {
        this.buf = buf;
        this.source = source;
        this.end = end;
      }
      buf;
      source;
      end;
      pos = 0;
      done() {
        return this.pos >= this.end;
      }
      varint() {
        let result = 0;
        let mul = 1;
        for (let i = 0; i < 10; i++) {
          if (this.pos >= this.end) this.fail("truncated varint");
          const b = this.buf[this.pos++];
          result += (b & 127) * mul;
          if (b < 128) return result;
          mul *= 128;
        }
        return this.fail("varint too long");
      }
      bytes() {
        const len = this.varint();
        if (this.pos + len > this.end) this.fail("truncated field");
        const r = new _ProtoReader(this.buf, this.source, this.pos + len);
        r.pos = this.pos;
        this.pos += len;
        return r;
      }
      float() {
        if (this.pos + 4 > this.end) this.fail("truncated float");
        const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
        this.pos += 4;
        return v;
      }
      skip(wire) {
        if (wire === 0) this.varint();
        else if (wire === 1) this.pos += 8;
        else if (wire === 2) this.bytes();
        else if (wire === 5) this.pos += 4;
        else this.fail(`unsupported wire type ${wire}`);
        if (this.pos > this.end) this.fail("truncated field");
      }
      text() {
        return Buffer.from(this.buf.subarray(this.pos, this.end)).toString("utf8");
      }
      fail(problem) {
        throw new InputError(this.source, `not a SentencePiece model: ${problem} at byte ${this.pos}`);
      }
    };
  }
});

// src/fingerprint/tokenizer.ts
import * as crypto2 from "node:crypto";
import { createHash as createHash2 } from "node:crypto";
function tokenizerSignature(files, source = "") {
  const name = (f) => source ? `${source}/${f}` : f;
  const parsed = parseVocabulary(files, name);
  if (!parsed) return void 0;
  applyAddedTokenFiles(parsed, files, name);
  return buildSignature(parsed);
}
function buildSignature(p2) {
  const notes = [...new Set(p2.notes)];
  const added = mergeAdded(p2);
  const specialIds = new Set(added.filter((t) => t.special && t.id !== void 0).map((t) => t.id));
  const entries = p2.entries.filter((e) => !specialIds.has(e.id));
  entries.sort((a, b) => a.id - b.id);
  const vocabDigest = sha256Hex(entries.map((e) => `${e.id}	${Buffer.from(e.key, "latin1").toString("base64")}
`));
  const byKey = /* @__PURE__ */ new Map();
  for (const e of entries) {
    const prev = byKey.get(e.key);
    if (!prev || e.priority < prev.priority) byKey.set(e.key, e);
  }
  if (byKey.size < entries.length) notes.push(`${entries.length - byKey.size} tokens share bytes with another token (kept once)`);
  const distinct = [...byKey.values()];
  const tokens = bottomK(
    distinct.map((e) => tokenHash(e.key)),
    distinct.map((e) => e.id),
    SKETCH_K
  );
  const ranks = rankSketch(p2, entries, byKey, notes);
  const ids = new Set(entries.map((e) => e.id));
  for (const t of added) if (t.id !== void 0) ids.add(t.id);
  const sortedAdded = [...added].sort((a, b) => (a.id ?? Infinity) - (b.id ?? Infinity) || cmp(a.content, b.content));
  return {
    schema: TOKENIZER_SIGNATURE_SCHEMA,
    type: p2.type,
    format: p2.format,
    convention: p2.convention,
    vocabSize: ids.size,
    tokenCount: byKey.size,
    vocabDigest,
    special: {
      count: sortedAdded.length,
      digest: sha256Hex(sortedAdded.map((t) => `${t.id ?? ""}	${t.content}
`)),
      tokens: sortedAdded.slice(0, SPECIAL_LIST_CAP)
    },
    tokens,
    ranks,
    notes
  };
}
function mergeAdded(p2) {
  const byContent = /* @__PURE__ */ new Map();
  for (const t of p2.added) {
    const prev = byContent.get(t.content);
    if (!prev) byContent.set(t.content, { ...t });
    else {
      prev.id ??= t.id;
      prev.special ||= t.special;
    }
  }
  const missing = [...byContent.values()].filter((t) => t.id === void 0);
  if (missing.length) {
    const surface = /* @__PURE__ */ new Map();
    const wanted = new Set(missing.map((t) => t.content));
    for (const e of p2.entries) {
      const text = Buffer.from(e.key, "latin1").toString("utf8");
      if (wanted.has(text) && !surface.has(text)) surface.set(text, e.id);
    }
    for (const t of missing) t.id = surface.get(t.content);
  }
  return [...byContent.values()];
}
function rankSketch(p2, entries, byKey, notes) {
  if (p2.merges) {
    const seen = /* @__PURE__ */ new Set();
    const hashes = [];
    const ranks = [];
    const lines = [];
    p2.merges.forEach((m, rank) => {
      lines.push(mergeLine(m));
      const h2 = mergeHash(m);
      if (seen.has(h2)) return;
      seen.add(h2);
      hashes.push(h2);
      ranks.push(rank);
    });
    return { kind: "merge", source: "explicit", count: p2.merges.length, digest: sha256Hex(lines), sketch: bottomK(hashes, ranks, SKETCH_K) };
  }
  if (p2.derive === "ranks" || p2.derive === "scores") {
    const { merges, unreachable } = deriveMerges([...byKey.values()], p2.units);
    if (unreachable > 0) notes.push(`${unreachable} multi-unit tokens are not reachable by merges of lower rank`);
    return {
      kind: "merge",
      source: p2.derive === "ranks" ? "derived-from-ranks" : "derived-from-scores",
      count: merges.length,
      digest: sha256Hex(merges.map(mergeLine)),
      sketch: bottomK(
        merges.map(mergeHash),
        merges.map((_, rank) => rank),
        SKETCH_K
      )
    };
  }
  if (p2.derive === "unigram") {
    const scored = entries.filter((e) => e.score !== void 0 && byKey.get(e.key) === e);
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    return {
      kind: "piece-score",
      source: "derived-from-scores",
      count: scored.length,
      digest: sha256Hex(scored.map((e) => `${Buffer.from(e.key, "latin1").toString("base64")}
`)),
      sketch: bottomK(
        scored.map((e) => tokenHash(e.key)),
        scored.map((_, rank) => rank),
        SKETCH_K
      )
    };
  }
  return void 0;
}
function deriveMerges(entries, units) {
  const rankOf = /* @__PURE__ */ new Map();
  for (const e of entries) rankOf.set(e.key, e.rank ?? e.id);
  const ordered = [...entries].sort((a, b) => (a.rank ?? a.id) - (b.rank ?? b.id));
  const merges = [];
  let unreachable = 0;
  for (const e of ordered) {
    const r = e.rank ?? e.id;
    const key = e.key;
    const starts = units === "bytes" ? [...Array(key.length).keys()] : utf8Starts(key);
    if (starts.length < 2) continue;
    starts.push(key.length);
    const pairRank = (i) => {
      const rr = rankOf.get(key.slice(starts[i], starts[i + 2]));
      return rr !== void 0 && rr < r ? rr : Infinity;
    };
    const pr = [];
    for (let i = 0; i < starts.length - 2; i++) pr.push(pairRank(i));
    for (; ; ) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < pr.length; i++) {
        if (pr[i] < bestRank) {
          bestRank = pr[i];
          best = i;
        }
      }
      if (best < 0) break;
      starts.splice(best + 1, 1);
      pr.splice(best, 1);
      if (best < pr.length) pr[best] = pairRank(best);
      if (best > 0) pr[best - 1] = pairRank(best - 1);
    }
    if (starts.length === 3) merges.push({ left: key.slice(0, starts[1]), right: key.slice(starts[1]) });
    else unreachable++;
  }
  return { merges, unreachable };
}
function utf8Starts(key) {
  const out = [];
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!(c >= 128 && c < 192 && out.length > 0)) out.push(i);
  }
  return out;
}
function mergeLine(m) {
  return `${Buffer.from(m.left, "latin1").toString("base64")} ${Buffer.from(m.right, "latin1").toString("base64")}
`;
}
function tokenHash(key) {
  return sha2562(Buffer.from(key, "latin1")).readBigUInt64BE(0);
}
function mergeHash(m) {
  const buf = Buffer.allocUnsafe(4 + m.left.length + m.right.length);
  buf.writeUInt32BE(m.left.length, 0);
  buf.write(m.left + m.right, 4, "latin1");
  return sha2562(buf).readBigUInt64BE(0);
}
function bottomK(hashes, values, k) {
  const n = hashes.length;
  const cut = n > 4 * k ? U64_MAX / BigInt(n) * BigInt(4 * k) : U64_MAX;
  let idx = [];
  for (let i = 0; i < n; i++) if (hashes[i] <= cut) idx.push(i);
  if (idx.length < k) idx = [...Array(n).keys()];
  idx.sort((x, y) => hashes[x] < hashes[y] ? -1 : hashes[x] > hashes[y] ? 1 : 0);
  const kept = [];
  for (const i of idx) {
    if (kept.length === k) break;
    if (kept.length && hashes[kept[kept.length - 1]] === hashes[i]) continue;
    kept.push(i);
  }
  const hb = Buffer.alloc(kept.length * 8);
  const vb = Buffer.alloc(kept.length * 4);
  kept.forEach((i, j) => {
    hb.writeBigUInt64BE(hashes[i], j * 8);
    vb.writeUInt32BE(values[i], j * 4);
  });
  return { k, n, hashes: hb.toString("base64"), values: vb.toString("base64") };
}
function sha256Hex(parts) {
  const h2 = createHash2("sha256");
  for (const p2 of parts) h2.update(p2, "utf8");
  return h2.digest("hex");
}
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
var TOKENIZER_SIGNATURE_SCHEMA, SKETCH_K, SPECIAL_LIST_CAP, sha2562, U64_MAX;
var init_tokenizer = __esm({
  "src/fingerprint/tokenizer.ts"() {
    "use strict";
    init_tokenizer_formats();
    TOKENIZER_SIGNATURE_SCHEMA = "weightprint.tokenizer/1";
    SKETCH_K = 1024;
    SPECIAL_LIST_CAP = 64;
    sha2562 = typeof crypto2.hash === "function" ? (data) => crypto2.hash("sha256", data, "buffer") : (data) => createHash2("sha256").update(data).digest();
    U64_MAX = (1n << 64n) - 1n;
  }
});

// src/fingerprint/config.ts
import { createHash as createHash3 } from "node:crypto";
function configSignature(configJson, source) {
  let json;
  try {
    json = JSON.parse(configJson.charCodeAt(0) === 65279 ? configJson.slice(1) : configJson);
  } catch (err2) {
    throw new InputError(source, `invalid JSON: ${String(err2 instanceof Error ? err2.message : err2).split("\n")[0]}`);
  }
  if (!isRecord2(json)) throw new InputError(source, "config is not a JSON object");
  const root = readFields(json);
  const subConfigs = [];
  for (const [key, value] of Object.entries(json)) {
    if (!isRecord2(value) || NOT_SUBMODELS.has(key) || !/_(config|cfg)$/.test(key)) continue;
    const fields = readFields(value);
    if (!fields.modelType && fields.hiddenSize === void 0 && fields.layers === void 0) continue;
    if (!fields.modelType && root.modelType) {
      fields.modelType = root.modelType;
      fields.modelTypeInherited = true;
    }
    subConfigs.push({ key, ...fields, archDigest: digest(fields, []) });
  }
  subConfigs.sort((a, b) => a.key < b.key ? -1 : 1);
  return { schema: CONFIG_SIGNATURE_SCHEMA, ...root, subConfigs, archDigest: digest(root, subConfigs) };
}
function readFields(obj) {
  const f = {};
  if (typeof obj.model_type === "string" && obj.model_type) f.modelType = obj.model_type;
  const arch = obj.architectures;
  if (typeof arch === "string") f.architectures = [arch];
  else if (Array.isArray(arch)) {
    const names = arch.filter((a) => typeof a === "string");
    if (names.length) f.architectures = names;
  }
  for (const [field, names] of Object.entries(ALIASES)) {
    for (const n of names) {
      const v = num(obj[n]);
      if (v !== void 0) {
        f[field] = v;
        break;
      }
    }
  }
  const theta = num(obj.rope_theta) ?? (isRecord2(obj.rope_parameters) ? num(obj.rope_parameters.rope_theta) : void 0) ?? num(obj.rotary_emb_base) ?? num(obj.rope_base) ?? // ChatGLM/GLM-4 state the base as a ratio: base = 10000 · rope_ratio.
  (num(obj.rope_ratio) !== void 0 ? 1e4 * num(obj.rope_ratio) : void 0);
  if (theta !== void 0) f.ropeTheta = theta;
  if (typeof obj.tie_word_embeddings === "boolean") f.tieWordEmbeddings = obj.tie_word_embeddings;
  return f;
}
function num(v) {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return void 0;
}
function digest(f, subs) {
  const fields = DIGEST_FIELDS.filter((k) => f[k] !== void 0).map((k) => [k, f[k]]);
  const parts = subs.map((s) => [s.key, s.archDigest]);
  return createHash3("sha256").update(JSON.stringify({ fields, subs: parts })).digest("hex");
}
function isRecord2(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
var CONFIG_SIGNATURE_SCHEMA, ALIASES, DIGEST_FIELDS, NOT_SUBMODELS;
var init_config = __esm({
  "src/fingerprint/config.ts"() {
    "use strict";
    init_errors();
    CONFIG_SIGNATURE_SCHEMA = "weightprint.config/1";
    ALIASES = {
      hiddenSize: ["hidden_size", "n_embd", "d_model", "dim", "width"],
      layers: ["num_hidden_layers", "n_layer", "num_layers", "n_layers", "depth", "layers"],
      heads: ["num_attention_heads", "n_head", "num_heads", "n_heads", "heads"],
      kvHeads: ["num_key_value_heads", "multi_query_group_num", "num_query_groups", "n_kv_heads", "num_kv_heads"],
      headDim: ["head_dim", "kv_channels"],
      intermediateSize: ["intermediate_size", "ffn_hidden_size", "n_inner", "inter_dim", "ffn_dim", "mlp_dim"],
      vocabSize: ["vocab_size", "padded_vocab_size", "n_vocab"],
      experts: ["n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts"],
      expertsPerToken: ["num_experts_per_tok", "experts_per_token", "n_activated_experts", "moe_topk"],
      sharedExperts: ["n_shared_experts", "num_shared_experts"],
      moeIntermediateSize: ["moe_intermediate_size", "moe_inter_dim"],
      qLoraRank: ["q_lora_rank"],
      kvLoraRank: ["kv_lora_rank"],
      patchSize: ["patch_size", "spatial_patch_size"],
      imageSize: ["image_size"],
      outHiddenSize: ["out_hidden_size"],
      maxPositions: ["max_position_embeddings", "n_positions", "seq_length", "max_seq_len", "context_length", "n_ctx"]
    };
    DIGEST_FIELDS = [
      "modelType",
      "architectures",
      "hiddenSize",
      "layers",
      "heads",
      "kvHeads",
      "headDim",
      "intermediateSize",
      "vocabSize",
      "ropeTheta",
      "tieWordEmbeddings",
      "experts",
      "expertsPerToken",
      "sharedExperts",
      "moeIntermediateSize",
      "qLoraRank",
      "kvLoraRank",
      "patchSize",
      "imageSize"
    ];
    NOT_SUBMODELS = /* @__PURE__ */ new Set(["quantization_config", "rope_scaling", "rope_parameters", "auto_map", "generation_config", "id2label", "label2id", "task_specific_params"]);
  }
});

// node_modules/yaml/dist/nodes/identity.js
var require_identity = __commonJS({
  "node_modules/yaml/dist/nodes/identity.js"(exports) {
    "use strict";
    var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
    var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
    var MAP = /* @__PURE__ */ Symbol.for("yaml.map");
    var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
    var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
    var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
    var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
    var isAlias = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
    var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
    var isMap = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP;
    var isPair = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
    var isScalar = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
    var isSeq = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
    function isCollection(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case MAP:
          case SEQ:
            return true;
        }
      return false;
    }
    function isNode(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case ALIAS:
          case MAP:
          case SCALAR:
          case SEQ:
            return true;
        }
      return false;
    }
    var hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;
    exports.ALIAS = ALIAS;
    exports.DOC = DOC;
    exports.MAP = MAP;
    exports.NODE_TYPE = NODE_TYPE;
    exports.PAIR = PAIR;
    exports.SCALAR = SCALAR;
    exports.SEQ = SEQ;
    exports.hasAnchor = hasAnchor;
    exports.isAlias = isAlias;
    exports.isCollection = isCollection;
    exports.isDocument = isDocument;
    exports.isMap = isMap;
    exports.isNode = isNode;
    exports.isPair = isPair;
    exports.isScalar = isScalar;
    exports.isSeq = isSeq;
  }
});

// node_modules/yaml/dist/visit.js
var require_visit = __commonJS({
  "node_modules/yaml/dist/visit.js"(exports) {
    "use strict";
    var identity = require_identity();
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove node");
    function visit(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        visit_(null, node, visitor_, Object.freeze([]));
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    function visit_(key, node, visitor, path) {
      const ctrl = callVisitor(key, node, visitor, path);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path = Object.freeze(path.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = visit_(i, node.items[i], visitor, path);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path = Object.freeze(path.concat(node));
          const ck = visit_("key", node.key, visitor, path);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = visit_("value", node.value, visitor, path);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    async function visitAsync(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
    }
    visitAsync.BREAK = BREAK;
    visitAsync.SKIP = SKIP;
    visitAsync.REMOVE = REMOVE;
    async function visitAsync_(key, node, visitor, path) {
      const ctrl = await callVisitor(key, node, visitor, path);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path = Object.freeze(path.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = await visitAsync_(i, node.items[i], visitor, path);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path = Object.freeze(path.concat(node));
          const ck = await visitAsync_("key", node.key, visitor, path);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = await visitAsync_("value", node.value, visitor, path);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    function initVisitor(visitor) {
      if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
          Alias: visitor.Node,
          Map: visitor.Node,
          Scalar: visitor.Node,
          Seq: visitor.Node
        }, visitor.Value && {
          Map: visitor.Value,
          Scalar: visitor.Value,
          Seq: visitor.Value
        }, visitor.Collection && {
          Map: visitor.Collection,
          Seq: visitor.Collection
        }, visitor);
      }
      return visitor;
    }
    function callVisitor(key, node, visitor, path) {
      if (typeof visitor === "function")
        return visitor(key, node, path);
      if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
      if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
      if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
      if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
      if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
      return void 0;
    }
    function replaceNode(key, path, node) {
      const parent = path[path.length - 1];
      if (identity.isCollection(parent)) {
        parent.items[key] = node;
      } else if (identity.isPair(parent)) {
        if (key === "key")
          parent.key = node;
        else
          parent.value = node;
      } else if (identity.isDocument(parent)) {
        parent.contents = node;
      } else {
        const pt = identity.isAlias(parent) ? "alias" : "scalar";
        throw new Error(`Cannot replace node with ${pt} parent`);
      }
    }
    exports.visit = visit;
    exports.visitAsync = visitAsync;
  }
});

// node_modules/yaml/dist/doc/directives.js
var require_directives = __commonJS({
  "node_modules/yaml/dist/doc/directives.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit = require_visit();
    var escapeChars = {
      "!": "%21",
      ",": "%2C",
      "[": "%5B",
      "]": "%5D",
      "{": "%7B",
      "}": "%7D"
    };
    var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
    var Directives = class _Directives {
      constructor(yaml, tags) {
        this.docStart = null;
        this.docEnd = false;
        this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, _Directives.defaultTags, tags);
      }
      clone() {
        const copy = new _Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
      }
      /**
       * During parsing, get a Directives instance for the current document and
       * update the stream state according to the current version's spec.
       */
      atDocument() {
        const res = new _Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
          case "1.1":
            this.atNextDocument = true;
            break;
          case "1.2":
            this.atNextDocument = false;
            this.yaml = {
              explicit: _Directives.defaultYaml.explicit,
              version: "1.2"
            };
            this.tags = Object.assign({}, _Directives.defaultTags);
            break;
        }
        return res;
      }
      /**
       * @param onError - May be called even if the action was successful
       * @returns `true` on success
       */
      add(line, onError) {
        if (this.atNextDocument) {
          this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
          this.tags = Object.assign({}, _Directives.defaultTags);
          this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
          case "%TAG": {
            if (parts.length !== 2) {
              onError(0, "%TAG directive should contain exactly two parts");
              if (parts.length < 2)
                return false;
            }
            const [handle, prefix] = parts;
            this.tags[handle] = prefix;
            return true;
          }
          case "%YAML": {
            this.yaml.explicit = true;
            if (parts.length !== 1) {
              onError(0, "%YAML directive should contain exactly one part");
              return false;
            }
            const [version] = parts;
            if (version === "1.1" || version === "1.2") {
              this.yaml.version = version;
              return true;
            } else {
              const isValid = /^\d+\.\d+$/.test(version);
              onError(6, `Unsupported YAML version ${version}`, isValid);
              return false;
            }
          }
          default:
            onError(0, `Unknown directive ${name}`, true);
            return false;
        }
      }
      /**
       * Resolves a tag, matching handles to those defined in %TAG directives.
       *
       * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
       *   `'!local'` tag, or `null` if unresolvable.
       */
      tagName(source, onError) {
        if (source === "!")
          return "!";
        if (source[0] !== "!") {
          onError(`Not a valid tag: ${source}`);
          return null;
        }
        if (source[1] === "<") {
          const verbatim = source.slice(2, -1);
          if (verbatim === "!" || verbatim === "!!") {
            onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
            return null;
          }
          if (source[source.length - 1] !== ">")
            onError("Verbatim tags must end with a >");
          return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
          onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
          try {
            return prefix + decodeURIComponent(suffix);
          } catch (error) {
            onError(String(error));
            return null;
          }
        }
        if (handle === "!")
          return source;
        onError(`Could not resolve tag: ${source}`);
        return null;
      }
      /**
       * Given a fully resolved tag, returns its printable string form,
       * taking into account current tag prefixes and defaults.
       */
      tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
          if (tag.startsWith(prefix))
            return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === "!" ? tag : `!<${tag}>`;
      }
      toString(doc) {
        const lines = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
          const tags = {};
          visit.visit(doc.contents, (_key, node) => {
            if (identity.isNode(node) && node.tag)
              tags[node.tag] = true;
          });
          tagNames = Object.keys(tags);
        } else
          tagNames = [];
        for (const [handle, prefix] of tagEntries) {
          if (handle === "!!" && prefix === "tag:yaml.org,2002:")
            continue;
          if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
            lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join("\n");
      }
    };
    Directives.defaultYaml = { explicit: false, version: "1.2" };
    Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };
    exports.Directives = Directives;
  }
});

// node_modules/yaml/dist/doc/anchors.js
var require_anchors = __commonJS({
  "node_modules/yaml/dist/doc/anchors.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit = require_visit();
    function anchorIsValid(anchor) {
      if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
      }
      return true;
    }
    function anchorNames(root) {
      const anchors = /* @__PURE__ */ new Set();
      visit.visit(root, {
        Value(_key, node) {
          if (node.anchor)
            anchors.add(node.anchor);
        }
      });
      return anchors;
    }
    function findNewAnchor(prefix, exclude) {
      for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
          return name;
      }
    }
    function createNodeAnchors(doc, prefix) {
      const aliasObjects = [];
      const sourceObjects = /* @__PURE__ */ new Map();
      let prevAnchors = null;
      return {
        onAnchor: (source) => {
          aliasObjects.push(source);
          prevAnchors ?? (prevAnchors = anchorNames(doc));
          const anchor = findNewAnchor(prefix, prevAnchors);
          prevAnchors.add(anchor);
          return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
          for (const source of aliasObjects) {
            const ref = sourceObjects.get(source);
            if (typeof ref === "object" && ref.anchor && (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
              ref.node.anchor = ref.anchor;
            } else {
              const error = new Error("Failed to resolve repeated object (this should not happen)");
              error.source = source;
              throw error;
            }
          }
        },
        sourceObjects
      };
    }
    exports.anchorIsValid = anchorIsValid;
    exports.anchorNames = anchorNames;
    exports.createNodeAnchors = createNodeAnchors;
    exports.findNewAnchor = findNewAnchor;
  }
});

// node_modules/yaml/dist/doc/applyReviver.js
var require_applyReviver = __commonJS({
  "node_modules/yaml/dist/doc/applyReviver.js"(exports) {
    "use strict";
    function applyReviver(reviver, obj, key, val) {
      if (val && typeof val === "object") {
        if (Array.isArray(val)) {
          for (let i = 0, len = val.length; i < len; ++i) {
            const v0 = val[i];
            const v1 = applyReviver(reviver, val, String(i), v0);
            if (v1 === void 0)
              delete val[i];
            else if (v1 !== v0)
              val[i] = v1;
          }
        } else if (val instanceof Map) {
          for (const k of Array.from(val.keys())) {
            const v0 = val.get(k);
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              val.delete(k);
            else if (v1 !== v0)
              val.set(k, v1);
          }
        } else if (val instanceof Set) {
          for (const v0 of Array.from(val)) {
            const v1 = applyReviver(reviver, val, v0, v0);
            if (v1 === void 0)
              val.delete(v0);
            else if (v1 !== v0) {
              val.delete(v0);
              val.add(v1);
            }
          }
        } else {
          for (const [k, v0] of Object.entries(val)) {
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              delete val[k];
            else if (v1 !== v0)
              val[k] = v1;
          }
        }
      }
      return reviver.call(obj, key, val);
    }
    exports.applyReviver = applyReviver;
  }
});

// node_modules/yaml/dist/nodes/toJS.js
var require_toJS = __commonJS({
  "node_modules/yaml/dist/nodes/toJS.js"(exports) {
    "use strict";
    var identity = require_identity();
    function toJS(value, arg, ctx) {
      if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
      if (value && typeof value.toJSON === "function") {
        if (!ctx || !identity.hasAnchor(value))
          return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: void 0 };
        ctx.anchors.set(value, data);
        ctx.onCreate = (res2) => {
          data.res = res2;
          delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
          ctx.onCreate(res);
        return res;
      }
      if (typeof value === "bigint" && !ctx?.keep)
        return Number(value);
      return value;
    }
    exports.toJS = toJS;
  }
});

// node_modules/yaml/dist/nodes/Node.js
var require_Node = __commonJS({
  "node_modules/yaml/dist/nodes/Node.js"(exports) {
    "use strict";
    var applyReviver = require_applyReviver();
    var identity = require_identity();
    var toJS = require_toJS();
    var NodeBase = class {
      constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
      }
      /** Create a copy of this node.  */
      clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** A plain JavaScript representation of this node. */
      toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
          throw new TypeError("A document argument is required");
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc,
          keep: true,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, "", ctx);
        if (typeof onAnchor === "function")
          for (const { count: count2, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count2);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
    };
    exports.NodeBase = NodeBase;
  }
});

// node_modules/yaml/dist/nodes/Alias.js
var require_Alias = __commonJS({
  "node_modules/yaml/dist/nodes/Alias.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var visit = require_visit();
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var Alias = class extends Node.NodeBase {
      constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, "tag", {
          set() {
            throw new Error("Alias nodes cannot have tags");
          }
        });
      }
      /**
       * Resolve the value of this alias within `doc`, finding the last
       * instance of the `source` anchor before this node.
       */
      resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
          throw new ReferenceError("Alias resolution is disabled");
        let nodes;
        if (ctx?.aliasResolveCache) {
          nodes = ctx.aliasResolveCache;
        } else {
          nodes = [];
          visit.visit(doc, {
            Node: (_key, node) => {
              if (identity.isAlias(node) || identity.hasAnchor(node))
                nodes.push(node);
            }
          });
          if (ctx)
            ctx.aliasResolveCache = nodes;
        }
        let found = void 0;
        for (const node of nodes) {
          if (node === this)
            break;
          if (node.anchor === this.source)
            found = node;
        }
        if (found && ctx) {
          const { anchors: anchors2, doc: doc2, maxAliasCount } = ctx;
          let data = anchors2.get(found);
          if (!data) {
            toJS.toJS(found, null, ctx);
            data = anchors2.get(found);
          }
          if (data?.res === void 0) {
            const msg = "This should not happen: Alias anchor was not resolved?";
            throw new ReferenceError(msg);
          }
          if (maxAliasCount >= 0) {
            data.count += 1;
            if (data.aliasCount === 0)
              data.aliasCount = getAliasCount(doc2, found, anchors2);
            if (data.count * data.aliasCount > maxAliasCount) {
              const msg = "Excessive alias count indicates a resource exhaustion attack";
              throw new ReferenceError(msg);
            }
          }
        }
        return found;
      }
      toJSON(_arg, ctx) {
        if (!ctx)
          return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
          const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
          throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
      }
      toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
          anchors.anchorIsValid(this.source);
          if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new Error(msg);
          }
          if (ctx.implicitKey)
            return `${src} `;
        }
        return src;
      }
    };
    function getAliasCount(doc, node, anchors2) {
      if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors2 && source && anchors2.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
      } else if (identity.isCollection(node)) {
        let count2 = 0;
        for (const item of node.items) {
          const c = getAliasCount(doc, item, anchors2);
          if (c > count2)
            count2 = c;
        }
        return count2;
      } else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors2);
        const vc = getAliasCount(doc, node.value, anchors2);
        return Math.max(kc, vc);
      }
      return 1;
    }
    exports.Alias = Alias;
  }
});

// node_modules/yaml/dist/nodes/Scalar.js
var require_Scalar = __commonJS({
  "node_modules/yaml/dist/nodes/Scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
    var Scalar = class extends Node.NodeBase {
      constructor(value) {
        super(identity.SCALAR);
        this.value = value;
      }
      toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
      }
      toString() {
        return String(this.value);
      }
    };
    Scalar.BLOCK_FOLDED = "BLOCK_FOLDED";
    Scalar.BLOCK_LITERAL = "BLOCK_LITERAL";
    Scalar.PLAIN = "PLAIN";
    Scalar.QUOTE_DOUBLE = "QUOTE_DOUBLE";
    Scalar.QUOTE_SINGLE = "QUOTE_SINGLE";
    exports.Scalar = Scalar;
    exports.isScalarValue = isScalarValue;
  }
});

// node_modules/yaml/dist/doc/createNode.js
var require_createNode = __commonJS({
  "node_modules/yaml/dist/doc/createNode.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var defaultTagPrefix = "tag:yaml.org,2002:";
    function findTagObject(value, tagName, tags) {
      if (tagName) {
        const match = tags.filter((t) => t.tag === tagName);
        const tagObj = match.find((t) => !t.format) ?? match[0];
        if (!tagObj)
          throw new Error(`Tag ${tagName} not found`);
        return tagObj;
      }
      return tags.find((t) => t.identify?.(value) && !t.format);
    }
    function createNode(value, tagName, ctx) {
      if (identity.isDocument(value))
        value = value.contents;
      if (identity.isNode(value))
        return value;
      if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
      }
      if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
        value = value.valueOf();
      }
      const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
      let ref = void 0;
      if (aliasDuplicateObjects && value && typeof value === "object") {
        ref = sourceObjects.get(value);
        if (ref) {
          ref.anchor ?? (ref.anchor = onAnchor(value));
          return new Alias.Alias(ref.anchor);
        } else {
          ref = { anchor: null, node: null };
          sourceObjects.set(value, ref);
        }
      }
      if (tagName?.startsWith("!!"))
        tagName = defaultTagPrefix + tagName.slice(2);
      let tagObj = findTagObject(value, tagName, schema.tags);
      if (!tagObj) {
        if (value && typeof value.toJSON === "function") {
          value = value.toJSON();
        }
        if (!value || typeof value !== "object") {
          const node2 = new Scalar.Scalar(value);
          if (ref)
            ref.node = node2;
          return node2;
        }
        tagObj = value instanceof Map ? schema[identity.MAP] : Symbol.iterator in Object(value) ? schema[identity.SEQ] : schema[identity.MAP];
      }
      if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
      }
      const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar.Scalar(value);
      if (tagName)
        node.tag = tagName;
      else if (!tagObj.default)
        node.tag = tagObj.tag;
      if (ref)
        ref.node = node;
      return node;
    }
    exports.createNode = createNode;
  }
});

// node_modules/yaml/dist/nodes/Collection.js
var require_Collection = __commonJS({
  "node_modules/yaml/dist/nodes/Collection.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var identity = require_identity();
    var Node = require_Node();
    function collectionFromPath(schema, path, value) {
      let v = value;
      for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
          const a = [];
          a[k] = v;
          v = a;
        } else {
          v = /* @__PURE__ */ new Map([[k, v]]);
        }
      }
      return createNode.createNode(v, void 0, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
          throw new Error("This should not happen, please report a bug.");
        },
        schema,
        sourceObjects: /* @__PURE__ */ new Map()
      });
    }
    var isEmptyPath = (path) => path == null || typeof path === "object" && !!path[Symbol.iterator]().next().done;
    var Collection = class extends Node.NodeBase {
      constructor(type, schema) {
        super(type);
        Object.defineProperty(this, "schema", {
          value: schema,
          configurable: true,
          enumerable: false,
          writable: true
        });
      }
      /**
       * Create a copy of this collection.
       *
       * @param schema - If defined, overwrites the original's schema
       */
      clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
          copy.schema = schema;
        copy.items = copy.items.map((it) => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /**
       * Adds a value to the collection. For `!!map` and `!!omap` the value must
       * be a Pair instance or a `{ key, value }` object, which may not have a key
       * that already exists in the map.
       */
      addIn(path, value) {
        if (isEmptyPath(path))
          this.add(value);
        else {
          const [key, ...rest] = path;
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.addIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
      /**
       * Removes a value from the collection.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
          return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
          return node.deleteIn(rest);
        else
          throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
          return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
          return identity.isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
      }
      hasAllNullValues(allowScalar) {
        return this.items.every((node) => {
          if (!identity.isPair(node))
            return false;
          const n = node.value;
          return n == null || allowScalar && identity.isScalar(n) && n.value == null && !n.commentBefore && !n.comment && !n.tag;
        });
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       */
      hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
          return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
          this.set(key, value);
        } else {
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.setIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
    };
    exports.Collection = Collection;
    exports.collectionFromPath = collectionFromPath;
    exports.isEmptyPath = isEmptyPath;
  }
});

// node_modules/yaml/dist/stringify/stringifyComment.js
var require_stringifyComment = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyComment.js"(exports) {
    "use strict";
    var stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, "#");
    function indentComment(comment, indent) {
      if (/^\n+$/.test(comment))
        return comment.substring(1);
      return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
    }
    var lineComment = (str, indent, comment) => str.endsWith("\n") ? indentComment(comment, indent) : comment.includes("\n") ? "\n" + indentComment(comment, indent) : (str.endsWith(" ") ? "" : " ") + comment;
    exports.indentComment = indentComment;
    exports.lineComment = lineComment;
    exports.stringifyComment = stringifyComment;
  }
});

// node_modules/yaml/dist/stringify/foldFlowLines.js
var require_foldFlowLines = __commonJS({
  "node_modules/yaml/dist/stringify/foldFlowLines.js"(exports) {
    "use strict";
    var FOLD_FLOW = "flow";
    var FOLD_BLOCK = "block";
    var FOLD_QUOTED = "quoted";
    function foldFlowLines(text, indent, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
      if (!lineWidth || lineWidth < 0)
        return text;
      if (lineWidth < minContentWidth)
        minContentWidth = 0;
      const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
      if (text.length <= endStep)
        return text;
      const folds = [];
      const escapedFolds = {};
      let end = lineWidth - indent.length;
      if (typeof indentAtStart === "number") {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
          folds.push(0);
        else
          end = lineWidth - indentAtStart;
      }
      let split = void 0;
      let prev = void 0;
      let overflow = false;
      let i = -1;
      let escStart = -1;
      let escEnd = -1;
      if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
          end = i + endStep;
      }
      for (let ch; ch = text[i += 1]; ) {
        if (mode === FOLD_QUOTED && ch === "\\") {
          escStart = i;
          switch (text[i + 1]) {
            case "x":
              i += 3;
              break;
            case "u":
              i += 5;
              break;
            case "U":
              i += 9;
              break;
            default:
              i += 1;
          }
          escEnd = i;
        }
        if (ch === "\n") {
          if (mode === FOLD_BLOCK)
            i = consumeMoreIndentedLines(text, i, indent.length);
          end = i + indent.length + endStep;
          split = void 0;
        } else {
          if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
            const next = text[i + 1];
            if (next && next !== " " && next !== "\n" && next !== "	")
              split = i;
          }
          if (i >= end) {
            if (split) {
              folds.push(split);
              end = split + endStep;
              split = void 0;
            } else if (mode === FOLD_QUOTED) {
              while (prev === " " || prev === "	") {
                prev = ch;
                ch = text[i += 1];
                overflow = true;
              }
              const j = i > escEnd + 1 ? i - 2 : escStart - 1;
              if (escapedFolds[j])
                return text;
              folds.push(j);
              escapedFolds[j] = true;
              end = j + endStep;
              split = void 0;
            } else {
              overflow = true;
            }
          }
        }
        prev = ch;
      }
      if (overflow && onOverflow)
        onOverflow();
      if (folds.length === 0)
        return text;
      if (onFold)
        onFold();
      let res = text.slice(0, folds[0]);
      for (let i2 = 0; i2 < folds.length; ++i2) {
        const fold = folds[i2];
        const end2 = folds[i2 + 1] || text.length;
        if (fold === 0)
          res = `
${indent}${text.slice(0, end2)}`;
        else {
          if (mode === FOLD_QUOTED && escapedFolds[fold])
            res += `${text[fold]}\\`;
          res += `
${indent}${text.slice(fold + 1, end2)}`;
        }
      }
      return res;
    }
    function consumeMoreIndentedLines(text, i, indent) {
      let end = i;
      let start = i + 1;
      let ch = text[start];
      while (ch === " " || ch === "	") {
        if (i < start + indent) {
          ch = text[++i];
        } else {
          do {
            ch = text[++i];
          } while (ch && ch !== "\n");
          end = i;
          start = i + 1;
          ch = text[start];
        }
      }
      return end;
    }
    exports.FOLD_BLOCK = FOLD_BLOCK;
    exports.FOLD_FLOW = FOLD_FLOW;
    exports.FOLD_QUOTED = FOLD_QUOTED;
    exports.foldFlowLines = foldFlowLines;
  }
});

// node_modules/yaml/dist/stringify/stringifyString.js
var require_stringifyString = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyString.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var foldFlowLines = require_foldFlowLines();
    var getFoldOptions = (ctx, isBlock) => ({
      indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
      lineWidth: ctx.options.lineWidth,
      minContentWidth: ctx.options.minContentWidth
    });
    var containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
    function lineLengthOverLimit(str, lineWidth, indentLength) {
      if (!lineWidth || lineWidth < 0)
        return false;
      const limit = lineWidth - indentLength;
      const strLen = str.length;
      if (strLen <= limit)
        return false;
      for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === "\n") {
          if (i - start > limit)
            return true;
          start = i + 1;
          if (strLen - start <= limit)
            return false;
        }
      }
      return true;
    }
    function doubleQuotedString(value, ctx) {
      const json = JSON.stringify(value);
      if (ctx.options.doubleQuotedAsJSON)
        return json;
      const { implicitKey } = ctx;
      const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      let str = "";
      let start = 0;
      for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
          str += json.slice(start, i) + "\\ ";
          i += 1;
          start = i;
          ch = "\\";
        }
        if (ch === "\\")
          switch (json[i + 1]) {
            case "u":
              {
                str += json.slice(start, i);
                const code2 = json.substr(i + 2, 4);
                switch (code2) {
                  case "0000":
                    str += "\\0";
                    break;
                  case "0007":
                    str += "\\a";
                    break;
                  case "000b":
                    str += "\\v";
                    break;
                  case "001b":
                    str += "\\e";
                    break;
                  case "0085":
                    str += "\\N";
                    break;
                  case "00a0":
                    str += "\\_";
                    break;
                  case "2028":
                    str += "\\L";
                    break;
                  case "2029":
                    str += "\\P";
                    break;
                  default:
                    if (code2.substr(0, 2) === "00")
                      str += "\\x" + code2.substr(2);
                    else
                      str += json.substr(i, 6);
                }
                i += 5;
                start = i + 1;
              }
              break;
            case "n":
              if (implicitKey || json[i + 2] === '"' || json.length < minMultiLineLength) {
                i += 1;
              } else {
                str += json.slice(start, i) + "\n\n";
                while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
                  str += "\n";
                  i += 2;
                }
                str += indent;
                if (json[i + 2] === " ")
                  str += "\\";
                i += 1;
                start = i + 1;
              }
              break;
            default:
              i += 1;
          }
      }
      str = start ? str + json.slice(start) : json;
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
    }
    function singleQuotedString(value, ctx) {
      if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
        return doubleQuotedString(value, ctx);
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent}`) + "'";
      return ctx.implicitKey ? res : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function quotedString(value, ctx) {
      const { singleQuote } = ctx.options;
      let qs;
      if (singleQuote === false)
        qs = doubleQuotedString;
      else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
          qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
          qs = doubleQuotedString;
        else
          qs = singleQuote ? singleQuotedString : doubleQuotedString;
      }
      return qs(value, ctx);
    }
    var blockEndNewlines;
    try {
      blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
    } catch {
      blockEndNewlines = /\n+(?!\n|$)/g;
    }
    function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
      const { blockQuote, commentString, lineWidth } = ctx.options;
      if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
      }
      const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
      const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar.Scalar.BLOCK_FOLDED ? false : type === Scalar.Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent.length);
      if (!value)
        return literal ? "|\n" : ">\n";
      let chomp;
      let endStart;
      for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== "\n" && ch !== "	" && ch !== " ")
          break;
      }
      let end = value.substring(endStart);
      const endNlPos = end.indexOf("\n");
      if (endNlPos === -1) {
        chomp = "-";
      } else if (value === end || endNlPos !== end.length - 1) {
        chomp = "+";
        if (onChompKeep)
          onChompKeep();
      } else {
        chomp = "";
      }
      if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === "\n")
          end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
      }
      let startWithSpace = false;
      let startEnd;
      let startNlPos = -1;
      for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === " ")
          startWithSpace = true;
        else if (ch === "\n")
          startNlPos = startEnd;
        else
          break;
      }
      let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
      if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
      }
      const indentSize = indent ? "2" : "1";
      let header = (startWithSpace ? indentSize : "") + chomp;
      if (comment) {
        header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
        if (onComment)
          onComment();
      }
      if (!literal) {
        const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== "folded" && type !== Scalar.Scalar.BLOCK_FOLDED) {
          foldOptions.onOverflow = () => {
            literalFallback = true;
          };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
          return `>${header}
${indent}${body}`;
      }
      value = value.replace(/\n+/g, `$&${indent}`);
      return `|${header}
${indent}${start}${value}${end}`;
    }
    function plainString(item, ctx, onComment, onChompKeep) {
      const { type, value } = item;
      const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
      if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
        return quotedString(value, ctx);
      }
      if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
      }
      if (!implicitKey && !inFlow && type !== Scalar.Scalar.PLAIN && value.includes("\n")) {
        return blockString(item, ctx, onComment, onChompKeep);
      }
      if (containsDocumentMarker(value)) {
        if (indent === "") {
          ctx.forceBlockIndent = true;
          return blockString(item, ctx, onComment, onChompKeep);
        } else if (implicitKey && indent === indentStep) {
          return quotedString(value, ctx);
        }
      }
      const str = value.replace(/\n+/g, `$&
${indent}`);
      if (actualString) {
        const test2 = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test2) || compat?.some(test2))
          return quotedString(value, ctx);
      }
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function stringifyString(item, ctx, onComment, onChompKeep) {
      const { implicitKey, inFlow } = ctx;
      const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
      let { type } = item;
      if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
          type = Scalar.Scalar.QUOTE_DOUBLE;
      }
      const _stringify = (_type) => {
        switch (_type) {
          case Scalar.Scalar.BLOCK_FOLDED:
          case Scalar.Scalar.BLOCK_LITERAL:
            return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
          case Scalar.Scalar.QUOTE_DOUBLE:
            return doubleQuotedString(ss.value, ctx);
          case Scalar.Scalar.QUOTE_SINGLE:
            return singleQuotedString(ss.value, ctx);
          case Scalar.Scalar.PLAIN:
            return plainString(ss, ctx, onComment, onChompKeep);
          default:
            return null;
        }
      };
      let res = _stringify(type);
      if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = implicitKey && defaultKeyType || defaultStringType;
        res = _stringify(t);
        if (res === null)
          throw new Error(`Unsupported default string type ${t}`);
      }
      return res;
    }
    exports.stringifyString = stringifyString;
  }
});

// node_modules/yaml/dist/stringify/stringify.js
var require_stringify = __commonJS({
  "node_modules/yaml/dist/stringify/stringify.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var identity = require_identity();
    var stringifyComment = require_stringifyComment();
    var stringifyString = require_stringifyString();
    function createStringifyContext(doc, options) {
      const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: "PLAIN",
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: "false",
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: "null",
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: "true",
        verifyAliasOrder: true
      }, doc.schema.toStringOptions, options);
      let inFlow;
      switch (opt.collectionStyle) {
        case "block":
          inFlow = false;
          break;
        case "flow":
          inFlow = true;
          break;
        default:
          inFlow = null;
      }
      return {
        anchors: /* @__PURE__ */ new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
        indent: "",
        indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
        inFlow,
        options: opt
      };
    }
    function getTagObject(tags, item) {
      if (item.tag) {
        const match = tags.filter((t) => t.tag === item.tag);
        if (match.length > 0)
          return match.find((t) => t.format === item.format) ?? match[0];
      }
      let tagObj = void 0;
      let obj;
      if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter((t) => t.identify?.(obj));
        if (match.length > 1) {
          const testMatch = match.filter((t) => t.test);
          if (testMatch.length > 0)
            match = testMatch;
        }
        tagObj = match.find((t) => t.format === item.format) ?? match.find((t) => !t.format);
      } else {
        obj = item;
        tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
      }
      if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
      }
      return tagObj;
    }
    function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
      if (!doc.directives)
        return "";
      const props = [];
      const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
      if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
      }
      const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
      if (tag)
        props.push(doc.directives.tagString(tag));
      return props.join(" ");
    }
    function stringify(item, ctx, onComment, onChompKeep) {
      if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
      if (identity.isAlias(item)) {
        if (ctx.doc.directives)
          return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
          throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        } else {
          if (ctx.resolvedAliases)
            ctx.resolvedAliases.add(item);
          else
            ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
          item = item.resolve(ctx.doc);
        }
      }
      let tagObj = void 0;
      const node = identity.isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o) => tagObj = o });
      tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
      const props = stringifyProps(node, tagObj, ctx);
      if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
      const str = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : identity.isScalar(node) ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
      if (!props)
        return str;
      return identity.isScalar(node) || str[0] === "{" || str[0] === "[" ? `${props} ${str}` : `${props}
${ctx.indent}${str}`;
    }
    exports.createStringifyContext = createStringifyContext;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/stringify/stringifyPair.js
var require_stringifyPair = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyPair.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
      const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
      let keyComment = identity.isNode(key) && key.comment || null;
      if (simpleKeys) {
        if (keyComment) {
          throw new Error("With simple keys, key nodes cannot have comments");
        }
        if (identity.isCollection(key) || !identity.isNode(key) && typeof key === "object") {
          const msg = "With simple keys, collection cannot be used as a key value";
          throw new Error(msg);
        }
      }
      let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || identity.isCollection(key) || (identity.isScalar(key) ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL : typeof key === "object"));
      ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
      });
      let keyCommentDone = false;
      let chompKeep = false;
      let str = stringify.stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
      if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
          throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
        explicitKey = true;
      }
      if (ctx.inFlow) {
        if (allNullValues || value == null) {
          if (keyCommentDone && onComment)
            onComment();
          return str === "" ? "?" : explicitKey ? `? ${str}` : str;
        }
      } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        } else if (chompKeep && onChompKeep)
          onChompKeep();
        return str;
      }
      if (keyCommentDone)
        keyComment = null;
      if (explicitKey) {
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}
${indent}:`;
      } else {
        str = `${str}:`;
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
      }
      let vsb, vcb, valueComment;
      if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
      } else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === "object")
          value = doc.createNode(value);
      }
      ctx.implicitKey = false;
      if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
      chompKeep = false;
      if (!indentSeq && indentStep.length >= 2 && !ctx.inFlow && !explicitKey && identity.isSeq(value) && !value.flow && !value.tag && !value.anchor) {
        ctx.indent = ctx.indent.substring(2);
      }
      let valueCommentDone = false;
      const valueStr = stringify.stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
      let ws = " ";
      if (keyComment || vsb || vcb) {
        ws = vsb ? "\n" : "";
        if (vcb) {
          const cs = commentString(vcb);
          ws += `
${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === "" && !ctx.inFlow) {
          if (ws === "\n" && valueComment)
            ws = "\n\n";
        } else {
          ws += `
${ctx.indent}`;
        }
      } else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf("\n");
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
          let hasPropsLine = false;
          if (hasNewline && (vs0 === "&" || vs0 === "!")) {
            let sp0 = valueStr.indexOf(" ");
            if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
              sp0 = valueStr.indexOf(" ", sp0 + 1);
            }
            if (sp0 === -1 || nl0 < sp0)
              hasPropsLine = true;
          }
          if (!hasPropsLine)
            ws = `
${ctx.indent}`;
        }
      } else if (valueStr === "" || valueStr[0] === "\n") {
        ws = "";
      }
      str += ws + valueStr;
      if (ctx.inFlow) {
        if (valueCommentDone && onComment)
          onComment();
      } else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
      } else if (chompKeep && onChompKeep) {
        onChompKeep();
      }
      return str;
    }
    exports.stringifyPair = stringifyPair;
  }
});

// node_modules/yaml/dist/log.js
var require_log = __commonJS({
  "node_modules/yaml/dist/log.js"(exports) {
    "use strict";
    var node_process = __require("process");
    function debug(logLevel, ...messages) {
      if (logLevel === "debug")
        console.log(...messages);
    }
    function warn(logLevel, warning) {
      if (logLevel === "debug" || logLevel === "warn") {
        if (typeof node_process.emitWarning === "function")
          node_process.emitWarning(warning);
        else
          console.warn(warning);
      }
    }
    exports.debug = debug;
    exports.warn = warn;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/merge.js
var require_merge = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/merge.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var MERGE_KEY = "<<";
    var merge = {
      identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
      default: "key",
      tag: "tag:yaml.org,2002:merge",
      test: /^<<$/,
      resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
      }),
      stringify: () => MERGE_KEY
    };
    var isMergeKey = (ctx, key) => (merge.identify(key) || identity.isScalar(key) && (!key.type || key.type === Scalar.Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
    function addMergeToJSMap(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (identity.isSeq(source))
        for (const it of source.items)
          mergeValue(ctx, map, it);
      else if (Array.isArray(source))
        for (const it of source)
          mergeValue(ctx, map, it);
      else
        mergeValue(ctx, map, source);
    }
    function mergeValue(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (!identity.isMap(source))
        throw new Error("Merge sources must be maps or map aliases");
      const srcMap = source.toJSON(null, ctx, Map);
      for (const [key, value2] of srcMap) {
        if (map instanceof Map) {
          if (!map.has(key))
            map.set(key, value2);
        } else if (map instanceof Set) {
          map.add(key);
        } else if (!Object.prototype.hasOwnProperty.call(map, key)) {
          Object.defineProperty(map, key, {
            value: value2,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
      return map;
    }
    function resolveAliasValue(ctx, value) {
      return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
    }
    exports.addMergeToJSMap = addMergeToJSMap;
    exports.isMergeKey = isMergeKey;
    exports.merge = merge;
  }
});

// node_modules/yaml/dist/nodes/addPairToJSMap.js
var require_addPairToJSMap = __commonJS({
  "node_modules/yaml/dist/nodes/addPairToJSMap.js"(exports) {
    "use strict";
    var log = require_log();
    var merge = require_merge();
    var stringify = require_stringify();
    var identity = require_identity();
    var toJS = require_toJS();
    function addPairToJSMap(ctx, map, { key, value }) {
      if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
      else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
      else {
        const jsKey = toJS.toJS(key, "", ctx);
        if (map instanceof Map) {
          map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        } else if (map instanceof Set) {
          map.add(jsKey);
        } else {
          const stringKey = stringifyKey(key, jsKey, ctx);
          const jsValue = toJS.toJS(value, stringKey, ctx);
          if (stringKey in map)
            Object.defineProperty(map, stringKey, {
              value: jsValue,
              writable: true,
              enumerable: true,
              configurable: true
            });
          else
            map[stringKey] = jsValue;
        }
      }
      return map;
    }
    function stringifyKey(key, jsKey, ctx) {
      if (jsKey === null)
        return "";
      if (typeof jsKey !== "object")
        return String(jsKey);
      if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = /* @__PURE__ */ new Set();
        for (const node of ctx.anchors.keys())
          strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
          let jsonStr = JSON.stringify(strKey);
          if (jsonStr.length > 40)
            jsonStr = jsonStr.substring(0, 36) + '..."';
          log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
          ctx.mapKeyWarned = true;
        }
        return strKey;
      }
      return JSON.stringify(jsKey);
    }
    exports.addPairToJSMap = addPairToJSMap;
  }
});

// node_modules/yaml/dist/nodes/Pair.js
var require_Pair = __commonJS({
  "node_modules/yaml/dist/nodes/Pair.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyPair = require_stringifyPair();
    var addPairToJSMap = require_addPairToJSMap();
    var identity = require_identity();
    function createPair(key, value, ctx) {
      const k = createNode.createNode(key, void 0, ctx);
      const v = createNode.createNode(value, void 0, ctx);
      return new Pair(k, v);
    }
    var Pair = class _Pair {
      constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
      }
      clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
          key = key.clone(schema);
        if (identity.isNode(value))
          value = value.clone(schema);
        return new _Pair(key, value);
      }
      toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
      }
      toString(ctx, onComment, onChompKeep) {
        return ctx?.doc ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
      }
    };
    exports.Pair = Pair;
    exports.createPair = createPair;
  }
});

// node_modules/yaml/dist/stringify/stringifyCollection.js
var require_stringifyCollection = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyCollection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyCollection(collection, ctx, options) {
      const flow = ctx.inFlow ?? collection.flow;
      const stringify2 = flow ? stringifyFlowCollection : stringifyBlockCollection;
      return stringify2(collection, ctx, options);
    }
    function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
      const { indent, options: { commentString } } = ctx;
      const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
      let chompKeep = false;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment2 = null;
        if (identity.isNode(item)) {
          if (!chompKeep && item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
          if (item.comment)
            comment2 = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (!chompKeep && ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
          }
        }
        chompKeep = false;
        let str2 = stringify.stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
        if (comment2)
          str2 += stringifyComment.lineComment(str2, itemIndent, commentString(comment2));
        if (chompKeep && comment2)
          chompKeep = false;
        lines.push(blockItemPrefix + str2);
      }
      let str;
      if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
      } else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
          const line = lines[i];
          str += line ? `
${indent}${line}` : "\n";
        }
      }
      if (comment) {
        str += "\n" + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
          onComment();
      } else if (chompKeep && onChompKeep)
        onChompKeep();
      return str;
    }
    function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
      const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
      itemIndent += indentStep;
      const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
      });
      let reqNewline = false;
      let linesAtValue = 0;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
          if (item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, false);
          if (item.comment)
            comment = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, false);
            if (ik.comment)
              reqNewline = true;
          }
          const iv = identity.isNode(item.value) ? item.value : null;
          if (iv) {
            if (iv.comment)
              comment = iv.comment;
            if (iv.commentBefore)
              reqNewline = true;
          } else if (item.value == null && ik?.comment) {
            comment = ik.comment;
          }
        }
        if (comment)
          reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => comment = null);
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes("\n"));
        if (i < items.length - 1) {
          str += ",";
        } else if (ctx.options.trailingComma) {
          if (ctx.options.lineWidth > 0) {
            reqNewline || (reqNewline = lines.reduce((sum2, line) => sum2 + line.length + 2, 2) + (str.length + 2) > ctx.options.lineWidth);
          }
          if (reqNewline) {
            str += ",";
          }
        }
        if (comment)
          str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
      }
      const { start, end } = flowChars;
      if (lines.length === 0) {
        return start + end;
      } else {
        if (!reqNewline) {
          const len = lines.reduce((sum2, line) => sum2 + line.length + 2, 2);
          reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
          let str = start;
          for (const line of lines)
            str += line ? `
${indentStep}${indent}${line}` : "\n";
          return `${str}
${indent}${end}`;
        } else {
          return `${start}${fcPadding}${lines.join(" ")}${fcPadding}${end}`;
        }
      }
    }
    function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
      if (comment && chompKeep)
        comment = comment.replace(/^\n+/, "");
      if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart());
      }
    }
    exports.stringifyCollection = stringifyCollection;
  }
});

// node_modules/yaml/dist/nodes/YAMLMap.js
var require_YAMLMap = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLMap.js"(exports) {
    "use strict";
    var stringifyCollection = require_stringifyCollection();
    var addPairToJSMap = require_addPairToJSMap();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    function findPair(items, key) {
      const k = identity.isScalar(key) ? key.value : key;
      for (const it of items) {
        if (identity.isPair(it)) {
          if (it.key === key || it.key === k)
            return it;
          if (identity.isScalar(it.key) && it.key.value === k)
            return it;
        }
      }
      return void 0;
    }
    var YAMLMap = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:map";
      }
      constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
      }
      /**
       * A generic collection parsing method that can be extended
       * to other node classes that inherit from YAMLMap
       */
      static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add2 = (key, value) => {
          if (typeof replacer === "function")
            value = replacer.call(obj, key, value);
          else if (Array.isArray(replacer) && !replacer.includes(key))
            return;
          if (value !== void 0 || keepUndefined)
            map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
          for (const [key, value] of obj)
            add2(key, value);
        } else if (obj && typeof obj === "object") {
          for (const key of Object.keys(obj))
            add2(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === "function") {
          map.items.sort(schema.sortMapEntries);
        }
        return map;
      }
      /**
       * Adds a value to the collection.
       *
       * @param overwrite - If not set `true`, using a key that is already in the
       *   collection will throw. Otherwise, overwrites the previous value.
       */
      add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
          _pair = pair;
        else if (!pair || typeof pair !== "object" || !("key" in pair)) {
          _pair = new Pair.Pair(pair, pair?.value);
        } else
          _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
          if (!overwrite)
            throw new Error(`Key ${_pair.key} already set`);
          if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
            prev.value.value = _pair.value;
          else
            prev.value = _pair.value;
        } else if (sortEntries) {
          const i = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
          if (i === -1)
            this.items.push(_pair);
          else
            this.items.splice(i, 0, _pair);
        } else {
          this.items.push(_pair);
        }
      }
      delete(key) {
        const it = findPair(this.items, key);
        if (!it)
          return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? void 0;
      }
      has(key) {
        return !!findPair(this.items, key);
      }
      set(key, value) {
        this.add(new Pair.Pair(key, value), true);
      }
      /**
       * @param ctx - Conversion context, originally set in Document#toJS()
       * @param {Class} Type - If set, forces the returned collection type
       * @returns Instance of Type, Map, or Object
       */
      toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const item of this.items)
          addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        for (const item of this.items) {
          if (!identity.isPair(item))
            throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
          ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "",
          flowChars: { start: "{", end: "}" },
          itemIndent: ctx.indent || "",
          onChompKeep,
          onComment
        });
      }
    };
    exports.YAMLMap = YAMLMap;
    exports.findPair = findPair;
  }
});

// node_modules/yaml/dist/schema/common/map.js
var require_map = __commonJS({
  "node_modules/yaml/dist/schema/common/map.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLMap = require_YAMLMap();
    var map = {
      collection: "map",
      default: true,
      nodeClass: YAMLMap.YAMLMap,
      tag: "tag:yaml.org,2002:map",
      resolve(map2, onError) {
        if (!identity.isMap(map2))
          onError("Expected a mapping for this tag");
        return map2;
      },
      createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
    };
    exports.map = map;
  }
});

// node_modules/yaml/dist/nodes/YAMLSeq.js
var require_YAMLSeq = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLSeq.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyCollection = require_stringifyCollection();
    var Collection = require_Collection();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var toJS = require_toJS();
    var YAMLSeq = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:seq";
      }
      constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
      }
      add(value) {
        this.items.push(value);
      }
      /**
       * Removes a value from the collection.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       *
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return void 0;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       */
      has(key) {
        const idx = asItemIndex(key);
        return typeof idx === "number" && idx < this.items.length;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       *
       * If `key` does not contain a representation of an integer, this will throw.
       * It may be wrapped in a `Scalar`.
       */
      set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
          prev.value = value;
        else
          this.items[idx] = value;
      }
      toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
          ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
          seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "- ",
          flowChars: { start: "[", end: "]" },
          itemIndent: (ctx.indent || "") + "  ",
          onChompKeep,
          onComment
        });
      }
      static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
          let i = 0;
          for (let it of obj) {
            if (typeof replacer === "function") {
              const key = obj instanceof Set ? it : String(i++);
              it = replacer.call(obj, key, it);
            }
            seq.items.push(createNode.createNode(it, void 0, ctx));
          }
        }
        return seq;
      }
    };
    function asItemIndex(key) {
      let idx = identity.isScalar(key) ? key.value : key;
      if (idx && typeof idx === "string")
        idx = Number(idx);
      return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
    }
    exports.YAMLSeq = YAMLSeq;
  }
});

// node_modules/yaml/dist/schema/common/seq.js
var require_seq = __commonJS({
  "node_modules/yaml/dist/schema/common/seq.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLSeq = require_YAMLSeq();
    var seq = {
      collection: "seq",
      default: true,
      nodeClass: YAMLSeq.YAMLSeq,
      tag: "tag:yaml.org,2002:seq",
      resolve(seq2, onError) {
        if (!identity.isSeq(seq2))
          onError("Expected a sequence for this tag");
        return seq2;
      },
      createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
    };
    exports.seq = seq;
  }
});

// node_modules/yaml/dist/schema/common/string.js
var require_string = __commonJS({
  "node_modules/yaml/dist/schema/common/string.js"(exports) {
    "use strict";
    var stringifyString = require_stringifyString();
    var string = {
      identify: (value) => typeof value === "string",
      default: true,
      tag: "tag:yaml.org,2002:str",
      resolve: (str) => str,
      stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
      }
    };
    exports.string = string;
  }
});

// node_modules/yaml/dist/schema/common/null.js
var require_null = __commonJS({
  "node_modules/yaml/dist/schema/common/null.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var nullTag = {
      identify: (value) => value == null,
      createNode: () => new Scalar.Scalar(null),
      default: true,
      tag: "tag:yaml.org,2002:null",
      test: /^(?:~|[Nn]ull|NULL)?$/,
      resolve: () => new Scalar.Scalar(null),
      stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
    };
    exports.nullTag = nullTag;
  }
});

// node_modules/yaml/dist/schema/core/bool.js
var require_bool = __commonJS({
  "node_modules/yaml/dist/schema/core/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var boolTag = {
      identify: (value) => typeof value === "boolean",
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      resolve: (str) => new Scalar.Scalar(str[0] === "t" || str[0] === "T"),
      stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
          const sv = source[0] === "t" || source[0] === "T";
          if (value === sv)
            return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
      }
    };
    exports.boolTag = boolTag;
  }
});

// node_modules/yaml/dist/stringify/stringifyNumber.js
var require_stringifyNumber = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyNumber.js"(exports) {
    "use strict";
    function stringifyNumber({ format, minFractionDigits, tag, value }) {
      if (typeof value === "bigint")
        return String(value);
      const num3 = typeof value === "number" ? value : Number(value);
      if (!isFinite(num3))
        return isNaN(num3) ? ".nan" : num3 < 0 ? "-.inf" : ".inf";
      let n = Object.is(value, -0) ? "-0" : JSON.stringify(value);
      if (!format && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n) && !n.includes("e")) {
        let i = n.indexOf(".");
        if (i < 0) {
          i = n.length;
          n += ".";
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
          n += "0";
      }
      return n;
    }
    exports.stringifyNumber = stringifyNumber;
  }
});

// node_modules/yaml/dist/schema/core/float.js
var require_float = __commonJS({
  "node_modules/yaml/dist/schema/core/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str),
      stringify(node) {
        const num3 = Number(node.value);
        return isFinite(num3) ? num3.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
      resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf(".");
        if (dot !== -1 && str[str.length - 1] === "0")
          node.minFractionDigits = str.length - dot - 1;
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/core/int.js
var require_int = __commonJS({
  "node_modules/yaml/dist/schema/core/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    var intResolve = (str, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix);
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
      return stringifyNumber.stringifyNumber(node);
    }
    var intOct = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^0o[0-7]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
      stringify: (node) => intStringify(node, 8, "0o")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^0x[0-9a-fA-F]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/core/schema.js
var require_schema = __commonJS({
  "node_modules/yaml/dist/schema/core/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.boolTag,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/json/schema.js
var require_schema2 = __commonJS({
  "node_modules/yaml/dist/schema/json/schema.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var map = require_map();
    var seq = require_seq();
    function intIdentify(value) {
      return typeof value === "bigint" || Number.isInteger(value);
    }
    var stringifyJSON = ({ value }) => JSON.stringify(value);
    var jsonScalars = [
      {
        identify: (value) => typeof value === "string",
        default: true,
        tag: "tag:yaml.org,2002:str",
        resolve: (str) => str,
        stringify: stringifyJSON
      },
      {
        identify: (value) => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: "tag:yaml.org,2002:null",
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
      },
      {
        identify: (value) => typeof value === "boolean",
        default: true,
        tag: "tag:yaml.org,2002:bool",
        test: /^true$|^false$/,
        resolve: (str) => str === "true",
        stringify: stringifyJSON
      },
      {
        identify: intIdentify,
        default: true,
        tag: "tag:yaml.org,2002:int",
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
      },
      {
        identify: (value) => typeof value === "number",
        default: true,
        tag: "tag:yaml.org,2002:float",
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: (str) => parseFloat(str),
        stringify: stringifyJSON
      }
    ];
    var jsonError = {
      default: true,
      tag: "",
      test: /^/,
      resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
      }
    };
    var schema = [map.map, seq.seq].concat(jsonScalars, jsonError);
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/binary.js
var require_binary = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/binary.js"(exports) {
    "use strict";
    var node_buffer = __require("buffer");
    var Scalar = require_Scalar();
    var stringifyString = require_stringifyString();
    var binary = {
      identify: (value) => value instanceof Uint8Array,
      // Buffer inherits from Uint8Array
      default: false,
      tag: "tag:yaml.org,2002:binary",
      /**
       * Returns a Buffer in node and an Uint8Array in browsers
       *
       * To use the resulting buffer as an image, you'll want to do something like:
       *
       *   const blob = new Blob([buffer], { type: 'image/jpeg' })
       *   document.querySelector('#photo').src = URL.createObjectURL(blob)
       */
      resolve(src, onError) {
        if (typeof node_buffer.Buffer === "function") {
          return node_buffer.Buffer.from(src, "base64");
        } else if (typeof atob === "function") {
          const str = atob(src.replace(/[\n\r]/g, ""));
          const buffer = new Uint8Array(str.length);
          for (let i = 0; i < str.length; ++i)
            buffer[i] = str.charCodeAt(i);
          return buffer;
        } else {
          onError("This environment does not support reading binary tags; either Buffer or atob is required");
          return src;
        }
      },
      stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
          return "";
        const buf = value;
        let str;
        if (typeof node_buffer.Buffer === "function") {
          str = buf instanceof node_buffer.Buffer ? buf.toString("base64") : node_buffer.Buffer.from(buf.buffer).toString("base64");
        } else if (typeof btoa === "function") {
          let s = "";
          for (let i = 0; i < buf.length; ++i)
            s += String.fromCharCode(buf[i]);
          str = btoa(s);
        } else {
          throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
          const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
          const n = Math.ceil(str.length / lineWidth);
          const lines = new Array(n);
          for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
            lines[i] = str.substr(o, lineWidth);
          }
          str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? "\n" : " ");
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
      }
    };
    exports.binary = binary;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/pairs.js
var require_pairs = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/pairs.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLSeq = require_YAMLSeq();
    function resolvePairs(seq, onError) {
      if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
          let item = seq.items[i];
          if (identity.isPair(item))
            continue;
          else if (identity.isMap(item)) {
            if (item.items.length > 1)
              onError("Each pair must have its own sequence indicator");
            const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
            if (item.commentBefore)
              pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
            if (item.comment) {
              const cn = pair.value ?? pair.key;
              cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
            }
            item = pair;
          }
          seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
      } else
        onError("Expected a sequence for this tag");
      return seq;
    }
    function createPairs(schema, iterable, ctx) {
      const { replacer } = ctx;
      const pairs2 = new YAMLSeq.YAMLSeq(schema);
      pairs2.tag = "tag:yaml.org,2002:pairs";
      let i = 0;
      if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
          if (typeof replacer === "function")
            it = replacer.call(iterable, String(i++), it);
          let key, value;
          if (Array.isArray(it)) {
            if (it.length === 2) {
              key = it[0];
              value = it[1];
            } else
              throw new TypeError(`Expected [key, value] tuple: ${it}`);
          } else if (it && it instanceof Object) {
            const keys = Object.keys(it);
            if (keys.length === 1) {
              key = keys[0];
              value = it[key];
            } else {
              throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
            }
          } else {
            key = it;
          }
          pairs2.items.push(Pair.createPair(key, value, ctx));
        }
      return pairs2;
    }
    var pairs = {
      collection: "seq",
      default: false,
      tag: "tag:yaml.org,2002:pairs",
      resolve: resolvePairs,
      createNode: createPairs
    };
    exports.createPairs = createPairs;
    exports.pairs = pairs;
    exports.resolvePairs = resolvePairs;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/omap.js
var require_omap = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/omap.js"(exports) {
    "use strict";
    var identity = require_identity();
    var toJS = require_toJS();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var pairs = require_pairs();
    var YAMLOMap = class _YAMLOMap extends YAMLSeq.YAMLSeq {
      constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = _YAMLOMap.tag;
      }
      /**
       * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
       * but TypeScript won't allow widening the signature of a child method.
       */
      toJSON(_, ctx) {
        if (!ctx)
          return super.toJSON(_);
        const map = /* @__PURE__ */ new Map();
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const pair of this.items) {
          let key, value;
          if (identity.isPair(pair)) {
            key = toJS.toJS(pair.key, "", ctx);
            value = toJS.toJS(pair.value, key, ctx);
          } else {
            key = toJS.toJS(pair, "", ctx);
          }
          if (map.has(key))
            throw new Error("Ordered maps must not include duplicate keys");
          map.set(key, value);
        }
        return map;
      }
      static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap2 = new this();
        omap2.items = pairs$1.items;
        return omap2;
      }
    };
    YAMLOMap.tag = "tag:yaml.org,2002:omap";
    var omap = {
      collection: "seq",
      identify: (value) => value instanceof Map,
      nodeClass: YAMLOMap,
      default: false,
      tag: "tag:yaml.org,2002:omap",
      resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
          if (identity.isScalar(key)) {
            if (seenKeys.includes(key.value)) {
              onError(`Ordered maps must not include duplicate keys: ${key.value}`);
            } else {
              seenKeys.push(key.value);
            }
          }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
      },
      createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
    };
    exports.YAMLOMap = YAMLOMap;
    exports.omap = omap;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/bool.js
var require_bool2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function boolStringify({ value, source }, ctx) {
      const boolObj = value ? trueTag : falseTag;
      if (source && boolObj.test.test(source))
        return source;
      return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
    var trueTag = {
      identify: (value) => value === true,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
      resolve: () => new Scalar.Scalar(true),
      stringify: boolStringify
    };
    var falseTag = {
      identify: (value) => value === false,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
      resolve: () => new Scalar.Scalar(false),
      stringify: boolStringify
    };
    exports.falseTag = falseTag;
    exports.trueTag = trueTag;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/float.js
var require_float2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str.replace(/_/g, "")),
      stringify(node) {
        const num3 = Number(node.value);
        return isFinite(num3) ? num3.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
      resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, "")));
        const dot = str.indexOf(".");
        if (dot !== -1) {
          const f = str.substring(dot + 1).replace(/_/g, "");
          if (f[f.length - 1] === "0")
            node.minFractionDigits = f.length;
        }
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/int.js
var require_int2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    function intResolve(str, offset, radix, { intAsBigInt }) {
      const sign = str[0];
      if (sign === "-" || sign === "+")
        offset += 1;
      str = str.substring(offset).replace(/_/g, "");
      if (intAsBigInt) {
        switch (radix) {
          case 2:
            str = `0b${str}`;
            break;
          case 8:
            str = `0o${str}`;
            break;
          case 16:
            str = `0x${str}`;
            break;
        }
        const n2 = BigInt(str);
        return sign === "-" ? BigInt(-1) * n2 : n2;
      }
      const n = parseInt(str, radix);
      return sign === "-" ? -1 * n : n;
    }
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? "-" + prefix + str.substr(1) : prefix + str;
      }
      return stringifyNumber.stringifyNumber(node);
    }
    var intBin = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "BIN",
      test: /^[-+]?0b[0-1_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
      stringify: (node) => intStringify(node, 2, "0b")
    };
    var intOct = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^[-+]?0[0-7_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
      stringify: (node) => intStringify(node, 8, "0")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9][0-9_]*$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^[-+]?0x[0-9a-fA-F_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intBin = intBin;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/set.js
var require_set = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/set.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSet = class _YAMLSet extends YAMLMap.YAMLMap {
      constructor(schema) {
        super(schema);
        this.tag = _YAMLSet.tag;
      }
      add(key) {
        let pair;
        if (identity.isPair(key))
          pair = key;
        else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
          pair = new Pair.Pair(key.key, null);
        else
          pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
          this.items.push(pair);
      }
      /**
       * If `keepPair` is `true`, returns the Pair matching `key`.
       * Otherwise, returns the value of that Pair's key.
       */
      get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair) ? identity.isScalar(pair.key) ? pair.key.value : pair.key : pair;
      }
      set(key, value) {
        if (typeof value !== "boolean")
          throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
          this.items.splice(this.items.indexOf(prev), 1);
        } else if (!prev && value) {
          this.items.push(new Pair.Pair(key));
        }
      }
      toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        if (this.hasAllNullValues(true))
          return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
          throw new Error("Set items must all have null values");
      }
      static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set2 = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
          for (let value of iterable) {
            if (typeof replacer === "function")
              value = replacer.call(iterable, value, value);
            set2.items.push(Pair.createPair(value, null, ctx));
          }
        return set2;
      }
    };
    YAMLSet.tag = "tag:yaml.org,2002:set";
    var set = {
      collection: "map",
      identify: (value) => value instanceof Set,
      nodeClass: YAMLSet,
      default: false,
      tag: "tag:yaml.org,2002:set",
      createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
      resolve(map, onError) {
        if (identity.isMap(map)) {
          if (map.hasAllNullValues(true))
            return Object.assign(new YAMLSet(), map);
          else
            onError("Set items must all have null values");
        } else
          onError("Expected a mapping for this tag");
        return map;
      }
    };
    exports.YAMLSet = YAMLSet;
    exports.set = set;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/timestamp.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    function parseSexagesimal(str, asBigInt) {
      const sign = str[0];
      const parts = sign === "-" || sign === "+" ? str.substring(1) : str;
      const num3 = (n) => asBigInt ? BigInt(n) : Number(n);
      const res = parts.replace(/_/g, "").split(":").reduce((res2, p2) => res2 * num3(60) + num3(p2), num3(0));
      return sign === "-" ? num3(-1) * res : res;
    }
    function stringifySexagesimal(node) {
      let { value } = node;
      let num3 = (n) => n;
      if (typeof value === "bigint")
        num3 = (n) => BigInt(n);
      else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
      let sign = "";
      if (value < 0) {
        sign = "-";
        value *= num3(-1);
      }
      const _60 = num3(60);
      const parts = [value % _60];
      if (value < 60) {
        parts.unshift(0);
      } else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60);
        if (value >= 60) {
          value = (value - parts[0]) / _60;
          parts.unshift(value);
        }
      }
      return sign + parts.map((n) => String(n).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
    }
    var intTime = {
      identify: (value) => typeof value === "bigint" || Number.isInteger(value),
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
      resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
      stringify: stringifySexagesimal
    };
    var floatTime = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
      resolve: (str) => parseSexagesimal(str, false),
      stringify: stringifySexagesimal
    };
    var timestamp = {
      identify: (value) => value instanceof Date,
      default: true,
      tag: "tag:yaml.org,2002:timestamp",
      // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
      // may be omitted altogether, resulting in a date format. In such a case, the time part is
      // assumed to be 00:00:00Z (start of day, UTC).
      test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
      resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
          throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + "00").substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== "Z") {
          let d = parseSexagesimal(tz, false);
          if (Math.abs(d) < 30)
            d *= 60;
          date -= 6e4 * d;
        }
        return new Date(date);
      },
      stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
    };
    exports.floatTime = floatTime;
    exports.intTime = intTime;
    exports.timestamp = timestamp;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/schema.js
var require_schema3 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var binary = require_binary();
    var bool = require_bool2();
    var float = require_float2();
    var int = require_int2();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var set = require_set();
    var timestamp = require_timestamp();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.trueTag,
      bool.falseTag,
      int.intBin,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float,
      binary.binary,
      merge.merge,
      omap.omap,
      pairs.pairs,
      set.set,
      timestamp.intTime,
      timestamp.floatTime,
      timestamp.timestamp
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/tags.js
var require_tags = __commonJS({
  "node_modules/yaml/dist/schema/tags.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = require_schema();
    var schema$1 = require_schema2();
    var binary = require_binary();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var schema$2 = require_schema3();
    var set = require_set();
    var timestamp = require_timestamp();
    var schemas = /* @__PURE__ */ new Map([
      ["core", schema.schema],
      ["failsafe", [map.map, seq.seq, string.string]],
      ["json", schema$1.schema],
      ["yaml11", schema$2.schema],
      ["yaml-1.1", schema$2.schema]
    ]);
    var tagsByName = {
      binary: binary.binary,
      bool: bool.boolTag,
      float: float.float,
      floatExp: float.floatExp,
      floatNaN: float.floatNaN,
      floatTime: timestamp.floatTime,
      int: int.int,
      intHex: int.intHex,
      intOct: int.intOct,
      intTime: timestamp.intTime,
      map: map.map,
      merge: merge.merge,
      null: _null.nullTag,
      omap: omap.omap,
      pairs: pairs.pairs,
      seq: seq.seq,
      set: set.set,
      timestamp: timestamp.timestamp
    };
    var coreKnownTags = {
      "tag:yaml.org,2002:binary": binary.binary,
      "tag:yaml.org,2002:merge": merge.merge,
      "tag:yaml.org,2002:omap": omap.omap,
      "tag:yaml.org,2002:pairs": pairs.pairs,
      "tag:yaml.org,2002:set": set.set,
      "tag:yaml.org,2002:timestamp": timestamp.timestamp
    };
    function getTags(customTags, schemaName, addMergeTag) {
      const schemaTags = schemas.get(schemaName);
      if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge) ? schemaTags.concat(merge.merge) : schemaTags.slice();
      }
      let tags = schemaTags;
      if (!tags) {
        if (Array.isArray(customTags))
          tags = [];
        else {
          const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
      }
      if (Array.isArray(customTags)) {
        for (const tag of customTags)
          tags = tags.concat(tag);
      } else if (typeof customTags === "function") {
        tags = customTags(tags.slice());
      }
      if (addMergeTag)
        tags = tags.concat(merge.merge);
      return tags.reduce((tags2, tag) => {
        const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
        if (!tagObj) {
          const tagName = JSON.stringify(tag);
          const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags2.includes(tagObj))
          tags2.push(tagObj);
        return tags2;
      }, []);
    }
    exports.coreKnownTags = coreKnownTags;
    exports.getTags = getTags;
  }
});

// node_modules/yaml/dist/schema/Schema.js
var require_Schema = __commonJS({
  "node_modules/yaml/dist/schema/Schema.js"(exports) {
    "use strict";
    var identity = require_identity();
    var map = require_map();
    var seq = require_seq();
    var string = require_string();
    var tags = require_tags();
    var sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    var Schema = class _Schema {
      constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat) ? tags.getTags(compat, "compat") : compat ? tags.getTags(null, compat) : null;
        this.name = typeof schema === "string" && schema || "core";
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
      }
      clone() {
        const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
      }
    };
    exports.Schema = Schema;
  }
});

// node_modules/yaml/dist/stringify/stringifyDocument.js
var require_stringifyDocument = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyDocument.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyDocument(doc, options) {
      const lines = [];
      let hasDirectives = options.directives === true;
      if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
          lines.push(dir);
          hasDirectives = true;
        } else if (doc.directives.docStart)
          hasDirectives = true;
      }
      if (hasDirectives)
        lines.push("---");
      const ctx = stringify.createStringifyContext(doc, options);
      const { commentString } = ctx.options;
      if (doc.commentBefore) {
        if (lines.length !== 1)
          lines.unshift("");
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ""));
      }
      let chompKeep = false;
      let contentComment = null;
      if (doc.contents) {
        if (identity.isNode(doc.contents)) {
          if (doc.contents.spaceBefore && hasDirectives)
            lines.push("");
          if (doc.contents.commentBefore) {
            const cs = commentString(doc.contents.commentBefore);
            lines.push(stringifyComment.indentComment(cs, ""));
          }
          ctx.forceBlockIndent = !!doc.comment;
          contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
        let body = stringify.stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
        if (contentComment)
          body += stringifyComment.lineComment(body, "", commentString(contentComment));
        if ((body[0] === "|" || body[0] === ">") && lines[lines.length - 1] === "---") {
          lines[lines.length - 1] = `--- ${body}`;
        } else
          lines.push(body);
      } else {
        lines.push(stringify.stringify(doc.contents, ctx));
      }
      if (doc.directives?.docEnd) {
        if (doc.comment) {
          const cs = commentString(doc.comment);
          if (cs.includes("\n")) {
            lines.push("...");
            lines.push(stringifyComment.indentComment(cs, ""));
          } else {
            lines.push(`... ${cs}`);
          }
        } else {
          lines.push("...");
        }
      } else {
        let dc = doc.comment;
        if (dc && chompKeep)
          dc = dc.replace(/^\n+/, "");
        if (dc) {
          if ((!chompKeep || contentComment) && lines[lines.length - 1] !== "")
            lines.push("");
          lines.push(stringifyComment.indentComment(commentString(dc), ""));
        }
      }
      return lines.join("\n") + "\n";
    }
    exports.stringifyDocument = stringifyDocument;
  }
});

// node_modules/yaml/dist/doc/Document.js
var require_Document = __commonJS({
  "node_modules/yaml/dist/doc/Document.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var toJS = require_toJS();
    var Schema = require_Schema();
    var stringifyDocument = require_stringifyDocument();
    var anchors = require_anchors();
    var applyReviver = require_applyReviver();
    var createNode = require_createNode();
    var directives = require_directives();
    var Document = class _Document {
      constructor(value, replacer, options) {
        this.commentBefore = null;
        this.comment = null;
        this.errors = [];
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === "function" || Array.isArray(replacer)) {
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const opt = Object.assign({
          intAsBigInt: false,
          keepSourceTokens: false,
          logLevel: "warn",
          prettyErrors: true,
          strict: true,
          stringKeys: false,
          uniqueKeys: true,
          version: "1.2"
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
          this.directives = options._directives.atDocument();
          if (this.directives.yaml.explicit)
            version = this.directives.yaml.version;
        } else
          this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
      }
      /**
       * Create a deep copy of this Document and its contents.
       *
       * Custom Node values that inherit from `Object` still refer to their original instances.
       */
      clone() {
        const copy = Object.create(_Document.prototype, {
          [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
          copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        copy.contents = identity.isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** Adds a value to the document. */
      add(value) {
        if (assertCollection(this.contents))
          this.contents.add(value);
      }
      /** Adds a value to the document. */
      addIn(path, value) {
        if (assertCollection(this.contents))
          this.contents.addIn(path, value);
      }
      /**
       * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
       *
       * If `node` already has an anchor, `name` is ignored.
       * Otherwise, the `node.anchor` value will be set to `name`,
       * or if an anchor with that name is already present in the document,
       * `name` will be used as a prefix for a new unique anchor.
       * If `name` is undefined, the generated anchor will use 'a' as a prefix.
       */
      createAlias(node, name) {
        if (!node.anchor) {
          const prev = anchors.anchorNames(this);
          node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          !name || prev.has(name) ? anchors.findNewAnchor(name || "a", prev) : name;
        }
        return new Alias.Alias(node.anchor);
      }
      createNode(value, replacer, options) {
        let _replacer = void 0;
        if (typeof replacer === "function") {
          value = replacer.call({ "": value }, "", value);
          _replacer = replacer;
        } else if (Array.isArray(replacer)) {
          const keyToStr = (v) => typeof v === "number" || v instanceof String || v instanceof Number;
          const asStr = replacer.filter(keyToStr).map(String);
          if (asStr.length > 0)
            replacer = replacer.concat(asStr);
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(
          this,
          // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          anchorPrefix || "a"
        );
        const ctx = {
          aliasDuplicateObjects: aliasDuplicateObjects ?? true,
          keepUndefined: keepUndefined ?? false,
          onAnchor,
          onTagObj,
          replacer: _replacer,
          schema: this.schema,
          sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
          node.flow = true;
        setAnchors();
        return node;
      }
      /**
       * Convert a key and a value into a `Pair` using the current schema,
       * recursively wrapping all values as `Scalar` or `Collection` nodes.
       */
      createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
          if (this.contents == null)
            return false;
          this.contents = null;
          return true;
        }
        return assertCollection(this.contents) ? this.contents.deleteIn(path) : false;
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      get(key, keepScalar) {
        return identity.isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
      }
      /**
       * Returns item at `path`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
          return !keepScalar && identity.isScalar(this.contents) ? this.contents.value : this.contents;
        return identity.isCollection(this.contents) ? this.contents.getIn(path, keepScalar) : void 0;
      }
      /**
       * Checks if the document includes a value with the key `key`.
       */
      has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
      }
      /**
       * Checks if the document includes a value at `path`.
       */
      hasIn(path) {
        if (Collection.isEmptyPath(path))
          return this.contents !== void 0;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      set(key, value) {
        if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, [key], value);
        } else if (assertCollection(this.contents)) {
          this.contents.set(key, value);
        }
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
          this.contents = value;
        } else if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        } else if (assertCollection(this.contents)) {
          this.contents.setIn(path, value);
        }
      }
      /**
       * Change the YAML version and schema used by the document.
       * A `null` version disables support for directives, explicit tags, anchors, and aliases.
       * It also requires the `schema` option to be given as a `Schema` instance value.
       *
       * Overrides all previously set schema options.
       */
      setSchema(version, options = {}) {
        if (typeof version === "number")
          version = String(version);
        let opt;
        switch (version) {
          case "1.1":
            if (this.directives)
              this.directives.yaml.version = "1.1";
            else
              this.directives = new directives.Directives({ version: "1.1" });
            opt = { resolveKnownTags: false, schema: "yaml-1.1" };
            break;
          case "1.2":
          case "next":
            if (this.directives)
              this.directives.yaml.version = version;
            else
              this.directives = new directives.Directives({ version });
            opt = { resolveKnownTags: true, schema: "core" };
            break;
          case null:
            if (this.directives)
              delete this.directives;
            opt = null;
            break;
          default: {
            const sv = JSON.stringify(version);
            throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
          }
        }
        if (options.schema instanceof Object)
          this.schema = options.schema;
        else if (opt)
          this.schema = new Schema.Schema(Object.assign(opt, options));
        else
          throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
      }
      // json & jsonArg are only used from toJSON()
      toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc: this,
          keep: !json,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? "", ctx);
        if (typeof onAnchor === "function")
          for (const { count: count2, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count2);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
      /**
       * A JSON representation of the document `contents`.
       *
       * @param jsonArg Used by `JSON.stringify` to indicate the array index or
       *   property name.
       */
      toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
      }
      /** A YAML representation of the document. */
      toString(options = {}) {
        if (this.errors.length > 0)
          throw new Error("Document with errors cannot be stringified");
        if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
          const s = JSON.stringify(options.indent);
          throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
      }
    };
    function assertCollection(contents) {
      if (identity.isCollection(contents))
        return true;
      throw new Error("Expected a YAML collection as document contents");
    }
    exports.Document = Document;
  }
});

// node_modules/yaml/dist/errors.js
var require_errors = __commonJS({
  "node_modules/yaml/dist/errors.js"(exports) {
    "use strict";
    var YAMLError = class extends Error {
      constructor(name, pos, code2, message) {
        super();
        this.name = name;
        this.code = code2;
        this.message = message;
        this.pos = pos;
      }
    };
    var YAMLParseError = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLParseError", pos, code2, message);
      }
    };
    var YAMLWarning = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLWarning", pos, code2, message);
      }
    };
    var prettifyError = (src, lc) => (error) => {
      if (error.pos[0] === -1)
        return;
      error.linePos = error.pos.map((pos) => lc.linePos(pos));
      const { line, col } = error.linePos[0];
      error.message += ` at line ${line}, column ${col}`;
      let ci = col - 1;
      let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
      if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = "…" + lineStr.substring(trimStart);
        ci -= trimStart - 1;
      }
      if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + "…";
      if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
          prev = prev.substring(0, 79) + "…\n";
        lineStr = prev + lineStr;
      }
      if (/[^ ]/.test(lineStr)) {
        let count2 = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
          count2 = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = " ".repeat(ci) + "^".repeat(count2);
        error.message += `:

${lineStr}
${pointer}
`;
      }
    };
    exports.YAMLError = YAMLError;
    exports.YAMLParseError = YAMLParseError;
    exports.YAMLWarning = YAMLWarning;
    exports.prettifyError = prettifyError;
  }
});

// node_modules/yaml/dist/compose/resolve-props.js
var require_resolve_props = __commonJS({
  "node_modules/yaml/dist/compose/resolve-props.js"(exports) {
    "use strict";
    function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
      let spaceBefore = false;
      let atNewline = startOnNewline;
      let hasSpace = startOnNewline;
      let comment = "";
      let commentSep = "";
      let hasNewline = false;
      let reqSpace = false;
      let tab = null;
      let anchor = null;
      let tag = null;
      let newlineAfterProp = null;
      let comma = null;
      let found = null;
      let start = null;
      for (const token of tokens) {
        if (reqSpace) {
          if (token.type !== "space" && token.type !== "newline" && token.type !== "comma")
            onError(token.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
          reqSpace = false;
        }
        if (tab) {
          if (atNewline && token.type !== "comment" && token.type !== "newline") {
            onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
          }
          tab = null;
        }
        switch (token.type) {
          case "space":
            if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("	")) {
              tab = token;
            }
            hasSpace = true;
            break;
          case "comment": {
            if (!hasSpace)
              onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
            const cb = token.source.substring(1) || " ";
            if (!comment)
              comment = cb;
            else
              comment += commentSep + cb;
            commentSep = "";
            atNewline = false;
            break;
          }
          case "newline":
            if (atNewline) {
              if (comment)
                comment += token.source;
              else if (!found || indicator !== "seq-item-ind")
                spaceBefore = true;
            } else
              commentSep += token.source;
            atNewline = true;
            hasNewline = true;
            if (anchor || tag)
              newlineAfterProp = token;
            hasSpace = true;
            break;
          case "anchor":
            if (anchor)
              onError(token, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
            if (token.source.endsWith(":"))
              onError(token.offset + token.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
            anchor = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          case "tag": {
            if (tag)
              onError(token, "MULTIPLE_TAGS", "A node can have at most one tag");
            tag = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          }
          case indicator:
            if (anchor || tag)
              onError(token, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token.source} indicator`);
            if (found)
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.source} in ${flow ?? "collection"}`);
            found = token;
            atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
            hasSpace = false;
            break;
          case "comma":
            if (flow) {
              if (comma)
                onError(token, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
              comma = token;
              atNewline = false;
              hasSpace = false;
              break;
            }
          // else fallthrough
          default:
            onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.type} token`);
            atNewline = false;
            hasSpace = false;
        }
      }
      const last = tokens[tokens.length - 1];
      const end = last ? last.offset + last.source.length : offset;
      if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
        onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      }
      if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
      };
    }
    exports.resolveProps = resolveProps;
  }
});

// node_modules/yaml/dist/compose/util-contains-newline.js
var require_util_contains_newline = __commonJS({
  "node_modules/yaml/dist/compose/util-contains-newline.js"(exports) {
    "use strict";
    function containsNewline(key) {
      if (!key)
        return null;
      switch (key.type) {
        case "alias":
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          if (key.source.includes("\n"))
            return true;
          if (key.end) {
            for (const st of key.end)
              if (st.type === "newline")
                return true;
          }
          return false;
        case "flow-collection":
          for (const it of key.items) {
            for (const st of it.start)
              if (st.type === "newline")
                return true;
            if (it.sep) {
              for (const st of it.sep)
                if (st.type === "newline")
                  return true;
            }
            if (containsNewline(it.key) || containsNewline(it.value))
              return true;
          }
          return false;
        default:
          return true;
      }
    }
    exports.containsNewline = containsNewline;
  }
});

// node_modules/yaml/dist/compose/util-flow-indent-check.js
var require_util_flow_indent_check = __commonJS({
  "node_modules/yaml/dist/compose/util-flow-indent-check.js"(exports) {
    "use strict";
    var utilContainsNewline = require_util_contains_newline();
    function flowIndentCheck(indent, fc, onError) {
      if (fc?.type === "flow-collection") {
        const end = fc.end[0];
        if (end.indent === indent && (end.source === "]" || end.source === "}") && utilContainsNewline.containsNewline(fc)) {
          const msg = "Flow end indicator should be more indented than parent";
          onError(end, "BAD_INDENT", msg, true);
        }
      }
    }
    exports.flowIndentCheck = flowIndentCheck;
  }
});

// node_modules/yaml/dist/compose/util-map-includes.js
var require_util_map_includes = __commonJS({
  "node_modules/yaml/dist/compose/util-map-includes.js"(exports) {
    "use strict";
    var identity = require_identity();
    function mapIncludes(ctx, items, search) {
      const { uniqueKeys } = ctx.options;
      if (uniqueKeys === false)
        return false;
      const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a, b) => a === b || identity.isScalar(a) && identity.isScalar(b) && a.value === b.value;
      return items.some((pair) => isEqual(pair.key, search));
    }
    exports.mapIncludes = mapIncludes;
  }
});

// node_modules/yaml/dist/compose/resolve-block-map.js
var require_resolve_block_map = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-map.js"(exports) {
    "use strict";
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    var utilMapIncludes = require_util_map_includes();
    var startColMsg = "All mapping items must start at the same column";
    function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
      const map = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      let offset = bm.offset;
      let commentEnd = null;
      for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        const keyProps = resolveProps.resolveProps(start, {
          indicator: "explicit-key-ind",
          next: key ?? sep?.[0],
          offset,
          onError,
          parentIndent: bm.indent,
          startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
          if (key) {
            if (key.type === "block-seq")
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
            else if ("indent" in key && key.indent !== bm.indent)
              onError(offset, "BAD_INDENT", startColMsg);
          }
          if (!keyProps.anchor && !keyProps.tag && !sep) {
            commentEnd = keyProps.end;
            if (keyProps.comment) {
              if (map.comment)
                map.comment += "\n" + keyProps.comment;
              else
                map.comment = keyProps.comment;
            }
            continue;
          }
          if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
            onError(key ?? start[start.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
          }
        } else if (keyProps.found?.indent !== bm.indent) {
          onError(offset, "BAD_INDENT", startColMsg);
        }
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key ? composeNode(ctx, key, keyProps, onError) : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
          onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
        const valueProps = resolveProps.resolveProps(sep ?? [], {
          indicator: "map-value-ind",
          next: value,
          offset: keyNode.range[2],
          onError,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === "block-scalar"
        });
        offset = valueProps.end;
        if (valueProps.found) {
          if (implicitKey) {
            if (value?.type === "block-map" && !valueProps.hasNewline)
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
            if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
              onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
          if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
          offset = valueNode.range[2];
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        } else {
          if (implicitKey)
            onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
          if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        }
      }
      if (commentEnd && commentEnd < offset)
        onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
      map.range = [bm.offset, offset, commentEnd ?? offset];
      return map;
    }
    exports.resolveBlockMap = resolveBlockMap;
  }
});

// node_modules/yaml/dist/compose/resolve-block-seq.js
var require_resolve_block_seq = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-seq.js"(exports) {
    "use strict";
    var YAMLSeq = require_YAMLSeq();
    var resolveProps = require_resolve_props();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
      const seq = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = bs.offset;
      let commentEnd = null;
      for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
          indicator: "seq-item-ind",
          next: value,
          offset,
          onError,
          parentIndent: bs.indent,
          startOnNewline: true
        });
        if (!props.found) {
          if (props.anchor || props.tag || value) {
            if (value?.type === "block-seq")
              onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
            else
              onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
          } else {
            commentEnd = props.end;
            if (props.comment)
              seq.comment = props.comment;
            continue;
          }
        }
        const node = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
      }
      seq.range = [bs.offset, offset, commentEnd ?? offset];
      return seq;
    }
    exports.resolveBlockSeq = resolveBlockSeq;
  }
});

// node_modules/yaml/dist/compose/resolve-end.js
var require_resolve_end = __commonJS({
  "node_modules/yaml/dist/compose/resolve-end.js"(exports) {
    "use strict";
    function resolveEnd(end, offset, reqSpace, onError) {
      let comment = "";
      if (end) {
        let hasSpace = false;
        let sep = "";
        for (const token of end) {
          const { source, type } = token;
          switch (type) {
            case "space":
              hasSpace = true;
              break;
            case "comment": {
              if (reqSpace && !hasSpace)
                onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
              const cb = source.substring(1) || " ";
              if (!comment)
                comment = cb;
              else
                comment += sep + cb;
              sep = "";
              break;
            }
            case "newline":
              if (comment)
                sep += source;
              hasSpace = true;
              break;
            default:
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
          }
          offset += source.length;
        }
      }
      return { comment, offset };
    }
    exports.resolveEnd = resolveEnd;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-collection.js
var require_resolve_flow_collection = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilMapIncludes = require_util_map_includes();
    var blockMsg = "Block collections are not allowed within flow collections";
    var isBlock = (token) => token && (token.type === "block-map" || token.type === "block-seq");
    function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
      const isMap = fc.start.source === "{";
      const fcName = isMap ? "flow map" : "flow sequence";
      const NodeClass = tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq);
      const coll = new NodeClass(ctx.schema);
      coll.flow = true;
      const atRoot = ctx.atRoot;
      if (atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = fc.offset + fc.start.source.length;
      for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
          flow: fcName,
          indicator: "explicit-key-ind",
          next: key ?? sep?.[0],
          offset,
          onError,
          parentIndent: fc.indent,
          startOnNewline: false
        });
        if (!props.found) {
          if (!props.anchor && !props.tag && !sep && !value) {
            if (i === 0 && props.comma)
              onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
            else if (i < fc.items.length - 1)
              onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
            if (props.comment) {
              if (coll.comment)
                coll.comment += "\n" + props.comment;
              else
                coll.comment = props.comment;
            }
            offset = props.end;
            continue;
          }
          if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
            onError(
              key,
              // checked by containsNewline()
              "MULTILINE_IMPLICIT_KEY",
              "Implicit keys of flow sequence pairs need to be on a single line"
            );
        }
        if (i === 0) {
          if (props.comma)
            onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        } else {
          if (!props.comma)
            onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
          if (props.comment) {
            let prevItemComment = "";
            loop: for (const st of start) {
              switch (st.type) {
                case "comma":
                case "space":
                  break;
                case "comment":
                  prevItemComment = st.source.substring(1);
                  break loop;
                default:
                  break loop;
              }
            }
            if (prevItemComment) {
              let prev = coll.items[coll.items.length - 1];
              if (identity.isPair(prev))
                prev = prev.value ?? prev.key;
              if (prev.comment)
                prev.comment += "\n" + prevItemComment;
              else
                prev.comment = prevItemComment;
              props.comment = props.comment.substring(prevItemComment.length + 1);
            }
          }
        }
        if (!isMap && !sep && !props.found) {
          const valueNode = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, sep, null, props, onError);
          coll.items.push(valueNode);
          offset = valueNode.range[2];
          if (isBlock(value))
            onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
        } else {
          ctx.atKey = true;
          const keyStart = props.end;
          const keyNode = key ? composeNode(ctx, key, props, onError) : composeEmptyNode(ctx, keyStart, start, null, props, onError);
          if (isBlock(key))
            onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
          ctx.atKey = false;
          const valueProps = resolveProps.resolveProps(sep ?? [], {
            flow: fcName,
            indicator: "map-value-ind",
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
          });
          if (valueProps.found) {
            if (!isMap && !props.found && ctx.options.strict) {
              if (sep)
                for (const st of sep) {
                  if (st === valueProps.found)
                    break;
                  if (st.type === "newline") {
                    onError(st, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                    break;
                  }
                }
              if (props.start < valueProps.found.offset - 1024)
                onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
            }
          } else if (value) {
            if ("source" in value && value.source?.[0] === ":")
              onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
            else
              onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError) : null;
          if (valueNode) {
            if (isBlock(value))
              onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
          } else if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          if (isMap) {
            const map = coll;
            if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
              onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
            map.items.push(pair);
          } else {
            const map = new YAMLMap.YAMLMap(ctx.schema);
            map.flow = true;
            map.items.push(pair);
            const endRange = (valueNode ?? keyNode).range;
            map.range = [keyNode.range[0], endRange[1], endRange[2]];
            coll.items.push(map);
          }
          offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
      }
      const expectedEnd = isMap ? "}" : "]";
      const [ce, ...ee] = fc.end;
      let cePos = offset;
      if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
      else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
        if (ce && ce.source.length !== 1)
          ee.unshift(ce);
      }
      if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
          if (coll.comment)
            coll.comment += "\n" + end.comment;
          else
            coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
      } else {
        coll.range = [fc.offset, cePos, cePos];
      }
      return coll;
    }
    exports.resolveFlowCollection = resolveFlowCollection;
  }
});

// node_modules/yaml/dist/compose/compose-collection.js
var require_compose_collection = __commonJS({
  "node_modules/yaml/dist/compose/compose-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveBlockMap = require_resolve_block_map();
    var resolveBlockSeq = require_resolve_block_seq();
    var resolveFlowCollection = require_resolve_flow_collection();
    function resolveCollection(CN, ctx, token, onError, tagName, tag) {
      const coll = token.type === "block-map" ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag) : token.type === "block-seq" ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag) : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
      const Coll = coll.constructor;
      if (tagName === "!" || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
      }
      if (tagName)
        coll.tag = tagName;
      return coll;
    }
    function composeCollection(CN, ctx, token, props, onError) {
      const tagToken = props.tag;
      const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
      if (token.type === "block-seq") {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
          const message = "Missing newline after block sequence props";
          onError(lastProp, "MISSING_CHAR", message);
        }
      }
      const expType = token.type === "block-map" ? "map" : token.type === "block-seq" ? "seq" : token.start.source === "{" ? "map" : "seq";
      if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.YAMLSeq.tagName && expType === "seq") {
        return resolveCollection(CN, ctx, token, onError, tagName);
      }
      let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
      if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
          ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
          tag = kt;
        } else {
          if (kt) {
            onError(tagToken, "BAD_COLLECTION_TYPE", `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? "scalar"}`, true);
          } else {
            onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
          }
          return resolveCollection(CN, ctx, token, onError, tagName);
        }
      }
      const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
      const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
      const node = identity.isNode(res) ? res : new Scalar.Scalar(res);
      node.range = coll.range;
      node.tag = tagName;
      if (tag?.format)
        node.format = tag.format;
      return node;
    }
    exports.composeCollection = composeCollection;
  }
});

// node_modules/yaml/dist/compose/resolve-block-scalar.js
var require_resolve_block_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function resolveBlockScalar(ctx, scalar, onError) {
      const start = scalar.offset;
      const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
      if (!header)
        return { value: "", type: null, comment: "", range: [start, start, start] };
      const type = header.mode === ">" ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
      const lines = scalar.source ? splitLines(scalar.source) : [];
      let chompStart = lines.length;
      for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === "" || content === "\r")
          chompStart = i;
        else
          break;
      }
      if (chompStart === 0) {
        const value2 = header.chomp === "+" && lines.length > 0 ? "\n".repeat(Math.max(1, lines.length - 1)) : "";
        let end2 = start + header.length;
        if (scalar.source)
          end2 += scalar.source.length;
        return { value: value2, type, comment: header.comment, range: [start, end2, end2] };
      }
      let trimIndent = scalar.indent + header.indent;
      let offset = scalar.offset + header.length;
      let contentStart = 0;
      for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === "" || content === "\r") {
          if (header.indent === 0 && indent.length > trimIndent)
            trimIndent = indent.length;
        } else {
          if (indent.length < trimIndent) {
            const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
            onError(offset + indent.length, "MISSING_CHAR", message);
          }
          if (header.indent === 0)
            trimIndent = indent.length;
          contentStart = i;
          if (trimIndent === 0 && !ctx.atRoot) {
            const message = "Block scalar values in collections must be indented";
            onError(offset, "BAD_INDENT", message);
          }
          break;
        }
        offset += indent.length + content.length + 1;
      }
      for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
          chompStart = i + 1;
      }
      let value = "";
      let sep = "";
      let prevMoreIndented = false;
      for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + "\n";
      for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === "\r";
        if (crlf)
          content = content.slice(0, -1);
        if (content && indent.length < trimIndent) {
          const src = header.indent ? "explicit indentation indicator" : "first line";
          const message = `Block scalar lines must not be less indented than their ${src}`;
          onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
          indent = "";
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
          value += sep + indent.slice(trimIndent) + content;
          sep = "\n";
        } else if (indent.length > trimIndent || content[0] === "	") {
          if (sep === " ")
            sep = "\n";
          else if (!prevMoreIndented && sep === "\n")
            sep = "\n\n";
          value += sep + indent.slice(trimIndent) + content;
          sep = "\n";
          prevMoreIndented = true;
        } else if (content === "") {
          if (sep === "\n")
            value += "\n";
          else
            sep = "\n";
        } else {
          value += sep + content;
          sep = " ";
          prevMoreIndented = false;
        }
      }
      switch (header.chomp) {
        case "-":
          break;
        case "+":
          for (let i = chompStart; i < lines.length; ++i)
            value += "\n" + lines[i][0].slice(trimIndent);
          if (value[value.length - 1] !== "\n")
            value += "\n";
          break;
        default:
          value += "\n";
      }
      const end = start + header.length + scalar.source.length;
      return { value, type, comment: header.comment, range: [start, end, end] };
    }
    function parseBlockScalarHeader({ offset, props }, strict, onError) {
      if (props[0].type !== "block-scalar-header") {
        onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
        return null;
      }
      const { source } = props[0];
      const mode = source[0];
      let indent = 0;
      let chomp = "";
      let error = -1;
      for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === "-" || ch === "+"))
          chomp = ch;
        else {
          const n = Number(ch);
          if (!indent && n)
            indent = n;
          else if (error === -1)
            error = offset + i;
        }
      }
      if (error !== -1)
        onError(error, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
      let hasSpace = false;
      let comment = "";
      let length = source.length;
      for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
          case "space":
            hasSpace = true;
          // fallthrough
          case "newline":
            length += token.source.length;
            break;
          case "comment":
            if (strict && !hasSpace) {
              const message = "Comments must be separated from other tokens by white space characters";
              onError(token, "MISSING_CHAR", message);
            }
            length += token.source.length;
            comment = token.source.substring(1);
            break;
          case "error":
            onError(token, "UNEXPECTED_TOKEN", token.message);
            length += token.source.length;
            break;
          /* istanbul ignore next should not happen */
          default: {
            const message = `Unexpected token in block scalar header: ${token.type}`;
            onError(token, "UNEXPECTED_TOKEN", message);
            const ts = token.source;
            if (ts && typeof ts === "string")
              length += ts.length;
          }
        }
      }
      return { mode, indent, chomp, comment, length };
    }
    function splitLines(source) {
      const split = source.split(/\n( *)/);
      const first = split[0];
      const m = first.match(/^( *)/);
      const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
      const lines = [line0];
      for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
      return lines;
    }
    exports.resolveBlockScalar = resolveBlockScalar;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-scalar.js
var require_resolve_flow_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var resolveEnd = require_resolve_end();
    function resolveFlowScalar(scalar, strict, onError) {
      const { offset, type, source, end } = scalar;
      let _type;
      let value;
      const _onError = (rel, code2, msg) => onError(offset + rel, code2, msg);
      switch (type) {
        case "scalar":
          _type = Scalar.Scalar.PLAIN;
          value = plainValue(source, _onError);
          break;
        case "single-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_SINGLE;
          value = singleQuotedValue(source, _onError);
          break;
        case "double-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_DOUBLE;
          value = doubleQuotedValue(source, _onError);
          break;
        /* istanbul ignore next should not happen */
        default:
          onError(scalar, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
          return {
            value: "",
            type: null,
            comment: "",
            range: [offset, offset + source.length, offset + source.length]
          };
      }
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
      return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
      };
    }
    function plainValue(source, onError) {
      let badChar = "";
      switch (source[0]) {
        /* istanbul ignore next should not happen */
        case "	":
          badChar = "a tab character";
          break;
        case ",":
          badChar = "flow indicator character ,";
          break;
        case "%":
          badChar = "directive indicator character %";
          break;
        case "|":
        case ">": {
          badChar = `block scalar indicator ${source[0]}`;
          break;
        }
        case "@":
        case "`": {
          badChar = `reserved character ${source[0]}`;
          break;
        }
      }
      if (badChar)
        onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
      return unfoldLines(source);
    }
    function singleQuotedValue(source, onError) {
      if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
      return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    }
    function unfoldLines(source) {
      const line = /(.*?)\r?\n/sy;
      let match = line.exec(source);
      if (!match)
        return source;
      let trimEnd, trimBoth;
      try {
        trimEnd = new RegExp("(?<![ 	])[ 	]+$");
        trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
      } catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
      }
      let res = match[1].replace(trimEnd, "");
      let sep = " ";
      let pos = line.lastIndex;
      while (match = line.exec(source)) {
        const lm = match[1].replace(trimBoth, "");
        if (lm === "") {
          if (sep === "\n")
            res += sep;
          else
            sep = "\n";
        } else {
          res += sep + lm;
          sep = " ";
        }
        pos = line.lastIndex;
      }
      const last = /[ \t]*(.*)/sy;
      last.lastIndex = pos;
      match = last.exec(source);
      return res + sep + (match?.[1] ?? "");
    }
    function doubleQuotedValue(source, onError) {
      let res = "";
      for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === "\r" && source[i + 1] === "\n")
          continue;
        if (ch === "\n") {
          const { fold, offset } = foldNewline(source, i);
          res += fold;
          i = offset;
        } else if (ch === "\\") {
          let next = source[++i];
          const cc = escapeCodes[next];
          if (cc)
            res += cc;
          else if (next === "\n") {
            next = source[i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "\r" && source[i + 1] === "\n") {
            next = source[++i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "x" || next === "u" || next === "U") {
            const length = next === "x" ? 2 : next === "u" ? 4 : 8;
            res += parseCharCode(source, i + 1, length, onError);
            i += length;
          } else {
            const raw = source.substr(i - 1, 2);
            onError(i - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
            res += raw;
          }
        } else if (ch === " " || ch === "	") {
          const wsStart = i;
          let next = source[i + 1];
          while (next === " " || next === "	")
            next = source[++i + 1];
          if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n"))
            res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        } else {
          res += ch;
        }
      }
      if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
      return res;
    }
    function foldNewline(source, offset) {
      let fold = "";
      let ch = source[offset + 1];
      while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[offset + 2] !== "\n")
          break;
        if (ch === "\n")
          fold += "\n";
        offset += 1;
        ch = source[offset + 1];
      }
      if (!fold)
        fold = " ";
      return { fold, offset };
    }
    var escapeCodes = {
      "0": "\0",
      // null character
      a: "\x07",
      // bell character
      b: "\b",
      // backspace
      e: "\x1B",
      // escape character
      f: "\f",
      // form feed
      n: "\n",
      // line feed
      r: "\r",
      // carriage return
      t: "	",
      // horizontal tab
      v: "\v",
      // vertical tab
      N: "",
      // Unicode next line
      _: " ",
      // Unicode non-breaking space
      L: "\u2028",
      // Unicode line separator
      P: "\u2029",
      // Unicode paragraph separator
      " ": " ",
      '"': '"',
      "/": "/",
      "\\": "\\",
      "	": "	"
    };
    function parseCharCode(source, offset, length, onError) {
      const cc = source.substr(offset, length);
      const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
      const code2 = ok ? parseInt(cc, 16) : NaN;
      try {
        return String.fromCodePoint(code2);
      } catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        return raw;
      }
    }
    exports.resolveFlowScalar = resolveFlowScalar;
  }
});

// node_modules/yaml/dist/compose/compose-scalar.js
var require_compose_scalar = __commonJS({
  "node_modules/yaml/dist/compose/compose-scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    function composeScalar(ctx, token, tagToken, onError) {
      const { value, type, comment, range } = token.type === "block-scalar" ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError) : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
      const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
      let tag;
      if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
      } else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
      else if (token.type === "scalar")
        tag = findScalarTagByTest(ctx, value, token, onError);
      else
        tag = ctx.schema[identity.SCALAR];
      let scalar;
      try {
        const res = tag.resolve(value, (msg) => onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg);
        scalar = new Scalar.Scalar(value);
      }
      scalar.range = range;
      scalar.source = value;
      if (type)
        scalar.type = type;
      if (tagName)
        scalar.tag = tagName;
      if (tag.format)
        scalar.format = tag.format;
      if (comment)
        scalar.comment = comment;
      return scalar;
    }
    function findScalarTagByName(schema, value, tagName, tagToken, onError) {
      if (tagName === "!")
        return schema[identity.SCALAR];
      const matchWithTest = [];
      for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
          if (tag.default && tag.test)
            matchWithTest.push(tag);
          else
            return tag;
        }
      }
      for (const tag of matchWithTest)
        if (tag.test?.test(value))
          return tag;
      const kt = schema.knownTags[tagName];
      if (kt && !kt.collection) {
        schema.tags.push(Object.assign({}, kt, { default: false, test: void 0 }));
        return kt;
      }
      onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
      return schema[identity.SCALAR];
    }
    function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
      const tag = schema.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema[identity.SCALAR];
      if (schema.compat) {
        const compat = schema.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
          const ts = directives.tagString(tag.tag);
          const cs = directives.tagString(compat.tag);
          const msg = `Value may be parsed as either ${ts} or ${cs}`;
          onError(token, "TAG_RESOLVE_FAILED", msg, true);
        }
      }
      return tag;
    }
    exports.composeScalar = composeScalar;
  }
});

// node_modules/yaml/dist/compose/util-empty-scalar-position.js
var require_util_empty_scalar_position = __commonJS({
  "node_modules/yaml/dist/compose/util-empty-scalar-position.js"(exports) {
    "use strict";
    function emptyScalarPosition(offset, before, pos) {
      if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
          let st = before[i];
          switch (st.type) {
            case "space":
            case "comment":
            case "newline":
              offset -= st.source.length;
              continue;
          }
          st = before[++i];
          while (st?.type === "space") {
            offset += st.source.length;
            st = before[++i];
          }
          break;
        }
      }
      return offset;
    }
    exports.emptyScalarPosition = emptyScalarPosition;
  }
});

// node_modules/yaml/dist/compose/compose-node.js
var require_compose_node = __commonJS({
  "node_modules/yaml/dist/compose/compose-node.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var composeCollection = require_compose_collection();
    var composeScalar = require_compose_scalar();
    var resolveEnd = require_resolve_end();
    var utilEmptyScalarPosition = require_util_empty_scalar_position();
    var CN = { composeNode, composeEmptyNode };
    function composeNode(ctx, token, props, onError) {
      const atKey = ctx.atKey;
      const { spaceBefore, comment, anchor, tag } = props;
      let node;
      let isSrcToken = true;
      switch (token.type) {
        case "alias":
          node = composeAlias(ctx, token, onError);
          if (anchor || tag)
            onError(token, "ALIAS_PROPS", "An alias node must not specify any properties");
          break;
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "block-scalar":
          node = composeScalar.composeScalar(ctx, token, tag, onError);
          if (anchor)
            node.anchor = anchor.source.substring(1);
          break;
        case "block-map":
        case "block-seq":
        case "flow-collection":
          try {
            node = composeCollection.composeCollection(CN, ctx, token, props, onError);
            if (anchor)
              node.anchor = anchor.source.substring(1);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            onError(token, "RESOURCE_EXHAUSTION", message);
          }
          break;
        default: {
          const message = token.type === "error" ? token.message : `Unsupported token (type: ${token.type})`;
          onError(token, "UNEXPECTED_TOKEN", message);
          isSrcToken = false;
        }
      }
      node ?? (node = composeEmptyNode(ctx, token.offset, void 0, null, props, onError));
      if (anchor && node.anchor === "")
        onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      if (atKey && ctx.options.stringKeys && (!identity.isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
        const msg = "With stringKeys, all keys must be strings";
        onError(tag ?? token, "NON_STRING_KEY", msg);
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        if (token.type === "scalar" && token.source === "")
          node.comment = comment;
        else
          node.commentBefore = comment;
      }
      if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
      return node;
    }
    function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
      const token = {
        type: "scalar",
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ""
      };
      const node = composeScalar.composeScalar(ctx, token, tag, onError);
      if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === "")
          onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        node.comment = comment;
        node.range[2] = end;
      }
      return node;
    }
    function composeAlias({ options }, { offset, source, end }, onError) {
      const alias = new Alias.Alias(source.substring(1));
      if (alias.source === "")
        onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
      if (alias.source.endsWith(":"))
        onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
      alias.range = [offset, valueEnd, re.offset];
      if (re.comment)
        alias.comment = re.comment;
      return alias;
    }
    exports.composeEmptyNode = composeEmptyNode;
    exports.composeNode = composeNode;
  }
});

// node_modules/yaml/dist/compose/compose-doc.js
var require_compose_doc = __commonJS({
  "node_modules/yaml/dist/compose/compose-doc.js"(exports) {
    "use strict";
    var Document = require_Document();
    var composeNode = require_compose_node();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    function composeDoc(options, directives, { offset, start, value, end }, onError) {
      const opts = Object.assign({ _directives: directives }, options);
      const doc = new Document.Document(void 0, opts);
      const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
      };
      const props = resolveProps.resolveProps(start, {
        indicator: "doc-start",
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
      });
      if (props.found) {
        doc.directives.docStart = true;
        if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
          onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
      }
      doc.contents = value ? composeNode.composeNode(ctx, value, props, onError) : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
      const contentEnd = doc.contents.range[2];
      const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
      if (re.comment)
        doc.comment = re.comment;
      doc.range = [offset, contentEnd, re.offset];
      return doc;
    }
    exports.composeDoc = composeDoc;
  }
});

// node_modules/yaml/dist/compose/composer.js
var require_composer = __commonJS({
  "node_modules/yaml/dist/compose/composer.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var directives = require_directives();
    var Document = require_Document();
    var errors = require_errors();
    var identity = require_identity();
    var composeDoc = require_compose_doc();
    var resolveEnd = require_resolve_end();
    function getErrorPos(src) {
      if (typeof src === "number")
        return [src, src + 1];
      if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
      const { offset, source } = src;
      return [offset, offset + (typeof source === "string" ? source.length : 1)];
    }
    function parsePrelude(prelude) {
      let comment = "";
      let atComment = false;
      let afterEmptyLine = false;
      for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
          case "#":
            comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
            atComment = true;
            afterEmptyLine = false;
            break;
          case "%":
            if (prelude[i + 1]?.[0] !== "#")
              i += 1;
            atComment = false;
            break;
          default:
            if (!atComment)
              afterEmptyLine = true;
            atComment = false;
        }
      }
      return { comment, afterEmptyLine };
    }
    var Composer = class {
      constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code2, message, warning) => {
          const pos = getErrorPos(source);
          if (warning)
            this.warnings.push(new errors.YAMLWarning(pos, code2, message));
          else
            this.errors.push(new errors.YAMLParseError(pos, code2, message));
        };
        this.directives = new directives.Directives({ version: options.version || "1.2" });
        this.options = options;
      }
      decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        if (comment) {
          const dc = doc.contents;
          if (afterDoc) {
            doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
          } else if (afterEmptyLine || doc.directives.docStart || !dc) {
            doc.commentBefore = comment;
          } else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
            let it = dc.items[0];
            if (identity.isPair(it))
              it = it.key;
            const cb = it.commentBefore;
            it.commentBefore = cb ? `${comment}
${cb}` : comment;
          } else {
            const cb = dc.commentBefore;
            dc.commentBefore = cb ? `${comment}
${cb}` : comment;
          }
        }
        if (afterDoc) {
          for (let i = 0; i < this.errors.length; ++i)
            doc.errors.push(this.errors[i]);
          for (let i = 0; i < this.warnings.length; ++i)
            doc.warnings.push(this.warnings[i]);
        } else {
          doc.errors = this.errors;
          doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
      }
      /**
       * Current stream status information.
       *
       * Mostly useful at the end of input for an empty stream.
       */
      streamInfo() {
        return {
          comment: parsePrelude(this.prelude).comment,
          directives: this.directives,
          errors: this.errors,
          warnings: this.warnings
        };
      }
      /**
       * Compose tokens into documents.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
          yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
      }
      /** Advance the composer by one CST token. */
      *next(token) {
        if (node_process.env.LOG_STREAM)
          console.dir(token, { depth: null });
        switch (token.type) {
          case "directive":
            this.directives.add(token.source, (offset, message, warning) => {
              const pos = getErrorPos(token);
              pos[0] += offset;
              this.onError(pos, "BAD_DIRECTIVE", message, warning);
            });
            this.prelude.push(token.source);
            this.atDirectives = true;
            break;
          case "document": {
            const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
            if (this.atDirectives && !doc.directives.docStart)
              this.onError(token, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
            this.decorate(doc, false);
            if (this.doc)
              yield this.doc;
            this.doc = doc;
            this.atDirectives = false;
            break;
          }
          case "byte-order-mark":
          case "space":
            break;
          case "comment":
          case "newline":
            this.prelude.push(token.source);
            break;
          case "error": {
            const msg = token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message;
            const error = new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg);
            if (this.atDirectives || !this.doc)
              this.errors.push(error);
            else
              this.doc.errors.push(error);
            break;
          }
          case "doc-end": {
            if (!this.doc) {
              const msg = "Unexpected doc-end without preceding document";
              this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg));
              break;
            }
            this.doc.directives.docEnd = true;
            const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
            this.decorate(this.doc, true);
            if (end.comment) {
              const dc = this.doc.comment;
              this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
            }
            this.doc.range[2] = end.offset;
            break;
          }
          default:
            this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", `Unsupported token ${token.type}`));
        }
      }
      /**
       * Call at end of input to yield any remaining document.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
          this.decorate(this.doc, true);
          yield this.doc;
          this.doc = null;
        } else if (forceDoc) {
          const opts = Object.assign({ _directives: this.directives }, this.options);
          const doc = new Document.Document(void 0, opts);
          if (this.atDirectives)
            this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
          doc.range = [0, endOffset, endOffset];
          this.decorate(doc, false);
          yield doc;
        }
      }
    };
    exports.Composer = Composer;
  }
});

// node_modules/yaml/dist/parse/cst-scalar.js
var require_cst_scalar = __commonJS({
  "node_modules/yaml/dist/parse/cst-scalar.js"(exports) {
    "use strict";
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    var errors = require_errors();
    var stringifyString = require_stringifyString();
    function resolveAsScalar(token, strict = true, onError) {
      if (token) {
        const _onError = (pos, code2, message) => {
          const offset = typeof pos === "number" ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
          if (onError)
            onError(offset, code2, message);
          else
            throw new errors.YAMLParseError([offset, offset + 1], code2, message);
        };
        switch (token.type) {
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
          case "block-scalar":
            return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
      }
      return null;
    }
    function createScalarToken(value, context) {
      const { implicitKey = false, indent, inFlow = false, offset = -1, type = "PLAIN" } = context;
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      const end = context.end ?? [
        { type: "newline", offset: -1, indent, source: "\n" }
      ];
      switch (source[0]) {
        case "|":
        case ">": {
          const he = source.indexOf("\n");
          const head = source.substring(0, he);
          const body = source.substring(he + 1) + "\n";
          const props = [
            { type: "block-scalar-header", offset, indent, source: head }
          ];
          if (!addEndtoBlockProps(props, end))
            props.push({ type: "newline", offset: -1, indent, source: "\n" });
          return { type: "block-scalar", offset, indent, props, source: body };
        }
        case '"':
          return { type: "double-quoted-scalar", offset, indent, source, end };
        case "'":
          return { type: "single-quoted-scalar", offset, indent, source, end };
        default:
          return { type: "scalar", offset, indent, source, end };
      }
    }
    function setScalarValue(token, value, context = {}) {
      let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
      let indent = "indent" in token ? token.indent : null;
      if (afterKey && typeof indent === "number")
        indent += 2;
      if (!type)
        switch (token.type) {
          case "single-quoted-scalar":
            type = "QUOTE_SINGLE";
            break;
          case "double-quoted-scalar":
            type = "QUOTE_DOUBLE";
            break;
          case "block-scalar": {
            const header = token.props[0];
            if (header.type !== "block-scalar-header")
              throw new Error("Invalid block scalar header");
            type = header.source[0] === ">" ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
            break;
          }
          default:
            type = "PLAIN";
        }
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      switch (source[0]) {
        case "|":
        case ">":
          setBlockScalarValue(token, source);
          break;
        case '"':
          setFlowScalarValue(token, source, "double-quoted-scalar");
          break;
        case "'":
          setFlowScalarValue(token, source, "single-quoted-scalar");
          break;
        default:
          setFlowScalarValue(token, source, "scalar");
      }
    }
    function setBlockScalarValue(token, source) {
      const he = source.indexOf("\n");
      const head = source.substring(0, he);
      const body = source.substring(he + 1) + "\n";
      if (token.type === "block-scalar") {
        const header = token.props[0];
        if (header.type !== "block-scalar-header")
          throw new Error("Invalid block scalar header");
        header.source = head;
        token.source = body;
      } else {
        const { offset } = token;
        const indent = "indent" in token ? token.indent : -1;
        const props = [
          { type: "block-scalar-header", offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, "end" in token ? token.end : void 0))
          props.push({ type: "newline", offset: -1, indent, source: "\n" });
        for (const key of Object.keys(token))
          if (key !== "type" && key !== "offset")
            delete token[key];
        Object.assign(token, { type: "block-scalar", indent, props, source: body });
      }
    }
    function addEndtoBlockProps(props, end) {
      if (end)
        for (const st of end)
          switch (st.type) {
            case "space":
            case "comment":
              props.push(st);
              break;
            case "newline":
              props.push(st);
              return true;
          }
      return false;
    }
    function setFlowScalarValue(token, source, type) {
      switch (token.type) {
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          token.type = type;
          token.source = source;
          break;
        case "block-scalar": {
          const end = token.props.slice(1);
          let oa = source.length;
          if (token.props[0].type === "block-scalar-header")
            oa -= token.props[0].source.length;
          for (const tok of end)
            tok.offset += oa;
          delete token.props;
          Object.assign(token, { type, source, end });
          break;
        }
        case "block-map":
        case "block-seq": {
          const offset = token.offset + source.length;
          const nl = { type: "newline", offset, indent: token.indent, source: "\n" };
          delete token.items;
          Object.assign(token, { type, source, end: [nl] });
          break;
        }
        default: {
          const indent = "indent" in token ? token.indent : -1;
          const end = "end" in token && Array.isArray(token.end) ? token.end.filter((st) => st.type === "space" || st.type === "comment" || st.type === "newline") : [];
          for (const key of Object.keys(token))
            if (key !== "type" && key !== "offset")
              delete token[key];
          Object.assign(token, { type, indent, source, end });
        }
      }
    }
    exports.createScalarToken = createScalarToken;
    exports.resolveAsScalar = resolveAsScalar;
    exports.setScalarValue = setScalarValue;
  }
});

// node_modules/yaml/dist/parse/cst-stringify.js
var require_cst_stringify = __commonJS({
  "node_modules/yaml/dist/parse/cst-stringify.js"(exports) {
    "use strict";
    var stringify = (cst) => "type" in cst ? stringifyToken(cst) : stringifyItem(cst);
    function stringifyToken(token) {
      switch (token.type) {
        case "block-scalar": {
          let res = "";
          for (const tok of token.props)
            res += stringifyToken(tok);
          return res + token.source;
        }
        case "block-map":
        case "block-seq": {
          let res = "";
          for (const item of token.items)
            res += stringifyItem(item);
          return res;
        }
        case "flow-collection": {
          let res = token.start.source;
          for (const item of token.items)
            res += stringifyItem(item);
          for (const st of token.end)
            res += st.source;
          return res;
        }
        case "document": {
          let res = stringifyItem(token);
          if (token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
        default: {
          let res = token.source;
          if ("end" in token && token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
      }
    }
    function stringifyItem({ start, key, sep, value }) {
      let res = "";
      for (const st of start)
        res += st.source;
      if (key)
        res += stringifyToken(key);
      if (sep)
        for (const st of sep)
          res += st.source;
      if (value)
        res += stringifyToken(value);
      return res;
    }
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/parse/cst-visit.js
var require_cst_visit = __commonJS({
  "node_modules/yaml/dist/parse/cst-visit.js"(exports) {
    "use strict";
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove item");
    function visit(cst, visitor) {
      if ("type" in cst && cst.type === "document")
        cst = { start: cst.start, value: cst.value };
      _visit(Object.freeze([]), cst, visitor);
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    visit.itemAtPath = (cst, path) => {
      let item = cst;
      for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && "items" in tok) {
          item = tok.items[index];
        } else
          return void 0;
      }
      return item;
    };
    visit.parentCollection = (cst, path) => {
      const parent = visit.itemAtPath(cst, path.slice(0, -1));
      const field = path[path.length - 1][0];
      const coll = parent?.[field];
      if (coll && "items" in coll)
        return coll;
      throw new Error("Parent collection not found");
    };
    function _visit(path, item, visitor) {
      let ctrl = visitor(item, path);
      if (typeof ctrl === "symbol")
        return ctrl;
      for (const field of ["key", "value"]) {
        const token = item[field];
        if (token && "items" in token) {
          for (let i = 0; i < token.items.length; ++i) {
            const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              token.items.splice(i, 1);
              i -= 1;
            }
          }
          if (typeof ctrl === "function" && field === "key")
            ctrl = ctrl(item, path);
        }
      }
      return typeof ctrl === "function" ? ctrl(item, path) : ctrl;
    }
    exports.visit = visit;
  }
});

// node_modules/yaml/dist/parse/cst.js
var require_cst = __commonJS({
  "node_modules/yaml/dist/parse/cst.js"(exports) {
    "use strict";
    var cstScalar = require_cst_scalar();
    var cstStringify = require_cst_stringify();
    var cstVisit = require_cst_visit();
    var BOM = "\uFEFF";
    var DOCUMENT = "";
    var FLOW_END = "";
    var SCALAR = "";
    var isCollection = (token) => !!token && "items" in token;
    var isScalar = (token) => !!token && (token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar" || token.type === "block-scalar");
    function prettyToken(token) {
      switch (token) {
        case BOM:
          return "<BOM>";
        case DOCUMENT:
          return "<DOC>";
        case FLOW_END:
          return "<FLOW_END>";
        case SCALAR:
          return "<SCALAR>";
        default:
          return JSON.stringify(token);
      }
    }
    function tokenType(source) {
      switch (source) {
        case BOM:
          return "byte-order-mark";
        case DOCUMENT:
          return "doc-mode";
        case FLOW_END:
          return "flow-error-end";
        case SCALAR:
          return "scalar";
        case "---":
          return "doc-start";
        case "...":
          return "doc-end";
        case "":
        case "\n":
        case "\r\n":
          return "newline";
        case "-":
          return "seq-item-ind";
        case "?":
          return "explicit-key-ind";
        case ":":
          return "map-value-ind";
        case "{":
          return "flow-map-start";
        case "}":
          return "flow-map-end";
        case "[":
          return "flow-seq-start";
        case "]":
          return "flow-seq-end";
        case ",":
          return "comma";
      }
      switch (source[0]) {
        case " ":
        case "	":
          return "space";
        case "#":
          return "comment";
        case "%":
          return "directive-line";
        case "*":
          return "alias";
        case "&":
          return "anchor";
        case "!":
          return "tag";
        case "'":
          return "single-quoted-scalar";
        case '"':
          return "double-quoted-scalar";
        case "|":
        case ">":
          return "block-scalar-header";
      }
      return null;
    }
    exports.createScalarToken = cstScalar.createScalarToken;
    exports.resolveAsScalar = cstScalar.resolveAsScalar;
    exports.setScalarValue = cstScalar.setScalarValue;
    exports.stringify = cstStringify.stringify;
    exports.visit = cstVisit.visit;
    exports.BOM = BOM;
    exports.DOCUMENT = DOCUMENT;
    exports.FLOW_END = FLOW_END;
    exports.SCALAR = SCALAR;
    exports.isCollection = isCollection;
    exports.isScalar = isScalar;
    exports.prettyToken = prettyToken;
    exports.tokenType = tokenType;
  }
});

// node_modules/yaml/dist/parse/lexer.js
var require_lexer = __commonJS({
  "node_modules/yaml/dist/parse/lexer.js"(exports) {
    "use strict";
    var cst = require_cst();
    function isEmpty(ch) {
      switch (ch) {
        case void 0:
        case " ":
        case "\n":
        case "\r":
        case "	":
          return true;
        default:
          return false;
      }
    }
    var hexDigits = new Set("0123456789ABCDEFabcdef");
    var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
    var flowIndicatorChars = new Set(",[]{}");
    var invalidAnchorChars = new Set(" ,[]{}\n\r	");
    var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
    var Lexer = class {
      constructor() {
        this.atEnd = false;
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        this.buffer = "";
        this.flowKey = false;
        this.flowLevel = 0;
        this.indentNext = 0;
        this.indentValue = 0;
        this.lineEndPos = null;
        this.next = null;
        this.pos = 0;
      }
      /**
       * Generate YAML tokens from the `source` string. If `incomplete`,
       * a part of the last line may be left as a buffer for the next call.
       *
       * @returns A generator of lexical tokens
       */
      *lex(source, incomplete = false) {
        if (source) {
          if (typeof source !== "string")
            throw TypeError("source is not a string");
          this.buffer = this.buffer ? this.buffer + source : source;
          this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? "stream";
        while (next && (incomplete || this.hasChars(1)))
          next = yield* this.parseNext(next);
      }
      atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === " " || ch === "	")
          ch = this.buffer[++i];
        if (!ch || ch === "#" || ch === "\n")
          return true;
        if (ch === "\r")
          return this.buffer[i + 1] === "\n";
        return false;
      }
      charAt(n) {
        return this.buffer[this.pos + n];
      }
      continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
          let indent = 0;
          while (ch === " ")
            ch = this.buffer[++indent + offset];
          if (ch === "\r") {
            const next = this.buffer[indent + offset + 1];
            if (next === "\n" || !next && !this.atEnd)
              return offset + indent + 1;
          }
          return ch === "\n" || indent >= this.indentNext || !ch && !this.atEnd ? offset + indent : -1;
        }
        if (ch === "-" || ch === ".") {
          const dt = this.buffer.substr(offset, 3);
          if ((dt === "---" || dt === "...") && isEmpty(this.buffer[offset + 3]))
            return -1;
        }
        return offset;
      }
      getLine() {
        let end = this.lineEndPos;
        if (typeof end !== "number" || end !== -1 && end < this.pos) {
          end = this.buffer.indexOf("\n", this.pos);
          this.lineEndPos = end;
        }
        if (end === -1)
          return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === "\r")
          end -= 1;
        return this.buffer.substring(this.pos, end);
      }
      hasChars(n) {
        return this.pos + n <= this.buffer.length;
      }
      setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
      }
      peek(n) {
        return this.buffer.substr(this.pos, n);
      }
      *parseNext(next) {
        switch (next) {
          case "stream":
            return yield* this.parseStream();
          case "line-start":
            return yield* this.parseLineStart();
          case "block-start":
            return yield* this.parseBlockStart();
          case "doc":
            return yield* this.parseDocument();
          case "flow":
            return yield* this.parseFlowCollection();
          case "quoted-scalar":
            return yield* this.parseQuotedScalar();
          case "block-scalar":
            return yield* this.parseBlockScalar();
          case "plain-scalar":
            return yield* this.parsePlainScalar();
        }
      }
      *parseStream() {
        let line = this.getLine();
        if (line === null)
          return this.setNext("stream");
        if (line[0] === cst.BOM) {
          yield* this.pushCount(1);
          line = line.substring(1);
        }
        if (line[0] === "%") {
          let dirEnd = line.length;
          let cs = line.indexOf("#");
          while (cs !== -1) {
            const ch = line[cs - 1];
            if (ch === " " || ch === "	") {
              dirEnd = cs - 1;
              break;
            } else {
              cs = line.indexOf("#", cs + 1);
            }
          }
          while (true) {
            const ch = line[dirEnd - 1];
            if (ch === " " || ch === "	")
              dirEnd -= 1;
            else
              break;
          }
          const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
          yield* this.pushCount(line.length - n);
          this.pushNewline();
          return "stream";
        }
        if (this.atLineEnd()) {
          const sp = yield* this.pushSpaces(true);
          yield* this.pushCount(line.length - sp);
          yield* this.pushNewline();
          return "stream";
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
      }
      *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
          return this.setNext("line-start");
        if (ch === "-" || ch === ".") {
          if (!this.atEnd && !this.hasChars(4))
            return this.setNext("line-start");
          const s = this.peek(3);
          if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
            yield* this.pushCount(3);
            this.indentValue = 0;
            this.indentNext = 0;
            return s === "---" ? "doc" : "stream";
          }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
          this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
      }
      *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
          return this.setNext("block-start");
        if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
          const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
          this.indentNext = this.indentValue + 1;
          this.indentValue += n;
          return "block-start";
        }
        return "doc";
      }
      *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
          return this.setNext("doc");
        let n = yield* this.pushIndicators();
        switch (line[n]) {
          case "#":
            yield* this.pushCount(line.length - n);
          // fallthrough
          case void 0:
            yield* this.pushNewline();
            return yield* this.parseLineStart();
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel = 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            return "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "doc";
          case '"':
          case "'":
            return yield* this.parseQuotedScalar();
          case "|":
          case ">":
            n += yield* this.parseBlockScalarHeader();
            n += yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - n);
            yield* this.pushNewline();
            return yield* this.parseBlockScalar();
          default:
            return yield* this.parsePlainScalar();
        }
      }
      *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
          nl = yield* this.pushNewline();
          if (nl > 0) {
            sp = yield* this.pushSpaces(false);
            this.indentValue = indent = sp;
          } else {
            sp = 0;
          }
          sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
          return this.setNext("flow");
        if (indent !== -1 && indent < this.indentNext && line[0] !== "#" || indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3])) {
          const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
          if (!atFlowEndMarker) {
            this.flowLevel = 0;
            yield cst.FLOW_END;
            return yield* this.parseLineStart();
          }
        }
        let n = 0;
        while (line[n] === ",") {
          n += yield* this.pushCount(1);
          n += yield* this.pushSpaces(true);
          this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
          case void 0:
            return "flow";
          case "#":
            yield* this.pushCount(line.length - n);
            return "flow";
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel += 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            this.flowKey = true;
            this.flowLevel -= 1;
            return this.flowLevel ? "flow" : "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "flow";
          case '"':
          case "'":
            this.flowKey = true;
            return yield* this.parseQuotedScalar();
          case ":": {
            const next = this.charAt(1);
            if (this.flowKey || isEmpty(next) || next === ",") {
              this.flowKey = false;
              yield* this.pushCount(1);
              yield* this.pushSpaces(true);
              return "flow";
            }
          }
          // fallthrough
          default:
            this.flowKey = false;
            return yield* this.parsePlainScalar();
        }
      }
      *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
          while (end !== -1 && this.buffer[end + 1] === "'")
            end = this.buffer.indexOf("'", end + 2);
        } else {
          while (end !== -1) {
            let n = 0;
            while (this.buffer[end - 1 - n] === "\\")
              n += 1;
            if (n % 2 === 0)
              break;
            end = this.buffer.indexOf('"', end + 1);
          }
        }
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf("\n", this.pos);
        if (nl !== -1) {
          while (nl !== -1) {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = qb.indexOf("\n", cs);
          }
          if (nl !== -1) {
            end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
          }
        }
        if (end === -1) {
          if (!this.atEnd)
            return this.setNext("quoted-scalar");
          end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? "flow" : "doc";
      }
      *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
          const ch = this.buffer[++i];
          if (ch === "+")
            this.blockScalarKeep = true;
          else if (ch > "0" && ch <= "9")
            this.blockScalarIndent = Number(ch) - 1;
          else if (ch !== "-")
            break;
        }
        return yield* this.pushUntil((ch) => isEmpty(ch) || ch === "#");
      }
      *parseBlockScalar() {
        let nl = this.pos - 1;
        let indent = 0;
        let ch;
        loop: for (let i2 = this.pos; ch = this.buffer[i2]; ++i2) {
          switch (ch) {
            case " ":
              indent += 1;
              break;
            case "\n":
              nl = i2;
              indent = 0;
              break;
            case "\r": {
              const next = this.buffer[i2 + 1];
              if (!next && !this.atEnd)
                return this.setNext("block-scalar");
              if (next === "\n")
                break;
            }
            // fallthrough
            default:
              break loop;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("block-scalar");
        if (indent >= this.indentNext) {
          if (this.blockScalarIndent === -1)
            this.indentNext = indent;
          else {
            this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
          }
          do {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = this.buffer.indexOf("\n", cs);
          } while (nl !== -1);
          if (nl === -1) {
            if (!this.atEnd)
              return this.setNext("block-scalar");
            nl = this.buffer.length;
          }
        }
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === " ")
          ch = this.buffer[++i];
        if (ch === "	") {
          while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
            ch = this.buffer[++i];
          nl = i - 1;
        } else if (!this.blockScalarKeep) {
          do {
            let i2 = nl - 1;
            let ch2 = this.buffer[i2];
            if (ch2 === "\r")
              ch2 = this.buffer[--i2];
            const lastChar = i2;
            while (ch2 === " ")
              ch2 = this.buffer[--i2];
            if (ch2 === "\n" && i2 >= this.pos && i2 + 1 + indent > lastChar)
              nl = i2;
            else
              break;
          } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
      }
      *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while (ch = this.buffer[++i]) {
          if (ch === ":") {
            const next = this.buffer[i + 1];
            if (isEmpty(next) || inFlow && flowIndicatorChars.has(next))
              break;
            end = i;
          } else if (isEmpty(ch)) {
            let next = this.buffer[i + 1];
            if (ch === "\r") {
              if (next === "\n") {
                i += 1;
                ch = "\n";
                next = this.buffer[i + 1];
              } else
                end = i;
            }
            if (next === "#" || inFlow && flowIndicatorChars.has(next))
              break;
            if (ch === "\n") {
              const cs = this.continueScalar(i + 1);
              if (cs === -1)
                break;
              i = Math.max(i, cs - 2);
            }
          } else {
            if (inFlow && flowIndicatorChars.has(ch))
              break;
            end = i;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("plain-scalar");
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? "flow" : "doc";
      }
      *pushCount(n) {
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos += n;
          return n;
        }
        return 0;
      }
      *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
          yield s;
          this.pos += s.length;
          return s.length;
        } else if (allowEmpty)
          yield "";
        return 0;
      }
      *pushIndicators() {
        let n = 0;
        loop: while (true) {
          switch (this.charAt(0)) {
            case "!":
              n += yield* this.pushTag();
              n += yield* this.pushSpaces(true);
              continue loop;
            case "&":
              n += yield* this.pushUntil(isNotAnchorChar);
              n += yield* this.pushSpaces(true);
              continue loop;
            case "-":
            // this is an error
            case "?":
            // this is an error outside flow collections
            case ":": {
              const inFlow = this.flowLevel > 0;
              const ch1 = this.charAt(1);
              if (isEmpty(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
                if (!inFlow)
                  this.indentNext = this.indentValue + 1;
                else if (this.flowKey)
                  this.flowKey = false;
                n += yield* this.pushCount(1);
                n += yield* this.pushSpaces(true);
                continue loop;
              }
            }
          }
          break loop;
        }
        return n;
      }
      *pushTag() {
        if (this.charAt(1) === "<") {
          let i = this.pos + 2;
          let ch = this.buffer[i];
          while (!isEmpty(ch) && ch !== ">")
            ch = this.buffer[++i];
          return yield* this.pushToIndex(ch === ">" ? i + 1 : i, false);
        } else {
          let i = this.pos + 1;
          let ch = this.buffer[i];
          while (ch) {
            if (tagChars.has(ch))
              ch = this.buffer[++i];
            else if (ch === "%" && hexDigits.has(this.buffer[i + 1]) && hexDigits.has(this.buffer[i + 2])) {
              ch = this.buffer[i += 3];
            } else
              break;
          }
          return yield* this.pushToIndex(i, false);
        }
      }
      *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === "\n")
          return yield* this.pushCount(1);
        else if (ch === "\r" && this.charAt(1) === "\n")
          return yield* this.pushCount(2);
        else
          return 0;
      }
      *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
          ch = this.buffer[++i];
        } while (ch === " " || allowTabs && ch === "	");
        const n = i - this.pos;
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos = i;
        }
        return n;
      }
      *pushUntil(test2) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test2(ch))
          ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
      }
    };
    exports.Lexer = Lexer;
  }
});

// node_modules/yaml/dist/parse/line-counter.js
var require_line_counter = __commonJS({
  "node_modules/yaml/dist/parse/line-counter.js"(exports) {
    "use strict";
    var LineCounter = class {
      constructor() {
        this.lineStarts = [];
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        this.linePos = (offset) => {
          let low = 0;
          let high = this.lineStarts.length;
          while (low < high) {
            const mid = low + high >> 1;
            if (this.lineStarts[mid] < offset)
              low = mid + 1;
            else
              high = mid;
          }
          if (this.lineStarts[low] === offset)
            return { line: low + 1, col: 1 };
          if (low === 0)
            return { line: 0, col: offset };
          const start = this.lineStarts[low - 1];
          return { line: low, col: offset - start + 1 };
        };
      }
    };
    exports.LineCounter = LineCounter;
  }
});

// node_modules/yaml/dist/parse/parser.js
var require_parser = __commonJS({
  "node_modules/yaml/dist/parse/parser.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var cst = require_cst();
    var lexer = require_lexer();
    function includesToken(list2, type) {
      for (let i = 0; i < list2.length; ++i)
        if (list2[i].type === type)
          return true;
      return false;
    }
    function findNonEmptyIndex(list2) {
      for (let i = 0; i < list2.length; ++i) {
        switch (list2[i].type) {
          case "space":
          case "comment":
          case "newline":
            break;
          default:
            return i;
        }
      }
      return -1;
    }
    function isFlowToken(token) {
      switch (token?.type) {
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "flow-collection":
          return true;
        default:
          return false;
      }
    }
    function getPrevProps(parent) {
      switch (parent.type) {
        case "document":
          return parent.start;
        case "block-map": {
          const it = parent.items[parent.items.length - 1];
          return it.sep ?? it.start;
        }
        case "block-seq":
          return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
          return [];
      }
    }
    function getFirstKeyStartProps(prev) {
      if (prev.length === 0)
        return [];
      let i = prev.length;
      loop: while (--i >= 0) {
        switch (prev[i].type) {
          case "doc-start":
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
          case "newline":
            break loop;
        }
      }
      while (prev[++i]?.type === "space") {
      }
      return prev.splice(i, prev.length);
    }
    function arrayPushArray(target, source) {
      if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
      else
        for (let i = 0; i < source.length; ++i)
          target.push(source[i]);
    }
    function fixFlowSeqItems(fc) {
      if (fc.start.type === "flow-seq-start") {
        for (const it of fc.items) {
          if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
            if (it.key)
              it.value = it.key;
            delete it.key;
            if (isFlowToken(it.value)) {
              if (it.value.end)
                arrayPushArray(it.value.end, it.sep);
              else
                it.value.end = it.sep;
            } else
              arrayPushArray(it.start, it.sep);
            delete it.sep;
          }
        }
      }
    }
    var Parser = class {
      /**
       * @param onNewLine - If defined, called separately with the start position of
       *   each new line (in `parse()`, including the start of input).
       */
      constructor(onNewLine) {
        this.atNewLine = true;
        this.atScalar = false;
        this.indent = 0;
        this.offset = 0;
        this.onKeyLine = false;
        this.stack = [];
        this.source = "";
        this.type = "";
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
      }
      /**
       * Parse `source` as a YAML stream.
       * If `incomplete`, a part of the last line may be left as a buffer for the next call.
       *
       * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
       *
       * @returns A generator of tokens representing each directive, document, and other structure.
       */
      *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
          this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
          yield* this.next(lexeme);
        if (!incomplete)
          yield* this.end();
      }
      /**
       * Advance the parser by the `source` of one lexical token.
       */
      *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
          console.log("|", cst.prettyToken(source));
        if (this.atScalar) {
          this.atScalar = false;
          yield* this.step();
          this.offset += source.length;
          return;
        }
        const type = cst.tokenType(source);
        if (!type) {
          const message = `Not a YAML token: ${source}`;
          yield* this.pop({ type: "error", offset: this.offset, message, source });
          this.offset += source.length;
        } else if (type === "scalar") {
          this.atNewLine = false;
          this.atScalar = true;
          this.type = "scalar";
        } else {
          this.type = type;
          yield* this.step();
          switch (type) {
            case "newline":
              this.atNewLine = true;
              this.indent = 0;
              if (this.onNewLine)
                this.onNewLine(this.offset + source.length);
              break;
            case "space":
              if (this.atNewLine && source[0] === " ")
                this.indent += source.length;
              break;
            case "explicit-key-ind":
            case "map-value-ind":
            case "seq-item-ind":
              if (this.atNewLine)
                this.indent += source.length;
              break;
            case "doc-mode":
            case "flow-error-end":
              return;
            default:
              this.atNewLine = false;
          }
          this.offset += source.length;
        }
      }
      /** Call at end of input to push out any remaining constructions */
      *end() {
        while (this.stack.length > 0)
          yield* this.pop();
      }
      get sourceToken() {
        const st = {
          type: this.type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
        return st;
      }
      *step() {
        const top = this.peek(1);
        if (this.type === "doc-end" && top?.type !== "doc-end") {
          while (this.stack.length > 0)
            yield* this.pop();
          this.stack.push({
            type: "doc-end",
            offset: this.offset,
            source: this.source
          });
          return;
        }
        if (!top)
          return yield* this.stream();
        switch (top.type) {
          case "document":
            return yield* this.document(top);
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return yield* this.scalar(top);
          case "block-scalar":
            return yield* this.blockScalar(top);
          case "block-map":
            return yield* this.blockMap(top);
          case "block-seq":
            return yield* this.blockSequence(top);
          case "flow-collection":
            return yield* this.flowCollection(top);
          case "doc-end":
            return yield* this.documentEnd(top);
        }
        yield* this.pop();
      }
      peek(n) {
        return this.stack[this.stack.length - n];
      }
      *pop(error) {
        const token = error ?? this.stack.pop();
        if (!token) {
          const message = "Tried to pop an empty stack";
          yield { type: "error", offset: this.offset, source: "", message };
        } else if (this.stack.length === 0) {
          yield token;
        } else {
          const top = this.peek(1);
          if (token.type === "block-scalar") {
            token.indent = "indent" in top ? top.indent : 0;
          } else if (token.type === "flow-collection" && top.type === "document") {
            token.indent = 0;
          }
          if (token.type === "flow-collection")
            fixFlowSeqItems(token);
          switch (top.type) {
            case "document":
              top.value = token;
              break;
            case "block-scalar":
              top.props.push(token);
              break;
            case "block-map": {
              const it = top.items[top.items.length - 1];
              if (it.value) {
                top.items.push({ start: [], key: token, sep: [] });
                this.onKeyLine = true;
                return;
              } else if (it.sep) {
                it.value = token;
              } else {
                Object.assign(it, { key: token, sep: [] });
                this.onKeyLine = !it.explicitKey;
                return;
              }
              break;
            }
            case "block-seq": {
              const it = top.items[top.items.length - 1];
              if (it.value)
                top.items.push({ start: [], value: token });
              else
                it.value = token;
              break;
            }
            case "flow-collection": {
              const it = top.items[top.items.length - 1];
              if (!it || it.value)
                top.items.push({ start: [], key: token, sep: [] });
              else if (it.sep)
                it.value = token;
              else
                Object.assign(it, { key: token, sep: [] });
              return;
            }
            /* istanbul ignore next should not happen */
            default:
              yield* this.pop();
              yield* this.pop(token);
          }
          if ((top.type === "document" || top.type === "block-map" || top.type === "block-seq") && (token.type === "block-map" || token.type === "block-seq")) {
            const last = token.items[token.items.length - 1];
            if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token.indent === 0 || last.start.every((st) => st.type !== "comment" || st.indent < token.indent))) {
              if (top.type === "document")
                top.end = last.start;
              else
                top.items.push({ start: last.start });
              token.items.splice(-1, 1);
            }
          }
        }
      }
      *stream() {
        switch (this.type) {
          case "directive-line":
            yield { type: "directive", offset: this.offset, source: this.source };
            return;
          case "byte-order-mark":
          case "space":
          case "comment":
          case "newline":
            yield this.sourceToken;
            return;
          case "doc-mode":
          case "doc-start": {
            const doc = {
              type: "document",
              offset: this.offset,
              start: []
            };
            if (this.type === "doc-start")
              doc.start.push(this.sourceToken);
            this.stack.push(doc);
            return;
          }
        }
        yield {
          type: "error",
          offset: this.offset,
          message: `Unexpected ${this.type} token in YAML stream`,
          source: this.source
        };
      }
      *document(doc) {
        if (doc.value)
          return yield* this.lineEnd(doc);
        switch (this.type) {
          case "doc-start": {
            if (findNonEmptyIndex(doc.start) !== -1) {
              yield* this.pop();
              yield* this.step();
            } else
              doc.start.push(this.sourceToken);
            return;
          }
          case "anchor":
          case "tag":
          case "space":
          case "comment":
          case "newline":
            doc.start.push(this.sourceToken);
            return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
          this.stack.push(bv);
        else {
          yield {
            type: "error",
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML document`,
            source: this.source
          };
        }
      }
      *scalar(scalar) {
        if (this.type === "map-value-ind") {
          const prev = getPrevProps(this.peek(2));
          const start = getFirstKeyStartProps(prev);
          let sep;
          if (scalar.end) {
            sep = scalar.end;
            sep.push(this.sourceToken);
            delete scalar.end;
          } else
            sep = [this.sourceToken];
          const map = {
            type: "block-map",
            offset: scalar.offset,
            indent: scalar.indent,
            items: [{ start, key: scalar, sep }]
          };
          this.onKeyLine = true;
          this.stack[this.stack.length - 1] = map;
        } else
          yield* this.lineEnd(scalar);
      }
      *blockScalar(scalar) {
        switch (this.type) {
          case "space":
          case "comment":
          case "newline":
            scalar.props.push(this.sourceToken);
            return;
          case "scalar":
            scalar.source = this.source;
            this.atNewLine = true;
            this.indent = 0;
            if (this.onNewLine) {
              let nl = this.source.indexOf("\n") + 1;
              while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf("\n", nl) + 1;
              }
            }
            yield* this.pop();
            break;
          /* istanbul ignore next should not happen */
          default:
            yield* this.pop();
            yield* this.step();
        }
      }
      *blockMap(map) {
        const it = map.items[map.items.length - 1];
        switch (this.type) {
          case "newline":
            this.onKeyLine = false;
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              it.start.push(this.sourceToken);
            }
            return;
          case "space":
          case "comment":
            if (it.value) {
              map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              if (this.atIndentedComment(it.start, map.indent)) {
                const prev = map.items[map.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  map.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
        }
        if (this.indent >= map.indent) {
          const atMapIndent = !this.onKeyLine && this.indent === map.indent;
          const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== "seq-item-ind";
          let start = [];
          if (atNextItem && it.sep && !it.value) {
            const nl = [];
            for (let i = 0; i < it.sep.length; ++i) {
              const st = it.sep[i];
              switch (st.type) {
                case "newline":
                  nl.push(i);
                  break;
                case "space":
                  break;
                case "comment":
                  if (st.indent > map.indent)
                    nl.length = 0;
                  break;
                default:
                  nl.length = 0;
              }
            }
            if (nl.length >= 2)
              start = it.sep.splice(nl[1]);
          }
          switch (this.type) {
            case "anchor":
            case "tag":
              if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start });
                this.onKeyLine = true;
              } else if (it.sep) {
                it.sep.push(this.sourceToken);
              } else {
                it.start.push(this.sourceToken);
              }
              return;
            case "explicit-key-ind":
              if (!it.sep && !it.explicitKey) {
                it.start.push(this.sourceToken);
                it.explicitKey = true;
              } else if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start, explicitKey: true });
              } else {
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: [this.sourceToken], explicitKey: true }]
                });
              }
              this.onKeyLine = true;
              return;
            case "map-value-ind":
              if (it.explicitKey) {
                if (!it.sep) {
                  if (includesToken(it.start, "newline")) {
                    Object.assign(it, { key: null, sep: [this.sourceToken] });
                  } else {
                    const start2 = getFirstKeyStartProps(it.start);
                    this.stack.push({
                      type: "block-map",
                      offset: this.offset,
                      indent: this.indent,
                      items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                    });
                  }
                } else if (it.value) {
                  map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                  });
                } else if (isFlowToken(it.key) && !includesToken(it.sep, "newline")) {
                  const start2 = getFirstKeyStartProps(it.start);
                  const key = it.key;
                  const sep = it.sep;
                  sep.push(this.sourceToken);
                  delete it.key;
                  delete it.sep;
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start2, key, sep }]
                  });
                } else if (start.length > 0) {
                  it.sep = it.sep.concat(start, this.sourceToken);
                } else {
                  it.sep.push(this.sourceToken);
                }
              } else {
                if (!it.sep) {
                  Object.assign(it, { key: null, sep: [this.sourceToken] });
                } else if (it.value || atNextItem) {
                  map.items.push({ start, key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [], key: null, sep: [this.sourceToken] }]
                  });
                } else {
                  it.sep.push(this.sourceToken);
                }
              }
              this.onKeyLine = true;
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (atNextItem || it.value) {
                map.items.push({ start, key: fs, sep: [] });
                this.onKeyLine = true;
              } else if (it.sep) {
                this.stack.push(fs);
              } else {
                Object.assign(it, { key: fs, sep: [] });
                this.onKeyLine = true;
              }
              return;
            }
            default: {
              const bv = this.startBlockValue(map);
              if (bv) {
                if (bv.type === "block-seq") {
                  if (!it.explicitKey && it.sep && !includesToken(it.sep, "newline")) {
                    yield* this.pop({
                      type: "error",
                      offset: this.offset,
                      message: "Unexpected block-seq-ind on same line with key",
                      source: this.source
                    });
                    return;
                  }
                } else if (atMapIndent) {
                  map.items.push({ start });
                }
                this.stack.push(bv);
                return;
              }
            }
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
          case "newline":
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                seq.items.push({ start: [this.sourceToken] });
            } else
              it.start.push(this.sourceToken);
            return;
          case "space":
          case "comment":
            if (it.value)
              seq.items.push({ start: [this.sourceToken] });
            else {
              if (this.atIndentedComment(it.start, seq.indent)) {
                const prev = seq.items[seq.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  seq.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
          case "anchor":
          case "tag":
            if (it.value || this.indent <= seq.indent)
              break;
            it.start.push(this.sourceToken);
            return;
          case "seq-item-ind":
            if (this.indent !== seq.indent)
              break;
            if (it.value || includesToken(it.start, "seq-item-ind"))
              seq.items.push({ start: [this.sourceToken] });
            else
              it.start.push(this.sourceToken);
            return;
        }
        if (this.indent > seq.indent) {
          const bv = this.startBlockValue(seq);
          if (bv) {
            this.stack.push(bv);
            return;
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === "flow-error-end") {
          let top;
          do {
            yield* this.pop();
            top = this.peek(1);
          } while (top?.type === "flow-collection");
        } else if (fc.end.length === 0) {
          switch (this.type) {
            case "comma":
            case "explicit-key-ind":
              if (!it || it.sep)
                fc.items.push({ start: [this.sourceToken] });
              else
                it.start.push(this.sourceToken);
              return;
            case "map-value-ind":
              if (!it || it.value)
                fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                Object.assign(it, { key: null, sep: [this.sourceToken] });
              return;
            case "space":
            case "comment":
            case "newline":
            case "anchor":
            case "tag":
              if (!it || it.value)
                fc.items.push({ start: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                it.start.push(this.sourceToken);
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (!it || it.value)
                fc.items.push({ start: [], key: fs, sep: [] });
              else if (it.sep)
                this.stack.push(fs);
              else
                Object.assign(it, { key: fs, sep: [] });
              return;
            }
            case "flow-map-end":
            case "flow-seq-end":
              fc.end.push(this.sourceToken);
              return;
          }
          const bv = this.startBlockValue(fc);
          if (bv)
            this.stack.push(bv);
          else {
            yield* this.pop();
            yield* this.step();
          }
        } else {
          const parent = this.peek(2);
          if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
            yield* this.pop();
            yield* this.step();
          } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            fixFlowSeqItems(fc);
            const sep = fc.end.splice(1, fc.end.length);
            sep.push(this.sourceToken);
            const map = {
              type: "block-map",
              offset: fc.offset,
              indent: fc.indent,
              items: [{ start, key: fc, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
          } else {
            yield* this.lineEnd(fc);
          }
        }
      }
      flowScalar(type) {
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        return {
          type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
      }
      startBlockValue(parent) {
        switch (this.type) {
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return this.flowScalar(this.type);
          case "block-scalar-header":
            return {
              type: "block-scalar",
              offset: this.offset,
              indent: this.indent,
              props: [this.sourceToken],
              source: ""
            };
          case "flow-map-start":
          case "flow-seq-start":
            return {
              type: "flow-collection",
              offset: this.offset,
              indent: this.indent,
              start: this.sourceToken,
              items: [],
              end: []
            };
          case "seq-item-ind":
            return {
              type: "block-seq",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken] }]
            };
          case "explicit-key-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            start.push(this.sourceToken);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, explicitKey: true }]
            };
          }
          case "map-value-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, key: null, sep: [this.sourceToken] }]
            };
          }
        }
        return null;
      }
      atIndentedComment(start, indent) {
        if (this.type !== "comment")
          return false;
        if (this.indent <= indent)
          return false;
        return start.every((st) => st.type === "newline" || st.type === "space");
      }
      *documentEnd(docEnd) {
        if (this.type !== "doc-mode") {
          if (docEnd.end)
            docEnd.end.push(this.sourceToken);
          else
            docEnd.end = [this.sourceToken];
          if (this.type === "newline")
            yield* this.pop();
        }
      }
      *lineEnd(token) {
        switch (this.type) {
          case "comma":
          case "doc-start":
          case "doc-end":
          case "flow-seq-end":
          case "flow-map-end":
          case "map-value-ind":
            yield* this.pop();
            yield* this.step();
            break;
          case "newline":
            this.onKeyLine = false;
          // fallthrough
          case "space":
          case "comment":
          default:
            if (token.end)
              token.end.push(this.sourceToken);
            else
              token.end = [this.sourceToken];
            if (this.type === "newline")
              yield* this.pop();
        }
      }
    };
    exports.Parser = Parser;
  }
});

// node_modules/yaml/dist/public-api.js
var require_public_api = __commonJS({
  "node_modules/yaml/dist/public-api.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var errors = require_errors();
    var log = require_log();
    var identity = require_identity();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    function parseOptions(options) {
      const prettyErrors = options.prettyErrors !== false;
      const lineCounter$1 = options.lineCounter || prettyErrors && new lineCounter.LineCounter() || null;
      return { lineCounter: lineCounter$1, prettyErrors };
    }
    function parseAllDocuments(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      const docs = Array.from(composer$1.compose(parser$1.parse(source)));
      if (prettyErrors && lineCounter2)
        for (const doc of docs) {
          doc.errors.forEach(errors.prettifyError(source, lineCounter2));
          doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
        }
      if (docs.length > 0)
        return docs;
      return Object.assign([], { empty: true }, composer$1.streamInfo());
    }
    function parseDocument(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      let doc = null;
      for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
          doc = _doc;
        else if (doc.options.logLevel !== "silent") {
          doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
          break;
        }
      }
      if (prettyErrors && lineCounter2) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter2));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
      }
      return doc;
    }
    function parse5(src, reviver, options) {
      let _reviver = void 0;
      if (typeof reviver === "function") {
        _reviver = reviver;
      } else if (options === void 0 && reviver && typeof reviver === "object") {
        options = reviver;
      }
      const doc = parseDocument(src, options);
      if (!doc)
        return null;
      doc.warnings.forEach((warning) => log.warn(doc.options.logLevel, warning));
      if (doc.errors.length > 0) {
        if (doc.options.logLevel !== "silent")
          throw doc.errors[0];
        else
          doc.errors = [];
      }
      return doc.toJS(Object.assign({ reviver: _reviver }, options));
    }
    function stringify(value, replacer, options) {
      let _replacer = null;
      if (typeof replacer === "function" || Array.isArray(replacer)) {
        _replacer = replacer;
      } else if (options === void 0 && replacer) {
        options = replacer;
      }
      if (typeof options === "string")
        options = options.length;
      if (typeof options === "number") {
        const indent = Math.round(options);
        options = indent < 1 ? void 0 : indent > 8 ? { indent: 8 } : { indent };
      }
      if (value === void 0) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
          return void 0;
      }
      if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
      return new Document.Document(value, _replacer, options).toString(options);
    }
    exports.parse = parse5;
    exports.parseAllDocuments = parseAllDocuments;
    exports.parseDocument = parseDocument;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/index.js
var require_dist = __commonJS({
  "node_modules/yaml/dist/index.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var Schema = require_Schema();
    var errors = require_errors();
    var Alias = require_Alias();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var cst = require_cst();
    var lexer = require_lexer();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    var publicApi = require_public_api();
    var visit = require_visit();
    exports.Composer = composer.Composer;
    exports.Document = Document.Document;
    exports.Schema = Schema.Schema;
    exports.YAMLError = errors.YAMLError;
    exports.YAMLParseError = errors.YAMLParseError;
    exports.YAMLWarning = errors.YAMLWarning;
    exports.Alias = Alias.Alias;
    exports.isAlias = identity.isAlias;
    exports.isCollection = identity.isCollection;
    exports.isDocument = identity.isDocument;
    exports.isMap = identity.isMap;
    exports.isNode = identity.isNode;
    exports.isPair = identity.isPair;
    exports.isScalar = identity.isScalar;
    exports.isSeq = identity.isSeq;
    exports.Pair = Pair.Pair;
    exports.Scalar = Scalar.Scalar;
    exports.YAMLMap = YAMLMap.YAMLMap;
    exports.YAMLSeq = YAMLSeq.YAMLSeq;
    exports.CST = cst;
    exports.Lexer = lexer.Lexer;
    exports.LineCounter = lineCounter.LineCounter;
    exports.Parser = parser.Parser;
    exports.parse = publicApi.parse;
    exports.parseAllDocuments = publicApi.parseAllDocuments;
    exports.parseDocument = publicApi.parseDocument;
    exports.stringify = publicApi.stringify;
    exports.visit = visit.visit;
    exports.visitAsync = visit.visitAsync;
  }
});

// src/fingerprint/card.ts
function readModelCard(readmeText, source) {
  const card = { baseModel: [], tags: [], hasFrontMatter: false };
  const open2 = OPEN.exec(readmeText);
  if (!open2) return card;
  const rest = readmeText.slice(open2[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*$/m.exec(rest);
  if (!close) throw new InputError(source, "front matter opened with --- but never closed");
  const yamlText = rest.slice(0, close.index);
  card.hasFrontMatter = true;
  let data;
  try {
    data = (0, import_yaml.parse)(yamlText, { uniqueKeys: false });
  } catch (err2) {
    const msg = String(err2 instanceof Error ? err2.message : err2).split("\n")[0];
    throw new InputError(source, `malformed YAML front matter: ${msg}`);
  }
  if (data === null || data === void 0) return card;
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new InputError(source, "front matter is not a YAML mapping");
  }
  const fm = data;
  card.baseModel = strings(fm.base_model);
  card.tags = strings(fm.tags);
  const str = (v) => typeof v === "string" && v.trim() ? v.trim() : void 0;
  card.baseModelRelation = str(fm.base_model_relation);
  card.license = str(fm.license) ?? strings(fm.license)[0];
  card.licenseName = str(fm.license_name);
  card.libraryName = str(fm.library_name);
  for (const k of ["baseModelRelation", "license", "licenseName", "libraryName"]) {
    if (card[k] === void 0) delete card[k];
  }
  return card;
}
function strings(v) {
  const list2 = typeof v === "string" ? [v] : Array.isArray(v) ? v : [];
  const out = list2.filter((x) => typeof x === "string").map((x) => x.trim()).filter(Boolean);
  return [...new Set(out)];
}
var import_yaml, OPEN;
var init_card = __esm({
  "src/fingerprint/card.ts"() {
    "use strict";
    import_yaml = __toESM(require_dist(), 1);
    init_errors();
    OPEN = /^\uFEFF?---[ \t]*\r?\n/;
  }
});

// src/fingerprint/model.ts
var model_exports = {};
__export(model_exports, {
  fingerprintModel: () => fingerprintModel,
  fingerprintTensorFull: () => fingerprintTensorFull,
  fingerprintTensorSample: () => fingerprintTensorSample,
  summarise: () => summarise
});
async function fingerprintTensorFull(t, k, seed, chunkSize, onBytes) {
  const acc = new TensorAccumulator(t.name, t.dtype, t.shape, t.byteLength, {
    k,
    seed,
    fullRows: wantsFullRows(t.name, t.shape),
    fullCols: wantsFullCols(t.name, t.shape)
  });
  for await (const chunk of t.file.stream(t.offset, t.byteLength, chunkSize)) {
    acc.update(chunk);
    onBytes(chunk.byteLength);
  }
  return acc.finish();
}
async function fingerprintTensorSample(t, k, seed) {
  const info = dtypeInfo(t.dtype);
  if (!info.decodable) return { name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.byteLength, bytesOnly: true };
  if (wantsFullCols(t.name, t.shape) && t.byteLength <= WHOLE_READ_LIMIT) {
    return fingerprintTensorFull(t, k, seed, t.byteLength || 1, () => {
    });
  }
  const es = info.bits / 8;
  const plan = planSample(t.shape, k, seed);
  const full = wantsFullRows(t.name, t.shape);
  const readPlan = full ? { ...plan, cols: Uint32Array.from({ length: plan.C }, (_, i) => i) } : plan;
  const spans = sampleByteSpans(readPlan, 0, es);
  const parts = await Promise.all(spans.map((s) => t.file.read(t.offset + s.offset, s.length)));
  const values = new Float32Array(plan.rows.length * plan.cols.length);
  const rowValues = full ? new Float32Array(plan.rows.length * plan.C) : void 0;
  const c0 = readPlan.cols[0] ?? 0;
  const c1 = readPlan.cols[readPlan.cols.length - 1] ?? 0;
  let n = 0;
  let spanIdx = 0;
  plan.rows.forEach((r, ri) => {
    const rowStart = (r * plan.C + c0) * es;
    while (rowStart >= spans[spanIdx].offset + spans[spanIdx].length) spanIdx++;
    const span = spans[spanIdx];
    const from = rowStart - span.offset;
    const decoded = decodeToFloat32(t.dtype, parts[spanIdx].slice(from, from + (c1 - c0 + 1) * es));
    for (const c of plan.cols) values[n++] = decoded[c - c0];
    if (rowValues) rowValues.set(decoded, ri * plan.C);
  });
  return fingerprintFromSample(t.name, t.dtype, t.shape, t.byteLength, plan, values, rowValues);
}
async function fingerprintModel(source, options = {}) {
  const mode = options.mode ?? "full";
  const k = options.k ?? DEFAULT_SAMPLE_K;
  const seed = options.seed ?? DEFAULT_SAMPLE_SEED;
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
  const tensors = source.tensors;
  const bytesTotal = tensors.reduce((n, t) => n + t.byteLength, 0);
  const progress = { bytesDone: 0, bytesTotal, tensorsDone: 0, tensorsTotal: tensors.length };
  const onBytes = (n) => {
    progress.bytesDone += n;
    options.onProgress?.(progress);
  };
  let fps;
  let workerBytes = 0;
  if (mode === "sample") {
    fps = new Array(tensors.length);
    let next = 0;
    let failure;
    const lane = async () => {
      while (next < tensors.length && !failure) {
        const i = next++;
        const t = tensors[i];
        progress.current = t.name;
        try {
          fps[i] = await fingerprintTensorSample(t, k, seed);
        } catch (error) {
          failure ??= { error };
          return;
        }
        progress.tensorsDone++;
        onBytes(t.byteLength);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SAMPLE_LANES, tensors.length) }, lane));
    if (failure) throw failure.error;
  } else if (options.runFull) {
    const out = await options.runFull(tensors, { k, seed }, onBytes);
    fps = out.fingerprints;
    workerBytes = out.bytesReadElsewhere;
  } else {
    fps = [];
    for (const t of tensors) {
      progress.current = t.name;
      fps.push(await fingerprintTensorFull(t, k, seed, chunkSize, onBytes));
      progress.tensorsDone++;
    }
  }
  const doc = {
    schema: FINGERPRINT_SCHEMA,
    tool: { name: "weightprint", version: VERSION },
    source: {
      id: source.id,
      kind: source.kind,
      files: source.files,
      totalBytes: source.totalBytes,
      bytesRead: 0,
      ...Object.keys(source.metadata).length ? { metadata: source.metadata } : {}
    },
    mode,
    sampling: { k, seed, encoding: "int8" },
    summary: summarise(fps),
    tensors: fps,
    components: groupComponents(fps)
  };
  await attachSideFiles(doc, source);
  doc.source.bytesRead = workerBytes + [...new Set(source.tensors.map((t) => t.file))].reduce((n, f) => n + f.bytesRead(), 0);
  return doc;
}
function summarise(fps) {
  const dtypes = {};
  let parameters = 0;
  for (const t of fps) {
    const n = numel(t.shape);
    parameters += n;
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + n;
  }
  return { tensors: fps.length, parameters, dtypes };
}
async function attachSideFiles(doc, source) {
  const config = await source.readText("config.json");
  if (config !== void 0) doc.config = configSignature(config, `${source.id}/config.json`);
  const files = {};
  for (const name of TOKENIZER_FILES) {
    const text = await source.readText(name);
    if (text !== void 0) files[name] = text;
  }
  const spm = await source.readBytes?.("tokenizer.model");
  if (spm !== void 0) files["tokenizer.model"] = spm;
  if (Object.keys(files).length) {
    const sig = tokenizerSignature(files, source.id);
    if (sig) doc.tokenizer = sig;
  }
  const readme = await source.readText("README.md");
  if (readme !== void 0) doc.card = readModelCard(readme, `${source.id}/README.md`);
}
var SAMPLE_LANES, TOKENIZER_FILES, WHOLE_READ_LIMIT;
var init_model2 = __esm({
  "src/fingerprint/model.ts"() {
    "use strict";
    init_accumulate();
    init_components();
    init_sample();
    init_types();
    init_tokenizer();
    init_config();
    init_card();
    init_dtypes();
    init_version();
    init_shape();
    SAMPLE_LANES = 8;
    TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt", "special_tokens_map.json"];
    WHOLE_READ_LIMIT = 64 * 1024 * 1024;
  }
});

// src/fingerprint/validate.ts
function isFingerprintLike(value) {
  return typeof value === "object" && value !== null && typeof value.schema === "string" && value.schema.startsWith("weightprint.fingerprint/");
}
function asFingerprint(value, source) {
  if (!isFingerprintLike(value)) throw new InputError(source, 'not a weightprint fingerprint (no "schema": "weightprint.fingerprint/…")');
  const doc = value;
  if (doc.schema !== FINGERPRINT_SCHEMA) {
    throw new InputError(source, `fingerprint schema ${doc.schema} is not supported (this version reads ${FINGERPRINT_SCHEMA})`);
  }
  if (!Array.isArray(doc.tensors)) throw new InputError(source, 'fingerprint has no "tensors" array');
  if (!Array.isArray(doc.components)) throw new InputError(source, 'fingerprint has no "components" array');
  if (typeof doc.sampling?.k !== "number" || typeof doc.sampling?.seed !== "number") {
    throw new InputError(source, 'fingerprint has no valid "sampling" {k, seed}');
  }
  doc.tensors.forEach((t, i) => {
    if (typeof t?.name !== "string" || !Array.isArray(t.shape) || typeof t.dtype !== "string") {
      throw new InputError(source, `tensors[${i}] lacks name, dtype or shape`);
    }
  });
  doc.components.forEach((c, i) => {
    if (!Array.isArray(c?.tensors) || c.tensors.some((j) => !Number.isInteger(j) || j < 0 || j >= doc.tensors.length)) {
      throw new InputError(source, `components[${i}] refers to tensors that do not exist`);
    }
  });
  return doc;
}
var init_validate = __esm({
  "src/fingerprint/validate.ts"() {
    "use strict";
    init_errors();
    init_types();
  }
});

// src/sources.ts
import { readFile as readFile2 } from "node:fs/promises";
async function readFingerprintFile(path) {
  let text;
  try {
    text = await readFile2(path, "utf8");
  } catch (err2) {
    const code2 = err2.code;
    throw new InputError(path, code2 === "ENOENT" ? "no such file or directory" : `cannot read (${code2 ?? String(err2)})`);
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (err2) {
    throw new InputError(path, `not valid JSON (${err2.message.split("\n")[0]})`);
  }
  return asFingerprint(parsed, path);
}
async function loadFingerprint(spec, options = {}) {
  if (/\.json$/i.test(spec) && !/\.safetensors\.index\.json$/i.test(spec)) return readFingerprintFile(spec);
  const model = await openModel(spec);
  try {
    const mode = options.mode ?? (model.kind === "hub" ? "sample" : "full");
    return await fingerprintModel(model, { ...options, mode });
  } finally {
    await model.close();
  }
}
var init_sources = __esm({
  "src/sources.ts"() {
    "use strict";
    init_errors();
    init_model();
    init_hub();
    init_model2();
    init_validate();
  }
});

// src/report/text.ts
function count(n) {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}
function fingerprintSummary(doc, maxTensors = 12) {
  const lines = [];
  lines.push(`${doc.source.id}  (${doc.source.kind}, ${doc.source.files.length} file(s), ${doc.mode} fingerprint)`);
  lines.push(`  tensors     ${doc.summary.tensors}`);
  lines.push(`  parameters  ${count(doc.summary.parameters)}`);
  lines.push(`  dtypes      ${Object.entries(doc.summary.dtypes).map(([d, n]) => `${d} ${count(n)}`).join(", ")}`);
  lines.push(`  bytes read  ${count(doc.source.bytesRead)} of ${count(doc.source.totalBytes)}`);
  if (doc.config) lines.push(`  config      ${JSON.stringify(doc.config).slice(0, 100)}`);
  if (doc.tokenizer) lines.push(`  tokenizer   ${JSON.stringify({ ...doc.tokenizer }).slice(0, 100)}`);
  if (doc.card) lines.push(`  model card  ${JSON.stringify(doc.card).slice(0, 100)}`);
  lines.push("  components");
  for (const c of doc.components) {
    lines.push(`    ${c.name.padEnd(28)} ${c.kind.padEnd(10)} ${String(c.tensors.length).padStart(5)} tensors ${count(c.parameters).padStart(8)} params  ${c.prefix}`);
  }
  lines.push("  tensors (sha256 · order-free value digest)");
  for (const t of doc.tensors.slice(0, maxTensors)) {
    const digest2 = t.sha256 ? `${t.sha256.slice(0, 12)} · ${t.valueDigest?.slice(0, 12) ?? "–"}` : "sample only";
    lines.push(`    ${t.name.slice(0, 48).padEnd(48)} ${t.dtype.padEnd(8)} [${t.shape.join(", ")}]  ${digest2}${t.bytesOnly ? "  (bytes only)" : ""}`);
  }
  if (doc.tensors.length > maxTensors) lines.push(`    … ${doc.tensors.length - maxTensors} more (use --json)`);
  return lines.join("\n");
}
function compareSummary(r) {
  const lines = [`${r.verdict.toUpperCase()}  (confidence ${r.confidence.toFixed(3)})  ${r.reason}`];
  lines.push(`  A: ${r.a.id} (${r.a.mode})   B: ${r.b.id} (${r.b.mode})`);
  for (const c of r.components) {
    lines.push(`  ${c.name.padEnd(28)} ${c.verdict.padEnd(13)} z ${c.score.toFixed(1).padStart(7)}  p ${(c.p_value === 0 ? "<1e-300" : c.p_value.toExponential(1)).padStart(8)}  tensors ${String(c.tensors_compared).padStart(4)}  median r ${c.median_r?.toFixed(3) ?? "–"}  ← ${c.a || "–"}`);
  }
  if (r.not_compared.length) lines.push(`  not compared: ${r.not_compared.length} item(s) (see --json or --markdown)`);
  return lines.join("\n");
}
var init_text = __esm({
  "src/report/text.ts"() {
    "use strict";
  }
});

// node_modules/cli-progress/lib/eta.js
var require_eta = __commonJS({
  "node_modules/cli-progress/lib/eta.js"(exports, module) {
    var ETA = class {
      constructor(length, initTime, initValue) {
        this.etaBufferLength = length || 100;
        this.valueBuffer = [initValue];
        this.timeBuffer = [initTime];
        this.eta = "0";
      }
      // add new values to calculation buffer
      update(time, value, total) {
        this.valueBuffer.push(value);
        this.timeBuffer.push(time);
        this.calculate(total - value);
      }
      // fetch estimated time
      getTime() {
        return this.eta;
      }
      // eta calculation - request number of remaining events
      calculate(remaining) {
        const currentBufferSize = this.valueBuffer.length;
        const buffer = Math.min(this.etaBufferLength, currentBufferSize);
        const v_diff = this.valueBuffer[currentBufferSize - 1] - this.valueBuffer[currentBufferSize - buffer];
        const t_diff = this.timeBuffer[currentBufferSize - 1] - this.timeBuffer[currentBufferSize - buffer];
        const vt_rate = v_diff / t_diff;
        this.valueBuffer = this.valueBuffer.slice(-this.etaBufferLength);
        this.timeBuffer = this.timeBuffer.slice(-this.etaBufferLength);
        const eta = Math.ceil(remaining / vt_rate / 1e3);
        if (isNaN(eta)) {
          this.eta = "NULL";
        } else if (!isFinite(eta)) {
          this.eta = "INF";
        } else if (eta > 1e7) {
          this.eta = "INF";
        } else if (eta < 0) {
          this.eta = 0;
        } else {
          this.eta = eta;
        }
      }
    };
    module.exports = ETA;
  }
});

// node_modules/cli-progress/lib/terminal.js
var require_terminal = __commonJS({
  "node_modules/cli-progress/lib/terminal.js"(exports, module) {
    var _readline = __require("readline");
    var Terminal = class {
      constructor(outputStream) {
        this.stream = outputStream;
        this.linewrap = true;
        this.dy = 0;
      }
      // save cursor position + settings
      cursorSave() {
        if (!this.stream.isTTY) {
          return;
        }
        this.stream.write("\x1B7");
      }
      // restore last cursor position + settings
      cursorRestore() {
        if (!this.stream.isTTY) {
          return;
        }
        this.stream.write("\x1B8");
      }
      // show/hide cursor
      cursor(enabled) {
        if (!this.stream.isTTY) {
          return;
        }
        if (enabled) {
          this.stream.write("\x1B[?25h");
        } else {
          this.stream.write("\x1B[?25l");
        }
      }
      // change cursor positionn
      cursorTo(x = null, y = null) {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.cursorTo(this.stream, x, y);
      }
      // change relative cursor position
      cursorRelative(dx = null, dy = null) {
        if (!this.stream.isTTY) {
          return;
        }
        this.dy = this.dy + dy;
        _readline.moveCursor(this.stream, dx, dy);
      }
      // relative reset
      cursorRelativeReset() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.moveCursor(this.stream, 0, -this.dy);
        _readline.cursorTo(this.stream, 0, null);
        this.dy = 0;
      }
      // clear to the right from cursor
      clearRight() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.clearLine(this.stream, 1);
      }
      // clear the full line
      clearLine() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.clearLine(this.stream, 0);
      }
      // clear everyting beyond the current line
      clearBottom() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.clearScreenDown(this.stream);
      }
      // add new line; increment counter
      newline() {
        this.stream.write("\n");
        this.dy++;
      }
      // write content to output stream
      // @TODO use string-width to strip length
      write(s, rawWrite = false) {
        if (this.linewrap === true && rawWrite === false) {
          this.stream.write(s.substr(0, this.getWidth()));
        } else {
          this.stream.write(s);
        }
      }
      // control line wrapping
      lineWrapping(enabled) {
        if (!this.stream.isTTY) {
          return;
        }
        this.linewrap = enabled;
        if (enabled) {
          this.stream.write("\x1B[?7h");
        } else {
          this.stream.write("\x1B[?7l");
        }
      }
      // tty environment ?
      isTTY() {
        return this.stream.isTTY === true;
      }
      // get terminal width
      getWidth() {
        return this.stream.columns || (this.stream.isTTY ? 80 : 200);
      }
    };
    module.exports = Terminal;
  }
});

// node_modules/ansi-regex/index.js
var require_ansi_regex = __commonJS({
  "node_modules/ansi-regex/index.js"(exports, module) {
    "use strict";
    module.exports = ({ onlyFirst = false } = {}) => {
      const pattern = [
        "[\\u001B\\u009B][[\\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]+)*|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]*)*)?\\u0007)",
        "(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PR-TZcf-ntqry=><~]))"
      ].join("|");
      return new RegExp(pattern, onlyFirst ? void 0 : "g");
    };
  }
});

// node_modules/strip-ansi/index.js
var require_strip_ansi = __commonJS({
  "node_modules/strip-ansi/index.js"(exports, module) {
    "use strict";
    var ansiRegex = require_ansi_regex();
    module.exports = (string) => typeof string === "string" ? string.replace(ansiRegex(), "") : string;
  }
});

// node_modules/is-fullwidth-code-point/index.js
var require_is_fullwidth_code_point = __commonJS({
  "node_modules/is-fullwidth-code-point/index.js"(exports, module) {
    "use strict";
    var isFullwidthCodePoint = (codePoint) => {
      if (Number.isNaN(codePoint)) {
        return false;
      }
      if (codePoint >= 4352 && (codePoint <= 4447 || // Hangul Jamo
      codePoint === 9001 || // LEFT-POINTING ANGLE BRACKET
      codePoint === 9002 || // RIGHT-POINTING ANGLE BRACKET
      // CJK Radicals Supplement .. Enclosed CJK Letters and Months
      11904 <= codePoint && codePoint <= 12871 && codePoint !== 12351 || // Enclosed CJK Letters and Months .. CJK Unified Ideographs Extension A
      12880 <= codePoint && codePoint <= 19903 || // CJK Unified Ideographs .. Yi Radicals
      19968 <= codePoint && codePoint <= 42182 || // Hangul Jamo Extended-A
      43360 <= codePoint && codePoint <= 43388 || // Hangul Syllables
      44032 <= codePoint && codePoint <= 55203 || // CJK Compatibility Ideographs
      63744 <= codePoint && codePoint <= 64255 || // Vertical Forms
      65040 <= codePoint && codePoint <= 65049 || // CJK Compatibility Forms .. Small Form Variants
      65072 <= codePoint && codePoint <= 65131 || // Halfwidth and Fullwidth Forms
      65281 <= codePoint && codePoint <= 65376 || 65504 <= codePoint && codePoint <= 65510 || // Kana Supplement
      110592 <= codePoint && codePoint <= 110593 || // Enclosed Ideographic Supplement
      127488 <= codePoint && codePoint <= 127569 || // CJK Unified Ideographs Extension B .. Tertiary Ideographic Plane
      131072 <= codePoint && codePoint <= 262141)) {
        return true;
      }
      return false;
    };
    module.exports = isFullwidthCodePoint;
    module.exports.default = isFullwidthCodePoint;
  }
});

// node_modules/emoji-regex/index.js
var require_emoji_regex = __commonJS({
  "node_modules/emoji-regex/index.js"(exports, module) {
    "use strict";
    module.exports = function() {
      return /\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62(?:\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67|\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74|\uDB40\uDC77\uDB40\uDC6C\uDB40\uDC73)\uDB40\uDC7F|\uD83D\uDC68(?:\uD83C\uDFFC\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68\uD83C\uDFFB|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFF\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB-\uDFFE])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFE\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB-\uDFFD])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFD\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB\uDFFC])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\u200D(?:\u2764\uFE0F\u200D(?:\uD83D\uDC8B\u200D)?\uD83D\uDC68|(?:\uD83D[\uDC68\uDC69])\u200D(?:\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67]))|\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67])|(?:\uD83D[\uDC68\uDC69])\u200D(?:\uD83D[\uDC66\uDC67])|[\u2695\u2696\u2708]\uFE0F|\uD83D[\uDC66\uDC67]|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|(?:\uD83C\uDFFB\u200D[\u2695\u2696\u2708]|\uD83C\uDFFF\u200D[\u2695\u2696\u2708]|\uD83C\uDFFE\u200D[\u2695\u2696\u2708]|\uD83C\uDFFD\u200D[\u2695\u2696\u2708]|\uD83C\uDFFC\u200D[\u2695\u2696\u2708])\uFE0F|\uD83C\uDFFB\u200D(?:\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C[\uDFFB-\uDFFF])|(?:\uD83E\uDDD1\uD83C\uDFFB\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFC\u200D\uD83E\uDD1D\u200D\uD83D\uDC69)\uD83C\uDFFB|\uD83E\uDDD1(?:\uD83C\uDFFF\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1(?:\uD83C[\uDFFB-\uDFFF])|\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1)|(?:\uD83E\uDDD1\uD83C\uDFFE\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFF\u200D\uD83E\uDD1D\u200D(?:\uD83D[\uDC68\uDC69]))(?:\uD83C[\uDFFB-\uDFFE])|(?:\uD83E\uDDD1\uD83C\uDFFC\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFD\u200D\uD83E\uDD1D\u200D\uD83D\uDC69)(?:\uD83C[\uDFFB\uDFFC])|\uD83D\uDC69(?:\uD83C\uDFFE\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB-\uDFFD\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFC\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB\uDFFD-\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFB\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFC-\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFD\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB\uDFFC\uDFFE\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\u200D(?:\u2764\uFE0F\u200D(?:\uD83D\uDC8B\u200D(?:\uD83D[\uDC68\uDC69])|\uD83D[\uDC68\uDC69])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFF\u200D(?:\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD]))|\uD83D\uDC69\u200D\uD83D\uDC69\u200D(?:\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67]))|(?:\uD83E\uDDD1\uD83C\uDFFD\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFE\u200D\uD83E\uDD1D\u200D\uD83D\uDC69)(?:\uD83C[\uDFFB-\uDFFD])|\uD83D\uDC69\u200D\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC69\u200D\uD83D\uDC69\u200D(?:\uD83D[\uDC66\uDC67])|(?:\uD83D\uDC41\uFE0F\u200D\uD83D\uDDE8|\uD83D\uDC69(?:\uD83C\uDFFF\u200D[\u2695\u2696\u2708]|\uD83C\uDFFE\u200D[\u2695\u2696\u2708]|\uD83C\uDFFC\u200D[\u2695\u2696\u2708]|\uD83C\uDFFB\u200D[\u2695\u2696\u2708]|\uD83C\uDFFD\u200D[\u2695\u2696\u2708]|\u200D[\u2695\u2696\u2708])|(?:(?:\u26F9|\uD83C[\uDFCB\uDFCC]|\uD83D\uDD75)\uFE0F|\uD83D\uDC6F|\uD83E[\uDD3C\uDDDE\uDDDF])\u200D[\u2640\u2642]|(?:\u26F9|\uD83C[\uDFCB\uDFCC]|\uD83D\uDD75)(?:\uD83C[\uDFFB-\uDFFF])\u200D[\u2640\u2642]|(?:\uD83C[\uDFC3\uDFC4\uDFCA]|\uD83D[\uDC6E\uDC71\uDC73\uDC77\uDC81\uDC82\uDC86\uDC87\uDE45-\uDE47\uDE4B\uDE4D\uDE4E\uDEA3\uDEB4-\uDEB6]|\uD83E[\uDD26\uDD37-\uDD39\uDD3D\uDD3E\uDDB8\uDDB9\uDDCD-\uDDCF\uDDD6-\uDDDD])(?:(?:\uD83C[\uDFFB-\uDFFF])\u200D[\u2640\u2642]|\u200D[\u2640\u2642])|\uD83C\uDFF4\u200D\u2620)\uFE0F|\uD83D\uDC69\u200D\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67])|\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08|\uD83D\uDC15\u200D\uD83E\uDDBA|\uD83D\uDC69\u200D\uD83D\uDC66|\uD83D\uDC69\u200D\uD83D\uDC67|\uD83C\uDDFD\uD83C\uDDF0|\uD83C\uDDF4\uD83C\uDDF2|\uD83C\uDDF6\uD83C\uDDE6|[#\*0-9]\uFE0F\u20E3|\uD83C\uDDE7(?:\uD83C[\uDDE6\uDDE7\uDDE9-\uDDEF\uDDF1-\uDDF4\uDDF6-\uDDF9\uDDFB\uDDFC\uDDFE\uDDFF])|\uD83C\uDDF9(?:\uD83C[\uDDE6\uDDE8\uDDE9\uDDEB-\uDDED\uDDEF-\uDDF4\uDDF7\uDDF9\uDDFB\uDDFC\uDDFF])|\uD83C\uDDEA(?:\uD83C[\uDDE6\uDDE8\uDDEA\uDDEC\uDDED\uDDF7-\uDDFA])|\uD83E\uDDD1(?:\uD83C[\uDFFB-\uDFFF])|\uD83C\uDDF7(?:\uD83C[\uDDEA\uDDF4\uDDF8\uDDFA\uDDFC])|\uD83D\uDC69(?:\uD83C[\uDFFB-\uDFFF])|\uD83C\uDDF2(?:\uD83C[\uDDE6\uDDE8-\uDDED\uDDF0-\uDDFF])|\uD83C\uDDE6(?:\uD83C[\uDDE8-\uDDEC\uDDEE\uDDF1\uDDF2\uDDF4\uDDF6-\uDDFA\uDDFC\uDDFD\uDDFF])|\uD83C\uDDF0(?:\uD83C[\uDDEA\uDDEC-\uDDEE\uDDF2\uDDF3\uDDF5\uDDF7\uDDFC\uDDFE\uDDFF])|\uD83C\uDDED(?:\uD83C[\uDDF0\uDDF2\uDDF3\uDDF7\uDDF9\uDDFA])|\uD83C\uDDE9(?:\uD83C[\uDDEA\uDDEC\uDDEF\uDDF0\uDDF2\uDDF4\uDDFF])|\uD83C\uDDFE(?:\uD83C[\uDDEA\uDDF9])|\uD83C\uDDEC(?:\uD83C[\uDDE6\uDDE7\uDDE9-\uDDEE\uDDF1-\uDDF3\uDDF5-\uDDFA\uDDFC\uDDFE])|\uD83C\uDDF8(?:\uD83C[\uDDE6-\uDDEA\uDDEC-\uDDF4\uDDF7-\uDDF9\uDDFB\uDDFD-\uDDFF])|\uD83C\uDDEB(?:\uD83C[\uDDEE-\uDDF0\uDDF2\uDDF4\uDDF7])|\uD83C\uDDF5(?:\uD83C[\uDDE6\uDDEA-\uDDED\uDDF0-\uDDF3\uDDF7-\uDDF9\uDDFC\uDDFE])|\uD83C\uDDFB(?:\uD83C[\uDDE6\uDDE8\uDDEA\uDDEC\uDDEE\uDDF3\uDDFA])|\uD83C\uDDF3(?:\uD83C[\uDDE6\uDDE8\uDDEA-\uDDEC\uDDEE\uDDF1\uDDF4\uDDF5\uDDF7\uDDFA\uDDFF])|\uD83C\uDDE8(?:\uD83C[\uDDE6\uDDE8\uDDE9\uDDEB-\uDDEE\uDDF0-\uDDF5\uDDF7\uDDFA-\uDDFF])|\uD83C\uDDF1(?:\uD83C[\uDDE6-\uDDE8\uDDEE\uDDF0\uDDF7-\uDDFB\uDDFE])|\uD83C\uDDFF(?:\uD83C[\uDDE6\uDDF2\uDDFC])|\uD83C\uDDFC(?:\uD83C[\uDDEB\uDDF8])|\uD83C\uDDFA(?:\uD83C[\uDDE6\uDDEC\uDDF2\uDDF3\uDDF8\uDDFE\uDDFF])|\uD83C\uDDEE(?:\uD83C[\uDDE8-\uDDEA\uDDF1-\uDDF4\uDDF6-\uDDF9])|\uD83C\uDDEF(?:\uD83C[\uDDEA\uDDF2\uDDF4\uDDF5])|(?:\uD83C[\uDFC3\uDFC4\uDFCA]|\uD83D[\uDC6E\uDC71\uDC73\uDC77\uDC81\uDC82\uDC86\uDC87\uDE45-\uDE47\uDE4B\uDE4D\uDE4E\uDEA3\uDEB4-\uDEB6]|\uD83E[\uDD26\uDD37-\uDD39\uDD3D\uDD3E\uDDB8\uDDB9\uDDCD-\uDDCF\uDDD6-\uDDDD])(?:\uD83C[\uDFFB-\uDFFF])|(?:\u26F9|\uD83C[\uDFCB\uDFCC]|\uD83D\uDD75)(?:\uD83C[\uDFFB-\uDFFF])|(?:[\u261D\u270A-\u270D]|\uD83C[\uDF85\uDFC2\uDFC7]|\uD83D[\uDC42\uDC43\uDC46-\uDC50\uDC66\uDC67\uDC6B-\uDC6D\uDC70\uDC72\uDC74-\uDC76\uDC78\uDC7C\uDC83\uDC85\uDCAA\uDD74\uDD7A\uDD90\uDD95\uDD96\uDE4C\uDE4F\uDEC0\uDECC]|\uD83E[\uDD0F\uDD18-\uDD1C\uDD1E\uDD1F\uDD30-\uDD36\uDDB5\uDDB6\uDDBB\uDDD2-\uDDD5])(?:\uD83C[\uDFFB-\uDFFF])|(?:[\u231A\u231B\u23E9-\u23EC\u23F0\u23F3\u25FD\u25FE\u2614\u2615\u2648-\u2653\u267F\u2693\u26A1\u26AA\u26AB\u26BD\u26BE\u26C4\u26C5\u26CE\u26D4\u26EA\u26F2\u26F3\u26F5\u26FA\u26FD\u2705\u270A\u270B\u2728\u274C\u274E\u2753-\u2755\u2757\u2795-\u2797\u27B0\u27BF\u2B1B\u2B1C\u2B50\u2B55]|\uD83C[\uDC04\uDCCF\uDD8E\uDD91-\uDD9A\uDDE6-\uDDFF\uDE01\uDE1A\uDE2F\uDE32-\uDE36\uDE38-\uDE3A\uDE50\uDE51\uDF00-\uDF20\uDF2D-\uDF35\uDF37-\uDF7C\uDF7E-\uDF93\uDFA0-\uDFCA\uDFCF-\uDFD3\uDFE0-\uDFF0\uDFF4\uDFF8-\uDFFF]|\uD83D[\uDC00-\uDC3E\uDC40\uDC42-\uDCFC\uDCFF-\uDD3D\uDD4B-\uDD4E\uDD50-\uDD67\uDD7A\uDD95\uDD96\uDDA4\uDDFB-\uDE4F\uDE80-\uDEC5\uDECC\uDED0-\uDED2\uDED5\uDEEB\uDEEC\uDEF4-\uDEFA\uDFE0-\uDFEB]|\uD83E[\uDD0D-\uDD3A\uDD3C-\uDD45\uDD47-\uDD71\uDD73-\uDD76\uDD7A-\uDDA2\uDDA5-\uDDAA\uDDAE-\uDDCA\uDDCD-\uDDFF\uDE70-\uDE73\uDE78-\uDE7A\uDE80-\uDE82\uDE90-\uDE95])|(?:[#\*0-9\xA9\xAE\u203C\u2049\u2122\u2139\u2194-\u2199\u21A9\u21AA\u231A\u231B\u2328\u23CF\u23E9-\u23F3\u23F8-\u23FA\u24C2\u25AA\u25AB\u25B6\u25C0\u25FB-\u25FE\u2600-\u2604\u260E\u2611\u2614\u2615\u2618\u261D\u2620\u2622\u2623\u2626\u262A\u262E\u262F\u2638-\u263A\u2640\u2642\u2648-\u2653\u265F\u2660\u2663\u2665\u2666\u2668\u267B\u267E\u267F\u2692-\u2697\u2699\u269B\u269C\u26A0\u26A1\u26AA\u26AB\u26B0\u26B1\u26BD\u26BE\u26C4\u26C5\u26C8\u26CE\u26CF\u26D1\u26D3\u26D4\u26E9\u26EA\u26F0-\u26F5\u26F7-\u26FA\u26FD\u2702\u2705\u2708-\u270D\u270F\u2712\u2714\u2716\u271D\u2721\u2728\u2733\u2734\u2744\u2747\u274C\u274E\u2753-\u2755\u2757\u2763\u2764\u2795-\u2797\u27A1\u27B0\u27BF\u2934\u2935\u2B05-\u2B07\u2B1B\u2B1C\u2B50\u2B55\u3030\u303D\u3297\u3299]|\uD83C[\uDC04\uDCCF\uDD70\uDD71\uDD7E\uDD7F\uDD8E\uDD91-\uDD9A\uDDE6-\uDDFF\uDE01\uDE02\uDE1A\uDE2F\uDE32-\uDE3A\uDE50\uDE51\uDF00-\uDF21\uDF24-\uDF93\uDF96\uDF97\uDF99-\uDF9B\uDF9E-\uDFF0\uDFF3-\uDFF5\uDFF7-\uDFFF]|\uD83D[\uDC00-\uDCFD\uDCFF-\uDD3D\uDD49-\uDD4E\uDD50-\uDD67\uDD6F\uDD70\uDD73-\uDD7A\uDD87\uDD8A-\uDD8D\uDD90\uDD95\uDD96\uDDA4\uDDA5\uDDA8\uDDB1\uDDB2\uDDBC\uDDC2-\uDDC4\uDDD1-\uDDD3\uDDDC-\uDDDE\uDDE1\uDDE3\uDDE8\uDDEF\uDDF3\uDDFA-\uDE4F\uDE80-\uDEC5\uDECB-\uDED2\uDED5\uDEE0-\uDEE5\uDEE9\uDEEB\uDEEC\uDEF0\uDEF3-\uDEFA\uDFE0-\uDFEB]|\uD83E[\uDD0D-\uDD3A\uDD3C-\uDD45\uDD47-\uDD71\uDD73-\uDD76\uDD7A-\uDDA2\uDDA5-\uDDAA\uDDAE-\uDDCA\uDDCD-\uDDFF\uDE70-\uDE73\uDE78-\uDE7A\uDE80-\uDE82\uDE90-\uDE95])\uFE0F|(?:[\u261D\u26F9\u270A-\u270D]|\uD83C[\uDF85\uDFC2-\uDFC4\uDFC7\uDFCA-\uDFCC]|\uD83D[\uDC42\uDC43\uDC46-\uDC50\uDC66-\uDC78\uDC7C\uDC81-\uDC83\uDC85-\uDC87\uDC8F\uDC91\uDCAA\uDD74\uDD75\uDD7A\uDD90\uDD95\uDD96\uDE45-\uDE47\uDE4B-\uDE4F\uDEA3\uDEB4-\uDEB6\uDEC0\uDECC]|\uD83E[\uDD0F\uDD18-\uDD1F\uDD26\uDD30-\uDD39\uDD3C-\uDD3E\uDDB5\uDDB6\uDDB8\uDDB9\uDDBB\uDDCD-\uDDCF\uDDD1-\uDDDD])/g;
    };
  }
});

// node_modules/string-width/index.js
var require_string_width = __commonJS({
  "node_modules/string-width/index.js"(exports, module) {
    "use strict";
    var stripAnsi = require_strip_ansi();
    var isFullwidthCodePoint = require_is_fullwidth_code_point();
    var emojiRegex = require_emoji_regex();
    var stringWidth = (string) => {
      if (typeof string !== "string" || string.length === 0) {
        return 0;
      }
      string = stripAnsi(string);
      if (string.length === 0) {
        return 0;
      }
      string = string.replace(emojiRegex(), "  ");
      let width = 0;
      for (let i = 0; i < string.length; i++) {
        const code2 = string.codePointAt(i);
        if (code2 <= 31 || code2 >= 127 && code2 <= 159) {
          continue;
        }
        if (code2 >= 768 && code2 <= 879) {
          continue;
        }
        if (code2 > 65535) {
          i++;
        }
        width += isFullwidthCodePoint(code2) ? 2 : 1;
      }
      return width;
    };
    module.exports = stringWidth;
    module.exports.default = stringWidth;
  }
});

// node_modules/cli-progress/lib/format-value.js
var require_format_value = __commonJS({
  "node_modules/cli-progress/lib/format-value.js"(exports, module) {
    module.exports = function formatValue(v, options, type) {
      if (options.autopadding !== true) {
        return v;
      }
      function autopadding(value, length) {
        return (options.autopaddingChar + value).slice(-length);
      }
      switch (type) {
        case "percentage":
          return autopadding(v, 3);
        default:
          return v;
      }
    };
  }
});

// node_modules/cli-progress/lib/format-bar.js
var require_format_bar = __commonJS({
  "node_modules/cli-progress/lib/format-bar.js"(exports, module) {
    module.exports = function formatBar(progress, options) {
      const completeSize = Math.round(progress * options.barsize);
      const incompleteSize = options.barsize - completeSize;
      return options.barCompleteString.substr(0, completeSize) + options.barGlue + options.barIncompleteString.substr(0, incompleteSize);
    };
  }
});

// node_modules/cli-progress/lib/format-time.js
var require_format_time = __commonJS({
  "node_modules/cli-progress/lib/format-time.js"(exports, module) {
    module.exports = function formatTime(t, options, roundToMultipleOf) {
      function round(input) {
        if (roundToMultipleOf) {
          return roundToMultipleOf * Math.round(input / roundToMultipleOf);
        } else {
          return input;
        }
      }
      function autopadding(v) {
        return (options.autopaddingChar + v).slice(-2);
      }
      if (t > 3600) {
        return autopadding(Math.floor(t / 3600)) + "h" + autopadding(round(t % 3600 / 60)) + "m";
      } else if (t > 60) {
        return autopadding(Math.floor(t / 60)) + "m" + autopadding(round(t % 60)) + "s";
      } else if (t > 10) {
        return autopadding(round(t)) + "s";
      } else {
        return autopadding(t) + "s";
      }
    };
  }
});

// node_modules/cli-progress/lib/formatter.js
var require_formatter = __commonJS({
  "node_modules/cli-progress/lib/formatter.js"(exports, module) {
    var _stringWidth = require_string_width();
    var _defaultFormatValue = require_format_value();
    var _defaultFormatBar = require_format_bar();
    var _defaultFormatTime = require_format_time();
    module.exports = function defaultFormatter(options, params, payload) {
      let s = options.format;
      const formatTime = options.formatTime || _defaultFormatTime;
      const formatValue = options.formatValue || _defaultFormatValue;
      const formatBar = options.formatBar || _defaultFormatBar;
      const percentage = Math.floor(params.progress * 100) + "";
      const stopTime = params.stopTime || Date.now();
      const elapsedTime = Math.round((stopTime - params.startTime) / 1e3);
      const context = Object.assign({}, payload, {
        bar: formatBar(params.progress, options),
        percentage: formatValue(percentage, options, "percentage"),
        total: formatValue(params.total, options, "total"),
        value: formatValue(params.value, options, "value"),
        eta: formatValue(params.eta, options, "eta"),
        eta_formatted: formatTime(params.eta, options, 5),
        duration: formatValue(elapsedTime, options, "duration"),
        duration_formatted: formatTime(elapsedTime, options, 1)
      });
      s = s.replace(/\{(\w+)\}/g, function(match, key) {
        if (typeof context[key] !== "undefined") {
          return context[key];
        }
        return match;
      });
      const fullMargin = Math.max(0, params.maxWidth - _stringWidth(s) - 2);
      const halfMargin = Math.floor(fullMargin / 2);
      switch (options.align) {
        // fill start-of-line with whitespaces
        case "right":
          s = fullMargin > 0 ? " ".repeat(fullMargin) + s : s;
          break;
        // distribute whitespaces to left+right
        case "center":
          s = halfMargin > 0 ? " ".repeat(halfMargin) + s : s;
          break;
        // default: left align, no additional whitespaces
        case "left":
        default:
          break;
      }
      return s;
    };
  }
});

// node_modules/cli-progress/lib/options.js
var require_options = __commonJS({
  "node_modules/cli-progress/lib/options.js"(exports, module) {
    function mergeOption(v, defaultValue) {
      if (typeof v === "undefined" || v === null) {
        return defaultValue;
      } else {
        return v;
      }
    }
    module.exports = {
      // set global options
      parse: function parse5(rawOptions, preset) {
        const options = {};
        const opt = Object.assign({}, preset, rawOptions);
        options.throttleTime = 1e3 / mergeOption(opt.fps, 10);
        options.stream = mergeOption(opt.stream, process.stderr);
        options.terminal = mergeOption(opt.terminal, null);
        options.clearOnComplete = mergeOption(opt.clearOnComplete, false);
        options.stopOnComplete = mergeOption(opt.stopOnComplete, false);
        options.barsize = mergeOption(opt.barsize, 40);
        options.align = mergeOption(opt.align, "left");
        options.hideCursor = mergeOption(opt.hideCursor, false);
        options.linewrap = mergeOption(opt.linewrap, false);
        options.barGlue = mergeOption(opt.barGlue, "");
        options.barCompleteChar = mergeOption(opt.barCompleteChar, "=");
        options.barIncompleteChar = mergeOption(opt.barIncompleteChar, "-");
        options.format = mergeOption(opt.format, "progress [{bar}] {percentage}% | ETA: {eta}s | {value}/{total}");
        options.formatTime = mergeOption(opt.formatTime, null);
        options.formatValue = mergeOption(opt.formatValue, null);
        options.formatBar = mergeOption(opt.formatBar, null);
        options.etaBufferLength = mergeOption(opt.etaBuffer, 10);
        options.etaAsynchronousUpdate = mergeOption(opt.etaAsynchronousUpdate, false);
        options.progressCalculationRelative = mergeOption(opt.progressCalculationRelative, false);
        options.synchronousUpdate = mergeOption(opt.synchronousUpdate, true);
        options.noTTYOutput = mergeOption(opt.noTTYOutput, false);
        options.notTTYSchedule = mergeOption(opt.notTTYSchedule, 2e3);
        options.emptyOnZero = mergeOption(opt.emptyOnZero, false);
        options.forceRedraw = mergeOption(opt.forceRedraw, false);
        options.autopadding = mergeOption(opt.autopadding, false);
        options.gracefulExit = mergeOption(opt.gracefulExit, false);
        return options;
      },
      // derived options: instance specific, has to be created for every bar element
      assignDerivedOptions: function assignDerivedOptions(options) {
        options.barCompleteString = options.barCompleteChar.repeat(options.barsize + 1);
        options.barIncompleteString = options.barIncompleteChar.repeat(options.barsize + 1);
        options.autopaddingChar = options.autopadding ? mergeOption(options.autopaddingChar, "   ") : "";
        return options;
      }
    };
  }
});

// node_modules/cli-progress/lib/generic-bar.js
var require_generic_bar = __commonJS({
  "node_modules/cli-progress/lib/generic-bar.js"(exports, module) {
    var _ETA = require_eta();
    var _Terminal = require_terminal();
    var _formatter = require_formatter();
    var _options = require_options();
    var _EventEmitter = __require("events");
    module.exports = class GenericBar extends _EventEmitter {
      constructor(options) {
        super();
        this.options = _options.assignDerivedOptions(options);
        this.terminal = this.options.terminal ? this.options.terminal : new _Terminal(this.options.stream);
        this.value = 0;
        this.startValue = 0;
        this.total = 100;
        this.lastDrawnString = null;
        this.startTime = null;
        this.stopTime = null;
        this.lastRedraw = Date.now();
        this.eta = new _ETA(this.options.etaBufferLength, 0, 0);
        this.payload = {};
        this.isActive = false;
        this.formatter = typeof this.options.format === "function" ? this.options.format : _formatter;
      }
      // internal render function
      render(forceRendering = false) {
        const params = {
          progress: this.getProgress(),
          eta: this.eta.getTime(),
          startTime: this.startTime,
          stopTime: this.stopTime,
          total: this.total,
          value: this.value,
          maxWidth: this.terminal.getWidth()
        };
        if (this.options.etaAsynchronousUpdate) {
          this.updateETA();
        }
        const s = this.formatter(this.options, params, this.payload);
        const forceRedraw = forceRendering || this.options.forceRedraw || this.options.noTTYOutput && !this.terminal.isTTY();
        if (forceRedraw || this.lastDrawnString != s) {
          this.emit("redraw-pre");
          this.terminal.cursorTo(0, null);
          this.terminal.write(s);
          this.terminal.clearRight();
          this.lastDrawnString = s;
          this.lastRedraw = Date.now();
          this.emit("redraw-post");
        }
      }
      // start the progress bar
      start(total, startValue, payload) {
        this.value = startValue || 0;
        this.total = typeof total !== "undefined" && total >= 0 ? total : 100;
        this.startValue = startValue || 0;
        this.payload = payload || {};
        this.startTime = Date.now();
        this.stopTime = null;
        this.lastDrawnString = "";
        this.eta = new _ETA(this.options.etaBufferLength, this.startTime, this.value);
        this.isActive = true;
        this.emit("start", total, startValue);
      }
      // stop the bar
      stop() {
        this.isActive = false;
        this.stopTime = Date.now();
        this.emit("stop", this.total, this.value);
      }
      // update the bar value
      // update(value, payload)
      // update(payload)
      update(arg0, arg1 = {}) {
        if (typeof arg0 === "number") {
          this.value = arg0;
          this.eta.update(Date.now(), arg0, this.total);
        }
        const payloadData = (typeof arg0 === "object" ? arg0 : arg1) || {};
        this.emit("update", this.total, this.value);
        for (const key in payloadData) {
          this.payload[key] = payloadData[key];
        }
        if (this.value >= this.getTotal() && this.options.stopOnComplete) {
          this.stop();
        }
      }
      // calculate the actual progress value
      getProgress() {
        let progress = this.value / this.total;
        if (this.options.progressCalculationRelative) {
          progress = (this.value - this.startValue) / (this.total - this.startValue);
        }
        if (isNaN(progress)) {
          progress = this.options && this.options.emptyOnZero ? 0 : 1;
        }
        progress = Math.min(Math.max(progress, 0), 1);
        return progress;
      }
      // update the bar value
      // increment(delta, payload)
      // increment(payload)
      increment(arg0 = 1, arg1 = {}) {
        if (typeof arg0 === "object") {
          this.update(this.value + 1, arg0);
        } else {
          this.update(this.value + arg0, arg1);
        }
      }
      // get the total (limit) value
      getTotal() {
        return this.total;
      }
      // set the total (limit) value
      setTotal(total) {
        if (typeof total !== "undefined" && total >= 0) {
          this.total = total;
        }
      }
      // force eta calculation update (long running processes)
      updateETA() {
        this.eta.update(Date.now(), this.value, this.total);
      }
    };
  }
});

// node_modules/cli-progress/lib/single-bar.js
var require_single_bar = __commonJS({
  "node_modules/cli-progress/lib/single-bar.js"(exports, module) {
    var _GenericBar = require_generic_bar();
    var _options = require_options();
    module.exports = class SingleBar extends _GenericBar {
      constructor(options, preset) {
        super(_options.parse(options, preset));
        this.timer = null;
        if (this.options.noTTYOutput && this.terminal.isTTY() === false) {
          this.options.synchronousUpdate = false;
        }
        this.schedulingRate = this.terminal.isTTY() ? this.options.throttleTime : this.options.notTTYSchedule;
        this.sigintCallback = null;
      }
      // internal render function
      render() {
        if (this.timer) {
          clearTimeout(this.timer);
          this.timer = null;
        }
        super.render();
        if (this.options.noTTYOutput && this.terminal.isTTY() === false) {
          this.terminal.newline();
        }
        this.timer = setTimeout(this.render.bind(this), this.schedulingRate);
      }
      update(current, payload) {
        if (!this.timer) {
          return;
        }
        super.update(current, payload);
        if (this.options.synchronousUpdate && this.lastRedraw + this.options.throttleTime * 2 < Date.now()) {
          this.render();
        }
      }
      // start the progress bar
      start(total, startValue, payload) {
        if (this.options.noTTYOutput === false && this.terminal.isTTY() === false) {
          return;
        }
        if (this.sigintCallback === null && this.options.gracefulExit) {
          this.sigintCallback = this.stop.bind(this);
          process.once("SIGINT", this.sigintCallback);
          process.once("SIGTERM", this.sigintCallback);
        }
        this.terminal.cursorSave();
        if (this.options.hideCursor === true) {
          this.terminal.cursor(false);
        }
        if (this.options.linewrap === false) {
          this.terminal.lineWrapping(false);
        }
        super.start(total, startValue, payload);
        this.render();
      }
      // stop the bar
      stop() {
        if (!this.timer) {
          return;
        }
        if (this.sigintCallback) {
          process.removeListener("SIGINT", this.sigintCallback);
          process.removeListener("SIGTERM", this.sigintCallback);
          this.sigintCallback = null;
        }
        this.render();
        super.stop();
        clearTimeout(this.timer);
        this.timer = null;
        if (this.options.hideCursor === true) {
          this.terminal.cursor(true);
        }
        if (this.options.linewrap === false) {
          this.terminal.lineWrapping(true);
        }
        this.terminal.cursorRestore();
        if (this.options.clearOnComplete) {
          this.terminal.cursorTo(0, null);
          this.terminal.clearLine();
        } else {
          this.terminal.newline();
        }
      }
    };
  }
});

// node_modules/cli-progress/lib/multi-bar.js
var require_multi_bar = __commonJS({
  "node_modules/cli-progress/lib/multi-bar.js"(exports, module) {
    var _Terminal = require_terminal();
    var _BarElement = require_generic_bar();
    var _options = require_options();
    var _EventEmitter = __require("events");
    module.exports = class MultiBar extends _EventEmitter {
      constructor(options, preset) {
        super();
        this.bars = [];
        this.options = _options.parse(options, preset);
        this.options.synchronousUpdate = false;
        this.terminal = this.options.terminal ? this.options.terminal : new _Terminal(this.options.stream);
        this.timer = null;
        this.isActive = false;
        this.schedulingRate = this.terminal.isTTY() ? this.options.throttleTime : this.options.notTTYSchedule;
        this.loggingBuffer = [];
        this.sigintCallback = null;
      }
      // add a new bar to the stack
      create(total, startValue, payload, barOptions = {}) {
        const bar = new _BarElement(Object.assign(
          {},
          // global options
          this.options,
          // terminal instance
          {
            terminal: this.terminal
          },
          // overrides
          barOptions
        ));
        this.bars.push(bar);
        if (this.options.noTTYOutput === false && this.terminal.isTTY() === false) {
          return bar;
        }
        if (this.sigintCallback === null && this.options.gracefulExit) {
          this.sigintCallback = this.stop.bind(this);
          process.once("SIGINT", this.sigintCallback);
          process.once("SIGTERM", this.sigintCallback);
        }
        if (!this.isActive) {
          if (this.options.hideCursor === true) {
            this.terminal.cursor(false);
          }
          if (this.options.linewrap === false) {
            this.terminal.lineWrapping(false);
          }
          this.timer = setTimeout(this.update.bind(this), this.schedulingRate);
        }
        this.isActive = true;
        bar.start(total, startValue, payload);
        this.emit("start");
        return bar;
      }
      // remove a bar from the stack
      remove(bar) {
        const index = this.bars.indexOf(bar);
        if (index < 0) {
          return false;
        }
        this.bars.splice(index, 1);
        this.update();
        this.terminal.newline();
        this.terminal.clearBottom();
        return true;
      }
      // internal update routine
      update() {
        if (this.timer) {
          clearTimeout(this.timer);
          this.timer = null;
        }
        this.emit("update-pre");
        this.terminal.cursorRelativeReset();
        this.emit("redraw-pre");
        if (this.loggingBuffer.length > 0) {
          this.terminal.clearLine();
          while (this.loggingBuffer.length > 0) {
            this.terminal.write(this.loggingBuffer.shift(), true);
          }
        }
        for (let i = 0; i < this.bars.length; i++) {
          if (i > 0) {
            this.terminal.newline();
          }
          this.bars[i].render();
        }
        this.emit("redraw-post");
        if (this.options.noTTYOutput && this.terminal.isTTY() === false) {
          this.terminal.newline();
          this.terminal.newline();
        }
        this.timer = setTimeout(this.update.bind(this), this.schedulingRate);
        this.emit("update-post");
        if (this.options.stopOnComplete && !this.bars.find((bar) => bar.isActive)) {
          this.stop();
        }
      }
      stop() {
        clearTimeout(this.timer);
        this.timer = null;
        if (this.sigintCallback) {
          process.removeListener("SIGINT", this.sigintCallback);
          process.removeListener("SIGTERM", this.sigintCallback);
          this.sigintCallback = null;
        }
        this.isActive = false;
        if (this.options.hideCursor === true) {
          this.terminal.cursor(true);
        }
        if (this.options.linewrap === false) {
          this.terminal.lineWrapping(true);
        }
        this.terminal.cursorRelativeReset();
        this.emit("stop-pre-clear");
        if (this.options.clearOnComplete) {
          this.terminal.clearBottom();
        } else {
          for (let i = 0; i < this.bars.length; i++) {
            if (i > 0) {
              this.terminal.newline();
            }
            this.bars[i].render();
            this.bars[i].stop();
          }
          this.terminal.newline();
        }
        this.emit("stop");
      }
      log(s) {
        this.loggingBuffer.push(s);
      }
    };
  }
});

// node_modules/cli-progress/presets/legacy.js
var require_legacy = __commonJS({
  "node_modules/cli-progress/presets/legacy.js"(exports, module) {
    module.exports = {
      format: "progress [{bar}] {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "=",
      barIncompleteChar: "-"
    };
  }
});

// node_modules/cli-progress/presets/shades-classic.js
var require_shades_classic = __commonJS({
  "node_modules/cli-progress/presets/shades-classic.js"(exports, module) {
    module.exports = {
      format: " {bar} {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "█",
      barIncompleteChar: "░"
    };
  }
});

// node_modules/cli-progress/presets/shades-grey.js
var require_shades_grey = __commonJS({
  "node_modules/cli-progress/presets/shades-grey.js"(exports, module) {
    module.exports = {
      format: " \x1B[90m{bar}\x1B[0m {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "█",
      barIncompleteChar: "░"
    };
  }
});

// node_modules/cli-progress/presets/rect.js
var require_rect = __commonJS({
  "node_modules/cli-progress/presets/rect.js"(exports, module) {
    module.exports = {
      format: " {bar}■ {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "■",
      barIncompleteChar: " "
    };
  }
});

// node_modules/cli-progress/presets/index.js
var require_presets = __commonJS({
  "node_modules/cli-progress/presets/index.js"(exports, module) {
    var _legacy = require_legacy();
    var _shades_classic = require_shades_classic();
    var _shades_grey = require_shades_grey();
    var _rect = require_rect();
    module.exports = {
      legacy: _legacy,
      shades_classic: _shades_classic,
      shades_grey: _shades_grey,
      rect: _rect
    };
  }
});

// node_modules/cli-progress/cli-progress.js
var require_cli_progress = __commonJS({
  "node_modules/cli-progress/cli-progress.js"(exports, module) {
    var _SingleBar = require_single_bar();
    var _MultiBar = require_multi_bar();
    var _Presets = require_presets();
    var _Formatter = require_formatter();
    var _defaultFormatValue = require_format_value();
    var _defaultFormatBar = require_format_bar();
    var _defaultFormatTime = require_format_time();
    module.exports = {
      Bar: _SingleBar,
      SingleBar: _SingleBar,
      MultiBar: _MultiBar,
      Presets: _Presets,
      Format: {
        Formatter: _Formatter,
        BarFormat: _defaultFormatBar,
        ValueFormat: _defaultFormatValue,
        TimeFormat: _defaultFormatTime
      }
    };
  }
});

// src/cli/io.ts
import { rename, stat as stat2, writeFile, unlink } from "node:fs/promises";
import { dirname as dirname2, basename, join as join2 } from "node:path";
async function writeFileAtomic(path, text) {
  const existing = await stat2(path).catch(() => void 0);
  if (existing && !existing.isFile()) {
    await writeFile(path, text);
    return;
  }
  const tmp = join2(dirname2(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err2) {
    await unlink(tmp).catch(() => {
    });
    throw err2;
  }
}
function human(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}
function progressReporter(label, opts = {}) {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update: (_) => {
  }, stop: () => {
  } };
  if (stream.isTTY) {
    const bar = new import_cli_progress.default.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {done}/{total} | {rate}/s | ETA {eta_formatted}`,
        stream,
        hideCursor: true,
        clearOnComplete: true
      },
      import_cli_progress.default.Presets.shades_classic
    );
    let started = false;
    const t02 = Date.now();
    return {
      update(p2) {
        if (!started) {
          bar.start(p2.bytesTotal || 1, 0, { done: "0 B", total: human(p2.bytesTotal), rate: "0 B" });
          started = true;
        }
        const rate = p2.bytesDone / Math.max(1e-3, (Date.now() - t02) / 1e3);
        bar.update(p2.bytesDone, { done: human(p2.bytesDone), total: human(p2.bytesTotal), rate: human(rate) });
      },
      stop() {
        if (started) bar.stop();
      }
    };
  }
  let lastTime = Date.now();
  let lastShare = 0;
  const t0 = Date.now();
  return {
    update(p2) {
      const share = p2.bytesTotal ? p2.bytesDone / p2.bytesTotal : 1;
      const now = Date.now();
      if (now - lastTime >= 1e4 || share - lastShare >= 0.1) {
        const rate = p2.bytesDone / Math.max(1e-3, (now - t0) / 1e3);
        stream.write(`${label}: ${(100 * share).toFixed(0)}% (${human(p2.bytesDone)} of ${human(p2.bytesTotal)}, ${human(rate)}/s)
`);
        lastTime = now;
        lastShare = share;
      }
    },
    stop() {
    }
  };
}
var import_cli_progress;
var init_io = __esm({
  "src/cli/io.ts"() {
    "use strict";
    import_cli_progress = __toESM(require_cli_progress(), 1);
  }
});

// src/fingerprint/parallel.ts
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker as Worker2 } from "node:worker_threads";
function workerScript() {
  try {
    const path = fileURLToPath(new URL("./worker.js", import.meta.url));
    return existsSync(path) && !path.includes("/src/") ? path : void 0;
  } catch {
    return void 0;
  }
}
function parallelFullFingerprint(threads = Math.min(4, availableParallelism())) {
  const script = workerScript();
  if (!script || threads < 2) return void 0;
  return async (tensors, { k, seed }, onBytes) => {
    if (tensors.some((t) => !t.file.localPath)) {
      const { fingerprintTensorFull: fingerprintTensorFull2 } = await Promise.resolve().then(() => (init_model2(), model_exports));
      const fingerprints2 = [];
      for (const t of tensors) fingerprints2.push(await fingerprintTensorFull2(t, k, seed, CHUNK, onBytes));
      return { fingerprints: fingerprints2, bytesReadElsewhere: 0 };
    }
    if (tensors.length === 0) return { fingerprints: [], bytesReadElsewhere: 0 };
    let read = 0;
    const fingerprints = await runOnWorkers(script, tensors, k, seed, Math.min(threads, Math.max(1, tensors.length)), (n) => {
      read += n;
      onBytes(n);
    });
    return { fingerprints, bytesReadElsewhere: read };
  };
}
function runOnWorkers(script, tensors, k, seed, threads, onBytes) {
  const order = tensors.map((_, i) => i).sort((a, b) => tensors[b].byteLength - tensors[a].byteLength);
  const results = new Array(tensors.length);
  let next = 0;
  let finished = 0;
  const workers = [];
  return new Promise((resolve4, reject) => {
    let failed = false;
    const stopAll = () => workers.forEach((w) => void w.terminate());
    const feed = (w) => {
      if (next >= order.length) return;
      const i = order[next++];
      const t = tensors[i];
      const task = {
        id: i,
        path: t.file.localPath,
        offset: t.offset,
        byteLength: t.byteLength,
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        k,
        seed,
        chunkSize: CHUNK
      };
      w.postMessage(task);
    };
    for (let n = 0; n < threads; n++) {
      const w = new Worker2(script);
      workers.push(w);
      w.on("message", (msg) => {
        if (failed) return;
        if (msg.type === "bytes") onBytes(msg.n);
        else if (msg.type === "done") {
          results[msg.id] = msg.fp;
          if (++finished === tensors.length) {
            workers.forEach((x) => x.postMessage({ type: "close" }));
            resolve4(results);
          } else feed(w);
        } else if (msg.type === "error") {
          failed = true;
          stopAll();
          reject(new InputError(tensors[msg.id].file.id, msg.message ?? "worker failed"));
        }
      });
      w.on("error", (err2) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(err2);
      });
      feed(w);
    }
    if (tensors.length === 0) resolve4(results);
  });
}
var CHUNK;
var init_parallel = __esm({
  "src/fingerprint/parallel.ts"() {
    "use strict";
    init_errors();
    CHUNK = 8 * 1024 * 1024;
  }
});

// src/fingerprint/shards.ts
function parseShardSpec(text, where = "--shards") {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count2 = m ? Number(m[2]) : NaN;
  if (!m || count2 < 1 || index < 1 || index > count2 || count2 > 1e5) {
    throw new InputError(where, `expected i/n with 1 ≤ i ≤ n (e.g. 2/8), got ${JSON.stringify(text)}`);
  }
  return { index, count: count2 };
}
function planShards(sizes, count2) {
  if (count2 > sizes.length) throw new InputError("--shards", `the model has ${sizes.length} shard file(s): it cannot be split into ${count2} parts`);
  const parts = [];
  let next = 0;
  let remaining = sizes.reduce((a, b) => a + b, 0);
  for (let p2 = 0; p2 < count2; p2++) {
    const partsLeft = count2 - p2;
    const target = remaining / partsLeft;
    const part = [];
    let bytes = 0;
    while (next < sizes.length) {
      const mustLeave = sizes.length - next - 1 < partsLeft - 1;
      if (part.length > 0 && mustLeave) break;
      if (part.length > 0 && p2 < count2 - 1) {
        const s = sizes[next];
        if (Math.abs(bytes + s - target) > Math.abs(bytes - target)) break;
      }
      bytes += sizes[next];
      part.push(next++);
    }
    remaining -= bytes;
    parts.push(part);
  }
  return parts;
}
function shardFiles(source) {
  const seen = /* @__PURE__ */ new Set();
  for (const t of source.tensors) seen.add(t.file);
  return [...seen].map((file) => {
    const name = source.files.find((f) => f === file.id || file.id.endsWith(`/${f}`)) ?? file.id;
    return { file, name };
  });
}
function selectShards(source, spec) {
  const files = shardFiles(source);
  const plan = planShards(files.map((f) => f.file.size), spec.count);
  const mine = plan[spec.index - 1].map((i) => files[i]);
  const keep = new Set(mine.map((f) => f.file));
  return {
    view: { ...source, tensors: source.tensors.filter((t) => keep.has(t.file)) },
    files: mine.map((f) => f.name)
  };
}
async function fingerprintShards(source, spec, options = {}) {
  const { view, files } = selectShards(source, spec);
  const doc = await fingerprintModel(view, options);
  doc.shards = { index: spec.index, count: spec.count, files };
  return doc;
}
async function loadShardFingerprint(modelSpec, spec, options = {}) {
  const model = await openModel(modelSpec);
  try {
    const mode = options.mode ?? (model.kind === "hub" ? "sample" : "full");
    return await fingerprintShards(model, spec, { ...options, mode });
  } finally {
    await model.close();
  }
}
function mergeFingerprints(parts, names = parts.map((_, i) => `part ${i + 1}`)) {
  if (parts.length === 0) throw new InputError("merge", "no parts given");
  const fail = (i, problem) => new InputError(names[i] ?? `part ${i + 1}`, problem);
  parts.forEach((p2, i) => {
    if (!p2.shards) throw fail(i, "not a partial fingerprint (made without --shards)");
  });
  const first = parts[0];
  const count2 = first.shards.count;
  const same = (i, what, a, b) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw fail(i, `${what} differs from ${names[0] ?? "part 1"}: parts of different models or runs cannot be merged`);
  };
  parts.forEach((p2, i) => {
    same(i, "shard count", p2.shards.count, count2);
    same(i, "model id", p2.source.id, first.source.id);
    same(i, "file list", p2.source.files, first.source.files);
    same(i, "model size", p2.source.totalBytes, first.source.totalBytes);
    same(i, "metadata", p2.source.metadata, first.source.metadata);
    same(i, "schema", p2.schema, first.schema);
    same(i, "tool version", p2.tool, first.tool);
    same(i, "mode", p2.mode, first.mode);
    same(i, "sampling", p2.sampling, first.sampling);
    same(i, "config signature", p2.config, first.config);
    same(i, "tokenizer signature", p2.tokenizer, first.tokenizer);
    same(i, "model card", p2.card, first.card);
  });
  const byIndex = /* @__PURE__ */ new Map();
  parts.forEach((p2, i) => {
    const prev = byIndex.get(p2.shards.index);
    if (prev !== void 0) throw fail(i, `part ${p2.shards.index}/${count2} is given twice (also ${names[prev] ?? `part ${prev + 1}`})`);
    byIndex.set(p2.shards.index, i);
  });
  const missing = Array.from({ length: count2 }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length) throw new InputError("merge", `missing part(s) ${missing.map((k) => `${k}/${count2}`).join(", ")} of ${first.source.id}`);
  const ordered = Array.from({ length: count2 }, (_, k) => parts[byIndex.get(k + 1)]);
  const covered = ordered.flatMap((p2) => p2.shards.files);
  const expected = first.source.files.filter((f) => covered.includes(f));
  if (new Set(covered).size !== covered.length || JSON.stringify(covered) !== JSON.stringify(expected)) {
    throw new InputError("merge", `the parts' files do not split ${first.source.id} into contiguous runs (${covered.join(", ")})`);
  }
  const tensors = ordered.flatMap((p2) => p2.tensors);
  const seen = /* @__PURE__ */ new Set();
  for (const t of tensors) {
    if (seen.has(t.name)) throw new InputError("merge", `tensor ${JSON.stringify(t.name)} appears in two parts`);
    seen.add(t.name);
  }
  const { metadata } = first.source;
  const doc = {
    schema: first.schema,
    tool: first.tool,
    source: {
      id: first.source.id,
      kind: first.source.kind,
      files: first.source.files,
      totalBytes: first.source.totalBytes,
      bytesRead: parts.reduce((n, p2) => n + p2.source.bytesRead, 0),
      ...metadata ? { metadata } : {}
    },
    mode: first.mode,
    sampling: first.sampling,
    summary: summarise(tensors),
    tensors,
    components: groupComponents(tensors)
  };
  if (first.config) doc.config = first.config;
  if (first.tokenizer) doc.tokenizer = first.tokenizer;
  if (first.card) doc.card = first.card;
  return doc;
}
var init_shards = __esm({
  "src/fingerprint/shards.ts"() {
    "use strict";
    init_errors();
    init_model();
    init_components();
    init_model2();
  }
});

// src/cli/commands/fingerprint.ts
var fingerprint_exports = {};
__export(fingerprint_exports, {
  fingerprintCommand: () => fingerprintCommand
});
import { parseArgs } from "node:util";
async function fingerprintCommand(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: "string", short: "o" },
      json: { type: "boolean" },
      sample: { type: "string" },
      sketch: { type: "boolean" },
      full: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      shards: { type: "string" }
    }
  });
  if (positionals.length !== 1) throw usageError("fingerprint takes exactly one model (file, index, directory or hf:org/name)");
  const k = values.sample !== void 0 ? Number(values.sample) : void 0;
  if (k !== void 0 && (!Number.isInteger(k) || k < 16 || k > 1e6)) throw usageError("--sample takes a whole number from 16 to 1000000");
  const progress = progressReporter("fingerprint", { quiet: values.quiet });
  const mode = values.sketch ? "sample" : values.full ? "full" : void 0;
  const options = { k, mode, onProgress: progress.update, runFull: parallelFullFingerprint() };
  const doc = values.shards !== void 0 ? await loadShardFingerprint(positionals[0], parseShardSpec(values.shards), options) : await loadFingerprint(positionals[0], options);
  progress.stop();
  const json = JSON.stringify(doc);
  if (values.output) await writeFileAtomic(values.output, json + "\n");
  if (values.json) process.stdout.write(json + "\n");
  else process.stdout.write(fingerprintSummary(doc) + (values.output ? `
  written to ${values.output}` : "") + "\n");
  return 0;
}
var init_fingerprint = __esm({
  "src/cli/commands/fingerprint.ts"() {
    "use strict";
    init_sources();
    init_text();
    init_io();
    init_usage();
    init_parallel();
    init_shards();
  }
});

// src/fingerprint/names.ts
function parseTensorName(name) {
  const param = /(?:^|[._/])(?:bias|beta|b)$/i.test(name) ? "bias" : /(?:^|[._/])(?:weight|kernel|filters?|gamma|w|scale)$/i.test(name) ? "weight" : "other";
  let layer;
  const m = LAYER_RE.exec(name);
  if (m) layer = Number(m[1]);
  else {
    let last;
    for (const hit of name.matchAll(ANY_INDEX_RE)) last = hit[1];
    if (last === void 0) {
      const suffix = /_(\d+)(?=[/.]|$)/.exec(name) ?? /[a-z](\d+)(?=[/.]|$)/i.exec(name);
      last = suffix?.[1];
    }
    if (last !== void 0) layer = Number(last);
  }
  for (const [re, role] of ROLE_ALIASES) {
    if (re.test(name)) return { layer, role: withParam(role, param), param };
  }
  return { layer, role: name.replace(/\d+/g, "#"), param };
}
function withParam(role, param) {
  return param === "bias" ? `${role}.bias` : role;
}
var LAYER_RE, ANY_INDEX_RE, ROLE_ALIASES;
var init_names = __esm({
  "src/fingerprint/names.ts"() {
    "use strict";
    LAYER_RE = /(?:^|[./])(?:layers?|h|blocks?|resblocks|encoder\.layer|decoder\.layers?)[./_](\d+)(?=[./_]|$)/;
    ANY_INDEX_RE = /(?:^|[./_])(\d+)(?=[./]|$)/g;
    ROLE_ALIASES = [
      [/(?:^|[._/])(?:q_proj|query|wq|q_lin|to_q)(?:[._/]|$)/, "attn.q"],
      [/(?:^|[._/])(?:k_proj|key|wk|k_lin|to_k)(?:[._/]|$)/, "attn.k"],
      [/(?:^|[._/])(?:v_proj|value|wv|v_lin|to_v)(?:[._/]|$)/, "attn.v"],
      [/(?:^|[._/])(?:qkv|c_attn|query_key_value|wqkv|in_proj)(?:[._/]|$)/i, "attn.qkv"],
      [/(?:^|[._/])(?:o_proj|out_proj|wo|attention\.dense|attn\.c_proj|attn\.proj|self_attention\.dense|to_out)(?:[._/]|$)/, "attn.o"],
      [/(?:^|[._/])(?:gate_proj|w1|gate)(?:[._/]|$)/, "mlp.gate"],
      [/(?:^|[._/])(?:up_proj|w3|c_fc|fc1|dense_h_to_4h|lin1)(?:[._/]|$)/, "mlp.up"],
      [/(?:^|[._/])(?:down_proj|w2|mlp\.c_proj|fc2|dense_4h_to_h|lin2)(?:[._/]|$)/, "mlp.down"],
      [/(?:^|[._/])(?:input_layernorm|ln_1|norm1|attention_norm|ln_attn|input_layer_norm)(?:[._/]|$)/, "norm.attn"],
      [/(?:^|[._/])(?:post_attention_layernorm|ln_2|norm2|ffn_norm|ln_mlp|post_attention_layer_norm)(?:[._/]|$)/, "norm.mlp"],
      [/(?:^|[._/])(?:embed_tokens|wte|word_embeddings|tok_embeddings|embed_in|token_embedding)(?:[._/]|$)/, "embed"],
      [/(?:^|[._/])(?:wpe|position_embeddings|embed_positions|pos_embed)(?:[._/]|$)/, "embed.pos"],
      [/(?:^|[._/])(?:lm_head|embed_out)(?:[._/]|$)|^output\.weight$/, "head"],
      [/(?:^|[._/])(?:norm|ln_f|final_layernorm|final_layer_norm)\.(?:weight|bias)$/, "norm.final"]
    ];
  }
});

// src/compare/classify.ts
function classifyTensor2(t) {
  if (t.bytesOnly || !t.sample) return { cls: "bytes", why: `${t.dtype} is fingerprinted by its bytes only` };
  if (t.traits?.distinct !== void 0 && t.traits.distinct <= 2 || t.sample.scale === 0 || t.moments?.std === 0) {
    return { cls: "constant", why: "constant (or two-valued) tensor: identical in unrelated models by construction" };
  }
  if (FIXED_NAME.test(t.name)) return { cls: "fixed", why: "a fixed buffer by its name (basis, rotary table, mask, position ids)" };
  if ((t.traits?.structured ?? 0) >= STRUCTURED_THRESHOLD) {
    return { cls: "fixed", why: `a computed table (rows follow a sinusoid/ramp recurrence, R² ${t.traits.structured.toFixed(3)})` };
  }
  const n = numel(t.shape);
  if (n < MIN_EVIDENCE_NUMEL) return { cls: "tiny", why: `${n} values: too few to be evidence` };
  if (t.shape.filter((d) => d > 1).length <= 1) {
    return { cls: "vector", why: "1-D (norm gains, biases): correlates between unrelated models, context only" };
  }
  return { cls: "learned" };
}
var FIXED_NAME, STRUCTURED_THRESHOLD, MIN_EVIDENCE_NUMEL;
var init_classify = __esm({
  "src/compare/classify.ts"() {
    "use strict";
    init_shape();
    init_shape();
    FIXED_NAME = /(?:stft|fft|dft|basis|inv_freq|rotary|freqs?_cis|cos_cached|sin_cached|position_ids|pos_ids|attn_mask|causal_mask|(?:^|[._/])mask(?:[._/]|$)|_buffer(?:$|[._/])|(?:^|[._/])window(?:$|[._/])|mel_filters|relative_position_index|num_batches_tracked)/i;
    STRUCTURED_THRESHOLD = 0.95;
    MIN_EVIDENCE_NUMEL = 64;
  }
});

// src/compare/collections.ts
function push(map, key, value) {
  const list2 = map.get(key);
  if (list2) list2.push(value);
  else map.set(key, [value]);
}
var init_collections = __esm({
  "src/compare/collections.ts"() {
    "use strict";
  }
});

// src/compare/vectors.ts
function sampleVector(t, k, seed) {
  if (!t.sample) return void 0;
  const plan = planSample(t.shape, k, seed);
  const q3 = decodeQ(t.sample.q);
  if (q3.length !== plan.rows.length * plan.cols.length) return void 0;
  const values = new Float32Array(q3.length);
  let mean2 = 0;
  for (let i = 0; i < q3.length; i++) {
    values[i] = q3[i] * t.sample.scale;
    mean2 += values[i];
  }
  mean2 /= Math.max(1, q3.length);
  let ss = 0;
  for (let i = 0; i < q3.length; i++) ss += (values[i] - mean2) ** 2;
  const norm = Math.sqrt(ss);
  const unit = new Float32Array(q3.length);
  if (norm > 0) for (let i = 0; i < q3.length; i++) unit[i] = (values[i] - mean2) / norm;
  return { plan, values, center: t.sample.center, unit, varies: norm > 0 };
}
function compatibleShapes(a, b) {
  if (a.length !== b.length || a.length === 0) return false;
  if (a.every((d, i) => d === b[i])) return true;
  const restEqual = a.slice(1).every((d, i) => d === b[i + 1]);
  if (restEqual) return true;
  return a.length === 2 && a[0] === b[0];
}
function sameShape(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
function positions(axis, limit) {
  const m = /* @__PURE__ */ new Map();
  axis.forEach((v, i) => {
    if (v < limit) m.set(v, i);
  });
  return m;
}
function correlate(a, b, equalShape) {
  if (!a.varies || !b.varies) return { r: 0, n: 0 };
  if (equalShape) {
    let dot = 0;
    const ua = a.unit;
    const ub = b.unit;
    for (let i = 0; i < ua.length; i++) dot += ua[i] * ub[i];
    return { r: dot, n: ua.length };
  }
  const [ia, ib] = commonIndices(a.plan, b.plan);
  return pearsonAt(a.values, b.values, ia, ib);
}
function commonIndices(pa, pb) {
  const rowsB = positions(pb.rows, Math.min(pa.R, pb.R));
  const colsB = positions(pb.cols, Math.min(pa.C, pb.C));
  const ia = [];
  const ib = [];
  pa.rows.forEach((r, i) => {
    const j = rowsB.get(r);
    if (j === void 0) return;
    pa.cols.forEach((c, ci) => {
      const cj = colsB.get(c);
      if (cj === void 0) return;
      ia.push(i * pa.cols.length + ci);
      ib.push(j * pb.cols.length + cj);
    });
  });
  return [ia, ib];
}
function correlateTransposed(a, b) {
  const rowsA = positions(a.plan.rows, Math.min(a.plan.R, b.plan.C));
  const colsA = positions(a.plan.cols, Math.min(a.plan.C, b.plan.R));
  const ia = [];
  const ib = [];
  b.plan.rows.forEach((r, i) => {
    const ac = colsA.get(r);
    if (ac === void 0) return;
    b.plan.cols.forEach((c, j) => {
      const ar = rowsA.get(c);
      if (ar === void 0) return;
      ib.push(i * b.plan.cols.length + j);
      ia.push(ar * a.plan.cols.length + ac);
    });
  });
  return pearsonAt(a.values, b.values, ia, ib);
}
function pearsonAt(x, y, ix, iy) {
  const n = ix.length;
  if (n < 3) return { r: 0, n };
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[ix[i]];
    my += y[iy[i]];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[ix[i]] - mx;
    const dy = y[iy[i]] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { r: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0, n };
}
function rawCosine(a, b) {
  const [ia, ib] = commonIndices(a.plan, b.plan);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < ia.length; i++) {
    const x = a.values[ia[i]] + a.center;
    const y = b.values[ib[i]] + b.center;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
var init_vectors = __esm({
  "src/compare/vectors.ts"() {
    "use strict";
    init_sample();
  }
});

// src/compare/stats.ts
function erfc(x) {
  const z = Math.abs(x);
  const t = 2 / (2 + z);
  const ty = 4 * t - 2;
  const cof = [
    -1.3026537197817094,
    0.6419697923564902,
    0.019476473204185836,
    -0.00956151478680863,
    -946595344482036e-18,
    366839497852761e-18,
    42523324806907e-18,
    -20278578112534e-18,
    -1624290004647e-18,
    130365583558e-17,
    15626441722e-18,
    -85238095915e-18,
    6529054439e-18,
    5059343495e-18,
    -991364156e-18,
    -227365122e-18,
    96467911e-18,
    2394038e-18,
    -6886027e-18,
    894487e-18,
    313092e-18,
    -112708e-18,
    381e-18,
    7106e-18,
    -1523e-18,
    -94e-18,
    121e-18,
    -28e-18
  ];
  let d = 0;
  let dd = 0;
  for (let j = cof.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + cof[j];
    dd = tmp;
  }
  const r = t * Math.exp(-z * z + 0.5 * (cof[0] + ty * d) - dd);
  return x >= 0 ? r : 2 - r;
}
function normalSf(z) {
  return 0.5 * erfc(z / Math.SQRT2);
}
function normalIsf(p2) {
  if (p2 <= 0) return Infinity;
  if (p2 >= 1) return -Infinity;
  const q3 = 1 - p2;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x;
  if (q3 < lo) {
    const r = Math.sqrt(-2 * Math.log(q3));
    x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  } else if (q3 > 1 - lo) {
    const r = Math.sqrt(-2 * Math.log(p2));
    x = -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  } else {
    const r = q3 - 0.5;
    const s = r * r;
    x = (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
  }
  const e = normalSf(x) - p2;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
  return x + u / (1 + x * u / 2);
}
function median(values) {
  const s = Array.from(values).sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function robustLocationScale(values) {
  const location = median(values);
  const dev = Array.from(values, (v) => Math.abs(v - location));
  return { location, scale: 1.4826 * median(dev) };
}
function maxOfM(p2, m) {
  if (m <= 1) return p2;
  return -Math.expm1(m * Math.log1p(-Math.min(p2, 1 - 1e-16)));
}
function stouffer(zs) {
  if (zs.length === 0) return 0;
  return zs.reduce((a, b) => a + b, 0) / Math.sqrt(zs.length);
}
function fisherZ(r) {
  const c = Math.max(-0.9999999, Math.min(0.9999999, r));
  return Math.atanh(c);
}
var init_stats = __esm({
  "src/compare/stats.ts"() {
    "use strict";
  }
});

// src/compare/tensor-match.ts
function vectorSupport(vectors) {
  let compared = 0;
  let inherited = 0;
  for (const m of vectors) {
    if (!m.exact && m.r === void 0) continue;
    compared++;
    if (m.exact || Math.abs(m.r) >= INHERITED_VECTOR_R) inherited++;
  }
  return { compared, inherited, supports: compared >= 3 && inherited >= 0.5 * compared };
}
function componentOf(doc) {
  const out = new Int32Array(doc.tensors.length).fill(-1);
  doc.components.forEach((c, ci) => c.tensors.forEach((i) => out[i] = ci));
  return out;
}
function tieKey(t) {
  if (t.sha256) return `sha:${t.sha256}`;
  if (t.sample) return `q:${t.shape.join("x")}:${t.sample.center}:${t.sample.scale}:${t.sample.q}`;
  return void 0;
}
function tensorRefs(doc) {
  const cached2 = refsCache.get(doc);
  if (cached2) return cached2;
  const refs = buildTensorRefs(doc);
  refsCache.set(doc, refs);
  return refs;
}
function buildTensorRefs(doc) {
  const comp = componentOf(doc);
  const firstByKey = /* @__PURE__ */ new Map();
  return doc.tensors.map((fp, index) => {
    const { cls, why } = classifyTensor2(fp);
    const parsed = parseTensorName(fp.name);
    const kind = doc.components[comp[index]]?.kind ?? "other";
    const ref = { index, fp, cls, why, component: comp[index], roleKey: `${kind}|${parsed.role}|${parsed.layer ?? ""}`, layer: parsed.layer };
    if (cls === "learned" || cls === "vector") {
      const key = tieKey(fp);
      if (key !== void 0) {
        const first = firstByKey.get(key);
        if (first === void 0) firstByKey.set(key, index);
        else ref.tiedTo = first;
      }
      ref.vec = sampleVector(fp, doc.sampling.k, doc.sampling.seed);
    }
    return ref;
  });
}
function describeOrderFree(a, b) {
  const parts = [];
  if (a.dtype !== b.dtype) parts.push(`${a.dtype}→${b.dtype}`);
  if (!sameShape(a.shape, b.shape)) parts.push(`shape [${a.shape}]→[${b.shape}]`);
  else parts.push("values rearranged");
  return parts.join(", ");
}
function exactMatches(A, B) {
  const bySha = /* @__PURE__ */ new Map();
  const byValues = /* @__PURE__ */ new Map();
  const bySample = /* @__PURE__ */ new Map();
  for (const a of A) {
    if (a.tiedTo !== void 0 || a.cls !== "learned" && a.cls !== "vector") continue;
    if (a.fp.sha256) bySha.set(a.fp.sha256, a);
    if (a.fp.valueDigest && (a.fp.traits?.distinct ?? 99) >= 16) byValues.set(a.fp.valueDigest, a);
    const key = tieKey(a.fp);
    if (key?.startsWith("q:") && numel(a.fp.shape) >= 1024) bySample.set(key, a);
  }
  const out = /* @__PURE__ */ new Map();
  for (const b of B) {
    if (b.tiedTo !== void 0 || b.cls !== "learned" && b.cls !== "vector") continue;
    const sha = b.fp.sha256 ? bySha.get(b.fp.sha256) : void 0;
    if (sha) {
      out.set(b.index, { b, a: sha, exact: "sha256", candidates: 1, p: 0 });
      continue;
    }
    const vals = b.fp.valueDigest ? byValues.get(b.fp.valueDigest) : void 0;
    if (vals && numel(vals.fp.shape) === numel(b.fp.shape)) {
      out.set(b.index, { b, a: vals, exact: "value-digest", exactHow: describeOrderFree(vals.fp, b.fp), candidates: 1, p: 0 });
      continue;
    }
    const key = tieKey(b.fp);
    const samp = key?.startsWith("q:") ? bySample.get(key) : void 0;
    if (samp) out.set(b.index, { b, a: samp, exact: "sample", exactHow: "equal at every sampled coordinate", candidates: 1, p: 0 });
  }
  return out;
}
function candidateIndex(A, cls) {
  const usable = A.filter((a) => a.cls === cls && a.tiedTo === void 0 && a.vec?.varies);
  const byRest = /* @__PURE__ */ new Map();
  const byFirst = /* @__PURE__ */ new Map();
  const byShape2 = /* @__PURE__ */ new Map();
  for (const a of usable) {
    const shape2 = a.fp.shape;
    push(byRest, `${shape2.length}:${shape2.slice(1).join("x")}`, a);
    if (shape2.length === 2) {
      push(byFirst, `2:${shape2[0]}`, a);
      push(byShape2, `${shape2[0]}x${shape2[1]}`, a);
    }
  }
  return (b) => {
    const shape2 = b.fp.shape;
    const direct = new Set(byRest.get(`${shape2.length}:${shape2.slice(1).join("x")}`) ?? []);
    if (shape2.length === 2) for (const a of byFirst.get(`2:${shape2[0]}`) ?? []) direct.add(a);
    const out = [...direct].filter((a) => compatibleShapes(a.fp.shape, shape2)).map((a) => ({ a, transposed: false }));
    if (shape2.length === 2) for (const a of byShape2.get(`${shape2[1]}x${shape2[0]}`) ?? []) out.push({ a, transposed: true });
    return out;
  };
}
function correlationMatches(A, B, exact, cls = "learned", opts = {}) {
  const candidatesOf = candidateIndex(A, cls);
  const namedA = /* @__PURE__ */ new Map();
  for (const a of A) if (a.cls === cls && a.tiedTo === void 0) namedA.set(a.roleKey, a);
  const rows = [];
  const controlsByClass = /* @__PURE__ */ new Map();
  const allControls = [];
  for (const b of B) {
    if (b.cls !== cls || b.tiedTo !== void 0 || !b.vec?.varies || exact.has(b.index)) continue;
    const cands = [];
    for (const { a, transposed } of candidatesOf(b)) {
      const c = transposed ? correlateTransposed(a.vec, b.vec) : correlate(a.vec, b.vec, sameShape(a.fp.shape, b.fp.shape));
      if (c.n < MIN_COORDINATES) continue;
      cands.push({ a, transposed, r: c.r, n: c.n, fz: Math.abs(fisherZ(c.r)) });
    }
    if (cands.length === 0) continue;
    let best = 0;
    for (let j = 1; j < cands.length; j++) {
      if (cands[j].fz * Math.sqrt(cands[j].n - 3) > cands[best].fz * Math.sqrt(cands[best].n - 3)) best = j;
    }
    const classKey = b.fp.shape.join("x");
    rows.push({ b, cands, best, classKey });
    cands.forEach((c, j) => {
      if (j === best) return;
      push(controlsByClass, classKey, c.fz);
      allControls.push(c.fz);
    });
  }
  const classNull = /* @__PURE__ */ new Map();
  for (const [key, pool] of controlsByClass) if (pool.length >= MIN_CONTROLS) classNull.set(key, robustLocationScale(pool));
  const pairNull = allControls.length >= MIN_CONTROLS ? robustLocationScale(allControls) : void 0;
  const controlMedianR = pairNull ? Math.tanh(pairNull.location) : NaN;
  const sharedInit2 = pairNull !== void 0 && controlMedianR >= SHARED_INIT_R;
  const matches = /* @__PURE__ */ new Map();
  for (const { b, cands, best, classKey } of rows) {
    const c = cands[best];
    let runnerUp;
    cands.forEach((x, j) => {
      if (j !== best && x.a !== c.a && (!runnerUp || x.fz > runnerUp.fz)) runnerUp = x;
    });
    const noise = 1 / Math.sqrt(Math.max(1, c.n - 3));
    let source;
    let loc;
    let scale;
    const own = classNull.get(classKey);
    if (own) {
      source = "shape-class";
      loc = own.location;
      scale = own.scale;
    } else if (pairNull && !sharedInit2) {
      source = "pair";
      loc = pairNull.location;
      scale = pairNull.scale;
    } else {
      source = "analytic";
      loc = 0;
      scale = 0;
    }
    scale = Math.max(scale, noise);
    const z = (c.fz - loc) / scale;
    const tail = (x) => source === "analytic" ? Math.min(1, 2 * normalSf(x)) : normalSf(x);
    const named = namedA.get(b.roleKey);
    const namedAgrees = named !== void 0 && named === c.a && !c.transposed;
    let p2;
    if (namedAgrees) p2 = tail(z);
    else {
      p2 = maxOfM(tail(z), cands.length);
      const nc = named ? cands.find((x) => x.a === named && !x.transposed) : void 0;
      if (nc) p2 = Math.min(1, 2 * Math.min(p2, tail((nc.fz - loc) / scale)));
    }
    const m = {
      b,
      a: c.a,
      transposed: c.transposed || void 0,
      r: c.r,
      n: c.n,
      candidates: cands.length,
      namedAgrees,
      z,
      p: p2,
      nullSource: source,
      runnerUpR: runnerUp?.r,
      null: { mean: Math.tanh(loc), std: scale }
    };
    if (runnerUp && Math.abs(c.r) < SPECIFIC_BELOW_R && runnerUp.fz >= RUNNER_UP_SHARE * c.fz && m.p < 1e-3) {
      m.discounted = `not specific: ${runnerUp.a.fp.name} is nearly as close (r ${runnerUp.r.toFixed(2)} vs ${c.r.toFixed(2)}), as a shared initialisation makes it`;
      m.discountKind = "shared-init";
      m.p = 1;
    } else if (source === "analytic" && sharedInit2) {
      m.discounted = `no same-shape control, and the pair shares an initialisation (controls r ${controlMedianR.toFixed(2)})`;
      m.discountKind = "shared-init";
      m.p = 1;
    } else if (source === "analytic" && Math.abs(c.r) < UNCONTROLLED_MIN_R && z > 3 && !opts.trustUncontrolled) {
      m.discounted = `r ${c.r.toFixed(2)} with no same-shape control, and norms/biases not inherited: a shared initialisation could explain it`;
      m.discountKind = "uncontrolled";
      m.p = 1;
    }
    matches.set(b.index, m);
  }
  return { matches, pair: { controlMedianR, controls: allControls.length, sharedInit: sharedInit2 } };
}
var MIN_COORDINATES, MIN_CONTROLS, UNCONTROLLED_MIN_R, INHERITED_VECTOR_R, SHARED_INIT_R, SPECIFIC_BELOW_R, RUNNER_UP_SHARE, refsCache;
var init_tensor_match = __esm({
  "src/compare/tensor-match.ts"() {
    "use strict";
    init_names();
    init_classify();
    init_collections();
    init_vectors();
    init_stats();
    MIN_COORDINATES = 64;
    MIN_CONTROLS = 6;
    UNCONTROLLED_MIN_R = 0.9;
    INHERITED_VECTOR_R = 0.6;
    SHARED_INIT_R = 0.2;
    SPECIFIC_BELOW_R = 0.9;
    RUNNER_UP_SHARE = 0.8;
    refsCache = /* @__PURE__ */ new WeakMap();
  }
});

// src/compare/permuted.ts
function columnsOf(fp, k, seed) {
  const plan = planSample(fp.shape, k, seed);
  if (fp.fullRows && fp.shape.length === 2) {
    const full = fp.fullRows;
    if (full.rows !== plan.rows.length || full.cols !== plan.C) return void 0;
    const q3 = decodeQ(full.q);
    const values = new Float32Array(q3.length);
    for (let i = 0; i < q3.length; i++) values[i] = q3[i] * full.scale;
    return { axis: "columns", rows: plan.rows, C: plan.C, values };
  }
  if (fp.fullCols) {
    const full = fp.fullCols;
    if (full.rows !== plan.R || full.cols !== plan.cols.length) return void 0;
    const q3 = decodeQ(full.q);
    const n = plan.cols.length;
    const values = new Float32Array(q3.length);
    for (let r = 0; r < plan.R; r++) for (let j = 0; j < n; j++) values[j * plan.R + r] = q3[r * n + j] * full.scale;
    return { axis: "rows", rows: plan.cols, C: plan.R, values };
  }
  return void 0;
}
function unitColumns(cols, rowPos, which) {
  return which.map((c) => {
    const v = new Float32Array(rowPos.length);
    let m = 0;
    rowPos.forEach((ri, i) => {
      v[i] = cols.values[ri * cols.C + c];
      m += v[i];
    });
    m /= rowPos.length;
    let ss = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] = v[i] - m;
      ss += v[i] * v[i];
    }
    const norm = Math.sqrt(ss) || 1;
    for (let i = 0; i < v.length; i++) v[i] = v[i] / norm;
    return v;
  });
}
function alignColumns(a, b) {
  if (a.C !== b.C || a.axis !== b.axis) return void 0;
  const posA = /* @__PURE__ */ new Map();
  a.rows.forEach((r, i) => posA.set(r, i));
  const ra = [];
  const rb = [];
  b.rows.forEach((r, i) => {
    const j = posA.get(r);
    if (j !== void 0) {
      ra.push(j);
      rb.push(i);
    }
  });
  const n = ra.length;
  if (n < MIN_ROWS) return void 0;
  const step = Math.max(1, Math.floor(b.C / MAX_COLUMNS));
  const testedCols = [];
  for (let c = 0; c < b.C && testedCols.length < MAX_COLUMNS; c += step) testedCols.push(c);
  const ua = unitColumns(a, ra, Array.from({ length: a.C }, (_, i) => i));
  const ub = unitColumns(b, rb, testedCols);
  const sd = 1 / Math.sqrt(Math.max(1, n - 3));
  const best = [];
  const all = [];
  for (const v of ub) {
    let br = 0;
    let bj = -1;
    for (let j = 0; j < ua.length; j++) {
      const w = ua[j];
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * w[i];
      const ad = Math.abs(dot);
      if (all.length < 2e4) all.push(ad);
      if (ad > br) {
        br = ad;
        bj = j;
      }
    }
    best.push({ r: br, j: bj });
  }
  const inflation = Math.max(1, median(all) / (0.674 * sd));
  let matched = 0;
  let moved = 0;
  const rs = [];
  best.forEach(({ r, j }, i) => {
    const z = Math.atanh(Math.min(r, 0.9999999)) / (sd * inflation);
    const p2 = maxOfM(Math.min(1, 2 * normalSf(z)), a.C);
    if (p2 < COLUMN_ALPHA) {
      matched++;
      rs.push(r);
      if (j !== testedCols[i]) moved++;
    }
  });
  return { axis: b.axis, tested: testedCols.length, matched, moved, medianR: rs.length ? median(rs) : 0 };
}
function permutedColumnMatches(A, B, already, k, seed) {
  const out = /* @__PURE__ */ new Map();
  const candidates = A.filter((a) => (a.fp.fullRows || a.fp.fullCols) && a.tiedTo === void 0).map((a) => ({ a, cols: columnsOf(a.fp, k, seed) }));
  let moved = false;
  for (const b of B) {
    if (!(b.fp.fullRows || b.fp.fullCols) || b.tiedTo !== void 0) continue;
    const prior = already.get(b.index);
    if (prior && (prior.exact || prior.p < 1e-4)) continue;
    const bc = columnsOf(b.fp, k, seed);
    if (!bc) continue;
    let bestHit;
    for (const { a: a2, cols } of candidates) {
      if (!cols) continue;
      const al2 = alignColumns(cols, bc);
      if (al2 && (!bestHit || al2.matched > bestHit.al.matched)) bestHit = { a: a2, al: al2 };
    }
    if (!bestHit || bestHit.al.matched < Math.max(8, MIN_MATCHED_SHARE * bestHit.al.tested)) continue;
    const { a, al } = bestHit;
    if (al.axis === "columns" && al.moved >= 0.5 * al.matched) moved = true;
    const m = Math.min(al.matched, 20);
    let p2 = 1;
    for (let i = 1; i <= m; i++) p2 *= al.tested * COLUMN_ALPHA / i;
    out.set(b.index, {
      b,
      a,
      r: al.medianR,
      n: al.tested,
      candidates: candidates.length,
      z: Infinity,
      p: Math.min(1, p2),
      columns: al,
      nullSource: "analytic",
      null: { mean: 0, std: 0 }
    });
  }
  return { matches: out, moved };
}
var MAX_COLUMNS, MIN_ROWS, COLUMN_ALPHA, MIN_MATCHED_SHARE;
var init_permuted = __esm({
  "src/compare/permuted.ts"() {
    "use strict";
    init_sample();
    init_stats();
    MAX_COLUMNS = 256;
    MIN_ROWS = 24;
    COLUMN_ALPHA = 1e-6;
    MIN_MATCHED_SHARE = 0.3;
  }
});

// src/compare/types.ts
var VERDICT_STRENGTH;
var init_types2 = __esm({
  "src/compare/types.ts"() {
    "use strict";
    VERDICT_STRENGTH = {
      identical: 3,
      derived: 2,
      independent: 1,
      inconclusive: 0
    };
  }
});

// src/compare/engine.ts
function pct(x) {
  return `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;
}
function fmtP(p2) {
  return p2 < 1e-300 ? "< 1e-300" : p2.toExponential(1);
}
function fmt(x, d = 2) {
  return Number.isFinite(x) ? x.toFixed(d) : String(x);
}
function countTail(n, m, alpha) {
  let logC = 0;
  for (let i = 0; i < m; i++) logC += Math.log(n - i) - Math.log(i + 1);
  return Math.min(1, Math.exp(logC + m * Math.log(alpha)));
}
function tensorZ(m) {
  if (m.exact) return THRESHOLDS.zCap;
  return Math.max(-3, Math.min(THRESHOLDS.zCap, normalIsf(Math.max(m.p, 1e-300))));
}
function inheritanceOf(matches) {
  const compared = matches.filter((m) => m.exact || m.r !== void 0);
  return {
    compared: compared.length,
    significant: compared.filter((m) => m.exact || m.p < 1e-3).length,
    z: stouffer(compared.map(tensorZ)),
    medianR: compared.length ? median(compared.map((m) => m.exact ? 1 : m.r)) : NaN
  };
}
function componentStats(refs, ctx) {
  const learned2 = refs.filter((r) => r.cls === "learned" && r.tiedTo === void 0);
  const compared = learned2.map((r) => ctx.matches.get(r.index)).filter((m) => m !== void 0);
  const exact = compared.filter((m) => m.exact);
  const Z = stouffer(compared.map(tensorZ));
  const own = inheritanceOf(refs.filter((r) => r.cls === "vector").map((r) => ctx.vectors.get(r.index)).filter((m) => !!m));
  return {
    learned: learned2,
    compared,
    exactCount: exact.length,
    exactShare: learned2.length ? exact.length / learned2.length : 0,
    bigExact: exact.some((m) => numel(m.b.fp.shape) >= THRESHOLDS.exactReuseNumel),
    Z,
    pComp: compared.length ? normalSf(Z) : 1,
    significant: compared.filter((m) => m.exact || m.p < THRESHOLDS.tensorAlpha).length,
    medianR: compared.length ? median(compared.map((m) => m.exact ? 1 : m.r)) : NaN,
    inheritance: own.compared >= MIN_VECTORS ? own : ctx.pairInheritance
  };
}
function describeEvidence(st, ctx, twins) {
  const evidence = [];
  const n = st.learned.length;
  const bySha = st.compared.filter((m) => m.exact === "sha256");
  const byValues = st.compared.filter((m) => m.exact === "value-digest");
  const bySample = st.compared.filter((m) => m.exact === "sample");
  if (bySha.length) {
    evidence.push({ kind: "exact", detail: `${bySha.length} of ${n} learned tensors are verbatim copies (equal SHA-256), e.g. ${bySha[0].b.fp.name} = A's ${bySha[0].a.fp.name}`, a: bySha[0].a.fp.name, b: bySha[0].b.fp.name, score: bySha.length });
  }
  if (byValues.length) {
    const how = [...new Set(byValues.map((m) => m.exactHow))].slice(0, 3).join("; ");
    evidence.push({ kind: "value-digest", detail: `${byValues.length} of ${n} learned tensors hold exactly A's multiset of values (order-free digest at bf16: ${how}), e.g. ${byValues[0].b.fp.name} ≡ A's ${byValues[0].a.fp.name}`, a: byValues[0].a.fp.name, b: byValues[0].b.fp.name, score: byValues.length });
  }
  if (bySample.length) {
    evidence.push({ kind: "exact", detail: `${bySample.length} of ${n} learned tensors equal A's at every sampled coordinate (sketch fingerprints carry no full digest)`, score: bySample.length });
  }
  for (const m of st.compared) {
    if (!("columns" in m)) continue;
    const { columns } = m;
    evidence.push({
      kind: "correlation",
      detail: `${m.b.fp.name}: ${columns.matched} of ${columns.tested} tested ${columns.axis} match ${columns.axis} of A's ${m.a.fp.name} (median |r| ${fmt(columns.medianR, 3)}, each p < 1e-6 against the max over ${columns.axis === "columns" ? m.a.fp.shape[1] : m.a.fp.shape[0]} unrelated ${columns.axis}), ${columns.moved} of them at another index${columns.moved >= columns.matched / 2 ? ": the hidden dimension was permuted" : ""}`,
      a: m.a.fp.name,
      b: m.b.fp.name,
      score: columns.medianR,
      p_value: m.p
    });
  }
  const positional = st.compared.filter((m) => !m.exact && !("columns" in m));
  if (positional.length) {
    const controlled = positional.filter((m) => m.nullSource !== "analytic");
    const nulls = (controlled.length ? controlled : positional).map((m) => m.null);
    const strongest = positional.reduce((x, y) => (y.z ?? -Infinity) > (x.z ?? -Infinity) ? y : x);
    const rc = strongest.a?.vec && strongest.b.vec && !strongest.transposed ? rawCosine(strongest.a.vec, strongest.b.vec) : NaN;
    evidence.push({
      kind: "correlation",
      detail: `median centred correlation r ${fmt(median(positional.map((m) => m.r)))} over ${positional.length} tensors (best partner among same-shape tensors of A); null from mismatched layers r ${fmt(median(nulls.map((x) => x.mean)), 3)} ± ${fmt(Math.tanh(median(nulls.map((x) => x.std))), 3)}; strongest ${strongest.b.fp.name} ↔ ${strongest.a.fp.name}${strongest.transposed ? " (transposed)" : ""}: r ${fmt(strongest.r, 4)} (raw cosine ${fmt(rc, 4)}, display only), z ${fmt(strongest.z, 1)}, p ${fmtP(strongest.p)}`,
      a: strongest.a.fp.name,
      b: strongest.b.fp.name,
      score: strongest.r,
      z: strongest.z,
      p_value: strongest.p
    });
    const discounted = positional.filter((m) => m.discounted);
    if (discounted.length) evidence.push({ kind: "note", detail: `${discounted.length} tensor(s) not counted: ${discounted[0].discounted}` });
    if (ctx.pair.sharedInit && median(positional.map((m) => m.r)) >= SHARED_INIT_R) {
      evidence.push({
        kind: "shared-init",
        detail: `tensors correlate with every same-shape tensor of the other model alike (controls median r ${fmt(ctx.pair.controlMedianR)} over ${ctx.pair.controls} mismatched pairs): a shared random initialisation, not a derivation`,
        score: ctx.pair.controlMedianR
      });
    }
  }
  for (const r of twins) {
    evidence.push({ kind: "fixed", detail: `${r.b.fp.name} is identical in both but not evidence: ${r.b.why}`, a: r.a.fp.name, b: r.b.fp.name });
  }
  return evidence;
}
function fixedTwins(refs, A) {
  const out = [];
  for (const b of refs) {
    if (b.cls !== "fixed" && b.cls !== "constant") continue;
    const a = A.find((x) => b.fp.sha256 && x.fp.sha256 === b.fp.sha256 || b.fp.valueDigest && x.fp.valueDigest === b.fp.valueDigest);
    if (a) out.push({ a, b });
  }
  return out;
}
function listNotCompared(name, refs, st, ctx, twins) {
  const out = [];
  for (const { b } of twins) out.push({ what: `${b.fp.name} (identical in both models)`, why: `${b.why}: not evidence of copying` });
  const unmatched = st.learned.filter((r) => !ctx.matches.has(r.index));
  if (unmatched.length) {
    out.push({ what: `${unmatched.length} learned tensor(s) of ${name}${unmatched.length <= 3 ? ` (${unmatched.map((u) => u.fp.name).join(", ")})` : ""}`, why: "no tensor of compatible shape in A (or no sample to compare)" });
  }
  const byClass = /* @__PURE__ */ new Map();
  for (const r of refs) if (r.cls !== "learned") push(byClass, r.cls, r);
  for (const list2 of byClass.values()) {
    out.push({ what: `${list2.length} ${list2[0].cls} tensor(s) of ${name}${list2.length <= 2 ? ` (${list2.map((u) => u.fp.name).join(", ")})` : ""}`, why: list2[0].why ?? "" });
  }
  return out;
}
function decide(st, ctx) {
  const { compared, learned: learned2, Z, significant, medianR, inheritance } = st;
  const tail = countTail(compared.length, significant, THRESHOLDS.tensorAlpha);
  if (learned2.length === 0) return { verdict: "inconclusive", why: "no learned matrices to compare" };
  if (compared.length === 0) return { verdict: "inconclusive", why: "not comparable: no tensor of compatible shape in A" };
  if (st.exactShare >= THRESHOLDS.identicalShare) return { verdict: "identical", why: `${pct(st.exactShare)} of learned tensors are exact copies` };
  if (st.exactCount && (st.exactShare >= 0.1 || st.bigExact)) return { verdict: "derived", why: `${st.exactCount} learned tensor(s) copied exactly` };
  const aligned = compared.find((m) => "columns" in m && m.p <= THRESHOLDS.countAlpha);
  if (aligned) return { verdict: "derived", why: `${aligned.b.fp.name} matches A's ${aligned.a.fp.name} unit by unit under a permutation of the hidden dimension (p ≤ ${fmtP(aligned.p)})` };
  const strong = Z >= THRESHOLDS.derivedZ && significant >= Math.max(1, THRESHOLDS.minSignificantShare * compared.length) || significant >= 2 && tail <= THRESHOLDS.countAlpha;
  if (strong) {
    const siblings = !ctx.hiddenPermuted && inheritance.compared >= MIN_VECTORS && inheritance.significant === 0 && inheritance.z < THRESHOLDS.independentZ && medianR < 0.9;
    if (siblings) {
      return {
        verdict: "independent",
        why: `matrices correlate (median r ${fmt(medianR)}) but none of ${inheritance.compared} norm/bias vectors is inherited (z ${fmt(inheritance.z, 1)}): trained separately from a shared random initialisation, not derived`,
        evidence: { kind: "shared-init", detail: `matrix similarity without inheritance of constant-initialised parameters (norm gains, biases: median r ${fmt(inheritance.medianR)}, none significant of ${inheritance.compared}) is the signature of a shared random initialisation`, score: inheritance.medianR }
      };
    }
    return {
      verdict: "derived",
      why: `combined z ${fmt(Z, 1)} (p ${fmtP(st.pComp)}), ${significant} of ${compared.length} tensors individually significant (p < ${THRESHOLDS.tensorAlpha}; chance would give that many with p ≤ ${fmtP(tail)})`,
      evidence: inheritance.compared >= MIN_VECTORS && inheritance.significant > 0 ? { kind: "correlation", detail: `norm/bias vectors inherited: ${inheritance.significant} of ${inheritance.compared} match A's beyond their controls (median r ${fmt(inheritance.medianR)}), which a shared initialisation alone does not give` } : void 0
    };
  }
  if (Z < THRESHOLDS.independentZ && ctx.hiddenPermuted) {
    return { verdict: "inconclusive", why: "the hidden dimension is permuted relative to A (embedding columns align only under a permutation): position-based statistics cannot judge this component" };
  }
  const discounted = compared.filter((m) => m.discountKind === "uncontrolled");
  if (discounted.length >= compared.length / 2) {
    return { verdict: "inconclusive", why: `${discounted.length} of ${compared.length} tensors resemble A's (median r ${fmt(median(discounted.map((m) => m.r)))}) but could not be tested: ${discounted[0].discounted}` };
  }
  if (Z < THRESHOLDS.independentZ && (compared.length >= 4 || compared.length >= learned2.length / 2)) {
    return { verdict: "independent", why: ctx.pair.sharedInit ? "no specific similarity beyond a shared initialisation" : `no similarity beyond chance (combined z ${fmt(Z, 1)})` };
  }
  return { verdict: "inconclusive", why: compared.length < 4 ? `only ${compared.length} of ${learned2.length} learned tensors comparable` : `weak evidence (combined z ${fmt(Z, 1)})` };
}
function layerProfile(compared) {
  const byLayer = /* @__PURE__ */ new Map();
  for (const m of compared) {
    if (m.b.layer === void 0) continue;
    push(byLayer, m.b.layer, m.exact ? 1 : m.r);
  }
  return [...byLayer.entries()].sort((x, y) => x[0] - y[0]).map(([layer, v]) => ({ layer, r: median(v) }));
}
function judgeComponent(ci, ctx, notCompared) {
  const comp = ctx.docB.components[ci];
  const refs = comp.tensors.map((i) => ctx.B[i]);
  const st = componentStats(refs, ctx);
  const twins = fixedTwins(refs, ctx.A);
  const evidence = describeEvidence(st, ctx, twins);
  notCompared.push(...listNotCompared(comp.name, refs, st, ctx, twins));
  const { verdict, why, evidence: extra } = decide(st, ctx);
  if (extra) evidence.push(extra);
  evidence.unshift({ kind: "note", detail: `${verdict}: ${why}` });
  const partnerComps = /* @__PURE__ */ new Map();
  for (const m of st.compared) if (m.a) partnerComps.set(m.a.component, (partnerComps.get(m.a.component) ?? 0) + 1);
  const aComp = [...partnerComps.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
  const aPrefix = aComp !== void 0 ? ctx.docA.components[aComp]?.prefix || ctx.docA.components[aComp]?.name || "" : "";
  const layers = layerProfile(st.compared);
  return {
    learnedParams: st.learned.reduce((n, r) => n + numel(r.fp.shape), 0),
    comparedParams: st.compared.reduce((n, m) => n + numel(m.b.fp.shape), 0),
    result: {
      name: comp.name,
      kind: comp.kind,
      a: aPrefix,
      b: comp.prefix || comp.name,
      verdict,
      tensors_compared: st.compared.length,
      score: Number(st.Z.toFixed(3)),
      null: { mean: 0, std: 1 },
      p_value: st.pComp,
      median_r: Number.isFinite(st.medianR) ? Number(st.medianR.toFixed(4)) : void 0,
      exact_share: Number(st.exactShare.toFixed(4)),
      evidence,
      layers: layers.length > 1 ? layers : void 0
    }
  };
}
function compareFingerprints(docA, docB) {
  const notCompared = [];
  const A = tensorRefs(docA);
  const B = tensorRefs(docB);
  const exact = exactMatches(A, B);
  const sameSampling = docA.sampling.k === docB.sampling.k && docA.sampling.seed === docB.sampling.seed;
  const matches = new Map(exact);
  let pair = { controlMedianR: NaN, controls: 0, sharedInit: false };
  let vectors = /* @__PURE__ */ new Map();
  let hiddenPermuted = false;
  if (sameSampling) {
    vectors = correlationMatches(A, B, exact, "vector").matches;
    for (const [i, m] of exact) if (m.b.cls === "vector") vectors.set(i, m);
    const corr = correlationMatches(A, B, exact, "learned", { trustUncontrolled: vectorSupport(vectors.values()).supports });
    pair = corr.pair;
    for (const [i, m] of corr.matches) matches.set(i, m);
    const permuted = permutedColumnMatches(A, B, matches, docB.sampling.k, docB.sampling.seed);
    for (const [i, m] of permuted.matches) matches.set(i, m);
    hiddenPermuted = permuted.moved;
  } else {
    notCompared.push({ what: "correlation of sampled values", why: `the fingerprints were sampled differently (k ${docA.sampling.k}/${docB.sampling.k}, seed ${docA.sampling.seed}/${docB.sampling.seed}): only digests compared` });
  }
  const ctx = {
    docA,
    docB,
    A,
    B,
    matches,
    vectors,
    pair,
    pairInheritance: inheritanceOf([...vectors.values()]),
    hiddenPermuted
  };
  const works = docB.components.map((_, ci) => judgeComponent(ci, ctx, notCompared)).filter((w) => w.learnedParams > 0);
  const { verdict, reason, confidence } = modelVerdict(works);
  return {
    verdict,
    confidence,
    reason,
    a: { id: docA.source.id, mode: docA.mode },
    b: { id: docB.source.id, mode: docB.mode },
    components: works.map((w) => w.result),
    not_compared: notCompared
  };
}
function modelVerdict(works) {
  const decided = works.filter((w) => w.result.verdict !== "inconclusive");
  const learnedTotal = works.reduce((n, w) => n + w.learnedParams, 0);
  const ranked = [...works].sort((x, y) => VERDICT_STRENGTH[y.result.verdict] - VERDICT_STRENGTH[x.result.verdict] || y.result.score - x.result.score);
  const top = ranked[0];
  if (!top || top.result.verdict === "inconclusive") {
    return { verdict: "inconclusive", reason: "no component could be judged: nothing comparable between the two models", confidence: 0 };
  }
  const c = top.result;
  const reasonOf = (w) => w.result.evidence[0]?.detail.replace(/^[a-z]+: /, "") ?? "";
  if (c.verdict === "identical") {
    const identicalParams = decided.filter((w) => w.result.verdict === "identical").reduce((n, w) => n + w.learnedParams, 0);
    const allIdentical = decided.every((w) => w.result.verdict === "identical") && identicalParams >= 0.9 * learnedTotal;
    if (allIdentical) {
      return { verdict: "identical", reason: `same weights: ${reasonOf(top)} (${c.name})`, confidence: 0.999 };
    }
    return { verdict: "derived", reason: `${c.name} is a copy of A's ${c.a || "weights"} (${reasonOf(top)}); other components differ`, confidence: 0.999 };
  }
  if (c.verdict === "derived") {
    return { verdict: "derived", reason: `${c.name} derives from A's ${c.a || "weights"}: ${reasonOf(top)}`, confidence: Math.min(0.999999, 1 - c.p_value) };
  }
  const comparedShare = learnedTotal ? works.reduce((n, w) => n + w.comparedParams, 0) / learnedTotal : 0;
  return {
    verdict: "independent",
    reason: `no component derives from A (${decided.map((w) => `${w.result.name}: ${reasonOf(w)}`).join("; ")})`,
    confidence: Number((0.99 * Math.min(1, comparedShare)).toFixed(3))
  };
}
var THRESHOLDS, MIN_VECTORS;
var init_engine = __esm({
  "src/compare/engine.ts"() {
    "use strict";
    init_tensor_match();
    init_stats();
    init_vectors();
    init_permuted();
    init_classify();
    init_collections();
    init_types2();
    THRESHOLDS = {
      /** Component Stouffer z for "derived" (one-sided p ≈ 1e-8). */
      derivedZ: 5.6,
      /** Below this the component shows no evidence of derivation. */
      independentZ: 3,
      /** A tensor counts as individually significant below this p-value. */
      tensorAlpha: 1e-4,
      /**
       * Share of significant tensors a derived component needs (guards against one freak tensor),
       * unless the count of significant tensors is itself beyond chance (union bound ≤ 1e-8): a few
       * layers spliced into a large decoder are reuse too.
       */
      minSignificantShare: 0.2,
      countAlpha: 1e-8,
      /** Share of exact copies for "identical". */
      identicalShare: 0.9,
      /** A single verbatim learned tensor at least this large is reuse on its own. */
      exactReuseNumel: 4096,
      /** z assigned to an exact copy, and the cap on any tensor's z in the combination. */
      zCap: 8.3
    };
    MIN_VECTORS = 4;
  }
});

// src/compare/tokenizer.ts
function decode(s) {
  const hit = decodedCache.get(s);
  if (hit) return hit;
  const hb = Buffer.from(s.hashes, "base64");
  const vb = Buffer.from(s.values, "base64");
  const count2 = hb.length / 8;
  const hashes = new Array(count2);
  const values = new Uint32Array(count2);
  for (let i = 0; i < count2; i++) {
    hashes[i] = hb.readBigUInt64BE(i * 8);
    values[i] = vb.readUInt32BE(i * 4);
  }
  const limit = s.n <= count2 ? MAX_U64 : count2 ? hashes[count2 - 1] : MAX_U64;
  const d = { hashes, values, limit };
  decodedCache.set(s, d);
  return d;
}
function join3(sa, sb, extraLimit = MAX_U64) {
  const a = decode(sa);
  const b = decode(sb);
  const limit = min(min(a.limit, b.limit), extraLimit);
  let i = 0;
  let j = 0;
  let union = 0;
  let inA = 0;
  let inB = 0;
  const pairs = [];
  const common = [];
  while (i < a.hashes.length || j < b.hashes.length) {
    const ha = i < a.hashes.length ? a.hashes[i] : void 0;
    const hb = j < b.hashes.length ? b.hashes[j] : void 0;
    const h2 = ha === void 0 ? hb : hb === void 0 ? ha : ha < hb ? ha : hb;
    if (h2 > limit) break;
    union++;
    if (ha === h2 && hb === h2) {
      inA++;
      inB++;
      pairs.push([a.values[i], b.values[j]]);
      common.push(h2);
      i++;
      j++;
    } else if (ha === h2) {
      inA++;
      i++;
    } else {
      inB++;
      j++;
    }
  }
  return { union, inA, inB, pairs, common, exact: a.limit === MAX_U64 && b.limit === MAX_U64, limit };
}
function min(x, y) {
  return x < y ? x : y;
}
function proportion(hits, n, population, exact) {
  const p2 = n ? hits / n : 0;
  if (exact || n === 0) return { estimate: p2, se: 0, sample: n, exact: exact && n > 0 };
  const ps = (hits + 0.5) / (n + 1);
  const fpc = population > n ? Math.sqrt((population - n) / (population - 1)) : 0;
  return { estimate: p2, se: Math.sqrt(ps * (1 - ps) / n) * fpc, sample: n, exact: false };
}
function rankTransform(xs) {
  const idx = xs.map((_, i) => i).sort((p2, q3) => xs[p2] - xs[q3]);
  const r = new Array(xs.length);
  for (let k = 0; k < idx.length; ) {
    let m = k;
    while (m + 1 < idx.length && xs[idx[m + 1]] === xs[idx[k]]) m++;
    for (let t = k; t <= m; t++) r[idx[t]] = (k + m) / 2;
    k = m + 1;
  }
  return r;
}
function pearson(x, y) {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : 0;
}
function kendall(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(x[i] - x[j]) * Math.sign(y[i] - y[j]);
  }
  return s / (n * (n - 1) / 2);
}
function mergeRankEvidence(a, b) {
  if (!a.ranks || !b.ranks) return void 0;
  if (a.ranks.kind !== b.ranks.kind) {
    return { kind: a.ranks.kind, common: 0, note: `not comparable: ${a.ranks.kind} vs ${b.ranks.kind}` };
  }
  const j = join3(a.ranks.sketch, b.ranks.sketch);
  const n = j.pairs.length;
  if (n < MIN_COMMON_MERGES) {
    return { kind: a.ranks.kind, common: n, note: `too few common merges (${n})` };
  }
  const ra = rankTransform(j.pairs.map((p2) => p2[0]));
  const rb = rankTransform(j.pairs.map((p2) => p2[1]));
  const spearman = pearson(ra, rb);
  return {
    kind: a.ranks.kind,
    common: n,
    spearman,
    kendall: kendall(ra, rb),
    p_value: normalSf(spearman * Math.sqrt(n - 1))
  };
}
function comparableConventions(a, b) {
  return a === b || PREFIX_SPACE.includes(a) && PREFIX_SPACE.includes(b);
}
function compareTokenizers(a, b, options = {}) {
  const comparable2 = comparableConventions(a.convention, b.convention);
  const mergesAgree = a.ranks?.source === "explicit" && b.ranks?.source === "explicit" ? a.ranks.digest === b.ranks.digest : true;
  const identical = a.vocabDigest === b.vocabDigest && mergesAgree;
  const sameAddedTokens = a.special.digest === b.special.digest;
  const j = join3(a.tokens, b.tokens);
  const inter = j.pairs.length;
  const jaccard = proportion(inter, j.union, (a.tokenCount + b.tokenCount) / (1 + (j.union ? inter / j.union : 0)), j.exact);
  const containment = { aInB: j.inA ? inter / j.inA : 0, bInA: j.inB ? inter / j.inB : 0 };
  const sameHits = j.pairs.filter(([x, y]) => x === y).length;
  const shared = jaccard.estimate ? jaccard.estimate / (1 + jaccard.estimate) * (a.tokenCount + b.tokenCount) : 0;
  const sameId = proportion(sameHits, inter, shared, j.exact);
  const idOffset = modalOffset(j.pairs);
  const mergeRank = comparable2 ? mergeRankEvidence(a, b) : void 0;
  const ancestry = [];
  for (const anc of options.ancestors ?? []) {
    const n = ancestryNote(a, b, anc);
    if (n) ancestry.push(n);
  }
  const note = ancestry.length ? ancestryText(ancestry) : void 0;
  const parts = [];
  if (identical) parts.push(sameAddedTokens ? "identical tokenizer" : "identical vocabulary and merges; added tokens differ");
  if (!comparable2) parts.push(`conventions differ (${a.convention} vs ${b.convention}): overlap not meaningful`);
  parts.push(`Jaccard ${fmt2(jaccard.estimate)}${jaccard.exact ? " (exact)" : ` ± ${fmt2(jaccard.se)}`}`);
  if (inter > 0) parts.push(`${pct2(sameId.estimate)} of shared tokens keep their id`);
  if (idOffset) parts.push(`${pct2(idOffset.share)} are shifted by ${idOffset.offset > 0 ? "+" : ""}${idOffset.offset}`);
  if (mergeRank) {
    const what = mergeRank.kind === "merge" ? "merge" : "piece-score";
    parts.push(
      mergeRank.spearman !== void 0 ? `${what}-rank Spearman ${fmt2(mergeRank.spearman)} over ${mergeRank.common} common ${what === "merge" ? "merges" : "pieces"}` : `${what} rank: ${mergeRank.note}`
    );
  }
  return {
    kind: "tokenizer",
    identical,
    sameAddedTokens,
    comparable: comparable2,
    jaccard: j.union ? jaccard : void 0,
    containment: j.union ? containment : void 0,
    sameId: inter ? sameId : void 0,
    idOffset,
    mergeRank,
    ancestry,
    note,
    detail: parts.join("; ")
  };
}
function modalOffset(pairs) {
  const counts = /* @__PURE__ */ new Map();
  for (const [x, y] of pairs) counts.set(y - x, (counts.get(y - x) ?? 0) + 1);
  let best;
  for (const e of counts) if (e[0] !== 0 && (!best || e[1] > best[1])) best = e;
  return best && best[1] > pairs.length / 2 ? { offset: best[0], share: best[1] / pairs.length } : void 0;
}
function ancestryNote(a, b, anc) {
  const ja = join3(anc.signature.tokens, a.tokens);
  const jb = join3(anc.signature.tokens, b.tokens);
  const containmentA = ja.inA ? ja.pairs.length / ja.inA : 0;
  const containmentB = jb.inA ? jb.pairs.length / jb.inA : 0;
  if (containmentA < ANCESTOR_CONTAINMENT || containmentB < ANCESTOR_CONTAINMENT) return void 0;
  const ancD = decode(anc.signature.tokens);
  const jab = join3(a.tokens, b.tokens, ancD.limit);
  const ancSet = new Set(ancD.hashes.filter((h2) => h2 <= jab.limit));
  const aD = decode(a.tokens);
  const bD = decode(b.tokens);
  const inAB = new Set(jab.common);
  let union = 0;
  let both = 0;
  for (const h2 of /* @__PURE__ */ new Set([...aD.hashes, ...bD.hashes])) {
    if (h2 > jab.limit || ancSet.has(h2)) continue;
    union++;
    if (inAB.has(h2)) both++;
  }
  const exact = jab.exact && ancD.limit === MAX_U64;
  const beyond = union ? proportion(both, union, Math.max(union, a.tokenCount + b.tokenCount - anc.signature.tokenCount), exact) : void 0;
  return { ancestor: anc.id, family: anc.family, containmentA, containmentB, beyondAncestor: beyond };
}
function ancestryText(notes) {
  return notes.map((n) => {
    const beyond = n.beyondAncestor ? ` Beyond it, their other tokens overlap with Jaccard ${fmt2(n.beyondAncestor.estimate)} ± ${fmt2(n.beyondAncestor.se)}.` : "";
    return `Both vocabularies contain ${n.ancestor} (${pct2(n.containmentA)} and ${pct2(n.containmentB)} of its tokens): models that start from that public ${n.family} vocabulary (as Llama 3 and Qwen2 start from cl100k_base) overlap highly, so high overlap with this family is expected and is not evidence of weight reuse.${beyond}`;
  }).join(" ");
}
function fmt2(x) {
  return x >= 0.995 && x < 1 ? x.toFixed(3) : x.toFixed(2);
}
function pct2(x) {
  const v = x * 100;
  return `${v >= 99.5 && v < 100 ? v.toFixed(1) : v.toFixed(0)} %`;
}
var MIN_COMMON_MERGES, ANCESTOR_CONTAINMENT, MAX_U64, decodedCache, PREFIX_SPACE;
var init_tokenizer2 = __esm({
  "src/compare/tokenizer.ts"() {
    "use strict";
    init_stats();
    MIN_COMMON_MERGES = 10;
    ANCESTOR_CONTAINMENT = 0.9;
    MAX_U64 = (1n << 64n) - 1n;
    decodedCache = /* @__PURE__ */ new WeakMap();
    PREFIX_SPACE = ["byte-level", "metaspace", "bytes", "raw"];
  }
});

// src/compare/config.ts
function show2(v) {
  return Array.isArray(v) ? v.join(",") : String(v);
}
function fieldDiff(a, b, prefix = "") {
  const agreeing = [];
  const differences = [];
  const onlyOne = [];
  for (const f of FIELDS) {
    const va = a[f];
    const vb = b[f];
    if (va === void 0 && vb === void 0) continue;
    const name = prefix + LABEL[f];
    if (va === void 0 || vb === void 0) onlyOne.push(`${name}: ${va === void 0 ? `only b (${show2(vb)})` : `only a (${show2(va)})`}`);
    else if (show2(va) === show2(vb)) agreeing.push(`${name} ${show2(va)}`);
    else differences.push(`${name}: ${show2(va)} vs ${show2(vb)}`);
  }
  return { agreeing, differences, onlyOne };
}
function matchParts(key, a, b, digestA, digestB) {
  if (!a || !b) {
    return {
      key,
      a: a?.modelType,
      b: b?.modelType,
      sameModelType: false,
      sameArchitecture: false,
      consistent: false,
      agreeing: [],
      differences: [`${key}: only in ${a ? "a" : "b"}`]
    };
  }
  const d = fieldDiff(a, b);
  return {
    key,
    a: a.modelType,
    b: b.modelType,
    sameModelType: a.modelType !== void 0 && a.modelType === b.modelType,
    sameArchitecture: digestA !== void 0 && digestA === digestB,
    consistent: d.differences.every((x) => CONTEXT_FIELDS.has(x.slice(0, x.indexOf(":")))) && d.agreeing.length > 0,
    agreeing: d.agreeing,
    differences: d.differences
  };
}
function compareConfigs(a, b) {
  const sameArchitecture = a.archDigest === b.archDigest;
  const top = fieldDiff(a, b);
  const differences = [...top.differences, ...top.onlyOne];
  const subA = new Map(a.subConfigs.map((s) => [s.key, s]));
  const subB = new Map(b.subConfigs.map((s) => [s.key, s]));
  const keys = [.../* @__PURE__ */ new Set([...subA.keys(), ...subB.keys()])].sort();
  const subConfigMatches = [];
  for (const k of keys) {
    const sa = subA.get(k);
    const sb = subB.get(k);
    const m = matchParts(k, sa, sb, sa?.archDigest, sb?.archDigest);
    subConfigMatches.push(m);
    differences.push(...m.differences.map((d) => d.startsWith(`${k}:`) ? d : `${k}.${d}`));
  }
  const textA = subA.get("text_config");
  const textB = subB.get("text_config");
  if (textA && !textB && hasShape(b)) subConfigMatches.push(matchParts("text_config ↔ root", textA, b));
  if (textB && !textA && hasShape(a)) subConfigMatches.push(matchParts("root ↔ text_config", a, textB));
  return { kind: "config", contextOnly: true, sameArchitecture, differences, subConfigMatches, detail: detailLine(a, sameArchitecture, differences, subConfigMatches) };
}
function hasShape(f) {
  return f.hiddenSize !== void 0 && f.layers !== void 0;
}
function shape(f) {
  const dims = [f.hiddenSize, f.layers].every((x) => x !== void 0) ? ` ${f.hiddenSize}×${f.layers}L` : "";
  const heads = f.heads !== void 0 ? ` ${f.heads}H${f.kvHeads !== void 0 ? `/${f.kvHeads}KV` : ""}` : "";
  return `${f.modelType ?? "unknown type"}${dims}${heads}`;
}
function detailLine(a, same, differences, subs) {
  const head = same ? `same architecture (${shape(a)})` : `different architecture: ${differences.length} difference${differences.length === 1 ? "" : "s"}${differences.length ? ` (${differences.slice(0, 3).join("; ")}${differences.length > 3 ? "; …" : ""})` : ""}`;
  const subText = subs.filter((m) => m.a !== void 0 || m.b !== void 0).filter((m) => m.sameModelType || m.consistent).map((m) => `${m.key}: ${m.sameModelType ? `both ${m.a}` : "consistent"}${m.agreeing.length ? `, ${m.agreeing.filter((x) => !x.startsWith("model_type")).slice(0, 4).join(", ")}` : ""}${m.differences.length ? ` (differs: ${m.differences.slice(0, 2).join("; ")})` : ""}`);
  const context = "context only: equal configs are common among independently trained models";
  return [head, ...subText, context].join("; ");
}
var LABEL, FIELDS, CONTEXT_FIELDS;
var init_config2 = __esm({
  "src/compare/config.ts"() {
    "use strict";
    LABEL = {
      modelType: "model_type",
      architectures: "architectures",
      hiddenSize: "hidden_size",
      layers: "layers",
      heads: "attention_heads",
      kvHeads: "kv_heads",
      headDim: "head_dim",
      intermediateSize: "intermediate_size",
      vocabSize: "vocab_size",
      ropeTheta: "rope_theta",
      tieWordEmbeddings: "tie_word_embeddings",
      experts: "experts",
      expertsPerToken: "experts_per_token",
      sharedExperts: "shared_experts",
      moeIntermediateSize: "moe_intermediate_size",
      qLoraRank: "q_lora_rank",
      kvLoraRank: "kv_lora_rank",
      patchSize: "patch_size",
      imageSize: "image_size",
      outHiddenSize: "out_hidden_size",
      maxPositions: "max_position_embeddings"
    };
    FIELDS = Object.keys(LABEL);
    CONTEXT_FIELDS = /* @__PURE__ */ new Set(["out_hidden_size", "max_position_embeddings"]);
  }
});

// src/compare/lineage.ts
function normaliseHubId(id) {
  let s = id.trim().toLowerCase();
  s = s.replace(/^hf:/, "").replace(/^https?:\/\/(www\.)?huggingface\.co\//, "");
  s = s.replace(/@.*$/, "").replace(/\/(tree|resolve|blob)\/.*$/, "").replace(/\/+$/, "");
  const slash = s.lastIndexOf("/");
  return slash < 0 ? { name: s } : { org: s.slice(0, slash), name: s.slice(slash + 1) };
}
function sameHubId(x, y) {
  const a = normaliseHubId(x);
  const b = normaliseHubId(y);
  if (a.name !== b.name || !a.name) return false;
  return a.org === void 0 || b.org === void 0 || a.org === b.org;
}
function checkLineage(declared2, detected) {
  const bases = declared2?.baseModel ?? [];
  const withDecl = detected.map((d) => {
    const base2 = bases.find((b) => sameHubId(b, d.entry));
    return base2 === void 0 ? { ...d } : { ...d, declaredAs: base2 };
  });
  const undeclared2 = withDecl.filter((d) => DERIVED.includes(d.verdict) && d.declaredAs === void 0).map(({ entry, verdict, component }) => component === void 0 ? { entry, verdict } : { entry, verdict, component });
  const unsupported = [];
  const unverified = [];
  const supported = [];
  for (const base2 of bases) {
    const mine = detected.filter((d) => sameHubId(base2, d.entry));
    if (mine.some((d) => DERIVED.includes(d.verdict))) supported.push(base2);
    else if (mine.some((d) => d.verdict === "independent")) {
      unsupported.push({ base: base2, comparisons: mine.filter((d) => d.verdict === "independent") });
    } else unverified.push(base2);
  }
  const parts = [];
  parts.push(bases.length ? `declares ${bases.join(", ")}` : "declares no base model");
  if (supported.length) parts.push(`supported by the weights: ${supported.join(", ")}`);
  if (undeclared2.length) {
    parts.push(`undeclared reuse: ${undeclared2.map((u) => `${u.component ? `${u.component} ` : ""}${u.verdict} from ${u.entry}`).join("; ")}`);
  }
  if (unsupported.length) parts.push(`declared but not supported by the weights: ${unsupported.map((u) => u.base).join(", ")}`);
  if (unverified.length) parts.push(`not verified (no decisive comparison): ${unverified.join(", ")}`);
  return { kind: "lineage", declared: bases, detected: withDecl, undeclared: undeclared2, unsupported, unverified, detail: parts.join("; ") };
}
var DERIVED;
var init_lineage = __esm({
  "src/compare/lineage.ts"() {
    "use strict";
    DERIVED = ["identical", "derived"];
  }
});

// src/compare/index.ts
function compareModels(a, b, opts = {}) {
  const result = compareFingerprints(a, b);
  if (a.tokenizer && b.tokenizer) result.tokenizer = compareTokenizers(a.tokenizer, b.tokenizer);
  else result.not_compared.push({ what: "tokenizer", why: a.tokenizer || b.tokenizer ? "only one side has tokenizer files" : "no tokenizer files on either side" });
  if (a.config && b.config) result.config = compareConfigs(a.config, b.config);
  const entry = opts.entryId ?? a.source.id;
  const top = [...result.components].sort((x, y) => y.score - x.score)[0];
  const lineage = checkLineage(b.card, [{ entry, verdict: result.verdict, component: top?.name }]);
  result.lineage = lineage;
  if (result.verdict === "derived" || result.verdict === "identical") {
    const declared2 = b.card?.baseModel ?? [];
    const hubStyle = /^(?:hf:)?[\w.-]+\/[\w.-]+(?:@[\w.-]+)?$/.test(entry);
    if (declared2.length === 0) result.reason += " — the model card declares no base model (undeclared reuse)";
    else if (hubStyle && lineage.undeclared.length) result.reason += ` — the model card declares ${declared2.join(", ")}, not ${entry} (undeclared reuse)`;
    else result.reason += ` — declared base_model: ${declared2.join(", ")}`;
  }
  return result;
}
var init_compare = __esm({
  "src/compare/index.ts"() {
    "use strict";
    init_engine();
    init_tokenizer2();
    init_config2();
    init_lineage();
    init_engine();
  }
});

// src/report/truncate.ts
function truncationNotice(shown, total, summaryUrl, where) {
  where ??= `${summaryUrl ? `the [job summary](${summaryUrl})` : "the job summary of the workflow run"} and in the \`report-markdown\` file`;
  return `

---
> [!NOTE]
> Report truncated (${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} characters shown). The full report is in ${where}.
`;
}
function truncateMarkdown(markdown, max, summaryUrl, where) {
  if (markdown.length <= max) return markdown;
  const reserve = truncationNotice(markdown.length, markdown.length, summaryUrl, where).length + 64;
  const budget = Math.max(0, max - reserve);
  let cut = markdown.lastIndexOf("\n", budget);
  if (cut < budget / 2) cut = budget;
  const code2 = markdown.charCodeAt(cut - 1);
  if (code2 >= 55296 && code2 <= 56319) cut -= 1;
  const kept = markdown.slice(0, cut);
  const fences = kept.split("\n").filter((l) => /^\s{0,3}(```|~~~)/.test(l)).length;
  let closing = "";
  if (fences % 2 === 1) closing += "\n```";
  const opened = (kept.match(/<details\b/gi) ?? []).length - (kept.match(/<\/details>/gi) ?? []).length;
  for (let i = 0; i < opened; i++) closing += "\n</details>";
  const out = kept + closing + truncationNotice(kept.length, markdown.length, summaryUrl, where);
  return out.length <= max ? out : out.slice(0, max);
}
var init_truncate = __esm({
  "src/report/truncate.ts"() {
    "use strict";
  }
});

// src/report/markdown.ts
function esc(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
function code(text) {
  const clean = esc(text);
  return clean.includes("`") ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}
function p(x) {
  if (!Number.isFinite(x)) return "–";
  if (x === 0) return "< 1e-300";
  return x < 1e-3 ? x.toExponential(1) : x.toFixed(3);
}
function num2(x, d = 2) {
  return x === void 0 || !Number.isFinite(x) ? "–" : x.toFixed(d);
}
function componentTable(components) {
  const rows = [
    "| component (B) | in A | verdict | score z | null | p-value | tensors | median r | exact |",
    "|---|---|---|---:|---|---:|---:|---:|---:|"
  ];
  for (const c of components) {
    rows.push(`| ${esc(c.name)} | ${esc(c.a || "–")} | ${BADGE[c.verdict]} | ${num2(c.score, 1)} | N(${c.null.mean}, ${c.null.std}) | ${p(c.p_value)} | ${c.tensors_compared} | ${num2(c.median_r)} | ${c.exact_share !== void 0 ? `${Math.round(100 * c.exact_share)} %` : "–"} |`);
  }
  return rows.join("\n");
}
function layerChart(result) {
  const withLayers = result.components.filter((c) => c.layers && c.layers.length >= 3);
  if (!withLayers.length) return "";
  const blocks = withLayers.slice(0, 3).map((c) => {
    const xs = c.layers.map((l) => l.layer).join(", ");
    const ys = c.layers.map((l) => Math.max(-1, Math.min(1, l.r)).toFixed(3)).join(", ");
    return [
      "```mermaid",
      "xychart-beta",
      `  title "${c.name.replace(/"/g, "'")}: median centred r per layer (B vs A)"`,
      `  x-axis "layer" [${xs}]`,
      '  y-axis "r" -0.2 --> 1',
      `  line [${ys}]`,
      "```"
    ].join("\n");
  });
  return blocks.join("\n\n");
}
function renderCompareMarkdown(result, opts = {}) {
  const out = [];
  out.push(`${opts.heading ?? "###"} Weightprint: ${BADGE[result.verdict]}`);
  out.push("");
  out.push(`**${esc(result.reason)}**`);
  out.push("");
  out.push(`A (reference): ${code(result.a.id)} (${result.a.mode}) · B (under test): ${code(result.b.id)} (${result.b.mode}) · confidence ${num2(result.confidence, 3)}`);
  out.push("");
  if (result.components.length) out.push(componentTable(result.components), "");
  const evidence = result.components.filter((c) => c.verdict === result.verdict || c.verdict === "identical" || c.verdict === "derived").flatMap((c) => c.evidence.filter((e) => e.kind !== "note").slice(0, 3).map((e) => `- **${esc(c.name)}** (${e.kind}): ${e.detail}`));
  const context = result.components.flatMap((c) => c.evidence.filter((e) => e.kind === "fixed" || e.kind === "shared-init").map((e) => `- **${esc(c.name)}** (${e.kind}): ${e.detail}`));
  const lines = [.../* @__PURE__ */ new Set([...evidence, ...context])].slice(0, 12);
  if (lines.length) out.push("**Strongest evidence**", "", ...lines, "");
  for (const [label, value] of [["Tokenizer", result.tokenizer], ["Config", result.config], ["Declared lineage", result.lineage]]) {
    const detail = value?.detail;
    if (detail) out.push(`**${label}:** ${detail}`, "");
  }
  const chart = layerChart(result);
  if (chart) out.push("<details><summary>Per-layer similarity</summary>", "", chart, "", "</details>", "");
  if (result.not_compared.length) {
    out.push("<details><summary>Not compared</summary>", "");
    for (const n of result.not_compared.slice(0, 40)) out.push(`- ${esc(n.what)}: ${esc(n.why)}`);
    if (result.not_compared.length > 40) out.push(`- … and ${result.not_compared.length - 40} more (see the JSON report)`);
    out.push("", "</details>", "");
  }
  out.push("<sub>Score: Stouffer z over the component's learned tensors; each tensor's correlation with its best partner is tested against controls measured in the same pair (mismatched same-shape layers), so under independence the score follows N(0, 1). Derived needs z ≥ 5.6 (p ≈ 1e-8) with ≥ 20 % of tensors individually significant; exact copies count by digest. 1-D tensors, constants and fixed buffers are context, never evidence. Raw cosine is shown for display only.</sub>");
  return out.join("\n");
}
function renderCheckMarkdown(results, opts = {}) {
  const out = ["## Weightprint provenance report", ""];
  for (const r of results) {
    out.push(`### ${code(r.model)}: ${BADGE[r.verdict]} · policy ${POLICY_BADGE[r.policy.result]}`, "");
    for (const reason of r.policy.reasons) out.push(`- ${esc(reason)}`);
    if (r.policy.reasons.length) out.push("");
    if (r.policy.grades && Object.keys(r.policy.grades).length) {
      out.push("| component | grade |", "|---|---|");
      for (const [comp, grade] of Object.entries(r.policy.grades)) out.push(`| ${esc(comp)} | ${esc(grade)} |`);
      out.push("");
    }
    const ranked = r.matches.slice(0, 10);
    if (!ranked.length) {
      out.push("No registry entry shares comparable weights with this model.", "");
      continue;
    }
    out.push("| registry entry | verdict | confidence | strongest component | reason |", "|---|---|---:|---|---|");
    for (const m of ranked) {
      const top = [...m.components].sort((x, y) => y.score - x.score)[0];
      out.push(`| ${code(m.entry)} | ${BADGE[m.verdict]} | ${num2(m.confidence, 3)} | ${esc(top?.name ?? "–")} | ${esc(m.reason)} |`);
    }
    out.push("");
    const first = ranked[0];
    if (first.verdict === "derived" || first.verdict === "identical") {
      out.push("<details open><summary>Closest match in detail</summary>", "", renderCompareMarkdown(first, { heading: "####" }), "", "</details>", "");
    }
  }
  return truncateMarkdown(out.join("\n"), opts.maxLength ?? 65e3, opts.summaryUrl);
}
var BADGE, POLICY_BADGE;
var init_markdown = __esm({
  "src/report/markdown.ts"() {
    "use strict";
    init_truncate();
    BADGE = {
      identical: "🟥 identical",
      derived: "🟧 derived",
      independent: "🟩 independent",
      inconclusive: "⬜ inconclusive"
    };
    POLICY_BADGE = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ fail" };
  }
});

// src/cli/commands/compare.ts
var compare_exports = {};
__export(compare_exports, {
  compareCommand: () => compareCommand
});
import { parseArgs as parseArgs2 } from "node:util";
async function compareCommand(argv) {
  const { values, positionals } = parseArgs2({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      markdown: { type: "boolean" },
      output: { type: "string", short: "o" },
      sample: { type: "string" },
      quiet: { type: "boolean", short: "q" }
    }
  });
  if (positionals.length !== 2) throw usageError("compare takes two models or fingerprint files: compare <A> <B>");
  const k = values.sample !== void 0 ? Number(values.sample) : void 0;
  const docs = [];
  for (const spec of positionals) {
    const progress = progressReporter(`fingerprint ${spec}`, { quiet: values.quiet });
    docs.push(await loadFingerprint(spec, { k, onProgress: progress.update, runFull: parallelFullFingerprint() }));
    progress.stop();
  }
  const result = compareModels(docs[0], docs[1]);
  const text = values.json ? JSON.stringify(result, null, 2) : values.markdown ? renderCompareMarkdown(result) : compareSummary(result);
  if (values.output) await writeFileAtomic(values.output, text + "\n");
  process.stdout.write(text + "\n");
  return 0;
}
var init_compare2 = __esm({
  "src/cli/commands/compare.ts"() {
    "use strict";
    init_sources();
    init_compare();
    init_markdown();
    init_text();
    init_io();
    init_usage();
    init_parallel();
  }
});

// src/policy/tclass.ts
var T_CLASS_2, PRESETS;
var init_tclass = __esm({
  "src/policy/tclass.ts"() {
    "use strict";
    T_CLASS_2 = {
      name: "T-Class 2.0",
      rules: [
        { grade: "T3", label: "expansion or merge", when: { verdict: { op: "in", values: ["identical", "derived"] }, expanded: { op: "==", value: true } } },
        { grade: "T3", label: "expansion or merge", when: { verdict: { op: "in", values: ["identical", "derived"] }, merged: { op: "==", value: true } } },
        { grade: "T1", label: "fine-tune", when: { verdict: { op: "in", values: ["identical", "derived"] }, median_r: { op: ">=", value: 0.8 } } },
        { grade: "T2", label: "continued pretraining", when: { verdict: { op: "in", values: ["identical", "derived"] } } },
        { grade: "T4-1", label: "own weights, borrowed architecture (same config)", when: { config: { op: "==", value: "same" } } },
        { grade: "T4-2", label: "own weights, borrowed architecture (modified)", when: { config: { op: "==", value: "modified" } } },
        { grade: "T4-2", label: "own weights, borrowed tokenizer", when: { tokenizer: { op: "in", values: ["identical", "same", "extends"] } } },
        { grade: "T5", label: "own architecture and tokenizer", when: {} }
      ]
    };
    PRESETS = {
      "t-class-2.0": T_CLASS_2
    };
  }
});

// src/policy/types.ts
var CATEGORIES, GRADE_FIELDS;
var init_types3 = __esm({
  "src/policy/types.ts"() {
    "use strict";
    CATEGORIES = [
      "identical",
      "derived",
      "identical-undeclared",
      "identical-declared",
      "derived-undeclared",
      "derived-declared",
      "allowed-reuse",
      "tokenizer-reuse",
      "config-reuse",
      "declared-unsupported",
      "inconclusive"
    ];
    GRADE_FIELDS = [
      "verdict",
      "median_r",
      "exact_share",
      "score",
      "confidence",
      "expanded",
      "merged",
      "config",
      "tokenizer",
      "kind",
      "component",
      "license",
      "family",
      "declared"
    ];
  }
});

// src/policy/load.ts
import { readFile as readFile3 } from "node:fs/promises";
async function loadPolicy(path) {
  let text;
  try {
    text = await readFile3(path, "utf8");
  } catch (err2) {
    const code2 = err2.code;
    throw new InputError(path, code2 === "ENOENT" ? "no such file" : `cannot read (${code2 ?? String(err2)})`);
  }
  return parsePolicy(text, path);
}
function parsePolicy(text, source) {
  let doc;
  try {
    doc = (0, import_yaml2.parse)(text, { uniqueKeys: true });
  } catch (err2) {
    throw new InputError(source, `not valid YAML: ${(err2 instanceof Error ? err2.message : String(err2)).split("\n")[0]}`);
  }
  if (doc === null || doc === void 0) return { ...DEFAULT_POLICY, source };
  const fail = (key, problem) => new InputError(source, `${key}: ${problem}`);
  if (!isRecord3(doc)) throw new InputError(source, "a policy must be a mapping of keys (min-confidence, fail-on, warn-on, allow, exit-codes, grades)");
  for (const k of Object.keys(doc)) if (!TOP_KEYS.includes(k)) throw fail(k, `unknown key (known: ${TOP_KEYS.join(", ")})`);
  if (doc.version !== void 0 && doc.version !== 1) throw fail("version", "only version 1 is defined");
  const policy = { ...DEFAULT_POLICY, source, allow: [] };
  if (doc["min-confidence"] !== void 0) {
    const v = doc["min-confidence"];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw fail("min-confidence", "must be a number from 0 to 1");
    policy.minConfidence = v;
  }
  if (doc["fail-on"] !== void 0) policy.failOn = categories(doc["fail-on"], "fail-on", fail);
  if (doc["warn-on"] !== void 0) policy.warnOn = categories(doc["warn-on"], "warn-on", fail);
  if (doc.allow !== void 0) policy.allow = allowRules(doc.allow, fail);
  if (doc["exit-codes"] !== void 0) policy.exitCodes = exitCodes(doc["exit-codes"], fail);
  if (doc.grades !== void 0) policy.grades = gradeScale(doc.grades, fail);
  return policy;
}
function categories(v, key, fail) {
  const list2 = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list2)) throw fail(key, "must be a list of finding categories");
  return list2.map((c, i) => {
    if (typeof c !== "string" || !CATEGORIES.includes(c)) {
      throw fail(`${key}[${i}]`, `unknown category ${JSON.stringify(c)} (known: ${CATEGORIES.join(", ")})`);
    }
    return c;
  });
}
function stringList(v, key, fail) {
  const list2 = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list2) || !list2.every((x) => typeof x === "string" && x !== "")) throw fail(key, "must be a list of non-empty strings");
  return list2;
}
function allowRules(v, fail) {
  if (!Array.isArray(v)) throw fail("allow", "must be a list of rules");
  const keys = ["component", "licenses", "families", "entries", "require-declared"];
  return v.map((r, i) => {
    const at = `allow[${i}]`;
    if (!isRecord3(r)) throw fail(at, "must be a mapping");
    for (const k of Object.keys(r)) if (!keys.includes(k)) throw fail(`${at}.${k}`, `unknown key (known: ${keys.join(", ")})`);
    const rule = { requireDeclared: true };
    if (r.component !== void 0) {
      if (typeof r.component !== "string" || !r.component) throw fail(`${at}.component`, "must be a component name or kind");
      rule.component = r.component;
    }
    if (r.licenses !== void 0) rule.licenses = stringList(r.licenses, `${at}.licenses`, fail);
    if (r.families !== void 0) rule.families = stringList(r.families, `${at}.families`, fail);
    if (r.entries !== void 0) rule.entries = stringList(r.entries, `${at}.entries`, fail);
    if (r["require-declared"] !== void 0) {
      if (typeof r["require-declared"] !== "boolean") throw fail(`${at}.require-declared`, "must be true or false");
      rule.requireDeclared = r["require-declared"];
    }
    return rule;
  });
}
function exitCodes(v, fail) {
  if (!isRecord3(v)) throw fail("exit-codes", "must map pass, warn and fail to exit codes");
  const out = { ...DEFAULT_POLICY.exitCodes };
  for (const [k, code2] of Object.entries(v)) {
    if (k === "bad-input" || k === "error") throw fail(`exit-codes.${k}`, "bad input always exits 2");
    if (!["pass", "warn", "fail"].includes(k)) throw fail(`exit-codes.${k}`, "unknown key (known: pass, warn, fail)");
    if (typeof code2 !== "number" || !Number.isInteger(code2) || code2 < 0 || code2 > 125 || code2 === 2) {
      throw fail(`exit-codes.${k}`, "must be an integer from 0 to 125 other than 2 (reserved for bad input)");
    }
    out[k] = code2;
  }
  return out;
}
function gradeScale(v, fail) {
  if (typeof v === "string") v = { preset: v };
  if (!isRecord3(v)) throw fail("grades", "must be a preset name or a mapping with name and rules");
  for (const k of Object.keys(v)) if (!["preset", "name", "rules"].includes(k)) throw fail(`grades.${k}`, "unknown key (known: preset, name, rules)");
  if (v.preset !== void 0) {
    if (v.rules !== void 0) throw fail("grades", "give either preset or rules, not both");
    const preset = typeof v.preset === "string" ? PRESETS[v.preset.toLowerCase()] : void 0;
    if (!preset) throw fail("grades.preset", `unknown preset ${JSON.stringify(v.preset)} (known: ${Object.keys(PRESETS).join(", ")})`);
    return preset;
  }
  if (typeof v.name !== "string" || !v.name) throw fail("grades.name", "must name the scale");
  if (!Array.isArray(v.rules) || v.rules.length === 0) throw fail("grades.rules", "must be a non-empty list");
  return { name: v.name, rules: v.rules.map((r, i) => gradeRule(r, `grades.rules[${i}]`, fail)) };
}
function gradeRule(r, at, fail) {
  if (!isRecord3(r)) throw fail(at, "must be a mapping with grade and when");
  for (const k of Object.keys(r)) if (!["grade", "label", "when"].includes(k)) throw fail(`${at}.${k}`, "unknown key (known: grade, label, when)");
  if (typeof r.grade !== "string" || !r.grade) throw fail(`${at}.grade`, "must be a non-empty string");
  if (r.label !== void 0 && typeof r.label !== "string") throw fail(`${at}.label`, "must be a string");
  const when = r.when ?? {};
  if (!isRecord3(when)) throw fail(`${at}.when`, "must be a mapping of field: condition");
  const conds = {};
  for (const [field, spec] of Object.entries(when)) {
    if (!GRADE_FIELDS.includes(field)) throw fail(`${at}.when.${field}`, `unknown field (known: ${GRADE_FIELDS.join(", ")})`);
    conds[field] = condition(spec, `${at}.when.${field}`, fail);
  }
  return { grade: r.grade, ...r.label ? { label: r.label } : {}, when: conds };
}
function condition(spec, at, fail) {
  const scalar = (x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean";
  if (Array.isArray(spec)) {
    if (!spec.length || !spec.every(scalar)) throw fail(at, "a list must hold strings, numbers or booleans");
    return { op: "in", values: spec };
  }
  if (typeof spec === "string") {
    const m = OP_RE.exec(spec);
    if (m) {
      const raw = m[2];
      const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw === "true" ? true : raw === "false" ? false : raw;
      if (["<", "<=", ">", ">="].includes(m[1]) && typeof value !== "number") throw fail(at, `${m[1]} needs a number, got ${JSON.stringify(raw)}`);
      return { op: m[1], value };
    }
    return { op: "==", value: spec };
  }
  if (scalar(spec)) return { op: "==", value: spec };
  throw fail(at, 'must be a value, a list of values, or a comparison such as ">= 0.8"');
}
function isRecord3(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
var import_yaml2, DEFAULT_POLICY, TOP_KEYS, OP_RE;
var init_load = __esm({
  "src/policy/load.ts"() {
    "use strict";
    import_yaml2 = __toESM(require_dist(), 1);
    init_errors();
    init_tclass();
    init_types3();
    DEFAULT_POLICY = {
      source: "(default policy)",
      minConfidence: 0.99,
      failOn: ["derived-undeclared", "identical-undeclared"],
      warnOn: ["derived-declared", "identical-declared", "declared-unsupported", "tokenizer-reuse"],
      allow: [],
      exitCodes: { pass: 0, warn: 0, fail: 1 }
    };
    TOP_KEYS = ["version", "min-confidence", "fail-on", "warn-on", "allow", "exit-codes", "grades", "models"];
    OP_RE = /^\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/;
  }
});

// src/policy/evidence.ts
function tokenizerStrength(ev, ancestor = false) {
  return 2 * TOKENIZER_RANK[tokenizerRelation(ev, ancestor)] + (ev.sameAddedTokens ? 1 : 0);
}
function tokenizerRelation(ev, ancestor = false) {
  if (!ev.comparable) return "unrelated";
  if (ev.identical) return "identical";
  const j = ev.jaccard?.estimate ?? 0;
  if (ancestor) return j >= 0.95 ? "same" : "unrelated";
  if (j >= 0.95) return "same";
  if ((ev.containment?.aInB ?? 0) >= 0.95) return "extends";
  if ((ev.containment?.bInA ?? 0) >= 0.95) return "subset";
  return j >= 0.3 ? "overlaps" : "unrelated";
}
function configRelation(cmp2, a, b, kind) {
  if (!cmp2 || !a.config || !b.config) return "unknown";
  if (kind === "vision" || kind === "audio" || kind === "projector") {
    const re = kind === "audio" ? /audio/ : /vision|visual/;
    const subs = cmp2.subConfigMatches.filter((m) => re.test(m.key) && m.a !== void 0 && m.b !== void 0);
    if (subs.some((m) => m.sameArchitecture)) return "same";
    if (subs.some((m) => m.sameModelType || m.consistent)) return "modified";
    return "different";
  }
  if (cmp2.sameArchitecture) return "same";
  const text = cmp2.subConfigMatches.filter((m) => /text_config/.test(m.key) && m.a !== void 0 && m.b !== void 0);
  if (text.some((m) => m.sameArchitecture || m.key.includes("↔") && m.consistent)) return "same";
  if (a.config.modelType !== void 0 && a.config.modelType === b.config.modelType) return "modified";
  if (text.some((m) => m.sameModelType)) return "modified";
  return "different";
}
function learnedComponents(fp) {
  return fp.components.filter((c) => c.tensors.some((i) => classifyTensor2(fp.tensors[i]).cls === "learned"));
}
function componentParams(doc, name) {
  const c = doc.components.find((x) => x.prefix === name || x.name === name);
  return c?.parameters;
}
function componentEvidence(model, compared) {
  const declaredBases = model.card?.baseModel ?? [];
  const out = [];
  for (const comp of learnedComponents(model)) {
    const ev = {
      component: comp.name,
      kind: comp.kind,
      verdict: "none",
      expanded: false,
      merged: false,
      config: model.config ? "different" : "unknown",
      tokenizer: model.tokenizer && TEXT_KINDS.has(comp.kind) ? "unrelated" : "unknown",
      declared: false
    };
    let best;
    const derivedFamilies = /* @__PURE__ */ new Set();
    let tokStrength = -1;
    let tokFamily;
    for (const x of compared) {
      const c = x.result.components.find((r) => r.name === comp.name);
      if (c) {
        if (!best || VERDICT_STRENGTH[c.verdict] > VERDICT_STRENGTH[best.c.verdict] || c.verdict === best.c.verdict && c.score > best.c.score) best = { c, x };
        if (c.verdict === "derived" || c.verdict === "identical") derivedFamilies.add(x.entry.family);
      }
      if (TEXT_KINDS.has(comp.kind) && x.result.tokenizer) {
        const t = x.result.tokenizer;
        const rel = tokenizerRelation(t, x.entry.ancestor);
        const strength = tokenizerStrength(t, x.entry.ancestor);
        if (TOKENIZER_RANK[rel] > TOKENIZER_RANK.unrelated && strength > tokStrength) {
          tokStrength = strength;
          ev.tokenizer = rel;
          ev.tokenizerEntry = x.entry.id;
          tokFamily = x.entry.family;
        }
      }
    }
    for (const x of compared) {
      const cfg = configRelation(x.result.config, x.doc, model, comp.kind);
      const better = CONFIG_RANK[cfg] > CONFIG_RANK[ev.config] || CONFIG_RANK[cfg] === CONFIG_RANK[ev.config] && cfg !== "different" && cfg !== "unknown" && tokFamily !== void 0 && x.entry.family === tokFamily && compared.find((y) => y.entry.id === ev.configEntry)?.entry.family !== tokFamily;
      if (better) {
        ev.config = cfg;
        ev.configEntry = x.entry.id;
      }
    }
    if (best) {
      const { c, x } = best;
      ev.verdict = c.verdict;
      ev.entry = x.entry.id;
      ev.family = x.entry.family;
      ev.license = x.entry.license;
      ev.median_r = c.median_r;
      ev.exact_share = c.exact_share;
      ev.score = c.score;
      ev.confidence = Math.max(0, Math.min(1, 1 - c.p_value));
      ev.declared = declaredBases.some((b) => sameHubId(b, x.entry.id));
      if (c.verdict === "derived" || c.verdict === "identical") {
        const a = componentParams(x.doc, c.a);
        ev.expanded = a !== void 0 && a > 0 && comp.parameters > EXPANSION_RATIO * a;
        ev.merged = derivedFamilies.size > 1;
      }
    }
    out.push(ev);
  }
  return out;
}
var EXPANSION_RATIO, TOKENIZER_RANK, CONFIG_RANK, TEXT_KINDS;
var init_evidence = __esm({
  "src/policy/evidence.ts"() {
    "use strict";
    init_classify();
    init_lineage();
    init_types2();
    EXPANSION_RATIO = 1.15;
    TOKENIZER_RANK = {
      identical: 6,
      same: 5,
      extends: 4,
      subset: 3,
      overlaps: 2,
      unrelated: 1,
      unknown: 0
    };
    CONFIG_RANK = { same: 3, modified: 2, different: 1, unknown: 0 };
    TEXT_KINDS = /* @__PURE__ */ new Set(["text", "embeddings", "head", "other"]);
  }
});

// src/policy/evaluate.ts
function fmt3(x, d = 2) {
  return x === void 0 || !Number.isFinite(x) ? "–" : x.toFixed(d);
}
function licenceMatches(licence, allowed) {
  const l = (licence ?? "").toLowerCase();
  return allowed.some((a) => {
    const x = a.toLowerCase();
    return l === x || l.startsWith(`${x} `) || l.startsWith(`${x}(`);
  });
}
function componentMatches(rule, ev) {
  if (!rule.component) return true;
  const c = rule.component.toLowerCase();
  return ev.kind === c || ev.component.toLowerCase() === c || ev.component.toLowerCase().includes(c);
}
function allowedBy(rules, ev) {
  return rules.find((r) => componentMatches(r, ev) && (!r.licenses || licenceMatches(ev.license, r.licenses)) && (!r.families || r.families.some((f) => f.toLowerCase() === (ev.family ?? "").toLowerCase())) && (!r.entries || r.entries.includes(ev.entry ?? "")) && (!r.requireDeclared || ev.declared));
}
function evaluatePolicy(policy, input) {
  const findings = [];
  for (const ev of input.components) {
    if (ev.verdict !== "derived" && ev.verdict !== "identical") continue;
    const numbers = `median r ${fmt3(ev.median_r)}, exact ${Math.round(100 * (ev.exact_share ?? 0))} %, confidence ${fmt3(ev.confidence, 4)}`;
    const what = `${ev.component} is ${ev.verdict === "identical" ? "a copy of" : "derived from"} ${ev.entry} (${ev.family}, ${ev.license})`;
    if ((ev.confidence ?? 0) < policy.minConfidence) {
      findings.push({ categories: [], text: `${what} — below min-confidence ${policy.minConfidence} (${numbers}), not acted on` });
      continue;
    }
    const allow = allowedBy(policy.allow, ev);
    if (allow) {
      findings.push({ categories: ["allowed-reuse"], text: `${what} — allowed reuse${ev.declared ? ", declared in base_model" : ""} (${numbers})` });
      continue;
    }
    const decl = ev.declared ? "declared" : "undeclared";
    findings.push({
      categories: [ev.verdict, `${ev.verdict}-${decl}`],
      text: `${what} — ${ev.declared ? "declared in base_model" : "not declared in base_model"} (${numbers})`
    });
  }
  for (const u of input.lineage?.unsupported ?? []) {
    findings.push({ categories: ["declared-unsupported"], text: `base_model declares ${u.base}, but the weights show no derivation (${u.comparisons.map((c) => `${c.component ? `${c.component}: ` : ""}${c.verdict}`).join(", ")})` });
  }
  if (input.tokenizerMatch && ["identical", "same", "extends"].includes(input.tokenizerMatch.relation)) {
    const t = input.tokenizerMatch;
    findings.push({ categories: ["tokenizer-reuse"], text: `tokenizer ${t.relation === "extends" ? "extends" : t.relation === "same" ? "is essentially" : "is identical to"} ${t.entry} (${t.family})` });
  }
  if (input.configMatch) {
    findings.push({ categories: ["config-reuse"], text: `config.json states the same architecture as ${input.configMatch.entry} (${input.configMatch.family}); context only, never evidence on its own` });
  }
  if (input.verdict === "inconclusive") findings.push({ categories: ["inconclusive"], text: "no registry entry could be judged conclusively" });
  const reasons = [];
  let result = "pass";
  for (const f of findings) {
    const failing = f.categories.filter((c) => policy.failOn.includes(c));
    const warning = f.categories.filter((c) => policy.warnOn.includes(c));
    if (failing.length) {
      result = "fail";
      reasons.push(`fail (${failing[failing.length - 1]}): ${f.text}`);
    } else if (warning.length) {
      if (result === "pass") result = "warn";
      reasons.push(`warn (${warning[warning.length - 1]}): ${f.text}`);
    } else reasons.push(`info${f.categories.length ? ` (${f.categories[f.categories.length - 1]})` : ""}: ${f.text}`);
  }
  const out = { result, reasons };
  if (policy.grades) out.grades = gradeComponents(policy.grades, input.components);
  return out;
}
function gradeComponents(scale, components) {
  const grades = {};
  for (const ev of components) {
    const rule = scale.rules.find((r) => Object.entries(r.when).every(([f, c]) => test(c, valueOf(ev, f))));
    if (!rule) {
      grades[ev.component] = "ungraded";
      continue;
    }
    const fields = Object.keys(rule.when);
    const from = fields.includes("verdict") || fields.includes("expanded") || fields.includes("merged") ? ev.entry : fields.includes("config") ? ev.configEntry : fields.includes("tokenizer") ? ev.tokenizerEntry : void 0;
    grades[ev.component] = `${rule.grade}${rule.label ? ` — ${rule.label}` : ""}${from ? `: ${from}` : ""}`;
  }
  return grades;
}
function valueOf(ev, f) {
  return ev[f];
}
function test(c, v) {
  if (v === void 0) return false;
  if (c.op === "in") return c.values.some((x2) => x2 === v || typeof x2 === "string" && typeof v === "string" && x2.toLowerCase() === v.toLowerCase());
  const x = c.value;
  switch (c.op) {
    case "==":
      return typeof x === "string" && typeof v === "string" ? x.toLowerCase() === v.toLowerCase() : x === v;
    case "!=":
      return typeof x === "string" && typeof v === "string" ? x.toLowerCase() !== v.toLowerCase() : x !== v;
    default: {
      if (typeof v !== "number" || typeof x !== "number") return false;
      return c.op === "<" ? v < x : c.op === "<=" ? v <= x : c.op === ">" ? v > x : v >= x;
    }
  }
}
var init_evaluate = __esm({
  "src/policy/evaluate.ts"() {
    "use strict";
  }
});

// src/registry/builtin.ts
import { existsSync as existsSync2 } from "node:fs";
import { dirname as dirname3, join as join4 } from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
function builtinRegistryDir(from = fileURLToPath2(import.meta.url)) {
  const env = process.env.WEIGHTPRINT_BUILTIN_REGISTRY;
  if (env) return existsSync2(join4(env, "index.json")) ? env : void 0;
  let dir = dirname3(from);
  for (let i = 0; i < 8; i++) {
    const candidate = join4(dir, BUILTIN_RELATIVE);
    if (existsSync2(join4(candidate, "index.json"))) return candidate;
    const parent = dirname3(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return void 0;
}
var BUILTIN_RELATIVE;
var init_builtin = __esm({
  "src/registry/builtin.ts"() {
    "use strict";
    BUILTIN_RELATIVE = join4("registry", "builtin");
  }
});

// src/registry/keys.ts
import { createHash as createHash4 } from "node:crypto";
function h(text, n = 8) {
  return createHash4("sha256").update(text).digest("hex").slice(0, n);
}
function shapeKey(shape2) {
  return h(`shape:${[...shape2].sort((a, b) => a - b).join("x")}`);
}
function exactShapeKey(shape2) {
  return h(`exact:${shape2.join("x")}`);
}
function learned(doc) {
  return doc.tensors.map((t, i) => ({ t, i })).filter(({ t }) => classifyTensor2(t).cls === "learned");
}
function signSketch(t) {
  if (!t.sample || t.sample.rows * t.sample.cols < SKETCH_BITS) return void 0;
  const q3 = decodeQ(t.sample.q);
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 32; i++) {
    hi = hi << 1 | (q3[i] > 0 ? 1 : 0);
    lo = lo << 1 | (q3[32 + i] > 0 ? 1 : 0);
  }
  return (hi >>> 0).toString(16).padStart(8, "0") + (lo >>> 0).toString(16).padStart(8, "0");
}
function perComponent(doc, limit) {
  const isLearned = new Set(learned(doc).map(({ i }) => i));
  const out = [];
  const groups = doc.components.length ? doc.components.map((c) => c.tensors) : [doc.tensors.map((_, i) => i)];
  for (const idx of groups) {
    const picked = idx.filter((i) => isLearned.has(i)).map((i) => doc.tensors[i]).sort((a, b) => numel(b.shape) - numel(a.shape) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, limit);
    out.push(...picked);
  }
  return out;
}
function digestsOf(tensors) {
  const out = /* @__PURE__ */ new Set();
  for (const t of tensors) {
    if (t.sha256) out.add(t.sha256.slice(0, PREFIX));
    if (t.valueDigest) out.add(t.valueDigest.slice(0, PREFIX));
  }
  return [...out].sort();
}
function sketchesOf(tensors) {
  const out = /* @__PURE__ */ new Set();
  for (const t of tensors) {
    const s = signSketch(t);
    if (s) out.add(`${exactShapeKey(t.shape)}:${s}`);
  }
  return [...out].sort();
}
function shapesOf(doc) {
  const byKey = /* @__PURE__ */ new Map();
  let total = 0;
  for (const { t } of learned(doc)) {
    const n = numel(t.shape);
    total += n;
    byKey.set(shapeKey(t.shape), (byKey.get(shapeKey(t.shape)) ?? 0) + n);
  }
  const out = {};
  for (const [k, n] of [...byKey.entries()].sort((a, b) => a[0] < b[0] ? -1 : 1)) {
    out[k] = Math.max(1e-4, Number((n / total).toFixed(4)));
  }
  return out;
}
function tokenizerKeys(doc) {
  const sig = doc.tokenizer;
  if (!sig) return void 0;
  const bytes = Buffer.from(sig.tokens.hashes, "base64");
  const mini = bytes.subarray(0, Math.min(bytes.length, MINI_TOKENS * 8)).toString("base64");
  return { v: sig.vocabDigest.slice(0, PREFIX), m: mini, n: sig.tokenCount, c: sig.convention };
}
function configKeys(doc) {
  const c = doc.config;
  if (!c?.archDigest) return void 0;
  const sub = (c.subConfigs ?? []).map((s) => s.archDigest.slice(0, PREFIX));
  return { a: c.archDigest.slice(0, PREFIX), ...c.modelType ? { mt: c.modelType } : {}, ...sub.length ? { sub } : {} };
}
function entryKeys(doc) {
  const keys = {};
  const s = shapesOf(doc);
  if (Object.keys(s).length) keys.s = s;
  const d = digestsOf(perComponent(doc, DIGESTS_PER_COMPONENT));
  if (d.length) keys.d = d;
  const sk = sketchesOf(perComponent(doc, SKETCHES_PER_COMPONENT));
  if (sk.length) keys.h = sk;
  const t = tokenizerKeys(doc);
  if (t) keys.t = t;
  const c = configKeys(doc);
  if (c) keys.c = c;
  return keys;
}
function queryKeys(doc) {
  const all = learned(doc).map(({ t }) => t);
  const sketches = /* @__PURE__ */ new Map();
  for (const t of all) {
    const s = signSketch(t);
    if (!s) continue;
    const k = exactShapeKey(t.shape);
    push(sketches, k, BigInt(`0x${s}`));
  }
  return {
    shapes: shapesOf(doc),
    digests: new Set(digestsOf(all)),
    sketches,
    sampling: `${doc.sampling.k}:${doc.sampling.seed}`,
    tokenizer: tokenizerKeys(doc),
    config: configKeys(doc)
  };
}
function popcount64(x) {
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}
function sketchZ(entrySketches, q3) {
  const zs = [];
  for (const s of entrySketches) {
    const [shape2, bits] = s.split(":");
    const mine = q3.sketches.get(shape2);
    if (!mine || !bits) continue;
    const e = BigInt(`0x${bits}`);
    let best = 0;
    for (const b of mine) best = Math.max(best, SKETCH_BITS - popcount64(e ^ b));
    zs.push((best - SKETCH_BITS / 2) / Math.sqrt(SKETCH_BITS / 4));
  }
  if (!zs.length) return void 0;
  zs.sort((a, b) => a - b);
  return zs[Math.floor(zs.length / 2)];
}
function miniJaccard(a, b) {
  const read = (s) => {
    const buf = Buffer.from(s, "base64");
    const out = [];
    for (let i = 0; i + 8 <= buf.length; i += 8) out.push(buf.readBigUInt64BE(i));
    return out;
  };
  const A = read(a);
  const B = read(b);
  const k = Math.min(A.length, B.length);
  if (k === 0) return 0;
  const setA = new Set(A);
  const setB = new Set(B);
  const union = [.../* @__PURE__ */ new Set([...A, ...B])].sort((x, y) => x < y ? -1 : x > y ? 1 : 0).slice(0, k);
  return union.filter((x) => setA.has(x) && setB.has(x)).length / union.length;
}
function comparable(a, b) {
  return a === b || PREFIX_SPACE2.includes(a) && PREFIX_SPACE2.includes(b);
}
function matchEntry(entry, q3) {
  const k = entry.shortlist;
  const reasons = [];
  let score = 0;
  if (entry.kind === "weights") {
    const hits = (k.d ?? []).filter((d) => q3.digests.has(d)).length;
    if (hits) {
      reasons.push(`${hits} shared tensor digest(s)`);
      score += 1e3 + hits;
    }
    let entryShare = 0;
    let queryShare = 0;
    for (const [key, share] of Object.entries(k.s ?? {})) {
      if (q3.shapes[key] === void 0) continue;
      entryShare += share;
      queryShare += q3.shapes[key];
    }
    const shapeShare = Math.max(entryShare, queryShare);
    const z = k.h && (entry.sampling === void 0 || entry.sampling === q3.sampling) ? sketchZ(k.h, q3) : void 0;
    if (shapeShare >= MIN_SHAPE_SHARE) {
      reasons.push(`shapes in common: ${Math.round(100 * entryShare)} % of the entry's learned parameters, ${Math.round(100 * queryShare)} % of the model's`);
      score += shapeShare;
      if (z !== void 0) {
        reasons.push(`sign-sketch agreement z ${z.toFixed(1)}`);
        score += 10 * Math.max(0, z);
      }
    }
  }
  if (k.t && q3.tokenizer && comparable(k.t.c, q3.tokenizer.c)) {
    if (k.t.v === q3.tokenizer.v) {
      reasons.push("identical vocabulary");
      score += entry.kind === "tokenizer" ? 100 : 0;
    } else if (entry.kind === "tokenizer") {
      const j = miniJaccard(k.t.m, q3.tokenizer.m);
      if (j >= MIN_TOKEN_JACCARD) {
        reasons.push(`token overlap ≈ ${j.toFixed(2)}`);
        score += 10 * j;
      }
    }
  }
  if (k.c && q3.config && entry.kind === "config") {
    if (k.c.a === q3.config.a) {
      reasons.push("same architecture config");
      score += 50;
    } else if (k.c.sub?.some((s) => q3.config.sub?.includes(s) || s === q3.config.a)) {
      reasons.push("same sub-config architecture");
      score += 40;
    } else if (k.c.mt && k.c.mt === q3.config.mt) {
      reasons.push(`same model_type ${k.c.mt}`);
      score += 5;
    }
  }
  if (entry.kind === "weights" && !reasons.some((r) => /digest|shapes/.test(r))) return void 0;
  return reasons.length ? { entry, reasons, score } : void 0;
}
var DIGESTS_PER_COMPONENT, SKETCHES_PER_COMPONENT, SKETCH_BITS, MINI_TOKENS, MIN_SHAPE_SHARE, MIN_TOKEN_JACCARD, STRONG_SKETCH_Z, PREFIX, PREFIX_SPACE2;
var init_keys = __esm({
  "src/registry/keys.ts"() {
    "use strict";
    init_classify();
    init_shape();
    init_collections();
    init_sample();
    DIGESTS_PER_COMPONENT = 16;
    SKETCHES_PER_COMPONENT = 8;
    SKETCH_BITS = 64;
    MINI_TOKENS = 64;
    MIN_SHAPE_SHARE = 0.05;
    MIN_TOKEN_JACCARD = 0.1;
    STRONG_SKETCH_Z = 4;
    PREFIX = 16;
    PREFIX_SPACE2 = ["byte-level", "metaspace", "bytes", "raw"];
  }
});

// src/registry/store.ts
import { createHash as createHash5 } from "node:crypto";
import { readFile as readFile4 } from "node:fs/promises";
import { isAbsolute as isAbsolute2, join as join5, normalize as normalize2 } from "node:path";
import { gunzipSync } from "node:zlib";
function isUrl(location) {
  return /^https?:\/\//i.test(location);
}
function checkRelative(rel, where) {
  if (rel === "" || isAbsolute2(rel) || /^[a-z]+:/i.test(rel) || rel.includes("\\") || normalize2(rel).split("/").includes("..")) {
    throw new InputError(where, `file path ${JSON.stringify(rel)} must be relative and stay inside the registry`);
  }
}
function dirStore(dir) {
  return {
    location: dir,
    describe: (rel) => join5(dir, rel),
    async read(rel) {
      try {
        return await readFile4(join5(dir, rel));
      } catch (err2) {
        const code2 = err2.code;
        if (code2 === "ENOENT" || code2 === "ENOTDIR") return void 0;
        throw new InputError(join5(dir, rel), `cannot read (${code2 ?? String(err2)})`);
      }
    }
  };
}
function urlStore(base2, http = {}) {
  const root = base2.endsWith("/") ? base2 : `${base2}/`;
  const client = new HttpClient(http);
  return {
    location: base2,
    describe: (rel) => new URL(rel, root).toString(),
    async read(rel) {
      const url = new URL(rel.split("/").map(encodeURIComponent).join("/"), root).toString();
      try {
        const r = await client.request(url, { id: url, maxBody: MAX_FILE_BYTES, allowMissing: true });
        return r.body;
      } catch (err2) {
        if (err2 instanceof Missing) return void 0;
        throw err2;
      }
    }
  };
}
function openStore(location, http = {}) {
  return isUrl(location) ? urlStore(location, http) : dirStore(location);
}
function sha256Hex2(bytes) {
  return createHash5("sha256").update(bytes).digest("hex");
}
function decodeStored(bytes, where) {
  let raw = bytes;
  if (bytes[0] === 31 && bytes[1] === 139) {
    try {
      raw = gunzipSync(bytes);
    } catch {
      throw new InputError(where, "corrupt gzip data");
    }
  }
  return new TextDecoder().decode(raw);
}
var MAX_FILE_BYTES;
var init_store = __esm({
  "src/registry/store.ts"() {
    "use strict";
    init_errors();
    init_http_source();
    MAX_FILE_BYTES = 512 * 1024 * 1024;
  }
});

// src/registry/types.ts
var REGISTRY_SCHEMA;
var init_types4 = __esm({
  "src/registry/types.ts"() {
    "use strict";
    REGISTRY_SCHEMA = "weightprint.registry/1";
  }
});

// src/registry/registry.ts
async function readEntry2(l) {
  const where = l.store.describe(l.entry.file);
  let bytes;
  try {
    bytes = await l.store.read(l.entry.file);
  } catch (err2) {
    return { problem: err2 instanceof Error ? err2.message : String(err2) };
  }
  if (!bytes) return { problem: `file ${where} is missing` };
  const actual = sha256Hex2(bytes);
  if (actual !== l.entry.sha256) {
    return { problem: `SHA-256 of ${where} is ${actual.slice(0, 12)}…, the index says ${l.entry.sha256.slice(0, 12)}… (corrupted or tampered)` };
  }
  try {
    const doc = asFingerprint(JSON.parse(decodeStored(bytes, where)), where);
    return { doc };
  } catch (err2) {
    return { problem: err2 instanceof InputError ? err2.message : `${where}: not valid JSON` };
  }
}
async function readIndex(store, warnings) {
  const where = store.describe("index.json");
  const bytes = await store.read("index.json");
  if (!bytes) throw new InputError(store.location, "not a registry: no index.json");
  let json;
  try {
    json = JSON.parse(decodeStored(bytes, where));
  } catch (err2) {
    throw new InputError(where, err2 instanceof InputError ? err2.problem : "not valid JSON");
  }
  const index = json;
  if (index?.schema !== REGISTRY_SCHEMA) {
    throw new InputError(where, `schema must be "${REGISTRY_SCHEMA}" (got ${JSON.stringify(index?.schema ?? null)})`);
  }
  if (!Array.isArray(index.entries)) throw new InputError(where, '"entries" must be an array');
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  index.entries.forEach((e, i) => {
    const problem = entryProblem(e);
    if (problem) {
      warnings.push(`${where}: entries[${i}] skipped: ${problem}`);
      return;
    }
    const entry = e;
    try {
      checkRelative(entry.file, where);
    } catch (err2) {
      warnings.push(`${where}: entry ${entry.id} skipped: ${err2.problem}`);
      return;
    }
    if (seen.has(entry.id)) warnings.push(`${where}: entry ${entry.id} appears twice; the last one is used`);
    seen.add(entry.id);
    out.push(entry);
  });
  return out;
}
function entryProblem(e) {
  if (typeof e !== "object" || e === null) return "not an object";
  const x = e;
  for (const key of ["id", "file", "family", "license", "schemaVersion"]) {
    if (typeof x[key] !== "string" || x[key] === "") return `"${key}" must be a non-empty string`;
  }
  if (typeof x.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(x.sha256)) return '"sha256" must be 64 hex digits';
  if (typeof x.kind !== "string" || !KINDS.has(x.kind)) return '"kind" must be weights, tokenizer or config';
  if (!Array.isArray(x.components)) return '"components" must be an array';
  if (typeof x.shortlist !== "object" || x.shortlist === null) return '"shortlist" must be an object';
  return void 0;
}
async function openRegistry(location, opts = {}) {
  return openRegistries([location], opts);
}
async function openRegistries(locations, opts = {}) {
  const warnings = [];
  const located = /* @__PURE__ */ new Map();
  for (const location of locations) {
    const store = openStore(location, { ...opts.http, fetch: opts.fetch });
    for (const entry of await readIndex(store, warnings)) {
      const prev = located.get(entry.id);
      if (prev && prev.store !== store) warnings.push(`registry entry ${entry.id} from ${location} overrides the one from ${prev.store.location}`);
      located.set(entry.id, { entry, store });
    }
  }
  return new Registry(locations, [...located.values()], opts.onWarning, warnings);
}
var DEFAULT_MAX_CANDIDATES, KINDS, Registry;
var init_registry = __esm({
  "src/registry/registry.ts"() {
    "use strict";
    init_errors();
    init_validate();
    init_keys();
    init_store();
    init_types4();
    DEFAULT_MAX_CANDIDATES = 64;
    KINDS = /* @__PURE__ */ new Set(["weights", "tokenizer", "config"]);
    Registry = class {
      constructor(locations, located, onWarning, warnings = []) {
        this.locations = locations;
        this.onWarning = onWarning;
        this.byId = /* @__PURE__ */ new Map();
        for (const l of located) this.byId.set(l.entry.id, l);
        for (const w of warnings) this.warn(w);
      }
      locations;
      onWarning;
      /** Entry files fetched (and verified) so far: the benchmark's "proportional to the shortlist". */
      entryFilesLoaded = 0;
      warnings = [];
      byId;
      cache = /* @__PURE__ */ new Map();
      get entries() {
        return [...this.byId.values()].map((l) => l.entry);
      }
      entry(id) {
        return this.byId.get(id)?.entry;
      }
      /** Entries worth comparing with `fp`, strongest first, decided from the index alone. */
      shortlist(fp, opts = {}) {
        const max = opts.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
        const q3 = queryKeys(fp);
        const all = [];
        for (const { entry } of this.byId.values()) {
          const c = matchEntry(entry, q3);
          if (c) all.push(c);
        }
        all.sort((a, b) => b.score - a.score || (a.entry.id < b.entry.id ? -1 : 1));
        const strong = (c) => c.entry.kind !== "weights" || c.score >= 1e3 || c.reasons.some((r) => {
          const z = /sketch agreement z (-?[\d.]+)/.exec(r);
          return z !== null && Number(z[1]) >= STRONG_SKETCH_Z;
        });
        const kept = [];
        let weak2 = 0;
        let dropped = 0;
        for (const c of all) {
          if (strong(c)) kept.push(c);
          else if (weak2++ < max) kept.push(c);
          else dropped++;
        }
        if (dropped) {
          this.warn(`${dropped} more registry entr${dropped === 1 ? "y shares" : "ies share"} tensor shapes with ${fp.source.id} but were not compared (shortlist capped at ${max}; weakest sign-sketch agreement dropped)`);
        }
        return kept;
      }
      /** The entry's fingerprint, or undefined (with a warning) when its file is missing or tampered. */
      async loadEntry(id) {
        if (this.cache.has(id)) return this.cache.get(id) ?? void 0;
        const l = this.byId.get(id);
        if (!l) return void 0;
        const r = await readEntry2(l);
        this.entryFilesLoaded++;
        if ("problem" in r) {
          this.warn(`registry entry ${id} skipped: ${r.problem}`);
          this.cache.set(id, null);
          return void 0;
        }
        this.cache.set(id, r.doc);
        return r.doc;
      }
      /** Reads every entry and checks its hash and contents. */
      async verify() {
        const report = { ok: [], problems: [] };
        for (const l of this.byId.values()) {
          const r = await readEntry2(l);
          if ("problem" in r) report.problems.push({ id: l.entry.id, problem: r.problem });
          else report.ok.push(l.entry.id);
        }
        return report;
      }
      warn(message) {
        this.warnings.push(message);
        this.onWarning?.(message);
      }
    };
  }
});

// src/check.ts
async function runCheck(opts) {
  const log = opts.onProgress ?? (() => {
  });
  const policy = opts.policy ? await loadPolicy(opts.policy) : DEFAULT_POLICY;
  const registry = await openCheckRegistry(opts, log);
  const results = [];
  for (const model of opts.models) {
    log(`fingerprinting ${model}${opts.full ? " (full)" : ""}`);
    const fp = await loadFingerprint(model, opts.full ? { mode: "full" } : {});
    log(`${model}: ${fp.mode} fingerprint, ${fp.summary.tensors} tensors, read ${fp.source.bytesRead} of ${fp.source.totalBytes} bytes`);
    results.push(await checkFingerprint(fp, registry, policy, { maxCandidates: opts.maxCandidates, onProgress: log, model }));
  }
  return results;
}
async function openCheckRegistry(opts, log = () => {
}) {
  const locations = [];
  if (!opts.noBuiltin) {
    const builtin = builtinRegistryDir();
    if (builtin) locations.push(builtin);
    else log("warning: the built-in registry was not found next to this installation");
  }
  locations.push(...opts.registries ?? []);
  return openRegistries(locations, { fetch: opts.fetch, onWarning: (w) => log(`warning: ${w}`) });
}
async function checkFingerprint(fp, registry, policy = DEFAULT_POLICY, opts = {}) {
  const log = opts.onProgress ?? (() => {
  });
  const model = opts.model ?? fp.source.id;
  const candidates = registry.shortlist(fp, { maxCandidates: opts.maxCandidates });
  const loadedBefore = registry.entryFilesLoaded;
  const ancestors = fp.tokenizer ? await ancestorFamilies(registry) : [];
  const compared = [];
  for (const c of candidates) {
    const doc = await registry.loadEntry(c.entry.id);
    if (!doc) continue;
    const result = compareModels(doc, fp, { entryId: c.entry.id });
    if (doc.tokenizer && fp.tokenizer && ancestors.length) {
      result.tokenizer = compareTokenizers(doc.tokenizer, fp.tokenizer, { ancestors: ancestors.filter((a) => a.id !== c.entry.id) });
    }
    compared.push({ entry: c.entry, doc, result });
  }
  log(`${model}: ${candidates.length} of ${registry.entries.length} registry entries shortlisted, ${registry.entryFilesLoaded - loadedBefore} entry files loaded`);
  const weights = compared.filter((x) => x.entry.kind === "weights");
  const verdict = modelVerdict2(weights);
  const detected = [];
  for (const x of weights) {
    for (const c of x.result.components) {
      if (c.verdict === "derived" || c.verdict === "identical") detected.push({ entry: x.entry.id, verdict: c.verdict, component: c.name });
    }
    if (x.result.verdict === "independent") detected.push({ entry: x.entry.id, verdict: "independent" });
  }
  const input = {
    verdict,
    components: componentEvidence(fp, compared),
    lineage: checkLineage(fp.card, detected),
    tokenizerMatch: bestTokenizer(compared),
    configMatch: void 0
  };
  input.configMatch = bestConfig(compared, input.tokenizerMatch?.family);
  return { model, verdict, policy: evaluatePolicy(policy, input), matches: rankMatches(compared) };
}
function modelVerdict2(weights) {
  const top = weights.map((x) => x.result.verdict).sort((a, b) => VERDICT_STRENGTH[b] - VERDICT_STRENGTH[a])[0];
  if (top === "identical" || top === "derived") return top;
  if (top === void 0 || top === "independent") return "independent";
  return "inconclusive";
}
async function ancestorFamilies(registry) {
  const out = [];
  for (const e of registry.entries.filter((x) => x.ancestor && x.kind === "tokenizer")) {
    const doc = await registry.loadEntry(e.id);
    if (doc?.tokenizer) out.push({ id: e.id, family: e.family, signature: doc.tokenizer });
  }
  return out;
}
function tokenizerOf(x) {
  return x.result.tokenizer ? tokenizerRelation(x.result.tokenizer, x.entry.ancestor) : "unknown";
}
function sameConfig(x) {
  const c = x.result.config;
  return Boolean(c && (c.sameArchitecture || c.subConfigMatches.some((m) => m.sameArchitecture)));
}
function sideStrength(x) {
  if (x.entry.kind === "tokenizer" && x.result.tokenizer) return tokenizerStrength(x.result.tokenizer, x.entry.ancestor);
  if (x.entry.kind === "config") return sameConfig(x) ? 1 : 0;
  return 0;
}
function bestTokenizer(compared) {
  const order = ["identical", "same", "extends"];
  const hits = compared.filter((x) => x.entry.kind === "tokenizer").map((x) => ({ x, rel: tokenizerOf(x) })).filter((h3) => order.includes(h3.rel)).sort((a, b) => sideStrength(b.x) - sideStrength(a.x) || Number(a.x.entry.ancestor ?? false) - Number(b.x.entry.ancestor ?? false) || (a.x.entry.id < b.x.entry.id ? -1 : 1));
  const h2 = hits[0];
  return h2 ? { entry: h2.x.entry.id, family: h2.x.entry.family, relation: h2.rel } : void 0;
}
function bestConfig(compared, tokenizerFamily) {
  const same = compared.filter((c) => c.entry.kind === "config" && c.result.config?.sameArchitecture).sort((a, b) => Number(b.entry.family === tokenizerFamily) - Number(a.entry.family === tokenizerFamily) || (a.entry.id < b.entry.id ? -1 : 1));
  if (!same.length) return void 0;
  return { entry: same.map((x) => x.entry.id).join(", "), family: [...new Set(same.map((x) => x.entry.family))].join(", ") };
}
function hasFinding(x) {
  if (x.entry.kind === "weights") return x.result.verdict === "derived" || x.result.verdict === "identical";
  if (x.entry.kind === "tokenizer") return STRONG_TOKENIZER.includes(tokenizerOf(x));
  return sameConfig(x);
}
function rankMatches(compared) {
  const score = (x) => Math.max(-Infinity, ...x.result.components.map((c) => c.score));
  const sorted = [...compared].sort((a, b) => Number(hasFinding(b)) - Number(hasFinding(a)) || VERDICT_STRENGTH[b.result.verdict] - VERDICT_STRENGTH[a.result.verdict] || KIND_RANK[b.entry.kind] - KIND_RANK[a.entry.kind] || sideStrength(b) - sideStrength(a) || score(b) - score(a) || (a.entry.id < b.entry.id ? -1 : 1));
  let quiet = 0;
  const out = [];
  for (const x of sorted) {
    if (!hasFinding(x)) {
      if (x.entry.kind !== "weights" || quiet >= QUIET_MATCHES) continue;
      quiet++;
    }
    out.push({ entry: x.entry.id, ...x.result });
  }
  return out;
}
var QUIET_MATCHES, STRONG_TOKENIZER, KIND_RANK;
var init_check = __esm({
  "src/check.ts"() {
    "use strict";
    init_hub();
    init_compare();
    init_lineage();
    init_tokenizer2();
    init_types2();
    init_load();
    init_evidence();
    init_evaluate();
    init_builtin();
    init_registry();
    init_sources();
    QUIET_MATCHES = 5;
    STRONG_TOKENIZER = ["identical", "same", "extends", "subset"];
    KIND_RANK = { weights: 2, tokenizer: 1, config: 0 };
  }
});

// src/cli/commands/check.ts
var check_exports = {};
__export(check_exports, {
  DEFAULT_POLICY_FILE: () => DEFAULT_POLICY_FILE,
  checkCommand: () => checkCommand,
  checkSummary: () => checkSummary
});
import { existsSync as existsSync3 } from "node:fs";
import { parseArgs as parseArgs3 } from "node:util";
async function checkCommand(argv) {
  const { values, positionals } = parseArgs3({
    args: argv,
    allowPositionals: true,
    options: {
      registry: { type: "string", multiple: true },
      policy: { type: "string" },
      json: { type: "boolean" },
      markdown: { type: "boolean" },
      full: { type: "boolean" },
      output: { type: "string", short: "o" },
      "no-builtin": { type: "boolean" },
      "max-candidates": { type: "string" },
      quiet: { type: "boolean", short: "q" }
    }
  });
  if (positionals.length === 0) throw usageError("check takes at least one model: check <model> [--registry dir|url]... [--policy file]");
  if (values.json && values.markdown) throw usageError("choose one of --json and --markdown");
  const max = values["max-candidates"] !== void 0 ? Number(values["max-candidates"]) : void 0;
  if (max !== void 0 && (!Number.isInteger(max) || max < 1)) throw usageError("--max-candidates takes a positive whole number");
  const policyPath = values.policy ?? (existsSync3(DEFAULT_POLICY_FILE) ? DEFAULT_POLICY_FILE : void 0);
  const policy = policyPath ? await loadPolicy(policyPath) : DEFAULT_POLICY;
  const results = await runCheck({
    models: positionals,
    registries: values.registry ?? [],
    policy: policyPath,
    full: values.full,
    noBuiltin: values["no-builtin"],
    maxCandidates: max,
    onProgress: values.quiet ? void 0 : (line) => process.stderr.write(`${line}
`)
  });
  const text = values.json ? JSON.stringify(results, null, 2) : values.markdown ? renderCheckMarkdown(results) : checkSummary(results);
  if (values.output) await writeFileAtomic(values.output, text + "\n");
  process.stdout.write(text + "\n");
  const worst = results.some((r) => r.policy.result === "fail") ? "fail" : results.some((r) => r.policy.result === "warn") ? "warn" : "pass";
  return policy.exitCodes[worst];
}
function checkSummary(results) {
  const lines = [];
  for (const r of results) {
    lines.push(`${r.model}: ${r.verdict} · policy ${r.policy.result}`);
    for (const reason of r.policy.reasons) lines.push(`  ${reason}`);
    for (const [component, grade] of Object.entries(r.policy.grades ?? {})) lines.push(`  grade  ${component}: ${grade}`);
    if (!r.matches.length) lines.push("  no registry entry shares comparable weights, tokenizer or config with this model");
    for (const m of r.matches.slice(0, 8)) lines.push(`  ${m.verdict.padEnd(12)} ${m.entry}  ${m.reason}`);
  }
  return lines.join("\n");
}
var DEFAULT_POLICY_FILE;
var init_check2 = __esm({
  "src/cli/commands/check.ts"() {
    "use strict";
    init_check();
    init_load();
    init_markdown();
    init_io();
    init_usage();
    DEFAULT_POLICY_FILE = ".github/weightprint.yml";
  }
});

// src/registry/write.ts
import { createHash as createHash6 } from "node:crypto";
import { mkdir, readFile as readFile5, rename as rename2, unlink as unlink2, writeFile as writeFile2 } from "node:fs/promises";
import { dirname as dirname4, join as join6 } from "node:path";
import { gzipSync } from "node:zlib";
function entryFileName(id, gzip) {
  const slug = id.replace(/^hf:/, "").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._-]+/, "").slice(0, 80) || "entry";
  const tag = createHash6("sha256").update(id).digest("hex").slice(0, 8);
  return `entries/${slug}-${tag}.json${gzip ? ".gz" : ""}`;
}
async function addEntry(dir, fp, opts) {
  return (await addEntries(dir, [{ fp, opts }]))[0];
}
async function addEntries(dir, items) {
  const entries = await readOrEmpty(dir);
  const results = [];
  for (const { fp, opts } of items) results.push(await writeEntry(dir, entries, fp, opts));
  await writeIndex(dir, entries);
  return results;
}
async function writeEntry(dir, entries, fp, opts) {
  if (!ID_RE.test(opts.id)) throw new InputError("--id", `not a usable entry id: ${JSON.stringify(opts.id)}`);
  for (const [k, v] of [["--license", opts.license], ["--family", opts.family]]) {
    if (!v || /[\r\n]/.test(v)) throw new InputError(k, "must be a non-empty single line");
  }
  const kind = opts.kind ?? (fp.tensors.length ? "weights" : fp.tokenizer ? "tokenizer" : "config");
  if (kind === "weights" && fp.tensors.length === 0) throw new InputError(opts.id, "a weights entry needs a fingerprint with tensors");
  if (kind === "tokenizer" && !fp.tokenizer) throw new InputError(opts.id, "a tokenizer entry needs a fingerprint with a tokenizer signature");
  if (kind === "config" && !fp.config) throw new InputError(opts.id, "a config entry needs a fingerprint with a config signature");
  const gzip = opts.gzip ?? true;
  const file = entryFileName(opts.id, gzip);
  const stored = { ...fp, source: { ...fp.source, bytesRead: 0 } };
  const text = JSON.stringify(stored);
  const bytes = gzip ? gzipSync(Buffer.from(text), { level: 9 }) : Buffer.from(text);
  await writeAtomic(join6(dir, file), bytes);
  const entry = {
    id: opts.id,
    file,
    sha256: sha256Hex2(bytes),
    family: opts.family,
    license: opts.license,
    kind,
    ...opts.demo ? { demo: true } : {},
    ...opts.ancestor ? { ancestor: true } : {},
    components: fp.components.map((c) => c.name),
    schemaVersion: fp.schema,
    // sampling facts only mean something for weights
    ...kind === "weights" ? { mode: fp.mode, sampling: `${fp.sampling.k}:${fp.sampling.seed}`, parameters: fp.summary.parameters } : {},
    ...opts.source ? { source: opts.source } : {},
    shortlist: entryKeys(fp)
  };
  const i = entries.findIndex((e) => e.id === opts.id);
  const replaced = i >= 0;
  if (replaced) {
    if (entries[i].file !== file) await unlink2(join6(dir, entries[i].file)).catch(() => {
    });
    entries[i] = entry;
  } else entries.push(entry);
  return { entry, replaced };
}
async function removeEntry(dir, id) {
  const entries = await readOrEmpty(dir);
  const i = entries.findIndex((e) => e.id === id);
  if (i < 0) return false;
  const [gone] = entries.splice(i, 1);
  await writeIndex(dir, entries);
  await unlink2(join6(dir, gone.file)).catch(() => {
  });
  return true;
}
function signatureFingerprint(id, sig, files = []) {
  return {
    schema: FINGERPRINT_SCHEMA,
    tool: { name: "weightprint", version: VERSION },
    source: { id, kind: "file", files, totalBytes: 0, bytesRead: 0 },
    mode: "full",
    sampling: { k: DEFAULT_SAMPLE_K, seed: DEFAULT_SAMPLE_SEED, encoding: "int8" },
    summary: { tensors: 0, parameters: 0, dtypes: {} },
    tensors: [],
    components: [],
    ...sig.config ? { config: sig.config } : {},
    ...sig.tokenizer ? { tokenizer: sig.tokenizer } : {}
  };
}
async function readOrEmpty(dir) {
  let exists = true;
  try {
    await readFile5(join6(dir, "index.json"));
  } catch {
    exists = false;
  }
  if (!exists) return [];
  const warnings = [];
  const entries = await readIndex(dirStore(dir), warnings);
  if (warnings.length) throw new InputError(join6(dir, "index.json"), `refusing to rewrite an index with invalid entries (${warnings[0]})`);
  return entries;
}
async function writeIndex(dir, entries) {
  const index = {
    schema: REGISTRY_SCHEMA,
    entries: [...entries].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  };
  const body = index.entries.map((e) => `    ${JSON.stringify(e)}`).join(",\n");
  const text = `{
  "schema": ${JSON.stringify(REGISTRY_SCHEMA)},
  "entries": [
${body}${body ? "\n" : ""}  ]
}
`;
  await writeAtomic(join6(dir, "index.json"), Buffer.from(text));
}
async function writeAtomic(path, bytes) {
  await mkdir(dirname4(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile2(tmp, bytes);
    await rename2(tmp, path);
  } catch (err2) {
    await unlink2(tmp).catch(() => {
    });
    throw new InputError(path, `cannot write (${err2.code ?? String(err2)})`);
  }
}
var ID_RE;
var init_write = __esm({
  "src/registry/write.ts"() {
    "use strict";
    init_errors();
    init_types();
    init_sample();
    init_version();
    init_keys();
    init_store();
    init_registry();
    init_types4();
    ID_RE = /^[^\s"'`<>|\\]{1,200}$/;
  }
});

// src/registry/knownmodels.ts
import { readFile as readFile6 } from "node:fs/promises";
import { join as join7, normalize as normalize3 } from "node:path";
async function readKnownSources(path) {
  let doc;
  try {
    doc = (0, import_yaml3.parse)(await readFile6(path, "utf8"));
  } catch (err2) {
    throw new InputError(path, err2 instanceof Error ? err2.message.split("\n")[0] : String(err2));
  }
  const fail = (problem) => new InputError(path, problem);
  const root = doc;
  const tokenizers = Array.isArray(root?.tokenizers) ? root.tokenizers : [];
  const configs = Array.isArray(root?.configs) ? root.configs : [];
  const str = (o, k, where) => {
    if (typeof o[k] !== "string" || o[k] === "") throw fail(`${where}.${k} must be a non-empty string`);
    return o[k];
  };
  const rel = (p2, where) => {
    if (p2.startsWith("/") || normalize3(p2).split("/").includes("..")) throw fail(`${where}: path ${p2} must stay inside the knownmodels folder`);
    return p2;
  };
  return {
    tokenizers: tokenizers.map((t, i) => {
      const where = `tokenizers[${i}]`;
      const files = t.files;
      if (typeof files !== "object" || files === null) throw fail(`${where}.files must map tokenizer file roles to paths`);
      for (const [k, v] of Object.entries(files)) {
        if (!TOKENIZER_KEYS.has(k)) throw fail(`${where}.files: unknown role ${k} (one of ${[...TOKENIZER_KEYS].join(", ")})`);
        if (typeof v !== "string") throw fail(`${where}.files.${k} must be a path`);
        rel(v, where);
      }
      return { id: str(t, "id", where), family: str(t, "family", where), license: str(t, "license", where), ancestor: t.ancestor === true, files };
    }),
    configs: configs.map((c, i) => {
      const where = `configs[${i}]`;
      return { id: str(c, "id", where), family: str(c, "family", where), license: str(c, "license", where), file: rel(str(c, "file", where), where) };
    })
  };
}
async function importKnownModels(knownDir, sources, registryDir, onProgress = () => {
}) {
  const items = [];
  for (const t of sources.tokenizers) {
    const files = {};
    for (const [role, path] of Object.entries(t.files)) {
      const bytes = await readFile6(join7(knownDir, path)).catch(() => {
        throw new InputError(join7(knownDir, path), "no such file (listed in the sources)");
      });
      files[role] = role === "tokenizer.model" ? new Uint8Array(bytes) : bytes.toString("utf8");
    }
    const sig = tokenizerSignature(files, t.id);
    if (!sig) throw new InputError(t.id, "no tokenizer signature could be computed from the listed files");
    items.push({
      fp: signatureFingerprint(t.id, { tokenizer: sig }, Object.values(t.files)),
      opts: { id: t.id, family: t.family, license: t.license, kind: "tokenizer", ancestor: t.ancestor, source: `knownmodels/${Object.values(t.files).join(", knownmodels/")}` }
    });
    onProgress(`${t.id}: ${sig.type}, ${sig.tokenCount} tokens`);
  }
  for (const c of sources.configs) {
    const path = join7(knownDir, c.file);
    const text = await readFile6(path, "utf8").catch(() => {
      throw new InputError(path, "no such file (listed in the sources)");
    });
    const sig = configSignature(text, path);
    items.push({
      fp: signatureFingerprint(c.id, { config: sig }, [c.file]),
      opts: { id: c.id, family: c.family, license: c.license, kind: "config", source: `knownmodels/${c.file}` }
    });
    onProgress(`${c.id}: ${sig.modelType ?? "no model_type"}${sig.subConfigs.length ? ` + ${sig.subConfigs.map((s) => s.key).join(", ")}` : ""}`);
  }
  return (await addEntries(registryDir, items)).map((r) => r.entry);
}
var import_yaml3, TOKENIZER_KEYS;
var init_knownmodels = __esm({
  "src/registry/knownmodels.ts"() {
    "use strict";
    import_yaml3 = __toESM(require_dist(), 1);
    init_errors();
    init_config();
    init_tokenizer();
    init_write();
    TOKENIZER_KEYS = /* @__PURE__ */ new Set(["tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt", "special_tokens_map.json", "tiktoken", "tokenizer.model", "pieces"]);
  }
});

// src/registry/update.ts
import { readFile as readFile7 } from "node:fs/promises";
async function readModelsList(path) {
  let doc;
  try {
    doc = (0, import_yaml4.parse)(await readFile7(path, "utf8"));
  } catch (err2) {
    throw new InputError(path, err2 instanceof Error ? err2.message.split("\n")[0] : String(err2));
  }
  const models = doc?.models;
  if (!Array.isArray(models)) throw new InputError(path, '"models" must be a list');
  const seen = /* @__PURE__ */ new Set();
  return models.map((m, i) => {
    const where = `models[${i}]`;
    for (const k of ["hf", "family", "license"]) {
      if (typeof m?.[k] !== "string" || m[k] === "") throw new InputError(path, `${where}.${k} must be a non-empty string`);
    }
    const hf = m.hf;
    parseHubSpec(`hf:${hf}`);
    if (hf.includes("@")) throw new InputError(path, `${where}.hf: give the revision as "revision:", not in the id`);
    if (seen.has(hf)) throw new InputError(path, `${where}.hf: ${hf} is listed twice`);
    seen.add(hf);
    if (m.revision !== void 0 && typeof m.revision !== "string") throw new InputError(path, `${where}.revision must be a string`);
    return { hf, family: m.family, license: m.license, revision: m.revision, note: m.note };
  });
}
function listedEntryId(m) {
  return `hf:${m.hf}@${m.revision ?? "main"}`;
}
async function updateFromModelsList(models, registryDir, opts = {}) {
  const log = opts.onProgress ?? (() => {
  });
  const outcomes = [];
  let existing = /* @__PURE__ */ new Map();
  try {
    const reg = await openRegistry(registryDir);
    existing = new Map(reg.entries.map((e) => [e.id, e.source]));
  } catch (err2) {
    if (!(err2 instanceof InputError && /no index\.json/.test(err2.message))) throw err2;
  }
  for (const m of models) {
    if (opts.only?.length && !opts.only.includes(m.hf)) continue;
    const id = listedEntryId(m);
    const spec = `hf:${m.hf}${m.revision ? `@${m.revision}` : ""}`;
    try {
      const src = await openHubModel(spec, opts);
      try {
        const source = `hf:${m.hf}@${src.commit ?? m.revision ?? "main"}`;
        if (!opts.force && src.commit && existing.get(id) === source) {
          outcomes.push({ hf: m.hf, id, status: "unchanged", commit: src.commit });
          log(`${id}: unchanged at ${src.commit}`);
          continue;
        }
        const t0 = Date.now();
        const fp = await fingerprintModel(src, { mode: opts.mode ?? "sample" });
        const { replaced } = await addEntry(registryDir, fp, { id, family: m.family, license: m.license, kind: "weights", source });
        const status = replaced ? "updated" : "added";
        outcomes.push({ hf: m.hf, id, status, commit: src.commit, bytesRead: fp.source.bytesRead, totalBytes: fp.source.totalBytes });
        log(`${id}: ${status} (${fp.tensors.length} tensors, read ${(fp.source.bytesRead / 2 ** 20).toFixed(1)} MiB of ${(fp.source.totalBytes / 2 ** 30).toFixed(2)} GiB in ${((Date.now() - t0) / 1e3).toFixed(0)} s)`);
      } finally {
        await src.close();
      }
    } catch (err2) {
      if (!(err2 instanceof InputError)) throw err2;
      outcomes.push({ hf: m.hf, id, status: "failed", error: err2.message });
      log(`${id}: FAILED ${err2.message}`);
    }
  }
  return outcomes;
}
var import_yaml4;
var init_update = __esm({
  "src/registry/update.ts"() {
    "use strict";
    import_yaml4 = __toESM(require_dist(), 1);
    init_errors();
    init_model2();
    init_hub();
    init_registry();
    init_write();
  }
});

// src/cli/commands/registry.ts
var registry_exports = {};
__export(registry_exports, {
  DEFAULT_USER_REGISTRY: () => DEFAULT_USER_REGISTRY,
  registryCommand: () => registryCommand
});
import { parseArgs as parseArgs4 } from "node:util";
async function registryCommand(argv) {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "add":
      return add(rest);
    case "list":
      return list(rest);
    case "verify":
      return verify(rest);
    case "remove":
      return remove(rest);
    case "import-known":
      return importKnown(rest);
    case "update":
      return update(rest);
    default:
      throw usageError(`registry needs a subcommand: add, list, verify, remove (maintainers: import-known, update)${sub ? `; got ${JSON.stringify(sub)}` : ""}`);
  }
}
async function add(argv) {
  const { values, positionals } = parseArgs4({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: "string" },
      registry: { type: "string" },
      license: { type: "string" },
      family: { type: "string" },
      kind: { type: "string" },
      demo: { type: "boolean" },
      full: { type: "boolean" },
      sample: { type: "boolean" }
    }
  });
  if (positionals.length !== 1) throw usageError("registry add takes one model: registry add <model> --id <id> [--registry dir]");
  if (!values.id) throw usageError("registry add needs --id (e.g. hf:org/name@revision or a local name)");
  if (values.full && values.sample) throw usageError("choose one of --full and --sample");
  const kind = values.kind;
  if (kind !== void 0 && !["weights", "tokenizer", "config"].includes(kind)) throw usageError("--kind is weights, tokenizer or config");
  const dir = values.registry ?? DEFAULT_USER_REGISTRY;
  const fp = await loadFingerprint(positionals[0], values.full ? { mode: "full" } : values.sample ? { mode: "sample" } : {});
  const { entry, replaced } = await addEntry(dir, fp, {
    id: values.id,
    license: values.license ?? "unknown",
    family: values.family ?? values.id.replace(/^hf:/, "").replace(/@.*$/, "").split("/").pop().toLowerCase(),
    kind,
    demo: values.demo,
    source: positionals[0].startsWith("hf:") ? positionals[0] : void 0
  });
  process.stdout.write(`${replaced ? "replaced" : "added"} ${entry.id} (${entry.kind}, ${fp.mode} fingerprint, ${fp.summary.tensors} tensors) in ${dir}
`);
  return 0;
}
async function list(argv) {
  const { values } = parseArgs4({
    args: argv,
    options: { registry: { type: "string", multiple: true }, "no-builtin": { type: "boolean" }, json: { type: "boolean" } }
  });
  const reg = await openCheckRegistry({ registries: values.registry ?? [], noBuiltin: values["no-builtin"] }, err);
  if (values.json) {
    process.stdout.write(JSON.stringify(reg.entries, null, 2) + "\n");
    return 0;
  }
  const rows = reg.entries.map((e) => [e.id, e.kind + (e.demo ? " (demo)" : "") + (e.ancestor ? " (base vocab)" : ""), e.family, e.license, e.mode ?? "", e.parameters ? String(e.parameters) : ""]);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.min(60, Math.max(...rows.map((r) => r[i].length), 4)));
  for (const r of rows) process.stdout.write(`${r.slice(0, 5).map((c, i) => c.padEnd(widths[i])).join("  ")}  ${r[5]}
`);
  process.stdout.write(`${rows.length} entries from ${reg.locations.join(", ") || "(none)"}
`);
  return 0;
}
async function verify(argv) {
  const { values } = parseArgs4({ args: argv, options: { registry: { type: "string", multiple: true }, "no-builtin": { type: "boolean" } } });
  const reg = await openCheckRegistry({ registries: values.registry ?? [], noBuiltin: values["no-builtin"] }, err);
  const report = await reg.verify();
  for (const p2 of report.problems) process.stdout.write(`BAD  ${p2.id}: ${p2.problem}
`);
  process.stdout.write(`${report.ok.length} entries verified, ${report.problems.length} bad, in ${reg.locations.join(", ")}
`);
  return report.problems.length || reg.warnings.length ? 1 : 0;
}
async function remove(argv) {
  const { values, positionals } = parseArgs4({ args: argv, allowPositionals: true, options: { registry: { type: "string" } } });
  if (positionals.length !== 1) throw usageError("registry remove takes one entry id");
  const dir = values.registry ?? DEFAULT_USER_REGISTRY;
  if (!await removeEntry(dir, positionals[0])) throw new InputError(dir, `no entry ${JSON.stringify(positionals[0])}`);
  process.stdout.write(`removed ${positionals[0]} from ${dir}
`);
  return 0;
}
async function importKnown(argv) {
  const { values, positionals } = parseArgs4({
    args: argv,
    allowPositionals: true,
    options: { sources: { type: "string" }, registry: { type: "string" } }
  });
  if (positionals.length !== 1) throw usageError("registry import-known takes the knownmodels folder");
  const sources = await readKnownSources(values.sources ?? "registry/builtin.sources.yaml");
  const entries = await importKnownModels(positionals[0], sources, values.registry ?? "registry/builtin", err);
  process.stdout.write(`${entries.length} tokenizer/config entries written to ${values.registry ?? "registry/builtin"}
`);
  return 0;
}
async function update(argv) {
  const { values } = parseArgs4({
    args: argv,
    options: {
      models: { type: "string" },
      registry: { type: "string" },
      only: { type: "string", multiple: true },
      force: { type: "boolean" },
      full: { type: "boolean" }
    }
  });
  const models = await readModelsList(values.models ?? "registry/models.yaml");
  const outcomes = await updateFromModelsList(models, values.registry ?? "registry/builtin", {
    only: values.only,
    force: values.force,
    mode: values.full ? "full" : "sample",
    onProgress: err
  });
  const count2 = (s) => outcomes.filter((o) => o.status === s).length;
  process.stdout.write(`registry update: ${count2("added")} added, ${count2("updated")} updated, ${count2("unchanged")} unchanged, ${count2("failed")} failed
`);
  return count2("failed") ? 1 : 0;
}
var DEFAULT_USER_REGISTRY, err;
var init_registry2 = __esm({
  "src/cli/commands/registry.ts"() {
    "use strict";
    init_hub();
    init_check();
    init_errors();
    init_knownmodels();
    init_update();
    init_write();
    init_sources();
    init_usage();
    DEFAULT_USER_REGISTRY = ".weightprint/registry";
    err = (line) => process.stderr.write(`${line}
`);
  }
});

// src/cli/commands/merge.ts
var merge_exports = {};
__export(merge_exports, {
  mergeCommand: () => mergeCommand
});
import { parseArgs as parseArgs5 } from "node:util";
async function mergeCommand(argv) {
  const { values, positionals } = parseArgs5({
    args: argv,
    allowPositionals: true,
    options: { output: { type: "string", short: "o" }, json: { type: "boolean" } }
  });
  if (positionals.length === 0) throw usageError("merge takes the partial fingerprints: merge <part.json>... -o fp.json");
  if (!values.output && !values.json) throw usageError("merge needs -o <file> (or --json to print)");
  const parts = [];
  for (const p2 of positionals) parts.push(await readFingerprintFile(p2));
  const doc = mergeFingerprints(parts, positionals);
  const json = JSON.stringify(doc);
  if (values.output) await writeFileAtomic(values.output, json + "\n");
  if (values.json) process.stdout.write(json + "\n");
  else process.stdout.write(`merged ${parts.length} part(s) of ${doc.source.id}: ${doc.summary.tensors} tensors → ${values.output}
`);
  return 0;
}
var init_merge = __esm({
  "src/cli/commands/merge.ts"() {
    "use strict";
    init_shards();
    init_sources();
    init_io();
    init_usage();
  }
});

// src/synth/random.ts
function normalQuantile(p2) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p2 < lo) {
    const q4 = Math.sqrt(-2 * Math.log(p2));
    return (((((c[0] * q4 + c[1]) * q4 + c[2]) * q4 + c[3]) * q4 + c[4]) * q4 + c[5]) / ((((d[0] * q4 + d[1]) * q4 + d[2]) * q4 + d[3]) * q4 + 1);
  }
  if (p2 > 1 - lo) return -normalQuantile(1 - p2);
  const q3 = p2 - 0.5;
  const r = q3 * q3;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q3 / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
function mix32(x) {
  x = x + 2654435769 | 0;
  let t = x ^ x >>> 16;
  t = Math.imul(t, 569420461);
  t ^= t >>> 15;
  t = Math.imul(t, 1935289751);
  return (t ^ t >>> 15) >>> 0;
}
function hashSeed(seed, ...labels) {
  let h1 = mix32(seed >>> 0) ^ 2166136261;
  let h2 = mix32(seed >>> 0 ^ 1540483477) ^ 16777619;
  const feed = (c) => {
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 1540483477);
    h2 ^= h2 >>> 13;
  };
  for (const label of labels) {
    const s = typeof label === "number" ? `#${label}` : label;
    for (let i = 0; i < s.length; i++) feed(s.charCodeAt(i));
    feed(255);
  }
  return [mix32(h1), mix32(h2 ^ h1)];
}
function rotl(x, k) {
  return x << k | x >>> 32 - k;
}
var INV_2_32, ZIG_R, ZIG_K, ZIG_W, ZIG_F, Rng;
var init_random = __esm({
  "src/synth/random.ts"() {
    "use strict";
    INV_2_32 = 1 / 4294967296;
    ZIG_R = 3.442619855899;
    ZIG_K = new Float64Array(128);
    ZIG_W = new Float64Array(128);
    ZIG_F = new Float64Array(128);
    {
      const m1 = 16777216;
      const vn = 0.00991256303526217;
      let dn = ZIG_R;
      let tn = dn;
      const q3 = vn / Math.exp(-0.5 * dn * dn);
      ZIG_K[0] = dn / q3 * m1;
      ZIG_K[1] = 0;
      ZIG_W[0] = q3 / m1;
      ZIG_W[127] = dn / m1;
      ZIG_F[0] = 1;
      ZIG_F[127] = Math.exp(-0.5 * dn * dn);
      for (let i = 126; i >= 1; i--) {
        dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
        ZIG_K[i + 1] = dn / tn * m1;
        tn = dn;
        ZIG_F[i] = Math.exp(-0.5 * dn * dn);
        ZIG_W[i] = dn / m1;
      }
    }
    Rng = class _Rng {
      s0;
      s1;
      s2;
      s3;
      constructor(seed) {
        const [lo, hi] = typeof seed === "number" ? [seed >>> 0, 1779033703] : seed;
        this.s0 = mix32(lo);
        this.s1 = mix32(this.s0 ^ hi);
        this.s2 = mix32(this.s1 + 1013904242);
        this.s3 = mix32(this.s2 ^ hi ^ 2773480762);
        if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
      }
      /** An independent stream for (seed, labels), e.g. `Rng.derive(7, 'init', 'model.layers.0.mlp.up_proj.weight')`. */
      static derive(seed, ...labels) {
        return new _Rng(hashSeed(seed, ...labels));
      }
      /** xoshiro128**: next unsigned 32-bit integer. */
      nextU32() {
        const s1 = this.s1;
        const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        const t = s1 << 9;
        this.s2 ^= this.s0;
        this.s3 ^= this.s1;
        this.s1 ^= this.s2;
        this.s0 ^= this.s3;
        this.s2 ^= t;
        this.s3 = rotl(this.s3, 11);
        return r;
      }
      /** Uniform in [0, 1) with 53 random bits. */
      uniform() {
        return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
      }
      /** Uniform integer in [0, n); rejection sampling keeps it unbiased. */
      int(n) {
        if (!(n > 0) || n > 4294967296) throw new RangeError(`Rng.int: bad bound ${n}`);
        const limit = 4294967296 - 4294967296 % n;
        let x;
        do
          x = this.nextU32();
        while (x >= limit);
        return x % n;
      }
      /** Standard normal (ziggurat; see `fillNormal`). */
      normal() {
        const u = this.nextU32();
        const iz = u & 127;
        const hz = (u | 0) >> 7;
        if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
        return this.normalTail(hz, iz);
      }
      /** The ziggurat's slow path (≈1 % of draws): wedge rejection and the base-strip tail. */
      normalTail(hz, iz) {
        for (; ; ) {
          if (iz === 0) {
            let x2, y;
            do {
              x2 = -Math.log(this.uniformOpen()) / ZIG_R;
              y = -Math.log(this.uniformOpen());
            } while (y + y < x2 * x2);
            return hz > 0 ? ZIG_R + x2 : -ZIG_R - x2;
          }
          const x = hz * ZIG_W[iz];
          if (ZIG_F[iz] + this.uniform() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
          const u = this.nextU32();
          iz = u & 127;
          hz = (u | 0) >> 7;
          if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
        }
      }
      /** Uniform in (0, 1). */
      uniformOpen() {
        return (this.nextU32() + 0.5) * INV_2_32;
      }
      /**
       * Fills `out` with N(mean, std²): Marsaglia–Tsang ziggurat (128 layers) with the xoshiro state
       * in locals for the fast path, which is what makes 10M normals take well under a second.
       */
      fillNormal(out, mean2 = 0, std = 1) {
        let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
        const n = out.length;
        for (let i = 0; i < n; i++) {
          const u = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
          const t = s1 << 9;
          s2 ^= s0;
          s3 ^= s1;
          s1 ^= s2;
          s0 ^= s3;
          s2 ^= t;
          s3 = s3 << 11 | s3 >>> 21;
          const iz = u & 127;
          const hz = u >> 7;
          if (Math.abs(hz) < ZIG_K[iz]) {
            out[i] = mean2 + std * hz * ZIG_W[iz];
            continue;
          }
          this.s0 = s0;
          this.s1 = s1;
          this.s2 = s2;
          this.s3 = s3;
          out[i] = mean2 + std * this.normalTail(hz, iz);
          s0 = this.s0;
          s1 = this.s1;
          s2 = this.s2;
          s3 = this.s3;
        }
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
        return out;
      }
      normals(n, std = 1, mean2 = 0) {
        return this.fillNormal(new Float32Array(n), mean2, std);
      }
      /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
      permutation(n) {
        const p2 = new Int32Array(n);
        for (let i = 0; i < n; i++) p2[i] = i;
        for (let i = n - 1; i > 0; i--) {
          const j = this.int(i + 1);
          const t = p2[i];
          p2[i] = p2[j];
          p2[j] = t;
        }
        return p2;
      }
      /** Shuffles a copy of `items`. */
      shuffled(items) {
        const out = items.slice();
        for (let i = out.length - 1; i > 0; i--) {
          const j = this.int(i + 1);
          const t = out[i];
          out[i] = out[j];
          out[j] = t;
        }
        return out;
      }
    };
  }
});

// src/synth/encode.ts
var F8_E4M3_MAX;
var init_encode = __esm({
  "src/synth/encode.ts"() {
    "use strict";
    init_dtypes();
    F8_E4M3_MAX = 448;
  }
});

// src/synth/tokenizer.ts
function bytesToUnicode() {
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out = new Array(256);
  for (let i = 0; i < bs.length; i++) out[bs[i]] = String.fromCharCode(cs[i]);
  return out;
}
function makeTokenizer(opts) {
  const key = `${opts.vocabSize}|${opts.seed}|${(opts.extraSpecials ?? []).join(",")}`;
  let tok = cache.get(key);
  if (!tok) {
    tok = trainTokenizer(opts);
    if (cache.size > 64) cache.clear();
    cache.set(key, tok);
  }
  return structuredClone(tok);
}
function trainTokenizer(opts) {
  const rng = Rng.derive(opts.seed, "tokenizer");
  const baseSpecials = SPECIAL_SETS[rng.int(SPECIAL_SETS.length)];
  const front = rng.int(2) === 0;
  const gpt2ByteOrder = rng.int(2) === 0;
  const specials = [...baseSpecials, ...opts.extraSpecials ?? []];
  const nMerges = opts.vocabSize - 256 - specials.length;
  if (nMerges < 1) throw new Error(`tokenizer: vocab ${opts.vocabSize} too small for a byte-level BPE`);
  const scored = COMMON_WORDS.map((w, i) => [w, i + 6 * rng.normal()]);
  for (let i = 0; i < 400; i++) {
    const k = 1 + rng.int(3);
    let w = "";
    for (let j = 0; j < k; j++) w += SYLLABLES[rng.int(SYLLABLES.length)];
    scored.push([w, 20 + 600 * rng.uniform()]);
  }
  scored.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const order = [...new Set(scored.map(([w]) => w))];
  const byteChar = bytesToUnicode();
  const space = byteChar[32];
  const counts = /* @__PURE__ */ new Map();
  order.forEach((w, rank) => {
    const c = Math.max(1, Math.round(1e5 / (rank + 2) ** 1.07));
    const enc = [...Buffer.from(w, "utf8")].map((b) => byteChar[b]).join("");
    counts.set(space + enc, (counts.get(space + enc) ?? 0) + c);
    counts.set(enc, (counts.get(enc) ?? 0) + Math.ceil(c / 8));
  });
  const symStr = [];
  const symId = /* @__PURE__ */ new Map();
  const intern = (t) => {
    let i = symId.get(t);
    if (i === void 0) {
      i = symStr.length;
      symStr.push(t);
      symId.set(t, i);
    }
    return i;
  };
  const K = 1 << 20;
  const words = [...counts.entries()].map(([w, c]) => ({ sym: [...w].map(intern), c }));
  const pairs = /* @__PURE__ */ new Map();
  const count2 = (sym, c) => {
    for (let i = 0; i + 1 < sym.length; i++) {
      const k = sym[i] * K + sym[i + 1];
      const v = (pairs.get(k) ?? 0) + c;
      if (v === 0) pairs.delete(k);
      else pairs.set(k, v);
    }
  };
  for (const w of words) count2(w.sym, w.c);
  const merges = [];
  const learned2 = [];
  while (merges.length < nMerges) {
    let best = -1;
    let bestCount = 0;
    for (const [k, c] of pairs) {
      if (c > bestCount || c === bestCount && pairName(symStr, k, K) < pairName(symStr, best, K)) {
        best = k;
        bestCount = c;
      }
    }
    if (bestCount === 0) {
      const l3 = learned2.length ? learned2[rng.int(learned2.length)] : byteChar[97 + rng.int(26)];
      const r2 = byteChar[97 + rng.int(26)];
      if (!learned2.includes(l3 + r2)) {
        merges.push(`${l3} ${r2}`);
        learned2.push(l3 + r2);
      }
      continue;
    }
    const li = Math.floor(best / K);
    const ri = best % K;
    const l = symStr[li];
    const r = symStr[ri];
    merges.push(`${l} ${r}`);
    learned2.push(l + r);
    const mi = intern(l + r);
    for (const w of words) {
      let hit = false;
      for (let i = 0; i + 1 < w.sym.length; i++) if (w.sym[i] === li && w.sym[i + 1] === ri) {
        hit = true;
        break;
      }
      if (!hit) continue;
      count2(w.sym, -w.c);
      const out = [];
      for (let i = 0; i < w.sym.length; i++) {
        if (i + 1 < w.sym.length && w.sym[i] === li && w.sym[i + 1] === ri) {
          out.push(mi);
          i++;
        } else out.push(w.sym[i]);
      }
      w.sym = out;
      count2(w.sym, w.c);
    }
  }
  const vocab = {};
  const added = [];
  let id = 0;
  const addSpecial = (content) => {
    vocab[content] = id;
    added.push({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    id++;
  };
  if (front) specials.forEach(addSpecial);
  const byteOrder = gpt2ByteOrder ? [...Array(256).keys()].sort((x, y) => byteChar[x].charCodeAt(0) - byteChar[y].charCodeAt(0)) : [...Array(256).keys()];
  for (const b of byteOrder) vocab[byteChar[b]] = id++;
  for (const t of learned2) vocab[t] = id++;
  if (!front) specials.forEach(addSpecial);
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", ...byteLevel },
    post_processor: null,
    decoder: { type: "ByteLevel", ...byteLevel },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges
    }
  };
}
function pairName(symStr, key, K) {
  return key < 0 ? "￿" : `${symStr[Math.floor(key / K)]} ${symStr[key % K]}`;
}
function tokenizerSize(tok) {
  let max = -1;
  for (const id of Object.values(tok.model.vocab)) max = Math.max(max, id);
  for (const t of tok.added_tokens) max = Math.max(max, t.id);
  return max + 1;
}
function extendTokenizer(tok, extra, label = "extra") {
  const start = tokenizerSize(tok);
  const added = tok.added_tokens.slice();
  for (let i = 0; i < extra; i++) {
    added.push({
      id: start + i,
      content: `<|${label}_${i}|>`,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true
    });
  }
  return { ...tok, added_tokens: added };
}
function frequencyWeights(tok, rows) {
  const w = new Float32Array(rows).fill(0.6);
  let rank = 0;
  for (const m of tok.model.merges) {
    const t = m.replace(" ", "");
    const id = tok.model.vocab[t];
    if (id !== void 0 && id < rows) w[id] = 0.8 + 0.8 / Math.sqrt(1 + rank / 16);
    rank++;
  }
  return w;
}
var COMMON_WORDS, SYLLABLES, cache, SPECIAL_SETS;
var init_tokenizer3 = __esm({
  "src/synth/tokenizer.ts"() {
    "use strict";
    init_random();
    COMMON_WORDS = "the of and to in is was that for on with as by at from his he it an be are were which this had not or have but one their they has been first after also its new who all two more other time her she year would there when into during between over can most some may only such than then these made used about while many where under school world state people city some before model weight layer train data value learn token small large early later known number system water house river light story little went said little once upon there lived happy girl boy day play friend mother father tree garden sun ball dog cat big went saw wanted found very".split(" ");
    SYLLABLES = "ka ri to na mo lu se vi an er in on el ar or en ing tion ly ed re de st th ch sh qu pr tr bl cl gr fl ou ea ai oo ee ie ur ir al il ol um ix ox az".split(" ");
    cache = /* @__PURE__ */ new Map();
    SPECIAL_SETS = [
      ["<unk>", "<s>", "</s>"],
      ["<|endoftext|>"],
      ["<|endoftext|>", "<|pad|>"],
      ["<pad>", "</s>", "<unk>", "<mask>"]
    ];
  }
});

// src/synth/model.ts
function textSpec(over = {}) {
  return { ...DEFAULT_TEXT, ...over };
}
function visionSpec(over = {}) {
  return { ...DEFAULT_VISION, ...over };
}
function recipeOf(spec) {
  return { ...DEFAULT_RECIPE, ...spec.recipe };
}
function headDim(t) {
  return t.hidden / t.heads;
}
function sumSq(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}
function l2(a) {
  return Math.sqrt(sumSq(a));
}
function mean(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : 0;
}
function centeredNorm(a) {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s);
}
function displacement(rng, m, n, shape2, rowScale, colScale) {
  const size = m * n;
  const out = rng.normals(size);
  const mix = scaleMixtureTable(shape2.tail);
  for (let i = 0; i < m; i++) {
    const rs = rowScale ? rowScale[i] : 1;
    const base2 = i * n;
    for (let j = 0; j < n; j++) {
      const cs = colScale ? colScale[j] : 1;
      out[base2 + j] = out[base2 + j] * mix[rng.nextU32() >>> 20] * rs * cs;
    }
  }
  const lowRank = m > 1 && n > 1 ? Math.min(shape2.lowRank, 1) : 0;
  const rank = Math.min(shape2.rank, m, n);
  const bulkScale = Math.sqrt((1 - lowRank) / Math.max(1e-30, sumSq(out) / size));
  for (let i = 0; i < size; i++) out[i] = out[i] * bulkScale;
  if (lowRank > 0 && rank > 0) {
    const U = rng.normals(m * rank);
    const Vt = Float64Array.from(rng.normals(rank * n));
    const w = new Float64Array(rank);
    for (let k = 0; k < rank; k++) w[k] = (k + 1) ** -shape2.alpha;
    const lr = new Float64Array(size);
    for (let i = 0; i < m; i++) {
      const base2 = i * n;
      for (let k = 0; k < rank; k++) {
        const c = U[i * rank + k] * w[k];
        const vb = k * n;
        for (let j = 0; j < n; j++) lr[base2 + j] += c * Vt[vb + j];
      }
    }
    const lrScale = Math.sqrt(lowRank / Math.max(1e-30, sumSq(lr) / size));
    for (let i = 0; i < size; i++) out[i] = out[i] + lr[i] * lrScale;
  }
  return out;
}
function scaleMixtureTable(sigma) {
  let t = mixTables.get(sigma);
  if (!t) {
    t = new Float32Array(4096);
    for (let k = 0; k < 4096; k++) t[k] = Math.exp(sigma * normalQuantile((k + 0.5) / 4096) - sigma * sigma);
    mixTables.set(sigma, t);
  }
  return t;
}
function outlierScales(rng, d) {
  const c = rng.normals(d, 0.2);
  for (let i = 0; i < d; i++) c[i] = Math.exp(c[i]);
  const k = Math.max(1, Math.round(d * 0.02));
  for (let i = 0; i < k; i++) c[rng.int(d)] *= 2.5;
  return c;
}
function depthProfile(layer, layers) {
  return 0.8 + 0.4 * (layer / Math.max(1, layers - 1));
}
function initKey(name, tied) {
  return tied ? name.replace(/\.(layers|blocks)\.\d+\./, ".$1.*.") : name;
}
function genMatrix(ctx, name, shape2, role, layer, layers, rowScale, colScale) {
  const m = shape2[0];
  const n = shape2.slice(1).reduce((a, b) => a * b, 1);
  const { recipe } = ctx;
  const values = Rng.derive(ctx.seeds.init, "init", initKey(name, recipe.tiedInit)).normals(m * n, recipe.initStd * recipe.initKeep);
  const d = displacement(Rng.derive(ctx.seeds.train, "train", name), m, n, role.shape, rowScale, colScale);
  const amp = recipe.trainScale * recipe.initStd * role.scale * ctx.depth(layer, layers);
  for (let i = 0; i < values.length; i++) values[i] = values[i] + amp * d[i];
  return { shape: shape2, values };
}
function genGain(ctx, name, n, role, layer, layers) {
  const rng = Rng.derive(ctx.seeds.train, "train", name);
  const [lo, hi] = ctx.recipe.normStd;
  const t = layers > 1 ? layer / (layers - 1) : 0;
  const std = (lo + (hi - lo) * t) * Math.exp(0.15 * rng.normal());
  const offset = (role.gainOffset?.(layer, layers) ?? 0) + 0.02 * rng.normal();
  const d = displacement(rng, 1, n, role.shape);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = 1 + offset + std * d[i];
  return { shape: [n], values };
}
function genBias(ctx, name, n, role) {
  const d = displacement(Rng.derive(ctx.seeds.train, "train", name), 1, n, role.shape);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = role.scale * ctx.recipe.trainScale * d[i];
  return { shape: [n], values };
}
function ropeInvFreq(dim, theta) {
  const out = new Float32Array(dim / 2);
  for (let i = 0; i < dim / 2; i++) out[i] = 1 / theta ** (2 * i / dim);
  return out;
}
function makeBase(spec = { text: textSpec() }, seed = 1, opts = {}) {
  const seeds = typeof seed === "number" ? { init: seed, train: seed } : seed;
  const recipe = recipeOf(spec);
  const ctx = { recipe, seeds, depth: depthProfile };
  const t = spec.text;
  if (t.hidden % t.heads !== 0 || t.heads % t.kvHeads !== 0) throw new Error("makeBase: hidden/heads/kvHeads do not divide");
  const hd = headDim(t);
  const tokenizer = makeTokenizer({
    vocabSize: t.vocab,
    seed: seeds.tokenizer ?? seeds.train,
    extraSpecials: spec.vision ? VISION_SPECIALS : []
  });
  const tensors = /* @__PURE__ */ new Map();
  const resid = outlierScales(Rng.derive(seeds.train, "outliers", "text"), t.hidden);
  const freq = frequencyWeights(tokenizer, t.vocab);
  const embed = genMatrix(ctx, "model.embed_tokens.weight", [t.vocab, t.hidden], EMBED_ROLE, 0, 1, freq, resid);
  addMeanRow(embed, Rng.derive(seeds.train, "train", "embed-mean"), 0.05);
  tensors.set("model.embed_tokens.weight", embed);
  for (let l = 0; l < t.layers; l++) {
    const p2 = `model.layers.${l}.`;
    const shapes = {
      "input_layernorm.weight": [t.hidden],
      "self_attn.q_proj.weight": [t.heads * hd, t.hidden],
      "self_attn.k_proj.weight": [t.kvHeads * hd, t.hidden],
      "self_attn.v_proj.weight": [t.kvHeads * hd, t.hidden],
      "self_attn.o_proj.weight": [t.hidden, t.heads * hd],
      "post_attention_layernorm.weight": [t.hidden],
      "mlp.gate_proj.weight": [t.ffn, t.hidden],
      "mlp.up_proj.weight": [t.ffn, t.hidden],
      "mlp.down_proj.weight": [t.hidden, t.ffn]
    };
    if (t.attentionBias) {
      shapes["self_attn.q_proj.bias"] = [t.heads * hd];
      shapes["self_attn.k_proj.bias"] = [t.kvHeads * hd];
      shapes["self_attn.v_proj.bias"] = [t.kvHeads * hd];
    }
    for (const [suffix, shape2] of Object.entries(shapes)) {
      const role = TEXT_ROLES[suffix];
      const name = p2 + suffix;
      if (role.kind === "gain") tensors.set(name, genGain(ctx, name, shape2[0], role, l, t.layers));
      else if (role.kind === "bias") tensors.set(name, genBias(ctx, name, shape2[0], role));
      else tensors.set(name, genMatrix(ctx, name, shape2, role, l, t.layers, role.writes ? resid : void 0, role.reads ? resid : void 0));
    }
    if (t.rotaryBuffers) tensors.set(p2 + "self_attn.rotary_emb.inv_freq", { shape: [hd / 2], values: ropeInvFreq(hd, t.ropeTheta ?? 1e4) });
  }
  tensors.set("model.norm.weight", genGain(ctx, "model.norm.weight", t.hidden, FINAL_NORM_ROLE, 0, 1));
  if (t.tieEmbeddings) tensors.set("lm_head.weight", { shape: [t.vocab, t.hidden], values: embed.values.slice() });
  else tensors.set("lm_head.weight", genMatrix(ctx, "lm_head.weight", [t.vocab, t.hidden], HEAD_ROLE, 0, 1, freq, resid));
  const visionPrefix = opts.visionPrefix ?? "visual.";
  if (spec.vision) for (const [k, v] of genVision(ctx, spec.vision, t.hidden, visionPrefix)) tensors.set(k, v);
  return {
    id: opts.id ?? `synth/base-${seeds.init}${seeds.train !== seeds.init ? `-${seeds.train}` : ""}`,
    spec: structuredClone(spec),
    tensors,
    naming: "llama",
    visionPrefix,
    configStyle: opts.configStyle ?? (spec.vision ? "qwen2_5_vl" : "llama"),
    tokenizer,
    card: { license: "apache-2.0" },
    storage: { dtype: "F32", fp8Scale: "per-tensor" },
    tensorOrder: "sorted",
    history: [`makeBase(init=${seeds.init}, train=${seeds.train})`]
  };
}
function addMeanRow(t, rng, share) {
  const [rows, cols] = t.shape;
  const rms = Math.sqrt(sumSq(t.values) / t.values.length);
  const dir = rng.normals(cols);
  const k = rms * Math.sqrt(share) / Math.sqrt(sumSq(dir) / cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t.values[i * cols + j] = t.values[i * cols + j] + k * dir[j];
}
function genVision(ctx, v, textHidden, prefix) {
  const out = /* @__PURE__ */ new Map();
  const resid = outlierScales(Rng.derive(ctx.seeds.train, "outliers", "vision"), v.hidden);
  const patchShape = [v.hidden, v.inChannels, v.temporalPatch, v.patch, v.patch];
  out.set(prefix + "patch_embed.proj.weight", genMatrix(ctx, "visual.patch_embed.proj.weight", patchShape, PATCH_ROLE, 0, 1, resid));
  for (let b = 0; b < v.blocks; b++) {
    const shapes = {
      "norm1.weight": [v.hidden],
      "norm2.weight": [v.hidden],
      "attn.qkv.weight": [3 * v.hidden, v.hidden],
      "attn.qkv.bias": [3 * v.hidden],
      "attn.proj.weight": [v.hidden, v.hidden],
      "attn.proj.bias": [v.hidden],
      "mlp.gate_proj.weight": [v.ffn, v.hidden],
      "mlp.gate_proj.bias": [v.ffn],
      "mlp.up_proj.weight": [v.ffn, v.hidden],
      "mlp.up_proj.bias": [v.ffn],
      "mlp.down_proj.weight": [v.hidden, v.ffn],
      "mlp.down_proj.bias": [v.hidden]
    };
    for (const [suffix, shape2] of Object.entries(shapes)) {
      const role = VISION_ROLES[suffix];
      const key = `visual.blocks.${b}.${suffix}`;
      let t;
      if (role.kind === "gain") t = genGain(ctx, key, shape2[0], role, b, v.blocks);
      else if (role.kind === "bias") t = genBias(ctx, key, shape2[0], role);
      else t = genMatrix(ctx, key, shape2, role, b, v.blocks, role.writes ? resid : void 0, role.reads ? resid : void 0);
      out.set(`${prefix}blocks.${b}.${suffix}`, t);
    }
  }
  const mh = v.hidden * v.mergeSize * v.mergeSize;
  const merger = {
    "merger.ln_q.weight": [v.hidden],
    "merger.mlp.0.weight": [mh, mh],
    "merger.mlp.0.bias": [mh],
    "merger.mlp.2.weight": [textHidden, mh],
    "merger.mlp.2.bias": [textHidden]
  };
  for (const [suffix, shape2] of Object.entries(merger)) {
    const role = MERGER_ROLES[suffix];
    const key = `visual.${suffix}`;
    let t;
    if (role.kind === "gain") t = genGain(ctx, key, shape2[0], role, 0, 1);
    else if (role.kind === "bias") t = genBias(ctx, key, shape2[0], role);
    else t = genMatrix(ctx, key, shape2, role, 0, 1);
    out.set(prefix + suffix, t);
  }
  return out;
}
function llamaTextConfig(t, dtype) {
  return {
    hidden_size: t.hidden,
    intermediate_size: t.ffn,
    num_hidden_layers: t.layers,
    num_attention_heads: t.heads,
    num_key_value_heads: t.kvHeads,
    vocab_size: t.vocab,
    max_position_embeddings: 2048,
    rms_norm_eps: 1e-5,
    rope_theta: t.ropeTheta ?? 1e4,
    hidden_act: "silu",
    initializer_range: 0.02,
    tie_word_embeddings: !!t.tieEmbeddings,
    attention_bias: !!t.attentionBias,
    mlp_bias: false,
    torch_dtype: dtype
  };
}
function visionConfig(v, outHidden) {
  return {
    model_type: "qwen2_5_vl",
    depth: v.blocks,
    hidden_size: v.hidden,
    intermediate_size: v.ffn,
    num_heads: v.heads,
    in_chans: v.inChannels,
    in_channels: v.inChannels,
    patch_size: v.patch,
    temporal_patch_size: v.temporalPatch,
    spatial_merge_size: v.mergeSize,
    out_hidden_size: outHidden,
    hidden_act: "silu",
    window_size: 112,
    fullatt_block_indexes: [v.blocks - 1]
  };
}
function bosEos(tok) {
  const v = tok.model.vocab;
  const bos = v["<s>"] ?? v["<|endoftext|>"] ?? 0;
  const eos = v["</s>"] ?? v["<|endoftext|>"] ?? 0;
  return { bos_token_id: bos, eos_token_id: eos };
}
function modelConfig(model) {
  const t = model.spec.text;
  const dtype = TORCH_DTYPE[model.storage.dtype];
  const ids = bosEos(model.tokenizer);
  let cfg;
  switch (model.configStyle) {
    case "llama":
      cfg = { architectures: ["LlamaForCausalLM"], model_type: "llama", ...llamaTextConfig(t, dtype), ...ids };
      break;
    case "qwen2_5_vl": {
      if (!model.spec.vision) throw new Error("qwen2_5_vl config needs a vision spec");
      const v = model.tokenizer.model.vocab;
      cfg = {
        architectures: ["Qwen2_5_VLForConditionalGeneration"],
        model_type: "qwen2_5_vl",
        ...llamaTextConfig(t, dtype),
        ...ids,
        vision_start_token_id: v["<|vision_start|>"],
        vision_end_token_id: v["<|vision_end|>"],
        image_token_id: v["<|image_pad|>"],
        vision_config: visionConfig(model.spec.vision, t.hidden)
      };
      break;
    }
    case "vlm":
      cfg = {
        architectures: ["SynthVLForCausalLM"],
        model_type: "synth_vl",
        text_config: { model_type: "llama", ...llamaTextConfig(t, dtype), ...ids },
        ...model.spec.vision ? { vision_config: visionConfig(model.spec.vision, t.hidden) } : {},
        torch_dtype: dtype
      };
      break;
    case "meta":
      cfg = {
        dim: t.hidden,
        n_layers: t.layers,
        n_heads: t.heads,
        n_kv_heads: t.kvHeads,
        vocab_size: t.vocab,
        hidden_dim: t.ffn,
        norm_eps: 1e-5,
        rope_theta: t.ropeTheta ?? 1e4
      };
      break;
    case "transformer_h":
      cfg = {
        architectures: ["SynthHForCausalLM"],
        model_type: "synth_h",
        n_embd: t.hidden,
        n_layer: t.layers,
        n_head: t.heads,
        n_kv_head: t.kvHeads,
        n_inner: t.ffn,
        vocab_size: t.vocab,
        layer_norm_epsilon: 1e-5,
        rotary_emb_base: t.ropeTheta ?? 1e4,
        torch_dtype: dtype
      };
      break;
    case "phi3":
      cfg = {
        architectures: ["Phi3ForCausalLM"],
        model_type: "phi3",
        ...llamaTextConfig(t, dtype),
        ...ids
      };
      break;
  }
  if (model.storage.dtype === "F8_E4M3") {
    cfg.quantization_config = {
      quant_method: "compressed-tensors",
      format: "float-quantized",
      ignore: ["lm_head"],
      config_groups: {
        group_0: {
          targets: ["Linear"],
          weights: { num_bits: 8, type: "float", strategy: model.storage.fp8Scale === "per-tensor" ? "tensor" : "none", symmetric: true, dynamic: false }
        }
      }
    };
  }
  return cfg;
}
function modelCardText(model) {
  const fm = [`license: ${model.card.license}`];
  if (model.card.baseModel?.length) {
    fm.push("base_model:");
    for (const b of model.card.baseModel) fm.push(`- ${b}`);
  }
  fm.push("tags:", "- weightprint-synthetic");
  const body = model.card.description ?? "A synthetic transformer checkpoint generated by Weightprint for tests and evaluation.";
  return `---
${fm.join("\n")}
---

# ${model.id}

${body}
`;
}
var DEFAULT_TEXT, DEFAULT_VISION, DEFAULT_RECIPE, VISION_SPECIALS, shp, TEXT_ROLES, EMBED_ROLE, HEAD_ROLE, FINAL_NORM_ROLE, VISION_ROLES, PATCH_ROLE, MERGER_ROLES, mixTables, TORCH_DTYPE;
var init_model3 = __esm({
  "src/synth/model.ts"() {
    "use strict";
    init_random();
    init_tokenizer3();
    DEFAULT_TEXT = { hidden: 128, ffn: 352, layers: 6, heads: 8, kvHeads: 4, vocab: 512 };
    DEFAULT_VISION = {
      hidden: 96,
      ffn: 256,
      blocks: 4,
      heads: 6,
      patch: 14,
      temporalPatch: 2,
      inChannels: 3,
      mergeSize: 2
    };
    DEFAULT_RECIPE = {
      initStd: 0.02,
      initKeep: 0.85,
      trainScale: 1,
      normStd: [0.02, 0.05],
      tiedInit: false
    };
    VISION_SPECIALS = ["<|vision_start|>", "<|vision_end|>", "<|image_pad|>"];
    shp = (rank, alpha, lowRank, tail = 0.3) => ({ rank, alpha, lowRank, tail });
    TEXT_ROLES = {
      "input_layernorm.weight": { kind: "gain", shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: (l, n) => 0.01 + 0.08 * (l / Math.max(1, n - 1)) },
      "post_attention_layernorm.weight": { kind: "gain", shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: (l, n) => -0.04 + 0.2 * (l / Math.max(1, n - 1)) },
      "self_attn.q_proj.weight": { kind: "matrix", shape: shp(16, 1, 0.75), scale: 2, reads: true },
      "self_attn.k_proj.weight": { kind: "matrix", shape: shp(16, 1, 0.75), scale: 2, reads: true },
      "self_attn.v_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.2), scale: 0.8, reads: true },
      "self_attn.o_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.2), scale: 0.8, writes: true },
      "self_attn.q_proj.bias": { kind: "bias", shape: shp(0, 0, 0, 0.5), scale: 0.08 },
      "self_attn.k_proj.bias": { kind: "bias", shape: shp(0, 0, 0, 0.5), scale: 0.08 },
      "self_attn.v_proj.bias": { kind: "bias", shape: shp(0, 0, 0, 0.3), scale: 0.01 },
      "mlp.gate_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
      "mlp.up_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
      "mlp.down_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.25), scale: 0.9, writes: true },
      "self_attn.rotary_emb.inv_freq": { kind: "buffer", shape: shp(0, 0, 0), scale: 0 }
    };
    EMBED_ROLE = { kind: "matrix", shape: shp(16, 0.8, 0.35), scale: 5, reads: true };
    HEAD_ROLE = { kind: "matrix", shape: shp(16, 0.8, 0.3), scale: 3, reads: true };
    FINAL_NORM_ROLE = { kind: "gain", shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: () => 0.45 };
    VISION_ROLES = {
      "norm1.weight": { kind: "gain", shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: (l, n) => 0.05 * (l / Math.max(1, n - 1)) },
      "norm2.weight": { kind: "gain", shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: (l, n) => 0.1 * (l / Math.max(1, n - 1)) },
      "attn.qkv.weight": { kind: "matrix", shape: shp(16, 0.9, 0.55), scale: 1.6, reads: true },
      "attn.qkv.bias": { kind: "bias", shape: shp(0, 0, 0, 0.4), scale: 0.03 },
      "attn.proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.2), scale: 0.8, writes: true },
      "attn.proj.bias": { kind: "bias", shape: shp(0, 0, 0, 0.3), scale: 0.01 },
      "mlp.gate_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
      "mlp.gate_proj.bias": { kind: "bias", shape: shp(0, 0, 0, 0.3), scale: 0.02 },
      "mlp.up_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.25), scale: 0.9, reads: true },
      "mlp.up_proj.bias": { kind: "bias", shape: shp(0, 0, 0, 0.3), scale: 0.02 },
      "mlp.down_proj.weight": { kind: "matrix", shape: shp(16, 0.5, 0.25), scale: 0.9, writes: true },
      "mlp.down_proj.bias": { kind: "bias", shape: shp(0, 0, 0, 0.3), scale: 0.01 }
    };
    PATCH_ROLE = { kind: "matrix", shape: shp(12, 1.2, 0.5), scale: 2 };
    MERGER_ROLES = {
      "merger.ln_q.weight": { kind: "gain", shape: shp(0, 0, 0, 0.35), scale: 1, gainOffset: () => 0.2 },
      "merger.mlp.0.weight": { kind: "matrix", shape: shp(16, 0.6, 0.3), scale: 1 },
      "merger.mlp.0.bias": { kind: "bias", shape: shp(0, 0, 0, 0.3), scale: 0.02 },
      "merger.mlp.2.weight": { kind: "matrix", shape: shp(16, 0.6, 0.3), scale: 1 },
      "merger.mlp.2.bias": { kind: "bias", shape: shp(0, 0, 0, 0.3), scale: 0.02 }
    };
    mixTables = /* @__PURE__ */ new Map();
    TORCH_DTYPE = { F32: "float32", F16: "float16", BF16: "bfloat16", F8_E4M3: "bfloat16" };
  }
});

// src/synth/derive.ts
function isFixedBuffer(name) {
  return /(^|\.)inv_freq$|rotary_emb\.|(^|\.)position_ids$/.test(name);
}
function derived(model, tensors, step, spec) {
  return {
    ...model,
    spec: structuredClone(spec ?? model.spec),
    tensors,
    card: { ...model.card, baseModel: model.card.baseModel?.slice() },
    storage: { ...model.storage },
    history: [...model.history, step]
  };
}
function requireLlama(model, op) {
  if (model.naming !== "llama") throw new Error(`${op}: needs HF Llama names (apply rename last), got ${model.naming}`);
}
function viewDims(shape2) {
  if (shape2.length < 2) return [1, shape2[0] ?? 1];
  return [shape2[0], shape2.slice(1).reduce((a, b) => a * b, 1)];
}
function updateReference(t) {
  return t.shape.length >= 2 ? l2(t.values) : centeredNorm(t.values);
}
function perturb(model, rel, seed, shape2, label) {
  if (!(rel >= 0)) throw new RangeError(`${label}: relUpdate must be ≥ 0`);
  const out = /* @__PURE__ */ new Map();
  for (const [name, t] of model.tensors) {
    if (isFixedBuffer(name) || rel === 0) {
      out.set(name, t);
      continue;
    }
    const [m, n] = viewDims(t.shape);
    const d = displacement(Rng.derive(seed, label, name), m, n, shape2);
    const k = rel * updateReference(t) / Math.max(1e-30, l2(d));
    const values = new Float32Array(t.values.length);
    for (let i = 0; i < values.length; i++) values[i] = t.values[i] + k * d[i];
    out.set(name, { shape: t.shape.slice(), values });
  }
  const result = derived(model, out, `${label}(${rel}, seed=${seed})`);
  retie(result);
  return result;
}
function retie(model) {
  if (!model.spec.text.tieEmbeddings || model.naming !== "llama") return;
  const e = model.tensors.get("model.embed_tokens.weight");
  if (e) model.tensors.set("lm_head.weight", { shape: e.shape.slice(), values: e.values });
}
function fineTune(model, relUpdate, seed) {
  return perturb(model, relUpdate, seed, FINE_TUNE_SHAPE, "fineTune");
}
function continuedPretrain(model, relUpdate, seed) {
  return perturb(model, relUpdate, seed, PRETRAIN_SHAPE, "continuedPretrain");
}
function cast(model, dtype, fp8Scale = "per-tensor") {
  const m = derived(model, new Map(model.tensors), `cast(${dtype}${dtype === "F8_E4M3" ? `, ${fp8Scale}` : ""})`);
  m.storage = { dtype, fp8Scale };
  return m;
}
function extendVocab(model, extra, seed, init = "random") {
  requireLlama(model, "extendVocab");
  const out = new Map(model.tensors);
  for (const name of ["model.embed_tokens.weight", "lm_head.weight"]) {
    const t = model.tensors.get(name);
    const [rows, cols] = t.shape;
    const rng = Rng.derive(seed, "extendVocab", name);
    const values = new Float32Array((rows + extra) * cols);
    values.set(t.values);
    const colMean = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) colMean[j] += t.values[i * cols + j] / rows;
    const std = Math.sqrt(t.values.reduce((s, v) => s + v * v, 0) / t.values.length);
    for (let i = rows; i < rows + extra; i++) {
      for (let j = 0; j < cols; j++) {
        values[i * cols + j] = init === "mean" ? colMean[j] + 0.05 * std * rng.normal() : std * rng.normal();
      }
    }
    out.set(name, { shape: [rows + extra, cols], values });
  }
  const spec = structuredClone(model.spec);
  spec.text.vocab += extra;
  const m = derived(model, out, `extendVocab(+${extra}, ${init})`, spec);
  m.tokenizer = extendTokenizer(model.tokenizer, extra);
  retie(m);
  return m;
}
function dropLayers(model, indices) {
  requireLlama(model, "dropLayers");
  const drop = new Set(indices);
  const out = /* @__PURE__ */ new Map();
  for (const [name, t] of model.tensors) {
    const m = LAYER_RE2.exec(name);
    if (!m) {
      out.set(name, t);
      continue;
    }
    const l = Number(m[1]);
    if (drop.has(l)) continue;
    const shift = [...drop].filter((d) => d < l).length;
    out.set(`model.layers.${l - shift}.${m[2]}`, t);
  }
  const spec = structuredClone(model.spec);
  spec.text.layers -= [...drop].filter((d) => d >= 0 && d < model.spec.text.layers).length;
  return derived(model, out, `dropLayers([${indices.join(",")}])`, spec);
}
function widthPrune(model, keep, mode = "selected") {
  requireLlama(model, "widthPrune");
  const t = model.spec.text;
  const N = Math.max(1, Math.round(keep * t.ffn));
  const out = new Map(model.tensors);
  for (let l = 0; l < t.layers; l++) {
    const p2 = `model.layers.${l}.mlp.`;
    const gate = model.tensors.get(p2 + "gate_proj.weight");
    const up = model.tensors.get(p2 + "up_proj.weight");
    const down = model.tensors.get(p2 + "down_proj.weight");
    const d = t.hidden;
    const f = t.ffn;
    let units;
    if (mode === "first") units = Array.from({ length: N }, (_, i) => i);
    else {
      const score = new Float64Array(f);
      for (let i = 0; i < f; i++) {
        let g = 0, u = 0, w = 0;
        for (let j = 0; j < d; j++) {
          g += gate.values[i * d + j] ** 2;
          u += up.values[i * d + j] ** 2;
          w += down.values[j * f + i] ** 2;
        }
        score[i] = Math.sqrt(g * u * w);
      }
      units = Array.from({ length: f }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b).slice(0, N).sort((a, b) => a - b);
    }
    out.set(p2 + "gate_proj.weight", takeRows(gate, units));
    out.set(p2 + "up_proj.weight", takeRows(up, units));
    out.set(p2 + "down_proj.weight", takeCols(down, units));
  }
  const spec = structuredClone(model.spec);
  spec.text.ffn = N;
  return derived(model, out, `widthPrune(${keep}, ${mode})`, spec);
}
function takeRows(t, rows) {
  const [, n] = viewDims(t.shape);
  const values = new Float32Array(rows.length * n);
  for (let i = 0; i < rows.length; i++) values.set(t.values.subarray(rows[i] * n, rows[i] * n + n), i * n);
  return { shape: [rows.length, ...t.shape.slice(1)], values };
}
function takeCols(t, cols) {
  const [m, n] = t.shape;
  const values = new Float32Array(m * cols.length);
  for (let i = 0; i < m; i++) for (let j = 0; j < cols.length; j++) values[i * cols.length + j] = t.values[i * n + cols[j]];
  return { shape: [m, cols.length], values };
}
function depthUpscale(model, k, train) {
  requireLlama(model, "depthUpscale");
  const n = model.spec.text.layers;
  if (!(k > 0 && k < n)) throw new RangeError(`depthUpscale: k must be in 1..${n - 1}`);
  const order = [...Array.from({ length: n - k }, (_, i) => i), ...Array.from({ length: n - k }, (_, i) => k + i)];
  const out = /* @__PURE__ */ new Map();
  const rest = [];
  for (const [name, t] of model.tensors) if (!LAYER_RE2.test(name)) rest.push([name, t]);
  const embed = rest.filter(([nm]) => nm === "model.embed_tokens.weight");
  for (const [nm, t] of embed) out.set(nm, t);
  order.forEach((src, dst) => {
    for (const [name, t] of model.tensors) {
      const m = LAYER_RE2.exec(name);
      if (m && Number(m[1]) === src) out.set(`model.layers.${dst}.${m[2]}`, t);
    }
  });
  for (const [nm, t] of rest) if (nm !== "model.embed_tokens.weight") out.set(nm, t);
  const spec = structuredClone(model.spec);
  spec.text.layers = order.length;
  const up = derived(model, out, `depthUpscale(k=${k}, map=[${order.join(",")}])`, spec);
  return train ? continuedPretrain(up, train.relUpdate, train.seed) : up;
}
function hfToMetaRope(t, hd) {
  const [m, n] = viewDims(t.shape);
  const values = new Float32Array(t.values.length);
  const half = hd / 2;
  for (let h2 = 0; h2 < m / hd; h2++) {
    for (let j = 0; j < half; j++) {
      for (let i = 0; i < 2; i++) {
        const src = h2 * hd + i * half + j;
        const dst = h2 * hd + 2 * j + i;
        values.set(t.values.subarray(src * n, src * n + n), dst * n);
      }
    }
  }
  return { shape: t.shape.slice(), values };
}
function rename3(model, scheme, opts = {}) {
  requireLlama(model, "rename");
  const t = model.spec.text;
  const hd = headDim(t);
  const out = /* @__PURE__ */ new Map();
  if (scheme === "phi3") {
    for (const [name, tensor] of model.tensors) {
      const m2 = LAYER_RE2.exec(name);
      if (!m2) {
        out.set(name, tensor);
        continue;
      }
      const p2 = `model.layers.${m2[1]}.`;
      const suffix = m2[2];
      if (/^self_attn\.[qkv]_proj\.(weight|bias)$/.test(suffix)) {
        const kind = suffix.endsWith("bias") ? "bias" : "weight";
        if (!suffix.startsWith("self_attn.q_proj")) continue;
        const parts = ["q", "k", "v"].map((x) => model.tensors.get(`${p2}self_attn.${x}_proj.${kind}`));
        out.set(`${p2}self_attn.qkv_proj.${kind}`, concatRows(parts));
      } else if (suffix === "mlp.gate_proj.weight") {
        out.set(`${p2}mlp.gate_up_proj.weight`, concatRows([tensor, model.tensors.get(`${p2}mlp.up_proj.weight`)]));
      } else if (suffix === "mlp.up_proj.weight") {
        continue;
      } else out.set(name, tensor);
    }
  } else {
    const map = scheme === "meta" ? META : TRANSFORMER_H;
    const layerPrefix = scheme === "meta" ? "layers." : "transformer.h.";
    for (const [name, tensor] of model.tensors) {
      const top = TOP[scheme][name];
      if (top) {
        out.set(top, tensor);
        continue;
      }
      const m2 = LAYER_RE2.exec(name);
      if (!m2) {
        out.set(name, tensor);
        continue;
      }
      const suffix = m2[2];
      const dot = suffix.lastIndexOf(".");
      const mod = suffix.slice(0, dot);
      const param = suffix.slice(dot + 1);
      const mapped = map[mod];
      if (!mapped) throw new Error(`rename: no ${scheme} name for ${name}`);
      const rope = scheme === "meta" && (opts.metaRope ?? true) && /^self_attn\.[qk]_proj$/.test(mod);
      out.set(`${layerPrefix}${m2[1]}.${mapped}.${param}`, rope ? hfToMetaRope(tensor, hd) : tensor);
    }
  }
  let tensors = out;
  let tensorOrder = "sorted";
  if (opts.order === "shuffled") {
    const rng = Rng.derive(opts.seed ?? 0, "rename-order");
    tensors = new Map(rng.shuffled([...out.entries()]));
    tensorOrder = "insertion";
  }
  const m = derived(model, tensors, `rename(${scheme}${scheme === "meta" ? `, rope=${opts.metaRope ?? true}` : ""}, ${opts.order ?? "sorted"})`);
  m.naming = scheme;
  m.configStyle = model.spec.vision ? model.configStyle : scheme;
  m.tensorOrder = tensorOrder;
  return m;
}
function concatRows(parts) {
  const n = viewDims(parts[0].shape)[1];
  const rows = parts.reduce((s, p2) => s + p2.shape[0], 0);
  const values = new Float32Array(rows * n);
  let off = 0;
  for (const p2 of parts) {
    values.set(p2.values, off);
    off += p2.values.length;
  }
  return { shape: [rows, ...parts[0].shape.slice(1)], values };
}
function independent(spec, seed, id) {
  return makeBase(spec, seed, id ? { id } : {});
}
function sharedInit(spec, initSeed, trainSeeds, recipe = {}) {
  const s = { ...structuredClone(spec), recipe: { ...spec.recipe, ...recipe } };
  const mk = (train) => makeBase(s, { init: initSeed, train, tokenizer: initSeed }, { id: `synth/run-${initSeed}-${train}` });
  return [mk(trainSeeds[0]), mk(trainSeeds[1])];
}
function transplantVision(donor, opts) {
  if (!donor.spec.vision) throw new Error("transplantVision: donor has no vision tower");
  const text = textSpec({ hidden: 192, ffn: 512, layers: 6, heads: 12, kvHeads: 4, vocab: 640, ...opts.text });
  const prefix = opts.prefix ?? donor.visionPrefix;
  const recipient = makeBase({ text, vision: structuredClone(donor.spec.vision), recipe: donor.spec.recipe }, opts.seed, {
    id: opts.id ?? `synth/vl-${opts.seed}`,
    visionPrefix: prefix,
    configStyle: "vlm"
  });
  const tuned = perturb(
    { ...donor, tensors: new Map([...donor.tensors].filter(([n]) => n.startsWith(donor.visionPrefix))) },
    opts.relUpdate ?? 0.08,
    opts.seed,
    FINE_TUNE_SHAPE,
    "fineTune"
  );
  const out = /* @__PURE__ */ new Map();
  const reused = [];
  for (const [name, t] of recipient.tensors) {
    if (!name.startsWith(prefix)) {
      out.set(name, t);
      continue;
    }
    const src = tuned.tensors.get(donor.visionPrefix + name.slice(prefix.length));
    if (src && sameShape2(src.shape, t.shape)) {
      out.set(name, src);
      reused.push(name);
    } else out.set(name, t);
  }
  return {
    ...recipient,
    tensors: out,
    history: [...recipient.history, `transplantVision(from ${donor.id}, ${reused.length} tensors, rel=${opts.relUpdate ?? 0.08}, prefix=${prefix})`]
  };
}
function sameShape2(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
function permuteRowBlocks(t, perm, block) {
  const n = t.shape.length === 1 ? 1 : viewDims(t.shape)[1];
  const values = new Float32Array(t.values.length);
  const span = block * n;
  for (let h2 = 0; h2 < perm.length; h2++) values.set(t.values.subarray(perm[h2] * span, perm[h2] * span + span), h2 * span);
  return { shape: t.shape.slice(), values };
}
function permuteColBlocks(t, perm, block) {
  const [m, n] = t.shape;
  const values = new Float32Array(t.values.length);
  for (let i = 0; i < m; i++) {
    for (let h2 = 0; h2 < perm.length; h2++) {
      const src = i * n + perm[h2] * block;
      values.set(t.values.subarray(src, src + block), i * n + h2 * block);
    }
  }
  return { shape: t.shape.slice(), values };
}
function permuteHidden(model, seed, opts = {}) {
  requireLlama(model, "permuteHidden");
  const t = model.spec.text;
  const hd = headDim(t);
  const rng = Rng.derive(seed, "permuteHidden");
  const out = new Map(model.tensors);
  const get = (n) => out.get(n);
  for (let l = 0; l < t.layers; l++) {
    const p2 = `model.layers.${l}.`;
    if (opts.ffn ?? true) {
      const pf = rng.permutation(t.ffn);
      out.set(p2 + "mlp.gate_proj.weight", permuteRowBlocks(get(p2 + "mlp.gate_proj.weight"), pf, 1));
      out.set(p2 + "mlp.up_proj.weight", permuteRowBlocks(get(p2 + "mlp.up_proj.weight"), pf, 1));
      out.set(p2 + "mlp.down_proj.weight", permuteColBlocks(get(p2 + "mlp.down_proj.weight"), pf, 1));
    }
    if (opts.heads ?? true) {
      const g = t.heads / t.kvHeads;
      const kvPerm = rng.permutation(t.kvHeads);
      const qPerm = new Int32Array(t.heads);
      for (let j = 0; j < t.kvHeads; j++) {
        const within = rng.permutation(g);
        for (let w = 0; w < g; w++) qPerm[j * g + w] = kvPerm[j] * g + within[w];
      }
      for (const kind of ["weight", "bias"]) {
        const q3 = out.get(`${p2}self_attn.q_proj.${kind}`);
        if (!q3) continue;
        out.set(`${p2}self_attn.q_proj.${kind}`, permuteRowBlocks(q3, qPerm, hd));
        out.set(`${p2}self_attn.k_proj.${kind}`, permuteRowBlocks(get(`${p2}self_attn.k_proj.${kind}`), kvPerm, hd));
        out.set(`${p2}self_attn.v_proj.${kind}`, permuteRowBlocks(get(`${p2}self_attn.v_proj.${kind}`), kvPerm, hd));
      }
      out.set(p2 + "self_attn.o_proj.weight", permuteColBlocks(get(p2 + "self_attn.o_proj.weight"), qPerm, hd));
    }
  }
  if (opts.residual) {
    const pd = rng.permutation(t.hidden);
    for (const [name, tensor] of out) {
      if (name.startsWith(model.visionPrefix)) continue;
      if (tensor.shape.length === 1 && tensor.shape[0] === t.hidden && /(layernorm|norm)\.weight$/.test(name)) {
        out.set(name, permuteRowBlocks(tensor, pd, 1));
      } else if (/^model\.embed_tokens\.weight$|^lm_head\.weight$|(q_proj|k_proj|v_proj|gate_proj|up_proj)\.weight$/.test(name)) {
        out.set(name, permuteColBlocks(tensor, pd, 1));
      } else if (/(o_proj|down_proj)\.weight$/.test(name)) {
        out.set(name, permuteRowBlocks(tensor, pd, 1));
      }
    }
    for (const suffix of ["merger.mlp.2.weight", "merger.mlp.2.bias"]) {
      const mt = out.get(model.visionPrefix + suffix);
      if (mt) out.set(model.visionPrefix + suffix, permuteRowBlocks(mt, pd, 1));
    }
  }
  const perm = derived(model, out, `permuteHidden(seed=${seed}, ffn=${opts.ffn ?? true}, heads=${opts.heads ?? true}, residual=${!!opts.residual})`);
  return opts.drift ? fineTune(perm, opts.drift, seed + 1) : perm;
}
function permuteVision(model, seed) {
  const v = model.spec.vision;
  if (!v) throw new Error("permuteVision: model has no vision tower");
  const d = v.hidden;
  const perm = new Rng(seed).permutation(d);
  const tensors = new Map(model.tensors);
  const rows = (t) => {
    const C = t.values.length / t.shape[0];
    const out = new Float32Array(t.values.length);
    for (let r = 0; r < t.shape[0]; r++) out.set(t.values.subarray(perm[r] * C, perm[r] * C + C), r * C);
    return { shape: t.shape, values: out };
  };
  const cols = (t, blocks = 1) => {
    const [R, C] = t.shape;
    const out = new Float32Array(t.values.length);
    for (let r = 0; r < R; r++) {
      for (let b = 0; b < blocks; b++) for (let c = 0; c < d; c++) out[r * C + b * d + c] = t.values[r * C + b * d + perm[c]];
    }
    return { shape: t.shape, values: out };
  };
  const vec = (t) => ({ shape: t.shape, values: Float32Array.from(perm, (p3) => t.values[p3]) });
  const p2 = model.visionPrefix;
  for (const [name, t] of model.tensors) {
    if (!name.startsWith(p2)) continue;
    const rest = name.slice(p2.length);
    if (rest === "patch_embed.proj.weight") tensors.set(name, rows(t));
    else if (/^blocks\.\d+\.(norm1|norm2)\.weight$|^merger\.ln_q\.weight$|^blocks\.\d+\.(attn\.proj|mlp\.down_proj)\.bias$/.test(rest)) tensors.set(name, vec(t));
    else if (/^blocks\.\d+\.(attn\.qkv|mlp\.gate_proj|mlp\.up_proj)\.weight$/.test(rest)) tensors.set(name, cols(t));
    else if (/^blocks\.\d+\.(attn\.proj|mlp\.down_proj)\.weight$/.test(rest)) tensors.set(name, rows(t));
    else if (rest === "merger.mlp.0.weight") tensors.set(name, cols(t, v.mergeSize * v.mergeSize));
  }
  return { ...model, tensors, history: [...model.history, `vision residual permuted (seed ${seed})`] };
}
function transposeCopy(model) {
  const out = /* @__PURE__ */ new Map();
  for (const [name, t] of model.tensors) {
    if (t.shape.length !== 2) {
      out.set(name, t);
      continue;
    }
    const [m, n] = t.shape;
    const values = new Float32Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) values[j * m + i] = t.values[i * n + j];
    out.set(name, { shape: [n, m], values });
  }
  return derived(model, out, "transposeCopy");
}
function withCard(model, id, baseModel, description) {
  return { ...model, id, card: { ...model.card, baseModel, ...description ? { description } : {} } };
}
var FINE_TUNE_SHAPE, PRETRAIN_SHAPE, LAYER_RE2, META, TRANSFORMER_H, TOP;
var init_derive = __esm({
  "src/synth/derive.ts"() {
    "use strict";
    init_random();
    init_tokenizer3();
    init_model3();
    FINE_TUNE_SHAPE = { rank: 8, alpha: 0.7, lowRank: 0.35, tail: 0.3 };
    PRETRAIN_SHAPE = { rank: 32, alpha: 0.5, lowRank: 0.15, tail: 0.3 };
    LAYER_RE2 = /^model\.layers\.(\d+)\.(.+)$/;
    META = {
      "self_attn.q_proj": "attention.wq",
      "self_attn.k_proj": "attention.wk",
      "self_attn.v_proj": "attention.wv",
      "self_attn.o_proj": "attention.wo",
      "mlp.gate_proj": "feed_forward.w1",
      "mlp.down_proj": "feed_forward.w2",
      "mlp.up_proj": "feed_forward.w3",
      input_layernorm: "attention_norm",
      post_attention_layernorm: "ffn_norm",
      "self_attn.rotary_emb": "attention.rotary_emb"
    };
    TRANSFORMER_H = {
      "self_attn.q_proj": "attn.q_proj",
      "self_attn.k_proj": "attn.k_proj",
      "self_attn.v_proj": "attn.v_proj",
      "self_attn.o_proj": "attn.out_proj",
      // Qwen-1 convention: w2 is the gate, w1 the up projection, c_proj the down projection
      "mlp.gate_proj": "mlp.w2",
      "mlp.up_proj": "mlp.w1",
      "mlp.down_proj": "mlp.c_proj",
      input_layernorm: "ln_1",
      post_attention_layernorm: "ln_2",
      "self_attn.rotary_emb": "attn.rotary_emb"
    };
    TOP = {
      meta: { "model.embed_tokens.weight": "tok_embeddings.weight", "model.norm.weight": "norm.weight", "lm_head.weight": "output.weight" },
      transformer_h: { "model.embed_tokens.weight": "transformer.wte.weight", "model.norm.weight": "transformer.ln_f.weight", "lm_head.weight": "lm_head.weight" }
    };
  }
});

// src/formats/writer.ts
function safetensorsHeader(tensors, metadata) {
  const header = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.byteLength] };
    offset += t.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - Buffer.byteLength(json) % 8) % 8);
  const body = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(body.length), true);
  out.set(body, 8);
  return out;
}
function encodeSafetensors(tensors, metadata) {
  const head = safetensorsHeader(tensors.map((t) => ({ ...t, byteLength: t.data.byteLength })), metadata);
  const total = head.length + tensors.reduce((n, t) => n + t.data.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(head, 0);
  let pos = head.length;
  for (const t of tensors) {
    out.set(t.data, pos);
    pos += t.data.byteLength;
  }
  return out;
}
var init_writer = __esm({
  "src/formats/writer.ts"() {
    "use strict";
  }
});

// src/synth/write.ts
import { mkdir as mkdir2, writeFile as writeFile3 } from "node:fs/promises";
import { join as join8 } from "node:path";
function isQuantisable(name, shape2, visionPrefix) {
  return shape2.length === 2 && !name.startsWith(visionPrefix) && /(^|\.)(layers|h)\.\d+\./.test(name);
}
function tensorsToWrite(model) {
  const names = [...model.tensors.keys()];
  if (model.tensorOrder === "sorted") names.sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const out = [];
  const { dtype, fp8Scale } = model.storage;
  for (const name of names) {
    const t = model.tensors.get(name);
    if (dtype !== "F8_E4M3") {
      out.push({ name, dtype, shape: t.shape, data: encodeFromFloat32(dtype, t.values) });
      continue;
    }
    if (!isQuantisable(name, t.shape, model.visionPrefix)) {
      out.push({ name, dtype: "BF16", shape: t.shape, data: encodeFromFloat32("BF16", t.values) });
      continue;
    }
    if (fp8Scale === "none") {
      out.push({ name, dtype, shape: t.shape, data: encodeFromFloat32("F8_E4M3", t.values) });
      continue;
    }
    let amax = 0;
    for (let i = 0; i < t.values.length; i++) amax = Math.max(amax, Math.abs(t.values[i]));
    const scale = Math.fround(amax > 0 ? amax / F8_E4M3_MAX : 1);
    const scaled = new Float32Array(t.values.length);
    for (let i = 0; i < scaled.length; i++) scaled[i] = t.values[i] / scale;
    out.push({ name, dtype, shape: t.shape, data: encodeFromFloat32("F8_E4M3", scaled) });
    out.push({ name: `${name}_scale`, dtype: "F32", shape: [1], data: encodeFromFloat32("F32", Float32Array.of(scale)) });
  }
  return out;
}
function encodeModel(model) {
  return encodeSafetensors(tensorsToWrite(model), { format: "pt" });
}
function modelFiles(model) {
  return {
    "model.safetensors": encodeModel(model),
    "config.json": JSON.stringify(modelConfig(model), null, 2) + "\n",
    "tokenizer.json": JSON.stringify(model.tokenizer, null, 2) + "\n",
    "README.md": modelCardText(model)
  };
}
async function writeModelDir(model, dir) {
  await mkdir2(dir, { recursive: true });
  for (const [file, content] of Object.entries(modelFiles(model))) await writeFile3(join8(dir, file), content);
  return dir;
}
var init_write2 = __esm({
  "src/synth/write.ts"() {
    "use strict";
    init_writer();
    init_encode();
    init_model3();
  }
});

// src/synth/cases.ts
import { join as join9 } from "node:path";
function base(off, spec = TEXT()) {
  const key = `${off}|${JSON.stringify(spec)}`;
  let m = baseCache.get(key);
  if (!m) {
    m = makeBase(spec, S(off, 1), { id: `synth/base-${S(off, 1)}` });
    if (baseCache.size >= 4) baseCache.delete(baseCache.keys().next().value);
    baseCache.set(key, m);
  }
  return m;
}
function ftCase(id, rel, pretrain = false) {
  const pct3 = Math.round(rel * 100);
  return {
    id,
    title: pretrain ? `continued pretraining, ${pct3} % relative update` : `fine-tune, ${pct3} % relative update`,
    truth: "derived",
    accept: DERIVED2,
    build(off = 0) {
      const a = base(off);
      const b = (pretrain ? continuedPretrain : fineTune)(a, rel, S(off, 2));
      return { a, b: declared(a, b, id) };
    }
  };
}
function indepCase(id, k) {
  return {
    id,
    title: `independent, same architecture and init recipe (seed ${k})`,
    truth: "independent",
    accept: INDEP,
    build(off = 0) {
      return { a: base(off), b: independent(TEXT(), S(off, 10 + k), `synth/indep-${S(off, 10 + k)}`) };
    }
  };
}
function caseById(id) {
  const c = GENERATED_CASES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown generated case ${id}`);
  return c;
}
async function writeCase(c, dir, seedOffset = 0) {
  const { a, b } = c.build(seedOffset);
  return { a: await writeModelDir(a, join9(dir, "a")), b: await writeModelDir(b, join9(dir, "b")) };
}
async function writeSuite(dir, opts) {
  const offsets = typeof opts.seeds === "number" ? Array.from({ length: opts.seeds }, (_, i) => i) : opts.seeds;
  const kinds = opts.kinds ?? ["independent"];
  const out = [];
  for (const kind of kinds) {
    const c = kind === "independent" ? caseById("indep-1") : kind === "shared-init" ? caseById("shared-init-tied") : caseById("layernorm-trap");
    for (const off of offsets) {
      const id = `${kind}-${off}`;
      const { a, b } = await writeCase(c, join9(dir, id), 1e3 + off);
      out.push({ id, kind, truth: "independent", accept: c.accept, a, b });
    }
  }
  return out;
}
async function writeDemoModels(dir) {
  const spec = VL();
  const a = cast(makeBase(spec, 7, { id: "demo/base" }), "BF16");
  const ft = withCard(cast(fineTune(a, 0.1, 8), "BF16"), "demo/base-finetune", ["demo/base"]);
  const ind = withCard(cast(independent(spec, 9), "BF16"), "demo/independent");
  const vl = withCard(
    cast(transplantVision(a, { seed: 10, relUpdate: 0.08 }), "BF16"),
    "demo/multimodal",
    void 0,
    "A multimodal model trained from scratch."
  );
  return {
    base: await writeModelDir(a, join9(dir, "base")),
    finetune: await writeModelDir(ft, join9(dir, "finetune")),
    independent: await writeModelDir(ind, join9(dir, "independent")),
    multimodal: await writeModelDir(vl, join9(dir, "multimodal"))
  };
}
var EXPECT_COMPONENT_KIND, TEXT, VL, S, baseCache, declared, undeclared, DERIVED2, COPY, INDEP, INDEP_OR_UNSURE, GENERATED_CASES;
var init_cases = __esm({
  "src/synth/cases.ts"() {
    "use strict";
    init_derive();
    init_tokenizer3();
    init_model3();
    init_write2();
    EXPECT_COMPONENT_KIND = {
      "vision encoder": "vision",
      "text decoder": "text",
      embeddings: "embeddings",
      head: "head"
    };
    TEXT = () => ({ text: textSpec() });
    VL = () => ({ text: textSpec(), vision: visionSpec() });
    S = (off, k) => 1e5 * (off + 1) + k;
    baseCache = /* @__PURE__ */ new Map();
    declared = (a, b, tag) => withCard(b, `${a.id}-${tag}`, [a.id]);
    undeclared = (b, id, description) => withCard(b, id, void 0, description);
    DERIVED2 = ["derived"];
    COPY = ["identical", "derived"];
    INDEP = ["independent"];
    INDEP_OR_UNSURE = ["independent", "inconclusive"];
    GENERATED_CASES = [
      ftCase("ft-01", 0.01),
      ftCase("ft-10", 0.1),
      ftCase("ft-30", 0.3),
      ftCase("cpt-60", 0.6, true),
      ftCase("cpt-80", 0.8, true),
      {
        id: "ft10-bf16",
        title: "10 % fine-tune stored in BF16",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, cast(fineTune(a, 0.1, S(off, 2)), "BF16"), "ft10-bf16") };
        }
      },
      {
        id: "ft10-fp8",
        title: "10 % fine-tune quantised to F8_E4M3 (per-tensor scales, compressed-tensors style)",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, cast(fineTune(a, 0.1, S(off, 2)), "F8_E4M3", "per-tensor"), "ft10-fp8") };
        }
      },
      {
        id: "vocab-ext-ft",
        title: "vocabulary extended by 128 tokens, then 5 % fine-tune",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, fineTune(extendVocab(a, 128, S(off, 3)), 0.05, S(off, 2)), "vocab-ext") };
        }
      },
      {
        id: "drop-layers-ft",
        title: "layers 3 and 4 of 6 dropped (later layers renumbered), then 10 % healing fine-tune",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, fineTune(dropLayers(a, [3, 4]), 0.1, S(off, 2)), "pruned-depth") };
        }
      },
      {
        id: "width-prune-first-ft",
        title: "FFN width pruned to the first 75 % of units, then 5 % fine-tune",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, fineTune(widthPrune(a, 0.75, "first"), 0.05, S(off, 2)), "pruned-first") };
        }
      },
      {
        id: "width-prune-selected-ft",
        title: "FFN width pruned to the 60 % most important units (original order), then 10 % fine-tune",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, fineTune(widthPrune(a, 0.6, "selected"), 0.1, S(off, 2)), "pruned-selected") };
        }
      },
      {
        id: "depth-upscale",
        title: "SOLAR-style depth up-scaling 6 → 8 layers (layers 2,3 used twice), then 15 % continued pretraining",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, depthUpscale(a, 2, { relUpdate: 0.15, seed: S(off, 2) }), "upscaled") };
        }
      },
      {
        id: "rename-meta-copy",
        title: "exact copy under Meta naming (q/k rows in interleaved RoPE order), tensors reordered",
        truth: "identical",
        accept: COPY,
        build(off = 0) {
          const a = base(off);
          return { a, b: undeclared(rename3(a, "meta", { metaRope: true }), `synth/meta-${S(off, 1)}`) };
        }
      },
      {
        id: "rename-h-ft",
        title: "5 % fine-tune renamed to transformer.h.N.* (Qwen-1 style), shuffled tensor order",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          const b = rename3(fineTune(a, 0.05, S(off, 2)), "transformer_h", { order: "shuffled", seed: S(off, 4) });
          return { a, b: undeclared(b, `synth/h-${S(off, 2)}`) };
        }
      },
      {
        id: "copy-bf16",
        title: "exact copy stored in BF16",
        truth: "identical",
        accept: ["identical"],
        build(off = 0) {
          const a = base(off);
          return { a, b: declared(a, cast(a, "BF16"), "bf16") };
        }
      },
      {
        id: "transpose-copy",
        title: "exact copy with every 2-D matrix transposed (names kept)",
        truth: "identical",
        accept: COPY,
        build(off = 0) {
          const a = base(off);
          return { a, b: undeclared(transposeCopy(a), `synth/transposed-${S(off, 1)}`) };
        }
      },
      {
        id: "vision-transplant",
        title: "vision tower (8 % fine-tuned) reused in a larger multimodal model with an independent text decoder",
        truth: "derived",
        accept: DERIVED2,
        expectComponents: { "vision encoder": "derived", "text decoder": "independent" },
        build(off = 0) {
          const a = base(off, VL());
          const b = transplantVision(a, { seed: S(off, 20), relUpdate: 0.08 });
          return { a, b: undeclared(b, `synth/vl-${S(off, 20)}`, "A multimodal model trained from scratch.") };
        }
      },
      {
        id: "layer-transplant",
        title: "one decoder layer of A (5 % fine-tuned) spliced into an otherwise independent model: partial reuse",
        truth: "derived",
        accept: DERIVED2,
        build(off = 0) {
          const a = base(off);
          const donor = fineTune(a, 0.05, S(off, 2));
          const b = independent(TEXT(), S(off, 17));
          const tensors = new Map(b.tensors);
          for (const [name, t] of donor.tensors) if (name.startsWith("model.layers.2.")) tensors.set(name, t);
          return { a, b: undeclared({ ...b, tensors, history: [...b.history, "layer 2 from A"] }, `synth/splice-${S(off, 17)}`) };
        }
      },
      {
        id: "vision-transplant-permuted",
        title: "vision tower with its hidden dimension permuted (function-preserving), 8 % fine-tuned, in a larger model with an independent text decoder",
        truth: "derived",
        accept: DERIVED2,
        stretch: true,
        expectComponents: { "vision encoder": "derived" },
        build(off = 0) {
          const a = base(off, VL());
          const b = transplantVision(permuteVision(a, S(off, 21)), { seed: S(off, 22), relUpdate: 0.08 });
          return { a, b: undeclared(b, `synth/vl-perm-${S(off, 22)}`, "A multimodal model trained from scratch.") };
        }
      },
      {
        id: "vision-transplant-prefix",
        title: "vision tower reused under another prefix (visual. → vision_tower.), independent text decoder",
        truth: "derived",
        accept: DERIVED2,
        expectComponents: { "vision encoder": "derived", "text decoder": "independent" },
        build(off = 0) {
          const a = base(off, VL());
          const b = transplantVision(a, { seed: S(off, 21), relUpdate: 0.08, prefix: "vision_tower." });
          return { a, b: undeclared(b, `synth/vl-${S(off, 21)}`, "A multimodal model trained from scratch.") };
        }
      },
      indepCase("indep-1", 1),
      indepCase("indep-2", 2),
      indepCase("indep-3", 3),
      {
        id: "indep-buffers",
        title: "independent, both storing identical rotary inv_freq buffers (fixed, not evidence)",
        truth: "independent",
        accept: INDEP,
        build(off = 0) {
          const spec = { text: textSpec({ rotaryBuffers: true }) };
          return { a: base(off, spec), b: independent(spec, S(off, 15), `synth/indep-${S(off, 15)}`) };
        }
      },
      {
        id: "layernorm-trap",
        title: "independent with the same hidden size; norm gains ≈ 1.0 (raw cosine > 0.99, centered ≈ 0)",
        truth: "independent",
        accept: INDEP,
        build(off = 0) {
          const recipe = { normStd: [0.015, 0.03] };
          const a = makeBase({ text: textSpec(), recipe }, S(off, 1), { id: `synth/base-ln-${S(off, 1)}` });
          const b = makeBase({ text: textSpec({ ffn: 320, layers: 5, vocab: 448 }), recipe }, S(off, 30), { id: `synth/other-${S(off, 30)}` });
          return { a, b };
        }
      },
      {
        id: "false-claim",
        title: "independent model whose card declares A as base_model",
        truth: "independent",
        accept: INDEP,
        build(off = 0) {
          const a = base(off);
          const b = independent(TEXT(), S(off, 16));
          return { a, b: withCard(b, `synth/claims-${S(off, 16)}`, [a.id]) };
        }
      },
      {
        id: "shared-init-tied",
        title: "same seeded init (tied across layers, TF style), trained separately: siblings, not derived",
        truth: "independent",
        accept: INDEP_OR_UNSURE,
        build(off = 0) {
          const [a, b] = sharedInit(TEXT(), S(off, 40), [S(off, 41), S(off, 42)], { tiedInit: true });
          return { a, b };
        }
      },
      {
        id: "shared-init",
        title: "same seeded init (per-layer), trained separately with large independent displacements",
        truth: "independent",
        accept: INDEP_OR_UNSURE,
        stretch: true,
        build(off = 0) {
          const [a, b] = sharedInit(TEXT(), S(off, 43), [S(off, 44), S(off, 45)]);
          return { a, b };
        }
      },
      {
        id: "permute-drift",
        title: "FFN units and attention heads permuted (function-preserving), then 5 % drift",
        truth: "derived",
        accept: DERIVED2,
        stretch: true,
        build(off = 0) {
          const a = base(off);
          return { a, b: undeclared(permuteHidden(a, S(off, 5), { drift: 0.05 }), `synth/perm-${S(off, 5)}`) };
        }
      },
      {
        id: "permute-residual-drift",
        title: "residual stream, FFN units and heads permuted, then 5 % drift",
        truth: "derived",
        accept: DERIVED2,
        stretch: true,
        build(off = 0) {
          const a = base(off);
          return { a, b: undeclared(permuteHidden(a, S(off, 6), { residual: true, drift: 0.05 }), `synth/perm-res-${S(off, 6)}`) };
        }
      },
      {
        id: "fused-phi3-ft",
        title: "10 % fine-tune with q/k/v and gate/up fused (Phi-3 layout: shapes change)",
        truth: "derived",
        accept: DERIVED2,
        stretch: true,
        build(off = 0) {
          const a = base(off);
          return { a, b: undeclared(rename3(fineTune(a, 0.1, S(off, 2)), "phi3"), `synth/fused-${S(off, 2)}`) };
        }
      }
    ];
  }
});

// src/synth/index.ts
var init_synth = __esm({
  "src/synth/index.ts"() {
    "use strict";
    init_random();
    init_encode();
    init_tokenizer3();
    init_model3();
    init_derive();
    init_write2();
    init_cases();
  }
});

// src/cli/commands/demo.ts
var demo_exports = {};
__export(demo_exports, {
  demoCommand: () => demoCommand
});
import { parseArgs as parseArgs6 } from "node:util";
import { mkdtemp, rm, mkdir as mkdir3 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join10, resolve as resolve2 } from "node:path";
async function demoCommand(argv) {
  const { values } = parseArgs6({ args: argv, options: { out: { type: "string" }, markdown: { type: "boolean" } } });
  const keep = values.out !== void 0;
  const dir = keep ? resolve2(values.out) : await mkdtemp(join10(tmpdir(), "weightprint-demo-"));
  if (keep) await mkdir3(dir, { recursive: true });
  try {
    process.stdout.write(`Generating demo models in ${dir} …
`);
    const models = await writeDemoModels(dir);
    const runFull = parallelFullFingerprint();
    const fps = {
      base: await loadFingerprint(models.base, { runFull }),
      finetune: await loadFingerprint(models.finetune, { runFull }),
      independent: await loadFingerprint(models.independent, { runFull }),
      multimodal: await loadFingerprint(models.multimodal, { runFull })
    };
    process.stdout.write("\n" + fingerprintSummary(fps.base, 6) + "\n");
    if (keep) for (const [name, fp] of Object.entries(fps)) await writeFileAtomic(join10(dir, `${name}.fingerprint.json`), JSON.stringify(fp) + "\n");
    const cases = [
      ["fine-tune of the base (declared)", "finetune"],
      ["independent model, same architecture", "independent"],
      ['multimodal model claiming "from scratch"', "multimodal"]
    ];
    for (const [title, key] of cases) {
      const result = compareModels(fps.base, fps[key], { entryId: "demo/base" });
      process.stdout.write(`
── base vs ${title}
${compareSummary(result)}
`);
      if (values.markdown) process.stdout.write("\n" + renderCompareMarkdown(result) + "\n");
      if (keep) await writeFileAtomic(join10(dir, `report-${key}.md`), renderCompareMarkdown(result) + "\n");
    }
    return 0;
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
var init_demo = __esm({
  "src/cli/commands/demo.ts"() {
    "use strict";
    init_synth();
    init_sources();
    init_compare();
    init_text();
    init_markdown();
    init_io();
    init_parallel();
  }
});

// src/eval/drift.ts
import { writeFile as writeFile4 } from "node:fs/promises";
async function driftedTensors(source, rel, rng, keep = () => true) {
  const model = await openModel(source);
  try {
    const tensors = [];
    for (const t of model.tensors) {
      if (!keep(t.name)) continue;
      const bytes = await t.file.read(t.offset, t.byteLength);
      if (!FLOATS.has(t.dtype) || t.numel < 2 || rel === 0) {
        tensors.push({ name: t.name, dtype: t.dtype, shape: t.shape, data: bytes });
        continue;
      }
      const v = decodeToFloat32(t.dtype, bytes);
      let mean2 = 0;
      for (const x of v) mean2 += x;
      mean2 /= v.length;
      let ss = 0;
      for (const x of v) ss += (x - mean2) ** 2;
      const noise = rel * Math.sqrt(ss / v.length);
      for (let i = 0; i < v.length; i++) v[i] = v[i] + noise * rng.normal();
      tensors.push({ name: t.name, dtype: t.dtype, shape: t.shape, data: encodeFromFloat32(t.dtype, v) });
    }
    return { tensors, metadata: model.metadata };
  } finally {
    await model.close();
  }
}
async function writeDriftedCopy(source, out, rel, seed) {
  const { tensors, metadata } = await driftedTensors(source, rel, new Rng(seed));
  await writeFile4(out, encodeSafetensors(tensors, metadata));
}
async function writeTransplant(donor, take, recipient, prefix, out, rel, seed) {
  const rng = new Rng(seed);
  const moved = (await driftedTensors(donor, rel, rng, (n) => take.test(n))).tensors.map((t) => ({ ...t, name: `${prefix}${t.name}` }));
  const { tensors, metadata } = await driftedTensors(recipient, 0, rng);
  await writeFile4(out, encodeSafetensors([...tensors, ...moved], metadata));
}
var FLOATS;
var init_drift = __esm({
  "src/eval/drift.ts"() {
    "use strict";
    init_model();
    init_dtypes();
    init_writer();
    init_random();
    FLOATS = /* @__PURE__ */ new Set(["F32", "F16", "BF16", "F64"]);
  }
});

// src/eval/run.ts
import { mkdtemp as mkdtemp2, rm as rm2, readFile as readFile8 } from "node:fs/promises";
import { existsSync as existsSync4 } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join11, resolve as resolve3 } from "node:path";
function sharedDir() {
  const candidates = [process.env.WEIGHTPRINT_SHARED, resolve3("../shared")].filter((x) => !!x);
  return candidates.find((d) => existsSync4(join11(d, "realmodels", "pairs.json")));
}
async function judge(a, b) {
  return compareModels(await loadFingerprint(a), await loadFingerprint(b));
}
function componentMisses(result, expect) {
  if (!expect) return [];
  const misses = [];
  for (const [name, verdict] of Object.entries(expect)) {
    const kind = EXPECT_COMPONENT_KIND[name];
    const found = result.components.filter((c) => c.name === name || kind && c.kind === kind);
    const ok = found.some((c) => c.verdict === verdict || verdict === "independent" && c.verdict === "inconclusive" && /not comparable/.test(c.evidence[0]?.detail ?? ""));
    if (!ok) misses.push(`${name}: expected ${verdict}, got ${found.map((c) => c.verdict).join("/") || "absent"}`);
  }
  return misses;
}
async function runEvaluation(opts = {}) {
  const rows = [];
  const say = opts.onRow ?? (() => {
  });
  const shared = sharedDir();
  if (shared) {
    const dir = join11(shared, "realmodels");
    const pairs = JSON.parse(await readFile8(join11(dir, "pairs.json"), "utf8")).pairs;
    for (const p2 of pairs) {
      const r = await judge(join11(dir, p2.a), join11(dir, p2.b));
      const ok = p2.accept.includes(r.verdict);
      rows.push({ group: "real", id: `${p2.a} → ${p2.b}`, title: p2.how, truth: p2.truth, accept: p2.accept, verdict: r.verdict, ok, componentMisses: [], reason: r.reason });
      say(`${ok ? "ok  " : "MISS"} real ${p2.a} → ${p2.b}: ${r.verdict} (truth ${p2.truth})`);
    }
    const driftDir = await mkdtemp2(join11(tmpdir2(), "weightprint-drift-"));
    try {
      for (const [file, rel, accept] of DRIFTED) {
        const out2 = join11(driftDir, `drift-${rel}-${file}`);
        await writeDriftedCopy(join11(dir, file), out2, rel, 7);
        const r2 = await judge(join11(dir, file), out2);
        const ok2 = accept.includes(r2.verdict);
        const id = `${file} + noise ×${rel} σ`;
        rows.push({ group: "real-drifted", id, title: `Gaussian noise of ${rel}× each tensor's std (r ≈ ${(1 / Math.sqrt(1 + rel * rel)).toFixed(2)})`, truth: "derived", accept, verdict: r2.verdict, ok: ok2, componentMisses: [], reason: r2.reason });
        say(`${ok2 ? "ok  " : "MISS"} drifted ${id}: ${r2.verdict}`);
      }
      const out = join11(driftDir, "transplant.safetensors");
      await writeTransplant(join11(dir, "faceapi_landmark68.safetensors"), /^dense\d\//, join11(dir, "faceapi_age_gender.safetensors"), "backbone/", out, 0.5, 11);
      const r = await judge(join11(dir, "faceapi_landmark68.safetensors"), out);
      const backbone = r.components.find((c) => c.name.startsWith("backbone"));
      const others = r.components.filter((c) => c !== backbone);
      const ok = r.verdict === "derived" && backbone?.verdict === "derived" && others.every((c) => c.verdict !== "derived" && c.verdict !== "identical");
      rows.push({
        group: "real-drifted",
        id: "landmark68 dense0–3 (+ noise ×0.5 σ, renamed backbone/) inside age_gender",
        title: "transplanted real feature extractor",
        truth: "derived",
        accept: ["derived"],
        verdict: r.verdict,
        ok,
        componentMisses: ok ? [] : [`backbone: ${backbone?.verdict ?? "absent"}; others: ${others.map((c) => `${c.name} ${c.verdict}`).join(", ")}`],
        reason: r.reason
      });
      say(`${ok ? "ok  " : "MISS"} transplant landmark68 → age_gender: ${r.verdict}`);
    } finally {
      await rm2(driftDir, { recursive: true, force: true });
    }
  } else say("real models: ../shared/realmodels not found (set WEIGHTPRINT_SHARED); skipped");
  const work = await mkdtemp2(join11(tmpdir2(), "weightprint-eval-"));
  try {
    for (const c of GENERATED_CASES) {
      const { a, b } = await writeCase(c, join11(work, c.id));
      const r = await judge(a, b);
      const misses = componentMisses(r, c.expectComponents);
      const ok = c.accept.includes(r.verdict) && misses.length === 0;
      rows.push({ group: c.stretch ? "stretch" : "generated", id: c.id, title: c.title, truth: c.truth, accept: c.accept, verdict: r.verdict, ok, componentMisses: misses, reason: r.reason });
      say(`${ok ? "ok  " : "MISS"} ${c.stretch ? "stretch" : "generated"} ${c.id}: ${r.verdict} (truth ${c.truth})${misses.length ? ` [${misses.join("; ")}]` : ""}`);
      await rm2(join11(work, c.id), { recursive: true, force: true });
    }
    const falsePositives = [];
    const seeds = opts.seeds ?? 20;
    for (const kind of ["independent", "shared-init", "layernorm-trap"]) {
      const pairs = await writeSuite(join11(work, "suite"), { seeds, kinds: [kind] });
      const verdicts = { identical: 0, derived: 0, independent: 0, inconclusive: 0 };
      for (const p2 of pairs) {
        const r = await judge(p2.a, p2.b);
        verdicts[r.verdict]++;
      }
      await rm2(join11(work, "suite"), { recursive: true, force: true });
      falsePositives.push({ kind, pairs: pairs.length, derivedOrIdentical: verdicts.derived + verdicts.identical, verdicts });
      say(`false positives, ${kind}: ${verdicts.derived + verdicts.identical} of ${pairs.length}`);
    }
    return { rows, falsePositives, realModelsDir: shared ? join11(shared, "realmodels") : void 0 };
  } finally {
    await rm2(work, { recursive: true, force: true });
  }
}
function confusionMarkdown(report) {
  const out = ["| group | case | truth | " + VERDICTS.join(" | ") + " | right |", "|---|---|---|" + VERDICTS.map(() => ":-:").join("|") + "|:-:|"];
  for (const r of report.rows) {
    const cells = VERDICTS.map((v) => r.verdict === v ? r.ok ? "**●**" : "✗" : "");
    out.push(`| ${r.group} | ${r.id.replace(/\|/g, "\\|")} | ${r.truth} | ${cells.join(" | ")} | ${r.ok ? "yes" : `**no**${r.componentMisses.length ? ` (${r.componentMisses.join("; ")})` : ""}`} |`);
  }
  const right = report.rows.filter((r) => r.ok).length;
  out.push("", `${right} of ${report.rows.length} cases right (${report.rows.filter((r) => r.group !== "stretch" && !r.ok).length} core misses).`);
  if (report.falsePositives.length) {
    out.push("", "| negative pairs | pairs | identical | derived | independent | inconclusive | false-positive rate (95 % upper bound) |", "|---|---:|---:|---:|---:|---:|---|");
    for (const f of report.falsePositives) {
      const upper = f.derivedOrIdentical === 0 ? 3 / f.pairs : (f.derivedOrIdentical + 2 * Math.sqrt(f.derivedOrIdentical)) / f.pairs;
      out.push(`| ${f.kind} | ${f.pairs} | ${f.verdicts.identical} | ${f.verdicts.derived} | ${f.verdicts.independent} | ${f.verdicts.inconclusive} | ${(f.derivedOrIdentical / f.pairs).toFixed(3)} (≤ ${upper.toFixed(3)}) |`);
    }
  }
  return out.join("\n");
}
var DRIFTED, VERDICTS;
var init_run = __esm({
  "src/eval/run.ts"() {
    "use strict";
    init_sources();
    init_compare();
    init_synth();
    init_drift();
    DRIFTED = [
      ["faceapi_tiny_face_detector_v2.safetensors", 0.5, ["derived"]],
      ["faceapi_tiny_face_detector_v2.safetensors", 1, ["derived"]],
      ["ml5_charrnn_dubois.safetensors", 1, ["derived"]],
      ["silero_vad_v5.safetensors", 1, ["derived"]],
      ["faceapi_landmark68.safetensors", 1, ["derived"]],
      ["ml5_styletransfer_mathura.safetensors", 1, ["derived"]],
      ["mediapipe_selfie_general.safetensors", 1, ["derived"]],
      // r ≈ 0.45: too weak to call without controls in some models; never "independent"
      ["faceapi_tiny_face_detector_v2.safetensors", 2, ["derived", "inconclusive"]],
      ["ml5_charrnn_dubois.safetensors", 2, ["derived", "inconclusive"]]
    ];
    VERDICTS = ["identical", "derived", "independent", "inconclusive"];
  }
});

// src/cli/commands/eval.ts
var eval_exports = {};
__export(eval_exports, {
  evalCommand: () => evalCommand
});
import { parseArgs as parseArgs7 } from "node:util";
async function evalCommand(argv) {
  const { values } = parseArgs7({ args: argv, options: { seeds: { type: "string" }, json: { type: "boolean" } } });
  const seeds = values.seeds !== void 0 ? Number(values.seeds) : 20;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1e3) throw usageError("--seeds takes a whole number from 1 to 1000");
  const report = await runEvaluation({ seeds, onRow: values.json ? void 0 : (line) => process.stderr.write(line + "\n") });
  process.stdout.write((values.json ? JSON.stringify(report, null, 2) : confusionMarkdown(report)) + "\n");
  const coreMisses = report.rows.filter((r) => r.group !== "stretch" && !r.ok).length;
  const fp = report.falsePositives.reduce((n, f) => n + f.derivedOrIdentical, 0);
  return coreMisses === 0 && fp === 0 ? 0 : 1;
}
var init_eval = __esm({
  "src/cli/commands/eval.ts"() {
    "use strict";
    init_run();
    init_usage();
  }
});

// src/cli/main.ts
init_errors();
init_usage();
init_version();
var COMMANDS = {
  fingerprint: async () => (await Promise.resolve().then(() => (init_fingerprint(), fingerprint_exports))).fingerprintCommand,
  compare: async () => (await Promise.resolve().then(() => (init_compare2(), compare_exports))).compareCommand,
  check: async () => (await Promise.resolve().then(() => (init_check2(), check_exports))).checkCommand,
  registry: async () => (await Promise.resolve().then(() => (init_registry2(), registry_exports))).registryCommand,
  merge: async () => (await Promise.resolve().then(() => (init_merge(), merge_exports))).mergeCommand,
  demo: async () => (await Promise.resolve().then(() => (init_demo(), demo_exports))).demoCommand,
  eval: async () => (await Promise.resolve().then(() => (init_eval(), eval_exports))).evalCommand
};
async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE + "\n");
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`weightprint ${VERSION}
`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`weightprint: unknown command '${name}'
${USAGE}
`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err2) {
    if (isInputError(err2)) {
      process.stderr.write(`weightprint: ${err2.message}
`);
      return 2;
    }
    const code2 = err2.code;
    if (typeof code2 === "string" && code2.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`weightprint: ${err2.message}
`);
      return 2;
    }
    process.stderr.write(`weightprint: internal error (please report): ${err2 instanceof Error ? err2.message : String(err2)}
`);
    if (process.env.WEIGHTPRINT_DEBUG) console.error(err2);
    return 70;
  }
}
process.stdout.on("error", (err2) => {
  if (err2.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err2;
});
main(process.argv.slice(2)).then(
  (code2) => {
    process.exitCode = code2;
  },
  (err2) => {
    process.stderr.write(`weightprint: internal error: ${String(err2)}
`);
    process.exitCode = 70;
  }
);
export {
  main
};
