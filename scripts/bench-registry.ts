/**
 * Registry benchmark: 1,000 generated entries (100 architectures × 10 independent models each,
 * sample-mode-sized fingerprints), then `check` of one model against all of them. Reports the
 * time and how many entry files were loaded, which must follow the shortlist, not the registry
 * size. Run with `node scripts/bench-registry.mjs [entries]`; no timing assertions anywhere.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFingerprint } from '../src/check/run.js';
import { groupComponents } from '../src/fingerprint/components.js';
import { summarise } from '../src/fingerprint/model.js';
import { DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, RUNS_LAYOUT, planSample, encodeQ } from '../src/fingerprint/sample.js';
import { FINGERPRINT_SCHEMA, type FingerprintDocument, type TensorFingerprint } from '../src/fingerprint/types.js';
import { addEntries, openRegistry, type AddEntryOptions } from '../src/registry/index.js';
import { VERSION } from '../src/version.js';

interface Arch {
  hidden: number;
  ffn: number;
  layers: number;
  vocab: number;
}

/** Deterministic PRNG so the benchmark is the same run to run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function archs(n: number): Arch[] {
  const r = rng(7);
  const out: Arch[] = [];
  for (let i = 0; i < n; i++) {
    const hidden = 64 * (4 + Math.floor(r() * 60));
    out.push({
      hidden,
      ffn: 64 * (8 + Math.floor(r() * 160)),
      layers: 2 + Math.floor(r() * 3),
      vocab: 1000 * (8 + Math.floor(r() * 150)),
    });
  }
  return out;
}

function shapes(a: Arch): Array<{ name: string; shape: number[] }> {
  const out = [{ name: 'model.embed_tokens.weight', shape: [a.vocab, a.hidden] }];
  for (let l = 0; l < a.layers; l++) {
    const p = `model.layers.${l}`;
    out.push(
      { name: `${p}.self_attn.q_proj.weight`, shape: [a.hidden, a.hidden] },
      { name: `${p}.self_attn.k_proj.weight`, shape: [a.hidden / 4, a.hidden] },
      { name: `${p}.self_attn.v_proj.weight`, shape: [a.hidden / 4, a.hidden] },
      { name: `${p}.self_attn.o_proj.weight`, shape: [a.hidden, a.hidden] },
      { name: `${p}.mlp.gate_proj.weight`, shape: [a.ffn, a.hidden] },
      { name: `${p}.mlp.up_proj.weight`, shape: [a.ffn, a.hidden] },
      { name: `${p}.mlp.down_proj.weight`, shape: [a.hidden, a.ffn] },
      { name: `${p}.input_layernorm.weight`, shape: [a.hidden] },
    );
  }
  out.push({ name: 'model.norm.weight', shape: [a.hidden] }, { name: 'lm_head.weight', shape: [a.vocab, a.hidden] });
  return out;
}

/** Standard-normal int8 sample values; `base` + noise makes a correlated (derived) copy. */
function sampleValues(n: number, r: () => number, base?: Int8Array, keep = 0.9): Int8Array {
  const q = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const v = base ? keep * (base[i]! / 25) + Math.sqrt(1 - keep * keep) * g : g;
    q[i] = Math.max(-127, Math.min(127, Math.round(25 * v)));
  }
  return q;
}

function tensor(name: string, shape: number[], r: () => number, base?: TensorFingerprint): TensorFingerprint {
  const plan = planSample(shape, DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, RUNS_LAYOUT);
  const n = plan.rows.length * plan.cols.length;
  const q = sampleValues(n, r, base?.sample ? new Int8Array(Buffer.from(base.sample.q, 'base64')) : undefined);
  const numel = shape.reduce((a, b) => a * b, 1);
  return {
    name,
    dtype: 'BF16',
    shape,
    bytes: numel * 2,
    moments: {
      mean: 0,
      std: 0.02,
      meanAbs: 0.016,
      min: -0.1,
      max: 0.1,
      l2: 0.02 * Math.sqrt(numel),
      nonFinite: 0,
      exact: false,
    },
    sample: { rows: plan.rows.length, cols: plan.cols.length, center: 0, scale: 0.02 / 25, q: encodeQ(q) },
  };
}

