/**
 * A GGUF model as one ModelSource: a single file or llama.cpp's split files
 * (`name-00001-of-00003.gguf`, metadata in the first), tensors in split order. q/k projections
 * of architectures whose converter stores them in rotary order are read back in HF order; config
 * and tokenizer come from the file's own metadata.
 */
import { GGMLFileQuantizationType, GGUF_QUANT_ORDER, parseGGUFQuantLabel } from '@huggingface/gguf';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../../errors.js';
import { MAX_TENSORS } from '../safetensors.js';
import type { ByteSource, ModelSource, TensorEntry } from '../types.js';
import { type GgufHeader, type GgufTensorInfo, type GgufValue, readGgufHeader, tensorEntry } from './reader.js';
import { ggufArchitecture, ggufConfigJson, ggufTokenizerFiles } from './side-files.js';

/** llama.cpp split files: `<prefix>-00001-of-00003.gguf`. */
export const GGUF_SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

/**
 * Architectures whose convert_hf_to_gguf.py class applies LlamaModel.permute to q_proj/k_proj
 * (rotary "normal" mode): their GGUF q/k rows are HF's permuted per head.
 */
const ROTARY_ARCHS = new Set([
  'llama',
  'llama4',
  'deci',
  'baichuan',
  'granite',
  'granitemoe',
  'minicpm',
  'xverse',
  'arctic',
  'bitnet',
  'smollm3',
  'arcee',
]);

interface OpenedGguf {
  source: ByteSource;
  header: GgufHeader;
}

/** The files of a split set, given any one of them; a single file otherwise. */
export async function ggufFileSet(path: string): Promise<string[]> {
  const m = GGUF_SPLIT.exec(basename(path));
  if (!m) return [path];
  const count = Number(m[3]);
  if (count < 1) throw new InputError(path, 'split file name says "of 00000"');
  const files = Array.from({ length: count }, (_, i) =>
    join(dirname(path), `${m[1]}-${String(i + 1).padStart(5, '0')}-of-${m[3]}.gguf`),
  );
  for (const f of files) {
    const st = await stat(f).catch(() => undefined);
    if (!st?.isFile()) throw new InputError(path, `split file ${basename(f)} of this set does not exist`);
  }
  return files;
}

/** Checks split metadata against the set, then builds the model from the opened files. */
export function assembleGguf(
  id: string,
  kind: ModelSource['kind'],
  opened: OpenedGguf[],
  sideFile: (name: string) => Promise<Uint8Array | undefined>,
  close: () => Promise<void>,
): ModelSource {
  const first = opened[0]!;
  const metadata = first.header.metadata;
  if (opened.length > 1) checkSplits(opened);
  const total = opened.reduce((n, o) => n + o.header.tensors.length, 0);
  if (total > MAX_TENSORS) {
    const limit = MAX_TENSORS.toLocaleString('en-US');
    throw new InputError(id, `${total} tensors in ${opened.length} files, more than the ${limit} a model may have`);
  }
  const names = new Set<string>();
  const tensors: TensorEntry[] = [];
  const rotary = rotaryHeads(metadata);
  for (const { source, header } of opened) {
    for (const t of header.tensors) {
      if (names.has(t.name))
        throw new InputError(source.id, `tensor ${JSON.stringify(t.name)} is also in another split file`);
      names.add(t.name);
      tensors.push(tensorEntry(source, t, rotary(t)));
    }
  }
  const config = ggufConfigJson(metadata, [...names]);
  const tokenizer = ggufTokenizerFiles(metadata);
  const fromMetadata = (name: string): Uint8Array | undefined | null => {
    if (name === 'config.json') return config === undefined ? undefined : Buffer.from(config);
    if (name === 'tokenizer.json')
      return tokenizer['tokenizer.json'] ? Buffer.from(tokenizer['tokenizer.json']) : undefined;
    if (name === 'tokenizer.model') return tokenizer['tokenizer.model'];
    // the GGUF's own tokenizer is authoritative: no other tokenizer file is mixed in
    if (/^(tokenizer_config\.json|vocab\.json|merges\.txt|special_tokens_map\.json)$/.test(name)) return undefined;
    return null;
  };
  const readBytes = async (name: string) => {
    const own = fromMetadata(name);
    return own === null ? sideFile(name) : own;
  };
  return {
    id,
    kind,
    format: 'gguf',
    tensors,
    metadata: stringMetadata(first.header),
    files: opened.map((o) => o.source.id),
    totalBytes: opened.reduce((n, o) => n + o.source.size, 0),
    readBytes,
    readText: async (name) => {
      const bytes = await readBytes(name);
      return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
    },
    close,
  };
}

/** One model from several GGUF models (a language model and its mmproj): names must not repeat. */
export function mergeGgufModels(models: ModelSource[]): ModelSource {
  const [first, ...rest] = models as [ModelSource, ...ModelSource[]];
  if (rest.length === 0) return first;
  const names = new Set(first.tensors.map((t) => t.name));
  for (const m of rest) {
    for (const t of m.tensors) {
      if (names.has(t.name))
        throw new InputError(t.file.id, `tensor ${JSON.stringify(t.name)} is also in ${first.files[0]}`);
      names.add(t.name);
    }
  }
  return {
    ...first,
    tensors: models.flatMap((m) => m.tensors),
    files: models.flatMap((m) => m.files),
    totalBytes: models.reduce((n, m) => n + m.totalBytes, 0),
  };
}

