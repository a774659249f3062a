import assert from "node:assert/strict";
import { test } from "node:test";
import { DELAY_SCHEDULE, exactPercentile } from "./distribution.ts";

test("the schedule's percentiles are the documented ones", () => {
  assert.equal(DELAY_SCHEDULE.length, 100);
  assert.equal(exactPercentile(DELAY_SCHEDULE, 50), 50);
  assert.equal(exactPercentile(DELAY_SCHEDULE, 95), 100);
  assert.equal(exactPercentile(DELAY_SCHEDULE, 99), 200);
  assert.equal(exactPercentile(DELAY_SCHEDULE, 100), 400);
  assert.deepEqual(
    [...DELAY_SCHEDULE].sort((a, b) => a - b),
    [...Array(60).fill(50), ...Array(36).fill(100), 200, 200, 200, 400],
  );
});

test("the slow responses are spread out, not in one burst", () => {
  const slowAt = DELAY_SCHEDULE.flatMap((delay, index) => (delay >= 200 ? [index] : []));
  assert.ok(Math.min(...slowAt.slice(1).map((at, i) => at - (slowAt[i] ?? 0))) > 1, String(slowAt));
});
