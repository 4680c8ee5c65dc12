import { createRequire as __weightprintCreateRequire } from 'node:module';
const require = __weightprintCreateRequire(import.meta.url);

// src/fingerprint/worker.ts
import { parentPort } from "node:worker_threads";
import { closeSync, openSync } from "node:fs";

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
  return isDType(dtype) && TABLE[dtype].decodable;
}
function dtypeInfo(dtype, source = "dtype") {
  if (!isDType(dtype)) throw new InputError(source, `unknown dtype ${JSON.stringify(dtype)}`);
  return { dtype, ...TABLE[dtype] };
}
var LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
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
      out.set(native(Float64Array, bytes, n));
      return;
    case "F32":
      out.set(native(Float32Array, bytes, n));
      return;
    case "I32":
      out.set(native(Int32Array, bytes, n));
      return;
    case "U32":
      out.set(native(Uint32Array, bytes, n));
      return;
    case "I16":
      out.set(native(Int16Array, bytes, n));
      return;
    case "U16":
      out.set(native(Uint16Array, bytes, n));
      return;
    case "I8":
      out.set(new Int8Array(bytes.buffer, bytes.byteOffset, n));
      return;
    case "U8":
      out.set(bytes);
      return;
    case "BOOL":
      decodeBool(bytes, out);
      return;
    case "F16":
      lookup(native(Uint16Array, bytes, n), f16Table(), out);
      return;
    case "F8_E4M3":
      lookup(bytes, e4m3Table(), out);
      return;
    case "F8_E5M2":
      lookup(bytes, e5m2Table(), out);
      return;
    case "BF16":
      decodeBf16(native(Uint16Array, bytes, n), out);
      return;
    case "I64":
      decodeInt64(native(Uint32Array, bytes, n * 2), true, out);
      return;
    case "U64":
      decodeInt64(native(Uint32Array, bytes, n * 2), false, out);
      return;
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
  const f322 = out instanceof Float32Array ? out : new Float32Array(halves.length);
  const u32 = new Uint32Array(f322.buffer, f322.byteOffset, halves.length);
  for (let i = 0; i < halves.length; i++) u32[i] = halves[i] << 16;
  if (f322 !== out) out.set(f322);
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
function f16ValueTable() {
  return f16Table();
}
function f16Table() {
  F16_TABLE ??= buildTable(16, (c) => miniFloatValue(c, F16));
  return F16_TABLE;
}
function e4m3Table() {
  E4M3_TABLE ??= buildTable(8, (c) => miniFloatValue(c, E4M3));
  return E4M3_TABLE;
}
function e5m2Table() {
  E5M2_TABLE ??= buildTable(8, (c) => miniFloatValue(c, E5M2));
  return E5M2_TABLE;
}
function buildTable(bits, value) {
  const table = new Float32Array(1 << bits);
  for (let c = 0; c < table.length; c++) table[c] = value(c);
  return table;
}
var F16 = {
  exp: 5,
  mant: 10,
  bias: 15,
  ieeeSpecials: true,
  maxFinite: 31743,
  overflow: 31744,
  nan: 32256
};
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

// src/formats/parts.ts
function readPart(part, offset, length) {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || offset + length > part.byteLength) {
    throw new RangeError(`read [${offset}, ${offset + length}) outside part ${part.name} (${part.byteLength} bytes)`);
  }
  return part.file.read(part.offset + offset, length);
}

// src/formats/gguf/ggml.ts
var QK_K = 256;
var KVALUES_IQ4NL = Int8Array.from([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]);
var KVALUES_MXFP4 = Int8Array.from([0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12]);
var F162;
function half(src, o) {
  F162 ??= f16ValueTable();
  return F162[src[o] | src[o + 1] << 8];
}
var f32Cell = new Float32Array(1);
var u32Cell = new Uint32Array(f32Cell.buffer);
function float32At(src, o) {
  u32Cell[0] = src[o] | src[o + 1] << 8 | src[o + 2] << 16 | src[o + 3] << 24;
  return f32Cell[0];
}
function u32At(src, o) {
  return (src[o] | src[o + 1] << 8 | src[o + 2] << 16 | src[o + 3] << 24) >>> 0;
}
var fr = Math.fround;
var q4_0 = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 18, yo += 32) {
    const d = half(src, off);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 2 + j];
      y[yo + j] = ((q & 15) - 8) * d;
      y[yo + j + 16] = ((q >> 4) - 8) * d;
    }
  }
};
var q4_1 = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 20, yo += 32) {
    const d = half(src, off);
    const m = half(src, off + 2);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 4 + j];
      y[yo + j] = fr((q & 15) * d) + m;
      y[yo + j + 16] = fr((q >> 4) * d) + m;
    }
  }
};
var q5_0 = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 22, yo += 32) {
    const d = half(src, off);
    const qh = u32At(src, off + 2);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 6 + j];
      const h0 = qh >>> j << 4 & 16;
      const h1 = qh >>> j + 12 & 16;
      y[yo + j] = ((q & 15 | h0) - 16) * d;
      y[yo + j + 16] = ((q >> 4 | h1) - 16) * d;
    }
  }
};
var q5_1 = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 24, yo += 32) {
    const d = half(src, off);
    const m = half(src, off + 2);
    const qh = u32At(src, off + 4);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 8 + j];
      const h0 = qh >>> j << 4 & 16;
      const h1 = qh >>> j + 12 & 16;
      y[yo + j] = fr((q & 15 | h0) * d) + m;
      y[yo + j + 16] = fr((q >> 4 | h1) * d) + m;
    }
  }
};
var q8_0 = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 34, yo += 32) {
    const d = half(src, off);
    for (let j = 0; j < 32; j++) y[yo + j] = (src[off + 2 + j] << 24 >> 24) * d;
  }
};
var iq4_nl = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 18, yo += 32) {
    const d = half(src, off);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 2 + j];
      y[yo + j] = d * KVALUES_IQ4NL[q & 15];
      y[yo + j + 16] = d * KVALUES_IQ4NL[q >> 4];
    }
  }
};
var mxfp4 = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 17, yo += 32) {
    const d = 2 ** (src[off] - 128);
    for (let j = 0; j < 16; j++) {
      const q = src[off + 1 + j];
      y[yo + j] = KVALUES_MXFP4[q & 15] * d;
      y[yo + j + 16] = KVALUES_MXFP4[q >> 4] * d;
    }
  }
};
function scaleMinK4(src, o, j, out) {
  if (j < 4) {
    out[0] = src[o + j] & 63;
    out[1] = src[o + j + 4] & 63;
  } else {
    out[0] = src[o + j + 4] & 15 | src[o + j - 4] >> 6 << 4;
    out[1] = src[o + j + 4] >> 4 | src[o + j] >> 6 << 4;
  }
}
var q2_K = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 84, yo += QK_K) {
    const d = half(src, off + 80);
    const dmin = half(src, off + 82);
    let is = 0;
    let k = yo;
    for (let half128 = 0; half128 < 2; half128++) {
      const q = off + 16 + 32 * half128;
      for (let shift = 0; shift < 8; shift += 2) {
        for (let part = 0; part < 2; part++) {
          const sc = src[off + is++];
          const dl = fr(d * (sc & 15));
          const ml = fr(dmin * (sc >> 4));
          const base = q + 16 * part;
          for (let l = 0; l < 16; l++) y[k++] = fr(dl * (src[base + l] >> shift & 3)) - ml;
        }
      }
    }
  }
};
var q3Scales = new Int8Array(16);
var q3Words = new Uint32Array(q3Scales.buffer);
var q3_K = (src, off, n, y, yo) => {
  const k1 = 50529027;
  const k2 = 252645135;
  for (let b = 0; b < n; b++, off += 110, yo += QK_K) {
    const d = half(src, off + 108);
    const a0 = u32At(src, off + 96);
    const a1 = u32At(src, off + 100);
    const tmp = u32At(src, off + 104);
    q3Words[0] = a0 & k2 | (tmp >>> 0 & k1) << 4;
    q3Words[1] = a1 & k2 | (tmp >>> 2 & k1) << 4;
    q3Words[2] = a0 >>> 4 & k2 | (tmp >>> 4 & k1) << 4;
    q3Words[3] = a1 >>> 4 & k2 | (tmp >>> 6 & k1) << 4;
    let is = 0;
    let m = 1;
    let k = yo;
    for (let half128 = 0; half128 < 2; half128++) {
      const q = off + 32 + 32 * half128;
      for (let shift = 0; shift < 8; shift += 2, m <<= 1) {
        for (let part = 0; part < 2; part++) {
          const dl = fr(d * (q3Scales[is++] - 32));
          const base = 16 * part;
          for (let l = 0; l < 16; l++) {
            const low = src[q + base + l] >> shift & 3;
            const high = src[off + base + l] & m ? 0 : 4;
            y[k++] = dl * (low - high);
          }
        }
      }
    }
  }
};
var sm = new Uint8Array(2);
var q4_K = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 144, yo += QK_K) {
    const d = half(src, off);
    const dmin = half(src, off + 2);
    let q = off + 16;
    let k = yo;
    for (let is = 0; is < 8; is += 2, q += 32) {
      scaleMinK4(src, off + 4, is, sm);
      const d1 = fr(d * sm[0]);
      const m1 = fr(dmin * sm[1]);
      scaleMinK4(src, off + 4, is + 1, sm);
      const d2 = fr(d * sm[0]);
      const m2 = fr(dmin * sm[1]);
      for (let l = 0; l < 32; l++) y[k++] = fr(d1 * (src[q + l] & 15)) - m1;
      for (let l = 0; l < 32; l++) y[k++] = fr(d2 * (src[q + l] >> 4)) - m2;
    }
  }
};
var q5_K = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 176, yo += QK_K) {
    const d = half(src, off);
    const dmin = half(src, off + 2);
    const qh = off + 16;
    let ql = off + 48;
    let k = yo;
    let u1 = 1;
    let u2 = 2;
    for (let is = 0; is < 8; is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
      scaleMinK4(src, off + 4, is, sm);
      const d1 = fr(d * sm[0]);
      const m1 = fr(dmin * sm[1]);
      scaleMinK4(src, off + 4, is + 1, sm);
      const d2 = fr(d * sm[0]);
      const m2 = fr(dmin * sm[1]);
      for (let l = 0; l < 32; l++) y[k++] = fr(d1 * ((src[ql + l] & 15) + (src[qh + l] & u1 ? 16 : 0))) - m1;
      for (let l = 0; l < 32; l++) y[k++] = fr(d2 * ((src[ql + l] >> 4) + (src[qh + l] & u2 ? 16 : 0))) - m2;
    }
  }
};
var q6_K = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 210, yo += QK_K) {
    const d = half(src, off + 208);
    for (let h = 0; h < 2; h++) {
      const ql = off + 64 * h;
      const qh = off + 128 + 32 * h;
      const sc = off + 192 + 8 * h;
      const k = yo + 128 * h;
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const lo0 = src[ql + l];
        const lo1 = src[ql + l + 32];
        const hi = src[qh + l];
        const q1 = (lo0 & 15 | (hi & 3) << 4) - 32;
        const q2 = (lo1 & 15 | (hi >> 2 & 3) << 4) - 32;
        const q3 = (lo0 >> 4 | (hi >> 4 & 3) << 4) - 32;
        const q4 = (lo1 >> 4 | (hi >> 6 & 3) << 4) - 32;
        y[k + l] = fr(d * (src[sc + is] << 24 >> 24)) * q1;
        y[k + l + 32] = fr(d * (src[sc + is + 2] << 24 >> 24)) * q2;
        y[k + l + 64] = fr(d * (src[sc + is + 4] << 24 >> 24)) * q3;
        y[k + l + 96] = fr(d * (src[sc + is + 6] << 24 >> 24)) * q4;
      }
    }
  }
};
var q8_K = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 292, yo += QK_K) {
    const d = float32At(src, off);
    for (let j = 0; j < QK_K; j++) y[yo + j] = d * (src[off + 4 + j] << 24 >> 24);
  }
};
var iq4_xs = (src, off, n, y, yo) => {
  for (let b = 0; b < n; b++, off += 136, yo += QK_K) {
    const d = half(src, off);
    const scalesH = src[off + 2] | src[off + 3] << 8;
    let qs = off + 8;
    let k = yo;
    for (let ib = 0; ib < 8; ib++, qs += 16) {
      const ls = src[off + 4 + (ib >> 1)] >> 4 * (ib & 1) & 15 | (scalesH >> 2 * ib & 3) << 4;
      const dl = fr(d * (ls - 32));
      for (let j = 0; j < 16; j++) {
        const q = src[qs + j];
        y[k + j] = dl * KVALUES_IQ4NL[q & 15];
        y[k + j + 16] = dl * KVALUES_IQ4NL[q >> 4];
      }
      k += 32;
    }
  }
};
function uniformSteps(blockBytes, at, elems, spacing = 1) {
  return (src, off, n) => {
    let s = 0;
    for (let b = 0; b < n; b++) s += (half(src, off + b * blockBytes + at) * spacing) ** 2;
    return s * elems;
  };
}
var q2Steps = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 84) {
    const d = half(src, off + 80);
    for (let j = 0; j < 16; j++) s += 16 * fr(d * (src[off + j] & 15)) ** 2;
  }
  return s;
};
var q3Steps = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 110) {
    const d = half(src, off + 108);
    for (let j = 0; j < 16; j++) {
      const lo = j < 8 ? src[off + 96 + j] & 15 : src[off + 96 + j - 8] >> 4;
      const hi = src[off + 104 + j % 4] >> 2 * (j >> 2) & 3;
      s += 16 * fr(d * (lo + 16 * hi - 32)) ** 2;
    }
  }
  return s;
};
function k4Steps(blockBytes) {
  return (src, off, n) => {
    let s = 0;
    for (let b = 0; b < n; b++, off += blockBytes) {
      const d = half(src, off);
      for (let j = 0; j < 8; j++) {
        scaleMinK4(src, off + 4, j, sm);
        s += 32 * fr(d * sm[0]) ** 2;
      }
    }
    return s;
  };
}
var q6Steps = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 210) {
    const d = half(src, off + 208);
    for (let j = 0; j < 16; j++) s += 16 * fr(d * (src[off + 192 + j] << 24 >> 24)) ** 2;
  }
  return s;
};
var q8KSteps = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++) s += 256 * float32At(src, off + b * 292) ** 2;
  return s;
};
var iq4xsSteps = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++, off += 136) {
    const d = half(src, off);
    const scalesH = src[off + 2] | src[off + 3] << 8;
    for (let ib = 0; ib < 8; ib++) {
      const ls = src[off + 4 + (ib >> 1)] >> 4 * (ib & 1) & 15 | (scalesH >> 2 * ib & 3) << 4;
      s += 32 * (16 * fr(d * (ls - 32))) ** 2;
    }
  }
  return s;
};
var mxfp4Steps = (src, off, n) => {
  let s = 0;
  for (let b = 0; b < n; b++) s += 32 * (1.6 * 2 ** (src[off + b * 17] - 128)) ** 2;
  return s;
};
var TYPES = [
  { id: 0, name: "F32", blockElems: 1, blockBytes: 4, plain: "F32" },
  { id: 1, name: "F16", blockElems: 1, blockBytes: 2, plain: "F16" },
  { id: 2, name: "Q4_0", blockElems: 32, blockBytes: 18, dequantize: q4_0, stepSquares: uniformSteps(18, 0, 32) },
  { id: 3, name: "Q4_1", blockElems: 32, blockBytes: 20, dequantize: q4_1, stepSquares: uniformSteps(20, 0, 32) },
  { id: 6, name: "Q5_0", blockElems: 32, blockBytes: 22, dequantize: q5_0, stepSquares: uniformSteps(22, 0, 32) },
  { id: 7, name: "Q5_1", blockElems: 32, blockBytes: 24, dequantize: q5_1, stepSquares: uniformSteps(24, 0, 32) },
  { id: 8, name: "Q8_0", blockElems: 32, blockBytes: 34, dequantize: q8_0, stepSquares: uniformSteps(34, 0, 32) },
  { id: 9, name: "Q8_1", blockElems: 32, blockBytes: 36 },
  { id: 10, name: "Q2_K", blockElems: QK_K, blockBytes: 84, dequantize: q2_K, stepSquares: q2Steps },
  { id: 11, name: "Q3_K", blockElems: QK_K, blockBytes: 110, dequantize: q3_K, stepSquares: q3Steps },
  { id: 12, name: "Q4_K", blockElems: QK_K, blockBytes: 144, dequantize: q4_K, stepSquares: k4Steps(144) },
  { id: 13, name: "Q5_K", blockElems: QK_K, blockBytes: 176, dequantize: q5_K, stepSquares: k4Steps(176) },
  { id: 14, name: "Q6_K", blockElems: QK_K, blockBytes: 210, dequantize: q6_K, stepSquares: q6Steps },
  { id: 15, name: "Q8_K", blockElems: QK_K, blockBytes: 292, dequantize: q8_K, stepSquares: q8KSteps },
  { id: 16, name: "IQ2_XXS", blockElems: QK_K, blockBytes: 66 },
  { id: 17, name: "IQ2_XS", blockElems: QK_K, blockBytes: 74 },
  { id: 18, name: "IQ3_XXS", blockElems: QK_K, blockBytes: 98 },
  { id: 19, name: "IQ1_S", blockElems: QK_K, blockBytes: 50 },
  {
    id: 20,
    name: "IQ4_NL",
    blockElems: 32,
    blockBytes: 18,
    dequantize: iq4_nl,
    stepSquares: uniformSteps(18, 0, 32, 16)
  },
  { id: 21, name: "IQ3_S", blockElems: QK_K, blockBytes: 110 },
  { id: 22, name: "IQ2_S", blockElems: QK_K, blockBytes: 82 },
  { id: 23, name: "IQ4_XS", blockElems: QK_K, blockBytes: 136, dequantize: iq4_xs, stepSquares: iq4xsSteps },
  { id: 24, name: "I8", blockElems: 1, blockBytes: 1, plain: "I8" },
  { id: 25, name: "I16", blockElems: 1, blockBytes: 2, plain: "I16" },
  { id: 26, name: "I32", blockElems: 1, blockBytes: 4, plain: "I32" },
  { id: 27, name: "I64", blockElems: 1, blockBytes: 8, plain: "I64" },
  { id: 28, name: "F64", blockElems: 1, blockBytes: 8, plain: "F64" },
  { id: 29, name: "IQ1_M", blockElems: QK_K, blockBytes: 56 },
  { id: 30, name: "BF16", blockElems: 1, blockBytes: 2, plain: "BF16" },
  { id: 34, name: "TQ1_0", blockElems: QK_K, blockBytes: 54 },
  { id: 35, name: "TQ2_0", blockElems: QK_K, blockBytes: 66 },
  { id: 39, name: "MXFP4", blockElems: 32, blockBytes: 17, dequantize: mxfp4, stepSquares: mxfp4Steps },
  { id: 40, name: "NVFP4", blockElems: 64, blockBytes: 36 },
  { id: 41, name: "Q1_0", blockElems: 128, blockBytes: 18 },
  { id: 42, name: "Q2_0", blockElems: 64, blockBytes: 18 }
];
var BY_ID = new Map(TYPES.map((t) => [t.id, t]));
var BY_NAME = new Map(TYPES.map((t) => [t.name, t]));
function ggmlTypeByName(name) {
  return BY_NAME.get(name);
}
var DECODED_GGML_TYPES = TYPES.filter((t) => t.plain || t.dequantize).map((t) => t.name);

