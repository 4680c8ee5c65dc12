import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_DTYPES,
  decodeToFloat64,
  dtypeInfo,
  encodeFromFloat32,
  isDecodable,
  tensorByteLength,
} from '../../src/formats/dtypes.js';
import { bufferSource, openFileSource } from '../../src/formats/file-source.js';
import {
  findDuplicateKey,
  isLfsPointer,
  MAX_HEADER_BYTES,
  parseLfsPointer,
  readSafetensorsHeader,
  type SafetensorsHeader,
} from '../../src/formats/safetensors.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';
import {
  expectInputError,
  makeTempDir,
  pattern,
  rawSafetensors,
  rawWithHeaderBytes,
  smallModel,
  writeBytes,
} from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
afterAll(() => cleanup());

let fileNo = 0;
/** Writes `bytes` to a fresh temp file and reads its header through a real file handle. */
async function readFromDisk(bytes: Uint8Array | string): Promise<{ path: string; result: Promise<SafetensorsHeader> }> {
  const path = await writeBytes(dir, `case${fileNo++}.safetensors`, bytes);
  const src = await openFileSource(path);
  const result = readSafetensorsHeader(src).finally(() => src.close());
  return { path, result };
}

async function expectDefect(bytes: Uint8Array | string, ...fragments: string[]): Promise<void> {
  const { path, result } = await readFromDisk(bytes);
  await expectInputError(result, path, ...fragments);
}

const entry = (dtype: string, shape: unknown, data_offsets: unknown) => ({ dtype, shape, data_offsets });

describe('readSafetensorsHeader: valid files', () => {
  it('reads tensors, metadata and the data start', async () => {
    const bytes = smallModel('', { format: 'pt', note: 'x' });
    const { result } = await readFromDisk(bytes);
    const h = await result;
    expect(h.metadata).toEqual({ format: 'pt', note: 'x' });
    expect(h.tensors.map((t) => [t.name, t.dtype, t.shape, t.numel, t.byteLength])).toEqual([
      ['a.weight', 'F32', [2, 3], 6, 24],
      ['a.bias', 'F32', [3], 3, 12],
      ['b.codes', 'I8', [4], 4, 4],
    ]);
    expect(h.tensors[0]!.offset).toBe(h.dataStart);
    expect(h.tensors[2]!.offset + 4).toBe(bytes.length);
  });

  it('returns tensors in offset order whatever the JSON order', async () => {
    const header = { z: entry('U8', [2], [0, 2]), b: entry('U8', [1], [3, 4]), a: entry('U8', [1], [2, 3]) };
    const h = await readSafetensorsHeader(bufferSource('mem', rawSafetensors(header, pattern(4))));
    expect(h.tensors.map((t) => t.name)).toEqual(['z', 'a', 'b']);
    expect(h.metadata).toEqual({});
  });

  it('accepts scalars, empty tensors, an empty header and a "__proto__" metadata key', async () => {
    const tensors = JSON.stringify({ s: entry('F64', [], [0, 8]), e: entry('F32', [0, 1e15], [8, 8]) });
    const text = `{"__metadata__":{"__proto__":"kept"},${tensors.slice(1)}`;
    const h = await readSafetensorsHeader(bufferSource('mem', rawSafetensors(text, pattern(8))));
    expect(h.tensors.map((t) => [t.name, t.numel, t.byteLength])).toEqual([
      ['s', 1, 8],
      ['e', 0, 0],
    ]);
    expect(Object.keys(h.metadata)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(h.metadata, '__proto__')?.value).toBe('kept');
    expect((await readSafetensorsHeader(bufferSource('mem', rawSafetensors('{}')))).tensors).toEqual([]);
  });

  it('reads a file holding every dtype, and decodes the decodable ones', async () => {
    const values = Float32Array.from([0, -1.5, 2, 0.25, -448, 3]);
    const tensors: TensorToWrite[] = ALL_DTYPES.map((dtype, i) => {
      const numel = dtypeInfo(dtype).bits < 8 ? 5 : 6; // odd count: packed sizes round up
      return { name: `t${i}.${dtype}`, dtype, shape: [numel], data: dataFor(dtype, values, numel) };
    });
    const bytes = encodeSafetensors(tensors);
    const { result } = await readFromDisk(bytes);
    const h = await result;
    expect(h.tensors.map((t) => t.dtype)).toEqual(ALL_DTYPES);
    for (const t of h.tensors) {
      expect(t.byteLength).toBe(tensorByteLength(t.dtype, t.numel));
      if (!isDecodable(t.dtype)) continue;
      const decoded = Array.from(decodeToFloat64(t.dtype, bytes.subarray(t.offset, t.offset + t.byteLength)));
      expect(decoded, t.dtype).toEqual(expectedValues(t.dtype));
    }
  });
});

