/**
 * ggml's reference quantisers (`quantize_row_*_ref` in ggml-quants.c), re-implemented in float32
 * arithmetic, to produce GGUF files of every compared type from real weights (tests, eval,
 * benchmarks). Only the decoders in src/formats/gguf are used on untrusted input; these only write.
 */
import { encodeFromFloat32 } from '../formats/dtypes.js';

const fr = Math.fround;
const QK_K = 256;
const GROUP_MAX_EPS = 1e-15;
const KVALUES_IQ4NL = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

/** ggml's nearest_int: round half to even through the float 1.5·2^23 trick. */
function nearestInt(v: number): number {
  const f = fr(fr(v) + 12582912);
  return f - 12582912;
}

/** Round to float16 and back (GGML_FP32_TO_FP16 then GGML_FP16_TO_FP32). */
function halfBits(v: number): number {
  const b = encodeFromFloat32('F16', Float32Array.of(v));
  return b[0]! | (b[1]! << 8);
}
function halfValue(bits: number): number {
  const e = (bits >> 10) & 31;
  const m = bits & 1023;
  const s = bits & 0x8000 ? -1 : 1;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}
function putHalf(out: Uint8Array, o: number, v: number): number {
  const h = halfBits(v);
  out[o] = h & 0xff;
  out[o + 1] = h >> 8;
  return halfValue(h);
}

const trunc8 = (v: number) => (Math.trunc(v) << 24) >> 24; // C's (int8_t) cast of a float in range

// ---------------------------------------------------------------------------------------------

function q4_0(x: Float32Array, out: Uint8Array, nb: number): void {
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * 32, i * 32 + 32);
    let amax = 0;
    let max = 0;
    for (const v of xb)
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    const d = fr(max / -8);
    const id = d ? fr(1 / d) : 0;
    const o = i * 18;
    putHalf(out, o, d);
    for (let j = 0; j < 16; j++) {
      const x0 = fr(xb[j]! * id);
      const x1 = fr(xb[j + 16]! * id);
      const q0 = Math.min(15, trunc8(fr(x0 + 8.5)));
      const q1 = Math.min(15, trunc8(fr(x1 + 8.5)));
      out[o + 2 + j] = (q0 & 0xf) | ((q1 & 0xf) << 4);
    }
  }
}

function q4_1(x: Float32Array, out: Uint8Array, nb: number): void {
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * 32, i * 32 + 32);
    let min = Infinity;
    let max = -Infinity;
    for (const v of xb) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const d = fr((max - min) / 15);
    const id = d ? fr(1 / d) : 0;
    const o = i * 20;
    putHalf(out, o, d);
    putHalf(out, o + 2, min);
    for (let j = 0; j < 16; j++) {
      const q0 = Math.min(15, trunc8(fr(fr(fr(xb[j]! - min) * id) + 0.5)));
      const q1 = Math.min(15, trunc8(fr(fr(fr(xb[j + 16]! - min) * id) + 0.5)));
      out[o + 4 + j] = q0 | (q1 << 4);
    }
  }
}

function q5_0(x: Float32Array, out: Uint8Array, nb: number): void {
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * 32, i * 32 + 32);
    let amax = 0;
    let max = 0;
    for (const v of xb)
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    const d = fr(max / -16);
    const id = d ? fr(1 / d) : 0;
    const o = i * 22;
    putHalf(out, o, d);
    let qh = 0;
    for (let j = 0; j < 16; j++) {
      const q0 = Math.min(31, trunc8(fr(fr(xb[j]! * id) + 16.5)));
      const q1 = Math.min(31, trunc8(fr(fr(xb[j + 16]! * id) + 16.5)));
      out[o + 6 + j] = (q0 & 0xf) | ((q1 & 0xf) << 4);
      qh |= ((q0 & 0x10) >> 4) << j;
      qh |= ((q1 & 0x10) >> 4) << (j + 16);
    }
    writeU32(out, o + 2, qh);
  }
}

