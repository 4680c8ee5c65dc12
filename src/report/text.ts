/** Plain-text summaries for the terminal: every line passes plainText (names may hold control characters). */
import type { ModelCard } from '../fingerprint/card.js';
import type { ArchFields, ConfigSignature } from '../fingerprint/config.js';
import type { TokenizerSignature, TokenizerType } from '../fingerprint/tokenizer.js';
import type { FingerprintDocument } from '../fingerprint/types.js';
import type { CompareResult } from '../compare/types.js';
import { plainText } from './escape.js';
import { formatP, formatZ } from '../util/numbers.js';
import { plural } from '../util/words.js';

function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

/** "128 hidden · 6 layers · 4 heads (2 kv) · ffn 344 · vocab 512 · 8 experts (2 per token)" */
function architecture(f: ArchFields): string[] {
  const parts: string[] = [];
  if (f.hiddenSize !== undefined) parts.push(`${f.hiddenSize} hidden`);
  if (f.layers !== undefined) parts.push(plural(f.layers, 'layer'));
  if (f.heads !== undefined)
    parts.push(
      `${plural(f.heads, 'head')}${f.kvHeads !== undefined && f.kvHeads !== f.heads ? ` (${f.kvHeads} kv)` : ''}`,
    );
  if (f.intermediateSize !== undefined) parts.push(`ffn ${f.intermediateSize}`);
  if (f.vocabSize !== undefined) parts.push(`vocab ${f.vocabSize}`);
  if (f.experts !== undefined)
    parts.push(
      `${plural(f.experts, 'expert')}${f.expertsPerToken !== undefined ? ` (${f.expertsPerToken} per token)` : ''}`,
    );
  if (f.patchSize !== undefined) parts.push(`patch ${f.patchSize}`);
  return parts;
}

/** "qwen2_5_vl · 128 hidden · 6 layers · vision_config: 64 hidden, 2 layers" */
function configLine(c: ConfigSignature): string {
  const subs = c.subConfigs.map((s) => {
    const arch = architecture(s);
    return `${s.key}: ${arch.length ? arch.join(', ') : (s.modelType ?? 'no fields')}`;
  });
  return [c.modelType ?? 'no model_type', ...architecture(c), ...subs].join(' · ');
}

const TOKENIZER_LABEL: Record<TokenizerType, string> = {
  bpe: 'BPE',
  unigram: 'Unigram',
  wordpiece: 'WordPiece',
  wordlevel: 'WordLevel',
  tiktoken: 'tiktoken BPE',
  'sentencepiece-bpe': 'SentencePiece BPE',
  'sentencepiece-unigram': 'SentencePiece Unigram',
  pieces: 'piece list',
};

/** "BPE 512 tokens + 3 special · from tokenizer.json" */
function tokenizerLine(t: TokenizerSignature): string {
  const special = t.special.count ? ` + ${t.special.count} special` : '';
  return `${TOKENIZER_LABEL[t.type] ?? t.type} ${plural(t.tokenCount, 'token')}${special} · from ${t.format}`;
}

/** "base_model: none · license apache-2.0" */
function cardLine(card: ModelCard): string {
  if (!card.hasFrontMatter) return 'no front matter (base_model: none declared)';
  const parts = [`base_model: ${card.baseModel.length ? card.baseModel.join(', ') : 'none'}`];
  if (card.baseModelRelation) parts.push(`relation ${card.baseModelRelation}`);
  if (card.license)
    parts.push(`license ${card.license === 'other' && card.licenseName ? card.licenseName : card.license}`);
  return parts.join(' · ');
}

export function fingerprintSummary(doc: FingerprintDocument, maxTensors = 12): string {
  const lines: string[] = [];
  const files = plural(doc.source.files.length, 'file');
  lines.push(`${doc.source.id}  (${doc.source.kind}, ${files}, ${doc.mode} fingerprint)`);
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
  if (doc.config) lines.push(`  config      ${configLine(doc.config)}`);
  if (doc.tokenizer) lines.push(`  tokenizer   ${tokenizerLine(doc.tokenizer)}`);
  if (doc.card) lines.push(`  model card  ${cardLine(doc.card)}`);
  lines.push('  components');
  for (const c of doc.components) {
    const tensors = `${String(c.tensors.length).padStart(5)} tensor${c.tensors.length === 1 ? ' ' : 's'}`;
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
  if (r.not_compared.length)
    lines.push(`  not compared: ${plural(r.not_compared.length, 'item')} (see --json or --markdown)`);
  return lines.map(plainText).join('\n');
}
