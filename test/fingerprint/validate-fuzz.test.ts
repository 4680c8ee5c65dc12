/**
 * Fingerprint documents from a registry are untrusted. Seeded mutations of a real document
 * (wrong types, missing fields, huge or negative numbers, deep ranks, base64 of the wrong
 * length, indices out of range) either fail validation with one InputError line naming the
 * field, or are compared without an error, in both directions and through a registry check.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFingerprint } from '../../src/check/run.js';
import { compareModels } from '../../src/compare/index.js';
import { InputError } from '../../src/errors.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { asFingerprint, MAX_RANK } from '../../src/fingerprint/validate.js';
import { openRegistry } from '../../src/registry/index.js';
import { addEntry } from '../../src/registry/write.js';
import { fineTune } from '../../src/synth/derive.js';
import { Rng } from '../../src/synth/random.js';
import { textSpec } from '../../src/synth/model.js';
import { base, fingerprintSynth, tempDir } from '../registry/fixtures.js';

/** Small enough that a comparison costs milliseconds: the fuzz runs hundreds. */
const TINY = { text: textSpec({ hidden: 64, ffn: 128, layers: 2, heads: 4, kvHeads: 2, vocab: 384 }) };

const SEED = 20261130;
const MUTATIONS = 600;

let tmp: { dir: string; cleanup: () => Promise<void> };
let doc: FingerprintDocument;
let tuned: FingerprintDocument;

beforeAll(async () => {
  tmp = await tempDir('validate-fuzz');
  const A = base(TINY, 51, 'synth/base');
  doc = (await fingerprintSynth(tmp.dir, A, 'A')).fp;
  tuned = (await fingerprintSynth(tmp.dir, fineTune(A, 0.1, 1), 'T')).fp;
  expect(doc.tokenizer).toBeDefined();
  expect(doc.config).toBeDefined();
}, 300_000);

afterAll(async () => {
  await tmp.cleanup();
});

/** A matrix of the document that carries a Gram (a full fingerprint gives every matrix one). */
function gramTensor(d: FingerprintDocument) {
  const t = d.tensors.find((x) => x.gram?.rows && x.gram.cols);
  if (!t) throw new Error('no tensor with a Gram in the fixture');
  return t;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every (container, key) in the document, so a mutation can land anywhere. */
function slots(root: Json): Array<{ parent: Json[] | Record<string, Json>; key: string | number; path: string }> {
  const out: Array<{ parent: Json[] | Record<string, Json>; key: string | number; path: string }> = [];
  const walk = (v: Json, path: string) => {
    if (Array.isArray(v)) {
      // long arrays (q payloads are strings; tensors ~100): sample a few items to keep the walk small
      v.forEach((x, i) => {
        if (i < 4 || i === v.length - 1) {
          out.push({ parent: v, key: i, path: `${path}[${i}]` });
          walk(x, `${path}[${i}]`);
        }
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v, key: k, path: `${path}.${k}` });
        walk(x, `${path}.${k}`);
      }
    }
  };
  walk(root, '');
  return out;
}

const HOSTILE_VALUES: Json[] = [
  null,
  true,
  -1,
  0,
  0.5,
  1e308,
  -1e308,
  2 ** 53,
  4294967296,
  '',
  'x',
  '!!!not base64!!!',
  'AAAA',
  [],
  [-1],
  Array.from({ length: MAX_RANK + 1 }, () => 2),
  [1e6, 1e6, 1e6],
  {},
  { rows: 1e9, cols: 1e9, center: 0, scale: 1, q: '' },
];

