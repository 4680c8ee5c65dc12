/**
 * A restricted reader for the pickle torch.save writes (data.pkl). It NEVER executes anything:
 * opcodes build plain values, and the only "calls" it knows are the handful of functions
 * torch.save uses for tensors and state dicts, each interpreted here by its documented meaning
 * (torch/_utils.py, torch/_tensor.py `__reduce_ex__`). Every other opcode or global is an
 * InputError naming it: `data.pkl: global os.system is not allowed`.
 *
 * Memory and time are bounded by the input: a size cap on the pickle, caps on the memo, the
 * stack and the number of objects; values are built without recursion.
 */
import { InputError } from '../../errors.js';

/** data.pkl of a real state dict is ~200 bytes and ~13 memo entries a tensor: 150k tensors a file. */
export const MAX_PICKLE_BYTES = 32 * 1024 * 1024;
const MAX_MEMO = 2_000_000;
const MAX_OBJECTS = 4_000_000;
const MAX_STACK = 1_000_000;
const MAX_MARKS = 10_000;

/** torch storage classes (torch.FloatStorage, …) as written in persistent ids. */
const STORAGE_TYPES: Record<string, TorchDType> = {
  DoubleStorage: 'float64',
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  ComplexFloatStorage: 'complex64',
  ComplexDoubleStorage: 'complex128',
  // v3 tensors (dtypes without a storage class) point at raw bytes and name their dtype
  UntypedStorage: 'uint8',
};

/** Storage classes torch defines that we recognise but do not read: named in the error. */
const UNSUPPORTED_STORAGES = new Set([
  'QInt8Storage',
  'QUInt8Storage',
  'QInt32Storage',
  'QUInt4x2Storage',
  'QUInt2x4Storage',
]);

/** dtype globals (`torch.float8_e4m3fn`) as _rebuild_tensor_v3 passes them. */
const DTYPE_GLOBALS = new Set<string>([
  'float64',
  'float32',
  'float16',
  'bfloat16',
  'int64',
  'int32',
  'int16',
  'int8',
  'uint8',
  'bool',
  'uint16',
  'uint32',
  'uint64',
  'float8_e4m3fn',
  'float8_e5m2',
  'float8_e4m3fnuz',
  'float8_e5m2fnuz',
  'float8_e8m0fnu',
  'complex64',
  'complex128',
]);

export type TorchDType = string;

class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get path(): string {
    return `${this.module}.${this.name}`;
  }
}

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
export class PyList {
  constructor(readonly items: PyValue[]) {}
}
/** dict or OrderedDict; keys as pickled (str, int, …), order kept. */
export class PyDict {
  readonly entries: Array<[PyValue, PyValue]> = [];
  private readonly index = new Map<string, number>();
  /** Like Python: a repeated key replaces the value in place, keeping the first position. */
  set(k: PyValue, v: PyValue): void {
    const id = `${typeof k}:${String(k)}`;
    const i = this.index.get(id);
    if (i !== undefined) this.entries[i]![1] = v;
    else {
      this.index.set(id, this.entries.length);
      this.entries.push([k, v]);
    }
  }
}
class PyBytes {
  constructor(readonly bytes: Uint8Array) {}
}

/** A storage named by a persistent id: ('storage', torch.XStorage, key, location, numel). */
export interface StorageRef {
  kind: 'storage';
  key: string;
  /** The storage class's element type ('uint8' for UntypedStorage: numel counts bytes). */
  dtype: TorchDType;
  numel: number;
  location: string;
}

export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  /** The tensor's own dtype (differs from the storage's only for v3 tensors over untyped storage). */
  dtype: TorchDType;
  /** In elements of `dtype`. */
  storageOffset: number;
  size: number[];
  stride: number[];
}

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyBytes
  | PyTuple
  | PyList
  | PyDict
  | PyGlobal
  | StorageRef
  | TensorRef;

const REBUILD = {
  v2: 'torch._utils._rebuild_tensor_v2',
  v3: 'torch._utils._rebuild_tensor_v3',
  parameter: 'torch._utils._rebuild_parameter',
  parameterWithState: 'torch._utils._rebuild_parameter_with_state',
  fromType: 'torch._tensor._rebuild_from_type_v2',
  orderedDict: 'collections.OrderedDict',
} as const;

