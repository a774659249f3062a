// Runs an action's committed bundle the way the GitHub runner does: `node dist/index.mjs` with INPUT_* variables
// (upper-cased, hyphens kept), and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE / GITHUB_ENV files; or the
// CLI entry through tsx. Tests assert on the exit code, the parsed outputs, the summary and the captured log.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface StepRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly summary: string;
  /** Values the step asked the runner to mask (::add-mask::). */
  readonly masked: readonly string[];
}

export interface StepOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with the child once it runs (to send it a signal, say). */
  readonly onSpawn?: (child: import("node:child_process").ChildProcess) => void;
  readonly cwd?: string;
}

/** GITHUB_OUTPUT's format: `name<<DELIMITER`, the value's lines, `DELIMITER` (what @actions/core writes). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? "");
    if (match === null) continue;
    const [, name = "", delimiter] = match;
    const value: string[] = [];
    for (index += 1; index < lines.length && lines[index] !== delimiter; index += 1)
      value.push(lines[index] ?? "");
    outputs[name] = value.join("\n");
  }
  return outputs;
}

function collect(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: StepOptions,
): Promise<{
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repositoryRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (exitCode, signal) => resolvePromise({ exitCode, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

/** `inputs` by their `with:` names; a list is joined into a multiline input. */
export async function runBundle(
  action: string,
  inputs: Readonly<Record<string, string | readonly string[]>>,
  options: StepOptions = {},
): Promise<StepRun> {
  const dir = mkdtempSync(join(tmpdir(), `gha-${action}-`));
  const files = { output: "output", summary: "summary.md", state: "state", env: "env" } as const;
  for (const file of Object.values(files)) writeFileSync(join(dir, file), "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: join(dir, files.output),
    GITHUB_STEP_SUMMARY: join(dir, files.summary),
    GITHUB_STATE: join(dir, files.state),
    GITHUB_ENV: join(dir, files.env),
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replaceAll(" ", "_").toUpperCase()}`] =
      typeof value === "string" ? value : value.join("\n");
  }
  try {
    const run = await collect(
      process.execPath,
      [join(repositoryRoot, "actions", action, "dist", "index.mjs")],
      env,
      options,
    );
    const masked = [...run.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((match) => match[1] ?? "");
    return {
      ...run,
      outputs: parseOutputFile(readFileSync(join(dir, files.output), "utf8")),
      summary: readFileSync(join(dir, files.summary), "utf8"),
      masked,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npx tsx actions/<action> <args>` as a person or Jenkins runs it (tsx from node_modules, Node 24). */
export async function runCli(
  action: string,
  args: readonly string[],
  options: StepOptions = {},
): Promise<Omit<StepRun, "outputs" | "summary" | "masked">> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const tsx = join(repositoryRoot, "node_modules", "tsx", "dist", "cli.mjs");
  return collect(process.execPath, [tsx, join("actions", action), ...args], env, options);
}