function dataFor(dtype: string, values: Float32Array, numel: number): Uint8Array {
  switch (dtype) {
    case 'F64':
    case 'F32':
    case 'F16':
    case 'BF16':
    case 'F8_E4M3':
    case 'F8_E5M2':
      return encodeFromFloat32(dtype, values);
    case 'I64':
      return new Uint8Array(BigInt64Array.from([0n, -1n, 2n, 3n, -4n, 5n]).buffer);
    case 'U64':
      return new Uint8Array(BigUint64Array.from([0n, 1n, 2n, 3n, 4n, 5n]).buffer);
    case 'I32':
      return new Uint8Array(Int32Array.from([0, -1, 2, 3, -4, 5]).buffer);
    case 'U32':
      return new Uint8Array(Uint32Array.from([0, 1, 2, 3, 4, 5]).buffer);
    case 'I16':
      return new Uint8Array(Int16Array.from([0, -1, 2, 3, -4, 5]).buffer);
    case 'U16':
      return new Uint8Array(Uint16Array.from([0, 1, 2, 3, 4, 5]).buffer);
    case 'I8':
      return new Uint8Array(Int8Array.from([0, -1, 2, 3, -4, 5]).buffer);
    case 'U8':
      return Uint8Array.from([0, 1, 2, 3, 4, 5]);
    case 'BOOL':
      return Uint8Array.from([0, 1, 0, 1, 1, 0]);
    default:
      return pattern(tensorByteLength(dtype, numel));
  }
}

function expectedValues(dtype: string): number[] {
  // The float values were chosen to be exact in every float dtype, down to F8.
  if (['F64', 'F32', 'F16', 'BF16', 'F8_E4M3', 'F8_E5M2'].includes(dtype)) return [0, -1.5, 2, 0.25, -448, 3];
  if (dtype === 'BOOL') return [0, 1, 0, 1, 1, 0];
  return dtype.startsWith('I') ? [0, -1, 2, 3, -4, 5] : [0, 1, 2, 3, 4, 5];
}

