import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { applicationRoutes } from "./applications/routes.ts";
import { AuthFailureLimit } from "./auth/failure-limit.ts";
import { authenticate } from "./auth/middleware.ts";
import type { Config } from "./config/env.ts";
import type { Sql } from "./db/pool.ts";
import type { PoolUsage } from "./db/pool-usage.ts";
import type { AppEnv } from "./http/env.ts";
import { notFound, onError } from "./http/errors.ts";
import type { Logger } from "./http/logger.ts";
import { observe } from "./http/observe.ts";
import { problemResponse } from "./http/problem.ts";
import { rateLimitPerToken } from "./http/rate-limit.ts";
import { linkedInImportRoutes } from "./imports/linkedin/routes.ts";
import { jobRoutes } from "./jobs/routes.ts";
import type { Metrics } from "./ops/metrics.ts";
import type { Readiness } from "./ops/readiness.ts";
import { opsRoutes } from "./ops/routes.ts";

export interface AppDeps {
  config: Pick<
    Config,
    | "corsOrigins"
    | "bodyLimitBytes"
    | "rateLimitPerMinute"
    | "authFailuresPerMinute"
    | "trustProxyHops"
    | "linkedin"
  >;
  sql: Sql;
  pool: PoolUsage;
  metrics: Metrics;
  readiness: Readiness;
  logger: Logger;
  /** The newest migration this build ships; /readyz waits for the database to have it. */
  latestMigration: string;
}

/** The whole HTTP API, built from its dependencies (nothing listens here). */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { config, sql, pool } = deps;
  const app = new OpenAPIHono<AppEnv>();
  app.use(observe(deps.metrics, deps.logger));
  // The fixed security headers are written by the HTTP server (http/serve.ts), for every response.
  if (config.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: config.corsOrigins,
        allowMethods: ["GET", "POST", "PATCH"],
        allowHeaders: ["authorization", "content-type", "x-request-id"],
        exposeHeaders: ["x-request-id", "location", "retry-after"],
        maxAge: 600,
      }),
    );
  }
  // Only requests that may carry a body: checking one makes the adapter build a full Request object.
  app.on(
    ["POST", "PUT", "PATCH", "DELETE"],
    "*",
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: (c) =>
        problemResponse(
          {
            status: 413,
            title: "Payload too large",
            detail: `the body may be at most ${config.bodyLimitBytes} bytes`,
          },
          c.req.path,
        ),
    }),
  );
  const rateLimit = rateLimitPerToken(config.rateLimitPerMinute);
  // One count of failed lookups per address, whichever authenticated route they hit.
  const auth = authenticate(sql, new AuthFailureLimit(config.authFailuresPerMinute, config.trustProxyHops));
  app.route("/", opsRoutes(deps));
  app.route("/", jobRoutes({ sql, pool }));
  app.route("/", applicationRoutes({ sql, pool, authenticate: auth, rateLimit }));
  app.route(
    "/",
    linkedInImportRoutes({ sql, pool, linkedin: config.linkedin, authenticate: auth, rateLimit }),
  );
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc("/openapi.json", {
    openapi: "3.0.3",
    info: { title: "CloudJobHunt API", version: "1.0.0" },
  });
  app.notFound(notFound(() => app.routes));
  app.onError(onError(deps.logger));
  return app;
}