// src/util/leb128.ts
var uleb = (n) => {
  const o = [];
  do {
    let b = n & 127;
    n >>>= 7;
    if (n) b |= 128;
    o.push(b);
  } while (n);
  return o;
};
var sleb = (n) => {
  const o = [];
  for (; ; ) {
    const b = n & 127;
    n >>= 7;
    if (n === 0 && (b & 64) === 0 || n === -1 && (b & 64) !== 0) {
      o.push(b);
      return o;
    }
    o.push(b | 128);
  }
};

// src/formats/gguf/simd.ts
var SIMD_GGML_TYPES = [
  "Q8_0",
  "Q4_0",
  "Q4_1",
  "Q5_0",
  "Q5_1",
  "IQ4_NL",
  "Q2_K",
  "Q3_K",
  "Q4_K",
  "Q5_K",
  "Q6_K",
  "IQ4_XS",
  "Q8_K"
];
var simd = (code) => [253, ...uleb(code)];
var I32 = 127;
var F32 = 125;
var V128 = 123;
var get = (i) => [32, ...uleb(i)];
var set = (i) => [33, ...uleb(i)];
var i32 = (n) => [65, ...sleb(n)];
var f32 = (x) => [67, ...new Uint8Array(new Float32Array([x]).buffer)];
var load8u = (off) => [45, 0, ...uleb(off)];
var load8s = (off) => [44, 0, ...uleb(off)];
var load16u = (off) => [47, 0, ...uleb(off)];
var v128load = (off) => [...simd(0), 0, ...uleb(off)];
var load8x8s = (off) => [...simd(1), 0, ...uleb(off)];
var v128store = (off) => [...simd(11), 0, ...uleb(off)];
var op = {
  and: [113],
  or: [114],
  shl: [116],
  shrU: [118],
  sub: [107],
  eqz: [69],
  gtU: [75],
  ltU: [73],
  select: [27],
  add: [106],
  f32mul: [148],
  f32FromI32: [178],
  i32FromF32Bits: [188],
  f32FromBits: [190],
  call: (f) => [16, ...uleb(f)],
  block: [2, 64],
  loop: [3, 64],
  end: [11],
  brIf: (d) => [13, d],
  tee: (i) => [34, ...uleb(i)],
  i8splat: simd(15),
  f32splat: simd(19),
  vand: simd(78),
  vor: simd(80),
  i8shl: simd(107),
  i8shrU: simd(109),
  i8sub: simd(113),
  i16FromI8: { low: { s: simd(135), u: simd(137) }, high: { s: simd(136), u: simd(138) } },
  i32FromI16: { low: { s: simd(167), u: simd(169) }, high: { s: simd(168), u: simd(170) } },
  f32x4FromI32: simd(250),
  f32x4add: simd(228),
  f32x4sub: simd(229),
  swizzle: simd(14),
  i8ne: simd(36),
  i8eq: simd(35),
  f32x4mul: simd(230)
};
var splat8 = (n) => [...i32(n), ...op.i8splat];
var v128const = (bytes) => [...simd(12), ...Array.from(bytes, (b) => b & 255)];
var f32load = (off) => [42, 0, ...uleb(off)];
var HALF = 0;
var P_SRC = 0;
var P_N = 1;
var P_DST = 2;
function halfBody() {
  const code = [
    ...get(0),
    ...load16u(0),
    ...set(1),
    ...get(1),
    ...i32(32767),
    ...op.and,
    ...set(2),
    // finite: bits of (e|m) << 13 as a float, times 2^112, with the sign
    ...get(2),
    ...i32(13),
    ...op.shl,
    ...op.f32FromBits,
    ...f32(2 ** 112),
    ...op.f32mul,
    ...op.i32FromF32Bits,
    ...get(1),
    ...i32(32768),
    ...op.and,
    ...i32(16),
    ...op.shl,
    ...op.or,
    // special: NaN (canonical) or a signed infinity
    ...i32(2143289344),
    ...get(1),
    ...i32(32768),
    ...op.and,
    ...i32(16),
    ...op.shl,
    ...i32(2139095040),
    ...op.or,
    ...get(2),
    ...i32(31744),
    ...op.gtU,
    ...op.select,
    // select(finite, special, e|m < 0x7c00): select(a, b, c) = c ? a : b
    ...get(2),
    ...i32(31744),
    ...op.ltU,
    ...op.select,
    ...op.f32FromBits
  ];
  return [1, 2, I32, ...code, ...op.end];
}
var halfSplat = (off) => [...get(P_SRC), ...i32(off), ...op.add, ...op.call(HALF), ...op.f32splat];
function emit16(signed, scale, off, t, w, minus, plus) {
  const sg = signed ? "s" : "u";
  const out = [...set(t)];
  for (const [hi, part] of [
    [0, "low"],
    [1, "high"]
  ]) {
    out.push(...get(t), ...op.i16FromI8[part][sg], ...set(w));
    for (const [lo, part2] of [
      [0, "low"],
      [1, "high"]
    ]) {
      out.push(
        ...get(P_DST),
        ...get(w),
        ...op.i32FromI16[part2][sg],
        ...op.f32x4FromI32,
        ...get(scale),
        ...op.f32x4mul,
        ...minus !== void 0 ? [...get(minus), ...op.f32x4sub] : [],
        ...plus !== void 0 ? [...get(plus), ...op.f32x4add] : [],
        ...v128store(off + 16 * (2 * hi + lo))
      );
    }
  }
  return out;
}
function kernelFunc(k) {
  const code = [
    ...op.block,
    ...get(P_N),
    ...op.eqz,
    ...op.brIf(0),
    ...op.loop,
    ...k.body,
    ...get(P_SRC),
    ...i32(k.blockBytes),
    ...op.add,
    ...set(P_SRC),
    ...get(P_DST),
    ...i32(4 * k.blockElems),
    ...op.add,
    ...set(P_DST),
    ...get(P_N),
    ...i32(1),
    ...op.sub,
    ...op.tee(P_N),
    ...op.brIf(0),
    ...op.end,
    ...op.end
  ];
  return [...uleb(k.locals.length), ...k.locals.flatMap(([n, t]) => [...uleb(n), t]), ...code, ...op.end];
}
function q8_02() {
  const body = [...halfSplat(0), ...set(3)];
  for (let j = 0; j < 4; j++) {
    body.push(...get(P_SRC), ...load8x8s(2 + 8 * j), ...set(4));
    for (const [lo, part] of [
      [0, "low"],
      [1, "high"]
    ]) {
      body.push(
        ...get(P_DST),
        ...get(4),
        ...op.i32FromI16[part].s,
        ...op.f32x4FromI32,
        ...get(3),
        ...op.f32x4mul,
        ...v128store(32 * j + 16 * lo)
      );
    }
  }
  return { name: "Q8_0", blockBytes: 34, blockElems: 32, locals: [[4, V128]], body };
}
function q4_02() {
  const body = [
    ...halfSplat(0),
    ...set(3),
    ...get(P_SRC),
    ...v128load(2),
    ...set(4),
    ...get(4),
    ...splat8(15),
    ...op.vand,
    ...splat8(8),
    ...op.i8sub,
    ...emit16(true, 3, 0, 5, 6),
    ...get(4),
    ...i32(4),
    ...op.i8shrU,
    ...splat8(8),
    ...op.i8sub,
    ...emit16(true, 3, 64, 5, 6)
  ];
  return { name: "Q4_0", blockBytes: 18, blockElems: 32, locals: [[4, V128]], body };
}
function scaleMinK42(j, which) {
  const b = (i) => [...get(P_SRC), ...load8u(4 + i)];
  if (j < 4) return [...b(j + 4 * which), ...i32(63), ...op.and];
  if (which === 0) {
    return [...b(j + 4), ...i32(15), ...op.and, ...b(j - 4), ...i32(6), ...op.shrU, ...i32(4), ...op.shl, ...op.or];
  }
  return [...b(j + 4), ...i32(4), ...op.shrU, ...b(j), ...i32(6), ...op.shrU, ...i32(4), ...op.shl, ...op.or];
}
var scaled = (d, j, which) => [
  ...get(d),
  ...scaleMinK42(j, which),
  ...op.f32FromI32,
  ...op.f32mul,
  ...op.f32splat
];
function k4(five) {
  const qs = five ? 48 : 16;
  const body = [
    ...get(P_SRC),
    ...op.call(HALF),
    ...set(3),
    ...get(P_SRC),
    ...i32(2),
    ...op.add,
    ...op.call(HALF),
    ...set(4)
  ];
  if (five) body.push(...get(P_SRC), ...v128load(16), ...set(12), ...get(P_SRC), ...v128load(32), ...set(13));
  const highBit = (h, bit) => [
    ...get(h),
    ...i32(bit),
    ...op.i8shrU,
    ...splat8(1),
    ...op.vand,
    ...i32(4),
    ...op.i8shl
  ];
  for (let p = 0; p < 4; p++) {
    const is = 2 * p;
    body.push(...scaled(3, is, 0), ...set(5), ...scaled(4, is, 1), ...set(6));
    body.push(...scaled(3, is + 1, 0), ...set(7), ...scaled(4, is + 1, 1), ...set(8));
    for (let half2 = 0; half2 < 2; half2++) {
      body.push(...get(P_SRC), ...v128load(qs + 32 * p + 16 * half2), ...set(9));
      const h = half2 === 0 ? 12 : 13;
      const out = 4 * (64 * p + 16 * half2);
      body.push(...get(9), ...splat8(15), ...op.vand);
      if (five) body.push(...highBit(h, is), ...op.vor);
      body.push(...emit16(false, 5, out, 10, 11, 6));
      body.push(...get(9), ...i32(4), ...op.i8shrU);
      if (five) body.push(...highBit(h, is + 1), ...op.vor);
      body.push(...emit16(false, 7, out + 128, 10, 11, 8));
    }
  }
  return {
    name: five ? "Q5_K" : "Q4_K",
    blockBytes: five ? 176 : 144,
    blockElems: 256,
    locals: [
      [2, F32],
      [9, V128]
    ],
    body
  };
}
function q6_K2() {
  const body = [...get(P_SRC), ...i32(208), ...op.add, ...op.call(HALF), ...set(3)];
  for (let h = 0; h < 2; h++) {
    for (let l0 = 0; l0 < 32; l0 += 16) {
      const is = l0 >> 4;
      body.push(...get(P_SRC), ...v128load(64 * h + l0), ...set(4));
      body.push(...get(P_SRC), ...v128load(64 * h + 32 + l0), ...set(5));
      body.push(...get(P_SRC), ...v128load(128 + 32 * h + l0), ...set(6));
      for (let k = 0; k < 4; k++) {
        body.push(...get(3), ...get(P_SRC), ...load8s(192 + 8 * h + is + 2 * k), ...op.f32FromI32, ...op.f32mul);
        body.push(...op.f32splat, ...set(7 + k));
      }
      const high = (shift, mask) => [
        ...get(6),
        ...shift ? [...i32(shift), ...op.i8shrU] : [],
        ...mask ? [...splat8(3), ...op.vand] : [],
        ...i32(4),
        ...op.i8shl
      ];
      const groups = [
        [...get(4), ...splat8(15), ...op.vand, ...high(0, true)],
        [...get(5), ...splat8(15), ...op.vand, ...high(2, true)],
        [...get(4), ...i32(4), ...op.i8shrU, ...high(4, true)],
        [...get(5), ...i32(4), ...op.i8shrU, ...high(6, false)]
      ];
      groups.forEach((g, k) => {
        body.push(...g, ...op.vor, ...splat8(32), ...op.i8sub);
        body.push(...emit16(true, 7 + k, 4 * (128 * h + l0 + 32 * k), 11, 12));
      });
    }
  }
  return {
    name: "Q6_K",
    blockBytes: 210,
    blockElems: 256,
    locals: [
      [1, F32],
      [9, V128]
    ],
    body
  };
}
function q32(name) {
  const hasMin = name !== "Q5_0";
  const five = name !== "Q4_1";
  const qh = hasMin ? 4 : 2;
  const qs = (hasMin ? 4 : 2) + (five ? 4 : 0);
  const body = [...halfSplat(0), ...set(3)];
  if (hasMin) body.push(...halfSplat(2), ...set(4));
  if (five) {
    const bitOf = (firstByte) => [
      ...get(P_SRC),
      ...v128load(qh),
      ...v128const([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1].map((b) => b + firstByte)),
      ...op.swizzle,
      ...v128const([1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128]),
      ...op.vand,
      ...splat8(0),
      ...op.i8ne,
      ...splat8(16),
      ...op.vand
    ];
    body.push(...bitOf(0), ...set(8), ...bitOf(2), ...set(9));
  }
  body.push(...get(P_SRC), ...v128load(qs), ...set(5));
  for (const high of [false, true]) {
    body.push(...get(5), ...high ? [...i32(4), ...op.i8shrU] : [...splat8(15), ...op.vand]);
    if (five) body.push(...get(high ? 9 : 8), ...op.vor);
    if (!hasMin) body.push(...splat8(16), ...op.i8sub);
    body.push(...emit16(!hasMin, 3, high ? 64 : 0, 6, 7, void 0, hasMin ? 4 : void 0));
  }
  const blockBytes = { Q4_1: 20, Q5_0: 22, Q5_1: 24 }[name];
  return { name, blockBytes, blockElems: 32, locals: [[7, V128]], body };
}
var KVALUES_IQ4NL2 = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];
function iq4_nl2() {
  const body = [...halfSplat(0), ...set(3), ...get(P_SRC), ...v128load(2), ...set(4)];
  body.push(...v128const(KVALUES_IQ4NL2), ...get(4), ...splat8(15), ...op.vand, ...op.swizzle);
  body.push(...emit16(true, 3, 0, 6, 7));
  body.push(...v128const(KVALUES_IQ4NL2), ...get(4), ...i32(4), ...op.i8shrU, ...op.swizzle);
  body.push(...emit16(true, 3, 64, 6, 7));
  return { name: "IQ4_NL", blockBytes: 18, blockElems: 32, locals: [[5, V128]], body };
}
function iq4_xs2() {
  const body = [...get(P_SRC), ...op.call(HALF), ...set(3)];
  for (let ib = 0; ib < 8; ib++) {
    body.push(...get(3), ...get(P_SRC), ...load8u(4 + (ib >> 1)), ...i32(4 * (ib & 1)), ...op.shrU);
    body.push(...i32(15), ...op.and, ...get(P_SRC), ...load16u(2), ...i32(2 * ib), ...op.shrU, ...i32(3));
    body.push(...op.and, ...i32(4), ...op.shl, ...op.or, ...i32(32), ...op.sub, ...op.f32FromI32, ...op.f32mul);
    body.push(...op.f32splat, ...set(4), ...get(P_SRC), ...v128load(8 + 16 * ib), ...set(5));
    body.push(...v128const(KVALUES_IQ4NL2), ...get(5), ...splat8(15), ...op.vand, ...op.swizzle);
    body.push(...emit16(true, 4, 128 * ib, 6, 7));
    body.push(...v128const(KVALUES_IQ4NL2), ...get(5), ...i32(4), ...op.i8shrU, ...op.swizzle);
    body.push(...emit16(true, 4, 128 * ib + 64, 6, 7));
  }
  return {
    name: "IQ4_XS",
    blockBytes: 136,
    blockElems: 256,
    locals: [
      [1, F32],
      [4, V128]
    ],
    body
  };
}
function q2_K2() {
  const body = [...get(P_SRC), ...i32(80), ...op.add, ...op.call(HALF), ...set(3)];
  body.push(...get(P_SRC), ...i32(82), ...op.add, ...op.call(HALF), ...set(4));
  for (let half2 = 0; half2 < 2; half2++) {
    for (let s = 0; s < 4; s++) {
      for (let part = 0; part < 2; part++) {
        const is = 8 * half2 + 2 * s + part;
        body.push(...get(3), ...get(P_SRC), ...load8u(is), ...i32(15), ...op.and, ...op.f32FromI32, ...op.f32mul);
        body.push(...op.f32splat, ...set(5));
        body.push(...get(4), ...get(P_SRC), ...load8u(is), ...i32(4), ...op.shrU, ...op.f32FromI32, ...op.f32mul);
        body.push(...op.f32splat, ...set(6));
        body.push(...get(P_SRC), ...v128load(16 + 32 * half2 + 16 * part));
        if (s) body.push(...i32(2 * s), ...op.i8shrU);
        body.push(...splat8(3), ...op.vand);
        body.push(...emit16(false, 5, 4 * (128 * half2 + 32 * s + 16 * part), 7, 8, 6));
      }
    }
  }
  return {
    name: "Q2_K",
    blockBytes: 84,
    blockElems: 256,
    locals: [
      [2, F32],
      [4, V128]
    ],
    body
  };
}
function q3_K2() {
  const body = [...get(P_SRC), ...i32(108), ...op.add, ...op.call(HALF), ...set(3)];
  const b = (i) => [...get(P_SRC), ...load8u(i)];
  const scale = (j) => {
    const i = j & 3;
    const low = j < 4 ? [...b(96 + i), ...i32(15), ...op.and] : j < 8 ? [...b(100 + i), ...i32(15), ...op.and] : [];
    const lowHigh = j >= 8 ? [...b(j < 12 ? 96 + i : 100 + i), ...i32(4), ...op.shrU] : low;
    const shift = 2 * (j >> 2);
    return [...lowHigh, ...b(104 + i), ...i32(shift), ...op.shrU, ...i32(3), ...op.and, ...i32(4), ...op.shl, ...op.or];
  };
  let m = 1;
  for (let half2 = 0; half2 < 2; half2++) {
    for (let s = 0; s < 4; s++, m <<= 1) {
      for (let part = 0; part < 2; part++) {
        const is = 8 * half2 + 2 * s + part;
        body.push(...get(3), ...scale(is), ...i32(32), ...op.sub, ...op.f32FromI32, ...op.f32mul);
        body.push(...op.f32splat, ...set(4));
        body.push(...get(P_SRC), ...v128load(32 + 32 * half2 + 16 * part));
        if (s) body.push(...i32(2 * s), ...op.i8shrU);
        body.push(...splat8(3), ...op.vand);
        body.push(...get(P_SRC), ...v128load(16 * part), ...splat8(m), ...op.vand, ...splat8(0), ...op.i8eq);
        body.push(...splat8(4), ...op.vand, ...op.i8sub);
        body.push(...emit16(true, 4, 4 * (128 * half2 + 32 * s + 16 * part), 5, 6));
      }
    }
  }
  return {
    name: "Q3_K",
    blockBytes: 110,
    blockElems: 256,
    locals: [
      [1, F32],
      [3, V128]
    ],
    body
  };
}
function q8_K2() {
  const body = [...get(P_SRC), ...f32load(0), ...op.f32splat, ...set(3)];
  for (let j = 0; j < 32; j++) {
    body.push(...get(P_SRC), ...load8x8s(4 + 8 * j), ...set(4));
    for (const [lo, part] of [
      [0, "low"],
      [1, "high"]
    ]) {
      body.push(...get(P_DST), ...get(3), ...get(4), ...op.i32FromI16[part].s, ...op.f32x4FromI32, ...op.f32x4mul);
      body.push(...v128store(32 * j + 16 * lo));
    }
  }
  return { name: "Q8_K", blockBytes: 292, blockElems: 256, locals: [[2, V128]], body };
}
function module(kernels2) {
  const sec = (id, body) => [id, ...uleb(body.length), ...body];
  const name = (s) => [s.length, ...Buffer.from(s)];
  const fn = (body) => [...uleb(body.length), ...body];
  const types = [2, 96, 3, I32, I32, I32, 0, 96, 1, I32, 1, F32];
  const imports = [1, ...name("env"), ...name("mem"), 2, 0, 0];
  const funcs = [kernels2.length + 1, 1, ...kernels2.map(() => 0)];
  const exports = [kernels2.length, ...kernels2.flatMap((k, i) => [...name(k.name), 0, ...uleb(i + 1)])];
  const code = [kernels2.length + 1, ...fn(halfBody()), ...kernels2.flatMap((k) => fn(kernelFunc(k)))];
  return new Uint8Array([
    ...[0, 97, 115, 109, 1, 0, 0, 0],
    ...sec(1, types),
    ...sec(2, imports),
    ...sec(3, funcs),
    ...sec(7, exports),
    ...sec(10, code)
  ]);
}
var compiled;
var instances = /* @__PURE__ */ new WeakMap();
function simdDequant(memory) {
  const known = instances.get(memory);
  if (known !== void 0) return known;
  let made = null;
  try {
    const api = globalThis.WebAssembly;
    if (api) {
      compiled ??= new api.Module(
        module([
          q8_02(),
          q4_02(),
          q32("Q4_1"),
          q32("Q5_0"),
          q32("Q5_1"),
          iq4_nl2(),
          q2_K2(),
          q3_K2(),
          k4(false),
          k4(true),
          q6_K2(),
          iq4_xs2(),
          q8_K2()
        ])
      );
      const { exports } = new api.Instance(compiled, { env: { mem: memory } });
      made = Object.fromEntries(SIMD_GGML_TYPES.map((t) => [t, exports[t]]));
    }
  } catch {
    compiled = null;
    made = null;
  }
  instances.set(memory, made);
  return made;
}

