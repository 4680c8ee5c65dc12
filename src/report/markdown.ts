/**
 * Markdown for PR comments, check runs and job summaries. Every number carries its meaning:
 * a score with its null, a p-value, and what was and was not compared.
 */
import type { ChallengedEntry, CheckResult } from '../check/types.js';
import type { CompareResult, ComponentResult, Verdict } from '../compare/types.js';
import { REWRITE_THRESHOLDS } from '../compare/discrepancy.js';
import { mdCode, mdText } from './escape.js';
import { truncateMarkdown } from './truncate.js';
import { formatP, formatPercent, formatZ, pClause } from '../util/numbers.js';

const BADGE: Record<Verdict, string> = {
  identical: '🟥 identical',
  derived: '🟧 derived',
  independent: '🟩 independent',
  inconclusive: '⬜ inconclusive',
};

/** Untrusted text (names, reasons, details) as inline markdown: never markup. */
const esc = mdText;
/** Untrusted ids as inline code, outside tables. */
const code = (text: string) => mdCode(text);
/** Untrusted ids as inline code inside a table cell. */
const cell = (text: string) => mdCode(text, { table: true });

/** Mermaid's quoted title: only characters that cannot end the string, the line or the fence. */
function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} ._,:/()+-]/gu, '_').slice(0, 80);
}

/** A name shortened for a heading or summary row (the JSON report keeps it whole). */
function clip(text: string, max = 200): string {
  const s = String(text);
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function num(x: number | undefined, d = 2): string {
  return typeof x !== 'number' || !Number.isFinite(x) ? '–' : x.toFixed(d);
}

/** A saved report (fork pattern) is display data written by whoever ran it: no field is trusted. */
function badge(v: Verdict): string {
  return BADGE[v] ?? esc(String(v));
}

function count(x: unknown): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toLocaleString('en-US') : '–';
}

function raw(x: unknown): string {
  return typeof x === 'number' && Number.isFinite(x) ? String(x) : '–';
}

