// AKS with local accounts off, end to end with the real clients: ARM hands out the kubelogin kubeconfig and
// refuses the admin credential with Azure's error; the platform's API server takes AAD tokens for the AKS
// server application (and only valid ones) besides its own token.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ClientSecretCredential } from "@azure/identity";
import { ApiException, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { generateKeyPair, SignJWT } from "jose";
import { parse } from "yaml";
import { aadIssuer } from "../azure/aad.ts";
import { aksClientAppId, aksServerAppId } from "../azure/aks-aad.ts";
import { loadOrCreateCredentials, type StandInCredentials } from "../azure/credentials.ts";
import type { StandInEndpoints } from "../azure/endpoints.ts";
import { TokenSigner } from "../azure/token-signer.ts";
import { trustLocalCaInThisProcess } from "../tls/local-ca.ts";
import { type RunningPlatform, startPlatform } from "./start-platform.ts";

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string; user: { exec: { command: string; args: string[]; apiVersion: string } } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  "current-context": string;
}

async function azurePlatform(aksLocalAccounts: boolean) {
  const stateDir = await mkdtemp(join(tmpdir(), "cjh-aks-aad-"));
  const platform = await startPlatform({
    stateDir,
    aksLocalAccounts,
    components: ["api-server", "azure"],
  });
  await trustLocalCaInThisProcess(stateDir);
  const endpoints = JSON.parse(
    await readFile(join(stateDir, "azure", "endpoints.json"), "utf8"),
  ) as StandInEndpoints;
  const credentials = await loadOrCreateCredentials(stateDir);
  const credential = new ClientSecretCredential(
    credentials.tenantId,
    credentials.clientId,
    credentials.clientSecret,
    { authorityHost: endpoints.aadUrl, disableInstanceDiscovery: true },
  );
  const arm = new ContainerServiceClient(credential, credentials.subscriptionId, {
    endpoint: endpoints.armUrl,
  });
  return { stateDir, platform, endpoints, credentials, credential, arm };
}

/** client-node against the platform's API with this bearer token. */
function withToken(platform: RunningPlatform, token: string): CoreV1Api {
  const config = new KubeConfig();
  config.loadFromFile(platform.kubeconfigPath);
  const cluster = config.getCurrentCluster();
  assert.ok(cluster);
  const bearer = new KubeConfig();
  bearer.loadFromOptions({
    clusters: [cluster],
    users: [{ name: "bearer", token }],
    contexts: [{ name: "bearer", cluster: cluster.name, user: "bearer" }],
    currentContext: "bearer",
  });
  return bearer.makeApiClient(CoreV1Api);
}

async function statusOf(api: CoreV1Api): Promise<number> {
  try {
    await api.listNamespace();
    return 200;
  } catch (error) {
    if (error instanceof ApiException) return error.code;
    throw error;
  }
}

