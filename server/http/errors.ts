import { STATUS_CODES } from "node:http";
import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { RouterRoute } from "hono/types";
import { allowedMethods } from "./allowed-methods.ts";
import type { AppEnv } from "./env.ts";
import type { Logger } from "./logger.ts";
import { ProblemError, type ProblemInit, problemResponse } from "./problem.ts";

/**
 * A path no route has is a 404; a path whose routes take other methods is a 405 naming them in Allow.
 * routes: the app's, read when a request comes (all are registered by then).
 */
export function notFound(routes: () => readonly RouterRoute[]): NotFoundHandler<AppEnv> {
  return (c) => {
    const allowed = allowedMethods(routes(), c.req.path);
    if (allowed.length > 0) {
      return problemResponse(
        {
          status: 405,
          title: "Method not allowed",
          detail: `${c.req.path} answers ${allowed.join(", ")}, not ${c.req.method}`,
          headers: { allow: allowed.join(", ") },
        },
        c.req.path,
      );
    }
    return problemResponse(
      { status: 404, title: "Not found", detail: `no route for ${c.req.method} ${c.req.path}` },
      c.req.path,
    );
  };
}

/** What the HTTP exceptions Hono's validators throw become: problem documents naming what was wrong. */
function fromHttpException(error: HTTPException): ProblemInit {
  if (error.status === 415) {
    return {
      status: 415,
      title: "Unsupported media type",
      detail: "content-type: must be application/json",
      fields: [{ name: "content-type", in: "header", message: "must be application/json" }],
    };
  }
  if (error.message === "Malformed JSON in request body") {
    return {
      status: 400,
      title: "Invalid request",
      detail: "body: is not valid JSON",
      fields: [{ name: "body", in: "body", message: "is not valid JSON" }],
    };
  }
  return { status: error.status, title: STATUS_CODES[error.status] ?? "Bad request", detail: error.message };
}

/** Every failure leaves as a problem document; unexpected ones are logged with the request id, never sent. */
export function onError(logger: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    if (error instanceof ProblemError) return problemResponse(error.problem, c.req.path);
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(fromHttpException(error), c.req.path);
    }
    logger.error({ reqId: c.get("requestId"), err: error }, "unhandled error");
    return problemResponse(
      {
        status: 500,
        title: "Internal server error",
        detail: `see the logs for request ${c.get("requestId")}`,
      },
      c.req.path,
    );
  };
}
