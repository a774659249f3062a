// The ReplicaSet controller (pkg/controller/replicaset): keeps spec.replicas active pods, named
// `<rs>-<5 random>` by the store's generateName, deletes the surplus worst-first, and writes status.
import { isDeepStrictEqual } from "node:util";
import type { Pod, ReplicaSet } from "../../api/kinds.ts";
import { controllerOf, controllerReference } from "../../api/meta.ts";
import { resources } from "../../api/resources.ts";
import type { Clock } from "../../clock/clock.ts";
import type { EventRecorder } from "../../events/recorder.ts";
import { timestamp } from "../../store/names.ts";
import { type ObjectStore, StoreError } from "../../store/object-store.ts";
import { keyOf, splitKey, WorkQueue } from "../../workqueue/work-queue.ts";
import { isPodActive, msUntilAvailable } from "../api/pod.ts";
import { podsToDelete } from "./pods-to-delete.ts";
import { replicaSetStatus } from "./status.ts";

/** controller.BurstReplicas: pods created or deleted per sync at most. */
const burstReplicas = 500;

export interface ReplicaSetControllerOptions {
  store: ObjectStore;
  clock: Clock;
  events: EventRecorder;
  onError?: (key: string, error: unknown) => void;
}

export class ReplicaSetController {
  readonly #store: ObjectStore;
  readonly #clock: Clock;
  readonly #events: EventRecorder;
  readonly #queue: WorkQueue;
  readonly #stops: (() => void)[] = [];

  constructor(options: ReplicaSetControllerOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#events = options.events;
    this.#queue = new WorkQueue(options.clock, (key) => this.#sync(key), options.onError ?? (() => {}));
  }

  start(): void {
    const sets = this.#store.list(resources.replicasets);
    for (const item of sets.items) this.#queue.add(keyOf(item.metadata.namespace, item.metadata.name ?? ""));
    this.#stops.push(
      this.#store.watch(resources.replicasets, { resourceVersion: sets.resourceVersion }, ({ object }) =>
        this.#queue.add(keyOf(object.metadata.namespace, object.metadata.name ?? "")),
      ),
    );
    const pods = this.#store.list(resources.pods);
    this.#stops.push(
      this.#store.watch(resources.pods, { resourceVersion: pods.resourceVersion }, ({ object }) => {
        const owner = controllerOf(object.metadata);
        if (owner?.kind === "ReplicaSet") this.#queue.add(keyOf(object.metadata.namespace, owner.name));
      }),
    );
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#queue.stop();
  }

  #sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = this.#store.get(resources.replicasets, namespace, name);
    if (!rs) return;
    const owned = this.#store
      .list(resources.pods, { namespace })
      .items.filter((pod) => controllerOf(pod.metadata)?.uid === rs.metadata.uid);
    let active = owned.filter(isPodActive);
    const failure = rs.metadata.deletionTimestamp ? undefined : this.#manage(rs, active);
    active = this.#store
      .list(resources.pods, { namespace })
      .items.filter((pod) => controllerOf(pod.metadata)?.uid === rs.metadata.uid && isPodActive(pod));

    const now = this.#clock.now();
    const status = replicaSetStatus(rs, active, failure, now, timestamp(now));
    if (!isDeepStrictEqual(status, rs.status)) {
      this.#store.update(
        resources.replicasets,
        { ...rs, status },
        {
          subresource: "status",
          fieldManager: "replicaset-controller",
        },
      );
    }
    // Ready pods not yet past minReadySeconds: look again when the first becomes available.
    const waits = active
      .map((pod) => msUntilAvailable(pod, rs.spec.minReadySeconds ?? 0, now))
      .filter((ms) => ms !== undefined);
    if (waits.length > 0) this.#queue.addAfter(key, Math.min(...waits));
  }

  /** manageReplicas: creates or deletes pods; returns the failure to record, if any. */
  #manage(
    rs: ReplicaSet,
    active: Pod[],
  ): { reason: "FailedCreate" | "FailedDelete"; message: string } | undefined {
    const diff = active.length - (rs.spec.replicas ?? 1);
    if (diff < 0) {
      for (let i = 0; i < Math.min(-diff, burstReplicas); i++) {
        try {
          const pod = this.#store.create(resources.pods, this.#podFor(rs), {
            fieldManager: "replicaset-controller",
          });
          this.#events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          this.#events.record(rs, "Warning", "FailedCreate", `Error creating: ${error.message}`);
          return { reason: "FailedCreate", message: error.message };
        }
      }
    } else if (diff > 0) {
      for (const pod of podsToDelete(active, Math.min(diff, burstReplicas))) {
        try {
          this.#store.delete(resources.pods, pod.metadata.namespace, pod.metadata.name);
          this.#events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          if (error.code === 404) continue;
          this.#events.record(rs, "Warning", "FailedDelete", `Error deleting: ${error.message}`);
          return { reason: "FailedDelete", message: error.message };
        }
      }
    }
    return undefined;
  }

  #podFor(rs: ReplicaSet): Pod {
    const template = structuredClone(rs.spec.template);
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "",
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: template.metadata?.labels,
        annotations: template.metadata?.annotations,
        ownerReferences: [controllerReference(rs)],
      },
      spec: template.spec,
    };
  }
}
