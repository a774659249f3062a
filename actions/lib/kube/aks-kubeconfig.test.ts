import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseEnv } from "node:util";
import { ClientSecretCredential } from "@azure/identity";
import { CoreV1Api } from "@kubernetes/client-node";
import { startPlatform } from "../../../local/platform/start-platform.ts";
import { trustLocalCaInThisProcess } from "../../../local/tls/local-ca.ts";
import { kubeConfigFromAks } from "./aks-kubeconfig.ts";

const stops: (() => Promise<void>)[] = [];
after(async () => {
  for (const stop of stops) await stop();
});

/** The platform's API and Azure stand-ins; the client uses only what azure.env gives (as a pipeline would). */
async function aks(aksLocalAccounts: boolean) {
  const stateDir = await mkdtemp(join(tmpdir(), "aks-kubeconfig-"));
  const platform = await startPlatform({
    stateDir,
    aksLocalAccounts,
    components: ["api-server", "azure"],
  });
  stops.push(async () => {
    await platform.stop();
    await rm(stateDir, { recursive: true, force: true });
  });
  await trustLocalCaInThisProcess(stateDir);
  const env = parseEnv(await readFile(join(stateDir, "azure", "azure.env"), "utf8"));
  const credential = new ClientSecretCredential(
    env.AZURE_TENANT_ID ?? "",
    env.AZURE_CLIENT_ID ?? "",
    env.AZURE_CLIENT_SECRET ?? "",
    { authorityHost: env.AZURE_AUTHORITY_HOST ?? "", disableInstanceDiscovery: true },
  );
  return {
    credential,
    subscriptionId: env.AZURE_SUBSCRIPTION_ID ?? "",
    resourceGroup: env.AKS_RESOURCE_GROUP ?? "",
    clusterName: env.AKS_CLUSTER_NAME ?? "",
    armEndpoint: env.AZURE_RESOURCE_MANAGER_ENDPOINT ?? "",
  };
}

describe("AKS credentials through ARM", () => {
  test("local accounts off: the kubelogin kubeconfig becomes an Entra bearer token the API server accepts", async () => {
    const secrets: string[] = [];
    const kubeConfig = await kubeConfigFromAks({
      ...(await aks(false)),
      secret: (value) => secrets.push(value),
    });
    const user = kubeConfig.getCurrentUser();
    assert.equal(user?.exec, undefined);
    assert.ok(user?.token && secrets.includes(user.token), "the token is registered as a secret");
    const namespaces = await kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(namespaces.items.some((namespace) => namespace.metadata?.name === "default"));
  });

  test("an unknown cluster is ARM's error, naming it", async () => {
    await assert.rejects(
      kubeConfigFromAks({ ...(await aks(true)), clusterName: "no-such-cluster", secret: () => {} }),
      /no-such-cluster/,
    );
  });
});
