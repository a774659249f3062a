// The pod status the kubelet reports (kubelet_pods.go generateAPIPodStatus): phase from the container states,
// conditions with lastTransitionTime kept while unchanged, containerStatuses in spec order.
import type { ContainerStatus, Pod, PodStatus } from "../api/kinds.ts";
import type { Condition } from "../api/meta.ts";

/** getPhase. */
export function podPhase(
  restartPolicy: string | undefined,
  statuses: ContainerStatus[],
  containerCount: number,
): NonNullable<PodStatus["phase"]> {
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  const unknown = containerCount - statuses.length;
  for (const status of statuses) {
    if (status.state.running) running++;
    else if (status.state.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.lastState.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if ((restartPolicy ?? "Always") === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

function condition(type: string, ok: boolean, reason?: string, message?: string): Condition {
  return {
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null,
    ...(ok ? {} : { reason, message }),
  } as Condition;
}

/** Keeps lastTransitionTime from the previous condition of the same type and status. */
function stamp(conditions: Condition[], previous: Condition[] | undefined, now: string): Condition[] {
  return conditions.map((next) => {
    const before = previous?.find((item) => item.type === next.type);
    return {
      ...next,
      lastTransitionTime: before && before.status === next.status ? before.lastTransitionTime : now,
    };
  });
}

export interface PodFacts {
  sandboxReady: boolean;
  hostIP: string;
  podIP?: string;
  startTime: string;
  containerStatuses: ContainerStatus[];
}

export function podStatus(pod: Pod, facts: PodFacts, now: string): PodStatus {
  const phase = podPhase(pod.spec.restartPolicy, facts.containerStatuses, pod.spec.containers.length);
  const unready = pod.spec.containers
    .map((c) => c.name)
    .filter((name) => !facts.containerStatuses.find((s) => s.name === name)?.ready);
  const completed = phase === "Succeeded";
  const ready = unready.length === 0;
  const notReadyReason = completed ? "PodCompleted" : "ContainersNotReady";
  const notReadyMessage = completed ? undefined : `containers with unready status: [${unready.join(" ")}]`;
  const conditions = stamp(
    [
      condition("PodReadyToStartContainers", facts.sandboxReady),
      condition("Initialized", true),
      condition("Ready", ready && !completed, notReadyReason, notReadyMessage),
      condition("ContainersReady", ready && !completed, notReadyReason, notReadyMessage),
      condition("PodScheduled", true),
    ],
    pod.status?.conditions,
    now,
  );
  return {
    ...pod.status,
    phase,
    conditions,
    hostIP: facts.hostIP,
    hostIPs: [{ ip: facts.hostIP }],
    ...(facts.podIP ? { podIP: facts.podIP, podIPs: [{ ip: facts.podIP }] } : {}),
    startTime: facts.startTime,
    containerStatuses: facts.containerStatuses,
  };
}
