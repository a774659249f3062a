import assert from "node:assert/strict";
import { test } from "node:test";
import { SmokeClient } from "../http/client.ts";
import { startStandIn } from "../testing/stand-in.ts";
import { waitReady } from "./wait-ready.ts";

test("waitReady retries until /readyz answers 200", async (t) => {
  const standIn = await startStandIn({ notReadyFor: 2 });
  t.after(() => standIn.close());
  const client = new SmokeClient({ url: new URL(standIn.url), requestTimeoutMs: 5000 });
  t.after(() => client.close());
  const result = await waitReady(client, 30_000);
  assert.equal(result.ready, true);
  assert.equal(result.attempts, 3);
});

test("waitReady gives up at its deadline and says why", async (t) => {
  const standIn = await startStandIn({ notReadyFor: Number.POSITIVE_INFINITY });
  t.after(() => standIn.close());
  const client = new SmokeClient({ url: new URL(standIn.url), requestTimeoutMs: 5000 });
  t.after(() => client.close());
  const result = await waitReady(client, 1500);
  assert.equal(result.ready, false);
  assert.equal(result.reason, "/readyz answered 503");
  assert.ok(result.attempts >= 2, `attempts ${result.attempts}`);
  // Bounded by the deadline (the generous margin is for a loaded CI machine, not a speed claim).
  assert.ok(result.elapsedMs < 1500 + 5000, `took ${result.elapsedMs} ms`);
});

test("waitReady names a target that refuses connections", async (t) => {
  const client = new SmokeClient({ url: new URL("http://127.0.0.1:1"), requestTimeoutMs: 5000 });
  t.after(() => client.close());
  const result = await waitReady(client, 600);
  assert.equal(result.ready, false);
  assert.match(result.reason ?? "", /^\/healthz: connect ECONNREFUSED 127\.0\.0\.1:1$/);
});
