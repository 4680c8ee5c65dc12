/** Local GGUF models: a file (with the rest of its split set), or the default pick of a directory. */
import { join } from 'node:path';
import { openFileSource } from '../file-source.js';
import type { ByteSource, ModelSource } from '../types.js';
import { assembleGguf, ggufFileSet, mergeGgufModels, openGgufSources, pickGgufFiles } from './model.js';

type SideFile = (name: string) => Promise<Uint8Array | undefined>;
/** Opens one weight file (the caller checks where it may live). */
type OpenFile = (path: string) => Promise<ByteSource>;

/** Opens the given GGUF files (each with its split set) as one model. */
export async function openGgufFiles(
  paths: string[],
  id: string,
  kind: ModelSource['kind'],
  sideFile: SideFile,
  openFile: OpenFile = openFileSource,
): Promise<ModelSource> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await ggufFileSet(p)));
  const sources: ByteSource[] = [];
  try {
    for (const f of files) sources.push(await openFile(f));
  } catch (err) {
    await Promise.allSettled(sources.map((s) => s.close()));
    throw err;
  }
  const close = async () => {
    await Promise.allSettled(sources.map((s) => s.close()));
  };
  // split sets are checked one set at a time: metadata lives in each set's first file
  const opened = await openGgufSources(sources);
  try {
    const sets: (typeof opened)[] = [];
    let at = 0;
    for (const p of paths) {
      const n = (await ggufFileSet(p)).length;
      sets.push(opened.slice(at, at + n));
      at += n;
    }
    const models = sets.map((set) => assembleGguf(id, kind, set, sideFile, async () => {}));
    return { ...mergeGgufModels(models), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A directory without safetensors weights: its most precise GGUF (and mmproj), or undefined. */
export async function openGgufDirectory(
  dir: string,
  names: string[],
  sideFile: SideFile,
  openFile: OpenFile = openFileSource,
): Promise<ModelSource | undefined> {
  const { files } = pickGgufFiles(names);
  if (files.length === 0) return undefined;
  return openGgufFiles(
    files.map((f) => join(dir, f)),
    dir,
    'directory',
    sideFile,
    openFile,
  );
}
