/**
 * Reading registries: the index is loaded whole (it is compact), entry fingerprints only on
 * demand, each checked against the SHA-256 in the index before use. A corrupted, tampered or
 * unreachable entry is never used: it is recorded as a RegistryError, which a check reports and
 * which keeps its verdict from being `independent`. Several registries merge; a later one
 * overrides an earlier one's entry of the same id, with a warning.
 */
import { InputError } from '../errors.js';
import type { HttpClientOptions } from '../net/http.js';
import { asFingerprint } from '../fingerprint/validate.js';
import type { FingerprintDocument } from '../fingerprint/types.js';
import { matchEntry, queryKeys, STRONG_SKETCH_Z } from './keys.js';
import { checkRelative, decodeStored, openStore, sha256Hex, type RegistryStore } from './store.js';
import {
  REGISTRY_SCHEMA,
  type RegistryEntry,
  type RegistryError,
  type RegistryIndex,
  type ShortlistCandidate,
} from './types.js';

export interface RegistryOptions {
  fetch?: typeof fetch;
  http?: Omit<HttpClientOptions, 'fetch'>;
  /** Called for each problem that does not stop the registry from being used. */
  onWarning?: (message: string) => void;
}

export interface ShortlistOptions {
  /**
   * Weights entries matched by shapes alone beyond this many are dropped, weakest sketch first
   * (digest matches and strong sketch matches are always kept). Tokenizer and config entries are
   * never capped.
   */
  maxCandidates?: number;
}

export const DEFAULT_MAX_CANDIDATES = 64;

export interface VerifyProblem {
  id: string;
  problem: string;
}

export interface VerifyReport {
  ok: string[];
  problems: VerifyProblem[];
}

interface Located {
  entry: RegistryEntry;
  store: RegistryStore;
}

const KINDS = new Set(['weights', 'tokenizer', 'config']);

export class Registry {
  /** Entry files fetched (and verified) so far: the benchmark's "proportional to the shortlist". */
  entryFilesLoaded = 0;
  readonly warnings: string[] = [];
  /** Index rows that could not be read: any of them might have matched, so every check reports them. */
  readonly indexErrors: RegistryError[];
  private readonly byId: Map<string, Located>;
  private readonly cache = new Map<string, FingerprintDocument | null>();
  private readonly loadErrors = new Map<string, string>();

  constructor(
    readonly locations: string[],
    located: Located[],
    private readonly onWarning?: (message: string) => void,
    warnings: string[] = [],
    indexErrors: RegistryError[] = [],
  ) {
    this.byId = new Map();
    for (const l of located) this.byId.set(l.entry.id, l);
    for (const w of warnings) this.warn(w);
    this.indexErrors = indexErrors;
  }

  get entries(): RegistryEntry[] {
    return [...this.byId.values()].map((l) => l.entry);
  }

  entry(id: string): RegistryEntry | undefined {
    return this.byId.get(id)?.entry;
  }

  /** Entries worth comparing with `fp`, strongest first, decided from the index alone. */
  shortlist(fp: FingerprintDocument, opts: ShortlistOptions = {}): ShortlistCandidate[] {
    const max = opts.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
    const q = queryKeys(fp);
    const all: ShortlistCandidate[] = [];
    for (const { entry } of this.byId.values()) {
      const c = matchEntry(entry, q);
      if (c) all.push(c);
    }
    all.sort((a, b) => b.score - a.score || (a.entry.id < b.entry.id ? -1 : 1));
    const strong = (c: ShortlistCandidate) =>
      c.entry.kind !== 'weights' ||
      c.score >= 1000 ||
      c.reasons.some((r) => {
        const z = /sketch agreement z (-?[\d.]+)/.exec(r);
        return z !== null && Number(z[1]) >= STRONG_SKETCH_Z;
      });
    const kept: ShortlistCandidate[] = [];
    let weak = 0;
    let dropped = 0;
    for (const c of all) {
      if (strong(c)) kept.push(c);
      else if (weak++ < max) kept.push(c);
      else dropped++;
    }
    if (dropped) {
      this.warn(
        `${dropped} more registry entr${dropped === 1 ? 'y shares' : 'ies share'} tensor shapes with ${fp.source.id} ` +
          `but were not compared (shortlist capped at ${max}; weakest sign-sketch agreement dropped)`,
      );
    }
    return kept;
  }

  /**
   * The entry's fingerprint, or undefined when its file is missing, tampered, unreachable or
   * invalid: then `loadError(id)` says why (and a warning was logged).
   */
  async loadEntry(id: string): Promise<FingerprintDocument | undefined> {
    if (this.cache.has(id)) return this.cache.get(id) ?? undefined;
    const l = this.byId.get(id);
    if (!l) return undefined;
    const r = await readEntry(l);
    this.entryFilesLoaded++;
    if ('problem' in r) {
      this.warn(`registry entry ${id} skipped: ${r.problem}`);
      this.loadErrors.set(id, r.problem);
      this.cache.set(id, null);
      return undefined;
    }
    this.cache.set(id, r.doc);
    return r.doc;
  }

  /** Why `loadEntry(id)` gave nothing, when it failed. */
  loadError(id: string): string | undefined {
    return this.loadErrors.get(id);
  }

