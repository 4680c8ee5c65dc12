/**
 * Checks that parsed JSON is a fingerprint document this version can compare, in full: every
 * field the comparison reads has its type, shapes and ranks are bounded, indices point inside,
 * and every base64 payload holds exactly the values its dimensions say. A registry entry or a
 * fingerprint file is untrusted input; a crafted one must end in one line naming the field,
 * never in a hang or an internal error inside the comparison.
 */
import { InputError } from '../errors.js';
import { MAX_TENSORS } from '../formats/safetensors.js';
import { channelAxes } from './channels.js';
import { GRAM_UNITS } from './gram.js';
import { RUN_LAYOUT_NAMES } from './sample.js';
import { READABLE_SCHEMAS, type FingerprintDocument } from './types.js';

/** Dimensions a tensor may have (GGUF allows 4, real safetensors files stay under 8). */
export const MAX_RANK = 16;
/** Coordinate sample sizes a document may ask for (the default is 4,096). */
const MAX_SAMPLE_K = 1 << 20;
/** Values one sample payload may hold (an embedding's sampled rows in full included). */
const MAX_SAMPLE_VALUES = 1 << 26;

function isFingerprintLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { schema?: unknown }).schema === 'string' &&
    (value as { schema: string }).schema.startsWith('weightprint.fingerprint/')
  );
}

type Obj = Record<string, unknown>;

class Checker {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new InputError(this.source, `${path}: ${problem}`);
  }

  obj(v: unknown, path: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(path, `must be an object (got ${kindOf(v)})`);
    return v as Obj;
  }

  arr(v: unknown, path: string, max = Number.MAX_SAFE_INTEGER): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `must be an array (got ${kindOf(v)})`);
    if (v.length > max) this.fail(path, `has ${v.length} items, more than the ${max} allowed`);
    return v;
  }

  str(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, `must be a string (got ${kindOf(v)})`);
    return v;
  }

  bool(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, `must be true or false (got ${kindOf(v)})`);
    return v;
  }

  /** A finite number; `null` allowed where JSON turned a NaN into it. */
  num(v: unknown, path: string, opts: { nullable?: boolean } = {}): number | null {
    if (v === null && opts.nullable) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `must be a finite number (got ${kindOf(v)})`);
    return v;
  }

  int(v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
      this.fail(path, `must be an integer from ${min} to ${max} (got ${kindOf(v)})`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      this.fail(path, `must be one of ${values.join(', ')} (got ${kindOf(v)})`);
    return v as T;
  }

  hex(v: unknown, path: string, length?: number): string {
    const s = this.str(v, path);
    if (!/^[0-9a-f]+$/.test(s) || (length !== undefined && s.length !== length))
      this.fail(path, `must be ${length ?? 'some'} lowercase hex digits`);
    return s;
  }

  strings(v: unknown, path: string): string[] {
    return this.arr(v, path).map((x, i) => this.str(x, `${path}[${i}]`));
  }

  record(v: unknown, path: string, value: (x: unknown, p: string) => unknown): void {
    const o = this.obj(v, path);
    for (const [k, x] of Object.entries(o)) value(x, `${path}.${k}`);
  }

  optional<T>(o: Obj, key: string, path: string, check: (v: unknown, p: string) => T): T | undefined {
    return o[key] === undefined ? undefined : check(o[key], `${path}.${key}`);
  }

  /** base64 holding exactly `bytes` bytes (standard alphabet, padded or not). */
  base64(v: unknown, path: string, bytes: number): void {
    const s = this.str(v, path);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) this.fail(path, 'is not base64');
    const body = s.replace(/=+$/, '');
    const decoded = Math.floor((body.length * 3) / 4);
    if (body.length % 4 === 1 || decoded !== bytes)
      this.fail(path, `base64 of ${decoded} bytes where its dimensions need ${bytes}`);
  }
}

const SOURCE_KINDS = ['file', 'sharded', 'directory', 'hub', 'merged'] as const;
const COMPONENT_KINDS = ['vision', 'audio', 'projector', 'text', 'embeddings', 'head', 'other'] as const;
const TOKENIZER_TYPES = [
  'bpe',
  'unigram',
  'wordpiece',
  'wordlevel',
  'tiktoken',
  'sentencepiece-bpe',
  'sentencepiece-unigram',
  'pieces',
] as const;
const TOKENIZER_FORMATS = ['tokenizer.json', 'vocab.json', 'tiktoken', 'sentencepiece', 'pieces'] as const;
const CONVENTIONS = ['byte-level', 'metaspace', 'bytes', 'raw', 'end-of-word', 'wordpiece'] as const;
const ARCH_NUMBERS = [
  'hiddenSize',
  'layers',
  'heads',
  'kvHeads',
  'headDim',
  'intermediateSize',
  'vocabSize',
  'ropeTheta',
  'experts',
  'expertsPerToken',
  'sharedExperts',
  'moeIntermediateSize',
  'qLoraRank',
  'kvLoraRank',
  'patchSize',
  'imageSize',
  'outHiddenSize',
  'maxPositions',
] as const;

