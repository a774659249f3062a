// Sums over ReplicaSets as deployment/util computes them.
import type { ReplicaSet } from "../../api/kinds.ts";

/** spec.replicas, defaulted to 1 as the API server does. */
export function specReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 1;
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export function specSum(replicaSets: (ReplicaSet | undefined)[]): number {
  return replicaSets.reduce((sum, rs) => sum + (rs ? specReplicas(rs) : 0), 0);
}

/** GetActualReplicaCountForReplicaSets and friends: sums of a status field. */
export function statusSum(
  replicaSets: (ReplicaSet | undefined)[],
  field: "replicas" | "readyReplicas" | "availableReplicas",
): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.status?.[field] ?? 0), 0);
}

/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export function active(replicaSets: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return replicaSets.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

/** A decision to set a ReplicaSet's spec.replicas. */
export interface Scale {
  rs: ReplicaSet;
  to: number;
}
