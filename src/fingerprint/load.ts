/**
 * "Give me a fingerprint for this spec": a fingerprint JSON file is read and validated; anything
 * else is opened as a model (file, index, directory, hf: repo) and fingerprinted. The one entry
 * point the CLI, the Action and the App share.
 */
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { pinnedHubSpec } from '../formats/hub.js';
import { openModel, type OpenOptions } from '../formats/model.js';
import { type ByteSource, type ContentCheck, fileOf, type ModelSource } from '../formats/types.js';
import { fingerprintModel, type FingerprintOptions } from './model.js';
import { asFingerprint } from './validate.js';
import { plural } from '../util/words.js';
import type { FingerprintDocument } from './types.js';

export interface LoadOptions extends Omit<FingerprintOptions, 'mode'>, OpenOptions {
  /**
   * `full` reads every byte, `sample` (a sketch) the header and the sample coordinates; `auto`
   * is full below AUTO_FULL_MAX_BYTES of weights and a sketch above. Default: a sketch for `hf:`
   * models, full otherwise.
   */
  mode?: FingerprintOptions['mode'] | 'auto';
  /** Told the further weights sets a directory holds besides the ones read (ModelSource.otherWeights). */
  onOtherWeights?: (specs: string[]) => void;
  /** Told the spec that reads the same bytes again when `spec` could resolve elsewhere later (an `hf:` branch). */
  onPinned?: (spec: string) => void;
}

/** `auto` fingerprints models below this many bytes of weights in full, larger ones as a sketch. */
export const AUTO_FULL_MAX_BYTES = 2 * 1024 ** 3;

/** The mode a model is fingerprinted in, given the mode asked for. */
export function chooseMode(asked: LoadOptions['mode'], model: Pick<ModelSource, 'kind' | 'totalBytes'>) {
  if (asked === 'auto') return model.totalBytes < AUTO_FULL_MAX_BYTES ? 'full' : 'sample';
  return asked ?? (model.kind === 'hub' ? 'sample' : 'full');
}

/** Registry entry files are capped the same (a fingerprint of the largest models is far smaller). */
const MAX_FINGERPRINT_BYTES = 512 * 1024 * 1024;

export async function readFingerprintFile(path: string): Promise<FingerprintDocument> {
  let text: string;
  try {
    const st = await stat(path);
    // a FIFO or device never ends; a file this large is not a fingerprint
    if (!st.isFile()) throw new InputError(path, 'is not a regular file');
    if (st.size > MAX_FINGERPRINT_BYTES)
      throw new InputError(path, `is ${st.size} bytes, more than the ${MAX_FINGERPRINT_BYTES} a fingerprint may have`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      path,
      code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? String(err)})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(path, `not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  return asFingerprint(parsed, path);
}

export async function loadFingerprint(spec: string, options: LoadOptions = {}): Promise<FingerprintDocument> {
  if (/\.json$/i.test(spec) && !/\.(safetensors|bin|pt|pth)\.index\.json$/i.test(spec))
    return readFingerprintFile(spec);
  options.signal?.throwIfAborted();
  const model = await openModel(spec, {
    root: options.root,
    hub: options.hub,
    lfs: options.lfs,
    signal: options.signal,
  });
  try {
    if (model.otherWeights?.length) options.onOtherWeights?.(model.otherWeights);
    const pinned = pinnedHubSpec(spec, model);
    if (pinned) options.onPinned?.(pinned);
    const mode = chooseMode(options.mode, model);
    // A full read proves what it read where the files can tell (Git LFS objects: their oid).
    const checked = mode === 'full' ? contentChecked(model) : [];
    for (const { check } of checked) check.begin();
    const doc = await fingerprintModel(model, { ...options, mode });
    if (checked.length) {
      const before = checked.reduce((n, c) => n + c.file.bytesRead(), 0);
      for (const { check } of checked) {
        options.signal?.throwIfAborted();
        await check.finish();
      }
      doc.source.bytesRead += checked.reduce((n, c) => n + c.file.bytesRead(), 0) - before;
      const files = new Set(model.tensors.map((t) => fileOf(t.file))).size;
      doc.source.verified = `${checked[0]!.check.what} of ${checked.length} of ${plural(files, 'weight file')}`;
    }
    return doc;
  } finally {
    await model.close();
  }
}

function contentChecked(model: ModelSource): Array<{ file: ByteSource; check: ContentCheck }> {
  const files = [...new Set(model.tensors.map((t) => fileOf(t.file)))];
  return files.flatMap((file) => (file.contentCheck ? [{ file, check: file.contentCheck }] : []));
}
