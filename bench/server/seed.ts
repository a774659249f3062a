import postgres from "postgres";
import { type GeneratedPosting, generatePostings } from "./postings.ts";

/** Bumped whenever the generator or the seeding changes, so a cached data folder is not reused wrongly. */
export const seedVersion = 1;
export const seedNumber = 20261124;

const batchSize = 1_000;

function toRow(posting: GeneratedPosting) {
  return {
    source: posting.source,
    external_id: posting.externalId,
    title: posting.title,
    company: posting.company,
    location: posting.location,
    remote: posting.remote,
    seniority: posting.seniority,
    skills: posting.skills,
    salary_min: posting.salaryMin,
    salary_max: posting.salaryMax,
    salary_currency: "EUR",
    description: posting.description,
    source_url: posting.sourceUrl,
    posted_at: posting.postedAt,
  };
}

/** Inserts `count` generated postings in multi-row batches, then refreshes the planner's statistics. */
export async function seedPostings(url: string, count: number): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    let batch: ReturnType<typeof toRow>[] = [];
    for (const posting of generatePostings(count, seedNumber)) {
      batch.push(toRow(posting));
      if (batch.length === batchSize) {
        await sql`insert into jobs ${sql(batch)}`;
        batch = [];
      }
    }
    if (batch.length > 0) await sql`insert into jobs ${sql(batch)}`;
    await sql`vacuum analyze jobs`;
  } finally {
    await sql.end();
  }
}
