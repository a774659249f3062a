import type { Sql } from "../db/pool.ts";
import type { JobInput, JobRow } from "./model.ts";

export async function findJob(sql: Sql, id: number): Promise<JobRow | undefined> {
  const [row] = await sql<JobRow[]>`
    select id, title, company, location, remote, seniority, skills,
      salary_min as "salaryMin", salary_max as "salaryMax", salary_currency as "salaryCurrency",
      source_url as "sourceUrl", posted_at as "postedAt", description, source, external_id as "externalId"
    from jobs where id = ${id}`;
  return row;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Writes a batch in one statement, keyed on (source, external_id): concurrent imports of the same feed
 * converge on one row per posting. Rows go in key order so two batches never lock in opposite orders.
 */
export async function upsertJobs(sql: Sql, jobs: JobInput[]): Promise<UpsertCounts> {
  const byKey = new Map(jobs.map((j) => [`${j.source}\u0000${j.externalId}`, j]));
  const batch = [...byKey.values()].sort((a, b) =>
    a.source === b.source ? compare(a.externalId, b.externalId) : compare(a.source, b.source),
  );
  if (batch.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const rows = batch.map((j) => ({
    source: j.source,
    external_id: j.externalId,
    title: j.title,
    company: j.company,
    location: j.location,
    remote: j.remote,
    seniority: j.seniority,
    skills: sql.array(j.skills),
    salary_min: j.salaryMin,
    salary_max: j.salaryMax,
    salary_currency: j.salaryCurrency,
    description: j.description,
    source_url: j.sourceUrl,
    posted_at: j.postedAt,
  }));
  const written = await sql<{ inserted: boolean }[]>`
    insert into jobs ${sql(rows)}
    on conflict (source, external_id) do update set
      title = excluded.title, company = excluded.company, location = excluded.location,
      remote = excluded.remote, seniority = excluded.seniority, skills = excluded.skills,
      salary_min = excluded.salary_min, salary_max = excluded.salary_max,
      salary_currency = excluded.salary_currency, description = excluded.description,
      source_url = excluded.source_url, posted_at = excluded.posted_at, updated_at = now()
    where (jobs.title, jobs.company, jobs.location, jobs.remote, jobs.seniority, jobs.skills, jobs.salary_min,
        jobs.salary_max, jobs.salary_currency, jobs.description, jobs.source_url, jobs.posted_at)
      is distinct from (excluded.title, excluded.company, excluded.location, excluded.remote, excluded.seniority,
        excluded.skills, excluded.salary_min, excluded.salary_max, excluded.salary_currency, excluded.description,
        excluded.source_url, excluded.posted_at)
    returning (xmax = 0) as inserted`;
  const inserted = written.filter((r) => r.inserted).length;
  const updated = written.length - inserted;
  return { inserted, updated, unchanged: batch.length - written.length };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
