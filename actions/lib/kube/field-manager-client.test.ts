import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { startTestCluster, type TestCluster } from "../../aks-deploy/testing/test-platform.ts";
import { workload } from "../../aks-deploy/testing/workloads.ts";
import { appsApiAs } from "./field-manager-client.ts";

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster([]);
});
after(async () => {
  await cluster?.close();
});

describe("field-manager client", () => {
  test("writes are recorded under the given field manager; reads work as usual", async () => {
    const apps = appsApiAs(cluster.kubeConfig, "aks-deploy-undo");
    await apps.createNamespacedDeployment({ namespace: "default", body: workload({ image: "app:1" }) });
    await apps.patchNamespacedDeployment(
      { name: "web", namespace: "default", body: [{ op: "replace", path: "/spec/replicas", value: 3 }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    const live = await cluster.kubeConfig
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: "web", namespace: "default" });
    assert.equal(live.spec?.replicas, 3);
    const managers = (live.metadata?.managedFields ?? []).map((entry) => entry.manager);
    assert.deepEqual([...new Set(managers)], ["aks-deploy-undo"]);
  });
});
