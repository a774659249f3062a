import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CheckSpec } from "../config/checks-file.ts";
import { SmokeClient } from "../http/client.ts";
import { LATENCY_PATH, type StandIn, startStandIn } from "../testing/stand-in.ts";
import { runChecks } from "./run-checks.ts";

const check = (overrides: Partial<CheckSpec> & Pick<CheckSpec, "path" | "expect">): CheckSpec => ({
  name: overrides.path,
  method: "GET",
  headers: {},
  ...overrides,
});

describe("runChecks", () => {
  let standIn: StandIn;
  let client: SmokeClient;
  before(async () => {
    standIn = await startStandIn({
      routes: {
        "/jobs?q=kubernetes": {
          status: 200,
          contentType: "application/json; charset=UTF-8",
          body: JSON.stringify({ items: [{ id: 7, title: "SRE" }], nextCursor: null }),
        },
        "/html": { status: 200, contentType: "text/html", body: "<p>hi</p>" },
      },
    });
    client = new SmokeClient({ url: new URL(standIn.url), requestTimeoutMs: 5000 });
  });
  after(async () => {
    client.close();
    await standIn.close();
  });

  test("passes checks whose status, media type and fields hold", async () => {
    const [result] = await runChecks(client, [
      check({
        path: "/jobs?q=kubernetes",
        expect: {
          status: 200,
          "content-type": "application/json",
          json: [
            { field: "/items", type: "array" },
            { field: "/items/0/id", type: "integer", equals: 7 },
            { field: "/nextCursor", type: "null" },
          ],
        },
      }),
    ]);
    assert.equal(result?.passed, true, result?.failures.join("\n"));
    assert.equal(result?.status, 200);
  });

  test("names the path, the field and both values of each expectation that does not hold", async () => {
    const [result] = await runChecks(client, [
      check({
        path: "/jobs?q=kubernetes",
        expect: {
          status: 201,
          "content-type": "application/problem+json",
          json: [
            { field: "/items/0/title", equals: "Platform Engineer" },
            { field: "/items/0/id", type: "string" },
            { field: "/total", type: "integer" },
          ],
        },
      }),
    ]);
    assert.deepEqual(result?.failures, [
      "GET /jobs?q=kubernetes: status: expected 201, got 200",
      "GET /jobs?q=kubernetes: content-type: expected application/problem+json, got application/json; charset=UTF-8",
      'GET /jobs?q=kubernetes: /items/0/title: expected "Platform Engineer", got "SRE"',
      "GET /jobs?q=kubernetes: /items/0/id: expected type string, got number 7",
      "GET /jobs?q=kubernetes: /total: expected type integer, got nothing (no such field)",
    ]);
  });

  test("says when a body that should be JSON is not", async () => {
    const [result] = await runChecks(client, [
      check({ path: "/html", expect: { status: 200, json: [{ field: "/status", equals: "ok" }] } }),
    ]);
    assert.deepEqual(result?.failures, ["GET /html: body: expected JSON, got 9 bytes of text/html"]);
  });

  test("names a check whose answer does not come within the request timeout", async (t) => {
    const stalled = await startStandIn({ slow: { delayMs: 5000, every: 1 } });
    t.after(() => stalled.close());
    const impatient = new SmokeClient({ url: new URL(stalled.url), requestTimeoutMs: 300 });
    t.after(() => impatient.close());
    const [result] = await runChecks(impatient, [
      check({ path: LATENCY_PATH, expect: { status: 200, json: [] } }),
    ]);
    assert.deepEqual(result?.failures, [`GET ${LATENCY_PATH}: no response: no response within 300 ms`]);
  });

  test("names a check that got no response", async () => {
    const refused = new SmokeClient({ url: new URL("http://127.0.0.1:1"), requestTimeoutMs: 5000 });
    const [result] = await runChecks(refused, [
      check({ path: "/healthz", expect: { status: 200, json: [] } }),
    ]);
    refused.close();
    assert.deepEqual(result?.failures, ["GET /healthz: no response: connect ECONNREFUSED 127.0.0.1:1"]);
  });
});
