// Waits for a Deployment's rollout as `kubectl rollout status` does (rollout-status.ts, on every event of a
// watch on the Deployment with fieldSelector metadata.name), and beyond it: the Deployment's ReplicaSets and
// pods are watched too (by its selector, both watches started together as soon as the Deployment is read: the
// new ReplicaSet is found by the Deployment's revision and controller ownerReference, its pods by their
// controller ownerReference), every event is judged at once, and the first decisive pod signal ends the wait.
// Watching the pods by the Deployment's selector rather than the new ReplicaSet's (pod-template-hash) saves
// the round trips of finding the ReplicaSet first: a pod that crashes at once is seen that much sooner.
// Success is kubectl's success plus every pod of the new ReplicaSet ready and running the digests its spec
// pins. All watches resume on disconnect and re-list on 410 (lib/kube/watch.ts).
import type {
  KubeConfig,
  KubernetesObject,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
} from "@kubernetes/client-node";
import { resumableWatch, type WatchChange, type WatchTarget } from "../../lib/kube/watch.ts";
import { deploymentsTarget, podsTarget, replicaSetsTarget } from "../../lib/kube/watch-targets.ts";
import { labelSelectorText } from "./label-selector.ts";
import { isControlledBy, newReplicaSet } from "./new-replica-set.ts";
import { digestSignals, runsPinnedDigests } from "./pod-digests.ts";
import {
  defaultThresholds,
  nextSignalDue,
  type PodSignal,
  podSignals,
  type SignalThresholds,
} from "./pod-signals.ts";
import { revisionOf } from "./revision.ts";
import { rolloutStatus } from "./rollout-status.ts";
import { deadlineExceededAt, withoutStaleDeadline } from "./stale-deadline.ts";

/** The cluster's time, which pod and condition timestamps are written in (tests pass the platform's). */
export interface WaitClock {
  now(): Date;
  /** Calls fn after ms of this clock's time; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: WaitClock = {
  now: () => new Date(),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

export interface WaitForRolloutOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
  /** The Deployment revision to wait for; a lower running revision is waited out (the controller has not
   * caught up), a higher one ends the wait as "superseded". */
  revision?: number;
  /** Overall wall-clock limit; 0 waits for ever (kubectl's --timeout=0). */
  timeoutMs: number;
  thresholds?: SignalThresholds;
  signal: AbortSignal;
  /** kubectl's progress lines, each once. */
  onProgress?(message: string): void;
  /** Told about API failures the watches retry. */
  onRetry?(reason: string, delayMs: number): void;
  /** The wait follows an undo: a ProgressDeadlineExceeded condition already there when the wait starts
   * predates the undo and is set aside (stale-deadline.ts) until a full progress deadline has passed. */
  afterUndo?: boolean;
  clock?: WaitClock;
}

export type FailureCause =
  | "pod-signal"
  | "progress-deadline"
  | "timeout"
  | "deleted"
  | "cancelled"
  | "superseded";

/** The ReplicaSet and pods are as the watches delivered them: raw JSON, timestamps as strings (time-of.ts). */
export type RolloutOutcome =
  | { status: "complete"; message: string; replicaSet: V1ReplicaSet; pods: V1Pod[] }
  | {
      status: "failed";
      cause: FailureCause;
      message: string;
      /** The new ReplicaSet's signals when the wait ended: the decisive one first, then context. */
      signals: PodSignal[];
      replicaSet?: V1ReplicaSet;
    };

/** `pod/api-7d9f-x2b4z container web: CrashLoopBackOff: back-off 10s restarting failed container=...` */
export function describeSignal(signal: PodSignal): string {
  const where = signal.pod
    ? `pod/${signal.pod}${signal.container ? ` container ${signal.container}` : ""}`
    : `replicaset/${signal.replicaSet ?? ""}`;
  return `${where}: ${signal.reason}: ${signal.message}`;
}

const isReady = (pod: V1Pod) =>
  pod.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") ??
  false;

