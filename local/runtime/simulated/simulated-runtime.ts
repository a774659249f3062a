// A PodRuntime whose containers are scripted by their pod's annotations (script.ts) and whose images come
// from a SimulatedRegistry. All timing goes through the injected clock, so a scaled clock speeds it up.
import { randomBytes } from "node:crypto";
import type { V1Probe } from "@kubernetes/client-node";
import { type Clock, sleep } from "../../kube/clock/clock.ts";
import type {
  ContainerExit,
  ContainerLaunch,
  PodIdentity,
  PodRuntime,
  ProbeKind,
  RunningContainer,
  Sandbox,
} from "../../kube/kubelet/pod-runtime.ts";
import { SimulatedRegistry } from "./registry.ts";
import { type PodScript, parseScript } from "./script.ts";

export interface SimulatedRuntimeOptions {
  clock: Clock;
  /** The images that can be pulled (a registry or a list of references); default: none. */
  registry?: SimulatedRegistry | Iterable<string> | "any";
}

class SimulatedContainer implements RunningContainer {
  readonly containerID = randomBytes(32).toString("hex");
  readonly startedAt: Date;
  readonly exited: Promise<ContainerExit>;
  readonly #clock: Clock;
  readonly #script: PodScript;
  readonly #launch: ContainerLaunch;
  readonly #timers: (() => void)[] = [];
  readonly #log: string[] = [];
  #finish: (exit: ContainerExit) => void = () => {};
  #done = false;

  constructor(
    clock: Clock,
    script: PodScript,
    launch: ContainerLaunch,
    readonly imageID: string,
  ) {
    this.#clock = clock;
    this.#script = script;
    this.#launch = launch;
    this.startedAt = clock.now();
    this.exited = new Promise((resolve) => {
      this.#finish = resolve;
    });
    this.#log.push(`simulated container ${launch.spec.name} started`);
    if (script.crash) {
      const { exitCode, afterMs } = script.crash;
      this.#timers.push(
        clock.setTimer(afterMs, () => this.#exit(exitCode, exitCode === 0 ? "Completed" : "Error")),
      );
    }
    if (script.oomAfterMs !== undefined)
      this.#timers.push(clock.setTimer(script.oomAfterMs, () => this.#exit(137, "OOMKilled")));
  }

  #exit(exitCode: number, reason: ContainerExit["reason"], signal?: number): void {
    if (this.#done) return;
    this.#done = true;
    for (const cancel of this.#timers) cancel();
    this.#log.push(`simulated container ${this.#launch.spec.name} exited with code ${exitCode}`);
    this.#finish({
      exitCode,
      reason,
      ...(signal ? { signal } : {}),
      startedAt: this.startedAt,
      finishedAt: this.#clock.now(),
    });
  }

  async probe(_probe: V1Probe, kind: ProbeKind = "readiness"): Promise<boolean> {
    if (this.#done) return false;
    const elapsed = this.#clock.now().getTime() - this.startedAt.getTime();
    if (kind === "liveness")
      return this.#script.livenessFailsAfterMs === undefined || elapsed < this.#script.livenessFailsAfterMs;
    if (kind === "readiness" && this.#script.neverReady) return false;
    return elapsed >= this.#script.readyAfterMs;
  }

  async stop(graceSeconds: number): Promise<void> {
    if (this.#done) return;
    const graceMs = graceSeconds * 1000;
    const preStop = this.#launch.spec.lifecycle?.preStop?.sleep?.seconds;
    const preStopMs = preStop === undefined ? 0 : Math.min(preStop * 1000, graceMs);
    if (preStopMs > 0) await sleep(this.#clock, preStopMs);
    const left = graceMs - preStopMs;
    if (this.#script.shutdownMs <= left) {
      if (this.#script.shutdownMs > 0) await sleep(this.#clock, this.#script.shutdownMs);
      this.#exit(0, "Completed");
    } else {
      if (left > 0) await sleep(this.#clock, left);
      this.#exit(137, "Error", 9);
    }
    await this.exited;
  }

  async logs(options: { tailLines?: number } = {}): Promise<string> {
    const lines = options.tailLines === undefined ? this.#log : this.#log.slice(-options.tailLines);
    return lines.map((line) => `${line}\n`).join("");
  }
}

export class SimulatedRuntime implements PodRuntime {
  readonly name = "simulated";
  readonly registry: SimulatedRegistry;
  readonly #clock: Clock;
  readonly #containers = new Map<string, Set<SimulatedContainer>>();
  readonly #addresses = new Map<string, string>();
  #nextAddress = 2;

  constructor(options: SimulatedRuntimeOptions) {
    this.#clock = options.clock;
    const registry = options.registry ?? [];
    this.registry = registry instanceof SimulatedRegistry ? registry : new SimulatedRegistry(registry);
  }

  async runSandbox(pod: PodIdentity): Promise<Sandbox> {
    let podIP = this.#addresses.get(pod.uid);
    if (!podIP) {
      // 10.244.0.2 - 10.244.255.254, as a node's pod CIDR would hand them out.
      const n = this.#nextAddress++;
      podIP = `10.244.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
      this.#addresses.set(pod.uid, podIP);
    }
    return { podIP };
  }

  async pullImage(_pod: PodIdentity, image: string): Promise<{ imageID: string }> {
    return { imageID: this.registry.resolve(image) };
  }

  async startContainer(
    pod: PodIdentity,
    _sandbox: Sandbox,
    launch: ContainerLaunch,
  ): Promise<RunningContainer> {
    const script = parseScript(pod.annotations);
    // Without a readiness probe a container is ready once running: "ready after N ms" is then its start time.
    if (!launch.spec.readinessProbe && script.readyAfterMs > 0) await sleep(this.#clock, script.readyAfterMs);
    const container = new SimulatedContainer(
      this.#clock,
      script,
      launch,
      this.registry.resolve(launch.spec.image ?? ""),
    );
    let set = this.#containers.get(pod.uid);
    if (!set) {
      set = new Set();
      this.#containers.set(pod.uid, set);
    }
    set.add(container);
    void container.exited.then(() => set.delete(container));
    return container;
  }

  async removeSandbox(pod: PodIdentity): Promise<void> {
    await Promise.all([...(this.#containers.get(pod.uid) ?? [])].map((container) => container.stop(0)));
    this.#containers.delete(pod.uid);
    this.#addresses.delete(pod.uid);
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.#containers.values()].flatMap((set) => [...set].map((container) => container.stop(0))),
    );
    this.#containers.clear();
  }
}
