/**
 * ggml dequantisation in WebAssembly (simd128), for every block type ggml.ts decodes but MXFP4:
 * Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, IQ4_NL, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS, Q8_K. Each kernel
 * reads whole blocks from memory and writes float32 values to memory, so a caller that owns a
 * WebAssembly memory (the fingerprint kernels' input area) gets decoded values exactly where the
 * next kernel reads them: no per-element JavaScript, no copy of the decoded values.
 *
 * The arithmetic is ggml.ts's (the reference), operation by operation in float32: every product
 * and difference the reference rounds to float is one f32 operation here (exact integer × half
 * products included), so values are bit-identical, -0, infinities and NaN scales included. Half
 * floats are widened exactly (subnormals by a power-of-two multiply); every f16 NaN becomes the
 * canonical float NaN, as the reference's lookup table has it.
 *
 * The module imports the caller's memory; it is assembled below (no build step, no dependency).
 */

import { sleb, uleb } from '../../util/leb128.js';

/** (src, nBlocks, dst): dequantises `nBlocks` blocks at byte `src` to float32 at byte `dst`. */
export type SimdKernel = (src: number, nBlocks: number, dst: number) => void;

/** The ggml types with a kernel here. */
export const SIMD_GGML_TYPES = [
  'Q8_0',
  'Q4_0',
  'Q4_1',
  'Q5_0',
  'Q5_1',
  'IQ4_NL',
  'Q2_K',
  'Q3_K',
  'Q4_K',
  'Q5_K',
  'Q6_K',
  'IQ4_XS',
  'Q8_K',
] as const;

// ---------------------------------------------------------------------------------------------
// a small assembler: just the instructions used here

