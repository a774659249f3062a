import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";
import { createSql } from "./pool.ts";

describe("the connection pool", () => {
  let db: TestDatabase;
  before(async () => {
    db = await startTestDatabase({ migrate: false });
  });
  after(() => db.stop());

  test("names its connections and plans every statement for its own parameters", async () => {
    const sql = createSql({ kind: "url", url: db.url }, { max: 2, applicationName: "pool-test" });
    try {
      const [row] = await sql<{ mode: string; app: string; big: number }[]>`
        select current_setting('plan_cache_mode') as mode, current_setting('application_name') as app,
          9007199254740991::int8 as big`;
      assert.deepEqual(row, { mode: "force_custom_plan", app: "pool-test", big: Number.MAX_SAFE_INTEGER });
    } finally {
      await sql.end();
    }
  });
});
