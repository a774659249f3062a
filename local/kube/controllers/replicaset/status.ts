// ReplicaSet status from its pods (replica_set_utils.go calculateStatus) and the ReplicaFailure condition.

import type { Pod, ReplicaSet } from "../../api/kinds.ts";
import { removeCondition, setCondition } from "../api/conditions.ts";
import { isPodAvailable, isPodReady } from "../api/pod.ts";

export function replicaSetStatus(
  rs: ReplicaSet,
  activePods: Pod[],
  failure: { reason: "FailedCreate" | "FailedDelete"; message: string } | undefined,
  now: Date,
  nowText: string,
): NonNullable<ReplicaSet["status"]> {
  const templateLabels = Object.entries(rs.spec.template.metadata?.labels ?? {});
  const status: NonNullable<ReplicaSet["status"]> = {
    replicas: activePods.length,
    fullyLabeledReplicas: activePods.filter((pod) =>
      templateLabels.every(([key, value]) => pod.metadata.labels?.[key] === value),
    ).length,
    readyReplicas: activePods.filter(isPodReady).length,
    availableReplicas: activePods.filter((pod) => isPodAvailable(pod, rs.spec.minReadySeconds ?? 0, now))
      .length,
    observedGeneration: rs.metadata.generation,
  };
  const conditions = rs.status?.conditions ?? [];
  const hasFailure = conditions.some((condition) => condition.type === "ReplicaFailure");
  let next = conditions;
  if (failure && !hasFailure) {
    next = setCondition(conditions, {
      type: "ReplicaFailure",
      status: "True",
      lastTransitionTime: nowText,
      reason: failure.reason,
      message: failure.message,
    });
  } else if (!failure && hasFailure) {
    next = removeCondition(conditions, "ReplicaFailure");
  }
  if (next.length > 0) status.conditions = next;
  return status;
}
