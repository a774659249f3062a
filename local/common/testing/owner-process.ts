// Test support: runs a fixture script as its own process (Node with tsx), resolves to the JSON line it
// prints once ready, and gives its pid (so a test can SIGKILL it as a crash would).
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface OwnerProcess<T> {
  child: ChildProcess;
  ready: T;
}

export function startOwnerProcess<T>(script: string, args: string[] = []): Promise<OwnerProcess<T>> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    lines.once("line", (line) => resolve({ child, ready: JSON.parse(line) as T }));
  });
}

/** SIGKILL, as a crash or `kill -9` would, and wait until it is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
