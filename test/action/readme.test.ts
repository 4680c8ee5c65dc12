import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { parsePolicy } from '../../src/policy/load.js';
import { checkReport } from '../../src/check/report.js';
import { result } from './fixtures.js';

// The README's examples are what users copy: they must use only inputs action.yml declares and
// policies our loader accepts.
const ROOT = resolve(__dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

function actionSteps(doc: unknown): Step[] {
  const jobs = (doc as { jobs?: Record<string, { steps?: Step[] }> } | null)?.jobs ?? {};
  return Object.values(jobs)
    .flatMap((j) => j.steps ?? [])
    .filter((s) => s.uses?.startsWith('weightprint/weightprint@'));
}

describe('README examples', () => {
  it('has workflow examples for gating, a public repo, a consortium and forks', () => {
    const steps = blocks.flatMap((b) => parseAllDocuments(b).flatMap((d) => actionSteps(d.toJS())));
    expect(steps.length).toBeGreaterThanOrEqual(5);
    for (const step of steps) {
      for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), `input ${key}`).toContain(key);
    }
  });

  it('shows policies the loader accepts', () => {
    const policies = blocks.filter((b) => /^version: 1$/m.test(b) && /fail-on:/.test(b));
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(() => parsePolicy(p, 'README.md')).not.toThrow();
  });

  it('lists exactly the outputs action.yml declares', () => {
    const line = /Outputs:\s*\n?([\s\S]*?)\.\n/.exec(readme)?.[1] ?? '';
    const listed = [...line.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('shows check --json as the object a one-model check prints (the keys of a real result)', () => {
    const json = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as object);
    const example = json.find((j) => 'matches' in j);
    expect(example).toBeDefined();
    const r = result('release/model');
    const real = { ...checkReport([r]), registry: { entries: 0, shortlisted: 0, compared: 0, errors: [] } };
    expect(Object.keys(example!).sort()).toEqual(Object.keys(real).sort());
    expect(Object.keys((example as typeof real).policy).sort()).toEqual(['grades', 'reasons', 'result']);
    expect(readme).toContain('"models": [');
  });

  it('matches action.yml: node24 and the committed bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
