/**
 * "No tensor of compatible shape" is not evidence of independence. A model that shares no tensor
 * shape, element count or sub-block with any registry entry is a new architecture: it passes and
 * the report says so. A model that shares them but cannot be aligned is inconclusive and goes by
 * the policy's `on-inconclusive` (default warn).
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { parsePolicy } from '../../src/policy/load.js';
import { addEntry } from '../../src/registry/index.js';
import { Rng } from '../../src/synth/index.js';
import { tempDir } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let registry: string;

/** A model directory holding Gaussian matrices of the given shapes (names layers.N.w). */
async function model(name: string, shapes: Array<[number, number]>, seed: number): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir, { recursive: true });
  const tensors = shapes.map(([r, c], i) => ({
    name: `layers.${i}.w`,
    dtype: 'F32' as const,
    shape: [r, c],
    data: encodeFromFloat32('F32', Rng.derive(seed, 'w', i).normals(r * c, 0.02)),
  }));
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(tensors));
  return dir;
}

beforeAll(async () => {
  tmp = await tempDir('unaligned');
  registry = join(tmp.dir, 'registry');
  const a = await model(
    'a',
    [
      [64, 128],
      [64, 128],
      [352, 128],
      [512, 128],
    ],
    1,
  );
  await addEntry(registry, await loadFingerprint(a), { id: 'hf:known/a@main', license: 'MIT', family: 'known' });
}, 120_000);

afterAll(async () => {
  await tmp.cleanup();
});

async function check(dir: string, policy?: string) {
  const [r] = await runCheck({
    models: [dir],
    registries: [registry],
    noBuiltin: true,
    policy: policy ? parsePolicy(policy, 'test-policy.yml') : undefined,
  });
  return r!;
}

describe('unaligned shapes', () => {
  it('a new architecture (no shape, element count or sub-block in common) passes and the report says why', async () => {
    const dir = await model(
      'novel',
      [
        [96, 40],
        [40, 200],
        [300, 40],
      ],
      2,
    );
    const r = await check(dir);
    expect(r.verdict).toBe('independent');
    expect(r.policy.result).toBe('pass');
    expect(r.policy.reasons.join('\n')).toMatch(/no registry entry shares a tensor shape, element count or sub-block/);
  });

  it('a model sharing a sub-block it cannot be aligned on is inconclusive and warns by default', async () => {
    // [96, 64] shares the 64-wide block of A's [64, 128] on the other axis: nothing to align position by position
    const dir = await model(
      'unaligned',
      [
        [96, 64],
        [96, 64],
        [96, 64],
        [96, 64],
      ],
      3,
    );
    const r = await check(dir);
    expect(r.verdict).toBe('inconclusive');
    expect(r.registry?.compared).toBe(1);
    expect(r.policy.result).toBe('warn');
    expect(r.policy.reasons.join('\n')).toMatch(
      /warn \(on-inconclusive\).*no tensor of compatible shape is not evidence/,
    );
    expect((await check(dir, 'on-inconclusive: fail\n')).policy.result).toBe('fail');
    expect((await check(dir, 'on-inconclusive: pass\n')).policy.result).toBe('pass');
  });

  it('a model sharing a sub-block it can be aligned on is compared and judged', async () => {
    // pruned along the second axis: the common 64 × 100 block is compared, and shows nothing
    const dir = await model(
      'pruned',
      [
        [64, 100],
        [64, 100],
        [64, 100],
        [64, 100],
      ],
      4,
    );
    const r = await check(dir);
    expect(r.registry?.compared).toBe(1);
    expect(r.verdict).toBe('independent');
    expect(r.policy.result).toBe('pass');
  });

  it('rejects an on-inconclusive value it does not know', () => {
    expect(() => parsePolicy('on-inconclusive: maybe\n', 'p.yml')).toThrow(/on-inconclusive.*pass, warn or fail/);
  });
});
