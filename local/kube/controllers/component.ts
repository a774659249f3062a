// The controllers and the kubelet as a platform component, on the runtime the platform was started with.
import type { Component, PlatformContext } from "../../platform/component.ts";
import { createDockerRuntime } from "../../runtime/docker/platform-runtime.ts";
import { SimulatedRuntime, type SimulatedRuntimeOptions } from "../../runtime/simulated/simulated-runtime.ts";
import type { PodRuntime } from "../kubelet/pod-runtime.ts";
import { type ControlPlane, startControlPlane } from "./control-plane.ts";

export interface ControllersComponentOptions {
  /** Images the simulated runtime can pull (default: every reference). */
  registry?: SimulatedRuntimeOptions["registry"];
  /** Builds the runtime instead of the default (simulated, or Docker for `--runtime docker`). */
  createRuntime?: (context: PlatformContext) => Promise<PodRuntime>;
}

export function controllersComponent(options: ControllersComponentOptions = {}): Component {
  let runtime: PodRuntime | undefined;
  let controlPlane: ControlPlane | undefined;
  let platform: PlatformContext | undefined;
  return {
    name: "controllers",
    async start(context) {
      platform = context;
      if (options.createRuntime) runtime = await options.createRuntime(context);
      else if (context.runtime === "docker") runtime = await createDockerRuntime(context, context.podNetwork);
      else runtime = new SimulatedRuntime({ clock: context.clock, registry: options.registry ?? "any" });
      controlPlane = startControlPlane({
        store: context.store,
        clock: context.clock,
        runtime,
        log: context.log,
      });
      context.podLogs = controlPlane.kubelet;
      context.log(
        `controllers and kubelet started (runtime ${runtime.name}, node ${controlPlane.kubelet.nodeName})`,
      );
    },
    async stop() {
      if (platform && platform.podLogs === controlPlane?.kubelet) delete platform.podLogs;
      await controlPlane?.stop();
      await runtime?.close();
      controlPlane = undefined;
      runtime = undefined;
      platform = undefined;
    },
  };
}
