import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startLine } from "./start-line.ts";

describe("the terminal's start line", () => {
  const urls = ["http://0.0.0.0:8080", "http://0.0.0.0:9464"] as const;

  test("says where the API and its metrics listen and which database it uses", () => {
    assert.equal(
      startLine({ kind: "embedded", dataDir: ".data/postgres", port: undefined }, ...urls),
      "CloudJobHunt API listening on http://0.0.0.0:8080 (metrics on http://0.0.0.0:9464/metrics); database: embedded PostgreSQL in .data/postgres",
    );
  });

  test("never shows the database password", () => {
    const fromUrl = startLine(
      { kind: "url", url: "postgres://app:s3cret@db.test:6432/jobs?sslmode=require" },
      ...urls,
    );
    assert.match(fromUrl, /database: postgres:\/\/app@db\.test:6432\/jobs$/);
    const fromParts = startLine(
      {
        kind: "parts",
        host: "db.test",
        port: 5432,
        name: "jobs",
        user: "app",
        auth: { kind: "password", password: "s3cret" },
      },
      ...urls,
    );
    assert.match(fromParts, /database: postgres:\/\/app@db\.test:5432\/jobs$/);
    assert.ok(!fromUrl.includes("s3cret") && !fromParts.includes("s3cret"));
  });
});
