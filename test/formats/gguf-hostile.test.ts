/**
 * Hostile GGUF files against the WebAssembly dequantisation path (the one full fingerprints take on
 * workers: values decoded into the kernels' arena) and against the rotary row order the reader
 * undoes: a file the PR author wrote must fingerprint in bounded memory or fail with one line
 * naming it, never trap inside WebAssembly, never allocate by what its metadata claims.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { bufferSource } from '../../src/formats/file-source.js';
import { ggmlTypeByName } from '../../src/formats/gguf/ggml.js';
import { SIMD_GGML_TYPES } from '../../src/formats/gguf/simd.js';
import { readGgufHeader, tensorEntry } from '../../src/formats/gguf/reader.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { fingerprintLogicalFull } from '../../src/fingerprint/logical.js';
import { quantizeGgml } from '../../src/synth/ggml-quantize.js';
import { encodeGguf, ggufHeader, type GgufMetaValue } from '../../src/synth/gguf-writer.js';
import { makeTempDir } from './helpers.js';
import { mulberry32 } from './ggml-helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(async () => tmp.cleanup());

/** A llama GGUF whose only large tensor is blk.0.attn_q.weight [rows, unit], data a hole (zeros). */
function sparseLlamaGguf(path: string, rows: number, unit: number, heads: number, type = 'Q8_0'): void {
  const t = ggmlTypeByName(type)!;
  const byteLength = ((rows * unit) / t.blockElems) * t.blockBytes;
  const meta: Array<[string, GgufMetaValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['llama.attention.head_count', { type: 'uint32', value: heads }],
    ['llama.attention.head_count_kv', { type: 'uint32', value: heads }],
  ];
  const { header } = ggufHeader(meta, [{ name: 'blk.0.attn_q.weight', ne: [unit, rows], type, byteLength }]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header, 0, header.length, 0);
    ftruncateSync(fd, header.length + byteLength);
  } finally {
    closeSync(fd);
  }
}

describe('rotary row order from hostile metadata', () => {
  it('one "head" as large as the whole matrix is refused before anything is decoded, naming the file', async () => {
    // head_count 1: undoing the rotary order would decode the 2^25-value matrix as one band
    const path = join(tmp.dir, 'one-head.gguf');
    sparseLlamaGguf(path, 8192, 4096, 1);
    for (const mode of ['full', 'sample'] as const) {
      const err = await loadFingerprint(path, { mode }).catch((e: unknown) => e);
      expect(err, mode).toBeInstanceOf(InputError);
      expect((err as InputError).source).toBe(path);
      expect((err as InputError).problem).toMatch(
        /tensor blk\.0\.attn_q\.weight: a rotary head of 33554432 values \(8192 rows of 4096\), more than the/,
      );
      expect((err as Error).message).not.toMatch(/[\r\n]/);
    }
  });

  it('real head sizes still read in whole-head bands', async () => {
    const path = join(tmp.dir, 'heads.gguf');
    sparseLlamaGguf(path, 1024, 256, 8);
    const doc = await loadFingerprint(path, { mode: 'full' });
    expect(doc.tensors.find((t) => t.name.includes('q_proj') || t.name.includes('attn_q'))).toBeDefined();
  });
});

describe('mutated GGUF files through the WebAssembly arena', () => {
  it('1,000 seeded mutations of block-typed files: values or one-line InputErrors, never a trap', async () => {
    const rand = mulberry32(20261130);
    const f = Float32Array.from({ length: 1024 }, (_, j) => Math.sin(j * 0.37));
    const bases = [...SIMD_GGML_TYPES].map((type, i) =>
      encodeGguf(
        [
          ['general.architecture', { type: 'string', value: 'llama' }],
          ['llama.attention.head_count', { type: 'uint32', value: 2 }],
        ],
        [
          { name: 'blk.0.ffn_up.weight', ne: [256, 4], type, data: quantizeGgml(type, f) },
          { name: `blk.${i}.attn_q.weight`, ne: [256, 4], type, data: quantizeGgml(type, f) },
        ],
      ),
    );
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 1000; i++) {
      const base = bases[i % bases.length]!;
      const b = base.slice();
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        // half the edits in the header (dimensions, types, offsets), half in the blocks (scales, codes)
        const at = Math.floor(rand() * (rand() < 0.5 ? Math.min(b.length, 320) : b.length));
        const r = rand();
        if (r < 0.5) b[at] = Math.floor(rand() * 256);
        else if (r < 0.75) b[at] ^= 1 << Math.floor(rand() * 8);
        else if (at + 8 <= b.length)
          new DataView(b.buffer).setBigUint64(at, BigInt(Math.floor(rand() * 2 ** 34)), true);
      }
      try {
        const src = bufferSource('f.gguf', b);
        const h = await readGgufHeader(src);
        for (const info of h.tensors) {
          if (!info.type?.dequantize || info.type.plain) continue;
          const heads = /attn_q/.test(info.name) ? 2 : undefined;
          const entry = tensorEntry(src, info, heads);
          const fast = await fingerprintLogicalFull(entry, 64, 1, 1 << 16, () => {}, undefined, { arena: true });
          const slow = await fingerprintLogicalFull(entry, 64, 1, 1 << 16, () => {});
          expect(fast.sha256).toBe(slow.sha256);
          expect(fast.bytes).toBe(info.byteLength);
        }
        parsed++;
      } catch (err) {
        if (!(err instanceof InputError)) throw new Error(`mutation ${i}: ${String(err)}`);
        expect(err.message).not.toMatch(/[\r\n]/);
        rejected++;
      }
    }
    expect(parsed).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(100);
  });
});
