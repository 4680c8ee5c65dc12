/** Test helpers for the generator: an independent safetensors parser, statistics, a forward pass. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeToFloat32, type SynthDType } from '../../src/synth/encode.js';
import type { SynthModel, SynthTensor } from '../../src/synth/model.js';

export interface ReadTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** Parses a safetensors file without the project's reader (header JSON + data offsets). */
export async function readSafetensors(
  path: string,
): Promise<{ tensors: Map<string, ReadTensor>; metadata?: Record<string, string>; order: string[] }> {
  const buf = new Uint8Array(await readFile(path));
  const n = Number(new DataView(buf.buffer, buf.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(buf.subarray(8, 8 + n)).toString('utf8')) as Record<string, unknown>;
  const tensors = new Map<string, ReadTensor>();
  const order: string[] = [];
  let expectOffset = 0;
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets } = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (data_offsets[0] !== expectOffset) throw new Error(`${name}: gap or overlap at ${data_offsets[0]}`);
    expectOffset = data_offsets[1];
    tensors.set(name, { dtype, shape, bytes: buf.subarray(8 + n + data_offsets[0], 8 + n + data_offsets[1]) });
    order.push(name);
  }
  if (8 + n + expectOffset !== buf.length) throw new Error('trailing bytes');
  return { tensors, metadata: header.__metadata__ as Record<string, string> | undefined, order };
}

export function decode(t: ReadTensor): Float32Array {
  return decodeToFloat32(t.dtype as SynthDType, t.bytes);
}

export async function sha256Dir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort())
    out[f] = createHash('sha256')
      .update(await readFile(join(dir, f)))
      .digest('hex');
  return out;
}

/** Pearson correlation (centered cosine). */
export function corr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let mx = 0,
    my = 0;
  for (let i = 0; i < x.length; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= x.length;
  my /= y.length;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]! - mx,
      b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0,
    a = 0,
    b = 0;
  for (let i = 0; i < x.length; i++) {
    d += x[i]! * y[i]!;
    a += x[i]! ** 2;
    b += y[i]! ** 2;
  }
  return d / Math.sqrt(a * b);
}

export function get(m: SynthModel, name: string): SynthTensor {
  const t = m.tensors.get(name);
  if (!t) throw new Error(`${m.id}: no tensor ${name}`);
  return t;
}

/** Bitwise equality of two float arrays (fast; vitest's deep equality is slow on big arrays). */
export function sameBits(x: Float32Array, y: Float32Array): boolean {
  return (
    x.length === y.length &&
    Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength))
  );
}

export function sortedValues(a: Float32Array): Float32Array {
  return Float32Array.from(a).sort();
}

// ---------------------------------------------------------------------------------------------
// A float64 forward pass of the HF Llama text decoder (no RoPE: head permutations keep each
// head's dims, so RoPE does not matter for the invariance being tested).

function matvec(w: SynthTensor, x: Float64Array, bias?: SynthTensor): Float64Array {
  const [m, n] = w.shape as [number, number];
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = bias ? bias.values[i]! : 0;
    for (let j = 0; j < n; j++) s += w.values[i * n + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

function rmsnorm(x: Float64Array, g: SynthTensor): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const k = 1 / Math.sqrt(ss / x.length + 1e-5);
  return x.map((v, i) => v * k * g.values[i]!);
}

/** Logits of the last position for `tokens`. */
export function forward(m: SynthModel, tokens: number[]): Float64Array {
  const t = m.spec.text;
  const hd = t.hidden / t.heads;
  const g = t.heads / t.kvHeads;
  const E = get(m, 'model.embed_tokens.weight');
  let xs = tokens.map((tok) => Float64Array.from(E.values.subarray(tok * t.hidden, (tok + 1) * t.hidden)));
  for (let l = 0; l < t.layers; l++) {
    const p = `model.layers.${l}.`;
    const opt = (n: string) => m.tensors.get(p + n);
    const hs = xs.map((x) => rmsnorm(x, get(m, `${p}input_layernorm.weight`)));
    const qs = hs.map((h) => matvec(get(m, `${p}self_attn.q_proj.weight`), h, opt('self_attn.q_proj.bias')));
    const ks = hs.map((h) => matvec(get(m, `${p}self_attn.k_proj.weight`), h, opt('self_attn.k_proj.bias')));
    const vs = hs.map((h) => matvec(get(m, `${p}self_attn.v_proj.weight`), h, opt('self_attn.v_proj.bias')));
    xs = xs.map((x, pos) => {
      const att = new Float64Array(t.heads * hd);
      for (let h = 0; h < t.heads; h++) {
        const kv = Math.floor(h / g);
        const scores: number[] = [];
        for (let s = 0; s <= pos; s++) {
          let d = 0;
          for (let i = 0; i < hd; i++) d += qs[pos]![h * hd + i]! * ks[s]![kv * hd + i]!;
          scores.push(d / Math.sqrt(hd));
        }
        const mx = Math.max(...scores);
        const w = scores.map((s) => Math.exp(s - mx));
        const z = w.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= pos; s++)
          for (let i = 0; i < hd; i++) att[h * hd + i]! += (w[s]! / z) * vs[s]![kv * hd + i]!;
      }
      const o = matvec(get(m, `${p}self_attn.o_proj.weight`), att);
      const x1 = x.map((v, i) => v + o[i]!);
      const h2 = rmsnorm(x1, get(m, `${p}post_attention_layernorm.weight`));
      const gate = matvec(get(m, `${p}mlp.gate_proj.weight`), h2);
      const up = matvec(get(m, `${p}mlp.up_proj.weight`), h2);
      const act = gate.map((v, i) => (v / (1 + Math.exp(-v))) * up[i]!);
      const down = matvec(get(m, `${p}mlp.down_proj.weight`), act);
      return x1.map((v, i) => v + down[i]!);
    });
  }
  const last = rmsnorm(xs[xs.length - 1]!, get(m, 'model.norm.weight'));
  return matvec(get(m, 'lm_head.weight'), last);
}