// src/formats/gguf/decoder.ts
var MAX_ROTARY_HEAD_VALUES = 2 ** 24;
function rotaryStoredIndex(u, headDim) {
  const h = Math.floor(u / headDim);
  const r = u - h * headDim;
  const halfDim = headDim / 2;
  const j = r >= halfDim ? 1 : 0;
  const i = r - j * halfDim;
  return h * headDim + 2 * i + j;
}
function ggmlDecoder(enc, shape, name, opts = {}) {
  const type = ggmlTypeByName(String(enc.params.type));
  const part = enc.parts[0];
  if (!type || !part) throw new RangeError(`${name}: bad ggml encoding`);
  const heads = typeof enc.params.rotaryHeads === "number" ? enc.params.rotaryHeads : 0;
  const numel2 = shape.reduce((a, b) => a * b, 1);
  const units = shape.length > 0 ? shape[0] : 1;
  const unit = units > 0 ? numel2 / units : 0;
  const headDim = heads > 0 ? units / heads : 0;
  if (heads > 0 && (!Number.isInteger(headDim) || headDim % 2 !== 0)) {
    throw new InputError(part.file.id, `tensor ${name}: ${units} rows do not split into ${heads} rotary heads`);
  }
  if (heads > 0 && headDim * unit > MAX_ROTARY_HEAD_VALUES) {
    throw new InputError(
      part.file.id,
      `tensor ${name}: a rotary head of ${headDim * unit} values (${headDim} rows of ${unit}), more than the ${MAX_ROTARY_HEAD_VALUES} an attention head has (head_count ${heads} in the metadata)`
    );
  }
  const values = type.plain ?? "F32";
  let stepSquares = 0;
  let counted = 0;
  const es = values === "F32" ? 4 : type.blockBytes;
  let floatScratch;
  let byteScratch;
  const floats = (n) => {
    if (!opts.reuse) return new Float32Array(n);
    if (!floatScratch || floatScratch.length < n) floatScratch = new Float32Array(n);
    return floatScratch;
  };
  const bytesOut = (n) => {
    if (!opts.reuse) return new Uint8Array(n);
    if (!byteScratch || byteScratch.length < n) byteScratch = new Uint8Array(n);
    return byteScratch.subarray(0, n);
  };
  const arena = opts.arena;
  const simd2 = arena && !type.plain ? simdDequant(arena.memory)?.[type.name] : void 0;
  const rowBlocks = unit / type.blockElems;
  const arenaFits = (elems, blocks) => 4 * elems + blocks * type.blockBytes + 16 <= (arena ? arena.region.length : 0);
  const arenaRead = async (start, end) => {
    const region = arena.region;
    const base = region.byteOffset;
    const out = 4 * (end - start);
    const stage = out + 15 & ~15;
    if (heads === 0) {
      if (start % type.blockElems !== 0 || end % type.blockElems !== 0) return void 0;
      const b0 = start / type.blockElems;
      const b1 = end / type.blockElems;
      if (!arenaFits(end - start, b1 - b0)) return void 0;
      const bytes2 = await readPart(part, b0 * type.blockBytes, (b1 - b0) * type.blockBytes);
      opts.onStored?.(b0 * type.blockBytes, bytes2);
      region.set(bytes2, stage);
      simd2(base + stage, b1 - b0, base);
      if (type.stepSquares) {
        stepSquares += type.stepSquares(bytes2, 0, b1 - b0);
        counted += (b1 - b0) * type.blockElems;
      }
      return region.subarray(0, out);
    }
    if (start % unit !== 0 || end % unit !== 0 || unit % type.blockElems !== 0) return void 0;
    const u0 = start / unit;
    const u1 = end / unit;
    let pMin = Infinity;
    let pMax = -Infinity;
    for (let u = u0; u < u1; u++) {
      const p = rotaryStoredIndex(u, headDim);
      if (p < pMin) pMin = p;
      if (p > pMax) pMax = p;
    }
    const rows = pMax + 1 - pMin;
    if (!arenaFits(end - start, rows * rowBlocks)) return void 0;
    const rowBytes = rowBlocks * type.blockBytes;
    const bytes = await readPart(part, pMin * rowBytes, rows * rowBytes);
    opts.onStored?.(pMin * rowBytes, bytes);
    region.set(bytes, stage);
    for (let u = u0; u < u1; u++) {
      simd2(base + stage + (rotaryStoredIndex(u, headDim) - pMin) * rowBytes, rowBlocks, base + 4 * (u - u0) * unit);
    }
    if (type.stepSquares) {
      stepSquares += type.stepSquares(bytes, 0, rows * rowBlocks);
      counted += rows * unit;
    }
    return region.subarray(0, out);
  };
  const storedRange = async (s, e) => {
    const b0 = Math.floor(s / type.blockElems);
    const b1 = Math.ceil(e / type.blockElems);
    const bytes = await readPart(part, b0 * type.blockBytes, (b1 - b0) * type.blockBytes);
    opts.onStored?.(b0 * type.blockBytes, bytes);
    if (type.plain) return bytes;
    const out = floats((b1 - b0) * type.blockElems);
    type.dequantize(bytes, 0, b1 - b0, out, 0);
    if (type.stepSquares) {
      stepSquares += type.stepSquares(bytes, 0, b1 - b0);
      counted += (b1 - b0) * type.blockElems;
    }
    const from = s - b0 * type.blockElems;
    return new Uint8Array(out.buffer, from * 4, (e - s) * 4);
  };
  const read = async (start, end) => {
    if (start >= end) return new Uint8Array(0);
    if (simd2) {
      const values2 = await arenaRead(start, end);
      if (values2) return values2;
    }
    if (heads === 0) return storedRange(start, end);
    const u0 = Math.floor(start / unit);
    const u1 = Math.floor((end - 1) / unit);
    let pMin = Infinity;
    let pMax = -Infinity;
    for (let u = u0; u <= u1; u++) {
      const p = rotaryStoredIndex(u, headDim);
      if (p < pMin) pMin = p;
      if (p > pMax) pMax = p;
    }
    const stored = await storedRange(pMin * unit, (pMax + 1) * unit);
    const out = bytesOut((end - start) * es);
    for (let u = u0; u <= u1; u++) {
      const w0 = Math.max(start, u * unit) - u * unit;
      const w1 = Math.min(end, (u + 1) * unit) - u * unit;
      const src = ((rotaryStoredIndex(u, headDim) - pMin) * unit + w0) * es;
      out.set(stored.subarray(src, src + (w1 - w0) * es), (u * unit + w0 - start) * es);
    }
    return out;
  };
  return {
    values,
    read,
    ...type.stepSquares ? { rounding: () => ({ stepSquares, count: counted }) } : {},
    bandElements(storedBytes) {
      const granule = heads > 0 ? headDim * unit : type.blockElems;
      let n = Math.floor(storedBytes / type.blockBytes * type.blockElems);
      if (simd2 && arenaFits(granule, granule / type.blockElems)) {
        const room = arena.region.length - 16;
        n = Math.min(n, Math.floor(room / (4 * type.blockElems + type.blockBytes)) * type.blockElems);
      }
      return Math.max(granule, n - n % granule);
    }
  };
}

// src/formats/quant/gather.ts
var WINDOW = 8 * 1024 * 1024;
var IN_FLIGHT_READS = 64;
function axisLength(a) {
  return Array.isArray(a) ? a.length : a.to - a.from;
}
function runs(a) {
  if (!Array.isArray(a)) {
    const r = a;
    return r.to > r.from ? [[r.from, r.to, 0]] : [];
  }
  const xs = a;
  const out = [];
  for (let k = 0; k < xs.length; k++) {
    const last = out[out.length - 1];
    if (last && xs[k] === last[1]) last[1]++;
    else out.push([xs[k], xs[k] + 1, k]);
  }
  return out;
}
function clusters(cols, elemBytes, how) {
  const out = [];
  let wanted = 0;
  for (const r of runs(cols)) {
    const c = out[out.length - 1];
    const len = (r[1] - r[0]) * elemBytes;
    if (c) {
      const gap = (r[0] - c.to) * elemBytes;
      const width = (r[1] - c.from) * elemBytes;
      const waste = width - wanted - len;
      if (gap <= how.gap && waste <= how.waste * (wanted + len) || width <= how.free) {
        c.to = r[1];
        c.runs.push(r);
        wanted += len;
        continue;
      }
    }
    out.push({ from: r[0], to: r[1], runs: [r] });
    wanted = len;
  }
  return out;
}
function planGather(rows, cols, rowBytes, elemBytes, how) {
  const reads = plan(rows, clusters(cols, elemBytes, how), rowBytes, elemBytes, how, false);
  if (how.maxReads === void 0 || reads.length <= how.maxReads || axisLength(cols) === 0) return reads;
  const all = clusters(cols, elemBytes, { gap: Infinity, waste: Infinity, free: Infinity });
  return plan(rows, all, rowBytes, elemBytes, how, true);
}
function plan(rows, cs, rowBytes, elemBytes, how, through) {
  const reads = [];
  for (const [r0, r1, rowPos] of runs(rows)) {
    for (const c of cs) {
      const width = (c.to - c.from) * elemBytes;
      const gap = rowBytes - width;
      const together = through || gap === 0 || gap <= how.gap && gap <= how.waste * width;
      const per = Math.max(1, Math.floor((together ? WINDOW : how.free) / rowBytes));
      for (let r = r0; r < r1; r += per) {
        const n = Math.min(per, r1 - r);
        reads.push({
          offset: r * rowBytes + c.from * elemBytes,
          length: (n - 1) * rowBytes + width,
          row: r,
          rows: n,
          rowPos: rowPos + (r - r0),
          cluster: c
        });
      }
    }
  }
  return reads;
}
async function gather(part, reads, nRows, nCols, rowBytes, elemBytes, out) {
  const dense = out ?? new Uint8Array(nRows * nCols * elemBytes);
  const rowStride = nCols * elemBytes;
  for (let i = 0; i < reads.length; ) {
    const batch = [];
    let bytes = 0;
    while (i < reads.length && batch.length < IN_FLIGHT_READS && (batch.length === 0 || bytes < WINDOW)) {
      bytes += reads[i].length;
      batch.push(reads[i++]);
    }
    const got = await Promise.all(batch.map((x) => readPart(part, x.offset, x.length)));
    for (const [j, x] of batch.entries()) copyRows(got[j], x, dense, rowBytes, rowStride, elemBytes);
  }
  return dense;
}
function copyRows(buf, x, dense, rowBytes, rowStride, eb) {
  const c = x.cluster;
  const dst0 = x.rowPos * rowStride;
  if (c.runs.length === 1 && (c.to - c.from) * eb === rowBytes && rowBytes === rowStride) {
    dense.set(buf.subarray(0, x.rows * rowBytes), dst0);
    return;
  }
  for (const [c0, c1, pos] of c.runs) {
    const n = (c1 - c0) * eb;
    let s = (c0 - c.from) * eb;
    let d = dst0 + pos * eb;
    if (n === 4 && ((buf.byteOffset | dense.byteOffset | s | d | rowBytes | rowStride) & 3) === 0) {
      const from = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
      const to = new Int32Array(dense.buffer, dense.byteOffset, dense.length >> 2);
      const rs = rowBytes >> 2;
      const ds = rowStride >> 2;
      for (let k = 0, i = s >> 2, o = d >> 2; k < x.rows; k++, i += rs, o += ds) to[o] = from[i];
    } else if (n > 64) {
      for (let k = 0; k < x.rows; k++, s += rowBytes, d += rowStride) dense.set(buf.subarray(s, s + n), d);
    } else {
      for (let k = 0; k < x.rows; k++, s += rowBytes, d += rowStride)
        for (let b = 0; b < n; b++) dense[d + b] = buf[s + b];
    }
  }
}