function q5_1(x: Float32Array, out: Uint8Array, nb: number): void {
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * 32, i * 32 + 32);
    let min = Infinity;
    let max = -Infinity;
    for (const v of xb) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const d = fr((max - min) / 31);
    const id = d ? fr(1 / d) : 0;
    const o = i * 24;
    putHalf(out, o, d);
    putHalf(out, o + 2, min);
    let qh = 0;
    for (let j = 0; j < 16; j++) {
      const q0 = Math.trunc(fr(fr(fr(xb[j]! - min) * id) + 0.5)) & 0xff;
      const q1 = Math.trunc(fr(fr(fr(xb[j + 16]! - min) * id) + 0.5)) & 0xff;
      out[o + 8 + j] = (q0 & 0xf) | ((q1 & 0xf) << 4);
      qh |= ((q0 & 0x10) >> 4) << j;
      qh |= ((q1 & 0x10) >> 4) << (j + 16);
    }
    writeU32(out, o + 4, qh);
  }
}

function q8_0(x: Float32Array, out: Uint8Array, nb: number): void {
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * 32, i * 32 + 32);
    let amax = 0;
    for (const v of xb) amax = Math.max(amax, Math.abs(v));
    const d = fr(amax / 127);
    const id = d ? fr(1 / d) : 0;
    const o = i * 34;
    putHalf(out, o, d);
    for (let j = 0; j < 32; j++) out[o + 2 + j] = roundAway(fr(xb[j]! * id)) & 0xff;
  }
}

/** C's roundf: halves away from zero. */
function roundAway(v: number): number {
  return Math.sign(v) * Math.round(Math.abs(v));
}

function writeU32(out: Uint8Array, o: number, v: number): void {
  out[o] = v & 0xff;
  out[o + 1] = (v >>> 8) & 0xff;
  out[o + 2] = (v >>> 16) & 0xff;
  out[o + 3] = (v >>> 24) & 0xff;
}

// ---------------------------------------------------------------------------------------------
// k-quant helpers (make_qkx2_quants, make_q3_quants, make_qx_quants)

function makeQkx2(
  n: number,
  nmax: number,
  x: Float32Array,
  weights: Float32Array,
  L: Uint8Array,
  laux: Uint8Array,
  rmin: number,
  rdelta: number,
  nstep: number,
  useMad: boolean,
): { scale: number; min: number } {
  let min = x[0]!;
  let max = x[0]!;
  let sumW = weights[0]!;
  let sumX = fr(sumW * x[0]!);
  for (let i = 1; i < n; i++) {
    if (x[i]! < min) min = x[i]!;
    if (x[i]! > max) max = x[i]!;
    sumW = fr(sumW + weights[i]!);
    sumX = fr(sumX + fr(weights[i]! * x[i]!));
  }
  if (min > 0) min = 0;
  if (max === min) {
    L.fill(0, 0, n);
    return { scale: 0, min: -min };
  }
  let iscale = fr(nmax / fr(max - min));
  let scale = fr(1 / iscale);
  let bestError = 0;
  for (let i = 0; i < n; i++) {
    const l = nearestInt(fr(iscale * fr(x[i]! - min)));
    L[i] = Math.max(0, Math.min(nmax, l));
    let diff = fr(fr(fr(scale * L[i]!) + min) - x[i]!);
    diff = useMad ? Math.abs(diff) : fr(diff * diff);
    bestError = fr(bestError + fr(weights[i]! * diff));
  }
  for (let is = 0; is <= nstep; is++) {
    iscale = fr(fr(fr(rmin + fr(rdelta * is)) + nmax) / fr(max - min));
    let sumL = 0;
    let sumL2 = 0;
    let sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = Math.max(0, Math.min(nmax, nearestInt(fr(iscale * fr(x[i]! - min)))));
      laux[i] = l;
      const w = weights[i]!;
      sumL = fr(sumL + fr(w * l));
      sumL2 = fr(sumL2 + fr(fr(w * l) * l));
      sumXL = fr(sumXL + fr(fr(w * l) * x[i]!));
    }
    const D = fr(fr(sumW * sumL2) - fr(sumL * sumL));
    if (D > 0) {
      let thisScale = fr(fr(fr(sumW * sumXL) - fr(sumX * sumL)) / D);
      let thisMin = fr(fr(fr(sumL2 * sumX) - fr(sumL * sumXL)) / D);
      if (thisMin > 0) {
        thisMin = 0;
        thisScale = fr(sumXL / sumL2);
      }
      let cur = 0;
      for (let i = 0; i < n; i++) {
        let diff = fr(fr(fr(thisScale * laux[i]!) + thisMin) - x[i]!);
        diff = useMad ? Math.abs(diff) : fr(diff * diff);
        cur = fr(cur + fr(weights[i]! * diff));
      }
      if (cur < bestError) {
        L.set(laux.subarray(0, n));
        bestError = cur;
        scale = thisScale;
        min = thisMin;
      }
    }
  }
  return { scale, min: -min };
}

