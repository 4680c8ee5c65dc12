/**
 * Logical tensors: values produced by a decoder over stored byte ranges (ggml blocks, GPTQ/AWQ/
 * FP8/MXFP4/NF4 parts, rows kept in another order). Fingerprinting asks only two questions,
 * whatever the format: "the values of elements [start, end)" (full mode streams the tensor in
 * bands) and "the values at these rows × columns" (sample mode). Each decoder reads just the
 * stored bytes that cover what was asked, so layout code never needs to know the format.
 */
import { InputError } from '../errors.js';
import { decodeToFloat32 } from './dtypes.js';
import { ggmlDecoder } from './gguf/decoder.js';
import { quantDecoder } from './quant/decoder.js';
import type { ByteSource, DecodedDType, TensorEncoding, TensorEntry, TensorPart } from './types.js';

export { readPart } from './parts.js';

export interface TensorDecoder {
  /** dtype of the bytes `read` returns ('F32' for dequantised values). */
  readonly values: DecodedDType;
  /** Values of flat elements [start, end) (row-major over the logical shape), as `values` bytes. */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Elements per read when streaming: whole decoder units (blocks, heads, groups) of about `storedBytes`. */
  bandElements(storedBytes: number): number;
  /**
   * Values at the grid `rows` × `cols` of the R × C view, row-major. Decoders whose storage is
   * not row-major in the logical shape (GPTQ packs along the input axis) implement it; the default
   * reads each row's span from its first to its last column.
   */
  readGrid?(rows: ArrayLike<number>, cols: ArrayLike<number>, C: number): Promise<Float32Array>;
  /**
   * Quantised decoders: Σ squared grid step over the elements decoded so far, and their count
   * (step²/12 is the rounding variance; see TensorEncodingInfo.noise).
   */
  rounding?(): { stepSquares: number; count: number };
}

export interface DecoderOptions {
  /**
   * Called with every range of a single-part encoding's stored bytes that a read decodes
   * (`offset` relative to the part), in read order: a full fingerprint hashes the stored bytes in
   * the same pass as it decodes them instead of reading them twice.
   */
  onStored?: (offset: number, bytes: Uint8Array) => void;
  /**
   * Each read's values are consumed before the next read starts (streaming a tensor): the decoder
   * may hand out views of buffers it reuses, so memory stays at one band.
   */
  reuse?: boolean;
  /**
   * A WebAssembly memory the caller owns for the duration of the stream (with `reuse`): decoders
   * with WebAssembly kernels stage stored bytes and write decoded values inside `region` (a view
   * of `memory`), and return views of it, so the caller's kernels read the values in place. Each
   * read overwrites the previous one's values; nothing else may write the region meanwhile.
   */
  arena?: DecodeArena;
}

export interface DecodeArena {
  /** A WebAssembly.Memory. */
  memory: object;
  /** The part of its buffer the decoder may use, 16-byte aligned. */
  region: Uint8Array;
}

type DecoderFactory = (
  encoding: TensorEncoding,
  shape: readonly number[],
  name: string,
  opts: DecoderOptions,
) => TensorDecoder;

const FACTORIES: Record<string, DecoderFactory> = { ggml: ggmlDecoder, quant: quantDecoder };

/** The decoder of a logical tensor; an InputError when its scheme is recognised but not decoded. */
export function openDecoder(t: TensorEntry, opts: DecoderOptions = {}): TensorDecoder {
  const enc = t.encoding;
  if (!enc) throw new RangeError(`${t.name} is a plain tensor, not a logical one`);
  const factory = FACTORIES[enc.decoder];
  if (!factory || !enc.values) throw new InputError(t.file.id, `tensor ${t.name}: ${t.dtype} values are not decoded`);
  return factory(enc, t.shape, t.name, opts);
}

/**
 * The whole tensor in bands of about `bandBytes` stored bytes: each item is the band's values (as
 * the decoder's `values` dtype) and the stored bytes it stands for (progress sums to byteLength).
 */
export async function* streamDecoded(
  t: TensorEntry,
  decoder: TensorDecoder,
  bandBytes: number,
): AsyncIterable<{ values: Uint8Array; storedBytes: number }> {
  const band = decoder.bandElements(bandBytes);
  let reported = 0;
  for (let start = 0; start < t.numel; start += band) {
    const end = Math.min(t.numel, start + band);
    const values = await decoder.read(start, end);
    const upTo = Math.round((t.byteLength * end) / t.numel);
    yield { values, storedBytes: upTo - reported };
    reported = upTo;
  }
}

/** Values at `rows` × `cols` of the R × C view (row-major), reading only what covers them. */
export async function readGridValues(
  decoder: TensorDecoder,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  C: number,
): Promise<Float32Array> {
  if (decoder.readGrid) return decoder.readGrid(rows, cols, C);
  const out = new Float32Array(rows.length * cols.length);
  if (cols.length === 0) return out;
  const c0 = cols[0]!;
  const c1 = cols[cols.length - 1]!;
  const spans = await Promise.all(
    Array.from(rows, (r) => decoder.read(r * C + c0, r * C + c1 + 1).then((b) => toFloat32(decoder.values, b))),
  );
  let n = 0;
  for (const span of spans) for (let j = 0; j < cols.length; j++) out[n++] = span[cols[j]! - c0]!;
  return out;
}

export function toFloat32(dtype: DecodedDType, bytes: Uint8Array): Float32Array {
  if (dtype === 'F32' && bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return decodeToFloat32(dtype, bytes);
}

// ---------------------------------------------------------------------------------------------
// Worker threads: an encoding travels as plain data, parts naming their files by path.

interface PartSpec extends Omit<TensorPart, 'file'> {
  path: string;
}
export interface EncodingSpec extends Omit<TensorEncoding, 'parts'> {
  parts: PartSpec[];
}

/** Plain-data copy of an encoding, or undefined when a part is not in a local file. */
export function encodingSpec(enc: TensorEncoding): EncodingSpec | undefined {
  if (enc.parts.some((p) => !p.file.localPath)) return undefined;
  return { ...enc, parts: enc.parts.map(({ file, ...p }) => ({ ...p, path: file.localPath! })) };
}

/** Rebuilds an encoding from its spec with the caller's open files (one ByteSource per path). */
export function reviveEncoding(spec: EncodingSpec, sources: ReadonlyMap<string, ByteSource>): TensorEncoding {
  return {
    ...spec,
    parts: spec.parts.map(({ path, ...p }) => {
      const file = sources.get(path);
      if (!file) throw new RangeError(`no open source for ${path}`);
      return { ...p, file };
    }),
  };
}
