import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getCondition } from "../api/conditions.ts";
import { deploymentOf, replicaSetOf } from "./fixtures.test-helpers.ts";
import { calculateStatus } from "./status.ts";

describe("deployment status (docs/rollout-semantics.md 3.6)", () => {
  test("sums over ReplicaSets; updated counts the new one; observedGeneration follows generation", () => {
    const d = deploymentOf(3, { generation: 4 });
    const old = replicaSetOf("old", { spec: 2, available: 2 });
    const fresh = replicaSetOf("new", { spec: 2, replicas: 2, available: 1, ready: 1 });
    const status = calculateStatus(d, [old, fresh], fresh, "2026-01-01T00:00:00Z");
    assert.equal(status.observedGeneration, 4);
    assert.equal(status.replicas, 4);
    assert.equal(status.updatedReplicas, 2);
    assert.equal(status.readyReplicas, 3);
    assert.equal(status.availableReplicas, 3);
    assert.equal(status.unavailableReplicas, 1);
  });

  test("Available is True MinimumReplicasAvailable at replicas - maxUnavailable, else False", () => {
    const d = deploymentOf(4); // maxUnavailable 25% of 4 = 1
    const ok = calculateStatus(d, [replicaSetOf("a", { spec: 4, available: 3 })], undefined, "t");
    assert.deepEqual(
      {
        ...getCondition(ok.conditions, "Available"),
        lastUpdateTime: undefined,
        lastTransitionTime: undefined,
      },
      {
        type: "Available",
        status: "True",
        reason: "MinimumReplicasAvailable",
        message: "Deployment has minimum availability.",
        lastUpdateTime: undefined,
        lastTransitionTime: undefined,
      },
    );
    const low = calculateStatus(d, [replicaSetOf("a", { spec: 4, available: 2 })], undefined, "t");
    const condition = getCondition(low.conditions, "Available");
    assert.equal(condition?.status, "False");
    assert.equal(condition?.reason, "MinimumReplicasUnavailable");
    assert.equal(condition?.message, "Deployment does not have minimum availability.");
  });

  test("an unchanged Available condition keeps its timestamps", () => {
    const d = deploymentOf(1);
    const first = calculateStatus(d, [replicaSetOf("a", { spec: 1 })], undefined, "2026-01-01T00:00:00Z");
    d.status = first;
    const again = calculateStatus(d, [replicaSetOf("a", { spec: 1 })], undefined, "2026-01-01T00:05:00Z");
    assert.equal(getCondition(again.conditions, "Available")?.lastUpdateTime, "2026-01-01T00:00:00Z");
  });
});
