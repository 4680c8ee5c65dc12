/** Test helpers: where ../shared lives, and generated tokenizers with known structure. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared` relative to the project root (test/signatures → ../../../shared). */
export const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const KNOWN = path.join(SHARED, 'knownmodels');
export const HAVE_KNOWN = existsSync(path.join(KNOWN, 'tokenizers')) && existsSync(path.join(KNOWN, 'configs'));
export const LLAMA2C_TOKENIZERS = path.join(SHARED, 'realmodels/llama2c/tokenizers');
export const HAVE_LLAMA2C = existsSync(LLAMA2C_TOKENIZERS);
export const SKIP_MESSAGE = `../shared not found at ${SHARED}: tests on real tokenizer/config files skipped`;

if (!HAVE_KNOWN) console.warn(SKIP_MESSAGE);

export const text = (...p: string[]) => readFileSync(path.join(...p), 'utf8');
export const bytes = (...p: string[]) => new Uint8Array(readFileSync(path.join(...p)));

/** Deterministic PRNG (mulberry32). */
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

export interface SynthBpe {
  /** Single characters first, then one token per merge, ids in that order (as in HF BPE files). */
  tokens: string[];
  merges: [string, string][];
}

/**
 * A generated BPE over a byte-level alphabet (Ġ = space): each merge joins two existing tokens
 * into a new one. `avoid` keeps generated tokens out of a given set.
 */
export function synthBpe(
  nMerges: number,
  seed: number,
  alphabet = 'Ġabcdefghijklmnopqrstuvwxyz',
  avoid?: Set<string>,
): SynthBpe {
  const rand = rng(seed);
  const tokens = [...alphabet];
  const have = new Set(tokens);
  const merges: [string, string][] = [];
  while (merges.length < nMerges) {
    // Prefer recent/short tokens a little, like real merge lists; any valid pair will do.
    const a = tokens[Math.floor(rand() * tokens.length)]!;
    const b = tokens[Math.floor(rand() * tokens.length)]!;
    const t = a + b;
    if (have.has(t) || t.length > 12 || avoid?.has(t) || t.slice(1).includes('Ġ')) continue;
    have.add(t);
    tokens.push(t);
    merges.push([a, b]);
  }
  return { tokens, merges };
}

export function vocabJson(tokens: string[], ids?: number[]): string {
  const o: Record<string, number> = {};
  tokens.forEach((t, i) => {
    o[t] = ids ? ids[i]! : i;
  });
  return JSON.stringify(o);
}

export function mergesTxt(merges: [string, string][], header = true): string {
  return `${(header ? '#version: 0.2\n' : '') + merges.map(([a, b]) => `${a} ${b}`).join('\n')}\n`;
}

/** Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, seed: number): number[] {
  const rand = rng(seed);
  const p = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/** Minimal protobuf writer for SentencePiece ModelProto test files. */
export function sentencePieceModel(
  pieces: { piece: string; score: number; type?: number }[],
  modelType = 2,
): Uint8Array {
  const out: number[] = [];
  const varint = (buf: number[], v: number) => {
    while (v >= 0x80) {
      buf.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    buf.push(v);
  };
  const lenField = (buf: number[], field: number, body: number[]) => {
    varint(buf, (field << 3) | 2);
    varint(buf, body.length);
    buf.push(...body);
  };
  for (const p of pieces) {
    const body: number[] = [];
    lenField(body, 1, [...Buffer.from(p.piece, 'utf8')]);
    body.push((2 << 3) | 5);
    const f = Buffer.alloc(4);
    f.writeFloatLE(p.score);
    body.push(...f);
    if (p.type !== undefined) {
      varint(body, 3 << 3);
      varint(body, p.type);
    }
    lenField(out, 1, body);
  }
  const trainer: number[] = [];
  varint(trainer, 3 << 3);
  varint(trainer, modelType);
  lenField(out, 2, trainer);
  return new Uint8Array(out);
}
