// The controllers and the kubelet as a platform component, on the pod runtime the caller builds (the
// assembly chooses it: local/platform/pod-runtime.ts). The runtime is built at start, when the components
// before this one (the Docker engine, the registry) are up.
import type { Component, PlatformContext } from "../../component/component.ts";
import type { PodRuntime } from "../kubelet/pod-runtime.ts";
import { type ControlPlane, startControlPlane } from "./control-plane.ts";

export function controllersComponent(
  runtimeFor: (context: PlatformContext) => Promise<PodRuntime>,
): Component {
  let runtime: PodRuntime | undefined;
  let controlPlane: ControlPlane | undefined;
  let platform: PlatformContext | undefined;
  return {
    name: "controllers",
    async start(context) {
      platform = context;
      runtime = await runtimeFor(context);
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
