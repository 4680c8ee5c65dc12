/**
 * Release-sized safetensors files that cost no disk: the header is written, the data area is a
 * hole (a sparse file reads as zeros). Optionally each tensor's first `denseBytes` are filled
 * with small deterministic BF16/F32 values, so the sampled statistics are not all zero.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { safetensorsHeader } from '../../src/formats/writer.js';

export interface SparseTensor {
  name: string;
  dtype: 'BF16' | 'F16' | 'F32';
  shape: number[];
}

const BYTES = { BF16: 2, F16: 2, F32: 4 } as const;

/** A Llama-style layout: embeddings, `layers` decoder blocks, norm and head; BF16. */
export function llamaLayout(o: {
  layers: number;
  hidden: number;
  intermediate: number;
  vocab: number;
}): SparseTensor[] {
  const t = (name: string, shape: number[]): SparseTensor => ({ name, dtype: 'BF16', shape });
  const out = [t('model.embed_tokens.weight', [o.vocab, o.hidden])];
  for (let i = 0; i < o.layers; i++) {
    const p = `model.layers.${i}`;
    out.push(
      t(`${p}.input_layernorm.weight`, [o.hidden]),
      t(`${p}.self_attn.q_proj.weight`, [o.hidden, o.hidden]),
      t(`${p}.self_attn.k_proj.weight`, [o.hidden / 4, o.hidden]),
      t(`${p}.self_attn.v_proj.weight`, [o.hidden / 4, o.hidden]),
      t(`${p}.self_attn.o_proj.weight`, [o.hidden, o.hidden]),
      t(`${p}.post_attention_layernorm.weight`, [o.hidden]),
      t(`${p}.mlp.gate_proj.weight`, [o.intermediate, o.hidden]),
      t(`${p}.mlp.up_proj.weight`, [o.intermediate, o.hidden]),
      t(`${p}.mlp.down_proj.weight`, [o.hidden, o.intermediate]),
    );
  }
  out.push(t('model.norm.weight', [o.hidden]), t('lm_head.weight', [o.vocab, o.hidden]));
  return out;
}

/** Writes the file; returns its size and where its data area starts. */
export function writeSparseSafetensors(
  path: string,
  tensors: SparseTensor[],
  opts: { denseBytes?: number; seed?: number } = {},
): { size: number; dataStart: number } {
  const sized = tensors.map((t) => ({ ...t, byteLength: t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype] }));
  const head = safetensorsHeader(sized);
  const size = head.length + sized.reduce((n, t) => n + t.byteLength, 0);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    ftruncateSync(fd, size);
    const dense = opts.denseBytes ?? 0;
    let pos = head.length;
    let x = (opts.seed ?? 1) * 2654435761;
    for (const t of sized) {
      const n = Math.min(dense, t.byteLength);
      if (n > 0) {
        const buf = Buffer.alloc(n);
        for (let i = 0; i + BYTES[t.dtype] <= n; i += BYTES[t.dtype]) {
          x = (x * 1103515245 + 12345) >>> 0;
          const v = (x / 2 ** 32 - 0.5) * 0.05;
          if (t.dtype === 'F32') buf.writeFloatLE(v, i);
          else {
            const f = Buffer.alloc(4);
            f.writeFloatLE(v, 0);
            // BF16: the upper half of the F32; F16 approximated the same way is still a finite value
            buf.writeUInt16LE(t.dtype === 'BF16' ? f.readUInt16LE(2) : 0x2e66, i);
          }
        }
        writeSync(fd, buf, 0, n, pos);
      }
      pos += t.byteLength;
    }
  } finally {
    closeSync(fd);
  }
  return { size, dataStart: head.length };
}
