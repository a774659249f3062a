import type { Sql } from "../../db/pool.ts";
import type { JobInput } from "../../jobs/model.ts";
import { upsertJobs } from "../../jobs/repository.ts";
import { type LinkedInClientOptions, linkedInPages, type PageQuery } from "./client.ts";
import { LINKEDIN_SOURCE, parsePosting } from "./posting.ts";

export interface SkippedItem {
  position: number;
  externalId: string | undefined;
  reason: string;
}

export interface ImportReport {
  source: string;
  pages: number;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** The first skipped items, with the reason; `skipped` counts them all. */
  skippedItems: SkippedItem[];
}

const SKIPPED_SHOWN = 50;

/** Imports every page of the feed; each page is written in one statement, malformed items are left out. */
export async function importLinkedIn(
  sql: Sql,
  client: LinkedInClientOptions,
  query: PageQuery,
): Promise<ImportReport> {
  const report: ImportReport = {
    source: LINKEDIN_SOURCE,
    pages: 0,
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    skippedItems: [],
  };
  for await (const page of linkedInPages(client, query)) {
    report.pages++;
    const jobs: JobInput[] = [];
    page.elements.forEach((raw, i) => {
      report.fetched++;
      const parsed = parsePosting(raw);
      if (parsed.ok) {
        jobs.push(parsed.job);
        return;
      }
      report.skipped++;
      if (report.skippedItems.length < SKIPPED_SHOWN) {
        report.skippedItems.push({
          position: page.start + i,
          externalId: parsed.externalId,
          reason: parsed.reason,
        });
      }
    });
    const counts = await upsertJobs(sql, jobs);
    report.inserted += counts.inserted;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged;
  }
  return report;
}
