/**
 * The registry format: `index.json` (compact shortlist keys per entry) plus one fingerprint file
 * per entry (`.json` or `.json.gz`), each pinned by the SHA-256 of its stored bytes.
 */
import type { TokenConvention } from '../fingerprint/tokenizer.js';

export const REGISTRY_SCHEMA = 'weightprint.registry/1';

export type EntryKind = 'weights' | 'tokenizer' | 'config';

/**
 * What `check` needs to decide whether an entry is worth loading, in a few hundred bytes.
 * Hashes are hex prefixes of SHA-256 (collisions only cost a needless load).
 */
export interface ShortlistKeys {
  /**
   * Layout-free shape keys of learned matrices (hash of the sorted dimensions, so a transposed
   * or renamed copy still matches) → share of the entry's learned parameters in that shape.
   */
  s?: Record<string, number>;
  /** SHA-256 and order-free value-digest prefixes of the largest learned tensors per component (full-mode entries). */
  d?: string[];
  /**
   * Sign sketches `<exact-shape hash>:<64-bit sign pattern>` of the largest learned tensors per
   * component: bit i is the sign of the i-th sampled value. Two tensors with correlation r agree
   * on a bit with probability 1 − arccos(r)/π, so a fine-tune stands out from chance (32 ± 4).
   */
  h?: string[];
  /** Tokenizer: vocabulary digest prefix, bottom-64 of the token sketch (base64 u64 BE), token count, convention. */
  t?: { v: string; m: string; n: number; c: TokenConvention };
  /** Config: architecture digest prefix, model type, sub-config digest prefixes. */
  c?: { a: string; mt?: string; sub?: string[] };
  /**
   * Structural keys of learned tensors that may be aligned though their shapes differ: element
   * counts (`n`: a reshaped or flattened tensor) and sub-blocks (`b`: the sorted dimensions with one
   * axis left out, so a tensor pruned or extended along one axis shares a key). Absent in entries
   * indexed before they existed.
   */
  n?: string[];
  b?: string[];
}

export interface RegistryEntry {
  /** `hf:org/name@revision`, or a local name such as `tokenizer/qwen2.5`. */
  id: string;
  /** Path of the fingerprint file relative to the registry root. */
  file: string;
  /** SHA-256 of the file's bytes as stored (compressed, if gzip). */
  sha256: string;
  family: string;
  license: string;
  kind: EntryKind;
  /** Generated for demonstrations: never a real model. */
  demo?: boolean;
  /** A public base vocabulary that independent models start from (cl100k_base, GPT-2): explains overlap. */
  ancestor?: boolean;
  /** Component names of the fingerprint (vision encoder, text decoder, ...). */
  components: string[];
  /** Fingerprint schema of the entry file. */
  schemaVersion: string;
  /** Fingerprint mode (sample entries carry no exact digests). */
  mode?: 'full' | 'sample';
  /** `k:seed` of the coordinate sample: sign sketches only compare under equal sampling. */
  sampling?: string;
  parameters?: number;
  /** Where the fingerprint was computed from (hub id at a commit, a knownmodels path). */
  source?: string;
  shortlist: ShortlistKeys;
}

export interface RegistryIndex {
  schema: typeof REGISTRY_SCHEMA;
  entries: RegistryEntry[];
}

/**
 * An entry that could not be used (tampered, unreachable, unreadable, malformed in the index).
 * A check that meets one cannot call the model independent: the entry might have matched.
 */
export interface RegistryError {
  /** Entry id, or `<index.json>: entries[i]` for an index row without a usable id. */
  entry: string;
  /** One line: what went wrong. */
  reason: string;
}

export interface ShortlistCandidate {
  entry: RegistryEntry;
  /** Why it was shortlisted: "3 shared digests", "shapes 85 %", "tokenizer identical", ... */
  reasons: string[];
  /** Ranking score (higher first); digests dominate, then sketches, then shapes. */
  score: number;
}
