// After undoing a rollout that had exceeded its progress deadline, the controller reuses the old ReplicaSet
// without resetting the Progressing condition (pkg/controller/deployment/sync.go: a found new ReplicaSet sets
// FoundNewReplicaSet only when no Progressing condition exists; progress.go keeps ProgressDeadlineExceeded
// until the counts move), so the first status after the undo can still read ProgressDeadlineExceeded and
// kubectl's second check (docs/rollout-semantics.md 1.3) would fail the wait on the undo at once. The wait after an undo sets that condition aside:
// the one present when the wait began predates the undo; a later one (a new lastUpdateTime) counts.
import type { V1Deployment } from "@kubernetes/client-node";
import { timedOutReason } from "./rollout-status.ts";
import { timeOf } from "./time-of.ts";

/** The lastUpdateTime (ms) of a ProgressDeadlineExceeded condition, if the Deployment has one. */
export function deadlineExceededAt(deployment: V1Deployment): number | undefined {
  const progressing = deployment.status?.conditions?.find((condition) => condition.type === "Progressing");
  if (progressing?.reason !== timedOutReason) return undefined;
  return timeOf(progressing.lastUpdateTime ?? progressing.lastTransitionTime) ?? 0;
}

/** The Deployment without a ProgressDeadlineExceeded condition last updated at or before `staleAt`. */
export function withoutStaleDeadline(deployment: V1Deployment, staleAt: number | undefined): V1Deployment {
  const exceededAt = deadlineExceededAt(deployment);
  if (staleAt === undefined || exceededAt === undefined || exceededAt > staleAt) return deployment;
  return {
    ...deployment,
    status: {
      ...deployment.status,
      conditions: deployment.status?.conditions?.filter((condition) => condition.type !== "Progressing"),
    },
  };
}
