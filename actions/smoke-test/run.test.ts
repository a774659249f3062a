import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { Logger } from "../lib/entry/definition.ts";
import type { SmokeConfig } from "./context.ts";
import { runSmokeTest } from "./run.ts";
import { createTestCa, DAY_MS, type TestCa } from "./testing/certificates.ts";
import { recordingVerdict } from "./testing/recording-verdict.ts";
import { LATENCY_PATH, type StandInOptions, startStandIn } from "./testing/stand-in.ts";

const HOST = "jobs.example.test";

function quietLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: (_name, work) => work(),
  };
}

function configFor(url: string, overrides: Partial<SmokeConfig> = {}): SmokeConfig {
  return {
    url: new URL(url),
    checks: [],
    latency: { path: LATENCY_PATH, load: { kind: "requests", count: 200 }, concurrency: 4 },
    // A p95 limit no healthy stand-in misses even on a loaded CI machine; the p95 test sets the real 500 ms.
    thresholds: { p95Ms: 5000, errorRate: 0.01 },
    minCertDays: 14,
    readyTimeoutMs: 10_000,
    requestTimeoutMs: 5000,
    ...overrides,
  };
}

async function standIn(t: { after(fn: () => Promise<void>): void }, options: StandInOptions) {
  const server = await startStandIn(options);
  t.after(() => server.close());
  return server;
}

describe("runSmokeTest", () => {
  let ca: TestCa;
  before(async () => {
    ca = await createTestCa();
  });

  test("a healthy HTTPS target passes and the release is marked verified", async (t) => {
    const server = await standIn(t, {
      tls: await ca.issue({ hosts: [HOST], notAfter: new Date(Date.now() + 60 * DAY_MS) }),
    });
    const verdict = recordingVerdict();
    const result = await runSmokeTest(
      configFor(`https://${HOST}:${server.port}`, {
        connectTo: { host: "127.0.0.1" },
        ca: ca.pem,
        checks: [
          { name: "health", path: "/healthz", method: "GET", headers: {}, expect: { status: 200, json: [] } },
        ],
      }),
      { log: quietLog(), verdict },
    );
    assert.deepEqual(result.failures, []);
    assert.equal(result.result, "passed");
    assert.equal(result.certificate?.passed, true);
    assert.equal(result.checks[0]?.passed, true);
    assert.equal(result.latency?.requests, 200);
    assert.deepEqual(verdict.calls, ["markVerified"]);
    assert.deepEqual(result.verdict, { action: "marked-verified", release: "revision 3" });
  });

  test("a slow target (10 % of responses 600 ms late) fails the p95 gate and is undone", async (t) => {
    const server = await standIn(t, { slow: { delayMs: 600, every: 10 } });
    const verdict = recordingVerdict();
    const config = configFor(server.url, { thresholds: { p95Ms: 500, errorRate: 0.01 } });
    const result = await runSmokeTest(config, { log: quietLog(), verdict });
    assert.equal(result.result, "rolled-back");
    const p95 = result.thresholds.find((r) => r.measure === "p95");
    assert.ok(p95 && !p95.passed && p95.actual >= 600, `p95 ${p95?.actual}`);
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0] ?? "", /^p95 \d+\.\d ms > 500\.0 ms \(200 requests\)$/);
    assert.deepEqual(verdict.calls, [`undo: smoke test failed: ${result.failures[0]}`]);
    assert.deepEqual(result.verdict, {
      action: "rolled-back",
      release: "revision 2",
      reason: `smoke test failed: ${result.failures[0]}`,
    });
  });

  test("2 % of 500s fails the error-rate gate; without a deployment nothing is undone", async (t) => {
    const server = await standIn(t, { failing: { every: 50 } });
    const result = await runSmokeTest(configFor(server.url), { log: quietLog() });
    assert.equal(result.result, "failed");
    assert.deepEqual(result.failures, ["error rate 2.00 % > 1.00 % (200 requests)"]);
    assert.deepEqual(result.latency?.statusCounts, { "200": 196, "500": 4 });
    assert.equal(result.verdict, undefined);
  });

  test("an undo that fails too gives rollback-failed", async (t) => {
    const server = await standIn(t, { failing: { every: 2 } });
    const verdict = recordingVerdict({ undoFails: "no verified release to go back to" });
    const result = await runSmokeTest(configFor(server.url), { log: quietLog(), verdict });
    assert.equal(result.result, "rollback-failed");
    assert.deepEqual(result.verdict, {
      action: "rollback-failed",
      reason: "smoke test failed: error rate 50.00 % > 1.00 % (200 requests)",
      message: "no verified release to go back to",
    });
  });

  test("a target that never becomes ready fails within its deadline and sends no load", async (t) => {
    const server = await standIn(t, { notReadyFor: Number.POSITIVE_INFINITY });
    const verdict = recordingVerdict();
    const started = performance.now();
    const result = await runSmokeTest(configFor(server.url, { readyTimeoutMs: 1500 }), {
      log: quietLog(),
      verdict,
    });
    const elapsed = performance.now() - started;
    assert.equal(result.result, "rolled-back");
    assert.deepEqual(result.failures, ["not ready within 1500 ms: /readyz answered 503"]);
    assert.equal(result.latency, undefined);
    // Generous: bounded by the deadline, not a speed claim (CI machines are loaded).
    assert.ok(elapsed < 1500 + 5000, `took ${elapsed} ms`);
    // Only probe requests: /healthz and /readyz per attempt (the last may be cut short by the deadline).
    assert.ok(server.requests() <= result.readiness.attempts * 2, `${server.requests()} requests`);
  });

  test("a soon-to-expire certificate fails the gate with the dates in the message", async (t) => {
    const notAfter = new Date(Date.now() + 3 * DAY_MS);
    const server = await standIn(t, { tls: await ca.issue({ hosts: [HOST], notAfter }) });
    const result = await runSmokeTest(
      configFor(`https://${HOST}:${server.port}`, { connectTo: { host: "127.0.0.1" }, ca: ca.pem }),
      { log: quietLog() },
    );
    assert.equal(result.result, "failed");
    assert.equal(result.failures.length, 1);
    assert.match(
      result.failures[0] ?? "",
      /^certificate expires \d{4}-\d\d-\d\dT[\d:.]+Z \(\d days left\), before /,
    );
    assert.ok(result.failures[0]?.includes(result.certificate?.validTo ?? "?"));
  });

  test("a declared check that does not hold names the path, the field and both values", async (t) => {
    const server = await standIn(t, {
      routes: { "/version": { status: 200, body: JSON.stringify({ version: "1.4.0", commit: 7 }) } },
    });
    const result = await runSmokeTest(
      configFor(server.url, {
        checks: [
          {
            name: "version",
            path: "/version",
            method: "GET",
            headers: {},
            expect: {
              status: 200,
              json: [
                { field: "/version", equals: "1.5.0" },
                { field: "/commit", type: "string" },
              ],
            },
          },
        ],
      }),
      { log: quietLog() },
    );
    assert.deepEqual(result.failures, [
      'GET /version: /version: expected "1.5.0", got "1.4.0"',
      "GET /version: /commit: expected type string, got number 7",
    ]);
  });
});