function applyChange<T extends KubernetesObject>(cache: Map<string, T>, change: WatchChange<T>) {
  if (change.type === "LIST") {
    cache.clear();
    for (const item of change.items) cache.set(item.metadata?.uid ?? "", item);
  } else if (change.type === "DELETED") cache.delete(change.object.metadata?.uid ?? "");
  else cache.set(change.object.metadata?.uid ?? "", change.object);
}

/** Resolves with the outcome; rejects only when the API refuses for good (WatchFailedError). */
export function waitForRollout(options: WaitForRolloutOptions): Promise<RolloutOutcome> {
  const { kubeConfig, namespace, name } = options;
  const clock = options.clock ?? systemClock;
  const thresholds = options.thresholds ?? defaultThresholds;
  const watches = new AbortController();
  const startedAt = clock.now().getTime();

  let deployment: V1Deployment | undefined;
  let deploymentListed = false;
  let deploymentSeen = false;
  let childWatchesStarted = false;
  const replicaSets = new Map<string, V1ReplicaSet>();
  const pods = new Map<string, V1Pod>();
  let podsListed = false;
  let staleChecked = false;
  let staleAt: number | undefined;
  let lastProgress = "";
  const cancelTimers: (() => void)[] = [];
  let cancelSignalTimer: (() => void) | undefined;

  return new Promise<RolloutOutcome>((resolve, reject) => {
    let finished = false;
    const timeout =
      options.timeoutMs > 0
        ? setTimeout(
            () => finish(failed("timeout", "timed out waiting for the condition")),
            options.timeoutMs,
          )
        : undefined;
    const onAbort = () => finish(failed("cancelled", "the rollout wait was cancelled"));

    function cleanup() {
      finished = true;
      watches.abort();
      clearTimeout(timeout);
      cancelSignalTimer?.();
      for (const cancel of cancelTimers) cancel();
      options.signal.removeEventListener("abort", onAbort);
    }
    function finish(outcome: RolloutOutcome) {
      if (finished) return;
      cleanup();
      resolve(outcome);
    }
    function abandon(error: unknown) {
      if (finished) return;
      cleanup();
      reject(error);
    }

    const currentReplicaSet = () =>
      deployment && (deployment.metadata?.generation ?? 0) <= (deployment.status?.observedGeneration ?? 0)
        ? newReplicaSet(deployment, replicaSets.values())
        : undefined;
    const podsOf = (replicaSet: V1ReplicaSet) =>
      [...pods.values()].filter(
        (pod) => isControlledBy(pod, replicaSet.metadata?.uid) && !pod.metadata?.deletionTimestamp,
      );
    const signalsOf = (replicaSet: V1ReplicaSet | undefined) => {
      if (!replicaSet) return [];
      const own = podsOf(replicaSet);
      const signals = [
        ...podSignals(own, replicaSet, thresholds, clock.now()),
        ...own.flatMap(digestSignals),
      ];
      return [
        ...signals.filter((signal) => signal.decisive),
        ...signals.filter((signal) => !signal.decisive),
      ];
    };
    function failed(cause: FailureCause, message: string): RolloutOutcome {
      const replicaSet = currentReplicaSet();
      return {
        status: "failed",
        cause,
        message,
        signals: signalsOf(replicaSet),
        ...(replicaSet ? { replicaSet } : {}),
      };
    }
    const progress = (message: string) => {
      if (message === lastProgress) return;
      lastProgress = message;
      options.onProgress?.(message);
    };

    /** Keeps `cache` equal to the watched collection and judges the rollout on every change. */
    function follow<T extends KubernetesObject>(
      target: WatchTarget<T>,
      cache: Map<string, T>,
      listed?: () => void,
    ) {
      resumableWatch<T>({
        kubeConfig,
        target,
        signal: watches.signal,
        onRetry: options.onRetry,
        onChange: (change) => {
          applyChange(cache, change);
          if (change.type === "LIST") listed?.();
          evaluate();
        },
      }).catch(abandon);
    }

    /** The Deployment's ReplicaSets and pods, by its selector (immutable in apps/v1). */
    function watchChildren(owner: V1Deployment) {
      childWatchesStarted = true;
      const labelSelector = labelSelectorText(owner.spec?.selector);
      follow(replicaSetsTarget(kubeConfig, namespace, { labelSelector }), replicaSets);
      follow(podsTarget(kubeConfig, namespace, { labelSelector }), pods, () => {
        podsListed = true;
      });
    }

    function evaluate() {
      if (finished || !deploymentListed) return;
      if (!deployment)
        return finish(
          failed(
            "deleted",
            deploymentSeen ? "object has been deleted" : `deployments.apps "${name}" not found`,
          ),
        );
      if (!childWatchesStarted) watchChildren(deployment);
      const now = clock.now().getTime();
      if (options.afterUndo && !staleChecked) {
        staleChecked = true;
        staleAt = deadlineExceededAt(deployment);
        const deadlineMs = (deployment.spec?.progressDeadlineSeconds ?? 600) * 1000;
        if (staleAt !== undefined) cancelTimers.push(clock.setTimer(deadlineMs, evaluate));
      }
      if (options.revision !== undefined && options.revision > 0) {
        const running = revisionOf(deployment.metadata);
        if (running.revision !== undefined && running.revision < options.revision)
          return progress(
            `Waiting for deployment "${name}" revision ${options.revision} (running revision ${running.revision})...`,
          );
        const mismatch = rolloutStatus(deployment, options.revision);
        if (mismatch.failed) return finish(failed("superseded", mismatch.message));
      }
      const deadlineMs = (deployment.spec?.progressDeadlineSeconds ?? 600) * 1000;
      const judged =
        staleAt !== undefined && now - startedAt < deadlineMs
          ? withoutStaleDeadline(deployment, staleAt)
          : deployment;
      const status = rolloutStatus(judged);
      if (status.failed) return finish(failed("progress-deadline", status.message));
      const replicaSet = currentReplicaSet();
      const listed = replicaSet !== undefined && podsListed;
      if (replicaSet && listed) {
        const signals = signalsOf(replicaSet);
        const decisive = signals.find((signal) => signal.decisive);
        if (decisive) return finish(failed("pod-signal", describeSignal(decisive)));
        cancelSignalTimer?.();
        cancelSignalTimer = undefined;
        const due = nextSignalDue(podsOf(replicaSet), replicaSet, thresholds, clock.now());
        if (due) cancelSignalTimer = clock.setTimer(due.getTime() - clock.now().getTime(), evaluate);
      }
      if (!status.done) return progress(status.message);
      if (!replicaSet || !listed)
        return progress(`Waiting for deployment "${name}" new replica set's pods...`);
      const own = podsOf(replicaSet);
      const complete =
        own.length >= (replicaSet.spec?.replicas ?? 0) &&
        own.every((pod) => isReady(pod) && runsPinnedDigests(pod));
      if (!complete)
        return progress(
          `Waiting for deployment "${name}" new pods to report ready on the requested images...`,
        );
      progress(status.message);
      finish({ status: "complete", message: status.message, replicaSet, pods: own });
    }

    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener("abort", onAbort, { once: true });
    resumableWatch<V1Deployment>({
      kubeConfig,
      target: deploymentsTarget(kubeConfig, namespace, { fieldSelector: `metadata.name=${name}` }),
      signal: watches.signal,
      onRetry: options.onRetry,
      onChange: (change) => {
        if (change.type === "LIST") {
          deployment = change.items.find((item) => item.metadata?.name === name);
          deploymentListed = true;
        } else if (change.type === "DELETED") {
          deployment = undefined;
          deploymentSeen = true;
        } else deployment = change.object;
        if (deployment) deploymentSeen = true;
        evaluate();
      },
    }).catch(abandon);
  });
}