function doc(id: string, tensors: TensorFingerprint[]): FingerprintDocument {
  return {
    schema: FINGERPRINT_SCHEMA,
    tool: { name: 'weightprint', version: VERSION },
    source: {
      id,
      kind: 'hub',
      files: ['model.safetensors'],
      totalBytes: tensors.reduce((s, t) => s + t.bytes, 0),
      bytesRead: 0,
    },
    mode: 'sample',
    sampling: {
      k: DEFAULT_SAMPLE_K,
      seed: DEFAULT_SAMPLE_SEED,
      encoding: 'int8',
      layout: 'runs',
      runsAbove: RUNS_LAYOUT.runsAbove,
    },
    summary: summarise(tensors),
    tensors,
    components: groupComponents(tensors),
  };
}

export async function benchRegistry(
  entries = 1000,
  log: (line: string) => void = console.log,
): Promise<Record<string, number | string>> {
  const perArch = 10;
  const pool = archs(Math.ceil(entries / perArch));
  const dir = await mkdtemp(join(tmpdir(), 'weightprint-bench-registry-'));
  try {
    let t0 = performance.now();
    const items: Array<{ fp: FingerprintDocument; opts: AddEntryOptions }> = [];
    const docs: FingerprintDocument[] = [];
    for (let i = 0; i < entries; i++) {
      const arch = pool[Math.floor(i / perArch)]!;
      const r = rng(1000 + i);
      const id = `bench/model-${String(i).padStart(4, '0')}`;
      const fp = doc(
        id,
        shapes(arch).map((s) => tensor(s.name, s.shape, r)),
      );
      docs.push(fp);
      items.push({ fp, opts: { id, license: 'Apache-2.0', family: `arch-${Math.floor(i / perArch)}`, demo: true } });
    }
    await addEntries(dir, items);
    const buildMs = performance.now() - t0;
    const indexBytes = (await stat(join(dir, 'index.json'))).size;
    log(
      `built ${entries} entries (${pool.length} architectures × ${perArch}) in ${(buildMs / 1000).toFixed(1)} s; index.json ${(indexBytes / 1024).toFixed(0)} KiB`,
    );

    // the model under test: a fine-tune of entry 437 (its shapes are shared by 9 other entries)
    const target = 437;
    const r = rng(99);
    const query = doc(
      'bench/fine-tune-of-437',
      docs[target]!.tensors.map((t) => tensor(t.name, t.shape, r, t)),
    );
    const results: Record<string, number | string> = { entries, indexKiB: Math.round(indexBytes / 1024) };

    t0 = performance.now();
    const registry = await openRegistry(dir);
    const openMs = performance.now() - t0;
    t0 = performance.now();
    const result = await checkFingerprint(query, registry);
    const checkMs = performance.now() - t0;
    const shortlisted = registry.shortlist(query).length;
    log(
      `open (index load): ${openMs.toFixed(0)} ms; check one model: ${checkMs.toFixed(0)} ms; shortlisted ${shortlisted} of ${entries}; entry files loaded ${registry.entryFilesLoaded}; verdict ${result.verdict}, top ${result.matches[0]?.entry} (${result.matches[0]?.verdict})`,
    );
    Object.assign(results, {
      openMs: Math.round(openMs),
      checkMs: Math.round(checkMs),
      totalMs: Math.round(openMs + checkMs),
      shortlisted,
      loaded: registry.entryFilesLoaded,
      verdict: result.verdict,
      top: result.matches[0]?.entry ?? '',
    });

    // a model sharing no shapes with the registry loads nothing
    const other = doc(
      'bench/unrelated',
      shapes({ hidden: 4160, ffn: 11008, layers: 2, vocab: 1234 }).map((s) => tensor(s.name, s.shape, rng(5))),
    );
    const reg2 = await openRegistry(dir);
    t0 = performance.now();
    const r2 = await checkFingerprint(other, reg2);
    log(
      `unrelated model: ${(performance.now() - t0).toFixed(0)} ms, entry files loaded ${reg2.entryFilesLoaded}, verdict ${r2.verdict}`,
    );
    results.unrelatedLoaded = reg2.entryFilesLoaded;

    // what loading every entry would cost (no shortlist)
    const reg3 = await openRegistry(dir);
    t0 = performance.now();
    for (const e of reg3.entries) await reg3.loadEntry(e.id);
    const allMs = performance.now() - t0;
    log(`for comparison, loading all ${entries} entry files: ${(allMs / 1000).toFixed(1)} s`);
    results.loadAllMs = Math.round(allMs);
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
