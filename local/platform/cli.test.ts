// `npm run --silent platform -- up|status|down` end to end: a detached daemon, its kubeconfig, and state
// that survives a restart.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { runningDaemon } from "./state-files.ts";
import { kubeconfigFrom, platformCli } from "./testing/platform-cli.ts";

const home = mkdtempSync(join(tmpdir(), "platform-cli-"));

const platform = (command: string) => platformCli(home, [command]);

after(async () => {
  await platform("down");
  rmSync(home, { recursive: true, force: true });
});

test("up starts the platform in the background, status reports it, down stops it, state survives", async () => {
  const up = await platform("up");
  assert.equal(up.code, 0, up.stderr);
  const kubeconfig = kubeconfigFrom(up.stdout);
  assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, "token")).mode & 0o777, 0o600);
  const token = readFileSync(join(home, "token"), "utf8").trim();
  assert.ok(!up.stdout.includes(token) && !up.stderr.includes(token), "the token is never printed");
  const daemon = runningDaemon(home);
  assert.ok(daemon, "a daemon record with a live pid");

  const status = await platform("status");
  assert.equal(status.code, 0);
  assert.match(
    status.stdout,
    new RegExp(
      `platform running: pid ${daemon.pid}, API https://127\\.0\\.0\\.1:\\d+, runtime simulated, components api-server`,
    ),
  );

  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  const core = config.makeApiClient(CoreV1Api);
  await core.createNamespacedConfigMap({
    namespace: "default",
    body: { metadata: { name: "kept" }, data: { a: "1" } },
  });

  const down = await platform("down");
  assert.equal(down.code, 0, down.stderr);
  // Leftovers of other runs on the machine may be reported after it.
  assert.equal(down.stdout.split("\n")[0], `platform stopped (pid ${daemon.pid})`);
  assert.equal(runningDaemon(home), undefined);
  const stopped = await platform("status");
  assert.equal(stopped.code, 4);
  assert.equal(stopped.stdout.trim(), "platform is not running");

  const again = await platform("up");
  assert.equal(again.code, 0, again.stderr);
  assert.equal(kubeconfigFrom(again.stdout), kubeconfig);
  const restarted = new KubeConfig();
  restarted.loadFromFile(kubeconfig);
  const kept = await restarted
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name: "kept", namespace: "default" });
  assert.deepEqual(kept.data, { a: "1" });
});

test("a bad --aks-local-accounts value is named and nothing starts", async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), "platform-cli-"));
  try {
    const run = await platformCli(elsewhere, ["up", "--aks-local-accounts", "maybe"]);
    assert.equal(run.code, 3);
    assert.equal(run.stderr.trim(), '--aks-local-accounts "maybe": use on or off');
    assert.equal(runningDaemon(elsewhere), undefined);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test("an unknown flag is named, with the usage, and nothing starts", async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), "platform-cli-"));
  try {
    const run = await platformCli(elsewhere, ["up", "--runtme", "docker"]);
    assert.equal(run.code, 3);
    assert.match(
      run.stderr,
      /^Unknown option '--runtme'\..*\nusage: npm run --silent platform -- up\|down\|status /s,
    );
    assert.equal(runningDaemon(elsewhere), undefined);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test("an unknown command prints the usage and fails", async () => {
  const run = await platform("sideways");
  assert.equal(run.code, 3);
  assert.equal(
    run.stderr.trim(),
    "usage: npm run --silent platform -- up|down|status [--runtime simulated|docker] [--port N] [--pod-bridge NAME --pod-cidr CIDR] [--aks-local-accounts on|off] [--database]",
  );
});
