/**
 * Decoder of one GGUF tensor: ggml blocks along the innermost axis (a block never crosses a row),
 * optionally with its leading-axis units stored in llama.cpp's rotary order, which is undone so
 * the tensor reads in the Hugging Face layout. Plain types pass their bytes through; block types
 * are dequantised to float32.
 */
import { InputError } from '../../errors.js';
import type { DecoderOptions, TensorDecoder } from '../decode.js';
import { readPart } from '../parts.js';
import type { TensorEncoding } from '../types.js';
import { ggmlTypeByName, type GgmlType } from './ggml.js';
import { simdDequant, type SimdKernel } from './simd.js';

/**
 * llama.cpp's converter stores q/k rows of each head as HF's [2, hd/2] halves interleaved
 * ([hd/2, 2]): HF unit u of head h, u = h·hd + j·hd/2 + i, is stored at h·hd + 2i + j.
 */
/**
 * Values in one rotary head (head_dim × hidden): real models have at most a few million (Llama 3
 * 405B: 128 × 16,384 = 2^21); this is 8× that, 64 MiB of float32 per band.
 */
const MAX_ROTARY_HEAD_VALUES = 2 ** 24;

export function rotaryStoredIndex(u: number, headDim: number): number {
  const h = Math.floor(u / headDim);
  const r = u - h * headDim;
  const halfDim = headDim / 2;
  const j = r >= halfDim ? 1 : 0;
  const i = r - j * halfDim;
  return h * headDim + 2 * i + j;
}

