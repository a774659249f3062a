import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { test } from "node:test";
import { freePort, freePorts, portIsFree } from "./ports.ts";

test("free ports are different from each other and can be listened on", async () => {
  const ports = await freePorts(4);
  assert.equal(new Set(ports).size, 4);
  for (const port of [...ports, await freePort()]) {
    assert.ok(port > 0 && port < 65_536);
    assert.equal(await portIsFree(port), true, `port ${port}`);
  }
});

test("a port something listens on is not free until it closes", async () => {
  const holder = createServer().listen(0, "127.0.0.1");
  await once(holder, "listening");
  const address = holder.address();
  assert.ok(address !== null && typeof address === "object");
  assert.equal(await portIsFree(address.port), false);
  await new Promise((resolve) => holder.close(resolve));
  assert.equal(await portIsFree(address.port), true);
});

test("an address this machine does not have is an error naming it, not a port", async () => {
  await assert.rejects(freePort("192.0.2.1"), /EADDRNOTAVAIL.*192\.0\.2\.1/);
});