// src/formats/quant/decoder.ts
var MAX_BAND_VALUES = 2 ** 23;
var MAX_SIDE_VALUES = 2 ** 23;
var MAX_PIECE_READS = 2 ** 18;
var SMALL_PART_BYTES = 64 * 1024;
var BAND = { gap: 1 << 20, waste: 0.25, free: 0 };
var LONG_ROW = { gap: 1 << 20, waste: 16, free: 0 };
var SAMPLE_LOCAL = { gap: 64 << 10, waste: 16, free: 64 };
var SAMPLE_REMOTE = { gap: 256 << 10, waste: 16, free: 256 << 10, maxReads: 512 };
var AWQ_NIBBLE = [0, 4, 1, 5, 2, 6, 3, 7];
var E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];
var E2M1_SPACING = 6 / 7;
function context(enc, name, opts) {
  const part = (role) => {
    const p = enc.parts.find((x) => x.role === role);
    if (!p) throw new RangeError(`${name}: no ${role} part`);
    return p;
  };
  const fail = (problem) => new InputError(enc.parts[0].file.id, `tensor ${JSON.stringify(name)}: ${problem}`);
  const whole = /* @__PURE__ */ new Map();
  const wholeFloats = /* @__PURE__ */ new Map();
  const small = (p) => p.byteLength <= SMALL_PART_BYTES;
  const wholeBytes = (p) => {
    let v = whole.get(p.role);
    if (!v) {
      v = readPart(p, 0, p.byteLength);
      whole.set(p.role, v);
    }
    return v;
  };
  const elementBytes = (p) => dtypeInfo(p.dtype, p.file.id).bits / 8;
  return {
    enc,
    name,
    opts,
    part,
    has: (role) => enc.parts.some((x) => x.role === role),
    numel: (role) => part(role).shape.reduce((a, b) => a * b, 1),
    async bytes(role, a, b) {
      const p = part(role);
      return small(p) ? (await wholeBytes(p)).subarray(a, b) : readPart(p, a, b - a);
    },
    async floats(role, a, b) {
      const p = part(role);
      if (small(p)) {
        let v = wholeFloats.get(role);
        if (!v) {
          v = wholeBytes(p).then((x) => decodeToFloat32(p.dtype, x));
          wholeFloats.set(role, v);
        }
        return (await v).subarray(a, b);
      }
      const es = elementBytes(p);
      return decodeToFloat32(p.dtype, await readPart(p, a * es, (b - a) * es));
    },
    fail
  };
}
function int32s(b) {
  if (b.byteOffset % 4 === 0) return new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
  return new Int32Array(b.slice().buffer);
}
function pieceDecoder(R, C, piece, storedBytesPerRow, rounding, opts, readGrid) {
  let scratch2;
  const buffer = (n) => {
    if (!opts.reuse) return new Float32Array(n);
    if (!scratch2 || scratch2.length < n) scratch2 = new Float32Array(n);
    return scratch2.subarray(0, n);
  };
  const rowsPerPiece = C > 0 ? Math.max(1, Math.floor(MAX_BAND_VALUES / C)) : 1;
  return {
    values: "F32",
    async read(start, end) {
      if (start >= end) return new Uint8Array(0);
      const res = buffer(end - start);
      for (let pos = start; pos < end; ) {
        const r = Math.floor(pos / C);
        const c = pos - r * C;
        let next;
        if (c === 0 && C <= MAX_BAND_VALUES && end - pos >= C) {
          next = pos + Math.min(Math.floor((end - pos) / C), rowsPerPiece) * C;
          await piece(r, (next - pos) / C + r, 0, C, res.subarray(pos - start, next - start));
        } else {
          const c1 = Math.min(C, c + MAX_BAND_VALUES, c + (end - pos));
          next = pos + (c1 - c);
          await piece(r, r + 1, c, c1, res.subarray(pos - start, next - start));
        }
        pos = next;
      }
      return new Uint8Array(res.buffer, res.byteOffset, (end - start) * 4);
    },
    bandElements(storedBytes) {
      if (C > MAX_BAND_VALUES) return MAX_BAND_VALUES;
      const n = Math.max(1, Math.floor(storedBytes / Math.max(1, storedBytesPerRow)));
      return Math.min(R, n, rowsPerPiece) * C;
    },
    rounding: () => rounding,
    ...readGrid ? { readGrid } : {}
  };
}
function distinct(xs) {
  return [...new Set(xs)].sort((a, b) => a - b);
}
function indexer(axis) {
  if (!Array.isArray(axis)) {
    const from = axis.from;
    return (x) => x - from;
  }
  const at = new Map(axis.map((x, k) => [x, k]));
  return (x) => at.get(x);
}
function gptqDecoder(ctx, shape) {
  const [out, inn] = shape;
  const bits = Number(ctx.enc.params.bits);
  const awq = ctx.enc.params.method === "awq";
  const group = Number(ctx.enc.params.groupSize) > 0 ? Number(ctx.enc.params.groupSize) : inn;
  const zeroOffset = Number(ctx.enc.params.zeroOffset ?? 0);
  const mask = (1 << bits) - 1;
  const q = ctx.part("qweight");
  const sc = ctx.part("scales");
  const qz = ctx.part("qzeros");
  const hasGIdx = ctx.has("g_idx");
  const rowWords = awq ? out / 8 : out;
  const zRowWords = awq ? out / 8 : out * bits / 32;
  const groups = Math.ceil(inn / group);
  const scaleBytes = dtypeInfo(sc.dtype, sc.file.id).bits / 8;
  const storedRows = awq ? inn : inn * bits / 32;
  for (const [p, bytes] of [
    [q, storedRows * rowWords * 4],
    [qz, groups * zRowWords * 4],
    [sc, groups * out * scaleBytes],
    ...hasGIdx ? [[ctx.part("g_idx"), inn * 4]] : []
  ]) {
    if (p.byteLength !== bytes)
      throw ctx.fail(`${p.name} holds ${p.byteLength} bytes where [${out}, ${inn}] needs ${bytes}`);
  }
  const rounding = { stepSquares: 0, count: 0 };
  const sampling = q.file.localPath !== void 0 ? SAMPLE_LOCAL : SAMPLE_REMOTE;
  const zeroWords = (O) => {
    if (!Array.isArray(O)) {
      const { from, to } = O;
      return awq ? { from: Math.floor(from / 8), to: Math.floor((to - 1) / 8) + 1 } : { from: Math.floor(from * bits / 32), to: Math.floor((to * bits - 1) / 32) + 1 };
    }
    const os = O;
    if (awq) return distinct(os.map((o) => Math.floor(o / 8)));
    return distinct(os.flatMap((o) => [Math.floor(o * bits / 32), Math.floor((o * bits + bits - 1) / 32)]));
  };
  const side = async (G, O, how) => {
    const nG = axisLength(G);
    const nO = axisLength(O);
    if (nG * nO > MAX_SIDE_VALUES) {
      throw ctx.fail(
        `one read of ${nO} output columns needs scales of ${nG} groups (${nG * nO} values, more than ${MAX_SIDE_VALUES}): g_idx spreads these inputs over too many groups`
      );
    }
    const Z = zeroWords(O);
    const nZ = axisLength(Z);
    const sRow = out * scaleBytes;
    const [sBytes, zBytes] = await Promise.all([
      gather(sc, planGather(G, O, sRow, scaleBytes, how), nG, nO, sRow, scaleBytes),
      gather(qz, planGather(G, Z, zRowWords * 4, 4, how), nG, nZ, zRowWords * 4, 4)
    ]);
    const scales = decodeToFloat32(sc.dtype, sBytes);
    const zw = int32s(zBytes);
    const zeros = new Int32Array(nG * nO);
    const zi = indexer(Z);
    const os = Array.isArray(O) ? O : void 0;
    const o0 = os ? 0 : O.from;
    for (let a = 0; a < nO; a++) {
      const o = os ? os[a] : o0 + a;
      if (awq) {
        const w = zi(Math.floor(o / 8));
        const sh = 4 * AWQ_NIBBLE[o & 7];
        for (let g = 0; g < nG; g++) zeros[g * nO + a] = zw[g * nZ + w] >>> sh & 15;
      } else {
        const bit = o * bits;
        const word = Math.floor(bit / 32);
        const s = bit - word * 32;
        const w = zi(word);
        for (let g = 0; g < nG; g++) {
          let v = zw[g * nZ + w] >>> s;
          if (s + bits > 32) v |= zw[g * nZ + w + 1] << 32 - s;
          zeros[g * nO + a] = (v & mask) + zeroOffset;
        }
      }
    }
    return { scales, zeros };
  };
  const gIdxValues = (g, where) => {
    let lo = groups;
    let hi = -1;
    for (let k = 0; k < g.length; k++) {
      const x = g[k];
      if (!(x >= 0 && x < groups)) throw ctx.fail(`g_idx value ${x} ${where()} outside [0, ${groups})`);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return { lo, hi };
  };
  const piece = async (o0, o1, i0, i1, dst) => {
    const nO = o1 - o0;
    const nI = i1 - i0;
    const how = nI < inn ? LONG_ROW : BAND;
    const P = awq ? { from: i0, to: i1 } : { from: Math.floor(i0 * bits / 32), to: Math.floor((i1 * bits - 1) / 32) + 1 };
    const Wd = awq ? { from: Math.floor(o0 / 8), to: Math.floor((o1 - 1) / 8) + 1 } : { from: o0, to: o1 };
    const W = Wd.to - Wd.from;
    const plan2 = planGather(P, Wd, rowWords * 4, 4, how);
    if (plan2.length > MAX_PIECE_READS) {
      throw ctx.fail(
        `decoding ${nO === 1 ? `part of a row of ${inn}` : `${nO} rows of ${inn}`} inputs would take ${plan2.length} separate reads (more than ${MAX_PIECE_READS}): ${awq ? "AWQ" : "GPTQ"} stores rows along the input axis and this tensor's ${out} output columns are too many for rows this long`
      );
    }
    let gi;
    let gA = Math.floor(i0 / group);
    let gB = Math.floor((i1 - 1) / group) + 1;
    const [codeBytes] = await Promise.all([
      gather(q, plan2, P.to - P.from, W, rowWords * 4, 4),
      (async () => {
        if (!hasGIdx) return;
        gi = int32s(await ctx.bytes("g_idx", i0 * 4, i1 * 4));
        const { lo, hi } = gIdxValues(gi, () => `for inputs ${i0}..${i1 - 1}`);
        gA = lo;
        gB = hi + 1;
      })()
    ]);
    const codes = int32s(codeBytes);
    const { scales, zeros } = await side({ from: gA, to: gB }, { from: o0, to: o1 }, how);
    let ss = rounding.stepSquares;
    let k = 0;
    const rel0 = i0 * bits - P.from * 32;
    for (let a = 0; a < nO; a++) {
      const o = o0 + a;
      const col = awq ? Math.floor(o / 8) - Wd.from : a;
      const sh = awq ? 4 * AWQ_NIBBLE[o & 7] : 0;
      if (gi) {
        let rel = rel0;
        for (let b = 0; b < nI; b++) {
          const x = (gi[b] - gA) * nO + a;
          const s = scales[x];
          let code;
          if (awq) code = codes[b * W + col] >>> sh & 15;
          else {
            const w = rel >>> 5;
            const r = rel & 31;
            let v = codes[w * W + col] >>> r;
            if (r + bits > 32) v |= codes[(w + 1) * W + col] << 32 - r;
            code = v & mask;
            rel += bits;
          }
          dst[k++] = s * (code - zeros[x]);
          ss += s * s;
        }
        continue;
      }
      for (let b0 = 0; b0 < nI; ) {
        const g = Math.floor((i0 + b0) / group);
        const b1 = Math.min(nI, (g + 1) * group - i0);
        const x = (g - gA) * nO + a;
        const s = scales[x];
        const s2 = s * s;
        const z = zeros[x];
        if (awq) {
          for (let b = b0; b < b1; b++) {
            dst[k++] = s * ((codes[b * W + col] >>> sh & 15) - z);
            ss += s2;
          }
        } else {
          let rel = rel0 + b0 * bits;
          for (let b = b0; b < b1; b++) {
            const w = rel >>> 5;
            const r = rel & 31;
            let v = codes[w * W + col] >>> r;
            if (r + bits > 32) v |= codes[(w + 1) * W + col] << 32 - r;
            dst[k++] = s * ((v & mask) - z);
            ss += s2;
            rel += bits;
          }
        }
        b0 = b1;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += nO * nI;
  };
  const readGrid = async (rows, cols) => {
    const nR = rows.length;
    const nC = cols.length;
    const res = new Float32Array(nR * nC);
    if (nR === 0 || nC === 0) return res;
    const rs = Array.from(rows);
    const cs = Array.from(cols);
    const P = distinct(
      awq ? cs : cs.flatMap((i) => [Math.floor(i * bits / 32), Math.floor((i * bits + bits - 1) / 32)])
    );
    const Wd = distinct(awq ? rs.map((o) => Math.floor(o / 8)) : rs);
    const inputs = distinct(cs);
    let groupOf = (i) => Math.floor(i / group);
    if (hasGIdx) {
      const g = ctx.part("g_idx");
      const one = { from: 0, to: 1 };
      const gi = int32s(await gather(g, planGather(one, inputs, inn * 4, 4, sampling), 1, inputs.length, inn * 4, 4));
      gIdxValues(gi, () => "for a sampled input");
      const at = indexer(inputs);
      groupOf = (i) => gi[at(i)];
    }
    const G = distinct(inputs.map(groupOf));
    const O = distinct(rs);
    const [codeBytes, { scales, zeros }] = await Promise.all([
      gather(q, planGather(P, Wd, rowWords * 4, 4, sampling), P.length, Wd.length, rowWords * 4, 4),
      side(G, O, sampling)
    ]);
    const codes = int32s(codeBytes);
    const nW = Wd.length;
    const nO = O.length;
    const pAt = indexer(P);
    const wAt = indexer(Wd);
    const gAt = indexer(G);
    const oAt = indexer(O);
    const colWord = cs.map((i) => pAt(awq ? i : Math.floor(i * bits / 32)));
    const colShift = cs.map((i) => awq ? 0 : i * bits - Math.floor(i * bits / 32) * 32);
    const colGroup = cs.map((i) => gAt(groupOf(i)));
    let ss = rounding.stepSquares;
    let k = 0;
    for (const o of rs) {
      const w = wAt(awq ? Math.floor(o / 8) : o);
      const oi = oAt(o);
      const sh = 4 * AWQ_NIBBLE[o & 7];
      for (let b = 0; b < nC; b++) {
        const x = colGroup[b] * nO + oi;
        const s = scales[x];
        const p = colWord[b];
        let code;
        if (awq) code = codes[p * nW + w] >>> sh & 15;
        else {
          const r = colShift[b];
          let v = codes[p * nW + w] >>> r;
          if (r + bits > 32) v |= codes[(p + 1) * nW + w] << 32 - r;
          code = v & mask;
        }
        res[k++] = s * (code - zeros[x]);
        ss += s * s;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += res.length;
    return res;
  };
  return pieceDecoder(out, inn, piece, inn * bits / 8, rounding, ctx.opts, (rows, cols) => readGrid(rows, cols));
}
function packDecoder(ctx, shape) {
  const [out, inn] = shape;
  const bits = Number(ctx.enc.params.bits);
  const mask = (1 << bits) - 1;
  const offset = 1 << bits - 1;
  const group = Number(ctx.enc.params.groupSize) > 0 ? Number(ctx.enc.params.groupSize) : inn;
  const groups = Math.ceil(inn / group);
  const rowWords = Math.ceil(inn * bits / 32);
  const data = ctx.part("weight_packed");
  const hasZero = ctx.has("weight_zero_point");
  const n = ctx.numel("weight_scale");
  const per = n === 1 ? 0 : n / out;
  if (n === 0 || per !== 0 && per !== groups && per !== 1) {
    throw ctx.fail(`weight_scale has ${n} values for ${out} rows in ${groups} groups`);
  }
  if (hasZero && ctx.numel("weight_zero_point") !== n) {
    throw ctx.fail(`weight_zero_point has ${ctx.numel("weight_zero_point")} values, weight_scale ${n}`);
  }
  if (data.byteLength !== out * rowWords * 4) {
    throw ctx.fail(`${data.name} holds ${data.byteLength} bytes where [${out}, ${inn}] needs ${out * rowWords * 4}`);
  }
  const at = (r, c) => per === 0 ? 0 : r * per + (per === 1 ? 0 : Math.floor(c / group));
  const rounding = { stepSquares: 0, count: 0 };
  const piece = async (r0, r1, c0, c1, dst) => {
    const wStart = r0 * rowWords + Math.floor(c0 * bits / 32);
    const wEnd = (r1 - 1) * rowWords + Math.floor((c1 * bits - 1) / 32) + 1;
    const sA = at(r0, c0);
    const sB = at(r1 - 1, c1 - 1) + 1;
    const [b, scale, zp] = await Promise.all([
      readPart(data, wStart * 4, (wEnd - wStart) * 4),
      ctx.floats("weight_scale", sA, sB),
      hasZero ? ctx.floats("weight_zero_point", sA, sB) : void 0
    ]);
    const words = int32s(b);
    let ss = rounding.stepSquares;
    let k = 0;
    for (let r = r0; r < r1; r++) {
      const rowBit = (r * rowWords - wStart) * 32;
      for (let c = c0; c < c1; c++) {
        const x = at(r, c) - sA;
        const s = scale[x];
        const z = zp ? zp[x] : 0;
        const rel = rowBit + c * bits;
        const w = rel >>> 5;
        const sh = rel & 31;
        let v = words[w] >>> sh;
        if (sh + bits > 32) v |= words[w + 1] << 32 - sh;
        dst[k++] = ((v & mask) - offset - z) * s;
        ss += s * s;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += k;
  };
  return pieceDecoder(out, inn, piece, rowWords * 4, rounding, ctx.opts);
}
function scaledDecoder(ctx, shape) {
  const w = ctx.part("weight");
  const R = shape.length > 1 ? shape[0] : 1;
  const C = shape.reduce((a, b) => a * b, 1) / R;
  const es = w.dtype === "I8" || w.dtype.startsWith("F8") ? 1 : 2;
  const mantissa = w.dtype === "F8_E5M2" ? 2 : w.dtype === "F8_E4M3" ? 3 : -1;
  const sShape = ctx.part("scale").shape;
  const n = ctx.numel("scale");
  const blockRows = Number(ctx.enc.params.blockRows ?? 0);
  const blockCols = Number(ctx.enc.params.blockCols ?? 0);
  const divisor = Number(ctx.enc.params.divisor ?? 1);
  const misfit = () => ctx.fail(`scale of shape [${sShape.join(", ")}] does not fit a weight of shape [${shape.join(", ")}]`);
  if (w.byteLength !== R * C * es) throw misfit();
  let at;
  let span;
  if (n === 1) {
    at = () => 0;
    span = () => [0, 1];
  } else if (blockRows > 0) {
    const bc = Math.ceil(C / blockCols);
    if (n !== Math.ceil(R / blockRows) * bc) throw misfit();
    at = (r, c) => Math.floor(r / blockRows) * bc + Math.floor(c / blockCols);
    span = (r0, r1, c0, c1) => r1 - r0 === 1 ? [at(r0, c0), at(r0, c1 - 1) + 1] : [Math.floor(r0 / blockRows) * bc, (Math.floor((r1 - 1) / blockRows) + 1) * bc];
  } else {
    const per = n / R;
    if (!(Number.isInteger(per) && per >= 1)) throw misfit();
    const group = C / per;
    at = (r, c) => r * per + Math.floor(c / group);
    span = (r0, r1, c0, c1) => [at(r0, c0), at(r1 - 1, c1 - 1) + 1];
  }
  const rounding = { stepSquares: 0, count: 0 };
  const stepFactor = (x) => mantissa < 0 || x === 0 ? 1 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - mantissa);
  const stepOf = es === 1 ? Float64Array.from(
    decodeToFloat32(
      w.dtype,
      Uint8Array.from({ length: 256 }, (_, i) => i)
    ),
    stepFactor
  ) : void 0;
  const piece = async (r0, r1, c0, c1, dst) => {
    const e0 = r0 * C + c0;
    const e1 = (r1 - 1) * C + c1;
    const [sA, sB] = span(r0, r1, c0, c1);
    const [bytes, scale] = await Promise.all([readPart(w, e0 * es, (e1 - e0) * es), ctx.floats("scale", sA, sB)]);
    const v = decodeToFloat32(w.dtype, bytes, dst);
    let ss = rounding.stepSquares;
    let k = 0;
    if (stepOf) {
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          const s = scale[at(r, c) - sA] / divisor;
          const step = stepOf[bytes[k]] * s;
          v[k] = v[k] * s;
          k++;
          ss += step * step;
        }
      }
      rounding.stepSquares = ss;
      rounding.count += k;
      return;
    }
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const s = scale[at(r, c) - sA] / divisor;
        const x = v[k];
        v[k++] = x * s;
        const step = stepFactor(x) * s;
        ss += step * step;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += k;
  };
  return pieceDecoder(R, C, piece, C * es, rounding, ctx.opts);
}
function mxfp4Decoder(ctx, shape) {
  const blocks = ctx.part("blocks");
  const scales = ctx.part("scales");
  const C = shape[shape.length - 1];
  const R = shape.reduce((a, b) => a * b, 1) / C;
  const G = C / 32;
  if (blocks.byteLength !== R * G * 16 || scales.byteLength !== R * G) {
    throw ctx.fail(`${blocks.name} and ${scales.name} do not hold [${shape.join(", ")}] in groups of 32`);
  }
  const rounding = { stepSquares: 0, count: 0 };
  const piece = async (r0, r1, c0, c1, dst) => {
    const e0 = r0 * C + c0;
    const e1 = (r1 - 1) * C + c1;
    const g0 = Math.floor(e0 / 32);
    const g1 = Math.floor((e1 - 1) / 32) + 1;
    const [b, s] = await Promise.all([readPart(blocks, g0 * 16, (g1 - g0) * 16), readPart(scales, g0, g1 - g0)]);
    let ss = rounding.stepSquares;
    for (let g = g0; g < g1; g++) {
      const f = 2 ** (s[g - g0] - 127);
      const base = (g - g0) * 16;
      const first = g * 32;
      const lo = Math.max(e0, first);
      const hi = Math.min(e1, first + 32);
      if (hi - lo === 32) {
        const d = first - e0;
        for (let j = 0; j < 16; j++) {
          const byte = b[base + j];
          dst[d + 2 * j] = E2M1[byte & 15] * f;
          dst[d + 2 * j + 1] = E2M1[byte >> 4] * f;
        }
      } else {
        for (let e = lo; e < hi; e++) {
          const j = e - first;
          const byte = b[base + (j >> 1)];
          dst[e - e0] = E2M1[j & 1 ? byte >> 4 : byte & 15] * f;
        }
      }
      ss += (hi - lo) * (E2M1_SPACING * f) ** 2;
    }
    rounding.stepSquares = ss;
    rounding.count += e1 - e0;
  };
  return pieceDecoder(R, C, piece, G * 17, rounding, ctx.opts);
}
function bnb4Decoder(ctx, shape) {
  const data = ctx.part("weight");
  const blocksize = Number(ctx.enc.params.blocksize);
  const R = shape.length > 1 ? shape[0] : 1;
  const numel2 = shape.reduce((a, b) => a * b, 1);
  const C = numel2 / R;
  const nested = ctx.has("nested_absmax");
  const nb = Number(ctx.enc.params.nestedBlocksize);
  const off = Number(ctx.enc.params.nestedOffset ?? 0);
  const rounding = { stepSquares: 0, count: 0 };
  let book;
  const codeBook = () => {
    book ??= ctx.floats("quant_map", 0, 16).then((map) => {
      let spacing = 0;
      for (let k = 1; k < 16; k++) spacing += Math.abs(map[k] - map[k - 1]);
      return { map, spacing: spacing / 15 };
    });
    return book;
  };
  const absmax = async (a0, a1) => {
    if (!nested) return ctx.floats("absmax", a0, a1);
    const n0 = Math.floor(a0 / nb);
    const [codes, top, map] = await Promise.all([
      ctx.bytes("absmax", a0, a1),
      ctx.floats("nested_absmax", n0, Math.floor((a1 - 1) / nb) + 1),
      ctx.floats("nested_quant_map", 0, 256)
    ]);
    const out = new Float32Array(a1 - a0);
    for (let i = 0; i < out.length; i++) out[i] = map[codes[i]] * top[Math.floor((a0 + i) / nb) - n0] + off;
    return out;
  };
  const piece = async (r0, r1, c0, c1, dst) => {
    const e0 = r0 * C + c0;
    const e1 = (r1 - 1) * C + c1;
    const b0 = Math.floor(e0 / 2);
    const a0 = Math.floor(e0 / blocksize);
    const [bytes, am, { map, spacing }] = await Promise.all([
      readPart(data, b0, Math.floor((e1 + 1) / 2) - b0),
      absmax(a0, Math.floor((e1 - 1) / blocksize) + 1),
      codeBook()
    ]);
    let ss = rounding.stepSquares;
    for (let blk = 0; blk < am.length; blk++) {
      const a = am[blk];
      const step2 = (spacing * a) ** 2;
      const first = (a0 + blk) * blocksize;
      const hi = Math.min(e1, first + blocksize);
      for (let e = Math.max(e0, first); e < hi; e++) {
        const rel = e - 2 * b0;
        const byte = bytes[rel >> 1];
        dst[e - e0] = map[rel & 1 ? byte & 15 : byte >> 4] * a;
        ss += step2;
      }
    }
    rounding.stepSquares = ss;
    rounding.count += e1 - e0;
  };
  return pieceDecoder(R, C, piece, Math.ceil(C / 2), rounding, ctx.opts);
}
function quantDecoder(enc, shape, name, opts = {}) {
  const ctx = context(enc, name, opts);
  switch (enc.params.method) {
    case "gptq":
    case "awq":
      return gptqDecoder(ctx, shape);
    case "pack":
      return packDecoder(ctx, shape);
    case "scaled":
      return scaledDecoder(ctx, shape);
    case "mxfp4":
      return mxfp4Decoder(ctx, shape);
    case "bnb4":
      return bnb4Decoder(ctx, shape);
    default:
      throw new RangeError(`${name}: unknown quantisation method ${String(enc.params.method)}`);
  }
}

// src/formats/decode.ts
var FACTORIES = { ggml: ggmlDecoder, quant: quantDecoder };
function openDecoder(t, opts = {}) {
  const enc = t.encoding;
  if (!enc) throw new RangeError(`${t.name} is a plain tensor, not a logical one`);
  const factory = FACTORIES[enc.decoder];
  if (!factory || !enc.values) throw new InputError(t.file.id, `tensor ${t.name}: ${t.dtype} values are not decoded`);
  return factory(enc, t.shape, t.name, opts);
}
async function* streamDecoded(t, decoder, bandBytes) {
  const band = decoder.bandElements(bandBytes);
  let reported = 0;
  for (let start = 0; start < t.numel; start += band) {
    const end = Math.min(t.numel, start + band);
    const values = await decoder.read(start, end);
    const upTo = Math.round(t.byteLength * end / t.numel);
    yield { values, storedBytes: upTo - reported };
    reported = upTo;
  }
}
function reviveEncoding(spec, sources2) {
  return {
    ...spec,
    parts: spec.parts.map(({ path, ...p }) => {
      const file = sources2.get(path);
      if (!file) throw new RangeError(`no open source for ${path}`);
      return { ...p, file };
    })
  };
}

// src/formats/file-source.ts
import { open } from "node:fs/promises";
var DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
async function openFileSource(path) {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw fsError(path, err);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError(path, "is a directory, expected a file");
    return new FileSource(path, handle, stat.size);
  } catch (err) {
    await handle.close().catch(() => void 0);
    throw err instanceof InputError ? err : fsError(path, err);
  }
}
function fsError(path, err) {
  const code = err?.code;
  switch (code) {
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
      return new InputError(path, `cannot read: ${code ?? (err instanceof Error ? err.message : String(err))}`);
  }
}
var RangeSource = class {
  constructor(id, size) {
    this.id = id;
    this.size = size;
  }
  id;
  size;
  fetched = 0;
  async *stream(offset, length, chunkSize = DEFAULT_CHUNK_SIZE) {
    checkRange(offset, length);
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)
      throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
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
      throw new InputError(
        this.id,
        `truncated: needs bytes [${offset}, ${offset + length}) but the file has ${this.size} bytes`
      );
    }
  }
};
var FileSource = class extends RangeSource {
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
        throw new InputError(
          this.id,
          `truncated: file ended at byte ${offset + filled}, expected at least ${offset + length} bytes`
        );
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
function checkRange(offset, length) {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`invalid byte range: offset ${offset}, length ${length}`);
  }
}

