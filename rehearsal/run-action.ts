// Runs an action's CLI entry exactly as the Jenkinsfile does (`npx tsx actions/<name> --flags`), secrets in
// the environment only, and reads back the JSON report it writes.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface ActionRun {
  readonly exitCode: number;
  /** The action's JSON report (`--report`): its typed outcome. */
  readonly report: { readonly exitCode: number; readonly outcome: Readonly<Record<string, unknown>> };
  /** The Markdown summary (`--summary`), the same text a GitHub job summary shows. */
  readonly summary: string;
}

export interface RunActionOptions {
  readonly repositoryRoot: string;
  readonly env: NodeJS.ProcessEnv;
  /** Each line the action prints, for the rehearsal's progress output. */
  readonly onLine: (line: string) => void;
}

export async function runAction(
  action: string,
  flags: readonly string[],
  options: RunActionOptions,
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), `rehearsal-${action}-`));
  const reportFile = join(dir, "report.json");
  const summaryFile = join(dir, "summary.md");
  const tsx = join(options.repositoryRoot, "node_modules", "tsx", "dist", "cli.mjs");
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [tsx, join("actions", action), ...flags, "--report", reportFile, "--summary", summaryFile],
        { cwd: options.repositoryRoot, env: options.env, stdio: ["ignore", "pipe", "pipe"] },
      );
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on("line", options.onLine);
      }
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    });
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as ActionRun["report"];
    return { exitCode, report, summary: readFileSync(summaryFile, "utf8") };
  } catch (error) {
    throw new Error(
      `actions/${action} ended without a report: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
