// Test support: `npm run --silent platform -- <args>` with PLATFORM_HOME set, as a user runs it, and
// kubectl against the kubeconfig `up` printed; a fixture that brings a daemon up for a test file.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";

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

/**
 * In a describe block: `platform up <upArgs>` in a fresh state folder before its tests, `down` (and the
 * folder removed) after them; kubectl against it, and a poll on a pod (the daemon is another process).
 */
export function platformDaemonFixture(prefix: string, upArgs: string[]) {
  const home = mkdtempSync(join(tmpdir(), prefix));
  let kubeconfig = "";
  const kubectl = (args: string[], input?: string) =>
    run("kubectl", ["--kubeconfig", kubeconfig, ...args], input === undefined ? {} : { input });
  const podUntil = async (name: string, what: string, check: (pod: V1Pod) => boolean): Promise<V1Pod> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const got = await kubectl(["get", "pod", name, "-o", "json"]);
      assert.equal(got.code, 0, got.stderr);
      const pod = JSON.parse(got.stdout) as V1Pod;
      if (check(pod)) return pod;
      if (Date.now() > deadline)
        throw new Error(`pod ${name}: timed out waiting for ${what}: ${JSON.stringify(pod.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  before(async () => {
    const up = await platformCli(home, ["up", ...upArgs]);
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
    kubeconfig = kubeconfigFrom(up.stdout);
  });
  after(async () => {
    const down = await platformCli(home, ["down"]);
    assert.equal(down.code, 0, down.stderr);
    rmSync(home, { recursive: true, force: true });
  });
  return { home, kubectl, podUntil };
}