// src/fingerprint/logical.ts
import { createHash as createHash2 } from "node:crypto";

// src/fingerprint/accumulate.ts
import { createHash } from "node:crypto";

// src/fingerprint/lut.ts
var f16;
var bf16;
var f8 = /* @__PURE__ */ new Map();
function f16Table2() {
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

// src/fingerprint/shape.ts
function numel(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

// src/fingerprint/sample.ts
var DEFAULT_SAMPLE_K = 4096;
var DEFAULT_SAMPLE_SEED = 1592598566;
var GRID_LAYOUT = Object.freeze({ kind: "grid", runsAbove: Infinity });
var DEFAULT_RUNS_ABOVE = 2 ** 18;
var RUNS_LAYOUT = Object.freeze({ kind: "runs", runsAbove: DEFAULT_RUNS_ABOVE });
var SECRET_RUNS_LAYOUT = Object.freeze({
  kind: "secret-runs",
  runsAbove: DEFAULT_RUNS_ABOVE
});
var RUN_ROWS = 3;
var SECRET_RUN_ROWS = 2;
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
var picks = /* @__PURE__ */ new Map();
var PICKS_MAX = 128;
function memoPick(key, make) {
  let v = picks.get(key);
  if (!v) {
    if (picks.size >= PICKS_MAX) picks.clear();
    v = make();
    picks.set(key, v);
  }
  return v.slice();
}
function pickAxis(length, target, seed, tag) {
  return memoPick(`a${length},${target},${seed},${tag}`, () => pickAxisOnce(length, target, seed, tag));
}
function pickAxisOnce(length, target, seed, tag) {
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
function gridPlan(shape, k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED) {
  const { R, C } = matrixView(shape);
  const rowTarget = Math.max(1, Math.ceil(Math.sqrt(k) / 2));
  const colTarget = Math.ceil(k / rowTarget);
  let tr = Math.min(R, rowTarget);
  let tc = Math.min(C, colTarget);
  if (C < colTarget) tr = Math.min(R, Math.ceil(k / Math.max(C, 1)));
  if (R < rowTarget) tc = Math.min(C, Math.ceil(k / Math.max(R, 1)));
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0), kind: "grid" };
  return { R, C, rows: pickAxis(R, tr, seed, ROW_TAG), cols: pickAxis(C, tc, seed, COL_TAG), kind: "grid" };
}
function runsPlan(shape, k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED) {
  const { R, C } = matrixView(shape);
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0), kind: "runs" };
  const L = Math.min(C, Math.max(1, Math.ceil(k / RUN_ROWS)));
  const m = Math.min(R, Math.max(RUN_ROWS, Math.ceil(k / C)));
  const ends = R > 1 ? [0, R - 1] : [0];
  const rows = [...ends, ...smallestHashes(R, m - ends.length, seed, ROW_TAG)].sort((a, b) => a - b);
  return { R, C, rows: Uint32Array.from(rows), cols: Uint32Array.from({ length: L }, (_, i) => i), kind: "runs" };
}
var OFFSET_TAG = 3;
var FLAT_TAG = 4;
function flatRun(name, shape, k, seed, layout) {
  const count = numel(shape);
  if (layout.kind !== "secret-runs" || count <= layout.runsAbove || !layout.flatCounts?.includes(count)) return;
  if (layout.flatNames && !layout.flatNames.includes(name)) return;
  return flatRunAt(count, k, seed);
}
function flatRunAt(count, k, seed) {
  const length = Math.min(count, Math.max(1, Math.ceil(k / SECRET_RUN_ROWS)));
  const from = count >= Math.ceil(k / RUN_ROWS) + length ? Math.ceil(k / RUN_ROWS) : 0;
  const span = count - length - from + 1;
  const u = hash32(seed, FLAT_TAG, count % 2 ** 32) / 2 ** 32 + hash32(seed, FLAT_TAG + 1, count % 2 ** 32) / 2 ** 64;
  return { start: from + Math.min(span - 1, Math.floor(u * span)), length };
}
function secretRunsPlan(shape, k = DEFAULT_SAMPLE_K, seed = DEFAULT_SAMPLE_SEED) {
  const { R, C } = matrixView(shape);
  if (R === 0 || C === 0) return { R, C, rows: new Uint32Array(0), cols: new Uint32Array(0), kind: "runs" };
  const L = Math.min(C, Math.max(1, Math.ceil(k / SECRET_RUN_ROWS)));
  const m = Math.min(R, Math.max(SECRET_RUN_ROWS, Math.ceil(k / C)));
  const rows = R - 2 >= m ? smallestHashes(R, m, seed, ROW_TAG).sort((a, b) => a - b) : allRows(R);
  const publicL = Math.min(C, Math.max(1, Math.ceil(k / RUN_ROWS)));
  const from = C >= publicL + L ? publicL : 0;
  const span = C - L - from + 1;
  const band = 2 ** Math.floor(Math.log2(span));
  const offset = from + hash32(seed, OFFSET_TAG, 0) % band;
  return {
    R,
    C,
    rows: Uint32Array.from(rows),
    cols: Uint32Array.from({ length: L }, (_, i) => offset + i),
    kind: "runs"
  };
}
function allRows(R) {
  return Array.from({ length: R }, (_, i) => i);
}
function smallestHashes(n, count, seed, tag) {
  return Array.from(
    memoPick(`s${n},${count},${seed},${tag}`, () => Uint32Array.from(smallestHashesOnce(n, count, seed, tag)))
  );
}
function smallestHashesOnce(n, count, seed, tag) {
  if (count <= 0) return [];
  if (count >= n - 2) return Array.from({ length: Math.max(0, n - 2) }, (_, i) => i + 1);
  const heapH = new Float64Array(count);
  const heapI = new Uint32Array(count);
  let size = 0;
  const siftDown = (i) => {
    for (; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < size && heapH[l] > heapH[top]) top = l;
      if (r < size && heapH[r] > heapH[top]) top = r;
      if (top === i) return;
      [heapH[i], heapH[top]] = [heapH[top], heapH[i]];
      [heapI[i], heapI[top]] = [heapI[top], heapI[i]];
      i = top;
    }
  };
  for (let i = 1; i < n - 1; i++) {
    const h = hash32(seed, tag, i) + i / 2 ** 32;
    if (size < count) {
      let j = size++;
      heapH[j] = h;
      heapI[j] = i;
      while (j > 0) {
        const p = j - 1 >> 1;
        if (heapH[p] >= heapH[j]) break;
        [heapH[p], heapH[j]] = [heapH[j], heapH[p]];
        [heapI[p], heapI[j]] = [heapI[j], heapI[p]];
        j = p;
      }
    } else if (h < heapH[0]) {
      heapH[0] = h;
      heapI[0] = i;
      siftDown(0);
    }
  }
  return Array.from(heapI.subarray(0, size));
}
function planSample(shape, k, seed, layout) {
  const { R, C } = matrixView(shape);
  if (R * C <= layout.runsAbove) return gridPlan(shape, k, seed);
  return layout.kind === "secret-runs" ? secretRunsPlan(shape, k, seed) : runsPlan(shape, k, seed);
}
function sampleFlatIndices(plan2) {
  const out = new Float64Array(plan2.rows.length * plan2.cols.length);
  let n = 0;
  for (const r of plan2.rows) for (const c of plan2.cols) out[n++] = r * plan2.C + c;
  return out;
}
function quantizeSample(values) {
  let n = 0;
  let sum = 0;
  for (const v of values)
    if (Number.isFinite(v)) {
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
      q[i] = x > 127 ? 127 : Math.max(x, -127);
    }
  }
  return { center: Math.fround(center), scale: Math.fround(scale), q };
}
function encodeQ(q) {
  return Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString("base64");
}

