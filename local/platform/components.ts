// The platform's components, one line each, started in this order and stopped in reverse: the API server
// first; the engine and the registry (runtime "docker" only) before the Azure stand-ins that front the
// registry and before the controllers and kubelet that pull from it; the database after the controllers
// (the Docker runtime brings up the pod bridge whose address it listens on); the service proxy, then the
// ingress that routes through it.
import { azureComponent, registryBehindAcr } from "../azure/component.ts";
import type { Component } from "../component/component.ts";
import { databaseComponent } from "../database/component.ts";
import { dockerEngineComponent } from "../docker-engine/component.ts";
import { ingressComponent } from "../ingress/component.ts";
import { apiServerComponent } from "../kube/apiserver/component.ts";
import { controllersComponent } from "../kube/controllers/component.ts";
import { registryComponent } from "../registry/component.ts";
import type { SimulatedRuntimeOptions } from "../runtime/simulated/simulated-runtime.ts";
import { serviceProxyComponent } from "../service-proxy/component.ts";
import { createPodRuntime } from "./pod-runtime.ts";

export const componentNames = [
  "api-server",
  "docker-engine",
  "registry",
  "azure",
  "controllers",
  "database",
  "service-proxy",
  "ingress",
] as const;

export type ComponentName = (typeof componentNames)[number];

export interface ComponentChoice {
  /** The components to start (default: all); they start in the order above whatever the order given. */
  components?: readonly ComponentName[];
  /** Images the simulated runtime can pull (default: every reference). */
  simulatedRegistry?: SimulatedRuntimeOptions["registry"];
}

export function platformComponents(choice: ComponentChoice = {}): Component[] {
  const serviceProxy = serviceProxyComponent();
  const byName: Record<ComponentName, Component> = {
    "api-server": apiServerComponent(),
    "docker-engine": dockerEngineComponent(),
    registry: registryComponent(registryBehindAcr),
    azure: azureComponent(),
    controllers: controllersComponent((context) => createPodRuntime(context, choice.simulatedRegistry)),
    database: databaseComponent(),
    "service-proxy": serviceProxy,
    ingress: ingressComponent(() => serviceProxy.proxy),
  };
  const wanted = choice.components ?? componentNames;
  return componentNames.filter((name) => wanted.includes(name)).map((name) => byName[name]);
}
