/**
 * Seeded fuzzing of the PyTorch reader: mutated zips (directory fields, headers, truncation) and
 * mutated pickles (re-zipped with a valid CRC so the pickle reader sees them) must either read to
 * a consistent tensor table or be refused with a one-line InputError naming the file; never
 * another error, never a hang.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { decodeToFloat32, isDecodable } from '../../src/formats/dtypes.js';
import { bufferSource } from '../../src/formats/file-source.js';
import { readPyTorchCheckpoint } from '../../src/formats/pytorch/checkpoint.js';
import { readTorchPickle } from '../../src/formats/pytorch/pickle.js';
import { StridedView } from '../../src/formats/pytorch/view.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { ascii, statePickle, torchSave, type StorageSpec, type TensorSpec } from '../helpers/torch-save.js';
import { rng } from './helpers.js';

const SEED = 20261130;
const ZIP_MUTATIONS = 2500;
const PICKLE_MUTATIONS = 4000;

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const f32 = (n: number, seed: number) =>
  new Uint8Array(Float32Array.from({ length: n }, (_, i) => Math.cos(i + seed)).buffer);

function bases(): Array<{ storages: StorageSpec[]; tensors: TensorSpec[]; opts: Parameters<typeof torchSave>[2] }> {
  const storages: StorageSpec[] = [
    { dtype: 'float32', data: f32(24, 1) },
    {
      dtype: 'bfloat16',
      data: encodeFromFloat32(
        'BF16',
        Float32Array.from({ length: 8 }, (_, i) => i - 3),
      ),
    },
    { dtype: 'int64', data: new Uint8Array(new BigInt64Array([1n, 2n, 3n]).buffer) },
  ];
  const tensors: TensorSpec[] = [
    { name: 'embed.weight', storage: 0, size: [4, 6], parameter: true },
    { name: 'head.weight', storage: 0, size: [4, 6] },
    { name: 'proj.weight', storage: 0, size: [6, 4], stride: [1, 6] },
    { name: 'norm.weight', storage: 1, size: [8] },
    { name: 'ids', storage: 2, size: [1, 3] },
  ];
  return [
    { storages, tensors, opts: { archive: 'pytorch_model' } },
    { storages, tensors, opts: { wrap: 'state_dict', forceZip64: true } },
    { storages: storages.slice(0, 2), tensors: tensors.slice(3, 4), opts: { deflatePickle: true, byteorder: null } },
  ];
}

interface Outcome {
  parsed: number;
  rejected: number;
}

/** A parsed table must be one a loader could trust: sizes agree, ranges lie in the file, values decode. */
async function checkConsistent(bytes: Uint8Array, id: string): Promise<void> {
  const ck = await readPyTorchCheckpoint(bufferSource(id, bytes));
  for (const t of ck.tensors) {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (numel !== t.numel) throw new Error(`${t.name}: numel ${t.numel} != ${numel}`);
    const size = { F32: 4, BF16: 2, I64: 8 }[t.dtype as 'F32'] ?? 0;
    if (size && t.byteLength !== numel * size) throw new Error(`${t.name}: byteLength ${t.byteLength}`);
    if (t.file instanceof StridedView) {
      if (t.file.size !== t.byteLength) throw new Error(`${t.name}: view size ${t.file.size}`);
    } else if (t.offset + t.byteLength > bytes.length) throw new Error(`${t.name}: range past the end of the file`);
    const data = await t.file.read(t.offset, t.byteLength);
    if (isDecodable(t.dtype)) decodeToFloat32(t.dtype, data);
  }
}

