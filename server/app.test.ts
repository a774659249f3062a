import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createToken } from "./auth/tokens.ts";
import { freePort } from "./db/free-port.ts";
import { createSql } from "./db/pool.ts";
import { startTestApp, type TestApp } from "./testing/app.ts";
import { insertJobs, job } from "./testing/fixtures.ts";
import { startTestDatabase, type TestDatabase } from "./testing/postgres.ts";

describe("the app's cross-cutting behaviour", () => {
  let db: TestDatabase;
  let app: TestApp;
  let token: string;
  before(async () => {
    db = await startTestDatabase();
    app = await startTestApp(db.sql, {
      CORS_ORIGINS: "https://app.cloudjobhunt.test",
      BODY_LIMIT_BYTES: "200",
      RATE_LIMIT_PER_MINUTE: "5",
    });
    token = (await createToken(db.sql, { userName: "dana", scopes: [] })).token;
    await insertJobs(db.sql, [job({ externalId: "one" })]);
  });
  after(async () => {
    await app.close();
    await db.stop();
  });

  test("/healthz answers without the database", async () => {
    const response = await fetch(`${app.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ok" });
  });

  test("/readyz checks the database and the schema, and fails once shutdown starts", async () => {
    const ready = await fetch(`${app.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: "ready", schema: "0001" });

    const unreachable = createSql(
      { kind: "url", url: `postgres://u:p@127.0.0.1:${await freePort()}/none` },
      { max: 1, applicationName: "x" },
    );
    const down = await startTestApp(unreachable);
    const unmigrated = await startTestDatabase({ migrate: false });
    const early = await startTestApp(unmigrated.sql);
    try {
      const r1 = await fetch(`${down.url}/readyz`);
      assert.equal(r1.status, 503);
      assert.equal(((await r1.json()) as { detail: string }).detail, "database unreachable");
      const r2 = await fetch(`${early.url}/readyz`);
      assert.equal(r2.status, 503);
      assert.equal(
        ((await r2.json()) as { detail: string }).detail,
        "database schema at none, this build needs 0001",
      );
    } finally {
      await Promise.all([down.close(), early.close()]);
      await unreachable.end();
      await unmigrated.stop();
    }

    const draining = await startTestApp(db.sql);
    try {
      draining.readiness.startShutdown();
      const r3 = await fetch(`${draining.url}/readyz`);
      assert.equal(r3.status, 503);
      assert.equal(r3.headers.get("content-type"), "application/problem+json");
      assert.equal(((await r3.json()) as { detail: string }).detail, "shutting down");
      assert.equal((await fetch(`${draining.url}/healthz`)).status, 200);
    } finally {
      await draining.close();
    }
  });

  test("the metrics port serves request figures by route template and the pool's connections", async () => {
    await fetch(`${app.url}/jobs/123456`);
    await fetch(`${app.url}/jobs?limit=1`);
    const scrape = await fetch(`${app.metricsUrl}/metrics`);
    assert.equal(scrape.status, 200);
    assert.match(scrape.headers.get("content-type") ?? "", /^text\/plain; version=0.0.4/);
    const text = await scrape.text();
    assert.match(
      text,
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/jobs\/:id",status="404"\} \d+/,
    );
    assert.match(text, /http_requests_total\{method="GET",route="\/jobs",status="200"\} 1/);
    // Scrapes are not API requests: nothing is in flight while one renders.
    assert.match(text, /http_requests_in_flight 0/);
    for (const state of ["active", "idle", "waiting"]) {
      assert.match(text, new RegExp(`db_pool_connections\\{state="${state}"\\} \\d+`));
    }
    assert.match(text, /db_pool_max 10/);
    assert.match(text, /process_cpu_seconds_total/);
    assert.equal(
      (await fetch(`${app.metricsUrl}/jobs`)).status,
      404,
      "the metrics port serves only /metrics",
    );
  });

  test("the public port does not serve /metrics", async () => {
    const response = await fetch(`${app.url}/metrics`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    assert.doesNotMatch(await response.text(), /process_cpu|nodejs_/);
  });

  test("/openapi.json documents every route from the validating schemas", async () => {
    const doc = (await (await fetch(`${app.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      "/admin/imports/linkedin",
      "/applications",
      "/applications/{id}",
      "/applications/{id}/status",
      "/jobs",
      "/jobs/{id}",
    ]);
    assert.deepEqual(
      doc.paths["/jobs"]?.get?.parameters?.map((p) => p.name),
      ["q", "location", "remote", "seniority", "skill", "postedSince", "cursor", "limit"],
    );
    assert.deepEqual(Object.keys(doc.paths["/applications/{id}"] ?? {}).sort(), ["get", "patch"]);
  });

  test("responses carry a request id (the caller's when sane) that the log line shows", async () => {
    const mine = await fetch(`${app.url}/healthz`, { headers: { "x-request-id": "trace-42" } });
    assert.equal(mine.headers.get("x-request-id"), "trace-42");
    const generated = (await fetch(`${app.url}/healthz`)).headers.get("x-request-id");
    assert.match(generated ?? "", /^[0-9a-f-]{36}$/);
    const line = app.logs.find((l) => l.reqId === "trace-42");
    assert.deepEqual([line?.method, line?.route, line?.status], ["GET", "/healthz", 200]);
  });

  test("secure headers are set on every response", async () => {
    for (const path of ["/healthz", "/jobs", "/nowhere"]) {
      const response = await fetch(app.url + path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(response.headers.get("x-frame-options"), "SAMEORIGIN", path);
      assert.equal(
        response.headers.get("strict-transport-security"),
        "max-age=15552000; includeSubDomains",
        path,
      );
    }
  });

  test("an unknown route is a 404 problem", async () => {
    const response = await fetch(`${app.url}/nowhere`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    assert.deepEqual(await response.json(), {
      type: "about:blank",
      title: "Not found",
      status: 404,
      detail: "no route for GET /nowhere",
      instance: "/nowhere",
    });
  });

  test("an unsupported method on a public path is a 405 with Allow; an unknown path stays a 404", async () => {
    const post = await fetch(`${app.url}/jobs`, { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    assert.deepEqual(await post.json(), {
      type: "about:blank",
      title: "Method not allowed",
      status: 405,
      detail: "/jobs answers GET, HEAD, not POST",
      instance: "/jobs",
    });
    assert.equal((await fetch(`${app.url}/jobs/1`, { method: "DELETE" })).headers.get("allow"), "GET, HEAD");
    assert.equal((await fetch(`${app.url}/nowhere`, { method: "POST" })).status, 404);
  });

  test("CORS answers only the allowed origins", async () => {
    const preflight = (origin: string) =>
      fetch(`${app.url}/applications`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization",
        },
      });
    const allowed = await preflight("https://app.cloudjobhunt.test");
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.cloudjobhunt.test");
    assert.match(allowed.headers.get("access-control-allow-headers") ?? "", /authorization/);
    const other = await preflight("https://evil.test");
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });

  test("a body over the limit is a 413 problem and writes nothing", async () => {
    const response = await fetch(`${app.url}/applications`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ jobId: 1, notes: "x".repeat(300) }),
    });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { detail: string }).detail, "the body may be at most 200 bytes");
    const [row] = await db.sql`select count(*)::int as n from applications`;
    assert.equal(row?.n, 0);
  });

  test("each token is rate limited on its own", async () => {
    const other = (await createToken(db.sql, { userName: "eve", scopes: [] })).token;
    const call = (t: string) =>
      fetch(`${app.url}/applications`, { headers: { authorization: `Bearer ${t}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(other)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const limited = await call(other);
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get("retry-after") ?? "", /^\d+$/);
    assert.equal(
      ((await limited.json()) as { detail: string }).detail,
      "this token may make 5 requests a minute",
    );
    assert.equal((await call(token)).status, 200);
  });

  test("an unexpected failure is a 500 problem with no stack trace, logged with its request id", async () => {
    await db.sql`alter table jobs rename to jobs_moved`;
    try {
      const response = await fetch(`${app.url}/jobs`, { headers: { "x-request-id": "boom-1" } });
      assert.equal(response.status, 500);
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(body, {
        type: "about:blank",
        title: "Internal server error",
        status: 500,
        detail: "see the logs for request boom-1",
        instance: "/jobs",
      });
      const logged = app.logs.find((l) => l.reqId === "boom-1" && l.msg === "unhandled error");
      assert.equal(
        (logged?.err as { message?: string } | undefined)?.message,
        'relation "jobs" does not exist',
      );
    } finally {
      await db.sql`alter table jobs_moved rename to jobs`;
    }
  });
});
