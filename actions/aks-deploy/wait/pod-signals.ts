// Signals that a new ReplicaSet's pods will not become ready, read from pod and ReplicaSet status as the
// kubelet and the ReplicaSet controller write them. A decisive signal fails the rollout at once; the others
// are context for a failure found another way (deadline, timeout).
import type { V1Container, V1ContainerStatus, V1Pod, V1Probe, V1ReplicaSet } from "@kubernetes/client-node";
import { timeOf } from "./time-of.ts";

export interface SignalThresholds {
  /** Restarts of one container beyond which the rollout fails, even while it runs (default 2). */
  maxRestarts: number;
  /** How long a pod may stay Unschedulable before the rollout fails, in ms (default 60 000). */
  unschedulableMs: number;
  /** Added to what a container's probes allow before a running container that never became ready fails
   * (it must cover a probe period and the 1 s resolution of status timestamps),
   * in ms (default 10 000). */
  readinessMarginMs: number;
}

export const defaultThresholds: SignalThresholds = {
  maxRestarts: 2,
  unschedulableMs: 60_000,
  readinessMarginMs: 10_000,
};

/** Thresholds with defaults filled in; throws a RangeError naming the field that is not a count/duration. */
export function signalThresholds(overrides: Partial<SignalThresholds> = {}): SignalThresholds {
  const thresholds = { ...defaultThresholds, ...overrides };
  for (const [field, value] of Object.entries(thresholds))
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`threshold ${field}: ${String(value)} is not a whole number >= 0`);
  return thresholds;
}

export interface PodSignal {
  /** The pod's name; absent for a ReplicaSet condition. */
  pod?: string;
  /** The ReplicaSet's name, for a ReplicaFailure condition. */
  replicaSet?: string;
  container?: string;
  /** The kubelet's or controller's reason (ErrImagePull, CrashLoopBackOff, OOMKilled, ...) or one of ours
   * (RestartsExceeded, NeverReady, ImageDigestMismatch). */
  reason: string;
  message: string;
  /** True: the rollout cannot succeed, fail now. */
  decisive: boolean;
}

/** Waiting reasons after which the container will not start without a change to the release. */
const decisiveWaitingReasons = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CrashLoopBackOff",
]);

/** Seconds a probe may take to pass: initialDelaySeconds + periodSeconds x failureThreshold (API defaults
 * 0, 10 and 3). */
