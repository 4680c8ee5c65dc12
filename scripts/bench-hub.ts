/**
 * `npm run bench:hub`: sketches of release-sized layouts read from a loopback Hub that adds a
 * fixed latency to every request, BEFORE (the v1 grid reader, scripts/bench/hub-baseline.ts),
 * AFTER (the current sketch) and CHALLENGE (the check's private sample of a challenged entry: the
 * current sketch in secret runs at a random seed, check/challenge.ts), in one run. Per layout and
 * reader: requests, bytes read, share of the weights, wall time and peak RSS of the process.
 *
 * The layouts are written as sparse safetensors shards (a real header, then a hole: no disk cost,
 * the data reads as zeros) and served by test/helpers/hub-server.ts in its own process; each
 * sketch runs in a fresh child process so its peak RSS is its own. Requests and bytes are counted
 * by the server (every HTTP request, metadata included) and by the client (bytes it received).
 *
 * Roles of this one bundle: `driver` (default), `server` and `client` (children).
 */
import { fork } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { safetensorsHeader } from '../src/formats/writer.js';
import { openHubModel } from '../src/formats/hub.js';
import { fingerprintModel } from '../src/fingerprint/model.js';
import {
  DEFAULT_SAMPLE_K,
  DEFAULT_SAMPLE_SEED,
  SECRET_RUNS_LAYOUT,
  type SampleLayout,
} from '../src/fingerprint/sample.js';
import { MAX_ENTRY_FLAT_RUNS } from '../src/check/challenge.js';
import { startHubServer, type HubRepo, type VirtualFile } from '../test/helpers/hub-server.js';
import { baselineSketch } from './bench/hub-baseline.js';

// ---------------------------------------------------------------------------------------------
// layouts

interface TensorSpec {
  name: string;
  shape: number[];
}

interface Dims {
  hidden: number;
  ffn: number;
  layers: number;
  kv: number;
  vocab: number;
  qkvBias: boolean;
}

/** Tensors in the index's order (embeddings, layer by layer, final norm, head). */
function decoderLayout(d: Dims): TensorSpec[] {
  const out: TensorSpec[] = [{ name: 'model.embed_tokens.weight', shape: [d.vocab, d.hidden] }];
  for (let l = 0; l < d.layers; l++) {
    const p = `model.layers.${l}`;
    out.push(
      { name: `${p}.input_layernorm.weight`, shape: [d.hidden] },
      { name: `${p}.mlp.down_proj.weight`, shape: [d.hidden, d.ffn] },
      { name: `${p}.mlp.gate_proj.weight`, shape: [d.ffn, d.hidden] },
      { name: `${p}.mlp.up_proj.weight`, shape: [d.ffn, d.hidden] },
      { name: `${p}.post_attention_layernorm.weight`, shape: [d.hidden] },
      { name: `${p}.self_attn.k_proj.weight`, shape: [d.kv, d.hidden] },
      { name: `${p}.self_attn.o_proj.weight`, shape: [d.hidden, d.hidden] },
      { name: `${p}.self_attn.q_proj.weight`, shape: [d.hidden, d.hidden] },
      { name: `${p}.self_attn.v_proj.weight`, shape: [d.kv, d.hidden] },
    );
    if (d.qkvBias)
      out.push(
        { name: `${p}.self_attn.k_proj.bias`, shape: [d.kv] },
        { name: `${p}.self_attn.q_proj.bias`, shape: [d.hidden] },
        { name: `${p}.self_attn.v_proj.bias`, shape: [d.kv] },
      );
  }
  out.push({ name: 'model.norm.weight', shape: [d.hidden] }, { name: 'lm_head.weight', shape: [d.vocab, d.hidden] });
  return out;
}

interface Layout {
  id: string;
  label: string;
  dims: Dims;
  shards: number;
  config: Record<string, unknown>;
}