const simd = (code: number) => [0xfd, ...uleb(code)];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const f32 = (x: number) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];
/** Loads and stores: memarg alignment 0 (any address), constant byte offset. */
const load8u = (off: number) => [0x2d, 0, ...uleb(off)];
const load8s = (off: number) => [0x2c, 0, ...uleb(off)];
const load16u = (off: number) => [0x2f, 0, ...uleb(off)];
const v128load = (off: number) => [...simd(0x00), 0, ...uleb(off)];
const load8x8s = (off: number) => [...simd(0x01), 0, ...uleb(off)];
const v128store = (off: number) => [...simd(0x0b), 0, ...uleb(off)];
const op = {
  and: [0x71],
  or: [0x72],
  shl: [0x74],
  shrU: [0x76],
  sub: [0x6b],
  eqz: [0x45],
  gtU: [0x4b],
  ltU: [0x49],
  select: [0x1b],
  add: [0x6a],
  f32mul: [0x94],
  f32FromI32: [0xb2],
  i32FromF32Bits: [0xbc],
  f32FromBits: [0xbe],
  call: (f: number) => [0x10, ...uleb(f)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (d: number) => [0x0d, d],
  tee: (i: number) => [0x22, ...uleb(i)],
  i8splat: simd(0x0f),
  f32splat: simd(0x13),
  vand: simd(0x4e),
  vor: simd(0x50),
  i8shl: simd(0x6b),
  i8shrU: simd(0x6d),
  i8sub: simd(0x71),
  i16FromI8: { low: { s: simd(0x87), u: simd(0x89) }, high: { s: simd(0x88), u: simd(0x8a) } },
  i32FromI16: { low: { s: simd(0xa7), u: simd(0xa9) }, high: { s: simd(0xa8), u: simd(0xaa) } },
  f32x4FromI32: simd(0xfa),
  f32x4add: simd(0xe4),
  f32x4sub: simd(0xe5),
  swizzle: simd(0x0e),
  i8ne: simd(0x24),
  i8eq: simd(0x23),
  f32x4mul: simd(0xe6),
};
const splat8 = (n: number) => [...i32(n), ...op.i8splat];
const v128const = (bytes: ArrayLike<number>) => [...simd(0x0c), ...Array.from(bytes, (b) => b & 0xff)];
const f32load = (off: number) => [0x2a, 0, ...uleb(off)];

// ---------------------------------------------------------------------------------------------
// functions: 0 = half (i32 address) -> f32; then one kernel per type (src, n, dst)

const HALF = 0;
const P_SRC = 0;
const P_N = 1;
const P_DST = 2;

/** The f16 at `p` as f32, exactly (locals: 1 h, 2 e|m). */
function halfBody(): number[] {
  const code = [
    ...get(0),
    ...load16u(0),
    ...set(1),
    ...get(1),
    ...i32(0x7fff),
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
    ...i32(0x8000),
    ...op.and,
    ...i32(16),
    ...op.shl,
    ...op.or,
    // special: NaN (canonical) or a signed infinity
    ...i32(0x7fc00000),
    ...get(1),
    ...i32(0x8000),
    ...op.and,
    ...i32(16),
    ...op.shl,
    ...i32(0x7f800000),
    ...op.or,
    ...get(2),
    ...i32(0x7c00),
    ...op.gtU,
    ...op.select,
    // select(finite, special, e|m < 0x7c00): select(a, b, c) = c ? a : b
    ...get(2),
    ...i32(0x7c00),
    ...op.ltU,
    ...op.select,
    ...op.f32FromBits,
  ];
  return [1, 2, I32, ...code, ...op.end];
}

/** splat(half at src + off) */
const halfSplat = (off: number) => [...get(P_SRC), ...i32(off), ...op.add, ...op.call(HALF), ...op.f32splat];

/**
 * Stores the 16 bytes on the stack (signed or unsigned 8-bit integers) as 16 floats at dst + off:
 * value × scale, minus `minus` or plus `plus` when given (v128 locals). Uses locals t and w.
 */
function emit16(
  signed: boolean,
  scale: number,
  off: number,
  t: number,
  w: number,
  minus?: number,
  plus?: number,
): number[] {
  const sg = signed ? 's' : 'u';
  const out: number[] = [...set(t)];
  for (const [hi, part] of [
    [0, 'low'],
    [1, 'high'],
  ] as const) {
    out.push(...get(t), ...op.i16FromI8[part][sg], ...set(w));
    for (const [lo, part2] of [
      [0, 'low'],
      [1, 'high'],
    ] as const) {
      out.push(
        ...get(P_DST),
        ...get(w),
        ...op.i32FromI16[part2][sg],
        ...op.f32x4FromI32,
        ...get(scale),
        ...op.f32x4mul,
        ...(minus !== undefined ? [...get(minus), ...op.f32x4sub] : []),
        ...(plus !== undefined ? [...get(plus), ...op.f32x4add] : []),
        ...v128store(off + 16 * (2 * hi + lo)),
      );
    }
  }
  return out;
}

interface Kernel {
  name: (typeof SIMD_GGML_TYPES)[number];
  blockBytes: number;
  blockElems: number;
  /** Local declarations after the three parameters: [count, type] groups. */
  locals: Array<[number, number]>;
  body: number[];
}

/** Wraps a per-block body in the loop over `n` blocks. */
function kernelFunc(k: Kernel): number[] {
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
    ...op.end,
  ];
  return [...uleb(k.locals.length), ...k.locals.flatMap(([n, t]) => [...uleb(n), t]), ...code, ...op.end];
}

// Q8_0: d (f16), 32 × int8; y = q·d. Locals: 3 vd, 4 x.
function q8_0(): Kernel {
  const body = [...halfSplat(0), ...set(3)];
  for (let j = 0; j < 4; j++) {
    body.push(...get(P_SRC), ...load8x8s(2 + 8 * j), ...set(4));
    for (const [lo, part] of [
      [0, 'low'],
      [1, 'high'],
    ] as const) {
      body.push(
        ...get(P_DST),
        ...get(4),
        ...op.i32FromI16[part].s,
        ...op.f32x4FromI32,
        ...get(3),
        ...op.f32x4mul,
        ...v128store(32 * j + 16 * lo),
      );
    }
  }
  return { name: 'Q8_0', blockBytes: 34, blockElems: 32, locals: [[4, V128]], body };
}

// Q4_0: d (f16), 16 bytes of nibbles; y[j] = (lo - 8)·d, y[j + 16] = (hi - 8)·d. Locals: 3 vd, 4 x, 5 t, 6 w.
function q4_0(): Kernel {
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
    ...emit16(true, 3, 64, 5, 6),
  ];
  return { name: 'Q4_0', blockBytes: 18, blockElems: 32, locals: [[4, V128]], body };
}

