import { createRequire as __weightprintCreateRequire } from 'node:module';
const require = __weightprintCreateRequire(import.meta.url);

// src/fingerprint/worker.ts
import { parentPort } from "node:worker_threads";
import { open } from "node:fs/promises";

// src/fingerprint/accumulate.ts
import { createHash } from "node:crypto";

// src/fingerprint/lut.ts
var f16;
var bf16;
var f8 = /* @__PURE__ */ new Map();
function f16Table() {
  if (f16) return f16;
  f16 = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 32768 ? -1 : 1;
    const exp = h >> 10 & 31;
    const man = h & 1023;
    let v;
    if (exp === 0) v = man * 2 ** -24;
    else if (exp === 31) v = man ? NaN : Infinity;
    else v = (1 + man / 1024) * 2 ** (exp - 15);
    f16[h] = sign * v;
  }
  return f16;
}
function bf16Table() {
  if (bf16) return bf16;
  bf16 = new Float32Array(65536);
  const u = new Uint32Array(bf16.buffer);
  for (let h = 0; h < 65536; h++) u[h] = h << 16;
  return bf16;
}
function f8Table(dtype) {
  const cached = f8.get(dtype);
  if (cached) return cached;
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

// src/fingerprint/sample.ts
var DEFAULT_SAMPLE_K = 4096;
var DEFAULT_SAMPLE_SEED = 1592598566;
function hash32(seed, tag, index) {
  let h = (seed ^ Math.imul(tag + 2654435769, 2246822507) ^ Math.imul(index, 3432918353)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  h = Math.imul(h ^ index >>> 16, 668265261);
  h ^= h >>> 15;
  return h >>> 0;
}
var ROW_TAG = 1;
var COL_TAG = ROW_TAG;
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
      const h = hash32(seed, tag, i);
      if (h < bestHash) {
        bestHash = h;
        best = i;
      }
    }
    picked.push(best);
  }
  return Uint32Array.from(picked);
}
function matrixView(shape) {
  if (shape.length === 0) return { R: 1, C: 1 };
  if (shape.length === 1) return { R: 1, C: shape[0] };
  const R = shape[0];
  let C = 1;
  for (let i = 1; i < shape.length; i++) C *= shape[i];
  return { R, C };
}
function planSample(shape, k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED) {
  const { R, C } = matrixView(shape);
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
function quantizeSample(values) {
  let n = 0;
  let sum = 0;
  for (const v of values) if (Number.isFinite(v)) {
    sum += v;
    n++;
  }
  const center = n > 0 ? sum / n : 0;
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
  const q = new Int8Array(values.length);
  if (scale > 0) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      const x = Math.round((v - center) / scale);
      q[i] = x > 127 ? 127 : x < -127 ? -127 : x;
    }
  }
  return { center: Math.fround(center), scale: Math.fround(scale), q };
}
function encodeQ(q) {
  return Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString("base64");
}

// src/errors.ts
var InputError = class extends Error {
  constructor(source, problem) {
    super(`${source}: ${problem}`);
    this.source = source;
    this.problem = problem;
  }
  source;
  problem;
  name = "InputError";
};

