// A single-node kubelet: registers the Node, binds unscheduled pods to itself (there is no scheduler), and
// runs each pod through a PodWorker on the injected PodRuntime.
import type { Pod } from "../api/kinds.ts";
import { resources } from "../api/resources.ts";
import type { Clock } from "../clock/clock.ts";
import { EventRecorder } from "../events/recorder.ts";
import { timestamp } from "../store/names.ts";
import { type ObjectStore, StoreError } from "../store/object-store.ts";
import { Backoff } from "./backoff.ts";
import { validateContainerLogStatus } from "./container-log-status.ts";
import type { KubeletContext } from "./context.ts";
import type { PodRuntime } from "./pod-runtime.ts";
import { PodWorker } from "./pod-worker.ts";

export const defaultNodeName = "local-node";

export interface KubeletOptions {
  store: ObjectStore;
  clock: Clock;
  runtime: PodRuntime;
  nodeName?: string;
  /** status.hostIP of every pod, and the Node's InternalIP. */
  hostIP?: string;
}

export class Kubelet {
  readonly nodeName: string;
  readonly #ctx: KubeletContext;
  readonly #scheduler: EventRecorder;
  readonly #workers = new Map<string, PodWorker>();
  #stopWatch: (() => void) | undefined;

  constructor(options: KubeletOptions) {
    this.nodeName = options.nodeName ?? defaultNodeName;
    this.#ctx = {
      store: options.store,
      clock: options.clock,
      runtime: options.runtime,
      events: new EventRecorder(options.store, options.clock, { component: "kubelet", host: this.nodeName }),
      hostIP: options.hostIP ?? "127.0.0.1",
      crashBackoff: new Backoff(),
      imageBackoff: new Backoff(),
    };
    this.#scheduler = new EventRecorder(options.store, options.clock, { component: "default-scheduler" });
  }

  start(): void {
    this.#registerNode();
    const pods = this.#ctx.store.list(resources.pods);
    for (const item of pods.items) this.#handle(item);
    this.#stopWatch = this.#ctx.store.watch(
      resources.pods,
      { resourceVersion: pods.resourceVersion },
      ({ type, object: pod }) => {
        if (type === "DELETED") this.#forget(pod);
        else this.#handle(pod);
      },
    );
  }

  /** Stops watching and stops every container at once; pod objects stay as they are. */
  async stop(): Promise<void> {
    this.#stopWatch?.();
    await Promise.all([...this.#workers.values()].map((worker) => worker.stop()));
    this.#workers.clear();
  }

  /**
   * `kubectl logs`: the instance the pod's status names (see validateContainerLogStatus), read from the
   * runtime. The API server asks this (the platform registers the kubelet as its pod log source).
   */
  async logs(
    pod: Pod,
    options: { container: string; tailLines?: number; previous?: boolean },
  ): Promise<string> {
    const name = pod.metadata.name;
    const status = pod.status?.containerStatuses?.find((candidate) => candidate.name === options.container);
    const id = validateContainerLogStatus(name, status, options.container, options.previous ?? false);
    const instance = this.#workers.get(pod.metadata.uid ?? "")?.instance(options.container, id);
    if (!instance)
      throw new Error(
        `container "${options.container}" in pod "${name}" (${id}) is no longer on node ${this.nodeName}: the platform restarted since it ran`,
      );
    return instance.logs(options.tailLines !== undefined ? { tailLines: options.tailLines } : {});
  }

  #registerNode(): void {
    const { store, clock, hostIP, runtime } = this.#ctx;
    const now = timestamp(clock.now());
    const ready = {
      type: "Ready",
      status: "True",
      reason: "KubeletReady",
      message: "kubelet is posting ready status",
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    };
    const pressure = (type: string, reason: string, message: string) => ({
      type,
      status: "False",
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    });
    const status = {
      conditions: [
        pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ready,
      ],
      addresses: [
        { type: "InternalIP", address: hostIP },
        { type: "Hostname", address: this.nodeName },
      ],
      capacity: { cpu: "2", memory: "8Gi", pods: "110" },
      allocatable: { cpu: "2", memory: "8Gi", pods: "110" },
      nodeInfo: {
        kubeletVersion: "v1.31.0",
        containerRuntimeVersion: `${runtime.name}://1.0.0`,
        operatingSystem: "linux",
        architecture: "amd64",
        osImage: "CloudJobHunt local platform",
      },
    };
    const existing = store.get(resources.nodes, undefined, this.nodeName);
    const node =
      existing ??
      store.create(resources.nodes, {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: this.nodeName,
          labels: {
            "kubernetes.io/hostname": this.nodeName,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
          },
        },
        spec: { podCIDR: "10.244.0.0/16", podCIDRs: ["10.244.0.0/16"] },
      });
    store.update(resources.nodes, { ...node, status }, { subresource: "status", fieldManager: "kubelet" });
  }

  #handle(pod: Pod): void {
    const uid = pod.metadata.uid ?? "";
    if (pod.spec.nodeName && pod.spec.nodeName !== this.nodeName) return;
    if (!pod.spec.nodeName) {
      if (!pod.metadata.deletionTimestamp) this.#bind(pod);
      return;
    }
    let worker = this.#workers.get(uid);
    if (!worker) {
      if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") {
        if (pod.metadata.deletionTimestamp) this.#remove(pod);
        return;
      }
      worker = new PodWorker(this.#ctx, pod);
      this.#workers.set(uid, worker);
      worker.start();
    }
    worker.update(pod);
    const finished = worker.finished;
    if (finished) void finished.then(() => this.#workers.delete(uid));
  }

  /** The scheduler's part: a single node, so every pod goes here. */
  #bind(pod: Pod): void {
    const bound = this.#ctx.store.get(resources.pods, pod.metadata.namespace, pod.metadata.name);
    if (!bound || bound.metadata.uid !== pod.metadata.uid) return;
    if (bound.spec.nodeName) return;
    bound.spec.nodeName = this.nodeName;
    this.#ctx.store.update(resources.pods, bound, { fieldManager: "default-scheduler" });
    this.#scheduler.record(
      bound,
      "Normal",
      "Scheduled",
      `Successfully assigned ${bound.metadata.namespace}/${bound.metadata.name} to ${this.nodeName}`,
    );
  }

  #remove(pod: Pod): void {
    try {
      this.#ctx.store.delete(resources.pods, pod.metadata.namespace, pod.metadata.name, {
        gracePeriodSeconds: 0,
      });
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 404)) throw error;
    }
  }

  #forget(pod: Pod): void {
    const uid = pod.metadata.uid ?? "";
    const worker = this.#workers.get(uid);
    if (!worker) return;
    this.#workers.delete(uid);
    void worker.stop();
  }
}
