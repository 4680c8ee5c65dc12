/** The HTTP client's retry policy and the range source's checks, with a scripted fetch (no sockets). */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { HttpRangeSource } from '../../src/formats/http-source.js';
import { HttpClient, parseContentRange, parseRetryAfter } from '../../src/net/http.js';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function scripted(...steps: Handler[]): {
  fetch: typeof fetch;
  calls: Array<{ url: string; headers: Record<string, string> }>;
} {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  let i = 0;
  const f = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, headers: { ...(init?.headers as Record<string, string>) } });
    const step = steps[Math.min(i++, steps.length - 1)]!;
    return step(url, init ?? {});
  };
  return { fetch: f as typeof fetch, calls };
}

const partial = (bytes: number[], start: number, size: number, etag = '"e1"') =>
  new Response(Uint8Array.from(bytes), {
    status: 206,
    headers: { 'content-range': `bytes ${start}-${start + bytes.length - 1}/${size}`, etag },
  });

describe('retry policy', () => {
  it('exponential backoff with jitter, capped; Retry-After is a floor', async () => {
    const sleeps: number[] = [];
    const { fetch } = scripted(
      () => new Response('', { status: 503 }),
      () => new Response('', { status: 503 }),
      () => new Response('', { status: 503 }),
      () => new Response('', { status: 429, headers: { 'retry-after': '7' } }),
      () => new Response('', { status: 500 }),
      () => new Response('ok', { status: 200 }),
    );
    const c = new HttpClient({
      fetch,
      backoffMs: 100,
      maxBackoffMs: 300,
      random: () => 1,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const r = await c.request('http://x/a', { id: 'x', maxBody: 10 });
    expect(new TextDecoder().decode(r.body)).toBe('ok');
    expect(sleeps).toEqual([100, 200, 300, 7000, 300]);
    const low: number[] = [];
    const c2 = new HttpClient({
      fetch: scripted(
        () => new Response('', { status: 502 }),
        () => new Response('ok'),
      ).fetch,
      backoffMs: 100,
      random: () => 0,
      sleep: async (ms) => void low.push(ms),
    });
    await c2.request('http://x/a', { id: 'x', maxBody: 10 });
    expect(low).toEqual([50]); // equal jitter: between half and all of the step
  });

  it('never retries a 4xx other than 408/429', async () => {
    const { fetch, calls } = scripted(() => new Response('', { status: 400 }));
    const c = new HttpClient({ fetch, sleep: async () => {} });
    await expect(c.request('http://x/a', { id: 'src', maxBody: 10 })).rejects.toThrow(/^src: unexpected HTTP 400$/);
    expect(calls).toHaveLength(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let active = 0;
    let peak = 0;
    const fetch = (async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return new Response('x');
    }) as unknown as typeof globalThis.fetch;
    const c = new HttpClient({ fetch, concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => c.request('http://x/a', { id: 'x', maxBody: 10 })));
    expect(peak).toBe(3);
  });

  it('parses Retry-After (seconds or HTTP date) and Content-Range', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const at = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(at)!).toBeGreaterThan(8000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseContentRange('bytes 10-19/100')).toEqual({ start: 10, end: 19, total: 100 });
    expect(parseContentRange('bytes 10-19/*')).toEqual({ start: 10, end: 19, total: undefined });
    expect(parseContentRange('items 1-2/3')).toBeUndefined();
  });
});

