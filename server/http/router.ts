import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";
import { problemResponse, validationProblem } from "./problem.ts";

/** A router whose request schemas answer a bad input with a 400 problem document naming each field. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problemResponse(validationProblem(result.error, result.target), c.req.path);
    },
  });
}
