/**
 * Ground truth on real weights: llama2.c's stories260K re-containered as pytorch_model.bin (the
 * layout torch.save writes) is the same model as its safetensors original, a drifted .bin of it
 * is derived, and an unrelated real model saved as .bin is independent; through compare and
 * through check with a registry entry made from the safetensors side.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { compareModels } from '../../src/compare/index.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { decodeToFloat32, encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { openModel } from '../../src/formats/model.js';
import { encodePyTorch, torchSave, type StorageSpec, type TensorSpec } from '../../src/formats/pytorch/writer.js';
import type { TensorToWrite } from '../../src/formats/writer.js';
import { writePyTorchCases } from '../../src/eval/pytorch.js';
import { addEntry } from '../../src/registry/index.js';
import { Rng } from '../../src/synth/random.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE } from '../compare/helpers.js';

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

const LLAMA = join(REAL, 'llama2c');
const STORIES = join(LLAMA, 'karpathy_stories260K');
const UNRELATED = join(LLAMA, 'saltyduckegg_llama2xs_260K');

async function readTensors(dir: string): Promise<TensorToWrite[]> {
  const m = await openModel(dir);
  try {
    const out: TensorToWrite[] = [];
    for (const t of m.tensors)
      out.push({ name: t.name, dtype: t.dtype, shape: t.shape, data: await t.file.read(t.offset, t.byteLength) });
    return out;
  } finally {
    await m.close();
  }
}

/** A model directory holding only pytorch_model.bin (plus the original config). */
async function torchDir(dir: string, from: string, bytes: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'pytorch_model.bin'), bytes);
  await copyFile(join(from, 'config.json'), join(dir, 'config.json'));
  return dir;
}

function drifted(tensors: TensorToWrite[], rel: number, seed: number): TensorToWrite[] {
  const rng = new Rng(seed);
  return tensors.map((t) => {
    if (t.dtype !== 'F32' || t.shape.length < 2) return t;
    const v = decodeToFloat32('F32', t.data);
    let ss = 0;
    for (const x of v) ss += x * x;
    const sd = rel * Math.sqrt(ss / v.length);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! + sd * rng.normal();
    return { ...t, data: encodeFromFloat32('F32', v) };
  });
}

describe.skipIf(!HAVE_REAL)('PyTorch checkpoints of real models (llama2.c stories260K)', () => {
  let tmp: string;
  let original: FingerprintDocument;
  const dirs: Record<string, string> = {};

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'wp-torch-real-'));
    const tensors = await readTensors(STORIES);
    dirs.copy = await torchDir(join(tmp, 'copy'), STORIES, encodePyTorch(tensors));
    // as model.state_dict() saves a tied model: the output head is the embedding's storage
    const emb = tensors.findIndex((t) => t.name === 'model.embed_tokens.weight');
    const storages: StorageSpec[] = tensors.map((t) => ({
      dtype: 'float32',
      data: t.data,
    }));
    const specs: TensorSpec[] = tensors.map((t, i) => ({ name: t.name, storage: i, size: t.shape, parameter: true }));
    specs.push({ name: 'lm_head.weight', storage: emb, size: tensors[emb]!.shape });
    dirs.tied = await torchDir(join(tmp, 'tied'), STORIES, torchSave(storages, specs, { archive: 'pytorch_model' }));
    dirs.drifted = await torchDir(join(tmp, 'drifted'), STORIES, encodePyTorch(drifted(tensors, 0.5, 11)));
    dirs.unrelated = await torchDir(join(tmp, 'unrelated'), UNRELATED, encodePyTorch(await readTensors(UNRELATED)));
    original = await loadFingerprint(STORIES);
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('the re-containered .bin fingerprints to the same tensors: every sha256 and order-free digest equal', async () => {
    const copy = await loadFingerprint(dirs.copy!);
    expect(copy.source.format).toBe('pytorch');
    expect(copy.tensors.length).toBe(original.tensors.length);
    const byName = new Map(original.tensors.map((t) => [t.name, t]));
    for (const t of copy.tensors) {
      const o = byName.get(t.name)!;
      expect(t.sha256, t.name).toBe(o.sha256);
      expect(t.valueDigest, t.name).toBe(o.valueDigest);
      expect(t.sample, t.name).toEqual(o.sample);
    }
    const r = compareModels(original, copy);
    expect(r.verdict, r.reason).toBe('identical');
    // and the other way round
    expect(compareModels(copy, original).verdict).toBe('identical');
  });

  it('a tied-weight state dict (Parameters, lm_head sharing the embedding storage) is identical too', async () => {
    const tied = await loadFingerprint(dirs.tied!);
    const head = tied.tensors.find((t) => t.name === 'lm_head.weight')!;
    const emb = tied.tensors.find((t) => t.name === 'model.embed_tokens.weight')!;
    expect(head.sha256).toBe(emb.sha256);
    expect(compareModels(original, tied).verdict).toBe('identical');
  });

  it('sample mode agrees with full mode on the copy', async () => {
    const sketch = await loadFingerprint(dirs.copy!, { mode: 'sample' });
    const full = await loadFingerprint(STORIES, { mode: 'sample' });
    expect(sketch.tensors.map((t) => t.sample)).toEqual(full.tensors.map((t) => t.sample));
    expect(compareModels(full, sketch).verdict).toBe('identical');
  });

  it('a drifted .bin is derived; an unrelated real model saved as .bin is independent', async () => {
    const d = compareModels(original, await loadFingerprint(dirs.drifted!));
    expect(d.verdict, d.reason).toBe('derived');
    const u = compareModels(original, await loadFingerprint(dirs.unrelated!));
    expect(u.verdict, u.reason).toBe('independent');
  });

  it('check: a registry entry made from the safetensors side names the .bin copy and the drifted .bin', async () => {
    const registry = join(tmp, 'registry');
    await addEntry(registry, original, { id: 'hf:karpathy/stories260K@main', license: 'MIT', family: 'llama2c' });
    const [copy, drift, other] = await runCheck({
      models: [dirs.copy!, dirs.drifted!, dirs.unrelated!],
      registries: [registry],
      noBuiltin: true,
    });
    expect(copy!.verdict).toBe('identical');
    expect(copy!.matches[0]!.entry).toBe('hf:karpathy/stories260K@main');
    expect(drift!.verdict).toBe('derived');
    expect(drift!.matches[0]!.entry).toBe('hf:karpathy/stories260K@main');
    expect(['independent', 'inconclusive']).toContain(other!.verdict);
    expect(other!.matches.every((m) => m.verdict !== 'derived' && m.verdict !== 'identical')).toBe(true);
  });

  it("the evaluation's PyTorch cases (formats group) are all right, strided views included", async () => {
    const cases = await writePyTorchCases(REAL, join(tmp, 'eval'));
    expect(cases.map((c) => c.truth)).toEqual(['identical', 'identical', 'derived', 'independent']);
    for (const c of cases) {
      const r = compareModels(await loadFingerprint(c.a), await loadFingerprint(c.b));
      expect(c.accept, `${c.id}: ${r.reason}`).toContain(r.verdict);
    }
  });
});
