/**
 * Shortlist keys: a compact summary of a fingerprint (shapes, digests, sign sketches, tokenizer
 * and config digests) stored in the registry index, and the test that decides from those keys
 * alone which entries `check` loads and compares in full.
 */
import { createHash } from 'node:crypto';
import { FLAT_SLACK, MAX_OPAQUE_SHARE, classifyTensor, opaqueShare } from '../fingerprint/classify.js';
import { numel } from '../fingerprint/shape.js';
import { push } from '../util/collections.js';
import { decodeQ, layoutOf } from '../fingerprint/sample.js';
import type { FingerprintDocument, TensorFingerprint } from '../fingerprint/types.js';
import type { TokenConvention } from '../fingerprint/tokenizer.js';
import type { RegistryEntry, ShortlistCandidate, ShortlistKeys } from './types.js';
import { plural } from '../util/words.js';

/** Largest learned tensors per component whose digests / sketches go into the index. */
const DIGESTS_PER_COMPONENT = 16;
const SKETCHES_PER_COMPONENT = 8;
/** Values a sign sketch covers. */
const SKETCH_BITS = 64;
/** Tokens in the index's mini token sketch (bottom-k of the signature's sketch). */
const MINI_TOKENS = 64;
/** Share of learned parameters in common shapes (either side) for a shape-only shortlisting. */
const MIN_SHAPE_SHARE = 0.05;
/** Estimated token Jaccard above which a tokenizer entry is shortlisted. */
const MIN_TOKEN_JACCARD = 0.1;
/** Median sketch z above which a shape candidate counts as strongly similar (kept past the cap). */
export const STRONG_SKETCH_Z = 4;

const PREFIX = 16;

function h(text: string, n = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, n);
}

/** Dimension order dropped: transposed layouts (OHWI vs HWIO) share the key. */
function shapeKey(shape: readonly number[]): string {
  return h(`shape:${[...shape].sort((a, b) => a - b).join('x')}`);
}

function exactShapeKey(shape: readonly number[]): string {
  return h(`exact:${shape.join('x')}`);
}

function learned(doc: FingerprintDocument): Array<{ t: TensorFingerprint; i: number }> {
  return doc.tensors.map((t, i) => ({ t, i })).filter(({ t }) => classifyTensor(t, doc.sampling).cls === 'learned');
}

/**
 * Tensors whose shape tells what they are: the learned ones, and matrices stored in a quantisation
 * whose values we do not decode (GGUF IQ2_XXS…; their logical shape is known). A copy stored that
 * way shares structure with its original and must be compared (and said to be unreadable), never
 * passed as a new architecture.
 */
function structural(doc: FingerprintDocument): TensorFingerprint[] {
  return doc.tensors.filter((t) => {
    const cls = classifyTensor(t, doc.sampling).cls;
    return cls === 'learned' || (cls === 'bytes' && t.encoding?.decoded === false && t.shape.length >= 2);
  });
}

/** `k:seed` (schema 1 grid) or `k:seed:runs>N` (`secret-runs>N`): sign sketches only compare under equal sampling. */
export function samplingKey(doc: FingerprintDocument): string {
  const l = layoutOf(doc.sampling);
  const base = `${doc.sampling.k}:${doc.sampling.seed}`;
  return l.kind === 'grid' ? base : `${base}:${l.kind}>${l.runsAbove}`;
}

