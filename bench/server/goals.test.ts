import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateGoals, type RoundResults } from "./goals.ts";
import type { LoadResult } from "./load-result.ts";

const run = (requestsPerSecond: number, p99Ms: number): LoadResult => ({
  requestsPerSecond,
  p50Ms: p99Ms / 4,
  p99Ms,
  errors: 0,
});

test("judges ratios on the median of per-round ratios and p99 on medians", () => {
  const results: RoundResults = {
    "app-healthz": [run(900, 4), run(800, 5), run(950, 4)],
    "bare-healthz": [run(1000, 3), run(1000, 3), run(1000, 3)],
    "fastapi-healthz": [run(300, 40), run(300, 40), run(300, 40)],
    "app-search": [run(600, 60), run(650, 55), run(700, 70)],
    "app-search-scraped": [run(570, 62), run(650, 56), run(560, 71)],
    "direct-search": [run(1000, 20), run(1000, 20), run(1000, 20)],
    "fastapi-search": [run(200, 90), run(200, 90), run(200, 90)],
  };
  const verdicts = Object.fromEntries(evaluateGoals(results, 64).map((goal) => [goal.goal, goal]));
  assert.deepEqual(verdicts["/healthz req/s: app / bare node:http"], {
    goal: "/healthz req/s: app / bare node:http",
    measured: "0.90 (0.80-0.95)",
    target: ">= 0.85",
    verdict: "PASS",
  });
  assert.equal(verdicts["search req/s: app / direct postgres.js"]?.verdict, "MISS");
  assert.equal(verdicts["search req/s: app / direct postgres.js"]?.measured, "0.65 (0.60-0.70)");
  assert.equal(verdicts["search p99 at 64 connections"]?.measured, "60.0 ms");
  assert.equal(verdicts["search p99 at 64 connections"]?.verdict, "MISS");
  assert.equal(verdicts["/healthz req/s: app / FastAPI"]?.verdict, "PASS");
  assert.equal(verdicts["/healthz p99: app vs FastAPI"]?.measured, "4.0 ms vs 40.0 ms");
  assert.equal(verdicts["search req/s: app / FastAPI"]?.verdict, "PASS");
  assert.equal(verdicts["search p99: app vs FastAPI"]?.verdict, "PASS");
  assert.deepEqual(verdicts["search req/s: with a metrics scrape flood / without"], {
    goal: "search req/s: with a metrics scrape flood / without",
    measured: "0.95 (0.80-1.00)",
    target: ">= 0.9",
    verdict: "PASS",
  });
});

test("skips the goals whose contenders did not run", () => {
  const verdicts = evaluateGoals({ "bare-healthz": [run(1000, 3)], "fastapi-healthz": [run(300, 40)] }, 64);
  assert.equal(verdicts.length, 8);
  for (const goal of verdicts) {
    assert.equal(goal.verdict, "SKIP", goal.goal);
    assert.equal(goal.measured, "not measured");
  }
});
