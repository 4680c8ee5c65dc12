/** Shared builders for the formats tests: temp dirs, hand-made safetensors bytes, error checks. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/formats/writer.js';

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'weightprint-formats-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeBytes(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Safetensors bytes with an arbitrary header text and an optional lying length prefix. */
export function rawSafetensors(
  header: string | object,
  data: Uint8Array = new Uint8Array(0),
  length?: bigint,
): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const body = Buffer.from(text, 'utf8');
  return rawWithHeaderBytes(body, data, length);
}

export function rawWithHeaderBytes(body: Uint8Array, data: Uint8Array, length?: bigint): Uint8Array {
  const out = new Uint8Array(8 + body.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(body.length), true);
  out.set(body, 8);
  out.set(data, 8 + body.length);
  return out;
}

/** A small valid file: two F32 tensors and one I8. */
export function smallModel(prefix = '', metadata?: Record<string, string>): Uint8Array {
  return encodeSafetensors(smallTensors(prefix), metadata);
}

export function smallTensors(prefix = ''): TensorToWrite[] {
  return [
    { name: `${prefix}a.weight`, dtype: 'F32', shape: [2, 3], data: f32Bytes([1, 2, 3, 4, 5, 6]) },
    { name: `${prefix}a.bias`, dtype: 'F32', shape: [3], data: f32Bytes([0.5, -0.5, 0]) },
    { name: `${prefix}b.codes`, dtype: 'I8', shape: [4], data: Uint8Array.from([1, 255, 3, 128]) },
  ];
}

export function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

export function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

/** Asserts an InputError whose source is `source` and whose message contains every fragment. */
export async function expectInputError(
  action: Promise<unknown> | (() => Promise<unknown>),
  source: string,
  ...fragments: string[]
): Promise<InputError> {
  const promise = typeof action === 'function' ? action() : action;
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected an InputError mentioning ${fragments.join(', ')}`).toBeInstanceOf(InputError);
  const e = err as InputError;
  expect(e.source).toBe(source);
  expect(e.message.startsWith(`${source}: `)).toBe(true);
  expect(e.message).not.toMatch(/[\r\n]/);
  for (const f of fragments) expect(e.message).toContain(f);
  return e;
}

/** Deterministic PRNG (mulberry32), so failures reproduce from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