  /** Reads every entry and checks its hash and contents. */
  async verify(): Promise<VerifyReport> {
    const report: VerifyReport = { ok: [], problems: [] };
    for (const l of this.byId.values()) {
      const r = await readEntry(l);
      if ('problem' in r) report.problems.push({ id: l.entry.id, problem: r.problem });
      else report.ok.push(l.entry.id);
    }
    return report;
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.onWarning?.(message);
  }
}

async function readEntry(l: Located): Promise<{ doc: FingerprintDocument } | { problem: string }> {
  const where = l.store.describe(l.entry.file);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await l.store.read(l.entry.file);
  } catch (err) {
    return { problem: oneLine(err instanceof Error ? err.message : String(err)) };
  }
  if (!bytes) return { problem: `file ${where} is missing` };
  const actual = sha256Hex(bytes);
  if (actual !== l.entry.sha256) {
    return {
      problem:
        `SHA-256 of ${where} is ${actual.slice(0, 12)}…, ` +
        `the index says ${l.entry.sha256.slice(0, 12)}… (corrupted or tampered)`,
    };
  }
  try {
    const doc = asFingerprint(JSON.parse(decodeStored(bytes, where)), where);
    return { doc };
  } catch (err) {
    return { problem: err instanceof InputError ? err.message : `${where}: not valid JSON` };
  }
}

/**
 * Reads and validates index.json; a malformed index is an error, a malformed entry a warning and
 * (when `errors` is given) a RegistryError, since the entry it should have been is not compared.
 */
export async function readIndex(
  store: RegistryStore,
  warnings: string[],
  errors: RegistryError[] = [],
): Promise<RegistryEntry[]> {
  const where = store.describe('index.json');
  const bytes = await store.read('index.json');
  if (!bytes) throw new InputError(store.location, 'not a registry: no index.json');
  let json: unknown;
  try {
    json = JSON.parse(decodeStored(bytes, where));
  } catch (err) {
    throw new InputError(where, err instanceof InputError ? err.problem : 'not valid JSON');
  }
  const index = json as Partial<RegistryIndex> | null;
  if (index?.schema !== REGISTRY_SCHEMA) {
    throw new InputError(where, `schema must be "${REGISTRY_SCHEMA}" (got ${JSON.stringify(index?.schema ?? null)})`);
  }
  if (!Array.isArray(index.entries)) throw new InputError(where, '"entries" must be an array');
  const out: RegistryEntry[] = [];
  const seen = new Set<string>();
  index.entries.forEach((e: unknown, i) => {
    const problem = entryProblem(e);
    if (problem) {
      warnings.push(`${where}: entries[${i}] skipped: ${problem}`);
      const id = (e as { id?: unknown } | null)?.id;
      errors.push({
        entry: typeof id === 'string' && id !== '' ? oneLine(id) : `${where}: entries[${i}]`,
        reason: `malformed index entry in ${where}: ${problem}`,
      });
      return;
    }
    const entry = e as RegistryEntry;
    try {
      checkRelative(entry.file, where);
    } catch (err) {
      warnings.push(`${where}: entry ${entry.id} skipped: ${(err as InputError).problem}`);
      errors.push({ entry: entry.id, reason: `malformed index entry in ${where}: ${(err as InputError).problem}` });
      return;
    }
    if (seen.has(entry.id)) warnings.push(`${where}: entry ${entry.id} appears twice; the last one is used`);
    seen.add(entry.id);
    out.push(entry);
  });
  return out;
}

function entryProblem(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return 'not an object';
  const x = e as Record<string, unknown>;
  for (const key of ['id', 'file', 'family', 'license', 'schemaVersion']) {
    if (typeof x[key] !== 'string' || x[key] === '') return `"${key}" must be a non-empty string`;
  }
  if (typeof x.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(x.sha256)) return '"sha256" must be 64 hex digits';
  if (typeof x.kind !== 'string' || !KINDS.has(x.kind)) return '"kind" must be weights, tokenizer or config';
  if (!Array.isArray(x.components)) return '"components" must be an array';
  if (typeof x.shortlist !== 'object' || x.shortlist === null) return '"shortlist" must be an object';
  return undefined;
}

export async function openRegistry(location: string, opts: RegistryOptions = {}): Promise<Registry> {
  return openRegistries([location], opts);
}

/** Registries in order of precedence: a later one overrides an earlier one's entry of the same id. */
export async function openRegistries(locations: string[], opts: RegistryOptions = {}): Promise<Registry> {
  const warnings: string[] = [];
  const errors: RegistryError[] = [];
  const located = new Map<string, Located>();
  for (const location of locations) {
    const store = openStore(location, { ...opts.http, fetch: opts.fetch });
    for (const entry of await readIndex(store, warnings, errors)) {
      const prev = located.get(entry.id);
      if (prev && prev.store !== store)
        warnings.push(`registry entry ${entry.id} from ${location} overrides the one from ${prev.store.location}`);
      located.set(entry.id, { entry, store });
    }
  }
  return new Registry(locations, [...located.values()], opts.onWarning, warnings, errors);
}

function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
}
