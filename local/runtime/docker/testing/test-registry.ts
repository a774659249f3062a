// Test support: Debian's docker-registry (distribution) on a free loopback port, plain http (the engine
// treats 127.0.0.0/8 as an insecure registry), storage in a temp folder.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { freePort } from "../../../common/ports.ts";

export interface TestRegistry {
  /** host:port, the prefix of repositories pushed there. */
  host: string;
  stop(): Promise<void>;
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on("error", () => resolve(false));
  });
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const root = mkdtempSync(join(tmpdir(), "cjh-registry-"));
  const port = await freePort();
  const config = join(root, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log: { level: error }",
      `storage: { filesystem: { rootdirectory: ${join(root, "data")} }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}", relativeurls: true }`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (!(await answers(`http://${host}/v2/`))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("docker-registry did not start");
    await delay(100);
  }
  return {
    host,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
