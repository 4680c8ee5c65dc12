/** The registry API: open (directory or URL, several merged), shortlist, load, add, remove, verify. */
export { openRegistry, openRegistries, Registry, DEFAULT_MAX_CANDIDATES } from './registry.js';
export type { RegistryOptions, ShortlistOptions, VerifyReport, VerifyProblem } from './registry.js';
export { addEntry, addEntries, removeEntry, signatureFingerprint, entryFileName } from './write.js';
export type { AddEntryOptions, AddResult } from './write.js';
export { builtinRegistryDir } from './builtin.js';
export { entryKeys, queryKeys, matchEntry } from './keys.js';
export * from './types.js';
