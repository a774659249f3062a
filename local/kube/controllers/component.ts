// The controllers and the kubelet as a platform component, on the runtime the platform was started with.
import type { Component, PlatformContext } from "../../platform/component.ts";
import { SimulatedRuntime, type SimulatedRuntimeOptions } from "../../runtime/simulated/simulated-runtime.ts";
import type { PodRuntime } from "../kubelet/pod-runtime.ts";
import { type ControlPlane, startControlPlane } from "./control-plane.ts";

export interface ControllersComponentOptions {
  /** Images the simulated runtime can pull (default: any reference). */
  registry?: SimulatedRuntimeOptions["registry"];
  /** Builds the runtime for `context.runtime`; the Docker runtime's wiring plugs in here. */
  createRuntime?: (context: PlatformContext) => Promise<PodRuntime>;
}

export function controllersComponent(options: ControllersComponentOptions = {}): Component {
  let runtime: PodRuntime | undefined;
  let controlPlane: ControlPlane | undefined;
  return {
    name: "controllers",
    async start(context) {
      if (options.createRuntime) runtime = await options.createRuntime(context);
      else if (context.runtime === "simulated") runtime = new SimulatedRuntime({ clock: context.clock, registry: options.registry ?? "any" });
      else throw new Error(`docker runtime not available: no runtime factory was given to the controllers component`);
      controlPlane = startControlPlane({ store: context.store, clock: context.clock, runtime, log: context.log });
      context.log(`controllers and kubelet started (runtime ${runtime.name}, node ${controlPlane.kubelet.nodeName})`);
    },
    async stop() {
      await controlPlane?.stop();
      await runtime?.close();
      controlPlane = undefined;
      runtime = undefined;
    },
  };
}
