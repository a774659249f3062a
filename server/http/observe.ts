import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Metrics } from "../ops/metrics.ts";
import type { AppEnv } from "./env.ts";
import type { Logger } from "./logger.ts";

/** Times every request, counts it by route template and logs one line with the request id. */
export function observe(metrics: Metrics, logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    metrics.inFlight++;
    try {
      await next();
    } finally {
      metrics.inFlight--;
      const ms = performance.now() - started;
      const route = routePath(c, -1);
      const status = c.res.status;
      metrics.observe(c.req.method, route, status, ms / 1000);
      logger.info({
        reqId: c.get("requestId"),
        method: c.req.method,
        route,
        status,
        ms: Math.round(ms * 10) / 10,
      });
    }
  };
}
