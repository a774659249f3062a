// The deployment controller's reconcile loop (pkg/controller/deployment): thin glue that reads the store,
// asks the pure rules what to do, and writes ReplicaSets, status and events back.
import { isDeepStrictEqual } from "node:util";
import type { Clock } from "../../clock/clock.ts";
import type { EventRecorder } from "../../events/recorder.ts";
import { timestamp } from "../../store/names.ts";
import { type ObjectStore, StoreError } from "../../store/object-store.ts";
import { keyOf, splitKey, WorkQueue } from "../../workqueue/work-queue.ts";
import { getCondition, newCondition, setCondition } from "../api/conditions.ts";
import {
  as,
  controllerOf,
  controllerReference,
  type Deployment,
  type Pod,
  type ReplicaSet,
  resources,
  selectorMatches,
  stored,
} from "../api/types.ts";
import { replicaSetsToDelete } from "./cleanup.ts";
import { maxSurge, progressDeadlineSeconds, replicasOf } from "./fenceposts.ts";
import { computeHash } from "./hash.ts";
import {
  deploymentComplete,
  pausedCondition,
  reason,
  recheckAfterMs,
  withRolloutConditions,
} from "./progress.ts";
import { active, type Scale, specReplicas, statusSum } from "./replica-counts.ts";
import {
  annotation,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  maxRevision,
  podTemplateHashLabel,
  semantic,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from "./revision.ts";
import { newReplicaSetReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets } from "./rolling.ts";
import { isScalingEvent, scalePlan } from "./scale.ts";
import { calculateStatus } from "./status.ts";

export interface DeploymentControllerOptions {
  store: ObjectStore;
  clock: Clock;
  events: EventRecorder;
  onError?: (key: string, error: unknown) => void;
}

/** The Deployment being synced; replaced by each write's result so the next write has a current version. */
interface Sync {
  key: string;
  d: Deployment;
}

export class DeploymentController {
  readonly #store: ObjectStore;
  readonly #clock: Clock;
  readonly #events: EventRecorder;
  readonly #queue: WorkQueue;
  readonly #stops: (() => void)[] = [];

  constructor(options: DeploymentControllerOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#events = options.events;
    this.#queue = new WorkQueue(options.clock, (key) => this.#sync(key), options.onError ?? (() => {}));
  }

  start(): void {
    const deployments = this.#store.list(resources.deployments);
    for (const item of deployments.items)
      this.#queue.add(keyOf(item.metadata.namespace, item.metadata.name ?? ""));
    this.#stops.push(
      this.#store.watch(
        resources.deployments,
        { resourceVersion: deployments.resourceVersion },
        ({ object }) => this.#queue.add(keyOf(object.metadata.namespace, object.metadata.name ?? "")),
      ),
    );
    const owned = (
      kind: string,
      meta: { namespace?: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] },
    ) => {
      const owner = meta.ownerReferences?.find((ref) => ref.controller === true && ref.kind === kind);
      return owner ? keyOf(meta.namespace, owner.name) : undefined;
    };
    const replicaSets = this.#store.list(resources.replicasets);
    this.#stops.push(
      this.#store.watch(
        resources.replicasets,
        { resourceVersion: replicaSets.resourceVersion },
        ({ object }) => {
          const key = owned("Deployment", as<ReplicaSet>(object).metadata);
          if (key) this.#queue.add(key);
        },
      ),
    );
    // Recreate waits for old pods to be gone: a pod's removal wakes its Deployment.
    const pods = this.#store.list(resources.pods);
    this.#stops.push(
      this.#store.watch(resources.pods, { resourceVersion: pods.resourceVersion }, ({ type, object }) => {
        if (type !== "DELETED") return;
        const rsKey = owned("ReplicaSet", as<Pod>(object).metadata);
        if (!rsKey) return;
        const { namespace, name } = splitKey(rsKey);
        const rs = this.#store.get(resources.replicasets, namespace, name);
        const key = rs && owned("Deployment", as<ReplicaSet>(rs).metadata);
        if (key) this.#queue.add(key);
      }),
    );
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#queue.stop();
  }

  #now(): { now: Date; text: string } {
    const now = this.#clock.now();
    return { now, text: timestamp(now) };
  }

  #sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const found = this.#store.get(resources.deployments, namespace, name);
    if (!found) return;
    const s: Sync = { key, d: as<Deployment>(found) };
    const selector = s.d.spec.selector;
    if (
      Object.keys(selector?.matchLabels ?? {}).length === 0 &&
      (selector?.matchExpressions ?? []).length === 0
    ) {
      this.#events.record(
        s.d,
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.",
      );
      if ((s.d.status?.observedGeneration ?? 0) < (s.d.metadata.generation ?? 0)) {
        this.#writeStatus(s, { ...s.d.status, observedGeneration: s.d.metadata.generation });
      }
      return;
    }
    const rsList = this.#replicaSetsOf(s.d);
    if (s.d.metadata.deletionTimestamp) {
      this.#syncStatusOnly(s, rsList);
      return;
    }
    const paused = pausedCondition(s.d, this.#now().text);
    if (paused)
      this.#writeStatus(s, { ...s.d.status, conditions: setCondition(s.d.status?.conditions, paused) });
    if (s.d.spec.paused) {
      this.#scaleOnly(s, rsList);
      return;
    }
    const current = this.#replicaSets(s, rsList, false);
    if (isScalingEvent(s.d, [...current.oldRSs, ...(current.newRS ? [current.newRS] : [])])) {
      this.#scaleOnly(s, rsList);
      return;
    }
    if (s.d.spec.strategy?.type === "Recreate") this.#rolloutRecreate(s, rsList);
    else this.#rolloutRolling(s, rsList);
  }

  /** ReplicaSets controlled by this Deployment (same uid) and matching its selector. */
  #replicaSetsOf(d: Deployment): ReplicaSet[] {
    return this.#store
      .list(resources.replicasets, { namespace: d.metadata.namespace })
      .items.map((item) => as<ReplicaSet>(item))
      .filter(
        (rs) =>
          controllerOf(rs.metadata)?.uid === d.metadata.uid &&
          selectorMatches(d.spec.selector, rs.metadata.labels),
      );
  }

  #writeStatus(s: Sync, status: Deployment["status"]): void {
    s.d = as<Deployment>(
      this.#store.update(resources.deployments, stored({ ...s.d, status }), {
        subresource: "status",
        fieldManager: "deployment-controller",
      }),
    );
  }

  /** The revision annotation lives in metadata, which the status subresource does not write here. */
  #setDeploymentRevision(s: Sync, revision: string): void {
    if (s.d.metadata.annotations?.[annotation.revision] === revision) return;
    const next = structuredClone(s.d);
    next.metadata.annotations = { ...next.metadata.annotations, [annotation.revision]: revision };
    s.d = as<Deployment>(
      this.#store.update(resources.deployments, stored(next), { fieldManager: "deployment-controller" }),
    );
  }

  /** getAllReplicaSetsAndSyncRevision. */
  #replicaSets(
    s: Sync,
    rsList: ReplicaSet[],
    createIfMissing: boolean,
  ): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
    const oldRSs = findOldReplicaSets(s.d, rsList);
    return { newRS: this.#newReplicaSet(s, rsList, oldRSs, createIfMissing), oldRSs };
  }

  #newReplicaSet(
    s: Sync,
    rsList: ReplicaSet[],
    oldRSs: ReplicaSet[],
    createIfMissing: boolean,
  ): ReplicaSet | undefined {
    const replicas = { desired: replicasOf(s.d), max: replicasOf(s.d) + maxSurge(s.d) };
    const newRevision = maxRevision(oldRSs) + 1;
    const existing = findNewReplicaSet(s.d, rsList);
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(s.d, copy, newRevision, true, replicas);
      if (annotationsChanged || (copy.spec.minReadySeconds ?? 0) !== (s.d.spec.minReadySeconds ?? 0)) {
        copy.spec.minReadySeconds = s.d.spec.minReadySeconds;
        return as<ReplicaSet>(
          this.#store.update(resources.replicasets, stored(copy), { fieldManager: "deployment-controller" }),
        );
      }
      this.#setDeploymentRevision(s, copy.metadata.annotations?.[annotation.revision] ?? "");
      // Rule 3.3: FoundNewReplicaSet only when no Progressing condition exists (an exceeded deadline stays).
      if (
        progressDeadlineSeconds(s.d) !== undefined &&
        !getCondition(s.d.status?.conditions, "Progressing")
      ) {
        const found = newCondition(
          "Progressing",
          "True",
          reason.foundNewReplicaSet,
          `Found new replica set "${copy.metadata.name}"`,
          this.#now().text,
        );
        this.#writeStatus(s, { ...s.d.status, conditions: setCondition(s.d.status?.conditions, found) });
      }
      return copy;
    }
    if (!createIfMissing) return undefined;

    const template = structuredClone(s.d.spec.template);
    const hash = computeHash(semantic(template), s.d.status?.collisionCount);
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash },
    };
    const rs: ReplicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${s.d.metadata.name}-${hash}`,
        namespace: s.d.metadata.namespace,
        ownerReferences: [controllerReference(s.d)],
        labels: template.metadata.labels,
      },
      spec: {
        replicas: 0,
        minReadySeconds: s.d.spec.minReadySeconds,
        selector: {
          ...s.d.spec.selector,
          matchLabels: { ...s.d.spec.selector.matchLabels, [podTemplateHashLabel]: hash },
        },
        template,
      },
    };
    rs.spec.replicas = newReplicaSetReplicas(s.d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(s.d, rs, newRevision, false, replicas);
    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = as<ReplicaSet>(
        this.#store.create(resources.replicasets, stored(rs), { fieldManager: "deployment-controller" }),
      );
    } catch (error) {
      if (error instanceof StoreError && error.reason === "AlreadyExists") {
        const clash = this.#store.get(resources.replicasets, rs.metadata.namespace, rs.metadata.name);
        const other = clash && as<ReplicaSet>(clash);
        if (
          other &&
          controllerOf(other.metadata)?.uid === s.d.metadata.uid &&
          equalIgnoreHash(s.d.spec.template, other.spec.template)
        ) {
          created = other;
          alreadyExisted = true;
        } else {
          // A hash collision: bump collisionCount and retry with the next hash.
          this.#writeStatus(s, { ...s.d.status, collisionCount: (s.d.status?.collisionCount ?? 0) + 1 });
          throw error;
        }
      } else {
        const message = `Failed to create new replica set "${rs.metadata.name}": ${error instanceof Error ? error.message : String(error)}`;
        if (progressDeadlineSeconds(s.d) !== undefined) {
          const failed = newCondition("Progressing", "False", reason.failedCreate, message, this.#now().text);
          this.#writeStatus(s, { ...s.d.status, conditions: setCondition(s.d.status?.conditions, failed) });
        }
        this.#events.record(s.d, "Warning", reason.failedCreate, message);
        throw error;
      }
    }
    const size = specReplicas(created);
    if (!alreadyExisted && size > 0) {
      this.#events.record(
        s.d,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${created.metadata.name} from 0 to ${size}`,
      );
    }
    this.#setDeploymentRevision(s, String(newRevision));
    if (!alreadyExisted && progressDeadlineSeconds(s.d) !== undefined) {
      const createdCondition = newCondition(
        "Progressing",
        "True",
        reason.newReplicaSetCreated,
        `Created new replica set "${created.metadata.name}"`,
        this.#now().text,
      );
      this.#writeStatus(s, {
        ...s.d.status,
        conditions: setCondition(s.d.status?.conditions, createdCondition),
      });
    }
    return created;
  }

  /** scaleReplicaSet: size and desired/max annotations; an event when the size changed. True if resized. */
  #scale(s: Sync, target: ReplicaSet, to: number, direction?: "up" | "down"): boolean {
    const latest = this.#store.get(resources.replicasets, target.metadata.namespace, target.metadata.name);
    if (!latest) return false;
    const rs = as<ReplicaSet>(latest);
    const from = specReplicas(rs);
    const annotations = { ...rs.metadata.annotations };
    const annotationsChanged = setReplicasAnnotations(
      annotations,
      replicasOf(s.d),
      replicasOf(s.d) + maxSurge(s.d),
    );
    if (from === to && !annotationsChanged) return false;
    const next = structuredClone(rs);
    next.spec.replicas = to;
    next.metadata.annotations = annotations;
    this.#store.update(resources.replicasets, stored(next), { fieldManager: "deployment-controller" });
    if (from === to) return false;
    const operation = direction ?? (from < to ? "up" : "down");
    this.#events.record(
      s.d,
      "Normal",
      "ScalingReplicaSet",
      `Scaled ${operation} replica set ${rs.metadata.name} from ${from} to ${to}`,
    );
    return true;
  }

  #applyScales(s: Sync, scales: Scale[], direction?: "up" | "down"): boolean {
    let scaled = false;
    for (const { rs, to } of scales) if (this.#scale(s, rs, to, direction)) scaled = true;
    return scaled;
  }

  #cleanup(s: Sync, oldRSs: ReplicaSet[]): void {
    for (const rs of replicaSetsToDelete(s.d, oldRSs)) {
      try {
        this.#store.delete(resources.replicasets, rs.metadata.namespace, rs.metadata.name);
      } catch (error) {
        if (!(error instanceof StoreError && error.code === 404)) throw error;
      }
    }
  }

  /** sync(): scale only (paused Deployments and scaling events), then status without Progressing changes. */
  #scaleOnly(s: Sync, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.#replicaSets(s, rsList, false);
    const { scales, direction } = scalePlan(s.d, newRS, oldRSs);
    this.#applyScales(s, scales, direction);
    if (s.d.spec.paused) this.#cleanup(s, oldRSs);
    this.#syncStatusOnly(s, this.#replicaSetsOf(s.d), newRS);
  }

  #syncStatusOnly(s: Sync, rsList: ReplicaSet[], newRS = findNewReplicaSet(s.d, rsList)): void {
    const status = calculateStatus(s.d, rsList, newRS, this.#now().text);
    if (!isDeepStrictEqual(status, s.d.status)) this.#writeStatus(s, status);
  }

  #rolloutRolling(s: Sync, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.#replicaSets(s, rsList, true);
    if (!newRS) return;
    const allRSs = [...oldRSs, newRS];
    const up = reconcileNewReplicaSet(s.d, allRSs, newRS);
    const scaledUp = up !== undefined && this.#scale(s, newRS, up.to);
    // Only when nothing was scaled up are old ReplicaSets scaled down; cleanup waits for completion.
    const scaledDown =
      !scaledUp && this.#applyScales(s, reconcileOldReplicaSets(s.d, allRSs, active(oldRSs), newRS));
    if (!scaledUp && !scaledDown && s.d.status && deploymentComplete(s.d, s.d.status))
      this.#cleanup(s, oldRSs);
    this.#syncRolloutStatus(s, allRSs, newRS);
  }

  #rolloutRecreate(s: Sync, rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.#replicaSets(s, rsList, false);
    const allRSs = () => [...oldRSs, ...(newRS ? [newRS] : [])];
    const scaledDown = this.#applyScales(
      s,
      active(oldRSs).map((rs) => ({ rs, to: 0 })),
    );
    // New pods start only once the old ones are scaled down and gone.
    if (!scaledDown && !this.#oldPodsRunning(newRS, oldRSs)) {
      if (!newRS) ({ newRS, oldRSs } = this.#replicaSets(s, rsList, true));
      if (newRS && specReplicas(newRS) !== replicasOf(s.d)) this.#scale(s, newRS, replicasOf(s.d));
      if (s.d.status && deploymentComplete(s.d, s.d.status)) this.#cleanup(s, oldRSs);
    }
    this.#syncRolloutStatus(s, allRSs(), newRS);
  }

  /** Recreate starts new pods only once no pod of an old ReplicaSet is left running or terminating. */
  #oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (statusSum(oldRSs, "replicas") > 0) return true;
    const oldUids = new Set(
      oldRSs.map((rs) => rs.metadata.uid ?? "").filter((uid) => uid !== newRS?.metadata.uid),
    );
    const namespace = oldRSs[0]?.metadata.namespace;
    if (oldUids.size === 0) return false;
    return this.#store
      .list(resources.pods, { namespace })
      .items.map((item) => as<Pod>(item))
      .some(
        (pod) =>
          oldUids.has(controllerOf(pod.metadata)?.uid ?? "-") &&
          pod.status?.phase !== "Failed" &&
          pod.status?.phase !== "Succeeded",
      );
  }

  #syncRolloutStatus(s: Sync, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): void {
    const { now, text } = this.#now();
    // Status is computed from the ReplicaSets' latest status, as the informer cache would show it.
    const fresh = (rs: ReplicaSet) => {
      const latest = this.#store.get(resources.replicasets, rs.metadata.namespace, rs.metadata.name);
      return latest ? as<ReplicaSet>(latest) : rs;
    };
    const current = allRSs.map(fresh);
    const currentNew = newRS && fresh(newRS);
    const status = withRolloutConditions(
      s.d,
      current,
      currentNew,
      calculateStatus(s.d, current, currentNew, text),
      now,
      text,
    );
    if (isDeepStrictEqual(status, s.d.status)) {
      const after = recheckAfterMs(s.d, status, now);
      if (after !== undefined) this.#queue.addAfter(s.key, after);
      return;
    }
    this.#writeStatus(s, status);
  }
}
