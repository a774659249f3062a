// A Deployment's ReplicaSets as kubectl finds them (pkg/util/deployment/deployment.go): listed by the
// Deployment's selector, kept when the Deployment is their controller; the current one is the ReplicaSet whose
// template equals the Deployment's once the `pod-template-hash` label is set aside (EqualIgnoreHash).
import { isDeepStrictEqual } from "node:util";
import type { AppsV1Api, V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from "@kubernetes/client-node";

export const podTemplateHashLabel = "pod-template-hash";

function selectorText(deployment: V1Deployment): string {
  const selector = deployment.spec?.selector;
  const labels = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector?.matchExpressions ?? []).map((expression) => {
    const values = (expression.values ?? []).join(",");
    switch (expression.operator) {
      case "In":
        return `${expression.key} in (${values})`;
      case "NotIn":
        return `${expression.key} notin (${values})`;
      case "Exists":
        return expression.key;
      default:
        return `!${expression.key}`;
    }
  });
  return [...labels, ...expressions].join(",");
}

export async function replicaSetsOf(apps: AppsV1Api, deployment: V1Deployment): Promise<V1ReplicaSet[]> {
  const list = await apps.listNamespacedReplicaSet({
    namespace: deployment.metadata?.namespace ?? "default",
    labelSelector: selectorText(deployment),
  });
  return list.items.filter((replicaSet) =>
    replicaSet.metadata?.ownerReferences?.some(
      (owner) => owner.controller === true && owner.uid === deployment.metadata?.uid,
    ),
  );
}

/** Go's semantic equality: null, empty lists and empty maps read as absent (kubectl's undo sends nulls). */
function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(semantic);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== "object") return value ?? undefined;
  const entries = Object.entries(value)
    .map(([key, inner]) => [key, semantic(inner)] as const)
    .filter(([, inner]) => inner !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The template without the pod-template-hash label, in semantic form. */
function withoutHash(template: V1PodTemplateSpec | undefined): unknown {
  const labels = { ...template?.metadata?.labels };
  delete labels[podTemplateHashLabel];
  return semantic({ ...template, metadata: { ...template?.metadata, labels } });
}

export function templatesEqual(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

/** The ReplicaSet running the Deployment's current template, if the controller has made it. */
export function currentReplicaSet(
  deployment: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
): V1ReplicaSet | undefined {
  return replicaSets.find((replicaSet) =>
    templatesEqual(replicaSet.spec?.template, deployment.spec?.template),
  );
}
