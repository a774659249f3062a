// What the kubelet asks of a container runtime, in the spirit of the CRI: the kubelet owns the pod
// lifecycle (env resolution, probes and their timing, restart back-off, status, termination order); a
// runtime only runs sandboxes and containers. The simulated runtime scripts their behaviour; the Docker
// runtime runs them for real. One switch selects the runtime.
import type { V1Container, V1Probe } from "@kubernetes/client-node";

export interface PodIdentity {
  namespace: string;
  name: string;
  uid: string;
  /** The pod's annotations: the simulated runtime reads its script from them. */
  annotations: Record<string, string>;
}

export interface Sandbox {
  /** The pod's own address (status.podIP); its containers listen there on their containerPort. */
  podIP: string;
}

/** Why an image could not be had, as the kubelet reports it in containerStatuses[].state.waiting. */
export class ImagePullError extends Error {
  constructor(
    readonly image: string,
    message: string,
  ) {
    super(message);
    this.name = "ImagePullError";
  }
}

export interface ContainerExit {
  exitCode: number;
  /** "Completed" for 0, "Error" otherwise, "OOMKilled" when the runtime saw the memory limit hit. */
  reason: "Completed" | "Error" | "OOMKilled";
  signal?: number;
  startedAt: Date;
  finishedAt: Date;
}

export interface ContainerLaunch {
  spec: V1Container;
  /** Environment already resolved by the kubelet (values, secretKeyRef, configMapKeyRef). */
  env: Record<string, string>;
}

export type ProbeKind = "startup" | "readiness" | "liveness";

export interface RunningContainer {
  readonly containerID: string;
  /** Resolved image id, "docker-pullable://repo@sha256:..." style, for containerStatuses[].imageID. */
  readonly imageID: string;
  readonly startedAt: Date;
  /** Resolves once when the container's process ends, whoever ended it. */
  readonly exited: Promise<ContainerExit>;
  /**
   * One probe attempt (httpGet, tcpSocket or exec) honouring probe.timeoutSeconds; true on success.
   * `kind` says which of the container's probes this is (a runtime may ignore it; the simulated one scripts
   * readiness and liveness separately).
   */
  probe(probe: V1Probe, kind?: ProbeKind): Promise<boolean>;
  /** preStop hook (exec or sleep) if any, SIGTERM, then SIGKILL after graceSeconds. */
  stop(graceSeconds: number): Promise<void>;
  logs(options?: { tailLines?: number; previous?: boolean }): Promise<string>;
}

export interface PodRuntime {
  readonly name: "simulated" | "docker";
  runSandbox(pod: PodIdentity): Promise<Sandbox>;
  /** Resolves the image to its id; throws ImagePullError with the registry's own message. */
  pullImage(pod: PodIdentity, image: string): Promise<{ imageID: string }>;
  startContainer(pod: PodIdentity, sandbox: Sandbox, launch: ContainerLaunch): Promise<RunningContainer>;
  removeSandbox(pod: PodIdentity): Promise<void>;
  /** Stops everything this runtime started (platform down, test teardown). */
  close(): Promise<void>;
}
