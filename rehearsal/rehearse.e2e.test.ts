// The README's main job, end to end, so it cannot rot: `npm run rehearse` on this machine's platform (the state
// folder `.platform/`, where `npm run images:base` left the base images), with generous bounds. A platform this
// test brought up is taken down again; one that was already running is left as it was.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { platformHome, runPlatformCli } from "./platform.ts";

const repositoryRoot = resolve(import.meta.dirname, "..");
const tsx = join(repositoryRoot, "node_modules", "tsx", "dist", "cli.mjs");

function rehearse(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tsx, "rehearsal/run.ts"], {
      cwd: repositoryRoot,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, output }));
  });
}

test("npm run rehearse: deploy, fail-fast undo and manual rollback with no failed request", {
  timeout: 30 * 60_000,
}, async () => {
  const wasRunning = (await runPlatformCli(repositoryRoot, ["status"], process.env)).code === 0;
  try {
    const { code, output } = await rehearse();
    assert.equal(code, 0, output.split("\n").slice(-80).join("\n"));
    const summary = readFileSync(
      join(platformHome(process.env, repositoryRoot), "rehearsal", "summary.md"),
      "utf8",
    );
    assert.match(summary, /^# Rehearsal passed in/);
    for (const step of [
      /\| ✅ \| build-push \| exit 0 \| exit 0 \(pushed\)/,
      /\| ✅ \| deploy release 1 \| exit 0 \| exit 0 \(deployed\)/,
      /\| ✅ \| import postings \| {2}\| fetched 120,/,
      /\| ✅ \| smoke-test release 1 \| exit 0 \| exit 0 \(passed\)/,
      /\| ✅ \| deploy broken release 3 \| exit 1 \| exit 1 \(rolled-back\)/,
      /\| ✅ \| manual rollback \| exit 0 \| exit 0 \(rolled-back\)/,
      /\| ✅ \| smoke-test after rollback \| exit 0 \| exit 0 \(passed\)/,
    ]) {
      assert.match(summary, step);
    }
    assert.match(summary, /answered 200, \*\*0 failed\*\*\./);
    // Secrets of the platform never reach the output: the database and service principal passwords.
    const azureEnv = readFileSync(
      join(platformHome(process.env, repositoryRoot), "azure", "azure.env"),
      "utf8",
    );
    const secret = /^AZURE_CLIENT_SECRET=(.+)$/m.exec(azureEnv)?.[1]?.replaceAll('"', "");
    const dbPassword = readFileSync(
      join(platformHome(process.env, repositoryRoot), "database", "password"),
      "utf8",
    ).trim();
    for (const value of [secret, dbPassword]) {
      assert.ok(value !== undefined && value.length > 8);
      assert.ok(!output.includes(value) && !summary.includes(value), "a secret reached the output");
    }
    assert.match(output, /The platform stays up\. Reach the API through its Ingress:/);
  } finally {
    if (!wasRunning) await runPlatformCli(repositoryRoot, ["down"], process.env);
  }
});