/** Names of a split set's files given any one of them (the name alone); the name itself otherwise. */
export function splitSetNames(name: string): string[] {
  const m = GGUF_SPLIT.exec(basename(name));
  if (!m) return [name];
  const dir = name.slice(0, name.length - basename(name).length);
  return Array.from(
    { length: Number(m[3]) },
    (_, i) => `${dir}${m[1]}-${String(i + 1).padStart(5, '0')}-of-${m[3]}.gguf`,
  );
}

/** Opens headers of every file of the set; closes what was opened when one fails. */
export async function openGgufSources(sources: ByteSource[]): Promise<OpenedGguf[]> {
  const opened: OpenedGguf[] = [];
  try {
    for (const source of sources) opened.push({ source, header: await readGgufHeader(source) });
    return opened;
  } catch (err) {
    await Promise.allSettled(sources.map((s) => s.close()));
    throw err;
  }
}

function checkSplits(opened: OpenedGguf[]): void {
  opened.forEach(({ source, header }, i) => {
    const count = numeric(header.metadata['split.count']);
    const no = numeric(header.metadata['split.no']);
    if (count !== undefined && count !== opened.length) {
      throw new InputError(source.id, `split.count is ${count} but the set has ${opened.length} files`);
    }
    if (no !== undefined && no !== i) throw new InputError(source.id, `split.no is ${no}, expected ${i}`);
  });
}

function numeric(v: GgufValue | undefined): number | undefined {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined;
}

/** Heads to undo llama.cpp's rotary row order for, per tensor (undefined: stored as HF has it). */
function rotaryHeads(metadata: Record<string, GgufValue>): (t: GgufTensorInfo) => number | undefined {
  const arch = ggufArchitecture(metadata);
  if (!arch || !ROTARY_ARCHS.has(arch)) return () => undefined;
  const perLayer = (v: GgufValue | undefined, layer: number): number | undefined => {
    if (Array.isArray(v)) return numeric(v[layer] as GgufValue);
    return numeric(v);
  };
  return (t) => {
    const m = /^blk\.(\d+)\.attn_([qk])\.(weight|bias)$/.exec(t.name);
    if (!m) return undefined;
    const layer = Number(m[1]);
    const heads = perLayer(metadata[`${arch}.attention.head_count`], layer);
    const kv = perLayer(metadata[`${arch}.attention.head_count_kv`], layer) ?? heads;
    const n = m[2] === 'q' ? heads : kv;
    return n && n > 0 ? n : undefined;
  };
}

/** Short string-valued metadata for the document (general.*), never the tokenizer arrays. */
function stringMetadata(header: GgufHeader): Record<string, string> {
  const out: Record<string, string> = { 'gguf.version': String(header.version) };
  for (const [k, v] of Object.entries(header.metadata)) {
    if (!k.startsWith('general.')) continue;
    if (typeof v === 'string' && v.length <= 200) out[k] = v;
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Choosing files: a split set stands for one model; `mmproj` files hold a vision tower.

const RANK = new Map(GGUF_QUANT_ORDER.map((q, i) => [q, i]));

/** Precision rank of a GGUF file from its name (lower = more precise); unknown labels last. */
export function precisionRank(name: string): number {
  const label = parseGGUFQuantLabel(name);
  const q = label === undefined ? undefined : GGMLFileQuantizationType[label as keyof typeof GGMLFileQuantizationType];
  return q === undefined ? RANK.size : (RANK.get(q) ?? RANK.size);
}

function isProjectorFile(name: string): boolean {
  return /(^|[/_-])mmproj/i.test(basename(name));
}

/**
 * The files that make the default model of a set of GGUF names: the most precise language-model
 * file (its whole split set), plus the most precise mmproj file when there is one.
 * `why` says what was chosen when there was a choice.
 */
export function pickGgufFiles(names: readonly string[]): { files: string[]; why?: string } {
  const ggufs = names.filter((n) => /\.gguf$/i.test(n));
  const firstOfSet = (n: string) => {
    const m = GGUF_SPLIT.exec(basename(n));
    return !m || Number(m[2]) === 1;
  };
  const byRank = (a: string, b: string) => precisionRank(a) - precisionRank(b) || (a < b ? -1 : a > b ? 1 : 0);
  const models = ggufs.filter((n) => !isProjectorFile(n) && firstOfSet(n)).sort(byRank);
  const projectors = ggufs.filter((n) => isProjectorFile(n) && firstOfSet(n)).sort(byRank);
  const main = models[0] ?? projectors.shift();
  if (!main) return { files: [] };
  const files = [main, ...(models.length > 0 && projectors[0] ? [projectors[0]] : [])];
  const why =
    models.length > 1
      ? `${models.length} GGUF files; chose the most precise, ${basename(main)}` +
        (files[1] ? ` (with ${basename(files[1])})` : '')
      : undefined;
  return { files, ...(why ? { why } : {}) };
}
