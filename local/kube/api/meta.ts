// metav1 (k8s.io/apimachinery/pkg/apis/meta/v1) on the wire: object metadata, owner references, label
// selectors, conditions, and the generic stored object every resource is.
import type {
  V1LabelSelector,
  V1ManagedFieldsEntry,
  V1ObjectMeta,
  V1OwnerReference,
} from "@kubernetes/client-node";
import type { Wire } from "./wire.ts";

export type ObjectMeta = Wire<V1ObjectMeta>;
/** The metadata of a stored object of a typed kind: the store always gives it a name. */
export type StoredMeta = ObjectMeta & { name: string };
export type OwnerReference = Wire<V1OwnerReference>;
export type ManagedFieldsEntry = Wire<V1ManagedFieldsEntry>;
export type LabelSelector = Wire<V1LabelSelector>;
export type IntOrString = number | string;

/** Any object of any resource, as stored and served: apiVersion, kind and metadata, then its own fields. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
};

/**
 * The fields the condition types of Deployments, ReplicaSets and Pods share; `lastProbeTime` is null on a
 * pod condition the kubelet never probed (a zero metav1.Time is written as null).
 */
export type Condition = {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
};

/** GetControllerOf: the owner reference with `controller: true`, if any. */
export function controllerOf(meta: ObjectMeta): OwnerReference | undefined {
  return meta.ownerReferences?.find((ref) => ref.controller === true);
}

/** NewControllerRef: the reference a controller puts on the objects it creates. */
export function controllerReference(owner: {
  apiVersion: string;
  kind: string;
  metadata: StoredMeta;
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

/** Milliseconds since the epoch of a wire timestamp (0 when absent, as Go's zero time sorts first). */
export function timeOf(value: string | null | undefined): number {
  return value === undefined || value === null ? 0 : Date.parse(value);
}