const LAYOUTS: Layout[] = [
  {
    id: 'llama-3-8b',
    label: 'Llama-3-8B',
    dims: { hidden: 4096, ffn: 14336, layers: 32, kv: 1024, vocab: 128256, qkvBias: false },
    shards: 4,
    config: { model_type: 'llama', architectures: ['LlamaForCausalLM'], num_attention_heads: 32 },
  },
  {
    id: 'qwen2.5-32b',
    label: 'Qwen2.5-32B',
    dims: { hidden: 5120, ffn: 27648, layers: 64, kv: 1024, vocab: 152064, qkvBias: true },
    shards: 17,
    config: { model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'], num_attention_heads: 40 },
  },
  {
    id: 'llama-3-70b',
    label: 'Llama-3-70B',
    dims: { hidden: 8192, ffn: 28672, layers: 80, kv: 1024, vocab: 128256, qkvBias: false },
    shards: 30,
    config: { model_type: 'llama', architectures: ['LlamaForCausalLM'], num_attention_heads: 64 },
  },
];

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Shards as the Hub's writers make them: the index order cut into `n` runs of about equal bytes,
 * each file's tensors sorted by name (safetensors serialises in name order).
 */
function shardLayout(tensors: TensorSpec[], n: number): TensorSpec[][] {
  const total = tensors.reduce((s, t) => s + 2 * numel(t.shape), 0);
  const out: TensorSpec[][] = [[]];
  let acc = 0;
  for (const t of tensors) {
    const bytes = 2 * numel(t.shape);
    if (acc + bytes / 2 > (total / n) * out.length && out.length < n) out.push([]);
    out[out.length - 1]!.push(t);
    acc += bytes;
  }
  return out.map((s) => [...s].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

const shardName = (i: number, n: number) =>
  `model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;

/** Writes the layout as sparse shards (header + hole); returns file paths and the weight map. */
function writeSparse(
  dir: string,
  layout: Layout,
): { paths: string[]; weightMap: Record<string, string>; bytes: number } {
  const shards = shardLayout(decoderLayout(layout.dims), layout.shards);
  const paths: string[] = [];
  const weightMap: Record<string, string> = {};
  let bytes = 0;
  shards.forEach((list, i) => {
    const name = shardName(i, shards.length);
    const tensors = list.map((t) => ({ name: t.name, dtype: 'BF16', shape: t.shape, byteLength: 2 * numel(t.shape) }));
    const header = safetensorsHeader(tensors, { format: 'pt' });
    const size = header.length + tensors.reduce((s, t) => s + t.byteLength, 0);
    const path = join(dir, name);
    const fd = openSync(path, 'w');
    writeSync(fd, header);
    ftruncateSync(fd, size);
    closeSync(fd);
    paths.push(path);
    bytes += size;
    for (const t of list) weightMap[t.name] = name;
  });
  return { paths, weightMap, bytes };
}

// ---------------------------------------------------------------------------------------------
// server child: the loopback Hub over the sparse files

async function serverMain(): Promise<void> {
  const { dir, latency } = JSON.parse(process.argv[3]!) as { dir: string; latency: number };
  const server = await startHubServer({ latencyMs: latency });
  const fds: number[] = [];
  for (const layout of LAYOUTS) {
    const { paths, weightMap } = writeSparse(dir, layout);
    const files: HubRepo['files'] = {
      'model.safetensors.index.json': JSON.stringify({ metadata: {}, weight_map: weightMap }),
      'config.json': JSON.stringify({ ...layout.config, hidden_size: layout.dims.hidden }),
    };
    for (const path of paths) {
      const fd = openSync(path, 'r');
      fds.push(fd);
      const size = (await import('node:fs')).fstatSync(fd).size;
      const file: VirtualFile = {
        size,
        read(offset, length) {
          const out = Buffer.allocUnsafe(length);
          let got = 0;
          while (got < length) got += readSync(fd, out, got, length - got, offset + got);
          return out;
        },
      };
      files[path.slice(dir.length + 1)] = file;
    }
    server.addRepo({ id: `bench/${layout.id}`, files });
  }
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'stats') {
      const r = server.requests;
      process.send!({
        type: 'stats',
        requests: r.length,
        api: r.filter((x) => x.host === 'hub' && x.path.startsWith('/api/')).length,
        resolve: r.filter((x) => x.host === 'hub' && !x.path.startsWith('/api/')).length,
        bytes: server.bytesServed(),
        cpu: (() => {
          const c = process.cpuUsage();
          return (c.user + c.system) / 1e6;
        })(),
      });
    }
    if (msg.type === 'close') void server.close().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: server.url });
}

type Variant = 'before' | 'after' | 'challenge' | 'challenge-flat';
const READERS: Record<Variant, string> = {
  before: 'before (v1 grid)',
  after: 'after (runs)',
  challenge: 'challenge (secret runs)',
  'challenge-flat': 'challenge, entry held reshaped (+ flat runs)',
};

/**
 * The most an entry's read costs when the model holds its matrices reshaped: flat runs in
 * MAX_ENTRY_FLAT_RUNS of its large matrices (check/challenge.ts picks them by the seed; here at random).
 */
function flatLayout(tensors: Array<{ name: string; shape: number[] }>): SampleLayout {
  const large = tensors.filter((t) => t.shape.length >= 2 && t.shape.reduce((a, b) => a * b, 1) > 2 ** 18);
  const picked = large
    .map((t) => ({ t, r: Math.random() }))
    .sort((a, b) => a.r - b.r)
    .slice(0, MAX_ENTRY_FLAT_RUNS)
    .map((x) => x.t);
  return {
    ...SECRET_RUNS_LAYOUT,
    flatCounts: [...new Set(picked.map((t) => t.shape.reduce((a, b) => a * b, 1)))],
    flatNames: picked.map((t) => t.name),
  };
}

// ---------------------------------------------------------------------------------------------
// client child: one sketch, BEFORE, AFTER or CHALLENGE

interface ClientResult {
  wallS: number;
  /** Metadata, index and headers (before any tensor read). */
  openS: number;
  cpuS: number;
  maxRssMB: number;
  tensors: number;
  bytesRead: number;
  totalBytes: number;
  entryBytes: number;
}

async function clientMain(): Promise<void> {
  const { url, repo, variant, concurrency } = JSON.parse(process.argv[3]!) as {
    url: string;
    repo: string;
    variant: Variant;
    concurrency: number;
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const src = await openHubModel(`hf:${repo}`, { hubUrl: url, http: { concurrency } });
  const openS = (performance.now() - t0) / 1000;
  let lastLine = 0;
  const say = (line: string) => {
    const now = performance.now();
    if (now - lastLine > 2000) {
      process.stderr.write(`  ${variant} ${repo}: ${line}\n`);
      lastLine = now;
    }
  };
  let tensors: number;
  /** What a registry entry stores: the document (AFTER) or its tensors (BEFORE), gzipped. */
  let entryBytes: number;
  if (variant === 'before') {
    let done = 0;
    const fps = await baselineSketch(src.tensors, DEFAULT_SAMPLE_K, DEFAULT_SAMPLE_SEED, () => {
      done++;
      say(`${done}/${src.tensors.length} tensors`);
    });
    tensors = fps.length;
    entryBytes = gzipSync(JSON.stringify({ tensors: fps })).length;
  } else {
    const doc = await fingerprintModel(src, {
      mode: 'sample',
      // the challenge's private sample: secret runs at a seed nobody has seen (any 32 bits but the public one)
      ...(variant === 'challenge' || variant === 'challenge-flat'
        ? {
            layout: variant === 'challenge' ? SECRET_RUNS_LAYOUT : flatLayout(src.tensors),
            seed: (DEFAULT_SAMPLE_SEED ^ (1 + Math.floor(Math.random() * 0xfffffffe))) >>> 0,
          }
        : {}),
      onProgress: (p) =>
        say(
          `${p.tensorsDone}/${p.tensorsTotal} tensors, ${p.requests ?? 0}/${p.requestsTotal ?? '?'} requests, ${((p.bytesFetched ?? 0) / 2 ** 20).toFixed(1)} MiB`,
        ),
    });
    tensors = doc.tensors.length;
    entryBytes = gzipSync(JSON.stringify(doc)).length;
  }
  const bytesRead = [...new Set(src.tensors.map((t) => t.file))].reduce((n, f) => n + f.bytesRead(), 0);
  await src.close();
  const cpu = process.cpuUsage(cpu0);
  const result: ClientResult = {
    wallS: (performance.now() - t0) / 1000,
    openS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    tensors,
    bytesRead,
    totalBytes: src.totalBytes,
    entryBytes,
  };
  process.send!({ type: 'result', result });
}

// ---------------------------------------------------------------------------------------------
// driver

function child<T>(role: string, arg: unknown, onMessage: (m: T & { type: string }) => void) {
  const self = fileURLToPath(import.meta.url);
  const p = fork(self, [role, JSON.stringify(arg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  p.on('message', (m) => onMessage(m as T & { type: string }));
  return p;
}

export async function driverMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'latency-ms': { type: 'string', default: '30' },
      concurrency: { type: 'string', default: '16' },
      only: { type: 'string', multiple: true },
      'no-before': { type: 'boolean', default: false },
      /** Also the challenge of an entry the model holds reshaped (flat runs). */
      flat: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const latency = Number(values['latency-ms']);
  const concurrency = Number(values.concurrency);
  const dir = mkdtempSync(join(tmpdir(), 'weightprint-bench-hub-'));
  const log = (s: string) => process.stderr.write(`bench:hub: ${s}\n`);
  type Stats = { requests: number; api: number; resolve: number; bytes: number; cpu: number };
  let stats: ((v: Stats) => void) | undefined;
  let ready: (url: string) => void;
  const urlP = new Promise<string>((r) => (ready = r));
  const server = child<Partial<Stats> & { url?: string }>('server', { dir, latency }, (m) => {
    if (m.type === 'ready') ready(m.url!);
    if (m.type === 'stats') stats?.(m as unknown as Stats);
  });
  const serverStats = () =>
    new Promise<Stats>((r) => {
      stats = r;
      server.send({ type: 'stats' });
    });
  const rows: Array<Record<string, string | number>> = [];
  try {
    const url = await urlP;
    log(`loopback Hub at ${url}, ${latency} ms added to every request, client concurrency ${concurrency}`);
    for (const layout of LAYOUTS) {
      if (values.only && !values.only.includes(layout.id)) continue;
      const variants: Variant[] = values['no-before'] ? ['after', 'challenge'] : ['before', 'after', 'challenge'];
      if (values.flat) variants.push('challenge-flat');
      for (const variant of variants) {
        const before = await serverStats();
        const result = await new Promise<ClientResult>((resolve, reject) => {
          const c = child<{ result?: ClientResult }>(
            'client',
            { url, repo: `bench/${layout.id}`, variant, concurrency },
            (m) => m.type === 'result' && resolve(m.result!),
          );
          c.on('exit', (code) => code && reject(new Error(`client exited with ${code}`)));
        });
        const after = await serverStats();
        const row = {
          layout: layout.label,
          reader: READERS[variant],
          tensors: result.tensors,
          shards: layout.shards,
          weightsGB: +(result.totalBytes / 1e9).toFixed(1),
          requests: after.requests - before.requests,
          'api+resolve': `${after.api - before.api}+${after.resolve - before.resolve}`,
          bytesMB: +(result.bytesRead / 1e6).toFixed(1),
          servedMB: +((after.bytes - before.bytes) / 1e6).toFixed(1),
          sharePct: +((100 * result.bytesRead) / result.totalBytes).toFixed(4),
          wallS: +result.wallS.toFixed(2),
          openS: +result.openS.toFixed(2),
          cpuS: +result.cpuS.toFixed(2),
          serverCpuS: +(after.cpu - before.cpu).toFixed(2),
          peakRssMB: Math.round(result.maxRssMB),
          entryGzKB: Math.round(result.entryBytes / 1024),
        };
        rows.push(row);
        log(
          `${row.layout} ${row.reader}: ${row.requests} requests, ${row.bytesMB} MB (${row.sharePct} %), ${row.wallS} s, peak RSS ${row.peakRssMB} MB`,
        );
      }
    }
  } finally {
    server.send({ type: 'close' });
    await new Promise((r) => server.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  const cols = Object.keys(rows[0] ?? {});
  const table = [
    `| ${cols.join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`),
  ].join('\n');
  const ratios = LAYOUTS.map((l) => {
    const b = rows.find((r) => r.layout === l.label && String(r.reader).startsWith('before'));
    const a = rows.find((r) => r.layout === l.label && String(r.reader).startsWith('after'));
    const c = rows.find((r) => r.layout === l.label && String(r.reader).startsWith('challenge'));
    const x = (k: string, p = b, q = a) => (Number(p![k]) / Number(q![k])).toFixed(1);
    const out: string[] = [];
    if (a && b)
      out.push(`${l.label}: ${x('requests')}× fewer requests, ${x('bytesMB')}× fewer bytes, ${x('wallS')}× faster`);
    if (a && c)
      out.push(
        `${l.label} challenge sample vs published sketch: ${x('requests', c, a)}× the requests, ` +
          `${x('bytesMB', c, a)}× the bytes, ${x('wallS', c, a)}× the wall time`,
      );
    return out.join('\n') || undefined;
  }).filter(Boolean);
  const machine = `${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average at the end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;
  process.stdout.write(
    `${table}\n\n${ratios.join('\n')}\n\nlatency ${latency} ms per request, client concurrency ${concurrency}; ${machine}\n`,
  );
  if (values.json) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(values.json, JSON.stringify({ latency, concurrency, machine, rows }, null, 2));
  }
}

const role = process.argv[2];
if (role === 'server') void serverMain();
else if (role === 'client')
  clientMain().catch((err: unknown) => {
    process.stderr.write(`bench:hub client: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
