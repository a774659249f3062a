import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { V1Ingress } from "@kubernetes/client-node";
import { findRoute } from "./routing.ts";

const backend = (name: string) => ({ service: { name, port: { number: 80 } } });

const ingresses: V1Ingress[] = [
  {
    metadata: { name: "site", namespace: "prod" },
    spec: {
      defaultBackend: backend("fallback"),
      rules: [
        {
          host: "jobs.example.test",
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: backend("web") },
              { path: "/api", pathType: "Prefix", backend: backend("api") },
              { path: "/api/health", pathType: "Exact", backend: backend("health") },
            ],
          },
        },
        {
          host: "*.example.test",
          http: { paths: [{ path: "/", pathType: "Prefix", backend: backend("wild") }] },
        },
      ],
    },
  },
];

const serviceFor = (host: string, path: string) => findRoute(ingresses, host, path)?.backend.service?.name;

describe("findRoute", () => {
  test("longest path wins, Prefix matches whole path elements, Exact only the path itself", () => {
    assert.equal(serviceFor("jobs.example.test", "/api/postings"), "api");
    assert.equal(serviceFor("jobs.example.test", "/api"), "api");
    assert.equal(serviceFor("jobs.example.test", "/apix"), "web");
    assert.equal(serviceFor("jobs.example.test", "/api/health"), "health");
    assert.equal(serviceFor("jobs.example.test", "/api/health/deep"), "api");
  });

  test("exact host before a wildcard, which covers one label only; the port in Host is ignored", () => {
    assert.equal(serviceFor("JOBS.example.test:443", "/"), "web");
    assert.equal(serviceFor("other.example.test", "/"), "wild");
    assert.equal(serviceFor("a.b.example.test", "/"), "fallback");
    assert.equal(findRoute(ingresses, "a.b.example.test", "/")?.namespace, "prod");
    assert.equal(findRoute([], "jobs.example.test", "/"), undefined);
  });
});
