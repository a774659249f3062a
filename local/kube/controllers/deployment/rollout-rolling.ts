// rolloutRolling (rolling.go; rule 3.5): scale the new ReplicaSet up, else old ones down, clean up once
// complete, then sync the rollout status.
import type { ReplicaSet } from "../../api/kinds.ts";
import { getAllReplicaSetsAndSyncRevision } from "./new-replica-set.ts";
import { deploymentComplete } from "./progress.ts";
import { active } from "./replica-counts.ts";
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from "./rolling.ts";
import { applyScales, cleanupDeployment, scaleReplicaSet } from "./sync.ts";
import type { Sync, SyncContext } from "./sync-context.ts";
import { syncRolloutStatus } from "./sync-rollout-status.ts";

export function rolloutRolling(ctx: SyncContext, s: Sync, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, s, rsList, true);
  if (!newRS) return;
  const allRSs = [...oldRSs, newRS];
  const up = reconcileNewReplicaSet(s.d, allRSs, newRS);
  const scaledUp = up !== undefined && scaleReplicaSet(ctx, s, newRS, up.to);
  // Only when nothing was scaled up are old ReplicaSets scaled down; cleanup waits for completion.
  const scaledDown =
    !scaledUp && applyScales(ctx, s, reconcileOldReplicaSets(s.d, allRSs, active(oldRSs), newRS));
  if (!scaledUp && !scaledDown && s.d.status && deploymentComplete(s.d, s.d.status))
    cleanupDeployment(ctx, s, oldRSs);
  syncRolloutStatus(ctx, s, allRSs, newRS);
}
