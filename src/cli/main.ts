/**
 * The `weightprint` command: a thin dispatcher. Bad input ends in one line naming the file and
 * the problem, exit 2, no stack trace; an unexpected failure says it is a bug.
 */
import { isInputError } from '../errors.js';
import { plainText } from '../report/escape.js';
import { USAGE } from './usage.js';
import { VERSION } from '../version.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  fingerprint: async () => (await import('./commands/fingerprint.js')).fingerprintCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  registry: async () => (await import('./commands/registry.js')).registryCommand,
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  eval: async () => (await import('./commands/eval.js')).evalCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`weightprint ${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`weightprint: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    if (isInputError(err)) {
      process.stderr.write(`weightprint: ${plainText(err.message)}\n`);
      return 2;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`weightprint: ${(err as Error).message}\n`);
      return 2;
    }
    process.stderr.write(
      `weightprint: internal error (please report): ${err instanceof Error ? err.message : String(err)}\n`,
    );
    if (process.env.WEIGHTPRINT_DEBUG) console.error(err);
    return 70;
  }
}

// `weightprint … | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`weightprint: internal error: ${String(err)}\n`);
    process.exitCode = 70;
  },
);