function mutate(rng: Rng, original: FingerprintDocument): { doc: Json; what: string } {
  const d = structuredClone(original) as unknown as Json;
  const all = slots(d);
  const count = 1 + Math.floor(rng.uniform() * 3);
  const what: string[] = [];
  for (let m = 0; m < count; m++) {
    const s = all[Math.floor(rng.uniform() * all.length)]!;
    const parent = s.parent as Record<string | number, Json>;
    const current = parent[s.key];
    const r = rng.uniform();
    if (r < 0.15 && !Array.isArray(s.parent)) {
      delete parent[s.key];
      what.push(`delete ${s.path}`);
    } else if (r < 0.3 && typeof current === 'string') {
      // base64 and digests one character short or long
      parent[s.key] = rng.uniform() < 0.5 ? current.slice(0, -1 - Math.floor(rng.uniform() * 4)) : `${current}QQ`;
      what.push(`resize ${s.path}`);
    } else if (r < 0.45 && typeof current === 'number') {
      const v = [current + 1, current * 1000, -current, current - 1][Math.floor(rng.uniform() * 4)]!;
      parent[s.key] = v;
      what.push(`${s.path} = ${v}`);
    } else if (r < 0.55 && Array.isArray(current) && current.length > 0) {
      current.length = Math.floor(rng.uniform() * current.length);
      what.push(`truncate ${s.path}`);
    } else {
      const v = HOSTILE_VALUES[Math.floor(rng.uniform() * HOSTILE_VALUES.length)]!;
      parent[s.key] = structuredClone(v);
      what.push(`${s.path} = ${JSON.stringify(v).slice(0, 40)}`);
    }
  }
  return { doc: d, what: what.join('; ') };
}

/** Validation fails with one line, or the document compares without an error both ways. */
function exercise(d: Json, what: string): 'rejected' | 'compared' {
  let valid: FingerprintDocument;
  try {
    valid = asFingerprint(JSON.parse(JSON.stringify(d)), 'entry.json.gz');
  } catch (err) {
    if (!(err instanceof InputError)) throw new Error(`${what}: validation threw ${String(err)}`);
    expect(err.message).toMatch(/^entry\.json\.gz: /);
    expect(err.message).not.toMatch(/\n/);
    return 'rejected';
  }
  try {
    compareModels(valid, tuned, { entryId: 'mutated' });
    compareModels(tuned, valid);
  } catch (err) {
    throw new Error(`${what}: accepted, then the comparison threw ${String(err)}`);
  }
  return 'compared';
}

