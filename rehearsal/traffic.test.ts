import assert from "node:assert/strict";
import { test } from "node:test";
import { createTestCa, DAY_MS } from "../actions/smoke-test/testing/certificates.ts";
import { LATENCY_PATH, startStandIn } from "../actions/smoke-test/testing/stand-in.ts";
import { waitUntil } from "../local/common/testing/wait-until.ts";
import { startTraffic, type Traffic } from "./traffic.ts";

/** Waits until the traffic has sent `sent` requests. */
function sent(traffic: Traffic, count: number): Promise<boolean> {
  return waitUntil(`${count} requests sent`, () => traffic.counts().sent >= count, {
    describe: () => traffic.counts(),
  });
}

test("a steady stream through TLS with the public name on a loopback address counts 200s and failures", async () => {
  const ca = await createTestCa();
  const tls = await ca.issue({ hosts: ["api.example.test"], notAfter: new Date(Date.now() + 30 * DAY_MS) });
  const standIn = await startStandIn({ tls, failing: { every: 5 } });
  try {
    const traffic = startTraffic(
      {
        url: new URL(`https://api.example.test:${standIn.port}${LATENCY_PATH}`),
        connectTo: "127.0.0.1",
        ca: ca.pem,
      },
      200,
    );
    await sent(traffic, 40);
    const counts = await traffic.stop();
    assert.equal(counts.ok + counts.failed, counts.sent);
    assert.ok(counts.failed >= 1, "every fifth answer is a 500");
    assert.deepEqual(Object.keys(counts.failures), ["HTTP 500"]);
    assert.equal(counts.failures["HTTP 500"], counts.failed);
  } finally {
    await standIn.close();
  }
});

test("a certificate for another name fails every request, named by the TLS error", async () => {
  const ca = await createTestCa();
  const tls = await ca.issue({ hosts: ["other.example.test"], notAfter: new Date(Date.now() + 30 * DAY_MS) });
  const standIn = await startStandIn({ tls });
  try {
    const traffic = startTraffic(
      {
        url: new URL(`https://api.example.test:${standIn.port}/healthz`),
        connectTo: "127.0.0.1",
        ca: ca.pem,
      },
      100,
    );
    await sent(traffic, 5);
    const counts = await traffic.stop();
    assert.equal(counts.ok, 0);
    assert.deepEqual(Object.keys(counts.failures), ["ERR_TLS_CERT_ALTNAME_INVALID"]);
  } finally {
    await standIn.close();
  }
});
