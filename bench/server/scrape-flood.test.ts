import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { startScrapeFlood } from "./scrape-flood.ts";

test("the flood scrapes over keep-alive connections and counts answers that are not 200 as failed", async () => {
  let requests = 0;
  const sockets = new Set<unknown>();
  const server = createServer((req, res) => {
    sockets.add(req.socket);
    requests++;
    res.writeHead(requests % 2 ? 200 : 503).end("# metrics\n");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    const flood = startScrapeFlood(new URL(`http://127.0.0.1:${port}/metrics`), 200, 2);
    while (requests < 20) await new Promise((resolve) => setImmediate(resolve));
    const tally = await flood.stop();
    assert.ok(tally.perSecond > 0);
    assert.equal(tally.failed, Math.floor(requests / 2));
    assert.ok(sockets.size <= 2, `${sockets.size} connections for 2 allowed`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