describe('readSafetensorsHeader: each defect is an InputError naming file and defect', () => {
  it('file shorter than 8 bytes', () =>
    expectDefect(Uint8Array.from([1, 2, 3]), 'file is 3 bytes, shorter than the 8-byte header length'));

  it('header length beyond the end of the file', () =>
    expectDefect(
      rawSafetensors('{}', new Uint8Array(0), 1000n),
      'header length 1000 runs past the end of the file (10 bytes)',
    ));

  it('header length with the top bit set', () =>
    expectDefect(
      rawSafetensors('{}', new Uint8Array(0), 2n ** 63n),
      `header length ${2n ** 63n} runs past the end of the file`,
    ));

  it('header length over the 100 MB limit (sparse file)', async () => {
    const path = join(dir, 'sparse.safetensors');
    const fh = await open(path, 'w');
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 1), true);
    await fh.write(prefix, 0, 8, 0);
    await fh.truncate(MAX_HEADER_BYTES + 100);
    await fh.close();
    const src = await openFileSource(path);
    await expectInputError(
      readSafetensorsHeader(src),
      path,
      `header length ${MAX_HEADER_BYTES + 1} exceeds the 100000000-byte limit`,
    );
    expect(src.bytesRead()).toBe(8);
    await src.close();
  });

  it('header not valid UTF-8', () =>
    expectDefect(
      rawWithHeaderBytes(Uint8Array.from([0x7b, 0xff, 0x7d]), new Uint8Array(0)),
      'header is not valid UTF-8',
    ));

  it('header with a byte-order mark', () => expectDefect(rawSafetensors('\ufeff{}'), 'header is not valid JSON'));

  it('header not valid JSON', () =>
    expectDefect(rawSafetensors('{"a": {"dtype": "F32",\n'), 'header is not valid JSON'));

  it('header padded with NULs instead of spaces', () =>
    expectDefect(rawSafetensors('{}\0\0\0\0\0\0'), 'header is not valid JSON'));

  it('header JSON that is not an object', async () => {
    await expectDefect(rawSafetensors('[1, 2]'), 'header is not a JSON object (got an array)');
    await expectDefect(rawSafetensors('null    '), 'header is not a JSON object (got null)');
    await expectDefect(rawSafetensors('"text"'), 'header is not a JSON object (got a string "text")');
  });

  it('header with whitespace before the opening brace', () =>
    expectDefect(rawSafetensors('  {}'), "header must start with '{'"));

  it('__metadata__ that is not a string-to-string map', async () => {
    await expectDefect(
      rawSafetensors({ __metadata__: { format: 'pt', n: 1 } }),
      '__metadata__ must map strings to strings: "n" is a number 1',
    );
    await expectDefect(
      rawSafetensors({ __metadata__: ['a'] }),
      '__metadata__ must be an object mapping strings to strings (got an array)',
    );
    await expectDefect(rawSafetensors({ __metadata__: { nested: { a: 'b' } } }), '"nested" is an object');
  });

  it('tensor entry that is not an object', () =>
    expectDefect(rawSafetensors({ w: [1, 2] }), 'tensor "w": entry is not an object (got an array)'));

  it.each(['dtype', 'shape', 'data_offsets'])('tensor entry missing %s', (key) => {
    const e: Record<string, unknown> = entry('F32', [1], [0, 4]);
    delete e[key];
    return expectDefect(rawSafetensors({ w: e }, pattern(4)), `tensor "w": missing "${key}"`);
  });

  it('unknown dtype and non-string dtype', async () => {
    await expectDefect(rawSafetensors({ w: entry('F9', [1], [0, 1]) }, pattern(1)), 'tensor "w": unknown dtype "F9"');
    await expectDefect(
      rawSafetensors({ w: { dtype: 4, shape: [1], data_offsets: [0, 1] } }, pattern(1)),
      'tensor "w": dtype must be a string (got a number 4)',
    );
  });

  it.each([
    ['a negative dimension', [-1]],
    ['a fractional dimension', [1.5]],
    ['an unsafe integer', [2 ** 53]],
    ['a string', '3'],
    ['a string dimension', ['3']],
    ['null', null],
  ])('shape with %s', (_label, shape) =>
    expectDefect(
      rawSafetensors({ w: entry('U8', shape, [0, 1]) }, pattern(1)),
      'tensor "w": shape must be an array of non-negative integers',
    ),
  );

  it('shape whose element count overflows', () =>
    expectDefect(
      rawSafetensors({ w: entry('U8', [2 ** 30, 2 ** 30, 2 ** 30], [0, 1]) }, pattern(1)),
      'tensor "w": shape [1073741824,1073741824,1073741824] has too many elements',
    ));

  it.each([
    ['three numbers', [0, 1, 2]],
    ['one number', [0]],
    ['a negative begin', [-1, 0]],
    ['begin after end', [4, 0]],
    ['a fraction', [0, 0.5]],
    ['strings', ['0', '4']],
  ])('data_offsets with %s', (_label, offsets) =>
    expectDefect(
      rawSafetensors({ w: entry('U8', [4], offsets) }, pattern(4)),
      'tensor "w": data_offsets must be [begin, end] with 0 <= begin <= end',
    ),
  );

  it('span size that differs from numel × dtype size', () =>
    expectDefect(
      rawSafetensors({ w: entry('F32', [2, 2], [0, 12]) }, pattern(12)),
      'tensor "w": data_offsets [0, 12] span 12 bytes but shape [2,2] of F32 needs 16',
    ));

  it('packed span not rounded up to whole bytes', () =>
    expectDefect(
      rawSafetensors({ w: entry('F4', [3], [0, 1]) }, pattern(1)),
      'span 1 byte but shape [3] of F4 needs 2',
    ));

  it('offsets outside the data area', () =>
    expectDefect(
      rawSafetensors({ w: entry('U8', [8], [0, 8]) }, pattern(4)),
      'tensor "w": data_offsets [0, 8] run past the data area (4 bytes)',
    ));

  it('overlapping spans', () =>
    expectDefect(
      rawSafetensors({ a: entry('U8', [4], [0, 4]), b: entry('U8', [4], [2, 6]) }, pattern(6)),
      'tensors "a" [0, 4] and "b" [2, 6] overlap',
    ));

  it('identical spans (aliased tensors)', () =>
    expectDefect(rawSafetensors({ a: entry('U8', [4], [0, 4]), b: entry('U8', [4], [0, 4]) }, pattern(4)), 'overlap'));

  it('a gap between spans', () =>
    expectDefect(
      rawSafetensors({ a: entry('U8', [2], [0, 2]), b: entry('U8', [2], [4, 6]) }, pattern(6)),
      'data area bytes [2, 4) after tensor "a" belong to no tensor',
    ));

  it('a first span that does not start at 0', () =>
    expectDefect(
      rawSafetensors({ a: entry('U8', [2], [2, 4]) }, pattern(4)),
      'data area bytes [0, 2) belong to no tensor',
    ));

  it('trailing bytes after the last span', () =>
    expectDefect(
      rawSafetensors({ a: entry('U8', [2], [0, 2]) }, pattern(5)),
      'data area is 5 bytes but the tensors end at 2 (3 trailing bytes)',
    ));

  it('data but no tensors', () =>
    expectDefect(rawSafetensors('{}', pattern(3)), 'data area is 3 bytes but the tensors end at 0'));

  it('duplicate tensor names, which JSON.parse would silently merge', async () => {
    const text =
      '{"w":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"w":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}';
    await expectDefect(rawSafetensors(text, pattern(4)), 'duplicate tensor name "w" in the header');
  });

  it('duplicate names spelled with different escapes', async () => {
    const text =
      '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"\\u0061":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    await expectDefect(rawSafetensors(text, pattern(2)), 'duplicate tensor name "a"');
  });

  it('duplicate keys inside a tensor entry and inside __metadata__', async () => {
    await expectDefect(
      rawSafetensors('{"w":{"dtype":"F32","dtype":"U8","shape":[1],"data_offsets":[0,1]}}', pattern(1)),
      'duplicate key "dtype" in tensor "w"',
    );
    await expectDefect(rawSafetensors('{"__metadata__":{"k":"1","k":"2"}}'), 'duplicate key "k" in __metadata__');
  });

  it('survives hostile nesting in a field', async () => {
    const depth = 200_000;
    const text = `{"w":{"dtype":"U8","shape":${'['.repeat(depth)}${']'.repeat(depth)},"data_offsets":[0,0]}}`;
    await expectDefect(rawSafetensors(text), 'tensor "w": shape must be an array of non-negative integers');
  });

  it('keeps messages on one line even for hostile names', async () => {
    const text = JSON.stringify({ 'bad\nname\u2028x': entry('F9', [1], [0, 1]) });
    await expectDefect(rawSafetensors(text, pattern(1)), 'unknown dtype "F9"', 'tensor "bad\\nname');
  });
});

