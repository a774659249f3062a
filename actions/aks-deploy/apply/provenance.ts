// What the Deployment says about the release it runs: kubectl's change-cause (shown by `kubectl rollout
// history`) and where the release came from. Set on the Deployment's metadata, not its pod template, so
// re-running a deploy of the same images starts no rollout; the controller copies them onto the new
// ReplicaSet (docs/rollout-semantics.md 3.2), and kubectl's undo brings that ReplicaSet's back (2.3).
import type { V1Deployment } from "@kubernetes/client-node";

export const changeCauseAnnotation = "kubernetes.io/change-cause";
export const provenanceAnnotations = {
  commit: "aks-deploy.cloudjobhunt.dev/commit",
  run: "aks-deploy.cloudjobhunt.dev/run",
  actor: "aks-deploy.cloudjobhunt.dev/actor",
  images: "aks-deploy.cloudjobhunt.dev/images",
} as const;

export interface Provenance {
  readonly changeCause: string;
  readonly commit?: string;
  readonly run: string;
  readonly actor?: string;
  /** `container=reference` for every container, digests included. */
  readonly images: readonly string[];
}

export function withProvenance(deployment: V1Deployment, provenance: Provenance): V1Deployment {
  const annotations: Record<string, string> = {
    ...deployment.metadata?.annotations,
    [changeCauseAnnotation]: provenance.changeCause,
    [provenanceAnnotations.run]: provenance.run,
    [provenanceAnnotations.images]: provenance.images.join(","),
    ...(provenance.commit ? { [provenanceAnnotations.commit]: provenance.commit } : {}),
    ...(provenance.actor ? { [provenanceAnnotations.actor]: provenance.actor } : {}),
  };
  return { ...deployment, metadata: { ...deployment.metadata, annotations } };
}

/** `container=image` for each container of the Deployment's template. */
export function containerImages(deployment: V1Deployment): string[] {
  return (deployment.spec?.template?.spec?.containers ?? []).map(
    (container) => `${container.name}=${container.image ?? ""}`,
  );
}
