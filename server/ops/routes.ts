import { Hono } from "hono";
import { appliedVersion } from "../db/migrate.ts";
import type { Sql } from "../db/pool.ts";
import type { AppEnv } from "../http/env.ts";
import { problemResponse } from "../http/problem.ts";
import type { Readiness } from "./readiness.ts";

const ALIVE = JSON.stringify({ status: "ok" });

/** Probes, outside the OpenAPI document and without authentication (metrics have their own port). */
export function opsRoutes(deps: { sql: Sql; readiness: Readiness; latestMigration: string }) {
  return new Hono<AppEnv>()
    .get("/healthz", (c) => c.body(ALIVE, 200, { "content-type": "application/json" }))
    .get("/readyz", async (c) => {
      if (deps.readiness.shuttingDown) {
        return problemResponse({ status: 503, title: "Not ready", detail: "shutting down" });
      }
      const version = await appliedVersion(deps.sql).catch(() => null);
      if (version === null) {
        return problemResponse({ status: 503, title: "Not ready", detail: "database unreachable" });
      }
      if (version !== deps.latestMigration) {
        return problemResponse({
          status: 503,
          title: "Not ready",
          detail: `database schema at ${version ?? "none"}, this build needs ${deps.latestMigration}`,
        });
      }
      return c.json({ status: "ready", schema: version });
    });
}
