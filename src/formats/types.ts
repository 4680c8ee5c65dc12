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

export interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  /** Number of elements (product of shape; 1 for a scalar). */
  numel: number;
  /** Byte length of the tensor data. */
  byteLength: number;
  /** Which file holds it, and where (absolute offset in that file). */
  file: ByteSource;
  offset: number;
}

export interface ModelSource {
  /** What the user named: a path, a directory, `hf:org/name@rev`. */
  id: string;
  kind: 'file' | 'sharded' | 'directory' | 'hub';
  /** Tensors in file order (shard order, then offset order). */
  tensors: TensorEntry[];
  /** `__metadata__` of the (first) safetensors header. */
  metadata: Record<string, string>;
  /** Weight files, as named by the user or the index. */
  files: string[];
  totalBytes: number;
  /** Side files next to the weights (config.json, tokenizer.json, README.md, ...), read on demand. */
  readText(name: string): Promise<string | undefined>;
  /** Binary side files (a SentencePiece tokenizer.model), when the source can read them. */
  readBytes?(name: string): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}
