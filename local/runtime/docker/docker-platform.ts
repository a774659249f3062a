// The platform's components for the Docker runtime on a pod network of the caller's choosing: what tests
// and the benchmark start in-process beside a platform that may already be up (which owns cjh0).
import { azureComponent } from "../../azure/azure-component.ts";
import { databaseComponent } from "../../database/database-component.ts";
import { dockerEngineComponent } from "../../docker-engine/engine-component.ts";
import { controllersComponent } from "../../kube/controllers/component.ts";
import { apiServerComponent } from "../../platform/api-server-component.ts";
import type { Component } from "../../platform/component.ts";
import { registryComponent } from "../../registry/registry-component.ts";
import { trafficComponents } from "../../service-proxy/component.ts";
import { createDockerRuntime, type PodNetworkChoice } from "./platform-runtime.ts";

export function dockerPlatformComponents(network: PodNetworkChoice): Component[] {
  return [
    apiServerComponent(),
    dockerEngineComponent(),
    registryComponent(),
    azureComponent(),
    controllersComponent({ createRuntime: (context) => createDockerRuntime(context, network) }),
    databaseComponent(),
    ...trafficComponents(),
  ];
}
