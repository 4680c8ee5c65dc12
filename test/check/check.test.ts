/**
 * `check` end to end on generated models: the right entry named, lineage against the card,
 * policy (allowed vision reuse, undeclared reuse), T-Class grades per component, the CLI's exit
 * codes and output formats.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import type { CheckResult } from '../../src/check/types.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { registryCommand } from '../../src/cli/commands/registry.js';
import { addEntry, signatureFingerprint } from '../../src/registry/index.js';
import { depthUpscale, fineTune, independent, transplantVision, withCard } from '../../src/synth/derive.js';
import { writeModelDir } from '../../src/synth/write.js';
import { base, fingerprintSynth, SMALL, tempDir, VLM } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let registry: string;
const models: Record<string, string> = {};
let policyFile: string;

beforeAll(async () => {
  tmp = await tempDir('check');
  registry = join(tmp.dir, 'registry');
  const A = base(SMALL, 21, 'synth/base');
  const D = base(VLM, 22, 'synth/donor-vl');
  const { fp: fpA } = await fingerprintSynth(tmp.dir, A, 'A');
  const { fp: fpD } = await fingerprintSynth(tmp.dir, D, 'D');
  await addEntry(registry, fpA, { id: 'hf:synth/base@main', license: 'Synth Community License', family: 'synth-llm' });
  await addEntry(registry, fpD, { id: 'hf:synth/donor-vl@main', license: 'Apache-2.0', family: 'synth-vl' });
  await addEntry(registry, signatureFingerprint('config/synth-base', { config: fpA.config! }), {
    id: 'config/synth-base',
    license: 'Synth Community License',
    family: 'synth-llm',
    kind: 'config',
  });

  const write = async (name: string, m: Parameters<typeof writeModelDir>[0]) => {
    models[name] = await writeModelDir(m, join(tmp.dir, 'models', name));
  };
  await write('tuned-declared', withCard(fineTune(A, 0.15, 1), 'synth/tuned', ['synth/base']));
  await write('tuned-undeclared', withCard(fineTune(A, 0.15, 2), 'synth/tuned2'));
  await write('vl-declared', withCard(transplantVision(D, { seed: 23 }), 'synth/my-vl', ['synth/donor-vl']));
  await write('vl-undeclared', withCard(transplantVision(D, { seed: 24 }), 'synth/my-vl2'));
  await write('own-same-config', withCard(independent(SMALL, 25, 'synth/own'), 'synth/own'));
  await write('upscaled', withCard(depthUpscale(A, 2), 'synth/up', ['synth/base']));
  policyFile = join(tmp.dir, 'policy.yml');
  // the donor's merger (projector) comes along with its vision tower
  await writeFile(
    policyFile,
    `allow:
  - { component: vision, licenses: [Apache-2.0, MIT], require-declared: true }
  - { component: projector, licenses: [Apache-2.0, MIT], require-declared: true }
grades: t-class-2.0
`,
  );
}, 300_000);

afterAll(async () => {
  await tmp.cleanup();
});

async function check(name: string, policy = policyFile): Promise<CheckResult> {
  const [r] = await runCheck({ models: [models[name]!], registries: [registry], noBuiltin: true, policy });
  return r!;
}

describe('runCheck on generated models', () => {
  it('a declared fine-tune: derived from its base, policy warns, text decoder T1', async () => {
    const r = await check('tuned-declared');
    expect(r.verdict).toBe('derived');
    expect(r.matches[0]!.entry).toBe('hf:synth/base@main');
    expect(r.matches[0]!.verdict).toBe('derived');
    expect(r.policy.result).toBe('warn');
    expect(r.policy.reasons[0]).toMatch(/^warn \(derived-declared\): .* derived from hf:synth\/base@main/);
    expect(r.policy.grades!['text decoder']).toBe('T1 — fine-tune: hf:synth/base@main');
  });

  it('an undeclared fine-tune fails', async () => {
    const r = await check('tuned-undeclared');
    expect(r.policy.result).toBe('fail');
    expect(r.policy.reasons.some((x) => /^fail \(derived-undeclared\)/.test(x))).toBe(true);
  });

  it('a reused vision encoder, declared from an Apache-2.0 entry: allowed; graded per component', async () => {
    const r = await check('vl-declared');
    expect(r.verdict).toBe('derived');
    expect(r.matches[0]!.entry).toBe('hf:synth/donor-vl@main');
    expect(r.policy.result).toBe('pass');
    expect(r.policy.reasons.some((x) => /^info \(allowed-reuse\): vision encoder/.test(x))).toBe(true);
    expect(r.policy.grades!['vision encoder']).toBe('T1 — fine-tune: hf:synth/donor-vl@main');
    expect(r.policy.grades!['text decoder']).toMatch(/^T(4-2|5) /);
    console.log('vl-declared grades:', r.policy.grades);
  });

  it('the same reuse undeclared fails', async () => {
    const r = await check('vl-undeclared');
    expect(r.policy.result).toBe('fail');
    expect(r.policy.reasons.find((x) => x.startsWith('fail'))).toMatch(/vision encoder .* not declared in base_model/);
  });

  it('own weights on a known config: independent, T4-1 naming the config entry', async () => {
    const r = await check('own-same-config');
    expect(r.verdict).toBe('independent');
    expect(r.matches.filter((m) => m.verdict === 'derived' || m.verdict === 'identical')).toEqual([]);
    expect(r.policy.result).toBe('pass');
    expect(r.policy.grades!['text decoder']).toBe(
      'T4-1 — own weights, borrowed architecture (same config): config/synth-base',
    );
    expect(r.matches.some((m) => m.entry === 'config/synth-base')).toBe(true);
  });

  it('depth up-scaling: derived, graded T3', async () => {
    const r = await check('upscaled');
    expect(r.verdict).toMatch(/derived|identical/);
    expect(r.policy.grades!['text decoder']).toMatch(/^T3 — expansion or merge: hf:synth\/base@main/);
  });

  it('the JSON shape the Action and App read', async () => {
    const r = await check('tuned-declared');
    expect(Object.keys(r).sort()).toEqual([
      'challenge',
      'fingerprint',
      'matches',
      'model',
      'policy',
      'registry',
      'verdict',
    ]);
    // the challenge sample (issue 10): what was re-read at a private seed, per entry
    expect(r.challenge).toMatchObject({ setting: 'auto', limit: 4 });
    expect(Array.isArray(r.challenge!.entries)).toBe(true);
    expect(r.model).toBe(models['tuned-declared']);
    // how the model was read (issue 13): a local model is read in full by default
    expect(r.fingerprint).toMatchObject({ mode: 'full', why: 'default for local models' });
    expect(r.fingerprint!.bytesRead).toBe(r.fingerprint!.totalBytes);
    const m = r.matches[0]!;
    for (const k of ['entry', 'verdict', 'confidence', 'reason', 'a', 'b', 'components', 'not_compared'])
      expect(m).toHaveProperty(k);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('weightprint check (CLI)', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    return {
      out,
      err,
      restore: () => {
        o.mockRestore();
        e.mockRestore();
      },
    };
  }

  it('exit 1 on a policy failure, 0 on pass; --json prints the one model result', async () => {
    let c = capture();
    let code: number;
    try {
      code = await checkCommand([
        models['tuned-undeclared']!,
        '--registry',
        registry,
        '--no-builtin',
        '--json',
        '--policy',
        policyFile,
      ]);
    } finally {
      c.restore();
    }
    expect(code).toBe(1);
    // one model: its result object itself (issue 9 contract; it was an array of one)
    const json = JSON.parse(c.out.join('')) as CheckResult;
    expect(Array.isArray(json)).toBe(false);
    expect(json.model).toBe(models['tuned-undeclared']);
    expect(json.policy.result).toBe('fail');
    expect(c.err.join('')).toMatch(/registry entries shortlisted/);

    c = capture();
    try {
      code = await checkCommand([
        models['vl-declared']!,
        '--registry',
        registry,
        '--no-builtin',
        '--policy',
        policyFile,
        '-q',
      ]);
    } finally {
      c.restore();
    }
    expect(code).toBe(0);
    expect(c.out.join('')).toMatch(/derived · policy pass/);
    expect(c.err.join('')).toBe('');
  });

  it('exit codes come from the policy (warn can fail CI)', async () => {
    const strict = join(tmp.dir, 'strict.yml');
    await writeFile(strict, 'exit-codes: { warn: 3 }\n');
    const c = capture();
    let code: number;
    try {
      code = await checkCommand([
        models['tuned-declared']!,
        '--registry',
        registry,
        '--no-builtin',
        '--policy',
        strict,
        '-q',
      ]);
    } finally {
      c.restore();
    }
    expect(code).toBe(3);
  });

  it('--markdown renders the report', async () => {
    const c = capture();
    try {
      await checkCommand([
        models['vl-declared']!,
        '--registry',
        registry,
        '--no-builtin',
        '--policy',
        policyFile,
        '--markdown',
        '-q',
      ]);
    } finally {
      c.restore();
    }
    const md = c.out.join('');
    expect(md).toMatch(/## Weightprint provenance report/);
    expect(md).toMatch(/vision encoder \| T1 — fine-tune/);
  });

  it('bad input: a missing model or policy is an InputError (exit 2 via main)', async () => {
    await expect(checkCommand([join(tmp.dir, 'nope'), '--registry', registry, '--no-builtin', '-q'])).rejects.toThrow(
      /no such file or directory/,
    );
    await expect(
      checkCommand([models['tuned-declared']!, '--policy', join(tmp.dir, 'missing.yml'), '-q']),
    ).rejects.toThrow(/missing.yml: no such file/);
    await expect(checkCommand([])).rejects.toThrow(/at least one model/);
  });
});

describe('weightprint registry (CLI)', () => {
  it('add, list, verify, remove', async () => {
    const dir = join(tmp.dir, 'cli-registry');
    const out: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(
        await registryCommand([
          'add',
          models['own-same-config']!,
          '--id',
          'local/own',
          '--registry',
          dir,
          '--license',
          'MIT',
          '--family',
          'synth',
        ]),
      ).toBe(0);
      expect(await registryCommand(['list', '--registry', dir, '--no-builtin'])).toBe(0);
      expect(await registryCommand(['verify', '--registry', dir, '--no-builtin'])).toBe(0);
      expect(await registryCommand(['remove', 'local/own', '--registry', dir])).toBe(0);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    const text = out.join('');
    expect(text).toMatch(/added local\/own \(weights, full fingerprint/);
    expect(text).toMatch(/local\/own\s+weights\s+synth\s+MIT/);
    expect(text).toMatch(/1 entries verified, 0 bad/);
    expect(text).toMatch(/removed local\/own/);
    await expect(registryCommand(['remove', 'local/own', '--registry', dir])).rejects.toThrow(/no entry "local\/own"/);
    await expect(registryCommand(['frobnicate'])).rejects.toThrow(/subcommand/);
  });
});
