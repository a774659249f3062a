// Deployment status from its ReplicaSets (docs/rollout-semantics.md 3.6), as calculateStatus computes it.

import type { Deployment, DeploymentStatus, ReplicaSet } from "../../api/kinds.ts";
import { newCondition, setCondition } from "../api/conditions.ts";
import { maxUnavailable, replicasOf } from "./fenceposts.ts";
import { specSum, statusSum } from "./replica-counts.ts";

export function calculateStatus(
  d: Deployment,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: string,
): DeploymentStatus {
  const available = statusSum(allRSs, "availableReplicas");
  // The real controller subtracts from the sum of the ReplicaSets' spec.replicas (not spec.replicas).
  const unavailable = Math.max(0, specSum(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: statusSum(allRSs, "replicas"),
    updatedReplicas: statusSum([newRS], "replicas"),
    readyReplicas: statusSum(allRSs, "readyReplicas"),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions: [...(d.status?.conditions ?? [])],
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const availability =
    available >= replicasOf(d) - maxUnavailable(d)
      ? newCondition(
          "Available",
          "True",
          "MinimumReplicasAvailable",
          "Deployment has minimum availability.",
          now,
        )
      : newCondition(
          "Available",
          "False",
          "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.",
          now,
        );
  status.conditions = setCondition(status.conditions, availability);
  return status;
}
