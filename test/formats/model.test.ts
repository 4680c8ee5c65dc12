import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel } from '../../src/formats/model.js';
import type { ModelSource } from '../../src/formats/types.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { expectInputError, f32Bytes, makeTempDir, smallModel, writeBytes } from './helpers.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir: root, cleanup } = await makeTempDir()));
afterAll(() => cleanup());

let dirNo = 0;
async function freshDir(files: Record<string, Uint8Array | string> = {}): Promise<string> {
  const dir = join(root, `m${dirNo++}`);
  await mkdir(dir);
  for (const [name, bytes] of Object.entries(files)) await writeBytes(dir, name, bytes);
  return dir;
}

async function withModel<T>(spec: string, use: (m: ModelSource) => Promise<T> | T): Promise<T> {
  const m = await openModel(spec);
  try {
    return await use(m);
  } finally {
    await m.close();
  }
}

const shard = (...names: string[]) =>
  encodeSafetensors(
    names.map((name, i) => ({ name, dtype: 'F32', shape: [i + 1], data: f32Bytes(Array(i + 1).fill(i)) })),
  );
const index = (map: Record<string, string>) => JSON.stringify({ metadata: { total_size: 0 }, weight_map: map });
const LFS = 'version https://git-lfs.github.com/spec/v1\noid sha256:abcdef0123\nsize 999\n';

describe('openModel: a single file', () => {
  it('opens a .safetensors file and reads side files on demand', async () => {
    const bytes = smallModel('', { format: 'pt' });
    const dir = await freshDir({ 'weights.safetensors': bytes, 'config.json': '\ufeff{"model_type":"llama"}' });
    const path = join(dir, 'weights.safetensors');
    await withModel(path, async (m) => {
      expect(m).toMatchObject({
        id: path,
        kind: 'file',
        files: [path],
        totalBytes: bytes.length,
        metadata: { format: 'pt' },
      });
      expect(m.tensors.map((t) => t.name)).toEqual(['a.weight', 'a.bias', 'b.codes']);
      expect(await m.readText('config.json')).toBe('{"model_type":"llama"}'); // BOM dropped
      expect(await m.readText('tokenizer.json')).toBeUndefined();
      await expect(m.readText('../secret')).rejects.toBeInstanceOf(RangeError);
    });
  });

  it('close() closes the handles', async () => {
    const dir = await freshDir({ 'model.safetensors': smallModel() });
    const m = await openModel(join(dir, 'model.safetensors'));
    const t = m.tensors[0]!;
    expect((await t.file.read(t.offset, 4)).length).toBe(4);
    await m.close();
    await expect(t.file.read(t.offset, 4)).rejects.toThrow();
    await m.close();
  });

  it('a missing path', async () => {
    const path = join(root, 'does-not-exist.safetensors');
    await expectInputError(openModel(path), path, 'no such file or directory');
  });

  it('a defective file names the file', async () => {
    const dir = await freshDir({ 'model.safetensors': Uint8Array.from([1, 2]) });
    await expectInputError(
      openModel(join(dir, 'model.safetensors')),
      join(dir, 'model.safetensors'),
      'shorter than the 8-byte header length',
    );
  });

  it('a .bin that is not a torch.save zip is refused by the PyTorch reader, naming the file', async () => {
    const dir = await freshDir({ 'pytorch_model.bin': 'PK' });
    const path = join(dir, 'pytorch_model.bin');
    await expectInputError(openModel(path), path, 'not a PyTorch checkpoint: no zip signature');
  });

  it('an LFS pointer in place of the weights', async () => {
    const dir = await freshDir({ 'model.safetensors': LFS });
    const path = join(dir, 'model.safetensors');
    await expectInputError(
      openModel(path),
      path,
      'Git LFS pointer',
      'oid sha256:abcdef0123',
      'size 999',
      `git lfs pull --include ${path}`,
    );
  });

  it('an LFS pointer as a side file', async () => {
    const dir = await freshDir({ 'model.safetensors': smallModel(), 'tokenizer.json': LFS });
    await withModel(join(dir, 'model.safetensors'), (m) =>
      expectInputError(m.readText('tokenizer.json'), join(dir, 'tokenizer.json'), 'Git LFS pointer'),
    );
  });
});

