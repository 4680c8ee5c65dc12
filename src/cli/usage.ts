import { InputError } from '../errors.js';

export const USAGE = `weightprint: weight provenance for model releases

Usage:
  weightprint fingerprint <model> [-o fp.json] [--json] [--sample K] [--sketch|--full] [--shards i/n]
  weightprint compare <A> <B> [--json | --markdown] [-o file] [--sketch|--full]
  weightprint check <model> [--registry dir|url]... [--policy file] [--json | --markdown] [-o file]
                    [--sketch|--full] [--no-builtin] [--max-candidates N]
                    [--challenge auto|off|N] [--challenge-seed S]
  weightprint registry add <model> --id <id> [--registry dir] [--license L] [--family F] [--sketch|--full]
  weightprint registry list | verify | remove <id> [--registry dir]
  weightprint registry import-known | update   (maintainers: built-in and Hub-listed entries)
  weightprint merge <part.json>... -o fp.json
  weightprint demo [--out dir]
  weightprint eval [--seeds N] [--json] [--sketch] [--runs-above N]

A model is a .safetensors file, a *.safetensors.index.json, a model directory, hf:org/name[@rev],
or a fingerprint JSON written by 'fingerprint -o'.
--sketch reads headers and sampled coordinates only (default for hf: models), --full every byte
(default for local files).
check challenges up to 4 aligned registry entries (--challenge) by reading both sides again at a
seed drawn for the run; --challenge-seed repeats a run's challenge from the seed its report records.
Exit codes: 0 ok, 1 policy failure (check), 2 bad input.`;

export function usageError(problem: string): InputError {
  return new InputError('usage', problem);
}

/**
 * `--sketch` / `--full` as a fingerprint mode (`sample` is the document's name for a sketch);
 * undefined leaves the default (a sketch for `hf:` models, full for local ones).
 */
export function modeFlag(values: { sketch?: boolean; full?: boolean }): 'sample' | 'full' | undefined {
  if (values.sketch && values.full) throw usageError('choose one of --sketch and --full');
  return values.sketch ? 'sample' : values.full ? 'full' : undefined;
}
