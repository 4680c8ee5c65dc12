/**
 * The fingerprint document: everything `compare/` needs to judge a model, so that a registry
 * entry can stand in for weights that are not on the machine. Versioned; documented in README.
 */
import type { TokenizerSignature } from './tokenizer.js';
import type { ConfigSignature } from './config.js';
import type { ModelCard } from './card.js';
import type { ChannelProfiles } from './channels.js';
import type { GramSketch } from './gram.js';

/**
 * Schema 2: large tensors are sampled in contiguous runs (fingerprint/sample.ts, `sampling.layout`).
 * Schema 1 documents (grid sample everywhere) are still read; their large tensors share almost no
 * coordinates with a schema 2 document's, so such pairs compare by digests and small tensors only.
 */
export const FINGERPRINT_SCHEMA = 'weightprint.fingerprint/2';
/** Schemas this version reads. */
export const READABLE_SCHEMAS = ['weightprint.fingerprint/1', FINGERPRINT_SCHEMA] as const;
export type FingerprintSchema = (typeof READABLE_SCHEMAS)[number];

export interface Moments {
  mean: number;
  std: number;
  meanAbs: number;
  min: number;
  max: number;
  l2: number;
  /** Count of NaN and ±Inf values (excluded from the other moments). */
  nonFinite: number;
  /** False when computed from the coordinate sample only (sample mode). */
  exact: boolean;
}

/**
 * Values at a deterministic grid of coordinates (see fingerprint/sample.ts): rows of the first
 * axis × positions in the flattened remaining axes, chosen from the shape and seed by the
 * document's layout, so equal shapes share coordinates and an extended first axis keeps those of
 * its common rows. Stored as int8: value ≈ center + scale · q.
 */
export interface TensorSample {
  rows: number;
  cols: number;
  center: number;
  scale: number;
  /** base64 of rows·cols int8 values, row-major over the grid. */
  q: string;
}

/** Facts about a tensor's content that say whether it can have been learned. */
interface TensorTraits {
  /** Distinct values at bf16 precision (full mode), capped at 65536. */
  distinct?: number;
  /**
   * Share of variance along the last axis explained by a per-row sinusoid/linear recurrence
   * x[n-1] + x[n+1] = c·x[n] (1.0 for DFT bases, rotary and position tables; ~0 for learned weights).
   * Measured over the first 65,536 elements.
   */
  structured?: number;
}

export interface TensorFingerprint {
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
  /** SHA-256 of the raw bytes (full mode only). */
  sha256?: string;
  /**
   * Order-free digest: SHA-256 of the sorted histogram of values rounded to bfloat16 (−0 → +0, one
   * NaN). Equal for renamed, transposed, permuted or losslessly up-cast copies (full mode only).
   */
  valueDigest?: string;
  moments?: Moments;
  sample?: TensorSample;
  /**
   * Embedding-like matrices only (token rows × hidden columns): the sampled rows in full, every
   * column. Lets a comparison align hidden dimensions that were permuted (a function-preserving
   * disguise) by matching columns, as AWM does with embedding columns of shared tokens.
   */
  fullRows?: TensorSample;
  /**
   * Patch embeddings only (hidden rows × pixel inputs): every row at the sampled columns, so a
   * permuted hidden dimension of a vision tower can be aligned row by row.
   */
  fullCols?: TensorSample;
  traits?: TensorTraits;
  /**
   * Matrices only: cosine Gram matrices of up to 32 hash-chosen rows (each in full) and columns
   * (each in full), int8 upper triangles (see fingerprint/gram.ts). Unchanged by a rotation of the
   * other axis, by per-unit scales, and (up to signs) by sign flips: the evidence that survives
   * rotation exports. Absent where the rows or columns were not read in full (large sketches).
   */
  gram?: GramSketch;
  /**
   * Small matrices and 4-D convolution kernels: per-channel profiles of both channel axes (scale,
   * and per kernel position mean and relative RMS over the other channel axis; see
   * fingerprint/channels.ts). A channel-pruned copy keeps them for the channels it kept.
   */
  channels?: ChannelProfiles;
  /**
   * The first 256 values in flat (storage) order, int8 (tensors over 4,096 values, full mode): the
   * same values in any reshape of the tensor ([R, C] stored as 1-D or as [2R, C/2]), which a grid
   * sample of the new shape would not share with the old one.
   */
  head?: TensorSample;
  /**
   * Private challenge documents only (never stored): the values of the tensor's flat run
   * (fingerprint/sample.ts flatRun), one row; its start follows from the element count, k and seed.
   */
  flatRun?: TensorSample;
  /** Packed types (FP4, FP6, E8M0): fingerprinted by bytes only. */
  bytesOnly?: boolean;
  /**
   * Set when the tensor is not one plain safetensors tensor (absent in older documents: plain).
   * `dtype` is then the stored type ('Q4_K', 'INT4', 'F8_E4M3'...) and `shape` the logical shape;
   * moments, valueDigest and samples describe the decoded values; sha256 covers the stored bytes
   * (its parts in order), or the decoded values when they were only reordered (scheme 'none').
   */
  encoding?: TensorEncodingInfo;
}

