import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestApp, type TestApp } from "../testing/app.ts";
import { insertJobs, job } from "../testing/fixtures.ts";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";
import { searchJobs } from "./search.ts";

interface Page {
  items: { id: number; title: string; postedAt: string; skills: string[] }[];
  nextCursor: string | null;
}

describe("GET /jobs and /jobs/{id}", () => {
  let db: TestDatabase;
  let app: TestApp;
  let ids: number[];
  before(async () => {
    db = await startTestDatabase();
    app = await startTestApp(db.sql);
    ids = await insertJobs(db.sql, [
      job({
        externalId: "k8s",
        title: "Kubernetes Engineer",
        postedAt: new Date("2026-11-03T00:00:00Z"),
        remote: true,
        seniority: "senior",
      }),
      job({
        externalId: "java",
        title: "Java Developer",
        skills: ["java"],
        location: "Lyon, France",
        postedAt: new Date("2026-11-02T00:00:00Z"),
      }),
      job({
        externalId: "sre",
        title: "Site Reliability Engineer",
        description: "Kubernetes on-call",
        location: "Berlin, Germany",
        postedAt: new Date("2026-10-01T00:00:00Z"),
        seniority: "lead",
      }),
      job({
        externalId: "pct",
        title: "100% remote_ops",
        location: "Remote",
        postedAt: new Date("2026-09-01T00:00:00Z"),
      }),
    ]);
  });
  after(async () => {
    await app.close();
    await db.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(app.url + path);
    return { response, body: (await response.json()) as Record<string, unknown> };
  };
  const titles = async (query: string) =>
    ((await get(`/jobs?${query}`)).body as unknown as Page).items.map((j) => j.title);

  test("lists newest first with every summary field", async () => {
    const { response, body } = await get("/jobs");
    assert.equal(response.status, 200);
    const page = body as unknown as Page;
    assert.deepEqual(
      page.items.map((j) => j.title),
      ["Kubernetes Engineer", "Java Developer", "Site Reliability Engineer", "100% remote_ops"],
    );
    assert.equal(page.nextCursor, null);
    assert.deepEqual(Object.keys(page.items[0] ?? {}).sort(), [
      "company",
      "id",
      "location",
      "postedAt",
      "remote",
      "salaryCurrency",
      "salaryMax",
      "salaryMin",
      "seniority",
      "skills",
      "sourceUrl",
      "title",
    ]);
    assert.equal(page.items[0]?.postedAt, "2026-11-03T00:00:00.000Z");
  });

  test("full-text search matches title, skills and description", async () => {
    assert.deepEqual(await titles("q=kubernetes"), [
      "Kubernetes Engineer",
      "Site Reliability Engineer",
      "100% remote_ops",
    ]);
    assert.deepEqual(await titles("q=java"), ["Java Developer"]);
    assert.deepEqual(await titles("q=on-call"), ["Site Reliability Engineer"]);
  });

  test("filters by location, remote, seniority, skill and posting date", async () => {
    assert.deepEqual(await titles("location=lyon"), ["Java Developer"]);
    assert.deepEqual(await titles("location=100%25"), []);
    assert.deepEqual(await titles("remote=true"), ["Kubernetes Engineer"]);
    assert.deepEqual(await titles("seniority=lead"), ["Site Reliability Engineer"]);
    assert.deepEqual(await titles("skill=Java"), ["Java Developer"]);
    assert.deepEqual(await titles("postedSince=2026-11-02"), ["Kubernetes Engineer", "Java Developer"]);
    assert.deepEqual(await titles("postedSince=2026-11-02T01:00:00%2B02:00"), [
      "Kubernetes Engineer",
      "Java Developer",
    ]);
    assert.equal((await titles("postedSince=0001-01-01")).length, 4);
    assert.deepEqual(await titles("postedSince=9999-12-31T23:59:59.999Z"), []);
    assert.deepEqual(await titles("q=engineer&location=germany"), ["Site Reliability Engineer"]);
  });

  test("keyset pages stay stable while postings are inserted", async () => {
    const first = (await get("/jobs?limit=2")).body as unknown as Page;
    assert.deepEqual(
      first.items.map((j) => j.title),
      ["Kubernetes Engineer", "Java Developer"],
    );
    assert.ok(first.nextCursor);
    await insertJobs(db.sql, [
      job({ externalId: "newest", title: "Newest", postedAt: new Date("2026-11-20T00:00:00Z") }),
    ]);
    const second = (await get(`/jobs?limit=2&cursor=${first.nextCursor}`)).body as unknown as Page;
    assert.deepEqual(
      second.items.map((j) => j.title),
      ["Site Reliability Engineer", "100% remote_ops"],
    );
    assert.equal(second.nextCursor, null);
    await db.sql`delete from jobs where external_id = 'newest'`;
  });

  test("searchJobs runs the same SQL without HTTP", async () => {
    const page = await searchJobs(db.sql, { q: "kubernetes", limit: 1 });
    assert.equal(page.items[0]?.title, "Kubernetes Engineer");
    assert.ok(page.nextCursor);
  });

  const NUL = "must not contain the NUL character \\(U\\+0000\\)";
  const DATES =
    "must be a date \\(2026-11-01\\) or a date-time with an offset \\(2026-11-01T09:30:00Z\\), in years 1 to 9999";
  for (const [query, field, message] of [
    ["limit=0", "limit", "^must be an integer from 1 to 100$"],
    ["limit=abc", "limit", "^must be an integer from 1 to 100$"],
    ["limit=-5", "limit", "^must be an integer from 1 to 100$"],
    ["cursor=bm9wZQ", "cursor", "is not a cursor this API issued"],
    // "999999999999999.1": a time past year 9999, which PostgreSQL cannot take.
    ["cursor=OTk5OTk5OTk5OTk5OTk5LjE", "cursor", "is not a cursor this API issued"],
    ["seniority=wizard", "seniority", "Invalid option"],
    ["remote=yes", "remote", "Invalid option"],
    ["postedSince=yesterday", "postedSince", DATES],
    ["postedSince=0000-01-01", "postedSince", DATES],
    ["postedSince=0001-01-01T00:00:00%2B01:00", "postedSince", DATES],
    ["postedSince=10000-01-01", "postedSince", DATES],
    [`q=${"x".repeat(201)}`, "q", "Too big"],
    ["q=a%00b", "q", NUL],
    ["location=Paris%00", "location", NUL],
    ["skill=%00go", "skill", NUL],
  ] as const) {
    test(`rejects ${query.slice(0, 30)} naming ${field}`, async () => {
      const { response, body } = await get(`/jobs?${query}`);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      const errors = body.errors as { name: string; in: string; message: string }[];
      assert.equal(errors[0]?.name, field);
      assert.equal(errors[0]?.in, "query");
      assert.match(errors[0]?.message ?? "", new RegExp(message));
      assert.match(String(body.detail), new RegExp(`^${field}: `));
    });
  }

  test("GET /jobs/{id} returns the whole posting", async () => {
    const { response, body } = await get(`/jobs/${ids[0]}`);
    assert.equal(response.status, 200);
    assert.equal(body.title, "Kubernetes Engineer");
    assert.equal(body.description, "Run our clusters.");
    assert.equal(body.externalId, "k8s");
    assert.equal(body.source, "test");
  });

  test("GET /jobs/{id} answers 404 for a missing posting and 400 for a bad id", async () => {
    const missing = await get("/jobs/999999");
    assert.equal(missing.response.status, 404);
    assert.equal(missing.body.detail, "no job with id 999999");
    const bad = await get("/jobs/abc");
    assert.equal(bad.response.status, 400);
    assert.deepEqual(bad.body.errors, [{ name: "id", in: "path", message: "must be a positive integer" }]);
  });
});
