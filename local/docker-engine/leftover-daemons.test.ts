// Daemons whose owners died are found through the index and stopped; nothing else is touched.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { killHard, startOwnerProcess } from "../common/testing/owner-process.ts";
import {
  type DaemonEntry,
  daemonIndexFile,
  pidFrom,
  processAlive,
  processIdentity,
  waitFor,
  writeDaemonEntry,
} from "./daemon-process.ts";
import { adoptDaemon, reapLeftoverDaemons } from "./leftover-daemons.ts";

const ownerScript = fileURLToPath(new URL("./testing/daemon-owner.ts", import.meta.url));

/** A sleeper daemon started by another process, which is then SIGKILLed or left running. */
async function sleeperOf() {
  const dir = mkdtempSync(join(tmpdir(), "cjh-leftover-"));
  const owner = await startOwnerProcess<{ pid: number }>(ownerScript, [dir]);
  return { dir, owner, pid: owner.ready.pid };
}

function entryOf(pid: number): DaemonEntry | undefined {
  const file = daemonIndexFile(pid);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DaemonEntry) : undefined;
}

/** Another test's reaper may stop it first: what matters is that it ends. */
const ends = (pid: number) => waitFor(async () => !processAlive(pid), 40_000);

describe("leftover daemons", { timeout: 120_000 }, () => {
  test("a daemon whose owner was SIGKILLed is stopped by the next reap, with its folder", async () => {
    const { dir, owner, pid } = await sleeperOf();
    assert.equal(await pidFrom(join(dir, "sleeper.pid")), pid);
    assert.deepEqual(entryOf(pid)?.owners, [processIdentity(owner.child.pid ?? 0)]);
    assert.equal(entryOf(pid)?.commandLine, "sleep 600", "the command line once it runs");
    await killHard(owner.child);
    assert.ok(processAlive(pid), "the daemon outlives its owner");
    const reaped = await reapLeftoverDaemons(5000);
    assert.ok(await ends(pid));
    if (reaped.length > 0) assert.ok(reaped.includes(`sleeper (pid ${pid})`) || !existsSync(dir));
    assert.equal(existsSync(dir), false, "its temporary folder is removed");
    assert.equal(entryOf(pid), undefined);
  });

  test("a daemon with a live owner is kept; one adopted by a live process survives its starter", async () => {
    const { dir, owner, pid } = await sleeperOf();
    try {
      await reapLeftoverDaemons(5000);
      assert.ok(processAlive(pid), "its owner lives");
      await adoptDaemon(pid);
      await killHard(owner.child);
      await reapLeftoverDaemons(5000);
      assert.ok(processAlive(pid), "this process uses it");
      assert.ok(entryOf(pid)?.owners.includes(processIdentity(process.pid) ?? ""));
    } finally {
      process.kill(pid, "SIGKILL");
      await ends(pid);
      await reapLeftoverDaemons(5000);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an entry whose pid now runs something else is forgotten and that process left alone", async () => {
    const other = spawn("sleep", ["600"]);
    const pid = other.pid ?? 0;
    try {
      await writeDaemonEntry({
        pid,
        identity: processIdentity(pid) ?? "",
        commandLine: "/usr/sbin/dockerd --host=unix:///nowhere.sock",
        what: "dockerd",
        pidFile: join(tmpdir(), "no-such.pid"),
        owners: ["1:0"],
      });
      await reapLeftoverDaemons(5000);
      assert.ok(processAlive(pid), "a process whose command line differs is never killed");
      assert.equal(entryOf(pid), undefined);
    } finally {
      other.kill("SIGKILL");
    }
  });
});
