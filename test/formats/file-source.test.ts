import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, openFileSource } from '../../src/formats/file-source.js';
import { safetensorsHeader, writeSafetensorsStreaming } from '../../src/formats/writer.js';
import { expectInputError, makeTempDir, pattern, writeBytes } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
afterAll(() => cleanup());

describe('openFileSource', () => {
  it('reads exact ranges and counts the bytes read', async () => {
    const bytes = pattern(1000);
    const path = await writeBytes(dir, 'plain.bin', bytes);
    const src = await openFileSource(path);
    expect(src.id).toBe(path);
    expect(src.size).toBe(1000);
    expect(await src.read(10, 5)).toEqual(bytes.slice(10, 15));
    expect(await src.read(1000, 0)).toEqual(new Uint8Array(0));
    expect(src.bytesRead()).toBe(5);
    await src.close();
    await src.close(); // idempotent
  });

  it('rejects a read past the end as truncated, naming the file', async () => {
    const path = await writeBytes(dir, 'short.bin', pattern(100));
    const src = await openFileSource(path);
    await expectInputError(src.read(90, 20), path, 'truncated', '[90, 110)', '100 bytes');
    await src.close();
  });

  it('rejects invalid ranges as caller bugs', async () => {
    const src = bufferSource('mem', pattern(10));
    await expect(src.read(-1, 2)).rejects.toBeInstanceOf(RangeError);
    await expect(src.read(0.5, 2)).rejects.toBeInstanceOf(RangeError);
  });

  it('reports a missing path and a directory', async () => {
    const missing = join(dir, 'nope.safetensors');
    await expectInputError(openFileSource(missing), missing, 'no such file or directory');
    await expectInputError(openFileSource(dir), dir, 'is a directory');
  });

  it('streams chunks that each own their buffer and cover the range', async () => {
    const bytes = pattern(10_000, 3);
    const path = await writeBytes(dir, 'stream.bin', bytes);
    const src = await openFileSource(path);
    const chunks: Uint8Array[] = [];
    for await (const c of src.stream(100, 9_000, 4096)) chunks.push(c);
    expect(chunks.map((c) => c.length)).toEqual([4096, 4096, 808]);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(3);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(bytes.slice(100, 9_100)));
    await src.close();
  });

  it('fails a stream over a truncated range before yielding anything', async () => {
    const path = await writeBytes(dir, 'stream-short.bin', pattern(100));
    const src = await openFileSource(path);
    const it = src.stream(0, 200, 10)[Symbol.asyncIterator]();
    await expectInputError(it.next(), path, 'truncated');
    expect(src.bytesRead()).toBe(0);
    await src.close();
  });
});

describe('bufferSource', () => {
  it('returns copies and streams like a file', async () => {
    const bytes = pattern(50);
    const src = bufferSource('mem:x', bytes);
    const got = await src.read(0, 10);
    got[0] = 99;
    expect(bytes[0]).not.toBe(99);
    const sizes: number[] = [];
    for await (const c of src.stream(0, 50, 16)) sizes.push(c.length);
    expect(sizes).toEqual([16, 16, 16, 2]);
    await expectInputError(src.read(45, 10), 'mem:x', 'truncated');
  });
});

describe('big-file streaming', () => {
  const MiB = 1024 * 1024;

  it('streams a 64 MiB file in 1 MiB chunks, one chunk in flight, never the whole file', async () => {
    const path = join(dir, 'big.safetensors');
    const tensors = Array.from({ length: 64 }, (_, i) => ({
      name: `t${i}`,
      dtype: 'U8',
      shape: [MiB],
      byteLength: MiB,
    }));
    await writeSafetensorsStreaming(path, tensors, (i) => pattern(MiB, i));
    // Expected bytes rebuilt piecewise, so the test itself never holds the file either.
    const expected = createHash('sha256').update(safetensorsHeader(tensors));
    for (let i = 0; i < tensors.length; i++) expected.update(pattern(MiB, i));
    const size = safetensorsHeader(tensors).length + 64 * MiB;

    const src = await openFileSource(path);
    expect(src.size).toBe(size);
    const actual = createHash('sha256');
    let count = 0;
    let largestBuffer = 0;
    for await (const chunk of src.stream(0, size, MiB)) {
      count++;
      // Lazy: nothing is read ahead of what the consumer has taken.
      expect(src.bytesRead()).toBe(Math.min(count * MiB, size));
      expect(chunk.length).toBe(count * MiB <= size ? MiB : size % MiB);
      largestBuffer = Math.max(largestBuffer, chunk.buffer.byteLength);
      actual.update(chunk);
    }
    await src.close();
    expect(count).toBe(Math.ceil(size / MiB));
    expect(largestBuffer).toBe(MiB);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
  });
});
