import { Hono } from "hono";
import type { ConnectionConfig } from "../config/env.ts";
import type { AppEnv } from "../http/env.ts";
import { type Listening, listen } from "../http/serve.ts";
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

/** A scraper needs one or two connections; a handful more for a person with curl. */
const METRICS_MAX_CONNECTIONS = 16;

/** Serves the metrics app on its port, with the API's timeouts and a small connection cap. */
export function listenForScrapes(
  metrics: Metrics,
  port: number,
  hostname: string,
  connections: ConnectionConfig,
): Promise<Listening> {
  return listen(metricsApp(metrics), port, hostname, {
    ...connections,
    maxConnections: METRICS_MAX_CONNECTIONS,
  });
}
