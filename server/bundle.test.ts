import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort } from "./db/free-port.ts";
import { startTestDatabase, type TestDatabase } from "./testing/postgres.ts";

describe("the production bundle", () => {
  let db: TestDatabase;
  let dir: string;
  before(async () => {
    db = await startTestDatabase({ migrate: false });
    dir = await mkdtemp(join(tmpdir(), "cjh-bundle-"));
  });
  after(async () => {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("builds to one file plus migrations, which runs with no node_modules, migrates and stops on SIGTERM", async () => {
    const built = spawnSync("tsx", ["server/build.ts", dir], { encoding: "utf8" });
    assert.equal(built.status, 0, built.stderr);
    // The licence notices of the inlined packages (@azure/identity's among them) ship beside the bundle.
    assert.deepEqual((await readdir(dir)).sort(), ["migrations", "server.mjs", "server.mjs.LEGAL.txt"]);

    const port = await freePort();
    // Run from the bundle's folder, far from any node_modules, with this test's Node 24.
    const child = spawn(process.execPath, ["server.mjs"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        PORT: String(port),
        METRICS_PORT: "0",
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const deadline = performance.now() + 30_000;
    let ready = 0;
    while (ready !== 200 && performance.now() < deadline) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(ready, 200, output);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.deepEqual(await health.json(), { status: "ok" });
    const search = await fetch(`http://127.0.0.1:${port}/jobs?q=cloud`);
    assert.deepEqual(await search.json(), { items: [], nextCursor: null });
    child.kill("SIGTERM");
    assert.equal(await exited, 0, output);
  });
});
