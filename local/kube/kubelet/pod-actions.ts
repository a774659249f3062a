// What a container's runner (container-runner.ts) does next, decided apart from doing it, as kuberuntime
// decides in computePodActions and acts in SyncPod (pkg/kubelet/kuberuntime/kuberuntime_manager.go).
// Pure: facts in, the next action with the state to show and the events to record out. The rules and their
// upstream homes:
// - the restart policy: ShouldContainerBeRestarted (pkg/kubelet/container/helpers.go);
// - the crash back-off: doBackOff (kuberuntime_manager.go), "back-off 10s restarting failed container=...";
// - the image pull back-off: EnsureImageExists (pkg/kubelet/images/image_manager.go);
// - CreateContainerConfigError: startContainer's generateContainerConfig (kuberuntime_container.go), which
//   the runner checks before the image (the order this platform has always shown);
// - a failed liveness/startup probe kills the container: computePodActions' probe branch, with the probe's
//   own terminationGracePeriodSeconds when it has one (killContainer).
import type { V1Container } from "@kubernetes/client-node";
import type { ContainerState } from "../api/kinds.ts";
import { timestamp } from "../store/names.ts";
import { goDuration } from "./backoff.ts";
import type { ContainerExit } from "./pod-runtime.ts";

/** How long ErrImagePull shows before the kubelet's next sync reports ImagePullBackOff. */
export const errImagePullShownMs = 1000;
/** Retry interval for CreateContainerConfigError (the pod worker's resync). */
export const configRetryMs = 10_000;

/** An event about the container (the worker records it with the container's fieldPath). */
export interface ContainerEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** Show `state`, record `events`, then wait `waitMs` before the next attempt. */
export interface Wait {
  state: ContainerState;
  events: ContainerEvent[];
  waitMs: number;
}

/** A container whose environment cannot be built: CreateContainerConfigError, retried on the next resync. */
export function createContainerConfigError(error: { reason: string; message: string }): Wait {
  return {
    state: { waiting: { reason: error.reason, message: error.message } },
    events: [{ type: "Warning", reason: "Failed", message: `Error: ${error.message}` }],
    waitMs: configRetryMs,
  };
}

export interface ImageFacts {
  image: string;
  /** The image has been pulled for this container. */
  pulled: boolean;
  /** ms left in the image pull back-off window now (0 when outside it). */
  backoffLeftMs: number;
}

export type ImageAction =
  | ({ action: "wait" } & Wait)
  | { action: "pull"; events: ContainerEvent[] }
  | { action: "present" };

/** Before a start, EnsureImageExists' decision: the image is there, is to be pulled, or is in back-off. */
export function computeImageAction(facts: ImageFacts): ImageAction {
  if (facts.pulled) return { action: "present" };
  if (facts.backoffLeftMs > 0) {
    const message = `Back-off pulling image "${facts.image}"`;
    return {
      action: "wait",
      state: { waiting: { reason: "ImagePullBackOff", message } },
      events: [
        { type: "Normal", reason: "BackOff", message },
        { type: "Warning", reason: "Failed", message: "Error: ImagePullBackOff" },
      ],
      waitMs: facts.backoffLeftMs,
    };
  }
  return {
    action: "pull",
    events: [{ type: "Normal", reason: "Pulling", message: `Pulling image "${facts.image}"` }],
  };
}

/** A pull that failed with the registry's `message`: ErrImagePull, shown until the next sync. */
export function imagePullFailed(image: string, message: string): Wait {
  return {
    state: { waiting: { reason: "ErrImagePull", message } },
    events: [
      { type: "Warning", reason: "Failed", message: `Failed to pull image "${image}": ${message}` },
      { type: "Warning", reason: "Failed", message: "Error: ErrImagePull" },
    ],
    waitMs: errImagePullShownMs,
  };
}

/** The event of a successful pull that took `tookMs`. */
export function imagePulled(image: string, tookMs: number): ContainerEvent {
  const took = goDuration(tookMs);
  return {
    type: "Normal",
    reason: "Pulled",
    message: `Successfully pulled image "${image}" in ${took} (${took} including waiting)`,
  };
}

/** started/ready as a container starts: not started while a startup probe runs, not ready while a readiness one does. */
export function startedProbeState(spec: V1Container): { started: boolean; ready: boolean } {
  const started = !spec.startupProbe;
  return { started, ready: started && !spec.readinessProbe };
}

/** containerStatuses[].state.terminated of an ended run. */
export function terminatedState(exit: ContainerExit, containerID: string): ContainerState {
  return {
    terminated: {
      exitCode: exit.exitCode,
      ...(exit.signal ? { signal: exit.signal } : {}),
      reason: exit.reason,
      startedAt: timestamp(exit.startedAt),
      finishedAt: timestamp(exit.finishedAt),
      containerID,
    },
  };
}

/** ShouldContainerBeRestarted, for a container that has run and exited with `exitCode`. */
export function shouldContainerBeRestarted(
  restartPolicy: string | undefined,
  exitCode: number,
  deleting: boolean,
): boolean {
  if (deleting) return false;
  const policy = restartPolicy ?? "Always";
  return policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
}

export interface ExitFacts {
  container: string;
  /** The pod as the kubelet prints it (format.Pod): `name_namespace(uid)`. */
  podText: string;
  restartPolicy: string | undefined;
  /** The pod is being deleted (or the kubelet stops): nothing restarts. */
  deleting: boolean;
  /** The ended run's terminated state (terminatedState). */
  terminated: ContainerState;
  exitCode: number;
  /** The crash back-off: ms left in its window at the exit, and its current length. */
  crashBackoff: { leftMs: number; currentMs: number };
}

export type ExitAction =
  /** Not restarted: the terminated state stays. */
  | { action: "stay"; state: ContainerState }
  /** Restarted after `waitMs` (CrashLoopBackOff meanwhile) or at once; the ended run becomes lastState. */
  | ({ action: "restart"; lastState: ContainerState } & Wait);

/** After a run ends: keep it terminated, or restart it, at once or after the crash back-off (doBackOff). */
export function computeExitAction(facts: ExitFacts): ExitAction {
  if (!shouldContainerBeRestarted(facts.restartPolicy, facts.exitCode, facts.deleting))
    return { action: "stay", state: facts.terminated };
  const { leftMs, currentMs } = facts.crashBackoff;
  if (leftMs <= 0)
    return { action: "restart", lastState: facts.terminated, state: facts.terminated, events: [], waitMs: 0 };
  const { container, podText } = facts;
  return {
    action: "restart",
    lastState: facts.terminated,
    state: {
      waiting: {
        reason: "CrashLoopBackOff",
        message: `back-off ${goDuration(currentMs)} restarting failed container=${container} pod=${podText}`,
      },
    },
    events: [
      {
        type: "Warning",
        reason: "BackOff",
        message: `Back-off restarting failed container ${container} in pod ${podText}`,
      },
    ],
    waitMs: leftMs,
  };
}

/** A failed startup or liveness probe: the Killing event and the grace period the container is stopped with. */
export function probeFailureKill(
  kind: "startup" | "liveness",
  container: string,
  probeGraceSeconds: number | undefined,
  podGraceSeconds: number | undefined,
): { event: ContainerEvent; graceSeconds: number } {
  return {
    event: {
      type: "Normal",
      reason: "Killing",
      message: `Container ${container} failed ${kind} probe, will be restarted`,
    },
    graceSeconds: probeGraceSeconds ?? podGraceSeconds ?? 30,
  };
}
