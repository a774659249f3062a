import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { loadConfig } from "../../config/env.ts";
import { hostileJson, hostileNumber, hostileString, PROPERTY_RUNS } from "../../testing/hostile.ts";
import {
  type LinkedInStandIn,
  linkedInPosting,
  startLinkedInStandIn,
} from "../../testing/linkedin-stand-in.ts";
import { startTestDatabase, type TestDatabase } from "../../testing/postgres.ts";
import { importLinkedIn } from "./import.ts";
import { LINKEDIN_SOURCE, parsePosting } from "./posting.ts";

const TOKEN = "li-hostile-token";

/** A posting with some fields replaced by hostile values (or removed), or not a posting at all. */
function hostilePosting(n: number): fc.Arbitrary<unknown> {
  const anyValue = fc.oneof(hostileString, hostileNumber, fc.constant(null), fc.jsonValue());
  const amount = fc.oneof(
    hostileString,
    fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String),
    fc.constantFrom("2147483647", "2147483647.4", "2147483647.5", "1e9", "9".repeat(400)),
  );
  const compensation = fc.record({
    compensations: fc.array(
      fc.record({
        value: fc.record({
          min: fc.record({ amount, currencyCode: fc.oneof(fc.constant("EUR"), hostileString) }),
          max: fc.record({ amount, currencyCode: fc.oneof(fc.constant("EUR"), hostileString) }),
        }),
        payPeriod: fc.constant("YEARLY"),
      }),
      { maxLength: 2 },
    ),
  });
  const overrides = fc.record(
    {
      id: fc.oneof(
        hostileString,
        fc.bigInt({ min: 0n, max: 10n ** 30n }).map((v) => `urn:li:jobPosting:${v}`),
      ),
      title: hostileString,
      companyName: hostileString,
      location: hostileString,
      skills: fc.array(hostileString, { maxLength: 4 }),
      description: fc.record({ text: hostileString }),
      jobPostingUrl: fc.oneof(
        hostileString,
        hostileString.map((s) => `https://example.test/${s}`),
      ),
      listedAt: fc.oneof(hostileNumber, fc.integer({ min: 0, max: 2 ** 53 })),
      compensation,
      workplaceTypes: anyValue,
      experienceLevel: anyValue,
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: overrides.map((o) => linkedInPosting(n, o)) },
    { weight: 1, arbitrary: hostileJson(Object.keys(linkedInPosting(0))) },
  );
}

describe("the LinkedIn import under hostile postings (property-based)", () => {
  let db: TestDatabase;
  let standIn: LinkedInStandIn;
  const elements: unknown[] = [];
  before(async () => {
    db = await startTestDatabase();
    standIn = await startLinkedInStandIn({ token: TOKEN, elements });
  });
  after(async () => {
    await standIn.close();
    await db.stop();
  });

  test("writes exactly the postings the schema accepts, skips the others with a reason, never fails", async () => {
    const client = { ...loadConfig({}).linkedin, baseUrl: standIn.url, token: TOKEN, pageSize: 4 };
    const page = fc
      .array(fc.nat(), { minLength: 1, maxLength: 8 })
      .chain((seeds) => fc.tuple(...seeds.map((_, i) => hostilePosting(i))));
    await fc.assert(
      fc.asyncProperty(page, async (postings) => {
        await db.sql`delete from jobs`;
        elements.splice(0, elements.length, ...postings);
        const report = await importLinkedIn(db.sql, client, { maxPages: 10 });
        const accepted = new Map<string, true>();
        for (const raw of postings) {
          const parsed = parsePosting(raw);
          if (parsed.ok) accepted.set(parsed.job.externalId, true);
        }
        const refused = postings.length - postings.filter((raw) => parsePosting(raw).ok).length;
        assert.equal(report.fetched, postings.length);
        assert.equal(report.skipped, refused, JSON.stringify(report.skippedItems));
        assert.ok(report.skippedItems.every((s) => s.reason.length > 0));
        // Nothing the schema let through was refused by the database: the schema knows its limits.
        assert.ok(
          report.skippedItems.every((s) => !s.reason.startsWith("the database refused")),
          JSON.stringify(report.skippedItems),
        );
        const rows = await db.sql<{ externalId: string }[]>`
          select external_id as "externalId" from jobs where source = ${LINKEDIN_SOURCE}`;
        assert.deepEqual(rows.map((r) => r.externalId).sort(), [...accepted.keys()].sort());
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