function judge(err: unknown, id: string, outcome: Outcome): string | undefined {
  if (!(err instanceof InputError))
    return `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  if (err.source !== id && !err.source.startsWith(`${id}: `)) return `InputError names ${err.source}, expected ${id}`;
  if (/[\r\n]/.test(err.message)) return `multi-line message: ${JSON.stringify(err.message)}`;
  outcome.rejected++;
  return undefined;
}

/** Offsets of every zip structure field worth corrupting: signatures, sizes, offsets, lengths. */
function zipFields(zip: Uint8Array): number[] {
  const fields: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) {
    if (zip[i] !== 0x50 || zip[i + 1] !== 0x4b) continue;
    const sig = zip[i + 2]! | (zip[i + 3]! << 8);
    if (sig === 0x0403) fields.push(i, i + 8, i + 14, i + 18, i + 22, i + 26, i + 28);
    else if (sig === 0x0201) fields.push(i, i + 10, i + 16, i + 20, i + 24, i + 28, i + 30, i + 32, i + 34, i + 42);
    else if (sig === 0x0605) fields.push(i, i + 4, i + 8, i + 10, i + 12, i + 16, i + 20);
    else if (sig === 0x0606) fields.push(i, i + 24, i + 32, i + 40, i + 48);
    else if (sig === 0x0706) fields.push(i, i + 8, i + 16);
  }
  return fields;
}

const WEIRD_U32 = [0, 1, 0xffff, 0xffffffff, 0x7fffffff, 64, 1 << 20, 0xfffffffe];

const ZIP_MUTATORS: Record<string, (zip: Uint8Array, r: Rand) => Uint8Array> = {
  flipAnyByte(zip, r) {
    const out = zip.slice();
    out[int(r, out.length)]! ^= 1 + int(r, 255);
    return out;
  },
  corruptField(zip, r) {
    const out = zip.slice();
    const at = pick(r, zipFields(zip));
    const v = new DataView(out.buffer);
    if (r() < 0.5) v.setUint16(at, pick(r, [0, 1, 0xffff, 8, 12, 99]), true);
    else if (at + 4 <= out.length) v.setUint32(at, pick(r, WEIRD_U32) + (r() < 0.3 ? int(r, 200) : 0), true);
    return out;
  },
  nudgeField(zip, r) {
    const out = zip.slice();
    const at = pick(r, zipFields(zip));
    const v = new DataView(out.buffer);
    if (at + 4 <= out.length) v.setUint32(at, (v.getUint32(at, true) + pick(r, [1, -1, 2, 64, -64, 4])) >>> 0, true);
    return out;
  },
  truncate(zip, r) {
    return zip.slice(0, int(r, zip.length));
  },
  appendGarbage(zip, r) {
    const out = new Uint8Array(zip.length + 1 + int(r, 40));
    out.set(zip);
    for (let i = zip.length; i < out.length; i++) out[i] = int(r, 256);
    return out;
  },
  prependGarbage(zip, r) {
    const out = new Uint8Array(zip.length + 1 + int(r, 40));
    out.set(zip, out.length - zip.length);
    out.set(ascii('PK\x03\x04'));
    return out;
  },
};

/** Pickle edits that keep the zip valid, so the pickle reader is what gets exercised. */
const OPCODES = [
  0x28, 0x2e, 0x30, 0x31, 0x32, 0x4a, 0x4b, 0x4d, 0x4e, 0x51, 0x52, 0x58, 0x5d, 0x61, 0x62, 0x63, 0x65, 0x68, 0x69,
  0x6a, 0x71, 0x72, 0x73, 0x74, 0x75, 0x7d, 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x93, 0x94, 0x95,
];
const PICKLE_MUTATORS: Record<string, (p: Uint8Array, r: Rand) => Uint8Array> = {
  flipByte(p, r) {
    const out = p.slice();
    out[2 + int(r, out.length - 2)]! ^= 1 + int(r, 255);
    return out;
  },
  setOpcode(p, r) {
    const out = p.slice();
    out[2 + int(r, out.length - 3)] = pick(r, OPCODES);
    return out;
  },
  insertOpcode(p, r) {
    const at = 2 + int(r, p.length - 2);
    const ins = Uint8Array.from({ length: 1 + int(r, 3) }, () => pick(r, OPCODES));
    const out = new Uint8Array(p.length + ins.length);
    out.set(p.subarray(0, at));
    out.set(ins, at);
    out.set(p.subarray(at), at + ins.length);
    return out;
  },
  deleteRange(p, r) {
    const at = 2 + int(r, p.length - 2);
    const n = 1 + int(r, 8);
    return Uint8Array.from([...p.subarray(0, at), ...p.subarray(at + n)]);
  },
  truncate(p, r) {
    return p.slice(0, int(r, p.length));
  },
  renameGlobal(p, r) {
    const text = Buffer.from(p).toString('latin1');
    const swaps: Array<[string, string]> = [
      ['_rebuild_tensor_v2', pick(r, ['_rebuild_tensor_v3', '_rebuild_qtensor', 'system', '_rebuild_parameter'])],
      ['FloatStorage', pick(r, ['HalfStorage', 'QInt8Storage', 'UntypedStorage', 'LongStorage', 'Storage'])],
      ['collections\nOrderedDict', pick(r, ['builtins\ndict', 'os\nsystem', 'collections\nOrderedDixt'])],
      ['torch._utils', pick(r, ['torch.utils', 'posix', 'torch._tensor'])],
    ];
    const [a, b] = pick(r, swaps);
    return new Uint8Array(Buffer.from(text.replace(a, b), 'latin1'));
  },
  changeInt(p, r) {
    // BININT1 operands are shape, stride, offset and storage sizes
    const out = p.slice();
    const at = [...out.keys()].filter((i) => out[i] === 0x4b && i + 1 < out.length);
    if (at.length > 0) out[pick(r, at) + 1] = pick(r, [0, 1, 2, 3, 7, 24, 25, 200, 255]);
    return out;
  },
};

describe('PyTorch reader fuzz', () => {
  it('the base files are valid', async () => {
    for (const b of bases()) await checkConsistent(torchSave(b.storages, b.tensors, b.opts), 'base.bin');
  });

  it(`${ZIP_MUTATIONS} zip mutations read consistently or raise InputError (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const files = bases().map((b) => torchSave(b.storages, b.tensors, b.opts));
    const names = Object.keys(ZIP_MUTATORS);
    const outcome: Outcome = { parsed: 0, rejected: 0 };
    const failures: string[] = [];
    for (let i = 0; i < ZIP_MUTATIONS && failures.length < 5; i++) {
      const name = names[i % names.length]!;
      const mutated = ZIP_MUTATORS[name]!(pick(r, files), r);
      try {
        await checkConsistent(mutated, 'fuzz.bin');
        outcome.parsed++;
      } catch (err) {
        const bad = judge(err, 'fuzz.bin', outcome);
        if (bad) failures.push(`#${i} ${name}: ${bad}`);
      }
    }
    expect(failures).toEqual([]);
    expect(outcome.parsed).toBeGreaterThan(ZIP_MUTATIONS / 50);
    expect(outcome.rejected).toBeGreaterThan(ZIP_MUTATIONS / 3);
  });

  it(`${PICKLE_MUTATIONS} pickle mutations read consistently or raise InputError (seed ${SEED})`, async () => {
    const r = rng(SEED + 1);
    const bs = bases();
    const names = Object.keys(PICKLE_MUTATORS);
    const outcome: Outcome = { parsed: 0, rejected: 0 };
    const failures: string[] = [];
    for (let i = 0; i < PICKLE_MUTATIONS && failures.length < 5; i++) {
      const name = names[i % names.length]!;
      const b = pick(r, bs);
      const pkl = PICKLE_MUTATORS[name]!(statePickle(b.storages, b.tensors, b.opts?.wrap), r);
      // the pickle alone, then inside a valid zip with the storages
      try {
        readTorchPickle(pkl, 'fuzz.pkl');
      } catch (err) {
        const bad = judge(err, 'fuzz.pkl', { parsed: 0, rejected: 0 });
        if (bad) failures.push(`#${i} ${name} (pickle): ${bad}`);
      }
      try {
        await checkConsistent(torchSave(b.storages, b.tensors, { ...b.opts, pickle: pkl }), 'fuzz.bin');
        outcome.parsed++;
      } catch (err) {
        const bad = judge(err, 'fuzz.bin', outcome);
        if (bad) failures.push(`#${i} ${name}: ${bad}`);
      }
    }
    expect(failures).toEqual([]);
    expect(outcome.parsed).toBeGreaterThan(PICKLE_MUTATIONS / 50);
    expect(outcome.rejected).toBeGreaterThan(PICKLE_MUTATIONS / 3);
  });
});
