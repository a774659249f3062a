import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Backoff, goDuration } from "./backoff.ts";

describe("kubelet back-off", () => {
  test("10 s doubling to a 300 s cap", () => {
    const backoff = new Backoff();
    const seen = [0, 1, 2, 3, 4, 5, 6].map((i) => backoff.next("c", i * 1000));
    assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  test("the window runs from the last attempt", () => {
    const backoff = new Backoff();
    backoff.next("c", 1000);
    assert.equal(backoff.remaining("c", 4000), 7000);
    assert.equal(backoff.remaining("c", 12_000), 0);
    assert.equal(backoff.remaining("other", 4000), 0);
  });

  test("after 10 minutes without an attempt it starts over at 10 s", () => {
    const backoff = new Backoff();
    backoff.next("c", 0);
    backoff.next("c", 1000);
    assert.equal(backoff.next("c", 1000 + 600_001), 10_000);
  });

  test("durations print as Go prints them", () => {
    assert.deepEqual([10_000, 20_000, 80_000, 160_000, 300_000, 250].map(goDuration), [
      "10s",
      "20s",
      "1m20s",
      "2m40s",
      "5m0s",
      "250ms",
    ]);
  });
});
