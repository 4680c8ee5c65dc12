/**
 * Smoke test of the adversary harness's numpy trainer (scripts/adversary/llama.py): its gradient
 * agrees with central finite differences on a tiny llama (tied and untied head), the check catches
 * a gradient that is off by 1 %, and AdamW steps lower the loss. The harness itself (training real
 * models, minutes of CPU) runs only by `npm run adversary`. Skips when python3 with numpy is absent.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/adversary/gradcheck.py');
const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const hasNumpy = probe.status === 0;
if (!hasNumpy) console.warn('python3 with numpy not found: the adversary trainer smoke test is skipped');

describe.skipIf(!hasNumpy)('adversary trainer (numpy llama)', () => {
  it('has a correct gradient and learns', () => {
    const run = spawnSync('python3', [script], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, number>;
    // ≤ 1 means |analytic − numeric| ≤ 1e-7 + 1e-4·|numeric| at every checked coordinate
    expect(out.tied).toBeLessThan(1);
    expect(out.untied).toBeLessThan(1);
    expect(out.corrupted).toBeGreaterThan(1);
    expect(out.loss_after).toBeLessThan(out.loss_before! * 0.5);
  });
});
