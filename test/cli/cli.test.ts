import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { encodeFromFloat32 } from '../../src/formats/dtypes.js';
import { type Bundles, buildBundles } from '../helpers/bundle.js';

const ROOT = resolve(__dirname, '../..');
const REAL = resolve(ROOT, '../shared/realmodels');
const HAVE_REAL = existsSync(join(REAL, 'pairs.json'));

// The CLI is what users run: test the bundle, built from the sources under test into a temporary directory.
let bundles: Bundles;
let CLI: string;

function run(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...bundles.env, CI: 'true' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function model(seed: number, rows = 256, cols = 128): Uint8Array {
  let s = seed;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 4294967296 - 0.5) * 0.04;
  };
  const w = Float32Array.from({ length: rows * cols }, next);
  const g = Float32Array.from({ length: cols }, () => 1 + next());
  return encodeSafetensors([
    {
      name: 'model.layers.0.mlp.up_proj.weight',
      dtype: 'BF16',
      shape: [rows, cols],
      data: encodeFromFloat32('BF16', w),
    },
    { name: 'model.layers.0.input_layernorm.weight', dtype: 'F32', shape: [cols], data: new Uint8Array(g.buffer) },
  ]);
}

let dir: string;
beforeAll(async () => {
  bundles = await buildBundles(['cli', 'worker']);
  CLI = join(bundles.dir, 'cli.js');
  dir = await mkdtemp(join(tmpdir(), 'wp-cli-'));
});
afterAll(async () => {
  await bundles?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('weightprint CLI', () => {
  it('prints usage and rejects unknown commands with exit 2', () => {
    expect(run(['--help']).code).toBe(0);
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('fingerprints a file to JSON and writes -o atomically', async () => {
    const file = join(dir, 'm.safetensors');
    await writeFile(file, model(1));
    const out = join(dir, 'm.fp.json');
    const r = run(['fingerprint', file, '--json', '-o', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('weightprint.fingerprint/2');
    expect(doc.tensors).toHaveLength(2);
    // worker threads read the file themselves; their bytes count too
    expect(doc.source.bytesRead).toBeGreaterThanOrEqual(
      doc.tensors.reduce((n: number, t: { bytes: number }) => n + t.bytes, 0),
    );
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(doc);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes to a device in place instead of renaming over it (-o /dev/null)', async () => {
    const file = join(dir, 'dev.safetensors');
    await writeFile(file, model(6));
    expect(run(['fingerprint', file, '-o', '/dev/null', '-q']).code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('reports bad input in one line naming the file, exit 2, no stack, no output file', async () => {
    const file = join(dir, 'truncated.safetensors');
    const bytes = model(2);
    await writeFile(file, bytes.subarray(0, bytes.length - 100));
    const out = join(dir, 'never.json');
    const r = run(['fingerprint', file, '-o', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^weightprint: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('exits quietly when the reader closes the pipe early (| head)', async () => {
    // ~60 tensors' samples: far more JSON than a pipe buffers, so the write outlives `head`
    const file = join(dir, 'pipe.safetensors');
    const tensors = Array.from({ length: 60 }, (_, i) => {
      const v = Float32Array.from({ length: 64 * 64 }, (_, j) => Math.sin(i * 7919 + j * 104729));
      return { name: `layers.${i}.w`, dtype: 'F32', shape: [64, 64], data: new Uint8Array(v.buffer) };
    });
    await writeFile(file, encodeSafetensors(tensors));
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${CLI}" fingerprint "${file}" --json -q | head -c 10 >/dev/null; ` +
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash parameter expansion, not a JS template
          'echo "${PIPESTATUS[0]}"',
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toBe('0');
    expect(r.stderr).not.toMatch(/EPIPE|at /);
  });

  it('explains a Git LFS pointer and how to fetch the object', async () => {
    const file = join(dir, 'pointer.safetensors');
    await writeFile(file, `version https://git-lfs.github.com/spec/v1\noid sha256:${'a'.repeat(64)}\nsize 123456\n`);
    const r = run(['fingerprint', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LFS/);
    expect(r.stderr).toMatch(/git lfs pull/);
  });

  it('check --json: one model prints its result object; several print {verdict, policy, models}', async () => {
    const base = join(dir, 'check-base.safetensors');
    const other = join(dir, 'check-other.safetensors');
    await writeFile(base, model(7));
    await writeFile(other, model(8));
    const reg = join(dir, 'check-registry');
    expect(run(['registry', 'add', base, '--id', 'test/base', '--registry', reg]).code).toBe(0);
    const args = ['--registry', reg, '--no-builtin', '--json', '-q'];

    const one = run(['check', base, ...args]);
    expect(one.code).toBe(1); // an undeclared copy fails the default policy
    const single = JSON.parse(one.stdout);
    expect(Array.isArray(single)).toBe(false);
    expect(single).toMatchObject({ model: base, verdict: 'identical', policy: { result: 'fail' } });
    expect(single.matches[0]).toMatchObject({ entry: 'test/base', verdict: 'identical' });
    expect(single.models).toBeUndefined();

    const two = JSON.parse(run(['check', other, base, ...args]).stdout);
    expect(two).toMatchObject({ verdict: 'identical', policy: { result: 'fail' } });
    expect(two.models.map((m: { model: string }) => m.model)).toEqual([other, base]);
    expect(two.policy.reasons.every((r: string) => r.startsWith(`${base}: `))).toBe(true);
    expect(two.matches).toBeUndefined();
  });

  it('compares two fingerprint files on their own (exit 0 whatever the verdict)', async () => {
    const a = join(dir, 'a.safetensors');
    const b = join(dir, 'b.safetensors');
    await writeFile(a, model(3));
    await writeFile(b, model(4));
    expect(run(['fingerprint', a, '-o', join(dir, 'a.json'), '-q']).code).toBe(0);
    expect(run(['fingerprint', b, '-o', join(dir, 'b.json'), '-q']).code).toBe(0);
    const same = run(['compare', join(dir, 'a.json'), join(dir, 'a.json'), '--json']);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).verdict).toBe('identical');
    const other = run(['compare', join(dir, 'a.json'), b, '--json']);
    expect(other.code).toBe(0);
    expect(['independent', 'inconclusive']).toContain(JSON.parse(other.stdout).verdict);
    const md = run(['compare', join(dir, 'a.json'), join(dir, 'a.json'), '--markdown']);
    expect(md.stdout).toMatch(/^### Weightprint: /);
  });

  it('--sketch and --full on every command that reads a model (compare too); both at once: usage error', async () => {
    const a = join(dir, 'mode-a.safetensors');
    const b = join(dir, 'mode-b.safetensors');
    await writeFile(a, model(11));
    await writeFile(b, model(12));
    for (const [flag, mode] of [
      ['--sketch', 'sample'],
      ['--full', 'full'],
    ] as const) {
      const cmp = run(['compare', a, b, '--json', '-q', flag]);
      expect(cmp.code).toBe(0);
      const r = JSON.parse(cmp.stdout);
      expect([r.a.mode, r.b.mode]).toEqual([mode, mode]);
      const reg = join(dir, `mode-registry-${mode}`);
      const add = run(['registry', 'add', a, '--id', `test/${mode}`, '--registry', reg, flag]);
      expect(add.code).toBe(0);
      expect(add.stdout).toContain(`${mode} fingerprint`);
      const chk = run(['check', b, '--registry', reg, '--no-builtin', '--json', '-q', flag]);
      expect([0, 1]).toContain(chk.code); // by policy, never bad input
      expect(JSON.parse(chk.stdout).fingerprint).toMatchObject({
        mode: mode === 'sample' ? 'sketch' : 'full',
        why: `mode ${mode === 'sample' ? 'sketch' : 'full'}`,
      });
    }
    // without a flag a local model is read in full
    const reg = join(dir, 'mode-registry-full');
    const plain = JSON.parse(run(['check', b, '--registry', reg, '--no-builtin', '--json', '-q']).stdout);
    expect(plain.fingerprint).toMatchObject({ mode: 'full', why: 'default for local models' });
    for (const cmd of [
      ['compare', a, b],
      ['check', a],
      ['fingerprint', a],
      ['registry', 'add', a, '--id', 'x'],
    ]) {
      const both = run([...cmd, '--sketch', '--full', '-q'].filter((x) => !(cmd[0] === 'registry' && x === '-q')));
      expect(both.code).toBe(2);
      expect(both.stderr.trim()).toBe('weightprint: usage: choose one of --sketch and --full');
    }
  });

  it('prints periodic progress lines when stderr is not a terminal', async () => {
    const file = join(dir, 'big.safetensors');
    await writeFile(file, model(5, 4096, 1024));
    const r = run(['fingerprint', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^fingerprint: \d+% \(/m);
    expect(r.stdout).toMatch(/components/);
  });

  it.skipIf(!HAVE_REAL)('fingerprints every real model file with --json', () => {
    const files = readdirSync(REAL).filter((f) => f.endsWith('.safetensors'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const r = run(['fingerprint', join(REAL, f), '--json', '-q']);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).tensors.length).toBeGreaterThan(0);
    }
  });

  it('runs the demo offline and prints its verdicts', () => {
    const r = run(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/base vs fine-tune of the base \(declared\)\nDERIVED/);
    expect(r.stdout).toMatch(/base vs independent model, same architecture\nINDEPENDENT/);
    expect(r.stdout).toMatch(/claiming "from scratch"\nDERIVED .*vision encoder/);
  });
});
