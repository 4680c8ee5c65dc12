/** Shared set-up for the App tests: keys, signed deliveries, payloads, temp dirs, small models. */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../../src/check/types.js';
import type { Verdict } from '../../src/compare/types.js';
import { openModel } from '../../src/formats/model.js';
import { encodeSafetensors } from '../../src/formats/writer.js';
import { checkConclusion, renderCheckMarkdown } from '../../src/report/markdown.js';
import type { Analyse } from '../../src/app/processor.js';
import type { AppConfig } from '../../src/app/config.js';

export function rsaKeys(): { privateKey: string; publicKey: string } {
  // PKCS#1 ("BEGIN RSA PRIVATE KEY") is what GitHub hands out for Apps.
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Delivery {
  event: string;
  delivery: string;
  payload: unknown;
  /** Secret to sign with; undefined sends no signature header. */
  secret?: string;
  /** Overrides the computed signature. */
  signature?: string;
}

/** What the webhook endpoint answers (src/app/server.ts): queued job ids, or why nothing was queued. */
export interface WebhookAnswer {
  delivery?: string;
  queued?: number;
  /** Empty when nothing was queued. */
  jobs: number[];
  duplicate?: boolean;
  ignored?: string;
  error?: string;
}

export async function postWebhook(baseUrl: string, d: Delivery): Promise<{ status: number; body: WebhookAnswer }> {
  const body = JSON.stringify(d.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': d.event,
    'x-github-delivery': d.delivery,
    'user-agent': 'GitHub-Hookshot/test',
  };
  const sig = d.signature ?? (d.secret !== undefined ? signBody(d.secret, body) : undefined);
  if (sig) headers['x-hub-signature-256'] = sig;
  const res = await fetch(`${baseUrl}/api/github/webhooks`, { method: 'POST', headers, body });
  const text = await res.text();
  const parsed: Partial<WebhookAnswer> = text ? JSON.parse(text) : {};
  return { status: res.status, body: { ...parsed, jobs: parsed.jobs ?? [] } };
}

export function prPayload(o: {
  installationId: number;
  owner: string;
  repo: string;
  number: number;
  sha: string;
  action?: string;
  /** The base commit (where the App reads the manifest); default a commit with no manifest. */
  baseSha?: string;
  /** The base branch (default `main`, the fake's default branch). */
  baseRef?: string;
}) {
  return {
    action: o.action ?? 'opened',
    number: o.number,
    pull_request: {
      number: o.number,
      head: { sha: o.sha, ref: 'feature' },
      base: { ref: o.baseRef ?? 'main', sha: o.baseSha ?? '0'.repeat(40) },
    },
    repository: { name: o.repo, full_name: `${o.owner}/${o.repo}`, owner: { login: o.owner } },
    installation: { id: o.installationId },
    sender: { login: 'someone' },
  };
}

export async function tempDir(prefix = 'wp-app-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function testConfig(dir: string, over: Partial<AppConfig> = {}): AppConfig {
  return {
    appId: 4242,
    privateKey: over.privateKey ?? rsaKeys().privateKey,
    webhookSecrets: ['s3cret'],
    port: 0,
    host: '127.0.0.1',
    dbPath: join(dir, 'app.db'),
    githubApiUrl: 'http://127.0.0.1:9',
    registries: [],
    concurrency: 2,
    onError: 'failure',
    ...over,
  };
}

/** A tiny but valid safetensors file; `seed` varies the values. */
export function tinyModel(seed: number, rows = 8, cols = 16): Buffer {
  const data = new Float32Array(rows * cols);
  let x = seed * 2654435761;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = (x / 2 ** 32 - 0.5) * 0.1;
  }
  const bytes = new Uint8Array(data.buffer);
  return Buffer.from(
    encodeSafetensors([
      { name: 'model.embed_tokens.weight', dtype: 'F32', shape: [rows, cols], data: bytes },
      { name: 'model.layers.0.mlp.up_proj.weight', dtype: 'F32', shape: [cols, rows], data: bytes },
    ]),
  );
}

/**
 * The analysis the server tests inject until src/check.ts (runCheck) is in the tree: it opens
 * each model with the real reader (so the LFS copy must be a valid safetensors file with the
 * expected tensors), renders with the real report renderer, and takes the verdict from the
 * test's table instead of from the comparison engine.
 */
export function readingAnalyse(
  verdictFor: (name: string) => { verdict: Verdict; policy: 'pass' | 'warn' | 'fail' },
  opts: { delayMs?: number; calls?: string[] } = {},
): Analyse {
  return async (job) => {
    const results: CheckResult[] = [];
    const errors: { model: string; message: string }[] = [];
    for (const model of job.models) {
      const name = job.displayNames[model] ?? model;
      opts.calls?.push(name);
      // Hub ids are not opened: tests have no network. Repo models are read for real; one that
      // cannot be read is that model's error, as in the real analysis.
      let tensors = 0;
      if (!model.startsWith('hf:')) {
        try {
          const src = await openModel(model, { lfs: job.lfs });
          tensors = src.tensors.length;
          await src.close();
        } catch (err) {
          errors.push({ model, message: (err as Error).message });
          continue;
        }
      }
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const v = verdictFor(name);
      results.push({
        model,
        verdict: v.verdict,
        policy: {
          result: v.policy,
          reasons: [
            model.startsWith('hf:') ? `${name} (Hub id; not fetched in tests)` : `${tensors} tensors read from ${name}`,
          ],
        },
        matches: [],
      });
    }
    const shown = results.map((r) => ({ ...r, model: job.displayNames[r.model] ?? r.model }));
    const modelMarkdown = Object.fromEntries(results.map((r, i) => [r.model, renderCheckMarkdown([shown[i]!])]));
    return {
      results,
      errors,
      markdown: renderCheckMarkdown(shown),
      conclusion: checkConclusion(results),
      modelMarkdown,
    };
  };
}

export async function waitFor<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
