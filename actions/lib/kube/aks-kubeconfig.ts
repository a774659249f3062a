// A KubeConfig for an AKS cluster from ARM (listClusterUserCredential, @azure/arm-containerservice). A cluster
// with Entra ID integration and local accounts off (what our Terraform makes) returns a kubeconfig whose user
// runs the `kubelogin` exec plugin; rather than depend on kubelogin being installed, the token it would
// fetch is taken from the same identity: an Entra access token for the AKS server application, sent as the
// bearer token (learn.microsoft.com/azure/aks/kubelogin-authentication).
import { ContainerServiceClient } from "@azure/arm-containerservice";
import type { TokenCredential } from "@azure/identity";
import { KubeConfig } from "@kubernetes/client-node";
import { kubeConfigSecrets } from "./kubeconfig-file.ts";

/** The AKS AAD server application every managed-Entra cluster accepts tokens for. */
export const aksServerApplicationId = "6dae42f8-4368-4678-94ff-3960e28e3630";

export interface AksAccess {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  /** ARM's endpoint (AZURE_RESOURCE_MANAGER_ENDPOINT; the public cloud's by default). */
  readonly armEndpoint?: string;
  /** Receives every credential learnt (static tokens, the Entra token) to be masked. */
  readonly secret: (value: string) => void;
}

export async function kubeConfigFromAks(access: AksAccess): Promise<KubeConfig> {
  const arm = new ContainerServiceClient(access.credential, access.subscriptionId, {
    ...(access.armEndpoint ? { endpoint: access.armEndpoint } : {}),
  });
  const result = await arm.managedClusters.listClusterUserCredentials(
    access.resourceGroup,
    access.clusterName,
  );
  const value = result.kubeconfigs?.[0]?.value;
  if (!value) throw new Error(`ARM returned no kubeconfig for cluster ${access.clusterName}`);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(Buffer.from(value).toString("utf8"));
  for (const secret of kubeConfigSecrets(kubeConfig)) access.secret(secret);
  const user = kubeConfig.getCurrentUser();
  if (!user?.exec) return kubeConfig;
  const token = await access.credential.getToken(`${aksServerApplicationId}/.default`);
  if (!token) throw new Error(`no Entra token for the AKS server application ${aksServerApplicationId}`);
  access.secret(token.token);
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig ARM returned for ${access.clusterName} names no cluster`);
  const withToken = new KubeConfig();
  withToken.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user.name, token: token.token }],
    contexts: [{ name: kubeConfig.getCurrentContext(), cluster: cluster.name, user: user.name }],
    currentContext: kubeConfig.getCurrentContext(),
  });
  return withToken;
}
