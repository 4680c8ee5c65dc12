/** `--shards i/n` and `merge`: parts of a sharded model merge into the single-run document. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mergeCommand } from '../../src/cli/commands/merge.js';
import { InputError } from '../../src/errors.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import {
  fingerprintShards,
  loadShardFingerprint,
  mergeFingerprints,
  parseShardSpec,
  planShards,
} from '../../src/fingerprint/shards.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { openHubModel } from '../../src/formats/hub.js';
import { writeFileAtomic } from '../../src/cli/io.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { startHubServer, type HubServer } from '../helpers/hub-server.js';
import { shardedRepo, writeRepo } from '../formats/hub-fixtures.js';

let tmp: string;
let modelDir: string;
let single: FingerprintDocument;

const sameExceptBytesRead = (a: FingerprintDocument, b: FingerprintDocument) => {
  expect({ ...a, source: { ...a.source, bytesRead: 0 } }).toEqual({ ...b, source: { ...b.source, bytesRead: 0 } });
  // identical JSON too (key order), so a merged file diffs cleanly against a single run
  expect(JSON.stringify({ ...a, source: { ...a.source, bytesRead: 0 } })).toBe(
    JSON.stringify({ ...b, source: { ...b.source, bytesRead: 0 } }),
  );
};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'weightprint-shards-'));
  modelDir = await writeRepo(join(tmp, 'model'), shardedRepo(7, 5));
  single = await loadFingerprint(modelDir, { mode: 'full' });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('shard plans', () => {
  it('parses i/n (1-based) and rejects the rest with one line', () => {
    expect(parseShardSpec('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '3', ''])
      expect(() => parseShardSpec(bad)).toThrow(/^--shards: expected i\/n/);
  });

  it('splits files into contiguous, size-balanced runs, each non-empty, deterministically', () => {
    expect(planShards([10, 10, 10, 10], 2)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(planShards([40, 10, 10, 10, 10], 2)).toEqual([[0], [1, 2, 3, 4]]);
    expect(planShards([1, 1, 1], 3)).toEqual([[0], [1], [2]]);
    expect(planShards([5, 100, 5], 3)).toEqual([[0], [1], [2]]);
    const sizes = [7, 3, 9, 1, 4, 4, 8, 2];
    for (let n = 1; n <= sizes.length; n++) {
      const plan = planShards(sizes, n);
      expect(plan).toHaveLength(n);
      expect(plan.flat()).toEqual(sizes.map((_, i) => i));
      expect(plan.every((p) => p.length > 0)).toBe(true);
      expect(planShards(sizes, n)).toEqual(plan);
    }
    expect(() => planShards([1, 2], 3)).toThrow(/2 shard files: it cannot be split into 3 parts/);
  });
});

describe('merge equals a single-machine run', () => {
  it.each([1, 2, 3, 5])('local sharded model, full mode, %i part(s)', async (n) => {
    const parts: FingerprintDocument[] = [];
    for (let i = 1; i <= n; i++)
      parts.push(await loadShardFingerprint(modelDir, { index: i, count: n }, { mode: 'full' }));
    expect(parts.map((p) => p.shards!.files.length).reduce((a, b) => a + b, 0)).toBe(5);
    // merge order does not matter: the parts say where they belong
    const merged = mergeFingerprints([...parts].reverse());
    sameExceptBytesRead(merged, single);
    expect(merged.shards).toBeUndefined();
    expect(merged.source.bytesRead).toBe(parts.reduce((s, p) => s + p.source.bytesRead, 0));
  });

  it('hf: sharded model, sample mode, 3 parts over the loopback Hub', async () => {
    const server: HubServer = await startHubServer({ repos: [{ id: 'org/sharded', files: shardedRepo(7, 5) }] });
    try {
      const open = () => openHubModel('hf:org/sharded', { hubUrl: server.url });
      const whole = await open();
      const singleHub = await fingerprintModel(whole, { mode: 'sample' });
      await whole.close();
      const parts: FingerprintDocument[] = [];
      for (let i = 1; i <= 3; i++) {
        const src = await open();
        parts.push(await fingerprintShards(src, { index: i, count: 3 }, { mode: 'sample' }));
        await src.close();
      }
      sameExceptBytesRead(mergeFingerprints(parts), singleHub);
    } finally {
      await server.close();
    }
  });
});

describe('merge refuses what does not add up', () => {
  let parts: FingerprintDocument[];
  beforeAll(async () => {
    parts = [];
    for (let i = 1; i <= 3; i++)
      parts.push(await loadShardFingerprint(modelDir, { index: i, count: 3 }, { mode: 'full' }));
  });

  it('a missing or repeated part, a whole fingerprint, another model, another mode', () => {
    expect(() => mergeFingerprints([parts[0]!, parts[2]!])).toThrow(/missing part 2\/3/);
    expect(() => mergeFingerprints([parts[0]!, parts[1]!, parts[1]!])).toThrow(/part 2\/3 is given twice/);
    expect(() => mergeFingerprints([single])).toThrow(/not a partial fingerprint/);
    const other = { ...parts[1]!, source: { ...parts[1]!.source, id: 'elsewhere' } };
    expect(() => mergeFingerprints([parts[0]!, other, parts[2]!])).toThrow(/model id differs/);
    const sampled = { ...parts[2]!, mode: 'sample' as const };
    expect(() => mergeFingerprints([parts[0]!, parts[1]!, sampled])).toThrow(/mode differs/);
    expect(() => mergeFingerprints([])).toThrow(InputError);
  });

  it('weightprint merge parts... -o out', async () => {
    const files: string[] = [];
    for (const [i, p] of parts.entries()) {
      const f = join(tmp, `part-${i + 1}.json`);
      await writeFileAtomic(f, JSON.stringify(p));
      files.push(f);
    }
    const out = join(tmp, 'merged.json');
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await mergeCommand([...files, '-o', out])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    sameExceptBytesRead(JSON.parse(await readFile(out, 'utf8')), single);
    await expect(mergeCommand(files.slice(0, 2).concat('-o', out))).rejects.toThrow(/missing part/);
    await expect(mergeCommand(files)).rejects.toThrow(/needs -o/);
  });
});
