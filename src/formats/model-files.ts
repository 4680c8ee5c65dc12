/**
 * Which files make up a model as the Action and the App see a repository: the ones whose change
 * warrants re-checking the model (weights, shard index, config, tokenizer), and the ones that make
 * a directory a model.
 */
import { posix } from 'node:path';

const TRIGGER_NAMES = new Set([
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'tokenizer.model',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.json',
  'vocab.txt',
  'merges.txt',
  'spiece.model',
  'README.md',
]);

/** torch.save files: read by the PyTorch reader (zip + restricted pickle), never unpickled. */
const PYTORCH_EXTENSIONS = ['.bin', '.pt', '.pth', '.ckpt'] as const;

export function isPyTorchName(name: string): boolean {
  const lower = name.toLowerCase();
  return PYTORCH_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Files torch.save writes next to the weights in training output folders: never the weights. */
const TRAINING_SIDE_FILES =
  /^(training_args\.bin|optimizer\.(pt|bin)|scheduler\.pt|scaler\.pt|rng_state(_\d+)?\.pth|trainer_state\.pt)$/;

export function isTrainingSideFile(name: string): boolean {
  return TRAINING_SIDE_FILES.test(name);
}

/** Shard indexes of every format the readers open (any letter case). */
export function isShardIndexName(name: string): boolean {
  return /\.(safetensors|bin|pt|pth)\.index\.json$/i.test(name);
}

/**
 * Names a loader could read as weights, in any letter case: safetensors, GGUF, PyTorch
 * checkpoints (not training side files).
 */
export function isWeightsName(name: string): boolean {
  return /\.(safetensors|gguf)$/i.test(name) || (isPyTorchName(name) && !isTrainingSideFile(name));
}

/** A name a check reads as weights or as a shard index (any format the readers open). */
export function isWeightsOrIndexName(name: string): boolean {
  return isShardIndexName(name) || isWeightsName(name);
}

/**
 * Does a change to this path warrant re-checking the model it belongs to? Its weights in every
 * format the readers open, a shard index, config, tokenizer, and the model card (its `base_model`
 * is what the policy holds the weights to).
 */
export function isTriggerFile(path: string): boolean {
  const base = posix.basename(path);
  return isWeightsOrIndexName(base) || TRIGGER_NAMES.has(base);
}

/** Weights or a shard index: files that make a directory a model. */
export function isWeightFile(path: string): boolean {
  return isWeightsOrIndexName(posix.basename(path));
}

/**
 * Weights formats a release may ship that no reader here opens. A pull request that adds one
 * could carry a copy the check never reads (an ONNX or TensorFlow export beside a decoy): the
 * Action and the App refuse it rather than pass it unread.
 */
const UNREADABLE_WEIGHTS: ReadonlyArray<[RegExp, string]> = [
  [/\.onnx(_data)?$/i, 'ONNX'],
  [/\.(h5|hdf5|keras)$/i, 'Keras/TensorFlow'],
  [/\.tflite$/i, 'TensorFlow Lite'],
  [/\.msgpack$/i, 'Flax msgpack'],
  [/\.(pkl|pickle)$/i, 'pickle'],
  [/\.npz$/i, 'NumPy archive'],
  [/\.nemo$/i, 'NeMo archive'],
  [/\.mlmodel$/i, 'Core ML'],
  [/\.pte$/i, 'ExecuTorch'],
  [/\.llamafile$/i, 'llamafile'],
  [/\.npy$/i, 'NumPy array'],
  [/^saved_model\.pb(txt)?$|\.data-\d{5}-of-\d{5}$/i, 'TensorFlow SavedModel/checkpoint'],
  [/\.(pdparams|pdmodel)$/i, 'PaddlePaddle'],
  [/\.params$/i, 'MXNet'],
  [/\.caffemodel$/i, 'Caffe'],
  [/\.ort$/i, 'ONNX Runtime'],
  [/\.joblib$/i, 'joblib pickle'],
  // a readable format compressed is not readable: the bytes a consumer unpacks go unchecked
  [/\.(safetensors|gguf|bin|pt|pth|ckpt|onnx)\.(gz|zst|zstd|xz|bz2|lz4|zip|7z|br)$/i, 'compressed weights'],
  // nor are the parts of a file split for upload (`model.Q8_0.gguf-split-a`, `model.gguf.part1of2`,
  // `model.safetensors.001`): a consumer joins them with cat, no reader sees the joined bytes
  [
    /\.(safetensors|gguf|bin|pt|pth|ckpt)([.-](split-?[a-z0-9]+|part[-_]?\d+(of\d+)?|\d{2,3})|\.(aa|ab|ac|ad|ae))$/i,
    'split weights (parts joined by concatenation)',
  ],
];

/** The format of a weights file no reader opens (by its name), else undefined. */
export function unreadableWeightsFormat(path: string): string | undefined {
  const base = posix.basename(path);
  return UNREADABLE_WEIGHTS.find(([re]) => re.test(base))?.[1];
}

/** The error for such a file, worded the same by the Action and the App. */
export function unreadableWeightsProblem(format: string): string {
  return (
    `${format} weights cannot be read by Weightprint, so it cannot vouch for them (a copy could ship this way ` +
    'beside checked weights): ship safetensors, PyTorch or GGUF, or keep such exports out of the gated repository'
  );
}
