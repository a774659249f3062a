import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Sql } from "../db/pool.ts";
import type { PoolUsage } from "../db/pool-usage.ts";
import type { AppEnv } from "../http/env.ts";
import { json, problem } from "../http/openapi-responses.ts";
import { createRouter } from "../http/router.ts";
import {
  ApplicationDetailSchema,
  ApplicationListSchema,
  ChangeStatusBody,
  CreateApplicationBody,
  UpdateApplicationBody,
} from "./model.ts";
import {
  changeStatus,
  createApplication,
  getApplication,
  listApplications,
  updateNotes,
} from "./repository.ts";

const IdParam = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, "must be a positive integer")
    .openapi({ param: { name: "id", in: "path" } }),
});
const security = [{ bearer: [] }];
const denied = { 401: problem("Missing or unknown token"), 429: problem("Rate limit reached") };
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

const listRoute = createRoute({
  method: "get",
  path: "/applications",
  summary: "The caller's tracked applications, most recently changed first",
  security,
  responses: { 200: json("Applications", ApplicationListSchema), ...denied },
});
const createAppRoute = createRoute({
  method: "post",
  path: "/applications",
  summary: "Start tracking an application to a job",
  security,
  request: body(CreateApplicationBody),
  responses: {
    201: json("Created", ApplicationDetailSchema),
    400: problem("Invalid body"),
    409: problem("Already tracked"),
    422: problem("No such job"),
    ...denied,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/applications/{id}",
  summary: "One application with its status history",
  security,
  request: { params: IdParam },
  responses: { 200: json("The application", ApplicationDetailSchema), 404: problem("Not found"), ...denied },
});
const patchRoute = createRoute({
  method: "patch",
  path: "/applications/{id}",
  summary: "Edit an application's notes",
  security,
  request: { params: IdParam, ...body(UpdateApplicationBody) },
  responses: {
    200: json("Updated", ApplicationDetailSchema),
    400: problem("Invalid body"),
    404: problem("Not found"),
    ...denied,
  },
});
const statusRoute = createRoute({
  method: "post",
  path: "/applications/{id}/status",
  summary: "Move an application to another status",
  security,
  request: { params: IdParam, ...body(ChangeStatusBody) },
  responses: {
    200: json("Changed", ApplicationDetailSchema),
    400: problem("Invalid body"),
    404: problem("Not found"),
    409: problem("Transition not allowed, or expectedVersion is stale"),
    ...denied,
  },
});

type Detail = z.infer<typeof ApplicationDetailSchema>;

export function applicationRoutes(deps: {
  sql: Sql;
  pool: PoolUsage;
  authenticate: MiddlewareHandler<AppEnv>;
  rateLimit: MiddlewareHandler<AppEnv>;
}) {
  const { sql, pool } = deps;
  const router = createRouter();
  // "/applications/*" also matches "/applications" itself.
  router.use("/applications/*", deps.authenticate, deps.rateLimit);
  // Dates leave as ISO strings through JSON serialisation, which is what the schemas describe.
  const out = (row: object) => row as Detail;
  return router
    .openapi(listRoute, async (c) => {
      const items = await pool.track(listApplications(sql, c.get("principal").userId));
      return c.json({ items: items.map(out) }, 200);
    })
    .openapi(createAppRoute, async (c) => {
      const input = c.req.valid("json");
      const created = await pool.track(
        createApplication(sql, c.get("principal").userId, {
          jobId: input.jobId,
          status: input.status ?? "saved",
          notes: input.notes ?? "",
        }),
      );
      c.header("location", `/applications/${created.id}`);
      return c.json(out(created), 201);
    })
    .openapi(getRoute, async (c) => {
      const id = Number(c.req.valid("param").id);
      return c.json(out(await pool.track(getApplication(sql, c.get("principal").userId, id))), 200);
    })
    .openapi(patchRoute, async (c) => {
      const id = Number(c.req.valid("param").id);
      const { notes } = c.req.valid("json");
      return c.json(out(await pool.track(updateNotes(sql, c.get("principal").userId, id, notes))), 200);
    })
    .openapi(statusRoute, async (c) => {
      const id = Number(c.req.valid("param").id);
      const input = c.req.valid("json");
      const changed = await pool.track(
        changeStatus(sql, c.get("principal").userId, id, {
          status: input.status,
          note: input.note ?? "",
          expectedVersion: input.expectedVersion,
        }),
      );
      return c.json(out(changed), 200);
    });
}
