// The Azure stand-ins (AAD, ARM for AKS, the ACR login server) as a platform component. ARM hands out a
// kubeconfig for the platform's own API server; the pipeline reads <state>/azure/azure.env.
import type { Component, PlatformContext } from "../platform/component.ts";
import { kubeconfigYaml } from "../platform/kubeconfig.ts";
import { registryStorageRoot } from "../registry/registry.ts";
import { type AzureStandIns, startAzureStandIns } from "./azure-stand-ins.ts";
import { platformStandInPorts } from "./endpoints.ts";

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
