/**
 * PyTorch checkpoints: torch.save zips read as byte ranges, the restricted pickle, views, and
 * every refusal (legacy, big-endian, TorchScript, hostile pickles and zips) as a one-line error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import { decodeToFloat32, encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { bufferSource, openFileSource } from '../../src/formats/file-source.js';
import { openModel } from '../../src/formats/model.js';
import { readPyTorchCheckpoint } from '../../src/formats/pytorch/checkpoint.js';
import { MAX_PICKLE_BYTES, readTorchPickle } from '../../src/formats/pytorch/pickle.js';
import { StridedView } from '../../src/formats/pytorch/view.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import {
  ascii,
  contiguousStride,
  Pickler,
  statePickle,
  torchSave,
  torchSaveTensors,
  writeZip,
  type StorageSpec,
  type TensorSpec,
} from '../helpers/torch-save.js';
import { expectInputError, f32Bytes, makeTempDir, writeBytes } from './helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(() => tmp.cleanup());

const f32 = (n: number, seed = 1) => f32Bytes(Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 2));

async function tensorValues(spec: string): Promise<Map<string, { dtype: string; shape: number[]; values: number[] }>> {
  const m = await openModel(spec);
  try {
    const out = new Map<string, { dtype: string; shape: number[]; values: number[] }>();
    for (const t of m.tensors) {
      const bytes = await t.file.read(t.offset, t.byteLength);
      out.set(t.name, { dtype: t.dtype, shape: t.shape, values: Array.from(decodeToFloat32(t.dtype, bytes)) });
    }
    return out;
  } finally {
    await m.close();
  }
}

/** Row-major values of a strided view, computed directly. */
function viewValues(storage: Float32Array, size: number[], stride: number[], offset: number): number[] {
  const out: number[] = [];
  const n = size.reduce((a, b) => a * b, 1);
  for (let e = 0; e < n; e++) {
    let rem = e;
    let s = offset;
    for (let d = size.length - 1; d >= 0; d--) {
      s += (rem % size[d]!) * stride[d]!;
      rem = Math.floor(rem / size[d]!);
    }
    out.push(storage[s]!);
  }
  return out;
}

