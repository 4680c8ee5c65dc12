/**
 * Seeded fuzzing of the safetensors reader: every mutated file must either parse to a
 * consistent layout or be rejected with an InputError — never another error, never a hang.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ALL_DTYPES, decodeToFloat32, dtypeInfo, isDecodable, tensorByteLength } from '../../src/formats/dtypes.js';
import { bufferSource } from '../../src/formats/file-source.js';
import { openModel } from '../../src/formats/model.js';
import { readSafetensorsHeader, type SafetensorsHeader } from '../../src/formats/safetensors.js';
import type { TensorEntry } from '../../src/formats/types.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { makeTempDir, pattern, rawSafetensors, rng, smallModel, writeBytes } from './helpers.js';

const SEED = 20240611;
const MUTATIONS = 4000;
/** Every Nth case also goes through a real file and openModel. */
const ON_DISK_EVERY = 12;

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

function baseFiles(): Uint8Array[] {
  const everyDtype = encodeSafetensors(
    ALL_DTYPES.map((dtype, i) => {
      const numel = 3 + (i % 3);
      return { name: `layer.${i}.${dtype}`, dtype, shape: [numel], data: pattern(tensorByteLength(dtype, numel), i) };
    }),
    { format: 'pt' },
  );
  const odd = rawSafetensors(
    {
      __metadata__: { ünï: 'cödé' },
      'emb€d': { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 8] },
      s: { dtype: 'F64', shape: [], data_offsets: [8, 16] },
      e: { dtype: 'F32', shape: [0, 4], data_offsets: [16, 16] },
    },
    pattern(16, 9),
  );
  const packed = encodeSafetensors([
    { name: 'q', dtype: 'F4', shape: [7], data: pattern(4) },
    { name: 'scale', dtype: 'F8_E8M0', shape: [1], data: pattern(1) },
    { name: 'r', dtype: 'F6_E2M3', shape: [3], data: pattern(3) },
  ]);
  return [smallModel('', { format: 'pt' }), everyDtype, odd, packed, rawSafetensors('{}')];
}

function headerLength(bytes: Uint8Array): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
}

function withLength(bytes: Uint8Array, length: bigint): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(0, length, true);
  return out;
}

/** Splits a valid base file into its header object (JSON order kept) and data area. */
function split(bytes: Uint8Array): { header: Record<string, unknown>; text: string; data: Uint8Array } {
  const n = headerLength(bytes);
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  return { header: JSON.parse(text) as Record<string, unknown>, text, data: bytes.subarray(8 + n) };
}

const WEIRD_VALUES: unknown[] = [0, -1, 1.5, 2 ** 53, 1e300, -0, '3', null, [], {}, true, 2 ** 31, 4294967296];
const WEIRD_DTYPES: unknown[] = [...ALL_DTYPES, 'F9', '', 'f32', 5, null, 'C64'];

/** Header JSON edits: numbers, keys, dtypes, metadata; the header is re-serialised afterwards. */
const JSON_EDITS: Array<(h: Record<string, unknown>, r: Rand) => void> = [
  function changeNumber(h, r) {
    const t = randomEntry(h, r);
    if (!t) return;
    const field = pick(r, ['shape', 'data_offsets'] as const);
    const arr = t[field];
    if (!Array.isArray(arr) || arr.length === 0) return;
    const i = int(r, arr.length);
    arr[i] = r() < 0.5 ? (arr[i] as number) + pick(r, [1, -1, 2, -2, 8, 1000]) : pick(r, WEIRD_VALUES);
  },
  function deleteKey(h, r) {
    const t = randomEntry(h, r);
    if (t) delete t[pick(r, ['dtype', 'shape', 'data_offsets'])];
  },
  function deleteTensor(h, r) {
    const names = Object.keys(h).filter((k) => k !== '__metadata__');
    if (names.length > 0) delete h[pick(r, names)];
  },
  function swapDtype(h, r) {
    const t = randomEntry(h, r);
    if (t) t.dtype = pick(r, WEIRD_DTYPES);
  },
  function reshape(h, r) {
    const t = randomEntry(h, r);
    if (!t || !Array.isArray(t.shape)) return;
    if (r() < 0.5) t.shape.push(pick(r, [1, 2, 0, 3]));
    else t.shape.pop();
  },
  function replaceEntry(h, r) {
    const names = Object.keys(h);
    if (names.length > 0) h[pick(r, names)] = pick(r, WEIRD_VALUES);
  },
  function editMetadata(h, r) {
    h.__metadata__ = pick(r, [{ a: 1 }, ['x'], 'text', null, { ok: 'yes' }, {}]);
  },
  function swapOffsets(h, r) {
    const a = randomEntry(h, r);
    const b = randomEntry(h, r);
    if (a && b) [a.data_offsets, b.data_offsets] = [b.data_offsets, a.data_offsets];
  },
  function addTensor(h, r) {
    h[`extra${int(r, 3)}`] = {
      dtype: pick(r, WEIRD_DTYPES),
      shape: [int(r, 5)],
      data_offsets: [int(r, 40), int(r, 40)],
    };
  },
];

