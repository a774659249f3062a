import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Pod, ReplicaSet } from "../../api/kinds.ts";
import { replicaSetStatus } from "./status.ts";

const now = new Date("2026-01-01T00:00:10Z");

function rs(minReadySeconds = 0): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web-abc", generation: 3 },
    spec: {
      replicas: 3,
      minReadySeconds,
      selector: {},
      template: { metadata: { labels: { app: "web", tier: "front" } }, spec: { containers: [] } },
    },
  };
}

function pod(labels: Record<string, string>, readySince?: string): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", labels },
    spec: { containers: [] },
    status: {
      phase: "Running",
      conditions: [{ type: "Ready", status: readySince ? "True" : "False", lastTransitionTime: readySince }],
    },
  };
}

describe("ReplicaSet status", () => {
  test("counts replicas, fully labelled, ready and available pods; observedGeneration follows generation", () => {
    const pods = [
      pod({ app: "web", tier: "front" }, "2026-01-01T00:00:00Z"),
      pod({ app: "web" }, "2026-01-01T00:00:09Z"),
      pod({ app: "web", tier: "front" }),
    ];
    assert.deepEqual(replicaSetStatus(rs(5), pods, undefined, now, "t"), {
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 3,
    });
  });

  test("a failed pod creation sets ReplicaFailure; success removes it", () => {
    const failed = replicaSetStatus(
      rs(),
      [],
      { reason: "FailedCreate", message: 'namespaces "gone" not found' },
      now,
      "2026-01-01T00:00:10Z",
    );
    assert.deepEqual(failed.conditions, [
      {
        type: "ReplicaFailure",
        status: "True",
        lastTransitionTime: "2026-01-01T00:00:10Z",
        reason: "FailedCreate",
        message: 'namespaces "gone" not found',
      },
    ]);
    const healed = rs();
    healed.status = failed;
    assert.equal(replicaSetStatus(healed, [], undefined, now, "t").conditions, undefined);
  });
});
