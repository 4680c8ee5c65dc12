/** Byte access to the stored pieces of a logical tensor (formats/decode.ts). */
import type { TensorPart } from './types.js';

/** Reads [offset, offset + length) of a part, offsets relative to the part's start. */
export function readPart(part: TensorPart, offset: number, length: number): Promise<Uint8Array> {
  if (
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    !Number.isSafeInteger(length) ||
    offset + length > part.byteLength
  ) {
    throw new RangeError(`read [${offset}, ${offset + length}) outside part ${part.name} (${part.byteLength} bytes)`);
  }
  return part.file.read(part.offset + offset, length);
}
