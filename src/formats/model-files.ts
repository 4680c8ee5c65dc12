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
]);

/** Does a change to this path warrant re-checking the model it belongs to? */
export function isTriggerFile(path: string): boolean {
  const base = posix.basename(path);
  return /\.safetensors$/i.test(base) || /\.safetensors\.index\.json$/i.test(base) || TRIGGER_NAMES.has(base);
}

/** Weights or a shard index: files that make a directory a model. */
export function isWeightFile(path: string): boolean {
  return /\.safetensors(\.index\.json)?$/i.test(path);
}
