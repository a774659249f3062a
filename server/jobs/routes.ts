import { createRoute, z } from "@hono/zod-openapi";
import type { Sql } from "../db/pool.ts";
import type { PoolUsage } from "../db/pool-usage.ts";
import { isStorableTime, storableText } from "../db/storable.ts";
import { json, problem } from "../http/openapi-responses.ts";
import { ProblemError } from "../http/problem.ts";
import { createRouter } from "../http/router.ts";
import { decodeCursor } from "./cursor.ts";
import { JobPageSchema, JobSchema, SENIORITIES } from "./model.ts";
import { findJob } from "./repository.ts";
import { searchJobs } from "./search.ts";

const POSTED_SINCE_FORMATS = [z.iso.date(), z.iso.datetime({ offset: true })];

const SearchQuery = z.object({
  q: storableText(z.string().trim().min(1).max(200))
    .optional()
    .openapi({ description: "Full-text query (web-search syntax)" }),
  location: storableText(z.string().trim().min(1).max(100)).optional(),
  remote: z.enum(["true", "false"]).optional(),
  seniority: z.enum(SENIORITIES).optional(),
  skill: storableText(z.string().trim().min(1).max(50)).optional(),
  postedSince: z
    .string()
    .refine(
      (v) => POSTED_SINCE_FORMATS.some((f) => f.safeParse(v).success) && isStorableTime(Date.parse(v)),
      "must be a date (2026-11-01) or a date-time with an offset (2026-11-01T09:30:00Z), in years 1 to 9999",
    )
    .optional()
    .openapi({ description: "Postings from this date or date-time on" }),
  cursor: z.string().max(64).optional(),
  limit: z
    .string()
    .refine(
      (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 100,
      "must be an integer from 1 to 100",
    )
    .optional()
    .openapi({ description: "1 to 100, default 20" }),
});

const IdParam = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, "must be a positive integer")
    .openapi({ param: { name: "id", in: "path" } }),
});

const searchRoute = createRoute({
  method: "get",
  path: "/jobs",
  summary: "Search job postings, newest first",
  request: { query: SearchQuery },
  responses: { 200: json("A page of postings", JobPageSchema), 400: problem("Invalid query") },
});

const getRoute = createRoute({
  method: "get",
  path: "/jobs/{id}",
  summary: "One job posting",
  request: { params: IdParam },
  responses: { 200: json("The posting", JobSchema), 404: problem("No such posting") },
});

export function jobRoutes(deps: { sql: Sql; pool: PoolUsage }) {
  return createRouter()
    .openapi(searchRoute, async (c) => {
      const query = c.req.valid("query");
      const limit = query.limit === undefined ? 20 : Number(query.limit);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      if (query.cursor !== undefined && after === undefined) {
        throw badQuery("cursor", "is not a cursor this API issued");
      }
      const page = await deps.pool.track(
        searchJobs(deps.sql, {
          q: query.q,
          location: query.location,
          remote: query.remote === undefined ? undefined : query.remote === "true",
          seniority: query.seniority,
          skill: query.skill?.toLowerCase(),
          postedSince: query.postedSince === undefined ? undefined : new Date(query.postedSince),
          after,
          limit,
        }),
      );
      return c.json(page as unknown as z.infer<typeof JobPageSchema>, 200);
    })
    .openapi(getRoute, async (c) => {
      const id = Number(c.req.valid("param").id);
      const job = await deps.pool.track(findJob(deps.sql, id));
      if (!job) throw new ProblemError({ status: 404, title: "Not found", detail: `no job with id ${id}` });
      return c.json(job as unknown as z.infer<typeof JobSchema>, 200);
    });
}

function badQuery(name: string, message: string): ProblemError {
  return new ProblemError({
    status: 400,
    title: "Invalid request",
    detail: `${name}: ${message}`,
    fields: [{ name, in: "query", message }],
  });
}