describe('openModel: sharded index', () => {
  async function shardedDir(
    map: Record<string, string>,
    shards: Record<string, Uint8Array>,
    extra: Record<string, string> = {},
  ) {
    return freshDir({ 'model.safetensors.index.json': index(map), ...shards, ...extra });
  }
  const goodShards = () => ({
    'model-00001-of-00002.safetensors': shard('x', 'y'),
    'model-00002-of-00002.safetensors': shard('z'),
  });
  const goodMap = {
    x: 'model-00001-of-00002.safetensors',
    y: 'model-00001-of-00002.safetensors',
    z: 'model-00002-of-00002.safetensors',
  };

  it('opens through the index file and through its directory', async () => {
    const dir = await shardedDir(goodMap, goodShards(), { 'config.json': '{}' });
    const indexPath = join(dir, 'model.safetensors.index.json');
    for (const spec of [indexPath, dir]) {
      await withModel(spec, async (m) => {
        expect(m.id).toBe(spec);
        expect(m.kind).toBe('sharded');
        expect(m.files).toEqual([
          join(dir, 'model-00001-of-00002.safetensors'),
          join(dir, 'model-00002-of-00002.safetensors'),
        ]);
        expect(m.tensors.map((t) => [t.name, t.file.id])).toEqual([
          ['x', m.files[0]],
          ['y', m.files[0]],
          ['z', m.files[1]],
        ]);
        expect(await m.readText('config.json')).toBe('{}');
      });
    }
  });

  it('a shard that does not exist', async () => {
    const shards: Record<string, Uint8Array> = goodShards();
    delete shards['model-00002-of-00002.safetensors'];
    const dir = await shardedDir(goodMap, shards);
    const indexPath = join(dir, 'model.safetensors.index.json');
    await expectInputError(
      openModel(indexPath),
      indexPath,
      'shard "model-00002-of-00002.safetensors" named in weight_map does not exist',
    );
  });

  it('a mapped tensor missing from its shard', async () => {
    const dir = await shardedDir({ ...goodMap, w: 'model-00002-of-00002.safetensors' }, goodShards());
    const indexPath = join(dir, 'model.safetensors.index.json');
    await expectInputError(
      openModel(indexPath),
      indexPath,
      'tensor "w" is mapped to shard "model-00002-of-00002.safetensors" but that shard does not contain it',
    );
  });

  it('a mapped tensor found in a different shard', async () => {
    const dir = await shardedDir({ ...goodMap, y: 'model-00002-of-00002.safetensors' }, goodShards());
    const indexPath = join(dir, 'model.safetensors.index.json');
    await expectInputError(
      openModel(indexPath),
      indexPath,
      'tensor "y" is mapped to shard "model-00002-of-00002.safetensors"',
      '(it is in "model-00001-of-00002.safetensors")',
    );
  });

  it('a shard tensor not listed in weight_map', async () => {
    const map: Record<string, string> = { ...goodMap };
    delete map.y;
    const dir = await shardedDir(map, goodShards());
    const indexPath = join(dir, 'model.safetensors.index.json');
    await expectInputError(
      openModel(indexPath),
      indexPath,
      'tensor "y" in shard "model-00001-of-00002.safetensors" is not listed in weight_map',
    );
  });

  it('the same tensor in two shards', async () => {
    const dir = await shardedDir(goodMap, { ...goodShards(), 'model-00002-of-00002.safetensors': shard('z', 'x') });
    const second = join(dir, 'model-00002-of-00002.safetensors');
    await expectInputError(openModel(dir), second, 'tensor "x" is also in', 'model-00001-of-00002.safetensors');
  });

  it('an index that is not JSON, lacks weight_map, is empty, repeats a key or escapes its directory', async () => {
    const cases: Array<[string, string]> = [
      ['{"weight_map": ', 'index is not valid JSON'],
      ['{"metadata": {}}', 'index has no "weight_map" object'],
      ['{"weight_map": {}}', 'weight_map is empty'],
      ['{"weight_map": {"x": "a.safetensors", "x": "b.safetensors"}}', 'duplicate key "x" in weight_map'],
      ['{"weight_map": {"x": "../other/model.safetensors"}}', 'outside the index directory'],
      ['{"weight_map": {"x": 3}}', 'weight_map entry "x" is not a file name'],
      [
        '{"weight_map": {"x": "pytorch_model-00001-of-00002.bin"}}',
        'shard "pytorch_model-00001-of-00002.bin" named in weight_map does not exist',
      ],
      // GGUF is read, but as a .gguf file set: a safetensors index naming one is malformed
      ['{"weight_map": {"x": "model.gguf"}}', 'GGUF weights are opened as a .gguf file'],
      [LFS, 'Git LFS pointer'],
    ];
    for (const [text, defect] of cases) {
      const dir = await freshDir({ 'model.safetensors.index.json': text });
      await expectInputError(openModel(dir), join(dir, 'model.safetensors.index.json'), defect);
    }
  });

  it('a defective shard closes the shards already opened and names the shard', async () => {
    const dir = await shardedDir(goodMap, {
      ...goodShards(),
      'model-00002-of-00002.safetensors': Uint8Array.from([0]),
    });
    await expectInputError(
      openModel(dir),
      join(dir, 'model-00002-of-00002.safetensors'),
      'shorter than the 8-byte header length',
    );
  });
});

