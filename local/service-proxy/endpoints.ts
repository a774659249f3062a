// The ready backends of one Service port, read from its EndpointSlices at connection time (in-process,
// so a pod that turned terminating a moment ago is already out).
import type { V1ServicePort } from "@kubernetes/client-node";
import type { ObjectStore } from "../kube/store/object-store.ts";
import type { Backend } from "./tcp-forward.ts";

const endpointSlices = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };

interface SliceEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; terminating?: boolean };
}

interface SlicePort {
  name?: string;
  port?: number;
}

export function readyBackends(
  store: ObjectStore,
  namespace: string,
  service: string,
  port: V1ServicePort,
): Backend[] {
  const slices = store.list(endpointSlices, {
    namespace,
    matchLabels: { "kubernetes.io/service-name": service },
  }).items;
  const backends: Backend[] = [];
  for (const slice of slices) {
    const ports = (slice.ports ?? []) as SlicePort[];
    // Slice ports match service ports by name ("" for the one unnamed port), as kube-proxy matches them.
    const target = ports.find((candidate) => (candidate.name ?? "") === (port.name ?? ""))?.port;
    if (target === undefined) continue;
    for (const endpoint of (slice.endpoints ?? []) as SliceEndpoint[]) {
      // ready is false for a terminating pod; both are checked so no new connection ever reaches one.
      if (endpoint.conditions?.ready !== true || endpoint.conditions.terminating === true) continue;
      for (const host of endpoint.addresses ?? []) backends.push({ host, port: target });
    }
  }
  return backends;
}
