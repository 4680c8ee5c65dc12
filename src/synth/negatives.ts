/**
 * Hard negatives: pairs of independent models that share something a naive engine counts as
 * copying. Built for the class, each with its own seeds per replica:
 * - frozen sinusoidal position tables stored as weights (Whisper, Marian, Pegasus, XLM): two
 *   independent models hold the table bit for bit, in either layout;
 * - small-width models sharing a tokenizer: their embeddings align on the token axis and carry the
 *   same dominant token profile, while their hidden directions meet at a random angle;
 * - siblings from one random initialisation trained on similar data: matrices, embeddings and norm
 *   gains co-adapt, yet neither was made from the other.
 */
import { Rng } from './random.js';
import { makeBase, sumSq, textSpec, type ModelSpec, type SynthModel } from './model.js';
import { frequencyWeights } from './tokenizer.js';

export type TableLayout = 'halves' | 'interleaved';

/**
 * A sinusoidal position table [positions, dim], written here the way the libraries write it:
 * 'halves' is fairseq's/Whisper's `cat([sin, cos], 1)` over timescales 10000^(−j/(d/2−1)) (with
 * fairseq's padding row zeroed when `paddingRow` is given); 'interleaved' is XLM's/DistilBERT's
 * sin at even channels and cos at odd ones over 10000^(−2⌊j/2⌋/d).
 */
function sinusoidTable(positions: number, dim: number, layout: TableLayout, paddingRow?: number): Float32Array {
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

/**
 * Trained embeddings of small LMs are dominated by one token-axis profile (the first singular
 * component holds 67–98 % of the centred variance in the real llama2.c models, and two independent
 * models' profiles correlate at 0.98): frequency. Adds that profile along a hidden direction of the
 * model's own, with `share` of the embedding's variance (lm_head follows when tied).
 */
function withTokenProfile(model: SynthModel, share: number, seed: number): SynthModel {
  const name = 'model.embed_tokens.weight';
  const e = model.tensors.get(name)!;
  const [rows, cols] = e.shape as [number, number];
  const rng = Rng.derive(seed, 'token-profile');
  const f = frequencyWeights(model.tokenizer, rows);
  // the profile: log-frequency shared through the tokenizer, plus the model's own jitter
  const prof = new Float32Array(rows);
  let m = 0;
  for (let t = 0; t < rows; t++) {
    prof[t] = Math.log(f[t]!) + 0.15 * rng.normal();
    m += prof[t]!;
  }
  m /= rows;
  for (let t = 0; t < rows; t++) prof[t] = prof[t]! - m;
  const dir = rng.normals(cols);
  const base = sumSq(e.values) / e.values.length;
  const raw = (sumSq(prof) / rows) * (sumSq(dir) / cols);
  const k = Math.sqrt((share / (1 - share)) * (base / Math.max(1e-30, raw)));
  const values = Float32Array.from(e.values);
  for (let t = 0; t < rows; t++) for (let c = 0; c < cols; c++) values[t * cols + c] += k * prof[t]! * dir[c]!;
  const tensors = new Map(model.tensors);
  tensors.set(name, { shape: [rows, cols], values });
  if (model.spec.text.tieEmbeddings) tensors.set('lm_head.weight', { shape: [rows, cols], values });
  return { ...model, tensors, history: [...model.history, `withTokenProfile(${share})`] };
}

/** llama2.c-sized text models (width 64, 5 layers, vocabulary 512, tied head). */
const SMALL_TEXT = { hidden: 64, ffn: 172, layers: 5, heads: 8, kvHeads: 4, vocab: 512, tieEmbeddings: true };

/**
 * Two independent width-64 models (own init and training) that share one tokenizer, each embedding
 * dominated by the shared token profile along its own hidden direction.
 */
export function smallWidthPair(seedA: number, seedB: number, tokenizerSeed: number): [SynthModel, SynthModel] {
  const spec = { text: textSpec(SMALL_TEXT) };
  const share = 0.6 + 0.3 * Rng.derive(seedA, 'share').uniform();
  const mk = (seed: number) =>
    withTokenProfile(
      makeBase(spec, { init: seed, train: seed, tokenizer: tokenizerSeed }, { id: `synth/small-${seed}` }),
      share,
      seed,
    );
  return [mk(seedA), mk(seedB)];
}

/** How two runs from one seeded init were trained, beyond `coLearn`. */
export interface SiblingTraining {
  /** Training displacement RMS of each run (relative to the init std): unequal training lengths. */
  trainScales?: [number, number];
  /** Share of the init kept (1: barely trained, the init still dominates every matrix). */
  initKeep?: number;
  /** Width and depth (default llama2.c-sized: width 64, 5 layers, vocabulary 512, tied head). */
  text?: Partial<typeof SMALL_TEXT> & { ffn?: number };
}

/**
 * Two runs of one config from the same seeded init (llama2.c-sized by default, tied head, shared
 * tokenizer), each trained on its own data order: `coLearn` of each training displacement is
 * learned alike, so norm gains co-adapt too (they start from 1.0: all their similarity is
 * co-learned). `training` makes one run longer than the other, or both barely trained.
 */
export function siblingsPair(
  initSeed: number,
  trainSeeds: [number, number],
  coLearn: number,
  training: SiblingTraining = {},
): [SynthModel, SynthModel] {
  const [sa, sb] = training.trainScales ?? [1.4, 1.4];
  const mk = (train: number, trainScale: number) => {
    const spec: ModelSpec = {
      text: textSpec({ ...SMALL_TEXT, ...training.text }),
      recipe: { coLearn, initKeep: training.initKeep ?? 0.6, trainScale },
    };
    return makeBase(spec, { init: initSeed, train, tokenizer: initSeed }, { id: `synth/sibling-${initSeed}-${train}` });
  };
  return [mk(trainSeeds[0], sa), mk(trainSeeds[1], sb)];
}