// src/fingerprint/channels.ts
var CHANNELS_MAX_NUMEL = 2 ** 18;
var CHANNELS_MAX_UNITS = 4096;
var CHANNELS_MAX_SPATIAL = 49;
var QUANT = 31;
function channelAxes(shape) {
  if (shape.length === 2) return { layout: "matrix", out: 0, in: 1, spatial: [] };
  if (shape.length !== 4) return void 0;
  const [a, b, c, d] = shape;
  if (a === b && a <= 11) return { layout: "HWIO", out: 3, in: 2, spatial: [0, 1] };
  if (c === d && c <= 11) return { layout: "OIHW", out: 0, in: 1, spatial: [2, 3] };
  if (b === c && b <= 11) return { layout: "OHWI", out: 0, in: 3, spatial: [1, 2] };
  return void 0;
}
function strides(shape) {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}
var ChannelAccumulator = class _ChannelAccumulator {
  axes;
  S;
  st;
  shape;
  sums;
  constructor(shape, axes) {
    this.shape = shape;
    this.axes = axes;
    this.S = axes.spatial.reduce((p, a) => p * shape[a], 1);
    this.st = strides(shape);
    this.sums = [axes.out, axes.in].map((axis) => {
      const units = shape[axis];
      if (units < 2 || units > CHANNELS_MAX_UNITS) return void 0;
      return { s1: new Float64Array(units * this.S), s2: new Float64Array(units * this.S) };
    });
  }
  /** An accumulator when the tensor gets profiles (a small 2-D matrix or 4-D kernel). */
  static for(shape) {
    const numel2 = shape.reduce((p, x) => p * x, 1);
    if (numel2 > CHANNELS_MAX_NUMEL || numel2 < 16) return void 0;
    const axes = channelAxes(shape);
    if (!axes) return void 0;
    const acc = new _ChannelAccumulator(shape, axes);
    if (acc.S > CHANNELS_MAX_SPATIAL || acc.sums.every((s) => !s)) return void 0;
    return acc;
  }
  /** Values of flat elements [start, start + n), read through `get(i)` for i in [0, n). */
  take(read, start, n) {
    const { st, shape } = this;
    const [hAxis, wAxis] = this.axes.spatial;
    const W = wAxis === void 0 ? 1 : shape[wAxis];
    const unitAxes = [this.axes.out, this.axes.in];
    for (let i = 0; i < n; i++) {
      const v = read(i);
      if (v - v !== 0) continue;
      const e = start + i;
      const s = hAxis === void 0 ? 0 : Math.floor(e / st[hAxis]) % shape[hAxis] * W + Math.floor(e / st[wAxis]) % W;
      for (let k = 0; k < 2; k++) {
        const acc = this.sums[k];
        if (!acc) continue;
        const axis = unitAxes[k];
        const slot = Math.floor(e / st[axis]) % shape[axis] * this.S + s;
        acc.s1[slot] += v;
        acc.s2[slot] += v * v;
      }
    }
  }
  finish() {
    const width = this.S > 1 ? 1 + 2 * this.S : 2;
    const out = { layout: this.axes.layout, width };
    const unitAxes = [this.axes.out, this.axes.in];
    let any = false;
    for (let k = 0; k < 2; k++) {
      const acc = this.sums[k];
      if (!acc) continue;
      const units = this.shape[unitAxes[k]];
      const over = this.shape[unitAxes[1 - k]];
      const q = profileOf(acc.s1, acc.s2, units, this.S, over, width);
      if (!q) continue;
      out[k === 0 ? "out" : "in"] = encodeQ(q);
      any = true;
    }
    return any ? out : void 0;
  }
};
function profileOf(s1, s2, units, S, over, width) {
  const D = new Float64Array(units * width);
  const TINY = 1e-30;
  for (let u = 0; u < units; u++) {
    let ss = 0;
    let sm2 = 0;
    for (let s = 0; s < S; s++) {
      ss += s2[u * S + s];
      sm2 += s1[u * S + s];
    }
    const rms = Math.sqrt(ss / (over * S));
    const logRms = Math.log(rms + TINY);
    D[u * width] = logRms;
    if (S === 1) {
      D[u * width + 1] = rms > 0 ? sm2 / over / rms : 0;
      continue;
    }
    for (let s = 0; s < S; s++) {
      D[u * width + 1 + s] = rms > 0 ? s1[u * S + s] / over / rms : 0;
      D[u * width + 1 + S + s] = Math.log(Math.sqrt(s2[u * S + s] / over) + TINY) - logRms;
    }
  }
  let liveMin = Infinity;
  for (let u = 0; u < units; u++) if (D[u * width] > Math.log(TINY) + 1) liveMin = Math.min(liveMin, D[u * width]);
  if (!Number.isFinite(liveMin)) return void 0;
  for (let u = 0; u < units; u++) {
    if (D[u * width] < liveMin) D[u * width] = liveMin;
    for (let s = 0; s < S && S > 1; s++) D[u * width + 1 + S + s] = Math.max(-10, D[u * width + 1 + S + s]);
  }
  const q = new Int8Array(units * width);
  for (let d = 0; d < width; d++) {
    let m = 0;
    for (let u = 0; u < units; u++) m += D[u * width + d];
    m /= units;
    let v = 0;
    for (let u = 0; u < units; u++) v += (D[u * width + d] - m) ** 2;
    const sd = Math.sqrt(v / units);
    if (!(sd > 1e-9)) continue;
    for (let u = 0; u < units; u++) {
      const zv = (D[u * width + d] - m) / sd;
      q[u * width + d] = Math.max(-127, Math.min(127, Math.round(zv * QUANT)));
    }
  }
  return q;
}

