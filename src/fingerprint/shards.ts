/**
 * Scale-out for models too large for one machine: `--shards i/n` fingerprints a deterministic,
 * contiguous, size-balanced subset of the shard files, and mergeFingerprints joins the parts
 * into the document a single run would have produced (equal except source.bytesRead, which is
 * the parts' sum). Parts keep the whole model's file list, size and metadata, so nothing in the
 * merged document depends on how the work was split.
 */
import { InputError } from '../errors.js';
import { type OpenOptions, openModel } from '../formats/model.js';
import { fileOf, type ByteSource, type ModelSource } from '../formats/types.js';
import { groupComponents } from './components.js';
import { fingerprintModel, summarise, type FingerprintOptions } from './model.js';
import type { FingerprintDocument } from './types.js';
import { plural } from '../util/words.js';

interface ShardSpec {
  /** 1-based: `--shards 1/4` … `4/4` (what a CI matrix counts). */
  index: number;
  count: number;
}

export function parseShardSpec(text: string, where = '--shards'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 100_000) {
    throw new InputError(where, `expected i/n with 1 ≤ i ≤ n (e.g. 2/8), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/**
 * Contiguous runs of files with about equal bytes: contiguous so the merge is a concatenation in
 * file order, balanced so matrix jobs finish together. Each part gets at least one file.
 */
export function planShards(sizes: number[], count: number): number[][] {
  if (count > sizes.length)
    throw new InputError(
      '--shards',
      `the model has ${plural(sizes.length, 'shard file')}: it cannot be split into ${count} parts`,
    );
  const parts: number[][] = [];
  let next = 0;
  let remaining = sizes.reduce((a, b) => a + b, 0);
  for (let p = 0; p < count; p++) {
    const partsLeft = count - p;
    const target = remaining / partsLeft;
    const part: number[] = [];
    let bytes = 0;
    while (next < sizes.length) {
      const mustLeave = sizes.length - next - 1 < partsLeft - 1; // later parts need a file each
      if (part.length > 0 && mustLeave) break;
      if (part.length > 0 && p < count - 1) {
        const s = sizes[next]!;
        // stop when taking the file lands further from the target than stopping here
        if (Math.abs(bytes + s - target) > Math.abs(bytes - target)) break;
      }
      bytes += sizes[next]!;
      part.push(next++);
    }
    remaining -= bytes;
    parts.push(part);
  }
  return parts;
}

/** The shard files (ByteSources that hold tensors, in model order) with their names in `source.files`. */
function shardFiles(source: ModelSource): Array<{ file: ByteSource; name: string }> {
  const seen = new Set<ByteSource>();
  for (const t of source.tensors) seen.add(fileOf(t.file));
  return [...seen].map((file) => {
    const name = source.files.find((f) => f === file.id || file.id.endsWith(`/${f}`)) ?? file.id;
    return { file, name };
  });
}

/** A view of `source` holding only the tensors of part `spec`; everything else is the whole model's. */
function selectShards(source: ModelSource, spec: ShardSpec): { view: ModelSource; files: string[] } {
  const files = shardFiles(source);
  const plan = planShards(
    files.map((f) => f.file.size),
    spec.count,
  );
  const mine = plan[spec.index - 1]!.map((i) => files[i]!);
  const keep = new Set(mine.map((f) => f.file));
  return {
    view: { ...source, tensors: source.tensors.filter((t) => keep.has(fileOf(t.file))) },
    files: mine.map((f) => f.name),
  };
}

/** Fingerprints one part of an open model; the document records which part it is. */
export async function fingerprintShards(
  source: ModelSource,
  spec: ShardSpec,
  options: FingerprintOptions = {},
): Promise<FingerprintDocument> {
  const { view, files } = selectShards(source, spec);
  const doc = await fingerprintModel(view, options);
  doc.shards = { index: spec.index, count: spec.count, files };
  return doc;
}

/** `weightprint fingerprint <model> --shards i/n`: open, fingerprint the part, close. */
export async function loadShardFingerprint(
  modelSpec: string,
  spec: ShardSpec,
  options: FingerprintOptions & Pick<OpenOptions, 'hub'> = {},
): Promise<FingerprintDocument> {
  const model = await openModel(modelSpec, { hub: options.hub });
  try {
    const mode = options.mode ?? (model.kind === 'hub' ? 'sample' : 'full');
    return await fingerprintShards(model, spec, { ...options, mode });
  } finally {
    await model.close();
  }
}

/** Joins parts 1..n of one model into the single-run document. */
/** `names` label the parts in messages (their file paths, from the CLI). */
export function mergeFingerprints(
  parts: FingerprintDocument[],
  names: string[] = parts.map((_, i) => `part ${i + 1}`),
): FingerprintDocument {
  if (parts.length === 0) throw new InputError('merge', 'no parts given');
  const fail = (i: number, problem: string) => new InputError(names[i] ?? `part ${i + 1}`, problem);
  parts.forEach((p, i) => {
    if (!p.shards) throw fail(i, 'not a partial fingerprint (made without --shards)');
  });
  const first = parts[0]!;
  const count = first.shards!.count;
  const same = (i: number, what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw fail(i, `${what} differs from ${names[0] ?? 'part 1'}: parts of different models or runs cannot be merged`);
  };
  parts.forEach((p, i) => {
    same(i, 'shard count', p.shards!.count, count);
    same(i, 'model id', p.source.id, first.source.id);
    same(i, 'file list', p.source.files, first.source.files);
    same(i, 'model size', p.source.totalBytes, first.source.totalBytes);
    same(i, 'metadata', p.source.metadata, first.source.metadata);
    same(i, 'format', p.source.format, first.source.format);
    same(i, 'schema', p.schema, first.schema);
    same(i, 'tool version', p.tool, first.tool);
    same(i, 'mode', p.mode, first.mode);
    same(i, 'sampling', p.sampling, first.sampling);
    same(i, 'config signature', p.config, first.config);
    same(i, 'tokenizer signature', p.tokenizer, first.tokenizer);
    same(i, 'model card', p.card, first.card);
  });
  const byIndex = new Map<number, number>();
  parts.forEach((p, i) => {
    const prev = byIndex.get(p.shards!.index);
    if (prev !== undefined)
      throw fail(i, `part ${p.shards!.index}/${count} is given twice (also ${names[prev] ?? `part ${prev + 1}`})`);
    byIndex.set(p.shards!.index, i);
  });
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length)
    throw new InputError(
      'merge',
      `missing ${missing.length === 1 ? 'part' : 'parts'} ` +
        `${missing.map((k) => `${k}/${count}`).join(', ')} of ${first.source.id}`,
    );

  // parts are contiguous runs of files: in part order they concatenate to file order
  const ordered = Array.from({ length: count }, (_, k) => parts[byIndex.get(k + 1)!]!);
  const covered = ordered.flatMap((p) => p.shards!.files);
  const expected = first.source.files.filter((f) => covered.includes(f));
  if (new Set(covered).size !== covered.length || JSON.stringify(covered) !== JSON.stringify(expected)) {
    throw new InputError(
      'merge',
      `the parts' files do not split ${first.source.id} into contiguous runs (${covered.join(', ')})`,
    );
  }
  const tensors = ordered.flatMap((p) => p.tensors);
  const seen = new Set<string>();
  for (const t of tensors) {
    if (seen.has(t.name)) throw new InputError('merge', `tensor ${JSON.stringify(t.name)} appears in two parts`);
    seen.add(t.name);
  }
  // same key order as fingerprintModel, so the JSON matches a single run too
  const { metadata, format, note } = first.source;
  const doc: FingerprintDocument = {
    schema: first.schema,
    tool: first.tool,
    source: {
      id: first.source.id,
      kind: first.source.kind,
      ...(format ? { format } : {}),
      files: first.source.files,
      totalBytes: first.source.totalBytes,
      bytesRead: parts.reduce((n, p) => n + p.source.bytesRead, 0),
      ...(metadata ? { metadata } : {}),
      ...(note ? { note } : {}),
    },
    mode: first.mode,
    sampling: first.sampling,
    summary: summarise(tensors),
    tensors,
    components: groupComponents(tensors),
  };
  if (first.config) doc.config = first.config;
  if (first.tokenizer) doc.tokenizer = first.tokenizer;
  if (first.card) doc.card = first.card;
  return doc;
}
