import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { describe, test } from "node:test";
import { Hono } from "hono";
import type { ConnectionConfig } from "../config/env.ts";
import type { AppEnv } from "./env.ts";
import { type Listening, listen } from "./serve.ts";

const app = new Hono<AppEnv>()
  .all("/echo", async (c) => c.text(`got ${(await c.req.text()).length} bytes`))
  // A body cut off by the server fails the read; that is the expected outcome here, not news.
  .onError((_error, c) => c.text("aborted", 500));

async function serving(connections: Partial<ConnectionConfig>): Promise<Listening & { port: number }> {
  const listening = await listen(app, 0, "127.0.0.1", {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 100,
    ...connections,
  });
  return { ...listening, port: Number(new URL(listening.url).port) };
}

/** A raw connection recording what the server sends, and when it closes the connection. */
async function rawClient(
  port: number,
): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => {
    received += chunk;
  });
  socket.on("error", () => {});
  const closed = once(socket, "close").then(() => {});
  await once(socket, "connect");
  return { socket, received: () => received, closed };
}

/** Writes text one byte per tick until the server closes the connection. */
function trickle(socket: Socket, text: string, everyMs: number): () => void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(text[at % text.length] ?? "x");
    at++;
  }, everyMs);
  return () => clearInterval(timer);
}

describe("the HTTP server's connection hygiene", { timeout: 60_000 }, () => {
  test("headers sent a byte at a time are answered 408 once HEADERS_TIMEOUT_MS has passed, and the socket closed", async () => {
    const server = await serving({ headersTimeoutMs: 500, requestTimeoutMs: 2_000 });
    try {
      const client = await rawClient(server.port);
      client.socket.write("GET /echo HTTP/1.1\r\nHost: x\r\n");
      const stop = trickle(client.socket, "X-Slow: aaaaaaaaaaaaaaaa", 100);
      await client.closed;
      stop();
      assert.match(client.received(), /^HTTP\/1\.1 408 /);
    } finally {
      await server.close(100);
    }
  });

  test("a body sent a byte at a time is cut once REQUEST_TIMEOUT_MS has passed", async () => {
    const server = await serving({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    try {
      const client = await rawClient(server.port);
      client.socket.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
      const stop = trickle(client.socket, "b", 100);
      await client.closed;
      stop();
      assert.doesNotMatch(client.received(), /got \d+ bytes/);
    } finally {
      await server.close(100);
    }
  });

  test("a connection that never sends anything is closed", async () => {
    const server = await serving({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    try {
      const silent = await Promise.all(Array.from({ length: 20 }, () => rawClient(server.port)));
      await Promise.all(silent.map((client) => client.closed));
      const response = await fetch(`${server.url}/echo`);
      assert.equal(await response.text(), "got 0 bytes");
    } finally {
      await server.close(100);
    }
  });

  test("connections beyond MAX_CONNECTIONS are refused; the ones within are served", async () => {
    const server = await serving({ maxConnections: 2 });
    try {
      const held = await Promise.all([rawClient(server.port), rawClient(server.port)]);
      const refused = await rawClient(server.port);
      await refused.closed;
      assert.equal(refused.received(), "");
      const [first] = held;
      first?.socket.write("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      await first?.closed;
      assert.match(first?.received() ?? "", /got 0 bytes$/);
    } finally {
      await server.close(100);
    }
  });
});
