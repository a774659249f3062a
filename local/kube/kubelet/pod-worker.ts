// One pod's life on the node (the kubelet's pod worker, pkg/kubelet/pod_workers.go): the sandbox, a
// ContainerRunner per container (container-runner.ts), the pod's status, graceful termination on deletion.

import { isDeepStrictEqual } from "node:util";
import type { Pod } from "../api/kinds.ts";
import { resources } from "../api/resources.ts";
import { timestamp } from "../store/names.ts";
import { StoreError } from "../store/object-store.ts";
import { ContainerRunner, type PodHandle } from "./container-runner.ts";
import type { KubeletContext } from "./context.ts";
import type { PodIdentity, RunningContainer, Sandbox } from "./pod-runtime.ts";
import { podStatus } from "./pod-status.ts";

export class PodWorker {
  readonly #ctx: KubeletContext;
  #pod: Pod;
  readonly #containers: ContainerRunner[];
  readonly #terminating = new AbortController();
  readonly #startTime: string;
  #sandbox: Sandbox | undefined;
  #run: Promise<void> = Promise.resolve();
  #finished: Promise<void> | undefined;

  constructor(ctx: KubeletContext, pod: Pod) {
    this.#ctx = ctx;
    this.#pod = pod;
    this.#startTime = pod.status?.startTime ?? timestamp(ctx.clock.now());
    const handle: PodHandle = {
      ctx,
      latest: () => this.#pod,
      identity: () => this.#identity,
      terminating: this.#terminating.signal,
      writeStatus: () => this.#writeStatus(),
    };
    this.#containers = pod.spec.containers.map((spec) => {
      const previous = pod.status?.containerStatuses?.find((status) => status.name === spec.name);
      return new ContainerRunner(handle, spec, previous?.restartCount ?? 0);
    });
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
    return this.#containers.find((container) => container.name === containerName)?.instance(containerID);
  }

  async #lifecycle(): Promise<void> {
    this.#writeStatus();
    this.#sandbox = await this.#ctx.runtime.runSandbox(this.#identity);
    if (this.#terminating.signal.aborted) return;
    this.#writeStatus();
    const sandbox = this.#sandbox;
    await Promise.all(this.#containers.map((container) => container.run(sandbox)));
  }

  #failed(error: unknown): void {
    // A runtime failure outside the scripted paths: report it on every container rather than lose it.
    const message = error instanceof Error ? error.message : String(error);
    for (const container of this.#containers) container.failed(message);
    this.#writeStatus();
  }

  async #terminate(graceSeconds: number, removeObject: boolean): Promise<void> {
    this.#terminating.abort();
    await Promise.all(this.#containers.map((container) => container.kill(graceSeconds)));
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
        containerStatuses: this.#containers.map((container) => container.status()),
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
