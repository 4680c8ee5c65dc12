/**
 * A small GGUF (v3, little-endian) writer: metadata, tensor infos, aligned tensor data. Used to
 * generate GGUF copies of models for tests, the evaluation and the benchmark; the layout is
 * llama.cpp's (gguf.cpp): each tensor's data padded to the alignment, offsets relative to the
 * aligned start of the data section.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { ggmlTypeByName } from '../formats/gguf/ggml.js';

type GgufScalarType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'bool'
  | 'string'
  | 'uint64'
  | 'int64'
  | 'float64';

const TYPE_IDS: Record<GgufScalarType | 'array', number> = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
};

export type GgufMetaValue =
  | { type: GgufScalarType; value: string | number | boolean | bigint }
  | { type: 'array'; of: GgufScalarType; value: Array<string | number | boolean | bigint> };

export interface GgufTensorToWrite {
  name: string;
  /** ggml order: ne[0] is the row length. */
  ne: number[];
  /** ggml type name ('F32', 'Q4_K'...). */
  type: string;
  data: Uint8Array;
}

class Bytes {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.push(b);
  }
  u64(v: number | bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    this.push(b);
  }
  str(s: string): void {
    const t = Buffer.from(s, 'utf8');
    this.u64(t.length);
    this.push(t);
  }
  scalar(type: GgufScalarType, v: string | number | boolean | bigint): void {
    if (type === 'string') {
      this.str(String(v));
      return;
    }
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    const width: Record<Exclude<GgufScalarType, 'string'>, number> = {
      uint8: 1,
      int8: 1,
      bool: 1,
      uint16: 2,
      int16: 2,
      uint32: 4,
      int32: 4,
      float32: 4,
      uint64: 8,
      int64: 8,
      float64: 8,
    };
    if (type === 'uint8' || type === 'int8') dv.setUint8(0, Number(v) & 0xff);
    else if (type === 'bool') dv.setUint8(0, v ? 1 : 0);
    else if (type === 'uint16') dv.setUint16(0, Number(v), true);
    else if (type === 'int16') dv.setInt16(0, Number(v), true);
    else if (type === 'uint32') dv.setUint32(0, Number(v), true);
    else if (type === 'int32') dv.setInt32(0, Number(v), true);
    else if (type === 'float32') dv.setFloat32(0, Number(v), true);
    else if (type === 'uint64') dv.setBigUint64(0, BigInt(v), true);
    else if (type === 'int64') dv.setBigInt64(0, BigInt(v), true);
    else dv.setFloat64(0, Number(v), true);
    this.push(b.slice(0, width[type]));
  }
  concat(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** Header bytes (magic to the aligned start of the data section) and each tensor's relative offset. */
export function ggufHeader(
  metadata: ReadonlyArray<[string, GgufMetaValue]>,
  tensors: ReadonlyArray<Omit<GgufTensorToWrite, 'data'> & { byteLength: number }>,
  alignment = 32,
): { header: Uint8Array; offsets: number[] } {
  const b = new Bytes();
  b.push(Buffer.from('GGUF'));
  b.u32(3);
  b.u64(tensors.length);
  const meta =
    alignment === 32
      ? metadata
      : [...metadata, ['general.alignment', { type: 'uint32', value: alignment }] as [string, GgufMetaValue]];
  b.u64(meta.length);
  for (const [key, v] of meta) {
    b.str(key);
    b.u32(TYPE_IDS[v.type]);
    if (v.type === 'array') {
      b.u32(TYPE_IDS[v.of]);
      b.u64(v.value.length);
      for (const x of v.value) b.scalar(v.of, x);
    } else b.scalar(v.type, v.value);
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    const type = ggmlTypeByName(t.type);
    if (!type) throw new RangeError(`unknown ggml type ${t.type}`);
    b.str(t.name);
    b.u32(t.ne.length);
    for (const d of t.ne) b.u64(d);
    b.u32(type.id);
    b.u64(offset);
    offsets.push(offset);
    offset += Math.ceil(t.byteLength / alignment) * alignment;
  }
  const pad = (alignment - (b.length % alignment)) % alignment;
  b.push(new Uint8Array(pad));
  return { header: b.concat(), offsets };
}

export function encodeGguf(
  metadata: ReadonlyArray<[string, GgufMetaValue]>,
  tensors: ReadonlyArray<GgufTensorToWrite>,
  alignment = 32,
): Uint8Array {
  const { header, offsets } = ggufHeader(
    metadata,
    tensors.map((t) => ({ ...t, byteLength: t.data.length })),
    alignment,
  );
  const last = tensors.length ? offsets[offsets.length - 1]! + tensors[tensors.length - 1]!.data.length : 0;
  const out = new Uint8Array(header.length + Math.ceil(last / alignment) * alignment);
  out.set(header, 0);
  for (const [i, t] of tensors.entries()) out.set(t.data, header.length + offsets[i]!);
  return out;
}

/** Streams a GGUF whose tensors are produced one at a time (files larger than memory). */
export async function writeGgufStreaming(
  path: string,
  metadata: ReadonlyArray<[string, GgufMetaValue]>,
  tensors: ReadonlyArray<Omit<GgufTensorToWrite, 'data'> & { byteLength: number }>,
  produce: (index: number) => Uint8Array | Promise<Uint8Array>,
  alignment = 32,
): Promise<void> {
  const { header } = ggufHeader(metadata, tensors, alignment);
  const out = createWriteStream(path);
  const write = async (b: Uint8Array) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  await write(header);
  for (let i = 0; i < tensors.length; i++) {
    const data = await produce(i);
    if (data.length !== tensors[i]!.byteLength)
      throw new RangeError(`tensor ${tensors[i]!.name}: ${data.length} bytes, expected ${tensors[i]!.byteLength}`);
    await write(data);
    const pad = (alignment - (data.length % alignment)) % alignment;
    if (pad) await write(new Uint8Array(pad));
  }
  out.end();
  await once(out, 'finish');
}
