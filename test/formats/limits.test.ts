/**
 * Safetensors headers are bounded: a header listing more tensors than any model has (a million
 * empty entries fit in a legal 100 MB header) is one InputError, before the duplicate-key scan
 * and the per-tensor bookkeeping, per file and per model.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { openFileSource } from '../../src/formats/file-source.js';
import { openModel } from '../../src/formats/model.js';
import { countTopLevelTensors, MAX_TENSORS, readSafetensorsHeader } from '../../src/formats/safetensors.js';
import { tempDir } from '../registry/fixtures.js';

/** A safetensors file of `n` empty F32 tensors (a legal file: zero-byte spans tile a zero-byte data area). */
function emptyTensors(n: number, prefix = 't'): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`"${prefix}${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
  const json = Buffer.from(`{"__metadata__":{"format":"pt"},${parts.join(',')}}`);
  const out = Buffer.alloc(8 + json.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  return out;
}

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('limits');
});
afterAll(async () => {
  await tmp.cleanup();
});

async function error(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('tensor count limit', () => {
  it('a header of a million and one empty tensors is refused with a clear one-line message', async () => {
    const path = join(tmp.dir, 'million.safetensors');
    await writeFile(path, emptyTensors(MAX_TENSORS + 1));
    const src = await openFileSource(path);
    try {
      const e = await error(readSafetensorsHeader(src));
      expect(e.message).toBe(`${path}: header lists 1000001 tensors, more than the 1,000,000 a model may have`);
    } finally {
      await src.close();
    }
    // through the model opener the CLI uses (exit 2 for an InputError)
    expect((await error(openModel(path))).problem).toMatch(/^header lists 1000001 tensors/);
  }, 120_000);

  it('files under the limit each but over it together: the model is refused at the file that crosses it', async () => {
    const dir = join(tmp.dir, 'sharded');
    await mkdir(dir);
    await writeFile(join(dir, 'model-00001-of-00002.safetensors'), emptyTensors(10, 'a'));
    await writeFile(join(dir, 'model-00002-of-00002.safetensors'), emptyTensors(MAX_TENSORS - 5, 'b'));
    const e = await error(openModel(dir));
    expect(e.message).toBe(
      `${join(dir, 'model-00002-of-00002.safetensors')}: header lists 999995 tensors; ` +
        "with the 10 in the model's other files that is more than the 1,000,000 a model may have",
    );
  }, 120_000);

  it('the count is exact: escapes, nested objects and __metadata__ are not miscounted', () => {
    expect(countTopLevelTensors('{"__metadata__":{"a":"b,c"},"x\\",":{"shape":[1,2],"s":"}"},"y":{}}')).toBe(2);
    expect(countTopLevelTensors('{}')).toBe(0);
    expect(countTopLevelTensors('{"__metadata__":{}}')).toBe(0);
    expect(countTopLevelTensors('{"a":1,"__metadata__x":2}')).toBe(2);
  });

  it('a few thousand empty tensors are fine', async () => {
    const path = join(tmp.dir, 'many.safetensors');
    await writeFile(path, emptyTensors(5000));
    const src = await openFileSource(path);
    try {
      expect((await readSafetensorsHeader(src)).tensors).toHaveLength(5000);
    } finally {
      await src.close();
    }
  });
});
