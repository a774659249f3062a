import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { defaultStandInPorts, endpointsOf, platformStandInPorts } from "./endpoints.ts";

describe("stand-in endpoints", () => {
  test("URLs follow the ports; the login server is host:port", () => {
    const endpoints = endpointsOf({ aad: 1, arm: 2, acr: 3, registry: 4 });
    assert.deepEqual(endpoints, {
      aadUrl: "https://127.0.0.1:1",
      armUrl: "https://127.0.0.1:2",
      acrLoginServer: "127.0.0.1:3",
      acrUrl: "https://127.0.0.1:3",
      registryUrl: "https://127.0.0.1:4",
    });
  });

  test("a taken default port is replaced by a free one, decided once per state folder and recorded", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-ports-"));
    t.after(() => rm(home, { recursive: true, force: true }));
    // Hold the default AAD port (if something else already holds it, it is taken all the same).
    const squatter = createServer();
    await new Promise<void>((resolve) => {
      squatter.once("error", () => resolve());
      squatter.listen(defaultStandInPorts.aad, "127.0.0.1", () => resolve());
    });
    t.after(() => new Promise((resolve) => squatter.close(resolve)));
    const ports = await platformStandInPorts(home);
    assert.notEqual(ports.aad, defaultStandInPorts.aad);
    assert.equal(await platformStandInPorts(home), ports);
    assert.deepEqual(JSON.parse(await readFile(join(home, "azure", "ports.json"), "utf8")), ports);
  });
});
