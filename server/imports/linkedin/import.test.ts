import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, beforeEach, describe, test } from "node:test";
import { createToken } from "../../auth/tokens.ts";
import { loadConfig } from "../../config/env.ts";
import { startTestApp, type TestApp } from "../../testing/app.ts";
import {
  type LinkedInStandIn,
  linkedInPosting,
  startLinkedInStandIn,
} from "../../testing/linkedin-stand-in.ts";
import { startTestDatabase, type TestDatabase } from "../../testing/postgres.ts";
import { retryAfterMs } from "./client.ts";
import { type ImportReport, importLinkedIn } from "./import.ts";

const TOKEN = "li-test-token-7f3a";
const MALFORMED = new Map<number, Record<string, unknown>>([
  [5, { title: undefined }],
  [12, { listedAt: "yesterday" }],
  [20, { id: "job-20" }],
  [
    27,
    {
      compensation: {
        compensations: [
          {
            value: {
              min: { amount: "90000", currencyCode: "EUR" },
              max: { amount: "60000", currencyCode: "EUR" },
            },
            payPeriod: "YEARLY",
          },
        ],
      },
    },
  ],
]);
const feed = () => Array.from({ length: 35 }, (_, n) => linkedInPosting(n, MALFORMED.get(n) ?? {}));