export interface TensorEncodingInfo {
  /** Container: 'gguf', 'safetensors'... */
  format: string;
  /** Quantisation scheme ('Q4_K', 'gptq-int4-g128', 'fp8-block128x128'...), 'none' when values only moved. */
  scheme: string;
  /** False when the scheme is recognised but not decoded (bytes only, listed as not compared). */
  decoded: boolean;
  /** Rows were stored in another order and read back in the reference layout ('rotary': llama.cpp q/k). */
  reordered?: string;
  /**
   * Quantised tensors: RMS of the rounding to the format's grid relative to the values' standard
   * deviation (√(mean step²/12) / std, from the stored scales). A copy of a float tensor differs
   * from it by about this much; a fine-tune by more.
   */
  noise?: number;
}

export type ComponentKind = 'vision' | 'audio' | 'projector' | 'text' | 'embeddings' | 'head' | 'other';

export interface Component {
  /** Human name: "vision encoder", "text decoder", "embeddings", ... */
  name: string;
  kind: ComponentKind;
  /** Common name prefix of its tensors ('' when it is the whole model). */
  prefix: string;
  /** Indices into `tensors`. */
  tensors: number[];
  parameters: number;
}

export interface FingerprintDocument {
  schema: FingerprintSchema;
  tool: { name: 'weightprint'; version: string };
  source: {
    id: string;
    kind: 'file' | 'sharded' | 'directory' | 'hub' | 'merged';
    /** Weight container ('gguf', 'pytorch', ...); absent for safetensors (and in older documents). */
    format?: string;
    files: string[];
    totalBytes: number;
    bytesRead: number;
    metadata?: Record<string, string>;
    /** How the weight files were chosen, when a directory held more than one kind. */
    note?: string;
    /**
     * Full mode only: the bytes read were checked against the digest the files are known by,
     * e.g. `sha256 (Git LFS oid) of 2 of 2 weight files`.
     */
    verified?: string;
  };
  /** full: every byte read (digests exact); sample: header + sample coordinates only. */
  mode: 'full' | 'sample';
  /**
   * The coordinate sample's size, seed and layout. `layout` absent (schema 1): the grid for every
   * tensor; `runs`: tensors above `runsAbove` elements sampled in contiguous runs.
   */
  sampling: {
    k: number;
    seed: number;
    encoding: 'int8';
    /** Absent: schema 1's grid; `secret-runs` only in the challenge's private documents (never stored). */
    layout?: 'runs' | 'secret-runs';
    runsAbove?: number;
  };
  summary: { tensors: number; parameters: number; dtypes: Record<string, number> };
  tensors: TensorFingerprint[];
  components: Component[];
  config?: ConfigSignature;
  tokenizer?: TokenizerSignature;
  card?: ModelCard;
  /** Shards covered when built with --shards i/n (absent for a whole model). */
  shards?: { index: number; count: number; files: string[] };
}
