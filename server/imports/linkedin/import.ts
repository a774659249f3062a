import postgres from "postgres";
import type { Sql } from "../../db/pool.ts";
import type { JobInput } from "../../jobs/model.ts";
import { type UpsertCounts, upsertJobs } from "../../jobs/repository.ts";
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

interface PendingJob {
  position: number;
  job: JobInput;
}

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
  const skip = (item: SkippedItem) => {
    report.skipped++;
    if (report.skippedItems.length < SKIPPED_SHOWN) report.skippedItems.push(item);
  };
  for await (const page of linkedInPages(client, query)) {
    report.pages++;
    const pending: PendingJob[] = [];
    page.elements.forEach((raw, i) => {
      report.fetched++;
      const parsed = parsePosting(raw);
      if (parsed.ok) pending.push({ position: page.start + i, job: parsed.job });
      else skip({ position: page.start + i, externalId: parsed.externalId, reason: parsed.reason });
    });
    const counts = await writePage(sql, pending, skip);
    report.inserted += counts.inserted;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged;
  }
  return report;
}

/**
 * Writes a page in one statement. Should the database refuse a value the posting schema let through (a data
 * or constraint error, SQLSTATE classes 22 and 23), the page is written posting by posting instead, so only
 * the refused postings are skipped. Other failures (connection lost) end the import.
 */
async function writePage(
  sql: Sql,
  pending: PendingJob[],
  skip: (item: SkippedItem) => void,
): Promise<UpsertCounts> {
  try {
    return await upsertJobs(
      sql,
      pending.map((p) => p.job),
    );
  } catch (error) {
    if (!isRefusedValue(error)) throw error;
  }
  const total: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const { position, job } of pending) {
    try {
      const counts = await upsertJobs(sql, [job]);
      total.inserted += counts.inserted;
      total.updated += counts.updated;
      total.unchanged += counts.unchanged;
    } catch (error) {
      if (!isRefusedValue(error)) throw error;
      skip({ position, externalId: job.externalId, reason: `the database refused it: ${error.message}` });
    }
  }
  return total;
}

function isRefusedValue(error: unknown): error is postgres.PostgresError {
  return error instanceof postgres.PostgresError && /^2[23]/.test(error.code);
}
