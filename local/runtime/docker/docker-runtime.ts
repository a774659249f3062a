// The kubelet's runtime on a real Docker engine. A pod sandbox is a pause container started with no
// network, whose namespace gets the pod's eth0 and address from PodNetwork; the pod's containers join
// it (network and IPC), so each listens on its containerPort at the pod's own address, unmodified.

import { DockerEngine } from "../../docker-engine/engine-client.ts";
import type {
  ContainerExit,
  ContainerLaunch,
  PodIdentity,
  PodRuntime,
  Sandbox,
} from "../../kube/kubelet/pod-runtime.ts";
import type { PodNetwork } from "../../network/pod-network.ts";
import { createContainerBody, verifyRunAsNonRoot } from "./container-config.ts";
import { DockerContainer } from "./docker-container.ts";
import { imageIdOf, inspectImage, parseImageReference, pullImage, type RegistryAuth } from "./image-pull.ts";
import { label, labelFilter } from "./labels.ts";

export const defaultPauseImage = "cloudjobhunt/pause:1";

export interface DockerRuntimeOptions {
  /** Path of the engine's unix socket (see socketPathFromDockerHost). */
  socketPath: string;
  network: PodNetwork;
  /** Image of the sandbox container: sleeps, exits 0 on SIGTERM. Must already be on the engine. */
  pauseImage?: string;
  registryAuth?: RegistryAuth;
}

interface SandboxRecord {
  containerId: string;
  podIP: string;
}

export class DockerRuntime implements PodRuntime {
  readonly name = "docker";
  private readonly engine: DockerEngine;
  private readonly network: PodNetwork;
  private readonly pauseImage: string;
  private readonly registryAuth: RegistryAuth | undefined;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  /** pod uid + container name -> ids of its instances, oldest first (the last two are kept). */
  private readonly instances = new Map<string, string[]>();
  /** pod uid + container name -> the next instance's attempt number (never reused: it is in the name). */
  private readonly attempts = new Map<string, number>();

  private constructor(options: DockerRuntimeOptions) {
    this.engine = new DockerEngine(options.socketPath);
    this.network = options.network;
    this.pauseImage = options.pauseImage ?? defaultPauseImage;
    this.registryAuth = options.registryAuth;
  }

  /** Brings the pod network up and removes what an earlier run on the same network left behind. */
  static async start(options: DockerRuntimeOptions): Promise<DockerRuntime> {
    const runtime = new DockerRuntime(options);
    if (!(await inspectImage(runtime.engine, runtime.pauseImage))) {
      runtime.engine.close();
      throw new Error(
        `pause image ${runtime.pauseImage} is not on the Docker engine: build the base images first`,
      );
    }
    await options.network.up();
    await runtime.removeContainers({ [label.network]: options.network.bridge });
    await options.network.detachAll();
    return runtime;
  }

  async runSandbox(pod: PodIdentity): Promise<Sandbox> {
    const existing = this.sandboxes.get(pod.uid);
    if (existing) return { podIP: existing.podIP };
    const created = (await this.engine.json("POST", "/containers/create", {
      query: { name: this.containerName("POD", pod) },
      body: {
        Image: this.pauseImage,
        Hostname: pod.name,
        Labels: this.podLabels(pod, "sandbox", "POD"),
        HostConfig: {
          NetworkMode: "none",
          IpcMode: "shareable",
          // The engine would copy the host's resolver, which is off-bridge; pods have no route there.
          Dns: [this.network.subnet.gateway],
          RestartPolicy: { Name: "no" },
        },
      },
    })) as { Id: string };
    try {
      await this.engine.json("POST", `/containers/${created.Id}/start`);
      const inspect = (await this.engine.json("GET", `/containers/${created.Id}/json`)) as {
        State: { Pid: number };
      };
      const { podIP } = await this.network.attach(pod.uid, inspect.State.Pid);
      this.sandboxes.set(pod.uid, { containerId: created.Id, podIP });
      return { podIP };
    } catch (error) {
      await this.removeContainer(created.Id);
      throw error;
    }
  }

  pullImage(_pod: PodIdentity, image: string): Promise<{ imageID: string }> {
    return pullImage(this.engine, image, this.registryAuth);
  }

