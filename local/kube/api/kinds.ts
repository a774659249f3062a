// The kinds the controllers and the kubelet read and write, as stored: client-node's models on the wire
// (`Wire`), with the fields the API server always writes made present (`Present`).
import type {
  CoreV1Event,
  V1ContainerState,
  V1ContainerStatus,
  V1Deployment,
  V1DeploymentSpec,
  V1DeploymentStatus,
  V1EndpointSlice,
  V1Pod,
  V1PodSpec,
  V1PodStatus,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1ReplicaSetSpec,
  V1ReplicaSetStatus,
  V1Service,
  V1ServiceSpec,
} from "@kubernetes/client-node";
import type { Condition, StoredMeta } from "./meta.ts";
import type { Present, Wire } from "./wire.ts";

/** A stored object of a kind client-node models as `T`. */
type Stored<T> = Omit<Wire<T>, "apiVersion" | "kind" | "metadata"> & {
  apiVersion: string;
  kind: string;
  metadata: StoredMeta;
};

export type PodSpec = Wire<V1PodSpec>;
export type PodTemplate = Present<Wire<V1PodTemplateSpec>, "spec">;
export type ContainerState = Wire<V1ContainerState>;
export type ContainerStatus = Present<Wire<V1ContainerStatus>, "state" | "lastState">;
export type PodStatus = Omit<Wire<V1PodStatus>, "conditions" | "containerStatuses"> & {
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
};
export type Pod = Omit<Stored<V1Pod>, "spec" | "status"> & { spec: PodSpec; status?: PodStatus };

export type DeploymentSpec = Omit<Wire<V1DeploymentSpec>, "template"> & { template: PodTemplate };
export type DeploymentStatus = Omit<Wire<V1DeploymentStatus>, "conditions"> & { conditions?: Condition[] };
export type Deployment = Omit<Stored<V1Deployment>, "spec" | "status"> & {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
};

export type ReplicaSetSpec = Omit<Wire<V1ReplicaSetSpec>, "template"> & { template: PodTemplate };
export type ReplicaSetStatus = Omit<Wire<V1ReplicaSetStatus>, "conditions"> & { conditions?: Condition[] };
export type ReplicaSet = Omit<Stored<V1ReplicaSet>, "spec" | "status"> & {
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
};

export type Service = Omit<Stored<V1Service>, "spec"> & { spec: Wire<V1ServiceSpec> };
export type EndpointSlice = Stored<V1EndpointSlice>;
export type Event = Stored<CoreV1Event>;
