// The registry as a platform component (runtime "docker" only): Debian's distribution on loopback, behind
// the ACR login server that the Azure component starts next.
import { registryTokenAuth } from "../azure/azure-stand-ins.ts";
import { platformStandInPorts } from "../azure/endpoints.ts";
import type { Component, PlatformContext } from "../platform/component.ts";
import { type RunningRegistry, startRegistry } from "./registry.ts";

export function registryComponent(): Component {
  let registry: RunningRegistry | undefined;
  return {
    name: "registry",
    async start(context: PlatformContext) {
      if (context.runtime !== "docker") return;
      const ports = await platformStandInPorts(context.stateDir);
      const auth = await registryTokenAuth(context.stateDir, ports);
      registry = await startRegistry({ home: context.stateDir, port: ports.registry, auth });
      context.log(`registry at ${registry.url} (token auth by ${auth.realm})`);
    },
    async stop() {
      await registry?.stop();
      registry = undefined;
    },
  };
}
