/**
 * The bundled CLI on PyTorch checkpoints: full fingerprints on worker threads (contiguous tensors
 * read by the workers from the file, a strided view gathered on the main thread) equal the
 * safetensors file's; a hostile checkpoint ends with one line and exit 2.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { Pickler, torchSave } from '../../src/formats/pytorch/writer.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { type Bundles, buildBundles } from '../helpers/bundle.js';
import { makeTempDir, writeBytes } from './helpers.js';

let bundles: Bundles;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  [bundles, tmp] = await Promise.all([buildBundles(['cli', 'worker']), makeTempDir()]);
}, 300_000);
afterAll(async () => {
  await Promise.all([bundles?.remove(), tmp?.cleanup()]);
});

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(bundles.dir, 'cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...bundles.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('weightprint fingerprint on PyTorch checkpoints (bundled CLI, worker threads)', () => {
  it('equals the safetensors fingerprint of the same values, views included', async () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const w = Float32Array.from({ length: 256 * 96 }, rand);
    const wT = new Float32Array(96 * 256);
    for (let r = 0; r < 96; r++) for (let c = 0; c < 256; c++) wT[r * 256 + c] = w[c * 96 + r]!;
    const bf = encodeFromFloat32('BF16', Float32Array.from({ length: 128 * 64 }, rand));
    const st = encodeSafetensors([
      { name: 'model.embed_tokens.weight', dtype: 'F32', shape: [256, 96], data: new Uint8Array(w.buffer) },
      { name: 'model.layers.0.mlp.up_proj.weight', dtype: 'F32', shape: [96, 256], data: new Uint8Array(wT.buffer) },
      { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'BF16', shape: [128, 64], data: bf },
    ]);
    const pt = torchSave(
      [
        { dtype: 'float32', data: new Uint8Array(w.buffer) },
        { dtype: 'bfloat16', data: bf },
      ],
      [
        { name: 'model.embed_tokens.weight', storage: 0, size: [256, 96], parameter: true },
        { name: 'model.layers.0.mlp.up_proj.weight', storage: 0, size: [96, 256], stride: [1, 96] },
        { name: 'model.layers.0.self_attn.q_proj.weight', storage: 1, size: [128, 64] },
      ],
      { archive: 'pytorch_model' },
    );
    const a = cli('fingerprint', await writeBytes(tmp.dir, 'm.safetensors', st), '--json', '-q');
    const b = cli('fingerprint', await writeBytes(tmp.dir, 'pytorch_model.bin', pt), '--json', '-q');
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const da = JSON.parse(a.stdout);
    const db = JSON.parse(b.stdout);
    expect(db.source.format).toBe('pytorch');
    expect(db.mode).toBe('full');
    expect(db.tensors).toEqual(da.tensors);
    // the workers' reads and the gathered view's reads are both counted
    expect(db.source.bytesRead).toBeGreaterThanOrEqual(w.byteLength * 2 + bf.byteLength);
  });

  it('a checkpoint whose pickle names os.system: one line, exit 2, nothing run', async () => {
    const p = new Pickler();
    p.raw(0x63, ...new TextEncoder().encode('os\nsystem\n'));
    p.string('touch /tmp/weightprint-pwned');
    p.raw(0x85, 0x52);
    const path = await writeBytes(tmp.dir, 'evil.pt', torchSave([], [], { pickle: p.bytes() }));
    const r = cli('fingerprint', path, '-q');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `weightprint: ${path}: archive/data.pkl: global os.system is not allowed ` +
        "(only torch.save's tensor and state-dict globals are read; nothing is executed)",
    );
  });
});
