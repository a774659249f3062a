import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { Metrics } from "./metrics.ts";

/**
 * The Prometheus endpoint, served on its own port (METRICS_PORT): the Service exposes that port inside the
 * cluster for the scraper, and the Ingress only routes the API's port, so the figures (runtime versions,
 * heap, file limits, pool) never reach the public path.
 */
export function metricsApp(metrics: Metrics): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get("/metrics", async (c) =>
      c.body(await metrics.render(), 200, { "content-type": metrics.registry.contentType }),
    )
    .notFound((c) => c.text("only GET /metrics is served on this port\n", 404));
}
