/**
 * Applies a policy to the evidence of one checked model: findings get a category, categories
 * the policy lists under fail-on / warn-on decide the result, allow rules turn acceptable reuse
 * into an informational finding, and a grade scale (if any) grades each component.
 */
import type { LineageResult } from '../compare/lineage.js';
import { formatPercent } from '../util/numbers.js';
import type { Verdict } from '../compare/types.js';
import type { RegistryError } from '../registry/types.js';
import {
  type AllowRule,
  type Category,
  type ComponentEvidence,
  type Condition,
  GRADE_FIELDS,
  type GradeScale,
  type Policy,
  type PolicyOutcome,
  type Scalar,
  type TokenizerReuse,
} from './types.js';

export interface PolicyInput {
  verdict: Verdict;
  components: ComponentEvidence[];
  lineage?: LineageResult;
  /** Tokenizer and config entries the model matches (named even without weight evidence). */
  tokenizerMatch?: { entry: string; family: string; relation: TokenizerReuse };
  configMatch?: { entry: string; family: string };
  /** Registry entries the check needed and could not read. */
  registryErrors?: RegistryError[];
  /** No weights entry shares a tensor shape, element count or sub-block with the model (a new architecture). */
  novel?: boolean;
}

interface Finding {
  categories: Category[];
  text: string;
  /** Decided by a policy key of its own rather than by fail-on / warn-on. */
  severity?: { result: 'fail' | 'warn'; label: string };
}

function fmt(x: number | undefined, d = 2): string {
  return x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d);
}

function licenceMatches(licence: string | undefined, allowed: string[]): boolean {
  const l = (licence ?? '').toLowerCase();
  return allowed.some((a) => {
    const x = a.toLowerCase();
    return l === x || l.startsWith(`${x} `) || l.startsWith(`${x}(`);
  });
}

function componentMatches(rule: AllowRule, ev: ComponentEvidence): boolean {
  if (!rule.component) return true;
  const c = rule.component.toLowerCase();
  return ev.kind === c || ev.component.toLowerCase() === c || ev.component.toLowerCase().includes(c);
}

export function allowedBy(rules: AllowRule[], ev: ComponentEvidence): AllowRule | undefined {
  return rules.find(
    (r) =>
      componentMatches(r, ev) &&
      (!r.licenses || licenceMatches(ev.license, r.licenses)) &&
      (!r.families || r.families.some((f) => f.toLowerCase() === (ev.family ?? '').toLowerCase())) &&
      (!r.entries || r.entries.includes(ev.entry ?? '')) &&
      (!r.requireDeclared || ev.declared),
  );
}

