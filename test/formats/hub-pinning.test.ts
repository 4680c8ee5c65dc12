/**
 * The safetensors header that @huggingface/hub reads and the range reads that follow must be of
 * one file version: the loopback Hub serves other bytes (same size, same layout, same commit)
 * between the two, and the fingerprint must fail rather than describe one file's header with
 * another file's bytes. A listing that is not a list of files is a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import { openHubModel, type HubOptions } from '../../src/formats/hub.js';
import { startHubServer, type HubServer } from '../helpers/hub-server.js';
import { smallRepo } from './hub-fixtures.js';

let server: HubServer;
const http: HubOptions['http'] = { backoffMs: 1, maxBackoffMs: 4, timeoutMs: 2000, sleep: async () => {} };
const opts = (): HubOptions => ({ hubUrl: server.url, http });

beforeAll(async () => {
  server = await startHubServer({
    repos: [
      { id: 'org/steady', files: smallRepo(1) },
      { id: 'org/swapped', files: smallRepo(1) },
      { id: 'org/swapped-early', files: smallRepo(1) },
      { id: 'org/listing', files: smallRepo(1) },
    ],
  });
});
afterAll(async () => {
  await server.close();
});

async function fingerprint(spec: string) {
  const src = await openHubModel(spec, opts());
  try {
    return await fingerprintModel(src, { mode: 'sample' });
  } finally {
    await src.close();
  }
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  expect((e as Error).message).not.toMatch(/\n/);
  return e as InputError;
}

describe('header and range reads are pinned to one file version', () => {
  it('an unchanged repository fingerprints, and the range reads see the ETag the header read saw', async () => {
    const doc = await fingerprint('hf:org/steady');
    expect(doc.tensors.length).toBeGreaterThan(0);
  });

  /** Serves other bytes for `repo`'s model.safetensors once a CDN read matching `when` was answered. */
  function swapWhen(repo: string, when: (range: string) => boolean): { swapped: () => boolean } {
    const replacement = smallRepo(9)['model.safetensors']!;
    let swapped = false;
    server.onRequest((r) => {
      if (swapped || r.host !== 'cdn' || !r.range || r.status !== 206 || !when(r.range)) return;
      // the CDN path names a blob; the redirect just before it names the repository
      if (!server.requests.at(-2)?.path.startsWith(`/${repo}/`)) return;
      swapped = true;
      server.replaceFile(repo, 'model.safetensors', replacement);
    });
    return { swapped: () => swapped };
  }

  it('the file replaced between the header read and the first range read: an error, never mixed bytes', async () => {
    const replacement = smallRepo(9)['model.safetensors'] as Uint8Array;
    // same size and layout: only the values differ, so nothing but the pin can tell
    expect(replacement.length).toBe((smallRepo(1)['model.safetensors'] as Uint8Array).length);
    // the library reads bytes 0-0, 0-7, then the header from byte 8: swap right after that
    const swap = swapWhen('org/swapped', (range) => range.startsWith('bytes=8-'));
    const e = await inputError(fingerprint('hf:org/swapped'));
    expect(swap.swapped()).toBe(true);
    expect(e.message).toMatch(
      /^hf:org\/swapped\/model\.safetensors: the file changed on the server while it was being read/,
    );
    expect(e.message).toMatch(/\(ETag "[0-9a-f]+" → "[0-9a-f]+"\); run again$/);
  });

  it('the file replaced between two header reads of the library: an error too', async () => {
    const swap = swapWhen('org/swapped-early', (range) => range === 'bytes=0-0');
    const e = await inputError(fingerprint('hf:org/swapped-early'));
    expect(swap.swapped()).toBe(true);
    expect(e.message).toMatch(/model\.safetensors: the file changed on the server while its header was being read/);
  });
});

describe('the file listing', () => {
  const listingFault = (body: unknown) =>
    server.fault({ kind: 'json', host: 'hub', path: '/api/models/org/listing/tree/', ranged: false, body });

  it('a listing that is an object, not an array, is a clear error', async () => {
    listingFault({ error: 'not a list' });
    const e = await inputError(openHubModel('hf:org/listing', opts()));
    expect(e.message).toMatch(/^hf:org\/listing: the Hub's file listing is malformed \(not a list of files\)/);
  });

  it('entries without a path or a size are a clear error', async () => {
    listingFault([{ type: 'file', path: 'model.safetensors' }]);
    expect((await inputError(openHubModel('hf:org/listing', opts()))).message).toMatch(
      /file listing is malformed \("model\.safetensors" has no valid size\)/,
    );
    listingFault([{ type: 'file', size: 12 }]);
    expect((await inputError(openHubModel('hf:org/listing', opts()))).message).toMatch(
      /file listing is malformed \(an entry has no path\)/,
    );
    listingFault([7]);
    expect((await inputError(openHubModel('hf:org/listing', opts()))).message).toMatch(/file listing is malformed/);
  });
});
