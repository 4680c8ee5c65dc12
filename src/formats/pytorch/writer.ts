/**
 * A minimal writer of torch.save's file layout (for tests, the evaluation and benchmarks: never
 * to convert user files): the zip PyTorchStreamWriter (miniz)
 * writes (records `<archive>/data.pkl`, `.format_version`, `.storage_alignment`, `byteorder`,
 * `data/<key>`..., then `version` and `.data/serialization_id`; every record STORED; record data
 * aligned to 64 bytes by an "FB" extra field; zip64 end records), and the protocol-2 pickle
 * CPython's pickler produces for a state dict (OrderedDict via REDUCE, `_rebuild_tensor_v2`
 * with a BINPERSID storage tuple, memo puts after every memoised object, `_metadata` by BUILD).
 * The raw builders (Pickler, writeZip, options for odd layouts) are exported for the
 * malicious-input tests.
 */
import { deflateRawSync } from 'node:zlib';
import type { TensorToWrite } from '../writer.js';
import { crc32 } from './zip.js';

export type TorchDType =
  | 'float64'
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool'
  | 'complex64'
  | 'float8_e4m3fn'
  | 'float8_e5m2';

const STORAGE_CLASS: Partial<Record<TorchDType, string>> = {
  float64: 'DoubleStorage',
  float32: 'FloatStorage',
  float16: 'HalfStorage',
  bfloat16: 'BFloat16Storage',
  int64: 'LongStorage',
  int32: 'IntStorage',
  int16: 'ShortStorage',
  int8: 'CharStorage',
  uint8: 'ByteStorage',
  bool: 'BoolStorage',
  complex64: 'ComplexFloatStorage',
};
const ELEMENT_SIZE: Record<TorchDType, number> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
  complex64: 8,
  float8_e4m3fn: 1,
  float8_e5m2: 1,
};

export interface StorageSpec {
  dtype: TorchDType;
  /** Raw little-endian bytes, or generated on demand (layout-sized Hub tests: nothing stored). */
  data: Uint8Array | VirtualBytes;
}

/** Bytes generated for the requested range only; their CRC is not computed (written as 0). */
interface VirtualBytes {
  length: number;
  /** Fills `out` with the bytes at [offset, offset + out.length) of this record. */
  fill(out: Uint8Array, offset: number): void;
}

/** A file assembled from stored parts and generated ones. */
export interface VirtualFile {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

export interface TensorSpec {
  name: string;
  /** Index into the storages list. */
  storage: number;
  size: number[];
  /** Default: contiguous. */
  stride?: number[];
  offset?: number;
  /** Saved as nn.Parameter (`_rebuild_parameter`), as model.state_dict(keep_vars=True) does. */
  parameter?: boolean;
}

interface TorchSaveOptions {
  /** torch uses the file's base name without extension (`pytorch_model`), or `archive` for buffers. */
  archive?: string;
  /** Wrap the state dict: `{ [wrap]: state_dict, epoch: 3 }` like a training checkpoint. */
  wrap?: string;
  /** byteorder record: default "little"; null leaves it out (torch < 2.1). */
  byteorder?: string | null;
  /** Store data.pkl deflated (torch never does; other zip tools may). */
  deflatePickle?: boolean;
  /** Write zip64 fields for every record even when small. */
  forceZip64?: boolean;
  /** Replace data.pkl with these bytes. */
  pickle?: Uint8Array;
  /** Extra records appended after the storages. */
  extraRecords?: Array<{ name: string; data: Uint8Array }>;
}

export function contiguousStride(size: number[]): number[] {
  const out = new Array<number>(size.length);
  let m = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    out[d] = m;
    m *= size[d]!;
  }
  return out;
}

/** Our dtype names (safetensors') as torch dtypes. */
const TORCH_DTYPE: Record<string, TorchDType> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};

/** What `torch.save(model.state_dict(), "pytorch_model.bin")` writes for these tensors. */
export function encodePyTorch(tensors: TensorToWrite[], options: TorchSaveOptions = {}): Uint8Array {
  return torchSaveTensors(
    tensors.map((t) => {
      const dtype = TORCH_DTYPE[t.dtype];
      if (!dtype) throw new RangeError(`no torch dtype for ${t.dtype}`);
      return { name: t.name, dtype, shape: t.shape, data: t.data };
    }),
    { archive: 'pytorch_model', ...options },
  );
}

/** The usual case: one storage per tensor, contiguous, in order. */
export function torchSaveTensors(
  tensors: Array<{ name: string; dtype: TorchDType; shape: number[]; data: Uint8Array }>,
  options: TorchSaveOptions = {},
): Uint8Array {
  return torchSave(
    tensors.map((t) => ({ dtype: t.dtype, data: t.data })),
    tensors.map((t, i) => ({ name: t.name, storage: i, size: t.shape })),
    options,
  );
}

