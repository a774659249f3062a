import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Deployment } from "../../api/kinds.ts";
import {
  maxSurge,
  maxUnavailable,
  progressDeadlineSeconds,
  resolveFenceposts,
  scaledValue,
} from "./fenceposts.ts";

function deployment(
  replicas: number | undefined,
  rolling?: { maxSurge?: number | string; maxUnavailable?: number | string },
  type?: "Recreate",
): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "d" } },
      template: { spec: { containers: [] } },
      strategy: type ? { type } : rolling ? { type: "RollingUpdate", rollingUpdate: rolling } : undefined,
    },
  };
}

describe("maxSurge / maxUnavailable rounding (docs/rollout-semantics.md 3.4)", () => {
  test("percentages: surge rounds up, unavailable rounds down", () => {
    assert.equal(scaledValue("25%", 10, true), 3);
    assert.equal(scaledValue("25%", 10, false), 2);
    assert.equal(scaledValue(4, 10, true), 4);
  });

  test("an unparsable percentage is refused", () => {
    assert.throws(() => scaledValue("25 percent", 10, true), /invalid value for IntOrString/);
  });

  test("both zero after rounding gives unavailable 1", () => {
    assert.deepEqual(resolveFenceposts("10%", "10%", 3), { surge: 1, unavailable: 0 });
    assert.deepEqual(resolveFenceposts(0, "10%", 3), { surge: 0, unavailable: 1 });
  });

  test("defaults are 25% / 25%", () => {
    const d = deployment(3);
    assert.equal(maxSurge(d), 1);
    assert.equal(maxUnavailable(d), 0);
    const ten = deployment(10);
    assert.equal(maxSurge(ten), 3);
    assert.equal(maxUnavailable(ten), 2);
  });

  test("unavailable is capped at replicas and is 0 for 0 replicas or Recreate", () => {
    assert.equal(maxUnavailable(deployment(2, { maxSurge: 0, maxUnavailable: 5 })), 2);
    assert.equal(maxUnavailable(deployment(0)), 0);
    assert.equal(maxUnavailable(deployment(4, undefined, "Recreate")), 0);
    assert.equal(maxSurge(deployment(4, undefined, "Recreate")), 0);
  });

  test("replicas default to 1, progress deadline to 600 s, MaxInt32 means none", () => {
    assert.equal(maxSurge(deployment(undefined)), 1);
    assert.equal(progressDeadlineSeconds(deployment(1)), 600);
    const none = deployment(1);
    none.spec.progressDeadlineSeconds = 2147483647;
    assert.equal(progressDeadlineSeconds(none), undefined);
  });
});