const CALLABLE = new Set<string>(Object.values(REBUILD));
/** Types passed to _rebuild_from_type_v2 (never called). */
const TENSOR_TYPES = new Set(['torch.Tensor', 'torch.nn.parameter.Parameter']);

/** Which globals a torch.save pickle may name; everything else is refused by name. */
function allowedGlobal(module: string, name: string): boolean {
  const path = `${module}.${name}`;
  if (CALLABLE.has(path) || TENSOR_TYPES.has(path)) return true;
  if (module === 'torch' && (Object.hasOwn(STORAGE_TYPES, name) || DTYPE_GLOBALS.has(name))) return true;
  return false;
}

const OPCODE_NAMES = new Map<number, string>([
  [0x28, 'MARK'],
  [0x2e, 'STOP'],
  [0x30, 'POP'],
  [0x31, 'POP_MARK'],
  [0x32, 'DUP'],
  [0x46, 'FLOAT'],
  [0x49, 'INT'],
  [0x4a, 'BININT'],
  [0x4b, 'BININT1'],
  [0x4c, 'LONG'],
  [0x4d, 'BININT2'],
  [0x4e, 'NONE'],
  [0x50, 'PERSID'],
  [0x51, 'BINPERSID'],
  [0x52, 'REDUCE'],
  [0x53, 'STRING'],
  [0x54, 'BINSTRING'],
  [0x55, 'SHORT_BINSTRING'],
  [0x56, 'UNICODE'],
  [0x58, 'BINUNICODE'],
  [0x61, 'APPEND'],
  [0x62, 'BUILD'],
  [0x63, 'GLOBAL'],
  [0x64, 'DICT'],
  [0x7d, 'EMPTY_DICT'],
  [0x65, 'APPENDS'],
  [0x67, 'GET'],
  [0x68, 'BINGET'],
  [0x69, 'INST'],
  [0x6a, 'LONG_BINGET'],
  [0x6c, 'LIST'],
  [0x5d, 'EMPTY_LIST'],
  [0x6f, 'OBJ'],
  [0x70, 'PUT'],
  [0x71, 'BINPUT'],
  [0x72, 'LONG_BINPUT'],
  [0x73, 'SETITEM'],
  [0x74, 'TUPLE'],
  [0x29, 'EMPTY_TUPLE'],
  [0x75, 'SETITEMS'],
  [0x47, 'BINFLOAT'],
  [0x80, 'PROTO'],
  [0x81, 'NEWOBJ'],
  [0x82, 'EXT1'],
  [0x83, 'EXT2'],
  [0x84, 'EXT4'],
  [0x85, 'TUPLE1'],
  [0x86, 'TUPLE2'],
  [0x87, 'TUPLE3'],
  [0x88, 'NEWTRUE'],
  [0x89, 'NEWFALSE'],
  [0x8a, 'LONG1'],
  [0x8b, 'LONG4'],
  [0x42, 'BINBYTES'],
  [0x43, 'SHORT_BINBYTES'],
  [0x8c, 'SHORT_BINUNICODE'],
  [0x8d, 'BINUNICODE8'],
  [0x8e, 'BINBYTES8'],
  [0x8f, 'EMPTY_SET'],
  [0x90, 'ADDITEMS'],
  [0x91, 'FROZENSET'],
  [0x92, 'NEWOBJ_EX'],
  [0x93, 'STACK_GLOBAL'],
  [0x94, 'MEMOIZE'],
  [0x95, 'FRAME'],
  [0x96, 'BYTEARRAY8'],
  [0x97, 'NEXT_BUFFER'],
  [0x98, 'READONLY_BUFFER'],
]);

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

interface PickleResult {
  value: PyValue;
  /** Every storage the pickle named, by key. */
  storages: Map<string, StorageRef>;
}

/**
 * Parses `bytes` (a whole data.pkl). `source` names the file in errors, e.g.
 * "model.bin: data.pkl".
 */
export function readTorchPickle(bytes: Uint8Array, source: string): PickleResult {
  return new Reader(bytes, source).run();
}

