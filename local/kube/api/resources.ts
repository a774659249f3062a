// Resources as the API routes them, and the kind each typed resource holds: a store read through
// `resources.deployments` gives a `Deployment`; any other resource gives a `KubeObject`.
import type { Deployment, EndpointSlice, Event, Pod, ReplicaSet, Service } from "./kinds.ts";
import type { KubeObject } from "./meta.ts";

/** A resource as the API server routes it: group "" is the core group. */
export interface ResourceRef {
  group: string;
  version: string;
  /** Plural, lower case: "deployments", "pods", "endpointslices". */
  resource: string;
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
} as const satisfies Record<string, ResourceRef>;

/** The typed kinds, by `group/version/resource`. */
interface TypedKinds {
  "apps/v1/deployments": Deployment;
  "apps/v1/replicasets": ReplicaSet;
  "/v1/pods": Pod;
  "/v1/services": Service;
  "/v1/events": Event;
  "discovery.k8s.io/v1/endpointslices": EndpointSlice;
}

/** The object type a resource holds. */
export type ObjectOf<R extends ResourceRef> =
  `${R["group"]}/${R["version"]}/${R["resource"]}` extends keyof TypedKinds
    ? TypedKinds[`${R["group"]}/${R["version"]}/${R["resource"]}`]
    : KubeObject;