/** ggml's get_scale_min_k4: 6-bit scale (which 0) or min (which 1) j from the 12 bytes at src + 4. */
function scaleMinK4(j: number, which: 0 | 1): number[] {
  const b = (i: number) => [...get(P_SRC), ...load8u(4 + i)];
  if (j < 4) return [...b(j + 4 * which), ...i32(63), ...op.and];
  if (which === 0) {
    return [...b(j + 4), ...i32(15), ...op.and, ...b(j - 4), ...i32(6), ...op.shrU, ...i32(4), ...op.shl, ...op.or];
  }
  return [...b(j + 4), ...i32(4), ...op.shrU, ...b(j), ...i32(6), ...op.shrU, ...i32(4), ...op.shl, ...op.or];
}

/** splat(fr(d · scale or min j)) with d in f32 local `d`. */
const scaled = (d: number, j: number, which: 0 | 1) => [
  ...get(d),
  ...scaleMinK4(j, which),
  ...op.f32FromI32,
  ...op.f32mul,
  ...op.f32splat,
];

/**
 * Q4_K / Q5_K: d, dmin (f16), 12 bytes of 6-bit scales and mins, [Q5_K: 32 bytes of high bits],
 * 128 bytes of nibbles in four 32-byte groups: group p gives 32 values of sub-block 2p (low nibbles)
 * then 32 of sub-block 2p + 1 (high nibbles); y = fr(dl·q) − ml.
 * Locals: 3 d, 4 dmin (f32); 5 vd1, 6 vm1, 7 vd2, 8 vm2, 9 q, 10 t, 11 w, 12 h0, 13 h1 (v128).
 */
function k4(five: boolean): Kernel {
  const qs = five ? 48 : 16;
  const body = [
    ...get(P_SRC),
    ...op.call(HALF),
    ...set(3),
    ...get(P_SRC),
    ...i32(2),
    ...op.add,
    ...op.call(HALF),
    ...set(4),
  ];
  if (five) body.push(...get(P_SRC), ...v128load(16), ...set(12), ...get(P_SRC), ...v128load(32), ...set(13));
  /** Bit `bit` of the high-bit bytes (local h), as 0 or 16 per lane. */
  const highBit = (h: number, bit: number) => [
    ...get(h),
    ...i32(bit),
    ...op.i8shrU,
    ...splat8(1),
    ...op.vand,
    ...i32(4),
    ...op.i8shl,
  ];
  for (let p = 0; p < 4; p++) {
    const is = 2 * p;
    body.push(...scaled(3, is, 0), ...set(5), ...scaled(4, is, 1), ...set(6));
    body.push(...scaled(3, is + 1, 0), ...set(7), ...scaled(4, is + 1, 1), ...set(8));
    for (let half = 0; half < 2; half++) {
      body.push(...get(P_SRC), ...v128load(qs + 32 * p + 16 * half), ...set(9));
      const h = half === 0 ? 12 : 13;
      const out = 4 * (64 * p + 16 * half);
      body.push(...get(9), ...splat8(15), ...op.vand);
      if (five) body.push(...highBit(h, is), ...op.vor);
      body.push(...emit16(false, 5, out, 10, 11, 6));
      body.push(...get(9), ...i32(4), ...op.i8shrU);
      if (five) body.push(...highBit(h, is + 1), ...op.vor);
      body.push(...emit16(false, 7, out + 128, 10, 11, 8));
    }
  }
  return {
    name: five ? 'Q5_K' : 'Q4_K',
    blockBytes: five ? 176 : 144,
    blockElems: 256,
    locals: [
      [2, F32],
      [9, V128],
    ],
    body,
  };
}

/**
 * Q6_K: 128 bytes of low nibbles, 64 of high 2-bit pairs, 16 int8 scales, d (f16 at 208); two
 * halves of 128 values, each four groups of 32; y = fr(d·sc)·(q − 32).
 * Locals: 3 d (f32); 4 A, 5 B, 6 H, 7..10 scales, 11 t, 12 w (v128).
 */
function q6_K(): Kernel {
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
      const high = (shift: number, mask: boolean) => [
        ...get(6),
        ...(shift ? [...i32(shift), ...op.i8shrU] : []),
        ...(mask ? [...splat8(3), ...op.vand] : []),
        ...i32(4),
        ...op.i8shl,
      ];
      const groups: number[][] = [
        [...get(4), ...splat8(15), ...op.vand, ...high(0, true)],
        [...get(5), ...splat8(15), ...op.vand, ...high(2, true)],
        [...get(4), ...i32(4), ...op.i8shrU, ...high(4, true)],
        [...get(5), ...i32(4), ...op.i8shrU, ...high(6, false)],
      ];
      groups.forEach((g, k) => {
        body.push(...g, ...op.vor, ...splat8(32), ...op.i8sub);
        body.push(...emit16(true, 7 + k, 4 * (128 * h + l0 + 32 * k), 11, 12));
      });
    }
  }
  return {
    name: 'Q6_K',
    blockBytes: 210,
    blockElems: 256,
    locals: [
      [1, F32],
      [9, V128],
    ],
    body,
  };
}

