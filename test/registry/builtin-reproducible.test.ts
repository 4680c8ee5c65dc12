/**
 * The shipped registry's tokenizer and config entries are what our code computes from
 * ../shared/knownmodels now. Its own file: ~25 CPU-s of tokenizer signatures that vitest runs on
 * another core beside the rest of builtin.test.ts.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRegistryDir } from '../../src/registry/index.js';
import { importKnownModels, readKnownSources } from '../../src/registry/build/knownmodels.js';
import { tempDir } from './fixtures.js';

const KNOWN = resolve(import.meta.dirname, '../../../shared/knownmodels');
const SOURCES = resolve(import.meta.dirname, '../../registry/builtin.sources.yaml');
const known = existsSync(KNOWN);
const skipNote = known ? '' : ` (skipped: ${KNOWN} is absent)`;

describe('built-in registry', () => {
  it.skipIf(!known)(`is what our code computes from knownmodels now${skipNote}`, async () => {
    const tmp = await tempDir('builtin');
    try {
      await importKnownModels(KNOWN, await readKnownSources(SOURCES), tmp.dir);
      const shipped = await readFile(join(builtinRegistryDir()!, 'index.json'), 'utf8');
      const fresh = await readFile(join(tmp.dir, 'index.json'), 'utf8');
      // weights entries come from the Hub workflow; the tokenizer/config entries must be reproducible
      // compared by content, not file hash: the files also carry the tool version
      const strip = (text: string) =>
        (JSON.parse(text).entries as Array<Record<string, unknown>>)
          .filter((e) => e.kind !== 'weights')
          .map(({ sha256: _h, ...rest }) => rest);
      expect(strip(shipped)).toEqual(strip(fresh));
    } finally {
      await tmp.cleanup();
    }
  });
});