describe('reading torch.save checkpoints', () => {
  it('reads a state dict: names in order, dtypes, shapes, values, tied weights sharing one range', async () => {
    const storages: StorageSpec[] = [
      { dtype: 'float32', data: f32(12) },
      { dtype: 'float16', data: encodeFromFloat32('F16', Float32Array.from([1, -2, 0.5, 3])) },
      { dtype: 'bfloat16', data: encodeFromFloat32('BF16', Float32Array.from([1.5, -2.25])) },
      { dtype: 'int64', data: new Uint8Array(new BigInt64Array([5n, -7n, 9n]).buffer) },
      { dtype: 'int8', data: Uint8Array.from([1, 255, 3]) },
      { dtype: 'bool', data: Uint8Array.from([1, 0]) },
      { dtype: 'float64', data: new Uint8Array(Float64Array.from([0.125]).buffer) },
    ];
    const tensors: TensorSpec[] = [
      { name: 'embed.weight', storage: 0, size: [3, 4], parameter: true },
      { name: 'norm.weight', storage: 1, size: [4] },
      { name: 'norm.bias', storage: 2, size: [2] },
      { name: 'position_ids', storage: 3, size: [1, 3] },
      { name: 'codes', storage: 4, size: [3] },
      { name: 'mask', storage: 5, size: [2] },
      { name: 'scale', storage: 6, size: [] },
      { name: 'lm_head.weight', storage: 0, size: [3, 4] },
    ];
    const path = await writeBytes(
      tmp.dir,
      'pytorch_model.bin',
      torchSave(storages, tensors, { archive: 'pytorch_model' }),
    );
    const m = await openModel(path);
    expect(m.format).toBe('pytorch');
    expect(m.kind).toBe('file');
    expect(m.metadata).toMatchObject({ format: 'pytorch', 'pytorch.archive': 'pytorch_model' });
    expect(m.tensors.map((t) => t.name)).toEqual(tensors.map((t) => t.name));
    expect(m.tensors.map((t) => t.dtype)).toEqual(['F32', 'F16', 'BF16', 'I64', 'I8', 'BOOL', 'F64', 'F32']);
    expect(m.tensors.find((t) => t.name === 'scale')!.shape).toEqual([]);
    const embed = m.tensors[0]!;
    const head = m.tensors[7]!;
    // tied weights: the same storage, so the same byte range of the same file
    expect([head.file, head.offset, head.byteLength]).toEqual([embed.file, embed.offset, embed.byteLength]);
    expect(embed.file.localPath).toBe(path);
    // storages start on torch's 64-byte alignment
    expect(embed.offset % 64).toBe(0);
    await m.close();
    const v = await tensorValues(path);
    expect(v.get('embed.weight')!.values).toEqual(
      Array.from(new Float32Array((storages[0]!.data as Uint8Array).buffer)),
    );
    expect(v.get('norm.weight')!.values).toEqual([1, -2, 0.5, 3]);
    expect(v.get('norm.bias')!.values).toEqual([1.5, -2.25]);
    expect(v.get('position_ids')!.values).toEqual([5, -7, 9]);
    expect(v.get('codes')!.values).toEqual([1, -1, 3]);
    expect(v.get('mask')!.values).toEqual([1, 0]);
    expect(v.get('scale')!.values).toEqual([0.125]);
  });

  it('maps views onto their storage: offsets, slices, transposes, steps and broadcasts', async () => {
    const base = Float32Array.from({ length: 60 }, (_, i) => i * 1.5 - 7);
    const storages: StorageSpec[] = [{ dtype: 'float32', data: new Uint8Array(base.buffer) }];
    const views: Array<Omit<TensorSpec, 'storage'>> = [
      { name: 'rows', size: [2, 6], offset: 12 }, // contiguous slice along dim 0
      { name: 't', size: [6, 10], stride: [1, 6] }, // transpose of a [10, 6]
      { name: 'cols', size: [5, 3], stride: [6, 1], offset: 2 }, // column slice
      { name: 'step', size: [4, 3], stride: [12, 2], offset: 1 }, // every other column, every other row
      { name: 'bcast', size: [3, 4], stride: [0, 1], offset: 8 }, // expand()
      { name: 'perm', size: [3, 4, 5], stride: [1, 15, 3] }, // permuted 3-D
      { name: 'unit', size: [1, 7], stride: [99, 1], offset: 3 }, // unit dim: stride irrelevant, contiguous
    ];
    const tensors = views.map((v) => ({ ...v, storage: 0 }));
    const path = await writeBytes(tmp.dir, 'views.pt', torchSave(storages, tensors));
    const m = await openModel(path);
    for (const t of m.tensors) {
      const spec = tensors.find((x) => x.name === t.name)!;
      const want = viewValues(base, spec.size, spec.stride ?? contiguousStride(spec.size), spec.offset ?? 0);
      expect(Array.from(decodeToFloat32('F32', await t.file.read(t.offset, t.byteLength))), t.name).toEqual(want);
      // contiguous views are plain ranges of the file (workers can read them); others are gathered
      const contiguous = ['rows', 'unit'].includes(t.name);
      expect(t.file.localPath === path, t.name).toBe(contiguous);
    }
    await m.close();
  });

  it('gathers views correctly for arbitrary ranges, with the span cache and without it', async () => {
    const rand = mulberry(7);
    const storage = Float32Array.from({ length: 4096 }, () => rand() * 10 - 5);
    const src = bufferSource('mem', new Uint8Array(storage.buffer));
    for (let trial = 0; trial < 60; trial++) {
      const dims = 1 + Math.floor(rand() * 4);
      const size = Array.from({ length: dims }, () => 1 + Math.floor(rand() * 6));
      const stride = Array.from({ length: dims }, () => Math.floor(rand() * 40));
      const offset = Math.floor(rand() * 50);
      const want = viewValues(storage, size, stride, offset);
      for (const cacheSpan of [1 << 30, 0]) {
        const view = new StridedView(
          'view',
          src,
          { dataOffset: 0, elementSize: 4, storageOffset: offset, size, stride },
          cacheSpan,
        );
        const all = Array.from(new Float32Array((await view.read(0, view.size)).slice().buffer));
        expect(all).toEqual(want);
        // an arbitrary byte range, not aligned to elements
        const a = Math.floor(rand() * view.size);
        const b = a + Math.floor(rand() * (view.size - a));
        const part = await view.read(a, b - a);
        const full = new Uint8Array(new Float32Array(want).buffer);
        expect(Array.from(part)).toEqual(Array.from(full.subarray(a, b)));
        let streamed = 0;
        for await (const chunk of view.stream(0, view.size, 12)) streamed += chunk.length;
        expect(streamed).toBe(view.size);
      }
    }
  });

  it('over HTTP a view needing more than 512 range requests for one read is refused, not crawled', async () => {
    // a generated remote file: element i of the storage (F32) holds i
    const R = 70_000;
    const remote = (C: number) => ({
      id: 'hf:org/m/pytorch_model.bin',
      size: R * C * 4,
      read: async (offset: number, length: number) => {
        const out = new Uint8Array(length);
        const dv = new DataView(out.buffer);
        for (let b = 0; b < length; b++) {
          const e = Math.floor((offset + b) / 4);
          const bytes = new Uint8Array(new Float32Array([e]).buffer);
          dv.setUint8(b, bytes[(offset + b) % 4]!);
        }
        return out;
      },
      stream: () => {
        throw new Error('not used');
      },
      close: async () => {},
      bytesRead: () => 0,
    });
    // [R, C] viewed from a [C, R] storage: one logical row is C values R elements apart
    const layout = (C: number) => ({
      what: 'tensor "w" (a strided view of storage 0)',
      dataOffset: 0,
      elementSize: 4,
      storageOffset: 0,
      size: [R, C],
      stride: [1, R],
    });
    // (cacheSpan 0: storages this small would be read once and kept; the cap is for larger ones)
    const ok = new StridedView('v', remote(500), layout(500), 0);
    const row = new Float32Array((await ok.read(5 * 500 * 4, 500 * 4)).buffer);
    expect([row[0], row[1], row[499]]).toEqual([5, 5 + R, Math.fround(5 + 499 * R)]);
    const tooMany = new StridedView('v', remote(600), layout(600), 0);
    await expectInputError(
      tooMany.read(0, 600 * 4),
      'hf:org/m/pytorch_model.bin',
      'tensor "w" (a strided view of storage 0) would need 600 range requests for one read (more than 512)',
    );
  });

  it('reads training checkpoints that wrap the state dict, v3 tensors and Parameters', async () => {
    const path = await writeBytes(
      tmp.dir,
      'last.ckpt',
      torchSaveTensors([{ name: 'layer.weight', dtype: 'float32', shape: [2, 2], data: f32(4) }], {
        wrap: 'state_dict',
      }),
    );
    const m = await openModel(path);
    expect(m.tensors.map((t) => t.name)).toEqual(['layer.weight']);
    expect(m.metadata['pytorch.state_dict']).toBe('state_dict');
    await m.close();

    // _rebuild_tensor_v3 (dtypes without a storage class) over an UntypedStorage
    const p = new Pickler();
    p.raw(0x7d); // {}
    p.put();
    p.string('w');
    p.global('torch._utils', '_rebuild_tensor_v3');
    p.raw(0x28);
    p.tuple([
      () => p.string('storage'),
      () => p.global('torch', 'UntypedStorage'),
      () => p.string('0'),
      () => p.string('cpu'),
      () => p.int(4),
    ]);
    p.raw(0x51);
    p.int(0);
    p.tuple([() => p.int(4)]);
    p.tuple([() => p.int(1)]);
    p.raw(0x89);
    p.orderedDict();
    p.global('torch', 'float8_e4m3fn');
    p.raw(0x74, 0x52, 0x73);
    const e4m3 = Uint8Array.from([0x38, 0xb8, 0x40, 0x00]); // 1, -1, 2, 0
    const v3 = torchSave([{ dtype: 'uint8', data: e4m3 }], [], { pickle: p.bytes() });
    const ck = await readPyTorchCheckpoint(bufferSource('v3.pt', v3));
    expect(ck.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([['w', 'F8_E4M3', [4]]]);
    const t = ck.tensors[0]!;
    expect(Array.from(decodeToFloat32('F8_E4M3', await t.file.read(t.offset, t.byteLength)))).toEqual([1, -1, 2, 0]);
  });

  it('reads complex tensors as (real, imaginary) pairs, zip64, a deflated data.pkl, no byteorder record', async () => {
    const cplx = torchSaveTensors([{ name: 'freqs_cis', dtype: 'complex64', shape: [3], data: f32(6) }], {
      forceZip64: true,
      deflatePickle: true,
      byteorder: null,
    });
    const ck = await readPyTorchCheckpoint(bufferSource('c.pt', cplx));
    expect(ck.tensors.map((t) => [t.dtype, t.shape, t.numel])).toEqual([['F32', [3, 2], 6]]);
    const t = ck.tensors[0]!;
    expect(await t.file.read(t.offset, t.byteLength)).toEqual(f32(6));
  });

  it('gives the same fingerprint as the safetensors file holding the same values (full and sample modes)', async () => {
    const rand = mulberry(3);
    const w = Float32Array.from({ length: 64 * 48 }, () => rand() - 0.5);
    const wT = new Float32Array(48 * 64); // the transpose, stored as a view of w's storage
    for (let r = 0; r < 48; r++) for (let c = 0; c < 64; c++) wT[r * 64 + c] = w[c * 48 + r]!;
    const bias = Float32Array.from({ length: 48 }, () => rand());
    const bf = encodeFromFloat32(
      'BF16',
      Float32Array.from({ length: 96 * 32 }, () => rand() * 3),
    );
    const st = encodeSafetensors([
      { name: 'model.embed_tokens.weight', dtype: 'F32', shape: [64, 48], data: new Uint8Array(w.buffer) },
      { name: 'model.layers.0.mlp.up_proj.weight', dtype: 'F32', shape: [48, 64], data: new Uint8Array(wT.buffer) },
      { name: 'model.layers.0.mlp.up_proj.bias', dtype: 'F32', shape: [48], data: new Uint8Array(bias.buffer) },
      { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'BF16', shape: [96, 32], data: bf },
    ]);
    const pt = torchSave(
      [
        { dtype: 'float32', data: new Uint8Array(w.buffer) },
        { dtype: 'float32', data: new Uint8Array(bias.buffer) },
        { dtype: 'bfloat16', data: bf },
      ],
      [
        { name: 'model.embed_tokens.weight', storage: 0, size: [64, 48] },
        { name: 'model.layers.0.mlp.up_proj.weight', storage: 0, size: [48, 64], stride: [1, 48] },
        { name: 'model.layers.0.mlp.up_proj.bias', storage: 1, size: [48] },
        { name: 'model.layers.0.self_attn.q_proj.weight', storage: 2, size: [96, 32] },
      ],
      { archive: 'pytorch_model' },
    );
    const stPath = await writeBytes(tmp.dir, 'same.safetensors', st);
    const ptPath = await writeBytes(tmp.dir, 'same.bin', pt);
    for (const mode of ['full', 'sample'] as const) {
      const docs = [];
      for (const p of [stPath, ptPath]) {
        const m = await openModel(p);
        docs.push(await fingerprintModel(m, { mode, k: 256 }));
        await m.close();
      }
      const [a, b] = docs;
      expect(b!.source.format).toBe('pytorch');
      expect(b!.tensors).toEqual(a!.tensors);
      expect(b!.components).toEqual(a!.components);
      // bytes read are counted once per file, views included
      if (mode === 'full')
        expect(b!.source.bytesRead).toBeGreaterThanOrEqual(w.byteLength * 2 + bias.byteLength + bf.byteLength);
    }
  });
});

describe('PyTorch weights in directories and indexes', () => {
  const shard = (names: string[], seed: number) =>
    torchSaveTensors(
      names.map((name, i) => ({ name, dtype: 'float32' as const, shape: [4, 4], data: f32(16, seed + i) })),
      {
        archive: 'pytorch_model',
      },
    );

  it('opens pytorch_model.bin.index.json (file or directory) and checks the weight map', async () => {
    const dir = join(tmp.dir, 'sharded');
    await mkdir(dir);
    await writeFile(join(dir, 'pytorch_model-00001-of-00002.bin'), shard(['a.weight', 'b.weight'], 1));
    await writeFile(join(dir, 'pytorch_model-00002-of-00002.bin'), shard(['c.weight'], 5));
    await writeFile(join(dir, 'training_args.bin'), ascii('not weights'));
    const weightMap = {
      'a.weight': 'pytorch_model-00001-of-00002.bin',
      'b.weight': 'pytorch_model-00001-of-00002.bin',
      'c.weight': 'pytorch_model-00002-of-00002.bin',
    };
    await writeFile(
      join(dir, 'pytorch_model.bin.index.json'),
      JSON.stringify({ metadata: { total_size: 192 }, weight_map: weightMap }),
    );
    for (const spec of [dir, join(dir, 'pytorch_model.bin.index.json')]) {
      const m = await openModel(spec);
      expect(m.kind).toBe('sharded');
      expect(m.format).toBe('pytorch');
      expect(m.tensors.map((t) => t.name)).toEqual(['a.weight', 'b.weight', 'c.weight']);
      await m.close();
    }
    await writeFile(
      join(dir, 'pytorch_model.bin.index.json'),
      JSON.stringify({ weight_map: { ...weightMap, 'c.weight': 'pytorch_model-00001-of-00002.bin' } }),
    );
    await expectInputError(
      openModel(dir),
      join(dir, 'pytorch_model.bin.index.json'),
      'tensor "c.weight" is mapped to shard "pytorch_model-00001-of-00002.bin" but that shard does not contain it',
    );
  });

  it('reads safetensors first, lists the .bin beside them to check on its own; skips training side files', async () => {
    const dir = join(tmp.dir, 'both');
    await mkdir(dir);
    await writeFile(join(dir, 'pytorch_model.bin'), shard(['x.weight'], 2));
    await writeFile(join(dir, 'optimizer.pt'), ascii('junk'));
    await writeFile(
      join(dir, 'model.safetensors'),
      encodeSafetensors([{ name: 'x.weight', dtype: 'F32', shape: [4, 4], data: f32(16, 2) }]),
    );
    const m = await openModel(dir);
    expect(m.format).toBe('safetensors');
    // contract change (gate integrity): the .bin is no longer just mentioned, a check reads it as a model too
    expect(m.note).toBe('weights: model.safetensors; also present, each checked as its own model: pytorch_model.bin');
    expect(m.otherWeights).toEqual([join(dir, 'pytorch_model.bin')]);
    const doc = await fingerprintModel(m);
    expect(doc.source.note).toContain('each checked as its own model');
    await m.close();

    const only = join(tmp.dir, 'only-torch');
    await mkdir(only);
    await writeFile(join(only, 'pytorch_model.bin'), shard(['x.weight'], 2));
    await writeFile(join(only, 'training_args.bin'), ascii('junk'));
    await writeFile(join(only, 'config.json'), '{"model_type":"llama"}');
    const t = await openModel(only);
    expect([t.kind, t.format, t.note, t.files]).toEqual([
      'directory',
      'pytorch',
      undefined,
      [join(only, 'pytorch_model.bin')],
    ]);
    await t.close();

    const two = join(tmp.dir, 'two-torch');
    await mkdir(two);
    await writeFile(join(two, 'a.pt'), shard(['x'], 1));
    await writeFile(join(two, 'b.pth'), shard(['y'], 1));
    await expectInputError(openModel(two), two, 'several PyTorch files (a.pt, b.pth): name the one to use');
    // beside safetensors the same ambiguity is no error: safetensors are read, each checkpoint is a set of its own
    await writeFile(
      join(two, 'model.safetensors'),
      encodeSafetensors([{ name: 'x', dtype: 'F32', shape: [2], data: f32(2) }]),
    );
    const st = await openModel(two);
    expect(st.note).toBe('weights: model.safetensors; also present, each checked as its own model: a.pt, b.pth');
    expect(st.otherWeights).toEqual([join(two, 'a.pt'), join(two, 'b.pth')]);
    await st.close();
  });
});

describe('refusals: one line naming the file and the problem', () => {
  const small = () => torchSaveTensors([{ name: 'w', dtype: 'float32', shape: [2], data: f32(2) }]);
  const read = (name: string, bytes: Uint8Array) => readPyTorchCheckpoint(bufferSource(name, bytes));

  it('legacy, tar, big-endian, TorchScript, other formats, LFS pointers', async () => {
    const legacy = Uint8Array.from([
      0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e,
    ]);
    await expectInputError(
      read('old.bin', legacy),
      'old.bin',
      'legacy PyTorch checkpoint (pre-1.6',
      '_use_new_zipfile_serialization=True',
      'safetensors',
    );
    const tar = new Uint8Array(1024);
    tar.set(ascii('ustar'), 257);
    await expectInputError(read('tar.pt', tar), 'tar.pt', 'legacy PyTorch checkpoint (tar format');
    const big = torchSaveTensors([{ name: 'w', dtype: 'float32', shape: [1], data: f32(1) }], { byteorder: 'big' });
    await expectInputError(read('be.bin', big), 'be.bin', 'big-endian checkpoint');
    const ts = writeZip([
      { name: 'model/constants.pkl', data: Uint8Array.of(0x80, 2, 0x4e, 0x2e) },
      { name: 'model/code/__torch__.py', data: ascii('def forward(self): pass') },
      { name: 'model/version', data: ascii('3\n') },
    ]);
    await expectInputError(read('m.pt', ts), 'm.pt', 'TorchScript archive (torch.jit.save)');
    await expectInputError(read('g.bin', ascii('GGUF\x03\x00\x00\x00rest')), 'g.bin', 'is a GGUF file');
    await expectInputError(read('x.bin', ascii('hello world, not a checkpoint')), 'x.bin', 'no zip signature');
    const pointer = ascii(`version https://git-lfs.github.com/spec/v1\noid sha256:${'a'.repeat(64)}\nsize 123456\n`);
    await expectInputError(read('lfs.bin', pointer), 'lfs.bin', 'Git LFS pointer');
  });

  it('pickles that name anything but torch.save globals: nothing runs, the global is named', () => {
    const evil = (build: (p: Pickler) => void) => {
      const p = new Pickler();
      build(p);
      return p.bytes();
    };
    const src = 'm.bin: archive/data.pkl';
    const system = evil((p) => {
      p.raw(0x63, ...ascii('os\nsystem\n'));
      p.raw(0x58, 6, 0, 0, 0, ...ascii('whoami'), 0x85, 0x52);
    });
    expect(() => readTorchPickle(system, src)).toThrow(/^m\.bin: archive\/data\.pkl: global os\.system is not allowed/);
    const builtins = evil((p) => p.raw(0x63, ...ascii('builtins\neval\n')));
    expect(() => readTorchPickle(builtins, src)).toThrow('global builtins.eval is not allowed');
    const stack = evil((p) => {
      p.string('posix');
      p.string('system');
      p.raw(0x93);
    });
    expect(() => readTorchPickle(stack, src)).toThrow('global posix.system is not allowed');
    // REDUCE of an allowed global that is not a function (a storage class)
    const reduceStorage = evil((p) => {
      p.global('torch', 'FloatStorage');
      p.raw(0x29, 0x52);
    });
    expect(() => readTorchPickle(reduceStorage, src)).toThrow('REDUCE of torch.FloatStorage is not allowed');
    const inst = evil((p) => p.raw(0x28, 0x69, ...ascii('os\nsystem\n')));
    expect(() => readTorchPickle(inst, src)).toThrow('pickle opcode INST (0x69)');
    const newobj = evil((p) => {
      p.global('torch', 'Tensor');
      p.raw(0x29, 0x81);
    });
    expect(() => readTorchPickle(newobj, src)).toThrow('pickle opcode NEWOBJ (0x81)');
    const quant = evil((p) => p.global('torch', 'QInt8Storage'));
    expect(() => readTorchPickle(quant, src)).toThrow('quantized tensors are not supported');
    const whole = evil((p) => p.global('__main__', 'Net'));
    expect(() => readTorchPickle(whole, src)).toThrow('global __main__.Net is not allowed');
    const build = evil((p) => {
      p.raw(0x5d);
      p.raw(0x7d, 0x62);
    });
    expect(() => readTorchPickle(build, src)).toThrow('BUILD on a list is not allowed');
  });

  it('pickle bombs: nesting, memo, stack, truncation, size', async () => {
    const src = 'p';
    const deep = new Pickler();
    for (let i = 0; i < 100_000; i++) deep.raw(0x5d);
    for (let i = 0; i < 99_999; i++) deep.raw(0x61);
    // the reader builds it without recursion; walking it for tensors stops at the nesting cap
    const r = readTorchPickle(deep.bytes(), src);
    expect(r.value).toBeDefined();
    const deepDict = torchSave([], [], { pickle: deepDictPickle(100) });
    await expectInputError(
      read('deep.bin', deepDict),
      'deep.bin: archive/data.pkl',
      'containers nested deeper than 32 levels',
    );
    const marks = new Pickler();
    for (let i = 0; i < 20_000; i++) marks.raw(0x28);
    expect(() => readTorchPickle(marks.bytes(), src)).toThrow('more than 10000 nested MARKs');
    const memo = new Uint8Array(3 + 2_100_000 * 5);
    memo.set([0x80, 2, 0x4e]);
    for (let i = 0; i < 2_100_000; i++) memo.set([0x72, i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, 0], 3 + i * 5);
    expect(() => readTorchPickle(memo, src)).toThrow('pickle memo grows past 2000000 entries');
    const stack = new Uint8Array(1_000_003).fill(0x4e);
    stack.set([0x80, 2]);
    expect(() => readTorchPickle(stack, src)).toThrow('pickle stack grows past 1000000 values');
    expect(() => readTorchPickle(Uint8Array.of(0x80, 2, 0x58, 0xff, 0xff, 0xff, 0x7f, 0x61), src)).toThrow(
      'truncated: needs 2147483647 more bytes',
    );
    expect(() => readTorchPickle(Uint8Array.of(0x80, 2, 0x68, 9, 0x2e), src)).toThrow('memo entry 9 was never stored');
    expect(() => readTorchPickle(Uint8Array.of(0x80, 2, 0x4e), src)).toThrow('ends without STOP');
    expect(() => readTorchPickle(Uint8Array.of(0x80, 2, 0x4e, 0x4e, 0x2e), src)).toThrow(
      'STOP with 2 values on the stack',
    );
    expect(() => readTorchPickle(new Uint8Array(MAX_PICKLE_BYTES + 1), src)).toThrow('more than the 33554432 read');
    // declared size over the cap is refused before anything is read or inflated
    const big = torchSave([], [], { pickle: new Uint8Array(1 << 16), deflatePickle: true });
    const patched = patchCentralSize(big, 'archive/data.pkl', MAX_PICKLE_BYTES + 10, 'size only');
    await expectInputError(
      read('big.bin', patched),
      'big.bin',
      'archive/data.pkl: is 33554442 bytes, more than the 33554432 read',
    );
    // a deflated data.pkl that inflates past the size the directory declares: stopped at that size
    const bomb = torchSave([], [], { pickle: new Uint8Array(1 << 20), deflatePickle: true });
    const lied = patchCentralSize(bomb, 'archive/data.pkl', 4096, 'size only');
    new DataView(lied.buffer).setUint32(22, 4096, true); // the local header says the same
    await expectInputError(read('b.bin', lied), 'b.bin', 'archive/data.pkl: inflates past its declared 4096 bytes');
  });

  it('storages that do not match the pickle, run past the file, or are compressed', async () => {
    const wrongSize = torchSave([{ dtype: 'float32', data: f32(3) }], [{ name: 'w', storage: 0, size: [3] }], {
      pickle: statePickle([{ dtype: 'float32', data: f32(4) }], [{ name: 'w', storage: 0, size: [3] }]),
    });
    await expectInputError(
      read('s.bin', wrongSize),
      's.bin',
      'storage record "archive/data/0" holds 12 bytes but data.pkl declares 4 × float32 (16 bytes)',
    );
    const past = torchSave([{ dtype: 'float32', data: f32(4) }], [{ name: 'w', storage: 0, size: [4], offset: 1 }]);
    await expectInputError(
      read('o.bin', past),
      'o.bin',
      'tensor "w": offset 1, shape [4] and stride [1] reach element 4 of storage 0, which holds 4',
    );
    const strided = torchSave(
      [{ dtype: 'float32', data: f32(4) }],
      [{ name: 'w', storage: 0, size: [2, 2], stride: [1, 3] }],
    );
    await expectInputError(read('t.bin', strided), 't.bin', 'reach element 4 of storage 0');
    const missing = torchSave([], [], {
      pickle: statePickle([{ dtype: 'float32', data: f32(2) }], [{ name: 'w', storage: 0, size: [2] }]),
    });
    await expectInputError(
      read('m.bin', missing),
      'm.bin',
      'storage record "archive/data/0" named in data.pkl is not in the archive',
    );
    const deflated = writeZip([
      {
        name: 'archive/data.pkl',
        data: statePickle([{ dtype: 'float32', data: f32(2) }], [{ name: 'w', storage: 0, size: [2] }]),
      },
      { name: 'archive/data/0', data: f32(2), deflate: true },
      { name: 'archive/version', data: ascii('3\n') },
    ]);
    await expectInputError(
      read('d.bin', deflated),
      'd.bin',
      'storage record "archive/data/0" is compressed (method 8)',
    );
    const crc = small();
    const pklAt = findBytes(crc, ascii('collections'));
    crc[pklAt] ^= 1;
    await expectInputError(read('c.bin', crc), 'c.bin', 'archive/data.pkl: CRC-32 does not match');
  });

  it('hostile zips: path traversal, overlapping records, lying sizes, absurd counts, truncation', async () => {
    const traversal = writeZip([
      { name: 'archive/data.pkl', data: Uint8Array.of(0x80, 2, 0x7d, 0x2e) },
      { name: 'archive/../../etc/passwd', data: ascii('x') },
    ]);
    await expectInputError(
      read('z.bin', traversal),
      'z.bin',
      'zip record name "archive/../../etc/passwd" is not a plain relative path (path traversal)',
    );
    const absolute = writeZip([{ name: '/etc/passwd', data: ascii('x') }]);
    await expectInputError(read('a.bin', absolute), 'a.bin', 'path traversal');

    // two central records pointing at one local record: the overlapping-file zip bomb
    const base = small();
    const overlapped = pointRecordAt(base, 'archive/data/0', 'archive/data.pkl');
    await expectInputError(read('o.bin', overlapped), 'o.bin', 'overlap');

    const lying = patchCentralSize(base, 'archive/byteorder', 5);
    await expectInputError(
      read('l.bin', lying),
      'l.bin',
      'local header declares 6 bytes (6 stored), the central directory 5 (5 stored)',
    );
    const lyingUp = patchCentralSize(base, 'archive/.data/serialization_id', 4000);
    await expectInputError(read('u.bin', lyingUp), 'u.bin', 'runs into the central directory');

    const counts = patchEocdCount(base, 0xfffe);
    await expectInputError(read('n.bin', counts), 'n.bin', 'cannot hold the 65534 records it claims');
    await expectInputError(read('t.bin', base.subarray(0, base.length - 30)), 't.bin', 'end-of-central-directory');
    await expectInputError(read('e.bin', base.subarray(0, 10)), 'e.bin', 'too short for a zip archive');
  });

  it('through openModel and the CLI contract: a .bin error names the file', async () => {
    const path = await writeBytes(
      tmp.dir,
      'evil.bin',
      torchSave([], [], {
        pickle: (() => {
          const p = new Pickler();
          p.raw(0x63, ...ascii('subprocess\ncheck_output\n'));
          return p.bytes();
        })(),
      }),
    );
    await expectInputError(
      openModel(path),
      `${path}: archive/data.pkl`,
      'global subprocess.check_output is not allowed',
    );
    const src = await openFileSource(path);
    await src.close();
  });
});

// ---------------------------------------------------------------------------------------------

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** {'a': {'a': {... depth levels ... {'w': tensor}}}}. */
function deepDictPickle(depth: number): Uint8Array {
  const p = new Pickler();
  for (let i = 0; i < depth; i++) {
    p.raw(0x7d);
    p.put();
    p.string('a');
  }
  p.value({
    tensor: { name: 'w', storage: 0, size: [1] },
    storage: { dtype: 'float32', data: f32(1) },
    storageKey: '0',
  });
  for (let i = 0; i < depth; i++) p.raw(0x73);
  return p.bytes();
}

function findBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}

