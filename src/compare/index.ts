/**
 * The full pairwise comparison: weights (engine), plus tokenizer and config context and the
 * declared lineage of B checked against what the weights show.
 */
import type { FingerprintDocument } from '../fingerprint/types.js';
import { compareFingerprints } from './engine.js';
import { compareTokenizers } from './tokenizer.js';
import { compareConfigs } from './config.js';
import { checkLineage } from './lineage.js';
import { judgeQuantisedCopy } from './quantised.js';
import type { CompareResult } from './types.js';

export { compareFingerprints, THRESHOLDS } from './engine.js';
export type { CompareResult } from './types.js';

export function compareModels(
  a: FingerprintDocument,
  b: FingerprintDocument,
  opts: { entryId?: string } = {},
): CompareResult {
  const result = judgeQuantisedCopy(a, b, compareFingerprints(a, b));
  if (a.tokenizer && b.tokenizer) result.tokenizer = compareTokenizers(a.tokenizer, b.tokenizer);
  else
    result.not_compared.push({
      what: 'tokenizer',
      why: a.tokenizer || b.tokenizer ? 'only one side has tokenizer files' : 'no tokenizer files on either side',
    });
  if (a.config && b.config) result.config = compareConfigs(a.config, b.config);
  const entry = opts.entryId ?? a.source.id;
  const top = [...result.components].sort((x, y) => y.score - x.score)[0];
  const lineage = checkLineage(b.card, [{ entry, verdict: result.verdict, component: top?.name }]);
  result.lineage = lineage;
  if (result.verdict === 'derived' || result.verdict === 'identical') {
    const declared = b.card?.baseModel ?? [];
    // a local path is no hub id: the card can only be checked against hub-style ids
    const hubStyle = /^(?:hf:)?[\w.-]+\/[\w.-]+(?:@[\w.-]+)?$/.test(entry);
    if (declared.length === 0) result.reason += ' — the model card declares no base model (undeclared reuse)';
    else if (hubStyle && lineage.undeclared.length)
      result.reason += ` — the model card declares ${declared.join(', ')}, not ${entry} (undeclared reuse)`;
    else result.reason += ` — declared base_model: ${declared.join(', ')}`;
  }
  return result;
}
