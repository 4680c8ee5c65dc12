/**
 * Applies a policy to the evidence of one checked model: findings get a category, categories
 * the policy lists under fail-on / warn-on decide the result, allow rules turn acceptable reuse
 * into an informational finding, and a grade scale (if any) grades each component.
 */
import type { LineageResult } from '../compare/lineage.js';
import { formatPercent, formatZ } from '../util/numbers.js';
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
  type ResemblanceFinding,
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
  /** Components whose resemblance to an entry the shared-initialisation rule judged (compare/siblings.ts). */
  resemblances?: ResemblanceFinding[];
  /**
   * `resemblance` when every inconclusive weights comparison is an undecided resemblance (judged by
   * `on-resemblance`), so the verdict is not also reported as "could not be aligned".
   */
  inconclusiveBy?: 'resemblance';
  /** Share of the model's parameters in 1-D or byte-only tensors, when most are (never a new architecture). */
  opaqueShare?: number;
  /**
   * Entries whose challenge sample showed the model's values at the published sample coordinates
   * rewritten (check/challenge.ts): evidence of an evasion, and it always fails.
   */
  rewritten?: Array<{ entry: string; detail: string }>;
  /** Entries that should have been challenged and were not (no readable source, over the count). */
  unchallenged?: Array<{ entry: string; why: string }>;
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
  for (const r of input.rewritten ?? []) {
    findings.push({
      categories: [],
      severity: { result: 'fail', label: 'sample-rewritten' },
      text: `the published sample coordinates were rewritten to hide ${r.entry}: ${r.detail}`,
    });
  }
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
  findings.push(...resemblanceFindings(policy, input));
  const unchallenged = input.unchallenged ?? [];
  if (unchallenged.length) {
    const onUnchallenged = policy.onUnchallenged ?? 'warn';
    const shown = unchallenged
      .slice(0, 3)
      .map((u) => `${u.entry} (${u.why})`)
      .join('; ');
    findings.push({
      categories: [],
      ...(onUnchallenged !== 'pass' ? { severity: { result: onUnchallenged, label: 'on-unchallenged' } } : {}),
      text:
        `${unchallenged.length} registry entr${unchallenged.length === 1 ? 'y was' : 'ies were'} compared on the ` +
        `published sample only, which an author who rewrote those coordinates would pass: ${shown}` +
        (unchallenged.length > 3 ? `; and ${unchallenged.length - 3} more` : ''),
    });
  }
  // weights mostly stored where the engine cannot compare them are a disguise, not a release layout:
  // `on-opaque` (default fail) governs them apart from shapes that merely could not be aligned
  const opaque = input.opaqueShare !== undefined && !broken.length;
  const onInconclusive = opaque ? (policy.onOpaque ?? 'fail') : (policy.onInconclusive ?? 'warn');
  if (input.verdict === 'inconclusive' && (input.inconclusiveBy !== 'resemblance' || broken.length))
    findings.push({
      categories: ['inconclusive'],
      // unreadable entries are governed by registry-errors above; fail-on/warn-on [inconclusive] apply on top
      ...(onInconclusive !== 'pass' && !broken.length && !policy.failOn.includes('inconclusive')
        ? { severity: { result: onInconclusive, label: opaque ? 'on-opaque' : 'on-inconclusive' } }
        : {}),
      text: broken.length
        ? 'inconclusive: registry entries that could not be read were not compared'
        : input.opaqueShare !== undefined
          ? `inconclusive: ${formatPercent(input.opaqueShare)} of the model's parameters are in 1-D, byte-only ` +
            '(integer, packed) or name-fixed (mask, rotary…) tensors the engine cannot compare as matrices: ' +
            'a matrix flattened, bitcast or renamed would be there, so the model is not passed as a new architecture'
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

/**
 * The figures of a resemblance, e.g. "r 0.70, z 53.8 over 42 tensors; containment 0.70, norm/bias
 * vectors r 1.00 over 13".
 */
function resemblanceNumbers(r: ResemblanceFinding): string {
  const rz =
    r.tensors === r.compared
      ? `r ${fmt(r.median_r)}, z ${formatZ(r.z)} over ${r.compared} tensors`
      : `r ${fmt(r.median_r)} over ${r.tensors} significant tensors, z ${formatZ(r.z)} over ${r.compared}`;
  const gains = r.gains ? `, norm/bias vectors r ${fmt(r.gain_r)} over ${r.gains}` : '';
  const where = r.private_seed
    ? '; found by the challenge sample at a private seed, where the published sample found no resemblance'
    : '';
  return `${rz}; containment ${fmt(r.containment)}${gains}${where}`;
}

/**
 * A resemblance the statistics could not decide is its own category (`on-resemblance`, default
 * fail): an author can choose the containment (A's weights scaled down, noised, trained further),
 * so "inconclusive" here is not "could not be aligned". A component judged a shared-seed sibling
 * is `independent`, and `shared-init` (default warn) says what that costs.
 */
function resemblanceFindings(policy: Policy, input: PolicyInput): Finding[] {
  const out: Finding[] = [];
  // a component found derived from (or a copy of) some entry is judged by that finding
  const decided = new Set(
    input.components.filter((c) => c.verdict === 'derived' || c.verdict === 'identical').map((c) => c.component),
  );
  const onResemblance = policy.onResemblance ?? 'fail';
  const sharedInit = policy.sharedInit ?? 'warn';
  // one finding per entry and kind; its figures are those of the component with the most tensors compared
  const groups = new Map<string, ResemblanceFinding[]>();
  for (const r of input.resemblances ?? []) {
    if (decided.has(r.component)) continue;
    const key = `${r.finding}\u0000${r.entry}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const list of groups.values()) {
    const r = list.reduce((x, y) => (y.compared > x.compared ? y : x));
    const names = list.map((x) => x.component).join(', ');
    const figures = list.length > 1 ? `${r.component}: ${resemblanceNumbers(r)}` : resemblanceNumbers(r);
    if (r.finding === 'undecided') {
      out.push({
        categories: ['inconclusive'],
        ...(onResemblance !== 'pass' && !policy.failOn.includes('inconclusive')
          ? { severity: { result: onResemblance, label: 'on-resemblance' } }
          : {}),
        text:
          `inconclusive: ${names} ${list.length > 1 ? 'resemble' : 'resembles'} ${r.entry} beyond controls ` +
          `(${figures}) but the statistics cannot tell a derivative from a sibling trained from the same ` +
          'random initialisation; a human must review',
      });
    } else {
      out.push({
        categories: [],
        ...(sharedInit !== 'pass' ? { severity: { result: sharedInit, label: 'shared-init' } } : {}),
        text:
          `${names} ${list.length > 1 ? 'are' : 'is'} judged independent of ${r.entry} as a sibling from the same ` +
          `random initialisation (${figures}); weights alone cannot exclude a derivative made to look like one ` +
          "(A's weights scaled down, noised and retrained)",
      });
    }
  }
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
