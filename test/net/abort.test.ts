/**
 * The HTTP client's signal (the App's job budget) cancels a request in flight, body included, and
 * is never retried as a dropped connection: a server dribbling bytes, or stalling, cannot hold a
 * job past its budget. Triggers are events (bytes arriving, the server logging a request), not clocks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { hubOpener } from '../../src/formats/hub.js';
import { HttpClient } from '../../src/net/http.js';
import { smallRepo } from '../formats/hub-fixtures.js';
import { startHubServer } from '../helpers/hub-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** Answers headers and the first 64 KiB of a 1 MiB body, then nothing: a server stalled mid-body. */
async function stallingServer(): Promise<{ url: string; requests: () => number; closed: Promise<void> }> {
  let requests = 0;
  let closedResolve!: () => void;
  const closed = new Promise<void>((r) => {
    closedResolve = r;
  });
  const server: Server = createServer((_req, res) => {
    requests++;
    res.on('close', () => closedResolve());
    res.writeHead(200, { 'content-length': String(1024 * 1024), 'content-type': 'application/octet-stream' });
    res.write(new Uint8Array(64 * 1024));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/weights`, requests: () => requests, closed };
}

const budget = () => new Error('timed out after 1800 s');

describe('HttpClient with a signal', () => {
  it('a body stalled mid-way: the abort cancels the request at once, with its reason, never retried', async () => {
    const server = await stallingServer();
    const controller = new AbortController();
    const reason = budget();
    // no idle timeout would end this within the test: only the abort can
    const client = new HttpClient({ signal: controller.signal, timeoutMs: 3_600_000, attempts: 6 });
    const run = client.request(server.url, {
      id: 'weights',
      maxBody: 1024 * 1024,
      expectLength: 1024 * 1024,
      onBytes: () => controller.abort(reason),
    });
    await expect(run).rejects.toBe(reason);
    // the server sees its connection closed: the request is cancelled, not abandoned to finish
    await server.closed;
    expect(server.requests()).toBe(1);
  });

  it('aborted during a backoff wait: no further attempt, the reason is thrown', async () => {
    const controller = new AbortController();
    const reason = budget();
    let calls = 0;
    const client = new HttpClient({
      signal: controller.signal,
      fetch: (async () => {
        calls++;
        return new Response('', { status: 503 });
      }) as typeof fetch,
      // a wait that never ends by itself: the abort must end it
      sleep: () => {
        controller.abort(reason);
        return new Promise<void>(() => {});
      },
    });
    await expect(client.request('http://x/a', { id: 'x', maxBody: 10 })).rejects.toBe(reason);
    expect(calls).toBe(1);
  });

  it('aborted during the real backoff wait: its timer is cleared, nothing keeps the process alive', async () => {
    const controller = new AbortController();
    const reason = budget();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const client = new HttpClient({
      signal: controller.signal,
      backoffMs: 600_000,
      maxBackoffMs: 600_000,
      fetch: (async () => new Response('', { status: 503 })) as typeof fetch,
      onRetry: () => {
        // the wait is about to start: abort once it has
        queueMicrotask(() => controller.abort(reason));
      },
    });
    await expect(client.request('http://x/a', { id: 'x', maxBody: 10 })).rejects.toBe(reason);
    expect(timers()).toBe(before);
  });

  it('a Hub model whose weights stall: loadFingerprint rejects with the reason, no request after it', async () => {
    const hub = await startHubServer({ repos: [{ id: 'org/small', files: smallRepo() }] });
    closers.push(() => hub.close());
    hub.fault({ kind: 'stall', host: 'cdn', times: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const reason = budget();
    let stalled = 0;
    hub.onRequest((r) => {
      if (r.fault !== 'stall') return;
      stalled++;
      controller.abort(reason);
    });
    const run = loadFingerprint('hf:org/small', {
      mode: 'full',
      hub: hubOpener({ hubUrl: hub.url, http: { timeoutMs: 3_600_000 } }),
      signal: controller.signal,
    });
    await expect(run).rejects.toBe(reason);
    // the requests in flight when it was aborted, none after (the sketch's lanes take no more)
    const atAbort = stalled;
    expect(atAbort).toBeGreaterThan(0);
    expect(hub.requests.filter((r) => r.fault === 'stall').length).toBe(atAbort);
  });
});