export function asFingerprint(value: unknown, source: string): FingerprintDocument {
  if (!isFingerprintLike(value))
    throw new InputError(source, 'not a weightprint fingerprint (no "schema": "weightprint.fingerprint/…")');
  const doc = value as Obj;
  if (!(READABLE_SCHEMAS as readonly unknown[]).includes(doc.schema)) {
    const schema = String(doc.schema).slice(0, 80);
    throw new InputError(
      source,
      `fingerprint schema ${schema} is not supported (this version reads ${READABLE_SCHEMAS.join(', ')})`,
    );
  }
  const c = new Checker(source);
  if (!Array.isArray(doc.tensors)) throw new InputError(source, 'fingerprint has no "tensors" array');
  if (!Array.isArray(doc.components)) throw new InputError(source, 'fingerprint has no "components" array');
  const sampling = doc.sampling as Obj | undefined;
  if (typeof sampling?.k !== 'number' || typeof sampling?.seed !== 'number')
    throw new InputError(source, 'fingerprint has no valid "sampling" {k, seed}');
  c.int(sampling.k, 'sampling.k', 1, MAX_SAMPLE_K);
  c.int(sampling.seed, 'sampling.seed', 0, 0xffffffff);
  c.optional(sampling, 'encoding', 'sampling', (v, p) => c.oneOf(v, p, ['int8']));
  // schema 1: the grid everywhere (no layout); schema 2: runs (or the challenge's secret runs) above `runsAbove`
  if (doc.schema === 'weightprint.fingerprint/1') {
    if (sampling.layout !== undefined) c.fail('sampling.layout', `is not part of ${doc.schema}`);
  } else {
    c.oneOf(sampling.layout, 'sampling.layout', RUN_LAYOUT_NAMES);
    c.optional(sampling, 'runsAbove', 'sampling', (v, p) => c.int(v, p));
  }

  const tool = c.obj(doc.tool, 'tool');
  c.str(tool.name, 'tool.name');
  c.str(tool.version, 'tool.version');
  checkSource(c, c.obj(doc.source, 'source'));
  c.oneOf(doc.mode, 'mode', ['full', 'sample']);
  const summary = c.obj(doc.summary, 'summary');
  c.int(summary.tensors, 'summary.tensors');
  c.num(summary.parameters, 'summary.parameters');
  c.record(summary.dtypes, 'summary.dtypes', (v, p) => c.num(v, p));

  const tensors = c.arr(doc.tensors, 'tensors', MAX_TENSORS);
  tensors.forEach((t, i) => {
    checkTensor(c, t, `tensors[${i}]`, source);
  });
  c.arr(doc.components, 'components', MAX_TENSORS).forEach((x, i) => {
    const at = `components[${i}]`;
    const comp = c.obj(x, at);
    c.str(comp.name, `${at}.name`);
    c.oneOf(comp.kind, `${at}.kind`, COMPONENT_KINDS);
    c.str(comp.prefix, `${at}.prefix`);
    c.num(comp.parameters, `${at}.parameters`);
    const refs = c.arr(comp.tensors, `${at}.tensors`, tensors.length);
    if (refs.some((j) => !Number.isInteger(j) || (j as number) < 0 || (j as number) >= tensors.length))
      throw new InputError(source, `components[${i}] refers to tensors that do not exist`);
  });
  if (doc.config !== undefined) checkConfig(c, c.obj(doc.config, 'config'));
  if (doc.tokenizer !== undefined) checkTokenizer(c, c.obj(doc.tokenizer, 'tokenizer'));
  if (doc.card !== undefined) checkCard(c, c.obj(doc.card, 'card'));
  if (doc.shards !== undefined) {
    const s = c.obj(doc.shards, 'shards');
    const count = c.int(s.count, 'shards.count', 1);
    c.int(s.index, 'shards.index', 1, count);
    c.strings(s.files, 'shards.files');
  }
  return value as FingerprintDocument;
}

function checkSource(c: Checker, s: Obj): void {
  c.str(s.id, 'source.id');
  c.oneOf(s.kind, 'source.kind', SOURCE_KINDS);
  c.optional(s, 'format', 'source', (v, p) => c.str(v, p));
  c.strings(s.files, 'source.files');
  c.int(s.totalBytes, 'source.totalBytes');
  c.int(s.bytesRead, 'source.bytesRead');
  c.optional(s, 'metadata', 'source', (v, p) => c.record(v, p, (x, q) => c.str(x, q)));
  c.optional(s, 'verified', 'source', (v, p) => c.str(v, p));
}

