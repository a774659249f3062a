import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ClientSecretCredential } from "@azure/identity";
import { trustLocalCaInThisProcess } from "../tls/local-ca.ts";
import { type AzureStandIns, startAzureStandIns } from "./azure-stand-ins.ts";
import { freeStandInPorts } from "./endpoints.ts";

describe("ARM stand-in with @azure/arm-containerservice", () => {
  let home = "";
  let azure: AzureStandIns;
  const kubeconfig =
    "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: https://127.0.0.1:6443\n";
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "cjh-arm-"));
    azure = await startAzureStandIns({
      home,
      ports: await freeStandInPorts(),
      kubeconfig: async () => kubeconfig,
      kubernetesVersion: "1.31.9",
      registryStorageRoot: join(home, "registry"),
    });
    await trustLocalCaInThisProcess(home);
  });
  after(async () => {
    await azure.stop();
    await rm(home, { recursive: true, force: true });
  });

  function client(secret = azure.credentials.clientSecret): ContainerServiceClient {
    const { tenantId, clientId, subscriptionId } = azure.credentials;
    const credential = new ClientSecretCredential(tenantId, clientId, secret, {
      authorityHost: azure.endpoints.aadUrl,
      disableInstanceDiscovery: true,
    });
    return new ContainerServiceClient(credential, subscriptionId, { endpoint: azure.endpoints.armUrl });
  }

  test("listClusterUserCredentials and listClusterAdminCredentials return the local API's kubeconfig", async () => {
    const { resourceGroup, clusterName } = azure.credentials;
    const user = await client().managedClusters.listClusterUserCredentials(resourceGroup, clusterName);
    assert.equal(user.kubeconfigs?.[0]?.name, "clusterUser");
    assert.equal(Buffer.from(user.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString("utf8"), kubeconfig);
    const admin = await client().managedClusters.listClusterAdminCredentials(resourceGroup, clusterName);
    assert.equal(admin.kubeconfigs?.[0]?.name, "clusterAdmin");
  });

  test("get returns the cluster's properties", async () => {
    const { resourceGroup, clusterName } = azure.credentials;
    const cluster = await client().managedClusters.get(resourceGroup, clusterName);
    assert.equal(cluster.name, clusterName);
    assert.equal(cluster.provisioningState, "Succeeded");
    assert.equal(cluster.kubernetesVersion, "1.31.9");
  });

  test("an unknown cluster is ResourceNotFound", async () => {
    await assert.rejects(client().managedClusters.get(azure.credentials.resourceGroup, "no-such-cluster"), {
      code: "ResourceNotFound",
      statusCode: 404,
    });
  });

  test("a token ARM did not issue gets 401 InvalidAuthenticationToken; none gets AuthenticationFailed", async () => {
    const { subscriptionId, resourceGroup, clusterName } = azure.credentials;
    const url = `${azure.endpoints.armUrl}/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${clusterName}/listClusterUserCredential?api-version=2026-04-01`;
    const forged = await fetch(url, { method: "POST", headers: { authorization: "Bearer not.a.token" } });
    assert.equal(forged.status, 401);
    assert.deepEqual(await forged.json(), {
      error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." },
    });
    assert.match(forged.headers.get("www-authenticate") ?? "", /^Bearer authorization_uri="/);
    const anonymous = await fetch(url, { method: "POST" });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await anonymous.json(), {
      error: {
        code: "AuthenticationFailed",
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    });
  });

  test("a wrong client secret fails before ARM with AAD's error", async () => {
    const { resourceGroup, clusterName } = azure.credentials;
    await assert.rejects(
      client("wrong").managedClusters.listClusterUserCredentials(resourceGroup, clusterName),
      {
        message: /AADSTS7000215: Invalid client secret provided/,
      },
    );
  });
});
