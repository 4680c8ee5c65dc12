/**
 * vitest globalSetup: one temporary directory per test run where test/helpers/bundle.ts builds each
 * bundle at most once, for every test file that asks (files run in parallel forks).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    bundleDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'wp-bundles-'));
  project.provide('bundleDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