function checkTensor(c: Checker, x: unknown, at: string, source: string): void {
  const t = c.obj(x, at);
  if (typeof t.name !== 'string' || !Array.isArray(t.shape) || typeof t.dtype !== 'string')
    throw new InputError(source, `${at} lacks name, dtype or shape`);
  const shape = c.arr(t.shape, `${at}.shape`, MAX_RANK).map((d, k) => c.int(d, `${at}.shape[${k}]`));
  let numel = 1;
  for (const d of shape) {
    numel *= d;
    if (!Number.isSafeInteger(numel)) c.fail(`${at}.shape`, 'has too many elements');
  }
  c.int(t.bytes, `${at}.bytes`);
  c.optional(t, 'sha256', at, (v, p) => c.hex(v, p, 64));
  c.optional(t, 'valueDigest', at, (v, p) => c.hex(v, p, 64));
  c.optional(t, 'bytesOnly', at, (v, p) => c.bool(v, p));
  if (t.moments !== undefined) {
    const m = c.obj(t.moments, `${at}.moments`);
    for (const k of ['mean', 'std', 'meanAbs', 'min', 'max', 'l2'])
      c.num(m[k], `${at}.moments.${k}`, { nullable: true });
    c.int(m.nonFinite, `${at}.moments.nonFinite`);
    c.bool(m.exact, `${at}.moments.exact`);
  }
  if (t.traits !== undefined) {
    const tr = c.obj(t.traits, `${at}.traits`);
    c.optional(tr, 'distinct', `${at}.traits`, (v, p) => c.int(v, p));
    c.optional(tr, 'structured', `${at}.traits`, (v, p) => c.num(v, p, { nullable: true }));
  }
  if (t.encoding !== undefined) {
    const e = c.obj(t.encoding, `${at}.encoding`);
    c.str(e.format, `${at}.encoding.format`);
    c.str(e.scheme, `${at}.encoding.scheme`);
    c.bool(e.decoded, `${at}.encoding.decoded`);
    c.optional(e, 'reordered', `${at}.encoding`, (v, p) => c.str(v, p));
  }
  // R × C view of the tensor (fingerprint/sample.ts matrixView): samples index inside it
  const R = shape.length === 0 ? 1 : shape.length === 1 ? 1 : shape[0]!;
  const C = shape.length === 0 ? 1 : shape.length === 1 ? shape[0]! : numel / Math.max(R, 1);
  // head: the first values in flat order (one row of at most 256)
  const limits = {
    sample: [R, C],
    fullRows: [R, C],
    fullCols: [R, C],
    head: [1, Math.min(256, numel)],
    flatRun: [1, numel],
  } as const;
  for (const key of ['sample', 'fullRows', 'fullCols', 'head', 'flatRun'] as const) {
    if (t[key] === undefined) continue;
    const p = `${at}.${key}`;
    const s = c.obj(t[key], p);
    const [maxRows, maxCols] = limits[key];
    const rows = c.int(s.rows, `${p}.rows`, 0, Math.max(maxRows, 1));
    const cols = c.int(s.cols, `${p}.cols`, 0, Math.max(maxCols, 1));
    if (rows * cols > MAX_SAMPLE_VALUES)
      c.fail(p, `holds ${rows * cols} values, more than the ${MAX_SAMPLE_VALUES} allowed`);
    c.num(s.center, `${p}.center`);
    c.num(s.scale, `${p}.scale`);
    c.base64(s.q, `${p}.q`, rows * cols);
  }
  if (t.gram !== undefined) {
    // int8 upper triangle of the cosine Gram of min(32, axis) units (fingerprint/gram.ts)
    const g = c.obj(t.gram, `${at}.gram`);
    if (shape.length !== 2) c.fail(`${at}.gram`, 'is only defined for 2-D matrices');
    for (const [key, axis] of [
      ['rows', R],
      ['cols', C],
    ] as const) {
      const units = Math.min(GRAM_UNITS, axis);
      c.optional(g, key, `${at}.gram`, (v, p) => c.base64(v, p, (units * (units - 1)) / 2));
    }
  }
  if (t.channels !== undefined) {
    // int8 per-channel profiles of a small matrix or kernel (fingerprint/channels.ts)
    const ch = c.obj(t.channels, `${at}.channels`);
    const axes = channelAxes(shape);
    if (!axes || axes.layout !== ch.layout) c.fail(`${at}.channels.layout`, `does not fit shape [${shape.join(', ')}]`);
    else {
      const spatial = axes.spatial.reduce((p, a) => p * shape[a]!, 1);
      const width = spatial > 1 ? 1 + 2 * spatial : 2;
      if (ch.width !== width) c.fail(`${at}.channels.width`, `must be ${width} for this shape`);
      for (const [key, axis] of [
        ['out', axes.out],
        ['in', axes.in],
      ] as const) {
        c.optional(ch, key, `${at}.channels`, (v, p) => c.base64(v, p, shape[axis]! * width));
      }
    }
  }
}

