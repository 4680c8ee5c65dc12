/**
 * Quantised safetensors checkpoints: the parts of each quantised weight (GPTQ `qweight`/`qzeros`/
 * `scales`/`g_idx`, AWQ, compressed-tensors `weight_packed`/`weight_scale`, FP8 `weight` with
 * `weight_scale` or block-wise `weight_scale_inv`, MXFP4 `*_blocks`/`*_scales`, bitsandbytes
 * NF4/FP4 with its quant-state tensors, LLM.int8 `weight`/`SCB`) are grouped into one logical
 * tensor named as the float checkpoint names it, with a decoder (quant/decoder.ts). The scheme is
 * taken from config.json's `quantization_config` when given and checked against the tensors'
 * names, dtypes and shapes; parts that do not fit are left as plain tensors.
 */
import { InputError } from '../../errors.js';
import type { DType, StorageDType, TensorEncoding, TensorEntry, TensorPart } from '../types.js';

export interface QuantConfig {
  quant_method?: string;
  bits?: number;
  group_size?: number;
  checkpoint_format?: string;
  version?: string;
  weight_block_size?: number[];
  format?: string;
  config_groups?: Record<string, { weights?: { num_bits?: number; group_size?: number; strategy?: string } }>;
}

/** `quantization_config` of a config.json text, or undefined. */
export function quantizationConfig(configText: string | undefined): QuantConfig | undefined {
  if (!configText) return undefined;
  try {
    const c = JSON.parse(configText) as { quantization_config?: unknown };
    const q = c?.quantization_config;
    return q && typeof q === 'object' && !Array.isArray(q) ? (q as QuantConfig) : undefined;
  } catch {
    return undefined;
  }
}

function part(t: TensorEntry, role: string): TensorPart {
  return {
    role,
    name: t.name,
    dtype: t.dtype,
    shape: t.shape,
    file: t.file,
    offset: t.offset,
    byteLength: t.byteLength,
  };
}

function logical(
  name: string,
  dtype: DType | StorageDType,
  shape: number[],
  parts: TensorPart[],
  scheme: string,
  params: TensorEncoding['params'],
): TensorEntry {
  const first = parts[0]!;
  return {
    name,
    dtype,
    shape,
    numel: shape.reduce((a, b) => a * b, 1),
    byteLength: parts.reduce((n, p) => n + p.byteLength, 0),
    file: first.file,
    offset: first.offset,
    encoding: { format: 'safetensors', decoder: 'quant', scheme, values: 'F32', params, parts },
  };
}

const intDtype = (bits: number) => `INT${bits}` as StorageDType;
const isInt = (b: number) => Number.isInteger(b) && b >= 2 && b <= 8;
/** Bit widths GPTQ packs (AutoGPTQ/GPTQModel): 3 straddles words, the others divide 32. */
const GPTQ_BITS = [2, 3, 4, 8];
const FLOAT_DTYPES = new Set(['F16', 'BF16', 'F32']);
const positiveInt = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;
/** A config.json string field, lower-cased; anything else (the file is untrusted) is absent. */
const lower = (x: unknown): string | undefined => (typeof x === 'string' ? x.toLowerCase() : undefined);

/**
 * Replaces the parts of quantised weights by logical tensors. `fail` names the checkpoint when a
 * quantised weight's parts contradict each other.
 */
