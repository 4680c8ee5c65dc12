/**
 * Channel-pruned copies of convolution kernels and small matrices, aligned by content.
 *
 * B = A with some output and/or input channels removed ([3, 3, 128, 128] → [3, 3, 96, 96]; a 1×1
 * convolution [256, 512] → [192, 384]). Pruning keeps the order of what it keeps, so each pruned
 * axis of B is an increasing subsequence of A's: every channel of B is matched to one of A's by the
 * best order-keeping alignment of their profiles (fingerprint/channels.ts: per-channel scale and
 * kernel shape, summarised over the other channel axis), found by dynamic programming. The
 * statistic is the correlation of B's profiles with their aligned partners over every channel.
 *
 * The alignment is fitted, so chance correlations are high: the null is B's own channels shuffled
 * and aligned the same way (the exact optimism of the fit for this pair of sizes), and
 * mismatched layers of the same shape class aligned the same way; the more conservative decides
 * (tensor-match.ts controlledOnly). The sampling error counts channels, not profile values: the
 * values of one channel move together.
 */
import { channelAxes, decodeChannelProfile } from '../fingerprint/channels.js';
import { fisherZ, pearson } from './stats.js';
import type { MatchMeasure, TensorRef } from './tensor-match.js';
import type { Correlation } from './vectors.js';

/** Alignments larger than this many channel pairs are not attempted (time). */
const MAX_CELLS = 2 ** 20;
/** Shuffles of B's channels for the own null. */
const OWN_DRAWS = 12;

interface Profiles {
  width: number;
  /** Spatial shape (kernel positions) that must be equal: '' for matrices. */
  spatial: string;
  family: 'kernel' | 'matrix';
  axes: Array<{ units: number; v: Float32Array | undefined }>;
}

const cache = new WeakMap<TensorRef, Profiles | null>();

function profilesOf(r: TensorRef): Profiles | undefined {
  const hit = cache.get(r);
  if (hit !== undefined) return hit ?? undefined;
  let out: Profiles | null = null;
  const ch = r.fp.channels;
  const axes = ch ? channelAxes(r.fp.shape) : undefined;
  if (ch && axes && axes.layout === ch.layout) {
    const shape = r.fp.shape;
    const sides = [
      { units: shape[axes.out]!, v: decodeChannelProfile(ch.out, shape[axes.out]!, ch.width) },
      { units: shape[axes.in]!, v: decodeChannelProfile(ch.in, shape[axes.in]!, ch.width) },
    ];
    if (sides.some((s) => s.v))
      out = {
        width: ch.width,
        spatial: axes.spatial.map((a) => shape[a]).join('x'),
        family: axes.layout === 'matrix' ? 'matrix' : 'kernel',
        axes: sides,
      };
  }
  cache.set(r, out);
  return out ?? undefined;
}

/** A's channels can hold B's: same family and kernel size, no axis of B longer, some axis shorter. */
function fits(a: Profiles, b: Profiles): boolean {
  if (a.family !== b.family || a.spatial !== b.spatial || a.width !== b.width) return false;
  let shorter = false;
  for (let k = 0; k < 2; k++) {
    const ua = a.axes[k]!.units;
    const ub = b.axes[k]!.units;
    if (ub > ua) return false;
    if (ub < ua) shorter = true;
  }
  return shorter;
}

/**
 * The order-keeping map of B's units into A's minimising the summed squared profile distances
 * (O(nB·nA)); identity when the lengths are equal.
 */
