// The deployment controller (pkg/controller/deployment, deployment_controller.go): watches Deployments,
// their ReplicaSets and (for Recreate) pod deletions, and syncs each Deployment in the order of rule 3.1.
// The rules themselves are pure functions in this folder; the sync paths are `sync.ts` (scale only),
// `rollout-rolling.ts`, `rollout-recreate.ts` and `sync-rollout-status.ts`, as upstream splits them.
import { resources } from "../../api/resources.ts";
import type { Clock } from "../../clock/clock.ts";
import type { EventRecorder } from "../../events/recorder.ts";
import type { ObjectStore } from "../../store/object-store.ts";
import { keyOf, splitKey, WorkQueue } from "../../workqueue/work-queue.ts";
import { setCondition } from "../api/conditions.ts";
import { getAllReplicaSetsAndSyncRevision } from "./new-replica-set.ts";
import { pausedCondition } from "./progress.ts";
import { rolloutRecreate } from "./rollout-recreate.ts";
import { rolloutRolling } from "./rollout-rolling.ts";
import { isScalingEvent } from "./scale.ts";
import { sync, syncDeploymentStatus } from "./sync.ts";
import { now, replicaSetsOf, type Sync, type SyncContext, writeStatus } from "./sync-context.ts";

export interface DeploymentControllerOptions {
  store: ObjectStore;
  clock: Clock;
  events: EventRecorder;
  onError?: (key: string, error: unknown) => void;
}

/** The key of the object's controller of `kind`, if it has one. */
function controllerKey(
  kind: string,
  meta: { namespace?: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] },
): string | undefined {
  const owner = meta.ownerReferences?.find((ref) => ref.controller === true && ref.kind === kind);
  return owner ? keyOf(meta.namespace, owner.name) : undefined;
}

export class DeploymentController {
  readonly #store: ObjectStore;
  readonly #queue: WorkQueue;
  readonly #ctx: SyncContext;
  readonly #stops: (() => void)[] = [];

  constructor(options: DeploymentControllerOptions) {
    this.#store = options.store;
    this.#queue = new WorkQueue(
      options.clock,
      (key) => this.#syncDeployment(key),
      options.onError ?? (() => {}),
    );
    this.#ctx = {
      store: options.store,
      clock: options.clock,
      events: options.events,
      requeueAfter: (key, ms) => this.#queue.addAfter(key, ms),
    };
  }

  start(): void {
    const deployments = this.#store.list(resources.deployments);
    for (const item of deployments.items) this.#queue.add(keyOf(item.metadata.namespace, item.metadata.name));
    this.#stops.push(
      this.#store.watch(
        resources.deployments,
        { resourceVersion: deployments.resourceVersion },
        ({ object }) => this.#queue.add(keyOf(object.metadata.namespace, object.metadata.name)),
      ),
    );
    const replicaSets = this.#store.list(resources.replicasets);
    this.#stops.push(
      this.#store.watch(
        resources.replicasets,
        { resourceVersion: replicaSets.resourceVersion },
        ({ object }) => {
          const key = controllerKey("Deployment", object.metadata);
          if (key) this.#queue.add(key);
        },
      ),
    );
    // Recreate waits for old pods to be gone: a pod's removal wakes its Deployment.
    const pods = this.#store.list(resources.pods);
    this.#stops.push(
      this.#store.watch(resources.pods, { resourceVersion: pods.resourceVersion }, ({ type, object }) => {
        if (type !== "DELETED") return;
        const rsKey = controllerKey("ReplicaSet", object.metadata);
        if (!rsKey) return;
        const { namespace, name } = splitKey(rsKey);
        const rs = this.#store.get(resources.replicasets, namespace, name);
        const key = rs && controllerKey("Deployment", rs.metadata);
        if (key) this.#queue.add(key);
      }),
    );
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#queue.stop();
  }

  /** syncDeployment: rule 3.1's order. */
  #syncDeployment(key: string): void {
    const ctx = this.#ctx;
    const { namespace, name } = splitKey(key);
    const found = this.#store.get(resources.deployments, namespace, name);
    if (!found) return;
    const s: Sync = { key, d: found };
    const selector = s.d.spec.selector;
    if (
      Object.keys(selector?.matchLabels ?? {}).length === 0 &&
      (selector?.matchExpressions ?? []).length === 0
    ) {
      ctx.events.record(
        s.d,
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.",
      );
      if ((s.d.status?.observedGeneration ?? 0) < (s.d.metadata.generation ?? 0)) {
        writeStatus(ctx, s, { ...s.d.status, observedGeneration: s.d.metadata.generation });
      }
      return;
    }
    const rsList = replicaSetsOf(ctx, s.d);
    if (s.d.metadata.deletionTimestamp) {
      syncDeploymentStatus(ctx, s, rsList);
      return;
    }
    const paused = pausedCondition(s.d, now(ctx).text);
    if (paused)
      writeStatus(ctx, s, { ...s.d.status, conditions: setCondition(s.d.status?.conditions, paused) });
    if (s.d.spec.paused) {
      sync(ctx, s, rsList);
      return;
    }
    const current = getAllReplicaSetsAndSyncRevision(ctx, s, rsList, false);
    if (isScalingEvent(s.d, [...current.oldRSs, ...(current.newRS ? [current.newRS] : [])])) {
      sync(ctx, s, rsList);
      return;
    }
    if (s.d.spec.strategy?.type === "Recreate") rolloutRecreate(ctx, s, rsList);
    else rolloutRolling(ctx, s, rsList);
  }
}
