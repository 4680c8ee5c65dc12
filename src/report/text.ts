/** Plain-text summaries for the terminal: every line passes plainText (names may hold control characters). */
import type { FingerprintDocument } from '../fingerprint/types.js';
import type { CompareResult } from '../compare/types.js';
import { plainText } from './escape.js';
import { formatP, formatZ } from '../util/numbers.js';

function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

export function fingerprintSummary(doc: FingerprintDocument, maxTensors = 12): string {
  const lines: string[] = [];
  lines.push(`${doc.source.id}  (${doc.source.kind}, ${doc.source.files.length} file(s), ${doc.mode} fingerprint)`);
  if (doc.source.format && doc.source.format !== 'safetensors') lines.push(`  format      ${doc.source.format}`);
  if (doc.source.note) lines.push(`  note        ${doc.source.note}`);
  lines.push(`  tensors     ${doc.summary.tensors}`);
  lines.push(`  parameters  ${count(doc.summary.parameters)}`);
  lines.push(
    `  dtypes      ${Object.entries(doc.summary.dtypes)
      .map(([d, n]) => `${d} ${count(n)}`)
      .join(', ')}`,
  );
  lines.push(`  bytes read  ${count(doc.source.bytesRead)} of ${count(doc.source.totalBytes)}`);
  if (doc.config) lines.push(`  config      ${JSON.stringify(doc.config).slice(0, 100)}`);
  if (doc.tokenizer) lines.push(`  tokenizer   ${JSON.stringify({ ...doc.tokenizer }).slice(0, 100)}`);
  if (doc.card) lines.push(`  model card  ${JSON.stringify(doc.card).slice(0, 100)}`);
  lines.push('  components');
  for (const c of doc.components) {
    const tensors = `${String(c.tensors.length).padStart(5)} tensors`;
    lines.push(
      `    ${c.name.padEnd(28)} ${c.kind.padEnd(10)} ${tensors} ${count(c.parameters).padStart(8)} params  ${c.prefix}`,
    );
  }
  lines.push('  tensors (sha256 · order-free value digest)');
  for (const t of doc.tensors.slice(0, maxTensors)) {
    const digest = t.sha256 ? `${t.sha256.slice(0, 12)} · ${t.valueDigest?.slice(0, 12) ?? '–'}` : 'sample only';
    const shape = `[${t.shape.join(', ')}]`;
    const note = t.bytesOnly ? '  (bytes only)' : '';
    lines.push(`    ${t.name.slice(0, 48).padEnd(48)} ${t.dtype.padEnd(8)} ${shape}  ${digest}${note}`);
  }
  if (doc.tensors.length > maxTensors) lines.push(`    … ${doc.tensors.length - maxTensors} more (use --json)`);
  return lines.map(plainText).join('\n');
}

export function compareSummary(r: CompareResult): string {
  const lines = [`${r.verdict.toUpperCase()}  (confidence ${r.confidence.toFixed(3)})  ${r.reason}`];
  lines.push(`  A: ${r.a.id} (${r.a.mode})   B: ${r.b.id} (${r.b.mode})`);
  for (const c of r.components) {
    lines.push(
      `  ${c.name.padEnd(28)} ${c.verdict.padEnd(13)} ` +
        `z ${formatZ(c.score).padStart(7)}  p ${formatP(c.p_value).padStart(8)}  ` +
        `tensors ${String(c.tensors_compared).padStart(4)}  median r ${c.median_r?.toFixed(3) ?? '–'}  ← ${c.a || '–'}`,
    );
  }
  if (r.not_compared.length) lines.push(`  not compared: ${r.not_compared.length} item(s) (see --json or --markdown)`);
  return lines.map(plainText).join('\n');
}