export function groupQuantised(
  tensors: TensorEntry[],
  config: QuantConfig | undefined,
  fail: (problem: string) => InputError,
): TensorEntry[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  const made = new Map<string, TensorEntry>();
  const method = lower(config?.quant_method);
  const take = (entry: TensorEntry, parts: Array<TensorEntry | undefined>) => {
    for (const p of parts) if (p) used.add(p.name);
    made.set(parts[0]!.name, entry);
  };
  for (const t of tensors) {
    if (used.has(t.name)) continue;
    const base = t.name.replace(/\.[^.]+$/, '');
    const sibling = (suffix: string) => byName.get(`${base}.${suffix}`);

    // GPTQ / AWQ: qweight + qzeros + scales (+ g_idx)
    if (t.name.endsWith('.qweight') && t.dtype === 'I32' && t.shape.length === 2) {
      const qz = sibling('qzeros');
      const sc = sibling('scales');
      if (!qz || !sc || sc.shape.length !== 2) continue;
      const gi = sibling('g_idx');
      if (qz.dtype !== 'I32' || qz.shape.length !== 2)
        throw fail(`${base}: qzeros is ${qz.dtype} [${qz.shape}], not I32 rows`);
      if (!FLOAT_DTYPES.has(sc.dtype)) throw fail(`${base}: scales are ${sc.dtype}, not F16, BF16 or F32`);
      if (gi && (gi.dtype !== 'I32' || gi.shape.length !== 1))
        throw fail(`${base}: g_idx is ${gi.dtype} [${gi.shape}], not I32 [inputs]`);
      if (config?.group_size != null && !Number.isSafeInteger(config.group_size))
        throw fail(`${base}: group_size ${JSON.stringify(config.group_size)} is not an integer`);
      const awq = method === 'awq' || (method !== 'gptq' && !gi && t.shape[1]! * 8 === sc.shape[1]);
      const out = sc.shape[1]!;
      const groupsCount = sc.shape[0]!;
      let inn: number;
      let bits: number;
      if (awq) {
        bits = 4;
        if (config?.bits !== undefined && config.bits !== 4)
          throw fail(`AWQ ${base}: ${config.bits} bits (AWQ GEMM packs 4)`);
        inn = t.shape[0]!;
        if (config?.version != null && lower(config.version) !== 'gemm') continue; // GEMV layouts: bytes only
        if (t.shape[1]! * 8 !== out || qz.shape[1]! * 8 !== out)
          throw fail(`AWQ ${base}: qweight/qzeros do not pack ${out} columns`);
      } else {
        bits = config?.bits ?? (qz.shape[1]! * 32) / out;
        if (!GPTQ_BITS.includes(bits)) {
          throw fail(
            config?.bits !== undefined
              ? `GPTQ ${base}: ${JSON.stringify(config.bits)} bits (GPTQ packs 2, 3, 4 or 8)`
              : `GPTQ ${base}: cannot tell the bit width (qzeros ${qz.shape[1]} words for ${out} columns)`,
          );
        }
        if (qz.shape[1]! * 32 !== out * bits)
          throw fail(`GPTQ ${base}: qzeros rows of ${qz.shape[1]} words do not pack ${out} zeros at ${bits} bits`);
        if (t.shape[1] !== out) throw fail(`GPTQ ${base}: qweight has ${t.shape[1]} columns, scales ${out}`);
        inn = gi ? gi.shape[0]! : (t.shape[0]! * 32) / bits;
        if (!Number.isSafeInteger(inn))
          throw fail(`GPTQ ${base}: qweight rows ${t.shape[0]} do not hold a whole number of ${bits}-bit inputs`);
        if ((inn * bits) / 32 !== t.shape[0])
          throw fail(`GPTQ ${base}: qweight rows ${t.shape[0]} do not pack ${inn} inputs at ${bits} bits`);
      }
      const groupSize = config?.group_size && config.group_size > 0 ? config.group_size : Math.ceil(inn / groupsCount);
      if (Math.ceil(inn / groupSize) !== groupsCount)
        throw fail(`${base}: ${groupsCount} scale rows for ${inn} inputs in groups of ${groupSize}`);
      if (qz.shape[0] !== groupsCount) throw fail(`${base}: ${qz.shape[0]} qzeros rows for ${groupsCount} groups`);
      const v2 = lower(config?.checkpoint_format) === 'gptq_v2';
      const parts = [part(t, 'qweight'), part(qz, 'qzeros'), part(sc, 'scales'), ...(gi ? [part(gi, 'g_idx')] : [])];
      const group = groupSize === inn ? 'all' : groupSize;
      const scheme = `${awq ? 'awq' : 'gptq'}-int${bits}-g${group}${gi ? '-g_idx' : ''}`;
      take(
        logical(`${base}.weight`, intDtype(bits), [out, inn], parts, scheme, {
          method: awq ? 'awq' : 'gptq',
          bits,
          groupSize,
          zeroOffset: awq || v2 ? 0 : 1,
        }),
        [t, qz, sc, gi],
      );
      continue;
    }

    // compressed-tensors pack-quantized: weight_packed + weight_scale (+ weight_zero_point, weight_shape)
    if (t.name.endsWith('.weight_packed') && t.dtype === 'I32' && t.shape.length === 2) {
      const sc = sibling('weight_scale');
      if (!sc) continue;
      const zp = sibling('weight_zero_point');
      const ws = sibling('weight_shape');
      const group = Object.values(config?.config_groups ?? {})[0]?.weights;
      const bits = group?.num_bits ?? 4;
      const out = t.shape[0]!;
      const inn = (t.shape[1]! * 32) / bits;
      if (!isInt(bits) || !Number.isInteger(inn)) throw fail(`${base}: weight_packed cannot hold ${bits}-bit values`);
      if (!FLOAT_DTYPES.has(sc.dtype) || (zp && !FLOAT_DTYPES.has(zp.dtype) && zp.dtype !== 'I8' && zp.dtype !== 'I32'))
        throw fail(`${base}: weight_scale is ${sc.dtype}, not F16, BF16 or F32`);
      if (group?.group_size != null && !Number.isSafeInteger(group.group_size))
        throw fail(`${base}: group_size ${JSON.stringify(group.group_size)} is not an integer`);
      const groupSize = group?.group_size && group.group_size > 0 ? group.group_size : inn;
      const parts = [
        part(t, 'weight_packed'),
        part(sc, 'weight_scale'),
        ...(zp ? [part(zp, 'weight_zero_point')] : []),
      ];
      take(
        logical(`${base}.weight`, intDtype(bits), [out, inn], parts, `compressed-tensors-int${bits}-g${groupSize}`, {
          method: 'pack',
          bits,
          groupSize,
        }),
        [t, sc, zp, ws],
      );
      continue;
    }

    // FP8 / INT8 weights with scales: weight_scale_inv (blocks), weight_scale, or LLM.int8's SCB
    if (
      /\.weight$/.test(t.name) &&
      (t.dtype === 'F8_E4M3' || t.dtype === 'F8_E5M2' || t.dtype === 'I8') &&
      t.shape.length === 2
    ) {
      const inv = byName.get(`${t.name}_scale_inv`);
      const sc = byName.get(`${t.name}_scale`) ?? inv;
      const scb = byName.get(`${base}.SCB`);
      const [R, C] = t.shape as [number, number];
      if (inv && inv.shape.length === 2) {
        // DeepSeek-V3's 128×128 unless the config says otherwise or the scale grid cannot be 128-wide
        const fits128 = Math.ceil(R / 128) === inv.shape[0] && Math.ceil(C / 128) === inv.shape[1];
        const [bo, bi] =
          (Array.isArray(config?.weight_block_size) ? config.weight_block_size : undefined) ??
          (fits128 ? [128, 128] : [Math.ceil(R / inv.shape[0]!), Math.ceil(C / inv.shape[1]!)]);
        if (!positiveInt(bo) || !positiveInt(bi) || !FLOAT_DTYPES.has(inv.dtype))
          throw fail(`${t.name}: weight_scale_inv ${inv.dtype} in ${bo}×${bi} blocks`);
        if (Math.ceil(R / bo!) !== inv.shape[0] || Math.ceil(C / bi!) !== inv.shape[1]) {
          throw fail(
            `${t.name}: weight_scale_inv [${inv.shape.join(', ')}] does not tile [${R}, ${C}] in ${bo}×${bi} blocks`,
          );
        }
        take(
          logical(t.name, t.dtype, t.shape, [part(t, 'weight'), part(inv, 'scale')], `fp8-block${bo}x${bi}`, {
            method: 'scaled',
            blockRows: bo!,
            blockCols: bi!,
          }),
          [t, inv],
        );
        continue;
      }
      if (sc) {
        const n = sc.numel;
        if (!FLOAT_DTYPES.has(sc.dtype)) throw fail(`${t.name}: weight_scale is ${sc.dtype}, not F16, BF16 or F32`);
        const kind = n === 1 ? 'tensor' : n === R ? 'channel' : `group${C / (n / R)}`;
        if (n !== 1 && (n % R !== 0 || C % (n / R) !== 0))
          throw fail(`${t.name}: weight_scale of ${n} values does not fit [${R}, ${C}]`);
        take(
          logical(
            t.name,
            t.dtype,
            t.shape,
            [part(t, 'weight'), part(sc, 'scale')],
            `${t.dtype === 'I8' ? 'int8' : 'fp8'}-${kind}`,
            {
              method: 'scaled',
            },
          ),
          [t, sc],
        );
        continue;
      }
      if (scb && t.dtype === 'I8' && scb.numel === R) {
        take(
          logical(t.name, t.dtype, t.shape, [part(t, 'weight'), part(scb, 'scale')], 'bnb-int8', {
            method: 'scaled',
            divisor: 127,
          }),
          [t, scb],
        );
        continue;
      }
    }

    // MXFP4 (gpt-oss experts): X_blocks [..., rows, groups, 16] + X_scales [..., rows, groups]
    if (t.name.endsWith('_blocks') && t.dtype === 'U8' && t.shape.length >= 3 && t.shape[t.shape.length - 1] === 16) {
      const stem = t.name.slice(0, -'_blocks'.length);
      const sc = byName.get(`${stem}_scales`);
      if (sc?.dtype !== 'U8') continue;
      const lead = t.shape.slice(0, -1);
      if (sc.shape.length !== lead.length || sc.shape.some((d, i) => d !== lead[i])) {
        throw fail(`${stem}: scales [${sc.shape.join(', ')}] do not match blocks [${t.shape.join(', ')}]`);
      }
      const shape = [...t.shape.slice(0, -2), t.shape[t.shape.length - 2]! * 32];
      take(logical(stem, 'MXFP4', shape, [part(t, 'blocks'), part(sc, 'scales')], 'mxfp4', { method: 'mxfp4' }), [
        t,
        sc,
      ]);
    }
  }
  return tensors.filter((t) => !used.has(t.name) || made.has(t.name)).map((t) => made.get(t.name) ?? t);
}

