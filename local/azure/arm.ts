// Azure Resource Manager stand-in for AKS: the Microsoft.ContainerService/managedClusters endpoints that
// @azure/arm-containerservice calls for cluster properties and credentials, answering with a kubeconfig
// for the local Kubernetes API. Bearer tokens must come from the AAD stand-in, with ARM's audience.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../common/json-body.ts";
import { aadIssuer } from "./aad.ts";
import { aadUserKubeconfig, localAccountsDisabled } from "./aks-aad.ts";
import type { StandInCredentials } from "./credentials.ts";
import { bearerToken, type Handler } from "./https-server.ts";
import type { TokenSigner } from "./token-signer.ts";

export interface ArmContext {
  baseUrl: string;
  aadBaseUrl: string;
  credentials: StandInCredentials;
  signer: TokenSigner;
  /** The local API's kubeconfig (admin), read on each call so a restarted API server is picked up. */
  kubeconfig: () => Promise<string>;
  /**
   * AKS local accounts: on, both credential calls return the static kubeconfig; off (an AAD cluster),
   * the user credential is the kubelogin exec kubeconfig and the admin credential is refused.
   */
  localAccounts: boolean;
  kubernetesVersion: string;
}

/** Audiences ARM accepts: its own URL here, and the public resource ids the SDK asks tokens for by default. */
function armAudiences(baseUrl: string): string[] {
  return [
    baseUrl,
    `${baseUrl}/`,
    "https://management.azure.com",
    "https://management.azure.com/",
    "https://management.core.windows.net/",
  ];
}

function armError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

async function authenticate(
  context: ArmContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const challenge = {
    "www-authenticate": `Bearer authorization_uri="${context.aadBaseUrl}/${context.credentials.tenantId}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
  };
  const token = bearerToken(req);
  if (!token) {
    armError(
      res,
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
      challenge,
    );
    return false;
  }
  const issuer = aadIssuer(context.aadBaseUrl, context.credentials.tenantId);
  const valid = await context.signer.verify(token, issuer, armAudiences(context.baseUrl)).then(
    () => true,
    () => false,
  );
  if (!valid) {
    const invalid = {
      "www-authenticate": challenge["www-authenticate"].replace(
        /error_description="[^"]*"/,
        'error_description="The access token is invalid."',
      ),
    };
    armError(res, 401, "InvalidAuthenticationToken", "The access token is invalid.", invalid);
  }
  return valid;
}

const clusterPath =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)(?:\/(listClusterUserCredential|listClusterAdminCredential))?$/i;

function managedCluster(context: ArmContext, id: string): Record<string, unknown> {
  const { credentials } = context;
  return {
    id,
    location: "local",
    name: credentials.clusterName,
    type: "Microsoft.ContainerService/ManagedClusters",
    sku: { name: "Base", tier: "Free" },
    identity: {
      type: "SystemAssigned",
      principalId: credentials.servicePrincipalObjectId,
      tenantId: credentials.tenantId,
    },
    properties: {
      provisioningState: "Succeeded",
      powerState: { code: "Running" },
      kubernetesVersion: context.kubernetesVersion,
      currentKubernetesVersion: context.kubernetesVersion,
      dnsPrefix: credentials.clusterName,
      fqdn: "127.0.0.1",
      enableRBAC: true,
      agentPoolProfiles: [
        {
          name: "system",
          count: 1,
          vmSize: "local",
          osType: "Linux",
          mode: "System",
          provisioningState: "Succeeded",
        },
      ],
      oidcIssuerProfile: { enabled: true },
      disableLocalAccounts: !context.localAccounts,
      ...(context.localAccounts
        ? {}
        : { aadProfile: { managed: true, enableAzureRbac: false, tenantID: credentials.tenantId } }),
      nodeResourceGroup: `MC_${credentials.resourceGroup}_${credentials.clusterName}_local`,
    },
  };
}

export function armHandler(context: ArmContext): Handler {
  return async (req, res, url) => {
    if (!(await authenticate(context, req, res))) return;
    if (!url.searchParams.get("api-version")) {
      return armError(
        res,
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );
    }
    const match = clusterPath.exec(url.pathname);
    if (!match)
      return armError(
        res,
        404,
        "InvalidResourceType",
        `The resource type could not be found for ${url.pathname}.`,
      );
    const [, subscription = "", group = "", name = "", action] = match;
    const { credentials } = context;
    if (subscription !== credentials.subscriptionId) {
      return armError(
        res,
        404,
        "SubscriptionNotFound",
        `The subscription '${subscription}' could not be found.`,
      );
    }
    if (group.toLowerCase() !== credentials.resourceGroup.toLowerCase()) {
      return armError(res, 404, "ResourceGroupNotFound", `Resource group '${group}' could not be found.`);
    }
    if (name.toLowerCase() !== credentials.clusterName.toLowerCase()) {
      return armError(
        res,
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${group}' was not found.`,
      );
    }
    const id = `/subscriptions/${subscription}/resourceGroups/${credentials.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${credentials.clusterName}`;
    if (!action && req.method === "GET") return sendJson(res, 200, managedCluster(context, id));
    if (action && req.method === "POST") {
      const admin = action.toLowerCase() === "listclusteradmincredential";
      if (admin && !context.localAccounts)
        return armError(res, 400, localAccountsDisabled.code, localAccountsDisabled.message);
      const kubeconfig = context.localAccounts
        ? await context.kubeconfig()
        : aadUserKubeconfig(await context.kubeconfig(), {
            tenantId: credentials.tenantId,
            resourceGroup: credentials.resourceGroup,
            clusterName: credentials.clusterName,
          });
      const value = Buffer.from(kubeconfig).toString("base64");
      return sendJson(res, 200, { kubeconfigs: [{ name: admin ? "clusterAdmin" : "clusterUser", value }] });
    }
    armError(
      res,
      405,
      "MethodNotAllowed",
      `The requested method ${req.method} is not allowed for ${url.pathname}.`,
    );
  };
}
