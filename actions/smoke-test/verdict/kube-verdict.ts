// The verdict on a real cluster: the release ledger of aks-deploy (actions/aks-deploy/ledger), reached through
// the kubeconfig or AKS inputs like aks-deploy itself.
import type { KubeConfig } from "@kubernetes/client-node";
import { markReleaseVerified } from "../../aks-deploy/ledger/ledger.ts";
import { azureCredential } from "../../lib/azure/index.ts";
import { kubeConfigFromAks } from "../../lib/kube/aks-kubeconfig.ts";
import { loadKubeConfigFile } from "../../lib/kube/kubeconfig-file.ts";
import { formatProblem } from "../../lib/report/problem.ts";
import type { ClusterAccess, VerdictTarget } from "../context.ts";
import type { ReleaseVerdict } from "./release-verdict.ts";

/** A KubeConfig for the cluster, its credentials handed to `secret`; throws with what went wrong. */
export async function connectToCluster(
  access: ClusterAccess,
  secret: (value: string) => void,
): Promise<KubeConfig> {
  if (access.kind === "kubeconfig") {
    const loaded = loadKubeConfigFile(access.path, access.context, secret);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("; "));
    return loaded.kubeConfig;
  }
  return kubeConfigFromAks({
    credential: azureCredential(access.credential),
    subscriptionId: access.subscriptionId,
    resourceGroup: access.resourceGroup,
    clusterName: access.clusterName,
    ...(access.armEndpoint ? { armEndpoint: access.armEndpoint } : {}),
    secret,
  });
}

/**
 * Marks the release the Deployment runs now as verified, by `by` (the run's URL or user@host). The undo is
 * aks-deploy's rollback to the last verified release; until aks-deploy exposes it for a named Deployment
 * (without manifests), a failed gate cannot undo and says so, which makes the step "rollback-failed" (exit 2:
 * a person is needed).
 */
export function kubeReleaseVerdict(
  kubeConfig: KubeConfig,
  target: VerdictTarget,
  by: string,
): ReleaseVerdict {
  return {
    async markVerified() {
      const release = await markReleaseVerified(kubeConfig, target.namespace, target.deployment, { by });
      const revision = release.target?.revision ?? "?";
      return `release ${release.id} of ${target.namespace}/${target.deployment} (revision ${revision}, ReplicaSet ${release.target?.replicaSetName ?? "?"})`;
    },
    async undo() {
      throw new Error(
        `no automatic undo of ${target.namespace}/${target.deployment} yet: roll back with aks-deploy mode: rollback`,
      );
    },
  };
}
