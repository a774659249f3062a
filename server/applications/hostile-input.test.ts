import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { createToken } from "../auth/tokens.ts";
import { startTestApp, type TestApp } from "../testing/app.ts";
import { insertJobs, job } from "../testing/fixtures.ts";
import { hostileJson, hostileNumber, hostileString, PROPERTY_RUNS } from "../testing/hostile.ts";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";
import { STATUSES } from "./status.ts";

describe("the application routes under hostile input (property-based)", () => {
  let db: TestDatabase;
  let app: TestApp;
  let token: string;
  let jobIds: number[];
  let applicationIds: number[];
  before(async () => {
    db = await startTestDatabase();
    // The per-token limit off: the properties send hundreds of requests in a few seconds.
    app = await startTestApp(db.sql, { RATE_LIMIT_PER_MINUTE: "0" });
    token = (await createToken(db.sql, { userName: "mallory", scopes: [] })).token;
    jobIds = await insertJobs(
      db.sql,
      [1, 2, 3, 4].map((n) => job({ externalId: `a${n}` })),
    );
    applicationIds = [];
    for (const jobId of jobIds.slice(0, 2)) {
      const response = await send("POST", "/applications", JSON.stringify({ jobId }));
      applicationIds.push(((await response.json()) as { id: number }).id);
    }
  });
  after(async () => {
    await app.close();
    await db.stop();
  });

  const send = (method: string, path: string, body: string | undefined, contentType = "application/json") =>
    fetch(app.url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      body,
    });

  /** Everything the routes write, as one text: equal before and after means nothing was written. */
  const snapshot = async () => {
    const [row] = await db.sql<{ state: string }[]>`
      select (select coalesce(string_agg(a::text, ',' order by id), '') from applications a)
        || '|' || (select coalesce(string_agg(h::text, ',' order by id), '') from application_status_history h)
        as state`;
    return row?.state;
  };

  /** Built per test: the ids exist once before() has run. */
  const arbitraries = () => {
    const someId = () =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...applicationIds).map(String) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            "0",
            "-1",
            "1.5",
            "99999999999999999999",
            "%00",
            "abc",
            "9007199254740993",
          ),
        },
      );
    const value = (valid: fc.Arbitrary<unknown>) =>
      fc.oneof(
        { weight: 4, arbitrary: valid },
        { weight: 3, arbitrary: hostileString },
        { weight: 1, arbitrary: hostileNumber },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.jsonValue() },
      );
    const create = fc.record(
      {
        jobId: value(fc.constantFrom(...jobIds, 987_654)),
        status: value(fc.constantFrom(...STATUSES)),
        notes: value(hostileString),
      },
      { requiredKeys: [] },
    );
    const change = fc.record(
      {
        status: value(fc.constantFrom(...STATUSES)),
        note: value(hostileString),
        expectedVersion: value(fc.integer({ min: 1, max: 5 })),
      },
      { requiredKeys: [] },
    );
    const encoding = fc.oneof(
      { weight: 6, arbitrary: fc.constant({ contentType: "application/json", raw: false }) },
      fc.record({
        contentType: fc.constantFrom(
          "text/plain",
          "application/json; charset=utf-8",
          "application/merge-patch+json",
        ),
        raw: fc.boolean(),
      }),
    );
    const body = <T>(valid: fc.Arbitrary<T>, keys: string[]) =>
      fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostileJson(keys) });
    return { someId, create, change, value, encoding, body };
  };

  /** Sends one request; no 5xx ever, and a 4xx is a problem document that wrote nothing. */
  const check = async (
    method: string,
    path: string,
    body: unknown,
    how: { contentType: string; raw: boolean },
    garbage: string,
  ) => {
    const before = await snapshot();
    const text = body === undefined ? undefined : how.raw ? garbage : JSON.stringify(body);
    const response = await send(method, path, text, how.contentType);
    const answer = await response.text();
    const where = `${method} ${path} ${String(text).slice(0, 200)} (${how.contentType})`;
    assert.ok(response.status < 500, `${where} answered ${response.status}: ${answer}`);
    if (response.status >= 400) {
      assert.equal(response.headers.get("content-type"), "application/problem+json", where);
      if (response.status === 400 || response.status === 415) {
        const errors = (JSON.parse(answer) as { errors?: unknown[] }).errors ?? [];
        assert.ok(errors.length > 0 && errors.length <= 20, `${where}: ${answer}`);
      }
      assert.equal(await snapshot(), before, `${where} answered ${response.status} but wrote`);
    }
  };

  test("POST /applications: no 5xx, nothing written on a 4xx", async () => {
    const a = arbitraries();
    await fc.assert(
      fc.asyncProperty(
        a.body(a.create, ["jobId", "status", "notes"]),
        a.encoding,
        hostileString,
        (body, how, garbage) => check("POST", "/applications", body, how, garbage),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  test("PATCH /applications/{id}: no 5xx, nothing written on a 4xx", async () => {
    const a = arbitraries();
    const notes = fc.record({ notes: a.value(hostileString) });
    await fc.assert(
      fc.asyncProperty(
        a.someId(),
        a.body(notes, ["notes"]),
        a.encoding,
        hostileString,
        (id, body, how, garbage) => check("PATCH", `/applications/${id}`, body, how, garbage),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  test("POST /applications/{id}/status: no 5xx, nothing written on a 4xx", async () => {
    const a = arbitraries();
    await fc.assert(
      fc.asyncProperty(
        a.someId(),
        a.body(a.change, ["status", "note", "expectedVersion"]),
        a.encoding,
        hostileString,
        (id, body, how, garbage) => check("POST", `/applications/${id}/status`, body, how, garbage),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  test("GET /applications/{id}: no 5xx", async () => {
    const a = arbitraries();
    await fc.assert(
      fc.asyncProperty(a.someId(), (id) =>
        check("GET", `/applications/${id}`, undefined, { contentType: "", raw: false }, ""),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
