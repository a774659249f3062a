// A Deployment's revisions as `kubectl rollout history` reads them (kubernetes/kubectl
// pkg/polymorphichelpers/history.go, DeploymentHistoryViewer): one per controlled ReplicaSet with a parsable
// revision annotation, its change-cause from `kubernetes.io/change-cause`; plus what the release ledger
// needs to name a release: the ReplicaSet's name and uid, its pod-template-hash and its images.
import type { AppsV1Api, V1ReplicaSet } from "@kubernetes/client-node";
import { podTemplateHashLabel, replicaSetsOf } from "../../lib/kube/deployment-replica-sets.ts";
import { changeCauseAnnotation } from "../apply/provenance.ts";
import { revisionOf } from "../wait/revision.ts";

export interface RolloutRevision {
  revision: number;
  replicaSetName: string;
  replicaSetUid: string;
  podTemplateHash?: string;
  /** Each container (init containers first) and its image reference. */
  images: { container: string; image: string }[];
  changeCause?: string;
  /** The ReplicaSet's spec.replicas: non-zero for the revisions that run. */
  replicas: number;
}

/** The revisions of these ReplicaSets, oldest first; a later ReplicaSet wins a duplicated number, as in
 * kubectl's map. */
export function revisionsOf(replicaSets: readonly V1ReplicaSet[]): RolloutRevision[] {
  const byRevision = new Map<number, RolloutRevision>();
  for (const replicaSet of replicaSets) {
    const { revision } = revisionOf(replicaSet.metadata);
    if (revision === undefined) continue;
    const template = replicaSet.spec?.template;
    const containers = [...(template?.spec?.initContainers ?? []), ...(template?.spec?.containers ?? [])];
    const podTemplateHash = replicaSet.metadata?.labels?.[podTemplateHashLabel];
    const changeCause = replicaSet.metadata?.annotations?.[changeCauseAnnotation];
    byRevision.set(revision, {
      revision,
      replicaSetName: replicaSet.metadata?.name ?? "",
      replicaSetUid: replicaSet.metadata?.uid ?? "",
      ...(podTemplateHash === undefined ? {} : { podTemplateHash }),
      images: containers.map((container) => ({ container: container.name, image: container.image ?? "" })),
      ...(changeCause === undefined ? {} : { changeCause }),
      replicas: replicaSet.spec?.replicas ?? 0,
    });
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

/** Reads the Deployment and its ReplicaSets; rejects with the API's error (e.g. 404 for no Deployment). */
export async function rolloutHistory(
  apps: AppsV1Api,
  namespace: string,
  name: string,
): Promise<RolloutRevision[]> {
  const deployment = await apps.readNamespacedDeployment({ name, namespace });
  return revisionsOf(await replicaSetsOf(apps, deployment));
}
