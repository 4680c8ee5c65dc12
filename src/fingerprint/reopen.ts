/**
 * Reading a model or a registry entry's source again, at a sample seed the check chooses (the
 * challenge sample, check/challenge.ts). The check decides what to read and never touches files
 * or the network itself: this reader is the capability the adapters hand it (createEngine), with
 * the Hub opener, the Git LFS resolver and the workspace boundary of the run.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ModelOpener } from '../formats/model.js';
import type { LfsResolver } from '../formats/lfs.js';
import { loadFingerprint } from './load.js';
import type { SampleLayout } from './sample.js';
import type { FingerprintDocument } from './types.js';

/** What the run may read: the same capabilities the model under test was read with. */
export interface ReadContext {
  hub?: ModelOpener;
  lfs?: LfsResolver;
  /** The checkout under test (the Action's workspace): files there are the PR author's to choose. */
  root?: string;
  /** Cancels the reads (the run's time budget). */
  signal?: AbortSignal;
}

/** Where a reference's weights can be read again, or why they cannot. */
export type SourceLocation =
  | { kind: 'hub'; spec: string; pinned: boolean }
  | { kind: 'local'; spec: string; insideCheckout: boolean }
  | { kind: 'unavailable'; why: string };

export interface SampleRequest {
  /** `sample` reads the sampled coordinates only; `full` every byte (exact digests as well). */
  mode: 'sample' | 'full';
  k: number;
  seed: number;
  /** Sample layout (default: the product's, runs above 2^18 elements). */
  layout?: SampleLayout;
}

export interface SourceReader {
  /** Where `spec` (an `hf:` id or a local path recorded in a registry entry) can be read. */
  locate(spec: string, ctx: ReadContext): Promise<SourceLocation>;
  /** Why the model under test cannot be read again (a fingerprint file was checked), if it cannot. */
  modelUnavailable(spec: string, ctx: ReadContext): string | undefined;
  /** The model under test, read again as it was the first time (same boundary, LFS and Hub). */
  readModel(spec: string, how: SampleRequest, ctx: ReadContext): Promise<FingerprintDocument>;
  /** A located reference source (its own directory is its boundary). */
  readReference(location: SourceLocation, how: SampleRequest, ctx: ReadContext): Promise<FingerprintDocument>;
}

/** A full 40-hex commit after `@`: the Hub serves exactly those bytes. */
const PINNED = /@[0-9a-f]{40}$/;

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** A fingerprint JSON (not a shard index): there are no weights behind it to read again. */
function isFingerprintFile(spec: string): boolean {
  return /\.json$/i.test(spec) && !/\.(safetensors|bin|pt|pth)\.index\.json$/i.test(spec);
}

function layoutOption(how: SampleRequest): { layout?: SampleLayout } {
  return how.layout ? { layout: how.layout } : {};
}

/** The reader the CLI, the Action and the App use: local files, `hf:` through the run's Hub opener. */
export function createSourceReader(): SourceReader {
  return {
    async locate(spec, ctx) {
      if (spec.startsWith('hf:')) {
        if (!ctx.hub) return { kind: 'unavailable', why: 'this run has no Hub access to read hf: sources' };
        return { kind: 'hub', spec, pinned: PINNED.test(spec) };
      }
      if (isFingerprintFile(spec))
        return { kind: 'unavailable', why: 'the entry was made from a fingerprint file, not from weights' };
      const path = resolve(spec);
      let real: string;
      try {
        await stat(path);
        real = await realpath(path);
      } catch {
        return { kind: 'unavailable', why: `its local source ${spec} is not on this machine` };
      }
      const root = ctx.root === undefined ? undefined : await realpath(ctx.root).catch(() => resolve(ctx.root!));
      return { kind: 'local', spec: path, insideCheckout: root !== undefined && inside(real, root) };
    },
    modelUnavailable(spec, ctx) {
      if (spec.startsWith('hf:')) return ctx.hub ? undefined : 'this run has no Hub access to read it again';
      if (isFingerprintFile(spec)) return 'it was given as a fingerprint file, not as weights';
      return undefined;
    },
    readModel: (spec, how, ctx) =>
      loadFingerprint(spec, {
        ...layoutOption(how),
        mode: how.mode,
        k: how.k,
        seed: how.seed,
        root: ctx.root,
        hub: ctx.hub,
        lfs: ctx.lfs,
        signal: ctx.signal,
      }),
    async readReference(location, how, ctx) {
      if (location.kind === 'unavailable') throw new Error(`readReference: ${location.why}`);
      return loadFingerprint(location.spec, {
        ...layoutOption(how),
        mode: how.mode,
        k: how.k,
        seed: how.seed,
        hub: ctx.hub,
        lfs: ctx.lfs,
        signal: ctx.signal,
      });
    },
  };
}
