// One pod's life on the node (the kubelet's pod worker): sandbox, then per container: environment, image
// pull with back-off, start, probes, restarts with the crash back-off; graceful termination on deletion.
// What to do next is decided in pod-actions.ts (as kuberuntime's computePodActions); this file does it.

import { isDeepStrictEqual } from "node:util";
import type { V1Container } from "@kubernetes/client-node";
import type { ContainerState, ContainerStatus, Pod } from "../api/kinds.ts";
import { resources } from "../api/resources.ts";
import { type Clock, sleep } from "../clock/clock.ts";
import type { EventRecorder } from "../events/recorder.ts";
import { timestamp } from "../store/names.ts";
import { type ObjectStore, StoreError } from "../store/object-store.ts";
import type { Backoff } from "./backoff.ts";
import { ConfigError, resolveEnv } from "./env.ts";
import {
  type ContainerEvent,
  computeExitAction,
  computeImageAction,
  createContainerConfigError,
  imagePulled,
  imagePullFailed,
  probeFailureKill,
  startedProbeState,
  terminatedState,
  type Wait,
} from "./pod-actions.ts";
import {
  type ContainerExit,
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

  #event({ type, reason, message }: ContainerEvent, container: string): void {
    this.#ctx.events.record(this.#pod, type, reason, message, `spec.containers{${container}}`);
  }

  #wait(ms: number): Promise<void> {
    return sleep(this.#ctx.clock, ms, this.#terminating.signal);
  }

  /** One container's life: does what computeImageAction and computeExitAction decide (pod-actions.ts). */
  async #containerLoop(record: ContainerRecord, sandbox: Sandbox): Promise<void> {
    const { clock, crashBackoff, imageBackoff } = this.#ctx;
    const key = `${this.#identity.uid}/${record.spec.name}`;
    while (!this.#terminating.signal.aborted) {
      const env = this.#environment(record, sandbox);
      if (env instanceof ConfigError) {
        await this.#show(record, createContainerConfigError(env));
        continue;
      }
      const image = computeImageAction({
        image: record.spec.image ?? "",
        pulled: record.imageID !== "",
        backoffLeftMs: imageBackoff.remaining(key, clock.now().getTime()),
      });
      if (image.action === "wait") {
        await this.#show(record, image);
        continue;
      }
      if (image.action === "pull" && !(await this.#pull(record, key, image.events))) continue;

      const started = await this.#start(record, sandbox, env);
      if (!started) return;
      const exit = await this.#runUntilExit(record, started.running);
      const next = computeExitAction({
        container: record.spec.name,
        podText: this.#podText,
        restartPolicy: this.#pod.spec.restartPolicy,
        deleting: this.#terminating.signal.aborted,
        terminated: terminatedState(exit, started.containerID),
        exitCode: exit.exitCode,
        crashBackoff: {
          leftMs: crashBackoff.remaining(key, exit.finishedAt.getTime()),
          currentMs: crashBackoff.get(key),
        },
      });
      if (next.action === "stay") {
        record.state = next.state;
        this.#writeStatus();
        return;
      }
      record.lastState = next.lastState;
      await this.#show(record, next);
      if (this.#terminating.signal.aborted) return;
      crashBackoff.next(key, clock.now().getTime());
      record.restartCount++;
    }
  }

  /** The container's environment, or why it cannot be built. */
  #environment(record: ContainerRecord, sandbox: Sandbox): Record<string, string> | ConfigError {
    try {
      return resolveEnv(this.#ctx.store, this.#pod, record.spec, {
        podIP: sandbox.podIP,
        hostIP: this.#ctx.hostIP,
      });
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  }

  /** Shows a waiting (or terminated) state with its events, then waits before the next attempt. */
  async #show(record: ContainerRecord, wait: Wait): Promise<void> {
    record.state = wait.state;
    for (const event of wait.events) this.#event(event, record.spec.name);
    this.#writeStatus();
    if (wait.waitMs > 0) await this.#wait(wait.waitMs);
  }

  /** Pulls the container's image; false when the pull failed (ErrImagePull shown, image back-off bumped). */
  async #pull(record: ContainerRecord, key: string, events: ContainerEvent[]): Promise<boolean> {
    const { clock, runtime, imageBackoff } = this.#ctx;
    const image = record.spec.image ?? "";
    for (const event of events) this.#event(event, record.spec.name);
    const pullStart = clock.now().getTime();
    try {
      record.imageID = (await runtime.pullImage(this.#identity, image)).imageID;
    } catch (error) {
      if (!(error instanceof ImagePullError)) throw error;
      imageBackoff.next(key, clock.now().getTime());
      await this.#show(record, imagePullFailed(image, error.message));
      return false;
    }
    this.#event(imagePulled(image, clock.now().getTime() - pullStart), record.spec.name);
    return true;
  }

  /** Starts the container; undefined when the pod started terminating meanwhile (the container is stopped). */
  async #start(
    record: ContainerRecord,
    sandbox: Sandbox,
    env: Record<string, string>,
  ): Promise<{ running: RunningContainer; containerID: string } | undefined> {
    const { runtime } = this.#ctx;
    const name = record.spec.name;
    const running = await runtime.startContainer(this.#identity, sandbox, { spec: record.spec, env });
    if (this.#terminating.signal.aborted) {
      await running.stop(0);
      return undefined;
    }
    this.#event({ type: "Normal", reason: "Created", message: `Created container ${name}` }, name);
    this.#event({ type: "Normal", reason: "Started", message: `Started container ${name}` }, name);
    const containerID = `${runtime.name === "docker" ? "docker" : "containerd"}://${running.containerID}`;
    record.running = running;
    record.containerID = containerID;
    record.instances = [...record.instances.slice(-1), { id: containerID, container: running }];
    record.imageID = running.imageID;
    record.state = { running: { startedAt: timestamp(running.startedAt) } };
    const { started, ready } = startedProbeState(record.spec);
    record.started = started;
    record.ready = ready;
    this.#writeStatus();
    return { running, containerID };
  }

  /** Probes the running container until it exits, whoever ends it. */
  async #runUntilExit(record: ContainerRecord, running: RunningContainer): Promise<ContainerExit> {
    const probes = new AbortController();
    this.#probe(record, running, probes.signal);
    const exit = await running.exited;
    probes.abort();
    record.running = undefined;
    record.ready = false;
    record.started = false;
    return exit;
  }

  /** Startup probe first; then readiness and liveness side by side. A failed startup/liveness probe kills. */
  #probe(record: ContainerRecord, running: RunningContainer, signal: AbortSignal): void {
    const { clock } = this.#ctx;
    const name = record.spec.name;
    const unhealthy = (kind: string) => () =>
      this.#event({ type: "Warning", reason: "Unhealthy", message: `${kind} probe failed: ` }, name);
    const kill = (kind: "startup" | "liveness", probe: { terminationGracePeriodSeconds?: number }) => {
      const { event, graceSeconds } = probeFailureKill(
        kind,
        name,
        probe.terminationGracePeriodSeconds,
        this.#pod.spec.terminationGracePeriodSeconds,
      );
      this.#event(event, name);
      void running.stop(graceSeconds);
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
        const { name } = record.spec;
        this.#event({ type: "Normal", reason: "Killing", message: `Stopping container ${name}` }, name);
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
    const pod = this.#ctx.store.get(resources.pods, this.#identity.namespace, this.#identity.name);
    if (!pod || pod.metadata.uid !== this.#identity.uid) return;
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
    this.#ctx.store.update(
      resources.pods,
      { ...pod, status },
      { subresource: "status", fieldManager: "kubelet" },
    );
  }
}
