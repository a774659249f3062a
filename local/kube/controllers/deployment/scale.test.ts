import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deploymentOf, replicaSetOf } from "./fixtures.test-helpers.ts";
import { isScalingEvent, scalePlan } from "./scale.ts";

const sized = (plan: ReturnType<typeof scalePlan>) =>
  plan.scales.map(({ rs, to }) => `${rs.metadata.name}->${to}`);
const annotated = (desired: number, max: number) => ({
  "deployment.kubernetes.io/desired-replicas": String(desired),
  "deployment.kubernetes.io/max-replicas": String(max),
});

describe("scaling events (sync.go scale)", () => {
  test("a scaling event is an active ReplicaSet whose desired-replicas differs from spec.replicas", () => {
    const rs = replicaSetOf("a", { spec: 3 }, { annotations: annotated(3, 4) });
    assert.ok(isScalingEvent(deploymentOf(5), [rs]));
    assert.ok(!isScalingEvent(deploymentOf(3), [rs]));
  });

  test("a single active ReplicaSet takes the whole new size", () => {
    const only = replicaSetOf("only", { spec: 3 });
    assert.deepEqual(sized(scalePlan(deploymentOf(5), only, [replicaSetOf("old", { spec: 0 })])), [
      "only->5",
    ]);
  });

  test("mid-rollout, the difference is shared in proportion, largest first", () => {
    // 10 replicas, surge 3: old 8 + new 5 = 13 = max. Scaled to 20 (surge 5): 25 allowed, 12 to add.
    const d = deploymentOf(20, {
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
    });
    const old = replicaSetOf(
      "old",
      { spec: 8 },
      { created: "2026-01-01T00:00:00Z", annotations: annotated(10, 13) },
    );
    const fresh = replicaSetOf(
      "new",
      { spec: 5 },
      { created: "2026-01-01T00:01:00Z", annotations: annotated(10, 13) },
    );
    const plan = scalePlan(d, fresh, [old]);
    assert.equal(plan.direction, "up");
    // old: round(8*25/13)=15 -> +7; new: round(5*25/13)=10 -> +5; 12 added, no leftover.
    assert.deepEqual(sized(plan), ["old->15", "new->10"]);
  });

  test("a saturated new ReplicaSet scales every old one to zero", () => {
    const d = deploymentOf(2);
    const fresh = replicaSetOf("new", { spec: 2 }, { annotations: annotated(2, 3) });
    const old = replicaSetOf("old", { spec: 1 });
    assert.deepEqual(sized(scalePlan(d, fresh, [old])), ["old->0"]);
  });
});
