/**
 * The bundled CLI on quantised GGUF files: full fingerprints on worker threads, where the ggml
 * decoder writes decoded values into the WebAssembly kernels' memory (formats/gguf/simd.ts), equal
 * the fingerprints computed on this thread by the JavaScript reference decoder, tensor by tensor:
 * rows in rotary order, Q4_K_M's Q6_K tensors, and the other common types.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel } from '../../src/formats/model.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import { hfToGguf, q4kmTypeOf, type HfTensor } from '../../src/synth/to-gguf.js';
import { type Bundles, buildBundles } from '../helpers/bundle.js';
import { mulberry32 } from './ggml-helpers.js';
import { makeTempDir, writeBytes } from './helpers.js';

let bundles: Bundles;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  [bundles, tmp] = await Promise.all([buildBundles(['cli', 'worker']), makeTempDir()]);
}, 300_000);
afterAll(async () => {
  await Promise.all([bundles?.remove(), tmp?.cleanup()]);
});

function llama(): HfTensor[] {
  const rand = mulberry32(2026);
  const H = 256;
  const F = 512;
  const t = (name: string, shape: number[], scale = 0.05): HfTensor => ({
    name,
    shape,
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rand() - 0.5) * scale),
  });
  const out = [t('model.embed_tokens.weight', [300, H], 1)];
  for (let l = 0; l < 2; l++) {
    const p = `model.layers.${l}.`;
    out.push(
      t(`${p}input_layernorm.weight`, [H], 2),
      t(`${p}self_attn.q_proj.weight`, [H, H]),
      t(`${p}self_attn.k_proj.weight`, [H / 2, H]),
      t(`${p}self_attn.v_proj.weight`, [H / 2, H]),
      t(`${p}self_attn.o_proj.weight`, [H, H]),
      t(`${p}post_attention_layernorm.weight`, [H], 2),
      t(`${p}mlp.gate_proj.weight`, [F, H]),
      t(`${p}mlp.up_proj.weight`, [F, H]),
      t(`${p}mlp.down_proj.weight`, [H, F]),
    );
  }
  out.push(t('model.norm.weight', [H], 2), t('lm_head.weight', [300, H]));
  return out;
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(bundles.dir, 'cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...bundles.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('weightprint fingerprint on quantised GGUF (bundled CLI, worker threads)', () => {
  const hf = llama();
  for (const [label, type, typeOf] of [
    ['Q4_K_M', 'Q4_K', q4kmTypeOf],
    ['Q8_0', 'Q8_0', undefined],
    ['Q4_0', 'Q4_0', undefined],
    ['Q5_1', 'Q5_1', undefined],
    ['Q5_K', 'Q5_K', undefined],
    ['Q2_K', 'Q2_K', undefined],
    ['Q3_K', 'Q3_K', undefined],
    ['IQ4_XS', 'IQ4_XS', undefined],
  ] as const) {
    it(`${label}: every tensor's fingerprint equals the reference decoder's on this thread`, async () => {
      const bytes = hfToGguf(hf, { type, heads: 4, kvHeads: 2, ...(typeOf ? { typeOf } : {}) });
      const path = await writeBytes(tmp.dir, `m-${label}.gguf`, bytes);
      const r = cli('fingerprint', path, '--json', '-q');
      expect(r.code, r.stderr).toBe(0);
      const workers = JSON.parse(r.stdout);
      const m = await openModel(path);
      let here: { tensors: unknown[] };
      try {
        here = JSON.parse(JSON.stringify(await fingerprintModel(m, { mode: 'full' })));
      } finally {
        await m.close();
      }
      expect(workers.mode).toBe('full');
      const types = new Set<string>(workers.tensors.map((t: { dtype: string }) => t.dtype));
      expect([...types].sort()).toEqual(label === 'Q4_K_M' ? ['F32', 'Q4_K', 'Q6_K'] : ['F32', type]);
      expect(workers.tensors.find((t: { name: string }) => t.name === 'blk.0.attn_q.weight').encoding.reordered).toBe(
        'rotary',
      );
      expect(workers.tensors).toEqual(here.tensors);
    });
  }
});
