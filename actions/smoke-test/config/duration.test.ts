import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDuration } from "./duration.ts";

test("parseDuration reads single and compound Go-style durations", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("10m"), 600_000);
  assert.equal(parseDuration("1m30s"), 90_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("1.5s"), 1500);
});

test("parseDuration refuses what is not a duration", () => {
  for (const bad of ["", "10", "ten seconds", "5 m", "-3s", "3s junk"])
    assert.equal(parseDuration(bad), undefined, bad);
});
