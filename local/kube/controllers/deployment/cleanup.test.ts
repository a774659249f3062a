import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { replicaSetsToDelete } from "./cleanup.ts";
import { deploymentOf, replicaSetOf } from "./fixtures.test-helpers.ts";

describe("revisionHistoryLimit cleanup (docs/rollout-semantics.md 3.8)", () => {
  test("the oldest revisions beyond the limit go, only when scaled to zero", () => {
    const d = deploymentOf(1, { revisionHistoryLimit: 1 });
    const r1 = replicaSetOf("r1", { spec: 0 }, { revision: "1" });
    const r2 = replicaSetOf("r2", { spec: 1 }, { revision: "2" });
    const r3 = replicaSetOf("r3", { spec: 0 }, { revision: "3" });
    assert.deepEqual(
      replicaSetsToDelete(d, [r3, r2, r1]).map((rs) => rs.metadata.name),
      ["r1"],
    );
  });

  test("within the limit nothing goes", () => {
    const d = deploymentOf(1);
    assert.deepEqual(replicaSetsToDelete(d, [replicaSetOf("r1", { spec: 0 }, { revision: "1" })]), []);
  });

  test("a ReplicaSet whose pods are still counted is kept", () => {
    const d = deploymentOf(1, { revisionHistoryLimit: 0 });
    const draining = replicaSetOf("r1", { spec: 0, replicas: 1 }, { revision: "1" });
    assert.deepEqual(replicaSetsToDelete(d, [draining]), []);
  });
});
