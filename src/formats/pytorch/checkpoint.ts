/**
 * PyTorch checkpoints (`torch.save` since 1.6: a zip of `<archive>/data.pkl`, `<archive>/data/<key>`
 * storages, `byteorder`, `version`): tensors as byte ranges of the file, read through the
 * ByteSource, never loaded by torch and never unpickled by Python. A contiguous tensor is one
 * range of its storage record; tied weights share a storage and so a range; a non-contiguous
 * view is gathered (view.ts). Big-endian and legacy (pre-1.6) files are refused with a message.
 */
import { inflateRawSync } from 'node:zlib';
import { InputError } from '../../errors.js';
import { describeLfsPointer, isLfsPointer, LFS_POINTER_MAX_BYTES } from '../lfs.js';
import type { ByteSource, DType, TensorEntry } from '../types.js';
import {
  isTensor,
  MAX_PICKLE_BYTES,
  PyDict,
  PyList,
  PyTuple,
  readTorchPickle,
  type PyValue,
  type StorageRef,
  type TensorRef,
} from './pickle.js';
import { isContiguous, lastElement, StridedView } from './view.js';
import {
  crc32,
  looksLikeZip,
  METHOD_DEFLATE,
  METHOD_STORED,
  q,
  readZipDirectory,
  recordDataOffset,
  type ZipDirectory,
  type ZipEntry,
} from './zip.js';

interface PyTorchCheckpoint {
  /** In state-dict order. */
  tensors: TensorEntry[];
  /** What was read: the archive name, the state-dict key used when the file wraps one. */
  metadata: Record<string, string>;
}

/** dtype → our dtype, bytes per element, and how many of our elements one torch element is. */
const DTYPES: Record<string, { dtype: DType; size: number; lanes?: number }> = {
  float64: { dtype: 'F64', size: 8 },
  float32: { dtype: 'F32', size: 4 },
  float16: { dtype: 'F16', size: 2 },
  bfloat16: { dtype: 'BF16', size: 2 },
  int64: { dtype: 'I64', size: 8 },
  int32: { dtype: 'I32', size: 4 },
  int16: { dtype: 'I16', size: 2 },
  int8: { dtype: 'I8', size: 1 },
  uint8: { dtype: 'U8', size: 1 },
  bool: { dtype: 'BOOL', size: 1 },
  uint16: { dtype: 'U16', size: 2 },
  uint32: { dtype: 'U32', size: 4 },
  uint64: { dtype: 'U64', size: 8 },
  float8_e4m3fn: { dtype: 'F8_E4M3', size: 1 },
  float8_e5m2: { dtype: 'F8_E5M2', size: 1 },
  float8_e4m3fnuz: { dtype: 'F8_E4M3FNUZ', size: 1 },
  float8_e5m2fnuz: { dtype: 'F8_E5M2FNUZ', size: 1 },
  float8_e8m0fnu: { dtype: 'F8_E8M0', size: 1 },
  // complex: (real, imaginary) pairs, read as a trailing axis of 2
  complex64: { dtype: 'F32', size: 8, lanes: 2 },
  complex128: { dtype: 'F64', size: 16, lanes: 2 },
};

/** Keys under which training checkpoints keep the model's state dict. */
const STATE_DICT_KEYS = ['state_dict', 'model_state_dict', 'model', 'module', 'net', 'network', 'params'];
const MAX_NESTING = 32;

const LEGACY_HINT =
  're-save it with torch.save(obj, path, _use_new_zipfile_serialization=True) or convert it to safetensors';

export async function readPyTorchCheckpoint(src: ByteSource): Promise<PyTorchCheckpoint> {
  const fail = (problem: string) => new InputError(src.id, problem);
  const head = await src.read(0, Math.min(src.size, 512));
  if (!looksLikeZip(head)) throw await notZip(src, head);
  const dir = await readZipDirectory(src);
  const first = dir.entries.reduce((a, b) => (b.localHeaderOffset < a.localHeaderOffset ? b : a));
  const slash = first.name.indexOf('/');
  if (slash <= 0)
    throw fail(`zip record ${q(first.name)} is not inside an archive folder: not a torch.save checkpoint`);
  const archive = first.name.slice(0, slash);
  const record = (name: string) => dir.byName.get(`${archive}/${name}`);

  const pkl = record('data.pkl');
  if (!pkl) {
    if (record('constants.pkl') || dir.entries.some((e) => e.name.startsWith(`${archive}/code/`))) {
      throw fail('is a TorchScript archive (torch.jit.save), not a torch.save checkpoint: save the state_dict instead');
    }
    throw fail(`zip archive has no ${archive}/data.pkl: not a torch.save checkpoint`);
  }
  await checkByteOrder(src, record('byteorder'));
  const pickleSource = `${src.id}: ${pkl.name}`;
  const bytes = await readSmallRecord(src, pkl, MAX_PICKLE_BYTES);
  const { value } = readTorchPickle(bytes, pickleSource);
  const { root, key } = stateDictRoot(value);
  const named = collectTensors(root, pickleSource);
  if (named.length === 0) throw fail(`${pkl.name} holds no tensors`);

  const storageOffsets = await locateStorages(src, dir, archive, named);
  const tensors = named.map(([name, t]) => toEntry(src, name, t, storageOffsets.get(t.storage.key)!));
  const metadata: Record<string, string> = { format: 'pytorch', 'pytorch.archive': archive };
  if (key !== undefined) metadata['pytorch.state_dict'] = key;
  return { tensors, metadata };
}

