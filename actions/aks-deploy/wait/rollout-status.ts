// `kubectl rollout status` for a Deployment: DeploymentStatusViewer.Status in kubernetes/kubectl
// pkg/polymorphichelpers/rollout_status.go, rule for rule and message for message (without the trailing
// newline kubectl prints).
import type { V1Deployment } from "@kubernetes/client-node";
import { revisionOf } from "./revision.ts";

export interface RolloutStatus {
  /** The rollout finished: kubectl would exit 0. */
  done: boolean;
  message: string;
  /** kubectl would exit with this message as its error. */
  failed?: boolean;
}

/** deploymentutil.TimedOutReason: the Progressing condition's reason once the progress deadline passed. */
export const timedOutReason = "ProgressDeadlineExceeded";

export function rolloutStatus(deployment: V1Deployment, revision?: number): RolloutStatus {
  const name = deployment.metadata?.name ?? "";
  if (revision !== undefined && revision > 0) {
    const running = revisionOf(deployment.metadata);
    if (running.error !== undefined)
      return {
        done: false,
        failed: true,
        message: `cannot get the revision of deployment "${name}": ${running.error}`,
      };
    if (running.revision !== revision)
      return {
        done: false,
        failed: true,
        message: `desired revision (${revision}) is different from the running revision (${running.revision})`,
      };
  }
  const status = deployment.status ?? {};
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0))
    return { done: false, message: "Waiting for deployment spec update to be observed..." };
  const progressing = status.conditions?.find((condition) => condition.type === "Progressing");
  if (progressing?.reason === timedOutReason)
    return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  const updated = status.updatedReplicas ?? 0;
  const replicas = deployment.spec?.replicas;
  if (replicas !== undefined && updated < replicas)
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
    };
  if ((status.replicas ?? 0) > updated)
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${(status.replicas ?? 0) - updated} old replicas are pending termination...`,
    };
  if ((status.availableReplicas ?? 0) < updated)
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${status.availableReplicas ?? 0} of ${updated} updated replicas are available...`,
    };
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}
