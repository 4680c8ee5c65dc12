/**
 * Per-channel profiles of small convolution kernels and matrices: what survives channel pruning.
 *
 * A channel-pruned copy keeps a subset of A's output channels, of its input channels, or both
 * ([3, 3, 128, 128] → [3, 3, 96, 96]): no axis keeps its indices, so neither the grid sample nor a
 * Gram matrix of hash-chosen units lines up. What a kept channel keeps is its content, summarised
 * over the OTHER channel axis (so pruning that axis only thins the average): its overall scale
 * (log RMS), and per spatial position the mean and the log RMS relative to that scale — the
 * kernel's shape. A 1×1 convolution or a matrix keeps two numbers per unit (log RMS, mean/RMS).
 * compare/channels.ts aligns the kept channels by content.
 *
 * Stored per channel axis as int8 (× 31, each column standardised across units, clipped at ±4).
 */
import { decodeQ, encodeQ } from './sample.js';

/** Tensors up to this many values (read whole in sketches too). */
export const CHANNELS_MAX_NUMEL = 2 ** 18;
/** Units per axis kept (longer axes get no profile). */
export const CHANNELS_MAX_UNITS = 4096;
/** Spatial positions per kernel kept (up to 7 × 7). */
export const CHANNELS_MAX_SPATIAL = 49;
const QUANT = 31;

export type ChannelLayout = 'HWIO' | 'OIHW' | 'OHWI' | 'matrix';

export interface ChannelProfiles {
  /** How the axes were read: which are the output and input channels, which the kernel's (H, W). */
  layout: ChannelLayout;
  /** Values per unit: 1 + 2 × spatial positions for kernels, 2 for matrices. */
  width: number;
  /** Output channels (rows of a matrix): units × width int8, base64. */
  out?: string;
  /** Input channels (columns of a matrix). */
  in?: string;
}

interface Axes {
  layout: ChannelLayout;
  out: number;
  in: number;
  spatial: number[];
}

