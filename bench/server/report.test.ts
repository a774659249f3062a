import assert from "node:assert/strict";
import { test } from "node:test";
import { limiter, renderReport } from "./report.ts";

test("names the saturated process first, else the machine when both cores are busy", () => {
  assert.equal(limiter({ loadGenerator: 20, server: 97, postgres: 0, others: 80 }), "server (97% of a core)");
  assert.equal(
    limiter({ loadGenerator: 30, server: 20, postgres: 130, others: 10 }),
    "postgres (130% of a core)",
  );
  assert.equal(
    limiter({ loadGenerator: 95, server: 60, postgres: 0, others: 0 }),
    "load generator (95% of a core)",
  );
  assert.equal(
    limiter({ loadGenerator: 20, server: undefined, postgres: 70, others: 100 }),
    "both cores busy (most of ours: postgres)",
  );
  assert.equal(
    limiter({ loadGenerator: 10, server: 40, postgres: 30, others: 5 }),
    "no process saturated (waits dominate)",
  );
});

test("prints figures, CPU and goals for the contenders that ran", () => {
  const round = (requestsPerSecond: number) => ({
    result: { requestsPerSecond, p50Ms: 1, p99Ms: 4, errors: 0 },
    cpu: { loadGenerator: 40, server: 99, postgres: 0, others: 5 },
  });
  const report = renderReport({ "bare-healthz": [round(1000), round(1200), round(1100)] }, 64);
  assert.match(
    report,
    /\| \/healthz {2}bare node:http +\| 1100 \(1000-1200\) +\| 1\.00 \(1\.00-1\.00\) +\| 4\.00 \(4\.00-4\.00\) +\| 0 +\|/,
  );
  assert.match(
    report,
    /\| \/healthz {2}bare node:http +\| 40% +\| 99% +\| 0% +\| 5% +\| 900 +\| 0 +\| server \(99% of a core\) +\|/,
  );
  assert.match(
    report,
    /\| \/healthz req\/s: app \/ bare node:http +\| not measured +\| >= 0\.85 +\| SKIP +\|/,
  );
  assert.doesNotMatch(report, /FastAPI \+ uvicorn/);
});

test("says what the metrics scrape flood achieved under the contender it ran with", () => {
  const round = (requestsPerSecond: number, scrapes: number, failed: number) => ({
    result: { requestsPerSecond, p50Ms: 1, p99Ms: 4, errors: 0 },
    cpu: undefined,
    scrapes: { perSecond: scrapes, failed },
  });
  const report = renderReport({ "app-search-scraped": [round(900, 149, 0), round(950, 151, 2)] }, 64);
  assert.match(
    report,
    /search {4}app GET \/jobs, metrics port flooded: metrics port scraped at 150 \(149-151\) scrapes\/s, 2 failed/,
  );
});
