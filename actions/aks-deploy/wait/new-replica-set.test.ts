import assert from "node:assert/strict";
import { test } from "node:test";
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { isControlledBy, newReplicaSet } from "./new-replica-set.ts";

const deployment: V1Deployment = {
  metadata: { name: "api", uid: "d-1", annotations: { "deployment.kubernetes.io/revision": "3" } },
};

function replicaSet(
  name: string,
  revision: string,
  owner: { uid: string; controller?: boolean },
): V1ReplicaSet {
  return {
    metadata: {
      name,
      annotations: { "deployment.kubernetes.io/revision": revision },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "api", ...owner }],
    },
  };
}

test("newReplicaSet: the controlled ReplicaSet carrying the Deployment's revision", () => {
  const sets = [
    replicaSet("api-old", "2", { uid: "d-1", controller: true }),
    replicaSet("api-foreign", "3", { uid: "d-2", controller: true }),
    replicaSet("api-not-controller", "3", { uid: "d-1" }),
    replicaSet("api-new", "3", { uid: "d-1", controller: true }),
  ];
  assert.equal(newReplicaSet(deployment, sets)?.metadata?.name, "api-new");
  assert.equal(newReplicaSet(deployment, sets.slice(0, 3)), undefined);
  assert.equal(newReplicaSet({ metadata: { uid: "d-1" } }, sets), undefined);
});

test("isControlledBy: controller ownerReference with the owner's uid only", () => {
  assert.equal(isControlledBy(replicaSet("a", "1", { uid: "d-1", controller: true }), "d-1"), true);
  assert.equal(isControlledBy(replicaSet("a", "1", { uid: "d-1", controller: false }), "d-1"), false);
  assert.equal(isControlledBy(replicaSet("a", "1", { uid: "d-1", controller: true }), undefined), false);
});
