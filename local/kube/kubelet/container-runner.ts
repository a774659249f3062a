// One container of a pod on the node: environment, image pull, start, probes, restarts; the state its
// containerStatuses entry shows. It does what pod-actions.ts decides (as kuberuntime's SyncPod and
// startContainer, pkg/kubelet/kuberuntime/, act on computePodActions); the pod worker owns the pod around it.
import type { V1Container } from "@kubernetes/client-node";
import type { ContainerState, ContainerStatus, Pod } from "../api/kinds.ts";
import { sleep } from "../clock/clock.ts";
import { timestamp } from "../store/names.ts";
import type { KubeletContext } from "./context.ts";
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
  type RunningContainer,
  type Sandbox,
} from "./pod-runtime.ts";
import { runProbe } from "./probes.ts";

/** What a container runner needs from its pod worker. */
export interface PodHandle {
  readonly ctx: KubeletContext;
  /** The latest version of the pod. */
  latest(): Pod;
  identity(): PodIdentity;
  /** Aborted when the pod starts terminating: nothing (re)starts any more. */
  readonly terminating: AbortSignal;
  /** Writes the pod's status with every container's current state. */
  writeStatus(): void;
}

export class ContainerRunner {
  readonly #pod: PodHandle;
  readonly #spec: V1Container;
  #imageID = "";
  #containerID: string | undefined;
  #state: ContainerState = { waiting: { reason: "ContainerCreating" } };
  #lastState: ContainerState = {};
  #restartCount: number;
  #ready = false;
  #started = false;
  #running: RunningContainer | undefined;
  /** The last two instances by containerID (the current one and the one it replaced), for `kubectl logs`. */
  #instances: { id: string; container: RunningContainer }[] = [];

  /** `restartCount` carries on from a status the pod had before this kubelet started. */
  constructor(pod: PodHandle, spec: V1Container, restartCount: number) {
    this.#pod = pod;
    this.#spec = spec;
    this.#restartCount = restartCount;
  }

  get name(): string {
    return this.#spec.name;
  }

  /** The instance with that containerID, while the node still has it. */
  instance(containerID: string): RunningContainer | undefined {
    return this.#instances.find((instance) => instance.id === containerID)?.container;
  }