function makeQ3(n: number, nmax: number, x: Float32Array, L: Int8Array): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; i++)
    if (Math.abs(x[i]!) > amax) {
      amax = Math.abs(x[i]!);
      max = x[i]!;
    }
  if (amax < GROUP_MAX_EPS) {
    L.fill(0, 0, n);
    return 0;
  }
  const iscale = fr(-nmax / max);
  let sumlx = 0;
  let suml2 = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(fr(iscale * x[i]!))));
    L[i] = l;
    const w = fr(x[i]! * x[i]!);
    sumlx = fr(sumlx + fr(fr(w * x[i]!) * l));
    suml2 = fr(suml2 + fr(fr(w * l) * l));
  }
  for (let itry = 0; itry < 5; itry++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const w = fr(x[i]! * x[i]!);
      let slx = fr(sumlx - fr(fr(w * x[i]!) * L[i]!));
      if (slx > 0) {
        let sl2 = fr(suml2 - fr(fr(w * L[i]!) * L[i]!));
        const nl = Math.max(-nmax, Math.min(nmax - 1, nearestInt(fr(fr(x[i]! * sl2) / slx))));
        if (nl !== L[i]) {
          slx = fr(slx + fr(fr(w * x[i]!) * nl));
          sl2 = fr(sl2 + fr(fr(w * nl) * nl));
          if (sl2 > 0 && fr(fr(slx * slx) * suml2) > fr(fr(sumlx * sumlx) * sl2)) {
            L[i] = nl;
            sumlx = slx;
            suml2 = sl2;
            changed++;
          }
        }
      }
    }
    if (!changed) break;
  }
  for (let i = 0; i < n; i++) L[i]! += nmax;
  return suml2 > 0 ? fr(sumlx / suml2) : 0;
}

/** make_qx_quants with rmse_type 1 and no weights (the q6_K reference). */
function makeQx(n: number, nmax: number, x: Float32Array, L: Int8Array): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; i++)
    if (Math.abs(x[i]!) > amax) {
      amax = Math.abs(x[i]!);
      max = x[i]!;
    }
  if (amax < GROUP_MAX_EPS) {
    L.fill(0, 0, n);
    return 0;
  }
  const pass = (iscale: number) => {
    let sumlx = 0;
    let suml2 = 0;
    for (let i = 0; i < n; i++) {
      const l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(fr(iscale * x[i]!))));
      const w = fr(x[i]! * x[i]!);
      sumlx = fr(sumlx + fr(fr(w * x[i]!) * l));
      suml2 = fr(suml2 + fr(fr(w * l) * l));
    }
    return { sumlx, suml2 };
  };
  const fill = (iscale: number) => {
    for (let i = 0; i < n; i++) L[i] = nmax + Math.max(-nmax, Math.min(nmax - 1, nearestInt(fr(iscale * x[i]!))));
  };
  let iscale = fr(-nmax / max);
  let { sumlx, suml2 } = pass(iscale);
  fill(iscale);
  let scale = suml2 ? fr(sumlx / suml2) : 0;
  let best = fr(scale * sumlx);
  for (let is = -9; is <= 9; is++) {
    if (is === 0) continue;
    iscale = fr(-fr(nmax + fr(0.1 * is)) / max);
    ({ sumlx, suml2 } = pass(iscale));
    if (suml2 > 0 && fr(sumlx * sumlx) > fr(best * suml2)) {
      fill(iscale);
      scale = fr(sumlx / suml2);
      best = fr(scale * sumlx);
    }
  }
  return scale;
}

function scaleMinK4(q: Uint8Array, o: number, j: number): [number, number] {
  if (j < 4) return [q[o + j]! & 63, q[o + j + 4]! & 63];
  return [(q[o + j + 4]! & 0xf) | ((q[o + j - 4]! >> 6) << 4), (q[o + j + 4]! >> 4) | ((q[o + j]! >> 6) << 4)];
}

