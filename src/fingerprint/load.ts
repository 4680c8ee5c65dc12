/**
 * "Give me a fingerprint for this spec": a fingerprint JSON file is read and validated; anything
 * else is opened as a model (file, index, directory, hf: repo) and fingerprinted. The one entry
 * point the CLI, the Action and the App share.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { openModel } from '../formats/model.js';
import '../formats/hub.js'; // registers the hf: source
import { fingerprintModel, type FingerprintOptions } from './model.js';
import { asFingerprint } from './validate.js';
import type { FingerprintDocument } from './types.js';

export interface LoadOptions extends FingerprintOptions {}

export async function readFingerprintFile(path: string): Promise<FingerprintDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
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
  if (/\.json$/i.test(spec) && !/\.safetensors\.index\.json$/i.test(spec)) return readFingerprintFile(spec);
  const model = await openModel(spec);
  try {
    const mode = options.mode ?? (model.kind === 'hub' ? 'sample' : 'full');
    return await fingerprintModel(model, { ...options, mode });
  } finally {
    await model.close();
  }
}
