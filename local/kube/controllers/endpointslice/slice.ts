// The endpoints of a Service's EndpointSlice (discovery.k8s.io/v1) from its pods: ready only when Ready and
// not terminating; a terminating pod stays listed as terminating (serving reflects its readiness), so proxies
// stop sending it new traffic.
import type { V1Container } from "@kubernetes/client-node";
import type { Pod, Service } from "../../api/kinds.ts";
import { isPodReady } from "../api/pod.ts";

export interface Endpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  nodeName?: string;
  targetRef: { kind: "Pod"; namespace?: string; name: string; uid?: string };
}

export interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export function endpointFor(pod: Pod): Endpoint | undefined {
  if (!pod.status?.podIP || pod.status.phase === "Succeeded" || pod.status.phase === "Failed")
    return undefined;
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = isPodReady(pod);
  return {
    addresses: [pod.status.podIP],
    conditions: { ready: ready && !terminating, serving: ready, terminating },
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: {
      kind: "Pod",
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
    },
  };
}

/** A named targetPort resolves to the container port of that name (as podutil.FindPort). */
function resolvePort(target: number | string, pods: Pod[]): number | undefined {
  if (typeof target === "number") return target;
  for (const pod of pods) {
    const containers: V1Container[] = pod.spec.containers;
    for (const container of containers) {
      const port = container.ports?.find((candidate) => candidate.name === target);
      if (port) return port.containerPort;
    }
  }
  return undefined;
}

export function endpointPorts(service: Service, pods: Pod[]): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const port of service.spec.ports ?? []) {
    const resolved = resolvePort(port.targetPort ?? port.port, pods);
    if (resolved === undefined) continue;
    ports.push({
      name: port.name ?? "",
      port: resolved,
      protocol: port.protocol ?? "TCP",
      ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
    });
  }
  return ports;
}

export function endpointsFor(pods: Pod[]): Endpoint[] {
  return pods
    .map(endpointFor)
    .filter((endpoint): endpoint is Endpoint => endpoint !== undefined)
    .sort((a, b) => a.targetRef.name.localeCompare(b.targetRef.name));
}
