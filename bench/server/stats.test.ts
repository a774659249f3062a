import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pairedRatios, summarize } from "./stats.ts";

describe("summarize", () => {
  test("takes the middle value of an odd count and the extremes", () => {
    assert.deepEqual(summarize([30, 10, 20, 50, 40]), { median: 30, min: 10, max: 50 });
  });

  test("averages the two middle values of an even count", () => {
    assert.deepEqual(summarize([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4 });
  });

  test("refuses an empty list", () => {
    assert.throws(() => summarize([]), /at least one value/);
  });
});

describe("pairedRatios", () => {
  test("divides round by round", () => {
    assert.deepEqual(pairedRatios([90, 50], [100, 40]), [0.9, 1.25]);
  });

  test("refuses rounds that do not pair up", () => {
    assert.throws(() => pairedRatios([1, 2], [1]), /cannot pair 2 rounds with 1 rounds/);
  });
});
