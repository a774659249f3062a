// What an action is, independent of who runs it: its inputs, how they become typed config, the core that turns
// config into a typed result, and how a result reads as outputs, a summary and an exit code. The GitHub and CLI
// entries (github.ts, cli.ts) differ only in where inputs come from and where outputs go.
import type { Problem } from "../report/problem.ts";
import type { ExitCode } from "./exit-code.ts";

export type InputKind = "string" | "boolean" | "multiline";

export interface InputSpec {
  /** The `with:` name, kebab-case; the CLI flag is `--<name>`. */
  readonly name: string;
  readonly description: string;
  readonly kind?: InputKind;
  readonly required?: boolean;
  /** Shown in action.yml and --help; context.ts applies it. */
  readonly default?: string;
}

/** Inputs as given: a string per input, a list for multiline ones, undefined when not given or empty. */
export type RawInputs = Readonly<Record<string, string | readonly string[] | undefined>>;
export type Env = Readonly<Record<string, string | undefined>>;

export type Parsed<Config> =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Runs `work` inside a collapsible log group (GitHub) or under a heading (CLI). */
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export interface RunContext {
  readonly log: Logger;
  /** Aborted when the runner cancels the job (SIGINT, SIGTERM or SIGHUP). */
  readonly signal: AbortSignal;
  readonly env: Env;
  /** Registers a secret learnt at run time: masked in the runner's log, replaced in every text we write. */
  secret(value: string): void;
}

export interface ActionDefinition<Config, Result> {
  readonly name: string;
  readonly description: string;
  readonly inputs: readonly InputSpec[];
  /** Environment variables whose values are secrets, masked before anything is printed. */
  readonly secretEnv?: readonly string[];
  parse(inputs: RawInputs, env: Env): Parsed<Config> | Promise<Parsed<Config>>;
  run(config: Config, context: RunContext): Promise<Result>;
  outputs(result: Result): Readonly<Record<string, string>>;
  summary(result: Result): string;
  exitCode(result: Result): ExitCode;
}

/** Inputs every action has: where to write the JSON report and the Markdown summary (Jenkins archives both). */
export const reportInputs: readonly InputSpec[] = [
  { name: "report", description: "Write the typed result as JSON to this file." },
  { name: "summary", description: "Write the Markdown summary (the job summary GitHub shows) to this file." },
];