  async startContainer(
    pod: PodIdentity,
    _sandbox: Sandbox,
    launch: ContainerLaunch,
  ): Promise<DockerContainer> {
    const record = this.sandboxes.get(pod.uid);
    if (!record) throw new Error(`pod ${pod.namespace}/${pod.name} has no sandbox on this runtime`);
    const image = launch.spec.image ?? "";
    const inspect = await inspectImage(this.engine, image);
    if (!inspect) throw new Error(`image ${image} is not on the engine: pull it first`);
    verifyRunAsNonRoot(pod, launch.spec, inspect.Config?.User ?? "");

    const key = `${pod.uid}/${launch.spec.name}`;
    const history = this.instances.get(key) ?? [];
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    const body = createContainerBody({
      pod,
      launch,
      sandboxId: record.containerId,
      network: this.network.bridge,
    });
    const created = (await this.engine.json("POST", "/containers/create", {
      query: { name: this.containerName(launch.spec.name, pod, attempt) },
      body,
    })) as { Id: string };
    try {
      await this.engine.json("POST", `/containers/${created.Id}/start`);
    } catch (error) {
      await this.removeContainer(created.Id);
      throw error;
    }
    const state = (await this.engine.json("GET", `/containers/${created.Id}/json`)) as {
      State: { StartedAt: string };
    };
    const previousID = history.at(-1);
    // The kubelet shows only the previous instance's logs: older dead instances go.
    for (const old of history.slice(0, -1)) await this.removeContainer(old);
    this.instances.set(key, previousID ? [previousID, created.Id] : [created.Id]);
    return new DockerContainer({
      engine: this.engine,
      containerID: created.Id,
      imageID: imageIdOf(inspect, parseImageReference(image)),
      startedAt: new Date(state.State.StartedAt),
      exited: this.waitForExit(created.Id),
      spec: launch.spec,
      podIP: record.podIP,
      previousID,
    });
  }

  async removeSandbox(pod: PodIdentity): Promise<void> {
    await this.removeContainers({ [label.network]: this.network.bridge, [label.podUid]: pod.uid });
    await this.network.detach(pod.uid);
    this.sandboxes.delete(pod.uid);
    for (const map of [this.instances, this.attempts])
      for (const key of map.keys()) if (key.startsWith(`${pod.uid}/`)) map.delete(key);
  }

  async close(): Promise<void> {
    await this.removeContainers({ [label.network]: this.network.bridge });
    await this.network.down();
    this.sandboxes.clear();
    this.instances.clear();
    this.attempts.clear();
    this.engine.close();
  }

  private async waitForExit(containerId: string): Promise<ContainerExit> {
    try {
      await this.engine.json("POST", `/containers/${containerId}/wait`, {
        query: { condition: "not-running" },
      });
      const inspect = (await this.engine.json("GET", `/containers/${containerId}/json`)) as {
        State: { ExitCode: number; OOMKilled: boolean; StartedAt: string; FinishedAt: string };
      };
      const { ExitCode: exitCode, OOMKilled: oomKilled } = inspect.State;
      return {
        exitCode,
        reason: oomKilled ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error",
        signal: exitCode > 128 && exitCode < 160 ? exitCode - 128 : undefined,
        startedAt: new Date(inspect.State.StartedAt),
        finishedAt: new Date(inspect.State.FinishedAt),
      };
    } catch {
      // The container was removed (pod deleted, runtime closed) before its end could be read.
      const now = new Date();
      return { exitCode: 137, reason: "Error", signal: 9, startedAt: now, finishedAt: now };
    }
  }

  private podLabels(pod: PodIdentity, role: "sandbox" | "app", container: string): Record<string, string> {
    return {
      [label.network]: this.network.bridge,
      [label.role]: role,
      [label.podUid]: pod.uid,
      [label.podNamespace]: pod.namespace,
      [label.podName]: pod.name,
      [label.container]: container,
    };
  }

  /**
   * Kubelet-like names, unique per engine: <network>_<container>_<pod>_<namespace>_<uid>_<attempt>; the
   * attempt only grows, as the restart count in the kubelet's own names (k8s_<container>_..._<restarts>).
   */
  private containerName(container: string, pod: PodIdentity, attempt = 0): string {
    return `${this.network.bridge}_${container}_${pod.name}_${pod.namespace}_${pod.uid.slice(0, 8)}_${attempt}`;
  }

  private async removeContainers(labels: Record<string, string>): Promise<void> {
    const listed = (await this.engine.json("GET", "/containers/json", {
      query: { all: 1, filters: labelFilter(labels) },
    })) as { Id: string }[];
    await Promise.all(listed.map((container) => this.removeContainer(container.Id)));
  }

  private async removeContainer(id: string): Promise<void> {
    await this.engine.jsonOrUndefined("DELETE", `/containers/${id}`, { query: { force: 1, v: 1 } });
  }
}
