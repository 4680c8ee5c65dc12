/**
 * Built-in tokenizer and config entries, computed by our own signature code from public
 * tokenizer/config files (the knownmodels folder) as listed in registry/builtin.sources.yaml.
 * Only the signatures go into the registry, never the files.
 */
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../../errors.js';
import { configSignature } from '../../fingerprint/config.js';
import { tokenizerSignature, type TokenizerFiles } from '../../fingerprint/tokenizer.js';
import { addEntries, signatureFingerprint, type AddEntryOptions } from '../write.js';
import type { FingerprintDocument } from '../../fingerprint/types.js';
import type { RegistryEntry } from '../types.js';

interface KnownTokenizer {
  id: string;
  family: string;
  license: string;
  ancestor?: boolean;
  /** TokenizerFiles key → path relative to the knownmodels folder. */
  files: Record<string, string>;
}

interface KnownConfig {
  id: string;
  family: string;
  license: string;
  file: string;
}

interface KnownSources {
  tokenizers: KnownTokenizer[];
  configs: KnownConfig[];
}

const TOKENIZER_KEYS = new Set([
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'special_tokens_map.json',
  'tiktoken',
  'tokenizer.model',
  'pieces',
]);

export async function readKnownSources(path: string): Promise<KnownSources> {
  let doc: unknown;
  try {
    doc = parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(path, err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  const fail = (problem: string) => new InputError(path, problem);
  const root = doc as { tokenizers?: unknown; configs?: unknown } | null;
  const tokenizers = Array.isArray(root?.tokenizers) ? root!.tokenizers : [];
  const configs = Array.isArray(root?.configs) ? root!.configs : [];
  const str = (o: Record<string, unknown>, k: string, where: string) => {
    if (typeof o[k] !== 'string' || o[k] === '') throw fail(`${where}.${k} must be a non-empty string`);
    return o[k] as string;
  };
  const rel = (p: string, where: string) => {
    if (p.startsWith('/') || normalize(p).split('/').includes('..'))
      throw fail(`${where}: path ${p} must stay inside the knownmodels folder`);
    return p;
  };
  return {
    tokenizers: tokenizers.map((t: Record<string, unknown>, i) => {
      const where = `tokenizers[${i}]`;
      const files = t.files as Record<string, unknown> | undefined;
      if (typeof files !== 'object' || files === null)
        throw fail(`${where}.files must map tokenizer file roles to paths`);
      for (const [k, v] of Object.entries(files)) {
        if (!TOKENIZER_KEYS.has(k))
          throw fail(`${where}.files: unknown role ${k} (one of ${[...TOKENIZER_KEYS].join(', ')})`);
        if (typeof v !== 'string') throw fail(`${where}.files.${k} must be a path`);
        rel(v, where);
      }
      return {
        id: str(t, 'id', where),
        family: str(t, 'family', where),
        license: str(t, 'license', where),
        ancestor: t.ancestor === true,
        files: files as Record<string, string>,
      };
    }),
    configs: configs.map((c: Record<string, unknown>, i) => {
      const where = `configs[${i}]`;
      return {
        id: str(c, 'id', where),
        family: str(c, 'family', where),
        license: str(c, 'license', where),
        file: rel(str(c, 'file', where), where),
      };
    }),
  };
}

/** Computes every listed signature and adds (or replaces) its entry in `registryDir`. */
export async function importKnownModels(
  knownDir: string,
  sources: KnownSources,
  registryDir: string,
  onProgress: (line: string) => void = () => {},
): Promise<RegistryEntry[]> {
  const items: Array<{ fp: FingerprintDocument; opts: AddEntryOptions }> = [];
  for (const t of sources.tokenizers) {
    const files: TokenizerFiles = {};
    for (const [role, path] of Object.entries(t.files)) {
      const bytes = await readFile(join(knownDir, path)).catch(() => {
        throw new InputError(join(knownDir, path), 'no such file (listed in the sources)');
      });
      // a SentencePiece tokenizer.model is protobuf: it must stay bytes
      (files as Record<string, string | Uint8Array>)[role] =
        role === 'tokenizer.model' ? new Uint8Array(bytes) : bytes.toString('utf8');
    }
    const sig = tokenizerSignature(files, t.id);
    if (!sig) throw new InputError(t.id, 'no tokenizer signature could be computed from the listed files');
    items.push({
      fp: signatureFingerprint(t.id, { tokenizer: sig }, Object.values(t.files)),
      opts: {
        id: t.id,
        family: t.family,
        license: t.license,
        kind: 'tokenizer',
        ancestor: t.ancestor,
        source: `knownmodels/${Object.values(t.files).join(', knownmodels/')}`,
      },
    });
    onProgress(`${t.id}: ${sig.type}, ${sig.tokenCount} tokens`);
  }
  for (const c of sources.configs) {
    const path = join(knownDir, c.file);
    const text = await readFile(path, 'utf8').catch(() => {
      throw new InputError(path, 'no such file (listed in the sources)');
    });
    const sig = configSignature(text, path);
    items.push({
      fp: signatureFingerprint(c.id, { config: sig }, [c.file]),
      opts: { id: c.id, family: c.family, license: c.license, kind: 'config', source: `knownmodels/${c.file}` },
    });
    const subs = sig.subConfigs.map((s) => s.key);
    onProgress(`${c.id}: ${sig.modelType ?? 'no model_type'}${subs.length ? ` + ${subs.join(', ')}` : ''}`);
  }
  // one index rewrite: a failure above leaves the registry as it was
  return (await addEntries(registryDir, items)).map((r) => r.entry);
}
