// The exit codes of every command-line entry in the repository, the pipeline steps' convention extended to
// all (docs/exit-codes.md). A pipeline step adds one of its own, 2: failed and the rollback failed too
// (actions/lib/entry/exit-code.ts).
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** Tried and failed (a pipeline step: and rolled back). */
  Failed: 1,
  /** Bad input, usage or configuration: nothing was done. */
  InvalidInput: 3,
  /** Not started: a prerequisite is missing or busy (not running, unreachable, held); nothing was done. */
  NotStarted: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input, usage or configuration, said in one line: exit 3. */
export class InvalidInputError extends Error {
  override name = "InvalidInputError";
}

/** A prerequisite missing or busy, said in one line: exit 4. */
export class NotStartedError extends Error {
  override name = "NotStartedError";
}

/** The exit code for an error a command-line entry did not handle itself. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof InvalidInputError) return ExitCode.InvalidInput;
  if (error instanceof NotStartedError) return ExitCode.NotStarted;
  // node:util parseArgs: an unknown flag, a missing value, a positional where none is allowed.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) return ExitCode.InvalidInput;
  return ExitCode.Failed;
}

/**
 * Runs a command-line entry: the code it resolves becomes the exit code; an error it throws is printed as one
 * line on stderr (its message, never a stack) and exits as exitCodeOf says.
 */
export async function runCli(main: (argv: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeOf(error);
  }
}
