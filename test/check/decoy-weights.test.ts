/**
 * A release is checked on every weights file it ships. A hostile author puts a freshly
 * initialised decoy where the default pick looks (model.safetensors, the index, the "most
 * precise" GGUF) and the copy beside it in a form the pick passes over: pytorch_model.bin, a
 * GGUF quant, consolidated.safetensors next to an index, a second index, a `.SafeTensors` name,
 * a lone GGUF split part. Each further weights set is checked as a model of its own, so the
 * copy fails the policy whatever the decoy says. The same holds for an `hf:` repository (over the
 * loopback Hub): each further set is checked as `hf:org/name/<file>@<commit>`.
 */
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { worstPolicy } from '../../src/check/report.js';
import { isInputError } from '../../src/errors.js';
import { decodeToFloat32 } from '../../src/formats/dtypes.js';
import { encodePyTorch } from '../../src/formats/pytorch/writer.js';
import { hubOpener } from '../../src/formats/hub.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';
import { addEntry } from '../../src/registry/index.js';
import { independent } from '../../src/synth/derive.js';
import type { SynthModel } from '../../src/synth/model.js';
import { hfToGguf } from '../../src/synth/to-gguf.js';
import { modelFiles, tensorsToWrite, writeModelDir } from '../../src/synth/write.js';
import { startHubServer } from '../helpers/hub-server.js';
import { base, fingerprintSynth, SMALL, tempDir } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let registry: string;
let A: SynthModel;
let decoy: SynthModel;

beforeAll(async () => {
  tmp = await tempDir('decoy');
  registry = join(tmp.dir, 'registry');
  A = base(SMALL, 31, 'synth/base');
  decoy = independent(SMALL, 32, 'synth/own');
  const { fp } = await fingerprintSynth(tmp.dir, A, 'A');
  await addEntry(registry, fp, { id: 'hf:synth/base@main', license: 'Synth Community License', family: 'synth' });
}, 300_000);

afterAll(async () => {
  await tmp.cleanup();
});

/** A model directory holding the decoy as model.safetensors (its config, tokenizer and card too). */
async function decoyDir(name: string): Promise<string> {
  return writeModelDir(decoy, join(tmp.dir, name));
}

function gguf(model: SynthModel, type: string): Uint8Array {
  const tensors = tensorsToWrite(model).map((t) => ({
    name: t.name,
    shape: t.shape,
    values: decodeToFloat32(t.dtype, t.data),
  }));
  return hfToGguf(tensors, { type, heads: SMALL.text!.heads, kvHeads: SMALL.text!.kvHeads });
}

/** Splits tensors into two shards with an index naming them, under `stem`. */
async function writeSharded(dir: string, stem: string, tensors: TensorToWrite[], index: string): Promise<void> {
  const half = Math.ceil(tensors.length / 2);
  const shards = [tensors.slice(0, half), tensors.slice(half)];
  const weightMap: Record<string, string> = {};
  for (const [i, part] of shards.entries()) {
    const file = `${stem}-0000${i + 1}-of-00002.safetensors`;
    await writeFile(join(dir, file), encodeSafetensors(part));
    for (const t of part) weightMap[t.name] = file;
  }
  await writeFile(join(dir, index), JSON.stringify({ metadata: {}, weight_map: weightMap }));
}

async function check(dir: string) {
  return runCheck({ models: [dir], registries: [registry], noBuiltin: true });
}

/** The decoy passes on its own; the copy beside it is reported as a model of its own and fails. */
function expectCopyCaught(results: Awaited<ReturnType<typeof check>>, dir: string, copy: string): void {
  expect(results.map((r) => r.model)).toEqual([dir, join(dir, copy)]);
  expect(results[0]!.verdict).toBe('independent');
  expect(results[0]!.policy.result).toBe('pass');
  expect(results[1]!.verdict).toBe('identical');
  expect(results[1]!.matches[0]!.entry).toBe('hf:synth/base@main');
  expect(results[1]!.policy.result).toBe('fail');
  expect(worstPolicy(results)).toBe('fail');
}