export function evaluatePolicy(policy: Policy, input: PolicyInput): PolicyOutcome {
  policy = { ...policy, registryErrors: policy.registryErrors ?? 'fail' };
  const findings: Finding[] = [];
  for (const ev of input.components) {
    if (ev.verdict !== 'derived' && ev.verdict !== 'identical') continue;
    const numbers =
      `median r ${fmt(ev.median_r)}, exact ${formatPercent(ev.exact_share ?? 0)}, ` +
      `confidence ${fmt(ev.confidence, 4)}`;
    const relation = ev.verdict === 'identical' ? 'a copy of' : 'derived from';
    const what = `${ev.component} is ${relation} ${ev.entry} (${ev.family}, ${ev.license})`;
    if ((ev.confidence ?? 0) < policy.minConfidence) {
      findings.push({
        categories: [],
        text: `${what} — below min-confidence ${policy.minConfidence} (${numbers}), not acted on`,
      });
      continue;
    }
    const allow = allowedBy(policy.allow, ev);
    if (allow) {
      findings.push({
        categories: ['allowed-reuse'],
        text: `${what} — allowed reuse${ev.declared ? ', declared in base_model' : ''} (${numbers})`,
      });
      continue;
    }
    const declaredOrNot: Category =
      ev.verdict === 'identical'
        ? ev.declared
          ? 'identical-declared'
          : 'identical-undeclared'
        : ev.declared
          ? 'derived-declared'
          : 'derived-undeclared';
    findings.push({
      categories: [ev.verdict, declaredOrNot],
      text: `${what} — ${ev.declared ? 'declared in base_model' : 'not declared in base_model'} (${numbers})`,
    });
  }
  for (const u of input.lineage?.unsupported ?? []) {
    findings.push({
      categories: ['declared-unsupported'],
      text:
        `base_model declares ${u.base}, but the weights show no derivation ` +
        `(${u.comparisons.map((c) => `${c.component ? `${c.component}: ` : ''}${c.verdict}`).join(', ')})`,
    });
  }
  if (input.tokenizerMatch) {
    const t = input.tokenizerMatch;
    const how = t.relation === 'extends' ? 'extends' : t.relation === 'same' ? 'is essentially' : 'is identical to';
    findings.push({
      categories: ['tokenizer-reuse'],
      text: `tokenizer ${how} ${t.entry} (${t.family})`,
    });
  }
  if (input.configMatch) {
    findings.push({
      categories: ['config-reuse'],
      text:
        `config.json states the same architecture as ${input.configMatch.entry} (${input.configMatch.family}); ` +
        'context only, never evidence on its own',
    });
  }
  const broken = input.registryErrors ?? [];
  if (broken.length) {
    const shown = broken
      .slice(0, 3)
      .map((e) => `${e.entry} (${e.reason})`)
      .join('; ');
    findings.push({
      categories: [],
      severity: { result: policy.registryErrors, label: 'registry-errors' },
      text:
        `${broken.length} registry entr${broken.length === 1 ? 'y' : 'ies'} could not be read, ` +
        `so the model cannot be called independent: ${shown}` +
        (broken.length > 3 ? `; and ${broken.length - 3} more` : ''),
    });
  }
  const onInconclusive = policy.onInconclusive ?? 'warn';
  if (input.verdict === 'inconclusive')
    findings.push({
      categories: ['inconclusive'],
      // unreadable entries are governed by registry-errors above; fail-on/warn-on [inconclusive] apply on top
      ...(onInconclusive !== 'pass' && !broken.length && !policy.failOn.includes('inconclusive')
        ? { severity: { result: onInconclusive, label: 'on-inconclusive' } }
        : {}),
      text: broken.length
        ? 'inconclusive: registry entries that could not be read were not compared'
        : 'inconclusive: registry entries share tensor shapes, element counts or sub-blocks with the model, ' +
          'but none could be judged conclusively (no tensor of compatible shape is not evidence of independence)',
    });
  if (input.novel && input.verdict === 'independent')
    findings.push({
      categories: [],
      text:
        'no registry entry shares a tensor shape, element count or sub-block with this model: a new architecture, ' +
        'with nothing registered it could derive from',
    });

  const reasons: string[] = [];
  let result: PolicyOutcome['result'] = 'pass';
  for (const f of findings) {
    if (f.severity) {
      if (f.severity.result === 'fail') result = 'fail';
      else if (result === 'pass') result = 'warn';
      reasons.push(`${f.severity.result} (${f.severity.label}): ${f.text}`);
      continue;
    }
    const failing = f.categories.filter((c) => policy.failOn.includes(c));
    const warning = f.categories.filter((c) => policy.warnOn.includes(c));
    if (failing.length) {
      result = 'fail';
      reasons.push(`fail (${failing[failing.length - 1]}): ${f.text}`);
    } else if (warning.length) {
      if (result === 'pass') result = 'warn';
      reasons.push(`warn (${warning[warning.length - 1]}): ${f.text}`);
    } else reasons.push(`info${f.categories.length ? ` (${f.categories[f.categories.length - 1]})` : ''}: ${f.text}`);
  }
  const out: PolicyOutcome = { result, reasons };
  if (policy.grades) out.grades = gradeComponents(policy.grades, input.components);
  return out;
}

/** "T4-2 — own weights, borrowed architecture (modified): config/Llama-3.1-8B" per component. */
export function gradeComponents(scale: GradeScale, components: ComponentEvidence[]): Record<string, string> {
  const grades: Record<string, string> = {};
  for (const ev of components) {
    const rule = scale.rules.find((r) =>
      GRADE_FIELDS.every((f) => {
        const c = r.when[f];
        return c === undefined || test(c, ev[f]);
      }),
    );
    if (!rule) {
      grades[ev.component] = 'ungraded';
      continue;
    }
    const fields = Object.keys(rule.when);
    const from =
      fields.includes('verdict') || fields.includes('expanded') || fields.includes('merged')
        ? ev.entry
        : fields.includes('config')
          ? ev.configEntry
          : fields.includes('tokenizer')
            ? ev.tokenizerEntry
            : undefined;
    grades[ev.component] = `${rule.grade}${rule.label ? ` — ${rule.label}` : ''}${from ? `: ${from}` : ''}`;
  }
  return grades;
}

function test(c: Condition, v: Scalar | undefined): boolean {
  if (v === undefined) return false;
  if (c.op === 'in')
    return c.values.some(
      (x) => x === v || (typeof x === 'string' && typeof v === 'string' && x.toLowerCase() === v.toLowerCase()),
    );
  const x = c.value;
  switch (c.op) {
    case '==':
      return typeof x === 'string' && typeof v === 'string' ? x.toLowerCase() === v.toLowerCase() : x === v;
    case '!=':
      return typeof x === 'string' && typeof v === 'string' ? x.toLowerCase() !== v.toLowerCase() : x !== v;
    default: {
      if (typeof v !== 'number' || typeof x !== 'number') return false;
      return c.op === '<' ? v < x : c.op === '<=' ? v <= x : c.op === '>' ? v > x : v >= x;
    }
  }
}
