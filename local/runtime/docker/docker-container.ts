// A pod's app container on the Docker engine, as the kubelet sees it: probes, termination, logs.

import { setTimeout as delay } from "node:timers/promises";
import type { V1Container, V1LifecycleHandler, V1Probe } from "@kubernetes/client-node";
import { type DockerEngine, DockerEngineError, readAll } from "../../docker-engine/engine-client.ts";
import type { ContainerExit, RunningContainer } from "../../kube/kubelet/pod-runtime.ts";
import { execInContainer } from "./exec.ts";
import { demultiplex } from "./log-demux.ts";
import { httpProbe, resolvePort, tcpProbe } from "./probes.ts";

export interface DockerContainerInit {
  engine: DockerEngine;
  containerID: string;
  imageID: string;
  startedAt: Date;
  exited: Promise<ContainerExit>;
  spec: V1Container;
  podIP: string;
  /** The container this one replaced (a restart), for logs({ previous: true }). */
  previousID?: string;
}

export class DockerContainer implements RunningContainer {
  readonly containerID: string;
  readonly imageID: string;
  readonly startedAt: Date;
  readonly exited: Promise<ContainerExit>;
  private readonly engine: DockerEngine;
  private readonly spec: V1Container;
  private readonly podIP: string;
  private readonly previousID: string | undefined;
  private hasExited = false;

  constructor(init: DockerContainerInit) {
    this.engine = init.engine;
    this.containerID = init.containerID;
    this.imageID = init.imageID;
    this.startedAt = init.startedAt;
    this.spec = init.spec;
    this.podIP = init.podIP;
    this.previousID = init.previousID;
    this.exited = init.exited.finally(() => {
      this.hasExited = true;
    });
  }

  /** A probe that cannot even be run (e.g. a port name the container does not declare) fails, as the kubelet's. */
  probe(probe: V1Probe): Promise<boolean> {
    return this.attempt(probe).catch(() => false);
  }

  private async attempt(probe: V1Probe): Promise<boolean> {
    const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
    if (probe.httpGet) {
      const action = probe.httpGet;
      return httpProbe({
        host: action.host ?? this.podIP,
        port: resolvePort(action.port, this.spec.ports),
        path: action.path ?? "/",
        scheme: action.scheme === "HTTPS" ? "HTTPS" : "HTTP",
        headers: Object.fromEntries((action.httpHeaders ?? []).map((header) => [header.name, header.value])),
        timeoutMs,
      });
    }
    if (probe.tcpSocket) {
      const action = probe.tcpSocket;
      return tcpProbe(action.host ?? this.podIP, resolvePort(action.port, this.spec.ports), timeoutMs);
    }
    if (probe.exec?.command) {
      const result = await execInContainer(
        this.engine,
        this.containerID,
        probe.exec.command,
        timeoutMs,
      ).catch(() => ({ exitCode: undefined }));
      return result.exitCode === 0;
    }
    // grpc probes are not run by this runtime: they fail, visibly, rather than pass unchecked.
    return false;
  }

  async stop(graceSeconds: number): Promise<void> {
    if (this.hasExited) return;
    const deadline = Date.now() + graceSeconds * 1000;
    const preStop = this.spec.lifecycle?.preStop;
    if (preStop) await this.runHook(preStop, Math.max(0, deadline - Date.now()));
    await this.signal("SIGTERM");
    const remaining = Math.max(0, deadline - Date.now());
    const ended = await Promise.race([this.exited.then(() => true), delay(remaining, false)]);
    if (!ended) await this.signal("SIGKILL");
    await this.exited;
  }

  async logs(options: { tailLines?: number; previous?: boolean } = {}): Promise<string> {
    const id = options.previous && this.previousID ? this.previousID : this.containerID;
    const stream = await this.engine.stream("GET", `/containers/${id}/logs`, {
      query: { stdout: 1, stderr: 1, tail: options.tailLines ?? "all" },
    });
    return demultiplex(await readAll(stream));
  }

  private async runHook(hook: V1LifecycleHandler, budgetMs: number): Promise<void> {
    if (hook.exec?.command) {
      await execInContainer(this.engine, this.containerID, hook.exec.command, budgetMs).catch(
        () => undefined,
      );
    } else if (hook.sleep) {
      await delay(Math.min(hook.sleep.seconds * 1000, budgetMs));
    } else if (hook.httpGet) {
      const action = hook.httpGet;
      await httpProbe({
        host: action.host ?? this.podIP,
        port: resolvePort(action.port, this.spec.ports),
        path: action.path ?? "/",
        scheme: action.scheme === "HTTPS" ? "HTTPS" : "HTTP",
        headers: Object.fromEntries((action.httpHeaders ?? []).map((header) => [header.name, header.value])),
        timeoutMs: budgetMs,
      });
    }
  }

  private async signal(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    try {
      await this.engine.json("POST", `/containers/${this.containerID}/kill`, { query: { signal } });
    } catch (error) {
      // 409: the container is no longer running, which is what stop() wants anyway.
      if (!(error instanceof DockerEngineError && (error.status === 409 || error.status === 404)))
        throw error;
    }
  }
}