/** The channel and spatial axes of a 2-D matrix or a 4-D kernel; undefined for other tensors. */
export function channelAxes(shape: readonly number[]): Axes | undefined {
  if (shape.length === 2) return { layout: 'matrix', out: 0, in: 1, spatial: [] };
  if (shape.length !== 4) return undefined;
  const [a, b, c, d] = shape as [number, number, number, number];
  // a kernel's spatial axes are two equal small lengths (1×1, 3×3, …); HWIO (TF/tfjs), OIHW (PyTorch), OHWI (tflite)
  if (a === b && a <= 11) return { layout: 'HWIO', out: 3, in: 2, spatial: [0, 1] };
  if (c === d && c <= 11) return { layout: 'OIHW', out: 0, in: 1, spatial: [2, 3] };
  if (b === c && b <= 11) return { layout: 'OHWI', out: 0, in: 3, spatial: [1, 2] };
  return undefined;
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Streaming sums per (channel, spatial position) on both channel axes, fed in flat order. */
export class ChannelAccumulator {
  private readonly axes: Axes;
  private readonly S: number;
  private readonly st: number[];
  private readonly shape: readonly number[];
  private readonly sums: Array<{ s1: Float64Array; s2: Float64Array } | undefined>;

  private constructor(shape: readonly number[], axes: Axes) {
    this.shape = shape;
    this.axes = axes;
    this.S = axes.spatial.reduce((p, a) => p * shape[a]!, 1);
    this.st = strides(shape);
    this.sums = [axes.out, axes.in].map((axis) => {
      const units = shape[axis]!;
      if (units < 2 || units > CHANNELS_MAX_UNITS) return undefined;
      return { s1: new Float64Array(units * this.S), s2: new Float64Array(units * this.S) };
    });
  }

  /** An accumulator when the tensor gets profiles (a small 2-D matrix or 4-D kernel). */
  static for(shape: readonly number[]): ChannelAccumulator | undefined {
    const numel = shape.reduce((p, x) => p * x, 1);
    if (numel > CHANNELS_MAX_NUMEL || numel < 16) return undefined;
    const axes = channelAxes(shape);
    if (!axes) return undefined;
    const acc = new ChannelAccumulator(shape, axes);
    if (acc.S > CHANNELS_MAX_SPATIAL || acc.sums.every((s) => !s)) return undefined;
    return acc;
  }

  /** Values of flat elements [start, start + n), read through `get(i)` for i in [0, n). */
  take(read: (i: number) => number, start: number, n: number): void {
    const { st, shape } = this;
    const [hAxis, wAxis] = this.axes.spatial;
    const W = wAxis === undefined ? 1 : shape[wAxis]!;
    const unitAxes = [this.axes.out, this.axes.in];
    for (let i = 0; i < n; i++) {
      const v = read(i);
      if (v - v !== 0) continue; // NaN or ±Inf: no content
      const e = start + i;
      const s =
        hAxis === undefined ? 0 : (Math.floor(e / st[hAxis]!) % shape[hAxis]!) * W + (Math.floor(e / st[wAxis!]!) % W);
      for (let k = 0; k < 2; k++) {
        const acc = this.sums[k];
        if (!acc) continue;
        const axis = unitAxes[k]!;
        const slot = (Math.floor(e / st[axis]!) % shape[axis]!) * this.S + s;
        acc.s1[slot]! += v;
        acc.s2[slot]! += v * v;
      }
    }
  }

  finish(): ChannelProfiles | undefined {
    const width = this.S > 1 ? 1 + 2 * this.S : 2;
    const out: ChannelProfiles = { layout: this.axes.layout, width };
    const unitAxes = [this.axes.out, this.axes.in];
    let any = false;
    for (let k = 0; k < 2; k++) {
      const acc = this.sums[k];
      if (!acc) continue;
      const units = this.shape[unitAxes[k]!]!;
      // the other channel axis is what each sum runs over
      const over = this.shape[unitAxes[1 - k]!]!;
      const q = profileOf(acc.s1, acc.s2, units, this.S, over, width);
      if (!q) continue;
      out[k === 0 ? 'out' : 'in'] = encodeQ(q);
      any = true;
    }
    return any ? out : undefined;
  }
}

function profileOf(
  s1: Float64Array,
  s2: Float64Array,
  units: number,
  S: number,
  over: number,
  width: number,
): Int8Array | undefined {
  const D = new Float64Array(units * width);
  const TINY = 1e-30;
  for (let u = 0; u < units; u++) {
    let ss = 0;
    let sm = 0;
    for (let s = 0; s < S; s++) {
      ss += s2[u * S + s]!;
      sm += s1[u * S + s]!;
    }
    const rms = Math.sqrt(ss / (over * S));
    const logRms = Math.log(rms + TINY);
    D[u * width] = logRms;
    if (S === 1) {
      D[u * width + 1] = rms > 0 ? sm / over / rms : 0;
      continue;
    }
    for (let s = 0; s < S; s++) {
      D[u * width + 1 + s] = rms > 0 ? s1[u * S + s]! / over / rms : 0;
      D[u * width + 1 + S + s] = Math.log(Math.sqrt(s2[u * S + s]! / over) + TINY) - logRms;
    }
  }
  // dead units (all zeros) would dominate a log scale: clamp to the live units' range
  let liveMin = Infinity;
  for (let u = 0; u < units; u++) if (D[u * width]! > Math.log(TINY) + 1) liveMin = Math.min(liveMin, D[u * width]!);
  if (!Number.isFinite(liveMin)) return undefined;
  for (let u = 0; u < units; u++) {
    if (D[u * width]! < liveMin) D[u * width] = liveMin;
    for (let s = 0; s < S && S > 1; s++) D[u * width + 1 + S + s] = Math.max(-10, D[u * width + 1 + S + s]!);
  }
  const q = new Int8Array(units * width);
  for (let d = 0; d < width; d++) {
    let m = 0;
    for (let u = 0; u < units; u++) m += D[u * width + d]!;
    m /= units;
    let v = 0;
    for (let u = 0; u < units; u++) v += (D[u * width + d]! - m) ** 2;
    const sd = Math.sqrt(v / units);
    if (!(sd > 1e-9)) continue; // constant column: zeros
    for (let u = 0; u < units; u++) {
      const zv = (D[u * width + d]! - m) / sd;
      q[u * width + d] = Math.max(-127, Math.min(127, Math.round(zv * QUANT)));
    }
  }
  return q;
}

/** Decodes one axis's profile: units × width values in standard units (undefined when malformed). */
export function decodeChannelProfile(b64: string | undefined, units: number, width: number): Float32Array | undefined {
  if (!b64) return undefined;
  let q: Int8Array;
  try {
    q = decodeQ(b64);
  } catch {
    return undefined;
  }
  if (q.length !== units * width) return undefined;
  return Float32Array.from(q, (x) => x / QUANT);
}
