/**
 * The challenge sample (issue 10/11): a copy of a real llama2.c model whose values at exactly the
 * published sample coordinates were replaced by another real model's values, every other value
 * nudged so that no digest matches, reads as `independent` on the published sample (the red team's
 * hole; the rewrite covers every coordinate the public fingerprint reads, the Gram's full rows and
 * columns included). `check` reads the reference and the model again at a seed drawn for the run and calls it
 * derived, saying first that the published coordinates were rewritten: against a registry entry
 * made from the original's local path and one made from a loopback Hub by `hf:…@<commit>`. An
 * honest independent model stays independent with the challenge stated; a reference that cannot be
 * read is listed (not possible) or fails closed (a read that failed).
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { REWRITE_THRESHOLDS } from '../../src/compare/discrepancy.js';
import type { CheckResult } from '../../src/check/types.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { DEFAULT_RUNS_ABOVE } from '../../src/fingerprint/sample.js';
import { hubOpener } from '../../src/formats/hub.js';
import { parsePolicy } from '../../src/policy/load.js';
import { addEntry } from '../../src/registry/index.js';
import { checkDetails } from '../../src/github/checks.js';
import { mdText } from '../../src/report/escape.js';
import { renderCheckMarkdown } from '../../src/report/markdown.js';
import { makeBase, textSpec, writeModelDir } from '../../src/synth/index.js';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE } from '../compare/helpers.js';
import { startHubServer, type HubServer } from '../helpers/hub-server.js';
import { writeSampleRewrite } from '../helpers/sample-rewrite.js';

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

const ORIGINAL = join(REAL, 'llama2c/EN10_babyllama_tok361');
/** Independent of the original (pairs.json), same architecture: the values written at the published coordinates. */
const DONOR = join(REAL, 'llama2c/EN10_babyllama_tok105');

let tmp: string;
let copy: string;
let tuned: string;
let localRegistry: string;
let hub: HubServer;
let hubSpec: string;
let hubRegistry: string;
const quick = { backoffMs: 1, maxBackoffMs: 4, sleep: async () => {} };

beforeAll(async () => {
  if (!HAVE_REAL) return;
  tmp = await mkdtemp(join(tmpdir(), 'wp-challenge-'));
  copy = join(tmp, 'copy');
  tuned = join(tmp, 'tuned');
  // a copy (digests broken by noise of 0.2 % of each tensor's spread) and a fine-tune (50 %)
  const c = await writeSampleRewrite({ source: ORIGINAL, donor: DONOR, out: copy, noise: 0.002, seed: 3 });
  await writeSampleRewrite({ source: ORIGINAL, donor: DONOR, out: tuned, noise: 0.5, seed: 4 });
  // every coordinate the public fingerprint reads: grid, full embedding rows, the Gram's 32 full rows
  // and columns; 45 % of these 128-wide real matrices (1.6 % of a 4096 × 4096 one); the rest is A's
  expect(c.replaced / c.total).toBeLessThan(0.5);

  localRegistry = join(tmp, 'registry-local');
  await addEntry(localRegistry, await loadFingerprint(ORIGINAL), {
    id: 'babyllama-361',
    license: 'MIT',
    family: 'llama2c',
  });

  hub = await startHubServer({
    repos: [
      {
        id: 'org/babyllama',
        files: {
          'model.safetensors': new Uint8Array(readFileSync(join(ORIGINAL, 'model.safetensors'))),
          'config.json': readFileSync(join(ORIGINAL, 'config.json'), 'utf8'),
        },
      },
    ],
  });
  // as `registry update` records it: a sketch read at a commit, the commit in `source`
  hubSpec = `hf:org/babyllama@${hub.commitOf('org/babyllama')}`;
  hubRegistry = join(tmp, 'registry-hub');
  await addEntry(hubRegistry, await loadFingerprint(hubSpec, { hub: hubOpener({ hubUrl: hub.url }) }), {
    id: 'hf:org/babyllama',
    license: 'MIT',
    family: 'llama2c',
    source: hubSpec,
  });
}, 300_000);

