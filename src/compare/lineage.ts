/**
 * Declared lineage (model card `base_model`) against detected lineage (per-component verdicts of
 * the weight comparison with registry entries). Two findings matter:
 * - undeclared reuse: the weights say a component derives from an entry the card does not name;
 * - declared but not supported: the card names a base whose comparison says independent.
 * A declared base that was never compared, or only inconclusively, is reported as unverified —
 * neither confirmed nor contradicted.
 */
import type { ModelCard } from '../fingerprint/card.js';
import type { Verdict } from './types.js';

export interface DetectedLineage {
  /** Registry entry id, e.g. `hf:Qwen/Qwen2.5-VL-7B-Instruct@main`. */
  entry: string;
  verdict: Verdict;
  /** Component the verdict is about ("vision encoder"); absent for the whole model. */
  component?: string;
}

interface DetectedWithDeclaration extends DetectedLineage {
  /** The declared base this entry matches, if any. */
  declaredAs?: string;
}

interface UnsupportedBase {
  base: string;
  /** Comparisons that matched the base (all independent). */
  comparisons: DetectedLineage[];
}

export interface LineageResult {
  kind: 'lineage';
  declared: string[];
  detected: DetectedWithDeclaration[];
  /** Derived or identical components whose source the card does not declare. */
  undeclared: DetectedLineage[];
  /** Declared bases the weights contradict: every comparison with them says independent. */
  unsupported: UnsupportedBase[];
  /** Declared bases with no decisive comparison (not in the registry, or inconclusive). */
  unverified: string[];
  detail: string;
}

/**
 * Hub ids compared loosely: case-insensitive, without `hf:`/URL prefix, `@revision` or trailing
 * slash. `org/name` matches a bare `name` (cards often omit the org), but two different orgs
 * never match: `TheBloke/Llama-2-7B` is not `meta-llama/Llama-2-7B`.
 */
function normaliseHubId(id: string): { org?: string; name: string } {
  let s = id.trim().toLowerCase();
  s = s.replace(/^hf:/, '').replace(/^https?:\/\/(www\.)?huggingface\.co\//, '');
  s = s
    .replace(/@.*$/, '')
    .replace(/\/(tree|resolve|blob)\/.*$/, '')
    .replace(/\/+$/, '');
  const slash = s.lastIndexOf('/');
  return slash < 0 ? { name: s } : { org: s.slice(0, slash), name: s.slice(slash + 1) };
}

export function sameHubId(x: string, y: string): boolean {
  const a = normaliseHubId(x);
  const b = normaliseHubId(y);
  if (a.name !== b.name || !a.name) return false;
  return a.org === undefined || b.org === undefined || a.org === b.org;
}

const DERIVED: Verdict[] = ['identical', 'derived'];

export function checkLineage(declared: ModelCard | undefined, detected: DetectedLineage[]): LineageResult {
  const bases = declared?.baseModel ?? [];
  const withDecl: DetectedWithDeclaration[] = detected.map((d) => {
    const base = bases.find((b) => sameHubId(b, d.entry));
    return base === undefined ? { ...d } : { ...d, declaredAs: base };
  });
  const undeclared = withDecl
    .filter((d) => DERIVED.includes(d.verdict) && d.declaredAs === undefined)
    .map(({ entry, verdict, component }) =>
      component === undefined ? { entry, verdict } : { entry, verdict, component },
    );

  const unsupported: UnsupportedBase[] = [];
  const unverified: string[] = [];
  const supported: string[] = [];
  for (const base of bases) {
    const mine = detected.filter((d) => sameHubId(base, d.entry));
    // Any component that derives from the base supports the declaration (an adapter or a
    // partial reuse still has a base); only a uniformly independent result contradicts it.
    if (mine.some((d) => DERIVED.includes(d.verdict))) supported.push(base);
    else if (mine.some((d) => d.verdict === 'independent')) {
      unsupported.push({ base, comparisons: mine.filter((d) => d.verdict === 'independent') });
    } else unverified.push(base);
  }

  const parts: string[] = [];
  parts.push(bases.length ? `declares ${bases.join(', ')}` : 'declares no base model');
  if (supported.length) parts.push(`supported by the weights: ${supported.join(', ')}`);
  if (undeclared.length) {
    const reuse = undeclared.map((u) => `${u.component ? `${u.component} ` : ''}${u.verdict} from ${u.entry}`);
    parts.push(`undeclared reuse: ${reuse.join('; ')}`);
  }
  if (unsupported.length)
    parts.push(`declared but not supported by the weights: ${unsupported.map((u) => u.base).join(', ')}`);
  if (unverified.length) parts.push(`not verified (no decisive comparison): ${unverified.join(', ')}`);
  return {
    kind: 'lineage',
    declared: bases,
    detected: withDecl,
    undeclared,
    unsupported,
    unverified,
    detail: parts.join('; '),
  };
}
