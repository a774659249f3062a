// Starts the Azure stand-ins (AAD, ARM, the ACR login server) in this process, over HTTPS with the local
// CA, and writes what a client needs to reach them: endpoints.json (no secrets) and azure.env (0600).
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { caCertPath, issueServerCertificate } from "../tls/local-ca.ts";
import { type AadContext, aadHandler, issueFederatedToken } from "./aad.ts";
import { acrHandler } from "./acr.ts";
import { acrIssuer } from "./acr-tokens.ts";
import { aksTokenAuthenticator } from "./aks-aad.ts";
import { armHandler } from "./arm.ts";
import { azureDir, loadOrCreateCredentials, type StandInCredentials } from "./credentials.ts";
import { endpointsOf, type StandInEndpoints, type StandInPorts } from "./endpoints.ts";
import { listenHttps } from "./https-server.ts";
import { TokenSigner } from "./token-signer.ts";

export interface AzureStandInsOptions {
  home: string;
  ports: StandInPorts;
  /** The local API's kubeconfig, handed out by listClusterUserCredential/listClusterAdminCredential. */
  kubeconfig: () => Promise<string>;
  kubernetesVersion?: string;
  /** AKS local accounts (default true); false plays an AAD cluster with local accounts disabled. */
  aksLocalAccounts?: boolean;
  /** distribution's storage root, for the times ACR's metadata API reports. */
  registryStorageRoot: string;
}

export interface AzureStandIns {
  endpoints: StandInEndpoints;
  credentials: StandInCredentials;
  /** A token of the OIDC issuer the service principal's federated credential trusts (workload identity). */
  issueFederatedToken(subject?: string): Promise<string>;
  /** With local accounts off: accepts AAD tokens for the AKS server application (for the API server). */
  aksTokenAuthenticator?: (token: string) => Promise<boolean>;
  envFile: string;
  stop(): Promise<void>;
}

/** distribution's auth.token settings that make the registry trust the ACR login server's tokens. */
export async function registryTokenAuth(home: string, ports: StandInPorts) {
  const endpoints = endpointsOf(ports);
  const signer = await TokenSigner.load(home);
  return {
    realm: `${endpoints.acrUrl}/oauth2/token`,
    service: endpoints.acrLoginServer,
    issuer: acrIssuer,
    rootCertBundle: signer.certificatePath,
  };
}

async function writeSecret(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

export async function startAzureStandIns(options: AzureStandInsOptions): Promise<AzureStandIns> {
  const { home, ports } = options;
  const localAccounts = options.aksLocalAccounts ?? true;
  const endpoints = endpointsOf(ports);
  const credentials = await loadOrCreateCredentials(home);
  const signer = await TokenSigner.load(home);
  const tls = await issueServerCertificate(home, "azure");
  const ca = await readFile(caCertPath(home), "utf8");
  const aad: AadContext = { baseUrl: endpoints.aadUrl, credentials, signer };
  const servers = [
    await listenHttps(tls, "127.0.0.1", ports.aad, aadHandler(aad)),
    await listenHttps(
      tls,
      "127.0.0.1",
      ports.arm,
      armHandler({
        baseUrl: endpoints.armUrl,
        aadBaseUrl: endpoints.aadUrl,
        credentials,
        signer,
        kubeconfig: options.kubeconfig,
        localAccounts,
        kubernetesVersion: options.kubernetesVersion ?? "1.31.0",
      }),
    ),
    await listenHttps(
      tls,
      "127.0.0.1",
      ports.acr,
      acrHandler({
        service: endpoints.acrLoginServer,
        aadBaseUrl: endpoints.aadUrl,
        credentials,
        signer,
        registryUrl: endpoints.registryUrl,
        ca,
        storageRoot: options.registryStorageRoot,
      }),
    ),
  ];
  await writeFile(
    join(azureDir(home), "endpoints.json"),
    `${JSON.stringify({ ...endpoints, tenantId: credentials.tenantId, subscriptionId: credentials.subscriptionId, resourceGroup: credentials.resourceGroup, clusterName: credentials.clusterName, registryName: credentials.registryName, aksLocalAccounts: localAccounts }, null, 2)}\n`,
  );
  // A federated token as the trusted OIDC issuer would project it (a day's worth), for WorkloadIdentityCredential.
  const federatedTokenFile = join(azureDir(home), "federated-token");
  await writeSecret(
    federatedTokenFile,
    await issueFederatedToken(aad, credentials.federatedSubject, 24 * 3600),
  );
  const envFile = join(azureDir(home), "azure.env");
  const env = {
    AZURE_AUTHORITY_HOST: endpoints.aadUrl,
    AZURE_TENANT_ID: credentials.tenantId,
    AZURE_CLIENT_ID: credentials.clientId,
    AZURE_CLIENT_SECRET: credentials.clientSecret,
    AZURE_SUBSCRIPTION_ID: credentials.subscriptionId,
    AZURE_RESOURCE_MANAGER_ENDPOINT: endpoints.armUrl,
    AKS_RESOURCE_GROUP: credentials.resourceGroup,
    AKS_CLUSTER_NAME: credentials.clusterName,
    ACR_LOGIN_SERVER: endpoints.acrLoginServer,
    ACR_ADMIN_USERNAME: credentials.adminUsername,
    ACR_ADMIN_PASSWORD: credentials.adminPassword,
    AZURE_FEDERATED_TOKEN_FILE: federatedTokenFile,
    NODE_EXTRA_CA_CERTS: caCertPath(home),
  };
  await writeSecret(
    envFile,
    `${Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n")}\n`,
  );
  return {
    endpoints,
    credentials,
    issueFederatedToken: (subject = credentials.federatedSubject) => issueFederatedToken(aad, subject),
    ...(localAccounts
      ? {}
      : { aksTokenAuthenticator: aksTokenAuthenticator(signer, endpoints.aadUrl, credentials.tenantId) }),
    envFile,
    stop: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
