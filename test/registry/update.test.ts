/**
 * The registry workflow's script against the loopback Hub: models.yaml is read, each model is
 * fingerprinted over range reads and added; an unmoved commit is skipped, a moved one refreshed,
 * a gated model without a token reported while the others still go in.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/registry/index.js';
import { listedEntryId, readModelsList, updateFromModelsList } from '../../src/registry/build/update.js';
import { startHubServer, type HubServer } from '../helpers/hub-server.js';
import { shardedRepo, smallRepo } from '../formats/hub-fixtures.js';
import { tempDir } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
let server: HubServer;
let tmp: { dir: string; cleanup: () => Promise<void> };
let modelsFile: string;

beforeAll(async () => {
  tmp = await tempDir('update');
  server = await startHubServer({
    repos: [
      { id: 'org/alpha', files: smallRepo(41) },
      { id: 'org/beta', files: shardedRepo(42, 2) },
      { id: 'org/gated', files: smallRepo(43), gated: true },
    ],
  });
  modelsFile = join(tmp.dir, 'models.yaml');
  await writeFile(
    modelsFile,
    `models:
  - { hf: org/alpha, family: alpha, license: Apache-2.0 }
  - { hf: org/beta, family: beta, license: MIT, note: sharded }
  - { hf: org/gated, family: gated, license: Gated Licence }
`,
  );
});

afterAll(async () => {
  await server?.close();
  await tmp?.cleanup();
});

describe('registry/models.yaml', () => {
  it('the shipped list parses and names the families users care about', async () => {
    const models = await readModelsList(join(ROOT, 'registry/models.yaml'));
    const ids = models.map((m) => m.hf);
    for (const id of [
      'Qwen/Qwen2.5-7B',
      'Qwen/Qwen2.5-VL-7B-Instruct',
      'meta-llama/Llama-3.1-8B',
      'zai-org/GLM-4.5',
      'zai-org/GLM-4.5-Air',
      'deepseek-ai/DeepSeek-V3',
      'mistralai/Mixtral-8x7B-v0.1',
      'google/gemma-2-9b',
      'microsoft/phi-4',
      'google/siglip-so400m-patch14-384',
      'openai/clip-vit-large-patch14',
      'openai/whisper-large-v3',
      'OpenGVLab/InternViT-300M-448px',
    ]) {
      expect(ids).toContain(id);
    }
    expect(models.every((m) => m.license && m.family)).toBe(true);
  });

  it('a malformed list is one line naming the file and the entry', async () => {
    const f = join(tmp.dir, 'bad.yaml');
    await writeFile(f, 'models:\n  - { hf: org/x, family: x }\n');
    await expect(readModelsList(f)).rejects.toThrow(/bad.yaml: models\[0\]\.license must be a non-empty string/);
    await writeFile(f, 'models:\n  - { hf: org/x@v1, family: x, license: MIT }\n');
    await expect(readModelsList(f)).rejects.toThrow(/give the revision as "revision:"/);
  });
});

describe('updateFromModelsList against the loopback Hub', () => {
  const reg = () => join(tmp.dir, 'registry');

  it('adds what it can read, reports the gated model, skips unmoved commits, refreshes moved ones', async () => {
    const models = await readModelsList(modelsFile);
    const lines: string[] = [];
    const first = await updateFromModelsList(models, reg(), { hubUrl: server.url, onProgress: (l) => lines.push(l) });
    expect(first.map((o) => [o.id, o.status])).toEqual([
      ['hf:org/alpha@main', 'added'],
      ['hf:org/beta@main', 'added'],
      ['hf:org/gated@main', 'failed'],
    ]);
    expect(first[2]!.error).toMatch(/HF_TOKEN/);
    expect(first[0]!.bytesRead).toBeGreaterThan(0);
    const registry = await openRegistry(reg());
    const alpha = registry.entry('hf:org/alpha@main')!;
    expect(alpha.source).toBe(`hf:org/alpha@${server.commitOf('org/alpha')}`);
    expect(alpha.mode).toBe('sample');
    expect(alpha.license).toBe('Apache-2.0');
    expect((await registry.verify()).problems).toEqual([]);

    const again = await updateFromModelsList(models, reg(), { hubUrl: server.url, only: ['org/alpha'] });
    expect(again.map((o) => o.status)).toEqual(['unchanged']);

    server.addRepo({ id: 'org/alpha', files: smallRepo(44) }); // a new commit upstream
    const moved = await updateFromModelsList(models, reg(), { hubUrl: server.url, only: ['org/alpha'] });
    expect(moved.map((o) => o.status)).toEqual(['updated']);
    expect((await openRegistry(reg())).entry('hf:org/alpha@main')!.source).toBe(
      `hf:org/alpha@${server.commitOf('org/alpha')}`,
    );

    const withToken = await updateFromModelsList(models, reg(), {
      hubUrl: server.url,
      accessToken: server.token,
      only: ['org/gated'],
    });
    expect(withToken.map((o) => o.status)).toEqual(['added']);
    expect(listedEntryId(models[2]!)).toBe('hf:org/gated@main');
  }, 120_000);

  it('scripts/registry-update.mjs (what the workflow runs) reads HF_ENDPOINT and writes the registry', async () => {
    const dir = join(tmp.dir, 'script-registry');
    const run = promisify(execFile);
    const env = { ...process.env, HF_ENDPOINT: server.url, HF_TOKEN: '' };
    const failed = await run(
      process.execPath,
      [join(ROOT, 'scripts/registry-update.mjs'), '--models', modelsFile, '--registry', dir],
      { env, cwd: ROOT },
    ).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    // the gated model fails without a token: exit 1, the others are written anyway
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/registry update: 2 added, 0 updated, 0 unchanged, 1 failed/);
    expect(failed?.stderr).toMatch(/hf:org\/gated@main: FAILED .*HF_TOKEN/);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    expect(index.entries.map((e: { id: string }) => e.id)).toEqual(['hf:org/alpha@main', 'hf:org/beta@main']);

    const ok = await run(
      process.execPath,
      [join(ROOT, 'scripts/registry-update.mjs'), '--models', modelsFile, '--registry', dir, '--only', 'org/alpha'],
      { env, cwd: ROOT },
    );
    expect(ok.stdout).toMatch(/0 added, 0 updated, 1 unchanged, 0 failed/);
    const verify = await run(process.execPath, [join(ROOT, 'scripts/registry-verify.mjs'), dir], { env, cwd: ROOT });
    expect(verify.stdout).toMatch(/0 bad/);
  }, 180_000);
});
