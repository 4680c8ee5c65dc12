/**
 * Which tensors can carry evidence. Constant and fixed-by-construction tensors (DFT/STFT bases,
 * rotary tables, masks, position ids) are identical across unrelated models; 1-D vectors (norm
 * gains, biases) correlate between unrelated models through shared structure (gains near 1.0,
 * forget-gate biases). They are reported, never counted as evidence of derivation.
 */
import type { TensorFingerprint } from './types.js';
import { computedTable, type Sampling } from './tables.js';

export type EvidenceClass = 'learned' | 'vector' | 'fixed' | 'constant' | 'tiny' | 'bytes';

const FIXED_NAME = new RegExp(
  '(?:stft|fft|dft|basis|inv_freq|rotary|freqs?_cis|cos_cached|sin_cached|position_ids|pos_ids|attn_mask|' +
    'causal_mask|(?:^|[._/])mask(?:[._/]|$)|_buffer(?:$|[._/])|(?:^|[._/])window(?:$|[._/])|mel_filters|' +
    'relative_position_index|num_batches_tracked)',
  'i',
);

/** Above this share of variance explained by a sinusoid/ramp recurrence, a tensor is a table, not weights. */
const STRUCTURED_THRESHOLD = 0.95;
/** Why a tensor is fixed by its name alone (a name the author chose: see opaqueShare). */
const FIXED_BY_NAME = 'a fixed buffer by its name (basis, rotary table, mask, position ids)';
const MIN_EVIDENCE_NUMEL = 64;
const INTEGER_DTYPE = /^(?:[IU](?:8|16|32|64)|BOOL)$/;

export { numel } from './shape.js';
import { numel } from './shape.js';

/**
 * `sampling` is the document's (k, seed): the sample's coordinates are needed to recognise computed
 * tables from the sample (defaults to the standard sampling).
 */
export function classifyTensor(t: TensorFingerprint, sampling?: Sampling): { cls: EvidenceClass; why?: string } {
  if (t.bytesOnly || !t.sample) {
    // a quantisation we do not decode (GGUF IQ2_XXS, …) is named, so a report says which types went unseen
    const notDecoded =
      t.encoding && !t.encoding.decoded ? `${t.encoding.format} ${t.dtype} values are not decoded: ` : '';
    return { cls: 'bytes', why: `${notDecoded}${t.dtype} is fingerprinted by its bytes only` };
  }
  if ((t.traits?.distinct !== undefined && t.traits.distinct <= 2) || t.sample.scale === 0 || t.moments?.std === 0) {
    return { cls: 'constant', why: 'constant (or two-valued) tensor: identical in unrelated models by construction' };
  }
  // weights stored as integers without a quantisation decoder (a float matrix bitcast to I32, raw U8
  // bytes) carry no values the engine can compare: opaque, however matrix-like their numbers look
  if (INTEGER_DTYPE.test(t.dtype) && !t.encoding) {
    return { cls: 'bytes', why: `${t.dtype} integers are not weight values the engine can compare` };
  }
  if (FIXED_NAME.test(t.name)) return { cls: 'fixed', why: FIXED_BY_NAME };
  if ((t.traits?.structured ?? 0) >= STRUCTURED_THRESHOLD) {
    return {
      cls: 'fixed',
      why: `a computed table (rows follow a sinusoid/ramp recurrence, R² ${t.traits!.structured!.toFixed(3)})`,
    };
  }
  const n = numel(t.shape);
  if (n >= MIN_EVIDENCE_NUMEL) {
    const table = computedTable(t, sampling);
    if (table) return { cls: 'fixed', why: `a computed table: ${table.formula}` };
  }
  if (n < MIN_EVIDENCE_NUMEL) return { cls: 'tiny', why: `${n} values: too few to be evidence` };
  if (t.shape.filter((d) => d > 1).length <= 1) {
    return { cls: 'vector', why: '1-D (norm gains, biases): correlates between unrelated models, context only' };
  }
  return { cls: 'learned' };
}

/**
 * Share of a model's parameters the engine cannot compare as matrices: 1-D tensors (norm gains and
 * biases are a few percent of a real model) and tensors fingerprinted by their bytes only (integer
 * or packed types). A model whose parameters are mostly there is not a "new architecture": its
 * matrices may be stored flattened or bitcast.
 */
export const MAX_OPAQUE_SHARE = 0.5;

export function opaqueShare(tensors: Iterable<{ cls: EvidenceClass; shape: readonly number[]; why?: string }>): {
  share: number;
  opaque: number;
  total: number;
} {
  let opaque = 0;
  let total = 0;
  for (const t of tensors) {
    // a tensor fixed by its name alone is opaque too: renaming a matrix "…mask" must not hide it
    const byName = t.cls === 'fixed' && t.why === FIXED_BY_NAME;
    if (t.cls !== 'learned' && t.cls !== 'vector' && t.cls !== 'bytes' && !byName) continue;
    const n = numel(t.shape);
    total += n;
    if (t.cls !== 'learned') opaque += n;
  }
  return { share: total ? opaque / total : 0, opaque, total };
}

/** opaqueShare of a fingerprint document's tensors. */
export function documentOpaqueShare(
  tensors: readonly TensorFingerprint[],
  sampling?: Sampling,
): ReturnType<typeof opaqueShare> {
  return opaqueShare(tensors.map((t) => ({ ...classifyTensor(t, sampling), shape: t.shape })));
}

/**
 * Values a flattened copy may carry beyond the matrix's (appended padding): a 1-D tensor up to this
 * many values longer than a matrix is compared with it in flat order from index 0
 * (compare/reshape.ts), and the registry's shortlist asks for those counts (registry/keys.ts).
 */
export const FLAT_SLACK = 16;