/** 64 sign bits of the first sampled values, as 16 hex digits; undefined when too few values. */
export function signSketch(t: TensorFingerprint): string | undefined {
  if (!t.sample || t.sample.rows * t.sample.cols < SKETCH_BITS) return undefined;
  const q = decodeQ(t.sample.q);
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 32; i++) {
    hi = (hi << 1) | (q[i]! > 0 ? 1 : 0);
    lo = (lo << 1) | (q[32 + i]! > 0 ? 1 : 0);
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Per component, largest first (name breaks ties), so the index samples every component. */
function perComponent(doc: FingerprintDocument, limit: number): TensorFingerprint[] {
  const isLearned = new Set(learned(doc).map(({ i }) => i));
  const out: TensorFingerprint[] = [];
  const groups = doc.components.length ? doc.components.map((c) => c.tensors) : [doc.tensors.map((_, i) => i)];
  for (const idx of groups) {
    const picked = idx
      .filter((i) => isLearned.has(i))
      .map((i) => doc.tensors[i]!)
      .sort((a, b) => numel(b.shape) - numel(a.shape) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, limit);
    out.push(...picked);
  }
  return out;
}

function digestsOf(tensors: TensorFingerprint[]): string[] {
  const out = new Set<string>();
  for (const t of tensors) {
    if (t.sha256) out.add(t.sha256.slice(0, PREFIX));
    if (t.valueDigest) out.add(t.valueDigest.slice(0, PREFIX));
  }
  return [...out].sort();
}

function sketchesOf(tensors: TensorFingerprint[]): string[] {
  const out = new Set<string>();
  for (const t of tensors) {
    const s = signSketch(t);
    if (s) out.add(`${exactShapeKey(t.shape)}:${s}`);
  }
  return [...out].sort();
}

function shapesOf(doc: FingerprintDocument): Record<string, number> {
  const byKey = new Map<string, number>();
  let total = 0;
  for (const t of structural(doc)) {
    const n = numel(t.shape);
    total += n;
    byKey.set(shapeKey(t.shape), (byKey.get(shapeKey(t.shape)) ?? 0) + n);
  }
  const out: Record<string, number> = {};
  for (const [k, n] of [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out[k] = Math.max(0.0001, Number((n / total).toFixed(4)));
  }
  return out;
}

/** Element counts of learned tensors: a reshaped (or flattened) copy keeps its count. */
export function elementKeys(tensors: ReadonlyArray<{ shape: readonly number[] }>): string[] {
  return [...new Set(tensors.map((t) => h(`numel:${numel(t.shape)}`)))].sort();
}

/** Every axis left out in turn (sorted rest): a tensor pruned or extended along one axis shares a key. */
export function subBlockKeys(tensors: ReadonlyArray<{ shape: readonly number[] }>): string[] {
  const out = new Set<string>();
  for (const t of tensors) {
    if (t.shape.length < 2) continue;
    for (let i = 0; i < t.shape.length; i++) {
      const rest = t.shape.filter((_, j) => j !== i).sort((a, b) => a - b);
      out.add(h(`sub:${t.shape.length}:${rest.join('x')}`));
    }
  }
  return [...out].sort();
}

function tokenizerKeys(doc: FingerprintDocument): ShortlistKeys['t'] {
  const sig = doc.tokenizer;
  if (!sig) return undefined;
  const bytes = Buffer.from(sig.tokens.hashes, 'base64');
  const mini = bytes.subarray(0, Math.min(bytes.length, MINI_TOKENS * 8)).toString('base64');
  return { v: sig.vocabDigest.slice(0, PREFIX), m: mini, n: sig.tokenCount, c: sig.convention };
}

function configKeys(doc: FingerprintDocument): ShortlistKeys['c'] {
  const c = doc.config;
  if (!c?.archDigest) return undefined;
  const sub = (c.subConfigs ?? []).map((s) => s.archDigest.slice(0, PREFIX));
  return {
    a: c.archDigest.slice(0, PREFIX),
    ...(c.modelType ? { mt: c.modelType } : {}),
    ...(sub.length ? { sub } : {}),
  };
}

/** The keys stored in the index for an entry (capped per component). */
export function entryKeys(doc: FingerprintDocument): ShortlistKeys {
  const keys: ShortlistKeys = {};
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
  const tensors = structural(doc);
  if (tensors.length) {
    keys.n = elementKeys(tensors);
    keys.b = subBlockKeys(tensors);
  }
  return keys;
}

/** The model under test: every learned tensor, uncapped, in lookup-friendly form. */
interface QueryKeys {
  shapes: Record<string, number>;
  digests: Set<string>;
  /** exact-shape hash → sign sketches of that shape. */
  sketches: Map<string, bigint[]>;
  sampling: string;
  tokenizer?: ShortlistKeys['t'];
  config?: ShortlistKeys['c'];
  elements: Set<string>;
  blocks: Set<string>;
}

/** Below this a 1-D or byte-only tensor of the model under test gives no element-count key. */
const MIN_OPAQUE_KEY_NUMEL = 1 << 14;
/** Widths (bytes per value) a byte-only tensor may hold: bitcast F32, F16/BF16, or 8-bit values. */
const BYTE_WIDTHS = [4, 2, 1];

/**
 * Element counts a model's 1-D and byte-only tensors could hold as matrices (a matrix flattened,
 * bitcast to an integer type or stored as U8 bytes), asked only of a model whose parameters are
 * mostly there: a real model's biases must not make a new architecture look reshaped.
 */
function opaqueCounts(doc: FingerprintDocument): Array<{ shape: number[] }> {
  const judged = doc.tensors.map((t) => classifyTensor(t, doc.sampling));
  const classes = judged.map((c) => c.cls);
  const share = opaqueShare(doc.tensors.map((t, i) => ({ ...judged[i]!, shape: t.shape })));
  if (share.share <= MAX_OPAQUE_SHARE) return [];
  const out: Array<{ shape: number[] }> = [];
  doc.tensors.forEach((t, i) => {
    // a flattened matrix, or one with a few values appended (FLAT_SLACK)
    // a matrix renamed into a fixed buffer keeps its element count
    if (classes[i] === 'fixed' && numel(t.shape) >= MIN_OPAQUE_KEY_NUMEL) out.push({ shape: [numel(t.shape)] });
    if (classes[i] === 'vector' && numel(t.shape) >= MIN_OPAQUE_KEY_NUMEL)
      for (let d = 0; d <= FLAT_SLACK; d++) out.push({ shape: [numel(t.shape) - d] });
    if (classes[i] === 'bytes' && t.bytes >= MIN_OPAQUE_KEY_NUMEL)
      for (const w of BYTE_WIDTHS) if (t.bytes % w === 0) out.push({ shape: [t.bytes / w] });
  });
  return out;
}

export function queryKeys(doc: FingerprintDocument): QueryKeys {
  const all = learned(doc).map(({ t }) => t);
  const sketches = new Map<string, bigint[]>();
  for (const t of all) {
    const s = signSketch(t);
    if (!s) continue;
    const k = exactShapeKey(t.shape);
    push(sketches, k, BigInt(`0x${s}`));
  }
  return {
    shapes: shapesOf(doc),
    // equal digests are exact evidence whatever the class: a flattened or bitcast copy keeps them
    digests: new Set(digestsOf(doc.tensors)),
    sketches,
    sampling: samplingKey(doc),
    tokenizer: tokenizerKeys(doc),
    config: configKeys(doc),
    elements: new Set(elementKeys([...structural(doc), ...opaqueCounts(doc)])),
    blocks: new Set(subBlockKeys(structural(doc))),
  };
}

/**
 * Whether a weights entry shares anything a comparison could align with the query: a tensor
 * shape, an element count or a sub-block. A model sharing none of these with every entry is a new
 * architecture (nothing registered it could derive from); one that shares them must be compared.
 */
export function sharesStructure(entry: RegistryEntry, q: QueryKeys): boolean {
  const k = entry.shortlist;
  if (entry.kind !== 'weights') return false;
  if (Object.keys(k.s ?? {}).some((key) => q.shapes[key] !== undefined)) return true;
  if ((k.d ?? []).some((d) => q.digests.has(d))) return true;
  return (k.n ?? []).some((x) => q.elements.has(x)) || (k.b ?? []).some((x) => q.blocks.has(x));
}

function popcount64(x: bigint): number {
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/**
 * Median over the entry's sketches of the best agreement with a same-shape query tensor, as a
 * z-score against chance (32 of 64 bits agree, sd 4). Best-of-many inflates it for large
 * groups of equal shapes, which is why it only ranks candidates and never decides.
 */
export function sketchZ(entrySketches: string[], q: QueryKeys): number | undefined {
  const zs: number[] = [];
  for (const s of entrySketches) {
    const [shape, bits] = s.split(':');
    const mine = q.sketches.get(shape!);
    if (!mine || !bits) continue;
    const e = BigInt(`0x${bits}`);
    let best = 0;
    for (const b of mine) best = Math.max(best, SKETCH_BITS - popcount64(e ^ b));
    zs.push((best - SKETCH_BITS / 2) / Math.sqrt(SKETCH_BITS / 4));
  }
  if (!zs.length) return undefined;
  zs.sort((a, b) => a - b);
  return zs[Math.floor(zs.length / 2)]!;
}

/** Jaccard from two bottom-k mini sketches (ascending u64, base64). */
export function miniJaccard(a: string, b: string): number {
  const read = (s: string) => {
    const buf = Buffer.from(s, 'base64');
    const out: bigint[] = [];
    for (let i = 0; i + 8 <= buf.length; i += 8) out.push(buf.readBigUInt64BE(i));
    return out;
  };
  const A = read(a);
  const B = read(b);
  const k = Math.min(A.length, B.length);
  if (k === 0) return 0;
  const setA = new Set(A);
  const setB = new Set(B);
  const union = [...new Set([...A, ...B])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).slice(0, k);
  return union.filter((x) => setA.has(x) && setB.has(x)).length / union.length;
}

const PREFIX_SPACE: TokenConvention[] = ['byte-level', 'metaspace', 'bytes', 'raw'];

function comparable(a: TokenConvention, b: TokenConvention): boolean {
  return a === b || (PREFIX_SPACE.includes(a) && PREFIX_SPACE.includes(b));
}

/** Why (if at all) an entry should be compared with the query, from the index keys alone. */
export function matchEntry(entry: RegistryEntry, q: QueryKeys): ShortlistCandidate | undefined {
  const k = entry.shortlist;
  const reasons: string[] = [];
  let score = 0;
  if (entry.kind === 'weights') {
    const hits = (k.d ?? []).filter((d) => q.digests.has(d)).length;
    if (hits) {
      reasons.push(`${plural(hits, 'shared tensor digest')}`);
      score += 1000 + hits;
    }
    let entryShare = 0;
    let queryShare = 0;
    for (const [key, share] of Object.entries(k.s ?? {})) {
      if (q.shapes[key] === undefined) continue;
      entryShare += share;
      queryShare += q.shapes[key]!;
    }
    const shapeShare = Math.max(entryShare, queryShare);
    // equal element counts or a common sub-block: a reshaped or pruned copy can only be told by comparing
    const elements = (k.n ?? []).filter((x) => q.elements.has(x)).length;
    const blocks = (k.b ?? []).filter((x) => q.blocks.has(x)).length;
    if (shapeShare < MIN_SHAPE_SHARE && (elements || blocks)) {
      reasons.push(
        `structure in common: ${elements} element count(s), ${blocks} sub-block(s) (reshaped or pruned tensors)`,
      );
      score += 0.001 * (elements + blocks);
    }
    const z = k.h && (entry.sampling === undefined || entry.sampling === q.sampling) ? sketchZ(k.h, q) : undefined;
    if (shapeShare >= MIN_SHAPE_SHARE) {
      reasons.push(
        `shapes in common: ${Math.round(100 * entryShare)} % of the entry's learned parameters, ` +
          `${Math.round(100 * queryShare)} % of the model's`,
      );
      score += shapeShare;
      if (z !== undefined) {
        reasons.push(`sign-sketch agreement z ${z.toFixed(1)}`);
        score += 10 * Math.max(0, z);
      }
    }
  }
  if (k.t && q.tokenizer && comparable(k.t.c, q.tokenizer.c)) {
    if (k.t.v === q.tokenizer.v) {
      reasons.push('identical vocabulary');
      score += entry.kind === 'tokenizer' ? 100 : 0;
    } else if (entry.kind === 'tokenizer') {
      const j = miniJaccard(k.t.m, q.tokenizer.m);
      if (j >= MIN_TOKEN_JACCARD) {
        reasons.push(`token overlap ≈ ${j.toFixed(2)}`);
        score += 10 * j;
      }
    }
  }
  if (k.c && q.config && entry.kind === 'config') {
    if (k.c.a === q.config.a) {
      reasons.push('same architecture config');
      score += 50;
    } else if (k.c.sub?.some((s) => q.config!.sub?.includes(s) || s === q.config!.a)) {
      reasons.push('same sub-config architecture');
      score += 40;
    } else if (k.c.mt && k.c.mt === q.config.mt) {
      reasons.push(`same model_type ${k.c.mt}`);
      score += 5;
    }
  }
  // a weights entry matched only through its side files is named by the tokenizer/config entries
  if (entry.kind === 'weights' && !reasons.some((r) => /digest|shapes|structure/.test(r))) return undefined;
  return reasons.length ? { entry, reasons, score } : undefined;
}
