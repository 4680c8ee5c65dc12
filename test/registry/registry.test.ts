/** Registry format: add/list/remove, SHA-256 checks on load, merging, URL registries, shortlisting. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import {
  addEntry,
  entryFileName,
  openRegistries,
  openRegistry,
  removeEntry,
  signatureFingerprint,
} from '../../src/registry/index.js';
import { entryKeys, miniJaccard, queryKeys, signSketch, sketchZ } from '../../src/registry/keys.js';
import { fineTune, independent } from '../../src/synth/derive.js';
import { base, fingerprintSynth, SMALL, tempDir, WIDE } from './fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let A: FingerprintDocument;
let tunedA: FingerprintDocument;
let C: FingerprintDocument;
let sameShapeIndependent: FingerprintDocument;

beforeAll(async () => {
  tmp = await tempDir();
  const a = base(SMALL, 11, 'synth/a');
  A = (await fingerprintSynth(tmp.dir, a, 'a')).fp;
  tunedA = (await fingerprintSynth(tmp.dir, fineTune(a, 0.2, 5), 'a-tuned')).fp;
  C = (await fingerprintSynth(tmp.dir, base(WIDE, 12, 'synth/c'), 'c')).fp;
  sameShapeIndependent = (await fingerprintSynth(tmp.dir, independent(SMALL, 13, 'synth/b'), 'b')).fp;
});

afterAll(async () => {
  await tmp.cleanup();
});

function withoutBytesRead(doc: FingerprintDocument) {
  return { ...doc, source: { ...doc.source, bytesRead: 0 } };
}

describe('add, list, load, remove', () => {
  it('addEntry writes a gzip entry and an index with shortlist keys; loadEntry returns the fingerprint', async () => {
    const dir = join(tmp.dir, 'reg-basic');
    const { entry, replaced } = await addEntry(dir, A, {
      id: 'hf:synth/a@main',
      license: 'Apache-2.0',
      family: 'synth',
    });
    expect(replaced).toBe(false);
    expect(entry.file).toBe(entryFileName('hf:synth/a@main', true));
    expect(entry.kind).toBe('weights');
    expect(entry.components).toEqual(A.components.map((c) => c.name));
    expect(entry.shortlist.s).toBeDefined();
    expect(entry.shortlist.d!.length).toBeGreaterThan(0);
    expect(entry.shortlist.h!.length).toBeGreaterThan(0);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    expect(index.schema).toBe('weightprint.registry/1');
    const raw = await readFile(join(dir, entry.file));
    expect(raw[0]).toBe(0x1f); // gzip magic

    const reg = await openRegistry(dir);
    expect(reg.entries.map((e) => e.id)).toEqual(['hf:synth/a@main']);
    const doc = await reg.loadEntry('hf:synth/a@main');
    expect(doc).toEqual(withoutBytesRead(A));
    expect(reg.entryFilesLoaded).toBe(1);
    await reg.loadEntry('hf:synth/a@main');
    expect(reg.entryFilesLoaded).toBe(1); // cached
    expect(reg.warnings).toEqual([]);
  });

  it('adding the same fingerprint again is byte-identical (deterministic gzip, sorted index)', async () => {
    const dir = join(tmp.dir, 'reg-det');
    await addEntry(dir, A, { id: 'x', license: 'MIT', family: 'synth' });
    const first = await readFile(join(dir, 'index.json'), 'utf8');
    const { replaced } = await addEntry(dir, A, { id: 'x', license: 'MIT', family: 'synth' });
    expect(replaced).toBe(true);
    expect(await readFile(join(dir, 'index.json'), 'utf8')).toBe(first);
  });

  it('removeEntry drops the entry and its file', async () => {
    const dir = join(tmp.dir, 'reg-remove');
    const { entry } = await addEntry(dir, A, { id: 'gone', license: 'MIT', family: 'synth' });
    await addEntry(dir, C, { id: 'kept', license: 'MIT', family: 'synth' });
    expect(await removeEntry(dir, 'gone')).toBe(true);
    expect(await removeEntry(dir, 'gone')).toBe(false);
    await expect(readFile(join(dir, entry.file))).rejects.toThrow();
    expect((await openRegistry(dir)).entries.map((e) => e.id)).toEqual(['kept']);
  });

  it('tokenizer and config entries carry only their signature', async () => {
    const dir = join(tmp.dir, 'reg-sig');
    const doc = signatureFingerprint('tokenizer/synth', { tokenizer: A.tokenizer!, config: A.config! });
    const { entry } = await addEntry(dir, doc, { id: 'tokenizer/synth', license: 'MIT', family: 'synth' });
    expect(entry.kind).toBe('tokenizer');
    expect(entry.shortlist.t?.v).toBe(A.tokenizer!.vocabDigest.slice(0, 16));
    expect(entry.mode).toBeUndefined();
    await expect(addEntry(dir, doc, { id: 'w', license: 'MIT', family: 'synth', kind: 'weights' })).rejects.toThrow(
      /needs a fingerprint with tensors/,
    );
  });

  it('rejects unusable ids and multi-line licences', async () => {
    const dir = join(tmp.dir, 'reg-bad-args');
    await expect(addEntry(dir, A, { id: 'a b', license: 'MIT', family: 'x' })).rejects.toThrow(InputError);
    await expect(addEntry(dir, A, { id: 'ok', license: 'MIT\nx', family: 'x' })).rejects.toThrow(/--license/);
  });
});

describe('integrity: a corrupted or tampered entry is reported and skipped, never used', () => {
  it('a modified entry file fails its SHA-256 check', async () => {
    const dir = join(tmp.dir, 'reg-tamper');
    const { entry } = await addEntry(dir, A, { id: 'victim', license: 'MIT', family: 'synth' });
    await addEntry(dir, C, { id: 'fine', license: 'MIT', family: 'synth' });
    // a tampered file: still valid gzip JSON, different content
    const { gzipSync } = await import('node:zlib');
    const forged = { ...A, source: { ...A.source, id: 'forged' } };
    await writeFile(join(dir, entry.file), gzipSync(Buffer.from(JSON.stringify(forged))));
    const warnings: string[] = [];
    const reg = await openRegistry(dir, { onWarning: (w) => warnings.push(w) });
    expect(await reg.loadEntry('victim')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/victim skipped: SHA-256 .* \(corrupted or tampered\)/);
    expect(await reg.loadEntry('fine')).toBeDefined();
    const report = await reg.verify();
    expect(report.ok).toEqual(['fine']);
    expect(report.problems).toEqual([{ id: 'victim', problem: expect.stringMatching(/corrupted or tampered/) }]);
  });

  it('a truncated (corrupt) or missing file is skipped with a warning', async () => {
    const dir = join(tmp.dir, 'reg-corrupt');
    const { entry } = await addEntry(dir, A, { id: 'cut', license: 'MIT', family: 'synth' });
    const bytes = await readFile(join(dir, entry.file));
    await writeFile(join(dir, entry.file), bytes.subarray(0, bytes.length >> 1));
    const reg = await openRegistry(dir);
    expect(await reg.loadEntry('cut')).toBeUndefined();
    await writeFile(join(dir, entry.file), '');
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, entry.file));
    const reg2 = await openRegistry(dir);
    expect(await reg2.loadEntry('cut')).toBeUndefined();
    expect(reg2.warnings.join('\n')).toMatch(/is missing/);
  });

  it('malformed index entries are skipped with a warning; a malformed index is an error', async () => {
    const dir = join(tmp.dir, 'reg-index');
    const { entry } = await addEntry(dir, A, { id: 'good', license: 'MIT', family: 'synth' });
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    index.entries.push(
      { ...entry, id: 'bad-hash', sha256: 'xyz' },
      { ...entry, id: 'escape', file: '../../etc/passwd' },
      42,
    );
    await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    const reg = await openRegistry(dir);
    expect(reg.entries.map((e) => e.id)).toEqual(['good']);
    expect(reg.warnings).toHaveLength(3);
    expect(reg.warnings.join('\n')).toMatch(/sha256/);
    expect(reg.warnings.join('\n')).toMatch(/must be relative and stay inside the registry/);

    await writeFile(join(dir, 'index.json'), '{"schema":"other"}');
    await expect(openRegistry(dir)).rejects.toThrow(/schema must be "weightprint.registry\/1"/);
    await writeFile(join(dir, 'index.json'), '{not json');
    await expect(openRegistry(dir)).rejects.toThrow(/index.json: not valid JSON/);
    await expect(openRegistry(join(tmp.dir, 'nowhere'))).rejects.toThrow(/not a registry: no index.json/);
    // the writer refuses to rewrite an index it cannot fully read (it would drop entries)
    index.entries = [index.entries[0], { id: 'broken' }];
    await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    await expect(addEntry(dir, C, { id: 'new', license: 'MIT', family: 'x' })).rejects.toThrow(/refusing to rewrite/);
  });
});

describe('several registries merge', () => {
  it('a later registry overrides an earlier one for the same id, with a warning', async () => {
    const first = join(tmp.dir, 'reg-merge-1');
    const second = join(tmp.dir, 'reg-merge-2');
    await addEntry(first, A, { id: 'shared', license: 'MIT', family: 'first' });
    await addEntry(first, C, { id: 'only-first', license: 'MIT', family: 'first' });
    await addEntry(second, C, { id: 'shared', license: 'Apache-2.0', family: 'second' });
    const reg = await openRegistries([first, second]);
    expect(reg.entries.map((e) => e.id).sort()).toEqual(['only-first', 'shared']);
    expect(reg.entry('shared')!.family).toBe('second');
    expect(reg.warnings.join('\n')).toMatch(/shared from .*reg-merge-2 overrides the one from .*reg-merge-1/);
    expect((await reg.loadEntry('shared'))!.source.id).toBe(C.source.id);
  });
});

describe('registries served over HTTP', () => {
  let server: Server;
  let url: string;
  const root = () => join(tmp.dir, 'reg-http');
  beforeAll(async () => {
    await addEntry(root(), A, { id: 'hf:synth/a@main', license: 'MIT', family: 'synth' });
    server = createServer(async (req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^\/+/, '');
      try {
        const body = await readFile(join(root(), path));
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      } catch {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('opens, shortlists and loads entries from a base URL', async () => {
    const reg = await openRegistry(url);
    expect(reg.entries).toHaveLength(1);
    expect(reg.shortlist(tunedA).map((c) => c.entry.id)).toEqual(['hf:synth/a@main']);
    expect(await reg.loadEntry('hf:synth/a@main')).toEqual(withoutBytesRead(A));
  });

  it('a tampered file behind a URL is skipped as well', async () => {
    const entry = (await openRegistry(url)).entries[0]!;
    const original = await readFile(join(root(), entry.file));
    await writeFile(join(root(), entry.file), Buffer.concat([original, Buffer.from([0])]));
    try {
      const reg = await openRegistry(url);
      expect(await reg.loadEntry(entry.id)).toBeUndefined();
      expect(reg.warnings.join('\n')).toMatch(/corrupted or tampered/);
    } finally {
      await writeFile(join(root(), entry.file), original);
    }
  });

  it('a URL without index.json is not a registry', async () => {
    await expect(openRegistry(`${url}missing/`)).rejects.toThrow(/not a registry/);
  });
});

describe('shortlist: decided from the index, loads only what it names', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tmp.dir, 'reg-shortlist');
    await addEntry(dir, A, { id: 'A', license: 'MIT', family: 'synth' });
    await addEntry(dir, C, { id: 'C-other-shapes', license: 'MIT', family: 'synth' });
    await addEntry(dir, signatureFingerprint('tok', { tokenizer: C.tokenizer! }), {
      id: 'tokenizer/C',
      license: 'MIT',
      family: 'synth',
    });
    await addEntry(dir, signatureFingerprint('cfg', { config: A.config! }), {
      id: 'config/A',
      license: 'MIT',
      family: 'synth',
    });
  });

  it('a fine-tune shortlists its base by shapes and sign sketches, not the model with other shapes', async () => {
    const reg = await openRegistry(dir);
    const ids = reg.shortlist(tunedA).map((c) => c.entry.id);
    expect(ids).toContain('A');
    expect(ids).not.toContain('C-other-shapes');
    expect(ids).toContain('config/A');
    // generated tokenizers share most tokens: named by overlap, never as identical
    const tok = reg.shortlist(tunedA).find((c) => c.entry.id === 'tokenizer/C');
    expect(tok?.reasons.join(';') ?? '').not.toMatch(/identical/);
    expect(reg.entryFilesLoaded).toBe(0);
    const a = reg.shortlist(tunedA).find((c) => c.entry.id === 'A')!;
    expect(a.reasons.join('; ')).toMatch(/sign-sketch agreement z/);
  });

  it('an exact copy is shortlisted by digest', async () => {
    const reg = await openRegistry(dir);
    const a = reg.shortlist(A).find((c) => c.entry.id === 'A')!;
    expect(a.reasons[0]).toMatch(/shared tensor digest/);
    expect(a.score).toBeGreaterThan(1000);
  });

  it('a model with the same tokenizer shortlists the tokenizer entry', async () => {
    const reg = await openRegistry(dir);
    const c = reg.shortlist(C).find((x) => x.entry.id === 'tokenizer/C')!;
    expect(c.reasons).toContain('identical vocabulary');
  });

  it('sign sketches separate a fine-tune from an independent model of the same shapes', () => {
    const keys = entryKeys(A);
    const zTuned = sketchZ(keys.h!, queryKeys(tunedA))!;
    const zIndep = sketchZ(keys.h!, queryKeys(sameShapeIndependent))!;
    expect(zTuned).toBeGreaterThan(4);
    expect(zIndep).toBeLessThan(zTuned);
    expect(signSketch(A.tensors.find((t) => t.sample && t.sample.rows * t.sample.cols >= 64)!)).toMatch(
      /^[0-9a-f]{16}$/,
    );
  });

  it('caps shape-only candidates but keeps digest and strong sketch matches', async () => {
    const d = join(tmp.dir, 'reg-cap');
    for (let i = 0; i < 5; i++) {
      const m = independent(SMALL, 100 + i, `synth/i${i}`);
      const { fp } = await fingerprintSynth(tmp.dir, m, `i${i}`);
      await addEntry(d, fp, { id: `indep-${i}`, license: 'MIT', family: 'synth' });
    }
    await addEntry(d, A, { id: 'A', license: 'MIT', family: 'synth' });
    const warnings: string[] = [];
    const reg = await openRegistry(d, { onWarning: (w) => warnings.push(w) });
    const ids = reg.shortlist(tunedA, { maxCandidates: 2 }).map((c) => c.entry.id);
    expect(ids[0]).toBe('A');
    expect(ids).toHaveLength(3); // A (strong sketch) + the 2 best shape-only candidates
    expect(warnings.join('\n')).toMatch(/3 more registry entries share tensor shapes/);
  });

  it('mini token sketches estimate Jaccard', () => {
    const t = entryKeys(A).t!;
    expect(miniJaccard(t.m, t.m)).toBe(1);
    expect(miniJaccard(t.m, entryKeys(C).t!.m)).toBeLessThan(1);
  });
});