function q2_K(x: Float32Array, out: Uint8Array, nb: number): void {
  const L = new Uint8Array(QK_K);
  const laux = new Uint8Array(16);
  const weights = new Float32Array(16);
  const mins = new Float32Array(16);
  const scales = new Float32Array(16);
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * QK_K, (i + 1) * QK_K);
    const o = i * 84;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 16; j++) {
      const xs = xb.subarray(16 * j, 16 * j + 16);
      for (let l = 0; l < 16; l++) weights[l] = Math.abs(xs[l]!);
      const r = makeQkx2(16, 3, xs, weights, L.subarray(16 * j), laux, -0.5, 0.1, 15, true);
      scales[j] = r.scale;
      mins[j] = r.min;
      if (r.scale > maxScale) maxScale = r.scale;
      if (r.min > maxMin) maxMin = r.min;
    }
    if (maxScale > 0) {
      const iscale = fr(15 / maxScale);
      for (let j = 0; j < 16; j++) out[o + j] = nearestInt(fr(iscale * scales[j]!)) & 0xff;
      putHalf(out, o + 80, fr(maxScale / 15));
    } else {
      for (let j = 0; j < 16; j++) out[o + j] = 0;
      putHalf(out, o + 80, 0);
    }
    if (maxMin > 0) {
      const iscale = fr(15 / maxMin);
      for (let j = 0; j < 16; j++) out[o + j]! |= (nearestInt(fr(iscale * mins[j]!)) << 4) & 0xff;
      putHalf(out, o + 82, fr(maxMin / 15));
    } else putHalf(out, o + 82, 0);
    const dAll = halfValue(out[o + 80]! | (out[o + 81]! << 8));
    const dminAll = halfValue(out[o + 82]! | (out[o + 83]! << 8));
    for (let j = 0; j < 16; j++) {
      const d = fr(dAll * (out[o + j]! & 0xf));
      if (!d) continue;
      const dm = fr(dminAll * (out[o + j]! >> 4));
      for (let ii = 0; ii < 16; ii++) {
        L[16 * j + ii] = Math.max(0, Math.min(3, nearestInt(fr(fr(xb[16 * j + ii]! + dm) / d))));
      }
    }
    for (let j = 0; j < QK_K; j += 128) {
      for (let l = 0; l < 32; l++) {
        out[o + 16 + j / 4 + l] = L[j + l]! | (L[j + l + 32]! << 2) | (L[j + l + 64]! << 4) | (L[j + l + 96]! << 6);
      }
    }
  }
}

function q3_K(x: Float32Array, out: Uint8Array, nb: number): void {
  const L = new Int8Array(QK_K);
  const scales = new Float32Array(16);
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * QK_K, (i + 1) * QK_K);
    const o = i * 110;
    let maxScale = 0;
    let amax = 0;
    for (let j = 0; j < 16; j++) {
      scales[j] = makeQ3(16, 4, xb.subarray(16 * j, 16 * j + 16), L.subarray(16 * j));
      if (Math.abs(scales[j]!) > amax) {
        amax = Math.abs(scales[j]!);
        maxScale = scales[j]!;
      }
    }
    out.fill(0, o + 96, o + 108);
    if (maxScale) {
      const iscale = fr(-32 / maxScale);
      for (let j = 0; j < 16; j++) {
        let l = Math.max(-32, Math.min(31, (nearestInt(fr(iscale * scales[j]!)) << 24) >> 24)) + 32;
        if (j < 8) out[o + 96 + j] = l & 0xf;
        else out[o + 96 + j - 8]! |= (l & 0xf) << 4;
        l >>= 4;
        out[o + 96 + (j % 4) + 8]! |= l << (2 * Math.floor(j / 4));
      }
      putHalf(out, o + 108, fr(1 / iscale));
    } else putHalf(out, o + 108, 0);
    const dAll = halfValue(out[o + 108]! | (out[o + 109]! << 8));
    for (let j = 0; j < 16; j++) {
      let sc = j < 8 ? out[o + 96 + j]! & 0xf : out[o + 96 + j - 8]! >> 4;
      sc = (sc | (((out[o + 96 + 8 + (j % 4)]! >> (2 * Math.floor(j / 4))) & 3) << 4)) - 32;
      const d = fr(dAll * sc);
      if (!d) continue;
      for (let ii = 0; ii < 16; ii++) {
        L[16 * j + ii] = Math.max(-4, Math.min(3, nearestInt(fr(xb[16 * j + ii]! / d)))) + 4;
      }
    }
    out.fill(0, o, o + 32);
    let m = 0;
    let hm = 1;
    for (let j = 0; j < QK_K; j++) {
      if (L[j]! > 3) {
        out[o + m]! |= hm;
        L[j]! -= 4;
      }
      if (++m === 32) {
        m = 0;
        hm <<= 1;
      }
    }
    for (let j = 0; j < QK_K; j += 128) {
      for (let l = 0; l < 32; l++) {
        out[o + 32 + j / 4 + l] = L[j + l]! | (L[j + l + 32]! << 2) | (L[j + l + 64]! << 4) | (L[j + l + 96]! << 6);
      }
    }
  }
}

