import type { Sql } from "../db/pool.ts";
import { encodeCursor, type JobCursor } from "./cursor.ts";
import type { JobSummaryRow, Seniority } from "./model.ts";

export interface JobSearchFilters {
  /** Full-text query in web-search syntax ("kubernetes -java", quoted phrases, or). */
  q?: string | undefined;
  /** Case-insensitive substring of the location. */
  location?: string | undefined;
  remote?: boolean | undefined;
  seniority?: Seniority | undefined;
  /** One skill, lower case; postings are stored with lower-case skills. */
  skill?: string | undefined;
  postedSince?: Date | undefined;
  after?: JobCursor | undefined;
  limit: number;
}

export interface JobSearchPage {
  items: JobSummaryRow[];
  nextCursor: string | null;
}

/**
 * The search SQL, shared by GET /jobs and the benchmark. Keyset order (posted_at desc, id desc) walks
 * jobs_posted_idx and stays stable while rows are inserted; the text match uses the GIN index.
 */
export async function searchJobs(sql: Sql, f: JobSearchFilters): Promise<JobSearchPage> {
  const rows = await sql<JobSummaryRow[]>`
    select id, title, company, location, remote, seniority, skills,
      salary_min as "salaryMin", salary_max as "salaryMax", salary_currency as "salaryCurrency",
      source_url as "sourceUrl", posted_at as "postedAt"
    from jobs
    where true
      ${f.q === undefined ? sql`` : sql`and search @@ websearch_to_tsquery('english', ${f.q})`}
      ${f.location === undefined ? sql`` : sql`and location ilike ${`%${escapeLike(f.location)}%`}`}
      ${f.remote === undefined ? sql`` : sql`and remote = ${f.remote}`}
      ${f.seniority === undefined ? sql`` : sql`and seniority = ${f.seniority}`}
      ${f.skill === undefined ? sql`` : sql`and skills @> array[${f.skill}]::text[]`}
      ${f.postedSince === undefined ? sql`` : sql`and posted_at >= ${f.postedSince}`}
      ${f.after === undefined ? sql`` : sql`and (posted_at, id) < (${f.after.postedAt}, ${f.after.id})`}
    order by posted_at desc, id desc
    limit ${f.limit + 1}`;
  const more = rows.length > f.limit;
  const items = more ? rows.slice(0, f.limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor({ postedAt: last.postedAt, id: last.id }) : null };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
