import type { Sql } from "../db/pool.ts";
import type { JobInput } from "../jobs/model.ts";
import { upsertJobs } from "../jobs/repository.ts";

/** A posting with every field set; override what a test cares about. */
export function job(overrides: Partial<JobInput> & { externalId: string }): JobInput {
  return {
    source: "test",
    title: "Platform Engineer",
    company: "Contoso",
    location: "Paris, France",
    remote: false,
    seniority: "mid",
    skills: ["kubernetes", "terraform"],
    salaryMin: 50_000,
    salaryMax: 70_000,
    salaryCurrency: "EUR",
    description: "Run our clusters.",
    sourceUrl: "https://jobs.example.test/1",
    postedAt: new Date("2026-11-01T10:00:00.000Z"),
    ...overrides,
  };
}

export async function insertJobs(sql: Sql, jobs: JobInput[]): Promise<number[]> {
  await upsertJobs(sql, jobs);
  const ids: number[] = [];
  for (const j of jobs) {
    const [row] = await sql<{ id: number }[]>`
      select id from jobs where source = ${j.source} and external_id = ${j.externalId}`;
    if (row) ids.push(row.id);
  }
  return ids;
}