/** q4_K and q5_K share everything but the code width and the high-bit plane. */
function q45_K(x: Float32Array, out: Uint8Array, nb: number, bits: 4 | 5): void {
  const nmax = bits === 4 ? 15 : 31;
  const size = bits === 4 ? 144 : 176;
  const L = new Uint8Array(QK_K);
  const laux = new Uint8Array(32);
  const weights = new Float32Array(32);
  const mins = new Float32Array(8);
  const scales = new Float32Array(8);
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * QK_K, (i + 1) * QK_K);
    const o = i * size;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 8; j++) {
      const xs = xb.subarray(32 * j, 32 * j + 32);
      let sumX2 = 0;
      for (let l = 0; l < 32; l++) sumX2 = fr(sumX2 + fr(xs[l]! * xs[l]!));
      const avX = fr(Math.sqrt(fr(sumX2 / 32)));
      for (let l = 0; l < 32; l++) weights[l] = fr(avX + Math.abs(xs[l]!));
      const r = makeQkx2(
        32,
        nmax,
        xs,
        weights,
        L.subarray(32 * j),
        laux,
        bits === 4 ? -1 : -0.5,
        0.1,
        bits === 4 ? 20 : 15,
        false,
      );
      scales[j] = r.scale;
      mins[j] = r.min;
      if (r.scale > maxScale) maxScale = r.scale;
      if (r.min > maxMin) maxMin = r.min;
    }
    const invScale = maxScale > 0 ? fr(63 / maxScale) : 0;
    const invMin = maxMin > 0 ? fr(63 / maxMin) : 0;
    const sc = o + 4;
    out.fill(0, sc, sc + 12);
    for (let j = 0; j < 8; j++) {
      const ls = Math.min(63, nearestInt(fr(invScale * scales[j]!)) & 0xff);
      const lm = Math.min(63, nearestInt(fr(invMin * mins[j]!)) & 0xff);
      if (j < 4) {
        out[sc + j] = ls;
        out[sc + j + 4] = lm;
      } else {
        out[sc + j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
        out[sc + j - 4]! |= (ls >> 4) << 6;
        out[sc + j]! |= (lm >> 4) << 6;
      }
    }
    const d = putHalf(out, o, fr(maxScale / 63));
    const dmin = putHalf(out, o + 2, fr(maxMin / 63));
    for (let j = 0; j < 8; j++) {
      const [s, m] = scaleMinK4(out, sc, j);
      const dd = fr(d * s);
      if (!dd) continue;
      const dm = fr(dmin * m);
      for (let ii = 0; ii < 32; ii++) {
        L[32 * j + ii] = Math.max(0, Math.min(nmax, nearestInt(fr(fr(xb[32 * j + ii]! + dm) / dd))));
      }
    }
    if (bits === 4) {
      for (let j = 0, q = o + 16; j < QK_K; j += 64, q += 32) {
        for (let l = 0; l < 32; l++) out[q + l] = L[j + l]! | (L[j + l + 32]! << 4);
      }
    } else {
      const qh = o + 16;
      out.fill(0, qh, qh + 32);
      let m1 = 1;
      let m2 = 2;
      for (let n = 0, ql = o + 48; n < QK_K; n += 64, ql += 32, m1 <<= 2, m2 <<= 2) {
        for (let j = 0; j < 32; j++) {
          let l1 = L[n + j]!;
          if (l1 > 15) {
            l1 -= 16;
            out[qh + j]! |= m1;
          }
          let l2 = L[n + j + 32]!;
          if (l2 > 15) {
            l2 -= 16;
            out[qh + j]! |= m2;
          }
          out[ql + j] = l1 | (l2 << 4);
        }
      }
    }
  }
}