afterAll(async () => {
  await hub?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function check(
  model: string,
  registry: string,
  opts: Partial<Parameters<typeof runCheck>[0]> & { log?: string[] } = {},
): Promise<CheckResult> {
  const { log, ...rest } = opts;
  const [r] = await runCheck({
    models: [model],
    registries: [registry],
    noBuiltin: true,
    hub: hubOpener({ hubUrl: hub.url, http: quick }),
    onProgress: log ? (line) => log.push(line) : undefined,
    ...rest,
  });
  return r!;
}

/** What the published sample alone may say of a copy whose public coordinates were rewritten. */
const OPEN_VERDICTS = ['independent', 'inconclusive'];

const escapeRe = (s: string) => s.replace(/[/.]/g, '\\$&');

function expectCaught(r: CheckResult, entry: string) {
  expect(r.verdict).toBe('derived');
  expect(r.policy.result).toBe('fail');
  // the evidence of an evasion comes first, stated plainly
  expect(r.policy.reasons[0]).toMatch(
    new RegExp(
      `^fail \\(sample-rewritten\\): the published sample coordinates were rewritten to hide ${escapeRe(entry)}: ` +
        'the values at the published sample coordinates differ from the rest of the tensors: at [\\d,]+ private ' +
        'coordinates the model matches',
    ),
  );
  expect(r.policy.reasons.some((x) => /^fail \(derived-undeclared\): text decoder is derived from /.test(x))).toBe(
    true,
  );
  const e = r.challenge!.entries.find((x) => x.entry === entry)!;
  expect(e).toMatchObject({ status: 'challenged', verdict: 'derived' });
  expect(OPEN_VERDICTS).toContain(e.published);
  expect(e.rewritten).toContain('text decoder');
  expect(e.discrepancy!.medianGap).toBeGreaterThan(2 * REWRITE_THRESHOLDS.medianGap);
  expect(Math.abs(e.discrepancy!.publishedR)).toBeLessThan(0.1);
  expect(typeof r.challenge!.seed).toBe('number');
  const m = r.matches.find((x) => x.entry === entry)!;
  expect(m.verdict).toBe('derived');
  expect(m.reason).toMatch(/the published coordinates were rewritten/);
  const decoder = m.components.find((c) => c.name === 'text decoder')!;
  expect(decoder.verdict).toBe('derived');
  expect(decoder.evidence[0]).toMatchObject({ kind: 'challenge' });
}

describe.skipIf(!HAVE_REAL)('a copy whose published sample coordinates were rewritten', () => {
  it('reads as independent on the published sample alone (`challenge: off`): the hole', async () => {
    const r = await check(copy, localRegistry, { challenge: 'off' });
    expect(r.verdict).toBe('independent');
    expect(r.policy.result).toBe('pass');
    expect(r.challenge).toEqual({ setting: 'off', limit: 0, entries: [] });
  });

  it('(a) entry from a local path: the copy and the fine-tune are derived, the rewrite said first', async () => {
    const log: string[] = [];
    const r = await check(copy, localRegistry, { log });
    expectCaught(r, 'babyllama-361');
    expect(r.challenge!.entries[0]).toMatchObject({ source: ORIGINAL, verified: 'tensor names, shapes and dtypes' });
    // the seed is recorded in the result, never in the progress log of the run
    expect(log.some((l) => /challenge 1: reading babyllama-361 again at a private seed/.test(l))).toBe(true);
    expect(log.join('\n')).not.toContain(String(r.challenge!.seed));
    const md = renderCheckMarkdown([r]);
    expect(md).toContain('**⛔ The published sample coordinates were rewritten**');
    expect(md.indexOf('⛔')).toBeLessThan(md.indexOf('| registry entry |'));

    expectCaught(await check(tuned, localRegistry), 'babyllama-361');
  });

  it('(b) entry from the Hub by hf:…@<commit>: read again by range, derived with the rewrite said', async () => {
    const before = hub.requests.length;
    const r = await check(copy, hubRegistry);
    expectCaught(r, 'hf:org/babyllama');
    const e = r.challenge!.entries[0]!;
    expect(e.source).toBe(hubSpec);
    expect(e.verified).toBe('the Hub commit the entry pins; tensor names, shapes and dtypes');
    const ranged = hub.requests.slice(before).filter((q) => q.range && q.path.includes('model.safetensors'));
    expect(ranged.length).toBeGreaterThan(0);
    expect(e.bytesRead).toBeGreaterThan(0);

    expectCaught(await check(tuned, hubRegistry), 'hf:org/babyllama');
  });

  it('the recorded seed reproduces the challenge exactly', async () => {
    const first = await check(tuned, localRegistry);
    const again = await check(tuned, localRegistry, { challengeSeed: first.challenge!.seed });
    expect(again.challenge!.seed).toBe(first.challenge!.seed);
    expect(again.challenge!.entries).toEqual(first.challenge!.entries);
  });
});

describe.skipIf(!HAVE_REAL)('honest models and entries that cannot be challenged', () => {
  it('an independent model (the donor itself) stays independent; the challenge ran and says so', async () => {
    const r = await check(DONOR, localRegistry);
    expect(r.verdict).toBe('independent');
    expect(r.policy.result).toBe('pass');
    const e = r.challenge!.entries[0]!;
    expect(e).toMatchObject({ entry: 'babyllama-361', status: 'challenged', published: 'independent' });
    expect(e.private).toBe('independent');
    expect(e.verdict).toBe('independent');
    expect(e.rewritten).toBeUndefined();
    expect(Math.abs(e.discrepancy!.medianGap)).toBeLessThan(3);
    // the challenge's own statistics, each with its null: no evidence at the private seed, no gap
    expect(e.privateStatistic!.p).toBeGreaterThan(1e-3);
    expect(e.discrepancy!.p).toBeGreaterThan(1e-3);
    expect(e.discrepancy!.discrepant).toBeLessThan(e.discrepancy!.pairs / 2);
    const md = renderCheckMarkdown([r]);
    expect(md).toMatch(/\*\*Challenge sample\*\* \(`challenge: auto`\): 1 of 1 /);
    const n = '-?[\\d.]+';
    expect(md).toMatch(
      new RegExp(
        `at the private seed its strongest component, \\S.*, scores z ${n} \\(standardised against ` +
          `mismatched-layer controls; null N\\(0, 1\\)\\), p [\\d.e-]+, median r ${n} over \\d+ tensors?`,
      ),
    );
    expect(md).toMatch(
      new RegExp(
        `published vs private coordinates: median r ${n} vs ${n}, gap z ${n} over \\d+ tensor pairs ` +
          "\\(N\\(0, 1\\) for weights that did not know the seed(, each pair's error widened by the spread of its " +
          "rows' correlations, τ [\\d.]+)?: p ≤ [\\d.e-]+; a rewrite needs ≥ 5\\.6\\)",
      ),
    );
  });

  it('real trained siblings from one seed (the hardest honest pair) are never derived by the challenge', async () => {
    const registry = join(tmp, 'registry-siblings');
    const sibling = (n: number) => join(REAL, `trained/sibling_seed1337_order${n}`);
    await addEntry(registry, await loadFingerprint(sibling(1)), { id: 'sibling-1', license: 'MIT', family: 'x' });
    // fixed private seeds: the same three every run (measured: 12 seeds, gap within ±1.2, never derived)
    for (const challengeSeed of [104729, 209458, 314187]) {
      const r = await check(sibling(2), registry, { challengeSeed });
      expect(r.verdict).toBe('independent');
      expect(r.policy.result).not.toBe('fail');
      const e = r.challenge!.entries[0]!;
      expect(e).toMatchObject({ status: 'challenged', private: 'independent', verdict: 'independent' });
      expect(Math.abs(e.discrepancy!.medianGap)).toBeLessThan(REWRITE_THRESHOLDS.medianGap / 2);
      expect(e.rewritten).toBeUndefined();
    }
  });

  it('a local source not on this machine: not possible, under not compared, on-unchallenged decides', async () => {
    const gone = join(tmp, 'gone');
    await cp(ORIGINAL, gone, { recursive: true });
    const registry = join(tmp, 'registry-gone');
    await addEntry(registry, await loadFingerprint(gone), { id: 'gone', license: 'MIT', family: 'llama2c' });
    await rm(gone, { recursive: true });

    const r = await check(copy, registry);
    expect(OPEN_VERDICTS).toContain(r.verdict);
    expect(r.policy.result).toBe('warn');
    const published = r.matches[0]!.verdict;
    const why = `challenge not possible: its local source ${gone} is not on this machine`;
    expect(r.challenge!.entries).toEqual([
      { entry: 'gone', status: 'not-possible', why, published, verdict: published },
    ]);
    expect(r.matches[0]!.not_compared).toContainEqual({ what: 'challenge sample', why });
    expect(r.policy.reasons).toContainEqual(
      `warn (on-unchallenged): 1 registry entry was compared on the published sample only, which an author who ` +
        `rewrote those coordinates would pass: gone (${why})`,
    );
    const strict = await check(copy, registry, { policy: parsePolicy('on-unchallenged: fail\n', 'consortium.yml') });
    expect(strict.policy.result).toBe('fail');
  });

  it('an entry whose document names a fingerprint file as its source cannot be challenged', async () => {
    const doc = await loadFingerprint(ORIGINAL);
    const registry = join(tmp, 'registry-fp');
    const id = 'exported/original.fp.json';
    await addEntry(
      registry,
      { ...doc, source: { ...doc.source, id } },
      { id: 'from-json', license: 'MIT', family: 'x' },
    );
    const r = await check(DONOR, registry);
    expect(r.challenge!.entries[0]).toMatchObject({
      status: 'not-possible',
      why: 'challenge not possible: the entry was made from a fingerprint file, not from weights',
    });
    expect(r.policy.result).toBe('warn');
  });

  it('an hf: source that cannot be reached fails closed: a registry error, inconclusive, policy fail', async () => {
    const dead = await startHubServer();
    const url = dead.url;
    await dead.close();
    const r = await check(copy, hubRegistry, { hub: hubOpener({ hubUrl: url, http: { ...quick, attempts: 2 } }) });
    expect(r.challenge!.entries[0]).toMatchObject({ entry: 'hf:org/babyllama', status: 'failed' });
    expect(r.registry!.errors).toEqual([
      {
        entry: 'hf:org/babyllama',
        reason: expect.stringMatching(/^challenge failed: could not read hf:org\/babyllama@/),
      },
    ]);
    expect(r.verdict).toBe('inconclusive');
    expect(r.policy.result).toBe('fail');
    expect(r.policy.reasons[0]).toMatch(/^fail \(registry-errors\): 1 registry entry could not be read/);
  });

  it('the model under test cannot be read again (a fingerprint file): every aligned entry is listed', async () => {
    const fpFile = join(tmp, 'copy.fp.json');
    await writeFile(fpFile, JSON.stringify(await loadFingerprint(copy)));
    const r = await check(fpFile, localRegistry);
    expect(r.challenge!.entries[0]).toMatchObject({
      status: 'not-possible',
      why:
        'challenge not possible: the model under test cannot be read again ' +
        '(it was given as a fingerprint file, not as weights)',
    });
    expect(r.policy.result).toBe('warn');
  });

  it('a reference copy inside the checkout under test must match the entry digests, or the check fails', async () => {
    const ws = join(tmp, 'ws');
    await mkdir(ws);
    const inside = join(ws, 'base');
    await cp(ORIGINAL, inside, { recursive: true });
    const registry = join(tmp, 'registry-inside');
    await addEntry(registry, await loadFingerprint(inside), { id: 'inside', license: 'MIT', family: 'llama2c' });
    const model = join(ws, 'copy');
    await cp(copy, model, { recursive: true });

    // the full entry's SHA-256 vouch for the copy in the checkout: challenged in full mode
    const ok = await check(model, registry, { root: ws });
    expectCaught(ok, 'inside');
    expect(ok.challenge!.entries[0]!.verified).toBe('SHA-256 of every tensor the entry records');

    // the PR replaced the reference's weights with the copy's own: the check cannot use it and fails
    await cp(join(copy, 'model.safetensors'), join(inside, 'model.safetensors'));
    const swapped = await check(model, registry, { root: ws });
    expect(swapped.challenge!.entries[0]).toMatchObject({ status: 'failed' });
    expect(swapped.registry!.errors[0]!.reason).toMatch(
      /is not the entry's weights: \d+ tensors differ from the entry's SHA-256/,
    );
    expect(swapped.policy.result).toBe('fail');
  });

  it('a sketch entry whose copy lies inside the checkout cannot be verified: not possible', async () => {
    const ws = join(tmp, 'ws-sketch');
    await mkdir(ws);
    const inside = join(ws, 'base');
    await cp(ORIGINAL, inside, { recursive: true });
    const registry = join(tmp, 'registry-inside-sketch');
    // a sketch reads tensors up to runsAbove elements whole (digested): every tensor of this small
    // model would be; runs above 4096 elements leave its matrices known by their sample only
    const sketch = await loadFingerprint(inside, { mode: 'sample', layout: { kind: 'runs', runsAbove: 4096 } });
    expect(sketch.tensors.some((t) => !t.sha256)).toBe(true);
    await addEntry(registry, sketch, {
      id: 'inside-sketch',
      license: 'MIT',
      family: 'llama2c',
    });
    const model = join(ws, 'own');
    await cp(DONOR, model, { recursive: true });
    const r = await check(model, registry, { root: ws });
    expect(r.challenge!.entries[0]).toMatchObject({
      status: 'not-possible',
      why: expect.stringMatching(/lies inside the checkout under test, and a sketch entry has no digests/),
    });
  });

  it('at most `challenge: N` entries; the rest are listed as not challenged', async () => {
    const registry = join(tmp, 'registry-two');
    const fp = await loadFingerprint(ORIGINAL);
    await addEntry(registry, fp, { id: 'one', license: 'MIT', family: 'llama2c' });
    await addEntry(registry, fp, { id: 'two', license: 'MIT', family: 'llama2c' });
    const r = await check(DONOR, registry, { challenge: 1 });
    expect(r.challenge!.limit).toBe(1);
    const statuses = r.challenge!.entries.map((e) => e.status).sort();
    expect(statuses).toEqual(['challenged', 'over-limit']);
    const over = r.challenge!.entries.find((e) => e.status === 'over-limit')!;
    // the two entries are the same weights: the one read was drawn at random, and the other says so
    const tied =
      /^not challenged: 1 entry per model were \(challenge: 1\); the model covers as much of its matrices \(/.source +
      /[<>]? ?\d+(\.\d+)? % by parameters\) as of a challenged entry's, and which of those were read was drawn /
        .source +
      /at random$/.source;
    expect(over.why).toMatch(new RegExp(tied));
    expect(r.policy.result).toBe('warn');
  });
});

/**
 * The same attack on matrices above 2^18 elements, which published documents sample in runs (rows
 * 0 and R-1 and one hashed row, columns 0..L-1) and the challenge in secret runs (hashed rows, a
 * run at a seed-derived offset): the copy of a generated model whose run coordinates (and Gram rows
 * and columns, embedding rows) hold an independent model's values is caught at the private seed.
 */
describe('release-sized matrices: the challenge reads secret runs', () => {
  const spec = { text: textSpec({ hidden: 640, ffn: 1024, layers: 2, heads: 10, kvHeads: 5, vocab: 512 }) };
  let dir: string;
  let base: string;
  let donor: string;
  let copy: string;
  let registry: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-challenge-runs-'));
    base = await writeModelDir(makeBase(spec, 31), join(dir, 'base'));
    donor = await writeModelDir(makeBase(spec, 32), join(dir, 'donor'));
    copy = join(dir, 'copy');
    await writeSampleRewrite({ source: base, donor, out: copy, noise: 0.002, seed: 5 });
    registry = join(dir, 'registry');
    await addEntry(registry, await loadFingerprint(base), { id: 'base-640', license: 'MIT', family: 'synth' });
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const run = (model: string, opts: Partial<Parameters<typeof runCheck>[0]> = {}) =>
    runCheck({ models: [model], registries: [registry], noBuiltin: true, ...opts }).then((r) => r[0]!);

  it('the model holds matrices sampled in runs; the rewritten copy passes the published sample alone', async () => {
    const fp = await loadFingerprint(base);
    const large = fp.tensors.filter((t) => t.shape.length === 2 && t.shape[0]! * t.shape[1]! > DEFAULT_RUNS_ABOVE);
    expect(large.length).toBeGreaterThanOrEqual(8);
    // a few rows each (3 for rows of 1,366 values or more), not the grid's 32
    expect(large.every((t) => t.sample!.rows <= Math.max(3, Math.ceil(4096 / t.shape[1]!)))).toBe(true);
    const r = await run(copy, { challenge: 'off' });
    expect(OPEN_VERDICTS).toContain(r.verdict);
    expect(r.policy.result).not.toBe('fail');
  });

  it('caught at the private seed: derived, sample-rewritten first; reproducible from the recorded seed', async () => {
    // a fixed seed: at a drawn one the private rows cross the rewritten Gram rows (10 % of the rows) often
    // enough that the private r fell to 0.65–0.69 at 2 of 40 seeds (derived and rewritten at all 40)
    const r = await run(copy, { challengeSeed: 5000 });
    expect(r.verdict).toBe('derived');
    expect(r.policy.result).toBe('fail');
    expect(r.policy.reasons[0]).toMatch(/^fail \(sample-rewritten\): the published sample coordinates were rewritten/);
    const e = r.challenge!.entries[0]!;
    expect(e).toMatchObject({ entry: 'base-640', status: 'challenged', verdict: 'derived' });
    expect(e.discrepancy!.medianGap).toBeGreaterThan(2 * REWRITE_THRESHOLDS.medianGap);
    expect(Math.abs(e.discrepancy!.publishedR)).toBeLessThan(0.2);
    // (the private runs also cross the Gram's rewritten full rows and columns: 10 % of each axis here)
    expect(e.discrepancy!.privateR).toBeGreaterThan(0.7);
    const again = await run(copy, { challengeSeed: r.challenge!.seed });
    expect(again.challenge!.entries).toEqual(r.challenge!.entries);
  });

  it('fail lines quote the private statistic that decided, not the published sample (report, check run)', async () => {
    const published = (await run(copy, { challenge: 'off' })).matches.find((m) => m.entry === 'base-640')!;
    const r = await run(copy, { challengeSeed: 7301 });
    const challenged = r.matches.find((m) => m.entry === 'base-640')!;
    const lines = r.policy.reasons.filter((x) => x.startsWith('fail (derived-undeclared): '));
    expect(lines.length).toBeGreaterThan(0);
    let rewrittenSeen = false;
    for (const line of lines) {
      const c = challenged.components.find((x) => line.includes(`: ${x.name} is derived from base-640`))!;
      expect(c, line).toBeDefined();
      const quoted = Number(/\(median r (-?\d+\.\d+), exact /.exec(line)![1]);
      // the number of the comparison that found it: the private one
      expect(quoted).toBeCloseTo(c.median_r!, 2);
      const pub = published.components.find((x) => x.name === c.name)!;
      if (Math.abs(pub.median_r ?? 0) < 0.2) {
        // where the published sample saw nothing, the line must not say so beside "derived"
        rewrittenSeen = true;
        expect(quoted).toBeGreaterThan(0.5);
      }
    }
    expect(rewrittenSeen).toBe(true);
    // the same lines, escaped, in the PR comment's markdown and the check run's details
    for (const text of [renderCheckMarkdown([r]), checkDetails([r])])
      for (const line of lines) expect(text).toContain(mdText(line));
  });

  it('an independent model of the same recipe stays independent at private seeds: no gap', async () => {
    for (const challengeSeed of [7001, 7002, 7003]) {
      const r = await run(donor, { challengeSeed });
      expect(r.verdict).toBe('independent');
      const e = r.challenge!.entries[0]!;
      expect(e).toMatchObject({ status: 'challenged', private: 'independent', verdict: 'independent' });
      expect(Math.abs(e.discrepancy!.medianGap)).toBeLessThan(REWRITE_THRESHOLDS.medianGap / 2);
      expect(e.rewritten).toBeUndefined();
      console.info(
        `challenge secret runs, independent (seed ${challengeSeed}): ` +
          `median gap ${e.discrepancy!.medianGap.toFixed(2)} over ${e.discrepancy!.pairs} pairs, ` +
          `${e.discrepancy!.discrepant} beyond 3.72`,
      );
    }
  });

  it('a sibling from the same initialisation (correlated at every coordinate, row-scaled) shows no gap', async () => {
    // the honest pair whose correlation varies most from row to row: a few rows are a noisy estimate
    const sibling = await writeModelDir(makeBase(spec, { init: 31, train: 33 }), join(dir, 'sibling'));
    for (const challengeSeed of [7101, 7102, 7103]) {
      const r = await run(sibling, { challengeSeed });
      const e = r.challenge!.entries.find((x) => x.entry === 'base-640')!;
      expect(e.status).toBe('challenged');
      expect(e.verdict).not.toBe('derived');
      expect(e.rewritten).toBeUndefined();
      expect(r.policy.reasons.some((x) => x.includes('sample-rewritten'))).toBe(false);
      expect(Math.abs(e.discrepancy!.medianGap)).toBeLessThan(REWRITE_THRESHOLDS.medianGap / 2);
      console.info(
        `challenge secret runs, shared-init sibling (seed ${challengeSeed}): published ${e.published}, ` +
          `private ${e.private}, r ${e.discrepancy!.publishedR.toFixed(2)} vs ${e.discrepancy!.privateR.toFixed(2)}, ` +
          `median gap ${e.discrepancy!.medianGap.toFixed(2)} over ${e.discrepancy!.pairs} pairs, ` +
          `${e.discrepancy!.discrepant} beyond 3.72`,
      );
    }
  });
});

describe('challenge policy keys', () => {
  it('accepts auto, off, a count and on-unchallenged; rejects the rest naming the key', () => {
    expect(parsePolicy('challenge: 8\non-unchallenged: fail\n', 'p.yml')).toMatchObject({
      challenge: 8,
      onUnchallenged: 'fail',
    });
    expect(parsePolicy('challenge: off\n', 'p.yml').challenge).toBe('off');
    expect(parsePolicy('challenge: auto\n', 'p.yml').challenge).toBe('auto');
    expect(() => parsePolicy('challenge: lots\n', 'p.yml')).toThrow(/p\.yml: challenge: must be auto, off or a number/);
    expect(() => parsePolicy('on-unchallenged: ignore\n', 'p.yml')).toThrow(/p\.yml: on-unchallenged: must be pass/);
  });
});