describe('a copy beside a decoy is checked too', () => {
  it('pytorch_model.bin beside model.safetensors', async () => {
    const dir = await decoyDir('bin');
    await writeFile(join(dir, 'pytorch_model.bin'), encodePyTorch(tensorsToWrite(A)));
    expectCopyCaught(await check(dir), dir, 'pytorch_model.bin');
  });

  it('a GGUF file beside model.safetensors', async () => {
    const dir = await decoyDir('gguf');
    await writeFile(join(dir, 'model-F32.gguf'), gguf(A, 'F32'));
    expectCopyCaught(await check(dir), dir, 'model-F32.gguf');
  });

  it('a GGUF quant beside a "more precise" GGUF decoy', async () => {
    const dir = await decoyDir('quants');
    await rename(join(dir, 'model.safetensors'), join(tmp.dir, 'quants-decoy.safetensors'));
    await writeFile(join(dir, 'model-F32.gguf'), gguf(decoy, 'F32'));
    await writeFile(join(dir, 'model-Q8_0.gguf'), gguf(A, 'Q8_0'));
    const results = await check(dir);
    expect(results.map((r) => [r.model, r.policy.result])).toEqual([
      [dir, 'pass'],
      [join(dir, 'model-Q8_0.gguf'), 'fail'],
    ]);
    expect(results[1]!.verdict).toBe('identical');
  });

  it('consolidated.safetensors beside an index of decoy shards', async () => {
    const dir = await decoyDir('consolidated');
    await rename(join(dir, 'model.safetensors'), join(tmp.dir, 'consolidated-decoy.safetensors'));
    await writeSharded(dir, 'model', tensorsToWrite(decoy), 'model.safetensors.index.json');
    await writeFile(join(dir, 'consolidated.safetensors'), encodeSafetensors(tensorsToWrite(A)));
    expectCopyCaught(await check(dir), dir, 'consolidated.safetensors');
  });

  it('a second index beside model.safetensors.index.json', async () => {
    const dir = await decoyDir('indexes');
    await rename(join(dir, 'model.safetensors'), join(tmp.dir, 'indexes-decoy.safetensors'));
    await writeSharded(dir, 'model', tensorsToWrite(decoy), 'model.safetensors.index.json');
    await writeSharded(dir, 'copy', tensorsToWrite(A), 'copy.safetensors.index.json');
    // the second index's shards are read through it, not once more as loose files
    expectCopyCaught(await check(dir), dir, 'copy.safetensors.index.json');
  });

  it('a .SafeTensors name beside model.safetensors', async () => {
    const dir = await decoyDir('case');
    await writeFile(join(dir, 'copy.SafeTensors'), encodeSafetensors(tensorsToWrite(A)));
    expectCopyCaught(await check(dir), dir, 'copy.SafeTensors');
  });

  it('a GGUF split part whose set is incomplete fails the check instead of going unread', async () => {
    const dir = await decoyDir('orphan');
    await writeFile(join(dir, 'copy-00002-of-00002.gguf'), gguf(A, 'F32'));
    const err = await check(dir).catch((e: unknown) => e);
    expect(isInputError(err)).toBe(true);
    expect((err as Error).message).toContain('split file copy-00001-of-00002.gguf of this set does not exist');
  });

  it('one weights set is one result; the same file named twice is checked once', async () => {
    const dir = await decoyDir('single');
    const results = await check(dir);
    expect(results.map((r) => r.model)).toEqual([dir]);
    const copy = join(tmp.dir, 'twice');
    await mkdir(copy);
    await copyFile(join(dir, 'model.safetensors'), join(copy, 'model.safetensors'));
    await writeFile(join(copy, 'pytorch_model.bin'), encodePyTorch(tensorsToWrite(decoy)));
    const both = await runCheck({
      models: [copy, join(copy, 'pytorch_model.bin')],
      registries: [registry],
      noBuiltin: true,
    });
    expect(both.map((r) => [r.model, r.verdict])).toEqual([
      [copy, 'independent'],
      [join(copy, 'pytorch_model.bin'), 'independent'],
    ]);
  });
});

describe('a copy beside a decoy in a Hub repository is checked too', () => {
  it('pytorch_model.bin and a GGUF quant beside model.safetensors, each as hf:org/name/<file>@<commit>', async () => {
    const hub = await startHubServer({
      repos: [
        {
          id: 'org/decoy',
          files: {
            ...modelFiles(decoy),
            'pytorch_model.bin': encodePyTorch(tensorsToWrite(A)),
            'model-Q8_0.gguf': gguf(A, 'Q8_0'),
          },
        },
      ],
    });
    try {
      const results = await runCheck({
        models: ['hf:org/decoy'],
        registries: [registry],
        noBuiltin: true,
        mode: 'full',
        hub: hubOpener({ hubUrl: hub.url, http: { backoffMs: 1, maxBackoffMs: 4, sleep: async () => {} } }),
      });
      const commit = hub.commitOf('org/decoy');
      expect(results.map((r) => [r.model, r.verdict, r.policy.result])).toEqual([
        ['hf:org/decoy', 'independent', 'pass'],
        [`hf:org/decoy/model-Q8_0.gguf@${commit}`, 'identical', 'fail'],
        [`hf:org/decoy/pytorch_model.bin@${commit}`, 'identical', 'fail'],
      ]);
    } finally {
      await hub.close();
    }
  });
});