// src/fingerprint/kernels.ts
var T16 = 0;
var T16_SIZE = 65536 * 4;
var T8 = T16_SIZE;
var ACC = 288 * 1024;
var GRAM_DOTS = 296 * 1024;
var GRAM_BATCH = 320 * 1024;
var GRAM_BATCH_BYTES = 128 * 1024;
var GRAM_MAX_WIDTH = 32;
var INPUT = 512 * 1024;
var INPUT_SIZE = 8 * 1024 * 1024 + 64;
var PAGES = Math.ceil((INPUT + INPUT_SIZE) / 65536);
var op2 = {
  get: (i) => [32, ...uleb(i)],
  set: (i) => [33, ...uleb(i)],
  tee: (i) => [34, ...uleb(i)],
  i32: (n) => [65, ...sleb(n)],
  i32load: (off) => [40, 2, ...uleb(off)],
  i32store: (off) => [54, 2, ...uleb(off)],
  add: [106],
  mul: [108],
  and: [113],
  br: (d) => [12, d],
  f64load: (off) => [43, 3, ...uleb(off)],
  shl: [116],
  shru: [118],
  ltu: [73],
  geu: [79],
  gtu: [75],
  block: [2, 64],
  loop: [3, 64],
  end: [11],
  brIf: (d) => [13, d],
  // SIMD (0xfd prefix)
  v128load: (off) => [253, 0, 4, ...uleb(off)],
  i32x4splat: [253, 17],
  f64x2splat: [253, 20],
  v128and: [253, 78],
  v128bitselect: [253, 82],
  i32x4eq: [253, 55],
  f64x2add: [253, 240, 1],
  f64x2sub: [253, 241, 1],
  f64x2mul: [253, 242, 1],
  f64x2abs: [253, 236, 1],
  f64x2promoteLow: [253, 95],
  i8x16shuffleHigh: [253, 13, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
  i32x4extract: (lane) => [253, 27, lane],
  i32x4add: [253, 174, 1],
  i32x4shru: [253, 173, 1],
  v128store: (off) => [253, 11, 4, ...uleb(off)],
  v128not: [253, 77],
  f32x4splat: [253, 19],
  // pseudo-min/max: b < a ? b : a (one instruction; no NaN reaches them)
  f32x4pmin: [253, 234, 1],
  f32x4pmax: [253, 235, 1],
  i64x2extendLowS: [253, 199, 1],
  i64x2extendHighS: [253, 200, 1],
  f32: (x) => [67, ...new Uint8Array(new Float32Array([x]).buffer)]
};
var incAt = (a, table) => [
  ...op2.tee(a),
  ...op2.get(a),
  ...op2.i32load(table),
  ...op2.i32(1),
  ...op2.add,
  ...op2.i32store(table)
];
var HIST_GROUP = 16;
function histBody(bits) {
  const size = bits / 8;
  const table = bits === 16 ? T16 : T8;
  const element = (j) => [
    ...op2.get(0),
    ...bits === 16 ? [47, 1, ...uleb(2 * j)] : [45, 0, ...uleb(j)],
    // i32.load16_u / load8_u
    ...op2.i32(2),
    ...op2.shl,
    ...incAt(3, table)
  ];
  const code = [
    ...op2.get(0),
    ...op2.get(1),
    ...op2.i32(Math.log2(HIST_GROUP * size)),
    ...op2.shl,
    ...op2.add,
    ...op2.set(2),
    ...op2.block,
    ...op2.get(0),
    ...op2.get(2),
    ...op2.geu,
    ...op2.brIf(0),
    ...op2.loop,
    ...Array.from({ length: HIST_GROUP }, (_, j) => j).flatMap(element),
    ...op2.get(0),
    ...op2.i32(HIST_GROUP * size),
    ...op2.add,
    ...op2.tee(0),
    ...op2.get(2),
    ...op2.ltu,
    ...op2.brIf(0),
    ...op2.end,
    ...op2.end
  ];
  return [1, 2, 127, ...code, ...op2.end];
}
function f32Body() {
  const V = { x: 6, m: 7, s1a: 8, s1b: 9, s2a: 10, s2b: 11, saa: 12, sab: 13, mn: 14, mx: 15, cnt: 16 };
  const accs = [V.s1a, V.s1b, V.s2a, V.s2b, V.saa, V.sab, V.mn, V.mx, V.cnt];
  const keys = [
    ...op2.get(V.x),
    ...op2.get(V.x),
    ...op2.i32(16),
    ...op2.i32x4shru,
    ...op2.i32(1),
    ...op2.i32x4splat,
    ...op2.v128and,
    ...op2.i32x4add,
    ...op2.i32(32767),
    ...op2.i32x4splat,
    ...op2.i32x4add,
    ...op2.i32(14),
    ...op2.i32x4shru,
    ...op2.i32(262140),
    ...op2.i32x4splat,
    ...op2.v128and,
    ...op2.set(23),
    ...[0, 1, 2, 3].flatMap((lane) => [...op2.get(23), ...op2.i32x4extract(lane), ...incAt(5, T16)])
  ];
  const half2 = (high, s1, s2, sa) => [
    ...op2.get(V.x),
    ...high ? [...op2.get(V.x), ...op2.i8x16shuffleHigh] : [],
    ...op2.f64x2promoteLow,
    ...op2.set(20),
    ...op2.get(V.m),
    ...high ? op2.i64x2extendHighS : op2.i64x2extendLowS,
    ...op2.set(22),
    // d = (x - shift) & mask
    ...op2.get(20),
    ...op2.get(17),
    ...op2.f64x2sub,
    ...op2.get(22),
    ...op2.v128and,
    ...op2.tee(21),
    ...op2.get(s1),
    ...op2.f64x2add,
    ...op2.set(s1),
    ...op2.get(21),
    ...op2.get(21),
    ...op2.f64x2mul,
    ...op2.get(s2),
    ...op2.f64x2add,
    ...op2.set(s2),
    // |x| & mask
    ...op2.get(20),
    ...op2.f64x2abs,
    ...op2.get(22),
    ...op2.v128and,
    ...op2.get(sa),
    ...op2.f64x2add,
    ...op2.set(sa)
  ];
  const code = [
    ...op2.get(2),
    ...op2.f64x2splat,
    ...op2.set(17),
    ...op2.f32(Infinity),
    ...op2.f32x4splat,
    ...op2.set(18),
    ...op2.f32(-Infinity),
    ...op2.f32x4splat,
    ...op2.set(19),
    ...accs.flatMap((v, i) => [...op2.i32(0), ...op2.v128load(ACC + 16 * i), ...op2.set(v)]),
    ...op2.get(0),
    ...op2.get(1),
    ...op2.i32(4),
    ...op2.shl,
    ...op2.add,
    ...op2.set(3),
    ...op2.block,
    ...op2.get(0),
    ...op2.get(3),
    ...op2.geu,
    ...op2.brIf(0),
    ...op2.loop,
    ...op2.get(0),
    ...op2.v128load(0),
    ...op2.tee(V.x),
    ...op2.i32(2139095040),
    ...op2.i32x4splat,
    ...op2.v128and,
    ...op2.i32(2139095040),
    ...op2.i32x4splat,
    ...op2.i32x4eq,
    ...op2.v128not,
    ...op2.tee(V.m),
    ...op2.get(V.cnt),
    ...op2.i32x4add,
    ...op2.set(V.cnt),
    ...keys,
    ...half2(false, V.s1a, V.s2a, V.saa),
    ...half2(true, V.s1b, V.s2b, V.sab),
    // min/max over finite lanes (others replaced by +inf / -inf)
    // pmin(a, b) = b < a ? b : a: the running value is a, so a tie keeps it (as the JS loop does)
    ...op2.get(V.mn),
    ...op2.get(V.x),
    ...op2.get(18),
    ...op2.get(V.m),
    ...op2.v128bitselect,
    ...op2.f32x4pmin,
    ...op2.set(V.mn),
    ...op2.get(V.mx),
    ...op2.get(V.x),
    ...op2.get(19),
    ...op2.get(V.m),
    ...op2.v128bitselect,
    ...op2.f32x4pmax,
    ...op2.set(V.mx),
    ...op2.get(0),
    ...op2.i32(16),
    ...op2.add,
    ...op2.tee(0),
    ...op2.get(3),
    ...op2.ltu,
    ...op2.brIf(0),
    ...op2.end,
    ...op2.end,
    ...accs.flatMap((v, i) => [...op2.i32(0), ...op2.get(v), ...op2.v128store(ACC + 16 * i)])
  ];
  return [2, 3, 127, 18, 123, ...code, ...op2.end];
}
function gramBody() {
  const L = { rowBytes: 3, i: 4, jb: 5, end: 6, q: 7, dptr: 8, iOff: 9, s: 10 };
  const accs = (w) => Array.from({ length: w }, (_, a) => 11 + a);
  const loadSplat64 = (off) => [253, 10, 3, ...uleb(off)];
  const block = (w) => [
    // dptr = i·rowBytes + jb
    ...op2.get(L.i),
    ...op2.get(L.rowBytes),
    ...op2.mul,
    ...op2.get(L.jb),
    ...op2.add,
    ...op2.set(L.dptr),
    ...accs(w).flatMap((a, q) => [...op2.get(L.dptr), ...op2.v128load(GRAM_DOTS + 16 * q), ...op2.set(a)]),
    ...op2.get(0),
    ...op2.set(L.q),
    ...op2.block,
    ...op2.loop,
    ...op2.get(L.q),
    ...op2.get(L.end),
    ...op2.geu,
    ...op2.brIf(1),
    ...op2.get(L.q),
    ...op2.get(L.iOff),
    ...op2.add,
    ...loadSplat64(0),
    ...op2.set(L.s),
    ...accs(w).flatMap((a, q) => [
      ...op2.get(a),
      ...op2.get(L.s),
      ...op2.get(L.q),
      ...op2.get(L.jb),
      ...op2.add,
      ...op2.v128load(16 * q),
      ...op2.f64x2mul,
      ...op2.f64x2add,
      ...op2.set(a)
    ]),
    ...op2.get(L.q),
    ...op2.get(L.rowBytes),
    ...op2.add,
    ...op2.set(L.q),
    ...op2.br(0),
    ...op2.end,
    ...op2.end,
    ...accs(w).flatMap((a, q) => [...op2.get(L.dptr), ...op2.get(a), ...op2.v128store(GRAM_DOTS + 16 * q)]),
    ...op2.get(L.jb),
    ...op2.i32(16 * w),
    ...op2.add,
    ...op2.set(L.jb)
  ];
  const blocks = (w) => [
    ...op2.block,
    ...op2.loop,
    ...op2.get(L.jb),
    ...op2.i32(16 * w),
    ...op2.add,
    ...op2.get(L.rowBytes),
    ...op2.gtu,
    ...op2.brIf(1),
    ...block(w),
    ...op2.br(0),
    ...op2.end,
    ...op2.end
  ];
  const code = [
    ...op2.get(2),
    ...op2.i32(3),
    ...op2.shl,
    ...op2.set(L.rowBytes),
    ...op2.get(0),
    ...op2.get(1),
    ...op2.get(L.rowBytes),
    ...op2.mul,
    ...op2.add,
    ...op2.set(L.end),
    ...op2.i32(0),
    ...op2.set(L.i),
    ...op2.block,
    ...op2.loop,
    ...op2.get(L.i),
    ...op2.get(2),
    ...op2.geu,
    ...op2.brIf(1),
    ...op2.get(L.i),
    ...op2.i32(3),
    ...op2.shl,
    ...op2.set(L.iOff),
    // jb = (i & ~1)·8
    ...op2.get(L.i),
    ...op2.i32(-2),
    ...op2.and,
    ...op2.i32(3),
    ...op2.shl,
    ...op2.set(L.jb),
    ...blocks(4),
    ...blocks(1),
    ...op2.get(L.i),
    ...op2.i32(1),
    ...op2.add,
    ...op2.set(L.i),
    ...op2.br(0),
    ...op2.end,
    ...op2.end
  ];
  return [2, 7, 127, 5, 123, ...code, ...op2.end];
}
function module2() {
  const sec = (id, body) => [id, ...uleb(body.length), ...body];
  const name = (s) => [s.length, ...Buffer.from(s)];
  const fn = (body) => [...uleb(body.length), ...body];
  const types = [3, 96, 2, 127, 127, 0, 96, 3, 127, 127, 124, 0, 96, 3, 127, 127, 127, 0];
  const exports = [
    ...[5, ...name("hist16"), 0, 0, ...name("hist8"), 0, 1, ...name("f32"), 0, 2],
    ...[...name("gram"), 0, 3, ...name("mem"), 2, 0]
  ];
  return new Uint8Array([
    ...[0, 97, 115, 109, 1, 0, 0, 0],
    ...sec(1, types),
    ...sec(3, [4, 0, 0, 1, 2]),
    ...sec(5, [1, 0, ...uleb(PAGES)]),
    ...sec(7, exports),
    ...sec(10, [4, ...fn(histBody(16)), ...fn(histBody(8)), ...fn(f32Body()), ...fn(gramBody())])
  ]);
}
var instance;
function kernels() {
  if (instance !== void 0) return instance;
  try {
    const api = globalThis.WebAssembly;
    if (!api) {
      instance = null;
      return instance;
    }
    const { exports } = new api.Instance(new api.Module(module2()));
    const buffer = exports.mem.buffer;
    instance = {
      hist16: exports.hist16,
      hist8: exports.hist8,
      f32: exports.f32,
      gram: exports.gram,
      gramDots: new Float64Array(buffer, GRAM_DOTS, GRAM_MAX_WIDTH * GRAM_MAX_WIDTH),
      gramBatch: new Float64Array(buffer, GRAM_BATCH, GRAM_BATCH_BYTES / 8),
      acc: {
        sums: new Float64Array(buffer, ACC, 12),
        minMax: new Float32Array(buffer, ACC + 96, 8),
        counts: new Int32Array(buffer, ACC + 128, 4)
      },
      buffer,
      memory: exports.mem,
      input: new Uint8Array(buffer, INPUT, INPUT_SIZE),
      t16: new Uint32Array(buffer, T16, 65536),
      t8: new Uint32Array(buffer, T8, 256),
      owner: void 0
    };
  } catch {
    instance = null;
  }
  return instance;
}
function claim(k, who) {
  if (k.owner === who) return;
  k.owner?.releaseKernel();
  k.owner = who;
}
function inputOffset(k, bytes) {
  if (bytes.buffer !== k.buffer) return -1;
  const at = bytes.byteOffset - INPUT;
  return at >= 0 && at + bytes.byteLength <= INPUT_SIZE ? bytes.byteOffset : -1;
}
function overInput(k, bytes, run2, slice = 1 << 20) {
  const at = inputOffset(k, bytes);
  if (at >= 0) {
    run2(at, bytes.byteLength);
    return;
  }
  for (let off = 0; off < bytes.byteLength; off += slice) {
    const n = Math.min(slice, bytes.byteLength - off);
    k.input.set(bytes.subarray(off, off + n));
    run2(INPUT, n);
  }
}

// src/fingerprint/gram.ts
var GRAM_UNITS = 32;
var GRAM_MIN_UNITS = 12;
var GRAM_MIN_LENGTH = 8;
var GRAM_TAG = 1699;
function gramIndices(length, seed, max = GRAM_UNITS) {
  if (length <= max) return Uint32Array.from({ length }, (_, i) => i);
  return memoPick(`g${length},${seed},${max}`, () => gramIndicesOnce(length, seed, max));
}
function gramIndicesOnce(length, seed, max) {
  const best = [];
  for (let i = 0; i < length; i++) {
    const h = hash32(seed, GRAM_TAG, i);
    if (best.length === max) {
      if (h >= best[max - 1].h) continue;
      best.pop();
    }
    let k = best.length;
    best.push({ h, i });
    while (k > 0 && best[k - 1].h > h) {
      best[k] = best[k - 1];
      k--;
    }
    best[k] = { h, i };
  }
  return Uint32Array.from(best.map((b) => b.i)).sort();
}
function encodeCosines(dots, n) {
  const q = new Int8Array(n * (n - 1) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const den = Math.sqrt(dots[i * n + i] * dots[j * n + j]);
      const c = den > 0 ? dots[i * n + j] / den : 0;
      q[k++] = Math.max(-127, Math.min(127, Math.round(c * 127)));
    }
  }
  return encodeQ(q);
}
var BATCH = GRAM_BATCH_BYTES / 8 / GRAM_MAX_WIDTH;
function rank1Updates(batch, n, m2, dots, useKernel = true) {
  const k = useKernel && n > 0 && m2 <= GRAM_MAX_WIDTH && n * m2 <= GRAM_BATCH_BYTES / 8 ? kernels() : null;
  if (k) {
    const size = m2 * m2;
    k.gramDots.set(dots.subarray(0, size));
    k.gramBatch.set(batch.subarray(0, n * m2));
    k.gram(k.gramBatch.byteOffset, n, m2);
    dots.set(k.gramDots.subarray(0, size));
    return;
  }
  for (let r = 0; r < n; r++) {
    const o = r * m2;
    for (let i = 0; i < m2; i++) {
      const bi = batch[o + i];
      const row = i * m2;
      for (let j = i & ~1; j < m2; j++) dots[row + j] += bi * batch[o + j];
    }
  }
}
function compact(dots, n, m2) {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      out[i * n + j] = dots[i * m2 + j];
      out[j * n + i] = dots[i * m2 + j];
    }
  }
  return out;
}
var GramAccumulator = class {
  constructor(R, C, seed, opts) {
    this.C = C;
    const rowsOk = R >= GRAM_MIN_UNITS && C >= GRAM_MIN_LENGTH;
    const colsOk = opts.cols && C >= GRAM_MIN_UNITS && R >= GRAM_MIN_LENGTH;
    this.rowIdx = rowsOk ? gramIndices(R, seed) : new Uint32Array(0);
    this.rowVals = rowsOk ? new Float32Array(this.rowIdx.length * C) : void 0;
    this.colIdx = colsOk ? gramIndices(C, seed) : new Uint32Array(0);
    this.m2 = this.colIdx.length + (this.colIdx.length & 1);
    this.colDots = colsOk ? new Float64Array(this.m2 * this.m2) : void 0;
    this.pending = new Float64Array(colsOk ? BATCH * this.m2 : 0);
  }
  C;
  rowIdx;
  rowVals;
  /** Next kept row (index into rowIdx) not yet complete. */
  rowK = 0;
  colIdx;
  /** Columns kept, padded to even (the kernel updates two sums per step). */
  m2;
  colDots;
  /** Gathered kept columns of pending rows, m2 per row; `slot` is the current row's. */
  pending;
  slot = 0;
  curRow = -1;
  /** Whether this matrix gets any Gram at all. */
  get active() {
    return this.rowVals !== void 0 || this.colDots !== void 0;
  }
  /** Flat elements [start, start + src.length), their values `table[src[i]]` (or `src[i]` without a table). */
  take(src, table, start) {
    const C = this.C;
    const n = src.length;
    const end = start + n;
    const rowVals = this.rowVals;
    if (rowVals) {
      const rows = this.rowIdx;
      while (this.rowK < rows.length && rows[this.rowK] * C < end) {
        const r0 = rows[this.rowK] * C;
        const lo = Math.max(r0, start);
        const hi = Math.min(r0 + C, end);
        const to = this.rowK * C - r0 + start;
        if (table) {
          for (let i = lo - start; i < hi - start; i++) {
            const v = table[src[i]];
            rowVals[to + i] = v - v === 0 ? v : 0;
          }
        } else {
          for (let i = lo - start; i < hi - start; i++) {
            const v = src[i];
            rowVals[to + i] = v - v === 0 ? v : 0;
          }
        }
        if (r0 + C > end) break;
        this.rowK++;
      }
    }
    if (this.colDots) {
      const cols = this.colIdx;
      const m = cols.length;
      const m2 = this.m2;
      const buf = this.pending;
      for (let r = Math.floor(start / C); r * C < end; r++) {
        const base = r * C - start;
        const whole = base >= 0 && base + C <= n;
        if (r !== this.curRow) {
          if (this.curRow >= 0 && ++this.slot === BATCH) this.flush(BATCH);
          this.curRow = r;
          if (!whole) buf.fill(0, this.slot * m2, this.slot * m2 + m);
        }
        const o = this.slot * m2;
        if (whole) {
          if (table) {
            for (let k = 0; k < m; k++) {
              const v = table[src[base + cols[k]]];
              buf[o + k] = v - v === 0 ? v : 0;
            }
          } else {
            for (let k = 0; k < m; k++) {
              const v = src[base + cols[k]];
              buf[o + k] = v - v === 0 ? v : 0;
            }
          }
        } else {
          for (let k = 0; k < m; k++) {
            const e = base + cols[k];
            if (e < 0 || e >= n) continue;
            const v = table ? table[src[e]] : src[e];
            buf[o + k] = v - v === 0 ? v : 0;
          }
        }
      }
    }
  }
  flush(rows) {
    rank1Updates(this.pending, rows, this.m2, this.colDots);
    this.slot = 0;
  }
  finish() {
    const out = {};
    if (this.rowVals) {
      const n = this.rowIdx.length;
      const n2 = n + (n & 1);
      const C = this.C;
      const dots = new Float64Array(n2 * n2);
      const batch = new Float64Array(BATCH * n2);
      for (let c0 = 0; c0 < C; c0 += BATCH) {
        const len = Math.min(BATCH, C - c0);
        const rowVals = this.rowVals;
        for (let i = 0; i < n; i++) {
          const from = i * C + c0;
          for (let c = 0; c < len; c++) batch[c * n2 + i] = rowVals[from + c];
        }
        rank1Updates(batch, len, n2, dots);
      }
      out.rows = encodeCosines(compact(dots, n, n2), n);
    }
    if (this.colDots) {
      if (this.curRow >= 0) this.flush(this.slot + 1);
      this.curRow = -1;
      out.cols = encodeCosines(compact(this.colDots, this.colIdx.length, this.m2), this.colIdx.length);
    }
    return out.rows || out.cols ? out : void 0;
  }
};