/**
 * bitsandbytes 4-bit weights: `weight` U8 with `weight.absmax`, `weight.quant_map` and a JSON
 * quant state (`weight.quant_state.bitsandbytes__nf4`) that gives the logical shape and block size.
 * Reads the small quant-state tensors, so it is async.
 */
export async function groupBitsAndBytes(
  tensors: TensorEntry[],
  fail: (problem: string) => InputError,
): Promise<TensorEntry[]> {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  const made = new Map<string, TensorEntry>();
  for (const t of tensors) {
    const m = /^(.*)\.quant_state\.bitsandbytes__(nf4|fp4)$/.exec(t.name);
    if (!m || t.dtype !== 'U8') continue;
    const w = byName.get(m[1]!);
    const absmax = byName.get(`${m[1]}.absmax`);
    const map = byName.get(`${m[1]}.quant_map`);
    if (!w || !absmax || !map || t.byteLength > 65536) continue;
    let state: { shape?: unknown; blocksize?: unknown; nested_blocksize?: unknown; nested_offset?: unknown };
    try {
      state = JSON.parse(new TextDecoder().decode(await t.file.read(t.offset, t.byteLength)));
    } catch {
      throw fail(`${t.name}: quant state is not JSON`);
    }
    const shape = state.shape;
    const blocksize = Number(state.blocksize);
    if (!Array.isArray(shape) || !shape.every(positiveInt) || !positiveInt(blocksize)) {
      throw fail(`${t.name}: quant state lacks a shape or block size`);
    }
    if (map.numel !== 16 || !FLOAT_DTYPES.has(map.dtype))
      throw fail(`${map.name}: ${map.dtype} [${map.shape}], not 16 code values`);
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (Math.ceil(numel / 2) !== w.byteLength) throw fail(`${w.name}: ${w.byteLength} bytes for ${numel} 4-bit values`);
    if (Math.ceil(numel / blocksize) !== absmax.numel)
      throw fail(`${absmax.name}: ${absmax.numel} values for ${numel} in blocks of ${blocksize}`);
    const nested = byName.get(`${m[1]}.nested_absmax`);
    const nestedMap = byName.get(`${m[1]}.nested_quant_map`);
    const nestedBlocks = Number(state.nested_blocksize ?? 256);
    if (nested && nestedMap) {
      if (absmax.dtype !== 'U8' || nestedMap.numel !== 256 || !FLOAT_DTYPES.has(nestedMap.dtype))
        throw fail(`${absmax.name}: nested absmax is not 8-bit codes of a 256-value map`);
      if (!positiveInt(nestedBlocks) || !Number.isFinite(Number(state.nested_offset ?? 0)))
        throw fail(
          `${t.name}: nested block size ${state.nested_blocksize} or offset ${state.nested_offset} is not usable`,
        );
      if (!FLOAT_DTYPES.has(nested.dtype) || nested.numel !== Math.ceil(absmax.numel / nestedBlocks))
        throw fail(`${nested.name}: ${nested.numel} values for ${absmax.numel} in blocks of ${nestedBlocks}`);
    } else if (!FLOAT_DTYPES.has(absmax.dtype)) throw fail(`${absmax.name}: ${absmax.dtype}, not F16, BF16 or F32`);
    const parts = [part(w, 'weight'), part(absmax, 'absmax'), part(map, 'quant_map')];
    if (nested && nestedMap) parts.push(part(nested, 'nested_absmax'), part(nestedMap, 'nested_quant_map'));
    const entry = logical(
      w.name,
      'NF4',
      shape as number[],
      parts,
      `bnb-${m[2]}-b${blocksize}${nested ? '-nested' : ''}`,
      {
        method: 'bnb4',
        blocksize,
        ...(nested ? { nestedBlocksize: nestedBlocks, nestedOffset: Number(state.nested_offset ?? 0) } : {}),
      },
    );
    if (m[2] === 'fp4') entry.dtype = 'FP4';
    for (const x of [w, absmax, map, nested, nestedMap, t]) if (x) used.add(x.name);
    made.set(w.name, entry);
  }
  return tensors.filter((t) => !used.has(t.name) || made.has(t.name)).map((t) => made.get(t.name) ?? t);
}

/** Both groupings, for a checkpoint's tensors and its config.json text. */
export async function groupQuantisedTensors(
  tensors: TensorEntry[],
  configText: string | undefined,
  source: string,
): Promise<TensorEntry[]> {
  const fail = (problem: string) => new InputError(source, problem);
  const grouped = groupQuantised(tensors, quantizationConfig(configText), fail);
  return groupBitsAndBytes(grouped, fail);
}
