/**
 * Grows the registry from registry/models.yaml: each listed Hub model is fingerprinted in sample
 * mode over HTTP range reads and added (or refreshed when its commit moved). Run by the
 * registry workflow; a model that fails (gated without a token, removed) is reported and the
 * others still go in.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { InputError } from '../../errors.js';
import { fingerprintModel } from '../../fingerprint/model.js';
import { openHubModel, parseHubSpec, type HubOptions } from '../../formats/hub.js';
import { openRegistry } from '../registry.js';
import { addEntry } from '../write.js';

interface ListedModel {
  /** `org/name` on the Hub. */
  hf: string;
  revision?: string;
  family: string;
  license: string;
  /** Free text for readers of models.yaml (e.g. which component matters). */
  note?: string;
}

interface UpdateOptions extends HubOptions {
  /** Only these hf ids (org/name). */
  only?: string[];
  /** Refingerprint even when the commit did not move. */
  force?: boolean;
  mode?: 'sample' | 'full';
  onProgress?: (line: string) => void;
}

interface UpdateOutcome {
  hf: string;
  id: string;
  status: 'added' | 'updated' | 'unchanged' | 'failed';
  commit?: string;
  bytesRead?: number;
  totalBytes?: number;
  error?: string;
}

export async function readModelsList(path: string): Promise<ListedModel[]> {
  let doc: unknown;
  try {
    doc = parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(path, err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  const models = (doc as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) throw new InputError(path, '"models" must be a list');
  const seen = new Set<string>();
  return models.map((m: Record<string, unknown>, i) => {
    const where = `models[${i}]`;
    for (const k of ['hf', 'family', 'license']) {
      if (typeof m?.[k] !== 'string' || m[k] === '')
        throw new InputError(path, `${where}.${k} must be a non-empty string`);
    }
    const hf = m.hf as string;
    parseHubSpec(`hf:${hf}`); // validates the id
    if (hf.includes('@')) throw new InputError(path, `${where}.hf: give the revision as "revision:", not in the id`);
    if (seen.has(hf)) throw new InputError(path, `${where}.hf: ${hf} is listed twice`);
    seen.add(hf);
    if (m.revision !== undefined && typeof m.revision !== 'string')
      throw new InputError(path, `${where}.revision must be a string`);
    return {
      hf,
      family: m.family as string,
      license: m.license as string,
      revision: m.revision as string | undefined,
      note: m.note as string | undefined,
    };
  });
}

/** Entry id of a listed model: `hf:org/name@revision` (main unless pinned). */
export function listedEntryId(m: ListedModel): string {
  return `hf:${m.hf}@${m.revision ?? 'main'}`;
}

export async function updateFromModelsList(
  models: ListedModel[],
  registryDir: string,
  opts: UpdateOptions = {},
): Promise<UpdateOutcome[]> {
  const log = opts.onProgress ?? (() => {});
  const outcomes: UpdateOutcome[] = [];
  let existing = new Map<string, string | undefined>();
  try {
    const reg = await openRegistry(registryDir);
    existing = new Map(reg.entries.map((e) => [e.id, e.source]));
  } catch (err) {
    if (!(err instanceof InputError && /no index\.json/.test(err.message))) throw err;
  }
  for (const m of models) {
    if (opts.only?.length && !opts.only.includes(m.hf)) continue;
    const id = listedEntryId(m);
    const spec = `hf:${m.hf}${m.revision ? `@${m.revision}` : ''}`;
    try {
      const src = await openHubModel(spec, opts);
      try {
        const source = `hf:${m.hf}@${src.commit ?? m.revision ?? 'main'}`;
        if (!opts.force && src.commit && existing.get(id) === source) {
          outcomes.push({ hf: m.hf, id, status: 'unchanged', commit: src.commit });
          log(`${id}: unchanged at ${src.commit}`);
          continue;
        }
        const t0 = Date.now();
        const fp = await fingerprintModel(src, { mode: opts.mode ?? 'sample' });
        const { replaced } = await addEntry(registryDir, fp, {
          id,
          family: m.family,
          license: m.license,
          kind: 'weights',
          source,
        });
        const status = replaced ? 'updated' : 'added';
        outcomes.push({
          hf: m.hf,
          id,
          status,
          commit: src.commit,
          bytesRead: fp.source.bytesRead,
          totalBytes: fp.source.totalBytes,
        });
        log(
          `${id}: ${status} (${fp.tensors.length} tensors, ` +
            `read ${(fp.source.bytesRead / 2 ** 20).toFixed(1)} MiB ` +
            `of ${(fp.source.totalBytes / 2 ** 30).toFixed(2)} GiB ` +
            `in ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        );
      } finally {
        await src.close();
      }
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      outcomes.push({ hf: m.hf, id, status: 'failed', error: err.message });
      log(`${id}: FAILED ${err.message}`);
    }
  }
  return outcomes;
}
