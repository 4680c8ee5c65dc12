/** What a model reader hands out: tensor metadata and byte ranges, nothing else. */

/** Random access to the bytes of one file, local or remote. Readers take it as a parameter. */
export interface ByteSource {
  /** Path or URL, used in error messages. */
  readonly id: string;
  readonly size: number;
  /** Exactly `length` bytes at `offset`, or an InputError naming the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Sequential chunks covering [offset, offset+length), each at most `chunkSize` bytes. */
  stream(offset: number, length: number, chunkSize?: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
  /** Bytes actually fetched so far (for remote sources: what crossed the network). */
  bytesRead(): number;
  /** Set for local files, so worker threads can open the file themselves. */
  readonly localPath?: string;
  /**
   * The file this source presents bytes of, when it wraps one (a gathered PyTorch view): its
   * reads are counted there, and it belongs to that file's shard.
   */
  readonly within?: ByteSource;
  /** Set when the source can prove a full read saw exactly the bytes its name commits to (a Git LFS oid). */
  readonly contentCheck?: ContentCheck;
}

/**
 * Verification of a whole file's content against the digest it is known by. A full fingerprint
 * calls begin() before reading the tensors and finish() after: the source hashes every byte it
 * serves in file order, reads what the fingerprint skipped (headers, padding), and fails on a
 * mismatch. A sketch never calls it, and says so.
 */
export interface ContentCheck {
  /** What is verified, for reports: e.g. `sha256 (Git LFS oid)`. */
  readonly what: string;
  begin(): void;
  /** Resolves when every byte hashed to the expected digest; an InputError naming the file otherwise. */
  finish(): Promise<void>;
}

/** The file a tensor's bytes come from (the source itself unless it wraps one). */
export function fileOf(source: ByteSource): ByteSource {
  return source.within ?? source;
}

export type DecodedDType =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'F8_E4M3'
  | 'F8_E5M2'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL';

/** Newer packed types: recognised, fingerprinted by their bytes only. */
export type PackedDType = 'F8_E8M0' | 'E8M0' | 'F4' | 'FP4' | 'F6_E2M3' | 'F6_E3M2' | 'F8_E4M3FNUZ' | 'F8_E5M2FNUZ';

export type DType = DecodedDType | PackedDType;

/**
 * How a tensor is stored when it is not one safetensors dtype over one byte range: ggml block
 * types (GGUF) and packed integer codes of quantised checkpoints (GPTQ/AWQ INT2–8, NF4, MXFP4).
 * GGUF's plain types share the safetensors names (F32, F16, BF16, I8...). A ggml type id this
 * reader does not know is named GGML_TYPE_<id>.
 */
export type StorageDType =
  | 'Q4_0'
  | 'Q4_1'
  | 'Q5_0'
  | 'Q5_1'
  | 'Q8_0'
  | 'Q8_1'
  | 'Q2_K'
  | 'Q3_K'
  | 'Q4_K'
  | 'Q5_K'
  | 'Q6_K'
  | 'Q8_K'
  | 'IQ2_XXS'
  | 'IQ2_XS'
  | 'IQ3_XXS'
  | 'IQ1_S'
  | 'IQ4_NL'
  | 'IQ3_S'
  | 'IQ2_S'
  | 'IQ4_XS'
  | 'IQ1_M'
  | 'TQ1_0'
  | 'TQ2_0'
  | 'MXFP4'
  | 'NVFP4'
  | 'Q1_0'
  | 'Q2_0'
  | 'INT2'
  | 'INT3'
  | 'INT4'
  | 'INT8'
  | 'NF4'
  | `GGML_TYPE_${number}`;

/** One stored piece of a logical tensor: the packed codes, its scales, zero points, group index... */
export interface TensorPart {
  /** What the piece holds ('data', 'scales', 'zeros', 'g_idx', 'absmax'...), as the decoder names it. */
  role: string;
  /** The piece's own tensor name in the file (multi-part schemes), for messages. */
  name: string;
  /** Stored dtype and shape of the piece. */
  dtype: string;
  shape: number[];
  file: ByteSource;
  /** Absolute offset in `file`, and length. */
  offset: number;
  byteLength: number;
}

/**
 * A logical tensor whose values come from a decoder rather than from decoding `dtype` element by
 * element over [offset, offset + byteLength): ggml blocks, multi-part quantisation schemes, rows
 * stored in another order (llama.cpp's rotary q/k layout). Plain data plus byte ranges, so a
 * worker thread can rebuild the decoder (formats/decode.ts) from it.
 */
export interface TensorEncoding {
  /** Container of the stored bytes. */
  format: 'gguf' | 'safetensors';
  /** Decoder that turns the parts into values ('ggml', 'gptq', 'awq', 'fp8', 'mxfp4', 'bnb'...). */
  decoder: string;
  /** Quantisation scheme as reported ('Q4_K', 'gptq-int4-g128', 'fp8-block128'...); 'none' when values only move. */
  scheme: string;
  /**
   * dtype of the values the decoder yields: 'F32' after dequantisation, or the stored plain dtype
   * when values are only reordered (bytes pass through unchanged, digests stay exact).
   * Absent: the scheme is recognised but not decoded; the tensor is fingerprinted by its bytes.
   */
  values?: DecodedDType;
  /** Decoder parameters: plain JSON (bits, group size, block shape, row order...). */
  params: Record<string, number | string | boolean | number[]>;
  parts: TensorPart[];
}

export interface TensorEntry {
  name: string;
  /** Stored dtype: a safetensors dtype, or a ggml / packed type when `encoding` is set. */
  dtype: DType | StorageDType;
  shape: number[];
  /** Number of elements (product of shape; 1 for a scalar). */
  numel: number;
  /** Byte length of the tensor data. */
  byteLength: number;
  /**
   * Which file holds it, and where (absolute offset in that file). With `encoding`: the first
   * part's file and offset, and `byteLength` is the sum over all parts.
   */
  file: ByteSource;
  offset: number;
  /** Set when the values come from a decoder (see TensorEncoding); absent for plain tensors. */
  encoding?: TensorEncoding;
}

export interface ModelSource {
  /** What the user named: a path, a directory, `hf:org/name@rev`. */
  id: string;
  kind: 'file' | 'sharded' | 'directory' | 'hub';
  /** Weight container ('gguf', 'pytorch'; several joined by '+'); absent means safetensors. */
  format?: 'safetensors' | 'gguf' | 'pytorch' | (string & {});
  /** Tensors in file order (shard order, then offset order). */
  tensors: TensorEntry[];
  /** `__metadata__` of the (first) safetensors header; what the PyTorch reader found for a checkpoint. */
  metadata: Record<string, string>;
  /** One line on how the weights were chosen (e.g. safetensors preferred over pytorch_model.bin). */
  note?: string;
  /** Weight files, as named by the user or the index. */
  files: string[];
  /**
   * Further weights sets the named directory holds besides `files` (other formats, indexes,
   * names), each a path openModel opens: a check reads them as models of their own.
   */
  otherWeights?: string[];
  totalBytes: number;
  /** Side files next to the weights (config.json, tokenizer.json, README.md, ...), read on demand. */
  readText(name: string): Promise<string | undefined>;
  /** Binary side files (a SentencePiece tokenizer.model), when the source can read them. */
  readBytes?(name: string): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}
