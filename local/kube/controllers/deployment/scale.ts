// Scaling events (sync.go scale()): a Deployment resized mid-rollout spreads the difference over its active
// ReplicaSets in proportion to their size, largest first, leftovers to the largest.
import type { Deployment, ReplicaSet } from "../../api/kinds.ts";
import { timeOf } from "../../api/meta.ts";
import { isRollingUpdate, maxSurge, replicasOf } from "./fenceposts.ts";
import { active, type Scale, specReplicas, specSum } from "./replica-counts.ts";
import { annotation, byCreation } from "./revision.ts";

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
export function activeOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort(byCreation).reverse();
  const live = active([...newestFirst, newRS]);
  if (live.length === 0) return newRS ?? newestFirst[0];
  return live.length === 1 ? live[0] : undefined;
}

/** IsSaturated: the new ReplicaSet has every replica, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = rs.metadata.annotations?.[annotation.desiredReplicas];
  const replicas = replicasOf(d);
  return (
    desired === String(replicas) &&
    specReplicas(rs) === replicas &&
    (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
export function isScalingEvent(d: Deployment, allRSs: ReplicaSet[]): boolean {
  return active(allRSs).some((rs) => {
    const desired = rs.metadata.annotations?.[annotation.desiredReplicas];
    return desired !== undefined && /^\d+$/.test(desired) && Number(desired) !== replicasOf(d);
  });
}

function fraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.[annotation.maxReplicas] ?? Number.NaN);
  const basis = Number.isInteger(annotated) ? annotated : (d.status?.replicas ?? 0);
  // integer.RoundToInt32 rounds half away from zero.
  const exact = (specReplicas(rs) * deploymentReplicas) / basis;
  return Math.sign(exact) * Math.round(Math.abs(exact)) - specReplicas(rs);
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const allowed = toAdd - added;
  const share = fraction(rs, d);
  return toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

/** The sizes scale() gives; the direction names the event ("up"/"down"). */
export function scalePlan(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): { scales: Scale[]; direction?: "up" | "down" } {
  const only = activeOrLatest(newRS, oldRSs);
  if (only)
    return specReplicas(only) === replicasOf(d)
      ? { scales: [] }
      : { scales: [{ rs: only, to: replicasOf(d) }] };
  if (isSaturated(d, newRS))
    return { scales: active(oldRSs).map((rs) => ({ rs, to: 0 })), direction: "down" };
  if (!isRollingUpdate(d)) return { scales: [] };

  const live = active([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specSum(live);
  const newer = (a: ReplicaSet, b: ReplicaSet) =>
    timeOf(b.metadata.creationTimestamp) - timeOf(a.metadata.creationTimestamp) ||
    b.metadata.name.localeCompare(a.metadata.name);
  const bySize = (tie: (a: ReplicaSet, b: ReplicaSet) => number) => (a: ReplicaSet, b: ReplicaSet) =>
    specReplicas(b) - specReplicas(a) || tie(a, b);
  let direction: "up" | "down" | undefined;
  if (toAdd > 0) {
    live.sort(bySize(newer));
    direction = "up";
  } else if (toAdd < 0) {
    live.sort(bySize(byCreation));
    direction = "down";
  }
  let added = 0;
  const sizes = live.map((rs) => {
    const share = toAdd === 0 ? 0 : proportion(rs, d, toAdd, added);
    added += share;
    return specReplicas(rs) + share;
  });
  const scales = live.map((rs, i) => {
    let to = sizes[i] ?? 0;
    if (i === 0 && toAdd !== 0) to = Math.max(0, to + toAdd - added);
    return { rs, to };
  });
  return { scales, direction };
}