/**
 * Q4_1, Q5_0, Q5_1: d [, m] (f16), [qh: 32 high bits], 16 bytes of nibbles; value v of element j
 * from the low nibble (j < 16) or the high one, with bit j of qh as bit 4 (Q5); Q4_1/Q5_1:
 * y = fr(v·d) + m; Q5_0: y = (v − 16)·d.
 * Locals: 3 vd, 4 vm, 5 x, 6 t, 7 w, 8 h0, 9 h1 (v128).
 */
function q32(name: 'Q4_1' | 'Q5_0' | 'Q5_1'): Kernel {
  const hasMin = name !== 'Q5_0';
  const five = name !== 'Q4_1';
  const qh = hasMin ? 4 : 2;
  const qs = (hasMin ? 4 : 2) + (five ? 4 : 0);
  const body = [...halfSplat(0), ...set(3)];
  if (hasMin) body.push(...halfSplat(2), ...set(4));
  if (five) {
    // lane j: bit j (h0) / bit j + 16 (h1) of qh, as 0 or 16
    const bitOf = (firstByte: number) => [
      ...get(P_SRC),
      ...v128load(qh),
      ...v128const([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1].map((b) => b + firstByte)),
      ...op.swizzle,
      ...v128const([1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128]),
      ...op.vand,
      ...splat8(0),
      ...op.i8ne,
      ...splat8(16),
      ...op.vand,
    ];
    body.push(...bitOf(0), ...set(8), ...bitOf(2), ...set(9));
  }
  body.push(...get(P_SRC), ...v128load(qs), ...set(5));
  for (const high of [false, true]) {
    body.push(...get(5), ...(high ? [...i32(4), ...op.i8shrU] : [...splat8(15), ...op.vand]));
    if (five) body.push(...get(high ? 9 : 8), ...op.vor);
    if (!hasMin) body.push(...splat8(16), ...op.i8sub);
    body.push(...emit16(!hasMin, 3, high ? 64 : 0, 6, 7, undefined, hasMin ? 4 : undefined));
  }
  const blockBytes = { Q4_1: 20, Q5_0: 22, Q5_1: 24 }[name];
  return { name, blockBytes, blockElems: 32, locals: [[7, V128]], body };
}

/** ggml's non-linear 4-bit code book (IQ4_NL, IQ4_XS). */
const KVALUES_IQ4NL = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

// IQ4_NL: d (f16), 16 bytes of nibbles; y = d·kv[nibble]. Locals: 3 vd, 4 x, 5 kv, 6 t, 7 w.
function iq4_nl(): Kernel {
  const body = [...halfSplat(0), ...set(3), ...get(P_SRC), ...v128load(2), ...set(4)];
  // swizzle(table, indices): the table is pushed first
  body.push(...v128const(KVALUES_IQ4NL), ...get(4), ...splat8(15), ...op.vand, ...op.swizzle);
  body.push(...emit16(true, 3, 0, 6, 7));
  body.push(...v128const(KVALUES_IQ4NL), ...get(4), ...i32(4), ...op.i8shrU, ...op.swizzle);
  body.push(...emit16(true, 3, 64, 6, 7));
  return { name: 'IQ4_NL', blockBytes: 18, blockElems: 32, locals: [[5, V128]], body };
}

/**
 * IQ4_XS: d (f16), scales_h (u16), 4 bytes of low scale nibbles, 128 bytes of nibbles in eight
 * 32-value sub-blocks; dl = fr(d·(ls − 32)), y = dl·kv[nibble]. Locals: 3 d (f32); 4 dl, 5 x, 6 t, 7 w.
 */
