import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Guards against hangs, not speed assertions: two forks on a shared 2-core machine stretch the
    // heaviest cases (eight fingerprints in a sketch-parity case, 18 tokenizer signatures) past 120 s.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // builds each bundle a test asks for once per run (test/helpers/bundle.ts)
    globalSetup: ['test/helpers/bundle-setup.ts'],
    // vitest's default is one fork fewer than the cores, which on CI's 2 cores runs every file on
    // one core while the other idles; the main process only collects results.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
