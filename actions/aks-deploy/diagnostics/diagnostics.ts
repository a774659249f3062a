// What a person needs to see why a release failed, gathered once the wait ended: the Warning events of the
// Deployment, its ReplicaSet and pods; each container's state; and the last log lines of every container
// that is not running ready (the previous instance's for one that restarted, as `kubectl logs --previous`).
import type { CoreV1Api, V1ContainerStatus, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { apiErrorMessage } from "../../lib/kube/api-error.ts";
import { labelSelectorText } from "../wait/label-selector.ts";

export interface WarningEvent {
  readonly object: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
}

export interface ContainerState {
  readonly pod: string;
  readonly container: string;
  /** `running`, `running, not ready`, `waiting: CrashLoopBackOff`, `terminated: OOMKilled (exit 137)`. */
  readonly state: string;
  readonly message?: string;
  readonly restarts: number;
  /** How its previous instance ended, e.g. `Error (exit 1)`. */
  readonly lastTermination?: string;
}

export interface ContainerLog {
  readonly pod: string;
  readonly container: string;
  readonly previous: boolean;
  readonly lines: readonly string[];
  /** Why no log could be read (the server's message). */
  readonly unavailable?: string;
}

export interface Diagnostics {
  readonly events: readonly WarningEvent[];
  readonly containers: readonly ContainerState[];
  readonly logs: readonly ContainerLog[];
}

export const emptyDiagnostics: Diagnostics = { events: [], containers: [], logs: [] };

const tailLines = 20;
const eventsKept = 20;

function stateOf(status: V1ContainerStatus): { state: string; message?: string; healthy: boolean } {
  if (status.state?.waiting) {
    const { reason, message } = status.state.waiting;
    return { state: `waiting: ${reason ?? "unknown"}`, ...(message ? { message } : {}), healthy: false };
  }
  if (status.state?.terminated) {
    const { reason, exitCode, message } = status.state.terminated;
    return {
      state: `terminated: ${reason ?? "unknown"} (exit ${exitCode})`,
      ...(message ? { message } : {}),
      healthy: false,
    };
  }
  return status.ready ? { state: "running", healthy: true } : { state: "running, not ready", healthy: false };
}

function lastTerminationOf(status: V1ContainerStatus): string | undefined {
  const last = status.lastState?.terminated;
  return last ? `${last.reason ?? "unknown"} (exit ${last.exitCode})` : undefined;
}

async function logOf(
  core: CoreV1Api,
  namespace: string,
  pod: string,
  status: V1ContainerStatus,
): Promise<ContainerLog> {
  const previous = status.lastState?.terminated !== undefined && status.state?.running === undefined;
  try {
    const text = await core.readNamespacedPodLog({
      name: pod,
      namespace,
      container: status.name,
      tailLines,
      ...(previous ? { previous } : {}),
    });
    const lines = text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1);
    return { pod, container: status.name, previous, lines };
  } catch (error) {
    return { pod, container: status.name, previous, lines: [], unavailable: apiErrorMessage(error) };
  }
}

/** Diagnostics of a ReplicaSet's pods plus the Warning events of them, the ReplicaSet and the Deployment. */
export async function collectDiagnostics(
  core: CoreV1Api,
  namespace: string,
  deployment: string,
  replicaSet: V1ReplicaSet | undefined,
): Promise<Diagnostics> {
  const pods: V1Pod[] = replicaSet
    ? (
        await core.listNamespacedPod({
          namespace,
          labelSelector: labelSelectorText(replicaSet.spec?.selector),
        })
      ).items
    : [];
  const containers: ContainerState[] = [];
  const unhealthy: { pod: string; status: V1ContainerStatus }[] = [];
  for (const pod of pods) {
    const podName = pod.metadata?.name ?? "";
    for (const status of pod.status?.containerStatuses ?? []) {
      const { healthy, ...state } = stateOf(status);
      const lastTermination = lastTerminationOf(status);
      containers.push({
        pod: podName,
        container: status.name,
        ...state,
        restarts: status.restartCount,
        ...(lastTermination ? { lastTermination } : {}),
      });
      if (!healthy) unhealthy.push({ pod: podName, status });
    }
  }
  const logs = await Promise.all(unhealthy.map(({ pod, status }) => logOf(core, namespace, pod, status)));

  const involved = new Set([
    `Deployment/${deployment}`,
    ...(replicaSet ? [`ReplicaSet/${replicaSet.metadata?.name ?? ""}`] : []),
    ...pods.map((pod) => `Pod/${pod.metadata?.name ?? ""}`),
  ]);
  const events = (await core.listNamespacedEvent({ namespace })).items
    .filter(
      (event) =>
        event.type === "Warning" &&
        involved.has(`${event.involvedObject.kind ?? ""}/${event.involvedObject.name ?? ""}`),
    )
    .sort(
      (a, b) =>
        new Date(b.lastTimestamp ?? b.eventTime ?? 0).getTime() -
        new Date(a.lastTimestamp ?? a.eventTime ?? 0).getTime(),
    )
    .slice(0, eventsKept)
    .map((event) => ({
      object: `${event.involvedObject.kind ?? ""}/${event.involvedObject.name ?? ""}`,
      reason: event.reason ?? "",
      message: event.message ?? "",
      count: event.count ?? 1,
    }));
  return { events, containers, logs };
}
