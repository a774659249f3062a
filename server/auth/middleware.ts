import type { MiddlewareHandler } from "hono";
import type { Sql } from "../db/pool.ts";
import type { AppEnv } from "../http/env.ts";
import { ProblemError } from "../http/problem.ts";
import type { AuthFailureLimit } from "./failure-limit.ts";
import { findPrincipal } from "./tokens.ts";

// The scheme name is case-insensitive and followed by one or more spaces (RFC 9110 11.1, 11.4; RFC 6750 2.1).
const BEARER = /^Bearer +([A-Za-z0-9_\-.~+/]+=*) *$/i;
const CHALLENGE = { "www-authenticate": 'Bearer realm="cloudjobhunt"' };

/**
 * Requires a valid bearer token and puts its principal on the context. An address that sent too many
 * unknown tokens is refused before its next token is looked up.
 */
export function authenticate(sql: Sql, failures: AuthFailureLimit): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      throw new ProblemError({
        status: 401,
        title: "Unauthorized",
        detail: "send Authorization: Bearer <token>",
        headers: CHALLENGE,
      });
    }
    failures.refuseIfExhausted(c);
    const principal = await findPrincipal(sql, token);
    if (!principal) {
      failures.recordFailure(c);
      throw new ProblemError({
        status: 401,
        title: "Unauthorized",
        detail: "the bearer token is unknown or revoked",
        headers: CHALLENGE,
      });
    }
    c.set("principal", principal);
    await next();
  };
}

export function requireScope(scope: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("principal").scopes.includes(scope)) {
      throw new ProblemError({
        status: 403,
        title: "Forbidden",
        detail: `this token lacks the ${scope} scope`,
      });
    }
    await next();
  };
}
