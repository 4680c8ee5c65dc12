/**
 * The evaluation behind `npm run eval`: every real pair with documented lineage, every generated
 * case, and many independent pairs to measure the false-positive rate at the default thresholds.
 */
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadFingerprint, type LoadOptions } from '../fingerprint/load.js';
import { compareModels } from '../compare/index.js';
import type { CompareResult, Verdict } from '../compare/types.js';
import { GENERATED_CASES, EXPECT_COMPONENT_KIND, writeCase, writeSuite, type SuiteKind } from '../synth/index.js';
import { writeDriftedCopy, writeTransplant } from './drift.js';
import { writePyTorchCases } from './pytorch.js';
import { writeGgufCases, writeQuantisedCases } from './formats.js';
import { writeDisguisedCases } from './disguised.js';
import { writePrunedConvCases } from './pruned-conv.js';

/** Real llama2.c models the disguised copies are made of. */
const DISGUISED_MODELS = ['karpathy_stories260K', 'EN10_babyllama_tok361'];

/** Real models drifted by noise: [file, noise relative to each tensor's std, accepted verdicts]. */
const DRIFTED: Array<[string, number, Verdict[]]> = [
  ['faceapi_tiny_face_detector_v2.safetensors', 0.5, ['derived']],
  ['faceapi_tiny_face_detector_v2.safetensors', 1.0, ['derived']],
  ['ml5_charrnn_dubois.safetensors', 1.0, ['derived']],
  ['silero_vad_v5.safetensors', 1.0, ['derived']],
  ['faceapi_landmark68.safetensors', 1.0, ['derived']],
  ['ml5_styletransfer_mathura.safetensors', 1.0, ['derived']],
  ['mediapipe_selfie_general.safetensors', 1.0, ['derived']],
  // r ≈ 0.45: too weak to call without controls in some models; never "independent"
  ['faceapi_tiny_face_detector_v2.safetensors', 2.0, ['derived', 'inconclusive']],
  ['ml5_charrnn_dubois.safetensors', 2.0, ['derived', 'inconclusive']],
];

interface EvalRow {
  group: 'real' | 'real-drifted' | 'real-disguised' | 'formats' | 'generated' | 'stretch';
  id: string;
  title: string;
  truth: string;
  accept: Verdict[];
  verdict: Verdict;
  ok: boolean;
  /** Component expectations that failed, if any. */
  componentMisses: string[];
  reason: string;
}

interface FalsePositiveRow {
  kind: SuiteKind;
  pairs: number;
  derivedOrIdentical: number;
  verdicts: Record<Verdict, number>;
}

interface EvalReport {
  rows: EvalRow[];
  falsePositives: FalsePositiveRow[];
  realModelsDir?: string;
}

function sharedDir(): string | undefined {
  const candidates = [process.env.WEIGHTPRINT_SHARED, resolve('../shared')].filter((x): x is string => !!x);
  return candidates.find((d) => existsSync(join(d, 'realmodels', 'pairs.json')));
}

async function judge(a: string, b: string, load: LoadOptions = {}): Promise<CompareResult> {
  return compareModels(await loadFingerprint(a, load), await loadFingerprint(b, load));
}

function componentMisses(result: CompareResult, expect: Record<string, Verdict> | undefined): string[] {
  if (!expect) return [];
  const misses: string[] = [];
  for (const [name, verdict] of Object.entries(expect)) {
    const kind = EXPECT_COMPONENT_KIND[name];
    const found = result.components.filter((c) => c.name === name || (kind && c.kind === kind));
    const ok = found.some(
      (c) =>
        c.verdict === verdict ||
        (verdict === 'independent' &&
          c.verdict === 'inconclusive' &&
          /not comparable/.test(c.evidence[0]?.detail ?? '')),
    );
    if (!ok) misses.push(`${name}: expected ${verdict}, got ${found.map((c) => c.verdict).join('/') || 'absent'}`);
  }
  return misses;
}

