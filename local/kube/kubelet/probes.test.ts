import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ProbeThresholds } from "./probes.ts";

describe("probe thresholds", () => {
  test("readiness flips to ready after successThreshold consecutive successes", () => {
    const readiness = new ProbeThresholds({ successThreshold: 2, failureThreshold: 3 }, false);
    assert.deepEqual(
      [true, false, true, true, true].map((ok) => readiness.record(ok)),
      [undefined, undefined, undefined, true, undefined],
    );
  });

  test("it flips back after failureThreshold consecutive failures", () => {
    const liveness = new ProbeThresholds({ successThreshold: 1, failureThreshold: 3 }, true);
    assert.deepEqual(
      [false, false, true, false, false, false].map((ok) => liveness.record(ok)),
      [undefined, undefined, undefined, undefined, undefined, false],
    );
  });

  test("a startup probe (no result yet) reports its first verdict", () => {
    const startup = new ProbeThresholds({ failureThreshold: 2 }, undefined);
    assert.equal(startup.record(true), true);
    const failing = new ProbeThresholds({ failureThreshold: 2 }, undefined);
    assert.deepEqual([failing.record(false), failing.record(false)], [undefined, false]);
  });
});
