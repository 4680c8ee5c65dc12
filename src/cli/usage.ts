import { InputError } from '../errors.js';

export const USAGE = `weightprint: weight provenance for model releases

Usage:
  weightprint fingerprint <model> [-o fp.json] [--json] [--sample K] [--sketch|--full] [--shards i/n]
  weightprint compare <A> <B> [--json | --markdown] [-o file]
  weightprint check <model> [--registry dir|url]... [--policy file] [--json | --markdown] [-o file]
                    [--full] [--no-builtin] [--max-candidates N]
  weightprint registry add <model> --id <id> [--registry dir] [--license L] [--family F]
  weightprint registry list | verify | remove <id> [--registry dir]
  weightprint registry import-known | update   (maintainers: built-in and Hub-listed entries)
  weightprint merge <part.json>... -o fp.json
  weightprint demo [--out dir]
  weightprint eval [--seeds N] [--json]

A model is a .safetensors file, a *.safetensors.index.json, a model directory, hf:org/name[@rev],
or a fingerprint JSON written by 'fingerprint -o'.
Exit codes: 0 ok, 1 policy failure (check), 2 bad input.`;

export function usageError(problem: string): InputError {
  return new InputError('usage', problem);
}
