import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { componentNames, platformComponents } from "./components.ts";
import { startPlatform } from "./start-platform.ts";

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

  test("the ingress without the service proxy is refused at start, naming what it needs", async (t) => {
    const stateDir = await mkdtemp(join(tmpdir(), "cjh-components-"));
    t.after(() => rm(stateDir, { recursive: true, force: true }));
    await assert.rejects(startPlatform({ stateDir, components: ["api-server", "ingress"] }), {
      message: "the ingress needs the service proxy, which starts before it",
    });
  });
});
