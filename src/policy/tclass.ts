/**
 * T-Class 2.0, the compliance scale from the Korean foundation-model debate, as an example
 * grade scale (policies may define their own). Graded per component, first matching rule wins.
 *
 * How the evidence maps (the comparison's evidence, see policy/evidence.ts):
 * - T3 expansion/merge: the component derives from an entry (derived or identical) and has
 *   ≥ 15 % more parameters than its source (depth/width up-scaling), or derives from entries of
 *   two or more families (a merge).
 * - T1 fine-tune: derived or identical with median centred correlation r ≥ 0.8 (fine-tunes stay at
 *   0.8–0.999; an exact copy counts as r = 1).
 * - T2 continued pretraining: derived with lower r (continued pretraining drifts to 0.3–0.9).
 * - T4-1 own weights, same config: not derived from any entry, but config.json states exactly
 *   the architecture of a known model (for a vision/audio component: its sub-config).
 * - T4-2 own weights, modified architecture: same model_type as a known model with changed
 *   dimensions, or (text components) a known model's tokenizer reused (identical, same or extended).
 * - T5 own architecture and tokenizer: none of the above.
 */
import type { GradeScale } from './types.js';

export const T_CLASS_2: GradeScale = {
  name: 'T-Class 2.0',
  rules: [
    {
      grade: 'T3',
      label: 'expansion or merge',
      when: { verdict: { op: 'in', values: ['identical', 'derived'] }, expanded: { op: '==', value: true } },
    },
    {
      grade: 'T3',
      label: 'expansion or merge',
      when: { verdict: { op: 'in', values: ['identical', 'derived'] }, merged: { op: '==', value: true } },
    },
    {
      grade: 'T1',
      label: 'fine-tune',
      when: { verdict: { op: 'in', values: ['identical', 'derived'] }, median_r: { op: '>=', value: 0.8 } },
    },
    { grade: 'T2', label: 'continued pretraining', when: { verdict: { op: 'in', values: ['identical', 'derived'] } } },
    {
      grade: 'T4-1',
      label: 'own weights, borrowed architecture (same config)',
      when: { config: { op: '==', value: 'same' } },
    },
    {
      grade: 'T4-2',
      label: 'own weights, borrowed architecture (modified)',
      when: { config: { op: '==', value: 'modified' } },
    },
    {
      grade: 'T4-2',
      label: 'own weights, borrowed tokenizer',
      when: { tokenizer: { op: 'in', values: ['identical', 'same', 'extends'] } },
    },
    { grade: 'T5', label: 'own architecture and tokenizer', when: {} },
  ],
};

/** Scales a policy can name with `grades: { preset: ... }`. */
export const PRESETS: Record<string, GradeScale> = {
  't-class-2.0': T_CLASS_2,
};
