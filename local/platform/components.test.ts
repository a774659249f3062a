import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { componentNames, platformComponents } from "./components.ts";

describe("platformComponents", () => {
  test("every component by default, the API server first and the ingress after the service proxy", () => {
    assert.deepEqual(
      platformComponents().map((component) => component.name),
      [
        "api-server",
        "docker-engine",
        "registry",
        "azure",
        "controllers",
        "database",
        "service-proxy",
        "ingress",
      ],
    );
    assert.deepEqual(
      [...componentNames],
      platformComponents().map((component) => component.name),
    );
  });

  test("a chosen subset starts in the platform's order whatever the order given", () => {
    assert.deepEqual(
      platformComponents({ components: ["ingress", "controllers", "service-proxy", "api-server"] }).map(
        (component) => component.name,
      ),
      ["api-server", "controllers", "service-proxy", "ingress"],
    );
  });
});
