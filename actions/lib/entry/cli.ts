// The command-line entry (`npx tsx actions/<name> ...`, and what the Jenkinsfile calls): flags mirror the
// action's inputs in kebab-case; secrets come only from the environment, never from flags.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import type { ActionDefinition, InputSpec, RawInputs } from "./definition.ts";
import { reportInputs } from "./definition.ts";
import { cancellationSignal, executeAction } from "./execute.ts";
import { ExitCode } from "./exit-code.ts";

export interface CliStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export function cliHelp<Config, Result>(definition: ActionDefinition<Config, Result>): string {
  const specs = [...definition.inputs, ...reportInputs];
  const width = Math.max(...specs.map((spec) => flagLabel(spec).length));
  const lines = specs.map((spec) => {
    const notes = [
      spec.required === true ? "required" : "",
      spec.default === undefined ? "" : `default: ${spec.default}`,
    ]
      .filter((note) => note !== "")
      .join(", ");
    return `  ${flagLabel(spec).padEnd(width)}  ${spec.description}${notes === "" ? "" : ` (${notes})`}`;
  });
  const secrets = definition.secretEnv ?? [];
  return [
    `Usage: npx tsx actions/${definition.name} [flags]`,
    "",
    definition.description,
    "",
    "Flags:",
    ...lines,
    `  ${"--help".padEnd(width)}  Show this help.`,
    ...(secrets.length > 0 ? ["", `Secrets are read from the environment only: ${secrets.join(", ")}.`] : []),
    "",
    "Exit codes: 0 done and healthy, 1 failed and rolled back, 2 rollback failed too, 3 bad input (nothing",
    "applied), 4 not started (lock held or cluster unreachable; nothing applied).",
    "",
  ].join("\n");
}

function flagLabel(spec: InputSpec): string {
  if (spec.kind === "boolean") return `--${spec.name}, --no-${spec.name}`;
  return spec.kind === "multiline" ? `--${spec.name} <value> (repeatable)` : `--${spec.name} <value>`;
}

type ParsedFlags = { help: true } | { help: false; inputs: RawInputs } | { help: false; error: string };

export function parseCliFlags<Config, Result>(
  definition: ActionDefinition<Config, Result>,
  argv: readonly string[],
): ParsedFlags {
  const options: ParseArgsOptionsConfig = { help: { type: "boolean", short: "h" } };
  const specs = [...definition.inputs, ...reportInputs];
  for (const spec of specs) {
    options[spec.name] =
      spec.kind === "boolean" ? { type: "boolean" } : { type: "string", multiple: spec.kind === "multiline" };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    }));
  } catch (error) {
    return { help: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { help: true };
  const inputs: Record<string, string | readonly string[] | undefined> = {};
  for (const spec of specs) {
    const value = values[spec.name];
    if (value === undefined) continue;
    inputs[spec.name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return { help: false, inputs };
}

/** Parses argv, runs the action and returns the exit code (the caller exits with it). */
export async function runCliAction<Config, Result>(
  definition: ActionDefinition<Config, Result>,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  streams: CliStreams,
  signal: AbortSignal,
): Promise<number> {
  const flags = parseCliFlags(definition, argv);
  if (flags.help) {
    streams.stdout(cliHelp(definition));
    return ExitCode.Ok;
  }
  if ("error" in flags) {
    streams.stderr(`error: ${flags.error}\nRun with --help for the flags.\n`);
    return ExitCode.InvalidInput;
  }
  let depth = 0;
  const indent = () => "  ".repeat(depth);
  return executeAction(definition, {
    inputs: flags.inputs,
    env,
    signal,
    log: {
      info: (line) => streams.stdout(`${indent()}${line}\n`),
      warning: (line) => streams.stderr(`${indent()}warning: ${line}\n`),
      error: (line) => streams.stderr(`${indent()}error: ${line}\n`),
      startGroup(name) {
        streams.stdout(`${indent()}== ${name}\n`);
        depth += 1;
      },
      endGroup() {
        depth = Math.max(0, depth - 1);
      },
    },
    mask: () => {},
    setOutput: (name, value) => streams.stdout(`${indent()}output ${name}=${value.replaceAll("\n", ", ")}\n`),
    appendSummary: async () => {},
  });
}

/** What actions/<name>/index.ts calls: the process's argv, environment, streams and signals. */
export async function runCliProcess<Config, Result>(
  definition: ActionDefinition<Config, Result>,
): Promise<never> {
  const signal = cancellationSignal((name) => process.stderr.write(`${name} received: cancelling\n`));
  const code = await runCliAction(
    definition,
    process.argv.slice(2),
    process.env,
    { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
    signal,
  );
  process.exit(code);
}
