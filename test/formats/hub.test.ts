/**
 * The `hf:` source against the loopback Hub: same fingerprints as the local files (sample and
 * full), bytes read in sample mode, and every transport fault ending in a successful retry or a
 * clear InputError — never in a fingerprint drawn from partial data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { hubOpener, openHubModel, parseHubSpec, type HubOptions } from '../../src/formats/hub.js';
import { openModel } from '../../src/formats/model.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { startHubServer, type Fault, type HubServer } from '../helpers/hub-server.js';
import { largeMatrixRepo, llamaLayout, shardedRepo, smallRepo, virtualShardedRepo, writeRepo } from './hub-fixtures.js';

let server: HubServer;
let tmp: string;
const sleeps: number[] = [];
/** Fast retries; sleeps are recorded (Retry-After must show up) and skipped. */
const http: HubOptions['http'] = {
  backoffMs: 1,
  maxBackoffMs: 4,
  timeoutMs: 400,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
};
const opts = (): HubOptions => ({ hubUrl: server.url, http });

async function hubFingerprint(
  spec: string,
  mode: 'sample' | 'full',
  o: HubOptions = opts(),
): Promise<FingerprintDocument> {
  const src = await openHubModel(spec, o);
  try {
    return await fingerprintModel(src, { mode });
  } finally {
    await src.close();
  }
}

/** Everything but where the bytes came from. */
function content(doc: FingerprintDocument) {
  const { source: _s, ...rest } = doc;
  return rest;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'weightprint-hub-'));
  server = await startHubServer({
    repos: [
      { id: 'org/small', files: smallRepo(1) },
      { id: 'org/sharded', files: shardedRepo(2, 3) },
      { id: 'org/gated', files: smallRepo(3), gated: true },
      { id: 'org/large', files: largeMatrixRepo().files },
      { id: 'org/pickle', files: { 'pytorch_model.bin': new Uint8Array(16), 'config.json': '{}' } },
    ],
  });
  await writeRepo(join(tmp, 'small'), smallRepo(1));
  await writeRepo(join(tmp, 'sharded'), shardedRepo(2, 3));
});

afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('hf: spec', () => {
  it('parses org/name and an optional revision', () => {
    expect(parseHubSpec('hf:Qwen/Qwen2.5-7B')).toEqual({ repo: 'Qwen/Qwen2.5-7B', revision: 'main' });
    expect(parseHubSpec('hf:Qwen/Qwen2.5-7B@v1.0')).toEqual({ repo: 'Qwen/Qwen2.5-7B', revision: 'v1.0' });
    expect(() => parseHubSpec('hf:../etc/passwd')).toThrow(InputError);
    expect(() => parseHubSpec('hf:org/name@')).toThrow(/revision/);
  });
});

describe('fingerprints over hf: equal the local ones', () => {
  it('single file, sample mode: identical tensor samples, config, tokenizer and card', async () => {
    const hub = await hubFingerprint('hf:org/small', 'sample');
    const local = await loadFingerprint(join(tmp, 'small'), { mode: 'sample' });
    expect(hub.source.kind).toBe('hub');
    expect(hub.mode).toBe('sample');
    expect(content(hub)).toEqual(content(local));
    expect(hub.tokenizer).toBeDefined();
    expect(hub.config).toBeDefined();
  });

  it('sharded, sample and full mode: identical, sha256 included', async () => {
    for (const mode of ['sample', 'full'] as const) {
      const hub = await hubFingerprint('hf:org/sharded', mode);
      const local = await loadFingerprint(join(tmp, 'sharded'), { mode });
      expect(hub.source.files).toEqual(local.source.files.map((f) => f.split('/').pop()));
      expect(hub.source.totalBytes).toBe(local.source.totalBytes);
      expect(content(hub)).toEqual(content(local));
      if (mode === 'full') expect(hub.tensors.every((t) => typeof t.sha256 === 'string')).toBe(true);
    }
  });

  it('loadFingerprint opens hf: sources with the opener it is given, in sample mode by default', async () => {
    const doc = await loadFingerprint('hf:org/small', { hub: hubOpener({ hubUrl: server.url, http }) });
    expect(doc.mode).toBe('sample');
    expect(doc.source.id).toBe('hf:org/small');
  });

  it('without a Hub opener, an hf: spec is an input error and nothing is fetched', async () => {
    const before = server.requests.length;
    const err = await loadFingerprint('hf:org/small').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      'hf:org/small: is a Hugging Face Hub model; this command reads local files only',
    );
    expect(server.requests.length).toBe(before);
  });

  it('pins the revision to a commit and reads every file at it', async () => {
    const before = server.requests.length;
    const src = await openHubModel('hf:org/small@main', opts());
    await src.readText('config.json');
    await src.close();
    expect(src.commit).toBe(server.commitOf('org/small'));
    const resolves = server.requests.slice(before).filter((r) => r.path.includes('/resolve/'));
    expect(resolves.length).toBeGreaterThan(0);
    expect(resolves.every((r) => r.path.includes(`/resolve/${src.commit}/`))).toBe(true);
  });

  it('reports bytes read: all network bytes, metadata and side files included', async () => {
    const served0 = server.bytesServed();
    const doc = await hubFingerprint('hf:org/small', 'sample');
    // tree/revision JSON is not "file content" on the server side, so the client sees a bit more
    expect(doc.source.bytesRead).toBeGreaterThanOrEqual(server.bytesServed() - served0);
  });
});