/** Says what the file is when it is not a zip: a legacy checkpoint, an LFS pointer, another format. */
async function notZip(src: ByteSource, head: Uint8Array): Promise<InputError> {
  const fail = (problem: string) => new InputError(src.id, problem);
  const text = new TextDecoder().decode(head.subarray(0, 8));
  if (text === 'version ') {
    const pointer = await src.read(0, Math.min(src.size, LFS_POINTER_MAX_BYTES));
    if (isLfsPointer(pointer)) return fail(describeLfsPointer(new TextDecoder().decode(pointer), src.id));
  }
  // torch.save before 1.6 (or _use_new_zipfile_serialization=False): pickles of a magic number, then raw storages
  if (head[0] === 0x80 && head[1] === 0x02 && head[2] === 0x8a) {
    return fail(`is a legacy PyTorch checkpoint (pre-1.6 pickle format, not a zip archive): ${LEGACY_HINT}`);
  }
  if (head.length >= 262 && new TextDecoder().decode(head.subarray(257, 262)) === 'ustar') {
    return fail(`is a legacy PyTorch checkpoint (tar format from PyTorch 0.x): ${LEGACY_HINT}`);
  }
  if (text.startsWith('GGUF')) return fail('is a GGUF file, not a PyTorch checkpoint');
  if (head.length >= 9 && head[8] === 0x7b) return fail('looks like safetensors, not a PyTorch checkpoint: rename it');
  return fail('not a PyTorch checkpoint: no zip signature (torch.save writes a zip archive)');
}

async function checkByteOrder(src: ByteSource, e: ZipEntry | undefined): Promise<void> {
  if (!e) return; // absent in files from torch < 2.1: little-endian, as torch.load assumes
  const text = new TextDecoder().decode(await readSmallRecord(src, e, 16));
  if (text === 'little') return;
  if (text === 'big') {
    throw new InputError(
      src.id,
      'is a big-endian checkpoint (byteorder "big"): ' +
        're-save it on a little-endian machine or convert it to safetensors',
    );
  }
  throw new InputError(src.id, `byteorder record says ${q(text)}, expected "little"`);
}

/** A small record's bytes (data.pkl, byteorder): stored or deflated, bounded, CRC-checked. */
async function readSmallRecord(src: ByteSource, e: ZipEntry, cap: number): Promise<Uint8Array> {
  const fail = (problem: string) => new InputError(src.id, `${e.name}: ${problem}`);
  if (e.size > cap) throw fail(`is ${e.size} bytes, more than the ${cap} read`);
  if (e.compressedSize > cap) throw fail(`is ${e.compressedSize} bytes compressed, more than the ${cap} read`);
  const at = await recordDataOffset(src, e);
  const raw = await src.read(at, e.compressedSize);
  let bytes: Uint8Array;
  if (e.method === METHOD_STORED) {
    if (e.compressedSize !== e.size) throw fail(`stored record declares ${e.size} bytes but holds ${e.compressedSize}`);
    bytes = raw;
  } else if (e.method === METHOD_DEFLATE) {
    try {
      bytes = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw fail(
        code === 'ERR_BUFFER_TOO_LARGE'
          ? `inflates past its declared ${e.size} bytes (zip bomb?)`
          : 'deflate data is corrupt',
      );
    }
    if (bytes.length !== e.size) throw fail(`inflates to ${bytes.length} bytes, declared ${e.size}`);
  } else {
    throw fail(`compression method ${e.method} is not supported`);
  }
  if (crc32(bytes) !== e.crc32) throw fail('CRC-32 does not match the zip directory: corrupt record');
  return bytes;
}

/** A training checkpoint that wraps the state dict under a known key: use only that. */
function stateDictRoot(value: PyValue): { root: PyValue; key?: string } {
  if (!(value instanceof PyDict)) return { root: value };
  if (value.entries.some(([, v]) => isTensor(v))) return { root: value };
  for (const key of STATE_DICT_KEYS) {
    const hit = value.entries.find(([k, v]) => k === key && v instanceof PyDict);
    if (hit && (hit[1] as PyDict).entries.some(([, v]) => isTensor(v) || v instanceof PyDict)) {
      return { root: hit[1], key };
    }
  }
  return { root: value };
}