// src/fingerprint/accumulate.ts
var STRUCTURE_PREFIX = 65536;
var HEAD_VALUES = 256;
var HEAD_MIN_NUMEL = 4096;
function wantsFullCols(name, shape) {
  return shape.length >= 2 && shape[0] >= 16 && shape[0] <= 16384 && /(?:^|[._/])(?:patch_embed|patch_embedding|patch_embeddings|patch_embd)(?:[._/]|$)/.test(name);
}
var EMBEDDING_LIKE = new RegExp(
  "(?:^|[._/])(?:embed_tokens|wte|word_embeddings|tok_embeddings|embed_in|token_embedding|token_embd|" + String.raw`lm_head|embed_out)(?:[._/]|$)|^output\.weight$`
);
function wantsFullRows(name, shape) {
  return shape.length === 2 && shape[0] >= shape[1] && shape[1] >= 16 && shape[1] <= 16384 && EMBEDDING_LIKE.test(name);
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
var spare = { u32: [], f64: [] };
var SPARE_MAX = 4;
var borrowU32 = () => spare.u32.pop() ?? new Uint32Array(65536);
var borrowF64 = () => spare.f64.pop() ?? new Float64Array(65536);
function giveBack(a) {
  if (a?.length !== 65536) return;
  a.fill(0);
  if (a instanceof Uint32Array) {
    if (spare.u32.length < SPARE_MAX) spare.u32.push(a);
  } else if (spare.f64.length < SPARE_MAX) spare.f64.push(a);
}
var f32Scratch = new Float32Array(1);
var u32Scratch = new Uint32Array(f32Scratch.buffer);
function keyOf(v) {
  f32Scratch[0] = v;
  return bf16Key(u32Scratch[0]);
}
var WASM_MIN_ELEMENTS = 1 << 14;
var SLICE_BYTES = 256 * 1024;
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
    this.sha = digests && opts.hashInput !== false ? createHash("sha256") : void 0;
    const count = numel(shape);
    const viewed = this.path === "bytes" ? [0] : shape;
    this.plan = planSample(viewed, opts.k, opts.seed, opts.layout ?? RUNS_LAYOUT);
    const keepRows = opts.fullRows && this.path !== "bytes" && shape.length === 2;
    const keepCols = opts.fullCols && this.path !== "bytes" && shape.length >= 2;
    this.grid = this.plan.kind === "grid" || !(keepRows || keepCols) ? this.plan : gridPlan(viewed, opts.k, opts.seed);
    this.sampleIdx = sampleFlatIndices(this.plan);
    this.sampleVals = new Float32Array(this.sampleIdx.length);
    const flat = this.path === "bytes" ? void 0 : flatRun(name, shape, opts.k, opts.seed, opts.layout ?? RUNS_LAYOUT);
    if (flat) {
      this.flatStart = flat.start;
      this.flatVals = new Float32Array(flat.length);
    }
    if (keepRows) {
      this.rowStarts = Float64Array.from(this.grid.rows, (r) => r * this.grid.C);
      this.rowVals = new Float32Array(this.grid.rows.length * this.grid.C);
    }
    if (keepCols) {
      this.colVals = new Float32Array(this.grid.R * this.grid.cols.length);
    }
    if (this.path !== "bytes" && shape.length === 2) {
      const g = new GramAccumulator(shape[0], shape[1], opts.seed, { cols: true });
      if (g.active) this.gram = g;
    }
    if (this.path !== "bytes") this.channels = ChannelAccumulator.for(shape);
    this.prefix = new Float32Array(this.path === "bytes" ? 0 : Math.min(count, STRUCTURE_PREFIX));
    if (this.path === "raw16") {
      this.rawCounts = borrowU32();
      this.table = rawValueTable(dtype);
    } else if (this.path === "raw8") {
      this.rawCounts = new Uint32Array(256);
      this.table = rawValueTable(dtype);
    } else this.table = void 0;
    this.keyCounts = (this.path === "f32" || this.path === "wide") && digests ? borrowF64() : void 0;
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
  /** Rows of fullRows / columns of fullCols: always the grid's (see sample.ts). */
  grid;
  sampleIdx;
  sampleVals;
  samplePos = 0;
  element = 0;
  finished = false;
  carry;
  rawCounts;
  rawSpill;
  sinceSpill = 0;
  keyCounts;
  prefix;
  prefixLen = 0;
  /** The secret runs' flat run (sample.ts flatRun): where it starts and its values. */
  flatStart = 0;
  flatVals;
  /** Flat start of each sampled row, and the values of those rows (fullRows only). */
  rowStarts;
  rowVals;
  /** Every row at the sampled columns, row-major R × |cols| (fullCols only). */
  colVals;
  /** Rotation-invariant Gram matrices of kept rows and columns (matrices only; see gram.ts). */
  gram;
  /** Per-channel profiles of small matrices and kernels (see channels.ts). */
  channels;
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
  /** F32 path: per-lane sums (see momentsF32). */
  lanes = {
    s1: new Float64Array(4),
    s2: new Float64Array(4),
    sa: new Float64Array(4),
    n: new Float64Array(4),
    mn: new Float64Array(4).fill(Infinity),
    mx: new Float64Array(4).fill(-Infinity)
  };
  update(chunk) {
    if (chunk.length > SLICE_BYTES) {
      for (let o = 0; o < chunk.length; o += SLICE_BYTES) this.update(chunk.subarray(o, o + SLICE_BYTES));
      return;
    }
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
      const k = count >= WASM_MIN_ELEMENTS ? kernels() : null;
      if (k) this.countWasm(k, bytes, 16);
      else {
        const counts = this.rawCounts;
        for (let i = 0; i < count; i++) counts[raw[i]]++;
      }
      this.takeRaw(raw, start);
    } else if (this.path === "raw8") {
      const k = count >= WASM_MIN_ELEMENTS ? kernels() : null;
      if (k) this.countWasm(k, bytes, 8);
      else {
        const counts = this.rawCounts;
        for (let i = 0; i < count; i++) counts[bytes[i]]++;
      }
      this.takeRaw(bytes, start);
    } else if (this.path === "f32") {
      const f = new Float32Array(bytes.buffer, bytes.byteOffset, count);
      this.momentsF32(f, new Uint32Array(bytes.buffer, bytes.byteOffset, count), bytes, start);
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
  /** Counts in the kernel's table: whole groups of HIST_GROUP elements there, the rest here. */
  countWasm(k, bytes, bits) {
    claim(k, this);
    const group = HIST_GROUP * bits / 8;
    overInput(k, bytes, (ptr, length) => {
      const groups = Math.floor(length / group);
      if (bits === 16) k.hist16(ptr, groups);
      else k.hist8(ptr, groups);
      const counts = this.rawCounts;
      const at = ptr + groups * group;
      const end = ptr + length;
      if (bits === 16) {
        const view = new DataView(k.buffer);
        for (let p = at; p < end; p += 2) counts[view.getUint16(p, true)]++;
      } else {
        const view = new Uint8Array(k.buffer);
        for (let p = at; p < end; p++) counts[view[p]]++;
      }
    });
  }
  /** Folds the kernel's table into this tensor's counts (raw patterns, or F32 keys) and hands it back. */
  releaseKernel() {
    const k = kernels();
    if (!k || k.owner !== this) return;
    if (this.rawCounts) {
      const counts = this.rawCounts;
      const t = counts.length === 65536 ? k.t16 : k.t8;
      for (let b = 0; b < counts.length; b++) counts[b] += t[b];
      t.fill(0);
    } else {
      const keys = this.keyCounts;
      const t = k.t16;
      if (keys) for (let b = 0; b < 65536; b++) keys[b] += t[b];
      t.fill(0);
    }
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
  takeRows(get2, start, n) {
    const starts = this.rowStarts;
    if (!starts) return;
    const C = this.grid.C;
    const end = start + n;
    for (let k = 0; k < starts.length; k++) {
      const r0 = starts[k];
      const lo = Math.max(r0, start);
      const hi = Math.min(r0 + C, end);
      for (let e = lo; e < hi; e++) this.rowVals[k * C + (e - r0)] = get2(e - start);
    }
  }
  /** Copies the sampled columns of every row that falls in [start, start+n) (fullCols only). */
  takeCols(get2, start, n) {
    const out = this.colVals;
    if (!out) return;
    const { C, cols } = this.grid;
    const end = start + n;
    for (let r = Math.floor(start / C); r * C < end; r++) {
      for (let j = 0; j < cols.length; j++) {
        const e = r * C + cols[j];
        if (e >= start && e < end) out[r * cols.length + j] = get2(e - start);
      }
    }
  }
  takeRaw(raw, start) {
    const table = this.table;
    const end = start + raw.length;
    this.takeRows((i) => table[raw[i]], start, raw.length);
    this.takeCols((i) => table[raw[i]], start, raw.length);
    this.gram?.take(raw, table, start);
    this.channels?.take((i) => table[raw[i]], start, raw.length);
    while (this.samplePos < this.sampleIdx.length && this.sampleIdx[this.samplePos] < end) {
      this.sampleVals[this.samplePos] = table[raw[this.sampleIdx[this.samplePos] - start]];
      this.samplePos++;
    }
    for (let i = this.prefixLen; i < this.prefix.length && i < end; i++) this.prefix[i] = table[raw[i - start]];
    this.prefixLen = Math.min(this.prefix.length, Math.max(this.prefixLen, end));
    this.takeFlat((i) => table[raw[i]], start, end);
  }
  /** Values of elements [start, end) that fall in the flat run; `get` takes the chunk's index. */
  takeFlat(get2, start, end) {
    const vals = this.flatVals;
    if (!vals) return;
    const from = Math.max(start, this.flatStart);
    const to = Math.min(end, this.flatStart + vals.length);
    for (let e = from; e < to; e++) vals[e - this.flatStart] = get2(e - start);
  }
  takeValues(values, start) {
    const end = start + values.length;
    this.takeRows((i) => values[i], start, values.length);
    this.takeCols((i) => values[i], start, values.length);
    this.gram?.take(values, void 0, start);
    this.channels?.take((i) => values[i], start, values.length);
    while (this.samplePos < this.sampleIdx.length && this.sampleIdx[this.samplePos] < end) {
      this.sampleVals[this.samplePos] = values[this.sampleIdx[this.samplePos] - start];
      this.samplePos++;
    }
    for (let i = this.prefixLen; i < this.prefix.length && i < end; i++) this.prefix[i] = values[i - start];
    this.prefixLen = Math.min(this.prefix.length, Math.max(this.prefixLen, end));
    this.takeFlat((i) => values[i], start, end);
  }
  /**
   * F32 values: bfloat16 keys counted, moments of the finite values summed per lane (element
   * index mod 4) in f64. The WebAssembly kernel and this loop do the same operations in the same
   * order per lane, so the result depends neither on the chunking nor on which of them ran.
   */
  momentsF32(f, bits, bytes, start) {
    if (Number.isNaN(this.shift)) {
      for (let i = 0; i < f.length; i++) {
        const v = f[i];
        if (v - v === 0) {
          this.shift = v;
          break;
        }
      }
    }
    const k = f.length >= WASM_MIN_ELEMENTS ? kernels() : null;
    if (!k) {
      this.f32Lanes(f, bits, start, 0, f.length);
      return;
    }
    const head = Math.min(f.length, (4 - start % 4) % 4);
    this.f32Lanes(f, bits, start, 0, head);
    const quads = Math.floor((f.length - head) / 4);
    claim(k, this);
    const L = this.lanes;
    const shift = Number.isNaN(this.shift) ? 0 : this.shift;
    overInput(k, bytes.subarray(4 * head, 4 * (head + 4 * quads)), (ptr, length) => {
      const { sums, minMax, counts } = k.acc;
      sums.set(L.s1, 0);
      sums.set(L.s2, 4);
      sums.set(L.sa, 8);
      minMax.set(L.mn, 0);
      minMax.set(L.mx, 4);
      counts.fill(0);
      k.f32(ptr, length / 16, shift);
      for (let l = 0; l < 4; l++) {
        L.s1[l] = sums[l];
        L.s2[l] = sums[4 + l];
        L.sa[l] = sums[8 + l];
        L.mn[l] = minMax[l];
        L.mx[l] = minMax[4 + l];
        L.n[l] -= counts[l];
        this.nonFinite += length / 16 + counts[l];
      }
    });
    this.f32Lanes(f, bits, start, head + 4 * quads, f.length);
  }
  f32Lanes(f, bits, start, from, to) {
    const keys = this.keyCounts;
    const L = this.lanes;
    const shift = this.shift;
    for (let i = from; i < to; i++) {
      const v = f[i];
      if (keys) {
        const b = bits[i];
        keys[b + 32767 + (b >>> 16 & 1) >>> 16 & 65535]++;
      }
      if (v - v !== 0) {
        this.nonFinite++;
        continue;
      }
      const l = start + i & 3;
      const d = v - shift;
      L.s1[l] += d;
      L.s2[l] += d * d;
      L.sa[l] += Math.abs(v);
      L.n[l]++;
      if (v < L.mn[l]) L.mn[l] = v;
      if (v > L.mx[l]) L.mx[l] = v;
    }
  }
  /** Lane sums of the F32 path into the moments' totals, lanes in order. */
  reduceLanes() {
    const L = this.lanes;
    const sum = (a) => a[0] + a[1] + a[2] + a[3];
    this.s1 = sum(L.s1);
    this.s2 = sum(L.s2);
    this.sa = sum(L.sa);
    this.n = sum(L.n);
    let min = L.mn[0];
    let max = L.mx[0];
    for (let l = 1; l < 4; l++) {
      if (L.mn[l] < min) min = L.mn[l];
      if (L.mx[l] > max) max = L.mx[l];
    }
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
      if (Number.isNaN(this.shift)) this.shift = v;
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
      if (Number.isNaN(this.shift)) this.shift = v;
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
    if (this.finished) throw new Error(`${this.name}: finished twice`);
    this.finished = true;
    const keys = this.keyCounts ?? (digests ? borrowF64() : void 0);
    if (this.rawCounts) this.finishRaw(keys);
    else if (this.path === "f32") {
      this.releaseKernel();
      this.reduceLanes();
    }
    giveBack(this.rawCounts);
    this.rawCounts = void 0;
    fp.moments = this.moments(true);
    if (keys) {
      const { digest, distinct: distinct2 } = valueHistogramDigest(keys);
      fp.valueDigest = digest;
      fp.traits = { distinct: distinct2 };
      giveBack(keys);
    }
    const structured = structureScore(this.prefix, this.shape);
    if (structured !== void 0) fp.traits = { ...fp.traits, structured };
    fp.sample = this.sample();
    if (count > HEAD_MIN_NUMEL) fp.head = encodeSample(this.prefix.subarray(0, HEAD_VALUES), 1, HEAD_VALUES);
    if (this.flatVals) fp.flatRun = encodeSample(this.flatVals, 1, this.flatVals.length);
    if (this.rowVals) fp.fullRows = encodeSample(this.rowVals, this.grid.rows.length, this.grid.C);
    if (this.colVals) fp.fullCols = encodeSample(this.colVals, this.grid.R, this.grid.cols.length);
    const gram = this.gram?.finish();
    if (gram) fp.gram = gram;
    const channels = this.channels?.finish();
    if (channels) fp.channels = channels;
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
  let distinct2 = 0;
  for (let k = 0; k < 65536; k++) if (keys[k]) distinct2++;
  const rec = Buffer.alloc(10 * distinct2);
  let at = 0;
  for (let k = 0; k < 65536; k++) {
    const c = keys[k];
    if (!c) continue;
    rec.writeUInt16LE(k, at);
    rec.writeUInt32LE(c % 2 ** 32, at + 2);
    rec.writeUInt32LE(Math.floor(c / 2 ** 32), at + 6);
    at += 10;
  }
  return { digest: createHash("sha256").update(rec).digest("hex"), distinct: distinct2 };
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

// src/fingerprint/logical.ts
var BAND_BYTES = 4 * 1024 * 1024;
var WHOLE_READ_LIMIT = 64 * 1024 * 1024;
function encodingInfo(t) {
  const enc = t.encoding;
  if (!enc) return void 0;
  const info = { format: enc.format, scheme: enc.scheme, decoded: enc.values !== void 0 };
  if (typeof enc.params.reordered === "string") info.reordered = enc.params.reordered;
  return info;
}
function bytesOnly(t, sha256) {
  const fp = { name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.byteLength, bytesOnly: true };
  if (sha256) fp.sha256 = sha256;
  const info = encodingInfo(t);
  if (info) fp.encoding = info;
  return fp;
}
async function hashParts(t, chunkSize, onBytes, signal) {
  const sha = createHash2("sha256");
  for (const p of t.encoding.parts) {
    for await (const chunk of p.file.stream(p.offset, p.byteLength, chunkSize)) {
      signal?.throwIfAborted();
      sha.update(chunk);
      onBytes?.(chunk.byteLength);
    }
  }
  return sha.digest("hex");
}
var StoredHash = class {
  constructor(total) {
    this.total = total;
  }
  total;
  sha = createHash2("sha256");
  next = 0;
  broken = false;
  onStored = (offset, bytes) => {
    if (this.broken || offset !== this.next) {
      this.broken = true;
      return;
    }
    this.sha.update(bytes);
    this.next += bytes.length;
  };
  digest() {
    return !this.broken && this.next === this.total ? this.sha.digest("hex") : void 0;
  }
};
async function fingerprintLogicalFull(t, k, seed, chunkSize, onBytes, layout = RUNS_LAYOUT, opts = {}) {
  const enc = t.encoding;
  const { signal } = opts;
  if (!enc.values) return bytesOnly(t, await hashParts(t, chunkSize, onBytes, signal));
  const passthrough = enc.values !== "F32" || enc.scheme === "none";
  const stored = passthrough || enc.parts.length !== 1 ? void 0 : new StoredHash(enc.parts[0].byteLength);
  const kern = opts.arena ? kernels() : null;
  const decoder = openDecoder(t, {
    reuse: true,
    ...stored ? { onStored: stored.onStored } : {},
    ...kern ? { arena: { memory: kern.memory, region: kern.input } } : {}
  });
  const acc = new TensorAccumulator(t.name, decoder.values, t.shape, t.byteLength, {
    k,
    seed,
    layout,
    hashInput: passthrough,
    fullRows: wantsFullRows(t.name, t.shape),
    fullCols: wantsFullCols(t.name, t.shape)
  });
  for await (const band of streamDecoded(t, decoder, Math.min(BAND_BYTES, chunkSize))) {
    signal?.throwIfAborted();
    acc.update(band.values);
    onBytes(band.storedBytes);
  }
  const fp = acc.finish();
  if (!passthrough) fp.sha256 = stored?.digest() ?? await hashParts(t, chunkSize, void 0, signal);
  return finishLogical(t, fp, decoder);
}
function finishLogical(t, fp, decoder) {
  fp.dtype = t.dtype;
  fp.bytes = t.byteLength;
  fp.encoding = encodingInfo(t);
  const r = decoder?.rounding?.();
  const std = fp.moments?.std ?? 0;
  if (r && r.count > 0 && std > 0)
    fp.encoding.noise = Number((Math.sqrt(r.stepSquares / r.count / 12) / std).toPrecision(4));
  return fp;
}

// src/fingerprint/local-range.ts
import { readSync } from "node:fs";
var READ_BYTES = 1024 * 1024;
var scratch;
function readBuffer(chunkSize) {
  if (!scratch || scratch.length < chunkSize) {
    const k = kernels();
    scratch = k && chunkSize <= INPUT_SIZE ? k.input.subarray(0, chunkSize) : new Uint8Array(chunkSize);
  }
  return scratch;
}
async function fingerprintLocalRange(r, sampling, chunkSize, onBytes, pause) {
  const acc = new TensorAccumulator(r.name, r.dtype, r.shape, r.byteLength, {
    ...sampling,
    fullRows: wantsFullRows(r.name, r.shape),
    fullCols: wantsFullCols(r.name, r.shape)
  });
  const readSize = Math.min(chunkSize, READ_BYTES);
  let done = 0;
  let unreported = 0;
  while (done < r.byteLength) {
    const length = Math.min(readSize, r.byteLength - done);
    const buf = readBuffer(readSize).subarray(0, length);
    let got = 0;
    while (got < length) {
      const bytesRead = readSync(r.fd, buf, got, length - got, r.offset + done + got);
      if (bytesRead === 0) throw new Error(`${r.path}: file ended inside tensor ${r.name}`);
      got += bytesRead;
    }
    acc.update(buf);
    done += length;
    unreported += length;
    if (unreported >= chunkSize || done === r.byteLength) {
      onBytes(unreported);
      unreported = 0;
      if (pause) await pause();
    }
  }
  return acc.finish();
}

// src/fingerprint/worker.ts
var fds = /* @__PURE__ */ new Map();
var PROGRESS_BYTES = 64 * 1024 * 1024;
var sources = /* @__PURE__ */ new Map();
function layoutOfTask(task) {
  if (task.runsAbove === null) return GRID_LAYOUT;
  const layout = { kind: task.runs ?? "runs", runsAbove: task.runsAbove };
  if (!task.flatCounts) return layout;
  return { ...layout, flatCounts: task.flatCounts, ...task.flatNames ? { flatNames: task.flatNames } : {} };
}
async function runLogical(task, spec) {
  for (const p of spec.parts) if (!sources.has(p.path)) sources.set(p.path, await openFileSource(p.path));
  const encoding = reviveEncoding(spec, sources);
  const first = encoding.parts[0];
  const entry = {
    name: task.name,
    dtype: task.dtype,
    shape: task.shape,
    numel: task.shape.reduce((a, b) => a * b, 1),
    byteLength: task.byteLength,
    file: first.file,
    offset: first.offset,
    encoding
  };
  let unreported = 0;
  const fp = await fingerprintLogicalFull(
    entry,
    task.k,
    task.seed,
    task.chunkSize,
    (n) => {
      unreported += n;
      if (unreported < PROGRESS_BYTES) return;
      parentPort.postMessage({ type: "bytes", id: task.id, n: unreported });
      unreported = 0;
    },
    layoutOfTask(task),
    // one task at a time on this thread: decoders may use the kernels' input area
    { arena: true }
  );
  if (unreported) parentPort.postMessage({ type: "bytes", id: task.id, n: unreported });
  parentPort.postMessage({ type: "done", id: task.id, fp });
}
async function run(task) {
  if (task.encoding) return runLogical(task, task.encoding);
  let fd = fds.get(task.path);
  if (fd === void 0) {
    fd = openSync(task.path, "r");
    fds.set(task.path, fd);
  }
  let unreported = 0;
  const fp = await fingerprintLocalRange(
    { ...task, fd },
    { k: task.k, seed: task.seed, layout: layoutOfTask(task) },
    task.chunkSize,
    (n) => {
      unreported += n;
      if (unreported < PROGRESS_BYTES) return;
      parentPort.postMessage({ type: "bytes", id: task.id, n: unreported });
      unreported = 0;
    }
  );
  if (unreported) parentPort.postMessage({ type: "bytes", id: task.id, n: unreported });
  parentPort.postMessage({ type: "done", id: task.id, fp });
}
parentPort?.on("message", (msg) => {
  if ("type" in msg) {
    for (const fd of fds.values()) closeSync(fd);
    void Promise.all([...sources.values()].map((s) => s.close())).then(() => process.exit(0));
    return;
  }
  run(msg).catch((err) => {
    parentPort.postMessage({ type: "error", id: msg.id, message: err instanceof Error ? err.message : String(err) });
  });
});