export function torchSave(storages: StorageSpec[], tensors: TensorSpec[], options: TorchSaveOptions = {}): Uint8Array {
  return concat(torchSaveParts(storages, tensors, options));
}

/** torch.save's layout with generated storages: nothing but the headers is held in memory. */
export function torchSaveVirtual(
  storages: StorageSpec[],
  tensors: TensorSpec[],
  options: TorchSaveOptions = {},
): VirtualFile {
  const parts = torchSaveParts(storages, tensors, options);
  const starts: number[] = [];
  let size = 0;
  for (const p of parts) {
    starts.push(size);
    size += p.length;
  }
  return {
    size,
    read(offset: number, length: number): Uint8Array {
      const out = new Uint8Array(length);
      parts.forEach((p, i) => {
        const from = Math.max(offset, starts[i]!);
        const to = Math.min(offset + length, starts[i]! + p.length);
        if (from >= to) return;
        const target = out.subarray(from - offset, to - offset);
        if (p instanceof Uint8Array) target.set(p.subarray(from - starts[i]!, to - starts[i]!));
        else p.fill(target, from - starts[i]!);
      });
      return out;
    },
  };
}

function torchSaveParts(
  storages: StorageSpec[],
  tensors: TensorSpec[],
  options: TorchSaveOptions,
): Array<Uint8Array | VirtualBytes> {
  const archive = options.archive ?? 'archive';
  const pkl = options.pickle ?? statePickle(storages, tensors, options.wrap);
  const records: ZipRecord[] = [{ name: `${archive}/data.pkl`, data: pkl, deflate: options.deflatePickle }];
  records.push({ name: `${archive}/.format_version`, data: ascii('1') });
  records.push({ name: `${archive}/.storage_alignment`, data: ascii('64') });
  if (options.byteorder !== null)
    records.push({ name: `${archive}/byteorder`, data: ascii(options.byteorder ?? 'little') });
  storages.forEach((s, i) => {
    records.push({ name: `${archive}/data/${i}`, data: s.data });
  });
  for (const r of options.extraRecords ?? []) records.push({ name: `${archive}/${r.name}`, data: r.data });
  records.push({ name: `${archive}/version`, data: ascii('3\n') });
  records.push({
    name: `${archive}/.data/serialization_id`,
    data: ascii('0'.repeat(20) + String(crc32(pkl)).padStart(20, '0')),
  });
  return zipParts(records, { forceZip64: options.forceZip64 });
}

// ---------------------------------------------------------------------------------------------
// Zip (what miniz writes for PyTorchStreamWriter)

interface ZipRecord {
  name: string;
  data: Uint8Array | VirtualBytes;
  deflate?: boolean;
}

const ALIGN = 64;

export function writeZip(records: ZipRecord[], opts: { forceZip64?: boolean } = {}): Uint8Array {
  return concat(zipParts(records, opts));
}

