// Killed mid-run (SIGKILL: no cleanup at all), a test process or the platform daemon leaves its dockerd and
// registry running; the next test engine start and `platform down` find them and stop them.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { killHard, startOwnerProcess } from "../common/testing/owner-process.ts";
import { pidFrom, processAlive, waitFor } from "../docker-engine/daemon-process.ts";
import { engineAnswers } from "../docker-engine/docker-engine.ts";
import { ip } from "../network/ip-command.ts";
import { startTestEngine } from "../runtime/docker/testing/test-engine.ts";
import type { DaemonRecord } from "./state-files.ts";
import { platformCli } from "./testing/platform-cli.ts";

const engineOwner = fileURLToPath(new URL("../runtime/docker/testing/engine-owner.ts", import.meta.url));

/** Another test's reaper may get there first: the end state is what counts. */
const ended = (pid: number) => waitFor(async () => !processAlive(pid), 60_000);

describe("leftover daemons after SIGKILL", { timeout: 300_000 }, () => {
  test("a test engine whose test process was killed is stopped by the next test engine's start", async () => {
    const owner = await startOwnerProcess<{ socketPath: string }>(engineOwner);
    const { socketPath } = owner.ready;
    const home = join(socketPath, "..", "..");
    const dockerd = await pidFrom(join(home, "docker", "dockerd.pid"));
    assert.ok(dockerd, "the engine's pidfile names a live dockerd");
    await killHard(owner.child);
    assert.ok(processAlive(dockerd), "the engine outlives its test process");

    const next = await startTestEngine();
    try {
      assert.ok(await ended(dockerd));
      assert.equal(await engineAnswers(socketPath), false);
      assert.ok(await waitFor(async () => !existsSync(home), 30_000), "its temporary folder is removed");
    } finally {
      await next.stop();
    }
  });

  test("platform down stops the engine and registry of a platform daemon that was killed", async () => {
    const home = mkdtempSync(join(tmpdir(), "cjh-killed-platform-"));
    const bridge = `cjq${process.pid % 100000}`;
    try {
      const up = await platformCli(home, [
        "up",
        "--runtime",
        "docker",
        "--pod-bridge",
        bridge,
        "--pod-cidr",
        `10.246.${process.pid % 200}.0/24`,
      ]);
      assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
      const record = JSON.parse(readFileSync(join(home, "platform.json"), "utf8")) as DaemonRecord;
      const dockerd = await pidFrom(join(home, "docker", "dockerd.pid"));
      const registry = await pidFrom(join(home, "registry", "registry.pid"));
      assert.ok(dockerd && registry, "the daemon started its own engine and registry");
      process.kill(record.pid, "SIGKILL");
      assert.ok(await ended(record.pid));

      const down = await platformCli(home, ["down"]);
      assert.equal(down.code, 0, down.stderr);
      assert.match(down.stdout, /^platform is not running$/m);
      assert.ok(await ended(dockerd), "dockerd stopped");
      assert.ok(await ended(registry), "registry stopped");
      assert.equal(await engineAnswers(join(home, "docker", "docker.sock")), false);
      // Which process reaped them (this down, or a test running beside) does not matter; when it was this
      // one it says so.
      for (const line of down.stdout.split("\n").filter((text) => text.startsWith("stopped leftover")))
        assert.match(line, /^stopped leftover .+ \(pid \d+\)$/);
    } finally {
      await platformCli(home, ["down"]);
      await ip(["link", "del", bridge]).catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    }
  });
});