describe("AKS with local accounts off", { timeout: 120_000 }, () => {
  let setup: Awaited<ReturnType<typeof azurePlatform>>;
  let credentials: StandInCredentials;
  before(async () => {
    setup = await azurePlatform(false);
    credentials = setup.credentials;
  });
  after(async () => {
    await setup?.platform.stop();
    if (setup) await rm(setup.stateDir, { recursive: true, force: true });
  });

  test("listClusterUserCredential returns AKS's kubelogin exec kubeconfig for the platform's API", async () => {
    const { resourceGroup, clusterName, tenantId } = credentials;
    const result = await setup.arm.managedClusters.listClusterUserCredentials(resourceGroup, clusterName);
    assert.equal(result.kubeconfigs?.[0]?.name, "clusterUser");
    const text = Buffer.from(result.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString("utf8");
    const kubeconfig = parse(text) as Kubeconfig;
    const user = `clusterUser_${resourceGroup}_${clusterName}`;
    assert.equal(kubeconfig["current-context"], clusterName);
    assert.deepEqual(kubeconfig.contexts, [{ name: clusterName, context: { cluster: clusterName, user } }]);
    assert.equal(kubeconfig.clusters[0]?.name, clusterName);
    assert.equal(kubeconfig.clusters[0]?.cluster.server, setup.platform.url);
    assert.equal(
      Buffer.from(kubeconfig.clusters[0]?.cluster["certificate-authority-data"] ?? "", "base64").toString(),
      setup.platform.context.caCertificate,
    );
    assert.equal(kubeconfig.users[0]?.name, user);
    const exec = kubeconfig.users[0]?.user.exec;
    assert.equal(exec?.command, "kubelogin");
    assert.equal(exec?.apiVersion, "client.authentication.k8s.io/v1beta1");
    assert.deepEqual(exec?.args, [
      "get-token",
      "--environment",
      "AzurePublicCloud",
      "--server-id",
      aksServerAppId,
      "--client-id",
      aksClientAppId,
      "--tenant-id",
      tenantId,
      "--login",
      "devicecode",
    ]);
    assert.ok(!text.includes(setup.platform.token), "no static credential in the user kubeconfig");
  });

  test("listClusterAdminCredential fails with Azure's error for disabled local accounts", async () => {
    await assert.rejects(
      setup.arm.managedClusters.listClusterAdminCredentials(
        credentials.resourceGroup,
        credentials.clusterName,
      ),
      {
        statusCode: 400,
        code: "BadRequest",
        message:
          "Getting static credential is not allowed because this cluster is set to disable local accounts.",
      },
    );
  });

  test("the cluster's properties say local accounts are disabled and AAD is managed", async () => {
    const cluster = await setup.arm.managedClusters.get(credentials.resourceGroup, credentials.clusterName);
    assert.equal(cluster.disableLocalAccounts, true);
    assert.equal(cluster.aadProfile?.managed, true);
    assert.equal(cluster.aadProfile?.tenantID, credentials.tenantId);
  });

  test("an AAD token for the AKS server application is a bearer token for client-node", async () => {
    const { token } = await setup.credential.getToken(`${aksServerAppId}/.default`);
    const namespaces = await withToken(setup.platform, token).listNamespace();
    assert.ok(namespaces.items.some((namespace) => namespace.metadata?.name === "default"));
    assert.equal(await statusOf(withToken(setup.platform, setup.platform.token)), 200, "its own token too");
  });

  test("expired, wrong-audience and wrongly signed tokens get 401", async () => {
    const issuer = aadIssuer(setup.endpoints.aadUrl, credentials.tenantId);
    const signer = await TokenSigner.load(setup.stateDir);
    const claims = { tid: credentials.tenantId, appid: credentials.clientId };
    const subject = credentials.servicePrincipalObjectId;
    const expired = await signer.sign(claims, {
      issuer,
      audience: aksServerAppId,
      subject,
      lifetimeSeconds: -30,
    });
    const armToken = (await setup.credential.getToken(`${setup.endpoints.armUrl}/.default`)).token;
    const otherIssuer = await signer.sign(claims, {
      issuer: `${setup.endpoints.aadUrl}/another-tenant/v2.0`,
      audience: aksServerAppId,
      subject,
      lifetimeSeconds: 600,
    });
    const { privateKey } = await generateKeyPair("ES256");
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: signer.keyId })
      .setIssuer(issuer)
      .setAudience(aksServerAppId)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    for (const [what, token] of [
      ["expired", expired],
      ["ARM's audience", armToken],
      ["another issuer", otherIssuer],
      ["signed by another key", forged],
    ] as const) {
      assert.equal(await statusOf(withToken(setup.platform, token)), 401, what);
    }
  });
});

describe("AKS with local accounts on (the default)", { timeout: 120_000 }, () => {
  test("both credentials are the static kubeconfig; AAD tokens are not accepted", async () => {
    const setup = await azurePlatform(true);
    try {
      const { resourceGroup, clusterName } = setup.credentials;
      for (const list of [
        setup.arm.managedClusters.listClusterUserCredentials,
        setup.arm.managedClusters.listClusterAdminCredentials,
      ]) {
        const result = await list.call(setup.arm.managedClusters, resourceGroup, clusterName);
        const text = Buffer.from(result.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString("utf8");
        assert.match(text, /token: /);
      }
      const { token } = await setup.credential.getToken(`${aksServerAppId}/.default`);
      assert.equal(await statusOf(withToken(setup.platform, token)), 401);
    } finally {
      await setup.platform.stop();
      await rm(setup.stateDir, { recursive: true, force: true });
    }
  });
});
