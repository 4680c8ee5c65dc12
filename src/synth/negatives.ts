/**
 * Hard negatives: pairs of independent models that share something a naive engine counts as
 * copying. Built for the class, each with its own seeds per replica:
 * - frozen sinusoidal position tables stored as weights (Whisper, Marian, Pegasus, XLM): two
 *   independent models hold the table bit for bit, in either layout.
 */
import { Rng } from './random.js';
import type { SynthModel } from './model.js';

export type TableLayout = 'halves' | 'interleaved';

/**
 * A sinusoidal position table [positions, dim], written here the way the libraries write it:
 * 'halves' is fairseq's/Whisper's `cat([sin, cos], 1)` over timescales 10000^(−j/(d/2−1)) (with
 * fairseq's padding row zeroed when `paddingRow` is given); 'interleaved' is XLM's/DistilBERT's
 * sin at even channels and cos at odd ones over 10000^(−2⌊j/2⌋/d).
 */
export function sinusoidTable(positions: number, dim: number, layout: TableLayout, paddingRow?: number): Float32Array {
  const out = new Float32Array(positions * dim);
  const half = Math.floor(dim / 2);
  for (let p = 0; p < positions; p++) {
    const row = p * dim;
    if (layout === 'halves') {
      const step = Math.log(10000) / (half - 1);
      for (let j = 0; j < half; j++) {
        const a = p * Math.exp(-step * j);
        out[row + j] = Math.sin(a);
        out[row + half + j] = Math.cos(a);
      }
    } else {
      for (let j = 0; j < dim; j++) {
        const a = p / 10000 ** ((2 * Math.floor(j / 2)) / dim);
        out[row + j] = j % 2 === 0 ? Math.sin(a) : Math.cos(a);
      }
    }
  }
  if (paddingRow !== undefined) out.fill(0, paddingRow * dim, (paddingRow + 1) * dim);
  return out;
}

/** Where models keep such tables (encoder and decoder of an encoder-decoder, or a decoder-only model). */
const TABLE_NAMES = [
  'model.encoder.embed_positions.weight',
  'model.decoder.embed_positions.weight',
  'model.embed_positions.weight',
];

/**
 * Adds a frozen position table to a model (a new tensor; the model is not otherwise changed).
 * The table's length, name and padding row vary with `seed`; its layout is given.
 */
export function withPositionTable(model: SynthModel, layout: TableLayout, seed: number): SynthModel {
  const rng = Rng.derive(seed, 'position-table');
  const positions = [448, 512, 1026, 1500][rng.int(4)]!;
  const name = TABLE_NAMES[rng.int(TABLE_NAMES.length)]!;
  const dim = model.spec.text.hidden;
  const padding = layout === 'halves' && rng.int(2) === 1 ? 1 : undefined;
  const tensors = new Map(model.tensors);
  tensors.set(name, { shape: [positions, dim], values: sinusoidTable(positions, dim, layout, padding) });
  return { ...model, tensors, history: [...model.history, `withPositionTable(${layout}, ${name})`] };
}
