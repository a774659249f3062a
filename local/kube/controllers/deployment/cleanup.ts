// revisionHistoryLimit cleanup (docs/rollout-semantics.md 3.8): the oldest old ReplicaSets beyond the limit, by revision,
// and only those fully scaled down and observed.
import type { Deployment, ReplicaSet } from "../../api/kinds.ts";
import { revisionHistoryLimit } from "./fenceposts.ts";
import { specReplicas } from "./replica-counts.ts";
import { byCreation, revisionOf } from "./revision.ts";

export function replicaSetsToDelete(d: Deployment, oldRSs: ReplicaSet[]): ReplicaSet[] {
  const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const excess = cleanable.length - revisionHistoryLimit(d);
  if (excess <= 0) return [];
  const byRevision = [...cleanable].sort(
    (a, b) => (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0) || byCreation(a, b),
  );
  return byRevision
    .slice(0, excess)
    .filter(
      (rs) =>
        (rs.status?.replicas ?? 0) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0),
    );
}