function componentTable(components: ComponentResult[]): string {
  const rows = [
    '| component (B) | in A | verdict | score z | null | p-value | tensors | median r | exact |',
    '|---|---|---|---:|---|---:|---:|---:|---:|',
  ];
  for (const c of components) {
    const cells = [
      esc(c.name),
      esc(c.a || '–'),
      badge(c.verdict),
      formatZ(c.score),
      `N(${raw(c.null?.mean)}, ${raw(c.null?.std)})`,
      formatP(c.p_value),
      raw(c.tensors_compared),
      num(c.median_r),
      typeof c.exact_share === 'number' ? formatPercent(c.exact_share) : '–',
    ];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

/** Mermaid xychart of per-layer similarity for the components that have layers. */
function layerChart(result: CompareResult): string {
  // two points are no profile (e.g. a projector's mlp.0 / mlp.2)
  const withLayers = result.components.filter((c) => c.layers && c.layers.length >= 3);
  if (!withLayers.length) return '';
  const blocks = withLayers.slice(0, 3).map((c) => {
    const xs = c.layers!.map((l) => raw(l.layer)).join(', ');
    const ys = c.layers!.map((l) => Math.max(-1, Math.min(1, l.r)).toFixed(3)).join(', ');
    return [
      '```mermaid',
      'xychart-beta',
      `  title "${mermaidText(c.name)}: median centred r per layer (B vs A)"`,
      `  x-axis "layer" [${xs}]`,
      '  y-axis "r" -0.2 --> 1',
      `  line [${ys}]`,
      '```',
    ].join('\n');
  });
  return blocks.join('\n\n');
}

export function renderCompareMarkdown(result: CompareResult, opts: { heading?: string } = {}): string {
  const out: string[] = [];
  out.push(`${opts.heading ?? '###'} Weightprint: ${badge(result.verdict)}`);
  out.push('');
  out.push(`**${esc(result.reason)}**`);
  out.push('');
  out.push(
    `A (reference): ${code(result.a.id)} (${esc(result.a.mode)}) · ` +
      `B (under test): ${code(result.b.id)} (${esc(result.b.mode)}) · confidence ${num(result.confidence, 3)}`,
  );
  out.push('');
  if (result.components.length) out.push(componentTable(result.components), '');
  const evidence = result.components
    .filter((c) => c.verdict === result.verdict || c.verdict === 'identical' || c.verdict === 'derived')
    .flatMap((c) =>
      c.evidence
        .filter((e) => e.kind !== 'note')
        .slice(0, 3)
        .map((e) => `- **${esc(c.name)}** (${esc(e.kind)}): ${esc(e.detail)}`),
    );
  const context = result.components.flatMap((c) =>
    c.evidence
      .filter((e) => e.kind === 'fixed' || e.kind === 'shared-init')
      .map((e) => `- **${esc(c.name)}** (${esc(e.kind)}): ${esc(e.detail)}`),
  );
  const lines = [...new Set([...evidence, ...context])].slice(0, 12);
  if (lines.length) out.push('**Strongest evidence**', '', ...lines, '');
  for (const [label, value] of [
    ['Tokenizer', result.tokenizer],
    ['Config', result.config],
    ['Declared lineage', result.lineage],
  ] as const) {
    if (value?.detail) out.push(`**${label}:** ${esc(value.detail)}`, '');
  }
  const chart = layerChart(result);
  if (chart) out.push('<details><summary>Per-layer similarity</summary>', '', chart, '', '</details>', '');
  if (result.not_compared.length) {
    out.push('<details><summary>Not compared</summary>', '');
    for (const n of result.not_compared.slice(0, 40)) out.push(`- ${esc(n.what)}: ${esc(n.why)}`);
    if (result.not_compared.length > 40)
      out.push(`- … and ${result.not_compared.length - 40} more (see the JSON report)`);
    out.push('', '</details>', '');
  }
  out.push(SCORE_NOTE);
  return out.join('\n');
}

const SCORE_NOTE = [
  "<sub>Score: Stouffer z over the component's learned tensors; each tensor's correlation with its best partner",
  'is tested against controls measured in the same pair (mismatched same-shape layers), so under independence',
  'the score follows N(0, 1). Derived needs z ≥ 5.6 (p ≈ 1e-8) with ≥ 20 % of tensors individually significant;',
  'exact copies count by digest. 1-D tensors, constants and fixed buffers are context, never evidence.',
  'Raw cosine is shown for display only.</sub>',
].join(' ');

export type Conclusion = 'success' | 'failure' | 'neutral';

export function checkConclusion(results: CheckResult[]): Conclusion {
  if (results.some((r) => r.policy.result === 'fail')) return 'failure';
  if (results.some((r) => r.policy.result === 'warn')) return 'neutral';
  return 'success';
}

const POLICY_BADGE = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail' } as const;

/** Bytes as the report shows them (binary units, three significant digits). */
export function formatBytes(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return '–';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** What a sketch leaves out, said wherever a sketch is reported. */
export const SKETCH_LIMITS =
  'the headers and sampled coordinates only: no exact digests, copies whose layout changed ' +
  '(transposed or reshaped tensors) may go unaligned, and the bytes are not checked against their Git LFS oid';

/** One line on how the model was read (full or sketch, why, bytes, what was verified). */
function readLine(f: CheckResult['fingerprint']): string | undefined {
  if (!f || typeof f !== 'object') return undefined;
  const pct = typeof f.totalBytes === 'number' && f.totalBytes > 0 ? (100 * f.bytesRead) / f.totalBytes : NaN;
  const share = Number.isFinite(pct)
    ? ` (${pct >= 10 ? pct.toFixed(0) : pct >= 1 ? pct.toFixed(1) : pct.toPrecision(2)} %)`
    : '';
  const amount = `read ${formatBytes(f.bytesRead)} of ${formatBytes(f.totalBytes)}${share}`;
  const why = esc(String(f.why ?? ''));
  if (f.mode === 'full')
    return `**Full fingerprint** (${why}): ${amount}${f.verified ? `; verified: ${esc(String(f.verified))}.` : '.'}`;
  if (f.mode === 'sketch') return `**Sketch** (${why}): ${amount}: ${SKETCH_LIMITS}. Mode \`full\` reads every byte.`;
  return undefined;
}

/**
 * A challenged entry's own statistics: the private comparison's strongest component against its
 * null, and the published-vs-private gap against N(0, 1).
 */
function challengeStatistics(e: ChallengedEntry): string {
  const parts: string[] = [];
  const s = e.privateStatistic;
  if (s && typeof s === 'object')
    parts.push(
      `at the private seed its strongest component, ${esc(String(s.component))}, scores z ${formatZ(s.z)} ` +
        `(standardised against mismatched-layer controls; null N(${num(s.null?.mean, 0)}, ` +
        `${num(s.null?.std, 0)})), ${pClause(s.p)}, median r ${num(s.medianR)} over ${raw(s.tensors)} ` +
        `tensor${s.tensors === 1 ? '' : 's'}`,
    );
  const d = e.discrepancy;
  if (d && typeof d === 'object')
    parts.push(
      `published vs private coordinates: median r ${num(d.publishedR)} vs ${num(d.privateR)}, gap z ` +
        `${formatZ(d.medianGap)} over ${raw(d.pairs)} tensor pairs (N(0, 1) for weights that did not know the ` +
        `seed${rowSpreadClause(d.rowSpread)}: ${pClause(d.p, true)}; ` +
        `a rewrite needs ≥ ${REWRITE_THRESHOLDS.medianGap})`,
    );
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** The rows' own spread that widened each gap's error (compare/discrepancy.ts), when there was one. */
function rowSpreadClause(spread: unknown): string {
  return typeof spread === 'number' && spread > 0
    ? `, each pair's error widened by the spread of its rows' correlations, τ ${num(spread)}`
    : '';
}

/**
 * The challenge sample: a rewrite of the published coordinates first (evidence of an evasion),
 * then what each entry's challenge did.
 */
function challengeLines(c: CheckResult['challenge']): string[] {
  if (!c || typeof c !== 'object' || !Array.isArray(c.entries) || !c.entries.length) return [];
  const out: string[] = [];
  for (const e of c.entries.filter((x) => Array.isArray(x.rewritten) && x.rewritten.length)) {
    const d = e.discrepancy;
    out.push(
      `**⛔ The published sample coordinates were rewritten** (evidence of an evasion): against ${code(e.entry)}, ` +
        `${esc(e.rewritten!.join(', '))} ${e.rewritten!.length === 1 ? 'relates' : 'relate'} to it differently at ` +
        'the coordinates anyone can compute from the public seed than at coordinates drawn in secret for this check' +
        (d
          ? ` (over all compared tensors: median r ${num(d.publishedR)} at the published coordinates, ` +
            `${num(d.privateR)} at ${count(d.privateValues)} private ones; gap z ${formatZ(d.medianGap)} over ` +
            `${raw(d.pairs)} tensor pairs, ${pClause(d.p, true)}).`
          : '.'),
      '',
    );
  }
  const read = c.entries.filter((e) => e.status === 'challenged').length;
  out.push(
    `**Challenge sample** (\`challenge: ${esc(String(c.setting))}\`): ${read} of ${c.entries.length} ` +
      `structurally aligned entr${c.entries.length === 1 ? 'y' : 'ies'} read again on both sides` +
      (typeof c.seed === 'number'
        ? ` at ${raw(c.k)} coordinates per tensor from a seed drawn for this check (${raw(c.seed)}, published now)`
        : '') +
      '; a challenge never lowers a verdict.',
    '',
  );
  for (const e of c.entries.slice(0, 10)) {
    const what =
      e.status === 'challenged'
        ? `published ${badge(e.published)}, private ${badge(e.private ?? e.verdict)}` +
          (e.privateResemblance === 'shared-init' || e.privateResemblance === 'undecided'
            ? ` with a ${e.privateResemblance} resemblance the published sample lacked`
            : '') +
          ` → ${badge(e.verdict)}` +
          challengeStatistics(e) +
          (e.source ? `; read from ${code(e.source)}` : '') +
          (e.verified ? `, verified by ${esc(e.verified)}` : '')
        : esc(e.why ?? '');
    const label = e.status === 'challenged' ? 'challenged: ' : e.status === 'failed' ? 'challenge failed: ' : '';
    out.push(`- ${code(e.entry)}: ${label}${what}`);
  }
  if (c.entries.length > 10) out.push(`- … and ${c.entries.length - 10} more (see the JSON report)`);
  out.push('');
  return out;
}

export function renderCheckMarkdown(
  results: CheckResult[],
  opts: { maxLength?: number; summaryUrl?: string } = {},
): string {
  const out: string[] = ['## Weightprint provenance report', ''];
  const policyBadge = (r: CheckResult) => POLICY_BADGE[r.policy.result] ?? esc(String(r.policy.result));
  // Every model's verdict first, names clipped: however long one model's details run (names and
  // reasons the PR author chooses), truncation cannot take another model's verdict off the page.
  if (results.length > 1) {
    out.push('| model | verdict | policy |', '|---|---|---|');
    for (const r of results) out.push(`| ${cell(clip(r.model))} | ${badge(r.verdict)} | ${policyBadge(r)} |`);
    out.push('');
  }
  for (const r of results) {
    out.push(`### ${code(clip(r.model))}: ${badge(r.verdict)} · policy ${policyBadge(r)}`, '');
    const read = readLine(r.fingerprint);
    if (read) out.push(read, '');
    out.push(...challengeLines(r.challenge));
    for (const reason of r.policy.reasons) out.push(`- ${esc(reason)}`);
    if (r.policy.reasons.length) out.push('');
    const broken = r.registry?.errors ?? [];
    if (broken.length) {
      out.push(
        `**Registry errors:** ${broken.length} entr${broken.length === 1 ? 'y' : 'ies'} could not be read ` +
          `and ${broken.length === 1 ? 'was' : 'were'} not compared, so the model cannot be called independent.`,
        '',
      );
      for (const e of broken.slice(0, 20)) out.push(`- ${code(e.entry)}: ${esc(e.reason)}`);
      if (broken.length > 20) out.push(`- … and ${broken.length - 20} more (see the JSON report)`);
      out.push('');
    }
    if (r.policy.grades && Object.keys(r.policy.grades).length) {
      out.push('| component | grade |', '|---|---|');
      for (const [comp, grade] of Object.entries(r.policy.grades)) out.push(`| ${esc(comp)} | ${esc(String(grade))} |`);
      out.push('');
    }
    const ranked = r.matches.slice(0, 10);
    if (!ranked.length) {
      out.push('No registry entry shares comparable weights with this model.', '');
      continue;
    }
    out.push('| registry entry | verdict | confidence | strongest component | reason |', '|---|---|---:|---|---|');
    for (const m of ranked) {
      const top = [...m.components].sort((x, y) => y.score - x.score)[0];
      const cells = [cell(m.entry), badge(m.verdict), num(m.confidence, 3), esc(top?.name ?? '–'), esc(m.reason)];
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
    const first = ranked[0]!;
    if (first.verdict === 'derived' || first.verdict === 'identical') {
      out.push(
        '<details open><summary>Closest match in detail</summary>',
        '',
        renderCompareMarkdown(first, { heading: '####' }),
        '',
        '</details>',
        '',
      );
    }
  }
  return truncateMarkdown(out.join('\n'), opts.maxLength ?? 65_000, opts.summaryUrl);
}
