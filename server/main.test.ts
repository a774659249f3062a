import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { waitUntil } from "../local/common/testing/wait-until.ts";
import { createToken } from "./auth/tokens.ts";
import { freePort } from "./db/free-port.ts";
import { insertJobs, job } from "./testing/fixtures.ts";
import { type LinkedInStandIn, linkedInPosting, startLinkedInStandIn } from "./testing/linkedin-stand-in.ts";
import { startTestDatabase, type TestDatabase } from "./testing/postgres.ts";
import { spawnServer, waitForOk } from "./testing/server-process.ts";

describe("the server process", () => {
  test("starts an embedded PostgreSQL when none is configured; a second start on the folder is refused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cjh-main-"));
    const dataDir = join(dir, "pg");
    try {
      const port = await freePort();
      const first = spawnServer({ DATA_DIR: dataDir, PORT: String(port) });
      await waitForOk(`http://127.0.0.1:${port}/readyz`, first);
      const cli = spawnSync("tsx", ["server/auth/cli.ts", "create-token", "--user", "alice"], {
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: "utf8",
      });
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stderr, /^token \d+ for user alice \(id \d+\):$/m);
      const token = cli.stdout.trim();
      assert.match(token, /^cjh_[A-Za-z0-9_-]{43}$/);
      const mine = await fetch(`http://127.0.0.1:${port}/applications`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.deepEqual([mine.status, await mine.json()], [200, { items: [] }]);

      const second = spawnServer({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      assert.equal(await second.exited, 4);
      assert.match(
        second.output(),
        new RegExp(
          `The data folder ${dataDir} is in use by another PostgreSQL \\(pid \\d+\\), probably another "npm start"`,
        ),
      );
      first.child.kill("SIGTERM");
      assert.equal(await first.exited, 0, first.output());
      assert.equal(existsSync(join(dataDir, "postmaster.pid")), false, "PostgreSQL was left running");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("the token CLI explains its usage", () => {
    const run = spawnSync("tsx", ["server/auth/cli.ts", "create-token"], { encoding: "utf8" });
    assert.equal(run.status, 3);
    assert.equal(
      run.stderr.trim(),
      "usage: tsx server/auth/cli.ts create-token --user NAME [--admin] [--label TEXT]",
    );
  });

  test("a bad configuration is named and the process exits 3", async () => {
    const server = spawnServer({ PORT: "http", DB_HOST: "db" });
    assert.equal(await server.exited, 3);
    assert.match(
      server.output(),
      /Invalid configuration:\n {2}- PORT: must be an integer from 0 to 65535 \(got "http"\)/,
    );
  });
});

describe("graceful shutdown", () => {
  let db: TestDatabase;
  let standIn: LinkedInStandIn;
  before(async () => {
    db = await startTestDatabase();
    await insertJobs(
      db.sql,
      Array.from({ length: 50 }, (_, n) => job({ externalId: `s${n}`, title: `Kubernetes role ${n}` })),
    );
    // The import waits out a 5 s Retry-After: a request still running when the listener closes after the drain.
    standIn = await startLinkedInStandIn({
      token: "t",
      elements: [linkedInPosting(1)],
      rateLimitAt: [{ start: 0, retryAfter: "5" }],
    });
  });
  after(async () => {
    await standIn.close();
    await db.stop();
  });

  test("start-up lines are written at once, request lines within a second, and a 500's error line survives SIGKILL", async () => {
    const port = await freePort();
    const server = spawnServer({ DATABASE_URL: db.url, PORT: String(port) });
    try {
      // Before: these waited in a 4 KiB buffer until it filled or the process exited.
      await waitUntil("listening line", () => /"msg":"listening"/.test(server.output()), {
        describe: () => server.output(),
      });
      assert.match(server.output(), /"msg":"migrations done"/);
      await (
        await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { "x-request-id": "quiet-1" } })
      ).text();
      await waitUntil("the request's line", () => /"reqId":"quiet-1"/.test(server.output()), {
        describe: () => server.output(),
      });

      await db.sql`alter table jobs rename to jobs_moved`;
      const failed = await fetch(`http://127.0.0.1:${port}/jobs`, {
        headers: { "x-request-id": "killed-1" },
      });
      assert.equal(failed.status, 500);
      server.child.kill("SIGKILL");
      await server.exited;
      assert.match(server.output(), /"reqId":"killed-1".*"msg":"unhandled error"/);
    } finally {
      server.child.kill("SIGKILL");
      await db.sql`alter table if exists jobs_moved rename to jobs`;
    }
  });

  test("SIGTERM under a steady request stream: no failed request, in-flight work finishes, exit 0", async () => {
    const admin = (await createToken(db.sql, { userName: "root", scopes: ["admin"] })).token;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = spawnServer({
      DATABASE_URL: db.url,
      PORT: String(port),
      // Long enough for a poller on a busy machine to see readiness fail before the listener closes.
      SHUTDOWN_DRAIN_MS: "3000",
      SHUTDOWN_GRACE_MS: "20000",
      LINKEDIN_BASE_URL: standIn.url,
      LINKEDIN_TOKEN: "t",
    });
    await waitForOk(`${base}/readyz`, server);

    // Clients behave like a load balancer: they stop sending once readiness fails.
    let ready = true;
    let ok = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (ready) {
        try {
          const response = await fetch(`${base}/jobs?q=kubernetes&limit=5`);
          await response.arrayBuffer();
          if (response.status === 200) ok++;
          else failures.push(`status ${response.status}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    let signalledAt = 0;
    const slow = fetch(`${base}/admin/imports/linkedin`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
    }).then(
      async (response) => ({
        status: response.status,
        body: (await response.json()) as { inserted: number },
      }),
      (error: unknown) => {
        const when = signalledAt
          ? `${Math.round(performance.now() - signalledAt)} ms after SIGTERM`
          : "before SIGTERM";
        return { status: 0, body: { inserted: 0 }, error: `${String(error)} ${when}:\n${server.output()}` };
      },
    );
    await waitUntil("100 searches and the import under way", () => ok >= 100 && standIn.requests.length > 0, {
      describe: () => server.output(),
    });

    server.child.kill("SIGTERM");
    signalledAt = performance.now();
    let refused = false;
    while (ready) {
      const status = await fetch(`${base}/readyz`).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status;
        },
        () => 0,
      );
      refused = status === 0;
      if (status === 503 || refused) ready = false;
    }
    await Promise.all(workers);
    assert.equal(
      refused,
      false,
      `the listener closed before readiness was seen failing:\n${server.output()}`,
    );
    const imported = await slow;
    assert.deepEqual(
      [imported.status, imported.body.inserted],
      [200, 1],
      "error" in imported ? imported.error : "",
    );
    assert.equal(await server.exited, 0, server.output());
    assert.deepEqual(failures, []);
    assert.match(server.output(), /"msg":"stopped"/);
  });
});