export function ggmlDecoder(
  enc: TensorEncoding,
  shape: readonly number[],
  name: string,
  opts: DecoderOptions = {},
): TensorDecoder {
  const type = ggmlTypeByName(String(enc.params.type));
  const part = enc.parts[0];
  if (!type || !part) throw new RangeError(`${name}: bad ggml encoding`);
  const heads = typeof enc.params.rotaryHeads === 'number' ? enc.params.rotaryHeads : 0;
  const numel = shape.reduce((a, b) => a * b, 1);
  const units = shape.length > 0 ? shape[0]! : 1;
  const unit = units > 0 ? numel / units : 0;
  const headDim = heads > 0 ? units / heads : 0;
  if (heads > 0 && (!Number.isInteger(headDim) || headDim % 2 !== 0)) {
    throw new InputError(part.file.id, `tensor ${name}: ${units} rows do not split into ${heads} rotary heads`);
  }
  // rows move within a head, so a full read decodes whole heads at once: a head count the file's
  // metadata sets to 1 would make that one band of the whole matrix (gigabytes of float32)
  if (heads > 0 && headDim * unit > MAX_ROTARY_HEAD_VALUES) {
    throw new InputError(
      part.file.id,
      `tensor ${name}: a rotary head of ${headDim * unit} values (${headDim} rows of ${unit}), more than the ` +
        `${MAX_ROTARY_HEAD_VALUES} an attention head has (head_count ${heads} in the metadata)`,
    );
  }
  const values = type.plain ?? 'F32';
  let stepSquares = 0;
  let counted = 0;
  const es = values === 'F32' ? 4 : type.blockBytes;
  // streaming: one buffer of each kind for the whole tensor instead of one per band (memory, GC)
  let floatScratch: Float32Array | undefined;
  let byteScratch: Uint8Array | undefined;
  const floats = (n: number): Float32Array => {
    if (!opts.reuse) return new Float32Array(n);
    if (!floatScratch || floatScratch.length < n) floatScratch = new Float32Array(n);
    return floatScratch;
  };
  const bytesOut = (n: number): Uint8Array => {
    if (!opts.reuse) return new Uint8Array(n);
    if (!byteScratch || byteScratch.length < n) byteScratch = new Uint8Array(n);
    return byteScratch.subarray(0, n);
  };

  // WebAssembly kernels decoding into the caller's arena (streaming full fingerprints)
  const arena = opts.arena;
  const simd: SimdKernel | undefined = arena && !type.plain ? simdDequant(arena.memory)?.[type.name] : undefined;
  const rowBlocks = unit / type.blockElems;
  /** Arena bytes for `elems` values and `blocks` stored blocks (values first, then the blocks). */
  const arenaFits = (elems: number, blocks: number) =>
    4 * elems + blocks * type.blockBytes + 16 <= (arena ? arena.region.length : 0);

  /**
   * Values of elements [start, end) decoded by the kernel into the arena, or undefined when the
   * range is not whole blocks (whole rows when reordered) or does not fit: each stored row is
   * decoded straight to its HF position.
   */
  const arenaRead = async (start: number, end: number): Promise<Uint8Array | undefined> => {
    const region = arena!.region;
    const base = region.byteOffset;
    const out = 4 * (end - start);
    const stage = (out + 15) & ~15;
    if (heads === 0) {
      if (start % type.blockElems !== 0 || end % type.blockElems !== 0) return undefined;
      const b0 = start / type.blockElems;
      const b1 = end / type.blockElems;
      if (!arenaFits(end - start, b1 - b0)) return undefined;
      const bytes = await readPart(part, b0 * type.blockBytes, (b1 - b0) * type.blockBytes);
      opts.onStored?.(b0 * type.blockBytes, bytes);
      region.set(bytes, stage);
      simd!(base + stage, b1 - b0, base);
      if (type.stepSquares) {
        stepSquares += type.stepSquares(bytes, 0, b1 - b0);
        counted += (b1 - b0) * type.blockElems;
      }
      return region.subarray(0, out);
    }
    if (start % unit !== 0 || end % unit !== 0 || unit % type.blockElems !== 0) return undefined;
    const u0 = start / unit;
    const u1 = end / unit;
    let pMin = Infinity;
    let pMax = -Infinity;
    for (let u = u0; u < u1; u++) {
      const p = rotaryStoredIndex(u, headDim);
      if (p < pMin) pMin = p;
      if (p > pMax) pMax = p;
    }
    const rows = pMax + 1 - pMin;
    if (!arenaFits(end - start, rows * rowBlocks)) return undefined;
    const rowBytes = rowBlocks * type.blockBytes;
    const bytes = await readPart(part, pMin * rowBytes, rows * rowBytes);
    opts.onStored?.(pMin * rowBytes, bytes);
    region.set(bytes, stage);
    for (let u = u0; u < u1; u++) {
      simd!(base + stage + (rotaryStoredIndex(u, headDim) - pMin) * rowBytes, rowBlocks, base + 4 * (u - u0) * unit);
    }
    if (type.stepSquares) {
      stepSquares += type.stepSquares(bytes, 0, rows * rowBlocks);
      counted += rows * unit;
    }
    return region.subarray(0, out);
  };

  /** Values of stored elements [s, e), read from the covering blocks. */
  const storedRange = async (s: number, e: number): Promise<Uint8Array> => {
    const b0 = Math.floor(s / type.blockElems);
    const b1 = Math.ceil(e / type.blockElems);
    const bytes = await readPart(part, b0 * type.blockBytes, (b1 - b0) * type.blockBytes);
    opts.onStored?.(b0 * type.blockBytes, bytes);
    if (type.plain) return bytes;
    const out = floats((b1 - b0) * type.blockElems);
    type.dequantize!(bytes, 0, b1 - b0, out, 0);
    if (type.stepSquares) {
      stepSquares += type.stepSquares(bytes, 0, b1 - b0);
      counted += (b1 - b0) * type.blockElems;
    }
    const from = s - b0 * type.blockElems;
    return new Uint8Array(out.buffer, from * 4, (e - s) * 4);
  };

  const read = async (start: number, end: number): Promise<Uint8Array> => {
    if (start >= end) return new Uint8Array(0);
    if (simd) {
      const values = await arenaRead(start, end);
      if (values) return values;
    }
    if (heads === 0) return storedRange(start, end);
    const u0 = Math.floor(start / unit);
    const u1 = Math.floor((end - 1) / unit);
    let pMin = Infinity;
    let pMax = -Infinity;
    for (let u = u0; u <= u1; u++) {
      const p = rotaryStoredIndex(u, headDim);
      if (p < pMin) pMin = p;
      if (p > pMax) pMax = p;
    }
    const stored = await storedRange(pMin * unit, (pMax + 1) * unit);
    const out = bytesOut((end - start) * es);
    for (let u = u0; u <= u1; u++) {
      const w0 = Math.max(start, u * unit) - u * unit;
      const w1 = Math.min(end, (u + 1) * unit) - u * unit;
      const src = ((rotaryStoredIndex(u, headDim) - pMin) * unit + w0) * es;
      out.set(stored.subarray(src, src + (w1 - w0) * es), (u * unit + w0 - start) * es);
    }
    return out;
  };

  return {
    values,
    read,
    ...(type.stepSquares ? { rounding: () => ({ stepSquares, count: counted }) } : {}),
    bandElements(storedBytes: number): number {
      // whole heads when rows move (a band then reads exactly its own rows), whole blocks otherwise
      const granule = heads > 0 ? headDim * unit : type.blockElems;
      let n = Math.floor((storedBytes / type.blockBytes) * type.blockElems);
      // decoding into the arena: bands whose values and stored blocks fit there
      if (simd && arenaFits(granule, granule / type.blockElems)) {
        const room = arena!.region.length - 16;
        n = Math.min(n, Math.floor(room / (4 * type.blockElems + type.blockBytes)) * type.blockElems);
      }
      return Math.max(granule, n - (n % granule));
    },
  };
}

export type { GgmlType };
