// The stand-ins as platform components, started by the platform's own starter with the docker runtime.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ClientSecretCredential, WorkloadIdentityCredential } from "@azure/identity";
import { loadOrCreateCredentials } from "../azure/credentials.ts";
import type { StandInEndpoints } from "../azure/endpoints.ts";
import { engineAnswers } from "../docker-engine/docker-engine.ts";
import { trustLocalCaInThisProcess } from "../tls/local-ca.ts";
import { startPlatform } from "./start-platform.ts";

describe("engine, registry and Azure stand-ins as platform components", () => {
  test("start with the platform, hand out its kubeconfig, keep secrets 0600, and stop with it", {
    timeout: 120_000,
  }, async (t) => {
    const stateDir = await mkdtemp(join(tmpdir(), "cjh-components-"));
    const platform = await startPlatform({
      stateDir,
      runtime: "docker",
      components: ["api-server", "docker-engine", "registry", "azure"],
    });
    let stopped = false;
    t.after(async () => {
      if (!stopped) await platform.stop();
      await rm(stateDir, { recursive: true, force: true });
    });
    await trustLocalCaInThisProcess(stateDir);

    const endpoints: StandInEndpoints = JSON.parse(
      await readFile(join(stateDir, "azure", "endpoints.json"), "utf8"),
    );
    for (const secretFile of [
      "azure/credentials.json",
      "azure/azure.env",
      "azure/federated-token",
      "registry/config.yml",
      "tls/ca.key",
    ]) {
      assert.equal((await stat(join(stateDir, secretFile))).mode & 0o777, 0o600, secretFile);
    }
    const env = await readFile(join(stateDir, "azure", "azure.env"), "utf8");
    assert.match(env, new RegExp(`^ACR_LOGIN_SERVER=${endpoints.acrLoginServer}$`, "m"));

    const credentials = await loadOrCreateCredentials(stateDir);
    const credential = new ClientSecretCredential(
      credentials.tenantId,
      credentials.clientId,
      credentials.clientSecret,
      {
        authorityHost: endpoints.aadUrl,
        disableInstanceDiscovery: true,
      },
    );
    const arm = new ContainerServiceClient(credential, credentials.subscriptionId, {
      endpoint: endpoints.armUrl,
    });
    const result = await arm.managedClusters.listClusterUserCredentials(
      credentials.resourceGroup,
      credentials.clusterName,
    );
    const kubeconfig = Buffer.from(result.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString("utf8");
    assert.match(kubeconfig, new RegExp(`server: ${platform.url}`));

    const tokenFilePath = /^AZURE_FEDERATED_TOKEN_FILE=(.+)$/m.exec(env)?.[1] ?? "";
    const workload = new WorkloadIdentityCredential({
      tenantId: credentials.tenantId,
      clientId: credentials.clientId,
      tokenFilePath,
      authorityHost: endpoints.aadUrl,
      disableInstanceDiscovery: true,
    });
    assert.ok((await workload.getToken(`${endpoints.armUrl}/.default`)).token);

    const registry = await fetch(`${endpoints.acrUrl}/v2/`);
    assert.equal(registry.status, 401);

    await platform.stop();
    stopped = true;
    await assert.rejects(fetch(`${endpoints.acrUrl}/v2/`));
    assert.equal(await engineAnswers(join(stateDir, "docker", "docker.sock")), false);
  });
});
