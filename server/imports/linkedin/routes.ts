import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { requireScope } from "../../auth/middleware.ts";
import { ADMIN_SCOPE } from "../../auth/principal.ts";
import type { LinkedInConfig } from "../../config/env.ts";
import type { Sql } from "../../db/pool.ts";
import type { PoolUsage } from "../../db/pool-usage.ts";
import { storableText } from "../../db/storable.ts";
import type { AppEnv } from "../../http/env.ts";
import { json, problem } from "../../http/openapi-responses.ts";
import { ProblemError } from "../../http/problem.ts";
import { createRouter } from "../../http/router.ts";
import { LinkedInError } from "./client.ts";
import { importLinkedIn } from "./import.ts";

const ImportBody = z
  .strictObject({
    keywords: storableText(z.string().trim().min(1).max(200)).optional(),
    maxPages: z.number().int().min(1).max(10_000).optional(),
  })
  .openapi("LinkedInImportRequest");

const ImportReportSchema = z
  .object({
    source: z.string(),
    pages: z.number().int(),
    fetched: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    skippedItems: z.array(
      z.object({ position: z.number().int(), externalId: z.string().optional(), reason: z.string() }),
    ),
  })
  .openapi("ImportReport");

const importRoute = createRoute({
  method: "post",
  path: "/admin/imports/linkedin",
  summary: "Import LinkedIn job postings (admin scope)",
  security: [{ bearer: [] }],
  request: { body: { required: false, content: { "application/json": { schema: ImportBody } } } },
  responses: {
    200: json("What the import did", ImportReportSchema),
    400: problem("Invalid body"),
    401: problem("Missing or unknown token"),
    403: problem("Token lacks the admin scope"),
    502: problem("LinkedIn failed"),
    503: problem("LinkedIn is not configured"),
  },
});

export function linkedInImportRoutes(deps: {
  sql: Sql;
  pool: PoolUsage;
  linkedin: LinkedInConfig;
  authenticate: MiddlewareHandler<AppEnv>;
  rateLimit: MiddlewareHandler<AppEnv>;
}) {
  const router = createRouter();
  router.use("/admin/*", deps.authenticate, deps.rateLimit, requireScope(ADMIN_SCOPE));
  return router.openapi(importRoute, async (c) => {
    const { baseUrl, token } = deps.linkedin;
    if (baseUrl === undefined || token === undefined) {
      throw new ProblemError({
        status: 503,
        title: "Import not configured",
        detail: "set LINKEDIN_BASE_URL and LINKEDIN_TOKEN to import from LinkedIn",
      });
    }
    const input = c.req.valid("json") ?? {};
    try {
      const report = await deps.pool.track(
        importLinkedIn(
          deps.sql,
          { ...deps.linkedin, baseUrl, token },
          { keywords: input.keywords, maxPages: input.maxPages ?? deps.linkedin.maxPages },
        ),
      );
      return c.json(report, 200);
    } catch (error) {
      if (error instanceof LinkedInError) {
        throw new ProblemError({ status: 502, title: "LinkedIn import failed", detail: error.message });
      }
      throw error;
    }
  });
}
