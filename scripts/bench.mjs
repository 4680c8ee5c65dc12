#!/usr/bin/env node
/**
 * `npm run bench`: the performance figures of issue 2, in one run.
 *
 *   1. generates a deterministic BF16 transformer-shaped model (default 8 GiB) in a temp dir,
 *      streaming, bounded memory (scripts/bench/generate.mjs);
 *   2. full fingerprint (`node dist/cli.js fingerprint <file> -o <out> -q`, worker threads) with
 *      the file in page cache, against the same fingerprint by a plain numpy script
 *      (scripts/bench/numpy_fingerprint.py) — and checks that the two agree; and against SHA-256
 *      alone (one core, two threads at once) and SHA-256 plus the 16-bit count alone, the ceiling
 *      of an exact count (scripts/bench/sha-count.ts);
 *   3. the same against `cat file > /dev/null` (I/O floor), in page cache and after dropping it;
 *   4. sample-only mode (`--sketch`): bytes read as a share of the file, speed-up over full;
 *   5. peak RSS of the fingerprint process (worker threads included) via /usr/bin/time -v's
 *      max resident set (or by polling VmHWM);
 *   6. the same full fingerprint of the same tensors re-containered as pytorch_model.bin
 *      (scripts/bench/to-pytorch.ts, streamed; skip with --no-pytorch): PyTorch throughput against
 *      safetensors on the same bytes, and that every tensor fingerprint agrees;
 *   7. the same model as GGUF files, BF16, Q8_0 and Q4_K (scripts/bench/to-gguf.ts, streamed; skip
 *      with --no-gguf): full-fingerprint time against safetensors for the same model (BF16: the same
 *      bytes, q/k rows in llama.cpp's rotary order; the quantised files are smaller, and the reader
 *      dequantises every block), and the comparison verdict against it;
 *   8. the machine and the exact commands.
 * Prints a markdown table and writes bench-out/bench.json. No assertions: figures, with targets.
 *
 * Fingerprints are written to bench-out/fp-*.json, not `-o /dev/null`: the CLI writes its output
 * atomically (temp file + rename), which as root would replace /dev/null with a regular file.
 *
 *   node scripts/bench.mjs [--size-gb 8] [--runs 3] [--numpy-runs 2] [--keep] [--dir /tmp] [--model file.safetensors]
 *                          [--cli dist/cli.js] [--no-numpy] [--no-cold] [--wait-idle 60] [--out bench-out/bench.json]
 *
 * The machine is shared (other sessions run tests): before each timed run the bench waits up to
 * --wait-idle seconds for the other processes' CPU use to fall under 15 % of the machine, and it
 * reports, per run, how much CPU the rest of the machine used meanwhile ("other load").
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  closeSync,
  readdirSync,
} from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build as esbuild } from 'esbuild';
import { generateModel } from './bench/generate.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GiB = 2 ** 30;

const { values: opt } = parseArgs({
  options: {
    'size-gb': { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    'numpy-runs': { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    dir: { type: 'string', default: tmpdir() },
    model: { type: 'string' },
    cli: { type: 'string', default: 'dist/cli.js' },
    numpy: { type: 'boolean', default: true },
    'no-numpy': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: true },
    'no-cold': { type: 'boolean', default: false },
    pytorch: { type: 'boolean', default: true },
    'no-pytorch': { type: 'boolean', default: false },
    gguf: { type: 'boolean', default: true },
    'no-gguf': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '120' },
    out: { type: 'string', default: 'bench-out/bench.json' },
  },
});
const sizeGiB = Number(opt['size-gb']);
const runs = Math.max(1, Number(opt.runs) | 0);
const numpyRuns = Math.max(1, Number(opt['numpy-runs']) | 0);
const waitIdle = Number(opt['wait-idle']);
const doNumpy = opt.numpy && !opt['no-numpy'];
const doCold = opt.cold && !opt['no-cold'];
const doPytorch = opt.pytorch && !opt['no-pytorch'];
const doGguf = opt.gguf && !opt['no-gguf'];
const cli = resolve(root, opt.cli);
const outJson = resolve(root, opt.out);
const outDir = dirname(outJson);
mkdirSync(outDir, { recursive: true });
const log = (s) => process.stderr.write(`bench: ${s}\n`);

/** Bundles scripts/bench/<name>.ts (TypeScript importing src/) into bench-out/<name>.mjs. */
async function bundleScript(name) {
  const outfile = join(outDir, `${name}.mjs`);
  await esbuild({
    entryPoints: [join(root, `scripts/bench/${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

// ---------------------------------------------------------------------------------------------
// machine

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? '?';
  const flags = /flags\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  const py = spawnSync('python3', ['-c', 'import numpy, sys; print(numpy.__version__, sys.version.split()[0])'], {
    encoding: 'utf8',
  });
  const [numpy, python] = py.status === 0 ? py.stdout.trim().split(' ') : [undefined, undefined];
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  const git = (...a) => spawnSync('git', a, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'src', 'dist').length > 0;
  return {
    cpu: model,
    cores: cpus().length,
    cpuFlags: ['sha_ni', 'avx2', 'avx512f'].filter((f) => flags.includes(f)),
    ramGiB: +(totalmem() / GiB).toFixed(1),
    node: process.version,
    python,
    numpy,
    kernel,
    commit: commit ? commit + (dirty ? ' + uncommitted changes in src/ or dist/' : '') : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// load of the rest of the machine, and waiting for it to be quiet

function cpuTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
const CLK_TCK = 100;

async function busyShare(ms = 1000) {
  const a = cpuTicks();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTicks();
  return (b.busy - a.busy) / Math.max(1, b.total - a.total);
}

async function waitForQuiet(label) {
  if (!(waitIdle > 0)) return undefined;
  const t0 = Date.now();
  let share = await busyShare();
  let said = false;
  while (share > 0.15 && Date.now() - t0 < waitIdle * 1000) {
    if (!said) {
      log(
        `machine busy (${(100 * share).toFixed(0)} % of CPU used by other processes); waiting up to ${waitIdle} s before ${label}`,
      );
      said = true;
    }
    share = await busyShare();
  }
  if (share > 0.15) log(`still busy (${(100 * share).toFixed(0)} %); measuring ${label} anyway (see "other load")`);
  return share;
}

// ---------------------------------------------------------------------------------------------
// running a command under /usr/bin/time (or by polling /proc when it is missing)

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

async function timed(cmd, args, { stdout = 'ignore' } = {}) {
  const before = cpuTicks();
  const tfile = join(outDir, `.time.${process.pid}`);
  const argv = TIME ? [TIME, ['-f', '%e %U %S %M %I', '-o', tfile, cmd, ...args]] : [cmd, args];
  const out = stdout === 'ignore' ? 'ignore' : openSync(stdout, 'w');
  const t0 = process.hrtime.bigint();
  const child = spawn(argv[0], argv[1], { stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  // fallback measurements (no /usr/bin/time): poll the process' peak RSS and CPU time
  let hwm = 0,
    cpu = 0,
    ioRead = 0;
  const poll = TIME
    ? undefined
    : setInterval(() => {
        try {
          const st = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          hwm = Math.max(hwm, Number(/VmHWM:\s*(\d+)/.exec(st)?.[1] ?? 0));
          const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          cpu = (Number(f[11]) + Number(f[12])) / CLK_TCK;
          ioRead = Number(/read_bytes:\s*(\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))?.[1] ?? ioRead);
        } catch {
          /* exited */
        }
      }, 20);
  const code = await new Promise((r) => child.on('close', r));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (poll) clearInterval(poll);
  if (typeof out === 'number') closeSync(out);
  const after = cpuTicks();
  let user = 0,
    sys = 0,
    rssKB = hwm,
    inBytes = ioRead;
  if (TIME) {
    const line = readFileSync(tfile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    rmSync(tfile, { force: true });
    [, user, sys, rssKB] = line;
    inBytes = line[4] * 512;
  } else user = cpu;
  if (code !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  // CPU used by everything else on the machine meanwhile, in cores
  const machineCpu = (after.busy - before.busy) / CLK_TCK;
  const otherCores = Math.max(0, (machineCpu - user - sys) / wall);
  return { wall, user, sys, cpu: user + sys, rssMB: rssKB / 1024, diskReadMB: inBytes / 2 ** 20, otherCores, stderr };
}

// ---------------------------------------------------------------------------------------------
// page cache

function residentShare(file) {
  const r = spawnSync('fincore', ['-b', '-n', '-o', 'RES', file], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return Number(r.stdout.trim()) / statSync(file).size;
}

function dropCaches(file) {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return 'sync; echo 3 > /proc/sys/vm/drop_caches';
  } catch (err) {
    // not root / read-only /proc: evict just this file's pages
    const py = spawnSync('python3', [
      '-c',
      'import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED)',
      file,
    ]);
    if (py.status === 0) return `posix_fadvise(DONTNEED) on the file (drop_caches failed: ${err.code ?? err.message})`;
    return undefined;
  }
}

async function warm(file) {
  // DAMON on this kind of VM pages out page-cache pages idle for about a minute: re-read first.
  await timed('cat', [file], { stdout: '/dev/null' });
  return residentShare(file);
}

// ---------------------------------------------------------------------------------------------

function fmt(n, d = 2) {
  return n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d);
}

function compareWithNumpy(wpFile, npFile) {
  const a = JSON.parse(readFileSync(wpFile, 'utf8')).tensors;
  const b = JSON.parse(readFileSync(npFile, 'utf8')).tensors;
  const problems = [];
  if (a.length !== b.length) problems.push(`tensor count ${a.length} vs ${b.length}`);
  const rel = (x, y) => Math.abs(x - y) / Math.max(1e-30, Math.abs(x), Math.abs(y));
  let agree = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const t = a[i],
      u = b[i];
    const bad = [];
    for (const k of ['name', 'sha256', 'valueDigest']) if (t[k] !== u[k]) bad.push(k);
    if (t.traits?.distinct !== u.traits?.distinct) bad.push('distinct');
    if (t.sample?.q !== u.sample?.q) bad.push('sample');
    if (t.fullRows?.q !== u.fullRows?.q) bad.push('fullRows');
    for (const k of ['mean', 'std', 'meanAbs', 'min', 'max', 'l2'])
      if (rel(t.moments[k], u.moments[k]) > 1e-9) bad.push(k);
    if (rel(t.traits?.structured ?? 0, u.traits?.structured ?? 0) > 1e-6) bad.push('structured');
    if (bad.length) problems.push(`${t.name}: ${bad.join(', ')}`);
    else agree++;
  }
  return { tensors: a.length, agree, problems: problems.slice(0, 10) };
}

async function main() {
  const m = machine();
  const started = new Date();
  log(`${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, node ${m.node}, numpy ${m.numpy ?? 'missing'}`);
  if (!TIME) log('/usr/bin/time not found (apt-get install time): measuring peak RSS by polling VmHWM');

  // the bundled CLI and worker
  if (!existsSync(cli) || (opt.cli === 'dist/cli.js' && !existsSync(join(root, 'dist/worker.js')))) {
    log(`${relative(root, cli)} or its worker is missing; bundling (node scripts/bundle.mjs cli worker)`);
    const r = spawnSync(process.execPath, [join(root, 'scripts/bundle.mjs'), 'cli', 'worker'], {
      stdio: 'inherit',
      cwd: root,
    });
    if (r.status !== 0 || !existsSync(cli)) {
      log(
        'bundling failed: the benchmark measures the bundled CLI (dist/cli.js + dist/worker.js); fix the bundle first',
      );
      process.exit(1);
    }
  }
  if (!existsSync(join(dirname(cli), 'worker.js')))
    log(`warning: no worker.js next to ${relative(root, cli)}: the full fingerprint will run on one thread`);
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .reduce((t, e) => Math.max(t, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs), 0);
  const stale = ['src/fingerprint', 'src/formats'].some((d) => newest(join(root, d)) > statSync(cli).mtimeMs);
  if (stale)
    log(
      `warning: src/fingerprint or src/formats is newer than ${relative(root, cli)}: run \`npm run build\` to measure the current code`,
    );

  // 1. the model
  let dir;
  try {
    await run(m, started, (d) => {
      dir = d;
      const stop = () => {
        if (!opt.keep) rmSync(d, { recursive: true, force: true });
        process.exit(130);
      };
      process.once('SIGINT', stop).once('SIGTERM', stop);
    });
  } finally {
    if (dir && !opt.keep) {
      rmSync(dir, { recursive: true, force: true });
      log(`removed ${dir}`);
    } else if (dir) log(`kept ${join(dir, 'model.safetensors')}`);
  }
}

async function run(m, started, setDir) {
  let dir, file, gen;
  if (opt.model) {
    file = resolve(opt.model);
  } else {
    dir = mkdtempSync(join(opt.dir, 'weightprint-bench-'));
    setDir(dir);
    file = join(dir, 'model.safetensors');
    log(`generating a ${sizeGiB} GiB BF16 model in ${dir}`);
    const t0 = performance.now();
    let last = 0;
    const plan = generateModel(file, sizeGiB, {
      onProgress: (n) => {
        if (n - last >= GiB) {
          last = n;
          log(`  ${(n / GiB).toFixed(0)} GiB written`);
        }
      },
    });
    const secs = (performance.now() - t0) / 1000;
    spawnSync('sync');
    gen = {
      seconds: secs,
      layers: plan.layers,
      tensors: plan.tensors.length,
      dims: plan.dims,
      parameters: plan.dataBytes / 2,
    };
    log(
      `  ${plan.tensors.length} tensors (${plan.layers} layers, hidden ${plan.dims.hidden}), ${(plan.fileBytes / GiB).toFixed(2)} GiB in ${secs.toFixed(0)} s`,
    );
  }
  const size = statSync(file).size;
  const gib = size / GiB;
  const fp = (name) => join(outDir, name);
  const cmds = {
    full: [process.execPath, [cli, 'fingerprint', file, '-o', fp('fp-full.json'), '-q']],
    sketch: [process.execPath, [cli, 'fingerprint', file, '--sketch', '-o', fp('fp-sketch.json'), '-q']],
    numpy: ['python3', [join(root, 'scripts/bench/numpy_fingerprint.py'), file, '-o', fp('fp-numpy.json')]],
    cat: ['cat', [file]],
  };
  const show = ([c, a]) =>
    [c === process.execPath ? 'node' : c, ...a]
      .map((s) => (relative(root, s).startsWith('..') ? s : relative(root, s) || s))
      .join(' ');

  const rows = [];
  const record = (label, cache, r, extra = {}) => {
    const row = { label, cache, ...r, gibps: gib / r.wall, ...extra };
    delete row.stderr;
    rows.push(row);
    log(
      `${label} (${cache}): ${r.wall.toFixed(2)} s, ${(gib / r.wall).toFixed(2)} GiB/s, cpu ${r.cpu.toFixed(1)} s, peak RSS ${r.rssMB.toFixed(0)} MB, other load ${r.otherCores.toFixed(2)} cores`,
    );
    return row;
  };
  const MAX_EXTRA = 2;
  const best = (list) => list.reduce((a, b) => (b.wall < a.wall ? b : a));

  // 2–5. in page cache
  log('warming up (cat, one untimed full fingerprint)');
  await warm(file);
  await timed(...cmds.full);

  const measure = async (key, label, cache, n, target = file) => {
    const all = [];
    // up to 2 extra runs while the best one was slowed by other processes (> 0.3 cores busy),
    // within 2 minutes per measurement
    const t0 = Date.now();
    for (let i = 0; i < n || (i < n + MAX_EXTRA && best(all).otherCores > 0.3 && Date.now() - t0 < 120_000); i++) {
      if (i >= n)
        log(`${label}: the best run so far had ${best(all).otherCores.toFixed(2)} cores of other load; one more run`);
      const resident = cache === 'page cache' ? await warm(target) : undefined;
      await waitForQuiet(label);
      const r = await timed(...cmds[key], key === 'cat' ? { stdout: '/dev/null' } : {});
      all.push({ ...r, resident });
    }
    const b = best(all);
    return record(label, cache, b, { runs: all.map((r) => +r.wall.toFixed(3)), resident: b.resident });
  };

  const catWarm = await measure('cat', 'cat file > /dev/null', 'page cache', runs);
  // SHA-256 alone: the one part of a full fingerprint that cannot be made cheaper, on one core and
  // on two threads at once (each half of the file)
  const baseline = await bundleScript('sha-count');
  cmds.sha = [process.execPath, [baseline, file, 'hash', '1']];
  cmds.sha2 = [process.execPath, [baseline, file, 'hash', '2']];
  const shaWarm = await measure('sha', 'SHA-256 alone, one core (node)', 'page cache', runs);
  const two = cpus().length >= 2;
  const sha2Warm = two
    ? await measure('sha2', 'SHA-256 alone, two threads at once (node)', 'page cache', runs)
    : undefined;
  // the ceiling with an exact count: SHA-256 and the fingerprint's 16-bit counting kernel, nothing else
  cmds.shaCount = [process.execPath, [baseline, file, 'count', '2']];
  const shaCountWarm = two
    ? await measure('shaCount', 'SHA-256 + 16-bit count, two threads, nothing else', 'page cache', runs)
    : undefined;
  const fullWarm = await measure('full', 'weightprint fingerprint (full)', 'page cache', runs);
  const numpyWarm =
    doNumpy && m.numpy
      ? await measure('numpy', 'numpy fingerprint (plain script)', 'page cache', numpyRuns)
      : undefined;
  const sketchWarm = await measure('sketch', 'weightprint fingerprint --sketch', 'page cache', runs);

  // 6. the same bytes as pytorch_model.bin
  let torchWarm;
  let torchAgree;
  if (doPytorch) {
    const torchDir = mkdtempSync(join(opt.dir, 'weightprint-bench-torch-'));
    try {
      const bin = join(torchDir, 'pytorch_model.bin');
      const converter = await bundleScript('to-pytorch');
      log(`re-containering the model as ${bin}`);
      const c = spawnSync(process.execPath, [converter, file, bin], { stdio: 'inherit' });
      if (c.status !== 0) throw new Error('to-pytorch failed');
      cmds.fullTorch = [process.execPath, [cli, 'fingerprint', bin, '-o', fp('fp-pytorch.json'), '-q']];
      torchWarm = await measure(
        'fullTorch',
        'weightprint fingerprint (full), pytorch_model.bin',
        'page cache',
        runs,
        bin,
      );
      const a = JSON.parse(readFileSync(fp('fp-full.json'), 'utf8')).tensors;
      const b = JSON.parse(readFileSync(fp('fp-pytorch.json'), 'utf8')).tensors;
      torchAgree = { tensors: a.length, agree: a.filter((t, i) => JSON.stringify(t) === JSON.stringify(b[i])).length };
    } finally {
      rmSync(torchDir, { recursive: true, force: true });
    }
  }

  // 7. the same model as GGUF (BF16, Q8_0, Q4_K)
  const ggufRows = [];
  if (doGguf) {
    const ggufDir = mkdtempSync(join(opt.dir, 'weightprint-bench-gguf-'));
    try {
      const converter = await bundleScript('to-gguf');
      for (const type of ['BF16', 'Q8_0', 'Q4_K']) {
        const g = join(ggufDir, `model-${type}.gguf`);
        log(`converting the model to ${g}`);
        const c = spawnSync(process.execPath, [converter, file, g, type], { stdio: 'inherit' });
        if (c.status !== 0) throw new Error('to-gguf failed');
        const key = `fullGguf${type}`;
        cmds[key] = [process.execPath, [cli, 'fingerprint', g, '-o', fp(`fp-gguf-${type}.json`), '-q']];
        const row = await measure(key, `weightprint fingerprint (full), GGUF ${type}`, 'page cache', runs, g);
        const cmp = spawnSync(
          process.execPath,
          [cli, 'compare', fp('fp-full.json'), fp(`fp-gguf-${type}.json`), '--json'],
          {
            encoding: 'utf8',
            maxBuffer: 256 * 2 ** 20,
          },
        );
        const verdict =
          cmp.status === 0 ? JSON.parse(cmp.stdout).verdict : `error: ${cmp.stderr.trim().split('\n')[0]}`;
        ggufRows.push({ type, row, bytes: statSync(g).size, verdict });
      }
    } finally {
      rmSync(ggufDir, { recursive: true, force: true });
    }
  }

  const fullDoc = JSON.parse(readFileSync(fp('fp-full.json'), 'utf8'));
  const sketchDoc = JSON.parse(readFileSync(fp('fp-sketch.json'), 'utf8'));
  const agreement = numpyWarm ? compareWithNumpy(fp('fp-full.json'), fp('fp-numpy.json')) : undefined;

  // 3–4. not in cache
  let catCold, fullCold, sketchCold, dropMethod;
  if (doCold) {
    const cold = async (key, label) => {
      dropMethod = dropCaches(file);
      if (!dropMethod) return undefined;
      const resident = residentShare(file);
      await waitForQuiet(label);
      const r = await timed(...cmds[key], key === 'cat' ? { stdout: '/dev/null' } : {});
      return record(label, 'cold', r, { resident, runs: [+r.wall.toFixed(3)] });
    };
    catCold = await cold('cat', 'cat file > /dev/null');
    if (catCold) {
      fullCold = await cold('full', 'weightprint fingerprint (full)');
      sketchCold = await cold('sketch', 'weightprint fingerprint --sketch');
    } else log('could not drop the page cache (not root?) and posix_fadvise failed: cold figures skipped');
  }

  // ------------------------------------------------------------------------------------------
  const pct = (x) => (x === undefined ? '–' : `${(100 * x).toFixed(x < 0.01 ? 2 : 0)} %`);
  const ratio = (a, b) => (a && b ? b.wall / a.wall : undefined);
  const sketchBytes = sketchDoc.source.bytesRead;
  const summary = {
    fullGiBps: fullWarm.gibps,
    numpyGiBps: numpyWarm?.gibps,
    speedupOverNumpy: ratio(fullWarm, numpyWarm),
    fullVsCatWarm: fullWarm.gibps / catWarm.gibps,
    shaGiBps: shaWarm.gibps,
    // the hash runs one tensor per core: two cores at most on this machine class
    shaBoundGiBps: shaWarm.gibps * Math.min(2, cpus().length),
    fullVsShaBound: fullWarm.gibps / (shaWarm.gibps * Math.min(2, cpus().length)),
    // two threads hashing at once: what two cores of this machine really give the hash
    sha2GiBps: sha2Warm?.gibps,
    fullVsSha2: sha2Warm ? fullWarm.gibps / sha2Warm.gibps : undefined,
    shaCountGiBps: shaCountWarm?.gibps,
    shaCountVsShaBound: shaCountWarm ? shaCountWarm.gibps / (shaWarm.gibps * 2) : undefined,
    fullVsCatCold: fullCold && catCold ? fullCold.gibps / catCold.gibps : undefined,
    sketchBytesRead: sketchBytes,
    sketchShareOfFile: sketchBytes / size,
    sketchDiskReadColdShare: sketchCold ? (sketchCold.diskReadMB * 2 ** 20) / size : undefined,
    sketchSpeedupWarm: ratio(sketchWarm, fullWarm),
    sketchSpeedupCold: ratio(sketchCold, fullCold),
    fullPeakRssMB: Math.max(...rows.filter((r) => r.label.includes('(full)')).map((r) => r.rssMB)),
    fullModeBytesReadReported: fullDoc.source.bytesRead,
  };
  const targets = [
    [
      'full fingerprint throughput, page cache',
      summary.fullGiBps,
      '≥ 2 GiB/s',
      summary.fullGiBps >= 2,
      `${fmt(summary.fullGiBps)} GiB/s`,
    ],
    [
      'full fingerprint vs the two-core SHA-256 bound',
      summary.fullVsShaBound,
      '≥ 75 %',
      summary.fullVsShaBound >= 0.75,
      `${pct(summary.fullVsShaBound)} (SHA-256 alone ${fmt(summary.shaGiBps)} GiB/s a core, ` +
        `bound ${fmt(summary.shaBoundGiBps)} GiB/s)`,
    ],
    [
      'full fingerprint vs SHA-256 alone on two threads at once',
      summary.fullVsSha2,
      '(measured bound)',
      undefined,
      summary.sha2GiBps === undefined
        ? '–'
        : `${pct(summary.fullVsSha2)} (two threads hashing at once: ${fmt(summary.sha2GiBps)} GiB/s)`,
    ],
    [
      'SHA-256 + 16-bit count alone vs the two-core SHA-256 bound',
      summary.shaCountVsShaBound,
      '(ceiling of an exact count)',
      undefined,
      summary.shaCountGiBps === undefined
        ? '–'
        : `${pct(summary.shaCountVsShaBound)} (${fmt(summary.shaCountGiBps)} GiB/s: hash and count only, two threads)`,
    ],
    [
      'full fingerprint vs numpy',
      summary.speedupOverNumpy,
      '≥ 4×',
      summary.speedupOverNumpy === undefined ? undefined : summary.speedupOverNumpy >= 4,
      `${fmt(summary.speedupOverNumpy, 1)}× (${fmt(summary.fullGiBps)} vs ${fmt(summary.numpyGiBps)} GiB/s)`,
    ],
    [
      'full fingerprint vs cat, page cache',
      summary.fullVsCatWarm,
      '(floor)',
      undefined,
      `${pct(summary.fullVsCatWarm)} of cat's throughput (cat ${fmt(catWarm.gibps)} GiB/s)`,
    ],
    [
      'full fingerprint vs cat, cold',
      summary.fullVsCatCold,
      '(floor)',
      undefined,
      summary.fullVsCatCold === undefined
        ? 'skipped'
        : `${pct(summary.fullVsCatCold)} of cat's throughput (cat ${fmt(catCold.gibps)} GiB/s)`,
    ],
    [
      'sketch: bytes read / file',
      summary.sketchShareOfFile,
      '< 1 %',
      summary.sketchShareOfFile < 0.01,
      `${pct(summary.sketchShareOfFile)} (${(sketchBytes / 2 ** 20).toFixed(1)} MiB of ${(size / 2 ** 20).toFixed(0)} MiB; from the disk, cold: ${summary.sketchDiskReadColdShare === undefined ? '–' : pct(summary.sketchDiskReadColdShare)})`,
    ],
    [
      'sketch speed-up over full',
      summary.sketchSpeedupWarm,
      '',
      undefined,
      `${fmt(summary.sketchSpeedupWarm, 0)}× in page cache, ${fmt(summary.sketchSpeedupCold, 0)}× cold`,
    ],
    [
      'peak RSS, full fingerprint',
      summary.fullPeakRssMB,
      '< 300 MB',
      summary.fullPeakRssMB < 300,
      `${summary.fullPeakRssMB.toFixed(0)} MB`,
    ],
  ];
  if (torchWarm) {
    const slower = torchWarm.wall / fullWarm.wall;
    summary.pytorchTimeRatio = slower;
    targets.push([
      'PyTorch .bin vs safetensors, same bytes (full)',
      slower,
      '≤ 2× the time',
      slower <= 2,
      `${fmt(slower)}× the time (${fmt(torchWarm.gibps)} vs ${fmt(fullWarm.gibps)} GiB/s); ` +
        `${torchAgree.agree}/${torchAgree.tensors} tensor fingerprints equal`,
    ]);
  }
  for (const { type, row, bytes, verdict } of ggufRows) {
    const slower = row.wall / fullWarm.wall;
    summary[`gguf${type}TimeRatio`] = slower;
    targets.push([
      `GGUF ${type} vs safetensors, same model (full)`,
      slower,
      '≤ 2× the time',
      slower <= 2,
      `${fmt(slower)}× the time (${fmt(row.wall)} vs ${fmt(fullWarm.wall)} s; file ${(bytes / GiB).toFixed(2)} GiB, ` +
        `${fmt(bytes / GiB / row.wall)} GiB/s of GGUF bytes); compare → ${verdict}`,
    ]);
  }
  if (agreement)
    targets.push([
      'numpy and weightprint agree',
      agreement.agree,
      'all',
      agreement.agree === agreement.tensors,
      `${agreement.agree}/${agreement.tensors} tensors (sha256, value digest, moments, sample, full rows)`,
    ]);

  const lines = [];
  lines.push(
    `### Benchmark: ${gib.toFixed(2)} GiB BF16 model${gen ? ` (${gen.tensors} tensors, ${gen.layers} layers, hidden ${gen.dims.hidden}, ffn ${gen.dims.ffn}, vocab ${gen.dims.vocab})` : ''}`,
  );
  lines.push('');
  lines.push(
    `Machine: ${m.cpu} (${m.cpuFlags.join(', ') || 'no sha_ni/avx2'}), ${m.cores} cores, ${m.ramGiB} GiB RAM, Linux ${m.kernel}; node ${m.node}; python ${m.python ?? '–'}, numpy ${m.numpy ?? '–'}.`,
  );
  lines.push(
    `Code: ${m.commit ?? '?'}; measured ${relative(root, cli)} (bundled ${new Date(statSync(cli).mtimeMs).toISOString().slice(0, 16)}Z).`,
  );
  lines.push(
    `Command: \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (${started.toISOString().slice(0, 16)}Z)`,
  );
  lines.push('');
  lines.push(
    '| measurement | cache | wall s | GiB/s | CPU s (per GiB) | peak RSS MB | other load (cores) | runs (s) |',
  );
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  if (gen) lines.push(`| generate model | – | ${fmt(gen.seconds, 1)} | ${fmt(gib / gen.seconds)} | – | – | – | 1 |`);
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${r.cache}${r.resident !== undefined ? ` (${pct(r.resident)} resident)` : ''} | ${fmt(r.wall)} | ${fmt(r.gibps)} | ${fmt(r.cpu, 1)} (${fmt(r.cpu / gib)}) | ${fmt(r.rssMB, 0)} | ${fmt(r.otherCores)} | ${r.runs.join(', ')} |`,
    );
  }
  lines.push('');
  lines.push('| figure | value | target |');
  lines.push('| --- | --- | --- |');
  for (const [name, , target, ok, text] of targets)
    lines.push(`| ${name} | ${text} | ${target}${ok === undefined ? '' : ok ? ' ✓' : ' ✗'} |`);
  lines.push('');
  lines.push('Commands (best of the runs listed; page cache re-warmed with `cat` before each warm run):');
  const shown = ['full', 'numpy', 'sketch', 'cat', 'sha', 'sha2', 'shaCount', 'fullTorch'];
  for (const k of shown) if (cmds[k]) lines.push(`- \`${show(cmds[k])}${k === 'cat' ? ' > /dev/null' : ''}\``);
  if (doCold) lines.push(`- cold: ${dropMethod ?? 'page cache could not be dropped: skipped'} before each cold run`);
  if (agreement?.problems.length) lines.push('', `numpy/weightprint disagreements: ${agreement.problems.join('; ')}`);
  if (summary.fullModeBytesReadReported < size / 2)
    lines.push(
      '',
      `note: the full fingerprint's source.bytesRead says ${summary.fullModeBytesReadReported} bytes (worker threads' reads are not counted).`,
    );
  const table = lines.join('\n');
  process.stdout.write(`${table}\n`);

  const result = {
    date: started.toISOString(),
    machine: m,
    model: { file, bytes: size, generated: gen },
    commands: Object.fromEntries(Object.entries(cmds).map(([k, v]) => [k, show(v)])),
    coldMethod: dropMethod,
    rows,
    summary,
    agreement,
    table,
  };
  writeFileSync(outJson, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${relative(root, outJson)}`);
}

main().catch((err) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