function checkArch(c: Checker, o: Obj, at: string): void {
  c.optional(o, 'modelType', at, (v, p) => c.str(v, p));
  c.optional(o, 'modelTypeInherited', at, (v, p) => c.bool(v, p));
  c.optional(o, 'architectures', at, (v, p) => c.strings(v, p));
  c.optional(o, 'tieWordEmbeddings', at, (v, p) => c.bool(v, p));
  for (const k of ARCH_NUMBERS) c.optional(o, k, at, (v, p) => c.num(v, p));
}

function checkConfig(c: Checker, o: Obj): void {
  c.str(o.schema, 'config.schema');
  c.str(o.archDigest, 'config.archDigest');
  checkArch(c, o, 'config');
  c.arr(o.subConfigs, 'config.subConfigs', 1024).forEach((x, i) => {
    const at = `config.subConfigs[${i}]`;
    const s = c.obj(x, at);
    c.str(s.key, `${at}.key`);
    c.str(s.archDigest, `${at}.archDigest`);
    checkArch(c, s, at);
  });
}

function checkSketch(c: Checker, v: unknown, at: string): void {
  const s = c.obj(v, at);
  const k = c.int(s.k, `${at}.k`, 0, 1 << 20);
  c.int(s.n, `${at}.n`);
  const hashes = c.str(s.hashes, `${at}.hashes`);
  // 8-byte hashes and 4-byte values, the same count of each, at most k
  const count = Math.floor((hashes.replace(/=+$/, '').length * 3) / 4 / 8);
  if (count > k) c.fail(`${at}.hashes`, `holds ${count} hashes, more than k = ${k}`);
  c.base64(hashes, `${at}.hashes`, count * 8);
  c.base64(s.values, `${at}.values`, count * 4);
}

function checkTokenizer(c: Checker, o: Obj): void {
  c.str(o.schema, 'tokenizer.schema');
  c.oneOf(o.type, 'tokenizer.type', TOKENIZER_TYPES);
  c.oneOf(o.format, 'tokenizer.format', TOKENIZER_FORMATS);
  c.oneOf(o.convention, 'tokenizer.convention', CONVENTIONS);
  c.int(o.vocabSize, 'tokenizer.vocabSize');
  c.int(o.tokenCount, 'tokenizer.tokenCount');
  c.str(o.vocabDigest, 'tokenizer.vocabDigest');
  const special = c.obj(o.special, 'tokenizer.special');
  c.int(special.count, 'tokenizer.special.count');
  c.str(special.digest, 'tokenizer.special.digest');
  c.arr(special.tokens, 'tokenizer.special.tokens').forEach((x, i) => {
    const at = `tokenizer.special.tokens[${i}]`;
    const t = c.obj(x, at);
    c.optional(t, 'id', at, (v, p) => c.int(v, p));
    c.str(t.content, `${at}.content`);
    c.bool(t.special, `${at}.special`);
  });
  checkSketch(c, o.tokens, 'tokenizer.tokens');
  if (o.ranks !== undefined) {
    const r = c.obj(o.ranks, 'tokenizer.ranks');
    c.oneOf(r.kind, 'tokenizer.ranks.kind', ['merge', 'piece-score']);
    c.oneOf(r.source, 'tokenizer.ranks.source', ['explicit', 'derived-from-ranks', 'derived-from-scores']);
    c.int(r.count, 'tokenizer.ranks.count');
    c.str(r.digest, 'tokenizer.ranks.digest');
    checkSketch(c, r.sketch, 'tokenizer.ranks.sketch');
  }
  c.strings(o.notes, 'tokenizer.notes');
}

function checkCard(c: Checker, o: Obj): void {
  c.strings(o.baseModel, 'card.baseModel');
  c.strings(o.tags, 'card.tags');
  c.bool(o.hasFrontMatter, 'card.hasFrontMatter');
  for (const k of ['baseModelRelation', 'license', 'licenseName', 'libraryName'])
    c.optional(o, k, 'card', (v, p) => c.str(v, p));
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string')
    return `a string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`.replace(
      /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
      '\uFFFD',
    );
  return `${typeof v} ${String(v)}`;
}
