// Cluster credentials from the config: a kubeconfig file (any cluster) or AKS through ARM. A kubeconfig that
// cannot be used is bad input (exit 3); ARM refusing or not answering means the cluster cannot be reached
// (exit 4). Credentials are registered as secrets before anything is printed.
import type { KubeConfig } from "@kubernetes/client-node";
import { azureCredential } from "../../lib/azure/index.ts";
import { kubeConfigFromAks } from "../../lib/kube/aks-kubeconfig.ts";
import { loadKubeConfigFile } from "../../lib/kube/kubeconfig-file.ts";
import type { Problem } from "../../lib/report/problem.ts";
import type { ClusterAccess } from "../context.ts";

export type ClusterConnection =
  | { readonly ok: true; readonly kubeConfig: KubeConfig }
  | { readonly ok: false; readonly problems: readonly Problem[] }
  | { readonly ok: false; readonly unreachable: string };

export async function connectToCluster(
  access: ClusterAccess,
  secret: (value: string) => void,
): Promise<ClusterConnection> {
  if (access.kind === "kubeconfig") return loadKubeConfigFile(access.path, access.context, secret);
  try {
    const kubeConfig = await kubeConfigFromAks({
      credential: azureCredential(access.credential),
      subscriptionId: access.subscriptionId,
      resourceGroup: access.resourceGroup,
      clusterName: access.clusterName,
      ...(access.armEndpoint ? { armEndpoint: access.armEndpoint } : {}),
      secret,
    });
    return { ok: true, kubeConfig };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      ok: false,
      unreachable: `the credentials of AKS cluster ${access.clusterName} (resource group ${access.resourceGroup}) could not be had: ${message}`,
    };
  }
}