function q6_K(x: Float32Array, out: Uint8Array, nb: number): void {
  const L = new Int8Array(QK_K);
  const scales = new Float32Array(16);
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * QK_K, (i + 1) * QK_K);
    const o = i * 210;
    let maxScale = 0;
    let maxAbs = 0;
    for (let ib = 0; ib < 16; ib++) {
      const s = makeQx(16, 32, xb.subarray(16 * ib, 16 * ib + 16), L.subarray(16 * ib));
      scales[ib] = s;
      if (Math.abs(s) > maxAbs) {
        maxAbs = Math.abs(s);
        maxScale = s;
      }
    }
    if (maxAbs < GROUP_MAX_EPS) {
      out.fill(0, o, o + 210);
      continue;
    }
    const iscale = fr(-128 / maxScale);
    const d = putHalf(out, o + 208, fr(1 / iscale));
    for (let ib = 0; ib < 16; ib++) out[o + 192 + ib] = Math.min(127, nearestInt(fr(iscale * scales[ib]!))) & 0xff;
    for (let j = 0; j < 16; j++) {
      const dd = fr(d * ((out[o + 192 + j]! << 24) >> 24));
      if (!dd) continue;
      for (let ii = 0; ii < 16; ii++) {
        L[16 * j + ii] = Math.max(-32, Math.min(31, nearestInt(fr(xb[16 * j + ii]! / dd)))) + 32;
      }
    }
    for (let j = 0, ql = o, qh = o + 128; j < QK_K; j += 128, ql += 64, qh += 32) {
      for (let l = 0; l < 32; l++) {
        const q1 = L[j + l]! & 0xf;
        const q2 = L[j + l + 32]! & 0xf;
        const q3 = L[j + l + 64]! & 0xf;
        const q4 = L[j + l + 96]! & 0xf;
        out[ql + l] = q1 | (q3 << 4);
        out[ql + l + 32] = q2 | (q4 << 4);
        out[qh + l] =
          (L[j + l]! >> 4) | ((L[j + l + 32]! >> 4) << 2) | ((L[j + l + 64]! >> 4) << 4) | ((L[j + l + 96]! >> 4) << 6);
      }
    }
  }
}

function q8_K(x: Float32Array, out: Uint8Array, nb: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < nb; i++) {
    const xb = x.subarray(i * QK_K, (i + 1) * QK_K);
    const o = i * 292;
    let max = 0;
    let amax = 0;
    for (const v of xb)
      if (Math.abs(v) > amax) {
        amax = Math.abs(v);
        max = v;
      }
    if (!amax) {
      out.fill(0, o, o + 292);
      continue;
    }
    const iscale = fr(-127 / max);
    for (let j = 0; j < QK_K; j++) out[o + 4 + j] = Math.min(127, nearestInt(fr(iscale * xb[j]!))) & 0xff;
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let ii = 0; ii < 16; ii++) sum += (out[o + 4 + 16 * j + ii]! << 24) >> 24;
      view.setInt16(o + 260 + 2 * j, sum, true);
    }
    view.setFloat32(o, fr(1 / iscale), true);
  }
}

function bestIndex(x: number): number {
  const val = KVALUES_IQ4NL;
  if (x <= val[0]!) return 0;
  if (x >= val[15]!) return 15;
  let ml = 0;
  let mu = 15;
  while (mu - ml > 1) {
    const mav = (ml + mu) >> 1;
    if (x < val[mav]!) mu = mav;
    else ml = mav;
  }
  return x - val[mu - 1]! < val[mu]! - x ? mu - 1 : mu;
}

