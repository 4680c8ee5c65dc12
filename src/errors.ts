/**
 * The one error type for bad input. Its message is a single line naming the file (or source)
 * and the defect; adapters print `weightprint: <message>` and exit 2, never a stack trace.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}

export function isInputError(err: unknown): err is InputError {
  return err instanceof InputError;
}
