// The platform's components, started in this order and stopped in reverse. One line per component:
// the API server first; the controllers and kubelet, the container engine and registry, the Azure
// stand-ins and the service proxy add theirs below it.
import { azureComponent } from "../azure/azure-component.ts";
import { databaseComponent } from "../database/database-component.ts";
import { dockerEngineComponent } from "../docker-engine/engine-component.ts";
import { controllersComponent } from "../kube/controllers/component.ts";
import { registryComponent } from "../registry/registry-component.ts";
import { createPodRuntime } from "../runtime/docker/platform-runtime.ts";
import { trafficComponents } from "../service-proxy/component.ts";
import { apiServerComponent } from "./api-server-component.ts";
import type { Component } from "./component.ts";

export function platformComponents(): Component[] {
  return [
    apiServerComponent(),
    // The engine (and the registry the kubelet pulls from) before the controllers and kubelet.
    dockerEngineComponent(),
    registryComponent(),
    azureComponent(),
    controllersComponent({ createRuntime: createPodRuntime }),
    // After the controllers: the Docker runtime brings up the pod bridge whose address it listens on.
    databaseComponent(),
    ...trafficComponents(),
  ];
}