describe('openModel: directory', () => {
  it('opens every .safetensors file, sorted, as one model', async () => {
    const dir = await freshDir({ 'b.safetensors': shard('b1'), 'a.safetensors': shard('a1', 'a2'), 'notes.txt': 'x' });
    await withModel(dir, (m) => {
      expect(m.kind).toBe('directory');
      expect(m.files).toEqual([join(dir, 'a.safetensors'), join(dir, 'b.safetensors')]);
      expect(m.tensors.map((t) => t.name)).toEqual(['a1', 'a2', 'b1']);
    });
  });

  it('follows symlinks of a Hugging Face cache snapshot to its blobs', async () => {
    const repo = join(await freshDir(), 'models--org--name');
    await mkdir(join(repo, 'blobs'), { recursive: true });
    await mkdir(join(repo, 'snapshots', 'abc123'), { recursive: true });
    await writeFile(join(repo, 'blobs', 'blob1'), smallModel());
    const dir = join(repo, 'snapshots', 'abc123');
    await symlink('../../blobs/blob1', join(dir, 'model.safetensors'));
    await withModel(dir, (m) => expect(m.tensors).toHaveLength(3));
  });

  it('the same tensor in two files', async () => {
    const dir = await freshDir({ 'a.safetensors': shard('w'), 'b.safetensors': shard('w') });
    await expectInputError(openModel(dir), join(dir, 'b.safetensors'), 'tensor "w" is also in', 'a.safetensors');
  });

  it('no weights at all', async () => {
    const dir = await freshDir({ 'config.json': '{}' });
    await expectInputError(
      openModel(dir),
      dir,
      'no weights (looked for model.safetensors, *.safetensors.index.json, ' +
        'pytorch_model.bin, pytorch_model.bin.index.json)',
    );
  });

  it('only pytorch_model.bin: read by the PyTorch reader', async () => {
    const dir = await freshDir({ 'pytorch_model.bin': 'x', 'config.json': '{}' });
    const path = join(dir, 'pytorch_model.bin');
    await expectInputError(openModel(dir), path, 'not a PyTorch checkpoint');
  });

  it('several indexes without model.safetensors.index.json', async () => {
    const dir = await freshDir({
      'a.safetensors.index.json': index({ x: 'a' }),
      'b.safetensors.index.json': index({ x: 'b' }),
    });
    await expectInputError(openModel(dir), dir, 'several safetensors indexes');
  });
});

describe('the hub option', () => {
  it('opens every hf: spec, before the file system; without it hf: is an input error', async () => {
    const fake = (id: string): ModelSource => ({
      id,
      kind: 'hub',
      tensors: [],
      metadata: {},
      files: [],
      totalBytes: 0,
      readText: async () => undefined,
      close: async () => {},
    });
    const hub = async (spec: string) => fake(`hub:${spec}`);
    expect((await openModel('hf:org/name@main', { hub })).id).toBe('hub:hf:org/name@main');
    expect((await openModel('hf:mirror/x', { hub })).id).toBe('hub:hf:mirror/x');
    await expectInputError(openModel('hf:org/name'), 'hf:org/name', 'is a Hugging Face Hub model');
  });

  it('names the Hub form when an unknown scheme is not a file either', async () => {
    await expectInputError(
      openModel('s3:bucket/model'),
      's3:bucket/model',
      'no such file or directory',
      '"s3:" is not a model source',
    );
  });
});
