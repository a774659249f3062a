import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createToken } from "../auth/tokens.ts";
import { startTestApp, type TestApp } from "../testing/app.ts";
import { insertJobs, job } from "../testing/fixtures.ts";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";

interface Application {
  id: number;
  jobId: number;
  status: string;
  notes: string;
  version: number;
  jobTitle: string;
  history: { fromStatus: string | null; toStatus: string; note: string }[];
}

describe("applications", () => {
  let db: TestDatabase;
  let app: TestApp;
  let alice: string;
  let bob: string;
  let jobIds: number[];
  before(async () => {
    db = await startTestDatabase();
    app = await startTestApp(db.sql);
    alice = (await createToken(db.sql, { userName: "alice", scopes: [] })).token;
    bob = (await createToken(db.sql, { userName: "bob", scopes: [] })).token;
    jobIds = await insertJobs(
      db.sql,
      [1, 2, 3, 4, 5].map((n) => job({ externalId: `j${n}`, title: `Job ${n}` })),
    );
  });
  after(async () => {
    await app.close();
    await db.stop();
  });

  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const response = await fetch(app.url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  const countRows = async () => {
    const [row] = await db.sql<{ apps: number; history: number }[]>`
      select (select count(*) from applications)::int as apps, (select count(*) from application_status_history)::int as history`;
    return row;
  };

  test("requires a bearer token", async () => {
    const missing = await call(undefined, "GET", "/applications");
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="cloudjobhunt"');
    assert.equal(missing.body.detail, "send Authorization: Bearer <token>");
    const unknown = await call("cjh_not-a-real-token", "GET", "/applications");
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.detail, "the bearer token is unknown or revoked");
  });

  test("creates, lists, reads and edits an application", async () => {
    const created = await call(alice, "POST", "/applications", {
      jobId: jobIds[0],
      notes: "referral from Sam",
    });
    assert.equal(created.status, 201);
    const app1 = created.body as unknown as Application;
    assert.equal(created.headers.get("location"), `/applications/${app1.id}`);
    assert.equal(app1.status, "saved");
    assert.equal(app1.jobTitle, "Job 1");
    assert.deepEqual(
      app1.history.map((h) => [h.fromStatus, h.toStatus]),
      [[null, "saved"]],
    );

    const list = await call(alice, "GET", "/applications");
    assert.deepEqual(
      (list.body.items as Application[]).map((a) => a.id),
      [app1.id],
    );

    const patched = await call(alice, "PATCH", `/applications/${app1.id}`, { notes: "call back Monday" });
    assert.equal(patched.status, 200);
    assert.equal((patched.body as unknown as Application).notes, "call back Monday");
    assert.equal((patched.body as unknown as Application).version, 2);

    const read = await call(alice, "GET", `/applications/${app1.id}`);
    assert.equal((read.body as unknown as Application).notes, "call back Monday");
  });

  test("users see only their own applications", async () => {
    const created = (await call(alice, "POST", "/applications", { jobId: jobIds[1] }))
      .body as unknown as Application;
    assert.deepEqual((await call(bob, "GET", "/applications")).body.items, []);
    for (const [method, path, body] of [
      ["GET", `/applications/${created.id}`, undefined],
      ["PATCH", `/applications/${created.id}`, { notes: "mine now" }],
      ["POST", `/applications/${created.id}/status`, { status: "applied" }],
    ] as const) {
      const response = await call(bob, method, path, body);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.detail, `no application with id ${created.id}`);
    }
    const still = (await call(alice, "GET", `/applications/${created.id}`)).body as unknown as Application;
    assert.equal(still.status, "saved");
    assert.equal(still.notes, "");
  });

  test("walks the status machine and records the history", async () => {
    const { id } = (await call(alice, "POST", "/applications", { jobId: jobIds[2], status: "applied" }))
      .body as unknown as Application;
    const interviewing = await call(alice, "POST", `/applications/${id}/status`, {
      status: "interviewing",
      note: "phone screen",
    });
    assert.equal(interviewing.status, 200);
    const offer = (await call(alice, "POST", `/applications/${id}/status`, { status: "offer" }))
      .body as unknown as Application;
    assert.equal(offer.status, "offer");
    assert.deepEqual(
      offer.history.map((h) => [h.fromStatus, h.toStatus, h.note]),
      [
        [null, "applied", ""],
        ["applied", "interviewing", "phone screen"],
        ["interviewing", "offer", ""],
      ],
    );
    const back = await call(alice, "POST", `/applications/${id}/status`, { status: "applied" });
    assert.equal(back.status, 409);
    assert.equal(back.body.detail, "status: cannot go from offer to applied; allowed: rejected, withdrawn");
    await call(alice, "POST", `/applications/${id}/status`, { status: "withdrawn" });
    const final = await call(alice, "POST", `/applications/${id}/status`, { status: "rejected" });
    assert.equal(final.body.detail, "status: cannot go from withdrawn to rejected; allowed: none (final)");
  });

  test("a stale expectedVersion is refused", async () => {
    const { id, version } = (await call(alice, "POST", "/applications", { jobId: jobIds[3] }))
      .body as unknown as Application;
    await call(alice, "PATCH", `/applications/${id}`, { notes: "edited elsewhere" });
    const stale = await call(alice, "POST", `/applications/${id}/status`, {
      status: "applied",
      expectedVersion: version,
    });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.body.errors, [
      { name: "expectedVersion", in: "body", message: `the application is at version ${version + 1}` },
    ]);
  });

  test("simultaneous status changes on one application serialise: one wins, the history has one entry", async () => {
    const { id } = (await call(alice, "POST", "/applications", { jobId: jobIds[4], status: "applied" }))
      .body as unknown as Application;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(alice, "POST", `/applications/${id}/status`, { status: i % 2 ? "interviewing" : "rejected" }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1);
    assert.ok(results.every((r) => r.status === 200 || r.status === 409));
    const [only] = ok;
    assert.ok(only);
    const winner = (only.body as unknown as Application).status;
    const detail = (await call(alice, "GET", `/applications/${id}`)).body as unknown as Application;
    assert.equal(detail.status, winner);
    assert.equal(detail.version, 2);
    assert.deepEqual(
      detail.history.map((h) => h.toStatus),
      ["applied", winner],
    );
  });

  test("bad inputs are 4xx problems naming the field, with nothing written", async () => {
    const before = await countRows();
    const cases: [string, string, unknown, number, string][] = [
      ["POST", "/applications", { jobId: "seven" }, 400, "jobId"],
      ["POST", "/applications", {}, 400, "jobId"],
      ["POST", "/applications", { jobId: jobIds[0], status: "offer" }, 400, "status"],
      ["POST", "/applications", { jobId: jobIds[0], colour: "blue" }, 400, "colour"],
      ["POST", "/applications", { jobId: 987654 }, 422, "jobId"],
      ["POST", "/applications", { jobId: jobIds[0] }, 409, "jobId"],
      ["POST", "/applications", { jobId: jobIds[0], notes: "x".repeat(10_001) }, 400, "notes"],
      ["PATCH", "/applications/1", { status: "applied" }, 400, "status"],
      ["PATCH", "/applications/1", { notes: 5 }, 400, "notes"],
      ["POST", "/applications/1/status", { status: "hired" }, 400, "status"],
      ["POST", "/applications/1/status", { status: "applied", expectedVersion: 0 }, 400, "expectedVersion"],
      ["GET", "/applications/0", undefined, 400, "id"],
      // PostgreSQL text cannot hold NUL; these were 500s (22021) before the schemas refused them.
      ["POST", "/applications", { jobId: jobIds[4], notes: "a\u0000b" }, 400, "notes"],
      ["PATCH", "/applications/1", { notes: "\u0000" }, 400, "notes"],
      ["POST", "/applications/1/status", { status: "withdrawn", note: "x\u0000" }, 400, "note"],
      [
        "POST",
        "/applications/1/status",
        { status: "applied", expectedVersion: 2 ** 31 },
        400,
        "expectedVersion",
      ],
    ];
    for (const [method, path, body, status, field] of cases) {
      const response = await call(alice, method, path, body);
      assert.equal(response.status, status, `${method} ${path} ${JSON.stringify(body)}`);
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      const errors = response.body.errors as { name: string }[];
      assert.ok(
        errors.some((e) => e.name === field),
        `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(errors)}`,
      );
    }
    const malformed = await call(alice, "POST", "/applications", "{not json");
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.title, "Invalid request");
    assert.deepEqual(malformed.body.errors, [{ name: "body", in: "body", message: "is not valid JSON" }]);
    const plain = await fetch(`${app.url}/applications`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice}`, "content-type": "text/plain" },
      body: JSON.stringify({ jobId: jobIds[0] }),
    });
    assert.equal(plain.status, 415);
    assert.deepEqual(await plain.json(), {
      type: "about:blank",
      title: "Unsupported media type",
      status: 415,
      detail: "content-type: must be application/json",
      instance: "/applications",
      errors: [{ name: "content-type", in: "header", message: "must be application/json" }],
    });
    assert.deepEqual(await countRows(), before);
  });

  test("a body with thousands of bad keys gets a short error list that says how many were left out", async () => {
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, n) => [`k${n}`, n]));
    const response = await fetch(`${app.url}/applications`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert.equal(response.status, 400);
    assert.ok(text.length < 4096, `${text.length} bytes of errors`);
    const problem = JSON.parse(text) as { detail: string; errors: unknown[] };
    assert.equal(problem.errors.length, 20);
    assert.match(problem.detail, /; and 4981 more problems not listed$/);
  });

  test("the bearer scheme is case-insensitive (RFC 9110 11.1)", async () => {
    for (const scheme of ["bearer", "BEARER", "Bearer  "]) {
      const response = await fetch(`${app.url}/applications`, {
        headers: { authorization: `${scheme} ${alice}` },
      });
      assert.equal(response.status, 200, scheme);
    }
  });

  test("an unsupported method on a known path is a 405 naming the allowed ones", async () => {
    for (const [method, path, allow] of [
      ["DELETE", "/applications", "GET, HEAD, POST"],
      ["PUT", "/applications/1", "GET, HEAD, PATCH"],
      ["GET", "/applications/1/status", "POST"],
    ] as const) {
      const response = await call(alice, method, path);
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get("allow"), allow);
      assert.equal(response.body.title, "Method not allowed");
    }
  });

  test("the duplicate message points at the existing application", async () => {
    const response = await call(alice, "POST", "/applications", { jobId: jobIds[0] });
    const [existing] = await db.sql<
      { id: number }[]
    >`select id from applications where job_id = ${jobIds[0] ?? 0}`;
    assert.equal(response.body.detail, `jobId: you already track this job as application ${existing?.id}`);
  });

  test("tokens never reach the logs", async () => {
    await call(alice, "GET", "/applications");
    assert.ok(app.logs.length > 0);
    assert.ok(!app.rawLogs().includes(alice));
    assert.ok(!app.rawLogs().includes(bob));
  });
});
