// The one code path every entry runs: parse, run, report. Entries supply an EntryIO: GitHub's reads INPUT_*
// and writes GITHUB_OUTPUT/GITHUB_STEP_SUMMARY through @actions/core, the CLI's reads flags and prints.
import { writeFile } from "node:fs/promises";
import { type ActionReport, type InvalidInput, reportJson } from "../report/json-report.ts";
import { codeBlock } from "../report/markdown.ts";
import { formatProblem } from "../report/problem.ts";
import { Redactor } from "../report/redact.ts";
import type { ActionDefinition, Env, Logger, RawInputs } from "./definition.ts";
import { ExitCode } from "./exit-code.ts";
import { stringInput } from "./inputs.ts";

export interface LogSink {
  info(line: string): void;
  warning(line: string): void;
  error(line: string): void;
  startGroup(name: string): void;
  endGroup(): void;
}

export interface EntryIO {
  readonly inputs: RawInputs;
  readonly env: Env;
  readonly signal: AbortSignal;
  readonly log: LogSink;
  /** Tells the runner to hide this value in its log (GitHub's ::add-mask::); the CLI has nothing to tell. */
  mask(secret: string): void;
  setOutput(name: string, value: string): void;
  /** The job summary the runner shows (GitHub); the CLI prints nothing here. */
  appendSummary(markdown: string): Promise<void>;
}

function redactingLogger(sink: LogSink, redactor: Redactor): Logger {
  return {
    info: (message) => sink.info(redactor.redact(message)),
    warning: (message) => sink.warning(redactor.redact(message)),
    error: (message) => sink.error(redactor.redact(message)),
    async group(name, work) {
      sink.startGroup(redactor.redact(name));
      try {
        return await work();
      } finally {
        sink.endGroup();
      }
    },
  };
}

function invalidSummary(action: string, invalid: InvalidInput): string {
  return [
    `## ${action}: invalid input`,
    "",
    "Nothing was applied or sent. Fix these and run again:",
    "",
    ...invalid.problems.map((problem) => `- ${formatProblem(problem).replaceAll("\n", " ")}`),
  ].join("\n");
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the action through `io` and returns the exit code; never throws. */
export async function executeAction<Config, Result>(
  definition: ActionDefinition<Config, Result>,
  io: EntryIO,
): Promise<ExitCode> {
  const startedAt = new Date().toISOString();
  const redactor = new Redactor();
  for (const name of definition.secretEnv ?? []) {
    const value = io.env[name];
    if (value !== undefined && value !== "") {
      io.mask(value);
      redactor.add(value);
    }
  }
  const log = redactingLogger(io.log, redactor);

  let outcome: Result | InvalidInput;
  let exitCode: ExitCode;
  let outputs: Readonly<Record<string, string>>;
  let summary: string;
  try {
    const parsed = await definition.parse(io.inputs, io.env);
    if (!parsed.ok) {
      const invalid: InvalidInput = { result: "invalid", problems: parsed.problems };
      for (const problem of parsed.problems) log.error(formatProblem(problem));
      outcome = invalid;
      exitCode = ExitCode.InvalidInput;
      outputs = { result: "invalid" };
      summary = invalidSummary(definition.name, invalid);
    } else {
      const result = await definition.run(parsed.config, {
        log,
        signal: io.signal,
        env: io.env,
        secret(value) {
          io.mask(value);
          redactor.add(value);
        },
      });
      outcome = result;
      exitCode = definition.exitCode(result);
      outputs = definition.outputs(result);
      summary = definition.summary(result);
    }
  } catch (error) {
    // A bug or an unforeseen failure: the cluster may be half-way, so this is the "a person is needed" code.
    const message = `${definition.name} failed unexpectedly: ${errorMessage(error)}`;
    log.error(message);
    const invalid: InvalidInput = { result: "invalid", problems: [{ message }] };
    outcome = invalid;
    exitCode = ExitCode.RollbackFailed;
    outputs = { result: "error" };
    summary = `## ${definition.name}: failed unexpectedly\n\n${codeBlock(message)}`;
  }

  for (const [name, value] of Object.entries(outputs)) io.setOutput(name, redactor.redact(value));
  const safeSummary = redactor.redact(summary);
  await io.appendSummary(safeSummary);
  const summaryFile = stringInput(io.inputs, "summary");
  if (summaryFile !== undefined) await writeFile(summaryFile, `${safeSummary}\n`);
  const reportFile = stringInput(io.inputs, "report");
  if (reportFile !== undefined) {
    const report: ActionReport<Result> = {
      action: definition.name,
      startedAt,
      finishedAt: new Date().toISOString(),
      exitCode,
      outcome,
    };
    await writeFile(reportFile, redactor.redact(reportJson(report)));
  }
  return exitCode;
}

/** An AbortSignal that fires on the signals a runner sends to cancel a step (GitHub: SIGINT, then SIGTERM;
 * some runner versions SIGHUP). Later signals are ignored so the core can finish its undo. */
export function cancellationSignal(onSignal: (name: string) => void): AbortSignal {
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(name, () => {
      onSignal(name);
      if (!controller.signal.aborted) controller.abort(new Error(`cancelled by ${name}`));
    });
  }
  return controller.signal;
}
