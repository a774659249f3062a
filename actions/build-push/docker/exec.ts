// How build-push runs docker: one function, so tests can capture every argv (and see that no secret is in
// one) while the real runs go through @actions/exec. Output is captured, never echoed by @actions/exec
// itself: each line goes to the action's (redacting) logger instead.
import { getExecOutput } from "@actions/exec";

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  /** Written to the child's stdin (docker login --password-stdin). */
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Each line the child prints, as it prints it. */
  readonly onLine?: (line: string) => void;
}

export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

export const actionsExec: Exec = async (command, args, options = {}) => {
  const { exitCode, stdout, stderr } = await getExecOutput(command, [...args], {
    silent: true,
    ignoreReturnCode: true,
    ...(options.input === undefined ? {} : { input: Buffer.from(options.input) }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.onLine === undefined
      ? {}
      : { listeners: { stdline: options.onLine, errline: options.onLine } }),
  });
  return { exitCode, stdout, stderr };
};

/** The last lines of what a failed command said: enough to see the builder's error, not the whole log. */
export function excerpt(result: ExecResult, lines = 25): string {
  return `${result.stdout}\n${result.stderr}`
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "")
    .slice(-lines)
    .join("\n");
}
