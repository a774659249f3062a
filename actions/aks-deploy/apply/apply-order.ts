// The order objects are applied in, so each finds what it refers to: namespaces, then CRDs, then what pods
// and controllers read (config, identities, RBAC, CRD-backed objects such as SecretProviderClasses), then
// Services (their endpoints follow the pods), then workloads, then what points at workloads (Ingresses,
// autoscalers, disruption budgets, monitors). Helm's InstallOrder (pkg/release/util/kind_sorter.go) is the
// same idea; objects of one tier keep their manifest order.
import type { KubernetesObject } from "@kubernetes/client-node";

const tiers: readonly (readonly string[])[] = [
  ["Namespace"],
  ["CustomResourceDefinition"],
  [
    "PriorityClass",
    "StorageClass",
    "ResourceQuota",
    "LimitRange",
    "NetworkPolicy",
    "ServiceAccount",
    "Secret",
    "ConfigMap",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
  ],
  ["Service"],
  ["Pod", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"],
];
const configTier = 2;
const rest = tiers.length;

/** Groups served by Kubernetes itself; a kind from any other group is CRD-backed. */
function isBuiltInGroup(apiVersion: string): boolean {
  const group = apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
  // *.x-k8s.io groups are SIG projects installed as CRDs (secrets-store.csi.x-k8s.io).
  return group === "" || !group.includes(".") || (group.endsWith(".k8s.io") && !group.endsWith(".x-k8s.io"));
}

/**
 * Monitoring objects select Services and pods that must exist first: prometheus-operator's, and Azure Monitor
 * managed Prometheus' own group (k8s/prod's ServiceMonitor).
 */
const pointsAtWorkloads = new Set(["monitoring.coreos.com", "azmonitoring.coreos.com"]);

export function applyTier(object: KubernetesObject): number {
  const kind = object.kind ?? "";
  const tier = tiers.findIndex((kinds) => kinds.includes(kind));
  if (tier >= 0) return tier;
  const apiVersion = object.apiVersion ?? "";
  const group = apiVersion.split("/")[0] ?? "";
  if (!isBuiltInGroup(apiVersion) && !pointsAtWorkloads.has(group)) return configTier;
  return rest;
}

export function inApplyOrder<T extends KubernetesObject>(objects: readonly T[]): T[] {
  return objects
    .map((object, index) => ({ object, index, tier: applyTier(object) }))
    .sort((a, b) => a.tier - b.tier || a.index - b.index)
    .map((entry) => entry.object);
}
