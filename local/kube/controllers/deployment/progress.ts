// The Progressing condition (docs/rollout-semantics.md 3.7, progress.go): complete, progressing, or timed out against the
// progress deadline; ReplicaSet failures copied to the Deployment; when to look again.

import type { Deployment, DeploymentStatus, ReplicaSet } from "../../api/kinds.ts";
import { timeOf } from "../../api/meta.ts";
import { getCondition, newCondition, removeCondition, setCondition } from "../api/conditions.ts";
import { progressDeadlineSeconds, replicasOf } from "./fenceposts.ts";

export const reason = {
  newReplicaSetCreated: "NewReplicaSetCreated",
  foundNewReplicaSet: "FoundNewReplicaSet",
  newReplicaSetAvailable: "NewReplicaSetAvailable",
  replicaSetUpdated: "ReplicaSetUpdated",
  timedOut: "ProgressDeadlineExceeded",
  paused: "DeploymentPaused",
  resumed: "DeploymentResumed",
  failedCreate: "ReplicaSetCreateError",
} as const;

/** DeploymentComplete: every replica updated and available, the spec observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = replicasOf(d);
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: updated up, old down, ready up or available up since the last status. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: lastUpdateTime + deadline is before now, or the deadline was already exceeded. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: Date): boolean {
  const deadline = progressDeadlineSeconds(d);
  if (deadline === undefined) return false;
  const condition = getCondition(status.conditions, "Progressing");
  if (!condition) return false;
  if (condition.reason === reason.newReplicaSetAvailable) return false;
  if (condition.reason === reason.timedOut) return true;
  return timeOf(condition.lastUpdateTime) + deadline * 1000 < now.getTime();
}

function subject(newRS: ReplicaSet | undefined, d: Deployment): string {
  return newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
}

/** syncRolloutStatus's condition logic applied to a freshly calculated status. */
export function withRolloutConditions(
  d: Deployment,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  calculated: DeploymentStatus,
  now: Date,
  nowText: string,
): DeploymentStatus {
  const status: DeploymentStatus = { ...calculated };
  const hasDeadline = progressDeadlineSeconds(d) !== undefined;
  if (!hasDeadline) status.conditions = removeCondition(status.conditions, "Progressing");
  const current = getCondition(d.status?.conditions, "Progressing");
  const alreadyComplete =
    status.replicas === status.updatedReplicas && current?.reason === reason.newReplicaSetAvailable;
  if (hasDeadline && !alreadyComplete) {
    if (deploymentComplete(d, status)) {
      const message = `${subject(newRS, d)} has successfully progressed.`;
      status.conditions = setCondition(
        status.conditions,
        newCondition("Progressing", "True", reason.newReplicaSetAvailable, message, nowText),
      );
    } else if (deploymentProgressing(d, status)) {
      const message = `${subject(newRS, d)} is progressing.`;
      const condition = newCondition("Progressing", "True", reason.replicaSetUpdated, message, nowText);
      if (current?.status === "True") condition.lastTransitionTime = current.lastTransitionTime;
      status.conditions = setCondition(removeCondition(status.conditions, "Progressing"), condition);
    } else if (deploymentTimedOut(d, status, now)) {
      const message = `${subject(newRS, d)} has timed out progressing.`;
      status.conditions = setCondition(
        status.conditions,
        newCondition("Progressing", "False", reason.timedOut, message, nowText),
      );
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  status.conditions = failure
    ? setCondition(status.conditions, failure)
    : removeCondition(status.conditions, "ReplicaFailure");
  return status;
}

/** getReplicaFailures: the first ReplicaFailure condition, the new ReplicaSet's first. */
function replicaFailure(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined) {
  const ordered = newRS ? [newRS, ...allRSs.filter((rs) => rs !== newRS)] : allRSs;
  for (const rs of ordered) {
    const condition = getCondition(rs.status?.conditions, "ReplicaFailure");
    if (condition) return { ...condition, lastUpdateTime: condition.lastTransitionTime };
  }
  return undefined;
}

/** requeueStuckDeployment: ms until the deadline should be checked again, or undefined. */
export function recheckAfterMs(d: Deployment, status: DeploymentStatus, now: Date): number | undefined {
  const deadline = progressDeadlineSeconds(d);
  const condition = getCondition(status.conditions, "Progressing");
  if (deadline === undefined || !condition) return undefined;
  if (deploymentComplete(d, status) || condition.reason === reason.timedOut) return undefined;
  const after = timeOf(condition.lastUpdateTime) + deadline * 1000 - now.getTime();
  return after < 1000 ? 0 : after + 1000;
}

/** checkPausedConditions: the Progressing condition paused/resumed changes to make, if any. */
export function pausedCondition(d: Deployment, nowText: string) {
  if (progressDeadlineSeconds(d) === undefined) return undefined;
  const condition = getCondition(d.status?.conditions, "Progressing");
  if (condition?.reason === reason.timedOut) return undefined;
  const pausedRecorded = condition?.reason === reason.paused;
  if (d.spec.paused && !pausedRecorded)
    return newCondition("Progressing", "Unknown", reason.paused, "Deployment is paused", nowText);
  if (!d.spec.paused && pausedRecorded)
    return newCondition("Progressing", "Unknown", reason.resumed, "Deployment is resumed", nowText);
  return undefined;
}