  /** containerStatuses[] entry. */
  status(): ContainerStatus {
    return {
      name: this.#spec.name,
      state: this.#state,
      lastState: this.#lastState,
      ready: this.#ready,
      restartCount: this.#restartCount,
      image: this.#spec.image ?? "",
      imageID: this.#imageID,
      ...(this.#containerID ? { containerID: this.#containerID } : {}),
      started: this.#started,
    };
  }

  /** A runtime failure outside the scripted paths: shown on the container unless it is running. */
  failed(message: string): void {
    if (!this.#running) this.#state = { waiting: { reason: "RunContainerError", message } };
  }

  /** Stops the running instance, if any, with the grace period (killContainer). */
  async kill(graceSeconds: number): Promise<void> {
    if (!this.#running) return;
    const { name } = this.#spec;
    this.#event({ type: "Normal", reason: "Killing", message: `Stopping container ${name}` });
    await this.#running.stop(graceSeconds);
  }

  /** The container's life until it stays terminated or the pod terminates. */
  async run(sandbox: Sandbox): Promise<void> {
    const { clock, crashBackoff, imageBackoff } = this.#pod.ctx;
    const key = `${this.#pod.identity().uid}/${this.#spec.name}`;
    while (!this.#pod.terminating.aborted) {
      const env = this.#environment(sandbox);
      if (env instanceof ConfigError) {
        await this.#show(createContainerConfigError(env));
        continue;
      }
      const image = computeImageAction({
        image: this.#spec.image ?? "",
        pulled: this.#imageID !== "",
        backoffLeftMs: imageBackoff.remaining(key, clock.now().getTime()),
      });
      if (image.action === "wait") {
        await this.#show(image);
        continue;
      }
      if (image.action === "pull" && !(await this.#pull(key, image.events))) continue;

      const started = await this.#start(sandbox, env);
      if (!started) return;
      const exit = await this.#runUntilExit(started.running);
      const next = computeExitAction({
        container: this.#spec.name,
        podText: this.#podText,
        restartPolicy: this.#pod.latest().spec.restartPolicy,
        deleting: this.#pod.terminating.aborted,
        terminated: terminatedState(exit, started.containerID),
        exitCode: exit.exitCode,
        crashBackoff: {
          leftMs: crashBackoff.remaining(key, exit.finishedAt.getTime()),
          currentMs: crashBackoff.get(key),
        },
      });
      if (next.action === "stay") {
        this.#state = next.state;
        this.#pod.writeStatus();
        return;
      }
      this.#lastState = next.lastState;
      await this.#show(next);
      if (this.#pod.terminating.aborted) return;
      crashBackoff.next(key, clock.now().getTime());
      this.#restartCount++;
    }
  }

  /** The container's environment, or why it cannot be built. */
  #environment(sandbox: Sandbox): Record<string, string> | ConfigError {
    try {
      return resolveEnv(this.#pod.ctx.store, this.#pod.latest(), this.#spec, {
        podIP: sandbox.podIP,
        hostIP: this.#pod.ctx.hostIP,
      });
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  }

  /** Shows a waiting (or terminated) state with its events, then waits before the next attempt. */
  async #show(wait: Wait): Promise<void> {
    this.#state = wait.state;
    for (const event of wait.events) this.#event(event);
    this.#pod.writeStatus();
    if (wait.waitMs > 0) await this.#wait(wait.waitMs);
  }

  /** Pulls the container's image; false when the pull failed (ErrImagePull shown, image back-off bumped). */
  async #pull(key: string, events: ContainerEvent[]): Promise<boolean> {
    const { clock, runtime, imageBackoff } = this.#pod.ctx;
    const image = this.#spec.image ?? "";
    for (const event of events) this.#event(event);
    const pullStart = clock.now().getTime();
    try {
      this.#imageID = (await runtime.pullImage(this.#pod.identity(), image)).imageID;
    } catch (error) {
      if (!(error instanceof ImagePullError)) throw error;
      imageBackoff.next(key, clock.now().getTime());
      await this.#show(imagePullFailed(image, error.message));
      return false;
    }
    this.#event(imagePulled(image, clock.now().getTime() - pullStart));
    return true;
  }

  /** Starts the container; undefined when the pod started terminating meanwhile (the container is stopped). */
  async #start(
    sandbox: Sandbox,
    env: Record<string, string>,
  ): Promise<{ running: RunningContainer; containerID: string } | undefined> {
    const { runtime } = this.#pod.ctx;
    const name = this.#spec.name;
    const running = await runtime.startContainer(this.#pod.identity(), sandbox, { spec: this.#spec, env });
    if (this.#pod.terminating.aborted) {
      await running.stop(0);
      return undefined;
    }
    this.#event({ type: "Normal", reason: "Created", message: `Created container ${name}` });
    this.#event({ type: "Normal", reason: "Started", message: `Started container ${name}` });
    const containerID = `${runtime.name === "docker" ? "docker" : "containerd"}://${running.containerID}`;
    this.#running = running;
    this.#containerID = containerID;
    this.#instances = [...this.#instances.slice(-1), { id: containerID, container: running }];
    this.#imageID = running.imageID;
    this.#state = { running: { startedAt: timestamp(running.startedAt) } };
    const { started, ready } = startedProbeState(this.#spec);
    this.#started = started;
    this.#ready = ready;
    this.#pod.writeStatus();
    return { running, containerID };
  }

  /** Probes the running container until it exits, whoever ends it. */
  async #runUntilExit(running: RunningContainer): Promise<ContainerExit> {
    const probes = new AbortController();
    this.#probe(running, probes.signal);
    const exit = await running.exited;
    probes.abort();
    this.#running = undefined;
    this.#ready = false;
    this.#started = false;
    return exit;
  }

  /** Startup probe first; then readiness and liveness side by side. A failed startup/liveness probe kills. */
  #probe(running: RunningContainer, signal: AbortSignal): void {
    const { clock } = this.#pod.ctx;
    const name = this.#spec.name;
    const unhealthy = (kind: string) => () =>
      this.#event({ type: "Warning", reason: "Unhealthy", message: `${kind} probe failed: ` });
    const kill = (kind: "startup" | "liveness", probe: { terminationGracePeriodSeconds?: number }) => {
      const { event, graceSeconds } = probeFailureKill(
        kind,
        name,
        probe.terminationGracePeriodSeconds,
        this.#pod.latest().spec.terminationGracePeriodSeconds,
      );
      this.#event(event);
      void running.stop(graceSeconds);
      return "stop" as const;
    };
    const afterStartup = () => {
      const { readinessProbe, livenessProbe } = this.#spec;
      if (readinessProbe) {
        const onFlip = (ready: boolean) => {
          this.#ready = ready;
          this.#pod.writeStatus();
          return undefined;
        };
        void runProbe(clock, running, readinessProbe, "readiness", signal, onFlip, unhealthy("Readiness"));
      }
      if (livenessProbe) {
        const onFlip = (alive: boolean) => (alive ? undefined : kill("liveness", livenessProbe));
        void runProbe(clock, running, livenessProbe, "liveness", signal, onFlip, unhealthy("Liveness"));
      }
    };
    const { startupProbe } = this.#spec;
    if (!startupProbe) {
      afterStartup();
      return;
    }
    const onStartup = (started: boolean) => {
      if (!started) return kill("startup", startupProbe);
      this.#started = true;
      this.#ready = !this.#spec.readinessProbe;
      this.#pod.writeStatus();
      afterStartup();
      return "stop" as const;
    };
    void runProbe(clock, running, startupProbe, "startup", signal, onStartup, unhealthy("Startup"));
  }

  #event({ type, reason, message }: ContainerEvent): void {
    const fieldPath = `spec.containers{${this.#spec.name}}`;
    this.#pod.ctx.events.record(this.#pod.latest(), type, reason, message, fieldPath);
  }

  #wait(ms: number): Promise<void> {
    return sleep(this.#pod.ctx.clock, ms, this.#pod.terminating);
  }

  /** `name_namespace(uid)`, as the kubelet's format.Pod prints a pod. */
  get #podText(): string {
    const { namespace, name, uid } = this.#pod.identity();
    return `${name}_${namespace}(${uid})`;
  }
}