// src/formats/dtypes.ts
var TABLE = {
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
var ALL_DTYPES = Object.keys(TABLE);
var DECODED_DTYPES = ALL_DTYPES.filter((d) => TABLE[d].decodable);
var PACKED_DTYPES = ALL_DTYPES.filter((d) => !TABLE[d].decodable);
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
var LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
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
      return lookup(native(Uint16Array, bytes, n), f16Table2(), out);
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
var F16_TABLE;
var E4M3_TABLE;
var E5M2_TABLE;
function f16Table2() {
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
var F16 = { exp: 5, mant: 10, bias: 15, ieeeSpecials: true, maxFinite: 31743, overflow: 31744, nan: 32256 };
var E4M3 = { exp: 4, mant: 3, bias: 7, ieeeSpecials: false, maxFinite: 126, overflow: 127, nan: 127 };
var E5M2 = { exp: 5, mant: 2, bias: 15, ieeeSpecials: true, maxFinite: 123, overflow: 124, nan: 127 };
function miniFloatValue(code, f) {
  const signBit = 1 << f.exp + f.mant;
  const sign = code & signBit ? -1 : 1;
  const e = code >> f.mant & (1 << f.exp) - 1;
  const m = code & (1 << f.mant) - 1;
  const topExp = (1 << f.exp) - 1;
  if (f.ieeeSpecials && e === topExp) return m === 0 ? sign * Infinity : NaN;
  if (!f.ieeeSpecials && (code & signBit - 1) === signBit - 1) return NaN;
  if (e === 0) return sign * m * 2 ** (1 - f.bias - f.mant);
  return sign * (2 ** f.mant + m) * 2 ** (e - f.bias - f.mant);
}
var BITS_F32 = new Float32Array(1);
var BITS_U32 = new Uint32Array(BITS_F32.buffer);

// src/fingerprint/shape.ts
function numel(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

// src/fingerprint/accumulate.ts
var STRUCTURE_PREFIX = 65536;
function wantsFullCols(name, shape) {
  return shape.length >= 2 && shape[0] >= 16 && shape[0] <= 16384 && /(?:^|[._/])(?:patch_embed|patch_embedding|patch_embeddings)(?:[._/]|$)/.test(name);
}
function wantsFullRows(name, shape) {
  return shape.length === 2 && shape[0] >= shape[1] && shape[1] >= 16 && shape[1] <= 16384 && /(?:^|[._/])(?:embed_tokens|wte|word_embeddings|tok_embeddings|embed_in|token_embedding|lm_head|embed_out)(?:[._/]|$)|^output\.weight$/.test(name);
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
      return f16Table();
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
var f32Scratch = new Float32Array(1);
var u32Scratch = new Uint32Array(f32Scratch.buffer);
function keyOf(v) {
  f32Scratch[0] = v;
  return bf16Key(u32Scratch[0]);
}
var TABLES = 1 << 19;
var SLICE = 1 << 16;
var WASM_MIN_ELEMENTS = 1 << 16;
var kernel;
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
var TensorAccumulator = class {
  constructor(name, dtype, shape, byteLength, opts) {
    this.name = name;
    this.dtype = dtype;
    this.shape = shape;
    this.byteLength = byteLength;
    this.opts = opts;
    this.path = pathFor(dtype);
    const info = dtypeInfo(dtype);
    this.es = this.path === "bytes" ? 1 : info.bits / 8;
    const digests = opts.digests !== false;
    this.sha = digests ? createHash("sha256") : void 0;
    const count = numel(shape);
    this.plan = planSample(this.path === "bytes" ? [0] : shape, opts.k, opts.seed);
    this.sampleIdx = sampleFlatIndices(this.plan);
    this.sampleVals = new Float32Array(this.sampleIdx.length);
    if (opts.fullRows && this.path !== "bytes" && shape.length === 2) {
      this.rowStarts = Float64Array.from(this.plan.rows, (r) => r * this.plan.C);
      this.rowVals = new Float32Array(this.plan.rows.length * this.plan.C);
    }
    if (opts.fullCols && this.path !== "bytes" && shape.length >= 2) {
      this.colVals = new Float32Array(this.plan.R * this.plan.cols.length);
    }
    this.prefix = new Float32Array(this.path === "bytes" ? 0 : Math.min(count, STRUCTURE_PREFIX));
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
    const count = bytes.length / this.es;
    const start = this.element;
    if (this.path === "raw16") {
      const raw = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      const k = count >= WASM_MIN_ELEMENTS ? histKernel() : null;
      if (k) this.countWasm(k, bytes, raw);
      else {
        const counts = this.rawCounts;
        for (let i = 0; i < count; i++) counts[raw[i]]++;
      }
      this.takeRaw(raw, start);
    } else if (this.path === "raw8") {
      const counts = this.rawCounts;
      for (let i = 0; i < count; i++) counts[bytes[i]]++;
      this.takeRaw(bytes, start);
    } else if (this.path === "f32") {
      const f = new Float32Array(bytes.buffer, bytes.byteOffset, count);
      this.momentsF32(f, new Uint32Array(bytes.buffer, bytes.byteOffset, count));
      this.takeValues(f, start);
    } else {
      const values = decodeToFloat64(this.dtype, bytes);
      this.momentsWide(values);
      this.takeValues(values, start);
    }
    this.element += count;
    this.sinceSpill += count;
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
    let s1 = 0, s2 = 0, sa = 0, n = 0, bad = 0, min = this.min, max = this.max;
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
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.shift = shift;
    this.s1 += s1;
    this.s2 += s2;
    this.sa += sa;
    this.n += n;
    this.nonFinite += bad;
    this.min = min;
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
    const count = numel(this.shape);
    const fp = { name: this.name, dtype: this.dtype, shape: this.shape, bytes: this.byteLength };
    if (this.sha) fp.sha256 = this.sha.digest("hex");
    if (this.path === "bytes") {
      fp.bytesOnly = true;
      return fp;
    }
    if (this.element !== count || this.carry) {
      throw new Error(`${this.name}: fed ${this.element} of ${count} elements`);
    }
    const digests = this.opts.digests !== false;
    const keys = this.keyCounts ?? (digests ? new Float64Array(65536) : void 0);
    if (this.rawCounts) this.finishRaw(keys);
    fp.moments = this.moments(true);
    if (keys) {
      const { digest, distinct } = valueHistogramDigest(keys);
      fp.valueDigest = digest;
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
    const mean = n ? this.shift + this.s1 / n : 0;
    const variance = n ? Math.max(0, this.s2 / n - (this.s1 / n) ** 2) : 0;
    const l2 = n ? Math.sqrt(this.s2 + 2 * this.shift * this.s1 + n * this.shift * this.shift) : 0;
    return {
      mean,
      std: Math.sqrt(variance),
      meanAbs: n ? this.sa / n : 0,
      min: n ? this.min : 0,
      max: n ? this.max : 0,
      l2,
      nonFinite: this.nonFinite,
      exact
    };
  }
  sample() {
    const { center, scale, q } = quantizeSample(this.sampleVals);
    return { rows: this.plan.rows.length, cols: this.plan.cols.length, center, scale, q: encodeQ(q) };
  }
};
function encodeSample(values, rows, cols) {
  const { center, scale, q } = quantizeSample(values);
  return { rows, cols, center, scale, q: encodeQ(q) };
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
  const h = createHash("sha256");
  const rec = Buffer.alloc(10);
  let distinct = 0;
  for (let k = 0; k < 65536; k++) {
    const c = keys[k];
    if (!c) continue;
    distinct++;
    rec.writeUInt16LE(k, 0);
    rec.writeBigUInt64LE(BigInt(c), 2);
    h.update(rec);
  }
  return { digest: h.digest("hex"), distinct };
}
function structureScore(prefix, shape) {
  const L = shape.length ? shape[shape.length - 1] : 0;
  if (L < 8 || prefix.length < L) return void 0;
  let resid = 0;
  let total = 0;
  const row = new Float64Array(L);
  for (let start = 0; start + L <= prefix.length; start += L) {
    let mean = 0;
    for (let i = 0; i < L; i++) mean += prefix[start + i];
    mean /= L;
    for (let i = 0; i < L; i++) row[i] = prefix[start + i] - mean;
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

// src/fingerprint/worker.ts
var handles = /* @__PURE__ */ new Map();
var scratch;
async function run(task) {
  let handle = handles.get(task.path);
  if (!handle) handles.set(task.path, handle = await open(task.path, "r"));
  const acc = new TensorAccumulator(task.name, task.dtype, task.shape, task.byteLength, {
    k: task.k,
    seed: task.seed,
    fullRows: wantsFullRows(task.name, task.shape),
    fullCols: wantsFullCols(task.name, task.shape)
  });
  let done = 0;
  if (!scratch || scratch.length < task.chunkSize) scratch = new Uint8Array(task.chunkSize);
  while (done < task.byteLength) {
    const length = Math.min(task.chunkSize, task.byteLength - done);
    const buf = scratch.subarray(0, length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, task.offset + done + got);
      if (bytesRead === 0) throw new Error(`${task.path}: file ended inside tensor ${task.name}`);
      got += bytesRead;
    }
    acc.update(buf);
    done += length;
    parentPort.postMessage({ type: "bytes", id: task.id, n: length });
  }
  parentPort.postMessage({ type: "done", id: task.id, fp: acc.finish() });
}
parentPort?.on("message", (msg) => {
  if ("type" in msg) {
    void Promise.all([...handles.values()].map((h) => h.close())).then(() => process.exit(0));
    return;
  }
  run(msg).catch((err) => {
    parentPort.postMessage({ type: "error", id: msg.id, message: err instanceof Error ? err.message : String(err) });
  });
});
