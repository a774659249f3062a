// sync.go: scaling a ReplicaSet (scaleReplicaSet), cleanupDeployment (rule 3.8), and `sync` itself, the
// path for paused Deployments and scaling events: scale only, then status without Progressing changes.
import { isDeepStrictEqual } from "node:util";
import type { ReplicaSet } from "../../api/kinds.ts";
import { resources } from "../../api/resources.ts";
import { StoreError } from "../../store/object-store.ts";
import { replicaSetsToDelete } from "./cleanup.ts";
import { maxSurge, replicasOf } from "./fenceposts.ts";
import { getAllReplicaSetsAndSyncRevision } from "./new-replica-set.ts";
import { type Scale, specReplicas } from "./replica-counts.ts";
import { findNewReplicaSet, setReplicasAnnotations } from "./revision.ts";
import { scalePlan } from "./scale.ts";
import { calculateStatus } from "./status.ts";
import {
  fieldManager,
  now,
  replicaSetsOf,
  type Sync,
  type SyncContext,
  writeStatus,
} from "./sync-context.ts";

/** scaleReplicaSet: size and desired/max annotations; an event when the size changed. True if resized. */
export function scaleReplicaSet(
  ctx: SyncContext,
  s: Sync,
  target: ReplicaSet,
  to: number,
  direction?: "up" | "down",
): boolean {
  const rs = ctx.store.get(resources.replicasets, target.metadata.namespace, target.metadata.name);
  if (!rs) return false;
  const from = specReplicas(rs);
  const annotations = { ...rs.metadata.annotations };
  const annotationsChanged = setReplicasAnnotations(
    annotations,
    replicasOf(s.d),
    replicasOf(s.d) + maxSurge(s.d),
  );
  if (from === to && !annotationsChanged) return false;
  const next = structuredClone(rs);
  next.spec.replicas = to;
  next.metadata.annotations = annotations;
  ctx.store.update(resources.replicasets, next, { fieldManager });
  if (from === to) return false;
  const operation = direction ?? (from < to ? "up" : "down");
  ctx.events.record(
    s.d,
    "Normal",
    "ScalingReplicaSet",
    `Scaled ${operation} replica set ${rs.metadata.name} from ${from} to ${to}`,
  );
  return true;
}

/** Applies each scale decision; true if any ReplicaSet was resized. */
export function applyScales(ctx: SyncContext, s: Sync, scales: Scale[], direction?: "up" | "down"): boolean {
  let scaled = false;
  for (const { rs, to } of scales) if (scaleReplicaSet(ctx, s, rs, to, direction)) scaled = true;
  return scaled;
}

/** cleanupDeployment (rule 3.8). */
export function cleanupDeployment(ctx: SyncContext, s: Sync, oldRSs: ReplicaSet[]): void {
  for (const rs of replicaSetsToDelete(s.d, oldRSs)) {
    try {
      ctx.store.delete(resources.replicasets, rs.metadata.namespace, rs.metadata.name);
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 404)) throw error;
    }
  }
}

/** sync: scale only (paused Deployments and scaling events), then status without Progressing changes. */
export function sync(ctx: SyncContext, s: Sync, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, s, rsList, false);
  const { scales, direction } = scalePlan(s.d, newRS, oldRSs);
  applyScales(ctx, s, scales, direction);
  if (s.d.spec.paused) cleanupDeployment(ctx, s, oldRSs);
  syncDeploymentStatus(ctx, s, replicaSetsOf(ctx, s.d), newRS);
}

/** syncDeploymentStatus: the calculated status, written when it differs. */
export function syncDeploymentStatus(
  ctx: SyncContext,
  s: Sync,
  rsList: ReplicaSet[],
  newRS = findNewReplicaSet(s.d, rsList),
): void {
  const status = calculateStatus(s.d, rsList, newRS, now(ctx).text);
  if (!isDeepStrictEqual(status, s.d.status)) writeStatus(ctx, s, status);
}