/** (name, tensor) for every tensor reachable from `root`, names joined with dots. */
function collectTensors(root: PyValue, source: string): Array<[string, TensorRef]> {
  const out: Array<[string, TensorRef]> = [];
  const names = new Set<string>();
  const seen = new Set<object>();
  const stack: Array<{ v: PyValue; name: string; depth: number }> = [{ v: root, name: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, name, depth } = stack.pop()!;
    if (isTensor(v)) {
      const n = name === '' ? 'tensor' : name;
      if (names.has(n)) throw new InputError(source, `tensor name ${q(n)} occurs twice`);
      names.add(n);
      out.push([n, v]);
      continue;
    }
    let children: Array<[string, PyValue]>;
    if (v instanceof PyDict) children = v.entries.map(([k, x]) => [String(k), x]);
    else if (v instanceof PyList || v instanceof PyTuple) children = v.items.map((x, i) => [String(i), x]);
    else continue;
    // a container reached twice (a shared reference or a cycle) is walked once
    if (seen.has(v)) continue;
    seen.add(v);
    if (depth >= MAX_NESTING) throw new InputError(source, `containers nested deeper than ${MAX_NESTING} levels`);
    for (let i = children.length - 1; i >= 0; i--) {
      const [k, x] = children[i]!;
      stack.push({ v: x, name: name === '' ? k : `${name}.${k}`, depth: depth + 1 });
    }
  }
  return out;
}

/** Data offset of every storage record the tensors use, checked against the pickle's sizes. */
async function locateStorages(
  src: ByteSource,
  dir: ZipDirectory,
  archive: string,
  named: Array<[string, TensorRef]>,
): Promise<Map<string, number>> {
  const storages = new Map<string, StorageRef>();
  for (const [, t] of named) storages.set(t.storage.key, t.storage);
  const found = await Promise.all(
    [...storages.values()].map(async (s) => {
      const name = `${archive}/data/${s.key}`;
      const e = dir.byName.get(name);
      if (!e) throw new InputError(src.id, `storage record ${q(name)} named in data.pkl is not in the archive`);
      if (e.method !== METHOD_STORED) {
        throw new InputError(
          src.id,
          `storage record ${q(name)} is compressed (method ${e.method}); ` +
            'torch.save stores storages uncompressed: re-save it with torch.save',
        );
      }
      const bytes = s.numel * elementSize(s.dtype);
      if (e.size !== bytes || e.compressedSize !== bytes) {
        throw new InputError(
          src.id,
          `storage record ${q(name)} holds ${e.size} bytes ` +
            `but data.pkl declares ${s.numel} × ${s.dtype} (${bytes} bytes)`,
        );
      }
      return [s.key, await recordDataOffset(src, e)] as const;
    }),
  );
  return new Map(found);
}

function elementSize(dtype: string): number {
  const info = DTYPES[dtype];
  if (!info) throw new RangeError(`no element size for ${dtype}`);
  return info.size;
}

function toEntry(src: ByteSource, name: string, t: TensorRef, dataOffset: number): TensorEntry {
  const fail = (problem: string) => new InputError(src.id, `tensor ${q(name)}: ${problem}`);
  const info = DTYPES[t.dtype];
  if (!info) throw fail(`dtype ${t.dtype} is not supported`);
  const storageBytes = t.storage.numel * elementSize(t.storage.dtype);
  if (storageBytes % info.size !== 0) {
    throw fail(`storage ${t.storage.key} of ${storageBytes} bytes is not a whole number of ${t.dtype} elements`);
  }
  const storageElems = storageBytes / info.size;
  let numel = 1;
  for (const s of t.size) {
    numel *= s;
    if (!Number.isSafeInteger(numel * info.size)) throw fail(`shape [${t.size.join(', ')}] is too large`);
  }
  const last = lastElement(t.storageOffset, t.size, t.stride);
  if (!Number.isSafeInteger(last) || last >= storageElems) {
    throw fail(
      `offset ${t.storageOffset}, shape [${t.size.join(', ')}] and stride [${t.stride.join(', ')}] ` +
        `reach element ${last} of storage ${t.storage.key}, which holds ${storageElems}`,
    );
  }
  const lanes = info.lanes ?? 1;
  const shape = lanes > 1 ? [...t.size, lanes] : [...t.size];
  const byteLength = numel * info.size;
  const common = { name, dtype: info.dtype, shape, numel: numel * lanes, byteLength };
  if (numel === 0 || isContiguous(t.size, t.stride)) {
    return { ...common, file: src, offset: dataOffset + (numel === 0 ? 0 : t.storageOffset * info.size) };
  }
  const view = new StridedView(`${src.id} (${name}: strided view of storage ${t.storage.key})`, src, {
    what: `tensor ${q(name)} (a strided view of storage ${t.storage.key})`,
    dataOffset,
    elementSize: info.size,
    storageOffset: t.storageOffset,
    size: t.size,
    stride: t.stride,
  });
  return { ...common, file: view, offset: 0 };
}