describe("LinkedIn import", () => {
  let db: TestDatabase;
  let standIn: LinkedInStandIn;
  let app: TestApp;
  let admin: string;
  let user: string;
  const client = () => ({ ...loadConfig({}).linkedin, baseUrl: standIn.url, token: TOKEN, pageSize: 10 });

  before(async () => {
    db = await startTestDatabase();
    standIn = await startLinkedInStandIn({ token: TOKEN, elements: feed() });
    app = await startTestApp(db.sql, {
      LINKEDIN_BASE_URL: standIn.url,
      LINKEDIN_TOKEN: TOKEN,
      LINKEDIN_PAGE_SIZE: "10",
    });
    admin = (await createToken(db.sql, { userName: "ops", scopes: ["admin"] })).token;
    user = (await createToken(db.sql, { userName: "carol", scopes: [] })).token;
  });
  after(async () => {
    await app.close();
    await standIn.close();
    await db.stop();
  });
  beforeEach(async () => {
    await db.sql`delete from jobs`;
  });

  test("imports every page, skipping and counting malformed items", async () => {
    const report = await importLinkedIn(db.sql, client(), { maxPages: 100 });
    assert.equal(report.pages, 4);
    assert.equal(report.fetched, 35);
    assert.equal(report.inserted, 31);
    assert.equal(report.skipped, 4);
    assert.deepEqual(
      report.skippedItems.map((s) => [s.position, s.reason.split(":")[0]]),
      [
        [5, "title"],
        [12, "listedAt"],
        [20, "id"],
        [27, "compensation"],
      ],
    );
    assert.equal(report.skippedItems[2]?.externalId, "job-20");
    const [row] = await db.sql`select count(*)::int as n from jobs where source = 'linkedin'`;
    assert.equal(row?.n, 31);
    const [one] =
      await db.sql`select title, company, remote, seniority, skills, salary_min, salary_currency, posted_at
      from jobs where external_id = '4000000002'`;
    assert.deepEqual(
      { ...one, posted_at: one?.posted_at.toISOString() },
      {
        title: "Cloud Engineer 2",
        company: "Company 2",
        remote: true,
        seniority: "senior",
        skills: ["kubernetes", "azure", "go"],
        salary_min: 55000,
        salary_currency: "EUR",
        posted_at: "2026-11-01T00:02:00.000Z",
      },
    );
    const again = await importLinkedIn(db.sql, client(), { maxPages: 100 });
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 31]);
  });

  test("postings the database cannot hold are skipped with their reason; the rest, later pages included, are written", async () => {
    const salary = (amount: string) => ({
      compensations: [
        {
          value: { min: { amount: "1000", currencyCode: "EUR" }, max: { amount, currencyCode: "EUR" } },
          payPeriod: "YEARLY",
        },
      ],
    });
    const unstorable = new Map<number, Record<string, unknown>>([
      [3, { title: "Cloud\u0000Engineer" }],
      [14, { listedAt: 8.64e15 + 1 }],
      [15, { listedAt: Date.parse("9999-12-31T23:59:59.999Z") + 1 }],
      [22, { compensation: salary("2147483648") }],
    ]);
    const elements = Array.from({ length: 25 }, (_, n) => linkedInPosting(n, unstorable.get(n) ?? {}));
    const source = await startLinkedInStandIn({ token: TOKEN, elements });
    const importing = await startTestApp(db.sql, {
      LINKEDIN_BASE_URL: source.url,
      LINKEDIN_TOKEN: TOKEN,
      LINKEDIN_PAGE_SIZE: "10",
    });
    try {
      const response = await post(admin, undefined, importing.url);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const report = response.body as unknown as ImportReport;
      assert.deepEqual([report.pages, report.fetched, report.inserted, report.skipped], [3, 25, 21, 4]);
      assert.deepEqual(
        report.skippedItems.map((s) => [s.position, s.reason]),
        [
          [3, "title: must not contain the NUL character (U+0000)"],
          [14, "listedAt: must be a time in years 1970 to 9999 (ms since the epoch)"],
          [15, "listedAt: must be a time in years 1970 to 9999 (ms since the epoch)"],
          [22, "compensation.compensations.0.value.max.amount: must be at most 2147483647"],
        ],
      );
      const [row] = await db.sql`select count(*)::int as n from jobs where source = 'linkedin'`;
      assert.equal(row?.n, 21);
    } finally {
      await Promise.all([importing.close(), source.close()]);
    }
  });

  test("a posting the database refuses anyway is skipped with the database's reason, the page's others written", async () => {
    // A rule the posting schema does not know: only the database can refuse this posting.
    await db.sql`alter table jobs add constraint refuses_marker check (title <> 'Refused by the database')`;
    const elements = Array.from({ length: 5 }, (_, n) =>
      linkedInPosting(n, n === 2 ? { title: "Refused by the database" } : {}),
    );
    const source = await startLinkedInStandIn({ token: TOKEN, elements });
    try {
      const report = await importLinkedIn(db.sql, { ...client(), baseUrl: source.url }, { maxPages: 10 });
      assert.deepEqual([report.fetched, report.inserted, report.skipped], [5, 4, 1]);
      assert.deepEqual(report.skippedItems, [
        {
          position: 2,
          externalId: "4000000002",
          reason:
            'the database refused it: new row for relation "jobs" violates check constraint "refuses_marker"',
        },
      ]);
    } finally {
      await source.close();
      await db.sql`alter table jobs drop constraint refuses_marker`;
    }
  });

  test("two imports of the same feed at once create no duplicates", async () => {
    const reports = await Promise.all(
      [1, 2, 3].map(() => importLinkedIn(db.sql, client(), { maxPages: 100 })),
    );
    const [row] =
      await db.sql`select count(*)::int as n, count(distinct external_id)::int as distinct from jobs`;
    assert.deepEqual(row, { n: 31, distinct: 31 });
    assert.equal(
      reports.reduce((n, r) => n + r.inserted, 0),
      31,
    );
    for (const r of reports) assert.equal(r.inserted + r.updated + r.unchanged, 31);
  });

  test("waits out a 429 for as long as Retry-After says", async () => {
    const limited = await startLinkedInStandIn({
      token: TOKEN,
      elements: feed(),
      rateLimitAt: [{ start: 10, retryAfter: "1" }],
    });
    try {
      const report = await importLinkedIn(db.sql, { ...client(), baseUrl: limited.url }, { maxPages: 100 });
      assert.equal(report.inserted, 31);
      const throttled = limited.requests.findIndex((r) => r.status === 429);
      const retried = limited.requests[throttled + 1];
      assert.equal(retried?.start, 10);
      assert.equal(retried?.status, 200);
      assert.ok(
        retried.at - (limited.requests[throttled]?.at ?? 0) >= 1000,
        "retried before Retry-After elapsed",
      );
    } finally {
      await limited.close();
    }
  });

  test("Retry-After is read as seconds or as an HTTP date", () => {
    assert.equal(retryAfterMs("3"), 3000);
    assert.equal(retryAfterMs("Tue, 24 Nov 2026 10:00:05 GMT", Date.parse("2026-11-24T10:00:00Z")), 5000);
    assert.equal(retryAfterMs(null), 1000);
  });

  const post = async (token: string | undefined, body?: unknown, url = app.url) => {
    const response = await fetch(`${url}/admin/imports/linkedin`, {
      method: "POST",
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test("POST /admin/imports/linkedin runs an import for an admin", async () => {
    const response = await post(admin);
    assert.equal(response.status, 200);
    const report = response.body as unknown as ImportReport;
    assert.deepEqual([report.source, report.inserted, report.skipped], ["linkedin", 31, 4]);
    const limited = await post(admin, { maxPages: 1 });
    assert.equal((limited.body as unknown as ImportReport).pages, 1);
  });

  test("the admin endpoint refuses anonymous and non-admin callers and bad bodies", async () => {
    assert.equal((await post(undefined)).status, 401);
    const forbidden = await post(user);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.detail, "this token lacks the admin scope");
    const bad = await post(admin, { maxPages: 0 });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      (bad.body.errors as { name: string }[]).map((e) => e.name),
      ["maxPages"],
    );
    const [row] = await db.sql`select count(*)::int as n from jobs`;
    assert.equal(row?.n, 0);
  });

  test("LinkedIn failures and missing configuration are problems, without the token", async () => {
    const wrongToken = await startTestApp(db.sql, {
      LINKEDIN_BASE_URL: standIn.url,
      LINKEDIN_TOKEN: "expired",
    });
    const unconfigured = await startTestApp(db.sql);
    const tooLong = await startLinkedInStandIn({
      token: TOKEN,
      elements: feed(),
      rateLimitAt: [{ start: 0, retryAfter: "3600" }],
    });
    const patient = await startTestApp(db.sql, {
      LINKEDIN_BASE_URL: tooLong.url,
      LINKEDIN_TOKEN: TOKEN,
      LINKEDIN_MAX_RETRY_AFTER_MS: "5000",
    });
    try {
      const refused = await post(admin, undefined, wrongToken.url);
      assert.equal(refused.status, 502);
      assert.match(
        String(refused.body.detail),
        /^LinkedIn refused \/rest\/jobPostings\?q=criteria&start=0&count=50 with 401$/,
      );
      const missing = await post(admin, undefined, unconfigured.url);
      assert.equal(missing.status, 503);
      assert.equal(missing.body.detail, "set LINKEDIN_BASE_URL and LINKEDIN_TOKEN to import from LinkedIn");
      const waitTooLong = await post(admin, undefined, patient.url);
      assert.equal(waitTooLong.status, 502);
      assert.equal(
        waitTooLong.body.detail,
        "LinkedIn asked to wait 3600000 ms (Retry-After), more than LINKEDIN_MAX_RETRY_AFTER_MS",
      );
      assert.ok(!wrongToken.rawLogs().includes("expired"));
    } finally {
      await Promise.all([wrongToken.close(), unconfigured.close(), patient.close(), tooLong.close()]);
    }
  });

  test("the CLI imports and prints the report", async () => {
    const run = await runCli([], {
      DATABASE_URL: db.url,
      LINKEDIN_BASE_URL: standIn.url,
      LINKEDIN_TOKEN: TOKEN,
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ImportReport;
    assert.deepEqual([report.fetched, report.inserted, report.skipped], [35, 31, 4]);
    assert.ok(!run.stdout.includes(TOKEN) && !run.stderr.includes(TOKEN));
  });

  test("the CLI explains what is missing", async () => {
    const unset = await runCli([], { DATABASE_URL: db.url });
    assert.equal(unset.code, 3);
    assert.equal(unset.stderr.trim(), "set LINKEDIN_BASE_URL and LINKEDIN_TOKEN to import from LinkedIn");
    const badPages = await runCli(["--max-pages", "lots"], { DATABASE_URL: db.url });
    assert.equal(badPages.code, 3);
    assert.match(badPages.stderr, /^--max-pages must be a positive integer/);
  });
});

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LINKEDIN_")));
    const child = spawn("npm", ["exec", "--silent", "--", "tsx", "server/imports/linkedin/cli.ts", ...args], {
      env: { ...clean, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, "") }));
  });
}
