import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startTestApp, type TestApp } from "../../../server/testing/app.ts";
import { insertJobs, job } from "../../../server/testing/fixtures.ts";
import { startTestDatabase, type TestDatabase } from "../../../server/testing/postgres.ts";
import { runCli } from "../../lib/entry/testing/github-runner.ts";
import { parseInputs } from "../context.ts";
import { runSmokeTest } from "../run.ts";

const CHECKS = "actions/smoke-test/checks/cloudjobhunt.yaml";

describe("the shipped CloudJobHunt checks against the real API on PostgreSQL", () => {
  let db: TestDatabase;
  let app: TestApp;
  before(async () => {
    db = await startTestDatabase();
    await insertJobs(db.sql, [job({ externalId: "k8s-1", title: "Kubernetes Platform Engineer" })]);
    app = await startTestApp(db.sql);
  });
  after(async () => {
    await app?.close();
    await db?.stop();
  });

  test("every check holds and the latency gate passes", async () => {
    const parsed = await parseInputs({
      url: app.url,
      checks: CHECKS,
      requests: "300",
      concurrency: "4",
      "max-p95-ms": "5000",
    });
    assert.ok(parsed.ok);
    const lines: string[] = [];
    const log = {
      info: (m: string) => lines.push(m),
      warning: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
      group: <T>(_name: string, work: () => Promise<T>) => work(),
    };
    const result = await runSmokeTest(parsed.config, { log });
    assert.deepEqual(result.failures, []);
    assert.equal(result.result, "passed");
    assert.deepEqual(
      result.checks.map((c) => [c.name, c.status]),
      [
        ["health", 200],
        ["readiness", 200],
        ["OpenAPI document", 200],
        ["job search", 200],
        ["problem+json on a bad query", 400],
        ["401 without a token", 401],
      ],
    );
    assert.deepEqual(result.latency?.statusCounts, { "200": 300 });
  });

  test("the CLI gates the API and writes the report and summary (exit 0)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smoke-cli-"));
    const run = await runCli("smoke-test", [
      "--url",
      app.url,
      "--checks",
      CHECKS,
      "--requests",
      "200",
      "--max-p95-ms",
      "5000",
      "--report",
      `${dir}/report.json`,
      "--summary",
      `${dir}/summary.md`,
    ]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /output result=passed/);
    const report = JSON.parse(await readFile(`${dir}/report.json`, "utf8"));
    assert.equal(report.exitCode, 0);
    assert.equal(report.outcome.result, "passed");
    assert.equal(report.outcome.latency.requests, 200);
    const summary = await readFile(`${dir}/summary.md`, "utf8");
    assert.match(summary, /^## smoke-test: passed/);
    assert.match(summary, /\| 401 without a token \| GET \/applications \| ✅ pass \|/);
    assert.match(summary, /```mermaid\nxychart-beta\n/);
  });

  test("a replica that is shutting down fails readiness, naming /readyz's detail", async () => {
    const stopping = await startTestApp(db.sql);
    stopping.readiness.startShutdown();
    try {
      const parsed = await parseInputs({ url: stopping.url, requests: "10", "ready-timeout": "1s" });
      assert.ok(parsed.ok);
      const log = {
        info() {},
        warning() {},
        error() {},
        group: <T>(_n: string, work: () => Promise<T>) => work(),
      };
      const result = await runSmokeTest(parsed.config, { log });
      assert.equal(result.result, "failed");
      assert.deepEqual(result.failures, ["not ready within 1000 ms: /readyz answered 503: shutting down"]);
    } finally {
      await stopping.close();
    }
  });
});