describe('sample mode reads a small share of the bytes', () => {
  it('large matrices: under 5 % of the file', async () => {
    const { totalBytes } = largeMatrixRepo();
    const doc = await hubFingerprint('hf:org/large', 'sample');
    const share = doc.source.bytesRead / totalBytes;
    console.log(
      `sample mode, ${(totalBytes / 2 ** 20).toFixed(0)} MiB BF16 model: ` +
        `read ${(doc.source.bytesRead / 2 ** 20).toFixed(2)} MiB = ${(100 * share).toFixed(2)} %`,
    );
    expect(share).toBeLessThan(0.05);
  });

  it('Llama-3-8B layout (16 GB, 4 shards) over the loopback Hub: ≤ 600 requests in all, < 0.05 % read', async () => {
    const layout = llamaLayout({ hidden: 4096, ffn: 14336, layers: 32, kv: 1024, vocab: 128256 });
    const { files, totalBytes } = virtualShardedRepo(layout, 4);
    server.addRepo({ id: 'virtual/llama3-8b', files });
    const before = server.requests.length;
    const src = await openHubModel('hf:virtual/llama3-8b', { hubUrl: server.url, http: { concurrency: 16 } });
    const lines: string[] = [];
    const doc = await fingerprintModel(src, {
      mode: 'sample',
      onProgress: (p) => lines.push(`${p.requests ?? 0}/${p.requestsTotal ?? 0} ${p.bytesFetched ?? 0}`),
    });
    await src.close();
    const requests = server.requests.length - before;
    const share = doc.source.bytesRead / totalBytes;
    console.log(
      `sample mode, Llama-3-8B layout (${(totalBytes / 1e9).toFixed(1)} GB, ${layout.length} tensors): ` +
        `${requests} requests (metadata included), ` +
        `read ${(doc.source.bytesRead / 2 ** 20).toFixed(1)} MiB = ${(100 * share).toFixed(3)} %`,
    );
    expect(doc.tensors).toHaveLength(layout.length);
    // 2 range requests per matrix, 32 per embedding-like matrix, a handful per shard for metadata
    expect(requests).toBeLessThanOrEqual(600);
    expect(share).toBeLessThan(0.0005);
    // progress counts requests and bytes, ending at the planned total
    expect(lines.length).toBeGreaterThan(100);
    const [done, total] = lines[lines.length - 1]!.split(' ')[0]!.split('/').map(Number);
    expect(done).toBe(total);
  });
});

