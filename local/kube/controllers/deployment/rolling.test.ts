import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Deployment, ReplicaSet } from "../../api/kinds.ts";
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from "./rolling.ts";

function deployment(
  replicas: number,
  maxSurge: number | string,
  maxUnavailable: number | string,
): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { spec: { containers: [] } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } },
    },
  };
}

function rs(name: string, replicas: number, available: number, created: string): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, uid: name, creationTimestamp: created },
    spec: { replicas, selector: {}, template: { spec: { containers: [] } } },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}

const plan = (scales: { rs: ReplicaSet; to: number }[]) =>
  scales.map(({ rs: set, to }) => `${set.metadata.name}->${to}`);

describe("one rolling step (docs/rollout-semantics.md 3.5)", () => {
  test("the new ReplicaSet grows within replicas + maxSurge", () => {
    const d = deployment(3, 1, 0);
    const old = rs("old", 3, 3, "2026-01-01T00:00:00Z");
    const fresh = rs("new", 0, 0, "2026-01-01T00:00:01Z");
    assert.deepEqual(reconcileNewReplicaSet(d, [old, fresh], fresh)?.to, 1);
    // At the surge limit nothing more is added.
    const grown = rs("new", 1, 0, "2026-01-01T00:00:01Z");
    assert.equal(reconcileNewReplicaSet(d, [old, grown], grown), undefined);
  });

  test("the new ReplicaSet never exceeds spec.replicas, and a larger one is scaled down to it", () => {
    const d = deployment(3, 5, 0);
    const fresh = rs("new", 1, 0, "t");
    assert.equal(reconcileNewReplicaSet(d, [fresh], fresh)?.to, 3);
    const big = rs("new", 5, 5, "t");
    assert.equal(reconcileNewReplicaSet(d, [big], big)?.to, 3);
  });

  test("maxUnavailable 0: old pods go only as new ones become available", () => {
    const d = deployment(3, 1, 0);
    const old = rs("old", 3, 3, "2026-01-01T00:00:00Z");
    assert.deepEqual(
      plan(reconcileOldReplicaSets(d, [old, rs("new", 1, 0, "t2")], [old], rs("new", 1, 0, "t2"))),
      [],
    );
    const ready = rs("new", 1, 1, "t2");
    assert.deepEqual(plan(reconcileOldReplicaSets(d, [old, ready], [old], ready)), ["old->2"]);
  });

  test("budget = allSpec - (replicas - maxUnavailable) - new unavailable, unhealthy old pods first, oldest first", () => {
    const d = deployment(10, 0, 3);
    const oldest = rs("oldest", 4, 2, "2026-01-01T00:00:00Z");
    const older = rs("older", 6, 6, "2026-01-01T00:00:01Z");
    const fresh = rs("new", 0, 0, "2026-01-01T00:00:02Z");
    // budget = 10 - 7 - 0 = 3: the 2 unavailable of "oldest" first, then 1 more from the oldest with pods.
    assert.deepEqual(plan(reconcileOldReplicaSets(d, [oldest, older, fresh], [oldest, older], fresh)), [
      "oldest->2",
      "oldest->1",
    ]);
  });

  test("nothing to scale down when no old pods are left", () => {
    const d = deployment(3, 1, 0);
    const fresh = rs("new", 3, 3, "t");
    assert.deepEqual(reconcileOldReplicaSets(d, [fresh], [], fresh), []);
  });
});
