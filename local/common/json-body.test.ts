import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { readBody, sendJson } from "./json-body.ts";

test("reads a request body whole and answers JSON with its length; given headers replace the defaults", async () => {
  const server = createServer(async (request, response) => {
    const text = await readBody(request);
    sendJson(response, 201, { echoed: text }, { "content-type": "application/json", warning: ['299 - "a"'] });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "é".repeat(70_000) });
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get("content-type"), "application/json");
    assert.equal(answer.headers.get("warning"), '299 - "a"');
    const text = await answer.text();
    assert.equal(answer.headers.get("content-length"), String(Buffer.byteLength(text)));
    assert.deepEqual(JSON.parse(text), { echoed: "é".repeat(70_000) });
  } finally {
    server.close();
  }
});

test("the default content type names UTF-8", async () => {
  const server = createServer((_request, response) => sendJson(response, 200, ["ü"]));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(answer.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await answer.json(), ["ü"]);
  } finally {
    server.close();
  }
});
