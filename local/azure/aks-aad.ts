// AKS with Microsoft Entra ID (AAD) integration and local accounts disabled, as the stand-in plays it:
// the user kubeconfig names the kubelogin exec plugin instead of a static credential, and the cluster's API
// server accepts AAD access tokens issued for the AKS server application.
// See https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad and
// https://azure.github.io/kubelogin/ (the kubeconfig AKS returns; the well-known application ids).
import { parse, stringify } from "yaml";
import { aadIssuer } from "./aad.ts";
import type { TokenSigner } from "./token-signer.ts";

/** The AKS AAD server application every AAD-integrated cluster trusts (the token audience). */
export const aksServerAppId = "6dae42f8-4368-4678-94ff-3960e28e3630";
/** The public client application kubelogin's interactive logins use (Azure CLI's AKS client). */
export const aksClientAppId = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";

/** ARM's answer to listClusterAdminCredential when local accounts are disabled (400). */
export const localAccountsDisabled = {
  code: "BadRequest",
  message: "Getting static credential is not allowed because this cluster is set to disable local accounts.",
} as const;

export interface AksNames {
  tenantId: string;
  resourceGroup: string;
  clusterName: string;
}

interface KubeconfigDocument {
  clusters?: { cluster?: Record<string, unknown> }[];
}

/**
 * The kubeconfig listClusterUserCredential returns for an AAD cluster: the cluster (server, CA) of
 * `staticKubeconfig`, named as AKS names it, and a user that runs `kubelogin get-token` (device code
 * login unless converted, e.g. `kubelogin convert-kubeconfig -l azurecli`).
 */
export function aadUserKubeconfig(staticKubeconfig: string, names: AksNames): string {
  const cluster = (parse(staticKubeconfig) as KubeconfigDocument).clusters?.[0]?.cluster;
  if (!cluster) throw new Error("the API server's kubeconfig names no cluster");
  const user = `clusterUser_${names.resourceGroup}_${names.clusterName}`;
  return stringify({
    apiVersion: "v1",
    clusters: [{ cluster, name: names.clusterName }],
    contexts: [{ context: { cluster: names.clusterName, user }, name: names.clusterName }],
    "current-context": names.clusterName,
    kind: "Config",
    preferences: {},
    users: [
      {
        name: user,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            args: [
              "get-token",
              "--environment",
              "AzurePublicCloud",
              "--server-id",
              aksServerAppId,
              "--client-id",
              aksClientAppId,
              "--tenant-id",
              names.tenantId,
              "--login",
              "devicecode",
            ],
            command: "kubelogin",
            env: null,
            installHint:
              "\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n",
            provideClusterInfo: false,
          },
        },
      },
    ],
  });
}

/**
 * Accepts an AAD access token for the AKS server application: signed by the AAD stand-in's key, its
 * issuer, audience `aksServerAppId`, not expired (nor used before nbf).
 */
export function aksTokenAuthenticator(
  signer: TokenSigner,
  aadBaseUrl: string,
  tenantId: string,
): (token: string) => Promise<boolean> {
  const issuer = aadIssuer(aadBaseUrl, tenantId);
  return (token) =>
    signer.verify(token, issuer, aksServerAppId).then(
      () => true,
      () => false,
    );
}
