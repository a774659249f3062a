// rolloutRecreate (recreate.go): scale every old ReplicaSet to 0, wait until none of their pods is left
// running or terminating, then create and scale up the new one.
import type { ReplicaSet } from "../../api/kinds.ts";
import { controllerOf } from "../../api/meta.ts";
import { resources } from "../../api/resources.ts";
import { replicasOf } from "./fenceposts.ts";
import { getAllReplicaSetsAndSyncRevision } from "./new-replica-set.ts";
import { deploymentComplete } from "./progress.ts";
import { active, specReplicas, statusSum } from "./replica-counts.ts";
import { applyScales, cleanupDeployment, scaleReplicaSet } from "./sync.ts";
import type { Sync, SyncContext } from "./sync-context.ts";
import { syncRolloutStatus } from "./sync-rollout-status.ts";

export function rolloutRecreate(ctx: SyncContext, s: Sync, rsList: ReplicaSet[]): void {
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, s, rsList, false);
  const allRSs = () => [...oldRSs, ...(newRS ? [newRS] : [])];
  const scaledDown = applyScales(
    ctx,
    s,
    active(oldRSs).map((rs) => ({ rs, to: 0 })),
  );
  // New pods start only once the old ones are scaled down and gone.
  if (!scaledDown && !oldPodsRunning(ctx, newRS, oldRSs)) {
    if (!newRS) ({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, s, rsList, true));
    if (newRS && specReplicas(newRS) !== replicasOf(s.d)) scaleReplicaSet(ctx, s, newRS, replicasOf(s.d));
    if (s.d.status && deploymentComplete(s.d, s.d.status)) cleanupDeployment(ctx, s, oldRSs);
  }
  syncRolloutStatus(ctx, s, allRSs(), newRS);
}

/** oldPodsRunning: a pod of an old ReplicaSet is still running or terminating. */
function oldPodsRunning(ctx: SyncContext, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
  if (statusSum(oldRSs, "replicas") > 0) return true;
  const oldUids = new Set(
    oldRSs.map((rs) => rs.metadata.uid ?? "").filter((uid) => uid !== newRS?.metadata.uid),
  );
  const namespace = oldRSs[0]?.metadata.namespace;
  if (oldUids.size === 0) return false;
  return ctx.store
    .list(resources.pods, { namespace })
    .items.some(
      (pod) =>
        oldUids.has(controllerOf(pod.metadata)?.uid ?? "-") &&
        pod.status?.phase !== "Failed" &&
        pod.status?.phase !== "Succeeded",
    );
}
