// The verdict on a real cluster: the release ledger of aks-deploy (actions/aks-deploy/ledger), reached through
// the kubeconfig or AKS inputs with aks-deploy's own cluster access.
import { randomBytes } from "node:crypto";
import type { KubeConfig } from "@kubernetes/client-node";
import { connectToCluster } from "../../aks-deploy/credentials/cluster-access.ts";
import { markReleaseVerified } from "../../aks-deploy/ledger/ledger.ts";
import { runForDeployment } from "../../aks-deploy/run.ts";
import { defaultThresholds } from "../../aks-deploy/wait/pod-signals.ts";
import type { Logger } from "../../lib/entry/definition.ts";
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

/** How long the undo may wait for another run's deploy lock, and for the rolled-back release to be healthy. */
const undoLockTimeoutMs = 300_000;
const undoTimeoutMs = 600_000;
const undoLockLeaseSeconds = 30;

/**
 * Marks the release the Deployment runs now as verified, by `by` (the run's URL or user@host), or undoes it:
 * aks-deploy's rollback mode to the last verified release (the same deploy lock, undo, wait, digest check and
 * ledger as a failed deploy), with the gate's failures as the change-cause.
 */
export function kubeReleaseVerdict(
  kubeConfig: KubeConfig,
  target: VerdictTarget,
  by: string,
  runtime: { readonly log: Logger; readonly signal: AbortSignal },
): ReleaseVerdict {
  return {
    async markVerified() {
      const release = await markReleaseVerified(kubeConfig, target.namespace, target.deployment, { by });
      const revision = release.target?.revision ?? "?";
      return `release ${release.id} of ${target.namespace}/${target.deployment} (revision ${revision}, ReplicaSet ${release.target?.replicaSetName ?? "?"})`;
    },
    async undo(reason) {
      const result = await runForDeployment(
        {
          mode: "rollback",
          manifests: [],
          namespace: target.namespace,
          cluster: target.cluster,
          images: [],
          timeoutMs: undoTimeoutMs,
          lockTimeoutMs: undoLockTimeoutMs,
          lockLeaseSeconds: undoLockLeaseSeconds,
          reason,
          dryRun: false,
          thresholds: defaultThresholds,
          run: { url: by },
        },
        { kubeConfig, log: runtime.log, signal: runtime.signal, nonce: randomBytes(4).toString("hex") },
        target.deployment,
        [],
      );
      if (result.result !== "rolled-back") throw new Error(`${result.result}: ${result.message}`);
      return `revision ${result.revision ?? "?"} of ${target.namespace}/${target.deployment}: ${result.message}`;
    },
  };
}