function probeSeconds(probe: V1Probe | undefined): number {
  if (!probe) return 0;
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

/** How long a started container may take to become ready: its startup and readiness probes' allowance plus
 * the margin; undefined without a readiness or startup probe (then running means ready). */
export function readinessAllowanceMs(
  container: V1Container,
  thresholds: SignalThresholds,
): number | undefined {
  if (!container.readinessProbe && !container.startupProbe) return undefined;
  return (
    (probeSeconds(container.startupProbe) + probeSeconds(container.readinessProbe)) * 1000 +
    thresholds.readinessMarginMs
  );
}

interface Evaluation {
  signals: PodSignal[];
  /** The earliest time (ms) at which a pending time-based signal becomes decisive. */
  nextDueMs?: number;
}

function lastExit(status: V1ContainerStatus): string {
  const terminated = status.lastState?.terminated ?? status.state?.terminated;
  if (!terminated) return "";
  return `; last exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ""}`;
}

function containerSignal(
  pod: string,
  status: V1ContainerStatus,
  spec: V1Container | undefined,
  thresholds: SignalThresholds,
  now: number,
): { signal?: PodSignal; dueMs?: number } {
  const base = { pod, container: status.name };
  const oom =
    status.state?.terminated?.reason === "OOMKilled" || status.lastState?.terminated?.reason === "OOMKilled";
  if (oom)
    return {
      signal: {
        ...base,
        reason: "OOMKilled",
        message: `container "${status.name}" was killed for exceeding its memory limit (restarts: ${status.restartCount})`,
        decisive: true,
      },
    };
  const waiting = status.state?.waiting;
  if (waiting?.reason && decisiveWaitingReasons.has(waiting.reason))
    return {
      signal: {
        ...base,
        reason: waiting.reason,
        message: `${waiting.message ?? waiting.reason}${lastExit(status)}`,
        decisive: true,
      },
    };
  if (status.restartCount > thresholds.maxRestarts)
    return {
      signal: {
        ...base,
        reason: "RestartsExceeded",
        message: `container "${status.name}" restarted ${status.restartCount} times (more than ${thresholds.maxRestarts})${lastExit(status)}`,
        decisive: true,
      },
    };
  const running = status.state?.running;
  const allowance = spec ? readinessAllowanceMs(spec, thresholds) : undefined;
  const started = timeOf(running?.startedAt);
  if (running && !status.ready && allowance !== undefined && started !== undefined) {
    const due = started + allowance;
    if (now >= due)
      return {
        signal: {
          ...base,
          reason: "NeverReady",
          message: `container "${status.name}" is running but not ready ${Math.round((now - started) / 1000)}s after it started; its probes allow ${(allowance - thresholds.readinessMarginMs) / 1000}s plus a ${thresholds.readinessMarginMs / 1000}s margin`,
          decisive: true,
        },
      };
    return { dueMs: due };
  }
  if (status.restartCount > 0)
    return {
      signal: {
        ...base,
        reason: "Restarted",
        message: `container "${status.name}" restarted ${status.restartCount} times${lastExit(status)}`,
        decisive: false,
      },
    };
  if (waiting?.reason && waiting.reason !== "ContainerCreating" && waiting.reason !== "PodInitializing")
    return {
      signal: {
        ...base,
        reason: waiting.reason,
        message: waiting.message ?? waiting.reason,
        decisive: false,
      },
    };
  return {};
}

function evaluate(
  pods: V1Pod[],
  replicaSet: V1ReplicaSet | undefined,
  thresholds: SignalThresholds,
  now: Date,
): Evaluation {
  const signals: PodSignal[] = [];
  const due: number[] = [];
  const nowMs = now.getTime();
  const failure = replicaSet?.status?.conditions?.find(
    (condition) => condition.type === "ReplicaFailure" && condition.status === "True",
  );
  if (failure)
    signals.push({
      replicaSet: replicaSet?.metadata?.name ?? "",
      reason: failure.reason ?? "ReplicaFailure",
      message: failure.message ?? "",
      decisive: true,
    });
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? "";
    const scheduled = pod.status?.conditions?.find((condition) => condition.type === "PodScheduled");
    if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
      const since = timeOf(scheduled.lastTransitionTime) ?? nowMs;
      const decisive = nowMs - since >= thresholds.unschedulableMs;
      if (!decisive) due.push(since + thresholds.unschedulableMs);
      signals.push({ pod: name, reason: "Unschedulable", message: scheduled.message ?? "", decisive });
    }
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const status of statuses) {
      const spec = containers.find((container) => container.name === status.name);
      const { signal, dueMs } = containerSignal(name, status, spec, thresholds, nowMs);
      if (signal) signals.push(signal);
      if (dueMs !== undefined) due.push(dueMs);
    }
  }
  return due.length > 0 ? { signals, nextDueMs: Math.min(...due) } : { signals };
}

/** The signals of a new ReplicaSet's pods (and the ReplicaSet itself) at `now`. */
export function podSignals(
  pods: V1Pod[],
  replicaSet: V1ReplicaSet | undefined,
  thresholds: SignalThresholds,
  now: Date,
): PodSignal[] {
  return evaluate(pods, replicaSet, thresholds, now).signals;
}

/** When podSignals should be asked again even if nothing changes: the earliest pending threshold. */
export function nextSignalDue(
  pods: V1Pod[],
  replicaSet: V1ReplicaSet | undefined,
  thresholds: SignalThresholds,
  now: Date,
): Date | undefined {
  const { nextDueMs } = evaluate(pods, replicaSet, thresholds, now);
  return nextDueMs === undefined ? undefined : new Date(nextDueMs);
}
