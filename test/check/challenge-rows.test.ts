/**
 * The challenge's rewrite statistic on release-sized matrices with wide rows, where published
 * documents hold 3 row runs of 1,366 values and the private sample 2 of 2,048 (fingerprint/sample.ts):
 * few rows, so a model that relates to A unequally from row to row (an honest sibling whose neurons
 * trained more or less) gives correlations that differ between two samples by far more than the
 * 1/(n − 3) spread of their values. compare/discrepancy.ts widens each pair's error by the rows'
 * own spread: the sibling must never read as rewritten, and a copy whose published coordinates were
 * rewritten must still be caught at every private seed.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { REWRITE_THRESHOLDS } from '../../src/compare/discrepancy.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { addEntry } from '../../src/registry/index.js';
import { renderCheckMarkdown } from '../../src/report/markdown.js';
import { Rng } from '../../src/synth/random.js';
import { writeSampleRewrite } from '../helpers/sample-rewrite.js';

/** Rows of 4,096 values: both the public run and a private run fit in every row. */
const C = 4096;
const SHAPES: Array<[string, number]> = [];
for (let l = 0; l < 4; l++)
  SHAPES.push(
    [`model.layers.${l}.mlp.gate_proj.weight`, 160],
    [`model.layers.${l}.mlp.up_proj.weight`, 160],
    [`model.layers.${l}.self_attn.q_proj.weight`, 100],
    [`model.layers.${l}.self_attn.k_proj.weight`, 80],
  );
/** Private seeds; 9103 made the sibling read as rewritten before rows widened the error. */
const SEEDS = [9100, 9101, 9102, 9103];

async function writeModel(dir: string, values: Map<string, Float32Array>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const tensors = [...values].map(([name, v]) => ({
    name,
    dtype: 'BF16',
    shape: [v.length / C, C],
    data: encodeFromFloat32('BF16', v),
  }));
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(tensors));
  return dir;
}

describe('challenge on wide rows: rows that relate to A unequally', () => {
  let dir: string;
  let registry: string;
  let sibling: string;
  let copy: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-challenge-rows-'));
    const rng = new Rng(11);
    const base = new Map<string, Float32Array>();
    const sib = new Map<string, Float32Array>();
    const donor = new Map<string, Float32Array>();
    for (const [name, R] of SHAPES) {
      // one initialisation; each row trained by its own amount (0.25–4× the init's spread), alike in both
      const init = rng.normals(R * C, 0.02);
      const a = new Float32Array(R * C);
      const s = new Float32Array(R * C);
      for (let r = 0; r < R; r++) {
        const step = 0.02 * Math.exp(Math.log(0.25) + rng.uniform() * Math.log(16));
        for (let c = 0; c < C; c++) {
          const i = r * C + c;
          a[i] = init[i]! + step * rng.normal();
          s[i] = init[i]! + step * rng.normal();
        }
      }
      base.set(name, a);
      sib.set(name, s);
      donor.set(name, rng.normals(R * C, 0.02));
    }
    const basePath = await writeModel(join(dir, 'base'), base);
    sibling = await writeModel(join(dir, 'sibling'), sib);
    const donorPath = await writeModel(join(dir, 'donor'), donor);
    copy = join(dir, 'copy');
    await writeSampleRewrite({ source: basePath, donor: donorPath, out: copy, noise: 0.002, seed: 5 });
    registry = join(dir, 'registry');
    await addEntry(registry, await loadFingerprint(basePath), { id: 'base-wide', license: 'MIT', family: 'synth' });
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const run = (model: string, challengeSeed: number) =>
    runCheck({ models: [model], registries: [registry], noBuiltin: true, challengeSeed }).then((r) => r[0]!);

  it('an honest sibling whose rows trained unequally is never shown rewritten; row spread measured', async () => {
    for (const seed of SEEDS) {
      const r = await run(sibling, seed);
      const e = r.challenge!.entries.find((x) => x.entry === 'base-wide')!;
      expect(e.status).toBe('challenged');
      expect(e.rewritten).toBeUndefined();
      expect(e.verdict).not.toBe('derived');
      expect(r.policy.reasons.some((x) => x.includes('sample-rewritten'))).toBe(false);
      expect(e.discrepancy!.pairs).toBe(SHAPES.length);
      expect(Math.abs(e.discrepancy!.medianGap)).toBeLessThan(REWRITE_THRESHOLDS.medianGap / 2);
      expect(e.discrepancy!.discrepant).toBeLessThan(e.discrepancy!.pairs / 4);
      // per-row correlations 0.06–0.94: far beyond their sampling noise
      expect(e.discrepancy!.rowSpread).toBeGreaterThan(0.1);
      // and the report says by how much the error was widened
      expect(renderCheckMarkdown([r])).toMatch(/spread of its rows' correlations, τ 0\.\d\d/);
    }
  });

  it('a copy whose published coordinates were rewritten is caught at every private seed', async () => {
    for (const seed of SEEDS) {
      const r = await run(copy, seed);
      const e = r.challenge!.entries.find((x) => x.entry === 'base-wide')!;
      expect(e.published).not.toBe('derived');
      expect(r.verdict).toBe('derived');
      expect(r.policy.result).toBe('fail');
      expect(e.rewritten).toBeDefined();
      expect(e.discrepancy!.medianGap).toBeGreaterThanOrEqual(REWRITE_THRESHOLDS.medianGap);
      expect(r.policy.reasons[0]).toMatch(/^fail \(sample-rewritten\): /);
    }
  });
});
