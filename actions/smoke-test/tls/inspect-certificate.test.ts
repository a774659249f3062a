import assert from "node:assert/strict";
import { before, test } from "node:test";
import { createTestCa, DAY_MS, type TestCa } from "../testing/certificates.ts";
import { startStandIn } from "../testing/stand-in.ts";
import { inspectCertificate } from "./inspect-certificate.ts";

const HOST = "jobs.example.test";
let ca: TestCa;
before(async () => {
  ca = await createTestCa();
});

async function serve(t: { after(fn: () => Promise<void>): void }, hosts: string[], notAfter: Date) {
  const standIn = await startStandIn({ tls: await ca.issue({ hosts, notAfter }) });
  t.after(() => standIn.close());
  return {
    url: new URL(`https://${HOST}:${standIn.port}`),
    connectTo: { host: "127.0.0.1" },
    requestTimeoutMs: 5000,
  };
}

test("a certificate for the host, from the CA, valid long enough passes", async (t) => {
  const target = await serve(t, [HOST], new Date(Date.now() + 90 * DAY_MS));
  const result = await inspectCertificate({ ...target, ca: ca.pem }, 14);
  assert.deepEqual(result.failures, []);
  assert.equal(result.passed, true);
  assert.equal(result.names, `DNS:${HOST}`);
  assert.ok(result.daysLeft === 89 || result.daysLeft === 90, `days left ${result.daysLeft}`);
});

test("a soon-to-expire certificate fails with a message naming the dates", async (t) => {
  const notAfter = new Date(Math.floor((Date.now() + 5 * DAY_MS) / 1000) * 1000);
  const target = await serve(t, [HOST], notAfter);
  const now = new Date();
  const result = await inspectCertificate({ ...target, ca: ca.pem }, 14, now);
  assert.equal(result.passed, false);
  assert.equal(result.validTo, notAfter.toISOString());
  const needed = new Date(now.getTime() + 14 * DAY_MS).toISOString();
  assert.deepEqual(result.failures, [
    `certificate expires ${notAfter.toISOString()} (4 days left), before ${needed} (min-cert-days 14); ` +
      `valid from ${result.validFrom} to ${notAfter.toISOString()}`,
  ]);
});

test("a certificate for another host fails naming the names it has and its dates", async (t) => {
  const target = await serve(t, ["other.example.test"], new Date(Date.now() + 90 * DAY_MS));
  const result = await inspectCertificate({ ...target, ca: ca.pem }, 14);
  assert.deepEqual(result.failures, [
    `certificate is for DNS:other.example.test, not ${HOST} (valid from ${result.validFrom} to ${result.validTo})`,
  ]);
});

test("a certificate from another CA fails the chain check", async (t) => {
  const target = await serve(t, [HOST], new Date(Date.now() + 90 * DAY_MS));
  const stranger = await createTestCa("Another CA");
  const result = await inspectCertificate({ ...target, ca: stranger.pem }, 14);
  assert.deepEqual(result.failures, [
    "certificate does not chain to the CA file: UNABLE_TO_VERIFY_LEAF_SIGNATURE " +
      `(valid from ${result.validFrom} to ${result.validTo})`,
  ]);
});

test("no TLS listener fails the handshake with the reason", async () => {
  const result = await inspectCertificate(
    { url: new URL(`https://${HOST}:1`), connectTo: { host: "127.0.0.1" }, requestTimeoutMs: 5000 },
    14,
  );
  assert.deepEqual(result.failures, [`TLS handshake with ${HOST} failed: connect ECONNREFUSED 127.0.0.1:1`]);
});
