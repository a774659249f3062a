// One pod's life on the node (the kubelet's pod worker): sandbox, then per container: environment, image
// pull with back-off, start, probes, restarts with the crash back-off; graceful termination on deletion.

import { isDeepStrictEqual } from "node:util";
import type { V1Container } from "@kubernetes/client-node";
import { type Clock, sleep } from "../clock/clock.ts";
import {
  as,
  type ContainerState,
  type ContainerStatus,
  type Pod,
  resources,
  stored,
} from "../controllers/api/types.ts";
import type { EventRecorder } from "../events/recorder.ts";
import { timestamp } from "../store/names.ts";
import { type ObjectStore, StoreError } from "../store/object-store.ts";
import { type Backoff, goDuration } from "./backoff.ts";
import { ConfigError, resolveEnv } from "./env.ts";
import {
  ImagePullError,
  type PodIdentity,
  type PodRuntime,
  type RunningContainer,
  type Sandbox,
} from "./pod-runtime.ts";
import { podStatus } from "./pod-status.ts";
import { runProbe } from "./probes.ts";

export interface KubeletContext {
  store: ObjectStore;
  clock: Clock;
  runtime: PodRuntime;
  events: EventRecorder;
  hostIP: string;
  crashBackoff: Backoff;
  imageBackoff: Backoff;
}

/** How long ErrImagePull shows before the kubelet's next sync reports ImagePullBackOff. */
const errImagePullShownMs = 1000;
/** Retry interval for CreateContainerConfigError (the pod worker's resync). */
const configRetryMs = 10_000;

interface ContainerRecord {
  spec: V1Container;
  imageID: string;
  containerID?: string;
  state: ContainerState;
  lastState: ContainerState;
  restartCount: number;
  ready: boolean;
  started: boolean;
  running?: RunningContainer;
  /** The last two instances by containerID (the current one and the one it replaced), for `kubectl logs`. */
  instances: { id: string; container: RunningContainer }[];
}

export class PodWorker {
  readonly #ctx: KubeletContext;
  #pod: Pod;
  readonly #records: ContainerRecord[];
  readonly #terminating = new AbortController();
  readonly #startTime: string;
  #sandbox: Sandbox | undefined;
  #run: Promise<void> = Promise.resolve();
  #finished: Promise<void> | undefined;