function randomEntry(h: Record<string, unknown>, r: Rand): Record<string, unknown> | undefined {
  const entries = Object.entries(h).filter(
    ([k, v]) => k !== '__metadata__' && typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  return entries.length > 0 ? (pick(r, entries)[1] as Record<string, unknown>) : undefined;
}

/** Byte-level and structural mutations of a valid file. */
const MUTATORS: Record<string, (base: Uint8Array, r: Rand) => Uint8Array> = {
  flipHeaderByte(base, r) {
    const out = base.slice();
    const i = int(r, Math.min(out.length, 8 + headerLength(base)));
    out[i]! ^= 1 + int(r, 255);
    return out;
  },
  flipDataByte(base, r) {
    const out = base.slice();
    const start = 8 + headerLength(base);
    if (out.length > start) out[start + int(r, out.length - start)]! ^= 1 + int(r, 255);
    return out;
  },
  truncate(base, r) {
    return base.slice(0, int(r, base.length));
  },
  appendGarbage(base, r) {
    const out = new Uint8Array(base.length + 1 + int(r, 16));
    out.set(base);
    return out;
  },
  hugeLength(base, r) {
    const n = BigInt(headerLength(base));
    const options = [
      0n,
      1n,
      n - 1n,
      n + 1n,
      n + 8n,
      2n ** 63n,
      2n ** 64n - 1n,
      100_000_001n,
      BigInt(int(r, 2 ** 30)) * BigInt(int(r, 2 ** 30)),
    ];
    return withLength(base, pick(r, options) & (2n ** 64n - 1n));
  },
  spliceHeaderBytes(base, r) {
    const end = 8 + headerLength(base);
    const at = 8 + int(r, end - 8);
    const junk = Uint8Array.from({ length: 1 + int(r, 4) }, () =>
      pick(r, [0x22, 0x7b, 0x7d, 0x2c, 0x3a, 0x5c, 0x00, 0xff, 0x30 + int(r, 10)]),
    );
    const out = new Uint8Array(base.length + junk.length);
    out.set(base.subarray(0, at));
    out.set(junk, at);
    out.set(base.subarray(at), at + junk.length);
    return r() < 0.5 ? withLength(out, BigInt(end - 8 + junk.length)) : out;
  },
  jsonEdit(base, r) {
    const { header, data } = split(base);
    const edits = 1 + int(r, 3);
    for (let i = 0; i < edits; i++) pick(r, JSON_EDITS)(header, r);
    const rebuilt = rawSafetensors(header, data);
    // Sometimes keep the old length prefix, so the header and data boundary disagree.
    return r() < 0.15 ? withLength(rebuilt, BigInt(headerLength(base))) : rebuilt;
  },
  duplicateKey(base, r) {
    const { text, data } = split(base);
    const names = Object.keys(JSON.parse(text) as object);
    if (names.length === 0) return rawSafetensors('{"a":1,"a":2}', data);
    const name = JSON.stringify(pick(r, names));
    const body = text.trimEnd();
    // Re-append one existing key at the top level or duplicate a field inside an entry.
    const dupText =
      r() < 0.5
        ? `${body.slice(0, -1)},${name}:{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}`
        : body.replace('"dtype":', '"dtype":"U8","dtype":');
    return rawSafetensors(dupText, data);
  },
};

interface Outcome {
  parsed: number;
  rejected: number;
  onDisk: number;
}

/** A parse result must describe a layout that a loader could trust. */
async function checkConsistent(h: SafetensorsHeader, bytes: Uint8Array): Promise<void> {
  let pos = h.dataStart;
  for (const t of h.tensors) {
    if (t.offset !== pos) throw new Error(`tensor ${t.name} starts at ${t.offset}, expected ${pos}`);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (numel !== t.numel)
      throw new Error(`tensor ${t.name}: numel ${t.numel} != product of ${JSON.stringify(t.shape)}`);
    if (t.byteLength !== tensorByteLength(t.dtype, t.numel))
      throw new Error(`tensor ${t.name}: byteLength ${t.byteLength} is wrong for ${t.dtype}`);
    dtypeInfo(t.dtype);
    if (isDecodable(t.dtype)) decodeToFloat32(t.dtype, bytes.subarray(t.offset, t.offset + t.byteLength));
    pos += t.byteLength;
  }
  if (pos !== bytes.length) throw new Error(`tensors end at ${pos}, file is ${bytes.length} bytes`);
  for (const [k, v] of Object.entries(h.metadata))
    if (typeof v !== 'string') throw new Error(`metadata ${k} is not a string`);
}

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
afterAll(() => cleanup());

describe('safetensors fuzz', () => {
  it('the base files are valid', async () => {
    for (const base of baseFiles())
      await checkConsistent(await readSafetensorsHeader(bufferSource('base', base)), base);
  });

  it(`${MUTATIONS} seeded mutations parse consistently or raise InputError (seed ${SEED})`, {
    timeout: 30_000,
  }, async () => {
    const r = rng(SEED);
    const bases = baseFiles();
    const names = Object.keys(MUTATORS);
    const outcome: Outcome = { parsed: 0, rejected: 0, onDisk: 0 };
    const failures: string[] = [];
    for (let i = 0; i < MUTATIONS && failures.length < 5; i++) {
      const name = names[i % names.length]!;
      const mutated = MUTATORS[name]!(pick(r, bases), r);
      const label = `#${i} ${name}`;
      const err = await runOne(mutated, outcome);
      if (err) failures.push(`${label}: ${err}`);
      if (i % ON_DISK_EVERY === 0) {
        const diskErr = await runOnDisk(mutated, i, outcome);
        if (diskErr) failures.push(`${label} (on disk): ${diskErr}`);
      }
    }
    expect(failures).toEqual([]);
    // Both outcomes must actually occur, or the mutations are too weak or too destructive.
    expect(outcome.parsed).toBeGreaterThan(MUTATIONS / 20);
    expect(outcome.rejected).toBeGreaterThan(MUTATIONS / 2);
    expect(outcome.onDisk).toBeGreaterThan(MUTATIONS / ON_DISK_EVERY - 1);
  });
});

/** Undefined when the outcome is acceptable, else a description of what went wrong. */
async function runOne(bytes: Uint8Array, outcome: Outcome): Promise<string | undefined> {
  try {
    const h = await readSafetensorsHeader(bufferSource('fuzz.safetensors', bytes));
    await checkConsistent(h, bytes);
    outcome.parsed++;
    return undefined;
  } catch (err) {
    return judge(err, 'fuzz.safetensors', outcome);
  }
}

async function runOnDisk(bytes: Uint8Array, i: number, outcome: Outcome): Promise<string | undefined> {
  const path = await writeBytes(dir, `fuzz${i}.safetensors`, bytes);
  outcome.onDisk++;
  try {
    const m = await openModel(path);
    try {
      await checkConsistent(
        { tensors: m.tensors as TensorEntry[], metadata: m.metadata, dataStart: m.tensors[0]?.offset ?? bytes.length },
        bytes,
      );
    } finally {
      await m.close();
    }
    return undefined;
  } catch (err) {
    return judge(err, join(dir, `fuzz${i}.safetensors`), { parsed: 0, rejected: 0, onDisk: 0 });
  }
}

function judge(err: unknown, source: string, outcome: Outcome): string | undefined {
  if (!(err instanceof InputError))
    return `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  if (err.source !== source) return `InputError names ${err.source}, expected ${source}`;
  if (/[\r\n]/.test(err.message)) return `multi-line message: ${JSON.stringify(err.message)}`;
  outcome.rejected++;
  return undefined;
}
