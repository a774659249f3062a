// The Deployment's new ReplicaSet as the controller records it: controlled by the Deployment (controller
// ownerReference with its uid) and carrying the Deployment's own `deployment.kubernetes.io/revision`
// (pkg/controller/deployment/sync.go getNewReplicaSet sets both to the same number).
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { revisionAnnotation } from "./revision.ts";

export function isControlledBy(
  object: { metadata?: { ownerReferences?: { controller?: boolean; uid: string }[] } },
  ownerUid: string | undefined,
): boolean {
  return (
    ownerUid !== undefined &&
    (object.metadata?.ownerReferences ?? []).some(
      (owner) => owner.controller === true && owner.uid === ownerUid,
    )
  );
}

export function newReplicaSet(
  deployment: V1Deployment,
  replicaSets: Iterable<V1ReplicaSet>,
): V1ReplicaSet | undefined {
  const revision = deployment.metadata?.annotations?.[revisionAnnotation];
  if (revision === undefined) return undefined;
  for (const replicaSet of replicaSets)
    if (
      isControlledBy(replicaSet, deployment.metadata?.uid) &&
      replicaSet.metadata?.annotations?.[revisionAnnotation] === revision
    )
      return replicaSet;
  return undefined;
}
