import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { runWrk } from "./wrk.ts";

async function serve(status: number): Promise<{ server: Server; baseUrl: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? "");
    response.writeHead(status, { "content-type": "text/plain" }).end("ok");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

test("reports throughput and latency, and rotates over the given paths", async () => {
  const { server, baseUrl, paths } = await serve(200);
  try {
    const result = await runWrk({
      baseUrl,
      paths: ["/a", "/b?x=1"],
      connections: 2,
      durationSeconds: 1,
      threads: 1,
    });
    assert.ok(result.requestsPerSecond > 0);
    assert.ok(result.p50Ms > 0 && result.p50Ms <= result.p99Ms);
    assert.equal(result.errors, 0);
    assert.deepEqual(new Set(paths), new Set(["/a", "/b?x=1"]));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("counts error answers as failed requests", async () => {
  const { server, baseUrl } = await serve(503);
  try {
    const result = await runWrk({
      baseUrl,
      paths: ["/healthz"],
      connections: 1,
      durationSeconds: 1,
      threads: 1,
    });
    assert.ok(result.errors > 0, `errors: ${result.errors}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("says which wrk command failed when the server cannot be reached", async () => {
  const { server, baseUrl } = await serve(200);
  server.close();
  await once(server, "close");
  await assert.rejects(
    runWrk({ baseUrl, paths: ["/healthz"], connections: 1, durationSeconds: 1, threads: 1 }),
    /^Error: wrk .*--connections=1 .* failed \(exit 1\):\nunable to connect to 127\.0\.0\.1/,
  );
});