/** quantize_row_iq4_nl_impl without importance weights: one 32-block (IQ4_NL) or a 256 super-block (IQ4_XS). */
function iq4Block(xb: Float32Array, out: Uint8Array, o: number, superBlock: number, ntry: number): void {
  const val = KVALUES_IQ4NL;
  const nblocks = superBlock / 32;
  const L = new Uint8Array(superBlock);
  const scales = new Float32Array(nblocks);
  const qs = superBlock === 32 ? o + 2 : o + 8;
  out.fill(0, qs, qs + superBlock / 2);
  putHalf(out, o, 0);
  let maxScale = 0;
  let amaxScale = 0;
  for (let ib = 0; ib < nblocks; ib++) {
    const x = xb.subarray(ib * 32, ib * 32 + 32);
    const w = Float32Array.from(x, (v) => fr(v * v));
    let amax = 0;
    let max = 0;
    for (const v of x)
      if (Math.abs(v) > amax) {
        amax = Math.abs(v);
        max = v;
      }
    if (amax < GROUP_MAX_EPS) {
      scales[ib] = 0;
      continue;
    }
    let d = ntry > 0 ? fr(-max / val[0]!) : fr(max / val[0]!);
    let id = fr(1 / d);
    let sumqx = 0;
    let sumq2 = 0;
    for (let j = 0; j < 32; j++) {
      const l = bestIndex(fr(id * x[j]!));
      L[ib * 32 + j] = l;
      const q = val[l]!;
      sumqx = fr(sumqx + fr(fr(w[j]! * q) * x[j]!));
      sumq2 = fr(sumq2 + fr(fr(w[j]! * q) * q));
    }
    d = sumq2 > 0 ? fr(sumqx / sumq2) : 0;
    let best = fr(d * sumqx);
    for (let itry = -ntry; itry <= ntry; itry++) {
      id = fr((itry + val[0]!) / max);
      sumqx = 0;
      sumq2 = 0;
      for (let j = 0; j < 32; j++) {
        const q = val[bestIndex(fr(id * x[j]!))]!;
        sumqx = fr(sumqx + fr(fr(w[j]! * q) * x[j]!));
        sumq2 = fr(sumq2 + fr(fr(w[j]! * q) * q));
      }
      if (sumq2 > 0 && fr(sumqx * sumqx) > fr(best * sumq2)) {
        d = fr(sumqx / sumq2);
        best = fr(d * sumqx);
      }
    }
    scales[ib] = d;
    if (Math.abs(d) > amaxScale) {
      amaxScale = Math.abs(d);
      maxScale = d;
    }
  }
  if (nblocks > 1) {
    let scalesH = 0;
    const d = fr(-maxScale / 32);
    const dh = putHalf(out, o, d);
    void dh;
    const id = d ? fr(1 / d) : 0;
    for (let ib = 0; ib < nblocks; ib++) {
      let l = Math.max(-32, Math.min(31, nearestInt(fr(id * scales[ib]!))));
      const dl = fr(d * l);
      const idl = dl ? fr(1 / dl) : 0;
      for (let j = 0; j < 32; j++) L[ib * 32 + j] = bestIndex(fr(idl * xb[ib * 32 + j]!));
      l += 32;
      if (ib % 2 === 0) out[o + 4 + (ib >> 1)] = l & 0xf;
      else out[o + 4 + (ib >> 1)]! |= (l & 0xf) << 4;
      scalesH |= (l >> 4) << (2 * (ib % 8));
    }
    out[o + 2] = scalesH & 0xff;
    out[o + 3] = (scalesH >> 8) & 0xff;
  } else {
    putHalf(out, o, scales[0]!);
    if (ntry > 0) {
      const id = scales[0] ? fr(1 / scales[0]!) : 0;
      for (let j = 0; j < 32; j++) L[j] = bestIndex(fr(id * xb[j]!));
    }
  }
  for (let i = 0; i < superBlock / 32; i++) {
    for (let j = 0; j < 16; j++) out[qs + 16 * i + j] = L[32 * i + j]! | (L[32 * i + 16 + j]! << 4);
  }
}

// ---------------------------------------------------------------------------------------------

const QUANTISERS: Record<
  string,
  { elems: number; bytes: number; run: (x: Float32Array, out: Uint8Array, nb: number) => void }
> = {
  Q4_0: { elems: 32, bytes: 18, run: q4_0 },
  Q4_1: { elems: 32, bytes: 20, run: q4_1 },
  Q5_0: { elems: 32, bytes: 22, run: q5_0 },
  Q5_1: { elems: 32, bytes: 24, run: q5_1 },
  Q8_0: { elems: 32, bytes: 34, run: q8_0 },
  Q2_K: { elems: QK_K, bytes: 84, run: q2_K },
  Q3_K: { elems: QK_K, bytes: 110, run: q3_K },
  Q4_K: { elems: QK_K, bytes: 144, run: (x, o, n) => q45_K(x, o, n, 4) },
  Q5_K: { elems: QK_K, bytes: 176, run: (x, o, n) => q45_K(x, o, n, 5) },
  Q6_K: { elems: QK_K, bytes: 210, run: q6_K },
  Q8_K: { elems: QK_K, bytes: 292, run: q8_K },
  // quantize_row_iq4_nl_ref uses ntry -1; quantize_row_iq4_xs_ref goes through quantize_iq4_xs (ntry 7)
  IQ4_NL: { elems: 32, bytes: 18, run: (x, o, n) => blocks(x, o, n, 32, 18, -1) },
  IQ4_XS: { elems: QK_K, bytes: 136, run: (x, o, n) => blocks(x, o, n, QK_K, 136, 7) },
};

