import assert from "node:assert/strict";
import { test } from "node:test";
import type { SmokeResult } from "../run.ts";
import { smokeSummary } from "./summary.ts";

const base: SmokeResult = {
  result: "rolled-back",
  url: "https://jobs.example.test/",
  readiness: { ready: true, attempts: 2, elapsedMs: 812.4 },
  certificate: {
    host: "jobs.example.test",
    passed: true,
    names: "DNS:jobs.example.test",
    validFrom: "2026-11-01T00:00:00.000Z",
    validTo: "2027-01-30T00:00:00.000Z",
    daysLeft: 60,
    failures: [],
  },
  checks: [
    {
      name: "health",
      method: "GET",
      path: "/healthz",
      passed: true,
      status: 200,
      durationMs: 3.21,
      failures: [],
    },
    {
      name: "job search",
      method: "GET",
      path: "/jobs?q=x",
      passed: false,
      status: 500,
      durationMs: 12,
      failures: ["GET /jobs?q=x: status: expected 200, got 500"],
    },
  ],
  latency: {
    mode: "closed-loop",
    path: "/healthz",
    concurrency: 4,
    requests: 1000,
    errors: 0,
    errorRate: 0,
    statusCounts: { "200": 1000 },
    elapsedMs: 2000,
    requestsPerSecond: 500,
    latencyMs: { p50: 2, p75: 3, p90: 500, p95: 640.5, p99: 700, p999: 720, max: 731, mean: 80 },
  },
  thresholds: [
    { measure: "p95", actual: 640.5, limit: 500, passed: false },
    { measure: "error rate", actual: 0, limit: 0.01, passed: true },
  ],
  failures: ["GET /jobs?q=x: status: expected 200, got 500", "p95 640.5 ms > 500.0 ms (1000 requests)"],
  verdict: { action: "rolled-back", release: "revision 6", reason: "smoke test failed: ..." },
};

test("smokeSummary: verdict, checks table, thresholds, chart and failures", () => {
  const summary = smokeSummary(base);
  assert.equal(
    summary,
    [
      "## smoke-test: failed, release undone",
      "",
      "Target: https://jobs.example.test/",
      "Verdict: undone to revision 6.",
      "",
      "### Checks",
      "",
      "| Check | Request | Result | Detail |",
      "|---|---|---|---|",
      "| readiness | GET /healthz, /readyz | ✅ pass | ready after 2 attempt(s), 812 ms |",
      "| certificate | TLS jobs.example.test | ✅ pass | DNS:jobs.example.test, valid until 2027-01-30T00:00:00.000Z (60 days) |",
      "| health | GET /healthz | ✅ pass | 200 in 3.21 ms |",
      "| job search | GET /jobs?q=x | ❌ fail | GET /jobs?q=x: status: expected 200, got 500 |",
      "",
      "### Latency",
      "",
      "GET /healthz: 1000 requests, closed loop, concurrency 4, 500 req/s over 2.0 s.",
      "",
      "| Measure | Value | Limit | Result |",
      "|---|---|---|---|",
      "| p95 | 640.5 ms | 500.0 ms | ❌ fail |",
      "| error rate | 0.00 % | 1.00 % | ✅ pass |",
      "",
      "Status counts: 200: 1000",
      "",
      "```mermaid",
      "xychart-beta",
      '  title "GET /healthz latency by percentile (bars) and the p95 limit (line)"',
      '  x-axis ["p50", "p75", "p90", "p95", "p99", "p99.9", "max"]',
      '  y-axis "latency (ms)" 0 --> 1000',
      "  bar [2, 3, 500, 640.5, 700, 720, 731]",
      "  line [500, 500, 500, 500, 500, 500, 500]",
      "```",
      "",
      "### Why it failed",
      "",
      "- GET /jobs?q=x: status: expected 200, got 500",
      "- p95 640.5 ms > 500.0 ms (1000 requests)",
    ].join("\n"),
  );
});

test("smokeSummary: each verdict reads as one line", () => {
  const line = (verdict: SmokeResult["verdict"]) =>
    smokeSummary({ ...base, ...(verdict ? { verdict } : { verdict: undefined }) }).split("\n")[3];
  assert.equal(line(undefined), "Verdict: none asked (no deployment given).");
  assert.equal(
    line({ action: "marked-verified", release: "revision 7" }),
    "Verdict: revision 7 marked verified.",
  );
  assert.equal(
    line({ action: "mark-failed", message: "configmaps is forbidden" }),
    "Verdict: the gate passed but marking the release verified failed: configmaps is forbidden",
  );
  assert.equal(
    line({ action: "rollback-failed", reason: "r", message: "no verified release" }),
    "Verdict: the undo failed: no verified release",
  );
});

test("smokeSummary: a target that never became ready has no latency section", () => {
  const { latency: _latency, certificate: _certificate, ...rest } = base;
  const summary = smokeSummary({
    ...rest,
    result: "failed",
    readiness: { ready: false, attempts: 5, elapsedMs: 2000, reason: "/readyz answered 503" },
    checks: [],
    thresholds: [],
    failures: ["not ready within 2000 ms: /readyz answered 503"],
  });
  assert.ok(summary.includes("| readiness | GET /healthz, /readyz | ❌ fail | /readyz answered 503 |"));
  assert.ok(!summary.includes("### Latency"));
});
