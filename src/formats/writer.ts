/**
 * Serialises tensors to the safetensors layout (8-byte LE header length, JSON header, data).
 * Used by the model generator, tests and benchmarks; the header is padded to 8 bytes as the
 * reference implementation does.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface TensorToWrite {
  name: string;
  dtype: string;
  shape: number[];
  /** Raw little-endian bytes of the tensor, already in `dtype`. */
  data: Uint8Array;
}

export function safetensorsHeader(
  tensors: ReadonlyArray<Omit<TensorToWrite, 'data'> & { byteLength: number }>,
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.byteLength] };
    offset += t.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const body = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(body.length), true);
  out.set(body, 8);
  return out;
}

export function encodeSafetensors(tensors: TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const head = safetensorsHeader(
    tensors.map((t) => ({ ...t, byteLength: t.data.byteLength })),
    metadata,
  );
  const total = head.length + tensors.reduce((n, t) => n + t.data.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(head, 0);
  let pos = head.length;
  for (const t of tensors) {
    out.set(t.data, pos);
    pos += t.data.byteLength;
  }
  return out;
}

/**
 * Streams a safetensors file whose tensors are produced one at a time, so a file larger than
 * memory can be written (benchmarks). `produce` is called once per tensor, in order.
 */
export async function writeSafetensorsStreaming(
  path: string,
  tensors: ReadonlyArray<{ name: string; dtype: string; shape: number[]; byteLength: number }>,
  produce: (index: number) => Uint8Array | Promise<Uint8Array>,
  metadata?: Record<string, string>,
): Promise<void> {
  const out = createWriteStream(path);
  const write = async (chunk: Uint8Array) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(safetensorsHeader(tensors, metadata));
  for (let i = 0; i < tensors.length; i++) {
    const data = await produce(i);
    if (data.byteLength !== tensors[i]!.byteLength) {
      throw new Error(
        `tensor ${tensors[i]!.name}: produced ${data.byteLength} bytes, expected ${tensors[i]!.byteLength}`,
      );
    }
    await write(data);
  }
  out.end();
  await once(out, 'finish');
}
