import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { startTestApp, type TestApp } from "../testing/app.ts";
import { insertJobs, job } from "../testing/fixtures.ts";
import {
  encodeText,
  hostileCursor,
  hostileQueryValue,
  hostileString,
  PROPERTY_RUNS,
  queryString,
} from "../testing/hostile.ts";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";

const SEARCH_PARAMETERS = ["q", "location", "remote", "seniority", "skill", "postedSince", "cursor", "limit"];

describe("GET /jobs and /jobs/{id} under hostile input (property-based)", () => {
  let db: TestDatabase;
  let app: TestApp;
  before(async () => {
    db = await startTestDatabase();
    app = await startTestApp(db.sql);
    await insertJobs(
      db.sql,
      Array.from({ length: 5 }, (_, n) =>
        job({ externalId: `h${n}`, postedAt: new Date(Date.UTC(2026, 10, n + 1)) }),
      ),
    );
  });
  after(async () => {
    await app.close();
    await db.stop();
  });

  /** No 5xx; a 4xx is a problem document whose errors name query parameters or the path. */
  const assertAnsweredWell = async (path: string) => {
    const response = await fetch(app.url + path);
    const body = (await response.json()) as { errors?: { name: string; in: string }[] };
    assert.ok(response.status < 500, `${path} answered ${response.status}: ${JSON.stringify(body)}`);
    if (response.status === 400) {
      assert.equal(response.headers.get("content-type"), "application/problem+json", path);
      assert.ok((body.errors ?? []).length > 0, `${path}: a 400 names no field`);
    }
    return response.status;
  };

  test("search: every mix of hostile parameters is answered 200 or 400, never 5xx", async () => {
    const parameter = fc.tuple(
      fc.oneof(fc.constantFrom(...SEARCH_PARAMETERS), hostileString),
      fc.oneof(
        hostileQueryValue,
        hostileCursor.map((text) => ({ text })),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(parameter, { maxLength: 5 }), async (params) => {
        const status = await assertAnsweredWell(`/jobs?${queryString(params)}`);
        assert.ok(status === 200 || status === 400, `answered ${status}`);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  test("search: every cursor is a page or a 400 naming cursor", async () => {
    await fc.assert(
      fc.asyncProperty(hostileCursor, async (cursor) => {
        await assertAnsweredWell(`/jobs?${queryString([["cursor", { text: cursor }]])}`);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  test("one posting: every id in the path is answered 200, 400 or 404", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileQueryValue,
          fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((n) => ({ raw: `${n}` })),
        ),
        async (id) => {
          const segment = "raw" in id ? id.raw : encodeText(id.text);
          // An empty or "/"-only id is another route (the search); a path with a slash is no route.
          fc.pre(segment !== "" && !segment.includes("%2F"));
          const status = await assertAnsweredWell(`/jobs/${segment}`);
          assert.ok([200, 400, 404].includes(status), `answered ${status}`);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