describe('registry documents under seeded mutation', () => {
  it('the unmutated document is valid and compares', () => {
    expect(exercise(doc as unknown as Json, 'none')).toBe('compared');
  });

  it(`${MUTATIONS} mutations: one-line InputError or a clean comparison (seed ${SEED})`, { timeout: 600_000 }, () => {
    const rng = new Rng(SEED);
    const outcomes = { rejected: 0, compared: 0 };
    for (let i = 0; i < MUTATIONS; i++) {
      const { doc: d, what } = mutate(rng, doc);
      outcomes[exercise(d, `mutation ${i} (${what})`)]++;
    }
    console.log(`validate fuzz: ${outcomes.rejected} rejected, ${outcomes.compared} compared`);
    // the mutations are mostly harmful: most must be caught by validation
    expect(outcomes.rejected).toBeGreaterThan(MUTATIONS / 2);
  });

  it('reads schema 2 (runs layout, Gram of full rows and columns) and schema 1 (the grid everywhere)', () => {
    expect(doc.schema).toBe('weightprint.fingerprint/2');
    expect(gramTensor(doc).gram!.rows).toBeDefined();
    expect(asFingerprint(structuredClone(doc), 'v2.json')).toBeDefined();
    const v1 = structuredClone(doc) as unknown as { schema: string; sampling: Record<string, unknown> };
    v1.schema = 'weightprint.fingerprint/1';
    delete v1.sampling.layout;
    delete v1.sampling.runsAbove;
    expect(asFingerprint(v1, 'v1.json').schema).toBe('weightprint.fingerprint/1');
    // the challenge's private documents (secret runs) are never stored, but read like any other
    const secret = structuredClone(doc);
    secret.sampling = { ...secret.sampling, layout: 'secret-runs', seed: 0x2468ace0 };
    expect(asFingerprint(JSON.parse(JSON.stringify(secret)), 'private.json').sampling.layout).toBe('secret-runs');
  });

  it('targeted: wrong base64 lengths, ranks, shapes and sketches are named precisely', () => {
    const cases: Array<[(d: FingerprintDocument) => void, RegExp]> = [
      [
        (d) => {
          d.tensors[0]!.sample!.q = d.tensors[0]!.sample!.q.slice(4);
        },
        /tensors\[0\]\.sample\.q: base64 of \d+ bytes where its dimensions need \d+/,
      ],
      [
        (d) => {
          d.tensors[0]!.sample!.rows = 1e9;
        },
        /tensors\[0\]\.sample\.rows: must be an integer from 0 to/,
      ],
      [
        (d) => {
          d.tensors[0]!.shape = Array(MAX_RANK + 1).fill(1);
        },
        /tensors\[0\]\.shape: has 17 items, more than the 16 allowed/,
      ],
      [
        (d) => {
          d.tensors[0]!.shape = [2 ** 40, 2 ** 40];
        },
        /tensors\[0\]\.shape: has too many elements/,
      ],
      [
        (d) => {
          (d.tensors[0] as unknown as Record<string, unknown>).bytes = '12';
        },
        /tensors\[0\]\.bytes: must be an integer/,
      ],
      [
        (d) => {
          d.tokenizer!.tokens.values = '';
        },
        /tokenizer\.tokens\.values: base64 of 0 bytes where its dimensions need \d+/,
      ],
      [
        (d) => {
          d.sampling.k = 2 ** 40;
        },
        /sampling\.k: must be an integer from 1 to 1048576/,
      ],
      [
        (d) => {
          d.components[0]!.tensors = [99999];
        },
        /components\[0\] refers to tensors that do not exist/,
      ],
      [
        (d) => {
          (d.card as unknown as Record<string, unknown>).baseModel = 'x';
        },
        /card\.baseModel: must be an array/,
      ],
      [
        (d) => {
          const t = gramTensor(d);
          t.gram!.rows = t.gram!.rows!.slice(8);
        },
        /tensors\[\d+\]\.gram\.rows: base64 of \d+ bytes where its dimensions need \d+/,
      ],
      [
        (d) => {
          (gramTensor(d).gram as unknown as Record<string, unknown>).cols = 7;
        },
        /tensors\[\d+\]\.gram\.cols: must be a string/,
      ],
      [
        (d) => {
          const v = d.tensors.find((t) => t.shape.length === 1)!;
          v.gram = { rows: 'AAAA' };
        },
        /tensors\[\d+\]\.gram: is only defined for 2-D matrices/,
      ],
      [
        (d) => {
          (d as { schema: string }).schema = 'weightprint.fingerprint/1';
        },
        /sampling\.layout: is not part of weightprint\.fingerprint\/1/,
      ],
      [
        (d) => {
          (d.sampling as { layout?: string }).layout = 'diagonal';
        },
        /sampling\.layout: must be one of/,
      ],
    ];
    for (const [damage, message] of cases) {
      const d = structuredClone(doc);
      damage(d);
      expect(() => asFingerprint(d, 'entry.json.gz')).toThrow(message);
    }
  });

  it('through a registry: a crafted entry with a matching hash is a registry error, no internal error', async () => {
    const dir = join(tmp.dir, 'reg');
    const { entry } = await addEntry(dir, doc, { id: 'hf:synth/base@main', license: 'MIT', family: 'synth' });
    const rng = new Rng([SEED, 2]);
    let errors = 0;
    for (let i = 0; i < 40; i++) {
      const { doc: d } = mutate(rng, doc);
      const bytes = gzipSync(Buffer.from(JSON.stringify(d)));
      await writeFile(join(dir, entry.file), bytes);
      const index = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'index.json'), 'utf8'));
      index.entries[0].sha256 = createHash('sha256').update(bytes).digest('hex');
      await writeFile(join(dir, 'index.json'), JSON.stringify(index));
      const reg = await openRegistry(dir);
      try {
        const r = await checkFingerprint(tuned, reg);
        if (r.registry!.errors.length) {
          errors++;
          expect(r.registry!.errors[0]!.reason).toMatch(/^\S.*: /);
          expect(r.verdict).not.toBe('independent');
        }
      } catch (err) {
        // only the "no entry could be read" case may throw, and only as an InputError
        expect(err).toBeInstanceOf(InputError);
        expect((err as Error).message).toMatch(/no registry entry could be read/);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(0);
  }, 300_000);
});
