// The JSON shapes the controllers read and write, as stored (timestamps are RFC 3339 strings, unlike
// client-node's models, which type them as Date). Container and probe specs reuse client-node's models.
import type { V1Container, V1PodSpec } from "@kubernetes/client-node";
import type { KubeObject, ResourceRef } from "../../store/object-store.ts";
import { matchesRequirements, requirementsFromLabelSelector } from "../../store/selectors.ts";

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  generateName?: string;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: V1PodSpec;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
}

export type IntOrString = number | string;

export interface Deployment {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplate;
    strategy?: {
      type?: "RollingUpdate" | "Recreate";
      rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
    };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    paused?: boolean;
  };
  status?: DeploymentStatus;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  collisionCount?: number;
  conditions?: Condition[];
}

export interface ReplicaSet {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: { replicas?: number; minReadySeconds?: number; selector: LabelSelector; template: PodTemplate };
  status?: {
    replicas?: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: Condition[];
  };
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: {
    exitCode: number;
    signal?: number;
    reason?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID?: string;
  };
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface PodStatus {
  phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  conditions?: Condition[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  qosClass?: string;
}

export interface Pod {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: V1PodSpec & { containers: V1Container[] };
  status?: PodStatus;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: IntOrString;
  protocol?: string;
  appProtocol?: string;
}

export interface Service {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: { selector?: Record<string, string>; ports?: ServicePort[]; publishNotReadyAddresses?: boolean };
}

/** Whether labels satisfy a metav1.LabelSelector (matchLabels and matchExpressions). */
export function selectorMatches(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  return matchesRequirements(labels, requirementsFromLabelSelector(selector));
}

/** Views a stored object as a typed one: the store holds exactly these JSON shapes. */
export function as<T>(object: KubeObject): T {
  return object as unknown as T;
}

/** The store's object type for a typed object being written back. */
export function stored<T extends { apiVersion: string; kind: string; metadata: ObjectMeta }>(
  object: T,
): KubeObject {
  return object as unknown as KubeObject;
}

export const resources = {
  deployments: { group: "apps", version: "v1", resource: "deployments" },
  replicasets: { group: "apps", version: "v1", resource: "replicasets" },
  pods: { group: "", version: "v1", resource: "pods" },
  services: { group: "", version: "v1", resource: "services" },
  secrets: { group: "", version: "v1", resource: "secrets" },
  configmaps: { group: "", version: "v1", resource: "configmaps" },
  nodes: { group: "", version: "v1", resource: "nodes" },
  events: { group: "", version: "v1", resource: "events" },
  endpointslices: { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" },
} satisfies Record<string, ResourceRef>;

/** The controller reference (ownerReferences[].controller = true), if any. */
export function controllerOf(meta: ObjectMeta): OwnerReference | undefined {
  return meta.ownerReferences?.find((ref) => ref.controller === true);
}

export function controllerReference(owner: {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Milliseconds since the epoch of a stored timestamp (0 when absent, as Go's zero time sorts first). */
export function timeOf(value: string | undefined): number {
  return value === undefined ? 0 : Date.parse(value);
}
