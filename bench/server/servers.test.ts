import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { startTestDatabase, type TestDatabase } from "../../server/testing/postgres.ts";
import { recordResponse } from "./canned-response.ts";
import { checkSameAnswers } from "./same-answers.ts";
import { seedPostings } from "./seed.ts";
import type { ServerProcess } from "./server-process.ts";
import { startBare, startFastApi } from "./servers.ts";

async function stubServer(answer: { status: number; headers: Record<string, string>; body: string }) {
  const server = createServer((_request, response) =>
    response.writeHead(answer.status, answer.headers).end(answer.body),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe("the FastAPI baseline", () => {
  let database: TestDatabase;
  let fastapi: ServerProcess;

  before(async () => {
    database = await startTestDatabase();
    await seedPostings(database.url, 3_000);
    fastapi = await startFastApi(database.url, 2);
  });

  after(async () => {
    await fastapi?.stop();
    await database?.stop();
  });

  test("answers every benchmark search, and its second page, like the API's search function", async () => {
    const compared = await checkSameAnswers(database.url, [{ name: "FastAPI", baseUrl: fastapi.baseUrl }]);
    assert.ok(compared > 0);
  });

  test("the check names a server that answers differently", async () => {
    const stub = await stubServer({
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: [], nextCursor: null }),
    });
    try {
      await assert.rejects(
        checkSameAnswers(database.url, [{ name: "stub", ...stub }], [{ q: "kubernetes" }]),
        /^Error: the contenders do not do the same work:\nstub answers \/jobs\?q=kubernetes differently\n/,
      );
    } finally {
      stub.close();
    }
  });
});

test("the bare server replays the recorded status, headers and body", async () => {
  const recorded = { "content-type": "application/json", "x-frame-options": "SAMEORIGIN" };
  const stub = await stubServer({ status: 200, headers: recorded, body: '{"status":"ok"}' });
  const bare = await startBare(await recordResponse(new URL("/healthz", stub.baseUrl)));
  try {
    const response = await fetch(new URL("/anything", bare.baseUrl));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("x-frame-options"), "SAMEORIGIN");
    assert.equal(response.headers.get("content-length"), "15");
    assert.equal(await response.text(), '{"status":"ok"}');
  } finally {
    await bare.stop();
    stub.close();
  }
});
