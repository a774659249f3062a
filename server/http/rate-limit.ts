import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { ProblemError } from "./problem.ts";

interface Window {
  startedAt: number;
  count: number;
}

/**
 * Fixed one-minute windows per token (per replica). Runs after authentication; 0 turns it off.
 * Old windows are swept once a minute so the map only holds tokens seen recently.
 */
export function rateLimitPerToken(
  perMinute: number,
  now: () => number = Date.now,
): MiddlewareHandler<AppEnv> {
  const windows = new Map<number, Window>();
  let sweptAt = now();
  return async (c, next) => {
    if (perMinute === 0) return next();
    const t = now();
    if (t - sweptAt >= 60_000) {
      for (const [key, w] of windows) if (t - w.startedAt >= 60_000) windows.delete(key);
      sweptAt = t;
    }
    const key = c.get("principal").tokenId;
    let w = windows.get(key);
    if (!w || t - w.startedAt >= 60_000) {
      w = { startedAt: t, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    const resetSeconds = Math.ceil((w.startedAt + 60_000 - t) / 1000);
    if (w.count > perMinute) {
      throw new ProblemError({
        status: 429,
        title: "Too many requests",
        detail: `this token may make ${perMinute} requests a minute`,
        headers: {
          "retry-after": String(resetSeconds),
          "ratelimit-limit": String(perMinute),
          "ratelimit-remaining": "0",
        },
      });
    }
    await next();
    c.header("ratelimit-limit", String(perMinute));
    c.header("ratelimit-remaining", String(perMinute - w.count));
  };
}
