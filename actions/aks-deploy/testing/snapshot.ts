// resourceVersions of what a deploy could change in a namespace (the deploy lock's Lease aside), to show that
// a run stopped by bad input changed nothing.
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";

export async function resourceVersions(
  kubeConfig: KubeConfig,
  namespace: string,
): Promise<Record<string, string>> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const lists = await Promise.all([
    apps.listNamespacedDeployment({ namespace }).then((list) => ["deploy", list.items] as const),
    apps.listNamespacedReplicaSet({ namespace }).then((list) => ["rs", list.items] as const),
    core.listNamespacedConfigMap({ namespace }).then((list) => ["cm", list.items] as const),
    core.listNamespacedService({ namespace }).then((list) => ["svc", list.items] as const),
  ]);
  const versions: Record<string, string> = {};
  for (const [kind, items] of lists)
    for (const item of items)
      versions[`${kind}/${item.metadata?.name}`] = item.metadata?.resourceVersion ?? "";
  return versions;
}
