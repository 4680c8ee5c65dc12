/**
 * The evaluation behind `npm run eval`: every real pair with documented lineage, every generated
 * case, and many independent pairs to measure the false-positive rate at the default thresholds.
 */
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadFingerprint } from '../sources.js';
import { compareModels } from '../compare/index.js';
import type { CompareResult, Verdict } from '../compare/types.js';
import { GENERATED_CASES, EXPECT_COMPONENT_KIND, writeCase, writeSuite, type SuiteKind } from '../synth/index.js';

export interface EvalRow {
  group: 'real' | 'generated' | 'stretch';
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

export interface FalsePositiveRow {
  kind: SuiteKind;
  pairs: number;
  derivedOrIdentical: number;
  verdicts: Record<Verdict, number>;
}

export interface EvalReport {
  rows: EvalRow[];
  falsePositives: FalsePositiveRow[];
  realModelsDir?: string;
}

export function sharedDir(): string | undefined {
  const candidates = [process.env.WEIGHTPRINT_SHARED, resolve('../shared')].filter((x): x is string => !!x);
  return candidates.find((d) => existsSync(join(d, 'realmodels', 'pairs.json')));
}

async function judge(a: string, b: string): Promise<CompareResult> {
  return compareModels(await loadFingerprint(a), await loadFingerprint(b));
}

function componentMisses(result: CompareResult, expect: Record<string, Verdict> | undefined): string[] {
  if (!expect) return [];
  const misses: string[] = [];
  for (const [name, verdict] of Object.entries(expect)) {
    const kind = EXPECT_COMPONENT_KIND[name];
    const found = result.components.filter((c) => c.name === name || (kind && c.kind === kind));
    const ok = found.some((c) => c.verdict === verdict || (verdict === 'independent' && c.verdict === 'inconclusive' && /not comparable/.test(c.evidence[0]?.detail ?? '')));
    if (!ok) misses.push(`${name}: expected ${verdict}, got ${found.map((c) => c.verdict).join('/') || 'absent'}`);
  }
  return misses;
}

export async function runEvaluation(opts: { seeds?: number; onRow?: (line: string) => void } = {}): Promise<EvalReport> {
  const rows: EvalRow[] = [];
  const say = opts.onRow ?? (() => {});
  const shared = sharedDir();
  if (shared) {
    const dir = join(shared, 'realmodels');
    const pairs = JSON.parse(await readFile(join(dir, 'pairs.json'), 'utf8')).pairs as Array<{ a: string; b: string; truth: string; accept: Verdict[]; how: string }>;
    for (const p of pairs) {
      const r = await judge(join(dir, p.a), join(dir, p.b));
      const ok = p.accept.includes(r.verdict);
      rows.push({ group: 'real', id: `${p.a} → ${p.b}`, title: p.how, truth: p.truth, accept: p.accept, verdict: r.verdict, ok, componentMisses: [], reason: r.reason });
      say(`${ok ? 'ok  ' : 'MISS'} real ${p.a} → ${p.b}: ${r.verdict} (truth ${p.truth})`);
    }
  } else say('real models: ../shared/realmodels not found (set WEIGHTPRINT_SHARED); skipped');

  const work = await mkdtemp(join(tmpdir(), 'weightprint-eval-'));
  try {
    for (const c of GENERATED_CASES) {
      const { a, b } = await writeCase(c, join(work, c.id));
      const r = await judge(a, b);
      const misses = componentMisses(r, c.expectComponents);
      const ok = c.accept.includes(r.verdict) && misses.length === 0;
      rows.push({ group: c.stretch ? 'stretch' : 'generated', id: c.id, title: c.title, truth: c.truth, accept: c.accept, verdict: r.verdict, ok, componentMisses: misses, reason: r.reason });
      say(`${ok ? 'ok  ' : 'MISS'} ${c.stretch ? 'stretch' : 'generated'} ${c.id}: ${r.verdict} (truth ${c.truth})${misses.length ? ` [${misses.join('; ')}]` : ''}`);
      await rm(join(work, c.id), { recursive: true, force: true });
    }
    const falsePositives: FalsePositiveRow[] = [];
    const seeds = opts.seeds ?? 20;
    for (const kind of ['independent', 'shared-init', 'layernorm-trap'] as SuiteKind[]) {
      const pairs = await writeSuite(join(work, 'suite'), { seeds, kinds: [kind] });
      const verdicts: Record<Verdict, number> = { identical: 0, derived: 0, independent: 0, inconclusive: 0 };
      for (const p of pairs) {
        const r = await judge(p.a, p.b);
        verdicts[r.verdict]++;
      }
      await rm(join(work, 'suite'), { recursive: true, force: true });
      falsePositives.push({ kind, pairs: pairs.length, derivedOrIdentical: verdicts.derived + verdicts.identical, verdicts });
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
  const out = ['| group | case | truth | ' + VERDICTS.join(' | ') + ' | right |', '|---|---|---|' + VERDICTS.map(() => ':-:').join('|') + '|:-:|'];
  for (const r of report.rows) {
    const cells = VERDICTS.map((v) => (r.verdict === v ? (r.ok ? '**●**' : '✗') : ''));
    out.push(`| ${r.group} | ${r.id.replace(/\|/g, '\\|')} | ${r.truth} | ${cells.join(' | ')} | ${r.ok ? 'yes' : `**no**${r.componentMisses.length ? ` (${r.componentMisses.join('; ')})` : ''}`} |`);
  }
  const right = report.rows.filter((r) => r.ok).length;
  out.push('', `${right} of ${report.rows.length} cases right (${report.rows.filter((r) => r.group !== 'stretch' && !r.ok).length} core misses).`);
  if (report.falsePositives.length) {
    out.push('', '| negative pairs | pairs | identical | derived | independent | inconclusive | false-positive rate (95 % upper bound) |', '|---|---:|---:|---:|---:|---:|---|');
    for (const f of report.falsePositives) {
      const upper = f.derivedOrIdentical === 0 ? 3 / f.pairs : (f.derivedOrIdentical + 2 * Math.sqrt(f.derivedOrIdentical)) / f.pairs;
      out.push(`| ${f.kind} | ${f.pairs} | ${f.verdicts.identical} | ${f.verdicts.derived} | ${f.verdicts.independent} | ${f.verdicts.inconclusive} | ${(f.derivedOrIdentical / f.pairs).toFixed(3)} (≤ ${upper.toFixed(3)}) |`);
    }
  }
  return out.join('\n');
}
