/**
 * Seeded randomness for the synthetic model generator: xoshiro128** seeded through splitmix32,
 * pure 32-bit integer math (no BigInt) so it is fast and identical on every platform.
 *
 * Streams are derived from (seed, label...) rather than drawn in sequence, so that adding or
 * dropping one tensor never shifts the values of another (determinism survives refactors).
 */

const TWO_PI = 2 * Math.PI;
const INV_2_32 = 1 / 4294967296;

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
  private spare = 0;
  private hasSpare = false;

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

  /** Uniform integer in [0, n). Lemire-free rejection keeps it unbiased. */
  int(n: number): number {
    if (!(n > 0) || n > 4294967296) throw new RangeError(`Rng.int: bad bound ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextU32();
    while (x >= limit);
    return x % n;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = (this.nextU32() + 1) * INV_2_32; // (0, 1]: log never sees 0
    const u2 = this.nextU32() * INV_2_32;
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(TWO_PI * u2);
    this.hasSpare = true;
    return r * Math.cos(TWO_PI * u2);
  }

  /**
   * Fills `out` with N(mean, std²). The generator state lives in locals inside the loop, which is
   * what makes ~10M normals take well under a second.
   */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const n = out.length;
    for (let i = 0; i < n; i += 2) {
      // two xoshiro128** steps, inlined
      let r1 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      const r2 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      r1 = (r1 + 1) * INV_2_32;
      const rad = std * Math.sqrt(-2 * Math.log(r1));
      const ang = TWO_PI * r2 * INV_2_32;
      out[i] = mean + rad * Math.cos(ang);
      if (i + 1 < n) out[i + 1] = mean + rad * Math.sin(ang);
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
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