function iq4_xs(): Kernel {
  const body = [...get(P_SRC), ...op.call(HALF), ...set(3)];
  for (let ib = 0; ib < 8; ib++) {
    // ls = ((scales_l[ib/2] >> 4·(ib&1)) & 15) | (((scales_h >> 2·ib) & 3) << 4)
    body.push(...get(3), ...get(P_SRC), ...load8u(4 + (ib >> 1)), ...i32(4 * (ib & 1)), ...op.shrU);
    body.push(...i32(15), ...op.and, ...get(P_SRC), ...load16u(2), ...i32(2 * ib), ...op.shrU, ...i32(3));
    body.push(...op.and, ...i32(4), ...op.shl, ...op.or, ...i32(32), ...op.sub, ...op.f32FromI32, ...op.f32mul);
    body.push(...op.f32splat, ...set(4), ...get(P_SRC), ...v128load(8 + 16 * ib), ...set(5));
    body.push(...v128const(KVALUES_IQ4NL), ...get(5), ...splat8(15), ...op.vand, ...op.swizzle);
    body.push(...emit16(true, 4, 128 * ib, 6, 7));
    body.push(...v128const(KVALUES_IQ4NL), ...get(5), ...i32(4), ...op.i8shrU, ...op.swizzle);
    body.push(...emit16(true, 4, 128 * ib + 64, 6, 7));
  }
  return {
    name: 'IQ4_XS',
    blockBytes: 136,
    blockElems: 256,
    locals: [
      [1, F32],
      [4, V128],
    ],
    body,
  };
}

/**
 * Q2_K: 16 scale bytes (low nibble scale, high nibble min), 64 bytes of 2-bit codes, d, dmin
 * (f16 at 80, 82); sixteen groups of 16: dl = fr(d·sc), ml = fr(dmin·m), y = fr(dl·q) − ml.
 * Locals: 3 d, 4 dmin (f32); 5 vd, 6 vm, 7 t, 8 w (v128).
 */
function q2_K(): Kernel {
  const body = [...get(P_SRC), ...i32(80), ...op.add, ...op.call(HALF), ...set(3)];
  body.push(...get(P_SRC), ...i32(82), ...op.add, ...op.call(HALF), ...set(4));
  for (let half = 0; half < 2; half++) {
    for (let s = 0; s < 4; s++) {
      for (let part = 0; part < 2; part++) {
        const is = 8 * half + 2 * s + part;
        body.push(...get(3), ...get(P_SRC), ...load8u(is), ...i32(15), ...op.and, ...op.f32FromI32, ...op.f32mul);
        body.push(...op.f32splat, ...set(5));
        body.push(...get(4), ...get(P_SRC), ...load8u(is), ...i32(4), ...op.shrU, ...op.f32FromI32, ...op.f32mul);
        body.push(...op.f32splat, ...set(6));
        body.push(...get(P_SRC), ...v128load(16 + 32 * half + 16 * part));
        if (s) body.push(...i32(2 * s), ...op.i8shrU);
        body.push(...splat8(3), ...op.vand);
        body.push(...emit16(false, 5, 4 * (128 * half + 32 * s + 16 * part), 7, 8, 6));
      }
    }
  }
  return {
    name: 'Q2_K',
    blockBytes: 84,
    blockElems: 256,
    locals: [
      [2, F32],
      [4, V128],
    ],
    body,
  };
}

/**
 * Q3_K: 32 bytes of high-bit masks, 64 bytes of 2-bit codes, 12 bytes of 6-bit scales, d (f16 at
 * 108); sixteen groups of 16: dl = fr(d·(scale − 32)), y = dl·(low − (mask bit clear ? 4 : 0)).
 * Locals: 3 d (f32); 4 vd, 5 t, 6 w (v128).
 */
