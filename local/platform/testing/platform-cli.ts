// Test support: `npm run --silent platform -- <args>` with PLATFORM_HOME set, as a user runs it, and
// kubectl against the kubeconfig `up` printed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The platform CLI in the state folder `home`. */
export function platformCli(home: string, args: string[]): Promise<CommandResult> {
  return run("npm", ["run", "--silent", "platform", "--", ...args], {
    env: { ...process.env, PLATFORM_HOME: home },
  });
}

/** The kubeconfig path from `up`'s last line, KUBECONFIG=<path>. */
export function kubeconfigFrom(stdout: string): string {
  const lines = stdout.trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  assert.match(last, /^KUBECONFIG=\//, "the last line of up is KUBECONFIG=<path>");
  return last.slice("KUBECONFIG=".length);
}
