// One rolling-update step (docs/rollout-semantics.md 3.5), as rolling.go decides it: scale the new ReplicaSet up within the surge;
// otherwise scale old ones down within the unavailability budget, unhealthy replicas first, oldest first.
import type { Deployment, ReplicaSet } from "../../api/kinds.ts";
import { maxSurge, maxUnavailable, replicasOf } from "./fenceposts.ts";
import { type Scale, specReplicas, specSum, statusSum } from "./replica-counts.ts";
import { byCreation } from "./revision.ts";

/** NewRSNewReplicas: the size the new ReplicaSet may have now. */
export function newReplicaSetReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = replicasOf(d);
  if ((d.spec.strategy?.type ?? "RollingUpdate") === "Recreate") return replicas;
  const current = specSum(allRSs);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS));
}

/** reconcileNewReplicaSet: the new ReplicaSet's next size, or undefined when it is already right. */
export function reconcileNewReplicaSet(
  d: Deployment,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet,
): Scale | undefined {
  const replicas = replicasOf(d);
  const current = specReplicas(newRS);
  if (current === replicas) return undefined;
  if (current > replicas) return { rs: newRS, to: replicas };
  const to = newReplicaSetReplicas(d, allRSs, newRS);
  return to === current ? undefined : { rs: newRS, to };
}

/** reconcileOldReplicaSets: scale-downs of old ReplicaSets (oldRSs are the active ones). */
export function reconcileOldReplicaSets(
  d: Deployment,
  allRSs: ReplicaSet[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
): Scale[] {
  if (specSum(oldRSs) === 0) return [];
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  const maxScaledDown = specSum(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];

  const scales: Scale[] = [];
  const sized = new Map<ReplicaSet, number>(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  // cleanupUnhealthyReplicas: replicas that are not available go first, oldest ReplicaSet first.
  let cleaned = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const size = sized.get(rs) ?? 0;
    const available = rs.status?.availableReplicas ?? 0;
    if (size === 0 || size === available) continue;
    const count = Math.min(maxScaledDown - cleaned, size - available);
    sized.set(rs, size - count);
    scales.push({ rs, to: size - count });
    cleaned += count;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: then available ones, down to minAvailable.
  const availablePods = statusSum(allRSs, "availableReplicas");
  if (availablePods > minAvailable) {
    const budget = availablePods - minAvailable;
    let scaled = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (scaled >= budget) break;
      const size = sized.get(rs) ?? 0;
      if (size === 0) continue;
      const count = Math.min(size, budget - scaled);
      sized.set(rs, size - count);
      scales.push({ rs, to: size - count });
      scaled += count;
    }
  }
  return scales;
}
