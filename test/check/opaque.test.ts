/**
 * Exact evidence whatever the shape or class (issue 10, red team HOLES): a copy whose matrices are
 * stored flattened, flattened with a value appended, transposed then flattened, bitcast to I32 or
 * stored as U8 bytes is found through the registry (digests and element counts of every tensor)
 * and judged a copy; a model whose parameters are mostly in tensors the engine cannot compare is
 * never passed as a new architecture.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { parsePolicy } from '../../src/policy/load.js';
import { addEntry } from '../../src/registry/index.js';
import { fineTune, independent, makeBase, textSpec, type SynthModel } from '../../src/synth/index.js';
import { tempDir } from '../registry/fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let registry: string;
const spec = { text: textSpec() };
const a = makeBase(spec, 601);

type Layout = (name: string, shape: number[], values: Float32Array) => TensorToWrite;

const f32 = (v: Float32Array) => new Uint8Array(Float32Array.from(v).buffer);
const asIs: Layout = (name, shape, values) => ({ name, dtype: 'F32', shape, data: f32(values) });

function transpose(shape: number[], v: Float32Array): Float32Array {
  const [r, c] = [shape[0]!, shape[1]!];
  const out = new Float32Array(v.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j]!;
  return out;
}

/** Matrices only (2-D); 1-D tensors stay as they are. */
const matrices =
  (f: Layout): Layout =>
  (name, shape, values) =>
    shape.length === 2 ? f(name, shape, values) : asIs(name, shape, values);

const LAYOUTS: Record<string, Layout> = {
  flattened: matrices((name, _s, v) => ({ name, dtype: 'F32', shape: [v.length], data: f32(v) })),
  'flattened + 1': matrices((name, _s, v) => {
    const out = new Float32Array(v.length + 1);
    out.set(v);
    out[v.length] = 0.01;
    return { name, dtype: 'F32', shape: [out.length], data: f32(out) };
  }),
  'transposed, flattened': matrices((name, s, v) => ({
    name,
    dtype: 'F32',
    shape: [v.length],
    data: f32(transpose(s, v)),
  })),
  'bitcast to I32': matrices((name, s, v) => ({ name, dtype: 'I32', shape: s, data: f32(v) })),
  'stored as U8 bytes': matrices((name, _s, v) => ({ name, dtype: 'U8', shape: [4 * v.length], data: f32(v) })),
};

let n = 0;
async function write(m: SynthModel, layout: Layout): Promise<string> {
  const dir = join(tmp.dir, `m${n++}`);
  await mkdir(dir, { recursive: true });
  const tensors = [...m.tensors].map(([name, t]) => layout(name, t.shape, t.values));
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(tensors));
  return dir;
}

async function check(dir: string, opts: { mode?: 'sketch' | 'full'; policy?: string } = {}) {
  const [r] = await runCheck({
    models: [dir],
    registries: [registry],
    noBuiltin: true,
    ...(opts.mode ? { mode: opts.mode } : {}),
    ...(opts.policy ? { policy: parsePolicy(opts.policy, 'test-policy.yml') } : {}),
  });
  return r!;
}

beforeAll(async () => {
  tmp = await tempDir('opaque');
  registry = join(tmp.dir, 'registry');
  const fp = await loadFingerprint(await write(a, asIs));
  await addEntry(registry, fp, { id: 'hf:known/a@main', license: 'MIT', family: 'known' });
}, 120_000);

afterAll(async () => {
  await tmp.cleanup();
});

describe('a copy is found and judged whatever the rank, shape or dtype of its tensors', () => {
  it.each(Object.keys(LAYOUTS))('%s: an exact copy fails the policy', async (name) => {
    const r = await check(await write(a, LAYOUTS[name]!));
    expect(r.registry?.shortlisted, name).toBe(1);
    expect(['identical', 'derived'], `${name}: ${r.policy.reasons.join('; ')}`).toContain(r.verdict);
    expect(r.policy.result).toBe('fail');
  });

  it.each(['flattened', 'flattened + 1', 'transposed, flattened'])(
    '%s: a fine-tune is derived, compared in flat order',
    async (name) => {
      const r = await check(await write(fineTune(a, 0.1, 602), LAYOUTS[name]!));
      expect(r.verdict, r.policy.reasons.join('; ')).toBe('derived');
      expect(r.policy.result).toBe('fail');
    },
  );
});

describe('a model held mostly in tensors the engine cannot compare is not a new architecture', () => {
  it('an unrelated model of another width, flattened and bitcast, is inconclusive and says why', async () => {
    const other = independent({ text: textSpec({ hidden: 96, ffn: 272, vocab: 448, heads: 6, kvHeads: 3 }) }, 603);
    let i = 0;
    // half the matrices flattened, half bitcast: no element count or digest in common with A
    const r = await check(
      await write(
        other,
        matrices((name, s, v) => (i++ % 2 ? LAYOUTS.flattened!(name, s, v) : LAYOUTS['bitcast to I32']!(name, s, v))),
      ),
    );
    expect(r.registry?.compared).toBe(0);
    expect(r.verdict).toBe('inconclusive');
    // no real release stores its matrices this way: on-opaque fails by default (contract of the lead's
    // gate decision; it warned before), and a policy can relax it
    expect(r.policy.result).toBe('fail');
    expect(r.policy.reasons.join('\n')).toMatch(/fail \(on-opaque\): inconclusive: \d+ % of the model's parameters/);
  });

  it('on-opaque: warn relaxes it', async () => {
    const other = independent({ text: textSpec({ hidden: 96, ffn: 272, vocab: 448, heads: 6, kvHeads: 3 }) }, 605);
    const r = await check(await write(other, LAYOUTS.flattened!), { policy: 'on-opaque: warn\n' });
    expect(r.verdict).toBe('inconclusive');
    expect(r.policy.result).toBe('warn');
    expect(() => parsePolicy('on-opaque: maybe\n', 'p.yml')).toThrow(/on-opaque.*pass, warn or fail/);
  });

  // red team: F32 values bitcast to I32 after a fine-tune read as integer "matrices" of A's shapes and
  // passed as a new architecture (full and sketch); integers without a decoder are opaque
  it.each(['full', 'sketch'] as const)('a fine-tune bitcast to I32 is not passed (%s)', async (mode) => {
    const tuned = fineTune(a, 0.1, 606);
    const r = await check(await write(tuned, LAYOUTS['bitcast to I32']!), { mode });
    expect(r.verdict).not.toBe('independent');
    expect(r.policy.result, r.policy.reasons.join('; ')).toBe('fail');
  });

  it('a fine-tune with every tensor renamed into a "mask" buffer is not passed', async () => {
    const tuned = fineTune(a, 0.1, 604);
    const r = await check(await write(tuned, (name, s, v) => asIs(name.replace(/weight$/, 'mask'), s, v)));
    expect(r.verdict).not.toBe('independent');
    expect(r.policy.result).not.toBe('pass');
    expect(r.policy.reasons.join('\n')).toMatch(/\d+ % of the model's parameters are in 1-D, byte-only/);
  });

  it('the same model with its matrices as matrices is a new architecture and passes', async () => {
    const other = independent({ text: textSpec({ hidden: 96, ffn: 272, vocab: 448, heads: 6, kvHeads: 3 }) }, 603);
    const r = await check(await write(other, asIs));
    expect(r.verdict).toBe('independent');
    expect(r.policy.result).toBe('pass');
  });
});
