import { createSql } from "../../server/db/pool.ts";
import { decodeCursor } from "../../server/jobs/cursor.ts";
import { SENIORITIES } from "../../server/jobs/model.ts";
import { type JobSearchFilters, type JobSearchPage, searchJobs } from "../../server/jobs/search.ts";

export interface DirectSearch {
  search(query: Readonly<Record<string, string>>): Promise<JobSearchPage>;
  close(): Promise<void>;
}

/** The benchmark's query-string parameters as the filters GET /jobs passes to searchJobs. */
export function toFilters(query: Readonly<Record<string, string>>): JobSearchFilters {
  return {
    q: query.q,
    location: query.location,
    remote: query.remote === undefined ? undefined : query.remote === "true",
    seniority: SENIORITIES.find((seniority) => seniority === query.seniority),
    skill: query.skill?.toLowerCase(),
    postedSince: query.postedSince === undefined ? undefined : new Date(query.postedSince),
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    limit: 20,
  };
}

/** The API's own search function on a pool made the way the API makes its pool, with the same size. */
export function openDirectSearch(url: string, poolMax: number): DirectSearch {
  const sql = createSql({ kind: "url", url }, { max: poolMax, applicationName: "bench-direct-search" });
  return {
    search: (query) => searchJobs(sql, toFilters(query)),
    close: () => sql.end(),
  };
}
