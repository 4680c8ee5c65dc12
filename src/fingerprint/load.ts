/**
 * "Give me a fingerprint for this spec": a fingerprint JSON file is read and validated; anything
 * else is opened as a model (file, index, directory, hf: repo) and fingerprinted. The one entry
 * point the CLI, the Action and the App share.
 */
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { openModel, type OpenOptions } from '../formats/model.js';
import { fingerprintModel, type FingerprintOptions } from './model.js';
import { asFingerprint } from './validate.js';
import type { FingerprintDocument } from './types.js';

interface LoadOptions extends FingerprintOptions, OpenOptions {}

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
  const model = await openModel(spec, { root: options.root, hub: options.hub });
  try {
    const mode = options.mode ?? (model.kind === 'hub' ? 'sample' : 'full');
    return await fingerprintModel(model, { ...options, mode });
  } finally {
    await model.close();
  }
}
