// AKS with local accounts off, through the action's own inputs: resource group and cluster name, AZURE_*
// credentials from the platform's azure.env, ARM's kubelogin kubeconfig turned into an Entra token.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseEnv } from "node:util";
import { CoreV1Api } from "@kubernetes/client-node";
import { type RunningPlatform, startPlatform } from "../../../local/platform/start-platform.ts";
import { trustLocalCaInThisProcess } from "../../../local/tls/local-ca.ts";
import { parseDeployInputs } from "../context.ts";
import { connectToCluster } from "./cluster-access.ts";

let stateDir: string;
let platform: RunningPlatform;
let env: Record<string, string | undefined>;

before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "aks-deploy-aad-"));
  platform = await startPlatform({
    stateDir,
    aksLocalAccounts: false,
    components: ["api-server", "azure"],
  });
  await trustLocalCaInThisProcess(stateDir);
  env = parseEnv(await readFile(join(stateDir, "azure", "azure.env"), "utf8"));
});
after(async () => {
  await platform?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

function aksAccess(clusterName: string) {
  const parsed = parseDeployInputs(
    {
      manifests: ["k8s"],
      namespace: "default",
      "resource-group": env.AKS_RESOURCE_GROUP ?? "",
      "cluster-name": clusterName,
    },
    env,
  );
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.config.cluster;
}

describe("cluster access through AKS", () => {
  test("local accounts off: the action reaches the API server with an Entra token, registered as a secret", async () => {
    const secrets: string[] = [];
    const connection = await connectToCluster(aksAccess(env.AKS_CLUSTER_NAME ?? ""), (value) =>
      secrets.push(value),
    );
    assert.ok(connection.ok);
    const token = connection.kubeConfig.getCurrentUser()?.token;
    assert.ok(token && secrets.includes(token));
    const namespaces = await connection.kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(namespaces.items.length > 0);
  });

  test("a cluster ARM does not know: not started (exit 4), naming it, no secret in the message", async () => {
    const connection = await connectToCluster(aksAccess("no-such-cluster"), () => {});
    assert.ok(!connection.ok && "unreachable" in connection);
    assert.match(
      connection.unreachable,
      /^the credentials of AKS cluster no-such-cluster \(resource group .+\) could not be had: /,
    );
    assert.ok(!connection.unreachable.includes(env.AZURE_CLIENT_SECRET ?? "never"));
  });
});
