// Revision bookkeeping (rules 3.2, 3.3): which ReplicaSet is new, revision numbers, revision-history on
// reuse, annotations copied from the Deployment, desired/max replicas annotations.
import { isDeepStrictEqual } from "node:util";
import type { Deployment, PodTemplate, ReplicaSet } from "../../api/kinds.ts";
import { timeOf } from "../../api/meta.ts";

export const annotation = {
  revision: "deployment.kubernetes.io/revision",
  revisionHistory: "deployment.kubernetes.io/revision-history",
  desiredReplicas: "deployment.kubernetes.io/desired-replicas",
  maxReplicas: "deployment.kubernetes.io/max-replicas",
} as const;

export const podTemplateHashLabel = "pod-template-hash";

/** Deployment annotations never copied to its ReplicaSets. */
const skipped = new Set<string>([
  "kubectl.kubernetes.io/last-applied-configuration",
  annotation.revision,
  annotation.revisionHistory,
  annotation.desiredReplicas,
  annotation.maxReplicas,
  "deprecated.deployment.rollback.to",
]);

export const maxRevisionHistoryChars = 2000;

/** The revision number; missing is 0, unparsable is undefined (skipped, as the controller logs and skips). */
export function revisionOf(rs: ReplicaSet): number | undefined {
  const value = rs.metadata.annotations?.[annotation.revision];
  if (value === undefined) return 0;
  return /^-?\d+$/.test(value) ? Number(value) : undefined;
}

export function maxRevision(replicaSets: ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs) ?? 0), 0);
}

/**
 * The template as the Go structs see it: null, empty lists and empty maps are the zero value (clients send
 * `metadata.creationTimestamp: null` in templates; apimachinery's semantic DeepEqual treats nil and empty as
 * equal).
 */
export function semantic(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(semantic);
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, semantic(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value ?? undefined;
}

function withoutHash(template: PodTemplate): unknown {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
  return semantic(copy);
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is removed from both. */
export function equalIgnoreHash(a: PodTemplate, b: PodTemplate): boolean {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

/** ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return (
    timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp) ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
export function findNewReplicaSet(d: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

export function findOldReplicaSets(d: Deployment, replicaSets: ReplicaSet[]): ReplicaSet[] {
  const current = findNewReplicaSet(d, replicaSets);
  return replicaSets.filter((rs) => rs.metadata.uid !== current?.metadata.uid);
}

/** Copies the Deployment's annotations (minus the skip list); true when something changed. */
function copyDeploymentAnnotations(d: Deployment, annotations: Record<string, string>): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipped.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

/** Appends the old revision to revision-history, dropping the oldest entries beyond the length limit. */
export function appendRevisionHistory(
  history: string | undefined,
  oldRevision: string,
  limit = maxRevisionHistoryChars,
): string | undefined {
  if (!history) return oldRevision;
  const entries = history.split(",");
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > limit && start < entries.length) {
    total -= (entries[start]?.length ?? 0) + 1;
    start++;
  }
  return total <= limit ? [...entries.slice(start), oldRevision].join(",") : undefined;
}

export function setReplicasAnnotations(
  annotations: Record<string, string>,
  desired: number,
  max: number,
): boolean {
  const changed =
    annotations[annotation.desiredReplicas] !== String(desired) ||
    annotations[annotation.maxReplicas] !== String(max);
  annotations[annotation.desiredReplicas] = String(desired);
  annotations[annotation.maxReplicas] = String(max);
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to newRevision
 * (recording the previous one in revision-history when the ReplicaSet is reused), and for a ReplicaSet about
 * to be created sets desired/max replicas. Mutates rs; true when an annotation changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  replicas: { desired: number; max: number },
): boolean {
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  let changed = copyDeploymentAnnotations(d, annotations);
  const oldRevision = annotations[annotation.revision];
  const hadRevision = oldRevision !== undefined;
  let oldNumber = 0;
  if (hadRevision) {
    if (!/^-?\d+$/.test(oldRevision)) return false;
    oldNumber = Number(oldRevision);
  }
  if (oldNumber < newRevision) {
    annotations[annotation.revision] = String(newRevision);
    changed = true;
    if (hadRevision) {
      const history = appendRevisionHistory(annotations[annotation.revisionHistory], oldRevision);
      if (history !== undefined) annotations[annotation.revisionHistory] = history;
    }
  }
  if (!exists && setReplicasAnnotations(annotations, replicas.desired, replicas.max)) changed = true;
  return changed;
}
