// `kubectl rollout undo` for a Deployment, as kubernetes/kubectl pkg/polymorphichelpers/rollback.go
// (DeploymentRollbacker.Rollback, deploymentRevision) does it: the ReplicaSets the Deployment controls (listed
// by its selector), the revision from their annotation, `toRevision` 0 meaning the second-highest; a paused
// Deployment refused; a template that already matches skipped; otherwise ONE JSON patch replacing
// /spec/template (the ReplicaSet's, without pod-template-hash) and /metadata/annotations (the Deployment's
// values for the skip list, the ReplicaSet's for everything else). Messages are kubectl's. Like kubectl it
// does not wait: the controller reuses the ReplicaSet (it then becomes the highest revision + 1).
import {
  type AppsV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1PodTemplateSpec,
  type V1ReplicaSet,
} from "@kubernetes/client-node";
import { apiErrorMessage } from "../../lib/kube/api-error.ts";
import {
  podTemplateHashLabel,
  replicaSetsOf,
  templatesEqual,
} from "../../lib/kube/deployment-replica-sets.ts";
import { revisionOf } from "../wait/revision.ts";

/** rollback.go annotationsToSkip: kept from the Deployment, never taken from the ReplicaSet. */
export const annotationsToSkip: ReadonlySet<string> = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

/** An undo kubectl would refuse, or a failed API call, with kubectl's message. */
export class UndoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UndoError";
  }
}

const revisionNotFound = (revision: number) =>
  new UndoError(`unable to find specified revision ${revision} in history`);

/** deploymentRevision: the ReplicaSet to go back to. */
export function replicaSetForRevision(
  deployment: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
  toRevision: number,
): V1ReplicaSet {
  let latest: { revision: number; replicaSet?: V1ReplicaSet } = { revision: -1 };
  let previous: { revision: number; replicaSet?: V1ReplicaSet } = { revision: -1 };
  for (const replicaSet of replicaSets) {
    const { revision } = revisionOf(replicaSet.metadata);
    if (revision === undefined) continue;
    if (toRevision === 0) {
      if (latest.revision < revision) {
        previous = latest;
        latest = { revision, replicaSet };
      } else if (previous.revision < revision) previous = { revision, replicaSet };
    } else if (toRevision === revision) return replicaSet;
  }
  if (toRevision > 0) throw revisionNotFound(toRevision);
  if (!previous.replicaSet)
    throw new UndoError(`no rollout history found for deployment "${deployment.metadata?.name ?? ""}"`);
  return previous.replicaSet;
}

export type JsonPatch = [
  { op: "replace"; path: "/spec/template"; value: V1PodTemplateSpec },
  { op: "replace"; path: "/metadata/annotations"; value: Record<string, string> },
];

/** getDeploymentPatch with the annotations Rollback computes. */
export function rollbackPatch(deployment: V1Deployment, replicaSet: V1ReplicaSet): JsonPatch {
  const template = structuredClone(replicaSet.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[podTemplateHashLabel];
  const annotations: Record<string, string> = {};
  for (const key of annotationsToSkip) {
    const value = deployment.metadata?.annotations?.[key];
    if (value !== undefined) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(replicaSet.metadata?.annotations ?? {}))
    if (!annotationsToSkip.has(key)) annotations[key] = value;
  return [
    { op: "replace", path: "/spec/template", value: template },
    { op: "replace", path: "/metadata/annotations", value: annotations },
  ];
}

export interface UndoOptions {
  namespace: string;
  name: string;
  /** 0 (default): the previous revision. */
  toRevision?: number;
  /** Server-side dry run (`dryRun=All`): checked and answered by the server, nothing changed. */
  dryRun?: boolean;
}

export interface UndoResult {
  /** The revision the ReplicaSet had (the controller renumbers it to the highest + 1 when it reuses it). */
  revision: number;
  replicaSetName: string;
  replicaSetUid: string;
  /** The template already matched: nothing was patched. */
  skipped: boolean;
  /** kubectl's line: `rolled back` or `skipped rollback (current template already matches revision N)`. */
  message: string;
}

export async function undoRollout(apps: AppsV1Api, options: UndoOptions): Promise<UndoResult> {
  const { namespace, name } = options;
  const toRevision = options.toRevision ?? 0;
  if (toRevision < 0) throw revisionNotFound(toRevision);
  const deployment = await apps.readNamespacedDeployment({ name, namespace }).catch((error: unknown) => {
    throw new UndoError(`failed to retrieve Deployment ${name}: ${apiErrorMessage(error)}`, { cause: error });
  });
  const replicaSets = await replicaSetsOf(apps, deployment).catch((error: unknown) => {
    throw new UndoError(
      `failed to retrieve replica sets from deployment ${name}: ${apiErrorMessage(error)}`,
      {
        cause: error,
      },
    );
  });
  const target = replicaSetForRevision(deployment, replicaSets, toRevision);
  if (deployment.spec?.paused)
    throw new UndoError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  const result = {
    revision: revisionOf(target.metadata).revision ?? 0,
    replicaSetName: target.metadata?.name ?? "",
    replicaSetUid: target.metadata?.uid ?? "",
  };
  if (templatesEqual(target.spec?.template, deployment.spec?.template))
    return {
      ...result,
      skipped: true,
      message: `skipped rollback (current template already matches revision ${toRevision})`,
    };
  await apps
    .patchNamespacedDeployment(
      {
        name,
        namespace,
        body: rollbackPatch(deployment, target),
        ...(options.dryRun ? { dryRun: "All" } : {}),
      },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    )
    .catch((error: unknown) => {
      throw new UndoError(`failed restoring revision ${toRevision}: ${apiErrorMessage(error)}`, {
        cause: error,
      });
    });
  return { ...result, skipped: false, message: "rolled back" };
}