function q3_K(): Kernel {
  const body = [...get(P_SRC), ...i32(108), ...op.add, ...op.call(HALF), ...set(3)];
  const b = (i: number) => [...get(P_SRC), ...load8u(i)];
  /** 6-bit scale j (ggml's aux-word unpacking, byte by byte). */
  const scale = (j: number) => {
    const i = j & 3;
    const low = j < 4 ? [...b(96 + i), ...i32(15), ...op.and] : j < 8 ? [...b(100 + i), ...i32(15), ...op.and] : [];
    const lowHigh = j >= 8 ? [...b(j < 12 ? 96 + i : 100 + i), ...i32(4), ...op.shrU] : low;
    const shift = 2 * (j >> 2);
    return [...lowHigh, ...b(104 + i), ...i32(shift), ...op.shrU, ...i32(3), ...op.and, ...i32(4), ...op.shl, ...op.or];
  };
  let m = 1;
  for (let half = 0; half < 2; half++) {
    for (let s = 0; s < 4; s++, m <<= 1) {
      for (let part = 0; part < 2; part++) {
        const is = 8 * half + 2 * s + part;
        body.push(...get(3), ...scale(is), ...i32(32), ...op.sub, ...op.f32FromI32, ...op.f32mul);
        body.push(...op.f32splat, ...set(4));
        // low − (mask bit clear ? 4 : 0)
        body.push(...get(P_SRC), ...v128load(32 + 32 * half + 16 * part));
        if (s) body.push(...i32(2 * s), ...op.i8shrU);
        body.push(...splat8(3), ...op.vand);
        body.push(...get(P_SRC), ...v128load(16 * part), ...splat8(m), ...op.vand, ...splat8(0), ...op.i8eq);
        body.push(...splat8(4), ...op.vand, ...op.i8sub);
        body.push(...emit16(true, 4, 4 * (128 * half + 32 * s + 16 * part), 5, 6));
      }
    }
  }
  return {
    name: 'Q3_K',
    blockBytes: 110,
    blockElems: 256,
    locals: [
      [1, F32],
      [3, V128],
    ],
    body,
  };
}

// Q8_K: d (f32), 256 × int8, 32 bytes of sums (unused); y = d·q. Locals: 3 vd, 4 x.
function q8_K(): Kernel {
  const body = [...get(P_SRC), ...f32load(0), ...op.f32splat, ...set(3)];
  for (let j = 0; j < 32; j++) {
    body.push(...get(P_SRC), ...load8x8s(4 + 8 * j), ...set(4));
    for (const [lo, part] of [
      [0, 'low'],
      [1, 'high'],
    ] as const) {
      body.push(...get(P_DST), ...get(3), ...get(4), ...op.i32FromI16[part].s, ...op.f32x4FromI32, ...op.f32x4mul);
      body.push(...v128store(32 * j + 16 * lo));
    }
  }
  return { name: 'Q8_K', blockBytes: 292, blockElems: 256, locals: [[2, V128]], body };
}

function module(kernels: Kernel[]): Uint8Array {
  const sec = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const fn = (body: number[]) => [...uleb(body.length), ...body];
  // type 0: (i32, i32, i32) -> (); type 1: (i32) -> f32
  const types = [2, 0x60, 3, I32, I32, I32, 0, 0x60, 1, I32, 1, F32];
  const imports = [1, ...name('env'), ...name('mem'), 0x02, 0x00, 0x00];
  const funcs = [kernels.length + 1, 1, ...kernels.map(() => 0)];
  const exports = [kernels.length, ...kernels.flatMap((k, i) => [...name(k.name), 0, ...uleb(i + 1)])];
  const code = [kernels.length + 1, ...fn(halfBody()), ...kernels.flatMap((k) => fn(kernelFunc(k)))];
  return new Uint8Array([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...sec(1, types),
    ...sec(2, imports),
    ...sec(3, funcs),
    ...sec(7, exports),
    ...sec(10, code),
  ]);
}

// ---------------------------------------------------------------------------------------------
// instances: one per memory

/** The WebAssembly global, typed here because the project's TypeScript libs do not declare it. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

let compiled: object | null | undefined;
const instances = new WeakMap<object, Record<string, SimdKernel> | null>();

/**
 * The kernels working in `memory` (a WebAssembly.Memory), by ggml type name; null where
 * WebAssembly or its SIMD is unavailable.
 */
export function simdDequant(memory: object): Readonly<Record<string, SimdKernel>> | null {
  const known = instances.get(memory);
  if (known !== undefined) return known;
  let made: Record<string, SimdKernel> | null = null;
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api) {
      compiled ??= new api.Module(
        module([
          q8_0(),
          q4_0(),
          q32('Q4_1'),
          q32('Q5_0'),
          q32('Q5_1'),
          iq4_nl(),
          q2_K(),
          q3_K(),
          k4(false),
          k4(true),
          q6_K(),
          iq4_xs(),
          q8_K(),
        ]),
      );
      const { exports } = new api.Instance(compiled, { env: { mem: memory } });
      made = Object.fromEntries(SIMD_GGML_TYPES.map((t) => [t, exports[t] as SimdKernel]));
    }
  } catch {
    compiled = null;
    made = null;
  }
  instances.set(memory, made);
  return made;
}