describe('range source', () => {
  it('reads exactly the requested bytes and pins the ETag with If-Range', async () => {
    const { fetch, calls } = scripted(
      () => partial([1, 2, 3], 0, 10),
      () => partial([4, 5], 5, 10),
    );
    const src = new HttpRangeSource(new HttpClient({ fetch }), { id: 'f', url: 'http://x/f', size: 10 });
    expect([...(await src.read(0, 3))]).toEqual([1, 2, 3]);
    expect([...(await src.read(5, 2))]).toEqual([4, 5]);
    expect(calls[0]!.headers.range).toBe('bytes=0-2');
    expect(calls[1]!.headers['if-range']).toBe('"e1"');
    expect(src.bytesRead()).toBe(5);
  });

  it('rejects a Content-Range for another span or another file size, a short body, a new ETag', async () => {
    const read = async (res: () => Response, size = 10) => {
      const src = new HttpRangeSource(
        new HttpClient({ fetch: scripted(res).fetch, attempts: 2, sleep: async () => {} }),
        { id: 'f', url: 'http://x/f', size, etag: '"e1"' },
      );
      return src.read(2, 3).then(
        () => 'ok',
        (e: Error) => e,
      );
    };
    expect(String(await read(() => partial([1, 2, 3], 3, 10)))).toMatch(
      /wrong Content-Range "bytes 3-5\/10" for requested bytes 2-4\/10/,
    );
    expect(String(await read(() => partial([1, 2, 3], 2, 11)))).toMatch(/wrong Content-Range/);
    expect(
      String(
        await read(
          () =>
            new Response(Uint8Array.from([1, 2]), {
              status: 206,
              headers: { 'content-range': 'bytes 2-4/10', etag: '"e1"' },
            }),
        ),
      ),
    ).toMatch(/connection dropped mid-body \(2 of 3 bytes\) after 2 attempts/);
    expect(String(await read(() => partial([1, 2, 3], 2, 10, '"e2"')))).toMatch(/changed on the server .*"e1" → "e2"/);
    expect(await read(() => partial([1, 2, 3], 2, 10, 'W/"e1"'))).toBe('ok'); // weak and strong forms of one tag
    const err = await read(() => partial([1, 2, 3], 3, 10));
    expect(err).toBeInstanceOf(InputError);
  });

  it('refuses reads past the end and never asks for 0 bytes', async () => {
    const { fetch, calls } = scripted(() => partial([1], 0, 10));
    const src = new HttpRangeSource(new HttpClient({ fetch }), { id: 'f', url: 'http://x/f', size: 10 });
    await expect(src.read(8, 5)).rejects.toThrow(/truncated: needs bytes \[8, 13\) but the file has 10 bytes/);
    expect((await src.read(3, 0)).length).toBe(0);
    expect(calls).toHaveLength(0);
  });
});

describe('credentials, POST and expiring links', () => {
  it('sends its Authorization to the token origin only; a caller-set one stays on the first origin', async () => {
    const { fetch, calls } = scripted(
      () => new Response(null, { status: 307, headers: { location: 'https://storage.example/obj?sig=1' } }),
      () => new Response('ok'),
    );
    const c = new HttpClient({ fetch, tokenOrigin: 'https://git.example', authorization: 'Basic abc' });
    const r = await c.request('https://git.example/batch', {
      id: 'b',
      method: 'POST',
      body: '{"x":1}',
      headers: { Authorization: 'RemoteAuth 123', accept: 'a/b' },
      maxBody: 10,
    });
    expect(new TextDecoder().decode(r.body)).toBe('ok');
    expect(calls[0]!.headers).toEqual({ authorization: 'Basic abc', accept: 'a/b' });
    // 307 keeps the method and body; neither credential follows to the other origin
    expect(calls[1]!.headers).toEqual({ accept: 'a/b' });
  });

  it('a 303 after a POST continues with a GET; a link marked expiring turns 403/404 into StaleLocation', async () => {
    const methods: string[] = [];
    const c = new HttpClient({
      fetch: (async (_u: string, init: RequestInit) => {
        methods.push(`${init.method}:${init.body ?? ''}`);
        return methods.length === 1
          ? new Response(null, { status: 303, headers: { location: '/next' } })
          : new Response('ok');
      }) as unknown as typeof fetch,
    });
    await c.request('http://a.example/x', { id: 'x', method: 'POST', body: 'b', maxBody: 10 });
    expect(methods).toEqual(['POST:b', 'GET:']);
    for (const status of [401, 403, 404, 410]) {
      const s = new HttpClient({ fetch: scripted(() => new Response('', { status })).fetch });
      const err = await s.request('http://a.example/l', { id: 'l', maxBody: 1, expiring: true }).catch((e) => e);
      expect(err.constructor.name).toBe('StaleLocation');
      expect(err.status).toBe(status);
    }
  });

  it('a 401/403 from the token origin carries the caller-given message', async () => {
    const c = new HttpClient({
      fetch: scripted(() => new Response('', { status: 403 })).fetch,
      tokenOrigin: 'https://git.example',
      deniedMessage: (status) => `the LFS server refused the token (HTTP ${status})`,
    });
    const err = await c.request('https://git.example/b', { id: 'model.safetensors', maxBody: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe('model.safetensors: the LFS server refused the token (HTTP 403)');
  });
});