function blocks(x: Float32Array, out: Uint8Array, n: number, elems: number, bytes: number, ntry: number): void {
  for (let i = 0; i < n; i++) iq4Block(x.subarray(i * elems, (i + 1) * elems), out, i * bytes, elems, ntry);
}

export const QUANTISABLE_GGML_TYPES = Object.keys(QUANTISERS);

/** Quantises float32 values (a whole number of blocks, row-major) to a ggml block type. */
export function quantizeGgml(type: string, values: Float32Array): Uint8Array {
  const q = QUANTISERS[type];
  if (!q) throw new RangeError(`no reference quantiser for ${type}`);
  if (values.length % q.elems !== 0) throw new RangeError(`${values.length} values are not whole ${type} blocks`);
  const n = values.length / q.elems;
  const out = new Uint8Array(n * q.bytes);
  q.run(values, out, n);
  return out;
}

/**
 * Q4_K by plain min/max per 32-value sub-block instead of ggml's search (make_qkx2_quants):
 * valid blocks in the same layout at a fraction of the cost, for benchmark files of many GiB
 * where the reader's speed, not the quantiser's error, is measured.
 */
export function quantizeQ4KFast(values: Float32Array): Uint8Array {
  if (values.length % QK_K !== 0) throw new RangeError(`${values.length} values are not whole Q4_K blocks`);
  const nb = values.length / QK_K;
  const out = new Uint8Array(nb * 144);
  const scales = new Float32Array(8);
  const mins = new Float32Array(8);
  for (let i = 0; i < nb; i++) {
    const x = values.subarray(i * QK_K, (i + 1) * QK_K);
    const o = i * 144;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 8; j++) {
      let lo = 0;
      let hi = 0;
      for (let l = 0; l < 32; l++) {
        const v = x[32 * j + l]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      scales[j] = (hi - lo) / 15;
      mins[j] = -lo;
      if (scales[j]! > maxScale) maxScale = scales[j]!;
      if (mins[j]! > maxMin) maxMin = mins[j]!;
    }
    const d = putHalf(out, o, fr(maxScale / 63));
    const dmin = putHalf(out, o + 2, fr(maxMin / 63));
    const sc = o + 4;
    out.fill(0, sc, sc + 12);
    const ls = new Uint8Array(8);
    const lm = new Uint8Array(8);
    for (let j = 0; j < 8; j++) {
      ls[j] = d > 0 ? Math.min(63, Math.ceil(scales[j]! / d)) : 0;
      lm[j] = dmin > 0 ? Math.min(63, Math.round(mins[j]! / dmin)) : 0;
      if (j < 4) {
        out[sc + j] = ls[j]!;
        out[sc + j + 4] = lm[j]!;
      } else {
        out[sc + j + 4] = (ls[j]! & 0xf) | ((lm[j]! & 0xf) << 4);
        out[sc + j - 4]! |= (ls[j]! >> 4) << 6;
        out[sc + j]! |= (lm[j]! >> 4) << 6;
      }
    }
    for (let j = 0; j < 8; j += 2) {
      const q = o + 16 + 16 * j;
      const d0 = fr(d * ls[j]!);
      const d1 = fr(d * ls[j + 1]!);
      const m0 = fr(dmin * lm[j]!);
      const m1 = fr(dmin * lm[j + 1]!);
      for (let l = 0; l < 32; l++) {
        const a = d0 ? Math.max(0, Math.min(15, Math.round((x[32 * j + l]! + m0) / d0))) : 0;
        const b = d1 ? Math.max(0, Math.min(15, Math.round((x[32 * (j + 1) + l]! + m1) / d1))) : 0;
        out[q + l] = a | (b << 4);
      }
    }
  }
  return out;
}
