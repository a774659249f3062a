// The registry as a platform component (runtime "docker" only): Debian's distribution on loopback. Where
// it listens and whose tokens it trusts is the caller's to say (the assembly puts it behind the ACR login
// server that the Azure component starts next: local/azure/component.ts).
import type { Component, PlatformContext } from "../component/component.ts";
import { type RegistryOptions, type RunningRegistry, startRegistry } from "./registry.ts";

/** The registry's port and token auth for a state folder. */
export type RegistrySettings = (stateDir: string) => Promise<Pick<RegistryOptions, "port" | "auth">>;

export function registryComponent(settings: RegistrySettings): Component {
  let registry: RunningRegistry | undefined;
  return {
    name: "registry",
    async start(context: PlatformContext) {
      if (context.runtime !== "docker") return;
      const { port, auth } = await settings(context.stateDir);
      registry = await startRegistry({ home: context.stateDir, port, auth });
      context.log(`registry at ${registry.url} (token auth by ${auth.realm})`);
    },
    async stop() {
      await registry?.stop();
      registry = undefined;
    },
  };
}