  constructor(ctx: KubeletContext, pod: Pod) {
    this.#ctx = ctx;
    this.#pod = pod;
    this.#startTime = pod.status?.startTime ?? timestamp(ctx.clock.now());
    this.#records = pod.spec.containers.map((spec) => ({
      spec,
      imageID: "",
      state: { waiting: { reason: "ContainerCreating" } },
      lastState: {},
      restartCount:
        pod.status?.containerStatuses?.find((status) => status.name === spec.name)?.restartCount ?? 0,
      ready: false,
      started: false,
      instances: [],
    }));
  }

  get #identity(): PodIdentity {
    const meta = this.#pod.metadata;
    return {
      namespace: meta.namespace ?? "default",
      name: meta.name,
      uid: meta.uid ?? "",
      annotations: meta.annotations ?? {},
    };
  }

  /** `name_namespace(uid)`, as the kubelet's format.Pod prints a pod. */
  get #podText(): string {
    const { namespace, name, uid } = this.#identity;
    return `${name}_${namespace}(${uid})`;
  }

  start(): void {
    this.#run = this.#lifecycle().catch((error: unknown) => this.#failed(error));
  }

  /** A newer version of the pod; a deletionTimestamp starts graceful termination. */
  update(pod: Pod): void {
    this.#pod = pod;
    if (pod.metadata.deletionTimestamp && !this.#finished) {
      this.#finished = this.#terminate(
        pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30,
        true,
      );
    }
  }

  /** The pod object is gone (or the kubelet stops): stop its containers at once, nothing left to delete. */
  stop(): Promise<void> {
    this.#finished ??= this.#terminate(0, false);
    return this.#finished;
  }

  get finished(): Promise<void> | undefined {
    return this.#finished;
  }

  /** The instance of a container with that containerID, while the node still has it. */
  instance(containerName: string, containerID: string): RunningContainer | undefined {
    const record = this.#records.find((candidate) => candidate.spec.name === containerName);
    return record?.instances.find((instance) => instance.id === containerID)?.container;
  }

  async #lifecycle(): Promise<void> {
    this.#writeStatus();
    this.#sandbox = await this.#ctx.runtime.runSandbox(this.#identity);
    if (this.#terminating.signal.aborted) return;
    this.#writeStatus();
    await Promise.all(this.#records.map((record) => this.#containerLoop(record, this.#sandbox as Sandbox)));
  }

  #failed(error: unknown): void {
    // A runtime failure outside the scripted paths: report it on every container rather than lose it.
    const message = error instanceof Error ? error.message : String(error);
    for (const record of this.#records)
      if (!record.running) record.state = { waiting: { reason: "RunContainerError", message } };
    this.#writeStatus();
  }

  #event(type: "Normal" | "Warning", reason: string, message: string, container?: string): void {
    this.#ctx.events.record(
      this.#pod,
      type,
      reason,
      message,
      container ? `spec.containers{${container}}` : undefined,
    );
  }

  #wait(ms: number): Promise<void> {
    return sleep(this.#ctx.clock, ms, this.#terminating.signal);
  }

  async #containerLoop(record: ContainerRecord, sandbox: Sandbox): Promise<void> {
    const { clock, runtime } = this.#ctx;
    const name = record.spec.name;
    const image = record.spec.image ?? "";
    const key = `${this.#identity.uid}/${name}`;
    while (!this.#terminating.signal.aborted) {
      let env: Record<string, string>;
      try {
        env = resolveEnv(this.#ctx.store, this.#pod, record.spec, {
          podIP: sandbox.podIP,
          hostIP: this.#ctx.hostIP,
        });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        record.state = { waiting: { reason: error.reason, message: error.message } };
        this.#event("Warning", "Failed", `Error: ${error.message}`, name);
        this.#writeStatus();
        await this.#wait(configRetryMs);
        continue;
      }

      if (!record.imageID) {
        const backoffLeft = this.#ctx.imageBackoff.remaining(key, clock.now().getTime());
        if (backoffLeft > 0) {
          record.state = {
            waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` },
          };
          this.#event("Normal", "BackOff", `Back-off pulling image "${image}"`, name);
          this.#event("Warning", "Failed", "Error: ImagePullBackOff", name);
          this.#writeStatus();
          await this.#wait(backoffLeft);
          continue;
        }
        this.#event("Normal", "Pulling", `Pulling image "${image}"`, name);
        const pullStart = clock.now().getTime();
        try {
          record.imageID = (await runtime.pullImage(this.#identity, image)).imageID;
          const took = goDuration(clock.now().getTime() - pullStart);
          this.#event(
            "Normal",
            "Pulled",
            `Successfully pulled image "${image}" in ${took} (${took} including waiting)`,
            name,
          );
        } catch (error) {
          if (!(error instanceof ImagePullError)) throw error;
          this.#ctx.imageBackoff.next(key, clock.now().getTime());
          record.state = { waiting: { reason: "ErrImagePull", message: error.message } };
          this.#event("Warning", "Failed", `Failed to pull image "${image}": ${error.message}`, name);
          this.#event("Warning", "Failed", "Error: ErrImagePull", name);
          this.#writeStatus();
          await this.#wait(errImagePullShownMs);
          continue;
        }
      }

      const running = await runtime.startContainer(this.#identity, sandbox, { spec: record.spec, env });
      if (this.#terminating.signal.aborted) {
        await running.stop(0);
        return;
      }
      this.#event("Normal", "Created", `Created container ${name}`, name);
      this.#event("Normal", "Started", `Started container ${name}`, name);
      record.running = running;
      record.containerID = `${runtime.name === "docker" ? "docker" : "containerd"}://${running.containerID}`;
      record.instances = [...record.instances.slice(-1), { id: record.containerID, container: running }];
      record.imageID = running.imageID;
      record.state = { running: { startedAt: timestamp(running.startedAt) } };
      record.started = !record.spec.startupProbe;
      record.ready = record.started && !record.spec.readinessProbe;
      this.#writeStatus();

      const probes = new AbortController();
      this.#probe(record, running, probes.signal);
      const exit = await running.exited;
      probes.abort();
      record.running = undefined;
      record.ready = false;
      record.started = false;
      const terminated: ContainerState = {
        terminated: {
          exitCode: exit.exitCode,
          ...(exit.signal ? { signal: exit.signal } : {}),
          reason: exit.reason,
          startedAt: timestamp(exit.startedAt),
          finishedAt: timestamp(exit.finishedAt),
          containerID: record.containerID,
        },
      };
      const policy = this.#pod.spec.restartPolicy ?? "Always";
      const restart = policy === "Always" || (policy === "OnFailure" && exit.exitCode !== 0);
      if (this.#terminating.signal.aborted || !restart) {
        record.state = terminated;
        this.#writeStatus();
        return;
      }
      record.lastState = terminated;
      const backoffLeft = this.#ctx.crashBackoff.remaining(key, exit.finishedAt.getTime());
      if (backoffLeft > 0) {
        const backoff = goDuration(this.#ctx.crashBackoff.get(key));
        record.state = {
          waiting: {
            reason: "CrashLoopBackOff",
            message: `back-off ${backoff} restarting failed container=${name} pod=${this.#podText}`,
          },
        };
        this.#event(
          "Warning",
          "BackOff",
          `Back-off restarting failed container ${name} in pod ${this.#podText}`,
          name,
        );
        this.#writeStatus();
        await this.#wait(backoffLeft);
        if (this.#terminating.signal.aborted) return;
      } else {
        record.state = terminated;
        this.#writeStatus();
      }
      this.#ctx.crashBackoff.next(key, clock.now().getTime());
      record.restartCount++;
    }
  }

  /** Startup probe first; then readiness and liveness side by side. A failed startup/liveness probe kills. */
  #probe(record: ContainerRecord, running: RunningContainer, signal: AbortSignal): void {
    const { clock } = this.#ctx;
    const name = record.spec.name;
    const grace = (probe: { terminationGracePeriodSeconds?: number }) =>
      probe.terminationGracePeriodSeconds ?? this.#pod.spec.terminationGracePeriodSeconds ?? 30;
    const unhealthy = (kind: string) => () =>
      this.#event("Warning", "Unhealthy", `${kind} probe failed: `, name);
    const kill = (kind: "startup" | "liveness", probe: { terminationGracePeriodSeconds?: number }) => {
      this.#event("Normal", "Killing", `Container ${name} failed ${kind} probe, will be restarted`, name);
      void running.stop(grace(probe));
      return "stop" as const;
    };
    const afterStartup = () => {
      const { readinessProbe, livenessProbe } = record.spec;
      if (readinessProbe) {
        const onFlip = (ready: boolean) => {
          record.ready = ready;
          this.#writeStatus();
          return undefined;
        };
        void runProbe(clock, running, readinessProbe, "readiness", signal, onFlip, unhealthy("Readiness"));
      }
      if (livenessProbe) {
        const onFlip = (alive: boolean) => (alive ? undefined : kill("liveness", livenessProbe));
        void runProbe(clock, running, livenessProbe, "liveness", signal, onFlip, unhealthy("Liveness"));
      }
    };
    const { startupProbe } = record.spec;
    if (!startupProbe) {
      afterStartup();
      return;
    }
    const onStartup = (started: boolean) => {
      if (!started) return kill("startup", startupProbe);
      record.started = true;
      record.ready = !record.spec.readinessProbe;
      this.#writeStatus();
      afterStartup();
      return "stop" as const;
    };
    void runProbe(clock, running, startupProbe, "startup", signal, onStartup, unhealthy("Startup"));
  }

  async #terminate(graceSeconds: number, removeObject: boolean): Promise<void> {
    this.#terminating.abort();
    await Promise.all(
      this.#records.map(async (record) => {
        if (!record.running) return;
        this.#event("Normal", "Killing", `Stopping container ${record.spec.name}`, record.spec.name);
        await record.running.stop(graceSeconds);
      }),
    );
    await this.#run;
    await this.#ctx.runtime.removeSandbox(this.#identity);
    if (!removeObject) return;
    this.#writeStatus();
    try {
      this.#ctx.store.delete(resources.pods, this.#identity.namespace, this.#identity.name, {
        gracePeriodSeconds: 0,
        preconditions: { uid: this.#identity.uid },
      });
    } catch (error) {
      if (!(error instanceof StoreError && (error.code === 404 || error.code === 409))) throw error;
    }
  }

  #containerStatus(record: ContainerRecord): ContainerStatus {
    return {
      name: record.spec.name,
      state: record.state,
      lastState: record.lastState,
      ready: record.ready,
      restartCount: record.restartCount,
      image: record.spec.image ?? "",
      imageID: record.imageID,
      ...(record.containerID ? { containerID: record.containerID } : {}),
      started: record.started,
    };
  }

  #writeStatus(): void {
    const found = this.#ctx.store.get(resources.pods, this.#identity.namespace, this.#identity.name);
    if (!found || found.metadata.uid !== this.#identity.uid) return;
    const pod = as<Pod>(found);
    const status = podStatus(
      pod,
      {
        sandboxReady: this.#sandbox !== undefined,
        hostIP: this.#ctx.hostIP,
        podIP: this.#sandbox?.podIP,
        startTime: this.#startTime,
        containerStatuses: this.#records.map((record) => this.#containerStatus(record)),
      },
      timestamp(this.#ctx.clock.now()),
    );
    if (isDeepStrictEqual(status, pod.status)) return;
    this.#ctx.store.update(resources.pods, stored({ ...pod, status }), {
      subresource: "status",
      fieldManager: "kubelet",
    });
  }
}
