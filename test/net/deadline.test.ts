/**
 * Every request has an overall deadline as well as the idle timeout, and compressed bodies are
 * capped after decompression: a loopback server that drips one byte at a time (never idle long
 * enough for the idle timeout), answers 503 forever, or sends a gzip/deflate bomb ends the
 * request with one clear line, for registries as for any other caller.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { HttpClient } from '../../src/net/http.js';
import { openRegistry } from '../../src/registry/registry.js';
import { decodeStored } from '../../src/registry/store.js';

let server: Server;
let url: string;
const sockets = new Set<Socket>();
const timers = new Set<NodeJS.Timeout>();

/** One byte every `everyMs`, `total` bytes in all (long enough to outlast any deadline in these tests). */
function drip(res: ServerResponse, everyMs: number, total: number): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(total) });
  let sent = 0;
  const t = setInterval(() => {
    if (res.destroyed || sent >= total) {
      clearInterval(t);
      timers.delete(t);
      res.end();
      return;
    }
    res.write('{'.slice(0, 1));
    sent++;
  }, everyMs);
  timers.add(t);
}

const BOMB = 64 * 1024 * 1024;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (path.endsWith('/drip') || path === '/registry/index.json') drip(res, 100, 100_000);
    else if (path === '/unavailable') {
      res.writeHead(503, { 'retry-after': '0' });
      res.end();
    } else if (path === '/gzip-bomb' || path === '/deflate-bomb') {
      const gz = path === '/gzip-bomb';
      const body = gz ? gzipSync(Buffer.alloc(BOMB)) : deflateSync(Buffer.alloc(BOMB));
      res.writeHead(200, { 'content-encoding': gz ? 'gzip' : 'deflate', 'content-length': body.length });
      res.end(body);
    } else if (path === '/gzip-ok') {
      const body = gzipSync(Buffer.from('{"ok":true}'));
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

async function rejection(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  expect((e as Error).message).not.toMatch(/\n/);
  return e as InputError;
}

describe('overall deadline', () => {
  it('a body dripping a byte every 100 ms never trips the 1 s idle timeout, but ends at the deadline', async () => {
    const client = new HttpClient({ timeoutMs: 1000, deadlineMs: 1500 });
    const e = await rejection(client.request(`${url}/drip`, { id: 'registry/entry.json', maxBody: 1_000_000 }));
    expect(e.message).toMatch(
      /^registry\/entry\.json: no complete response within 1\.5 s \(\d+ bytes arrived, still incomplete\); giving up$/,
    );
  });

  it('retries stop at the deadline too', async () => {
    const client = new HttpClient({ deadlineMs: 300, backoffMs: 200, maxBackoffMs: 200, attempts: 100 });
    const e = await rejection(client.request(`${url}/unavailable`, { id: 'x', maxBody: 10 }));
    expect(e.message).toBe('x: no complete response within 300 ms (last attempt: HTTP 503); giving up');
  });

  it('a registry whose index drips is an error naming it', async () => {
    const e = await rejection(openRegistry(`${url}/registry/`, { http: { timeoutMs: 1000, deadlineMs: 1200 } }));
    expect(e.message).toMatch(/registry\/index\.json: no complete response within 1\.2 s/);
  });
});

describe('compressed bodies', () => {
  it('a gzip or deflate bomb stops at the cap on decompressed bytes', async () => {
    const client = new HttpClient();
    for (const path of ['/gzip-bomb', '/deflate-bomb']) {
      const e = await rejection(client.request(`${url}${path}`, { id: path, maxBody: 1024 * 1024 }));
      expect(e.message).toBe(`${path}: response exceeds the 1048576 bytes expected`);
    }
  });

  it('an honest gzip response is decoded', async () => {
    const r = await new HttpClient().request(`${url}/gzip-ok`, { id: 'ok', maxBody: 100 });
    expect(new TextDecoder().decode(r.body)).toBe('{"ok":true}');
  });

  it('a gzip registry file is inflated up to the cap, not beyond', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(() => decodeStored(bomb, 'reg/entry.json.gz', 1024 * 1024)).toThrow(
      /^reg\/entry\.json\.gz: gzip data inflates to more than 1048576 bytes$/,
    );
    expect(decodeStored(gzipSync(Buffer.from('{"a":1}')), 'reg/e.json.gz', 1024)).toBe('{"a":1}');
  });
});