export function alignUnits(x: Float32Array, nb: number, y: Float32Array, na: number, width: number): Int32Array {
  const map = new Int32Array(nb);
  if (nb === na) {
    for (let j = 0; j < nb; j++) map[j] = j;
    return map;
  }
  const cols = na + 1;
  let prev = new Float64Array(cols);
  let cur = new Float64Array(cols);
  // take[j * na + i]: unit j of B matched to unit i of A (else unit i of A skipped)
  const take = new Uint8Array(nb * na);
  for (let j = 1; j <= nb; j++) {
    cur.fill(-Infinity);
    const xo = (j - 1) * width;
    // A must keep enough units after i for the rest of B
    for (let i = j; i <= na - (nb - j); i++) {
      const yo = (i - 1) * width;
      // −|x − y|²: the nearest partner, not merely the best-aligned one (a dot product favours A's extreme units)
      let score = 0;
      for (let d = 0; d < width; d++) score -= (x[xo + d]! - y[yo + d]!) ** 2;
      const matched = prev[i - 1]! + score;
      const skipped = cur[i - 1]!;
      if (matched >= skipped) {
        cur[i] = matched;
        take[(j - 1) * na + (i - 1)] = 1;
      } else cur[i] = skipped;
    }
    [prev, cur] = [cur, prev];
  }
  let i = na;
  for (let j = nb; j >= 1; j--) {
    while (i > j && !take[(j - 1) * na + (i - 1)]) i--;
    map[j - 1] = i - 1;
    i--;
  }
  return map;
}

function shuffled(v: Float32Array, units: number, width: number, seed: number): Float32Array {
  const order = Int32Array.from({ length: units }, (_, i) => i);
  let s = (seed * 0x9e3779b1) >>> 0 || 1;
  for (let i = units - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Float32Array(v.length);
  for (let u = 0; u < units; u++) out.set(v.subarray(order[u]! * width, order[u]! * width + width), u * width);
  return out;
}

/** Correlation of B's profiles with their aligned partners in A over both channel axes. */
function aligned(a: Profiles, b: Profiles, draw?: number): Correlation | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  let units = 0;
  const w = a.width;
  for (let k = 0; k < 2; k++) {
    const pa = a.axes[k]!;
    const pb = b.axes[k]!;
    if (!pa.v || !pb.v) continue;
    if (pb.units * pa.units > MAX_CELLS) return undefined;
    const x = draw === undefined ? pb.v : shuffled(pb.v, pb.units, w, draw * 2 + k + 1);
    const map = alignUnits(x, pb.units, pa.v, pa.units, w);
    for (let j = 0; j < pb.units; j++) {
      for (let d = 0; d < w; d++) {
        xs.push(x[j * w + d]!);
        ys.push(pa.v[map[j]! * w + d]!);
      }
    }
    units += pb.units;
  }
  if (units === 0) return undefined;
  const { r } = pearson(xs, ys);
  return Number.isFinite(r) ? { r, n: xs.length, dof: units } : undefined;
}

export const CHANNELS: MatchMeasure = {
  usable: (r) => profilesOf(r) !== undefined,
  candidates(A, cls) {
    const usable = A.filter((a) => a.cls === cls && a.tiedTo === undefined && profilesOf(a) !== undefined);
    return (b) => {
      const pb = profilesOf(b);
      if (!pb) return [];
      return usable.filter((a) => fits(profilesOf(a)!, pb)).map((a) => ({ a, transposed: false }));
    };
  },
  correlate(a, b) {
    const pa = profilesOf(a);
    const pb = profilesOf(b);
    return pa && pb && fits(pa, pb) ? aligned(pa, pb) : undefined;
  },
  ownNull(a, b) {
    const pa = profilesOf(a);
    const pb = profilesOf(b);
    if (!pa || !pb || !fits(pa, pb)) return undefined;
    const zs: number[] = [];
    for (let d = 0; d < OWN_DRAWS; d++) {
      const c = aligned(pa, pb, d);
      if (c) zs.push(Math.abs(fisherZ(c.r)));
    }
    if (zs.length < 2) return undefined;
    const mean = zs.reduce((s, v) => s + v, 0) / zs.length;
    const sd = Math.sqrt(zs.reduce((s, v) => s + (v - mean) ** 2, 0) / (zs.length - 1));
    return { location: mean, scale: sd };
  },
  controlledOnly: true,
  heavyTailed: true,
  statistic: 'channels',
};
