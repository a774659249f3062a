import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiException } from "@kubernetes/client-node";
import { conflictingManagers, mayForce, undoFieldManager } from "./apply-conflicts.ts";

const conflict = (message: string) =>
  new ApiException(409, "Conflict", JSON.stringify({ kind: "Status", reason: "Conflict", message }), {});

test("conflictingManagers reads every manager a 409 names, once each", () => {
  assert.deepEqual(
    conflictingManagers(
      conflict(
        'Apply failed with 2 conflicts: conflicts with "kubectl-rollout" using apps/v1:\n- .spec.template\nconflicts with "hpa-controller" using apps/v1:\n- .spec.replicas\nconflict with "kubectl-rollout"',
      ),
    ),
    ["kubectl-rollout", "hpa-controller"],
  );
  assert.equal(conflictingManagers(new ApiException(422, "Invalid", "{}", {})), undefined);
  assert.equal(conflictingManagers(new Error("socket hang up")), undefined);
});

test("only kubectl's managers and the action's own undo may be forced", () => {
  assert.equal(undoFieldManager("aks-deploy"), "aks-deploy-undo");
  assert.equal(mayForce(["kubectl", "kubectl-rollout", "kubectl-client-side-apply"], "aks-deploy"), true);
  assert.equal(mayForce(["aks-deploy-undo"], "aks-deploy"), true);
  assert.equal(mayForce(["kubectl-rollout", "hpa-controller"], "aks-deploy"), false);
  assert.equal(mayForce(["other-deploy-undo"], "aks-deploy"), false);
});
