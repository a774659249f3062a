import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { MinuteWindows } from "./minute-windows.ts";
import { ProblemError } from "./problem.ts";

/** Fixed one-minute windows per token (per replica). Runs after authentication; 0 turns it off. */
export function rateLimitPerToken(
  perMinute: number,
  now: () => number = Date.now,
): MiddlewareHandler<AppEnv> {
  const windows = new MinuteWindows<number>(now);
  return async (c, next) => {
    if (perMinute === 0) return next();
    const w = windows.current(c.get("principal").tokenId);
    w.count++;
    if (w.count > perMinute) {
      throw new ProblemError({
        status: 429,
        title: "Too many requests",
        detail: `this token may make ${perMinute} requests a minute`,
        headers: {
          "retry-after": String(windows.secondsLeft(w)),
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
