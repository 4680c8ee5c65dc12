/**
 * Model card (README.md) front matter: the lineage a model declares about itself. Self-declared
 * and unverified — compare/lineage.ts sets it against what the weights show.
 */
import { parse } from 'yaml';
import { InputError } from '../errors.js';

export interface ModelCard {
  /** `base_model`: a string or a list on the Hub; always a list here (empty when absent). */
  baseModel: string[];
  /** `base_model_relation`: finetune / adapter / merge / quantized (the Hub may infer it). */
  baseModelRelation?: string;
  license?: string;
  licenseName?: string;
  libraryName?: string;
  tags: string[];
  /** False when the README has no `---` front matter at all. */
  hasFrontMatter: boolean;
}

/** Front matter must open on the first line; it closes at the next `---` (or YAML's `...`) line. */
const OPEN = /^\uFEFF?---[ \t]*\r?\n/;

/**
 * Front matter parsed at most: Hub cards carry a few KB (a long model-index some tens of KB). The
 * YAML parser takes seconds per MB and tens of times the text in memory, so a card of the
 * 64 MiB a side file may have would exhaust the process (60 MiB of list items: out of memory).
 */
export const MAX_FRONT_MATTER_CHARS = 256 * 1024;

export function readModelCard(readmeText: string, source: string): ModelCard {
  const card: ModelCard = { baseModel: [], tags: [], hasFrontMatter: false };
  const open = OPEN.exec(readmeText);
  if (!open) return card;
  const rest = readmeText.slice(open[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*$/m.exec(rest);
  if (!close) throw new InputError(source, 'front matter opened with --- but never closed');
  const yamlText = rest.slice(0, close.index);
  if (yamlText.length > MAX_FRONT_MATTER_CHARS)
    throw new InputError(
      source,
      `front matter is ${yamlText.length} characters, more than the ${MAX_FRONT_MATTER_CHARS} a model card's may have`,
    );
  card.hasFrontMatter = true;

  let data: unknown;
  try {
    // Hub cards sometimes repeat a key; the Hub keeps the last one, so do we.
    data = parse(yamlText, { uniqueKeys: false });
  } catch (err) {
    const msg = String(err instanceof Error ? err.message : err).split('\n')[0];
    throw new InputError(source, `malformed YAML front matter: ${msg}`);
  }
  if (data === null || data === undefined) return card;
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(source, 'front matter is not a YAML mapping');
  }
  const fm = data as Record<string, unknown>;
  card.baseModel = strings(fm.base_model);
  card.tags = strings(fm.tags);
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  card.baseModelRelation = str(fm.base_model_relation);
  card.license = str(fm.license) ?? strings(fm.license)[0];
  card.licenseName = str(fm.license_name);
  card.libraryName = str(fm.library_name);
  for (const k of ['baseModelRelation', 'license', 'licenseName', 'libraryName'] as const) {
    if (card[k] === undefined) delete card[k];
  }
  return card;
}

/** A string or a list of strings (other entries ignored), trimmed, without duplicates. */
function strings(v: unknown): string[] {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
  const out = list
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.trim())
    .filter(Boolean);
  return [...new Set(out)];
}
