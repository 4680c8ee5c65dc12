/** Policy: parse `.github/weightprint.yml`, collect per-component evidence, decide pass/warn/fail and grades. */
export { loadPolicy, parsePolicy, DEFAULT_POLICY } from './load.js';
export { evaluatePolicy, gradeComponents, allowedBy, type PolicyInput } from './evaluate.js';
export { componentEvidence, tokenizerRelation, EXPANSION_RATIO, type Compared } from './evidence.js';
export { T_CLASS_2, PRESETS } from './tclass.js';
export * from './types.js';