export async function runEvaluation(
  opts: {
    seeds?: number;
    onRow?: (line: string) => void;
    /** How both models of every pair are fingerprinted (e.g. sketches: `{ mode: 'sample' }`). */
    fingerprint?: LoadOptions;
  } = {},
): Promise<EvalReport> {
  const load = opts.fingerprint ?? {};
  const rows: EvalRow[] = [];
  const say = opts.onRow ?? (() => {});
  const shared = sharedDir();
  if (shared) {
    const dir = join(shared, 'realmodels');
    // the trained siblings (trained/pairs.json) are real pairs too, paths relative to realmodels/
    const trainedPairs = join(dir, 'trained', 'pairs.json');
    const siblings = existsSync(trainedPairs) ? JSON.parse(await readFile(trainedPairs, 'utf8')).pairs : [];
    const pairs = [...JSON.parse(await readFile(join(dir, 'pairs.json'), 'utf8')).pairs, ...siblings] as Array<{
      a: string;
      b: string;
      truth: string;
      accept: Verdict[];
      how: string;
    }>;
    for (const p of pairs) {
      const r = await judge(join(dir, p.a), join(dir, p.b), load);
      const ok = p.accept.includes(r.verdict);
      rows.push({
        group: 'real',
        id: `${p.a} → ${p.b}`,
        title: p.how,
        truth: p.truth,
        accept: p.accept,
        verdict: r.verdict,
        ok,
        componentMisses: [],
        reason: r.reason,
      });
      say(`${ok ? 'ok  ' : 'MISS'} real ${p.a} → ${p.b}: ${r.verdict} (truth ${p.truth})`);
    }
    // drifted copies of real models: derived while the drift leaves r ≈ 0.7, never independent
    const driftDir = await mkdtemp(join(tmpdir(), 'weightprint-drift-'));
    try {
      for (const [file, rel, accept] of DRIFTED) {
        const out = join(driftDir, `drift-${rel}-${file}`);
        await writeDriftedCopy(join(dir, file), out, rel, 7);
        const r = await judge(join(dir, file), out, load);
        const ok = accept.includes(r.verdict);
        const id = `${file} + noise ×${rel} σ`;
        rows.push({
          group: 'real-drifted',
          id,
          title: `Gaussian noise of ${rel}× each tensor's std (r ≈ ${(1 / Math.sqrt(1 + rel * rel)).toFixed(2)})`,
          truth: 'derived',
          accept,
          verdict: r.verdict,
          ok,
          componentMisses: [],
          reason: r.reason,
        });
        say(`${ok ? 'ok  ' : 'MISS'} drifted ${id}: ${r.verdict}`);
      }
      // a real feature extractor, drifted and renamed, inside an unrelated real model
      const out = join(driftDir, 'transplant.safetensors');
      await writeTransplant(
        join(dir, 'faceapi_landmark68.safetensors'),
        /^dense\d\//,
        join(dir, 'faceapi_age_gender.safetensors'),
        'backbone/',
        out,
        0.5,
        11,
      );
      const r = await judge(join(dir, 'faceapi_landmark68.safetensors'), out, load);
      const backbone = r.components.find((c) => c.name.startsWith('backbone'));
      const others = r.components.filter((c) => c !== backbone);
      const ok =
        r.verdict === 'derived' &&
        backbone?.verdict === 'derived' &&
        others.every((c) => c.verdict !== 'derived' && c.verdict !== 'identical');
      rows.push({
        group: 'real-drifted',
        id: 'landmark68 dense0–3 (+ noise ×0.5 σ, renamed backbone/) inside age_gender',
        title: 'transplanted real feature extractor',
        truth: 'derived',
        accept: ['derived'],
        verdict: r.verdict,
        ok,
        componentMisses: ok
          ? []
          : [`backbone: ${backbone?.verdict ?? 'absent'}; others: ${others.map(nameAndVerdict).join(', ')}`],
        reason: r.reason,
      });
      say(`${ok ? 'ok  ' : 'MISS'} transplant landmark68 → age_gender: ${r.verdict}`);
      // the formats releases ship, built from real weights: the reference is the safetensors original
      const formatCases = [
        ...(await writePyTorchCases(dir, join(driftDir, 'pytorch'))),
        ...(await writeGgufCases(dir, join(driftDir, 'gguf'))),
        ...(await writeQuantisedCases(dir, join(driftDir, 'quantised'))),
      ];
      for (const c of formatCases) {
        const fr = await judge(c.a, c.b);
        const fok = c.accept.includes(fr.verdict);
        const { id, title, truth, accept } = c;
        rows.push({
          group: 'formats',
          id,
          title,
          truth,
          accept,
          verdict: fr.verdict,
          ok: fok,
          componentMisses: [],
          reason: fr.reason,
        });
        say(`${fok ? 'ok  ' : 'MISS'} formats ${c.id}: ${fr.verdict} (truth ${c.truth})`);
      }
      // function-preserving and layout disguises of real weights (issue 11): every one derives from A
      for (const model of DISGUISED_MODELS) {
        const source = join(dir, 'llama2c', model);
        if (!existsSync(source)) continue;
        for (const c of await writeDisguisedCases(source, join(driftDir, 'disguised', model))) {
          const dr = await judge(source, c.b);
          const dok = c.accept.includes(dr.verdict);
          rows.push({
            group: 'real-disguised',
            id: `${model} → ${c.id}`,
            title: c.title,
            truth: 'derived',
            accept: c.accept,
            verdict: dr.verdict,
            ok: dok,
            componentMisses: [],
            reason: dr.reason,
          });
          say(`${dok ? 'ok  ' : 'MISS'} real-disguised ${model} → ${c.id}: ${dr.verdict} (truth derived)`);
        }
      }
      // channel-pruned convolution nets of real weights, and pruned real nets that do not derive from A
      for (const c of await writePrunedConvCases(dir, join(driftDir, 'pruned-conv'))) {
        const pr = await judge(c.a, c.b);
        const pok = c.accept.includes(pr.verdict);
        rows.push({
          group: 'real-disguised',
          id: c.id,
          title: c.title,
          truth: c.truth,
          accept: c.accept,
          verdict: pr.verdict,
          ok: pok,
          componentMisses: [],
          reason: pr.reason,
        });
        say(`${pok ? 'ok  ' : 'MISS'} real-disguised ${c.id}: ${pr.verdict} (truth ${c.truth})`);
      }
    } finally {
      await rm(driftDir, { recursive: true, force: true });
    }
  } else say('real models: ../shared/realmodels not found (set WEIGHTPRINT_SHARED); skipped');

  const work = await mkdtemp(join(tmpdir(), 'weightprint-eval-'));
  try {
    for (const c of GENERATED_CASES) {
      const { a, b } = await writeCase(c, join(work, c.id));
      const r = await judge(a, b, load);
      const misses = componentMisses(r, c.expectComponents);
      const ok = c.accept.includes(r.verdict) && misses.length === 0;
      rows.push({
        group: c.stretch ? 'stretch' : 'generated',
        id: c.id,
        title: c.title,
        truth: c.truth,
        accept: c.accept,
        verdict: r.verdict,
        ok,
        componentMisses: misses,
        reason: r.reason,
      });
      say(
        `${ok ? 'ok  ' : 'MISS'} ${c.stretch ? 'stretch' : 'generated'} ${c.id}: ${r.verdict} (truth ${c.truth})` +
          (misses.length ? ` [${misses.join('; ')}]` : ''),
      );
      await rm(join(work, c.id), { recursive: true, force: true });
    }
    const falsePositives: FalsePositiveRow[] = [];
    const seeds = opts.seeds ?? 20;
    for (const kind of [
      'independent',
      'shared-init',
      'layernorm-trap',
      'position-table',
      'small-width',
      'siblings',
      'siblings-unequal',
      'siblings-barely',
    ] as SuiteKind[]) {
      const pairs = await writeSuite(join(work, 'suite'), { seeds, kinds: [kind] });
      const verdicts: Record<Verdict, number> = { identical: 0, derived: 0, independent: 0, inconclusive: 0 };
      for (const p of pairs) {
        const r = await judge(p.a, p.b, load);
        verdicts[r.verdict]++;
      }
      await rm(join(work, 'suite'), { recursive: true, force: true });
      falsePositives.push({
        kind,
        pairs: pairs.length,
        derivedOrIdentical: verdicts.derived + verdicts.identical,
        verdicts,
      });
      say(`false positives, ${kind}: ${verdicts.derived + verdicts.identical} of ${pairs.length}`);
    }
    return { rows, falsePositives, realModelsDir: shared ? join(shared, 'realmodels') : undefined };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const VERDICTS: Verdict[] = ['identical', 'derived', 'independent', 'inconclusive'];

/** The confusion table (cases × verdicts) as markdown, for the README. */
export function confusionMarkdown(report: EvalReport): string {
  const out = [
    `| group | case | truth | ${VERDICTS.join(' | ')} | right |`,
    `|---|---|---|${VERDICTS.map(() => ':-:').join('|')}|:-:|`,
  ];
  for (const r of report.rows) {
    const cells = VERDICTS.map((v) => (r.verdict === v ? (r.ok ? '**●**' : '✗') : ''));
    const misses = r.componentMisses.length ? ` (${r.componentMisses.join('; ')})` : '';
    const id = r.id.replace(/\|/g, '\\|');
    out.push(`| ${r.group} | ${id} | ${r.truth} | ${cells.join(' | ')} | ${r.ok ? 'yes' : `**no**${misses}`} |`);
  }
  const right = report.rows.filter((r) => r.ok).length;
  out.push(
    '',
    `${right} of ${report.rows.length} cases right ` +
      `(${report.rows.filter((r) => r.group !== 'stretch' && !r.ok).length} core misses).`,
  );
  if (report.falsePositives.length) {
    out.push(
      '',
      '| negative pairs | pairs | identical | derived | independent | inconclusive ' +
        '| false-positive rate (95 % upper bound) |',
      '|---|---:|---:|---:|---:|---:|---|',
    );
    for (const f of report.falsePositives) {
      const upper = binomialUpperBound(f.derivedOrIdentical, f.pairs);
      const v = f.verdicts;
      const rate = `${(f.derivedOrIdentical / f.pairs).toFixed(3)} (≤ ${upper.toFixed(3)})`;
      out.push(
        `| ${f.kind} | ${f.pairs} | ${v.identical} | ${v.derived} | ${v.independent} | ${v.inconclusive} | ${rate} |`,
      );
    }
  }
  return out.join('\n');
}

/**
 * One-sided 95 % Clopper–Pearson upper bound on a rate seen k times in n trials: the p at which
 * seeing k or fewer has probability 0.05 (exact; the rule of three exceeds 1 for small n).
 */
export function binomialUpperBound(k: number, n: number, alpha = 0.05): number {
  if (n <= 0 || k >= n) return 1;
  const atMostK = (p: number): number => {
    let term = (1 - p) ** n;
    let sum = term;
    for (let i = 1; i <= k; i++) {
      term *= ((n - i + 1) / i) * (p / (1 - p));
      sum += term;
    }
    return sum;
  };
  let lo = k / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (atMostK(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

function nameAndVerdict(c: { name: string; verdict: string }): string {
  return `${c.name} ${c.verdict}`;
}