describe('transport faults end in a retry that succeeds or a clear InputError', () => {
  let baseline: FingerprintDocument;
  beforeAll(async () => {
    baseline = await hubFingerprint('hf:org/small', 'sample');
  });

  async function withFault(fault: Fault | Fault[], o: HubOptions = opts()): Promise<FingerprintDocument> {
    server.clearFaults();
    for (const f of Array.isArray(fault) ? fault : [fault]) server.fault(f);
    try {
      return await hubFingerprint('hf:org/small', 'sample', o);
    } finally {
      server.clearFaults();
    }
  }

  async function expectSameAsBaseline(fault: Fault | Fault[]) {
    const doc = await withFault(fault);
    expect(content(doc)).toEqual(content(baseline));
    return doc;
  }

  async function expectInputError(fault: Fault | Fault[], ...fragments: RegExp[]) {
    const err = await withFault(fault).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as InputError).message;
    expect(msg).toMatch(/^hf:org\/small/);
    expect(msg).not.toMatch(/[\r\n]/);
    for (const f of fragments) expect(msg).toMatch(f);
    return msg;
  }

  it('429 with Retry-After: waits at least that long, then succeeds', async () => {
    sleeps.length = 0;
    await expectSameAsBaseline({ kind: 'status', status: 429, retryAfter: '2', skip: 3 });
    expect(sleeps.some((ms) => ms >= 2000)).toBe(true);
  });

  it('500 and 503 on data reads: retried with backoff', async () => {
    sleeps.length = 0;
    await expectSameAsBaseline([
      { kind: 'status', status: 500, skip: 2 },
      { kind: 'status', status: 503, skip: 4, times: 2 },
    ]);
    expect(sleeps.length).toBeGreaterThanOrEqual(3);
  });

  it('5xx on the Hub API (listing, revision) and on resolve: retried', async () => {
    await expectSameAsBaseline([
      { kind: 'status', status: 503, host: 'hub', path: '/api/models/', times: 2 },
      { kind: 'status', status: 502, host: 'hub', path: '/resolve/', skip: 1 },
    ]);
  });

  it('a Retry-After beyond the allowed wait: clear error', async () => {
    await expectInputError({ kind: 'status', status: 429, retryAfter: '3600', skip: 2 }, /HTTP 429/, /wait 3600 s/);
  });

  it('503 on every attempt: clear error after the bounded attempts', async () => {
    await expectInputError({ kind: 'status', status: 503, skip: 3, times: Infinity }, /HTTP 503 after 6 attempts/);
  });

  it('connection dropped mid-body (data read and header read): retried, same result', async () => {
    await expectSameAsBaseline({ kind: 'drop', skip: 4 });
    await expectSameAsBaseline({ kind: 'drop', skip: 1 });
  });

  it('dropped on every attempt: clear error', async () => {
    await expectInputError(
      { kind: 'drop', skip: 4, times: Infinity },
      /(connection dropped mid-body|connection failed)/,
      /after 6 attempts/,
    );
  });

  it('a wrong Content-Range is rejected, never used', async () => {
    await expectInputError({ kind: 'wrong-range', skip: 4 }, /wrong Content-Range/);
  });

  it('a server that ignores Range (200 with the whole file) is rejected', async () => {
    await expectInputError({ kind: 'ignore-range', skip: 4 }, /instead of 206/);
  });

  it('the file changing during the read (new ETag) is an error', async () => {
    await expectInputError({ kind: 'etag-change', skip: 4 }, /changed on the server/);
  });

  it('a stall past the timeout is retried; a stall on every attempt is a clear error', async () => {
    await expectSameAsBaseline({ kind: 'stall', skip: 4 });
    await expectSameAsBaseline({ kind: 'stall', host: 'hub', path: '/api/models/', ranged: false });
    await expectInputError(
      { kind: 'stall', skip: 4, times: Infinity },
      /timeout after 6 attempts/,
      /no data for 400 ms/,
    );
  }, 30_000);

  it('an expired CDN link (403 from the download host) is resolved again through the Hub', async () => {
    const before = server.requests.length;
    await expectSameAsBaseline({ kind: 'status', status: 403, skip: 4 });
    const after = server.requests.slice(before);
    const i = after.findIndex((r) => r.status === 403);
    expect(after.slice(i + 1).some((r) => r.host === 'hub' && r.path.includes('/resolve/'))).toBe(true);
  });

  it('a gated repo without a token: InputError naming HF_TOKEN and the licence', async () => {
    const saved = process.env.HF_TOKEN;
    delete process.env.HF_TOKEN;
    try {
      const err = await hubFingerprint('hf:org/gated', 'sample').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/^hf:org\/gated.*HTTP 401.*HF_TOKEN.*licence/);
    } finally {
      if (saved !== undefined) process.env.HF_TOKEN = saved;
    }
  });

  it('a gated repo with a token: succeeds; the token goes to the Hub only, never to the CDN', async () => {
    const before = server.requests.length;
    const doc = await hubFingerprint('hf:org/gated', 'sample', { ...opts(), accessToken: server.token });
    expect(doc.tensors.length).toBeGreaterThan(0);
    const reqs = server.requests.slice(before);
    expect(reqs.filter((r) => r.host === 'hub').every((r) => r.authorization === `Bearer ${server.token}`)).toBe(true);
    expect(reqs.filter((r) => r.host === 'cdn').length).toBeGreaterThan(0);
    expect(reqs.filter((r) => r.host === 'cdn').every((r) => r.authorization === undefined)).toBe(true);
  });

  it('a wrong token on a gated repo: InputError saying the token has no access', async () => {
    const err = await hubFingerprint('hf:org/gated', 'sample', { ...opts(), accessToken: 'hf_wrong' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/HF_TOKEN has no access.*licence/);
  });
});

