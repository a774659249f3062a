import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import postgres from "postgres";
import { PoolUsage } from "../db/pool-usage.ts";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";
import { Metrics } from "./metrics.ts";

describe("Metrics.render", () => {
  let db: TestDatabase;
  before(async () => {
    db = await startTestDatabase();
  });
  after(async () => {
    await db.stop();
  });

  test("scrapes within the interval share one rendering and one pool query; a later scrape renders anew", async () => {
    let now = 0;
    let poolQueries = 0;
    // The real pool query, counted by postgres.js's own debug hook.
    const sql = postgres(db.url, {
      max: 2,
      debug: (_connection, query) => {
        if (query.includes("pg_stat_activity")) poolQueries++;
      },
    });
    try {
      const counted = new PoolUsage(sql, 10, "cjh-test");
      const metrics = new Metrics(counted, 10, { minRenderIntervalMs: 1000, now: () => now });
      metrics.observe("GET", "/jobs", 200, 0.01);
      const flood = await Promise.all(Array.from({ length: 50 }, () => metrics.render()));
      assert.equal(new Set(flood).size, 1);
      assert.equal(poolQueries, 1);
      metrics.observe("GET", "/jobs", 200, 0.01);
      now = 999;
      assert.match(
        await metrics.render(),
        /http_requests_total\{method="GET",route="\/jobs",status="200"\} 1/,
      );
      now = 1000;
      assert.match(
        await metrics.render(),
        /http_requests_total\{method="GET",route="\/jobs",status="200"\} 2/,
      );
      assert.equal(poolQueries, 2);
    } finally {
      await sql.end();
    }
  });
});
