/** Checks that parsed JSON is a fingerprint document this version can compare. */
import { InputError } from '../errors.js';
import { FINGERPRINT_SCHEMA, type FingerprintDocument } from './types.js';

export function isFingerprintLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { schema?: unknown }).schema === 'string' &&
    (value as { schema: string }).schema.startsWith('weightprint.fingerprint/')
  );
}

export function asFingerprint(value: unknown, source: string): FingerprintDocument {
  if (!isFingerprintLike(value))
    throw new InputError(source, 'not a weightprint fingerprint (no "schema": "weightprint.fingerprint/…")');
  const doc = value as FingerprintDocument;
  if (doc.schema !== FINGERPRINT_SCHEMA) {
    throw new InputError(
      source,
      `fingerprint schema ${doc.schema} is not supported (this version reads ${FINGERPRINT_SCHEMA})`,
    );
  }
  if (!Array.isArray(doc.tensors)) throw new InputError(source, 'fingerprint has no "tensors" array');
  if (!Array.isArray(doc.components)) throw new InputError(source, 'fingerprint has no "components" array');
  if (typeof doc.sampling?.k !== 'number' || typeof doc.sampling?.seed !== 'number') {
    throw new InputError(source, 'fingerprint has no valid "sampling" {k, seed}');
  }
  doc.tensors.forEach((t, i) => {
    if (typeof t?.name !== 'string' || !Array.isArray(t.shape) || typeof t.dtype !== 'string') {
      throw new InputError(source, `tensors[${i}] lacks name, dtype or shape`);
    }
  });
  doc.components.forEach((c, i) => {
    if (!Array.isArray(c?.tensors) || c.tensors.some((j) => !Number.isInteger(j) || j < 0 || j >= doc.tensors.length)) {
      throw new InputError(source, `components[${i}] refers to tensors that do not exist`);
    }
  });
  return doc;
}