class Reader {
  private pos = 0;
  private stack: Slot[] = [];
  private marks: number[] = [];
  private memo = new Map<number, PyValue>();
  private objects = 0;
  private storages = new Map<string, StorageRef>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
  ) {
    if (bytes.length > MAX_PICKLE_BYTES) {
      throw this.fail(`is ${bytes.length} bytes, more than the ${MAX_PICKLE_BYTES} read`);
    }
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(problem: string): InputError {
    return new InputError(this.source, problem);
  }

  private malformed(problem: string, at = this.pos): InputError {
    return this.fail(`malformed pickle at byte ${at}: ${problem}`);
  }

  run(): PickleResult {
    for (;;) {
      const at = this.pos;
      if (at >= this.bytes.length) throw this.malformed('ends without STOP');
      const op = this.bytes[this.pos++]!;
      if (op === 0x2e) {
        // STOP
        if (this.marks.length > 0) throw this.malformed('STOP inside an open MARK', at);
        if (this.stack.length !== 1) throw this.malformed(`STOP with ${this.stack.length} values on the stack`, at);
        if (this.pos !== this.bytes.length)
          throw this.malformed(`${this.bytes.length - this.pos} bytes after STOP`, at);
        return { value: this.value(this.stack[0]!, at), storages: this.storages };
      }
      this.step(op, at);
    }
  }

  private step(op: number, at: number): void {
    switch (op) {
      case 0x80: {
        // PROTO
        const v = this.u8();
        if (v < 2 || v > 5) throw this.fail(`pickle protocol ${v} is not one torch.save writes`);
        return;
      }
      case 0x95: // FRAME (protocol 4): a length prefix, the opcodes follow inline
        this.take(8);
        return;
      case 0x28: // MARK
        if (this.marks.length >= MAX_MARKS) throw this.fail(`more than ${MAX_MARKS} nested MARKs`);
        this.marks.push(this.stack.length);
        return;
      case 0x30: // POP
        this.pop(at);
        return;
      case 0x31: // POP_MARK
        this.popMark(at);
        return;
      case 0x32: // DUP
        this.push(this.peek(at));
        return;
      case 0x4e:
        this.push(null);
        return;
      case 0x88:
        this.push(true);
        return;
      case 0x89:
        this.push(false);
        return;
      case 0x4a:
        this.push(this.view.getInt32(this.take(4), true));
        return;
      case 0x4b:
        this.push(this.u8());
        return;
      case 0x4d:
        this.push(this.view.getUint16(this.take(2), true));
        return;
      case 0x8a: {
        // LONG1: little-endian two's complement
        const n = this.u8();
        this.push(this.long(this.take(n), n));
        return;
      }
      case 0x47:
        this.push(this.view.getFloat64(this.take(8), false));
        return;
      case 0x58: {
        const n = this.view.getUint32(this.take(4), true);
        this.push(this.utf8(n, at));
        return;
      }
      case 0x8c:
        this.push(this.utf8(this.u8(), at));
        return;
      case 0x55:
        this.push(this.latin1(this.u8()));
        return;
      case 0x54:
        this.push(this.latin1(this.view.getInt32(this.take(4), true)));
        return;
      case 0x43: {
        const n = this.u8();
        this.push(this.count(new PyBytes(this.bytes.slice(this.take(n), this.pos))));
        return;
      }
      case 0x42: {
        const n = this.view.getUint32(this.take(4), true);
        this.push(this.count(new PyBytes(this.bytes.slice(this.take(n), this.pos))));
        return;
      }
      case 0x29:
        this.push(this.count(new PyTuple([])));
        return;
      case 0x5d:
        this.push(this.count(new PyList([])));
        return;
      case 0x7d:
        this.push(this.count(new PyDict()));
        return;
      case 0x74: // TUPLE
        this.push(this.count(new PyTuple(this.popMark(at))));
        return;
      case 0x85:
      case 0x86:
      case 0x87: {
        const n = op - 0x84;
        const items: PyValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(this.pop(at));
        this.push(this.count(new PyTuple(items)));
        return;
      }
      case 0x6c: // LIST
        this.push(this.count(new PyList(this.popMark(at))));
        return;
      case 0x64: {
        // DICT
        const items = this.popMark(at);
        const d = this.count(new PyDict());
        this.setItems(d, items, at);
        this.push(d);
        return;
      }
      case 0x61: {
        // APPEND
        const v = this.pop(at);
        this.list(this.peek(at), at).items.push(v);
        return;
      }
      case 0x65: {
        // APPENDS
        const items = this.popMark(at);
        this.list(this.peek(at), at).items.push(...items);
        return;
      }
      case 0x73: {
        // SETITEM
        const v = this.pop(at);
        const k = this.pop(at);
        this.setItems(this.dict(this.peek(at), at), [k, v], at);
        return;
      }
      case 0x75: {
        // SETITEMS
        const items = this.popMark(at);
        this.setItems(this.dict(this.peek(at), at), items, at);
        return;
      }
      case 0x71:
        this.put(this.u8(), at);
        return;
      case 0x72:
        this.put(this.view.getUint32(this.take(4), true), at);
        return;
      case 0x94:
        this.put(this.memo.size, at);
        return;
      case 0x68:
        this.get(this.u8(), at);
        return;
      case 0x6a:
        this.get(this.view.getUint32(this.take(4), true), at);
        return;
      case 0x63: {
        // GLOBAL module\nname\n
        const module = this.line(at);
        const name = this.line(at);
        this.push(this.global(module, name));
        return;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = this.pop(at);
        const module = this.pop(at);
        if (typeof module !== 'string' || typeof name !== 'string') {
          throw this.malformed('STACK_GLOBAL needs two strings', at);
        }
        this.push(this.global(module, name));
        return;
      }
      case 0x51: {
        // BINPERSID: torch's storage reference
        const pid = this.pop(at);
        this.push(this.persistent(pid, at));
        return;
      }
      case 0x52: {
        // REDUCE: only torch's rebuild functions and OrderedDict, interpreted here
        const args = this.pop(at);
        const fn = this.pop(at);
        this.push(this.reduce(fn, args, at));
        return;
      }
      case 0x62: {
        // BUILD: state for an OrderedDict (its _metadata) or a tensor (python attributes): not needed
        const state = this.pop(at);
        const target = this.peek(at);
        if (!(target instanceof PyDict) && !isTensor(target)) {
          throw this.fail(`BUILD on ${describe(target)} is not allowed (only state dicts and tensors take state)`);
        }
        if (state !== null && !(state instanceof PyDict) && !(state instanceof PyTuple)) {
          throw this.malformed(`BUILD state is ${describe(state)}`, at);
        }
        return;
      }
      default: {
        const name = OPCODE_NAMES.get(op);
        throw this.fail(
          name
            ? `pickle opcode ${name} (0x${hex(op)}) at byte ${at} is not allowed (torch.save does not write it)`
            : `unknown pickle opcode 0x${hex(op)} at byte ${at}`,
        );
      }
    }
  }

  // --- globals, persistent ids and the interpreted calls --------------------------------------

  private global(module: string, name: string): PyGlobal {
    if (!allowedGlobal(module, name)) {
      if (module === 'torch' && UNSUPPORTED_STORAGES.has(name)) {
        throw this.fail(`global torch.${name}: quantized tensors are not supported`);
      }
      const what = `${module}.${name}`;
      throw this.fail(
        `global ${clip(what)} is not allowed ` +
          "(only torch.save's tensor and state-dict globals are read; nothing is executed)",
      );
    }
    return this.count(new PyGlobal(module, name));
  }

  private persistent(pid: PyValue, at: number): StorageRef {
    if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage') {
      throw this.fail(`persistent id ${describe(pid)} is not a torch storage reference`);
    }
    const [, type, key, location, numel] = pid.items;
    if (pid.items.length !== 5)
      throw this.malformed(`storage reference has ${pid.items.length} fields, expected 5`, at);
    if (!(type instanceof PyGlobal) || type.module !== 'torch' || !Object.hasOwn(STORAGE_TYPES, type.name)) {
      throw this.fail(`storage reference names ${describe(type)}, not a torch storage class`);
    }
    if (typeof key !== 'string' || !/^[0-9A-Za-z_.-]{1,64}$/.test(key)) {
      throw this.malformed(`storage key ${describe(key)} is not a plain record name`, at);
    }
    if (typeof location !== 'string') throw this.malformed(`storage location ${describe(location)}`, at);
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
      throw this.malformed(`storage size ${describe(numel)}`, at);
    }
    const dtype = STORAGE_TYPES[type.name]!;
    const seen = this.storages.get(key);
    if (seen) {
      // torch refuses to save one storage under two dtypes; a pickle that does is lying
      if (seen.dtype !== dtype || seen.numel !== numel) {
        throw this.fail(`storage ${key} is referenced as ${seen.numel} × ${seen.dtype} and as ${numel} × ${dtype}`);
      }
      return seen;
    }
    const ref: StorageRef = { kind: 'storage', key, dtype, numel, location: clip(location, 40) };
    this.storages.set(key, ref);
    return ref;
  }

  private reduce(fn: PyValue, args: PyValue, at: number): PyValue {
    if (!(fn instanceof PyGlobal) || !CALLABLE.has(fn.path)) {
      throw this.fail(`REDUCE of ${describe(fn)} is not allowed (only torch's tensor rebuild functions)`);
    }
    if (!(args instanceof PyTuple)) throw this.malformed(`arguments of ${fn.path} are ${describe(args)}`, at);
    return this.call(fn.path, args.items, at);
  }

  private call(path: string, a: PyValue[], at: number): PyValue {
    switch (path) {
      case REBUILD.orderedDict: {
        const d = this.count(new PyDict());
        if (a.length === 0) return d;
        const pairs = a[0];
        if (a.length !== 1 || !(pairs instanceof PyList || pairs instanceof PyTuple)) {
          throw this.malformed('OrderedDict takes no arguments or a list of pairs', at);
        }
        for (const p of pairs.items) {
          if (!(p instanceof PyTuple) || p.items.length !== 2)
            throw this.malformed('OrderedDict item is not a pair', at);
          this.setItems(d, p.items, at);
        }
        return d;
      }
      case REBUILD.v2:
      case REBUILD.v3: {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, dtype (v3)][, metadata])
        const v3 = path === REBUILD.v3;
        const min = v3 ? 7 : 6;
        if (a.length < min || a.length > min + 1) {
          throw this.malformed(`${path} takes ${min} or ${min + 1} arguments, got ${a.length}`, at);
        }
        const storage = a[0];
        if (!isStorage(storage)) throw this.malformed(`${path}: first argument is ${describe(storage)}`, at);
        let dtype = storage.dtype;
        if (v3) {
          const g = a[6];
          if (!(g instanceof PyGlobal) || g.module !== 'torch' || !DTYPE_GLOBALS.has(g.name)) {
            throw this.malformed(`${path}: dtype argument is ${describe(g)}`, at);
          }
          dtype = g.name;
        }
        const storageOffset = this.nonNegative(a[1], 'storage offset', at);
        const size = this.ints(a[2], 'size', at);
        const stride = this.ints(a[3], 'stride', at);
        if (size.length !== stride.length) {
          throw this.malformed(`size has ${size.length} dimensions, stride ${stride.length}`, at);
        }
        return this.count({ kind: 'tensor', storage, dtype, storageOffset, size, stride } satisfies TensorRef);
      }
      case REBUILD.parameter:
      case REBUILD.parameterWithState: {
        if (a.length < 3 || !isTensor(a[0])) throw this.malformed(`${path} needs a tensor`, at);
        return a[0];
      }
      case REBUILD.fromType: {
        // (func, type, args, state): a tensor subclass or a tensor with python attributes
        const [fn, type, args] = a;
        if (a.length !== 4 || !(fn instanceof PyGlobal) || !(args instanceof PyTuple)) {
          throw this.malformed(`${path}: unexpected arguments`, at);
        }
        if (!(type instanceof PyGlobal) || !TENSOR_TYPES.has(type.path)) {
          throw this.fail(`${path} of type ${describe(type)} is not allowed (only torch.Tensor and Parameter)`);
        }
        if (fn.path === REBUILD.fromType || fn.path === REBUILD.orderedDict || !CALLABLE.has(fn.path)) {
          throw this.fail(`${path} calling ${describe(fn)} is not allowed`);
        }
        return this.call(fn.path, args.items, at);
      }
      default:
        throw this.fail(`REDUCE of ${path} is not allowed`);
    }
  }

  // --- stack, memo and primitive helpers ------------------------------------------------------

  private count<T>(v: T): T {
    if (++this.objects > MAX_OBJECTS) throw this.fail(`builds more than ${MAX_OBJECTS} objects`);
    return v;
  }

  private push(v: Slot): void {
    if (this.stack.length >= MAX_STACK) throw this.fail(`pickle stack grows past ${MAX_STACK} values`);
    this.stack.push(v);
  }

  private pop(at: number): PyValue {
    if (this.stack.length === 0 || this.stack.length <= (this.marks[this.marks.length - 1] ?? -1)) {
      throw this.malformed('stack underflow', at);
    }
    return this.value(this.stack.pop()!, at);
  }

  private peek(at: number): PyValue {
    if (this.stack.length === 0 || this.stack.length <= (this.marks[this.marks.length - 1] ?? -1)) {
      throw this.malformed('stack underflow', at);
    }
    return this.value(this.stack[this.stack.length - 1]!, at);
  }

  private popMark(at: number): PyValue[] {
    const m = this.marks.pop();
    if (m === undefined) throw this.malformed('no MARK to pop to', at);
    return this.stack.splice(m).map((v) => this.value(v, at));
  }

  private value(v: Slot, at: number): PyValue {
    if (v === MARK) throw this.malformed('MARK used as a value', at);
    return v;
  }

  private put(index: number, at: number): void {
    if (!this.memo.has(index) && this.memo.size >= MAX_MEMO)
      throw this.fail(`pickle memo grows past ${MAX_MEMO} entries`);
    this.memo.set(index, this.peek(at));
  }

  private get(index: number, at: number): void {
    if (!this.memo.has(index)) throw this.malformed(`memo entry ${index} was never stored`, at);
    this.push(this.memo.get(index)!);
  }

  private list(v: PyValue, at: number): PyList {
    if (!(v instanceof PyList)) throw this.malformed(`APPEND to ${describe(v)}`, at);
    return v;
  }

  private dict(v: PyValue, at: number): PyDict {
    if (!(v instanceof PyDict)) throw this.malformed(`SETITEM on ${describe(v)}`, at);
    return v;
  }

  private setItems(d: PyDict, items: PyValue[], at: number): void {
    if (items.length % 2 !== 0) throw this.malformed('odd number of dict items', at);
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i]!;
      if (!isKey(k)) throw this.malformed(`dict key is ${describe(k)}`, at);
      d.set(k, items[i + 1]!);
    }
  }

  private nonNegative(v: PyValue, what: string, at: number): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw this.malformed(`${what} is ${describe(v)}`, at);
    return v;
  }

  private ints(v: PyValue, what: string, at: number): number[] {
    if (!(v instanceof PyTuple) && !(v instanceof PyList)) throw this.malformed(`${what} is ${describe(v)}`, at);
    if (v.items.length > 64) throw this.fail(`tensor ${what} has ${v.items.length} dimensions`);
    return v.items.map((x) => this.nonNegative(x, `${what} entry`, at));
  }

  private u8(): number {
    return this.bytes[this.take(1)]!;
  }

  /** Advances past `n` bytes and returns where they start. */
  private take(n: number): number {
    if (n < 0 || this.pos + n > this.bytes.length) throw this.malformed(`truncated: needs ${n} more bytes`);
    const p = this.pos;
    this.pos += n;
    return p;
  }

  private long(p: number, n: number): number | bigint {
    if (n === 0) return 0;
    if (n > 16) throw this.fail(`integer of ${n} bytes is larger than any torch.save writes`);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[p + i]!);
    if (this.bytes[p + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private utf8(n: number, at: number): string {
    const p = this.take(n);
    try {
      return this.count(new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(p, p + n)));
    } catch {
      throw this.malformed('string is not UTF-8', at);
    }
  }

  private latin1(n: number): string {
    const p = this.take(n);
    return this.count(Buffer.from(this.bytes.subarray(p, p + n)).toString('latin1'));
  }

  private line(at: number): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0 || end - this.pos > 256) throw this.malformed('GLOBAL name is not a short line', at);
    const s = Buffer.from(this.bytes.subarray(this.pos, end)).toString('latin1');
    this.pos = end + 1;
    return s;
  }
}

function isKey(v: PyValue): boolean {
  return (
    v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean'
  );
}

export function isTensor(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tensor';
}

function isStorage(v: unknown): v is StorageRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'storage';
}

function describe(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (v instanceof PyGlobal) return clip(v.path);
  if (v instanceof PyTuple) return `a tuple of ${v.items.length}`;
  if (v instanceof PyList) return 'a list';
  if (v instanceof PyDict) return 'a dict';
  if (v instanceof PyBytes) return 'bytes';
  if (isTensor(v)) return 'a tensor';
  if (isStorage(v)) return 'a storage';
  if (typeof v === 'string') return JSON.stringify(clip(v, 40));
  return `${typeof v} ${String(v).slice(0, 24)}`;
}

function clip(s: string, n = 80): string {
  // control characters (and U+2028/9) would break the one-line message
  const t = [...s]
    .map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '\u2028' || c === '\u2029' ? '?' : c))
    .join('');
  return t.length > n ? `${t.slice(0, n - 3)}...` : t;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
