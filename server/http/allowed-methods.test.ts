import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RouterRoute } from "hono/types";
import { allowedMethods } from "./allowed-methods.ts";

const route = (method: string, path: string): RouterRoute => ({
  method,
  path,
  basePath: "/",
  handler: () => {},
});

describe("allowedMethods", () => {
  const routes = [
    route("ALL", "*"),
    route("ALL", "/applications/*"),
    route("GET", "/applications"),
    route("POST", "/applications"),
    route("GET", "/applications/:id"),
    route("PATCH", "/applications/:id"),
    route("POST", "/applications/:id/status"),
  ];

  test("lists the routes' methods for a path, HEAD with GET, and ignores middleware", () => {
    assert.deepEqual(allowedMethods(routes, "/applications"), ["GET", "HEAD", "POST"]);
    assert.deepEqual(allowedMethods(routes, "/applications/12"), ["GET", "HEAD", "PATCH"]);
    assert.deepEqual(allowedMethods(routes, "/applications/12/status"), ["POST"]);
  });

  test("a path no route has gets none", () => {
    assert.deepEqual(allowedMethods(routes, "/applications/12/notes"), []);
    assert.deepEqual(allowedMethods(routes, "/nowhere"), []);
    assert.deepEqual(allowedMethods(routes, "/applications/"), []);
  });
});