/** Offset of the central-directory record of `name`. */
function centralRecord(zip: Uint8Array, name: string): number {
  const sig = Uint8Array.of(0x50, 0x4b, 0x01, 0x02);
  let at = 0;
  for (;;) {
    at = findBytes(zip, sig, at);
    const n = zip[at + 28]! | (zip[at + 29]! << 8);
    if (new TextDecoder().decode(zip.subarray(at + 46, at + 46 + n)) === name) return at;
    at += 4;
  }
}

function patchCentralSize(zip: Uint8Array, name: string, size: number, which?: 'size only'): Uint8Array {
  const out = zip.slice();
  const at = centralRecord(out, name);
  const v = new DataView(out.buffer);
  if (!which) v.setUint32(at + 20, size, true);
  v.setUint32(at + 24, size, true);
  return out;
}

function pointRecordAt(zip: Uint8Array, name: string, target: string): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  const from = centralRecord(out, target);
  v.setUint32(centralRecord(out, name) + 42, v.getUint32(from + 42, true), true);
  return out;
}

function patchEocdCount(zip: Uint8Array, count: number): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  const eocd = out.length - 22;
  v.setUint16(eocd + 8, count, true);
  v.setUint16(eocd + 10, count, true);
  // the zip64 record (which the reader prefers) says the same
  const z64 = Number(v.getBigUint64(eocd - 20 + 8, true));
  v.setBigUint64(z64 + 24, BigInt(count), true);
  v.setBigUint64(z64 + 32, BigInt(count), true);
  return out;
}
