// Builders shared by this folder's unit tests.
import type { Deployment, ReplicaSet, ReplicaSetStatus } from "../../api/kinds.ts";

export function deploymentOf(
  replicas: number,
  options: Partial<Deployment["spec"]> & { generation?: number } = {},
): Deployment {
  const { generation = 1, ...spec } = options;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", uid: "d-uid", generation },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { spec: { containers: [] } },
      ...spec,
    },
  };
}

export function replicaSetOf(
  name: string,
  sizes: { spec: number; replicas?: number; available?: number; ready?: number },
  extra: { created?: string; revision?: string; annotations?: Record<string, string> } = {},
): ReplicaSet & { status: ReplicaSetStatus } {
  const replicas = sizes.replicas ?? sizes.spec;
  const available = sizes.available ?? replicas;
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name,
      uid: name,
      generation: 1,
      creationTimestamp: extra.created ?? "2026-01-01T00:00:00Z",
      annotations: {
        ...(extra.revision ? { "deployment.kubernetes.io/revision": extra.revision } : {}),
        ...extra.annotations,
      },
    },
    spec: { replicas: sizes.spec, selector: {}, template: { spec: { containers: [] } } },
    status: {
      replicas,
      availableReplicas: available,
      readyReplicas: sizes.ready ?? available,
      observedGeneration: 1,
    },
  };
}
