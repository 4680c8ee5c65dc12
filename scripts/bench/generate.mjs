/**
 * Deterministic, streaming generator of a transformer-shaped BF16 safetensors model (Llama-3-8B
 * geometry: hidden 4096, ffn 14336, 8 KV heads of 128, vocab 128256) of about `sizeGiB` GiB.
 * Memory stays bounded (one 16 MiB chunk) however large the file.
 *
 * Values: per tensor, a 65,536-entry table of bf16 patterns at the quantiles of N(mean, sigma)
 * (sigma ~0.02 varied per tensor, norms around 1.0), indexed by a seeded xorshift32 stream — so
 * value histograms look like real weights (a few thousand distinct bf16 values) and no two
 * tensors share bytes.
 *
 *   node scripts/bench/generate.mjs <out.safetensors> [--size-gb N] [--seed S]
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const BASE = { hidden: 4096, ffn: 14336, kv: 1024, vocab: 128256 };
const CHUNK_ELEMS = 8 * 1024 * 1024; // 16 MiB of bf16

function layerTensors(i, d) {
  const p = `model.layers.${i}.`;
  return [
    [`${p}input_layernorm.weight`, [d.hidden], 'norm'],
    [`${p}self_attn.q_proj.weight`, [d.hidden, d.hidden], 'w'],
    [`${p}self_attn.k_proj.weight`, [d.kv, d.hidden], 'w'],
    [`${p}self_attn.v_proj.weight`, [d.kv, d.hidden], 'w'],
    [`${p}self_attn.o_proj.weight`, [d.hidden, d.hidden], 'w'],
    [`${p}post_attention_layernorm.weight`, [d.hidden], 'norm'],
    [`${p}mlp.gate_proj.weight`, [d.ffn, d.hidden], 'w'],
    [`${p}mlp.up_proj.weight`, [d.ffn, d.hidden], 'w'],
    [`${p}mlp.down_proj.weight`, [d.hidden, d.ffn], 'w'],
  ];
}

const bytesOf = (list) => list.reduce((n, [, s]) => n + 2 * s.reduce((a, b) => a * b, 1), 0);

/** Tensor list for a target size: Llama-3-8B dims, halved until two layers fit, then layers added. */
export function planModel(sizeGiB) {
  const target = sizeGiB * 2 ** 30;
  let d = { ...BASE };
  const embed = (d) => 2 * d.vocab * d.hidden;
  while (2 * embed(d) + 2 * bytesOf(layerTensors(0, d)) > target && d.hidden > 64) {
    d = { hidden: d.hidden / 2, ffn: d.ffn / 2, kv: d.kv / 2, vocab: Math.max(1000, Math.round(d.vocab / 2)) };
  }
  const layerBytes = bytesOf(layerTensors(0, d));
  const layers = Math.max(1, Math.round((target - 2 * embed(d)) / layerBytes));
  const list = [['model.embed_tokens.weight', [d.vocab, d.hidden], 'embed']];
  for (let i = 0; i < layers; i++) list.push(...layerTensors(i, d));
  list.push(['model.norm.weight', [d.hidden], 'norm'], ['lm_head.weight', [d.vocab, d.hidden], 'w']);
  const tensors = list.map(([name, shape, kind]) => ({
    name,
    shape,
    kind,
    dtype: 'BF16',
    byteLength: 2 * shape.reduce((a, b) => a * b, 1),
  }));
  return { dims: d, layers, tensors, dataBytes: tensors.reduce((n, t) => n + t.byteLength, 0) };
}

/** Acklam's inverse normal CDF (relative error < 1.2e-9). */
function invNorm(p) {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const e = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((e[0] * q + e[1]) * q + e[2]) * q + e[3]) * q + 1)
    );
  }
  if (p > 1 - lo) return -invNorm(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toBf16(v) {
  f32[0] = v;
  const b = u32[0];
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

function mix32(x) {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** 65,536 bf16 patterns at the quantiles of N(mean, sigma), shuffled so the low and high halves of a random word are independent draws. */
function valueTable(kind, index, seed) {
  const h = mix32(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const u = h / 2 ** 32;
  const mean = kind === 'norm' ? 0.6 + 0.8 * u : (u - 0.5) * 2e-4;
  const sigma = kind === 'norm' ? 0.05 + 0.1 * u : kind === 'embed' ? 0.01 + 0.01 * u : 0.012 + 0.016 * u;
  const t = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = toBf16(mean + sigma * invNorm((i + 0.5) / 65536));
  return t;
}

/** Writes the model; returns its plan. `onProgress(bytesWritten)` is called per chunk. */
export function generateModel(path, sizeGiB, { seed = 0x5eed, onProgress } = {}) {
  const plan = planModel(sizeGiB);
  const header = {};
  header.__metadata__ = { format: 'pt', generator: 'weightprint bench', seed: String(seed) };
  let off = 0;
  for (const t of plan.tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.byteLength] };
    off += t.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const body = Buffer.from(json, 'utf8');
  const head = Buffer.alloc(8 + body.length);
  head.writeBigUInt64LE(BigInt(body.length), 0);
  body.copy(head, 8);

  const fd = openSync(path, 'w');
  const buf = new Uint32Array(CHUNK_ELEMS / 2);
  const bytes = new Uint8Array(buf.buffer);
  let written = 0;
  try {
    writeSync(fd, head);
    written += head.length;
    plan.tensors.forEach((t, index) => {
      const table = valueTable(t.kind, index, seed);
      let x = mix32(seed * 31 + index) | 1; // xorshift32 state, never 0
      let left = t.byteLength / 4; // two bf16 per 32-bit word (every shape here has an even element count)
      while (left > 0) {
        const n = Math.min(left, buf.length);
        for (let i = 0; i < n; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          buf[i] = table[x & 0xffff] | (table[x >>> 16] << 16);
        }
        let w = 0;
        while (w < n * 4) w += writeSync(fd, bytes, w, n * 4 - w);
        written += n * 4;
        left -= n;
        onProgress?.(written);
      }
    });
  } finally {
    closeSync(fd);
  }
  return { ...plan, fileBytes: written };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--'));
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  if (!out) {
    console.error('usage: generate.mjs <out.safetensors> [--size-gb N] [--seed S]');
    process.exit(2);
  }
  const t0 = performance.now();
  const r = generateModel(out, opt('--size-gb', 8), { seed: opt('--seed', 0x5eed) });
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${out}: ${r.tensors.length} tensors, ${r.layers} layers, hidden ${r.dims.hidden}, ${(r.fileBytes / 2 ** 30).toFixed(2)} GiB in ${s.toFixed(1)} s`,
  );
}