function zipParts(records: ZipRecord[], opts: { forceZip64?: boolean } = {}): Array<Uint8Array | VirtualBytes> {
  const chunks: Array<Uint8Array | VirtualBytes> = [];
  let pos = 0;
  const push = (b: Uint8Array | VirtualBytes) => {
    chunks.push(b);
    pos += b.length;
  };
  const central: Uint8Array[] = [];
  for (const r of records) {
    const name = ascii(r.name);
    const stored = r.data instanceof Uint8Array ? r.data : undefined;
    if (r.deflate && !stored) throw new RangeError('generated records cannot be deflated');
    const body = r.deflate && stored ? new Uint8Array(deflateRawSync(stored)) : r.data;
    const crc = stored ? crc32(stored) : 0;
    const zip64 = opts.forceZip64 || r.data.length >= 0xffffffff || pos >= 0xffffffff;
    const z64local = zip64 ? le(u16(1), u16(16), u64(r.data.length), u64(body.length)) : new Uint8Array(0);
    // "FB" padding so the data starts on a 64-byte boundary
    const start = pos + 30 + name.length + z64local.length + 4;
    const pad = (ALIGN - (start % ALIGN)) % ALIGN;
    const fb = le(ascii('FB'), u16(pad), new Uint8Array(pad).fill(0x5a));
    const extra = le(z64local, fb);
    const local = le(
      u32(0x04034b50),
      u16(r.deflate ? 20 : 0),
      u16(0),
      u16(r.deflate ? 8 : 0),
      u16(0),
      u16(0x21),
      u32(crc),
      u32(zip64 ? 0xffffffff : body.length),
      u32(zip64 ? 0xffffffff : r.data.length),
      u16(name.length),
      u16(extra.length),
      name,
      extra,
    );
    const offset = pos;
    push(local);
    push(body);
    const z64central = zip64
      ? le(u16(1), u16(24), u64(r.data.length), u64(body.length), u64(offset))
      : new Uint8Array(0);
    central.push(
      le(
        u32(0x02014b50),
        u16(0x031e),
        u16(r.deflate ? 20 : 0),
        u16(0),
        u16(r.deflate ? 8 : 0),
        u16(0),
        u16(0x21),
        u32(crc),
        u32(zip64 ? 0xffffffff : body.length),
        u32(zip64 ? 0xffffffff : r.data.length),
        u16(name.length),
        u16(z64central.length),
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(zip64 ? 0xffffffff : offset),
        name,
        z64central,
      ),
    );
  }
  const cdOffset = pos;
  for (const c of central) push(c);
  const cdSize = pos - cdOffset;
  const zip64End = pos;
  push(
    le(
      u32(0x06064b50),
      u64(44),
      u16(0x031e),
      u16(45),
      u32(0),
      u32(0),
      u64(records.length),
      u64(records.length),
      u64(cdSize),
      u64(cdOffset),
    ),
  );
  push(le(u32(0x07064b50), u32(0), u64(zip64End), u32(1)));
  push(
    le(
      u32(0x06054b50),
      u16(0),
      u16(0),
      u16(Math.min(records.length, 0xffff)),
      u16(Math.min(records.length, 0xffff)),
      u32(Math.min(cdSize, 0xffffffff)),
      u32(Math.min(cdOffset, 0xffffffff)),
      u16(0),
    ),
  );
  return chunks;
}

