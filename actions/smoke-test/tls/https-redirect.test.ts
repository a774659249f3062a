import assert from "node:assert/strict";
import { test } from "node:test";
import { startStandIn } from "../testing/stand-in.ts";
import { checkHttpsRedirect } from "./https-redirect.ts";

const HTTPS_URL = new URL("https://jobs.example.test:8443");

test("a redirect to https on the same host passes", async (t) => {
  const listener = await startStandIn({ redirectTo: "https://jobs.example.test:8443" });
  t.after(() => listener.close());
  const result = await checkHttpsRedirect(HTTPS_URL, listener.port, "/healthz", {
    connectTo: { host: "127.0.0.1" },
    requestTimeoutMs: 5000,
  });
  assert.deepEqual(result, {
    from: `http://jobs.example.test:${listener.port}/healthz`,
    passed: true,
    status: 308,
    location: "https://jobs.example.test:8443/healthz",
    failures: [],
  });
});

test("a plain answer, or a redirect elsewhere, fails naming what came", async (t) => {
  const plain = await startStandIn();
  t.after(() => plain.close());
  const elsewhere = await startStandIn({ redirectTo: "http://jobs.example.test" });
  t.after(() => elsewhere.close());
  const options = { connectTo: { host: "127.0.0.1" }, requestTimeoutMs: 5000 };
  const served = await checkHttpsRedirect(HTTPS_URL, plain.port, "/healthz", options);
  assert.deepEqual(served.failures, [
    `http://jobs.example.test:${plain.port}/healthz: expected a redirect to https://jobs.example.test, got 200`,
  ]);
  const downgraded = await checkHttpsRedirect(HTTPS_URL, elsewhere.port, "/healthz", options);
  assert.deepEqual(downgraded.failures, [
    `http://jobs.example.test:${elsewhere.port}/healthz: expected a redirect to https://jobs.example.test, ` +
      "got 308 to http://jobs.example.test/healthz",
  ]);
});