describe('environment and errors', () => {
  it('HF_ENDPOINT and HF_TOKEN are respected by the default opener', async () => {
    const saved = { e: process.env.HF_ENDPOINT, t: process.env.HF_TOKEN };
    process.env.HF_ENDPOINT = server.url;
    process.env.HF_TOKEN = server.token;
    try {
      const m = await openModel('hf:org/gated', { hub: hubOpener() });
      expect(m.kind).toBe('hub');
      expect(m.tensors.length).toBeGreaterThan(0);
      await m.close();
    } finally {
      for (const [k, v] of [
        ['HF_ENDPOINT', saved.e],
        ['HF_TOKEN', saved.t],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('a missing repo or revision: not found', async () => {
    await expect(openHubModel('hf:org/none', opts())).rejects.toThrow(
      /^hf:org\/none: repository or revision not found/,
    );
    await expect(openHubModel('hf:org/small@v9', opts())).rejects.toThrow(/not found/);
  });

  it('a repo whose only weights are a .bin that is not a torch.save zip: the PyTorch reader says so', async () => {
    await expect(openHubModel('hf:org/pickle', opts())).rejects.toThrow(
      /^hf:org\/pickle\/pytorch_model\.bin: not a PyTorch checkpoint: no zip signature/,
    );
  });

  it('side files: present ones read, absent ones undefined without a request', async () => {
    const src = await openHubModel('hf:org/small', opts());
    const before = server.requests.length;
    expect(await src.readText('tokenizer_config.json')).toBeUndefined();
    expect(server.requests.length).toBe(before);
    expect(JSON.parse((await src.readText('config.json'))!)).toHaveProperty('hidden_size');
    await expect(src.readText('../secret')).rejects.toThrow(RangeError);
    // binary side files (a SentencePiece tokenizer.model) come back byte for byte
    const readme = await src.readBytes!('README.md');
    expect(Buffer.from(readme!).toString('utf8')).toBe(smallRepo(1)['README.md']);
    await src.close();
  });

  it('a sharded index naming a shard that is not in the repository: InputError', async () => {
    const files = shardedRepo(5, 2);
    delete files['model-00002-of-00002.safetensors'];
    server.addRepo({ id: 'org/broken', files });
    const err = await openHubModel('hf:org/broken', opts()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^hf:org\/broken\/model\.safetensors\.index\.json: /);
  });

  it('a shard whose header does not tile its data (tampered upload): rejected like a local file', async () => {
    const good = smallRepo(6)['model.safetensors'] as Uint8Array;
    const cut = good.slice(0, good.length - 4);
    server.addRepo({ id: 'org/truncated', files: { 'model.safetensors': cut } });
    await expect(openHubModel('hf:org/truncated', opts())).rejects.toThrow(/^hf:org\/truncated\/model\.safetensors: /);
  });
});
