#!/usr/bin/env node
/**
 * `npm run adversary`: independent measurement of the engine on cases it never saw, built from the
 * real llama2.c weights in ../shared/realmodels (see scripts/adversary/README.md).
 *
 *   1. build.py (numpy): corpora, real training runs (further, from scratch, shared seed), disguises
 *      checked by a forward pass, merges, pruning, rounding -> <work>/manifest.json (cached);
 *   2. convert.ts (the project's own GGUF / torch.save / quantised-safetensors writers);
 *   3. the CLI bundled from this checkout: `fingerprint --full` and `fingerprint --sketch` of every
 *      model, then `compare A.json B.json --json` for every case in both modes;
 *   4. a table (markdown + JSON) in <work>/runs/<commit>/: case, truth, verdict, confidence, and the
 *      statistic that decided, false `derived` first, then missed copies.
 *
 *   node scripts/adversary/run.mjs [--work /tmp/weightprint-adversary] [--seed 1] [--steps-scale 1]
 *                                  [--only <substring>] [--modes full,sketch] [--jobs 1]
 *                                  [--runs-above N]
 *
 * --runs-above N: both modes sample every tensor above N elements in row runs (fingerprint.ts,
 * bundled from this checkout), as a release-sized model's matrices are; run dir <commit>-runsN.
 *
 * Not part of `npm test` or `npm run eval`: it trains models (minutes of CPU) and its cases stay
 * unseen by the engine's own evaluation.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build as esbuild } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const { values: opt } = parseArgs({
  options: {
    work: { type: 'string', default: join(tmpdir(), 'weightprint-adversary') },
    shared: { type: 'string', default: resolve(root, '..', 'shared') },
    seed: { type: 'string', default: '1' },
    'steps-scale': { type: 'string', default: '1' },
    only: { type: 'string' },
    modes: { type: 'string', default: 'full,sketch' },
    jobs: { type: 'string', default: '1' },
    'skip-build': { type: 'boolean', default: false },
    /** Sample every tensor above N elements in row runs, in both modes (a release-sized model's layout). */
    'runs-above': { type: 'string' },
    /** Measure another checkout's engine (its CLI is bundled from there; read only). */
    repo: { type: 'string', default: root },
  },
});
const work = resolve(opt.work);
const modes = opt.modes.split(',');
const jobs = Math.max(1, Number(opt.jobs) | 0);
const runsAbove = opt['runs-above'] === undefined ? undefined : Number(opt['runs-above']);
if (runsAbove !== undefined && !(Number.isSafeInteger(runsAbove) && runsAbove >= 0))
  throw new Error('--runs-above takes a whole number of elements');
mkdirSync(work, { recursive: true });

const log = (m) => process.stderr.write(`${m}\n`);
const sh = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });

// 1. cases
if (!opt['skip-build']) {
  log('adversary: building cases (numpy; cached in the work dir)');
  sh(
    'nice',
    [
      '-n',
      '10',
      'python3',
      join(here, 'build.py'),
      '--work',
      work,
      '--shared',
      opt.shared,
      '--seed',
      opt.seed,
      '--steps-scale',
      opt['steps-scale'],
    ],
    { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  );
}
const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8'));

// 2. conversions with the project's writers, and 3. the CLI of this checkout
const repo = resolve(opt.repo);
const commit = execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']).toString().trim();
const dirty = execFileSync('git', ['-C', repo, 'status', '--porcelain', 'src']).toString().trim() ? '-dirty' : '';
const label = `${repo === root ? '' : `${repo.split('/').pop()}-`}${commit}${dirty}${runsAbove === undefined ? '' : `-runs${runsAbove}`}`;
const runDir = join(work, 'runs', label);
const bin = join(runDir, 'bin');
mkdirSync(bin, { recursive: true });
/** Bundles one of the harness's TypeScript helpers (next to this script) into bin/<name>.mjs. */
async function bundleHelper(name) {
  await esbuild({
    entryPoints: [join(here, `${name}.ts`)],
    outfile: join(bin, `${name}.mjs`),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
}
await bundleHelper('convert');
sh('nice', ['-n', '10', process.execPath, join(bin, 'convert.mjs'), work]);
if (runsAbove !== undefined) await bundleHelper('fingerprint');
sh(process.execPath, [join(repo, 'scripts', 'bundle.mjs'), '--outdir', bin, 'cli', 'worker']);
const cli = join(bin, 'cli.js');

function run(args, script = cli) {
  return new Promise((resolveRun, reject) => {
    const child = spawn('nice', ['-n', '10', process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolveRun(out) : reject(new Error(`weightprint ${args.join(' ')}: exit ${code}: ${err.trim()}`)),
    );
  });
}

async function pool(items, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

const cases = manifest.cases.filter((c) => !opt.only || c.id.includes(opt.only) || c.group.includes(opt.only));
const paths = [...new Set(cases.flatMap((c) => [c.a, c.b]))];
const fpPath = (p, mode) =>
  join(runDir, 'fp', mode, `${createHash('sha256').update(p).digest('hex').slice(0, 16)}.json`);
for (const mode of modes) {
  mkdirSync(join(runDir, 'fp', mode), { recursive: true });
  const todo = paths.filter((p) => !existsSync(fpPath(p, mode)));
  log(`adversary: fingerprinting ${todo.length} models (${mode})`);
  await pool(todo, async (p) => {
    try {
      if (runsAbove !== undefined)
        await run(
          [p, mode === 'full' ? 'full' : 'sample', String(runsAbove), fpPath(p, mode)],
          join(bin, 'fingerprint.mjs'),
        );
      else await run(['fingerprint', p, mode === 'full' ? '--full' : '--sketch', '-q', '-o', fpPath(p, mode)]);
    } catch (e) {
      log(`  ${e.message}`);
    }
  });
}

// 4. compare and tabulate
function decidingStatistic(r) {
  const comps = [...(r.components ?? [])].sort(
    (x, y) => Number(y.verdict === r.verdict) - Number(x.verdict === r.verdict) || y.score - x.score,
  );
  const c = comps[0];
  if (!c) return r.reason;
  const bits = [`${c.name}: ${c.verdict}`, `z ${Number(c.score).toFixed(1)}`];
  if (c.median_r !== undefined) bits.push(`median r ${Number(c.median_r).toFixed(2)}`);
  if (c.exact_share) bits.push(`exact ${(100 * c.exact_share).toFixed(0)} %`);
  bits.push(`${c.tensors_compared} tensors`);
  return bits.join(', ');
}

const results = [];
await pool(
  cases.flatMap((c) => modes.map((mode) => ({ c, mode }))),
  async ({ c, mode }) => {
    const fa = fpPath(c.a, mode);
    const fb = fpPath(c.b, mode);
    let row;
    if (!existsSync(fa) || !existsSync(fb)) {
      row = { verdict: 'error', confidence: null, statistic: 'fingerprint failed', reason: '' };
    } else {
      try {
        const r = JSON.parse(await run(['compare', fa, fb, '--json', '-q']));
        row = { verdict: r.verdict, confidence: r.confidence, statistic: decidingStatistic(r), reason: r.reason };
      } catch (e) {
        row = { verdict: 'error', confidence: null, statistic: e.message.slice(0, 200), reason: '' };
      }
    }
    results.push({ ...c, mode, ...row, outcome: outcome(c, row.verdict) });
  },
);

function outcome(c, verdict) {
  if (verdict === 'error') return 'ERROR';
  if (c.accept.includes(verdict)) return 'ok';
  if (c.truth === 'independent' && (verdict === 'derived' || verdict === 'identical')) return 'FALSE DERIVED';
  if (c.truth !== 'independent' && verdict === 'independent') return 'MISSED';
  return 'inconclusive';
}

const order = { 'FALSE DERIVED': 0, MISSED: 1, ERROR: 2, inconclusive: 3, ok: 4 };
const byCase = new Map();
for (const r of results) {
  if (!byCase.has(r.id)) byCase.set(r.id, { c: r, modes: {} });
  byCase.get(r.id).modes[r.mode] = r;
}
const rows = [...byCase.values()].sort((x, y) => {
  const ox = Math.min(...Object.values(x.modes).map((m) => order[m.outcome]));
  const oy = Math.min(...Object.values(y.modes).map((m) => order[m.outcome]));
  return ox - oy || manifest.cases.indexOf(x.c) - manifest.cases.indexOf(y.c);
});
const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const fmtConf = (v) => (v === null || v === undefined ? '' : Number(v).toFixed(3));
const lines = [
  `Adversary run on ${label}, seed ${manifest.seed}: ${rows.length} cases × ${modes.join(' + ')}`,
  '',
  `| case | group | truth | ${modes.map((m) => `${m} verdict (confidence) | ${m} outcome`).join(' | ')} | deciding statistic (${modes[0]}) |`,
  `|---|---|---|${modes.map(() => '---|---|').join('')}---|`,
];
for (const { c, modes: ms } of rows) {
  const cells = modes.map((m) => {
    const r = ms[m];
    return r ? `${r.verdict} (${fmtConf(r.confidence)}) | ${r.outcome}` : ' | ';
  });
  lines.push(
    `| ${esc(c.id)} — ${esc(c.how)} | ${c.group} | ${c.truth} | ${cells.join(' | ')} | ${esc(ms[modes[0]]?.statistic ?? '')} |`,
  );
}
const tally = {};
for (const r of results) {
  tally[r.mode] = tally[r.mode] ?? {};
  tally[r.mode][r.outcome] = (tally[r.mode][r.outcome] ?? 0) + 1;
}
lines.push('');
for (const m of modes) lines.push(`${m}: ${JSON.stringify(tally[m] ?? {})}`);

// per class (group × truth): how many the engine got right, and what the wrong ones were
const classes = new Map();
for (const r of results) {
  const key = `${r.group} | ${r.truth}`;
  if (!classes.has(key)) classes.set(key, {});
  const byMode = classes.get(key);
  byMode[r.mode] = byMode[r.mode] ?? { right: 0, total: 0, wrong: {} };
  byMode[r.mode].total++;
  if (r.outcome === 'ok') byMode[r.mode].right++;
  else byMode[r.mode].wrong[r.outcome] = (byMode[r.mode].wrong[r.outcome] ?? 0) + 1;
}
lines.push('', `| class | truth | ${modes.map((m) => `${m}: right / cases (wrong)`).join(' | ')} |`);
lines.push(`|---|---|${modes.map(() => '---|').join('')}`);
for (const [key, byMode] of classes) {
  const cells = modes.map((m) => {
    const s = byMode[m];
    if (!s) return '';
    const wrong = Object.entries(s.wrong).map(([o, n]) => `${n} ${o}`);
    return `${s.right} / ${s.total}${wrong.length ? ` (${wrong.join(', ')})` : ''}`;
  });
  lines.push(`| ${key} | ${cells.join(' | ')} |`);
}
writeFileSync(join(runDir, 'results.json'), JSON.stringify({ commit: label, seed: manifest.seed, results }, null, 1));
writeFileSync(join(runDir, 'results.md'), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n\nwritten to ${join(runDir, 'results.md')}\n`);
