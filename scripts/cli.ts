/**
 * The command line of an npm script, as every one of them treats it: `--help` (or `-h`) prints the
 * usage on stdout and exits 0; an unknown flag, a flag without its value or a stray argument prints
 * what was wrong and the usage on stderr and exits 2 (as grep does), never a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const help = { help: { type: 'boolean', short: 'h' } } as const;

/** A command line that makes no sense: its message is printed above the usage, and the exit code is 2. */
export class UsageError extends Error {}

/** Prints what was wrong and the usage, then exits 2. */
export function usageError(usage: string, problem: string): never {
  console.error(`${problem}\n\n${usage}`);
  process.exit(2);
}

/** node:util parseArgs (strict), with the help and usage handling above. */
export function commandLine<const O extends Options>(
  usage: string,
  options: O,
  { positionals = false, argv = process.argv.slice(2) }: { positionals?: boolean; argv?: string[] } = {},
) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: O & typeof help; allowPositionals: boolean }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, ...help },
      allowPositionals: positionals,
      strict: true,
    });
  } catch (error) {
    // "Unknown option '--x'. To specify a positional argument starting with a '-', …": the first part says it.
    usageError(usage, (error as Error).message.split('. To specify')[0] ?? String(error));
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}
