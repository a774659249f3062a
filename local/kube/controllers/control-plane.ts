// The controllers and the kubelet as one unit over a store: what the platform component and the
// controllers' integration tests start.
import type { Clock } from "../clock/clock.ts";
import { EventRecorder } from "../events/recorder.ts";
import { Kubelet } from "../kubelet/kubelet.ts";
import type { PodRuntime } from "../kubelet/pod-runtime.ts";
import { type ObjectStore, StoreError } from "../store/object-store.ts";
import { DeploymentController } from "./deployment/controller.ts";
import { EndpointSliceController } from "./endpointslice/controller.ts";
import { ReplicaSetController } from "./replicaset/controller.ts";

export interface ControlPlaneOptions {
  store: ObjectStore;
  clock: Clock;
  runtime: PodRuntime;
  nodeName?: string;
  log?: (message: string) => void;
}

export interface ControlPlane {
  readonly kubelet: Kubelet;
  stop(): Promise<void>;
}

export function startControlPlane(options: ControlPlaneOptions): ControlPlane {
  const { store, clock, runtime } = options;
  const log = options.log ?? (() => {});
  const onError = (controller: string) => (key: string, error: unknown) => {
    // Conflicts are routine (a newer version was written meanwhile): the key is simply synced again.
    if (error instanceof StoreError && error.code === 409) return;
    log(
      `${controller}: sync of ${key} failed (retrying): ${error instanceof Error ? error.message : String(error)}`,
    );
  };
  const deployments = new DeploymentController({
    store,
    clock,
    events: new EventRecorder(store, clock, { component: "deployment-controller" }),
    onError: onError("deployment-controller"),
  });
  const replicaSets = new ReplicaSetController({
    store,
    clock,
    events: new EventRecorder(store, clock, { component: "replicaset-controller" }),
    onError: onError("replicaset-controller"),
  });
  const endpointSlices = new EndpointSliceController({
    store,
    clock,
    onError: onError("endpointslice-controller"),
  });
  const kubelet = new Kubelet({
    store,
    clock,
    runtime,
    ...(options.nodeName ? { nodeName: options.nodeName } : {}),
  });
  deployments.start();
  replicaSets.start();
  endpointSlices.start();
  kubelet.start();
  return {
    kubelet,
    async stop() {
      deployments.stop();
      replicaSets.stop();
      endpointSlices.stop();
      await kubelet.stop();
    },
  };
}
