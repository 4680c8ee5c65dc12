/**
 * Exact evidence whatever the shape (issue 10): a copy with every matrix flattened to 1-D, or
 * reshaped from [R, C] to [2R, C/2], is still a copy; equal element counts in another shape are
 * compared in flat order, so a reshaped fine-tune is derived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { compareModels } from '../../src/compare/index.js';
import { tensorRefs } from '../../src/compare/tensor-match.js';
import { FLAT_ORDER, flatOrderMatches, flattenedMatrices, withFlattened } from '../../src/compare/reshape.js';
import { exactMatches } from '../../src/compare/tensor-match.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import type { CompareResult } from '../../src/compare/types.js';
import { reshapeMatrices, type ReshapeMode } from '../../src/synth/disguise.js';
import {
  Rng,
  fineTune,
  independent,
  makeBase,
  textSpec,
  writeModelDir,
  type SynthModel,
} from '../../src/synth/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wp-reshape-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function compare(a: SynthModel, b: SynthModel): Promise<CompareResult> {
  const k = n++;
  const pa = await writeModelDir(a, join(dir, `${k}-a`));
  const pb = await writeModelDir(b, join(dir, `${k}-b`));
  return compareModels(await loadFingerprint(pa), await loadFingerprint(pb));
}

const reshaped = (m: SynthModel, mode: ReshapeMode): SynthModel => ({
  ...m,
  tensors: reshapeMatrices(m.tensors, mode),
});

describe('a copy is a copy whatever its shape', () => {
  const spec = { text: textSpec() };
  const a = makeBase(spec, 501);

  it.each(['flatten', 'split-rows'] as const)('%s: an exact copy stays identical', async (mode) => {
    const r = await compare(a, reshaped(a, mode));
    expect(r.verdict, r.reason).toBe('identical');
    for (const c of r.components) expect(c.verdict, c.name).toBe('identical');
    expect(r.components.some((c) => c.evidence.some((e) => /verbatim copies \(equal SHA-256\)/.test(e.detail)))).toBe(
      true,
    );
  });

  it.each(['flatten', 'split-rows'] as const)(
    '%s: a fine-tune (10 percent update) is derived, compared in flat order',
    async (mode) => {
      const r = await compare(a, reshaped(fineTune(a, 0.1, 502), mode));
      expect(r.verdict, r.reason).toBe('derived');
      const text = r.components.find((c) => c.kind === 'text')!;
      expect(text.verdict).toBe('derived');
      expect(text.evidence.some((e) => /values compared in flat order/.test(e.detail))).toBe(true);
    },
  );

  it.each(['flatten', 'split-rows'] as const)('%s: an independent model stays independent', async (mode) => {
    for (const seed of [503, 504]) {
      const r = await compare(a, reshaped(independent(spec, seed), mode));
      expect(['independent', 'inconclusive'], r.reason).toContain(r.verdict);
    }
  });
});

describe('flat order for tensors too large for a grid sample to share coordinates', () => {
  it('lines up a [600, 512] matrix with its [1200, 256] reshape through the first values in flat order', async () => {
    const rng = new Rng(7);
    const w = rng.normals(600 * 512);
    const drifted = Float32Array.from(w, (x) => x + 0.3 * rng.normal());
    const other = rng.normals(600 * 512);
    const file = async (name: string, shape: number[], values: Float32Array) => {
      const path = join(dir, `${name}.safetensors`);
      const data = new Uint8Array(values.buffer.slice(0));
      await writeFile(path, encodeSafetensors([{ name: 'w', dtype: 'F32', shape, data }]));
      return tensorRefs(await loadFingerprint(path))[0]!;
    };
    const a = await file('a', [600, 512], w);
    const b = await file('b', [1200, 256], drifted);
    const c = await file('c', [1200, 256], other);
    const related = FLAT_ORDER.correlate(a, b, false)!;
    const unrelated = FLAT_ORDER.correlate(a, c, false)!;
    expect(related.n).toBeGreaterThanOrEqual(256);
    expect(related.r).toBeGreaterThan(0.9);
    expect(Math.abs(unrelated.r)).toBeLessThan(0.2);
  });
});

describe('a flattened matrix is held row- or column-major', () => {
  async function refs(name: string, tensors: Array<{ shape: number[]; values: Float32Array }>) {
    const path = join(dir, `${name}.safetensors`);
    const entries = tensors.map((t, i) => ({
      name: `layers.${i}.w`,
      dtype: 'F32' as const,
      shape: t.shape,
      data: new Uint8Array(Float32Array.from(t.values).buffer),
    }));
    await writeFile(path, encodeSafetensors(entries));
    return tensorRefs(await loadFingerprint(path));
  }
  const transpose = (r: number, c: number, v: Float32Array) => {
    const out = new Float32Array(v.length);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j]!;
    return out;
  };
  /** B's flattened tensors as the engine sees them in this pair, and their flat-order matches. */
  async function flat(A: Awaited<ReturnType<typeof refs>>, B: Awaited<ReturnType<typeof refs>>) {
    const exact = exactMatches(A, B);
    const viewed = withFlattened(B, flattenedMatrices(A, B, exact));
    expect(viewed.every((r) => r.cls === 'learned')).toBe(true);
    return flatOrderMatches(A, viewed, exact);
  }

  it('a small fine-tune stored column-major is found; an unrelated one is compared in both orders', async () => {
    const rng = new Rng(11);
    const ws = [0, 1, 2, 3, 4, 5].map(() => rng.normals(96 * 128));
    const A = await refs(
      'small-a',
      ws.map((values) => ({ shape: [96, 128], values })),
    );
    const tuned = ws.map((w) => Float32Array.from(transpose(96, 128, w), (x) => x + 0.3 * rng.normal()));
    const derived = await flat(
      A,
      await refs(
        'small-t',
        tuned.map((values) => ({ shape: [values.length], values })),
      ),
    );
    expect(derived.size).toBe(6);
    for (const m of derived.values()) {
      expect(m.transposed).toBe(true);
      expect(m.p).toBeLessThan(1e-4);
    }
    const others = [0, 1, 2, 3, 4, 5].map(() => rng.normals(96 * 128));
    const unrelated = await flat(
      A,
      await refs(
        'small-u',
        others.map((values) => ({ shape: [values.length], values })),
      ),
    );
    expect(unrelated.size).toBe(6);
    for (const m of unrelated.values()) expect(m.p).toBeGreaterThan(1e-4);
  });

  it('a large unrelated one is left unaligned: its column-major order cannot be compared', async () => {
    const rng = new Rng(12);
    const ws = [0, 1, 2, 3].map(() => rng.normals(1500 * 512));
    const A = await refs(
      'large-a',
      ws.map((values) => ({ shape: [1500, 512], values })),
    );
    const drifted = ws.map((w) => Float32Array.from(w, (x) => x + 0.3 * rng.normal()));
    const derived = await flat(
      A,
      await refs(
        'large-d',
        drifted.map((values) => ({ shape: [values.length], values })),
      ),
    );
    expect(derived.size).toBe(4);
    for (const m of derived.values()) expect(m.p).toBeLessThan(1e-4);
    const others = [0, 1, 2, 3].map(() => rng.normals(1500 * 512));
    const unrelated = await flat(
      A,
      await refs(
        'large-u',
        others.map((values) => ({ shape: [values.length], values })),
      ),
    );
    expect(unrelated.size).toBe(0);
  });
});