describe('Git LFS pointers', () => {
  const oid = 'sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393';
  const pointer = `version https://git-lfs.github.com/spec/v1\noid ${oid}\nsize 12345\n`;

  it('are recognised and parsed', () => {
    expect(isLfsPointer(Buffer.from(pointer))).toBe(true);
    expect(isLfsPointer(smallModel())).toBe(false);
    expect(parseLfsPointer(pointer)).toEqual({ oid, size: 12345 });
    expect(parseLfsPointer('version https://git-lfs.github.com/spec/v1\n')).toBeUndefined();
    expect(parseLfsPointer('hello')).toBeUndefined();
  });

  it('in place of weights gives the oid, size and the fetch command', async () => {
    await expectDefect(
      pointer,
      'is a Git LFS pointer',
      `oid ${oid}`,
      'size 12345 bytes',
      'fetch the LFS object (git lfs pull --include',
    );
  });

  it('without a parsable oid still says what it is', () =>
    expectDefect('version https://git-lfs.github.com/spec/v1\n', 'is a Git LFS pointer, not the file itself'));
});

describe('findDuplicateKey', () => {
  it('reports the enclosing path and ignores arrays and string contents', () => {
    expect(findDuplicateKey('{"a":1,"b":{"c":[{"d":1},{"d":2}]},"e":"\\"a\\""}')).toBeUndefined();
    expect(findDuplicateKey('{"a":{"x":1,"y":[1,2],"x":2}}')).toEqual({ key: 'x', path: ['a'] });
    expect(findDuplicateKey('{"a":1,"a":2}')).toEqual({ key: 'a', path: [] });
  });
});
