/** The policy a `check` result is judged by (`.github/weightprint.yml`), after validation. */

/**
 * What a finding is. `derived`/`identical` match whether or not the card declares the base;
 * the `-declared`/`-undeclared` forms distinguish.
 */
export const CATEGORIES = [
  'identical',
  'derived',
  'identical-undeclared',
  'identical-declared',
  'derived-undeclared',
  'derived-declared',
  'allowed-reuse',
  'tokenizer-reuse',
  'config-reuse',
  'declared-unsupported',
  'inconclusive',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Reuse that is acceptable (e.g. an Apache-2.0 vision encoder, declared in base_model). */
export interface AllowRule {
  /** Component name ("vision encoder") or kind ("vision"); absent: any component. */
  component?: string;
  /** Licences of the source entry (case-insensitive; "Apache-2.0" also matches "Apache-2.0 (…)"). */
  licenses?: string[];
  families?: string[];
  entries?: string[];
  /** Only when the model card's base_model names the source. */
  requireDeclared: boolean;
}

/** Fields a grade rule can test, per component. */
export const GRADE_FIELDS = [
  'verdict',
  'median_r',
  'exact_share',
  'score',
  'confidence',
  'expanded',
  'merged',
  'config',
  'tokenizer',
  'kind',
  'component',
  'license',
  'family',
  'declared',
] as const;

type GradeField = (typeof GRADE_FIELDS)[number];

export type Scalar = string | number | boolean;

/** A test on one field: equality, one of a list, or a comparison such as ">= 0.8". */
export type Condition = { op: 'in'; values: Scalar[] } | { op: '<' | '<=' | '>' | '>=' | '==' | '!='; value: Scalar };

export interface GradeRule {
  grade: string;
  label?: string;
  when: Partial<Record<GradeField, Condition>>;
}

export interface GradeScale {
  name: string;
  /** First matching rule wins. */
  rules: GradeRule[];
}

export interface Policy {
  /** File it came from, or "(default policy)". */
  source: string;
  /** Derivation findings below this confidence are reported, not acted on. */
  minConfidence: number;
  failOn: Category[];
  warnOn: Category[];
  allow: AllowRule[];
  exitCodes: { pass: number; warn: number; fail: number };
  grades?: GradeScale;
  /**
   * What a registry entry that could not be read (tampered, unreachable, invalid) does to the
   * result: `fail` (default) or `warn`. Either way the verdict cannot be `independent`.
   */
  registryErrors: 'fail' | 'warn';
  /**
   * What an `inconclusive` model verdict (registry entries share tensor shapes, element counts or
   * sub-blocks with the model but none could be judged) does to the result: `warn` (default),
   * `fail` or `pass`. A `fail-on`/`warn-on` entry `inconclusive` still applies on top.
   */
  onInconclusive?: 'pass' | 'warn' | 'fail';
  /**
   * What an `inconclusive` model verdict does when most of the model's parameters are in tensors the
   * engine cannot compare as matrices (1-D, integer or packed bytes, undecoded quantisations, name-fixed
   * buffers): `fail` (default: no real release stores its matrices that way, a copy flattened or bitcast
   * would), `warn` or `pass`.
   */
  onOpaque?: 'pass' | 'warn' | 'fail';
  /**
   * What a component that resembles a registry entry beyond controls, without a decision, does to
   * the result: the statistics cannot tell a derivative (say A's weights scaled down, noised and
   * trained further) from a sibling trained from the same random initialisation, so a human must
   * review. `fail` (default), `warn` or `pass`; the verdict stays `inconclusive` either way.
   */
  onResemblance?: 'pass' | 'warn' | 'fail';
  /**
   * What a component judged `independent` as a shared-seed sibling does to the result: `warn`
   * (default), `fail` (a consortium whose members must not start from one another's seeds) or `pass`.
   * An author can disguise a derivative as a sibling (see README "What it does not see").
   */
  sharedInit?: 'pass' | 'warn' | 'fail';
  /**
   * How many registry entries a check challenges per model (re-reads both sides at a private sample
   * seed, check/challenge.ts): `auto` (default: 4), `off`, or a count. The CLI's `--challenge` and the
   * Action's `challenge` input override it.
   */
  challenge?: ChallengeSetting;
  /**
   * What an entry that should have been challenged and could not be (no readable source, over the
   * count) does to the result: `warn` (default), `fail` (a consortium that must see every model
   * challenged) or `pass`.
   */
  onUnchallenged?: 'pass' | 'warn' | 'fail';
}

/** A component's resemblance to a registry entry that the shared-initialisation rule judged. */
export interface ResemblanceFinding {
  entry: string;
  component: string;
  finding: 'undecided' | 'shared-init';
  median_r: number;
  tensors: number;
  compared: number;
  z: number;
  containment: number;
  gain_r?: number;
  gains: number;
  /** Found only by the challenge sample, at a private seed (the published sample found none). */
  private_seed?: boolean;
}

/** `auto` (4 entries per model), `off`, or the most entries challenged per model. */
export type ChallengeSetting = 'auto' | 'off' | number;

export function parseChallengeSetting(v: unknown): ChallengeSetting | undefined {
  if (v === 'auto' || v === 'off') return v;
  if (v === false) return 'off';
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 1000) return n === 0 ? 'off' : n;
  return undefined;
}

/** Evidence about one component of the checked model, collected over every registry comparison. */
export interface ComponentEvidence {
  component: string;
  kind: string;
  /** Strongest weight verdict for this component; 'none' when no entry was comparable. */
  verdict: 'identical' | 'derived' | 'independent' | 'inconclusive' | 'none';
  /** Registry entry the verdict is about. */
  entry?: string;
  family?: string;
  license?: string;
  median_r?: number;
  exact_share?: number;
  score?: number;
  confidence?: number;
  /** The component has clearly more parameters than its source (depth/width up-scaling). */
  expanded: boolean;
  /** Derived from entries of two or more families (a merge). */
  merged: boolean;
  /** The model's config against known configs: same architecture, same model type but modified, or neither. */
  config: 'same' | 'modified' | 'different' | 'unknown';
  configEntry?: string;
  /** The model's tokenizer against known tokenizers (text components only). */
  tokenizer: 'identical' | 'same' | 'extends' | 'subset' | 'overlaps' | 'unrelated' | 'unknown';
  tokenizerEntry?: string;
  /** The model card's base_model names the entry. */
  declared: boolean;
}

/** Tokenizer relations that count as reuse of a known tokenizer (the `tokenizer-reuse` category). */
export const TOKENIZER_REUSE = ['identical', 'same', 'extends'] as const;
export type TokenizerReuse = (typeof TOKENIZER_REUSE)[number];

export interface PolicyOutcome {
  result: 'pass' | 'warn' | 'fail';
  reasons: string[];
  grades?: Record<string, string>;
}
