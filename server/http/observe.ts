import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Metrics } from "../ops/metrics.ts";
import type { AppEnv } from "./env.ts";
import type { Logger } from "./logger.ts";

// A caller's id is kept when it is short and made of word characters, '-' and '=' (as Hono's requestId).
const SANE_REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * Gives every request an id (the caller's x-request-id when sane), times it, counts it by route template
 * and logs one line with the id. The id header is written on the node response, as the security headers
 * are (serve.ts): a header set through Hono before the handler runs makes every response build a Headers
 * object and convert it back, which costs more than the rest of a /healthz answer's headers.
 */
export function observe(metrics: Metrics, logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const given = c.env.incoming.headers["x-request-id"];
    const reqId = typeof given === "string" && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    c.set("requestId", reqId);
    c.env.outgoing.setHeader("x-request-id", reqId);
    metrics.inFlight++;
    try {
      await next();
    } finally {
      metrics.inFlight--;
      const ms = performance.now() - started;
      const route = routePath(c, -1);
      const status = c.res.status;
      metrics.observe(c.req.method, route, status, ms / 1000);
      logger.info({ reqId, method: c.req.method, route, status, ms: Math.round(ms * 10) / 10 });
    }
  };
}
