import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env.ts";
import type { Logger } from "./logger.ts";
import { ProblemError, problemResponse } from "./problem.ts";

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(
    { status: 404, title: "Not found", detail: `no route for ${c.req.method} ${c.req.path}` },
    c.req.path,
  );

/** Every failure leaves as a problem document; unexpected ones are logged with the request id, never sent. */
export function onError(logger: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    if (error instanceof ProblemError) return problemResponse(error.problem, c.req.path);
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(
        { status: error.status, title: "Bad request", detail: error.message },
        c.req.path,
      );
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
