// The collections the rollout wait watches, each with its typed list: Deployments, ReplicaSets and Pods of
// one namespace.
import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
  type V1ReplicaSet,
} from "@kubernetes/client-node";
import type { WatchTarget } from "./watch.ts";

export interface Selectors {
  labelSelector?: string;
  fieldSelector?: string;
}

export function deploymentsTarget(
  kubeConfig: KubeConfig,
  namespace: string,
  selectors: Selectors,
): WatchTarget<V1Deployment> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  return {
    path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`,
    ...selectors,
    list: () => apps.listNamespacedDeployment({ namespace, ...selectors }),
  };
}

export function replicaSetsTarget(
  kubeConfig: KubeConfig,
  namespace: string,
  selectors: Selectors,
): WatchTarget<V1ReplicaSet> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  return {
    path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`,
    ...selectors,
    list: () => apps.listNamespacedReplicaSet({ namespace, ...selectors }),
  };
}

export function podsTarget(
  kubeConfig: KubeConfig,
  namespace: string,
  selectors: Selectors,
): WatchTarget<V1Pod> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return {
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
    ...selectors,
    list: () => core.listNamespacedPod({ namespace, ...selectors }),
  };
}
