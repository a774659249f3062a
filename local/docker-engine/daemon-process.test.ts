import assert from "node:assert/strict";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pidFrom, startDaemon, stopDaemon, withLock } from "./daemon-process.ts";

async function scratch(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cjh-daemon-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("daemon processes", () => {
  test("a daemon is recorded in its pidfile once ready, and stopped from the pidfile", async (t) => {
    const dir = await scratch(t);
    const pidFile = join(dir, "sleeper.pid");
    const readyFile = join(dir, "ready");
    const pid = await startDaemon({
      command: "sh",
      args: ["-c", `touch ${readyFile}; exec sleep 300`],
      logPath: join(dir, "sleeper.log"),
      pidFile,
      ready: () =>
        access(readyFile).then(
          () => true,
          () => false,
        ),
      readyTimeoutMs: 10_000,
      what: "the sleeper",
    });
    assert.equal(await pidFrom(pidFile), pid);
    await stopDaemon(pidFile);
    assert.equal(await pidFrom(pidFile), undefined);
  });

  test("a daemon that never becomes ready is stopped and reported with its log", async (t) => {
    const dir = await scratch(t);
    const logPath = join(dir, "failing.log");
    await assert.rejects(
      startDaemon({
        command: "sh",
        args: ["-c", "echo 'listen tcp: address already in use'; exit 3"],
        logPath,
        pidFile: join(dir, "failing.pid"),
        ready: async () => false,
        readyTimeoutMs: 2000,
        what: "the registry",
      }),
      {
        message: `the registry did not become ready (log ${logPath}):\nlisten tcp: address already in use\n`,
      },
    );
  });

  test("a lock lets one holder in at a time, takes over a dead holder's lock, and times out on a live one", async (t) => {
    const dir = await scratch(t);
    const lock = join(dir, "start.lock");
    const events: string[] = [];
    const hold = (name: string) =>
      withLock(lock, 10_000, async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        events.push(`${name} out`);
      });
    await Promise.all([hold("a"), hold("b")]);
    assert.deepEqual(
      events.map((event) => event.split(" ")[1]),
      ["in", "out", "in", "out"],
    );

    await writeFile(lock, "999999999\n");
    assert.equal(await withLock(lock, 1000, async () => "taken over"), "taken over");

    await writeFile(lock, `${process.pid}\n`);
    await assert.rejects(
      withLock(lock, 300, async () => "never"),
      {
        message: `${lock} is still held by process ${process.pid}`,
      },
    );
  });
});