function concat(parts: Array<Uint8Array | VirtualBytes>): Uint8Array {
  return le(
    ...parts.map((p) => {
      if (p instanceof Uint8Array) return p;
      const out = new Uint8Array(p.length);
      p.fill(out, 0);
      return out;
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Pickle (protocol 2, as CPython's pickler writes it)

/** Values the pickle builder understands. */
type PickleValue =
  | null
  | boolean
  | number
  | string
  | PickleValue[]
  | { tuple: PickleValue[] }
  | { dict: Array<[PickleValue, PickleValue]>; ordered?: boolean; metadata?: boolean }
  | { tensor: TensorSpec; storage: StorageSpec; storageKey: string };

export class Pickler {
  private out: number[] = [0x80, 0x02];
  private memo = 0;
  private globals = new Map<string, number>();
  private strings = new Map<string, number>();

  bytes(): Uint8Array {
    return Uint8Array.from([...this.out, 0x2e]);
  }

  raw(...b: number[]): this {
    this.out.push(...b);
    return this;
  }

  put(): void {
    const i = this.memo++;
    if (i < 256) this.out.push(0x71, i);
    else this.out.push(0x72, ...u32(i));
  }

  get(i: number): void {
    if (i < 256) this.out.push(0x68, i);
    else this.out.push(0x6a, ...u32(i));
  }

  global(module: string, name: string): void {
    const key = `${module}\n${name}`;
    const seen = this.globals.get(key);
    if (seen !== undefined) {
      this.get(seen);
      return;
    }
    this.out.push(0x63, ...ascii(`${module}\n${name}\n`));
    this.globals.set(key, this.memo);
    this.put();
  }

  string(s: string): void {
    const seen = this.strings.get(s);
    if (seen !== undefined) {
      this.get(seen);
      return;
    }
    const b = new TextEncoder().encode(s);
    this.out.push(0x58, ...u32(b.length), ...b);
    this.strings.set(s, this.memo);
    this.put();
  }

  int(n: number): void {
    if (n >= 0 && n < 256) this.out.push(0x4b, n);
    else if (n >= 0 && n < 65536) this.out.push(0x4d, ...u16(n));
    else if (n >= -0x80000000 && n <= 0x7fffffff) this.out.push(0x4a, ...u32(n >>> 0));
    else {
      // LONG1: minimal two's complement, little-endian
      let v = BigInt(n);
      const bytes: number[] = [];
      while (true) {
        bytes.push(Number(v & 0xffn));
        v >>= 8n;
        const sign = bytes[bytes.length - 1]! & 0x80;
        if ((v === 0n && !sign) || (v === -1n && sign)) break;
      }
      this.out.push(0x8a, bytes.length, ...bytes);
    }
  }

  value(v: PickleValue): void {
    if (v === null) this.out.push(0x4e);
    else if (v === true) this.out.push(0x88);
    else if (v === false) this.out.push(0x89);
    else if (typeof v === 'number') {
      if (Number.isInteger(v)) this.int(v);
      else {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setFloat64(0, v, false);
        this.out.push(0x47, ...b);
      }
    } else if (typeof v === 'string') this.string(v);
    else if (Array.isArray(v)) {
      this.out.push(0x5d);
      this.put();
      this.batch(v, (x) => this.value(x), v.length === 1 ? 0x61 : 0x65);
    } else if ('tuple' in v) this.tuple(v.tuple.map((x) => () => this.value(x)));
    else if ('dict' in v) this.dict(v);
    else this.tensor(v.tensor, v.storage, v.storageKey);
  }

  tuple(items: Array<() => void>): void {
    if (items.length === 0) {
      this.out.push(0x29);
      return;
    }
    if (items.length > 3) this.out.push(0x28);
    for (const f of items) f();
    this.out.push(items.length > 3 ? 0x74 : 0x84 + items.length);
    this.put();
  }

  private batch<T>(items: T[], write: (x: T) => void, single: number): void {
    if (items.length === 0) return;
    if (items.length === 1) {
      write(items[0]!);
      this.out.push(single);
      return;
    }
    for (let i = 0; i < items.length; i += 1000) {
      const part = items.slice(i, i + 1000);
      if (part.length === 1) {
        write(part[0]!);
        this.out.push(single);
        continue;
      }
      this.out.push(0x28);
      for (const x of part) write(x);
      this.out.push(single === 0x61 ? 0x65 : 0x75);
    }
  }

  orderedDict(): void {
    this.global('collections', 'OrderedDict');
    this.out.push(0x29, 0x52);
    this.put();
  }

  dict(d: { dict: Array<[PickleValue, PickleValue]>; ordered?: boolean; metadata?: boolean }): void {
    if (d.ordered) this.orderedDict();
    else {
      this.out.push(0x7d);
      this.put();
    }
    this.batch(
      d.dict,
      ([k, v]) => {
        this.value(k);
        this.value(v);
      },
      0x73,
    );
    if (d.metadata) {
      // state_dict()._metadata: {'': {'version': 1}} by BUILD, as OrderedDict.__reduce__ gives it
      this.out.push(0x7d);
      this.put();
      this.string('_metadata');
      this.orderedDict();
      this.string('');
      this.out.push(0x7d);
      this.put();
      this.string('version');
      this.int(1);
      this.out.push(0x73, 0x73, 0x73, 0x62);
    }
  }

  tensor(t: TensorSpec, s: StorageSpec, key: string): void {
    if (t.parameter) this.global('torch._utils', '_rebuild_parameter');
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.tuple([
      () => this.storage(s, key),
      () => this.int(t.offset ?? 0),
      () => this.tuple(t.size.map((n) => () => this.int(n))),
      () => this.tuple((t.stride ?? contiguousStride(t.size)).map((n) => () => this.int(n))),
      () => this.out.push(0x89),
      () => this.orderedDict(),
    ]);
    this.out.push(0x52);
    this.put();
    if (t.parameter) {
      this.out.push(0x89);
      this.orderedDict();
      this.out.push(0x87);
      this.put();
      this.out.push(0x52);
      this.put();
    }
  }

  /** persistent_id returns a fresh tuple each time: written again, its strings from the memo. */
  storage(s: StorageSpec, key: string): void {
    const cls = STORAGE_CLASS[s.dtype];
    if (!cls) throw new Error(`no storage class for ${s.dtype}`);
    this.tuple([
      () => this.string('storage'),
      () => this.global('torch', cls),
      () => this.string(key),
      () => this.string('cpu'),
      () => this.int(s.data.length / ELEMENT_SIZE[s.dtype]),
    ]);
    this.out.push(0x51);
  }
}

/** data.pkl of `OrderedDict(name → tensor)` (a state dict with `_metadata`), optionally wrapped. */
export function statePickle(storages: StorageSpec[], tensors: TensorSpec[], wrap?: string): Uint8Array {
  const p = new Pickler();
  const state: PickleValue = {
    ordered: true,
    metadata: true,
    dict: tensors.map((t) => [t.name, { tensor: t, storage: storages[t.storage]!, storageKey: String(t.storage) }]),
  };
  if (wrap)
    p.value({
      dict: [
        [wrap, state],
        ['epoch', 3],
        ['best_loss', 0.25],
      ],
    });
  else p.value(state);
  return p.bytes();
}

// ---------------------------------------------------------------------------------------------

export function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
function u16(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff);
}
function u32(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}
function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}
function le(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
