// The verdict on a real cluster: the release ledger of aks-deploy (actions/aks-deploy/ledger), reached through
// the kubeconfig or AKS inputs with aks-deploy's own cluster access.
import type { KubeConfig } from "@kubernetes/client-node";
import { connectToCluster } from "../../aks-deploy/credentials/cluster-access.ts";
import { markReleaseVerified } from "../../aks-deploy/ledger/ledger.ts";
import { formatProblem } from "../../lib/report/problem.ts";
import type { VerdictTarget } from "../context.ts";
import type { ReleaseVerdict } from "./release-verdict.ts";

/** A KubeConfig for the verdict's cluster, its credentials handed to `secret`; throws naming what went wrong. */
export async function verdictCluster(
  target: VerdictTarget,
  secret: (value: string) => void,
): Promise<KubeConfig> {
  const connection = await connectToCluster(target.cluster, secret);
  if (connection.ok) return connection.kubeConfig;
  throw new Error(
    "unreachable" in connection ? connection.unreachable : connection.problems.map(formatProblem).join("; "),
  );
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
