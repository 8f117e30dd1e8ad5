/**
 * The shape the detect and check commands share around their work: the arguments parsed, help on stdout, and
 * input the command cannot use answered with exit code 2 (with the usage where the mistake is in what was
 * typed), so trust IT can tell a wrong command line from a failed check (exit 1).
 */

/** What a command's argument parser answers. */
export type ParsedArgs<Options> = { kind: 'run'; options: Options } | { kind: 'help' } | { kind: 'error'; message: string };

/** Input the command cannot use (a file it cannot read, an address it refuses): printed with the usage, exit 2. */
export class UsageError extends Error {}

type ErrorClass = abstract new (...args: never[]) => Error;

export interface Command<Options> {
  parseArgs(argv: readonly string[]): ParsedArgs<Options>;
  usage: string;
  run(options: Options): Promise<number>;
  /** Other errors that mean the input was wrong: printed with the usage, exit 2. */
  usageErrors?: readonly ErrorClass[];
  /** Input refused for a reason its message gives in full: printed alone, exit 2. */
  refusals?: readonly ErrorClass[];
  /** Where the run's own errors are printed (check takes secret values out of them first). */
  warn(text: string): void;
  /** Stops what the run started; awaited before the exit code is returned or an unexpected error goes on. */
  cleanUp(): Promise<void>;
}

/** Runs the command for these arguments and answers its exit code; an unexpected error is thrown on. */
export async function commandMain<Options>(command: Command<Options>, argv: readonly string[]): Promise<number> {
  const parsed = command.parseArgs(argv);
  if (parsed.kind === 'help') {
    console.log(command.usage);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`${parsed.message}\n\n${command.usage}`);
    return 2;
  }
  const isOneOf = (error: unknown, classes: readonly ErrorClass[] = []): error is Error => classes.some((kind) => error instanceof kind);
  try {
    return await command.run(parsed.options);
  } catch (error) {
    if (error instanceof UsageError || isOneOf(error, command.usageErrors)) {
      command.warn(`${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (isOneOf(error, command.refusals)) {
      command.warn(error.message);
      return 2;
    }
    throw error;
  } finally {
    await command.cleanUp();
  }
}
