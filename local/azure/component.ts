// The Azure stand-ins (AAD, ARM for AKS, the ACR login server) as a platform component. ARM hands out a
// kubeconfig for the platform's own API server; the pipeline reads <state>/azure/azure.env.
import type { Component, PlatformContext } from "../component/component.ts";
import { kubeconfigYaml } from "../kube/apiserver/kubeconfig.ts";
import { type RegistryOptions, registryStorageRoot } from "../registry/registry.ts";
import { type AzureStandIns, registryTokenAuth, startAzureStandIns } from "./azure-stand-ins.ts";
import { platformStandInPorts } from "./endpoints.ts";

/** The registry behind the ACR login server: its port among the stand-ins' and ACR's token auth. */
export async function registryBehindAcr(stateDir: string): Promise<Pick<RegistryOptions, "port" | "auth">> {
  const ports = await platformStandInPorts(stateDir);
  return { port: ports.registry, auth: await registryTokenAuth(stateDir, ports) };
}

export function azureComponent(): Component {
  let azure: AzureStandIns | undefined;
  let platform: PlatformContext | undefined;
  return {
    name: "azure",
    async start(context: PlatformContext) {
      platform = context;
      azure = await startAzureStandIns({
        home: context.stateDir,
        ports: await platformStandInPorts(context.stateDir),
        kubeconfig: async () => kubeconfigYaml(context.apiUrl, context.token, context.caCertificate),
        registryStorageRoot: registryStorageRoot(context.stateDir),
        aksLocalAccounts: context.aksLocalAccounts,
      });
      if (azure.aksTokenAuthenticator) context.bearerTokenAuthenticator = azure.aksTokenAuthenticator;
      const { endpoints } = azure;
      context.log(
        `azure stand-ins: AAD ${endpoints.aadUrl}, ARM ${endpoints.armUrl}, ACR ${endpoints.acrLoginServer} (settings in ${azure.envFile})`,
      );
    },
    async stop() {
      if (platform?.bearerTokenAuthenticator === azure?.aksTokenAuthenticator)
        delete platform?.bearerTokenAuthenticator;
      await azure?.stop();
      azure = undefined;
    },
  };
}
