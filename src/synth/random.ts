/**
 * Seeded randomness for the synthetic model generator: xoshiro128** seeded through splitmix32,
 * pure 32-bit integer math (no BigInt) so it is fast and identical on every platform.
 *
 * Streams are derived from (seed, label...) rather than drawn in sequence, so that adding or
 * dropping one tensor never shifts the values of another (determinism survives refactors).
 */

const INV_2_32 = 1 / 4294967296;

// Ziggurat tables (Marsaglia & Tsang 2000, 128 layers), scaled for 25-bit signed integers.
const ZIG_R = 3.442619855899;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
{
  const m1 = 16777216; // 2^24
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m1;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** splitmix32 finaliser: a strong 32-bit mixer. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let t = x ^ (x >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/** Two independent 32-bit hashes of (seed, labels): 64 bits of seed material. */
export function hashSeed(seed: number, ...labels: ReadonlyArray<string | number>): [number, number] {
  let h1 = mix32(seed >>> 0) ^ 0x811c9dc5;
  let h2 = mix32((seed >>> 0) ^ 0x5bd1e995) ^ 0x01000193;
  const feed = (c: number) => {
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  };
  for (const label of labels) {
    const s = typeof label === 'number' ? `#${label}` : label;
    for (let i = 0; i < s.length; i++) feed(s.charCodeAt(i));
    feed(0xff); // separator, so ('ab','c') ≠ ('a','bc')
  }
  return [mix32(h1), mix32(h2 ^ h1)];
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number | [number, number]) {
    const [lo, hi] = typeof seed === 'number' ? [seed >>> 0, 0x6a09e667] : seed;
    this.s0 = mix32(lo);
    this.s1 = mix32(this.s0 ^ hi);
    this.s2 = mix32(this.s1 + 0x3c6ef372);
    this.s3 = mix32(this.s2 ^ hi ^ 0xa54ff53a);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is a fixed point
  }

  /** An independent stream for (seed, labels), e.g. `Rng.derive(7, 'init', 'model.layers.0.mlp.up_proj.weight')`. */
  static derive(seed: number, ...labels: ReadonlyArray<string | number>): Rng {
    return new Rng(hashSeed(seed, ...labels));
  }

  /** xoshiro128**: next unsigned 32-bit integer. */
  nextU32(): number {
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
  uniform(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, n); rejection sampling keeps it unbiased. */
  int(n: number): number {
    if (!(n > 0) || n > 4294967296) throw new RangeError(`Rng.int: bad bound ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextU32();
    while (x >= limit);
    return x % n;
  }

  /** Standard normal (ziggurat; see `fillNormal`). */
  normal(): number {
    const u = this.nextU32();
    const iz = u & 127;
    const hz = (u | 0) >> 7; // 25-bit signed; the layer index uses other bits (Doornik's fix)
    if (Math.abs(hz) < ZIG_K[iz]!) return hz * ZIG_W[iz]!;
    return this.normalTail(hz, iz);
  }

  /** The ziggurat's slow path (≈1 % of draws): wedge rejection and the base-strip tail. */
  private normalTail(hz: number, iz: number): number {
    for (;;) {
      if (iz === 0) {
        let x: number, y: number;
        do {
          x = -Math.log(this.uniformOpen()) / ZIG_R;
          y = -Math.log(this.uniformOpen());
        } while (y + y < x * x);
        return hz > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      const x = hz * ZIG_W[iz]!;
      if (ZIG_F[iz]! + this.uniform() * (ZIG_F[iz - 1]! - ZIG_F[iz]!) < Math.exp(-0.5 * x * x)) return x;
      const u = this.nextU32();
      iz = u & 127;
      hz = (u | 0) >> 7;
      if (Math.abs(hz) < ZIG_K[iz]!) return hz * ZIG_W[iz]!;
    }
  }

  /** Uniform in (0, 1). */
  uniformOpen(): number {
    return (this.nextU32() + 0.5) * INV_2_32;
  }

  /**
   * Fills `out` with N(mean, std²): Marsaglia–Tsang ziggurat (128 layers) with the xoshiro state
   * in locals for the fast path, which is what makes 10M normals take well under a second.
   */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    let s0 = this.s0,
      s1 = this.s1,
      s2 = this.s2,
      s3 = this.s3;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const u = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const iz = u & 127;
      const hz = u >> 7;
      if (Math.abs(hz) < ZIG_K[iz]!) {
        out[i] = mean + std * hz * ZIG_W[iz]!;
        continue;
      }
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      out[i] = mean + std * this.normalTail(hz, iz);
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

  normals(n: number, std = 1, mean = 0): Float32Array {
    return this.fillNormal(new Float32Array(n), mean, std);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** Shuffles a copy of `items`. */
  shuffled<T>(items: ReadonlyArray<T>): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
